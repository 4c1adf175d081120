/*
 * Zbs single-bit instructions (bit-manipulation spec, Zbs): BCLR, BSET,
 * BINV, BEXT take the bit index from rs2[5:0] (higher bits ignored); the
 * immediate forms take a 6-bit shamt. Bit 31 is an ordinary bit: no sign
 * extension happens.
 */
#include "test.h"

	.option norvc

#define MIN64 0x8000000000000000

TEST_BEGIN
	TEST_RR(1, bset, 1, 0, 0)
	TEST_RR(2, bset, MIN64, 0, 63)
	TEST_RR(3, bset, 1, 0, 64)
	TEST_RR(4, bset, 0x80000000, 0, 95)
	TEST_RR(5, bset, MIN64, 0, -1)
	TEST_RR(6, bset, 0x100000000, 0, 32)
	TEST_RR(7, bset, -1, -1, 17)

	TEST_RR(10, bclr, -2, -1, 0)
	TEST_RR(11, bclr, 0x7fffffffffffffff, -1, 63)
	TEST_RR(12, bclr, -2, -1, 64)
	TEST_RR(13, bclr, 0xfffffffeffffffff, -1, 32)
	TEST_RR(14, bclr, 0xffffffff7fffffff, -1, 31)
	TEST_RR(15, bclr, 0, 0, 5)

	TEST_RR(20, binv, 0x100000000, 0, 32)
	TEST_RR(21, binv, 0x7fffffffffffffff, -1, 63)
	TEST_RR(22, binv, 1, 0, 0x40)
	TEST_RR(23, binv, 0, 0x100000000, 32)
	TEST_RR(24, binv, 0x80000000, 0, 0xffffffffffffffdf)

	TEST_RR(30, bext, 1, MIN64, 63)
	TEST_RR(31, bext, 0, MIN64, 62)
	TEST_RR(32, bext, 1, 1, 64)
	TEST_RR(33, bext, 1, 0x100000000, 32)
	TEST_RR(34, bext, 1, 0x100000000, 96)
	TEST_RR(35, bext, 0, 0x100000000, 31)
	TEST_RR(36, bext, 1, -1, -1)

	TEST_RI(40, bseti, MIN64, 0, 63)
	TEST_RI(41, bseti, 0x80000000, 0, 31)
	TEST_RI(42, bseti, 1, 0, 0)
	TEST_RI(43, bclri, 0xffffffff7fffffff, -1, 31)
	TEST_RI(44, bclri, 0x7fffffffffffffff, -1, 63)
	TEST_RI(45, binvi, 0x80000000, 0, 31)
	TEST_RI(46, binvi, 0, MIN64, 63)
	TEST_RI(47, binvi, 0x100000001, 1, 32)
	TEST_RI(48, bexti, 1, 0x80000000, 31)
	TEST_RI(49, bexti, 0, 0x80000000, 32)
	TEST_RI(50, bexti, 1, MIN64, 63)
TEST_END
