/*
 * x0 is hardwired to zero (unprivileged spec, "Programmers' Model for
 * Base Integer ISA"): any instruction writing x0 discards the result,
 * but its other effects (a load's memory access, a jump) still happen.
 */
#include "test.h"

	.option norvc

#define EXPECT_X0(n)            \
	CHECK_NUM(n);           \
	bnez x0, test_fail;     \
	mv a0, x0;              \
	bnez a0, test_fail

TEST_BEGIN
	addi x0, x0, 5
	EXPECT_X0(1)
	li a1, -1
	addi x0, a1, 0
	EXPECT_X0(2)
	lui x0, 0x12345
	EXPECT_X0(3)
	auipc x0, 0x1
	EXPECT_X0(4)
	li a1, 7
	li a2, 9
	add x0, a1, a2
	EXPECT_X0(5)
	sub x0, a1, a2
	EXPECT_X0(6)
	sltu x0, a1, a2
	EXPECT_X0(7)
	xori x0, a1, -1
	EXPECT_X0(8)
	slli x0, a1, 3
	EXPECT_X0(9)
	addiw x0, a1, 1
	EXPECT_X0(10)
	la t0, x0_data
	lw x0, 0(t0)
	EXPECT_X0(11)
	ld x0, 0(t0)
	EXPECT_X0(12)
	lbu x0, 1(t0)
	EXPECT_X0(13)

	/* jal x0 jumps without linking */
	CHECK_NUM(14)
	jal x0, 3f
	j test_fail
3:	EXPECT_X0(15)

	/* jalr x0 jumps without linking */
	CHECK_NUM(16)
	la t0, 4f
	jalr x0, 0(t0)
	j test_fail
4:	EXPECT_X0(17)

	/* a store of x0 writes zeros */
	CHECK_NUM(18)
	la t0, x0_data
	sd x0, 8(t0)
	ld a0, 8(t0)
	EXPECT(18, a0, 0)

	/* csrr into x0 (csrrs x0, csr, x0) reads without effect on x0 */
	csrr x0, mscratch
	EXPECT_X0(19)
TEST_END

	.data
	.balign 8
x0_data:
	.dword 0xdeadbeefcafef00d
	.dword 0x1111111111111111
