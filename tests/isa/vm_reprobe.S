/*
 * Accesses that share a base register across a page boundary, in
 * straight blocks (the JIT reuses a probe for the next access at the
 * same base, checking only the page of that access's other end: see
 * jit/translate.c, tlb_probe). Under Sv39 the two virtual pages map to
 * physical pages in the other order, so an access given its neighbour's
 * TLB entry would reach the wrong physical page (page_w or page_z, whose
 * contents differ), not just the wrong offset.
 *
 * Map: VA 0x80000000 (gigapage) = PA 0x80000000 (code, data, tables);
 * VA 0x1000 -> page_y, VA 0x2000 -> page_x, where physically
 * page_w, page_x, page_y, page_z follow one another; VA 0x3000 -> page_z,
 * read-only.
 */
#include "priv.h"

#define RW_AD (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
#define R_AD (PTE_V | PTE_R | PTE_A | PTE_D)

TEST_BEGIN
	PRIV_INIT
	li a7, 0

	SV39_LOW_MAP
	la a0, page_y
	PTE_SET(pt_l0, 1, a0, RW_AD)
	la a0, page_x
	PTE_SET(pt_l0, 2, a0, RW_AD)
	la a0, page_z
	PTE_SET(pt_l0, 3, a0, R_AD)
	SATP_SET(SATP_SV39, pt_root)
	ENTER_S

	/*
	 * Loads through s0 (a register the JIT keeps in a host register).
	 * Each group starts with a new base (a full probe); a reuse whose
	 * page check fails probes in full out of line.
	 */
	li s0, 0x1ff8
	li s1, 0x2000
	/* fill the TLB (reads and writes) for both pages, in a block before */
	ld t1, 0(s0)
	sd t1, 0(s0)
	ld t1, 0(s1)
	sd t1, 0(s1)
	j 1f
1:	CHECK_NUM(1)
	ld a0, 0(s0)		/* VA 0x1ff8: page_y's last dword */
	ld a1, 4(s0)		/* VA 0x1ffc: straddles, starts inside */
	ld a2, 8(s0)		/* VA 0x2000: page_x */
	lw a3, 0(s0)		/* back in the first page */
	ld a4, 0(s1)		/* new base: page_x */
	ld a5, -4(s1)		/* VA 0x1ffc: straddles, ends inside */
	CHECK(2, a0, 0x2222222222222222)
	CHECK(3, a1, 0x1111111122222222)
	CHECK(4, a2, 0x1111111111111111)
	CHECK(5, a3, 0x22222222)
	CHECK(6, a4, 0x1111111111111111)
	CHECK(7, a5, 0x1111111122222222)

	/* reuses that hit, then leave the page upwards and downwards */
	CHECK_NUM(8)
	ld a0, 0(s1)		/* page_x */
	lw a1, 4(s1)		/* inside */
	ld a2, 8(s1)		/* upwards, same page */
	lbu a3, 1(s1)		/* inside again */
	ld a4, -8(s1)		/* downwards: page_y's last dword */
	ld a5, 0(s0)		/* new base: page_y's last dword */
	lhu a6, -2(s0)		/* downwards, same page */
	ld t1, 8(s0)		/* upwards: page_x */
	CHECK(9, a0, 0x1111111111111111)
	CHECK(10, a1, 0x11111111)
	CHECK(11, a2, 0x5555555555555555)
	CHECK(12, a3, 0x11)
	CHECK(13, a4, 0x2222222222222222)
	CHECK(21, a5, 0x2222222222222222)
	CHECK(22, a6, 0)
	CHECK(23, t1, 0x1111111111111111)

	/* a new value of the base: the range probed before says nothing */
	CHECK_NUM(24)
	ld a0, 0(s0)		/* VA 0x1ff8 */
	addi s0, s0, 4
	ld a1, 0(s0)		/* VA 0x1ffc: straddles */
	addi s0, s0, -4
	CHECK(25, a1, 0x1111111122222222)

	/* stores */
	li a0, 0x6666666666666666
	li s0, 0x1ff8
	CHECK_NUM(14)
	sd a0, 16(s0)		/* VA 0x2008 = page_x + 8 */
	sd a0, 8(s0)		/* VA 0x2000 = page_x */
	sd a0, 0(s0)		/* VA 0x1ff8 = page_y + 0xff8 */
	sw a0, 24(s0)		/* VA 0x2010 = page_x + 16 */
	la t0, page_x
	ld a1, 0(t0)
	CHECK(15, a1, 0x6666666666666666)
	ld a1, 8(t0)
	CHECK(16, a1, 0x6666666666666666)
	lwu a1, 16(t0)
	CHECK(17, a1, 0x66666666)
	la t0, page_y + 0xff8
	ld a1, 0(t0)
	CHECK(18, a1, 0x6666666666666666)
	la t0, page_w + 0xff8
	ld a1, 0(t0)
	CHECK(19, a1, 0x4444444444444444)
	la t0, page_z
	ld a1, 0(t0)
	CHECK(20, a1, 0x3333333333333333)
	/*
	 * Loads after a store at the same base: in the store's page they may
	 * use its write entry; elsewhere (page_y) they must not.
	 */
	CHECK_NUM(26)
	li a0, 0x7777777777777777
	li s0, 0x2000
	sd a0, 0(s0)		/* VA 0x2000 = page_x */
	ld a1, 0(s0)		/* the store's page */
	sd a0, 8(s0)
	ld a2, -8(s0)		/* VA 0x1ff8: page_y */
	sd a0, 8(s0)
	ld a3, -4(s0)		/* VA 0x1ffc: straddles into the store's page */
	CHECK(27, a1, 0x7777777777777777)
	CHECK(28, a2, 0x6666666666666666)
	CHECK(29, a3, 0x7777777766666666)
	/*
	 * A base moved by addi keeps the range probed, as offsets from its
	 * new value: taken as it was, or moved the wrong way, the straddling
	 * load would check only its last byte's page and hit.
	 */
	CHECK_NUM(30)
	li s0, 0x2000
	ld a0, 0(s0)		/* page_x */
	addi s0, s0, -8		/* VA 0x1ff8 */
	ld a1, 4(s0)		/* VA 0x1ffc: straddles */
	mv s1, s0
	ld a2, 0(s1)		/* page_y's last dword */
	CHECK(31, a1, 0x7777777766666666)
	CHECK(32, a2, 0x6666666666666666)
	/*
	 * Stores after a load at the same base check the write entry beside
	 * the load's read entry: in the load's page it has one (page_x's was
	 * filled above); a store that straddles into the next page, or to a
	 * page the load may read but not write, must not pass.
	 */
	CHECK_NUM(33)
	li a0, 0x8888888888888888
	li s0, 0x2000
	j 5f
5:	ld a1, 0(s0)		/* page_x */
	sd a0, 8(s0)		/* page_x + 8 */
	li s0, 0x1ff8
	ld a2, 0(s0)		/* page_y's last dword */
	sd a0, 4(s0)		/* VA 0x1ffc: straddles into page_x */
	la t0, page_x
	ld a3, 8(t0)
	CHECK(34, a3, 0x8888888888888888)
	ld a3, 0(t0)
	CHECK(35, a3, 0x7777777788888888)
	la t0, page_y + 0xff8
	ld a3, 0(t0)
	CHECK(36, a3, 0x8888888866666666)
	CHECK_NUM(37)
	li s0, 0x3000
	ld a1, 0(s0)		/* fills page_z's read entry, in a block before */
	EXPECT_TRAP_AT(4f)
	j 5f
5:	ld a1, 0(s0)		/* page_z, read-only: a TLB hit */
3:	sd a0, 0(s0)		/* must fault */
4:	CHECK(38, t3, CAUSE_STORE_PAGE)
	CHECK_ADDR(39, s11, 3b)
	CHECK(40, t4, 0x3000)
	CHECK(41, a1, 0x3333333333333333)
	la t0, page_z
	ld a1, 0(t0)
	CHECK(42, a1, 0x3333333333333333)
	ENTER_M
	csrw satp, zero
	sfence.vma
TEST_END

	.data
	.align 12
	SV39_TABLES
page_w:
	.zero 4088
	.dword 0x4444444444444444
page_x:
	.dword 0x1111111111111111
	.dword 0x5555555555555555
	.zero 4080
page_y:
	.zero 4088
	.dword 0x2222222222222222
page_z:
	.dword 0x3333333333333333
	.zero 4088
