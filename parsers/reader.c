#include "reader.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#if FA_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#else
#include <zlib.h>
#endif

/* Input arrives in blocks; the line window holds one block plus the longest
 * line carried over from the previous one. */
#define BLOCK_SIZE (1024 * 1024)
/* An inflated block sits this far into its buffer, so that the start of a
 * line carried over from the block before fits in front of it: the
 * buffers of the ring and the reader's window are the same size and are
 * swapped, not copied. */
#define GZ_HEAD (FA_LINE_MAX + 1)
#define WINDOW (GZ_HEAD + BLOCK_SIZE + 1) /* + 1: a NUL after the data */
/* A plain file is read in smaller pieces: what a read copies is then
 * still in the core's cache when the lines are parsed. */
#define PLAIN_READ (128 * 1024)
#define RING_SLOTS 4

struct block {
    char *data;
    size_t len;
};

struct reader_gz {
    pthread_t thread;
    bool started;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    struct block ring[RING_SLOTS];
    size_t head, tail;   /* produce at head, consume at tail */
    size_t count;
    bool done;           /* producer finished (EOF or error) */
    bool stop;           /* consumer asks the producer to stop */
    char warning[160];
    int fd;
    unsigned char prefix[2]; /* bytes already read from a pipe */
    size_t prefix_len;
};

struct fa_reader {
    int fd;
    bool is_stdin;
    bool gzip;
    int64_t mtime;
    struct reader_gz *gz;

    char *buf;            /* window: [pos, end) unread */
    size_t cap, pos, end;
    bool eof;
    bool skipping;        /* passing over the tail of a cut line */
    uint64_t consumed;    /* decompressed bytes before buf[pos] */
    uint64_t skip;        /* bytes still to pass over at the start */
    const char *warning;
    char errbuf[160];
    uint64_t lineno;
};

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (p == NULL) {
        abort();
    }
    return p;
}

/*
 * The inflater: ISA-L's igzip when the build found it (it inflates about
 * 2.5 times as fast as zlib, which matters when a log is read once and
 * every core counts), zlib otherwise.  One member at a time: the caller
 * checks each member's first bytes, runs it, and resets it at the end.
 */
struct inflater {
#if FA_HAVE_ISAL
    struct inflate_state st;
#else
    z_stream zs;
#endif
};

enum { INF_OK, INF_END, INF_ERROR };

static bool inf_init(struct inflater *f)
{
#if FA_HAVE_ISAL
    isal_inflate_init(&f->st);
    f->st.crc_flag = ISAL_GZIP; /* header, then the CRC-32 and size checked */
    return true;
#else
    memset(&f->zs, 0, sizeof(f->zs));
    return inflateInit2(&f->zs, 15 + 16) == Z_OK;
#endif
}

#if FA_HAVE_ISAL
#define INF_IN(f) ((f)->st.next_in)
#define INF_AVAIL_IN(f) ((f)->st.avail_in)
#define INF_OUT(f) ((f)->st.next_out)
#define INF_AVAIL_OUT(f) ((f)->st.avail_out)
#else
#define INF_IN(f) ((f)->zs.next_in)
#define INF_AVAIL_IN(f) ((f)->zs.avail_in)
#define INF_OUT(f) ((f)->zs.next_out)
#define INF_AVAIL_OUT(f) ((f)->zs.avail_out)
#endif

/* Inflate what it can.  INF_END: the member ended (checks passed). */
static int inf_run(struct inflater *f, const char **msg)
{
#if FA_HAVE_ISAL
    int rc = isal_inflate(&f->st);
    if (rc < 0) {
        switch (rc) {
        case ISAL_INCORRECT_CHECKSUM:
            *msg = "incorrect data check";
            break;
        case ISAL_INVALID_WRAPPER:
            *msg = "incorrect header";
            break;
        case ISAL_UNSUPPORTED_METHOD:
            *msg = "unknown compression method";
            break;
        case ISAL_INVALID_LOOKBACK:
            *msg = "invalid distance too far back";
            break;
        default:
            *msg = "invalid deflate data";
            break;
        }
        return INF_ERROR;
    }
    if (rc == ISAL_NEED_DICT) {
        *msg = "a preset dictionary is not gzip";
        return INF_ERROR;
    }
    return f->st.block_state == ISAL_BLOCK_FINISH ? INF_END : INF_OK;
#else
    int rc = inflate(&f->zs, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) {
        return INF_END;
    }
    if (rc == Z_OK || rc == Z_BUF_ERROR) {
        return INF_OK; /* no progress shows as no bytes moved */
    }
    *msg = f->zs.msg ? f->zs.msg : "inflate error";
    return INF_ERROR;
#endif
}

static void inf_reset(struct inflater *f)
{
#if FA_HAVE_ISAL
    uint8_t *next = f->st.next_in; /* the next member's bytes stay */
    uint32_t avail = f->st.avail_in;
    isal_inflate_reset(&f->st);
    f->st.crc_flag = ISAL_GZIP;
    f->st.next_in = next;
    f->st.avail_in = avail;
#else
    inflateReset(&f->zs);
#endif
}

static void inf_end(struct inflater *f)
{
#if FA_HAVE_ISAL
    (void)f;
#else
    inflateEnd(&f->zs);
#endif
}

/* What is wrong with the first bytes of a member (RFC 1952: the magic,
 * method 8, no reserved flag), or NULL; n bytes are there (all of them
 * when fewer than 4). */
static const char *member_start(const unsigned char *p, size_t n,
                                bool *garbage)
{
    *garbage = false;
    if ((n >= 1 && p[0] != 0x1f) || (n >= 2 && p[1] != 0x8b)) {
        *garbage = true;
        return "trailing garbage after gzip data ignored";
    }
    if (n >= 3 && p[2] != 8) {
        return "unknown compression method";
    }
    if (n >= 4 && (p[3] & 0xe0) != 0) {
        return "unknown header flags set";
    }
    return NULL;
}

/* Producer: inflate the whole file, member after member, into ring
 * blocks.  A damaged stream ends the input with a warning; what was
 * inflated before stays. */
static void *gz_producer(void *arg)
{
    struct reader_gz *g = arg;
    unsigned char *in = xmalloc(BLOCK_SIZE);
    struct inflater inf;
    bool ok = inf_init(&inf);
    bool in_member = false;
    bool input_eof = false;
    bool starved = false; /* the inflater wants more than it has */
    if (!ok) {
        snprintf(g->warning, sizeof(g->warning), "the gzip inflater could not start");
    }
    INF_IN(&inf) = in;
    INF_AVAIL_IN(&inf) = 0;
    if (g->prefix_len > 0) {
        memcpy(in, g->prefix, g->prefix_len);
        INF_AVAIL_IN(&inf) = (uint32_t)g->prefix_len;
    }
    while (ok) {
        pthread_mutex_lock(&g->lock);
        while (g->count == RING_SLOTS && !g->stop) {
            pthread_cond_wait(&g->cond, &g->lock);
        }
        bool stop = g->stop;
        pthread_mutex_unlock(&g->lock);
        if (stop) {
            break;
        }
        struct block *b = &g->ring[g->head];
        b->len = 0;
        INF_OUT(&inf) = (unsigned char *)b->data + GZ_HEAD;
        INF_AVAIL_OUT(&inf) = BLOCK_SIZE;
        bool finished = false;
        while (INF_AVAIL_OUT(&inf) > 0) {
            /* Input: more when none is left, when the inflater could not
             * go on with what it has, or when a member starts with fewer
             * than its four first bytes at hand. */
            size_t have = INF_AVAIL_IN(&inf);
            if (!input_eof && have < BLOCK_SIZE &&
                (have == 0 || starved || (!in_member && have < 4))) {
                starved = false;
                memmove(in, INF_IN(&inf), have);
                ssize_t n;
                do {
                    n = read(g->fd, in + have, BLOCK_SIZE - have);
                } while (n < 0 && errno == EINTR);
                if (n < 0) {
                    snprintf(g->warning, sizeof(g->warning),
                             "read error: %s", strerror(errno));
                    finished = true;
                    break;
                }
                if (n == 0) {
                    input_eof = true;
                }
                INF_IN(&inf) = in;
                INF_AVAIL_IN(&inf) = (uint32_t)(have + (size_t)n);
                continue;
            }
            if (!in_member) {
                if (INF_AVAIL_IN(&inf) == 0) {
                    finished = true; /* the end, between members */
                    break;
                }
                /* Another member must start with the gzip magic; anything
                 * else after a complete member is trailing garbage. */
                bool garbage;
                const char *bad = member_start(INF_IN(&inf),
                                               INF_AVAIL_IN(&inf), &garbage);
                if (bad != NULL) {
                    if (garbage) {
                        snprintf(g->warning, sizeof(g->warning), "%s", bad);
                    } else {
                        snprintf(g->warning, sizeof(g->warning),
                                 "corrupt gzip data (%s): kept what came "
                                 "before",
                                 bad);
                    }
                    finished = true;
                    break;
                }
                in_member = true;
            }
            uint32_t in0 = INF_AVAIL_IN(&inf), out0 = INF_AVAIL_OUT(&inf);
            const char *msg = NULL;
            int rc = inf_run(&inf, &msg);
            if (rc == INF_END) {
                in_member = false;
                inf_reset(&inf);
                continue;
            }
            if (rc == INF_ERROR) {
                snprintf(g->warning, sizeof(g->warning),
                         "corrupt gzip data (%s): kept what came before; "
                         "the lines just before it may be damaged too",
                         msg);
                finished = true;
                break;
            }
            if (INF_AVAIL_IN(&inf) == in0 && INF_AVAIL_OUT(&inf) == out0) {
                if (!input_eof && in0 < BLOCK_SIZE) {
                    starved = true;
                    continue;
                }
                /* No progress with all the input there is. */
                snprintf(g->warning, sizeof(g->warning),
                         "truncated gzip data: kept what could be read");
                finished = true;
                break;
            }
        }
        b->len = BLOCK_SIZE - INF_AVAIL_OUT(&inf);
        pthread_mutex_lock(&g->lock);
        if (b->len > 0) {
            g->head = (g->head + 1) % RING_SLOTS;
            g->count++;
        }
        if (finished) {
            g->done = true;
        }
        pthread_cond_broadcast(&g->cond);
        pthread_mutex_unlock(&g->lock);
        if (finished) {
            break;
        }
    }
    if (!ok) {
        pthread_mutex_lock(&g->lock);
        g->done = true;
        pthread_cond_broadcast(&g->cond);
        pthread_mutex_unlock(&g->lock);
    }
    inf_end(&inf);
    free(in);
    return NULL;
}

/* The next inflated block, in exchange for *buf (a WINDOW-sized buffer
 * whose [from, from + keep) is carried over in front of the block):
 * *buf becomes the block's buffer, with the kept bytes just before its
 * data at GZ_HEAD.  Returns the block's length, 0 at the end (*buf then
 * unchanged). */
static size_t gz_swap(struct reader_gz *g, char **buf, size_t from,
                      size_t keep)
{
    pthread_mutex_lock(&g->lock);
    while (g->count == 0 && !g->done) {
        pthread_cond_wait(&g->cond, &g->lock);
    }
    size_t n = 0;
    if (g->count > 0) {
        struct block *b = &g->ring[g->tail];
        n = b->len;
        /* The slot stays ours until count is decremented below. */
        pthread_mutex_unlock(&g->lock);
        memcpy(b->data + GZ_HEAD - keep, *buf + from, keep);
        char *full = b->data;
        b->data = *buf;
        *buf = full;
        pthread_mutex_lock(&g->lock);
        g->tail = (g->tail + 1) % RING_SLOTS;
        g->count--;
        pthread_cond_broadcast(&g->cond);
    }
    pthread_mutex_unlock(&g->lock);
    return n;
}

static void gz_stop(struct reader_gz *g)
{
    if (g == NULL) {
        return;
    }
    if (g->started) {
        pthread_mutex_lock(&g->lock);
        g->stop = true;
        pthread_cond_broadcast(&g->cond);
        pthread_mutex_unlock(&g->lock);
        pthread_join(g->thread, NULL);
    }
    for (size_t i = 0; i < RING_SLOTS; i++) {
        free(g->ring[i].data);
    }
    pthread_mutex_destroy(&g->lock);
    pthread_cond_destroy(&g->cond);
    free(g);
}

static struct reader_gz *gz_start(int fd, const char *prefix, size_t n)
{
    struct reader_gz *g = calloc(1, sizeof(*g));
    if (g == NULL) {
        abort();
    }
    g->fd = fd;
    memcpy(g->prefix, prefix, n);
    g->prefix_len = n;
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->cond, NULL);
    for (size_t i = 0; i < RING_SLOTS; i++) {
        g->ring[i].data = xmalloc(WINDOW);
    }
    if (pthread_create(&g->thread, NULL, gz_producer, g) != 0) {
        abort();
    }
    g->started = true;
    return g;
}

/* Read the first bytes without consuming them: for a plain file we rewind;
 * for a pipe they stay in the window. */
static ssize_t read_full(int fd, char *dst, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t k = read(fd, dst + got, n - got);
        if (k < 0 && errno == EINTR) {
            continue;
        }
        if (k < 0) {
            return -1;
        }
        if (k == 0) {
            break;
        }
        got += (size_t)k;
    }
    return (ssize_t)got;
}

int fa_reader_open(struct fa_reader **out, const char *path, uint64_t skip,
                   const char **why)
{
    *out = NULL;
    struct fa_reader *r = calloc(1, sizeof(*r));
    if (r == NULL) {
        abort();
    }
    r->is_stdin = strcmp(path, "-") == 0;
    r->fd = r->is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (r->fd < 0) {
        snprintf(r->errbuf, sizeof(r->errbuf), "%s", strerror(errno));
        *why = "cannot open";
        free(r);
        return FA_EOPEN;
    }
    struct stat st;
    if (fstat(r->fd, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            *why = "is a directory";
            if (!r->is_stdin) {
                close(r->fd);
            }
            free(r);
            return FA_ENOTREG;
        }
        r->mtime = S_ISREG(st.st_mode) ? (int64_t)st.st_mtime : 0;
    }
    r->cap = WINDOW;
    r->buf = xmalloc(r->cap);
    /* Sniff the gzip magic from the first bytes, which stay in the
     * window either way. */
    ssize_t n = read_full(r->fd, r->buf, 2);
    if (n < 0) {
        *why = "read error";
        fa_reader_close(r);
        return FA_EREAD;
    }
    if (n == 2 && (unsigned char)r->buf[0] == 0x1f &&
        (unsigned char)r->buf[1] == 0x8b) {
        r->gzip = true;
        /* The two sniffed bytes go to the inflater first (a pipe cannot
         * be rewound). */
        r->gz = gz_start(r->fd, r->buf, 2);
        r->end = 0;
    } else {
        r->end = (size_t)n;
    }
    r->skip = skip;
    *out = r;
    return 0;
}

/* Fill the window after moving the unread rest to its front.  Returns
 * false at the end of input. */
static bool refill(struct fa_reader *r)
{
    if (r->eof) {
        return false;
    }
    if (r->gz != NULL && r->end - r->pos <= GZ_HEAD) {
        size_t keep = r->end - r->pos;
        size_t got = gz_swap(r->gz, &r->buf, r->pos, keep);
        if (got == 0) {
            if (r->gz->warning[0] != '\0') {
                r->warning = r->gz->warning;
            }
            r->eof = true;
            return r->end > r->pos;
        }
        r->pos = GZ_HEAD - keep;
        r->end = GZ_HEAD + got;
        return true;
    }
    if (r->gz != NULL) {
        return true; /* the window is full of one long line */
    }
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->end - r->pos);
        r->end -= r->pos;
        r->pos = 0;
    }
    size_t room = r->cap - 1 - r->end;
    if (room > PLAIN_READ) {
        room = PLAIN_READ;
    }
    ssize_t k;
    do {
        k = read(r->fd, r->buf + r->end, room);
    } while (k < 0 && errno == EINTR);
    if (k < 0) {
        r->warning = "read error; kept what came before";
        k = 0;
    }
    size_t got = (size_t)k;
    if (got == 0) {
        r->eof = true;
        return r->end > r->pos;
    }
    r->end += got;
    return true;
}

int fa_reader_next(struct fa_reader *r, struct fa_line *l)
{
    for (;;) {
        char *start = r->buf + r->pos;
        size_t avail = r->end - r->pos;
        char *nl = avail ? memchr(start, '\n', avail) : NULL;
        if (r->skipping) {
            /* The tail of a cut line: pass over it up to its newline. */
            size_t take = nl ? (size_t)(nl - start) + 1 : avail;
            r->pos += take;
            r->consumed += take;
            if (nl != NULL) {
                r->skipping = false;
            } else if (!refill(r)) {
                return FA_READ_EOF;
            }
            continue;
        }
        if (nl == NULL && !r->eof && avail <= FA_LINE_MAX) {
            if (!refill(r) && r->end == r->pos) {
                return FA_READ_EOF;
            }
            continue;
        }
        if (avail == 0) {
            return FA_READ_EOF;
        }
        size_t len = nl ? (size_t)(nl - start) : avail;
        size_t take = nl ? len + 1 : len;
        int kind = FA_READ_LINE;
        /* The line ending is not part of the line's length limit. */
        if (nl != NULL && len > 0 && start[len - 1] == '\r') {
            len--;
        }
        if (len > FA_LINE_MAX) {
            kind = FA_READ_CUT;
            if (nl == NULL) {
                /* The newline is further on: consume the start now and
                 * the rest in skipping mode. */
                take = FA_LINE_MAX;
                r->skipping = true;
            }
            len = FA_LINE_MAX;
        }
        r->pos += take;
        r->consumed += take;
        r->lineno++;
        if (r->skip > 0) {
            /* Resuming: lines wholly before the saved offset are passed. */
            if (r->skip >= take) {
                r->skip -= take;
                continue;
            }
            r->skip = 0;
        }
        if (kind == FA_READ_LINE && nl == NULL && len > 0 &&
            start[len - 1] == '\r') {
            len--;
        }
        /* There is always a spare byte after the window for this. */
        start[len] = '\0';
        l->ptr = start;
        l->len = len;
        l->number = r->lineno;
        return kind;
    }
}

uint64_t fa_reader_offset(const struct fa_reader *r)
{
    return r->consumed;
}

bool fa_reader_is_gzip(const struct fa_reader *r)
{
    return r->gzip;
}

int64_t fa_reader_mtime(const struct fa_reader *r)
{
    return r->mtime;
}

const char *fa_reader_warning(const struct fa_reader *r)
{
    return r->warning;
}

void fa_reader_close(struct fa_reader *r)
{
    if (r == NULL) {
        return;
    }
    gz_stop(r->gz);
    if (!r->is_stdin && r->fd >= 0) {
        close(r->fd);
    }
    free(r->buf);
    free(r);
}

long fa_reader_head(const char *path, char *buf, size_t n)
{
    struct fa_reader *r;
    const char *why;
    if (fa_reader_open(&r, path, 0, &why) != 0) {
        return -1;
    }
    size_t got = 0;
    while (got < n) {
        if (r->pos == r->end && !refill(r)) {
            break;
        }
        size_t k = r->end - r->pos;
        if (k > n - got) {
            k = n - got;
        }
        memcpy(buf + got, r->buf + r->pos, k);
        got += k;
        r->pos += k;
    }
    fa_reader_close(r);
    return (long)got;
}
