/*
 * Indirect jumps to a virtual page whose mapping changes. The JIT's jump
 * table remembers a target's translation under the mmu's fetch_gen and,
 * after a flush, confirms an entry again against the fetch TLB (the host
 * address of its block) without the dispatcher (jit/translate.h). VA
 * 0x10000 maps code_a, then code_b: a call to 0x10000 must run the code
 * of the page mapped now, also when the fetch TLB already holds the new
 * mapping (here through a call to another pc of that page first). The
 * page's TLB index (16) is none of the test's own pages'.
 *
 * Map: VA 0x80000000 (gigapage) = PA 0x80000000; VA 0x10000 -> code_a or
 * code_b, both "li a0, N; ret" at +0 and "ret" at +0x100.
 */
#include "test.h"
#include "priv.h"

#define RWX_AD (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)

TEST_BEGIN
	PRIV_INIT
	li a7, 0
	SV39_LOW_MAP
	la a0, code_a
	PTE_SET(pt_l0, 16, a0, RWX_AD)
	SATP_SET(SATP_SV39, pt_root)
	ENTER_S
	li s1, 0x10000
	addi s2, s1, 0x100
	/* several calls: the dispatcher fills the entry, later ones hit it */
	CHECK_NUM(1)
	li s3, 4
1:	li a0, 0
	jalr s1
	EXPECT(1, a0, 1)
	addi s3, s3, -1
	bnez s3, 1b
	/* the same mapping after a full flush: confirmed again */
	sfence.vma
	CHECK_NUM(2)
	li a0, 0
	jalr s1
	EXPECT(2, a0, 1)
	/* code_b at VA 0x10000; the fetch TLB learns it through +0x100 */
	la a0, code_b
	PTE_SET(pt_l0, 16, a0, RWX_AD)
	sfence.vma s1, zero
	jalr s2
	CHECK_NUM(3)
	li a3, 3
2:	li a0, 0
	jalr s1
	EXPECT(3, a0, 2)
	addi a3, a3, -1
	bnez a3, 2b
	ENTER_M
	csrw satp, zero
	sfence.vma
TEST_END

	.text
	.balign 4096
code_a:
	li a0, 1
	ret
	.balign 256
	ret
	.balign 4096
code_b:
	li a0, 2
	ret
	.balign 256
	ret

	.data
	.align 12
	SV39_TABLES
