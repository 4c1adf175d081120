/*
 * Interrupt priority (privileged spec 1.12, 3.1.9): interrupts pending
 * together for M-mode are taken in the order MEI, MSI, MTI, SEI, SSI,
 * STI, and delegated ones for S-mode in the order SEI, SSI, STI (4.1.3).
 * MEI needs an interrupt controller and is not raised here.
 *
 * QEMU 7.2 deviates, so this file fails there: without the AIA
 * extensions it takes the lowest-numbered pending interrupt first
 * (SSI, MSI, STI, MTI, SEI).
 */
#include "priv.h"

#define S_INTS ((1 << IRQ_SSI) | (1 << IRQ_STI) | (1 << IRQ_SEI))

TEST_BEGIN
	PRIV_INIT
	li a7, 0
	csrw 0x30a, zero		/* menvcfg: STCE = 0 */
	li s0, CLINT_MTIMECMP
	li s1, CLINT_MSIP

	/* all for M: MSI > MTI > SEI > SSI > STI */
	csrw mideleg, zero
	li t0, 1
	sw t0, 0(s1)
	sd zero, 0(s0)
	li t0, S_INTS
	csrs mip, t0
	li t0, S_INTS | (1 << IRQ_MSI) | (1 << IRQ_MTI)
	csrw mie, t0
	csrr a0, mip
	CHECK_MASK(33, a0, S_INTS | (1 << IRQ_MSI) | (1 << IRQ_MTI), \
		S_INTS | (1 << IRQ_MSI) | (1 << IRQ_MTI))
	INTR_AFTER(34, csrsi mstatus, MSTATUS_MIE)
	CHECK(35, t3, INTR | IRQ_MSI)
	INTR_AFTER(36, csrsi mstatus, MSTATUS_MIE)
	CHECK(37, t3, INTR | IRQ_MTI)
	INTR_AFTER(38, csrsi mstatus, MSTATUS_MIE)
	CHECK(39, t3, INTR | IRQ_SEI)
	INTR_AFTER(40, csrsi mstatus, MSTATUS_MIE)
	CHECK(41, t3, INTR | IRQ_SSI)
	INTR_AFTER(42, csrsi mstatus, MSTATUS_MIE)
	CHECK(43, t3, INTR | IRQ_STI)
	csrr a0, mie
	CHECK(44, a0, 0)
	csrci mstatus, MSTATUS_MIE

	/* delegated ones, in S: SEI > SSI > STI */
	li t0, S_INTS
	csrw mideleg, t0
	csrw mie, t0
	ENTER_S
	INTR_AFTER(45, csrsi sstatus, MSTATUS_SIE)
	CHECK(46, t3, INTR | IRQ_SEI)
	INTR_AFTER(47, csrsi sstatus, MSTATUS_SIE)
	CHECK(48, t3, INTR | IRQ_SSI)
	INTR_AFTER(49, csrsi sstatus, MSTATUS_SIE)
	CHECK(50, t3, INTR | IRQ_STI)
	ENTER_M


	sw zero, 0(s1)
	li t0, -1
	sd t0, 0(s0)
	li t0, S_INTS
	csrc mip, t0
	csrw mie, zero
	csrw mideleg, zero
TEST_END
