#include "pipeline.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BATCH_EVENTS 2048
/* Text a batch holds, as the event count does: with lines near the 64 KiB
 * cut, 2048 events would be 128 MiB a slot. */
#define BATCH_BYTES (4 * 1024 * 1024)
#define SLOTS 4
/* Batches the consumer must have waiting for this thread to take the
 * hook's work of the next one.  One waiting batch says little (it was
 * just handed over); with the queue nearly full, the consumer is the
 * slower.  1 left this thread the slower on plain text (2.5 s against
 * 2.2 s of detection for 10M lines), 3 evens them. */
#define PREPARE_BACKLOG (SLOTS - 1)
#define CHUNK (256 * 1024)

struct chunk {
    struct chunk *next;
    size_t used;
    char data[CHUNK];
};

struct slot {
    struct fa_batch b;
    struct chunk *chunks;   /* all chunks of this slot, reused */
    struct chunk *cur;
    size_t bytes;           /* text copied into this batch */
    size_t capdelta;
};

struct fa_pipeline {
    struct fa_input *in;
    enum fa_batch_fields fields;
    bool track_files;
    struct fa_progress *meter;   /* ticked here: this thread reads */
    struct fa_prep_hook hook;    /* fn NULL: none */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    struct slot slots[SLOTS];
    size_t head, tail, count; /* filled slots: [tail, tail + count) */
    bool done, stop;
    uint64_t *seen;           /* per file: emitted + complete, last sent */
    size_t nseen;
    double cpu;               /* the producer's CPU seconds, at its end */
};

double fa_thread_cpu(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) {
        return 0;
    }
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (p == NULL) {
        abort();
    }
    return p;
}

static void slot_reset(struct slot *s)
{
    s->b.n = 0;
    s->b.ndelta = 0;
    s->bytes = 0;
    for (struct chunk *c = s->chunks; c != NULL; c = c->next) {
        c->used = 0;
    }
    s->cur = s->chunks;
}

/* Make s->cur a chunk with need bytes free. */
static void next_chunk(struct slot *s, size_t need)
{
    while (s->cur != NULL && s->cur->used + need > CHUNK) {
        s->cur = s->cur->next;
    }
    if (s->cur == NULL) {
        struct chunk *c = malloc(sizeof(*c));
        if (c == NULL) {
            abort();
        }
        c->used = 0;
        c->next = s->chunks;
        s->chunks = c;
        s->cur = c;
    }
}

/* Copy a view into the slot's chunks; the copy does not move later.
 * Inline: eight per event, and the current chunk mostly has room. */
static inline struct fa_str copy_str(struct slot *s, struct fa_str v)
{
    if (v.len == 0 || v.ptr == NULL) {
        return (struct fa_str){"", 0};
    }
    size_t need = v.len + 1;
    if (need > CHUNK) {
        need = CHUNK;
        v.len = CHUNK - 1;
    }
    if (s->cur == NULL || s->cur->used + need > CHUNK) {
        next_chunk(s, need);
    }
    char *dst = s->cur->data + s->cur->used;
    memcpy(dst, v.ptr, v.len);
    dst[v.len] = '\0';
    s->cur->used += need;
    s->bytes += need;
    return (struct fa_str){dst, v.len};
}

static void add_deltas(struct fa_pipeline *p, struct slot *s)
{
    size_t n = fa_input_nfiles(p->in);
    if (n > p->nseen) {
        p->seen = realloc(p->seen, n * sizeof(*p->seen));
        if (p->seen == NULL) {
            abort();
        }
        memset(p->seen + p->nseen, 0, (n - p->nseen) * sizeof(*p->seen));
        p->nseen = n;
    }
    for (size_t i = 0; i < n; i++) {
        struct fa_file_stats *f = fa_input_file(p->in, i);
        uint64_t key = f->emitted << 1 | f->complete;
        if (f->fp == 0 || key == p->seen[i]) {
            continue;
        }
        p->seen[i] = key;
        if (s->b.ndelta == s->capdelta) {
            s->capdelta = s->capdelta ? s->capdelta * 2 : 16;
            s->b.delta = realloc(s->b.delta,
                                 s->capdelta * sizeof(*s->b.delta));
            if (s->b.delta == NULL) {
                abort();
            }
        }
        s->b.delta[s->b.ndelta++] = (struct fa_file_delta){
            i, f->fp, f->fp_len, f->emitted, f->complete};
    }
}

static void *producer(void *arg)
{
    struct fa_pipeline *p = arg;
    bool more = true;
    while (more) {
        pthread_mutex_lock(&p->lock);
        while (p->count == SLOTS && !p->stop) {
            pthread_cond_wait(&p->cond, &p->lock);
        }
        bool stop = p->stop;
        /* The hook's work goes to whichever thread has room for it: done
         * here while batches pile up for the consumer, left to the
         * consumer otherwise (this thread is then the slower, as when a
         * .gz input's inflating shares its core). */
        bool prepare = p->hook.fn != NULL && p->count >= PREPARE_BACKLOG;
        pthread_mutex_unlock(&p->lock);
        if (stop) {
            break;
        }
        struct slot *s = &p->slots[p->head];
        slot_reset(s);
        s->b.prepared = prepare;
        const struct fa_event *ev;
        /* Fill; past the batch size, go on only until quiescent. */
        while (s->b.n < BATCH_EVENTS * 2 && s->bytes < BATCH_BYTES * 2) {
            if ((s->b.n >= BATCH_EVENTS || s->bytes >= BATCH_BYTES) &&
                fa_input_quiescent(p->in)) {
                break;
            }
            if (fa_input_next(p->in, &ev) <= 0) {
                more = false;
                break;
            }
            struct fa_event *e = &s->b.ev[s->b.n++];
            if (p->fields == FA_BATCH_DETECT) {
                /* The rest stays as calloc left it: zero. */
                memcpy(e, ev, FA_EVENT_HOT);
            } else {
                *e = *ev;
                e->session = copy_str(s, ev->session);
                e->detail = copy_str(s, ev->detail);
                e->original = copy_str(s, ev->original);
            }
            e->host = copy_str(s, ev->host);
            e->user = copy_str(s, ev->user);
            e->ip = copy_str(s, ev->ip);
            e->path = copy_str(s, ev->path);
            e->path2 = copy_str(s, ev->path2);
            if (prepare) {
                p->hook.fn(p->hook.ctx, e,
                           (char *)s->b.prep + (s->b.n - 1) * p->hook.size);
            }
        }
        fa_progress_ticks(p->meter, s->b.n);
        s->b.consistent = fa_input_quiescent(p->in);
        if (p->track_files && s->b.consistent) {
            add_deltas(p, s);
        }
        pthread_mutex_lock(&p->lock);
        p->head = (p->head + 1) % SLOTS;
        p->count++;
        if (!more) {
            p->done = true;
        }
        pthread_cond_broadcast(&p->cond);
        pthread_mutex_unlock(&p->lock);
    }
    pthread_mutex_lock(&p->lock);
    p->done = true;
    p->cpu = fa_thread_cpu();
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

struct fa_pipeline *fa_pipeline_start(struct fa_input *in,
                                      enum fa_batch_fields fields,
                                      bool track_files,
                                      struct fa_progress *meter,
                                      const struct fa_prep_hook *hook)
{
    struct fa_pipeline *p = xcalloc(1, sizeof(*p));
    p->in = in;
    p->fields = fields;
    p->track_files = track_files;
    p->meter = meter;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->cond, NULL);
    for (size_t i = 0; i < SLOTS; i++) {
        /* Room for the quiescence overrun past BATCH_EVENTS; on cache
         * lines, so that with FA_BATCH_DETECT an event's first two are
         * all that move between the cores. */
        size_t size = BATCH_EVENTS * 2 * sizeof(struct fa_event);
        p->slots[i].b.ev = aligned_alloc(64, size);
        if (p->slots[i].b.ev == NULL) {
            abort();
        }
        memset(p->slots[i].b.ev, 0, size);
        if (hook != NULL && hook->fn != NULL) {
            p->slots[i].b.prep = xcalloc(BATCH_EVENTS * 2, hook->size);
        }
    }
    if (hook != NULL) {
        p->hook = *hook;
    }
    if (pthread_create(&p->thread, NULL, producer, p) != 0) {
        abort();
    }
    return p;
}

const struct fa_batch *fa_pipeline_next(struct fa_pipeline *p)
{
    pthread_mutex_lock(&p->lock);
    while (p->count == 0 && !p->done) {
        pthread_cond_wait(&p->cond, &p->lock);
    }
    const struct fa_batch *b = NULL;
    if (p->count > 0) {
        b = &p->slots[p->tail].b;
    }
    pthread_mutex_unlock(&p->lock);
    return b;
}

void fa_pipeline_release(struct fa_pipeline *p, const struct fa_batch *b)
{
    (void)b;
    pthread_mutex_lock(&p->lock);
    p->tail = (p->tail + 1) % SLOTS;
    p->count--;
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
}

void fa_pipeline_finish(struct fa_pipeline *p, double *cpu)
{
    pthread_mutex_lock(&p->lock);
    p->stop = true;
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->thread, NULL);
    if (cpu != NULL) {
        *cpu = p->cpu;
    }
    for (size_t i = 0; i < SLOTS; i++) {
        struct chunk *c = p->slots[i].chunks;
        while (c != NULL) {
            struct chunk *next = c->next;
            free(c);
            c = next;
        }
        free(p->slots[i].b.ev);
        free(p->slots[i].b.prep);
        free(p->slots[i].b.delta);
    }
    free(p->seen);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->cond);
    free(p);
}
