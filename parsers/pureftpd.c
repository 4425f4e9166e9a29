/*
 * Pure-FTPd: its syslog messages and its three AltLog transfer files.
 *
 * syslog (src/ftpd.c logfile(): "(%s@%s) [LEVEL] %s", account "?" until
 * login, host an IP with -H or a resolved name otherwise):
 *   Nov 26 12:45:15 vm pure-ftpd: (?@127.0.0.10) [INFO] New connection from 127.0.0.10
 *   Nov 26 12:45:15 vm pure-ftpd: (?@127.0.0.10) [INFO] alice is now logged in
 *   Nov 26 12:45:15 vm pure-ftpd: (alice@127.0.0.10) [NOTICE] //tmp/e2e/home/alice/public_html/index.html downloaded  (189 bytes, 6850.83KB/sec)
 *   Nov 26 12:45:24 vm pure-ftpd: (?@127.0.0.66) [WARNING] Authentication failed for user [alice]
 *   Nov 26 12:45:28 vm pure-ftpd: (bob@127.0.0.20) [NOTICE] File successfully renamed or moved: [index.html]->[old/index.html.bak]
 *   Nov 26 12:45:28 vm pure-ftpd: (bob@127.0.0.20) [NOTICE] Deleted //tmp/e2e/home/bob/public_html/robots.txt
 *   Nov 26 12:45:43 vm pure-ftpd[11540]: (bob@127.0.0.20) [DEBUG] 257 "old" : The directory was successfully created
 *   pure-ftpd-wrapper[926]: connect from  192.168.20.10 (192.168.20.10)
 *
 * AltLog (-O <format>:<file>, src/altlog.c):
 *   clf    127.0.0.99 - alice [26/Nov/2026:12:44:32 -0000] "PUT /tmp/e2e/home/alice/public_html/index.html" 200 254
 *   stats  1795697085 6b0829bd.2aa1 alice 127.0.0.99 D 189 0 /tmp/e2e/home/alice/public_html/index.html
 *   w3c    2026-11-26 12:44:59 127.0.0.99 []created /tmp/e2e/home/alice/public_html/index.html 226 alice 254
 *
 * Upstream: jedisct1/pure-ftpd src/ftpd.c (logfile, displayrate, dodele,
 * dornto), src/altlog.c, src/messages_{en,fr,de}.h.  Samples: shared corpus
 * real-servers/pureftpd-*.log (Pure-FTPd 1.0.50, Debian 12).
 */
#include <stdio.h>
#include <string.h>

#include "registry.h"
#include "strutil.h"
#include "syslog.h"

/* Room for one path: Pure-FTPd's own limit is MAXPATHLEN plus a virtual
 * host prefix.  A longer path is passed on as logged, not cut. */
#define PATH_BUF 8192
/* Sessions followed at once for the verbose (-d -d) reply lines. */
#define NSESS 32
#define SESS_CWD 4096
#define SESS_ARG 1024
#define SESS_HOST 64

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */

static struct fa_str sub(const char *p, size_t from, size_t to)
{
    return fa_str_make(p + from, to - from);
}

static bool str_starts(struct fa_str s, const char *lit)
{
    return fa_starts(s.ptr, s.len, lit);
}

static bool str_ends(struct fa_str s, const char *lit)
{
    return fa_ends(s.ptr, s.len, lit);
}

static bool all_digits(struct fa_str s)
{
    if (s.len == 0) {
        return false;
    }
    for (size_t i = 0; i < s.len; i++) {
        if ((unsigned)((unsigned char)s.ptr[i] - '0') > 9) {
            return false;
        }
    }
    return true;
}

static int64_t to_i64(uint64_t v)
{
    return v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
}

static bool is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
}

static int hex_val(unsigned char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    return (c | 0x20) - 'a' + 10;
}

/*
 * Pure-FTPd writes root directory + working directory + name, so paths
 * arrive as "//tmp/x" (root "/") or "/home/u//dir/x" (chroot root
 * "/home/u/").  Runs of '/' are folded into one, in buf; a path that does
 * not fit is passed on as logged.
 */
static struct fa_str squeeze(char *buf, size_t cap, struct fa_str in)
{
    if (fa_memmem(in.ptr, in.len, "//", 2) == NULL || in.len > cap) {
        return in;
    }
    size_t n = 0;
    for (size_t i = 0; i < in.len; i++) {
        if (in.ptr[i] == '/' && n > 0 && buf[n - 1] == '/') {
            continue;
        }
        buf[n++] = in.ptr[i];
    }
    return fa_str_make(buf, n);
}

/* A relative name made absolute with the session's directory when it is
 * known; otherwise the name as logged (squeezed). */
static struct fa_str join(char *buf, size_t cap, struct fa_str cwd,
                          struct fa_str name)
{
    if (name.len == 0 || name.ptr[0] == '/' || cwd.len == 0 ||
        cwd.len + 1 + name.len > cap) {
        return squeeze(buf, cap, name);
    }
    memcpy(buf, cwd.ptr, cwd.len);
    size_t n = cwd.len;
    if (buf[n - 1] != '/') {
        buf[n++] = '/';
    }
    memcpy(buf + n, name.ptr, name.len);
    n += name.len;
    /* Fold in place: the result is never longer. */
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (buf[i] == '/' && w > 0 && buf[w - 1] == '/') {
            continue;
        }
        buf[w++] = buf[i];
    }
    return fa_str_make(buf, w);
}

/* AltLog clf and w3c url-encode every byte but [A-Za-z0-9./_-]; decode
 * %XX into buf (NULL: only check).  A bad escape is kept as written. */
static struct fa_str url_decode(char *buf, size_t cap, struct fa_str in)
{
    if (buf == NULL || memchr(in.ptr, '%', in.len) == NULL || in.len > cap) {
        return in;
    }
    size_t n = 0;
    for (size_t i = 0; i < in.len; i++) {
        unsigned char c = (unsigned char)in.ptr[i];
        if (c == '%' && i + 2 < in.len &&
            is_hex((unsigned char)in.ptr[i + 1]) &&
            is_hex((unsigned char)in.ptr[i + 2])) {
            buf[n++] = (char)(hex_val((unsigned char)in.ptr[i + 1]) * 16 +
                              hex_val((unsigned char)in.ptr[i + 2]));
            i += 2;
        } else {
            buf[n++] = (char)c;
        }
    }
    return fa_str_make(buf, n);
}

/* The client: an address, "::ffff:a.b.c.d" as IPv4; a resolved name is
 * kept as logged (the event has no other field for it); "?" or "-" is
 * nothing. */
static struct fa_str client(struct fa_str host)
{
    if (host.len == 0 || fa_str_eq(host, "?") || fa_str_eq(host, "-")) {
        return FA_STR_NULL;
    }
    return fa_ip_normalize(host);
}

/* ------------------------------------------------------------------ */
/* AltLog cores, shared by the three file parsers and by AltLog lines  */
/* that reached syslog.                                                */

/* <host> - <account> [dd/Mon/yyyy:hh:mm:ss +zzzz] "GET|PUT <path>" 200 <n> */
static enum fa_status clf_core(char *buf, const char *p, size_t len,
                               struct fa_event *out, const char **why)
{
    size_t i = 0;
    while (i < len && p[i] != ' ') {
        i++;
    }
    if (i == 0 || !fa_starts(p + i, len - i, " - ")) {
        *why = "no '<host> - ' at the start";
        return FA_INVALID;
    }
    struct fa_str host = sub(p, 0, i);
    size_t acc = i + 3;
    /* The account ends at the first " [" that opens a valid stamp
     * followed by ' "'; an account may hold " [" itself. */
    size_t at = acc, used = 0;
    int64_t us = 0;
    int32_t off = 0;
    for (;;) {
        const char *b = fa_memmem(p + at, len - at, " [", 2);
        if (b == NULL) {
            *why = "no [dd/Mon/yyyy:hh:mm:ss +zzzz] stamp";
            return FA_INVALID;
        }
        at = (size_t)(b - p);
        used = fa_stamp_clf(p + at + 1, len - at - 1, &us, &off);
        if (used > 0 && p[at + used] == ']' &&
            fa_starts(p + at + 1 + used, len - at - 1 - used, " \"")) {
            break;
        }
        at++;
    }
    if (at == acc) {
        *why = "empty account";
        return FA_INVALID;
    }
    struct fa_str account = sub(p, acc, at);
    size_t j = at + 1 + used + 2;
    bool up;
    if (fa_starts(p + j, len - j, "GET ")) {
        up = false;
    } else if (fa_starts(p + j, len - j, "PUT ")) {
        up = true;
    } else {
        *why = "request is not GET or PUT";
        return FA_INVALID;
    }
    j += 4;
    size_t ps = j;
    while (j < len && p[j] != '"') {
        /* Pure-FTPd encodes spaces: a space here is an HTTP request
         * ("GET /x HTTP/1.1"), not this format. */
        if (p[j] == ' ') {
            *why = "space in the request path (an HTTP log?)";
            return FA_INVALID;
        }
        j++;
    }
    if (j == ps || !fa_starts(p + j, len - j, "\" 200 ")) {
        *why = "no '\" 200 <bytes>' after the path";
        return FA_INVALID;
    }
    struct fa_str path = sub(p, ps, j);
    j += 6;
    uint64_t bytes;
    size_t nd = fa_parse_u64(p + j, len - j, &bytes);
    if (nd == 0 || j + nd != len) {
        *why = "bad byte count";
        return FA_INVALID;
    }
    out->time_us = us;
    out->utc_offset = off;
    out->tz_source = FA_TZ_EXPLICIT;
    out->action = up ? FA_ACT_UPLOAD : FA_ACT_DOWNLOAD;
    out->outcome = FA_OUT_SUCCESS;
    out->proto = FA_PROTO_FTP;
    out->ip = client(host);
    out->user = fa_str_eq(account, "-") ? FA_STR_NULL : account;
    out->path = url_decode(buf, PATH_BUF, path);
    out->bytes = to_i64(bytes);
    return FA_OK;
}

/* <unix-time> <start-hex>.<pid-hex> <account> <host> U|D <size> <secs> <path>
 */
static enum fa_status stats_core(const char *p, size_t len,
                                 struct fa_event *out, const char **why)
{
    uint64_t t;
    size_t i = fa_parse_u64(p, len, &t);
    if (i == 0 || i > 12 || i >= len || p[i] != ' ') {
        *why = "no unix time";
        return FA_INVALID;
    }
    size_t ss = ++i;
    while (i < len && is_hex((unsigned char)p[i])) {
        i++;
    }
    if (i == ss || i >= len || p[i] != '.') {
        *why = "no <hex>.<hex> session id";
        return FA_INVALID;
    }
    size_t dot = ++i;
    while (i < len && is_hex((unsigned char)p[i])) {
        i++;
    }
    if (i == dot || i >= len || p[i] != ' ') {
        *why = "no <hex>.<hex> session id";
        return FA_INVALID;
    }
    struct fa_str session = sub(p, ss, i);
    size_t acc = ++i;
    /* First " U|D <digits> <digits> " whose host token is preceded by an
     * account: the account is the server's, the path the client's. */
    for (size_t q = acc; q + 3 < len; q++) {
        if (p[q] != ' ' || (p[q + 1] != 'U' && p[q + 1] != 'D') ||
            p[q + 2] != ' ') {
            continue;
        }
        size_t k = q + 3;
        uint64_t size, secs;
        size_t n1 = fa_parse_u64(p + k, len - k, &size);
        if (n1 == 0 || k + n1 >= len || p[k + n1] != ' ') {
            continue;
        }
        k += n1 + 1;
        size_t n2 = fa_parse_u64(p + k, len - k, &secs);
        if (n2 == 0 || k + n2 + 1 >= len || p[k + n2] != ' ') {
            continue;
        }
        k += n2 + 1;
        size_t r = q;
        while (r > acc && p[r - 1] != ' ') {
            r--;
        }
        if (r <= acc + 1 || r == q) {
            continue; /* no account or no host */
        }
        out->time_us = (int64_t)t * 1000000; /* at most 12 digits */
        out->utc_offset = 0;
        out->tz_source = FA_TZ_EXPLICIT;
        out->action = p[q + 1] == 'U' ? FA_ACT_UPLOAD : FA_ACT_DOWNLOAD;
        out->outcome = FA_OUT_SUCCESS;
        out->proto = FA_PROTO_FTP;
        out->session = session;
        struct fa_str account = sub(p, acc, r - 1);
        out->user = fa_str_eq(account, "-") ? FA_STR_NULL : account;
        out->ip = client(sub(p, r, q));
        out->bytes = to_i64(size);
        out->path = sub(p, k, len);
        return FA_OK;
    }
    *why = "no '<host> U|D <size> <seconds> <path>'";
    return FA_INVALID;
}

/* YYYY-MM-DD hh:mm:ss <host> []sent|[]created <path> 226 <account> <bytes>
 * in GMT ("#..." header lines carry nothing). */
static enum fa_status w3c_core(char *buf, const char *p, size_t len,
                               struct fa_event *out, const char **why)
{
    if (len > 0 && p[0] == '#') {
        return FA_SKIP;
    }
    if (len < 20 || p[4] != '-' || p[7] != '-' || p[10] != ' ' ||
        p[13] != ':' || p[16] != ':' || p[19] != ' ') {
        *why = "no YYYY-MM-DD hh:mm:ss stamp";
        return FA_INVALID;
    }
    struct fa_civil c = {
        .year = fa_digits(p, 4), .mon = fa_digits(p + 5, 2),
        .day = fa_digits(p + 8, 2), .hour = fa_digits(p + 11, 2),
        .min = fa_digits(p + 14, 2), .sec = fa_digits(p + 17, 2),
    };
    if (!fa_civil_valid(&c)) {
        *why = "bad date or time";
        return FA_INVALID;
    }
    size_t i = 20, hs = i;
    while (i < len && p[i] != ' ') {
        i++;
    }
    if (i == hs || i >= len) {
        *why = "no client address";
        return FA_INVALID;
    }
    struct fa_str host = sub(p, hs, i);
    i++;
    bool up;
    if (fa_starts(p + i, len - i, "[]created ")) {
        up = true;
        i += 10;
    } else if (fa_starts(p + i, len - i, "[]sent ")) {
        up = false;
        i += 7;
    } else {
        *why = "method is not []sent or []created";
        return FA_INVALID;
    }
    size_t ps = i;
    while (i < len && p[i] != ' ') {
        i++;
    }
    if (i == ps || !fa_starts(p + i, len - i, " 226 ")) {
        *why = "no '<path> 226' after the method";
        return FA_INVALID;
    }
    struct fa_str path = sub(p, ps, i);
    i += 5;
    /* Account (may be empty) then the byte count, the last field. */
    size_t e = len;
    while (e > i && p[e - 1] != ' ') {
        e--;
    }
    struct fa_str bytes_s = sub(p, e, len);
    if (e == i || !all_digits(bytes_s)) {
        *why = "bad byte count";
        return FA_INVALID;
    }
    uint64_t bytes;
    fa_parse_u64(bytes_s.ptr, bytes_s.len, &bytes);
    struct fa_str account = sub(p, i, e - 1);
    out->time_us = fa_civil_to_epoch(&c) * 1000000;
    out->utc_offset = 0;
    out->tz_source = FA_TZ_EXPLICIT;
    out->action = up ? FA_ACT_UPLOAD : FA_ACT_DOWNLOAD;
    out->outcome = FA_OUT_SUCCESS;
    out->proto = FA_PROTO_FTP;
    out->ip = client(host);
    out->user = account.len == 0 || fa_str_eq(account, "-") ? FA_STR_NULL
                                                             : account;
    out->path = url_decode(buf, PATH_BUF, path);
    out->bytes = to_i64(bytes);
    return FA_OK;
}

/* ------------------------------------------------------------------ */
/* syslog                                                              */

enum level {
    LV_INFO,
    LV_NOTICE,
    LV_WARNING,
    LV_ERROR,
    LV_DEBUG,
};

static const struct {
    const char *tag; /* ") [INFO] " */
    enum level level;
} levels[] = {
    {") [INFO] ", LV_INFO},       {") [NOTICE] ", LV_NOTICE},
    {") [WARNING] ", LV_WARNING}, {") [ERROR] ", LV_ERROR},
    {") [DEBUG] ", LV_DEBUG},
};

/* "(account@host) [LEVEL] text" split up. */
struct frame {
    struct fa_str account; /* "?" before login */
    struct fa_str host;
    enum level level;
    struct fa_str text;
};

/* What a verbose session has said so far (pid + client are the key). */
struct sess {
    uint64_t tick; /* last use; 0: free */
    uint32_t pid;
    size_t hostlen;
    char host[SESS_HOST];
    bool tls;
    size_t cwdlen, cmdlen, arglen, userlen;
    char cwd[SESS_CWD];
    char cmd[8];
    char arg[SESS_ARG];
    char user[256];
};

struct alt_state {
    char path[PATH_BUF];
};

struct pureftpd_state {
    uint64_t tick;
    struct sess sess[NSESS];
    char path[PATH_BUF];
    char path2[PATH_BUF];
    char pid[16];
    struct alt_state alt;
};

static bool pureftpd_match(struct fa_str prog)
{
    /* pure-ftpd, pure-ftpd-wrapper, pure-ftpd-virtualchroot,
     * pure-ftpd-mysql ..., and old "pure-ftpd(pam_unix)" tags. */
    static const char base[] = "pure-ftpd";
    size_t n = sizeof(base) - 1;
    if (prog.len < n || memcmp(prog.ptr, base, n) != 0) {
        return false;
    }
    return prog.len == n || prog.ptr[n] == '-' || prog.ptr[n] == '(';
}

static bool read_frame(struct fa_str m, struct frame *f)
{
    if (m.len < 4 || m.ptr[0] != '(') {
        return false;
    }
    /* The first ") [LEVEL] " ends the prefix; a host never holds ')'. */
    for (size_t i = 1; i < m.len; i++) {
        if (m.ptr[i] != ')') {
            continue;
        }
        for (size_t k = 0; k < sizeof(levels) / sizeof(levels[0]); k++) {
            if (!fa_starts(m.ptr + i, m.len - i, levels[k].tag)) {
                continue;
            }
            const char *at = fa_memrmem(m.ptr + 1, i - 1, "@", 1);
            if (at == NULL) {
                return false;
            }
            size_t a = (size_t)(at - m.ptr);
            size_t t = i + strlen(levels[k].tag);
            f->account = sub(m.ptr, 1, a);
            f->host = sub(m.ptr, a + 1, i);
            f->level = levels[k].level;
            f->text = sub(m.ptr, t, m.len);
            return f->account.len > 0;
        }
    }
    return false;
}

static struct sess *sess_find(struct pureftpd_state *s, uint32_t pid,
                              struct fa_str host, bool create)
{
    if (host.len == 0 || host.len > SESS_HOST) {
        return NULL;
    }
    struct sess *oldest = &s->sess[0];
    for (size_t i = 0; i < NSESS; i++) {
        struct sess *x = &s->sess[i];
        if (x->tick != 0 && x->pid == pid && x->hostlen == host.len &&
            memcmp(x->host, host.ptr, host.len) == 0) {
            x->tick = ++s->tick;
            return x;
        }
        if (x->tick < oldest->tick) {
            oldest = x;
        }
    }
    if (!create) {
        return NULL;
    }
    memset(oldest, 0, sizeof(*oldest));
    oldest->tick = ++s->tick;
    oldest->pid = pid;
    oldest->hostlen = host.len;
    memcpy(oldest->host, host.ptr, host.len);
    return oldest;
}

static struct fa_str sess_cwd(const struct sess *x)
{
    return x != NULL ? fa_str_make(x->cwd, x->cwdlen) : FA_STR_NULL;
}

static void copy_into(char *dst, size_t cap, size_t *dlen, struct fa_str v)
{
    if (v.len > cap) {
        *dlen = 0; /* too long to keep: better unknown than cut */
        return;
    }
    memcpy(dst, v.ptr, v.len);
    *dlen = v.len;
}

/* Fields every daemon event of a session carries. */
static void fill(struct pureftpd_state *s, const struct frame *f,
                 const struct sess *x, uint32_t pid, struct fa_event *out)
{
    out->proto = x != NULL && x->tls ? FA_PROTO_FTPS : FA_PROTO_FTP;
    out->ip = client(f->host);
    if (!fa_str_eq(f->account, "?")) {
        out->user = f->account;
    }
    if (pid != 0) {
        int n = snprintf(s->pid, sizeof(s->pid), "%u", (unsigned)pid);
        out->session = fa_str_make(s->pid, (size_t)n);
    }
}

/* Words of the compiled-in languages we know (messages_{en,fr,de}.h).
 * Longest first where one ends another ("partially uploaded"). */
static const struct {
    const char *word;
    enum fa_action action;
    enum fa_outcome outcome;
} xfer_words[] = {
    {"partially uploaded", FA_ACT_UPLOAD, FA_OUT_FAILURE},
    {"partially downloaded", FA_ACT_DOWNLOAD, FA_OUT_FAILURE},
    {"Partiellement uploade", FA_ACT_UPLOAD, FA_OUT_FAILURE},
    {"teilweise hochgeladen.", FA_ACT_UPLOAD, FA_OUT_FAILURE},
    {"uploaded", FA_ACT_UPLOAD, FA_OUT_SUCCESS},
    {"downloaded", FA_ACT_DOWNLOAD, FA_OUT_SUCCESS},
    {"uploade", FA_ACT_UPLOAD, FA_OUT_SUCCESS},
    {"downloade", FA_ACT_DOWNLOAD, FA_OUT_SUCCESS},
    {"hochgeladen.", FA_ACT_UPLOAD, FA_OUT_SUCCESS},
    {"heruntergeladen.", FA_ACT_DOWNLOAD, FA_OUT_SUCCESS},
};

/* "<path> <word>  (<n> bytes, <r>KB/sec)": the tail is not translated,
 * so it is read from the end; the path may hold anything. */
static enum fa_status notice_transfer(struct pureftpd_state *s,
                                      struct fa_str t, struct fa_event *out)
{
    if (!str_ends(t, "KB/sec)")) {
        return FA_SKIP;
    }
    const char *o = fa_memrmem(t.ptr, t.len, "  (", 3);
    if (o == NULL) {
        return FA_SKIP;
    }
    size_t k = (size_t)(o - t.ptr) + 3;
    uint64_t bytes;
    size_t nd = fa_parse_u64(t.ptr + k, t.len - k, &bytes);
    if (nd == 0 || !fa_starts(t.ptr + k + nd, t.len - k - nd, " bytes, ")) {
        return FA_SKIP;
    }
    struct fa_str head = sub(t.ptr, 0, (size_t)(o - t.ptr));
    for (size_t w = 0; w < sizeof(xfer_words) / sizeof(xfer_words[0]); w++) {
        size_t wl = strlen(xfer_words[w].word);
        if (head.len < wl + 2 || !str_ends(head, xfer_words[w].word) ||
            head.ptr[head.len - wl - 1] != ' ') {
            continue;
        }
        out->action = xfer_words[w].action;
        out->outcome = xfer_words[w].outcome;
        out->path = squeeze(s->path, sizeof(s->path),
                            sub(head.ptr, 0, head.len - wl - 1));
        out->bytes = to_i64(bytes);
        return out->path.len > 0 ? FA_OK : FA_SKIP;
    }
    return FA_SKIP; /* a language whose words we do not know */
}

/* "<text>: [<old>]->[<new>]" in any language. */
static enum fa_status notice_rename(struct pureftpd_state *s,
                                    const struct sess *x, struct fa_str t,
                                    struct fa_event *out)
{
    const char *a = fa_memmem(t.ptr, t.len, ": [", 3);
    if (a == NULL || !str_ends(t, "]")) {
        return FA_SKIP;
    }
    size_t os = (size_t)(a - t.ptr) + 3;
    const char *arrow = fa_memmem(t.ptr + os, t.len - os, "]->[", 4);
    if (arrow == NULL) {
        return FA_SKIP;
    }
    size_t oe = (size_t)(arrow - t.ptr);
    size_t ns = oe + 4;
    if (ns >= t.len) {
        return FA_SKIP;
    }
    out->action = FA_ACT_RENAME;
    out->outcome = FA_OUT_SUCCESS;
    out->path = join(s->path, sizeof(s->path), sess_cwd(x), sub(t.ptr, os, oe));
    out->path2 = join(s->path2, sizeof(s->path2), sess_cwd(x),
                      sub(t.ptr, ns, t.len - 1));
    return FA_OK;
}

/* "Deleted <path>" (en); "<path> detruit" (fr), "<path> gelöscht." (de,
 * UTF-8 or Latin-1).  Paths begin with the root directory, "/". */
static enum fa_status notice_delete(struct pureftpd_state *s,
                                    struct fa_str t, struct fa_event *out)
{
    static const char *const suffixes[] = {" detruit", " gel\xc3\xb6scht.",
                                           " gel\xf6scht."};
    struct fa_str path = FA_STR_NULL;
    if (str_starts(t, "Deleted /")) {
        path = sub(t.ptr, 8, t.len);
    } else if (t.len > 0 && t.ptr[0] == '/') {
        for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
            if (str_ends(t, suffixes[i])) {
                path = sub(t.ptr, 0, t.len - strlen(suffixes[i]));
                break;
            }
        }
    }
    if (path.len == 0) {
        return FA_SKIP;
    }
    out->action = FA_ACT_DELETE;
    out->outcome = FA_OUT_SUCCESS;
    out->path = squeeze(s->path, sizeof(s->path), path);
    return FA_OK;
}

/* A failed login, English or any other language: the only WARNING an
 * unauthenticated session ("?") writes with one "[user]" in it.  The
 * bracket sits at the end in most languages, inside the sentence in the
 * Hungarian, Turkish, Korean and Chinese ones (legacy-encoded bytes are
 * only compared, never decoded). */
static enum fa_status warning_auth(const struct frame *f, struct fa_str t,
                                   struct fa_event *out)
{
    static const char en[] = "Authentication failed for user [";
    struct fa_str user;
    if (str_starts(t, en) && str_ends(t, "]")) {
        user = sub(t.ptr, sizeof(en) - 1, t.len - 1);
    } else {
        if (!fa_str_eq(f->account, "?")) {
            return FA_SKIP;
        }
        const char *o = memchr(t.ptr, '[', t.len);
        const char *c = fa_memrmem(t.ptr, t.len, "]", 1);
        if (o == NULL || c == NULL || c < o) {
            return FA_SKIP;
        }
        struct fa_str before = sub(t.ptr, 0, (size_t)(o - t.ptr));
        struct fa_str after = sub(t.ptr, (size_t)(c - t.ptr) + 1, t.len);
        /* "Wrong SQL parameters : [query]", "... this IP: [ip]" and
         * "puredb: [x] => [y]" are not logins. */
        struct fa_str tb = fa_trim(before);
        if ((before.len == 0 && after.len == 0) || str_ends(tb, ":") ||
            memchr(after.ptr, '[', after.len) != NULL ||
            memchr(after.ptr, ']', after.len) != NULL || after.len > 80 ||
            str_starts(t, "puredb:") || str_starts(t, "Spawning")) {
            return FA_SKIP;
        }
        user = sub(o + 1, 0, (size_t)(c - o - 1));
    }
    out->action = FA_ACT_LOGIN;
    out->outcome = FA_OUT_FAILURE;
    out->user = user;
    out->detail = t;
    return FA_OK;
}

/* "550 Could not delete <name>: <strerror>": the name, from byte `from`
 * to the last ": " (strerror texts hold none). */
static struct fa_str reply_name(struct fa_str t, size_t from)
{
    const char *colon = fa_memrmem(t.ptr + from, t.len - from, ": ", 2);
    return sub(t.ptr, from, colon != NULL ? (size_t)(colon - t.ptr) : t.len);
}

/* Replies logged by -d -d, English only: "257 ..." after MKD, "250 ..."
 * after RMD, "200 Permissions changed on x" after SITE CHMOD, the working
 * directory, and "Command [verb] [arg]" remembered for the next reply. */
static enum fa_status debug_line(struct pureftpd_state *s, struct sess *x,
                                 struct fa_str t, struct fa_event *out)
{
    if (x == NULL) {
        return FA_SKIP;
    }
    if (str_starts(t, "Command [")) {
        const char *mid = fa_memmem(t.ptr, t.len, "] [", 3);
        if (mid == NULL || !str_ends(t, "]")) {
            return FA_SKIP;
        }
        size_t ce = (size_t)(mid - t.ptr);
        struct fa_str cmd = sub(t.ptr, 9, ce);
        struct fa_str arg = sub(t.ptr, ce + 3, t.len - 1);
        copy_into(x->cmd, sizeof(x->cmd), &x->cmdlen, cmd);
        copy_into(x->arg, sizeof(x->arg), &x->arglen, arg);
        if (fa_str_eq(cmd, "user")) {
            copy_into(x->user, sizeof(x->user), &x->userlen, arg);
        }
        return FA_SKIP;
    }
    if (t.len < 4 || !all_digits(sub(t.ptr, 0, 3)) || t.ptr[3] != ' ') {
        return FA_SKIP; /* banners, "226-..." continuations */
    }
    struct fa_str cmd = fa_str_make(x->cmd, x->cmdlen);
    struct fa_str arg = fa_str_make(x->arg, x->arglen);
    struct fa_str r = sub(t.ptr, 4, t.len);
    static const char *const cwd_replies[] = {
        "OK. Current directory is ", "OK. Current restricted directory is "};
    for (size_t i = 0; i < 2; i++) {
        if (str_starts(r, cwd_replies[i])) {
            size_t n = strlen(cwd_replies[i]);
            copy_into(x->cwd, sizeof(x->cwd), &x->cwdlen,
                      sub(r.ptr, n, r.len));
            return FA_SKIP;
        }
    }
    /* Prefix and suffix must not overlap: '"' belongs to both. */
    if (t.len >= 31 && str_starts(t, "257 \"") &&
        str_ends(t, "\" is your current location")) {
        copy_into(x->cwd, sizeof(x->cwd), &x->cwdlen,
                  sub(t.ptr, 5, t.len - 26));
        return FA_SKIP;
    }
    static const char mkd_ok[] = "\" : The directory was successfully created";
    if (t.len >= 5 + sizeof(mkd_ok) - 1 && str_starts(t, "257 \"") &&
        str_ends(t, mkd_ok)) {
        out->action = FA_ACT_MKDIR;
        out->outcome = FA_OUT_SUCCESS;
        out->path = join(s->path, sizeof(s->path), sess_cwd(x),
                         sub(t.ptr, 5, t.len - (sizeof(mkd_ok) - 1)));
    } else if (str_starts(t, "200 Permissions changed on ")) {
        out->action = FA_ACT_CHMOD;
        out->outcome = FA_OUT_SUCCESS;
        out->path = join(s->path, sizeof(s->path), sess_cwd(x),
                         sub(t.ptr, 27, t.len));
        /* "Command [site] [CHMOD 600 notes.txt]": the mode. */
        if (fa_str_eq(cmd, "site") && str_starts(arg, "CHMOD ")) {
            size_t e = 6;
            while (e < arg.len && arg.ptr[e] != ' ') {
                e++;
            }
            /* Points into the session; it stays until the next line. */
            out->detail = sub(arg.ptr, 6, e);
        }
    } else if (str_starts(t, "550 Could not change perms on ")) {
        out->action = FA_ACT_CHMOD;
        out->outcome = FA_OUT_FAILURE;
        out->detail = r;
        out->path = join(s->path, sizeof(s->path), sess_cwd(x),
                         reply_name(t, 30));
    } else if (str_starts(t, "550 Could not delete ")) {
        out->action = FA_ACT_DELETE;
        out->outcome = FA_OUT_FAILURE;
        out->detail = r;
        out->path = join(s->path, sizeof(s->path), sess_cwd(x),
                         reply_name(t, 21));
    } else if ((fa_str_eq(cmd, "rmd") || fa_str_eq(cmd, "xrmd")) &&
               (str_starts(t, "250 The directory was successfully removed") ||
                str_starts(t, "550 Can't remove directory"))) {
        out->action = FA_ACT_RMDIR;
        out->outcome = t.ptr[0] == '2' ? FA_OUT_SUCCESS : FA_OUT_FAILURE;
        out->path = join(s->path, sizeof(s->path), sess_cwd(x), arg);
        if (out->outcome == FA_OUT_FAILURE) {
            out->detail = r;
        }
    } else if ((fa_str_eq(cmd, "mkd") || fa_str_eq(cmd, "xmkd")) &&
               str_starts(t, "550 Can't create directory")) {
        out->action = FA_ACT_MKDIR;
        out->outcome = FA_OUT_FAILURE;
        out->path = join(s->path, sizeof(s->path), sess_cwd(x), arg);
        out->detail = r;
    } else {
        return FA_SKIP;
    }
    x->cmdlen = 0; /* one reply per command */
    return out->path.len > 0 ? FA_OK : FA_SKIP;
}

/* tcp_wrappers in front of Pure-FTPd (Debian's pure-ftpd-wrapper):
 * "connect from  192.168.20.10 (192.168.20.10)", "refused connect from". */
static enum fa_status wrapper_line(struct fa_str m, struct fa_event *out)
{
    bool refused = false;
    if (str_starts(m, "refused connect from ")) {
        refused = true;
        m = sub(m.ptr, 21, m.len);
    } else if (str_starts(m, "connect from ")) {
        m = sub(m.ptr, 13, m.len);
    } else {
        return FA_SKIP;
    }
    m = fa_trim(m);
    size_t i = 0;
    while (i < m.len && m.ptr[i] != ' ') {
        i++;
    }
    struct fa_str name = sub(m.ptr, 0, i);
    struct fa_str ip = name;
    /* "name (a.b.c.d)": the address in parentheses wins. */
    const char *o = memchr(m.ptr + i, '(', m.len - i);
    if (o != NULL && str_ends(m, ")")) {
        struct fa_str in = sub(o + 1, 0, (size_t)(m.ptr + m.len - 1 - (o + 1)));
        if (fa_is_ip(in)) {
            ip = in;
        }
    }
    /* "user@host" when identd answered. */
    const char *at = fa_memrmem(ip.ptr, ip.len, "@", 1);
    if (at != NULL) {
        ip = sub(at + 1, 0, (size_t)(ip.ptr + ip.len - at - 1));
    }
    if (ip.len == 0) {
        return FA_SKIP;
    }
    out->action = FA_ACT_CONNECT;
    out->outcome = refused ? FA_OUT_FAILURE : FA_OUT_SUCCESS;
    out->proto = FA_PROTO_FTP;
    out->ip = client(ip);
    return FA_OK;
}

static bool starts_any(struct fa_str t, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (str_starts(t, list[i])) {
            return true;
        }
    }
    return false;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const connect_msgs[] = {
    "New connection from ", "Nouvelle connexion de ", "Neue Verbindung von "};
static const char *const login_suffixes[] = {
    " is now logged in", " est maintenant loggue", " ist jetzt eingeloggt."};
static const char *const anon_msgs[] = {
    "Anonymous user logged in", "Utilisateur anonyme loggue",
    "Anonymer Benutzer angemeldet", "Anonymer Benutzer im virtuellen FTP"};
static const char *const logout_msgs[] = {"Logout.", "Deloggue."};
static const char *const timeout_msgs[] = {
    "Timeout", "Temps de reponse depasse", "Zeit\xc3\xbc" "berschreitung",
    "Zeit\xfc" "berschreitung"};
static const char *const toomany_msgs[] = {
    "Too many authentication failures", "Trop d'echecs d'authentification",
    "Zu viele Authentifizierungsfehler"};

static enum fa_status info_line(struct pureftpd_state *s,
                                const struct frame *f, uint32_t pid,
                                struct fa_event *out)
{
    struct fa_str t = f->text;
    if (starts_any(t, connect_msgs, COUNT(connect_msgs))) {
        /* A new session: forget what the pid/client said before. */
        struct sess *x = sess_find(s, pid, f->host, true);
        if (x != NULL) {
            uint64_t tick = x->tick;
            memset(x, 0, sizeof(*x));
            x->tick = tick;
            x->pid = pid;
            x->hostlen = f->host.len;
            memcpy(x->host, f->host.ptr, f->host.len);
        }
        fill(s, f, x, pid, out);
        out->action = FA_ACT_CONNECT;
        out->outcome = FA_OUT_SUCCESS;
        return FA_OK;
    }
    if (str_starts(t, "SSL/TLS: ") || str_starts(t, "TLS: ")) {
        /* Nothing to report by itself; the session is FTPS from now on. */
        struct sess *x = sess_find(s, pid, f->host, true);
        if (x != NULL) {
            x->tls = true;
        }
        return FA_SKIP;
    }
    struct sess *x = sess_find(s, pid, f->host, false);
    for (size_t i = 0; i < COUNT(login_suffixes); i++) {
        if (str_ends(t, login_suffixes[i]) &&
            t.len > strlen(login_suffixes[i])) {
            fill(s, f, x, pid, out);
            out->action = FA_ACT_LOGIN;
            out->outcome = FA_OUT_SUCCESS;
            out->user = sub(t.ptr, 0, t.len - strlen(login_suffixes[i]));
            return FA_OK;
        }
    }
    if (starts_any(t, anon_msgs, COUNT(anon_msgs))) {
        fill(s, f, x, pid, out);
        out->action = FA_ACT_LOGIN;
        out->outcome = FA_OUT_SUCCESS;
        out->anonymous = true;
        /* Pure-FTPd serves anonymous sessions as the system "ftp" user. */
        out->user = FA_STR_LIT("ftp");
        return FA_OK;
    }
    bool logout = false, timeout = false;
    for (size_t i = 0; i < COUNT(logout_msgs); i++) {
        logout = logout || fa_str_eq(t, logout_msgs[i]);
    }
    timeout = starts_any(t, timeout_msgs, COUNT(timeout_msgs));
    if (logout || timeout) {
        fill(s, f, x, pid, out);
        out->action = FA_ACT_LOGOUT;
        out->outcome = FA_OUT_SUCCESS;
        if (timeout) {
            out->detail = t;
        }
        if (x != NULL) {
            x->tick = 0; /* the session is over: free its slot */
        }
        return FA_OK;
    }
    return FA_SKIP;
}

/* An AltLog record sent to syslog ("-O clf:syslog", a Debian patch whose
 * output was not seen here: read with or without the "(account@host)
 * [LEVEL]" prefix).  The envelope's time is kept when there is one. */
static enum fa_status altlog_line(struct pureftpd_state *s,
                                  const struct fa_envelope *env,
                                  struct fa_str m, struct fa_event *out)
{
    int64_t t = out->time_us;
    int32_t off = out->utc_offset;
    enum fa_tzsrc src = out->tz_source;
    const char *w;
    struct fa_event ev = *out;
    enum fa_status st = stats_core(m.ptr, m.len, &ev, &w);
    if (st != FA_OK) {
        ev = *out;
        st = clf_core(s->alt.path, m.ptr, m.len, &ev, &w);
    }
    if (st != FA_OK) {
        ev = *out;
        st = w3c_core(s->alt.path, m.ptr, m.len, &ev, &w);
    }
    if (st != FA_OK) {
        return FA_SKIP;
    }
    *out = ev;
    if (env->has_time) {
        out->time_us = t;
        out->utc_offset = off;
        out->tz_source = src;
    }
    return FA_OK;
}

static enum fa_status pureftpd_msg(void *state, const struct fa_envelope *env,
                                   struct fa_event *out, const char **why)
{
    struct pureftpd_state *s = state;
    struct fa_str m = env->msg;
    if (str_starts(m, "connect from ") ||
        str_starts(m, "refused connect from ")) {
        return wrapper_line(m, out);
    }
    struct frame f;
    if (m.len == 0 || m.ptr[0] != '(') {
        /* PAM (pam_unix(pure-ftpd:auth): authentication failure ... says
         * the same as the "[WARNING] Authentication failed" line that
         * follows, without the client address: skipped), start-up
         * notices, and AltLog lines sent to syslog (-O clf:syslog, a
         * Debian patch). */
        if (!str_starts(m, "pam_")) {
            return altlog_line(s, env, m, out);
        }
        return FA_SKIP;
    }
    if (!read_frame(m, &f)) {
        *why = "no '(account@host) [LEVEL] ' prefix";
        return FA_INVALID;
    }
    uint32_t pid = env->pid;
    struct sess *x;
    enum fa_status st = FA_SKIP;
    switch (f.level) {
    case LV_INFO:
        st = info_line(s, &f, pid, out);
        return st == FA_SKIP ? altlog_line(s, env, f.text, out) : st;
    case LV_NOTICE:
        x = sess_find(s, pid, f.host, false);
        fill(s, &f, x, pid, out);
        st = notice_transfer(s, f.text, out);
        if (st == FA_SKIP) {
            st = notice_delete(s, f.text, out);
        }
        if (st == FA_SKIP) {
            st = notice_rename(s, x, f.text, out);
        }
        return st == FA_SKIP ? altlog_line(s, env, f.text, out) : st;
    case LV_WARNING:
        x = sess_find(s, pid, f.host, false);
        fill(s, &f, x, pid, out);
        return warning_auth(&f, f.text, out);
    case LV_ERROR:
        x = sess_find(s, pid, f.host, false);
        if (!starts_any(f.text, toomany_msgs, COUNT(toomany_msgs))) {
            return FA_SKIP;
        }
        /* The attempt that hit the limit is logged only as this line. */
        fill(s, &f, x, pid, out);
        out->action = FA_ACT_LOGIN;
        out->outcome = FA_OUT_FAILURE;
        out->detail = f.text;
        if (x != NULL && x->userlen > 0) {
            out->user = fa_str_make(x->user, x->userlen);
        }
        return FA_OK;
    case LV_DEBUG:
        /* Created here too: a file may begin in mid-session. */
        x = sess_find(s, pid, f.host, true);
        fill(s, &f, x, pid, out);
        return debug_line(s, x, f.text, out);
    }
    return FA_SKIP;
}

const struct fa_syslog_daemon fa_syslog_pureftpd = {
    .name = "pureftpd",
    .daemon = FA_DAEMON_PUREFTPD,
    .state_size = sizeof(struct pureftpd_state),
    .match = pureftpd_match,
    .parse_msg = pureftpd_msg,
};

/* ------------------------------------------------------------------ */
/* AltLog file parsers                                                 */

/* Share of sample lines a core reads: 0 when under half, else 60..95. */
static int probe_share(size_t hits, size_t n)
{
    if (hits == 0 || hits * 2 < n) {
        return 0;
    }
    return (int)(60 + 35 * hits / n);
}

static int pureftpd_clf_probe(const struct fa_line *l, size_t n)
{
    size_t hits = 0;
    for (size_t i = 0; i < n; i++) {
        struct fa_event ev;
        const char *why;
        fa_event_clear(&ev);
        if (clf_core(NULL, l[i].ptr, l[i].len, &ev, &why) == FA_OK) {
            hits++;
        } else if (fa_memmem(l[i].ptr, l[i].len, " HTTP/", 6) != NULL) {
            return 0; /* a web server's access log */
        }
    }
    return probe_share(hits, n);
}

static enum fa_status pureftpd_clf_parse(void *state, const struct fa_line *l,
                                         struct fa_event *out,
                                         const char **why)
{
    struct alt_state *a = state;
    enum fa_status st = clf_core(a->path, l->ptr, l->len, out, why);
    out->daemon = FA_DAEMON_PUREFTPD;
    return st;
}

const struct fa_parser fa_parser_pureftpd_clf = {
    .name = "pureftpd-clf",
    .summary = "Pure-FTPd AltLog clf (-O clf:FILE): transfers, HTTP-like",
    .state_size = sizeof(struct alt_state),
    .probe_lines = 20,
    .probe = pureftpd_clf_probe,
    .parse = pureftpd_clf_parse,
};

static int pureftpd_stats_probe(const struct fa_line *l, size_t n)
{
    size_t hits = 0;
    for (size_t i = 0; i < n; i++) {
        struct fa_event ev;
        const char *why;
        fa_event_clear(&ev);
        hits += stats_core(l[i].ptr, l[i].len, &ev, &why) == FA_OK;
    }
    return probe_share(hits, n);
}

static enum fa_status pureftpd_stats_parse(void *state,
                                           const struct fa_line *l,
                                           struct fa_event *out,
                                           const char **why)
{
    (void)state;
    enum fa_status st = stats_core(l->ptr, l->len, out, why);
    out->daemon = FA_DAEMON_PUREFTPD;
    return st;
}

const struct fa_parser fa_parser_pureftpd_stats = {
    .name = "pureftpd-stats",
    .summary = "Pure-FTPd AltLog stats (-O stats:FILE): transfers, epoch",
    .state_size = 1,
    .probe_lines = 20,
    .probe = pureftpd_stats_probe,
    .parse = pureftpd_stats_parse,
};

static int pureftpd_w3c_probe(const struct fa_line *l, size_t n)
{
    size_t hits = 0, data = 0;
    for (size_t i = 0; i < n; i++) {
        if (fa_starts(l[i].ptr, l[i].len, "#Software: Pure-FTPd")) {
            return 98;
        }
        if (l[i].len > 0 && l[i].ptr[0] == '#') {
            continue;
        }
        struct fa_event ev;
        const char *why;
        fa_event_clear(&ev);
        data++;
        hits += w3c_core(NULL, l[i].ptr, l[i].len, &ev, &why) == FA_OK;
    }
    return probe_share(hits, data);
}

static enum fa_status pureftpd_w3c_parse(void *state, const struct fa_line *l,
                                         struct fa_event *out,
                                         const char **why)
{
    struct alt_state *a = state;
    enum fa_status st = w3c_core(a->path, l->ptr, l->len, out, why);
    out->daemon = FA_DAEMON_PUREFTPD;
    return st;
}

const struct fa_parser fa_parser_pureftpd_w3c = {
    .name = "pureftpd-w3c",
    .summary = "Pure-FTPd AltLog w3c (-O w3c:FILE): transfers, GMT",
    .state_size = sizeof(struct alt_state),
    .probe_lines = 20,
    .probe = pureftpd_w3c_probe,
    .parse = pureftpd_w3c_parse,
};
