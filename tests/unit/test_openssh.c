/* Unit tests of parsers/openssh.c: sshd and sftp-server messages through
 * the "openssh" syslog descriptor, and the IONOS sftp.log parser. */
#include <stdlib.h>
#include <string.h>

#include "../../parsers/parser.h"
#include "../../parsers/registry.h"
#include "../unit/check.h"

static struct fa_tz utc = {.name = "UTC", .is_utc = true, .known = true};
/* 2026-12-31T00:00:00Z: year-less stamps fall in 2026. */
static struct fa_ctx ctx = {.tz = &utc, .year_hint = 2026,
                            .mtime = 1798675200};

struct run {
    const struct fa_parser *p;
    void *st;
    uint64_t n;
    struct fa_event ev;
    const char *why;
};

static void start(struct run *r, const struct fa_parser *p)
{
    r->p = p;
    r->st = calloc(1, p->state_size);
    r->n = 0;
    const char *why = NULL;
    if (p->init != NULL) {
        CHECK(p->init(r->st, &ctx, &why) == 0);
    }
}

static void stop(struct run *r)
{
    if (r->p->destroy != NULL) {
        r->p->destroy(r->st);
    }
    free(r->st);
}

static enum fa_status feedn(struct run *r, const char *s, size_t len)
{
    struct fa_line l = {s, len, ++r->n};
    fa_event_clear(&r->ev);
    r->why = NULL;
    return r->p->parse(r->st, &l, &r->ev, &r->why);
}

static enum fa_status feed(struct run *r, const char *s)
{
    return feedn(r, s, strlen(s));
}

#define SYS(r) start(r, &fa_parser_openssh)
#define EV (r.ev)

static void test_accepted(void)
{
    struct run r;
    SYS(&r);
    CHECK(feed(&r, "Nov 26 12:46:13 vm sshd[11919]: Accepted password for "
                   "alice from 127.0.0.10 port 40285 ssh2") == FA_OK);
    CHECK(EV.action == FA_ACT_LOGIN);
    CHECK(EV.outcome == FA_OUT_SUCCESS);
    CHECK(EV.daemon == FA_DAEMON_OPENSSH);
    CHECK(EV.proto == FA_PROTO_SFTP);
    CHECK_STR(EV.user, "alice");
    CHECK_STR(EV.ip, "127.0.0.10");
    CHECK(EV.port == 40285);
    CHECK(EV.pid == 11919);
    CHECK_STR(EV.host, "vm");
    CHECK_STR(EV.detail, "password");
    CHECK(EV.bytes == -1);
    /* 2026-11-26T12:46:13Z */
    CHECK(EV.time_us == 1795697173LL * 1000000);
    CHECK(EV.tz_source == FA_TZ_ASSUMED);

    CHECK(feed(&r, "Sep  6 09:57:21 bullseye sshd[581]: Accepted publickey "
                   "for vagrant from 192.168.121.1 port 56296 ssh2: RSA "
                   "SHA256:1M4RzhMyWuFS/86uPY/ce2prh/dVTHW7iD2RhpquOZA")
          == FA_OK);
    CHECK(EV.action == FA_ACT_LOGIN && EV.outcome == FA_OUT_SUCCESS);
    CHECK_STR(EV.user, "vagrant");
    CHECK_STR(EV.ip, "192.168.121.1");
    CHECK(EV.port == 56296);
    CHECK_STR(EV.detail, "publickey");

    /* OpenSSH >= 9.8 logs from sshd-session; IPv6; RFC 3339 stamp */
    CHECK(feed(&r, "2026-11-26T07:47:25.123456-05:00 h sshd-session[7]: "
                   "Accepted keyboard-interactive/pam for bob from "
                   "2001:db8::5 port 50022 ssh2") == FA_OK);
    CHECK_STR(EV.user, "bob");
    CHECK_STR(EV.ip, "2001:db8::5");
    CHECK_STR(EV.detail, "keyboard-interactive/pam");
    CHECK(EV.tz_source == FA_TZ_EXPLICIT);
    CHECK(EV.utc_offset == -5 * 3600);
    CHECK(EV.time_us == 1795697245LL * 1000000 + 123456);
    stop(&r);
}

static void test_failed(void)
{
    struct run r;
    SYS(&r);
    CHECK(feed(&r, "Nov 26 12:46:18 vm sshd[11962]: Failed password for "
                   "alice from 127.0.0.66 port 44011 ssh2") == FA_OK);
    CHECK(EV.action == FA_ACT_LOGIN && EV.outcome == FA_OUT_FAILURE);
    CHECK_STR(EV.user, "alice");
    CHECK_STR(EV.ip, "127.0.0.66");
    CHECK(EV.port == 44011);
    CHECK_STR(EV.detail, "password");

    CHECK(feed(&r, "Nov 26 12:46:17 vm sshd[11970]: Failed password for "
                   "invalid user admin from 127.0.0.66 port 36291 ssh2")
          == FA_OK);
    CHECK(EV.action == FA_ACT_LOGIN && EV.outcome == FA_OUT_FAILURE);
    CHECK_STR(EV.user, "admin");

    /* ::ffff: mapped address normalized */
    CHECK(feed(&r, "Jan  1 00:00:00 h sshd[9]: Failed password for root "
                   "from ::ffff:198.51.100.7 port 2222 ssh2") == FA_OK);
    CHECK_STR(EV.ip, "198.51.100.7");

    /* a user name forging the address: the real one ends the message */
    CHECK(feed(&r, "Nov 11 08:04:52 rb sshd[2737]: Failed password for "
                   "invalid user test from 10.10.1.2 port 55555 ssh2 from "
                   "127.0.0.1 port 58946 ssh2") == FA_OK);
    CHECK_STR(EV.user, "test from 10.10.1.2 port 55555 ssh2");
    CHECK_STR(EV.ip, "127.0.0.1");
    CHECK(EV.port == 58946);
    CHECK(feed(&r, "Nov 11 08:04:52 rb sshd[2737]: Failed password for "
                   "x from 6.6.6.6 port 1 ssh2: y from 192.0.2.9 port 4 "
                   "ssh2") == FA_OK);
    CHECK_STR(EV.ip, "192.0.2.9");
    CHECK_STR(EV.user, "x from 6.6.6.6 port 1 ssh2: y");
    CHECK(feed(&r, "Nov 11 08:04:51 rb sshd[2737]: Failed password for "
                   "invalid user from 10.10.1.1 from 127.0.0.1 port 58946 "
                   "ssh2") == FA_OK);
    CHECK_STR(EV.user, "from 10.10.1.1");
    CHECK_STR(EV.ip, "127.0.0.1");
    /* forged text after a key fingerprint cannot end the message */
    CHECK(feed(&r, "Jul  5 18:22:44 m sshd[4669]: Failed publickey for "
                   "invalid user a from 9.9.9.9 port 1 ssh2 from 127.0.0.1 "
                   "port 37954 ssh2: RSA SHA256:v3dpapGleDaUKf") == FA_OK);
    CHECK_STR(EV.ip, "127.0.0.1");
    CHECK_STR(EV.detail, "publickey");
    CHECK(EV.action == FA_ACT_COMMAND && EV.outcome == FA_OUT_FAILURE);

    /* old and fixture forms without "ssh2" or without a port */
    CHECK(feed(&r, "Feb 25 14:34:10 b sshd[31602]: Failed password for "
                   "invalid user ROOT from 194.117.26.70 port 12345")
          == FA_OK);
    CHECK_STR(EV.ip, "194.117.26.70");
    CHECK(EV.port == 12345);
    CHECK(feed(&r, "Feb 25 14:34:11 b sshd[31603]: Failed password for "
                   "invalid user ROOT from aaaa:bbbb:cccc:1234::1:1")
          == FA_OK);
    CHECK_STR(EV.ip, "aaaa:bbbb:cccc:1234::1:1");
    CHECK(EV.port == 0);
    /* empty user name */
    CHECK(feed(&r, "Jun  6 04:17:05 h sshd[1]: Failed password for invalid "
                   "user  from 192.0.2.68 port 34916 ssh2") == FA_OK);
    CHECK_STR(EV.user, "");
    CHECK_STR(EV.ip, "192.0.2.68");

    /* "none" tries no credential */
    CHECK(feed(&r, "Jun  6 04:17:05 h sshd[1]: Failed none for invalid user "
                   "x from 192.0.2.68 port 34916 ssh2") == FA_OK);
    CHECK(EV.action == FA_ACT_COMMAND && EV.outcome == FA_OUT_FAILURE);

    /* Solaris prefix, RFC 5424 */
    CHECK(feed(&r, "Mar 29 05:20:09 dusky sshd[19558]: [ID 800047 auth.info]"
                   " Failed keyboard-interactive for james from "
                   "205.186.180.30 port 54520 ssh2") == FA_OK);
    CHECK_STR(EV.user, "james");
    CHECK(feed(&r, "<38>1 2019-07-08T17:40:16.954167-04:00 h.example.com "
                   "sshd 57915 - - Failed unknown for invalid user redmond "
                   "from 192.0.2.1 port 59197 ssh2") == FA_OK);
    CHECK(EV.action == FA_ACT_LOGIN && EV.outcome == FA_OUT_FAILURE);
    CHECK(EV.pid == 57915);
    CHECK_STR(EV.user, "redmond");
    CHECK(EV.utc_offset == -4 * 3600);

    /* damaged auth lines */
    CHECK(feed(&r, "Jan  1 00:00:00 h sshd[9]: Failed password for root")
          == FA_INVALID);
    CHECK(r.why != NULL);
    CHECK(feed(&r, "Jan  1 00:00:00 h sshd[9]: Accepted password for x "
                   "from somewhere port 1 ssh2") == FA_INVALID);
    stop(&r);
}

static void test_invalid_user(void)
{
    struct run r;
    SYS(&r);
    CHECK(feed(&r, "Jul 20 14:42:12 h sshd[22708]: Invalid user ftp from "
                   "192.0.2.2 port 37220") == FA_OK);
    CHECK(EV.action == FA_ACT_COMMAND && EV.outcome == FA_OUT_FAILURE);
    CHECK_STR(EV.user, "ftp");
    CHECK_STR(EV.ip, "192.0.2.2");
    CHECK(EV.port == 37220);
    CHECK_STR(EV.detail, "invalid user");
    CHECK(feed(&r, "Jul 20 14:42:11 h sshd[22708]: Invalid user ftp from "
                   "192.0.2.1") == FA_OK);
    CHECK_STR(EV.ip, "192.0.2.1");
    CHECK(feed(&r, "Jun  6 04:17:04 h sshd[1189074]: Invalid user  from "
                   "192.0.2.68 port 34916") == FA_OK);
    CHECK_STR(EV.user, "");
    CHECK_STR(EV.ip, "192.0.2.68");
    CHECK(feed(&r, "Jun  6 04:17:04 h sshd[1]: Invalid user a] \"b\" from "
                   "1.2.3.4 port 9 from 192.0.2.3 port 7") == FA_OK);
    CHECK_STR(EV.user, "a] \"b\" from 1.2.3.4 port 9");
    CHECK_STR(EV.ip, "192.0.2.3");
    CHECK(feed(&r, "Feb 25 14:34:11 b sshd[31607]: User root from "
                   "example.com not allowed because not listed in "
                   "AllowUsers") == FA_OK);
    CHECK(EV.action == FA_ACT_LOGIN && EV.outcome == FA_OUT_FAILURE);
    CHECK_STR(EV.user, "root");
    CHECK_STR(EV.ip, "example.com");
    CHECK_STR(EV.detail, "not allowed because not listed in AllowUsers");
    CHECK(feed(&r, "Jan  5 01:31:41 www sshd[1643]: ROOT LOGIN REFUSED FROM "
                   "::ffff:1.2.3.4") == FA_OK);
    CHECK_STR(EV.user, "root");
    CHECK_STR(EV.ip, "1.2.3.4");
    CHECK(feed(&r, "Apr 24 01:39:19 host sshd[3719]: input_userauth_request:"
                   " invalid user root [preauth]") == FA_SKIP);
    stop(&r);
}

static void test_pam(void)
{
    struct run r;
    SYS(&r);
    /* PAM module line: the same attempt as sshd's own line, a command */
    CHECK(feed(&r, "Nov 26 12:46:16 vm sshd[11966]: pam_unix(sshd:auth): "
                   "authentication failure; logname= uid=0 euid=0 tty=ssh "
                   "ruser= rhost=127.0.0.66  user=alice") == FA_OK);
    CHECK(EV.action == FA_ACT_COMMAND && EV.outcome == FA_OUT_FAILURE);
    CHECK_STR(EV.user, "alice");
    CHECK_STR(EV.ip, "127.0.0.66");
    CHECK_STR(EV.detail, "pam_unix(sshd:auth): authentication failure");
    CHECK(feed(&r, "Nov 26 12:46:16 vm sshd[11970]: pam_unix(sshd:auth): "
                   "check pass; user unknown") == FA_SKIP);
    CHECK(feed(&r, "Nov 26 12:46:13 vm sshd[11919]: pam_unix(sshd:session):"
                   " session opened for user alice(uid=1001) by (uid=0)")
          == FA_SKIP);

    /* sshd's PAM error line counts; the Failed keyboard-interactive line
     * of the same attempt then does not. */
    CHECK(feed(&r, "Apr 29 12:53:38 mac sshd[47831]: error: PAM: "
                   "Authentication failure for james from 205.186.180.88 "
                   "via 192.168.1.201") == FA_OK);
    CHECK(EV.action == FA_ACT_LOGIN && EV.outcome == FA_OUT_FAILURE);
    CHECK_STR(EV.user, "james");
    CHECK_STR(EV.ip, "205.186.180.88");
    CHECK_STR(EV.detail, "PAM: Authentication failure");
    CHECK(feed(&r, "Apr 29 12:53:39 mac sshd[47831]: Failed "
                   "keyboard-interactive/pam for james from 205.186.180.88 "
                   "port 1022 ssh2") == FA_OK);
    CHECK(EV.action == FA_ACT_COMMAND && EV.outcome == FA_OUT_FAILURE);
    /* a second Failed line has no PAM line left to match: it counts */
    CHECK(feed(&r, "Apr 29 12:53:40 mac sshd[47831]: Failed "
                   "keyboard-interactive/pam for james from 205.186.180.88 "
                   "port 1022 ssh2") == FA_OK);
    CHECK(EV.action == FA_ACT_LOGIN && EV.outcome == FA_OUT_FAILURE);
    CHECK(feed(&r, "Dec 12 20:04:39 a sshd[1328]: error: PAM: User not "
                   "known to the underlying authentication module for "
                   "illegal user kernelitshell from 10.215.4.227 ") == FA_OK);
    CHECK_STR(EV.user, "kernelitshell");
    CHECK_STR(EV.ip, "10.215.4.227");
    CHECK(feed(&r, "May 29 20:56:52 imago sshd[28732]: error: PAM: "
                   "Authentication failure for stefanor from example.com")
          == FA_OK);
    CHECK_STR(EV.ip, "example.com");
    stop(&r);
}

static void test_connection(void)
{
    struct run r;
    SYS(&r);
    CHECK(feed(&r, "Nov 26 12:46:12 vm sshd[11919]: Connection from "
                   "127.0.0.10 port 40285 on 127.0.0.1 port 40224 rdomain "
                   "\"\"") == FA_OK);
    CHECK(EV.action == FA_ACT_CONNECT && EV.outcome == FA_OUT_SUCCESS);
    CHECK_STR(EV.ip, "127.0.0.10");
    CHECK(EV.port == 40285);
    CHECK(feed(&r, "Nov 26 12:46:13 vm sshd[11919]: Accepted password for "
                   "alice from 127.0.0.10 port 40285 ssh2") == FA_OK);
    CHECK(feed(&r, "Nov 26 12:46:13 vm sshd[11919]: User child is on pid "
                   "11925") == FA_SKIP);
    CHECK(feed(&r, "Nov 26 12:46:13 vm sshd[11925]: Starting session: "
                   "subsystem 'sftp' for alice from 127.0.0.10 port 40285 "
                   "id 0") == FA_SKIP);
    CHECK(feed(&r, "Nov 26 12:46:13 vm sshd[11925]: Received disconnect from"
                   " 127.0.0.10 port 40285:11: disconnected by user")
          == FA_OK);
    CHECK(EV.action == FA_ACT_LOGOUT && EV.outcome == FA_OUT_SUCCESS);
    CHECK_STR(EV.user, "alice");
    CHECK_STR(EV.ip, "127.0.0.10");
    CHECK(EV.port == 40285);
    CHECK_STR(EV.detail, "disconnected by user");
    /* the same end, told again: one logout per pid */
    CHECK(feed(&r, "Nov 26 12:46:13 vm sshd[11925]: Disconnected from user "
                   "alice 127.0.0.10 port 40285") == FA_SKIP);
    /* at INFO only the Disconnected line names the session */
    CHECK(feed(&r, "Nov 26 12:50:00 vm sshd[300]: Disconnected from user "
                   "bob 192.0.2.8 port 5000") == FA_OK);
    CHECK(EV.action == FA_ACT_LOGOUT);
    CHECK_STR(EV.user, "bob");
    CHECK_STR(EV.ip, "192.0.2.8");
    /* pre-auth ends and pids without a login are no logout */
    CHECK(feed(&r, "Nov 26 12:46:18 vm sshd[11962]: Connection closed by "
                   "authenticating user alice 127.0.0.66 port 44011 "
                   "[preauth]") == FA_SKIP);
    CHECK(feed(&r, "Sep 29 16:28:05 l sshd[16700]: Connection from "
                   "192.0.2.5") == FA_OK);
    CHECK(feed(&r, "Sep 29 16:28:05 l sshd[16700]: Connection closed by "
                   "192.0.2.5") == FA_SKIP);
    CHECK(feed(&r, "Nov 26 12:46:12 vm sshd[11902]: Server listening on "
                   "127.0.0.1 port 40224.") == FA_SKIP);
    CHECK(feed(&r, "Nov 11 23:33:27 S sshd[5174]: refused connect from "
                   "_U2FsdGVk_@::ffff:218.249.210.161 "
                   "(::ffff:218.249.210.161)") == FA_OK);
    CHECK(EV.action == FA_ACT_CONNECT && EV.outcome == FA_OUT_FAILURE);
    CHECK_STR(EV.ip, "218.249.210.161");
    /* another daemon's lines in the same auth.log */
    CHECK(feed(&r, "Nov 26 12:46:12 vm CRON[5]: pam_unix(cron:session): "
                   "session opened for user root") == FA_SKIP);
    stop(&r);
}

static void test_sftp_session(void)
{
    struct run r;
    SYS(&r);
    CHECK(feed(&r, "Nov 26 12:46:21 vm sshd[11996]: Accepted password for "
                   "alice from 127.0.0.99 port 42797 ssh2") == FA_OK);
    /* duplicates the Accepted line: no second login */
    CHECK(feed(&r, "Nov 26 12:46:21 vm internal-sftp[12003]: session opened "
                   "for local user alice from [127.0.0.99]") == FA_SKIP);
    CHECK(feed(&r, "Nov 26 12:46:21 vm internal-sftp[12003]: open "
                   "\"/pub/index.html\" flags READ mode 0666") == FA_SKIP);
    CHECK(feed(&r, "Nov 26 12:46:21 vm internal-sftp[12003]: close "
                   "\"/pub/index.html\" bytes read 189 written 0") == FA_OK);
    CHECK(EV.action == FA_ACT_DOWNLOAD && EV.outcome == FA_OUT_SUCCESS);
    CHECK_STR(EV.user, "alice");
    CHECK_STR(EV.ip, "127.0.0.99");
    CHECK_STR(EV.path, "/pub/index.html");
    CHECK(EV.bytes == 189);
    CHECK(EV.pid == 12003);
    CHECK(EV.proto == FA_PROTO_SFTP);
    CHECK_STR(EV.detail, "READ");
    CHECK(feed(&r, "Nov 26 12:46:21 vm internal-sftp[12003]: open "
                   "\"/pub/index.html\" flags WRITE,CREATE,TRUNCATE mode "
                   "0666") == FA_SKIP);
    CHECK(feed(&r, "Nov 26 12:46:21 vm internal-sftp[12003]: set "
                   "\"/pub/index.html\" size 254") == FA_OK);
    CHECK(EV.action == FA_ACT_COMMAND);
    CHECK_STR(EV.detail, "size 254");
    CHECK(feed(&r, "Nov 26 12:46:21 vm internal-sftp[12003]: close "
                   "\"/pub/index.html\" bytes read 0 written 254") == FA_OK);
    CHECK(EV.action == FA_ACT_UPLOAD && EV.outcome == FA_OUT_SUCCESS);
    CHECK(EV.bytes == 254);
    CHECK_STR(EV.detail, "WRITE,CREATE,TRUNCATE");
    /* an empty upload is still an upload */
    CHECK(feed(&r, "Nov 26 12:46:21 vm internal-sftp[12003]: open \"e\" "
                   "flags WRITE,CREATE,TRUNCATE mode 0666") == FA_SKIP);
    CHECK(feed(&r, "Nov 26 12:46:21 vm internal-sftp[12003]: close \"e\" "
                   "bytes read 0 written 0") == FA_OK);
    CHECK(EV.action == FA_ACT_UPLOAD && EV.bytes == 0);
    /* a refused open: the status line reports the failed transfer */
    CHECK(feed(&r, "Nov 26 12:46:22 vm internal-sftp[12003]: open "
                   "\"/etc/cron.d/x\" flags WRITE,CREATE,TRUNCATE mode 0644")
          == FA_SKIP);
    CHECK(feed(&r, "Nov 26 12:46:22 vm internal-sftp[12003]: sent status "
                   "Permission denied") == FA_OK);
    CHECK(EV.action == FA_ACT_UPLOAD && EV.outcome == FA_OUT_FAILURE);
    CHECK_STR(EV.path, "/etc/cron.d/x");
    CHECK_STR(EV.detail, "Permission denied");
    CHECK_STR(EV.user, "alice");
    CHECK(EV.bytes == -1);
    CHECK(feed(&r, "Nov 26 12:46:22 vm internal-sftp[12003]: open "
                   "\"/nope\" flags READ mode 0666") == FA_SKIP);
    CHECK(feed(&r, "Nov 26 12:46:22 vm internal-sftp[12003]: sent status "
                   "No such file") == FA_OK);
    CHECK(EV.action == FA_ACT_DOWNLOAD && EV.outcome == FA_OUT_FAILURE);
    CHECK_STR(EV.path, "/nope");
    /* a status after another request is not the open's */
    CHECK(feed(&r, "Nov 26 12:46:22 vm internal-sftp[12003]: open \"/a\" "
                   "flags READ mode 0666") == FA_SKIP);
    CHECK(feed(&r, "Nov 26 12:46:22 vm internal-sftp[12003]: stat name "
                   "\"/b\"") == FA_SKIP);
    CHECK(feed(&r, "Nov 26 12:46:22 vm internal-sftp[12003]: sent status "
                   "No such file") == FA_SKIP);
    CHECK(feed(&r, "Nov 26 12:46:22 vm internal-sftp[12003]: sent status "
                   "Success") == FA_SKIP);
    /* an interrupted transfer */
    CHECK(feed(&r, "Nov 26 12:46:23 vm internal-sftp[12003]: forced close "
                   "\"/a\" bytes read 32768 written 0") == FA_OK);
    CHECK(EV.action == FA_ACT_DOWNLOAD && EV.outcome == FA_OUT_FAILURE);
    CHECK(EV.bytes == 32768);
    CHECK_STR(EV.detail, "forced close");
    CHECK(feed(&r, "Nov 26 12:46:23 vm internal-sftp[12003]: session closed"
                   " for local user alice from [127.0.0.99]") == FA_OK);
    CHECK(EV.action == FA_ACT_LOGOUT);
    CHECK_STR(EV.user, "alice");
    CHECK_STR(EV.ip, "127.0.0.99");
    /* the pid comes back for another session (pids wrap) */
    CHECK(feed(&r, "Nov 26 13:00:00 vm internal-sftp[12003]: close \"/x\" "
                   "bytes read 5 written 0") == FA_OK);
    CHECK(EV.action == FA_ACT_DOWNLOAD);
    CHECK_STR(EV.user, "");
    stop(&r);
}

static void test_sftp_alone(void)
{
    /* An sftp log without sshd's lines: session opened is the login. */
    struct run r;
    SYS(&r);
    CHECK(feed(&r, "2021-01-23T21:27:03.685500+00:00 3633b0f0fbe8 "
                   "internal-sftp[17]: session opened for local user ccsuser"
                   " from [172.17.0.1]") == FA_OK);
    CHECK(EV.action == FA_ACT_LOGIN && EV.outcome == FA_OUT_SUCCESS);
    CHECK_STR(EV.user, "ccsuser");
    CHECK_STR(EV.ip, "172.17.0.1");
    CHECK_STR(EV.detail, "sftp session");
    CHECK(feed(&r, "2021-01-23T21:27:03.688450+00:00 3633b0f0fbe8 "
                   "internal-sftp[17]: open \"CCS_1.txt\" flags "
                   "WRITE,CREATE,TRUNCATE mode 0100600") == FA_SKIP);
    CHECK(feed(&r, "2021-01-23T21:27:03.878065+00:00 3633b0f0fbe8 "
                   "internal-sftp[17]: close \"CCS_1.txt\" bytes read 0 "
                   "written 12193967") == FA_OK);
    CHECK(EV.action == FA_ACT_UPLOAD);
    CHECK_STR(EV.path, "CCS_1.txt"); /* relative: as the client sent it */
    CHECK(EV.bytes == 12193967);
    CHECK_STR(EV.user, "ccsuser");
    CHECK(feed(&r, "2021-01-25T15:37:47.940602+00:00 3633b0f0fbe8 "
                   "internal-sftp[17]: set \"CCS_1.txt\" mode 0666") == FA_OK);
    CHECK(EV.action == FA_ACT_CHMOD);
    CHECK_STR(EV.detail, "0666");
    CHECK(feed(&r, "2021-01-25T15:37:48+00:00 h internal-sftp[17]: "
                   "remove name \"/old.txt\"") == FA_OK);
    CHECK(EV.action == FA_ACT_DELETE);
    CHECK_STR(EV.path, "/old.txt");
    CHECK(feed(&r, "2021-01-25T15:37:48+00:00 h internal-sftp[17]: "
                   "sent status Permission denied") == FA_OK);
    CHECK(EV.action == FA_ACT_COMMAND && EV.outcome == FA_OUT_FAILURE);
    CHECK_STR(EV.path, "/old.txt");
    CHECK_STR(EV.detail, "remove: Permission denied");
    CHECK(feed(&r, "2021-01-25T15:37:48+00:00 h internal-sftp[17]: "
                   "mkdir name \"/d\" mode 0777") == FA_OK);
    CHECK(EV.action == FA_ACT_MKDIR);
    CHECK_STR(EV.path, "/d");
    CHECK(feed(&r, "2021-01-25T15:37:48+00:00 h internal-sftp[17]: "
                   "rmdir name \"/d\"") == FA_OK);
    CHECK(EV.action == FA_ACT_RMDIR);
    CHECK(feed(&r, "2021-01-25T15:37:48+00:00 h internal-sftp[17]: "
                   "rename old \"/a.txt\" new \"/b.txt\"") == FA_OK);
    CHECK(EV.action == FA_ACT_RENAME);
    CHECK_STR(EV.path, "/a.txt");
    CHECK_STR(EV.path2, "/b.txt");
    CHECK(feed(&r, "2021-01-25T15:37:48+00:00 h internal-sftp[17]: "
                   "posix-rename old \"x.1.tmp\" new \"x\"") == FA_OK);
    CHECK(EV.action == FA_ACT_RENAME);
    CHECK_STR(EV.path, "x.1.tmp");
    CHECK_STR(EV.path2, "x");
    CHECK(feed(&r, "2021-01-25T15:37:48+00:00 h internal-sftp[17]: "
                   "set \"/b.txt\" modtime 20210125-15:37:47") == FA_OK);
    CHECK(EV.action == FA_ACT_COMMAND);
    CHECK_STR(EV.detail, "modtime 20210125-15:37:47");
    CHECK(feed(&r, "2021-01-25T15:37:48+00:00 h internal-sftp[17]: "
                   "symlink old \"/l\" new \"/t\"") == FA_OK);
    CHECK(EV.action == FA_ACT_COMMAND);
    CHECK_STR(EV.detail, "symlink");
    CHECK_STR(EV.path2, "/t");
    CHECK(feed(&r, "2021-01-25T15:37:48+00:00 h internal-sftp[17]: "
                   "opendir \"/\"") == FA_SKIP);
    CHECK(feed(&r, "2021-01-25T15:37:48+00:00 h internal-sftp[17]: "
                   "realpath \".\"") == FA_SKIP);
    CHECK(feed(&r, "2021-01-25T15:37:48+00:00 h internal-sftp[17]: "
                   "received client version 3") == FA_SKIP);
    CHECK(feed(&r, "2021-01-25T15:37:48+00:00 h internal-sftp[17]: "
                   "debug3: request 4: close handle 0") == FA_SKIP);
    /* damaged requests */
    CHECK(feed(&r, "2021-01-25T15:37:48+00:00 h internal-sftp[17]: "
                   "close \"/x\" bytes read 1") == FA_INVALID);
    CHECK(feed(&r, "2021-01-25T15:37:48+00:00 h internal-sftp[17]: "
                   "open \"/x\" fla") == FA_INVALID);
    CHECK(feed(&r, "2021-01-25T15:37:48+00:00 h internal-sftp[17]: "
                   "remove name \"/x") == FA_INVALID);
    CHECK(feed(&r, "2021-01-25T15:37:48+00:00 h internal-sftp[17]: "
                   "session opened for local user x") == FA_INVALID);
    stop(&r);
}

static void test_hostile_paths(void)
{
    struct run r;
    SYS(&r);
    /* unescaped quotes and the separators themselves inside names */
    CHECK(feed(&r, "ott 16 22:40:50 p1 sftp-server[1641]: open "
                   "\"/a\" flags READ mode 0666\" flags WRITE,CREATE mode "
                   "0644") == FA_SKIP);
    CHECK(feed(&r, "ott 16 22:40:50 p1 sftp-server[1641]: close "
                   "\"/a\" flags READ mode 0666\" bytes read 0 written 12\" "
                   "bytes read 0 written 7") == FA_OK);
    CHECK(EV.action == FA_ACT_UPLOAD);
    CHECK_STR(EV.path, "/a\" flags READ mode 0666\" bytes read 0 written 12");
    CHECK(EV.bytes == 7);
    /* localized month */
    CHECK(EV.time_us == 1792190450LL * 1000000);
    CHECK(feed(&r, "ott 16 22:40:50 p1 sftp-server[1641]: close "
                   "\"/a\" flags READ mode 0666\" bytes read 0 written 3")
          == FA_OK);
    CHECK(EV.action == FA_ACT_UPLOAD);
    CHECK_STR(EV.path, "/a\" flags READ mode 0666");
    CHECK_STR(EV.detail, "WRITE,CREATE");
    CHECK(feed(&r, "ott 16 22:40:50 p1 sftp-server[1641]: remove name "
                   "\"/x\" y\"") == FA_OK);
    CHECK_STR(EV.path, "/x\" y");
    CHECK(feed(&r, "ott 16 22:40:50 p1 sftp-server[1641]: mkdir name "
                   "\"/m\" mode 1\" mode 0755") == FA_OK);
    CHECK_STR(EV.path, "/m\" mode 1");
    CHECK(feed(&r, "ott 16 22:40:50 p1 sftp-server[1641]: set "
                   "\"/s\" size 5\" mode 0600") == FA_OK);
    CHECK(EV.action == FA_ACT_CHMOD);
    CHECK_STR(EV.path, "/s\" size 5");
    CHECK_STR(EV.detail, "0600");
    CHECK(feed(&r, "ott 16 22:40:50 p1 sftp-server[1641]: session opened "
                   "for local user a from [1.1.1.1] from [192.0.2.1]")
          == FA_OK);
    CHECK_STR(EV.user, "a from [1.1.1.1]");
    CHECK_STR(EV.ip, "192.0.2.1");
    stop(&r);
}

static void test_truncation(void)
{
    static const char *const lines[] = {
        "Nov 26 12:46:13 vm sshd[11919]: Accepted password for alice from "
        "127.0.0.10 port 40285 ssh2: RSA SHA256:abc",
        "Nov 26 12:46:17 vm sshd[11970]: Failed password for invalid user "
        "admin from 127.0.0.66 port 36291 ssh2",
        "Jul 20 14:42:12 h sshd[22708]: Invalid user ftp from 192.0.2.2 "
        "port 37220",
        "Apr 29 12:53:38 mac sshd[47831]: error: PAM: Authentication failure"
        " for illegal user james from 205.186.180.88 via 192.168.1.201",
        "Nov 26 12:46:16 vm sshd[11966]: pam_unix(sshd:auth): authentication"
        " failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=127.0.0.66  "
        "user=alice",
        "Nov 26 12:46:13 vm sshd[11925]: Received disconnect from 127.0.0.10"
        " port 40285:11: disconnected by user",
        "Nov 26 12:46:13 vm sshd[11925]: Disconnected from user alice "
        "127.0.0.10 port 40285",
        "Nov 26 12:46:12 vm sshd[11919]: Connection from 127.0.0.10 port "
        "40285 on 127.0.0.1 port 40224 rdomain \"\"",
        "Feb 25 14:34:11 b sshd[31607]: User root from example.com not "
        "allowed because not listed in AllowUsers",
        "Nov 11 23:33:27 S sshd[5174]: refused connect from x (1.2.3.4)",
        "Mar 29 05:20:09 d sshd[1]: [ID 800047 auth.info] Failed "
        "keyboard-interactive for j from 205.186.180.30 port 54520 ssh2",
        "Mar 29 05:20:09 d sshd[1]: kernel:[  970.699396]: Failed password "
        "for j from 205.186.180.30 port 54520 ssh2",
        "Nov 26 12:46:13 vm internal-sftp[11926]: session opened for local "
        "user alice from [127.0.0.10]",
        "Nov 26 12:46:13 vm internal-sftp[11926]: open \"/p/n.html\" flags "
        "WRITE,CREATE,TRUNCATE mode 0666",
        "Nov 26 12:46:13 vm internal-sftp[11926]: close \"/p/n.html\" bytes "
        "read 0 written 69",
        "Nov 26 12:46:13 vm internal-sftp[11926]: rename old \"/a\" new "
        "\"/b\"",
        "Nov 26 12:46:13 vm internal-sftp[11926]: set \"/a\" mode 0600",
        "Nov 26 12:46:13 vm internal-sftp[11926]: sent status Failure",
        "Nov 26 12:46:13 vm internal-sftp[11926]: session closed for local "
        "user alice from [127.0.0.10]",
        "Nov 26 12:46:13 vm sshd[11925]: Starting session: subsystem 'sftp' "
        "for alice from 127.0.0.10 port 40285 id 0",
        "Nov 26 12:46:13 vm sshd[11919]: User child is on pid 11925",
    };
    static char buf[512];
    struct run r;
    SYS(&r);
    int ok = 0;
    for (size_t k = 0; k < sizeof(lines) / sizeof(lines[0]); k++) {
        size_t n = strlen(lines[k]);
        CHECK(n < sizeof(buf));
        /* Every prefix, with a NUL-terminated copy of exactly that size so
         * an over-read is caught by the sanitizers. */
        for (size_t cut = 0; cut <= n; cut++) {
            char *p = malloc(cut + 1);
            memcpy(p, lines[k], cut);
            p[cut] = '\0';
            enum fa_status st = feedn(&r, p, cut);
            ok += st == FA_OK;
            free(p);
        }
        /* and the line with a NUL byte in the middle */
        memcpy(buf, lines[k], n);
        buf[n / 2] = '\0';
        feedn(&r, buf, n);
    }
    CHECK(ok > 0);
    stop(&r);

    struct run io;
    start(&io, &fa_parser_ionos_sftp);
    const char *il = "Jul 30 09:51:33 10.71.57.0 u78774450 close \"/index."
                     "php\" bytes read 683 written 0";
    for (size_t cut = 0; cut <= strlen(il); cut++) {
        char *p = malloc(cut + 1);
        memcpy(p, il, cut);
        p[cut] = '\0';
        feedn(&io, p, cut);
        free(p);
    }
    stop(&io);
}

static void test_tables_overflow(void)
{
    /* More sessions and handles than the tables hold: no crash, the
     * newest ones still work. */
    struct run r;
    SYS(&r);
    char line[200];
    for (int i = 1; i <= 2000; i++) {
        snprintf(line, sizeof(line), "Nov 26 12:46:13 vm internal-sftp[%d]: "
                 "open \"/f%d\" flags READ mode 0666", i, i);
        CHECK(feed(&r, line) == FA_SKIP);
    }
    snprintf(line, sizeof(line), "Nov 26 12:46:13 vm internal-sftp[2000]: "
             "close \"/f2000\" bytes read 1 written 0");
    CHECK(feed(&r, line) == FA_OK);
    CHECK(EV.action == FA_ACT_DOWNLOAD);
    CHECK_STR(EV.detail, "READ");
    for (int i = 1; i <= 600; i++) {
        snprintf(line, sizeof(line), "Nov 26 12:46:13 vm sshd[%d]: Accepted "
                 "password for u%d from 192.0.2.1 port %d ssh2", i, i, i);
        CHECK(feed(&r, line) == FA_OK);
    }
    stop(&r);
}

static void test_ionos(void)
{
    struct run r;
    start(&r, &fa_parser_ionos_sftp);
    CHECK(feed(&r, "Jul 30 09:51:32 10.71.57.0 u78774450 Connection from "
                   "10.71.57.0 port 18828 on 82.165.85.11 port 22 rdomain "
                   "\"\"") == FA_OK);
    CHECK(EV.action == FA_ACT_CONNECT);
    CHECK_STR(EV.user, "u78774450");
    CHECK(EV.daemon == FA_DAEMON_OPENSSH);
    CHECK(EV.tz_source == FA_TZ_ASSUMED);
    CHECK(EV.time_us == 1785405092LL * 1000000);
    CHECK(feed(&r, "Jul 30 09:51:32 10.71.57.0 u78774450 Accepted password "
                   "for u78774450 from 10.71.57.0 port 18828 ssh2") == FA_OK);
    CHECK(EV.action == FA_ACT_LOGIN && EV.outcome == FA_OUT_SUCCESS);
    CHECK_STR(EV.user, "u78774450");
    CHECK_STR(EV.ip, "10.71.57.0");
    CHECK(EV.port == 18828);
    CHECK(EV.pid == 0);
    CHECK(feed(&r, "Jul 30 09:51:33 10.71.57.0 u78774450 Starting session: "
                   "subsystem 'sftp' for u78774450 from 10.71.57.0 port "
                   "18828 id 0") == FA_SKIP);
    CHECK(feed(&r, "Jul 30 09:51:33 10.71.57.0 u78774450 session opened for"
                   " local user u78774450 from [10.71.57.0]") == FA_SKIP);
    CHECK(feed(&r, "Jul 30 09:51:33 10.71.57.0 u78774450 open \"/index.php\""
                   " flags READ mode 0666") == FA_SKIP);
    CHECK(feed(&r, "Jul 30 09:51:33 10.71.57.0 u78774450 close "
                   "\"/index.php\" bytes read 683 written 0") == FA_OK);
    CHECK(EV.action == FA_ACT_DOWNLOAD && EV.outcome == FA_OUT_SUCCESS);
    CHECK_STR(EV.path, "/index.php");
    CHECK(EV.bytes == 683);
    CHECK_STR(EV.user, "u78774450");
    CHECK_STR(EV.ip, "10.71.57.0");
    /* the provider's summary of the same close: not a second transfer */
    CHECK(feed(&r, "Jul 30 09:51:33 10.71.57.0 u78774450 [10.71.57.0|get|0|"
                   "683|0|0|0|2f696e6465782e706870|]") == FA_SKIP);
    CHECK(feed(&r, "Jul 30 09:51:33 10.71.57.0 u78774450 [10.71.57.0|get")
          == FA_INVALID);
    /* a client field of "-", an upload, a refused open */
    CHECK(feed(&r, "Jul 30 09:52:00 - u78774450 open \"/up.php\" flags "
                   "WRITE,CREATE,TRUNCATE mode 0644") == FA_SKIP);
    CHECK(feed(&r, "Jul 30 09:52:00 - u78774450 sent status Permission "
                   "denied") == FA_OK);
    CHECK(EV.action == FA_ACT_UPLOAD && EV.outcome == FA_OUT_FAILURE);
    CHECK_STR(EV.path, "/up.php");
    CHECK(feed(&r, "Jul 30 09:51:33 10.71.57.0 u78774450 session closed for"
                   " local user u78774450 from [10.71.57.0]") == FA_OK);
    CHECK(EV.action == FA_ACT_LOGOUT);
    CHECK(feed(&r, "Jul 30 09:51:33 10.71.57.0 u78774450 Connection closed "
                   "by 10.71.57.0 port 18828") == FA_OK);
    CHECK(EV.action == FA_ACT_LOGOUT);
    CHECK_STR(EV.user, "u78774450");
    /* not IONOS lines */
    CHECK(feed(&r, "Jul 30 09:51:33 vm sshd[1]: Accepted password for a "
                   "from 1.2.3.4 port 1 ssh2") == FA_INVALID);
    CHECK(feed(&r, "Jul 30 09:51:33 10.71.57.0 sshd[1]: Accepted") ==
          FA_INVALID);
    CHECK(feed(&r, "garbage") == FA_INVALID);
    CHECK(feed(&r, "") == FA_INVALID);
    stop(&r);
}

static void test_ionos_concurrent(void)
{
    /* Two sessions of one account interleave; a status cannot be tied to
     * one open, and a close after the other session ended still works. */
    struct run r;
    start(&r, &fa_parser_ionos_sftp);
    const char *pre = "Jul 30 09:51:33 10.71.57.0 u1 ";
    const char *msgs[] = {
        "session opened for local user u1 from [10.71.57.0]",
        "session opened for local user u1 from [10.71.57.0]",
        "open \"/a\" flags READ mode 0666",
        "open \"/b\" flags READ mode 0666",
        "sent status No such file",
        "session closed for local user u1 from [10.71.57.0]",
    };
    char line[256];
    enum fa_status want[] = {FA_OK, FA_OK, FA_SKIP, FA_SKIP, FA_SKIP, FA_OK};
    for (size_t i = 0; i < 6; i++) {
        snprintf(line, sizeof(line), "%s%s", pre, msgs[i]);
        CHECK(feed(&r, line) == want[i]);
    }
    snprintf(line, sizeof(line), "%sclose \"/b\" bytes read 3 written 0",
             pre);
    CHECK(feed(&r, line) == FA_OK);
    CHECK(EV.action == FA_ACT_DOWNLOAD && EV.outcome == FA_OUT_SUCCESS);
    CHECK(EV.bytes == 3);
    stop(&r);
}

static struct fa_line mk(const char *s)
{
    return (struct fa_line){s, strlen(s), 1};
}

static void test_probe(void)
{
    struct fa_line ionos[] = {
        mk("Jul 30 09:48:24 10.71.57.0 u78774450 Connection from 10.71.57.0 "
           "port 16234 on 82.165.85.11 port 22 rdomain \"\""),
        mk("Jul 30 09:51:33 10.71.57.0 u78774450 open \"/.viminfo\" flags "
           "READ mode 0666"),
        mk("Jul 30 09:51:33 10.71.57.0 u78774450 close \"/.viminfo\" bytes "
           "read 1505 written 0"),
        mk("Jul 30 09:51:33 10.71.57.0 u78774450 [10.71.57.0|get|0|1505|0|0|"
           "0|2f2e76696d696e666f|]"),
    };
    int score = 0;
    const struct fa_parser *p = fa_parser_detect(ionos, 4, &score);
    CHECK(p == &fa_parser_ionos_sftp);
    CHECK(score >= 80);

    struct fa_line sys[] = {
        mk("Nov 26 12:46:12 vm sshd[11919]: Connection from 127.0.0.10 port "
           "40285 on 127.0.0.1 port 40224 rdomain \"\""),
        mk("Nov 26 12:46:13 vm sshd[11919]: Accepted password for alice from"
           " 127.0.0.10 port 40285 ssh2"),
        mk("Nov 26 12:46:13 vm internal-sftp[11926]: session opened for "
           "local user alice from [127.0.0.10]"),
        mk("Jan  1 00:00:00 10.0.0.1 sshd[5]: Failed password for root from "
           "192.0.2.1 port 1 ssh2"),
    };
    CHECK(fa_parser_ionos_sftp.probe(sys, 4) < FA_PROBE_MIN);
    p = fa_parser_detect(sys, 4, &score);
    CHECK(p == &fa_parser_openssh);

    struct fa_line other[] = {
        mk("Thu Nov 26 12:42:01 2026 [pid 8037] [alice] OK LOGIN: Client "
           "\"127.0.0.10\""),
        mk("127.0.0.1 - - [26/Nov/2026:12:42:58 +0000] \"GET / HTTP/1.1\" "
           "200 612"),
        mk("2026-11-26 12:42:58 status installed libc6:amd64 2.36-9"),
        mk("Nov 26 12:17:01 vm CRON[100]: (root) CMD (cd / && run-parts "
           "--report /etc/cron.hourly)"),
    };
    CHECK(fa_parser_ionos_sftp.probe(other, 4) < FA_PROBE_MIN);
    CHECK(fa_parser_openssh.probe(other, 4) < FA_PROBE_MIN);
}

int main(void)
{
    test_accepted();
    test_failed();
    test_invalid_user();
    test_pam();
    test_connection();
    test_sftp_session();
    test_sftp_alone();
    test_hostile_paths();
    test_truncation();
    test_tables_overflow();
    test_ionos();
    test_ionos_concurrent();
    test_probe();
    return check_done();
}
