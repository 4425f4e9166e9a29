/* STUB: replaced by the real parser. */
#include "registry.h"
#include "strutil.h"
#include "syslog.h"

static int proftpd_extended_probe(const struct fa_line *l, size_t n)
{
    (void)l;
    (void)n;
    return 0;
}

static enum fa_status proftpd_extended_parse(void *state, const struct fa_line *l,
                                struct fa_event *out, const char **why)
{
    (void)state;
    (void)l;
    (void)out;
    *why = "not implemented";
    return FA_INVALID;
}

const struct fa_parser fa_parser_proftpd_extended = {
    .name = "proftpd-extended",
    .summary = "ProFTPD ExtendedLog (default or --proftpd-logformat), IONOS ftp.log",
    .state_size = 1,
    .probe_lines = 20,
    .probe = proftpd_extended_probe,
    .parse = proftpd_extended_parse,
};

static int combell_probe(const struct fa_line *l, size_t n)
{
    (void)l;
    (void)n;
    return 0;
}

static enum fa_status combell_parse(void *state, const struct fa_line *l,
                                struct fa_event *out, const char **why)
{
    (void)state;
    (void)l;
    (void)out;
    *why = "not implemented";
    return FA_INVALID;
}

const struct fa_parser fa_parser_combell = {
    .name = "combell",
    .summary = "Combell logs/xferlog command log",
    .state_size = 1,
    .probe_lines = 20,
    .probe = combell_probe,
    .parse = combell_parse,
};
