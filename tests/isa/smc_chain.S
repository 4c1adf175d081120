/*
 * A store into the next block of a loop, made by a block that the JIT has
 * already chained straight to that block's translation: the patched
 * instruction must run at once. gasang's engines (like QEMU) see a store
 * to code from the next block on, without FENCE.I (which the spec asks
 * for; the interpreter is the reference here): the JIT's chain from the
 * storing block enters the next block past its page-version and
 * irq_check tests (jit/translate.h), so the store must make that entry
 * leave for the dispatcher.
 *
 * Iterations 1-49 store to a data word; iteration 50 stores
 * "addi a0, a0, 100" over "addi a0, a0, 1" at target. a0 = 49 + 51 * 100.
 */
#include "test.h"

	.text
TEST_BEGIN
	CHECK_NUM(1)
	li a0, 0
	li s2, 0
	la s3, data_word
	la s4, target
	la t0, insn_add100
	lw s5, 0(t0)
	j loop

	.balign 4096
loop:	/* one block: the store's address is chosen without a branch */
	addi s2, s2, 1
	addi t3, s2, -50
	seqz t3, t3
	neg t3, t3
	sub t4, s4, s3
	and t4, t4, t3
	add t2, s3, t4
	sw s5, 0(t2)
	j target
target:
	.option push
	.option norvc
	addi a0, a0, 1
	.option pop
	li t3, 100
	blt s2, t3, loop
	EXPECT(1, a0, 5149)
TEST_END

	.data
	.balign 8
data_word:
	.word 0
insn_add100:
	.option push
	.option norvc
	addi a0, a0, 100
	.option pop
