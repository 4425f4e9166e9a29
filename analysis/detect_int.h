/*
 * Detector internals shared by detect.c (sessions, baselines) and rules.c
 * (the rule table).  Not part of the public contract.
 */
#ifndef FA_ANALYSIS_DETECT_INT_H
#define FA_ANALYSIS_DETECT_INT_H

#include <string.h>

#include "detect.h"
#include "hashset.h"

#define RECENT 16      /* recent logins kept per account / address */

struct recent {
    int64_t t;
    uint64_t key;      /* address hash, or account id */
    char country[3];
};

struct count_entry {
    char text[48];
    uint32_t count;
};

struct account {
    /* What most events touch, first (one cache line). */
    uint64_t id;
    char *host, *user;
    int64_t first_us;
    int64_t fail_first, fail_last;
    uint32_t fail_count;          /* current streak of failed logins */
    size_t nlogins;
    struct fa_u64set ips, net_narrow, net_wide, countries, asns;
    /* Web files and scripts it wrote or fetched (the paths the rules ask
     * about): 32-bit prints of their hashes in a table of fileslots,
     * FILE_WAYS to a bucket, most recently used first.  It doubles from
     * FILE_SLOTS_MIN as it fills, up to FILE_SLOTS; then a path unused
     * longest gives way, so a site of any size and a log of any length
     * cost at most FILE_SLOTS prints. */
    uint32_t *fileprints;
    uint32_t fileslots, filefill;
    uint32_t how[168];            /* sessions per local hour of week */
    uint64_t sessions;            /* judged sessions with a login/activity */
    uint64_t changed_sum;         /* files changed over all sessions */
    int64_t last_us;
    struct recent logins[RECENT]; /* successful logins, ring (nlogins) */
    struct count_entry ccount[8], ncount[8];
    uint32_t hours24[24], wdays[7];
    struct fa_session_summary *recent_sessions; /* ring, for timelines */
    size_t nrecent, caprecent;
    /* report */
    int risk;
    enum fa_severity severity;
    size_t nfindings;
};

struct op {
    /* 64 bytes: a session's operations are written as its events come
     * and read again when it is judged, most of the detector's traffic
     * to memory. */
    int64_t t;
    int64_t bytes;
    char *path, *path2;
    const char *file;
    uint64_t line;
    uint32_t len, len2;   /* of path and path2 (len2 0 without path2) */
    /* fa_file_print of path's key hash (seed 5), 0: not taken.  Taken
     * when the event is prepared, while its text is at hand, so that
     * judging a session reads its names only for findings. */
    uint32_t print;
    uint8_t action;       /* enum fa_action */
    uint8_t outcome;      /* enum fa_outcome */
    uint8_t kind, kind2;  /* fa_path_kind of path and path2, 0: not taken */
};
_Static_assert(sizeof(void *) != 8 || sizeof(struct op) == 64,
               "struct op: one cache line");

/* The path hash (seed 5) of operation i's path, or of path2 when second
 * (v1: the detector's keys are fa_hash_v1's), taken once per judged
 * session into hash[2 * i + second] (0: not yet). */
static inline uint64_t fa_op_hash(uint64_t *hash, size_t i,
                                  const struct op *o, bool second, bool v1)
{
    uint64_t *h = &hash[2 * i + second];
    const char *p = second ? o->path2 : o->path;
    if (*h == 0 && p != NULL) {
        *h = fa_key_hash(v1, p, second ? o->len2 : o->len, 5);
    }
    return *h;
}

/* What a path is to the file rules, found once per operation: a web
 * file, a script, a server configuration file (.htaccess, .user.ini). */
enum {
    FA_PK_WEB = 1,
    FA_PK_SCRIPT = 2,
    FA_PK_CONFIG = 4,
    FA_PK_TAKEN = 0x80,   /* set on every computed kind */
};
uint8_t fa_path_kind(const struct fa_config *cfg, const char *path);
struct fa_detect;
/* The same, faster (one pass over the name, no case folding per listed
 * extension); path is n bytes without NUL. */
uint8_t fa_detect_path_kind(const struct fa_detect *d, const char *path,
                            size_t n);

/* The kind of o's path (or path2 when second). */
static inline uint8_t fa_op_kind(const struct fa_config *cfg,
                                 const struct op *o, bool second)
{
    uint8_t k = second ? o->kind2 : o->kind;
    const char *p = second ? o->path2 : o->path;
    if (k == 0 && p != NULL) {
        k = fa_path_kind(cfg, p);
    }
    return k;
}

/* Text of a session's operations: paths are copied in blocks that are
 * freed with the session, not one malloc each. */
struct pool_block {
    struct pool_block *next;
    size_t used, cap;
    char data[];
};

struct session {
    /* What each of its events touches, first. */
    struct account *acct;
    uint64_t iphash;
    int64_t start, end;
    struct op *ops;
    size_t nops, capops;
    struct pool_block *pool;  /* newest first */
    size_t pool_bytes;        /* taken by its blocks */
    bool login_ok;
    uint32_t fails;
    int32_t utc_offset;
    char ip[48];
    struct fa_geo_result geo;
    char as_org[96];
    struct fa_evidence login_ev;
};

struct ipstate {
    /* What a failed or successful login touches, first. */
    int64_t fail_first, fail_last;
    uint32_t fail_count;     /* current streak */
    uint64_t fails_total, successes;
    uint64_t users_failed;   /* distinct-ish: count of user changes */
    uint64_t last_user;
    struct fa_evidence first_fail;
    /* Accounts it was new to: a ring of RECENT once full, grown from
     * nothing (most addresses of a large log only ever fail, and most
     * others are new to one account). */
    struct recent *newacct;
    uint8_t capnew;
    size_t nnew;
    char ip[48];
    bool brute_reported;     /* its info finding went out (state files) */
};

#define SPOOL_BLOCK (256 * 1024) /* findings' bytes written at once */
#define MAX_OPS 100000    /* file operations a state file may hold */
/* A session that never goes idle (a robot uploading all day from one
 * address, in a log without logouts) is judged in parts of this many
 * operations or bytes of names, so what one open session holds stays
 * bounded whatever the length of the log. */
#define SESSION_OPS 4096
#define SESSION_BYTES (4u << 20)
#define SPARE_SESSIONS 256 /* ended sessions kept for reuse */

/* Growing bytes (the state file's and the findings spool's records). */
struct fa_bytes {
    char *p;
    size_t n, cap;
};

/* Write all n bytes to fd (again after EINTR); false on an error. */
bool fa_write_all(int fd, const void *buf, size_t n);

/* Append n bytes (doubling from 64 KiB; aborts when memory runs out). */
void fa_bytes_add(struct fa_bytes *b, const void *p, size_t n);

/* A finding kept in the spool: what ranking and the exit status need
 * stays in memory, the rest (reasons, files, evidence) is on disk. */
struct finding_ref {
    uint64_t off;       /* in the spool file (from spool_size on: in
                           spool_out, not written yet), or in spool_mem */
    uint32_t len;
    bool in_mem;        /* the spool file could not take it */
    bool reported;
    uint8_t severity;
    int32_t score;
    int64_t first_us;
};
#define FILE_SLOTS 1024   /* remembered paths per account (4 KB) */
#define FILE_SLOTS_MIN 64
#define FILE_WAYS 8

/* The print of a path hash; folding a print again gives the same print
 * (state files store prints). */
static inline uint32_t fa_file_print(uint64_t h)
{
    return (uint32_t)(h ^ (h >> 32)) | 1u;
}

/* The print of operation i's path (or path2 when second): what the
 * account's remembered files and the session's index of fetched paths
 * compare. */
static inline uint32_t fa_op_print(uint64_t *hash, size_t i,
                                   const struct op *o, bool second, bool v1)
{
    if (!second && o->print != 0) {
        return o->print;
    }
    return fa_file_print(fa_op_hash(hash, i, o, second, v1));
}

/* A copy of the C string p in the session's pool, as its operations'
 * names are kept (valid UTF-8); its length in *length. */
char *fa_session_text(struct session *s, const char *p, uint32_t *length);

/* Room for n entries in the address's ring of accounts it was new to. */
void fa_newacct_reserve(struct ipstate *ip, size_t n);

/* Room for n sessions in the account's timeline (at most
 * FA_TIMELINE_MAX, the ring's size once full). */
void fa_timeline_reserve(struct account *a, size_t n);

/* Whether the account wrote or fetched the path (hash, seed 5) before. */
bool fa_account_knows(const struct account *a, uint64_t h);

/* Remember a path (hash, seed 5, or a print); in a full bucket the path
 * unused longest is forgotten. */
void fa_account_learn_file(struct account *a, uint64_t h);
/* Before learning back a state file's prints: the table size they had
 * (slots, a power of two), so they come back in the same places. */
void fa_account_files_reserve(struct account *a, size_t slots);

/* The web and script extension lists together, for matching in one probe
 * (fa_detect_path_kind): each entry lower case, zero-padded to 16 bytes
 * and compared as two words, with its length and the kinds it gives, in a
 * small hash table. */
#define EXT_SLOTS 128 /* > 2 * FA_MAX_EXTS, a power of two */
struct ext_table {
    size_t n;
    uint8_t len[2 * FA_MAX_EXTS];
    uint8_t kind[2 * FA_MAX_EXTS];
    uint64_t key[2 * FA_MAX_EXTS][2];
    uint8_t slot[EXT_SLOTS]; /* open addressing: entry + 1, 0 empty */
};

struct fa_detect {
    struct fa_config cfg;
    struct ext_table exts;         /* cfg's lists, for fa_detect_path_kind */
    struct fa_geo *geo;
    bool geo_country, geo_asn;
    struct fa_u64map accounts;     /* id -> struct account */
    struct fa_u64map by_user;      /* user hash -> account with a host */
    struct account **acct_list;
    size_t nacct, capacct;
    struct fa_u64map open;         /* account id ^ address -> session */
    struct session **sess_list;    /* open sessions, for the sweep */
    struct session *last;          /* session of the last event */
    struct session *spare[SPARE_SESSIONS]; /* ended, for reuse */
    const struct op **fetched;     /* judge's index, kept for reuse */
    uint64_t *ophash;              /* judge's path hashes, 2 per op */
    size_t capfetched;             /* of both */
    struct fa_u64map fetched_map;
    size_t nspare;
    int64_t jump;                  /* a far-off stamp awaiting confirmation */
    size_t nsess, capsess;
    struct fa_u64map ips;          /* address hash -> struct ipstate */
    /* Findings go to a spool (an unlinked temporary file; memory when
     * none can be made) as they are made, so memory does not grow with
     * the length of the logs. */
    struct finding_ref *fref;
    size_t nfind, capfind;
    struct fa_finding pending;     /* being filled: new_finding .. keep */
    bool has_pending;
    int spool_fd;                  /* -1: not opened yet or none */
    bool spool_failed;             /* no file: spool_mem only */
    uint64_t spool_size;           /* written to the file */
    struct fa_bytes spool_out;     /* packed, to be written from spool_size */
    struct fa_bytes spool_mem;
    struct fa_finding view;        /* what fa_detect_finding loaded */
    struct fa_bytes viewbuf;
    struct fa_u64map files;        /* interned evidence file names */
    const char *intern_key;        /* last name asked for (the event's) */
    const char *intern_val;        /* and its interned copy */
    /* fa_detect_stable_files: events' names by address, and the last. */
    bool stable_files;
    struct fa_u64map file_at;      /* address -> interned copy */
    const char *file_key, *file_val;
    int64_t now, last_sweep;
    struct fa_detect_totals totals;
    /* Keys (account ids, address, network, path, country and ASN hashes)
     * are fa_hash_v1's: the baselines came from a version-1 state file. */
    bool hash_v1;
    uint64_t no_host[2];           /* the key hash of "" (seed 1), v2, v1 */
};

/* The session's downloads put back by an upload within reupload_window
 * (rules.c works it out once for the rules that ask). */
struct fa_reup {
    bool done;
    uint32_t count, larger;
    int64_t first, last;          /* first fetch, last upload */
    int64_t grew_min, grew_max;   /* bytes added, over the larger ones */
};

/* What a rule sees when a session is judged. */
struct rule_ctx {
    const struct fa_config *cfg;
    struct session *s;
    struct account *a;
    struct ipstate *ip;
    bool established;        /* past the learning period */
    bool hash_v1;            /* the detector's keys are fa_hash_v1's */
    bool geo_country, geo_asn;
    /* Derived once for all rules. */
    uint64_t net_narrow, net_wide;
    bool new_ip, new_narrow, new_wide;
    /* Per operation: the successful download of the same path earlier in
     * the session (NULL for none, and for the downloads themselves). */
    const struct op **fetched;
    uint64_t *hash;          /* for fa_op_hash, 2 per operation */
    struct fa_reup *reup;    /* done false until a rule asks */
};

enum rule_class { CLASS_NOVELTY, CLASS_CORRELATION, CLASS_ACTION };

struct fa_rule {
    const char *id;
    const char *name;
    const char *description;
    const char *technique;   /* MITRE ATT&CK id */
    enum rule_class cls;
    int weight;              /* default */
    /* Fires: returns true and writes one reason (plain words). */
    bool (*judge)(const struct rule_ctx *c, char *reason, size_t size);
};

extern const struct fa_rule fa_rules[];
extern const size_t fa_nrules;

/* Helpers shared with state.c. */
const char *fa_detect_verdict(enum fa_severity s);
const char *fa_detect_intern(struct fa_detect *d, const char *file);
struct account *fa_detect_add_account(struct fa_detect *d, uint64_t id,
                                      const char *host, size_t hlen,
                                      const char *user, size_t ulen);
void fa_detect_add_session(struct fa_detect *d, struct session *s);
/* A finding to fill in, then keep (to the spool) or drop. */
struct fa_finding *fa_detect_new_finding(struct fa_detect *d);
void fa_detect_keep_finding(struct fa_detect *d);
void fa_detect_drop_finding(struct fa_detect *d);
/* Append finding i's spooled record to out; -1 (errno) on a read error. */
int fa_detect_spooled(const struct fa_detect *d, size_t i,
                      struct fa_bytes *out);
/* Free a finding's strings and zero it. */
void fa_finding_clear(struct fa_finding *f);
/* The spool's record of a finding (state.c, the state file's format). */
void fa_finding_pack(struct fa_bytes *out, const struct fa_finding *f);
bool fa_finding_unpack(struct fa_detect *d, const char *p, size_t n,
                       struct fa_finding *f);
struct ipstate *fa_detect_ip(struct fa_detect *d, struct fa_str ip);

/* Helpers shared with rules.c. */
bool fa_path_has_ext(const char *path, const char (*exts)[12], size_t n);
const char *fa_basename(const char *path);

#endif
