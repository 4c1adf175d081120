/*
 * The same code under both values of sstatus.SUM (privileged spec 1.12,
 * 4.1.1.2): S-mode loads and stores to a U page work with SUM = 1 and
 * fault with SUM = 0, also when the code that makes them ran before with
 * the other value. The JIT translates a block's accesses for one data
 * context (its TLB table sits at a fixed offset from the hart) and must
 * find a block, by its dispatcher's cache, its jump table or its hash of
 * blocks, only for the context it was made for: reused under SUM = 0, a
 * block made under SUM = 1 would hit the entry that SUM = 1 filled.
 *
 * Map (Sv39): VA 0x80000000 = PA 0x80000000 (gigapage, S only, RWX);
 * VA 0x1000: a U RW page.
 */
#include "priv.h"

#define AD (PTE_V | PTE_A | PTE_D)
#define VA_U_RW 0x1000

/*
 * SUM on or off; then a call that lets the dispatcher see the CSR write
 * (it asks for a look at interrupts), so that the next call goes through
 * the jump table alone
 */
#define SUM_SET(on)                     \
	csr##on sstatus, s1;            \
	jal ra, settle

/* check n: access_u (a load and a store of VA_U_RW) runs without a trap */
#define ACCESS_OK(n)                    \
	NO_TRAP(n, jal ra, access_u);   \
	CHECK(n, a0, 0x5555555555555555)

/* check n: access_u's load faults (and so returns no more) */
#define ACCESS_FAULTS(n)                \
	CHECK_NUM(n);                   \
	EXPECT_TRAP_AT(8f);             \
	jal ra, access_u;               \
8:	CHECK(n, t3, CAUSE_LOAD_PAGE);  \
	CHECK_REG(n, t4, s0)

TEST_BEGIN
	PRIV_INIT
	li a7, 0

	SV39_LOW_MAP
	la a0, page_a
	PTE_SET(pt_l0, 1, a0, AD | PTE_R | PTE_W | PTE_U)
	SATP_SET(SATP_SV39, pt_root)
	li t0, MSTATUS_SUM
	csrc mstatus, t0

	ENTER_S
	li s0, VA_U_RW
	li s1, MSTATUS_SUM
	/* SUM = 1, several times over, so that the blocks chain */
	SUM_SET(s)
	ACCESS_OK(1)
	ACCESS_OK(2)
	ACCESS_OK(3)
	/* SUM = 0: the same code faults */
	SUM_SET(c)
	ACCESS_FAULTS(4)
	ACCESS_FAULTS(5)
	/* and works again with SUM = 1 */
	SUM_SET(s)
	ACCESS_OK(6)
	SUM_SET(c)
	ACCESS_FAULTS(7)
	/* a loop that sets and clears SUM around the calls */
	li s2, 8
1:	SUM_SET(s)
	ACCESS_OK(8)
	SUM_SET(c)
	ACCESS_FAULTS(9)
	addi s2, s2, -1
	bnez s2, 1b
	ENTER_M
	csrw satp, zero
	sfence.vma
TEST_END

	.text
	/* a page of its own: calls to it go through the jump table */
	.align 12
/* a0 = x[VA_U_RW]; writes it back to VA_U_RW + 8 */
access_u:
	ld a0, 0(s0)
	sd a0, 8(s0)
	ret
	.align 6
settle:
	ret

	.data
	.align 12
	SV39_TABLES
page_a:
	.dword 0x5555555555555555
	.dword 0
	.align 12
