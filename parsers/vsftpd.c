/* STUB: replaced by the real parser. */
#include "registry.h"
#include "strutil.h"
#include "syslog.h"

static int vsftpd_probe(const struct fa_line *l, size_t n)
{
    (void)l;
    (void)n;
    return 0;
}

static enum fa_status vsftpd_parse(void *state, const struct fa_line *l,
                                struct fa_event *out, const char **why)
{
    (void)state;
    (void)l;
    (void)out;
    *why = "not implemented";
    return FA_INVALID;
}

const struct fa_parser fa_parser_vsftpd = {
    .name = "vsftpd",
    .summary = "vsftpd_log_file, the native vsftpd format",
    .state_size = 1,
    .probe_lines = 20,
    .probe = vsftpd_probe,
    .parse = vsftpd_parse,
};

static bool vsftpd_match(struct fa_str prog)
{
    return fa_str_eq(prog, "vsftpd");
}

static enum fa_status vsftpd_msg(void *state, const struct fa_envelope *env,
                              struct fa_event *out, const char **why)
{
    (void)state;
    (void)env;
    (void)out;
    (void)why;
    return FA_SKIP;
}

const struct fa_syslog_daemon fa_syslog_vsftpd = {
    .name = "vsftpd",
    .daemon = FA_DAEMON_VSFTPD,
    .state_size = 1,
    .match = vsftpd_match,
    .parse_msg = vsftpd_msg,
};
