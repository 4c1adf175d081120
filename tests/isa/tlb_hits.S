/*
 * Loads and stores of every size, at offsets 0 and not, through several
 * base registers, 4096 times over one data page: all but the first few
 * must take the JIT's inline TLB path (jit/translate.c full_probe,
 * tlb_probe). A wrong TLB index or tag there still computes the right
 * values, through the slow path, so tests/run also reads the count of
 * slow accesses GASANG_JIT_STATS prints ("jit-slow-max:" below).
 *
 * jit-slow-max: 64
 */
#include "test.h"

TEST_BEGIN
	la	s0, buf
	addi	s1, s0, 512
	li	s2, 4096
	li	s3, 0
1:	sd	s2, 0(s0)
	sw	s2, 8(s0)
	sh	s2, 16(s1)
	sb	s2, 0(s1)
	ld	t0, 0(s0)
	lw	t1, 8(s0)
	lhu	t2, 16(s1)
	lbu	t3, 0(s1)
	add	s3, s3, t0
	add	s3, s3, t1
	add	s3, s3, t2
	add	s3, s3, t3
	mv	t4, s1
	lb	t5, 0(t4)
	add	s3, s3, t5
	addi	s2, s2, -1
	bnez	s2, 1b
	/* sum over n = 1..4096 of n + n + n + (n & 0xff) + (int8_t)n */
	li	t0, 3 * 4096 * 4097 / 2 + 16 * (255 * 256 / 2) + 16 * (127 * 128 / 2 - 128 * 127 / 2 - 128)
	CHECK_NUM(1)
	bne	s3, t0, test_fail
TEST_END

	.data
	.balign 4096
buf:	.skip 1024
