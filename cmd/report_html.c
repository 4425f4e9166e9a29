/*
 * The HTML triage report (--format html): one self-contained page an abuse
 * desk can attach to a ticket.  No script, no external resource (a
 * Content-Security-Policy of default-src 'none' says so to the browser
 * too), inline CSS and inline SVG only, readable on screen and on paper.
 *
 * Every string that came from a log (user, host, path, address, reason,
 * malformed line) goes through esc(), which escapes & < > " ' for both text
 * and attribute contexts, replaces invalid UTF-8, and shows control and
 * bidirectional-override characters as \xNN / \uNNNN so a file name cannot
 * hide or reorder what the reader sees.  Log text is never placed inside
 * <style>, class names or ids: those come from fixed tables here.
 *
 * Times are shown in the process's zone, which cmd/ sets to the run's zone
 * (fa_tz_open) before reading: the zone the log stamps were read in, so the
 * times match the lines the evidence points to.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../analysis/event.h"
#include "cli.h"

/* Rows of the inputs table before clean files are summed into one row. */
#define HTML_INPUT_ROWS 20
/* Names listed for the accounts without findings. */
#define HTML_QUIET_NAMES 200
/* Days drawn one row each in a timeline; longer spans draw active days. */
#define HTML_TIMELINE_DAYS 31
/* Quiet days skipped between two rows that get a marked gap. */
#define HTML_TIMELINE_GAP 6
/* Distinct colours for networks in a timeline; the rest share grey. */
#define HTML_PALETTE 8

static const char *const palette[HTML_PALETTE] = {
    "#3b6fb6", "#2a9d8f", "#8e6cc0", "#4fa3c7",
    "#b5739d", "#6b8e23", "#8c7b6b", "#2c3e6b",
};
#define HTML_OTHER_COLOUR "#a8b2bd"

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (p == NULL) {
        abort();
    }
    return p;
}

/* ---- escaping ---------------------------------------------------------- */

static bool is_bidi_control(uint32_t cp)
{
    return cp == 0x200E || cp == 0x200F || cp == 0x061C ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

static uint32_t utf8_decode(const unsigned char *p, size_t k)
{
    uint32_t cp = p[0] & (k == 2 ? 0x1F : k == 3 ? 0x0F : 0x07);
    for (size_t i = 1; i < k; i++) {
        cp = cp << 6 | (p[i] & 0x3F);
    }
    return cp;
}

/* n bytes as HTML text, safe in element content and quoted attributes. */
static void esc_n(FILE *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        if (c < 0x80) {
            switch (c) {
            case '&':
                fputs("&amp;", out);
                break;
            case '<':
                fputs("&lt;", out);
                break;
            case '>':
                fputs("&gt;", out);
                break;
            case '"':
                fputs("&quot;", out);
                break;
            case '\'':
                fputs("&#39;", out);
                break;
            default:
                if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) {
                    fprintf(out, "\\x%02X", c);
                } else {
                    fputc((int)c, out);
                }
            }
            i++;
            continue;
        }
        size_t k = fa_utf8_seq(p + i, n - i);
        if (k == 0) {
            fputs("\xEF\xBF\xBD", out);
            i++;
            continue;
        }
        uint32_t cp = utf8_decode(p + i, k);
        if (cp < 0xA0 || is_bidi_control(cp)) {
            fprintf(out, "\\u%04X", (unsigned)cp);
        } else {
            fwrite(p + i, 1, k, out);
        }
        i += k;
    }
}

static void esc(FILE *out, const char *s)
{
    if (s != NULL) {
        esc_n(out, s, strlen(s));
    }
}

/* ---- reading the report ------------------------------------------------ */

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static const cJSON *arr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsArray(v) ? v : NULL;
}

/* Severity names are a fixed vocabulary; anything else ranks as "none" so
 * that only names from this table reach a class attribute. */
static const char *const sev_names[] = {
    "none", "info", "low", "medium", "high", "critical",
};

static int sev_rank(const char *s)
{
    for (int i = 0; i < 6; i++) {
        if (strcmp(s, sev_names[i]) == 0) {
            return i;
        }
    }
    return 0;
}

static const char *sev_class(const char *s)
{
    return sev_names[sev_rank(s)];
}

static void badge(FILE *out, const char *sev, double score, bool with_score)
{
    const char *c = sev_class(sev);
    fprintf(out, "<span class=\"sev sev-%s\">%s", c, c);
    if (with_score) {
        fprintf(out, " %.0f", score);
    }
    fputs("</span>", out);
}

/* ---- time -------------------------------------------------------------- */

/* Epoch seconds of an RFC 3339 stamp as report.c writes them. */
static bool parse_time(const char *s, int64_t *t)
{
    if (strlen(s) < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
        s[13] != ':' || s[16] != ':') {
        return false;
    }
    struct fa_civil c = {
        fa_digits(s, 4),      fa_digits(s + 5, 2),  fa_digits(s + 8, 2),
        fa_digits(s + 11, 2), fa_digits(s + 14, 2), fa_digits(s + 17, 2),
    };
    if (!fa_civil_valid(&c)) {
        return false;
    }
    const char *z = s + 19;
    if (*z == '.') {
        do {
            z++;
        } while (*z >= '0' && *z <= '9');
    }
    int64_t off = 0;
    if ((*z == '+' || *z == '-') && strlen(z) == 6) {
        int h = fa_digits(z + 1, 2), m = fa_digits(z + 4, 2);
        if (h < 0 || m < 0) {
            return false;
        }
        off = (*z == '-' ? -1 : 1) * (h * 3600 + m * 60);
    } else if (strcmp(z, "Z") != 0) {
        return false;
    }
    *t = fa_civil_to_epoch(&c) - off;
    return true;
}

static void local_tm(int64_t t, struct tm *tm)
{
    time_t tt = (time_t)t;
    if (localtime_r(&tt, tm) == NULL) {
        gmtime_r(&tt, tm);
    }
}

/* Seconds since the local epoch: day arithmetic in the reader's zone. */
static int64_t local_secs(int64_t t)
{
    struct tm tm;
    local_tm(t, &tm);
    return fa_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) *
               86400 +
           tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* A stamp in local time; fmt as strftime.  Unreadable ones as they are. */
static void put_time_fmt(FILE *out, const char *rfc, const char *fmt)
{
    int64_t t;
    if (!parse_time(rfc, &t)) {
        esc(out, rfc);
        return;
    }
    struct tm tm;
    char buf[64];
    local_tm(t, &tm);
    strftime(buf, sizeof(buf), fmt, &tm);
    fputs(buf, out);
}

static void put_time(FILE *out, const char *rfc)
{
    put_time_fmt(out, rfc, "%Y-%m-%d %H:%M:%S");
}

/* "a – b", the second without its date when both fall on the same day. */
static void put_span(FILE *out, const char *a, const char *b)
{
    int64_t ta, tb;
    put_time(out, a);
    if (strcmp(a, b) == 0) {
        return;
    }
    fputs(" – ", out);
    if (parse_time(a, &ta) && parse_time(b, &tb) &&
        floor_div(local_secs(ta), 86400) == floor_div(local_secs(tb), 86400)) {
        put_time_fmt(out, b, "%H:%M:%S");
    } else {
        put_time(out, b);
    }
}

static void put_bytes(FILE *out, double b)
{
    static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (b >= 1024 && u < 4) {
        b /= 1024;
        u++;
    }
    fprintf(out, u == 0 ? "%.0f %s" : "%.1f %s", b, unit[u]);
}

/* ---- the page ---------------------------------------------------------- */

static const char page_css[] =
    ":root{--ink:#1b2430;--mute:#5d6b7a;--line:#d5dce4;--bg:#f3f5f8;"
    "--crit:#7a0b1c;--high:#c4172c;--med:#d9700b;--low:#b8930a;"
    "--info:#5f7d95;--none:#8995a1;--ok:#2e7d4f}\n"
    "*{box-sizing:border-box}\n"
    "html{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "body{margin:0;background:var(--bg);color:var(--ink);"
    "font:13px/1.45 system-ui,-apple-system,\"Segoe UI\",\"DejaVu Sans\","
    "Arial,sans-serif}\n"
    "main{max-width:1180px;margin:0 auto;padding:0 16px 24px}\n"
    "code,pre,.mono{font-family:ui-monospace,\"DejaVu Sans Mono\",Menlo,"
    "Consolas,monospace;font-size:12px}\n"
    "h1,h2,h3{margin:0;font-weight:600}\n"
    "h2{font-size:16px}h3{font-size:12px;text-transform:uppercase;"
    "letter-spacing:.04em;color:var(--mute);margin:12px 0 4px}\n"
    "a{color:inherit}\n"
    ".top{background:#18212c;color:#e9eef4;padding:14px 0 12px;"
    "margin-bottom:14px}\n"
    ".top .in{max-width:1180px;margin:0 auto;padding:0 16px}\n"
    ".brand{font-size:11px;letter-spacing:.12em;text-transform:uppercase;"
    "color:#9fb0c3}\n"
    ".top h1{font-size:21px;margin:2px 0 8px}\n"
    ".top h1.bad{color:#ff8a8a}.top h1.good{color:#8fe0a9}\n"
    ".facts{display:flex;flex-wrap:wrap;gap:4px 22px;font-size:12px;"
    "color:#c3cfdc}\n"
    ".facts b{color:#fff;font-weight:600}\n"
    ".card{background:#fff;border:1px solid var(--line);border-radius:4px;"
    "padding:10px 12px;margin:0 0 12px}\n"
    ".off{border-left:4px solid var(--med);background:#fff8ec}\n"
    ".off ul{margin:2px 0 0;padding-left:18px}\n"
    "table{border-collapse:collapse;width:100%}\n"
    "th{text-align:left;font-weight:600;color:var(--mute);font-size:11px;"
    "text-transform:uppercase;letter-spacing:.03em;"
    "border-bottom:1px solid var(--line);padding:3px 6px}\n"
    "td{padding:3px 6px;border-bottom:1px solid #eef1f4;vertical-align:top}\n"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}\n"
    "tr.warn td{background:#fff4e5}\n"
    ".wrap{overflow-wrap:anywhere;word-break:break-word}"
    ".nw{white-space:nowrap}\n"
    ".sev{display:inline-block;min-width:62px;padding:0 6px;"
    "border-radius:3px;color:#fff;font-size:11px;font-weight:700;"
    "text-transform:uppercase;text-align:center;line-height:18px}\n"
    ".sev-critical{background:var(--crit)}.sev-high{background:var(--high)}"
    ".sev-medium{background:var(--med)}.sev-low{background:var(--low)}"
    ".sev-info{background:var(--info)}.sev-none{background:var(--none)}\n"
    ".bar{display:inline-block;width:60px;height:7px;background:#e6eaef;"
    "border-radius:2px;vertical-align:middle;margin-right:6px}\n"
    ".bar i{display:block;height:7px;border-radius:2px}\n"
    ".acct{border-top:4px solid var(--none)}\n"
    ".acct.sev-b-critical{border-top-color:var(--crit)}"
    ".acct.sev-b-high{border-top-color:var(--high)}"
    ".acct.sev-b-medium{border-top-color:var(--med)}"
    ".acct.sev-b-low{border-top-color:var(--low)}"
    ".acct.sev-b-info{border-top-color:var(--info)}\n"
    ".acct>header{display:flex;flex-wrap:wrap;align-items:baseline;"
    "gap:4px 12px;border-bottom:1px solid var(--line);padding-bottom:6px}\n"
    ".acct>header h2{font-family:ui-monospace,\"DejaVu Sans Mono\","
    "monospace;font-size:17px}\n"
    ".verdict{font-weight:600}.mute{color:var(--mute)}\n"
    ".finding{border-left:3px solid var(--line);padding:2px 0 2px 10px;"
    "margin:8px 0}\n"
    ".finding.sev-b-critical{border-left-color:var(--crit)}"
    ".finding.sev-b-high{border-left-color:var(--high)}"
    ".finding.sev-b-medium{border-left-color:var(--med)}"
    ".finding.sev-b-low{border-left-color:var(--low)}\n"
    ".finding .head{display:flex;flex-wrap:wrap;gap:2px 12px;"
    "align-items:baseline}\n"
    ".finding ul{margin:3px 0;padding-left:18px}\n"
    ".chip{display:inline-block;border:1px solid var(--line);"
    "border-radius:3px;padding:0 5px;margin:1px 2px 1px 0;font-size:11px;"
    "background:#f6f8fa}\n"
    ".chip.bad{border-color:#e7a1a9;background:#fdecee;color:#8a1020}\n"
    ".cols{display:grid;grid-template-columns:minmax(0,1.05fr) "
    "minmax(0,1fr);gap:6px 22px}\n"
    "@media (max-width:820px){.cols{grid-template-columns:minmax(0,1fr)}}\n"
    "pre{margin:0;padding:6px 8px;background:#f6f8fa;"
    "border:1px solid var(--line);border-radius:3px;white-space:pre-wrap;"
    "overflow-wrap:anywhere}\n"
    "pre.restore{border-left:3px solid var(--high);user-select:all}\n"
    "dl.kv{display:grid;grid-template-columns:max-content minmax(0,1fr);"
    "gap:1px 10px;margin:0}\n"
    "dl.kv dt{color:var(--mute)}dl.kv dd{margin:0}\n"
    "svg{display:block;max-width:100%;height:auto}\n"
    "svg.timeline{width:100%}\n"
    "svg text{font-family:system-ui,\"DejaVu Sans\",Arial,sans-serif}\n"
    ".legend{font-size:11px;color:var(--mute);margin-top:3px}\n"
    ".legend span{display:inline-block;margin-right:12px;white-space:nowrap}"
    "\n.legend i{display:inline-block;width:10px;height:10px;"
    "border-radius:2px;vertical-align:-1px;margin-right:4px}\n"
    ".ex{font-size:11px;color:var(--mute)}\n"
    "footer{color:var(--mute);font-size:11px;text-align:center;"
    "margin-top:16px}\n"
    "@page{margin:12mm}\n"
    "@media print{body{background:#fff;font-size:11px}"
    "main{max-width:none;padding:0}.top .in{padding:0 10px}"
    ".top{background:#fff;color:#000;border-bottom:3px solid #18212c}"
    ".top .brand{color:#555}.top .facts{color:#333}.top .facts b{color:#000}"
    ".top h1.bad{color:#c4172c}.top h1.good{color:#2e7d4f}"
    ".card{border-color:#bbb;break-inside:avoid-page}"
    ".acct{break-inside:auto;break-before:page}"
    ".finding,svg,pre,.tl{break-inside:avoid}h3{break-after:avoid}"
    "a{text-decoration:none}}\n";

/*
 * A fixed-size open-addressing table of string pairs owned by the report:
 * findings are grouped by account and paths de-duplicated in linear time,
 * since a report can hold thousands of accounts and a bulk rewrite tens of
 * thousands of files.
 */
struct slot {
    const char *k1, *k2;
    size_t val;
};

struct table {
    struct slot *slot;
    size_t mask;
};

static void table_init(struct table *t, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n) {
        cap <<= 1;
    }
    t->slot = xcalloc(cap, sizeof(*t->slot));
    t->mask = cap - 1;
}

static uint64_t hash_pair(const char *a, const char *b)
{
    uint64_t h = 14695981039346656037u;
    for (; *a; a++) {
        h = (h ^ (unsigned char)*a) * 1099511628211u;
    }
    h = (h ^ 0xFF) * 1099511628211u;   /* no UTF-8 text holds 0xFF */
    for (; *b; b++) {
        h = (h ^ (unsigned char)*b) * 1099511628211u;
    }
    return h;
}

/* True with *val set when (k1, k2) is in the table; otherwise false, and
 * when add is true the pair is added with *val.  At most half the slots
 * are ever used (table_init), so probing ends. */
static bool table_find(struct table *t, const char *k1, const char *k2,
                       bool add, size_t *val)
{
    size_t i = hash_pair(k1, k2) & t->mask;
    while (t->slot[i].k1 != NULL) {
        if (strcmp(t->slot[i].k1, k1) == 0 &&
            strcmp(t->slot[i].k2, k2) == 0) {
            *val = t->slot[i].val;
            return true;
        }
        i = (i + 1) & t->mask;
    }
    if (add) {
        t->slot[i] = (struct slot){k1, k2, *val};
    }
    return false;
}

/* One flagged account and what the page draws for it. */
struct acct {
    const cJSON *a;
    int rank;                /* 1-based, the section's anchor */
    const cJSON **f;         /* its findings, highest first */
    size_t nf;
    /* Lowest severity rank whose files go in the restore block: high when
     * a high or critical finding has files (a low finding on the owner's
     * own session must not send the owner's work back to a backup), else
     * every finding. */
    int restore_rank;
    const char **files;      /* to restore, each once, in report order */
    size_t nfiles;
    int64_t earliest;        /* first stamp of the findings they came from */
};

/* The flagged accounts in report order (risk first), their findings, and
 * the findings tied to no listed account (*other, *nother). */
static struct acct *group_findings(const cJSON *report, size_t *nacc,
                                   const cJSON ***other, size_t *nother)
{
    const cJSON *accounts = arr(report, "accounts");
    const cJSON *findings = arr(report, "findings");
    size_t na = (size_t)cJSON_GetArraySize(accounts);
    size_t nf = (size_t)cJSON_GetArraySize(findings);
    struct acct *acc = xcalloc(na, sizeof(*acc));
    const cJSON **owner = xcalloc(nf, sizeof(*owner));
    size_t *which = xcalloc(nf, sizeof(*which));
    struct table t;
    table_init(&t, na);
    size_t n = 0, k = 0;
    const cJSON *a, *f, *p;
    cJSON_ArrayForEach(a, accounts)
    {
        size_t idx = n;
        if (num(a, "findings") > 0 &&
            !table_find(&t, str(a, "user"), str(a, "host"), true, &idx)) {
            acc[n].a = a;
            acc[n].rank = (int)n + 1;
            acc[n].earliest = INT64_MAX;
            n++;
        }
    }
    *other = xcalloc(nf, sizeof(**other));
    *nother = 0;
    cJSON_ArrayForEach(f, findings)
    {
        size_t idx;
        if (table_find(&t, str(f, "user"), str(f, "host"), false, &idx)) {
            owner[k] = f;
            which[k++] = idx;
            acc[idx].nf++;
            if (sev_rank(str(f, "severity")) >= 4 &&
                cJSON_GetArraySize(arr(f, "files")) > 0) {
                acc[idx].restore_rank = 4;
            }
        } else {
            (*other)[(*nother)++] = f;
        }
    }
    for (size_t i = 0; i < n; i++) {
        acc[i].f = xcalloc(acc[i].nf, sizeof(*acc[i].f));
        acc[i].nf = 0;
    }
    for (size_t i = 0; i < k; i++) {
        struct acct *x = &acc[which[i]];
        x->f[x->nf++] = owner[i];
    }
    free(t.slot);
    for (size_t i = 0; i < n; i++) {
        struct acct *x = &acc[i];
        size_t cap = 0;
        for (size_t j = 0; j < x->nf; j++) {
            if (sev_rank(str(x->f[j], "severity")) >= x->restore_rank) {
                cap += (size_t)cJSON_GetArraySize(arr(x->f[j], "files"));
            }
        }
        x->files = xcalloc(cap, sizeof(*x->files));
        table_init(&t, cap);
        for (size_t j = 0; j < x->nf; j++) {
            f = x->f[j];
            if (sev_rank(str(f, "severity")) < x->restore_rank ||
                cJSON_GetArraySize(arr(f, "files")) == 0) {
                continue;
            }
            int64_t ts;
            if (parse_time(str(f, "first_seen"), &ts) && ts < x->earliest) {
                x->earliest = ts;
            }
            cJSON_ArrayForEach(p, arr(f, "files"))
            {
                size_t v = 0;
                if (cJSON_IsString(p) &&
                    !table_find(&t, p->valuestring, "", true, &v)) {
                    x->files[x->nfiles++] = p->valuestring;
                }
            }
        }
        free(t.slot);
    }
    free(owner);
    free(which);
    *nacc = n;
    return acc;
}

static void free_accounts(struct acct *acc, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(acc[i].f);
        free(acc[i].files);
    }
    free(acc);
}

static void put_account_name(FILE *out, const cJSON *o)
{
    const char *user = str(o, "user"), *host = str(o, "host");
    if (user[0] == '\0') {
        fputs("<span class=mute>(no user)</span>", out);
    } else {
        esc(out, user);
    }
    if (host[0]) {
        fputs("<span class=mute>@", out);
        esc(out, host);
        fputs("</span>", out);
    }
}

/* Address, country and network operator of a finding; with_org false
 * leaves the operator's name to a tooltip (the dense ranking table). */
static void put_source(FILE *out, const cJSON *f, bool with_org)
{
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(f, "source");
    if (!cJSON_IsObject(src)) {
        fputs("<span class=mute>—</span>", out);
        return;
    }
    fputs("<span class=mono>", out);
    esc(out, str(src, "ip"));
    fputs("</span>", out);
    const char *cc = str(src, "country");
    if (cc[0]) {
        fputs(" <b>", out);
        esc(out, cc);
        fputs("</b>", out);
    }
    double asn = num(src, "asn");
    const char *org = str(src, "as_org");
    if (!with_org && asn > 0) {
        fputs(" <span class=mute title=\"", out);
        esc(out, org);
        fprintf(out, "\">AS%.0f</span>", asn);
        return;
    }
    if (asn > 0 || org[0]) {
        fputs(" <span class=mute>", out);
        if (asn > 0) {
            fprintf(out, "AS%.0f", asn);
        }
        if (org[0]) {
            fputs(asn > 0 ? " " : "", out);
            esc(out, org);
        }
        fputs("</span>", out);
    }
}

/* The earliest and latest stamp in the document: what the logs cover. */
static void covered(const cJSON *report, int64_t *lo, int64_t *hi)
{
    const cJSON *o;
    int64_t t;
    *lo = INT64_MAX;
    *hi = INT64_MIN;
    cJSON_ArrayForEach(o, arr(report, "findings"))
    {
        if (parse_time(str(o, "first_seen"), &t) && t < *lo) {
            *lo = t;
        }
        if (parse_time(str(o, "last_seen"), &t) && t > *hi) {
            *hi = t;
        }
    }
    cJSON_ArrayForEach(o, arr(report, "accounts"))
    {
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(o, "baseline");
        if (parse_time(str(b, "first_seen"), &t) && t < *lo) {
            *lo = t;
        }
        if (parse_time(str(b, "last_seen"), &t) && t > *hi) {
            *hi = t;
        }
    }
}

static void put_epoch(FILE *out, int64_t t, const char *fmt)
{
    struct tm tm;
    char buf[64];
    local_tm(t, &tm);
    strftime(buf, sizeof(buf), fmt, &tm);
    fputs(buf, out);
}

static void write_header(FILE *out, const cJSON *report, struct acct *acc,
                         size_t nacc)
{
    size_t bad = 0, files = 0;
    for (size_t i = 0; i < nacc; i++) {
        bad += sev_rank(str(acc[i].a, "severity")) >= 4;
        files += acc[i].nfiles;
    }
    fputs("<header class=top><div class=in>"
          "<div class=brand>ftpaudit · FTP/SFTP account compromise triage"
          "</div>",
          out);
    if (bad > 0) {
        fprintf(out, "<h1 class=bad>%zu account%s likely compromised</h1>",
                bad, bad == 1 ? "" : "s");
    } else if (nacc > 0) {
        fprintf(out, "<h1>No likely compromise; %zu account%s with "
                     "findings to review</h1>",
                nacc, nacc == 1 ? "" : "s");
    } else {
        fputs("<h1 class=good>No compromise found</h1>", out);
    }

    const char *sde = getenv("SOURCE_DATE_EPOCH");
    int64_t now = sde != NULL && *sde ? strtoll(sde, NULL, 10)
                                      : (int64_t)time(NULL);
    int64_t lo, hi;
    covered(report, &lo, &hi);
    const cJSON *tot = cJSON_GetObjectItemCaseSensitive(report, "totals");
    fputs("<div class=facts><span>generated <b>", out);
    put_epoch(out, now, "%Y-%m-%d %H:%M %Z");
    fputs("</b></span><span>logs cover <b>", out);
    if (lo <= hi) {
        put_epoch(out, lo, "%Y-%m-%d %H:%M");
        fputs(" – ", out);
        put_epoch(out, hi, "%Y-%m-%d %H:%M");
    } else {
        fputs("no sessions", out);
    }
    fputs("</b></span><span>time zone <b>", out);
    esc(out, str(report, "timezone"));
    fputs("</b></span>", out);
    fprintf(out,
            "<span><b>%.0f</b> events · <b>%.0f</b> sessions · <b>%.0f</b> "
            "logins · <b>%.0f</b> failed · <b>%.0f</b> accounts · "
            "<b>%.0f</b> addresses</span>",
            num(tot, "events"), num(tot, "sessions"), num(tot, "logins"),
            num(tot, "failed_logins"), num(tot, "accounts"),
            num(tot, "addresses"));
    fprintf(out, "<span><b>%zu</b> file%s to restore</span>", files,
            files == 1 ? "" : "s");
    fputs("</div></div></header>\n", out);
}

static void write_off(FILE *out, const cJSON *report)
{
    const cJSON *off = arr(report, "off");
    if (cJSON_GetArraySize(off) == 0) {
        return;
    }
    fputs("<section class=\"card off\"><b>What was off in this run</b><ul>",
          out);
    const cJSON *o;
    cJSON_ArrayForEach(o, off)
    {
        if (cJSON_IsString(o)) {
            fputs("<li>", out);
            esc(out, o->valuestring);
            fputs("</li>", out);
        }
    }
    fputs("</ul></section>\n", out);
}

static bool input_clean(const cJSON *in)
{
    return strcmp(str(in, "status"), "read") == 0 &&
           num(in, "malformed") == 0;
}

static void input_row(FILE *out, const cJSON *in)
{
    fprintf(out, "<tr%s><td class=\"wrap mono\">",
            input_clean(in) ? "" : " class=warn");
    esc(out, str(in, "path"));
    fputs("</td><td>", out);
    const char *fmt = str(in, "format");
    if (fmt[0]) {
        esc(out, fmt);
    } else {
        fputs("<span class=mute>—</span>", out);
    }
    const cJSON *gz = cJSON_GetObjectItemCaseSensitive(in, "gzip");
    fputs(cJSON_IsTrue(gz) ? " <span class=mute>gz</span>" : "", out);
    fputs("</td><td>", out);
    esc(out, str(in, "status"));
    const char *msg = str(in, "message");
    if (msg[0]) {
        fputs(" <span class=mute>", out);
        esc(out, msg);
        fputs("</span>", out);
    }
    fprintf(out,
            "</td><td class=n>%.0f</td><td class=n>%.0f</td>"
            "<td class=n>%.0f</td><td class=n>%s%.0f%s</td><td class=n>",
            num(in, "lines"), num(in, "events"), num(in, "skipped"),
            num(in, "malformed") > 0 ? "<b>" : "", num(in, "malformed"),
            num(in, "malformed") > 0 ? "</b>" : "");
    put_bytes(out, num(in, "bytes"));
    fputs("</td></tr>\n", out);
    const cJSON *ex;
    cJSON_ArrayForEach(ex, arr(in, "malformed_examples"))
    {
        fprintf(out, "<tr class=warn><td colspan=8 class=\"ex wrap\">"
                     "line %.0f: ",
                num(ex, "line"));
        esc(out, str(ex, "why"));
        fputs(" — <code>", out);
        esc(out, str(ex, "text"));
        fputs("</code></td></tr>\n", out);
    }
}

static void write_inputs(FILE *out, const cJSON *report)
{
    const cJSON *inputs = arr(report, "inputs");
    int n = cJSON_GetArraySize(inputs), problems = 0;
    const cJSON *in;
    cJSON_ArrayForEach(in, inputs)
    {
        problems += !input_clean(in);
    }
    fprintf(out, "<section class=card id=inputs><h3 style=\"margin-top:0\">"
                 "Inputs read (%d file%s",
            n, n == 1 ? "" : "s");
    if (problems) {
        fprintf(out, ", %d with problems", problems);
    }
    fputs(")</h3><table><thead><tr><th>file</th><th>format</th>"
          "<th>status</th><th class=n>lines</th><th class=n>events</th>"
          "<th class=n>skipped</th><th class=n>malformed</th>"
          "<th class=n>size</th></tr></thead><tbody>\n",
          out);
    /* Files with problems always get a row; clean ones while there is
     * room, the rest are summed so a thousand rotated files stay short. */
    int room = HTML_INPUT_ROWS - problems, hidden = 0;
    double hlines = 0, hevents = 0, hbytes = 0;
    cJSON_ArrayForEach(in, inputs)
    {
        if (!input_clean(in) || room-- > 0) {
            input_row(out, in);
        } else {
            hidden++;
            hlines += num(in, "lines");
            hevents += num(in, "events");
            hbytes += num(in, "bytes");
        }
    }
    if (hidden > 0) {
        fprintf(out,
                "<tr><td class=mute colspan=3>%d more file%s read without "
                "problems</td><td class=n>%.0f</td><td class=n>%.0f</td>"
                "<td></td><td class=n>0</td><td class=n>",
                hidden, hidden == 1 ? "" : "s", hlines, hevents);
        put_bytes(out, hbytes);
        fputs("</td></tr>\n", out);
    }
    if (n == 0) {
        fputs("<tr><td colspan=8 class=mute>none</td></tr>\n", out);
    }
    fputs("</tbody></table></section>\n", out);
}

static void write_ranking(FILE *out, struct acct *acc, size_t nacc)
{
    fputs("<section class=card id=ranking><h3 style=\"margin-top:0\">"
          "Accounts ranked by risk</h3>",
          out);
    if (nacc == 0) {
        fputs("<p class=mute>No account has a finding.</p>", out);
    } else {
        fputs("<table><thead><tr><th class=n>#</th><th>risk</th>"
              "<th>severity</th><th>account</th><th>verdict</th>"
              "<th>source of the top finding</th><th>when</th>"
              "<th class=n>files</th></tr></thead><tbody>\n",
              out);
    }
    for (size_t i = 0; i < nacc; i++) {
        const cJSON *a = acc[i].a;
        const char *sev = sev_class(str(a, "severity"));
        double risk = num(a, "risk");
        risk = risk < 0 ? 0 : risk > 100 ? 100 : risk;
        fprintf(out,
                "<tr><td class=n>%d</td><td class=n style=\"white-space:"
                "nowrap\"><span class=bar><i class=sev-%s style=\"width:"
                "%.0f%%\"></i></span><b>%.0f</b></td><td>",
                acc[i].rank, sev, risk, risk);
        badge(out, sev, 0, false);
        fprintf(out, "</td><td class=\"wrap mono\"><a href=\"#a%d\">",
                acc[i].rank);
        put_account_name(out, a);
        fputs("</a></td><td>", out);
        esc(out, str(a, "verdict"));
        fputs("</td><td class=wrap>", out);
        if (acc[i].nf > 0) {
            put_source(out, acc[i].f[0], false);
            fputs("</td><td style=\"white-space:nowrap\">", out);
            put_time_fmt(out, str(acc[i].f[0], "first_seen"),
                         "%Y-%m-%d %H:%M");
        } else {
            fputs("</td><td>", out);
        }
        fprintf(out, "</td><td class=n>%zu</td></tr>\n", acc[i].nfiles);
    }
    if (nacc > 0) {
        fputs("</tbody></table>", out);
    }
    fputs("</section>\n", out);
}

/* The addresses behind high and critical findings, one row each: what an
 * abuse desk blocks or reports to the network's owner. */
struct addr_row {
    const cJSON *src;        /* of the first (highest) finding */
    int accounts;
    int64_t lo, hi;
};

static void write_addresses(FILE *out, const cJSON *report)
{
    const cJSON *findings = arr(report, "findings");
    size_t n = (size_t)cJSON_GetArraySize(findings), rows = 0;
    struct addr_row *row = xcalloc(n, sizeof(*row));
    struct table t;
    table_init(&t, n);
    const cJSON *f;
    cJSON_ArrayForEach(f, findings)
    {
        const cJSON *src = cJSON_GetObjectItemCaseSensitive(f, "source");
        if (sev_rank(str(f, "severity")) < 4 || !cJSON_IsObject(src)) {
            continue;
        }
        size_t i = rows;
        if (!table_find(&t, str(src, "ip"), "", true, &i)) {
            row[rows++] = (struct addr_row){src, 0, INT64_MAX, INT64_MIN};
        }
        int64_t ts;
        row[i].accounts++;
        if (parse_time(str(f, "first_seen"), &ts) && ts < row[i].lo) {
            row[i].lo = ts;
        }
        if (parse_time(str(f, "last_seen"), &ts) && ts > row[i].hi) {
            row[i].hi = ts;
        }
    }
    free(t.slot);
    if (rows > 0) {
        fputs("<section class=card id=addresses><h3 style=\"margin-top:0\">"
              "Addresses behind the high/critical findings</h3><table>"
              "<thead><tr><th>address</th><th>country</th>"
              "<th>network operator</th><th class=n>findings</th>"
              "<th>first seen</th><th>last seen</th></tr></thead><tbody>\n",
              out);
    }
    for (size_t i = 0; i < rows; i++) {
        const cJSON *src = row[i].src;
        fputs("<tr><td class=\"mono wrap\"><b>", out);
        esc(out, str(src, "ip"));
        fputs("</b></td><td>", out);
        esc(out, str(src, "country"));
        fputs(str(src, "country")[0] ? "" : "<span class=mute>—</span>", out);
        fputs("</td><td class=wrap>", out);
        if (num(src, "asn") > 0) {
            fprintf(out, "AS%.0f ", num(src, "asn"));
        } else if (!str(src, "as_org")[0]) {
            fputs("<span class=mute>—</span>", out);
        }
        esc(out, str(src, "as_org"));
        fprintf(out, "</td><td class=n>%d</td><td>", row[i].accounts);
        if (row[i].lo <= row[i].hi) {
            put_epoch(out, row[i].lo, "%Y-%m-%d %H:%M:%S");
            fputs("</td><td>", out);
            put_epoch(out, row[i].hi, "%Y-%m-%d %H:%M:%S");
        } else {
            fputs("</td><td>", out);
        }
        fputs("</td></tr>\n", out);
    }
    if (rows > 0) {
        fputs("</tbody></table></section>\n", out);
    }
    free(row);
}

/* One run of lines, kept on one line of text. */
static void put_run(FILE *out, double lo, double hi, bool first)
{
    fprintf(out, "%s<span class=nw>%.0f", first ? "" : ", ", lo);
    if (hi > lo) {
        fprintf(out, "–%.0f", hi);
    }
    fputs("</span>", out);
}

/* "file line 11, 15–18" per evidence file, in the order first cited. */
static void write_evidence(FILE *out, const cJSON *f)
{
    const cJSON *ev = arr(f, "evidence");
    int n = cJSON_GetArraySize(ev);
    if (n == 0) {
        return;
    }
    const cJSON **item = xcalloc((size_t)n, sizeof(*item));
    bool *done = xcalloc((size_t)n, sizeof(*done));
    int k = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, ev)
    {
        item[k++] = e;
    }
    fputs("<div class=\"ex wrap\">evidence: ", out);
    for (int i = 0; i < n; i++) {
        if (done[i]) {
            continue;
        }
        const char *file = str(item[i], "file");
        fputs(i ? "; <code>" : "<code>", out);
        esc(out, file);
        fputs("</code> line ", out);
        double lo = 0, hi = 0;
        bool have = false, first = true;
        for (k = i; k < n; k++) {
            if (done[k] || strcmp(str(item[k], "file"), file) != 0) {
                continue;
            }
            done[k] = true;
            double line = num(item[k], "line");
            if (have && line == hi + 1) {
                hi = line;
                continue;
            }
            if (have) {
                put_run(out, lo, hi, first);
                first = false;
            }
            lo = hi = line;
            have = true;
        }
        if (have) {
            put_run(out, lo, hi, first);
        }
    }
    fputs("</div>", out);
    free(done);
    free(item);
}

/* One finding; list_files shows its files when they are not in a restore
 * block. */
static void write_finding(FILE *out, const cJSON *f, bool list_files)
{
    const char *sev = sev_class(str(f, "severity"));
    fprintf(out, "<div class=\"finding sev-b-%s\"><div class=head>", sev);
    badge(out, sev, num(f, "score"), true);
    fputs("<b class=mono>", out);
    esc(out, str(f, "rule"));
    fputs("</b><span>from ", out);
    put_source(out, f, true);
    fputs("</span><span class=mute>", out);
    put_span(out, str(f, "first_seen"), str(f, "last_seen"));
    fputs("</span></div>", out);

    const cJSON *counts = cJSON_GetObjectItemCaseSensitive(f, "counts");
    fprintf(out,
            "<div><span class=mute>did:</span> %.0f uploads · %.0f downloads "
            "· %.0f deletes · %.0f failed logins &nbsp; "
            "<span class=mute>rules:</span> ",
            num(counts, "uploads"), num(counts, "downloads"),
            num(counts, "deletes"), num(counts, "failed_logins"));
    const cJSON *r;
    cJSON_ArrayForEach(r, arr(f, "rules"))
    {
        if (cJSON_IsString(r)) {
            fputs("<span class=chip>", out);
            esc(out, r->valuestring);
            fputs("</span>", out);
        }
    }
    int nt = 0;
    cJSON_ArrayForEach(r, arr(f, "techniques"))
    {
        if (cJSON_IsString(r)) {
            fputs(nt++ ? " · " : " <span class=mute>ATT&amp;CK ", out);
            esc(out, r->valuestring);
        }
    }
    fputs(nt ? "</span>" : "", out);
    fputs("</div><ul>", out);
    cJSON_ArrayForEach(r, arr(f, "reasons"))
    {
        if (cJSON_IsString(r)) {
            fputs("<li class=wrap>", out);
            esc(out, r->valuestring);
            fputs("</li>", out);
        }
    }
    fputs("</ul>", out);
    const cJSON *p;
    if (list_files && cJSON_GetArraySize(arr(f, "files")) > 0) {
        fputs("<div class=\"ex wrap\">files changed: ", out);
        int i = 0;
        cJSON_ArrayForEach(p, arr(f, "files"))
        {
            if (cJSON_IsString(p)) {
                fputs(i++ ? ", <code>" : "<code>", out);
                esc(out, p->valuestring);
                fputs("</code>", out);
            }
        }
        fputs("</div>", out);
    }
    write_evidence(out, f);
    fputs("</div>\n", out);
}

/* ---- timeline ---------------------------------------------------------- */

struct tl_session {
    int64_t start, end;          /* local seconds */
    const cJSON *s;
    int colour;                  /* palette index, HTML_PALETTE for other */
    int sev;
};

struct tl_key {
    const char *network, *country;
    int sessions, flagged;
};

static int tl_key_index(struct tl_key *keys, int *nkeys, const cJSON *s)
{
    const char *net = str(s, "network");
    if (net[0] == '\0') {
        net = str(s, "ip");
    }
    for (int i = 0; i < *nkeys; i++) {
        if (strcmp(keys[i].network, net) == 0) {
            return i;
        }
    }
    keys[*nkeys] = (struct tl_key){net, str(s, "country"), 0, 0};
    return (*nkeys)++;
}

static int cmp_keys(const void *x, const void *y)
{
    const struct tl_key *a = x, *b = y;
    if (a->sessions != b->sessions) {
        return b->sessions > a->sessions ? 1 : -1;
    }
    return strcmp(a->network, b->network);
}

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

static const char *const wday_names[7] = {
    "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
};

/* Weekday, Monday 0, of a day number since 1970-01-01 (a Thursday). */
static int weekday_of(int64_t day)
{
    return (int)(((day + 3) % 7 + 7) % 7);
}

static void put_day_label(FILE *out, int64_t day)
{
    int64_t t = day * 86400;
    struct tm tm;
    char buf[32];
    time_t tt = (time_t)t;
    gmtime_r(&tt, &tm);
    strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
    fprintf(out, "%s %s", wday_names[weekday_of(day)], buf);
}

/*
 * The account's recent sessions, one row per day and the hours of the day
 * across: an owner's routine reads as a column of bars, the intruder's
 * session as a marked bar somewhere else.  Colour is the network (the
 * country beside it in the legend); high and critical sessions get a red
 * outline and a triangle with their score.
 */
static void write_timeline(FILE *out, const cJSON *a, int hour_hits[24],
                           int wday_hits[7])
{
    const cJSON *tl = arr(a, "timeline");
    int n = cJSON_GetArraySize(tl);
    if (n <= 0) {
        return;
    }
    struct tl_session *ss = xcalloc((size_t)n, sizeof(*ss));
    struct tl_key *keys = xcalloc((size_t)n, sizeof(*keys));
    int ns = 0, nkeys = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, tl)
    {
        int64_t t0, t1;
        if (!parse_time(str(s, "start"), &t0)) {
            continue;
        }
        if (!parse_time(str(s, "end"), &t1) || t1 < t0) {
            t1 = t0;
        }
        struct tl_session *x = &ss[ns++];
        x->start = local_secs(t0);
        x->end = x->start + (t1 - t0);
        x->s = s;
        x->sev = sev_rank(str(s, "severity"));
        int k = tl_key_index(keys, &nkeys, s);
        keys[k].sessions++;
        keys[k].flagged += x->sev >= 4;
        if (x->sev >= 4) {
            int64_t sec = x->start % 86400;
            sec += sec < 0 ? 86400 : 0;
            hour_hits[sec / 3600] = 1;
            wday_hits[weekday_of(floor_div(x->start, 86400))] = 1;
        }
    }
    if (ns == 0) {
        free(ss);
        free(keys);
        return;
    }
    qsort(keys, (size_t)nkeys, sizeof(*keys), cmp_keys);
    for (int i = 0; i < ns; i++) {
        int k = tl_key_index(keys, &nkeys, ss[i].s);
        ss[i].colour = k < HTML_PALETTE ? k : HTML_PALETTE;
    }

    /* The rows: every day of a short span, else the days with sessions. */
    int64_t dmin = INT64_MAX, dmax = INT64_MIN;
    for (int i = 0; i < ns; i++) {
        int64_t d0 = floor_div(ss[i].start, 86400);
        int64_t d1 = floor_div(ss[i].end, 86400);
        dmin = d0 < dmin ? d0 : dmin;
        dmax = d1 > dmax ? d1 : dmax;
    }
    int64_t *days;
    int nd = 0;
    if (dmax - dmin + 1 <= HTML_TIMELINE_DAYS) {
        days = xcalloc((size_t)(dmax - dmin + 1), sizeof(*days));
        for (int64_t d = dmin; d <= dmax; d++) {
            days[nd++] = d;
        }
    } else {
        int64_t *all = xcalloc((size_t)ns * 2, sizeof(*all));
        int na = 0;
        for (int i = 0; i < ns; i++) {
            int64_t d0 = floor_div(ss[i].start, 86400);
            int64_t d1 = floor_div(ss[i].end, 86400);
            all[na++] = d0;
            /* A session longer than a day shows on its first and last. */
            if (d1 != d0) {
                all[na++] = d1;
            }
        }
        qsort(all, (size_t)na, sizeof(*all), cmp_i64);
        days = xcalloc((size_t)na, sizeof(*days));
        for (int i = 0; i < na; i++) {
            if (nd == 0 || days[nd - 1] != all[i]) {
                days[nd++] = all[i];
            }
        }
        free(all);
    }

    const int left = 112, right = 44, top = 22, row = 17, plot = 760;
    const int width = left + plot + right;
    const int height = top + nd * row + 6;
    fprintf(out,
            "<svg class=timeline width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" role=img aria-label=\"sessions by day "
            "and hour\">",
            width, height, width, height);
    /* Hour grid. */
    for (int h = 0; h <= 24; h++) {
        double x = left + plot * h / 24.0;
        fprintf(out,
                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
                "stroke=\"%s\" stroke-width=\"1\"/>",
                x, top - 4, x, top + nd * row, h % 6 ? "#eef1f4" : "#cfd6de");
        if (h % 3 == 0) {
            fprintf(out,
                    "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" "
                    "fill=\"#5d6b7a\" text-anchor=\"middle\">%02d:00</text>",
                    x, top - 8, h);
        }
    }
    for (int r = 0; r < nd; r++) {
        int y = top + r * row;
        /* Rows skip quiet days in a long span; a week or more is shown. */
        int64_t skipped = r > 0 ? days[r] - days[r - 1] - 1 : 0;
        bool gap = skipped >= HTML_TIMELINE_GAP;
        int wd = weekday_of(days[r]);
        if (wd >= 5) {
            fprintf(out,
                    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                    "fill=\"#f5f3ee\"/>",
                    left, y, plot, row);
        }
        fprintf(out,
                "<line x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                "stroke-width=\"1\"%s/>",
                y, left + plot, y, gap ? "#9aa5b1" : "#eef1f4",
                gap ? " stroke-dasharray=\"3 3\"" : "");
        if (gap) {
            fprintf(out,
                    "<text x=\"%d\" y=\"%d\" font-size=\"9\" "
                    "fill=\"#5d6b7a\">%lld days</text>",
                    left + plot + 3, y + 3, (long long)skipped);
        }
        fprintf(out,
                "<text x=\"4\" y=\"%d\" font-size=\"10.5\" fill=\"%s\">",
                y + 12, wd >= 5 ? "#8a6d3b" : "#33404d");
        put_day_label(out, days[r]);
        fputs("</text>", out);
    }
    /* Sessions: one bar per day piece, flagged ones drawn last (on top). */
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < ns; i++) {
            struct tl_session *x = &ss[i];
            if ((x->sev >= 4) != (pass == 1)) {
                continue;
            }
            for (int r = 0; r < nd; r++) {
                int64_t d0 = days[r] * 86400, d1 = d0 + 86400;
                if (x->end < d0 || x->start >= d1) {
                    continue;
                }
                int64_t a0 = x->start > d0 ? x->start : d0;
                int64_t a1 = x->end < d1 ? x->end : d1;
                double x0 = left + plot * (double)(a0 - d0) / 86400.0;
                double w = plot * (double)(a1 - a0) / 86400.0;
                /* Short sessions stay visible; flagged ones more so. */
                double wmin = x->sev >= 4 ? 6 : 4;
                if (w < wmin) {
                    x0 -= (wmin - w) / 2;
                    w = wmin;
                }
                int y = top + r * row + 3;
                const char *fill = x->colour < HTML_PALETTE
                                       ? palette[x->colour]
                                       : HTML_OTHER_COLOUR;
                fputs("<g>", out);
                fputs("<title>", out);
                put_span(out, str(x->s, "start"), str(x->s, "end"));
                fputs("  ", out);
                esc(out, str(x->s, "ip"));
                fputs(" (", out);
                esc(out, str(x->s, "network"));
                const char *cc = str(x->s, "country");
                if (cc[0]) {
                    fputs(", ", out);
                    esc(out, cc);
                }
                fprintf(out,
                        ")  %s, score %.0f  %.0f up / %.0f down / %.0f "
                        "del</title>",
                        sev_names[x->sev], num(x->s, "score"),
                        num(x->s, "uploads"), num(x->s, "downloads"),
                        num(x->s, "deletes"));
                if (x->sev >= 4) {
                    fprintf(out,
                            "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
                            "height=\"%d\" fill=\"%s\" stroke=\"#c4172c\" "
                            "stroke-width=\"2\" rx=\"1\"/>",
                            x0, y, w, row - 6, fill);
                    double cx = x0 + w / 2;
                    fprintf(out,
                            "<path d=\"M%.1f %d l-4.5 -6 h9 z\" "
                            "fill=\"#c4172c\"/>"
                            "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" "
                            "font-weight=\"700\" fill=\"#c4172c\">%.0f"
                            "</text>",
                            cx, y - 1, x0 + w + 4, y + row - 7,
                            num(x->s, "score"));
                } else {
                    const char *stroke =
                        x->sev == 3 ? "#d9700b"
                                    : x->sev == 2 ? "#b8930a" : "none";
                    fprintf(out,
                            "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
                            "height=\"%d\" fill=\"%s\" stroke=\"%s\" "
                            "stroke-width=\"1.5\" rx=\"1\"/>",
                            x0, y, w, row - 6, fill, stroke);
                }
                fputs("</g>", out);
            }
        }
    }
    fputs("</svg>\n<div class=legend>", out);
    for (int k = 0; k < nkeys && k <= HTML_PALETTE; k++) {
        if (k == HTML_PALETTE) {
            int rest = 0;
            for (int j = k; j < nkeys; j++) {
                rest += keys[j].sessions;
            }
            fprintf(out,
                    "<span><i style=\"background:%s\"></i>%d other "
                    "networks, %d sessions</span>",
                    HTML_OTHER_COLOUR, nkeys - k, rest);
            break;
        }
        fprintf(out, "<span class=mono><i style=\"background:%s\"></i>",
                palette[k]);
        esc(out, keys[k].network);
        if (keys[k].country[0]) {
            fputs(" ", out);
            esc(out, keys[k].country);
        }
        fprintf(out, " ×%d", keys[k].sessions);
        if (keys[k].flagged) {
            fprintf(out, " <b style=\"color:#c4172c\">%d flagged</b>",
                    keys[k].flagged);
        }
        fputs("</span>", out);
    }
    fputs("<span><b style=\"color:#c4172c\">▼</b> high/critical session "
          "with its score</span><span>orange/yellow outline: medium/low"
          "</span><span>weekends shaded</span></div>\n",
          out);
    free(days);
    free(ss);
    free(keys);
}

/* A strip of count cells shaded from pale to deep blue. */
static void heat_strip(FILE *out, const cJSON *counts, int ncells,
                       const int *hits, const char *const *labels,
                       int cell)
{
    double max = 0;
    for (int i = 0; i < ncells; i++) {
        double v = cJSON_IsNumber(cJSON_GetArrayItem(counts, i))
                       ? cJSON_GetArrayItem(counts, i)->valuedouble
                       : 0;
        max = v > max ? v : max;
    }
    int w = ncells * cell + 2, h = cell + 16;
    fprintf(out,
            "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
            "role=img>",
            w, h, w, h);
    for (int i = 0; i < ncells; i++) {
        const cJSON *c = cJSON_GetArrayItem(counts, i);
        double v = cJSON_IsNumber(c) ? c->valuedouble : 0;
        double t = v > 0 ? 0.25 + 0.75 * v / max : 0;
        int r = (int)(238 - t * (238 - 31)), g = (int)(242 - t * (242 - 78)),
            b = (int)(246 - t * (246 - 140));
        int x = 1 + i * cell;
        fprintf(out,
                "<rect x=\"%d\" y=\"1\" width=\"%d\" height=\"%d\" "
                "fill=\"rgb(%d,%d,%d)\" stroke=\"%s\" stroke-width=\"%s\">"
                "<title>%s: %.0f sessions</title></rect>",
                x, cell - 1, cell - 1, r, g, b,
                hits[i] ? "#c4172c" : "#fff", hits[i] ? "2" : "1",
                labels[i], v);
        if (v > 0) {
            fprintf(out,
                    "<text x=\"%.1f\" y=\"%d\" font-size=\"9\" "
                    "text-anchor=\"middle\" fill=\"%s\">%.0f</text>",
                    x + (cell - 1) / 2.0, cell / 2 + 4,
                    t > 0.55 ? "#fff" : "#1b2430", v);
        }
        fprintf(out,
                "<text x=\"%.1f\" y=\"%d\" font-size=\"9\" "
                "text-anchor=\"middle\" fill=\"%s\">%s</text>",
                x + (cell - 1) / 2.0, cell + 12,
                hits[i] ? "#c4172c" : "#5d6b7a", labels[i]);
    }
    fputs("</svg>", out);
}

static void write_chips(FILE *out, const cJSON *list, const cJSON *tl,
                        const char *key)
{
    const cJSON *o;
    int n = 0;
    cJSON_ArrayForEach(o, list)
    {
        if (!cJSON_IsString(o)) {
            continue;
        }
        /* A value seen only in high/critical sessions of the timeline came
         * with the intruder: the baseline learned it after judging. */
        int flagged = 0, clean = 0;
        const cJSON *s;
        cJSON_ArrayForEach(s, tl)
        {
            if (strcmp(str(s, key), o->valuestring) == 0) {
                if (sev_rank(str(s, "severity")) >= 4) {
                    flagged++;
                } else {
                    clean++;
                }
            }
        }
        fputs(flagged && !clean ? "<span class=\"chip bad mono\">"
                                : "<span class=\"chip mono\">",
              out);
        esc(out, o->valuestring);
        fputs(flagged && !clean ? " (intruder only)</span>" : "</span>", out);
        n++;
    }
    if (n == 0) {
        fputs("<span class=mute>none known</span>", out);
    }
}

static void write_baseline(FILE *out, const cJSON *a, const int *hour_hits,
                           const int *wday_hits)
{
    static const char *const hour_labels[24] = {
        "0",  "1",  "2",  "3",  "4",  "5",  "6",  "7",  "8",  "9",  "10", "11",
        "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23",
    };
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(a, "baseline");
    const cJSON *tl = arr(a, "timeline");
    fputs("<h3>Baseline it was judged against</h3><dl class=kv>", out);
    fprintf(out, "<dt>sessions</dt><dd>%.0f", num(b, "sessions"));
    if (str(b, "first_seen")[0]) {
        fputs(" <span class=mute>seen ", out);
        put_span(out, str(b, "first_seen"), str(b, "last_seen"));
        fputs("</span>", out);
    }
    fputs("</dd><dt>countries</dt><dd>", out);
    write_chips(out, arr(b, "countries"), tl, "country");
    fputs("</dd><dt>networks</dt><dd>", out);
    write_chips(out, arr(b, "networks"), tl, "network");
    fputs("</dd></dl>", out);
    const cJSON *hours = arr(b, "hours");
    const cJSON *wdays = arr(b, "weekdays");
    if (cJSON_GetArraySize(hours) == 24) {
        fputs("<div class=ex style=\"margin-top:6px\">sessions started per "
              "hour of day (local)</div>",
              out);
        heat_strip(out, hours, 24, hour_hits, hour_labels, 20);
    }
    if (cJSON_GetArraySize(wdays) == 7) {
        fputs("<div class=ex>per day of week</div>", out);
        heat_strip(out, wdays, 7, wday_hits, wday_names, 28);
    }
    fputs("<div class=ex>The baseline is the account's state at the end of "
          "the logs, flagged sessions included; red marks the hours, days "
          "and places of the high/critical sessions.</div>",
          out);
}

static void write_restore(FILE *out, const struct acct *x)
{
    size_t n = x->nfiles;
    bool intruder = x->restore_rank >= 4;
    fputs(intruder ? "<h3>Files to restore</h3>"
                   : "<h3>Files changed in the flagged sessions</h3>",
          out);
    if (n == 0) {
        fputs("<p class=mute style=\"margin:0\">No file changed by a "
              "flagged session.</p>",
              out);
        return;
    }
    fputs("<pre class=restore>", out);
    for (size_t i = 0; i < n; i++) {
        esc(out, x->files[i]);
        fputc('\n', out);
    }
    fputs("</pre>", out);
    fprintf(out, "<div class=ex>%zu file%s", n, n == 1 ? "" : "s");
    if (intruder && x->earliest != INT64_MAX) {
        fputs(" written by the high/critical sessions: restore them from a "
              "backup taken before ",
              out);
        put_epoch(out, x->earliest, "%Y-%m-%d %H:%M:%S");
        fputs(", delete the ones the site did not have then, and change "
              "the account's password",
              out);
    } else {
        fputs(": no session was judged high or critical; review before "
              "restoring",
              out);
    }
    fputs(".</div>", out);
}

/* The timeline keeps an account's most recent sessions only: say so when
 * a finding is older, rather than let its absence read as "not there". */
static void write_timeline_gap(FILE *out, const struct acct *x)
{
    const cJSON *tl = arr(x->a, "timeline");
    const cJSON *first = cJSON_GetArrayItem(tl, 0);
    int64_t t0, t;
    size_t older = 0;
    if (first == NULL || !parse_time(str(first, "start"), &t0)) {
        return;
    }
    for (size_t i = 0; i < x->nf; i++) {
        older += parse_time(str(x->f[i], "last_seen"), &t) && t < t0;
    }
    if (older > 0) {
        fprintf(out,
                "<div class=ex>%zu of the findings above came before the "
                "first session drawn here (",
                older);
        put_epoch(out, t0, "%Y-%m-%d %H:%M");
        fputs("): the timeline holds the account's most recent sessions "
              "only.</div>",
              out);
    }
}

static void write_account(FILE *out, const cJSON *report,
                          const struct acct *x)
{
    const cJSON *a = x->a;
    const char *sev = sev_class(str(a, "severity"));
    fprintf(out,
            "<section class=\"card acct sev-b-%s\" id=\"a%d\"><header>"
            "<span class=mute>#%d</span>",
            sev, x->rank, x->rank);
    badge(out, sev, num(a, "risk"), true);
    fputs("<h2 class=wrap>", out);
    put_account_name(out, a);
    fputs("</h2><span class=verdict>", out);
    esc(out, str(a, "verdict"));
    fputs("</span></header>", out);

    fprintf(out, "<h3>Findings (%zu)</h3>", x->nf);
    for (size_t i = 0; i < x->nf; i++) {
        write_finding(out, x->f[i],
                      sev_rank(str(x->f[i], "severity")) < x->restore_rank);
    }

    int hour_hits[24] = {0}, wday_hits[7] = {0};
    if (cJSON_GetArraySize(arr(a, "timeline")) > 0) {
        fprintf(out, "<div class=tl><h3>Timeline: the last %d sessions, ",
                cJSON_GetArraySize(arr(a, "timeline")));
        esc(out, str(report, "timezone"));
        fputs("</h3>", out);
        write_timeline(out, a, hour_hits, wday_hits);
        write_timeline_gap(out, x);
        fputs("</div>", out);
    }
    fputs("<div class=cols><div>", out);
    write_baseline(out, a, hour_hits, wday_hits);
    fputs("</div><div>", out);
    write_restore(out, x);
    fputs("</div></div></section>\n", out);
}

static void write_unmatched(FILE *out, const cJSON **other, size_t nother)
{
    for (size_t i = 0; i < nother; i++) {
        const cJSON *f = other[i];
        if (i == 0) {
            fputs("<section class=card id=other><h3 style=\"margin-top:0\">"
                  "Findings not tied to one account</h3>",
                  out);
        }
        fputs("<div class=mono>", out);
        put_account_name(out, f);
        fputs("</div>", out);
        write_finding(out, f, true);
    }
    if (nother > 0) {
        fputs("</section>\n", out);
    }
}

static void write_quiet(FILE *out, const cJSON *report)
{
    int n = 0, shown = 0;
    const cJSON *a;
    cJSON_ArrayForEach(a, arr(report, "accounts"))
    {
        n += num(a, "findings") <= 0;
    }
    if (n == 0) {
        return;
    }
    fprintf(out,
            "<section class=card id=quiet><h3 style=\"margin-top:0\">"
            "%d account%s without findings</h3><div class=\"wrap mono\" "
            "style=\"font-size:11.5px\">",
            n, n == 1 ? "" : "s");
    cJSON_ArrayForEach(a, arr(report, "accounts"))
    {
        if (num(a, "findings") > 0) {
            continue;
        }
        if (shown == HTML_QUIET_NAMES) {
            fprintf(out, " <span class=mute>… and %d more</span>", n - shown);
            break;
        }
        fputs(shown++ ? ", " : "", out);
        put_account_name(out, a);
    }
    fputs("</div></section>\n", out);
}

int fa_write_html(FILE *out, const cJSON *report)
{
    size_t nacc, nother;
    const cJSON **other;
    struct acct *acc = group_findings(report, &nacc, &other, &nother);

    fputs("<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>\n"
          "<meta http-equiv=\"Content-Security-Policy\" "
          "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
          "<meta name=viewport content=\"width=device-width, "
          "initial-scale=1\">\n"
          "<meta name=generator content=ftpaudit>\n",
          out);
    fputs("<title>ftpaudit triage report</title>\n<style>\n", out);
    fputs(page_css, out);
    fputs("</style></head><body>\n", out);
    write_header(out, report, acc, nacc);
    fputs("<main>\n", out);
    write_off(out, report);
    write_inputs(out, report);
    write_ranking(out, acc, nacc);
    write_addresses(out, report);
    for (size_t i = 0; i < nacc; i++) {
        write_account(out, report, &acc[i]);
    }
    write_unmatched(out, other, nother);
    write_quiet(out, report);
    fputs("<footer>ftpaudit scan report · the same data as "
          "<code>--format json</code> · how the scores are made: "
          "docs/detection.md</footer>\n</main></body></html>\n",
          out);
    free_accounts(acc, nacc);
    free(other);
    return ferror(out) ? -1 : 0;
}
