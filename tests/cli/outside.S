/* A well-formed RISC-V ELF whose only segment lies outside guest RAM
 * (linked at 0x1000 by the Makefile): the loader must refuse it. */
	.text
	.globl _start
_start:
	j	_start
