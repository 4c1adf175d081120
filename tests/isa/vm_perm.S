/*
 * Page permissions (privileged spec 1.12, 4.3.1, 4.3.2, 4.1.1): the U
 * bit against S-mode (SUM for loads and stores, never for fetches) and
 * U-mode, MXR making execute-only pages readable, and reserved PTE
 * encodings (W without R, a pointer at the last level, reserved bits
 * 63:54 set; no Svpbmt/Svnapot) faulting.
 *
 * Map (Sv39): VA 0x80000000 = PA 0x80000000 (gigapage, S only, RWX);
 * VA 0x40000000 = the same memory as a U gigapage, where U-mode code
 * runs; VA 0x1000.. 4 KiB pages with the permissions under test.
 */
#include "priv.h"

#define RWX_AD (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
#define AD (PTE_V | PTE_A | PTE_D)
#define U_ALIAS_OFF 0x40000000	/* PA - U alias VA */

#define VA_U_RW 0x1000
#define VA_S_RW 0x2000
#define VA_S_X 0x3000
#define VA_U_X 0x4000
#define VA_W_ONLY 0x5000
#define VA_PTR_LEAF 0x6000
#define VA_RSVD 0x7000

/* from M: continue at the next instruction in U-mode, in the U alias */
#define ENTER_U_ALIAS                   \
	li t6, MSTATUS_MPP;             \
	csrc mstatus, t6;               \
	la t6, 1f;                      \
	li a6, U_ALIAS_OFF;             \
	sub t6, t6, a6;                 \
	csrw mepc, t6;                  \
	mret;                           \
1:

/* from U in the alias: continue at the next instruction in M-mode */
#define ENTER_M_FROM_ALIAS              \
	la t5, 1f;                      \
	li a6, U_ALIAS_OFF;             \
	add t5, t5, a6;                 \
	li a7, PRIV_REQ_TO_M;           \
	ecall;                          \
1:	li a7, 0

TEST_BEGIN
	PRIV_INIT
	li a7, 0

	SV39_LOW_MAP
	li a0, 0x80000000
	PTE_SET(pt_root, 1, a0, RWX_AD | PTE_U)
	la a0, page_a
	PTE_SET(pt_l0, 1, a0, AD | PTE_R | PTE_W | PTE_U)
	PTE_SET(pt_l0, 2, a0, AD | PTE_R | PTE_W)
	PTE_SET(pt_l0, 5, a0, AD | PTE_W)
	la a0, page_code
	PTE_SET(pt_l0, 3, a0, AD | PTE_X)
	PTE_SET(pt_l0, 4, a0, AD | PTE_X | PTE_U)
	la a0, pt_l0
	PTE_SET(pt_l0, 6, a0, PTE_V)
	/* VA_RSVD: an S RW page with reserved bit 54 set */
	la a0, page_a
	PTE_SET(pt_l0, 7, a0, AD | PTE_R | PTE_W)
	ld t6, 0(a6)
	li t0, 1 << 54
	or t6, t6, t0
	sd t6, 0(a6)
	SATP_SET(SATP_SV39, pt_root)
	li t0, MSTATUS_SUM | MSTATUS_MXR
	csrc mstatus, t0

	ENTER_S
	/* S on a U page: loads and stores fault unless SUM = 1 */
	li s0, VA_U_RW
	TRAP_INSN(1, CAUSE_LOAD_PAGE, ld a0, 0(s0))
	CHECK_REG(2, t4, s0)
	TRAP_INSN(3, CAUSE_STORE_PAGE, sd a0, 0(s0))
	CHECK_REG(4, t4, s0)
	li t0, MSTATUS_SUM
	csrs sstatus, t0
	NO_TRAP(5, ld a0, 0(s0))
	CHECK(6, a0, 0x5555555555555555)
	NO_TRAP(7, sd a0, 8(s0))
	/* S never executes from a U page, SUM or not */
	li s0, VA_U_X
	CHECK_NUM(8)
	EXPECT_TRAP_AT(1f)
	jalr ra, 0(s0)
1:	CHECK(9, t3, CAUSE_FETCH_PAGE)
	CHECK_REG(10, t4, s0)
	li t0, MSTATUS_SUM
	csrc sstatus, t0
	/* S page: fine */
	li s0, VA_S_RW
	NO_TRAP(11, ld a0, 0(s0); sd a0, 8(s0))
	/* execute-only page: fetch works, loads need MXR */
	li s0, VA_S_X
	NO_TRAP(12, jalr ra, 0(s0))
	CHECK(13, a0, 42)
	TRAP_INSN(14, CAUSE_LOAD_PAGE, lw a0, 0(s0))
	CHECK_REG(15, t4, s0)
	li t0, MSTATUS_MXR
	csrs sstatus, t0
	NO_TRAP(16, lw a0, 0(s0))
	la t0, page_code
	lw a1, 0(t0)
	CHECK_REG(17, a0, a1)
	/* MXR does not grant stores */
	TRAP_INSN(18, CAUSE_STORE_PAGE, sw a0, 0(s0))
	li t0, MSTATUS_MXR
	csrc sstatus, t0
	/* reserved encoding W without R: every access faults */
	li s0, VA_W_ONLY
	TRAP_INSN(19, CAUSE_LOAD_PAGE, ld a0, 0(s0))
	CHECK_REG(20, t4, s0)
	TRAP_INSN(21, CAUSE_STORE_PAGE, sd a0, 0(s0))
	CHECK_REG(22, t4, s0)
	/* a pointer PTE at the last level: page fault */
	li s0, VA_PTR_LEAF
	TRAP_INSN(23, CAUSE_LOAD_PAGE, ld a0, 0(s0))
	CHECK_REG(24, t4, s0)
	/* reserved PTE bits 63:54 set: page fault */
	li s0, VA_RSVD
	TRAP_INSN(40, CAUSE_LOAD_PAGE, ld a0, 0(s0))
	CHECK_REG(41, t4, s0)
	ENTER_M

	/* U-mode, running in the U alias */
	ENTER_U_ALIAS
	li s0, VA_U_RW
	NO_TRAP(25, ld a0, 0(s0); sd a0, 8(s0))
	CHECK(26, a0, 0x5555555555555555)
	/* U on S pages faults, SUM does not matter for U */
	li s0, VA_S_RW
	TRAP_INSN(27, CAUSE_LOAD_PAGE, ld a0, 0(s0))
	CHECK_REG(28, t4, s0)
	TRAP_INSN(29, CAUSE_STORE_PAGE, sd a0, 0(s0))
	CHECK_REG(30, t4, s0)
	li s0, VA_S_X
	CHECK_NUM(31)
	EXPECT_TRAP_AT(1f)
	jalr ra, 0(s0)
1:	CHECK(32, t3, CAUSE_FETCH_PAGE)
	CHECK_REG(33, t4, s0)
	/* the S-only gigapage itself */
	la s0, page_a
	li t0, U_ALIAS_OFF
	add s0, s0, t0
	TRAP_INSN(34, CAUSE_LOAD_PAGE, ld a0, 0(s0))
	CHECK_REG(35, t4, s0)
	/* U execute-only page: runs; a load needs MXR */
	li s0, VA_U_X
	NO_TRAP(36, jalr ra, 0(s0))
	CHECK(37, a0, 42)
	TRAP_INSN(38, CAUSE_LOAD_PAGE, lw a0, 0(s0))
	ENTER_M_FROM_ALIAS
	li t0, MSTATUS_MXR
	csrs mstatus, t0
	ENTER_U_ALIAS
	li s0, VA_U_X
	NO_TRAP(39, lw a0, 0(s0))
	ENTER_M_FROM_ALIAS
	li t0, MSTATUS_MXR
	csrc mstatus, t0
	csrw satp, zero
	sfence.vma
TEST_END

	.text
	.align 12
page_code:
	li a0, 42
	ret
	.align 12

	.data
	.align 12
	SV39_TABLES
page_a:
	.dword 0x5555555555555555
	.dword 0
	.align 12
