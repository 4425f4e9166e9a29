#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "detect_int.h"

cJSON *fa_json_add_text(cJSON *obj, const char *key, const char *s, size_t n)
{
    char *clean = fa_utf8_dup(s ? s : "", s ? n : 0);
    cJSON *item = cJSON_AddStringToObject(obj, key, clean);
    free(clean);
    return item;
}

static void add_time(cJSON *obj, const char *key, int64_t us)
{
    char buf[40];
    fa_time_rfc3339(us, buf);
    cJSON_AddStringToObject(obj, key, buf);
}

static cJSON *text_item(const char *s)
{
    char *clean = fa_utf8_dup(s, strlen(s));
    cJSON *item = cJSON_CreateString(clean);
    free(clean);
    return item;
}

static const struct fa_rule *rule_by_id(const char *id)
{
    for (size_t i = 0; i < fa_nrules; i++) {
        if (strcmp(fa_rules[i].id, id) == 0) {
            return &fa_rules[i];
        }
    }
    return NULL;
}

static cJSON *finding_json(const struct fa_finding *f)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "rule", f->rule);
    cJSON_AddStringToObject(o, "verdict", f->verdict);
    cJSON_AddStringToObject(o, "severity", fa_severity_name(f->severity));
    cJSON_AddNumberToObject(o, "score", f->score);
    fa_json_add_text(o, "user", f->user, strlen(f->user));
    fa_json_add_text(o, "host", f->host, strlen(f->host));
    if (f->ip != NULL) {
        cJSON *src = cJSON_AddObjectToObject(o, "source");
        fa_json_add_text(src, "ip", f->ip, strlen(f->ip));
        if (f->country[0]) {
            cJSON_AddStringToObject(src, "country", f->country);
        } else {
            cJSON_AddNullToObject(src, "country");
        }
        if (f->asn) {
            cJSON_AddNumberToObject(src, "asn", f->asn);
        } else {
            cJSON_AddNullToObject(src, "asn");
        }
        if (f->as_org && f->as_org[0]) {
            fa_json_add_text(src, "as_org", f->as_org, strlen(f->as_org));
        }
    }
    add_time(o, "first_seen", f->first_us);
    add_time(o, "last_seen", f->last_us);
    cJSON *rules = cJSON_AddArrayToObject(o, "rules");
    cJSON *techniques = cJSON_AddArrayToObject(o, "techniques");
    for (size_t i = 0; i < f->nrules; i++) {
        cJSON_AddItemToArray(rules, cJSON_CreateString(f->rules[i]));
        const struct fa_rule *r = rule_by_id(f->rules[i]);
        bool dup = false;
        const cJSON *t;
        cJSON_ArrayForEach(t, techniques)
        {
            dup = dup || (r && strcmp(t->valuestring, r->technique) == 0);
        }
        if (r != NULL && !dup) {
            cJSON_AddItemToArray(techniques,
                                 cJSON_CreateString(r->technique));
        }
    }
    cJSON *reasons = cJSON_AddArrayToObject(o, "reasons");
    for (size_t i = 0; i < f->nreasons; i++) {
        cJSON_AddItemToArray(reasons, text_item(f->reasons[i]));
    }
    cJSON *files = cJSON_AddArrayToObject(o, "files");
    for (size_t i = 0; i < f->nfiles; i++) {
        cJSON_AddItemToArray(files, text_item(f->files[i]));
    }
    cJSON *counts = cJSON_AddObjectToObject(o, "counts");
    cJSON_AddNumberToObject(counts, "uploads", (double)f->uploads);
    cJSON_AddNumberToObject(counts, "downloads", (double)f->downloads);
    cJSON_AddNumberToObject(counts, "deletes", (double)f->deletes);
    cJSON_AddNumberToObject(counts, "failed_logins", (double)f->failures);
    cJSON *ev = cJSON_AddArrayToObject(o, "evidence");
    for (size_t i = 0; i < f->nevidence; i++) {
        cJSON *e = cJSON_CreateObject();
        fa_json_add_text(e, "file", f->evidence[i].file,
                         strlen(f->evidence[i].file));
        cJSON_AddNumberToObject(e, "line", (double)f->evidence[i].line);
        cJSON_AddItemToArray(ev, e);
    }
    return o;
}

static int cmp_findings(const void *x, const void *y)
{
    const struct fa_finding *a = *(const struct fa_finding *const *)x;
    const struct fa_finding *b = *(const struct fa_finding *const *)y;
    if (a->score != b->score) {
        return b->score - a->score;
    }
    if (a->severity != b->severity) {
        return (int)b->severity - (int)a->severity;
    }
    return a->first_us < b->first_us ? -1 : a->first_us > b->first_us;
}

static int cmp_accounts(const void *x, const void *y)
{
    const struct fa_account_summary *a = x, *b = y;
    if (a->risk != b->risk) {
        return b->risk - a->risk;
    }
    int c = strcmp(a->user, b->user);
    return c ? c : strcmp(a->host, b->host);
}

int fa_report_max_severity(const struct fa_detect *d)
{
    int max = -1;
    for (size_t i = 0; i < fa_detect_nfindings(d); i++) {
        const struct fa_finding *f = fa_detect_finding(d, i);
        int s = (int)f->severity;
        if (!f->reported) {
            max = s > max ? s : max;
        }
    }
    return max;
}

cJSON *fa_report_json(const struct fa_detect *d)
{
    cJSON *root = cJSON_CreateObject();
    size_t nf = fa_detect_nfindings(d);
    const struct fa_finding **sorted = calloc(nf + 1, sizeof(*sorted));
    if (sorted == NULL) {
        abort();
    }
    size_t fresh = 0;
    for (size_t i = 0; i < nf; i++) {
        /* Findings an earlier run already reported stay in the state
         * file, not in this report. */
        if (!fa_detect_finding(d, i)->reported) {
            sorted[fresh++] = fa_detect_finding(d, i);
        }
    }
    nf = fresh;
    qsort(sorted, nf, sizeof(*sorted), cmp_findings);
    cJSON *findings = cJSON_AddArrayToObject(root, "findings");
    for (size_t i = 0; i < nf; i++) {
        cJSON_AddItemToArray(findings, finding_json(sorted[i]));
    }
    free(sorted);

    size_t na = fa_detect_naccounts(d);
    struct fa_account_summary *acc = calloc(na + 1, sizeof(*acc));
    if (acc == NULL) {
        abort();
    }
    for (size_t i = 0; i < na; i++) {
        fa_detect_account(d, i, &acc[i]);
    }
    qsort(acc, na, sizeof(*acc), cmp_accounts);
    cJSON *accounts = cJSON_AddArrayToObject(root, "accounts");
    for (size_t i = 0; i < na; i++) {
        const struct fa_account_summary *a = &acc[i];
        cJSON *o = cJSON_CreateObject();
        fa_json_add_text(o, "user", a->user, strlen(a->user));
        fa_json_add_text(o, "host", a->host, strlen(a->host));
        cJSON_AddNumberToObject(o, "risk", a->risk);
        cJSON_AddStringToObject(o, "severity",
                                a->nfindings ? fa_severity_name(a->severity)
                                             : "none");
        cJSON_AddStringToObject(o, "verdict", a->verdict);
        cJSON_AddNumberToObject(o, "findings", (double)a->nfindings);
        cJSON *b = cJSON_AddObjectToObject(o, "baseline");
        cJSON_AddNumberToObject(b, "sessions", (double)a->sessions);
        if (a->sessions > 0) {
            add_time(b, "first_seen", a->first_us);
            add_time(b, "last_seen", a->last_us);
        }
        cJSON *cs = cJSON_AddArrayToObject(b, "countries");
        for (size_t k = 0; k < a->ncountries; k++) {
            cJSON_AddItemToArray(cs, cJSON_CreateString(a->countries[k]));
        }
        cJSON *ns = cJSON_AddArrayToObject(b, "networks");
        for (size_t k = 0; k < a->nnetworks; k++) {
            cJSON_AddItemToArray(ns, text_item(a->networks[k]));
        }
        int hours[24], days[7];
        for (int k = 0; k < 24; k++) {
            hours[k] = (int)a->hours[k];
        }
        for (int k = 0; k < 7; k++) {
            days[k] = (int)a->weekdays[k];
        }
        cJSON_AddItemToObject(b, "hours", cJSON_CreateIntArray(hours, 24));
        cJSON_AddItemToObject(b, "weekdays", cJSON_CreateIntArray(days, 7));
        if (a->nfindings > 0) {
            /* The recent sessions, for a timeline of a flagged account. */
            cJSON *tl = cJSON_AddArrayToObject(o, "timeline");
            for (size_t k = 0; k < a->ntimeline; k++) {
                const struct fa_session_summary *ss = a->timeline[k];
                cJSON *e = cJSON_CreateObject();
                add_time(e, "start", ss->start_us);
                add_time(e, "end", ss->end_us);
                fa_json_add_text(e, "ip", ss->ip, strlen(ss->ip));
                fa_json_add_text(e, "network", ss->network,
                                 strlen(ss->network));
                if (ss->country[0]) {
                    cJSON_AddStringToObject(e, "country", ss->country);
                }
                cJSON_AddNumberToObject(e, "score", ss->score);
                cJSON_AddStringToObject(
                    e, "severity",
                    fa_severity_name((enum fa_severity)ss->severity));
                cJSON_AddNumberToObject(e, "uploads", ss->uploads);
                cJSON_AddNumberToObject(e, "downloads", ss->downloads);
                cJSON_AddNumberToObject(e, "deletes", ss->deletes);
                cJSON_AddItemToArray(tl, e);
            }
        }
        cJSON_AddItemToArray(accounts, o);
    }
    free(acc);

    struct fa_detect_totals t;
    fa_detect_totals(d, &t);
    cJSON *tot = cJSON_AddObjectToObject(root, "totals");
    cJSON_AddNumberToObject(tot, "events", (double)t.events);
    cJSON_AddNumberToObject(tot, "sessions", (double)t.sessions);
    cJSON_AddNumberToObject(tot, "logins", (double)t.logins);
    cJSON_AddNumberToObject(tot, "failed_logins", (double)t.failed_logins);
    cJSON_AddNumberToObject(tot, "accounts", (double)t.accounts);
    cJSON_AddNumberToObject(tot, "addresses", (double)t.addresses);
    return root;
}
