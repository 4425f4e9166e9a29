/*
 * Unit tests of the parsers' small string helpers that every line goes
 * through: number reading (saturating, not wrapping), address checks and
 * the ::ffff: prefix.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../parsers/strutil.h"
#include "check.h"

static uint64_t num(const char *s, size_t *used)
{
    uint64_t v = 12345;
    *used = fa_parse_u64(s, strlen(s), &v);
    return v;
}

static void test_parse_u64(void)
{
    size_t n;
    CHECK(num("0", &n) == 0 && n == 1);
    CHECK(num("42 bytes", &n) == 42 && n == 2);
    CHECK(num("x1", &n) == 0 && n == 0);
    CHECK(num("", &n) == 0 && n == 0);
    /* 19 and 20 digits: the largest that fit, and the first past them. */
    CHECK(num("9999999999999999999", &n) == 9999999999999999999ULL && n == 19);
    CHECK(num("18446744073709551615", &n) == UINT64_MAX && n == 20);
    CHECK(num("18446744073709551614", &n) == UINT64_MAX - 1 && n == 20);
    CHECK(num("18446744073709551616", &n) == UINT64_MAX && n == 20);
    CHECK(num("99999999999999999999999", &n) == UINT64_MAX && n == 23);
    /* Leading zeros do not count against the size. */
    CHECK(num("000000000000000000000000000042", &n) == 42 && n == 30);
    CHECK(num("0000000000000000000018446744073709551615", &n) == UINT64_MAX);
}

static void test_addresses(void)
{
    CHECK(fa_is_ip(FA_STR_LIT("192.0.2.1")));
    CHECK(fa_is_ip(FA_STR_LIT("2001:db8::1")));
    CHECK(fa_is_ip(FA_STR_LIT("::ffff:192.0.2.1")));
    CHECK(!fa_is_ip(FA_STR_LIT("192.0.2.256")));
    CHECK(!fa_is_ip(FA_STR_LIT("192.0.2")));
    CHECK(!fa_is_ip(FA_STR_LIT("01.2.3.4")));
    CHECK(!fa_is_ip(FA_STR_LIT("example.com")));
    struct fa_str v = fa_ip_normalize(FA_STR_LIT("::ffff:192.0.2.1"));
    CHECK_STR(v, "192.0.2.1");
    v = fa_ip_normalize(FA_STR_LIT("::FFFF:10.0.0.1"));
    CHECK_STR(v, "10.0.0.1");
    v = fa_ip_normalize(FA_STR_LIT("::ffff:c000:201"));
    CHECK_STR(v, "::ffff:c000:201");
    v = fa_ip_normalize(FA_STR_LIT("10.0.0.1"));
    CHECK_STR(v, "10.0.0.1");
}

/* Dotted quads are checked without inet_pton: the same answer as
 * inet_pton(AF_INET) for 300,000 strings of digits and dots (and a few
 * other bytes), 0 to 17 bytes long. */
static void test_ipv4_like_inet_pton(void)
{
    static const char alphabet[] = "0123456789..........1255x ";
    unsigned seed = 12345;
    size_t differ = 0, valid = 0;
    for (int k = 0; k < 300000; k++) {
        char s[24];
        seed = seed * 1103515245u + 12345u;
        size_t n = (seed >> 16) % 18;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            s[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
        }
        s[n] = '\0';
        unsigned char bin[4], mine[4] = {0, 0, 0, 0};
        bool want = inet_pton(AF_INET, s, bin) == 1;
        bool got = fa_is_ip((struct fa_str){s, n});
        /* The detector's networks take the bytes from fa_ipv4_parse. */
        bool parsed = fa_ipv4_parse(s, n, mine);
        valid += want;
        if (want != got || want != parsed ||
            (want && memcmp(bin, mine, 4) != 0)) {
            fprintf(stderr, "\"%s\": inet_pton %d, fa_is_ip %d\n", s, want,
                    got);
            differ++;
        }
    }
    CHECK(differ == 0 && valid > 100);
}

/* fa_same agrees with memcmp for every length up to 40 and a difference
 * at any one place (each of the word loads is exercised). */
static void test_same(void)
{
    char a[48], b[48];
    size_t bad = 0, diff = 0;
    for (size_t i = 0; i < sizeof(a); i++) {
        a[i] = b[i] = (char)('a' + i % 26);
    }
    for (size_t n = 0; n <= 40; n++) {
        bad += !fa_same(a, b, n);
        for (size_t at = 0; at < n; at++) {
            for (int bit = 0; bit < 8; bit++) {
                b[at] = (char)(a[at] ^ (1 << bit));
                bool same = fa_same(a, b, n);
                bad += same != (memcmp(a, b, n) == 0);
                diff += !same;
                b[at] = a[at];
            }
        }
    }
    CHECK(bad == 0);
    CHECK(diff == 8 * (40 * 41 / 2));
}

/* The word tests against byte-by-byte answers: every byte value in
 * every position, beside bytes that would carry or borrow into it. */
static void test_word_tests(void)
{
    static const unsigned char ranges[][2] = {
        {'0', '9'}, {'a', 'z'}, {'A', 'Z'}, {'-', '.'}, {0, 0x1f},
        {0, 0x7f}, {0x7f, 0x7f}, {' ', ' '},
    };
    static const unsigned char fill[] = {0x00, 0x2f, 0x3a, 0x7f, 0x80,
                                         0xff, '5'};
    size_t bad = 0;
    for (size_t f = 0; f < sizeof(fill); f++) {
        for (unsigned pos = 0; pos < 8; pos++) {
            for (unsigned c = 0; c < 256; c++) {
                unsigned char bytes[8];
                memset(bytes, fill[f], 8);
                bytes[pos] = (unsigned char)c;
                uint64_t v;
                memcpy(&v, bytes, 8);
                for (size_t r = 0; r < sizeof(ranges) / sizeof(ranges[0]);
                     r++) {
                    uint64_t m = fa_word_in(v, ranges[r][0], ranges[r][1]);
                    for (unsigned j = 0; j < 8; j++) {
                        bool in = bytes[j] >= ranges[r][0] &&
                                  bytes[j] <= ranges[r][1];
                        bad += in != ((m >> (8 * j + 7)) & 1);
                    }
                    bad += (m & ~0x8080808080808080ULL) != 0;
                }
                uint64_t nd = fa_word_nondigit(v);
                for (unsigned j = 0; j < 8; j++) {
                    bool digit = bytes[j] >= '0' && bytes[j] <= '9';
                    bad += digit == ((nd >> (8 * j + 7)) & 1);
                }
            }
        }
    }
    CHECK(bad == 0);
}

/* Digits read from a word, from its start and from its end, against
 * strtoull; the other bytes of the word are anything. */
static void test_word_digits(void)
{
    unsigned seed = 99;
    size_t bad = 0;
    for (int round = 0; round < 200000; round++) {
        char w[9];
        for (int i = 0; i < 8; i++) {
            seed = seed * 1103515245u + 12345u;
            w[i] = (char)(seed >> 16);
        }
        seed = seed * 1103515245u + 12345u;
        unsigned k = 1 + (seed >> 16) % 8;
        char digits[9];
        for (unsigned i = 0; i < k; i++) {
            seed = seed * 1103515245u + 12345u;
            digits[i] = (char)('0' + (seed >> 16) % 10);
        }
        digits[k] = '\0';
        uint64_t want = strtoull(digits, NULL, 10);
        memcpy(w, digits, k);
        bad += fa_word_digits(fa_load8(w), k) != want;
        memcpy(w + 8 - k, digits, k);
        bad += fa_word_digits_end(fa_load8(w), k) != want;
    }
    char all9[8], zeros[8];
    memset(all9, '9', 8);
    memset(zeros, '0', 8);
    CHECK(fa_word_digits(fa_load8(all9), 8) == 99999999);
    CHECK(fa_word_digits_end(fa_load8(zeros), 8) == 0);
    CHECK(fa_word_digits(fa_load8("1234567x"), 7) == 1234567);
    CHECK(fa_word_digits_end(fa_load8("\xff\x01/90210"), 5) == 90210);
    CHECK(bad == 0);
}

int main(void)
{
    test_parse_u64();
    test_addresses();
    test_ipv4_like_inet_pton();
    test_same();
    test_word_tests();
    test_word_digits();
    return check_done();
}
