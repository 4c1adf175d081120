/*
 * RV64M multiplication (unprivileged spec, "M" extension): MUL gives the
 * low 64 bits of the product; MULH, MULHSU, MULHU the high 64 bits of the
 * 128-bit product of signed x signed, signed x unsigned, unsigned x
 * unsigned operands; MULW multiplies the low 32 bits and sign-extends the
 * low 32 bits of the product.
 */
#include "test.h"

	.option norvc

#define MIN64 0x8000000000000000
#define MAX64 0x7fffffffffffffff

TEST_BEGIN
	TEST_RR(1, mul, 0, 0, 0)
	TEST_RR(2, mul, 21, 3, 7)
	TEST_RR(3, mul, 1, -1, -1)
	TEST_RR(4, mul, -21, -3, 7)
	TEST_RR(5, mul, 0xfffffffffffffffe, MAX64, 2)
	TEST_RR(6, mul, MIN64, MIN64, -1)
	TEST_RR(7, mul, 0, 0x100000000, 0x100000000)
	TEST_RR(8, mul, 0xfffffffe00000001, 0xffffffff, 0xffffffff)

	TEST_RR(10, mulh, 0, -1, -1)
	TEST_RR(11, mulh, 0x4000000000000000, MIN64, MIN64)
	TEST_RR(12, mulh, 0, MIN64, -1)
	TEST_RR(13, mulh, 0x3fffffffffffffff, MAX64, MAX64)
	TEST_RR(14, mulh, -1, -1, 1)
	TEST_RR(15, mulh, 1, 0x100000000, 0x100000000)
	TEST_RR(16, mulh, -1, MIN64, 1)
	TEST_RR(17, mulh, 0xc000000000000000, MIN64, MAX64)

	TEST_RR(20, mulhu, 0xfffffffffffffffe, -1, -1)
	TEST_RR(21, mulhu, 1, MIN64, 2)
	TEST_RR(22, mulhu, 0, -1, 1)
	TEST_RR(23, mulhu, 1, 0x100000000, 0x100000000)
	TEST_RR(24, mulhu, 0x4000000000000000, MIN64, MIN64)
	TEST_RR(25, mulhu, 0x7fffffffffffffff, -1, MIN64)

	TEST_RR(30, mulhsu, -1, -1, -1)
	TEST_RR(31, mulhsu, 0, 1, -1)
	TEST_RR(32, mulhsu, -1, -1, 1)
	TEST_RR(33, mulhsu, MIN64, MIN64, -1)
	TEST_RR(34, mulhsu, 1, 2, MIN64)
	TEST_RR(35, mulhsu, -1, -2, MIN64)
	TEST_RR(36, mulhsu, 0, 0, -1)
	TEST_RR(37, mulhsu, 0x7ffffffffffffffe, MAX64, -1)

	TEST_RR(40, mulw, -2, 0x7fffffff, 2)
	TEST_RR(41, mulw, 0, 0x10000, 0x10000)
	TEST_RR(42, mulw, 15, 0xffffffff00000003, 0x0000000100000005)
	TEST_RR(43, mulw, 1, -1, -1)
	TEST_RR(44, mulw, 0xffffffff80000000, 0x8000, 0x10000)
	TEST_RR(45, mulw, 0x7fffffff, 0x7fffffff, 1)
	TEST_RR(46, mulw, 0xffffffff80000000, 0x80000000, -1)
TEST_END
