#include "hashset.h"

#include <stdlib.h>
#include <string.h>

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (p == NULL) {
        abort();
    }
    return p;
}

uint64_t fa_hash_v1(const void *p, size_t n, uint64_t seed)
{
    /* FNV-1a: a multiply per byte, each waiting for the one before. */
    const unsigned char *s = p;
    uint64_t h = 1469598103934665603ULL ^ (seed * 0x9E3779B97F4A7C15ULL);
    for (size_t i = 0; i < n; i++) {
        h = (h ^ s[i]) * 1099511628211ULL;
    }
    return fa_hash_avalanche(h);
}

static uint32_t slot(uint64_t key, uint32_t cap)
{
    return (uint32_t)(key ^ (key >> 32)) & (cap - 1);
}

static void set_grow(struct fa_u64set *s)
{
    uint32_t cap = s->cap ? s->cap * 2 : 8;
    uint64_t *keys = xcalloc(cap, sizeof(*keys));
    for (uint32_t i = 0; i < s->cap; i++) {
        uint64_t k = s->keys[i];
        if (k != 0) {
            uint32_t j = slot(k, cap);
            while (keys[j] != 0) {
                j = (j + 1) & (cap - 1);
            }
            keys[j] = k;
        }
    }
    free(s->keys);
    s->keys = keys;
    s->cap = cap;
}

bool fa_u64set_add(struct fa_u64set *s, uint64_t key)
{
    if (key == 0) {
        key = 1;
    }
    if ((s->n + 1) * 4 > s->cap * 3) {
        set_grow(s);
    }
    uint32_t j = slot(key, s->cap);
    while (s->keys[j] != 0) {
        if (s->keys[j] == key) {
            return false;
        }
        j = (j + 1) & (s->cap - 1);
    }
    s->keys[j] = key;
    s->n++;
    return true;
}

bool fa_u64set_has(const struct fa_u64set *s, uint64_t key)
{
    if (key == 0) {
        key = 1;
    }
    if (s->cap == 0) {
        return false;
    }
    uint32_t j = slot(key, s->cap);
    while (s->keys[j] != 0) {
        if (s->keys[j] == key) {
            return true;
        }
        j = (j + 1) & (s->cap - 1);
    }
    return false;
}

void fa_u64set_free(struct fa_u64set *s)
{
    free(s->keys);
    memset(s, 0, sizeof(*s));
}

static void map_grow(struct fa_u64map *m)
{
    uint32_t cap = m->cap ? m->cap * 2 : 16;
    struct fa_u64map_entry *e = xcalloc(cap, sizeof(*e));
    for (uint32_t i = 0; i < m->cap; i++) {
        if (m->e[i].key != 0) {
            uint32_t j = slot(m->e[i].key, cap);
            while (e[j].key != 0) {
                j = (j + 1) & (cap - 1);
            }
            e[j] = m->e[i];
        }
    }
    free(m->e);
    m->e = e;
    m->cap = cap;
}

void *fa_u64map_get(const struct fa_u64map *m, uint64_t key)
{
    if (m->cap == 0) {
        return NULL;
    }
    uint32_t j = slot(key, m->cap);
    while (m->e[j].key != 0) {
        if (m->e[j].key == key) {
            return m->e[j].val;
        }
        j = (j + 1) & (m->cap - 1);
    }
    return NULL;
}

void fa_u64map_put(struct fa_u64map *m, uint64_t key, void *val)
{
    if ((m->n + 1) * 4 > m->cap * 3) {
        map_grow(m);
    }
    uint32_t j = slot(key, m->cap);
    while (m->e[j].key != 0) {
        if (m->e[j].key == key) {
            m->e[j].val = val;
            return;
        }
        j = (j + 1) & (m->cap - 1);
    }
    m->e[j].key = key;
    m->e[j].val = val;
    m->n++;
}

void *fa_u64map_del(struct fa_u64map *m, uint64_t key)
{
    if (m->cap == 0) {
        return NULL;
    }
    uint32_t j = slot(key, m->cap);
    while (m->e[j].key != 0 && m->e[j].key != key) {
        j = (j + 1) & (m->cap - 1);
    }
    if (m->e[j].key == 0) {
        return NULL;
    }
    void *val = m->e[j].val;
    m->e[j] = (struct fa_u64map_entry){0, NULL};
    m->n--;
    /* Re-insert the rest of the cluster (backward-shift deletion). */
    uint32_t k = (j + 1) & (m->cap - 1);
    while (m->e[k].key != 0) {
        struct fa_u64map_entry kv = m->e[k];
        m->e[k] = (struct fa_u64map_entry){0, NULL};
        m->n--;
        fa_u64map_put(m, kv.key, kv.val);
        k = (k + 1) & (m->cap - 1);
    }
    return val;
}

void fa_u64map_clear(struct fa_u64map *m)
{
    /* Clearing costs the whole table: one much larger than what it held
     * (a long session's, reused for the short ones after it) goes. */
    if (m->cap > 1024 || (m->cap > 64 && m->n * 8 < m->cap)) {
        fa_u64map_free(m);
        return;
    }
    if (m->n > 0) {
        memset(m->e, 0, m->cap * sizeof(*m->e));
        m->n = 0;
    }
}

void fa_u64map_free(struct fa_u64map *m)
{
    free(m->e);
    memset(m, 0, sizeof(*m));
}
