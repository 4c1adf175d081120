/*
 * F conversions (unprivileged spec 20191213, 11.7): fcvt.{w,wu,l,lu}.s
 * in every rounding mode with the saturation of table 11.4 (NaN gives
 * the largest positive value, NV set; out of range saturates with NV and
 * no NX; inexact in range sets NX; 32-bit results sign-extended, also
 * for wu), fcvt.s.{w,wu,l,lu} (the W forms read the low 32 bits of rs1),
 * and fcvt.s.d / fcvt.d.s (12.5) with underflow detected after rounding.
 */
#include "fp.h"

#define P2_5 0x40200000
#define M2_5 0xc0200000
#define QNAN 0x7fc00000
#define SNAN 0x7f800001
#define INF 0x7f800000
#define NINF 0xff800000
#define IMIN32 0xffffffff80000000
#define IMAX32 0x7fffffff
#define IMIN64 0x8000000000000000
#define IMAX64 0x7fffffffffffffff
#define UMAX 0xffffffffffffffff

TEST_BEGIN
	/* 2.5 and -2.5 to integers: every mode */
	TEST_S_TOINT(1, fcvt.w.s, rne, 2, 0x01, P2_5)
	TEST_S_TOINT(2, fcvt.w.s, rtz, 2, 0x01, P2_5)
	TEST_S_TOINT(3, fcvt.w.s, rdn, 2, 0x01, P2_5)
	TEST_S_TOINT(4, fcvt.w.s, rup, 3, 0x01, P2_5)
	TEST_S_TOINT(5, fcvt.w.s, rmm, 3, 0x01, P2_5)
	TEST_S_TOINT(6, fcvt.w.s, rne, -2, 0x01, M2_5)
	TEST_S_TOINT(7, fcvt.w.s, rtz, -2, 0x01, M2_5)
	TEST_S_TOINT(8, fcvt.w.s, rdn, -3, 0x01, M2_5)
	TEST_S_TOINT(9, fcvt.w.s, rup, -2, 0x01, M2_5)
	TEST_S_TOINT(10, fcvt.w.s, rmm, -3, 0x01, M2_5)
	TEST_S_TOINT(11, fcvt.w.s, rne, 0, 0x01, 0x3f000000)
	TEST_S_TOINT(12, fcvt.w.s, rmm, 1, 0x01, 0x3f000000)
	TEST_S_TOINT(13, fcvt.w.s, rmm, -1, 0x01, 0xbf000000)
	TEST_S_TOINT(14, fcvt.w.s, rne, 0, 0, 0x80000000)
	/* fcvt.w.s saturation */
	TEST_S_TOINT(20, fcvt.w.s, rne, IMAX32, 0x10, QNAN)
	TEST_S_TOINT(21, fcvt.w.s, rne, IMAX32, 0x10, 0xffc00000)
	TEST_S_TOINT(22, fcvt.w.s, rne, IMAX32, 0x10, SNAN)
	TEST_S_TOINT(23, fcvt.w.s, rne, IMIN32, 0x10, NINF)
	TEST_S_TOINT(24, fcvt.w.s, rne, IMAX32, 0x10, INF)
	TEST_S_TOINT(25, fcvt.w.s, rne, IMAX32, 0x10, 0x4f32d05e)
	TEST_S_TOINT(26, fcvt.w.s, rne, IMIN32, 0x10, 0xcf32d05e)
	TEST_S_TOINT(27, fcvt.w.s, rne, IMIN32, 0, 0xcf000000)
	TEST_S_TOINT(28, fcvt.w.s, rne, IMAX32, 0x10, 0x4f000000)
	TEST_S_TOINT(29, fcvt.w.s, rtz, 0x7fffff80, 0, 0x4effffff)
	/* fcvt.wu.s */
	TEST_S_TOINT(30, fcvt.wu.s, rne, 0, 0x10, 0xbf800000)
	TEST_S_TOINT(31, fcvt.wu.s, rtz, 0, 0x01, 0xbf000000)
	TEST_S_TOINT(32, fcvt.wu.s, rmm, 0, 0x10, 0xbf000000)
	TEST_S_TOINT(33, fcvt.wu.s, rne, 0xffffffffb2d05e00, 0, 0x4f32d05e)
	TEST_S_TOINT(34, fcvt.wu.s, rne, UMAX, 0x10, 0x4f800000)
	TEST_S_TOINT(35, fcvt.wu.s, rne, UMAX, 0x10, QNAN)
	TEST_S_TOINT(36, fcvt.wu.s, rne, 0, 0x10, NINF)
	TEST_S_TOINT(37, fcvt.wu.s, rne, UMAX, 0x10, INF)
	TEST_S_TOINT(38, fcvt.wu.s, rne, 2, 0x01, 0x3fc00000)
	TEST_S_TOINT(39, fcvt.wu.s, rdn, 1, 0x01, 0x3fc00000)
	/* fcvt.l.s */
	TEST_S_TOINT(40, fcvt.l.s, rne, IMAX64, 0x10, QNAN)
	TEST_S_TOINT(41, fcvt.l.s, rne, IMIN64, 0, 0xdf000000)
	TEST_S_TOINT(42, fcvt.l.s, rne, IMAX64, 0x10, 0x5f000000)
	TEST_S_TOINT(43, fcvt.l.s, rne, IMIN64, 0x10, NINF)
	TEST_S_TOINT(44, fcvt.l.s, rne, 3000000000, 0, 0x4f32d05e)
	TEST_S_TOINT(45, fcvt.l.s, rdn, -3, 0x01, M2_5)
	TEST_S_TOINT(46, fcvt.l.s, rmm, 3, 0x01, P2_5)
	TEST_S_TOINT(47, fcvt.l.s, rne, IMIN64, 0x10, 0xdf000001)
	/* fcvt.lu.s */
	TEST_S_TOINT(50, fcvt.lu.s, rne, 0, 0x10, 0xbf800000)
	TEST_S_TOINT(51, fcvt.lu.s, rne, UMAX, 0x10, 0x5f800000)
	TEST_S_TOINT(52, fcvt.lu.s, rne, 0xffffff0000000000, 0, 0x5f7fffff)
	TEST_S_TOINT(53, fcvt.lu.s, rne, UMAX, 0x10, 0xffc00000)
	TEST_S_TOINT(54, fcvt.lu.s, rup, 3, 0x01, P2_5)
	TEST_S_TOINT(55, fcvt.lu.s, rne, 0, 0, 0x80000000)
	TEST_S_TOINT(56, fcvt.lu.s, rup, 0, 0x01, 0xbe800000)
	TEST_S_TOINT(57, fcvt.lu.s, rdn, 0, 0x10, 0xbe800000)
	/* integers to single */
	TEST_S_FROMINT(60, fcvt.s.w, rne, 0xbf800000, 0, -1)
	TEST_S_FROMINT(61, fcvt.s.w, rne, 0x4b800000, 0x01, 16777217)
	TEST_S_FROMINT(62, fcvt.s.w, rtz, 0x4b800000, 0x01, 16777217)
	TEST_S_FROMINT(63, fcvt.s.w, rup, 0x4b800001, 0x01, 16777217)
	TEST_S_FROMINT(64, fcvt.s.w, rmm, 0x4b800001, 0x01, 16777217)
	TEST_S_FROMINT(65, fcvt.s.w, rdn, 0xcb800001, 0x01, -16777217)
	TEST_S_FROMINT(66, fcvt.s.w, rup, 0xcb800000, 0x01, -16777217)
	TEST_S_FROMINT(67, fcvt.s.w, rne, 0xc0000000, 0, 0x00000001fffffffe)
	TEST_S_FROMINT(68, fcvt.s.w, rne, 0xcf000000, 0, 0x80000000)
	TEST_S_FROMINT(69, fcvt.s.w, rne, 0, 0, 0)
	TEST_S_FROMINT(70, fcvt.s.wu, rne, 0x4f800000, 0x01, 0xffffffff)
	TEST_S_FROMINT(71, fcvt.s.wu, rtz, 0x4f7fffff, 0x01, 0xffffffff)
	TEST_S_FROMINT(72, fcvt.s.wu, rne, 0x4f000000, 0, 0xffffffff80000000)
	TEST_S_FROMINT(73, fcvt.s.l, rne, 0xdf000000, 0, 0x8000000000000000)
	TEST_S_FROMINT(74, fcvt.s.l, rne, 0x4f32d05e, 0, 3000000000)
	TEST_S_FROMINT(75, fcvt.s.l, rdn, 0xdf000000, 0x01, 0x8000000000000001)
	TEST_S_FROMINT(76, fcvt.s.l, rup, 0xdeffffff, 0x01, 0x8000000000000001)
	TEST_S_FROMINT(77, fcvt.s.lu, rne, 0x5f800000, 0x01, 0xffffffffffffffff)
	TEST_S_FROMINT(78, fcvt.s.lu, rtz, 0x5f7fffff, 0x01, 0xffffffffffffffff)
	TEST_S_FROMINT(79, fcvt.s.lu, rmm, 0x5f800000, 0x01, 0xffffff8000000000)
	/* double to single */
	TEST_S_FROM_D(80, rne, 0x3eaaaaab, 0x01, 0x3fd5555555555555)
	TEST_S_FROM_D(81, rtz, 0x3eaaaaaa, 0x01, 0x3fd5555555555555)
	TEST_S_FROM_D(82, rne, 0x3f800000, 0x01, 0x3ff0000010000000)
	TEST_S_FROM_D(83, rmm, 0x3f800001, 0x01, 0x3ff0000010000000)
	TEST_S_FROM_D(84, rne, INF, 0x05, 0x7e37e43c8800759c)
	TEST_S_FROM_D(85, rtz, 0x7f7fffff, 0x05, 0x7e37e43c8800759c)
	TEST_S_FROM_D(86, rne, QNAN, 0x10, 0x7ff0000000000001)
	TEST_S_FROM_D(87, rne, QNAN, 0, 0xfff8000000000123)
	TEST_S_FROM_D(88, rne, 0x80000000, 0, 0x8000000000000000)
	TEST_S_FROM_D(89, rne, NINF, 0, 0xfff0000000000000)
	/*
	 * (1 - 2^-25) * 2^-126 rounds with an unbounded exponent to 2^-126:
	 * not tiny in RNE, RMM, RUP; tiny in RTZ. (1 - 2^-24) * 2^-126 is
	 * tiny in every mode.
	 */
	TEST_S_FROM_D(90, rne, 0x00800000, 0x01, 0x380ffffff0000000)
	TEST_S_FROM_D(91, rmm, 0x00800000, 0x01, 0x380ffffff0000000)
	TEST_S_FROM_D(92, rup, 0x00800000, 0x01, 0x380ffffff0000000)
	TEST_S_FROM_D(93, rtz, 0x007fffff, 0x03, 0x380ffffff0000000)
	TEST_S_FROM_D(94, rne, 0x00800000, 0x03, 0x380fffffe0000000)
	TEST_S_FROM_D(95, rtz, 0x007fffff, 0x03, 0x380fffffe0000000)
	TEST_S_FROM_D(96, rne, 0x00000001, 0, 0x36a0000000000000)
	TEST_S_FROM_D(97, rne, 0x00000000, 0x03, 0x3690000000000000)
	TEST_S_FROM_D(98, rup, 0x00000001, 0x03, 0x3690000000000000)
	/* single to double is exact */
	TEST_D_FROM_S(100, 0x7ff8000000000000, 0x10, SNAN)
	TEST_D_FROM_S(101, 0x7ff8000000000000, 0, 0xffc00001)
	TEST_D_FROM_S(102, 0x36a0000000000000, 0, 0x00000001)
	TEST_D_FROM_S(103, 0xfff0000000000000, 0, NINF)
	TEST_D_FROM_S(104, 0x3ff0000000000000, 0, 0x3f800000)
	TEST_D_FROM_S(105, 0x8000000000000000, 0, 0x80000000)
TEST_END
