/*
 * Syslog files: auth.log, syslog, messages, journalctl text output, and
 * any file a syslog daemon writes for one FTP/SFTP daemon.
 *
 *   Nov 26 12:46:13 vm sshd[11919]: Accepted password for alice from ...
 *   2026-11-26T12:45:15.1+00:00 vm pure-ftpd: (?@127.0.0.10) [INFO] ...
 *
 * The envelope is split by syslog.c; each message goes to the daemon
 * handler that claims its program tag, whatever the file is called.  The
 * four descriptors below differ only in name and probe (which daemon's
 * lines dominate the sample); each reads every daemon's lines.
 */
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "strutil.h"
#include "syslog.h"

static const struct fa_syslog_daemon *const daemons[] = {
    &fa_syslog_openssh,
    &fa_syslog_vsftpd,
    &fa_syslog_proftpd,
    &fa_syslog_pureftpd,
};
#define NDAEMONS (sizeof(daemons) / sizeof(daemons[0]))

struct syslog_state {
    const struct fa_ctx *ctx;
    void *sub[NDAEMONS];
    size_t finishing; /* daemon whose finish() runs at end of input */
};

static int syslog_init(void *state, const struct fa_ctx *ctx, const char **why)
{
    (void)why;
    struct syslog_state *s = state;
    s->ctx = ctx;
    for (size_t i = 0; i < NDAEMONS; i++) {
        s->sub[i] = calloc(1, daemons[i]->state_size ? daemons[i]->state_size : 1);
        if (s->sub[i] == NULL) {
            abort();
        }
        if (daemons[i]->init != NULL) {
            daemons[i]->init(s->sub[i], ctx);
        }
    }
    return 0;
}

static enum fa_status syslog_parse(void *state, const struct fa_line *l,
                                   struct fa_event *out, const char **why)
{
    struct syslog_state *s = state;
    struct fa_envelope env;
    if (fa_syslog_split(s->ctx, l, &env, why) != 0) {
        return FA_INVALID;
    }
    for (size_t i = 0; i < NDAEMONS; i++) {
        if (env.prog.len > 0 && daemons[i]->match(env.prog)) {
            fa_envelope_to_event(&env, out);
            out->daemon = daemons[i]->daemon;
            return daemons[i]->parse_msg(s->sub[i], &env, out, why);
        }
    }
    return FA_SKIP; /* cron, kernel, another daemon: not ours */
}

static enum fa_status syslog_finish(void *state, struct fa_event *out)
{
    struct syslog_state *s = state;
    for (; s->finishing < NDAEMONS; s->finishing++) {
        const struct fa_syslog_daemon *d = daemons[s->finishing];
        if (d->finish != NULL && d->finish(s->sub[s->finishing], out) == FA_OK) {
            return FA_OK;
        }
    }
    return FA_SKIP;
}

static void syslog_destroy(void *state)
{
    struct syslog_state *s = state;
    for (size_t i = 0; i < NDAEMONS; i++) {
        free(s->sub[i]);
        s->sub[i] = NULL;
    }
}

/* Score: the share of sample lines in a syslog envelope whose tag belongs
 * to daemon d, scaled so a file of only such lines scores 90 and one with a
 * few such lines among other programs still scores above FA_PROBE_MIN. */
static int probe_daemon(const struct fa_syslog_daemon *d,
                        const struct fa_line *lines, size_t n)
{
    struct fa_tz utc = {.name = "UTC", .is_utc = true, .known = true};
    struct fa_ctx ctx = {.tz = &utc, .mtime = 0};
    size_t envelopes = 0, mine = 0;
    for (size_t i = 0; i < n; i++) {
        struct fa_envelope env;
        const char *why;
        if (fa_syslog_split(&ctx, &lines[i], &env, &why) != 0) {
            continue;
        }
        envelopes++;
        if (env.prog.len > 0 && d->match(env.prog)) {
            mine++;
        }
    }
    if (mine == 0 || envelopes * 2 < n) {
        return 0;
    }
    /* 40 for any presence, up to 90 when every line is this daemon's. */
    return (int)(40 + 50 * mine / n);
}

static int probe_openssh(const struct fa_line *l, size_t n)
{
    return probe_daemon(&fa_syslog_openssh, l, n);
}
static int probe_vsftpd(const struct fa_line *l, size_t n)
{
    return probe_daemon(&fa_syslog_vsftpd, l, n);
}
static int probe_proftpd(const struct fa_line *l, size_t n)
{
    return probe_daemon(&fa_syslog_proftpd, l, n);
}
static int probe_pureftpd(const struct fa_line *l, size_t n)
{
    return probe_daemon(&fa_syslog_pureftpd, l, n);
}

#define SYSLOG_PARSER(NAME, SUMMARY, PROBE)                                   \
    {                                                                         \
        .name = NAME, .summary = SUMMARY,                                     \
        .state_size = sizeof(struct syslog_state), .probe_lines = 200,        \
        .probe = PROBE, .init = syslog_init, .parse = syslog_parse,           \
        .finish = syslog_finish, .destroy = syslog_destroy,                   \
    }

const struct fa_parser fa_parser_openssh = SYSLOG_PARSER(
    "openssh",
    "sshd logins and sftp-server/internal-sftp file operations via syslog",
    probe_openssh);
const struct fa_parser fa_parser_vsftpd_syslog = SYSLOG_PARSER(
    "vsftpd-syslog", "vsftpd with syslog_enable=YES, and its PAM lines",
    probe_vsftpd);
const struct fa_parser fa_parser_proftpd_syslog = SYSLOG_PARSER(
    "proftpd-syslog", "ProFTPD logins and sessions via syslog",
    probe_proftpd);
const struct fa_parser fa_parser_pureftpd = SYSLOG_PARSER(
    "pureftpd", "Pure-FTPd logins and transfers via syslog", probe_pureftpd);

/* ProFTPD's SystemLog file: the syslog shape behind its own stamp,
 *   2026-11-26 12:42:58,312 vm proftpd[9154] 127.0.0.1 (127.0.0.10[...]): ...
 * Scored above proftpd-syslog when such stamps lead the lines. */
static int probe_proftpd_systemlog(const struct fa_line *l, size_t n)
{
    int base = probe_daemon(&fa_syslog_proftpd, l, n);
    if (base == 0) {
        return 0;
    }
    size_t own = 0;
    for (size_t i = 0; i < n; i++) {
        const char *p = l[i].ptr;
        if (l[i].len > 24 && p[4] == '-' && p[10] == ' ' && p[19] == ',') {
            own++;
        }
    }
    return own * 2 >= n ? base + 5 : 0;
}

const struct fa_parser fa_parser_proftpd_systemlog = SYSLOG_PARSER(
    "proftpd-systemlog", "ProFTPD SystemLog file (YYYY-MM-DD hh:mm:ss,mmm)",
    probe_proftpd_systemlog);
