/*
 * As smc_chain.S, but the storing block leaves by a side exit: a taken
 * conditional branch inside a block (the JIT translates on past it, and
 * gives the instructions after it back to the countdown when it is
 * taken). The chain from that exit enters the patched block past its
 * page-version and irq_check tests, so the store must leave the
 * countdown where no give-back lifts it above the next block's charge.
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
	li s6, 1
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
	bnez s6, target		/* always taken: a side exit */
	/* never run; they make the give-back larger than target's charge */
	addi t5, t5, 1
	addi t5, t5, 1
	addi t5, t5, 1
	addi t5, t5, 1
	addi t5, t5, 1
	addi t5, t5, 1
	addi t5, t5, 1
	addi t5, t5, 1
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
