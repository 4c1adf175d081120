/*
 * Unit test of cpu/softfp.c and cpu/fpu.c (F and D, unprivileged spec
 * 20191213 chapters 11 and 12).
 *
 * Oracles: the host's x86 SSE unit, driven by inline assembly with MXCSR
 * set to RNE, RTZ, RDN or RUP (x86, like RISC-V, detects tininess after
 * rounding; its flags map IE->NV, ZE->DZ, OE->OF, UE->UF, PE->NX; its NaN
 * differs, so for NaN results we check NaN-ness and require the RISC-V
 * canonical NaN). Integer conversions use SSE4.1 roundss/roundsd in the
 * current mode plus the saturation table 11.4. RMM, absent on x86, is
 * checked by its definition: equal to RNE except on an exact tie, where it
 * takes the candidate away from zero; ties are found with the x87 unit's
 * 64-bit significand (an inexact x87 result cannot be a midpoint of
 * binary32/binary64 neighbours), and C's round() gives RMM to integers.
 * The spec's own special cases (fmin/fmax, compares, fclass, fma with
 * inf * 0 + qNaN, NaN-boxing, illegal rounding modes) are hand-written.
 */
#include <fenv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/fpu.h"
#include "cpu/hart.h"
#include "cpu/softfp.h"
#include "tests/unit/unit.h"

#define S SOFTFP_S
#define D SOFTFP_D

static const char *const rm_name[] = { "rne", "rtz", "rdn", "rup", "rmm" };

static long long compared;
static long long rmm_skipped;
static int reported;

/* --- host oracle ------------------------------------------------------ */

static const unsigned mxcsr_rc[4] = {
	[RM_RNE] = 0,
	[RM_RTZ] = 3,
	[RM_RDN] = 1,
	[RM_RUP] = 2,
};

static inline void host_begin(int rm)
{
	unsigned csr = 0x1f80 | (mxcsr_rc[rm] << 13);

	__asm__ volatile("ldmxcsr %0" : : "m"(csr));
}

static inline uint8_t host_flags(void)
{
	unsigned csr;
	uint8_t fl = 0;

	__asm__ volatile("stmxcsr %0" : "=m"(csr));
	if (csr & 0x01)
		fl |= FFLAG_NV;
	if (csr & 0x04)
		fl |= FFLAG_DZ;
	if (csr & 0x08)
		fl |= FFLAG_OF;
	if (csr & 0x10)
		fl |= FFLAG_UF;
	if (csr & 0x20)
		fl |= FFLAG_NX;
	return fl;
}

enum aop { A_ADD, A_SUB, A_MUL, A_DIV, A_SQRT, A_FMA, A_NUM };
static const char *const op_name[] = {
	"add", "sub", "mul", "div", "sqrt", "fma"
};
static bool have_fma;
static bool have_avx512;

static uint64_t host_arith(int fmt, enum aop op, uint64_t ua, uint64_t ub,
			   uint64_t uc)
{
	if (fmt == S) {
		float a, b, c;
		uint32_t a32 = ua, b32 = ub, c32 = uc, r;

		memcpy(&a, &a32, 4);
		memcpy(&b, &b32, 4);
		memcpy(&c, &c32, 4);
		switch (op) {
		case A_ADD:
			__asm__ volatile("addss %1, %0" : "+x"(a) : "x"(b));
			break;
		case A_SUB:
			__asm__ volatile("subss %1, %0" : "+x"(a) : "x"(b));
			break;
		case A_MUL:
			__asm__ volatile("mulss %1, %0" : "+x"(a) : "x"(b));
			break;
		case A_DIV:
			__asm__ volatile("divss %1, %0" : "+x"(a) : "x"(b));
			break;
		case A_SQRT: __asm__ volatile("sqrtss %0, %0" : "+x"(a)); break;
		default:
			__asm__ volatile("vfmadd231ss %2, %1, %0"
					 : "+x"(c)
					 : "x"(a), "x"(b));
			a = c;
			break;
		}
		memcpy(&r, &a, 4);
		return r;
	} else {
		double a, b, c;
		uint64_t r;

		memcpy(&a, &ua, 8);
		memcpy(&b, &ub, 8);
		memcpy(&c, &uc, 8);
		switch (op) {
		case A_ADD:
			__asm__ volatile("addsd %1, %0" : "+x"(a) : "x"(b));
			break;
		case A_SUB:
			__asm__ volatile("subsd %1, %0" : "+x"(a) : "x"(b));
			break;
		case A_MUL:
			__asm__ volatile("mulsd %1, %0" : "+x"(a) : "x"(b));
			break;
		case A_DIV:
			__asm__ volatile("divsd %1, %0" : "+x"(a) : "x"(b));
			break;
		case A_SQRT: __asm__ volatile("sqrtsd %0, %0" : "+x"(a)); break;
		default:
			__asm__ volatile("vfmadd231sd %2, %1, %0"
					 : "+x"(c)
					 : "x"(a), "x"(b));
			a = c;
			break;
		}
		memcpy(&r, &a, 8);
		return r;
	}
}

static uint64_t soft_arith(int fmt, enum aop op, uint64_t a, uint64_t b,
			   uint64_t c, int rm, uint8_t *fl)
{
	switch (op) {
	case A_ADD: return softfp_add(fmt, a, b, rm, fl);
	case A_SUB: return softfp_sub(fmt, a, b, rm, fl);
	case A_MUL: return softfp_mul(fmt, a, b, rm, fl);
	case A_DIV: return softfp_div(fmt, a, b, rm, fl);
	case A_SQRT: return softfp_sqrt(fmt, a, rm, fl);
	default: return softfp_fma(fmt, a, b, c, rm, fl);
	}
}

static bool is_nan_bits(int fmt, uint64_t v)
{
	if (fmt == S)
		return (v & 0x7fffffff) > 0x7f800000;
	return (v & 0x7fffffffffffffffull) > 0x7ff0000000000000ull;
}

static bool inf_times_zero(int fmt, uint64_t a, uint64_t b)
{
	uint64_t mag = fmt == S ? 0x7fffffff : 0x7fffffffffffffffull;
	uint64_t inf = fmt == S ? 0x7f800000 : 0x7ff0000000000000ull;

	return ((a & mag) == inf && (b & mag) == 0) ||
	       ((a & mag) == 0 && (b & mag) == inf);
}

static uint64_t canon(int fmt)
{
	return fmt == S ? F32_CANONICAL_NAN : F64_CANONICAL_NAN;
}

static void mismatch(const char *what, int fmt, int rm, uint64_t a, uint64_t b,
		     uint64_t c, uint64_t got, uint8_t gotf, uint64_t want,
		     uint8_t wantf)
{
	unit_failed++;
	if (reported++ < 30)
		fprintf(stderr,
			"%s.%c %s a=%#" PRIx64 " b=%#" PRIx64 " c=%#" PRIx64
			": got %#" PRIx64 "/%#x want %#" PRIx64 "/%#x\n",
			what, fmt == S ? 's' : 'd', rm_name[rm], a, b, c, got,
			gotf, want, wantf);
}

/* Compares a result with an expected one, NaN results as canonical. */
static void expect(const char *what, int fmt, int rm, uint64_t a, uint64_t b,
		   uint64_t c, uint64_t got, uint8_t gotf, uint64_t want,
		   uint8_t wantf)
{
	if (is_nan_bits(fmt, want))
		want = canon(fmt);
	compared++;
	if (got == want && gotf == wantf)
		unit_passed++;
	else
		mismatch(what, fmt, rm, a, b, c, got, gotf, want, wantf);
}

/* --- RMM by its definition -------------------------------------------- */

/*
 * Given the exact value w (as long double) of a result, is it the
 * midpoint of two neighbours in fmt? If so *away is the neighbour away
 * from zero. Uses the x87 unit in round-toward-zero.
 */
static bool midpoint(int fmt, long double w, uint64_t *away)
{
	volatile long double vw = w, mid;
	bool tie = false;

	if (w == 0 || isinf(w) || isnan(w))
		return false;
	fesetround(FE_TOWARDZERO);
	if (fmt == S) {
		volatile float t = (float)vw;
		float n = nextafterf(t, w < 0 ? -INFINITY : INFINITY);

		mid = ((long double)t + n) / 2;
		if ((long double)t != vw && !isinf(n) && mid == vw) {
			uint32_t r;

			memcpy(&r, &n, 4);
			*away = r;
			tie = true;
		}
	} else {
		volatile double t = (double)vw;
		double n = nextafter(t, w < 0 ? -INFINITY : INFINITY);

		mid = ((long double)t + n) / 2;
		if ((long double)t != vw && !isinf(n) && mid == vw) {
			memcpy(away, &n, 8);
			tie = true;
		}
	}
	fesetround(FE_TONEAREST);
	return tie;
}

static long double to_ld(int fmt, uint64_t v)
{
	if (fmt == S) {
		uint32_t v32 = v;
		float f;

		memcpy(&f, &v32, 4);
		return f;
	} else {
		double d;

		memcpy(&d, &v, 8);
		return d;
	}
}

/*
 * The exact result of op in x87 extended precision, or false when the
 * x87 result is inexact or not finite (then it is no midpoint, except for
 * a double fma whose product alone was inexact: that case is skipped).
 */
static bool exact_ld(int fmt, enum aop op, uint64_t ua, uint64_t ub,
		     uint64_t uc, long double *w, bool *skip)
{
	volatile long double a = to_ld(fmt, ua), b = to_ld(fmt, ub),
			     c = to_ld(fmt, uc), r, p;

	*skip = false;
	feclearexcept(FE_ALL_EXCEPT);
	switch (op) {
	case A_ADD: r = a + b; break;
	case A_SUB: r = a - b; break;
	case A_MUL: r = a * b; break;
	case A_DIV: r = a / b; break;
	case A_SQRT: r = sqrtl(a); break;
	default:
		p = a * b;
		if (fetestexcept(FE_INEXACT)) {
			*skip = true;
			return false;
		}
		r = p + c;
		break;
	}
	if (fetestexcept(FE_INEXACT | FE_INVALID | FE_DIVBYZERO))
		return false;
	*w = r;
	return isfinite(*w);
}

static void check_rmm_arith(int fmt, enum aop op, uint64_t a, uint64_t b,
			    uint64_t c, uint64_t rne, uint8_t rnef)
{
	uint64_t want = rne, away;
	uint8_t fl = 0;
	uint64_t got = soft_arith(fmt, op, a, b, c, RM_RMM, &fl);
	long double w;
	bool skip = false;

	if (!is_nan_bits(fmt, rne) && exact_ld(fmt, op, a, b, c, &w, &skip) &&
	    midpoint(fmt, w, &away))
		want = away;
	if (skip) {
		rmm_skipped++;
		return;
	}
	expect(op_name[op], fmt, RM_RMM, a, b, c, got, fl, want, rnef);
}

/* --- operand generation ----------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return x;
}

static const uint32_t edge32[] = {
	0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007fffff, 0x807fffff,
	0x00800000, 0x80800000, 0x00800001, 0x7f7fffff, 0xff7fffff, 0x7f800000,
	0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001, 0x7fa00000,
	0x7fffffff, 0x3f800000, 0xbf800000, 0x3f000000, 0xbf000000, 0x3fc00000,
	0xbfc00000, 0x40200000, 0xc0200000, 0x4effffff, 0x4f000000, 0xcf000000,
	0xcf000001, 0x4f7fffff, 0x4f800000, 0x5effffff, 0x5f000000, 0xdf000000,
	0xdf000001, 0x5f7fffff, 0x5f800000, 0x33800000, 0x34000000, 0x3f7fffff,
	0x3f800001, 0x00400000, 0x40000000,
};

static const uint64_t edge64[] = {
	0x0000000000000000ull, 0x8000000000000000ull, 0x0000000000000001ull,
	0x8000000000000001ull, 0x000fffffffffffffull, 0x800fffffffffffffull,
	0x0010000000000000ull, 0x8010000000000000ull, 0x0010000000000001ull,
	0x7fefffffffffffffull, 0xffefffffffffffffull, 0x7ff0000000000000ull,
	0xfff0000000000000ull, 0x7ff8000000000000ull, 0xfff8000000000000ull,
	0x7ff0000000000001ull, 0xfff0000000000001ull, 0x7ff4000000000000ull,
	0x7fffffffffffffffull, 0x3ff0000000000000ull, 0xbff0000000000000ull,
	0x3fe0000000000000ull, 0xbfe0000000000000ull, 0x3ff8000000000000ull,
	0xbff8000000000000ull, 0x4004000000000000ull, 0xc004000000000000ull,
	0x41dfffffffc00000ull, 0x41dfffffffe00000ull, 0x41e0000000000000ull,
	0xc1e0000000000000ull, 0xc1e0000000100000ull, 0xc1e0000000200000ull,
	0x41efffffffe00000ull, 0x41effffffff00000ull, 0x41f0000000000000ull,
	0x43dfffffffffffffull, 0x43e0000000000000ull, 0xc3e0000000000000ull,
	0xc3e0000000000001ull, 0x43efffffffffffffull, 0x43f0000000000000ull,
	0x3ca0000000000000ull, 0x3cb0000000000000ull, 0x3fefffffffffffffull,
	0x3ff0000000000001ull, 0x0008000000000000ull, 0x4000000000000000ull,
	0x47efffffe0000000ull, 0x47efffffefffffffull, 0x47effffff0000000ull,
	0x36a0000000000000ull, 0x3690000000000000ull, 0x380fffffe0000000ull,
	0x380ffffff0000000ull, 0x3810000000000000ull, 0x36a8000000000000ull,
};

#define N_EDGE32 (sizeof(edge32) / sizeof(edge32[0]))
#define N_EDGE64 (sizeof(edge64) / sizeof(edge64[0]))

static int fmt_mbits(int fmt)
{
	return fmt == S ? 23 : 52;
}

static int fmt_ebits(int fmt)
{
	return fmt == S ? 8 : 11;
}

static uint64_t make(int fmt, bool sign, uint64_t e, uint64_t m)
{
	int mb = fmt_mbits(fmt);

	return ((uint64_t)sign << (mb + fmt_ebits(fmt))) | (e << mb) |
	       (m & (((uint64_t)1 << mb) - 1));
}

static uint64_t exp_of(int fmt, uint64_t v)
{
	return (v >> fmt_mbits(fmt)) & ((1u << fmt_ebits(fmt)) - 1);
}

/* A random operand; near (when nonzero) is a biased exponent to stay near. */
static uint64_t gen(int fmt, long near)
{
	uint64_t r = rnd(), m = rnd();
	long emax = (1 << fmt_ebits(fmt)) - 1, e;

	switch (r & 7) {
	case 0:
		return fmt == S ? edge32[(r >> 8) % N_EDGE32]
				: edge64[(r >> 8) % N_EDGE64];
	case 1: return fmt == S ? (uint32_t)m : m;
	case 2:
		/* few significant bits: exact results, ties */
		m &= ~(((uint64_t)1 << ((r >> 8) % (fmt_mbits(fmt) + 1))) - 1);
		/* fall through */
	default:
		if (near > 0 && (r & 0x18))
			e = near + (long)((r >> 16) % 64) - 32;
		else if ((r & 0x60) == 0)
			e = (r >> 16) % 8 + ((r >> 24) & 1 ? emax - 8 : 0);
		else
			e = (long)((r >> 16) % emax);
		if (e < 0)
			e = 0;
		if (e >= emax)
			e = emax - 1;
		if ((r & 0x780) == 0)
			m = ~(uint64_t)0 << ((r >> 32) % 8);
		return make(fmt, (r >> 40) & 1, e, m);
	}
}

/* --- arithmetic against the host -------------------------------------- */

static void run_arith(int fmt, enum aop op, long n)
{
	int bias = fmt == S ? 127 : 1023;

	for (long k = 0; k < n; k++) {
		uint64_t a = gen(fmt, 0), b, c;
		long ea = exp_of(fmt, a), eb;

		b = gen(fmt, op == A_MUL || op == A_DIV || op == A_FMA
				     ? (rnd() & 1 ? bias : bias - ea + bias)
				     : ea);
		eb = exp_of(fmt, b);
		c = gen(fmt, ea + eb - bias);
		if (op == A_FMA && (rnd() & 255) == 0) {
			/* inf * 0 + NaN, rare from gen() alone */
			a = fmt == S ? 0xff800000 : 0xfff0000000000000ull;
			b = 0;
			if (rnd() & 1)
				b = fmt == S ? 0x80000000 : 1ull << 63;
			if (rnd() & 1) {
				uint64_t t = a;

				a = b;
				b = t;
			}
			c = canon(fmt) | (rnd() & 1);
		}
		if (op == A_FMA && !have_fma)
			return;
		for (int rm = RM_RNE; rm <= RM_RUP; rm++) {
			uint8_t fl = 0, hf;
			uint64_t got = soft_arith(fmt, op, a, b, c, rm, &fl);
			uint64_t want;

			host_begin(rm);
			want = host_arith(fmt, op, a, b, c);
			hf = host_flags();
			host_begin(RM_RNE);
			/*
			 * x86 raises no invalid for inf * 0 + qNaN; the spec
			 * requires it (11.6).
			 */
			if (op == A_FMA && inf_times_zero(fmt, a, b) &&
			    is_nan_bits(fmt, c))
				hf |= FFLAG_NV;
			expect(op_name[op], fmt, rm, a, b, c, got, fl, want,
			       hf);
			if (rm == RM_RNE)
				check_rmm_arith(fmt, op, a, b, c, want, hf);
		}
	}
}

/* --- conversions ------------------------------------------------------ */

static void host_to_int(int fmt, uint64_t a, bool sgn, int bits, int rm,
			uint64_t *want, uint8_t *wantf)
{
	double r;
	uint8_t hf;
	double lo, hi_excl;

	host_begin(rm);
	if (fmt == S) {
		float x;
		uint32_t a32 = a;

		memcpy(&x, &a32, 4);
		__asm__ volatile("roundss $4, %0, %0" : "+x"(x));
		hf = host_flags();
		host_begin(RM_RNE);
		r = x;
	} else {
		memcpy(&r, &a, 8);
		__asm__ volatile("roundsd $4, %0, %0" : "+x"(r));
		hf = host_flags();
		host_begin(RM_RNE);
	}
	if (sgn) {
		lo = -ldexp(1, bits - 1);
		hi_excl = ldexp(1, bits - 1);
	} else {
		lo = 0;
		hi_excl = ldexp(1, bits);
	}
	if (isnan(r)) {
		*want = sgn ? ((uint64_t)1 << (bits - 1)) - 1 : ~(uint64_t)0;
		*wantf = FFLAG_NV;
	} else if (r < lo) {
		*want = sgn ? -((uint64_t)1 << (bits - 1)) : 0;
		*wantf = FFLAG_NV;
	} else if (r >= hi_excl) {
		*want = sgn ? ((uint64_t)1 << (bits - 1)) - 1 : ~(uint64_t)0;
		*wantf = FFLAG_NV;
	} else {
		*want = sgn ? (uint64_t)(int64_t)r : (uint64_t)r;
		*wantf = hf & FFLAG_NX;
	}
	if (bits == 32)
		*want = (uint32_t)*want;
}

/* RMM to an integer: C's round() rounds halfway cases away from zero. */
static void rmm_to_int(int fmt, uint64_t a, bool sgn, int bits, uint64_t *want,
		       uint8_t *wantf)
{
	double x = (double)to_ld(fmt, a), r;

	if (isnan(x)) {
		host_to_int(fmt, a, sgn, bits, RM_RNE, want, wantf);
		return;
	}
	r = round(x);
	if ((sgn && (r < -ldexp(1, bits - 1) || r >= ldexp(1, bits - 1))) ||
	    (!sgn && (r < 0 || r >= ldexp(1, bits)))) {
		/* out of range after rounding: saturate (table 11.4) */
		if (sgn)
			*want = r < 0 ? -((uint64_t)1 << (bits - 1))
				      : ((uint64_t)1 << (bits - 1)) - 1;
		else
			*want = r < 0 ? 0 : ~(uint64_t)0;
		if (bits == 32)
			*want = (uint32_t)*want;
		*wantf = FFLAG_NV;
		return;
	}
	*want = sgn ? (uint64_t)(int64_t)r : (uint64_t)r;
	if (bits == 32)
		*want = (uint32_t)*want;
	*wantf = r != x ? FFLAG_NX : 0;
}

static void run_to_int(int fmt, long n)
{
	static const char *const name[2][2] = { { "cvt.wu", "cvt.w" },
						{ "cvt.lu", "cvt.l" } };

	for (long k = 0; k < n; k++) {
		uint64_t a;
		int bits = rnd() & 1 ? 64 : 32;
		bool sgn = rnd() & 1;

		/* mostly values whose magnitude is near the integer range */
		if (rnd() & 3) {
			int bias = fmt == S ? 127 : 1023;

			a = make(fmt, rnd() & 1, bias + rnd() % (bits + 3) - 2,
				 rnd());
			if (rnd() & 1)
				a &= ~(((uint64_t)1 << (rnd() % 24)) - 1);
		} else {
			a = gen(fmt, 0);
		}
		for (int rm = RM_RNE; rm <= RM_RMM; rm++) {
			uint8_t fl = 0, wf;
			uint64_t got =
				softfp_to_int(fmt, a, sgn, bits, rm, &fl);
			uint64_t want;

			if (bits == 32)
				got = (uint32_t)got;
			if (rm == RM_RMM)
				rmm_to_int(fmt, a, sgn, bits, &want, &wf);
			else
				host_to_int(fmt, a, sgn, bits, rm, &want, &wf);
			compared++;
			if (got == want && fl == wf)
				unit_passed++;
			else
				mismatch(name[bits == 64][sgn], fmt, rm, a, 0,
					 0, got, fl, want, wf);
		}
	}
}

static uint64_t host_from_int(int fmt, uint64_t v, bool sgn, int bits)
{
	int64_t s;

	if (bits == 32)
		v = sgn ? (uint64_t)(int64_t)(int32_t)v : (uint32_t)v;
	s = (int64_t)v;
	if (fmt == S) {
		float f;
		uint32_t r;

		if (!sgn && bits == 64 && have_avx512)
			__asm__ volatile("vcvtusi2ssq %1, %0, %0"
					 : "=x"(f)
					 : "r"(v));
		else
			__asm__ volatile("cvtsi2ssq %1, %0" : "=x"(f) : "r"(s));
		memcpy(&r, &f, 4);
		return r;
	} else {
		double d;
		uint64_t r;

		if (!sgn && bits == 64 && have_avx512)
			__asm__ volatile("vcvtusi2sdq %1, %0, %0"
					 : "=x"(d)
					 : "r"(v));
		else
			__asm__ volatile("cvtsi2sdq %1, %0" : "=x"(d) : "r"(s));
		memcpy(&r, &d, 8);
		return r;
	}
}

static void run_from_int(int fmt, long n)
{
	for (long k = 0; k < n; k++) {
		uint64_t v = rnd() >> (rnd() % 64);
		int bits = rnd() & 1 ? 64 : 32;
		bool sgn = rnd() & 1;

		if (rnd() & 1)
			v = -v;
		if (!sgn && bits == 64 && !have_avx512)
			v >>= 1;
		for (int rm = RM_RNE; rm <= RM_RUP; rm++) {
			uint8_t fl = 0, hf;
			uint64_t got =
				softfp_from_int(fmt, v, sgn, bits, rm, &fl);
			uint64_t want;

			host_begin(rm);
			want = host_from_int(fmt, v, sgn, bits);
			hf = host_flags();
			host_begin(RM_RNE);
			expect(sgn ? "cvt.from.signed" : "cvt.from.unsigned",
			       fmt, rm, v, bits, 0, got, fl, want, hf);
			if (rm == RM_RNE) {
				uint64_t x = v;
				long double w;

				if (bits == 32)
					x = sgn ? (uint64_t)(int64_t)(int32_t)v
						: (uint32_t)v;
				w = sgn ? (long double)(int64_t)x
					: (long double)x;
				uint64_t rmm = want, away;

				if (midpoint(fmt, w, &away))
					rmm = away;
				fl = 0;
				got = softfp_from_int(fmt, v, sgn, bits, RM_RMM,
						      &fl);
				expect("cvt.from.int", fmt, RM_RMM, v, bits, 0,
				       got, fl, rmm, hf);
			}
		}
	}
}

static void run_s_d(long n)
{
	for (long k = 0; k < n; k++) {
		uint64_t d = gen(D, 1023 + (long)(rnd() % 300) - 150);
		uint32_t s = gen(S, 0);

		if ((rnd() & 3) == 0)
			d &= ~(((uint64_t)1 << (rnd() % 40)) - 1);
		for (int rm = RM_RNE; rm <= RM_RUP; rm++) {
			uint8_t fl = 0, hf;
			uint64_t got, want;
			double dx;
			float fx;

			memcpy(&dx, &d, 8);
			host_begin(rm);
			__asm__ volatile("cvtsd2ss %1, %0"
					 : "=x"(fx)
					 : "x"(dx));
			hf = host_flags();
			host_begin(RM_RNE);
			want = 0;
			memcpy(&want, &fx, 4);
			got = softfp_convert(S, D, d, rm, &fl);
			expect("cvt.s.d", S, rm, d, 0, 0, got, fl, want, hf);
			if (rm == RM_RNE) {
				uint64_t away, rmm = want;

				if (!isnan(dx) && midpoint(S, dx, &away))
					rmm = away;
				fl = 0;
				got = softfp_convert(S, D, d, RM_RMM, &fl);
				expect("cvt.s.d", S, RM_RMM, d, 0, 0, got, fl,
				       rmm, hf);
			}

			memcpy(&fx, &s, 4);
			host_begin(rm);
			__asm__ volatile("cvtss2sd %1, %0"
					 : "=x"(dx)
					 : "x"(fx));
			hf = host_flags();
			host_begin(RM_RNE);
			memcpy(&want, &dx, 8);
			fl = 0;
			got = softfp_convert(D, S, s, rm, &fl);
			expect("cvt.d.s", D, rm, s, 0, 0, got, fl, want, hf);
		}
	}
}

/* --- compares, min/max, class ----------------------------------------- */

static void run_compare(int fmt, long n)
{
	for (long k = 0; k < n; k++) {
		uint64_t a = gen(fmt, 0), b;
		uint8_t fl, hf;
		bool want, got;

		b = rnd() & 3 ? gen(fmt, exp_of(fmt, a)) : a;
		if ((rnd() & 7) == 0)
			b = a ^ (fmt == S ? 0x80000000u : 1ull << 63);
		for (int which = 0; which < 3; which++) {
			uint8_t r;

			host_begin(RM_RNE);
			if (fmt == S) {
				float x, y;
				uint32_t a32 = a, b32 = b;

				memcpy(&x, &a32, 4);
				memcpy(&y, &b32, 4);
				if (which == 0)
					__asm__ volatile("ucomiss %2, %1\n\t"
							 "setnp %%al\n\t"
							 "sete %0\n\t"
							 "and %%al, %0"
							 : "=r"(r)
							 : "x"(x), "x"(y)
							 : "al", "cc");
				else if (which == 1)
					__asm__ volatile("comiss %1, %2\n\t"
							 "seta %0"
							 : "=r"(r)
							 : "x"(x), "x"(y)
							 : "cc");
				else
					__asm__ volatile("comiss %1, %2\n\t"
							 "setae %0"
							 : "=r"(r)
							 : "x"(x), "x"(y)
							 : "cc");
			} else {
				double x, y;

				memcpy(&x, &a, 8);
				memcpy(&y, &b, 8);
				if (which == 0)
					__asm__ volatile("ucomisd %2, %1\n\t"
							 "setnp %%al\n\t"
							 "sete %0\n\t"
							 "and %%al, %0"
							 : "=r"(r)
							 : "x"(x), "x"(y)
							 : "al", "cc");
				else if (which == 1)
					__asm__ volatile("comisd %1, %2\n\t"
							 "seta %0"
							 : "=r"(r)
							 : "x"(x), "x"(y)
							 : "cc");
				else
					__asm__ volatile("comisd %1, %2\n\t"
							 "setae %0"
							 : "=r"(r)
							 : "x"(x), "x"(y)
							 : "cc");
			}
			hf = host_flags();
			want = r;
			fl = 0;
			got = which == 0   ? softfp_eq(fmt, a, b, &fl)
			      : which == 1 ? softfp_lt(fmt, a, b, &fl)
					   : softfp_le(fmt, a, b, &fl);
			expect(which == 0   ? "feq"
			       : which == 1 ? "flt"
					    : "fle",
			       fmt, RM_RNE, a, b, 0, got, fl, want, hf);
		}
		/* fmin/fmax (2.2) of non-NaN unequal values, by x87 order */
		if (!is_nan_bits(fmt, a) && !is_nan_bits(fmt, b)) {
			bool lt = to_ld(fmt, a) < to_ld(fmt, b);
			bool gt = to_ld(fmt, b) < to_ld(fmt, a);

			if (lt || gt) {
				fl = 0;
				expect("fmin", fmt, RM_RNE, a, b, 0,
				       softfp_min(fmt, a, b, &fl), fl,
				       lt ? a : b, 0);
				fl = 0;
				expect("fmax", fmt, RM_RNE, a, b, 0,
				       softfp_max(fmt, a, b, &fl), fl,
				       lt ? b : a, 0);
			}
		}
	}
}

static uint64_t f32(float x)
{
	uint32_t r;

	memcpy(&r, &x, 4);
	return r;
}

static uint64_t f64(double x)
{
	uint64_t r;

	memcpy(&r, &x, 8);
	return r;
}

static void test_minmax_special(void)
{
	static const struct {
		int fmt;
		uint64_t a, b, min, max;
		uint8_t fl;
	} c[] = {
		{ S, 0x80000000, 0x00000000, 0x80000000, 0x00000000, 0 },
		{ S, 0x00000000, 0x80000000, 0x80000000, 0x00000000, 0 },
		{ S, 0x7fc00000, 0x3f800000, 0x3f800000, 0x3f800000, 0 },
		{ S, 0x3f800000, 0xffc12345, 0x3f800000, 0x3f800000, 0 },
		{ S, 0x7f800001, 0x3f800000, 0x3f800000, 0x3f800000, FFLAG_NV },
		{ S, 0x7fc00001, 0xff800001, 0x7fc00000, 0x7fc00000, FFLAG_NV },
		{ S, 0x7fc00001, 0xffc00000, 0x7fc00000, 0x7fc00000, 0 },
		{ D, 0x8000000000000000ull, 0, 0x8000000000000000ull, 0, 0 },
		{ D, 0x7ff0000000000001ull, 0xbff0000000000000ull,
		  0xbff0000000000000ull, 0xbff0000000000000ull, FFLAG_NV },
		{ D, 0xfff8000000000001ull, 0xfff8000000000000ull,
		  F64_CANONICAL_NAN, F64_CANONICAL_NAN, 0 },
		{ D, 0xfff0000000000000ull, 0x7ff0000000000000ull,
		  0xfff0000000000000ull, 0x7ff0000000000000ull, 0 },
	};

	for (unsigned k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
		uint8_t fl = 0;

		CHECK_EQ_U64(softfp_min(c[k].fmt, c[k].a, c[k].b, &fl),
			     c[k].min);
		CHECK_EQ_U64(fl, c[k].fl);
		fl = 0;
		CHECK_EQ_U64(softfp_max(c[k].fmt, c[k].a, c[k].b, &fl),
			     c[k].max);
		CHECK_EQ_U64(fl, c[k].fl);
	}
}

static void test_class(void)
{
	static const struct {
		int fmt;
		uint64_t v;
		unsigned bit;
	} c[] = {
		{ S, 0xff800000, 0 },
		{ S, 0xbf800000, 1 },
		{ S, 0x807fffff, 2 },
		{ S, 0x80000000, 3 },
		{ S, 0x00000000, 4 },
		{ S, 0x00000001, 5 },
		{ S, 0x7f7fffff, 6 },
		{ S, 0x7f800000, 7 },
		{ S, 0x7f800001, 8 },
		{ S, 0x7fc00000, 9 },
		{ S, 0xffffffff, 9 },
		{ S, 0xff800001, 8 },
		{ D, 0xfff0000000000000ull, 0 },
		{ D, 0x8010000000000000ull, 1 },
		{ D, 0x8000000000000001ull, 2 },
		{ D, 0x8000000000000000ull, 3 },
		{ D, 0, 4 },
		{ D, 0x000fffffffffffffull, 5 },
		{ D, 0x3ff0000000000000ull, 6 },
		{ D, 0x7ff0000000000000ull, 7 },
		{ D, 0x7ff4000000000000ull, 8 },
		{ D, 0x7ff8000000000000ull, 9 },
	};

	for (unsigned k = 0; k < sizeof(c) / sizeof(c[0]); k++)
		CHECK_EQ_U64(softfp_class(c[k].fmt, c[k].v), 1u << c[k].bit);
}

/* --- hand-derived cases: RMM, fma, sqrt, conversions ------------------ */

static void test_hand(void)
{
	uint8_t fl;

#define T(expr, want, wantfl)                 \
	do {                                  \
		fl = 0;                       \
		CHECK_EQ_U64((expr), (want)); \
		CHECK_EQ_U64(fl, (wantfl));   \
	} while (0)

	/* 1 + 2^-24 is halfway between 1 and 1 + 2^-23 */
	T(softfp_add(S, 0x3f800000, 0x33800000, RM_RMM, &fl), 0x3f800001,
	  FFLAG_NX);
	T(softfp_add(S, 0x3f800000, 0x33800000, RM_RNE, &fl), 0x3f800000,
	  FFLAG_NX);
	T(softfp_add(S, 0xbf800000, 0xb3800000, RM_RMM, &fl), 0xbf800001,
	  FFLAG_NX);
	/* 1 + 3 * 2^-24: both RNE and RMM go up to 1 + 2^-22 */
	T(softfp_add(S, 0x3f800001, 0x33800000, RM_RMM, &fl), 0x3f800002,
	  FFLAG_NX);
	/* 1 + 2^-53 in double */
	T(softfp_add(D, 0x3ff0000000000000ull, 0x3ca0000000000000ull, RM_RMM,
		     &fl),
	  0x3ff0000000000001ull, FFLAG_NX);
	/* 2^-150 is half the smallest subnormal: tiny and inexact */
	T(softfp_mul(S, 0x00000001, 0x3f000000, RM_RMM, &fl), 0x00000001,
	  FFLAG_UF | FFLAG_NX);
	T(softfp_mul(S, 0x00000001, 0x3f000000, RM_RNE, &fl), 0x00000000,
	  FFLAG_UF | FFLAG_NX);
	T(softfp_mul(S, 0x80000001, 0x3f000000, RM_RDN, &fl), 0x80000001,
	  FFLAG_UF | FFLAG_NX);
	/* overflow: RMM to infinity, RTZ to the largest finite */
	T(softfp_mul(S, 0x7f7fffff, 0x40000000, RM_RMM, &fl), 0x7f800000,
	  FFLAG_OF | FFLAG_NX);
	T(softfp_mul(S, 0x7f7fffff, 0x40000000, RM_RTZ, &fl), 0x7f7fffff,
	  FFLAG_OF | FFLAG_NX);
	T(softfp_mul(D, 0xffefffffffffffffull, 0x4000000000000000ull, RM_RUP,
		     &fl),
	  0xffefffffffffffffull, FFLAG_OF | FFLAG_NX);
	/*
	 * Tininess after rounding: (1 - 2^-25) * 2^-126 rounds with an
	 * unbounded exponent to 2^-126 in RNE and RMM (not tiny), stays below
	 * in RTZ (tiny); (1 - 2^-24) * 2^-126 is tiny in every mode though
	 * RNE delivers 2^-126.
	 */
	T(softfp_convert(S, D, 0x380ffffff0000000ull, RM_RNE, &fl), 0x00800000,
	  FFLAG_NX);
	T(softfp_convert(S, D, 0x380ffffff0000000ull, RM_RMM, &fl), 0x00800000,
	  FFLAG_NX);
	T(softfp_convert(S, D, 0x380ffffff0000000ull, RM_RTZ, &fl), 0x007fffff,
	  FFLAG_UF | FFLAG_NX);
	T(softfp_convert(S, D, 0x380fffffe0000000ull, RM_RNE, &fl), 0x00800000,
	  FFLAG_UF | FFLAG_NX);
	T(softfp_mul(S, 0x3f7fffff, 0x00800000, RM_RNE, &fl), 0x00800000,
	  FFLAG_UF | FFLAG_NX);
	/* conversions with RMM and the saturation of table 11.4 */
	T(softfp_to_int(S, f32(2.5f), true, 32, RM_RMM, &fl), 3, FFLAG_NX);
	T(softfp_to_int(S, f32(-2.5f), true, 32, RM_RMM, &fl), (uint64_t)-3,
	  FFLAG_NX);
	T(softfp_to_int(S, f32(2.5f), true, 32, RM_RNE, &fl), 2, FFLAG_NX);
	T(softfp_to_int(D, f64(0.5), false, 64, RM_RMM, &fl), 1, FFLAG_NX);
	T(softfp_to_int(D, f64(-0.5), false, 64, RM_RTZ, &fl), 0, FFLAG_NX);
	T(softfp_to_int(D, f64(-0.5), false, 64, RM_RDN, &fl), 0, FFLAG_NV);
	T(softfp_to_int(S, F32_CANONICAL_NAN, true, 32, RM_RNE, &fl),
	  0x7fffffff, FFLAG_NV);
	T(softfp_to_int(S, 0xff800000, true, 32, RM_RNE, &fl),
	  0xffffffff80000000ull, FFLAG_NV);
	T(softfp_to_int(S, 0x7fc00000, false, 64, RM_RNE, &fl), ~0ull,
	  FFLAG_NV);
	T(softfp_to_int(D, f64(-1e30), false, 64, RM_RNE, &fl), 0, FFLAG_NV);
	T(softfp_to_int(D, f64(-9223372036854775808.0), true, 64, RM_RNE, &fl),
	  0x8000000000000000ull, 0);
	T(softfp_to_int(D, f64(4294967295.5), false, 32, RM_RMM, &fl),
	  0xffffffffu, FFLAG_NV);
	T(softfp_to_int(D, f64(4294967295.5), false, 32, RM_RTZ, &fl),
	  0xffffffffu, FFLAG_NX);
	/* fma: inf * 0 + qNaN is invalid (11.6); single rounding */
	T(softfp_fma(S, 0x7f800000, 0, 0x7fc00000, RM_RNE, &fl),
	  F32_CANONICAL_NAN, FFLAG_NV);
	T(softfp_fma(D, 0, 0xfff0000000000000ull, 0x7ff8000000000000ull, RM_RNE,
		     &fl),
	  F64_CANONICAL_NAN, FFLAG_NV);
	T(softfp_fma(S, 0x7fc00000, 0x3f800000, 0x7f800001, RM_RNE, &fl),
	  F32_CANONICAL_NAN, FFLAG_NV);
	T(softfp_fma(S, 0x7f800000, 0x3f800000, 0xff800000, RM_RNE, &fl),
	  F32_CANONICAL_NAN, FFLAG_NV);
	/*
	 * (1 + 2^-12)^2 - 1 = 2^-11 + 2^-24 exactly; rounding the product
	 * first would lose the 2^-24
	 */
	T(softfp_fma(S, 0x3f800800, 0x3f800800, 0xbf800000, RM_RNE, &fl),
	  0x3a000400, 0);
	T(softfp_fma(S, 0x3f800000, 0x3f800000, 0xbf800000, RM_RNE, &fl), 0, 0);
	T(softfp_fma(S, 0x3f800000, 0x3f800000, 0xbf800000, RM_RDN, &fl),
	  0x80000000, 0);
	T(softfp_fma(D, 0x8000000000000000ull, 0x3ff0000000000000ull,
		     0x8000000000000000ull, RM_RNE, &fl),
	  0x8000000000000000ull, 0);
	/* sqrt */
	T(softfp_sqrt(S, 0xbf800000, RM_RNE, &fl), F32_CANONICAL_NAN, FFLAG_NV);
	T(softfp_sqrt(D, 0x8000000000000000ull, RM_RNE, &fl),
	  0x8000000000000000ull, 0);
	T(softfp_sqrt(S, 0x40800000, RM_RNE, &fl), 0x40000000, 0);
	T(softfp_sqrt(S, 0x40000000, RM_RNE, &fl), 0x3fb504f3, FFLAG_NX);
	T(softfp_sqrt(S, 0x40000000, RM_RUP, &fl), 0x3fb504f4, FFLAG_NX);
	T(softfp_sqrt(D, 0xfff0000000000000ull, RM_RNE, &fl), F64_CANONICAL_NAN,
	  FFLAG_NV);
	/* NaN results are canonical, quiet NaN inputs raise nothing */
	T(softfp_add(S, 0xffc12345, 0x3f800000, RM_RNE, &fl), F32_CANONICAL_NAN,
	  0);
	T(softfp_convert(D, S, 0x7f800001, RM_RNE, &fl), F64_CANONICAL_NAN,
	  FFLAG_NV);
	T(softfp_convert(S, D, 0xfff8000000000001ull, RM_RNE, &fl),
	  F32_CANONICAL_NAN, 0);
	T(softfp_div(D, 0x3ff0000000000000ull, 0x8000000000000000ull, RM_RNE,
		     &fl),
	  0xfff0000000000000ull, FFLAG_DZ);
	T(softfp_div(S, 0, 0, RM_RNE, &fl), F32_CANONICAL_NAN, FFLAG_NV);
	/* int -> float ties: 2^24 + 1 is halfway between floats */
	T(softfp_from_int(S, 16777217, true, 32, RM_RMM, &fl), 0x4b800001,
	  FFLAG_NX);
	T(softfp_from_int(S, 16777217, true, 32, RM_RNE, &fl), 0x4b800000,
	  FFLAG_NX);
	T(softfp_from_int(S, 0xffffffff, true, 32, RM_RNE, &fl), 0xbf800000, 0);
	T(softfp_from_int(S, 0xffffffff, false, 32, RM_RNE, &fl), 0x4f800000,
	  FFLAG_NX);
	T(softfp_from_int(D, 0x8000000000000000ull, true, 64, RM_RNE, &fl),
	  0xc3e0000000000000ull, 0);
#undef T
}

/* --- fpu_exec: decoding rules, boxing, x0, fflags, FS ----------------- */

static struct insn mk(enum insn_op op, int rd, int rs1, int rs2, int rm)
{
	struct insn i;

	memset(&i, 0, sizeof(i));
	i.op = op;
	i.rd = rd;
	i.rs1 = rs1;
	i.rs2 = rs2;
	i.rm = rm;
	i.len = 4;
	return i;
}

static void test_exec(void)
{
	struct hart h;
	struct insn i;

	memset(&h, 0, sizeof(h));
	h.mstatus = (uint64_t)FS_INITIAL << MSTATUS_FS_SHIFT;
	h.f[1] = fpu_box32(0x3f800000);
	h.f[2] = fpu_box32(0x40000000);

	i = mk(OP_FADD_S, 3, 1, 2, RM_RNE);
	CHECK_EQ_U64(fpu_exec(&h, &i), 0);
	CHECK_EQ_U64(h.f[3], 0xffffffff40400000ull);
	CHECK_EQ_U64(h.mstatus & MSTATUS_FS, MSTATUS_FS);
	CHECK(h.mstatus & MSTATUS_SD);

	/* reserved rounding modes */
	i = mk(OP_FADD_S, 3, 1, 2, 5);
	CHECK_EQ_U64(fpu_exec(&h, &i), (uint64_t)-1);
	i = mk(OP_FCVT_D_W, 3, 1, 0, 6);
	CHECK_EQ_U64(fpu_exec(&h, &i), (uint64_t)-1);
	h.frm = 5;
	i = mk(OP_FCVT_D_S, 3, 1, 0, RM_DYN);
	CHECK_EQ_U64(fpu_exec(&h, &i), (uint64_t)-1);
	/* ops without rm do not care about frm */
	i = mk(OP_FSGNJ_S, 3, 1, 2, 0);
	CHECK_EQ_U64(fpu_exec(&h, &i), 0);
	h.frm = RM_RUP;
	h.f[4] = fpu_box32(0x33800000);
	i = mk(OP_FADD_S, 3, 1, 4, RM_DYN);
	CHECK_EQ_U64(fpu_exec(&h, &i), 0);
	CHECK_EQ_U64(h.f[3], fpu_box32(0x3f800001));
	CHECK_EQ_U64(h.fflags, FFLAG_NX);

	/* FS off: illegal */
	h.mstatus = 0;
	i = mk(OP_FMV_X_W, 5, 1, 0, 0);
	CHECK_EQ_U64(fpu_exec(&h, &i), (uint64_t)-1);
	h.mstatus = (uint64_t)FS_CLEAN << MSTATUS_FS_SHIFT;

	/* NaN-boxing: an unboxed single is the canonical NaN */
	h.f[6] = 0x000000003f800000ull;
	h.fflags = 0;
	i = mk(OP_FADD_S, 3, 6, 1, RM_RNE);
	CHECK_EQ_U64(fpu_exec(&h, &i), 0);
	CHECK_EQ_U64(h.f[3], fpu_box32(F32_CANONICAL_NAN));
	CHECK_EQ_U64(h.fflags, 0);
	i = mk(OP_FCLASS_S, 5, 6, 0, 1);
	fpu_exec(&h, &i);
	CHECK_EQ_U64(h.x[5], 1u << 9);
	i = mk(OP_FSGNJN_S, 3, 6, 6, 0);
	fpu_exec(&h, &i);
	CHECK_EQ_U64(h.f[3], fpu_box32(0xffc00000));
	/* fmv.x.w takes the low bits as they are, sign-extended */
	i = mk(OP_FMV_X_W, 5, 6, 0, 0);
	fpu_exec(&h, &i);
	CHECK_EQ_U64(h.x[5], 0x3f800000);
	h.f[7] = 0x12345678bf800000ull;
	i = mk(OP_FMV_X_W, 5, 7, 0, 0);
	fpu_exec(&h, &i);
	CHECK_EQ_U64(h.x[5], 0xffffffffbf800000ull);
	h.x[8] = 0xdeadbeef80000001ull;
	i = mk(OP_FMV_W_X, 9, 8, 0, 0);
	fpu_exec(&h, &i);
	CHECK_EQ_U64(h.f[9], 0xffffffff80000001ull);
	i = mk(OP_FMV_D_X, 9, 8, 0, 0);
	fpu_exec(&h, &i);
	CHECK_EQ_U64(h.f[9], 0xdeadbeef80000001ull);
	/* fcvt.d.s reads a boxed single */
	i = mk(OP_FCVT_D_S, 9, 1, 0, RM_RNE);
	fpu_exec(&h, &i);
	CHECK_EQ_U64(h.f[9], 0x3ff0000000000000ull);
	i = mk(OP_FCVT_S_D, 10, 9, 0, RM_RNE);
	fpu_exec(&h, &i);
	CHECK_EQ_U64(h.f[10], fpu_box32(0x3f800000));

	/* x0 stays zero; fflags accrue */
	h.fflags = FFLAG_DZ;
	h.f[11] = F64_CANONICAL_NAN;
	i = mk(OP_FLT_D, 0, 11, 11, 1);
	CHECK_EQ_U64(fpu_exec(&h, &i), 0);
	CHECK_EQ_U64(h.x[0], 0);
	CHECK_EQ_U64(h.fflags, FFLAG_DZ | FFLAG_NV);

	/* fcvt.wu: the 32-bit result is sign-extended */
	h.fflags = 0;
	h.f[12] = 0x41efffffffe00000ull; /* 4294967295.0 */
	i = mk(OP_FCVT_WU_D, 13, 12, 0, RM_RTZ);
	fpu_exec(&h, &i);
	CHECK_EQ_U64(h.x[13], ~0ull);
	i = mk(OP_FCVT_W_D, 13, 12, 0, RM_RTZ);
	fpu_exec(&h, &i);
	CHECK_EQ_U64(h.x[13], 0x7fffffff);
	CHECK_EQ_U64(h.fflags, FFLAG_NV);
	/* fcvt.s.w reads the low 32 bits of x */
	h.x[14] = 0x00000001fffffffeull;
	i = mk(OP_FCVT_S_W, 15, 14, 0, RM_RNE);
	fpu_exec(&h, &i);
	CHECK_EQ_U64(h.f[15], fpu_box32(0xc0000000));
	/* fnmadd: -(a * b) - c */
	h.f[16] = 0x4000000000000000ull;
	h.f[17] = 0x4008000000000000ull;
	h.f[18] = 0x3ff0000000000000ull;
	i = mk(OP_FNMADD_D, 19, 16, 17, RM_RNE);
	i.rs3 = 18;
	fpu_exec(&h, &i);
	CHECK_EQ_U64(h.f[19], 0xc01c000000000000ull);
	i.op = OP_FMSUB_D;
	fpu_exec(&h, &i);
	CHECK_EQ_U64(h.f[19], 0x4014000000000000ull);
	i.op = OP_FNMSUB_D;
	fpu_exec(&h, &i);
	CHECK_EQ_U64(h.f[19], 0xc014000000000000ull);
}

int main(void)
{
	long n = 150000;

	have_fma = __builtin_cpu_supports("fma");
	have_avx512 = __builtin_cpu_supports("avx512f");
	test_hand();
	test_minmax_special();
	test_class();
	test_exec();
	for (int fmt = S; fmt <= D; fmt++) {
		for (int op = 0; op < A_NUM; op++)
			run_arith(fmt, op, op == A_SQRT ? n / 2 : n);
		run_to_int(fmt, n);
		run_from_int(fmt, n / 2);
		run_compare(fmt, n);
	}
	run_s_d(n);
	printf("test_fpu: %lld cases compared with the host or by definition "
	       "(%lld RMM fma cases without an exact x87 product "
	       "skipped)%s%s\n",
	       compared, rmm_skipped, have_fma ? "" : ", no host fma",
	       have_avx512 ? "" : ", no avx512 (u64 -> fp below 2^63 only)");
	return unit_done("test_fpu");
}
