#include "syslog.h"

#include <string.h>

#include "strutil.h"

/* Fraction digits after '.' or ',' as microseconds; returns bytes used
 * including the separator, 0 when there is none. */
static size_t read_frac(const char *p, size_t len, int64_t *us)
{
    *us = 0;
    if (len < 2 || (p[0] != '.' && p[0] != ',') ||
        (unsigned)((unsigned char)p[1] - '0') > 9) {
        return 0;
    }
    size_t i = 1;
    int64_t v = 0;
    int n = 0;
    while (i < len && (unsigned)((unsigned char)p[i] - '0') <= 9) {
        if (n < 6) {
            v = v * 10 + (p[i] - '0');
            n++;
        }
        i++;
    }
    while (n++ < 6) {
        v *= 10;
    }
    *us = v;
    return i;
}

/* "hh:mm:ss" at p. */
static bool read_hms(const char *p, size_t len, struct fa_civil *c)
{
    if (len < 8 || p[2] != ':' || p[5] != ':') {
        return false;
    }
    c->hour = fa_digits(p, 2);
    c->min = fa_digits(p + 3, 2);
    c->sec = fa_digits(p + 6, 2);
    return c->hour >= 0 && c->min >= 0 && c->sec >= 0;
}

/* "Mon dd hh:mm:ss" at p: month name, day padded with a space or a zero
 * (or not at all), time.  Fills c's month, day and time; returns the bytes
 * used, 0 when p holds no such text. */
static size_t month_day_time(const char *p, size_t len, struct fa_civil *c)
{
    size_t i;
    c->mon = fa_month_parse(p, len, &i);
    if (c->mon == 0 || i >= len || p[i] != ' ') {
        return 0;
    }
    while (i < len && p[i] == ' ') {
        i++;
    }
    /* Day: "6", "06" or " 6" (the space already skipped). */
    if (i + 1 < len && p[i + 1] == ' ') {
        c->day = fa_digits(p + i, 1);
        i += 2;
    } else if (i + 2 < len && p[i + 2] == ' ') {
        c->day = fa_digits(p + i, 2);
        i += 3;
    } else {
        return 0;
    }
    if (c->day < 1 || !read_hms(p + i, len - i, c)) {
        return 0;
    }
    return i + 8;
}

size_t fa_stamp_bsd(const struct fa_ctx *ctx, const char *p, size_t len,
                    int64_t *us, int32_t *offset)
{
    struct fa_civil c = {0};
    size_t i = month_day_time(p, len, &c);
    if (i == 0) {
        return 0;
    }
    int64_t frac;
    i += read_frac(p + i, len - i, &frac);
    c.year = fa_year_for(ctx->mtime, c.mon, c.day);
    if (!fa_civil_valid(&c)) {
        return 0;
    }
    *us = fa_tz_to_epoch(ctx->tz, &c, offset) * 1000000 + frac;
    return i;
}

size_t fa_stamp_iso(const struct fa_ctx *ctx, const char *p, size_t len,
                    int64_t *us, int32_t *offset, enum fa_tzsrc *src)
{
    if (len < 19 || p[4] != '-' || p[7] != '-' ||
        (p[10] != 'T' && p[10] != ' ')) {
        return 0;
    }
    struct fa_civil c = {0};
    c.year = fa_digits(p, 4);
    c.mon = fa_digits(p + 5, 2);
    c.day = fa_digits(p + 8, 2);
    if (!read_hms(p + 11, len - 11, &c) || !fa_civil_valid(&c)) {
        return 0;
    }
    size_t i = 19;
    int64_t frac;
    i += read_frac(p + i, len - i, &frac);
    if (i < len && (p[i] == 'Z' || p[i] == 'z')) {
        *offset = 0;
        *src = FA_TZ_EXPLICIT;
        *us = fa_civil_to_epoch(&c) * 1000000 + frac;
        return i + 1;
    }
    if (i + 5 <= len && (p[i] == '+' || p[i] == '-')) {
        int hh = fa_digits(p + i + 1, 2);
        int mm = -1;
        size_t used = 0;
        if (i + 6 <= len && p[i + 3] == ':') {
            mm = fa_digits(p + i + 4, 2);
            used = 6;
        } else {
            mm = fa_digits(p + i + 3, 2);
            used = 5;
        }
        if (hh >= 0 && hh <= 23 && mm >= 0 && mm <= 59) {
            int32_t off = (hh * 3600 + mm * 60) * (p[i] == '-' ? -1 : 1);
            *offset = off;
            *src = FA_TZ_EXPLICIT;
            *us = (fa_civil_to_epoch(&c) - off) * 1000000 + frac;
            return i + used;
        }
    }
    *src = FA_TZ_ASSUMED;
    *us = fa_tz_to_epoch(ctx->tz, &c, offset) * 1000000 + frac;
    return i;
}

size_t fa_stamp_ctime(const struct fa_ctx *ctx, const char *p, size_t len,
                      int64_t *us, int32_t *offset)
{
    /* "Thu Nov 26 12:41:58 2026": skip the weekday, which is redundant. */
    if (len < 20 || p[3] != ' ') {
        return 0;
    }
    struct fa_civil c = {0};
    size_t i = month_day_time(p + 4, len - 4, &c);
    if (i == 0) {
        return 0;
    }
    i += 4;
    if (i + 5 > len || p[i] != ' ') {
        return 0;
    }
    c.year = fa_digits(p + i + 1, 4);
    i += 5;
    /* A year with more digits glued on is a corrupted stamp. */
    if (i < len && (unsigned)((unsigned char)p[i] - '0') <= 9) {
        return 0;
    }
    if (!fa_civil_valid(&c)) {
        return 0;
    }
    *us = fa_tz_to_epoch(ctx->tz, &c, offset) * 1000000;
    return i;
}

size_t fa_stamp_clf(const char *p, size_t len, int64_t *us, int32_t *offset)
{
    size_t i = 0;
    if (len > 0 && p[0] == '[') {
        i = 1;
    }
    /* dd/Mon/yyyy:hh:mm:ss +zzzz */
    if (len < i + 26 || p[i + 2] != '/' || p[i + 6] != '/' ||
        p[i + 11] != ':' || p[i + 20] != ' ') {
        return 0;
    }
    struct fa_civil c = {0};
    size_t used;
    c.day = fa_digits(p + i, 2);
    c.mon = fa_month_parse(p + i + 3, 3, &used);
    c.year = fa_digits(p + i + 7, 4);
    if (c.mon == 0 || !read_hms(p + i + 12, len - i - 12, &c) ||
        !fa_civil_valid(&c)) {
        return 0;
    }
    const char *z = p + i + 21;
    int hh = fa_digits(z + 1, 2), mm = fa_digits(z + 3, 2);
    if ((z[0] != '+' && z[0] != '-') || hh < 0 || hh > 23 || mm < 0 ||
        mm > 59) {
        return 0;
    }
    int32_t off = (hh * 3600 + mm * 60) * (z[0] == '-' ? -1 : 1);
    *offset = off;
    *us = (fa_civil_to_epoch(&c) - off) * 1000000;
    i += 26;
    if (i < len && p[i] == ']') {
        i++;
    }
    return i;
}

static bool is_tag_char(unsigned char ch)
{
    return ch > ' ' && ch != '[' && ch != ':' && ch != 0x7f;
}

static const char *const facilities[] = {
    "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
    "uucp", "cron", "authpriv", "ftp", "local0", "local1", "local2",
    "local3", "local4", "local5", "local6", "local7", "security", NULL};

/* busybox syslogd -O writes "facility.priority" between host and tag. */
static size_t facility_token(const char *p, size_t len)
{
    const char *dot = memchr(p, '.', len < 16 ? len : 16);
    if (dot == NULL) {
        return 0;
    }
    size_t flen = (size_t)(dot - p);
    bool known = false;
    for (size_t k = 0; facilities[k] != NULL; k++) {
        if (strlen(facilities[k]) == flen && memcmp(p, facilities[k], flen) == 0) {
            known = true;
            break;
        }
    }
    if (!known) {
        return 0;
    }
    size_t i = flen + 1;
    while (i < len && p[i] >= 'a' && p[i] <= 'z') {
        i++;
    }
    if (i == flen + 1 || i >= len || p[i] != ' ') {
        return 0;
    }
    return i + 1;
}

/* Tag "prog[pid]: ", "prog: " or "prog[pid] " at p.  Returns bytes used up
 * to the message, 0 when p holds no tag. */
static size_t read_tag(const char *p, size_t len, struct fa_envelope *env,
                       bool need_pid)
{
    size_t i = 0;
    while (i < len && is_tag_char((unsigned char)p[i])) {
        i++;
    }
    if (i == 0 || i > 64 || i >= len) {
        return 0;
    }
    env->prog = fa_str_make(p, i);
    env->pid = 0;
    if (p[i] == '[') {
        uint64_t pid;
        size_t n = fa_parse_u64(p + i + 1, len - i - 1, &pid);
        if (n == 0 || n > 10 || i + 1 + n >= len || p[i + 1 + n] != ']') {
            return 0;
        }
        env->pid = pid > UINT32_MAX ? UINT32_MAX : (uint32_t)pid;
        i += n + 2;
        if (i < len && p[i] == ':') {
            i++;
        } else if (i >= len || p[i] != ' ') {
            return 0;
        }
    } else if (p[i] == ':' && !need_pid) {
        i++;
    } else {
        return 0;
    }
    if (i < len && p[i] == ' ') {
        i++;
    }
    return i;
}

/* Next space-delimited token at p; returns its length (0 if none). */
static size_t token(const char *p, size_t len)
{
    size_t i = 0;
    while (i < len && p[i] != ' ') {
        i++;
    }
    return i;
}

/* RFC 5424 after "<PRI>1 ". */
static int split_5424(const struct fa_ctx *ctx, const char *p, size_t len,
                      struct fa_envelope *env, const char **why)
{
    size_t i = 0;
    if (len > 0 && p[0] == '-') {
        env->has_time = false;
        env->tz_source = FA_TZ_ASSUMED;
        env->time_us = ctx->mtime * 1000000;
        i = 1;
    } else {
        i = fa_stamp_iso(ctx, p, len, &env->time_us, &env->offset,
                         &env->tz_source);
        if (i == 0) {
            *why = "bad RFC 5424 timestamp";
            return -1;
        }
        env->has_time = true;
    }
    struct fa_str f[4]; /* host, app, procid, msgid */
    for (int k = 0; k < 4; k++) {
        if (i >= len || p[i] != ' ') {
            *why = "short RFC 5424 header";
            return -1;
        }
        i++;
        size_t n = token(p + i, len - i);
        f[k] = fa_str_make(p + i, n);
        i += n;
    }
    env->host = f[0];
    env->prog = fa_str_eq(f[1], "-") ? FA_STR_NULL : f[1];
    uint64_t pid = 0;
    if (f[2].len > 0 && fa_parse_u64(f[2].ptr, f[2].len, &pid) == f[2].len) {
        env->pid = pid > UINT32_MAX ? UINT32_MAX : (uint32_t)pid;
    }
    if (i >= len || p[i] != ' ') {
        *why = "short RFC 5424 header";
        return -1;
    }
    i++;
    /* Structured data: "-" or one or more [id k="v" ...] elements, where
     * a quoted value may contain escaped \" and \] . */
    if (i < len && p[i] == '-') {
        i++;
    } else {
        while (i < len && p[i] == '[') {
            bool quoted = false;
            i++;
            while (i < len) {
                char ch = p[i];
                if (quoted && ch == '\\' && i + 1 < len) {
                    i += 2;
                    continue;
                }
                if (ch == '"') {
                    quoted = !quoted;
                } else if (ch == ']' && !quoted) {
                    break;
                }
                i++;
            }
            if (i >= len) {
                *why = "unterminated RFC 5424 structured data";
                return -1;
            }
            i++;
        }
    }
    if (i < len && p[i] == ' ') {
        i++;
    }
    /* A UTF-8 byte order mark may open the message. */
    if (len - i >= 3 && memcmp(p + i, "\xEF\xBB\xBF", 3) == 0) {
        i += 3;
    }
    env->msg = fa_str_make(p + i, len - i);
    return 0;
}

int fa_syslog_split(const struct fa_ctx *ctx, const struct fa_line *l,
                    struct fa_envelope *env, const char **why)
{
    const char *p = l->ptr;
    size_t len = l->len;
    memset(env, 0, sizeof(*env));

    /* "<PRI>" as sent on the wire, or kept by some collectors. */
    if (len > 2 && p[0] == '<') {
        size_t n = 1;
        while (n < len && n < 5 && p[n] >= '0' && p[n] <= '9') {
            n++;
        }
        if (n > 1 && n < len && p[n] == '>') {
            p += n + 1;
            len -= n + 1;
            if (len > 2 && p[0] == '1' && p[1] == ' ') {
                return split_5424(ctx, p + 2, len - 2, env, why);
            }
        }
    }

    size_t i = 0;
    if (len >= 19 && p[4] == '-' && p[0] >= '0' && p[0] <= '9') {
        i = fa_stamp_iso(ctx, p, len, &env->time_us, &env->offset,
                         &env->tz_source);
    } else {
        i = fa_stamp_bsd(ctx, p, len, &env->time_us, &env->offset);
        env->tz_source = FA_TZ_ASSUMED;
    }
    env->has_time = i > 0;
    if (i > 0) {
        if (i >= len || p[i] != ' ') {
            *why = "no host after the timestamp";
            return -1;
        }
        i++;
    }
    /* Host, unless the tag follows at once (no host written, as with
     * ProFTPD's LogOptions -Hostname): a host name never holds '['. */
    size_t n = token(p + i, len - i);
    /* "[sshd]: msg" after a stamp, and "pure-ftpd: msg" with neither
     * stamp nor host (collectors that keep only the tag). */
    bool colon = n > 3 && p[i + n - 1] == ':' && p[i + n - 2] == ']';
    if (n > 2 && p[i] == '[' && (colon || (env->has_time && p[i + n - 1] == ']'))) {
        env->prog = fa_str_make(p + i + 1, n - (colon ? 3 : 2));
        env->host = FA_STR_NULL;
        env->msg = fa_str_make(p + i + n + (i + n < len), len - i - n -
                                                             (i + n < len));
        if (!env->has_time) {
            env->tz_source = FA_TZ_ASSUMED;
            env->time_us = ctx->mtime * 1000000;
        }
        return 0;
    }
    if (!env->has_time && n > 1 && p[i + n - 1] == ':' && i + n < len &&
        memchr(p + i, '[', n) == NULL) {
        env->prog = fa_str_make(p + i, n - 1);
        env->host = FA_STR_NULL;
        env->msg = fa_str_make(p + i + n + 1, len - i - n - 1);
        env->tz_source = FA_TZ_ASSUMED;
        env->time_us = ctx->mtime * 1000000;
        return 0;
    }
    if (n > 0 && memchr(p + i, '[', n) != NULL) {
        size_t t = read_tag(p + i, len - i, env, true);
        if (t > 0) {
            env->host = FA_STR_NULL;
            env->msg = fa_str_make(p + i + t, len - i - t);
            if (!env->has_time) {
                env->tz_source = FA_TZ_ASSUMED;
                env->time_us = ctx->mtime * 1000000;
            }
            return 0;
        }
    }
    if (n == 0) {
        *why = env->has_time ? "no host after the timestamp"
                             : "not a syslog line";
        return -1;
    }
    env->host = fa_str_make(p + i, n);
    if (i + n >= len) {
        *why = "no message";
        return -1;
    }
    i += n + 1;
    if (env->has_time) {
        i += facility_token(p + i, len - i);
    }
    size_t t = read_tag(p + i, len - i, env, !env->has_time);
    if (t == 0) {
        /* "host last message repeated N times" has no tag. */
        if (env->has_time && fa_starts(p + i, len - i, "last message repeated")) {
            env->prog = FA_STR_NULL;
            env->msg = fa_str_make(p + i, len - i);
            return 0;
        }
        *why = env->has_time ? "no program tag" : "not a syslog line";
        return -1;
    }
    env->msg = fa_str_make(p + i + t, len - i - t);
    if (!env->has_time) {
        env->tz_source = FA_TZ_ASSUMED;
        env->time_us = ctx->mtime * 1000000;
    }
    return 0;
}

void fa_envelope_to_event(const struct fa_envelope *env, struct fa_event *ev)
{
    ev->time_us = env->time_us;
    ev->utc_offset = env->offset;
    ev->tz_source = env->has_time ? env->tz_source : FA_TZ_NONE;
    ev->host = env->host;
    ev->pid = env->pid;
}
