/*
 * Faults of AMOs and SC (privileged spec 1.12, 3.1.15 Table 3.6; A
 * extension "Atomic Memory Operations"): they are reported as store/AMO
 * exceptions. A misaligned AMO or SC raises store/AMO address misaligned
 * (6), an AMO at an unmapped address a store/AMO access fault (7) and
 * an AMO on an invalid page a store/AMO page fault (15), with mtval =
 * the address; the memory is left unchanged. LR faults as a load.
 *
 * QEMU 7.2 deviates, so this file fails there: it reports a misaligned
 * AMO as a load address misaligned (4) and an AMO access fault as a load
 * access fault (5) and an AMO page fault as a load page fault (13), and
 * an SC without a reservation fails without the alignment check.
 * Expected values here follow the spec.
 */
#include "priv.h"

TEST_BEGIN
	PRIV_INIT

	la a2, amo_data + 2
	TRAP_INSN(1, CAUSE_MISALIGNED_STORE, amoadd.w a0, a1, (a2))
	CHECK_ADDR(2, t4, amo_data + 2)
	la a2, amo_data + 4
	TRAP_INSN(3, CAUSE_MISALIGNED_STORE, amoswap.d a0, a1, (a2))
	CHECK_ADDR(4, t4, amo_data + 4)
	la a2, amo_data + 1
	TRAP_INSN(5, CAUSE_MISALIGNED_STORE, sc.w a0, a1, (a2))
	CHECK_ADDR(6, t4, amo_data + 1)
	la a2, amo_data + 4
	TRAP_INSN(7, CAUSE_MISALIGNED_STORE, sc.d a0, a1, (a2))
	CHECK_ADDR(8, t4, amo_data + 4)
	la a2, amo_data
	ld a0, 0(a2)
	CHECK(9, a0, 0x1122334455667788)

	li a2, 0x40
	TRAP_INSN(10, CAUSE_STORE_ACCESS, amoadd.w a0, a1, (a2))
	CHECK(11, t4, 0x40)
	TRAP_INSN(12, CAUSE_STORE_ACCESS, amoor.d a0, a1, (a2))
	CHECK(13, t4, 0x40)

	/* Sv39, only the gigapage at PA 0x80000000 mapped; VA 0x1000 is not */
	li a0, 0x80000000
	PTE_SET(pt_root, 2, a0, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
	SATP_SET(SATP_SV39, pt_root)
	ENTER_S
	li a2, 0x1000
	TRAP_INSN(14, CAUSE_STORE_PAGE, amoadd.w a0, a1, (a2))
	CHECK(15, t4, 0x1000)
	TRAP_INSN(16, CAUSE_STORE_PAGE, amoswap.d a0, a1, (a2))
	CHECK(17, t4, 0x1000)
	TRAP_INSN(18, CAUSE_LOAD_PAGE, lr.d a0, (a2))
	CHECK(19, t4, 0x1000)
	ENTER_M
	csrw satp, zero
	sfence.vma
TEST_END

	.data
	.align 3
amo_data:
	.dword 0x1122334455667788
	.dword 0
	.align 12
pt_root:
	.zero 4096
