#include "registry.h"

#include <stdbool.h>
#include <string.h>

static const struct fa_parser *const parsers[] = {
    &fa_parser_vsftpd,
    &fa_parser_vsftpd_syslog,
    &fa_parser_xferlog,
    &fa_parser_proftpd_systemlog,
    &fa_parser_proftpd_syslog,
    &fa_parser_proftpd_extended,
    &fa_parser_proftpd_sftplog,
    &fa_parser_combell,
    &fa_parser_openssh,
    &fa_parser_ionos_sftp,
    &fa_parser_pureftpd,
    &fa_parser_pureftpd_clf,
    &fa_parser_pureftpd_stats,
    &fa_parser_pureftpd_w3c,
    NULL,
};

const struct fa_parser *const *fa_parsers(void)
{
    return parsers;
}

const struct fa_parser *fa_parser_find(const char *name)
{
    for (size_t i = 0; parsers[i] != NULL; i++) {
        if (strcmp(parsers[i]->name, name) == 0) {
            return parsers[i];
        }
    }
    return NULL;
}

const struct fa_parser *fa_parser_detect(const struct fa_line *lines,
                                         size_t n, int *score)
{
    const struct fa_parser *best = NULL;
    int best_score = 0;
    bool tie = false;
    for (size_t i = 0; parsers[i] != NULL; i++) {
        size_t k = n < parsers[i]->probe_lines ? n : parsers[i]->probe_lines;
        int s = k > 0 ? parsers[i]->probe(lines, k) : 0;
        if (s > best_score) {
            best_score = s;
            best = parsers[i];
            tie = false;
        } else if (s == best_score && best != NULL &&
                   parsers[i]->parse != best->parse) {
            /* A tie between descriptors that read alike (the syslog
             * family) is no ambiguity; the first listed names it. */
            tie = true;
        }
    }
    if (score != NULL) {
        *score = best_score;
    }
    if (best_score < FA_PROBE_MIN || tie) {
        return NULL;
    }
    return best;
}
