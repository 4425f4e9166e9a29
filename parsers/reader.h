/*
 * Line reader: plain files, gzip (single- and multi-member, through ISA-L's
 * or zlib's inflater, in a second thread so decompression and parsing
 * overlap) and standard input.  Hands out NUL-terminated lines without
 * their "\n" or "\r\n", cut at FA_LINE_MAX.
 */
#ifndef FA_PARSERS_READER_H
#define FA_PARSERS_READER_H

#include <stdbool.h>
#include <stdint.h>

#include "parser.h"

struct fa_reader;

/* Error codes of the reader (also returned by fa_reader_next). */
#define FA_EOPEN   (-10) /* open/stat failed: errno kept in the message */
#define FA_EREAD   (-11) /* read error */
#define FA_ENOTREG (-12) /* a directory or device */

/* What fa_reader_next() returns. */
enum fa_read {
    FA_READ_EOF = 0,
    FA_READ_LINE = 1,
    FA_READ_CUT = 2,   /* a line longer than FA_LINE_MAX: its start only */
};

/*
 * Open path ("-" is standard input) and look at its first bytes for the
 * gzip magic.  skip is the number of (decompressed) bytes to pass over
 * first, e.g. what an earlier run has read already.  Returns 0 and *out,
 * or a negative FA_E* code with *why naming the cause (static or in the
 * reader's own storage).  Takes no ownership of path.
 */
int fa_reader_open(struct fa_reader **out, const char *path, uint64_t skip,
                   const char **why);

/* The next line into *l (valid until the next call), or FA_READ_EOF, or a
 * negative FA_EREAD. */
int fa_reader_next(struct fa_reader *r, struct fa_line *l);

/* Decompressed bytes consumed up to the end of the last line returned. */
uint64_t fa_reader_offset(const struct fa_reader *r);

/* True for gzip input. */
bool fa_reader_is_gzip(const struct fa_reader *r);

/* The file's mtime (epoch seconds), 0 for standard input or a pipe. */
int64_t fa_reader_mtime(const struct fa_reader *r);

/* A damaged-input warning (truncated or corrupt gzip, trailing garbage),
 * or NULL.  Valid until fa_reader_close(). */
const char *fa_reader_warning(const struct fa_reader *r);

/* Close; accepts NULL. */
void fa_reader_close(struct fa_reader *r);

/* Read up to n bytes of the start of a file's decompressed content into
 * buf (for fingerprints).  Returns the number of bytes read, or negative. */
long fa_reader_head(const char *path, char *buf, size_t n);

#endif
