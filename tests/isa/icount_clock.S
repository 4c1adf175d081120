/*
 * GASANG_ICOUNT (cpu/hart.h, hart_platform.icount): the hart's clock is
 * its instruction count, a nanosecond each (mtime's tick is 100 ns),
 * plus the time WFI skipped to the next timer. Checks that time follows
 * minstret, that a loop of a known length moves both alike, and that WFI
 * with stimecmp 100 s ahead returns at once with the clock at the
 * deadline (without icount it would sleep 100 s: the runner's timeout).
 * tests/run runs it with the variable set ("env:" below).
 *
 * env: GASANG_ICOUNT=1
 */
#include "test.h"

TEST_BEGIN
	/* time is minstret / 100, give or take a tick */
	csrr	s0, minstret
	rdtime	s1
	li	t0, 100
	divu	t1, s0, t0
	sub	t2, s1, t1
	addi	t2, t2, 1
	CHECK_NUM(1)
	li	t0, 2
	bgeu	t2, t0, test_fail	/* s1 - t1 not in {-1, 0} */

	/* 20000 instructions: 200 ticks */
	rdtime	s1
	li	t0, 10000
1:	addi	t0, t0, -1
	bnez	t0, 1b
	rdtime	s2
	sub	t1, s2, s1
	CHECK_NUM(2)
	li	t0, 199
	bltu	t1, t0, test_fail
	li	t0, 202
	bgeu	t1, t0, test_fail

	/* WFI skips to the timer: 1e9 ticks are 100 s */
	STIMER_WFI_SETUP
	li	t0, 1000000000
	add	s1, s0, t0
	csrw	stimecmp, s1
2:	wfi
	csrr	t1, mip
	andi	t1, t1, 0x20
	beqz	t1, 2b
	rdtime	t2
	CHECK_NUM(3)
	bltu	t2, s1, test_fail	/* woke before the deadline */
	sub	t2, t2, s1
	li	t0, 100
	bgeu	t2, t0, test_fail	/* or well after it */
	li	t0, -1
	csrw	stimecmp, t0
TEST_END
