/*
 * Time stamps: local civil time to UTC in the run's zone, month names,
 * years for year-less stamps.
 *
 * The zone is process-wide (libc keeps one), so a run has one zone, set
 * once with fa_tz_open() before any parser runs.  Conversions are cached
 * per local minute in thread-local memory: no locale or zone lookup is done
 * per line.
 */
#ifndef FA_PARSERS_TIMECONV_H
#define FA_PARSERS_TIMECONV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fa_tz {
    char name[128];  /* IANA name, "UTC" when none could be found */
    bool is_utc;     /* fast path: no libc conversion */
    bool known;      /* false: the requested zone was not found, UTC used */
};

/* Error codes of fa_tz_open(). */
#define FA_ETZ_UNKNOWN (-2)

/*
 * Set the run's zone.  name is an IANA name ("Europe/Brussels"); NULL
 * means the TZ environment variable, then the machine's zone
 * (/etc/localtime, /etc/timezone).  Returns 0, or FA_ETZ_UNKNOWN when an
 * explicitly named zone does not exist (tz then holds UTC and known=false).
 * A missing machine zone is not an error: UTC, known=false.
 */
int fa_tz_open(struct fa_tz *tz, const char *name);

/* Civil time fields, month 1..12. */
struct fa_civil {
    int year, mon, day, hour, min, sec;
};

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t fa_days_from_civil(int year, int mon, int day);

/* Epoch seconds of a civil time read as UTC. */
int64_t fa_civil_to_epoch(const struct fa_civil *c);

/* Epoch seconds of a local civil time in zone tz; *offset gets the UTC
 * offset in seconds east.  Times in a DST gap or overlap resolve the way
 * mktime() with tm_isdst = -1 does. */
int64_t fa_tz_to_epoch(const struct fa_tz *tz, const struct fa_civil *c,
                       int32_t *offset);

/* Month 1..12 from an abbreviation or name at p (English, and the common
 * abbreviations syslog writes in German, French, Italian, Spanish, Dutch
 * and Portuguese locales).  *used gets the bytes taken.  0 when none. */
int fa_month_parse(const char *p, size_t len, size_t *used);

/* Year for a year-less stamp (month 1..12, day) read from a file whose
 * mtime is given: the mtime's year, or the year before when that would put
 * the stamp more than a day after the mtime (Dec lines in a file last
 * written in Jan).  mtime 0 (unknown) gives the current year. */
int fa_year_for(int64_t mtime, int mon, int day);

/* Read exactly n decimal digits; -1 if any is not a digit. */
static inline int fa_digits(const char *p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        unsigned d = (unsigned char)p[i] - '0';
        if (d > 9) {
            return -1;
        }
        v = v * 10 + (int)d;
    }
    return v;
}

/* Check a civil time's ranges (year 1970..9999, second up to 60). */
bool fa_civil_valid(const struct fa_civil *c);

#endif
