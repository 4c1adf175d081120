/*
 * The computational instructions of the F and D extensions (RISC-V
 * unprivileged spec 20191213, chapters 11 and 12): operand fetch with
 * NaN-boxing (12.2), rounding-mode legality (11.2), fflags accrual and
 * mstatus.FS. The arithmetic itself is cpu/softfp.c, for every op: exact
 * in all five rounding modes, including RMM that the host lacks.
 */
#include "cpu/fpu.h"

#include "cpu/hart.h"
#include "cpu/softfp.h"

enum fpu_form {
	FORM_NONE,  /* not an F/D computational op */
	FORM_RM,    /* takes the rm field */
	FORM_FIXED, /* funct3 is part of the opcode */
};

static enum fpu_form fpu_form(enum insn_op op)
{
	switch (op) {
	case OP_FMADD_S:
	case OP_FMSUB_S:
	case OP_FNMSUB_S:
	case OP_FNMADD_S:
	case OP_FADD_S:
	case OP_FSUB_S:
	case OP_FMUL_S:
	case OP_FDIV_S:
	case OP_FSQRT_S:
	case OP_FCVT_W_S:
	case OP_FCVT_WU_S:
	case OP_FCVT_L_S:
	case OP_FCVT_LU_S:
	case OP_FCVT_S_W:
	case OP_FCVT_S_WU:
	case OP_FCVT_S_L:
	case OP_FCVT_S_LU:
	case OP_FMADD_D:
	case OP_FMSUB_D:
	case OP_FNMSUB_D:
	case OP_FNMADD_D:
	case OP_FADD_D:
	case OP_FSUB_D:
	case OP_FMUL_D:
	case OP_FDIV_D:
	case OP_FSQRT_D:
	case OP_FCVT_W_D:
	case OP_FCVT_WU_D:
	case OP_FCVT_L_D:
	case OP_FCVT_LU_D:
	case OP_FCVT_D_W:
	case OP_FCVT_D_WU:
	case OP_FCVT_D_L:
	case OP_FCVT_D_LU:
	case OP_FCVT_S_D:
	case OP_FCVT_D_S: return FORM_RM;
	case OP_FSGNJ_S:
	case OP_FSGNJN_S:
	case OP_FSGNJX_S:
	case OP_FMIN_S:
	case OP_FMAX_S:
	case OP_FMV_X_W:
	case OP_FMV_W_X:
	case OP_FEQ_S:
	case OP_FLT_S:
	case OP_FLE_S:
	case OP_FCLASS_S:
	case OP_FSGNJ_D:
	case OP_FSGNJN_D:
	case OP_FSGNJX_D:
	case OP_FMIN_D:
	case OP_FMAX_D:
	case OP_FMV_X_D:
	case OP_FMV_D_X:
	case OP_FEQ_D:
	case OP_FLT_D:
	case OP_FLE_D:
	case OP_FCLASS_D: return FORM_FIXED;
	default: return FORM_NONE;
	}
}

static inline uint64_t get_f(const struct hart *h, enum softfp_fmt fmt,
			     unsigned r)
{
	return fmt == SOFTFP_S ? fpu_unbox32(h->f[r]) : h->f[r];
}

static inline void set_f(struct hart *h, enum softfp_fmt fmt, unsigned r,
			 uint64_t v)
{
	h->f[r] = fmt == SOFTFP_S ? fpu_box32((uint32_t)v) : v;
}

static inline void set_x(struct hart *h, unsigned r, uint64_t v)
{
	if (r)
		h->x[r] = v;
}

static inline uint64_t sext32(uint64_t v)
{
	return (uint64_t)(int64_t)(int32_t)(uint32_t)v;
}

static uint64_t sign_mask(enum softfp_fmt fmt)
{
	return fmt == SOFTFP_S ? 0x80000000ull : 0x8000000000000000ull;
}

int fpu_exec(struct hart *h, const struct insn *i)
{
	enum insn_op op = i->op;
	enum fpu_form form = fpu_form(op);
	enum softfp_fmt fmt;
	uint64_t a, b, c, sm;
	uint8_t fl = 0;
	int rm = 0;

	if (form == FORM_NONE || hart_fs_off(h))
		return -1;
	if (form == FORM_RM) {
		rm = i->rm == RM_DYN ? h->frm : i->rm;
		if (rm > RM_RMM)
			return -1;
	}
	/* in enum insn_op the D ops follow OP_FLD, the F ops precede it */
	fmt = op >= OP_FLD ? SOFTFP_D : SOFTFP_S;
	sm = sign_mask(fmt);
	a = get_f(h, fmt, i->rs1);
	b = get_f(h, fmt, i->rs2);
	c = get_f(h, fmt, i->rs3);

	switch (op) {
	case OP_FMADD_S:
	case OP_FMADD_D:
		set_f(h, fmt, i->rd, softfp_fma(fmt, a, b, c, rm, &fl));
		break;
	case OP_FMSUB_S:
	case OP_FMSUB_D:
		set_f(h, fmt, i->rd, softfp_fma(fmt, a, b, c ^ sm, rm, &fl));
		break;
	case OP_FNMSUB_S:
	case OP_FNMSUB_D:
		set_f(h, fmt, i->rd, softfp_fma(fmt, a ^ sm, b, c, rm, &fl));
		break;
	case OP_FNMADD_S:
	case OP_FNMADD_D:
		set_f(h, fmt, i->rd,
		      softfp_fma(fmt, a ^ sm, b, c ^ sm, rm, &fl));
		break;
	case OP_FADD_S:
	case OP_FADD_D:
		set_f(h, fmt, i->rd, softfp_add(fmt, a, b, rm, &fl));
		break;
	case OP_FSUB_S:
	case OP_FSUB_D:
		set_f(h, fmt, i->rd, softfp_sub(fmt, a, b, rm, &fl));
		break;
	case OP_FMUL_S:
	case OP_FMUL_D:
		set_f(h, fmt, i->rd, softfp_mul(fmt, a, b, rm, &fl));
		break;
	case OP_FDIV_S:
	case OP_FDIV_D:
		set_f(h, fmt, i->rd, softfp_div(fmt, a, b, rm, &fl));
		break;
	case OP_FSQRT_S:
	case OP_FSQRT_D:
		set_f(h, fmt, i->rd, softfp_sqrt(fmt, a, rm, &fl));
		break;
	case OP_FSGNJ_S:
	case OP_FSGNJ_D: set_f(h, fmt, i->rd, (a & ~sm) | (b & sm)); break;
	case OP_FSGNJN_S:
	case OP_FSGNJN_D: set_f(h, fmt, i->rd, (a & ~sm) | (~b & sm)); break;
	case OP_FSGNJX_S:
	case OP_FSGNJX_D: set_f(h, fmt, i->rd, a ^ (b & sm)); break;
	case OP_FMIN_S:
	case OP_FMIN_D: set_f(h, fmt, i->rd, softfp_min(fmt, a, b, &fl)); break;
	case OP_FMAX_S:
	case OP_FMAX_D: set_f(h, fmt, i->rd, softfp_max(fmt, a, b, &fl)); break;
	case OP_FCVT_W_S:
	case OP_FCVT_W_D:
		set_x(h, i->rd,
		      sext32(softfp_to_int(fmt, a, true, 32, rm, &fl)));
		break;
	case OP_FCVT_WU_S:
	case OP_FCVT_WU_D:
		/* the 32-bit result is sign-extended even when unsigned */
		set_x(h, i->rd,
		      sext32(softfp_to_int(fmt, a, false, 32, rm, &fl)));
		break;
	case OP_FCVT_L_S:
	case OP_FCVT_L_D:
		set_x(h, i->rd, softfp_to_int(fmt, a, true, 64, rm, &fl));
		break;
	case OP_FCVT_LU_S:
	case OP_FCVT_LU_D:
		set_x(h, i->rd, softfp_to_int(fmt, a, false, 64, rm, &fl));
		break;
	case OP_FCVT_S_W:
	case OP_FCVT_D_W:
		set_f(h, fmt, i->rd,
		      softfp_from_int(fmt, h->x[i->rs1], true, 32, rm, &fl));
		break;
	case OP_FCVT_S_WU:
	case OP_FCVT_D_WU:
		set_f(h, fmt, i->rd,
		      softfp_from_int(fmt, h->x[i->rs1], false, 32, rm, &fl));
		break;
	case OP_FCVT_S_L:
	case OP_FCVT_D_L:
		set_f(h, fmt, i->rd,
		      softfp_from_int(fmt, h->x[i->rs1], true, 64, rm, &fl));
		break;
	case OP_FCVT_S_LU:
	case OP_FCVT_D_LU:
		set_f(h, fmt, i->rd,
		      softfp_from_int(fmt, h->x[i->rs1], false, 64, rm, &fl));
		break;
	case OP_FCVT_S_D:
		/* listed among the D ops, but its destination is single */
		set_f(h, SOFTFP_S, i->rd,
		      softfp_convert(SOFTFP_S, SOFTFP_D, a, rm, &fl));
		break;
	case OP_FCVT_D_S:
		set_f(h, SOFTFP_D, i->rd,
		      softfp_convert(SOFTFP_D, SOFTFP_S,
				     fpu_unbox32(h->f[i->rs1]), rm, &fl));
		break;
	case OP_FMV_X_W:
		/* a transfer: the low 32 bits, boxed or not (12.2) */
		set_x(h, i->rd, sext32(h->f[i->rs1]));
		break;
	case OP_FMV_W_X: h->f[i->rd] = fpu_box32((uint32_t)h->x[i->rs1]); break;
	case OP_FMV_X_D: set_x(h, i->rd, h->f[i->rs1]); break;
	case OP_FMV_D_X: h->f[i->rd] = h->x[i->rs1]; break;
	case OP_FEQ_S:
	case OP_FEQ_D: set_x(h, i->rd, softfp_eq(fmt, a, b, &fl)); break;
	case OP_FLT_S:
	case OP_FLT_D: set_x(h, i->rd, softfp_lt(fmt, a, b, &fl)); break;
	case OP_FLE_S:
	case OP_FLE_D: set_x(h, i->rd, softfp_le(fmt, a, b, &fl)); break;
	case OP_FCLASS_S:
	case OP_FCLASS_D: set_x(h, i->rd, softfp_class(fmt, a)); break;
	default: return -1;
	}
	h->fflags |= fl;
	/*
	 * Ops that write only x and raise no flag leave FP state unchanged;
	 * the spec allows marking it dirty anyway, and one rule is simpler.
	 */
	hart_fs_dirty(h);
	return 0;
}
