/*
 * F and D macros for the ISA tests (unprivileged spec 20191213, chapters
 * 11 and 12), on top of test.h. Operands and results are bit patterns:
 * singles move through fmv.w.x / fmv.x.w (so a result is compared
 * sign-extended from 32 bits), doubles through fmv.d.x / fmv.x.d. After
 * each result the accrued flags are read and cleared with fsflags and
 * compared too (NV 0x10, DZ 0x08, OF 0x04, UF 0x02, NX 0x01).
 *
 * Registers: ft0-ft2 operands, ft3 result, a0/a1 integer, t0 scratch,
 * t5/t6 comparisons, s1 the saved mtvec, t4 the mcause seen by fp_trap.
 */
#ifndef TESTS_ISA_FP_H
#define TESTS_ISA_FP_H

#include "test.h"

#ifdef __ASSEMBLER__

#define FP_FAIL(n)              \
	li TESTNUM, n;          \
	j test_fail;

/* reg == val (64 bits) */
#define FP_EXPECT_X(n, reg, val) \
	li t6, val;             \
	beq reg, t6, 1f;        \
	FP_FAIL(n)              \
1:

/* reg == val sign-extended from 32 bits */
#define FP_EXPECT_W(n, reg, val) \
	li t6, val;             \
	addiw t6, t6, 0;        \
	beq reg, t6, 1f;        \
	FP_FAIL(n)              \
1:

/* the accrued flags are fl; clears them */
#define FP_EXPECT_FLAGS(n, fl)  \
	fsflags t5, zero;       \
	li t6, fl;              \
	beq t5, t6, 1f;         \
	FP_FAIL(n)              \
1:

#define LOAD_S(freg, val) li t0, val; fmv.w.x freg, t0;
#define LOAD_D(freg, val) li t0, val; fmv.d.x freg, t0;
/* a raw 64-bit pattern, e.g. an improperly NaN-boxed single */
#define LOAD_RAW(freg, val) LOAD_D(freg, val)

#define CHECK_S(n, want, fl)    \
	fmv.x.w a0, ft3;        \
	FP_EXPECT_W(n, a0, want) \
	FP_EXPECT_FLAGS(n, fl)

#define CHECK_D(n, want, fl)    \
	fmv.x.d a0, ft3;        \
	FP_EXPECT_X(n, a0, want) \
	FP_EXPECT_FLAGS(n, fl)

#define CHECK_X(n, want, fl)    \
	FP_EXPECT_X(n, a0, want) \
	FP_EXPECT_FLAGS(n, fl)

/* ft3 = op ft0 [, ft1 [, ft2]] [, rm] for S and D */
#define TEST_S_R(n, op, rm, want, fl, a) \
	CHECK_NUM(n); LOAD_S(ft0, a) op ft3, ft0, rm; CHECK_S(n, want, fl)
#define TEST_S_RR(n, op, rm, want, fl, a, b) \
	CHECK_NUM(n); LOAD_S(ft0, a) LOAD_S(ft1, b) \
	op ft3, ft0, ft1, rm; CHECK_S(n, want, fl)
#define TEST_S_RRR(n, op, rm, want, fl, a, b, c) \
	CHECK_NUM(n); LOAD_S(ft0, a) LOAD_S(ft1, b) LOAD_S(ft2, c) \
	op ft3, ft0, ft1, ft2, rm; CHECK_S(n, want, fl)
/* ops with a fixed funct3 (sign injection, min/max) */
#define TEST_S_RR_F(n, op, want, fl, a, b) \
	CHECK_NUM(n); LOAD_S(ft0, a) LOAD_S(ft1, b) \
	op ft3, ft0, ft1; CHECK_S(n, want, fl)

#define TEST_D_R(n, op, rm, want, fl, a) \
	CHECK_NUM(n); LOAD_D(ft0, a) op ft3, ft0, rm; CHECK_D(n, want, fl)
#define TEST_D_RR(n, op, rm, want, fl, a, b) \
	CHECK_NUM(n); LOAD_D(ft0, a) LOAD_D(ft1, b) \
	op ft3, ft0, ft1, rm; CHECK_D(n, want, fl)
#define TEST_D_RRR(n, op, rm, want, fl, a, b, c) \
	CHECK_NUM(n); LOAD_D(ft0, a) LOAD_D(ft1, b) LOAD_D(ft2, c) \
	op ft3, ft0, ft1, ft2, rm; CHECK_D(n, want, fl)
#define TEST_D_RR_F(n, op, want, fl, a, b) \
	CHECK_NUM(n); LOAD_D(ft0, a) LOAD_D(ft1, b) \
	op ft3, ft0, ft1; CHECK_D(n, want, fl)

/* a0 = op ft0, ft1 (compares); a0 = op ft0 (fclass, fmv.x.*) */
#define TEST_S_CMP(n, op, want, fl, a, b) \
	CHECK_NUM(n); LOAD_S(ft0, a) LOAD_S(ft1, b) \
	op a0, ft0, ft1; CHECK_X(n, want, fl)
#define TEST_D_CMP(n, op, want, fl, a, b) \
	CHECK_NUM(n); LOAD_D(ft0, a) LOAD_D(ft1, b) \
	op a0, ft0, ft1; CHECK_X(n, want, fl)
#define TEST_S_TOX(n, op, want, a) \
	CHECK_NUM(n); LOAD_S(ft0, a) op a0, ft0; CHECK_X(n, want, 0)
#define TEST_D_TOX(n, op, want, a) \
	CHECK_NUM(n); LOAD_D(ft0, a) op a0, ft0; CHECK_X(n, want, 0)

/* a0 = fcvt.{w,wu,l,lu}.{s,d} ft0, rm */
#define TEST_S_TOINT(n, op, rm, want, fl, a) \
	CHECK_NUM(n); LOAD_S(ft0, a) op a0, ft0, rm; CHECK_X(n, want, fl)
#define TEST_D_TOINT(n, op, rm, want, fl, a) \
	CHECK_NUM(n); LOAD_D(ft0, a) op a0, ft0, rm; CHECK_X(n, want, fl)

/* ft3 = fcvt.{s,d}.{w,wu,l,lu} a1, rm */
#define TEST_S_FROMINT(n, op, rm, want, fl, x) \
	CHECK_NUM(n); li a1, x; op ft3, a1, rm; CHECK_S(n, want, fl)
#define TEST_D_FROMINT(n, op, rm, want, fl, x) \
	CHECK_NUM(n); li a1, x; op ft3, a1, rm; CHECK_D(n, want, fl)

/* ft3 = fcvt.d.{w,wu} a1: exact, assembled with rm = rne */
#define TEST_D_FROMINT_EXACT(n, op, want, x) \
	CHECK_NUM(n); li a1, x; op ft3, a1; CHECK_D(n, want, 0)

/* ft3 = fcvt.s.d ft0, rm; ft3 = fcvt.d.s ft0 (exact, rm unused) */
#define TEST_S_FROM_D(n, rm, want, fl, a) \
	CHECK_NUM(n); LOAD_D(ft0, a) fcvt.s.d ft3, ft0, rm; \
	CHECK_S(n, want, fl)
#define TEST_D_FROM_S(n, want, fl, a) \
	CHECK_NUM(n); LOAD_S(ft0, a) fcvt.d.s ft3, ft0; CHECK_D(n, want, fl)

/* the same with a dynamic rounding mode taken from frm */
#define TEST_S_RR_DYN(n, op, frm, want, fl, a, b) \
	CHECK_NUM(n); fsrmi zero, frm; LOAD_S(ft0, a) LOAD_S(ft1, b) \
	op ft3, ft0, ft1, dyn; fsrmi zero, 0; CHECK_S(n, want, fl)
#define TEST_D_RR_DYN(n, op, frm, want, fl, a, b) \
	CHECK_NUM(n); fsrmi zero, frm; LOAD_D(ft0, a) LOAD_D(ft1, b) \
	op ft3, ft0, ft1, dyn; fsrmi zero, 0; CHECK_D(n, want, fl)

/*
 * The instruction insn must raise an illegal-instruction exception
 * (mcause 2). fp_trap (FP_TRAP_HANDLER, placed once after TEST_END)
 * records mcause in t4 and skips the 4-byte instruction.
 */
#define TEST_ILLEGAL(n, insn...)  \
	CHECK_NUM(n);           \
	la t0, fp_trap;         \
	csrrw s1, mtvec, t0;    \
	li t4, 0;               \
	insn;                   \
	csrw mtvec, s1;         \
	li t6, 2;               \
	beq t4, t6, 1f;         \
	FP_FAIL(n)              \
1:

/* insn must not trap */
#define TEST_LEGAL(n, insn...)    \
	CHECK_NUM(n);           \
	la t0, fp_trap;         \
	csrrw s1, mtvec, t0;    \
	li t4, 0;               \
	insn;                   \
	csrw mtvec, s1;         \
	beqz t4, 1f;            \
	FP_FAIL(n)              \
1:

#define FP_TRAP_HANDLER         \
	.align 2;               \
fp_trap:                        \
	csrr t4, mcause;        \
	csrr t0, mepc;          \
	addi t0, t0, 4;         \
	csrw mepc, t0;          \
	mret;

#endif /* __ASSEMBLER__ */
#endif
