/*
 * RV64I JAL and JALR (unprivileged spec, "Unconditional Jumps"): rd gets
 * pc + 4; JALR's target is (rs1 + imm) with bit 0 cleared, computed from
 * rs1 before rd is written (so rd == rs1 works).
 */
#include "test.h"

	.option norvc

TEST_BEGIN
	/* JAL forward, link in ra */
	CHECK_NUM(1)
	jal ra, jal_fwd
jal_fwd_ret:
	j test_fail
jal_fwd:
	la t0, jal_fwd_ret
	bne ra, t0, test_fail

	/* JAL backward, link in a0 */
	CHECK_NUM(2)
	j jal_back_go
jal_back:
	la t0, jal_back_ret
	bne a0, t0, test_fail
	j jal_back_done
jal_back_go:
	jal a0, jal_back
jal_back_ret:
	j test_fail
jal_back_done:

	/* JALR with offset 0 */
	CHECK_NUM(3)
	la t0, jalr_t3
	jalr ra, 0(t0)
jalr_r3:
	j test_fail
jalr_t3:
	la t1, jalr_r3
	bne ra, t1, test_fail

	/* JALR clears bit 0 of rs1 + 0 */
	CHECK_NUM(4)
	la t0, jalr_t4
	addi t0, t0, 1
	jalr ra, 0(t0)
jalr_r4:
	j test_fail
	.balign 4
jalr_t4:
	la t1, jalr_r4
	bne ra, t1, test_fail

	/* JALR clears bit 0 of rs1 + imm where imm is odd */
	CHECK_NUM(5)
	la t0, jalr_t5
	jalr ra, 1(t0)
jalr_r5:
	j test_fail
jalr_t5:
	la t1, jalr_r5
	bne ra, t1, test_fail

	/* JALR with positive and negative offsets */
	CHECK_NUM(6)
	la t0, jalr_t6
	addi t0, t0, -2047
	jalr ra, 2047(t0)
jalr_r6:
	j test_fail
jalr_t6:
	la t1, jalr_r6
	bne ra, t1, test_fail

	CHECK_NUM(7)
	la t0, jalr_t7
	addi t0, t0, 2047
	addi t0, t0, 1
	jalr ra, -2048(t0)
jalr_r7:
	j test_fail
jalr_t7:
	la t1, jalr_r7
	bne ra, t1, test_fail

	/* rd == rs1: target from the old value, rd gets the link */
	CHECK_NUM(8)
	la t0, jalr_t8
	jalr t0, 0(t0)
jalr_r8:
	j test_fail
jalr_t8:
	la t1, jalr_r8
	bne t0, t1, test_fail

	/* rd == rs1 with an odd offset */
	CHECK_NUM(9)
	la a0, jalr_t9
	addi a0, a0, -3
	jalr a0, 3(a0)
jalr_r9:
	j test_fail
jalr_t9:
	la t1, jalr_r9
	bne a0, t1, test_fail

	/* call and return through a function */
	CHECK_NUM(10)
	li a0, 0
	jal ra, jump_func
	li t1, 42
	bne a0, t1, test_fail
	j jump_end

jump_func:
	li a0, 42
	jalr x0, 0(ra)

jump_end:
TEST_END
