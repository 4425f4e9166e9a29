/* Unit tests of the syslog envelope and the shared stamp readers. */
#include "../../parsers/syslog.h"
#include "check.h"

static struct fa_tz utc;
static struct fa_ctx ctx;

static int split(const char *s, struct fa_envelope *env)
{
    struct fa_line l = {s, strlen(s), 1};
    const char *why = NULL;
    return fa_syslog_split(&ctx, &l, env, &why);
}

int main(void)
{
    fa_tz_open(&utc, "UTC");
    struct fa_civil mt = {2026, 12, 31, 0, 0, 0};
    ctx.tz = &utc;
    ctx.mtime = fa_civil_to_epoch(&mt);
    struct fa_envelope e;

    CHECK(split("Nov 26 12:41:58 vm vsftpd[8037]: [alice] OK LOGIN", &e) == 0);
    CHECK_STR(e.host, "vm");
    CHECK_STR(e.prog, "vsftpd");
    CHECK(e.pid == 8037);
    CHECK_STR(e.msg, "[alice] OK LOGIN");
    CHECK(e.has_time && e.time_us == 1795696918LL * 1000000);

    /* Space-padded and zero-padded days, a fraction, a localized month. */
    CHECK(split("Sep  2 01:02:03 h sshd[1]: x", &e) == 0 && e.pid == 1);
    CHECK(split("Jun 09 07:30:58 h proftpd[2]: x", &e) == 0);
    CHECK(split("Nov 26 12:41:58.250000 vm sshd[3]: x", &e) == 0 &&
          e.time_us % 1000000 == 250000);
    CHECK(split("ott 16 22:40:40 p1 sftp-server[1641]: open", &e) == 0);
    CHECK_STR(e.prog, "sftp-server");

    /* busybox "facility.priority" between host and tag. */
    CHECK(split("Nov 26 12:45:44 vm ftp.info pure-ftpd: (?@1.2.3.4) [INFO] x",
                &e) == 0);
    CHECK_STR(e.prog, "pure-ftpd");
    CHECK(e.pid == 0);
    CHECK_STR(e.msg, "(?@1.2.3.4) [INFO] x");

    /* RFC 3339 with offset, short-iso without colon, ISO without zone. */
    CHECK(split("2026-11-26T07:47:25.123456-05:00 vm sshd[9]: m", &e) == 0);
    CHECK(e.tz_source == FA_TZ_EXPLICIT && e.offset == -5 * 3600);
    CHECK(e.time_us == 1795697245LL * 1000000 + 123456);
    CHECK(split("2025-03-04T01:06:36+0100 host sshd[1]: m", &e) == 0);
    CHECK(e.offset == 3600 && e.tz_source == FA_TZ_EXPLICIT);
    CHECK(split("2025-03-04T01:06:36.645577 host vsftpd[1658]: m", &e) == 0);
    CHECK(e.tz_source == FA_TZ_ASSUMED);
    /* ProFTPD SystemLog: own stamp, tag followed by a space. */
    CHECK(split("2026-11-26 12:42:58,312 vm proftpd[9154] 127.0.0.1 "
                "(127.0.0.10[127.0.0.10]): FTP session opened.", &e) == 0);
    CHECK_STR(e.prog, "proftpd");
    CHECK(e.time_us % 1000000 == 312000);
    CHECK_STR(e.msg, "127.0.0.1 (127.0.0.10[127.0.0.10]): FTP session opened.");

    /* RFC 5424 with structured data holding brackets and quotes. */
    CHECK(split("<38>1 2019-07-08T17:40:17.954167-04:00 h.example.com sshd "
                "55555 - [timeQuality tzKnown=\"1\"][x@1 t=\"[b\\]r]\"] "
                "Failed unknown for invalid user r from 192.0.2.2", &e) == 0);
    CHECK_STR(e.prog, "sshd");
    CHECK(e.pid == 55555);
    CHECK_STR(e.msg, "Failed unknown for invalid user r from 192.0.2.2");
    CHECK(split("<38>1 - h sshd - - - msg", &e) == 0 && !e.has_time);

    /* Journal export without a time: the file mtime stands in. */
    CHECK(split("srv sshd[13709]: error: PAM: x", &e) == 0);
    CHECK(!e.has_time && e.time_us == ctx.mtime * 1000000);
    CHECK(split("pure-ftpd: (?@1.2.3.4) [WARNING] x", &e) == 0);
    CHECK_STR(e.prog, "pure-ftpd");
    CHECK_STR(e.msg, "(?@1.2.3.4) [WARNING] x");
    CHECK(split("Mar  3 00:17:22 [sshd]: User root from 1.2.3.4", &e) == 0);
    CHECK_STR(e.prog, "sshd");
    CHECK_STR(e.msg, "User root from 1.2.3.4");
    CHECK(split("Jun 25 23:53:34 [sshd] User root", &e) == 0);
    CHECK_STR(e.prog, "sshd");
    CHECK(split("srv sshd: no pid, no time", &e) != 0);

    /* No host written: the tag comes first. */
    CHECK(split("2026-11-26 12:42:58,312 proftpd[9154] 127.0.0.1 "
                "(1.2.3.4[1.2.3.4]): x", &e) == 0);
    CHECK_STR(e.prog, "proftpd");
    CHECK(e.host.len == 0 && e.pid == 9154);
    CHECK(split("proftpd[12345] host (n[1.2.3.4]): USER x", &e) == 0);
    CHECK_STR(e.msg, "host (n[1.2.3.4]): USER x");

    /* Not syslog. */
    CHECK(split("Thu Nov 26 12:41:58 2026 [pid 1] CONNECT", &e) != 0);
    CHECK(split("", &e) != 0);
    CHECK(split("Nov 26 12:41:58", &e) != 0);
    CHECK(split("Nov 32 12:41:58 h p[1]: x", &e) != 0);
    CHECK(split("Nov 26 25:41:58 h p[1]: x", &e) != 0);
    CHECK(split("Nov 26 12:41:58 h p[99999999999]: x", &e) != 0);
    CHECK(split("<999999>1 x", &e) != 0);

    /* Every prefix of a valid line is handled without reading past it. */
    const char *full = "<38>1 2019-07-08T17:40:17.9-04:00 h sshd 5 - [a b=\"c\"] m";
    for (size_t n = 0; n <= strlen(full); n++) {
        char buf[128];
        memcpy(buf, full, n);
        buf[n] = '\0';
        struct fa_line l = {buf, n, 1};
        const char *why;
        (void)fa_syslog_split(&ctx, &l, &e, &why);
    }

    /* Stamp readers. */
    int64_t us;
    int32_t off;
    CHECK(fa_stamp_ctime(&ctx, "Thu Nov 26 12:41:58 2026 [pid", 29, &us,
                         &off) == 24);
    CHECK(us == 1795696918LL * 1000000);
    CHECK(fa_stamp_ctime(&ctx, "Mon Jun 8 12:08:44 2020 x", 25, &us, &off) == 23);
    CHECK(fa_stamp_ctime(&ctx, "Thu Sep  2 01:00:00 2004 x", 26, &us, &off) == 24);
    CHECK(fa_stamp_ctime(&ctx, "Thu Nov 26 12:41:58 20261 x", 27, &us, &off) == 0);
    CHECK(fa_stamp_clf("[26/Nov/2026:13:41:58 +0100] x", 30, &us, &off) == 28);
    CHECK(us == 1795696918LL * 1000000 && off == 3600);
    CHECK(fa_stamp_clf("[26/Nov/2026:13:41:58 +0100", 27, &us, &off) == 27);
    CHECK(fa_stamp_clf("[26/Xyz/2026:13:41:58 +0100]", 28, &us, &off) == 0);
    return check_done();
}
