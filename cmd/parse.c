/* ftpaudit parse / detect. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pipeline.h"
#include "progress.h"
#include "config.h"
#include "../parsers/reader.h"

static const char parse_usage[] =
    "usage: ftpaudit parse [options] PATH...\n"
    "\n"
    "Read FTP/SFTP server logs and write the normalized events as NDJSON\n"
    "with ECS field names, merged in time order.  PATH is a file (plain or\n"
    "gzip), a folder (read recursively) or - for standard input.  A summary\n"
    "of each file (format, lines, events, skipped, malformed) goes to stderr.\n"
    "\n"
    "options:\n"
    "  --tz ZONE                  zone of stamps that carry none (IANA name;\n"
    "                             default: $TZ, then the machine's zone)\n"
    "  --input-format NAME        read every file as NAME (see list-formats)\n"
    "  --proftpd-logformat FMT    the LogFormat of a ProFTPD ExtendedLog\n"
    "  --mtime YYYY-MM-DD         date the files were last written, for\n"
    "                             year-less stamps (default: each file's mtime)\n"
    "  -o, --output FILE          write events to FILE instead of stdout\n"
    "  -q, --quiet                no summary on stderr\n"
    "  -h, --help                 this text\n"
    "\n"
    "examples:\n"
    "  ftpaudit parse /var/log/vsftpd.log* > events.ndjson\n"
    "  zcat old.log.gz | ftpaudit parse --tz Europe/Paris -\n"
    "  ftpaudit parse --proftpd-logformat '%h %t \"%r\" %s' access.log\n";

static const struct option read_options[] = {
    {"tz", required_argument, NULL, FA_OPT_TZ},
    {"input-format", required_argument, NULL, FA_OPT_FORMAT},
    {"proftpd-logformat", required_argument, NULL, FA_OPT_LOGFORMAT},
    {"mtime", required_argument, NULL, FA_OPT_MTIME},
    {"output", required_argument, NULL, 'o'},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

int fa_cmd_parse(int argc, char **argv)
{
    struct fa_read_opts ro = {0};
    const char *output = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:qh", read_options, NULL)) != -1) {
        if (fa_read_opt(&ro, c, optarg)) {
            continue;
        }
        switch (c) {
        case 'o':
            output = optarg;
            break;
        case 'h':
            fputs(parse_usage, stdout);
            return FA_EXIT_OK;
        default:
            fputs(parse_usage, stderr);
            return FA_EXIT_USAGE;
        }
    }
    struct fa_tz tz;
    struct fa_input *in =
        fa_open_inputs(&ro, &tz, argv + optind, argc - optind);
    if (in == NULL) {
        return FA_EXIT_USAGE;
    }
    FILE *out = fa_open_output(output);
    if (out == NULL) {
        fa_input_destroy(in);
        return FA_EXIT_USAGE;
    }
    struct jw w;
    jw_init(&w, out);
    struct fa_progress *meter = fa_progress_start(in, !ro.quiet);
    /* Parse on one core, write JSON on the other. */
    struct fa_pipeline *pl =
        fa_pipeline_start(in, FA_BATCH_ALL, false, meter, NULL);
    const struct fa_batch *b;
    while ((b = fa_pipeline_next(pl)) != NULL) {
        for (size_t i = 0; i < b->n; i++) {
            fa_write_event_ecs(&w, &b->ev[i], &tz);
            jw_char(&w, '\n');
        }
        fa_pipeline_release(pl, b);
    }
    fa_pipeline_finish(pl, NULL);
    fa_progress_end(meter);
    jw_finish(&w);
    int status = FA_EXIT_OK;
    if (w.failed) {
        fprintf(stderr, "ftpaudit: write error on the output\n");
        status = FA_EXIT_USAGE;
    }
    if (out != stdout) {
        fclose(out);
    }
    if (!ro.quiet) {
        fa_print_summary(stderr, in);
    }
    if (!fa_any_input(in)) {
        fprintf(stderr, "ftpaudit: no input could be read\n");
        status = FA_EXIT_USAGE;
    }
    fa_input_destroy(in);
    return status;
}

static const char detect_usage[] =
    "usage: ftpaudit detect [--input-format NAME] PATH...\n"
    "\n"
    "Print, for each file, the log format auto-detection chooses and its\n"
    "score (0-100), tab-separated: PATH FORMAT SCORE.  A file of no\n"
    "supported format prints '-'.\n";

int fa_cmd_detect(int argc, char **argv)
{
    struct fa_read_opts ro = {0};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "qh", read_options, NULL)) != -1) {
        if (fa_read_opt(&ro, c, optarg)) {
            continue;
        }
        if (c == 'h') {
            fputs(detect_usage, stdout);
            return FA_EXIT_OK;
        }
        fputs(detect_usage, stderr);
        return FA_EXIT_USAGE;
    }
    struct fa_tz tz;
    if (ro.tz == NULL) {
        ro.tz = "UTC";
    }
    int status = FA_EXIT_OK;
    for (int i = optind; i < argc; i++) {
        /* Detection only: read each file's sample through a one-file
         * input and stop at its first event. */
        struct fa_input *in = fa_open_inputs(&ro, &tz, &argv[i], 1);
        if (in == NULL) {
            return FA_EXIT_USAGE;
        }
        const struct fa_event *ev;
        (void)fa_input_next(in, &ev);
        for (size_t k = 0; k < fa_input_nfiles(in); k++) {
            struct fa_file_stats *f = fa_input_file(in, k);
            char *safe = malloc(4 * strlen(f->path) + 1);
            if (safe == NULL) {
                abort();
            }
            fa_term_safe(safe, f->path, strlen(f->path));
            printf("%s\t%s\t%d\n", safe, f->format ? f->format : "-",
                   f->score);
            free(safe);
            if (f->format == NULL) {
                status = FA_EXIT_FOUND;
            }
        }
        fa_input_destroy(in);
    }
    if (optind >= argc) {
        fputs(detect_usage, stderr);
        return FA_EXIT_USAGE;
    }
    return status;
}
