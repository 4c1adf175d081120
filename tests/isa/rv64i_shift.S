/*
 * RV64I shifts (unprivileged spec, RV64I "Integer Computational
 * Instructions"): SLL/SRL/SRA use rs2[5:0], SLLI/SRLI/SRAI a 6-bit
 * shamt; the W forms use rs2[4:0] (or a 5-bit shamt), operate on the low
 * 32 bits and sign-extend bit 31 of the result.
 */
#include "test.h"

	.option norvc

TEST_BEGIN
	TEST_RR(1, sll, 1, 1, 0)
	TEST_RR(2, sll, 2, 1, 1)
	TEST_RR(3, sll, 0x80000000, 1, 31)
	TEST_RR(4, sll, 0x100000000, 1, 32)
	TEST_RR(5, sll, 0x8000000000000000, 1, 63)
	TEST_RR(6, sll, 1, 1, 64)
	TEST_RR(7, sll, 2, 1, 65)
	TEST_RR(8, sll, 0xfffffffffffffff8, -1, 0xffffffffffffffc3)

	TEST_RR(10, srl, 0x8000000000000000, 0x8000000000000000, 0)
	TEST_RR(11, srl, 0x4000000000000000, 0x8000000000000000, 1)
	TEST_RR(12, srl, 0x100000000, 0x8000000000000000, 31)
	TEST_RR(13, srl, 0x80000000, 0x8000000000000000, 32)
	TEST_RR(14, srl, 1, 0x8000000000000000, 63)
	TEST_RR(15, srl, -1, -1, 64)
	TEST_RR(16, srl, 0x7fffffffffffffff, -1, 0x7fffffc1)

	TEST_RR(20, sra, 0x8000000000000000, 0x8000000000000000, 0)
	TEST_RR(21, sra, 0xc000000000000000, 0x8000000000000000, 1)
	TEST_RR(22, sra, 0xffffffff00000000, 0x8000000000000000, 31)
	TEST_RR(23, sra, 0xffffffff80000000, 0x8000000000000000, 32)
	TEST_RR(24, sra, -1, 0x8000000000000000, 63)
	TEST_RR(25, sra, 0, 0x7fffffffffffffff, 63)
	TEST_RR(26, sra, 0x8000000000000000, 0x8000000000000000, 64)
	TEST_RR(27, sra, 0x0000000080000000, 0x0000000080000000, 0)

	TEST_RI(30, slli, 1, 1, 0)
	TEST_RI(31, slli, 2, 1, 1)
	TEST_RI(32, slli, 0x80000000, 1, 31)
	TEST_RI(33, slli, 0x100000000, 1, 32)
	TEST_RI(34, slli, 0x8000000000000000, 1, 63)
	TEST_RI(35, slli, 0xffffffff00000000, 0x00000000ffffffff, 32)

	TEST_RI(40, srli, 0x8000000000000000, 0x8000000000000000, 0)
	TEST_RI(41, srli, 0x4000000000000000, 0x8000000000000000, 1)
	TEST_RI(42, srli, 0x100000000, 0x8000000000000000, 31)
	TEST_RI(43, srli, 0x80000000, 0x8000000000000000, 32)
	TEST_RI(44, srli, 1, 0x8000000000000000, 63)
	TEST_RI(45, srli, 0xffffffff, -1, 32)

	TEST_RI(50, srai, 0x8000000000000000, 0x8000000000000000, 0)
	TEST_RI(51, srai, 0xc000000000000000, 0x8000000000000000, 1)
	TEST_RI(52, srai, 0xffffffff00000000, 0x8000000000000000, 31)
	TEST_RI(53, srai, 0xffffffff80000000, 0x8000000000000000, 32)
	TEST_RI(54, srai, -1, 0x8000000000000000, 63)
	TEST_RI(55, srai, 0x3fffffffffffffff, 0x7fffffffffffffff, 1)
	TEST_RI(56, srai, 0, 0x7fffffffffffffff, 63)

	TEST_RR(60, sllw, 1, 1, 0)
	TEST_RR(61, sllw, 2, 1, 1)
	TEST_RR(62, sllw, 0xffffffff80000000, 1, 31)
	TEST_RR(63, sllw, 1, 1, 32)
	TEST_RR(64, sllw, 0xffffffff80000000, 1, 63)
	TEST_RR(65, sllw, 2, 0xffffffff00000001, 1)
	TEST_RR(66, sllw, 0xffffffff80000000, 0x40000000, 1)
	TEST_RR(67, sllw, 0, 0x80000000, 1)

	TEST_RR(70, srlw, 0xffffffff80000000, 0x80000000, 0)
	TEST_RR(71, srlw, 0x40000000, 0xffffffff80000000, 1)
	TEST_RR(72, srlw, 1, 0x80000000, 31)
	TEST_RR(73, srlw, 0xffffffff80000000, 0x80000000, 32)
	TEST_RR(74, srlw, 1, 0xffffffff00000010, 4)
	TEST_RR(75, srlw, 1, 0x80000000, 63)
	TEST_RR(76, srlw, 0x7fffffff, -1, 1)

	TEST_RR(80, sraw, 0xffffffffc0000000, 0x80000000, 1)
	TEST_RR(81, sraw, -1, 0x80000000, 31)
	TEST_RR(82, sraw, 0, 0x7fffffff, 31)
	TEST_RR(83, sraw, 0xffffffff80000000, 0x80000000, 32)
	TEST_RR(84, sraw, 1, 0xffffffff40000000, 30)
	TEST_RR(85, sraw, 0x7fffffff, 0x7fffffff, 0)
	TEST_RR(86, sraw, -1, 0x80000000, 63)

	TEST_RI(90, slliw, -1, 0xffffffff, 0)
	TEST_RI(91, slliw, 0xffffffff80000000, 1, 31)
	TEST_RI(92, slliw, 0xffffffff87654321, 0x1234567887654321, 0)
	TEST_RI(93, slliw, 0x7ffffffe, 0xffffffffbfffffff, 1)

	TEST_RI(100, srliw, 0xffffffff80000000, 0x80000000, 0)
	TEST_RI(101, srliw, 0x40000000, 0x80000000, 1)
	TEST_RI(102, srliw, 1, -1, 31)
	TEST_RI(103, srliw, 0, 0xffffffff00000000, 1)

	TEST_RI(110, sraiw, 0xffffffff80000000, 0x80000000, 0)
	TEST_RI(111, sraiw, 0xffffffffc0000000, 0x80000000, 1)
	TEST_RI(112, sraiw, -1, 0x80000000, 31)
	TEST_RI(113, sraiw, 0, 0x7fffffff, 31)
	TEST_RI(114, sraiw, 0x3fffffff, 0xffffffff7fffffff, 1)
TEST_END
