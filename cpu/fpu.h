/*
 * F and D extension arithmetic (RISC-V unprivileged spec 20191213,
 * chapters 11 and 12): every rounding mode including dynamic, exact
 * accrued flags, NaN-boxing of single values, the canonical NaN, fmin and
 * fmax of 2.2, and saturating conversions.
 */
#ifndef CPU_FPU_H
#define CPU_FPU_H

#include <stdint.h>

#include "cpu/decode.h"

struct hart;

/* fflags bits */
#define FFLAG_NX 0x01
#define FFLAG_UF 0x02
#define FFLAG_OF 0x04
#define FFLAG_DZ 0x08
#define FFLAG_NV 0x10

/* rounding modes */
enum { RM_RNE = 0, RM_RTZ = 1, RM_RDN = 2, RM_RUP = 3, RM_RMM = 4, RM_DYN = 7 };

#define F32_CANONICAL_NAN 0x7fc00000u
#define F64_CANONICAL_NAN 0x7ff8000000000000ull

static inline uint64_t fpu_box32(uint32_t v)
{
	return 0xffffffff00000000ull | v;
}

/* A register's single value: the canonical NaN unless properly boxed. */
static inline uint32_t fpu_unbox32(uint64_t v)
{
	return (v >> 32) == 0xffffffffu ? (uint32_t)v : F32_CANONICAL_NAN;
}

/*
 * Executes a computational F/D op (everything but FLW, FSW, FLD, FSD):
 * reads and writes h->f, h->x, h->fflags, uses h->frm for the dynamic
 * rounding mode, marks mstatus.FS dirty when it writes FP state. Returns
 * 0, or -1 when the instruction is illegal (mstatus.FS off, reserved
 * rounding mode in rm or in frm for a dynamic rm).
 */
int fpu_exec(struct hart *h, const struct insn *i);

#endif
