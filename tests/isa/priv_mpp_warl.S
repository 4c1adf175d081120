/*
 * mstatus.MPP is a WARL field that can hold only the implemented modes
 * M, S and U (privileged spec 1.12, 3.1.6.1): after writing the reserved
 * value 2 it reads back as 0, 1 or 3, never 2, whether written by
 * CSRRS or by a whole-register CSRRW.
 *
 * QEMU 7.2 deviates, so this file fails there: it stores 2 as written.
 */
#include "priv.h"

TEST_BEGIN
	PRIV_INIT
	li s0, MSTATUS_MPP
	csrc mstatus, s0
	li t0, 2 << 11
	csrs mstatus, t0
	csrr a0, mstatus
	and a0, a0, s0
	li t0, 2 << 11
	li TESTNUM, 1
	beq a0, t0, priv_fail
	/* a whole-register write with MPP = 2 */
	csrr a1, mstatus
	andn a1, a1, s0
	li t0, 2 << 11
	or a1, a1, t0
	csrw mstatus, a1
	csrr a0, mstatus
	and a0, a0, s0
	li t0, 2 << 11
	li TESTNUM, 2
	beq a0, t0, priv_fail
	csrc mstatus, s0
TEST_END
