/*
 * Assembler macros for the ISA tests (our own, after the spec's
 * definitions). A check loads operands, runs one instruction and compares
 * the result with the value the spec defines; on a mismatch it jumps to
 * test_fail with the check number in gp (TESTNUM), which becomes the exit
 * code of gasang.
 *
 * A test file looks like:
 *	#include "test.h"
 *	TEST_BEGIN
 *	TEST_RR(1, add, 3, 1, 2)
 *	TEST_END
 */
#ifndef TESTS_ISA_TEST_H
#define TESTS_ISA_TEST_H

#define TESTNUM gp

#ifdef __ASSEMBLER__

#define TEST_BEGIN              \
	.text;                  \
	.globl test_main;       \
	test_main:              \
	addi sp, sp, -16;       \
	sd ra, 8(sp);

#define TEST_END                \
	ld ra, 8(sp);           \
	addi sp, sp, 16;        \
	li a0, 0;               \
	ret;

/*
 * Readies WFI to wait for the supervisor timer: Sstc on (menvcfg.STCE),
 * only STIE in mie, M's global interrupt enable off, so that WFI returns
 * once stimecmp is reached (mip.STIP) and no trap is taken. s0 = time
 * now (uses t0).
 */
#define STIMER_WFI_SETUP            \
	li t0, 0x8000000000000000;  \
	csrs menvcfg, t0;           \
	li t0, 0x20;                \
	csrw mie, t0;               \
	csrci mstatus, 0x8;         \
	rdtime s0;

/* set the check number */
#define CHECK_NUM(n) li TESTNUM, n

/* fail unless register reg holds val (uses t6) */
#define EXPECT(n, reg, val)     \
	li t6, val;             \
	beq reg, t6, 1f;        \
	li TESTNUM, n;          \
	j test_fail;            \
1:

/* rd = op rs1, rs2 */
#define TEST_RR(n, op, expect, a, b) \
	CHECK_NUM(n);           \
	li a1, a;               \
	li a2, b;               \
	op a0, a1, a2;          \
	EXPECT(n, a0, expect)

/* rd = op rs1, imm */
#define TEST_RI(n, op, expect, a, imm) \
	CHECK_NUM(n);           \
	li a1, a;               \
	op a0, a1, imm;         \
	EXPECT(n, a0, expect)

/* rd = op rs1 */
#define TEST_R(n, op, expect, a) \
	CHECK_NUM(n);           \
	li a1, a;               \
	op a0, a1;              \
	EXPECT(n, a0, expect)

/* taken / not-taken branch */
#define TEST_BR_TAKEN(n, op, a, b) \
	CHECK_NUM(n);           \
	li a1, a;               \
	li a2, b;               \
	op a1, a2, 2f;          \
	j test_fail;            \
2:

#define TEST_BR_NOT_TAKEN(n, op, a, b) \
	CHECK_NUM(n);           \
	li a1, a;               \
	li a2, b;               \
	op a1, a2, test_fail;

#endif /* __ASSEMBLER__ */
#endif
