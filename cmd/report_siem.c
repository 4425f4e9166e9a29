/* STUB: SIEM streams (--format ndjson / ocsf), to be written. */
#include "cli.h"

void fa_write_findings_ndjson(FILE *out, const cJSON *report)
{
    (void)out;
    (void)report;
}

void fa_write_findings_ocsf(FILE *out, const cJSON *report)
{
    (void)out;
    (void)report;
}

void fa_write_event_ocsf(struct jw *w, const struct fa_event *ev,
                         const struct fa_tz *tz)
{
    (void)tz;
    fa_write_event_ecs(w, ev, tz);
}
