/*
 * Start-up for the bare-metal ISA tests. Hart 0 starts in M-mode at
 * _start. Each test provides test_main; it returns 0 for pass or jumps to
 * test_fail with the failing check's number in gp (TESTNUM). The result
 * goes to the host through HTIF: tohost = (code << 1) | 1.
 *
 * An unexpected trap ends the test with code 0x400 + mcause (interrupt
 * bit folded to 0x200) unless the test installed its own handler in
 * mtvec. Tests that expect traps point mtvec at their own code.
 */
#include "test.h"

	.section .text.init
	.globl _start
_start:
	la	t0, unexpected_trap
	csrw	mtvec, t0
	la	sp, stack_top
	li	gp, 0
	/* FP on: mstatus.FS = initial */
	li	t0, (1 << 13)
	csrs	mstatus, t0
	csrwi	fcsr, 0
	call	test_main
	bnez	a0, 1f
	li	a0, 0
	j	htif_exit
1:	mv	gp, a0
	j	test_fail

	.globl test_fail
test_fail:
	/* code = TESTNUM, never 0 */
	mv	a0, gp
	bnez	a0, htif_exit
	li	a0, 0x3ff
	j	htif_exit

	.align 2
unexpected_trap:
	csrr	a0, mcause
	bgez	a0, 1f
	andi	a0, a0, 0xff
	ori	a0, a0, 0x200
1:	andi	a0, a0, 0x1ff
	addi	a0, a0, 0x400
	j	htif_exit

	/* a0 = code; 64-bit store of (code << 1) | 1 to tohost */
	.globl htif_exit
htif_exit:
	slli	a0, a0, 1
	ori	a0, a0, 1
	la	t0, tohost
	sd	a0, 0(t0)
2:	j	2b

	.section .tohost, "aw", @progbits
	.align 6
	.globl tohost
tohost:	.dword 0
	.size tohost, 8
	.align 6
	.globl fromhost
fromhost: .dword 0
	.size fromhost, 8

	.bss
	.align 4
stack:	.space 8192
stack_top:
