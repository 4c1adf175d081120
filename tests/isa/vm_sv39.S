/*
 * Sv39 translation (privileged spec 1.12, 4.3-4.4): 4 KiB pages through
 * three levels, 2 MiB megapages and 1 GiB gigapages, loads, stores and
 * fetches through them from S-mode; page faults (12/13/15) with mtval =
 * the virtual address for invalid PTEs, missing permissions, misaligned
 * superpages and non-canonical addresses; SFENCE.VMA making a changed
 * PTE visible.
 *
 * Map: VA 0x80000000 (gigapage) = PA 0x80000000 (code, data, tables);
 * VA 0x1000.. 4 KiB pages; VA 0x200000 megapage and VA 0x40000000
 * gigapage aliases of PA 0x80000000.
 */
#include "priv.h"

#define RWX_AD (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
#define RW_AD (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
#define R_AD (PTE_V | PTE_R | PTE_A | PTE_D)
#define X_AD (PTE_V | PTE_X | PTE_A | PTE_D)

#define VA_A 0x1000	/* page_a, RW */
#define VA_B 0x2000	/* page_b, R */
#define VA_C 0x3000	/* page_c, X */
#define VA_INV 0x4000	/* invalid */
#define VA_SW 0x5000	/* remapped during the test */
#define VA_MEGA 0x200000
#define VA_MEGA_BAD 0x400000
#define VA_GIGA 0x40000000
#define VA_GIGA_BAD 0xc0000000

TEST_BEGIN
	PRIV_INIT
	li a7, 0

	li a0, 0x80000000
	PTE_SET(pt_root, 2, a0, RWX_AD)
	PTE_SET(pt_root, 1, a0, RW_AD)
	li a0, 0x80200000	/* not 1 GiB aligned */
	PTE_SET(pt_root, 3, a0, RW_AD)
	la a0, pt_l1
	PTE_SET(pt_root, 0, a0, PTE_V)
	la a0, pt_l0
	PTE_SET(pt_l1, 0, a0, PTE_V)
	li a0, 0x80000000
	PTE_SET(pt_l1, 1, a0, RW_AD)
	li a0, 0x80001000	/* not 2 MiB aligned */
	PTE_SET(pt_l1, 2, a0, RW_AD)
	la a0, page_a
	PTE_SET(pt_l0, 1, a0, RW_AD)
	PTE_SET(pt_l0, 5, a0, RW_AD)
	la a0, page_b
	PTE_SET(pt_l0, 2, a0, R_AD)
	la a0, page_c
	PTE_SET(pt_l0, 3, a0, X_AD)
	SATP_SET(SATP_SV39, pt_root)
	ENTER_S

	/* 4 KiB pages */
	li s0, VA_A
	NO_TRAP(1, ld a0, 0(s0))
	CHECK(2, a0, 0x1111111111111111)
	li a1, 0x5a5a
	NO_TRAP(3, sd a1, 8(s0))
	la t0, page_a
	ld a0, 8(t0)
	CHECK(4, a0, 0x5a5a)
	li s0, VA_B
	NO_TRAP(5, ld a0, 0(s0))
	CHECK(6, a0, 0x2222222222222222)
	TRAP_INSN(7, CAUSE_STORE_PAGE, sd a1, 0(s0))
	CHECK_REG(8, t4, s0)
	TRAP_INSN(9, CAUSE_STORE_PAGE, amoadd.d a0, a1, (s0))
	CHECK_REG(10, t4, s0)
	/* X only: fetch works, loads fault (MXR = 0) */
	li s0, VA_C
	NO_TRAP(11, jalr ra, 0(s0))
	CHECK(12, a0, 42)
	TRAP_INSN(13, CAUSE_LOAD_PAGE, lw a0, 0(s0))
	CHECK_REG(14, t4, s0)
	/* not X: fetch faults at the target, mepc = mtval = VA */
	CHECK_NUM(15)
	li s0, VA_A
	EXPECT_TRAP_AT(1f)
	jalr ra, 0(s0)
1:	CHECK(16, t3, CAUSE_FETCH_PAGE)
	CHECK_REG(17, s11, s0)
	CHECK_REG(18, t4, s0)
	/* invalid PTE */
	li s0, VA_INV + 8
	TRAP_INSN(19, CAUSE_LOAD_PAGE, ld a0, 0(s0))
	CHECK_REG(20, t4, s0)
	TRAP_INSN(21, CAUSE_STORE_PAGE, sw a0, 0(s0))
	CHECK_REG(22, t4, s0)
	/* an AMO there: priv_amo_faults.S */
	CHECK_NUM(23)
	EXPECT_TRAP_AT(1f)
	jalr ra, 0(s0)
1:	CHECK(24, t3, CAUSE_FETCH_PAGE)
	CHECK_REG(25, t4, s0)
	/* nothing mapped at level 1 index 3 */
	li s0, 0x600000
	TRAP_INSN(26, CAUSE_LOAD_PAGE, lb a0, 0(s0))
	CHECK_REG(27, t4, s0)

	/* megapage and gigapage aliases of PA 0x80000000 */
	la s1, page_b
	li t0, 0x80000000
	sub s1, s1, t0		/* page_b - 0x80000000 */
	li t0, 0x200000
	bgeu s1, t0, 1f		/* page_b must lie in the first 2 MiB */
	li s0, VA_MEGA
	add s0, s0, s1
	NO_TRAP(28, ld a0, 0(s0))
	CHECK(29, a0, 0x2222222222222222)
1:	li s0, VA_GIGA
	add s0, s0, s1
	NO_TRAP(30, ld a0, 0(s0))
	CHECK(31, a0, 0x2222222222222222)
	/* stores through the alias land in the same memory */
	li a1, 0x77
	NO_TRAP(32, sd a1, 16(s0))
	la t0, page_b
	ld a0, 16(t0)
	CHECK(33, a0, 0x77)
	/* the megapage is not executable */
	li s0, VA_MEGA
	CHECK_NUM(34)
	EXPECT_TRAP_AT(1f)
	jalr ra, 0(s0)
1:	CHECK(35, t3, CAUSE_FETCH_PAGE)

	/* misaligned superpages */
	li s0, VA_MEGA_BAD + 0x10
	TRAP_INSN(36, CAUSE_LOAD_PAGE, ld a0, 0(s0))
	CHECK_REG(37, t4, s0)
	TRAP_INSN(38, CAUSE_STORE_PAGE, sd a0, 0(s0))
	CHECK_REG(39, t4, s0)
	li s0, VA_GIGA_BAD + 0x20
	TRAP_INSN(40, CAUSE_LOAD_PAGE, ld a0, 0(s0))
	CHECK_REG(41, t4, s0)

	/* non-canonical: bits 63:39 differ from bit 38 */
	li s0, 0x0000008000001000
	TRAP_INSN(42, CAUSE_LOAD_PAGE, ld a0, 0(s0))
	CHECK_REG(43, t4, s0)
	TRAP_INSN(44, CAUSE_STORE_PAGE, sd a0, 0(s0))
	CHECK_REG(45, t4, s0)
	CHECK_NUM(46)
	EXPECT_TRAP_AT(1f)
	jalr ra, 0(s0)
1:	CHECK(47, t3, CAUSE_FETCH_PAGE)
	CHECK_REG(48, t4, s0)
	li s0, 0x8000000080001000
	TRAP_INSN(49, CAUSE_LOAD_PAGE, ld a0, 0(s0))
	CHECK_REG(50, t4, s0)

	/* a changed PTE is used after SFENCE.VMA */
	li s0, VA_SW
	NO_TRAP(51, ld a0, 0(s0))
	CHECK(52, a0, 0x1111111111111111)
	la a0, page_b
	PTE_SET(pt_l0, 5, a0, R_AD)
	sfence.vma s0, zero
	NO_TRAP(53, ld a0, 0(s0))
	CHECK(54, a0, 0x2222222222222222)
	/* invalidated: faults after a global SFENCE.VMA */
	la a6, pt_l0 + 5 * 8
	sd zero, 0(a6)
	sfence.vma
	TRAP_INSN(55, CAUSE_LOAD_PAGE, ld a0, 0(s0))
	CHECK_REG(56, t4, s0)
	ENTER_M
	csrw satp, zero
	sfence.vma
TEST_END

	.text
	.align 12
page_c:
	li a0, 42
	ret
	.align 12

	.data
	.align 12
pt_root:
	.zero 4096
pt_l1:
	.zero 4096
pt_l0:
	.zero 4096
page_a:
	.dword 0x1111111111111111
	.dword 0
	.align 12
page_b:
	.dword 0x2222222222222222
	.dword 0
	.dword 0
	.align 12
