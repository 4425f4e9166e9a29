#include "input.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "reader.h"

/* How many non-blank leading lines (and bytes) auto-detection looks at. */
#define SAMPLE_LINES 200
#define SAMPLE_BYTES (256 * 1024)
/* Series read at the same time; more are merged batch by batch. */
#define MAX_STREAMS 64
/* Folder nesting followed at most. */
#define MAX_DEPTH 64

struct series {
    char *key;
    size_t *files;      /* indexes into input.files, oldest first */
    size_t nfiles;
};

struct stream {
    struct fa_input *in;
    struct series *series;
    size_t fi;                   /* index into series->files */
    struct fa_file_stats *stats; /* current file */
    struct fa_reader *reader;
    const struct fa_parser *parser;
    void *state;
    struct fa_ctx ctx;

    /* Detection sample, replayed before the reader goes on. */
    char *sbuf;
    struct fa_line *slines;
    uint64_t *soff;              /* end offset of each sample line */
    size_t sn, si;
    uint64_t line_end;           /* end offset of the current line */

    struct fa_file_stats *prev;  /* last file read to its end */
    uint64_t prev_line;
    struct fa_line line;
    bool again;        /* parse the same line once more */
    bool finishing;    /* parser finish() in progress */
    bool done;
    struct fa_event ev;
};

struct fa_input {
    struct fa_input_opts opts;
    struct fa_file_stats **files;
    size_t nfiles, capfiles;
    struct series *series;
    size_t nseries;
    bool started;
    size_t next_series;          /* first series not yet opened */
    struct stream *streams;      /* current batch */
    size_t nstreams;
    size_t *heap;                /* stream indexes, min time at the top */
    size_t nheap;
    struct stream *last;         /* stream whose event was handed out */
    fa_input_file_done_fn done_fn;
    void *done_arg;
    fa_input_file_open_fn open_fn;
    void *open_arg;
};

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (p == NULL) {
        abort();
    }
    return p;
}

static char *xstrdup(const char *s)
{
    char *p = strdup(s);
    if (p == NULL) {
        abort();
    }
    return p;
}

struct fa_input *fa_input_create(const struct fa_input_opts *opts)
{
    struct fa_input *in = xcalloc(1, sizeof(*in));
    in->opts = *opts;
    return in;
}

void fa_input_on_file_open(struct fa_input *in, fa_input_file_open_fn fn,
                           void *arg)
{
    in->open_fn = fn;
    in->open_arg = arg;
}

static uint64_t fnv(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    }
    return h ? h : 1;
}

static bool regular(const char *path)
{
    struct stat st;
    return strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
           S_ISREG(st.st_mode);
}

uint64_t fa_input_fingerprint(const char *path, uint32_t *len)
{
    char buf[FA_FP_BYTES];
    *len = 0;
    if (!regular(path)) {
        return 0;
    }
    long n = fa_reader_head(path, buf, sizeof(buf));
    if (n <= 0) {
        return 0;
    }
    *len = (uint32_t)n;
    return fnv(buf, (size_t)n);
}

uint64_t fa_input_fingerprint_len(const char *path, uint32_t len)
{
    char buf[FA_FP_BYTES];
    if (len == 0 || len > FA_FP_BYTES || !regular(path)) {
        return 0;
    }
    long n = fa_reader_head(path, buf, len);
    return n == (long)len ? fnv(buf, len) : 0;
}

bool fa_input_quiescent(const struct fa_input *in)
{
    const struct stream *s = in->last;
    return s == NULL || (!s->again && !s->finishing);
}

void fa_input_on_file_done(struct fa_input *in, fa_input_file_done_fn fn,
                           void *arg)
{
    in->done_fn = fn;
    in->done_arg = arg;
}

static struct fa_file_stats *add_file(struct fa_input *in, const char *path)
{
    if (in->nfiles == in->capfiles) {
        in->capfiles = in->capfiles ? in->capfiles * 2 : 16;
        in->files = realloc(in->files, in->capfiles * sizeof(*in->files));
        if (in->files == NULL) {
            abort();
        }
    }
    struct fa_file_stats *f = xcalloc(1, sizeof(*f));
    f->path = xstrdup(path);
    struct stat st;
    if (strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
        S_ISREG(st.st_mode)) {
        f->dev = (uint64_t)st.st_dev;
        f->ino = (uint64_t)st.st_ino;
    }
    in->files[in->nfiles++] = f;
    return f;
}

struct visited {
    dev_t dev;
    ino_t ino;
};

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_dir(struct fa_input *in, const char *path, int depth,
                    struct visited *seen, size_t nseen)
{
    DIR *d = opendir(path);
    if (d == NULL) {
        struct fa_file_stats *f = add_file(in, path);
        f->state = FA_FILE_UNREADABLE;
        snprintf(f->message, sizeof(f->message), "cannot list folder: %s",
                 strerror(errno));
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) {
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            names = realloc(names, cap * sizeof(*names));
            if (names == NULL) {
                abort();
            }
        }
        names[n++] = xstrdup(de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(*names), cmp_names);
    for (size_t i = 0; i < n; i++) {
        size_t plen = strlen(path);
        char *child = xcalloc(plen + strlen(names[i]) + 2, 1);
        sprintf(child, "%s%s%s", path,
                plen && path[plen - 1] == '/' ? "" : "/", names[i]);
        struct stat st;
        if (stat(child, &st) != 0) {
            /* A dangling link: nothing to read, not worth a notice. */
        } else if (S_ISDIR(st.st_mode)) {
            bool loop = false;
            for (size_t k = 0; k < nseen && !loop; k++) {
                loop = seen[k].dev == st.st_dev && seen[k].ino == st.st_ino;
            }
            if (!loop && depth >= MAX_DEPTH) {
                struct fa_file_stats *f = add_file(in, child);
                f->state = FA_FILE_UNREADABLE;
                snprintf(f->message, sizeof(f->message),
                         "folders nested deeper than %d: not read",
                         MAX_DEPTH);
            } else if (!loop) {
                seen[nseen] = (struct visited){st.st_dev, st.st_ino};
                add_dir(in, child, depth + 1, seen, nseen + 1);
            }
        } else if (S_ISREG(st.st_mode)) {
            add_file(in, child);
        } else {
            struct fa_file_stats *f = add_file(in, child);
            f->state = FA_FILE_NOTREG;
            snprintf(f->message, sizeof(f->message),
                     "not a regular file: skipped");
        }
        free(child);
        free(names[i]);
    }
    free(names);
}

int fa_input_add(struct fa_input *in, const char *path)
{
    if (strcmp(path, "-") == 0) {
        add_file(in, path);
        return 0;
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        struct fa_file_stats *f = add_file(in, path);
        f->state = FA_FILE_UNREADABLE;
        snprintf(f->message, sizeof(f->message), "%s", strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        struct visited seen[MAX_DEPTH + 2];
        seen[0] = (struct visited){st.st_dev, st.st_ino};
        add_dir(in, path, 1, seen, 1);
        return 0;
    }
    add_file(in, path);
    return 0;
}

/* Rotation suffixes: "x.log.3", "x.log.3.gz", "x.log-20100131.gz",
 * "x.log.20100131", "x.log-2010-01-31".  Rank: numbered files oldest
 * (highest number) first, then dated files by date, then the live file. */
void fa_input_series_key(const char *path, char *key, int64_t *rank)
{
    size_t len = strlen(path);
    memcpy(key, path, len + 1);
    if (len > 3 && strcmp(key + len - 3, ".gz") == 0) {
        len -= 3;
        key[len] = '\0';
    }
    size_t d = len;
    while (d > 0 && ((key[d - 1] >= '0' && key[d - 1] <= '9') ||
                     (key[d - 1] == '-' && d < len))) {
        d--;
    }
    while (d < len && key[d] == '-') {
        d++;
    }
    /* d is the first byte of a trailing run of digits (and inner '-'). */
    const char *name = strrchr(key, '/');
    size_t base = name ? (size_t)(name - key) + 1 : 0;
    if (d < len && d > base + 1 && (key[d - 1] == '.' || key[d - 1] == '-')) {
        size_t digits = 0;
        int64_t v = 0;
        for (size_t i = d; i < len; i++) {
            if (key[i] >= '0' && key[i] <= '9') {
                digits++;
                if (v < INT64_MAX / 10) {
                    v = v * 10 + (key[i] - '0');
                }
            }
        }
        if (digits >= 1 && digits <= 4 && key[d - 1] == '.' &&
            memchr(key + d, '-', len - d) == NULL) {
            /* Numbered: ".1" is the newest rotation, so a higher
             * number sorts first. */
            *rank = -4000000000000000000LL - v;
            key[d - 1] = '\0';
            return;
        }
        if (digits >= 8) {
            *rank = -2000000000000000000LL + v; /* dated: after numbered */
            key[d - 1] = '\0';
            return;
        }
    }
    *rank = 0; /* the live file, newest */
}

struct keyed {
    char *key;
    int64_t rank;
    size_t index;
};

static int cmp_keyed(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c != 0) {
        return c;
    }
    if (x->rank != y->rank) {
        return x->rank < y->rank ? -1 : 1;
    }
    return x->index < y->index ? -1 : (x->index > y->index);
}

struct ident {
    struct fa_file_stats *f;
    size_t order;   /* position among the inputs: the first one is kept */
};

static int cmp_identity(const void *a, const void *b)
{
    const struct ident *x = a, *y = b;
    if (x->f->dev != y->f->dev) {
        return x->f->dev < y->f->dev ? -1 : 1;
    }
    if (x->f->ino != y->f->ino) {
        return x->f->ino < y->f->ino ? -1 : 1;
    }
    return x->order < y->order ? -1 : (x->order > y->order);
}

/* A file reached twice (a link to a folder beside it, a path given twice)
 * is read once: its events must not count double. */
static void drop_duplicates(struct fa_input *in)
{
    struct ident *v = xcalloc(in->nfiles, sizeof(*v));
    size_t n = 0;
    for (size_t i = 0; i < in->nfiles; i++) {
        if (in->files[i]->ino != 0 && in->files[i]->state == FA_FILE_PENDING) {
            v[n++] = (struct ident){in->files[i], i};
        }
    }
    qsort(v, n, sizeof(*v), cmp_identity);
    for (size_t i = 1; i < n; i++) {
        if (v[i].f->dev == v[i - 1].f->dev && v[i].f->ino == v[i - 1].f->ino) {
            v[i].f->state = FA_FILE_DUPLICATE;
            snprintf(v[i].f->message, sizeof(v[i].f->message),
                     "same file as another input: read once");
            v[i].f = v[i - 1].f; /* compare the next one with the kept */
        }
    }
    free(v);
}

static void build_series(struct fa_input *in)
{
    drop_duplicates(in);
    struct keyed *k = xcalloc(in->nfiles, sizeof(*k));
    size_t n = 0;
    for (size_t i = 0; i < in->nfiles; i++) {
        if (in->files[i]->state != FA_FILE_PENDING) {
            continue;
        }
        k[n].key = xcalloc(strlen(in->files[i]->path) + 1, 1);
        if (strcmp(in->files[i]->path, "-") == 0) {
            strcpy(k[n].key, "-");
            k[n].rank = 0;
        } else {
            fa_input_series_key(in->files[i]->path, k[n].key, &k[n].rank);
        }
        k[n].index = i;
        n++;
    }
    qsort(k, n, sizeof(*k), cmp_keyed);
    in->series = xcalloc(n, sizeof(*in->series));
    for (size_t i = 0; i < n; i++) {
        struct series *s = in->nseries
                               ? &in->series[in->nseries - 1]
                               : NULL;
        if (s == NULL || strcmp(s->key, k[i].key) != 0) {
            s = &in->series[in->nseries++];
            s->key = k[i].key;
            s->files = xcalloc(n, sizeof(*s->files));
        } else {
            free(k[i].key);
        }
        s->files[s->nfiles++] = k[i].index;
    }
    free(k);
}

static void record_invalid(struct fa_file_stats *f, const struct fa_line *l,
                           const char *why)
{
    f->invalid++;
    if (f->nexamples < FA_EXAMPLES) {
        struct fa_example *e = &f->examples[f->nexamples++];
        size_t n = l->len < 240 ? l->len : 240;
        e->line = l->number;
        e->why = why ? why : "not in this format";
        e->text = xcalloc(n + 1, 1);
        memcpy(e->text, l->ptr, n);
        e->len = n;
    }
}

static bool blank(const struct fa_line *l)
{
    for (size_t i = 0; i < l->len; i++) {
        if (l->ptr[i] != ' ' && l->ptr[i] != '\t' && l->ptr[i] != '\r') {
            return false;
        }
    }
    return true;
}

static void file_done(struct stream *s)
{
    struct fa_file_stats *f = s->stats;
    if (s->reader != NULL) {
        f->bytes = fa_reader_offset(s->reader);
        const char *w = fa_reader_warning(s->reader);
        if (w != NULL && f->message[0] == '\0') {
            snprintf(f->message, sizeof(f->message), "%s", w);
        }
        if (w != NULL && f->lines == 0 &&
            (f->state == FA_FILE_EMPTY || f->state == FA_FILE_PENDING)) {
            f->state = FA_FILE_UNREADABLE; /* damaged before any line */
        }
        fa_reader_close(s->reader);
        s->reader = NULL;
    }
    if (f->state == FA_FILE_PENDING) {
        f->state = f->lines == 0 ? FA_FILE_EMPTY : FA_FILE_READ;
    }
    if (f->state == FA_FILE_READ || f->state == FA_FILE_EMPTY) {
        f->complete = true;
        if (f->bytes > f->emitted) {
            f->emitted = f->bytes;
        }
    }
    if (s->in->done_fn != NULL) {
        s->in->done_fn(s->in->done_arg, f);
    }
}

static void drop_parser(struct stream *s)
{
    if (s->parser != NULL && s->parser->destroy != NULL) {
        s->parser->destroy(s->state);
    }
    free(s->state);
    s->state = NULL;
    s->parser = NULL;
}

/* Open the series' next file, read its sample and choose its parser.
 * Returns false when the series has no file left. */
static bool open_next_file(struct stream *s)
{
    struct fa_input *in = s->in;
    while (s->fi < s->series->nfiles) {
        struct fa_file_stats *f = in->files[s->series->files[s->fi++]];
        s->stats = f;
        const char *why = NULL;
        f->fp = fa_input_fingerprint(f->path, &f->fp_len);
        if (in->open_fn != NULL) {
            in->open_fn(in->open_arg, f);
        }
        f->emitted = f->skip > f->suppress ? f->skip : f->suppress;
        if (fa_reader_open(&s->reader, f->path, f->skip, &why) != 0) {
            f->state = FA_FILE_UNREADABLE;
            snprintf(f->message, sizeof(f->message), "%s: %s", why,
                     strerror(errno));
            s->reader = NULL;
            file_done(s);
            continue;
        }
        f->gzip = fa_reader_is_gzip(s->reader);
        s->ctx.mtime = in->opts.mtime ? in->opts.mtime
                                      : fa_reader_mtime(s->reader);
        s->ctx.year_hint = fa_year_for(s->ctx.mtime, 12, 31);

        /* The sample: leading lines, copied, replayed to the parser. */
        s->sn = s->si = 0;
        size_t used = 0, nonblank = 0;
        struct fa_line l;
        int rc;
        while (s->sn < SAMPLE_LINES && nonblank < SAMPLE_LINES &&
               used < SAMPLE_BYTES &&
               (rc = fa_reader_next(s->reader, &l)) > 0) {
            size_t n = l.len;
            if (used + n + 1 > SAMPLE_BYTES + FA_LINE_MAX + 1) {
                n = 0;
            }
            memcpy(s->sbuf + used, l.ptr, n);
            s->sbuf[used + n] = '\0';
            s->slines[s->sn] = (struct fa_line){s->sbuf + used, n, l.number};
            s->soff[s->sn] = fa_reader_offset(s->reader);
            /* A cut line is marked by a length past the maximum. */
            if (rc == FA_READ_CUT) {
                s->slines[s->sn].len = n;
                s->slines[s->sn].number |= (uint64_t)1 << 63;
            }
            s->sn++;
            used += n + 1;
            nonblank += !blank(&l);
        }
        const struct fa_parser *p = NULL;
        if (in->opts.format != NULL) {
            p = fa_parser_find(in->opts.format);
            f->score = 100;
        } else {
            struct fa_line probe[SAMPLE_LINES];
            size_t np = 0;
            for (size_t i = 0; i < s->sn && np < SAMPLE_LINES; i++) {
                if (!blank(&s->slines[i]) &&
                    !(s->slines[i].number >> 63)) {
                    probe[np++] = s->slines[i];
                }
            }
            p = fa_parser_detect(probe, np, &f->score);
            if (np == 0) {
                bool cut = false;
                for (size_t i = 0; i < s->sn && !cut; i++) {
                    cut = s->slines[i].number >> 63;
                }
                /* Lines too long to read are no format at all. */
                f->state = cut ? FA_FILE_UNKNOWN : FA_FILE_EMPTY;
                f->lines = s->sn;
                f->invalid = cut ? s->sn : 0;
                if (cut) {
                    snprintf(f->message, sizeof(f->message),
                             "only lines longer than 64 KiB: not a log");
                }
                file_done(s);
                continue;
            }
        }
        if (p == NULL) {
            f->state = FA_FILE_UNKNOWN;
            f->lines = s->sn;
            snprintf(f->message, sizeof(f->message),
                     "no supported log format recognised (best score %d)",
                     f->score);
            file_done(s);
            continue;
        }
        f->format = p->name;
        if (p != s->parser) {
            drop_parser(s);
            s->parser = p;
            s->state = xcalloc(1, p->state_size);
            if (p->init != NULL && p->init(s->state, &s->ctx, &why) != 0) {
                f->state = FA_FILE_UNREADABLE;
                snprintf(f->message, sizeof(f->message),
                         "%s parser cannot start: %s", p->name,
                         why ? why : "?");
                drop_parser(s);
                file_done(s);
                continue;
            }
        }
        return true;
    }
    return false;
}

/* Next line of the current file (sample first).  Returns the reader's
 * code: FA_READ_LINE, FA_READ_CUT or FA_READ_EOF. */
static int stream_line(struct stream *s)
{
    if (s->si < s->sn) {
        s->line_end = s->soff[s->si];
        s->line = s->slines[s->si++];
        if (s->line.number >> 63) {
            s->line.number &= ~((uint64_t)1 << 63);
            return FA_READ_CUT;
        }
        return FA_READ_LINE;
    }
    int rc = fa_reader_next(s->reader, &s->line);
    s->line_end = fa_reader_offset(s->reader);
    return rc < 0 ? FA_READ_EOF : rc;
}

/* Advance a stream to its next event; false when the series is done. */
static bool stream_advance(struct stream *s)
{
    for (;;) {
        const char *why = NULL;
        enum fa_status st;
        fa_event_clear(&s->ev);
        if (s->finishing) {
            /* End of the series: the parser hands over what it held. */
            st = s->parser && s->parser->finish
                     ? s->parser->finish(s->state, &s->ev)
                     : FA_SKIP;
            if (st == FA_OK && s->prev != NULL) {
                s->ev.file = s->prev->path;
                s->ev.line = s->prev_line;
                s->prev->events++;
                return true;
            }
            s->finishing = false;
            drop_parser(s);
            s->done = true;
            return false;
        }
        if (s->stats == NULL) {
            if (!open_next_file(s)) {
                s->finishing = true;
                continue;
            }
        }
        struct fa_file_stats *f = s->stats;
        if (!s->again) {
            int rc = stream_line(s);
            if (rc == FA_READ_EOF) {
                /* Within a series the parser goes on with the next
                 * (newer) file, so sessions run across a rotation. */
                s->prev = f;
                s->prev_line = f->lines;
                file_done(s);
                s->stats = NULL;
                continue;
            }
            f->lines++;
            if (rc == FA_READ_CUT) {
                record_invalid(f, &s->line, "line longer than 64 KiB");
                continue;
            }
            if (blank(&s->line)) {
                f->skipped++;
                continue;
            }
        }
        s->again = false;
        st = s->parser->parse(s->state, &s->line, &s->ev, &why);
        switch (st) {
        case FA_AGAIN:
            s->again = true;
            /* fall through */
        case FA_OK:
            if (s->line_end <= f->suppress) {
                /* Counted by an earlier run: the parser saw the line,
                 * the detector must not. */
                f->suppressed++;
                break;
            }
            s->ev.file = f->path;
            s->ev.line = s->line.number;
            s->ev.original = (struct fa_str){s->line.ptr, s->line.len};
            f->events++;
            f->emitted = s->line_end;
            return true;
        case FA_SKIP:
            f->skipped++;
            break;
        case FA_INVALID:
        default:
            record_invalid(f, &s->line, why);
            break;
        }
    }
}

static bool earlier(const struct fa_input *in, size_t a, size_t b)
{
    const struct stream *x = &in->streams[a], *y = &in->streams[b];
    if (x->ev.time_us != y->ev.time_us) {
        return x->ev.time_us < y->ev.time_us;
    }
    return a < b;
}

static void heap_down(struct fa_input *in, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < in->nheap && earlier(in, in->heap[l], in->heap[m])) {
            m = l;
        }
        if (r < in->nheap && earlier(in, in->heap[r], in->heap[m])) {
            m = r;
        }
        if (m == i) {
            return;
        }
        size_t t = in->heap[i];
        in->heap[i] = in->heap[m];
        in->heap[m] = t;
        i = m;
    }
}

static void free_streams(struct fa_input *in)
{
    for (size_t i = 0; i < in->nstreams; i++) {
        struct stream *s = &in->streams[i];
        if (s->reader != NULL) {
            fa_reader_close(s->reader);
        }
        drop_parser(s);
        free(s->sbuf);
        free(s->slines);
        free(s->soff);
    }
    free(in->streams);
    free(in->heap);
    in->streams = NULL;
    in->heap = NULL;
    in->nstreams = in->nheap = 0;
}

/* Open the next batch of series; false when none is left. */
static bool open_batch(struct fa_input *in)
{
    free_streams(in);
    size_t n = in->nseries - in->next_series;
    if (n == 0) {
        return false;
    }
    if (n > MAX_STREAMS) {
        n = MAX_STREAMS;
    }
    in->streams = xcalloc(n, sizeof(*in->streams));
    in->heap = xcalloc(n, sizeof(*in->heap));
    in->nstreams = n;
    for (size_t i = 0; i < n; i++) {
        struct stream *s = &in->streams[i];
        s->in = in;
        s->series = &in->series[in->next_series + i];
        s->ctx.tz = in->opts.tz;
        s->ctx.logformat = in->opts.logformat;
        s->sbuf = xcalloc(SAMPLE_BYTES + FA_LINE_MAX + 2, 1);
        s->slines = xcalloc(SAMPLE_LINES + 1, sizeof(*s->slines));
        s->soff = xcalloc(SAMPLE_LINES + 1, sizeof(*s->soff));
        if (stream_advance(s)) {
            in->heap[in->nheap++] = i;
        }
    }
    in->next_series += n;
    for (size_t i = in->nheap / 2; i-- > 0;) {
        heap_down(in, i);
    }
    return true;
}

int fa_input_next(struct fa_input *in, const struct fa_event **ev)
{
    if (!in->started) {
        in->started = true;
        build_series(in);
        open_batch(in);
    } else if (in->last != NULL) {
        /* Advance the stream whose event went out last. */
        struct stream *s = in->last;
        in->last = NULL;
        if (!stream_advance(s)) {
            in->heap[0] = in->heap[--in->nheap];
        }
        if (in->nheap > 1) {
            heap_down(in, 0);
        }
    }
    while (in->nheap == 0) {
        if (!open_batch(in)) {
            return 0;
        }
    }
    struct stream *s = &in->streams[in->heap[0]];
    in->last = s;
    *ev = &s->ev;
    return 1;
}

size_t fa_input_nfiles(const struct fa_input *in)
{
    return in->nfiles;
}

struct fa_file_stats *fa_input_file(struct fa_input *in, size_t i)
{
    return in->files[i];
}

void fa_input_destroy(struct fa_input *in)
{
    if (in == NULL) {
        return;
    }
    free_streams(in);
    for (size_t i = 0; i < in->nseries; i++) {
        free(in->series[i].key);
        free(in->series[i].files);
    }
    free(in->series);
    for (size_t i = 0; i < in->nfiles; i++) {
        for (size_t k = 0; k < in->files[i]->nexamples; k++) {
            free(in->files[i]->examples[k].text);
        }
        free(in->files[i]->path);
        free(in->files[i]);
    }
    free(in->files);
    free(in);
}
