/*
 * Zba address generation (bit-manipulation spec, Zba): ADD.UW adds the
 * zero-extended low word of rs1 to rs2; SHnADD computes (rs1 << n) + rs2;
 * SHnADD.UW zero-extends the low word of rs1 first; SLLI.UW shifts the
 * zero-extended low word of rs1 by a 6-bit shamt. All results wrap at 64
 * bits.
 */
#include "test.h"

	.option norvc

TEST_BEGIN
	TEST_RR(1, add.uw, 0x80000001, 0xffffffff80000000, 1)
	TEST_RR(2, add.uw, 0xffffffff, -1, 0)
	TEST_RR(3, add.uw, 0x100000000, 0xffffffff, 1)
	TEST_RR(4, add.uw, 0, 0xffffffff, 0xffffffff00000001)
	TEST_RR(5, add.uw, 5, 0x1234567800000000, 5)

	TEST_RR(10, sh1add, 10, 3, 4)
	TEST_RR(11, sh1add, 7, 0x8000000000000001, 5)
	TEST_RR(12, sh1add, -2, -1, 0)
	TEST_RR(13, sh2add, 16, 3, 4)
	TEST_RR(14, sh2add, 0x0000000000000004, 0x4000000000000001, 0)
	TEST_RR(15, sh2add, -4, -1, 0)
	TEST_RR(16, sh3add, 28, 3, 4)
	TEST_RR(17, sh3add, -8, -1, 0)
	TEST_RR(18, sh3add, 0, 0x2000000000000000, 0)

	TEST_RR(20, sh1add.uw, 0x1fffffffe, -1, 0)
	TEST_RR(21, sh1add.uw, 0x100000001, 0xffffffff80000000, 1)
	TEST_RR(22, sh2add.uw, 0x3fffffffc, -1, 0)
	TEST_RR(23, sh2add.uw, 0x400000000, 0x1234567880000000, 0x200000000)
	TEST_RR(24, sh3add.uw, 0x7fffffff8, -1, 0)
	TEST_RR(25, sh3add.uw, 9, 0x1234567800000001, 1)
	TEST_RR(26, sh3add.uw, 0, 0xffffffff00000001, -8)

	TEST_RI(30, slli.uw, 0xffffffff, -1, 0)
	TEST_RI(31, slli.uw, 0xffffffff00000000, -1, 32)
	TEST_RI(32, slli.uw, 0x4000000000000000, 0xabcdef0080000000, 31)
	TEST_RI(33, slli.uw, 0x8000000000000000, -1, 63)
	TEST_RI(34, slli.uw, 0, 0xffffffff00000000, 4)
	TEST_RI(35, slli.uw, 0x1fffffffe, 0x12345678ffffffff, 1)
TEST_END
