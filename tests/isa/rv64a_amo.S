/*
 * RV64A atomic memory operations (unprivileged spec, "A" extension,
 * "Atomic Memory Operations"): rd gets the old memory value (sign-extended
 * from 32 bits for the .W forms), memory gets op(old, rs2). The .W forms
 * use only the low 32 bits of rs2 and leave the other word of the
 * doubleword untouched; MIN/MAX compare signed, MINU/MAXU unsigned, on 32
 * bits for .W. The aq/rl bits do not change the result on one hart.
 *
 * The .W checks run on the low word of amo_buf with SENT in the high word.
 */
#include "test.h"

	.option norvc

#define SENT 0x5a5a5a5a00000000
#define MIN64 0x8000000000000000
#define MAX64 0x7fffffffffffffff

/* operand patterns for the logic AMOs */
#define PA 0xff00ff00ff00ff00
#define PB 0x0ff00ff00ff00ff0

/* 32-bit AMO on the low word; mem and exp_mem are 32-bit values */
#define TEST_AMO_W(n, op, mem, src, exp_rd, exp_mem) \
	CHECK_NUM(n);           \
	la a3, amo_buf;         \
	li t0, SENT | (mem);    \
	sd t0, 0(a3);           \
	li a2, src;             \
	op a0, a2, (a3);        \
	EXPECT(n, a0, exp_rd);  \
	ld a0, 0(a3);           \
	EXPECT(n, a0, SENT | (exp_mem))

#define TEST_AMO_D(n, op, mem, src, exp_rd, exp_mem) \
	CHECK_NUM(n);           \
	la a3, amo_buf;         \
	li t0, mem;             \
	sd t0, 0(a3);           \
	li a2, src;             \
	op a0, a2, (a3);        \
	EXPECT(n, a0, exp_rd);  \
	ld a0, 0(a3);           \
	EXPECT(n, a0, exp_mem)

TEST_BEGIN
	TEST_AMO_W(1, amoswap.w, 0x80000000, 0x123456787fffffff,
		   0xffffffff80000000, 0x7fffffff)
	TEST_AMO_W(2, amoadd.w, 0x7fffffff, 1, 0x7fffffff, 0x80000000)
	TEST_AMO_W(3, amoadd.w, 0xffffffff, 1, -1, 0)
	TEST_AMO_W(4, amoadd.w, 0x00000010, 0xffffffff00000001, 0x10, 0x11)
	TEST_AMO_W(5, amoand.w, 0xff00ff00, 0x0ff00ff0, 0xffffffffff00ff00,
		   0x0f000f00)
	TEST_AMO_W(6, amoor.w, 0xff00ff00, 0x0ff00ff0, 0xffffffffff00ff00,
		   0xfff0fff0)
	TEST_AMO_W(7, amoxor.w, 0xff00ff00, 0x0ff00ff0, 0xffffffffff00ff00,
		   0xf0f0f0f0)
	TEST_AMO_W(8, amoxor.w, 0x00000001, -1, 1, 0xfffffffe)

	TEST_AMO_W(10, amomin.w, 0x80000000, 1, 0xffffffff80000000, 0x80000000)
	TEST_AMO_W(11, amomin.w, 1, 0xffffffff, 1, 0xffffffff)
	TEST_AMO_W(12, amomin.w, 0x7fffffff, 0x80000000, 0x7fffffff, 0x80000000)
	TEST_AMO_W(13, amomin.w, 5, 0x0000000100000003, 5, 3)
	TEST_AMO_W(14, amomax.w, 0x80000000, 1, 0xffffffff80000000, 1)
	TEST_AMO_W(15, amomax.w, 0x7fffffff, 0x80000000, 0x7fffffff, 0x7fffffff)
	TEST_AMO_W(16, amomax.w, 0xffffffff, 0xfffffffe, -1, 0xffffffff)
	TEST_AMO_W(17, amomax.w, 2, 0xffffffff00000001, 2, 2)

	TEST_AMO_W(20, amominu.w, 0x80000000, 1, 0xffffffff80000000, 1)
	TEST_AMO_W(21, amominu.w, 0xffffffff, 0, -1, 0)
	TEST_AMO_W(22, amominu.w, 2, 0xffffffff00000001, 2, 1)
	TEST_AMO_W(23, amomaxu.w, 0x80000000, 1, 0xffffffff80000000, 0x80000000)
	TEST_AMO_W(24, amomaxu.w, 1, 0xffffffff, 1, 0xffffffff)
	TEST_AMO_W(25, amomaxu.w, 2, 0xffffffff00000001, 2, 2)

	TEST_AMO_D(30, amoswap.d, MIN64, 1, MIN64, 1)
	TEST_AMO_D(31, amoadd.d, MAX64, 1, MAX64, MIN64)
	TEST_AMO_D(32, amoadd.d, 0xffffffff, 1, 0xffffffff, 0x100000000)
	TEST_AMO_D(33, amoand.d, PA, PB, PA, 0x0f000f000f000f00)
	TEST_AMO_D(34, amoor.d, PA, PB, PA, 0xfff0fff0fff0fff0)
	TEST_AMO_D(35, amoxor.d, PA, PB, PA, 0xf0f0f0f0f0f0f0f0)

	TEST_AMO_D(40, amomin.d, -1, 0, -1, -1)
	TEST_AMO_D(41, amomin.d, MIN64, MAX64, MIN64, MIN64)
	TEST_AMO_D(42, amomin.d, 0xffffffff, 0x100000000, 0xffffffff,
		   0xffffffff)
	TEST_AMO_D(43, amomax.d, -1, 0, -1, 0)
	TEST_AMO_D(44, amomax.d, MIN64, MAX64, MIN64, MAX64)
	TEST_AMO_D(45, amominu.d, -1, 0, -1, 0)
	TEST_AMO_D(46, amominu.d, MIN64, MAX64, MIN64, MAX64)
	TEST_AMO_D(47, amomaxu.d, -1, 0, -1, -1)
	TEST_AMO_D(48, amomaxu.d, MAX64, MIN64, MAX64, MIN64)

	/* aq, rl and aqrl forms */
	TEST_AMO_W(50, amoadd.w.aq, 1, 2, 1, 3)
	TEST_AMO_W(51, amoadd.w.rl, 1, 2, 1, 3)
	TEST_AMO_W(52, amoadd.w.aqrl, 1, 2, 1, 3)
	TEST_AMO_D(53, amoswap.d.aq, 7, 8, 7, 8)
	TEST_AMO_D(54, amoor.d.rl, 7, 8, 7, 15)
	TEST_AMO_D(55, amomaxu.d.aqrl, 7, 8, 7, 8)
	TEST_AMO_W(56, amominu.w.aqrl, 7, 8, 7, 7)
	TEST_AMO_D(57, amoand.d.aq, 7, 8, 7, 0)

	/* .W on the high word of a doubleword leaves the low word alone */
	CHECK_NUM(60)
	la a3, amo_buf
	li t0, 0x80000000cafef00d
	sd t0, 0(a3)
	addi a4, a3, 4
	li a2, 1
	amoadd.w a0, a2, (a4)
	EXPECT(60, a0, 0xffffffff80000000)
	ld a0, 0(a3)
	EXPECT(61, a0, 0x80000001cafef00d)

	/* rd == x0: memory is still updated */
	CHECK_NUM(62)
	li t0, 40
	sd t0, 0(a3)
	li a2, 2
	amoadd.d x0, a2, (a3)
	ld a0, 0(a3)
	EXPECT(62, a0, 42)

	/* rd == rs2: rd gets the old value, memory the old rs2 */
	CHECK_NUM(63)
	li t0, 0x1111
	sd t0, 0(a3)
	li a2, 0x2222
	amoswap.d a2, a2, (a3)
	EXPECT(63, a2, 0x1111)
	ld a0, 0(a3)
	EXPECT(64, a0, 0x2222)
TEST_END

	.data
	.balign 8
amo_buf:
	.dword 0
