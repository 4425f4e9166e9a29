/* Unit tests of parsers/pureftpd.c: the syslog message handler (through
 * the "pureftpd" syslog descriptor, as files are read) and the AltLog clf,
 * stats and w3c parsers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../parsers/registry.h"
#include "../../parsers/strutil.h"
#include "../../parsers/syslog.h"
#include "../unit/check.h"

static struct fa_tz utc = {.name = "UTC", .is_utc = true, .known = true};
/* 2026-12-31 00:00:00 UTC, as --mtime 2026-12-31 */
static struct fa_ctx ctx = {.tz = &utc, .year_hint = 2026,
                            .mtime = 1798675200};

static char linebuf[FA_LINE_MAX + 1];
static uint64_t lineno;

/* One parser instance. */
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
    in->state = NULL;
}

/* Parse len bytes (which may hold NUL) as one line. */
static enum fa_status feed_n(struct inst *in, const char *s, size_t len,
                             struct fa_event *ev)
{
    memcpy(linebuf, s, len);
    linebuf[len] = '\0';
    struct fa_line l = {linebuf, len, ++lineno};
    const char *why = NULL;
    fa_event_clear(ev);
    enum fa_status st = in->p->parse(in->state, &l, ev, &why);
    if (st == FA_INVALID) {
        CHECK(why != NULL);
    }
    return st;
}

static enum fa_status feed(struct inst *in, const char *s, struct fa_event *ev)
{
    return feed_n(in, s, strlen(s), ev);
}

static int probe(const struct fa_parser *p, const char *const *lines,
                 size_t n)
{
    struct fa_line l[32];
    for (size_t i = 0; i < n; i++) {
        l[i] = (struct fa_line){lines[i], strlen(lines[i]), i + 1};
    }
    return p->probe(l, n);
}

/* Every prefix of a line parses without crashing and gives at most the
 * one event the whole line gives. */
static void prefixes(const struct fa_parser *p, const char *s)
{
    size_t n = strlen(s);
    for (size_t k = 0; k <= n; k++) {
        struct inst in = open_parser(p);
        struct fa_event ev;
        enum fa_status st = feed_n(&in, s, k, &ev);
        CHECK(st == FA_OK || st == FA_SKIP || st == FA_INVALID);
        close_parser(&in);
    }
}

#define SL "Nov 26 12:45:15 vm pure-ftpd: "

static void test_match(void)
{
    bool (*m)(struct fa_str) = fa_syslog_pureftpd.match;
    CHECK(m(FA_STR_LIT("pure-ftpd")));
    CHECK(m(FA_STR_LIT("pure-ftpd-wrapper")));
    CHECK(m(FA_STR_LIT("pure-ftpd-virtualchroot")));
    CHECK(m(FA_STR_LIT("pure-ftpd-mysql")));
    CHECK(m(FA_STR_LIT("pure-ftpd(pam_unix)")));
    CHECK(!m(FA_STR_LIT("pure-ftpdx")));
    CHECK(!m(FA_STR_LIT("pure-ftp")));
    CHECK(!m(FA_STR_LIT("pure-uploadscript")));
    CHECK(!m(FA_STR_LIT("proftpd")));
    CHECK(!m(FA_STR_LIT("")));
    CHECK(fa_syslog_pureftpd.daemon == FA_DAEMON_PUREFTPD);
    CHECK(strcmp(fa_syslog_pureftpd.name, "pureftpd") == 0);
}

static void test_traditional(void)
{
    struct inst in = open_parser(&fa_parser_pureftpd);
    struct fa_event ev;

    CHECK(feed(&in, SL "(?@127.0.0.10) [INFO] New connection from 127.0.0.10",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_CONNECT && ev.outcome == FA_OUT_SUCCESS);
    CHECK(ev.daemon == FA_DAEMON_PUREFTPD && ev.proto == FA_PROTO_FTP);
    CHECK_STR(ev.ip, "127.0.0.10");
    CHECK_STR(ev.user, "");
    CHECK_STR(ev.host, "vm");
    CHECK(ev.pid == 0 && ev.session.len == 0);
    /* Nov 26 12:45:15 2026 UTC */
    CHECK(ev.time_us == 1795697115LL * 1000000);
    CHECK(ev.tz_source == FA_TZ_ASSUMED);

    CHECK(feed(&in, SL "pam_unix(pure-ftpd:session): session opened for "
                       "user alice(uid=1001) by (uid=0)", &ev) == FA_SKIP);
    CHECK(feed(&in, SL "pam_unix(pure-ftpd:auth): authentication failure; "
                       "logname= uid=0 euid=0 tty=pure-ftpd ruser=alice "
                       "rhost=vm  user=alice", &ev) == FA_SKIP);

    CHECK(feed(&in, SL "(?@127.0.0.10) [INFO] alice is now logged in",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN && ev.outcome == FA_OUT_SUCCESS);
    CHECK_STR(ev.user, "alice");
    CHECK_STR(ev.ip, "127.0.0.10");
    CHECK(!ev.anonymous);

    CHECK(feed(&in, SL "(alice@127.0.0.10) [NOTICE] //tmp/e2e/home/alice/"
                       "public_html/index.html downloaded  (189 bytes, "
                       "6850.83KB/sec)", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_DOWNLOAD && ev.outcome == FA_OUT_SUCCESS);
    CHECK_STR(ev.user, "alice");
    CHECK_STR(ev.path, "/tmp/e2e/home/alice/public_html/index.html");
    CHECK(ev.bytes == 189);

    CHECK(feed(&in, SL "(alice@127.0.0.10) [NOTICE] //tmp/e2e/home/alice/"
                       "public_html/news.html uploaded  (69 bytes, "
                       "586.36KB/sec)", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_UPLOAD && ev.outcome == FA_OUT_SUCCESS);
    CHECK_STR(ev.path, "/tmp/e2e/home/alice/public_html/news.html");
    CHECK(ev.bytes == 69);

    CHECK(feed(&in, SL "(alice@127.0.0.10) [NOTICE] //srv/x.bin partially "
                       "uploaded  (1024 bytes, 10.00KB/sec)", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_UPLOAD && ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.path, "/srv/x.bin");
    CHECK(ev.bytes == 1024);

    CHECK(feed(&in, SL "(alice@127.0.0.10) [NOTICE] //srv/y.bin partially "
                       "downloaded  (0 bytes, 0.00KB/sec)", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_DOWNLOAD && ev.outcome == FA_OUT_FAILURE);
    CHECK(ev.bytes == 0);

    CHECK(feed(&in, SL "(bob@127.0.0.20) [NOTICE] File successfully renamed "
                       "or moved: [index.html]->[old/index.html.bak]",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_RENAME && ev.outcome == FA_OUT_SUCCESS);
    CHECK_STR(ev.user, "bob");
    CHECK_STR(ev.path, "index.html"); /* no working directory known */
    CHECK_STR(ev.path2, "old/index.html.bak");

    CHECK(feed(&in, SL "(bob@127.0.0.20) [NOTICE] Deleted //tmp/e2e/home/bob/"
                       "public_html/robots.txt", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_DELETE && ev.outcome == FA_OUT_SUCCESS);
    CHECK_STR(ev.path, "/tmp/e2e/home/bob/public_html/robots.txt");
    CHECK(ev.bytes == -1);

    CHECK(feed(&in, SL "(?@127.0.0.66) [WARNING] Authentication failed for "
                       "user [alice]", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN && ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.user, "alice");
    CHECK_STR(ev.ip, "127.0.0.66");
    CHECK_STR(ev.detail, "Authentication failed for user [alice]");

    CHECK(feed(&in, SL "(?@127.0.0.66) [INFO] Logout.", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGOUT && ev.outcome == FA_OUT_SUCCESS);
    CHECK_STR(ev.user, "");
    CHECK(feed(&in, SL "(bob@127.0.0.20) [INFO] Logout.", &ev) == FA_OK);
    CHECK_STR(ev.user, "bob");

    CHECK(feed(&in, SL "(bob@198.51.100.3) [INFO] Timeout - try typing a "
                       "little faster next time", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGOUT);
    CHECK_STR(ev.detail, "Timeout - try typing a little faster next time");

    CHECK(feed(&in, SL "(?@ftp.example.net) [INFO] New connection from "
                       "ftp.example.net", &ev) == FA_OK);
    CHECK_STR(ev.ip, "ftp.example.net"); /* without -H: a name */
    CHECK(feed(&in, SL "(?@::ffff:192.0.2.8) [INFO] New connection from "
                       "::ffff:192.0.2.8", &ev) == FA_OK);
    CHECK_STR(ev.ip, "192.0.2.8");
    CHECK(feed(&in, SL "(?@2001:db8::7) [INFO] New connection from "
                       "2001:db8::7", &ev) == FA_OK);
    CHECK_STR(ev.ip, "2001:db8::7");

    /* Virtual users hold '@': the last '@' splits account and host. */
    CHECK(feed(&in, "Jan  7 14:20:06 ftpcdr pure-ftpd: (?@172.21.10.2) "
                    "[INFO] user@test.com is now logged in", &ev) == FA_OK);
    CHECK_STR(ev.user, "user@test.com");
    CHECK(feed(&in, SL "(user@test.com@172.21.10.2) [INFO] Logout.",
               &ev) == FA_OK);
    CHECK_STR(ev.user, "user@test.com");
    CHECK_STR(ev.ip, "172.21.10.2");

    CHECK(feed(&in, SL "(?@203.0.113.9) [INFO] Anonymous user logged in",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN && ev.outcome == FA_OUT_SUCCESS);
    CHECK(ev.anonymous);
    CHECK_STR(ev.user, "ftp");

    /* Banners, startup and unknown notices carry nothing. */
    CHECK(feed(&in, SL "(?@?) [ERROR] Unable to start a standalone server",
               &ev) == FA_SKIP);
    CHECK(feed(&in, SL "(alice@127.0.0.10) [NOTICE] Something new", &ev) ==
          FA_SKIP);
    CHECK(feed(&in, SL "(?@127.0.0.10) [INFO] Hello there", &ev) == FA_SKIP);
    CHECK(feed(&in, SL "(?@127.0.0.10) [DEBUG] 220 You will be disconnected "
                       "after 15 minutes of inactivity.", &ev) == FA_SKIP);
    CHECK(feed(&in, SL "started", &ev) == FA_SKIP);
    /* A prefix without a level is broken. */
    CHECK(feed(&in, SL "(?@127.0.0.10) New connection", &ev) == FA_INVALID);
    CHECK(feed(&in, SL "(no-at-sign) [INFO] Logout.", &ev) == FA_INVALID);
    /* Other programs' lines in the same file are not ours. */
    CHECK(feed(&in, "Nov 26 12:45:15 vm CRON[12]: (root) CMD (run-parts)",
               &ev) == FA_SKIP);
    close_parser(&in);
}

static void test_envelopes(void)
{
    struct inst in = open_parser(&fa_parser_pureftpd);
    struct fa_event ev;

    CHECK(feed(&in, "2026-11-26T12:45:15.334333+00:00 vm pure-ftpd: "
                    "(?@127.0.0.10) [INFO] alice is now logged in",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN);
    CHECK(ev.time_us == 1795697115LL * 1000000 + 334333);
    CHECK(ev.tz_source == FA_TZ_EXPLICIT && ev.utc_offset == 0);

    CHECK(feed(&in, "Nov 26 12:45:44 vm ftp.notice pure-ftpd: "
                    "(alice@127.0.0.10) [NOTICE] //tmp/a.txt downloaded  "
                    "(24 bytes, 901.87KB/sec)", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_DOWNLOAD);
    CHECK_STR(ev.path, "/tmp/a.txt");
    CHECK(feed(&in, "Nov 26 12:45:44 vm authpriv.info pure-ftpd: "
                    "pam_unix(pure-ftpd:session): session closed for user "
                    "alice", &ev) == FA_SKIP);

    /* tcp_wrappers in front of the daemon. */
    CHECK(feed(&in, "Nov 26 12:45:44 vm pure-ftpd-wrapper[926]: connect "
                    "from  192.168.20.10 (192.168.20.10)", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_CONNECT && ev.outcome == FA_OUT_SUCCESS);
    CHECK_STR(ev.ip, "192.168.20.10");
    CHECK(ev.pid == 926);
    CHECK(feed(&in, "Nov 26 12:45:44 vm pure-ftpd-wrapper[927]: refused "
                    "connect from evil.example (198.51.100.66)",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_CONNECT && ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.ip, "198.51.100.66");
    CHECK(feed(&in, "Nov 26 12:45:44 vm pure-ftpd-virtualchroot: "
                    "(?@192.0.2.1) [WARNING] Authentication failed for user "
                    "[web1]", &ev) == FA_OK);
    CHECK_STR(ev.user, "web1");

    /* An AltLog line sent to syslog (-O clf:syslog). */
    CHECK(feed(&in, "Nov 26 12:45:44 vm pure-ftpd: 192.0.2.4 - carol "
                    "[26/Nov/2026:12:45:44 +0000] \"PUT /srv/a%20b.txt\" 200 7",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_UPLOAD);
    CHECK_STR(ev.user, "carol");
    CHECK_STR(ev.path, "/srv/a b.txt");
    CHECK(ev.tz_source == FA_TZ_ASSUMED); /* the envelope's time */
    CHECK(feed(&in, "Nov 26 12:45:44 vm pure-ftpd: (carol@192.0.2.4) [INFO] "
                    "192.0.2.4 - carol [26/Nov/2026:12:45:44 +0000] \"GET "
                    "/srv/b.txt\" 200 9", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_DOWNLOAD && ev.bytes == 9);
    CHECK_STR(ev.path, "/srv/b.txt");
    CHECK(feed(&in, "Nov 26 12:45:44 vm pure-ftpd: 1795697085 6b0829bd.2aa1 "
                    "alice 127.0.0.99 U 189 0 /x y", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_UPLOAD);
    CHECK_STR(ev.session, "6b0829bd.2aa1");
    CHECK_STR(ev.path, "/x y");
    CHECK(ev.time_us == 1795697144LL * 1000000); /* Nov 26 12:45:44 */
    CHECK(feed(&in, "Nov 26 12:45:44 vm pure-ftpd: 12 monkeys", &ev) ==
          FA_SKIP);
    close_parser(&in);
}

static void test_verbose(void)
{
    struct inst in = open_parser(&fa_parser_pureftpd);
    struct fa_event ev;
#define VL "Nov 26 12:45:43 vm pure-ftpd[11540]: (bob@127.0.0.20) [DEBUG] "

    CHECK(feed(&in, "Nov 26 12:45:43 vm pure-ftpd[11540]: (?@127.0.0.20) "
                    "[INFO] New connection from 127.0.0.20", &ev) == FA_OK);
    CHECK(ev.pid == 11540);
    CHECK_STR(ev.session, "11540");
    CHECK(feed(&in, "Nov 26 12:45:43 vm pure-ftpd[11540]: (?@127.0.0.20) "
                    "[DEBUG] Command [user] [bob]", &ev) == FA_SKIP);
    CHECK(feed(&in, "Nov 26 12:45:43 vm pure-ftpd[11540]: (?@127.0.0.20) "
                    "[DEBUG] Command [pass] [<*>]", &ev) == FA_SKIP);
    CHECK(feed(&in, "Nov 26 12:45:43 vm pure-ftpd[11540]: (?@127.0.0.20) "
                    "[INFO] bob is now logged in", &ev) == FA_OK);
    CHECK(feed(&in, VL "230 OK. Current directory is /tmp/e2e/home/bob",
               &ev) == FA_SKIP);
    CHECK(feed(&in, VL "Command [cwd] [public_html]", &ev) == FA_SKIP);
    CHECK(feed(&in, VL "250 OK. Current directory is /tmp/e2e/home/bob/"
                       "public_html", &ev) == FA_SKIP);

    CHECK(feed(&in, VL "Command [mkd] [old]", &ev) == FA_SKIP);
    CHECK(feed(&in, VL "257 \"old\" : The directory was successfully created",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_MKDIR && ev.outcome == FA_OUT_SUCCESS);
    CHECK_STR(ev.path, "/tmp/e2e/home/bob/public_html/old");
    CHECK_STR(ev.user, "bob");
    CHECK_STR(ev.session, "11540");

    CHECK(feed(&in, VL "Command [rnfr] [index.html]", &ev) == FA_SKIP);
    CHECK(feed(&in, VL "350 RNFR accepted - file exists, ready for "
                       "destination", &ev) == FA_SKIP);
    CHECK(feed(&in, "Nov 26 12:45:43 vm pure-ftpd[11540]: (bob@127.0.0.20) "
                    "[NOTICE] File successfully renamed or moved: "
                    "[index.html]->[old/index.html.bak]", &ev) == FA_OK);
    CHECK_STR(ev.path, "/tmp/e2e/home/bob/public_html/index.html");
    CHECK_STR(ev.path2, "/tmp/e2e/home/bob/public_html/old/index.html.bak");
    CHECK(feed(&in, VL "250 File successfully renamed or moved", &ev) ==
          FA_SKIP);

    CHECK(feed(&in, VL "Command [rmd] [tmpdir]", &ev) == FA_SKIP);
    CHECK(feed(&in, VL "250 The directory was successfully removed", &ev) ==
          FA_OK);
    CHECK(ev.action == FA_ACT_RMDIR && ev.outcome == FA_OUT_SUCCESS);
    CHECK_STR(ev.path, "/tmp/e2e/home/bob/public_html/tmpdir");
    /* The same reply again, with no RMD before it, is no event. */
    CHECK(feed(&in, VL "250 The directory was successfully removed", &ev) ==
          FA_SKIP);

    CHECK(feed(&in, VL "Command [site] [CHMOD 600 notes.txt]", &ev) ==
          FA_SKIP);
    CHECK(feed(&in, VL "200 Permissions changed on notes.txt", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_CHMOD && ev.outcome == FA_OUT_SUCCESS);
    CHECK_STR(ev.path, "/tmp/e2e/home/bob/public_html/notes.txt");
    CHECK_STR(ev.detail, "600");

    CHECK(feed(&in, VL "Command [mkd] [old]", &ev) == FA_SKIP);
    CHECK(feed(&in, VL "550 Can't create directory: File exists", &ev) ==
          FA_OK);
    CHECK(ev.action == FA_ACT_MKDIR && ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.path, "/tmp/e2e/home/bob/public_html/old");
    CHECK_STR(ev.detail, "Can't create directory: File exists");

    CHECK(feed(&in, VL "Command [dele] [nope.txt]", &ev) == FA_SKIP);
    CHECK(feed(&in, VL "550 Could not delete nope.txt: No such file or "
                       "directory", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_DELETE && ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.path, "/tmp/e2e/home/bob/public_html/nope.txt");

    CHECK(feed(&in, VL "Command [site] [CHMOD 777 /etc/passwd]", &ev) ==
          FA_SKIP);
    CHECK(feed(&in, VL "550 Could not change perms on /etc/passwd: "
                       "Operation not permitted", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_CHMOD && ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.path, "/etc/passwd");

    /* PWD reply sets the directory too. */
    CHECK(feed(&in, VL "257 \"/srv/www\" is your current location", &ev) ==
          FA_SKIP);
    CHECK(feed(&in, VL "257 \"x\" : The directory was successfully created",
               &ev) == FA_OK);
    CHECK_STR(ev.path, "/srv/www/x");

    CHECK(feed(&in, VL "211-Extensions supported:#015#012 UTF8", &ev) ==
          FA_SKIP);
    /* Replies whose quote is both the prefix's and the suffix's (found by
     * fuzzing: a negative length). */
    CHECK(feed(&in, VL "257 \" is your current location", &ev) == FA_SKIP);
    CHECK(feed(&in, VL "257 \" : The directory was successfully created",
               &ev) == FA_SKIP);
    CHECK(feed(&in, VL "257 \"\" : The directory was successfully created",
               &ev) == FA_SKIP);
    CHECK(feed(&in, "Nov 26 12:45:43 vm pure-ftpd[11540]: (bob@127.0.0.20) "
                    "[INFO] Logout.", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGOUT);

    /* Too many failures: the last attempt is only this ERROR line. */
    CHECK(feed(&in, "Nov 26 12:46:00 vm pure-ftpd[12000]: (?@203.0.113.5) "
                    "[INFO] New connection from 203.0.113.5", &ev) == FA_OK);
    CHECK(feed(&in, "Nov 26 12:46:00 vm pure-ftpd[12000]: (?@203.0.113.5) "
                    "[DEBUG] Command [user] [admin]", &ev) == FA_SKIP);
    CHECK(feed(&in, "Nov 26 12:46:01 vm pure-ftpd[12000]: (?@203.0.113.5) "
                    "[ERROR] Too many authentication failures", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN && ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.user, "admin");
    CHECK_STR(ev.ip, "203.0.113.5");

    /* TLS: the session's later events are FTPS. */
    CHECK(feed(&in, "Nov 26 12:47:00 vm pure-ftpd[13000]: (?@192.0.2.50) "
                    "[INFO] New connection from 192.0.2.50", &ev) == FA_OK);
    CHECK(ev.proto == FA_PROTO_FTP);
    CHECK(feed(&in, "Nov 26 12:47:00 vm pure-ftpd[13000]: (?@192.0.2.50) "
                    "[INFO] SSL/TLS: Enabled TLSv1.3 with "
                    "TLS_AES_256_GCM_SHA384, 256 secret bits cipher",
               &ev) == FA_SKIP);
    CHECK(feed(&in, "Nov 26 12:47:01 vm pure-ftpd[13000]: (?@192.0.2.50) "
                    "[INFO] carol is now logged in", &ev) == FA_OK);
    CHECK(ev.proto == FA_PROTO_FTPS);
    CHECK(feed(&in, "Nov 26 12:47:01 vm pure-ftpd[13001]: (?@192.0.2.50) "
                    "[INFO] New connection from 192.0.2.50", &ev) == FA_OK);
    CHECK(ev.proto == FA_PROTO_FTP); /* another session */
    close_parser(&in);
#undef VL
}

static void test_chroot(void)
{
    struct inst in = open_parser(&fa_parser_pureftpd);
    struct fa_event ev;
    CHECK(feed(&in, SL "(alice@127.0.0.10) [NOTICE] /tmp/e2e/home/alice//"
                       "public_html/index.html downloaded  (189 bytes, "
                       "2426.78KB/sec)", &ev) == FA_OK);
    CHECK_STR(ev.path, "/tmp/e2e/home/alice/public_html/index.html");
    CHECK(feed(&in, SL "(bob@127.0.0.20) [NOTICE] Deleted /tmp/e2e/home/bob//"
                       "public_html/robots.txt", &ev) == FA_OK);
    CHECK_STR(ev.path, "/tmp/e2e/home/bob/public_html/robots.txt");
    /* A path with no doubled slash is passed through as a view. */
    CHECK(feed(&in, SL "(bob@127.0.0.20) [NOTICE] Deleted /srv/x", &ev) ==
          FA_OK);
    CHECK_STR(ev.path, "/srv/x");
    close_parser(&in);
}

static void test_localized(void)
{
    struct inst in = open_parser(&fa_parser_pureftpd);
    struct fa_event ev;

    CHECK(feed(&in, SL "(?@192.0.2.1) [WARNING] Erreur d'authentification "
                       "pour l'utilisateur [jean]", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN && ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.user, "jean");
    CHECK(feed(&in, SL "(?@192.0.2.1) [WARNING] Authentifizierung "
                       "fehlgeschlagen f\xc3\xbcr Benutzer [hans].",
               &ev) == FA_OK);
    CHECK_STR(ev.user, "hans");
    /* Hungarian: the bracket inside the sentence. */
    CHECK(feed(&in, SL "(?@192.0.2.1) [WARNING] Azonos\xc3\xadt\xc3\xa1s "
                       "sikertelen [jozsef] felhaszn\xc3\xa1l\xc3\xb3nak",
               &ev) == FA_OK);
    CHECK_STR(ev.user, "jozsef");
    /* Korean (EUC-KR) and Chinese (GBK, Big5) bytes as written. */
    CHECK(feed(&in, SL "(?@192.0.2.1) [WARNING] [kim] \xbb\xe7\xbf\xeb\xc0\xda"
                       " \xc0\xce\xc1\xf5 \xbd\xc7\xc6\xd0", &ev) == FA_OK);
    CHECK_STR(ev.user, "kim");
    CHECK(feed(&in, SL "(?@192.0.2.1) [WARNING] \xd3\xc3\xbb\xa7[wang]"
                       "\xd1\xe9\xd6\xa4\xca\xa7\xb0\xdc", &ev) == FA_OK);
    CHECK_STR(ev.user, "wang");
    CHECK(feed(&in, SL "(?@192.0.2.1) [WARNING] \xa8\xcf\xa5\xce\xaa\xcc[lee]"
                       "\xc5\xe7\xc3\xd2\xa5\xa2\xb1\xd1", &ev) == FA_OK);
    CHECK_STR(ev.user, "lee");
    /* Account disabled: a failed login too. */
    CHECK(feed(&in, SL "(?@192.0.2.1) [WARNING] Can't login as [root]: "
                       "account disabled (uid < 1000)", &ev) == FA_OK);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.user, "root");

    /* Other warnings with brackets are not logins. */
    CHECK(feed(&in, SL "(?@192.0.2.1) [WARNING] Wrong SQL parameters : "
                       "[SELECT 1]", &ev) == FA_SKIP);
    CHECK(feed(&in, SL "(?@?) [WARNING] Too many connections (5) from this "
                       "IP: [192.0.2.1]", &ev) == FA_SKIP);
    CHECK(feed(&in, SL "(?@?) [WARNING] puredb: [10.0.0.0] => [-2]", &ev) ==
          FA_SKIP);
    CHECK(feed(&in, SL "(alice@192.0.2.1) [WARNING] Quota exceeded: [x] "
                       "won't be saved", &ev) == FA_SKIP);
    CHECK(feed(&in, SL "(?@192.0.2.1) [WARNING] no bracket here", &ev) ==
          FA_SKIP);

    /* French and German builds: logins, transfers, deletes. */
    CHECK(feed(&in, SL "(?@192.0.2.1) [INFO] Nouvelle connexion de "
                       "192.0.2.1", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_CONNECT);
    CHECK(feed(&in, SL "(?@192.0.2.1) [INFO] jean est maintenant loggue",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN);
    CHECK_STR(ev.user, "jean");
    CHECK(feed(&in, SL "(hans@192.0.2.1) [INFO] hans ist jetzt eingeloggt.",
               &ev) == FA_OK);
    CHECK_STR(ev.user, "hans");
    CHECK(feed(&in, SL "(jean@192.0.2.1) [NOTICE] //srv/a.txt uploade  "
                       "(5 bytes, 1.00KB/sec)", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_UPLOAD);
    CHECK_STR(ev.path, "/srv/a.txt");
    CHECK(feed(&in, SL "(hans@192.0.2.1) [NOTICE] //srv/b.txt "
                       "heruntergeladen.  (6 bytes, 1.00KB/sec)", &ev) ==
          FA_OK);
    CHECK(ev.action == FA_ACT_DOWNLOAD);
    CHECK_STR(ev.path, "/srv/b.txt");
    CHECK(feed(&in, SL "(jean@192.0.2.1) [NOTICE] //srv/a.txt detruit", &ev) ==
          FA_OK);
    CHECK(ev.action == FA_ACT_DELETE);
    CHECK_STR(ev.path, "/srv/a.txt");
    CHECK(feed(&in, SL "(hans@192.0.2.1) [NOTICE] //srv/b.txt gel\xc3\xb6scht.",
               &ev) == FA_OK);
    CHECK_STR(ev.path, "/srv/b.txt");
    CHECK(feed(&in, SL "(hans@192.0.2.1) [NOTICE] Datei erfolgreich umbenannt "
                       "oder verschoben.: [a]->[b]", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_RENAME);
    CHECK_STR(ev.path, "a");
    CHECK_STR(ev.path2, "b");
    /* A transfer word we do not know: no guess at the direction. */
    CHECK(feed(&in, SL "(ivan@192.0.2.1) [NOTICE] //srv/c.txt zzz  "
                       "(6 bytes, 1.00KB/sec)", &ev) == FA_SKIP);
    close_parser(&in);
}

static void test_hostile(void)
{
    struct inst in = open_parser(&fa_parser_pureftpd);
    struct fa_event ev;

    /* A user name holding "]" and forged text stays one user. */
    CHECK(feed(&in, SL "(?@198.51.100.1) [WARNING] Authentication failed for "
                       "user [x] from 10.0.0.1 [WARNING] Authentication failed"
                       " for user [root]", &ev) == FA_OK);
    CHECK_STR(ev.user, "x] from 10.0.0.1 [WARNING] Authentication failed "
                       "for user [root");
    CHECK_STR(ev.ip, "198.51.100.1");

    /* A file named like a log tail: the real tail is the last one. */
    CHECK(feed(&in, SL "(alice@198.51.100.1) [NOTICE] //srv/x downloaded  "
                       "(5 bytes, 1.00KB/sec) uploaded  (69 bytes, "
                       "586.36KB/sec)", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_UPLOAD && ev.bytes == 69);
    CHECK_STR(ev.path, "/srv/x downloaded  (5 bytes, 1.00KB/sec)");

    /* Spaces and brackets in names. */
    CHECK(feed(&in, SL "(alice@198.51.100.1) [NOTICE] File successfully "
                       "renamed or moved: [my file [1].txt]->[new name.txt]",
               &ev) == FA_OK);
    CHECK_STR(ev.path, "my file [1].txt");
    CHECK_STR(ev.path2, "new name.txt");

    /* NUL bytes and invalid UTF-8. */
    static const char nul[] = SL "(alice@198.51.100.1) [NOTICE] //srv/a\0b "
                                 "uploaded  (3 bytes, 1.00KB/sec)";
    CHECK(feed_n(&in, nul, sizeof(nul) - 1, &ev) == FA_OK);
    CHECK(ev.path.len == 8 && memcmp(ev.path.ptr, "/srv/a\0b", 8) == 0);
    CHECK(feed(&in, SL "(alice@198.51.100.1) [NOTICE] //srv/\xff\xfe.bin "
                       "uploaded  (3 bytes, 1.00KB/sec)", &ev) == FA_OK);
    CHECK_STR(ev.path, "/srv/\xff\xfe.bin");

    /* Two records glued together: at most one event, no crash. */
    CHECK(feed(&in, SL "(?@127.0.0.66) [INFO] Logout.Nov 26 12:45:16 vm "
                       "pure-ftpd: (?@127.0.0.11) [INFO] New connection from "
                       "127.0.0.11", &ev) == FA_SKIP);

    /* A path longer than the path buffer is passed on as logged. */
    static char big[20000];
    size_t n = (size_t)snprintf(big, sizeof(big),
                                SL "(alice@198.51.100.1) [NOTICE] /");
    for (size_t i = 0; i < 12000; i++) {
        big[n++] = i % 50 == 0 ? '/' : 'a';
    }
    n += (size_t)snprintf(big + n, sizeof(big) - n,
                          " uploaded  (1 bytes, 1.00KB/sec)");
    CHECK(feed_n(&in, big, n, &ev) == FA_OK);
    CHECK(ev.path.len == 12001 && ev.path.ptr[0] == '/' &&
          ev.path.ptr[1] == '/');
    close_parser(&in);

    /* Every prefix of every shape. */
    static const char *const lines[] = {
        SL "(?@127.0.0.10) [INFO] New connection from 127.0.0.10",
        SL "(?@127.0.0.10) [INFO] alice is now logged in",
        SL "(alice@127.0.0.10) [NOTICE] //tmp/i.html downloaded  (189 bytes, "
           "6850.83KB/sec)",
        SL "(?@127.0.0.66) [WARNING] Authentication failed for user [alice]",
        SL "(?@192.0.2.1) [WARNING] \xd3\xc3\xbb\xa7[wang]\xd1\xe9",
        SL "(bob@127.0.0.20) [NOTICE] File successfully renamed or moved: "
           "[index.html]->[old/index.html.bak]",
        SL "(bob@127.0.0.20) [NOTICE] Deleted //tmp/robots.txt",
        "Nov 26 12:45:43 vm pure-ftpd[11540]: (bob@127.0.0.20) [DEBUG] 257 "
        "\"old\" : The directory was successfully created",
        "Nov 26 12:45:43 vm pure-ftpd[11540]: (bob@127.0.0.20) [DEBUG] 200 "
        "Permissions changed on notes.txt",
        "Nov 26 12:45:44 vm pure-ftpd-wrapper[926]: connect from  "
        "192.168.20.10 (192.168.20.10)",
        "2026-11-26T12:45:15.334333+00:00 vm pure-ftpd: (?@127.0.0.10) "
        "[INFO] Logout.",
    };
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
        prefixes(&fa_parser_pureftpd, lines[i]);
    }
}

static void test_clf(void)
{
    const struct fa_parser *p = &fa_parser_pureftpd_clf;
    CHECK(strcmp(p->name, "pureftpd-clf") == 0);
    struct inst in = open_parser(p);
    struct fa_event ev;
    static const char get[] = "127.0.0.99 - alice [26/Nov/2026:12:44:32 "
                              "-0000] \"GET /tmp/e2e/home/alice/public_html/"
                              "index.html\" 200 189";
    CHECK(feed(&in, get, &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_DOWNLOAD && ev.outcome == FA_OUT_SUCCESS);
    CHECK(ev.daemon == FA_DAEMON_PUREFTPD && ev.proto == FA_PROTO_FTP);
    CHECK_STR(ev.ip, "127.0.0.99");
    CHECK_STR(ev.user, "alice");
    CHECK_STR(ev.path, "/tmp/e2e/home/alice/public_html/index.html");
    CHECK(ev.bytes == 189);
    CHECK(ev.time_us == 1795697072LL * 1000000);
    CHECK(ev.tz_source == FA_TZ_EXPLICIT && ev.utc_offset == 0);

    CHECK(feed(&in, "192.0.2.7 - web1 [26/Nov/2026:07:44:32 -0500] \"PUT "
                    "/srv/My%20Docs/caf%C3%A9%2B1.txt\" 200 254",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_UPLOAD);
    CHECK_STR(ev.path, "/srv/My Docs/caf\xc3\xa9+1.txt");
    CHECK(ev.time_us == 1795697072LL * 1000000);
    CHECK(ev.utc_offset == -5 * 3600);
    /* A broken escape is kept as written. */
    CHECK(feed(&in, "192.0.2.7 - web1 [26/Nov/2026:07:44:32 -0500] \"PUT "
                    "/srv/100%zz%4\" 200 1", &ev) == FA_OK);
    CHECK_STR(ev.path, "/srv/100%zz%4");
    /* An account holding " [" */
    CHECK(feed(&in, "192.0.2.7 - we [x] [26/Nov/2026:07:44:32 -0500] \"GET "
                    "/a\" 200 1", &ev) == FA_OK);
    CHECK_STR(ev.user, "we [x]");
    CHECK(feed(&in, "ftp.example.net - bob [26/Nov/2026:07:44:32 +0100] "
                    "\"GET /a\" 200 18446744073709551615", &ev) == FA_OK);
    CHECK_STR(ev.ip, "ftp.example.net");
    CHECK(ev.bytes == INT64_MAX);

    /* Not this format. */
    CHECK(feed(&in, "203.0.113.5 - - [26/Nov/2026:12:44:19 +0000] \"GET "
                    "/index.html HTTP/1.1\" 200 612 \"-\" \"curl/7.88.1\"",
               &ev) == FA_INVALID);
    CHECK(feed(&in, "127.0.0.10 UNKNOWN alice [26/Nov/2026:12:42:58 +0000] "
                    "\"RETR index.html\" 226 189", &ev) == FA_INVALID);
    CHECK(feed(&in, "127.0.0.10 - alice [26/Nov/2026:12:42:58 +0000] "
                    "\"RETR index.html\" 226 189", &ev) == FA_INVALID);
    CHECK(feed(&in, "127.0.0.10 - alice [26/Nov/2026:12:42:58 +0000] "
                    "\"GET /a\" 404 0", &ev) == FA_INVALID);
    CHECK(feed(&in, "127.0.0.10 - alice [26/Nov/2026:12:42:58 +0000] "
                    "\"GET /a\" 200 12x", &ev) == FA_INVALID);
    CHECK(feed(&in, "127.0.0.10 - alice [26/Nov/20261:12:42:58 +0000] "
                    "\"GET /a\" 200 1", &ev) == FA_INVALID);
    CHECK(feed(&in, "", &ev) == FA_INVALID);
    close_parser(&in);
    prefixes(p, get);

    static const char *const mine[] = {get, get, get};
    CHECK(probe(p, mine, 3) >= 90);
    static const char *const http[] = {
        "203.0.113.5 - - [26/Nov/2026:12:44:19 +0000] \"GET /index.html "
        "HTTP/1.1\" 200 612 \"-\" \"curl/7.88.1\"",
        "203.0.113.5 - alice [26/Nov/2026:12:44:19 +0000] \"GET /\" 200 612",
    };
    CHECK(probe(p, http, 2) == 0);
    static const char *const proftpd[] = {
        "127.0.0.10 UNKNOWN - [26/Nov/2026:12:42:58 +0000] \"FEAT\" 211 -",
        "127.0.0.10 UNKNOWN alice [26/Nov/2026:12:42:58 +0000] \"RETR "
        "index.html\" 226 189",
    };
    CHECK(probe(p, proftpd, 2) == 0);
}

static void test_stats(void)
{
    const struct fa_parser *p = &fa_parser_pureftpd_stats;
    CHECK(strcmp(p->name, "pureftpd-stats") == 0);
    struct inst in = open_parser(p);
    struct fa_event ev;
    static const char d[] = "1795697085 6b0829bd.2aa1 alice 127.0.0.99 D 189 0 "
                            "/tmp/e2e/home/alice/public_html/index.html";
    CHECK(feed(&in, d, &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_DOWNLOAD && ev.outcome == FA_OUT_SUCCESS);
    CHECK(ev.daemon == FA_DAEMON_PUREFTPD);
    CHECK(ev.time_us == 1795697085LL * 1000000);
    CHECK(ev.tz_source == FA_TZ_EXPLICIT && ev.utc_offset == 0);
    CHECK_STR(ev.session, "6b0829bd.2aa1");
    CHECK_STR(ev.user, "alice");
    CHECK_STR(ev.ip, "127.0.0.99");
    CHECK_STR(ev.path, "/tmp/e2e/home/alice/public_html/index.html");
    CHECK(ev.bytes == 189);

    /* The path is the rest of the line, spaces and look-alikes included. */
    CHECK(feed(&in, "1795697085 6b0829bd.2aa1 bob ::ffff:192.0.2.3 U 254 3 "
                    "/srv/my file U 1 2 x.txt", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_UPLOAD && ev.bytes == 254);
    CHECK_STR(ev.ip, "192.0.2.3");
    CHECK_STR(ev.path, "/srv/my file U 1 2 x.txt");

    CHECK(feed(&in, "1795697085 6b0829bd.2aa1 alice 127.0.0.99 X 189 0 /a",
               &ev) == FA_INVALID);
    CHECK(feed(&in, "1795697085 zz.2aa1 alice 127.0.0.99 D 189 0 /a", &ev) ==
          FA_INVALID);
    CHECK(feed(&in, "1795697085 6b0829bd.2aa1 127.0.0.99 D 189 0 /a", &ev) ==
          FA_INVALID);
    CHECK(feed(&in, "1795697085 6b0829bd.2aa1 alice 127.0.0.99 D 189 0 ",
               &ev) == FA_INVALID);
    CHECK(feed(&in, "2026-11-26 12:44:19 install pure-ftpd:amd64 <none> 1", &ev)
          == FA_INVALID);
    close_parser(&in);
    prefixes(p, d);

    static const char *const mine[] = {d, d};
    CHECK(probe(p, mine, 2) >= 90);
    static const char *const dpkg[] = {
        "2026-11-26 12:44:19 startup archives unpack",
        "2026-11-26 12:44:19 install pure-ftpd:amd64 <none> 1.0.50-2.1+b2"};
    CHECK(probe(p, dpkg, 2) == 0);
}

static void test_w3c(void)
{
    const struct fa_parser *p = &fa_parser_pureftpd_w3c;
    CHECK(strcmp(p->name, "pureftpd-w3c") == 0);
    struct inst in = open_parser(p);
    struct fa_event ev;
    CHECK(feed(&in, "#Software: Pure-FTPd 1.0.50", &ev) == FA_SKIP);
    CHECK(feed(&in, "#Fields: date time c-ip cs-method cs-uri-stem sc-status "
                    "cs-username sc-bytes", &ev) == FA_SKIP);
    static const char up[] = "2026-11-26 12:44:59 127.0.0.99 []created "
                             "/tmp/e2e/home/alice/public_html/index.html 226 "
                             "alice 254";
    CHECK(feed(&in, up, &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_UPLOAD && ev.outcome == FA_OUT_SUCCESS);
    CHECK(ev.time_us == 1795697099LL * 1000000);
    CHECK(ev.tz_source == FA_TZ_EXPLICIT && ev.utc_offset == 0);
    CHECK_STR(ev.user, "alice");
    CHECK_STR(ev.ip, "127.0.0.99");
    CHECK_STR(ev.path, "/tmp/e2e/home/alice/public_html/index.html");
    CHECK(ev.bytes == 254);

    CHECK(feed(&in, "2026-11-26 12:44:47 127.0.0.10 []sent /a%20b 226 bob 24",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_DOWNLOAD);
    CHECK_STR(ev.path, "/a b");
    /* The account may be empty (two spaces). */
    CHECK(feed(&in, "2026-11-26 12:44:47 127.0.0.10 []sent /a 226  24", &ev) ==
          FA_OK);
    CHECK_STR(ev.user, "");
    CHECK(ev.bytes == 24);

    CHECK(feed(&in, "2026-11-26 12:44:47 127.0.0.10 GET /a 226 bob 24", &ev) ==
          FA_INVALID);
    CHECK(feed(&in, "2026-13-26 12:44:47 127.0.0.10 []sent /a 226 bob 24",
               &ev) == FA_INVALID);
    CHECK(feed(&in, "2026-11-26 12:44:47 127.0.0.10 []sent /a 200 bob 24",
               &ev) == FA_INVALID);
    CHECK(feed(&in, "2026-11-26 12:44:47 127.0.0.10 []sent /a 226 bob x",
               &ev) == FA_INVALID);
    close_parser(&in);
    prefixes(p, up);

    static const char *const hdr[] = {"#Software: Pure-FTPd 1.0.50",
                                      "#Version: 1.0"};
    CHECK(probe(p, hdr, 2) >= 95);
    static const char *const data[] = {up, up};
    CHECK(probe(p, data, 2) >= 90);
    static const char *const iis[] = {
        "#Software: Microsoft Internet Information Services 10.0",
        "2026-11-26 12:44:47 192.0.2.1 GET /index.html - 80 - 203.0.113.5 "
        "Mozilla/5.0 - 200 0 0 15"};
    CHECK(probe(p, iis, 2) == 0);
}

int main(void)
{
    test_match();
    test_traditional();
    test_envelopes();
    test_verbose();
    test_chroot();
    test_localized();
    test_hostile();
    test_clf();
    test_stats();
    test_w3c();
    return check_done();
}
