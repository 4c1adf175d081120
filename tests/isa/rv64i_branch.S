/*
 * RV64I conditional branches (unprivileged spec, "Conditional Branches"):
 * BEQ/BNE compare all 64 bits, BLT/BGE signed, BLTU/BGEU unsigned. Each
 * is checked taken and not taken at the signed/unsigned boundaries.
 */
#include "test.h"

	.option norvc

#define MIN64 0x8000000000000000
#define MAX64 0x7fffffffffffffff

TEST_BEGIN
	TEST_BR_TAKEN(1, beq, 0, 0)
	TEST_BR_TAKEN(2, beq, -1, -1)
	TEST_BR_TAKEN(3, beq, MIN64, MIN64)
	TEST_BR_NOT_TAKEN(4, beq, 1, 0)
	TEST_BR_NOT_TAKEN(5, beq, 0x100000000, 0)
	TEST_BR_NOT_TAKEN(6, beq, MIN64, 0)

	TEST_BR_TAKEN(10, bne, 1, 0)
	TEST_BR_TAKEN(11, bne, 0x100000000, 0)
	TEST_BR_TAKEN(12, bne, MIN64, 0)
	TEST_BR_NOT_TAKEN(13, bne, 0, 0)
	TEST_BR_NOT_TAKEN(14, bne, -1, -1)

	TEST_BR_TAKEN(20, blt, -1, 0)
	TEST_BR_TAKEN(21, blt, MIN64, MAX64)
	TEST_BR_TAKEN(22, blt, -2, -1)
	TEST_BR_TAKEN(23, blt, 0xffffffff, 0x100000000)
	TEST_BR_NOT_TAKEN(24, blt, 0, -1)
	TEST_BR_NOT_TAKEN(25, blt, 5, 5)
	TEST_BR_NOT_TAKEN(26, blt, MAX64, MIN64)

	TEST_BR_TAKEN(30, bge, 0, -1)
	TEST_BR_TAKEN(31, bge, 5, 5)
	TEST_BR_TAKEN(32, bge, MAX64, MIN64)
	TEST_BR_TAKEN(33, bge, MIN64, MIN64)
	TEST_BR_NOT_TAKEN(34, bge, -1, 0)
	TEST_BR_NOT_TAKEN(35, bge, MIN64, MAX64)

	TEST_BR_TAKEN(40, bltu, 0, -1)
	TEST_BR_TAKEN(41, bltu, MAX64, MIN64)
	TEST_BR_TAKEN(42, bltu, 0xffffffff, 0x100000000)
	TEST_BR_NOT_TAKEN(43, bltu, -1, 0)
	TEST_BR_NOT_TAKEN(44, bltu, 5, 5)
	TEST_BR_NOT_TAKEN(45, bltu, MIN64, MAX64)

	TEST_BR_TAKEN(50, bgeu, -1, 0)
	TEST_BR_TAKEN(51, bgeu, 5, 5)
	TEST_BR_TAKEN(52, bgeu, MIN64, MAX64)
	TEST_BR_NOT_TAKEN(53, bgeu, 0, -1)
	TEST_BR_NOT_TAKEN(54, bgeu, MAX64, MIN64)

	/* same register on both sides */
	CHECK_NUM(60)
	li a1, -7
	beq a1, a1, 3f
	j test_fail
3:	blt a1, a1, test_fail
	bltu a1, a1, test_fail
	bne a1, a1, test_fail

	/* backward taken branch: a counted loop runs exactly 5 times */
	CHECK_NUM(61)
	li a0, 0
	li a1, 5
3:	addi a0, a0, 1
	blt a0, a1, 3b
	EXPECT(61, a0, 5)

	/* the farthest forward offset: +4092 from the bnez */
	CHECK_NUM(62)
	li a1, 1
	bnez a1, far_target
far_start:
	j test_fail
	.fill 1020, 4, 0x00000013
	j test_fail
far_target:
	la t0, far_start
	la t1, far_target
	sub t1, t1, t0
	EXPECT(63, t1, 4088)

	/* the farthest backward offset: -4096 from the beqz */
	CHECK_NUM(64)
	j back_go
back_target:
	j back_done
	.fill 1022, 4, 0x00000013
back_go:
	nop
back_branch:
	beqz x0, back_target
	j test_fail
back_done:
	la t0, back_target
	la t1, back_branch
	sub t1, t1, t0
	EXPECT(65, t1, 4096)
TEST_END
