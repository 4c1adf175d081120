/*
 * D: sign injection, fmin/fmax (-0 < +0, NaN rules of F 2.2), feq
 * (quiet) and flt/fle (signalling), fclass, fmv.x.d / fmv.d.x (raw 64-bit
 * transfers), the dynamic rounding mode, and illegal-instruction traps for
 * reserved rounding modes (11.2), including the exact conversions
 * fcvt.d.w, fcvt.d.wu and fcvt.d.s whose rm field must still be valid, and
 * for mstatus.FS off.
 */
#include "fp.h"

#define ONE 0x3ff0000000000000
#define MONE 0xbff0000000000000
#define TWO 0x4000000000000000
#define MTWO 0xc000000000000000
#define THREE 0x4008000000000000
#define QNAN 0x7ff8000000000000
#define SNAN 0x7ff0000000000001
#define INF 0x7ff0000000000000
#define NINF 0xfff0000000000000
#define NZERO 0x8000000000000000

TEST_BEGIN
	TEST_D_RR_F(1, fsgnj.d, MONE, 0, ONE, MTWO)
	TEST_D_RR_F(2, fsgnjn.d, ONE, 0, ONE, MTWO)
	TEST_D_RR_F(3, fsgnjx.d, ONE, 0, MONE, MTWO)
	TEST_D_RR_F(4, fsgnjx.d, MONE, 0, ONE, MTWO)
	TEST_D_RR_F(5, fsgnj.d, 0xfff8000000012345, 0, 0x7ff8000000012345, MONE)
	TEST_D_RR_F(6, fsgnjn.d, 0xfff0000000000001, 0, SNAN, ONE)
	/* D ops see a boxed single as a NaN bit pattern, unchanged */
	TEST_D_RR_F(7, fsgnjx.d, 0x7fffffff3f800000, 0, 0xffffffff3f800000, \
		MONE)
	TEST_D_RR_F(10, fmin.d, NZERO, 0, NZERO, 0)
	TEST_D_RR_F(11, fmin.d, NZERO, 0, 0, NZERO)
	TEST_D_RR_F(12, fmax.d, 0, 0, NZERO, 0)
	TEST_D_RR_F(13, fmax.d, 0, 0, 0, NZERO)
	TEST_D_RR_F(14, fmin.d, ONE, 0, QNAN, ONE)
	TEST_D_RR_F(15, fmax.d, ONE, 0, ONE, 0xfff8000000000001)
	TEST_D_RR_F(16, fmax.d, ONE, 0x10, SNAN, ONE)
	TEST_D_RR_F(17, fmin.d, QNAN, 0, 0x7ff8000000000001, 0xfff8000000000002)
	TEST_D_RR_F(18, fmax.d, QNAN, 0x10, QNAN, SNAN)
	TEST_D_RR_F(19, fmax.d, INF, 0, INF, 0x7fefffffffffffff)
	TEST_D_RR_F(20, fmin.d, 1, 0, 2, 1)
	TEST_D_RR_F(21, fmin.d, MTWO, 0, MONE, MTWO)
	TEST_D_RR_F(22, fmax.d, MONE, 0, MONE, MTWO)
	TEST_D_CMP(30, feq.d, 1, 0, ONE, ONE)
	TEST_D_CMP(31, feq.d, 0, 0, QNAN, ONE)
	TEST_D_CMP(32, feq.d, 0, 0x10, ONE, SNAN)
	TEST_D_CMP(33, feq.d, 1, 0, NZERO, 0)
	TEST_D_CMP(34, flt.d, 0, 0x10, QNAN, ONE)
	TEST_D_CMP(35, flt.d, 1, 0, MONE, ONE)
	TEST_D_CMP(36, flt.d, 0, 0, NZERO, 0)
	TEST_D_CMP(37, flt.d, 1, 0, NINF, 0xffefffffffffffff)
	TEST_D_CMP(38, fle.d, 1, 0, 0, NZERO)
	TEST_D_CMP(39, fle.d, 0, 0, TWO, ONE)
	TEST_D_CMP(40, fle.d, 0, 0x10, ONE, QNAN)
	TEST_D_CMP(41, fle.d, 1, 0, NINF, NINF)
	TEST_D_CMP(42, flt.d, 1, 0, 1, 2)
	TEST_D_CMP(43, flt.d, 0, 0, 2, 1)
	TEST_D_TOX(50, fclass.d, 0x001, NINF)
	TEST_D_TOX(51, fclass.d, 0x002, MONE)
	TEST_D_TOX(52, fclass.d, 0x004, 0x800fffffffffffff)
	TEST_D_TOX(53, fclass.d, 0x008, NZERO)
	TEST_D_TOX(54, fclass.d, 0x010, 0)
	TEST_D_TOX(55, fclass.d, 0x020, 1)
	TEST_D_TOX(56, fclass.d, 0x040, 0x0010000000000000)
	TEST_D_TOX(57, fclass.d, 0x080, INF)
	TEST_D_TOX(58, fclass.d, 0x100, SNAN)
	TEST_D_TOX(59, fclass.d, 0x200, QNAN)
	TEST_D_TOX(60, fclass.d, 0x200, 0xffffffff3f800000)
	TEST_D_TOX(61, fclass.d, 0x100, 0xfff7ffffffffffff)
	/* fmv.x.d / fmv.d.x move all 64 bits unchanged */
	TEST_D_TOX(70, fmv.x.d, 0x7ff0000000000001, SNAN)
	TEST_D_TOX(71, fmv.x.d, 0x123456789abcdef0, 0x123456789abcdef0)
	TEST_D_RR_DYN(100, fadd.d, 0, ONE, 0x01, ONE, 0x3ca0000000000000)
	TEST_D_RR_DYN(101, fadd.d, 1, ONE, 0x01, ONE, 0x3ca0000000000000)
	TEST_D_RR_DYN(102, fadd.d, 2, ONE, 0x01, ONE, 0x3ca0000000000000)
	TEST_D_RR_DYN(103, fadd.d, 3, 0x3ff0000000000001, 0x01, ONE, \
		0x3ca0000000000000)
	TEST_D_RR_DYN(104, fadd.d, 4, 0x3ff0000000000001, 0x01, ONE, \
		0x3ca0000000000000)
	TEST_D_RR_DYN(105, fsub.d, 0, MONE, 0x01, MONE, 0x3ca0000000000000)
	TEST_D_RR_DYN(106, fsub.d, 1, MONE, 0x01, MONE, 0x3ca0000000000000)
	TEST_D_RR_DYN(107, fsub.d, 2, 0xbff0000000000001, 0x01, MONE, \
		0x3ca0000000000000)
	TEST_D_RR_DYN(108, fsub.d, 3, MONE, 0x01, MONE, 0x3ca0000000000000)
	TEST_D_RR_DYN(109, fsub.d, 4, 0xbff0000000000001, 0x01, MONE, \
		0x3ca0000000000000)
	TEST_D_RR_DYN(110, fdiv.d, 3, 0x3fd5555555555556, 0x01, ONE, THREE)
	TEST_D_RR_DYN(111, fmul.d, 2, 0x7fefffffffffffff, 0x05, \
		0x7fefffffffffffff, TWO)
	fsrmi zero, 4
	TEST_D_TOINT(112, fcvt.l.d, dyn, -3, 0x01, 0xc004000000000000)
	TEST_D_FROMINT(113, fcvt.d.l, dyn, 0x4340000000000001, 0x01, \
		9007199254740993)
	TEST_D_RRR(114, fmadd.d, dyn, 0x3ff0000000000001, 0x01, ONE, ONE, \
		0x3ca0000000000000)
	fsrmi zero, 1
	TEST_D_R(115, fsqrt.d, dyn, 0x3ff6a09e667f3bcc, 0x01, TWO)
	fsrmi zero, 0
	/* reserved rounding modes */
	LOAD_D(ft0, ONE)
	LOAD_D(ft1, TWO)
	LOAD_D(ft2, ONE)
	li a0, 1
	TEST_ILLEGAL(130, .insn r 0x53, 5, 0x01, ft3, ft0, ft1)
	TEST_ILLEGAL(131, .insn r 0x53, 6, 0x0d, ft3, ft0, ft1)
	TEST_ILLEGAL(132, .insn r4 0x4f, 5, 1, ft3, ft0, ft1, ft2)
	TEST_ILLEGAL(133, .insn r 0x53, 5, 0x2d, ft3, ft0, f0)
	TEST_ILLEGAL(134, .insn r 0x53, 6, 0x61, a1, ft0, x2)
	/* fcvt.d.w, fcvt.d.wu and fcvt.d.s are exact but check rm too */
	TEST_ILLEGAL(135, .insn r 0x53, 5, 0x69, ft3, a0, x0)
	TEST_ILLEGAL(136, .insn r 0x53, 6, 0x69, ft3, a0, x1)
	TEST_ILLEGAL(137, .insn r 0x53, 5, 0x21, ft3, ft0, f0)
	TEST_ILLEGAL(138, .insn r 0x53, 5, 0x20, ft3, ft0, f1)
	TEST_LEGAL(139, .insn r 0x53, 4, 0x69, ft3, a0, x0)
	TEST_LEGAL(140, .insn r 0x53, 1, 0x21, ft3, ft0, f0)
	fsrmi zero, 5
	TEST_ILLEGAL(141, fadd.d ft3, ft0, ft1, dyn)
	TEST_ILLEGAL(142, .insn r 0x53, 7, 0x69, ft3, a0, x0)
	TEST_ILLEGAL(143, .insn r 0x53, 7, 0x21, ft3, ft0, f0)
	TEST_LEGAL(144, fsgnjx.d ft3, ft0, ft1)
	TEST_LEGAL(145, fmax.d ft3, ft0, ft1)
	TEST_LEGAL(146, fle.d a1, ft0, ft1)
	TEST_LEGAL(147, fclass.d a1, ft0)
	TEST_LEGAL(148, fmv.x.d a1, ft0)
	TEST_LEGAL(149, fmv.d.x ft3, a0)
	fsrmi zero, 7
	TEST_ILLEGAL(150, fcvt.lu.d a1, ft0, dyn)
	fsrmi zero, 0
	fsflags zero
	li t0, (3 << 13)
	csrc mstatus, t0
	TEST_ILLEGAL(160, fadd.d ft3, ft0, ft1)
	TEST_ILLEGAL(161, fmv.x.d a1, ft0)
	TEST_ILLEGAL(162, fcvt.d.w ft3, a0)
	TEST_ILLEGAL(163, fclass.d a1, ft0)
	li t0, (1 << 13)
	csrs mstatus, t0
	TEST_LEGAL(164, fadd.d ft3, ft0, ft1)
TEST_END

FP_TRAP_HANDLER
