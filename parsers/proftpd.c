/*
 * ProFTPD's own log lines: the syslog / SystemLog messages of the daemon
 * (a handler for the syslog family in syslogfmt.c) and mod_sftp's SFTPLog
 * (a parser of its own).
 *
 *   May 31 10:53:25 mail proftpd[15302]: xxxxxxxxxx (::ffff:1.2.3.4[::ffff:1.2.3.4]) - Maximum login attempts (3) exceeded
 *   Nov 26 12:43:46 vm proftpd[10050]: 127.0.0.1 (127.0.0.10[127.0.0.10]) - USER alice: Login successful.
 *   2026-11-26 12:43:02,549 vm proftpd[9175] 127.0.0.1 (127.0.0.66[127.0.0.66]): USER alice (Login failed): Incorrect password
 *   Jan 10 00:00:00 myhost proftpd[12345] myhost.domain.com (123.123.123.123[123.123.123.123]): USER username (Login failed): User in /etc/ftpusers
 *   2026-11-26 12:43:05,369 mod_sftp/1.1.1[9290]: client (127.0.0.10:58905) connected to server (127.0.0.1:40222)
 *   2026-11-26 12:43:09,398 mod_sftp/1.1.1[9320]: password authentication for user 'alice' failed: Incorrect password
 *
 * Upstream: proftpd/proftpd src/log.c (the "<server> (<name>[<ip>])"
 * prefix), modules/mod_auth.c (USER/ANON login messages, timeouts),
 * contrib/mod_sftp/{auth.c,auth-password.c,auth-publickey.c,fxp.c,
 * disconnect.c} (SFTPLog messages), doc/howto/LogMessages.html.
 *
 * The syslog envelope (stamp, host, "proftpd[pid]" with or without a colon)
 * is split by syslog.c; this file reads what follows it.  A user name is
 * whatever the client sent, so it may hold any text, even a forged copy of
 * a whole log prefix: every message is therefore matched on the parts the
 * server writes itself (the prefix before the user, the fixed tail after
 * it), and a user name is what lies between them.
 */
#include <string.h>

#include "registry.h"
#include "strutil.h"
#include "syslog.h"

/* ------------------------------------------------------------------ */
/* Small view helpers                                                   */
/* ------------------------------------------------------------------ */

static struct fa_str rtrim(struct fa_str s)
{
    while (s.len > 0 && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t')) {
        s.len--;
    }
    return s;
}

/* If s starts with lit, drop it and return true. */
static bool eat(struct fa_str *s, const char *lit)
{
    size_t n = strlen(lit);
    if (!fa_starts(s->ptr, s->len, lit)) {
        return false;
    }
    s->ptr += n;
    s->len -= n;
    return true;
}

/* If s ends with lit, drop it and return true. */
static bool eat_end(struct fa_str *s, const char *lit)
{
    if (!fa_ends(s->ptr, s->len, lit)) {
        return false;
    }
    s->len -= strlen(lit);
    return true;
}

/* A failure reason without the final dot some versions add, so that
 * "Incorrect password." and "Incorrect password" read alike. */
static struct fa_str reason(struct fa_str s)
{
    if (s.len > 0 && s.ptr[s.len - 1] == '.') {
        s.len--;
    }
    return s;
}

/* s is lit, with or without one final '.'. */
static bool is_msg(struct fa_str s, const char *lit)
{
    return fa_str_eq(reason(s), lit);
}

/* Split s at the LAST occurrence of sep: *head before it, *tail after.
 * The last one, because text before it may come from the client. */
static bool split_last(struct fa_str s, const char *sep, struct fa_str *head,
                       struct fa_str *tail)
{
    size_t n = strlen(sep);
    const char *at = fa_memrmem(s.ptr, s.len, sep, n);
    if (at == NULL) {
        return false;
    }
    *head = fa_str_make(s.ptr, (size_t)(at - s.ptr));
    *tail = fa_str_make(at + n, s.len - (size_t)(at - s.ptr) - n);
    return true;
}

/* Bytes of s before the first of the bytes in stop (or s.len). */
static size_t span_until(struct fa_str s, const char *stop)
{
    size_t i = 0;
    while (i < s.len && (s.ptr[i] == '\0' || strchr(stop, s.ptr[i]) == NULL)) {
        i++;
    }
    return i;
}

static bool all_digits(struct fa_str s)
{
    if (s.len == 0) {
        return false;
    }
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] < '0' || s.ptr[i] > '9') {
            return false;
        }
    }
    return true;
}

/* An address as logged, normalized, or an empty view when the text is not
 * an address (anonymized samples write "aa.bb.vv.dd"). */
static struct fa_str addr(struct fa_str s)
{
    s = fa_ip_normalize(s);
    return fa_is_ip(s) ? s : FA_STR_NULL;
}

/* ------------------------------------------------------------------ */
/* Per-process memory                                                   */
/* ------------------------------------------------------------------ */

/*
 * Every ProFTPD session is one process, so the pid ties the lines of a
 * session together: the protocol named by "FTP/SSH2 session opened", the
 * user of the login (for the logout line), and in the SFTPLog the client
 * address, which only the first line of a session names.  A fixed table;
 * the slot used longest ago makes room for a new session.
 */
#define PID_SLOTS 256
#define SLOT_USER_MAX 128
#define SLOT_IP_MAX 48

struct pid_slot {
    uint32_t pid;          /* 0: free */
    uint64_t used;         /* table clock at the last use */
    enum fa_proto proto;
    uint16_t port;
    uint8_t user_len, ip_len;
    int64_t login_us;      /* time of the login success, 0: none yet */
    char user[SLOT_USER_MAX];
    char ip[SLOT_IP_MAX];
};

struct pid_table {
    uint64_t clock;
    struct pid_slot slot[PID_SLOTS];
};

static struct pid_slot *slot_find(struct pid_table *t, uint32_t pid)
{
    if (pid == 0) {
        return NULL;
    }
    for (size_t i = 0; i < PID_SLOTS; i++) {
        if (t->slot[i].pid == pid) {
            t->slot[i].used = ++t->clock;
            return &t->slot[i];
        }
    }
    return NULL;
}

/* A fresh slot for pid (a new session: whatever the pid held is gone). */
static struct pid_slot *slot_new(struct pid_table *t, uint32_t pid)
{
    if (pid == 0) {
        return NULL;
    }
    struct pid_slot *s = slot_find(t, pid);
    if (s == NULL) {
        s = &t->slot[0];
        for (size_t i = 0; i < PID_SLOTS && s->pid != 0; i++) {
            if (t->slot[i].pid == 0 || t->slot[i].used < s->used) {
                s = &t->slot[i];
            }
        }
    }
    memset(s, 0, sizeof(*s));
    s->pid = pid;
    s->used = ++t->clock;
    return s;
}

/* Free the slot but leave its bytes: the event being built may still
 * point at the user or address kept there. */
static void slot_drop(struct pid_slot *s)
{
    if (s != NULL) {
        s->pid = 0;
        s->used = 0;
    }
}

/* Keep a copy of the user; a name too long to keep is not kept at all
 * (a cut name would be another user). */
static void slot_set_user(struct pid_slot *s, struct fa_str user)
{
    if (s == NULL) {
        return;
    }
    if (user.len >= SLOT_USER_MAX) {
        s->user_len = 0;
        return;
    }
    memcpy(s->user, user.ptr, user.len);
    s->user_len = (uint8_t)user.len;
}

static void slot_set_ip(struct pid_slot *s, struct fa_str ip)
{
    if (s == NULL || ip.len == 0 || ip.len >= SLOT_IP_MAX) {
        return;
    }
    memcpy(s->ip, ip.ptr, ip.len);
    s->ip_len = (uint8_t)ip.len;
}

static struct fa_str slot_user(const struct pid_slot *s)
{
    return s != NULL && s->user_len > 0 ? fa_str_make(s->user, s->user_len)
                                        : FA_STR_NULL;
}

static struct fa_str slot_ip(const struct pid_slot *s)
{
    return s != NULL && s->ip_len > 0 ? fa_str_make(s->ip, s->ip_len)
                                      : FA_STR_NULL;
}

static void set_result(struct fa_event *out, enum fa_action a,
                       enum fa_outcome o)
{
    out->action = a;
    out->outcome = o;
}

/* ------------------------------------------------------------------ */
/* syslog / SystemLog messages                                          */
/* ------------------------------------------------------------------ */

struct proftpd_state {
    struct pid_table pids;
};

/* The message after "<ServerFQDN> (<remote-name>[<remote-ip>])" and its
 * separator (" - " in syslog, ": " in the SystemLog file and old syslog). */
struct client_msg {
    struct fa_str ip;
    struct fa_str msg;
};

/*
 * Returns 1 with *c filled when m has the client prefix, 0 when it has none
 * (a daemon message), -1 when it starts like one ("<server> (<name>[") but
 * is broken.  The server name and the remote name and address are written
 * by the server and hold no spaces or brackets; the client's own text comes
 * only after.
 */
static int read_client(struct fa_str m, struct client_msg *c)
{
    size_t i = span_until(m, " ");
    if (m.len > 0 && m.ptr[0] == '(') {
        i = 0; /* LogOptions -VirtualHost: no server name */
    } else if (i == 0 || i + 1 >= m.len || m.ptr[i + 1] != '(' ||
               m.ptr[i - 1] == ':') {
        return 0;
    } else {
        i++;
    }
    i++; /* '(' */
    struct fa_str rest = fa_str_make(m.ptr + i, m.len - i);
    size_t name = span_until(rest, " []()");
    if (name == 0 || name >= rest.len || rest.ptr[name] != '[') {
        return 0; /* "ProFTPD terminating (signal 11)" and the like */
    }
    rest.ptr += name + 1;
    rest.len -= name + 1;
    size_t ip = span_until(rest, " []()");
    if (ip == 0 || ip + 1 >= rest.len || rest.ptr[ip] != ']' ||
        rest.ptr[ip + 1] != ')') {
        return -1;
    }
    c->ip = addr(fa_str_make(rest.ptr, ip));
    rest.ptr += ip + 2;
    rest.len -= ip + 2;
    if (!eat(&rest, ": ") && !eat(&rest, " - ")) {
        /* A message that is empty once trailing blanks are trimmed. */
        if (!(fa_str_eq(rest, ":") || fa_str_eq(rest, " -") ||
              rest.len == 0)) {
            return -1;
        }
        rest.len = 0;
    }
    c->msg = rest;
    return 1;
}

/* "<name> [<ip>] to <ip>:<port>", the whole rest of a message, as mod_auth
 * writes after "no such user found from".  *ip gets the bracketed
 * address. */
static bool from_to_tail(struct fa_str t, struct fa_str *ip)
{
    size_t n = span_until(t, " []");
    if (n == 0 || n + 2 > t.len || t.ptr[n] != ' ' || t.ptr[n + 1] != '[') {
        return false;
    }
    t.ptr += n + 2;
    t.len -= n + 2;
    size_t a = span_until(t, " []");
    if (a == 0 || a >= t.len || t.ptr[a] != ']') {
        return false;
    }
    *ip = fa_str_make(t.ptr, a);
    t.ptr += a + 1;
    t.len -= a + 1;
    if (!eat(&t, " to ")) {
        return false;
    }
    return t.len > 0 && span_until(t, " []") == t.len;
}

/* Server texts that end the user name in a login message. */
static bool has_marker(struct fa_str user)
{
    static const char *const markers[] = {
        " (Login failed): ", ": no such user found from ", ": Login successful",
    };
    for (size_t k = 0; k < sizeof(markers) / sizeof(markers[0]); k++) {
        if (fa_memmem(user.ptr, user.len, markers[k], strlen(markers[k])) !=
            NULL) {
            return true;
        }
    }
    return false;
}

/* "USER <user>..." or "ANON <user>..." (rest starts after the keyword). */
static enum fa_status user_msg(struct pid_slot *s, struct fa_str rest,
                               bool anon, struct fa_event *out,
                               const char **why)
{
    struct fa_str user, tail;
    out->anonymous = anon;

    /* Success: the fixed tail, with the dot of mod_auth or without it
     * (mod_sftp, old versions).  A failure never ends this way: its tail
     * is a reason or an address.  No account can be named after another
     * message, so a "user" holding one is two records glued on one line,
     * the success belonging to the second: read the line as the first. */
    user = rest;
    if ((eat_end(&user, ": Login successful.") ||
         eat_end(&user, ": Login successful")) &&
        !has_marker(user)) {
        if (user.len == 0) {
            *why = "login without a user name";
            return FA_INVALID;
        }
        out->user = user;
        /* ProFTPD 1.3.8 logs an SFTP login twice, from mod_sftp and from
         * mod_auth, within a millisecond: the second is no new login. */
        struct fa_str known = slot_user(s);
        if (s != NULL && s->login_us != 0 && known.len == user.len &&
            memcmp(known.ptr, user.ptr, user.len) == 0 &&
            out->time_us - s->login_us <= 2000000 &&
            out->time_us >= s->login_us) {
            out->detail = FA_STR_LIT("login logged again");
            set_result(out, FA_ACT_COMMAND, FA_OUT_SUCCESS);
            return FA_OK;
        }
        set_result(out, FA_ACT_LOGIN, FA_OUT_SUCCESS);
        slot_set_user(s, user);
        if (s != NULL) {
            s->login_us = out->time_us;
        }
        return FA_OK;
    }

    /* "USER x: no such user found from <name> [<ip>] to <ip>:<port>" and
     * "USER x: user is not a UserAlias from ...": the tail after the last
     * marker must be exactly the server's, else the marker was forged
     * inside the user name and the message is of another kind. */
    static const struct {
        const char *marker, *detail;
    } unknown[] = {
        {": no such user found from ", "no such user found"},
        {": user is not a UserAlias from ", "user is not a UserAlias"},
    };
    for (size_t k = 0; k < sizeof(unknown) / sizeof(unknown[0]); k++) {
        struct fa_str ip;
        if (split_last(rest, unknown[k].marker, &user, &tail) &&
            from_to_tail(tail, &ip)) {
            out->user = user;
            out->detail = fa_str_make(unknown[k].detail,
                                      strlen(unknown[k].detail));
            if (out->ip.len == 0) {
                out->ip = addr(ip);
            }
            set_result(out, FA_ACT_LOGIN, FA_OUT_FAILURE);
            return FA_OK;
        }
    }

    /* "USER x (Login failed): <reason>": the reasons are the server's
     * fixed texts, so the last marker is the real one. */
    if (split_last(rest, " (Login failed): ", &user, &tail)) {
        out->user = user;
        out->detail = reason(tail);
        set_result(out, FA_ACT_LOGIN, FA_OUT_FAILURE);
        return FA_OK;
    }

    /* "USER x: Limit access denies login", "ANON x: AnonRejectPasswords
     * denies login", "USER x: Limit configuration denies login". */
    if (fa_ends(rest.ptr, rest.len, "denies login") &&
        split_last(rest, ": ", &user, &tail)) {
        out->user = user;
        out->detail = tail;
        set_result(out, FA_ACT_LOGIN, FA_OUT_FAILURE);
        return FA_OK;
    }
    return FA_SKIP; /* "ANON AUTH: User x, authenticating using alias y" */
}

static bool is_timeout(struct fa_str m)
{
    /* "FTP session idle timeout, disconnected.", "FTP no transfer timeout,
     * disconnected", "FTP login timed out, disconnected", "Login timeout
     * exceeded, disconnected", "FTP session timed out, disconnected",
     * "Client session idle timeout, disconnected", "Data transfer stall
     * timeout: 3600 seconds". */
    if (fa_starts(m.ptr, m.len, "Data transfer stall timeout")) {
        return true;
    }
    struct fa_str t = reason(m);
    return fa_ends(t.ptr, t.len, ", disconnected") &&
           (fa_memmem(t.ptr, t.len, "timeout", 7) != NULL ||
            fa_memmem(t.ptr, t.len, "timed out", 9) != NULL);
}

/* A message after the client prefix. */
static enum fa_status session_msg(struct proftpd_state *st, uint32_t pid,
                                  struct fa_str m, struct fa_event *out,
                                  const char **why)
{
    struct pid_slot *s = slot_find(&st->pids, pid);
    if (s != NULL) {
        out->proto = s->proto;
    }

    bool ftp = is_msg(m, "FTP session opened");
    if (ftp || is_msg(m, "SSH2 session opened")) {
        s = slot_new(&st->pids, pid);
        out->proto = ftp ? FA_PROTO_FTP : FA_PROTO_SFTP;
        if (s != NULL) {
            s->proto = out->proto;
        }
        set_result(out, FA_ACT_CONNECT, FA_OUT_SUCCESS);
        return FA_OK;
    }
    ftp = is_msg(m, "FTP session closed");
    if (ftp || is_msg(m, "SSH2 session closed")) {
        out->proto = ftp ? FA_PROTO_FTP : FA_PROTO_SFTP;
        out->user = slot_user(s);
        set_result(out, FA_ACT_LOGOUT, FA_OUT_SUCCESS);
        slot_drop(s);
        return FA_OK;
    }

    struct fa_str rest = m;
    if (eat(&rest, "USER ")) {
        return user_msg(s, rest, false, out, why);
    }
    if (eat(&rest, "ANON ")) {
        return user_msg(s, rest, true, out, why);
    }

    /* "SECURITY VIOLATION: root login attempted." (mod_auth, old), "...:
     * Root login attempted" (1.3.6+, and mod_sftp's own copy). */
    rest = m;
    (void)eat(&rest, "SECURITY VIOLATION: ");
    if (fa_starts(rest.ptr, rest.len, "Root login attempted") ||
        fa_starts(rest.ptr, rest.len, "root login attempted")) {
        out->user = FA_STR_LIT("root");
        out->detail = reason(rest);
        set_result(out, FA_ACT_LOGIN, FA_OUT_FAILURE);
        return FA_OK;
    }

    /* "no such user 'a'" (1.2 mod_auth, logged next to "USER a: no such
     * user found ..." for the same attempt). */
    rest = m;
    if (eat(&rest, "no such user '") && eat_end(&rest, "'")) {
        out->user = rest;
        out->detail = FA_STR_LIT("no such user");
        set_result(out, FA_ACT_LOGIN, FA_OUT_FAILURE);
        return FA_OK;
    }

    /* Restates the failures logged one by one before it: a command event,
     * so that attempts are not counted twice. */
    if (fa_starts(m.ptr, m.len, "Maximum login attempts (")) {
        out->user = slot_user(s);
        out->detail = m;
        set_result(out, FA_ACT_COMMAND, FA_OUT_FAILURE);
        return FA_OK;
    }

    /* "Connection from <name> [<ip>] denied." (<Limit LOGIN>, mod_wrap). */
    if (fa_starts(m.ptr, m.len, "Connection from ") &&
        fa_ends(m.ptr, reason(m).len, " denied")) {
        out->detail = m;
        set_result(out, FA_ACT_CONNECT, FA_OUT_FAILURE);
        return FA_OK;
    }

    if (is_timeout(m)) {
        out->user = slot_user(s);
        out->detail = m;
        set_result(out, FA_ACT_LOGOUT, FA_OUT_UNKNOWN);
        slot_drop(s);
        return FA_OK;
    }
    /* "ROOT FTP login successful" repeats "USER root: Login successful.";
     * mod_delay, PRIVS, Refused PORT, passive ports ... carry no event. */
    return FA_SKIP;
}

/* "refused connect from <host> (<ip>)" (tcp_wrappers), "connect from
 * <ip>": the address after "from", in parentheses or brackets when there
 * are two. */
static struct fa_str wrap_addr(struct fa_str t)
{
    size_t n = span_until(t, " ");
    struct fa_str first = fa_str_make(t.ptr, n);
    const char *at = memchr(first.ptr, '@', first.len);
    if (at != NULL) { /* "user@host" from an ident lookup */
        first.len -= (size_t)(at + 1 - first.ptr);
        first.ptr = at + 1;
    }
    if (n + 2 < t.len && (t.ptr[n + 1] == '(' || t.ptr[n + 1] == '[')) {
        struct fa_str in = fa_str_make(t.ptr + n + 2, t.len - n - 2);
        size_t k = span_until(in, " )]");
        struct fa_str second = addr(fa_str_make(in.ptr, k));
        if (second.len > 0) {
            return second;
        }
    }
    return addr(first);
}

/* A message without the client prefix, from a "proftpd" tag. */
static enum fa_status daemon_msg(struct fa_str m, struct fa_event *out)
{
    for (int pass = 0; pass < 2; pass++) {
        struct fa_str rest = m;
        if (eat(&rest, "refused connect from ") ||
            eat(&rest, "refused connection from ")) {
            out->ip = wrap_addr(rest);
            out->detail = m;
            set_result(out, FA_ACT_CONNECT, FA_OUT_FAILURE);
            return FA_OK;
        }
        if (eat(&rest, "connect from ")) {
            out->ip = wrap_addr(rest);
            set_result(out, FA_ACT_CONNECT, FA_OUT_SUCCESS);
            return FA_OK;
        }
        /* Once more after a "<server> - " or "<server>: " prefix. */
        size_t n = span_until(m, " ");
        if (n > 1 && m.ptr[n - 1] == ':' && n + 1 < m.len) {
            m = fa_str_make(m.ptr + n + 1, m.len - n - 1);
        } else if (n > 0 && n + 3 < m.len && memcmp(m.ptr + n, " - ", 3) == 0) {
            m = fa_str_make(m.ptr + n + 3, m.len - n - 3);
        } else {
            break;
        }
    }
    return FA_SKIP; /* STARTUP, SHUTDOWN, warnings, Fatal: ... */
}

/* "proftpd", and the labels RoleBasedProcessLabels puts in its place; a
 * "daemon" or "session" tag is taken only with the client prefix (see
 * proftpd_msg), as other programs may use those names. */
static bool proftpd_match(struct fa_str prog)
{
    return fa_str_eq(prog, "proftpd") || fa_str_eq(prog, "session") ||
           fa_str_eq(prog, "daemon");
}

static enum fa_status proftpd_msg(void *state, const struct fa_envelope *env,
                                  struct fa_event *out, const char **why)
{
    struct proftpd_state *st = state;
    bool own = fa_str_eq(env->prog, "proftpd");
    struct fa_str m = rtrim(env->msg);
    struct client_msg c;
    int r = read_client(m, &c);
    if (r < 0) {
        if (!own) {
            return FA_SKIP;
        }
        *why = "malformed ProFTPD client prefix";
        return FA_INVALID;
    }
    if (r == 0) {
        if (!own) {
            return FA_SKIP;
        }
        /* PAM's lines ("proftpd: pam_unix(proftpd:auth): authentication
         * failure; ...") repeat the attempt ProFTPD logs itself. */
        return daemon_msg(m, out);
    }
    out->ip = c.ip;
    return session_msg(st, env->pid, c.msg, out, why);
}

const struct fa_syslog_daemon fa_syslog_proftpd = {
    .name = "proftpd",
    .daemon = FA_DAEMON_PROFTPD,
    .state_size = sizeof(struct proftpd_state),
    .match = proftpd_match,
    .parse_msg = proftpd_msg,
};

/* ------------------------------------------------------------------ */
/* mod_sftp SFTPLog                                                     */
/* ------------------------------------------------------------------ */

struct sftplog_state {
    const struct fa_ctx *ctx;
    struct pid_table pids;
};

static int sftplog_init(void *state, const struct fa_ctx *ctx,
                        const char **why)
{
    (void)why;
    struct sftplog_state *st = state;
    st->ctx = ctx;
    return 0;
}

/* "mod_sftp/1.1.1[9290]: " at p: returns the bytes used, 0 if none. */
static size_t sftp_tag(const char *p, size_t len, uint32_t *pid)
{
    if (!fa_starts(p, len, "mod_sftp")) {
        return 0;
    }
    size_t i = 8;
    while (i < len && p[i] != '[' && p[i] != ' ' && p[i] != ':') {
        i++;
    }
    if (i >= len || p[i] != '[') {
        return 0;
    }
    uint64_t v;
    size_t n = fa_parse_u64(p + i + 1, len - i - 1, &v);
    if (n == 0 || n > 10 || i + 1 + n + 1 >= len ||
        p[i + 1 + n] != ']' || p[i + 2 + n] != ':') {
        return 0;
    }
    *pid = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
    i += n + 3;
    if (i < len && p[i] == ' ') {
        i++;
    }
    return i;
}

/* "2022-05-05 08:44:16,254 " (1.3.5 and later) or "May 05 08:44:16 "
 * (older pr_log_writefile()). */
static size_t sftp_stamp(const struct fa_ctx *ctx, const char *p, size_t len,
                         struct fa_event *out)
{
    size_t i;
    if (len >= 19 && p[4] == '-') {
        i = fa_stamp_iso(ctx, p, len, &out->time_us, &out->utc_offset,
                         &out->tz_source);
    } else {
        i = fa_stamp_bsd(ctx, p, len, &out->time_us, &out->utc_offset);
        out->tz_source = FA_TZ_ASSUMED;
    }
    if (i == 0 || i >= len || p[i] != ' ') {
        return 0;
    }
    return i + 1;
}

/* "<ip>:<port>" (the port after the last colon: IPv6 has more), or
 * "[<ip>]:<port>". */
static void ip_port(struct fa_str s, struct fa_event *out)
{
    const char *colon = fa_memrmem(s.ptr, s.len, ":", 1);
    if (colon != NULL) {
        struct fa_str port = fa_str_make(colon + 1,
                                         s.len - (size_t)(colon + 1 - s.ptr));
        uint64_t v;
        if (all_digits(port) && fa_parse_u64(port.ptr, port.len, &v) &&
            v <= 65535) {
            out->port = (uint16_t)v;
            s.len = (size_t)(colon - s.ptr);
        }
    }
    if (s.len >= 2 && s.ptr[0] == '[' && s.ptr[s.len - 1] == ']') {
        s = fa_str_make(s.ptr + 1, s.len - 2);
    }
    out->ip = addr(s);
}

/* "'<user>' <fixed tail>" where the tail is the server's: the user is
 * what lies between the first quote and the last copy of the tail
 * marker. */
static bool quoted_before(struct fa_str rest, const char *marker,
                          struct fa_str *user, struct fa_str *tail)
{
    return eat(&rest, "'") && split_last(rest, marker, user, tail);
}

static enum fa_status sftp_msg(struct sftplog_state *st, uint32_t pid,
                               struct fa_str m, struct fa_event *out)
{
    struct pid_slot *s = slot_find(&st->pids, pid);
    struct fa_str rest = m, user, tail;
    out->ip = slot_ip(s);
    out->port = s != NULL ? s->port : 0;
    out->user = slot_user(s);

    /* mod_sftp 1.1+: "client (<ip>:<port>) connected to server (...)". */
    if (eat(&rest, "client (")) {
        size_t n = span_until(rest, ")");
        if (n < rest.len &&
            fa_starts(rest.ptr + n, rest.len - n, ") connected to server")) {
            out->user = FA_STR_NULL;
            ip_port(fa_str_make(rest.ptr, n), out);
            s = slot_new(&st->pids, pid);
            if (s != NULL) {
                slot_set_ip(s, out->ip);
                s->port = out->port;
                out->ip = slot_ip(s);
            }
            set_result(out, FA_ACT_CONNECT, FA_OUT_SUCCESS);
            return FA_OK;
        }
        return FA_SKIP;
    }

    /* "user 'alice' authenticated via 'password' method"; a user holding
     * the marker is two records glued on one line: not a login. */
    rest = m;
    if (eat(&rest, "user ") &&
        quoted_before(rest, "' authenticated via '", &user, &tail) &&
        eat_end(&tail, "' method") &&
        fa_memmem(user.ptr, user.len, "' authenticated via '", 21) == NULL) {
        out->user = user;
        out->detail = tail; /* the method */
        set_result(out, FA_ACT_LOGIN, FA_OUT_SUCCESS);
        if (s == NULL) { /* mod_sftp before 1.1: no "connected" line */
            s = slot_new(&st->pids, pid);
        }
        slot_set_user(s, user);
        return FA_OK;
    }

    /* "password authentication for user 'x' failed: Incorrect password",
     * "authentication for user 'x' failed: User in /etc/ftpusers" */
    rest = m;
    (void)eat(&rest, "password ");
    if (eat(&rest, "authentication for user ") &&
        quoted_before(rest, "' failed: ", &user, &tail)) {
        out->user = user;
        out->detail = reason(tail);
        set_result(out, FA_ACT_LOGIN, FA_OUT_FAILURE);
        return FA_OK;
    }

    /* "no account for user 'admin' found" */
    rest = m;
    if (eat(&rest, "no account for user '") && eat_end(&rest, "' found")) {
        out->user = rest;
        out->detail = FA_STR_LIT("no such user found");
        set_result(out, FA_ACT_LOGIN, FA_OUT_FAILURE);
        return FA_OK;
    }

    /* "failed to verify 'ssh-rsa' signature on public key auth request for
     * user 'x'" */
    rest = m;
    if (eat(&rest, "failed to verify '") &&
        split_last(rest, "' signature on public key auth request for user '",
                   &tail, &user) &&
        eat_end(&user, "'")) {
        out->user = user;
        out->detail = FA_STR_LIT("public key signature not verified");
        set_result(out, FA_ACT_LOGIN, FA_OUT_FAILURE);
        return FA_OK;
    }

    if (fa_starts(m.ptr, m.len, "root login attempted")) {
        out->user = FA_STR_LIT("root");
        out->detail = m;
        set_result(out, FA_ACT_LOGIN, FA_OUT_FAILURE);
        return FA_OK;
    }

    /* "Maximum login attempts (6) exceeded, refusing connection for user
     * 'x'": restates the failures before it (see session_msg). */
    rest = m;
    if (eat(&rest, "Maximum login attempts (")) {
        const char *at = fa_memmem(rest.ptr, rest.len, "for user '", 10);
        if (at != NULL) {
            user = fa_str_make(at + 10,
                               rest.len - (size_t)(at + 10 - rest.ptr));
            if (eat_end(&user, "'")) {
                out->user = user;
            }
        }
        out->detail = m;
        set_result(out, FA_ACT_COMMAND, FA_OUT_FAILURE);
        return FA_OK;
    }

    /* File operations mod_sftp writes here (fxp.c). */
    rest = m;
    if (eat(&rest, "creating directory '") &&
        split_last(rest, "' with mode ", &user, &tail) && all_digits(tail)) {
        out->path = user;
        set_result(out, FA_ACT_MKDIR, FA_OUT_SUCCESS);
        return FA_OK;
    }
    rest = m;
    if (eat(&rest, "client set permissions on '") &&
        split_last(rest, "' to ", &user, &tail) && all_digits(tail)) {
        out->path = user;
        out->detail = tail;
        set_result(out, FA_ACT_CHMOD, FA_OUT_SUCCESS);
        return FA_OK;
    }

    /* "client at 127.0.0.10 sent SSH_DISCONNECT message: <reason>" */
    rest = m;
    if (eat(&rest, "client at ")) {
        size_t n = span_until(rest, " ");
        struct fa_str after = fa_str_make(rest.ptr + n, rest.len - n);
        if (eat(&after, " sent SSH_DISCONNECT message: ")) {
            struct fa_str ip = addr(fa_str_make(rest.ptr, n));
            if (ip.len > 0) {
                out->ip = ip;
            }
            out->detail = after;
            set_result(out, FA_ACT_LOGOUT, FA_OUT_SUCCESS);
            slot_drop(s);
            return FA_OK;
        }
        return FA_SKIP;
    }

    /* "disconnecting (<reason>)" (server's decision), "disconnecting <ip>
     * (<reason>)" (the same, newer), "disconnecting client (received
     * EOF)" (the client went away). */
    rest = m;
    if (eat(&rest, "disconnecting ")) {
        enum fa_outcome o = FA_OUT_UNKNOWN;
        if (rest.len > 0 && rest.ptr[0] != '(') {
            size_t n = span_until(rest, " ");
            struct fa_str who = fa_str_make(rest.ptr, n);
            if (fa_str_eq(who, "client")) {
                o = FA_OUT_SUCCESS;
            } else if (addr(who).len > 0) {
                out->ip = addr(who);
            }
            rest.ptr += n;
            rest.len -= n;
            (void)eat(&rest, " ");
        }
        if (eat(&rest, "(") && eat_end(&rest, ")")) {
            out->detail = rest;
            set_result(out, FA_ACT_LOGOUT, o);
            slot_drop(s);
            return FA_OK;
        }
        return FA_SKIP;
    }
    /* Banners, algorithms, offered methods, channel requests, read
     * offsets: handshake diagnostics, no event. */
    return FA_SKIP;
}

static enum fa_status sftplog_parse(void *state, const struct fa_line *l,
                                    struct fa_event *out, const char **why)
{
    struct sftplog_state *st = state;
    const char *p = l->ptr;
    size_t len = l->len;
    if (len == 0 || p[0] == ' ' || p[0] == '\t') {
        return FA_SKIP; /* continuation of a multi-line error */
    }
    size_t i = sftp_stamp(st->ctx, p, len, out);
    if (i == 0) {
        *why = "no SFTPLog timestamp";
        return FA_INVALID;
    }
    uint32_t pid = 0;
    size_t t = sftp_tag(p + i, len - i, &pid);
    if (t == 0) {
        *why = "no mod_sftp/<version>[<pid>] tag";
        return FA_INVALID;
    }
    i += t;
    out->daemon = FA_DAEMON_PROFTPD;
    out->proto = FA_PROTO_SFTP;
    out->pid = pid;
    return sftp_msg(st, pid, rtrim(fa_str_make(p + i, len - i)), out);
}

/* The share of lines that open with a stamp and "mod_sftp/...[pid]:". */
static int sftplog_probe(const struct fa_line *l, size_t n)
{
    struct fa_tz utc = {.name = "UTC", .is_utc = true, .known = true};
    struct fa_ctx ctx = {.tz = &utc};
    size_t counted = 0, mine = 0;
    for (size_t k = 0; k < n; k++) {
        const char *p = l[k].ptr;
        size_t len = l[k].len;
        if (len == 0 || p[0] == ' ' || p[0] == '\t') {
            continue;
        }
        counted++;
        struct fa_event ev;
        fa_event_clear(&ev);
        uint32_t pid;
        size_t i = sftp_stamp(&ctx, p, len, &ev);
        if (i > 0 && sftp_tag(p + i, len - i, &pid) > 0) {
            mine++;
        }
    }
    if (mine == 0 || mine * 2 < counted) {
        return 0;
    }
    return (int)(40 + 55 * mine / counted);
}

const struct fa_parser fa_parser_proftpd_sftplog = {
    .name = "proftpd-sftplog",
    .summary = "ProFTPD mod_sftp SFTPLog",
    .state_size = sizeof(struct sftplog_state),
    .probe_lines = 20,
    .probe = sftplog_probe,
    .init = sftplog_init,
    .parse = sftplog_parse,
};
