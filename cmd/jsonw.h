/*
 * A small buffered JSON writer for the per-event streams (NDJSON), where
 * building a cJSON tree per event would dominate the run time.  Strings are
 * escaped and made valid UTF-8 for any bytes in: invalid sequences become
 * U+FFFD, control characters \u00XX.  Documents (reports) use cJSON.
 */
#ifndef FA_CMD_JSONW_H
#define FA_CMD_JSONW_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct jw {
    FILE *out;
    char *buf;
    size_t len, cap;
    bool failed;   /* a write error happened */
};

void jw_init(struct jw *w, FILE *out);
void jw_flush(struct jw *w);
void jw_finish(struct jw *w);   /* flush and free */

/* Make room for n more bytes (flushes; grows the buffer past its size). */
void jw_grow(struct jw *w, size_t n);

/* Inline: NDJSON writes a dozen pieces per event, and a call per piece
 * cost more than the copying. */
static inline void jw_reserve(struct jw *w, size_t n)
{
    if (w->len + n > w->cap) {
        jw_grow(w, n);
    }
}

static inline void jw_raw(struct jw *w, const char *s, size_t n)
{
    jw_reserve(w, n);
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

/* With a literal the length is known at compile time. */
static inline void jw_lit(struct jw *w, const char *s)
{
    jw_raw(w, s, strlen(s));
}

static inline void jw_char(struct jw *w, char c)
{
    jw_reserve(w, 1);
    w->buf[w->len++] = c;
}

/* A quoted, escaped JSON string of n bytes. */
void jw_str(struct jw *w, const char *s, size_t n);
void jw_i64(struct jw *w, int64_t v);
void jw_u64(struct jw *w, uint64_t v);

/* Escape bytes into dst as JSON string content (no quotes), for use
 * outside the writer; returns the bytes written.  dst needs 6*n+1 bytes. */
size_t jw_escape(char *dst, const char *s, size_t n);

/* Write item as cJSON_Print() would (the same bytes, tabs and all), in
 * pieces through the writer: a report of a hundred megabytes needs no
 * second copy in memory, and numbers skip printf where they can. */
void jw_cjson(struct jw *w, const cJSON *item);
/* The same for an item printed at a nesting depth (inside a document
 * written in pieces). */
void jw_cjson_at(struct jw *w, const cJSON *item, int depth);

/* cJSON's memory for one item at a time, from this thread's arena: with
 * jw_arena_install() done once (before any other thread uses cJSON),
 * the trees a thread builds between jw_arena_begin() and jw_arena_end()
 * take their nodes and strings from blocks it reuses; cJSON_Delete of
 * such a tree frees nothing, jw_arena_reset() takes all of it back at
 * once, and jw_arena_end() returns the blocks.  Every tree built in
 * between must be deleted before the reset.  Elsewhere, and on other
 * threads, cJSON allocates with malloc as before. */
void jw_arena_install(void);
void jw_arena_begin(void);
void jw_arena_reset(void);
void jw_arena_end(void);

/* Make text safe for a terminal: control bytes and invalid UTF-8 become
 * \xNN.  dst needs 4*n+1 bytes; returns the length. */
size_t fa_term_safe(char *dst, const char *s, size_t n);

#endif
