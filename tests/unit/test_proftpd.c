/* Unit tests of parsers/proftpd.c: the ProFTPD syslog / SystemLog message
 * handler (through the proftpd-syslog and proftpd-systemlog descriptors)
 * and the mod_sftp SFTPLog parser. */
#include <stdlib.h>

#include "../../parsers/registry.h"
#include "../../parsers/syslog.h"
#include "check.h"

static struct fa_tz utc;
static struct fa_ctx ctx;
static char *last_line; /* the line the last event's views point into */

struct inst {
    const struct fa_parser *p;
    void *state;
};

static struct inst open_parser(const struct fa_parser *p)
{
    struct inst in = {p, calloc(1, p->state_size)};
    const char *why = NULL;
    if (p->init != NULL) {
        CHECK(p->init(in.state, &ctx, &why) == 0);
    }
    return in;
}

static void close_parser(struct inst *in)
{
    if (in->p->destroy != NULL) {
        in->p->destroy(in->state);
    }
    free(in->state);
}

/* Parse len bytes of s (which may hold NUL bytes); the copy is
 * NUL-terminated like the reader's lines. */
static enum fa_status feed_n(struct inst *in, const char *s, size_t len,
                             struct fa_event *ev)
{
    char *buf = malloc(len + 1);
    memcpy(buf, s, len);
    buf[len] = '\0';
    struct fa_line l = {buf, len, 1};
    const char *why = NULL;
    fa_event_clear(ev);
    enum fa_status st = in->p->parse(in->state, &l, ev, &why);
    if (st == FA_INVALID) {
        CHECK(why != NULL);
    }
    /* The event's views point into buf: keep it for the checks that
     * follow (freed at the next call). */
    free(last_line);
    last_line = buf;
    return st;
}

static enum fa_status feed(struct inst *in, const char *s, struct fa_event *ev)
{
    return feed_n(in, s, strlen(s), ev);
}

/* Every prefix of s, and s with each byte replaced by NUL and by 0xff,
 * must parse without crashing and yield at most one event. */
static void hostile(struct inst *in, const char *s)
{
    size_t n = strlen(s);
    struct fa_event ev;
    char *b = malloc(n + 1);
    for (size_t k = 0; k <= n; k++) {
        enum fa_status st = feed_n(in, s, k, &ev);
        CHECK(st == FA_OK || st == FA_SKIP || st == FA_INVALID);
    }
    for (size_t k = 0; k < n; k++) {
        memcpy(b, s, n);
        b[k] = '\0';
        enum fa_status st = feed_n(in, b, n, &ev);
        CHECK(st != FA_AGAIN);
        b[k] = (char)0xff;
        st = feed_n(in, b, n, &ev);
        CHECK(st != FA_AGAIN);
    }
    free(b);
}

static void test_syslog_sessions(void)
{
    struct inst in = open_parser(&fa_parser_proftpd_syslog);
    struct fa_event ev;

    /* syslog: "<server> (<name>[<ip>]) - <message>" */
    CHECK(feed(&in, "Nov 26 12:43:45 vm proftpd[10050]: 127.0.0.1 "
                    "(127.0.0.10[127.0.0.10]) - FTP session opened.",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_CONNECT && ev.outcome == FA_OUT_SUCCESS);
    CHECK(ev.daemon == FA_DAEMON_PROFTPD && ev.proto == FA_PROTO_FTP);
    CHECK_STR(ev.ip, "127.0.0.10");
    CHECK_STR(ev.host, "vm");
    CHECK(ev.pid == 10050);
    CHECK(ev.user.len == 0);
    CHECK(ev.time_us == 1795697025LL * 1000000);

    CHECK(feed(&in, "Nov 26 12:43:46 vm proftpd[10050]: 127.0.0.1 "
                    "(127.0.0.10[127.0.0.10]) - USER alice: Login successful.",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN && ev.outcome == FA_OUT_SUCCESS);
    CHECK_STR(ev.user, "alice");
    CHECK(ev.proto == FA_PROTO_FTP); /* from "FTP session opened" */
    CHECK(!ev.anonymous);

    /* The logout names the user of the session's login. */
    CHECK(feed(&in, "Nov 26 12:43:46 vm proftpd[10050]: 127.0.0.1 "
                    "(127.0.0.10[127.0.0.10]) - FTP session closed.",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGOUT && ev.outcome == FA_OUT_SUCCESS);
    CHECK_STR(ev.user, "alice");
    CHECK(ev.proto == FA_PROTO_FTP);

    /* After the close the pid is forgotten: no protocol, no user. */
    CHECK(feed(&in, "Nov 26 12:43:47 vm proftpd[10050]: 127.0.0.1 "
                    "(127.0.0.10[127.0.0.10]) - USER alice (Login failed): "
                    "Incorrect password",
               &ev) == FA_OK);
    CHECK(ev.proto == FA_PROTO_UNKNOWN);
    CHECK(ev.action == FA_ACT_LOGIN && ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.detail, "Incorrect password");

    /* mod_sftp: SSH2 session, "Login successful" without the dot. */
    CHECK(feed(&in, "Nov 26 12:43:53 vm proftpd[10208]: 127.0.0.1 "
                    "(127.0.0.10[127.0.0.10]) - SSH2 session opened.",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_CONNECT && ev.proto == FA_PROTO_SFTP);
    CHECK(feed(&in, "Nov 26 12:43:53 vm proftpd[10208]: 127.0.0.1 "
                    "(127.0.0.10[127.0.0.10]) - USER alice: Login successful",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN && ev.outcome == FA_OUT_SUCCESS);
    CHECK(ev.proto == FA_PROTO_SFTP);
    CHECK_STR(ev.user, "alice");
    CHECK(feed(&in, "Nov 26 12:43:53 vm proftpd[10208]: 127.0.0.1 "
                    "(127.0.0.10[127.0.0.10]) - SSH2 session closed.",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGOUT && ev.proto == FA_PROTO_SFTP);
    CHECK_STR(ev.user, "alice");

    /* Anonymous. */
    CHECK(feed(&in, "Jan 04 22:51:57 h proftpd[26916]: h (85.101.218.135"
                    "[85.101.218.135]) - ANON anonymous: Login successful.",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN && ev.outcome == FA_OUT_SUCCESS);
    CHECK(ev.anonymous);
    CHECK_STR(ev.user, "anonymous");
    CHECK(feed(&in, "Jan 04 22:51:57 h proftpd[26917]: h (1.2.3.4[1.2.3.4]) "
                    "- ANON ftp (Login failed): Limit access denies login",
               &ev) == FA_OK);
    CHECK(ev.anonymous && ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.user, "ftp");
    CHECK_STR(ev.detail, "Limit access denies login");
    close_parser(&in);
}

static void test_systemlog_shapes(void)
{
    struct inst in = open_parser(&fa_parser_proftpd_systemlog);
    struct fa_event ev;

    /* SystemLog: own stamp, "proftpd[pid] " without a colon, "): ". */
    CHECK(feed(&in, "2026-11-26 12:42:58,312 vm proftpd[9154] 127.0.0.1 "
                    "(127.0.0.10[127.0.0.10]): USER alice (Login failed): "
                    "Incorrect password.",
               &ev) == FA_OK);
    CHECK(ev.time_us == 1795696978LL * 1000000 + 312000);
    CHECK(ev.tz_source == FA_TZ_ASSUMED);
    CHECK(ev.action == FA_ACT_LOGIN && ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.user, "alice");
    CHECK_STR(ev.detail, "Incorrect password"); /* final dot dropped */
    CHECK_STR(ev.ip, "127.0.0.10");
    CHECK(ev.pid == 9154);

    /* "no such user found" with ::ffff: addresses everywhere. */
    CHECK(feed(&in, "Jun 09 11:15:43 p.example proftpd[17424] p.example "
                    "(::ffff:101.71.143.238[::ffff:101.71.143.238]): USER god: "
                    "no such user found from ::ffff:101.71.143.238 "
                    "[::ffff:101.71.143.238] to ::ffff:123.212.99.194:21",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN && ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.user, "god");
    CHECK_STR(ev.ip, "101.71.143.238");
    CHECK_STR(ev.detail, "no such user found");

    /* Trailing blanks after the message. */
    CHECK(feed(&in, "Feb 1 00:00:00 myhost proftpd[12345] myhost.domain.com "
                    "(123.123.123.123[123.123.123.123]): USER username: no "
                    "such user found from 123.123.123.123 [123.123.123.123] "
                    "to 234.234.234.234:21 ",
               &ev) == FA_OK);
    CHECK_STR(ev.user, "username");

    /* IPv6 client; the reverse name is the address itself. */
    CHECK(feed(&in, "2023-09-05 19:07:03,851 s proftpd[127258] localhost "
                    "(2a02:8070::b173[2a02:8070::b173]): USER c (Login "
                    "failed): No such user found",
               &ev) == FA_OK);
    CHECK_STR(ev.ip, "2a02:8070::b173");
    CHECK_STR(ev.detail, "No such user found");

    /* A reverse-DNS name before the address; the address is kept. */
    CHECK(feed(&in, "Jun 09 07:30:58 h proftpd[11864] h (mail.example.net"
                    "[::ffff:67.227.224.66]): USER u (Login failed): x",
               &ev) == FA_OK);
    CHECK_STR(ev.ip, "67.227.224.66");

    /* An anonymized "address" is no address. */
    CHECK(feed(&in, "Jan 04 22:51:57 x proftpd[30362] x (aa.bb.cc[aa.bb.vv.dd]"
                    "): USER backup: Login successful.",
               &ev) == FA_OK);
    CHECK(ev.ip.len == 0);
    CHECK_STR(ev.user, "backup");

    /* The old shape behind a host without a time stamp (journal export
     * style). */
    CHECK(feed(&in, "srv proftpd[12345] myhost.domain.com (123.123.123.123"
                    "[123.123.123.123]): USER username (Login failed): User "
                    "in /etc/ftpusers",
               &ev) == FA_OK);
    CHECK(ev.tz_source == FA_TZ_NONE);
    CHECK_STR(ev.detail, "User in /etc/ftpusers");

    /* RFC 3339 envelope. */
    CHECK(feed(&in, "2026-11-26T12:43:45.959931+00:00 vm proftpd[10050]: "
                    "127.0.0.1 (127.0.0.10[127.0.0.10]) - FTP session opened.",
               &ev) == FA_OK);
    CHECK(ev.tz_source == FA_TZ_EXPLICIT);
    CHECK(ev.time_us == 1795697025LL * 1000000 + 959931);

    /* LogOptions -VirtualHost: no server name before the parenthesis. */
    CHECK(feed(&in, "Nov 26 12:43:46 vm proftpd[7]: (127.0.0.10[127.0.0.10])"
                    " - USER bob: Login successful.",
               &ev) == FA_OK);
    CHECK_STR(ev.user, "bob");
    CHECK_STR(ev.ip, "127.0.0.10");
    close_parser(&in);
}

static void test_failures_and_noise(void)
{
    struct inst in = open_parser(&fa_parser_proftpd_syslog);
    struct fa_event ev;

    CHECK(feed(&in, "Jun 13 22:07:23 p proftpd[15719] p (::ffff:59.167.242.100"
                    "[::ffff:59.167.242.100]): SECURITY VIOLATION: root login "
                    "attempted.",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN && ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.user, "root");
    CHECK_STR(ev.detail, "root login attempted");
    CHECK(feed(&in, "Oct  2 15:45:44 ftp01 proftpd[5517]: 192.0.2.13 "
                    "(192.0.2.13[192.0.2.13]) - SECURITY VIOLATION: Root login "
                    "attempted",
               &ev) == FA_OK);
    CHECK_STR(ev.user, "root");
    CHECK_STR(ev.ip, "192.0.2.13");

    /* Restates earlier failures: a command event, not a login. */
    CHECK(feed(&in, "May 31 10:53:25 mail proftpd[15302]: xxxxxxxxxx "
                    "(::ffff:1.2.3.4[::ffff:1.2.3.4]) - Maximum login attempts "
                    "(3) exceeded ",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_COMMAND && ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.ip, "1.2.3.4");
    CHECK_STR(ev.detail, "Maximum login attempts (3) exceeded");

    /* 1.2's "no such user 'a'". */
    CHECK(feed(&in, "May 21 20:21:21 s proftpd[25530] s.example (192.168.2.10"
                    "[192.168.2.10]): no such user 'a'",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN && ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.user, "a");

    CHECK(feed(&in, "Jan 04 22:51:57 h proftpd[8]: h (1.2.3.4[1.2.3.4]) - "
                    "USER bob: Limit configuration denies login",
               &ev) == FA_OK);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.user, "bob");
    CHECK_STR(ev.detail, "Limit configuration denies login");
    CHECK(feed(&in, "Jan 04 22:51:57 h proftpd[8]: h (1.2.3.4[1.2.3.4]) - "
                    "USER zed: user is not a UserAlias from h [1.2.3.4] to "
                    "5.6.7.8:21",
               &ev) == FA_OK);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.user, "zed");

    /* Connections refused. */
    CHECK(feed(&in, "Jan 04 22:51:57 server proftpd[2344]: refused connect "
                    "from 192.168.1.2 (192.168.1.2)",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_CONNECT && ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.ip, "192.168.1.2");
    CHECK(feed(&in, "Jan 04 22:51:57 server proftpd[2344]: refused connect "
                    "from badhost.example (10.0.0.9)",
               &ev) == FA_OK);
    CHECK_STR(ev.ip, "10.0.0.9");
    CHECK(feed(&in, "May 30 17:06:40 q proftpd[1769554]: connect from "
                    "212.146.159.45",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_CONNECT && ev.outcome == FA_OUT_SUCCESS);
    CHECK_STR(ev.ip, "212.146.159.45");
    CHECK(feed(&in, "Jan 04 22:51:57 v proftpd[15181]: v (crawl.example"
                    "[66.249.66.80]) - Connection from crawl.example "
                    "[66.249.66.80] denied.",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_CONNECT && ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.ip, "66.249.66.80");

    /* Timeouts end the session. */
    static const char *const timeouts[] = {
        "FTP no transfer timeout, disconnected",
        "FTP login timed out, disconnected",
        "FTP session idle timeout, disconnected.",
        "Data transfer stall timeout: 3600 seconds",
        "Login timeout exceeded, disconnected",
    };
    for (size_t k = 0; k < sizeof(timeouts) / sizeof(timeouts[0]); k++) {
        char line[256];
        snprintf(line, sizeof(line),
                 "May 30 21:04:35 v proftpd[22104]: v (85.97.67.160"
                 "[85.97.67.160]) - %s", timeouts[k]);
        CHECK(feed(&in, line, &ev) == FA_OK);
        CHECK(ev.action == FA_ACT_LOGOUT && ev.outcome == FA_OUT_UNKNOWN);
        CHECK_STR(ev.detail, timeouts[k]);
    }

    /* No event: daemon messages, diagnostics, PAM's copies. */
    static const char *const skipped[] = {
        "2026-11-26 12:42:58,283 vm proftpd[9139] 127.0.0.1: ProFTPD 1.3.8 "
        "(stable) (built Fri May 1 2026 20:02:15 UTC) standalone mode STARTUP",
        "Nov 26 12:43:45 vm proftpd[10032]: 127.0.0.1 - ProFTPD 1.3.8 "
        "(stable) (built Fri May 1 2026 20:02:15 UTC) standalone mode STARTUP",
        "May 21 20:20:44 s proftpd[25526] s.example: ProFTPD 1.2.10 (stable) "
        "(built Tue Aug 2 22:33:07 PDT 2005) standalone mode STARTUP",
        "Nov 26 12:43:46 vm proftpd: pam_unix(proftpd:session): session "
        "opened for user alice(uid=1001) by (uid=0)",
        "Nov 26 12:43:48 vm proftpd: pam_unix(proftpd:auth): authentication "
        "failure; logname= uid=0 euid=0 tty=/dev/ftpd10072 ruser=alice "
        "rhost=127.0.0.66  user=alice",
        "May 30 17:21:53 w proftpd[2056246]: w (193.140.92.250[193.140.92.250])"
        " - Reallocating sreaddir buffer from 10 entries to 20 entries",
        "May 29 18:49:42 v proftpd[16661]: v (85.103.107.214[85.103.107.214])"
        " - Refused PORT 192,168,1,33,4,83 (address mismatch)",
        "Jun  3 07:48:10 h proftpd[1026]: warning: host name/address "
        "mismatch: 216.117.134.168 != nameservices.net",
        "Jan 04 22:51:57 server proftpd[26169] server.example.net: Fatal: "
        "unable to open incoming connection: Der Socket ist nicht verbunden",
        "Nov 26 12:43:46 vm proftpd[3]: 127.0.0.1 (1.2.3.4[1.2.3.4]) - "
        "mod_delay/0.7: delaying for 120 usecs",
        "Nov 26 12:43:46 vm proftpd[3]: 127.0.0.1 (1.2.3.4[1.2.3.4]) - "
        "ROOT FTP login successful",
        "Nov 26 12:43:46 vm proftpd[3]: 127.0.0.1 (1.2.3.4[1.2.3.4]) - "
        "ANON AUTH: User ftp, authenticating using alias anonymous",
        "Nov 26 12:43:46 vm proftpd[3]: 127.0.0.1 (1.2.3.4[1.2.3.4]):",
        "Nov 26 12:43:46 vm cron[3]: (root) CMD (run-parts /etc/cron.hourly)",
    };
    for (size_t k = 0; k < sizeof(skipped) / sizeof(skipped[0]); k++) {
        CHECK(feed(&in, skipped[k], &ev) == FA_SKIP);
    }

    /* A broken client prefix from proftpd itself is malformed. */
    CHECK(feed(&in, "Nov 26 12:43:46 vm proftpd[3]: 127.0.0.1 (1.2.3.4"
                    "[1.2.3.4] - FTP session opened.",
               &ev) == FA_INVALID);
    CHECK(feed(&in, "Nov 26 12:43:46 vm proftpd[3]: 127.0.0.1 (1.2.3.4[] "
                    "- FTP session opened.",
               &ev) == FA_INVALID);
    /* Parentheses alone are no prefix. */
    CHECK(feed(&in, "May 29 15:13:37 w proftpd[4555]: ProFTPD terminating "
                    "(signal 11)",
               &ev) == FA_SKIP);
    CHECK(feed(&in, "May 29 15:13:37 w proftpd[4555]: w.example (x) - "
                    "something",
               &ev) == FA_SKIP);
    close_parser(&in);
}

static void test_role_labels(void)
{
    struct inst in = open_parser(&fa_parser_proftpd_syslog);
    struct fa_event ev;

    /* RoleBasedProcessLabels: "session" / "daemon" with the prefix. */
    CHECK(feed(&in, "2026-11-26 12:42:58,312 vm session[9154] 127.0.0.1 "
                    "(127.0.0.10[127.0.0.10]): FTP session opened.",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_CONNECT && ev.daemon == FA_DAEMON_PROFTPD);
    CHECK(feed(&in, "2026-11-26 12:42:58,357 vm session[9154] 127.0.0.1 "
                    "(127.0.0.10[127.0.0.10]): USER alice: Login successful.",
               &ev) == FA_OK);
    CHECK_STR(ev.user, "alice");
    CHECK(ev.proto == FA_PROTO_FTP);
    /* Without the prefix such a tag may be anyone's: no event, never
     * malformed. */
    CHECK(feed(&in, "2026-11-26 12:42:58,283 vm daemon[9139] 127.0.0.1: "
                    "ProFTPD 1.3.8 (stable) standalone mode STARTUP",
               &ev) == FA_SKIP);
    CHECK(feed(&in, "Nov 26 12:43:46 vm session[3]: refused connect from "
                    "1.2.3.4 (1.2.3.4)",
               &ev) == FA_SKIP);
    CHECK(feed(&in, "Nov 26 12:43:46 vm session[3]: x (broken",
               &ev) == FA_SKIP);
    close_parser(&in);
}

/* User names are the client's text: the server's structure wins. */
static void test_forged_users(void)
{
    struct inst in = open_parser(&fa_parser_proftpd_syslog);
    struct fa_event ev;

    /* fail2ban's log-injection sample: a whole prefix inside USER. */
    CHECK(feed(&in, "Jun 14 00:09:59 p.example proftpd[17839] p.example "
                    "(::ffff:59.167.242.100[::ffff:59.167.242.100]): USER "
                    "p.example proftpd[17424] p.example (hihoinjection"
                    "[1.2.3.44]): no such user found from ::ffff:59.167.242.100"
                    " [::ffff:59.167.242.100] to ::ffff:113.212.99.194:21",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN && ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.ip, "59.167.242.100");
    CHECK_STR(ev.user, "p.example proftpd[17424] p.example "
                       "(hihoinjection[1.2.3.44])");
    CHECK(ev.pid == 17839);

    /* A forged "no such user" tail inside a failed password. */
    CHECK(feed(&in, "Nov 26 12:43:46 vm proftpd[3]: h (1.2.3.4[1.2.3.4]) - "
                    "USER a: no such user found from x [6.6.6.6] to y:21 "
                    "(Login failed): Incorrect password",
               &ev) == FA_OK);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.user, "a: no such user found from x [6.6.6.6] to y:21");
    CHECK_STR(ev.detail, "Incorrect password");
    CHECK_STR(ev.ip, "1.2.3.4");

    /* A forged "(Login failed)" inside an unknown user. */
    CHECK(feed(&in, "Nov 26 12:43:46 vm proftpd[3]: h (1.2.3.4[1.2.3.4]) - "
                    "USER b (Login failed): Incorrect password: no such user "
                    "found from h [1.2.3.4] to 5.6.7.8:21",
               &ev) == FA_OK);
    CHECK_STR(ev.user, "b (Login failed): Incorrect password");
    CHECK_STR(ev.detail, "no such user found");

    /* A forged success inside a failure stays a failure. */
    CHECK(feed(&in, "Nov 26 12:43:46 vm proftpd[3]: h (1.2.3.4[1.2.3.4]) - "
                    "USER c: Login successful. (Login failed): Incorrect "
                    "password",
               &ev) == FA_OK);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.user, "c: Login successful.");

    /* Two records glued on one line: the success at the end belongs to
     * the second, so it is not given to the first's address. */
    CHECK(feed(&in, "Jun 14 00:10:07 f proftpd[17845] f (203.0.113.50"
                    "[203.0.113.50]): USER r (Login failed): Incorrect "
                    "passwordJun 14 00:10:07 f proftpd[17846] f (203.0.113.51"
                    "[203.0.113.51]): USER s: Login successful.",
               &ev) == FA_OK);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.user, "r");
    CHECK_STR(ev.ip, "203.0.113.50");
    CHECK(feed(&in, "Jun 14 00:10:07 f proftpd[17845] f (203.0.113.50"
                    "[203.0.113.50]): USER a: Login successful.Jun 14 00:10:07"
                    " f proftpd[17846] f (203.0.113.51[203.0.113.51]): USER b: "
                    "Login successful.",
               &ev) == FA_SKIP);

    /* Brackets and quotes in the user. */
    CHECK(feed(&in, "Nov 26 12:43:46 vm proftpd[3]: h (1.2.3.4[1.2.3.4]) - "
                    "USER x]\"y (Login failed): Incorrect password",
               &ev) == FA_OK);
    CHECK_STR(ev.user, "x]\"y");
    close_parser(&in);
}

static void test_pid_table(void)
{
    struct inst in = open_parser(&fa_parser_proftpd_syslog);
    struct fa_event ev;
    char line[200];
    /* More sessions than the table holds: the oldest are forgotten, the
     * newest kept. */
    for (int pid = 1000; pid < 1400; pid++) {
        snprintf(line, sizeof(line), "Nov 26 12:43:46 vm proftpd[%d]: h "
                 "(1.2.3.4[1.2.3.4]) - FTP session opened.", pid);
        CHECK(feed(&in, line, &ev) == FA_OK);
        snprintf(line, sizeof(line), "Nov 26 12:43:46 vm proftpd[%d]: h "
                 "(1.2.3.4[1.2.3.4]) - USER u%d: Login successful.", pid, pid);
        CHECK(feed(&in, line, &ev) == FA_OK);
    }
    CHECK(feed(&in, "Nov 26 12:43:47 vm proftpd[1000]: h (1.2.3.4[1.2.3.4]) "
                    "- FTP session closed.",
               &ev) == FA_OK);
    CHECK(ev.user.len == 0);
    CHECK(feed(&in, "Nov 26 12:43:47 vm proftpd[1399]: h (1.2.3.4[1.2.3.4]) "
                    "- FTP session closed.",
               &ev) == FA_OK);
    CHECK_STR(ev.user, "u1399");
    /* A user name too long to keep is not kept cut. */
    char longuser[400];
    memset(longuser, 'z', sizeof(longuser) - 1);
    longuser[sizeof(longuser) - 1] = '\0';
    char big[600];
    snprintf(big, sizeof(big), "Nov 26 12:43:46 vm proftpd[5]: h (1.2.3.4"
             "[1.2.3.4]) - USER %s: Login successful.", longuser);
    CHECK(feed(&in, "Nov 26 12:43:46 vm proftpd[5]: h (1.2.3.4[1.2.3.4]) - "
                    "FTP session opened.",
               &ev) == FA_OK);
    CHECK(feed(&in, big, &ev) == FA_OK);
    CHECK(ev.user.len == 399);
    CHECK(feed(&in, "Nov 26 12:43:47 vm proftpd[5]: h (1.2.3.4[1.2.3.4]) - "
                    "FTP session closed.",
               &ev) == FA_OK);
    CHECK(ev.user.len == 0);
    close_parser(&in);
}

static void test_sftplog(void)
{
    struct inst in = open_parser(&fa_parser_proftpd_sftplog);
    struct fa_event ev;

    CHECK(feed(&in, "2026-11-26 12:43:05,369 mod_sftp/1.1.1[9290]: client "
                    "(127.0.0.10:58905) connected to server (127.0.0.1:40222)",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_CONNECT && ev.outcome == FA_OUT_SUCCESS);
    CHECK(ev.daemon == FA_DAEMON_PROFTPD && ev.proto == FA_PROTO_SFTP);
    CHECK_STR(ev.ip, "127.0.0.10");
    CHECK(ev.port == 58905 && ev.pid == 9290);
    CHECK(ev.time_us == 1795696985LL * 1000000 + 369000);
    CHECK(ev.tz_source == FA_TZ_ASSUMED);

    CHECK(feed(&in, "2026-11-26 12:43:05,370 mod_sftp/1.1.1[9290]: sent "
                    "server version 'SSH-2.0-mod_sftp'",
               &ev) == FA_SKIP);
    CHECK(feed(&in, "2026-11-26 12:43:05,378 mod_sftp/1.1.1[9290]: sending "
                    "acceptable userauth methods: password",
               &ev) == FA_SKIP);
    CHECK(feed(&in, "2026-11-26 12:43:05,378 mod_sftp/1.1.1[9290]:  + "
                    "Session key exchange: curve25519-sha256",
               &ev) == FA_SKIP);

    CHECK(feed(&in, "2026-11-26 12:43:05,435 mod_sftp/1.1.1[9290]: user "
                    "'alice' authenticated via 'password' method",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN && ev.outcome == FA_OUT_SUCCESS);
    CHECK_STR(ev.user, "alice");
    CHECK_STR(ev.ip, "127.0.0.10");
    CHECK(ev.port == 58905);
    CHECK_STR(ev.detail, "password");

    /* File operations carry the session's user and address. */
    CHECK(feed(&in, "2026-11-26 12:43:12,133 mod_sftp/1.1.1[9290]: creating "
                    "directory '/home/alice/public_html/old' with mode 0777",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_MKDIR && ev.outcome == FA_OUT_SUCCESS);
    CHECK_STR(ev.path, "/home/alice/public_html/old");
    CHECK_STR(ev.user, "alice");
    CHECK_STR(ev.ip, "127.0.0.10");
    CHECK(feed(&in, "2026-11-26 12:43:12,135 mod_sftp/1.1.1[9290]: client set "
                    "permissions on '/home/alice/it' to 0' to 0600",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_CHMOD);
    CHECK_STR(ev.path, "/home/alice/it' to 0");
    CHECK_STR(ev.detail, "0600");

    CHECK(feed(&in, "2026-11-26 12:43:05,448 mod_sftp/1.1.1[9290]: client at "
                    "127.0.0.10 sent SSH_DISCONNECT message: disconnected by "
                    "user (Application disconnected)",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGOUT && ev.outcome == FA_OUT_SUCCESS);
    CHECK_STR(ev.user, "alice");
    CHECK_STR(ev.detail, "disconnected by user (Application disconnected)");

    /* Failures. */
    CHECK(feed(&in, "2026-11-26 12:43:07,591 mod_sftp/1.1.1[9321]: client "
                    "(127.0.0.66:59743) connected to server (127.0.0.1:40222)",
               &ev) == FA_OK);
    CHECK(feed(&in, "2026-11-26 12:43:07,648 mod_sftp/1.1.1[9321]: no account "
                    "for user 'admin' found",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN && ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.user, "admin");
    CHECK_STR(ev.ip, "127.0.0.66");
    CHECK(feed(&in, "2026-11-26 12:43:09,186 mod_sftp/1.1.1[9321]: password "
                    "authentication for user 'root' failed: Incorrect password",
               &ev) == FA_OK);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.user, "root");
    CHECK_STR(ev.detail, "Incorrect password");
    CHECK(feed(&in, "2026-11-26 12:43:09,186 mod_sftp/1.1.1[9321]: password "
                    "authentication for user 'a' failed: x' failed: Incorrect "
                    "password",
               &ev) == FA_OK);
    CHECK_STR(ev.user, "a' failed: x");
    CHECK(feed(&in, "2026-11-26 12:43:09,186 mod_sftp/1.1.1[9321]: "
                    "authentication for user 'bob' failed: User in "
                    "/etc/ftpusers",
               &ev) == FA_OK);
    CHECK_STR(ev.user, "bob");
    CHECK_STR(ev.detail, "User in /etc/ftpusers");
    CHECK(feed(&in, "2026-11-26 12:43:09,186 mod_sftp/1.1.1[9321]: failed to "
                    "verify 'ssh-rsa' signature on public key auth request "
                    "for user 'carol'",
               &ev) == FA_OK);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.user, "carol");
    CHECK(feed(&in, "2026-11-26 12:43:09,186 mod_sftp/1.1.1[9321]: root login "
                    "attempted, denied by RootLogin configuration",
               &ev) == FA_OK);
    CHECK_STR(ev.user, "root");
    CHECK(feed(&in, "2026-11-26 12:43:09,186 mod_sftp/1.1.1[9321]: Maximum "
                    "login attempts (6) exceeded, refusing connection for "
                    "user 'alice'",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_COMMAND && ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.user, "alice");
    CHECK(feed(&in, "2026-11-26 12:43:07,659 mod_sftp/1.1.1[9321]: "
                    "disconnecting client (received EOF)",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGOUT && ev.outcome == FA_OUT_SUCCESS);
    CHECK_STR(ev.detail, "received EOF");
    CHECK_STR(ev.ip, "127.0.0.66");

    /* Older mod_sftp: no "connected" line; the address comes with the
     * disconnect, or not at all. */
    CHECK(feed(&in, "2022-05-05 08:44:17,607 mod_sftp/1.0.1[6137]: "
                    "disconnecting 10.1.2.3 (Protocol error)",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGOUT && ev.outcome == FA_OUT_UNKNOWN);
    CHECK_STR(ev.ip, "10.1.2.3");
    CHECK_STR(ev.detail, "Protocol error");
    CHECK(feed(&in, "2022-05-05 08:44:17,607 mod_sftp/0.9.7[6138]: "
                    "disconnecting (Key exchange failed)",
               &ev) == FA_OK);
    CHECK(ev.ip.len == 0);
    /* Old pr_log_writefile() stamp. */
    CHECK(feed(&in, "May 05 08:44:17 mod_sftp/0.9.7[6139]: user 'dave' "
                    "authenticated via 'publickey' method",
               &ev) == FA_OK);
    CHECK_STR(ev.user, "dave");
    CHECK_STR(ev.detail, "publickey");
    CHECK(feed(&in, "May 05 08:44:17 mod_sftp/0.9.7[6139]: user 'a' "
                    "authenticated via 'password' method2026-11-26 12:00:00,000"
                    " mod_sftp/1.1.1[7]: user 'b' authenticated via 'password' "
                    "method",
               &ev) == FA_SKIP);

    /* IPv6 and mapped client addresses. */
    CHECK(feed(&in, "2026-11-26 12:43:05,369 mod_sftp/1.1.1[77]: client "
                    "(2001:db8::5:53930) connected to server ([::1]:22)",
               &ev) == FA_OK);
    CHECK_STR(ev.ip, "2001:db8::5");
    CHECK(ev.port == 53930);
    CHECK(feed(&in, "2026-11-26 12:43:05,369 mod_sftp/1.1.1[78]: client "
                    "(::ffff:192.0.2.7:4000) connected to server (x:22)",
               &ev) == FA_OK);
    CHECK_STR(ev.ip, "192.0.2.7");
    CHECK(ev.port == 4000);
    CHECK(feed(&in, "2026-11-26 12:43:05,369 mod_sftp/1.1.1[79]: client "
                    "([2001:db8::6]:4001) connected to server (x:22)",
               &ev) == FA_OK);
    CHECK_STR(ev.ip, "2001:db8::6");
    CHECK(ev.port == 4001);

    /* Continuations, noise, malformed. */
    CHECK(feed(&in, "  at line 2 of the error", &ev) == FA_SKIP);
    CHECK(feed(&in, "", &ev) == FA_SKIP);
    CHECK(feed(&in, "2026-11-26 12:43:05,369 sshd[1]: Accepted password",
               &ev) == FA_INVALID);
    CHECK(feed(&in, "garbage", &ev) == FA_INVALID);
    CHECK(feed(&in, "2026-11-26 12:43:05,369 mod_sftp/1.1.1[x]: y",
               &ev) == FA_INVALID);
    close_parser(&in);
}

static void test_probe(void)
{
    static const char *const sftp[] = {
        "2022-05-16 20:14:19,194 mod_sftp/1.1.0[764324]: client "
        "(192.168.0.65:53930) connected to server (192.168.0.6:2222)",
        "2022-05-16 20:14:19,195 mod_sftp/1.1.0[764324]: sent server version "
        "'SSH-2.0-mod_sftp'",
        "2022-05-16 20:14:19,219 mod_sftp/1.1.0[764324]:  + Session key "
        "exchange: diffie-hellman-group16-sha512",
        "   continuation",
    };
    static const char *const other[] = {
        ("2026-11-26 12:42:58,312 vm proftpd[9154] 127.0.0.1 "
         "(127.0.0.10[127.0.0.10]): FTP session opened."),
        "Nov 26 12:43:46 vm sshd[3]: Accepted password for a from 1.2.3.4",
        "127.0.0.1 - - [26/Nov/2026:12:00:00 +0000] \"GET / HTTP/1.1\" 200 1",
    };
    struct fa_line l[4];
    for (size_t k = 0; k < 4; k++) {
        l[k] = (struct fa_line){sftp[k], strlen(sftp[k]), k + 1};
    }
    CHECK(fa_parser_proftpd_sftplog.probe(l, 4) >= 90);
    const struct fa_parser *p = fa_parser_detect(l, 4, NULL);
    CHECK(p == &fa_parser_proftpd_sftplog);
    for (size_t k = 0; k < 3; k++) {
        l[k] = (struct fa_line){other[k], strlen(other[k]), k + 1};
    }
    CHECK(fa_parser_proftpd_sftplog.probe(l, 3) == 0);
    CHECK(fa_parser_proftpd_sftplog.probe(l, 1) == 0);
}

static void test_hostile(void)
{
    static const char *const sys[] = {
        "Jun 14 00:09:59 p.example proftpd[17839] p.example (::ffff:59.167."
        "242.100[::ffff:59.167.242.100]): USER p proftpd[1] p (h[1.2.3.44]): "
        "no such user found from ::ffff:59.167.242.100 [::ffff:59.167.242.100]"
        " to ::ffff:113.212.99.194:21",
        "2026-11-26 12:43:02,549 vm proftpd[9175] 127.0.0.1 (127.0.0.66"
        "[127.0.0.66]): USER alice (Login failed): Incorrect password",
        "Nov 26 12:43:46 vm proftpd[10050]: 127.0.0.1 (127.0.0.10[127.0.0.10])"
        " - USER alice: Login successful.",
        "Jan 04 22:51:57 server proftpd[2344]: refused connect from "
        "192.168.1.2 (192.168.1.2)",
        "May 21 20:21:21 s proftpd[25530] s.example (192.168.2.10"
        "[192.168.2.10]): no such user 'a'",
    };
    struct inst in = open_parser(&fa_parser_proftpd_systemlog);
    for (size_t k = 0; k < sizeof(sys) / sizeof(sys[0]); k++) {
        hostile(&in, sys[k]);
    }
    close_parser(&in);

    static const char *const sftp[] = {
        "2026-11-26 12:43:05,369 mod_sftp/1.1.1[9290]: client "
        "(127.0.0.10:58905) connected to server (127.0.0.1:40222)",
        "2026-11-26 12:43:05,435 mod_sftp/1.1.1[9290]: user 'alice' "
        "authenticated via 'password' method",
        "2026-11-26 12:43:09,186 mod_sftp/1.1.1[9290]: password "
        "authentication for user 'root' failed: Incorrect password",
        "2026-11-26 12:43:12,135 mod_sftp/1.1.1[9290]: client set "
        "permissions on '/x' to 0600",
        "2026-11-26 12:43:07,659 mod_sftp/1.1.1[9290]: disconnecting client "
        "(received EOF)",
    };
    in = open_parser(&fa_parser_proftpd_sftplog);
    for (size_t k = 0; k < sizeof(sftp) / sizeof(sftp[0]); k++) {
        hostile(&in, sftp[k]);
    }
    close_parser(&in);
}

int main(void)
{
    fa_tz_open(&utc, "UTC");
    struct fa_civil mt = {2026, 12, 31, 0, 0, 0};
    ctx.tz = &utc;
    ctx.mtime = fa_civil_to_epoch(&mt);

    test_syslog_sessions();
    test_systemlog_shapes();
    test_failures_and_noise();
    test_role_labels();
    test_forged_users();
    test_pid_table();
    test_sftplog();
    test_probe();
    test_hostile();
    free(last_line);
    return check_done();
}
