/*
 * The parser contract.  One plug-in per log format, each a constant
 * struct fa_parser in its own file, listed once in registry.c.
 *
 * The framework (reader.c, input.c) splits input into lines, strips the
 * line ending, NUL-terminates each line and hands it to parse().  A parser
 * never prints, never exits and never allocates per line: what it keeps
 * between lines lives in its state (state_size bytes, zeroed for it).
 */
#ifndef FA_PARSERS_PARSER_H
#define FA_PARSERS_PARSER_H

#include <stddef.h>
#include <stdint.h>

#include "../analysis/event.h"
#include "timeconv.h"

/* Longest line handed to a parser; longer lines are cut and counted as
 * malformed.  No record of any supported format comes near it. */
#define FA_LINE_MAX (64 * 1024)

/* A probe score at or above this is a confident detection. */
#define FA_PROBE_MIN 30

/* One input line.  ptr[len] == '\0'; the line may itself contain NUL bytes,
 * so scans stay within len. */
struct fa_line {
    const char *ptr;
    size_t len;
    uint64_t number;    /* 1-based line number within its file */
};

enum fa_status {
    FA_OK = 0,   /* *out holds an event */
    FA_SKIP,     /* a well-formed line that carries no event of interest */
    FA_INVALID,  /* a line this format cannot read (counted, reported) */
    FA_AGAIN,    /* *out holds an event, and the same line must be passed
                    again: it carries more (two records glued together) */
};

/* What a parser knows of the file it reads.  Owned by the framework,
 * valid for the parser's whole life. */
struct fa_ctx {
    const struct fa_tz *tz;   /* zone for stamps without an offset */
    int year_hint;            /* year of the file's mtime (year-less stamps) */
    int64_t mtime;            /* file mtime, epoch seconds (0: unknown) */
    const char *logformat;    /* --proftpd-logformat, or NULL */
};

struct fa_parser {
    const char *name;        /* --input-format value, report label */
    const char *summary;     /* one line for list-formats */
    size_t state_size;       /* bytes of state, allocated and zeroed */
    size_t probe_lines;      /* how many leading non-blank lines probe sees */

    /* 0 (not this format) .. 100 (certainly this format). */
    int (*probe)(const struct fa_line *lines, size_t n);

    /* Called once after the state is zeroed; optional.  Returns 0, or a
     * negative value with *why set when the context cannot be used (a bad
     * --proftpd-logformat). */
    int (*init)(void *state, const struct fa_ctx *ctx, const char **why);

    /* Read one line.  On FA_INVALID, *why may name the reason (a static
     * string).  out has been cleared with fa_event_clear(). */
    enum fa_status (*parse)(void *state, const struct fa_line *l,
                            struct fa_event *out, const char **why);

    /* At end of input: emit what was held back (an open SFTP handle ...).
     * Returns FA_OK with an event, until it returns FA_SKIP.  Optional. */
    enum fa_status (*finish)(void *state, struct fa_event *out);

    /* Release what init() or parse() allocated.  Optional. */
    void (*destroy)(void *state);
};

/* The NULL-terminated registry, in list-formats order. */
const struct fa_parser *const *fa_parsers(void);

/* The parser of that name, or NULL. */
const struct fa_parser *fa_parser_find(const char *name);

/* Score the sample with every probe.  Returns the best parser, or NULL
 * when no score reaches FA_PROBE_MIN or the best two tie.  *score gets the
 * best score (may be NULL). */
const struct fa_parser *fa_parser_detect(const struct fa_line *lines,
                                         size_t n, int *score);

#endif
