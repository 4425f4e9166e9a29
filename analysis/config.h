/*
 * Detection settings: every rule threshold with its documented default,
 * and a JSON config file that may override any of them (cJSON).
 */
#ifndef FA_ANALYSIS_CONFIG_H
#define FA_ANALYSIS_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define FA_MAX_EXTS 32

struct fa_config {
    /* Learning: an account's novelty rules wait until it has this many
     * sessions or this many days of history. */
    int learn_sessions;          /* 5 */
    int learn_days;              /* 14 */
    int session_gap;             /* 1800 s without activity ends a session */

    int burst_window;            /* 600 s */
    int burst_ips;               /* 4 distinct addresses in the window */
    int fail_window;             /* 3600 s */
    int fail_min;                /* 10 failures before a success */
    int cross_window;            /* 3600 s */
    int cross_accounts;          /* 3 accounts new to one address */
    int travel_window;           /* 7200 s between two countries */
    int business_start;          /* 7 (local hour, fallback off-hours) */
    int business_end;            /* 20 */
    int offhours_min_history;    /* 10 sessions before habits decide */
    double offhours_share;       /* 0.02 of the account's activity */
    int bulk_min_files;          /* 10 existing web files in a session */
    double bulk_factor;          /* 3 x the account's usual per session */
    int reupload_window;         /* 20 s from download to upload */
    int reupload_min_files;      /* 1 */
    int reupload_grew_files;     /* 2 re-uploads that came back larger */
    int fail_on_brute;           /* 20 failures make the info finding */

    /* Score at or above which a finding has that severity. */
    int sev_low, sev_medium, sev_high, sev_critical;  /* 20 40 70 90 */

    /* Rule weights, by rule index (see rules.c); 0 disables a rule. */
    int weight[32];

    size_t nweb, nscript;
    char web_exts[FA_MAX_EXTS][12];     /* .html .htm .php .js ... */
    char script_exts[FA_MAX_EXTS][12];  /* .php .phtml .asp ... */
};

/* Fill the defaults. */
void fa_config_defaults(struct fa_config *c);

/* Read a JSON config file over the defaults.  Returns 0, or -1 with a
 * message in err: unreadable, not JSON, an unknown key, a wrong type or a
 * value out of range.  Unknown keys are errors so typos do not pass. */
int fa_config_load(struct fa_config *c, const char *path, char *err,
                   size_t size);

/* Same, from text in memory (for tests and the fuzzer). */
int fa_config_parse(struct fa_config *c, const char *text, size_t len,
                    char *err, size_t size);

#endif
