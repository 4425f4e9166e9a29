/* Unit tests of parsers/vsftpd.c: the native parser, the syslog handler
 * and the probe, on every line shape and on hostile lines. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../parsers/registry.h"
#include "../../parsers/syslog.h"
#include "../../parsers/timeconv.h"
#include "../unit/check.h"

static struct fa_tz utc = {.name = "UTC", .is_utc = true, .known = true};
/* 2026-12-31 00:00:00 UTC: year-less syslog stamps fall in 2026. */
static struct fa_ctx ctx = {.tz = &utc, .year_hint = 2026,
                            .mtime = 1798675200};

static void *new_state(void)
{
    const char *why = NULL;
    void *s = calloc(1, fa_parser_vsftpd.state_size);
    CHECK(fa_parser_vsftpd.init(s, &ctx, &why) == 0);
    return s;
}

/* Parse a line held in its own exact-size buffer (so a sanitizer sees any
 * read past it).  The view stays valid until the next call. */
static char *buf;
static uint64_t lineno;

static enum fa_status feed_n(void *s, const char *text, size_t n,
                             struct fa_event *ev, const char **why)
{
    free(buf);
    buf = malloc(n + 1);
    memcpy(buf, text, n);
    buf[n] = '\0';
    struct fa_line l = {buf, n, ++lineno};
    fa_event_clear(ev);
    *why = NULL;
    return fa_parser_vsftpd.parse(s, &l, ev, why);
}

static enum fa_status feed(void *s, const char *text, struct fa_event *ev)
{
    const char *why;
    return feed_n(s, text, strlen(text), ev, &why);
}

/* The same line again (after FA_AGAIN): same buffer, same number. */
static enum fa_status again(void *s, struct fa_event *ev)
{
    struct fa_line l = {buf, strlen(buf), lineno};
    const char *why = NULL;
    fa_event_clear(ev);
    return fa_parser_vsftpd.parse(s, &l, ev, &why);
}

/* 2026-11-26 12:41:58 UTC */
#define T0 INT64_C(1795696918)

static void test_connect_login(void)
{
    void *s = new_state();
    struct fa_event ev;
    CHECK(feed(s, "Thu Nov 26 12:41:58 2026 [pid 8038] CONNECT: Client "
                  "\"127.0.0.10\"", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_CONNECT);
    CHECK(ev.outcome == FA_OUT_SUCCESS);
    CHECK(ev.daemon == FA_DAEMON_VSFTPD);
    CHECK(ev.proto == FA_PROTO_FTP);
    CHECK(ev.pid == 8038);
    CHECK(ev.time_us == T0 * 1000000);
    CHECK(ev.tz_source == FA_TZ_ASSUMED);
    CHECK_STR(ev.ip, "127.0.0.10");
    CHECK(ev.user.len == 0);
    CHECK(ev.bytes == -1);

    CHECK(feed(s, "Thu Nov 26 12:41:58 2026 [pid 8037] [alice] OK LOGIN: "
                  "Client \"127.0.0.10\"", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN);
    CHECK(ev.outcome == FA_OUT_SUCCESS);
    CHECK_STR(ev.user, "alice");
    CHECK(ev.pid == 8037);
    CHECK(!ev.anonymous);

    CHECK(feed(s, "Thu Nov 26 12:42:03 2026 [pid 8061] [admin] FAIL LOGIN: "
                  "Client \"127.0.0.66\"", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.user, "admin");
    CHECK(ev.time_us == (T0 + 5) * 1000000);

    /* 3.0.3 with a reason; listen_ipv6 address. */
    CHECK(feed(s, "Thu Sep  8 00:39:49 2016 [pid 15019] [guest] FAIL LOGIN: "
                  "Client \"::ffff:192.0.2.1\", \"User is not in the allow "
                  "user list.\"", &ev) == FA_OK);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.ip, "192.0.2.1");
    CHECK_STR(ev.detail, "User is not in the allow user list.");

    /* Refused connections. */
    CHECK(feed(s, "Thu Nov 26 12:41:58 2026 [pid 9] CONNECT: Client "
                  "\"fe80::baac:6fff:fe7d:d2e0\", \"Connection refused: too "
                  "many sessions for this address.\"", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_CONNECT);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.ip, "fe80::baac:6fff:fe7d:d2e0");
    CHECK_STR(ev.detail, "Connection refused: too many sessions for this "
                         "address.");

    /* A user name vsftpd writes as sent, with brackets and '$'. */
    CHECK(feed(s, "Mon Oct 24 11:32:53 2016 [pid 1] [$ALOC$] FAIL LOGIN: "
                  "Client \"10.55.112.101\"", &ev) == FA_OK);
    CHECK_STR(ev.user, "$ALOC$");
    free(s);
}

static void test_anonymous(void)
{
    void *s = new_state();
    struct fa_event ev;
    CHECK(feed(s, "Mon Aug 21 14:32:06 2006 [pid 20127] [ftp] OK LOGIN: "
                  "Client \"127.0.0.1\", anon password \"lala@\"", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN);
    CHECK(ev.outcome == FA_OUT_SUCCESS);
    CHECK(ev.anonymous);
    CHECK_STR(ev.user, "ftp");
    CHECK_STR(ev.detail, "lala@");
    CHECK(feed(s, "Mon Aug 21 14:32:09 2006 [pid 20128] [ftp] OK DOWNLOAD: "
                  "Client \"127.0.0.1\", \"/pub/a.txt\", 12 bytes, "
                  "1.00Kbyte/sec", &ev) == FA_OK);
    CHECK(ev.anonymous);
    /* ftp_username changed: learnt from the anonymous login. */
    CHECK(feed(s, "Mon Aug 21 14:33:06 2006 [pid 20130] [pubftp] OK LOGIN: "
                  "Client \"127.0.0.1\", anon password \"?\"", &ev) == FA_OK);
    CHECK(ev.anonymous);
    CHECK(feed(s, "Mon Aug 21 14:33:07 2006 [pid 20131] [pubftp] OK MKDIR: "
                  "Client \"127.0.0.1\", \"/incoming/x\"", &ev) == FA_OK);
    CHECK(ev.anonymous);
    CHECK(feed(s, "Mon Aug 21 14:33:07 2006 [pid 20131] [alice] OK MKDIR: "
                  "Client \"127.0.0.1\", \"/incoming/x\"", &ev) == FA_OK);
    CHECK(!ev.anonymous);
    /* A failed anonymous attempt is anonymous too. */
    CHECK(feed(s, "Fri Jan 19 12:20:33 2007 [pid 27202] [anonymous] FAIL "
                  "LOGIN: Client \"64.106.46.98\"", &ev) == FA_OK);
    CHECK(ev.anonymous);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    free(s);
}

static void test_transfers(void)
{
    void *s = new_state();
    struct fa_event ev;
    CHECK(feed(s, "Thu Nov 26 12:41:58 2026 [pid 8039] [alice] OK DOWNLOAD: "
                  "Client \"127.0.0.10\", \"/tmp/e2e/home/alice/public_html/"
                  "index.html\", 189 bytes, 671.16Kbyte/sec", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_DOWNLOAD);
    CHECK(ev.outcome == FA_OUT_SUCCESS);
    CHECK(ev.bytes == 189);
    CHECK_STR(ev.path, "/tmp/e2e/home/alice/public_html/index.html");
    CHECK_STR(ev.user, "alice");

    /* An empty file: no bytes field. */
    CHECK(feed(s, "Sun Jan 26 00:21:24 2025 [pid 264645] [iot-second] OK "
                  "DOWNLOAD: Client \"::ffff:167.99.7.184\", \"/files/2c.txt\""
                  ", 0.00Kbyte/sec", &ev) == FA_OK);
    CHECK(ev.bytes == 0);
    CHECK_STR(ev.ip, "167.99.7.184");

    CHECK(feed(s, "Sat Feb  8 20:45:29 2020 [pid 3] [crio-user] FAIL UPLOAD: "
                  "Client \"127.0.0.1\", \"/home/crio-user/New Text "
                  "Document.txt\", 0.00Kbyte/sec", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_UPLOAD);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    CHECK(ev.bytes == 0);
    CHECK_STR(ev.path, "/home/crio-user/New Text Document.txt");

    CHECK(feed(s, "Sat Feb  8 20:45:29 2020 [pid 3] [u] FAIL UPLOAD: "
                  "Client \"127.0.0.1\", \"/big.iso\", 1048576 bytes, "
                  "nanKbyte/sec", &ev) == FA_OK);
    CHECK(ev.bytes == 1048576);

    /* A file name that imitates vsftpd's own fields. */
    CHECK(feed(s, "Sat Feb  8 20:45:29 2020 [pid 3] [u] OK UPLOAD: Client "
                  "\"127.0.0.1\", \"/a\", 7 bytes, 1.00Kbyte/sec\", 5 bytes, "
                  "3.00Kbyte/sec", &ev) == FA_OK);
    CHECK(ev.bytes == 5);
    CHECK_STR(ev.path, "/a\", 7 bytes, 1.00Kbyte/sec");

    /* A rate that is not one. */
    CHECK(feed(s, "Sat Feb  8 20:45:29 2020 [pid 3] [u] OK UPLOAD: Client "
                  "\"127.0.0.1\", \"/a\", 7 bytes, Kbyte/sec", &ev)
          == FA_INVALID);
    free(s);
}

static void test_file_ops(void)
{
    void *s = new_state();
    struct fa_event ev;
    CHECK(feed(s, "Thu Nov 26 12:42:06 2026 [pid 8199] [bob] OK MKDIR: Client "
                  "\"127.0.0.20\", \"/tmp/e2e/home/bob/public_html/old\"", &ev)
          == FA_OK);
    CHECK(ev.action == FA_ACT_MKDIR);
    CHECK_STR(ev.path, "/tmp/e2e/home/bob/public_html/old");
    CHECK(ev.bytes == -1);
    CHECK(feed(s, "Thu Nov 26 12:42:06 2026 [pid 8199] [bob] OK RMDIR: Client "
                  "\"127.0.0.20\", \"/d\"", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_RMDIR);
    CHECK(feed(s, "Thu Feb 20 18:51:51 2020 [pid 3] [crio-user] FAIL DELETE: "
                  "Client \"122.174.136.159\", \"/home/x.pcap\"", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_DELETE);
    CHECK(ev.outcome == FA_OUT_FAILURE);

    CHECK(feed(s, "Thu Nov 26 12:42:06 2026 [pid 8199] [bob] OK RENAME: Client "
                  "\"127.0.0.20\", \"/tmp/e2e/home/bob/public_html/index.html "
                  "/tmp/e2e/home/bob/public_html/old/index.html.bak\"", &ev)
          == FA_OK);
    CHECK(ev.action == FA_ACT_RENAME);
    CHECK_STR(ev.path, "/tmp/e2e/home/bob/public_html/index.html");
    CHECK_STR(ev.path2, "/tmp/e2e/home/bob/public_html/old/index.html.bak");

    /* Spaces in names: split where both halves are absolute. */
    CHECK(feed(s, "Thu Nov 26 12:42:06 2026 [pid 8199] [bob] OK RENAME: Client "
                  "\"127.0.0.20\", \"/home/bob/New Text Document.txt "
                  "/home/bob/My notes.txt\"", &ev) == FA_OK);
    CHECK_STR(ev.path, "/home/bob/New Text Document.txt");
    CHECK_STR(ev.path2, "/home/bob/My notes.txt");
    /* " /" inside a name: the split whose halves share a directory. */
    CHECK(feed(s, "Thu Nov 26 12:42:06 2026 [pid 8199] [bob] OK RENAME: Client "
                  "\"127.0.0.20\", \"/home/bob/a /b.txt /home/bob/c.txt\"", &ev)
          == FA_OK);
    CHECK_STR(ev.path, "/home/bob/a /b.txt");
    CHECK_STR(ev.path2, "/home/bob/c.txt");
    CHECK(feed(s, "Thu Nov 26 12:42:06 2026 [pid 8199] [bob] OK RENAME: Client "
                  "\"127.0.0.20\", \"/x/a.txt /x/sub /b.txt\"", &ev) == FA_OK);
    CHECK_STR(ev.path, "/x/a.txt");
    CHECK_STR(ev.path2, "/x/sub /b.txt");
    /* Relative names (no '/'): the first space. */
    CHECK(feed(s, "Thu Nov 26 12:42:06 2026 [pid 8199] [bob] FAIL RENAME: "
                  "Client \"127.0.0.20\", \"a.txt b.txt\"", &ev) == FA_OK);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.path, "a.txt");
    CHECK_STR(ev.path2, "b.txt");
    /* One name only cannot be a rename record. */
    CHECK(feed(s, "Thu Nov 26 12:42:06 2026 [pid 8199] [bob] OK RENAME: Client "
                  "\"127.0.0.20\", \"/a\"", &ev) == FA_INVALID);

    CHECK(feed(s, "Thu Nov 26 12:42:06 2026 [pid 8199] [bob] OK CHMOD: Client "
                  "\"127.0.0.20\", \"/tmp/My Documents/notes.txt 600\"", &ev)
          == FA_OK);
    CHECK(ev.action == FA_ACT_CHMOD);
    CHECK_STR(ev.path, "/tmp/My Documents/notes.txt");
    CHECK_STR(ev.detail, "600");
    free(s);
}

static void test_protocol(void)
{
    void *s = new_state();
    struct fa_event ev;
    CHECK(feed(s, "Sat Feb  8 20:17:39 2020 [pid 2] [crio-user] FTP command: "
                  "Client \"127.0.0.1\", \"PASS <password>\"", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_COMMAND);
    CHECK(ev.outcome == FA_OUT_UNKNOWN);
    CHECK_STR(ev.user, "crio-user");
    CHECK_STR(ev.detail, "PASS <password>");
    CHECK(ev.path.len == 0);
    /* A password in the clear goes nowhere but detail. */
    CHECK(feed(s, "Sat Feb  8 20:17:39 2020 [pid 2] [bob] FTP command: "
                  "Client \"127.0.0.1\", \"PASS?hunter2\"", &ev) == FA_OK);
    CHECK_STR(ev.detail, "PASS?hunter2");
    CHECK_STR(ev.user, "bob");
    CHECK(feed(s, "Sat Feb  8 20:17:08 2020 [pid 2] FTP command: Client "
                  "\"127.0.0.1\", \"USER crio-user\"", &ev) == FA_OK);
    CHECK(ev.user.len == 0);
    CHECK(feed(s, "Mon Apr 12 15:19:22 2021 [pid 15685] [www-data] FTP "
                  "response: Client \"1.2.3.4\", \"530 Permission denied.\"",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_COMMAND);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    CHECK(feed(s, "Thu Nov 26 12:42:07 2026 [pid 8276] [alice] FTP response: "
                  "Client \"127.0.0.10\", \"257 \"/tmp/e2e/home/alice\" is the "
                  "current directory\"", &ev) == FA_OK);
    CHECK(ev.outcome == FA_OUT_SUCCESS);
    CHECK_STR(ev.detail, "257 \"/tmp/e2e/home/alice\" is the current "
                         "directory");
    /* An empty command line has no quoted part. */
    CHECK(feed(s, "Thu Nov 26 12:42:07 2026 [pid 8276] FTP command: Client "
                  "\"127.0.0.10\"", &ev) == FA_OK);
    CHECK(ev.detail.len == 0);
    /* debug_ssl: no event. */
    CHECK(feed(s, "Wed Feb 19 18:57:54 2020 [pid 2] DEBUG: Client "
                  "\"122.174.136.159\", \"SSL version: TLSv1/SSLv3, SSL cipher:"
                  " ECDHE-RSA-AES256-GCM-SHA384, not reused, no cert\"", &ev)
          == FA_SKIP);
    CHECK(feed(s, "Wed Feb 19 18:59:19 2020 [pid 2] [crio-user] DEBUG: Client "
                  "\"1.2.3.4\", \"Control connection terminated without SSL "
                  "shutdown.\", 28 bytes", &ev) == FA_SKIP);

    /* A FEAT reply whose CR LF reached the file raw (openSUSE). */
    CHECK(feed(s, "Fri Apr  4 19:20:50 2025 [pid 10875] [aso05] FTP response: "
                  "Client \"127.0.0.1\", \" EPRT", &ev) == FA_OK);
    CHECK_STR(ev.detail, " EPRT");
    CHECK(ev.outcome == FA_OUT_UNKNOWN);
    CHECK(feed(s, "\"", &ev) == FA_SKIP);
    /* Not after a closed reply: a stray line is malformed. */
    CHECK(feed(s, "REST STREAM", &ev) == FA_INVALID);
    CHECK(feed(s, "\"", &ev) == FA_SKIP);
    free(s);
}

static void test_stamps(void)
{
    void *s = new_state();
    struct fa_event ev;
    const char *why;
    /* 2020-06-08 12:08:44 UTC, the day written three ways. */
    int64_t t = INT64_C(1591618124) * 1000000;
    CHECK(feed(s, "Mon Jun  8 12:08:44 2020 [pid 1] CONNECT: Client "
                  "\"1.2.3.4\"", &ev) == FA_OK);
    CHECK(ev.time_us == t);
    CHECK(feed(s, "Mon Jun 08 12:08:44 2020 [pid 1] CONNECT: Client "
                  "\"1.2.3.4\"", &ev) == FA_OK);
    CHECK(ev.time_us == t);
    CHECK(feed(s, "Mon Jun 8 12:08:44 2020 [pid 1] CONNECT: Client "
                  "\"1.2.3.4\"", &ev) == FA_OK);
    CHECK(ev.time_us == t);
    /* Digits glued to the year or the time. */
    const char *bad = "Mon Jun  8 12:08:44 20201 [pid 1] CONNECT: Client "
                      "\"1.2.3.4\"";
    CHECK(feed_n(s, bad, strlen(bad), &ev, &why) == FA_INVALID);
    CHECK(why != NULL && strstr(why, "timestamp") != NULL);
    CHECK(feed(s, "Mon Jun  8 12:08:4412:08:44 2020 [pid 1] CONNECT: Client "
                  "\"1.2.3.4\"", &ev) == FA_INVALID);
    CHECK(feed(s, "Mon Jun  8 12:08:44 2020 [pid x] CONNECT: Client "
                  "\"1.2.3.4\"", &ev) == FA_INVALID);
    CHECK(feed(s, "Mon Jun  8 12:08:44 2020 [pid 1] HELLO: Client "
                  "\"1.2.3.4\"", &ev) == FA_INVALID);
    CHECK(feed(s, "Mon Jun  8 12:08:44 2020 [pid 1] CONNECT: Client "
                  "\"not-an-ip\"", &ev) == FA_INVALID);
    CHECK(feed(s, "Mon Jun  8 12:08:44 2020 [pid 1] CONNECT: Client "
                  "\"1.2.3.4", &ev) == FA_INVALID);
    CHECK(feed(s, "hello world", &ev) == FA_INVALID);
    free(s);
}

/* A stamp that differs from the one before only in its seconds is read
 * from the cached minute: every line of a run of seconds across minutes,
 * hours and clock changes gets the time a fresh parser gives it alone. */
static void test_stamp_minutes(void)
{
    static const struct {
        const char *zone;
        int year, mon, day, hour, min;
    } at[] = {
        {"UTC", 2026, 11, 26, 23, 58},
        {"Europe/Brussels", 2026, 3, 29, 1, 58},   /* 02:00 -> 03:00 */
        {"Europe/Brussels", 2026, 10, 25, 2, 58},  /* 03:00 -> 02:00 */
        {"Australia/Lord_Howe", 2026, 4, 5, 1, 58}, /* back 30 minutes */
        {"Africa/Monrovia", 1972, 1, 6, 23, 58},    /* -0:44:30 -> GMT */
    };
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May",
                                      "Jun", "Jul", "Aug", "Sep", "Oct",
                                      "Nov", "Dec"};
    size_t bad = 0, lines = 0;
    for (size_t z = 0; z < sizeof(at) / sizeof(at[0]); z++) {
        struct fa_tz tz;
        if (fa_tz_open(&tz, at[z].zone) != 0 || !tz.known) {
            continue; /* no tzdata for it here */
        }
        struct fa_ctx zc = {.tz = &tz, .year_hint = at[z].year};
        const char *why = NULL;
        void *run = calloc(1, fa_parser_vsftpd.state_size);
        void *alone = calloc(1, fa_parser_vsftpd.state_size);
        fa_parser_vsftpd.init(run, &zc, &why);
        /* Five local minutes from hh:mm, every second, some twice. */
        for (int k = 0; k < 5 * 60 + 30; k++) {
            int sec = k % 330 < 300 ? k : k - 300, m = at[z].min + sec / 60;
            int h = at[z].hour + m / 60;
            char text[128];
            snprintf(text, sizeof(text),
                     "Mon %s %2d %02d:%02d:%02d %d [pid 1] CONNECT: Client "
                     "\"192.0.2.1\"", mon[at[z].mon - 1],
                     at[z].day + h / 24, h % 24, m % 60, sec % 60,
                     at[z].year);
            struct fa_event a, b;
            struct fa_line l = {text, strlen(text), (uint64_t)k + 1};
            fa_event_clear(&a);
            enum fa_status sa = fa_parser_vsftpd.parse(run, &l, &a, &why);
            memset(alone, 0, fa_parser_vsftpd.state_size);
            fa_parser_vsftpd.init(alone, &zc, &why);
            fa_event_clear(&b);
            enum fa_status sb = fa_parser_vsftpd.parse(alone, &l, &b, &why);
            lines++;
            if (sa != sb || a.time_us != b.time_us ||
                a.utc_offset != b.utc_offset) {
                fprintf(stderr, "%s: %s: %lld%+d, alone %lld%+d\n",
                        at[z].zone, text, (long long)a.time_us,
                        (int)a.utc_offset, (long long)b.time_us,
                        (int)b.utc_offset);
                bad++;
            }
        }
        free(run);
        free(alone);
    }
    CHECK(lines >= 330 && bad == 0);
    struct fa_tz u;
    fa_tz_open(&u, "UTC");
}

static void test_forged(void)
{
    void *s = new_state();
    struct fa_event ev;
    const char *why;
    /* USER x] [admin] OK LOGIN: Client "1.2.3.4", then a wrong password. */
    CHECK(feed(s, "Thu Nov 26 12:42:03 2026 [pid 8061] [x] [admin] OK LOGIN: "
                  "Client \"1.2.3.4\"] FAIL LOGIN: Client \"5.6.7.8\"", &ev)
          == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.user, "x] [admin] OK LOGIN: Client \"1.2.3.4\"");
    CHECK_STR(ev.ip, "5.6.7.8");
    /* The same name on the pre-login protocol lines. */
    CHECK(feed(s, "Thu Nov 26 12:42:03 2026 [pid 8062] [x] [admin] OK LOGIN: "
                  "Client \"1.2.3.4\"] FTP response: Client \"5.6.7.8\", "
                  "\"331 Please specify the password.\"", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_COMMAND);
    CHECK_STR(ev.ip, "5.6.7.8");
    /* A forged anonymous login: passwords have no spaces. */
    CHECK(feed(s, "Thu Nov 26 12:42:03 2026 [pid 8061] [ftp] OK LOGIN: Client "
                  "\"1.2.3.4\", anon password \"] FAIL LOGIN: Client "
                  "\"5.6.7.8\"", &ev) == FA_OK);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.ip, "5.6.7.8");
    CHECK(!ev.anonymous);
    /* A forged reason: a real one holds no quote. */
    CHECK(feed(s, "Thu Nov 26 12:42:03 2026 [pid 8061] [x] FAIL LOGIN: Client "
                  "\"1.2.3.4\", \"] FAIL LOGIN: Client \"5.6.7.8\"", &ev)
          == FA_OK);
    CHECK_STR(ev.ip, "5.6.7.8");
    CHECK_STR(ev.user, "x] FAIL LOGIN: Client \"1.2.3.4\", \"");
    /* A forged record in a path: MKDIR (real) or FAIL LOGIN (forged name)
     * cannot be told apart; no event rather than a wrong one. */
    const char *amb = "Thu Nov 26 12:42:03 2026 [pid 8199] [bob] OK MKDIR: "
                      "Client \"1.2.3.4\", \"/a] FAIL LOGIN: Client "
                      "\"6.6.6.6\"";
    CHECK(feed_n(s, amb, strlen(amb), &ev, &why) == FA_INVALID);
    CHECK(why != NULL && strstr(why, "ambiguous") != NULL);
    /* A forged record in a command argument. */
    CHECK(feed(s, "Thu Nov 26 12:42:03 2026 [pid 2] [u] FTP command: Client "
                  "\"6.6.6.6\", \"NOOP ] [admin] OK LOGIN: Client \"1.2.3.4\"",
               &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_COMMAND);
    CHECK_STR(ev.user, "u");
    CHECK_STR(ev.ip, "6.6.6.6");
    /* An upload whose name forges a login: the tail decides. */
    CHECK(feed(s, "Thu Nov 26 12:42:03 2026 [pid 2] [u] OK UPLOAD: Client "
                  "\"6.6.6.6\", \"/x] [admin] OK LOGIN: Client \"1.2.3.4\"\", "
                  "5 bytes, 1.00Kbyte/sec", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_UPLOAD);
    CHECK_STR(ev.user, "u");
    CHECK_STR(ev.path, "/x] [admin] OK LOGIN: Client \"1.2.3.4\"");
    /* CONNECT never has a user. */
    CHECK(feed(s, "Thu Nov 26 12:42:03 2026 [pid 2] [u] CONNECT: Client "
                  "\"6.6.6.6\"", &ev) == FA_INVALID);
    /* A name vsftpd would refuse cannot have logged in. */
    CHECK(feed(s, "Thu Nov 26 12:42:03 2026 [pid 2] [a b] OK LOGIN: Client "
                  "\"6.6.6.6\"", &ev) == FA_INVALID);
    CHECK(feed(s, "Thu Nov 26 12:42:03 2026 [pid 2] [a b] FAIL LOGIN: Client "
                  "\"6.6.6.6\"", &ev) == FA_OK);
    CHECK_STR(ev.user, "a b");
    free(s);
}

static void test_glued(void)
{
    void *s = new_state();
    struct fa_event ev;
    /* A vsftpd message without its newline, then the next record. */
    CHECK(feed(s, "Fri Apr  4 19:20:35 2025 vsftpd [pid 10804]: \"\" from "
                  "\"127.0.0.1\": priv_sock_get_cmdFri Apr  4 19:20:44 2025 "
                  "[pid 10862] CONNECT: Client \"127.0.0.1\"", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_CONNECT);
    CHECK(ev.pid == 10862);
    CHECK(ev.time_us == INT64_C(1743794444) * 1000000);
    /* The message alone. */
    CHECK(feed(s, "Fri Apr  4 19:20:35 2025 vsftpd [pid 10804]: \"aso05\" from "
                  "\"127.0.0.1\": priv_sock_get_cmd", &ev) == FA_SKIP);
    /* Two records: the first, then the same line again for the second. */
    CHECK(feed(s, "Fri Apr  4 19:20:35 2025 [pid 7] [bob] OK LOGIN: Client "
                  "\"1.2.3.4\"Fri Apr  4 19:20:36 2025 [pid 8] [bob] OK "
                  "DELETE: Client \"1.2.3.4\", \"/a\"", &ev) == FA_AGAIN);
    CHECK(ev.action == FA_ACT_LOGIN);
    CHECK(ev.pid == 7);
    CHECK(again(s, &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_DELETE);
    CHECK(ev.pid == 8);
    CHECK_STR(ev.path, "/a");
    /* The next line is read normally. */
    CHECK(feed(s, "Fri Apr  4 19:20:37 2025 [pid 9] CONNECT: Client "
                  "\"1.2.3.4\"", &ev) == FA_OK);
    CHECK(ev.pid == 9);
    /* A date forged inside a whole, valid record is not a second record. */
    CHECK(feed(s, "Fri Apr  4 19:20:35 2025 [pid 7] [u] OK MKDIR: Client "
                  "\"6.6.6.6\", \"/xFri Apr  4 19:20:44 2025 [pid 1] [admin] "
                  "OK LOGIN: Client \"1.2.3.4\"", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_MKDIR);
    CHECK_STR(ev.user, "u");
    /* A forged record in the name inside the vsftpd message: two places
     * to split, so none is trusted. */
    CHECK(feed(s, "Fri Apr  4 19:20:35 2025 vsftpd [pid 10804]: \"Fri Apr  4 "
                  "19:20:44 2025 [pid 1] [admin] FTP command: Client "
                  "\"1.2.3.4\", \"x\" from \"6.6.6.6\": priv_sock_get_cmdFri "
                  "Apr  4 19:20:44 2025 [pid 10862] CONNECT: Client "
                  "\"6.6.6.6\"", &ev) == FA_INVALID);
    free(s);
}

static void test_bytes(void)
{
    void *s = new_state();
    struct fa_event ev;
    const char *why;
    /* NUL bytes and non-UTF-8 in the name and the path. */
    static const char nul[] = "Thu Nov 26 12:42:03 2026 [pid 8] [a\0b] FAIL "
                              "LOGIN: Client \"1.2.3.4\"";
    CHECK(feed_n(s, nul, sizeof(nul) - 1, &ev, &why) == FA_OK);
    CHECK(ev.user.len == 3 && memcmp(ev.user.ptr, "a\0b", 3) == 0);
    static const char nul2[] = "Thu Nov 26 12:42:03 2026 [pid 8] [bob] OK "
                               "DELETE: Client \"1.2.3.4\", \"/x\0y\"";
    CHECK(feed_n(s, nul2, sizeof(nul2) - 1, &ev, &why) == FA_OK);
    CHECK(ev.path.len == 4);
    CHECK(feed(s, "Thu Nov 26 12:42:03 2026 [pid 8] [bob] OK DOWNLOAD: Client "
                  "\"1.2.3.4\", \"/music/\xf2\xe9\xff.mp3\", 10 bytes, "
                  "1.00Kbyte/sec", &ev) == FA_OK);
    CHECK_STR(ev.path, "/music/\xf2\xe9\xff.mp3");
    /* A control byte in a logged-in name: not a name vsftpd accepts. */
    static const char ctl[] = "Thu Nov 26 12:42:03 2026 [pid 8] [a\0b] OK "
                              "LOGIN: Client \"1.2.3.4\"";
    CHECK(feed_n(s, ctl, sizeof(ctl) - 1, &ev, &why) == FA_INVALID);
    static const char zero[] = "\0\0\0";
    CHECK(feed_n(s, zero, 3, &ev, &why) == FA_INVALID);
    /* Every byte at every place of logged-in names of 1 to 17 bytes (a
     * name is checked eight bytes at a time, the rest from one word with
     * the bytes after it masked off): a space, a control byte or DEL
     * make it one vsftpd refuses. */
    size_t wrong = 0;
    for (size_t len = 1; len <= 17; len++) {
        for (size_t at = 0; at < len; at++) {
            for (unsigned c = 0; c < 256; c++) {
                char line[128];
                int n = snprintf(line, sizeof(line),
                                 "Thu Nov 26 12:42:03 2026 [pid 8] [%.*s] "
                                 "OK LOGIN: Client \"1.2.3.4\"",
                                 (int)len, "abcdefghijklmnopq");
                line[34 + at] = (char)c;
                bool ok = c > 0x20 && c != 0x7f;
                enum fa_status st = feed_n(s, line, (size_t)n, &ev, &why);
                wrong += ok != (st == FA_OK);
            }
        }
    }
    CHECK(wrong == 0);
    free(s);
}

static void test_syslog_in_native(void)
{
    void *s = new_state();
    struct fa_event ev;
    CHECK(feed(s, "Oct 23 21:15:42 vps vsftpd: pam_unix(vsftpd:auth): "
                  "authentication failure; logname= uid=0 euid=0 tty=ftp "
                  "ruser=test rhost=58.254.172.161", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.user, "test");
    CHECK_STR(ev.ip, "58.254.172.161");
    CHECK_STR(ev.host, "vps");
    CHECK(ev.daemon == FA_DAEMON_VSFTPD);
    CHECK(feed(s, "2025-03-04T01:06:36.645577 ip-172-31-3-150 vsftpd[1658]: "
                  "[username] FAIL LOGIN: Client \"192.0.2.222\"", &ev) == FA_OK);
    CHECK_STR(ev.user, "username");
    CHECK(ev.pid == 1658);
    CHECK(ev.time_us == INT64_C(1741050396645577));
    CHECK(feed(s, "Oct 23 21:15:42 vps CRON[12]: (root) CMD (true)", &ev)
          == FA_SKIP);
    free(s);
}

/* The syslog handler through the envelope splitter. */
static enum fa_status msg(void *s, const char *text, struct fa_event *ev)
{
    struct fa_line l = {text, strlen(text), 1};
    struct fa_envelope env;
    const char *why = NULL;
    fa_event_clear(ev);
    if (fa_syslog_split(&ctx, &l, &env, &why) != 0 ||
        !fa_syslog_vsftpd.match(env.prog)) {
        return FA_INVALID;
    }
    fa_envelope_to_event(&env, ev);
    return fa_syslog_vsftpd.parse_msg(s, &env, ev, &why);
}

static void test_syslog_handler(void)
{
    void *s = calloc(1, fa_syslog_vsftpd.state_size);
    fa_syslog_vsftpd.init(s, &ctx);
    struct fa_event ev;
    CHECK(fa_syslog_vsftpd.match(FA_STR_LIT("vsftpd")));
    CHECK(fa_syslog_vsftpd.match(FA_STR_LIT("vsftpd(pam_unix)")));
    CHECK(!fa_syslog_vsftpd.match(FA_STR_LIT("sshd")));

    CHECK(msg(s, "Nov 26 12:42:37 vm vsftpd[8761]: [admin] FAIL LOGIN: Client "
                 "\"127.0.0.66\"", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.user, "admin");
    CHECK(ev.pid == 8761);
    CHECK(ev.time_us == INT64_C(1795696957) * 1000000);
    CHECK(msg(s, "Nov 26 12:42:40 vm vsftpd[8797]: [bob] OK RENAME: Client "
                 "\"127.0.0.20\", \"/p/index.html /p/old/index.html.bak\"", &ev)
          == FA_OK);
    CHECK_STR(ev.path, "/p/index.html");
    CHECK_STR(ev.path2, "/p/old/index.html.bak");
    CHECK(msg(s, "Nov 26 12:42:40 vm vsftpd[8797]: CONNECT: Client "
                 "\"127.0.0.20\"", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_CONNECT);

    /* PAM in its generations. */
    CHECK(msg(s, "Nov 26 12:42:35 vm vsftpd[8768]: pam_unix(vsftpd:auth): "
                 "authentication failure; logname= uid=0 euid=0 tty=ftp "
                 "ruser=alice rhost=127.0.0.66  user=alice", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_LOGIN);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.user, "alice");
    CHECK_STR(ev.ip, "127.0.0.66");
    CHECK(msg(s, "Nov 26 12:42:35 vm vsftpd[8761]: pam_unix(vsftpd:auth): "
                 "authentication failure; logname= uid=0 euid=0 tty=ftp "
                 "ruser=admin rhost=127.0.0.66 ", &ev) == FA_OK);
    CHECK_STR(ev.user, "admin");
    CHECK(msg(s, "Oct 11 01:06:47 ServerJV vsftpd: (pam_unix) authentication "
                 "failure; logname= uid=0 euid=0 tty= ruser= "
                 "rhost=209.67.1.67", &ev) == FA_OK);
    CHECK(ev.user.len == 0);
    CHECK_STR(ev.ip, "209.67.1.67");
    CHECK(msg(s, "Feb 6 12:02:29 server vsftpd(pam_unix)[15522]: "
                 "authentication failure; logname= uid=0 euid=0 tty= ruser= "
                 "rhost=::ffff:64.168.103.1 user=user1", &ev) == FA_OK);
    CHECK_STR(ev.user, "user1");
    CHECK_STR(ev.ip, "64.168.103.1");
    /* rhost a host name: no address. */
    CHECK(msg(s, "Feb 6 12:02:29 server vsftpd: pam_unix(vsftpd:auth): "
                 "authentication failure; logname= uid=0 euid=0 tty=ftp "
                 "ruser=x rhost=vm", &ev) == FA_OK);
    CHECK(ev.ip.len == 0);

    /* Other PAM and vsftpd lines carry nothing. */
    CHECK(msg(s, "Nov 26 12:42:35 vm vsftpd[8761]: pam_unix(vsftpd:auth): "
                 "check pass; user unknown", &ev) == FA_SKIP);
    CHECK(msg(s, "Nov 26 12:42:35 vm vsftpd[8766]: pam_listfile(vsftpd:auth): "
                 "Refused user root for service vsftpd", &ev) == FA_SKIP);
    CHECK(msg(s, "Nov 26 12:42:35 vm vsftpd[8766]: pam_unix(vsftpd:session): "
                 "session opened for user alice(uid=1001) by (uid=0)", &ev)
          == FA_SKIP);
    CHECK(msg(s, "Nov 26 12:42:35 vm vsftpd[8766]: 500 OOPS: vsf_sysutil_bind",
              &ev) == FA_SKIP);
    /* A record that does not read. */
    CHECK(msg(s, "Nov 26 12:42:35 vm vsftpd[8766]: [bob] OK LOGIN: Client "
                 "\"nowhere\"", &ev) == FA_INVALID);
    /* A forged PAM text in a record is the record's. */
    CHECK(msg(s, "Nov 26 12:42:35 vm vsftpd[8766]: [bob] FTP command: Client "
                 "\"1.2.3.4\", \"authentication failure; user=root "
                 "rhost=6.6.6.6\"", &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_COMMAND);
    free(s);
}

static int probe_text(const char *const *text, size_t n)
{
    struct fa_line l[8];
    for (size_t i = 0; i < n; i++) {
        l[i] = (struct fa_line){text[i], strlen(text[i]), i + 1};
    }
    return fa_parser_vsftpd.probe(l, n);
}

static void test_probe(void)
{
    static const char *const native[] = {
        "Thu Nov 26 12:41:58 2026 [pid 8038] CONNECT: Client \"127.0.0.10\"",
        "Thu Nov 26 12:41:58 2026 [pid 8037] [alice] OK LOGIN: Client "
        "\"127.0.0.10\"",
    };
    CHECK(probe_text(native, 2) >= 90);
    static const char *const mixed[] = {
        "Oct 11 01:06:47 ServerJV vsftpd: (pam_unix) authentication failure;"
        " logname= uid=0 euid=0 tty= ruser= rhost=209.67.1.67",
        "Fri Jan 19 12:20:33 2007 [pid 27202] [anonymous] FAIL LOGIN: Client "
        "\"64.106.46.98\"",
    };
    CHECK(probe_text(mixed, 2) >= 90);
    static const char *const xferlog[] = {
        "Thu Nov 26 12:41:58 2026 1 127.0.0.10 189 /tmp/a.html b _ o r alice "
        "ftp 0 * c",
    };
    CHECK(probe_text(xferlog, 1) == 0);
    static const char *const syslog_only[] = {
        "Nov 26 12:42:37 vm vsftpd[8761]: [admin] FAIL LOGIN: Client "
        "\"127.0.0.66\"",
    };
    CHECK(probe_text(syslog_only, 1) == 0);
    static const char *const other[] = {
        "127.0.0.1 - - [26/Nov/2026:12:42:58 +0000] \"GET / HTTP/1.1\" 200 1",
        "2026-11-26 12:41:58 status installed vsftpd:amd64 3.0.3-13+b2",
    };
    CHECK(probe_text(other, 2) == 0);
}

/* Every prefix of every shape: no crash, no read past the line. */
static void test_truncation(void)
{
    static const char *const lines[] = {
        "Thu Nov 26 12:41:58 2026 [pid 8039] [alice] OK DOWNLOAD: Client "
        "\"127.0.0.10\", \"/a b/index.html\", 189 bytes, 671.16Kbyte/sec",
        "Mon Aug 21 14:32:06 2006 [pid 20127] [ftp] OK LOGIN: Client "
        "\"::ffff:127.0.0.1\", anon password \"lala@\"",
        "Thu Nov 26 12:42:06 2026 [pid 8199] [bob] OK RENAME: Client "
        "\"127.0.0.20\", \"/p/a /b /p/c\"",
        "Thu Nov 26 12:42:06 2026 [pid 8199] [bob] OK CHMOD: Client "
        "\"127.0.0.20\", \"/p/n.txt 600\"",
        "Fri Apr  4 19:20:35 2025 vsftpd [pid 10804]: \"\" from \"127.0.0.1\":"
        " priv_sock_get_cmdFri Apr  4 19:20:44 2025 [pid 10862] CONNECT: "
        "Client \"127.0.0.1\"",
        "Fri Apr  4 19:20:35 2025 [pid 7] [bob] OK LOGIN: Client \"1.2.3.4\""
        "Fri Apr  4 19:20:36 2025 [pid 8] [bob] OK DELETE: Client "
        "\"1.2.3.4\", \"/a\"",
        "Oct 23 21:15:42 vps vsftpd: pam_unix(vsftpd:auth): authentication "
        "failure; logname= uid=0 euid=0 tty=ftp ruser=test rhost=5.6.7.8 "
        "user=x",
        "Thu Nov 26 12:42:03 2026 [pid 8061] [x] [admin] OK LOGIN: Client "
        "\"1.2.3.4\"] FAIL LOGIN: Client \"5.6.7.8\", \"Bad.\"",
    };
    int events = 0;
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
        void *s = new_state();
        size_t len = strlen(lines[i]);
        for (size_t n = 0; n <= len; n++) {
            struct fa_event ev;
            const char *why;
            enum fa_status st = feed_n(s, lines[i], n, &ev, &why);
            for (int k = 0; st == FA_AGAIN && k < 4; k++) {
                st = again(s, &ev);
            }
            CHECK(st != FA_AGAIN);
            if (st == FA_INVALID) {
                CHECK(why != NULL);
            }
            events += st == FA_OK;
        }
        free(s);
    }
    CHECK(events > 0);
}

/* A long hostile line: many "] " keyword pairs and embedded dates. */
static void test_long_line(void)
{
    void *s = new_state();
    size_t cap = 64 * 1024;
    char *l = malloc(cap + 1);
    size_t n = 0;
    const char *head = "Thu Nov 26 12:42:03 2026 [pid 1] [";
    memcpy(l, head, strlen(head));
    n = strlen(head);
    const char *unit = "] FTP command: Client \"1.2.3.4\", \"Fri Apr  4 "
                       "19:20:44 2025 [pid 1] ";
    while (n + strlen(unit) + 1 < cap) {
        memcpy(l + n, unit, strlen(unit));
        n += strlen(unit);
    }
    l[n++] = '"';
    struct fa_event ev;
    const char *why;
    CHECK(feed_n(s, l, n, &ev, &why) == FA_INVALID);
    /* A vsftpd message followed by thousands of dates: the split search
     * is bounded (SPLIT_MAX) and finds no record. */
    n = 0;
    head = "Thu Nov 26 12:42:03 2026 vsftpd [pid 1]: \"";
    memcpy(l, head, strlen(head));
    n = strlen(head);
    unit = "Fri Apr  4 19:20:44 2025 [pid 1] ";
    while (n + strlen(unit) + 1 < cap) {
        memcpy(l + n, unit, strlen(unit));
        n += strlen(unit);
    }
    CHECK(feed_n(s, l, n, &ev, &why) == FA_SKIP);
    free(l);
    free(s);
}

/* The memo of valid client addresses: every CONNECT is taken or refused
 * as inet_pton says, with addresses seen again and again (hits), more
 * of them than the memo holds (slots reused), and refused texts of the
 * same length and the same first and last eight bytes as a valid one
 * (the same slot: only a full compare tells them apart). */
/* Pids and byte counts of every length, read a word at a time where
 * they fit, against the numbers printed; the bytes around them
 * anything a hostile line may hold. */
static void test_numbers(void)
{
    void *s = new_state();
    struct fa_event ev;
    const char *why;
    size_t bad = 0;
    uint64_t pid = 0;
    for (int digits = 1; digits <= 11; digits++) {
        pid = pid * 10 + (uint64_t)(digits % 10);
        for (int tail = 0; tail < 3; tail++) {
            char line[200];
            int n = snprintf(line, sizeof(line),
                             "Thu Nov 26 12:42:03 2026 [pid %llu%s [bob] OK "
                             "MKDIR: Client \"1.2.3.4\", \"/d\"",
                             (unsigned long long)pid,
                             tail == 0 ? "]" : tail == 1 ? "x]" : "] ");
            enum fa_status st = feed_n(s, line, (size_t)n, &ev, &why);
            bool want = tail == 0 && digits <= 10;
            bad += (st == FA_OK) != want;
            if (want && st == FA_OK) {
                bad += ev.pid != (pid > UINT32_MAX ? UINT32_MAX : pid);
            }
        }
    }
    CHECK(bad == 0);
    /* A byte count of 1 to 20 digits after a path ending in each byte
     * value; a rate after each too. */
    uint64_t count = 0;
    for (int digits = 1; digits <= 20; digits++) {
        count = count * 10 + (uint64_t)(9 - digits % 10);
        for (unsigned c = 1; c < 256; c++) {
            char line[240];
            int n = snprintf(line, sizeof(line),
                             "Thu Nov 26 12:42:03 2026 [pid 8] [bob] OK "
                             "UPLOAD: Client \"1.2.3.4\", \"/a%c\", %llu "
                             "bytes, 9%c.5Kbyte/sec",
                             c == '"' ? 'q' : (char)c,
                             (unsigned long long)count,
                             c == '"' ? 'q' : (char)c);
            enum fa_status st = feed_n(s, line, (size_t)n, &ev, &why);
            bool rate_ok = (c >= '0' && c <= '9') || c == '.' || c == '-' ||
                           (c >= 'a' && c <= 'z') || c == '"';
            uint64_t want = count > INT64_MAX ? INT64_MAX : count;
            bad += (st == FA_OK) != rate_ok;
            if (st == FA_OK) {
                bad += ev.bytes != (int64_t)want;
            }
        }
    }
    CHECK(bad == 0);
    free(s);
}

static void test_ip_memo(void)
{
    void *s = new_state();
    struct fa_event ev;
    size_t bad = 0, ok = 0, refused = 0;
    unsigned seed = 11;
    for (int i = 0; i < 20000; i++) {
        seed = seed * 1103515245u + 12345u;
        unsigned v = (seed >> 8) % 700; /* 700 addresses of each form */
        char ip[64], line[160];
        switch ((seed >> 4) % 6) {
        case 0:
            snprintf(ip, sizeof(ip), "10.%u.%u.%u", v % 3, v / 3, v % 256);
            break;
        case 1: /* a leading zero in the middle: refused */
            snprintf(ip, sizeof(ip), "10.%u.0%u.%u", v % 3, v / 3, v % 256);
            break;
        case 2:
            snprintf(ip, sizeof(ip), "2001:0db8:0000:0000:0000:0000:0000:%04x",
                     v);
            break;
        case 3: /* same ends as case 2, a bad group inside */
            snprintf(ip, sizeof(ip), "2001:0db8:00g0:0000:0000:0000:0000:%04x",
                     v);
            break;
        case 4:
            snprintf(ip, sizeof(ip), "::ffff:192.0.2.%u", v % 256);
            break;
        default: /* a part above 255 */
            snprintf(ip, sizeof(ip), "192.0.%u.%u", 256 + v % 100, v % 256);
            break;
        }
        snprintf(line, sizeof(line),
                 "Thu Nov 26 12:41:58 2026 [pid 1] CONNECT: Client \"%s\"", ip);
        unsigned char bin[16];
        bool want = inet_pton(AF_INET, ip, bin) == 1 ||
                    inet_pton(AF_INET6, ip, bin) == 1;
        enum fa_status st = feed(s, line, &ev);
        bad += (st == FA_OK) != want;
        ok += st == FA_OK;
        refused += st == FA_INVALID;
    }
    CHECK(bad == 0);
    CHECK(ok > 9000 && refused > 9000);
    free(s);
}

int main(void)
{
    test_connect_login();
    test_anonymous();
    test_transfers();
    test_file_ops();
    test_protocol();
    test_stamps();
    test_stamp_minutes();
    test_forged();
    test_glued();
    test_bytes();
    test_syslog_in_native();
    test_syslog_handler();
    test_probe();
    test_truncation();
    test_long_line();
    test_ip_memo();
    test_numbers();
    free(buf);
    return check_done();
}
