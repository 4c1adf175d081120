/*
 * Helpers for the privileged-architecture ISA tests (RISC-V privileged
 * spec 1.12): CSR field constants, mode switches and two trap handlers,
 * one for M-mode (mtvec) and one for S-mode (stvec).
 *
 * Register convention while a test runs:
 *	t5  resume address for the next expected trap, 0 when none is
 *	    expected; a handler consumes it (sets it back to 0)
 *	t3  cause of the last trap taken (-1 before one is expected)
 *	t4  trap value (mtval/stval) of the last trap
 *	s11 exception pc (mepc/sepc) of the last trap
 *	t6  scratch of the check macros
 *	a7  request code for an ECALL to the M-mode handler (see PRIV_REQ_*)
 *	gp  number of the running check
 * Tests use the other registers freely.
 *
 * A handler returns to the trapping privilege mode (xPP is left as the
 * hardware set it) at the resume address. For an interrupt it also clears
 * that interrupt's enable bit (mie or sie) and xPIE, so the same source
 * is not taken again on return. A trap with no resume address ends the
 * test as a failure of the running check (gp).
 *
 * Each handler also stores cause, epc, tval and mstatus/sstatus as seen
 * on entry to priv_mrec / priv_srec.
 */
#ifndef TESTS_ISA_PRIV_H
#define TESTS_ISA_PRIV_H

#include "test.h"

#define MSTATUS_SIE	(1 << 1)
#define MSTATUS_MIE	(1 << 3)
#define MSTATUS_SPIE	(1 << 5)
#define MSTATUS_MPIE	(1 << 7)
#define MSTATUS_SPP	(1 << 8)
#define MSTATUS_MPP	(3 << 11)
#define MSTATUS_FS	(3 << 13)
#define MSTATUS_MPRV	(1 << 17)
#define MSTATUS_SUM	(1 << 18)
#define MSTATUS_MXR	(1 << 19)
#define MSTATUS_TVM	(1 << 20)
#define MSTATUS_TW	(1 << 21)
#define MSTATUS_TSR	(1 << 22)

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

#define CAUSE_MISALIGNED_FETCH	0
#define CAUSE_FETCH_ACCESS	1
#define CAUSE_ILLEGAL		2
#define CAUSE_BREAKPOINT	3
#define CAUSE_MISALIGNED_LOAD	4
#define CAUSE_LOAD_ACCESS	5
#define CAUSE_MISALIGNED_STORE	6
#define CAUSE_STORE_ACCESS	7
#define CAUSE_ECALL_U		8
#define CAUSE_ECALL_S		9
#define CAUSE_ECALL_M		11
#define CAUSE_FETCH_PAGE	12
#define CAUSE_LOAD_PAGE		13
#define CAUSE_STORE_PAGE	15

#define INTR			(1 << 63)
#define IRQ_SSI			1
#define IRQ_MSI			3
#define IRQ_STI			5
#define IRQ_MTI			7
#define IRQ_SEI			9
#define IRQ_MEI			11

/* page-table entry bits */
#define PTE_V	(1 << 0)
#define PTE_R	(1 << 1)
#define PTE_W	(1 << 2)
#define PTE_X	(1 << 3)
#define PTE_U	(1 << 4)
#define PTE_G	(1 << 5)
#define PTE_A	(1 << 6)
#define PTE_D	(1 << 7)

#define SATP_SV39 (8 << 60)
#define SATP_SV48 (9 << 60)
#define SATP_SV57 (10 << 60)

/* pmpcfg fields */
#define PMP_R		0x01
#define PMP_W		0x02
#define PMP_X		0x04
#define PMP_OFF		0x00
#define PMP_TOR		0x08
#define PMP_NA4		0x10
#define PMP_NAPOT	0x18
#define PMP_L		0x80

/* CLINT (SiFive layout, same on QEMU spike and gasang's board) */
#define CLINT_MSIP	0x2000000
#define CLINT_MTIMECMP	0x2004000
#define CLINT_MTIME	0x200bff8

/* ECALL request codes in a7, served by the M-mode handler */
#define PRIV_REQ_FAIL	0x6661696c
#define PRIV_REQ_TO_M	0x6d6d6d6d

#ifdef __ASSEMBLER__

/*
 * Install both handlers, let S/U reach all of memory through PMP entry 0
 * (NAPOT, whole address space), no delegation, no interrupt enabled.
 */
#define PRIV_INIT                       \
	la t6, priv_mtrap;              \
	csrw mtvec, t6;                 \
	la t6, priv_strap;              \
	csrw stvec, t6;                 \
	li t6, -1;                      \
	csrw pmpaddr0, t6;              \
	li t6, PMP_NAPOT | PMP_R | PMP_W | PMP_X; \
	csrw pmpcfg0, t6;               \
	sfence.vma;                     \
	csrw medeleg, zero;             \
	csrw mideleg, zero;             \
	csrw mie, zero;                 \
	csrw satp, zero;                \
	li t5, 0;                       \
	li t3, -1

/* fail check n unless reg == val */
#define CHECK(n, reg, val)              \
	li t6, val;                     \
	beq reg, t6, 1f;                \
	li TESTNUM, n;                  \
	j priv_fail;                    \
1:

/* fail check n unless reg == reg2 */
#define CHECK_REG(n, reg, reg2)         \
	beq reg, reg2, 1f;              \
	li TESTNUM, n;                  \
	j priv_fail;                    \
1:

/* fail check n unless reg == address of label */
#define CHECK_ADDR(n, reg, label)       \
	la t6, label;                   \
	beq reg, t6, 1f;                \
	li TESTNUM, n;                  \
	j priv_fail;                    \
1:

/* fail check n unless (reg & mask) == val; clobbers t6 and a6 */
#define CHECK_MASK(n, reg, mask, val)   \
	li t6, mask;                    \
	and a6, reg, t6;                \
	li t6, val;                     \
	beq a6, t6, 1f;                 \
	li TESTNUM, n;                  \
	j priv_fail;                    \
1:

/* fail check n if the previous expected trap did not happen */
#define FAIL_IF_NO_TRAP(n)              \
	li t6, -1;                      \
	bne t3, t6, 1f;                 \
	li TESTNUM, n;                  \
	j priv_fail;                    \
1:

/* the next trap continues at label */
#define EXPECT_TRAP_AT(label)           \
	la t5, label;                   \
	li t3, -1

/*
 * Check n: the instruction(s) must trap with cause at their first
 * instruction; t4 then holds the trap value.
 */
#define TRAP_INSN(n, cause, ...)        \
	CHECK_NUM(n);                   \
	la t5, 8f;                      \
	li t3, -1;                      \
7:	__VA_ARGS__;                    \
8:	CHECK(n, t3, cause);            \
	CHECK_ADDR(n, s11, 7b)

/* check n: the instruction(s) must not trap */
#define NO_TRAP(n, ...)                 \
	CHECK_NUM(n);                   \
	li t5, 0;                       \
	__VA_ARGS__

/* from M: continue at the next instruction in the given mode */
#define ENTER_MODE(mode)                \
	li t6, MSTATUS_MPP;             \
	csrc mstatus, t6;               \
	li t6, (mode) << 11;            \
	csrs mstatus, t6;               \
	la t6, 1f;                      \
	csrw mepc, t6;                  \
	mret;                           \
1:

/* from M: continue at label in the given mode */
#define ENTER_MODE_AT(mode, label)      \
	li t6, MSTATUS_MPP;             \
	csrc mstatus, t6;               \
	li t6, (mode) << 11;            \
	csrs mstatus, t6;               \
	la t6, label;                   \
	csrw mepc, t6;                  \
	mret

/*
 * Check n: an interrupt is expected once the instruction(s) ran; it may
 * be taken anywhere in the nop run that follows (7b..8b), which then
 * continues at 8f.
 */
#define INTR_AFTER(n, ...)              \
	CHECK_NUM(n);                   \
	la t5, 8f;                      \
	li t3, -1;                      \
	__VA_ARGS__;                    \
	INTR_WINDOW

#define INTR_WINDOW                     \
7:	.rept 16;                       \
	nop;                            \
	.endr;                          \
	j priv_fail;                    \
8:

/* fail check n unless s11 lies in the window 7b..8b */
#define CHECK_IN_WINDOW(n)              \
	la t6, 7b;                      \
	bltu s11, t6, 1f;               \
	la t6, 8b;                      \
	bltu s11, t6, 2f;               \
1:	li TESTNUM, n;                  \
	j priv_fail;                    \
2:

#define ENTER_S ENTER_MODE(PRV_S)
#define ENTER_U ENTER_MODE(PRV_U)

/* from S: continue at the next instruction in U-mode */
#define ENTER_U_FROM_S                  \
	li t6, MSTATUS_SPP;             \
	csrc sstatus, t6;               \
	la t6, 1f;                      \
	csrw sepc, t6;                  \
	sret;                           \
1:

/* from any mode: continue at the next instruction in M-mode, MIE = 0 */
#define ENTER_M                         \
	la t5, 1f;                      \
	li a7, PRIV_REQ_TO_M;           \
	ecall;                          \
1:	li a7, 0

/*
 * Page tables: table[index] = leaf or pointer PTE for the physical
 * address in register pareg (clobbers t6, a6)
 */
#define PTE_SET(table, index, pareg, flags) \
	srli t6, pareg, 12;             \
	slli t6, t6, 10;                \
	ori t6, t6, flags;              \
	la a6, table + (index) * 8;     \
	sd t6, 0(a6)

/*
 * The Sv39 map the VM tests start from: VA 0x80000000 = PA 0x80000000,
 * an S RWX gigapage (the test itself), and VA 0 to 2 MiB through pt_l1
 * and pt_l0, whose 4 KiB pages the test maps (clobbers a0, t6, a6).
 * SV39_TABLES places the three tables (in .data, page-aligned).
 */
#define SV39_LOW_MAP                                                    \
	li a0, 0x80000000;                                              \
	PTE_SET(pt_root, 2, a0,                                         \
		PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);         \
	la a0, pt_l1;                                                   \
	PTE_SET(pt_root, 0, a0, PTE_V);                                 \
	la a0, pt_l0;                                                   \
	PTE_SET(pt_l1, 0, a0, PTE_V)

#define SV39_TABLES                     \
	pt_root: .zero 4096;            \
	pt_l1: .zero 4096;              \
	pt_l0: .zero 4096

/* satp = mode | PPN(root), then flush (clobbers t6, a6) */
#define SATP_SET(mode, root)            \
	la t6, root;                    \
	srli t6, t6, 12;                \
	li a6, mode;                    \
	or t6, t6, a6;                  \
	csrw satp, t6;                  \
	sfence.vma

/* handlers and failure path */
	.pushsection .text.priv, "ax", @progbits
	.align 2
	.globl priv_fail
priv_fail:
	li a7, PRIV_REQ_FAIL
	ecall
	j test_fail

	.align 2
	.globl priv_mtrap
priv_mtrap:
	csrw mscratch, t6
	csrr t3, mcause
	bltz t3, .Lm_take
	addi t6, t3, -CAUSE_ECALL_U
	beqz t6, .Lm_ecall
	addi t6, t3, -CAUSE_ECALL_S
	beqz t6, .Lm_ecall
	addi t6, t3, -CAUSE_ECALL_M
	beqz t6, .Lm_ecall
.Lm_take:
	beqz t5, .Lm_fail
	la t6, priv_mrec
	sd t3, 0(t6)
	csrr s11, mepc
	sd s11, 8(t6)
	csrr t4, mtval
	sd t4, 16(t6)
	csrr t3, mstatus
	sd t3, 24(t6)
	csrr t3, mcause
	bgez t3, 1f
	/* interrupt: disable this source and keep MIE = 0 after MRET */
	andi t6, t3, 63
	li t4, 1
	sll t4, t4, t6
	csrc mie, t4
	li t6, MSTATUS_MPIE
	csrc mstatus, t6
	csrr t4, mtval
1:	csrw mepc, t5
	li t5, 0
	csrr t6, mscratch
	mret
.Lm_ecall:
	li t6, PRIV_REQ_FAIL
	beq a7, t6, .Lm_fail
	li t6, PRIV_REQ_TO_M
	bne a7, t6, .Lm_take
	li t6, MSTATUS_MPP
	csrs mstatus, t6
	li t6, MSTATUS_MPIE
	csrc mstatus, t6
	csrw mepc, t5
	li t5, 0
	csrr t6, mscratch
	mret
.Lm_fail:
	/* gp holds the check that failed; MPP is M now, so MPRV is moot */
	j test_fail

	.align 2
	.globl priv_strap
priv_strap:
	csrw sscratch, t6
	csrr t3, scause
	bltz t3, .Ls_take
	addi t6, t3, -CAUSE_ECALL_U
	bnez t6, .Ls_take
	li t6, PRIV_REQ_FAIL
	beq a7, t6, .Ls_forward
	li t6, PRIV_REQ_TO_M
	beq a7, t6, .Ls_forward
.Ls_take:
	beqz t5, .Ls_unexpected
	la t6, priv_srec
	sd t3, 0(t6)
	csrr s11, sepc
	sd s11, 8(t6)
	csrr t4, stval
	sd t4, 16(t6)
	csrr t3, sstatus
	sd t3, 24(t6)
	csrr t3, scause
	bgez t3, 1f
	/* interrupt: disable this source and keep SIE = 0 after SRET */
	andi t6, t3, 63
	li t4, 1
	sll t4, t4, t6
	csrc sie, t4
	li t6, MSTATUS_SPIE
	csrc sstatus, t6
	csrr t4, stval
1:	csrw sepc, t5
	li t5, 0
	csrr t6, sscratch
	sret
.Ls_forward:
	/* pass the request on to M-mode */
	csrr t6, sscratch
	ecall
	j priv_fail
.Ls_unexpected:
	j priv_fail
	.popsection

	.pushsection .data.priv, "aw", @progbits
	.align 3
	.globl priv_mrec
priv_mrec:
	.dword 0, 0, 0, 0
	.globl priv_srec
priv_srec:
	.dword 0, 0, 0, 0
	.popsection

#endif /* __ASSEMBLER__ */
#endif
