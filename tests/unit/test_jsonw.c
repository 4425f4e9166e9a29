/* Unit tests of cmd/jsonw.c: escaping, UTF-8 repair, terminal safety. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../cmd/jsonw.h"
#include "check.h"

static char *esc(const char *s, size_t n)
{
    static char buf[1024];
    jw_escape(buf, s, n);
    return buf;
}

/* A tree of n strings (one of them longer than an arena block), as
 * cJSON's allocator of the moment gives it. */
static cJSON *arena_tree(int n, const char *big)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(root, "paths");
    for (int i = 0; i < n; i++) {
        char path[64];
        snprintf(path, sizeof(path), "/var/www/site%d/page-%d.html", i % 7, i);
        cJSON_AddItemToArray(arr, cJSON_CreateString(path));
    }
    cJSON_AddStringToObject(root, "big", big);
    cJSON_AddNumberToObject(root, "n", n);
    return root;
}

static char *print_jw(const cJSON *tree)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    struct jw w;
    jw_init(&w, m);
    jw_cjson(&w, tree);
    jw_finish(&w);
    fclose(m);
    return text;
}

/* Trees built in the arena print as the same trees built with malloc,
 * item after item, whether they fit in one block or need several (and
 * one string larger than a block); a tree made before the arena was
 * turned on is freed as usual while it is on.  AddressSanitizer checks
 * the rest. */
static void test_arena(void)
{
    jw_arena_install();
    size_t bigl = 100 * 1024;
    char *big = malloc(bigl + 1);
    memset(big, 'x', bigl);
    big[bigl] = '\0';
    cJSON *outside = arena_tree(10, "small");
    /* The texts with malloc first, then the same items in the arena, its
     * blocks reused from item to item. */
    static const int sizes[] = {1, 4000, 16, 1, 1000, 4000, 64};
    enum { NS = sizeof(sizes) / sizeof(sizes[0]) };
    char *want[NS];
    for (int k = 0; k < NS; k++) {
        cJSON *ref = arena_tree(sizes[k], k == 4 ? big : "b");
        want[k] = print_jw(ref);
        cJSON_Delete(ref);
    }
    size_t differ = 0;
    jw_arena_begin();
    for (int round = 0; round < 2; round++) {
        for (int k = 0; k < NS; k++) {
            cJSON *t = arena_tree(sizes[k], k == 4 ? big : "b");
            char *got = print_jw(t);
            differ += strcmp(got, want[k]) != 0;
            free(got);
            cJSON_Delete(t);
            jw_arena_reset();
        }
    }
    for (int k = 0; k < NS; k++) {
        free(want[k]);
    }
    cJSON_Delete(outside);
    jw_arena_end();
    CHECK(differ == 0);
    free(big);
}

int main(void)
{
    test_arena();
    CHECK(strcmp(esc("plain", 5), "plain") == 0);
    CHECK(strcmp(esc("a\"b\\c", 5), "a\\\"b\\\\c") == 0);
    CHECK(strcmp(esc("\n\t\x01\x7f", 4), "\\n\\t\\u0001\\u007f") == 0);
    CHECK(strcmp(esc("\0x", 2), "\\u0000x") == 0);
    /* Valid UTF-8 stays; invalid bytes become U+FFFD one by one. */
    CHECK(strcmp(esc("caf\xc3\xa9", 5), "caf\xc3\xa9") == 0);
    CHECK(strcmp(esc("\xf2" "ABOR", 5), "\xef\xbf\xbd" "ABOR") == 0);
    CHECK(strcmp(esc("\xc0\xaf", 2), "\xef\xbf\xbd\xef\xbf\xbd") == 0);
    CHECK(strcmp(esc("\xed\xa0\x80", 3),
                 "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd") == 0);
    CHECK(strcmp(esc("\xf0\x9f\x98\x80", 4), "\xf0\x9f\x98\x80") == 0);
    CHECK(strcmp(esc("\xe2\x82", 2), "\xef\xbf\xbd\xef\xbf\xbd") == 0);

    /* Every byte value through the writer parses back with cJSON. */
    char all[256];
    for (int i = 0; i < 256; i++) {
        all[i] = (char)i;
    }
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    struct jw w;
    jw_init(&w, m);
    jw_lit(&w, "{\"s\":");
    jw_str(&w, all, 256);
    jw_lit(&w, ",\"n\":");
    jw_i64(&w, -42);
    jw_lit(&w, ",\"u\":");
    jw_u64(&w, UINT64_MAX);
    jw_char(&w, '}');
    jw_finish(&w);
    fclose(m);
    cJSON *doc = cJSON_Parse(text);
    CHECK(doc != NULL);
    cJSON *s = cJSON_GetObjectItem(doc, "s");
    CHECK(cJSON_IsString(s) && strncmp(s->valuestring + 1, "\x01\x02", 2) == 0);
    CHECK(cJSON_GetObjectItem(doc, "n")->valuedouble == -42);
    cJSON_Delete(doc);
    free(text);

    /* The report printer writes what cJSON_Print writes. */
    cJSON *tree = cJSON_CreateObject();
    cJSON_AddNumberToObject(tree, "zero", -0.0);
    cJSON_AddNumberToObject(tree, "big", 1e15);
    cJSON_AddNumberToObject(tree, "third", 1.0 / 3.0);
    cJSON_AddNumberToObject(tree, "neg", -42);
    cJSON_AddStringToObject(tree, "ctl", "a\x01\"b\\\n");
    cJSON_AddItemToObject(tree, "empty_o", cJSON_CreateObject());
    cJSON_AddItemToObject(tree, "empty_a", cJSON_CreateArray());
    cJSON *arr = cJSON_AddArrayToObject(tree, "arr");
    cJSON_AddItemToArray(arr, cJSON_CreateTrue());
    cJSON_AddItemToArray(arr, cJSON_CreateNull());
    cJSON *inner = cJSON_CreateObject();
    cJSON_AddStringToObject(inner, "k", "v");
    cJSON_AddItemToArray(arr, inner);
    char *want = cJSON_Print(tree);
    char *got = print_jw(tree);
    CHECK(strcmp(got, want) == 0);
    free(got);
    free(want);
    cJSON_Delete(tree);

    /* Strings eight bytes at a time: each byte value at each place of a
     * 40-byte string (the word checks and the tail) prints as cJSON_Print
     * prints it. */
    size_t differ = 0;
    for (unsigned c = 1; c < 256; c++) {
        for (size_t at = 0; at < 40; at++) {
            char str[41];
            memset(str, 'a', 40);
            str[40] = '\0';
            str[at] = (char)c;
            cJSON *one = cJSON_CreateArray();
            cJSON_AddItemToArray(one, cJSON_CreateString(str));
            char *cw = cJSON_Print(one);
            char *cg = print_jw(one);
            differ += strcmp(cw, cg) != 0;
            free(cg);
            free(cw);
            cJSON_Delete(one);
        }
    }
    CHECK(differ == 0);

    /* Terminal safety: escapes, C1 controls and bad bytes become \xNN. */
    char t[256];
    fa_term_safe(t, "a\x1b[31mb", 7);
    CHECK(strcmp(t, "a\\x1b[31mb") == 0);
    fa_term_safe(t, "\xc2\x9b" "x", 3);
    CHECK(strcmp(t, "\\xc2\\x9bx") == 0);
    fa_term_safe(t, "a\xe2\x80\xae" "b", 5);
    CHECK(strcmp(t, "a\\xe2\\x80\\xaeb") == 0);
    fa_term_safe(t, "\xc3\xa9", 2);
    CHECK(strcmp(t, "\xc3\xa9") == 0);
    return check_done();
}
