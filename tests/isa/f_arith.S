/*
 * F arithmetic (unprivileged spec 20191213, chapter 11): fadd, fsub,
 * fmul, fdiv, fsqrt and the four fused multiply-adds in every static
 * rounding mode, with the accrued flags of each result, the canonical NaN
 * 0x7fc00000 for every NaN result, signalling-NaN inputs, tininess
 * detected after rounding, and inf * 0 + qNaN raising NV (11.6).
 */
#include "fp.h"

#define ONE 0x3f800000
#define TWO 0x40000000
#define HALF_ULP1 0x33800000 /* 2^-24: half an ulp of 1.0 */
#define QNAN 0x7fc00000
#define SNAN 0x7f800001
#define INF 0x7f800000
#define NINF 0xff800000
#define MAXF 0x7f7fffff

TEST_BEGIN
	TEST_S_RR(1, fadd.s, rne, 0x40400000, 0, ONE, TWO)
	/* 1 + 2^-24 is a tie between 1 and 1 + 2^-23 */
	TEST_S_RR(2, fadd.s, rne, 0x3f800000, 0x01, ONE, HALF_ULP1)
	TEST_S_RR(3, fadd.s, rtz, 0x3f800000, 0x01, ONE, HALF_ULP1)
	TEST_S_RR(4, fadd.s, rdn, 0x3f800000, 0x01, ONE, HALF_ULP1)
	TEST_S_RR(5, fadd.s, rup, 0x3f800001, 0x01, ONE, HALF_ULP1)
	TEST_S_RR(6, fadd.s, rmm, 0x3f800001, 0x01, ONE, HALF_ULP1)
	TEST_S_RR(7, fadd.s, rne, 0xbf800000, 0x01, 0xbf800000, 0xb3800000)
	TEST_S_RR(8, fadd.s, rtz, 0xbf800000, 0x01, 0xbf800000, 0xb3800000)
	TEST_S_RR(9, fadd.s, rdn, 0xbf800001, 0x01, 0xbf800000, 0xb3800000)
	TEST_S_RR(10, fadd.s, rup, 0xbf800000, 0x01, 0xbf800000, 0xb3800000)
	TEST_S_RR(11, fadd.s, rmm, 0xbf800001, 0x01, 0xbf800000, 0xb3800000)
	/* (1 + 2^-23) + 2^-24: a tie with an odd lower neighbour */
	TEST_S_RR(12, fadd.s, rne, 0x3f800002, 0x01, 0x3f800001, HALF_ULP1)
	TEST_S_RR(13, fadd.s, rmm, 0x3f800002, 0x01, 0x3f800001, HALF_ULP1)
	TEST_S_RR(14, fadd.s, rtz, 0x3f800001, 0x01, 0x3f800001, HALF_ULP1)
	/* exact zero sums: +0, but -0 when rounding down */
	TEST_S_RR(15, fadd.s, rne, 0x00000000, 0, ONE, 0xbf800000)
	TEST_S_RR(16, fadd.s, rdn, 0x80000000, 0, ONE, 0xbf800000)
	TEST_S_RR(17, fsub.s, rne, 0x80000000, 0, 0x80000000, 0x00000000)
	TEST_S_RR(18, fsub.s, rup, 0x00000000, 0, ONE, ONE)
	TEST_S_RR(19, fsub.s, rne, 0xbf800000, 0, ONE, TWO)
	/* NaN and infinity */
	TEST_S_RR(20, fadd.s, rne, QNAN, 0x10, INF, NINF)
	TEST_S_RR(21, fsub.s, rne, QNAN, 0x10, INF, INF)
	TEST_S_RR(22, fadd.s, rne, QNAN, 0, 0x7fc12345, ONE)
	TEST_S_RR(23, fadd.s, rne, QNAN, 0x10, SNAN, ONE)
	TEST_S_RR(24, fsub.s, rne, QNAN, 0x10, ONE, 0xff800001)
	TEST_S_RR(25, fadd.s, rne, INF, 0, INF, MAXF)
	/* overflow */
	TEST_S_RR(30, fmul.s, rne, INF, 0x05, MAXF, TWO)
	TEST_S_RR(31, fmul.s, rtz, MAXF, 0x05, MAXF, TWO)
	TEST_S_RR(32, fmul.s, rdn, MAXF, 0x05, MAXF, TWO)
	TEST_S_RR(33, fmul.s, rup, INF, 0x05, MAXF, TWO)
	TEST_S_RR(34, fmul.s, rmm, INF, 0x05, MAXF, TWO)
	TEST_S_RR(35, fmul.s, rdn, NINF, 0x05, 0xff7fffff, TWO)
	TEST_S_RR(36, fmul.s, rup, 0xff7fffff, 0x05, 0xff7fffff, TWO)
	/* underflow: 2^-150 is half the smallest subnormal */
	TEST_S_RR(40, fmul.s, rne, 0x00000000, 0x03, 0x00000001, 0x3f000000)
	TEST_S_RR(41, fmul.s, rup, 0x00000001, 0x03, 0x00000001, 0x3f000000)
	TEST_S_RR(42, fmul.s, rmm, 0x00000001, 0x03, 0x00000001, 0x3f000000)
	TEST_S_RR(43, fmul.s, rdn, 0x80000001, 0x03, 0x80000001, 0x3f000000)
	/* exact subnormal results raise nothing */
	TEST_S_RR(44, fmul.s, rne, 0x00400000, 0, 0x00800000, 0x3f000000)
	/*
	 * (1 - 2^-24) * 2^-126 is representable with an unbounded exponent:
	 * tiny after rounding, and RNE delivers 2^-126 from the subnormal tie
	 */
	TEST_S_RR(45, fmul.s, rne, 0x00800000, 0x03, 0x3f7fffff, 0x00800000)
	TEST_S_RR(46, fmul.s, rtz, 0x007fffff, 0x03, 0x3f7fffff, 0x00800000)
	TEST_S_RR(47, fmul.s, rne, QNAN, 0x10, INF, 0x00000000)
	TEST_S_RR(48, fmul.s, rne, 0x80000000, 0, 0x80000000, 0x3f800000)
	/* division */
	TEST_S_RR(50, fdiv.s, rne, 0x3eaaaaab, 0x01, ONE, 0x40400000)
	TEST_S_RR(51, fdiv.s, rtz, 0x3eaaaaaa, 0x01, ONE, 0x40400000)
	TEST_S_RR(52, fdiv.s, rdn, 0x3eaaaaaa, 0x01, ONE, 0x40400000)
	TEST_S_RR(53, fdiv.s, rup, 0x3eaaaaab, 0x01, ONE, 0x40400000)
	TEST_S_RR(54, fdiv.s, rmm, 0x3eaaaaab, 0x01, ONE, 0x40400000)
	TEST_S_RR(55, fdiv.s, rne, INF, 0x08, ONE, 0x00000000)
	TEST_S_RR(56, fdiv.s, rne, NINF, 0x08, ONE, 0x80000000)
	TEST_S_RR(57, fdiv.s, rne, QNAN, 0x10, 0x00000000, 0x00000000)
	TEST_S_RR(58, fdiv.s, rne, QNAN, 0x10, INF, NINF)
	TEST_S_RR(59, fdiv.s, rne, 0x80000000, 0, ONE, NINF)
	TEST_S_RR(60, fdiv.s, rne, 0x40400000, 0, 0x40c00000, TWO)
	/* square root */
	TEST_S_R(70, fsqrt.s, rne, TWO, 0, 0x40800000)
	TEST_S_R(71, fsqrt.s, rne, 0x3fb504f3, 0x01, TWO)
	TEST_S_R(72, fsqrt.s, rtz, 0x3fb504f3, 0x01, TWO)
	TEST_S_R(73, fsqrt.s, rup, 0x3fb504f4, 0x01, TWO)
	TEST_S_R(74, fsqrt.s, rmm, 0x3fb504f3, 0x01, TWO)
	TEST_S_R(75, fsqrt.s, rne, QNAN, 0x10, 0xbf800000)
	TEST_S_R(76, fsqrt.s, rne, 0x80000000, 0, 0x80000000)
	TEST_S_R(77, fsqrt.s, rne, INF, 0, INF)
	TEST_S_R(78, fsqrt.s, rne, QNAN, 0x10, NINF)
	TEST_S_R(79, fsqrt.s, rne, QNAN, 0, 0x7fc00001)
	TEST_S_R(80, fsqrt.s, rne, QNAN, 0x10, SNAN)
	/* fused multiply-add: 1 * 2 +- 3 */
	TEST_S_RRR(90, fmadd.s, rne, 0x40a00000, 0, ONE, TWO, 0x40400000)
	TEST_S_RRR(91, fmsub.s, rne, 0xbf800000, 0, ONE, TWO, 0x40400000)
	TEST_S_RRR(92, fnmsub.s, rne, 0x3f800000, 0, ONE, TWO, 0x40400000)
	TEST_S_RRR(93, fnmadd.s, rne, 0xc0a00000, 0, ONE, TWO, 0x40400000)
	/* a single rounding: (1 + 2^-12)^2 - 1 = 2^-11 + 2^-24 exactly */
	TEST_S_RRR(94, fmadd.s, rne, 0x3a000400, 0, 0x3f800800, 0x3f800800, \
		0xbf800000)
	TEST_S_RRR(95, fmsub.s, rne, 0x3a000400, 0, 0x3f800800, 0x3f800800, ONE)
	TEST_S_RRR(96, fnmadd.s, rne, 0xba000400, 0, 0x3f800800, 0x3f800800, \
		0xbf800000)
	/* 1 * 1 - 1 = +0, -0 when rounding down */
	TEST_S_RRR(97, fmadd.s, rne, 0x00000000, 0, ONE, ONE, 0xbf800000)
	TEST_S_RRR(98, fmadd.s, rdn, 0x80000000, 0, ONE, ONE, 0xbf800000)
	/* inf * 0 + qNaN is invalid (11.6); other NaN cases */
	TEST_S_RRR(99, fmadd.s, rne, QNAN, 0x10, INF, 0x00000000, QNAN)
	TEST_S_RRR(100, fmadd.s, rne, QNAN, 0x10, 0x80000000, NINF, ONE)
	TEST_S_RRR(101, fmadd.s, rne, QNAN, 0, QNAN, ONE, ONE)
	TEST_S_RRR(102, fmadd.s, rne, QNAN, 0x10, ONE, ONE, SNAN)
	TEST_S_RRR(103, fmadd.s, rne, QNAN, 0x10, INF, ONE, NINF)
	TEST_S_RRR(104, fnmadd.s, rne, NINF, 0, INF, ONE, INF)
	/* rounding of the fused result: 1 * 1 + 2^-24 */
	TEST_S_RRR(105, fmadd.s, rne, 0x3f800000, 0x01, ONE, ONE, HALF_ULP1)
	TEST_S_RRR(106, fmadd.s, rmm, 0x3f800001, 0x01, ONE, ONE, HALF_ULP1)
	TEST_S_RRR(107, fnmsub.s, rup, 0xbf800000, 0x01, ONE, ONE, 0xb3800000)
	TEST_S_RRR(108, fnmsub.s, rdn, 0xbf800001, 0x01, ONE, ONE, 0xb3800000)
	TEST_S_RRR(109, fmadd.s, rtz, MAXF, 0x05, MAXF, TWO, ONE)
TEST_END
