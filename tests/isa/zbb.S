/*
 * Zbb basic bit manipulation (bit-manipulation spec, Zbb): ANDN/ORN/XNOR,
 * CLZ/CTZ/CPOP (64 on a zero input for CLZ/CTZ) and their W forms (on the
 * low word, 32 for zero), MIN/MAX signed and MINU/MAXU unsigned,
 * SEXT.B/SEXT.H/ZEXT.H, ROL/ROR (rs2[5:0]), RORI (6-bit shamt), ROLW/RORW
 * (rs2[4:0], result sign-extended), RORIW, ORC.B and REV8.
 */
#include "test.h"

	.option norvc

#define MIN64 0x8000000000000000
#define MAX64 0x7fffffffffffffff

TEST_BEGIN
	TEST_RR(1, andn, 0xf000, 0xff00, 0x0ff0)
	TEST_RR(2, andn, 0, -1, -1)
	TEST_RR(3, andn, -1, -1, 0)
	TEST_RR(4, orn, -1, 0, 0)
	TEST_RR(5, orn, 0xf0, 0xf0, -1)
	TEST_RR(6, orn, 0xffffffff0000ffff, 0xff, 0x00000000ffff0000)
	TEST_RR(7, xnor, 0xfffffffffffffff0, 0xff, 0xf0)
	TEST_RR(8, xnor, -1, 0x123456789abcdef0, 0x123456789abcdef0)

	TEST_R(10, clz, 64, 0)
	TEST_R(11, clz, 0, -1)
	TEST_R(12, clz, 63, 1)
	TEST_R(13, clz, 0, MIN64)
	TEST_R(14, clz, 32, 0x00000000ffffffff)
	TEST_R(15, clz, 31, 0x0000000100000000)

	TEST_R(20, ctz, 64, 0)
	TEST_R(21, ctz, 0, -1)
	TEST_R(22, ctz, 63, MIN64)
	TEST_R(23, ctz, 32, 0x100000000)
	TEST_R(24, ctz, 31, 0xffffffff80000000)

	TEST_R(30, cpop, 0, 0)
	TEST_R(31, cpop, 64, -1)
	TEST_R(32, cpop, 32, 0x5555555555555555)
	TEST_R(33, cpop, 2, 0x8000000000000001)
	TEST_R(34, cpop, 1, 0x100000000)

	TEST_R(40, clzw, 32, 0)
	TEST_R(41, clzw, 32, 0xffffffff00000000)
	TEST_R(42, clzw, 0, -1)
	TEST_R(43, clzw, 31, 1)
	TEST_R(44, clzw, 16, 0xffffffff0000ffff)
	TEST_R(45, clzw, 0, 0x80000000)

	TEST_R(50, ctzw, 32, 0)
	TEST_R(51, ctzw, 32, 0xffffffff00000000)
	TEST_R(52, ctzw, 31, 0x80000000)
	TEST_R(53, ctzw, 0, -1)
	TEST_R(54, ctzw, 4, 0x0000000100000010)

	TEST_R(60, cpopw, 0, 0)
	TEST_R(61, cpopw, 32, -1)
	TEST_R(62, cpopw, 0, 0xffffffff00000000)
	TEST_R(63, cpopw, 2, 0x0000000080000001)

	TEST_RR(70, max, 1, -1, 1)
	TEST_RR(71, min, -1, -1, 1)
	TEST_RR(72, max, MAX64, MIN64, MAX64)
	TEST_RR(73, min, MIN64, MIN64, MAX64)
	TEST_RR(74, maxu, -1, -1, 1)
	TEST_RR(75, minu, 1, -1, 1)
	TEST_RR(76, maxu, MIN64, MIN64, MAX64)
	TEST_RR(77, minu, MAX64, MIN64, MAX64)
	TEST_RR(78, max, 5, 5, 5)
	TEST_RR(79, minu, 0, 0, -1)

	TEST_R(80, sext.b, 0xffffffffffffff80, 0x80)
	TEST_R(81, sext.b, 0x7f, 0x7f)
	TEST_R(82, sext.b, 1, 0x123456789abcde01)
	TEST_R(83, sext.b, -1, 0xff)
	TEST_R(84, sext.h, 0xffffffffffff8000, 0x8000)
	TEST_R(85, sext.h, 0x7fff, 0x12347fff)
	TEST_R(86, sext.h, -1, 0xffff)
	TEST_R(87, zext.h, 0xffff, -1)
	TEST_R(88, zext.h, 0x8000, 0x8000)
	TEST_R(89, zext.h, 0x5678, 0x12345678)

	TEST_RR(90, rol, 3, 0x8000000000000001, 1)
	TEST_RR(91, rol, 0x0123456789abcdef, 0x0123456789abcdef, 0)
	TEST_RR(92, rol, MIN64, 1, 63)
	TEST_RR(93, rol, 1, 1, 64)
	TEST_RR(94, rol, 0x89abcdef01234567, 0x0123456789abcdef, 32)
	TEST_RR(95, rol, 0x123456789abcdef0, 0x0123456789abcdef, 4)

	TEST_RR(100, ror, MIN64, 1, 1)
	TEST_RR(101, ror, 0x89abcdef01234567, 0x0123456789abcdef, 32)
	TEST_RR(102, ror, 0xf0123456789abcde, 0x0123456789abcdef, 4)
	TEST_RR(103, ror, 0x0123456789abcdef, 0x0123456789abcdef, 0)
	TEST_RR(104, ror, 0x0123456789abcdef, 0x0123456789abcdef, 64)
	TEST_RR(105, ror, 2, 1, 63)

	TEST_RI(110, rori, 0x0123456789abcdef, 0x0123456789abcdef, 0)
	TEST_RI(111, rori, 0x89abcdef01234567, 0x0123456789abcdef, 32)
	TEST_RI(112, rori, 2, 1, 63)
	TEST_RI(113, rori, 0xef0123456789abcd, 0x0123456789abcdef, 8)
	TEST_RI(114, rori, 0x02468acf13579bde, 0x0123456789abcdef, 63)

	TEST_RR(120, rolw, 3, 0x80000001, 1)
	TEST_RR(121, rolw, 0xffffffff80000000, 0x40000000, 1)
	TEST_RR(122, rolw, 0x12345678, 0xffffffff12345678, 0)
	TEST_RR(123, rolw, 0x12345678, 0x12345678, 32)
	TEST_RR(124, rolw, 0x23456781, 0x12345678, 4)
	TEST_RR(125, rolw, 0xffffffff81234567, 0x12345678, 28)

	TEST_RR(130, rorw, 0xffffffff80000000, 1, 1)
	TEST_RR(131, rorw, 0xffffffff81234567, 0x12345678, 4)
	TEST_RR(132, rorw, 0xffffffff81234567, 0x12345678, 36)
	TEST_RR(133, rorw, 0x12345678, 0x12345678, 0)
	TEST_RR(134, rorw, 0xffffffff87654321, 0x0000000087654321, 32)

	TEST_RI(140, roriw, 0x12345678, 0x12345678, 0)
	TEST_RI(141, roriw, 0xffffffff87654321, 0x0000000087654321, 0)
	TEST_RI(142, roriw, 0x56781234, 0xffffffff12345678, 16)
	TEST_RI(143, roriw, 2, 1, 31)
	TEST_RI(144, roriw, 0xffffffff80000000, 1, 1)

	TEST_R(150, orc.b, 0, 0)
	TEST_R(151, orc.b, -1, -1)
	TEST_R(152, orc.b, 0xff0000000000ff00, 0x0100000000008000)
	TEST_R(153, orc.b, 0x00ffffff000000ff, 0x0001020300000080)

	TEST_R(160, rev8, 0xefcdab8967452301, 0x0123456789abcdef)
	TEST_R(161, rev8, MIN64, 0x80)
	TEST_R(162, rev8, 0, 0)
TEST_END
