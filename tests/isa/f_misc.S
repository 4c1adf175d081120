/*
 * F: sign injection, fmin/fmax (F 2.2: -0 < +0, a single NaN operand
 * gives the other, two NaNs the canonical NaN, sNaN raises NV), feq
 * (quiet) and flt/fle (signalling), fclass, fmv.x.w (sign-extends the low
 * 32 bits, boxed or not: a transfer, 12.2) and fmv.w.x (boxes), NaN-boxing
 * of operands (an improperly boxed single is the canonical NaN), the
 * dynamic rounding mode, accrual of fflags, and illegal-instruction traps
 * for reserved rounding modes (11.2) and for mstatus.FS off.
 */
#include "fp.h"

#define ONE 0x3f800000
#define MONE 0xbf800000
#define TWO 0x40000000
#define MTWO 0xc0000000
#define QNAN 0x7fc00000
#define SNAN 0x7f800001
#define INF 0x7f800000
#define NINF 0xff800000
#define P2_5 0x40200000

TEST_BEGIN
	/* sign injection never canonicalizes and never raises flags */
	TEST_S_RR_F(1, fsgnj.s, MONE, 0, ONE, MTWO)
	TEST_S_RR_F(2, fsgnjn.s, ONE, 0, ONE, MTWO)
	TEST_S_RR_F(3, fsgnjx.s, ONE, 0, MONE, MTWO)
	TEST_S_RR_F(4, fsgnjx.s, MONE, 0, ONE, MTWO)
	TEST_S_RR_F(5, fsgnj.s, 0xffc12345, 0, 0x7fc12345, MONE)
	TEST_S_RR_F(6, fsgnjn.s, SNAN, 0, SNAN, MONE)
	/* fmin / fmax */
	TEST_S_RR_F(10, fmin.s, 0x80000000, 0, 0x80000000, 0x00000000)
	TEST_S_RR_F(11, fmin.s, 0x80000000, 0, 0x00000000, 0x80000000)
	TEST_S_RR_F(12, fmax.s, 0x00000000, 0, 0x80000000, 0x00000000)
	TEST_S_RR_F(13, fmax.s, 0x00000000, 0, 0x00000000, 0x80000000)
	TEST_S_RR_F(14, fmin.s, ONE, 0, QNAN, ONE)
	TEST_S_RR_F(15, fmax.s, ONE, 0, ONE, 0xffc00001)
	TEST_S_RR_F(16, fmin.s, ONE, 0x10, SNAN, ONE)
	TEST_S_RR_F(17, fmax.s, QNAN, 0, 0x7fc00001, 0xffc00002)
	TEST_S_RR_F(18, fmin.s, QNAN, 0x10, SNAN, QNAN)
	TEST_S_RR_F(19, fmin.s, NINF, 0, NINF, 0x40a00000)
	TEST_S_RR_F(20, fmax.s, 0x40400000, 0, TWO, 0x40400000)
	TEST_S_RR_F(21, fmin.s, 0x00000001, 0, 0x00000002, 0x00000001)
	TEST_S_RR_F(22, fmin.s, MTWO, 0, MONE, MTWO)
	TEST_S_RR_F(23, fmax.s, MONE, 0, MONE, MTWO)
	/* compares */
	TEST_S_CMP(30, feq.s, 1, 0, ONE, ONE)
	TEST_S_CMP(31, feq.s, 0, 0, QNAN, ONE)
	TEST_S_CMP(32, feq.s, 0, 0x10, SNAN, ONE)
	TEST_S_CMP(33, feq.s, 1, 0, 0x80000000, 0x00000000)
	TEST_S_CMP(34, feq.s, 0, 0, QNAN, QNAN)
	TEST_S_CMP(35, flt.s, 0, 0x10, QNAN, ONE)
	TEST_S_CMP(36, flt.s, 1, 0, MONE, ONE)
	TEST_S_CMP(37, flt.s, 0, 0, 0x80000000, 0x00000000)
	TEST_S_CMP(38, flt.s, 1, 0, NINF, 0xff7fffff)
	TEST_S_CMP(39, flt.s, 0, 0, ONE, ONE)
	TEST_S_CMP(40, fle.s, 1, 0, 0x80000000, 0x00000000)
	TEST_S_CMP(41, fle.s, 0, 0, TWO, ONE)
	TEST_S_CMP(42, fle.s, 0, 0x10, ONE, QNAN)
	TEST_S_CMP(43, fle.s, 1, 0, INF, INF)
	TEST_S_CMP(44, flt.s, 1, 0, MTWO, MONE)
	TEST_S_CMP(45, fle.s, 0, 0x10, SNAN, SNAN)
	/* fclass */
	TEST_S_TOX(50, fclass.s, 0x001, NINF)
	TEST_S_TOX(51, fclass.s, 0x002, MONE)
	TEST_S_TOX(52, fclass.s, 0x004, 0x807fffff)
	TEST_S_TOX(53, fclass.s, 0x008, 0x80000000)
	TEST_S_TOX(54, fclass.s, 0x010, 0x00000000)
	TEST_S_TOX(55, fclass.s, 0x020, 0x00000001)
	TEST_S_TOX(56, fclass.s, 0x040, 0x7f7fffff)
	TEST_S_TOX(57, fclass.s, 0x080, INF)
	TEST_S_TOX(58, fclass.s, 0x100, SNAN)
	TEST_S_TOX(59, fclass.s, 0x200, QNAN)
	TEST_S_TOX(60, fclass.s, 0x100, 0xffbfffff)
	TEST_S_TOX(61, fclass.s, 0x040, 0x00800000)
	/* fmv.x.w sign-extends; NaN payloads pass unchanged */
	TEST_S_TOX(70, fmv.x.w, 0xffffffffbf800000, MONE)
	TEST_S_TOX(71, fmv.x.w, 0x7fc00001, 0x7fc00001)
	TEST_S_TOX(72, fmv.x.w, 0xffffffffff800001, 0xff800001)
	CHECK_NUM(73)
	li t0, 0x1234567880000001
	fmv.w.x ft3, t0
	fmv.x.d a0, ft3
	CHECK_X(73, 0xffffffff80000001, 0)
	/* results of single ops are NaN-boxed */
	CHECK_NUM(74)
	LOAD_S(ft0, ONE)
	LOAD_S(ft1, TWO)
	fadd.s ft3, ft0, ft1
	fmv.x.d a0, ft3
	CHECK_X(74, 0xffffffff40400000, 0)
	/* improperly boxed operands are the canonical NaN */
	CHECK_NUM(80)
	LOAD_RAW(ft0, 0x000000003f800000)
	LOAD_S(ft1, ONE)
	fadd.s ft3, ft0, ft1
	CHECK_S(80, QNAN, 0)
	CHECK_NUM(81)
	fclass.s a0, ft0
	CHECK_X(81, 0x200, 0)
	CHECK_NUM(82)
	fsgnj.s ft3, ft0, ft1
	CHECK_S(82, QNAN, 0)
	CHECK_NUM(83)
	fsgnjn.s ft3, ft0, ft1
	CHECK_S(83, 0xffc00000, 0)
	CHECK_NUM(84)
	fmin.s ft3, ft0, ft1
	CHECK_S(84, ONE, 0)
	CHECK_NUM(85)
	feq.s a0, ft0, ft0
	CHECK_X(85, 0, 0)
	CHECK_NUM(86)
	fcvt.d.s ft3, ft0
	CHECK_D(86, 0x7ff8000000000000, 0)
	CHECK_NUM(87)
	fcvt.w.s a0, ft0, rtz
	CHECK_X(87, 0x7fffffff, 0x10)
	CHECK_NUM(88)
	LOAD_RAW(ft0, 0xfffffffebf800000)
	fmadd.s ft3, ft1, ft1, ft0
	CHECK_S(88, QNAN, 0)
	CHECK_NUM(89)
	flt.s a0, ft1, ft0
	CHECK_X(89, 0, 0x10)
	/* fmv.x.w is a transfer: the low 32 bits, boxed or not */
	CHECK_NUM(90)
	LOAD_RAW(ft0, 0x00000000bf800000)
	fmv.x.w a0, ft0
	CHECK_X(90, 0xffffffffbf800000, 0)
	/* dynamic rounding mode, frm = 0..4 */
	TEST_S_RR_DYN(100, fadd.s, 0, 0x3f800000, 0x01, ONE, 0x33800000)
	TEST_S_RR_DYN(101, fadd.s, 1, 0x3f800000, 0x01, ONE, 0x33800000)
	TEST_S_RR_DYN(102, fadd.s, 2, 0x3f800000, 0x01, ONE, 0x33800000)
	TEST_S_RR_DYN(103, fadd.s, 3, 0x3f800001, 0x01, ONE, 0x33800000)
	TEST_S_RR_DYN(104, fadd.s, 4, 0x3f800001, 0x01, ONE, 0x33800000)
	TEST_S_RR_DYN(105, fadd.s, 0, 0xbf800000, 0x01, MONE, 0xb3800000)
	TEST_S_RR_DYN(106, fadd.s, 1, 0xbf800000, 0x01, MONE, 0xb3800000)
	TEST_S_RR_DYN(107, fadd.s, 2, 0xbf800001, 0x01, MONE, 0xb3800000)
	TEST_S_RR_DYN(108, fadd.s, 3, 0xbf800000, 0x01, MONE, 0xb3800000)
	TEST_S_RR_DYN(109, fadd.s, 4, 0xbf800001, 0x01, MONE, 0xb3800000)
	TEST_S_RR_DYN(110, fmul.s, 1, 0x7f7fffff, 0x05, 0x7f7fffff, TWO)
	TEST_S_RR_DYN(111, fdiv.s, 3, 0x3eaaaaab, 0x01, ONE, 0x40400000)
	TEST_S_RR_DYN(112, fsub.s, 2, 0x80000000, 0, ONE, ONE)
	fsrmi zero, 4
	TEST_S_TOINT(113, fcvt.w.s, dyn, 3, 0x01, P2_5)
	TEST_S_FROMINT(114, fcvt.s.w, dyn, 0x4b800001, 0x01, 16777217)
	TEST_S_FROM_D(115, dyn, 0x3f800001, 0x01, 0x3ff0000010000000)
	TEST_S_RRR(116, fmadd.s, dyn, 0x3f800001, 0x01, ONE, ONE, 0x33800000)
	fsrmi zero, 2
	TEST_S_R(117, fsqrt.s, dyn, 0x3fb504f3, 0x01, TWO)
	TEST_S_TOINT(118, fcvt.wu.s, dyn, 2, 0x01, P2_5)
	fsrmi zero, 0
	/* flags accrue until cleared */
	CHECK_NUM(120)
	LOAD_S(ft0, ONE)
	LOAD_S(ft1, 0x00000000)
	fdiv.s ft3, ft0, ft1
	LOAD_S(ft1, 0x40400000)
	fdiv.s ft3, ft0, ft1
	fmv.x.w a0, ft3
	CHECK_X(120, 0x3eaaaaab, 0x09)
	/* reserved rounding modes: static 5 and 6, dynamic with frm 5..7 */
	LOAD_S(ft0, ONE)
	LOAD_S(ft1, TWO)
	TEST_ILLEGAL(130, .insn r 0x53, 5, 0x00, ft3, ft0, ft1)
	TEST_ILLEGAL(131, .insn r 0x53, 6, 0x00, ft3, ft0, ft1)
	TEST_ILLEGAL(132, .insn r 0x53, 5, 0x2c, ft3, ft0, f0)
	TEST_ILLEGAL(133, .insn r4 0x43, 6, 0, ft3, ft0, ft1, ft2)
	TEST_ILLEGAL(134, .insn r 0x53, 5, 0x60, a0, ft0, x0)
	TEST_ILLEGAL(135, .insn r 0x53, 6, 0x68, ft3, a0, x0)
	TEST_LEGAL(136, .insn r 0x53, 4, 0x00, ft3, ft0, ft1)
	fsrmi zero, 5
	TEST_ILLEGAL(137, fadd.s ft3, ft0, ft1, dyn)
	TEST_ILLEGAL(138, fcvt.w.s a0, ft0, dyn)
	TEST_ILLEGAL(139, fcvt.s.d ft3, ft0, dyn)
	/* ops without a rounding mode do not look at frm */
	TEST_LEGAL(140, fsgnj.s ft3, ft0, ft1)
	TEST_LEGAL(141, fmin.s ft3, ft0, ft1)
	TEST_LEGAL(142, feq.s a0, ft0, ft1)
	TEST_LEGAL(143, fclass.s a0, ft0)
	TEST_LEGAL(144, fmv.x.w a0, ft0)
	TEST_LEGAL(145, fmv.w.x ft3, a0)
	fsrmi zero, 6
	TEST_ILLEGAL(146, fmul.s ft3, ft0, ft1, dyn)
	fsrmi zero, 7
	TEST_ILLEGAL(147, fsqrt.s ft3, ft0, dyn)
	fsrmi zero, 0
	TEST_LEGAL(148, fsqrt.s ft3, ft0, dyn)
	fsflags zero
	/* mstatus.FS off: every F instruction is illegal */
	li t0, (3 << 13)
	csrc mstatus, t0
	TEST_ILLEGAL(150, fadd.s ft3, ft0, ft1)
	TEST_ILLEGAL(151, fmv.x.w a0, ft0)
	TEST_ILLEGAL(152, fsgnj.s ft3, ft0, ft1)
	TEST_ILLEGAL(153, fcvt.s.w ft3, a0)
	li t0, (1 << 13)
	csrs mstatus, t0
	TEST_LEGAL(154, fadd.s ft3, ft0, ft1)
TEST_END

FP_TRAP_HANDLER
