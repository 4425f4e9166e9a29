/*
 * Small bounded scanning helpers for parsers.  Every function stays within
 * the length it is given; none allocates.
 */
#ifndef FA_PARSERS_STRUTIL_H
#define FA_PARSERS_STRUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../analysis/event.h"

FA_INLINE struct fa_str fa_str_make(const char *p, size_t n)
{
    return (struct fa_str){p, n};
}

/* The first w and the last w bytes of a[0..n) and b[0..n) are the same
 * (w is 4 or 8, w <= n <= 2w: two loads cover all n bytes). */
FA_INLINE bool fa_same_ends(const char *a, const char *b, size_t n,
                            size_t w)
{
    uint64_t x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    memcpy(&x0, a, w);
    memcpy(&y0, b, w);
    memcpy(&x1, a + n - w, w);
    memcpy(&y1, b + n - w, w);
    return ((x0 ^ y0) | (x1 ^ y1)) == 0;
}

/* a[0..n) and b[0..n) hold the same bytes.  Up to 32 bytes by
 * overlapping loads, with no call: the parsers compare short keywords
 * and stamps of a length known only at run time on every line. */
FA_INLINE bool fa_same(const char *a, const char *b, size_t n)
{
    if (n > 16 && n <= 32) {
        return fa_same_ends(a, b, 16, 8) &&
               fa_same_ends(a + n - 16, b + n - 16, 16, 8);
    }
    if (n >= 8) {
        return n <= 16 ? fa_same_ends(a, b, n, 8) : memcmp(a, b, n) == 0;
    }
    if (n >= 4) {
        return fa_same_ends(a, b, n, 4);
    }
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i]) {
            return false;
        }
    }
    return true;
}

/* p[0..len) starts with the NUL-terminated lit (a literal's length
 * folds to a constant, and fa_same to a few loads). */
FA_INLINE bool fa_starts(const char *p, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    return len >= n && fa_same(p, lit, n);
}

/* p[0..len) ends with the NUL-terminated lit. */
FA_INLINE bool fa_ends(const char *p, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    return len >= n && fa_same(p + len - n, lit, n);
}

FA_INLINE bool fa_str_eq(struct fa_str s, const char *lit)
{
    size_t n = strlen(lit);
    return s.len == n && fa_same(s.ptr, lit, n);
}

/* Eight bytes at p as one little-endian word (the parsers' word-at-a-time
 * scans assume little-endian byte order, as on every target built). */
FA_INLINE uint64_t fa_load8(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* The number written by the eight decimal digits of x, already taken
 * to 0..9 (byte 0, the first in memory, is the most significant): pairs,
 * then fours, then the eight are summed in place. */
FA_INLINE uint64_t fa_word_digits8(uint64_t x)
{
    x = (x * 10 + (x >> 8)) & 0x00FF00FF00FF00FFULL;
    x = (x * 100 + (x >> 16)) & 0x0000FFFF0000FFFFULL;
    return (x * 10000 + (x >> 32)) & 0xFFFFFFFFULL;
}

/* The value of the k ASCII digits (1 <= k <= 8) that start the word v;
 * the bytes after them are ignored (a borrow only runs towards them). */
FA_INLINE uint64_t fa_word_digits(uint64_t v, unsigned k)
{
    uint64_t x = v - 0x3030303030303030ULL;
    return fa_word_digits8(k < 8 ? x << (8 * (8 - k)) : x);
}

/* The value of the k ASCII digits (1 <= k <= 8) that end the word v; the
 * bytes before them are ignored (cleared before the subtraction, whose
 * borrow would otherwise run into the digits). */
FA_INLINE uint64_t fa_word_digits_end(uint64_t v, unsigned k)
{
    uint64_t m = k < 8 ? ~0ULL << (8 * (8 - k)) : ~0ULL;
    return fa_word_digits8((v & m) - (0x3030303030303030ULL & m));
}

/* Top bit of each byte of v that is not an ASCII digit, exact in every
 * byte. */
FA_INLINE uint64_t fa_word_nondigit(uint64_t v)
{
    return ~fa_word_in(v, '0', '9') & 0x8080808080808080ULL;
}

/* memmem(3), for fa_memmem's needles of more than 8 bytes. */
const char *fa_memmem_long(const char *p, size_t len, const char *needle,
                           size_t nlen);

/* First occurrence of needle (nlen bytes) in p[0..len), or NULL.
 * Inline: the parsers look for separators on every line. */
static inline const char *fa_memmem(const char *p, size_t len,
                                    const char *needle, size_t nlen)
{
    /* memmem wants real pointers even for empty ranges. */
    if (p == NULL || nlen > len) {
        return NULL;
    }
    /* The parsers look for short separators ("] ", "[pid ") that are
     * rare in a line: glibc's memmem sets up a two-way search on each
     * call, which costs more than memchr on the first byte. */
    if (nlen > 0 && nlen <= 8) {
        const char *q = p, *end = p + len - nlen + 1;
        while ((q = memchr(q, needle[0], (size_t)(end - q))) != NULL) {
            if (fa_same(q, needle, nlen)) {
                return q;
            }
            if (++q == end) {
                break;
            }
        }
        return NULL;
    }
    return fa_memmem_long(p, len, needle, nlen);
}

/* Last occurrence of needle in p[0..len), or NULL. */
const char *fa_memrmem(const char *p, size_t len, const char *needle,
                       size_t nlen);

/* Decimal unsigned number at p: returns digits used (0: none) and stores
 * the value, saturating at UINT64_MAX. */
size_t fa_parse_u64(const char *p, size_t len, uint64_t *out);

/* An IPv4-mapped IPv6 address "::ffff:a.b.c.d" (any case) as "a.b.c.d";
 * other text unchanged.  Returns a view into the same bytes. */
struct fa_str fa_ip_unmapped(struct fa_str ip);

/* The same, inline for the usual address that does not start with ':'. */
FA_INLINE struct fa_str fa_ip_normalize(struct fa_str ip)
{
    return ip.len > 0 && ip.ptr[0] == ':' ? fa_ip_unmapped(ip) : ip;
}

/* True when s looks like an IPv4 or IPv6 address (digits, hex, '.', ':'),
 * not a host name. */
bool fa_is_ip(struct fa_str s);

/* Trim spaces and tabs at both ends. */
struct fa_str fa_trim(struct fa_str s);

#endif
