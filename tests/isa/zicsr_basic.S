/*
 * Zicsr instruction semantics (unprivileged spec, "Zicsr" chapter) on
 * mscratch, a plain 64-bit read/write M-mode CSR: CSRRW/CSRRS/CSRRC and
 * the immediate forms return the old value in rd and write the new one;
 * CSRRS/CSRRC with rs1 = x0 and CSRRSI/CSRRCI with uimm = 0 do not
 * write; uimm is a zero-extended 5-bit value; with rd = x0 nothing is
 * read into a register but the write still happens. Then the Zicntr
 * counters cycle and instret must increase between two reads.
 *
 * time: the privileged spec lets an implementation trap reads of time so
 * M-mode can emulate it, and QEMU 7.2's spike machine does (illegal
 * instruction). So a trap on rdtime is accepted; when it does not trap,
 * time must not decrease and must advance within a bounded loop.
 */
#include "test.h"

	.option norvc

/* fail check n unless mscratch == val */
#define EXPECT_MS(n, val)       \
	csrr a5, mscratch;      \
	EXPECT(n, a5, val)

TEST_BEGIN
	CHECK_NUM(1)
	li a1, 0x0123456789abcdef
	csrw mscratch, a1
	EXPECT_MS(1, 0x0123456789abcdef)

	CHECK_NUM(2)
	li a2, -1
	csrrw a0, mscratch, a2
	EXPECT(2, a0, 0x0123456789abcdef)
	EXPECT_MS(3, -1)

	CHECK_NUM(4)
	li a1, 0xff00
	csrrc a0, mscratch, a1
	EXPECT(4, a0, -1)
	EXPECT_MS(5, 0xffffffffffff00ff)

	CHECK_NUM(6)
	li a1, 0x0f00
	csrrs a0, mscratch, a1
	EXPECT(6, a0, 0xffffffffffff00ff)
	EXPECT_MS(7, 0xffffffffffff0fff)

	/* rs1 = x0: read only */
	CHECK_NUM(8)
	csrrs a0, mscratch, x0
	EXPECT(8, a0, 0xffffffffffff0fff)
	EXPECT_MS(9, 0xffffffffffff0fff)
	CHECK_NUM(10)
	csrrc a0, mscratch, x0
	EXPECT(10, a0, 0xffffffffffff0fff)
	EXPECT_MS(11, 0xffffffffffff0fff)

	/* rd = x0: write only */
	CHECK_NUM(12)
	li a1, 0x55
	csrrw x0, mscratch, a1
	EXPECT_MS(12, 0x55)
	CHECK_NUM(13)
	li a1, 0x100
	csrrs x0, mscratch, a1
	EXPECT_MS(13, 0x155)
	CHECK_NUM(14)
	li a1, 0x5
	csrrc x0, mscratch, a1
	EXPECT_MS(14, 0x150)

	/* immediate forms: 5-bit zero-extended uimm */
	CHECK_NUM(20)
	csrrwi a0, mscratch, 31
	EXPECT(20, a0, 0x150)
	EXPECT_MS(21, 31)
	CHECK_NUM(22)
	csrrci a0, mscratch, 0x11
	EXPECT(22, a0, 31)
	EXPECT_MS(23, 0x0e)
	CHECK_NUM(24)
	csrrsi a0, mscratch, 0x10
	EXPECT(24, a0, 0x0e)
	EXPECT_MS(25, 0x1e)
	CHECK_NUM(26)
	csrrsi a0, mscratch, 0
	EXPECT(26, a0, 0x1e)
	EXPECT_MS(27, 0x1e)
	CHECK_NUM(28)
	csrrci a0, mscratch, 0
	EXPECT(28, a0, 0x1e)
	EXPECT_MS(29, 0x1e)
	CHECK_NUM(30)
	li a1, -1
	csrw mscratch, a1
	csrrwi x0, mscratch, 16
	EXPECT_MS(30, 16)
	CHECK_NUM(31)
	csrrwi a0, mscratch, 0
	EXPECT(31, a0, 16)
	EXPECT_MS(32, 0)
	CHECK_NUM(33)
	csrsi mscratch, 0x1f
	csrci mscratch, 0x3
	EXPECT_MS(33, 0x1c)

	/* rd == rs1: the old value of rs1 is the one written */
	CHECK_NUM(40)
	li a1, 0x2222
	csrw mscratch, a1
	li a0, 0x1111
	csrrw a0, mscratch, a0
	EXPECT(40, a0, 0x2222)
	EXPECT_MS(41, 0x1111)
	CHECK_NUM(42)
	li a0, 0x2222
	csrrs a0, mscratch, a0
	EXPECT(42, a0, 0x1111)
	EXPECT_MS(43, 0x3333)
	CHECK_NUM(44)
	li a0, 0x1010
	csrrc a0, mscratch, a0
	EXPECT(44, a0, 0x3333)
	EXPECT_MS(45, 0x2323)

	/* cycle and instret increase */
	CHECK_NUM(50)
	rdcycle a0
	li t0, 100
3:	addi t0, t0, -1
	bnez t0, 3b
	rdcycle a1
	bgeu a0, a1, test_fail
	CHECK_NUM(51)
	rdinstret a0
	li t0, 100
3:	addi t0, t0, -1
	bnez t0, 3b
	rdinstret a1
	bgeu a0, a1, test_fail

	/* time: a trap is allowed (see top); otherwise it advances */
	CHECK_NUM(52)
	csrr s2, mtvec
	la t0, time_trap
	csrw mtvec, t0
	li s3, 0
	rdtime a0
	bnez s3, time_done
	CHECK_NUM(53)
	li t0, 10000000
3:	rdtime a1
	bltu a1, a0, test_fail
	bne a1, a0, time_done
	addi t0, t0, -1
	bnez t0, 3b
	j test_fail

	.balign 4
time_trap:
	csrr t1, mcause
	li t2, 2
	bne t1, t2, test_fail
	li s3, 1
	csrr t1, mepc
	addi t1, t1, 4
	csrw mepc, t1
	mret

time_done:
	csrw mtvec, s2
TEST_END
