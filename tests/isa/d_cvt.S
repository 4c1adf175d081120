/*
 * D conversions (unprivileged spec 20191213, 12.5 and table 11.4):
 * fcvt.{w,wu,l,lu}.d in every rounding mode with saturation (NaN gives
 * the largest positive value, out of range saturates, NV without NX;
 * 32-bit results sign-extended, also for wu) and fcvt.d.{w,wu,l,lu}
 * (the W forms read the low 32 bits of rs1 and are exact; their rm field
 * must still hold a valid mode, see d_misc.S).
 */
#include "fp.h"

#define P2_5 0x4004000000000000
#define M2_5 0xc004000000000000
#define QNAN 0x7ff8000000000000
#define SNAN 0x7ff0000000000001
#define INF 0x7ff0000000000000
#define NINF 0xfff0000000000000
#define IMIN32 0xffffffff80000000
#define IMAX32 0x7fffffff
#define IMIN64 0x8000000000000000
#define IMAX64 0x7fffffffffffffff
#define UMAX 0xffffffffffffffff

TEST_BEGIN
	TEST_D_TOINT(1, fcvt.w.d, rne, 2, 0x01, P2_5)
	TEST_D_TOINT(2, fcvt.w.d, rtz, 2, 0x01, P2_5)
	TEST_D_TOINT(3, fcvt.w.d, rdn, 2, 0x01, P2_5)
	TEST_D_TOINT(4, fcvt.w.d, rup, 3, 0x01, P2_5)
	TEST_D_TOINT(5, fcvt.w.d, rmm, 3, 0x01, P2_5)
	TEST_D_TOINT(6, fcvt.w.d, rne, -2, 0x01, M2_5)
	TEST_D_TOINT(7, fcvt.w.d, rtz, -2, 0x01, M2_5)
	TEST_D_TOINT(8, fcvt.w.d, rdn, -3, 0x01, M2_5)
	TEST_D_TOINT(9, fcvt.w.d, rup, -2, 0x01, M2_5)
	TEST_D_TOINT(10, fcvt.w.d, rmm, -3, 0x01, M2_5)
	TEST_D_TOINT(11, fcvt.w.d, rmm, -1, 0x01, 0xbfe0000000000000)
	TEST_D_TOINT(12, fcvt.w.d, rne, 0, 0x01, 0xbfe0000000000000)
	/* 2147483647.5 and -2147483648.5: range decided after rounding */
	TEST_D_TOINT(20, fcvt.w.d, rne, IMAX32, 0x10, 0x41dfffffffe00000)
	TEST_D_TOINT(21, fcvt.w.d, rtz, IMAX32, 0x01, 0x41dfffffffe00000)
	TEST_D_TOINT(22, fcvt.w.d, rmm, IMAX32, 0x10, 0x41dfffffffe00000)
	TEST_D_TOINT(23, fcvt.w.d, rtz, IMIN32, 0x01, 0xc1e0000000100000)
	TEST_D_TOINT(24, fcvt.w.d, rne, IMIN32, 0x01, 0xc1e0000000100000)
	TEST_D_TOINT(25, fcvt.w.d, rdn, IMIN32, 0x10, 0xc1e0000000100000)
	TEST_D_TOINT(26, fcvt.w.d, rne, IMIN32, 0x10, 0xc1e0000000200000)
	TEST_D_TOINT(27, fcvt.w.d, rne, IMAX32, 0x10, QNAN)
	TEST_D_TOINT(28, fcvt.w.d, rne, IMAX32, 0x10, 0xfff8000000000000)
	TEST_D_TOINT(29, fcvt.w.d, rne, IMIN32, 0x10, NINF)
	TEST_D_TOINT(30, fcvt.w.d, rne, IMAX32, 0x10, INF)
	TEST_D_TOINT(31, fcvt.w.d, rne, IMAX32, 0x10, SNAN)
	/* fcvt.wu.d */
	TEST_D_TOINT(40, fcvt.wu.d, rtz, UMAX, 0x01, 0x41effffffff00000)
	TEST_D_TOINT(41, fcvt.wu.d, rne, UMAX, 0x10, 0x41effffffff00000)
	TEST_D_TOINT(42, fcvt.wu.d, rne, UMAX, 0, 0x41efffffffe00000)
	TEST_D_TOINT(43, fcvt.wu.d, rne, UMAX, 0x10, 0x41f0000000000000)
	TEST_D_TOINT(44, fcvt.wu.d, rne, 0, 0x10, 0xbff0000000000000)
	TEST_D_TOINT(45, fcvt.wu.d, rtz, 0, 0x01, 0xbfe0000000000000)
	TEST_D_TOINT(46, fcvt.wu.d, rne, UMAX, 0x10, QNAN)
	TEST_D_TOINT(47, fcvt.wu.d, rne, 0, 0x10, NINF)
	TEST_D_TOINT(48, fcvt.wu.d, rne, 0x7fffffff, 0, 0x41dfffffffc00000)
	/* fcvt.l.d */
	TEST_D_TOINT(50, fcvt.l.d, rne, IMAX64, 0x10, 0x43e0000000000000)
	TEST_D_TOINT(51, fcvt.l.d, rne, IMIN64, 0, 0xc3e0000000000000)
	TEST_D_TOINT(52, fcvt.l.d, rne, 0x7ffffffffffffc00, 0, \
		0x43dfffffffffffff)
	TEST_D_TOINT(53, fcvt.l.d, rne, IMIN64, 0x10, 0xc3e0000000000001)
	TEST_D_TOINT(54, fcvt.l.d, rne, IMAX64, 0x10, QNAN)
	TEST_D_TOINT(55, fcvt.l.d, rne, IMIN64, 0x10, 0xfe37e43c8800759c)
	TEST_D_TOINT(56, fcvt.l.d, rup, -2, 0x01, M2_5)
	TEST_D_TOINT(57, fcvt.l.d, rmm, -3, 0x01, M2_5)
	/* fcvt.lu.d */
	TEST_D_TOINT(60, fcvt.lu.d, rne, 0xfffffffffffff800, 0, \
		0x43efffffffffffff)
	TEST_D_TOINT(61, fcvt.lu.d, rne, UMAX, 0x10, 0x43f0000000000000)
	TEST_D_TOINT(62, fcvt.lu.d, rtz, 0, 0x01, 0xbfe0000000000000)
	TEST_D_TOINT(63, fcvt.lu.d, rdn, 0, 0x10, 0xbfe0000000000000)
	TEST_D_TOINT(64, fcvt.lu.d, rne, UMAX, 0x10, SNAN)
	TEST_D_TOINT(65, fcvt.lu.d, rne, UMAX, 0x10, 0x7e37e43c8800759c)
	TEST_D_TOINT(66, fcvt.lu.d, rne, 0, 0x10, 0xfe37e43c8800759c)
	TEST_D_TOINT(67, fcvt.lu.d, rne, 0, 0, 0x8000000000000000)
	TEST_D_TOINT(68, fcvt.lu.d, rmm, 3, 0x01, P2_5)
	/* integers to double */
	TEST_D_FROMINT_EXACT(70, fcvt.d.w, 0xbff0000000000000, -1)
	TEST_D_FROMINT_EXACT(71, fcvt.d.w, 0xc000000000000000, \
		0x00000001fffffffe)
	TEST_D_FROMINT_EXACT(72, fcvt.d.w, 0xc1e0000000000000, 0x80000000)
	TEST_D_FROMINT_EXACT(73, fcvt.d.wu, 0x41efffffffe00000, \
		0xffffffffffffffff)
	TEST_D_FROMINT_EXACT(74, fcvt.d.wu, 0, 0xffffffff00000000)
	TEST_D_FROMINT(80, fcvt.d.l, rne, 0x4340000000000000, 0x01, \
		9007199254740993)
	TEST_D_FROMINT(81, fcvt.d.l, rtz, 0x4340000000000000, 0x01, \
		9007199254740993)
	TEST_D_FROMINT(82, fcvt.d.l, rup, 0x4340000000000001, 0x01, \
		9007199254740993)
	TEST_D_FROMINT(83, fcvt.d.l, rmm, 0x4340000000000001, 0x01, \
		9007199254740993)
	TEST_D_FROMINT(84, fcvt.d.l, rdn, 0xc340000000000001, 0x01, \
		-9007199254740993)
	TEST_D_FROMINT(85, fcvt.d.l, rup, 0xc340000000000000, 0x01, \
		-9007199254740993)
	TEST_D_FROMINT(86, fcvt.d.l, rne, 0xc3e0000000000000, 0, \
		0x8000000000000000)
	TEST_D_FROMINT(87, fcvt.d.l, rne, 0, 0, 0)
	TEST_D_FROMINT(88, fcvt.d.lu, rne, 0x43f0000000000000, 0x01, \
		0xffffffffffffffff)
	TEST_D_FROMINT(89, fcvt.d.lu, rtz, 0x43efffffffffffff, 0x01, \
		0xffffffffffffffff)
	TEST_D_FROMINT(90, fcvt.d.lu, rne, 0x43e0000000000000, 0, \
		0x8000000000000000)
	TEST_D_FROMINT(91, fcvt.d.lu, rmm, 0x4340000000000001, 0x01, \
		9007199254740993)
TEST_END
