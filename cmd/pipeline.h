/*
 * Reading and detecting on two cores: a producer thread runs the input
 * (decompression has a thread of its own in the reader), copies each event
 * into a batch, and hands full batches to the caller, who runs detection.
 * Batches end only where the input is quiescent (every event of the lines
 * read so far is in a batch), and carry how far each file had been read
 * at that point, so a checkpoint taken after a batch is consistent.
 */
#ifndef FA_CMD_PIPELINE_H
#define FA_CMD_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../parsers/input.h"
#include "progress.h"

/* Read position of one file after a batch. */
struct fa_file_delta {
    size_t index;        /* fa_input_file(in, index) */
    uint64_t fp;
    uint32_t fp_len;
    uint64_t emitted;
    bool complete;
};

struct fa_batch {
    size_t n;
    struct fa_event *ev;         /* strings owned by the batch */
    void *prep;                  /* n records of the prepare hook, */
    bool prepared;               /* when it ran on this batch */
    size_t ndelta;
    struct fa_file_delta *delta; /* files whose position changed */
    bool consistent;             /* ends where the input is quiescent */
};

/* What of each event a batch holds. */
enum fa_batch_fields {
    /* Only what detection reads: the fields before tz_source (the first
     * two cache lines, FA_EVENT_HOT bytes) and their strings; the others
     * are zero.  Half the memory crosses from core to core. */
    FA_BATCH_DETECT,
    FA_BATCH_ALL,          /* every field and the raw line */
};

struct fa_pipeline;

/* Work the producer may do on each event it batches, on its own thread:
 * fn(ctx, ev, rec) fills a record of size bytes, which the batch holds in
 * prep[] beside the event.  It runs on a batch (prepared set) only while
 * the consumer has the queue nearly full (it is the slower); otherwise
 * the consumer does that work itself.  fn must not touch what the
 * consumer changes. */
struct fa_prep_hook {
    void (*fn)(void *ctx, const struct fa_event *ev, void *rec);
    void *ctx;
    size_t size;
};

/* Start the producer.  fields says what the batches' events hold; with
 * track_files batches carry file positions; hook may be NULL.  The input
 * must not be touched by the caller until fa_pipeline_finish(). */
struct fa_pipeline *fa_pipeline_start(struct fa_input *in,
                                      enum fa_batch_fields fields,
                                      bool track_files,
                                      struct fa_progress *meter,
                                      const struct fa_prep_hook *hook);

/* The next batch, or NULL when the input is read. */
const struct fa_batch *fa_pipeline_next(struct fa_pipeline *p);

/* Give the batch back (its events are no longer valid). */
void fa_pipeline_release(struct fa_pipeline *p, const struct fa_batch *b);

/* Stop (early or at the end) and wait for the producer; frees p.  *cpu
 * (when cpu is not NULL) gets the CPU seconds the producer used. */
void fa_pipeline_finish(struct fa_pipeline *p, double *cpu);

/* CPU seconds the calling thread has used. */
double fa_thread_cpu(void);

#endif
