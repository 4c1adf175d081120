/*
 * Writes to read-only CSRs through CSRRS/CSRRC (unprivileged spec,
 * Zicsr "CSR Instructions"; privileged spec 1.12, 2.1): with rs1 != x0
 * the instruction writes the CSR even when the register holds 0, so on a
 * read-only CSR it raises an illegal instruction exception. With rs1 = x0
 * (or uimm = 0 for the immediate forms) there is no write and no trap.
 *
 * QEMU 7.2 deviates, so this file fails there: it decides by the value
 * written (0) instead of by the rs1 field and does not trap.
 */
#include "priv.h"

TEST_BEGIN
	PRIV_INIT

	li a1, 0
	/* csrrs a0, mhartid, a1 */
	TRAP_INSN(1, CAUSE_ILLEGAL, csrrs a0, mhartid, a1)
	CHECK(2, t4, 0xf145a573)
	/* csrrc a0, cycle, a1 */
	TRAP_INSN(3, CAUSE_ILLEGAL, csrrc a0, cycle, a1)
	CHECK(4, t4, 0xc005b573)
	NO_TRAP(5, csrrs a0, mhartid, zero; csrrci a0, mhartid, 0)
	CHECK(6, a0, 0)
TEST_END
