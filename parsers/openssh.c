/* STUB: replaced by the real parser. */
#include "registry.h"
#include "strutil.h"
#include "syslog.h"

static bool openssh_match(struct fa_str prog)
{
    return fa_str_eq(prog, "sshd");
}

static enum fa_status openssh_msg(void *state, const struct fa_envelope *env,
                              struct fa_event *out, const char **why)
{
    (void)state;
    (void)env;
    (void)out;
    (void)why;
    return FA_SKIP;
}

const struct fa_syslog_daemon fa_syslog_openssh = {
    .name = "openssh",
    .daemon = FA_DAEMON_OPENSSH,
    .state_size = 1,
    .match = openssh_match,
    .parse_msg = openssh_msg,
};

static int ionos_sftp_probe(const struct fa_line *l, size_t n)
{
    (void)l;
    (void)n;
    return 0;
}

static enum fa_status ionos_sftp_parse(void *state, const struct fa_line *l,
                                struct fa_event *out, const char **why)
{
    (void)state;
    (void)l;
    (void)out;
    *why = "not implemented";
    return FA_INVALID;
}

const struct fa_parser fa_parser_ionos_sftp = {
    .name = "ionos-sftp",
    .summary = "IONOS logs/sftp.log (OpenSSH re-formatted)",
    .state_size = 1,
    .probe_lines = 20,
    .probe = ionos_sftp_probe,
    .parse = ionos_sftp_parse,
};
