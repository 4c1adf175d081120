/*
 * Trap entry (privileged spec 1.12, 3.1.6-3.1.16, 3.3): ECALL from M/S/U,
 * EBREAK, illegal instructions with mtval = the instruction bits, access
 * faults at an unmapped physical address, misaligned LR/SC/AMO, JALR and
 * branch targets with the C extension; mepc, mcause, mtval and the
 * mstatus MPP/MPIE/MIE stack on entry and on MRET.
 */
#include "priv.h"

TEST_BEGIN
	PRIV_INIT

	/* ECALL from M: cause 11, mtval 0, mepc = the ecall */
	li a7, 0
	TRAP_INSN(1, CAUSE_ECALL_M, ecall)
	CHECK(2, t4, 0)

	/* mstatus on entry: MPP = M, MPIE = old MIE, MIE = 0 */
	li t0, MSTATUS_MPP | MSTATUS_MPIE
	csrc mstatus, t0
	csrsi mstatus, MSTATUS_MIE
	TRAP_INSN(3, CAUSE_ECALL_M, ecall)
	la t0, priv_mrec
	ld a0, 24(t0)
	CHECK_MASK(4, a0, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE, \
		MSTATUS_MPP | MSTATUS_MPIE)
	/* after MRET: MIE = MPIE (1), MPIE = 1, MPP = U (least privileged) */
	csrr a0, mstatus
	CHECK_MASK(5, a0, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE, \
		MSTATUS_MPIE | MSTATUS_MIE)
	csrci mstatus, MSTATUS_MIE

	/* EBREAK: cause 3, mtval 0 or the pc (1.12 allows both) */
	TRAP_INSN(6, CAUSE_BREAKPOINT, .option push; .option norvc; \
		ebreak; .option pop)
	beqz t4, 1f
	CHECK_ADDR(7, t4, 7b)
1:
	/* C.EBREAK: mepc points at the 16-bit instruction */
	TRAP_INSN(8, CAUSE_BREAKPOINT, c.ebreak)
	beqz t4, 1f
	CHECK_ADDR(9, t4, 7b)
1:

	/* illegal instructions: mtval = the instruction bits */
	/* a write to read-only mhartid (csrrw x0, mhartid, x0) */
	TRAP_INSN(10, CAUSE_ILLEGAL, csrw mhartid, zero)
	CHECK(11, t4, 0xf1401073)
	/* csrrs with rs1 != x0 holding 0: see priv_csr_ro_write.S */
	/* reads with rs1 = x0 / uimm = 0 do not write: no trap */
	NO_TRAP(14, csrrs a0, mhartid, zero; csrrsi a0, mhartid, 0; \
		csrrc a0, mhartid, zero)
	CHECK(15, a0, 0)
	/* a write to read-only cycle (csrrw x0, cycle, a0) */
	TRAP_INSN(16, CAUSE_ILLEGAL, csrw cycle, a0)
	CHECK(17, t4, 0xc0051073)
	/* an unallocated CSR number (csrrs a0, 0x0ff, x0) */
	TRAP_INSN(18, CAUSE_ILLEGAL, csrr a0, 0x0ff)
	CHECK(19, t4, 0x0ff02573)
	/* all-zero 16-bit instruction: mtval holds its 16 bits, 0 */
	li t4, -1
	TRAP_INSN(20, CAUSE_ILLEGAL, .2byte 0x0000)
	CHECK(21, t4, 0)
	/* C.ADDI4SPN with nzuimm = 0 is reserved: only 16 bits in mtval */
	TRAP_INSN(22, CAUSE_ILLEGAL, .2byte 0x0004)
	CHECK(23, t4, 0x0004)
	/* a reserved 32-bit major opcode (0b1101011) */
	TRAP_INSN(24, CAUSE_ILLEGAL, .4byte 0x1234506b)
	CHECK(25, t4, 0x1234506b)

	/* ECALL and higher-privilege CSRs from S-mode */
	ENTER_S
	li a7, 0
	TRAP_INSN(26, CAUSE_ECALL_S, ecall)
	CHECK(27, t4, 0)
	la t0, priv_mrec
	ld a0, 24(t0)
	CHECK_MASK(28, a0, MSTATUS_MPP, PRV_S << 11)
	/* csrrs a0, mstatus, x0 */
	TRAP_INSN(29, CAUSE_ILLEGAL, csrr a0, mstatus)
	CHECK(30, t4, 0x30002573)
	/* csrrw x0, mscratch, a0 */
	TRAP_INSN(31, CAUSE_ILLEGAL, csrw mscratch, a0)
	CHECK(32, t4, 0x34051073)
	NO_TRAP(33, csrr a0, sstatus)
	ENTER_M
	csrr a0, mstatus
	CHECK_MASK(34, a0, MSTATUS_MPP, 0)

	/* ECALL and higher-privilege CSRs from U-mode */
	ENTER_U
	li a7, 0
	TRAP_INSN(35, CAUSE_ECALL_U, ecall)
	CHECK(36, t4, 0)
	/* csrrs a0, sstatus, x0 */
	TRAP_INSN(37, CAUSE_ILLEGAL, csrr a0, sstatus)
	CHECK(38, t4, 0x10002573)
	/* csrrs a0, mhartid, x0 */
	TRAP_INSN(39, CAUSE_ILLEGAL, csrr a0, mhartid)
	CHECK(40, t4, 0xf1402573)
	ENTER_M
	la t0, priv_mrec
	ld a0, 24(t0)
	CHECK_MASK(41, a0, MSTATUS_MPP, PRV_U << 11)

	/* JALR clears bit 0 of the target: no misaligned fetch with C */
	CHECK_NUM(42)
	la a0, jalr_target
	addi a0, a0, 1
	jalr ra, 0(a0)
	j priv_fail
jalr_target:
	CHECK_NUM(43)
	la a0, jalr_target2
	jalr ra, 1(a0)
	j priv_fail
jalr_target2:

	/* a branch or JAL to a target that is only 2-byte aligned is fine */
	CHECK_NUM(44)
	.option push
	.option norvc
	.align 2
	beq zero, zero, half_target
	.2byte 0x0000		/* illegal if not skipped */
half_target:
	jal zero, half_target2
	j priv_fail
half_target2:
	.option pop
	la a0, half_target
	andi a0, a0, 3
	CHECK(45, a0, 2)
	la a0, half_target2
	andi a0, a0, 3
	CHECK(46, a0, 2)

	/* access faults at an unmapped physical address: mtval = address */
	TRAP_INSN(47, CAUSE_LOAD_ACCESS, ld a0, 0(zero))
	CHECK(48, t4, 0)
	TRAP_INSN(49, CAUSE_LOAD_ACCESS, lw a0, 16(zero))
	CHECK(50, t4, 16)
	TRAP_INSN(51, CAUSE_STORE_ACCESS, sd a0, 8(zero))
	CHECK(52, t4, 8)
	/* an AMO there: see priv_amo_faults.S */
	/* fetch from address 0: mepc = mtval = 0 */
	CHECK_NUM(55)
	EXPECT_TRAP_AT(1f)
	jalr ra, 0(zero)
1:	CHECK(56, t3, CAUSE_FETCH_ACCESS)
	CHECK(57, s11, 0)
	CHECK(58, t4, 0)

	/*
	 * misaligned LR traps as a load (4); misaligned SC and AMOs: see
	 * priv_amo_faults.S
	 */
	la a2, amo_data + 2
	TRAP_INSN(63, CAUSE_MISALIGNED_LOAD, lr.w a0, (a2))
	CHECK_ADDR(64, t4, amo_data + 2)
	la a2, amo_data + 4
	TRAP_INSN(65, CAUSE_MISALIGNED_LOAD, lr.d a0, (a2))
	CHECK_ADDR(66, t4, amo_data + 4)
	/* the faulting AMO did not write */
	la a2, amo_data
	ld a0, 0(a2)
	CHECK(69, a0, 0x1122334455667788)
TEST_END

	.data
	.align 3
amo_data:
	.dword 0x1122334455667788
	.dword 0
