/*
 * The rule table.  Each rule judges one ended session against the
 * account's baseline as it stood before the session, and says in plain
 * words why it fired.  Weights combine in detect.c: novelty (where from)
 * counts at most 50, so a login from somewhere new is never on its own a
 * compromise; correlations (bursts, failures, other accounts) and actions
 * (what the session did to the files) add on top.  docs/rules/ has a page
 * per rule.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "detect_int.h"

/* Whether ext (a char[12], NUL-terminated unless all 12 are used) is
 * exactly n bytes long. */
static bool ext_len_is(const char *ext, size_t n)
{
    return n <= 12 && (n == 12 || ext[n] == '\0') && memchr(ext, 0, n) == NULL;
}

bool fa_path_has_ext(const char *path, const char (*exts)[12], size_t n)
{
    const char *base = fa_basename(path);
    const char *dot = strrchr(base, '.');
    if (dot == NULL) {
        return false;
    }
    /* Lengths and the first letter first: this runs for every upload
     * against every listed extension, and most differ there. */
    size_t dl = strlen(dot), bl = (size_t)(dot - base) + dl;
    int first = dl > 1 ? tolower((unsigned char)dot[1]) : 0;
    for (size_t i = 0; i < n; i++) {
        const char *e = exts[i];
        if (tolower((unsigned char)e[1]) == first && ext_len_is(e, dl) &&
            strncasecmp(dot, e, dl) == 0) {
            return true;
        }
        /* A whole name listed (".htaccess") matches the whole name. */
        if (e[0] == '.' && bl != dl && ext_len_is(e, bl) &&
            strncasecmp(base, e, bl) == 0) {
            return true;
        }
    }
    return false;
}

const char *fa_basename(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

uint8_t fa_path_kind(const struct fa_config *cfg, const char *path)
{
    uint8_t k = FA_PK_TAKEN;
    if (fa_path_has_ext(path, cfg->web_exts, cfg->nweb)) {
        k |= FA_PK_WEB;
    }
    if (fa_path_has_ext(path, cfg->script_exts, cfg->nscript)) {
        k |= FA_PK_SCRIPT;
    }
    const char *base = fa_basename(path);
    if (strcasecmp(base, ".htaccess") == 0 ||
        strcasecmp(base, ".user.ini") == 0) {
        k |= FA_PK_CONFIG;
    }
    return k;
}

/* Novelty is judged against what the account itself did: an account that
 * is past its learning days only because bots guessed at it since then has
 * no places yet, and nothing can be new to it. */
static bool new_ip(const struct rule_ctx *c, char *r, size_t n)
{
    if (!c->established || !c->new_ip || c->a->ips.n == 0) {
        return false;
    }
    snprintf(r, n, "first login from %s for this account (%u addresses "
                   "seen in %llu sessions before)",
             c->s->ip, c->a->ips.n, (unsigned long long)c->a->sessions);
    return true;
}

static bool new_network(const struct rule_ctx *c, char *r, size_t n)
{
    if (!c->established || !c->new_wide || c->a->net_wide.n == 0) {
        return false;
    }
    snprintf(r, n, "%s is in a network this account never used (no "
                   "earlier login from the same /16 or IPv6 /32)", c->s->ip);
    return true;
}

static bool new_country(const struct rule_ctx *c, char *r, size_t n)
{
    const char *cc = c->s->geo.country;
    if (!c->established || !c->geo_country || cc[0] == '\0' ||
        c->a->countries.n == 0 ||
        fa_u64set_has(&c->a->countries, fa_key_hash(c->hash_v1, cc, 2, 3))) {
        return false;
    }
    int days = (int)((c->s->start - c->a->first_us) / 86400000000LL);
    snprintf(r, n, "first login from %s for this account in %d days of "
                   "history", cc, days);
    return true;
}

static bool new_asn(const struct rule_ctx *c, char *r, size_t n)
{
    uint32_t asn = c->s->geo.asn;
    if (!c->established || !c->geo_asn || asn == 0 || c->a->asns.n == 0 ||
        fa_u64set_has(&c->a->asns,
                       fa_key_hash(c->hash_v1, &asn, sizeof(asn), 4))) {
        return false;
    }
    snprintf(r, n, "first login from network operator AS%u%s%s%s", asn,
             c->s->as_org[0] ? " (" : "", c->s->as_org,
             c->s->as_org[0] ? ")" : "");
    return true;
}

static bool impossible_travel(const struct rule_ctx *c, char *r, size_t n)
{
    const char *cc = c->s->geo.country;
    if (!c->established || cc[0] == '\0' || c->a->countries.n == 0 ||
        fa_u64set_has(&c->a->countries, fa_key_hash(c->hash_v1, cc, 2, 3))) {
        return false;
    }
    int64_t w = (int64_t)c->cfg->travel_window * 1000000;
    for (size_t i = 0; i < RECENT && i < c->a->nlogins; i++) {
        const struct recent *e = &c->a->logins[i];
        if (e->key == c->s->iphash || e->country[0] == '\0' ||
            strcmp(e->country, cc) == 0) {
            continue;
        }
        int64_t d = e->t - c->s->start;
        if (d < 0) {
            d = -d;
        }
        if (d <= w) {
            snprintf(r, n, "the account was also used from %s %lld minutes "
                           "%s this login from %s",
                     e->country, (long long)(d / 60000000),
                     e->t <= c->s->start ? "before" : "after", cc);
            return true;
        }
    }
    return false;
}

static bool ip_burst(const struct rule_ctx *c, char *r, size_t n)
{
    int64_t w = (int64_t)c->cfg->burst_window * 1000000;
    uint64_t seen[RECENT];
    size_t k = 0;
    for (size_t i = 0; i < RECENT && i < c->a->nlogins; i++) {
        const struct recent *e = &c->a->logins[i];
        if (e->t < c->s->start - w || e->t > c->s->start + w) {
            continue;
        }
        bool dup = false;
        for (size_t j = 0; j < k && !dup; j++) {
            dup = seen[j] == e->key;
        }
        if (!dup) {
            seen[k++] = e->key;
        }
    }
    if ((int)k < c->cfg->burst_ips) {
        return false;
    }
    snprintf(r, n, "%zu different addresses logged into this account "
                   "within %d minutes", k, c->cfg->burst_window / 60);
    return true;
}

/* The session's failure count is the larger of the address's streak and
 * the account's; only the address's own failures make this rule.  Bots
 * guessing at an account from other addresses while its owner logs in say
 * nothing about the owner's login (ip->fails_total bounds what this
 * address itself can have failed). */
static bool fail_then_success(const struct rule_ctx *c, char *r, size_t n)
{
    if (!c->s->login_ok || c->ip == NULL) {
        return false;
    }
    uint64_t own = c->s->fails;
    if (c->ip->fails_total < own) {
        own = c->ip->fails_total;
    }
    if (own >= (uint64_t)c->cfg->fail_min) {
        snprintf(r, n, "%llu failed logins from %s before the successful "
                       "one", (unsigned long long)own, c->s->ip);
        return true;
    }
    return false;
}

static bool cross_account(const struct rule_ctx *c, char *r, size_t n)
{
    if (c->ip == NULL || !c->new_ip) {
        return false;
    }
    int64_t w = (int64_t)c->cfg->cross_window * 1000000;
    uint64_t seen[RECENT];
    size_t k = 0;
    for (size_t i = 0; i < RECENT && i < c->ip->nnew; i++) {
        const struct recent *e = &c->ip->newacct[i];
        if (e->key == c->a->id || e->t < c->s->start - w ||
            e->t > c->s->start + w) {
            continue;
        }
        bool dup = false;
        for (size_t j = 0; j < k && !dup; j++) {
            dup = seen[j] == e->key;
        }
        if (!dup) {
            seen[k++] = e->key;
        }
    }
    if ((int)k + 1 < c->cfg->cross_accounts) {
        return false;
    }
    snprintf(r, n, "same address logged into %zu other accounts that had "
                   "never seen it, within %d minutes",
             k, c->cfg->cross_window / 60);
    return true;
}

static int hour_of(int64_t us, int32_t offset)
{
    int64_t t = us / 1000000 + offset;
    int64_t h = (t >= 0 ? t : t - 3599) / 3600;
    return (int)(((h % 24) + 24) % 24);
}

/* Habits are judged by hour of day, one hour either side: a few dozen
 * sessions spread over 168 hours of the week leave most hours empty even
 * for a webmaster who always works in the evening. */
static bool off_hours(const struct rule_ctx *c, char *r, size_t n)
{
    const struct op *up = NULL;
    for (size_t i = 0; i < c->s->nops && up == NULL; i++) {
        if (c->s->ops[i].action == FA_ACT_UPLOAD &&
            c->s->ops[i].outcome != FA_OUT_FAILURE) {
            up = &c->s->ops[i];
        }
    }
    if (up == NULL) {
        return false;
    }
    int hour = hour_of(up->t, c->s->utc_offset);
    if (c->a->sessions >= (uint64_t)c->cfg->offhours_min_history) {
        const uint32_t *h24 = c->a->hours24;
        uint32_t near = h24[hour] + h24[(hour + 1) % 24] +
                        h24[(hour + 23) % 24];
        if ((double)near >= c->cfg->offhours_share * (double)c->a->sessions) {
            return false;
        }
        snprintf(r, n, "uploaded at %02d:00 (local), an hour this account "
                       "is almost never active (%u of %llu sessions began "
                       "within an hour of it)",
                 hour, near, (unsigned long long)c->a->sessions);
        return true;
    }
    if (hour >= c->cfg->business_start && hour < c->cfg->business_end) {
        return false;
    }
    snprintf(r, n, "uploaded at %02d:00 (local), outside business hours "
                   "(too little history to know the account's habits)",
             hour);
    return true;
}

/* Each upload asks whether its path existed before: written or fetched by
 * the account in earlier sessions, or fetched earlier in this one
 * (c->fetched, indexed once per session by judge() in detect.c, so a
 * session of many thousand transfers stays linear). */
static bool bulk_rewrite(const struct rule_ctx *c, char *r, size_t n)
{
    uint32_t count = 0, grew = 0;
    for (size_t i = 0; i < c->s->nops; i++) {
        const struct op *o = &c->s->ops[i];
        const struct op *dn = c->fetched[i];
        if (o->action != FA_ACT_UPLOAD || o->outcome == FA_OUT_FAILURE ||
            !(fa_op_kind(c->cfg, o, false) & FA_PK_WEB)) {
            continue;
        }
        if (dn == NULL &&
            !fa_account_knows(c->a,
                              fa_op_print(c->hash, i, o, false, c->hash_v1))) {
            continue;
        }
        count++;
        grew += dn != NULL && dn->bytes >= 0 && o->bytes > dn->bytes;
    }
    if (count < (uint32_t)c->cfg->bulk_min_files) {
        return false;
    }
    /* Pages fetched and every one put back larger: content was added to
     * the whole site, whatever the account's habit.  Deploy tools and
     * site generators, the habit's reason, upload without fetching. */
    if (grew >= (uint32_t)c->cfg->bulk_min_files) {
        snprintf(r, n, "fetched %u web files and put them back larger later "
                       "in the same session (%u existing web files "
                       "overwritten)", grew, count);
        return true;
    }
    double usual = c->a->sessions ? (double)c->a->changed_sum /
                                        (double)c->a->sessions
                                  : 0.0;
    if ((double)count <= c->cfg->bulk_factor * usual) {
        return false;
    }
    snprintf(r, n, "overwrote %u existing web files in one session (usually "
                   "%.1f files changed per session)", count, usual);
    return true;
}

/* Files fetched and put back within reupload_window in one session:
 * worked out for the first rule that asks, kept for the other. */
static const struct fa_reup *reuploads(const struct rule_ctx *c)
{
    struct fa_reup *o = c->reup;
    if (o->done) {
        return o;
    }
    int64_t w = (int64_t)c->cfg->reupload_window * 1000000;
    memset(o, 0, sizeof(*o));
    o->done = true;
    for (size_t i = 0; i < c->s->nops; i++) {
        const struct op *up = &c->s->ops[i];
        if (up->action != FA_ACT_UPLOAD || up->outcome == FA_OUT_FAILURE) {
            continue;
        }
        /* Operations are in time order: look back only over the window,
         * so a session of many thousand transfers stays linear. */
        for (size_t j = i; j-- > 0;) {
            const struct op *dn = &c->s->ops[j];
            if (up->t - dn->t > w) {
                break;
            }
            /* The names themselves only when their prints agree: they
             * are seldom in cache by the time a session is judged. */
            if (dn->action != FA_ACT_DOWNLOAD ||
                dn->outcome == FA_OUT_FAILURE ||
                fa_op_print(c->hash, j, dn, false, c->hash_v1) !=
                    fa_op_print(c->hash, i, up, false, c->hash_v1) ||
                strcmp(dn->path, up->path) != 0) {
                continue;
            }
            o->count++;
            if (dn->bytes >= 0 && up->bytes > dn->bytes) {
                int64_t g = up->bytes - dn->bytes;
                if (o->larger == 0 || g < o->grew_min) {
                    o->grew_min = g;
                }
                if (g > o->grew_max) {
                    o->grew_max = g;
                }
                o->larger++;
            }
            if (o->first == 0 || dn->t < o->first) {
                o->first = dn->t;
            }
            if (up->t > o->last) {
                o->last = up->t;
            }
            break;
        }
    }
    return o;
}

static bool reupload(const struct rule_ctx *c, char *r, size_t n)
{
    const struct fa_reup *o = reuploads(c);
    if (o->count < (uint32_t)c->cfg->reupload_min_files || o->count == 0) {
        return false;
    }
    long secs = (long)((o->last - o->first) / 1000000);
    snprintf(r, n, "downloaded and re-uploaded %u file%s within %ld "
                   "second%s (%u came back larger)",
             o->count, o->count == 1 ? "" : "s", secs, secs == 1 ? "" : "s",
             o->larger);
    return true;
}

/* Several files fetched and put back within seconds, each a little
 * larger: the same code added to every one (Gumblar's <script> or
 * <iframe>).  A person editing by hand needs longer than the window for
 * even one file. */
static bool reupload_grew(const struct rule_ctx *c, char *r, size_t n)
{
    const struct fa_reup *o = reuploads(c);
    if (o->larger < (uint32_t)c->cfg->reupload_grew_files || o->larger == 0) {
        return false;
    }
    snprintf(r, n, "%u files came back larger within seconds of being "
                   "downloaded (each grew by %lld to %lld bytes): code was "
                   "added to them",
             o->larger, (long long)o->grew_min, (long long)o->grew_max);
    return true;
}

static const char *const static_dirs[] = {
    "images", "image", "img", "imgs", "uploads", "upload", "media", "static",
    "assets", "css", "fonts", "files", "cache", "tmp", "pictures", "photos",
    NULL,
};

static bool in_static_dir(const char *path)
{
    const char *p = path;
    while ((p = strchr(p, '/')) != NULL) {
        p++;
        for (size_t i = 0; static_dirs[i] != NULL; i++) {
            size_t k = strlen(static_dirs[i]);
            /* The first letter first (the names are lower case): this
             * runs for each directory of each script written. */
            if ((*p | 0x20) == static_dirs[i][0] &&
                strncasecmp(p, static_dirs[i], k) == 0 && p[k] == '/') {
                return true;
            }
        }
    }
    return false;
}

static bool webshell(const struct rule_ctx *c, char *r, size_t n)
{
    bool hit = false;
    for (size_t i = 0; i < c->s->nops && !hit; i++) {
        const struct op *o = &c->s->ops[i];
        const char *p = NULL;
        bool second = false;
        if (o->action == FA_ACT_UPLOAD && o->outcome != FA_OUT_FAILURE) {
            p = o->path;
        } else if (o->action == FA_ACT_RENAME && o->path2 != NULL) {
            p = o->path2;
            second = true;
        }
        /* Only scripts and configuration files matter here. */
        uint8_t kind = p != NULL ? fa_op_kind(c->cfg, o, second) : 0;
        if (!(kind & (FA_PK_SCRIPT | FA_PK_CONFIG))) {
            continue;
        }
        /* A file fetched earlier in the session existed: changed, not
         * dropped (the owner editing .htaccess). */
        const struct op *dn = c->fetched[i];
        if ((dn != NULL && p == o->path) ||
            fa_account_knows(c->a,
                             fa_op_print(c->hash, i, o, second, c->hash_v1))) {
            continue;
        }
        const char *base = fa_basename(p);
        if (kind & FA_PK_CONFIG) {
            snprintf(r, n, "wrote a new server configuration file %s", p);
            hit = true;
        } else if (in_static_dir(p)) {
            snprintf(r, n, "dropped a new script %s in a static or upload "
                           "folder", p);
            hit = true;
        } else if (base[0] == '.') {
            snprintf(r, n, "dropped a new hidden script %s", p);
            hit = true;
        }
    }
    return hit;
}

const struct fa_rule fa_rules[] = {
    {"new-ip", "New source address",
     "A login from an address the account never used.", "T1078",
     CLASS_NOVELTY, 5, new_ip},
    {"new-network", "New network",
     "A login from a /16 (IPv6 /32) the account never used.", "T1078",
     CLASS_NOVELTY, 15, new_network},
    {"new-country", "New country",
     "A login from a country the account never logged in from.", "T1078",
     CLASS_NOVELTY, 30, new_country},
    {"new-asn", "New network operator",
     "A login from an autonomous system the account never used.", "T1078",
     CLASS_NOVELTY, 15, new_asn},
    {"impossible-travel", "Impossible travel or concurrent use",
     "The account active from two countries closer in time than travel "
     "allows.", "T1078", CLASS_NOVELTY, 20, impossible_travel},
    {"ip-burst", "Burst of source addresses",
     "Many distinct addresses logging into one account within minutes.",
     "T1078", CLASS_CORRELATION, 25, ip_burst},
    {"fail-then-success", "Failures then success",
     "A run of failed logins that ends in a successful one from the same "
     "address.", "T1110", CLASS_CORRELATION, 25, fail_then_success},
    {"cross-account", "One address, several accounts",
     "One address new to several accounts logs into each within a short "
     "window.", "T1078", CLASS_CORRELATION, 30, cross_account},
    {"off-hours-upload", "Off-hours upload",
     "An upload at an hour of the day the account is normally idle.",
     "T1078", CLASS_NOVELTY, 10, off_hours},
    {"bulk-rewrite", "Bulk rewrite of web files",
     "Many existing web pages overwritten in one session, far above the "
     "account's habit.", "T1565.001", CLASS_ACTION, 30, bulk_rewrite},
    {"download-reupload", "Download then re-upload",
     "The same file downloaded and uploaded again within seconds (the "
     "Gumblar signature).", "T1565.001", CLASS_ACTION, 40, reupload},
    {"reupload-grew", "Re-uploaded files grew",
     "Several files downloaded and put back within seconds, each larger "
     "than before: code added to each.", "T1565.001", CLASS_ACTION, 30,
     reupload_grew},
    {"webshell-drop", "Script or config drop",
     "A new script in a static or upload folder, a hidden script, or a "
     "new .htaccess.", "T1505.003", CLASS_ACTION, 35, webshell},
    {"brute-force", "Brute force without success",
     "Many failed logins from one address and no success: information, "
     "not a compromise.", "T1110", CLASS_CORRELATION, 0, NULL},
};
const size_t fa_nrules = sizeof(fa_rules) / sizeof(fa_rules[0]);

size_t fa_rule_count(void)
{
    return fa_nrules;
}

void fa_rule_info(size_t i, const char **id, const char **name,
                  const char **description, const char **technique,
                  int *weight)
{
    const struct fa_rule *r = &fa_rules[i < fa_nrules ? i : 0];
    *id = r->id;
    *name = r->name;
    *description = r->description;
    *technique = r->technique;
    *weight = r->weight;
}
