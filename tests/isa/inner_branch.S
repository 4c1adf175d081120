/*
 * A forward branch to an instruction later in its block jumps there
 * inside the block (jit/translate.c, emit_inner_branch), each way once:
 * - instret counts only the instructions that ran (the block charged
 *   them all at entry and the jump gives back those it skips);
 * - the code where the two ways meet assumes of the cached base only
 *   what holds on both: s4 (kept in h->x) is in rsi when the branch is
 *   taken, s3 when the body ran, and the load after them uses s3.
 */
#include "test.h"

TEST_BEGIN
	la s3, words
	la s4, other
	li s5, 0		/* pass: 0 branch taken, 1 body runs */
1:	ld t0, 0(s4)		/* rsi = s4 */
	beqz s5, 3f
	ld t1, 0(s3)		/* the body: rsi = s3 */
3:	ld t2, 8(s3)		/* where the ways meet */
	CHECK_NUM(1)
	EXPECT(1, t0, 0x7777)
	EXPECT(2, t2, 0x2222)
	addi s5, s5, 1
	li t3, 2
	blt s5, t3, 1b

	/* instret over a taken and a not-taken skip of three */
	li a5, 0
	csrr s6, minstret
	beqz a5, 4f		/* taken */
	addi t4, t4, 1
	addi t4, t4, 1
	addi t4, t4, 1
4:	csrr s7, minstret
	sub s7, s7, s6
	EXPECT(3, s7, 2)
	li a5, 1
	csrr s6, minstret
	beqz a5, 5f		/* not taken */
	addi t4, t4, 1
	addi t4, t4, 1
	addi t4, t4, 1
5:	csrr s7, minstret
	sub s7, s7, s6
	EXPECT(4, s7, 5)
TEST_END

	.data
	.balign 8
words:
	.dword 0x1111, 0x2222
other:
	.dword 0x7777
