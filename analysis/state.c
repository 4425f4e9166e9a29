#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "detect_int.h"

static const char magic[16] = "FTPAUDIT-STATE\n";
#define BOM 0x01020304u
#define HEADER_SIZE (16 + 4 + 4 + 8 + 4 + 4)
/* Entries of input files not seen for this long are dropped. */
#define FILE_KEEP_SECONDS (180 * 86400)

/* ---- writing ---- */


static void w_raw(struct fa_bytes *w, const void *src, size_t n)
{
    fa_bytes_add(w, src, n);
}

#define W(w, v) w_raw((w), &(v), sizeof(v))

static void w_u32(struct fa_bytes *w, uint32_t v)
{
    W(w, v);
}

static void w_u64(struct fa_bytes *w, uint64_t v)
{
    W(w, v);
}

static void w_str(struct fa_bytes *w, const char *s)
{
    if (s == NULL) {
        w_u32(w, UINT32_MAX);
        return;
    }
    uint32_t n = (uint32_t)strlen(s);
    w_u32(w, n);
    w_raw(w, s, n);
}

static void w_set(struct fa_bytes *w, const struct fa_u64set *s)
{
    w_u32(w, s->n);
    for (uint32_t i = 0; i < s->cap; i++) {
        if (s->keys[i] != 0) {
            w_u64(w, s->keys[i]);
        }
    }
}

/* ---- reading: every read is bounds-checked; a short or odd payload
 * sets bad and yields zeros. ---- */

struct rbuf {
    const char *p;
    size_t n, pos;
    bool bad;
};

static void r_raw(struct rbuf *r, void *dst, size_t n)
{
    if (r->bad || n > r->n - r->pos) {
        r->bad = true;
        memset(dst, 0, n);
        return;
    }
    memcpy(dst, r->p + r->pos, n);
    r->pos += n;
}

#define R(r, v) r_raw((r), &(v), sizeof(v))

static uint32_t r_u32(struct rbuf *r)
{
    uint32_t v;
    R(r, v);
    return v;
}

static uint64_t r_u64(struct rbuf *r)
{
    uint64_t v;
    R(r, v);
    return v;
}

static char *r_str(struct rbuf *r)
{
    uint32_t n = r_u32(r);
    if (n == UINT32_MAX || r->bad) {
        return NULL;
    }
    if (n > r->n - r->pos) {
        r->bad = true;
        return NULL;
    }
    char *s = malloc((size_t)n + 1);
    if (s == NULL) {
        abort();
    }
    memcpy(s, r->p + r->pos, n);
    s[n] = '\0';
    r->pos += n;
    return s;
}

/* A string into a fixed buffer. */
static void r_strbuf(struct rbuf *r, char *dst, size_t size)
{
    char *s = r_str(r);
    dst[0] = '\0';
    if (s != NULL) {
        if (strlen(s) < size) {
            memcpy(dst, s, strlen(s) + 1);
        } else {
            r->bad = true;
        }
        free(s);
    }
}

static void r_set(struct rbuf *r, struct fa_u64set *s)
{
    uint32_t n = r_u32(r);
    if ((uint64_t)n * 8 > r->n - r->pos) {
        r->bad = true;
        return;
    }
    for (uint32_t i = 0; i < n; i++) {
        fa_u64set_add(s, r_u64(r));
    }
}

/* Stamps are microseconds from 1970 to the end of 9999 as the stamp
 * readers make them, give or take a day of time zone (0 stands for
 * none): a file with others is damaged, and sums and differences of good
 * ones never overflow. */
#define T_MIN (-2 * 86400LL * 1000000)
#define T_MAX (253402387200LL * 1000000)

static bool stamp_ok(int64_t t)
{
    return t >= T_MIN && t <= T_MAX;
}

/* Counts read from the file are checked against what is left, so a
 * damaged count cannot ask for a huge allocation. */
static bool sane(struct rbuf *r, uint64_t count, size_t min_each)
{
    if (r->bad || count > (r->n - r->pos) / (min_each ? min_each : 1)) {
        r->bad = true;
        return false;
    }
    return true;
}

/* ---- the detector ---- */

static void put_account(struct fa_bytes *w, const struct account *a)
{
    w_u64(w, a->id);
    w_str(w, a->host);
    w_str(w, a->user);
    w_set(w, &a->ips);
    w_set(w, &a->net_narrow);
    w_set(w, &a->net_wide);
    w_set(w, &a->countries);
    w_set(w, &a->asns);
    /* The prints, in the one set of version 1 (a print is its own
     * print): each bucket least recently used first, so learning them
     * back in this order into a table of the same size rebuilds the same
     * buckets.  The size rides in the count's top byte (log2; 0 in files
     * of earlier builds, which held hashes). */
    uint32_t order = 0;
    while (a->fileslots > (1u << order)) {
        order++;
    }
    w_u32(w, a->filefill | (a->fileprints != NULL ? order << 24 : 0));
    for (size_t b = 0; a->fileprints != NULL && b < a->fileslots;
         b += FILE_WAYS) {
        for (int k = FILE_WAYS - 1; k >= 0; k--) {
            if (a->fileprints[b + (size_t)k] != 0) {
                w_u64(w, a->fileprints[b + (size_t)k]);
            }
        }
    }
    W(w, a->how);
    W(w, a->sessions);
    W(w, a->changed_sum);
    W(w, a->first_us);
    W(w, a->last_us);
    W(w, a->logins);
    w_u64(w, a->nlogins);
    W(w, a->fail_first);
    W(w, a->fail_last);
    W(w, a->fail_count);
    W(w, a->ccount);
    W(w, a->ncount);
    W(w, a->hours24);
    W(w, a->wdays);
    size_t kept = a->nrecent < FA_TIMELINE_MAX ? a->nrecent : FA_TIMELINE_MAX;
    w_u64(w, a->nrecent);
    w_raw(w, a->recent_sessions, kept * sizeof(*a->recent_sessions));
    W(w, a->risk);
    uint32_t sev = a->severity;
    w_u32(w, sev);
    w_u64(w, a->nfindings);
}

static bool get_account(struct rbuf *r, struct fa_detect *d)
{
    uint64_t id = r_u64(r);
    char *host = r_str(r), *user = r_str(r);
    if (r->bad || host == NULL || user == NULL ||
        fa_u64map_get(&d->accounts, id) != NULL) {
        free(host);
        free(user);
        r->bad = true;
        return false;
    }
    struct account *a =
        fa_detect_add_account(d, id, host, strlen(host), user, strlen(user));
    free(host);
    free(user);
    r_set(r, &a->ips);
    r_set(r, &a->net_narrow);
    r_set(r, &a->net_wide);
    r_set(r, &a->countries);
    r_set(r, &a->asns);
    uint32_t nfiles = r_u32(r);
    uint32_t order = nfiles >> 24;
    nfiles &= 0xFFFFFF;
    if ((uint64_t)nfiles * 8 > r->n - r->pos || order > 30) {
        r->bad = true;
        return false;
    }
    if (order > 0) {
        fa_account_files_reserve(a, (size_t)1 << order);
    }
    for (uint32_t i = 0; i < nfiles; i++) {
        fa_account_learn_file(a, r_u64(r));
    }
    R(r, a->how);
    R(r, a->sessions);
    R(r, a->changed_sum);
    R(r, a->first_us);
    R(r, a->last_us);
    R(r, a->logins);
    a->nlogins = r_u64(r);
    R(r, a->fail_first);
    R(r, a->fail_last);
    bool stamps = stamp_ok(a->first_us) && stamp_ok(a->last_us) &&
                  stamp_ok(a->fail_first) && stamp_ok(a->fail_last);
    for (size_t i = 0; i < RECENT; i++) {
        stamps = stamps && stamp_ok(a->logins[i].t);
    }
    if (!stamps) {
        r->bad = true;
        return false;
    }
    R(r, a->fail_count);
    R(r, a->ccount);
    R(r, a->ncount);
    R(r, a->hours24);
    R(r, a->wdays);
    a->nrecent = r_u64(r);
    size_t kept = a->nrecent < FA_TIMELINE_MAX ? a->nrecent : FA_TIMELINE_MAX;
    if (!sane(r, kept, sizeof(*a->recent_sessions))) {
        return false;
    }
    /* A ring that wrapped needs all of it; one that did not, its
     * sessions (it grows from there). */
    fa_timeline_reserve(a, a->nrecent >= FA_TIMELINE_MAX ? FA_TIMELINE_MAX
                                                         : (kept ? kept : 1));
    r_raw(r, a->recent_sessions, kept * sizeof(*a->recent_sessions));
    for (size_t i = 0; i < kept; i++) {
        if (!stamp_ok(a->recent_sessions[i].start_us) ||
            !stamp_ok(a->recent_sessions[i].end_us)) {
            r->bad = true;
            return false;
        }
    }
    R(r, a->risk);
    if (a->risk < 0 || a->risk > 100) {
        r->bad = true;
        return false;
    }
    uint32_t sev = r_u32(r);
    a->severity = sev <= FA_SEV_CRITICAL ? (enum fa_severity)sev : FA_SEV_INFO;
    a->nfindings = r_u64(r);
    for (size_t i = 0; i < 8; i++) {
        a->ccount[i].text[sizeof(a->ccount[i].text) - 1] = '\0';
        a->ncount[i].text[sizeof(a->ncount[i].text) - 1] = '\0';
    }
    for (size_t i = 0; i < RECENT; i++) {
        a->logins[i].country[2] = '\0';
    }
    for (size_t i = 0; i < kept; i++) {
        struct fa_session_summary *ss = &a->recent_sessions[i];
        ss->ip[sizeof(ss->ip) - 1] = '\0';
        ss->network[sizeof(ss->network) - 1] = '\0';
        ss->country[2] = '\0';
    }
    return !r->bad;
}

static void put_session(struct fa_bytes *w, const struct session *s)
{
    w_u64(w, s->acct->id);
    w_str(w, s->ip);
    w_u64(w, s->iphash);
    W(w, s->geo.country);
    W(w, s->geo.asn);
    w_str(w, s->as_org);
    W(w, s->start);
    W(w, s->end);
    uint32_t ok = s->login_ok;
    w_u32(w, ok);
    W(w, s->fails);
    w_str(w, s->login_ev.file);
    w_u64(w, s->login_ev.line);
    W(w, s->utc_offset);
    w_u64(w, s->nops);
    for (size_t i = 0; i < s->nops; i++) {
        const struct op *o = &s->ops[i];
        uint32_t act = o->action, out = o->outcome;
        w_u32(w, act);
        w_u32(w, out);
        W(w, o->t);
        W(w, o->bytes);
        w_str(w, o->path);
        w_str(w, o->path2);
        w_str(w, o->file);
        w_u64(w, o->line);
    }
}

static bool get_session(struct rbuf *r, struct fa_detect *d)
{
    uint64_t id = r_u64(r);
    struct account *a = fa_u64map_get(&d->accounts, id);
    if (a == NULL) {
        r->bad = true;
        return false;
    }
    struct session *s = calloc(1, sizeof(*s));
    if (s == NULL) {
        abort();
    }
    s->acct = a;
    r_strbuf(r, s->ip, sizeof(s->ip));
    s->iphash = r_u64(r);
    R(r, s->geo.country);
    s->geo.country[2] = '\0';
    R(r, s->geo.asn);
    r_strbuf(r, s->as_org, sizeof(s->as_org));
    R(r, s->start);
    R(r, s->end);
    s->login_ok = r_u32(r) != 0;
    R(r, s->fails);
    char *file = r_str(r);
    s->login_ev.file = fa_detect_intern(d, file);
    free(file);
    s->login_ev.line = r_u64(r);
    R(r, s->utc_offset);
    uint64_t nops = r_u64(r);
    if (!sane(r, nops, 40) || nops > MAX_OPS) {
        free(s);
        r->bad = true;
        return false;
    }
    s->ops = calloc(nops ? nops : 1, sizeof(*s->ops));
    if (s->ops == NULL) {
        abort();
    }
    s->capops = nops ? nops : 1;
    for (uint64_t i = 0; i < nops && !r->bad; i++) {
        struct op *o = &s->ops[s->nops++];
        uint32_t act = r_u32(r), out = r_u32(r);
        o->action = act < FA_ACT_COUNT ? (enum fa_action)act : FA_ACT_NONE;
        o->outcome = out <= FA_OUT_FAILURE ? (enum fa_outcome)out
                                           : FA_OUT_UNKNOWN;
        R(r, o->t);
        R(r, o->bytes);
        /* Into the session's pool, as the detector keeps names. */
        char *path = r_str(r), *path2 = r_str(r);
        o->path = fa_session_text(s, path != NULL ? path : "", &o->len);
        o->path2 = path2 != NULL ? fa_session_text(s, path2, &o->len2)
                                 : NULL;
        free(path);
        free(path2);
        char *f = r_str(r);
        o->file = fa_detect_intern(d, f);
        free(f);
        o->line = r_u64(r);
        if (!stamp_ok(o->t) || o->bytes < -1) {
            r->bad = true;   /* the session goes with the detector */
        }
    }
    if (!stamp_ok(s->start) || !stamp_ok(s->end) ||
        s->utc_offset < -86400 || s->utc_offset > 86400) {
        r->bad = true;
    }
    fa_detect_add_session(d, s);
    return !r->bad;
}

static void put_ip(struct fa_bytes *w, const struct ipstate *ip)
{
    w_str(w, ip->ip);
    W(w, ip->fail_first);
    W(w, ip->fail_last);
    W(w, ip->fail_count);
    W(w, ip->fails_total);
    W(w, ip->successes);
    /* All RECENT entries, the missing ones zero. */
    struct recent ring[RECENT];
    memset(ring, 0, sizeof(ring));
    if (ip->newacct != NULL) {
        memcpy(ring, ip->newacct, ip->capnew * sizeof(*ring));
    }
    W(w, ring);
    w_u64(w, ip->nnew);
    w_str(w, ip->first_fail.file);
    w_u64(w, ip->first_fail.line);
    W(w, ip->users_failed);
    W(w, ip->last_user);
    uint32_t b = ip->brute_reported;
    w_u32(w, b);
}

static bool get_ip(struct rbuf *r, struct fa_detect *d)
{
    char *text = r_str(r);
    if (text == NULL || text[0] == '\0') {
        free(text);
        r->bad = true;
        return false;
    }
    struct ipstate *ip = fa_detect_ip(d, (struct fa_str){text, strlen(text)});
    free(text);
    if (ip == NULL) {
        r->bad = true;
        return false;
    }
    R(r, ip->fail_first);
    R(r, ip->fail_last);
    if (!stamp_ok(ip->fail_first) || !stamp_ok(ip->fail_last)) {
        r->bad = true;
        return false;
    }
    R(r, ip->fail_count);
    R(r, ip->fails_total);
    R(r, ip->successes);
    struct recent ring[RECENT];
    R(r, ring);
    for (size_t i = 0; i < RECENT; i++) {
        if (!stamp_ok(ring[i].t)) {
            r->bad = true;
            return false;
        }
    }
    ip->nnew = r_u64(r);
    if (ip->nnew > 0) {
        size_t n = ip->nnew < RECENT ? ip->nnew : RECENT;
        fa_newacct_reserve(ip, n);
        memcpy(ip->newacct, ring, n * sizeof(*ring));
    }
    char *file = r_str(r);
    ip->first_fail.file = file ? fa_detect_intern(d, file) : NULL;
    free(file);
    ip->first_fail.line = r_u64(r);
    R(r, ip->users_failed);
    R(r, ip->last_user);
    ip->brute_reported = r_u32(r) != 0;
    return !r->bad;
}

static void put_finding(struct fa_bytes *w, const struct fa_finding *f)
{
    w_str(w, f->rule);
    uint32_t sev = f->severity;
    w_u32(w, sev);
    W(w, f->score);
    w_str(w, f->user);
    w_str(w, f->host);
    w_str(w, f->ip);
    W(w, f->country);
    W(w, f->asn);
    w_str(w, f->as_org);
    W(w, f->first_us);
    W(w, f->last_us);
    w_u64(w, f->nreasons);
    for (size_t i = 0; i < f->nreasons; i++) {
        w_str(w, f->reasons[i]);
    }
    w_u64(w, f->nrules);
    for (size_t i = 0; i < f->nrules; i++) {
        w_str(w, f->rules[i]);
    }
    w_u64(w, f->nfiles);
    for (size_t i = 0; i < f->nfiles; i++) {
        w_str(w, f->files[i]);
    }
    w_u64(w, f->nevidence);
    for (size_t i = 0; i < f->nevidence; i++) {
        w_str(w, f->evidence[i].file);
        w_u64(w, f->evidence[i].line);
    }
    W(w, f->uploads);
    W(w, f->downloads);
    W(w, f->deletes);
    W(w, f->failures);
    uint32_t rep = f->reported;
    w_u32(w, rep);
}

/* Rule ids and verdicts are static strings: map the stored text back. */
static const char *static_rule(const char *id)
{
    if (id == NULL) {
        return NULL;
    }
    if (strcmp(id, "stolen-credential-login") == 0) {
        return "stolen-credential-login";
    }
    for (size_t i = 0; i < fa_nrules; i++) {
        if (strcmp(fa_rules[i].id, id) == 0) {
            return fa_rules[i].id;
        }
    }
    return NULL;
}

static const char *verdict_for(const struct fa_finding *f)
{
    if (strcmp(f->rule, "brute-force") == 0) {
        return "brute force without success";
    }
    return fa_detect_verdict(f->severity);
}

static char *dup_or_empty(char *s)
{
    if (s == NULL) {
        s = calloc(1, 1);
        if (s == NULL) {
            abort();
        }
    }
    return s;
}

/* One finding into f (zeroed by the caller; its strings are the caller's
 * to free, fa_finding_clear, also when reading fails). */
static bool read_finding(struct rbuf *r, struct fa_detect *d,
                         struct fa_finding *f)
{
    char *rule = r_str(r);
    const char *srule = static_rule(rule);
    free(rule);
    if (srule == NULL) {
        r->bad = true;
        return false;
    }
    f->rule = srule;
    uint32_t sev = r_u32(r);
    f->severity = sev <= FA_SEV_CRITICAL ? (enum fa_severity)sev : FA_SEV_INFO;
    R(r, f->score);
    if (f->score < 0 || f->score > 100) {
        r->bad = true;
        return false;
    }
    f->user = dup_or_empty(r_str(r));
    f->host = dup_or_empty(r_str(r));
    f->ip = r_str(r);
    R(r, f->country);
    f->country[2] = '\0';
    R(r, f->asn);
    f->as_org = dup_or_empty(r_str(r));
    R(r, f->first_us);
    R(r, f->last_us);
    if (!stamp_ok(f->first_us) || !stamp_ok(f->last_us)) {
        r->bad = true;
        return false;
    }
    uint64_t n = r_u64(r);
    if (n > FA_MAX_REASONS) {
        r->bad = true;
        return false;
    }
    for (uint64_t i = 0; i < n; i++) {
        f->reasons[f->nreasons++] = dup_or_empty(r_str(r));
    }
    n = r_u64(r);
    if (n > 16) {
        r->bad = true;
        return false;
    }
    for (uint64_t i = 0; i < n; i++) {
        char *id = r_str(r);
        const char *s = static_rule(id);
        free(id);
        if (s != NULL) {
            f->rules[f->nrules++] = s;
        }
    }
    n = r_u64(r);
    if (!sane(r, n, 4)) {
        return false;
    }
    f->files = calloc(n + 1, sizeof(*f->files));
    if (f->files == NULL) {
        abort();
    }
    for (uint64_t i = 0; i < n; i++) {
        f->files[f->nfiles++] = dup_or_empty(r_str(r));
    }
    n = r_u64(r);
    if (n > FA_MAX_EVIDENCE) {
        r->bad = true;
        return false;
    }
    for (uint64_t i = 0; i < n; i++) {
        char *file = r_str(r);
        f->evidence[f->nevidence].file = fa_detect_intern(d, file);
        free(file);
        f->evidence[f->nevidence++].line = r_u64(r);
    }
    R(r, f->uploads);
    R(r, f->downloads);
    R(r, f->deletes);
    R(r, f->failures);
    f->reported = r_u32(r) != 0;
    f->verdict = verdict_for(f);
    return !r->bad;
}

static bool get_finding(struct rbuf *r, struct fa_detect *d)
{
    struct fa_finding *f = fa_detect_new_finding(d);
    bool ok = read_finding(r, d, f);
    if (ok) {
        fa_detect_keep_finding(d);
    } else {
        fa_detect_drop_finding(d);
    }
    return ok;
}

void fa_finding_pack(struct fa_bytes *out, const struct fa_finding *f)
{
    put_finding(out, f);
}

bool fa_finding_unpack(struct fa_detect *d, const char *p, size_t n,
                       struct fa_finding *f)
{
    struct rbuf r = {p, n, 0, false};
    return read_finding(&r, d, f) && r.pos == n;
}

/* ---- files ---- */

struct fa_state_file *fa_state_find(struct fa_state_files *files,
                                    uint64_t fp, uint32_t fp_len)
{
    for (size_t i = 0; i < files->n; i++) {
        if (files->v[i].fp == fp && files->v[i].fp_len == fp_len) {
            return &files->v[i];
        }
    }
    return NULL;
}

void fa_state_put(struct fa_state_files *files, const struct fa_state_file *e)
{
    struct fa_state_file *old = fa_state_find(files, e->fp, e->fp_len);
    if (old != NULL) {
        *old = *e;
        return;
    }
    if (files->n == files->cap) {
        files->cap = files->cap ? files->cap * 2 : 32;
        files->v = realloc(files->v, files->cap * sizeof(*files->v));
        if (files->v == NULL) {
            abort();
        }
    }
    files->v[files->n++] = *e;
}

void fa_state_files_free(struct fa_state_files *files)
{
    free(files->v);
    memset(files, 0, sizeof(*files));
}

/* ---- the file itself ---- */

int fa_state_lock(const char *path, char *err, size_t size)
{
    char lock[4096];
    if (snprintf(lock, sizeof(lock), "%s.lock", path) >= (int)sizeof(lock)) {
        snprintf(err, size, "state file path too long");
        return -1;
    }
    int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, size, "%s: %s", lock, strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char pid[32] = "";
        ssize_t n = pread(fd, pid, sizeof(pid) - 1, 0);
        pid[n > 0 ? n : 0] = '\0';
        pid[strcspn(pid, "\n")] = '\0';
        snprintf(err, size, "%s is in use by another ftpaudit run%s%s; "
                            "try again when it has finished",
                 path, pid[0] ? " (pid " : "", pid[0] ? pid : "");
        if (pid[0]) {
            strncat(err, ")", size - strlen(err) - 1);
        }
        close(fd);
        return -1;
    }
    char pid[32];
    int n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) == 0) {
        (void)!pwrite(fd, pid, (size_t)n, 0);
    }
    return fd;
}

bool fa_state_read_payload(const char *buf, size_t len, struct fa_detect *d,
                           struct fa_state_files *files)
{
    struct rbuf r = {buf, len, 0, false};
    R(&r, d->now);
    R(&r, d->last_sweep);
    R(&r, d->jump);
    if (!stamp_ok(d->now) || !stamp_ok(d->last_sweep) || !stamp_ok(d->jump)) {
        return false;
    }
    R(&r, d->totals);
    uint64_t n = r_u64(&r);
    for (uint64_t i = 0; sane(&r, n - i, 8) && i < n; i++) {
        get_account(&r, d);
    }
    n = r_u64(&r);
    for (uint64_t i = 0; sane(&r, n - i, 8) && i < n; i++) {
        get_session(&r, d);
    }
    n = r_u64(&r);
    for (uint64_t i = 0; sane(&r, n - i, 8) && i < n; i++) {
        get_ip(&r, d);
    }
    n = r_u64(&r);
    for (uint64_t i = 0; sane(&r, n - i, 8) && i < n; i++) {
        get_finding(&r, d);
    }
    n = r_u64(&r);
    for (uint64_t i = 0; sane(&r, n - i, 8) && i < n; i++) {
        struct fa_state_file e;
        e.fp = r_u64(&r);
        e.fp_len = r_u32(&r);
        e.emitted = r_u64(&r);
        e.complete = r_u32(&r) != 0;
        R(&r, e.last_used);
        if (!r.bad) {
            fa_state_put(files, &e);
        }
    }
    return !r.bad && r.pos == r.n;
}

int fa_state_load(const char *path, struct fa_detect *d,
                  struct fa_state_files *files, bool *in_progress,
                  char *err, size_t size)
{
    *in_progress = false;
    struct stat pst;
    if (stat(path, &pst) == 0 && !S_ISREG(pst.st_mode)) {
        /* Opening a FIFO would wait for a writer forever. */
        snprintf(err, size, "%s is not a regular file", path);
        return -1;
    }
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        if (errno == ENOENT) {
            return 0;
        }
        snprintf(err, size, "%s: %s", path, strerror(errno));
        return -1;
    }
    char head[HEADER_SIZE];
    size_t got = fread(head, 1, sizeof(head), f);
    uint32_t bom, version, crc, flags;
    uint64_t len;
    if (got != sizeof(head) || memcmp(head, magic, 16) != 0) {
        fclose(f);
        snprintf(err, size, "%s is not an ftpaudit state file, or its "
                            "header is damaged: left untouched", path);
        return -1;
    }
    memcpy(&bom, head + 16, 4);
    memcpy(&version, head + 20, 4);
    memcpy(&len, head + 24, 8);
    memcpy(&crc, head + 32, 4);
    memcpy(&flags, head + 36, 4);
    if (bom != BOM) {
        fclose(f);
        snprintf(err, size, "%s was written on a machine of another byte "
                            "order: left untouched", path);
        return -1;
    }
    if (version > FA_STATE_VERSION) {
        fclose(f);
        snprintf(err, size, "%s has version %u, newer than this ftpaudit "
                            "reads (%d): left untouched; use a newer "
                            "ftpaudit", path, version, FA_STATE_VERSION);
        return -1;
    }
    if (version == 0) {
        fclose(f);
        snprintf(err, size, "%s has an invalid version: left untouched",
                 path);
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 ||
        (uint64_t)st.st_size != len + HEADER_SIZE) {
        fclose(f);
        snprintf(err, size, "%s is truncated or has trailing data "
                            "(damaged): left untouched", path);
        return -1;
    }
    char *buf = malloc(len ? len : 1);
    if (buf == NULL) {
        fclose(f);
        snprintf(err, size, "%s: out of memory", path);
        return -1;
    }
    got = fread(buf, 1, len, f);
    fclose(f);
    if (got != len ||
        (uint32_t)crc32(crc32(0L, Z_NULL, 0), (const Bytef *)buf,
                        (uInt)len) != crc) {
        free(buf);
        snprintf(err, size, "%s is damaged (checksum mismatch): left "
                            "untouched", path);
        return -1;
    }
    *in_progress = (flags & 1) != 0;
    /* Version 1 differs only in its key hash: its baselines are read as
     * they are and the detector goes on with that hash (and the file
     * stays version 1), so nothing learnt is lost. */
    d->hash_v1 = version == 1;
    bool ok = fa_state_read_payload(buf, len, d, files);
    free(buf);
    if (!ok) {
        snprintf(err, size, "%s is damaged (its contents do not add up): "
                            "left untouched", path);
        return -1;
    }
    return 1;
}

int fa_state_save(const char *path, const struct fa_detect *d,
                  const struct fa_state_files *files, bool in_progress,
                  char *err, size_t size)
{
    struct fa_bytes w = {0};
    W(&w, d->now);
    W(&w, d->last_sweep);
    W(&w, d->jump);
    W(&w, d->totals);
    w_u64(&w, d->nacct);
    for (size_t i = 0; i < d->nacct; i++) {
        put_account(&w, d->acct_list[i]);
    }
    w_u64(&w, d->nsess);
    for (size_t i = 0; i < d->nsess; i++) {
        put_session(&w, d->sess_list[i]);
    }
    w_u64(&w, d->ips.n);
    for (uint32_t i = 0; i < d->ips.cap; i++) {
        if (d->ips.e[i].key != 0) {
            put_ip(&w, d->ips.e[i].val);
        }
    }
    w_u64(&w, d->nfind);
    for (size_t i = 0; i < d->nfind; i++) {
        /* The spooled record is put_finding's; only the reported flag,
         * its last four bytes, may have changed since. */
        size_t at = w.n;
        if (fa_detect_spooled(d, i, &w) != 0) {
            snprintf(err, size, "reading the findings spool: %s",
                     strerror(errno));
            free(w.p);
            return -1;
        }
        uint32_t rep = d->fref[i].reported;
        if (w.n - at >= 4) {
            memcpy(w.p + w.n - 4, &rep, 4);
        }
    }
    int64_t now = (int64_t)time(NULL);
    size_t keep = 0;
    for (size_t i = 0; i < files->n; i++) {
        keep += now - files->v[i].last_used < FILE_KEEP_SECONDS;
    }
    w_u64(&w, keep);
    for (size_t i = 0; i < files->n; i++) {
        const struct fa_state_file *e = &files->v[i];
        if (now - e->last_used >= FILE_KEEP_SECONDS) {
            continue;
        }
        w_u64(&w, e->fp);
        w_u32(&w, e->fp_len);
        w_u64(&w, e->emitted);
        w_u32(&w, e->complete);
        W(&w, e->last_used);
    }

    char head[HEADER_SIZE];
    uint32_t bom = BOM, version = d->hash_v1 ? 1 : FA_STATE_VERSION;
    uint32_t flags = in_progress;
    uint64_t len = w.n;
    uint32_t crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0),
                                   (const Bytef *)w.p, (uInt)w.n);
    memcpy(head, magic, 16);
    memcpy(head + 16, &bom, 4);
    memcpy(head + 20, &version, 4);
    memcpy(head + 24, &len, 8);
    memcpy(head + 32, &crc, 4);
    memcpy(head + 36, &flags, 4);

    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int rc = -1;
    if (fd < 0) {
        snprintf(err, size, "%s: %s", tmp, strerror(errno));
        free(w.p);
        return -1;
    }
    if (!fa_write_all(fd, head, sizeof(head)) ||
        !fa_write_all(fd, w.p, w.n) || fsync(fd) != 0) {
        snprintf(err, size, "writing %s: %s", tmp, strerror(errno));
        close(fd);
        unlink(tmp);
        goto out;
    }
    close(fd);
    if (rename(tmp, path) != 0) {
        snprintf(err, size, "renaming %s: %s", tmp, strerror(errno));
        unlink(tmp);
        goto out;
    }
    /* Make the rename itself durable. */
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == NULL) {
        snprintf(dir, sizeof(dir), ".");
    } else if (slash == dir) {
        dir[1] = '\0';
    } else {
        *slash = '\0';
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    rc = 0;
out:
    free(w.p);
    return rc;
}
