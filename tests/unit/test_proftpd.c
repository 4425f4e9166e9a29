/* Unit tests of parsers/proftpd.c (to be written with the parser). */
#include "../unit/check.h"

int main(void)
{
    CHECK(1);
    return check_done();
}
