/*
 * An instruction that straddles two pages (its first halfword at page
 * offset 4094, its second at offset 0 of the next page), run many times
 * so that an engine keeps its translation, then patched in either half
 * and run again after FENCE.I (Zifencei): the new instruction must run,
 * whichever page the store went to.
 */
#include "test.h"

	.text
TEST_BEGIN
	/* the original: addi a0, x0, 1 */
	CHECK_NUM(1)
	li s1, 100
1:	call straddle_site
	addi s1, s1, -1
	bnez s1, 1b
	EXPECT(1, a0, 1)

	/* the second half (imm[11:0] and rd's top bit) in the next page */
	CHECK_NUM(2)
	la t0, straddle_site
	la t1, insn_addi5
	lhu t2, 2(t1)
	sh t2, 2(t0)
	fence.i
	li s1, 100
1:	call straddle_site
	addi s1, s1, -1
	bnez s1, 1b
	EXPECT(2, a0, 5)

	/* the first half (opcode, rd, funct3, rs1's low bit) in the first
	 * page: addi a1, x0, 5, so a0 keeps what the caller set */
	CHECK_NUM(3)
	la t0, straddle_site
	la t1, insn_a1
	lhu t2, 0(t1)
	sh t2, 0(t0)
	fence.i
	li a0, 77
	li a1, 0
	call straddle_site
	EXPECT(3, a1, 5)
	EXPECT(3, a0, 77)
TEST_END

	.option push
	.option norvc
insn_addi5:
	addi a0, x0, 5
insn_a1:
	addi a1, x0, 5
	.option pop

	/* straddle_site at offset 4094 of a page */
	.balign 4096
	.skip 4094
straddle_site:
	.option push
	.option norvc
	addi a0, x0, 1
	.option pop
	ret
