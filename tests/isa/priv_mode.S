/*
 * Privilege transitions and their traps (privileged spec 1.12, 3.1.6,
 * 3.1.6.3-3.1.6.5, 3.1.11-3.1.12, 3.3.2, 4.1.5): MRET to S and U by MPP,
 * MPRV with MPP for M-mode loads and stores, MRET to M keeping MPRV, TSR,
 * TW, TVM, SFENCE.VMA/SRET/MRET from too low a mode, and the
 * mcounteren/scounteren gates on cycle and instret.
 */
#include "priv.h"

#define ALIAS_VA 0x3fc0000000	/* gigapage alias of PA 0x80000000 */

TEST_BEGIN
	PRIV_INIT
	li a7, 0

	/* MRET to S (MPP = 1): S CSRs work, M CSRs trap */
	ENTER_S
	NO_TRAP(1, csrr a0, sstatus)
	TRAP_INSN(2, CAUSE_ILLEGAL, csrr a0, mstatus)
	la t0, priv_mrec
	ld a0, 24(t0)
	CHECK_MASK(3, a0, MSTATUS_MPP, PRV_S << 11)
	/* MRET from S is illegal; mtval = 0x30200073 */
	TRAP_INSN(4, CAUSE_ILLEGAL, mret)
	CHECK(5, t4, 0x30200073)
	/* TSR = 0: SRET in S works (back to S, SPP = S) */
	li t0, MSTATUS_SPP
	csrs sstatus, t0
	la t0, 1f
	csrw sepc, t0
	sret
	j priv_fail
1:	NO_TRAP(6, csrr a0, sstatus)
	ENTER_M

	/* MRET to U (MPP = 0): S CSRs trap */
	ENTER_U
	TRAP_INSN(7, CAUSE_ILLEGAL, csrr a0, sstatus)
	la t0, priv_mrec
	ld a0, 24(t0)
	CHECK_MASK(8, a0, MSTATUS_MPP, PRV_U << 11)
	TRAP_INSN(9, CAUSE_ILLEGAL, mret)
	CHECK(10, t4, 0x30200073)
	TRAP_INSN(11, CAUSE_ILLEGAL, sret)
	CHECK(12, t4, 0x10200073)
	/* SFENCE.VMA from U is illegal */
	TRAP_INSN(13, CAUSE_ILLEGAL, sfence.vma)
	CHECK(14, t4, 0x12000073)
	/* WFI in U with TW = 1 traps */
	ENTER_M
	li t0, MSTATUS_TW
	csrs mstatus, t0
	ENTER_U
	TRAP_INSN(15, CAUSE_ILLEGAL, wfi)
	CHECK(16, t4, 0x10500073)
	ENTER_M

	/* TW = 1: WFI in S traps */
	ENTER_S
	TRAP_INSN(17, CAUSE_ILLEGAL, wfi)
	CHECK(18, t4, 0x10500073)
	ENTER_M
	li t0, MSTATUS_TW
	csrc mstatus, t0

	/* TSR = 1: SRET in S traps */
	li t0, MSTATUS_TSR
	csrs mstatus, t0
	ENTER_S
	TRAP_INSN(19, CAUSE_ILLEGAL, sret)
	CHECK(20, t4, 0x10200073)
	ENTER_M
	li t0, MSTATUS_TSR
	csrc mstatus, t0

	/* TVM = 1: satp and SFENCE.VMA trap in S; TVM = 0: they do not */
	li t0, MSTATUS_TVM
	csrs mstatus, t0
	ENTER_S
	TRAP_INSN(21, CAUSE_ILLEGAL, csrr a0, satp)
	CHECK(22, t4, 0x18002573)
	TRAP_INSN(23, CAUSE_ILLEGAL, csrw satp, zero)
	TRAP_INSN(24, CAUSE_ILLEGAL, sfence.vma)
	CHECK(25, t4, 0x12000073)
	ENTER_M
	li t0, MSTATUS_TVM
	csrc mstatus, t0
	ENTER_S
	NO_TRAP(26, csrr a0, satp; sfence.vma)
	CHECK(27, a0, 0)
	ENTER_M
	/* TVM does not affect M-mode */
	li t0, MSTATUS_TVM
	csrs mstatus, t0
	NO_TRAP(28, csrr a0, satp; sfence.vma)
	li t0, MSTATUS_TVM
	csrc mstatus, t0

	/*
	 * MPRV: an Sv39 table maps ALIAS_VA (gigapage) to PA 0x80000000 and
	 * PA 0x80000000 to itself; M-mode fetches are never translated.
	 */
	li a0, 0x80000000
	PTE_SET(pt_root, 2, a0, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
	PTE_SET(pt_root, 255, a0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
	SATP_SET(SATP_SV39, pt_root)
	la s0, mprv_data
	li t0, 0x80000000 - ALIAS_VA
	sub s1, s0, t0		/* s1 = alias VA of mprv_data */
	/* MPRV = 0: M-mode uses s1 as a physical address: access fault */
	TRAP_INSN(29, CAUSE_LOAD_ACCESS, ld a0, 0(s1))
	CHECK_REG(30, t4, s1)
	/* MPRV = 1, MPP = S: loads and stores are translated */
	li t0, MSTATUS_MPP
	csrc mstatus, t0
	li t0, MSTATUS_MPRV | (PRV_S << 11)
	csrs mstatus, t0
	NO_TRAP(31, ld a0, 0(s1))
	CHECK(32, a0, 0x0123456789abcdef)
	li a1, 0x55aa
	NO_TRAP(33, sd a1, 8(s1))
	/* MPRV = 1, MPP = U: the page has no U bit: load page fault */
	li t0, MSTATUS_MPP
	csrc mstatus, t0
	TRAP_INSN(34, CAUSE_LOAD_PAGE, ld a0, 0(s1))
	CHECK_REG(35, t4, s1)
	TRAP_INSN(36, CAUSE_STORE_PAGE, sd a0, 0(s1))
	CHECK_REG(37, t4, s1)
	/* MPRV = 1, MPP = M: no translation */
	li t0, MSTATUS_MPP
	csrs mstatus, t0
	NO_TRAP(38, ld a0, 8(s0))
	CHECK(39, a0, 0x55aa)
	li t0, MSTATUS_MPRV
	csrc mstatus, t0
	/* MRET to a mode below M clears MPRV: see priv_mprv_clear.S */
	/* MRET to M keeps it */
	li t0, MSTATUS_MPRV
	csrs mstatus, t0
	li t0, MSTATUS_MPP
	csrs mstatus, t0
	la t0, 1f
	csrw mepc, t0
	mret
1:	csrr a0, mstatus
	CHECK_MASK(41, a0, MSTATUS_MPRV, MSTATUS_MPRV)
	li t0, MSTATUS_MPRV
	csrc mstatus, t0
	csrw satp, zero
	sfence.vma

	/*
	 * counters cycle and instret (time, which QEMU's spike board does
	 * not provide: priv_counter_time.S): M-mode always reads them
	 */
	csrw mcounteren, zero
	csrw scounteren, zero
	NO_TRAP(42, rdcycle a0; rdinstret a0)
	/* mcounteren = 0: S and U trap */
	ENTER_S
	TRAP_INSN(43, CAUSE_ILLEGAL, rdcycle a0)
	CHECK(44, t4, 0xc0002573)
	TRAP_INSN(47, CAUSE_ILLEGAL, rdinstret a0)
	CHECK(48, t4, 0xc0202573)
	/* scounteren is an S CSR, mcounteren an M CSR */
	NO_TRAP(49, csrw scounteren, zero)
	TRAP_INSN(50, CAUSE_ILLEGAL, csrw mcounteren, zero)
	ENTER_M
	/* mcounteren.CY only: S reads cycle, not instret */
	csrwi mcounteren, 1
	ENTER_S
	NO_TRAP(51, rdcycle a0)
	TRAP_INSN(52, CAUSE_ILLEGAL, rdinstret a0)
	ENTER_M
	csrwi mcounteren, 5
	ENTER_S
	NO_TRAP(53, rdcycle a0; rdinstret a0)
	/* scounteren = 0: U traps even with mcounteren set */
	ENTER_U_FROM_S
	TRAP_INSN(54, CAUSE_ILLEGAL, rdcycle a0)
	TRAP_INSN(56, CAUSE_ILLEGAL, rdinstret a0)
	TRAP_INSN(57, CAUSE_ILLEGAL, csrw scounteren, zero)
	ENTER_M
	/* both set: U reads; scounteren.IR only: just instret */
	csrwi scounteren, 5
	ENTER_U
	NO_TRAP(58, rdcycle a0; rdinstret a0)
	ENTER_M
	csrwi scounteren, 4
	ENTER_U
	NO_TRAP(59, rdinstret a0)
	TRAP_INSN(60, CAUSE_ILLEGAL, rdcycle a0)
	ENTER_M
	/* scounteren set but mcounteren clear: U traps */
	csrwi mcounteren, 0
	csrwi scounteren, 5
	ENTER_U
	TRAP_INSN(62, CAUSE_ILLEGAL, rdcycle a0)
	TRAP_INSN(63, CAUSE_ILLEGAL, rdinstret a0)
	ENTER_M
	csrwi scounteren, 0
TEST_END

	.data
	.align 12
pt_root:
	.zero 4096
	.align 3
mprv_data:
	.dword 0x0123456789abcdef
	.dword 0
