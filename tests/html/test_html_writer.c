/*
 * fa_write_html() on report documents the scan command would never make:
 * missing keys, wrong types, unreadable and extreme stamps, a timeline
 * across decades, strings full of markup and control bytes.  The page must
 * come out whole (ends with </html>, return 0) with every such string
 * escaped, and never crash (the ASan build runs this too).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "../../cmd/cli.h"

static int passed, failed;

static void check(int cond, const char *what)
{
    if (cond) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s\n", what);
    }
}

/* The page for a report given as JSON text, in malloc'd memory. */
static char *page_of(const char *json, const char *what)
{
    cJSON *doc = cJSON_Parse(json);
    if (doc == NULL) {
        printf("FAIL test JSON does not parse: %.60s\n", json);
        exit(1);
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    int rc = fa_write_html(f, doc);
    fclose(f);
    cJSON_Delete(doc);
    if (rc != 0 || len < 8 || strcmp(buf + len - 8, "</html>\n") != 0) {
        printf("(%s)\n", what);
    }
    check(rc == 0, "fa_write_html returns 0");
    check(len >= 8 && strcmp(buf + len - 8, "</html>\n") == 0,
          "the page ends with </html>");
    return buf;
}

static void whole(const char *json, const char *what)
{
    free(page_of(json, what));
}

static const char hostile_account[] =
    "{\"findings\":[{\"rule\":\"stolen-credential-login\","
    "\"severity\":\"high\",\"score\":90,\"user\":\"<x>&\\\"'\","
    "\"host\":\"h</style>\",\"source\":{\"ip\":\"1.2.3.4\","
    "\"country\":\"<C\",\"asn\":1,\"as_org\":\"\\\"><b>\"},"
    "\"first_seen\":\"2026-11-04T03:17:44Z\","
    "\"last_seen\":\"2026-11-04T03:17:52Z\",\"rules\":[\"<r>\"],"
    "\"techniques\":[\"<t>\"],\"reasons\":[\"a\\u0001b\\u202ec\"],"
    "\"files\":[\"/a<b>\",\"/a<b>\",\"/c\\u0085d\"],\"counts\":{},"
    "\"evidence\":[{\"file\":\"<f>\",\"line\":3},{\"file\":\"<f>\","
    "\"line\":4},{\"file\":\"g\",\"line\":9},{\"file\":\"<f>\","
    "\"line\":7}]}],"
    "\"accounts\":[{\"user\":\"<x>&\\\"'\",\"host\":\"h</style>\","
    "\"risk\":90,\"severity\":\"high\\\" onclick=\\\"x\","
    "\"verdict\":\"<v>\",\"findings\":1,\"baseline\":{\"sessions\":2,"
    "\"countries\":[\"<C\"],\"networks\":[\"<n>\"],"
    "\"hours\":[0,0,0,1,0,0,0,0,0,1,1,0,0,0,0,0,0,0,0,0,0,0,0,0],"
    "\"weekdays\":[1,1,1,0,0,0,0]},\"timeline\":["
    "{\"start\":\"2026-11-02T09:12:03Z\",\"end\":\"2026-11-02T09:13:40Z\","
    "\"ip\":\"<i>\",\"network\":\"<n>\",\"severity\":\"info\"},"
    "{\"start\":\"2026-11-04T03:17:44.5+01:00\","
    "\"end\":\"2026-11-05T03:17:52Z\",\"ip\":\"1.2.3.4\","
    "\"network\":\"<m>\",\"country\":\"<C\",\"score\":90,"
    "\"severity\":\"high\"}]}],"
    "\"inputs\":[{\"path\":\"<p>\",\"status\":\"<s>\",\"format\":null,"
    "\"gzip\":true,\"malformed\":1,\"message\":\"<m>\","
    "\"malformed_examples\":[{\"line\":1,\"why\":\"<w>\","
    "\"text\":\"<img src=x>\"}]}],"
    "\"off\":[\"<o>\",5],\"timezone\":\"<z>\"}";

static void test_escaping(void)
{
    char *p = page_of(hostile_account, "hostile account");
    check(strstr(p, "&lt;x&gt;&amp;&quot;&#39;") != NULL, "user escaped");
    check(strstr(p, "<x>") == NULL, "no raw user");
    check(strstr(p, "h&lt;/style&gt;") != NULL, "host escaped");
    check(strstr(p, "</style>") == strstr(p, "</style></head>"),
          "one </style>, the page's own");
    check(strstr(p, "&quot;&gt;&lt;b&gt;") != NULL, "AS org escaped");
    check(strstr(p, "onclick") == NULL, "odd severity not echoed");
    check(strstr(p, "<img") == NULL, "malformed line escaped");
    check(strstr(p, "a\\x01b\\u202Ec") != NULL, "controls visible");
    check(strstr(p, "/c\\u0085d") != NULL, "C1 control visible");
    check(strstr(p, "<pre class=restore>/a&lt;b&gt;\n/c\\u0085d\n</pre>") !=
              NULL,
          "restore block: each file once");
    check(strstr(p, "<code>&lt;f&gt;</code> line <span class=nw>3–4</span>, "
                    "<span class=nw>7</span>; <code>g</code> line "
                    "<span class=nw>9</span>") != NULL,
          "evidence grouped by file with line ranges");
    check(strstr(p, "&lt;o&gt;") != NULL, "off note escaped");
    check(strstr(p, "&lt;z&gt;") != NULL, "zone escaped");
    free(p);
}

static void test_shapes(void)
{
    whole("{}", "empty object");
    whole("[]", "array document");
    whole("{\"findings\":5,\"accounts\":\"x\",\"inputs\":{},\"off\":1}",
          "wrong container types");
    whole("{\"accounts\":[{\"findings\":1,\"risk\":\"x\",\"user\":5,"
          "\"baseline\":{\"hours\":[1,2],\"weekdays\":\"x\"},"
          "\"timeline\":[1,\"x\",{},{\"start\":\"garbage\"},"
          "{\"start\":\"2026-13-01T00:00:00Z\"}]}]}",
          "account with wrong field types");
    whole("{\"accounts\":[{\"findings\":1,\"user\":\"a\",\"host\":\"\","
          "\"timeline\":[{\"start\":\"1970-01-01T00:00:00Z\","
          "\"end\":\"1970-01-03T00:00:00Z\",\"severity\":\"critical\"},"
          "{\"start\":\"9999-12-31T23:59:59Z\","
          "\"end\":\"1970-01-01T00:00:00Z\",\"severity\":\"low\"}]}],"
          "\"findings\":[{\"user\":\"a\",\"host\":\"\",\"severity\":\"high\","
          "\"files\":[1,null,\"/x\"],\"evidence\":[{\"line\":-1},{}],"
          "\"first_seen\":\"9999-12-31T23:59:59Z\"}]}",
          "a timeline across millennia");
    /* Findings for an account the list does not hold, and a duplicate
     * account: the first keeps the findings, nothing is lost. */
    char *p = page_of(
        "{\"accounts\":[{\"findings\":1,\"user\":\"a\",\"host\":\"h\"},"
        "{\"findings\":1,\"user\":\"a\",\"host\":\"h\"}],"
        "\"findings\":[{\"user\":\"ghost\",\"host\":\"\",\"rule\":\"r1\"},"
        "{\"user\":\"a\",\"host\":\"h\",\"rule\":\"r2\"}]}",
        "finding without account");
    check(strstr(p, "Findings not tied to one account") != NULL &&
              strstr(p, "ghost") != NULL,
          "a finding without its account is still shown");
    check(strstr(p, "r2") != NULL, "the account's finding is shown");
    free(p);
    /* Sixty-four sessions on as many networks: the palette runs out. */
    size_t cap = 1 << 16, n = 0;
    char *big = malloc(cap);
    n += (size_t)snprintf(big + n, cap - n,
                          "{\"accounts\":[{\"findings\":1,\"user\":\"u\","
                          "\"timeline\":[");
    for (int i = 0; i < 64; i++) {
        n += (size_t)snprintf(big + n, cap - n,
                              "%s{\"start\":\"2026-%02d-%02dT%02d:00:00Z\","
                              "\"end\":\"2026-%02d-%02dT%02d:30:00Z\","
                              "\"network\":\"10.%d.0.0/16\","
                              "\"severity\":\"%s\"}",
                              i ? "," : "", 1 + i / 28, 1 + i % 28, i % 24,
                              1 + i / 28, 1 + i % 28, i % 24, i,
                              i == 63 ? "critical" : "info");
    }
    snprintf(big + n, cap - n, "]}]}");
    p = page_of(big, "64 networks");
    check(strstr(p, "56 other networks, 56 sessions") != NULL,
          "networks past the palette share one legend entry");
    free(p);
    free(big);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) {
        n++;
    }
    return n;
}

/* A report with n clean inputs and m accounts without findings. */
static char *many(int n, int m)
{
    size_t cap = 64 + (size_t)(n + m) * 96, k = 0;
    char *j = malloc(cap);
    k += (size_t)snprintf(j + k, cap - k, "{\"inputs\":[");
    for (int i = 0; i < n; i++) {
        k += (size_t)snprintf(j + k, cap - k,
                              "%s{\"path\":\"f%d\",\"status\":\"read\","
                              "\"lines\":2,\"malformed\":0}",
                              i ? "," : "", i);
    }
    k += (size_t)snprintf(j + k, cap - k, "],\"accounts\":[");
    for (int i = 0; i < m; i++) {
        k += (size_t)snprintf(j + k, cap - k,
                              "%s{\"user\":\"u%d\",\"findings\":0}",
                              i ? "," : "", i);
    }
    snprintf(j + k, cap - k, "]}");
    return j;
}

/* HTML_INPUT_ROWS and HTML_QUIET_NAMES at their boundaries. */
static void test_list_limits(void)
{
    char *j = many(20, 200);
    char *p = page_of(j, "20 inputs, 200 quiet accounts");
    check(count(p, "<td class=\"wrap mono\">f") == 20 &&
              strstr(p, "read without problems") == NULL,
          "20 clean inputs: a row each");
    check(strstr(p, "u199") != NULL && strstr(p, "more</span>") == NULL,
          "200 quiet accounts: every name");
    free(p);
    free(j);
    j = many(21, 201);
    p = page_of(j, "21 inputs, 201 quiet accounts");
    check(count(p, "<td class=\"wrap mono\">f") == 20 &&
              strstr(p, "1 more file read without problems") != NULL,
          "21 clean inputs: 20 rows and a sum");
    check(strstr(p, "u199") != NULL && strstr(p, "u200") == NULL &&
              strstr(p, "… and 1 more") != NULL,
          "201 quiet accounts: 200 names and a count");
    free(p);
    free(j);
}

/* A timeline of half-hour sessions at 10:00 UTC on the given days after
 * 2026-01-01. */
static char *timeline_on(const int *days, int n)
{
    size_t cap = 256 + (size_t)n * 128, k = 0;
    char *j = malloc(cap);
    k += (size_t)snprintf(j + k, cap - k,
                          "{\"accounts\":[{\"user\":\"u\",\"findings\":1,"
                          "\"timeline\":[");
    for (int i = 0; i < n; i++) {
        time_t t = (time_t)1767225600 + days[i] * 86400 + 36000;
        struct tm tm;
        char a[32], b[32];
        gmtime_r(&t, &tm);
        strftime(a, sizeof(a), "%Y-%m-%dT%H:%M:%SZ", &tm);
        t += 1800;
        gmtime_r(&t, &tm);
        strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%SZ", &tm);
        k += (size_t)snprintf(j + k, cap - k,
                              "%s{\"start\":\"%s\",\"end\":\"%s\"}",
                              i ? "," : "", a, b);
    }
    snprintf(j + k, cap - k, "]}]}");
    return j;
}

/* Rows drawn for a timeline; *gap tells whether a skip is marked, and
 * label must then be among the marks. */
static size_t timeline_rows(const int *days, int n, const char *label,
                            bool *gap)
{
    char *j = timeline_on(days, n);
    char *p = page_of(j, label);
    size_t rows = count(p, "<text x=\"4\"");
    *gap = strstr(p, "stroke-dasharray") != NULL;
    if (*gap) {
        check(strstr(p, label) != NULL, label);
    }
    free(p);
    free(j);
    return rows;
}

/* HTML_TIMELINE_DAYS and HTML_TIMELINE_GAP at their boundaries (the page
 * is drawn in UTC: TZ is set in main). */
static void test_timeline_limits(void)
{
    static const int span31[] = {0, 1, 30};
    static const int span32[] = {0, 1, 31};
    static const int gap5[] = {0, 6, 12, 18, 24, 30, 36};
    static const int gap6[] = {0, 7, 14, 21, 28, 35};
    bool gap;
    check(timeline_rows(span31, 3, "", &gap) == 31 && !gap,
          "a 31-day span draws every day");
    check(timeline_rows(span32, 3, ">29 days</text>", &gap) == 3 && gap,
          "a 32-day span draws the active days, the skip marked");
    check(timeline_rows(gap5, 7, "", &gap) == 7 && !gap,
          "5 quiet days between rows are not marked");
    check(timeline_rows(gap6, 6, ">6 days</text>", &gap) == 6 && gap,
          "6 quiet days between rows are marked");
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    test_escaping();
    test_shapes();
    test_list_limits();
    test_timeline_limits();
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
