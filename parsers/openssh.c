/*
 * OpenSSH: sshd's authentication lines and the file operations of
 * sftp-server / internal-sftp, read through syslog (fa_syslog_openssh, used
 * by the syslog descriptors in syslogfmt.c) and in IONOS's re-formatted
 * logs/sftp.log (fa_parser_ionos_sftp).  Both share one message reader.
 *
 *   Nov 26 12:46:12 vm sshd[11919]: Connection from 127.0.0.10 port 40285
 *       on 127.0.0.1 port 40224 rdomain ""
 *   Nov 26 12:46:13 vm sshd[11919]: Accepted password for alice from
 *       127.0.0.10 port 40285 ssh2
 *   Nov 26 12:46:13 vm internal-sftp[11926]: session opened for local user
 *       alice from [127.0.0.10]
 *   Nov 26 12:46:13 vm internal-sftp[11926]: open "/tmp/e2e/home/alice/
 *       public_html/news.html" flags WRITE,CREATE,TRUNCATE mode 0666
 *   Nov 26 12:46:13 vm internal-sftp[11926]: close "/tmp/e2e/home/alice/
 *       public_html/news.html" bytes read 0 written 69
 *   Nov 26 12:46:18 vm sshd[11962]: Failed password for alice from
 *       127.0.0.66 port 44011 ssh2
 *   Jul 30 09:51:33 10.71.57.0 u78774450 close "/index.php" bytes read 683
 *       written 0                                              (IONOS)
 *   Jul 30 09:51:33 10.71.57.0 u78774450 [10.71.57.0|get|0|683|0|0|0|
 *       2f696e6465782e706870|]                          (IONOS summary)
 *
 * Upstream: openssh/openssh-portable auth.c auth_log() and
 * allowed_user(), auth2.c, auth-pam.c sshpam_query(), session.c,
 * sftp-server.c (every logit() of the request handlers, send_status(),
 * handle_log_close()).  Field by field: log-formats.md section 5.
 *
 * Choices (docs/parsers/openssh.md says more):
 *  - sftp-server logs "open" before the open is tried and "close" with
 *    the byte counters, so a transfer is reported at its close, its
 *    direction taken from the open's flags.  Open handles are kept per
 *    sftp session: the pid, or the account in IONOS files (no pid).  A
 *    handle still open at the end of input is dropped (its close is in
 *    the next file), so there is no finish().
 *  - An error status ("sent status Permission denied") right after an
 *    open in the same session is that open failing: a failed transfer.
 *    After remove/rename/mkdir/rmdir/set, which were reported when asked
 *    for, it becomes a failed command naming the request.
 *  - File operations name neither user nor address: the session's
 *    "session opened for local user U from [IP]" line does.  That line
 *    and sshd's "Accepted" describe one login; it is a login only when
 *    no Accepted for the same user and address came shortly before (an
 *    sftp log kept apart from auth.log).
 *  - sshd writes up to three lines when a session ends: one logout per
 *    sshd pid.  Lines of connections that never logged in ([preauth])
 *    are no logout.
 *  - PAM: "error: PAM: ... for U from H" (sshd, keyboard-interactive) is
 *    a failed login, and the "Failed keyboard-interactive/pam" line sshd
 *    may write for the same attempt afterwards is then a command.
 *    pam_unix(sshd:auth) lines come from the PAM module for an attempt
 *    sshd logs itself (and a PAM stack may still succeed after one
 *    module failed): commands.  A refused public key is a command too:
 *    clients offer every key they hold.
 *  - sshd does not say whether a login was for sftp, scp or a shell;
 *    every event is marked sftp.
 */
#include <stdio.h>
#include <string.h>

#include "registry.h"
#include "strutil.h"
#include "syslog.h"

#define USER_MAX 128         /* sshd logs at most 100 bytes of a name */
#define IP_MAX 64
#define CONN_SLOTS 256       /* sshd pids remembered */
#define ACCEPT_SLOTS 64      /* recent Accepted lines */
#define SESS_SLOTS 256       /* sftp sessions */
#define HANDLE_SLOTS 256     /* open sftp handles, all sessions */
#define PATH_KEEP 1024       /* bytes of a path kept for a failed open */
#define LASTPATH_KEEP 512    /* bytes of the last request's path */
#define FLAGS_KEEP 48
#define DETAIL_MAX 160
/* An sftp session opens within a second of its Accepted line; allow for
 * slow PAM session modules. */
#define ACCEPT_WINDOW_US (600LL * 1000000)

/* Where a message came from: its program tag, or unknown (IONOS). */
enum src {
    SRC_SSHD,
    SRC_SFTP,
    SRC_ANY,
};

/* Returned by the grammar readers for a message they do not know. */
#define NOT_MINE (-1)

struct conn {
    bool used;
    bool logged_in;
    bool logged_out;
    uint8_t pam_credit;  /* "error: PAM:" failures not yet matched */
    uint16_t port;
    uint32_t pid;
    uint64_t seq;
    size_t ulen, iplen;
    char user[USER_MAX];
    char ip[IP_MAX];
};

struct accepted {
    bool used;
    int64_t time_us;
    size_t ulen, iplen;
    char user[USER_MAX];
    char ip[IP_MAX];
};

/* The last request of an sftp session, for the "sent status" after it. */
enum lastreq {
    REQ_NONE = 0,
    REQ_OPEN,
    REQ_OP,      /* remove, rename, mkdir, rmdir, set: path in last_path */
};

struct sess {
    bool used;
    uint64_t key;            /* pid, or a hash of the IONOS account */
    uint32_t gen;
    uint64_t seq;
    int refs;                /* IONOS: sessions open under the account */
    size_t ulen, iplen;
    char user[USER_MAX];
    char ip[IP_MAX];
    enum lastreq last;
    int last_handle;
    const char *last_op;     /* "remove", "mkdir", ... */
    size_t last_plen;
    char last_path[LASTPATH_KEEP];
};

enum {
    OF_READ = 1,
    OF_WRITE = 2,
    OF_APPEND = 4,
    OF_CREATE = 8,
    OF_TRUNC = 16,
    OF_EXCL = 32,
};

struct handle {
    bool used;
    uint16_t sess;
    uint32_t gen;
    unsigned flags;
    uint64_t seq;
    uint64_t hash;           /* of the whole path */
    size_t len;              /* whole path length */
    size_t keep;             /* bytes kept in path[] */
    size_t flen;
    char flagstr[FLAGS_KEEP];
    char path[PATH_KEEP];
};

struct ossh {
    uint64_t seq;
    uint32_t gen;
    size_t accept_next;
    char detail[DETAIL_MAX];
    struct conn conns[CONN_SLOTS];
    struct accepted accepts[ACCEPT_SLOTS];
    struct sess sess[SESS_SLOTS];
    struct handle handles[HANDLE_SLOTS];
};

/* One message and what its envelope said. */
struct msgin {
    struct fa_str msg;
    uint32_t pid;            /* 0 when none */
    int64_t time_us;
    enum src src;
    bool by_account;         /* IONOS: session key is the account */
    struct fa_str account;   /* IONOS account, user of last resort */
    struct fa_str client_ip; /* IONOS client field, address of last resort */
};

/* ---- small scanning helpers ---------------------------------------------- */

static bool eat(struct fa_str *t, const char *lit)
{
    if (!fa_starts(t->ptr, t->len, lit)) {
        return false;
    }
    size_t n = strlen(lit);
    t->ptr += n;
    t->len -= n;
    return true;
}

static bool ends(struct fa_str t, const char *lit)
{
    return fa_ends(t.ptr, t.len, lit);
}

static struct fa_str span(const char *a, const char *b)
{
    return fa_str_make(a, (size_t)(b - a));
}

static const char *find(struct fa_str t, const char *lit)
{
    return fa_memmem(t.ptr, t.len, lit, strlen(lit));
}

static const char *rfind(struct fa_str t, const char *lit)
{
    return fa_memrmem(t.ptr, t.len, lit, strlen(lit));
}

static const char *end_of(struct fa_str t)
{
    return t.ptr + t.len;
}

/* Token up to the next space (or the end). */
static struct fa_str word(struct fa_str t)
{
    size_t i = 0;
    while (i < t.len && t.ptr[i] != ' ') {
        i++;
    }
    return fa_str_make(t.ptr, i);
}

/* Decimal digits at the start of t; the count used (0: none). */
static size_t number(struct fa_str t, uint64_t *v)
{
    return fa_parse_u64(t.ptr, t.len, v);
}

static uint16_t port_of(uint64_t v)
{
    return v <= 65535 ? (uint16_t)v : 0;
}

static size_t keep(char *dst, size_t cap, struct fa_str s)
{
    size_t n = s.len < cap ? s.len : cap;
    if (n > 0) {
        memcpy(dst, s.ptr, n);
    }
    return n;
}

static bool same(const char *a, size_t alen, struct fa_str b)
{
    return alen == b.len && (alen == 0 || memcmp(a, b.ptr, alen) == 0);
}

static uint64_t hash_of(struct fa_str s)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < s.len; i++) {
        h ^= (unsigned char)s.ptr[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static struct fa_str ip_view(const char *p, size_t n)
{
    return fa_ip_normalize(fa_str_make(p, n));
}

/* ---- sshd pid table ------------------------------------------------------ */

static struct conn *conn_find(struct ossh *s, uint32_t pid)
{
    if (pid == 0) {
        return NULL;
    }
    for (size_t i = 0; i < CONN_SLOTS; i++) {
        if (s->conns[i].used && s->conns[i].pid == pid) {
            return &s->conns[i];
        }
    }
    return NULL;
}

/* The pid's entry, created (oldest one overwritten) when missing. */
static struct conn *conn_get(struct ossh *s, uint32_t pid)
{
    if (pid == 0) {
        return NULL;
    }
    struct conn *c = conn_find(s, pid);
    if (c == NULL) {
        c = &s->conns[0];
        for (size_t i = 0; i < CONN_SLOTS; i++) {
            if (!s->conns[i].used) {
                c = &s->conns[i];
                break;
            }
            if (s->conns[i].seq < c->seq) {
                c = &s->conns[i];
            }
        }
        memset(c, 0, sizeof(*c));
        c->used = true;
        c->pid = pid;
    }
    c->seq = ++s->seq;
    return c;
}

static void conn_set(struct conn *c, struct fa_str user, struct fa_str ip,
                     uint16_t port)
{
    if (c == NULL) {
        return;
    }
    if (user.len > 0) {
        c->ulen = keep(c->user, sizeof(c->user), user);
    }
    if (ip.len > 0) {
        c->iplen = keep(c->ip, sizeof(c->ip), ip);
    }
    if (port != 0) {
        c->port = port;
    }
}

/* ---- sftp sessions and handles ------------------------------------------- */

static uint64_t sess_key(const struct msgin *m)
{
    return m->by_account ? hash_of(m->account) : m->pid;
}

static struct sess *sess_find(struct ossh *s, const struct msgin *m)
{
    uint64_t key = sess_key(m);
    for (size_t i = 0; i < SESS_SLOTS; i++) {
        if (s->sess[i].used && s->sess[i].key == key) {
            return &s->sess[i];
        }
    }
    return NULL;
}

static void sess_drop_handles(struct ossh *s, const struct sess *ss)
{
    uint16_t idx = (uint16_t)(ss - s->sess);
    for (size_t i = 0; i < HANDLE_SLOTS; i++) {
        struct handle *h = &s->handles[i];
        if (h->used && h->sess == idx && h->gen == ss->gen) {
            h->used = false;
        }
    }
}

/* Start a session in a free (or the oldest) slot. */
static struct sess *sess_new(struct ossh *s, const struct msgin *m)
{
    struct sess *ss = &s->sess[0];
    for (size_t i = 0; i < SESS_SLOTS; i++) {
        if (!s->sess[i].used) {
            ss = &s->sess[i];
            break;
        }
        if (s->sess[i].seq < ss->seq) {
            ss = &s->sess[i];
        }
    }
    if (ss->used) {
        sess_drop_handles(s, ss);
    }
    memset(ss, 0, sizeof(*ss));
    ss->used = true;
    ss->key = sess_key(m);
    ss->gen = ++s->gen;
    ss->last_handle = -1;
    if (m->by_account) {
        ss->ulen = keep(ss->user, sizeof(ss->user), m->account);
        if (!fa_str_eq(m->client_ip, "-")) {
            ss->iplen = keep(ss->ip, sizeof(ss->ip), m->client_ip);
        }
    }
    return ss;
}

static struct sess *sess_get(struct ossh *s, const struct msgin *m)
{
    struct sess *ss = sess_find(s, m);
    if (ss == NULL) {
        ss = sess_new(s, m);
    }
    ss->seq = ++s->seq;
    return ss;
}

static void sess_end(struct ossh *s, struct sess *ss)
{
    sess_drop_handles(s, ss);
    ss->used = false;
}

/* The oldest open handle of the session for this path, or NULL. */
static struct handle *handle_find(struct ossh *s, const struct sess *ss,
                                  struct fa_str path)
{
    uint16_t idx = (uint16_t)(ss - s->sess);
    uint64_t h = hash_of(path);
    struct handle *best = NULL;
    for (size_t i = 0; i < HANDLE_SLOTS; i++) {
        struct handle *c = &s->handles[i];
        if (c->used && c->sess == idx && c->gen == ss->gen && c->hash == h &&
            c->len == path.len &&
            memcmp(c->path, path.ptr, c->keep) == 0 &&
            (best == NULL || c->seq < best->seq)) {
            best = c;
        }
    }
    return best;
}

static struct handle *handle_new(struct ossh *s, const struct sess *ss)
{
    struct handle *h = &s->handles[0];
    for (size_t i = 0; i < HANDLE_SLOTS; i++) {
        if (!s->handles[i].used) {
            h = &s->handles[i];
            break;
        }
        if (s->handles[i].seq < h->seq) {
            h = &s->handles[i];
        }
    }
    memset(h, 0, offsetof(struct handle, path));
    h->used = true;
    h->sess = (uint16_t)(ss - s->sess);
    h->gen = ss->gen;
    h->seq = ++s->seq;
    return h;
}

/* ---- the event ----------------------------------------------------------- */

static void ev_user_ip(struct fa_event *out, struct fa_str user,
                       struct fa_str ip, uint16_t port)
{
    out->user = user;
    out->ip = fa_ip_normalize(ip);
    out->port = port;
}

static enum fa_status ev(struct fa_event *out, enum fa_action a,
                         enum fa_outcome o)
{
    out->action = a;
    out->outcome = o;
    out->proto = FA_PROTO_SFTP;
    return FA_OK;
}

/* Session user and address, falling back to the IONOS fields. */
static void ev_sess(struct fa_event *out, const struct sess *ss,
                    const struct msgin *m)
{
    out->user = fa_str_make(ss->user, ss->ulen);
    out->ip = ip_view(ss->ip, ss->iplen);
    if (out->user.len == 0 && m->by_account) {
        out->user = m->account;
    }
    if (out->ip.len == 0 && m->by_account &&
        !fa_str_eq(m->client_ip, "-")) {
        out->ip = fa_ip_normalize(m->client_ip);
    }
}

/* ---- sshd ---------------------------------------------------------------- */

/*
 * The address of an auth_log() line, "<user> from <ip> port <n> ssh2"
 * with an optional ": <key or method info>".  The user name is what the
 * client sent and may itself hold " from 10.0.0.1 port 1 ssh2", so the
 * address is the candidate that ends the message; else (key info follows)
 * the last one followed by ": "; else a bare " from <ip>" at the end (old
 * versions and test fixtures).  sshd writes a numeric address here.
 */
static bool auth_addr(struct fa_str t, struct fa_str *user, struct fa_str *ip,
                      uint16_t *port)
{
    const char *best_end = NULL, *best_info = NULL, *best_bare = NULL;
    struct fa_str ip_end = FA_STR_NULL, ip_info = FA_STR_NULL;
    struct fa_str ip_bare = FA_STR_NULL;
    uint16_t port_end = 0, port_info = 0;
    const char *end = end_of(t);
    size_t off = 0;
    while (off < t.len) {
        const char *f = fa_memmem(t.ptr + off, t.len - off, " from ", 6);
        if (f == NULL) {
            break;
        }
        off = (size_t)(f - t.ptr) + 1;
        struct fa_str r = span(f + 6, end);
        struct fa_str a = word(r);
        if (!fa_is_ip(a)) {
            continue;
        }
        r = span(a.ptr + a.len, end);
        if (r.len == 0) {
            best_bare = f;
            ip_bare = a;
            continue;
        }
        uint64_t pv;
        size_t n;
        if (!eat(&r, " port ") || (n = number(r, &pv)) == 0) {
            continue;
        }
        r.ptr += n;
        r.len -= n;
        if (eat(&r, " ssh2") || eat(&r, " ssh1")) {
            /* fallthrough to the tail checks */
        }
        if (r.len == 0) {
            best_end = f;
            ip_end = a;
            port_end = port_of(pv);
        } else if (fa_starts(r.ptr, r.len, ": ")) {
            best_info = f;
            ip_info = a;
            port_info = port_of(pv);
        }
    }
    if (best_end != NULL) {
        *user = span(t.ptr, best_end);
        *ip = ip_end;
        *port = port_end;
    } else if (best_info != NULL) {
        *user = span(t.ptr, best_info);
        *ip = ip_info;
        *port = port_info;
    } else if (best_bare != NULL) {
        *user = span(t.ptr, best_bare);
        *ip = ip_bare;
        *port = 0;
    } else {
        return false;
    }
    return true;
}

/* Remember an Accepted login for the sftp "session opened" after it. */
static void accept_note(struct ossh *s, const struct msgin *m,
                        struct fa_str user, struct fa_str ip)
{
    struct accepted *a = &s->accepts[s->accept_next];
    s->accept_next = (s->accept_next + 1) % ACCEPT_SLOTS;
    a->used = true;
    a->time_us = m->time_us;
    a->ulen = keep(a->user, sizeof(a->user), user);
    a->iplen = keep(a->ip, sizeof(a->ip), ip);
}

/* Consume a recent Accepted for (user, ip); true when there was one. */
static bool accept_take(struct ossh *s, const struct msgin *m,
                        struct fa_str user, struct fa_str ip)
{
    for (size_t i = 0; i < ACCEPT_SLOTS; i++) {
        struct accepted *a = &s->accepts[i];
        int64_t dt = m->time_us - a->time_us;
        if (a->used && dt <= ACCEPT_WINDOW_US && dt >= -ACCEPT_WINDOW_US &&
            same(a->user, a->ulen, user) && same(a->ip, a->iplen, ip)) {
            a->used = false;
            return true;
        }
    }
    return false;
}

/* "Accepted|Failed|Partial <method> for [invalid user ]<user> from ..." */
static int sshd_auth(struct ossh *s, const struct msgin *m, struct fa_str t,
                     const char *verb, struct fa_event *out, const char **why)
{
    struct fa_str method = word(t);
    if (method.len == 0 || method.len == t.len) {
        *why = "sshd auth line without a method";
        return FA_INVALID;
    }
    t = span(method.ptr + method.len, end_of(t));
    if (!eat(&t, " for ")) {
        *why = "sshd auth line without \"for\"";
        return FA_INVALID;
    }
    struct fa_str user, ip;
    uint16_t port;
    if (!auth_addr(t, &user, &ip, &port)) {
        *why = "sshd auth line without a client address";
        return FA_INVALID;
    }
    if (!eat(&user, "invalid user ") && fa_str_eq(user, "invalid user")) {
        user.len = 0; /* "for invalid user  from": an empty name */
    }
    ev_user_ip(out, user, ip, port);
    out->detail = method;
    struct conn *c = conn_get(s, m->pid);
    if (strcmp(verb, "Accepted") == 0) {
        conn_set(c, user, ip, port);
        if (c != NULL) {
            c->logged_in = true;
            c->logged_out = false;
        }
        accept_note(s, m, user, out->ip);
        return ev(out, FA_ACT_LOGIN, FA_OUT_SUCCESS);
    }
    if (strcmp(verb, "Partial") == 0) {
        /* One factor of several passed: no login yet, but the credential
         * was right. */
        int n = snprintf(s->detail, sizeof(s->detail), "partial %.*s",
                         (int)method.len, method.ptr);
        out->detail = fa_str_make(s->detail, (size_t)n < sizeof(s->detail)
                                                 ? (size_t)n
                                                 : sizeof(s->detail) - 1);
        return ev(out, FA_ACT_COMMAND, FA_OUT_SUCCESS);
    }
    conn_set(c, user, ip, port);
    if (fa_str_eq(method, "none")) {
        /* The "none" method probes for the methods on offer; no
         * credential was tried. */
        return ev(out, FA_ACT_COMMAND, FA_OUT_FAILURE);
    }
    if (fa_str_eq(method, "publickey") || fa_str_eq(method, "hostbased")) {
        /* Clients offer every key they hold until one is accepted: a
         * refused key is no guessed credential, and counting it would
         * make a user with several keys look like a brute force followed
         * by a success. */
        return ev(out, FA_ACT_COMMAND, FA_OUT_FAILURE);
    }
    if (c != NULL && c->pam_credit > 0 &&
        fa_starts(method.ptr, method.len, "keyboard-interactive")) {
        c->pam_credit--;
        out->detail = FA_STR_LIT("keyboard-interactive failure counted at "
                                 "the PAM error line");
        return ev(out, FA_ACT_COMMAND, FA_OUT_FAILURE);
    }
    return ev(out, FA_ACT_LOGIN, FA_OUT_FAILURE);
}

/* "Invalid user <user> from <ip>[ port <n>]" */
static int sshd_invalid(struct ossh *s, const struct msgin *m, struct fa_str t,
                        struct fa_event *out, const char **why)
{
    struct fa_str user, ip;
    uint16_t port;
    /* An empty name leaves " from " at the start of t. */
    if (!auth_addr(t, &user, &ip, &port)) {
        *why = "Invalid user line without a client address";
        return FA_INVALID;
    }
    conn_set(conn_get(s, m->pid), user, ip, port);
    ev_user_ip(out, user, ip, port);
    /* sshd goes on to log the password it was given ("Failed password
     * for invalid user ..."), which is the failed login; this line only
     * names the user, so it is not counted a second time. */
    out->detail = FA_STR_LIT("invalid user");
    return ev(out, FA_ACT_COMMAND, FA_OUT_FAILURE);
}

/* "User <user>[ from <host>] not allowed because <reason>" (allowed_user) */
static int sshd_not_allowed(struct ossh *s, const struct msgin *m,
                            struct fa_str t, struct fa_event *out)
{
    const char *k = rfind(t, " not allowed because ");
    if (k == NULL) {
        return NOT_MINE;
    }
    struct fa_str head = span(t.ptr, k);
    struct fa_str user = head, ip = FA_STR_NULL;
    const char *f = rfind(head, " from ");
    if (f != NULL && memchr(f + 6, ' ', (size_t)(k - f - 6)) == NULL &&
        k > f + 6) {
        user = span(head.ptr, f);
        ip = span(f + 6, k);
    }
    struct conn *c = conn_get(s, m->pid);
    uint16_t port = 0;
    if (ip.len == 0 && c != NULL) {
        ip = fa_str_make(c->ip, c->iplen);
        port = c->port;
    }
    conn_set(c, user, ip, 0);
    ev_user_ip(out, user, ip, port);
    out->detail = span(k + 1, end_of(t));
    return ev(out, FA_ACT_LOGIN, FA_OUT_FAILURE);
}

/* "PAM: <reason> for [illegal user ]<user> from <host>[ via <addr>]",
 * written by sshd (auth-pam.c) for each failed keyboard-interactive/PAM
 * attempt; at LogLevel INFO often the only trace of the attempt. */
static int sshd_pam_error(struct ossh *s, const struct msgin *m,
                          struct fa_str t, struct fa_event *out)
{
    struct fa_str full = t;
    eat(&t, "PAM: ");
    const char *k = find(t, " for ");
    if (k == NULL) {
        return FA_SKIP;
    }
    struct fa_str rest = span(k + 5, end_of(t));
    const char *via = rfind(rest, " via ");
    if (via != NULL && memchr(via + 5, ' ', (size_t)(end_of(rest) - via - 5))
                           == NULL) {
        rest = span(rest.ptr, via);
    }
    const char *f = rfind(rest, " from ");
    if (f == NULL || f + 6 >= end_of(rest) ||
        memchr(f + 6, ' ', (size_t)(end_of(rest) - f - 6)) != NULL) {
        return FA_SKIP;
    }
    struct fa_str user = span(rest.ptr, f);
    struct fa_str ip = span(f + 6, end_of(rest));
    eat(&user, "illegal user ");
    struct conn *c = conn_get(s, m->pid);
    conn_set(c, user, ip, 0);
    if (c != NULL && c->pam_credit < 255) {
        c->pam_credit++;
    }
    ev_user_ip(out, user, ip, c != NULL ? c->port : 0);
    out->detail = span(full.ptr, k);
    return ev(out, FA_ACT_LOGIN, FA_OUT_FAILURE);
}

/* "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0
 * tty=ssh ruser= rhost=127.0.0.66  user=alice" */
static int sshd_pam_module(struct ossh *s, const struct msgin *m,
                           struct fa_str t, struct fa_event *out)
{
    const char *k = find(t, "(sshd:auth): authentication failure");
    if (k == NULL) {
        return FA_SKIP; /* sessions, limits, "check pass", ... */
    }
    const char *semi = memchr(k, ';', (size_t)(end_of(t) - k));
    struct fa_str ip = FA_STR_NULL, user = FA_STR_NULL;
    const char *r = find(t, " rhost=");
    if (r != NULL) {
        ip = word(span(r + 7, end_of(t)));
    }
    const char *u = rfind(t, " user=");
    if (u != NULL && (r == NULL || u > r)) {
        user = fa_trim(span(u + 6, end_of(t)));
    }
    struct conn *c = conn_get(s, m->pid);
    ev_user_ip(out, user, ip, c != NULL ? c->port : 0);
    out->detail = span(t.ptr, semi != NULL ? semi : end_of(t));
    return ev(out, FA_ACT_COMMAND, FA_OUT_FAILURE);
}

/* "Connection from <ip> port <n> on <ip> port <n>[ rdomain "..."]" */
static int sshd_connect(struct ossh *s, const struct msgin *m, struct fa_str t,
                        struct fa_event *out, const char **why)
{
    struct fa_str ip = word(t);
    if (!fa_is_ip(ip)) {
        *why = "Connection from without an address";
        return FA_INVALID;
    }
    struct fa_str r = span(ip.ptr + ip.len, end_of(t));
    uint64_t pv = 0;
    if (eat(&r, " port ")) {
        number(r, &pv);
    }
    struct conn *c = conn_get(s, m->pid);
    if (c != NULL) {
        /* A new connection on this pid: forget the old one. */
        c->ulen = 0;
        c->logged_in = c->logged_out = false;
        c->pam_credit = 0;
    }
    conn_set(c, FA_STR_NULL, ip, port_of(pv));
    ev_user_ip(out, m->by_account ? m->account : FA_STR_NULL, ip,
               port_of(pv));
    return ev(out, FA_ACT_CONNECT, FA_OUT_SUCCESS);
}

/* "refused connect from <host> (<ip>)" (tcp wrappers) */
static int sshd_refused(struct fa_str t, struct fa_event *out)
{
    const char *o = rfind(t, " (");
    struct fa_str ip = word(t);
    if (o != NULL && ends(t, ")") && o + 2 < end_of(t) - 1) {
        ip = span(o + 2, end_of(t) - 1);
    }
    ev_user_ip(out, FA_STR_NULL, ip, 0);
    out->detail = FA_STR_LIT("refused connect");
    return ev(out, FA_ACT_CONNECT, FA_OUT_FAILURE);
}

/*
 * The end of a connection:
 *   Received disconnect from <ip>[ port <n>]:<code>: <text>
 *   Disconnected from [user <u> ]<ip> port <n>
 *   Connection closed by [user <u> ]<ip>[ port <n>]
 *   Connection reset by [user <u> ]<ip>[ port <n>]
 * One logout per sshd pid: the first of these after a login.  Lines of a
 * connection that never logged in ("[preauth]", "authenticating user",
 * "invalid user", or a pid without a login) are no logout.
 */
static int sshd_disconnect(struct ossh *s, const struct msgin *m,
                           struct fa_str t, bool received, bool preauth,
                           struct fa_event *out, const char **why)
{
    if (preauth) {
        return FA_SKIP;
    }
    struct fa_str user = FA_STR_NULL, ip, detail = FA_STR_NULL;
    uint64_t pv = 0;
    if (received) {
        const char *pt = find(t, " port ");
        const char *colon = find(t, ": ");
        if (pt != NULL && (colon == NULL || pt < colon)) {
            ip = span(t.ptr, pt);
            number(span(pt + 6, end_of(t)), &pv);
        } else if (colon != NULL) {
            ip = span(t.ptr, colon);
        } else {
            ip = word(t);
        }
        if (colon != NULL) {
            /* ":<code>: <text>" */
            struct fa_str d = span(colon + 2, end_of(t));
            detail = d;
        } else {
            const char *c2 = find(t, ":");
            if (c2 != NULL) {
                detail = span(c2 + 1, end_of(t));
            }
        }
    } else {
        struct fa_str r = t;
        const char *pt = rfind(r, " port ");
        if (pt != NULL) {
            uint64_t v;
            struct fa_str num = span(pt + 6, end_of(r));
            if (num.len > 0 && number(num, &v) == num.len) {
                pv = v;
                r = span(r.ptr, pt);
            }
        }
        const char *sp = rfind(r, " ");
        ip = sp != NULL ? span(sp + 1, end_of(r)) : r;
        struct fa_str head = sp != NULL ? span(r.ptr, sp) : FA_STR_NULL;
        if (eat(&head, "user ")) {
            user = head;
        } else if (head.len > 0) {
            return FA_SKIP; /* "authenticating user", "invalid user" */
        }
    }
    if (ip.len == 0) {
        *why = "disconnect line without an address";
        return FA_INVALID;
    }
    struct conn *c = conn_find(s, m->pid);
    if (c != NULL && c->logged_out) {
        return FA_SKIP; /* already reported for this pid */
    }
    if (user.len == 0 && m->pid != 0 && (c == NULL || !c->logged_in)) {
        return FA_SKIP;
    }
    c = conn_get(s, m->pid);
    if (user.len == 0 && c != NULL) {
        user = fa_str_make(c->user, c->ulen);
    }
    if (user.len == 0 && m->by_account) {
        user = m->account;
    }
    uint16_t port = port_of(pv);
    if (port == 0 && c != NULL) {
        port = c->port;
    }
    if (c != NULL) {
        c->logged_out = true;
    }
    ev_user_ip(out, user, ip, port);
    out->detail = detail;
    return ev(out, FA_ACT_LOGOUT, FA_OUT_SUCCESS);
}

/* "Starting session: subsystem 'sftp' for <user> from <ip> port <n> id 0",
 * written by the session child: its pid now stands for the login. */
static int sshd_starting(struct ossh *s, const struct msgin *m,
                         struct fa_str t)
{
    const char *f = find(t, " for ");
    const char *fr = rfind(t, " from ");
    if (f == NULL || fr == NULL || fr < f) {
        return FA_SKIP;
    }
    struct fa_str r = span(fr + 6, end_of(t));
    struct fa_str ip = word(r);
    r = span(ip.ptr + ip.len, end_of(t));
    uint64_t pv = 0;
    if (eat(&r, " port ")) {
        number(r, &pv);
    }
    struct conn *c = conn_get(s, m->pid);
    conn_set(c, span(f + 5, fr), ip, port_of(pv));
    if (c != NULL) {
        c->logged_in = true;
    }
    return FA_SKIP;
}

/* "User child is on pid <n>": the child inherits the login. */
static int sshd_child(struct ossh *s, const struct msgin *m, struct fa_str t)
{
    uint64_t pid;
    if (number(t, &pid) != t.len || pid == 0 || pid > UINT32_MAX) {
        return FA_SKIP;
    }
    struct conn *p = conn_find(s, m->pid);
    if (p == NULL) {
        return FA_SKIP;
    }
    struct conn copy = *p;
    struct conn *c = conn_get(s, (uint32_t)pid);
    if (c != NULL) {
        uint64_t seq = c->seq;
        *c = copy;
        c->pid = (uint32_t)pid;
        c->seq = seq;
        c->pam_credit = 0;
    }
    return FA_SKIP;
}

/* Prefixes some systems put before the message. */
static struct fa_str strip_prefixes(struct fa_str t)
{
    for (;;) {
        if (eat(&t, "error: ") || eat(&t, "fatal: ")) {
            continue;
        }
        /* Solaris: "[ID 800047 auth.info] " */
        if (fa_starts(t.ptr, t.len, "[ID ")) {
            const char *e = memchr(t.ptr, ']', t.len);
            if (e != NULL && e + 1 < end_of(t) && e[1] == ' ') {
                t = span(e + 2, end_of(t));
                continue;
            }
        }
        /* A kernel stamp glued in by some journal exports:
         * "kernel:[  970.699396]: " or "kernel: [  970.699397] " */
        if (fa_starts(t.ptr, t.len, "kernel:")) {
            const char *o = memchr(t.ptr, '[', t.len < 12 ? t.len : 12);
            const char *e = o ? memchr(o, ']', (size_t)(end_of(t) - o)) : NULL;
            if (e != NULL && (size_t)(e - o) < 24) {
                struct fa_str r = span(e + 1, end_of(t));
                eat(&r, ":");
                eat(&r, " ");
                t = r;
                continue;
            }
        }
        return t;
    }
}

static int sshd_msg(struct ossh *s, const struct msgin *m,
                    struct fa_event *out, const char **why)
{
    struct fa_str t = strip_prefixes(m->msg);
    /* Trailing blanks (seen after PAM lines) and the pre-auth marker. */
    while (t.len > 0 && (t.ptr[t.len - 1] == ' ' || t.ptr[t.len - 1] == '\t')) {
        t.len--;
    }
    bool preauth = false;
    if (ends(t, " [preauth]")) {
        preauth = true;
        t.len -= strlen(" [preauth]");
    }
    if (eat(&t, "Accepted ")) {
        return sshd_auth(s, m, t, "Accepted", out, why);
    }
    if (eat(&t, "Failed ")) {
        return sshd_auth(s, m, t, "Failed", out, why);
    }
    if (eat(&t, "Partial ")) {
        return sshd_auth(s, m, t, "Partial", out, why);
    }
    if (fa_starts(t.ptr, t.len, "Postponed ")) {
        return FA_SKIP; /* a public key offered, not yet signed */
    }
    if (eat(&t, "Invalid user ")) {
        return sshd_invalid(s, m, t, out, why);
    }
    if (eat(&t, "User child is on pid ")) {
        return sshd_child(s, m, t);
    }
    if (eat(&t, "User ")) {
        int r = sshd_not_allowed(s, m, t, out);
        return r == NOT_MINE ? FA_SKIP : r;
    }
    if (eat(&t, "ROOT LOGIN REFUSED FROM ")) {
        ev_user_ip(out, FA_STR_LIT("root"), word(t), 0);
        out->detail = FA_STR_LIT("root login refused");
        return ev(out, FA_ACT_LOGIN, FA_OUT_FAILURE);
    }
    if (fa_starts(t.ptr, t.len, "PAM: ")) {
        return sshd_pam_error(s, m, t, out);
    }
    if (fa_starts(t.ptr, t.len, "pam_")) {
        return sshd_pam_module(s, m, t, out);
    }
    if (eat(&t, "Connection from ")) {
        return sshd_connect(s, m, t, out, why);
    }
    if (eat(&t, "refused connect from ")) {
        return sshd_refused(t, out);
    }
    if (eat(&t, "Received disconnect from ")) {
        return sshd_disconnect(s, m, t, true, preauth, out, why);
    }
    if (eat(&t, "Disconnected from ") || eat(&t, "Connection closed by ") ||
        eat(&t, "Connection reset by ")) {
        return sshd_disconnect(s, m, t, false, preauth, out, why);
    }
    if (eat(&t, "Starting session: ")) {
        return sshd_starting(s, m, t);
    }
    return NOT_MINE;
}

/* ---- sftp-server / internal-sftp ----------------------------------------- */

/* `<prefix>"<path>"<suffix...>`: the path runs from t to the last
 * occurrence of sep (a closing quote plus the fixed text after it).  Paths
 * are written as the client sent them, embedded quotes unescaped; the
 * text after the path is fixed, so its last occurrence is the real one. */
static bool quoted_before(struct fa_str t, const char *sep,
                          struct fa_str *path, struct fa_str *after)
{
    const char *q = rfind(t, sep);
    if (q == NULL) {
        return false;
    }
    *path = span(t.ptr, q);
    *after = span(q + strlen(sep), end_of(t));
    return true;
}

/* A quoted path that ends the message: `<path>"`. */
static bool quoted_last(struct fa_str t, struct fa_str *path)
{
    if (t.len == 0 || t.ptr[t.len - 1] != '"') {
        return false;
    }
    *path = fa_str_make(t.ptr, t.len - 1);
    return true;
}

static unsigned open_flags(struct fa_str f)
{
    static const struct {
        const char *name;
        unsigned bit;
    } names[] = {
        {"READ", OF_READ},     {"WRITE", OF_WRITE}, {"APPEND", OF_APPEND},
        {"CREATE", OF_CREATE}, {"TRUNCATE", OF_TRUNC}, {"EXCL", OF_EXCL},
    };
    unsigned bits = 0;
    size_t i = 0;
    while (i < f.len) {
        size_t j = i;
        while (j < f.len && f.ptr[j] != ',') {
            j++;
        }
        struct fa_str w = fa_str_make(f.ptr + i, j - i);
        for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
            if (fa_str_eq(w, names[k].name)) {
                bits |= names[k].bit;
            }
        }
        i = j + 1;
    }
    return bits;
}

static void note_op(struct sess *ss, const char *op, struct fa_str path)
{
    ss->last = REQ_OP;
    ss->last_op = op;
    ss->last_plen = keep(ss->last_path, sizeof(ss->last_path), path);
}

static int sftp_session(struct ossh *s, const struct msgin *m, struct fa_str t,
                        bool opened, struct fa_event *out, const char **why)
{
    const char *f = rfind(t, " from [");
    if (f == NULL || !ends(t, "]")) {
        *why = "sftp session line without \"from [address]\"";
        return FA_INVALID;
    }
    struct fa_str user = span(t.ptr, f);
    struct fa_str ip = span(f + 7, end_of(t) - 1);
    if (fa_str_eq(ip, "UNKNOWN")) {
        ip = FA_STR_NULL;
    }
    struct sess *ss = sess_find(s, m);
    if (opened) {
        /* A pid seen again is a new session (pids wrap); an IONOS account
         * may hold several at once. */
        if (ss == NULL || !m->by_account) {
            if (ss != NULL) {
                sess_end(s, ss);
            }
            ss = sess_new(s, m);
        }
        ss->seq = ++s->seq;
        ss->refs++;
        ss->ulen = keep(ss->user, sizeof(ss->user), user);
        if (ip.len > 0) {
            ss->iplen = keep(ss->ip, sizeof(ss->ip), ip);
        }
        ss->last = REQ_NONE;
        ev_sess(out, ss, m);
        if (accept_take(s, m, out->user, out->ip)) {
            return FA_SKIP; /* the login was reported at its Accepted line */
        }
        out->detail = FA_STR_LIT("sftp session");
        return ev(out, FA_ACT_LOGIN, FA_OUT_SUCCESS);
    }
    if (ss != NULL) {
        ev_sess(out, ss, m);
        if (--ss->refs <= 0 || !m->by_account) {
            sess_end(s, ss);
        }
    }
    ev_user_ip(out, user, ip, 0);
    if (out->ip.len == 0 && m->by_account && !fa_str_eq(m->client_ip, "-")) {
        out->ip = fa_ip_normalize(m->client_ip);
    }
    out->detail = FA_STR_LIT("sftp session");
    return ev(out, FA_ACT_LOGOUT, FA_OUT_SUCCESS);
}

static int sftp_open(struct ossh *s, const struct msgin *m, struct fa_str t,
                     const char **why)
{
    struct fa_str path, after;
    if (!quoted_before(t, "\" flags ", &path, &after)) {
        *why = "sftp open without flags";
        return FA_INVALID;
    }
    struct fa_str flags = word(after);
    if (flags.len == 0) {
        *why = "sftp open without flags";
        return FA_INVALID;
    }
    struct sess *ss = sess_get(s, m);
    struct handle *h = handle_new(s, ss);
    h->flags = open_flags(flags);
    h->flen = keep(h->flagstr, sizeof(h->flagstr), flags);
    h->hash = hash_of(path);
    h->len = path.len;
    h->keep = keep(h->path, sizeof(h->path), path);
    ss->last = REQ_OPEN;
    ss->last_handle = (int)(h - s->handles);
    return FA_SKIP; /* the transfer is reported at its close */
}

/* "[forced ]close "<path>" bytes read <r> written <w>" */
static int sftp_close(struct ossh *s, const struct msgin *m, struct fa_str t,
                      bool forced, struct fa_event *out, const char **why)
{
    struct fa_str path, r;
    uint64_t rd, wr;
    size_t n;
    if (!quoted_before(t, "\" bytes read ", &path, &r) ||
        (n = number(r, &rd)) == 0) {
        *why = "sftp close without byte counts";
        return FA_INVALID;
    }
    r = span(r.ptr + n, end_of(r));
    if (!eat(&r, " written ") || (n = number(r, &wr)) == 0 || n != r.len) {
        *why = "sftp close without byte counts";
        return FA_INVALID;
    }
    struct sess *ss = sess_get(s, m);
    struct handle *h = handle_find(s, ss, path);
    ss->last = REQ_NONE;
    ev_sess(out, ss, m);
    out->path = path;
    enum fa_outcome o = forced ? FA_OUT_FAILURE : FA_OUT_SUCCESS;
    if (forced) {
        out->detail = FA_STR_LIT("forced close");
    }
    enum fa_action a;
    if (h != NULL) {
        h->used = false;
        bool writing = (h->flags & (OF_WRITE | OF_APPEND)) != 0;
        a = writing && (wr > 0 || rd == 0) ? FA_ACT_UPLOAD : FA_ACT_DOWNLOAD;
        if (!forced) {
            out->detail = fa_str_make(h->flagstr, h->flen);
        }
    } else if (wr > 0) {
        a = FA_ACT_UPLOAD;
    } else if (rd > 0) {
        a = FA_ACT_DOWNLOAD;
    } else {
        /* Nothing moved and the open was not seen: no direction. */
        if (!forced) {
            out->detail = FA_STR_LIT("close");
        }
        return ev(out, FA_ACT_COMMAND, o);
    }
    uint64_t bytes = a == FA_ACT_UPLOAD ? wr : rd;
    out->bytes = bytes > INT64_MAX ? INT64_MAX : (int64_t)bytes;
    return ev(out, a, o);
}

/* "sent status <text>": the answer to the session's last request (one
 * sftp-server process answers in order).  At INFO only errors are
 * written: a success is the absence of a status. */
static int sftp_status(struct ossh *s, const struct msgin *m, struct fa_str t,
                       struct fa_event *out)
{
    if (t.len == 0 || fa_str_eq(t, "Success") || fa_str_eq(t, "End of file")) {
        return FA_SKIP;
    }
    struct sess *ss = sess_find(s, m);
    if (ss == NULL) {
        return FA_SKIP;
    }
    enum lastreq last = ss->last;
    ss->last = REQ_NONE;
    /* Several IONOS sessions share one key: their lines interleave and the
     * status cannot be tied to a request. */
    if (m->by_account && ss->refs > 1) {
        return FA_SKIP;
    }
    ev_sess(out, ss, m);
    out->detail = t;
    if (last == REQ_OPEN && ss->last_handle >= 0) {
        struct handle *h = &s->handles[ss->last_handle];
        if (!h->used || h->gen != ss->gen ||
            h->sess != (uint16_t)(ss - s->sess)) {
            return FA_SKIP;
        }
        h->used = false;
        out->path = fa_str_make(h->path, h->keep);
        bool writing = (h->flags & (OF_WRITE | OF_APPEND)) != 0;
        return ev(out, writing ? FA_ACT_UPLOAD : FA_ACT_DOWNLOAD,
                  FA_OUT_FAILURE);
    }
    if (last == REQ_OP) {
        /* The remove/mkdir/... was reported when it was requested. */
        int n = snprintf(s->detail, sizeof(s->detail), "%s: %.*s",
                         ss->last_op, (int)t.len, t.ptr);
        out->detail = fa_str_make(s->detail, (size_t)n < sizeof(s->detail)
                                                 ? (size_t)n
                                                 : sizeof(s->detail) - 1);
        out->path = fa_str_make(ss->last_path, ss->last_plen);
        return ev(out, FA_ACT_COMMAND, FA_OUT_FAILURE);
    }
    return FA_SKIP;
}

/* remove, rmdir, mkdir, rename, posix-rename, symlink, hardlink, set. */
static int sftp_op(struct ossh *s, const struct msgin *m, struct fa_str t,
                   const char *op, enum fa_action a, struct fa_event *out,
                   const char **why)
{
    struct fa_str path, path2 = FA_STR_NULL, after;
    if (a == FA_ACT_RENAME || strcmp(op, "symlink") == 0 ||
        strcmp(op, "hardlink") == 0) {
        /* old "<a>" new "<b>": the names are client text; the first
         * `" new "` splits them (a name holding it is ambiguous). */
        const char *k = find(t, "\" new \"");
        if (k == NULL || !quoted_last(span(k + 7, end_of(t)), &path2)) {
            *why = "sftp rename without old and new names";
            return FA_INVALID;
        }
        path = span(t.ptr, k);
    } else if (a == FA_ACT_MKDIR) {
        if (!quoted_before(t, "\" mode ", &path, &after)) {
            *why = "sftp mkdir without mode";
            return FA_INVALID;
        }
    } else if (strcmp(op, "set") == 0) {
        /* set "<path>" mode 0644 | size N | modtime T | owner U group G */
        if (!quoted_before(t, "\" ", &path, &after) || after.len == 0) {
            *why = "sftp set without an attribute";
            return FA_INVALID;
        }
        if (eat(&after, "mode ")) {
            a = FA_ACT_CHMOD;
        }
        out->detail = after;
    } else if (!quoted_last(t, &path)) {
        *why = "sftp request without a closing quote";
        return FA_INVALID;
    }
    struct sess *ss = sess_get(s, m);
    note_op(ss, op, path);
    ev_sess(out, ss, m);
    out->path = path;
    out->path2 = path2;
    if (a == FA_ACT_COMMAND && out->detail.len == 0) {
        out->detail = fa_str_make(op, strlen(op));
    }
    return ev(out, a, FA_OUT_SUCCESS);
}

/* Requests logged at VERBOSE and DEBUG that carry no event. */
static const char *const sftp_quiet[] = {
    "opendir \"", "closedir \"", "forced closedir \"", "stat name \"",
    "lstat name \"", "fstat \"", "realpath \"", "readlink \"", "statvfs \"",
    "fstatvfs \"", "fsync \"", "received client version ",
    "users-groups-by-id", "home-directory", "expand ", "copy-data",
    "limits", "Refusing ", "lsetstat", NULL,
};

static int sftp_msg(struct ossh *s, const struct msgin *m,
                    struct fa_event *out, const char **why)
{
    struct fa_str t = m->msg;
    if (fa_starts(t.ptr, t.len, "debug")) {
        return FA_SKIP;
    }
    if (eat(&t, "session opened for local user ")) {
        return sftp_session(s, m, t, true, out, why);
    }
    if (eat(&t, "session closed for local user ")) {
        return sftp_session(s, m, t, false, out, why);
    }
    if (eat(&t, "open \"")) {
        return sftp_open(s, m, t, why);
    }
    if (eat(&t, "close \"")) {
        return sftp_close(s, m, t, false, out, why);
    }
    if (eat(&t, "forced close \"")) {
        return sftp_close(s, m, t, true, out, why);
    }
    if (eat(&t, "sent status ")) {
        return sftp_status(s, m, t, out);
    }
    if (eat(&t, "remove name \"")) {
        return sftp_op(s, m, t, "remove", FA_ACT_DELETE, out, why);
    }
    if (eat(&t, "rmdir name \"")) {
        return sftp_op(s, m, t, "rmdir", FA_ACT_RMDIR, out, why);
    }
    if (eat(&t, "mkdir name \"")) {
        return sftp_op(s, m, t, "mkdir", FA_ACT_MKDIR, out, why);
    }
    if (eat(&t, "rename old \"")) {
        return sftp_op(s, m, t, "rename", FA_ACT_RENAME, out, why);
    }
    if (eat(&t, "posix-rename old \"")) {
        return sftp_op(s, m, t, "posix-rename", FA_ACT_RENAME, out, why);
    }
    if (eat(&t, "symlink old \"")) {
        return sftp_op(s, m, t, "symlink", FA_ACT_COMMAND, out, why);
    }
    if (eat(&t, "hardlink old \"")) {
        return sftp_op(s, m, t, "hardlink", FA_ACT_COMMAND, out, why);
    }
    if (eat(&t, "set \"")) {
        return sftp_op(s, m, t, "set", FA_ACT_COMMAND, out, why);
    }
    for (size_t i = 0; sftp_quiet[i] != NULL; i++) {
        if (fa_starts(t.ptr, t.len, sftp_quiet[i])) {
            struct sess *ss = sess_find(s, m);
            if (ss != NULL) {
                ss->last = REQ_NONE;
            }
            return FA_SKIP;
        }
    }
    return NOT_MINE;
}

/* ---- the shared entry ---------------------------------------------------- */

static enum fa_status read_msg(struct ossh *s, const struct msgin *m,
                               struct fa_event *out, const char **why)
{
    int r = NOT_MINE;
    if (m->src == SRC_SFTP) {
        r = sftp_msg(s, m, out, why);
    } else if (m->src == SRC_SSHD) {
        r = sshd_msg(s, m, out, why);
        if (r == NOT_MINE) {
            /* internal-sftp under sshd's tag (older or patched builds) */
            r = sftp_msg(s, m, out, why);
        }
    } else {
        r = sftp_msg(s, m, out, why);
        if (r == NOT_MINE) {
            r = sshd_msg(s, m, out, why);
        }
    }
    /* Server banners, key exchange, PAM session noise ...: no event. */
    return r == NOT_MINE ? FA_SKIP : (enum fa_status)r;
}

/* ---- syslog handler ------------------------------------------------------ */

static bool openssh_match(struct fa_str prog)
{
    return fa_str_eq(prog, "sshd") || fa_str_eq(prog, "sshd-session") ||
           fa_str_eq(prog, "sshd-auth") || fa_str_eq(prog, "internal-sftp") ||
           fa_str_eq(prog, "sftp-server");
}

static enum fa_status openssh_msg(void *state, const struct fa_envelope *env,
                                  struct fa_event *out, const char **why)
{
    struct msgin m = {
        .msg = env->msg,
        .pid = env->pid,
        .time_us = env->time_us,
        .src = fa_str_eq(env->prog, "internal-sftp") ||
                       fa_str_eq(env->prog, "sftp-server")
                   ? SRC_SFTP
                   : SRC_SSHD,
    };
    return read_msg(state, &m, out, why);
}

const struct fa_syslog_daemon fa_syslog_openssh = {
    .name = "openssh",
    .daemon = FA_DAEMON_OPENSSH,
    .state_size = sizeof(struct ossh),
    .match = openssh_match,
    .parse_msg = openssh_msg,
};

/* ---- IONOS logs/sftp.log ------------------------------------------------- */

/*
 * "Jul 30 09:51:33 10.71.57.0 u78774450 <message>": syslog time without a
 * year, the client address (a provider proxy; "-" when unknown), the
 * account, and the sshd or sftp-server message without program or pid.
 */

struct ionos_state {
    const struct fa_ctx *ctx;
    struct ossh core;
};

struct ionos_line {
    int64_t time_us;
    int32_t offset;
    struct fa_str ip, account, msg;
};

static bool account_ok(struct fa_str a)
{
    if (a.len == 0 || a.len > 64) {
        return false;
    }
    for (size_t i = 0; i < a.len; i++) {
        unsigned char c = (unsigned char)a.ptr[i];
        if (c <= ' ' || c == ':' || c == '[' || c == ']' || c == 0x7f) {
            return false;
        }
    }
    return true;
}

static bool ionos_split(const struct fa_ctx *ctx, const struct fa_line *l,
                        struct ionos_line *il, const char **why)
{
    const char *p = l->ptr;
    size_t len = l->len;
    size_t i = fa_stamp_bsd(ctx, p, len, &il->time_us, &il->offset);
    if (i == 0 || i >= len || p[i] != ' ') {
        *why = "no syslog time stamp";
        return false;
    }
    struct fa_str t = fa_str_make(p + i + 1, len - i - 1);
    il->ip = word(t);
    if (!fa_str_eq(il->ip, "-") && !fa_is_ip(il->ip)) {
        *why = "no client address after the time stamp";
        return false;
    }
    t = span(il->ip.ptr + il->ip.len, end_of(t));
    if (!eat(&t, " ")) {
        *why = "no account";
        return false;
    }
    il->account = word(t);
    if (!account_ok(il->account)) {
        *why = "no account";
        return false;
    }
    t = span(il->account.ptr + il->account.len, end_of(t));
    if (!eat(&t, " ") || t.len == 0) {
        *why = "no message";
        return false;
    }
    il->msg = t;
    return true;
}

/* Messages an IONOS file holds (sshd at VERBOSE, sftp-server at INFO). */
static const char *const ionos_known[] = {
    "open \"", "close \"", "forced close \"", "session opened for local user ",
    "session closed for local user ", "Connection from ", "Accepted ",
    "Failed ", "Invalid user ", "Starting session: ", "Connection closed by ",
    "Received disconnect from ", "Disconnected from ", "sent status ",
    "remove name \"", "mkdir name \"", "rmdir name \"", "rename old \"",
    "posix-rename old \"", "set \"", "opendir \"", "closedir \"", "[", NULL,
};

static int ionos_sftp_probe(const struct fa_line *l, size_t n)
{
    struct fa_tz utc = {.name = "UTC", .is_utc = true, .known = true};
    struct fa_ctx ctx = {.tz = &utc, .mtime = 0};
    size_t shape = 0, known = 0;
    for (size_t i = 0; i < n; i++) {
        struct ionos_line il;
        const char *why;
        if (!ionos_split(&ctx, &l[i], &il, &why)) {
            continue;
        }
        shape++;
        for (size_t k = 0; ionos_known[k] != NULL; k++) {
            if (fa_starts(il.msg.ptr, il.msg.len, ionos_known[k])) {
                known++;
                break;
            }
        }
    }
    if (n == 0 || known == 0 || shape * 2 < n || known * 2 < shape) {
        return 0;
    }
    return (int)(50 + 45 * known / n);
}

static int ionos_sftp_init(void *state, const struct fa_ctx *ctx,
                           const char **why)
{
    (void)why;
    struct ionos_state *st = state;
    st->ctx = ctx;
    return 0;
}

static enum fa_status ionos_sftp_parse(void *state, const struct fa_line *l,
                                       struct fa_event *out, const char **why)
{
    struct ionos_state *st = state;
    struct ionos_line il;
    if (!ionos_split(st->ctx, l, &il, why)) {
        return FA_INVALID;
    }
    /* "[ip|op|flag|bytes|0|0|0|hex(path)|hex(path2)]" repeats the close,
     * mkdir, rename ... just before it; the event came from that line. */
    if (il.msg.ptr[0] == '[') {
        if (memchr(il.msg.ptr, '|', il.msg.len) == NULL || !ends(il.msg, "]")) {
            *why = "damaged IONOS summary record";
            return FA_INVALID;
        }
        return FA_SKIP;
    }
    out->time_us = il.time_us;
    out->utc_offset = il.offset;
    out->tz_source = FA_TZ_ASSUMED;
    out->daemon = FA_DAEMON_OPENSSH;
    struct msgin m = {
        .msg = il.msg,
        .pid = 0,
        .time_us = il.time_us,
        .src = SRC_ANY,
        .by_account = true,
        .account = il.account,
        .client_ip = il.ip,
    };
    return read_msg(&st->core, &m, out, why);
}

const struct fa_parser fa_parser_ionos_sftp = {
    .name = "ionos-sftp",
    .summary = "IONOS logs/sftp.log (OpenSSH re-formatted)",
    .state_size = sizeof(struct ionos_state),
    .probe_lines = 20,
    .probe = ionos_sftp_probe,
    .init = ionos_sftp_init,
    .parse = ionos_sftp_parse,
};
