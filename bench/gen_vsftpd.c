/*
 * gen_vsftpd: write a large, realistic, deterministic FTP server log for
 * the speed benchmark (bench/run.sh).  Not part of ftpaudit itself.
 *
 * Formats (-f):
 *   vsftpd   vsftpd_log_file, vsftpd's own format (vsftpd 3.0 logging.c
 *            vsf_log_do_log_vsftpd_format), the default:
 *     Mon Jan  5 08:14:02 2026 [pid 31402] CONNECT: Client "198.51.7.23"
 *     Mon Jan  5 08:14:02 2026 [pid 31401] [jsmith] OK LOGIN: Client "198.51.7.23"
 *     Mon Jan  5 08:14:03 2026 [pid 31403] [jsmith] OK UPLOAD: Client "198.51.7.23", "/home/jsmith/public_html/index.html", 18342 bytes, 912.40Kbyte/sec
 *   xferlog  the wu-ftpd xferlog vsftpd writes with xferlog_std_format
 *            (transfers only):
 *     Mon Jan  5 08:14:03 2026 1 198.51.7.23 18342 /home/jsmith/public_html/index.html b _ i r jsmith ftp 0 * c
 *   sftp     OpenSSH sshd + internal-sftp (LogLevel INFO, sftp -l INFO) in
 *            a classic syslog file:
 *     Jan  5 08:14:02 files sshd[31402]: Accepted password for jsmith from 198.51.7.23 port 50122 ssh2
 *     Jan  5 08:14:03 files internal-sftp[31404]: close "/home/jsmith/x.pdf" bytes read 0 written 18342
 *
 * Sessions of many clients run interleaved (a pool of concurrent
 * sessions, each line comes from a random one); stamps grow monotonically
 * from --start over --days.  Accounts get Zipf-like activity, one to three
 * usual addresses and, rarely, a login from elsewhere; password guessing
 * comes from a reserved part of the address pool.  Everything derives
 * from --seed, so the same options give the same bytes.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define OUT_BUF (1u << 20)
#define POOL_SESSIONS 48
#define NAME_MAX_LEN 32
#define HOME_MAX_LEN 64
#define PATH_MAX_LEN 256
#define IP_MAX_LEN 48
#define HOST_NAME "files"

enum format {
    FMT_VSFTPD,
    FMT_XFERLOG,
    FMT_SFTP,
};

/* ---- random numbers: splitmix64 seeds xoshiro256** ---- */

struct rng {
    uint64_t s[4];
};

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++) {
        r->s[i] = splitmix(&seed);
    }
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n). */
static uint32_t rnd(struct rng *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [0, 1). */
static double rndf(struct rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* True with probability permille/1000. */
static bool chance(struct rng *r, uint32_t permille)
{
    return rnd(r, 1000) < permille;
}

#define PICK(r, arr) ((arr)[rnd((r), sizeof(arr) / sizeof((arr)[0]))])

/* ---- buffered output ---- */

struct out {
    FILE *f;
    char *buf;
    size_t len;
    bool failed;
};

static void out_flush(struct out *o)
{
    if (o->len > 0 && fwrite(o->buf, 1, o->len, o->f) != o->len) {
        o->failed = true;
    }
    o->len = 0;
}

static void put(struct out *o, const char *s, size_t n)
{
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static void put_str(struct out *o, const char *s)
{
    put(o, s, strlen(s));
}

static void putch(struct out *o, char c)
{
    o->buf[o->len++] = c;
}

static void putu(struct out *o, uint64_t v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0) {
        putch(o, tmp[--n]);
    }
}

/* A rate as vsftpd prints it ("%.2f"), from hundredths. */
static void put_rate(struct out *o, uint64_t centi)
{
    putu(o, centi / 100);
    putch(o, '.');
    putch(o, (char)('0' + centi / 10 % 10));
    putch(o, (char)('0' + centi % 10));
}

/* End of a line; the buffer is flushed when it nears its end (no line
 * here comes near the margin). */
static void endline(struct out *o)
{
    putch(o, '\n');
    if (o->len > OUT_BUF - 4096) {
        out_flush(o);
    }
}

/* ---- the world: accounts and addresses ---- */

struct account {
    char name[NAME_MAX_LEN];
    char home[HOME_MAX_LEN];
    uint32_t usual_ip[3];
    uint32_t nusual;
    uint32_t uid;
    bool pubkey;   /* sftp: logs in with a key */
};

struct world {
    struct account *acct;
    uint32_t naccts;
    double *acct_cdf;       /* Zipf-like activity */
    char (*ip)[IP_MAX_LEN];
    uint32_t nips;
    uint32_t nclient_ips;   /* [0, nclient_ips): clients; rest: attackers */
    bool ipv6_listen;       /* IPv4 shown as ::ffff:a.b.c.d */
};

static const char *const first_initials = "abcdefghijklmnoprstvwy";
static const char *const surnames[] = {
    "smith", "garcia", "muller", "rossi", "dubois", "novak", "kowalski",
    "jansen", "silva", "nguyen", "kim", "tanaka", "schmidt", "martin",
    "bernard", "lopez", "peeters", "hansen", "berg", "weber", "fischer",
    "moreau", "ricci", "costa", "santos", "ivanov", "popescu", "horvat",
    "nielsen", "larsen", "walker", "wright", "baker", "turner", "clarke",
    "patel", "shah", "khan", "ali", "chen", "wang", "li", "zhang", "sato",
    "suzuki", "oconnor", "murphy", "kelly", "byrne", "ryan", "evans",
    "thomas", "roberts", "lewis", "young", "hall", "allen", "king", "scott",
};
static const char *const companies[] = {
    "acme", "globex", "initech", "umbrella", "stark", "wayne", "hooli",
    "vandelay", "wonka", "tyrell", "cyberdyne", "soylent", "aperture",
    "oscorp", "gringotts", "monarch", "pied", "dunder", "kramerica",
    "bluth", "prestige", "sterling", "nakatomi", "massive", "duff",
};
static const char *const roles[] = {
    "backup", "deploy", "upload", "scanner", "printer", "camera", "erp",
    "sync", "export", "import", "reports", "media", "edi", "feeds", "www",
};

/* Open-addressing set of names, to keep account names unique. */
struct nameset {
    const char **slot;
    size_t mask;
};

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    while (*s) {
        h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
    }
    return h;
}

/* Insert; false when the name is taken already. */
static bool nameset_add(struct nameset *ns, const char *name)
{
    size_t i = (size_t)fnv(name) & ns->mask;
    while (ns->slot[i] != NULL) {
        if (strcmp(ns->slot[i], name) == 0) {
            return false;
        }
        i = (i + 1) & ns->mask;
    }
    ns->slot[i] = name;
    return true;
}

static void make_name(struct rng *r, char *dst)
{
    uint32_t k = rnd(r, 100);
    if (k < 55) {
        snprintf(dst, NAME_MAX_LEN, "%c%s",
                 first_initials[rnd(r, (uint32_t)strlen(first_initials))],
                 PICK(r, surnames));
    } else if (k < 75) {
        snprintf(dst, NAME_MAX_LEN, "web_%s%u", PICK(r, companies),
                 rnd(r, 100));
    } else if (k < 88) {
        snprintf(dst, NAME_MAX_LEN, "%s%02u", PICK(r, surnames),
                 rnd(r, 100));
    } else {
        snprintf(dst, NAME_MAX_LEN, "%s-%s", PICK(r, roles),
                 PICK(r, companies));
    }
}

static void make_ipv4(struct rng *r, char *dst)
{
    uint32_t a;
    do {
        a = 1 + rnd(r, 223);
    } while (a == 10 || a == 127 || a == 0 || a == 169 || a == 172 ||
             a == 192 || a == 100);
    snprintf(dst, IP_MAX_LEN, "%u.%u.%u.%u", a, rnd(r, 256), rnd(r, 256),
             1 + rnd(r, 254));
}

static void make_ipv6(struct rng *r, char *dst)
{
    static const char *const prefixes[] = {
        "2a02:8108", "2a01:cb00", "2001:4860", "2604:a880", "2a00:1450",
        "2003:e2", "2401:4900", "2a0d:5600",
    };
    /* Two groups of prefix, six more: a full address, as vsftpd and
     * sshd print it when no group is zero. */
    snprintf(dst, IP_MAX_LEN, "%s:%x:%x:%x:%x:%x:%x", PICK(r, prefixes),
             1 + rnd(r, 0xffff), 1 + rnd(r, 0xffff), 1 + rnd(r, 0xffff),
             1 + rnd(r, 0xffff), 1 + rnd(r, 0xffff), 1 + rnd(r, 0xfffe));
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (p == NULL) {
        fprintf(stderr, "gen_vsftpd: out of memory\n");
        exit(1);
    }
    return p;
}

static void world_init(struct world *w, struct rng *r, uint32_t naccts,
                       uint32_t nips, double skew)
{
    w->naccts = naccts;
    w->nips = nips;
    /* The last 5% of addresses (at least one) only ever guess passwords. */
    w->nclient_ips = nips - (nips / 20 > 0 ? nips / 20 : 1);
    w->ip = xcalloc(nips, sizeof(*w->ip));
    for (uint32_t i = 0; i < nips; i++) {
        if (chance(r, 60)) {
            make_ipv6(r, w->ip[i]);
        } else {
            make_ipv4(r, w->ip[i]);
        }
    }

    w->acct = xcalloc(naccts, sizeof(*w->acct));
    struct nameset ns;
    size_t cap = 16;
    while (cap < (size_t)naccts * 2) {
        cap *= 2;
    }
    ns.slot = xcalloc(cap, sizeof(*ns.slot));
    ns.mask = cap - 1;
    for (uint32_t i = 0; i < naccts; i++) {
        struct account *a = &w->acct[i];
        make_name(r, a->name);
        for (uint32_t k = 2; !nameset_add(&ns, a->name); k++) {
            char base[NAME_MAX_LEN];
            make_name(r, base);
            snprintf(a->name, sizeof(a->name), "%.24s%u", base, k);
        }
        uint32_t h = rnd(r, 10);
        snprintf(a->home, sizeof(a->home), "%s/%s",
                 h < 7 ? "/home" : h < 9 ? "/srv/ftp" : "/var/www", a->name);
        a->nusual = 1 + rnd(r, 3);
        for (uint32_t k = 0; k < a->nusual; k++) {
            a->usual_ip[k] = rnd(r, w->nclient_ips);
        }
        a->uid = 1001 + i;
        a->pubkey = chance(r, 300);
    }
    free(ns.slot);

    /* Activity ~ 1/rank^skew: a few busy accounts (robots that upload
     * all day), a long quiet tail. */
    w->acct_cdf = xcalloc(naccts, sizeof(double));
    double sum = 0;
    for (uint32_t i = 0; i < naccts; i++) {
        sum += 1.0 / pow(i + 1.0, skew);
        w->acct_cdf[i] = sum;
    }
    for (uint32_t i = 0; i < naccts; i++) {
        w->acct_cdf[i] /= sum;
    }
}

static uint32_t pick_account(const struct world *w, struct rng *r)
{
    double u = rndf(r);
    uint32_t lo = 0, hi = w->naccts - 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (w->acct_cdf[mid] < u) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* ---- file names and sizes ---- */

struct ftype {
    const char *ext;
    double lo, hi;   /* size range, bytes (log-uniform) */
};

static const struct ftype ftypes[] = {
    {".html", 800, 90e3},      {".php", 300, 60e3},
    {".css", 500, 200e3},      {".js", 400, 900e3},
    {".jpg", 20e3, 6e6},       {".png", 2e3, 3e6},
    {".pdf", 30e3, 25e6},      {".csv", 200, 80e6},
    {".xlsx", 8e3, 12e6},      {".docx", 10e3, 8e6},
    {".zip", 50e3, 900e6},     {".tar.gz", 100e3, 2.5e9},
    {".sql.gz", 40e3, 3e9},    {".txt", 10, 400e3},
    {".xml", 500, 30e6},       {".mp4", 2e6, 1.8e9},
};

static const char *const dirs[] = {
    "public_html", "public_html/images", "public_html/css",
    "public_html/js", "public_html/wp-content/uploads/2026/01", "backup",
    "backup/db", "uploads", "incoming", "outgoing", "data/2026",
    "reports/q1", "invoices", "logs", "media/video", "shared/Projects",
    "edi/in", "edi/out",
};

static const char *const words[] = {
    "index", "about", "contact", "style", "app", "logo", "banner", "photo",
    "invoice", "report", "export", "backup", "dump", "orders", "customers",
    "price_list", "catalog", "newsletter", "readme", "config", "feed",
    "stock", "payroll", "scan", "offer", "contract", "slides", "main",
    "header", "footer", "gallery", "thumb", "products", "sitemap",
};

static const char *const spaced[] = {
    "Annual Report", "Meeting notes", "Price list", "Copy of invoice",
    "New folder", "Final version", "Q1 results",
};

/* Write a file path under home into dst; returns the type used. */
static const struct ftype *make_path(struct rng *r, const char *home,
                                     char *dst)
{
    const struct ftype *t = &PICK(r, ftypes);
    const char *dir = PICK(r, dirs);
    uint32_t k = rnd(r, 100);
    if (k < 35) {
        snprintf(dst, PATH_MAX_LEN, "%s/%s/%s%s", home, dir,
                 PICK(r, words), t->ext);
    } else if (k < 80) {
        snprintf(dst, PATH_MAX_LEN, "%s/%s/%s_%u%s", home, dir,
                 PICK(r, words), rnd(r, 100000), t->ext);
    } else if (k < 96) {
        snprintf(dst, PATH_MAX_LEN, "%s/%s/%s-2026-%02u-%02u%s", home, dir,
                 PICK(r, words), 1 + rnd(r, 12), 1 + rnd(r, 28), t->ext);
    } else {
        snprintf(dst, PATH_MAX_LEN, "%s/%s/%s %u%s", home, dir,
                 PICK(r, spaced), 1 + rnd(r, 9), t->ext);
    }
    return t;
}

static uint64_t make_size(struct rng *r, const struct ftype *t)
{
    double l = log(t->lo), h = log(t->hi);
    return (uint64_t)exp(l + (h - l) * rndf(r));
}

/* ---- sessions ---- */

enum skind {
    S_NORMAL,    /* an account's own session */
    S_STRANGER,  /* an account logging in from an unusual address */
    S_BRUTE,     /* password guessing, sometimes successful */
    S_ANON,      /* anonymous FTP downloads */
    S_REFUSED,   /* CONNECT refused (too many sessions) */
};

enum op {
    OP_DOWNLOAD,
    OP_UPLOAD,
    OP_DELETE,
    OP_MKDIR,
    OP_RENAME,
    OP_RMDIR,
    OP_CHMOD,
};

struct session {
    enum skind kind;
    int step;
    bool live;
    const char *user;
    const struct account *acct;  /* NULL: no such account */
    const char *ip;
    uint32_t pid;          /* pre-login child (vsftpd) / sshd (sftp) */
    uint32_t port;
    int fails_left;        /* failed logins still to write */
    int conn_fails;        /* in this connection (vsftpd drops at 3) */
    bool succeeds;         /* brute force: ends with a real login */
    int ops_left;
    /* the operation in progress (sftp writes two lines for a transfer) */
    enum op op;
    int op_step;
    bool op_failed;
    uint64_t bytes;
    char path[PATH_MAX_LEN];
    char path2[PATH_MAX_LEN];
};

struct gen {
    struct world w;
    struct rng r;
    struct out o;
    enum format fmt;
    struct session pool[POOL_SESSIONS];
    uint32_t spray;        /* sessions per 1000 that are password spraying */
    uint32_t spray_next;   /* the address the next spraying session uses */
    uint32_t next_pid;
    /* current line's stamp, formatted once per second */
    int64_t now;
    int64_t stamp_for;
    char stamp[32];
    size_t stamp_len;
};

static const char *const dictionary[] = {
    "admin", "root", "test", "ftp", "user", "oracle", "guest", "www",
    "administrator", "web", "backup", "ftpuser", "support", "info", "mysql",
    "postgres", "ubuntu", "pi", "git", "deploy", "upload", "test1", "demo",
    "office", "sales", "webmaster", "nagios", "ftp1", "data", "user1",
};

static const char *const anon_passwords[] = {
    "mozilla@example.com", "IEUser@", "anonymous@", "lftp@", "-wget@",
    "guest", "chrome@example.com", "ftp@example.com",
};

static uint32_t new_pid(struct gen *g)
{
    /* vsftpd forks a pre-login child, its privileged parent logs the
     * login (pid - 1), a new child runs the session (pid + 1). */
    g->next_pid += 3 + rnd(&g->r, 40);
    if (g->next_pid > 4190000) {
        g->next_pid = 1200 + rnd(&g->r, 1000);
    }
    return g->next_pid;
}

static void session_start(struct gen *g, struct session *s)
{
    struct rng *r = &g->r;
    memset(s, 0, sizeof(*s));
    s->live = true;
    uint32_t k = rnd(r, 1000);
    if (g->fmt == FMT_XFERLOG) {
        /* xferlog has transfers only: no guessing, no refusals. */
        k = k < 970 ? 0 : 960;
    } else if (g->fmt == FMT_SFTP && k >= 955 && k < 985) {
        /* No anonymous SFTP. */
        k = 0;
    }
    if (g->spray > 0 && g->fmt != FMT_XFERLOG && rnd(r, 1000) < g->spray) {
        /* A botnet spraying passwords: each session from the next
         * address of the world, so every address shows up once before
         * any comes back; a few guesses each, none right. */
        s->kind = S_BRUTE;
        s->ip = g->w.ip[g->spray_next];
        g->spray_next = (g->spray_next + 1) % g->w.nips;
        s->user = chance(r, 20) ? g->w.acct[rnd(r, g->w.naccts)].name
                                : PICK(r, dictionary);
        s->fails_left = 1 + (int)rnd(r, 3);
        s->pid = new_pid(g);
        s->port = 1024 + rnd(r, 64000);
        return;
    }
    if (k < 860) {
        s->kind = S_NORMAL;
    } else if (k < 880) {
        s->kind = S_STRANGER;
    } else if (k < 955) {
        s->kind = S_BRUTE;
    } else if (k < 985) {
        s->kind = S_ANON;
    } else {
        s->kind = S_REFUSED;
    }
    const struct world *w = &g->w;
    switch (s->kind) {
    case S_NORMAL:
    case S_STRANGER:
        s->acct = &w->acct[pick_account(w, r)];
        s->user = s->acct->name;
        s->ip = s->kind == S_NORMAL
                    ? w->ip[s->acct->usual_ip[rnd(r, s->acct->nusual)]]
                    : w->ip[rnd(r, w->nclient_ips)];
        /* A mistyped password now and then. */
        s->fails_left = chance(r, 80) ? 1 + (int)rnd(r, 2) : 0;
        s->ops_left = 1 + (int)(-log(1.0 - rndf(r)) * 9.0);
        if (s->ops_left > 400) {
            s->ops_left = 400;
        }
        break;
    case S_BRUTE:
        s->ip = w->ip[w->nclient_ips + rnd(r, w->nips - w->nclient_ips)];
        if (chance(r, 500)) {
            s->acct = &w->acct[rnd(r, w->naccts)];
            s->user = s->acct->name;
            s->succeeds = chance(r, 60);
        } else {
            s->user = PICK(r, dictionary);
        }
        s->fails_left = 3 + (int)rnd(r, 40);
        s->ops_left = s->succeeds ? 2 + (int)rnd(r, 6) : 0;
        break;
    case S_ANON:
        s->user = "ftp";
        s->ip = w->ip[rnd(r, w->nclient_ips)];
        s->ops_left = 1 + (int)rnd(r, 12);
        break;
    case S_REFUSED:
        s->ip = w->ip[rnd(r, w->nips)];
        break;
    }
    s->pid = new_pid(g);
    s->port = 1024 + rnd(r, 64000);
}

/* Choose the next file operation of a session into s->op/path/bytes. */
static void next_op(struct gen *g, struct session *s)
{
    struct rng *r = &g->r;
    const char *home = s->acct ? s->acct->home : "/pub";
    uint32_t k = rnd(r, 100);
    if (s->kind == S_ANON || g->fmt == FMT_XFERLOG) {
        k = k < 62 || s->kind == S_ANON ? 0 : 50;
    }
    s->op_step = 0;
    s->op_failed = false;
    if (s->kind == S_BRUTE) {
        /* A stolen login: grab files, drop a script. */
        k = k < 60 ? 0 : 50;
    }
    if (k < 46) {
        s->op = OP_DOWNLOAD;
    } else if (k < 75) {
        s->op = OP_UPLOAD;
    } else if (k < 83) {
        s->op = OP_DELETE;
    } else if (k < 90) {
        s->op = OP_MKDIR;
    } else if (k < 96) {
        s->op = OP_RENAME;
    } else if (k < 98) {
        s->op = OP_RMDIR;
    } else {
        s->op = OP_CHMOD;
    }
    const struct ftype *t = make_path(r, home, s->path);
    s->bytes = make_size(r, t);
    switch (s->op) {
    case OP_DOWNLOAD:
    case OP_UPLOAD:
        s->op_failed = chance(r, 20);
        if (s->op_failed) {
            s->bytes = s->bytes * rnd(r, 100) / 100;
        } else if (chance(r, 10)) {
            s->bytes = 0;
        }
        break;
    case OP_MKDIR:
    case OP_RMDIR: {
        /* A directory: the file's folder plus a new name. */
        char *slash = strrchr(s->path, '/');
        snprintf(slash + 1, PATH_MAX_LEN - (size_t)(slash + 1 - s->path),
                 "%s_%u", PICK(r, words), rnd(r, 1000));
        break;
    }
    case OP_RENAME:
        snprintf(s->path2, sizeof(s->path2), "%.240s%s", s->path,
                 chance(r, 500) ? ".bak" : ".old");
        break;
    case OP_DELETE:
    case OP_CHMOD:
        s->op_failed = chance(r, 15);
        break;
    }
}

/* The stamp of the current line, formatted when the second changed. */
static void set_stamp(struct gen *g)
{
    static const char *const wday[] = {"Sun", "Mon", "Tue", "Wed", "Thu",
                                       "Fri", "Sat"};
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May",
                                      "Jun", "Jul", "Aug", "Sep", "Oct",
                                      "Nov", "Dec"};
    if (g->now == g->stamp_for) {
        return;
    }
    g->stamp_for = g->now;
    time_t t = (time_t)g->now;
    struct tm tm;
    gmtime_r(&t, &tm);
    int n;
    if (g->fmt == FMT_SFTP) {
        n = snprintf(g->stamp, sizeof(g->stamp), "%s %2d %02d:%02d:%02d",
                     mon[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec);
    } else {
        /* ctime()-like, day space-padded (vsftpd sysutil.c). */
        n = snprintf(g->stamp, sizeof(g->stamp),
                     "%s %s %2d %02d:%02d:%02d %d", wday[tm.tm_wday],
                     mon[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, tm.tm_year + 1900);
    }
    g->stamp_len = (size_t)n;
}

/* ---- vsftpd format ---- */

static void vs_head(struct gen *g, uint32_t pid, const char *user)
{
    struct out *o = &g->o;
    put(o, g->stamp, g->stamp_len);
    put_str(o, " [pid ");
    putu(o, pid);
    put_str(o, "] ");
    if (user != NULL) {
        putch(o, '[');
        put_str(o, user);
        put_str(o, "] ");
    }
}

static void vs_client(struct gen *g, const char *verb, const char *ip)
{
    struct out *o = &g->o;
    put_str(o, verb);
    put_str(o, ": Client \"");
    if (g->w.ipv6_listen && strchr(ip, ':') == NULL) {
        put_str(o, "::ffff:");
    }
    put_str(o, ip);
    putch(o, '"');
}

static void vs_op(struct gen *g, struct session *s)
{
    static const char *const verb[] = {
        [OP_DOWNLOAD] = "DOWNLOAD", [OP_UPLOAD] = "UPLOAD",
        [OP_DELETE] = "DELETE",     [OP_MKDIR] = "MKDIR",
        [OP_RENAME] = "RENAME",     [OP_RMDIR] = "RMDIR",
        [OP_CHMOD] = "CHMOD",
    };
    struct out *o = &g->o;
    vs_head(g, s->pid + 1, s->user);
    put_str(o, s->op_failed ? "FAIL " : "OK ");
    vs_client(g, verb[s->op], s->ip);
    put_str(o, ", \"");
    put_str(o, s->path);
    if (s->op == OP_RENAME) {
        putch(o, ' ');
        put_str(o, s->path2);
    } else if (s->op == OP_CHMOD) {
        put_str(o, chance(&g->r, 500) ? " 644" : " 600");
    }
    putch(o, '"');
    if (s->op == OP_DOWNLOAD || s->op == OP_UPLOAD) {
        if (s->bytes > 0) {
            put_str(o, ", ");
            putu(o, s->bytes);
            put_str(o, " bytes");
        }
        put_str(o, ", ");
        put_rate(o, 1000 + rng_next(&g->r) % 11000000);
        put_str(o, "Kbyte/sec");
    }
    endline(o);
}

/* One line of session s in vsftpd format; false when it has ended. */
static bool vs_step(struct gen *g, struct session *s)
{
    struct out *o = &g->o;
    struct rng *r = &g->r;
    switch (s->step) {
    case 0:
        vs_head(g, s->pid, NULL);
        vs_client(g, "CONNECT", s->ip);
        if (s->kind == S_REFUSED) {
            put_str(o, ", \"Connection refused: too many sessions.\"");
            s->live = false;
        }
        endline(o);
        s->step = 1;
        return true;
    case 1:
        if (s->fails_left > 0) {
            vs_head(g, s->pid - 1, s->user);
            vs_client(g, "FAIL LOGIN", s->ip);
            endline(o);
            s->fails_left--;
            if (s->kind == S_BRUTE && ++s->conn_fails == 3 &&
                (s->fails_left > 0 || s->succeeds)) {
                /* max_login_fails: the client reconnects. */
                s->conn_fails = 0;
                s->pid = new_pid(g);
                s->step = 0;
            }
            if (s->fails_left == 0 && s->kind == S_BRUTE && !s->succeeds) {
                s->live = false;
            }
            return true;
        }
        vs_head(g, s->pid - 1, s->user);
        vs_client(g, "OK LOGIN", s->ip);
        if (s->kind == S_ANON) {
            put_str(o, ", anon password \"");
            put_str(o, PICK(r, anon_passwords));
            putch(o, '"');
        }
        endline(o);
        s->step = 2;
        if (s->ops_left == 0) {
            s->live = false;
        }
        return true;
    default:
        next_op(g, s);
        if (s->kind == S_ANON) {
            snprintf(s->path, sizeof(s->path), "/pub/%s/%s-%u.%u%s",
                     PICK(r, companies), PICK(r, words), 1 + rnd(r, 9),
                     rnd(r, 20), rnd(r, 2) ? ".tar.gz" : ".zip");
        }
        vs_op(g, s);
        if (--s->ops_left <= 0) {
            s->live = false;
        }
        return true;
    }
}

/* ---- xferlog format (vsftpd writing xferlog_std_format) ---- */

static bool xf_step(struct gen *g, struct session *s)
{
    struct out *o = &g->o;
    struct rng *r = &g->r;
    next_op(g, s);
    if (s->kind == S_ANON) {
        snprintf(s->path, sizeof(s->path), "/pub/%s/%s-%u.%u%s",
                 PICK(r, companies), PICK(r, words), 1 + rnd(r, 9),
                 rnd(r, 20), rnd(r, 2) ? ".tar.gz" : ".zip");
    }
    put(o, g->stamp, g->stamp_len);
    putch(o, ' ');
    /* vsftpd: transfer time in whole seconds, at least 1. */
    uint64_t secs = s->bytes / (200000 + rnd(r, 20000000));
    putu(o, secs > 0 ? secs : 1);
    putch(o, ' ');
    put_str(o, s->ip);
    putch(o, ' ');
    putu(o, s->bytes);
    putch(o, ' ');
    /* vsftpd writes spaces in the name as '_'. */
    for (const char *p = s->path; *p; p++) {
        putch(o, *p == ' ' ? '_' : *p);
    }
    put_str(o, " b _ ");
    putch(o, s->op == OP_UPLOAD ? 'i' : 'o');
    if (s->kind == S_ANON) {
        put_str(o, " a ");
        put_str(o, PICK(r, anon_passwords));
    } else {
        put_str(o, " r ");
        put_str(o, s->user);
    }
    put_str(o, " ftp 0 * ");
    putch(o, s->op_failed ? 'i' : 'c');
    endline(o);
    if (--s->ops_left <= 0) {
        s->live = false;
    }
    return true;
}

/* ---- OpenSSH sshd + internal-sftp in a syslog file ---- */

static void sl_head(struct gen *g, const char *prog, uint32_t pid)
{
    struct out *o = &g->o;
    put(o, g->stamp, g->stamp_len);
    put_str(o, " " HOST_NAME " ");
    put_str(o, prog);
    putch(o, '[');
    putu(o, pid);
    put_str(o, "]: ");
}

static void sl_from(struct gen *g, const struct session *s)
{
    struct out *o = &g->o;
    put_str(o, " from ");
    put_str(o, s->ip);
    put_str(o, " port ");
    putu(o, s->port);
}

static void sl_quoted(struct out *o, const char *what, const char *path)
{
    put_str(o, what);
    put_str(o, " \"");
    put_str(o, path);
    putch(o, '"');
}

/* One line of an sftp session operation; true when the operation is
 * complete. */
static bool sl_op(struct gen *g, struct session *s)
{
    struct out *o = &g->o;
    sl_head(g, "internal-sftp", s->pid + 2);
    switch (s->op) {
    case OP_DOWNLOAD:
    case OP_UPLOAD:
        if (s->op_step == 0) {
            sl_quoted(o, "open", s->path);
            put_str(o, s->op == OP_DOWNLOAD
                         ? " flags READ mode 0666"
                         : " flags WRITE,CREATE,TRUNCATE mode 0644");
            endline(o);
            s->op_step = 1;
            return false;
        }
        sl_quoted(o, "close", s->path);
        put_str(o, " bytes read ");
        putu(o, s->op == OP_DOWNLOAD ? s->bytes : 0);
        put_str(o, " written ");
        putu(o, s->op == OP_UPLOAD ? s->bytes : 0);
        break;
    case OP_DELETE:
        sl_quoted(o, "remove name", s->path);
        break;
    case OP_MKDIR:
        sl_quoted(o, "mkdir name", s->path);
        put_str(o, " mode 0755");
        break;
    case OP_RMDIR:
        sl_quoted(o, "rmdir name", s->path);
        break;
    case OP_RENAME:
        sl_quoted(o, "rename old", s->path);
        sl_quoted(o, " new", s->path2);
        break;
    case OP_CHMOD:
        sl_quoted(o, "set", s->path);
        put_str(o, " mode 0600");
        break;
    }
    endline(o);
    return true;
}

static bool sl_step(struct gen *g, struct session *s)
{
    struct out *o = &g->o;
    switch (s->step) {
    case 0:
        sl_head(g, "sshd", s->pid);
        put_str(o, "Connection from ");
        put_str(o, s->ip);
        put_str(o, " port ");
        putu(o, s->port);
        put_str(o, " on 203.0.113.5 port 22 rdomain \"\"");
        endline(o);
        s->step = s->kind == S_REFUSED ? 9 : 1;
        return true;
    case 1:
        sl_head(g, "sshd", s->pid);
        if (s->fails_left > 0) {
            if (s->acct == NULL && s->conn_fails == 0 &&
                s->kind == S_BRUTE) {
                put_str(o, "Invalid user ");
                put_str(o, s->user);
                sl_from(g, s);
                endline(o);
                s->conn_fails = 1;
                return true;
            }
            put_str(o, s->acct == NULL ? "Failed password for invalid user "
                                     : "Failed password for ");
            put_str(o, s->user);
            sl_from(g, s);
            put_str(o, " ssh2");
            endline(o);
            s->fails_left--;
            if (s->kind == S_BRUTE && ++s->conn_fails >= 4 &&
                (s->fails_left > 0 || s->succeeds)) {
                /* MaxAuthTries: a new connection. */
                s->conn_fails = 0;
                s->pid = new_pid(g);
                s->port = 1024 + rnd(&g->r, 64000);
                s->step = 0;
            } else if (s->fails_left == 0 && !s->succeeds &&
                       s->kind == S_BRUTE) {
                s->step = 9;
            }
            return true;
        }
        if (s->acct != NULL && s->acct->pubkey && s->kind != S_BRUTE) {
            put_str(o, "Accepted publickey for ");
            put_str(o, s->user);
            sl_from(g, s);
            put_str(o, " ssh2: ED25519 SHA256:");
            for (int i = 0; i < 43; i++) {
                putch(o, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                         "0123456789+/"[(s->acct->uid * 7 + (uint32_t)i * 13)
                                        % 64]);
            }
        } else {
            put_str(o, "Accepted password for ");
            put_str(o, s->user);
            sl_from(g, s);
            put_str(o, " ssh2");
        }
        endline(o);
        s->step = 2;
        return true;
    case 2:
        sl_head(g, "sshd", s->pid);
        put_str(o, "pam_unix(sshd:session): session opened for user ");
        put_str(o, s->user);
        put_str(o, "(uid=");
        putu(o, s->acct ? s->acct->uid : 1000);
        put_str(o, ") by (uid=0)");
        endline(o);
        s->step = 3;
        return true;
    case 3:
        sl_head(g, "internal-sftp", s->pid + 2);
        put_str(o, "session opened for local user ");
        put_str(o, s->user);
        put_str(o, " from [");
        put_str(o, s->ip);
        putch(o, ']');
        endline(o);
        s->step = 4;
        return true;
    case 4:
        if (s->ops_left > 0) {
            if (s->op_step == 0) {
                next_op(g, s);
            }
            if (sl_op(g, s)) {
                s->op_step = 0;
                s->ops_left--;
            }
            return true;
        }
        sl_head(g, "internal-sftp", s->pid + 2);
        put_str(o, "session closed for local user ");
        put_str(o, s->user);
        put_str(o, " from [");
        put_str(o, s->ip);
        putch(o, ']');
        endline(o);
        s->step = 5;
        return true;
    case 5:
        sl_head(g, "sshd", s->pid);
        put_str(o, "pam_unix(sshd:session): session closed for user ");
        put_str(o, s->user);
        endline(o);
        s->live = false;
        return true;
    default:
        /* A refused or given-up connection. */
        sl_head(g, "sshd", s->pid);
        put_str(o, "Connection closed by ");
        if (s->kind == S_BRUTE) {
            put_str(o, s->acct ? "authenticating user " : "invalid user ");
            put_str(o, s->user);
            putch(o, ' ');
        }
        put_str(o, s->ip);
        put_str(o, " port ");
        putu(o, s->port);
        put_str(o, " [preauth]");
        endline(o);
        s->live = false;
        return true;
    }
}

/* ---- main ---- */

static const char usage[] =
    "usage: gen_vsftpd [options]\n"
    "\n"
    "Write a synthetic FTP/SFTP server log (deterministic for a seed).\n"
    "\n"
    "  -n, --lines N       lines to write (default 10000000)\n"
    "  -a, --accounts N    accounts (default 5000)\n"
    "  -i, --ips N         client addresses, 5% of them guess passwords\n"
    "                      (default 20000)\n"
    "  -s, --seed N        random seed (default 1)\n"
    "  -f, --format F      vsftpd (vsftpd_log_file, default), xferlog,\n"
    "                      sftp (OpenSSH sshd + internal-sftp syslog)\n"
    "  -d, --days N        span of the stamps in days (default 28)\n"
    "  -z, --skew X        account activity ~ 1/rank^X (default 0.9: the\n"
    "                      busiest account has ~7% of the sessions with\n"
    "                      5000 accounts; 0: all equally busy)\n"
    "  -p, --spray N       N sessions in 1000 are password spraying, each\n"
    "                      from the next address of the world in turn (all\n"
    "                      addresses show up; default 0: none)\n"
    "      --start DATE    first day, YYYY-MM-DD (default 2026-01-05)\n"
    "      --ipv6-listen   print IPv4 clients as ::ffff:a.b.c.d (vsftpd\n"
    "                      with listen_ipv6=YES)\n"
    "  -o, --output FILE   output file (default standard output)\n"
    "  -h, --help          this text\n";

static bool parse_u64(const char *s, uint64_t *v)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || s[0] == '-') {
        return false;
    }
    *v = x;
    return true;
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"lines", required_argument, NULL, 'n'},
        {"accounts", required_argument, NULL, 'a'},
        {"ips", required_argument, NULL, 'i'},
        {"seed", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},
        {"days", required_argument, NULL, 'd'},
        {"skew", required_argument, NULL, 'z'},
        {"spray", required_argument, NULL, 'p'},
        {"start", required_argument, NULL, 'S'},
        {"ipv6-listen", no_argument, NULL, '6'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    uint64_t lines = 10000000, accounts = 5000, ips = 20000, seed = 1;
    uint64_t days = 28, spray = 0;
    double skew = 0.9;
    int64_t start = days_from_civil(2026, 1, 5) * 86400;
    const char *output = NULL;
    bool ipv6_listen = false;
    enum format fmt = FMT_VSFTPD;
    int c;
    while ((c = getopt_long(argc, argv, "n:a:i:s:f:d:z:p:o:h", opts, NULL)) !=
           -1) {
        bool ok = true;
        switch (c) {
        case 'n':
            ok = parse_u64(optarg, &lines);
            break;
        case 'a':
            ok = parse_u64(optarg, &accounts) && accounts > 0 &&
                 accounts < 10000000;
            break;
        case 'i':
            ok = parse_u64(optarg, &ips) && ips >= 2 && ips < 100000000;
            break;
        case 's':
            ok = parse_u64(optarg, &seed);
            break;
        case 'd':
            ok = parse_u64(optarg, &days) && days > 0 && days < 36500;
            break;
        case 'p':
            ok = parse_u64(optarg, &spray) && spray <= 1000;
            break;
        case 'z': {
            char *end;
            skew = strtod(optarg, &end);
            ok = end != optarg && *end == '\0' && skew >= 0 && skew <= 4;
            break;
        }
        case 'f':
            if (strcmp(optarg, "vsftpd") == 0) {
                fmt = FMT_VSFTPD;
            } else if (strcmp(optarg, "xferlog") == 0) {
                fmt = FMT_XFERLOG;
            } else if (strcmp(optarg, "sftp") == 0) {
                fmt = FMT_SFTP;
            } else {
                ok = false;
            }
            break;
        case 'S': {
            unsigned y, m, d;
            char tail;
            ok = sscanf(optarg, "%4u-%2u-%2u%c", &y, &m, &d, &tail) == 3 &&
                 y >= 1971 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
            if (ok) {
                start = days_from_civil(y, m, d) * 86400;
            }
            break;
        }
        case '6':
            ipv6_listen = true;
            break;
        case 'o':
            output = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            ok = false;
            break;
        }
        if (!ok) {
            if (c != '?') {
                fprintf(stderr, "gen_vsftpd: bad value for -%c: %s\n", c,
                        optarg ? optarg : "");
            }
            fputs(usage, stderr);
            return 2;
        }
    }
    if (optind != argc) {
        fputs(usage, stderr);
        return 2;
    }

    static struct gen g;
    g.fmt = fmt;
    g.spray = (uint32_t)spray;
    rng_seed(&g.r, seed);
    world_init(&g.w, &g.r, (uint32_t)accounts, (uint32_t)ips, skew);
    g.w.ipv6_listen = ipv6_listen;
    g.next_pid = 1200 + rnd(&g.r, 30000);
    g.stamp_for = -1;
    g.o.f = stdout;
    if (output != NULL && strcmp(output, "-") != 0) {
        g.o.f = fopen(output, "wb");
        if (g.o.f == NULL) {
            fprintf(stderr, "gen_vsftpd: %s: %s\n", output, strerror(errno));
            return 1;
        }
    }
    g.o.buf = xcalloc(OUT_BUF, 1);
    for (size_t i = 0; i < POOL_SESSIONS; i++) {
        session_start(&g, &g.pool[i]);
    }

    /* Stamps: line i of n is at start + i * span / n, so time advances
     * evenly (about 4 lines a second for 10M lines over 4 weeks). */
    uint64_t span = days * 86400;
    for (uint64_t i = 0; i < lines; i++) {
        g.now = start + (int64_t)((double)i * (double)span / (double)lines);
        set_stamp(&g);
        struct session *s = &g.pool[rnd(&g.r, POOL_SESSIONS)];
        switch (fmt) {
        case FMT_VSFTPD:
            vs_step(&g, s);
            break;
        case FMT_XFERLOG:
            xf_step(&g, s);
            break;
        case FMT_SFTP:
            sl_step(&g, s);
            break;
        }
        if (!s->live) {
            session_start(&g, s);
        }
    }
    out_flush(&g.o);
    if (fflush(g.o.f) != 0 || g.o.failed ||
        (g.o.f != stdout && fclose(g.o.f) != 0)) {
        fprintf(stderr, "gen_vsftpd: write error: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}
