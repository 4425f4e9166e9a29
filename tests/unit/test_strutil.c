/*
 * Unit tests of the parsers' small string helpers that every line goes
 * through: number reading (saturating, not wrapping), address checks and
 * the ::ffff: prefix.
 */
#include <stdint.h>
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

int main(void)
{
    test_parse_u64();
    test_addresses();
    return check_done();
}
