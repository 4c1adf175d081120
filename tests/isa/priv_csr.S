/*
 * CSR fields whose values the privileged spec 1.12 fixes for an RV64GC
 * hart with S and U modes (3.1.1-3.1.7, 3.1.14, 4.1.11): misa, UXL and
 * SXL, MPP holding 0, 1 and 3, mtvec MODE (0 or 1),
 * satp ignoring writes of an unsupported MODE, and
 * mstatus.FS turning the FPU off and tracking dirty state with SD.
 */
#include "priv.h"

#define MISA_EXT(c) (1 << ((c) - 'A'))

TEST_BEGIN
	PRIV_INIT
	li a7, 0

	/* misa: MXL = 2 (64-bit) and IMAFDC, S and U present, no E */
	csrr a0, misa
	srli a1, a0, 62
	CHECK(1, a1, 2)
	CHECK_MASK(2, a0, MISA_EXT('I') | MISA_EXT('M') | MISA_EXT('A') | \
		MISA_EXT('F') | MISA_EXT('D') | MISA_EXT('C') | \
		MISA_EXT('S') | MISA_EXT('U') | MISA_EXT('E'), \
		MISA_EXT('I') | MISA_EXT('M') | MISA_EXT('A') | \
		MISA_EXT('F') | MISA_EXT('D') | MISA_EXT('C') | \
		MISA_EXT('S') | MISA_EXT('U'))

	/* mstatus.UXL = SXL = 2; sstatus.UXL = 2 */
	csrr a0, mstatus
	srli a1, a0, 32
	andi a1, a1, 0xf
	CHECK(3, a1, 0xa)
	csrr a0, sstatus
	srli a1, a0, 32
	andi a1, a1, 3
	CHECK(4, a1, 2)

	csrr a0, mhartid
	CHECK(5, a0, 0)

	/* MPP holds 0, 1 and 3 ... */
	li s0, MSTATUS_MPP
	csrc mstatus, s0
	csrr a0, mstatus
	CHECK_MASK(6, a0, MSTATUS_MPP, 0)
	li t0, PRV_S << 11
	csrs mstatus, t0
	csrr a0, mstatus
	CHECK_MASK(7, a0, MSTATUS_MPP, PRV_S << 11)
	csrs mstatus, s0
	csrr a0, mstatus
	CHECK_MASK(8, a0, MSTATUS_MPP, PRV_M << 11)
	/* the reserved value 2: priv_mpp_warl.S */
	csrc mstatus, s0

	/* mtvec MODE: 0 and 1 hold, 2 and 3 are reserved */
	csrr s1, mtvec
	la t0, vec_base
	ori t0, t0, 1
	csrw mtvec, t0
	csrr a0, mtvec
	CHECK_REG(10, a0, t0)
	la t0, vec_base
	ori t0, t0, 2
	csrw mtvec, t0
	csrr a0, mtvec
	andi a0, a0, 3
	sltiu a0, a0, 2
	CHECK(11, a0, 1)
	csrw mtvec, s1
	csrr a0, mtvec
	CHECK_REG(12, a0, s1)
	csrr s1, stvec
	la t0, vec_base
	ori t0, t0, 1
	csrw stvec, t0
	csrr a0, stvec
	CHECK_REG(13, a0, t0)
	csrw stvec, s1

	/* mepc/sepc bit 0: priv_epc_align.S */

	/* scratch registers hold 64 bits */
	li t0, 0xfedcba9876543210
	csrw mscratch, t0
	csrr a0, mscratch
	CHECK_REG(16, a0, t0)
	csrw sscratch, t0
	csrr a0, sscratch
	CHECK_REG(17, a0, t0)

	/* satp: a write with an unsupported MODE has no effect at all */
	csrw satp, zero
	li t0, (1 << 60) | 0x1234
	csrw satp, t0
	csrr a0, satp
	CHECK(18, a0, 0)
	li t0, (11 << 60) | 0x1234	/* Sv64: not implemented */
	csrw satp, t0
	csrr a0, satp
	CHECK(19, a0, 0)
	li t0, SATP_SV39 | 0x1234
	csrw satp, t0
	csrr a0, satp
	CHECK_REG(20, a0, t0)
	li t1, (15 << 60) | 0x4321
	csrw satp, t1
	csrr a0, satp
	CHECK_REG(21, a0, t0)
	csrw satp, zero

	/* FS = Off: FP instructions and fcsr are illegal */
	li s0, MSTATUS_FS
	csrc mstatus, s0
	TRAP_INSN(22, CAUSE_ILLEGAL, fmv.x.d a0, f0)
	CHECK(23, t4, 0xe2000553)
	TRAP_INSN(24, CAUSE_ILLEGAL, csrr a0, fcsr)
	csrr a0, mstatus
	srli a0, a0, 63
	CHECK(25, a0, 0)
	/* FS = Initial: an FP write makes it Dirty, and SD = 1 */
	li t0, 1 << 13
	csrs mstatus, t0
	li a1, 0x4000000000000000
	NO_TRAP(26, fmv.d.x f1, a1)
	csrr a0, mstatus
	CHECK_MASK(27, a0, MSTATUS_FS, MSTATUS_FS)
	srli a0, a0, 63
	CHECK(28, a0, 1)
TEST_END

	.align 8
vec_base:
	j priv_fail
