/*
 * xferlog: the wu-ftpd transfer log, one line per file transfer, also
 * written by vsftpd (xferlog_std_format=YES or dual_log_enable=YES),
 * ProFTPD (TransferLog; Plesk keeps it per domain as xferlog_regular) and
 * Pure-FTPd (-O xferlog:FILE).  Upstream grammar: ProFTPD src/xferlog.5.in;
 * writers: vsftpd logging.c vsf_log_do_log_wuftpd_format, ProFTPD
 * src/xferlog.c, Pure-FTPd src/altlog.c.
 *
 * Real lines (wrapped here; each record is one line in the file):
 *
 *   Thu Sep  2 09:52:00 2004 50 192.168.20.10 896242 /home/test/file1.tgz
 *       b _ o r suporte ftp 0 * c                        (wu-ftpd, ossec-docs)
 *   Wed Oct 03 17:10:36 2012 0 97.64.153.21 25833 /var/www/vhosts/
 *       eurekaedu.info/httpdocs/centennial_series/index.htm a _ i r
 *       admin_reagan ftp 0 * c                 (Plesk ProFTPD, zero-pad day)
 *   Mon Apr 17 18:27:14 2006 1 64.160.42.130 0 /pub/lyx/devel/log
 *       b _ o a mozilla@example.com ftp 0 * i       (anonymous, incomplete)
 *   Thu Nov 26 12:43:43 2026 0 127.0.0.20 24
 *       /tmp/e2e/home/bob/public_html/robots.txt b _ d r bob sftp 0 * c
 *                                               (ProFTPD mod_sftp, delete)
 *   Thu Nov 26 12:45:01 2026 0 127.0.0.10 189
 *       /tmp/e2e/home/alice/public_html/index.html b _ o r alice ftp 1 * c
 *                                                     (Pure-FTPd altlog)
 *
 * Fields: current-time (5 words), transfer-time, remote-host, file-size,
 * filename, transfer-type, special-action-flag, direction, access-mode,
 * username, service-name, authentication-method, authenticated-user-id,
 * completion-status.  Old wu-ftpd wrote raw spaces in file names (the
 * others write '_'), and an anonymous "username" is the password the
 * client typed, so both may hold spaces: the head is read from the left,
 * the last four fields from the right, and the four one-letter fields
 * that separate file name and user name are searched from the right (for
 * ordinary lines that is exactly "the last 9 words are the tail").
 *
 * Mapping decisions (docs/parsers/xferlog.md):
 *  - direction o/i/d -> download/upload/delete; completion c/i ->
 *    success/failure ("incomplete transfer").
 *  - access-mode a: anonymous=true, user "anonymous", the logged value
 *    (the anonymous password, usually an e-mail address) goes to detail.
 *  - remote-host: an address goes to ip (::ffff: stripped); a host name
 *    (ProFTPD with UseReverseDNS) is not an address, so ip stays empty and
 *    the name goes to detail as "client host NAME".
 *  - daemon: named when a line proves the writer: service sftp/scp/ftps
 *    or direction d (ProFTPD only), authentication "1 *" (Pure-FTPd
 *    always writes it), a zero-padded day (ProFTPD with "0", Pure-FTPd
 *    with "1"), a space-padded day (ctime(): wu-ftpd or vsftpd, which
 *    cannot be told apart).  Lines that prove nothing (days 10..31 of
 *    plain "ftp 0 * c" lines) take the writer an earlier line of the same
 *    file proved; before any proof, FA_DAEMON_WUFTPD, which event.h
 *    defines as "xferlog whose writer cannot be told".
 */
#include <string.h>

#include "registry.h"
#include "strutil.h"
#include "syslog.h"

/* Room for the joined detail notes; a longer one is cut (it is only
 * informative, every note is also in the original line). */
#define XF_DETAIL_MAX 512

/* Embedded stamps tried as the start of a glued second record. */
#define XF_GLUE_TRIES 8

struct xferlog_state {
    const struct fa_ctx *ctx;
    enum fa_daemon learned;  /* writer proven by an earlier line */
    /* Two records glued on one line: where the second one starts. */
    size_t resume_len;
    uint64_t resume_number;
    size_t resume_off;
    char detail[XF_DETAIL_MAX];
    size_t detail_len;
};

/* One record, split into its fields; views into the line. */
struct xf_record {
    int64_t time_us;
    int32_t offset;
    bool zero_padded;   /* "Oct 03": ProFTPD or Pure-FTPd wrote it */
    bool space_padded;  /* "Sep  2": ctime(), wu-ftpd or vsftpd */
    struct fa_str host, path, type, special, user, service, auth, authid;
    char direction, mode, completion;
    uint64_t size;
    bool ambiguous;     /* more than one way to split name and user */
};

static bool is_digit(char c)
{
    return (unsigned)((unsigned char)c - '0') <= 9;
}

static bool is_alpha(char c)
{
    return (unsigned)(((unsigned char)c | 0x20) - 'a') <= 25;
}

/* Position of the next ' ' at or after i, or len. */
static size_t next_space(const char *p, size_t len, size_t i)
{
    const char *s = memchr(p + i, ' ', len - i);
    return s != NULL ? (size_t)(s - p) : len;
}

/* A run of decimal digits ending at a space; returns its end or 0. */
static size_t digits_field(const char *p, size_t len, size_t i,
                           uint64_t *val)
{
    size_t n = fa_parse_u64(p + i, len - i, val);
    if (n == 0 || n > 20 || i + n >= len || p[i + n] != ' ') {
        return 0;
    }
    return i + n;
}

/*
 * The ctime stamp at p: "Thu Sep  2 09:52:00 2004" or "Wed Oct 03 ...".
 * Checks the weekday word that fa_stamp_ctime skips, so that only a real
 * stamp starts a record.  Returns the bytes used, 0 if none.
 */
static size_t read_stamp(const struct fa_ctx *ctx, const char *p, size_t len,
                         struct xf_record *r)
{
    if (len < 24 || !is_alpha(p[0]) || !is_alpha(p[1]) || !is_alpha(p[2]) ||
        p[3] != ' ') {
        return 0;
    }
    size_t used = fa_stamp_ctime(ctx, p, len, &r->time_us, &r->offset);
    if (used == 0) {
        return 0;
    }
    /* The day follows the month word and one space. */
    size_t i = 4;
    while (i < used && p[i] != ' ') {
        i++;
    }
    r->zero_padded = i + 2 < used && p[i + 1] == '0' && is_digit(p[i + 2]);
    r->space_padded = i + 2 < used && p[i + 1] == ' ' && is_digit(p[i + 2]);
    return used;
}

/* "[ab] FLAGS [oid] [agr] " at p[i..end): the four one-letter fields
 * between file name and user name.  Returns where the user name starts,
 * or 0. */
static size_t mid_fields(const char *p, size_t end, size_t i,
                         struct xf_record *r)
{
    if (i + 2 > end || (p[i] != 'a' && p[i] != 'b') || p[i + 1] != ' ') {
        return 0;
    }
    size_t t = i;
    i += 2;
    /* Special action: "_", or C (compressed), U (uncompressed), T (tar),
     * wu-ftpd may write several; nothing else has been written there. */
    size_t f = i;
    while (i < end && i - f < 4 &&
           (p[i] == '_' || p[i] == 'C' || p[i] == 'U' || p[i] == 'T')) {
        i++;
    }
    if (i == f || i + 4 > end || p[i] != ' ') {
        return 0;
    }
    size_t fe = i;
    char dir = p[i + 1], mode = p[i + 3];
    if ((dir != 'o' && dir != 'i' && dir != 'd') || p[i + 2] != ' ' ||
        (mode != 'a' && mode != 'g' && mode != 'r')) {
        return 0;
    }
    /* The user name starts after the mode's space; that space must lie
     * inside the region (an empty user name is two spaces in a row). */
    if (i + 4 >= end || p[i + 4] != ' ') {
        return 0;
    }
    r->type = fa_str_make(p + t, 1);
    r->special = fa_str_make(p + f, fe - f);
    r->direction = dir;
    r->mode = mode;
    return i + 5;
}

/*
 * Read one record in p[0..len).  Returns NULL and fills r, or the reason
 * the text is not a record.
 */
static const char *read_record(const struct fa_ctx *ctx, const char *p,
                               size_t len, struct xf_record *r)
{
    *r = (struct xf_record){0};
    while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t')) {
        len--;
    }
    size_t i = read_stamp(ctx, p, len, r);
    if (i == 0) {
        return "no ctime stamp";
    }
    uint64_t xfertime;
    if (i + 1 < len && p[i] == ' ' && p[i + 1] == '[') {
        return "vsftpd_log_file line, not xferlog";
    }
    if (i >= len || p[i] != ' ' ||
        (i = digits_field(p, len, i + 1, &xfertime)) == 0) {
        return "bad transfer-time";
    }
    size_t h = i + 1;
    i = next_space(p, len, h);
    if (i == h || i >= len) {
        return "bad remote-host";
    }
    r->host = fa_str_make(p + h, i - h);
    if ((i = digits_field(p, len, i + 1, &r->size)) == 0) {
        return "bad file-size";
    }
    size_t name = i + 1;

    /* The last four fields, from the right: service auth id status. */
    size_t e = len, sp[4];
    for (int k = 0; k < 4; k++) {
        const char *s = fa_memrmem(p + name, e - name, " ", 1);
        if (s == NULL) {
            return "truncated record";
        }
        e = (size_t)(s - p);
        sp[k] = e;
    }
    struct fa_str status = fa_str_make(p + sp[0] + 1, len - sp[0] - 1);
    r->authid = fa_str_make(p + sp[1] + 1, sp[0] - sp[1] - 1);
    r->auth = fa_str_make(p + sp[2] + 1, sp[1] - sp[2] - 1);
    r->service = fa_str_make(p + sp[3] + 1, sp[2] - sp[3] - 1);
    if (status.len != 1 || (status.ptr[0] != 'c' && status.ptr[0] != 'i')) {
        return "bad completion-status";
    }
    r->completion = status.ptr[0];
    uint64_t auth;
    if (r->authid.len == 0 || r->auth.len == 0 || r->auth.len > 3 ||
        fa_parse_u64(r->auth.ptr, r->auth.len, &auth) != r->auth.len) {
        return "bad authentication fields";
    }
    if (r->service.len == 0) {
        return "empty service-name";
    }

    /* Between file-size and service: "NAME T F D M USER".  Try every
     * space from the right; the first fit is the "last 9 words" rule, a
     * later one is a user name with spaces (anonymous passwords). */
    size_t uend = sp[3], found = 0;
    struct xf_record probe = *r;
    for (size_t s = uend; s > name; s--) {
        if (p[s - 1] != ' ' || s - 1 == name) {
            continue;
        }
        size_t u = mid_fields(p, uend + 1, s, &probe);
        if (u == 0 || u > uend) {
            continue;
        }
        if (found == 0) {
            r->type = probe.type;
            r->special = probe.special;
            r->direction = probe.direction;
            r->mode = probe.mode;
            r->path = fa_str_make(p + name, s - 1 - name);
            r->user = fa_str_make(p + u, uend - u);
        }
        if (++found == 2) {
            r->ambiguous = true;
            break;
        }
    }
    if (found == 0) {
        return "bad transfer fields";
    }
    return NULL;
}

/* The writer when the line proves it, else FA_DAEMON_UNKNOWN. */
static enum fa_daemon proven_writer(const struct xf_record *r)
{
    if (r->direction == 'd' || fa_str_eq(r->service, "sftp") ||
        fa_str_eq(r->service, "scp") || fa_str_eq(r->service, "ftps")) {
        return FA_DAEMON_PROFTPD;
    }
    if (fa_str_eq(r->auth, "1") && fa_str_eq(r->authid, "*")) {
        return FA_DAEMON_PUREFTPD;
    }
    if (r->zero_padded) {
        return fa_str_eq(r->auth, "1") ? FA_DAEMON_PUREFTPD
                                       : FA_DAEMON_PROFTPD;
    }
    if (r->space_padded) {
        /* ctime(): wu-ftpd or vsftpd, which write the same lines. */
        return FA_DAEMON_WUFTPD;
    }
    return FA_DAEMON_UNKNOWN;
}

/* A file has one writer: a line that proves it names it for the lines
 * after it that cannot tell (days 10..31 carry no padding). */
static enum fa_daemon writer(struct xferlog_state *st,
                             const struct xf_record *r)
{
    enum fa_daemon d = proven_writer(r);
    if (d != FA_DAEMON_UNKNOWN) {
        st->learned = d;
        return d;
    }
    return st->learned != FA_DAEMON_UNKNOWN ? st->learned : FA_DAEMON_WUFTPD;
}

static enum fa_proto proto_of(struct fa_str svc)
{
    if (fa_str_eq(svc, "ftp")) {
        return FA_PROTO_FTP;
    }
    if (fa_str_eq(svc, "ftps")) {
        return FA_PROTO_FTPS;
    }
    if (fa_str_eq(svc, "sftp")) {
        return FA_PROTO_SFTP;
    }
    if (fa_str_eq(svc, "scp")) {
        return FA_PROTO_SCP;
    }
    return FA_PROTO_UNKNOWN;
}

/* Append "; " (unless first), lit, then v, cut at the buffer's end. */
static void note(struct xferlog_state *st, const char *lit, struct fa_str v)
{
    size_t room = sizeof(st->detail) - st->detail_len;
    size_t n = strlen(lit);
    if (st->detail_len > 0 && room > 2) {
        memcpy(st->detail + st->detail_len, "; ", 2);
        st->detail_len += 2;
        room -= 2;
    }
    n = n < room ? n : room;
    memcpy(st->detail + st->detail_len, lit, n);
    st->detail_len += n;
    room -= n;
    n = v.len < room ? v.len : room;
    if (n > 0) {
        memcpy(st->detail + st->detail_len, v.ptr, n);
        st->detail_len += n;
    }
}

static void to_event(struct xferlog_state *st, const struct xf_record *r,
                     struct fa_event *out)
{
    out->time_us = r->time_us;
    out->utc_offset = r->offset;
    out->tz_source = FA_TZ_ASSUMED;
    out->action = r->direction == 'o'   ? FA_ACT_DOWNLOAD
                  : r->direction == 'i' ? FA_ACT_UPLOAD
                                        : FA_ACT_DELETE;
    out->outcome = r->completion == 'c' ? FA_OUT_SUCCESS : FA_OUT_FAILURE;
    out->daemon = writer(st, r);
    out->proto = proto_of(r->service);
    out->path = r->path;
    out->bytes = r->size > INT64_MAX ? INT64_MAX : (int64_t)r->size;

    st->detail_len = 0;
    if (r->completion == 'i') {
        note(st, "incomplete transfer", FA_STR_NULL);
    }
    if (r->mode == 'a') {
        out->anonymous = true;
        out->user = FA_STR_LIT("anonymous");
        if (r->user.len > 0) {
            note(st, "anonymous password ", r->user);
        } else {
            note(st, "anonymous password empty", FA_STR_NULL);
        }
    } else {
        out->user = r->user;
        if (r->mode == 'g') {
            note(st, "guest", FA_STR_NULL);
        }
    }
    struct fa_str ip = fa_ip_normalize(r->host);
    if (fa_is_ip(ip)) {
        out->ip = ip;
    } else {
        note(st, "client host ", r->host);
    }
    if (!fa_str_eq(r->special, "_")) {
        note(st, "special-action ", r->special);
    }
    if (!fa_str_eq(r->authid, "*")) {
        note(st, "ident ", r->authid);
    }
    if (out->proto == FA_PROTO_UNKNOWN) {
        note(st, "service ", r->service);
    }
    if (r->ambiguous) {
        note(st, "ambiguous file name / user split", FA_STR_NULL);
    }
    if (st->detail_len > 0) {
        out->detail = fa_str_make(st->detail, st->detail_len);
    }
}

/*
 * Where a second record glued onto this one starts (a writer that lost
 * its newline): " c" or " i" directly followed by a ctime stamp, with a
 * complete record before it.  0 when there is none.
 */
static size_t glue_point(const struct fa_ctx *ctx, const char *p, size_t len)
{
    struct xf_record r;
    /* Each try reads the prefix again: a bound keeps a hostile line of
     * many stamps linear. */
    int tries = XF_GLUE_TRIES;
    for (size_t k = 26; k + 24 <= len && tries > 0; k++) {
        if ((p[k - 1] != 'c' && p[k - 1] != 'i') || p[k - 2] != ' ' ||
            !is_alpha(p[k]) || p[k + 3] != ' ') {
            continue;
        }
        if (read_stamp(ctx, p + k, len - k, &r) == 0) {
            continue;
        }
        tries--;
        if (read_record(ctx, p, k, &r) == NULL) {
            return k;
        }
    }
    return 0;
}

static int xferlog_init(void *state, const struct fa_ctx *ctx,
                        const char **why)
{
    (void)why;
    struct xferlog_state *st = state;
    st->ctx = ctx;
    return 0;
}

static enum fa_status xferlog_parse(void *state, const struct fa_line *l,
                                    struct fa_event *out, const char **why)
{
    struct xferlog_state *st = state;
    const char *p = l->ptr;
    size_t len = l->len;

    if (st->resume_len == l->len && st->resume_number == l->number &&
        st->resume_off < len) {
        p += st->resume_off;
        len -= st->resume_off;
    } else {
        st->resume_off = 0;
    }
    st->resume_len = 0;

    struct fa_str t = fa_trim(fa_str_make(p, len));
    if (t.len == 0) {
        return FA_SKIP;
    }
    if (p[0] == ' ' || p[0] == '\t' || p[0] == '"') {
        /* ossec's sample file holds a record wrapped over three lines
         * and quoted; its fragments are not records. */
        *why = "fragment of a wrapped or quoted record";
        return FA_INVALID;
    }

    struct xf_record r;
    size_t g = glue_point(st->ctx, p, len);
    const char *err = read_record(st->ctx, p, g > 0 ? g : len, &r);
    if (err != NULL) {
        *why = err;
        return FA_INVALID;
    }
    to_event(st, &r, out);
    if (g > 0) {
        st->resume_len = l->len;
        st->resume_number = l->number;
        st->resume_off += g;
        return FA_AGAIN;
    }
    return FA_OK;
}

/* Every sampled line must read as a record; a few fragments (the wrapped
 * ossec entry) lower the score but keep it confident. */
static int xferlog_probe(const struct fa_line *l, size_t n)
{
    static const struct fa_tz utc = {.name = "UTC", .is_utc = true,
                                      .known = true};
    static const struct fa_ctx ctx = {.tz = &utc};
    size_t good = 0;
    for (size_t i = 0; i < n; i++) {
        struct xf_record r;
        if (read_record(&ctx, l[i].ptr, l[i].len, &r) == NULL) {
            good++;
        }
    }
    if (good == 0) {
        return 0;
    }
    /* 100 when every line reads; one good line among many is noise. */
    int score = (int)(good * 100 / n);
    return score < 20 ? 0 : score;
}

const struct fa_parser fa_parser_xferlog = {
    .name = "xferlog",
    .summary = "wu-ftpd xferlog (vsftpd, ProFTPD, Pure-FTPd, Plesk)",
    .state_size = sizeof(struct xferlog_state),
    .probe_lines = 20,
    .probe = xferlog_probe,
    .init = xferlog_init,
    .parse = xferlog_parse,
};
