/*
 * Interrupts (privileged spec 1.12, 3.1.6.1, 3.1.9, 3.3.3, 4.1.3): when
 * an interrupt is taken in M and S, mideleg routing (never to a mode
 * below the current one), and WFI resuming on a locally enabled pending
 * interrupt even with the global enable off (the priority order is in
 * priv_intr_prio.S). Sources: mip.SSIP/STIP/SEIP written from
 * M (menvcfg.STCE = 0), the CLINT's msip and mtimecmp. MEI needs an
 * interrupt controller and is not raised here.
 */
#include "priv.h"

#define S_INTS ((1 << IRQ_SSI) | (1 << IRQ_STI) | (1 << IRQ_SEI))

TEST_BEGIN
	PRIV_INIT
	li a7, 0
	csrw 0x30a, zero		/* menvcfg: STCE = 0 */
	li s0, CLINT_MTIMECMP
	li t0, -1
	sd t0, 0(s0)
	li s1, CLINT_MSIP
	sw zero, 0(s1)

	/* M-level bits cannot be delegated */
	li t0, -1
	csrw mideleg, t0
	csrr a0, mideleg
	CHECK_MASK(1, a0, (1 << IRQ_MSI) | (1 << IRQ_MTI) | (1 << IRQ_MEI) | \
		S_INTS, S_INTS)
	csrw mideleg, zero

	/* SSI not delegated: pending but not taken while MIE = 0 */
	csrwi mie, 1 << IRQ_SSI
	csrsi mip, 1 << IRQ_SSI
	NO_TRAP(2, nop; nop; nop; nop)
	/* taken in M once MIE = 1 */
	INTR_AFTER(3, csrsi mstatus, MSTATUS_MIE)
	CHECK_IN_WINDOW(4)
	CHECK(5, t3, INTR | IRQ_SSI)
	CHECK(6, t4, 0)
	la t0, priv_mrec
	ld a0, 24(t0)
	CHECK_MASK(7, a0, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE, \
		MSTATUS_MPP | MSTATUS_MPIE)
	csrr a0, mcause
	CHECK(8, a0, INTR | IRQ_SSI)

	/* not delegated, pending in S with MIE = 0: taken into M */
	csrwi mie, 1 << IRQ_SSI
	CHECK_NUM(9)
	la t5, 8f
	li t3, -1
	ENTER_MODE_AT(PRV_S, 7f)
	INTR_WINDOW
	CHECK_IN_WINDOW(10)
	CHECK(11, t3, INTR | IRQ_SSI)
	la t0, priv_mrec
	ld a0, 24(t0)
	CHECK_MASK(12, a0, MSTATUS_MPP, PRV_S << 11)
	ENTER_M

	/* delegated: never taken in M, even with MIE = 1 */
	li t0, S_INTS
	csrw mideleg, t0
	csrwi mie, 1 << IRQ_SSI
	csrsi mstatus, MSTATUS_MIE
	NO_TRAP(13, nop; nop; nop; nop; nop; nop; nop; nop)
	csrci mstatus, MSTATUS_MIE
	csrr a0, mip
	CHECK_MASK(14, a0, 1 << IRQ_SSI, 1 << IRQ_SSI)

	/* delegated, in S: waits for sstatus.SIE, then taken in S */
	csrci sstatus, MSTATUS_SIE
	ENTER_S
	NO_TRAP(15, nop; nop; nop; nop)
	INTR_AFTER(16, csrsi sstatus, MSTATUS_SIE)
	CHECK_IN_WINDOW(17)
	CHECK(18, t3, INTR | IRQ_SSI)
	csrr a0, scause
	CHECK(19, a0, INTR | IRQ_SSI)
	la t0, priv_srec
	ld a0, 24(t0)
	CHECK_MASK(20, a0, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, \
		MSTATUS_SPP | MSTATUS_SPIE)
	/* the S handler cleared sie.SSIE; SSIP is still pending */
	csrr a0, sip
	CHECK(21, a0, 1 << IRQ_SSI)
	csrr a0, sie
	CHECK(22, a0, 0)

	/* delegated, in U: taken whatever sstatus.SIE says */
	csrci sstatus, MSTATUS_SIE
	csrsi sie, 1 << IRQ_SSI
	ENTER_M
	CHECK_NUM(23)
	la t5, 8f
	li t3, -1
	ENTER_MODE_AT(PRV_U, 7f)
	INTR_WINDOW
	CHECK_IN_WINDOW(24)
	CHECK(25, t3, INTR | IRQ_SSI)
	la t0, priv_srec
	ld a0, 24(t0)
	CHECK_MASK(26, a0, MSTATUS_SPP, 0)
	/* still in U */
	TRAP_INSN(27, CAUSE_ILLEGAL, csrr a0, sstatus)
	ENTER_M
	csrci mip, 1 << IRQ_SSI

	/* M-level interrupt (CLINT msip) in S with MIE = 0: taken in M */
	csrwi mie, 1 << IRQ_MSI
	li t0, 1
	sw t0, 0(s1)
	csrr a0, mip
	CHECK_MASK(28, a0, 1 << IRQ_MSI, 1 << IRQ_MSI)
	CHECK_NUM(29)
	la t5, 8f
	li t3, -1
	ENTER_MODE_AT(PRV_S, 7f)
	INTR_WINDOW
	CHECK_IN_WINDOW(30)
	CHECK(31, t3, INTR | IRQ_MSI)
	ENTER_M
	sw zero, 0(s1)
	csrr a0, mip
	CHECK_MASK(32, a0, 1 << IRQ_MSI, 0)

	/* priority order: priv_intr_prio.S */
	li t0, 1
	sw t0, 0(s1)
	sd zero, 0(s0)
	csrw mideleg, zero

	/* WFI returns on a locally enabled pending interrupt, MIE = 0 */
	csrci mstatus, MSTATUS_MIE
	csrwi mie, 1 << IRQ_MSI
	NO_TRAP(51, wfi)
	csrr a0, mip
	CHECK_MASK(52, a0, 1 << IRQ_MSI, 1 << IRQ_MSI)
	li t0, 1 << IRQ_MTI
	csrw mie, t0
	NO_TRAP(53, wfi)
	/* same in S for a delegated one with SIE = 0 (TW = 0) */
	li t0, S_INTS
	csrw mideleg, t0
	csrsi mip, 1 << IRQ_SSI
	csrwi mie, 1 << IRQ_SSI
	ENTER_S
	csrci sstatus, MSTATUS_SIE
	NO_TRAP(54, wfi)
	ENTER_M

	sw zero, 0(s1)
	li t0, -1
	sd t0, 0(s0)
	li t0, S_INTS
	csrc mip, t0
	csrw mie, zero
	csrw mideleg, zero
	csrr a0, mip
	CHECK_MASK(55, a0, S_INTS | (1 << IRQ_MSI) | (1 << IRQ_MTI), 0)
TEST_END
