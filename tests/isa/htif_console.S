/*
 * HTIF console output (Berkeley HTIF as used by Spike and QEMU's spike
 * machine): a request is tohost = device << 56 | command << 48 | payload;
 * device 1 (bcd) command 1 writes the payload's low byte to the console.
 * The host takes the request and writes tohost back to 0; it may also
 * post a response in fromhost, which the guest acknowledges by writing
 * fromhost to 0. Prints "hello\n", waiting for each request to complete,
 * then passes. A host that never completes a request fails the check
 * numbered by the character's position.
 */
#include "test.h"

	.option norvc

#define HTIF_CONSOLE_PUTC ((1 << 56) | (1 << 48))

TEST_BEGIN
	la s0, hello_msg
	li s1, 1
	la s2, tohost
	la s3, fromhost
next_char:
	lbu a0, 0(s0)
	beqz a0, console_done
	mv TESTNUM, s1
	li t0, HTIF_CONSOLE_PUTC
	or t0, t0, a0
	sd t0, 0(s2)
	li t1, 10000000
3:	ld t2, 0(s2)
	beqz t2, 4f
	addi t1, t1, -1
	bnez t1, 3b
	j test_fail
4:	sd x0, 0(s3)
	addi s0, s0, 1
	addi s1, s1, 1
	j next_char
console_done:
TEST_END

	.data
hello_msg:
	.asciz "hello\n"
