/*
 * Unit tests of the detector's bounded memory: an account's remembered
 * files (a fixed table of prints) and the findings spool (a temporary file, or
 * memory when no file can be made).
 */
#include <arpa/inet.h>
#include <signal.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../analysis/detect_int.h"
#include "../../analysis/state.h"
#include "check.h"

static uint64_t key(uint32_t i)
{
    return fa_hash(&i, sizeof(i), 42);
}

/* A successful upload of path by user from ip, t microseconds after
 * 2027-01-15. */
static struct fa_event upload(int64_t t, struct fa_str user, struct fa_str ip,
                              struct fa_str path)
{
    struct fa_event ev = {0};
    ev.action = FA_ACT_UPLOAD;
    ev.outcome = FA_OUT_SUCCESS;
    ev.time_us = 1800000000000000LL + t;
    ev.user = user;
    ev.ip = ip;
    ev.path = path;
    return ev;
}

static void test_file_prints(void)
{
    struct account a, b;
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    CHECK(!fa_account_knows(&a, key(1)));
    /* Half the slots' worth of paths: nearly all are kept. */
    uint32_t half = FILE_SLOTS / 2, kept = 0;
    for (uint32_t i = 0; i < half; i++) {
        fa_account_learn_file(&a, key(i));
    }
    for (uint32_t i = 0; i < half; i++) {
        kept += fa_account_knows(&a, key(i));
    }
    CHECK(kept >= half * 97 / 100);
    /* Small sites take a small table. */
    struct account small;
    memset(&small, 0, sizeof(small));
    for (uint32_t i = 0; i < 30; i++) {
        fa_account_learn_file(&small, key(i));
    }
    CHECK(small.fileslots <= 2 * FILE_SLOTS_MIN && small.filefill == 30);
    free(small.fileprints);
    for (uint32_t i = half; i < FILE_SLOTS; i++) {
        fa_account_learn_file(&a, key(i));
    }
    CHECK(a.fileslots == FILE_SLOTS);
    const uint32_t *table = a.fileprints;
    /* Many more paths go by; one of them is used all the time. */
    uint32_t total = 20 * FILE_SLOTS;
    for (uint32_t i = half; i < total; i++) {
        fa_account_learn_file(&a, key(i));
        fa_account_learn_file(&a, key(5));
    }
    CHECK(a.fileprints == table && a.fileslots == FILE_SLOTS);
    CHECK(fa_account_knows(&a, key(5)));
    CHECK(fa_account_knows(&a, key(total - 1)));
    uint32_t old = 0, unknown = 0;
    for (uint32_t i = 0; i < 1000; i++) {
        old += fa_account_knows(&a, key(100 + i));
        unknown += fa_account_knows(&a, key(total + 100 + i));
    }
    CHECK(old < 10);       /* the oldest were forgotten */
    CHECK(unknown <= 1);   /* prints are 32 bits: a rare false hit */
    /* Learned back bucket by bucket, least recent first (as a state file
     * stores them), the table comes out the same. */
    fa_account_files_reserve(&b, a.fileslots);
    for (size_t i = 0; i < FILE_SLOTS; i += FILE_WAYS) {
        for (int k = FILE_WAYS - 1; k >= 0; k--) {
            if (a.fileprints[i + (size_t)k] != 0) {
                fa_account_learn_file(&b, a.fileprints[i + (size_t)k]);
            }
        }
    }
    CHECK(b.fileslots == a.fileslots && b.filefill == a.filefill &&
          memcmp(a.fileprints, b.fileprints,
                 FILE_SLOTS * sizeof(*a.fileprints)) == 0);
    /* The same for a table that stopped half way. */
    struct account c, e;
    memset(&c, 0, sizeof(c));
    memset(&e, 0, sizeof(e));
    for (uint32_t i = 0; i < 100; i++) {
        fa_account_learn_file(&c, key(7 * i));
    }
    fa_account_files_reserve(&e, c.fileslots);
    for (size_t i = 0; i < c.fileslots; i += FILE_WAYS) {
        for (int k = FILE_WAYS - 1; k >= 0; k--) {
            if (c.fileprints[i + (size_t)k] != 0) {
                fa_account_learn_file(&e, c.fileprints[i + (size_t)k]);
            }
        }
    }
    CHECK(c.fileslots < FILE_SLOTS && e.fileslots == c.fileslots &&
          e.filefill == c.filefill &&
          memcmp(c.fileprints, e.fileprints,
                 c.fileslots * sizeof(*c.fileprints)) == 0);
    free(c.fileprints);
    free(e.fileprints);
    free(a.fileprints);
    free(b.fileprints);
}

static char *xdup(const char *s)
{
    char *p = strdup(s);
    if (p == NULL) {
        abort();
    }
    return p;
}

/* Make n findings whose every field depends on their number. */
static void make_findings(struct fa_detect *d, size_t n)
{
    char buf[256];
    for (size_t i = 0; i < n; i++) {
        struct fa_finding *f = fa_detect_new_finding(d);
        f->rule = "new-ip";
        f->verdict = fa_detect_verdict(FA_SEV_LOW);
        f->severity = (enum fa_severity)(i % 5);
        f->score = (int)(i * 7 % 101);
        snprintf(buf, sizeof(buf), "user%zu", i);
        f->user = xdup(buf);
        f->host = xdup(i % 2 ? "web1" : "");
        snprintf(buf, sizeof(buf), "198.51.100.%zu", i % 256);
        f->ip = i % 3 ? xdup(buf) : NULL;
        f->as_org = xdup("Example \"ISP\" </script>");
        f->first_us = (int64_t)i * 1000000;
        f->last_us = f->first_us + 5;
        snprintf(buf, sizeof(buf), "reason of finding %zu", i);
        f->reasons[f->nreasons++] = xdup(buf);
        f->rules[f->nrules++] = "new-ip";
        f->files = calloc(i % 4 + 1, sizeof(*f->files));
        for (size_t k = 0; k < i % 4; k++) {
            snprintf(buf, sizeof(buf), "/var/www/site%zu/page%zu.html", i, k);
            f->files[f->nfiles++] = xdup(buf);
        }
        f->evidence[f->nevidence++] =
            (struct fa_evidence){fa_detect_intern(d, "x.log"), i + 1};
        f->uploads = i;
        fa_detect_keep_finding(d);
    }
}

static bool same_finding(struct fa_detect *d, size_t i)
{
    const struct fa_finding *f = fa_detect_finding(d, i);
    char user[64], path[96];
    snprintf(user, sizeof(user), "user%zu", i);
    bool ok = strcmp(f->rule, "new-ip") == 0 &&
              f->severity == (enum fa_severity)(i % 5) &&
              f->score == (int)(i * 7 % 101) && strcmp(f->user, user) == 0 &&
              strcmp(f->host, i % 2 ? "web1" : "") == 0 &&
              (f->ip != NULL) == (i % 3 != 0) &&
              strcmp(f->as_org, "Example \"ISP\" </script>") == 0 &&
              f->first_us == (int64_t)i * 1000000 && f->nreasons == 1 &&
              f->nfiles == i % 4 && f->nevidence == 1 &&
              f->evidence[0].line == i + 1 && f->uploads == i;
    if (ok && f->nfiles > 0) {
        snprintf(path, sizeof(path), "/var/www/site%zu/page%zu.html", i,
                 f->nfiles - 1);
        ok = strcmp(f->files[f->nfiles - 1], path) == 0;
    }
    return ok;
}

static void test_spool(const char *tmpdir)
{
    if (tmpdir != NULL) {
        setenv("TMPDIR", tmpdir, 1);
    } else {
        unsetenv("TMPDIR");
    }
    struct fa_config cfg;
    fa_config_defaults(&cfg);
    struct fa_detect *d = fa_detect_create(&cfg, NULL);
    const size_t n = 3000;
    make_findings(d, n);
    CHECK(fa_detect_nfindings(d) == n);
    /* On disk when it can be, all of it in memory when not. */
    if (tmpdir == NULL) {
        CHECK(d->spool_fd >= 0 && !d->spool_failed && d->spool_mem.n == 0);
    } else {
        CHECK(d->spool_failed && d->spool_mem.n > 0);
    }
    /* Read back out of order, twice. */
    size_t bad = 0;
    for (size_t k = 0; k < 2 * n; k++) {
        size_t i = (k * 7919) % n;
        bad += !same_finding(d, i);
    }
    CHECK(bad == 0);
    struct fa_finding_rank r;
    fa_detect_finding_rank(d, 10, &r);
    CHECK(r.score == 70 && r.severity == FA_SEV_INFO && !r.reported &&
          r.first_us == 10000000);
    fa_detect_mark_reported(d);
    fa_detect_finding_rank(d, 10, &r);
    CHECK(r.reported && fa_detect_finding(d, 10)->reported);
    /* A finding begun and dropped leaves nothing. */
    struct fa_finding *f = fa_detect_new_finding(d);
    f->user = xdup("dropped");
    fa_detect_drop_finding(d);
    CHECK(fa_detect_nfindings(d) == n);
    fa_detect_destroy(d);
}

/* The disk fills while findings are spooled (a file size limit stands
 * for it): the ones written stay in the file, the block that could not be
 * written and the later ones go to memory, and every one reads back. */
static void test_spool_full(void)
{
    unsetenv("TMPDIR");
    struct rlimit old;
    getrlimit(RLIMIT_FSIZE, &old);
    struct rlimit lim = old;
    lim.rlim_cur = SPOOL_BLOCK + SPOOL_BLOCK / 2;
    signal(SIGXFSZ, SIG_IGN);
    setrlimit(RLIMIT_FSIZE, &lim);
    struct fa_config cfg;
    fa_config_defaults(&cfg);
    struct fa_detect *d = fa_detect_create(&cfg, NULL);
    const size_t n = 6000;
    make_findings(d, n);
    CHECK(d->spool_failed && d->spool_size >= SPOOL_BLOCK &&
          d->spool_size <= lim.rlim_cur && d->spool_mem.n > 0);
    size_t bad = 0, in_file = 0;
    for (size_t i = 0; i < n; i++) {
        bad += !same_finding(d, i);
        in_file += !d->fref[i].in_mem;
    }
    CHECK(bad == 0 && in_file > 0 && in_file < n);
    fa_detect_destroy(d);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, SIG_DFL);
}

/* The one-pass kind of a path agrees with the rule of fa_path_has_ext,
 * for the default lists and for odd ones. */
static void test_path_kind(void)
{
    static const char *const paths[] = {
        "/var/www/index.html", "/var/www/INDEX.HTM", "/a/b/app.js",
        "/up/shell.php", "/up/Shell.PhP", "/x/.htaccess", "/x/.HTACCESS",
        "/x/a.htaccess", "/x/.user.ini", "/x/.USER.INI", "/x/user.ini",
        "/noext", "/dir.d/noext", "/trailing.", "/.", "", "/", "a.php",
        "/x/archive.tar.gz", "/x/file.verylongextension", "/x/.profile",
        "/x/.hidden.php", "/x/photo.JPG", "/x/page.shtml", "/x/p.aspx",
        "/x/a.b.c.d.e.f.g.h.i.j.k.l.m.php", "/x/\xc3\xa9t\xc3\xa9.php",
        "/x/.inc", "/x/y.inc", "/x/.x.inc", "/x/A.PHTML", "/x/a.ZIP",
        "/x/a.zip", "/x/a.@ip", "/x/a.[ip", "/x/a.Zip@", "noslash.ZIP",
    };
    struct fa_config cfgs[2];
    fa_config_defaults(&cfgs[0]);
    fa_config_defaults(&cfgs[1]);
    /* Upper-case entries, a whole name with two dots, one without a
     * dot, one of all twelve bytes. */
    struct fa_config *c = &cfgs[1];
    c->nweb = 6;
    memcpy(c->web_exts[4], ".zip", 5);  /* the ends of A..Z: 'Z', '@', */
    memcpy(c->web_exts[5], ".zip@", 6); /* '[' are not lowered */
    memcpy(c->web_exts[0], ".HTML", 6);
    memcpy(c->web_exts[1], ".user.ini", 10);
    memcpy(c->web_exts[2], "inc", 4);
    memcpy(c->web_exts[3], ".verylongext", 12);
    c->nscript = 3;
    memcpy(c->script_exts[0], ".x.inc", 7);
    memcpy(c->script_exts[1], ".PHP", 5);
    memcpy(c->script_exts[2], ".ab.verylong", 12); /* a full-size name */
    size_t bad = 0, web = 0, script = 0, config = 0;
    for (size_t k = 0; k < 2; k++) {
        struct fa_detect *d = fa_detect_create(&cfgs[k], NULL);
        for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
            uint8_t slow = fa_path_kind(&cfgs[k], paths[i]);
            uint8_t fast = fa_detect_path_kind(d, paths[i], strlen(paths[i]));
            if (slow != fast) {
                fprintf(stderr, "kind of %s: %#x one pass, %#x by rule\n",
                        paths[i], fast, slow);
                bad++;
            }
            web += (fast & FA_PK_WEB) != 0;
            script += (fast & FA_PK_SCRIPT) != 0;
            config += (fast & FA_PK_CONFIG) != 0;
        }
        fa_detect_destroy(d);
    }
    CHECK(bad == 0);
    /* 40,000 names made of pieces that matter (dots, slashes, listed
     * extensions and names in both cases, long runs): the one pass over
     * the last 13 bytes agrees with the rule's reading of the name. */
    static const char *const pieces[] = {
        "/", ".", "a", "php", "PHP", "htaccess", ".htaccess", "user.ini",
        ".user.ini", "inc", ".x", "html", "verylongext", "bcdefghijkl",
        "x.inc", "/.", "./", "..", "\xc3\xa9", ".ab.verylong", "b.verylong",
        "ZIP", "Z", "@", "[", "zip"};
    unsigned seed = 7;
    size_t rweb = 0, rconfig = 0;
    for (size_t k = 0; k < 2; k++) {
        struct fa_detect *d = fa_detect_create(&cfgs[k], NULL);
        for (int t = 0; t < 20000; t++) {
            char path[256] = "";
            size_t len = 0;
            seed = seed * 1103515245u + 12345u;
            int np = (int)((seed >> 16) % 9);
            for (int j = 0; j < np; j++) {
                seed = seed * 1103515245u + 12345u;
                const char *pc =
                    pieces[(seed >> 16) % (sizeof(pieces) / sizeof(pieces[0]))];
                size_t pl = strlen(pc);
                memcpy(path + len, pc, pl + 1);
                len += pl;
            }
            uint8_t slow = fa_path_kind(&cfgs[k], path);
            uint8_t fast = fa_detect_path_kind(d, path, len);
            if (slow != fast) {
                fprintf(stderr, "kind of \"%s\": %#x one pass, %#x by rule\n",
                        path, fast, slow);
                bad++;
            }
            rweb += (fast & FA_PK_WEB) != 0;
            rconfig += (fast & FA_PK_CONFIG) != 0;
        }
        fa_detect_destroy(d);
    }
    CHECK(bad == 0 && rweb > 1000 && rconfig > 200);
    /* Full lists, overlapping by half, in a table probed by hash: every
     * entry is found with its kinds, and nothing else. */
    struct fa_config full;
    fa_config_defaults(&full);
    full.nweb = full.nscript = FA_MAX_EXTS;
    for (int i = 0; i < FA_MAX_EXTS; i++) {
        snprintf(full.web_exts[i], sizeof(full.web_exts[i]), ".E%d", i);
        snprintf(full.script_exts[i], sizeof(full.script_exts[i]), ".e%d",
                 i + FA_MAX_EXTS / 2);
    }
    struct fa_detect *fd = fa_detect_create(&full, NULL);
    size_t found = 0;
    for (int i = 0; i < 2 * FA_MAX_EXTS; i++) {
        char path[32];
        snprintf(path, sizeof(path), "/www/f.e%d", i);
        uint8_t k = fa_detect_path_kind(fd, path, strlen(path));
        bad += k != fa_path_kind(&full, path);
        uint8_t want = FA_PK_TAKEN;
        want |= i < FA_MAX_EXTS ? FA_PK_WEB : 0;
        want |= i >= FA_MAX_EXTS / 2 && i < FA_MAX_EXTS * 3 / 2 ? FA_PK_SCRIPT
                                                                : 0;
        found += k == want;
    }
    CHECK(bad == 0);
    CHECK(found == 2 * FA_MAX_EXTS);
    fa_detect_destroy(fd);
    /* Each kind was seen (the agreement is not on zeros only). */
    CHECK(web >= 8 && script >= 8 && config == 8);
    CHECK(fa_path_kind(&cfgs[0], "/up/Shell.PhP") ==
          (FA_PK_TAKEN | FA_PK_WEB | FA_PK_SCRIPT));
}

/* A session keeps each path as valid UTF-8 whatever bytes it held: a NUL
 * or an invalid byte at any place (before, in and after the first eight
 * bytes, which are checked as a word) becomes U+FFFD, the rest stays. */
/* The network an account's sessions came from, as its baseline lists it:
 * "a.b.c.0/24" and "x:y:z::/48" written as snprintf's %u and %x write
 * them, a name that is no address as it is (cut to the field). */
static void test_network_text(void)
{
    static const char *const ips[] = {
        "192.0.2.7", "0.0.0.1", "255.255.255.255", "10.1.20.3",
        "2001:db8::1", "::1", "ffff:abc:0:1::9", "0:0:0:1::",
        "host.example",
        "a-very-long-name-that-is-no-address.example.invalid.test",
    };
    size_t n = sizeof(ips) / sizeof(ips[0]), bad = 0;
    struct fa_config cfg;
    fa_config_defaults(&cfg);
    struct fa_detect *d = fa_detect_create(&cfg, NULL);
    char users[16][16];
    for (size_t i = 0; i < n; i++) {
        snprintf(users[i], sizeof(users[i]), "user%zu", i);
        struct fa_event ev =
            upload((int64_t)i, (struct fa_str){users[i], strlen(users[i])},
                   (struct fa_str){ips[i], strlen(ips[i])},
                   FA_STR_LIT("/www/a.jpg"));
        fa_detect_event(d, &ev);
    }
    fa_detect_finish(d);
    CHECK(d->nacct == n);
    for (size_t i = 0; i < d->nacct; i++) {
        const struct account *a = d->acct_list[i];
        size_t u = (size_t)atoi(a->user + 4);
        unsigned char b[16];
        char want[48];
        if (inet_pton(AF_INET, ips[u], b) == 1) {
            snprintf(want, sizeof(want), "%u.%u.%u.0/24", b[0], b[1], b[2]);
        } else if (inet_pton(AF_INET6, ips[u], b) == 1) {
            snprintf(want, sizeof(want), "%x:%x:%x::/48", b[0] << 8 | b[1],
                     b[2] << 8 | b[3], b[4] << 8 | b[5]);
        } else {
            snprintf(want, sizeof(want), "%s", ips[u]);
        }
        if (a->ncount[0].count != 1 || strcmp(a->ncount[0].text, want) != 0) {
            fprintf(stderr, "network of %s: \"%s\", want \"%s\"\n", ips[u],
                    a->ncount[0].text, want);
            bad++;
        }
    }
    CHECK(bad == 0);
    fa_detect_destroy(d);
}

static void test_op_names(void)
{
    struct fa_config cfg;
    fa_config_defaults(&cfg);
    struct fa_detect *d = fa_detect_create(&cfg, NULL);
    size_t bad = 0;
    for (size_t at = 0; at < 20; at++) {
        for (int kind = 0; kind < 3; kind++) {
            char path[24];
            memset(path, 'a', sizeof(path));
            path[0] = '/';
            const char *odd = kind == 0 ? "\0" : kind == 1 ? "\xff" : "\xc3";
            path[at] = odd[0];
            struct fa_event ev = upload(
                (int64_t)(at * 3 + (size_t)kind), FA_STR_LIT("webmaster"),
                FA_STR_LIT("192.0.2.7"), (struct fa_str){path, sizeof(path)});
            ev.bytes = 10;
            fa_detect_event(d, &ev);
            const struct session *se = d->last;
            const struct op *o = se != NULL && se->nops > 0
                                     ? &se->ops[se->nops - 1]
                                     : NULL;
            char want[40];
            memcpy(want, path, at);
            memcpy(want + at, "\xEF\xBF\xBD", 3);
            memcpy(want + at + 3, path + at + 1, sizeof(path) - at - 1);
            size_t wl = sizeof(path) + 2;
            if (o == NULL || o->len != wl || memcmp(o->path, want, wl) != 0 ||
                o->path[wl] != '\0') {
                fprintf(stderr, "op name with byte %d at %zu kept wrong\n",
                        kind, at);
                bad++;
            }
        }
    }
    CHECK(bad == 0);
    fa_detect_destroy(d);
}

/* An operation's name compared with the one before it, which ends a pool
 * block: the longer new name must not be read against bytes past that
 * block (under AddressSanitizer this failed as a heap overflow). */
static void test_op_name_after_block_end(void)
{
    struct fa_config cfg;
    fa_config_defaults(&cfg);
    struct fa_detect *d = fa_detect_create(&cfg, NULL);
    static char first[1001], second[1301];
    memset(first, 'a', 1000);
    first[0] = '/';
    memcpy(second, first, 1000);
    memset(second + 1000, 'b', 300);
    const char *names[2] = {first, second};
    size_t lens[2] = {1000, 1300};
    for (int i = 0; i < 2; i++) {
        struct fa_event ev =
            upload(i, FA_STR_LIT("webmaster"), FA_STR_LIT("192.0.2.8"),
                   (struct fa_str){names[i], lens[i]});
        fa_detect_event(d, &ev);
    }
    const struct session *se = d->last;
    CHECK(se != NULL && se->nops == 2);
    if (se != NULL && se->nops == 2) {
        /* The first name filled its block exactly. */
        CHECK(se->ops[0].len == 1000 && se->ops[1].len == 1300);
        CHECK(memcmp(se->ops[1].path, second, 1300) == 0 &&
              se->ops[1].path != se->ops[0].path);
    }
    fa_detect_destroy(d);
}

/* The evidence file of each operation: with stable names (the input's)
 * told apart by address, events from three files in turn keep their own;
 * without, one buffer rewritten between events names each by its text. */
static void test_event_files(void)
{
    static const char *const names[3] = {"a/vsftpd.log", "b/vsftpd.log.1",
                                         "c/vsftpd.log.2.gz"};
    for (int stable = 0; stable < 2; stable++) {
        struct fa_config cfg;
        fa_config_defaults(&cfg);
        struct fa_detect *d = fa_detect_create(&cfg, NULL);
        if (stable) {
            fa_detect_stable_files(d);
        }
        char buf[32];
        size_t bad = 0;
        const char *first[3] = {NULL, NULL, NULL};
        for (int i = 0; i < 30; i++) {
            int f = (i * 7 + i / 4) % 3;
            struct fa_event ev =
                upload(i, FA_STR_LIT("webmaster"), FA_STR_LIT("192.0.2.9"),
                       FA_STR_LIT("/index.html"));
            ev.line = (uint64_t)i + 1;
            if (stable) {
                ev.file = names[f];
            } else {
                snprintf(buf, sizeof(buf), "%s", names[f]);
                ev.file = buf;
            }
            fa_detect_event(d, &ev);
            const struct session *se = d->last;
            const struct op *o = se != NULL && se->nops > 0
                                     ? &se->ops[se->nops - 1]
                                     : NULL;
            if (o == NULL || o->file == NULL ||
                strcmp(o->file, names[f]) != 0 || o->line != ev.line ||
                (first[f] != NULL && o->file != first[f]) ||
                o->file == ev.file) {
                bad++;
            } else {
                first[f] = o->file;
            }
        }
        CHECK(bad == 0);
        fa_detect_destroy(d);
    }
}

/* The sweep ends a session once idle for longer than the gap, and not
 * before: one account busy every ten minutes for five hours, others each
 * seen once, at times spread over the same hours.  Counted after every
 * event: the judged sessions must be exactly those idle past the gap at
 * the last sweep. */
static void test_sweep(void)
{
    struct fa_config cfg;
    fa_config_defaults(&cfg);
    cfg.session_gap = 1800;
    struct fa_detect *d = fa_detect_create(&cfg, NULL);
    const int64_t t0 = 1800000000000000LL, min = 60000000LL;
    int64_t once[20];
    size_t bad = 0;
    for (int m = 0; m <= 300; m++) {
        int64_t t = t0 + m * min;
        struct fa_event ev = upload(m * min, FA_STR_NULL, FA_STR_NULL,
                                    FA_STR_LIT("/index.html"));
        ev.bytes = 1;
        char user[16];
        if (m % 10 == 0) {
            ev.user = FA_STR_LIT("busy");
            ev.ip = FA_STR_LIT("192.0.2.1");
        } else if (m % 15 == 7 && m / 15 < 20) {
            snprintf(user, sizeof(user), "once%d", m / 15);
            ev.user = (struct fa_str){user, strlen(user)};
            ev.ip = FA_STR_LIT("198.51.100.2");
            once[m / 15] = t;
        } else {
            continue;
        }
        fa_detect_event(d, &ev);
        int64_t last_sweep = d->last_sweep;
        /* Sessions judged so far: each "once" idle past the gap at the
         * last sweep; the busy one never idle that long. */
        uint64_t want = 0;
        for (int k = 0; k < 20 && 15 * k + 7 <= m; k++) {
            want += last_sweep - once[k] > 1800 * 1000000LL;
        }
        bad += d->totals.sessions != want;
    }
    CHECK(bad == 0);
    CHECK(d->totals.sessions >= 10);
    fa_detect_destroy(d);
}

/* Each operation's print is its kept name's, whichever thread prepared
 * the event (fa_detect_prepare beforehand, or the detector itself) and
 * whether the name was kept as it came, repaired, or shared with the
 * operation before. */
static void test_op_prints(void)
{
    struct fa_config cfg;
    fa_config_defaults(&cfg);
    struct fa_detect *d = fa_detect_create(&cfg, NULL);
    static const char *const names[] = {
        "/www/index.html", "/www/index.html", "/www/a\xff" "b.php",
        "/www/a\xff" "b.php", "", "/www/caf\xc3\xa9.html", "/www/x.js",
    };
    size_t bad = 0, n = 0;
    for (int prepared = 0; prepared < 2; prepared++) {
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
            struct fa_event ev =
                upload((int64_t)n++, FA_STR_LIT("webmaster"),
                       FA_STR_LIT("192.0.2.9"),
                       (struct fa_str){names[i], strlen(names[i])});
            if (prepared) {
                struct fa_prepared k;
                fa_detect_prepare(d, &ev, &k);
                fa_detect_event_prepared(d, &ev, &k);
            } else {
                fa_detect_event(d, &ev);
            }
            const struct session *se = d->last;
            const struct op *o = se != NULL && se->nops > 0
                                     ? &se->ops[se->nops - 1]
                                     : NULL;
            if (o == NULL ||
                o->print != fa_file_print(fa_hash(o->path, o->len, 5))) {
                fprintf(stderr, "print of name %zu (prepared %d) wrong\n", i,
                        prepared);
                bad++;
            }
        }
    }
    CHECK(bad == 0 && n == 14);
    fa_detect_destroy(d);
}

/* The session's index of fetched paths goes by prints, and prints of two
 * names can be the same: a page fetched, then another of the same print
 * put back larger, is not a page put back.  The control (the same page
 * both ways) is. */
struct print_of {
    uint32_t print, i;
};

static int cmp_print(const void *x, const void *y)
{
    const struct print_of *a = x, *b = y;
    return a->print != b->print ? (a->print < b->print ? -1 : 1)
                                : (a->i < b->i ? -1 : a->i > b->i);
}

static bool rewrite_found(const char *fetched, const char *put)
{
    struct fa_config cfg;
    fa_config_defaults(&cfg);
    cfg.bulk_min_files = 1;
    struct fa_detect *d = fa_detect_create(&cfg, NULL);
    struct fa_event ev = upload(0, FA_STR_LIT("webmaster"),
                                FA_STR_LIT("192.0.2.10"),
                                (struct fa_str){fetched, strlen(fetched)});
    ev.action = FA_ACT_DOWNLOAD;
    ev.bytes = 1000;
    fa_detect_event(d, &ev);
    ev = upload(5000000, FA_STR_LIT("webmaster"), FA_STR_LIT("192.0.2.10"),
                (struct fa_str){put, strlen(put)});
    ev.bytes = 1100;
    fa_detect_event(d, &ev);
    fa_detect_finish(d);
    bool found = false;
    for (size_t i = 0; i < fa_detect_nfindings(d); i++) {
        const struct fa_finding *f = fa_detect_finding(d, i);
        for (size_t k = 0; f != NULL && k < f->nrules; k++) {
            found |= strcmp(f->rules[k], "bulk-rewrite") == 0;
        }
    }
    fa_detect_destroy(d);
    return found;
}

static void test_fetched_by_print(void)
{
    /* Enough names that two share a print (about 37 pairs expected). */
    const uint32_t n = 1u << 19;
    struct print_of *p = malloc(n * sizeof(*p));
    char name[64];
    for (uint32_t i = 0; i < n; i++) {
        int len = snprintf(name, sizeof(name), "/www/p%u.html", i);
        p[i] = (struct print_of){
            fa_file_print(fa_hash(name, (size_t)len, 5)), i};
    }
    qsort(p, n, sizeof(*p), cmp_print);
    uint32_t a = 0, b = 0;
    for (uint32_t i = 1; i < n && a == b; i++) {
        if (p[i].print == p[i - 1].print) {
            a = p[i - 1].i;
            b = p[i].i;
        }
    }
    free(p);
    CHECK(a != b);
    char na[64], nb[64];
    snprintf(na, sizeof(na), "/www/p%u.html", a);
    snprintf(nb, sizeof(nb), "/www/p%u.html", b);
    CHECK(rewrite_found(na, na));
    CHECK(!rewrite_found(na, nb));
}

/* Both key hashes keep their values: state files hold them.  fa_hash_v1's
 * are those version-1 files were written with (FNV-1a, as every build
 * before version 2 took them). */
static void test_hash_values(void)
{
    CHECK(fa_hash_v1("203.0.113.9", 11, 7) == 0x041dc5fdbc07116aULL);
    CHECK(fa_hash_v1("webmaster", 9, 2) == 0xda27f2a1ab0a6883ULL);
    CHECK(fa_hash_v1("", 0, 1) == 0x750b83f3f89b0d53ULL);
    CHECK(fa_hash_v1("/var/www/site/index.html", 24, 5) ==
          0x932eaa69d5951b71ULL);
    CHECK(fa_hash("203.0.113.9", 11, 7) == 0xfd51b4cb3219d626ULL);
    CHECK(fa_hash("webmaster", 9, 2) == 0xfa52cba174d71055ULL);
    CHECK(fa_hash("", 0, 1) == 0xed57f158600d4a7bULL);
    CHECK(fa_hash("/var/www/site/index.html", 24, 5) ==
          0x93cb5a6cb2eff59cULL);
    /* Inputs of one length never meet (each step is a bijection): every
     * 2-byte string, and every one-byte change of a 1..40-byte name; the
     * last word's overlapping reads included. */
    struct fa_u64set seen = {0};
    size_t dups = 0;
    for (unsigned v = 0; v < 65536; v++) {
        unsigned char b[2] = {(unsigned char)(v >> 8), (unsigned char)v};
        dups += !fa_u64set_add(&seen, fa_hash(b, 2, 7));
    }
    fa_u64set_free(&seen);
    for (size_t n = 1; n <= 40; n++) {
        char base[40];
        for (size_t i = 0; i < n; i++) {
            base[i] = (char)('a' + i % 26);
        }
        fa_u64set_add(&seen, fa_hash(base, n, 5));
        for (size_t i = 0; i < n; i++) {
            char t[40];
            memcpy(t, base, n);
            t[i] ^= 0x20;
            dups += !fa_u64set_add(&seen, fa_hash(t, n, 5));
        }
        fa_u64set_free(&seen);
    }
    CHECK(dups == 0);
    /* Seeds separate key spaces; no input hashes to 0 (the empty key). */
    CHECK(fa_hash("webmaster", 9, 2) != fa_hash("webmaster", 9, 3));
    CHECK(fa_hash("ab", 2, 0) != 0 && fa_hash_v1("ab", 2, 0) != 0);
}

static struct fa_event state_event(enum fa_action act, int64_t t,
                                   const char *path)
{
    struct fa_event ev = {0};
    ev.action = act;
    ev.outcome = FA_OUT_SUCCESS;
    ev.time_us = t;
    ev.user = FA_STR_LIT("webmaster");
    ev.ip = FA_STR_LIT("203.0.113.9");
    ev.path = path != NULL ? (struct fa_str){path, strlen(path)} : FA_STR_NULL;
    ev.bytes = path != NULL ? 10 : -1;
    return ev;
}

static uint32_t state_version(const char *path)
{
    unsigned char head[24] = {0};
    FILE *f = fopen(path, "rb");
    if (f != NULL) {
        if (fread(head, 1, sizeof(head), f) != sizeof(head)) {
            memset(head, 0, sizeof(head));
        }
        fclose(f);
    }
    uint32_t v;
    memcpy(&v, head + 20, 4);
    return v;
}

/* A version-1 state file (keys by fa_hash_v1) loads, its baselines match
 * the next events, and it is written back as version 1; a new file is
 * version 2, keyed by fa_hash. */
static void test_state_v1(void)
{
    char dir[] = "/tmp/ftpaudit-unit-XXXXXX";
    if (mkdtemp(dir) == NULL) {
        CHECK(!"mkdtemp");
        return;
    }
    char path[64], err[256];
    snprintf(path, sizeof(path), "%s/v1.state", dir);
    struct fa_config cfg;
    fa_config_defaults(&cfg);
    const int64_t t0 = 1800000000000000LL;
    for (int v1 = 1; v1 >= 0; v1--) {
        struct fa_detect *d = fa_detect_create(&cfg, NULL);
        d->hash_v1 = v1; /* what loading a version-1 file sets */
        struct fa_event ev = state_event(FA_ACT_LOGIN, t0, NULL);
        fa_detect_event(d, &ev);
        ev = state_event(FA_ACT_UPLOAD, t0 + 1000000, "/www/index.html");
        fa_detect_event(d, &ev);
        fa_detect_finish(d);
        struct fa_state_files files = {0};
        CHECK(fa_state_save(path, d, &files, false, err, sizeof(err)) == 0);
        CHECK(state_version(path) == (v1 ? 1u : FA_STATE_VERSION));
        fa_detect_destroy(d);

        struct fa_detect *e = fa_detect_create(&cfg, NULL);
        bool in_progress = true;
        CHECK(fa_state_load(path, e, &files, &in_progress, err,
                            sizeof(err)) == 1);
        CHECK(e->hash_v1 == (bool)v1 && !in_progress);
        ev = state_event(FA_ACT_LOGIN, t0 + 86400000000LL, NULL);
        struct fa_prepared k;
        fa_detect_prepare(e, &ev, &k);
        uint64_t (*h)(const void *, size_t, uint64_t) =
            v1 ? fa_hash_v1 : fa_hash;
        CHECK(k.id == (h("", 0, 1) ^ h("webmaster", 9, 2)));
        struct account *a = fa_u64map_get(&e->accounts, k.id);
        CHECK(a != NULL && a->sessions == 1);
        if (a != NULL) {
            CHECK(fa_u64set_has(&a->ips, k.ih));
            CHECK(fa_account_knows(a, h("/www/index.html", 15, 5)));
        }
        fa_detect_event_prepared(e, &ev, &k);
        fa_detect_finish(e);
        CHECK(e->nacct == 1);
        CHECK(fa_state_save(path, e, &files, false, err, sizeof(err)) == 0);
        CHECK(state_version(path) == (v1 ? 1u : FA_STATE_VERSION));
        fa_state_files_free(&files);
        fa_detect_destroy(e);
        unlink(path);
    }
    rmdir(dir);
}

int main(void)
{
    test_op_prints();
    test_fetched_by_print();
    test_event_files();
    test_sweep();
    test_hash_values();
    test_state_v1();
    test_path_kind();
    test_op_names();
    test_network_text();
    test_op_name_after_block_end();
    test_file_prints();
    test_spool(NULL);
    /* No temporary file can be made: the spool is memory, the same. */
    test_spool("/nonexistent/ftpaudit-test");
    test_spool_full();
    return check_done();
}
