/*
 * RV64C loads and stores (unprivileged spec, "C" extension, "Load and
 * Store Instructions"): C.LW/C.LD/C.SW/C.SD with x8-x15 base and zero-
 * extended scaled offsets (up to 124 / 248), and the sp-based
 * C.LWSP/C.LDSP/C.SWSP/C.SDSP (up to 252 / 504). C.LW and C.LWSP
 * sign-extend. Every instruction under test is a c.* mnemonic, so the
 * assembler must emit the 16-bit form.
 */
#include "test.h"

	.option rvc

/* fail check n unless the doubleword at c_store + off equals val */
#define EXPECT_ST(n, off, val)  \
	la t0, c_store;         \
	ld a5, off(t0);         \
	EXPECT(n, a5, val)

TEST_BEGIN
	CHECK_NUM(1)
	la a1, c_data
	c.lw a0, 0(a1)
	EXPECT(1, a0, 0xffffffffb4a59687)
	CHECK_NUM(2)
	c.lw a0, 4(a1)
	EXPECT(2, a0, 0xfffffffff0e1d2c3)
	CHECK_NUM(3)
	c.lw a0, 124(a1)
	EXPECT(3, a0, 0xffffffff80000001)
	CHECK_NUM(4)
	c.ld a0, 0(a1)
	EXPECT(4, a0, 0xf0e1d2c3b4a59687)
	CHECK_NUM(5)
	c.ld a0, 248(a1)
	EXPECT(5, a0, 0x8877665544332211)
	/* rd == rs1 */
	CHECK_NUM(6)
	mv a2, a1
	c.ld a2, 8(a2)
	EXPECT(6, a2, 0x1111111111111111)

	CHECK_NUM(10)
	la a1, c_store
	li a2, 0xdeadbeef87654321
	c.sw a2, 0(a1)
	EXPECT_ST(10, 0, 0x87654321)
	CHECK_NUM(11)
	li a2, 0xcafe
	c.sw a2, 124(a1)
	EXPECT_ST(11, 120, 0x0000cafe00000000)
	CHECK_NUM(12)
	li a2, 0x0123456789abcdef
	c.sd a2, 248(a1)
	EXPECT_ST(12, 248, 0x0123456789abcdef)
	CHECK_NUM(13)
	li a2, -2
	c.sd a2, 8(a1)
	EXPECT_ST(13, 8, -2)
	EXPECT_ST(14, 0, 0x87654321)

	/* sp-relative forms, with sp pointing at the data */
	mv s11, sp
	CHECK_NUM(20)
	la sp, c_data
	c.lwsp a0, 0(sp)
	EXPECT(20, a0, 0xffffffffb4a59687)
	CHECK_NUM(21)
	c.lwsp a0, 252(sp)
	EXPECT(21, a0, 0xffffffff88776655)
	CHECK_NUM(22)
	c.lwsp t3, 124(sp)
	EXPECT(22, t3, 0xffffffff80000001)
	CHECK_NUM(23)
	c.ldsp a0, 504(sp)
	EXPECT(23, a0, 0x0123456789abcdef)
	CHECK_NUM(24)
	c.ldsp s10, 248(sp)
	EXPECT(24, s10, 0x8877665544332211)
	CHECK_NUM(25)
	c.ldsp a0, 0(sp)
	EXPECT(25, a0, 0xf0e1d2c3b4a59687)

	CHECK_NUM(30)
	la sp, c_store
	li a2, 0x5555555580000000
	c.swsp a2, 252(sp)
	EXPECT_ST(30, 248, 0x8000000089abcdef)
	CHECK_NUM(31)
	li t4, 0x8877665544332211
	c.sdsp t4, 504(sp)
	EXPECT_ST(31, 504, 0x8877665544332211)
	CHECK_NUM(32)
	li a2, 0x1234
	c.swsp a2, 16(sp)
	c.sdsp a2, 24(sp)
	EXPECT_ST(32, 16, 0x1234)
	EXPECT_ST(33, 24, 0x1234)
	mv sp, s11
TEST_END

	.data
	.balign 8
c_data:
	.dword 0xf0e1d2c3b4a59687
	.dword 0x1111111111111111
	.skip 124 - 16
	.word 0x80000001
	.skip 248 - 128
	.dword 0x8877665544332211
	.skip 504 - 256
	.dword 0x0123456789abcdef
	.balign 8
c_store:
	.skip 512
