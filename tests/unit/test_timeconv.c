/* Unit tests of parsers/timeconv.c. */
#include <stdlib.h>

#include "../../parsers/timeconv.h"
#include "check.h"

static int64_t local(const struct fa_tz *tz, int y, int mo, int d, int h,
                     int mi, int32_t *off)
{
    struct fa_civil c = {y, mo, d, h, mi, 0};
    return fa_tz_to_epoch(tz, &c, off);
}

int main(void)
{
    CHECK(fa_days_from_civil(1970, 1, 1) == 0);
    CHECK(fa_days_from_civil(2000, 3, 1) == 11017);
    CHECK(fa_days_from_civil(2026, 11, 26) == 20783);
    struct fa_civil c = {2026, 11, 26, 12, 41, 58};
    CHECK(fa_civil_to_epoch(&c) == 1795696918);

    /* Month names, English and localized, with the bytes used. */
    size_t used = 0;
    CHECK(fa_month_parse("Nov 26", 6, &used) == 11 && used == 3);
    CHECK(fa_month_parse("ott 16", 6, &used) == 10 && used == 3);
    CHECK(fa_month_parse("Dez 1", 5, &used) == 12);
    CHECK(fa_month_parse("mrt", 3, &used) == 3);
    CHECK(fa_month_parse("Noz 26", 6, &used) == 0);
    CHECK(fa_month_parse("No", 2, &used) == 0);
    CHECK(fa_month_parse("Novx", 4, &used) == 0);

    /* Year-less stamps: the mtime's year, or the year before across New
     * Year (a Dec line in a file last written on 2 Jan). */
    struct fa_civil jan2 = {2027, 1, 2, 10, 0, 0};
    int64_t mt = fa_civil_to_epoch(&jan2);
    CHECK(fa_year_for(mt, 12, 31) == 2026);
    CHECK(fa_year_for(mt, 1, 2) == 2027);
    CHECK(fa_year_for(mt, 1, 1) == 2027);

    struct fa_tz tz;
    CHECK(fa_tz_open(&tz, "Bogus/Nowhere") == FA_ETZ_UNKNOWN);
    CHECK(!tz.known && tz.is_utc);
    CHECK(fa_tz_open(&tz, "../../etc/passwd") == FA_ETZ_UNKNOWN);

    /* DST in Europe/Brussels: +01:00 in winter, +02:00 in summer, and the
     * change on 2026-03-29 at 02:00 local. */
    if (fa_tz_open(&tz, "Europe/Brussels") == 0) {
        int32_t off;
        int64_t t = local(&tz, 2026, 1, 15, 12, 0, &off);
        CHECK(off == 3600);
        CHECK(t == 1768474800);
        t = local(&tz, 2026, 7, 15, 12, 0, &off);
        CHECK(off == 7200);
        local(&tz, 2026, 3, 29, 1, 59, &off);
        CHECK(off == 3600);
        local(&tz, 2026, 3, 29, 3, 0, &off);
        CHECK(off == 7200);
        /* The cache must not leak one zone's minute into another day. */
        local(&tz, 2026, 10, 25, 4, 0, &off);
        CHECK(off == 3600);
        CHECK(strcmp(tz.name, "Europe/Brussels") == 0 && tz.known);
    } else {
        fprintf(stderr, "no tzdata: DST checks skipped\n");
    }
    CHECK(fa_tz_open(&tz, "UTC") == 0 && tz.is_utc);

    /* TZ environment as the default. */
    setenv("TZ", "America/New_York", 1);
    if (fa_tz_open(&tz, NULL) == 0 && tz.known) {
        CHECK(strcmp(tz.name, "America/New_York") == 0);
        int32_t off;
        local(&tz, 2026, 11, 26, 7, 47, &off);
        CHECK(off == -5 * 3600);
    }
    return check_done();
}
