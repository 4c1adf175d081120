/*
 * Start-up for the bare-metal benchmarks. Hart 0 enters at _start in
 * M-mode (gasang --bios none, QEMU -machine spike -bios none). bench_main
 * returns the exit code; it goes to the host through HTIF as
 * tohost = (code << 1) | 1. A trap ends the run with 0x400 + mcause.
 *
 * tohost and fromhost are 8-byte objects with a size: QEMU's spike
 * machine finds them in the ELF symbol table and maps HTIF over them.
 */
/* mtime of a SiFive-style CLINT at 0x2000000, as on QEMU's spike board */
#define CLINT_MTIME 0x200bff8

	.section .text.init, "ax", @progbits
	.globl _start
_start:
	la	t0, bench_trap
	csrw	mtvec, t0
	la	sp, bench_stack_top
	/* mstatus.FS = initial: the compiler may keep values in FP regs */
	li	t0, (1 << 13)
	csrs	mstatus, t0
	csrwi	fcsr, 0
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	call	bench_main
	j	bench_exit

	.align 2
bench_trap:
	csrr	a0, mcause
	andi	a0, a0, 0x1ff
	addi	a0, a0, 0x400
	j	bench_exit

	/* a0 = exit code; does not return */
	.globl bench_exit
bench_exit:
	slli	a0, a0, 1
	ori	a0, a0, 1
	la	t0, tohost
	sd	a0, 0(t0)
3:	j	3b

	/*
	 * uint64_t bench_rdtime(void): the time CSR, else the CLINT's mtime
	 * (QEMU's spike machine has no time CSR: rdtime is illegal there),
	 * else ~0. A trap while probing skips the faulting instruction.
	 */
	.globl bench_rdtime
bench_rdtime:
	la	t0, probe_skip
	csrrw	t1, mtvec, t0
	li	a0, -1
	rdtime	a0
	li	t2, -1
	bne	a0, t2, 1f
	li	t0, CLINT_MTIME
	ld	a0, 0(t0)
1:	csrw	mtvec, t1
	ret

	/* uint64_t bench_rdinstret(void): the instret CSR, or ~0 */
	.globl bench_rdinstret
bench_rdinstret:
	la	t0, probe_skip
	csrrw	t1, mtvec, t0
	li	a0, -1
	rdinstret a0
	csrw	mtvec, t1
	ret

	.align 2
probe_skip:
	csrr	t2, mepc
	lhu	t3, 0(t2)
	andi	t3, t3, 3
	li	t4, 3
	addi	t2, t2, 2
	bne	t3, t4, 1f
	addi	t2, t2, 2
1:	csrw	mepc, t2
	mret

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
bench_stack:
	.space 65536
bench_stack_top:
