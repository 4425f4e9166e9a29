/* The terminal report (--format text). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void put_safe(FILE *out, const char *s)
{
    size_t n = strlen(s);
    char *t = malloc(4 * n + 1);
    if (t == NULL) {
        abort();
    }
    fa_term_safe(t, s, n);
    fputs(t, out);
    free(t);
}

/* The plain text report: ranked findings with reasons and files. */
void fa_write_text(FILE *out, const cJSON *report, bool color)
{
    (void)color;
    const cJSON *findings = cJSON_GetObjectItem(report, "findings");
    const cJSON *accounts = cJSON_GetObjectItem(report, "accounts");
    int n = 0;
    const cJSON *a;
    fputs("ACCOUNTS AT RISK\n", out);
    cJSON_ArrayForEach(a, accounts)
    {
        const cJSON *risk = cJSON_GetObjectItem(a, "risk");
        if (risk->valueint <= 0) {
            continue;
        }
        fprintf(out, "  %3d  %-9s ", risk->valueint,
                cJSON_GetObjectItem(a, "severity")->valuestring);
        put_safe(out, cJSON_GetObjectItem(a, "user")->valuestring);
        const char *host = cJSON_GetObjectItem(a, "host")->valuestring;
        if (host[0]) {
            fputc('@', out);
            put_safe(out, host);
        }
        fprintf(out, "  %s\n",
                cJSON_GetObjectItem(a, "verdict")->valuestring);
        n++;
    }
    if (n == 0) {
        fputs("  none\n", out);
    }
    fputs("\nFINDINGS\n", out);
    const cJSON *f;
    cJSON_ArrayForEach(f, findings)
    {
        fprintf(out, "- [%s %d] %s: ",
                cJSON_GetObjectItem(f, "severity")->valuestring,
                cJSON_GetObjectItem(f, "score")->valueint,
                cJSON_GetObjectItem(f, "rule")->valuestring);
        put_safe(out, cJSON_GetObjectItem(f, "user")->valuestring);
        const cJSON *src = cJSON_GetObjectItem(f, "source");
        if (src != NULL) {
            fputs(" from ", out);
            put_safe(out, cJSON_GetObjectItem(src, "ip")->valuestring);
            const cJSON *cc = cJSON_GetObjectItem(src, "country");
            if (cJSON_IsString(cc)) {
                fprintf(out, " (%s)", cc->valuestring);
            }
        }
        fprintf(out, ", %s .. %s\n",
                cJSON_GetObjectItem(f, "first_seen")->valuestring,
                cJSON_GetObjectItem(f, "last_seen")->valuestring);
        const cJSON *r;
        cJSON_ArrayForEach(r, cJSON_GetObjectItem(f, "reasons"))
        {
            fputs("    * ", out);
            put_safe(out, r->valuestring);
            fputc('\n', out);
        }
        const cJSON *files = cJSON_GetObjectItem(f, "files");
        if (cJSON_GetArraySize(files) > 0) {
            fputs("    files to restore:\n", out);
            cJSON_ArrayForEach(r, files)
            {
                fputs("      ", out);
                put_safe(out, r->valuestring);
                fputc('\n', out);
            }
        }
    }
}

