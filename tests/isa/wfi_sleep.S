/*
 * WFI parks the hart until an interrupt is pending (privileged spec 1.12,
 * 3.3.3): with Sstc enabled and stimecmp 0.5 s in the future, STIE set in
 * mie and global interrupts off, WFI must return once the timer fires
 * (mip.STIP), not before, and no trap is taken. tests/cli/wfi.sh checks
 * that the host thread slept rather than spun.
 */
#include "test.h"

TEST_BEGIN
	STIMER_WFI_SETUP
	li	t0, 5000000		/* 0.5 s at 10 MHz */
	add	s1, s0, t0
	csrw	stimecmp, s1
	CHECK_NUM(1)
	csrr	t1, mip
	andi	t1, t1, 0x20
	bnez	t1, test_fail		/* not pending yet */
1:	wfi
	csrr	t1, mip
	andi	t1, t1, 0x20
	beqz	t1, 1b			/* spurious wake-ups are allowed */
	rdtime	t2
	CHECK_NUM(2)
	bltu	t2, s1, test_fail	/* woke before the deadline */
	li	t0, -1
	csrw	stimecmp, t0
	csrr	t1, mip
	andi	t1, t1, 0x20
	CHECK_NUM(3)
	bnez	t1, test_fail		/* STIP follows stimecmp */
TEST_END
