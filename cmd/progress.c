/* The progress line; see progress.h. */
#include "progress.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Decompressed bytes per byte on disk assumed for a gzip file whose
 * trailer cannot be trusted, until some gzip file was read to its end
 * (text logs compress about tenfold). */
#define GZIP_RATIO_GUESS 8.0

struct file_size {
    uint64_t disk;    /* bytes on disk */
    uint64_t isize;   /* gzip trailer: uncompressed length mod 2^32 */
    bool known;       /* a regular file we could stat */
    bool gzip;
};

struct fa_progress {
    struct fa_input *in;
    size_t nfiles;
    struct file_size *sizes;
    size_t calls;      /* events since the clock was last read */
    int64_t start_ms, last_ms;
    size_t shown;      /* length of the line on screen, 0: none */
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Size on disk, and for gzip the trailer's length.  Only regular files
 * are opened (a FIFO would block or lose data), non-blocking anyway in
 * case the path changed in between. */
static void size_of(const char *path, struct file_size *s)
{
    struct stat st;
    memset(s, 0, sizeof(*s));
    if (strcmp(path, "-") == 0 || stat(path, &st) != 0 ||
        !S_ISREG(st.st_mode)) {
        return;
    }
    s->known = true;
    s->disk = (uint64_t)st.st_size;
    int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        return;
    }
    unsigned char magic[2], tail[4];
    if (pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f &&
        magic[1] == 0x8b) {
        s->gzip = true;
        if (s->disk >= 18 &&
            pread(fd, tail, 4, (off_t)(s->disk - 4)) == 4) {
            s->isize = (uint64_t)tail[0] | (uint64_t)tail[1] << 8 |
                       (uint64_t)tail[2] << 16 | (uint64_t)tail[3] << 24;
        }
    }
    close(fd);
}

struct fa_progress *fa_progress_start(struct fa_input *in, bool enabled)
{
    if (!enabled || in == NULL || !isatty(STDERR_FILENO)) {
        return NULL;
    }
    struct fa_progress *p = calloc(1, sizeof(*p));
    if (p == NULL) {
        abort();
    }
    p->in = in;
    p->nfiles = fa_input_nfiles(in);
    p->sizes = calloc(p->nfiles + 1, sizeof(*p->sizes));
    if (p->sizes == NULL) {
        abort();
    }
    for (size_t i = 0; i < p->nfiles; i++) {
        size_of(fa_input_file(in, i)->path, &p->sizes[i]);
    }
    p->start_ms = p->last_ms = now_ms();
    return p;
}

/* "12.3 MiB" */
static void human(char *buf, size_t size, double bytes)
{
    static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB",
                                       "PiB"};
    int u = 0;
    while (bytes >= 1024.0 && u < 5) {
        bytes /= 1024.0;
        u++;
    }
    snprintf(buf, size, u == 0 ? "%.0f %s" : "%.1f %s", bytes, unit[u]);
}

/* "410k" */
static void count_text(char *buf, size_t size, double n)
{
    if (n >= 1e6) {
        snprintf(buf, size, "%.1fM", n / 1e6);
    } else if (n >= 1e4) {
        snprintf(buf, size, "%.0fk", n / 1e3);
    } else {
        snprintf(buf, size, "%.0f", n);
    }
}

static void draw(struct fa_progress *p, int64_t now)
{
    size_t done_files = 0, nfiles = fa_input_nfiles(p->in);
    uint64_t lines = 0, read = 0, gz_out = 0, gz_disk = 0;
    double total = 0, done = 0;
    bool unknown = false, estimated = false;
    /* What finished gzip files teach about their ratio. */
    for (size_t i = 0; i < nfiles && i < p->nfiles; i++) {
        const struct fa_file_stats *f = fa_input_file(p->in, i);
        if (p->sizes[i].gzip && f->state == FA_FILE_READ) {
            gz_out += f->bytes;
            gz_disk += p->sizes[i].disk;
        }
    }
    double ratio = gz_disk > 0 && gz_out > gz_disk
                       ? (double)gz_out / (double)gz_disk
                       : GZIP_RATIO_GUESS;
    for (size_t i = 0; i < nfiles; i++) {
        const struct fa_file_stats *f = fa_input_file(p->in, i);
        /* bytes is set when a file ends, emitted as it is read; both are
         * decompressed offsets that include a resumed file's skip. */
        uint64_t pos = f->bytes > f->emitted ? f->bytes : f->emitted;
        bool finished = f->state != FA_FILE_PENDING;
        done_files += finished;
        lines += f->lines;
        read += pos > f->skip ? pos - f->skip : 0;
        const struct file_size *s = i < p->nfiles ? &p->sizes[i] : NULL;
        if (s == NULL || !s->known) {
            unknown = unknown || !finished;
            continue;
        }
        double disk = (double)s->disk;
        total += disk;
        if (finished) {
            done += disk;
            continue;
        }
        double part = (double)pos;
        if (s->gzip) {
            /* Map the decompressed offset to the compressed file. */
            double full = s->isize >= s->disk ? (double)s->isize
                                              : disk * ratio;
            part = full > 0 ? (double)pos / full * disk : 0;
            estimated = estimated || pos > 0;
        }
        done += part < disk ? part : disk;
    }

    double secs = (double)(now - p->start_ms) / 1000.0;
    char line[256], a[32], b[32], c[32];
    int n = snprintf(line, sizeof(line), "ftpaudit: %zu/%zu files",
                     done_files, nfiles);
    if (!unknown && total > 0) {
        human(a, sizeof(a), total);
        n += snprintf(line + n, sizeof(line) - (size_t)n, "  %.0f%% of %s",
                      100.0 * done / total, a);
    } else {
        human(a, sizeof(a), (double)read);
        n += snprintf(line + n, sizeof(line) - (size_t)n, "  %s read", a);
    }
    /* The time left comes before the rates: on a narrow terminal the
     * end of the line is cut. */
    if (!unknown && done > 0 && done < total && secs >= 1.0) {
        long left = (long)(secs * (total - done) / done + 0.5);
        if (left >= 3600) {
            n += snprintf(line + n, sizeof(line) - (size_t)n,
                          "  ETA %s%ld:%02ld:%02ld", estimated ? "~" : "",
                          left / 3600, left / 60 % 60, left % 60);
        } else {
            n += snprintf(line + n, sizeof(line) - (size_t)n,
                          "  ETA %s%ld:%02ld", estimated ? "~" : "",
                          left / 60, left % 60);
        }
    }
    human(b, sizeof(b), secs > 0 ? (double)read / secs : 0);
    count_text(c, sizeof(c), secs > 0 ? (double)lines / secs : 0);
    n += snprintf(line + n, sizeof(line) - (size_t)n, "  %s/s  %s lines/s",
                  b, c);
    size_t len = n > 0 && (size_t)n < sizeof(line) ? (size_t)n
                                                   : sizeof(line) - 1;
    /* Never wider than the terminal: a wrapped line cannot be redrawn
     * with a carriage return. */
    struct winsize ws;
    size_t width = 80;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1) {
        width = ws.ws_col;
    }
    if (len > width - 1) {
        len = width - 1;
    }
    size_t old = p->shown < width - 1 ? p->shown : width - 1;
    fputc('\r', stderr);
    fwrite(line, 1, len, stderr);
    for (size_t i = len; i < old; i++) {
        fputc(' ', stderr);
    }
    fflush(stderr);
    p->shown = len > old ? len : old;
}

void fa_progress_tick(struct fa_progress *p)
{
    fa_progress_ticks(p, 1);
}

void fa_progress_ticks(struct fa_progress *p, size_t n)
{
    if (p == NULL) {
        return;
    }
    p->calls += n;
    if (p->calls < FA_PROGRESS_EVERY) {
        return;
    }
    p->calls = 0;
    int64_t now = now_ms();
    if (now - p->start_ms < FA_PROGRESS_DELAY_MS ||
        now - p->last_ms < FA_PROGRESS_REDRAW_MS) {
        return;
    }
    p->last_ms = now;
    draw(p, now);
}

void fa_progress_end(struct fa_progress *p)
{
    if (p == NULL) {
        return;
    }
    if (p->shown > 0) {
        fputc('\r', stderr);
        for (size_t i = 0; i < p->shown; i++) {
            fputc(' ', stderr);
        }
        fputc('\r', stderr);
        fflush(stderr);
    }
    free(p->sizes);
    free(p);
}
