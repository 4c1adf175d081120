/*
 * Physical memory protection without locking (privileged spec 1.12,
 * 3.7): TOR, NA4 and NAPOT regions restrict S- and U-mode loads, stores
 * and fetches with access faults (5/7/1, mtval = the address); the
 * lowest-numbered matching entry decides; an S/U access that matches no
 * entry fails while M-mode is unaffected (also through MPRV, which
 * applies the MPP mode's checks).
 *
 * Regions (in pmp_area): A = [+0x000, +0x100) TOR read-only; B = the
 * word at +0x200, NA4, no access; C = [+0x400, +0x500) NAPOT read/write;
 * the page pmp_code NAPOT read-only; entry 15 everything RWX.
 */
#include "priv.h"

#define CFG0 ((PMP_TOR | PMP_R) << 8 | PMP_NA4 << 16 | \
	(PMP_NAPOT | PMP_R | PMP_W) << 24 | (PMP_NAPOT | PMP_R) << 32)
#define CFG2_ALL ((PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 56)
#define CFG2_LOW ((PMP_TOR | PMP_R | PMP_W | PMP_X) << 48)

TEST_BEGIN
	PRIV_INIT
	li a7, 0

	la s0, pmp_area
	srli t0, s0, 2
	csrw pmpaddr0, t0
	addi t0, t0, 0x100 >> 2
	csrw pmpaddr1, t0
	addi t0, s0, 0x200
	srli t0, t0, 2
	csrw pmpaddr2, t0
	addi t0, s0, 0x400
	srli t0, t0, 2
	ori t0, t0, (0x100 >> 3) - 1
	csrw pmpaddr3, t0
	la t0, pmp_code
	srli t0, t0, 2
	ori t0, t0, (0x1000 >> 3) - 1
	csrw pmpaddr4, t0
	li t0, -1
	csrw pmpaddr15, t0
	li t0, CFG2_ALL
	csrw pmpcfg2, t0
	li t0, CFG0
	csrw pmpcfg0, t0
	csrr a0, pmpcfg0
	CHECK(1, a0, CFG0)
	sfence.vma

	/* M-mode is not restricted by unlocked entries */
	NO_TRAP(2, ld a0, 0(s0); sd a0, 8(s0); lw a0, 0x200(s0); \
		sw a0, 0x200(s0))
	la s1, pmp_code
	NO_TRAP(3, jalr ra, 0(s1))

	ENTER_S
	/* TOR read-only */
	NO_TRAP(4, ld a0, 0(s0); ld a0, 0xf8(s0))
	CHECK(5, a0, 0x0102030405060708)
	addi s2, s0, 0x10
	TRAP_INSN(6, CAUSE_STORE_ACCESS, sd a0, 0(s2))
	CHECK_REG(7, t4, s2)
	/* just past the TOR top: entry 15 */
	NO_TRAP(8, sd a0, 0x100(s0))
	/* NA4: only that word */
	addi s2, s0, 0x200
	TRAP_INSN(9, CAUSE_LOAD_ACCESS, lw a0, 0(s2))
	CHECK_REG(10, t4, s2)
	TRAP_INSN(11, CAUSE_STORE_ACCESS, sw a0, 0(s2))
	CHECK_REG(12, t4, s2)
	NO_TRAP(13, lw a0, 4(s2); lw a0, -4(s2))
	/* NAPOT 256 bytes read/write, no execute */
	addi s2, s0, 0x400
	NO_TRAP(14, sd a0, 0(s2); ld a0, 0xf8(s2))
	CHECK_NUM(15)
	EXPECT_TRAP_AT(1f)
	jalr ra, 0(s2)
1:	CHECK(16, t3, CAUSE_FETCH_ACCESS)
	CHECK_REG(17, s11, s2)
	CHECK_REG(18, t4, s2)
	/* code page readable but not executable */
	NO_TRAP(19, lw a0, 0(s1))
	CHECK_NUM(20)
	EXPECT_TRAP_AT(1f)
	jalr ra, 0(s1)
1:	CHECK(21, t3, CAUSE_FETCH_ACCESS)
	CHECK_REG(22, t4, s1)
	ENTER_M

	/* U-mode: the same rules */
	ENTER_U
	NO_TRAP(23, ld a0, 0(s0))
	TRAP_INSN(24, CAUSE_STORE_ACCESS, sd a0, 0(s0))
	CHECK_REG(25, t4, s0)
	addi s2, s0, 0x200
	TRAP_INSN(26, CAUSE_LOAD_ACCESS, lw a0, 0(s2))
	CHECK_NUM(27)
	EXPECT_TRAP_AT(1f)
	jalr ra, 0(s1)
1:	CHECK(28, t3, CAUSE_FETCH_ACCESS)
	ENTER_M

	/* MPRV with MPP = U: M-mode loads get U's PMP checks */
	li t0, MSTATUS_MPP
	csrc mstatus, t0
	li t0, MSTATUS_MPRV
	csrs mstatus, t0
	addi s2, s0, 0x200
	TRAP_INSN(29, CAUSE_LOAD_ACCESS, lw a0, 0(s2))
	CHECK_REG(30, t4, s2)
	/* (the trap left MPP = U again) */
	TRAP_INSN(31, CAUSE_STORE_ACCESS, sd a0, 0(s0))
	li t0, MSTATUS_MPP
	csrs mstatus, t0
	NO_TRAP(32, lw a0, 0(s2); sd a0, 0(s0))
	li t0, MSTATUS_MPRV
	csrc mstatus, t0

	/*
	 * No matching entry: entry 15 off, entry 14 TOR [0, pmp_area) RWX
	 * keeps the code reachable; S/U fail above it, M does not.
	 */
	csrw pmpaddr13, zero
	srli t0, s0, 2
	csrw pmpaddr14, t0
	li t0, CFG2_LOW
	csrw pmpcfg2, t0
	sfence.vma
	li t0, 0x800
	add s2, s0, t0
	NO_TRAP(33, ld a0, 0(s2); sd a0, 8(s2))
	ENTER_S
	TRAP_INSN(34, CAUSE_LOAD_ACCESS, ld a0, 0(s2))
	CHECK_REG(35, t4, s2)
	TRAP_INSN(36, CAUSE_STORE_ACCESS, sd a0, 0(s2))
	CHECK_REG(37, t4, s2)
	CHECK_NUM(38)
	EXPECT_TRAP_AT(1f)
	jalr ra, 0(s2)
1:	CHECK(39, t3, CAUSE_FETCH_ACCESS)
	ENTER_M
	ENTER_U
	TRAP_INSN(40, CAUSE_LOAD_ACCESS, ld a0, 0(s2))
	ENTER_M

	li t0, CFG2_ALL
	csrw pmpcfg2, t0
	csrw pmpcfg0, zero
	sfence.vma
TEST_END

	.text
	.align 12
pmp_code:
	li a0, 42
	ret
	.align 12

	.data
	.align 12
pmp_area:
	.dword 0x0102030405060708
	.zero 0xf0
	.dword 0x0102030405060708
	.zero 0x1000 - 0x100
