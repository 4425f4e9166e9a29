#include "config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect_int.h"

/* Largest config file read. */
#define CONFIG_MAX (1024 * 1024)

static const char *const default_web[] = {
    ".html", ".htm", ".php", ".js", ".asp", ".aspx", ".jsp", ".shtml",
    ".htaccess", NULL};
static const char *const default_script[] = {
    ".php", ".php3", ".php4", ".php5", ".php7", ".phtml", ".phar", ".asp",
    ".aspx", ".jsp", ".cgi", ".pl", ".py", ".sh", NULL};

static size_t set_exts(char (*dst)[12], const char *const *src)
{
    size_t n = 0;
    for (; src[n] != NULL && n < FA_MAX_EXTS; n++) {
        snprintf(dst[n], sizeof(dst[n]), "%s", src[n]);
    }
    return n;
}

void fa_config_defaults(struct fa_config *c)
{
    memset(c, 0, sizeof(*c));
    c->learn_sessions = 5;
    c->learn_days = 14;
    c->session_gap = 1800;
    c->burst_window = 600;
    c->burst_ips = 4;
    c->fail_window = 3600;
    c->fail_min = 10;
    c->cross_window = 3600;
    c->cross_accounts = 3;
    c->travel_window = 7200;
    c->business_start = 7;
    c->business_end = 20;
    c->offhours_min_history = 10;
    c->offhours_share = 0.02;
    c->bulk_min_files = 10;
    c->bulk_factor = 3.0;
    c->reupload_window = 20;
    c->reupload_min_files = 1;
    c->reupload_grew_files = 2;
    c->fail_on_brute = 20;
    c->sev_low = 20;
    c->sev_medium = 40;
    c->sev_high = 70;
    c->sev_critical = 90;
    for (size_t i = 0; i < fa_nrules && i < 32; i++) {
        c->weight[i] = fa_rules[i].weight;
    }
    c->nweb = set_exts(c->web_exts, default_web);
    c->nscript = set_exts(c->script_exts, default_script);
}

struct int_key {
    const char *name;
    size_t offset;
    int min, max;
};

#define IK(field, lo, hi) {#field, offsetof(struct fa_config, field), lo, hi}
static const struct int_key int_keys[] = {
    IK(learn_sessions, 0, 100000),     IK(learn_days, 0, 3650),
    IK(session_gap, 1, 86400 * 7),     IK(burst_window, 1, 86400),
    IK(burst_ips, 2, 1000),            IK(fail_window, 1, 86400 * 7),
    IK(fail_min, 1, 100000),           IK(cross_window, 1, 86400 * 7),
    IK(cross_accounts, 2, 100000),     IK(travel_window, 1, 86400 * 7),
    IK(business_start, 0, 23),         IK(business_end, 1, 24),
    IK(offhours_min_history, 0, 100000),
    IK(bulk_min_files, 1, 1000000),    IK(reupload_window, 1, 86400),
    IK(reupload_min_files, 1, 100000), IK(reupload_grew_files, 1, 100000),
    IK(fail_on_brute, 1, 10000000),
    IK(sev_low, 0, 100),               IK(sev_medium, 0, 100),
    IK(sev_high, 0, 100),              IK(sev_critical, 0, 100),
};

static int ext_list(char (*dst)[12], size_t *n, const cJSON *arr,
                    const char *key, char *err, size_t size)
{
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) > FA_MAX_EXTS) {
        snprintf(err, size, "'%s' must be a list of at most %d extensions",
                 key, FA_MAX_EXTS);
        return -1;
    }
    size_t k = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (!cJSON_IsString(it) || it->valuestring[0] != '.' ||
            strlen(it->valuestring) >= 12) {
            snprintf(err, size, "'%s': each entry is a string like \".php\" "
                                "(at most 11 bytes)", key);
            return -1;
        }
        snprintf(dst[k++], 12, "%s", it->valuestring);
    }
    *n = k;
    return 0;
}

int fa_config_parse(struct fa_config *c, const char *text, size_t len,
                    char *err, size_t size)
{
    cJSON *doc = cJSON_ParseWithLength(text, len);
    if (doc == NULL || !cJSON_IsObject(doc)) {
        snprintf(err, size, "not a JSON object");
        cJSON_Delete(doc);
        return -1;
    }
    struct fa_config tmp = *c;
    int rc = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, doc)
    {
        const char *k = it->string;
        bool known = false;
        for (size_t i = 0; i < sizeof(int_keys) / sizeof(int_keys[0]); i++) {
            if (strcmp(k, int_keys[i].name) != 0) {
                continue;
            }
            known = true;
            double v = it->valuedouble;
            /* The range first: a double beyond int has no int value. */
            if (!cJSON_IsNumber(it) || !(v >= int_keys[i].min) ||
                !(v <= int_keys[i].max) || v != (double)(int)v) {
                snprintf(err, size, "'%s' must be a whole number from %d to "
                                    "%d", k, int_keys[i].min,
                         int_keys[i].max);
                rc = -1;
                goto out;
            }
            *(int *)((char *)&tmp + int_keys[i].offset) = (int)v;
        }
        if (known) {
            continue;
        }
        if (strcmp(k, "offhours_share") == 0 || strcmp(k, "bulk_factor") == 0) {
            double v = it->valuedouble;
            if (!cJSON_IsNumber(it) || v < 0 || v > 1000) {
                snprintf(err, size, "'%s' must be a number from 0 to 1000", k);
                rc = -1;
                goto out;
            }
            *(k[0] == 'o' ? &tmp.offhours_share : &tmp.bulk_factor) = v;
        } else if (strcmp(k, "web_extensions") == 0) {
            if ((rc = ext_list(tmp.web_exts, &tmp.nweb, it, k, err, size))) {
                goto out;
            }
        } else if (strcmp(k, "script_extensions") == 0) {
            if ((rc = ext_list(tmp.script_exts, &tmp.nscript, it, k, err,
                               size))) {
                goto out;
            }
        } else if (strcmp(k, "weights") == 0 && cJSON_IsObject(it)) {
            const cJSON *w;
            cJSON_ArrayForEach(w, it)
            {
                size_t r = 0;
                while (r < fa_nrules && strcmp(fa_rules[r].id, w->string)) {
                    r++;
                }
                if (r == fa_nrules || !cJSON_IsNumber(w) ||
                    w->valuedouble < 0 || w->valuedouble > 100) {
                    snprintf(err, size, "weights: '%s' is not a rule id with "
                                        "a weight from 0 to 100", w->string);
                    rc = -1;
                    goto out;
                }
                tmp.weight[r] = (int)w->valuedouble;
            }
        } else {
            snprintf(err, size, "unknown setting '%s'", k);
            rc = -1;
            goto out;
        }
    }
    if (!(tmp.sev_low <= tmp.sev_medium && tmp.sev_medium <= tmp.sev_high &&
          tmp.sev_high <= tmp.sev_critical) ||
        tmp.business_start >= tmp.business_end) {
        snprintf(err, size, "severity thresholds must rise (low <= medium <= "
                            "high <= critical) and business_start < end");
        rc = -1;
        goto out;
    }
    *c = tmp;
out:
    cJSON_Delete(doc);
    return rc;
}

int fa_config_load(struct fa_config *c, const char *path, char *err,
                   size_t size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, size, "%s: %s", path, strerror(errno));
        return -1;
    }
    char *buf = malloc(CONFIG_MAX + 1);
    if (buf == NULL) {
        abort();
    }
    size_t n = fread(buf, 1, CONFIG_MAX + 1, f);
    fclose(f);
    int rc;
    if (n > CONFIG_MAX) {
        snprintf(err, size, "%s: larger than 1 MiB", path);
        rc = -1;
    } else {
        char inner[200];
        rc = fa_config_parse(c, buf, n, inner, sizeof(inner));
        if (rc != 0) {
            snprintf(err, size, "%s: %s", path, inner);
        }
    }
    free(buf);
    return rc;
}
