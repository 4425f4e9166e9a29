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

/*
 * Members are added with constant keys (cJSON_AddItemToObjectCS) and
 * constant words (rule ids, severities) as references: a large report has
 * millions of members, and a copy of each key was a malloc each and most
 * of the tree's memory.  Every key here is a literal; the printed text is
 * the same.
 */
static cJSON *add_item(cJSON *obj, const char *key, cJSON *item)
{
    cJSON_AddItemToObjectCS(obj, key, item);
    return item;
}

static void add_num(cJSON *obj, const char *key, double v)
{
    add_item(obj, key, cJSON_CreateNumber(v));
}

/* A string member copied (text this program made: stamps). */
static void add_str(cJSON *obj, const char *key, const char *s)
{
    add_item(obj, key, cJSON_CreateString(s));
}

/* A string member that refers to a constant word (never freed). */
static void add_word(cJSON *obj, const char *key, const char *s)
{
    add_item(obj, key, cJSON_CreateStringReference(s));
}

/* A string item as valid UTF-8 (fa_utf8_dup); mostly plain ASCII, which
 * cJSON then copies as it is. */
static cJSON *text_item(const char *s)
{
    size_t n = strlen(s);
    if (fa_ascii_run(s, n) == n) {
        return cJSON_CreateString(s);
    }
    char *clean = fa_utf8_dup(s, n);
    cJSON *item = cJSON_CreateString(clean);
    free(clean);
    return item;
}

/* A string member, as valid UTF-8, with a literal key. */
static void add_text(cJSON *obj, const char *key, const char *s)
{
    add_item(obj, key, text_item(s != NULL ? s : ""));
}

/* A string member of at most n bytes (a fixed field such as a country
 * code, which may fill its array). */
static void add_field(cJSON *obj, const char *key, const char *s, size_t n)
{
    char *clean = fa_utf8_dup(s, strnlen(s, n));
    add_item(obj, key, cJSON_CreateString(clean));
    free(clean);
}

static void add_time(cJSON *obj, const char *key, int64_t us)
{
    char buf[40];
    fa_time_rfc3339(us, buf);
    add_str(obj, key, buf);
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
    add_word(o, "rule", f->rule);
    add_word(o, "verdict", f->verdict);
    add_word(o, "severity", fa_severity_name(f->severity));
    add_num(o, "score", f->score);
    add_text(o, "user", f->user);
    add_text(o, "host", f->host);
    if (f->ip != NULL) {
        cJSON *src = add_item(o, "source", cJSON_CreateObject());
        add_text(src, "ip", f->ip);
        if (f->country[0]) {
            add_field(src, "country", f->country, 2);
        } else {
            add_item(src, "country", cJSON_CreateNull());
        }
        if (f->asn) {
            add_num(src, "asn", f->asn);
        } else {
            add_item(src, "asn", cJSON_CreateNull());
        }
        if (f->as_org && f->as_org[0]) {
            add_text(src, "as_org", f->as_org);
        }
    }
    add_time(o, "first_seen", f->first_us);
    add_time(o, "last_seen", f->last_us);
    cJSON *rules = add_item(o, "rules", cJSON_CreateArray());
    cJSON *techniques = add_item(o, "techniques", cJSON_CreateArray());
    for (size_t i = 0; i < f->nrules; i++) {
        cJSON_AddItemToArray(rules, cJSON_CreateStringReference(f->rules[i]));
        const struct fa_rule *r = rule_by_id(f->rules[i]);
        bool dup = false;
        const cJSON *t;
        cJSON_ArrayForEach(t, techniques)
        {
            dup = dup || (r && strcmp(t->valuestring, r->technique) == 0);
        }
        if (r != NULL && !dup) {
            cJSON_AddItemToArray(techniques,
                                 cJSON_CreateStringReference(r->technique));
        }
    }
    cJSON *reasons = add_item(o, "reasons", cJSON_CreateArray());
    for (size_t i = 0; i < f->nreasons; i++) {
        cJSON_AddItemToArray(reasons, text_item(f->reasons[i]));
    }
    cJSON *files = add_item(o, "files", cJSON_CreateArray());
    for (size_t i = 0; i < f->nfiles; i++) {
        cJSON_AddItemToArray(files, text_item(f->files[i]));
    }
    cJSON *counts = add_item(o, "counts", cJSON_CreateObject());
    add_num(counts, "uploads", (double)f->uploads);
    add_num(counts, "downloads", (double)f->downloads);
    add_num(counts, "deletes", (double)f->deletes);
    add_num(counts, "failed_logins", (double)f->failures);
    cJSON *ev = add_item(o, "evidence", cJSON_CreateArray());
    for (size_t i = 0; i < f->nevidence; i++) {
        cJSON *e = cJSON_CreateObject();
        add_text(e, "file", f->evidence[i].file);
        add_num(e, "line", (double)f->evidence[i].line);
        cJSON_AddItemToArray(ev, e);
    }
    return o;
}

/* Ranking: score, then severity, then the earliest first; the order
 * they were found breaks ties, so the report is the same every run. */
struct ranked {
    struct fa_finding_rank r;
    size_t i;
};

static int cmp_findings(const void *x, const void *y)
{
    const struct ranked *a = x, *b = y;
    if (a->r.score != b->r.score) {
        return b->r.score > a->r.score ? 1 : -1;
    }
    if (a->r.severity != b->r.severity) {
        return b->r.severity > a->r.severity ? 1 : -1;
    }
    if (a->r.first_us != b->r.first_us) {
        return a->r.first_us < b->r.first_us ? -1 : 1;
    }
    return a->i < b->i ? -1 : a->i > b->i;
}

struct account_key {
    int risk;
    const char *user, *host;
    size_t i;
};

static int cmp_accounts(const void *x, const void *y)
{
    const struct account_key *a = x, *b = y;
    if (a->risk != b->risk) {
        return b->risk > a->risk ? 1 : -1;
    }
    int c = strcmp(a->user, b->user);
    c = c ? c : strcmp(a->host, b->host);
    return c ? c : (a->i < b->i ? -1 : a->i > b->i);
}

int fa_report_max_severity(const struct fa_detect *d)
{
    int max = -1;
    for (size_t i = 0; i < fa_detect_nfindings(d); i++) {
        struct fa_finding_rank r;
        fa_detect_finding_rank(d, i, &r);
        if (!r.reported && (int)r.severity > max) {
            max = (int)r.severity;
        }
    }
    return max;
}

size_t *fa_report_ranked(const struct fa_detect *d, size_t *n)
{
    size_t nf = fa_detect_nfindings(d);
    struct ranked *v = calloc(nf + 1, sizeof(*v));
    size_t *idx = calloc(nf + 1, sizeof(*idx));
    if (v == NULL || idx == NULL) {
        abort();
    }
    size_t fresh = 0;
    for (size_t i = 0; i < nf; i++) {
        /* Findings an earlier run already reported stay in the state
         * file, not in this report. */
        fa_detect_finding_rank(d, i, &v[fresh].r);
        if (!v[fresh].r.reported) {
            v[fresh++].i = i;
        }
    }
    qsort(v, fresh, sizeof(*v), cmp_findings);
    for (size_t k = 0; k < fresh; k++) {
        idx[k] = v[k].i;
    }
    free(v);
    *n = fresh;
    return idx;
}

cJSON *fa_report_finding(struct fa_detect *d, size_t i)
{
    return finding_json(fa_detect_finding(d, i));
}

size_t *fa_report_accounts(const struct fa_detect *d, size_t *n)
{
    size_t na = fa_detect_naccounts(d);
    struct account_key *keys = calloc(na + 1, sizeof(*keys));
    size_t *idx = calloc(na + 1, sizeof(*idx));
    if (keys == NULL || idx == NULL) {
        abort();
    }
    for (size_t i = 0; i < na; i++) {
        fa_detect_account_rank(d, i, &keys[i].risk, &keys[i].user,
                               &keys[i].host);
        keys[i].i = i;
    }
    qsort(keys, na, sizeof(*keys), cmp_accounts);
    for (size_t i = 0; i < na; i++) {
        idx[i] = keys[i].i;
    }
    free(keys);
    *n = na;
    return idx;
}

cJSON *fa_report_account(struct fa_detect *d, size_t i)
{
    struct fa_account_summary sum;
    const struct fa_account_summary *a = &sum;
    fa_detect_account(d, i, &sum);
    cJSON *o = cJSON_CreateObject();
    add_text(o, "user", a->user);
    add_text(o, "host", a->host);
    add_num(o, "risk", a->risk);
    add_word(o, "severity",
             a->nfindings ? fa_severity_name(a->severity) : "none");
    add_word(o, "verdict", a->verdict);
    add_num(o, "findings", (double)a->nfindings);
    cJSON *b = add_item(o, "baseline", cJSON_CreateObject());
    add_num(b, "sessions", (double)a->sessions);
    if (a->sessions > 0) {
        add_time(b, "first_seen", a->first_us);
        add_time(b, "last_seen", a->last_us);
    }
    cJSON *cs = add_item(b, "countries", cJSON_CreateArray());
    for (size_t k = 0; k < a->ncountries; k++) {
        char cc[3];
        memcpy(cc, a->countries[k], 2);
        cc[2] = '\0';
        cJSON_AddItemToArray(cs, text_item(cc));
    }
    cJSON *ns = add_item(b, "networks", cJSON_CreateArray());
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
    add_item(b, "hours", cJSON_CreateIntArray(hours, 24));
    add_item(b, "weekdays", cJSON_CreateIntArray(days, 7));
    if (a->nfindings > 0) {
        /* The recent sessions, for a timeline of a flagged account. */
        cJSON *tl = add_item(o, "timeline", cJSON_CreateArray());
        for (size_t k = 0; k < a->ntimeline; k++) {
            const struct fa_session_summary *ss = a->timeline[k];
            cJSON *e = cJSON_CreateObject();
            add_time(e, "start", ss->start_us);
            add_time(e, "end", ss->end_us);
            add_text(e, "ip", ss->ip);
            add_text(e, "network", ss->network);
            if (ss->country[0]) {
                add_field(e, "country", ss->country, 2);
            }
            add_num(e, "score", ss->score);
            add_word(e, "severity",
                     fa_severity_name((enum fa_severity)ss->severity));
            add_num(e, "uploads", ss->uploads);
            add_num(e, "downloads", ss->downloads);
            add_num(e, "deletes", ss->deletes);
            cJSON_AddItemToArray(tl, e);
        }
    }
    return o;
}

cJSON *fa_report_totals(const struct fa_detect *d)
{
    struct fa_detect_totals t;
    fa_detect_totals(d, &t);
    cJSON *tot = cJSON_CreateObject();
    add_num(tot, "events", (double)t.events);
    add_num(tot, "sessions", (double)t.sessions);
    add_num(tot, "logins", (double)t.logins);
    add_num(tot, "failed_logins", (double)t.failed_logins);
    add_num(tot, "accounts", (double)t.accounts);
    add_num(tot, "addresses", (double)t.addresses);
    return tot;
}

/* Items idx[0..n) made by item into arr; frees idx. */
static void add_items(cJSON *arr, struct fa_detect *d, size_t *idx, size_t n,
                      cJSON *(*item)(struct fa_detect *, size_t))
{
    for (size_t i = 0; i < n; i++) {
        cJSON_AddItemToArray(arr, item(d, idx[i]));
    }
    free(idx);
}

cJSON *fa_report_json(struct fa_detect *d)
{
    cJSON *root = cJSON_CreateObject();
    size_t n;
    size_t *idx = fa_report_ranked(d, &n);
    add_items(add_item(root, "findings", cJSON_CreateArray()), d, idx, n,
              fa_report_finding);
    idx = fa_report_accounts(d, &n);
    add_items(add_item(root, "accounts", cJSON_CreateArray()), d, idx, n,
              fa_report_account);
    add_item(root, "totals", fa_report_totals(d));
    return root;
}
