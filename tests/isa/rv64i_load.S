/*
 * RV64I loads (unprivileged spec, "Load and Store Instructions"): LB, LH,
 * LW sign-extend, LBU, LHU, LWU zero-extend, LD loads 64 bits; memory is
 * little-endian; the address is rs1 + sign-extended 12-bit offset.
 *
 * Data: ld_lo holds 0xf0e1d2c3b4a59687 (bytes 87 96 a5 b4 c3 d2 e1 f0),
 * ld_mid holds 0x0f1e2d3c4b5a6978 (bytes 78 69 5a 4b 3c 2d 1e 0f).
 * Negative offsets from ld_mid reach ld_lo.
 */
#include "test.h"

	.option norvc

#define TEST_LD(n, op, off, expect) \
	CHECK_NUM(n);           \
	la a1, ld_mid;          \
	op a0, off(a1);         \
	EXPECT(n, a0, expect)

TEST_BEGIN
	TEST_LD(1, lb, 0, 0x78)
	TEST_LD(2, lb, 1, 0x69)
	TEST_LD(3, lb, -1, 0xfffffffffffffff0)
	TEST_LD(4, lb, -8, 0xffffffffffffff87)
	TEST_LD(5, lb, 7, 0x0f)

	TEST_LD(10, lbu, 0, 0x78)
	TEST_LD(11, lbu, -1, 0xf0)
	TEST_LD(12, lbu, -8, 0x87)

	TEST_LD(20, lh, 0, 0x6978)
	TEST_LD(21, lh, 6, 0x0f1e)
	TEST_LD(22, lh, -2, 0xfffffffffffff0e1)
	TEST_LD(23, lh, -8, 0xffffffffffff9687)

	TEST_LD(30, lhu, 0, 0x6978)
	TEST_LD(31, lhu, -2, 0xf0e1)
	TEST_LD(32, lhu, -8, 0x9687)

	TEST_LD(40, lw, 0, 0x4b5a6978)
	TEST_LD(41, lw, 4, 0x0f1e2d3c)
	TEST_LD(42, lw, -4, 0xfffffffff0e1d2c3)
	TEST_LD(43, lw, -8, 0xffffffffb4a59687)

	TEST_LD(50, lwu, 0, 0x4b5a6978)
	TEST_LD(51, lwu, -4, 0xf0e1d2c3)
	TEST_LD(52, lwu, -8, 0xb4a59687)

	TEST_LD(60, ld, 0, 0x0f1e2d3c4b5a6978)
	TEST_LD(61, ld, -8, 0xf0e1d2c3b4a59687)

	/* the extreme offsets +2047 and -2048 */
	CHECK_NUM(70)
	la a1, ld_mid
	addi a1, a1, -2047
	lbu a0, 2047(a1)
	EXPECT(70, a0, 0x78)
	CHECK_NUM(71)
	la a1, ld_lo
	addi a1, a1, 2047
	addi a1, a1, 1
	ld a0, -2048(a1)
	EXPECT(71, a0, 0xf0e1d2c3b4a59687)

	/* rd == rs1: the address uses the old value */
	CHECK_NUM(72)
	la a0, ld_mid
	lw a0, -4(a0)
	EXPECT(72, a0, 0xfffffffff0e1d2c3)
TEST_END

	.data
	.balign 8
ld_lo:
	.dword 0xf0e1d2c3b4a59687
ld_mid:
	.dword 0x0f1e2d3c4b5a6978
