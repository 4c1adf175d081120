/*
 * The time CSR and its gates (privileged spec 1.12, 3.1.11-3.1.12,
 * 4.1.5; Zicntr): M-mode reads time; S-mode needs mcounteren.TM, U-mode
 * also scounteren.TM, else an illegal instruction exception with
 * mtval = the instruction bits. time counts up.
 *
 * QEMU's spike board does not provide the time CSR (reads of it trap
 * even in M-mode), so this file fails there; it passes on QEMU's virt
 * board, whose ACLINT timer backs the time CSR, as gasang's board does.
 */
#include "priv.h"

TEST_BEGIN
	PRIV_INIT
	li a7, 0

	csrw mcounteren, zero
	csrw scounteren, zero
	NO_TRAP(1, rdtime s0)
	/* time advances: wait until it changes (bounded) */
	li s2, 1000000
1:	rdtime s1
	bne s1, s0, 2f
	addi s2, s2, -1
	bnez s2, 1b
	CHECK(2, s2, 1)
2:	sltu a0, s0, s1
	CHECK(3, a0, 1)

	ENTER_S
	TRAP_INSN(4, CAUSE_ILLEGAL, rdtime a0)
	CHECK(5, t4, 0xc0102573)
	ENTER_M
	/* mcounteren.CY|IR without TM: time still traps in S */
	csrwi mcounteren, 5
	ENTER_S
	TRAP_INSN(6, CAUSE_ILLEGAL, rdtime a0)
	ENTER_M
	csrwi mcounteren, 2
	ENTER_S
	NO_TRAP(7, rdtime a0)
	ENTER_U_FROM_S
	TRAP_INSN(8, CAUSE_ILLEGAL, rdtime a0)
	CHECK(9, t4, 0xc0102573)
	ENTER_M
	csrwi scounteren, 2
	ENTER_U
	NO_TRAP(10, rdtime a0)
	ENTER_M
	csrwi mcounteren, 0
	ENTER_U
	TRAP_INSN(11, CAUSE_ILLEGAL, rdtime a0)
	ENTER_M
	csrwi scounteren, 0
TEST_END
