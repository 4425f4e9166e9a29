/*
 * The JSON report of a scan (cJSON): findings, accounts and totals.  The
 * caller adds what it knows of the inputs.  Every string from a log goes
 * through fa_utf8_dup(), so the document is valid UTF-8 for any bytes in.
 */
#ifndef FA_ANALYSIS_REPORT_H
#define FA_ANALYSIS_REPORT_H

#include <cjson/cJSON.h>

#include "detect.h"

/* A new object {"findings": [...], "accounts": [...], "totals": {...}},
 * findings ranked by score.  The caller owns it (cJSON_Delete). */
cJSON *fa_report_json(struct fa_detect *d);

/* The same document in pieces, for writers that stream it instead of
 * holding it whole (a long run's findings are on disk, not in memory):
 * the indices of this run's findings, best first (free() them); finding
 * i as its object (read back from the spool); the indices of the
 * accounts, most at risk first (free() them), and account i as its
 * object; the totals. */
size_t *fa_report_ranked(const struct fa_detect *d, size_t *n);
cJSON *fa_report_finding(struct fa_detect *d, size_t i);
size_t *fa_report_accounts(const struct fa_detect *d, size_t *n);
cJSON *fa_report_account(struct fa_detect *d, size_t i);
cJSON *fa_report_totals(const struct fa_detect *d);

/* Add a string member made valid UTF-8. */
cJSON *fa_json_add_text(cJSON *obj, const char *key, const char *s, size_t n);

/* Highest severity among the findings; -1 when there are none. */
int fa_report_max_severity(const struct fa_detect *d);

#endif
