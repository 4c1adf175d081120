/*
 * FENCE and FENCE.I (unprivileged spec, "Memory Ordering Instructions"
 * and the Zifencei chapter). FENCE has no visible effect on a single
 * hart; FENCE.I makes this hart's earlier stores to instruction memory
 * visible to its later instruction fetches. The self-modifying part
 * stores new instruction words over smc_site, runs FENCE.I and checks
 * that the new instruction executed.
 */
#include "test.h"

	.option norvc

	/* word-aligned code, so the patched words are naturally aligned */
	.text
	.balign 4
TEST_BEGIN
	/* every fence form runs and leaves registers alone */
	CHECK_NUM(1)
	li a0, 0x1234
	fence
	fence rw, rw
	fence iorw, iorw
	fence r, r
	fence w, w
	fence i, o
	fence.tso
	fence.i
	EXPECT(1, a0, 0x1234)

	/* store, fence, load sees the store */
	CHECK_NUM(2)
	la t0, fence_word
	li a1, 0x55aa
	sd a1, 0(t0)
	fence w, r
	ld a0, 0(t0)
	EXPECT(2, a0, 0x55aa)

	/* the original code: smc_site returns 1 */
	CHECK_NUM(3)
	call smc_site
	EXPECT(3, a0, 1)

	/* patch in "addi a0, x0, 2" */
	CHECK_NUM(4)
	la t0, smc_site
	la t1, smc_insn2
	lw t2, 0(t1)
	sw t2, 0(t0)
	fence.i
	call smc_site
	EXPECT(4, a0, 2)

	/* patch again, "addi a0, x0, -3", and run it twice */
	CHECK_NUM(5)
	la t0, smc_site
	la t1, smc_insn3
	lw t2, 0(t1)
	sw t2, 0(t0)
	fence.i
	call smc_site
	EXPECT(5, a0, -3)
	CHECK_NUM(6)
	call smc_site
	EXPECT(6, a0, -3)

	/*
	 * Patch an instruction in the straight-line code that follows the
	 * store: smc_inline first holds "addi a0, x0, 10"; once patched to
	 * "addi a0, x0, 11" the fall-through must see 11.
	 */
	CHECK_NUM(7)
	la t0, smc_inline
	la t1, smc_insn11
	lw t2, 0(t1)
	sw t2, 0(t0)
	fence.i
smc_inline:
	addi a0, x0, 10
	EXPECT(7, a0, 11)
TEST_END

	.text
	.balign 4
smc_site:
	addi a0, x0, 1
	ret

	.data
	.balign 8
fence_word:
	.dword 0
	/* instruction words to copy, assembled here so no hand encoding */
smc_insn2:
	addi a0, x0, 2
smc_insn3:
	addi a0, x0, -3
smc_insn11:
	addi a0, x0, 11
