/*
 * Detection: events in time order go in; sessions, per-account baselines,
 * rule signals and scored findings come out.
 *
 * Each successful login (or, in transfer-only logs, each burst of file
 * operations) opens a session keyed by host, user and client address; a
 * session ends after config.session_gap seconds without activity.  When it
 * ends it is judged against the account's baseline as it stood before the
 * session, then the baseline learns from it.  So history is always learned
 * in time order before an event is judged.
 */
#ifndef FA_ANALYSIS_DETECT_H
#define FA_ANALYSIS_DETECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "event.h"
#include "geo.h"

enum fa_severity {
    FA_SEV_INFO = 0,
    FA_SEV_LOW,
    FA_SEV_MEDIUM,
    FA_SEV_HIGH,
    FA_SEV_CRITICAL,
};

const char *fa_severity_name(enum fa_severity s);
/* -1 when the name is none of info/low/medium/high/critical. */
int fa_severity_from_name(const char *name);

#define FA_MAX_REASONS 12
#define FA_MAX_EVIDENCE 24

struct fa_evidence {
    const char *file;   /* interned, owned by the detector */
    uint64_t line;
};

struct fa_finding {
    const char *rule;            /* rule id, or "stolen-credential-login" */
    const char *verdict;         /* plain words for the account list */
    enum fa_severity severity;
    int score;                   /* 0..100 */
    char *user, *host, *ip;      /* ip NULL when not tied to an address */
    char country[3];
    uint32_t asn;
    char *as_org;
    int64_t first_us, last_us;
    size_t nreasons;
    char *reasons[FA_MAX_REASONS];
    size_t nrules;
    const char *rules[16];       /* every rule that fired */
    size_t nfiles;
    char **files;                /* every path written, for restoring */
    size_t nevidence;
    struct fa_evidence evidence[FA_MAX_EVIDENCE];
    uint64_t uploads, downloads, deletes, failures;
    bool reported;               /* went out in an earlier run */
};

struct fa_detect;

/* An unlinked temporary file in $TMPDIR (/tmp when unset), its name
 * starting "ftpaudit-<name>.": its descriptor, or -1. */
int fa_scratch_open(const char *name);

/* geo may be NULL or empty (network novelty only).  cfg is copied. */
struct fa_detect *fa_detect_create(const struct fa_config *cfg,
                                   struct fa_geo *geo);

/* Feed one event; events come in time order (small disorder is
 * tolerated). */
void fa_detect_event(struct fa_detect *d, const struct fa_event *ev);

/* Promise that each event's file name (ev->file) is text that does not
 * change while d lives, as fa_input's names are: d then tells names
 * apart by their address, without reading them for each event. */
void fa_detect_stable_files(struct fa_detect *d);

/* What fa_detect_event works out from an event alone (its hashes, the
 * kinds of its names), so that another thread can take it beforehand. */
struct fa_prepared {
    bool ascii, ascii2;   /* path, path2 are ASCII without NUL */
    uint8_t kind, kind2;  /* and then their kinds */
    uint32_t print;       /* and then path's print (see struct op) */
    uint64_t uh, id, ih;  /* user, account and address hashes */
};

/* Fill *p for ev.  Reads only what fa_detect_create set up, so it may run
 * on another thread while d takes events. */
void fa_detect_prepare(const struct fa_detect *d, const struct fa_event *ev,
                       struct fa_prepared *p);

/* fa_detect_event with *p from fa_detect_prepare for the same event. */
void fa_detect_event_prepared(struct fa_detect *d, const struct fa_event *ev,
                              const struct fa_prepared *p);

/* End of input: close every open session and make the last findings. */
void fa_detect_finish(struct fa_detect *d);

/* Mark every finding as reported (after a completed run with a state
 * file, so the next run reports only new ones). */
void fa_detect_mark_reported(struct fa_detect *d);

size_t fa_detect_nfindings(const struct fa_detect *d);

/* What ranks finding i (kept in memory; the finding itself is not). */
struct fa_finding_rank {
    int score;
    enum fa_severity severity;
    bool reported;
    int64_t first_us;
};
void fa_detect_finding_rank(const struct fa_detect *d, size_t i,
                            struct fa_finding_rank *out);

/* Finding i, read back from the spool: valid until the next call (one
 * finding is in memory at a time). */
const struct fa_finding *fa_detect_finding(struct fa_detect *d, size_t i);

/* One judged session, for timelines. */
struct fa_session_summary {
    int64_t start_us, end_us;
    char ip[48];
    char network[48];
    char country[3];
    uint8_t score;
    uint8_t severity;
    uint16_t uploads, downloads, deletes;
};

/* Sessions kept per account for its timeline (the most recent). */
#define FA_TIMELINE_MAX 64

/* Per-account summary, for the report. */
struct fa_account_summary {
    const char *host, *user;
    int risk;                    /* highest finding score */
    enum fa_severity severity;
    const char *verdict;
    size_t nfindings;
    uint64_t sessions;
    int64_t first_us, last_us;
    size_t ncountries;
    char countries[8][3];        /* most used first */
    size_t nnetworks;
    char networks[8][48];        /* most used first, "198.51.100.0/24" */
    uint32_t hours[24];          /* sessions started per local hour of day */
    uint32_t weekdays[7];        /* per day of week, Monday first */
    size_t ntimeline;            /* oldest first */
    const struct fa_session_summary *timeline[FA_TIMELINE_MAX];
};

size_t fa_detect_naccounts(const struct fa_detect *d);
/* What ranks account i: its risk, user and host. */
void fa_detect_account_rank(const struct fa_detect *d, size_t i, int *risk,
                            const char **user, const char **host);
void fa_detect_account(const struct fa_detect *d, size_t i,
                       struct fa_account_summary *out);

/* Totals for the report. */
struct fa_detect_totals {
    uint64_t events, sessions, logins, failed_logins, accounts, addresses;
};
void fa_detect_totals(const struct fa_detect *d, struct fa_detect_totals *t);

void fa_detect_destroy(struct fa_detect *d);

/* The rule table, for list-rules and the docs: id, name, description,
 * MITRE ATT&CK technique and default weight of rule i (< fa_rule_count()). */
size_t fa_rule_count(void);
void fa_rule_info(size_t i, const char **id, const char **name,
                  const char **description, const char **technique,
                  int *weight);

#endif
