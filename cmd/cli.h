/* Shared pieces of the subcommands: input options, summaries, events. */
#ifndef FA_CMD_CLI_H
#define FA_CMD_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "../parsers/input.h"
#include "../parsers/timeconv.h"
#include "jsonw.h"

/* Exit statuses. */
#define FA_EXIT_OK 0
#define FA_EXIT_FOUND 1
#define FA_EXIT_USAGE 2

/* Options every reading subcommand takes. */
struct fa_read_opts {
    const char *tz;          /* --tz */
    const char *format;      /* --input-format */
    const char *logformat;   /* --proftpd-logformat */
    const char *mtime;       /* --mtime YYYY-MM-DD */
    bool quiet;
};

/* Long options shared by parse and scan; see cli.c. */
#define FA_OPT_TZ 1000
#define FA_OPT_FORMAT 1001
#define FA_OPT_LOGFORMAT 1002
#define FA_OPT_MTIME 1003

/* Handle one of the shared options; returns false when opt is not one. */
bool fa_read_opt(struct fa_read_opts *o, int opt, const char *arg);

/* Set up the zone and an input set from the options and paths.  Prints a
 * usage error and returns NULL on bad options. */
struct fa_input *fa_open_inputs(const struct fa_read_opts *o, struct fa_tz *tz,
                                char **paths, int npaths);

/* Standard output for NULL or "-", else the file created for writing;
 * NULL (with the reason on stderr) when it cannot be created. */
FILE *fa_open_output(const char *path);

/* The per-file summary on stderr (terminal-safe text). */
void fa_print_summary(FILE *f, struct fa_input *in);

/* True when at least one file could be read (has a format). */
bool fa_any_input(struct fa_input *in);

/* One event as an ECS NDJSON line (without the newline). */
void fa_write_event_ecs(struct jw *w, const struct fa_event *ev,
                        const struct fa_tz *tz);

/*
 * Report writers.  report is the scan document: fa_report_json() plus
 * "inputs", "off" and "timezone" (see cmd/scan.c).
 */
/* Terminal text; colour only when color is true. */
void fa_write_text(FILE *out, const cJSON *report, bool color);
/* One self-contained HTML page. Returns 0, or -1 on a write error. */
int fa_write_html(FILE *out, const cJSON *report);
/* One ECS line per finding (event.kind "alert"); one finding's. */
void fa_write_findings_ndjson(FILE *out, const cJSON *report);
void fa_write_finding_ndjson(FILE *out, const cJSON *finding);
/* One OCSF Detection Finding (2004) line per finding; one finding's. */
void fa_write_findings_ocsf(FILE *out, const cJSON *report);
void fa_write_finding_ocsf(FILE *out, const cJSON *finding);
/* One event as an OCSF line: Authentication (3002), File System Activity
 * (1001), or Network Activity for the rest (without the newline). */
void fa_write_event_ocsf(struct jw *w, const struct fa_event *ev,
                         const struct fa_tz *tz);

int fa_cmd_parse(int argc, char **argv);
int fa_cmd_detect(int argc, char **argv);
int fa_cmd_scan(int argc, char **argv);

#endif
