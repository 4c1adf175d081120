/*
 * Mixed 16/32-bit code (unprivileged spec, "C" extension: with C,
 * IALIGN = 16, so 32-bit instructions may start at any 2-byte boundary
 * and may span a page boundary). Checks 32-bit instructions at addresses
 * 2 mod 4 (ALU, load, store, branch, JAL/JALR links and targets), and
 * 32-bit instructions starting at page offset 0xffe, reached both by
 * falling through and by a jump. Each layout assumption is checked at
 * run time too.
 */
#include "test.h"

	.option rvc
	.option norelax

/* 32-bit encodings regardless of the rvc setting */
#define BEGIN32 .option push; .option norvc
#define END32 .option pop

/* fail check n unless (label & mask) == val */
#define EXPECT_ADDR(n, label, mask, val) \
	CHECK_NUM(n);           \
	la t0, label;           \
	li t1, mask;            \
	and t0, t0, t1;         \
	EXPECT(n, t0, val)

TEST_BEGIN
	/* ALU, load and store at 2 mod 4 */
	CHECK_NUM(1)
	.balign 4
	c.nop
mix_alu:
	BEGIN32
	lui a0, 0x12345
	addi a0, a0, 0x678
	END32
	EXPECT(1, a0, 0x12345678)
	EXPECT_ADDR(2, mix_alu, 3, 2)

	CHECK_NUM(3)
	la a1, mix_data
	.balign 4
	c.nop
mix_mem:
	BEGIN32
	ld a0, 0(a1)
	sw a0, 8(a1)
	lw a2, 8(a1)
	END32
	EXPECT(3, a0, 0x0123456789abcdef)
	EXPECT(4, a2, 0xffffffff89abcdef)
	EXPECT_ADDR(5, mix_mem, 3, 2)

	/* a 32-bit branch at 2 mod 4 to a target at 2 mod 4 */
	CHECK_NUM(6)
	li a0, 1
	.balign 4
	c.nop
mix_br:
	BEGIN32
	bne a0, x0, mix_br_t
	jal x0, test_fail
	END32
	.balign 4
	c.nop
mix_br_t:
	EXPECT_ADDR(7, mix_br, 3, 2)
	EXPECT_ADDR(8, mix_br_t, 3, 2)

	/* JAL at 2 mod 4: link = pc + 4, also 2 mod 4 */
	CHECK_NUM(9)
	.balign 4
	c.nop
mix_jal:
	BEGIN32
	jal t3, mix_jal_t
	END32
mix_jal_r:
	j test_fail
mix_jal_t:
	la t1, mix_jal_r
	bne t3, t1, test_fail
	EXPECT_ADDR(10, mix_jal, 3, 2)
	CHECK_NUM(11)
	andi t3, t3, 3
	EXPECT(11, t3, 2)

	/* JALR to a target at 2 mod 4, from 2 mod 4 */
	CHECK_NUM(12)
	la t0, mix_jalr_t
	.balign 4
	c.nop
mix_jalr:
	BEGIN32
	jalr t4, 0(t0)
	END32
mix_jalr_r:
	j test_fail
	.balign 4
	c.nop
mix_jalr_t:
	la t1, mix_jalr_r
	bne t4, t1, test_fail
	EXPECT_ADDR(13, mix_jalr_t, 3, 2)
	EXPECT_ADDR(14, mix_jalr, 3, 2)

	/* C.JALR from 0 mod 4: link = pc + 2 */
	CHECK_NUM(15)
	la t0, mix_cjalr_t
	.balign 4
	c.jalr t0
mix_cjalr_r:
	j test_fail
mix_cjalr_t:
	la t1, mix_cjalr_r
	bne ra, t1, test_fail
	EXPECT_ADDR(16, mix_cjalr_r, 3, 2)

	/* fall through into a 32-bit instruction at page offset 0xffe */
	CHECK_NUM(20)
	li a0, 0
	j cross1_entry
	.balign 4096
	.skip 4096 - 4
cross1_entry:
	c.nop
cross1:
	BEGIN32
	lui a0, 0xabcde
	END32
	c.addi a0, 1
	EXPECT(20, a0, 0xffffffffabcde001)
	EXPECT_ADDR(21, cross1, 0xfff, 0xffe)

	/* jump straight to a 32-bit JAL at page offset 0xffe */
	CHECK_NUM(22)
	la t0, cross2
	jr t0
cross2_back:
	la t1, cross2 + 4
	bne t2, t1, test_fail
	EXPECT_ADDR(23, cross2, 0xfff, 0xffe)
	j cross3_go

	.balign 4096
	.skip 4096 - 2
cross2:
	BEGIN32
	jal t2, cross2_back
	END32

	/* a 32-bit load spanning a page boundary, then a 32-bit branch */
cross3_go:
	CHECK_NUM(24)
	la a1, mix_data
	li a3, 5
	j cross3_entry
	.balign 4096
	.skip 4096 - 6
cross3_entry:
	c.nop
	c.nop
cross3:
	BEGIN32
	ld a0, 0(a1)
	END32
	c.nop
cross4:
	BEGIN32
	bge a3, x0, cross4_t
	END32
	j test_fail
cross4_t:
	EXPECT(24, a0, 0x0123456789abcdef)
	EXPECT_ADDR(25, cross3, 0xfff, 0xffe)
TEST_END

	.data
	.balign 8
mix_data:
	.dword 0x0123456789abcdef
	.dword 0
