/* STUB: replaced by the real parser. */
#include "registry.h"
#include "strutil.h"
#include "syslog.h"

static int proftpd_sftplog_probe(const struct fa_line *l, size_t n)
{
    (void)l;
    (void)n;
    return 0;
}

static enum fa_status proftpd_sftplog_parse(void *state, const struct fa_line *l,
                                struct fa_event *out, const char **why)
{
    (void)state;
    (void)l;
    (void)out;
    *why = "not implemented";
    return FA_INVALID;
}

const struct fa_parser fa_parser_proftpd_sftplog = {
    .name = "proftpd-sftplog",
    .summary = "ProFTPD mod_sftp SFTPLog",
    .state_size = 1,
    .probe_lines = 20,
    .probe = proftpd_sftplog_probe,
    .parse = proftpd_sftplog_parse,
};

static bool proftpd_match(struct fa_str prog)
{
    return fa_str_eq(prog, "proftpd");
}

static enum fa_status proftpd_msg(void *state, const struct fa_envelope *env,
                              struct fa_event *out, const char **why)
{
    (void)state;
    (void)env;
    (void)out;
    (void)why;
    return FA_SKIP;
}

const struct fa_syslog_daemon fa_syslog_proftpd = {
    .name = "proftpd",
    .daemon = FA_DAEMON_PROFTPD,
    .state_size = 1,
    .match = proftpd_match,
    .parse_msg = proftpd_msg,
};
