/*
 * Vectored trap mode (privileged spec 1.12, 3.1.7 and 4.1.2): with
 * xtvec.MODE = 1, interrupts go to BASE + 4 * cause and exceptions to
 * BASE; the same for mtvec and stvec.
 */
#include "priv.h"

/* entry k of a vector table jumps to a stub that sets s10 = tag */
#define VEC_ENTRY(stub) .option push; .option norvc; j stub; .option pop

TEST_BEGIN
	PRIV_INIT
	li a7, 0
	csrw 0x30a, zero		/* menvcfg: STCE = 0 */
	la t0, mvec
	ori t0, t0, 1
	csrw mtvec, t0
	la t0, svec
	ori t0, t0, 1
	csrw stvec, t0

	/* exception: BASE */
	li s10, -1
	TRAP_INSN(1, CAUSE_ILLEGAL, .2byte 0)
	CHECK(2, s10, 0)

	/* interrupts: BASE + 4 * cause */
	li s10, -1
	csrsi mip, 1 << IRQ_SSI
	csrwi mie, 1 << IRQ_SSI
	INTR_AFTER(3, csrsi mstatus, MSTATUS_MIE)
	CHECK(4, t3, INTR | IRQ_SSI)
	CHECK(5, s10, IRQ_SSI)
	csrci mip, 1 << IRQ_SSI

	li s10, -1
	li t0, 1 << IRQ_STI
	csrs mip, t0
	csrw mie, t0
	INTR_AFTER(6, csrsi mstatus, MSTATUS_MIE)
	CHECK(7, t3, INTR | IRQ_STI)
	CHECK(8, s10, IRQ_STI)
	li t0, 1 << IRQ_STI
	csrc mip, t0

	li s10, -1
	li t0, 1 << IRQ_SEI
	csrs mip, t0
	csrw mie, t0
	INTR_AFTER(9, csrsi mstatus, MSTATUS_MIE)
	CHECK(10, t3, INTR | IRQ_SEI)
	CHECK(11, s10, IRQ_SEI)
	li t0, 1 << IRQ_SEI
	csrc mip, t0

	li s10, -1
	li s1, CLINT_MSIP
	li t0, 1
	sw t0, 0(s1)
	csrwi mie, 1 << IRQ_MSI
	INTR_AFTER(12, csrsi mstatus, MSTATUS_MIE)
	CHECK(13, t3, INTR | IRQ_MSI)
	CHECK(14, s10, IRQ_MSI)
	sw zero, 0(s1)

	li s10, -1
	li s0, CLINT_MTIMECMP
	sd zero, 0(s0)
	li t0, 1 << IRQ_MTI
	csrw mie, t0
	INTR_AFTER(15, csrsi mstatus, MSTATUS_MIE)
	CHECK(16, t3, INTR | IRQ_MTI)
	CHECK(17, s10, IRQ_MTI)
	li t0, -1
	sd t0, 0(s0)

	/* stvec: delegated interrupt and exception */
	li t0, (1 << IRQ_SSI) | (1 << IRQ_STI) | (1 << IRQ_SEI)
	csrw mideleg, t0
	li t0, 1 << CAUSE_ILLEGAL
	csrw medeleg, t0
	li t0, 1 << IRQ_STI
	csrs mip, t0
	csrw mie, t0
	csrci sstatus, MSTATUS_SIE
	ENTER_S
	li s10, -1
	INTR_AFTER(18, csrsi sstatus, MSTATUS_SIE)
	CHECK(19, t3, INTR | IRQ_STI)
	CHECK(20, s10, 100 + IRQ_STI)
	li s10, -1
	TRAP_INSN(21, CAUSE_ILLEGAL, .2byte 0)
	CHECK(22, s10, 100)
	ENTER_M
	li t0, 1 << IRQ_STI
	csrc mip, t0
	csrw mideleg, zero
	csrw medeleg, zero
	csrw mie, zero

	/* MODE = 0 (direct): an interrupt goes to BASE */
	la t0, mvec
	csrw mtvec, t0
	li s10, -1
	csrsi mip, 1 << IRQ_SSI
	csrwi mie, 1 << IRQ_SSI
	INTR_AFTER(23, csrsi mstatus, MSTATUS_MIE)
	CHECK(24, s10, 0)
	csrci mip, 1 << IRQ_SSI
	la t0, priv_mtrap
	csrw mtvec, t0
	la t0, priv_strap
	csrw stvec, t0
TEST_END

	.text
	.align 8
mvec:
	VEC_ENTRY(mvec_0)
	VEC_ENTRY(mvec_1)
	VEC_ENTRY(mvec_2)
	VEC_ENTRY(mvec_3)
	VEC_ENTRY(mvec_4)
	VEC_ENTRY(mvec_5)
	VEC_ENTRY(mvec_6)
	VEC_ENTRY(mvec_7)
	VEC_ENTRY(mvec_8)
	VEC_ENTRY(mvec_9)
	VEC_ENTRY(mvec_10)
	VEC_ENTRY(mvec_11)

	.align 8
svec:
	VEC_ENTRY(svec_0)
	VEC_ENTRY(svec_1)
	VEC_ENTRY(svec_2)
	VEC_ENTRY(svec_3)
	VEC_ENTRY(svec_4)
	VEC_ENTRY(svec_5)
	VEC_ENTRY(svec_6)
	VEC_ENTRY(svec_7)
	VEC_ENTRY(svec_8)
	VEC_ENTRY(svec_9)

#define STUB(name, tag, handler) name: li s10, tag; j handler
	STUB(mvec_0, 0, priv_mtrap)
	STUB(mvec_1, 1, priv_mtrap)
	STUB(mvec_2, 2, priv_mtrap)
	STUB(mvec_3, 3, priv_mtrap)
	STUB(mvec_4, 4, priv_mtrap)
	STUB(mvec_5, 5, priv_mtrap)
	STUB(mvec_6, 6, priv_mtrap)
	STUB(mvec_7, 7, priv_mtrap)
	STUB(mvec_8, 8, priv_mtrap)
	STUB(mvec_9, 9, priv_mtrap)
	STUB(mvec_10, 10, priv_mtrap)
	STUB(mvec_11, 11, priv_mtrap)
	STUB(svec_0, 100, priv_strap)
	STUB(svec_1, 101, priv_strap)
	STUB(svec_2, 102, priv_strap)
	STUB(svec_3, 103, priv_strap)
	STUB(svec_4, 104, priv_strap)
	STUB(svec_5, 105, priv_strap)
	STUB(svec_6, 106, priv_strap)
	STUB(svec_7, 107, priv_strap)
	STUB(svec_8, 108, priv_strap)
	STUB(svec_9, 109, priv_strap)
