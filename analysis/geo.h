/*
 * GeoIP and ASN lookups through libmaxminddb, for any MMDB schema in use:
 * GeoIP2/GeoLite2 and DB-IP (country.iso_code, registered_country),
 * ip-location-db and IPinfo style (top-level country_code / country),
 * ASN databases (autonomous_system_number / _organization, or IPinfo's
 * "asn": "AS123" with "as_name"/"name").  Several databases may be open at
 * once (a country database and an ASN database); each lookup asks them all
 * and takes the first answer for each field.  Results are cached per
 * address.
 */
#ifndef FA_ANALYSIS_GEO_H
#define FA_ANALYSIS_GEO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fa_geo;

struct fa_geo_result {
    char country[3];     /* ISO 3166-1 alpha-2, "" when unknown */
    uint32_t asn;        /* 0 when unknown */
    const char *as_org;  /* owned by the geo cache; "" when unknown */
};

/* An empty set (no database); lookups answer nothing. */
struct fa_geo *fa_geo_create(void);

/* Open one MMDB file and add it.  Returns 0, or -1 with a message in
 * err (size bytes): missing, corrupt or not an MMDB file. */
int fa_geo_add(struct fa_geo *g, const char *path, char *err, size_t size);

/* Number of databases open; what they hold ("country", "asn"). */
size_t fa_geo_count(const struct fa_geo *g);
bool fa_geo_has_country(const struct fa_geo *g);
bool fa_geo_has_asn(const struct fa_geo *g);

/* Look an address (text) up.  Returns false when the text is not an
 * address; *r is always filled. */
bool fa_geo_lookup(struct fa_geo *g, const char *ip, struct fa_geo_result *r);

/* Close all databases; accepts NULL. */
void fa_geo_destroy(struct fa_geo *g);

/* Paths of the common install locations, NULL-terminated. */
extern const char *const fa_geo_default_paths[];

#endif
