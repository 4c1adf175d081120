/*
 * Locked PMP entries (privileged spec 1.12, 3.7.1.2): with L set an
 * entry also restricts M-mode, and its pmpcfg byte and pmpaddr register
 * ignore writes until reset; for a locked TOR entry the pmpaddr of the
 * entry below is locked too. Unlocked bytes of the same pmpcfg register
 * stay writable.
 *
 * Regions (in pmp_area): entry 0 the word at +0, NA4, L|R; entry 1
 * [+0x100, +0x200) NAPOT, L with no access; entry 3 [+0x200, +0x300)
 * TOR, L|R; entry 15 everything RWX.
 */
#include "priv.h"

#define CFG0 ((PMP_L | PMP_NA4 | PMP_R) | (PMP_L | PMP_NAPOT) << 8 | \
	(PMP_L | PMP_TOR | PMP_R) << 24)
#define CFG2_ALL ((PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 56)

TEST_BEGIN
	PRIV_INIT
	li a7, 0

	la s0, pmp_area
	srli s1, s0, 2
	csrw pmpaddr0, s1
	addi t0, s1, 0x100 >> 2
	ori t0, t0, (0x100 >> 3) - 1
	csrw pmpaddr1, t0
	addi t0, s1, 0x200 >> 2
	csrw pmpaddr2, t0
	addi t0, s1, 0x300 >> 2
	csrw pmpaddr3, t0
	li t0, -1
	csrw pmpaddr15, t0
	li t0, CFG2_ALL
	csrw pmpcfg2, t0
	li t0, CFG0
	csrw pmpcfg0, t0
	csrr a0, pmpcfg0
	CHECK(1, a0, CFG0)
	sfence.vma

	/* M-mode: the locked read-only word */
	NO_TRAP(2, lw a0, 0(s0))
	CHECK(3, a0, 0x05060708)
	TRAP_INSN(4, CAUSE_STORE_ACCESS, sw a0, 0(s0))
	CHECK_REG(5, t4, s0)
	NO_TRAP(6, sw a0, 4(s0))
	/* M-mode: the locked no-access region */
	addi s2, s0, 0x100
	TRAP_INSN(7, CAUSE_LOAD_ACCESS, ld a0, 0(s2))
	CHECK_REG(8, t4, s2)
	TRAP_INSN(9, CAUSE_STORE_ACCESS, sd a0, 0xf8(s2))
	CHECK_NUM(10)
	EXPECT_TRAP_AT(1f)
	jalr ra, 0(s2)
1:	CHECK(11, t3, CAUSE_FETCH_ACCESS)
	CHECK_REG(12, t4, s2)
	/* M-mode: the locked TOR region */
	addi s2, s0, 0x200
	NO_TRAP(13, ld a0, 0(s2))
	TRAP_INSN(14, CAUSE_STORE_ACCESS, sd a0, 0x80(s2))

	/* S-mode gets the same */
	ENTER_S
	NO_TRAP(15, lw a0, 0(s0))
	TRAP_INSN(16, CAUSE_STORE_ACCESS, sw a0, 0(s0))
	addi s2, s0, 0x100
	TRAP_INSN(17, CAUSE_LOAD_ACCESS, ld a0, 0(s2))
	ENTER_M

	/* locked pmpaddr registers ignore writes */
	addi t0, s1, 0x40
	csrw pmpaddr0, t0
	csrr a0, pmpaddr0
	CHECK_REG(18, a0, s1)
	csrw pmpaddr1, zero
	csrr a0, pmpaddr1
	addi t0, s1, 0x100 >> 2
	ori t0, t0, (0x100 >> 3) - 1
	CHECK_REG(19, a0, t0)
	/* pmpaddr2 is locked by the TOR entry 3 above it */
	csrw pmpaddr2, zero
	csrr a0, pmpaddr2
	addi t0, s1, 0x200 >> 2
	CHECK_REG(20, a0, t0)
	csrw pmpaddr3, zero
	csrr a0, pmpaddr3
	addi t0, s1, 0x300 >> 2
	CHECK_REG(21, a0, t0)
	/* locked cfg bytes ignore writes; the unlocked byte 2 takes one */
	li t0, (PMP_NAPOT | PMP_R) << 16
	csrw pmpcfg0, t0
	csrr a0, pmpcfg0
	CHECK(22, a0, CFG0 | (PMP_NAPOT | PMP_R) << 16)
	csrw pmpcfg0, zero
	csrr a0, pmpcfg0
	CHECK(23, a0, CFG0)
	/* the lock still holds */
	TRAP_INSN(24, CAUSE_STORE_ACCESS, sw a0, 0(s0))
	/* an unlocked entry still changes */
	li t0, 0x12345
	csrw pmpaddr5, t0
	csrr a0, pmpaddr5
	CHECK(25, a0, 0x12345)
TEST_END

	.data
	.align 12
pmp_area:
	.dword 0x0102030405060708
	.zero 0x1000 - 8
