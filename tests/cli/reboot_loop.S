/* A guest that asks for a reset (sifive_test at 0x100000, FINISH_RESET
 * 0x7777) as its first act, so gasang reloads it again and again: a stop
 * from the host must still end it (tests/cli/reboot.sh). */
	.text
	.globl _start
_start:
	li	t0, 0x100000
	li	t1, 0x7777
	sw	t1, 0(t0)
1:	j	1b
