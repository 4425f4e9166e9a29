/*
 * Inputs: paths to files, directories (recursive) and "-" (standard input)
 * become rotated series, each series is read oldest file first with one
 * parser instance (so sessions run across a rotation), every file is
 * auto-detected, and the events of all series come out merged in time
 * order.  Counts per file say what was read, skipped and malformed.
 */
#ifndef FA_PARSERS_INPUT_H
#define FA_PARSERS_INPUT_H

#include <stdbool.h>
#include <stdint.h>

#include "parser.h"

struct fa_input_opts {
    const struct fa_tz *tz;
    const char *format;     /* --input-format, or NULL to detect */
    const char *logformat;  /* --proftpd-logformat, or NULL */
    int64_t mtime;          /* stand-in file mtime for year-less stamps;
                               0: each file's own */
};

/* Malformed lines kept as examples per file. */
#define FA_EXAMPLES 3

struct fa_example {
    uint64_t line;
    const char *why;   /* static */
    char *text;        /* the line's start, copied; not NUL-safe: use len */
    size_t len;
};

enum fa_file_state {
    FA_FILE_PENDING = 0,
    FA_FILE_READ,        /* read to its end */
    FA_FILE_UNREADABLE,  /* could not be opened or read */
    FA_FILE_UNKNOWN,     /* no supported format detected */
    FA_FILE_EMPTY,       /* no lines at all */
    FA_FILE_NOTREG,      /* not a regular file (FIFO, device) in a folder */
    FA_FILE_DUPLICATE,   /* the same file reached by another path */
};

struct fa_file_stats {
    char *path;
    enum fa_file_state state;
    uint64_t dev, ino;   /* identity of a regular file, 0 when unknown */
    const char *format;  /* parser name, NULL when none */
    int score;           /* detection score (100 when forced) */
    bool gzip;
    uint64_t lines, events, skipped, invalid;
    uint64_t bytes;      /* decompressed bytes read */
    size_t nexamples;
    struct fa_example examples[FA_EXAMPLES];
    char message[200];   /* why unreadable, or a damaged-data warning */

    /* Resuming (set by the file-open callback, before reading): */
    uint64_t skip;       /* bytes passed over unread */
    uint64_t suppress;   /* lines ending at or before this offset are parsed
                            (so the parser's state is right) but their
                            events are dropped: already counted earlier */
    /* Progress, for a state file: */
    uint64_t fp;         /* fingerprint of the first fp_len bytes, 0: none */
    uint32_t fp_len;
    uint64_t emitted;    /* end offset of the last line whose events are out */
    bool complete;       /* read to its end */
    uint64_t suppressed; /* events dropped by suppress */
};

/* Bytes of a file's start that identify it across renames (rotation). */
#define FA_FP_BYTES 1024

struct fa_input;

/* Create an input set; opts is copied (its strings must outlive it). */
struct fa_input *fa_input_create(const struct fa_input_opts *opts);

/* Add a path: a file, a directory (recursively, regular files only;
 * symbolic-link loops are cut) or "-".  Returns 0, or -1 when the path
 * does not exist or cannot be listed (it is still recorded as an
 * unreadable file). */
int fa_input_add(struct fa_input *in, const char *path);

/* The next event in time order: 1 with *ev (valid until the next call),
 * 0 when all input is read. */
int fa_input_next(struct fa_input *in, const struct fa_event **ev);

/* Per-file statistics, in the order files were read (oldest of a series
 * first).  Valid until fa_input_destroy(). */
size_t fa_input_nfiles(const struct fa_input *in);
struct fa_file_stats *fa_input_file(struct fa_input *in, size_t i);

/* Called after each file ends (or fails), e.g. for progress or state. */
typedef void (*fa_input_file_done_fn)(void *arg, const struct fa_file_stats *f);
void fa_input_on_file_done(struct fa_input *in, fa_input_file_done_fn fn,
                           void *arg);

/* Called when a file is opened, with its fingerprint known, before any line
 * is read: the place to set skip or suppress from a state file. */
typedef void (*fa_input_file_open_fn)(void *arg, struct fa_file_stats *f);
void fa_input_on_file_open(struct fa_input *in, fa_input_file_open_fn fn,
                           void *arg);

/* True when every event of the lines read so far has been handed out (no
 * more events are due from the same line, no parser is flushing): a
 * consistent point for a checkpoint. */
bool fa_input_quiescent(const struct fa_input *in);

/* The fingerprint of a file: a 64-bit hash of its first FA_FP_BYTES
 * decompressed bytes (or of all of it when shorter); *len gets how many
 * were hashed.  0 when it cannot be read or is not a regular file. */
uint64_t fa_input_fingerprint(const char *path, uint32_t *len);

/* The same hash over the first len bytes only (0 when shorter). */
uint64_t fa_input_fingerprint_len(const char *path, uint32_t len);

void fa_input_destroy(struct fa_input *in);

/* Series key and age rank of a file name ("x.log.2.gz" -> "x.log", rank
 * older first); exposed for tests.  key must hold strlen(path)+1 bytes. */
void fa_input_series_key(const char *path, char *key, int64_t *rank);

#endif
