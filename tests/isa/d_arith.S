/*
 * D arithmetic (unprivileged spec 20191213, chapter 12): fadd, fsub,
 * fmul, fdiv, fsqrt and the four fused multiply-adds in every static
 * rounding mode, with the accrued flags of each result, the canonical NaN
 * 0x7ff8000000000000 for every NaN result, signalling-NaN inputs,
 * tininess detected after rounding, and inf * 0 + qNaN raising NV.
 */
#include "fp.h"

#define ONE 0x3ff0000000000000
#define MONE 0xbff0000000000000
#define TWO 0x4000000000000000
#define THREE 0x4008000000000000
#define HALF_ULP1 0x3ca0000000000000 /* 2^-53 */
#define MHALF_ULP1 0xbca0000000000000
#define QNAN 0x7ff8000000000000
#define SNAN 0x7ff0000000000001
#define INF 0x7ff0000000000000
#define NINF 0xfff0000000000000
#define MAXD 0x7fefffffffffffff
#define MIND 0x0010000000000000

TEST_BEGIN
	TEST_D_RR(1, fadd.d, rne, THREE, 0, ONE, TWO)
	TEST_D_RR(2, fadd.d, rne, ONE, 0x01, ONE, HALF_ULP1)
	TEST_D_RR(3, fadd.d, rtz, ONE, 0x01, ONE, HALF_ULP1)
	TEST_D_RR(4, fadd.d, rdn, ONE, 0x01, ONE, HALF_ULP1)
	TEST_D_RR(5, fadd.d, rup, 0x3ff0000000000001, 0x01, ONE, HALF_ULP1)
	TEST_D_RR(6, fadd.d, rmm, 0x3ff0000000000001, 0x01, ONE, HALF_ULP1)
	TEST_D_RR(7, fadd.d, rne, MONE, 0x01, MONE, MHALF_ULP1)
	TEST_D_RR(8, fadd.d, rtz, MONE, 0x01, MONE, MHALF_ULP1)
	TEST_D_RR(9, fadd.d, rdn, 0xbff0000000000001, 0x01, MONE, MHALF_ULP1)
	TEST_D_RR(10, fadd.d, rup, MONE, 0x01, MONE, MHALF_ULP1)
	TEST_D_RR(11, fadd.d, rmm, 0xbff0000000000001, 0x01, MONE, MHALF_ULP1)
	TEST_D_RR(12, fadd.d, rne, 0x3ff0000000000002, 0x01, \
		0x3ff0000000000001, HALF_ULP1)
	TEST_D_RR(13, fadd.d, rtz, 0x3ff0000000000001, 0x01, \
		0x3ff0000000000001, HALF_ULP1)
	TEST_D_RR(15, fadd.d, rne, 0, 0, ONE, MONE)
	TEST_D_RR(16, fadd.d, rdn, 0x8000000000000000, 0, ONE, MONE)
	TEST_D_RR(17, fsub.d, rne, 0x8000000000000000, 0, 0x8000000000000000, 0)
	TEST_D_RR(18, fsub.d, rne, MONE, 0, ONE, TWO)
	TEST_D_RR(20, fadd.d, rne, QNAN, 0x10, INF, NINF)
	TEST_D_RR(21, fsub.d, rne, QNAN, 0x10, NINF, NINF)
	TEST_D_RR(22, fadd.d, rne, QNAN, 0, 0xfff8000000012345, ONE)
	TEST_D_RR(23, fadd.d, rne, QNAN, 0x10, ONE, SNAN)
	TEST_D_RR(24, fadd.d, rne, NINF, 0, NINF, MAXD)
	TEST_D_RR(30, fmul.d, rne, INF, 0x05, MAXD, TWO)
	TEST_D_RR(31, fmul.d, rtz, MAXD, 0x05, MAXD, TWO)
	TEST_D_RR(32, fmul.d, rdn, MAXD, 0x05, MAXD, TWO)
	TEST_D_RR(33, fmul.d, rup, INF, 0x05, MAXD, TWO)
	TEST_D_RR(34, fmul.d, rmm, INF, 0x05, MAXD, TWO)
	TEST_D_RR(35, fmul.d, rup, 0xffefffffffffffff, 0x05, \
		0xffefffffffffffff, TWO)
	TEST_D_RR(40, fmul.d, rne, 0, 0x03, 1, 0x3fe0000000000000)
	TEST_D_RR(41, fmul.d, rup, 1, 0x03, 1, 0x3fe0000000000000)
	TEST_D_RR(42, fmul.d, rmm, 1, 0x03, 1, 0x3fe0000000000000)
	TEST_D_RR(43, fmul.d, rdn, 0x8000000000000001, 0x03, \
		0x8000000000000001, 0x3fe0000000000000)
	TEST_D_RR(44, fmul.d, rne, 0x0008000000000000, 0, MIND, \
		0x3fe0000000000000)
	/* (1 - 2^-53) * 2^-1022: tiny after rounding in every mode */
	TEST_D_RR(45, fmul.d, rne, MIND, 0x03, 0x3fefffffffffffff, MIND)
	TEST_D_RR(46, fmul.d, rtz, 0x000fffffffffffff, 0x03, \
		0x3fefffffffffffff, MIND)
	TEST_D_RR(47, fmul.d, rne, QNAN, 0x10, 0x8000000000000000, INF)
	TEST_D_RR(50, fdiv.d, rne, 0x3fd5555555555555, 0x01, ONE, THREE)
	TEST_D_RR(51, fdiv.d, rtz, 0x3fd5555555555555, 0x01, ONE, THREE)
	TEST_D_RR(52, fdiv.d, rdn, 0x3fd5555555555555, 0x01, ONE, THREE)
	TEST_D_RR(53, fdiv.d, rup, 0x3fd5555555555556, 0x01, ONE, THREE)
	TEST_D_RR(54, fdiv.d, rmm, 0x3fd5555555555555, 0x01, ONE, THREE)
	TEST_D_RR(55, fdiv.d, rne, INF, 0x08, ONE, 0)
	TEST_D_RR(56, fdiv.d, rne, INF, 0x08, MONE, 0x8000000000000000)
	TEST_D_RR(57, fdiv.d, rne, QNAN, 0x10, 0, 0x8000000000000000)
	TEST_D_RR(58, fdiv.d, rne, QNAN, 0x10, NINF, INF)
	TEST_D_RR(59, fdiv.d, rne, 0x8000000000000000, 0, MONE, INF)
	TEST_D_R(70, fsqrt.d, rne, TWO, 0, 0x4010000000000000)
	TEST_D_R(71, fsqrt.d, rne, 0x3ff6a09e667f3bcd, 0x01, TWO)
	TEST_D_R(72, fsqrt.d, rtz, 0x3ff6a09e667f3bcc, 0x01, TWO)
	TEST_D_R(73, fsqrt.d, rdn, 0x3ff6a09e667f3bcc, 0x01, TWO)
	TEST_D_R(74, fsqrt.d, rup, 0x3ff6a09e667f3bcd, 0x01, TWO)
	TEST_D_R(75, fsqrt.d, rmm, 0x3ff6a09e667f3bcd, 0x01, TWO)
	TEST_D_R(76, fsqrt.d, rne, QNAN, 0x10, MONE)
	TEST_D_R(77, fsqrt.d, rne, 0x8000000000000000, 0, 0x8000000000000000)
	TEST_D_R(78, fsqrt.d, rne, INF, 0, INF)
	TEST_D_R(79, fsqrt.d, rne, QNAN, 0x10, SNAN)
	/* sqrt of the smallest subnormal 2^-1074 = 2^-537 exactly */
	TEST_D_R(80, fsqrt.d, rne, 0x1e60000000000000, 0, 1)
	TEST_D_RRR(90, fmadd.d, rne, 0x4014000000000000, 0, ONE, TWO, THREE)
	TEST_D_RRR(91, fmsub.d, rne, MONE, 0, ONE, TWO, THREE)
	TEST_D_RRR(92, fnmsub.d, rne, ONE, 0, ONE, TWO, THREE)
	TEST_D_RRR(93, fnmadd.d, rne, 0xc014000000000000, 0, ONE, TWO, THREE)
	/* (1 + 2^-27)^2 - 1 = 2^-26 + 2^-54 exactly */
	TEST_D_RRR(94, fmadd.d, rne, 0x3e50000001000000, 0, \
		0x3ff0000002000000, 0x3ff0000002000000, MONE)
	TEST_D_RRR(95, fnmsub.d, rne, 0xbe50000001000000, 0, \
		0x3ff0000002000000, 0x3ff0000002000000, ONE)
	TEST_D_RRR(97, fmadd.d, rne, 0, 0, ONE, ONE, MONE)
	TEST_D_RRR(98, fmadd.d, rdn, 0x8000000000000000, 0, ONE, ONE, MONE)
	TEST_D_RRR(99, fmadd.d, rne, QNAN, 0x10, INF, 0, QNAN)
	TEST_D_RRR(100, fmsub.d, rne, QNAN, 0x10, 0, NINF, QNAN)
	TEST_D_RRR(101, fmadd.d, rne, QNAN, 0, ONE, QNAN, ONE)
	TEST_D_RRR(102, fmadd.d, rne, QNAN, 0x10, SNAN, ONE, ONE)
	TEST_D_RRR(103, fmsub.d, rne, QNAN, 0x10, INF, ONE, INF)
	TEST_D_RRR(105, fmadd.d, rne, ONE, 0x01, ONE, ONE, HALF_ULP1)
	TEST_D_RRR(106, fmadd.d, rmm, 0x3ff0000000000001, 0x01, ONE, ONE, \
		HALF_ULP1)
	TEST_D_RRR(107, fnmadd.d, rdn, 0xbff0000000000001, 0x01, ONE, ONE, \
		HALF_ULP1)
	TEST_D_RRR(108, fnmadd.d, rup, MONE, 0x01, ONE, ONE, HALF_ULP1)
	TEST_D_RRR(109, fmadd.d, rup, INF, 0x05, MAXD, TWO, MONE)
TEST_END
