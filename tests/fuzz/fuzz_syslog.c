/*
 * Fuzz target: the syslog envelope splitter and the shared stamp readers
 * (parsers/syslog.h), which every syslog-borne daemon and several file
 * formats go through.
 *
 * The input is split into lines as the reader does.  Each line goes to
 * fa_syslog_split() NUL-terminated (its contract) and to every stamp
 * reader in a heap block of exactly its length with no terminator: a
 * reader is handed fields inside a line, so a look at p[len] is a bug
 * AddressSanitizer reports.  Local stamps are read in Europe/Brussels, so
 * the zone conversion (DST gaps and overlaps) is exercised too; an input
 * of even length reads year-less stamps as of New Year's night, odd as of
 * the year's end.
 */
#include <stdlib.h>
#include <string.h>

#include "../../parsers/syslog.h"
#include "fuzz.h"

/* Largest |offset| any stamp may carry, and the time range of a valid
 * civil time (1970..9999) once an offset is applied. */
#define MAX_OFFSET 86400
#define MIN_US (-(int64_t)MAX_OFFSET * 1000000)
#define MAX_US ((int64_t)(253402300800 + MAX_OFFSET + 1) * 1000000)

static void check_time(const char *who, int64_t us, int32_t offset)
{
    if (offset <= -MAX_OFFSET || offset >= MAX_OFFSET) {
        fuzz_fail("%s: offset %ld", who, (long)offset);
    }
    if (us < MIN_US || us > MAX_US) {
        fuzz_fail("%s: time %lld us is outside years 1970..9999", who,
                  (long long)us);
    }
}

static void check_stamp(const char *who, size_t used, size_t len, int64_t us,
                        int32_t offset)
{
    if (used > len) {
        fuzz_fail("%s: used %zu bytes of %zu", who, used, len);
    }
    if (used > 0) {
        check_time(who, us, offset);
    }
}

static void stamps(const struct fa_ctx *ctx, const char *line, size_t len)
{
    /* No terminator: reading p[len] is out of bounds. */
    char *p = malloc(len ? len : 1);
    if (p == NULL) {
        abort();
    }
    if (len > 0) {
        memcpy(p, line, len);
    }
    int64_t us = 0;
    int32_t off = 0;
    enum fa_tzsrc src = FA_TZ_NONE;
    size_t u = fa_stamp_bsd(ctx, p, len, &us, &off);
    check_stamp("fa_stamp_bsd", u, len, us, off);
    u = fa_stamp_iso(ctx, p, len, &us, &off, &src);
    check_stamp("fa_stamp_iso", u, len, us, off);
    if (u > 0 && (unsigned)src > FA_TZ_EXPLICIT) {
        fuzz_fail("fa_stamp_iso: zone source %d", (int)src);
    }
    u = fa_stamp_ctime(ctx, p, len, &us, &off);
    check_stamp("fa_stamp_ctime", u, len, us, off);
    u = fa_stamp_clf(p, len, &us, &off);
    check_stamp("fa_stamp_clf", u, len, us, off);
    free(p);
}

static void check_part(const char *name, struct fa_str v,
                       const struct fa_line *l)
{
    if (v.len == 0) {
        return;
    }
    if (v.ptr == NULL || v.ptr < l->ptr || v.ptr > l->ptr + l->len ||
        v.len > (size_t)(l->ptr + l->len - v.ptr)) {
        fuzz_fail("fa_syslog_split: env.%s is not inside the line", name);
    }
}

static void split(const struct fa_ctx *ctx, struct fuzz_sink *sink,
                  const char *text, size_t len, uint64_t number)
{
    struct fa_line l = {fuzz_dup(text, len), len, number};
    struct fa_envelope env;
    const char *why = NULL;
    int rc = fa_syslog_split(ctx, &l, &env, &why);
    if (rc == -1) {
        if (why == NULL) {
            fuzz_fail("fa_syslog_split: failed without saying why");
        }
        if (why >= l.ptr && why <= l.ptr + l.len) {
            fuzz_fail("fa_syslog_split: *why points into the line");
        }
        (void)strlen(why);
    } else if (rc == 0) {
        check_part("host", env.host, &l);
        check_part("prog", env.prog, &l);
        check_part("msg", env.msg, &l);
        if (env.has_time) {
            check_time("fa_syslog_split", env.time_us, env.offset);
        }
        /* Through an event into ECS JSON, as a daemon handler would. */
        struct fa_event ev;
        fa_event_clear(&ev);
        fa_envelope_to_event(&env, &ev);
        ev.action = FA_ACT_COMMAND;
        ev.user = env.prog;
        ev.detail = env.msg;
        ev.file = "fuzz.log";
        ev.line = number;
        ev.original = (struct fa_str){l.ptr, l.len};
        fuzz_sink_event(sink, "fa_syslog_split", &ev, ctx->tz);
    } else {
        fuzz_fail("fa_syslog_split returned %d", rc);
    }
    free((void *)l.ptr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fa_civil newyear = {2027, 1, 1, 0, 30, 0};
    struct fa_ctx ctx = {
        .tz = fuzz_tz("Europe/Brussels"),
        .mtime = size % 2 ? fuzz_mtime() : fa_civil_to_epoch(&newyear),
    };
    ctx.year_hint = fa_year_for(ctx.mtime, 12, 31);
    struct fuzz_sink *sink = fuzz_sink_get();
    const char *d = (const char *)data;
    size_t pos = 0;
    uint64_t number = 0;
    while (pos < size) {
        const char *nl = memchr(d + pos, '\n', size - pos);
        size_t len = nl ? (size_t)(nl - (d + pos)) : size - pos;
        size_t next = nl ? pos + len + 1 : size;
        if (len > FA_LINE_MAX) {
            len = FA_LINE_MAX;
        } else if (len > 0 && d[pos + len - 1] == '\r') {
            len--;
        }
        number++;
        split(&ctx, sink, d + pos, len, number);
        stamps(&ctx, d + pos, len);
        pos = next;
    }
    return 0;
}

void fuzz_expand_fixture(const char *path, const uint8_t *data, size_t size,
                         fuzz_run_fn run)
{
    (void)path;
    run(data, size);
}

const char *const fuzz_builtin_seeds[] = {
    "Nov 26 12:41:58 vm vsftpd[8037]: msg\n"
    "Nov  6 12:41:58.123456 vm sshd[1]: msg\n"
    "ott 16 22:40:40 p1 sftp-server[1641]: msg\n"
    "Nov 26 12:45:44 vm auth.info sshd[12]: msg\n"
    "2026-11-26T12:46:12.600430+00:00 vm sshd[1]: m\n"
    "2025-03-04T01:06:36+0100 host sshd[1]: msg\n"
    "2025-03-04T01:06:36.645577 host vsftpd[1]: msg\n"
    "<38>1 2019-07-08T17:40:16.95-04:00 h sshd 57915 - - msg\n"
    "srv sshd[13709]: msg\n"
    "proftpd[12345] host (name[ip]): msg\n"
    "Nov 26 12:41:58 vm last message repeated 4 times\n",
    /* Stamps alone, and DST edges in Brussels. */
    "Thu Nov 26 12:41:58 2026\nThu Nov  6 12:41:58 2026\n"
    "Mon Jun 8 12:08:44 2020\nSun Mar 29 02:30:00 2026\n"
    "Sun Oct 25 02:30:00 2026\nThu Nov 26 12:41:58 20266\n"
    "[26/Nov/2026:12:42:58 +0000]\n26/Nov/2026:12:42:58 -2359\n"
    "2026-03-29 02:30:00,123\n2026-02-30T00:00:00Z\n"
    "Feb 29 00:00:00 h t: m\nDec 31 23:59:60 h t[4294967296]: m\n",
    "<\n<1\n<12345>\n<1>1 \n<1>1 - - - - - -\nNov\nNov 2\nNov 26 1\n",
    NULL,
};
