/*
 * The terminal report (--format text).  It is read by a person who wants
 * to know, in this order: which accounts were broken into, from where and
 * when, what the intruder did, which files to put back, and what else
 * looked odd.  So: a one-screen ranked summary, then a timeline and a
 * restore list per compromised account, then one line per lesser finding,
 * then what could not be read or judged.
 *
 * Every string that came from a log, a file name or a GeoIP database goes
 * through fa_term_safe() (plus the bidirectional-override escape below):
 * a user name like "\x1b]0;title\x07" must not reach the terminal as an
 * escape sequence.  Colour is added only around our own words.  The layout
 * does not depend on the terminal's width, so piped output is stable.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Accounts in the summary screen; the rest are in the sections below. */
#define SUMMARY_ACCOUNTS 10
/* Addresses named per account in the summary. */
#define SUMMARY_ADDRS 3
/* Unflagged sessions shown around each flagged one in a timeline. */
#define TIMELINE_CONTEXT 2
/* One-line findings listed before "... and N more". */
#define LOWER_MAX 30
/* Files with problems listed in the inputs section. */
#define INPUTS_MAX 20
/* Column budget of a few fields, so one hostile name cannot push the
 * rest of a line off screen. */
#define ACCOUNT_COLS 30
#define ADDR_COLS 40
#define EXAMPLE_COLS 60

struct tw {
    FILE *out;
    bool color;
};

/* ---- small JSON accessors: a missing or mistyped member reads as empty */

static const char *jstr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : "";
}

static double jnum(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : 0.0;
}

static int jint(const cJSON *o, const char *key)
{
    double d = jnum(o, key);
    return d > 1e9 ? 1000000000 : d < -1e9 ? -1000000000 : (int)d;
}

static unsigned long long jcount(const cJSON *o, const char *key)
{
    double d = jnum(o, key);
    return d > 0 && d < 1.8e19 ? (unsigned long long)d : 0;
}

static const cJSON *jget(const cJSON *o, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* ---- output primitives */

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL) {
        abort();
    }
    return p;
}

/*
 * Terminal-safe copy of s (caller frees).  fa_term_safe() escapes control
 * bytes, C1 controls and invalid UTF-8; here the bidirectional overrides
 * and isolates (U+202A..U+202E, U+2066..U+2069) are escaped too, since
 * they can make a file name read backwards on screen.
 */
static char *safe_dup(const char *s)
{
    size_t n = strlen(s);
    char *t = xmalloc(4 * n + 1);
    size_t len = fa_term_safe(t, s, n);
    char *u = xmalloc(2 * len + 1);
    size_t k = 0;
    for (size_t i = 0; i < len;) {
        const unsigned char *p = (const unsigned char *)t + i;
        bool bidi = i + 2 < len && p[0] == 0xE2 &&
                    ((p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE) ||
                     (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9));
        if (bidi) {
            unsigned cp = 0x2000u | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
            k += (size_t)sprintf(u + k, "\\u%04x", cp);
            i += 3;
        } else {
            u[k++] = t[i++];
        }
    }
    u[k] = '\0';
    free(t);
    return u;
}

/* Display columns of UTF-8 text: one per character (wide characters are
 * rare in these fields and only spoil alignment). */
static size_t columns(const char *s)
{
    size_t n = 0;
    for (; *s; s++) {
        n += ((unsigned char)*s & 0xC0) != 0x80;
    }
    return n;
}

static void pad(struct tw *w, size_t n)
{
    while (n-- > 0) {
        fputc(' ', w->out);
    }
}

/* Put log-derived text, at most max columns (0: no limit; longer text is
 * cut and ends in "..."); returns the columns written. */
static size_t put_text(struct tw *w, const char *s, size_t max)
{
    char *t = safe_dup(s);
    size_t cols = columns(t);
    if (max > 3 && cols > max) {
        size_t keep = max - 3, c = 0, i = 0;
        for (; t[i]; i++) {
            if (((unsigned char)t[i] & 0xC0) != 0x80 && c++ == keep) {
                break;
            }
        }
        t[i] = '\0';
        fputs(t, w->out);
        fputs("...", w->out);
        cols = max;
    } else {
        fputs(t, w->out);
    }
    free(t);
    return cols;
}

/* Log-derived text in a column of width cols (padded). */
static void put_cell(struct tw *w, const char *s, size_t cols)
{
    size_t n = put_text(w, s, cols);
    pad(w, n < cols ? cols - n : 0);
}

static void sgr(struct tw *w, const char *code)
{
    if (w->color) {
        fprintf(w->out, "\033[%sm", code);
    }
}

static void heading(struct tw *w, const char *title)
{
    fputc('\n', w->out);
    sgr(w, "1");
    fputs(title, w->out);
    sgr(w, "0");
    fputc('\n', w->out);
}

static int sev_rank(const char *sev)
{
    static const char *const names[] = {"info", "low", "medium", "high",
                                        "critical"};
    for (int i = 0; i < 5; i++) {
        if (strcmp(sev, names[i]) == 0) {
            return i;
        }
    }
    return -1;   /* "none" or unknown */
}

static const char *sev_color(int rank)
{
    switch (rank) {
    case 4:
        return "1;31";
    case 3:
        return "31";
    case 2:
        return "33";
    case 1:
        return "36";
    default:
        return "2";
    }
}

/* "HIGH 85" in the severity's colour, padded to width; the severity name
 * is ours (validated), never log text. */
static void put_severity(struct tw *w, const char *sev, int score,
                         size_t width)
{
    int r = sev_rank(sev);
    static const char *const upper[] = {"INFO", "LOW", "MEDIUM", "HIGH",
                                        "CRITICAL"};
    char buf[32];
    int n = snprintf(buf, sizeof(buf), "%s %d", r >= 0 ? upper[r] : "NONE",
                     score);
    sgr(w, sev_color(r));
    fputs(buf, w->out);
    sgr(w, "0");
    pad(w, n > 0 && (size_t)n < width ? width - (size_t)n : 0);
}

/* Is t an RFC 3339 UTC stamp as the report writes them,
 * "2026-11-04T03:17:44Z" (maybe with a fraction)? */
static bool is_stamp(const char *t)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:dd";
    if (strlen(t) < 20) {
        return false;
    }
    for (size_t i = 0; shape[i]; i++) {
        bool ok = shape[i] == 'd' ? t[i] >= '0' && t[i] <= '9'
                                  : t[i] == shape[i];
        if (!ok) {
            return false;
        }
    }
    return true;
}

/* A stamp as "2026-11-04 03:17:44" (secs) or "2026-11-04 03:17"; anything
 * else is put as it is. */
static void put_time(struct tw *w, const char *t, bool secs)
{
    if (is_stamp(t)) {
        fprintf(w->out, "%.10s %.*s", t, secs ? 8 : 5, t + 11);
    } else {
        put_text(w, t, 40);
    }
}

/* The end of a session: only the time of day when it is the start's
 * day. */
static void put_clock(struct tw *w, const char *start, const char *end)
{
    if (is_stamp(start) && is_stamp(end) && strncmp(start, end, 10) == 0) {
        fprintf(w->out, "%.8s", end + 11);
    } else {
        put_time(w, end, true);
    }
}

/* "user" or "user@host". */
static void put_account(struct tw *w, const cJSON *o, size_t cols)
{
    const char *user = jstr(o, "user"), *host = jstr(o, "host");
    size_t n = strlen(user) + strlen(host) + 2;
    char *s = xmalloc(n);
    snprintf(s, n, "%s%s%s", user, host[0] ? "@" : "", host);
    if (cols) {
        put_cell(w, s, cols);
    } else {
        put_text(w, s, 2 * ACCOUNT_COLS);
    }
    free(s);
}

/* "203.0.113.77 (CN, AS4134 Chinanet)" from a finding's source. */
static void put_source(struct tw *w, const cJSON *src)
{
    put_text(w, jstr(src, "ip"), ADDR_COLS);
    const char *cc = jstr(src, "country");
    unsigned long long asn = jcount(src, "asn");
    const char *org = jstr(src, "as_org");
    if (cc[0] == '\0' && asn == 0) {
        return;
    }
    fputs(" (", w->out);
    if (cc[0]) {
        put_text(w, cc, 8);
    }
    if (asn) {
        fprintf(w->out, "%sAS%llu", cc[0] ? ", " : "", asn);
        if (org[0]) {
            fputc(' ', w->out);
            put_text(w, org, 30);
        }
    }
    fputc(')', w->out);
}

static bool same_account(const cJSON *f, const cJSON *a)
{
    return strcmp(jstr(f, "user"), jstr(a, "user")) == 0 &&
           strcmp(jstr(f, "host"), jstr(a, "host")) == 0;
}

static bool in_list(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(list[i], s) == 0) {
            return true;
        }
    }
    return false;
}

/* The distinct files of an account's findings at or above min_rank, in
 * order of appearance.  Returns a malloc'd array (caller frees; the
 * strings belong to the report). */
static const char **account_files(const cJSON *findings, const cJSON *a,
                                   int min_rank, size_t *n)
{
    size_t cap = 1;
    const cJSON *f, *p;
    cJSON_ArrayForEach(f, findings)
    {
        cap += (size_t)cJSON_GetArraySize(jget(f, "files"));
    }
    const char **list = xmalloc(cap * sizeof(*list));
    *n = 0;
    cJSON_ArrayForEach(f, findings)
    {
        if (!same_account(f, a) || sev_rank(jstr(f, "severity")) < min_rank) {
            continue;
        }
        cJSON_ArrayForEach(p, jget(f, "files"))
        {
            if (cJSON_IsString(p) && !in_list(list, *n, p->valuestring)) {
                list[(*n)++] = p->valuestring;
            }
        }
    }
    return list;
}

/* ---- the summary screen */

static void put_header(struct tw *w, const cJSON *report, int compromised,
                       int suspicious)
{
    const cJSON *tot = jget(report, "totals");
    const cJSON *inputs = jget(report, "inputs");
    unsigned long long lines = 0;
    int nread = 0, nfiles = cJSON_GetArraySize(inputs);
    const cJSON *i;
    cJSON_ArrayForEach(i, inputs)
    {
        lines += jcount(i, "lines");
        nread += strcmp(jstr(i, "status"), "read") == 0;
    }
    sgr(w, "1");
    fputs("ftpaudit scan: ", w->out);
    sgr(w, "0");
    unsigned long long naccounts = jcount(tot, "accounts");
    if (compromised > 0) {
        sgr(w, sev_color(3));
        fprintf(w->out, "%d of %llu account%s compromised", compromised,
                naccounts, naccounts == 1 ? "" : "s");
        sgr(w, "0");
    } else {
        fprintf(w->out, "no compromised account among %llu", naccounts);
    }
    fprintf(w->out, ", %d with lesser findings\n", suspicious);
    fprintf(w->out, "  %d of %d file%s read, %llu lines, %llu events, "
                    "%llu sessions, %llu logins, %llu failed\n",
            nread, nfiles, nfiles == 1 ? "" : "s", lines,
            jcount(tot, "events"), jcount(tot, "sessions"),
            jcount(tot, "logins"), jcount(tot, "failed_logins"));
    fputs("  times are UTC", w->out);
    const char *tz = jstr(report, "timezone");
    if (tz[0]) {
        fputs("; stamps without a zone were read as ", w->out);
        put_text(w, tz, 40);
    }
    fputc('\n', w->out);
}

static void put_summary_entry(struct tw *w, int rank, const cJSON *a,
                              const cJSON *findings)
{
    const char *sev = jstr(a, "severity");
    fprintf(w->out, "%3d. ", rank);
    put_account(w, a, ACCOUNT_COLS);
    fputs("  ", w->out);
    put_severity(w, sev, jint(a, "risk"), 13);
    sgr(w, sev_color(sev_rank(sev)));
    put_text(w, jstr(a, "verdict"), 40);
    sgr(w, "0");
    fputc('\n', w->out);

    /* Line 2: the addresses of its findings (best first), when, files. */
    size_t cap = (size_t)cJSON_GetArraySize(findings) + 1;
    const cJSON **srcs = xmalloc(cap * sizeof(*srcs));
    const char **ips = xmalloc(cap * sizeof(*ips));
    size_t nseen = 0;
    const char *first = NULL;
    const cJSON *f;
    cJSON_ArrayForEach(f, findings)
    {
        if (!same_account(f, a)) {
            continue;
        }
        const char *t = jstr(f, "first_seen");
        if (t[0] && (first == NULL || strcmp(t, first) < 0)) {
            first = t;
        }
        const cJSON *src = jget(f, "source");
        const char *ip = jstr(src, "ip");
        if (ip[0] && !in_list(ips, nseen, ip)) {
            srcs[nseen] = src;
            ips[nseen++] = ip;
        }
    }
    fputs("     ", w->out);
    for (size_t i = 0; i < nseen && i < SUMMARY_ADDRS; i++) {
        fputs(i == 0 ? "from " : ", ", w->out);
        put_source(w, srcs[i]);
    }
    if (nseen > SUMMARY_ADDRS) {
        fprintf(w->out, " and %zu more", nseen - SUMMARY_ADDRS);
    }
    free(srcs);
    free(ips);
    if (first != NULL) {
        fputs(nseen ? " at " : "at ", w->out);
        put_time(w, first, false);
    }
    size_t nfiles;
    int min = sev_rank(sev) >= 3 ? 3 : 0;
    free(account_files(findings, a, min, &nfiles));
    fprintf(w->out, "%s%zu file%s changed\n", nseen || first ? ", " : "",
            nfiles, nfiles == 1 ? "" : "s");
}

/* ---- compromised accounts: timeline and restore list */

/* "2 uploads, 1 download" (or "no file operations"). */
static void put_ops(struct tw *w, unsigned long long up,
                    unsigned long long down, unsigned long long del)
{
    const char *sep = "";
    if (up) {
        fprintf(w->out, "%llu upload%s", up, up == 1 ? "" : "s");
        sep = ", ";
    }
    if (down) {
        fprintf(w->out, "%s%llu download%s", sep, down, down == 1 ? "" : "s");
        sep = ", ";
    }
    if (del) {
        fprintf(w->out, "%s%llu delete%s", sep, del, del == 1 ? "" : "s");
        sep = ", ";
    }
    if (sep[0] == '\0') {
        fputs("no file operations", w->out);
    }
}

/* "evidence: a.log lines 11, 15-18; b.log line 3" */
static void put_evidence(struct tw *w, const cJSON *ev)
{
    size_t n = (size_t)cJSON_GetArraySize(ev);
    if (n == 0) {
        return;
    }
    bool *done = calloc(n, sizeof(*done));
    if (done == NULL) {
        abort();
    }
    fputs("        evidence: ", w->out);
    for (size_t i = 0; i < n; i++) {
        if (done[i]) {
            continue;
        }
        const char *file = jstr(cJSON_GetArrayItem(ev, (int)i), "file");
        if (i > 0) {
            fputs("; ", w->out);
        }
        put_text(w, file, 0);
        /* The lines of this file, in order; runs become ranges. */
        size_t lines = 0;
        for (size_t k = i; k < n; k++) {
            const cJSON *e = cJSON_GetArrayItem(ev, (int)k);
            lines += !done[k] && strcmp(jstr(e, "file"), file) == 0;
        }
        fputs(lines == 1 ? " line " : " lines ", w->out);
        unsigned long long prev = 0, run = 0;
        size_t count = 0;
        for (size_t k = i; k < n; k++) {
            const cJSON *e = cJSON_GetArrayItem(ev, (int)k);
            if (done[k] || strcmp(jstr(e, "file"), file) != 0) {
                continue;
            }
            done[k] = true;
            unsigned long long line = jcount(e, "line");
            if (count > 0 && line == prev + 1) {
                prev = line;
                run++;
                continue;
            }
            if (run > 0) {
                fprintf(w->out, "-%llu", prev);
            }
            fprintf(w->out, "%s%llu", count == 0 ? "" : ", ", line);
            prev = line;
            run = 0;
            count++;
        }
        if (run > 0) {
            fprintf(w->out, "-%llu", prev);
        }
    }
    fputc('\n', w->out);
    free(done);
}

/* The reasons, rules and evidence of a finding, under its timeline row. */
static void put_finding_detail(struct tw *w, const cJSON *f)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, jget(f, "reasons"))
    {
        if (cJSON_IsString(r)) {
            fputs("        - ", w->out);
            put_text(w, r->valuestring, 0);
            fputc('\n', w->out);
        }
    }
    const cJSON *rules = jget(f, "rules");
    if (cJSON_GetArraySize(rules) > 0) {
        fputs("        rules: ", w->out);
        const char *sep = "";
        cJSON_ArrayForEach(r, rules)
        {
            if (cJSON_IsString(r)) {
                fputs(sep, w->out);
                put_text(w, r->valuestring, 40);
                sep = ", ";
            }
        }
        const cJSON *tech = jget(f, "techniques");
        if (cJSON_GetArraySize(tech) > 0) {
            fputs(" (ATT&CK", w->out);
            cJSON_ArrayForEach(r, tech)
            {
                if (cJSON_IsString(r)) {
                    fputc(' ', w->out);
                    put_text(w, r->valuestring, 20);
                }
            }
            fputc(')', w->out);
        }
        fputc('\n', w->out);
    }
    put_evidence(w, jget(f, "evidence"));
}

/* One timeline row; flagged rows are marked with '!' and their finding's
 * details follow. */
static void put_row(struct tw *w, const char *start, const char *end,
                    const char *ip, const char *cc, const char *sev,
                    int score, unsigned long long up,
                    unsigned long long down, unsigned long long del,
                    const cJSON *finding)
{
    int rank = finding ? sev_rank(jstr(finding, "severity")) : sev_rank(sev);
    bool flagged = finding != NULL || rank >= 1;
    if (flagged) {
        sgr(w, sev_color(rank));
        fputs("  ! ", w->out);
        sgr(w, "0");
    } else {
        fputs("    ", w->out);
    }
    put_time(w, start, true);
    fputs(" - ", w->out);
    put_clock(w, start, end);
    fputs("  ", w->out);
    if (finding != NULL) {
        put_source(w, jget(finding, "source"));
    } else {
        put_text(w, ip, ADDR_COLS);
        if (cc[0]) {
            fputs(" (", w->out);
            put_text(w, cc, 8);
            fputc(')', w->out);
        }
    }
    fputs("  ", w->out);
    put_ops(w, up, down, del);
    if (flagged) {
        fputs("  ", w->out);
        put_severity(w, finding ? jstr(finding, "severity") : sev,
                     finding ? jint(finding, "score") : score, 0);
    }
    fputc('\n', w->out);
    if (finding != NULL) {
        put_finding_detail(w, finding);
    }
}

/* The finding of this account that a timeline session stands for. */
static const cJSON *finding_for(const cJSON *findings, const cJSON *a,
                                const cJSON *s)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, findings)
    {
        if (same_account(f, a) &&
            strcmp(jstr(f, "first_seen"), jstr(s, "start")) == 0 &&
            strcmp(jstr(jget(f, "source"), "ip"), jstr(s, "ip")) == 0) {
            return f;
        }
    }
    return NULL;
}

struct row {
    const char *start;
    const cJSON *session;   /* NULL: a finding older than the timeline */
    const cJSON *finding;   /* NULL: an unflagged session */
    bool keep;
};

static void put_timeline(struct tw *w, const cJSON *a, const cJSON *findings)
{
    const cJSON *tl = jget(a, "timeline");
    size_t cap = (size_t)cJSON_GetArraySize(tl) +
                 (size_t)cJSON_GetArraySize(findings) + 1;
    struct row *rows = calloc(cap, sizeof(*rows));
    if (rows == NULL) {
        abort();
    }
    size_t n = 0;
    const cJSON *s, *f;
    cJSON_ArrayForEach(s, tl)
    {
        rows[n++] = (struct row){jstr(s, "start"), s,
                                 finding_for(findings, a, s), false};
    }
    /* Findings whose session fell out of the kept timeline. */
    cJSON_ArrayForEach(f, findings)
    {
        bool matched = false;
        for (size_t i = 0; i < n && !matched; i++) {
            matched = rows[i].finding == f;
        }
        if (same_account(f, a) && !matched) {
            rows[n++] = (struct row){jstr(f, "first_seen"), NULL, f, false};
        }
    }
    /* By start, stable (insertion sort: a timeline holds at most
     * FA_TIMELINE_MAX sessions plus the account's findings). */
    for (size_t i = 1; i < n; i++) {
        struct row r = rows[i];
        size_t k = i;
        while (k > 0 && strcmp(rows[k - 1].start, r.start) > 0) {
            rows[k] = rows[k - 1];
            k--;
        }
        rows[k] = r;
    }
    /* Keep flagged rows and a little usual activity around them. */
    for (size_t i = 0; i < n; i++) {
        bool flagged = rows[i].finding != NULL ||
                       sev_rank(jstr(rows[i].session, "severity")) >= 1;
        if (!flagged) {
            continue;
        }
        size_t lo = i >= TIMELINE_CONTEXT ? i - TIMELINE_CONTEXT : 0;
        size_t hi = i + TIMELINE_CONTEXT < n ? i + TIMELINE_CONTEXT : n - 1;
        for (size_t k = lo; k <= hi; k++) {
            rows[k].keep = true;
        }
    }
    fputs("  timeline:\n", w->out);
    size_t skipped = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && !rows[i].keep) {
            skipped++;
            continue;
        }
        if (skipped > 0) {
            sgr(w, "2");
            fprintf(w->out, "    ... %zu usual session%s\n", skipped,
                    skipped == 1 ? "" : "s");
            sgr(w, "0");
            skipped = 0;
        }
        if (i == n) {
            break;
        }
        const struct row *r = &rows[i];
        if (r->session != NULL) {
            s = r->session;
            put_row(w, jstr(s, "start"), jstr(s, "end"), jstr(s, "ip"),
                    jstr(s, "country"), jstr(s, "severity"),
                    jint(s, "score"), jcount(s, "uploads"),
                    jcount(s, "downloads"), jcount(s, "deletes"),
                    r->finding);
        } else {
            const cJSON *c = jget(r->finding, "counts");
            put_row(w, jstr(r->finding, "first_seen"),
                    jstr(r->finding, "last_seen"), "", "", "", 0,
                    jcount(c, "uploads"), jcount(c, "downloads"),
                    jcount(c, "deletes"), r->finding);
        }
    }
    free(rows);
}

/* Where the account's unflagged sessions came from (the baseline's own
 * lists already include the intruder's session, learned after it was
 * judged). */
static void put_usual(struct tw *w, const cJSON *a, const cJSON *findings)
{
    const cJSON *tl = jget(a, "timeline");
    size_t cap = (size_t)cJSON_GetArraySize(tl) + 1;
    const char **nets = xmalloc(cap * sizeof(*nets));
    const char **ccs = xmalloc(cap * sizeof(*ccs));
    unsigned *count = calloc(cap, sizeof(*count));
    if (count == NULL) {
        abort();
    }
    size_t n = 0, nc = 0, usual = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, tl)
    {
        if (sev_rank(jstr(s, "severity")) >= 1 ||
            finding_for(findings, a, s) != NULL) {
            continue;
        }
        usual++;
        const char *net = jstr(s, "network");
        const char *cc = jstr(s, "country");
        size_t k = 0;
        while (k < n && strcmp(nets[k], net) != 0) {
            k++;
        }
        if (k == n) {
            nets[n++] = net;
        }
        count[k]++;
        if (cc[0] && !in_list(ccs, nc, cc)) {
            ccs[nc++] = cc;
        }
    }
    if (usual == 0) {
        fputs("  no unflagged session in the kept history to compare "
              "with\n", w->out);
    } else {
        fprintf(w->out, "  its %zu unflagged recent session%s came from ",
                usual, usual == 1 ? "" : "s");
        /* The busiest networks first, at most four. */
        for (size_t shown = 0; shown < n && shown < 4; shown++) {
            size_t best = 0;
            for (size_t k = 1; k < n; k++) {
                best = count[k] > count[best] ? k : best;
            }
            fputs(shown ? ", " : "", w->out);
            put_text(w, nets[best], ADDR_COLS);
            fprintf(w->out, " (%u)", count[best]);
            count[best] = 0;
        }
        if (n > 4) {
            fprintf(w->out, " and %zu more networks", n - 4);
        }
        for (size_t k = 0; k < nc && k < 8; k++) {
            fputs(k ? ", " : "; countries ", w->out);
            put_text(w, ccs[k], 8);
        }
        fputc('\n', w->out);
    }
    free(nets);
    free(ccs);
    free(count);
}

static void put_compromised(struct tw *w, const cJSON *a,
                            const cJSON *findings)
{
    const char *sev = jstr(a, "severity");
    fputc('\n', w->out);
    sgr(w, "1");
    put_account(w, a, 0);
    sgr(w, "0");
    fputs(": ", w->out);
    sgr(w, sev_color(sev_rank(sev)));
    put_text(w, jstr(a, "verdict"), 40);
    sgr(w, "0");
    fprintf(w->out, " (risk %d", jint(a, "risk"));
    const cJSON *b = jget(a, "baseline");
    unsigned long long sessions = jcount(b, "sessions");
    if (sessions > 0) {
        fprintf(w->out, "; %llu session%s since ", sessions,
                sessions == 1 ? "" : "s");
        put_time(w, jstr(b, "first_seen"), false);
    }
    fputs(")\n", w->out);
    put_usual(w, a, findings);
    put_timeline(w, a, findings);

    size_t nfiles;
    const char **files = account_files(findings, a, 3, &nfiles);
    if (nfiles > 0) {
        fprintf(w->out, "  files to restore (%zu):\n", nfiles);
        for (size_t i = 0; i < nfiles; i++) {
            fputs("    ", w->out);
            put_text(w, files[i], 0);
            fputc('\n', w->out);
        }
    } else {
        fputs("  files to restore: none written in the flagged "
              "sessions\n", w->out);
    }
    free(files);
}

/* ---- lesser findings */

static void put_lower(struct tw *w, const cJSON *findings)
{
    int shown = 0, total = 0;
    const cJSON *f;
    cJSON_ArrayForEach(f, findings)
    {
        int r = sev_rank(jstr(f, "severity"));
        total += r == 1 || r == 2;
    }
    if (total == 0) {
        return;
    }
    heading(w, "Other findings (medium and low)");
    cJSON_ArrayForEach(f, findings)
    {
        int r = sev_rank(jstr(f, "severity"));
        if (r != 1 && r != 2) {
            continue;
        }
        if (shown == LOWER_MAX) {
            fprintf(w->out, "  ... and %d more (the json and html reports "
                            "list all)\n", total - shown);
            break;
        }
        shown++;
        fputs("  ", w->out);
        put_severity(w, jstr(f, "severity"), jint(f, "score"), 11);
        put_account(w, f, 20);
        fputs("  ", w->out);
        put_time(w, jstr(f, "first_seen"), false);
        fputs("  ", w->out);
        const cJSON *src = jget(f, "source");
        if (src != NULL) {
            put_source(w, src);
            fputs("  ", w->out);
        }
        const char *sep = "";
        const cJSON *x;
        cJSON_ArrayForEach(x, jget(f, "rules"))
        {
            if (cJSON_IsString(x)) {
                fputs(sep, w->out);
                put_text(w, x->valuestring, 40);
                sep = ", ";
            }
        }
        fputc('\n', w->out);
    }
}

/* Information findings (brute force without success): one line per kind
 * with a count of addresses and the busiest few. */
static void put_info(struct tw *w, const cJSON *findings)
{
    size_t n = (size_t)cJSON_GetArraySize(findings);
    const cJSON **list = xmalloc((n + 1) * sizeof(*list));
    const char **kinds = xmalloc((n + 1) * sizeof(*kinds));
    size_t nkinds = 0;
    const cJSON *f;
    cJSON_ArrayForEach(f, findings)
    {
        const char *v = jstr(f, "verdict");
        if (sev_rank(jstr(f, "severity")) == 0 && !in_list(kinds, nkinds, v)) {
            kinds[nkinds++] = v;
        }
    }
    if (nkinds > 0) {
        heading(w, "Information");
    }
    for (size_t k = 0; k < nkinds; k++) {
        size_t m = 0;
        unsigned long long fails = 0;
        cJSON_ArrayForEach(f, findings)
        {
            if (sev_rank(jstr(f, "severity")) == 0 &&
                strcmp(jstr(f, "verdict"), kinds[k]) == 0) {
                list[m++] = f;
                fails += jcount(jget(f, "counts"), "failed_logins");
            }
        }
        /* Busiest first (insertion sort; ties keep report order). */
        for (size_t i = 1; i < m; i++) {
            const cJSON *x = list[i];
            unsigned long long v = jcount(jget(x, "counts"), "failed_logins");
            size_t j = i;
            while (j > 0 &&
                   jcount(jget(list[j - 1], "counts"), "failed_logins") < v) {
                list[j] = list[j - 1];
                j--;
            }
            list[j] = x;
        }
        fputs("  ", w->out);
        put_text(w, kinds[k], 60);
        fprintf(w->out, ": %zu address%s", m, m == 1 ? "" : "es");
        if (fails > 0) {
            fprintf(w->out, ", %llu failed logins", fails);
        }
        fputc('\n', w->out);
        for (size_t i = 0; i < m && i < 3; i++) {
            fputs("    ", w->out);
            put_source(w, jget(list[i], "source"));
            unsigned long long c =
                jcount(jget(list[i], "counts"), "failed_logins");
            if (c > 0) {
                fprintf(w->out, ": %llu failed", c);
            }
            fputs(", ", w->out);
            put_time(w, jstr(list[i], "first_seen"), false);
            fputs(" .. ", w->out);
            put_time(w, jstr(list[i], "last_seen"), false);
            fputc('\n', w->out);
        }
        if (m > 3) {
            fprintf(w->out, "    ... and %zu more\n", m - 3);
        }
    }
    free(kinds);
    free(list);
}

/* ---- what was not read or not judged */

static bool input_problem(const cJSON *i)
{
    const char *st = jstr(i, "status");
    return (strcmp(st, "read") != 0 && strcmp(st, "empty") != 0) ||
           jcount(i, "malformed") > 0 || jstr(i, "message")[0] != '\0';
}

static void put_inputs(struct tw *w, const cJSON *inputs)
{
    int total = 0, shown = 0;
    const cJSON *i;
    cJSON_ArrayForEach(i, inputs)
    {
        total += input_problem(i);
    }
    if (total == 0) {
        return;
    }
    heading(w, "Inputs with problems");
    cJSON_ArrayForEach(i, inputs)
    {
        if (!input_problem(i)) {
            continue;
        }
        if (shown++ == INPUTS_MAX) {
            fprintf(w->out, "  ... and %d more (see the summary on "
                            "stderr)\n", total - INPUTS_MAX);
            break;
        }
        fputs("  ", w->out);
        put_text(w, jstr(i, "path"), 0);
        const char *st = jstr(i, "status");
        fputs(": ", w->out);
        if (strcmp(st, "read") == 0) {
            unsigned long long bad = jcount(i, "malformed");
            fprintf(w->out, "%llu of %llu lines malformed", bad,
                    jcount(i, "lines"));
        } else {
            put_text(w, st, 20);
        }
        const char *msg = jstr(i, "message");
        if (msg[0]) {
            fputs(" (", w->out);
            put_text(w, msg, 0);
            fputc(')', w->out);
        }
        fputc('\n', w->out);
        const cJSON *ex = cJSON_GetArrayItem(jget(i, "malformed_examples"), 0);
        if (ex != NULL) {
            fprintf(w->out, "    line %llu, ", jcount(ex, "line"));
            put_text(w, jstr(ex, "why"), 60);
            fputs(": ", w->out);
            put_text(w, jstr(ex, "text"), EXAMPLE_COLS);
            fputc('\n', w->out);
        }
    }
}

static void put_off(struct tw *w, const cJSON *off)
{
    if (cJSON_GetArraySize(off) == 0) {
        return;
    }
    heading(w, "Off in this run");
    const cJSON *x;
    cJSON_ArrayForEach(x, off)
    {
        if (cJSON_IsString(x)) {
            fputs("  ", w->out);
            put_text(w, x->valuestring, 0);
            fputc('\n', w->out);
        }
    }
}

void fa_write_text(FILE *out, const cJSON *report, bool color)
{
    struct tw w = {out, color};
    const cJSON *findings = jget(report, "findings");
    const cJSON *accounts = jget(report, "accounts");
    const cJSON *a;
    int compromised = 0, others = 0;
    cJSON_ArrayForEach(a, accounts)
    {
        int r = sev_rank(jstr(a, "severity"));
        compromised += r >= 3;
        others += r >= 0 && r < 3 && jint(a, "findings") > 0;
    }
    put_header(&w, report, compromised, others);

    if (compromised + others > 0) {
        heading(&w, "Accounts, most at risk first");
        int rank = 0;
        cJSON_ArrayForEach(a, accounts)
        {
            if (jint(a, "findings") <= 0 || sev_rank(jstr(a, "severity")) < 0) {
                continue;
            }
            if (++rank > SUMMARY_ACCOUNTS) {
                fprintf(w.out, "  ... and %d more with lower findings "
                                 "(below)\n",
                        compromised + others - SUMMARY_ACCOUNTS);
                break;
            }
            put_summary_entry(&w, rank, a, findings);
        }
    } else {
        fputs("\nNo account shows signs of a stolen-credential login.\n",
              out);
    }

    if (compromised > 0) {
        heading(&w, "Compromised accounts");
        cJSON_ArrayForEach(a, accounts)
        {
            if (sev_rank(jstr(a, "severity")) >= 3) {
                put_compromised(&w, a, findings);
            }
        }
    }
    put_lower(&w, findings);
    put_info(&w, findings);
    put_inputs(&w, jget(report, "inputs"));
    put_off(&w, jget(report, "off"));
}
