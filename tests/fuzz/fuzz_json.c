/*
 * Fuzz target: the JSON string writer and the terminal-safe text of
 * cmd/jsonw.h, whose output must be valid for any bytes in.
 *
 *   jw_escape    output fits 6*n+1 bytes, has no NUL, raw control byte or
 *                invalid UTF-8, and reads back with cJSON as a string
 *   jw_str       (through a memory FILE) reads back with cJSON; input that
 *                is valid UTF-8 comes back byte for byte (up to a first NUL,
 *                where a C string ends), so printable ASCII always does
 *   fa_term_safe output fits 4*n+1 bytes, has no control byte (C0, DEL,
 *                C1) and no invalid UTF-8; printable ASCII is unchanged
 *   jw_i64/u64   the first 8 bytes as a number, as printf writes it
 *
 * Each output buffer is a heap block of exactly the documented size, so an
 * overrun is an AddressSanitizer report.
 */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (p == NULL) {
        abort();
    }
    return p;
}

static bool printable_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] < 0x20 || s[i] > 0x7e) {
            return false;
        }
    }
    return true;
}

static void check_escape(const char *s, size_t n)
{
    char *dst = xmalloc(6 * n + 1);
    size_t r = jw_escape(dst, s, n);
    if (r > 6 * n || dst[r] != '\0' || strlen(dst) != r) {
        fuzz_fail("jw_escape: returned %zu for %zu bytes, or a NUL inside",
                  r, n);
    }
    for (size_t i = 0; i < r; i++) {
        unsigned char c = (unsigned char)dst[i];
        if (c < 0x20 || c == 0x7f) {
            fuzz_fail("jw_escape: raw control byte 0x%02x in the output", c);
        }
    }
    if (!fuzz_utf8_valid(dst, r)) {
        fuzz_fail("jw_escape: output is not valid UTF-8");
    }
    char *quoted = xmalloc(r + 3);
    quoted[0] = '"';
    memcpy(quoted + 1, dst, r);
    quoted[r + 1] = '"';
    quoted[r + 2] = '\0';
    cJSON *j = cJSON_ParseWithOpts(quoted, NULL, 1);
    if (!cJSON_IsString(j)) {
        fuzz_fail("jw_escape: output is not a JSON string: %s", quoted);
    }
    cJSON_Delete(j);
    free(quoted);
    free(dst);
}

static void check_str(const char *s, size_t n)
{
    struct fuzz_sink *sink = fuzz_sink_get();
    jw_str(&sink->w, s, n);
    jw_flush(&sink->w);
    if (sink->w.failed || fflush(sink->f) != 0) {
        fuzz_fail("jw_str: write failed");
    }
    /* The stream is reused: bytes past size are from earlier inputs. */
    char *buf = fuzz_dup(sink->buf, sink->size);
    size_t size = sink->size;
    for (size_t i = 0; i < size; i++) {
        if ((unsigned char)buf[i] < 0x20) {
            fuzz_fail("jw_str: raw control byte in the output");
        }
    }
    if (!fuzz_utf8_valid(buf, size)) {
        fuzz_fail("jw_str: output is not valid UTF-8");
    }
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithOpts(buf, &end, 1);
    if (!cJSON_IsString(j)) {
        fuzz_fail("jw_str: output is not a JSON string: %s", buf);
    }
    const char *nul = memchr(s, '\0', n);
    size_t keep = nul ? (size_t)(nul - s) : n;
    if (fuzz_utf8_valid(s, keep) &&
        (strlen(j->valuestring) != keep ||
         memcmp(j->valuestring, s, keep) != 0)) {
        fuzz_fail("jw_str: \"%.*s\" came back as \"%s\"", (int)keep, s,
                  j->valuestring);
    }
    cJSON_Delete(j);
    free(buf);
}

static void check_term_safe(const char *s, size_t n)
{
    char *dst = xmalloc(4 * n + 1);
    size_t r = fa_term_safe(dst, s, n);
    if (r > 4 * n || dst[r] != '\0' || strlen(dst) != r) {
        fuzz_fail("fa_term_safe: returned %zu for %zu bytes, or a NUL "
                  "inside",
                  r, n);
    }
    const unsigned char *d = (const unsigned char *)dst;
    for (size_t i = 0; i < r; i++) {
        if (d[i] < 0x20 || d[i] == 0x7f ||
            (d[i] == 0xC2 && i + 1 < r && d[i + 1] < 0xA0)) {
            fuzz_fail("fa_term_safe: control character at %zu of \"%s\"", i,
                      dst);
        }
    }
    if (!fuzz_utf8_valid(dst, r)) {
        fuzz_fail("fa_term_safe: output is not valid UTF-8");
    }
    if (printable_ascii(s, n) && (r != n || memcmp(dst, s, n) != 0)) {
        fuzz_fail("fa_term_safe: printable ASCII changed: \"%s\"", dst);
    }
    free(dst);
}

static void check_numbers(const uint8_t *data, size_t size)
{
    if (size < 8) {
        return;
    }
    uint64_t u;
    memcpy(&u, data, 8);
    int64_t i = (int64_t)u;
    struct fuzz_sink *sink = fuzz_sink_get();
    jw_i64(&sink->w, i);
    jw_char(&sink->w, ' ');
    jw_u64(&sink->w, u);
    jw_flush(&sink->w);
    fflush(sink->f);
    char *buf = fuzz_dup(sink->buf, sink->size);
    char want[64];
    snprintf(want, sizeof(want), "%" PRId64 " %" PRIu64, i, u);
    if (strcmp(buf, want) != 0) {
        fuzz_fail("jw_i64/jw_u64: wrote \"%s\", want \"%s\"", buf, want);
    }
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly size bytes: the writers must not look past n. */
    char *s = xmalloc(size ? size : 1);
    if (size > 0) {
        memcpy(s, data, size);
    }
    check_escape(s, size);
    check_str(s, size);
    check_term_safe(s, size);
    check_numbers(data, size);
    free(s);
    return 0;
}

void fuzz_expand_fixture(const char *path, const uint8_t *data, size_t size,
                         fuzz_run_fn run)
{
    (void)path;
    run(data, size);
}

const char *const fuzz_builtin_seeds[] = {
    "plain printable ASCII: !#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~\"",
    "\t\r\n\x01\x1f\x7f",
    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xef\xbb\xbf",
    "\xc2\x80\xc2\x9f\xc2\xa0",
    "\xc0\xaf \xe0\x80\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xf5 \xff \xc3",
    "\xe2\x82",
    "\xf0\x9f\x98",
    "\x9b[31m\x1b[2J",
    NULL,
};
