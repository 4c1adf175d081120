/*
 * RV64M division (unprivileged spec, "M" extension, "Division
 * Operations"): DIV/DIVU round toward zero, REM/REMU take the sign of the
 * dividend. Division by zero gives a quotient of all ones and a remainder
 * equal to the dividend; signed overflow (most negative / -1) gives the
 * dividend as quotient and 0 as remainder. The W forms divide the low 32
 * bits and sign-extend the 32-bit result (also for DIVUW/REMUW).
 */
#include "test.h"

	.option norvc

#define MIN64 0x8000000000000000
#define MAX64 0x7fffffffffffffff

TEST_BEGIN
	TEST_RR(1, div, 3, 20, 6)
	TEST_RR(2, div, -3, -20, 6)
	TEST_RR(3, div, -3, 20, -6)
	TEST_RR(4, div, 3, -20, -6)
	TEST_RR(5, div, -1, 5, 0)
	TEST_RR(6, div, -1, -5, 0)
	TEST_RR(7, div, MIN64, MIN64, -1)
	TEST_RR(8, div, -MAX64, MAX64, -1)
	TEST_RR(9, div, -1, 0, 0)

	TEST_RR(10, divu, 3, 20, 6)
	TEST_RR(11, divu, 0x2aaaaaaaaaaaaaa7, -20, 6)
	TEST_RR(12, divu, -1, 5, 0)
	TEST_RR(13, divu, 0, MIN64, -1)
	TEST_RR(14, divu, 1, -1, -1)
	TEST_RR(15, divu, 2, MIN64, 0x4000000000000000)

	TEST_RR(20, rem, 2, 20, 6)
	TEST_RR(21, rem, -2, -20, 6)
	TEST_RR(22, rem, 2, 20, -6)
	TEST_RR(23, rem, -2, -20, -6)
	TEST_RR(24, rem, 5, 5, 0)
	TEST_RR(25, rem, -5, -5, 0)
	TEST_RR(26, rem, 0, MIN64, -1)
	TEST_RR(27, rem, MIN64, MIN64, 0)

	TEST_RR(30, remu, 2, 20, 6)
	TEST_RR(31, remu, 2, -20, 6)
	TEST_RR(32, remu, 5, 5, 0)
	TEST_RR(33, remu, MIN64, MIN64, -1)
	TEST_RR(34, remu, -1, -1, 0)

	TEST_RR(40, divw, 3, 20, 6)
	TEST_RR(41, divw, -3, -20, 6)
	TEST_RR(42, divw, 3, 0xffffffff00000014, 6)
	TEST_RR(43, divw, -1, 5, 0)
	TEST_RR(44, divw, 0xffffffff80000000, 0x80000000, -1)
	TEST_RR(45, divw, 0xffffffff80000000, 0xffffffff80000000, 0xffffffff)
	TEST_RR(46, divw, -1, 0x123456780000000f, 0xfffffffffffffff1)

	TEST_RR(50, divuw, -1, 0xffffffff, 1)
	TEST_RR(51, divuw, 0xffffffff80000000, 0x80000000, 1)
	TEST_RR(52, divuw, 0x2aaaaaa7, -20, 6)
	TEST_RR(53, divuw, -1, 5, 0)
	TEST_RR(54, divuw, 3, 0x100000014, 0x100000006)
	TEST_RR(55, divuw, 0, 0x80000000, 0xffffffff)

	TEST_RR(60, remw, -2, -20, 6)
	TEST_RR(61, remw, 2, 20, -6)
	TEST_RR(62, remw, 5, 5, 0)
	TEST_RR(63, remw, 0xffffffff80000005, 0x0000000080000005, 0)
	TEST_RR(64, remw, 0, 0x80000000, -1)
	TEST_RR(65, remw, 2, 0x123456780000000b, 3)

	TEST_RR(70, remuw, 2, 0xffffffec, 6)
	TEST_RR(71, remuw, 5, 5, 0)
	TEST_RR(72, remuw, 0xffffffff80000005, 0x80000005, 0)
	TEST_RR(73, remuw, 0xf, 0xffffffff, 0x10)
	TEST_RR(74, remuw, 0xffffffff80000000, 0x80000000, 0xffffffff)
	TEST_RR(75, remuw, 0, 0x1234567800000000, 0x0000000100000001)
TEST_END
