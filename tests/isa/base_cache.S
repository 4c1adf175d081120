/*
 * A base register that the JIT keeps in h->x (s3) is cached in rsi from
 * one access to the next of a block (jit/translate.c, tctx.rsi_holds).
 * Between them, accesses through a base in a host register (a2, a3) miss
 * the TLB (the first touch of their page), and their slow paths pass the
 * address in rsi: the value cached there must come back.
 */
#include "test.h"

TEST_BEGIN
	CHECK_NUM(1)
	la s3, words
	la a2, far_load
	la a3, far_store
	li a4, 0x5555
	j 1f
1:	ld t0, 0(s3)		/* s3 into rsi */
	ld a1, 0(a2)		/* a miss: the slow path takes rsi */
	ld t1, 8(s3)		/* s3 from rsi */
	sd a4, 0(a3)		/* a miss again, a store */
	ld t2, 16(s3)
	EXPECT(1, t0, 0x1111)
	EXPECT(2, a1, 0x4444)
	EXPECT(3, t1, 0x2222)
	EXPECT(4, t2, 0x3333)
	ld t0, 0(a3)
	EXPECT(5, t0, 0x5555)
TEST_END

	.data
	.balign 8
words:
	.dword 0x1111, 0x2222, 0x3333
	.balign 4096
far_load:
	.dword 0x4444
	.balign 4096
far_store:
	.dword 0
