/*
 * MPRV is cleared by an xRET to a mode below M (privileged spec 1.12,
 * 3.1.6.3: "An MRET or SRET instruction that changes the privilege mode
 * to a mode less privileged than M also sets MPRV=0"); an MRET that
 * stays in M keeps it.
 *
 * QEMU 7.2 deviates, so this file fails there: its MRET and SRET leave
 * MPRV set.
 */
#include "priv.h"

TEST_BEGIN
	PRIV_INIT
	li a7, 0

	/* MRET to S */
	li t0, MSTATUS_MPRV
	csrs mstatus, t0
	ENTER_S
	ENTER_M
	csrr a0, mstatus
	CHECK_MASK(1, a0, MSTATUS_MPRV, 0)

	/* MRET to U */
	li t0, MSTATUS_MPRV
	csrs mstatus, t0
	ENTER_U
	ENTER_M
	csrr a0, mstatus
	CHECK_MASK(2, a0, MSTATUS_MPRV, 0)

	/* MRET to M keeps it */
	li t0, MSTATUS_MPRV
	csrs mstatus, t0
	li t0, MSTATUS_MPP
	csrs mstatus, t0
	la t0, 1f
	csrw mepc, t0
	mret
1:	csrr a0, mstatus
	CHECK_MASK(3, a0, MSTATUS_MPRV, MSTATUS_MPRV)

	/* SRET executed in M to U (SPP = U) clears it */
	li t0, MSTATUS_SPP
	csrc mstatus, t0
	la t0, 1f
	csrw sepc, t0
	sret
1:	ENTER_M
	csrr a0, mstatus
	CHECK_MASK(4, a0, MSTATUS_MPRV, 0)
TEST_END
