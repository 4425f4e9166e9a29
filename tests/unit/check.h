/*
 * A minimal test harness for the unit tests: CHECK() records a failure and
 * goes on; check_done() prints "N passed, N failed" and gives the exit
 * status meson expects.
 */
#ifndef FA_TESTS_CHECK_H
#define FA_TESTS_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_pass, check_fail;

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (cond) {                                                          \
            check_pass++;                                                    \
        } else {                                                             \
            check_fail++;                                                    \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                  \
        }                                                                    \
    } while (0)

/* Compare a view with a C string. */
#define CHECK_STR(view, lit)                                                 \
    do {                                                                     \
        struct fa_str v_ = (view);                                           \
        const char *l_ = (lit);                                              \
        if (v_.len == strlen(l_) && (v_.len == 0 || memcmp(v_.ptr, l_, v_.len) == 0)) { \
            check_pass++;                                                    \
        } else {                                                             \
            check_fail++;                                                    \
            fprintf(stderr, "%s:%d: CHECK_STR failed: %s is \"%.*s\", want \"%s\"\n", \
                    __FILE__, __LINE__, #view, (int)v_.len,                 \
                    v_.ptr ? v_.ptr : "", l_);                              \
        }                                                                    \
    } while (0)

static inline int check_done(void)
{
    printf("%d passed, %d failed\n", check_pass, check_fail);
    return check_fail == 0 ? 0 : 1;
}

#endif
