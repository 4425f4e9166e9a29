/*
 * SIEM streams: the findings of a scan as ECS alerts (--format ndjson) or
 * OCSF Detection Findings (--format ocsf), and each normalized event as an
 * OCSF record (--format ocsf --events).  docs/siem/README.md documents
 * every field and the choices made here.
 *
 * Findings are few, so they are built from the report document with cJSON;
 * events can be millions, so they go through the jw writer.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/detect.h"
#include "cli.h"
#include "config.h"

/* The schema versions the output follows. */
#define ECS_VERSION "8.11.0"
#define OCSF_VERSION "1.3.0"

#define PRODUCT "ftpaudit"

/* ---- shared helpers ---------------------------------------------------- */

static const char *get_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double get_num(const cJSON *o, const char *key, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

static const cJSON *get_arr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsArray(v) ? v : NULL;
}

/* A string for a mandatory member: never NULL. */
static const char *str_or(const cJSON *o, const char *key, const char *dflt)
{
    const char *s = get_str(o, key);
    return s != NULL ? s : dflt;
}

static bool nonempty(const char *s)
{
    return s != NULL && s[0] != '\0';
}

/* SIEMs index address fields as IP types and reject the whole record when
 * one does not parse, so only strict addresses go there; anything else
 * (a host name, a damaged field) goes to a name field. */
static bool is_ip_text(const char *s, size_t n)
{
    char buf[INET6_ADDRSTRLEN + 1];
    unsigned char bin[sizeof(struct in6_addr)];
    if (n == 0 || n >= sizeof(buf)) {
        return false;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    return inet_pton(AF_INET, buf, bin) == 1 ||
           inet_pton(AF_INET6, buf, bin) == 1;
}

static void print_line(FILE *out, const cJSON *doc)
{
    char *text = cJSON_PrintUnformatted(doc);
    if (text == NULL) {
        abort();
    }
    fputs(text, out);
    fputc('\n', out);
    cJSON_free(text);
}

/* Epoch milliseconds of the report's "YYYY-MM-DDTHH:MM:SS[.f...]Z" stamps;
 * -1 when s is not one. */
static int64_t stamp_ms(const char *s)
{
    if (s == NULL || strlen(s) < 20 || s[4] != '-' || s[7] != '-' ||
        s[10] != 'T' || s[13] != ':' || s[16] != ':') {
        return -1;
    }
    struct fa_civil c = {
        .year = fa_digits(s, 4),
        .mon = fa_digits(s + 5, 2),
        .day = fa_digits(s + 8, 2),
        .hour = fa_digits(s + 11, 2),
        .min = fa_digits(s + 14, 2),
        .sec = fa_digits(s + 17, 2),
    };
    if (!fa_civil_valid(&c)) {
        return -1;
    }
    int64_t ms = 0, scale = 100;
    const char *p = s + 19;
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++) {
            ms += (*p - '0') * scale;
            scale /= 10;
        }
    }
    if (p[0] != 'Z' || p[1] != '\0') {
        return -1;
    }
    return fa_civil_to_epoch(&c) * 1000 + ms;
}

/* Severity index 0 (info) .. 4 (critical) of a finding. */
static int severity_of(const cJSON *f)
{
    const char *name = get_str(f, "severity");
    int s = name != NULL ? fa_severity_from_name(name) : -1;
    return s < 0 ? FA_SEV_INFO : s;
}

/* ECS event.severity per severity: the default risk scores Elastic
 * Security gives its own low/medium/high/critical rules, so ftpaudit
 * alerts sort among them; info sits below all. */
static const int ecs_severity[] = {1, 21, 47, 73, 99};

/* OCSF severity_id 1..5 is Informational..Critical in the same order. */
static const char *const ocsf_severity[] = {"Informational", "Low", "Medium",
                                           "High", "Critical"};

/* Name and description of a rule id; the verdict rule is not in the
 * table, it stands for the signals listed with it. */
static void rule_text(const char *id, const char **name, const char **desc)
{
    if (strcmp(id, "stolen-credential-login") == 0) {
        *name = "Likely stolen-credential login";
        *desc = "A login whose signals together reach high severity: where "
                "it came from, what it did and how that compares with the "
                "account's history (see ftpaudit.rules).";
        return;
    }
    for (size_t i = 0; i < fa_rule_count(); i++) {
        const char *rid, *tech;
        int weight;
        fa_rule_info(i, &rid, name, desc, &tech, &weight);
        if (strcmp(rid, id) == 0) {
            return;
        }
    }
    *name = id;
    *desc = id;
}

/* The MITRE ATT&CK techniques the rules name (ftpaudit list-rules), with the
 * tactic each serves here. */
static const struct technique {
    const char *id, *name, *tactic_id, *tactic_name;
} techniques[] = {
    {"T1078", "Valid Accounts", "TA0001", "Initial Access"},
    {"T1110", "Brute Force", "TA0006", "Credential Access"},
    {"T1505", "Server Software Component", "TA0003", "Persistence"},
    {"T1505.003", "Web Shell", "TA0003", "Persistence"},
    {"T1565", "Data Manipulation", "TA0040", "Impact"},
    {"T1565.001", "Stored Data Manipulation", "TA0040", "Impact"},
};

static const struct technique *technique_find(const char *id, size_t n)
{
    for (size_t i = 0; i < sizeof(techniques) / sizeof(techniques[0]); i++) {
        if (strlen(techniques[i].id) == n &&
            memcmp(techniques[i].id, id, n) == 0) {
            return &techniques[i];
        }
    }
    return NULL;
}

/* A technique reference: https://attack.mitre.org/techniques/T1565/001/ */
static void technique_url(char *buf, size_t size, const char *id)
{
    const char *dot = strchr(id, '.');
    if (dot != NULL) {
        snprintf(buf, size, "https://attack.mitre.org/techniques/%.*s/%s/",
                 (int)(dot - id), id, dot + 1);
    } else {
        snprintf(buf, size, "https://attack.mitre.org/techniques/%s/", id);
    }
}

static bool array_has(const cJSON *arr, const char *s)
{
    const cJSON *v;
    cJSON_ArrayForEach(v, arr)
    {
        if (cJSON_IsString(v) && strcmp(v->valuestring, s) == 0) {
            return true;
        }
    }
    return false;
}

static void add_unique(cJSON *arr, const char *s)
{
    if (!array_has(arr, s)) {
        cJSON_AddItemToArray(arr, cJSON_CreateString(s));
    }
}

/* FNV-1a over what makes a finding itself (rule, account, address, first
 * time, first evidence line), so a re-scan of the same logs gives the same
 * id and a SIEM can drop the copy. */
static uint64_t fnv_add(uint64_t h, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;
         p++) {
        h = (h ^ *p) * 1099511628211ULL;
    }
    return (h ^ 0x1f) * 1099511628211ULL;   /* field separator */
}

static void finding_uid(const cJSON *f, char out[17])
{
    const cJSON *ev0 = cJSON_GetArrayItem(get_arr(f, "evidence"), 0);
    char line[24];
    snprintf(line, sizeof(line), "%.0f", get_num(ev0, "line", 0));
    uint64_t h = 1469598103934665603ULL;
    h = fnv_add(h, get_str(f, "rule"));
    h = fnv_add(h, get_str(f, "user"));
    h = fnv_add(h, get_str(f, "host"));
    h = fnv_add(h, get_str(cJSON_GetObjectItemCaseSensitive(f, "source"),
                           "ip"));
    h = fnv_add(h, get_str(f, "first_seen"));
    h = fnv_add(h, get_str(ev0, "file"));
    h = fnv_add(h, line);
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* The reasons in one line, for ECS message and OCSF message. */
static char *reasons_text(const cJSON *f)
{
    size_t n = 1;
    const cJSON *r;
    cJSON_ArrayForEach(r, get_arr(f, "reasons"))
    {
        if (cJSON_IsString(r)) {
            n += strlen(r->valuestring) + 2;
        }
    }
    char *text = malloc(n);
    if (text == NULL) {
        abort();
    }
    size_t len = 0;
    cJSON_ArrayForEach(r, get_arr(f, "reasons"))
    {
        if (!cJSON_IsString(r)) {
            continue;
        }
        if (len > 0) {
            memcpy(text + len, "; ", 2);
            len += 2;
        }
        size_t k = strlen(r->valuestring);
        memcpy(text + len, r->valuestring, k);
        len += k;
    }
    text[len] = '\0';
    return text;
}

static bool touches_files(const cJSON *f)
{
    const cJSON *counts = cJSON_GetObjectItemCaseSensitive(f, "counts");
    const cJSON *files = get_arr(f, "files");
    return cJSON_GetArraySize(files) > 0 ||
           get_num(counts, "uploads", 0) + get_num(counts, "downloads", 0) +
                   get_num(counts, "deletes", 0) >
               0;
}

static void add_copy(cJSON *to, const char *key, const cJSON *from)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(from, key);
    if (v != NULL) {
        cJSON_AddItemToObject(to, key, cJSON_Duplicate(v, true));
    }
}

/* ---- ECS alerts -------------------------------------------------------- */

static void ecs_threat(cJSON *doc, const cJSON *f)
{
    const cJSON *list = get_arr(f, "techniques");
    if (cJSON_GetArraySize(list) == 0) {
        return;
    }
    cJSON *threat = cJSON_AddObjectToObject(doc, "threat");
    cJSON_AddStringToObject(threat, "framework", "MITRE ATT&CK");
    cJSON *tactic = cJSON_AddObjectToObject(threat, "tactic");
    cJSON *ta_id = cJSON_AddArrayToObject(tactic, "id");
    cJSON *ta_name = cJSON_AddArrayToObject(tactic, "name");
    cJSON *tech = cJSON_AddObjectToObject(threat, "technique");
    cJSON *t_id = cJSON_AddArrayToObject(tech, "id");
    cJSON *t_name = cJSON_AddArrayToObject(tech, "name");
    cJSON *t_ref = cJSON_AddArrayToObject(tech, "reference");
    cJSON *sub = NULL, *s_id = NULL, *s_name = NULL, *s_ref = NULL;
    char url[96], parent[16];
    const cJSON *v;
    cJSON_ArrayForEach(v, list)
    {
        if (!cJSON_IsString(v) || strlen(v->valuestring) >= sizeof(parent)) {
            continue;
        }
        const char *id = v->valuestring;
        const char *dot = strchr(id, '.');
        size_t plen = dot ? (size_t)(dot - id) : strlen(id);
        memcpy(parent, id, plen);
        parent[plen] = '\0';
        const struct technique *pt = technique_find(parent, plen);
        /* ECS keeps sub-techniques apart: technique.id holds the parent. */
        if (!array_has(t_id, parent)) {
            cJSON_AddItemToArray(t_id, cJSON_CreateString(parent));
            cJSON_AddItemToArray(t_name,
                                 cJSON_CreateString(pt ? pt->name : parent));
            technique_url(url, sizeof(url), parent);
            cJSON_AddItemToArray(t_ref, cJSON_CreateString(url));
        }
        if (pt != NULL && !array_has(ta_id, pt->tactic_id)) {
            cJSON_AddItemToArray(ta_id, cJSON_CreateString(pt->tactic_id));
            cJSON_AddItemToArray(ta_name,
                                 cJSON_CreateString(pt->tactic_name));
        }
        if (dot == NULL) {
            continue;
        }
        if (sub == NULL) {
            sub = cJSON_AddObjectToObject(tech, "subtechnique");
            s_id = cJSON_AddArrayToObject(sub, "id");
            s_name = cJSON_AddArrayToObject(sub, "name");
            s_ref = cJSON_AddArrayToObject(sub, "reference");
        }
        if (!array_has(s_id, id)) {
            const struct technique *st = technique_find(id, strlen(id));
            cJSON_AddItemToArray(s_id, cJSON_CreateString(id));
            cJSON_AddItemToArray(s_name,
                                 cJSON_CreateString(st ? st->name : id));
            technique_url(url, sizeof(url), id);
            cJSON_AddItemToArray(s_ref, cJSON_CreateString(url));
        }
    }
    if (cJSON_GetArraySize(ta_id) == 0) {
        cJSON_DeleteItemFromObjectCaseSensitive(threat, "tactic");
    }
}

static cJSON *ecs_alert(const cJSON *f)
{
    const char *rule = str_or(f, "rule", "unknown");
    const char *first = str_or(f, "first_seen", "1970-01-01T00:00:00Z");
    const char *user = get_str(f, "user");
    const char *host = get_str(f, "host");
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(f, "source");
    const char *ip = get_str(src, "ip");
    bool ip_ok = nonempty(ip) && is_ip_text(ip, strlen(ip));
    int sev = severity_of(f);
    double score = get_num(f, "score", 0);
    char uid[17];
    finding_uid(f, uid);

    cJSON *o = cJSON_CreateObject();
    /* @timestamp first: Splunk's TIME_PREFIX and people read it there. */
    cJSON_AddStringToObject(o, "@timestamp", first);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "ecs"), "version",
                            ECS_VERSION);
    char *msg = reasons_text(f);
    cJSON_AddStringToObject(o, "message", msg);
    free(msg);

    cJSON *ev = cJSON_AddObjectToObject(o, "event");
    cJSON_AddStringToObject(ev, "kind", "alert");
    cJSON *cat = cJSON_AddArrayToObject(ev, "category");
    cJSON_AddItemToArray(cat, cJSON_CreateString("authentication"));
    if (touches_files(f)) {
        cJSON_AddItemToArray(cat, cJSON_CreateString("file"));
    }
    /* "info" is an expected type of both categories; an alert describes,
     * it does not start or create anything itself. */
    cJSON_AddItemToArray(cJSON_AddArrayToObject(ev, "type"),
                         cJSON_CreateString("info"));
    cJSON_AddStringToObject(ev, "action", rule);
    /* Every finding but brute force rests on a login that succeeded. */
    cJSON_AddStringToObject(ev, "outcome", strcmp(rule, "brute-force") == 0
                                               ? "failure"
                                               : "success");
    cJSON_AddStringToObject(ev, "id", uid);
    cJSON_AddNumberToObject(ev, "severity", ecs_severity[sev]);
    cJSON_AddNumberToObject(ev, "risk_score", score);
    cJSON_AddNumberToObject(ev, "risk_score_norm", score);
    cJSON_AddStringToObject(ev, "start", first);
    cJSON_AddStringToObject(ev, "end", str_or(f, "last_seen", first));
    cJSON_AddStringToObject(ev, "module", PRODUCT);
    cJSON_AddStringToObject(ev, "dataset", PRODUCT ".finding");
    cJSON_AddStringToObject(ev, "provider", PRODUCT);

    const char *rname, *rdesc;
    rule_text(rule, &rname, &rdesc);
    cJSON *r = cJSON_AddObjectToObject(o, "rule");
    cJSON_AddStringToObject(r, "id", rule);
    cJSON_AddStringToObject(r, "name", rname);
    cJSON_AddStringToObject(r, "description", rdesc);
    cJSON_AddStringToObject(r, "ruleset", PRODUCT);
    cJSON_AddStringToObject(r, "version", FA_VERSION);

    if (nonempty(user)) {
        cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "user"), "name",
                                user);
    }
    if (nonempty(ip)) {
        /* ECS: the raw text in address, copied to ip or domain. */
        cJSON *s = cJSON_AddObjectToObject(o, "source");
        cJSON_AddStringToObject(s, "address", ip);
        cJSON_AddStringToObject(s, ip_ok ? "ip" : "domain", ip);
        const char *cc = get_str(src, "country");
        if (nonempty(cc)) {
            cJSON_AddStringToObject(cJSON_AddObjectToObject(s, "geo"),
                                    "country_iso_code", cc);
        }
        double asn = get_num(src, "asn", 0);
        const char *org = get_str(src, "as_org");
        if (asn > 0 || nonempty(org)) {
            cJSON *as = cJSON_AddObjectToObject(s, "as");
            if (asn > 0) {
                cJSON_AddNumberToObject(as, "number", asn);
            }
            if (nonempty(org)) {
                cJSON_AddStringToObject(
                    cJSON_AddObjectToObject(as, "organization"), "name", org);
            }
        }
    }
    if (nonempty(host)) {
        cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "host"), "name",
                                host);
    }
    /* ECS file.path is one keyword: the first file written; every file
     * to restore is in ftpaudit.files. */
    const cJSON *files = get_arr(f, "files");
    const cJSON *file0 = cJSON_GetArrayItem(files, 0);
    if (cJSON_IsString(file0)) {
        cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "file"), "path",
                                file0->valuestring);
    }
    cJSON *rel = cJSON_AddObjectToObject(o, "related");
    if (ip_ok) {
        add_unique(cJSON_AddArrayToObject(rel, "ip"), ip);
    }
    if (nonempty(user)) {
        add_unique(cJSON_AddArrayToObject(rel, "user"), user);
    }
    if (nonempty(host) || (nonempty(ip) && !ip_ok)) {
        cJSON *hosts = cJSON_AddArrayToObject(rel, "hosts");
        if (nonempty(host)) {
            add_unique(hosts, host);
        }
        if (nonempty(ip) && !ip_ok) {
            add_unique(hosts, ip);
        }
    }
    if (cJSON_GetArraySize(rel) == 0) {
        cJSON_DeleteItemFromObjectCaseSensitive(o, "related");
    }
    ecs_threat(o, f);
    const cJSON *ev0 = cJSON_GetArrayItem(get_arr(f, "evidence"), 0);
    const char *log_path = get_str(ev0, "file");
    if (log_path != NULL) {
        cJSON *log = cJSON_AddObjectToObject(o, "log");
        cJSON_AddStringToObject(cJSON_AddObjectToObject(log, "file"), "path",
                                log_path);
    }

    cJSON *x = cJSON_AddObjectToObject(o, PRODUCT);
    add_copy(x, "verdict", f);
    add_copy(x, "severity", f);
    add_copy(x, "rules", f);
    add_copy(x, "reasons", f);
    add_copy(x, "files", f);
    add_copy(x, "counts", f);
    add_copy(x, "evidence", f);
    return o;
}

void fa_write_finding_ndjson(FILE *out, const cJSON *finding)
{
    cJSON *doc = ecs_alert(finding);
    print_line(out, doc);
    cJSON_Delete(doc);
}

void fa_write_findings_ndjson(FILE *out, const cJSON *report)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, get_arr(report, "findings"))
    {
        fa_write_finding_ndjson(out, f);
    }
}

/* ---- OCSF findings ----------------------------------------------------- */

static void add_ms(cJSON *o, const char *key, const char *stamp)
{
    int64_t ms = stamp_ms(stamp);
    if (ms >= 0) {
        cJSON_AddNumberToObject(o, key, (double)ms);
    }
}

static cJSON *ocsf_product(void)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "name", PRODUCT);
    cJSON_AddStringToObject(p, "vendor_name", PRODUCT);
    cJSON_AddStringToObject(p, "version", FA_VERSION);
    return p;
}

static void ocsf_attacks(cJSON *info, const cJSON *f)
{
    const cJSON *list = get_arr(f, "techniques");
    if (cJSON_GetArraySize(list) == 0) {
        return;
    }
    cJSON *attacks = cJSON_AddArrayToObject(info, "attacks");
    const cJSON *v;
    cJSON_ArrayForEach(v, list)
    {
        if (!cJSON_IsString(v)) {
            continue;
        }
        const char *id = v->valuestring;
        const char *dot = strchr(id, '.');
        size_t plen = dot ? (size_t)(dot - id) : strlen(id);
        const struct technique *pt = technique_find(id, plen);
        cJSON *a = cJSON_CreateObject();
        cJSON *t = cJSON_AddObjectToObject(a, "technique");
        char parent[16];
        snprintf(parent, sizeof(parent), "%.*s", (int)plen, id);
        cJSON_AddStringToObject(t, "uid", parent);
        cJSON_AddStringToObject(t, "name", pt ? pt->name : parent);
        if (dot != NULL) {
            const struct technique *st = technique_find(id, strlen(id));
            cJSON *s = cJSON_AddObjectToObject(a, "sub_technique");
            cJSON_AddStringToObject(s, "uid", id);
            cJSON_AddStringToObject(s, "name", st ? st->name : id);
        }
        if (pt != NULL) {
            cJSON *ta = cJSON_AddObjectToObject(a, "tactic");
            cJSON_AddStringToObject(ta, "uid", pt->tactic_id);
            cJSON_AddStringToObject(ta, "name", pt->tactic_name);
        }
        cJSON_AddItemToArray(attacks, a);
    }
}

static cJSON *ocsf_finding(const cJSON *f)
{
    const char *rule = str_or(f, "rule", "unknown");
    const char *first = get_str(f, "first_seen");
    const char *last = get_str(f, "last_seen");
    const char *user = get_str(f, "user");
    const char *host = get_str(f, "host");
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(f, "source");
    const char *ip = get_str(src, "ip");
    int sev = severity_of(f);
    char uid[17];
    finding_uid(f, uid);

    cJSON *o = cJSON_CreateObject();
    int64_t t = stamp_ms(first);
    cJSON_AddNumberToObject(o, "time", (double)(t >= 0 ? t : 0));
    cJSON_AddNumberToObject(o, "class_uid", 2004);
    cJSON_AddStringToObject(o, "class_name", "Detection Finding");
    cJSON_AddNumberToObject(o, "category_uid", 2);
    cJSON_AddStringToObject(o, "category_name", "Findings");
    cJSON_AddNumberToObject(o, "activity_id", 1);
    cJSON_AddStringToObject(o, "activity_name", "Create");
    cJSON_AddNumberToObject(o, "type_uid", 200401);
    cJSON_AddStringToObject(o, "type_name", "Detection Finding: Create");
    cJSON_AddNumberToObject(o, "severity_id", sev + 1);
    cJSON_AddStringToObject(o, "severity", ocsf_severity[sev]);
    cJSON_AddNumberToObject(o, "status_id", 1);
    cJSON_AddStringToObject(o, "status", "New");
    cJSON_AddNumberToObject(o, "risk_score", get_num(f, "score", 0));
    add_ms(o, "start_time", first);
    add_ms(o, "end_time", last);
    char *msg = reasons_text(f);
    cJSON_AddStringToObject(o, "message", msg);
    free(msg);

    cJSON *md = cJSON_AddObjectToObject(o, "metadata");
    cJSON_AddStringToObject(md, "version", OCSF_VERSION);
    cJSON_AddItemToObject(md, "product", ocsf_product());
    cJSON_AddStringToObject(md, "uid", uid);

    const char *rname, *rdesc;
    rule_text(rule, &rname, &rdesc);
    cJSON *info = cJSON_AddObjectToObject(o, "finding_info");
    cJSON_AddStringToObject(info, "uid", uid);
    cJSON_AddStringToObject(info, "title",
                            str_or(f, "verdict", rname));
    cJSON_AddStringToObject(info, "desc", rdesc);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(info, "types"),
                         cJSON_CreateString(rule));
    cJSON *an = cJSON_AddObjectToObject(info, "analytic");
    cJSON_AddStringToObject(an, "uid", rule);
    cJSON_AddStringToObject(an, "name", rname);
    cJSON_AddNumberToObject(an, "type_id", 1);
    cJSON_AddStringToObject(an, "type", "Rule");
    ocsf_attacks(info, f);
    add_ms(info, "first_seen_time", first);
    add_ms(info, "last_seen_time", last);

    /* Who and from where, as one evidence artifact. */
    cJSON *evs = cJSON_AddArrayToObject(o, "evidences");
    cJSON *e = cJSON_CreateObject();
    if (nonempty(user)) {
        cJSON *actor = cJSON_AddObjectToObject(e, "actor");
        cJSON_AddStringToObject(cJSON_AddObjectToObject(actor, "user"),
                                "name", user);
    }
    if (nonempty(ip)) {
        cJSON *se = cJSON_AddObjectToObject(e, "src_endpoint");
        cJSON_AddStringToObject(se,
                                is_ip_text(ip, strlen(ip)) ? "ip"
                                                           : "hostname",
                                ip);
        const char *cc = get_str(src, "country");
        if (nonempty(cc)) {
            cJSON_AddStringToObject(cJSON_AddObjectToObject(se, "location"),
                                    "country", cc);
        }
        double asn = get_num(src, "asn", 0);
        const char *org = get_str(src, "as_org");
        if (asn > 0 || nonempty(org)) {
            cJSON *as = cJSON_AddObjectToObject(se, "autonomous_system");
            if (asn > 0) {
                cJSON_AddNumberToObject(as, "number", asn);
            }
            if (nonempty(org)) {
                cJSON_AddStringToObject(as, "name", org);
            }
        }
    }
    if (nonempty(host)) {
        cJSON_AddStringToObject(cJSON_AddObjectToObject(e, "dst_endpoint"),
                                "hostname", host);
    }
    if (cJSON_GetArraySize(e) > 0) {
        cJSON_AddItemToArray(evs, e);
    } else {
        cJSON_Delete(e);
        cJSON_DeleteItemFromObjectCaseSensitive(o, "evidences");
    }

    /* The files to restore are the affected resources. */
    const cJSON *files = get_arr(f, "files");
    if (cJSON_GetArraySize(files) > 0) {
        cJSON *res = cJSON_AddArrayToObject(o, "resources");
        const cJSON *p;
        cJSON_ArrayForEach(p, files)
        {
            if (cJSON_IsString(p)) {
                cJSON *r = cJSON_CreateObject();
                cJSON_AddStringToObject(r, "type", "file");
                cJSON_AddStringToObject(r, "name", p->valuestring);
                cJSON_AddItemToArray(res, r);
            }
        }
    }

    cJSON *x = cJSON_AddObjectToObject(o, "unmapped");
    add_copy(x, "verdict", f);
    add_copy(x, "rules", f);
    add_copy(x, "reasons", f);
    add_copy(x, "counts", f);
    add_copy(x, "evidence", f);
    return o;
}

void fa_write_finding_ocsf(FILE *out, const cJSON *finding)
{
    cJSON *doc = ocsf_finding(finding);
    print_line(out, doc);
    cJSON_Delete(doc);
}

void fa_write_findings_ocsf(FILE *out, const cJSON *report)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, get_arr(report, "findings"))
    {
        fa_write_finding_ocsf(out, f);
    }
}

/* ---- OCSF events ------------------------------------------------------- */

enum {
    CLASS_FILE = 1001,
    CLASS_AUTH = 3002,
    CLASS_NET = 4001,
};

/* Class and activity of each action.  File activities follow the OCSF
 * file_activity enum: an upload creates or replaces a file (Create), a
 * download reads it, chmod sets its attributes. */
static const struct {
    int class_uid, activity_id;
    const char *activity;
} ocsf_kind[FA_ACT_COUNT] = {
    [FA_ACT_NONE] = {CLASS_NET, 99, "Other"},
    [FA_ACT_CONNECT] = {CLASS_NET, 1, "Open"},
    [FA_ACT_LOGIN] = {CLASS_AUTH, 1, "Logon"},
    [FA_ACT_LOGOUT] = {CLASS_AUTH, 2, "Logoff"},
    [FA_ACT_UPLOAD] = {CLASS_FILE, 1, "Create"},
    [FA_ACT_DOWNLOAD] = {CLASS_FILE, 2, "Read"},
    [FA_ACT_DELETE] = {CLASS_FILE, 4, "Delete"},
    [FA_ACT_RENAME] = {CLASS_FILE, 5, "Rename"},
    [FA_ACT_MKDIR] = {CLASS_FILE, 1, "Create"},
    [FA_ACT_RMDIR] = {CLASS_FILE, 4, "Delete"},
    [FA_ACT_CHMOD] = {CLASS_FILE, 6, "Set Attributes"},
    [FA_ACT_COMMAND] = {CLASS_NET, 6, "Traffic"},
};

static const char *class_name(int class_uid)
{
    switch (class_uid) {
    case CLASS_FILE:
        return "File System Activity";
    case CLASS_AUTH:
        return "Authentication";
    default:
        return "Network Activity";
    }
}

static const char *category_name(int category_uid)
{
    switch (category_uid) {
    case 1:
        return "System Activity";
    case 3:
        return "Identity & Access Management";
    default:
        return "Network Activity";
    }
}

static void put_key(struct jw *w, const char *key)
{
    jw_char(w, ',');
    jw_char(w, '"');
    jw_lit(w, key);
    jw_lit(w, "\":");
}

static void put_fstr(struct jw *w, const char *key, struct fa_str s)
{
    put_key(w, key);
    jw_str(w, s.ptr ? s.ptr : "", s.ptr ? s.len : 0);
}

/* The service a record came from: the daemon, else the protocol. */
static const char *service_name(const struct fa_event *ev)
{
    if (ev->daemon != FA_DAEMON_UNKNOWN) {
        return fa_daemon_name(ev->daemon);
    }
    if (ev->proto != FA_PROTO_UNKNOWN) {
        return fa_proto_name(ev->proto);
    }
    return "ftp";
}

/* {"ip":..,"port":..} or {"hostname":..} of the client; false when the
 * event has neither. */
static bool client_endpoint(struct jw *w, const char *key,
                            const struct fa_event *ev)
{
    if (ev->ip.len == 0 && ev->port == 0) {
        return false;
    }
    put_key(w, key);
    jw_char(w, '{');
    const char *sep = "";
    if (ev->ip.len > 0) {
        jw_lit(w, is_ip_text(ev->ip.ptr, ev->ip.len) ? "\"ip\":"
                                                     : "\"hostname\":");
        jw_str(w, ev->ip.ptr, ev->ip.len);
        sep = ",";
    }
    if (ev->port != 0) {
        jw_lit(w, sep);
        jw_lit(w, "\"port\":");
        jw_u64(w, ev->port);
    }
    jw_char(w, '}');
    return true;
}

static void ocsf_file(struct jw *w, const char *key, struct fa_str path,
                      bool folder, int64_t size)
{
    if (path.ptr == NULL) {
        path = (struct fa_str){"", 0};
    }
    size_t base = path.len;
    while (base > 0 && path.ptr[base - 1] != '/') {
        base--;
    }
    struct fa_str name = {path.ptr + base, path.len - base};
    if (name.len == 0) {
        name = path;   /* "/dir/" or "/": the path is all there is */
    }
    put_key(w, key);
    jw_lit(w, "{\"name\":");
    jw_str(w, name.ptr, name.len);
    jw_lit(w, ",\"path\":");
    jw_str(w, path.ptr, path.len);
    jw_lit(w, folder ? ",\"type_id\":2,\"type\":\"Folder\""
                     : ",\"type_id\":1,\"type\":\"Regular File\"");
    if (size >= 0) {
        jw_lit(w, ",\"size\":");
        jw_i64(w, size);
    }
    jw_char(w, '}');
}

void fa_write_event_ocsf(struct jw *w, const struct fa_event *ev,
                         const struct fa_tz *tz)
{
    (void)tz;   /* stamps are UTC; timezone_offset carries the offset */
    enum fa_action a = (unsigned)ev->action < FA_ACT_COUNT ? ev->action
                                                           : FA_ACT_NONE;
    int cls = ocsf_kind[a].class_uid;
    int act = ocsf_kind[a].activity_id;
    const char *act_name = ocsf_kind[a].activity;
    if (a == FA_ACT_CONNECT && ev->outcome == FA_OUT_FAILURE) {
        act = 5;
        act_name = "Refuse";
    }
    int cat = cls / 1000;

    int64_t ms = ev->time_us >= 0 ? ev->time_us / 1000
                                  : -((-ev->time_us + 999) / 1000);
    jw_lit(w, "{\"time\":");
    jw_i64(w, ms);
    jw_lit(w, ",\"class_uid\":");
    jw_i64(w, cls);
    jw_lit(w, ",\"class_name\":\"");
    jw_lit(w, class_name(cls));
    jw_lit(w, "\",\"category_uid\":");
    jw_i64(w, cat);
    jw_lit(w, ",\"category_name\":\"");
    jw_lit(w, category_name(cat));
    jw_lit(w, "\",\"activity_id\":");
    jw_i64(w, act);
    jw_lit(w, ",\"activity_name\":\"");
    jw_lit(w, act_name);
    jw_lit(w, "\",\"type_uid\":");
    jw_i64(w, (int64_t)cls * 100 + act);
    jw_lit(w, ",\"type_name\":\"");
    jw_lit(w, class_name(cls));
    jw_lit(w, ": ");
    jw_lit(w, act_name);
    jw_lit(w, "\",\"severity_id\":1,\"severity\":\"Informational\"");
    switch (ev->outcome) {
    case FA_OUT_SUCCESS:
        jw_lit(w, ",\"status_id\":1,\"status\":\"Success\"");
        break;
    case FA_OUT_FAILURE:
        jw_lit(w, ",\"status_id\":2,\"status\":\"Failure\"");
        break;
    default:
        jw_lit(w, ",\"status_id\":0,\"status\":\"Unknown\"");
        break;
    }
    if (ev->tz_source != FA_TZ_NONE) {
        jw_lit(w, ",\"timezone_offset\":");
        jw_i64(w, ev->utc_offset / 60);
    }
    jw_lit(w, ",\"message\":\"");
    jw_lit(w, fa_action_name(a));
    jw_char(w, ' ');
    jw_lit(w, fa_outcome_name(ev->outcome));
    jw_lit(w, "\",\"metadata\":{\"version\":\"" OCSF_VERSION "\","
              "\"product\":{\"name\":\"" PRODUCT "\",\"vendor_name\":\""
              PRODUCT "\",\"version\":\"" FA_VERSION "\"}");
    if (ev->daemon != FA_DAEMON_UNKNOWN) {
        jw_lit(w, ",\"log_provider\":\"");
        jw_lit(w, fa_daemon_name(ev->daemon));
        jw_char(w, '"');
    }
    if (ev->file != NULL) {
        jw_lit(w, ",\"log_name\":");
        jw_str(w, ev->file, strlen(ev->file));
    }
    jw_char(w, '}');

    bool client_unmapped = false, user_unmapped = false;
    if (cls == CLASS_AUTH) {
        /* user is required: an empty name is what the log held. */
        jw_lit(w, ",\"user\":{\"name\":");
        jw_str(w, ev->user.ptr ? ev->user.ptr : "", ev->user.len);
        jw_char(w, '}');
        jw_lit(w, ",\"is_remote\":true,\"service\":{\"name\":\"");
        jw_lit(w, service_name(ev));
        jw_lit(w, "\"}");
        client_endpoint(w, "src_endpoint", ev);
        if (ev->host.len > 0) {
            jw_lit(w, ",\"dst_endpoint\":{\"hostname\":");
            jw_str(w, ev->host.ptr, ev->host.len);
            jw_char(w, '}');
        }
        if (ev->session.len > 0) {
            jw_lit(w, ",\"session\":{\"uid\":");
            jw_str(w, ev->session.ptr, ev->session.len);
            jw_char(w, '}');
        }
        if (ev->detail.len > 0) {
            put_fstr(w, "status_detail", ev->detail);
        }
    } else if (cls == CLASS_FILE) {
        jw_lit(w, ",\"actor\":{");
        if (ev->user.len > 0) {
            jw_lit(w, "\"user\":{\"name\":");
            jw_str(w, ev->user.ptr, ev->user.len);
            jw_char(w, '}');
        } else {
            jw_lit(w, "\"app_name\":\"");
            jw_lit(w, service_name(ev));
            jw_char(w, '"');
        }
        if (ev->session.len > 0) {
            jw_lit(w, ",\"session\":{\"uid\":");
            jw_str(w, ev->session.ptr, ev->session.len);
            jw_char(w, '}');
        }
        jw_char(w, '}');
        jw_lit(w, ",\"device\":{\"type_id\":1,\"type\":\"Server\"");
        if (ev->host.len > 0) {
            jw_lit(w, ",\"hostname\":");
            jw_str(w, ev->host.ptr, ev->host.len);
        }
        jw_char(w, '}');
        bool folder = a == FA_ACT_MKDIR || a == FA_ACT_RMDIR;
        ocsf_file(w, "file", ev->path, folder,
                  ev->path.len > 0 ? ev->bytes : -1);
        if (a == FA_ACT_RENAME && ev->path2.len > 0) {
            ocsf_file(w, "file_result", ev->path2, false, -1);
        }
        /* File System Activity has no network endpoint. */
        client_unmapped = ev->ip.len > 0 || ev->port != 0;
    } else {
        bool src = client_endpoint(w, "src_endpoint", ev);
        if (ev->host.len > 0 || !src) {
            jw_lit(w, ",\"dst_endpoint\":{");
            if (ev->host.len > 0) {
                jw_lit(w, "\"hostname\":");
                jw_str(w, ev->host.ptr, ev->host.len);
                jw_char(w, ',');
            }
            jw_lit(w, "\"svc_name\":\"");
            jw_lit(w, service_name(ev));
            jw_lit(w, "\"}");
        }
        jw_lit(w, ",\"app_name\":\"");
        jw_lit(w, service_name(ev));
        jw_lit(w, "\",\"connection_info\":{\"direction_id\":1,"
                  "\"direction\":\"Inbound\",\"protocol_name\":\"tcp\"}");
        user_unmapped = ev->user.len > 0;
    }
    jw_lit(w, ",\"raw_data\":");
    jw_str(w, ev->original.ptr ? ev->original.ptr : "", ev->original.len);

    /* What OCSF has no place for in the class. */
    jw_lit(w, ",\"unmapped\":{\"line\":");
    jw_u64(w, ev->line);
    if (ev->proto != FA_PROTO_UNKNOWN) {
        jw_lit(w, ",\"protocol\":\"");
        jw_lit(w, fa_proto_name(ev->proto));
        jw_char(w, '"');
    }
    if (ev->pid != 0) {
        jw_lit(w, ",\"pid\":");
        jw_u64(w, ev->pid);
    }
    if (client_unmapped) {
        client_endpoint(w, "src_endpoint", ev);
    }
    if (user_unmapped) {
        put_fstr(w, "user", ev->user);
    }
    if (cls == CLASS_NET && ev->session.len > 0) {
        put_fstr(w, "session", ev->session);
    }
    if (cls != CLASS_AUTH && ev->detail.len > 0) {
        put_fstr(w, "detail", ev->detail);
    }
    if (cls != CLASS_FILE && ev->path.len > 0) {
        put_fstr(w, "path", ev->path);
    }
    if (ev->bytes >= 0 && (cls != CLASS_FILE || ev->path.len == 0)) {
        jw_lit(w, ",\"bytes\":");
        jw_i64(w, ev->bytes);
    }
    if (ev->anonymous) {
        jw_lit(w, ",\"anonymous\":true");
    }
    if (ev->tz_source == FA_TZ_NONE) {
        jw_lit(w, ",\"time_from_mtime\":true");
    }
    jw_lit(w, "}}");
}
