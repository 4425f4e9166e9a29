/* Unit tests of parsers/proftpd_extlog.c: the ProFTPD ExtendedLog parser
 * (built-in LogFormats, --proftpd-logformat, mod_sftp pseudo-commands)
 * and the Combell logs/xferlog parser. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../parsers/registry.h"
#include "../../parsers/strutil.h"
#include "../unit/check.h"

static struct fa_tz utc = {.name = "UTC", .is_utc = true, .known = true};
/* 2026-12-31 23:59:59 UTC, as --mtime 2026-12-31 */
static struct fa_ctx ctx = {.tz = &utc, .year_hint = 2026,
                            .mtime = 1798761599};

static uint64_t lineno;

struct inst {
    const struct fa_parser *p;
    void *state;
    struct fa_ctx ctx;
};

static struct inst *open_fmt(const struct fa_parser *p, const char *fmt)
{
    struct inst *in = calloc(1, sizeof(*in));
    in->p = p;
    in->state = calloc(1, p->state_size);
    in->ctx = ctx;
    in->ctx.logformat = fmt;
    const char *why = NULL;
    CHECK(p->init(in->state, &in->ctx, &why) == 0);
    return in;
}

static struct inst *open_parser(const struct fa_parser *p)
{
    return open_fmt(p, NULL);
}

static void close_parser(struct inst *in)
{
    free(in->state);
    free(in);
}

/* Parse len bytes (which may hold NUL) as one line, in a heap block of
 * exactly len + 1 bytes so a read past the end is seen by sanitizers.
 * The line is kept until the next feed (events point into it). */
static char *held_line;

static enum fa_status feed_n(struct inst *in, const char *s, size_t len,
                             struct fa_event *ev)
{
    free(held_line);
    held_line = malloc(len + 1);
    memcpy(held_line, s, len);
    held_line[len] = '\0';
    struct fa_line l = {held_line, len, ++lineno};
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

/* Feed a line that must be skipped. */
static void skip(struct inst *in, const char *s)
{
    struct fa_event ev;
    enum fa_status st = feed(in, s, &ev);
    if (st != FA_SKIP) {
        fprintf(stderr, "expected SKIP (got %d) for: %s\n", (int)st, s);
    }
    CHECK(st == FA_SKIP);
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

/* ------------------------------------------------------------------ */

static void test_default_ftp(void)
{
    struct inst *in = open_parser(&fa_parser_proftpd_extended);
    struct fa_event ev;

    /* IONOS: the session starts at the login. */
    CHECK(feed(in, "205.242.249.195 UNKNOWN u64295958 "
                   "[19/Jul/2011:08:15:39 -0500] \"PASS (hidden)\" 230 -",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN);
    CHECK(ev.outcome == FA_OUT_SUCCESS);
    CHECK(ev.daemon == FA_DAEMON_PROFTPD);
    CHECK(ev.proto == FA_PROTO_FTP);
    CHECK_STR(ev.user, "u64295958");
    CHECK_STR(ev.ip, "205.242.249.195");
    CHECK(ev.time_us == 1311081339LL * 1000000);
    CHECK(ev.utc_offset == -5 * 3600);
    CHECK(ev.tz_source == FA_TZ_EXPLICIT);
    CHECK(ev.bytes == -1);
    CHECK(!ev.anonymous);

    skip(in, "205.242.249.195 UNKNOWN u64295958 [19/Jul/2011:08:15:43 -0500] "
             "\"PORT 205,242,249,195,198,2\" 200 -");
    skip(in, "205.242.249.195 UNKNOWN u64295958 [19/Jul/2011:08:15:44 -0500] "
             "\"LIST\" 226 319");
    /* Relative before any CWD: relative to the login directory. */
    CHECK(feed(in, "205.242.249.195 UNKNOWN u64295958 "
                   "[19/Jul/2011:08:16:42 -0500] \"STOR hokiegeek.net.zip\" "
                   "226 10638848",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_UPLOAD);
    CHECK(ev.outcome == FA_OUT_SUCCESS);
    CHECK_STR(ev.path, "hokiegeek.net.zip");
    CHECK(ev.bytes == 10638848);
    /* "//x" is "/x". */
    CHECK(feed(in, "205.242.249.195 UNKNOWN u64295958 "
                   "[19/Jul/2011:08:16:43 -0500] \"STOR //a//b/./c.zip\" "
                   "226 10",
               &ev) == FA_OK);
    CHECK_STR(ev.path, "/a/b/c.zip");
    /* A failed CWD changes nothing; a good one does. */
    skip(in, "205.242.249.195 UNKNOWN u64295958 [19/Jul/2011:08:59:05 -0500] "
             "\"CWD /css\" 550 -");
    skip(in, "205.242.249.195 UNKNOWN u64295958 [19/Jul/2011:08:59:05 -0500] "
             "\"CWD /health\" 250 -");
    skip(in, "205.242.249.195 UNKNOWN u64295958 [19/Jul/2011:08:59:06 -0500] "
             "\"CWD CT_SCAN/data\" 250 -");
    skip(in, "205.242.249.195 UNKNOWN u64295958 [19/Jul/2011:08:59:06 -0500] "
             "\"CDUP\" 250 -");
    CHECK(feed(in, "205.242.249.195 UNKNOWN u64295958 "
                   "[19/Jul/2011:08:59:09 -0500] \"STOR ../x/./y.html\" "
                   "226 116",
               &ev) == FA_OK);
    CHECK_STR(ev.path, "/health/x/y.html");
    CHECK(feed(in, "205.242.249.195 UNKNOWN u64295958 "
                   "[19/Jul/2011:08:59:09 -0500] \"RETR ../../../../etc\" "
                   "550 -",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_DOWNLOAD);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.path, "/etc");
    CHECK_STR(ev.detail, "550");
    /* DELE logs the size of the removed file. */
    CHECK(feed(in, "205.242.249.195 UNKNOWN u64295958 "
                   "[19/Jul/2011:08:59:10 -0500] \"DELE old.zip\" 250 474730",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_DELETE);
    CHECK_STR(ev.path, "/health/CT_SCAN/old.zip");
    CHECK(ev.bytes == 474730);
    /* RNFR 350 then RNTO 250: one rename. */
    skip(in, "205.242.249.195 UNKNOWN u64295958 [19/Jul/2011:08:59:35 -0500] "
             "\"RNFR index.html\" 350 0");
    CHECK(feed(in, "205.242.249.195 UNKNOWN u64295958 "
                   "[19/Jul/2011:08:59:35 -0500] \"RNTO /redirect_index.html\" "
                   "250 0",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_RENAME);
    CHECK(ev.outcome == FA_OUT_SUCCESS);
    CHECK_STR(ev.path, "/health/CT_SCAN/index.html");
    CHECK_STR(ev.path2, "/redirect_index.html");
    CHECK(ev.bytes == -1);
    /* RNTO without its RNFR: no old name. */
    CHECK(feed(in, "205.242.249.195 UNKNOWN u64295958 "
                   "[19/Jul/2011:08:59:36 -0500] \"RNTO b\" 503 -",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_RENAME);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    CHECK(ev.path.len == 0);
    CHECK_STR(ev.path2, "/health/CT_SCAN/b");
    CHECK(feed(in, "205.242.249.195 UNKNOWN u64295958 "
                   "[19/Jul/2011:08:59:37 -0500] \"XMKD new dir\" 257 -",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_MKDIR);
    CHECK_STR(ev.path, "/health/CT_SCAN/new dir");
    CHECK(feed(in, "205.242.249.195 UNKNOWN u64295958 "
                   "[19/Jul/2011:07:09:01 -0500] \"XRMD -rf\" 550 -",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_RMDIR);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    CHECK(feed(in, "205.242.249.195 UNKNOWN u64295958 "
                   "[19/Jul/2011:08:59:38 -0500] \"SITE CHMOD 600 notes.txt\" "
                   "200 -",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_CHMOD);
    CHECK_STR(ev.path, "/health/CT_SCAN/notes.txt");
    CHECK_STR(ev.detail, "600");
    CHECK(feed(in, "205.242.249.195 UNKNOWN u64295958 "
                   "[19/Jul/2011:08:59:39 -0500] \"SITE EXEC id\" 500 -",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_COMMAND);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.detail, "SITE EXEC id");
    /* A raw Telnet byte before ABOR (IONOS): housekeeping. */
    skip(in, "205.242.249.195 UNKNOWN u64295958 [19/Jul/2011:08:15:08 -0500] "
             "\"\xf2" "ABOR\" 500 -");
    CHECK(feed(in, "205.242.249.195 UNKNOWN u64295958 "
                   "[19/Jul/2011:09:00:00 -0500] \"QUIT\" 221 -",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGOUT);
    CHECK_STR(ev.user, "u64295958");
    /* A new login starts again from the login directory. */
    CHECK(feed(in, "205.242.249.195 UNKNOWN u64295958 "
                   "[19/Jul/2011:09:01:00 -0500] \"PASS (hidden)\" 230 -",
               &ev) == FA_OK);
    CHECK(feed(in, "205.242.249.195 UNKNOWN u64295958 "
                   "[19/Jul/2011:09:01:01 -0500] \"RETR a.txt\" 226 5",
               &ev) == FA_OK);
    CHECK_STR(ev.path, "a.txt");
    /* Out-of-order stamps are just read. */
    CHECK(feed(in, "205.242.249.195 UNKNOWN u64295958 "
                   "[19/Jul/2011:08:00:00 -0500] \"RETR b.txt\" 226 5",
               &ev) == FA_OK);
    CHECK(ev.time_us == 1311080400LL * 1000000);
    close_parser(in);
}

static void test_default_prelogin(void)
{
    struct inst *in = open_parser(&fa_parser_proftpd_extended);
    struct fa_event ev;
    skip(in, "127.0.0.10 UNKNOWN - [26/Nov/2026:12:42:58 +0000] "
             "\"FEAT\" 211 -");
    skip(in, "127.0.0.10 UNKNOWN - [26/Nov/2026:12:42:58 +0000] "
             "\"USER alice\" 331 -");
    CHECK(feed(in, "127.0.0.10 UNKNOWN alice [26/Nov/2026:12:42:58 +0000] "
                   "\"PASS (hidden)\" 230 -",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN && ev.outcome == FA_OUT_SUCCESS);
    CHECK_STR(ev.user, "alice");
    /* %u is "-" on a failure: the user comes from the USER line. */
    skip(in, "127.0.0.66 UNKNOWN - [26/Nov/2026:12:43:00 +0000] "
             "\"USER root\" 331 -");
    CHECK(feed(in, "127.0.0.66 UNKNOWN - [26/Nov/2026:12:43:00 +0000] "
                   "\"PASS (hidden)\" 530 -",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN && ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.user, "root");
    CHECK_STR(ev.ip, "127.0.0.66");
    CHECK_STR(ev.detail, "530");
    /* Parallel sessions of one address, no pid: different names waiting
     * give no user rather than a wrong one. */
    skip(in, "127.0.0.66 UNKNOWN - [26/Nov/2026:12:43:00 +0000] "
             "\"USER alice\" 331 -");
    skip(in, "127.0.0.66 UNKNOWN - [26/Nov/2026:12:43:00 +0000] "
             "\"USER admin\" 331 -");
    CHECK(feed(in, "127.0.0.66 UNKNOWN - [26/Nov/2026:12:43:02 +0000] "
                   "\"PASS (hidden)\" 530 -",
               &ev) == FA_OK);
    CHECK(ev.user.len == 0);
    CHECK(feed(in, "127.0.0.66 UNKNOWN - [26/Nov/2026:12:43:02 +0000] "
                   "\"PASS (hidden)\" 530 -",
               &ev) == FA_OK);
    CHECK_STR(ev.user, "admin");
    /* A virtual user with a space in its name; "332 need account" is no
     * answer yet. */
    CHECK(feed(in, "192.0.2.50 UNKNOWN john doe [26/Nov/2026:12:43:02 +0000] "
                   "\"PASS (hidden)\" 230 -",
               &ev) == FA_OK);
    CHECK_STR(ev.user, "john doe");
    skip(in, "192.0.2.51 UNKNOWN - [26/Nov/2026:12:43:02 +0000] "
             "\"PASS (hidden)\" 332 -");
    /* A QUIT before any login ends nothing. */
    skip(in, "127.0.0.66 UNKNOWN - [26/Nov/2026:12:43:03 +0000] "
             "\"QUIT\" 221 -");
    /* Anonymous, ::ffff: mapped address. */
    skip(in, "::ffff:192.0.2.7 UNKNOWN - [26/Nov/2026:12:43:04 +0000] "
             "\"USER anonymous\" 331 -");
    CHECK(feed(in, "::ffff:192.0.2.7 UNKNOWN ftp [26/Nov/2026:12:43:04 +0000] "
                   "\"PASS (hidden)\" 230 -",
               &ev) == FA_OK);
    CHECK(ev.anonymous);
    CHECK_STR(ev.ip, "192.0.2.7");
    /* FTPS: AUTH TLS before the login. */
    skip(in, "192.0.2.9 UNKNOWN - [26/Nov/2026:12:43:05 +0000] "
             "\"AUTH TLS\" 234 -");
    skip(in, "192.0.2.9 UNKNOWN - [26/Nov/2026:12:43:05 +0000] "
             "\"USER carol\" 331 -");
    CHECK(feed(in, "192.0.2.9 UNKNOWN carol [26/Nov/2026:12:43:05 +0000] "
                   "\"PASS (hidden)\" 230 -",
               &ev) == FA_OK);
    CHECK(ev.proto == FA_PROTO_FTPS);
    CHECK(feed(in, "192.0.2.9 UNKNOWN carol [26/Nov/2026:12:43:06 +0000] "
                   "\"STOR x\" 226 1",
               &ev) == FA_OK);
    CHECK(ev.proto == FA_PROTO_FTPS);
    close_parser(in);
}

static void test_quotes(void)
{
    struct inst *in = open_parser(&fa_parser_proftpd_extended);
    struct fa_event ev;
    CHECK(feed(in, "198.51.100.4 UNKNOWN bob [26/Nov/2026:12:00:00 +0000] "
                   "\"PASS (hidden)\" 230 -",
               &ev) == FA_OK);
    /* Unescaped quotes inside %r, one of them followed by what looks like
     * a reply: the closing quote is the one the rest of the format
     * follows. */
    CHECK(feed(in, "198.51.100.4 UNKNOWN bob [26/Nov/2026:12:00:01 +0000] "
                   "\"STOR /a\" 226 5\" x.php\" 550 -",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_UPLOAD);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.path, "/a\" 226 5\" x.php");
    CHECK(ev.bytes == -1);
    /* A user name with ']' and a forged stamp in the path. */
    CHECK(feed(in, "198.51.100.4 UNKNOWN a]b [26/Nov/2026:12:00:02 +0000] "
                   "\"RETR [01/Jan/2020:00:00:00 +0000] \"PASS (hidden)\" "
                   "230 -\" 226 9",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_DOWNLOAD);
    CHECK_STR(ev.user, "a]b");
    CHECK(ev.bytes == 9);
    CHECK(ev.time_us == 1795694402LL * 1000000);
    close_parser(in);
}

static void test_hostile(void)
{
    struct inst *in = open_parser(&fa_parser_proftpd_extended);
    struct fa_event ev;
    /* The first matching line picks the format: lock it in. */
    CHECK(feed(in, "10.0.0.1 UNKNOWN u1 [26/Nov/2026:12:00:00 +0000] "
                   "\"PASS (hidden)\" 230 -",
               &ev) == FA_OK);
    CHECK(feed(in, "garbage", &ev) == FA_INVALID);
    CHECK(feed(in, "10.0.0.1 UNKNOWN u1 [26/Nov/2026:12:00:00 +0000] "
                   "\"STOR x\" 226",
               &ev) == FA_INVALID);
    /* Corrupted stamp. */
    CHECK(feed(in, "10.0.0.1 UNKNOWN u1 [26/Nov/2026:12:00:0099 +0000] "
                   "\"STOR x\" 226 1",
               &ev) == FA_INVALID);
    CHECK(feed(in, "10.0.0.1 UNKNOWN u1 [31/Feb/2026:12:00:00 +0000] "
                   "\"STOR x\" 226 1",
               &ev) == FA_INVALID);
    /* Awstats-shaped line in a default-format file. */
    CHECK(feed(in, "[26/Nov/2026:12:42:58 +0000] 127.0.0.10 alice RETR "
                   "/x 226 189",
               &ev) == FA_INVALID);
    /* NUL and non-UTF-8 bytes inside %r. */
    static const char nul[] = "10.0.0.1 UNKNOWN u1 [26/Nov/2026:12:00:00 "
                              "+0000] \"STOR a\0b\xff\" 226 3";
    CHECK(feed_n(in, nul, sizeof(nul) - 1, &ev) == FA_OK);
    CHECK(ev.path.len == 4 && ev.path.ptr[1] == '\0');
    /* A long line full of separators stays cheap and is read. */
    size_t n = FA_LINE_MAX - 100;
    char *big = malloc(n + 200);
    int k = snprintf(big, 200, "10.0.0.1 UNKNOWN u1 [26/Nov/2026:12:00:00 "
                               "+0000] \"STOR ");
    size_t len = (size_t)k;
    while (len < n) {
        memcpy(big + len, "\" 2", 3);
        len += 3;
    }
    memcpy(big + len, "\" 226 4", 7);
    len += 7;
    enum fa_status st = feed_n(in, big, len, &ev);
    CHECK(st == FA_OK || st == FA_INVALID);
    /* A long path without separators is read whole. */
    len = (size_t)k;
    while (len < n) {
        big[len++] = 'a';
    }
    memcpy(big + len, "\" 226 4", 7);
    len += 7;
    CHECK(feed_n(in, big, len, &ev) == FA_OK);
    CHECK(ev.path.len == n - (size_t)k);
    CHECK(ev.bytes == 4);
    free(big);
    close_parser(in);
}

/* Every prefix of a line parses without crashing. */
static void prefixes(const char *fmt, const char *const *ctx_lines,
                     size_t nctx, const char *s)
{
    size_t len = strlen(s);
    for (size_t cut = 0; cut <= len; cut++) {
        struct inst *in = open_fmt(&fa_parser_proftpd_extended, fmt);
        struct fa_event ev;
        for (size_t i = 0; i < nctx; i++) {
            (void)feed(in, ctx_lines[i], &ev);
        }
        enum fa_status st = feed_n(in, s, cut, &ev);
        CHECK(st == FA_OK || st == FA_SKIP || st == FA_INVALID ||
              st == FA_AGAIN);
        close_parser(in);
    }
}

static void test_prefixes(void)
{
    static const char *const login[] = {
        "127.0.0.10 UNKNOWN alice [26/Nov/2026:12:42:58 +0000] "
        "\"PASS (hidden)\" 230 -",
    };
    prefixes(NULL, login, 1,
             "127.0.0.10 UNKNOWN alice [26/Nov/2026:12:42:58 +0000] "
             "\"RNTO old/index.html.bak\" 250 0");
    prefixes(NULL, NULL, 0,
             "e2e proftpd [9177] 127.0.0.66 [26/Nov/2026:12:43:00 +0000] "
             "\"PASS (hidden)\" 530");
    prefixes(NULL, NULL, 0,
             "2026-11-26 12:43:05,440 127.0.0.10 sftp alice OPEN \"/a\" "
             "\"/a\" - 0 false - -");
    prefixes(NULL, NULL, 0,
             "[26/Nov/2026:12:43:04 +0000] :  bob (127.0.0.20 [127.0.0.20]) "
             ": [200], -, SITE CHMOD (/tmp/notes.txt)");
    prefixes("%u||%m||%{transfer-status}||%f", NULL, 0,
             "account||CLOSE||-||/outgoing/test.txt");
}

static void test_sftp_default(void)
{
    struct inst *in = open_parser(&fa_parser_proftpd_extended);
    struct fa_event ev;
#define L(t) "127.0.0.66 UNKNOWN - [26/Nov/2026:12:43:07 +0000] " t
    skip(in, L("\"KEXINIT\" - -"));
    skip(in, L("\"USER admin\" 331 -"));
    skip(in, L("\"USERAUTH_REQUEST admin none\" - -"));
    skip(in, L("\"USER admin\" 331 -"));
    /* PASS 530 waits for its method. */
    skip(in, L("\"PASS (hidden)\" 530 -"));
    CHECK(feed(in, L("\"USERAUTH_REQUEST admin password\" - -"), &ev) ==
          FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN && ev.outcome == FA_OUT_FAILURE);
    CHECK(ev.proto == FA_PROTO_SFTP);
    CHECK_STR(ev.user, "admin");
    CHECK_STR(ev.detail, "password");
    /* A public-key probe (issue 1611) is no failed password. */
    skip(in, L("\"USER admin\" 331 -"));
    skip(in, L("\"PASS (hidden)\" 530 -"));
    skip(in, L("\"USERAUTH_REQUEST admin publickey\" - -"));
    /* Held, then something else: an FTP failure after all. */
    skip(in, L("\"USER eve\" 331 -"));
    skip(in, L("\"PASS (hidden)\" 530 -"));
    CHECK(feed(in, L("\"USER eve\" 331 -"), &ev) == FA_AGAIN);
    CHECK(ev.action == FA_ACT_LOGIN && ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.user, "eve");
    skip(in, L("\"USER eve\" 331 -"));
#undef L
#define L(t) "127.0.0.10 UNKNOWN alice [26/Nov/2026:12:43:05 +0000] " t
    skip(in, "127.0.0.10 UNKNOWN - [26/Nov/2026:12:43:05 +0000] "
             "\"KEXINIT\" - -");
    skip(in, "127.0.0.10 UNKNOWN - [26/Nov/2026:12:43:05 +0000] "
             "\"USER alice\" 331 -");
    CHECK(feed(in, L("\"PASS (hidden)\" 230 -"), &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN && ev.outcome == FA_OUT_SUCCESS);
    CHECK(ev.proto == FA_PROTO_SFTP);
    skip(in, L("\"USERAUTH_REQUEST alice password\" - -"));
    /* OPEN/READ/RETR/CLOSE: one download, at the FTP twin. */
    skip(in, L("\"OPEN /srv/a/index.html\" - 0"));
    skip(in, L("\"FSTAT 898443aa1ba04e65\" - 0"));
    skip(in, L("\"READ 898443aa1ba04e65\" - 189"));
    skip(in, L("\"READ 898443aa1ba04e65\" 1 189"));
    CHECK(feed(in, L("\"RETR /srv/a/index.html\" 226 189"), &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_DOWNLOAD);
    CHECK(ev.proto == FA_PROTO_SFTP);
    CHECK_STR(ev.path, "/srv/a/index.html");
    CHECK(ev.bytes == 189);
    skip(in, L("\"CLOSE 898443aa1ba04e65\" 0 189"));
    /* Without the twin (older mod_sftp): the upload at CLOSE. */
    skip(in, L("\"OPEN /srv/a/up.php\" - 0"));
    skip(in, L("\"WRITE 77 0 32768\" 0 32768"));
    skip(in, L("\"WRITE 77 32768 100\" 0 32868"));
    CHECK(feed(in, L("\"CLOSE 77\" 0 32868"), &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_UPLOAD);
    CHECK(ev.outcome == FA_OUT_SUCCESS);
    CHECK_STR(ev.path, "/srv/a/up.php");
    CHECK(ev.bytes == 32868);
    /* A directory handle closes quietly. */
    skip(in, L("\"OPENDIR /srv/a\" - 0"));
    skip(in, L("\"READDIR a5b8\" - 489"));
    skip(in, L("\"CLOSE a5b8\" 0 0"));
    /* Twins: MKD without reply + MKDIR; RNFR/RNTO + RENAME; DELE +
     * REMOVE; RMD + RMDIR. */
    skip(in, L("\"MKD /srv/a/old\" - -"));
    CHECK(feed(in, L("\"MKDIR /srv/a/old\" 257 -"), &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_MKDIR && ev.outcome == FA_OUT_SUCCESS);
    CHECK_STR(ev.path, "/srv/a/old");
    skip(in, L("\"RNFR /srv/a/i.html\" 350 0"));
    CHECK(feed(in, L("\"RNTO /srv/a/old/i.bak\" 250 0"), &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_RENAME);
    CHECK_STR(ev.path, "/srv/a/i.html");
    CHECK_STR(ev.path2, "/srv/a/old/i.bak");
    skip(in, L("\"RENAME /srv/a/i.html /srv/a/old/i.bak\" 0 -"));
    CHECK(feed(in, L("\"DELE /srv/a/robots.txt\" 250 24"), &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_DELETE && ev.bytes == 24);
    skip(in, L("\"REMOVE /srv/a/robots.txt\" 0 -"));
    skip(in, L("\"RMD /srv/a/tmp\" - -"));
    CHECK(feed(in, L("\"RMDIR /srv/a/tmp\" 0 -"), &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_RMDIR && ev.outcome == FA_OUT_SUCCESS);
    CHECK(feed(in, L("\"SETSTAT /srv/a/notes.txt\" 0 -"), &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_CHMOD);
    CHECK_STR(ev.path, "/srv/a/notes.txt");
    /* RENAME alone (no twin). */
    CHECK(feed(in, L("\"RENAME /srv/a/x y /srv/a/z\" 0 -"), &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_RENAME);
    CHECK_STR(ev.path, "/srv/a/x y");
    CHECK_STR(ev.path2, "/srv/a/z");
    CHECK(feed(in, L("\"REMOVE /srv/a/gone\" 4 -"), &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_DELETE && ev.outcome == FA_OUT_FAILURE);
    /* A file never closed is reported at the end. */
    skip(in, L("\"OPEN /srv/a/big.iso\" - 0"));
    skip(in, L("\"READ 99\" - 65536"));
#undef L
    fa_event_clear(&ev);
    CHECK(in->p->finish(in->state, &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_DOWNLOAD);
    CHECK(ev.outcome == FA_OUT_UNKNOWN);
    CHECK_STR(ev.path, "/srv/a/big.iso");
    CHECK_STR(ev.user, "alice");
    CHECK_STR(ev.ip, "127.0.0.10");
    CHECK(ev.bytes == 65536);
    fa_event_clear(&ev);
    CHECK(in->p->finish(in->state, &ev) == FA_SKIP);
    close_parser(in);
}

static void test_named_formats(void)
{
    struct inst *in = open_parser(&fa_parser_proftpd_extended);
    struct fa_event ev;
    /* auth: the pid keys the session, %u is absent. */
    skip(in, "e2e proftpd [9177] 127.0.0.66 [26/Nov/2026:12:43:00 +0000] "
             "\"USER admin\" 331");
    skip(in, "e2e proftpd [9178] 127.0.0.66 [26/Nov/2026:12:43:00 +0000] "
             "\"USER alice\" 331");
    CHECK(feed(in, "e2e proftpd [9177] 127.0.0.66 [26/Nov/2026:12:43:00 "
                   "+0000] \"PASS (hidden)\" 530",
               &ev) == FA_OK);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.user, "admin");
    CHECK(ev.pid == 9177);
    CHECK_STR(ev.host, "e2e proftpd");
    CHECK(feed(in, "e2e proftpd [9178] 127.0.0.66 [26/Nov/2026:12:43:02 "
                   "+0000] \"PASS (hidden)\" 230",
               &ev) == FA_OK);
    CHECK(ev.outcome == FA_OUT_SUCCESS);
    CHECK_STR(ev.user, "alice");
    close_parser(in);

    in = open_parser(&fa_parser_proftpd_extended);
    CHECK(feed(in, "[26/Nov/2026:12:43:04 +0000] :  bob (127.0.0.20 "
                   "[127.0.0.20]) : [200], -, SITE CHMOD "
                   "(/tmp/e2e/home/bob/public_html/notes.txt)",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_CHMOD);
    CHECK_STR(ev.path, "/tmp/e2e/home/bob/public_html/notes.txt");
    CHECK(ev.detail.len == 0);
    CHECK_STR(ev.user, "bob");
    CHECK(feed(in, "[26/Nov/2026:12:43:04 +0000] :  bob (127.0.0.20 "
                   "[127.0.0.20]) : [226], 0.000, RETR (/t/a (1).txt)",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_DOWNLOAD);
    CHECK_STR(ev.path, "/t/a (1).txt");
    close_parser(in);

    in = open_parser(&fa_parser_proftpd_extended);
    CHECK(feed(in, "[26/Nov/2026:12:43:04 +0000] 127.0.0.20 bob RNFR "
                   "/tmp/index.html 350 0",
               &ev) == FA_SKIP);
    CHECK(feed(in, "[26/Nov/2026:12:43:04 +0000] 127.0.0.20 bob RNTO "
                   "/tmp/old/index.html.bak 250 0",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_RENAME);
    CHECK_STR(ev.path, "/tmp/index.html");
    CHECK_STR(ev.path2, "/tmp/old/index.html.bak");
    close_parser(in);

    /* rich: %{iso8601} local time, %{protocol}, no arguments. */
    in = open_parser(&fa_parser_proftpd_extended);
    CHECK(feed(in, "2026-11-26 12:43:07,648 127.0.0.66 ssh2 - PASS \"-\" "
                   "\"-\" 530 - false - -",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN && ev.outcome == FA_OUT_FAILURE);
    CHECK(ev.proto == FA_PROTO_SFTP);
    CHECK(ev.tz_source == FA_TZ_ASSUMED);
    CHECK(ev.time_us == 1795696987648000LL);
    CHECK(feed(in, "2026-11-26 12:43:11,009 127.0.0.99 sftp alice STOR "
                   "\"/public_html/index.html\" "
                   "\"/tmp/e2e/home/alice/public_html/index.html\" 226 254 "
                   "true success binary",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_UPLOAD && ev.outcome == FA_OUT_SUCCESS);
    CHECK_STR(ev.path, "/tmp/e2e/home/alice/public_html/index.html");
    CHECK(feed(in, "2026-11-26 12:43:11,010 127.0.0.99 ftp alice RETR "
                   "\"/x\" \"/tmp/x\" 226 3 false failed binary",
               &ev) == FA_OK);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    CHECK(ev.proto == FA_PROTO_FTP);
    CHECK_STR(ev.detail, "failed");
    close_parser(in);
}

static void test_custom(void)
{
    struct fa_event ev;
    /* Issue 862: no time, no address; SFTP requests by %m and %f. */
    struct inst *in = open_fmt(&fa_parser_proftpd_extended,
                               "%u||%m||%{transfer-status}||%f");
    skip(in, "account||LSTAT||-||-");
    skip(in, "account||OPEN||-||/outgoing/test.txt");
    skip(in, "account||READ||-||/outgoing/test.txt");
    CHECK(feed(in, "account||CLOSE||-||/outgoing/test.txt", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_DOWNLOAD);
    CHECK(ev.outcome == FA_OUT_SUCCESS);
    CHECK(ev.proto == FA_PROTO_SFTP);
    CHECK_STR(ev.user, "account");
    CHECK_STR(ev.path, "/outgoing/test.txt");
    CHECK(ev.tz_source == FA_TZ_NONE);
    CHECK(ev.time_us == ctx.mtime * 1000000);
    close_parser(in);

    /* proftpd.conf spelling, with mod_unique_id as the session key. */
    in = open_fmt(&fa_parser_proftpd_extended,
                  "LogFormat uid \"%a %t %{UNIQUE_ID}e %u \\\"%r\\\" %s %b\"");
    CHECK(feed(in, "127.0.0.1 [06/Mar/2023:11:33:50 -0500] "
                   "ZAYV7qwZ115/AAABACVpEfri jsmftptest \"PASS (hidden)\" "
                   "230 -",
               &ev) == FA_OK);
    CHECK_STR(ev.session, "ZAYV7qwZ115/AAABACVpEfri");
    CHECK_STR(ev.user, "jsmftptest");
    CHECK(ev.proto == FA_PROTO_FTP);
    skip(in, "127.0.0.1 [06/Mar/2023:11:34:59 -0500] ZAYWM6wZ115/AAABACVpFw5H "
             "- \"KEXINIT\" - -");
    skip(in, "127.0.0.1 [06/Mar/2023:11:34:59 -0500] ZAYWM6wZ115/AAABACVpFw5H "
             "- \"PASS (hidden)\" 530 -");
    skip(in, "127.0.0.1 [06/Mar/2023:11:34:59 -0500] ZAYWM6wZ115/AAABACVpFw5H "
             "- \"USERAUTH_REQUEST jsmsftptest publickey\" - -");
    close_parser(in);

    /* %{epoch} and a %% literal. */
    in = open_fmt(&fa_parser_proftpd_extended, "%{epoch} 100%% %a \"%r\" %s");
    CHECK(feed(in, "1795694400 100% 203.0.113.5 \"DELE /x\" 250", &ev) ==
          FA_OK);
    CHECK(ev.action == FA_ACT_DELETE);
    CHECK(ev.time_us == 1795694400LL * 1000000);
    CHECK(ev.tz_source == FA_TZ_EXPLICIT);
    close_parser(in);

    /* Formats that cannot be used. */
    static const char *const bad[] = {
        "%r%f", "no variables", "%h %{iso8601", "%h %", "",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        void *st = calloc(1, fa_parser_proftpd_extended.state_size);
        struct fa_ctx c = ctx;
        c.logformat = bad[i];
        const char *why = NULL;
        CHECK(fa_parser_proftpd_extended.init(st, &c, &why) < 0);
        CHECK(why != NULL);
        free(st);
    }
    char longfmt[2048];
    memset(longfmt, 'x', sizeof(longfmt) - 1);
    longfmt[0] = '%';
    longfmt[1] = 'h';
    longfmt[sizeof(longfmt) - 1] = '\0';
    void *st = calloc(1, fa_parser_proftpd_extended.state_size);
    struct fa_ctx c = ctx;
    c.logformat = longfmt;
    const char *why = NULL;
    CHECK(fa_parser_proftpd_extended.init(st, &c, &why) < 0);
    free(st);
}

static void test_combell(void)
{
    struct inst *in = open_parser(&fa_parser_combell);
    struct fa_event ev;
    CHECK(feed(in, "[10/Nov/2023:20:02:34 +0100] 78.20.115.84 stef@jbjokidobe "
                   "STOR \"/data/sites/web/jbjokidobe/.env\" 226 997",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_UPLOAD && ev.outcome == FA_OUT_SUCCESS);
    CHECK_STR(ev.user, "stef@jbjokidobe");
    CHECK_STR(ev.ip, "78.20.115.84");
    CHECK_STR(ev.path, "/data/sites/web/jbjokidobe/.env");
    CHECK(ev.bytes == 997);
    CHECK(ev.utc_offset == 3600);
    CHECK(ev.time_us == 1699642954LL * 1000000);
    CHECK(feed(in, "[10/Nov/2023:21:44:41 +0100] 78.20.115.84 stef@jbjokidobe "
                   "RETR \"/data/a \"b\".log\" 550 -",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_DOWNLOAD && ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.path, "/data/a \"b\".log");
    CHECK(feed(in, "[10/Nov/2023:21:44:41 +0100] 78.20.115.84 x STOR /a 226 1",
               &ev) == FA_INVALID);
    close_parser(in);
}

static void test_probe(void)
{
    static const char *const def[] = {
        "127.0.0.10 UNKNOWN - [26/Nov/2026:12:42:58 +0000] \"FEAT\" 211 -",
        "127.0.0.10 UNKNOWN alice [26/Nov/2026:12:42:58 +0000] "
        "\"PASS (hidden)\" 230 -",
    };
    static const char *const combell[] = {
        "[10/Nov/2023:20:02:34 +0100] 78.20.115.84 stef@jbjokidobe STOR "
        "\"/data/sites/web/jbjokidobe/.env\" 226 997",
    };
    static const char *const awstats[] = {
        "[26/Nov/2026:12:42:58 +0000] 127.0.0.10 alice RETR /tmp/i.html "
        "226 189",
    };
    static const char *const generic[] = {
        "127.0.0.1 [06/Mar/2023:11:33:50 -0500] ZAYV7qwZ115/AAABACVpEfri - "
        "\"USER jsmftptest\" 331 -",
    };
    CHECK(probe(&fa_parser_proftpd_extended, def, 2) >= 90);
    CHECK(probe(&fa_parser_combell, def, 2) < FA_PROBE_MIN);
    CHECK(probe(&fa_parser_combell, combell, 1) >= 90);
    CHECK(probe(&fa_parser_proftpd_extended, combell, 1) < FA_PROBE_MIN);
    CHECK(probe(&fa_parser_proftpd_extended, awstats, 1) >= 90);
    CHECK(probe(&fa_parser_combell, awstats, 1) < FA_PROBE_MIN);
    int g = probe(&fa_parser_proftpd_extended, generic, 1);
    CHECK(g >= FA_PROBE_MIN && g < 90);

    /* Other formats stay below FA_PROBE_MIN for both. */
    static const char *const others[][2] = {
        {"93.184.216.34 - - [26/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" "
         "200 612 \"-\" \"Mozilla/5.0\"",
         "93.184.216.34 - - [26/Nov/2026:10:00:01 +0000] \"POST /wp-login.php "
         "HTTP/1.1\" 302 0 \"-\" \"curl/8.0\""},
        {"127.0.0.99 - alice [26/Nov/2026:12:44:32 -0000] \"GET "
         "/tmp/e2e/home/alice/public_html/index.html\" 200 189",
         "127.0.0.99 - alice [26/Nov/2026:12:44:33 -0000] \"PUT "
         "/tmp/e2e/home/alice/public_html/index.html\" 200 254"},
        {"2026-11-26 06:25:01 status installed man-db:amd64 2.11.2-2",
         "2026-11-26 06:25:01 startup archives unpack"},
        {"Nov 26 06:25:01 vm CRON[1234]: (root) CMD (command -v debian-sa1)",
         "Nov 26 06:30:01 vm CRON[1240]: pam_unix(cron:session): session "
         "opened for user root(uid=0) by (uid=0)"},
        {"Thu Nov 26 12:42:58 2026 0 127.0.0.10 189 "
         "/tmp/e2e/home/alice/public_html/index.html b _ o r alice ftp 0 * c",
         "Thu Nov 26 12:42:58 2026 0 127.0.0.10 69 /tmp/news.html b _ i r "
         "alice ftp 0 * c"},
        {"Thu Nov 26 12:42:01 2026 [pid 8037] CONNECT: Client \"127.0.0.10\"",
         "Thu Nov 26 12:42:01 2026 [pid 8036] [alice] OK LOGIN: Client "
         "\"127.0.0.10\""},
        {"2026-11-26 12:43:01,123 vm proftpd[9154] 127.0.0.1 "
         "(127.0.0.10[127.0.0.10]): FTP session opened.",
         "2026-11-26 12:43:01,200 vm proftpd[9154] 127.0.0.1 "
         "(127.0.0.10[127.0.0.10]): USER alice: Login successful."},
    };
    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        CHECK(probe(&fa_parser_proftpd_extended, others[i], 2) < FA_PROBE_MIN);
        CHECK(probe(&fa_parser_combell, others[i], 2) < FA_PROBE_MIN);
    }
}

int main(void)
{
    test_default_ftp();
    test_default_prelogin();
    test_quotes();
    test_hostile();
    test_prefixes();
    test_sftp_default();
    test_named_formats();
    test_custom();
    test_combell();
    test_probe();
    free(held_line);
    return check_done();
}
