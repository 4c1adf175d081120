/*
 * Hardware updates of the PTE A and D bits (privileged spec 1.12, 4.3.1
 * and 4.3.2 step 7). The spec lets an implementation either raise a page
 * fault when A (or, for a store, D) is clear or set the bits itself;
 * gasang sets them, as QEMU does, and this file checks that choice: a
 * load or fetch sets A, a store sets A and D, also after the page was
 * first cached clean; a faulting access changes nothing; pointer PTEs
 * are left alone.
 */
#include "priv.h"


#define VA_P1 0x1000	/* RW, A = D = 0 */
#define VA_P2 0x2000	/* RW, A = D = 0 */
#define VA_P3 0x3000	/* R, A = 0 */
#define VA_P4 0x4000	/* X, A = 0 */
#define VA_MEGA 0x200000	/* RW megapage, A = D = 0 */

/* a0 = PTE at table[index] */
#define PTE_GET(table, index)           \
	la a6, table + (index) * 8;     \
	ld a0, 0(a6)

TEST_BEGIN
	PRIV_INIT
	li a7, 0

	SV39_LOW_MAP
	li a0, 0x80000000
	PTE_SET(pt_l1, 1, a0, PTE_V | PTE_R | PTE_W)
	la a0, page_a
	PTE_SET(pt_l0, 1, a0, PTE_V | PTE_R | PTE_W)
	PTE_SET(pt_l0, 2, a0, PTE_V | PTE_R | PTE_W)
	PTE_SET(pt_l0, 3, a0, PTE_V | PTE_R)
	la a0, page_code
	PTE_SET(pt_l0, 4, a0, PTE_V | PTE_X)
	SATP_SET(SATP_SV39, pt_root)
	ENTER_S

	/* load: A set, D still clear */
	li s0, VA_P1
	NO_TRAP(1, ld a1, 0(s0))
	CHECK(2, a1, 0x6666666666666666)
	PTE_GET(pt_l0, 1)
	CHECK_MASK(3, a0, PTE_A | PTE_D, PTE_A)
	/* a store to the same, now cached, page: D set */
	NO_TRAP(4, sd a1, 8(s0))
	PTE_GET(pt_l0, 1)
	CHECK_MASK(5, a0, PTE_A | PTE_D, PTE_A | PTE_D)
	/* store first: both */
	li s0, VA_P2
	NO_TRAP(6, sd a1, 16(s0))
	PTE_GET(pt_l0, 2)
	CHECK_MASK(7, a0, PTE_A | PTE_D, PTE_A | PTE_D)
	/* an AMO writes: both */
	la a0, page_a
	PTE_SET(pt_l0, 2, a0, PTE_V | PTE_R | PTE_W)
	sfence.vma
	NO_TRAP(8, amoadd.d a2, zero, (s0))
	PTE_GET(pt_l0, 2)
	CHECK_MASK(9, a0, PTE_A | PTE_D, PTE_A | PTE_D)

	/* a store to a read-only page faults and sets neither bit */
	li s0, VA_P3
	TRAP_INSN(10, CAUSE_STORE_PAGE, sd a1, 0(s0))
	PTE_GET(pt_l0, 3)
	CHECK_MASK(11, a0, PTE_A | PTE_D, 0)
	/* then a load: A only */
	NO_TRAP(12, ld a1, 0(s0))
	PTE_GET(pt_l0, 3)
	CHECK_MASK(13, a0, PTE_A | PTE_D, PTE_A)

	/* fetch: A set */
	li s0, VA_P4
	NO_TRAP(14, jalr ra, 0(s0))
	CHECK(15, a0, 42)
	PTE_GET(pt_l0, 4)
	CHECK_MASK(16, a0, PTE_A | PTE_D, PTE_A)
	/* a load from the execute-only page faults: nothing more set */
	TRAP_INSN(17, CAUSE_LOAD_PAGE, ld a1, 0(s0))

	/* megapage leaf: the bits land in the level-1 PTE */
	la s1, page_a
	li t0, 0x80000000
	sub s1, s1, t0
	li s0, VA_MEGA
	add s0, s0, s1
	NO_TRAP(18, ld a1, 0(s0))
	CHECK(19, a1, 0x6666666666666666)
	PTE_GET(pt_l1, 1)
	CHECK_MASK(20, a0, PTE_A | PTE_D, PTE_A)
	NO_TRAP(21, sd a1, 24(s0))
	PTE_GET(pt_l1, 1)
	CHECK_MASK(22, a0, PTE_A | PTE_D, PTE_A | PTE_D)

	/* pointer PTEs are not touched */
	PTE_GET(pt_root, 0)
	CHECK_MASK(23, a0, 0x3ff, PTE_V)
	PTE_GET(pt_l1, 0)
	CHECK_MASK(24, a0, 0x3ff, PTE_V)

	/* A cleared by software, after SFENCE.VMA set again on access */
	la a0, page_a
	PTE_SET(pt_l0, 1, a0, PTE_V | PTE_R | PTE_W)
	li s0, VA_P1
	sfence.vma s0, zero
	NO_TRAP(25, lw a1, 0(s0))
	PTE_GET(pt_l0, 1)
	CHECK_MASK(26, a0, PTE_A | PTE_D, PTE_A)
	ENTER_M
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
	.dword 0x6666666666666666
	.dword 0
	.dword 0
	.dword 0
	.align 12
