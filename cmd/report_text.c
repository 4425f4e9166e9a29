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

static bool in_list(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(list[i], s) == 0) {
            return true;
        }
    }
    return false;
}

/*
 * An account with the findings of this report that are its own.  With a
 * state file, "accounts" keeps the risk of findings earlier runs reported
 * while "findings" holds only new ones; the text report ranks by the new
 * ones, so a night without news for an account stays quiet about it.
 */
struct acct {
    const cJSON *a;          /* the "accounts" entry */
    const cJSON **f;         /* its findings, best first (report order) */
    size_t nf;
    int rank;                /* highest severity among them, -1: none */
    int score;
    size_t order;            /* position in "accounts" */
};

struct acct_index {
    struct acct *v;          /* accounts with findings, most at risk first */
    size_t n;
    const cJSON **by_account;   /* findings grouped by account */
};

struct keyed {
    const void *p;
    size_t order;
};

static int cmp_user_host(const cJSON *x, const cJSON *y)
{
    int c = strcmp(jstr(x, "user"), jstr(y, "user"));
    return c ? c : strcmp(jstr(x, "host"), jstr(y, "host"));
}

static int cmp_keyed_account(const void *x, const void *y)
{
    const struct keyed *a = x, *b = y;
    int c = cmp_user_host(a->p, b->p);
    return c ? c : (a->order > b->order) - (a->order < b->order);
}

static int cmp_keyed_text(const void *x, const void *y)
{
    const struct keyed *a = x, *b = y;
    int c = strcmp(a->p, b->p);
    return c ? c : (a->order > b->order) - (a->order < b->order);
}

static int cmp_acct(const void *x, const void *y)
{
    const struct acct *a = x, *b = y;
    if (a->rank != b->rank) {
        return b->rank > a->rank ? 1 : -1;
    }
    if (a->score != b->score) {
        return b->score > a->score ? 1 : -1;
    }
    return (a->order > b->order) - (a->order < b->order);
}

/* Group the findings by account (sorting, so thousands of accounts and
 * findings stay fast) and rank the accounts that have any. */
static void index_accounts(struct acct_index *ix, const cJSON *accounts,
                           const cJSON *findings)
{
    size_t nf = (size_t)cJSON_GetArraySize(findings);
    size_t na = (size_t)cJSON_GetArraySize(accounts);
    struct keyed *k = xmalloc((nf + 1) * sizeof(*k));
    size_t m = 0;
    const cJSON *f, *a;
    cJSON_ArrayForEach(f, findings)
    {
        /* Findings of no account (brute force) have an empty user. */
        if (jstr(f, "user")[0] != '\0' || jstr(f, "host")[0] != '\0') {
            k[m] = (struct keyed){f, m};
            m++;
        }
    }
    qsort(k, m, sizeof(*k), cmp_keyed_account);
    ix->by_account = xmalloc((m + 1) * sizeof(*ix->by_account));
    for (size_t i = 0; i < m; i++) {
        ix->by_account[i] = k[i].p;
    }
    free(k);
    ix->v = xmalloc((na + 1) * sizeof(*ix->v));
    ix->n = 0;
    size_t order = 0;
    cJSON_ArrayForEach(a, accounts)
    {
        /* This account's first finding: a lower-bound search. */
        size_t lo = 0, hi = m;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (cmp_user_host(ix->by_account[mid], a) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        size_t end = lo;
        while (end < m && cmp_user_host(ix->by_account[end], a) == 0) {
            end++;
        }
        order++;
        if (end == lo) {
            continue;
        }
        struct acct *x = &ix->v[ix->n++];
        *x = (struct acct){a, ix->by_account + lo, end - lo, -1, 0, order};
        for (size_t i = 0; i < x->nf; i++) {
            int r = sev_rank(jstr(x->f[i], "severity"));
            int sc = jint(x->f[i], "score");
            x->rank = r > x->rank ? r : x->rank;
            x->score = sc > x->score ? sc : x->score;
        }
    }
    qsort(ix->v, ix->n, sizeof(*ix->v), cmp_acct);
}

/* The distinct files of an account's findings at or above min_rank, in
 * order of appearance.  Returns a malloc'd array (caller frees; the
 * strings belong to the report).  Repeats are found by sorting: a bulk
 * rewrite can name many thousands of files. */
static const char **account_files(const struct acct *x, int min_rank,
                                  size_t *n)
{
    size_t cap = 1;
    for (size_t i = 0; i < x->nf; i++) {
        cap += (size_t)cJSON_GetArraySize(jget(x->f[i], "files"));
    }
    const char **list = xmalloc(cap * sizeof(*list));
    size_t m = 0;
    for (size_t i = 0; i < x->nf; i++) {
        const cJSON *p;
        if (sev_rank(jstr(x->f[i], "severity")) < min_rank) {
            continue;
        }
        cJSON_ArrayForEach(p, jget(x->f[i], "files"))
        {
            if (cJSON_IsString(p)) {
                list[m++] = p->valuestring;
            }
        }
    }
    struct keyed *k = xmalloc((m + 1) * sizeof(*k));
    bool *dup = calloc(m + 1, sizeof(*dup));
    if (dup == NULL) {
        abort();
    }
    for (size_t i = 0; i < m; i++) {
        k[i] = (struct keyed){list[i], i};
    }
    qsort(k, m, sizeof(*k), cmp_keyed_text);
    for (size_t i = 1; i < m; i++) {
        dup[k[i].order] = strcmp(k[i].p, k[i - 1].p) == 0;
    }
    size_t out = 0;
    for (size_t i = 0; i < m; i++) {
        if (!dup[i]) {
            list[out++] = list[i];
        }
    }
    free(dup);
    free(k);
    *n = out;
    return list;
}

/* ---- the summary screen */

static void put_header(struct tw *w, const cJSON *report, int compromised,
                       int suspicious, int earlier)
{
    const cJSON *tot = jget(report, "totals");
    const cJSON *inputs = jget(report, "inputs");
    unsigned long long lines = 0;
    int nfiles = cJSON_GetArraySize(inputs);
    const cJSON *i;
    cJSON_ArrayForEach(i, inputs)
    {
        lines += jcount(i, "lines");
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
    if (earlier > 0) {
        fprintf(w->out, "  %d account%s flagged by earlier runs, not "
                        "repeated here (--state)\n",
                earlier, earlier == 1 ? "" : "s");
    }
    fprintf(w->out, "  read %d file%s (%llu lines); %llu events, "
                    "%llu sessions, %llu logins, %llu failed in all\n",
            nfiles, nfiles == 1 ? "" : "s", lines,
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

static void put_summary_entry(struct tw *w, int rank, const struct acct *x)
{
    /* The verdict of its best finding: the account's own verdict may
     * stand for a finding an earlier run reported. */
    const cJSON *best = x->f[0];
    fprintf(w->out, "%3d. ", rank);
    put_account(w, x->a, ACCOUNT_COLS);
    fputs("  ", w->out);
    put_severity(w, jstr(best, "severity"), x->score, 13);
    sgr(w, sev_color(x->rank));
    put_text(w, jstr(best, "verdict"), 40);
    sgr(w, "0");
    fputc('\n', w->out);

    /* Line 2: the addresses of its findings (best first), when, files. */
    const cJSON *named[SUMMARY_ADDRS];
    const char *named_ip[SUMMARY_ADDRS];
    size_t nnamed = 0, nips = 0;
    struct keyed *all = xmalloc((x->nf + 1) * sizeof(*all));
    const char *first = NULL;
    for (size_t k = 0; k < x->nf; k++) {
        const cJSON *f = x->f[k];
        const char *t = jstr(f, "first_seen");
        if (t[0] && (first == NULL || strcmp(t, first) < 0)) {
            first = t;
        }
        const cJSON *src = jget(f, "source");
        const char *ip = jstr(src, "ip");
        if (ip[0] == '\0') {
            continue;
        }
        all[nips] = (struct keyed){ip, nips};
        nips++;
        if (nnamed < SUMMARY_ADDRS && !in_list(named_ip, nnamed, ip)) {
            named[nnamed] = src;
            named_ip[nnamed++] = ip;
        }
    }
    /* How many distinct addresses in all (sorted: an address burst can
     * bring hundreds of findings). */
    qsort(all, nips, sizeof(*all), cmp_keyed_text);
    size_t distinct = 0;
    for (size_t k = 0; k < nips; k++) {
        distinct += k == 0 || strcmp(all[k].p, all[k - 1].p) != 0;
    }
    free(all);
    size_t nseen = nnamed;
    fputs("     ", w->out);
    for (size_t i = 0; i < nnamed; i++) {
        fputs(i == 0 ? "from " : ", ", w->out);
        put_source(w, named[i]);
    }
    if (distinct > nnamed) {
        fprintf(w->out, " and %zu more", distinct - nnamed);
    }
    if (first != NULL) {
        fputs(nseen ? " at " : "at ", w->out);
        put_time(w, first, false);
    }
    size_t nfiles;
    free(account_files(x, x->rank >= 3 ? 3 : 0, &nfiles));
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

/* One timeline row; flagged rows are marked with '!'.  With detail, the
 * finding's reasons and evidence follow; without, its rule ids end the
 * row. */
static void put_row(struct tw *w, const char *start, const char *end,
                    const char *ip, const char *cc, const char *sev,
                    int score, unsigned long long up,
                    unsigned long long down, unsigned long long del,
                    const cJSON *finding, bool detail)
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
    if (finding != NULL && !detail) {
        const char *sep = "  ";
        const cJSON *x;
        cJSON_ArrayForEach(x, jget(finding, "rules"))
        {
            if (cJSON_IsString(x)) {
                fputs(sep, w->out);
                put_text(w, x->valuestring, 40);
                sep = ", ";
            }
        }
    }
    fputc('\n', w->out);
    if (finding != NULL && detail) {
        put_finding_detail(w, finding);
    }
}

/* The finding of this account that a timeline session stands for. */
static const cJSON *finding_for(const struct acct *x, const cJSON *s)
{
    for (size_t i = 0; i < x->nf; i++) {
        const cJSON *f = x->f[i];
        if (strcmp(jstr(f, "first_seen"), jstr(s, "start")) == 0 &&
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

/* A row that makes the account compromised: detailed in the timeline. */
static bool is_key(const struct row *r)
{
    return r->finding != NULL && sev_rank(jstr(r->finding, "severity")) >= 3;
}

static bool is_flagged(const struct row *r)
{
    return r->finding != NULL || sev_rank(jstr(r->session, "severity")) >= 1;
}

static void put_timeline(struct tw *w, const struct acct *x)
{
    const cJSON *tl = jget(x->a, "timeline");
    size_t cap = (size_t)cJSON_GetArraySize(tl) + x->nf + 1;
    struct row *rows = calloc(cap, sizeof(*rows));
    if (rows == NULL) {
        abort();
    }
    size_t n = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, tl)
    {
        rows[n++] = (struct row){jstr(s, "start"), s, finding_for(x, s),
                                 false};
    }
    /* Findings whose session fell out of the kept timeline. */
    size_t nsessions = n;
    for (size_t k = 0; k < x->nf; k++) {
        bool matched = false;
        for (size_t i = 0; i < nsessions && !matched; i++) {
            matched = rows[i].finding == x->f[k];
        }
        if (!matched) {
            rows[n++] = (struct row){jstr(x->f[k], "first_seen"), NULL,
                                     x->f[k], false};
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
    /* Keep the high and critical rows and a little activity around
     * them; the rest is counted (lesser findings have their own list). */
    for (size_t i = 0; i < n; i++) {
        if (!is_key(&rows[i])) {
            continue;
        }
        size_t lo = i >= TIMELINE_CONTEXT ? i - TIMELINE_CONTEXT : 0;
        size_t hi = i + TIMELINE_CONTEXT < n ? i + TIMELINE_CONTEXT : n - 1;
        for (size_t k = lo; k <= hi; k++) {
            rows[k].keep = true;
        }
    }
    fputs("  timeline:\n", w->out);
    size_t skipped = 0, lesser = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && !rows[i].keep) {
            skipped++;
            lesser += is_flagged(&rows[i]);
            continue;
        }
        if (skipped > 0) {
            sgr(w, "2");
            if (lesser > 0) {
                fprintf(w->out, "    ... %zu session%s, %zu with lesser "
                                "findings\n",
                        skipped, skipped == 1 ? "" : "s", lesser);
            } else {
                fprintf(w->out, "    ... %zu usual session%s\n", skipped,
                        skipped == 1 ? "" : "s");
            }
            sgr(w, "0");
            skipped = lesser = 0;
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
                    r->finding, is_key(r));
        } else {
            const cJSON *c = jget(r->finding, "counts");
            put_row(w, jstr(r->finding, "first_seen"),
                    jstr(r->finding, "last_seen"), "", "", "", 0,
                    jcount(c, "uploads"), jcount(c, "downloads"),
                    jcount(c, "deletes"), r->finding, is_key(r));
        }
    }
    free(rows);
}

/* Where the account's unflagged sessions came from (the baseline's own
 * lists already include the intruder's session, learned after it was
 * judged). */
static void put_usual(struct tw *w, const struct acct *x)
{
    const cJSON *tl = jget(x->a, "timeline");
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
            finding_for(x, s) != NULL) {
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

static void put_compromised(struct tw *w, const struct acct *x)
{
    const cJSON *best = x->f[0];
    fputc('\n', w->out);
    sgr(w, "1");
    put_account(w, x->a, 0);
    sgr(w, "0");
    fputs(": ", w->out);
    sgr(w, sev_color(x->rank));
    put_text(w, jstr(best, "verdict"), 40);
    sgr(w, "0");
    fprintf(w->out, " (score %d", x->score);
    const cJSON *b = jget(x->a, "baseline");
    unsigned long long sessions = jcount(b, "sessions");
    if (sessions > 0) {
        fprintf(w->out, "; %llu session%s since ", sessions,
                sessions == 1 ? "" : "s");
        put_time(w, jstr(b, "first_seen"), false);
    }
    fputs(")\n", w->out);
    put_usual(w, x);
    put_timeline(w, x);

    size_t nfiles;
    const char **files = account_files(x, 3, &nfiles);
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

/* Busiest first; ties by address, so the output is stable. */
static int cmp_failures(const void *x, const void *y)
{
    const cJSON *a = *(const cJSON *const *)x, *b = *(const cJSON *const *)y;
    unsigned long long fa = jcount(jget(a, "counts"), "failed_logins");
    unsigned long long fb = jcount(jget(b, "counts"), "failed_logins");
    if (fa != fb) {
        return fa < fb ? 1 : -1;
    }
    return strcmp(jstr(jget(a, "source"), "ip"), jstr(jget(b, "source"), "ip"));
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
        qsort(list, m, sizeof(*list), cmp_failures);
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

/* Files that were skipped as a matter of course: of no supported format
 * (a folder such as /var/log holds many) or not regular files.  They are
 * counted in one line, not listed. */
static bool input_skipped(const cJSON *i)
{
    const char *st = jstr(i, "status");
    return strcmp(st, "unknown-format") == 0 || strcmp(st, "not-a-file") == 0;
}

/* Files a person should look at: unreadable, damaged, with malformed
 * lines. */
static bool input_problem(const cJSON *i)
{
    const char *st = jstr(i, "status");
    if (input_skipped(i)) {
        return false;
    }
    return (strcmp(st, "read") != 0 && strcmp(st, "empty") != 0) ||
           jcount(i, "malformed") > 0 || jstr(i, "message")[0] != '\0';
}

static void put_inputs(struct tw *w, const cJSON *inputs)
{
    int total = 0, shown = 0, skipped = 0;
    const cJSON *i, *first_skipped = NULL;
    cJSON_ArrayForEach(i, inputs)
    {
        total += input_problem(i);
        if (input_skipped(i)) {
            first_skipped = first_skipped ? first_skipped : i;
            skipped++;
        }
    }
    if (total == 0 && skipped == 0) {
        return;
    }
    heading(w, "Inputs not fully read");
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
            fputs("; ", w->out);
            put_text(w, msg, 0);
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
    if (skipped > 0) {
        fprintf(w->out, "  %d file%s of no supported log format or not a "
                        "regular file, skipped (", skipped,
                skipped == 1 ? "" : "s");
        if (skipped > 1) {
            fputs("e.g. ", w->out);
        }
        put_text(w, jstr(first_skipped, "path"), ADDR_COLS);
        fputs(")\n", w->out);
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
    struct acct_index ix;
    index_accounts(&ix, accounts, findings);
    int compromised = 0, others = 0, earlier = 0;
    for (size_t i = 0; i < ix.n; i++) {
        compromised += ix.v[i].rank >= 3;
        others += ix.v[i].rank < 3;
    }
    /* Accounts whose findings all went out in an earlier run. */
    const cJSON *a;
    cJSON_ArrayForEach(a, accounts)
    {
        earlier += jint(a, "findings") > 0;
    }
    earlier -= (int)ix.n;
    put_header(&w, report, compromised, others, earlier > 0 ? earlier : 0);

    if (ix.n > 0) {
        heading(&w, "Accounts, most at risk first");
        for (size_t i = 0; i < ix.n; i++) {
            if (i == SUMMARY_ACCOUNTS) {
                fprintf(out, "  ... and %zu more, below\n",
                        ix.n - SUMMARY_ACCOUNTS);
                break;
            }
            put_summary_entry(&w, (int)i + 1, &ix.v[i]);
        }
    } else if (earlier > 0) {
        fputs("\nNo new finding on any account since the last run.\n", out);
    } else {
        fputs("\nNo account shows signs of a stolen-credential login.\n",
              out);
    }
    if (compromised > 0) {
        heading(&w, "Compromised accounts");
        for (size_t i = 0; i < ix.n && ix.v[i].rank >= 3; i++) {
            put_compromised(&w, &ix.v[i]);
        }
    }
    put_lower(&w, findings);
    put_info(&w, findings);
    put_inputs(&w, jget(report, "inputs"));
    put_off(&w, jget(report, "off"));
    free(ix.v);
    free(ix.by_account);
}
