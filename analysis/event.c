#include "event.h"

#include <stdlib.h>
#include <string.h>

static const char *const action_names[FA_ACT_COUNT] = {
    [FA_ACT_NONE] = "none",         [FA_ACT_CONNECT] = "connect",
    [FA_ACT_LOGIN] = "login",       [FA_ACT_LOGOUT] = "logout",
    [FA_ACT_UPLOAD] = "upload",     [FA_ACT_DOWNLOAD] = "download",
    [FA_ACT_DELETE] = "delete",     [FA_ACT_RENAME] = "rename",
    [FA_ACT_MKDIR] = "mkdir",       [FA_ACT_RMDIR] = "rmdir",
    [FA_ACT_CHMOD] = "chmod",       [FA_ACT_COMMAND] = "command",
};

const char *fa_action_name(enum fa_action a)
{
    return (unsigned)a < FA_ACT_COUNT ? action_names[a] : "none";
}

enum fa_action fa_action_from_name(const char *name)
{
    for (int a = 0; a < FA_ACT_COUNT; a++) {
        if (strcmp(action_names[a], name) == 0) {
            return (enum fa_action)a;
        }
    }
    return FA_ACT_NONE;
}

const char *fa_outcome_name(enum fa_outcome o)
{
    switch (o) {
    case FA_OUT_SUCCESS:
        return "success";
    case FA_OUT_FAILURE:
        return "failure";
    default:
        return "unknown";
    }
}

const char *fa_daemon_name(enum fa_daemon d)
{
    static const char *const names[FA_DAEMON_COUNT] = {
        "unknown", "vsftpd", "proftpd", "pure-ftpd", "openssh", "wu-ftpd",
    };
    return (unsigned)d < FA_DAEMON_COUNT ? names[d] : "unknown";
}

const char *fa_proto_name(enum fa_proto p)
{
    static const char *const names[FA_PROTO_COUNT] = {
        "unknown", "ftp", "ftps", "sftp", "scp",
    };
    return (unsigned)p < FA_PROTO_COUNT ? names[p] : "unknown";
}

/* Civil date from days since 1970-01-01 (inverse of days-from-civil). */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static void put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10 % 10);
    p[1] = (char)('0' + v % 10);
}

size_t fa_time_rfc3339(int64_t us, char *buf)
{
    int64_t secs = us / 1000000, frac = us % 1000000;
    if (frac < 0) {
        frac += 1000000;
        secs--;
    }
    int64_t days = secs / 86400, rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    /* Events come in time order: the date text of the last day asked
     * for is kept (one per thread: the writers may run on two). */
    static _Thread_local int64_t last_days = INT64_MIN;
    static _Thread_local char last_date[10];
    char *p = buf;
    if (days != last_days) {
        int y, m, d;
        civil_from_days(days, &y, &m, &d);
        if (y < 0 || y > 9999) {
            y = y < 0 ? 0 : 9999;
        }
        char *q = last_date;
        q[0] = (char)('0' + y / 1000);
        q[1] = (char)('0' + y / 100 % 10);
        put2(q + 2, y % 100);
        q[4] = '-';
        put2(q + 5, m);
        q[7] = '-';
        put2(q + 8, d);
        last_days = days;
    }
    memcpy(p, last_date, 10);
    p[10] = 'T';
    put2(p + 11, (int)(rem / 3600));
    p[13] = ':';
    put2(p + 14, (int)(rem / 60 % 60));
    p[16] = ':';
    put2(p + 17, (int)(rem % 60));
    size_t n = 19;
    if (frac != 0) {
        int digits = frac % 1000 == 0 ? 3 : 6;
        int64_t v = digits == 3 ? frac / 1000 : frac;
        p[n++] = '.';
        for (int i = digits - 1; i >= 0; i--) {
            p[n + (size_t)i] = (char)('0' + v % 10);
            v /= 10;
        }
        n += (size_t)digits;
    }
    p[n++] = 'Z';
    p[n] = '\0';
    return n;
}

size_t fa_offset_text(int32_t offset, char *buf)
{
    char sign = offset < 0 ? '-' : '+';
    int32_t a = offset < 0 ? -offset : offset;
    buf[0] = sign;
    put2(buf + 1, a / 3600 % 100);
    buf[3] = ':';
    put2(buf + 4, a / 60 % 60);
    buf[6] = '\0';
    return 6;
}

/* Length of a valid UTF-8 sequence at s (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), or 0 when it is not one. */
size_t fa_utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80) {
            return 0;
        }
        if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F)) {
            return 0;
        }
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
            (s[3] & 0xC0) != 0x80) {
            return 0;
        }
        if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F)) {
            return 0;
        }
        return 4;
    }
    return 0;
}

bool fa_ipv4_parse(const char *p, size_t len, unsigned char *out)
{
    const char *end = p + len;
    for (int part = 0; part < 4; part++) {
        if (part > 0) {
            if (p == end || *p != '.') {
                return false;
            }
            p++;
        }
        unsigned v, d;
        if (p == end || (v = (unsigned char)*p - '0') > 9) {
            return false;
        }
        p++;
        for (int k = 1; k < 3 && p < end && (d = (unsigned char)*p - '0') <= 9;
             k++) {
            if (v == 0) {
                return false; /* a leading zero */
            }
            v = v * 10 + d;
            p++;
        }
        if (v > 255) {
            return false;
        }
        if (out != NULL) {
            out[part] = (unsigned char)v;
        }
    }
    return p == end;
}

size_t fa_ascii_run(const char *p, size_t n)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, u + i, 8);
        /* A byte from 0x80, or a zero byte. */
        if (((w & 0x8080808080808080ULL) | fa_word_eq(w, 0)) != 0) {
            break;
        }
    }
    while (i < n && u[i] != 0 && u[i] < 0x80) {
        i++;
    }
    return i;
}

char *fa_utf8_dup(const char *src, size_t n)
{
    const unsigned char *s = (const unsigned char *)src;
    /* Mostly plain ASCII: then an exact copy, not 3 bytes per byte. */
    size_t ascii = fa_ascii_run(src, n);
    char *out = malloc(ascii == n ? n + 1 : 3 * n + 1);
    if (out == NULL) {
        abort();
    }
    if (ascii > 0) {
        memcpy(out, s, ascii);
    }
    size_t o = ascii;
    for (size_t i = ascii; i < n;) {
        size_t k = s[i] == 0 ? 0 : fa_utf8_seq(s + i, n - i);
        if (k == 0) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        } else {
            memcpy(out + o, s + i, k);
            o += k;
            i += k;
        }
    }
    out[o] = '\0';
    return out;
}
