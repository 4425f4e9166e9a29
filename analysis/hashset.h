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

/* A 64-bit hash of bytes, never 0; seed separates key spaces.  Eight
 * bytes a step.  Its values are kept in state files of version 2 and
 * later: it must never change. */
uint64_t fa_hash(const void *p, size_t n, uint64_t seed);

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
