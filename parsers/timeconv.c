#define _GNU_SOURCE /* timegm-free: we compute UTC ourselves; setenv */
#include "timeconv.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Howard Hinnant's days-from-civil algorithm (public domain formula). */
int64_t fa_days_from_civil(int year, int mon, int day)
{
    int64_t y = (int64_t)year - (mon <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = (mon + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int64_t fa_civil_to_epoch(const struct fa_civil *c)
{
    return fa_days_from_civil(c->year, c->mon, c->day) * 86400 +
           c->hour * 3600 + c->min * 60 + c->sec;
}

bool fa_civil_valid(const struct fa_civil *c)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return c->year >= 1970 && c->year <= 9999 && c->mon >= 1 && c->mon <= 12 &&
           c->day >= 1 && c->day <= mdays[c->mon - 1] && c->hour >= 0 &&
           c->hour <= 23 && c->min >= 0 && c->min <= 59 && c->sec >= 0 &&
           c->sec <= 60;
}

static bool zone_file_exists(const char *name)
{
    /* libc silently falls back to UTC for a name it cannot find, so look
     * for the zone file ourselves.  Names with ".." are refused. */
    if (name[0] == '\0' || strstr(name, "..") != NULL) {
        return false;
    }
    if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0) {
        return true;
    }
    const char *dir = getenv("TZDIR");
    char path[PATH_MAX];
    if (name[0] == '/') {
        snprintf(path, sizeof(path), "%s", name);
    } else {
        snprintf(path, sizeof(path), "%s/%s",
                 dir && *dir ? dir : "/usr/share/zoneinfo", name);
    }
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        return false;
    }
    /* A zone file starts with "TZif"; anything else libc would read as
     * UTC without a word. */
    char magic[4];
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return false;
    }
    bool ok = fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
    fclose(f);
    return ok;
}

/* Copy a zone name that fits; false when it does not. */
static bool copy_name(char *out, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n == 0 || n >= size) {
        return false;
    }
    memcpy(out, src, n + 1);
    return true;
}

static bool machine_zone(char *out, size_t size)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/etc/localtime", buf, sizeof(buf) - 1);
    if (n > 0) {
        buf[n] = '\0';
        const char *z = strstr(buf, "zoneinfo/");
        if (z != NULL && copy_name(out, size, z + strlen("zoneinfo/"))) {
            return true;
        }
    }
    FILE *f = fopen("/etc/timezone", "r");
    if (f != NULL) {
        bool ok = fgets(buf, sizeof(buf), f) != NULL;
        fclose(f);
        if (ok) {
            buf[strcspn(buf, " \t\r\n")] = '\0';
            if (copy_name(out, size, buf)) {
                return true;
            }
        }
    }
    return false;
}

static void set_utc(struct fa_tz *tz, bool known)
{
    snprintf(tz->name, sizeof(tz->name), "UTC");
    tz->is_utc = true;
    tz->known = known;
    setenv("TZ", "UTC", 1);
    tzset();
}

int fa_tz_open(struct fa_tz *tz, const char *name)
{
    memset(tz, 0, sizeof(*tz));
    bool explicit = name != NULL;
    char found[sizeof(tz->name)];
    if (name == NULL) {
        const char *env = getenv("TZ");
        if (env != NULL && *env != '\0') {
            name = env[0] == ':' ? env + 1 : env;
        } else if (machine_zone(found, sizeof(found))) {
            name = found;
        }
    }
    if (name == NULL) {
        set_utc(tz, false);
        return 0;
    }
    if (!zone_file_exists(name) || strlen(name) >= sizeof(tz->name)) {
        set_utc(tz, false);
        return explicit ? FA_ETZ_UNKNOWN : 0;
    }
    copy_name(tz->name, sizeof(tz->name), name);
    tz->known = true;
    tz->is_utc = strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0 ||
                 strcmp(name, "Etc/GMT") == 0 || strcmp(name, "GMT") == 0;
    setenv("TZ", name, 1);
    tzset();
    return 0;
}

/* A small direct-mapped cache of local minute -> UTC offset.  Per thread,
 * because a decompression thread and the parsing thread may both convert. */
#define CACHE_SLOTS 64
struct tz_slot {
    int64_t key;   /* local minute as if UTC, +1 so 0 means empty */
    int32_t offset;
};
static _Thread_local struct tz_slot cache[CACHE_SLOTS];

int64_t fa_tz_to_epoch(const struct fa_tz *tz, const struct fa_civil *c,
                       int32_t *offset)
{
    int64_t local = fa_civil_to_epoch(c);
    if (tz->is_utc) {
        *offset = 0;
        return local;
    }
    int64_t minute = local / 60 - (local % 60 < 0);
    int64_t key = minute + 1;
    struct tz_slot *s = &cache[(uint64_t)minute % CACHE_SLOTS];
    if (s->key != key) {
        struct tm tm = {
            .tm_year = c->year - 1900,
            .tm_mon = c->mon - 1,
            .tm_mday = c->day,
            .tm_hour = c->hour,
            .tm_min = c->min,
            .tm_sec = 0,
            .tm_isdst = -1,
        };
        time_t t = mktime(&tm);
        /* The offset that maps this local minute to UTC. */
        s->offset = (int32_t)(minute * 60 - (int64_t)t);
        s->key = key;
    }
    *offset = s->offset;
    return local - s->offset;
}

static const char *const month_names[][12] = {
    {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
     "nov", "dec"},
    /* de */
    {"jan", "feb", "mär", "apr", "mai", "jun", "jul", "aug", "sep", "okt",
     "nov", "dez"},
    /* fr (glibc abbreviations) */
    {"janv", "févr", "mars", "avril", "mai", "juin", "juil", "août", "sept",
     "oct", "nov", "déc"},
    /* it */
    {"gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott",
     "nov", "dic"},
    /* es */
    {"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct",
     "nov", "dic"},
    /* nl */
    {"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt",
     "nov", "dec"},
    /* pt */
    {"jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out",
     "nov", "dez"},
};

static bool alpha_or_utf8(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch >= 0x80;
}

int fa_month_parse(const char *p, size_t len, size_t *used)
{
    /* English first, fast: "Jan" .. "Dec", case as syslog writes it. */
    if (len >= 3) {
        unsigned a = (unsigned char)p[0] | 0x20, b = (unsigned char)p[1] | 0x20,
                 c = (unsigned char)p[2] | 0x20;
        for (int m = 0; m < 12; m++) {
            const char *n = month_names[0][m];
            if ((unsigned)n[0] == a && (unsigned)n[1] == b &&
                (unsigned)n[2] == c &&
                (len == 3 || !alpha_or_utf8((unsigned char)p[3]))) {
                *used = 3;
                return m + 1;
            }
        }
    }
    /* Localized: a word of letters, optionally ending in '.'. */
    size_t w = 0;
    while (w < len && w < 8 && alpha_or_utf8((unsigned char)p[w])) {
        w++;
    }
    if (w < 3) {
        return 0;
    }
    char low[9];
    for (size_t i = 0; i < w; i++) {
        unsigned char ch = (unsigned char)p[i];
        low[i] = (char)(ch < 0x80 ? (ch | 0x20) : ch);
    }
    low[w] = '\0';
    for (size_t l = 1; l < sizeof(month_names) / sizeof(month_names[0]); l++) {
        for (int m = 0; m < 12; m++) {
            if (strcmp(low, month_names[l][m]) == 0) {
                *used = w + (w < len && p[w] == '.');
                return m + 1;
            }
        }
    }
    return 0;
}

int fa_year_for(int64_t mtime, int mon, int day)
{
    if (mtime <= 0) {
        mtime = (int64_t)time(NULL);
    }
    time_t t = (time_t)mtime;
    struct tm tm;
    gmtime_r(&t, &tm);
    int year = tm.tm_year + 1900;
    int64_t stamp = fa_days_from_civil(year, mon, day) * 86400;
    if (stamp > mtime + 86400 * 2) {
        year--;
    }
    return year;
}
