#define _GNU_SOURCE /* memrchr */
/*
 * vsftpd: its own log (vsftpd_log_file, xferlog_std_format=NO) and the same
 * records through syslog (syslog_enable=YES), plus the PAM lines that come
 * with them.
 *
 * vsftpd_log_file (logging.c vsf_log_do_log_vsftpd_format):
 *   Thu Nov 26 12:41:58 2026 [pid 8038] CONNECT: Client "127.0.0.10"
 *   Thu Nov 26 12:41:58 2026 [pid 8037] [alice] OK LOGIN: Client "127.0.0.10"
 *   Thu Nov 26 12:41:58 2026 [pid 8039] [alice] OK DOWNLOAD: Client "127.0.0.10", "/tmp/e2e/home/alice/public_html/index.html", 189 bytes, 671.16Kbyte/sec
 *   Thu Nov 26 12:42:06 2026 [pid 8199] [bob] OK RENAME: Client "127.0.0.20", "/tmp/e2e/home/bob/public_html/index.html /tmp/e2e/home/bob/public_html/old/index.html.bak"
 *   Thu Nov 26 12:42:06 2026 [pid 8199] [bob] OK CHMOD: Client "127.0.0.20", "/tmp/e2e/home/bob/public_html/notes.txt 600"
 *   Mon Aug 21 14:32:06 2006 [pid 20127] [ftp] OK LOGIN: Client "127.0.0.1", anon password "lala@"
 *   Thu Sep  8 00:39:49 2016 [pid 15019] [guest] FAIL LOGIN: Client "::ffff:192.0.2.1", "User is not in the allow user list."
 *   Sat Feb  8 20:17:39 2020 [pid 2] [crio-user] FTP command: Client "127.0.0.1", "PASS <password>"
 *   Wed Feb 19 18:57:54 2020 [pid 2] DEBUG: Client "122.174.136.159", "SSL version: TLSv1/SSLv3, ..."
 *
 * syslog_enable=YES drops the date and "[pid N] " (the envelope has both):
 *   Nov 26 12:42:37 vm vsftpd[8761]: [admin] FAIL LOGIN: Client "127.0.0.66"
 *   Nov 26 12:42:35 vm vsftpd[8768]: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=alice rhost=127.0.0.66  user=alice
 *   Oct 11 01:06:47 ServerJV vsftpd: (pam_unix) authentication failure; logname= uid=0 euid=0 tty= ruser= rhost=209.67.1.67
 *
 * Upstream: vsftpd 3.0.x logging.c, privops.c (handle_login), prelogin.c,
 * postlogin.c (handle_rnto, handle_site_chmod), ftpcmdio.c.  Samples: shared
 * corpus vsftpd/ and real-servers/vsftpd-*.log (vsftpd 3.0.3, Debian 12).
 *
 * Which "] VERB: Client " is the real one.  The user name and the quoted
 * argument are both client text and may hold a forged record, so a line is
 * read at every "] " that is followed by a keyword, and each reading is
 * checked against what vsftpd can write there:
 *  - vsftpd refuses a login for a user name holding a space or a control
 *    byte before asking PAM (privops.c handle_login), so OK LOGIN and every
 *    post-login record (transfers, MKDIR, ...) carry such a name; forged
 *    text always holds spaces, so for these only the first "] " can be it;
 *  - each verb's tail has a fixed shape anchored at the end of the line:
 *    transfers end in ", N bytes, R Kbyte/sec"; an anonymous password has no
 *    space (spaces become '_'); a FAIL LOGIN or CONNECT reason has no '"'.
 * A line with exactly one valid reading gives that event.  One with two or
 * more is ambiguous (only a crafted name or argument makes that) and is
 * reported as malformed rather than guessed: no forged event comes out.
 *
 * Glued records (a vsftpd message written without its newline, then the
 * next record on the same line) are split only when the line as a whole
 * has no valid reading, at the one embedded "<date> [pid N]" where both
 * halves are valid; the first half's event comes with FA_AGAIN.
 */
#include <stdint.h>
#include <string.h>

#include "registry.h"
#include "strutil.h"
#include "syslog.h"

/* Longest name remembered as the anonymous account (ftp_username). */
#define ANON_USER_MAX 64
/* Embedded "<date> [pid" candidates tried on one line. */
#define SPLIT_MAX 16
/* Raw continuation lines of one multi-line reply accepted as such. */
#define CONT_MAX 64
/* RENAME: candidate split points scored, and bytes compared per point. */
#define RENAME_CAND_MAX 256
#define RENAME_CMP_MAX 4096
/* Longest ctime stamp kept in the stamp cache ("Thu Nov 26 12:41:58 2026"
 * is 24 bytes; month_day_time may take a few more spaces). */
#define STAMP_CACHE_MAX 32

/* Client addresses found valid lately, by a hash of their text: most
 * lines name an address a line near them named too (a session's lines;
 * 86% hits with 256 slots on the benchmark's log), and checking one costs
 * more than looking it up.  len 0: an empty slot. */
#define IP_MEMO_SLOTS 256
#define IP_MEMO_TEXT 46 /* INET6_ADDRSTRLEN less its NUL, and one */

struct ip_memo {
    uint8_t len;
    char text[IP_MEMO_TEXT + 1];
};

struct vsftpd_state {
    const struct fa_ctx *ctx;
    struct ip_memo ip_seen[IP_MEMO_SLOTS];
    /* FA_AGAIN: the line holds a second record starting at again_off. */
    bool again;
    uint64_t again_line;
    const char *again_ptr;
    size_t again_len;
    size_t again_off;
    /* A reply's quoted text was cut by a raw line break: lines left. */
    unsigned open_reply;
    /* The account anonymous sessions are logged under (ftp_username). */
    char anon_user[ANON_USER_MAX];
    size_t anon_user_len;
    /* The last stamp read and its value: consecutive records mostly share
     * their second, and each line's stamp is read twice (is it a record,
     * then the record). */
    char stamp[STAMP_CACHE_MAX];
    size_t stamp_len;   /* 0: none yet */
    int64_t stamp_us;
    int32_t stamp_off;
    /* The line whose stamp that is, until the next line comes: its second
     * reading is then a pointer compare. */
    const char *stamp_at;
    size_t stamp_at_len;
    /* The cached stamp's minute, when every second of it maps to the
     * same offset (no clock change inside it): minute_us is its second
     * 00, and a stamp differing only in its seconds is minute_us + ss. */
    bool minute_ok;
    int64_t minute_us;
};

enum verb {
    VERB_CONNECT,
    VERB_COMMAND,
    VERB_RESPONSE,
    VERB_DEBUG,
    VERB_LOGIN,
    VERB_UPLOAD,
    VERB_DOWNLOAD,
    VERB_MKDIR,
    VERB_RMDIR,
    VERB_DELETE,
    VERB_RENAME,
    VERB_CHMOD,
};

struct keyword {
    const char *text;
    size_t len;
    enum verb verb;
};

#define KW(s, v) {s, sizeof(s) - 1, v}

/* Written without OK/FAIL. */
static const struct keyword plain_kw[] = {
    KW("CONNECT", VERB_CONNECT),
    KW("FTP command", VERB_COMMAND),
    KW("FTP response", VERB_RESPONSE),
    KW("DEBUG", VERB_DEBUG),
};

/* After "OK " or "FAIL ". */
static const struct keyword okfail_kw[] = {
    KW("LOGIN", VERB_LOGIN),   KW("UPLOAD", VERB_UPLOAD),
    KW("DOWNLOAD", VERB_DOWNLOAD), KW("MKDIR", VERB_MKDIR),
    KW("RMDIR", VERB_RMDIR),   KW("DELETE", VERB_DELETE),
    KW("RENAME", VERB_RENAME), KW("CHMOD", VERB_CHMOD),
};

#define NKW(a) (sizeof(a) / sizeof((a)[0]))

static const char client_lit[] = ": Client \"";
#define CLIENT_LEN (sizeof(client_lit) - 1)
static const char anon_lit[] = ", anon password \"";
#define ANON_LEN (sizeof(anon_lit) - 1)

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */

/* The steps of reading every line below are FA_INLINE, made part of
 * their caller: the calls' register saves and restores were a twentieth
 * of reading a line. */

static bool is_digit(char c)
{
    return (unsigned)((unsigned char)c - '0') <= 9;
}

static struct fa_str sub(const char *p, size_t from, size_t to)
{
    return fa_str_make(p + from, to - from);
}

static bool eq_nocase(struct fa_str s, const char *lit)
{
    size_t n = strlen(lit);
    if (s.len != n) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s.ptr[i];
        if (c >= 'A' && c <= 'Z') {
            c = (char)(c - 'A' + 'a');
        }
        if (c != lit[i]) {
            return false;
        }
    }
    return true;
}

/* "[pid N]" at p: returns bytes used (0: none) and the pid.  N has 1 to
 * 10 digits. */
FA_INLINE size_t read_pid(const char *p, size_t len, uint32_t *pid)
{
    if (!fa_starts(p, len, "[pid ")) {
        return 0;
    }
    size_t end = len < 5 + 11 ? len : 5 + 11, i = 5;
    if (len >= 5 + 8) {
        /* Pids of up to seven digits and the ']' after them, from one
         * word. */
        uint64_t w = fa_load8(p + 5);
        uint64_t nd = fa_word_nondigit(w);
        unsigned k = nd != 0 ? (unsigned)__builtin_ctzll(nd) / 8 : 8;
        if (k < 8) {
            if (k == 0 || p[5 + k] != ']') {
                return 0;
            }
            *pid = (uint32_t)fa_word_digits(w, k);
            return 5 + k + 1;
        }
    }
    uint64_t v = 0;
    for (; i < end && is_digit(p[i]); i++) {
        v = v * 10 + (uint64_t)(p[i] - '0');
    }
    size_t n = i - 5;
    if (n == 0 || n > 10 || i >= len || p[i] != ']') {
        return 0;
    }
    *pid = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
    return i + 1;
}

/* ------------------------------------------------------------------ */
/* One record body: "[user] OK VERB: Client "ip"<tail>" (or no user)   */

/* Facts about the body computed once, so that each candidate reading is
 * checked in constant time (a hostile 64 KiB line may hold thousands of
 * "] " pairs).  The last space and the quotes are looked for only when a
 * reading first asks (a few verbs do), then kept. */
#define BODY_UNSET SIZE_MAX

struct body {
    const char *p;
    size_t len;
    size_t first_sp; /* first ' ' (len if none) */
    size_t last_sp;  /* last ' ' (len if none; BODY_UNSET: not yet) */
    size_t q_prev;   /* the '"' before the last one (len if none; ...) */
    bool strict;     /* no unterminated reply text (glued halves) */
    struct ip_memo *ip_seen; /* the state's, IP_MEMO_SLOTS of them */
};

static void body_init(struct body *b, const char *p, size_t len, bool strict,
                      struct ip_memo *ip_seen)
{
    b->ip_seen = ip_seen;
    b->p = p;
    b->len = len;
    b->strict = strict;
    const char *f = memchr(p, ' ', len);
    b->first_sp = f != NULL ? (size_t)(f - p) : len;
    b->last_sp = b->q_prev = BODY_UNSET;
}

static size_t body_last_sp(struct body *b)
{
    if (b->last_sp == BODY_UNSET) {
        b->last_sp = b->len;
        if (b->first_sp < b->len) {
            b->last_sp =
                (size_t)((const char *)memrchr(b->p, ' ', b->len) - b->p);
        }
    }
    return b->last_sp;
}

static size_t body_q_prev(struct body *b)
{
    if (b->q_prev == BODY_UNSET) {
        b->q_prev = b->len;
        const char *q = memrchr(b->p, '"', b->len);
        if (q != NULL) {
            const char *q2 = memrchr(b->p, '"', (size_t)(q - b->p));
            if (q2 != NULL) {
                b->q_prev = (size_t)(q2 - b->p);
            }
        }
    }
    return b->q_prev;
}

/* fa_is_ip, through the memo of addresses already found valid. */
FA_INLINE bool client_ip_ok(struct ip_memo *memo, struct fa_str ip)
{
    if (ip.len < 4 || ip.len > IP_MEMO_TEXT) {
        return fa_is_ip(ip);
    }
    uint64_t a, z;
    if (ip.len >= 8) {
        memcpy(&a, ip.ptr, 8);
        memcpy(&z, ip.ptr + ip.len - 8, 8);
    } else {
        uint32_t a4, z4;
        memcpy(&a4, ip.ptr, 4);
        memcpy(&z4, ip.ptr + ip.len - 4, 4);
        a = a4;
        z = z4;
    }
    uint64_t h = ((a * 0x9E3779B97F4A7C15ULL) ^ z ^ ip.len) *
                 0xBF58476D1CE4E5B9ULL;
    struct ip_memo *m = &memo[h >> 56 & (IP_MEMO_SLOTS - 1)];
    if (m->len == ip.len && fa_same(m->text, ip.ptr, ip.len)) {
        return true;
    }
    if (!fa_is_ip(ip)) {
        return false;
    }
    m->len = (uint8_t)ip.len;
    memcpy(m->text, ip.ptr, ip.len);
    return true;
}

/* One way of reading the body. */
struct reading {
    enum verb verb;
    bool ok;          /* OK (or no OK/FAIL word) */
    bool skip;        /* DEBUG: valid, no event */
    bool unterminated;/* reply text cut by a raw line break */
    struct fa_str user;
    struct fa_str ip;
    struct fa_str text;  /* quoted argument: path, command, reason */
    struct fa_str anon;  /* anonymous password */
    int64_t bytes;
};

/* Keyword at k followed by ': Client "'.  Returns the offset of the
 * address, 0 when there is none. */
FA_INLINE size_t match_keyword(const struct body *b, size_t k,
                               struct reading *r)
{
    const char *p = b->p + k;
    size_t len = b->len - k;
    const struct keyword *tab = plain_kw;
    size_t ntab = NKW(plain_kw), skip = 0;
    r->ok = true;
    if (fa_starts(p, len, "OK ")) {
        tab = okfail_kw;
        ntab = NKW(okfail_kw);
        skip = 3;
    } else if (fa_starts(p, len, "FAIL ")) {
        tab = okfail_kw;
        ntab = NKW(okfail_kw);
        skip = 5;
        r->ok = false;
    }
    for (size_t i = 0; i < ntab; i++) {
        size_t n = skip + tab[i].len;
        /* The first byte first: a call to memcmp per keyword was a
         * tenth of reading a line. */
        if (len >= n + CLIENT_LEN && p[skip] == tab[i].text[0] &&
            fa_same(p + skip, tab[i].text, tab[i].len) &&
            fa_same(p + n, client_lit, CLIENT_LEN)) {
            r->verb = tab[i].verb;
            return k + n + CLIENT_LEN;
        }
    }
    return 0;
}

/* The verbs whose user has logged in (or is logging in successfully). */
static bool needs_login_name(const struct reading *r)
{
    switch (r->verb) {
    case VERB_CONNECT:
    case VERB_COMMAND:
    case VERB_RESPONSE:
    case VERB_DEBUG:
        return false;
    case VERB_LOGIN:
        return r->ok;
    default:
        return true;
    }
}

/* A name vsftpd would let log in: no space and no control byte. */
FA_INLINE bool login_name_ok(const struct body *b, size_t from, size_t to)
{
    if (b->first_sp < to) {
        return false;
    }
    size_t i = from;
    for (; i + 8 <= to; i += 8) {
        uint64_t v = fa_load8(b->p + i);
        if ((fa_word_ctl(v) | fa_word_eq(v, 0x7f)) != 0) {
            return false;
        }
    }
    if (i < to && i + 8 <= b->len) {
        /* The rest from one word, the bytes past the name masked off
         * (the exact tests: a flag must not spill into the name). */
        uint64_t v = fa_load8(b->p + i);
        uint64_t bad = fa_word_in(v, 0, 0x1f) | fa_word_eq_exact(v, 0x7f);
        return (bad & (~0ULL >> (8 * (8 - (to - i))))) == 0;
    }
    for (; i < to; i++) {
        unsigned char c = (unsigned char)b->p[i];
        if (c < 0x20 || c == 0x7f) {
            return false;
        }
    }
    return true;
}

/* Tail ", "<text>"" up to the end of the body. */
static bool tail_quoted(const struct body *b, size_t t, struct fa_str *text)
{
    if (b->len < t + 4 || memcmp(b->p + t, ", \"", 3) != 0 ||
        b->p[b->len - 1] != '"') {
        return false;
    }
    *text = sub(b->p, t + 3, b->len - 1);
    return true;
}

/* The same, with no '"' inside (server-written reasons). */
static bool tail_reason(struct body *b, size_t t, struct fa_str *text)
{
    return tail_quoted(b, t, text) && body_q_prev(b) == t + 2;
}

static bool rate_char(char c)
{
    /* "%.2f" of a double: digits and '.', or inf / nan / -nan. */
    return is_digit(c) || c == '.' || c == '-' || (c >= 'a' && c <= 'z');
}

/* Top bit of each byte of v that rate_char refuses. */
FA_INLINE uint64_t word_not_rate(uint64_t v)
{
    uint64_t ok = fa_word_in(v, '0', '9') | fa_word_in(v, '-', '.') |
                  fa_word_in(v, 'a', 'z');
    return ~ok & 0x8080808080808080ULL;
}

/* Where the run of bytes that is_digit (digits) or rate_char (!digits)
 * accepts ends p[t..e), going back from e: the smallest s >= t with
 * p[s..e) all accepted.  Eight bytes a step while they lie in p. */
FA_INLINE size_t run_back(const char *p, size_t t, size_t e, bool digits)
{
    size_t s = e;
    while (s > t && s >= 8) {
        uint64_t w = fa_load8(p + s - 8);
        uint64_t bad = digits ? fa_word_nondigit(w) : word_not_rate(w);
        if (bad != 0) {
            size_t at = s - 8 + (size_t)(63 - __builtin_clzll(bad)) / 8 + 1;
            return at > t ? at : t;
        }
        s = s - t > 8 ? s - 8 : t;
    }
    while (s > t && (digits ? is_digit(p[s - 1]) : rate_char(p[s - 1]))) {
        s--;
    }
    return s;
}

/* Transfers: [", "<path>""] [", " N " bytes"] ", " R "Kbyte/sec", read from
 * the end, where vsftpd's own fields are. */
FA_INLINE bool tail_transfer(const struct body *b, size_t t, struct reading *r)
{
    const char *p = b->p;
    size_t e = b->len;
    if (e < t + 2 + 1 + 9 || !fa_ends(p + t, e - t, "Kbyte/sec")) {
        return false;
    }
    e -= 9;
    size_t s = run_back(p, t, e, false);
    if (s == e || s < t + 2 || p[s - 2] != ',' || p[s - 1] != ' ') {
        return false;
    }
    e = s - 2;
    r->bytes = 0; /* vsftpd leaves the field out when the count is 0 */
    if (fa_ends(p + t, e - t, " bytes")) {
        size_t d = e - 6, ds = run_back(p, t, d, true);
        if (ds == d || ds < t + 2 || p[ds - 2] != ',' || p[ds - 1] != ' ') {
            return false;
        }
        uint64_t v;
        if (d - ds <= 8 && d >= 8) {
            v = fa_word_digits_end(fa_load8(p + d - 8), (unsigned)(d - ds));
        } else {
            fa_parse_u64(p + ds, d - ds, &v);
        }
        r->bytes = v > INT64_MAX ? INT64_MAX : (int64_t)v;
        e = ds - 2;
    }
    if (e == t) {
        r->text = FA_STR_NULL;
        return true;
    }
    if (e < t + 4 || memcmp(p + t, ", \"", 3) != 0 || p[e - 1] != '"') {
        return false;
    }
    r->text = sub(p, t + 3, e - 1);
    return true;
}

/*
 * Check one reading: user in [ufrom, uto) (has_user), keyword at k.
 * Returns 1 when vsftpd could have written the body this way, 0 when it
 * could not (*why says why), -1 when no keyword is at k.
 */
FA_INLINE int try_reading(struct body *b, bool has_user, size_t ufrom,
                          size_t uto, size_t k, struct reading *r,
                          const char **why)
{
    memset(r, 0, sizeof(*r));
    r->bytes = -1;
    size_t a = match_keyword(b, k, r);
    if (a == 0) {
        *why = "no vsftpd keyword (CONNECT, OK/FAIL LOGIN, ...)";
        return -1;
    }
    if (has_user) {
        r->user = sub(b->p, ufrom, uto);
        if (r->verb == VERB_CONNECT) {
            *why = "CONNECT with a user name";
            return 0;
        }
        if (needs_login_name(r) && !login_name_ok(b, ufrom, uto)) {
            *why = "user name vsftpd would not let log in";
            return 0;
        }
    }
    /* The address: inet_ntop text, then the closing quote. */
    size_t room = b->len - a < 47 ? b->len - a : 47;
    const char *qt = memchr(b->p + a, '"', room);
    size_t i = qt != NULL ? (size_t)(qt - b->p) : b->len;
    if (qt == NULL) {
        *why = "client address not closed by '\"'";
        return 0;
    }
    r->ip = sub(b->p, a, i);
    if (!client_ip_ok(b->ip_seen, r->ip)) {
        *why = "client address is not an IP address";
        return 0;
    }
    size_t t = i + 1; /* the tail */
    bool empty = t == b->len;
    switch (r->verb) {
    case VERB_CONNECT:
        if (empty || tail_reason(b, t, &r->text)) {
            r->ok = empty;
            return 1;
        }
        break;
    case VERB_COMMAND:
        if (empty || tail_quoted(b, t, &r->text)) {
            return 1;
        }
        break;
    case VERB_RESPONSE:
        if (empty || tail_quoted(b, t, &r->text)) {
            return 1;
        }
        /* A raw CR LF inside a multi-line reply ends the line early. */
        if (!b->strict && b->len >= t + 3 &&
            memcmp(b->p + t, ", \"", 3) == 0) {
            r->text = sub(b->p, t + 3, b->len);
            r->unterminated = true;
            return 1;
        }
        break;
    case VERB_DEBUG:
        /* Skipped; a byte count may follow the text after a transfer. */
        if (empty || fa_starts(b->p + t, b->len - t, ", \"")) {
            r->skip = true;
            return 1;
        }
        break;
    case VERB_LOGIN:
        if (empty) {
            return 1;
        }
        if (r->ok) {
            /* The password had its spaces replaced (privops.c). */
            if (fa_starts(b->p + t, b->len - t, anon_lit) &&
                b->len >= t + ANON_LEN + 2 && b->p[b->len - 1] == '"' &&
                (body_last_sp(b) == b->len ||
                 body_last_sp(b) < t + ANON_LEN)) {
                r->anon = sub(b->p, t + ANON_LEN, b->len - 1);
                return 1;
            }
        } else if (tail_reason(b, t, &r->text)) {
            return 1;
        }
        break;
    case VERB_UPLOAD:
    case VERB_DOWNLOAD:
        if (tail_transfer(b, t, r)) {
            return 1;
        }
        break;
    case VERB_MKDIR:
    case VERB_RMDIR:
    case VERB_DELETE:
        if (tail_quoted(b, t, &r->text) && r->text.len > 0) {
            return 1;
        }
        break;
    case VERB_RENAME:
    case VERB_CHMOD:
        /* "<old> <new>", "<path> <mode>": a space inside the quotes. */
        if (tail_quoted(b, t, &r->text) && body_last_sp(b) != b->len &&
            b->last_sp > t + 3 && b->last_sp < b->len - 2) {
            return 1;
        }
        break;
    }
    *why = "unexpected text after the client address";
    return 0;
}

/*
 * Read the body every way it can be read.  Returns the number of valid
 * readings, stopping at 2; *r gets the first.
 */
FA_INLINE int read_body(struct body *b, struct reading *r, const char **why)
{
    if (b->len == 0) {
        *why = "empty record";
        return 0;
    }
    if (b->p[0] != '[') {
        return try_reading(b, false, 0, 0, 0, r, why) > 0 ? 1 : 0;
    }
    int found = 0;
    struct reading tmp;
    const char *kw_why = NULL, *w = NULL;
    size_t from = 1;
    while (from + 1 < b->len) {
        const char *q = fa_memmem(b->p + from, b->len - from, "] ", 2);
        if (q == NULL) {
            break;
        }
        size_t j = (size_t)(q - b->p);
        int v = try_reading(b, true, 1, j, j + 2, found ? &tmp : r, &w);
        if (v > 0 && ++found == 2) {
            break;
        }
        if (v == 0 && kw_why == NULL) {
            kw_why = w; /* the first keyword that did not fit */
        }
        from = j + 1;
    }
    if (found == 0) {
        *why = kw_why != NULL
                   ? kw_why
                   : "no vsftpd keyword (CONNECT, OK/FAIL LOGIN, ...)";
    } else if (found > 1) {
        *why = "ambiguous record: log text forged in a user name or argument";
    }
    return found;
}

/* ------------------------------------------------------------------ */
/* From a reading to the event                                         */

/* Common directory length of a and b (bytes up to the last shared '/'). */
static size_t common_dir(struct fa_str a, struct fa_str b)
{
    size_t n = a.len < b.len ? a.len : b.len, dir = 0;
    if (n > RENAME_CMP_MAX) {
        n = RENAME_CMP_MAX;
    }
    for (size_t i = 0; i < n && a.ptr[i] == b.ptr[i]; i++) {
        if (a.ptr[i] == '/') {
            dir = i + 1;
        }
    }
    return dir;
}

/*
 * RENAME logs "<old> <new>" in one string, both made absolute with the
 * working directory (postlogin.c handle_rnto), so the split is at a space
 * followed by '/'.  With several such spaces (names holding " /"), take the
 * one whose halves share the longest directory (renames mostly stay in a
 * directory, or move below it); ties go to the first.  Without any, split
 * at a plain space by the same rule.
 */
static void split_rename(struct fa_str s, struct fa_str *from,
                         struct fa_str *to)
{
    for (int pass = 0; pass < 2; pass++) {
        size_t best = 0, best_score = 0, seen = 0;
        bool any = false;
        for (size_t i = 1; i + 1 < s.len && seen < RENAME_CAND_MAX; i++) {
            const char *sp = memchr(s.ptr + i, ' ', s.len - 1 - i);
            if (sp == NULL) {
                break;
            }
            i = (size_t)(sp - s.ptr);
            if (pass == 0 && s.ptr[i + 1] != '/') {
                continue;
            }
            seen++;
            size_t score = common_dir(sub(s.ptr, 0, i),
                                      sub(s.ptr, i + 1, s.len));
            if (!any || score > best_score) {
                best = i;
                best_score = score;
                any = true;
            }
        }
        if (any) {
            *from = sub(s.ptr, 0, best);
            *to = sub(s.ptr, best + 1, s.len);
            return;
        }
    }
    *from = s;
    *to = FA_STR_NULL;
}

static const enum fa_action verb_action[] = {
    [VERB_CONNECT] = FA_ACT_CONNECT,   [VERB_COMMAND] = FA_ACT_COMMAND,
    [VERB_RESPONSE] = FA_ACT_COMMAND,  [VERB_DEBUG] = FA_ACT_NONE,
    [VERB_LOGIN] = FA_ACT_LOGIN,       [VERB_UPLOAD] = FA_ACT_UPLOAD,
    [VERB_DOWNLOAD] = FA_ACT_DOWNLOAD, [VERB_MKDIR] = FA_ACT_MKDIR,
    [VERB_RMDIR] = FA_ACT_RMDIR,       [VERB_DELETE] = FA_ACT_DELETE,
    [VERB_RENAME] = FA_ACT_RENAME,     [VERB_CHMOD] = FA_ACT_CHMOD,
};

/* Fill the event from the one reading.  Returns FA_OK or FA_SKIP. */
FA_INLINE enum fa_status reading_to_event(const struct reading *r,
                                          struct fa_event *out)
{
    if (r->skip) {
        return FA_SKIP;
    }
    out->daemon = FA_DAEMON_VSFTPD;
    out->proto = FA_PROTO_FTP;
    out->action = verb_action[r->verb];
    out->outcome = r->ok ? FA_OUT_SUCCESS : FA_OUT_FAILURE;
    out->user = r->user;
    out->ip = fa_ip_normalize(r->ip);
    out->bytes = r->bytes;
    switch (r->verb) {
    case VERB_CONNECT:
    case VERB_LOGIN:
        out->detail = r->anon.len > 0 ? r->anon : r->text;
        out->anonymous = r->anon.len > 0;
        break;
    case VERB_COMMAND:
        out->outcome = FA_OUT_UNKNOWN;
        out->detail = r->text;
        break;
    case VERB_RESPONSE:
        /* The reply code says how the command went. */
        out->outcome = FA_OUT_UNKNOWN;
        if (r->text.len >= 3 && is_digit(r->text.ptr[0]) &&
            is_digit(r->text.ptr[1]) && is_digit(r->text.ptr[2])) {
            out->outcome = r->text.ptr[0] <= '3' ? FA_OUT_SUCCESS
                                                 : FA_OUT_FAILURE;
        }
        out->detail = r->text;
        break;
    case VERB_RENAME:
        split_rename(r->text, &out->path, &out->path2);
        break;
    case VERB_CHMOD: {
        /* "<path> <mode>": the mode is one word (handle_site_chmod). */
        const char *sp = NULL;
        for (size_t i = r->text.len; i-- > 0;) {
            if (r->text.ptr[i] == ' ') {
                sp = r->text.ptr + i;
                break;
            }
        }
        size_t at = (size_t)(sp - r->text.ptr);
        out->path = sub(r->text.ptr, 0, at);
        out->detail = sub(r->text.ptr, at + 1, r->text.len);
        break;
    }
    default:
        out->path = r->text;
        break;
    }
    return FA_OK;
}

/* Anonymous sessions are logged under ftp_username ("ftp" by default);
 * an anonymous login teaches us the name when it was changed. */
FA_INLINE void mark_anonymous(struct vsftpd_state *s, struct fa_event *out)
{
    if (out->anonymous) {
        if (out->user.len <= ANON_USER_MAX) {
            memcpy(s->anon_user, out->user.ptr, out->user.len);
            s->anon_user_len = out->user.len;
        }
        return;
    }
    if (out->user.len == 0) {
        return;
    }
    if (eq_nocase(out->user, "ftp") || eq_nocase(out->user, "anonymous") ||
        (s->anon_user_len > 0 && out->user.len == s->anon_user_len &&
         memcmp(out->user.ptr, s->anon_user, s->anon_user_len) == 0)) {
        out->anonymous = true;
    }
}

/* ------------------------------------------------------------------ */
/* The native file                                                     */

enum rec_kind {
    REC_BAD,    /* not a record */
    REC_ONE,    /* one valid reading: event or skip */
    REC_MANY,   /* ambiguous */
    REC_NOTICE, /* "<date> vsftpd [pid N]: ..." (a die/bug message) */
};

/* What read_record found besides the event. */
struct rec_result {
    enum rec_kind kind;
    enum fa_status st;  /* REC_ONE: FA_OK or FA_SKIP */
    bool unterminated;  /* a reply's quote left open by a raw line break */
};

/* Two digits at p as 0..59, or -1. */
static int seconds_at(const char *p)
{
    unsigned t = (unsigned)((unsigned char)p[0] - '0');
    unsigned u = (unsigned)((unsigned char)p[1] - '0');
    return t <= 5 && u <= 9 ? (int)(t * 10 + u) : -1;
}

/* After a stamp was read the slow way: whether all of its minute maps
 * uniformly (seconds 00 and 59 read the slow way, 59 s apart, at one
 * offset), and where it starts.  "... hh:mm:ss yyyy": the seconds are 7
 * bytes before the stamp's end. */
static void minute_learn(struct vsftpd_state *s)
{
    size_t n = s->stamp_len;
    s->minute_ok = false;
    if (n < 20 || s->stamp[n - 8] != ':' || s->stamp[n - 5] != ' ' ||
        seconds_at(s->stamp + n - 7) < 0) {
        return;
    }
    char t[STAMP_CACHE_MAX];
    memcpy(t, s->stamp, n);
    int64_t us0, us59;
    int32_t off0, off59;
    memcpy(t + n - 7, "00", 2);
    size_t n0 = fa_stamp_ctime(s->ctx, t, n, &us0, &off0);
    memcpy(t + n - 7, "59", 2);
    size_t n59 = fa_stamp_ctime(s->ctx, t, n, &us59, &off59);
    if (n0 != n || n59 != n || off0 != off59 || off0 != s->stamp_off ||
        us59 - us0 != 59 * 1000000LL ||
        s->stamp_us - us0 != seconds_at(s->stamp + n - 7) * 1000000LL) {
        return;
    }
    s->minute_ok = true;
    s->minute_us = us0;
}

/* fa_stamp_ctime through the state's one-entry cache.  The stamp's value
 * depends only on its own bytes (the zone is the file's) and on the byte
 * after it not being a digit, so the same text gives the same answer. */
FA_INLINE size_t stamp_read(struct vsftpd_state *s, const char *p,
                            size_t len, int64_t *us, int32_t *off)
{
    size_t n = s->stamp_len;
    if (n > 0 && p == s->stamp_at && len == s->stamp_at_len) {
        *us = s->stamp_us;
        *off = s->stamp_off;
        return n;
    }
    if (n > 0 && len >= n && (len == n || !is_digit(p[n]))) {
        /* The same stamp; or, in a minute known to be uniform, the same
         * but for its seconds. */
        int ss;
        if (fa_same(p, s->stamp, n)) {
            *us = s->stamp_us;
            *off = s->stamp_off;
            s->stamp_at = p;
            s->stamp_at_len = len;
            return n;
        }
        if (s->minute_ok && fa_same(p, s->stamp, n - 7) &&
            fa_same(p + n - 5, s->stamp + n - 5, 5) &&
            (ss = seconds_at(p + n - 7)) >= 0) {
            memcpy(s->stamp + n - 7, p + n - 7, 2);
            s->stamp_us = s->minute_us + ss * 1000000LL;
            *us = s->stamp_us;
            *off = s->stamp_off;
            s->stamp_at = p;
            s->stamp_at_len = len;
            return n;
        }
    }
    n = fa_stamp_ctime(s->ctx, p, len, us, off);
    if (n > 0 && n <= sizeof(s->stamp)) {
        memcpy(s->stamp, p, n);
        s->stamp_len = n;
        s->stamp_us = *us;
        s->stamp_off = *off;
        s->stamp_at = p;
        s->stamp_at_len = len;
        minute_learn(s);
    }
    return n;
}

/* Read "<date> [pid N] <body>" at p (len bytes).  strict refuses reply
 * text without its closing quote. */
static struct rec_result read_record(struct vsftpd_state *s,
                                     const char *p, size_t len, bool strict,
                                     struct fa_event *out, const char **why)
{
    struct rec_result res = {REC_BAD, FA_SKIP, false};
    int64_t us;
    int32_t off;
    size_t i = stamp_read(s, p, len, &us, &off);
    if (i == 0) {
        *why = "bad or corrupted timestamp";
        return res;
    }
    uint32_t pid = 0;
    if (i + 1 >= len || p[i] != ' ') {
        *why = "no \"[pid N] \" after the timestamp";
        return res;
    }
    i++;
    if (fa_starts(p + i, len - i, "vsftpd [pid ")) {
        size_t n = read_pid(p + i + 7, len - i - 7, &pid);
        if (n > 0 && i + 7 + n < len && p[i + 7 + n] == ':') {
            res.kind = REC_NOTICE;
            return res;
        }
    }
    size_t n = read_pid(p + i, len - i, &pid);
    if (n == 0 || i + n >= len || p[i + n] != ' ') {
        *why = "no \"[pid N] \" after the timestamp";
        return res;
    }
    i += n + 1;
    struct body b;
    body_init(&b, p + i, len - i, strict, s->ip_seen);
    struct reading r;
    int found = read_body(&b, &r, why);
    if (found != 1) {
        res.kind = found == 0 ? REC_BAD : REC_MANY;
        return res;
    }
    res.kind = REC_ONE;
    res.st = reading_to_event(&r, out);
    res.unterminated = r.unterminated;
    out->time_us = us;
    out->utc_offset = off;
    out->tz_source = FA_TZ_ASSUMED;
    out->pid = pid;
    return res;
}

/* Where a record's date could start, given "[pid " at p[q]: the date ends
 * with " [pid" or " vsftpd [pid" and is 23 or 24 bytes long ("Mon Jun 8
 * ..." or "Fri Apr  4 ...").  Stores up to 4 offsets > 0; returns how
 * many. */
static size_t stamp_before(const struct vsftpd_state *s, const char *p,
                           size_t len, size_t q, size_t *starts)
{
    size_t ends[2], nends = 0, n = 0;
    if (q >= 1 && p[q - 1] == ' ') {
        ends[nends++] = q - 1;
    }
    if (q >= 8 && memcmp(p + q - 8, " vsftpd ", 8) == 0) {
        ends[nends++] = q - 8;
    }
    for (size_t e = 0; e < nends; e++) {
        for (size_t w = 23; w <= 24; w++) {
            if (ends[e] <= w) {
                continue;
            }
            size_t k = ends[e] - w;
            int64_t us;
            int32_t off;
            if (fa_stamp_ctime(s->ctx, p + k, len - k, &us, &off) == w) {
                starts[n++] = k;
            }
        }
    }
    return n;
}

/*
 * The line has no valid reading as a whole: find the one offset where a
 * record was glued onto a vsftpd message or onto another record.  Both
 * halves must read one way only, strictly; two such offsets mean forged
 * text and the line is refused.
 */
static enum fa_status split_glued(struct vsftpd_state *s,
                                  const struct fa_line *l, bool notice,
                                  struct fa_event *out, const char **why)
{
    const char *p = l->ptr;
    size_t len = l->len;
    size_t tried = 0, valid = 0, at = 0;
    struct rec_result first = {REC_BAD, FA_SKIP, false};
    struct fa_event first_ev;
    size_t from = 1;
    while (from < len && tried < SPLIT_MAX && valid < 2) {
        const char *q = fa_memmem(p + from, len - from, "[pid ", 5);
        if (q == NULL) {
            break;
        }
        size_t qi = (size_t)(q - p);
        size_t starts[4];
        size_t ns = stamp_before(s, p, len, qi, starts);
        for (size_t c = 0; c < ns && tried < SPLIT_MAX && valid < 2; c++) {
            size_t k = starts[c];
            const char *w;
            struct fa_event e1, e2;
            tried++;
            fa_event_clear(&e1);
            fa_event_clear(&e2);
            struct rec_result r1 = read_record(s, p, k, true, &e1, &w);
            if (r1.kind != REC_ONE && r1.kind != REC_NOTICE) {
                continue;
            }
            struct rec_result r2 = read_record(s, p + k, len - k, true, &e2,
                                               &w);
            if (r2.kind != REC_ONE) {
                continue;
            }
            if (valid++ == 0) {
                at = k;
                first = r1;
                first_ev = e1;
            }
        }
        from = qi + 5;
    }
    if (valid == 0) {
        return notice ? FA_SKIP : FA_INVALID; /* *why: the whole line's */
    }
    if (valid > 1) {
        *why = "ambiguous glued records: log text forged in a name";
        return FA_INVALID;
    }
    if (first.kind == REC_ONE && first.st == FA_OK) {
        *out = first_ev;
        s->again = true;
        s->again_line = l->number;
        s->again_ptr = l->ptr;
        s->again_len = l->len;
        s->again_off = at;
        return FA_AGAIN;
    }
    /* The first half carries no event: give the second at once. */
    struct rec_result r2 = read_record(s, p + at, len - at, true, out, why);
    return r2.st;
}

/* A line that only continues a reply cut by a raw line break: the lone
 * closing quote, or any line without a date while a quote is open. */
static bool continuation(struct vsftpd_state *s, const struct fa_line *l)
{
    struct fa_str t = fa_trim(fa_str_make(l->ptr, l->len));
    while (t.len > 0 && t.ptr[t.len - 1] == '\r') {
        t.len--;
    }
    bool closes = t.len > 0 && t.ptr[t.len - 1] == '"';
    if (t.len == 1 && closes) {
        s->open_reply = 0;
        return true;
    }
    if (s->open_reply > 0) {
        s->open_reply = closes ? 0 : s->open_reply - 1;
        return true;
    }
    return false;
}

static enum fa_status vsftpd_msg(void *state, const struct fa_envelope *env,
                                 struct fa_event *out, const char **why);

static enum fa_status vsftpd_parse(void *state, const struct fa_line *l,
                                   struct fa_event *out, const char **why)
{
    struct vsftpd_state *s = state;
    s->stamp_at = NULL; /* a new line, perhaps where the last one was */
    if (s->again) {
        /* The record glued after the one given with FA_AGAIN. */
        s->again = false;
        if (s->again_line == l->number && s->again_ptr == l->ptr &&
            s->again_len == l->len && s->again_off < l->len) {
            size_t off = s->again_off;
            struct rec_result r = read_record(s, l->ptr + off, l->len - off,
                                              true, out, why);
            if (r.kind != REC_ONE) {
                return FA_INVALID;
            }
            if (r.st == FA_OK) {
                mark_anonymous(s, out);
            }
            return r.st;
        }
    }
    int64_t us;
    int32_t offset;
    if (stamp_read(s, l->ptr, l->len, &us, &offset) > 0) {
        s->open_reply = 0;
        struct rec_result r = read_record(s, l->ptr, l->len, false, out, why);
        enum fa_status st = r.st;
        if (r.kind == REC_ONE) {
            if (r.unterminated) {
                s->open_reply = CONT_MAX;
            }
        } else if (r.kind == REC_MANY) {
            return FA_INVALID;
        } else {
            fa_event_clear(out);
            st = split_glued(s, l, r.kind == REC_NOTICE, out, why);
        }
        if (st == FA_OK || st == FA_AGAIN) {
            mark_anonymous(s, out);
        }
        return st;
    }
    if (continuation(s, l)) {
        return FA_SKIP;
    }
    /* The same records through syslog, in a mixed file. */
    struct fa_envelope env;
    const char *w;
    if (fa_syslog_split(s->ctx, l, &env, &w) == 0) {
        if (env.prog.len == 0 || !fa_syslog_vsftpd.match(env.prog)) {
            return FA_SKIP; /* another program's line */
        }
        fa_envelope_to_event(&env, out);
        return vsftpd_msg(s, &env, out, why);
    }
    /* A weekday and a month that failed as a date: a corrupted stamp. */
    size_t used;
    if (l->len > 4 && l->ptr[3] == ' ' &&
        fa_month_parse(l->ptr + 4, l->len - 4, &used) > 0) {
        *why = "bad or corrupted timestamp";
    } else {
        *why = "not a vsftpd log line";
    }
    return FA_INVALID;
}

static int vsftpd_init(void *state, const struct fa_ctx *ctx, const char **why)
{
    (void)why;
    struct vsftpd_state *s = state;
    s->ctx = ctx;
    return 0;
}

/* Native records lead the sample; vsftpd lines in a syslog envelope and
 * reply continuations count with them (mixed files).  A file with no native
 * record is left to vsftpd-syslog. */
static int vsftpd_probe(const struct fa_line *l, size_t n)
{
    struct fa_tz utc = {.name = "UTC", .is_utc = true, .known = true};
    struct fa_ctx ctx = {.tz = &utc, .mtime = 0};
    size_t native = 0, mine = 0;
    for (size_t i = 0; i < n; i++) {
        const char *p = l[i].ptr;
        size_t len = l[i].len;
        int64_t us;
        int32_t off;
        uint32_t pid;
        size_t k = fa_stamp_ctime(&ctx, p, len, &us, &off);
        if (k > 0 && k + 1 < len && p[k] == ' ') {
            size_t m = read_pid(p + k + 1, len - k - 1, &pid);
            if (m > 0 || fa_starts(p + k + 1, len - k - 1, "vsftpd [pid ")) {
                native++;
                mine++;
            }
            continue;
        }
        struct fa_str t = fa_trim(fa_str_make(p, len));
        if (t.len == 1 && t.ptr[0] == '"') {
            mine++;
            continue;
        }
        struct fa_envelope env;
        const char *why;
        if (fa_syslog_split(&ctx, &l[i], &env, &why) == 0 &&
            env.prog.len > 0 && fa_syslog_vsftpd.match(env.prog)) {
            mine++;
        }
    }
    if (native == 0 || n == 0) {
        return 0;
    }
    return (int)(20 + 79 * mine / n);
}

const struct fa_parser fa_parser_vsftpd = {
    .name = "vsftpd",
    .summary = "vsftpd_log_file, the native vsftpd format",
    .state_size = sizeof(struct vsftpd_state),
    .probe_lines = 20,
    .probe = vsftpd_probe,
    .init = vsftpd_init,
    .parse = vsftpd_parse,
};

/* ------------------------------------------------------------------ */
/* syslog_enable=YES and PAM                                           */

static bool vsftpd_match(struct fa_str prog)
{
    return fa_str_eq(prog, "vsftpd") || fa_str_eq(prog, "vsftpd(pam_unix)");
}

/* The value of key=value among space-separated fields of p. */
static struct fa_str field(const char *p, size_t len, const char *key)
{
    size_t kl = strlen(key);
    size_t i = 0;
    while (i < len) {
        while (i < len && p[i] == ' ') {
            i++;
        }
        size_t e = i;
        while (e < len && p[e] != ' ') {
            e++;
        }
        if (e - i > kl && memcmp(p + i, key, kl) == 0 && p[i + kl] == '=') {
            return sub(p, i + kl + 1, e);
        }
        i = e;
    }
    return FA_STR_NULL;
}

/*
 * PAM's failure line, in its generations:
 *   pam_unix(vsftpd:auth): authentication failure; ... rhost=IP [user=U]
 *   (pam_unix) authentication failure; ...        (PAM before 0.99.2)
 *   authentication failure; ...                   (tag vsftpd(pam_unix))
 * The user is user= (set when PAM knows the account), else ruser= (vsftpd
 * passes the USER name there).  Returns false for other lines.
 */
static bool pam_failure(const char *p, size_t len, struct fa_event *out)
{
    static const char lit[] = "authentication failure; ";
    const char *f = fa_memmem(p, len, lit, sizeof(lit) - 1);
    if (f == NULL) {
        return false;
    }
    size_t at = (size_t)(f - p);
    /* Only a module prefix may come before it. */
    if (at > 0 && !((p[0] == '(' || fa_starts(p, len, "pam_")) &&
                    p[at - 1] == ' ' && at < 64)) {
        return false;
    }
    const char *kv = f + sizeof(lit) - 1;
    size_t kvlen = len - at - (sizeof(lit) - 1);
    struct fa_str user = field(kv, kvlen, "user");
    if (user.len == 0) {
        user = field(kv, kvlen, "ruser");
    }
    struct fa_str rhost = field(kv, kvlen, "rhost");
    out->action = FA_ACT_LOGIN;
    out->outcome = FA_OUT_FAILURE;
    out->proto = FA_PROTO_FTP;
    out->user = user;
    out->ip = fa_is_ip(rhost) ? fa_ip_normalize(rhost) : FA_STR_NULL;
    out->detail = FA_STR_LIT("PAM authentication failure");
    return true;
}

static enum fa_status vsftpd_msg(void *state, const struct fa_envelope *env,
                                 struct fa_event *out, const char **why)
{
    struct vsftpd_state *s = state;
    const char *p = env->msg.ptr;
    size_t len = env->msg.len;
    out->daemon = FA_DAEMON_VSFTPD;
    if (pam_failure(p, len, out)) {
        return FA_OK;
    }
    if (len == 0 || fa_starts(p, len, "pam_") || fa_starts(p, len, "(pam_")) {
        return FA_SKIP; /* sessions, "check pass; user unknown", ... */
    }
    struct reading r;
    struct body b;
    body_init(&b, p, len, false, s->ip_seen);
    if (p[0] != '[') {
        /* Not a record unless a keyword opens it (CONNECT, FTP ...). */
        memset(&r, 0, sizeof(r));
        if (match_keyword(&b, 0, &r) == 0) {
            return FA_SKIP; /* "500 OOPS: ...", startup notes */
        }
    }
    int found = read_body(&b, &r, why);
    if (found != 1) {
        return FA_INVALID;
    }
    /* Keep the envelope's time, host and pid. */
    enum fa_status st = reading_to_event(&r, out);
    if (st == FA_OK) {
        mark_anonymous(s, out);
    }
    return st;
}

static void vsftpd_msg_init(void *state, const struct fa_ctx *ctx)
{
    struct vsftpd_state *s = state;
    s->ctx = ctx;
}

const struct fa_syslog_daemon fa_syslog_vsftpd = {
    .name = "vsftpd",
    .daemon = FA_DAEMON_VSFTPD,
    .state_size = sizeof(struct vsftpd_state),
    .match = vsftpd_match,
    .init = vsftpd_msg_init,
    .parse_msg = vsftpd_msg,
};
