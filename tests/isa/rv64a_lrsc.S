/*
 * RV64A load-reserved / store-conditional (unprivileged spec, "A"
 * extension, "Load-Reserved/Store-Conditional Instructions"). LR.W
 * sign-extends the loaded word. A successful SC writes rs2 to memory and
 * 0 to rd; a failed SC writes a nonzero rd and does not store. An SC
 * fails without a reservation, and every SC (successful or not)
 * invalidates the hart's reservation, so a second SC fails. An SC must
 * also fail when its address is outside the reservation set of the
 * latest LR (here 4 KiB away, beyond any plausible reservation set).
 */
#include "test.h"

	.option norvc

/* fail check n unless the doubleword at a3 equals val */
#define EXPECT_MEM(n, val)      \
	ld a5, 0(a3);           \
	EXPECT(n, a5, val)

TEST_BEGIN
	la a3, lrsc_buf

	/* SC.D with no reservation at all fails and does not store */
	CHECK_NUM(1)
	li a2, 0x1234
	sc.d a0, a2, (a3)
	beqz a0, test_fail
	EXPECT_MEM(2, 0x0123456789abcdef)

	/* LR.D / SC.D success */
	CHECK_NUM(3)
	lr.d a0, (a3)
	EXPECT(3, a0, 0x0123456789abcdef)
	CHECK_NUM(4)
	li a2, 0x8000000000000001
	sc.d a1, a2, (a3)
	EXPECT(4, a1, 0)
	EXPECT_MEM(5, 0x8000000000000001)

	/* the reservation is gone after the SC: a second SC fails */
	CHECK_NUM(6)
	li a2, 0x5555
	sc.d a1, a2, (a3)
	beqz a1, test_fail
	EXPECT_MEM(7, 0x8000000000000001)

	/* a failed SC also ends the reservation: LR, SC elsewhere, SC here */
	CHECK_NUM(8)
	lr.d a0, (a3)
	li t0, 4096
	add a4, a3, t0
	li a2, 0x6666
	sc.d a1, a2, (a4)
	beqz a1, test_fail
	ld a5, 0(a4)
	EXPECT(9, a5, 0x0f0f0f0f0f0f0f0f)
	CHECK_NUM(10)
	sc.d a1, a2, (a3)
	beqz a1, test_fail
	EXPECT_MEM(11, 0x8000000000000001)

	/* LR.W sign-extends; SC.W stores only the low word */
	CHECK_NUM(12)
	li t0, 0x7777777780000001
	sd t0, 0(a3)
	lr.w a0, (a3)
	EXPECT(12, a0, 0xffffffff80000001)
	CHECK_NUM(13)
	li a2, 0xabcdef0012345678
	sc.w a1, a2, (a3)
	EXPECT(13, a1, 0)
	EXPECT_MEM(14, 0x7777777712345678)

	/* SC.W after the successful SC.W fails */
	CHECK_NUM(15)
	li a2, 0x99
	sc.w a1, a2, (a3)
	beqz a1, test_fail
	EXPECT_MEM(16, 0x7777777712345678)

	/* LR.W / SC.W on the high word */
	CHECK_NUM(17)
	addi a4, a3, 4
	lr.w a0, (a4)
	EXPECT(17, a0, 0x77777777)
	CHECK_NUM(18)
	li a2, 0xfedcba98
	sc.w a1, a2, (a4)
	EXPECT(18, a1, 0)
	EXPECT_MEM(19, 0xfedcba9812345678)

	/* aq/rl forms */
	CHECK_NUM(20)
	lr.d.aq a0, (a3)
	li a2, 20
	sc.d.rl a1, a2, (a3)
	EXPECT(20, a1, 0)
	EXPECT_MEM(21, 20)
	CHECK_NUM(22)
	lr.w.aqrl a0, (a3)
	EXPECT(22, a0, 20)
	li a2, 22
	sc.w.aqrl a1, a2, (a3)
	EXPECT(23, a1, 0)
	EXPECT_MEM(24, 22)
	CHECK_NUM(25)
	lr.d.aqrl a0, (a3)
	li a2, 25
	sc.d.aq a1, a2, (a3)
	EXPECT(25, a1, 0)
	EXPECT_MEM(26, 25)

	/*
	 * The usual retry loop: 100 atomic increments. A spurious SC
	 * failure only costs a retry.
	 */
	CHECK_NUM(30)
	sd x0, 0(a3)
	li a4, 100
3:	lr.d a0, (a3)
	addi a0, a0, 1
	sc.d a1, a0, (a3)
	bnez a1, 3b
	addi a4, a4, -1
	bnez a4, 3b
	EXPECT_MEM(30, 100)
TEST_END

	.data
	.balign 4096
lrsc_buf:
	.dword 0x0123456789abcdef
	.skip 4096 - 8
	.dword 0x0f0f0f0f0f0f0f0f
