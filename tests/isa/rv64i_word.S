/*
 * RV64I word operations ADDW, SUBW, ADDIW (unprivileged spec, RV64I
 * "Integer Register-Immediate / Register-Register Instructions"): they
 * use only the low 32 bits of the sources, discard overflow and
 * sign-extend bit 31 of the 32-bit result into bits 63:32.
 */
#include "test.h"

	.option norvc

TEST_BEGIN
	TEST_RR(1, addw, 0xffffffff80000000, 0x7fffffff, 1)
	TEST_RR(2, addw, 0, 0xffffffff, 1)
	TEST_RR(3, addw, 0x10, 0x123456780000000f, 1)
	TEST_RR(4, addw, 0, 0x80000000, 0x80000000)
	TEST_RR(5, addw, 0x7fffffff, 0xffffffff7fffffff, 0)
	TEST_RR(6, addw, 0xffffffff80000000, 0x80000000, 0xffffffff00000000)
	TEST_RR(7, addw, -2, -1, -1)

	TEST_RR(10, subw, 0x7fffffff, 0x80000000, 1)
	TEST_RR(11, subw, -1, 0, 1)
	TEST_RR(12, subw, 0xffffffff80000000, 0x7fffffff, -1)
	TEST_RR(13, subw, 0, 0x100000000, 0)
	TEST_RR(14, subw, 0x7fffffff, 0xffffffff80000000, 0x1234567800000001)

	TEST_RI(20, addiw, 0xffffffff80000000, 0x7fffffff, 1)
	TEST_RI(21, addiw, -1, 0xffffffff, 0)
	TEST_RI(22, addiw, 0x7fffffff, 0x80000000, -1)
	TEST_RI(23, addiw, 0xfffffffffffff800, 0x1234567800000000, -2048)
	TEST_RI(24, addiw, -1, 0xfffff800, 2047)
	TEST_RI(25, addiw, 0x7ff, 0xffffffff00000000, 2047)
	TEST_RI(26, addiw, 0x12345678, 0xabcdef0012345678, 0)
TEST_END
