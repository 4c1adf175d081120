/*
 * RV64C control transfer (unprivileged spec, "C" extension, "Control
 * Transfer Instructions"): C.J, C.JR, C.JALR (links pc + 2 in ra, target
 * read before ra is written), C.BEQZ/C.BNEZ on x8-x15 comparing all 64
 * bits. RV64 has no C.JAL (its encoding is C.ADDIW). Every instruction
 * under test is a c.* mnemonic, so the assembler must emit the 16-bit
 * form.
 */
#include "test.h"

	.option rvc
	/* exact distances, so in-range c.b*z / c.j are never widened */
	.option norelax

TEST_BEGIN
	/* C.J forward and backward */
	CHECK_NUM(1)
	c.j cj_fwd
	j test_fail
cj_fwd:
	CHECK_NUM(2)
	j cj_back_go
cj_back:
	c.j cj_back_done
cj_back_go:
	c.j cj_back
	j test_fail
cj_back_done:

	/* C.JR */
	CHECK_NUM(3)
	la t0, cjr_t
	c.jr t0
	j test_fail
cjr_t:

	/* C.JALR links pc + 2 */
	CHECK_NUM(4)
	la t0, cjalr_t
	c.jalr t0
cjalr_r:
	j test_fail
cjalr_t:
	la t1, cjalr_r
	bne ra, t1, test_fail
	la t2, cjalr_r - 2
	sub t2, ra, t2
	EXPECT(5, t2, 2)

	/* C.JALR with rs1 == ra */
	CHECK_NUM(6)
	la ra, cjalr_t2
	c.jalr ra
cjalr_r2:
	j test_fail
cjalr_t2:
	la t1, cjalr_r2
	bne ra, t1, test_fail

	/* call and C.JR ra return */
	CHECK_NUM(7)
	li a0, 0
	la t0, cfunc
	c.jalr t0
	EXPECT(7, a0, 77)

	j cb_start
test_fail_near:
	j test_fail

	/* C.BEQZ / C.BNEZ taken and not taken */
cb_start:
	CHECK_NUM(10)
	li a0, 0
	c.beqz a0, 3f
	j test_fail
3:	CHECK_NUM(11)
	c.bnez a0, test_fail_near
	CHECK_NUM(12)
	li a1, 0x100000000
	c.beqz a1, test_fail_near
	CHECK_NUM(13)
	c.bnez a1, 3f
	j test_fail
3:	CHECK_NUM(14)
	li s0, 0x8000000000000000
	c.bnez s0, 3f
	j test_fail
3:	CHECK_NUM(15)
	c.beqz s0, test_fail_near
	CHECK_NUM(16)
	li a5, -1
	c.beqz a5, test_fail_near

	/* C.BNEZ backward: a counted loop runs exactly 4 times */
	CHECK_NUM(17)
	li a0, 0
	li a2, 4
3:	addi a0, a0, 1
	c.addi a2, -1
	c.bnez a2, 3b
	EXPECT(17, a0, 4)

	/* C.BEQZ with the largest forward offset, +254 */
	CHECK_NUM(18)
	li a3, 0
cbz_far:
	c.beqz a3, cbz_far_t
	j test_fail
	.fill (254 - 2 - 4) / 2, 2, 0x0001
cbz_far_t:
	la t0, cbz_far
	la t1, cbz_far_t
	sub t1, t1, t0
	EXPECT(19, t1, 254)

	/* C.J over 2000 bytes of c.nop */
	CHECK_NUM(20)
	c.j cj_far_t
	.fill 1000, 2, 0x0001
	j test_fail
cj_far_t:
	j cbz_end

cfunc:
	li a0, 77
	c.jr ra

cbz_end:
TEST_END
