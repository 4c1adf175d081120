/*
 * Sstc (stimecmp, RISC-V Sstc extension 1.0 with privileged spec 1.12):
 * with menvcfg.STCE = 1, mip.STIP is (time >= stimecmp) and no longer
 * writable; S-mode reaches stimecmp only when STCE = 1 and
 * mcounteren.TM = 1; a delegated STI is taken in S when enabled; writing
 * stimecmp = -1 clears it.
 *
 * QEMU's spike board has no time CSR, so Sstc does not work there and
 * this file fails there; it passes on QEMU's virt board, whose ACLINT
 * timer backs the time CSR, as gasang's board does.
 */
#include "priv.h"

#define CSR_MENVCFG	0x30a
#define CSR_STIMECMP	0x14d
#define STCE		(1 << 63)

TEST_BEGIN
	PRIV_INIT
	li a7, 0
	li t0, 1 << IRQ_STI
	csrc mip, t0

	/* STCE = 0: S-mode cannot reach stimecmp, even with TM */
	csrw CSR_MENVCFG, zero
	csrwi mcounteren, 2
	ENTER_S
	TRAP_INSN(1, CAUSE_ILLEGAL, csrr a0, CSR_STIMECMP)
	ENTER_M

	/* STCE = 1 */
	li t0, STCE
	csrs CSR_MENVCFG, t0
	csrr a0, CSR_MENVCFG
	CHECK_MASK(2, a0, STCE, STCE)
	li t0, -1
	csrw CSR_STIMECMP, t0
	csrr a0, mip
	CHECK_MASK(3, a0, 1 << IRQ_STI, 0)
	/* STIP is read-only now */
	li t0, 1 << IRQ_STI
	csrs mip, t0
	csrr a0, mip
	CHECK_MASK(4, a0, 1 << IRQ_STI, 0)
	/* stimecmp in the past: STIP pending */
	csrw CSR_STIMECMP, zero
	csrr a0, CSR_STIMECMP
	CHECK(5, a0, 0)
	NO_TRAP(6, nop; nop; nop; nop)
	csrr a0, mip
	CHECK_MASK(7, a0, 1 << IRQ_STI, 1 << IRQ_STI)
	/* and back in the far future: cleared */
	li t0, -1
	csrw CSR_STIMECMP, t0
	csrr a0, mip
	CHECK_MASK(8, a0, 1 << IRQ_STI, 0)

	/* mcounteren.TM = 0: S-mode cannot reach stimecmp */
	csrwi mcounteren, 0
	ENTER_S
	TRAP_INSN(9, CAUSE_ILLEGAL, csrr a0, CSR_STIMECMP)
	ENTER_M
	csrwi mcounteren, 2

	/* delegated STI, enabled in S: taken once stimecmp <= time */
	li t0, 1 << IRQ_STI
	csrw mideleg, t0
	csrw mie, t0
	csrci sstatus, MSTATUS_SIE
	ENTER_S
	NO_TRAP(10, csrr a0, CSR_STIMECMP)
	CHECK(11, a0, -1)
	csrsi sstatus, MSTATUS_SIE
	rdtime a0
	INTR_AFTER(12, csrw CSR_STIMECMP, a0)
	CHECK(13, t3, INTR | IRQ_STI)
	csrr a0, sip
	CHECK(14, a0, 1 << IRQ_STI)
	li t0, -1
	csrw CSR_STIMECMP, t0
	csrr a0, sip
	CHECK(15, a0, 0)

	/* a time a little ahead: pending after a while (bounded wait) */
	rdtime a0
	addi a0, a0, 100
	csrw CSR_STIMECMP, a0
	li s2, 10000000
1:	csrr a0, sip
	bnez a0, 2f
	addi s2, s2, -1
	bnez s2, 1b
	CHECK(16, s2, 1)
2:	CHECK(17, a0, 1 << IRQ_STI)
	li t0, -1
	csrw CSR_STIMECMP, t0
	ENTER_M

	/* STI also wakes a WFI; not delegated, MIE = 0 */
	csrw mideleg, zero
	li t0, 1 << IRQ_STI
	csrw mie, t0
	rdtime a0
	addi a0, a0, 50
	csrw CSR_STIMECMP, a0
	NO_TRAP(18, wfi)
	li t0, -1
	csrw CSR_STIMECMP, t0
	csrw mie, zero
	csrw CSR_MENVCFG, zero
	csrwi mcounteren, 0
TEST_END
