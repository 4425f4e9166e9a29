/*
 * The syslog envelope, its own layer: one function that takes any of the
 * stamp-host-tag shapes a daemon line arrives in and returns the parts, so
 * each daemon's grammar only reads its message.
 *
 *   Nov 26 12:41:58 vm vsftpd[8037]: msg            BSD (RFC 3164), local
 *   Nov  6 12:41:58.123456 vm sshd[1]: msg          journalctl short-precise
 *   ott 16 22:40:40 p1 sftp-server[1641]: msg       localized month
 *   Nov 26 12:45:44 vm auth.info sshd[12]: msg      busybox syslogd -O
 *   2026-11-26T12:46:12.600430+00:00 vm sshd[1]: m  rsyslog RFC 3339
 *   2025-03-04T01:06:36+0100 host sshd[1]: msg      journalctl short-iso
 *   2025-03-04T01:06:36.645577 host vsftpd[1]: msg  ISO without offset
 *   <38>1 2019-07-08T17:40:16.95-04:00 h sshd 57915 - - msg   RFC 5424
 *   srv sshd[13709]: msg                            journal export, no time
 *   proftpd[12345] host (name[ip]): msg             tag without a colon
 */
#ifndef FA_PARSERS_SYSLOG_H
#define FA_PARSERS_SYSLOG_H

#include "parser.h"

struct fa_envelope {
    int64_t time_us;         /* UTC; the file mtime when has_time is false */
    int32_t offset;
    enum fa_tzsrc tz_source;
    bool has_time;
    struct fa_str host;
    struct fa_str prog;      /* tag without [pid]: "sshd", "vsftpd(pam_unix)" */
    uint32_t pid;            /* 0 when the tag has none */
    struct fa_str msg;       /* the daemon's message */
};

/*
 * Split a syslog line.  Returns 0 with *env filled, or -1 when the line is
 * not in any known envelope (*why says which part failed).  All views point
 * into l.
 */
int fa_syslog_split(const struct fa_ctx *ctx, const struct fa_line *l,
                    struct fa_envelope *env, const char **why);

/* Copy the envelope's time, host and pid into an event. */
void fa_envelope_to_event(const struct fa_envelope *env, struct fa_event *ev);

/*
 * Stamp readers shared with formats that use the same stamps outside
 * syslog.  Each reads at p (len bytes), stores UTC microseconds, offset and
 * zone source, and returns the bytes used, or 0 when p holds no such stamp.
 */
size_t fa_stamp_bsd(const struct fa_ctx *ctx, const char *p, size_t len,
                    int64_t *us, int32_t *offset);
size_t fa_stamp_iso(const struct fa_ctx *ctx, const char *p, size_t len,
                    int64_t *us, int32_t *offset, enum fa_tzsrc *src);

/* "Thu Nov 26 12:41:58 2026" (vsftpd, xferlog; day space- or zero-padded,
 * or with a single space).  Local time in ctx's zone. */
size_t fa_stamp_ctime(const struct fa_ctx *ctx, const char *p, size_t len,
                      int64_t *us, int32_t *offset);

/* "[26/Nov/2026:12:42:58 +0000]" (CLF, brackets optional). */
size_t fa_stamp_clf(const char *p, size_t len, int64_t *us, int32_t *offset);

#endif

/*
 * A daemon whose lines arrive through syslog provides a message handler.
 * The syslog parsers (syslogfmt.c) split the envelope once and hand the
 * message to the handler whose match() accepts the program tag, so a mixed
 * auth.log or /var/log/syslog is read whole, whichever daemon dominates it.
 */
struct fa_syslog_daemon {
    const char *name;              /* "vsftpd", "proftpd", "openssh", ... */
    enum fa_daemon daemon;
    size_t state_size;             /* zeroed for the handler */

    /* Does this program tag belong to the daemon? */
    bool (*match)(struct fa_str prog);

    /* Optional, once: keep ctx (it outlives the state). */
    void (*init)(void *state, const struct fa_ctx *ctx);

    /* Read one message.  out is cleared and already holds the envelope's
     * time, host and pid; set at least action and outcome.  Same statuses
     * as fa_parser.parse. */
    enum fa_status (*parse_msg)(void *state, const struct fa_envelope *env,
                                struct fa_event *out, const char **why);

    /* Optional: like fa_parser.finish. */
    enum fa_status (*finish)(void *state, struct fa_event *out);
};

extern const struct fa_syslog_daemon fa_syslog_vsftpd;
extern const struct fa_syslog_daemon fa_syslog_proftpd;
extern const struct fa_syslog_daemon fa_syslog_openssh;
extern const struct fa_syslog_daemon fa_syslog_pureftpd;
