/*
 * HTIF exit through two 32-bit stores (Berkeley HTIF): a 32-bit guest
 * writes tohost as its low word first, then its high word; the host acts
 * on the high-word write. Exit code 0 is tohost = (0 << 1) | 1, so the
 * low word is 1 and the high word 0. Passes (exit status 0) if the host
 * assembles the two halves correctly; the 64-bit exit path of crt.S is
 * never used.
 */
#include "test.h"

	.option norvc

TEST_BEGIN
	la t0, tohost
	li t1, 1
	sw t1, 0(t0)
	sw x0, 4(t0)
3:	j 3b
TEST_END
