/*
 * Sessions and baselines.  See detect.h for the model; rules.c judges.
 */
#define _GNU_SOURCE /* memrchr */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "detect_int.h"

/* Sizes of the blocks of a session's path pool. */
#define POOL_BLOCK_MIN 512
#define POOL_BLOCK_MAX (64 * 1024)


static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (p == NULL) {
        abort();
    }
    return p;
}

static char *xstrndup(const char *s, size_t n)
{
    char *p = xcalloc(n + 1, 1);
    memcpy(p, s, n);
    return p;
}

static void grow(void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) {
        return;
    }
    size_t c = *cap ? *cap * 2 : 16;
    while (c < need) {
        c *= 2;
    }
    void *p = realloc(*arr, c * size);
    if (p == NULL) {
        abort();
    }
    *arr = p;
    *cap = c;
}

const char *fa_severity_name(enum fa_severity s)
{
    static const char *const n[] = {"info", "low", "medium", "high",
                                    "critical"};
    return (unsigned)s <= FA_SEV_CRITICAL ? n[s] : "info";
}

int fa_severity_from_name(const char *name)
{
    for (int s = FA_SEV_INFO; s <= FA_SEV_CRITICAL; s++) {
        if (strcmp(fa_severity_name((enum fa_severity)s), name) == 0) {
            return s;
        }
    }
    return -1;
}

static void lower_copy(char *dst, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        dst[i] = c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
    }
}

/* s[0..n) (n <= 16) lower case and zero-padded, as two words. */
static void ext_key(uint64_t key[2], const char *s, size_t n)
{
    char buf[16] = {0};
    lower_copy(buf, s, n);
    memcpy(key, buf, sizeof(buf));
}

static size_t ext_slot(const uint64_t key[2])
{
    uint64_t h = (key[0] ^ (key[1] * 0x9E3779B97F4A7C15ULL)) *
                 0xBF58476D1CE4E5B9ULL;
    return (size_t)(h >> 57) & (EXT_SLOTS - 1);
}

/* The entry of t holding key (len bytes), or -1. */
static int ext_find(const struct ext_table *t, const uint64_t key[2],
                    size_t len)
{
    for (size_t j = ext_slot(key);; j = (j + 1) & (EXT_SLOTS - 1)) {
        int e = t->slot[j] - 1;
        if (e < 0) {
            return -1;
        }
        if (t->len[e] == len && t->key[e][0] == key[0] &&
            t->key[e][1] == key[1]) {
            return e;
        }
    }
}

static void ext_table_add(struct ext_table *t, const char (*exts)[12],
                          size_t n, uint8_t kind)
{
    for (size_t i = 0; i < n; i++) {
        size_t len = strnlen(exts[i], sizeof(exts[i]));
        uint64_t key[2];
        ext_key(key, exts[i], len);
        int e = ext_find(t, key, len);
        if (e < 0) {
            e = (int)t->n++;
            t->len[e] = (uint8_t)len;
            memcpy(t->key[e], key, sizeof(key));
            t->kind[e] = 0;
            size_t j = ext_slot(key);
            while (t->slot[j] != 0) {
                j = (j + 1) & (EXT_SLOTS - 1);
            }
            t->slot[j] = (uint8_t)(e + 1);
        }
        t->kind[e] |= kind;
    }
}

/* The top bits of a fa_word_* result (bytes 0..7) as bits 0..7. */
static unsigned byte_bits(uint64_t m)
{
    return (unsigned)(((m >> 7) * 0x0102040810204080ULL) >> 56);
}

/* Bytes k.. of the 16-byte window (lo, hi), zero-filled above: the text
 * from byte k to the end of the path, as ext_key lays it out. */
static void window_from(uint64_t out[2], uint64_t lo, uint64_t hi,
                        unsigned k)
{
    if (k == 0) {
        out[0] = lo;
        out[1] = hi;
    } else if (k < 8) {
        out[0] = (lo >> (8 * k)) | (hi << (64 - 8 * k));
        out[1] = hi >> (8 * k);
    } else {
        out[0] = k < 16 ? hi >> (8 * (k - 8)) : 0;
        out[1] = 0;
    }
    /* 'A'..'Z' to lower case, eight bytes at a time (bytes from 0x80
     * left alone, as lower_copy does): 0x20 is the top bit >> 2. */
    for (int i = 0; i < 2; i++) {
        out[i] |= fa_word_in(out[i], 'A', 'Z') >> 2;
    }
}

/* Where the byte c is in each of the 8 bytes of v, as bits 0..7. */
static unsigned byte_hits(uint64_t v, unsigned char c)
{
    return byte_bits(fa_word_eq_exact(v, c));
}

uint8_t fa_detect_path_kind(const struct fa_detect *d, const char *path,
                            size_t n)
{
    /* Only the last 13 bytes can matter: an extension of at most 12
     * bytes with its dot, a whole name of at most 12 after its '/'.  The
     * last 16 bytes are read as two words (zeros in front of a shorter
     * path); bit j of the masks below is window byte j, path byte
     * n - 16 + j, and bytes 3..15 are the 13 that count. */
    uint64_t lo, hi;
    if (n >= 16) {
        memcpy(&lo, path + n - 16, 8);
        memcpy(&hi, path + n - 8, 8);
    } else {
        char buf[16] = {0};
        memcpy(buf + 16 - n, path, n);
        memcpy(&lo, buf, 8);
        memcpy(&hi, buf + 8, 8);
    }
    unsigned slash = (byte_hits(lo, '/') | byte_hits(hi, '/') << 8) & 0xfff8u;
    unsigned dots = (byte_hits(lo, '.') | byte_hits(hi, '.') << 8) & 0xfff8u;
    /* The name starts after the last '/' (base: its first byte); with
     * none in the window, at the path's start when that is in it. */
    int base = -1;
    if (slash != 0) {
        base = 32 - __builtin_clz(slash); /* last '/' + 1 */
        dots &= ~((1u << base) - 1);
    } else if (n <= 13) {
        base = (int)(16 - n);
    }
    uint8_t k = FA_PK_TAKEN;
    if (dots == 0) {
        return k;
    }
    int dot = 31 - __builtin_clz(dots); /* the name's last '.' */
    size_t bl = base >= 0 ? (size_t)(16 - base) : 13;
    /* The extension (".php"), and the whole name when it starts with a
     * dot and has another (".user.ini"), as listed entries can be. */
    uint64_t ext[2] = {0, 0}, name[2] = {0, 0};
    size_t el = (size_t)(16 - dot), nl = 0;
    if (el > 12) {
        el = 0;
    } else {
        window_from(ext, lo, hi, (unsigned)dot);
    }
    if (bl <= 12 && base != dot &&
        ((base < 8 ? lo >> (8 * base) : hi >> (8 * (base - 8))) & 0xff) ==
            '.') {
        nl = bl;
        window_from(name, lo, hi, (unsigned)base);
    }
    if (el == 0 && nl == 0) {
        return k;
    }
    int e = el > 0 ? ext_find(&d->exts, ext, el) : -1;
    if (e >= 0) {
        k |= d->exts.kind[e];
    }
    e = nl > 0 ? ext_find(&d->exts, name, nl) : -1;
    if (e >= 0) {
        k |= d->exts.kind[e];
    }
    if ((el == 9 && base == dot && memcmp(ext, ".htaccess", 9) == 0) ||
        (nl == 9 && memcmp(name, ".user.ini", 9) == 0)) {
        k |= FA_PK_CONFIG;
    }
    return k;
}

struct fa_detect *fa_detect_create(const struct fa_config *cfg,
                                   struct fa_geo *geo)
{
    struct fa_detect *d = xcalloc(1, sizeof(*d));
    d->cfg = *cfg;
    d->geo = geo;
    d->geo_country = geo != NULL && fa_geo_has_country(geo);
    d->geo_asn = geo != NULL && fa_geo_has_asn(geo);
    d->spool_fd = -1;
    d->no_host[0] = fa_hash("", 0, 1);
    d->no_host[1] = fa_hash_v1("", 0, 1);
    ext_table_add(&d->exts, cfg->web_exts, cfg->nweb, FA_PK_WEB);
    ext_table_add(&d->exts, cfg->script_exts, cfg->nscript, FA_PK_SCRIPT);
    return d;
}

const char *fa_detect_intern(struct fa_detect *d, const char *file)
{
    if (file == NULL) {
        return "";
    }
    /* Each event asks for its file's name: mostly the one asked before,
     * at the same address. */
    if (file == d->intern_key && strcmp(file, d->intern_val) == 0) {
        return d->intern_val;
    }
    uint64_t h = fa_hash(file, strlen(file), 9);
    char *s = fa_u64map_get(&d->files, h);
    if (s == NULL) {
        s = xstrndup(file, strlen(file));
        fa_u64map_put(&d->files, h, s);
    }
    d->intern_key = file;
    d->intern_val = s;
    return s;
}

void fa_detect_stable_files(struct fa_detect *d)
{
    d->stable_files = true;
}

/* The interned copy of an event's file name. */
static const char *event_file(struct fa_detect *d, const char *file)
{
    if (!d->stable_files || file == NULL) {
        return fa_detect_intern(d, file);
    }
    if (file == d->file_key) {
        return d->file_val;
    }
    uint64_t key = (uint64_t)(uintptr_t)file;
    const char *s = fa_u64map_get(&d->file_at, key);
    if (s == NULL) {
        s = fa_detect_intern(d, file);
        fa_u64map_put(&d->file_at, key, (void *)s);
    }
    d->file_key = file;
    d->file_val = s;
    return s;
}

struct account *fa_detect_add_account(struct fa_detect *d, uint64_t id,
                                      const char *host, size_t hlen,
                                      const char *user, size_t ulen)
{
    struct account *a = xcalloc(1, sizeof(*a));
    a->id = id;
    /* As valid UTF-8 without NUL: "a\0b" and "a\0c" stay two names. */
    a->host = fa_utf8_dup(host ? host : "", host ? hlen : 0);
    a->user = fa_utf8_dup(user ? user : "", user ? ulen : 0);
    fa_u64map_put(&d->accounts, id, a);
    if (hlen > 0) {
        fa_u64map_put(&d->by_user, fa_key_hash(d->hash_v1, user, ulen, 2),
                      a);
    }
    grow((void **)&d->acct_list, &d->capacct, d->nacct + 1,
         sizeof(*d->acct_list));
    d->acct_list[d->nacct++] = a;
    return a;
}

void fa_detect_add_session(struct fa_detect *d, struct session *s)
{
    fa_u64map_put(&d->open, s->acct->id ^ (s->iphash * 31), s);
    grow((void **)&d->sess_list, &d->capsess, d->nsess + 1,
         sizeof(*d->sess_list));
    d->sess_list[d->nsess++] = s;
}

static uint32_t *file_bucket(const struct account *a, uint32_t print)
{
    size_t b = (print >> 1) % (a->fileslots / FILE_WAYS);
    return a->fileprints + b * FILE_WAYS;
}

bool fa_account_knows(const struct account *a, uint64_t h)
{
    if (a->fileprints == NULL) {
        return false;
    }
    uint32_t p = fa_file_print(h);
    const uint32_t *w = file_bucket(a, p);
    for (int k = 0; k < FILE_WAYS; k++) {
        if (w[k] == p) {
            return true;
        }
    }
    return false;
}

/* The table size for n prints (three quarters full at most). */
static uint32_t slots_for(size_t n)
{
    uint32_t s = FILE_SLOTS_MIN;
    while (s < FILE_SLOTS && n * 4 > (size_t)s * 3) {
        s *= 2;
    }
    return s;
}

/* Put p first in its bucket; true when it was not there before and took
 * an empty place (the fill grew). */
static bool file_put(struct account *a, uint32_t p)
{
    uint32_t *w = file_bucket(a, p);
    int at = FILE_WAYS - 1;
    for (int k = 0; k < FILE_WAYS; k++) {
        if (w[k] == p) {
            at = k;
            break;
        }
    }
    bool grew = w[at] != p && w[FILE_WAYS - 1] == 0;
    /* The others move back over its place, or over the last (forgotten
     * when the bucket was full). */
    memmove(w + 1, w, (size_t)at * sizeof(*w));
    w[0] = p;
    return grew;
}

static void files_resize(struct account *a, uint32_t slots)
{
    uint32_t *old = a->fileprints;
    uint32_t oslots = a->fileslots;
    a->fileprints = xcalloc(slots, sizeof(*a->fileprints));
    a->fileslots = slots;
    /* Each bucket least recent first: the order stays.  A bucket splits
     * in two, so none overflows. */
    for (uint32_t b = 0; old != NULL && b < oslots; b += FILE_WAYS) {
        for (int k = FILE_WAYS - 1; k >= 0; k--) {
            if (old[b + (uint32_t)k] != 0) {
                file_put(a, old[b + (uint32_t)k]);
            }
        }
    }
    free(old);
}

void fa_account_files_reserve(struct account *a, size_t slots)
{
    /* A power of two from the smallest table to the largest. */
    size_t s = FILE_SLOTS_MIN;
    while (s < slots && s < FILE_SLOTS) {
        s *= 2;
    }
    slots = s;
    if (slots > a->fileslots) {
        files_resize(a, (uint32_t)slots);
    }
}

void fa_account_learn_file(struct account *a, uint64_t h)
{
    if (a->fileprints == NULL) {
        files_resize(a, FILE_SLOTS_MIN);
    }
    uint32_t p = fa_file_print(h);
    if (a->fileslots < FILE_SLOTS && !fa_account_knows(a, p) &&
        file_bucket(a, p)[FILE_WAYS - 1] != 0) {
        /* Its bucket is full: room first, nothing is forgotten before
         * the table is at its largest. */
        files_resize(a, a->fileslots * 2);
    }
    if (file_put(a, p)) {
        a->filefill++;
        uint32_t slots = slots_for(a->filefill);
        if (slots > a->fileslots) {
            files_resize(a, slots);
        }
    }
}

void fa_newacct_reserve(struct ipstate *ip, size_t n)
{
    if (n > RECENT) {
        n = RECENT;
    }
    if (n <= ip->capnew) {
        return;
    }
    struct recent *p = realloc(ip->newacct, n * sizeof(*p));
    if (p == NULL) {
        abort();
    }
    memset(p + ip->capnew, 0, (n - ip->capnew) * sizeof(*p));
    ip->newacct = p;
    ip->capnew = (uint8_t)n;
}

void fa_timeline_reserve(struct account *a, size_t n)
{
    if (n > FA_TIMELINE_MAX) {
        n = FA_TIMELINE_MAX;
    }
    if (n <= a->caprecent) {
        return;
    }
    void *p = realloc(a->recent_sessions, n * sizeof(*a->recent_sessions));
    if (p == NULL) {
        abort();
    }
    a->recent_sessions = p;
    a->caprecent = n;
}

static uint64_t ip_hash(const struct fa_detect *d, const struct fa_str ip)
{
    return fa_key_hash(d->hash_v1, ip.ptr, ip.len, 7);
}

void fa_detect_prepare(const struct fa_detect *d, const struct fa_event *ev,
                       struct fa_prepared *k)
{
    memset(k, 0, sizeof(*k));
    if (ev->anonymous || (ev->action != FA_ACT_LOGIN &&
                          (ev->action < FA_ACT_UPLOAD ||
                           ev->action > FA_ACT_CHMOD))) {
        return; /* detect_event does not look it up */
    }
    k->uh = fa_key_hash(d->hash_v1, ev->user.ptr, ev->user.len, 2);
    /* Most formats name no host: its hash is the detector's. */
    k->id = (ev->host.len == 0
                 ? d->no_host[d->hash_v1]
                 : fa_key_hash(d->hash_v1, ev->host.ptr, ev->host.len, 1)) ^
            k->uh;
    k->ih = ip_hash(d, ev->ip);
    if (ev->action == FA_ACT_LOGIN) {
        return;
    }
    /* A name kept as it is has the kind of its bytes here. */
    if (ev->path.len == 0) {
        k->ascii = true;
        k->kind = FA_PK_TAKEN;
        k->print = fa_file_print(fa_key_hash(d->hash_v1, "", 0, 5));
    } else if (fa_ascii_run(ev->path.ptr, ev->path.len) == ev->path.len) {
        k->ascii = true;
        k->kind = fa_detect_path_kind(d, ev->path.ptr, ev->path.len);
        k->print = fa_file_print(
            fa_key_hash(d->hash_v1, ev->path.ptr, ev->path.len, 5));
    }
    if (ev->path2.len > 0 &&
        fa_ascii_run(ev->path2.ptr, ev->path2.len) == ev->path2.len) {
        k->ascii2 = true;
        k->kind2 = fa_detect_path_kind(d, ev->path2.ptr, ev->path2.len);
    }
}

/* The account of an event, when there is one already. */
static struct account *find_account(const struct fa_detect *d,
                                    const struct fa_event *ev,
                                    const struct fa_prepared *k)
{
    /* Key: host and user.  The same user name on two servers is two
     * accounts. */
    if (ev->host.len == 0) {
        /* xferlog, ExtendedLog and vsftpd's own log name no host: their
         * events belong to the account the same user has on the host the
         * syslog lines of the run name, when there is one. */
        struct account *h = fa_u64map_get(&d->by_user, k->uh);
        if (h != NULL) {
            return h;
        }
    }
    return fa_u64map_get(&d->accounts, k->id);
}

static struct account *get_account(struct fa_detect *d,
                                   const struct fa_event *ev,
                                   const struct fa_prepared *k)
{
    struct account *a = find_account(d, ev, k);
    if (a == NULL) {
        a = fa_detect_add_account(d, k->id, ev->host.ptr, ev->host.len,
                                  ev->user.ptr, ev->user.len);
        a->first_us = ev->time_us;
    }
    return a;
}

static struct ipstate *ip_state(struct fa_detect *d, struct fa_str ip,
                                uint64_t h)
{
    if (ip.len == 0 || ip.len >= sizeof(((struct ipstate *)0)->ip)) {
        return NULL;
    }
    struct ipstate *s = fa_u64map_get(&d->ips, h);
    if (s == NULL) {
        s = xcalloc(1, sizeof(*s));
        memcpy(s->ip, ip.ptr, ip.len);
        fa_u64map_put(&d->ips, h, s);
    }
    return s;
}

struct ipstate *fa_detect_ip(struct fa_detect *d, struct fa_str ip)
{
    return ip_state(d, ip, ip_hash(d, ip));
}

/* src into dst[0..size) as snprintf "%s" leaves it: cut to size - 1
 * bytes, NUL-terminated.  (snprintf was 7% of the detector's
 * instructions, at the end of every session.) */
static void copy_text(char *dst, size_t size, const char *src)
{
    size_t n = strnlen(src, size - 1);
    memmove(dst, src, n);
    dst[n] = '\0';
}

/* v in decimal (base 10) or lower-case hex (16), as %u / %x write it. */
static size_t put_num(char *p, unsigned v, unsigned base)
{
    char tmp[12];
    size_t n = 0;
    do {
        tmp[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v != 0);
    for (size_t i = 0; i < n; i++) {
        p[i] = tmp[n - 1 - i];
    }
    return n;
}

/* Network keys of an address: the narrow one (/24, IPv6 /48) and the wide
 * one (/16, IPv6 /32).  Names that are not addresses hash as a whole.
 * text gets the narrow network ("a.b.c.0/24", "x:y:z::/48"). */
static void networks(bool v1, const char *ip, uint64_t *narrow,
                     uint64_t *wide, char *text, size_t size)
{
    unsigned char b[16];
    char t[48];
    size_t n = 0;
    if (fa_ipv4_parse(ip, strlen(ip), b)) {
        *narrow = fa_key_hash(v1, b, 3, 11);
        *wide = fa_key_hash(v1, b, 2, 12);
        for (int i = 0; i < 3; i++) {
            n += put_num(t + n, b[i], 10);
            t[n++] = '.';
        }
        memcpy(t + n, "0/24", 5);
    } else if (inet_pton(AF_INET6, ip, b) == 1) {
        *narrow = fa_key_hash(v1, b, 6, 13);
        *wide = fa_key_hash(v1, b, 4, 14);
        for (int i = 0; i < 3; i++) {
            n += put_num(t + n, (unsigned)(b[2 * i] << 8 | b[2 * i + 1]), 16);
            t[n++] = ':';
        }
        memcpy(t + n, ":/48", 5);
    } else {
        *narrow = *wide = fa_key_hash(v1, ip, strlen(ip), 15);
        if (text) {
            copy_text(text, size, ip);
        }
        return;
    }
    if (text) {
        copy_text(text, size, t);
    }
}

static void count_text(struct count_entry *tab, size_t n, const char *text)
{
    size_t min = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(tab[i].text, text) == 0) {
            tab[i].count++;
            return;
        }
        if (tab[i].count < tab[min].count) {
            min = i;
        }
    }
    /* Replace the least used entry (a bounded top-N). */
    copy_text(tab[min].text, sizeof(tab[min].text), text);
    tab[min].count = 1;
}

static struct session *open_session(struct fa_detect *d, struct account *a,
                                    const struct fa_event *ev, uint64_t ih)
{
    uint64_t key = a->id ^ (ih * 31);
    struct session *s = fa_u64map_get(&d->open, key);
    if (s != NULL) {
        return s;
    }
    s = d->nspare > 0 ? d->spare[--d->nspare] : xcalloc(1, sizeof(*s));
    s->acct = a;
    size_t n = ev->ip.len < sizeof(s->ip) - 1 ? ev->ip.len : sizeof(s->ip) - 1;
    memcpy(s->ip, ev->ip.ptr, n);
    s->iphash = ih;
    s->start = s->end = ev->time_us;
    s->utc_offset = ev->utc_offset;
    if (d->geo != NULL) {
        fa_geo_lookup(d->geo, s->ip, &s->geo);
        snprintf(s->as_org, sizeof(s->as_org), "%s", s->geo.as_org);
        s->geo.as_org = NULL;
    }
    fa_detect_add_session(d, s);
    return s;
}

/* n bytes from the session's pool. */
static char *pool_take(struct session *s, size_t n)
{
    struct pool_block *b = s->pool;
    if (b == NULL || b->cap - b->used < n) {
        /* Blocks double (a session of thousands of transfers takes few),
         * from a size that suits the many short sessions. */
        size_t cap = b != NULL && b->cap < POOL_BLOCK_MAX ? b->cap * 2
                                                          : POOL_BLOCK_MIN;
        if (cap < n) {
            cap = n;
        }
        b = malloc(sizeof(*b) + cap);
        if (b == NULL) {
            abort();
        }
        b->next = s->pool;
        b->used = 0;
        b->cap = cap;
        s->pool = b;
        s->pool_bytes += cap;
    }
    char *p = b->data + b->used;
    b->used += n;
    return p;
}

/* A copy of p[0..n) in the session's pool as a valid UTF-8 C string (a
 * NUL inside a name must not cut it: it becomes U+FFFD, as invalid
 * sequences do; the same text as fa_utf8_dup), its length in *length.
 * known_ascii: p[0..n) is ASCII without NUL.  The same name as the
 * session's last operation (prev, prev_len bytes; NULL for none) is
 * shared, not copied again: a script uploading one file thousands of
 * times. */
static char *pool_utf8(struct session *s, const char *p, size_t n,
                       bool known_ascii, const char *prev, size_t prev_len,
                       uint32_t *length)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t ascii = known_ascii ? n : fa_ascii_run(p, n);
    char *out;
    size_t len;
    /* The lengths first: prev may end well before n bytes. */
    if (ascii == n && prev != NULL && prev_len == n &&
        (n == 0 || memcmp(prev, p, n) == 0)) {
        *length = (uint32_t)n;
        return (char *)prev;
    }
    if (ascii == n) {
        out = pool_take(s, n + 1);
        if (n > 0) {
            memcpy(out, p, n);
        }
        len = n;
    } else {
        /* Worst case 3 bytes per byte; the unused tail goes back. */
        out = pool_take(s, 3 * n + 1);
        memcpy(out, p, ascii);
        len = ascii;
        for (size_t i = ascii; i < n;) {
            size_t k = u[i] == 0 ? 0 : fa_utf8_seq(u + i, n - i);
            if (k == 0) {
                memcpy(out + len, "\xEF\xBF\xBD", 3);
                len += 3;
                i++;
            } else {
                memcpy(out + len, u + i, k);
                len += k;
                i += k;
            }
        }
        s->pool->used -= 3 * n - len;
    }
    out[len] = '\0';
    *length = (uint32_t)len;
    return out;
}

char *fa_session_text(struct session *s, const char *p, uint32_t *length)
{
    return pool_utf8(s, p, strlen(p), false, NULL, 0, length);
}

/* Whether two operations name the same path. */
static bool same_path(const struct op *a, const struct op *b)
{
    return a->path == b->path ||
           (a->len == b->len && memcmp(a->path, b->path, a->len) == 0);
}

static void add_op(struct fa_detect *d, struct session *s,
                   const struct fa_event *ev, const struct fa_prepared *k)
{
    if (s->nops >= MAX_OPS) {
        return;
    }
    grow((void **)&s->ops, &s->capops, s->nops + 1, sizeof(*s->ops));
    struct op *o = &s->ops[s->nops++];
    /* Field by field: a memset (rep stos) stalled on the new slot. */
    o->action = ev->action;
    o->outcome = ev->outcome;
    o->t = ev->time_us;
    o->bytes = ev->bytes;
    o->path2 = NULL;
    o->len2 = 0;
    o->kind2 = 0;
    const struct op *last = s->nops > 1 ? &s->ops[s->nops - 2] : NULL;
    o->path = pool_utf8(s, ev->path.ptr, ev->path.len, k->ascii,
                        last ? last->path : NULL, last ? last->len : 0,
                        &o->len);
    /* Known from fa_detect_prepare, or the same name as the operation
     * before: the same kind and print. */
    if (k->ascii) {
        o->kind = k->kind;
        o->print = k->print;
    } else if (last != NULL && o->path == last->path && last->print != 0) {
        o->kind = last->kind;
        o->print = last->print;
    } else {
        o->kind = fa_detect_path_kind(d, o->path, o->len);
        o->print = fa_file_print(fa_key_hash(d->hash_v1, o->path, o->len, 5));
    }
    if (ev->path2.len > 0) {
        o->path2 = pool_utf8(s, ev->path2.ptr, ev->path2.len, k->ascii2,
                             last ? last->path2 : NULL,
                             last ? last->len2 : 0, &o->len2);
        o->kind2 = k->ascii2 ? k->kind2
                             : fa_detect_path_kind(d, o->path2, o->len2);
    }
    o->file = event_file(d, ev->file);
    o->line = ev->line;
    /* The session's next operation and name go to lines no one has
     * touched: asked for now, they are in this core's cache when its next
     * event comes (a few hundred events later), not fetched then while
     * the detector waits. */
    if (s->nops < s->capops) {
        __builtin_prefetch(&s->ops[s->nops], 1, 3);
    }
    if (s->pool != NULL && s->pool->cap - s->pool->used >= 64) {
        __builtin_prefetch(s->pool->data + s->pool->used + 63, 1, 3);
    }
}

static enum fa_severity severity_of(const struct fa_config *c, int score)
{
    if (score >= c->sev_critical) {
        return FA_SEV_CRITICAL;
    }
    if (score >= c->sev_high) {
        return FA_SEV_HIGH;
    }
    if (score >= c->sev_medium) {
        return FA_SEV_MEDIUM;
    }
    if (score >= c->sev_low) {
        return FA_SEV_LOW;
    }
    return FA_SEV_INFO;
}

const char *fa_detect_verdict(enum fa_severity s)
{
    switch (s) {
    case FA_SEV_CRITICAL:
    case FA_SEV_HIGH:
        return "likely stolen-credential login";
    case FA_SEV_MEDIUM:
        return "suspicious login";
    case FA_SEV_LOW:
        return "unusual activity";
    default:
        return "no compromise seen";
    }
}

void fa_finding_clear(struct fa_finding *f)
{
    free(f->user);
    free(f->host);
    free(f->ip);
    free(f->as_org);
    for (size_t k = 0; k < f->nreasons; k++) {
        free(f->reasons[k]);
    }
    for (size_t k = 0; k < f->nfiles; k++) {
        free(f->files[k]);
    }
    free(f->files);
    memset(f, 0, sizeof(*f));
}

struct fa_finding *fa_detect_new_finding(struct fa_detect *d)
{
    if (d->has_pending) {
        fa_detect_keep_finding(d);
    }
    memset(&d->pending, 0, sizeof(d->pending));
    d->has_pending = true;
    return &d->pending;
}

void fa_detect_drop_finding(struct fa_detect *d)
{
    fa_finding_clear(&d->pending);
    d->has_pending = false;
}

/* Unlinked at once, so nothing is left behind by a run that is killed. */
int fa_scratch_open(const char *name)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof(path), "%s/ftpaudit-%s.XXXXXX",
             dir != NULL && dir[0] != '\0' ? dir : "/tmp", name);
    int fd = mkstemp(path);
    if (fd >= 0) {
        unlink(path);
    }
    return fd;
}

bool fa_write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR) {
            continue;
        }
        if (k <= 0) {
            return false;
        }
        p += k;
        n -= (size_t)k;
    }
    return true;
}

static void bytes_reserve(struct fa_bytes *b, size_t n)
{
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 65536;
        while (cap < b->n + n) {
            cap *= 2;
        }
        b->p = realloc(b->p, cap);
        if (b->p == NULL) {
            abort();
        }
        b->cap = cap;
    }
}

void fa_bytes_add(struct fa_bytes *b, const void *p, size_t n)
{
    if (n == 0) {
        return;
    }
    bytes_reserve(b, n);
    memcpy(b->p + b->n, p, n);
    b->n += n;
}

/* Write the findings packed since the last write to the spool file.  With
 * no file, or no room on disk, they go to memory with the later ones; the
 * ones written before stay readable. */
static void spool_flush(struct fa_detect *d)
{
    if (d->spool_out.n == 0) {
        return;
    }
    if (!d->spool_failed && d->spool_fd < 0) {
        d->spool_fd = fa_scratch_open("findings");
        d->spool_failed = d->spool_fd < 0;
    }
    if (!d->spool_failed &&
        fa_write_all(d->spool_fd, d->spool_out.p, d->spool_out.n)) {
        d->spool_size += d->spool_out.n;
    } else {
        d->spool_failed = true;
        /* The unwritten ones are the last, from spool_size on. */
        for (size_t i = d->nfind; i-- > 0;) {
            struct finding_ref *r = &d->fref[i];
            if (r->in_mem || r->off < d->spool_size) {
                break;
            }
            r->in_mem = true;
            r->off = d->spool_mem.n + (r->off - d->spool_size);
        }
        fa_bytes_add(&d->spool_mem, d->spool_out.p, d->spool_out.n);
    }
    d->spool_out.n = 0;
}

void fa_detect_keep_finding(struct fa_detect *d)
{
    if (!d->has_pending) {
        return;
    }
    struct fa_finding *f = &d->pending;
    grow((void **)&d->fref, &d->capfind, d->nfind + 1, sizeof(*d->fref));
    struct finding_ref *r = &d->fref[d->nfind++];
    memset(r, 0, sizeof(*r));
    r->reported = f->reported;
    r->severity = (uint8_t)f->severity;
    r->score = f->score;
    r->first_us = f->first_us;
    /* Packed where it will be read from: memory once the spool failed,
     * else the bytes written to the file in blocks (a write each was a
     * twentieth of detecting on a log of many findings). */
    struct fa_bytes *to = d->spool_failed ? &d->spool_mem : &d->spool_out;
    size_t at = to->n;
    fa_finding_pack(to, f);
    r->len = (uint32_t)(to->n - at);
    r->in_mem = d->spool_failed;
    r->off = d->spool_failed ? at : d->spool_size + at;
    if (d->spool_out.n >= SPOOL_BLOCK) {
        spool_flush(d);
    }
    fa_finding_clear(f);
    d->has_pending = false;
}

int fa_detect_spooled(const struct fa_detect *d, size_t i,
                      struct fa_bytes *out)
{
    const struct finding_ref *r = &d->fref[i];
    if (r->in_mem) {
        fa_bytes_add(out, d->spool_mem.p + r->off, r->len);
        return 0;
    }
    if (r->off >= d->spool_size) {
        /* Not written yet. */
        fa_bytes_add(out, d->spool_out.p + (r->off - d->spool_size), r->len);
        return 0;
    }
    bytes_reserve(out, r->len);
    size_t done = 0;
    while (done < r->len) {
        ssize_t k = pread(d->spool_fd, out->p + out->n + done, r->len - done,
                          (off_t)(r->off + done));
        if (k < 0 && errno == EINTR) {
            continue;
        }
        if (k <= 0) {
            if (k == 0) {
                errno = EIO;
            }
            return -1;
        }
        done += (size_t)k;
    }
    out->n += r->len;
    return 0;
}

static void add_evidence(struct fa_finding *f, const char *file,
                         uint64_t line)
{
    if (f->nevidence < FA_MAX_EVIDENCE && line > 0) {
        f->evidence[f->nevidence++] = (struct fa_evidence){file, line};
    }
}

static void add_reason(struct fa_finding *f, const char *r)
{
    if (f->nreasons < FA_MAX_REASONS) {
        f->reasons[f->nreasons++] = xstrndup(r, strlen(r));
    }
}

/* Judge an ended session, then let the account learn from it. */
static void judge(struct fa_detect *d, struct session *s)
{
    struct account *a = s->acct;
    bool active = s->login_ok || s->nops > 0;
    if (!active) {
        return; /* failures only: counted per address, not a session */
    }
    d->totals.sessions++;
    struct fa_reup reup = {0};
    struct rule_ctx c = {
        .reup = &reup,
        .cfg = &d->cfg,
        .s = s,
        .a = a,
        .ip = fa_u64map_get(&d->ips, s->iphash),
        .geo_country = d->geo_country,
        .geo_asn = d->geo_asn,
        .hash_v1 = d->hash_v1,
    };
    int64_t history = s->start - a->first_us;
    c.established = a->sessions >= (uint64_t)d->cfg.learn_sessions ||
                    history >= (int64_t)d->cfg.learn_days * 86400000000LL;
    char nettext[48];
    networks(d->hash_v1, s->ip, &c.net_narrow, &c.net_wide, nettext,
             sizeof(nettext));
    c.new_ip = !fa_u64set_has(&a->ips, s->iphash);
    c.new_narrow = !fa_u64set_has(&a->net_narrow, c.net_narrow);
    c.new_wide = !fa_u64set_has(&a->net_wide, c.net_wide);

    /* Where each operation's path was fetched before in the session:
     * one index for every rule that asks. */
    /* The index and its map are the detector's, kept from session to
     * session (a malloc and a free per session were most of judging a
     * short one). */
    if (d->capfetched < s->nops) {
        free(d->fetched);
        free(d->ophash);
        d->capfetched = s->nops * 2;
        d->fetched = xcalloc(d->capfetched, sizeof(*d->fetched));
        d->ophash = xcalloc(d->capfetched * 2, sizeof(*d->ophash));
    }
    if (s->nops > 0) {
        memset(d->fetched, 0, s->nops * sizeof(*d->fetched));
        memset(d->ophash, 0, s->nops * 2 * sizeof(*d->ophash));
    }
    c.fetched = d->fetched;
    c.hash = d->ophash;
    struct fa_u64map *fetched = &d->fetched_map;
    bool any_fetched = false;
    size_t nup = 0, ndown = 0, ndel = 0; /* for the timeline */
    for (size_t i = 0; i < s->nops; i++) {
        struct op *o = &s->ops[i];
        nup += o->action == FA_ACT_UPLOAD;
        ndown += o->action == FA_ACT_DOWNLOAD;
        ndel += o->action == FA_ACT_DELETE;
        bool fetch =
            o->action == FA_ACT_DOWNLOAD && o->outcome != FA_OUT_FAILURE;
        if (!fetch && !any_fetched) {
            continue; /* nothing fetched yet: nothing to look up */
        }
        /* By print, and the names compared when one is found (two
         * names of one print are the same name but about once in four
         * billion). */
        uint32_t p = fa_op_print(c.hash, i, o, false, d->hash_v1);
        if (fetch) {
            fa_u64map_put(fetched, p, (void *)o);
            any_fetched = true;
        } else {
            const struct op *dn = fa_u64map_get(fetched, p);
            if (dn != NULL && same_path(dn, o)) {
                c.fetched[i] = dn;
            }
        }
    }
    fa_u64map_clear(fetched);

    int sums[3] = {0, 0, 0};
    const char *fired[16];
    char reasons[16][256];
    size_t nf = 0;
    for (size_t i = 0; i < fa_nrules && nf < 16; i++) {
        const struct fa_rule *r = &fa_rules[i];
        int w = d->cfg.weight[i];
        if (r->judge == NULL || w <= 0) {
            continue;
        }
        if (r->judge(&c, reasons[nf], sizeof(reasons[nf]))) {
            sums[r->cls] += w;
            fired[nf++] = r->id;
        }
    }
    /* Where a login comes from never makes a compromise on its own. */
    int novelty = sums[CLASS_NOVELTY] > 50 ? 50 : sums[CLASS_NOVELTY];
    /* What a session did weighs half when it came from an address the
     * account already used: deploys and edits by its owner. */
    int action = c.new_ip ? sums[CLASS_ACTION] : sums[CLASS_ACTION] / 2;
    c.fetched = NULL;
    int score = novelty + sums[CLASS_CORRELATION] + action;
    if (score > 100) {
        score = 100;
    }
    enum fa_severity sev = severity_of(&d->cfg, score);
    if (nf > 0 && sev >= FA_SEV_LOW) {
        struct fa_finding *f = fa_detect_new_finding(d);
        f->rule = sev >= FA_SEV_HIGH ? "stolen-credential-login" : fired[0];
        f->verdict = fa_detect_verdict(sev);
        f->severity = sev;
        f->score = score;
        f->user = xstrndup(a->user, strlen(a->user));
        f->host = xstrndup(a->host, strlen(a->host));
        f->ip = s->ip[0] ? xstrndup(s->ip, strlen(s->ip)) : NULL;
        memcpy(f->country, s->geo.country, 3);
        f->asn = s->geo.asn;
        f->as_org = xstrndup(s->as_org, strlen(s->as_org));
        f->first_us = s->start;
        f->last_us = s->end;
        for (size_t i = 0; i < nf; i++) {
            add_reason(f, reasons[i]);
            f->rules[f->nrules++] = fired[i];
        }
        if (!c.established) {
            char r[160];
            snprintf(r, sizeof(r), "account still learning (%llu sessions "
                                   "of history): novelty not judged",
                     (unsigned long long)a->sessions);
            add_reason(f, r);
        }
        add_evidence(f, s->login_ev.file, s->login_ev.line);
        /* Every path written, for the customer to restore. */
        f->files = xcalloc(s->nops * 2 + 1, sizeof(*f->files));
        struct fa_u64set listed = {0};
        for (size_t i = 0; i < s->nops; i++) {
            const struct op *o = &s->ops[i];
            bool write = o->outcome != FA_OUT_FAILURE &&
                         o->action != FA_ACT_DOWNLOAD &&
                         o->action != FA_ACT_COMMAND;
            f->uploads += o->action == FA_ACT_UPLOAD;
            f->downloads += o->action == FA_ACT_DOWNLOAD;
            f->deletes += o->action == FA_ACT_DELETE;
            if (!write) {
                continue;
            }
            add_evidence(f, o->file, o->line);
            const char *paths[2] = {o->path, o->path2};
            for (int k = 0; k < 2; k++) {
                if (paths[k] == NULL || paths[k][0] == '\0') {
                    continue;
                }
                if (fa_u64set_add(&listed, fa_op_hash(c.hash, i, o, k == 1,
                                                      d->hash_v1))) {
                    f->files[f->nfiles++] = xstrndup(paths[k],
                                                     strlen(paths[k]));
                }
            }
        }
        fa_u64set_free(&listed);
        f->failures = s->fails;
        fa_detect_keep_finding(d);
        a->nfindings++;
        if (score > a->risk) {
            a->risk = score;
            a->severity = sev;
        }
    }

    /* Timeline: the most recent sessions, in a ring. */
    if (a->nrecent >= a->caprecent && a->caprecent < FA_TIMELINE_MAX) {
        /* From 4: most accounts of a large host log in a few times. */
        fa_timeline_reserve(a, a->caprecent ? a->caprecent * 2 : 4);
    }
    /* Made here and copied whole: a memset (rep stos) of the ring's
     * slot, which is seldom in cache, stalled. */
    struct fa_session_summary sum;
    memset(&sum, 0, sizeof(sum));
    sum.start_us = s->start;
    sum.end_us = s->end;
    memcpy(sum.ip, s->ip, sizeof(sum.ip));
    memcpy(sum.network, nettext, sizeof(sum.network));
    memcpy(sum.country, s->geo.country, 3);
    sum.score = (uint8_t)score;
    sum.severity = (uint8_t)sev;
    sum.uploads = nup < UINT16_MAX ? (uint16_t)nup : UINT16_MAX;
    sum.downloads = ndown < UINT16_MAX ? (uint16_t)ndown : UINT16_MAX;
    sum.deletes = ndel < UINT16_MAX ? (uint16_t)ndel : UINT16_MAX;
    memcpy(&a->recent_sessions[a->nrecent % FA_TIMELINE_MAX], &sum,
           sizeof(sum));
    a->nrecent++;

    /* Learn; but never the places of a session judged a likely intrusion,
     * or the intruder's next address in the same network would look
     * familiar. */
    a->sessions++;
    if (sev < FA_SEV_HIGH) {
        fa_u64set_add(&a->ips, s->iphash);
        fa_u64set_add(&a->net_narrow, c.net_narrow);
        fa_u64set_add(&a->net_wide, c.net_wide);
        if (s->geo.country[0]) {
            fa_u64set_add(&a->countries,
                          fa_key_hash(d->hash_v1, s->geo.country, 2, 3));
            count_text(a->ccount, 8, s->geo.country);
        }
        if (s->geo.asn) {
            fa_u64set_add(&a->asns,
                          fa_key_hash(d->hash_v1, &s->geo.asn,
                                      sizeof(s->geo.asn), 4));
        }
        count_text(a->ncount, 8, nettext);
    }
    /* Local hour and weekday (Monday 0): 1970-01-01 was a Thursday. */
    int64_t t = s->start / 1000000 + s->utc_offset;
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int hour = (int)((t - days * 86400) / 3600);
    int wday = (int)(((days % 7) + 7 + 3) % 7);
    a->how[wday * 24 + hour]++;
    a->hours24[hour]++;
    a->wdays[wday]++;
    uint64_t changed = 0;
    for (size_t i = 0; i < s->nops; i++) {
        const struct op *o = &s->ops[i];
        if (o->outcome == FA_OUT_FAILURE || o->action == FA_ACT_COMMAND) {
            continue;
        }
        changed += o->action != FA_ACT_DOWNLOAD;
        /* Only what the file rules ask about is remembered. */
        if (fa_op_kind(&d->cfg, o, false) & ~FA_PK_TAKEN) {
            fa_account_learn_file(a, fa_op_print(c.hash, i, o, false,
                                                 d->hash_v1));
        }
        if (o->path2 && (fa_op_kind(&d->cfg, o, true) & ~FA_PK_TAKEN)) {
            fa_account_learn_file(a, fa_op_print(c.hash, i, o, true,
                                                 d->hash_v1));
        }
    }
    a->changed_sum += changed;
    if (s->end > a->last_us) {
        a->last_us = s->end;
    }
}

/* Ended sessions kept for reuse, with their operation arrays and first
 * pool block: most sessions are short, and their mallocs were a tenth of
 * the detector's time. */
#define SPARE_MAX_OPS 256

static void free_session(struct fa_detect *d, struct session *s)
{
    struct pool_block *keep = NULL;
    while (s->pool != NULL) {
        struct pool_block *next = s->pool->next;
        if (next == NULL && s->pool->cap == POOL_BLOCK_MIN) {
            keep = s->pool;   /* the oldest, smallest block */
        } else {
            free(s->pool);
        }
        s->pool = next;
    }
    if (d != NULL && d->nspare < SPARE_SESSIONS &&
        s->capops <= SPARE_MAX_OPS) {
        struct op *ops = s->ops;
        size_t capops = s->capops;
        memset(s, 0, sizeof(*s));
        s->ops = ops;
        s->capops = capops;
        if (keep != NULL) {
            keep->used = 0;
            s->pool = keep;
        }
        d->spare[d->nspare++] = s;
        return;
    }
    free(keep);
    free(s->ops);
    free(s);
}

/* Judge what an over-long session did so far and go on with the same
 * login, address and place, from ev, with nothing held. */
static void continue_session(struct fa_detect *d, struct session *s,
                             const struct fa_event *ev)
{
    judge(d, s);
    s->nops = 0;
    while (s->pool != NULL) {
        struct pool_block *next = s->pool->next;
        free(s->pool);
        s->pool = next;
    }
    s->pool_bytes = 0;
    s->start = s->end = ev->time_us;
    s->fails = 0;
    s->login_ev.file = event_file(d, ev->file);
    s->login_ev.line = ev->line;
}

/* End sessions idle for longer than the gap (all of them when force). */
static void sweep(struct fa_detect *d, bool force)
{
    int64_t gap = (int64_t)d->cfg.session_gap * 1000000;
    size_t k = 0;
    d->last = NULL;
    for (size_t i = 0; i < d->nsess; i++) {
        struct session *s = d->sess_list[i];
        if (force || d->now - s->end > gap) {
            fa_u64map_del(&d->open, s->acct->id ^ (s->iphash * 31));
            judge(d, s);
            free_session(d, s);
        } else {
            d->sess_list[k++] = s;
        }
    }
    d->nsess = k;
}

static void note_login(struct account *a, struct session *s)
{
    struct recent *e = &a->logins[a->nlogins % RECENT];
    a->nlogins++;
    e->t = s->end;
    e->key = s->iphash;
    memcpy(e->country, s->geo.country, 3);
}

static void detect_event(struct fa_detect *d, const struct fa_event *ev,
                         const struct fa_prepared *k)
{
    d->totals.events++;
    /* The clock that ends idle sessions follows the stamps, but one stamp
     * far off (a corrupted year, a clock set wrong for a moment) must not
     * end every session: a jump, forward or back, of more than two session
     * gaps is believed only when the next stamp confirms it. */
    const int64_t far = 2 * (int64_t)d->cfg.session_gap * 1000000;
    int64_t t = ev->time_us;
    if (d->now == 0 || (t >= d->now - far && t <= d->now + far)) {
        if (t > d->now) {
            d->now = t;
        }
        d->jump = 0;
    } else if (d->jump != 0 && t >= d->jump - far && t <= d->jump + far) {
        d->now = t;
        d->last_sweep = t;
        d->jump = 0;
    } else {
        d->jump = t;
    }
    if (d->now - d->last_sweep > 60000000LL) {
        sweep(d, false);
        d->last_sweep = d->now;
    }
    if (ev->anonymous) {
        return; /* anonymous FTP has no credentials to steal */
    }
    int64_t fw = (int64_t)d->cfg.fail_window * 1000000;
    struct ipstate *ip = NULL;

    if (ev->action == FA_ACT_LOGIN && ev->outcome == FA_OUT_FAILURE) {
        d->totals.failed_logins++;
        ip = ip_state(d, ev->ip, k->ih);
        if (ip != NULL) {
            if (ev->time_us - ip->fail_last > fw) {
                ip->fail_count = 0;
                ip->fail_first = ev->time_us;
                ip->first_fail.file = event_file(d, ev->file);
                ip->first_fail.line = ev->line;
            }
            ip->fail_count++;
            ip->fails_total++;
            ip->fail_last = ev->time_us;
            if (k->uh != ip->last_user) {
                ip->users_failed++;
                ip->last_user = k->uh;
            }
        }
        if (ev->user.len > 0) {
            struct account *a = get_account(d, ev, k);
            if (ev->time_us - a->fail_last > fw) {
                a->fail_count = 0;
            }
            a->fail_count++;
            a->fail_last = ev->time_us;
        }
        return;
    }
    bool login = ev->action == FA_ACT_LOGIN && ev->outcome == FA_OUT_SUCCESS;
    bool fileop = ev->action >= FA_ACT_UPLOAD && ev->action <= FA_ACT_CHMOD;
    if ((!login && !fileop) || ev->user.len == 0) {
        return;
    }
    if (login) {
        ip = ip_state(d, ev->ip, k->ih);
    }
    /* Most events belong to the session of the event before (the same
     * account and address, by the keys the maps use). */
    struct session *s = d->last;
    struct account *a;
    if (s != NULL && s->acct->id == k->id && s->iphash == k->ih) {
        a = s->acct;
    } else if (ev->host.len == 0 && d->by_user.n > 0) {
        /* A host-less line may go to the account its user has on a named
         * host: the account first, its id keys the session. */
        a = get_account(d, ev, k);
        s = fa_u64map_get(&d->open, a->id ^ (k->ih * 31));
    } else {
        /* The account's id is the event's: the session first, as most
         * events go on with one, and then the accounts' map is not
         * looked up (nor, for a file operation, the account's record
         * read). */
        s = fa_u64map_get(&d->open, k->id ^ (k->ih * 31));
        a = s != NULL ? s->acct : get_account(d, ev, k);
    }
    if (s != NULL &&
        ev->time_us - s->end > (int64_t)d->cfg.session_gap * 1000000) {
        /* Idle too long: that session ended; the sweep takes it. */
        sweep(d, false);
        s = NULL;
    }
    if (s == NULL) {
        s = open_session(d, a, ev, k->ih);
    }
    d->last = s;
    if (ev->time_us > s->end) {
        s->end = ev->time_us;
    }
    if (login) {
        d->totals.logins++;
        if (!s->login_ok) {
            s->login_ok = true;
            s->login_ev.file = event_file(d, ev->file);
            s->login_ev.line = ev->line;
            /* Failures from this address (or on this account) in the
             * window before this success. */
            uint32_t fails = 0;
            if (ip != NULL && ev->time_us - ip->fail_last <= fw) {
                fails = ip->fail_count;
            }
            if (ev->time_us - a->fail_last <= fw && a->fail_count > fails) {
                fails = a->fail_count;
            }
            s->fails = fails;
            if (ip != NULL) {
                ip->fail_count = 0;
                ip->successes++;
            }
            a->fail_count = 0;
        }
        note_login(a, s);
        if (ip != NULL && !fa_u64set_has(&a->ips, s->iphash)) {
            if (ip->nnew >= ip->capnew && ip->capnew < RECENT) {
                /* From 2: most addresses are new to their owner's
                 * account only. */
                fa_newacct_reserve(ip, ip->capnew ? ip->capnew * 2u : 2u);
            }
            struct recent *e = &ip->newacct[ip->nnew % RECENT];
            bool again = false;
            for (size_t i = 0; i < RECENT && i < ip->nnew && !again; i++) {
                again = ip->newacct[i].key == a->id &&
                        ev->time_us - ip->newacct[i].t < fw;
            }
            if (!again) {
                ip->nnew++;
                e->t = ev->time_us;
                e->key = a->id;
            }
        }
        return;
    }
    if (s->nops >= SESSION_OPS || s->pool_bytes >= SESSION_BYTES) {
        continue_session(d, s, ev);
    }
    if (!s->login_ok && s->nops == 0) {
        /* Transfer-only logs: the first operation stands for the login. */
        s->login_ev.file = event_file(d, ev->file);
        s->login_ev.line = ev->line;
        note_login(a, s);
    }
    add_op(d, s, ev, k);
}

void fa_detect_event(struct fa_detect *d, const struct fa_event *ev)
{
    struct fa_prepared k;
    fa_detect_prepare(d, ev, &k);
    detect_event(d, ev, &k);
}

void fa_detect_event_prepared(struct fa_detect *d, const struct fa_event *ev,
                              const struct fa_prepared *k)
{
    detect_event(d, ev, k);
}

/* Brute-force findings in the order of their first failure, then of the
 * address: not in the address map's, which follows the key hash. */
static int cmp_first_fail(const void *x, const void *y)
{
    const struct ipstate *a = *(const struct ipstate *const *)x;
    const struct ipstate *b = *(const struct ipstate *const *)y;
    if (a->fail_first != b->fail_first) {
        return a->fail_first < b->fail_first ? -1 : 1;
    }
    return strcmp(a->ip, b->ip);
}

void fa_detect_finish(struct fa_detect *d)
{
    sweep(d, true);
    /* Brute force without success: information per address. */
    struct ipstate **brute = NULL;
    size_t nbrute = 0, capbrute = 0;
    for (uint32_t i = 0; i < d->ips.cap; i++) {
        struct ipstate *ip = d->ips.e[i].val;
        if (d->ips.e[i].key == 0 || ip == NULL || ip->brute_reported ||
            ip->fails_total < (uint64_t)d->cfg.fail_on_brute ||
            ip->successes > 0) {
            continue;
        }
        grow((void **)&brute, &capbrute, nbrute + 1, sizeof(*brute));
        brute[nbrute++] = ip;
    }
    if (nbrute > 1) {
        qsort(brute, nbrute, sizeof(*brute), cmp_first_fail);
    }
    for (size_t i = 0; i < nbrute; i++) {
        struct ipstate *ip = brute[i];
        ip->brute_reported = true;
        struct fa_finding *f = fa_detect_new_finding(d);
        f->rule = "brute-force";
        f->verdict = "brute force without success";
        f->severity = FA_SEV_INFO;
        f->score = 0;
        f->user = xstrndup("", 0);
        f->host = xstrndup("", 0);
        f->ip = xstrndup(ip->ip, strlen(ip->ip));
        if (d->geo != NULL) {
            struct fa_geo_result g;
            fa_geo_lookup(d->geo, ip->ip, &g);
            memcpy(f->country, g.country, 3);
            f->asn = g.asn;
            f->as_org = xstrndup(g.as_org, strlen(g.as_org));
        }
        f->first_us = ip->fail_first;
        f->last_us = ip->fail_last;
        f->failures = ip->fails_total;
        char r[200];
        snprintf(r, sizeof(r), "%llu failed logins (%llu user name changes) "
                               "and no successful one",
                 (unsigned long long)ip->fails_total,
                 (unsigned long long)ip->users_failed);
        add_reason(f, r);
        f->rules[f->nrules++] = "brute-force";
        add_evidence(f, ip->first_fail.file, ip->first_fail.line);
        fa_detect_keep_finding(d);
    }
    free(brute);
    d->totals.accounts = d->nacct;
    d->totals.addresses = d->ips.n;
}

void fa_detect_mark_reported(struct fa_detect *d)
{
    for (size_t i = 0; i < d->nfind; i++) {
        d->fref[i].reported = true;
    }
}

size_t fa_detect_nfindings(const struct fa_detect *d)
{
    return d->nfind;
}

void fa_detect_finding_rank(const struct fa_detect *d, size_t i,
                            struct fa_finding_rank *out)
{
    const struct finding_ref *r = &d->fref[i];
    out->score = r->score;
    out->severity = (enum fa_severity)r->severity;
    out->reported = r->reported;
    out->first_us = r->first_us;
}

const struct fa_finding *fa_detect_finding(struct fa_detect *d, size_t i)
{
    fa_finding_clear(&d->view);
    d->viewbuf.n = 0;
    if (fa_detect_spooled(d, i, &d->viewbuf) != 0 ||
        !fa_finding_unpack(d, d->viewbuf.p, d->viewbuf.n, &d->view)) {
        /* The spool is this process's own file: only a failing disk
         * gets here.  Say so in the finding rather than drop it. */
        fa_finding_clear(&d->view);
        d->view.rule = "spool-error";
        d->view.verdict = "finding lost: the temporary spool file could "
                          "not be read";
        d->view.user = calloc(1, 1);
        d->view.host = calloc(1, 1);
        d->view.as_org = calloc(1, 1);
        if (d->view.user == NULL || d->view.host == NULL ||
            d->view.as_org == NULL) {
            abort();
        }
        d->view.severity = (enum fa_severity)d->fref[i].severity;
        d->view.score = d->fref[i].score;
        d->view.first_us = d->view.last_us = d->fref[i].first_us;
    }
    d->view.reported = d->fref[i].reported;
    return &d->view;
}

size_t fa_detect_naccounts(const struct fa_detect *d)
{
    return d->nacct;
}

void fa_detect_account_rank(const struct fa_detect *d, size_t i, int *risk,
                            const char **user, const char **host)
{
    const struct account *a = d->acct_list[i];
    *risk = a->risk;
    *user = a->user;
    *host = a->host;
}

static int cmp_count(const void *x, const void *y)
{
    const struct count_entry *a = x, *b = y;
    return (a->count < b->count) - (a->count > b->count);
}

void fa_detect_account(const struct fa_detect *d, size_t i,
                       struct fa_account_summary *out)
{
    const struct account *a = d->acct_list[i];
    memset(out, 0, sizeof(*out));
    out->host = a->host;
    out->user = a->user;
    out->risk = a->risk;
    out->severity = a->severity;
    out->verdict = a->nfindings ? fa_detect_verdict(a->severity)
                                : "no compromise seen";
    out->nfindings = a->nfindings;
    out->sessions = a->sessions;
    out->first_us = a->first_us;
    out->last_us = a->last_us;
    struct count_entry tmp[8];
    memcpy(tmp, a->ccount, sizeof(tmp));
    qsort(tmp, 8, sizeof(tmp[0]), cmp_count);
    for (size_t k = 0; k < 8 && tmp[k].count; k++) {
        memcpy(out->countries[out->ncountries++], tmp[k].text, 3);
    }
    memcpy(tmp, a->ncount, sizeof(tmp));
    qsort(tmp, 8, sizeof(tmp[0]), cmp_count);
    for (size_t k = 0; k < 8 && tmp[k].count; k++) {
        memcpy(out->networks[out->nnetworks++], tmp[k].text, 48);
    }
    size_t kept = a->nrecent < FA_TIMELINE_MAX ? a->nrecent : FA_TIMELINE_MAX;
    size_t first = a->nrecent - kept;
    for (size_t k = 0; k < kept; k++) {
        out->timeline[out->ntimeline++] =
            &a->recent_sessions[(first + k) % FA_TIMELINE_MAX];
    }
    memcpy(out->hours, a->hours24, sizeof(out->hours));
    memcpy(out->weekdays, a->wdays, sizeof(out->weekdays));
}

void fa_detect_totals(const struct fa_detect *d, struct fa_detect_totals *t)
{
    *t = d->totals;
    t->accounts = d->nacct;
    t->addresses = d->ips.n;
}

void fa_detect_destroy(struct fa_detect *d)
{
    if (d == NULL) {
        return;
    }
    for (size_t i = 0; i < d->nsess; i++) {
        free_session(NULL, d->sess_list[i]);
    }
    for (size_t i = 0; i < d->nspare; i++) {
        free_session(NULL, d->spare[i]);
    }
    free(d->sess_list);
    fa_u64map_free(&d->open);
    for (size_t i = 0; i < d->nacct; i++) {
        struct account *a = d->acct_list[i];
        fa_u64set_free(&a->ips);
        fa_u64set_free(&a->net_narrow);
        fa_u64set_free(&a->net_wide);
        fa_u64set_free(&a->countries);
        fa_u64set_free(&a->asns);
        free(a->fileprints);
        free(a->recent_sessions);
        free(a->host);
        free(a->user);
        free(a);
    }
    free(d->acct_list);
    fa_u64map_free(&d->accounts);
    fa_u64map_free(&d->by_user);
    for (uint32_t i = 0; i < d->ips.cap; i++) {
        struct ipstate *ip = d->ips.e[i].val;
        if (ip != NULL) {
            free(ip->newacct);
            free(ip);
        }
    }
    fa_u64map_free(&d->ips);
    for (uint32_t i = 0; i < d->files.cap; i++) {
        free(d->files.e[i].val);
    }
    fa_u64map_free(&d->files);
    fa_u64map_free(&d->fetched_map);
    fa_u64map_free(&d->file_at);
    free(d->fetched);
    free(d->ophash);
    fa_finding_clear(&d->pending);
    fa_finding_clear(&d->view);
    free(d->fref);
    free(d->spool_mem.p);
    free(d->spool_out.p);
    free(d->viewbuf.p);
    if (d->spool_fd >= 0) {
        close(d->spool_fd);
    }
    free(d);
}
