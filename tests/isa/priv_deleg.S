/*
 * Trap delegation and the S-mode views of M-mode CSRs (privileged spec
 * 1.12, 3.1.8, 4.1.1-4.1.3): medeleg routes exceptions from U and S to
 * S-mode (scause, sepc, stval, sstatus.SPP/SPIE/SIE), never those taken
 * in M-mode; SRET returns to U or S by SPP; sstatus shows and writes only
 * the S fields of mstatus; sie/sip are mie/mip masked by mideleg.
 */
#include "priv.h"

/* mark both trap records as empty */
#define CLEAR_RECS                      \
	la t0, priv_mrec;               \
	li t1, -1;                      \
	sd t1, 0(t0);                   \
	la t0, priv_srec;               \
	sd t1, 0(t0)

/* fail check n unless the record at rec holds cause */
#define CHECK_REC(n, rec, cause)        \
	la t0, rec;                     \
	ld t1, 0(t0);                   \
	CHECK(n, t1, cause)

#define SSTATUS_VISIBLE (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | \
	MSTATUS_FS | MSTATUS_SUM | MSTATUS_MXR)
#define M_ONLY (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_TVM | \
	MSTATUS_TW | MSTATUS_TSR)

TEST_BEGIN
	PRIV_INIT
	li a7, 0

	li t0, (1 << CAUSE_ILLEGAL) | (1 << CAUSE_BREAKPOINT) | \
		(1 << CAUSE_LOAD_ACCESS) | (1 << CAUSE_ECALL_U)
	csrw medeleg, t0
	csrr a0, medeleg
	CHECK_MASK(1, a0, 0x1ff, (1 << CAUSE_ILLEGAL) | \
		(1 << CAUSE_BREAKPOINT) | (1 << CAUSE_LOAD_ACCESS) | \
		(1 << CAUSE_ECALL_U))

	/* exceptions in M-mode stay in M-mode whatever medeleg says */
	CLEAR_RECS
	TRAP_INSN(2, CAUSE_ILLEGAL, .2byte 0)
	CHECK_REC(3, priv_mrec, CAUSE_ILLEGAL)
	CHECK_REC(4, priv_srec, -1)
	CLEAR_RECS
	TRAP_INSN(5, CAUSE_BREAKPOINT, ebreak)
	CHECK_REC(6, priv_mrec, CAUSE_BREAKPOINT)
	CHECK_REC(7, priv_srec, -1)

	/* from S-mode, delegated: S handler, SPP = S, SPIE = old SIE (0) */
	ENTER_S
	csrci sstatus, MSTATUS_SIE
	CLEAR_RECS
	/* csrrs a0, mstatus, x0 */
	TRAP_INSN(8, CAUSE_ILLEGAL, csrr a0, mstatus)
	CHECK(9, t4, 0x30002573)
	CHECK_REC(10, priv_srec, CAUSE_ILLEGAL)
	CHECK_REC(11, priv_mrec, -1)
	csrr a0, scause
	CHECK(12, a0, CAUSE_ILLEGAL)
	la t0, priv_srec
	ld a0, 8(t0)
	CHECK_ADDR(13, a0, 7b)
	la t0, priv_srec
	ld a0, 24(t0)
	CHECK_MASK(14, a0, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, \
		MSTATUS_SPP)
	/* SRET went back to S: sstatus is readable without a trap */
	NO_TRAP(15, csrr a0, sstatus)
	/* SRET: SIE = SPIE (0), SPIE = 1, SPP = U */
	CHECK_MASK(16, a0, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, \
		MSTATUS_SPIE)

	/* ecall from S is not delegated: M handler */
	CLEAR_RECS
	TRAP_INSN(17, CAUSE_ECALL_S, ecall)
	CHECK_REC(18, priv_mrec, CAUSE_ECALL_S)
	CHECK_REC(19, priv_srec, -1)

	/* from U-mode with SIE = 1 on the way: SPP = U, SPIE = 1, SIE = 0 */
	li t0, MSTATUS_SPIE
	csrs sstatus, t0
	ENTER_U_FROM_S
	CLEAR_RECS
	TRAP_INSN(20, CAUSE_ILLEGAL, csrr a0, sstatus)
	CHECK(21, t4, 0x10002573)
	CHECK_REC(22, priv_srec, CAUSE_ILLEGAL)
	CHECK_REC(23, priv_mrec, -1)
	la t0, priv_srec
	ld a0, 24(t0)
	CHECK_MASK(24, a0, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, \
		MSTATUS_SPIE)
	ld a0, 8(t0)
	CHECK_ADDR(25, a0, 7b)
	/* SRET went back to U: sstatus still traps */
	TRAP_INSN(26, CAUSE_ILLEGAL, csrr a0, sstatus)
	CHECK_REC(27, priv_srec, CAUSE_ILLEGAL)

	CLEAR_RECS
	TRAP_INSN(28, CAUSE_ECALL_U, ecall)
	CHECK(29, t4, 0)
	CHECK_REC(30, priv_srec, CAUSE_ECALL_U)
	CLEAR_RECS
	TRAP_INSN(31, CAUSE_BREAKPOINT, ebreak)
	CHECK_REC(32, priv_srec, CAUSE_BREAKPOINT)
	CLEAR_RECS
	TRAP_INSN(33, CAUSE_LOAD_ACCESS, lw a0, 0x20(zero))
	CHECK(34, t4, 0x20)
	CHECK_REC(35, priv_srec, CAUSE_LOAD_ACCESS)
	la t0, priv_srec
	ld a0, 16(t0)
	CHECK(36, a0, 0x20)
	/* store access fault is not delegated: M handler */
	CLEAR_RECS
	TRAP_INSN(37, CAUSE_STORE_ACCESS, sw a0, 0x20(zero))
	CHECK(38, t4, 0x20)
	CHECK_REC(39, priv_mrec, CAUSE_STORE_ACCESS)
	CHECK_REC(40, priv_srec, -1)
	la t0, priv_mrec
	ld a0, 24(t0)
	CHECK_MASK(41, a0, MSTATUS_MPP, PRV_U << 11)
	ENTER_M
	csrw medeleg, zero

	/*
	 * sstatus is a view of mstatus: M-only fields are invisible and
	 * writes through sstatus leave them alone (set/clear only, so that
	 * the WARL fields UXL and VS are never written)
	 */
	li t0, M_ONLY
	csrc mstatus, t0
	li t0, MSTATUS_MPIE | (PRV_S << 11) | MSTATUS_TVM | MSTATUS_TW | \
		MSTATUS_TSR
	csrs mstatus, t0
	li t0, M_ONLY | SSTATUS_VISIBLE
	csrc sstatus, t0
	csrr a0, mstatus
	CHECK_MASK(42, a0, M_ONLY | SSTATUS_VISIBLE, \
		MSTATUS_MPIE | (PRV_S << 11) | MSTATUS_TVM | MSTATUS_TW | \
		MSTATUS_TSR)
	csrr a0, sstatus
	CHECK_MASK(43, a0, M_ONLY | SSTATUS_VISIBLE, 0)
	li t0, M_ONLY
	csrc mstatus, t0
	li t0, M_ONLY | SSTATUS_VISIBLE
	csrs sstatus, t0
	csrr a0, mstatus
	CHECK_MASK(44, a0, M_ONLY | SSTATUS_VISIBLE, SSTATUS_VISIBLE)
	li t0, MSTATUS_MIE | MSTATUS_MPIE | (PRV_S << 11) | MSTATUS_TVM | \
		MSTATUS_TW | MSTATUS_TSR
	csrs mstatus, t0
	csrci mstatus, MSTATUS_MIE
	csrr a0, sstatus
	CHECK_MASK(45, a0, M_ONLY | SSTATUS_VISIBLE, SSTATUS_VISIBLE)
	/* SD = 1 (FS dirty), UXL = 2 */
	CHECK_MASK(46, a0, (1 << 63) | (3 << 32), (1 << 63) | (2 << 32))
	/* the S fields written through mstatus show in sstatus */
	li t0, MSTATUS_SUM | MSTATUS_MXR | MSTATUS_SPP | MSTATUS_SIE | \
		MSTATUS_SPIE
	csrc mstatus, t0
	csrr a0, sstatus
	CHECK_MASK(47, a0, SSTATUS_VISIBLE, MSTATUS_FS)
	li t0, M_ONLY
	csrc mstatus, t0

	/* sie/sip with nothing delegated: read-only zero */
	csrw mideleg, zero
	li t0, (1 << IRQ_SSI) | (1 << IRQ_STI) | (1 << IRQ_SEI)
	csrw mie, t0
	csrr a0, sie
	CHECK(48, a0, 0)
	csrw sie, zero
	csrr a0, mie
	CHECK(49, a0, (1 << IRQ_SSI) | (1 << IRQ_STI) | (1 << IRQ_SEI))
	csrsi mip, 1 << IRQ_SSI
	csrr a0, sip
	CHECK(50, a0, 0)
	csrci sip, 1 << IRQ_SSI
	csrr a0, mip
	CHECK_MASK(51, a0, 1 << IRQ_SSI, 1 << IRQ_SSI)
	csrci mip, 1 << IRQ_SSI

	/* delegated: sie aliases mie, sip aliases mip for those bits */
	li t0, (1 << IRQ_SSI) | (1 << IRQ_STI) | (1 << IRQ_SEI)
	csrw mideleg, t0
	csrr a0, mideleg
	CHECK_MASK(52, a0, 0x222, 0x222)
	csrr a0, sie
	CHECK(53, a0, (1 << IRQ_SSI) | (1 << IRQ_STI) | (1 << IRQ_SEI))
	/* M-level enables never show in sie */
	li t0, (1 << IRQ_MSI) | (1 << IRQ_MTI)
	csrs mie, t0
	csrr a0, sie
	CHECK(54, a0, (1 << IRQ_SSI) | (1 << IRQ_STI) | (1 << IRQ_SEI))
	csrw sie, zero
	csrr a0, mie
	CHECK(55, a0, (1 << IRQ_MSI) | (1 << IRQ_MTI))
	csrw mie, zero
	csrsi sie, 1 << IRQ_SSI
	csrr a0, mie
	CHECK(56, a0, 1 << IRQ_SSI)
	csrw mie, zero

	/* SSIP set in mip shows in sip and can be cleared from S */
	csrsi mip, 1 << IRQ_SSI
	csrr a0, sip
	CHECK(57, a0, 1 << IRQ_SSI)
	ENTER_S
	csrr a0, sip
	CHECK(58, a0, 1 << IRQ_SSI)
	csrci sip, 1 << IRQ_SSI
	csrr a0, sip
	CHECK(59, a0, 0)
	csrsi sip, 1 << IRQ_SSI
	csrr a0, sip
	CHECK(60, a0, 1 << IRQ_SSI)
	csrci sip, 1 << IRQ_SSI
	/* mip/mie/mideleg are out of reach from S */
	TRAP_INSN(61, CAUSE_ILLEGAL, csrr a0, mip)
	TRAP_INSN(62, CAUSE_ILLEGAL, csrw mideleg, zero)
	ENTER_M
	csrr a0, mip
	CHECK_MASK(63, a0, 1 << IRQ_SSI, 0)
	csrw mideleg, zero
TEST_END
