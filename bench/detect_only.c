/*
 * Detection alone, on one thread: read a log into memory first (events
 * laid out as the pipeline's batches hold them), then time preparing and
 * detecting every event.  For comparing changes to the detector without
 * the reading thread's noise: `detect_only FILE` prints the CPU seconds.
 * `detect_only --read FILE` times the other half: reading and parsing
 * every event, kept nowhere.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../analysis/detect.h"
#include "../parsers/input.h"
#include "../parsers/timeconv.h"

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct text {
    char *p;
    size_t n, cap;
};

static struct fa_str keep(struct text *t, struct fa_str v)
{
    if (v.len == 0) {
        return (struct fa_str){"", 0};
    }
    if (t->n + v.len + 1 > t->cap) {
        t->cap = 64 << 20;
        t->p = malloc(t->cap);
        t->n = 0;
        if (t->p == NULL) {
            abort();
        }
    }
    char *d = t->p + t->n;
    memcpy(d, v.ptr, v.len);
    d[v.len] = '\0';
    t->n += v.len + 1;
    return (struct fa_str){d, v.len};
}

int main(int argc, char **argv)
{
    bool read_only = argc == 3 && strcmp(argv[1], "--read") == 0;
    if (argc != 2 && !read_only) {
        fprintf(stderr, "usage: detect_only [--read] FILE\n");
        return 2;
    }
    struct fa_tz tz;
    fa_tz_open(&tz, "UTC");
    struct fa_input_opts opts = {.tz = &tz};
    struct fa_input *in = fa_input_create(&opts);
    fa_input_add(in, argv[argc - 1]);
    if (read_only) {
        const struct fa_event *e;
        size_t n = 0;
        uint64_t sum = 0;
        double t0 = cpu_now();
        while (fa_input_next(in, &e) > 0) {
            n++;
            sum += (uint64_t)e->time_us + e->path.len;
        }
        double t1 = cpu_now();
        printf("%zu events (%llx), read %.3f s CPU\n", n,
               (unsigned long long)sum, t1 - t0);
        fa_input_destroy(in);
        return 0;
    }
    size_t n = 0, cap = 1 << 20;
    struct fa_event *ev = aligned_alloc(64, cap * sizeof(*ev));
    struct text t = {0};
    const struct fa_event *e;
    while (fa_input_next(in, &e) > 0) {
        if (n == cap) {
            cap *= 2;
            struct fa_event *m = aligned_alloc(64, cap * sizeof(*ev));
            memcpy(m, ev, n * sizeof(*ev));
            free(ev);
            ev = m;
        }
        struct fa_event *x = &ev[n++];
        memset(x, 0, sizeof(*x));
        memcpy(x, e, FA_EVENT_HOT);
        x->host = keep(&t, e->host);
        x->user = keep(&t, e->user);
        x->ip = keep(&t, e->ip);
        x->path = keep(&t, e->path);
        x->path2 = keep(&t, e->path2);
    }
    struct fa_config cfg;
    fa_config_defaults(&cfg);
    struct fa_detect *d = fa_detect_create(&cfg, NULL);
    fa_detect_stable_files(d);
    double t0 = cpu_now();
    for (size_t i = 0; i < n; i++) {
        fa_detect_event(d, &ev[i]);
    }
    fa_detect_finish(d);
    double t1 = cpu_now();
    printf("%zu events, %zu findings, detect %.3f s CPU\n", n,
           fa_detect_nfindings(d), t1 - t0);
    fa_detect_destroy(d);
    fa_input_destroy(in);
    return 0;
}
