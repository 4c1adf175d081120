/* A RISC-V ELF at the start of RAM whose segment is 2 MiB long (mostly
 * zero-filled): with --memory 1M the loader must refuse it. */
	.text
	.globl _start
_start:
	j	_start
	.bss
	.space	2 << 20
