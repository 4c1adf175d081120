/*
 * RV64I stores (unprivileged spec, "Load and Store Instructions"): SB,
 * SH, SW, SD write the low 8/16/32/64 bits of rs2 little-endian at
 * rs1 + sign-extended offset and leave neighbouring bytes untouched.
 *
 * st_buf is three doublewords of 0x1111111111111111; a1 points at the
 * middle one so negative offsets reach the first.
 */
#include "test.h"

	.option norvc

/* doubleword at byte offset off from st_mid must equal expect */
#define CHECK_DW(n, off, expect) \
	CHECK_NUM(n);           \
	la a1, st_mid;          \
	ld a0, off(a1);         \
	EXPECT(n, a0, expect)

#define FILL 0x1111111111111111

TEST_BEGIN
	la a1, st_mid

	/* SB: only the low byte of rs2 */
	CHECK_NUM(1)
	li a2, 0x55555555555555aa
	sb a2, 0(a1)
	CHECK_DW(2, 0, 0x11111111111111aa)
	CHECK_DW(3, -8, FILL)
	CHECK_DW(4, 8, FILL)
	CHECK_NUM(5)
	li a2, 0xbb
	sb a2, -1(a1)
	CHECK_DW(6, -8, 0xbb11111111111111)
	CHECK_DW(7, 0, 0x11111111111111aa)

	/* SH */
	CHECK_NUM(10)
	li a2, 0xffffffffffffcafe
	sh a2, 2(a1)
	CHECK_DW(11, 0, 0x11111111cafe11aa)
	CHECK_NUM(12)
	li a2, 0xbeef
	sh a2, -2(a1)
	CHECK_DW(13, -8, 0xbeef111111111111)

	/* SW */
	CHECK_NUM(20)
	li a2, 0x12345678deadbeef
	sw a2, 4(a1)
	CHECK_DW(21, 0, 0xdeadbeefcafe11aa)
	CHECK_NUM(22)
	li a2, 0x87654321
	sw a2, -8(a1)
	CHECK_DW(23, -8, 0xbeef111187654321)
	CHECK_DW(24, 8, FILL)

	/* SD */
	CHECK_NUM(30)
	li a2, 0x0123456789abcdef
	sd a2, 8(a1)
	CHECK_DW(31, 8, 0x0123456789abcdef)
	CHECK_DW(32, 0, 0xdeadbeefcafe11aa)
	CHECK_NUM(33)
	li a2, 0x8000000000000001
	sd a2, -8(a1)
	CHECK_DW(34, -8, 0x8000000000000001)

	/* the extreme offsets +2047 and -2048 */
	CHECK_NUM(40)
	la a1, st_mid
	addi a1, a1, -2047
	li a2, 0x77
	sb a2, 2047(a1)
	CHECK_DW(41, 0, 0xdeadbeefcafe1177)
	CHECK_NUM(42)
	la a1, st_mid
	addi a1, a1, 2047
	addi a1, a1, 1
	li a2, -2
	sd a2, -2048(a1)
	CHECK_DW(43, 0, 0xfffffffffffffffe)

	/* a store's data and address register may be the same */
	CHECK_NUM(50)
	la a1, st_hi
	sd a1, 0(a1)
	ld a0, 0(a1)
	bne a0, a1, test_fail
TEST_END

	.data
	.balign 8
st_lo:
	.dword FILL
st_mid:
	.dword FILL
st_hi:
	.dword FILL
