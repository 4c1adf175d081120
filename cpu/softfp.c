/*
 * Software binary32/binary64 arithmetic for the F and D extensions
 * (RISC-V unprivileged spec 20191213, chapters 11 and 12; IEEE 754-2008).
 *
 * Why software and not the host FPU: x86 has no round-to-nearest-max-
 * magnitude (RMM), returns its own default NaN instead of the RISC-V
 * canonical one, and its min/max and integer conversions differ from the
 * spec's; exactness matters more than speed here. The host FPU is used
 * only by the unit test, as an independent oracle.
 *
 * Method: a finite nonzero operand is unpacked into sign, unbiased
 * exponent and a 64-bit significand with its leading one at bit 63.
 * Every operation computes its exact result, or a wider one whose lowest
 * bit is a sticky bit (the OR of everything shifted out), in unsigned
 * __int128, and hands it to round_pack(), the one place that rounds in all
 * five modes, detects tininess after rounding and sets NX, UF and OF.
 */
#include "cpu/softfp.h"

#include <stddef.h>

#include "cpu/fpu.h"

typedef unsigned __int128 u128;

struct fmt_info {
	int mbits; /* stored fraction bits */
	int ebits;
	int bias;
	uint64_t nan;
};

static const struct fmt_info fmt_table[2] = {
	[SOFTFP_S] = { 23, 8, 127, F32_CANONICAL_NAN },
	[SOFTFP_D] = { 52, 11, 1023, F64_CANONICAL_NAN },
};

enum cls { CLS_ZERO, CLS_FINITE, CLS_INF, CLS_QNAN, CLS_SNAN };

struct unpacked {
	enum cls cls;
	bool sign;
	int exp;      /* value = sig / 2^63 * 2^exp */
	uint64_t sig; /* leading one at bit 63 (CLS_FINITE only) */
};

static inline int clz64(uint64_t v)
{
	return __builtin_clzll(v);
}

static inline int clz128(u128 v)
{
	uint64_t hi = (uint64_t)(v >> 64);

	return hi ? clz64(hi) : 64 + clz64((uint64_t)v);
}

static inline uint64_t shr_jam64(uint64_t v, int n)
{
	if (n <= 0)
		return v;
	if (n >= 64)
		return v != 0;
	return (v >> n) | ((v << (64 - n)) != 0);
}

static inline u128 shr_jam128(u128 v, int n)
{
	if (n <= 0)
		return v;
	if (n >= 128)
		return v != 0;
	return (v >> n) | ((v << (128 - n)) != 0);
}

static inline uint64_t sign_bit(const struct fmt_info *f, bool sign)
{
	return (uint64_t)sign << (f->mbits + f->ebits);
}

static inline uint64_t inf_bits(const struct fmt_info *f, bool sign)
{
	uint64_t emask = ((uint64_t)1 << f->ebits) - 1;

	return sign_bit(f, sign) | (emask << f->mbits);
}

static void unpack(const struct fmt_info *f, uint64_t v, struct unpacked *u)
{
	uint64_t mmask = ((uint64_t)1 << f->mbits) - 1;
	int emask = (1 << f->ebits) - 1;
	int e = (int)(v >> f->mbits) & emask;
	uint64_t m = v & mmask;

	u->sign = (v >> (f->mbits + f->ebits)) & 1;
	u->exp = 0;
	u->sig = 0;
	if (e == emask) {
		if (m == 0)
			u->cls = CLS_INF;
		else if (m >> (f->mbits - 1))
			u->cls = CLS_QNAN;
		else
			u->cls = CLS_SNAN;
	} else if (e == 0) {
		if (m == 0) {
			u->cls = CLS_ZERO;
		} else {
			int lz = clz64(m);

			u->cls = CLS_FINITE;
			u->sig = m << lz;
			u->exp = (1 - f->bias) - f->mbits + 63 - lz;
		}
	} else {
		u->cls = CLS_FINITE;
		u->sig = (m | ((uint64_t)1 << f->mbits)) << (63 - f->mbits);
		u->exp = e - f->bias;
	}
}

static inline bool is_nan(const struct unpacked *u)
{
	return u->cls == CLS_QNAN || u->cls == CLS_SNAN;
}

/* Does rounding the kept value q with discarded bits r (half = 1/2 ulp)
 * go up one unit of magnitude? */
static inline bool round_up(int rm, bool sign, uint64_t q, uint64_t r,
			    uint64_t half)
{
	switch (rm) {
	case RM_RNE: return r > half || (r == half && (q & 1));
	case RM_RDN: return r != 0 && sign;
	case RM_RUP: return r != 0 && !sign;
	case RM_RMM: return r >= half;
	default: return false;
	}
}

/* The value sig / 2^63 * 2^exp (sig's bit 63 set, bit 0 sticky), rounded. */
static uint64_t round_pack(const struct fmt_info *f, bool sign, int exp,
			   uint64_t sig, int rm, uint8_t *fl)
{
	int emin = 1 - f->bias, emax = f->bias;
	int shift = 63 - f->mbits;
	uint64_t mask = ((uint64_t)1 << shift) - 1;
	uint64_t half = (uint64_t)1 << (shift - 1);
	uint64_t q, r, bits;

	if (exp < emin) {
		/*
		 * Tininess after rounding: the value is tiny unless rounding it
		 * to full precision with an unbounded exponent reaches 2^emin.
		 */
		bool tiny = true;

		if (exp == emin - 1) {
			q = sig >> shift;
			if (round_up(rm, sign, q, sig & mask, half) &&
			    q + 1 == (uint64_t)1 << (f->mbits + 1))
				tiny = false;
		}
		sig = shr_jam64(sig, emin - exp);
		q = sig >> shift;
		r = sig & mask;
		if (r) {
			*fl |= FFLAG_NX;
			if (tiny)
				*fl |= FFLAG_UF;
		}
		/* a carry into the hidden bit makes the smallest normal */
		q += round_up(rm, sign, q, r, half);
		return sign_bit(f, sign) | q;
	}
	if (exp > emax)
		goto overflow;
	q = sig >> shift;
	r = sig & mask;
	q += round_up(rm, sign, q, r, half);
	/* q includes the hidden bit, which adds one to the exponent field */
	bits = ((uint64_t)(exp + f->bias - 1) << f->mbits) + q;
	if ((bits >> f->mbits) >= ((uint64_t)1 << f->ebits) - 1)
		goto overflow;
	if (r)
		*fl |= FFLAG_NX;
	return sign_bit(f, sign) | bits;

overflow:
	*fl |= FFLAG_OF | FFLAG_NX;
	if (rm == RM_RNE || rm == RM_RMM || (rm == RM_RUP && !sign) ||
	    (rm == RM_RDN && sign))
		return inf_bits(f, sign);
	return inf_bits(f, sign) - 1;
}

/* The value v / 2^point * 2^exp (v nonzero, bit 0 sticky), rounded. */
static uint64_t norm_round(const struct fmt_info *f, bool sign, int exp, u128 v,
			   int point, int rm, uint8_t *fl)
{
	int lz = clz128(v);
	uint64_t sig;

	v <<= lz;
	sig = (uint64_t)(v >> 64) | ((uint64_t)v != 0);
	return round_pack(f, sign, exp + (127 - lz) - point, sig, rm, fl);
}

static uint64_t nan_result(const struct fmt_info *f, const struct unpacked *a,
			   const struct unpacked *b, uint8_t *fl)
{
	if (a->cls == CLS_SNAN || (b && b->cls == CLS_SNAN))
		*fl |= FFLAG_NV;
	return f->nan;
}

static uint64_t invalid(const struct fmt_info *f, uint8_t *fl)
{
	*fl |= FFLAG_NV;
	return f->nan;
}

static inline uint64_t exact_zero(const struct fmt_info *f, int rm)
{
	/* x + (-x) and sums of opposite zeros: +0, but -0 rounding down */
	return sign_bit(f, rm == RM_RDN);
}

/*
 * Sum of two finite nonzero values a = sa * 2^ea and b = sb * 2^eb with
 * 2^125 <= sa, sb < 2^126 (binary point at 125).
 */
static uint64_t add_finite(const struct fmt_info *f, bool signa, int ea,
			   u128 sa, bool signb, int eb, u128 sb, int rm,
			   uint8_t *fl)
{
	u128 s;

	if (ea < eb || (ea == eb && sa < sb)) {
		bool ts = signa;
		int te = ea;
		u128 tv = sa;

		signa = signb;
		ea = eb;
		sa = sb;
		signb = ts;
		eb = te;
		sb = tv;
	}
	sb = shr_jam128(sb, ea - eb);
	if (signa == signb) {
		s = sa + sb;
	} else {
		s = sa - sb;
		if (s == 0)
			return exact_zero(f, rm);
	}
	return norm_round(f, signa, ea, s, 125, rm, fl);
}

uint64_t softfp_add(enum softfp_fmt fmt, uint64_t a, uint64_t b, int rm,
		    uint8_t *fl)
{
	const struct fmt_info *f = &fmt_table[fmt];
	struct unpacked ua, ub;

	unpack(f, a, &ua);
	unpack(f, b, &ub);
	if (is_nan(&ua) || is_nan(&ub))
		return nan_result(f, &ua, &ub, fl);
	if (ua.cls == CLS_INF || ub.cls == CLS_INF) {
		if (ua.cls == CLS_INF && ub.cls == CLS_INF &&
		    ua.sign != ub.sign)
			return invalid(f, fl);
		return ua.cls == CLS_INF ? a : b;
	}
	if (ua.cls == CLS_ZERO && ub.cls == CLS_ZERO)
		return ua.sign == ub.sign ? a : exact_zero(f, rm);
	if (ua.cls == CLS_ZERO)
		return b;
	if (ub.cls == CLS_ZERO)
		return a;
	return add_finite(f, ua.sign, ua.exp, (u128)ua.sig << 62, ub.sign,
			  ub.exp, (u128)ub.sig << 62, rm, fl);
}

uint64_t softfp_sub(enum softfp_fmt fmt, uint64_t a, uint64_t b, int rm,
		    uint8_t *fl)
{
	const struct fmt_info *f = &fmt_table[fmt];
	struct unpacked ub;

	/* a NaN b stays a NaN whatever its sign: the result is canonical */
	unpack(f, b, &ub);
	if (!is_nan(&ub))
		b ^= sign_bit(f, true);
	return softfp_add(fmt, a, b, rm, fl);
}

uint64_t softfp_mul(enum softfp_fmt fmt, uint64_t a, uint64_t b, int rm,
		    uint8_t *fl)
{
	const struct fmt_info *f = &fmt_table[fmt];
	struct unpacked ua, ub;
	bool sign;

	unpack(f, a, &ua);
	unpack(f, b, &ub);
	if (is_nan(&ua) || is_nan(&ub))
		return nan_result(f, &ua, &ub, fl);
	sign = ua.sign ^ ub.sign;
	if (ua.cls == CLS_INF || ub.cls == CLS_INF) {
		if (ua.cls == CLS_ZERO || ub.cls == CLS_ZERO)
			return invalid(f, fl);
		return inf_bits(f, sign);
	}
	if (ua.cls == CLS_ZERO || ub.cls == CLS_ZERO)
		return sign_bit(f, sign);
	/* the product of two [2^63, 2^64) significands: point at 126 */
	return norm_round(f, sign, ua.exp + ub.exp, (u128)ua.sig * ub.sig, 126,
			  rm, fl);
}

uint64_t softfp_div(enum softfp_fmt fmt, uint64_t a, uint64_t b, int rm,
		    uint8_t *fl)
{
	const struct fmt_info *f = &fmt_table[fmt];
	struct unpacked ua, ub;
	bool sign;
	u128 n, q;

	unpack(f, a, &ua);
	unpack(f, b, &ub);
	if (is_nan(&ua) || is_nan(&ub))
		return nan_result(f, &ua, &ub, fl);
	sign = ua.sign ^ ub.sign;
	if (ua.cls == CLS_INF) {
		if (ub.cls == CLS_INF)
			return invalid(f, fl);
		return inf_bits(f, sign);
	}
	if (ub.cls == CLS_INF)
		return sign_bit(f, sign);
	if (ub.cls == CLS_ZERO) {
		if (ua.cls == CLS_ZERO)
			return invalid(f, fl);
		*fl |= FFLAG_DZ;
		return inf_bits(f, sign);
	}
	if (ua.cls == CLS_ZERO)
		return sign_bit(f, sign);
	/* at least 64 quotient bits, far more than 53 + guard + round */
	n = (u128)ua.sig << 64;
	q = n / ub.sig;
	if (n % ub.sig)
		q |= 1;
	return norm_round(f, sign, ua.exp - ub.exp, q, 64, rm, fl);
}

/* floor(sqrt(m)), digit by digit; *exact when the root is exact */
static uint64_t isqrt128(u128 m, bool *exact)
{
	u128 rem = 0, root = 0;
	int i;

	for (i = 0; i < 64; i++) {
		u128 trial;

		rem = (rem << 2) | (m >> 126);
		m <<= 2;
		root <<= 1;
		trial = (root << 1) | 1;
		if (rem >= trial) {
			rem -= trial;
			root |= 1;
		}
	}
	*exact = rem == 0;
	return (uint64_t)root;
}

uint64_t softfp_sqrt(enum softfp_fmt fmt, uint64_t a, int rm, uint8_t *fl)
{
	const struct fmt_info *f = &fmt_table[fmt];
	struct unpacked ua;
	uint64_t r;
	bool exact;
	int scale;
	u128 m;

	unpack(f, a, &ua);
	if (is_nan(&ua))
		return nan_result(f, &ua, NULL, fl);
	if (ua.cls == CLS_ZERO)
		return a;
	if (ua.sign)
		return invalid(f, fl);
	if (ua.cls == CLS_INF)
		return a;
	/* value = m * 2^scale with an even scale and m in [2^126, 2^128) */
	if (ua.exp & 1) {
		m = (u128)ua.sig << 64;
		scale = ua.exp - 127;
	} else {
		m = (u128)ua.sig << 63;
		scale = ua.exp - 126;
	}
	r = isqrt128(m, &exact);
	return norm_round(f, false, scale / 2, r | !exact, 0, rm, fl);
}

uint64_t softfp_fma(enum softfp_fmt fmt, uint64_t a, uint64_t b, uint64_t c,
		    int rm, uint8_t *fl)
{
	const struct fmt_info *f = &fmt_table[fmt];
	struct unpacked ua, ub, uc;
	bool psign;
	int pexp;
	u128 p;

	unpack(f, a, &ua);
	unpack(f, b, &ub);
	unpack(f, c, &uc);
	if (ua.cls == CLS_SNAN || ub.cls == CLS_SNAN || uc.cls == CLS_SNAN)
		*fl |= FFLAG_NV;
	/* spec 11.6: inf * 0 is invalid even when the addend is a quiet NaN */
	if ((ua.cls == CLS_INF && ub.cls == CLS_ZERO) ||
	    (ua.cls == CLS_ZERO && ub.cls == CLS_INF))
		return invalid(f, fl);
	if (is_nan(&ua) || is_nan(&ub) || is_nan(&uc))
		return f->nan;
	psign = ua.sign ^ ub.sign;
	if (ua.cls == CLS_INF || ub.cls == CLS_INF) {
		if (uc.cls == CLS_INF && uc.sign != psign)
			return invalid(f, fl);
		return inf_bits(f, psign);
	}
	if (uc.cls == CLS_INF)
		return c;
	if (ua.cls == CLS_ZERO || ub.cls == CLS_ZERO) {
		if (uc.cls != CLS_ZERO)
			return c;
		if (psign == uc.sign)
			return sign_bit(f, psign);
		return exact_zero(f, rm);
	}
	/*
	 * The exact product has at most 106 significant bits and 22 trailing
	 * zeros in p; shifted to a point at 125 it stays exact.
	 */
	p = (u128)ua.sig * ub.sig;
	pexp = ua.exp + ub.exp;
	if (p >> 127)
		pexp++;
	else
		p <<= 1;
	p >>= 2;
	if (uc.cls == CLS_ZERO)
		return norm_round(f, psign, pexp, p, 125, rm, fl);
	return add_finite(f, psign, pexp, p, uc.sign, uc.exp,
			  (u128)uc.sig << 62, rm, fl);
}

static bool lt_ordered(const struct fmt_info *f, const struct unpacked *ua,
		       uint64_t a, const struct unpacked *ub, uint64_t b)
{
	uint64_t mag = sign_bit(f, true) - 1;

	if (ua->cls == CLS_ZERO && ub->cls == CLS_ZERO)
		return false;
	if (ua->sign != ub->sign)
		return ua->sign;
	if (ua->sign)
		return (a & mag) > (b & mag);
	return (a & mag) < (b & mag);
}

static uint64_t minmax(enum softfp_fmt fmt, uint64_t a, uint64_t b,
		       bool want_max, uint8_t *fl)
{
	const struct fmt_info *f = &fmt_table[fmt];
	struct unpacked ua, ub;
	bool a_first;

	unpack(f, a, &ua);
	unpack(f, b, &ub);
	if (ua.cls == CLS_SNAN || ub.cls == CLS_SNAN)
		*fl |= FFLAG_NV;
	if (is_nan(&ua) && is_nan(&ub))
		return f->nan;
	if (is_nan(&ua))
		return b;
	if (is_nan(&ub))
		return a;
	if (ua.cls == CLS_ZERO && ub.cls == CLS_ZERO)
		a_first = ua.sign != want_max;
	else if (want_max)
		a_first = lt_ordered(f, &ub, b, &ua, a);
	else
		a_first = lt_ordered(f, &ua, a, &ub, b);
	return a_first ? a : b;
}

uint64_t softfp_min(enum softfp_fmt f, uint64_t a, uint64_t b, uint8_t *fl)
{
	return minmax(f, a, b, false, fl);
}

uint64_t softfp_max(enum softfp_fmt f, uint64_t a, uint64_t b, uint8_t *fl)
{
	return minmax(f, a, b, true, fl);
}

bool softfp_eq(enum softfp_fmt fmt, uint64_t a, uint64_t b, uint8_t *fl)
{
	const struct fmt_info *f = &fmt_table[fmt];
	struct unpacked ua, ub;

	unpack(f, a, &ua);
	unpack(f, b, &ub);
	if (is_nan(&ua) || is_nan(&ub)) {
		if (ua.cls == CLS_SNAN || ub.cls == CLS_SNAN)
			*fl |= FFLAG_NV;
		return false;
	}
	if (ua.cls == CLS_ZERO && ub.cls == CLS_ZERO)
		return true;
	return a == b;
}

bool softfp_lt(enum softfp_fmt fmt, uint64_t a, uint64_t b, uint8_t *fl)
{
	const struct fmt_info *f = &fmt_table[fmt];
	struct unpacked ua, ub;

	unpack(f, a, &ua);
	unpack(f, b, &ub);
	if (is_nan(&ua) || is_nan(&ub)) {
		*fl |= FFLAG_NV;
		return false;
	}
	return lt_ordered(f, &ua, a, &ub, b);
}

bool softfp_le(enum softfp_fmt fmt, uint64_t a, uint64_t b, uint8_t *fl)
{
	const struct fmt_info *f = &fmt_table[fmt];
	struct unpacked ua, ub;

	unpack(f, a, &ua);
	unpack(f, b, &ub);
	if (is_nan(&ua) || is_nan(&ub)) {
		*fl |= FFLAG_NV;
		return false;
	}
	if (ua.cls == CLS_ZERO && ub.cls == CLS_ZERO)
		return true;
	return a == b || lt_ordered(f, &ua, a, &ub, b);
}

unsigned softfp_class(enum softfp_fmt fmt, uint64_t a)
{
	const struct fmt_info *f = &fmt_table[fmt];
	struct unpacked ua;
	bool subnormal;

	unpack(f, a, &ua);
	switch (ua.cls) {
	case CLS_SNAN: return 1u << 8;
	case CLS_QNAN: return 1u << 9;
	case CLS_INF: return ua.sign ? 1u << 0 : 1u << 7;
	case CLS_ZERO: return ua.sign ? 1u << 3 : 1u << 4;
	default:
		subnormal = ((a >> f->mbits) & ((1u << f->ebits) - 1)) == 0;
		if (ua.sign)
			return subnormal ? 1u << 2 : 1u << 1;
		return subnormal ? 1u << 5 : 1u << 6;
	}
}

uint64_t softfp_to_int(enum softfp_fmt fmt, uint64_t a, bool is_signed,
		       int bits, int rm, uint8_t *fl)
{
	const struct fmt_info *f = &fmt_table[fmt];
	struct unpacked ua;
	uint64_t max, min, q, r, half;
	int sh;

	if (is_signed) {
		max = ((uint64_t)1 << (bits - 1)) - 1;
		min = -((uint64_t)1 << (bits - 1));
	} else {
		max = bits == 64 ? ~(uint64_t)0 : ((uint64_t)1 << bits) - 1;
		min = 0;
	}
	unpack(f, a, &ua);
	if (is_nan(&ua))
		goto invalid_positive;
	if (ua.cls == CLS_INF)
		goto invalid_signed;
	if (ua.cls == CLS_ZERO)
		return 0;
	if (ua.exp >= 64)
		goto invalid_signed;
	sh = 63 - ua.exp;
	if (sh > 64) {
		q = 0;
		r = 1;
		half = (uint64_t)1 << 63;
	} else if (sh == 64) {
		q = 0;
		r = ua.sig;
		half = (uint64_t)1 << 63;
	} else if (sh == 0) {
		/* an integer already; half is only nonzero to round nothing */
		q = ua.sig;
		r = 0;
		half = 1;
	} else {
		q = ua.sig >> sh;
		r = ua.sig & (((uint64_t)1 << sh) - 1);
		half = (uint64_t)1 << (sh - 1);
	}
	/* q < 2^63 whenever r != 0, so rounding up cannot wrap */
	q += round_up(rm, ua.sign, q, r, half);
	if (ua.sign) {
		if (is_signed ? q > ((uint64_t)1 << (bits - 1)) : q != 0)
			goto invalid_signed;
		q = -q;
	} else if (q > max) {
		goto invalid_signed;
	}
	if (r)
		*fl |= FFLAG_NX;
	return q;

invalid_signed:
	*fl |= FFLAG_NV;
	return ua.sign ? min : max;
invalid_positive:
	*fl |= FFLAG_NV;
	return max;
}

uint64_t softfp_from_int(enum softfp_fmt fmt, uint64_t v, bool is_signed,
			 int bits, int rm, uint8_t *fl)
{
	const struct fmt_info *f = &fmt_table[fmt];
	bool sign;
	int lz;

	if (bits == 32)
		v = is_signed ? (uint64_t)(int64_t)(int32_t)v : (uint32_t)v;
	sign = is_signed && (int64_t)v < 0;
	if (sign)
		v = -v;
	if (v == 0)
		return 0;
	lz = clz64(v);
	return round_pack(f, sign, 63 - lz, v << lz, rm, fl);
}

uint64_t softfp_convert(enum softfp_fmt to, enum softfp_fmt from, uint64_t a,
			int rm, uint8_t *fl)
{
	const struct fmt_info *ft = &fmt_table[to], *ff = &fmt_table[from];
	struct unpacked ua;

	unpack(ff, a, &ua);
	switch (ua.cls) {
	case CLS_SNAN:
	case CLS_QNAN: return nan_result(ft, &ua, NULL, fl);
	case CLS_INF: return inf_bits(ft, ua.sign);
	case CLS_ZERO: return sign_bit(ft, ua.sign);
	default: return round_pack(ft, ua.sign, ua.exp, ua.sig, rm, fl);
	}
}
