/*
 * Software IEEE 754-2008 binary32/binary64 arithmetic with the RISC-V
 * rules of the F and D extensions (unprivileged spec 20191213, chapters
 * 11 and 12): five rounding modes, tininess detected after rounding, the
 * canonical NaN for every NaN result, saturating conversions to integers.
 *
 * Values travel as raw bit patterns in a uint64_t (a binary32 value in the
 * low 32 bits, no NaN-boxing here). rm is a resolved rounding mode 0..4
 * (RM_RNE..RM_RMM of cpu/fpu.h); the fflags of an operation are ORed into
 * *fl (FFLAG_* of cpu/fpu.h).
 */
#ifndef CPU_SOFTFP_H
#define CPU_SOFTFP_H

#include <stdbool.h>
#include <stdint.h>

enum softfp_fmt { SOFTFP_S = 0, SOFTFP_D = 1 };

uint64_t softfp_add(enum softfp_fmt f, uint64_t a, uint64_t b, int rm,
		    uint8_t *fl);
uint64_t softfp_sub(enum softfp_fmt f, uint64_t a, uint64_t b, int rm,
		    uint8_t *fl);
uint64_t softfp_mul(enum softfp_fmt f, uint64_t a, uint64_t b, int rm,
		    uint8_t *fl);
uint64_t softfp_div(enum softfp_fmt f, uint64_t a, uint64_t b, int rm,
		    uint8_t *fl);
uint64_t softfp_sqrt(enum softfp_fmt f, uint64_t a, int rm, uint8_t *fl);
/* a * b + c with a single rounding */
uint64_t softfp_fma(enum softfp_fmt f, uint64_t a, uint64_t b, uint64_t c,
		    int rm, uint8_t *fl);

/* fmin/fmax of F 2.2: -0 < +0, a single NaN operand yields the other */
uint64_t softfp_min(enum softfp_fmt f, uint64_t a, uint64_t b, uint8_t *fl);
uint64_t softfp_max(enum softfp_fmt f, uint64_t a, uint64_t b, uint8_t *fl);

/* feq is quiet (NV on signalling NaN only); flt and fle signal on NaN */
bool softfp_eq(enum softfp_fmt f, uint64_t a, uint64_t b, uint8_t *fl);
bool softfp_lt(enum softfp_fmt f, uint64_t a, uint64_t b, uint8_t *fl);
bool softfp_le(enum softfp_fmt f, uint64_t a, uint64_t b, uint8_t *fl);

/* the fclass bit (one of bits 0..9) */
unsigned softfp_class(enum softfp_fmt f, uint64_t a);

/*
 * To a bits-wide (32 or 64) signed or unsigned integer, saturating as in
 * table 11.4. A 32-bit result comes back in the low 32 bits, the upper
 * bits are unspecified.
 */
uint64_t softfp_to_int(enum softfp_fmt f, uint64_t a, bool is_signed, int bits,
		       int rm, uint8_t *fl);
/* From the low bits (32 or 64) of v, read as signed or unsigned. */
uint64_t softfp_from_int(enum softfp_fmt f, uint64_t v, bool is_signed,
			 int bits, int rm, uint8_t *fl);
/* Between formats (fcvt.s.d, fcvt.d.s). */
uint64_t softfp_convert(enum softfp_fmt to, enum softfp_fmt from, uint64_t a,
			int rm, uint8_t *fl);

#endif
