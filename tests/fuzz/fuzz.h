/*
 * Fuzz targets and what they share.
 *
 * Each fuzz_<name>.c defines the libFuzzer entry point and a seed expander.
 * With -Dfuzzing=libfuzzer the targets link libFuzzer's main(); otherwise
 * replay.c supplies a main() that runs every target over its seeds, so each
 * `meson test` replays the fixtures and every crash ever found (dav1d
 * tests/libfuzzer/, cJSON fuzzing/).
 *
 * A broken contract is a crash: the checks below print what broke and
 * abort(), which libFuzzer and the replay both report with the input.
 */
#ifndef FA_TESTS_FUZZ_FUZZ_H
#define FA_TESTS_FUZZ_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../../cmd/cli.h"

/* libFuzzer's entry point: one input, returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Runs one input (LLVMFuzzerTestOneInput, or a forked copy of it). */
typedef void (*fuzz_run_fn)(const uint8_t *data, size_t size);

/*
 * Turn a fixture (a testdata *.log file, path and content) into inputs for
 * this target and hand each to run: fuzz_parse prepends each parser's
 * selector byte, the others take the file as it is.  Also used for the
 * built-in seeds.
 */
void fuzz_expand_fixture(const char *path, const uint8_t *data, size_t size,
                         fuzz_run_fn run);

/* Inputs every replay runs even without any seed file (hostile lines). */
extern const char *const fuzz_builtin_seeds[];

/* Print "fuzz: <message>" to stderr and abort(). */
#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 1, 2)))
#endif
void fuzz_fail(const char *fmt, ...);

/* True when s[0..n) is valid UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF).  Written apart from jsonw.c on
 * purpose: it checks that code. */
bool fuzz_utf8_valid(const char *s, size_t n);

/* A copy of s[0..n) in a heap block of exactly n + 1 bytes, NUL-terminated,
 * so AddressSanitizer sees any read past the terminator.  Free with free(). */
char *fuzz_dup(const char *s, size_t n);

/*
 * An event's own contract: enums in range, every non-empty view has a
 * pointer.  who names the parser for the message.
 */
void fuzz_check_event(const char *who, const struct fa_event *ev);

/*
 * Events written as NDJSON through fa_write_event_ecs into a memory FILE
 * (open_memstream), each line checked as it is written: exactly one line,
 * a JSON object cJSON reads, valid UTF-8, no raw control bytes, with
 * "@timestamp" and "event.action" strings; and when the event's original
 * line is valid UTF-8 without NUL bytes, event.original gives it back byte
 * for byte.
 */
struct fuzz_sink {
    FILE *f;
    char *buf;      /* open_memstream's buffer */
    size_t size;    /* bytes written so far (after a flush) */
    struct jw w;
    uint64_t events;
};

/* The process-wide sink, emptied.  It lives until exit: a writer and a
 * memory stream per input would cost more than the parsers.  After
 * jw_flush(&s->w) and fflush(s->f), buf[0..size) is what was written;
 * bytes after it are left from earlier inputs (no terminator). */
struct fuzz_sink *fuzz_sink_get(void);
void fuzz_sink_event(struct fuzz_sink *s, const char *who,
                     const struct fa_event *ev, const struct fa_tz *tz);

/* The time zone every target reads local stamps in, opened once. */
const struct fa_tz *fuzz_tz(const char *name);

/* The fixed file mtime: 2026-12-31 23:59:59 UTC, as in the golden tests. */
int64_t fuzz_mtime(void);

#endif
