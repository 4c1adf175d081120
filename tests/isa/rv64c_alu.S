/*
 * RV64C integer computational instructions (unprivileged spec, "C"
 * extension, "Integer Computational Instructions"): C.LI, C.LUI (nzimm
 * bit 17 sign-extends), C.ADDI, C.ADDIW (32-bit add, sign-extended),
 * C.ADDI16SP, C.ADDI4SPN, C.SLLI/C.SRLI/C.SRAI (6-bit shamt, so >= 32
 * allowed on RV64), C.ANDI, C.MV, C.ADD, C.AND/C.OR/C.XOR/C.SUB,
 * C.ADDW/C.SUBW, C.NOP. Every instruction is written as its c.* mnemonic,
 * so the assembler must emit the 16-bit form.
 */
#include "test.h"

	.option rvc

/* operand patterns for the logic ops */
#define PA 0xff00ff00ff00ff00
#define PB 0x0ff00ff00ff00ff0

/* a0 = init; run the instruction(s); a0 must equal expect */
#define TEST_C(n, init, expect, ...) \
	CHECK_NUM(n);           \
	li a0, init;            \
	__VA_ARGS__;            \
	EXPECT(n, a0, expect)

/* a0 = x, a1 = y; run the instruction(s); a0 must equal expect */
#define TEST_C2(n, x, y, expect, ...) \
	CHECK_NUM(n);           \
	li a0, x;               \
	li a1, y;               \
	__VA_ARGS__;            \
	EXPECT(n, a0, expect)

TEST_BEGIN
	TEST_C(1, 0x55, -32, c.li a0, -32)
	TEST_C(2, 0x55, 31, c.li a0, 31)
	TEST_C(3, 0x55, 0, c.li a0, 0)

	TEST_C(10, 0x55, 0x1000, c.lui a0, 1)
	TEST_C(11, 0x55, 0x1f000, c.lui a0, 0x1f)
	TEST_C(12, 0x55, 0xfffffffffffe0000, c.lui a0, 0xfffe0)
	TEST_C(13, 0x55, 0xfffffffffffff000, c.lui a0, 0xfffff)

	TEST_C(20, 0, -32, c.addi a0, -32)
	TEST_C(21, 1, 32, c.addi a0, 31)
	TEST_C(22, 0x7fffffffffffffff, 0x8000000000000000, c.addi a0, 1)
	TEST_C(23, 0xffffffff, 0x100000000, c.addi a0, 1)

	TEST_C(30, 0x7fffffff, 0xffffffff80000000, c.addiw a0, 1)
	TEST_C(31, 0xffffffff, -1, c.addiw a0, 0)
	TEST_C(32, 0x1234567800000000, -32, c.addiw a0, -32)
	TEST_C(33, 0x80000000, 0x7fffffe0, c.addiw a0, -32)
	TEST_C(34, 0xffffffff7fffffff, 0x7fffffff, c.addiw a0, 0)

	TEST_C(40, 1, 2, c.slli a0, 1)
	TEST_C(41, 1, 0x80000000, c.slli a0, 31)
	TEST_C(42, 1, 0x100000000, c.slli a0, 32)
	TEST_C(43, 1, 0x8000000000000000, c.slli a0, 63)
	TEST_C(44, 0xffffffff, 0xffffffff00000000, c.slli a0, 32)

	TEST_C(50, 0x8000000000000000, 0x4000000000000000, c.srli a0, 1)
	TEST_C(51, 0x8000000000000000, 0x100000000, c.srli a0, 31)
	TEST_C(52, 0x8000000000000000, 0x80000000, c.srli a0, 32)
	TEST_C(53, 0x8000000000000000, 1, c.srli a0, 63)

	TEST_C(60, 0x8000000000000000, 0xc000000000000000, c.srai a0, 1)
	TEST_C(61, 0x8000000000000000, 0xffffffff00000000, c.srai a0, 31)
	TEST_C(62, 0x8000000000000000, 0xffffffff80000000, c.srai a0, 32)
	TEST_C(63, 0x8000000000000000, -1, c.srai a0, 63)
	TEST_C(64, 0x7fffffffffffffff, 0, c.srai a0, 63)

	TEST_C(70, -1, 0xffffffffffffffe0, c.andi a0, -32)
	TEST_C(71, -1, 0x1f, c.andi a0, 31)
	TEST_C(72, 0x123456789abcdef0, 0x10, c.andi a0, 0x10)

	TEST_C2(80, 0x55, 0x8000000000000001, 0x8000000000000001, c.mv a0, a1)
	TEST_C2(81, 0x7fffffffffffffff, 1, 0x8000000000000000, c.add a0, a1)
	TEST_C2(82, 0xffffffff, 1, 0x100000000, c.add a0, a1)
	TEST_C2(83, PA, PB, 0x0f000f000f000f00, c.and a0, a1)
	TEST_C2(84, PA, PB, 0xfff0fff0fff0fff0, c.or a0, a1)
	TEST_C2(85, PA, PB, 0xf0f0f0f0f0f0f0f0, c.xor a0, a1)
	TEST_C2(86, 0, 1, -1, c.sub a0, a1)
	TEST_C2(87, 0x8000000000000000, 1, 0x7fffffffffffffff, c.sub a0, a1)

	TEST_C2(90, 0x7fffffff, 1, 0xffffffff80000000, c.addw a0, a1)
	TEST_C2(91, 0xffffffff, 1, 0, c.addw a0, a1)
	TEST_C2(92, 0x123456780000000f, 0xabcdef0000000001, 0x10, c.addw a0, a1)
	TEST_C2(93, 0x80000000, 1, 0x7fffffff, c.subw a0, a1)
	TEST_C2(94, 0xffffffff00000000, 1, -1, c.subw a0, a1)
	TEST_C2(95, 0x7fffffff, -1, 0xffffffff80000000, c.subw a0, a1)

	/* C.NOP changes nothing */
	TEST_C(100, 0x1234, 0x1234, c.nop)

	/* C.ADDI16SP: sp += nzimm (multiple of 16, -512..496) */
	CHECK_NUM(110)
	mv s11, sp
	c.addi16sp sp, -512
	sub a0, s11, sp
	EXPECT(110, a0, 512)
	CHECK_NUM(111)
	c.addi16sp sp, 496
	sub a0, s11, sp
	EXPECT(111, a0, 16)
	CHECK_NUM(112)
	c.addi16sp sp, 16
	sub a0, s11, sp
	EXPECT(112, a0, 0)

	/* C.ADDI4SPN: rd' = sp + nzuimm (multiple of 4, 4..1020) */
	CHECK_NUM(113)
	c.addi4spn a0, sp, 1020
	sub a0, a0, sp
	EXPECT(113, a0, 1020)
	CHECK_NUM(114)
	c.addi4spn a1, sp, 4
	sub a0, a1, sp
	EXPECT(114, a0, 4)
	mv sp, s11
TEST_END
