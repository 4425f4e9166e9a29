/* STUB: the HTML triage report (--format html), to be written. */
#include "cli.h"

int fa_write_html(FILE *out, const cJSON *report)
{
    (void)report;
    fputs("<!doctype html><title>ftpaudit</title><p>not written yet</p>\n",
          out);
    return 0;
}
