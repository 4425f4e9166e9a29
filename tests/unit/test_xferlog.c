/* Unit tests of parsers/xferlog.c: every line shape, the writer and
 * field decisions, hostile lines, the probe. */
#include <stdlib.h>
#include <string.h>

#include "../../parsers/registry.h"
#include "../../parsers/strutil.h"
#include "../unit/check.h"

static struct fa_tz tz_utc = {.name = "UTC", .is_utc = true, .known = true};
static struct fa_ctx ctx = {.tz = &tz_utc, .year_hint = 2026};
static void *state;

static void reset(void)
{
    free(state);
    state = calloc(1, fa_parser_xferlog.state_size);
    const char *why = NULL;
    CHECK(fa_parser_xferlog.init(state, &ctx, &why) == 0);
}

static enum fa_status parse_n(const char *s, size_t n, struct fa_event *ev,
                              const char **why)
{
    struct fa_line l = {s, n, 1};
    fa_event_clear(ev);
    *why = NULL;
    return fa_parser_xferlog.parse(state, &l, ev, why);
}

static enum fa_status parse(const char *s, struct fa_event *ev)
{
    const char *why;
    return parse_n(s, strlen(s), ev, &why);
}

/* 2026-11-26 12:42:15 UTC */
#define T_NOV26 1795696935LL

static void test_vsftpd_line(void)
{
    reset();
    struct fa_event ev;
    CHECK(parse("Thu Nov 26 12:42:15 2026 1 127.0.0.10 189 "
                "/tmp/e2e/home/alice/public_html/index.html b _ o r alice "
                "ftp 0 * c",
                &ev) == FA_OK);
    CHECK(ev.time_us == T_NOV26 * 1000000);
    CHECK(ev.tz_source == FA_TZ_ASSUMED);
    CHECK(ev.utc_offset == 0);
    CHECK(ev.action == FA_ACT_DOWNLOAD);
    CHECK(ev.outcome == FA_OUT_SUCCESS);
    CHECK(ev.daemon == FA_DAEMON_WUFTPD);
    CHECK(ev.proto == FA_PROTO_FTP);
    CHECK(!ev.anonymous);
    CHECK_STR(ev.user, "alice");
    CHECK_STR(ev.ip, "127.0.0.10");
    CHECK_STR(ev.path, "/tmp/e2e/home/alice/public_html/index.html");
    CHECK(ev.bytes == 189);
    CHECK(ev.detail.len == 0);
    CHECK(ev.port == 0 && ev.pid == 0);

    CHECK(parse("Thu Nov 26 12:42:15 2026 1 127.0.0.10 69 /news.html "
                "a _ i r alice ftp 0 * c",
                &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_UPLOAD);
    CHECK(ev.bytes == 69);
}

static void test_padding(void)
{
    reset();
    struct fa_event ev;
    /* Space-padded day (ctime): wu-ftpd / vsftpd. */
    CHECK(parse("Thu Sep  2 09:52:00 2004 50 192.168.20.10 896242 "
                "/home/test/file1.tgz b _ o r suporte ftp 0 * c",
                &ev) == FA_OK);
    CHECK(ev.time_us == 1094118720LL * 1000000);
    CHECK(ev.daemon == FA_DAEMON_WUFTPD);
    CHECK_STR(ev.user, "suporte");
    CHECK(ev.bytes == 896242);

    /* Zero-padded day with "0": ProFTPD (Plesk). */
    reset();
    CHECK(parse("Wed Oct 03 17:10:36 2012 0 97.64.153.21 25833 "
                "/var/www/vhosts/example.info/httpdocs/index.htm a _ i r "
                "admin_web ftp 0 * c",
                &ev) == FA_OK);
    CHECK(ev.time_us == 1349284236LL * 1000000);
    CHECK(ev.daemon == FA_DAEMON_PROFTPD);
    CHECK(ev.action == FA_ACT_UPLOAD);
    CHECK_STR(ev.path, "/var/www/vhosts/example.info/httpdocs/index.htm");
    /* A later day says nothing; the file's writer is remembered. */
    CHECK(parse("Thu Oct 11 08:00:00 2012 0 97.64.153.21 10 /x a _ o r "
                "admin_web ftp 0 * c",
                &ev) == FA_OK);
    CHECK(ev.daemon == FA_DAEMON_PROFTPD);

    /* Without any proof: the generic xferlog writer. */
    reset();
    CHECK(parse("Thu Oct 11 08:00:00 2012 0 97.64.153.21 10 /x a _ o r "
                "admin_web ftp 0 * c",
                &ev) == FA_OK);
    CHECK(ev.daemon == FA_DAEMON_WUFTPD);
}

static void test_proftpd(void)
{
    reset();
    struct fa_event ev;
    CHECK(parse("Thu Nov 26 12:43:43 2026 0 127.0.0.20 24 "
                "/tmp/e2e/home/bob/public_html/robots.txt b _ d r bob sftp "
                "0 * c",
                &ev) == FA_OK);
    CHECK(ev.action == FA_ACT_DELETE);
    CHECK(ev.outcome == FA_OUT_SUCCESS);
    CHECK(ev.daemon == FA_DAEMON_PROFTPD);
    CHECK(ev.proto == FA_PROTO_SFTP);
    CHECK_STR(ev.user, "bob");
    CHECK(ev.bytes == 24);

    reset();
    CHECK(parse("Thu Nov 26 12:43:43 2026 0 127.0.0.20 24 /a b _ i r bob "
                "scp 0 * c",
                &ev) == FA_OK);
    CHECK(ev.proto == FA_PROTO_SCP);
    CHECK(ev.daemon == FA_DAEMON_PROFTPD);

    reset();
    CHECK(parse("Thu Nov 26 12:43:43 2026 0 127.0.0.20 24 /a a _ d r "
                "v1034 ftps 0 * c",
                &ev) == FA_OK);
    CHECK(ev.proto == FA_PROTO_FTPS);
    CHECK(ev.daemon == FA_DAEMON_PROFTPD);
    CHECK(ev.action == FA_ACT_DELETE);
}

static void test_pureftpd(void)
{
    reset();
    struct fa_event ev;
    CHECK(parse("Thu Nov 26 12:45:01 2026 0 127.0.0.10 189 "
                "/tmp/e2e/home/alice/public_html/index.html b _ o r alice "
                "ftp 1 * c",
                &ev) == FA_OK);
    CHECK(ev.daemon == FA_DAEMON_PUREFTPD);
    CHECK(ev.proto == FA_PROTO_FTP);
    CHECK(ev.detail.len == 0);
}

static void test_anonymous(void)
{
    reset();
    struct fa_event ev;
    CHECK(parse("Mon Apr 17 18:27:14 2006 1 64.160.42.130 0 /pub/lyx/log "
                "b _ o a mozilla@example.com ftp 0 * i",
                &ev) == FA_OK);
    CHECK(ev.anonymous);
    CHECK_STR(ev.user, "anonymous");
    CHECK(ev.action == FA_ACT_DOWNLOAD);
    CHECK(ev.outcome == FA_OUT_FAILURE);
    CHECK_STR(ev.detail, "incomplete transfer; "
                         "anonymous password mozilla@example.com");
    CHECK(ev.bytes == 0);

    /* A password with spaces: the fixed fields are found further left. */
    CHECK(parse("Mon Apr 17 18:27:14 2006 1 64.160.42.130 5 /pub/a b _ o a "
                "John Doe ftp 0 * c",
                &ev) == FA_OK);
    CHECK_STR(ev.path, "/pub/a");
    CHECK_STR(ev.detail, "anonymous password John Doe");

    /* A password that forges the tail is kept whole. */
    CHECK(parse("Mon Apr 17 18:27:14 2006 1 64.160.42.130 5 /pub/a b _ o a "
                "x ftp 0 * c ftp 0 * c",
                &ev) == FA_OK);
    CHECK_STR(ev.path, "/pub/a");
    CHECK_STR(ev.user, "anonymous");
    CHECK_STR(ev.detail, "anonymous password x ftp 0 * c");

    /* An empty password: two spaces in a row. */
    CHECK(parse("Mon Apr 17 18:27:14 2006 1 64.160.42.130 5 /pub/a b _ o a "
                " ftp 0 * c",
                &ev) == FA_OK);
    CHECK(ev.anonymous);
    CHECK_STR(ev.detail, "anonymous password empty");
}

static void test_fields(void)
{
    reset();
    struct fa_event ev;
    /* Old wu-ftpd: raw spaces in the file name. */
    CHECK(parse("Thu Sep  2 09:52:00 2004 3 10.1.2.3 100 /home/u/My File "
                "(1).txt b _ i r carol ftp 0 * c",
                &ev) == FA_OK);
    CHECK_STR(ev.path, "/home/u/My File (1).txt");
    CHECK_STR(ev.user, "carol");
    CHECK(ev.detail.len == 0);

    /* A name that looks like the fixed fields: the last ones win, the
     * doubt is noted. */
    CHECK(parse("Thu Sep  2 09:52:00 2004 3 10.1.2.3 100 /x b _ i r root "
                "b _ o r carol ftp 0 * c",
                &ev) == FA_OK);
    CHECK_STR(ev.path, "/x b _ i r root");
    CHECK_STR(ev.user, "carol");
    CHECK(ev.action == FA_ACT_DOWNLOAD);
    CHECK_STR(ev.detail, "ambiguous file name / user split");

    CHECK(parse("Thu Nov 26 12:42:15 2026 1 ::ffff:203.0.113.7 1 /a b _ o r "
                "u ftp 0 * c",
                &ev) == FA_OK);
    CHECK_STR(ev.ip, "203.0.113.7");
    CHECK(parse("Thu Nov 26 12:42:15 2026 1 2001:db8::5 1 /a b _ o r u ftp "
                "0 * c",
                &ev) == FA_OK);
    CHECK_STR(ev.ip, "2001:db8::5");

    /* A host name is not an address. */
    CHECK(parse("Thu Nov 26 12:42:15 2026 1 dsl-1.example.net 1 /a b _ o r "
                "u ftp 0 * c",
                &ev) == FA_OK);
    CHECK(ev.ip.len == 0);
    CHECK_STR(ev.detail, "client host dsl-1.example.net");
    CHECK(parse("Thu Nov 26 12:42:15 2026 1 localhost 1 /a b _ o r u ftp 0 "
                "* c",
                &ev) == FA_OK);
    CHECK(ev.ip.len == 0);
    CHECK_STR(ev.detail, "client host localhost");

    /* Guest, special action, RFC 931 identity, unknown service. */
    CHECK(parse("Thu Nov 26 12:42:15 2026 1 10.0.0.1 1 /a.tar b T o g web "
                "ftp 1 webident c",
                &ev) == FA_OK);
    CHECK_STR(ev.user, "web");
    CHECK(!ev.anonymous);
    CHECK_STR(ev.detail, "guest; special-action T; ident webident");
    CHECK(parse("Thu Nov 26 12:42:15 2026 1 10.0.0.1 1 /a b _ o r u http 0 "
                "* c",
                &ev) == FA_OK);
    CHECK(ev.proto == FA_PROTO_UNKNOWN);
    CHECK_STR(ev.detail, "service http");

    /* Sizes beyond int64 saturate. */
    CHECK(parse("Thu Nov 26 12:42:15 2026 1 10.0.0.1 99999999999999999999 /a "
                "b _ o r u ftp 0 * c",
                &ev) == FA_OK);
    CHECK(ev.bytes == INT64_MAX);

    /* Trailing blanks are tolerated. */
    CHECK(parse("Thu Nov 26 12:42:15 2026 1 10.0.0.1 1 /a b _ o r u ftp 0 * c"
                "  ",
                &ev) == FA_OK);
}

static void test_timezone(void)
{
    struct fa_tz ny;
    if (fa_tz_open(&ny, "America/New_York") != 0 || !ny.known) {
        return; /* no zone data on this machine */
    }
    struct fa_ctx c2 = {.tz = &ny};
    void *st = calloc(1, fa_parser_xferlog.state_size);
    const char *why;
    fa_parser_xferlog.init(st, &c2, &why);
    const char *s = "Thu Nov 26 07:42:15 2026 1 127.0.0.10 1 /a b _ o r u ftp "
                    "0 * c";
    struct fa_line l = {s, strlen(s), 1};
    struct fa_event ev;
    fa_event_clear(&ev);
    CHECK(fa_parser_xferlog.parse(st, &l, &ev, &why) == FA_OK);
    CHECK(ev.time_us == T_NOV26 * 1000000);
    CHECK(ev.utc_offset == -5 * 3600);
    CHECK(ev.tz_source == FA_TZ_ASSUMED);
    free(st);
    fa_tz_open(&ny, "UTC");
}

static void test_glued(void)
{
    reset();
    const char *s = "Thu Nov 26 12:42:15 2026 1 10.0.0.1 1 /a b _ o r u ftp 0 "
                    "* cThu Nov 26 12:42:16 2026 1 10.0.0.2 2 /b b _ i r v ftp "
                    "0 * c";
    struct fa_line l = {s, strlen(s), 7};
    struct fa_event ev;
    const char *why;
    fa_event_clear(&ev);
    CHECK(fa_parser_xferlog.parse(state, &l, &ev, &why) == FA_AGAIN);
    CHECK_STR(ev.path, "/a");
    CHECK_STR(ev.user, "u");
    CHECK(ev.time_us == T_NOV26 * 1000000);
    fa_event_clear(&ev);
    CHECK(fa_parser_xferlog.parse(state, &l, &ev, &why) == FA_OK);
    CHECK_STR(ev.path, "/b");
    CHECK_STR(ev.user, "v");
    CHECK_STR(ev.ip, "10.0.0.2");
    CHECK(ev.action == FA_ACT_UPLOAD);
    CHECK(ev.time_us == (T_NOV26 + 1) * 1000000);
    /* The next line starts afresh. */
    const char *s2 = "Thu Nov 26 12:42:15 2026 1 10.0.0.3 1 /c b _ o r w ftp "
                     "0 * c";
    struct fa_line l2 = {s2, strlen(s2), 8};
    fa_event_clear(&ev);
    CHECK(fa_parser_xferlog.parse(state, &l2, &ev, &why) == FA_OK);
    CHECK_STR(ev.path, "/c");

    /* Three records: two FA_AGAIN, then the last. */
    const char *s3 = "Thu Nov 26 12:42:15 2026 1 10.0.0.1 1 /a b _ o r u ftp 0 "
                     "* iThu Nov 26 12:42:15 2026 1 10.0.0.1 1 /b b _ o r u "
                     "ftp 0 * cThu Nov 26 12:42:15 2026 1 10.0.0.1 1 /c b _ o "
                     "r u ftp 0 * c";
    struct fa_line l3 = {s3, strlen(s3), 9};
    fa_event_clear(&ev);
    CHECK(fa_parser_xferlog.parse(state, &l3, &ev, &why) == FA_AGAIN);
    CHECK_STR(ev.path, "/a");
    CHECK(ev.outcome == FA_OUT_FAILURE);
    fa_event_clear(&ev);
    CHECK(fa_parser_xferlog.parse(state, &l3, &ev, &why) == FA_AGAIN);
    CHECK_STR(ev.path, "/b");
    fa_event_clear(&ev);
    CHECK(fa_parser_xferlog.parse(state, &l3, &ev, &why) == FA_OK);
    CHECK_STR(ev.path, "/c");

    /* A glued tail that is no record: the first record, then invalid. */
    const char *s4 = "Thu Nov 26 12:42:15 2026 1 10.0.0.1 1 /a b _ o r u ftp 0 "
                     "* cThu Nov 26 12:42:16 2026 1 10.0.0.2 2 /b b";
    struct fa_line l4 = {s4, strlen(s4), 10};
    fa_event_clear(&ev);
    CHECK(fa_parser_xferlog.parse(state, &l4, &ev, &why) == FA_AGAIN);
    CHECK_STR(ev.path, "/a");
    fa_event_clear(&ev);
    CHECK(fa_parser_xferlog.parse(state, &l4, &ev, &why) == FA_INVALID);

    /* Many stamps glued without complete records: bounded work. */
    size_t n = 0, cap = FA_LINE_MAX;
    char *b = malloc(cap + 1);
    while (n + 40 < cap) {
        memcpy(b + n, "Thu Nov 26 12:42:15 2026 1 10.0.0.1 1 /a c", 42);
        n += 42;
    }
    b[n] = '\0';
    struct fa_line l5 = {b, n, 11};
    fa_event_clear(&ev);
    CHECK(fa_parser_xferlog.parse(state, &l5, &ev, &why) == FA_INVALID);
    free(b);
}

static void test_rejects(void)
{
    reset();
    struct fa_event ev;
    const char *why;
    static const char *const bad[] = {
        /* vsftpd's own format. */
        ("Thu Nov 26 12:42:01 2026 [pid 8037] [alice] OK LOGIN: Client "
         "\"127.0.0.10\""),
        /* The wrapped ossec entry, fragment by fragment. */
        " \"Fri Mar 31 10:22:45 2006 0 201.44.122.146 88302",
        " /usr/pages/users/x/htdocs/images/a.jpg a _ d r",
        " canalx ftp 0 * c\"",
        "Fri Mar 31 10:22:45 2006 0 201.44.122.146 88302",
        /* Corrupted stamps. */
        "Thu Nov 26 12:42:15 20261 1 10.0.0.1 1 /a b _ o r u ftp 0 * c",
        "Thu Nov 26 12:4:15 2026 1 10.0.0.1 1 /a b _ o r u ftp 0 * c",
        "Thu Nov 36 12:42:15 2026 1 10.0.0.1 1 /a b _ o r u ftp 0 * c",
        /* Field errors. */
        "Thu Nov 26 12:42:15 2026 x 10.0.0.1 1 /a b _ o r u ftp 0 * c",
        "Thu Nov 26 12:42:15 2026 1 10.0.0.1 -1 /a b _ o r u ftp 0 * c",
        "Thu Nov 26 12:42:15 2026 1 10.0.0.1 1 /a x _ o r u ftp 0 * c",
        "Thu Nov 26 12:42:15 2026 1 10.0.0.1 1 /a b _ x r u ftp 0 * c",
        "Thu Nov 26 12:42:15 2026 1 10.0.0.1 1 /a b _ o x u ftp 0 * c",
        "Thu Nov 26 12:42:15 2026 1 10.0.0.1 1 /a b _ o r u ftp 0 * x",
        "Thu Nov 26 12:42:15 2026 1 10.0.0.1 1 /a b _ o r u ftp x * c",
        "Thu Nov 26 12:42:15 2026 1 10.0.0.1 1 /a b _ o r ftp 0 * c",
        "Thu Nov 26 12:42:15 2026 1 10.0.0.1 1  b _ o r u ftp 0 * c",
        "Thu Nov 26 12:42:15 2026 1 10.0.0.1 1 b _ o r u ftp 0 * c",
        "Thu Nov 26 12:42:15 2026 1  1 /a b _ o r u ftp 0 * c",
        "2026-11-26 12:42:15 1 10.0.0.1 1 /a b _ o r u ftp 0 * c",
        "garbage",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        enum fa_status s = parse_n(bad[i], strlen(bad[i]), &ev, &why);
        CHECK(s == FA_INVALID);
        CHECK(why != NULL);
        if (s != FA_INVALID) {
            fprintf(stderr, "  accepted: %s\n", bad[i]);
        }
    }
    CHECK(parse("", &ev) == FA_SKIP);
    CHECK(parse("   ", &ev) == FA_SKIP);
}

static void test_hostile(void)
{
    reset();
    struct fa_event ev;
    const char *why;
    /* NUL bytes and non-UTF-8 inside the name and user are data. */
    static const char nul[] = "Thu Nov 26 12:42:15 2026 1 10.0.0.1 1 /a\0\xf2"
                              "b b _ o r u\xff ftp 0 * c";
    CHECK(parse_n(nul, sizeof(nul) - 1, &ev, &why) == FA_OK);
    CHECK(ev.path.len == 5 && memcmp(ev.path.ptr, "/a\0\xf2" "b", 5) == 0);
    CHECK(ev.user.len == 2);

    /* Every prefix of a line: no crash, and no event before the end. */
    const char *lines[] = {
        "Thu Sep  2 09:52:00 2004 50 192.168.20.10 896242 /home/test/f.tgz "
        "b _ o a someone@example.com ftp 0 * i",
        "Wed Oct 03 17:10:36 2012 0 ::ffff:97.64.153.21 25833 /var/www/a "
        "a _ d r admin ftps 0 * c",
    };
    for (size_t k = 0; k < 2; k++) {
        size_t n = strlen(lines[k]);
        char *buf = malloc(n + 1);
        for (size_t i = 0; i <= n; i++) {
            memcpy(buf, lines[k], i);
            buf[i] = '\0';
            enum fa_status s = parse_n(buf, i, &ev, &why);
            CHECK(i == n ? s == FA_OK : s != FA_OK && s != FA_AGAIN);
        }
        free(buf);
    }

    /* A 64 KiB line of spaces and tail-like words. */
    size_t big = FA_LINE_MAX;
    char *b = malloc(big + 1);
    const char head[] = "Thu Nov 26 12:42:15 2026 1 10.0.0.1 1 /";
    memcpy(b, head, sizeof(head) - 1);
    for (size_t i = sizeof(head) - 1; i < big; i++) {
        b[i] = "b _ o r "[i % 8];
    }
    b[big] = '\0';
    enum fa_status s = parse_n(b, big, &ev, &why);
    CHECK(s == FA_INVALID || s == FA_OK);
    memcpy(b + big - 10, "ftp 0 * c ", 10);
    s = parse_n(b, big - 1, &ev, &why);
    CHECK(s == FA_OK);
    CHECK(ev.detail.len > 0 && ev.detail.len <= 512);
    free(b);
}

static int probe_text(const char *const *v, size_t n)
{
    struct fa_line l[20];
    for (size_t i = 0; i < n; i++) {
        l[i] = (struct fa_line){v[i], strlen(v[i]), i + 1};
    }
    return fa_parser_xferlog.probe(l, n);
}

static void test_probe(void)
{
    static const char *const xfer[] = {
        "Thu Nov 26 12:42:15 2026 1 127.0.0.10 189 /a/index.html b _ o r "
        "alice ftp 0 * c",
        "Thu Nov 26 12:42:15 2026 1 127.0.0.10 69 /a/news.html b _ i r "
        "alice ftp 0 * c",
    };
    CHECK(probe_text(xfer, 2) == 100);
    static const char *const ossec[] = {
        "Fri Mar 31 10:22:44 2006 0 201.44.122.146 32003 /x.jpg a _ d r "
        "canal ftp 0 * c",
        " \"Fri Mar 31 10:22:45 2006 0 201.44.122.146 88302",
        " /usr/pages/x.jpg a _ d r",
        " canal ftp 0 * c\"",
        "Mon Apr 17 18:27:14 2006 1 64.160.42.130 0 /pub/lyx/devel/log b _ o a "
        "mozilla@example.com ftp 0 * i",
        "Mon Apr 17 18:27:20 2006 2 64.160.42.130 42930 /pub/q.log b _ o a "
        "mozilla@example.com ftp 0 * c",
    };
    CHECK(probe_text(ossec, 6) >= 30);
    static const char *const vsftpd[] = {
        "Thu Nov 26 12:42:01 2026 [pid 8037] CONNECT: Client \"127.0.0.10\"",
        "Thu Nov 26 12:42:01 2026 [pid 8036] [alice] OK LOGIN: Client "
        "\"127.0.0.10\"",
        "Thu Nov 26 12:42:02 2026 [pid 8038] [alice] OK DOWNLOAD: Client "
        "\"127.0.0.10\", \"/a/index.html\", 189 bytes, 93.1Kbyte/sec",
    };
    CHECK(probe_text(vsftpd, 3) == 0);
    static const char *const other[] = {
        "Nov 26 12:41:58 vm vsftpd[8037]: [alice] OK LOGIN: Client "
        "\"127.0.0.10\"",
        "2026-11-26 12:42:58,123 vm proftpd[123] vm (127.0.0.10[127.0.0.10]): "
        "USER alice: Login successful.",
        "127.0.0.1 - - [26/Nov/2026:12:42:58 +0000] \"GET / HTTP/1.1\" 200 "
        "612 \"-\" \"curl/7.88.1\"",
        "2026-11-20 10:01:02 status installed libc6:amd64 2.36-9",
        "Nov 26 12:17:01 vm CRON[123]: (root) CMD (cd / && run-parts "
        "--report /etc/cron.hourly)",
        "1795697085 6b0829bd.2aa1 alice 127.0.0.99 D 189 0 /abs/path",
        "[26/Nov/2023:10:00:00 +0100] 1.2.3.4 u@site STOR \"/a/.env\" 226 "
        "10",
    };
    CHECK(probe_text(other, 7) == 0);
}

int main(void)
{
    test_vsftpd_line();
    test_padding();
    test_proftpd();
    test_pureftpd();
    test_anonymous();
    test_fields();
    test_timezone();
    test_glued();
    test_rejects();
    test_hostile();
    test_probe();
    free(state);
    return check_done();
}
