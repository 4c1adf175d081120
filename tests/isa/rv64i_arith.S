/*
 * RV64I integer register-immediate and register-register operations
 * (unprivileged spec, RV32I/RV64I base, "Integer Computational
 * Instructions"): LUI, AUIPC, ADD/SUB/ADDI, logic ops and immediates,
 * SLT/SLTU/SLTI/SLTIU. 12-bit immediates are sign-extended; LUI and AUIPC
 * sign-extend their 32-bit result to 64 bits.
 */
#include "test.h"

	.option norvc

/* operand patterns for the logic ops */
#define PA 0xff00ff00ff00ff00
#define PB 0x0f0f0f0f0f0f0f0f
#define PC 0x00ff00ff00ff00ff

/* rd = U-type result, compared with expect */
#define TEST_LUI(n, imm, expect) \
	CHECK_NUM(n);           \
	lui a0, imm;            \
	EXPECT(n, a0, expect)

/* AUIPC at label 3; expect pc + off (off is the sign-extended imm << 12) */
#define TEST_AUIPC(n, imm, off) \
	CHECK_NUM(n);           \
3:	auipc a0, imm;          \
	la a1, 3b;              \
	li a2, off;             \
	add a1, a1, a2;         \
	bne a0, a1, test_fail

TEST_BEGIN
	TEST_LUI(1, 0x0, 0)
	TEST_LUI(2, 0x12345, 0x12345000)
	TEST_LUI(3, 0x7ffff, 0x7ffff000)
	TEST_LUI(4, 0x80000, 0xffffffff80000000)
	TEST_LUI(5, 0xfffff, 0xfffffffffffff000)

	TEST_AUIPC(10, 0x0, 0)
	TEST_AUIPC(11, 0x1, 0x1000)
	TEST_AUIPC(12, 0xfffff, -0x1000)
	TEST_AUIPC(13, 0x7ffff, 0x7ffff000)
	TEST_AUIPC(14, 0x80000, 0xffffffff80000000)

	TEST_RR(20, add, 0x8000000000000000, 0x7fffffffffffffff, 1)
	TEST_RR(21, add, 0, -1, 1)
	TEST_RR(22, add, 0x100000000, 0xffffffff, 1)
	TEST_RR(23, add, 0, 0x8000000000000000, 0x8000000000000000)
	TEST_RR(24, add, -3, -1, -2)

	TEST_RR(30, sub, -1, 0, 1)
	TEST_RR(31, sub, 0x7fffffffffffffff, 0x8000000000000000, 1)
	TEST_RR(32, sub, -4, 3, 7)
	TEST_RR(33, sub, 0x8000000000000000, 0x7fffffffffffffff, -1)
	TEST_RR(34, sub, 0xffffffff, 0x100000000, 1)

	TEST_RI(40, addi, 0x8000000000000000, 0x7fffffffffffffff, 1)
	TEST_RI(41, addi, 0xfffffffffffff800, 0, -2048)
	TEST_RI(42, addi, 0x7ff, 0, 2047)
	TEST_RI(43, addi, -2, -1, -1)
	TEST_RI(44, addi, 0x100000000, 0xffffffff, 1)
	TEST_RI(45, addi, 0x7fffffffffffffff, 0x8000000000000000, -1)

	TEST_RR(50, and, 0x0f000f000f000f00, PA, PB)
	TEST_RR(51, or, 0xff0fff0fff0fff0f, PA, PB)
	TEST_RR(52, xor, 0xf00ff00ff00ff00f, PA, PB)
	TEST_RR(53, xor, 0, -1, -1)

	TEST_RI(60, andi, PA, PA, -1)
	TEST_RI(61, andi, 0x700, PA, 0x7f0)
	TEST_RI(62, andi, 0xff00ff00ff00f800, PA, -2048)
	TEST_RI(63, ori, -1, PC, 0xffffffffffffff0f)
	TEST_RI(64, ori, 0x7ff, 0, 0x7ff)
	TEST_RI(65, ori, 0x00ff00ff00ff07ff, PC, 0x70f)
	TEST_RI(66, xori, PA, PC, -1)
	TEST_RI(67, xori, 0x00ff00ff00ff07f0, PC, 0x70f)
	TEST_RI(68, xori, 0xff00ff00ff00f8f0, PC, -2033)

	TEST_RR(70, slt, 1, 0x8000000000000000, 0x7fffffffffffffff)
	TEST_RR(71, slt, 0, 0x7fffffffffffffff, 0x8000000000000000)
	TEST_RR(72, slt, 1, -1, 0)
	TEST_RR(73, slt, 0, 0, -1)
	TEST_RR(74, slt, 0, 5, 5)
	TEST_RR(75, slt, 1, -2, -1)
	TEST_RR(76, slt, 0, 0x100000000, 0xffffffff)

	TEST_RR(80, sltu, 0, -1, 0)
	TEST_RR(81, sltu, 1, 0, -1)
	TEST_RR(82, sltu, 0, 0x8000000000000000, 0x7fffffffffffffff)
	TEST_RR(83, sltu, 1, 0x7fffffffffffffff, 0x8000000000000000)
	TEST_RR(84, sltu, 0, 5, 5)
	TEST_RR(85, sltu, 1, 0xffffffff, 0x100000000)

	TEST_RI(90, slti, 1, -1, 0)
	TEST_RI(91, slti, 0, 0, -1)
	TEST_RI(92, slti, 1, 0x8000000000000000, -2048)
	TEST_RI(93, slti, 0, 0x7ff, 0x7ff)
	TEST_RI(94, slti, 1, 0x7fe, 0x7ff)
	TEST_RI(95, slti, 0, 0x7fffffffffffffff, -1)

	TEST_RI(100, sltiu, 1, 0, -1)
	TEST_RI(101, sltiu, 0, -1, -1)
	TEST_RI(102, sltiu, 1, 0x7ff, -2048)
	TEST_RI(103, sltiu, 1, 0, 1)
	TEST_RI(104, sltiu, 0, 1, 1)
	TEST_RI(105, sltiu, 1, 0xfffffffffffff7ff, -2048)
	TEST_RI(106, sltiu, 0, 0x8000000000000000, 0x7ff)

	/* rd == rs1 == rs2 */
	CHECK_NUM(110)
	li a0, 0x4000000000000001
	add a0, a0, a0
	EXPECT(110, a0, 0x8000000000000002)
	CHECK_NUM(111)
	sub a0, a0, a0
	EXPECT(111, a0, 0)
TEST_END
