/* STUB: replaced by the real parser. */
#include "registry.h"
#include "strutil.h"
#include "syslog.h"

static bool pureftpd_match(struct fa_str prog)
{
    return fa_str_eq(prog, "pure-ftpd");
}

static enum fa_status pureftpd_msg(void *state, const struct fa_envelope *env,
                              struct fa_event *out, const char **why)
{
    (void)state;
    (void)env;
    (void)out;
    (void)why;
    return FA_SKIP;
}

const struct fa_syslog_daemon fa_syslog_pureftpd = {
    .name = "pureftpd",
    .daemon = FA_DAEMON_PUREFTPD,
    .state_size = 1,
    .match = pureftpd_match,
    .parse_msg = pureftpd_msg,
};

static int pureftpd_clf_probe(const struct fa_line *l, size_t n)
{
    (void)l;
    (void)n;
    return 0;
}

static enum fa_status pureftpd_clf_parse(void *state, const struct fa_line *l,
                                struct fa_event *out, const char **why)
{
    (void)state;
    (void)l;
    (void)out;
    *why = "not implemented";
    return FA_INVALID;
}

const struct fa_parser fa_parser_pureftpd_clf = {
    .name = "pureftpd-clf",
    .summary = "Pure-FTPd altlog clf",
    .state_size = 1,
    .probe_lines = 20,
    .probe = pureftpd_clf_probe,
    .parse = pureftpd_clf_parse,
};

static int pureftpd_stats_probe(const struct fa_line *l, size_t n)
{
    (void)l;
    (void)n;
    return 0;
}

static enum fa_status pureftpd_stats_parse(void *state, const struct fa_line *l,
                                struct fa_event *out, const char **why)
{
    (void)state;
    (void)l;
    (void)out;
    *why = "not implemented";
    return FA_INVALID;
}

const struct fa_parser fa_parser_pureftpd_stats = {
    .name = "pureftpd-stats",
    .summary = "Pure-FTPd altlog stats",
    .state_size = 1,
    .probe_lines = 20,
    .probe = pureftpd_stats_probe,
    .parse = pureftpd_stats_parse,
};

static int pureftpd_w3c_probe(const struct fa_line *l, size_t n)
{
    (void)l;
    (void)n;
    return 0;
}

static enum fa_status pureftpd_w3c_parse(void *state, const struct fa_line *l,
                                struct fa_event *out, const char **why)
{
    (void)state;
    (void)l;
    (void)out;
    *why = "not implemented";
    return FA_INVALID;
}

const struct fa_parser fa_parser_pureftpd_w3c = {
    .name = "pureftpd-w3c",
    .summary = "Pure-FTPd altlog w3c",
    .state_size = 1,
    .probe_lines = 20,
    .probe = pureftpd_w3c_probe,
    .parse = pureftpd_w3c_parse,
};
