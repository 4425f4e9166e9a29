/*
 * The normalized event: the one contract between parsers/ and analysis/.
 *
 * A parser fills a struct fa_event for each log record that says something
 * about a login or a file.  Strings are views (pointer + length) into the
 * reader's line buffer or the parser's own state; they stay valid until the
 * next call into the same parser.  Whoever keeps an event longer copies it.
 */
#ifndef FA_ANALYSIS_EVENT_H
#define FA_ANALYSIS_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The few-instruction helpers that run on every line or event: inline
 * whatever the compiler judges of the caller's size (it outlined them
 * from the grown vsftpd record reader, a call costing more than they
 * do). */
#define FA_INLINE static inline __attribute__((always_inline))

/* A byte string that is not necessarily NUL-terminated. */
struct fa_str {
    const char *ptr;
    size_t len;
};

#define FA_STR_NULL ((struct fa_str){NULL, 0})
#define FA_STR_LIT(s) ((struct fa_str){(s), sizeof(s) - 1})

/* Used verbatim as ECS event.action; see fa_action_name(). */
enum fa_action {
    FA_ACT_NONE = 0,
    FA_ACT_CONNECT,
    FA_ACT_LOGIN,
    FA_ACT_LOGOUT,
    FA_ACT_UPLOAD,
    FA_ACT_DOWNLOAD,
    FA_ACT_DELETE,
    FA_ACT_RENAME,
    FA_ACT_MKDIR,
    FA_ACT_RMDIR,
    FA_ACT_CHMOD,
    FA_ACT_COMMAND,
    FA_ACT_COUNT
};

enum fa_outcome {
    FA_OUT_UNKNOWN = 0,
    FA_OUT_SUCCESS,
    FA_OUT_FAILURE,
};

enum fa_daemon {
    FA_DAEMON_UNKNOWN = 0,
    FA_DAEMON_VSFTPD,
    FA_DAEMON_PROFTPD,
    FA_DAEMON_PUREFTPD,
    FA_DAEMON_OPENSSH,
    FA_DAEMON_WUFTPD,   /* xferlog whose writer cannot be told */
    FA_DAEMON_COUNT
};

enum fa_proto {
    FA_PROTO_UNKNOWN = 0,
    FA_PROTO_FTP,
    FA_PROTO_FTPS,
    FA_PROTO_SFTP,
    FA_PROTO_SCP,
    FA_PROTO_COUNT
};

/* Where the time zone of an event's stamp came from. */
enum fa_tzsrc {
    FA_TZ_ASSUMED = 0, /* local stamp read in the run's --tz zone */
    FA_TZ_EXPLICIT,    /* the stamp carried its own offset (or was UTC) */
    FA_TZ_NONE,        /* the record has no time: the file's mtime is used */
};

struct fa_event {
    /* What detection reads, in the first two cache lines (events cross
     * from the reading core to the detecting one in batches: the lines
     * it does not touch need not move); the rest in a third (192 bytes
     * in all where pointers have 8). */
    int64_t time_us;        /* UTC, microseconds since the epoch */
    int32_t utc_offset;     /* seconds east of UTC the stamp was read with */
    enum fa_action action;
    enum fa_outcome outcome;
    bool anonymous;
    struct fa_str host;     /* the server's host name, when logged */
    struct fa_str user;
    int64_t bytes;          /* -1 when not logged */
    struct fa_str ip;       /* client address; ::ffff:a.b.c.d given as a.b.c.d */
    struct fa_str path;     /* file or directory; rename: the old name */
    struct fa_str path2;    /* rename: the new name */
    /* Evidence: where the record came from.  Filled by the framework. */
    const char *file;       /* path as given on the command line */
    uint64_t line;          /* 1-based line number in that file */

    enum fa_tzsrc tz_source;
    uint32_t pid;           /* 0 when not logged */
    uint16_t port;          /* client port, 0 when not logged */
    uint8_t daemon;         /* enum fa_daemon (a byte: the third line) */
    uint8_t proto;          /* enum fa_proto */
    struct fa_str session;  /* parser's session key, when it has one */
    struct fa_str detail;   /* command text, failure reason, mode ... */
    struct fa_str original; /* the raw line, without its line ending */
};

/* Bytes of an event detection reads (see above). */
#define FA_EVENT_HOT offsetof(struct fa_event, tz_source)

/* Reset an event to "nothing known" (bytes -1, every view empty).  Field
 * by field: the compilers' block clear of the whole struct ("rep stos")
 * took a twentieth of reading a line. */
static inline void fa_event_clear(struct fa_event *ev)
{
    /* A field added to struct fa_event must be cleared here too (the
     * size is checked where pointers have 8 bytes). */
    _Static_assert(sizeof(void *) != 8 || sizeof(struct fa_event) == 24 * 8,
                   "fa_event_clear: clear every field of struct fa_event");
    _Static_assert(sizeof(void *) != 8 ||
                       offsetof(struct fa_event, line) == 120,
                   "what detection reads: the first 128 bytes");
    ev->time_us = 0;
    ev->utc_offset = 0;
    ev->tz_source = FA_TZ_ASSUMED;
    ev->action = FA_ACT_NONE;
    ev->outcome = FA_OUT_UNKNOWN;
    ev->daemon = FA_DAEMON_UNKNOWN;
    ev->proto = FA_PROTO_UNKNOWN;
    ev->anonymous = false;
    /* One by one: chained, each was read back from the one before (a
     * 16-byte load of two 8-byte stores, which the CPU cannot forward). */
    ev->host = FA_STR_NULL;
    ev->user = FA_STR_NULL;
    ev->ip = FA_STR_NULL;
    ev->session = FA_STR_NULL;
    ev->port = 0;
    ev->pid = 0;
    ev->path = FA_STR_NULL;
    ev->path2 = FA_STR_NULL;
    ev->detail = FA_STR_NULL;
    ev->original = FA_STR_NULL;
    ev->bytes = -1;
    ev->file = NULL;
    ev->line = 0;
}

/* ECS vocabulary for the enums; never NULL. */
const char *fa_action_name(enum fa_action a);
const char *fa_outcome_name(enum fa_outcome o);
const char *fa_daemon_name(enum fa_daemon d);
const char *fa_proto_name(enum fa_proto p);

/* Look a name up; returns FA_ACT_NONE when unknown. */
enum fa_action fa_action_from_name(const char *name);

/* RFC 3339 UTC text of a time ("2026-11-26T12:41:58Z", with .mmm or
 * .uuuuuu when there is a fraction) into buf (32 bytes); returns length. */
size_t fa_time_rfc3339(int64_t us, char *buf);

/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlong forms,
 * surrogates or code points above U+10FFFF), 0 when s holds none. */
size_t fa_utf8_seq(const unsigned char *s, size_t n);

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
               "the fa_word_* tests take byte 0 of a loaded word as the "
               "first in memory");

/* Eight bytes at a time (v from memcpy): the top bit of each byte of the
 * result is set where ... holds, and the result is 0 when it holds
 * nowhere.  Bytes after the first hit may be flagged too, so only "is
 * there one" is exact.
 *   fa_word_eq: a byte equal to c (the zero-byte test on v xor c..);
 *   fa_word_ctl: a byte below 0x20 (adding 0x60 to its low 7 bits leaves
 *   the top bit clear; bytes from 0x80 have it anyway). */
FA_INLINE uint64_t fa_word_eq(uint64_t v, unsigned char c)
{
    const uint64_t ones = 0x0101010101010101ULL;
    uint64_t x = v ^ (ones * c);
    return (x - ones) & ~x & (ones << 7);
}

/* As fa_word_eq, but exact in every byte (no flags above a hit): for
 * finding the last hit, not only whether there is one. */
FA_INLINE uint64_t fa_word_eq_exact(uint64_t v, unsigned char c)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = ones << 7;
    uint64_t x = v ^ (ones * c);
    /* Non-zero bytes: their low 7 bits plus 0x7f carry into the top bit,
     * or the top bit is set already. */
    return ((((x & ~highs) + ~highs) | x) & highs) ^ highs;
}

FA_INLINE uint64_t fa_word_ctl(uint64_t v)
{
    const uint64_t ones = 0x0101010101010101ULL;
    return ~(((v & (ones * 0x7f)) + ones * 0x60) | v) & (ones << 7);
}

/* Exact in every byte: the top bit of each byte of v in lo..hi (both at
 * most 0x7f).  The low 7 bits plus 0x80 - lo reach the top bit when at
 * least lo, plus 0x7f - hi when above hi; neither sum carries out of its
 * byte, and bytes from 0x80 are never in the range. */
FA_INLINE uint64_t fa_word_in(uint64_t v, unsigned char lo,
                              unsigned char hi)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = ones << 7;
    uint64_t x = v & ~highs;
    uint64_t ge = x + ones * (0x80u - lo);
    uint64_t gt = x + ones * (0x7fu - hi);
    return ge & ~gt & ~v & highs;
}

/* How many bytes p[0..n) starts with that are ASCII and not NUL (the
 * bytes a valid UTF-8 copy keeps as they are).  Eight at a time. */
size_t fa_ascii_run(const char *p, size_t n);

/* p[0..len) as a dotted quad the way inet_pton(AF_INET) takes one: four
 * parts of 1 to 3 digits, each at most 255, no leading zero, nothing
 * else.  The four bytes go to out when it is not NULL. */
bool fa_ipv4_parse(const char *p, size_t len, unsigned char *out);

/* A NUL-terminated copy of n bytes as valid UTF-8: each invalid byte and
 * each NUL becomes U+FFFD.  The caller frees it. */
char *fa_utf8_dup(const char *s, size_t n);

/* "+hh:mm" text of a UTC offset into buf (8 bytes); returns length. */
size_t fa_offset_text(int32_t offset, char *buf);

#endif
