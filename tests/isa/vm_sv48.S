/*
 * Sv48 translation (privileged spec 1.12, 4.5): four levels, 4 KiB pages,
 * 1 GiB gigapages and 512 GiB terapages; a terapage with a nonzero low
 * PPN is a misaligned superpage (page fault); bits 63:48 must equal bit
 * 47, while addresses that only Sv39 rejects are fine.
 *
 * Map: VA 0x80000000 (gigapage) = PA 0x80000000; VA 0x1000 4 KiB page;
 * VA 0x40000000 gigapage and VA 0x8000000000 terapage aliases.
 */
#include "priv.h"

#define RWX_AD (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
#define RW_AD (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)

#define VA_TERA 0x8000000000
#define VA_TERA_BAD 0x10000000000

TEST_BEGIN
	PRIV_INIT
	li a7, 0

	la a0, pt_l2
	PTE_SET(pt_root, 0, a0, PTE_V)
	li a0, 0x80000000
	PTE_SET(pt_l2, 2, a0, RWX_AD)
	PTE_SET(pt_l2, 1, a0, RW_AD)
	PTE_SET(pt_root, 2, a0, RW_AD)	/* misaligned terapage */
	li a0, 0
	PTE_SET(pt_root, 1, a0, RW_AD)
	la a0, pt_l1
	PTE_SET(pt_l2, 0, a0, PTE_V)
	la a0, pt_l0
	PTE_SET(pt_l1, 0, a0, PTE_V)
	la a0, page_a
	PTE_SET(pt_l0, 1, a0, RW_AD)
	SATP_SET(SATP_SV48, pt_root)
	csrr a0, satp
	srli a0, a0, 60
	CHECK(1, a0, 9)
	ENTER_S

	li s0, 0x1000
	NO_TRAP(2, ld a0, 0(s0))
	CHECK(3, a0, 0x1111111111111111)
	li s0, 0x2000
	TRAP_INSN(4, CAUSE_LOAD_PAGE, ld a0, 0(s0))
	CHECK_REG(5, t4, s0)

	/* gigapage alias */
	la s1, page_a
	li t0, 0x80000000
	sub s1, s1, t0
	li s0, 0x40000000
	add s0, s0, s1
	NO_TRAP(6, ld a0, 0(s0))
	CHECK(7, a0, 0x1111111111111111)
	/* terapage alias of PA 0: VA = VA_TERA + PA (not canonical in Sv39) */
	la s0, page_a
	li t0, VA_TERA
	add s0, s0, t0
	NO_TRAP(8, ld a0, 0(s0))
	CHECK(9, a0, 0x1111111111111111)
	li a1, 0x3c3c
	NO_TRAP(10, sd a1, 8(s0))
	la t0, page_a
	ld a0, 8(t0)
	CHECK(11, a0, 0x3c3c)
	/* misaligned terapage */
	li s0, VA_TERA_BAD + 0x80
	TRAP_INSN(12, CAUSE_LOAD_PAGE, ld a0, 0(s0))
	CHECK_REG(13, t4, s0)
	TRAP_INSN(14, CAUSE_STORE_PAGE, sd a0, 0(s0))
	CHECK_REG(15, t4, s0)
	/* non-canonical: bit 48 set, bit 47 clear */
	li s0, 0x0001000000001000
	TRAP_INSN(16, CAUSE_LOAD_PAGE, ld a0, 0(s0))
	CHECK_REG(17, t4, s0)
	CHECK_NUM(18)
	EXPECT_TRAP_AT(1f)
	jalr ra, 0(s0)
1:	CHECK(19, t3, CAUSE_FETCH_PAGE)
	CHECK_REG(20, t4, s0)
	/* canonical upper half, nothing mapped there */
	li s0, 0xffff800000000000
	TRAP_INSN(21, CAUSE_STORE_PAGE, sd a0, 0(s0))
	CHECK_REG(22, t4, s0)
	ENTER_M
	csrw satp, zero
	sfence.vma
TEST_END

	.data
	.align 12
pt_root:
	.zero 4096
pt_l2:
	.zero 4096
pt_l1:
	.zero 4096
pt_l0:
	.zero 4096
page_a:
	.dword 0x1111111111111111
	.dword 0
	.align 12
