/* ftpaudit scan: detection over the event stream, and its reports. */
#include <getopt.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../analysis/detect.h"
#include "../analysis/report.h"
#include "../analysis/state.h"
#include "cli.h"
#include "progress.h"
#include "pipeline.h"

static const char scan_usage[] =
    "usage: ftpaudit scan [options] PATH...\n"
    "\n"
    "Find logins with stolen credentials: join each login to what the\n"
    "session did, learn each account's usual places and hours, run the\n"
    "rules (ftpaudit list-rules) and rank the accounts.\n"
    "\n"
    "options:\n"
    "  --geoip FILE          a GeoIP/ASN database (MMDB); may be repeated.\n"
    "                        Default: the usual install locations; without\n"
    "                        one, only network novelty is judged\n"
    "  --no-geoip            do not look for databases\n"
    "  --config FILE         rule thresholds as JSON (docs/rules/)\n"
    "  --format FORMAT       json, text, html, ndjson (ECS) or ocsf\n"
    "                        (default: text on a terminal, json otherwise)\n"
    "  --events              with ndjson/ocsf: every normalized event too\n"
    "  --state FILE          keep baselines and how far each file was read\n"
    "                        in FILE: a nightly run reads only what is new\n"
    "                        and reports only new findings\n"
    "  --checkpoint SECONDS  with --state: save progress this often during\n"
    "                        the run, so an interrupted run resumes\n"
    "                        (default 60)\n"
    "  -o, --output FILE     write the report to FILE\n"
    "  --fail-on SEVERITY    exit 1 when a finding reaches it: info, low,\n"
    "                        medium, high (default), critical\n"
    "  --tz ZONE, --input-format NAME, --proftpd-logformat FMT,\n"
    "  --mtime YYYY-MM-DD    as for 'ftpaudit parse'\n"
    "  -q, --quiet           no per-file summary on stderr\n"
    "\n"
    "exit status: 0 nothing reached --fail-on, 1 something did, 2 usage\n"
    "error or no input could be read.\n"
    "\n"
    "examples:\n"
    "  ftpaudit scan --geoip GeoLite2-Country.mmdb --geoip GeoLite2-ASN.mmdb \\\n"
    "      /var/log/vsftpd.log*\n"
    "  ftpaudit scan --format json -o report.json /srv/logs/\n";

enum {
    OPT_GEOIP = 2000,
    OPT_NOGEO,
    OPT_CONFIG,
    OPT_FORMAT,
    OPT_FAILON,
    OPT_EVENTS,
    OPT_STATE,
    OPT_CHECKPOINT,
};

static const struct option scan_options[] = {
    {"tz", required_argument, NULL, FA_OPT_TZ},
    {"input-format", required_argument, NULL, FA_OPT_FORMAT},
    {"proftpd-logformat", required_argument, NULL, FA_OPT_LOGFORMAT},
    {"mtime", required_argument, NULL, FA_OPT_MTIME},
    {"geoip", required_argument, NULL, OPT_GEOIP},
    {"no-geoip", no_argument, NULL, OPT_NOGEO},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"fail-on", required_argument, NULL, OPT_FAILON},
    {"events", no_argument, NULL, OPT_EVENTS},
    {"state", required_argument, NULL, OPT_STATE},
    {"checkpoint", required_argument, NULL, OPT_CHECKPOINT},
    {"output", required_argument, NULL, 'o'},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const char *state_name(enum fa_file_state s)
{
    switch (s) {
    case FA_FILE_READ:
        return "read";
    case FA_FILE_UNREADABLE:
        return "unreadable";
    case FA_FILE_UNKNOWN:
        return "unknown-format";
    case FA_FILE_EMPTY:
        return "empty";
    case FA_FILE_NOTREG:
        return "not-a-file";
    case FA_FILE_DUPLICATE:
        return "duplicate";
    default:
        return "pending";
    }
}

/* Items idx[0..n) made by item, each printed as an array element at
 * depth 2 and freed; frees idx. */
static void write_items(struct jw *w, struct fa_detect *d, size_t *idx,
                        size_t n, cJSON *(*item)(struct fa_detect *, size_t))
{
    /* Each item's tree from this thread's arena (mallocs and frees of
     * its nodes were a third of printing it). */
    jw_arena_begin();
    for (size_t i = 0; i < n; i++) {
        cJSON *it = item(d, idx[i]);
        if (i > 0) {
            jw_lit(w, ", ");
        }
        jw_cjson_at(w, it, 2);
        cJSON_Delete(it);
        jw_arena_reset();
    }
    jw_arena_end();
    free(idx);
}

/* The accounts of a JSON report, printed by two threads in blocks: a
 * second thread, started before the findings are printed, takes blocks
 * from the end into an unlinked temporary file; once the findings are
 * out, this thread takes blocks from the front straight into the report
 * until the two meet, then copies the second thread's blocks in order.
 * Accounts read only what detection left; findings are read back from
 * the spool. */
#define ACCOUNT_BLOCK 32

struct accounts_job {
    struct fa_detect *d;
    size_t *idx, n;
    FILE *tmp;
    pthread_mutex_t lock;
    size_t front, back;      /* blocks [front, back) not yet taken */
    size_t nblocks;
    /* The front is taken below split_hi, the end above split_lo: 0 and
     * SIZE_MAX, or both the block FTPAUDIT_ACCOUNTS_SPLIT names (tests: a
     * known share for each thread). */
    size_t split_lo, split_hi;
    off_t *at;               /* per block taken from the end: its place */
    size_t *len;             /* and length in tmp */
    bool ok;
};

/* Take the next block from the front (front) or from the end: its number,
 * or SIZE_MAX when none is left. */
static size_t take_block(struct accounts_job *job, bool front)
{
    size_t b = SIZE_MAX;
    pthread_mutex_lock(&job->lock);
    if (job->front < job->back &&
        (front ? job->front < job->split_hi : job->back > job->split_lo)) {
        b = front ? job->front++ : --job->back;
    }
    pthread_mutex_unlock(&job->lock);
    return b;
}

/* Block b's accounts, each after ", " but the report's first. */
static void write_block(struct jw *w, struct accounts_job *job, size_t b)
{
    size_t from = b * ACCOUNT_BLOCK;
    size_t to = from + ACCOUNT_BLOCK < job->n ? from + ACCOUNT_BLOCK : job->n;
    for (size_t i = from; i < to; i++) {
        cJSON *it = fa_report_account(job->d, job->idx[i]);
        if (i > 0) {
            jw_lit(w, ", ");
        }
        jw_cjson_at(w, it, 2);
        cJSON_Delete(it);
        jw_arena_reset();
    }
}

static void *print_accounts(void *arg)
{
    struct accounts_job *job = arg;
    struct jw w;
    jw_init(&w, job->tmp);
    jw_arena_begin();
    bool ok = true;
    off_t end = 0;
    size_t b;
    while (ok && (b = take_block(job, false)) != SIZE_MAX) {
        write_block(&w, job, b);
        jw_flush(&w);
        ok = !w.failed && fflush(job->tmp) == 0 && !ferror(job->tmp);
        off_t now = ftello(job->tmp);
        ok = ok && now >= end;
        job->at[b] = end;
        job->len[b] = ok ? (size_t)(now - end) : 0;
        end = now;
    }
    jw_arena_end();
    jw_finish(&w);
    job->ok = ok;
    return NULL;
}

/* Append len bytes of tmp from offset at to out. */
static bool copy_scratch(FILE *tmp, off_t at, size_t len, FILE *out)
{
    static char buf[1 << 16];
    if (fseeko(tmp, at, SEEK_SET) != 0) {
        return false;
    }
    while (len > 0) {
        size_t k = len < sizeof(buf) ? len : sizeof(buf);
        if (fread(buf, 1, k, tmp) != k || fwrite(buf, 1, k, out) != k) {
            return false;
        }
        len -= k;
    }
    return true;
}

/* An unlinked scratch file for the report's accounts, or NULL. */
static FILE *scratch_file(void)
{
    int fd = fa_scratch_open("report");
    FILE *f = fd >= 0 ? fdopen(fd, "w+") : NULL;
    if (f == NULL && fd >= 0) {
        close(fd);
    }
    return f;
}

/* The JSON report written as it is made: member by member, finding by
 * finding and account by account (each read back or built, printed and
 * freed), the same bytes as printing the whole document.  tail holds the
 * members after "totals". */
static bool write_json_report(FILE *out, struct fa_detect *d,
                              const cJSON *tail)
{
    struct jw w;
    jw_init(&w, out);
    size_t n;
    struct accounts_job job = {.d = d, .tmp = scratch_file()};
    job.idx = fa_report_accounts(d, &job.n);
    job.nblocks = (job.n + ACCOUNT_BLOCK - 1) / ACCOUNT_BLOCK;
    job.back = job.nblocks;
    job.split_hi = SIZE_MAX;
    const char *split = getenv("FTPAUDIT_ACCOUNTS_SPLIT");
    if (split != NULL && *split != '\0') {
        job.split_lo = job.split_hi = strtoul(split, NULL, 10);
    }
    pthread_mutex_init(&job.lock, NULL);
    pthread_t thread;
    bool threaded = false;
    if (job.tmp != NULL && job.nblocks > 1) {
        job.at = calloc(job.nblocks, sizeof(*job.at));
        job.len = calloc(job.nblocks, sizeof(*job.len));
        if (job.at == NULL || job.len == NULL) {
            abort();
        }
        threaded = pthread_create(&thread, NULL, print_accounts, &job) == 0;
    }
    size_t *idx = fa_report_ranked(d, &n);
    jw_lit(&w, "{\n\t\"findings\":\t[");
    write_items(&w, d, idx, n, fa_report_finding);
    jw_lit(&w, "],\n\t\"accounts\":\t[");
    /* The accounts' front blocks here (all of them without the second
     * thread), then the second thread's in order. */
    jw_arena_begin();
    size_t b;
    while ((b = take_block(&job, true)) != SIZE_MAX) {
        write_block(&w, &job, b);
    }
    if (threaded) {
        pthread_join(thread, NULL);
    }
    /* What a split left between the two (all past it with no thread). */
    for (b = job.front; b < job.back; b++) {
        write_block(&w, &job, b);
    }
    bool ok = true;
    if (threaded) {
        jw_flush(&w);
        for (b = job.back; job.ok && b < job.nblocks && ok; b++) {
            ok = copy_scratch(job.tmp, job.at[b], job.len[b], out);
        }
        if (!job.ok) {
            /* The scratch file failed (a full disk): print them here. */
            for (b = job.back; b < job.nblocks; b++) {
                write_block(&w, &job, b);
            }
        }
    }
    jw_arena_end();
    if (job.tmp != NULL) {
        fclose(job.tmp);
    }
    pthread_mutex_destroy(&job.lock);
    free(job.at);
    free(job.len);
    free(job.idx);
    jw_lit(&w, "],\n\t\"totals\":\t");
    cJSON *totals = fa_report_totals(d);
    jw_cjson_at(&w, totals, 1);
    cJSON_Delete(totals);
    for (const cJSON *m = tail->child; m != NULL; m = m->next) {
        jw_lit(&w, ",\n\t");
        cJSON *key = cJSON_CreateStringReference(m->string);
        jw_cjson_at(&w, key, 1);
        cJSON_Delete(key);
        jw_lit(&w, ":\t");
        jw_cjson_at(&w, m, 1);
    }
    jw_lit(&w, "\n}\n");
    jw_finish(&w);
    return ok;
}

static cJSON *inputs_json(struct fa_input *in)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < fa_input_nfiles(in); i++) {
        struct fa_file_stats *f = fa_input_file(in, i);
        cJSON *o = cJSON_CreateObject();
        fa_json_add_text(o, "path", f->path, strlen(f->path));
        cJSON_AddStringToObject(o, "status", state_name(f->state));
        if (f->format) {
            cJSON_AddStringToObject(o, "format", f->format);
        } else {
            cJSON_AddNullToObject(o, "format");
        }
        cJSON_AddBoolToObject(o, "gzip", f->gzip);
        cJSON_AddNumberToObject(o, "lines", (double)f->lines);
        cJSON_AddNumberToObject(o, "events", (double)f->events);
        cJSON_AddNumberToObject(o, "skipped", (double)f->skipped);
        cJSON_AddNumberToObject(o, "malformed", (double)f->invalid);
        cJSON_AddNumberToObject(o, "bytes", (double)f->bytes);
        if (f->message[0]) {
            fa_json_add_text(o, "message", f->message, strlen(f->message));
        }
        cJSON *ex = cJSON_AddArrayToObject(o, "malformed_examples");
        for (size_t k = 0; k < f->nexamples; k++) {
            cJSON *e = cJSON_CreateObject();
            cJSON_AddNumberToObject(e, "line", (double)f->examples[k].line);
            cJSON_AddStringToObject(e, "why", f->examples[k].why);
            fa_json_add_text(e, "text", f->examples[k].text,
                             f->examples[k].len);
            cJSON_AddItemToArray(ex, e);
        }
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

/* Resuming from a state file: how much of each file to pass over. */
struct resume {
    struct fa_state_files files;
};

static void on_file_open(void *arg, struct fa_file_stats *f)
{
    struct resume *r = arg;
    if (f->fp == 0) {
        return;
    }
    struct fa_state_file *e = fa_state_find(&r->files, f->fp, f->fp_len);
    if (e == NULL) {
        /* The file may have grown since it was seen with fewer bytes than
         * a whole fingerprint. */
        for (size_t i = 0; i < r->files.n && e == NULL; i++) {
            uint32_t len = r->files.v[i].fp_len;
            if (len < f->fp_len &&
                fa_input_fingerprint_len(f->path, len) == r->files.v[i].fp) {
                e = &r->files.v[i];
            }
        }
    }
    if (e == NULL) {
        return;
    }
    if (e->complete) {
        f->skip = e->emitted;     /* read before: only the new tail */
    } else {
        f->suppress = e->emitted; /* interrupted: re-parse, drop events */
    }
}

/* Record how far every opened file has been read. */
static void note_files(struct resume *r, struct fa_input *in)
{
    int64_t now = (int64_t)time(NULL);
    for (size_t i = 0; i < fa_input_nfiles(in); i++) {
        struct fa_file_stats *f = fa_input_file(in, i);
        if (f->fp == 0) {
            continue;
        }
        struct fa_state_file e = {
            .fp = f->fp,
            .fp_len = f->fp_len,
            .emitted = f->emitted,
            .complete = f->complete,
            .last_used = now,
        };
        fa_state_put(&r->files, &e);
    }
}

/* A mid-run checkpoint: what was loaded, updated with this run's
 * progress (the producer thread may be reading the loaded list, so it is
 * not changed in place). */
static int save_checkpoint(const char *path, const struct fa_detect *d,
                           const struct resume *r,
                           const struct fa_state_files *progress, char *err,
                           size_t size)
{
    struct fa_state_files all = {0};
    for (size_t i = 0; i < r->files.n; i++) {
        fa_state_put(&all, &r->files.v[i]);
    }
    for (size_t i = 0; i < progress->n; i++) {
        fa_state_put(&all, &progress->v[i]);
    }
    int rc = fa_state_save(path, d, &all, true, err, size);
    fa_state_files_free(&all);
    return rc;
}

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void prepare_event(void *ctx, const struct fa_event *ev, void *rec)
{
    fa_detect_prepare(ctx, ev, rec);
}

int fa_cmd_scan(int argc, char **argv)
{
    struct fa_read_opts ro = {0};
    const char *geo_paths[16];
    size_t ngeo = 0;
    bool no_geo = false, events = false;
    const char *config = NULL, *format = NULL, *output = NULL;
    const char *state_path = NULL;
    double checkpoint = 60;
    jw_arena_install(); /* while this is the only thread */
    int fail_on = FA_SEV_HIGH;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:qh", scan_options, NULL)) != -1) {
        if (fa_read_opt(&ro, c, optarg)) {
            continue;
        }
        switch (c) {
        case OPT_GEOIP:
            if (ngeo == 16) {
                fprintf(stderr, "ftpaudit: at most 16 --geoip files\n");
                return FA_EXIT_USAGE;
            }
            geo_paths[ngeo++] = optarg;
            break;
        case OPT_NOGEO:
            no_geo = true;
            break;
        case OPT_CONFIG:
            config = optarg;
            break;
        case OPT_EVENTS:
            events = true;
            break;
        case OPT_STATE:
            state_path = optarg;
            break;
        case OPT_CHECKPOINT: {
            char *end;
            checkpoint = strtod(optarg, &end);
            if (*end != '\0' || !(checkpoint >= 0) || checkpoint > 1e6) {
                fprintf(stderr, "ftpaudit: --checkpoint takes seconds\n");
                return FA_EXIT_USAGE;
            }
            break;
        }
        case OPT_FORMAT:
            format = optarg;
            if (strcmp(format, "json") != 0 && strcmp(format, "text") != 0 &&
                strcmp(format, "html") != 0 && strcmp(format, "ndjson") != 0 &&
                strcmp(format, "ocsf") != 0) {
                fprintf(stderr, "ftpaudit: --format is json, text, html, "
                                "ndjson or ocsf\n");
                return FA_EXIT_USAGE;
            }
            break;
        case OPT_FAILON:
            fail_on = fa_severity_from_name(optarg);
            if (fail_on < 0) {
                fprintf(stderr, "ftpaudit: --fail-on takes info, low, "
                                "medium, high or critical\n");
                return FA_EXIT_USAGE;
            }
            break;
        case 'o':
            output = optarg;
            break;
        case 'h':
            fputs(scan_usage, stdout);
            return FA_EXIT_OK;
        default:
            fputs(scan_usage, stderr);
            return FA_EXIT_USAGE;
        }
    }
    struct fa_config cfg;
    fa_config_defaults(&cfg);
    char err[300];
    if (config != NULL && fa_config_load(&cfg, config, err, sizeof(err))) {
        fprintf(stderr, "ftpaudit: config: %s\n", err);
        return FA_EXIT_USAGE;
    }
    struct fa_geo *geo = fa_geo_create();
    for (size_t i = 0; i < ngeo; i++) {
        if (fa_geo_add(geo, geo_paths[i], err, sizeof(err)) != 0) {
            fprintf(stderr, "ftpaudit: GeoIP database: %s\n", err);
            fa_geo_destroy(geo);
            return FA_EXIT_USAGE;
        }
    }
    if (ngeo == 0 && !no_geo) {
        for (size_t i = 0; fa_geo_default_paths[i] != NULL; i++) {
            if (access(fa_geo_default_paths[i], R_OK) == 0) {
                fa_geo_add(geo, fa_geo_default_paths[i], err, sizeof(err));
            }
        }
    }
    struct fa_tz tz;
    struct fa_input *in =
        fa_open_inputs(&ro, &tz, argv + optind, argc - optind);
    if (in == NULL) {
        fa_geo_destroy(geo);
        return FA_EXIT_USAGE;
    }
    struct fa_detect *d = fa_detect_create(&cfg, geo);
    fa_detect_stable_files(d); /* the input's names, freed after d */
    struct resume resume = {0};
    int lock_fd = -1;
    if (state_path != NULL) {
        bool in_progress;
        lock_fd = fa_state_lock(state_path, err, sizeof(err));
        if (lock_fd < 0 ||
            fa_state_load(state_path, d, &resume.files, &in_progress, err,
                          sizeof(err)) < 0) {
            fprintf(stderr, "ftpaudit: state: %s\n", err);
            if (lock_fd >= 0) {
                close(lock_fd);
            }
            fa_state_files_free(&resume.files);
            fa_detect_destroy(d);
            fa_input_destroy(in);
            fa_geo_destroy(geo);
            return FA_EXIT_USAGE;
        }
        fa_input_on_file_open(in, on_file_open, &resume);
    }
    FILE *out = fa_open_output(output);
    if (out == NULL) {
        if (lock_fd >= 0) {
            close(lock_fd);
        }
        fa_state_files_free(&resume.files);
        fa_detect_destroy(d);
        fa_input_destroy(in);
        fa_geo_destroy(geo);
        return FA_EXIT_USAGE;
    }
    if (format == NULL) {
        format = out == stdout && isatty(STDOUT_FILENO) ? "text" : "json";
    }
    bool stream = strcmp(format, "ndjson") == 0 || strcmp(format, "ocsf") == 0;
    struct jw w;
    jw_init(&w, out);
    double last_save = seconds_now();
    int status = FA_EXIT_OK;
    /* Read on one core, detect on the other. */
    struct fa_progress *meter = fa_progress_start(in, !ro.quiet);
    /* What detection works out from each event alone (hashes, kinds of
     * names) is done by the reading thread while detection has batches
     * waiting (see fa_prep_hook). */
    struct fa_prep_hook hook = {prepare_event, d, sizeof(struct fa_prepared)};
    struct fa_pipeline *pl = fa_pipeline_start(
        in, events && stream ? FA_BATCH_ALL : FA_BATCH_DETECT,
        state_path != NULL, meter, &hook);
    struct fa_state_files progress = {0};
    double detect_cpu = fa_thread_cpu(), read_cpu = 0;
    const struct fa_batch *b;
    while ((b = fa_pipeline_next(pl)) != NULL) {
        const struct fa_prepared *prep = b->prepared ? b->prep : NULL;
        for (size_t i = 0; i < b->n; i++) {
            if (prep != NULL) {
                fa_detect_event_prepared(d, &b->ev[i], &prep[i]);
            } else {
                fa_detect_event(d, &b->ev[i]);
            }
        }
        for (size_t i = 0; events && stream && i < b->n; i++) {
            if (format[0] == 'n') {
                fa_write_event_ecs(&w, &b->ev[i], &tz);
            } else {
                fa_write_event_ocsf(&w, &b->ev[i], &tz);
            }
            jw_char(&w, '\n');
        }
        /* Checkpoints: only after a batch that ends where every event of
         * the lines read is in the detector, so a resumed run counts
         * none twice. */
        if (state_path != NULL && b->consistent) {
            int64_t now = (int64_t)time(NULL);
            for (size_t i = 0; i < b->ndelta; i++) {
                const struct fa_file_delta *fd = &b->delta[i];
                struct fa_state_file e = {fd->fp, fd->fp_len, fd->emitted,
                                          fd->complete, now};
                fa_state_put(&progress, &e);
            }
            double clock = seconds_now();
            if (clock - last_save >= checkpoint) {
                if (save_checkpoint(state_path, d, &resume, &progress, err,
                                    sizeof(err)) != 0) {
                    fprintf(stderr, "ftpaudit: state: %s\n", err);
                    status = FA_EXIT_USAGE;
                    fa_pipeline_release(pl, b);
                    break;
                }
                last_save = clock;
            }
        }
        fa_pipeline_release(pl, b);
    }
    fa_pipeline_finish(pl, &read_cpu);
    fa_progress_end(meter);
    fa_state_files_free(&progress);
    fa_detect_finish(d);
    detect_cpu = fa_thread_cpu() - detect_cpu;
    double report_start = seconds_now();
    jw_flush(&w);

    /* What the report says besides the detector's findings and
     * accounts. */
    cJSON *tail = cJSON_CreateObject();
    cJSON_AddItemToObject(tail, "inputs", inputs_json(in));
    cJSON *off = cJSON_AddArrayToObject(tail, "off");
    if (!fa_geo_has_country(geo)) {
        cJSON_AddItemToArray(off, cJSON_CreateString(
            "geoip: no country database, country rules off"));
    }
    if (!fa_geo_has_asn(geo)) {
        cJSON_AddItemToArray(off, cJSON_CreateString(
            "geoip: no ASN database, network-operator rule off"));
    }
    if (!tz.known) {
        cJSON_AddItemToArray(off, cJSON_CreateString(
            "time zone unknown: local stamps read as UTC"));
    }
    cJSON_AddStringToObject(tail, "timezone", tz.name);

    bool report_ok = true;
    if (strcmp(format, "json") == 0) {
        report_ok = write_json_report(out, d, tail);
    } else if (stream) {
        /* One line per finding, each read back from the spool as it
         * goes out. */
        size_t nf;
        size_t *idx = fa_report_ranked(d, &nf);
        for (size_t i = 0; i < nf; i++) {
            cJSON *f = fa_report_finding(d, idx[i]);
            if (format[0] == 'n') {
                fa_write_finding_ndjson(out, f);
            } else {
                fa_write_finding_ocsf(out, f);
            }
            cJSON_Delete(f);
        }
        free(idx);
    } else {
        /* Pages for people: the whole document in memory. */
        cJSON *report = fa_report_json(d);
        for (cJSON *m = tail->child; m != NULL;) {
            cJSON *next = m->next;
            cJSON_AddItemToObject(report, m->string,
                                  cJSON_DetachItemViaPointer(tail, m));
            m = next;
        }
        if (strcmp(format, "html") == 0) {
            fa_write_html(out, report);
        } else {
            bool color = out == stdout && isatty(STDOUT_FILENO) &&
                         getenv("NO_COLOR") == NULL;
            fa_write_text(out, report, color);
        }
        cJSON_Delete(report);
    }
    cJSON_Delete(tail);
    jw_finish(&w);
    if (fflush(out) != 0 || ferror(out) || !report_ok) {
        fprintf(stderr, "ftpaudit: write error on the report\n");
        status = FA_EXIT_USAGE;
    }
    if (out != stdout) {
        fclose(out);
    }
    if (!ro.quiet) {
        fa_print_summary(stderr, in);
    }
    if (status == FA_EXIT_OK && !fa_any_input(in)) {
        fprintf(stderr, "ftpaudit: no input could be read\n");
        status = FA_EXIT_USAGE;
    } else if (status == FA_EXIT_OK && fa_report_max_severity(d) >= fail_on) {
        status = FA_EXIT_FOUND;
    }
    if (state_path != NULL && status != FA_EXIT_USAGE) {
        /* The run is complete and its report written: its findings are
         * not news to the next run. */
        fa_detect_mark_reported(d);
        note_files(&resume, in);
        if (fa_state_save(state_path, d, &resume.files, false, err,
                          sizeof(err)) != 0) {
            fprintf(stderr, "ftpaudit: state: %s\n", err);
            status = FA_EXIT_USAGE;
        }
    }
    if (lock_fd >= 0) {
        close(lock_fd);
    }
    fa_state_files_free(&resume.files);
    fa_detect_destroy(d);
    fa_input_destroy(in);
    fa_geo_destroy(geo);
    if (getenv("FTPAUDIT_STAGE_TIMES") != NULL) {
        /* For the benchmark (bench/README.md): where the time went. */
        fprintf(stderr,
                "ftpaudit: stage seconds: read+parse %.3f CPU, detect %.3f "
                "CPU, report and the rest %.3f\n",
                read_cpu, detect_cpu, seconds_now() - report_start);
    }
    return status;
}
