/*
 * Open-addressing sets and maps of 64-bit keys, for baselines that must
 * stay small: a set remembers hashes (of addresses, networks, paths), not
 * the strings.  Key 0 is reserved; fa_hash() never returns it.
 */
#ifndef FA_ANALYSIS_HASHSET_H
#define FA_ANALYSIS_HASHSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct fa_u64set {
    uint64_t *keys;
    uint32_t n, cap;   /* cap is 0 or a power of two */
};

/* Insert; returns true when key was new. */
bool fa_u64set_add(struct fa_u64set *s, uint64_t key);
bool fa_u64set_has(const struct fa_u64set *s, uint64_t key);
void fa_u64set_free(struct fa_u64set *s);

/* Map of key to a pointer: key and value side by side, so that a lookup
 * costs one cache miss, not two. */
struct fa_u64map_entry {
    uint64_t key; /* 0: empty */
    void *val;
};

struct fa_u64map {
    struct fa_u64map_entry *e;
    uint32_t n, cap;
};

void *fa_u64map_get(const struct fa_u64map *m, uint64_t key);
/* Insert or replace. */
void fa_u64map_put(struct fa_u64map *m, uint64_t key, void *val);
/* Remove; returns the value or NULL. */
void *fa_u64map_del(struct fa_u64map *m, uint64_t key);
void fa_u64map_free(struct fa_u64map *m);
/* Empty it, keeping its room (a small map) or freeing it (a large one). */
void fa_u64map_clear(struct fa_u64map *m);

/* The splitmix64 finaliser: every input bit reaches every output bit. */
static inline uint64_t fa_hash_avalanche(uint64_t h)
{
    h ^= h >> 30;
    h *= 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 27;
    h *= 0x94D049BB133111EBULL;
    h ^= h >> 31;
    return h ? h : 1;
}

/* Up to 8 bytes as one word, without reading past them. */
static inline uint64_t fa_hash_tail(const unsigned char *s, size_t n)
{
    uint64_t w = 0;
    if (n == 8) {
        memcpy(&w, s, 8);
    } else if (n >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, s, 4);
        memcpy(&hi, s + n - 4, 4); /* overlaps lo when n < 8 */
        w = (uint64_t)hi << 32 | lo;
    } else if (n > 0) {
        w = (uint64_t)s[0] << 16 | (uint64_t)s[n / 2] << 8 | s[n - 1];
    }
    return w;
}

/* A 64-bit hash of bytes, never 0; seed separates key spaces.  Eight
 * bytes a step.  Its values are kept in state files of version 2 and
 * later: it must never change.  Inline: the detector hashes each event's
 * user and address, and for such short keys a call cost as much. */
static inline uint64_t fa_hash(const void *p, size_t n, uint64_t seed)
{
    /* Eight bytes a step, each step a bijection of the running value
     * for a given word: two inputs of the same length differ until the
     * finaliser, itself a bijection (but for 0, which becomes 1).  The
     * length seeds it, as the last word's overlapping reads do not tell
     * lengths apart. */
    const unsigned char *s = p;
    uint64_t h = (seed + 1) * 0x9E3779B97F4A7C15ULL ^
                 (uint64_t)n * 0xFF51AFD7ED558CCDULL;
    while (n > 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
        h ^= h >> 31;
        s += 8;
        n -= 8;
    }
    h = (h ^ fa_hash_tail(s, n)) * 0xBF58476D1CE4E5B9ULL;
    return fa_hash_avalanche(h ^ (h >> 31));
}

/* The hash of version-1 state files (FNV-1a, a byte a step), kept so
 * that their baselines go on working: a detector that loaded one uses it
 * for every key (fa_key_hash). */
uint64_t fa_hash_v1(const void *p, size_t n, uint64_t seed);

static inline uint64_t fa_key_hash(bool v1, const void *p, size_t n,
                                   uint64_t seed)
{
    return v1 ? fa_hash_v1(p, n, seed) : fa_hash(p, n, seed);
}

#endif
