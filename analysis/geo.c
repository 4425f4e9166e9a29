#include "geo.h"

#include "event.h"

#include <arpa/inet.h>
#include <maxminddb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DBS 8
#define CACHE_BITS 14

const char *const fa_geo_default_paths[] = {
    "/usr/share/GeoIP/GeoLite2-Country.mmdb",
    "/usr/share/GeoIP/GeoLite2-City.mmdb",
    "/usr/share/GeoIP/GeoLite2-ASN.mmdb",
    "/var/lib/GeoIP/GeoLite2-Country.mmdb",
    "/var/lib/GeoIP/GeoLite2-City.mmdb",
    "/var/lib/GeoIP/GeoLite2-ASN.mmdb",
    "/usr/share/GeoIP/dbip-country-lite.mmdb",
    "/usr/share/GeoIP/dbip-asn-lite.mmdb",
    NULL,
};

struct db {
    MMDB_s mmdb;
    bool country, asn;   /* what its records hold, from a probe lookup */
};

struct cache_slot {
    char ip[46];
    struct fa_geo_result r;
    char org[96];
};

struct fa_geo {
    struct db dbs[MAX_DBS];
    size_t n;
    struct cache_slot *cache;
};

struct fa_geo *fa_geo_create(void)
{
    struct fa_geo *g = calloc(1, sizeof(*g));
    if (g == NULL) {
        abort();
    }
    return g;
}

static bool get_string(MMDB_entry_s *e, char *out, size_t size,
                       const char *const *path)
{
    MMDB_entry_data_s d;
    if (MMDB_aget_value(e, &d, path) != MMDB_SUCCESS || !d.has_data ||
        d.type != MMDB_DATA_TYPE_UTF8_STRING) {
        return false;
    }
    size_t n = d.data_size < size - 1 ? d.data_size : size - 1;
    memcpy(out, d.utf8_string, n);
    out[n] = '\0';
    return n > 0;
}

static bool get_uint(MMDB_entry_s *e, uint32_t *out, const char *const *path)
{
    MMDB_entry_data_s d;
    if (MMDB_aget_value(e, &d, path) != MMDB_SUCCESS || !d.has_data) {
        return false;
    }
    switch (d.type) {
    case MMDB_DATA_TYPE_UINT16:
        *out = d.uint16;
        return true;
    case MMDB_DATA_TYPE_UINT32:
        *out = d.uint32;
        return true;
    case MMDB_DATA_TYPE_UINT64:
        *out = (uint32_t)d.uint64;
        return true;
    case MMDB_DATA_TYPE_INT32:
        *out = (uint32_t)d.int32;
        return true;
    default:
        return false;
    }
}

/* Read what one record holds into r (fields not yet set only). */
static void read_record(MMDB_entry_s *e, struct fa_geo_result *r, char *org,
                        size_t orgsize, bool *has_country, bool *has_asn)
{
    static const char *const p_country[] = {"country", "iso_code", NULL};
    static const char *const p_reg[] = {"registered_country", "iso_code", NULL};
    static const char *const p_cc[] = {"country_code", NULL};
    static const char *const p_c[] = {"country", NULL};
    static const char *const p_asn[] = {"autonomous_system_number", NULL};
    static const char *const p_org[] = {"autonomous_system_organization", NULL};
    static const char *const p_asn_s[] = {"asn", NULL};
    static const char *const p_asname[] = {"as_name", NULL};
    static const char *const p_name[] = {"name", NULL};
    char cc[8];
    if (r->country[0] == '\0') {
        if (get_string(e, cc, sizeof(cc), p_country) ||
            get_string(e, cc, sizeof(cc), p_cc) ||
            get_string(e, cc, sizeof(cc), p_c) ||
            get_string(e, cc, sizeof(cc), p_reg)) {
            if (strlen(cc) == 2) {
                r->country[0] = cc[0];
                r->country[1] = cc[1];
                r->country[2] = '\0';
                *has_country = true;
            }
        }
    }
    if (r->asn == 0) {
        uint32_t asn;
        char text[32];
        if (get_uint(e, &asn, p_asn)) {
            r->asn = asn;
            *has_asn = true;
            get_string(e, org, orgsize, p_org);
        } else if (get_string(e, text, sizeof(text), p_asn_s)) {
            /* IPinfo / ip-location-db style: "AS13335". */
            const char *t = text;
            if ((t[0] == 'A' || t[0] == 'a') && (t[1] == 'S' || t[1] == 's')) {
                t += 2;
            }
            unsigned long v = strtoul(t, NULL, 10);
            if (v > 0 && v <= UINT32_MAX) {
                r->asn = (uint32_t)v;
                *has_asn = true;
                if (!get_string(e, org, orgsize, p_asname)) {
                    get_string(e, org, orgsize, p_name);
                }
            }
        }
    }
}

int fa_geo_add(struct fa_geo *g, const char *path, char *err, size_t size)
{
    if (g->n == MAX_DBS) {
        snprintf(err, size, "too many GeoIP databases (at most %d)", MAX_DBS);
        return -1;
    }
    struct db *d = &g->dbs[g->n];
    int rc = MMDB_open(path, MMDB_MODE_MMAP, &d->mmdb);
    if (rc != MMDB_SUCCESS) {
        snprintf(err, size, "%s: %s", path, MMDB_strerror(rc));
        return -1;
    }
    /* What does it hold?  The metadata's database_type names it for
     * MaxMind and DB-IP; other builders leave it free, so the record
     * layout decides: look a few addresses up. */
    const char *type = d->mmdb.metadata.database_type;
    if (type != NULL) {
        d->asn = strstr(type, "ASN") != NULL || strstr(type, "asn") != NULL;
        d->country = strstr(type, "Country") != NULL ||
                     strstr(type, "City") != NULL ||
                     strstr(type, "country") != NULL;
    }
    static const char *const probes[] = {"1.1.1.1", "8.8.8.8", "127.0.0.1",
                                         "2001:4860::1", "81.2.69.160"};
    for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
        int gai, mmerr;
        MMDB_lookup_result_s res =
            MMDB_lookup_string(&d->mmdb, probes[i], &gai, &mmerr);
        if (gai == 0 && mmerr == MMDB_SUCCESS && res.found_entry) {
            struct fa_geo_result r = {0};
            char org[8];
            read_record(&res.entry, &r, org, sizeof(org), &d->country,
                        &d->asn);
        }
    }
    /* Other builders: the first data records met walking the tree. */
    uint32_t limit = d->mmdb.metadata.node_count < 4096
                         ? d->mmdb.metadata.node_count
                         : 4096;
    for (uint32_t i = 0; i < limit && !(d->country && d->asn); i++) {
        MMDB_search_node_s node;
        if (MMDB_read_node(&d->mmdb, i, &node) != MMDB_SUCCESS) {
            break;
        }
        MMDB_entry_s *entries[2] = {&node.left_record_entry,
                                    &node.right_record_entry};
        int types[2] = {node.left_record_type, node.right_record_type};
        for (int k = 0; k < 2; k++) {
            if (types[k] == MMDB_RECORD_TYPE_DATA) {
                struct fa_geo_result r = {0};
                char org[8];
                read_record(entries[k], &r, org, sizeof(org), &d->country,
                            &d->asn);
            }
        }
    }
    /* A damaged data section shows up when the tree is walked. */
    MMDB_entry_data_list_s *list = NULL;
    int gai, mmerr;
    MMDB_lookup_result_s res =
        MMDB_lookup_string(&d->mmdb, "1.1.1.1", &gai, &mmerr);
    if (mmerr != MMDB_SUCCESS) {
        snprintf(err, size, "%s: %s", path, MMDB_strerror(mmerr));
        MMDB_close(&d->mmdb);
        return -1;
    }
    if (res.found_entry &&
        MMDB_get_entry_data_list(&res.entry, &list) != MMDB_SUCCESS) {
        snprintf(err, size, "%s: corrupt data section", path);
        MMDB_free_entry_data_list(list);
        MMDB_close(&d->mmdb);
        return -1;
    }
    MMDB_free_entry_data_list(list);
    g->n++;
    return 0;
}

size_t fa_geo_count(const struct fa_geo *g)
{
    return g->n;
}

bool fa_geo_has_country(const struct fa_geo *g)
{
    for (size_t i = 0; i < g->n; i++) {
        if (g->dbs[i].country) {
            return true;
        }
    }
    return false;
}

bool fa_geo_has_asn(const struct fa_geo *g)
{
    for (size_t i = 0; i < g->n; i++) {
        if (g->dbs[i].asn) {
            return true;
        }
    }
    return false;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    }
    return h;
}

bool fa_geo_lookup(struct fa_geo *g, const char *ip, struct fa_geo_result *r)
{
    memset(r, 0, sizeof(*r));
    r->as_org = "";
    unsigned char bin[16];
    bool is_ip = fa_ipv4_parse(ip, strlen(ip), bin) ||
                 inet_pton(AF_INET6, ip, bin) == 1;
    if (!is_ip || g->n == 0 || strlen(ip) >= sizeof(g->cache->ip)) {
        return is_ip;
    }
    if (g->cache == NULL) {
        g->cache = calloc((size_t)1 << CACHE_BITS, sizeof(*g->cache));
        if (g->cache == NULL) {
            abort();
        }
    }
    struct cache_slot *s =
        &g->cache[hash_str(ip) & (((size_t)1 << CACHE_BITS) - 1)];
    if (strcmp(s->ip, ip) != 0) {
        memset(s, 0, sizeof(*s));
        snprintf(s->ip, sizeof(s->ip), "%s", ip);
        for (size_t i = 0; i < g->n; i++) {
            int gai, mmerr;
            MMDB_lookup_result_s res =
                MMDB_lookup_string(&g->dbs[i].mmdb, ip, &gai, &mmerr);
            if (gai != 0 || mmerr != MMDB_SUCCESS || !res.found_entry) {
                continue;
            }
            bool c, a;
            read_record(&res.entry, &s->r, s->org, sizeof(s->org), &c, &a);
        }
    }
    *r = s->r;
    r->as_org = s->org;
    return true;
}

void fa_geo_destroy(struct fa_geo *g)
{
    if (g == NULL) {
        return;
    }
    for (size_t i = 0; i < g->n; i++) {
        MMDB_close(&g->dbs[i].mmdb);
    }
    free(g->cache);
    free(g);
}
