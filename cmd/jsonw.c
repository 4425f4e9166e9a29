#include "jsonw.h"

#include "../analysis/event.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define JW_CAP (1 << 20)

void jw_init(struct jw *w, FILE *out)
{
    w->out = out;
    w->cap = JW_CAP;
    w->len = 0;
    w->failed = false;
    w->buf = malloc(w->cap);
    if (w->buf == NULL) {
        abort();
    }
}

void jw_flush(struct jw *w)
{
    if (w->len > 0 && fwrite(w->buf, 1, w->len, w->out) != w->len) {
        w->failed = true;
    }
    w->len = 0;
}

void jw_finish(struct jw *w)
{
    jw_flush(w);
    if (fflush(w->out) != 0) {
        w->failed = true;
    }
    free(w->buf);
    w->buf = NULL;
}

void jw_grow(struct jw *w, size_t n)
{
    jw_flush(w);
    if (n > w->cap) {
        w->cap = n;
        w->buf = realloc(w->buf, w->cap);
        if (w->buf == NULL) {
            abort();
        }
    }
}

/* 1 for bytes that are copied as they are. */
static const unsigned char plain[256] = {
#define R16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
    R16(0), R16(0),
    /* 0x20 */ 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    R16(1), R16(1),
    /* 0x50 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
    R16(1),
    /* 0x70 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
    R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0),
#undef R16
};

size_t jw_escape(char *dst, const char *src, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)src;
    char *d = dst;
    size_t i = 0;
    while (i < n) {
#if defined(__SSE2__)
        /* Sixteen bytes at a time (x86-64 always has SSE2), stored before
         * they are checked: dst has room for 6 bytes per byte left.  A
         * byte needs a look when it is below 0x20 or above 0x7e (as
         * unsigned; the sign flip makes the signed compares unsigned),
         * '"' or '\\'. */
        const __m128i flip = _mm_set1_epi8((char)0x80);
        const __m128i lo = _mm_set1_epi8((char)(0x20 ^ 0x80));
        const __m128i hi = _mm_set1_epi8((char)(0x7e ^ 0x80));
        const __m128i dquote = _mm_set1_epi8('"');
        const __m128i bslash = _mm_set1_epi8('\\');
        while (i + 16 <= n) {
            __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
            _mm_storeu_si128((__m128i *)d, v);
            __m128i f = _mm_xor_si128(v, flip);
            __m128i odd = _mm_or_si128(
                _mm_or_si128(_mm_cmplt_epi8(f, lo), _mm_cmpgt_epi8(f, hi)),
                _mm_or_si128(_mm_cmpeq_epi8(v, dquote),
                             _mm_cmpeq_epi8(v, bslash)));
            unsigned m = (unsigned)_mm_movemask_epi8(odd);
            if (m != 0) {
                size_t k = (size_t)__builtin_ctz(m);
                i += k;
                d += k;
                /* Quotes are common (log lines quote their fields):
                 * escaped here without leaving the loop. */
                if (s[i] == '"' || s[i] == '\\') {
                    d[0] = '\\';
                    d[1] = (char)s[i];
                    d += 2;
                    i++;
                    continue;
                }
                break;
            }
            i += 16;
            d += 16;
        }
        if (i >= n) {
            break;
        }
#endif
        size_t run = i;
        /* Eight bytes at a time while none needs escaping: no control
         * byte, no '"', '\\', DEL, nor any byte >= 0x80. */
        while (run + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + run, 8);
            const uint64_t ones = 0x0101010101010101ULL;
            const uint64_t high = 0x8080808080808080ULL;
            uint64_t low = (w - ones * 0x20) & ~w;
            uint64_t quote = (w ^ (ones * '"')) - ones;
            quote &= ~(w ^ (ones * '"'));
            uint64_t bs = (w ^ (ones * '\\')) - ones;
            bs &= ~(w ^ (ones * '\\'));
            uint64_t del = (w ^ (ones * 0x7f)) - ones;
            del &= ~(w ^ (ones * 0x7f));
            if (((low | quote | bs | del | w) & high) != 0) {
                break;
            }
            run += 8;
        }
        while (run < n && plain[s[run]]) {
            run++;
        }
        if (run > i) {
            memcpy(d, s + i, run - i);
            d += run - i;
            i = run;
            if (i >= n) {
                break;
            }
        }
        unsigned char c = s[i];
        if (c == '"' || c == '\\') {
            *d++ = '\\';
            *d++ = (char)c;
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            switch (c) {
            case '\n':
                *d++ = '\\';
                *d++ = 'n';
                break;
            case '\r':
                *d++ = '\\';
                *d++ = 'r';
                break;
            case '\t':
                *d++ = '\\';
                *d++ = 't';
                break;
            default:
                memcpy(d, "\\u00", 4);
                d[4] = hex[c >> 4];
                d[5] = hex[c & 15];
                d += 6;
            }
            i++;
        } else {
            size_t k = fa_utf8_seq(s + i, n - i);
            if (k == 0) {
                memcpy(d, "\xEF\xBF\xBD", 3); /* U+FFFD */
                d += 3;
                i++;
            } else {
                memcpy(d, s + i, k);
                d += k;
                i += k;
            }
        }
    }
    *d = '\0';
    return (size_t)(d - dst);
}

void jw_str(struct jw *w, const char *s, size_t n)
{
    jw_reserve(w, 6 * n + 2);
    w->buf[w->len++] = '"';
    w->len += jw_escape(w->buf + w->len, s ? s : "", s ? n : 0);
    w->buf[w->len++] = '"';
}

void jw_u64(struct jw *w, uint64_t v)
{
    /* Two digits per division: line numbers and sizes are in every
     * event. */
    static const char pairs[] = "00010203040506070809"
                                "10111213141516171819"
                                "20212223242526272829"
                                "30313233343536373839"
                                "40414243444546474849"
                                "50515253545556575859"
                                "60616263646566676869"
                                "70717273747576777879"
                                "80818283848586878889"
                                "90919293949596979899";
    char tmp[24];
    size_t i = sizeof(tmp);
    while (v >= 100) {
        unsigned r = (unsigned)(v % 100);
        v /= 100;
        i -= 2;
        memcpy(tmp + i, pairs + 2 * r, 2);
    }
    if (v >= 10) {
        i -= 2;
        memcpy(tmp + i, pairs + 2 * v, 2);
    } else {
        tmp[--i] = (char)('0' + v);
    }
    jw_raw(w, tmp + i, sizeof(tmp) - i);
}

void jw_i64(struct jw *w, int64_t v)
{
    if (v < 0) {
        jw_char(w, '-');
        jw_u64(w, (uint64_t)0 - (uint64_t)v);
    } else {
        jw_u64(w, (uint64_t)v);
    }
}

size_t fa_term_safe(char *dst, const char *src, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)src;
    char *d = dst;
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        size_t k = c >= 0x20 && c != 0x7f ? fa_utf8_seq(s + i, n - i) : 0;
        /* C1 controls (U+0080..U+009F) are escapes to a terminal too,
         * and bidi overrides (U+202A..E, U+2066..9) can make a file name
         * read as another. */
        if (k == 2 && c == 0xC2 && s[i + 1] < 0xA0) {
            k = 0;
        }
        if (k == 3 && c == 0xE2 &&
            ((s[i + 1] == 0x80 && s[i + 2] >= 0xAA && s[i + 2] <= 0xAE) ||
             (s[i + 1] == 0x81 && s[i + 2] >= 0xA6 && s[i + 2] <= 0xA9))) {
            k = 0;
        }
        if (k == 0) {
            d[0] = '\\';
            d[1] = 'x';
            d[2] = hex[c >> 4];
            d[3] = hex[c & 15];
            d += 4;
            i++;
        } else {
            memcpy(d, s + i, k);
            d += k;
            i += k;
        }
    }
    *d = '\0';
    return (size_t)(d - dst);
}

/* A number as cJSON_Print writes it: whole numbers below 1e15 as their
 * digits (what "%1.15g" makes of them), others with 15 significant digits
 * unless that does not read back as the same double, then 17. */
static void cjson_number(struct jw *w, double d)
{
    char buf[32];
    int n;
    if (isnan(d) || isinf(d)) {
        jw_lit(w, "null");
        return;
    }
    if (fabs(d) < 1e15 && d == (double)(int64_t)d) {
        if (signbit(d)) {
            jw_char(w, '-');
        }
        jw_u64(w, (uint64_t)fabs(d));
        return;
    }
    n = snprintf(buf, sizeof(buf), "%1.15g", d);
    double back = strtod(buf, NULL);
    double big = fabs(back) > fabs(d) ? fabs(back) : fabs(d);
    if (!(fabs(back - d) <= big * DBL_EPSILON)) {
        n = snprintf(buf, sizeof(buf), "%1.17g", d);
    }
    if (n > 0 && (size_t)n < sizeof(buf)) {
        jw_raw(w, buf, (size_t)n);
    }
}

/* Whether any of the 8 bytes in v is below 0x20, '"' or '\\'. */
static bool needs_escape(uint64_t v)
{
    return (fa_word_ctl(v) | fa_word_eq(v, '"') | fa_word_eq(v, '\\')) != 0;
}

/* A string as cJSON_Print escapes it: the two-letter escapes, \u00xx for
 * other control bytes, every other byte as it is. */
static void cjson_string(struct jw *w, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = s != NULL ? strlen(s) : 0;
    jw_reserve(w, 6 * n + 2);
    char *d = w->buf + w->len;
    *d++ = '"';
    for (size_t i = 0; i < n; i++) {
        /* Eight bytes at a time while none is a control byte, '"' or
         * '\\' (the report is mostly paths). */
        while (i + 8 <= n) {
            uint64_t v;
            memcpy(&v, s + i, 8);
            if (needs_escape(v)) {
                break;
            }
            memcpy(d, &v, 8);
            d += 8;
            i += 8;
        }
        if (i == n) {
            break;
        }
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            *d++ = (char)c;
            continue;
        }
        *d++ = '\\';
        switch (c) {
        case '"':
        case '\\':
            *d++ = (char)c;
            break;
        case '\b':
            *d++ = 'b';
            break;
        case '\f':
            *d++ = 'f';
            break;
        case '\n':
            *d++ = 'n';
            break;
        case '\r':
            *d++ = 'r';
            break;
        case '\t':
            *d++ = 't';
            break;
        default:
            memcpy(d, "u00", 3);
            d[3] = hex[c >> 4];
            d[4] = hex[c & 15];
            d += 5;
        }
    }
    *d++ = '"';
    w->len = (size_t)(d - w->buf);
}

static void tabs(struct jw *w, int depth)
{
    jw_reserve(w, (size_t)depth);
    memset(w->buf + w->len, '\t', (size_t)depth);
    w->len += (size_t)depth;
}

static void cjson_value(struct jw *w, const cJSON *item, int depth)
{
    switch (item->type & 0xFF) {
    case cJSON_NULL:
        jw_lit(w, "null");
        break;
    case cJSON_False:
        jw_lit(w, "false");
        break;
    case cJSON_True:
        jw_lit(w, "true");
        break;
    case cJSON_Number:
        cjson_number(w, item->valuedouble);
        break;
    case cJSON_Raw:
        if (item->valuestring != NULL) {
            jw_lit(w, item->valuestring);
        }
        break;
    case cJSON_String:
        cjson_string(w, item->valuestring);
        break;
    case cJSON_Array:
        /* cJSON indents what an array holds one level deeper too. */
        jw_char(w, '[');
        for (const cJSON *c = item->child; c != NULL; c = c->next) {
            cjson_value(w, c, depth + 1);
            if (c->next != NULL) {
                jw_raw(w, ", ", 2);
            }
        }
        jw_char(w, ']');
        break;
    case cJSON_Object:
        jw_raw(w, "{\n", 2);
        for (const cJSON *c = item->child; c != NULL; c = c->next) {
            tabs(w, depth + 1);
            cjson_string(w, c->string);
            jw_raw(w, ":\t", 2);
            cjson_value(w, c, depth + 1);
            if (c->next != NULL) {
                jw_char(w, ',');
            }
            jw_char(w, '\n');
        }
        tabs(w, depth);
        jw_char(w, '}');
        break;
    default:
        break;
    }
}

void jw_cjson(struct jw *w, const cJSON *item)
{
    jw_cjson_at(w, item, 0);
}

void jw_cjson_at(struct jw *w, const cJSON *item, int depth)
{
    if (item != NULL) {
        cjson_value(w, item, depth);
    }
}

/* ---- the per-thread arena for report items ---- */

#define ARENA_BLOCK (64 * 1024)

struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    _Alignas(16) char data[];
};

struct arena {
    bool on;
    struct arena_block *head, *cur;
};

static _Thread_local struct arena arena;

static void *arena_alloc(size_t n)
{
    struct arena *a = &arena;
    if (!a->on) {
        return malloc(n);
    }
    if (n > SIZE_MAX - sizeof(struct arena_block) - 16) {
        return NULL;
    }
    n = (n + 15) & ~(size_t)15;
    /* The current block, or the next one kept from an earlier item. */
    while (a->cur != NULL && a->cur->cap - a->cur->used < n) {
        a->cur = a->cur->next;
    }
    if (a->cur == NULL) {
        size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        struct arena_block *b = malloc(sizeof(*b) + cap);
        if (b == NULL) {
            return NULL;
        }
        b->used = 0;
        b->cap = cap;
        b->next = a->head; /* used from now on; reset starts at head */
        a->head = b;
        a->cur = b;
    }
    void *p = a->cur->data + a->cur->used;
    a->cur->used += n;
    return p;
}

static void arena_free(void *p)
{
    if (p == NULL) {
        return;
    }
    for (const struct arena_block *b = arena.on ? arena.head : NULL;
         b != NULL; b = b->next) {
        if ((const char *)p >= b->data && (const char *)p < b->data + b->cap) {
            return; /* taken back by jw_arena_reset */
        }
    }
    free(p);
}

void jw_arena_install(void)
{
    cJSON_Hooks hooks = {arena_alloc, arena_free};
    cJSON_InitHooks(&hooks);
}

void jw_arena_begin(void)
{
    arena.on = true;
    arena.cur = arena.head;
}

void jw_arena_reset(void)
{
    for (struct arena_block *b = arena.head; b != NULL; b = b->next) {
        b->used = 0;
    }
    arena.cur = arena.head;
}

void jw_arena_end(void)
{
    while (arena.head != NULL) {
        struct arena_block *next = arena.head->next;
        free(arena.head);
        arena.head = next;
    }
    arena.cur = NULL;
    arena.on = false;
}
