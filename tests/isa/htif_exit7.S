/*
 * HTIF exit with a non-zero code on purpose: tohost = (7 << 1) | 1 = 15
 * as one 64-bit store. The test runner must expect exit status 7 from
 * this test (not 0); any other status is a failure. expect-exit: 7
 */
#include "test.h"

	.option norvc

TEST_BEGIN
	li a0, 7
	j htif_exit
TEST_END
