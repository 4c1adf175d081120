/*
 * Zicond integer conditional operations (Zicond spec, ratified 1.0):
 * czero.eqz rd, rs1, rs2: rd = (rs2 == 0) ? 0 : rs1
 * czero.nez rd, rs1, rs2: rd = (rs2 != 0) ? 0 : rs1
 * The condition tests all XLEN bits of rs2. Both are R-type on OP
 * (0110011) with funct7 0000111; funct3 101 is czero.eqz and 111 is
 * czero.nez. binutils 2.40 lacks the mnemonics, hence .insn.
 *
 * QEMU 7.2 (the reference oracle here) does not implement Zicond and
 * raises an illegal-instruction exception, so this file cannot pass on
 * it; the expected values were worked out by hand from the two rules
 * above. The check structure was run on QEMU with an out-of-tree trap
 * handler that emulates the two instructions.
 */
#include "test.h"

	.option norvc

#define CZERO_EQZ(rd, rs1, rs2) .insn r 0x33, 5, 7, rd, rs1, rs2
#define CZERO_NEZ(rd, rs1, rs2) .insn r 0x33, 7, 7, rd, rs1, rs2

#define TEST_CZ(n, insn, expect, a, b) \
	CHECK_NUM(n);           \
	li a0, 0x5555;          \
	li a1, a;               \
	li a2, b;               \
	insn(a0, a1, a2);       \
	EXPECT(n, a0, expect)

TEST_BEGIN
	TEST_CZ(1, CZERO_EQZ, 0, 0x1234, 0)
	TEST_CZ(2, CZERO_EQZ, 0x1234, 0x1234, 1)
	TEST_CZ(3, CZERO_EQZ, 0x1234, 0x1234, 0x100000000)
	TEST_CZ(4, CZERO_EQZ, -1, -1, 0x8000000000000000)
	TEST_CZ(5, CZERO_EQZ, 0, -1, 0)
	TEST_CZ(6, CZERO_EQZ, 0, 0, -1)

	TEST_CZ(10, CZERO_NEZ, 0x1234, 0x1234, 0)
	TEST_CZ(11, CZERO_NEZ, 0, 0x1234, 1)
	TEST_CZ(12, CZERO_NEZ, 0, 0x1234, 0x100000000)
	TEST_CZ(13, CZERO_NEZ, 0, -1, 0x8000000000000000)
	TEST_CZ(14, CZERO_NEZ, -1, -1, 0)
	TEST_CZ(15, CZERO_NEZ, 0x8000000000000000, 0x8000000000000000, 0)

	/* rd == rs1 == rs2 */
	CHECK_NUM(20)
	li a0, 0x77
	CZERO_EQZ(a0, a0, a0)
	EXPECT(20, a0, 0x77)
	CHECK_NUM(21)
	li a0, 0x77
	CZERO_NEZ(a0, a0, a0)
	EXPECT(21, a0, 0)
	CHECK_NUM(22)
	li a0, 0
	CZERO_NEZ(a0, a0, a0)
	EXPECT(22, a0, 0)

	/* rd == rs2: the condition is read before rd is written */
	CHECK_NUM(23)
	li a1, 0x99
	li a2, 0
	CZERO_NEZ(a2, a1, a2)
	EXPECT(23, a2, 0x99)

	/* rd == x0 is discarded */
	CHECK_NUM(24)
	li a1, 5
	li a2, 1
	CZERO_EQZ(x0, a1, a2)
	bnez x0, test_fail

	/* a branchless select: a0 = cond ? a1 : a2 */
	CHECK_NUM(25)
	li a3, 0x100
	li a1, 111
	li a2, 222
	CZERO_EQZ(a4, a1, a3)
	CZERO_NEZ(a5, a2, a3)
	or a0, a4, a5
	EXPECT(25, a0, 111)
TEST_END
