/*
 * The RV64GC decoder: RISC-V unprivileged spec chapters 2 (RV32I), 5
 * (RV64I), 6 (Zifencei), 7 (Zicsr), 8 (M), 9 (A), 11 (F), 12 (D), 16 (C,
 * with the RVC expansion tables), 28 (Zba/Zbb/Zbs) and the Zicond
 * extension; privileged spec section 3.3 (MRET, SRET, WFI) and 4.2.1
 * (SFENCE.VMA).
 *
 * Every fixed field of an encoding is checked; anything not listed in
 * those chapters decodes to OP_ILLEGAL. Fields an op does not use are zero
 * in struct insn.
 */
#include "cpu/decode.h"

#include <stddef.h>

/* Static rounding modes 101 and 110 are reserved (unpriv spec 11.2). */
#define RM_DYN 7

static uint32_t bits(uint32_t x, int hi, int lo)
{
	return (x >> lo) & ((1u << (hi - lo + 1)) - 1);
}

/* Sign-extends the low n bits of x. */
static int32_t sext(uint32_t x, int n)
{
	return (int32_t)(x << (32 - n)) >> (32 - n);
}

static void set(struct insn *out, enum insn_op op, int rd, int rs1, int rs2,
		int32_t imm)
{
	out->op = op;
	out->rd = rd;
	out->rs1 = rs1;
	out->rs2 = rs2;
	out->imm = imm;
}

static int32_t imm_i(uint32_t r)
{
	return sext(bits(r, 31, 20), 12);
}

static int32_t imm_s(uint32_t r)
{
	return sext(bits(r, 31, 25) << 5 | bits(r, 11, 7), 12);
}

static int32_t imm_b(uint32_t r)
{
	return sext(bits(r, 31, 31) << 12 | bits(r, 7, 7) << 11 |
			    bits(r, 30, 25) << 5 | bits(r, 11, 8) << 1,
		    13);
}

static int32_t imm_j(uint32_t r)
{
	return sext(bits(r, 31, 31) << 20 | bits(r, 19, 12) << 12 |
			    bits(r, 20, 20) << 11 | bits(r, 30, 21) << 1,
		    21);
}

static enum insn_op decode_load(int f3)
{
	static const enum insn_op ops[8] = {
		OP_LB, OP_LH, OP_LW, OP_LD, OP_LBU, OP_LHU, OP_LWU, OP_ILLEGAL,
	};
	return ops[f3];
}

static enum insn_op decode_store(int f3)
{
	static const enum insn_op ops[8] = {
		OP_SB,
		OP_SH,
		OP_SW,
		OP_SD,
	};
	return ops[f3];
}

static enum insn_op decode_branch(int f3)
{
	static const enum insn_op ops[8] = {
		OP_BEQ, OP_BNE, OP_ILLEGAL, OP_ILLEGAL,
		OP_BLT, OP_BGE, OP_BLTU,    OP_BGEU,
	};
	return ops[f3];
}

/* OP-IMM funct3 001 and 101: shifts, Zbb unary ops, Zbs immediates. */
static void decode_op_imm_shift(uint32_t r, struct insn *out)
{
	int f3 = bits(r, 14, 12), f6 = bits(r, 31, 26), f12 = bits(r, 31, 20);
	int rd = bits(r, 11, 7), rs1 = bits(r, 19, 15), sh = bits(r, 25, 20);
	enum insn_op op = OP_ILLEGAL;

	if (f3 == 1) {
		switch (f12) {
		case 0x600: op = OP_CLZ; break;
		case 0x601: op = OP_CTZ; break;
		case 0x602: op = OP_CPOP; break;
		case 0x604: op = OP_SEXT_B; break;
		case 0x605: op = OP_SEXT_H; break;
		}
		if (op != OP_ILLEGAL) {
			set(out, op, rd, rs1, 0, 0);
			return;
		}
		switch (f6) {
		case 0x00: op = OP_SLLI; break;
		case 0x0a: op = OP_BSETI; break;
		case 0x12: op = OP_BCLRI; break;
		case 0x1a: op = OP_BINVI; break;
		}
	} else {
		switch (f12) {
		case 0x287: op = OP_ORC_B; break;
		case 0x6b8: op = OP_REV8; break;
		}
		if (op != OP_ILLEGAL) {
			set(out, op, rd, rs1, 0, 0);
			return;
		}
		switch (f6) {
		case 0x00: op = OP_SRLI; break;
		case 0x10: op = OP_SRAI; break;
		case 0x12: op = OP_BEXTI; break;
		case 0x18: op = OP_RORI; break;
		}
	}
	if (op != OP_ILLEGAL)
		set(out, op, rd, rs1, 0, sh);
}

static void decode_op_imm(uint32_t r, struct insn *out)
{
	static const enum insn_op ops[8] = {
		OP_ADDI, OP_ILLEGAL, OP_SLTI, OP_SLTIU,
		OP_XORI, OP_ILLEGAL, OP_ORI,  OP_ANDI,
	};
	int f3 = bits(r, 14, 12);

	if (f3 == 1 || f3 == 5)
		decode_op_imm_shift(r, out);
	else
		set(out, ops[f3], bits(r, 11, 7), bits(r, 19, 15), 0, imm_i(r));
}

static void decode_op_imm_32(uint32_t r, struct insn *out)
{
	int f3 = bits(r, 14, 12), f7 = bits(r, 31, 25), f12 = bits(r, 31, 20);
	int rd = bits(r, 11, 7), rs1 = bits(r, 19, 15);
	int sh5 = bits(r, 24, 20);
	enum insn_op op = OP_ILLEGAL;

	if (f3 == 0) {
		set(out, OP_ADDIW, rd, rs1, 0, imm_i(r));
		return;
	}
	if (f3 == 1) {
		switch (f12) {
		case 0x600: op = OP_CLZW; break;
		case 0x601: op = OP_CTZW; break;
		case 0x602: op = OP_CPOPW; break;
		}
		if (op != OP_ILLEGAL) {
			set(out, op, rd, rs1, 0, 0);
			return;
		}
		/* SLLI.UW has a 6-bit shamt: funct6 000010. */
		if (bits(r, 31, 26) == 0x02) {
			set(out, OP_SLLI_UW, rd, rs1, 0, bits(r, 25, 20));
			return;
		}
		if (f7 == 0x00)
			op = OP_SLLIW;
	} else if (f3 == 5) {
		switch (f7) {
		case 0x00: op = OP_SRLIW; break;
		case 0x20: op = OP_SRAIW; break;
		case 0x30: op = OP_RORIW; break;
		}
	}
	if (op != OP_ILLEGAL)
		set(out, op, rd, rs1, 0, sh5);
}

static enum insn_op decode_op_op(int f7, int f3)
{
	switch (f7 << 3 | f3) {
	case 0x00 << 3 | 0: return OP_ADD;
	case 0x00 << 3 | 1: return OP_SLL;
	case 0x00 << 3 | 2: return OP_SLT;
	case 0x00 << 3 | 3: return OP_SLTU;
	case 0x00 << 3 | 4: return OP_XOR;
	case 0x00 << 3 | 5: return OP_SRL;
	case 0x00 << 3 | 6: return OP_OR;
	case 0x00 << 3 | 7: return OP_AND;
	case 0x20 << 3 | 0: return OP_SUB;
	case 0x20 << 3 | 4: return OP_XNOR;
	case 0x20 << 3 | 5: return OP_SRA;
	case 0x20 << 3 | 6: return OP_ORN;
	case 0x20 << 3 | 7: return OP_ANDN;
	case 0x01 << 3 | 0: return OP_MUL;
	case 0x01 << 3 | 1: return OP_MULH;
	case 0x01 << 3 | 2: return OP_MULHSU;
	case 0x01 << 3 | 3: return OP_MULHU;
	case 0x01 << 3 | 4: return OP_DIV;
	case 0x01 << 3 | 5: return OP_DIVU;
	case 0x01 << 3 | 6: return OP_REM;
	case 0x01 << 3 | 7: return OP_REMU;
	case 0x10 << 3 | 2: return OP_SH1ADD;
	case 0x10 << 3 | 4: return OP_SH2ADD;
	case 0x10 << 3 | 6: return OP_SH3ADD;
	case 0x05 << 3 | 4: return OP_MIN;
	case 0x05 << 3 | 5: return OP_MINU;
	case 0x05 << 3 | 6: return OP_MAX;
	case 0x05 << 3 | 7: return OP_MAXU;
	case 0x30 << 3 | 1: return OP_ROL;
	case 0x30 << 3 | 5: return OP_ROR;
	case 0x24 << 3 | 1: return OP_BCLR;
	case 0x24 << 3 | 5: return OP_BEXT;
	case 0x34 << 3 | 1: return OP_BINV;
	case 0x14 << 3 | 1: return OP_BSET;
	case 0x07 << 3 | 5: return OP_CZERO_EQZ;
	case 0x07 << 3 | 7: return OP_CZERO_NEZ;
	}
	return OP_ILLEGAL;
}

static void decode_op_32(uint32_t r, struct insn *out)
{
	int f7 = bits(r, 31, 25), f3 = bits(r, 14, 12);
	int rd = bits(r, 11, 7), rs1 = bits(r, 19, 15), rs2 = bits(r, 24, 20);
	enum insn_op op = OP_ILLEGAL;

	switch (f7 << 3 | f3) {
	case 0x00 << 3 | 0: op = OP_ADDW; break;
	case 0x00 << 3 | 1: op = OP_SLLW; break;
	case 0x00 << 3 | 5: op = OP_SRLW; break;
	case 0x20 << 3 | 0: op = OP_SUBW; break;
	case 0x20 << 3 | 5: op = OP_SRAW; break;
	case 0x01 << 3 | 0: op = OP_MULW; break;
	case 0x01 << 3 | 4: op = OP_DIVW; break;
	case 0x01 << 3 | 5: op = OP_DIVUW; break;
	case 0x01 << 3 | 6: op = OP_REMW; break;
	case 0x01 << 3 | 7: op = OP_REMUW; break;
	case 0x04 << 3 | 0: op = OP_ADD_UW; break;
	case 0x10 << 3 | 2: op = OP_SH1ADD_UW; break;
	case 0x10 << 3 | 4: op = OP_SH2ADD_UW; break;
	case 0x10 << 3 | 6: op = OP_SH3ADD_UW; break;
	case 0x30 << 3 | 1: op = OP_ROLW; break;
	case 0x30 << 3 | 5: op = OP_RORW; break;
	case 0x04 << 3 | 4:
		/* ZEXT.H is PACKW with rs2 = x0; other rs2 are Zbkb. */
		if (rs2 == 0) {
			set(out, OP_ZEXT_H, rd, rs1, 0, 0);
			return;
		}
		break;
	}
	if (op != OP_ILLEGAL)
		set(out, op, rd, rs1, rs2, 0);
}

static void decode_amo(uint32_t r, struct insn *out)
{
	static const enum insn_op ops_w[32] = {
		[0x00] = OP_AMOADD_W,  [0x01] = OP_AMOSWAP_W,
		[0x02] = OP_LR_W,      [0x03] = OP_SC_W,
		[0x04] = OP_AMOXOR_W,  [0x08] = OP_AMOOR_W,
		[0x0c] = OP_AMOAND_W,  [0x10] = OP_AMOMIN_W,
		[0x14] = OP_AMOMAX_W,  [0x18] = OP_AMOMINU_W,
		[0x1c] = OP_AMOMAXU_W,
	};
	static const enum insn_op ops_d[32] = {
		[0x00] = OP_AMOADD_D,  [0x01] = OP_AMOSWAP_D,
		[0x02] = OP_LR_D,      [0x03] = OP_SC_D,
		[0x04] = OP_AMOXOR_D,  [0x08] = OP_AMOOR_D,
		[0x0c] = OP_AMOAND_D,  [0x10] = OP_AMOMIN_D,
		[0x14] = OP_AMOMAX_D,  [0x18] = OP_AMOMINU_D,
		[0x1c] = OP_AMOMAXU_D,
	};
	int f3 = bits(r, 14, 12), f5 = bits(r, 31, 27), rs2 = bits(r, 24, 20);
	enum insn_op op;

	if (f3 == 2)
		op = ops_w[f5];
	else if (f3 == 3)
		op = ops_d[f5];
	else
		return;
	/* ops_* zero-fill the holes, and OP_ILLEGAL is 0. */
	if (op == OP_ILLEGAL || (f5 == 0x02 && rs2 != 0))
		return;
	set(out, op, bits(r, 11, 7), bits(r, 19, 15), rs2, 0);
	out->rm = bits(r, 26, 25);
}

static bool rm_is_valid(int rm)
{
	return rm != 5 && rm != 6;
}

static void decode_fma(uint32_t r, struct insn *out)
{
	static const enum insn_op ops_s[4] = {
		OP_FMADD_S,
		OP_FMSUB_S,
		OP_FNMSUB_S,
		OP_FNMADD_S,
	};
	static const enum insn_op ops_d[4] = {
		OP_FMADD_D,
		OP_FMSUB_D,
		OP_FNMSUB_D,
		OP_FNMADD_D,
	};
	int fmt = bits(r, 26, 25), rm = bits(r, 14, 12);
	int which = bits(r, 3, 2);

	if (fmt > 1 || !rm_is_valid(rm))
		return;
	set(out, fmt ? ops_d[which] : ops_s[which], bits(r, 11, 7),
	    bits(r, 19, 15), bits(r, 24, 20), 0);
	out->rs3 = bits(r, 31, 27);
	out->rm = rm;
}

/* OP-FP: fmt (bits 26:25) is 0 for S and 1 for D. */
static void decode_op_fp(uint32_t r, struct insn *out)
{
	int f5 = bits(r, 31, 27), fmt = bits(r, 26, 25), f3 = bits(r, 14, 12);
	int rd = bits(r, 11, 7), rs1 = bits(r, 19, 15), rs2 = bits(r, 24, 20);
	bool d = fmt == 1, rounds = true, uses_rs2 = false;
	enum insn_op op = OP_ILLEGAL;

	if (fmt > 1)
		return;
	switch (f5) {
	case 0x00:
		op = d ? OP_FADD_D : OP_FADD_S;
		uses_rs2 = true;
		break;
	case 0x01:
		op = d ? OP_FSUB_D : OP_FSUB_S;
		uses_rs2 = true;
		break;
	case 0x02:
		op = d ? OP_FMUL_D : OP_FMUL_S;
		uses_rs2 = true;
		break;
	case 0x03:
		op = d ? OP_FDIV_D : OP_FDIV_S;
		uses_rs2 = true;
		break;
	case 0x0b:
		if (rs2 == 0)
			op = d ? OP_FSQRT_D : OP_FSQRT_S;
		break;
	case 0x04:
		rounds = false;
		uses_rs2 = true;
		if (f3 == 0)
			op = d ? OP_FSGNJ_D : OP_FSGNJ_S;
		else if (f3 == 1)
			op = d ? OP_FSGNJN_D : OP_FSGNJN_S;
		else if (f3 == 2)
			op = d ? OP_FSGNJX_D : OP_FSGNJX_S;
		break;
	case 0x05:
		rounds = false;
		uses_rs2 = true;
		if (f3 == 0)
			op = d ? OP_FMIN_D : OP_FMIN_S;
		else if (f3 == 1)
			op = d ? OP_FMAX_D : OP_FMAX_S;
		break;
	case 0x08:
		/* fmt is the destination format, rs2 the source format. */
		if (!d && rs2 == 1)
			op = OP_FCVT_S_D;
		else if (d && rs2 == 0)
			op = OP_FCVT_D_S;
		break;
	case 0x14:
		rounds = false;
		uses_rs2 = true;
		if (f3 == 2)
			op = d ? OP_FEQ_D : OP_FEQ_S;
		else if (f3 == 1)
			op = d ? OP_FLT_D : OP_FLT_S;
		else if (f3 == 0)
			op = d ? OP_FLE_D : OP_FLE_S;
		break;
	case 0x18:
		if (rs2 == 0)
			op = d ? OP_FCVT_W_D : OP_FCVT_W_S;
		else if (rs2 == 1)
			op = d ? OP_FCVT_WU_D : OP_FCVT_WU_S;
		else if (rs2 == 2)
			op = d ? OP_FCVT_L_D : OP_FCVT_L_S;
		else if (rs2 == 3)
			op = d ? OP_FCVT_LU_D : OP_FCVT_LU_S;
		break;
	case 0x1a:
		if (rs2 == 0)
			op = d ? OP_FCVT_D_W : OP_FCVT_S_W;
		else if (rs2 == 1)
			op = d ? OP_FCVT_D_WU : OP_FCVT_S_WU;
		else if (rs2 == 2)
			op = d ? OP_FCVT_D_L : OP_FCVT_S_L;
		else if (rs2 == 3)
			op = d ? OP_FCVT_D_LU : OP_FCVT_S_LU;
		break;
	case 0x1c:
		rounds = false;
		if (rs2 == 0 && f3 == 0)
			op = d ? OP_FMV_X_D : OP_FMV_X_W;
		else if (rs2 == 0 && f3 == 1)
			op = d ? OP_FCLASS_D : OP_FCLASS_S;
		break;
	case 0x1e:
		rounds = false;
		if (rs2 == 0 && f3 == 0)
			op = d ? OP_FMV_D_X : OP_FMV_W_X;
		break;
	}
	if (op == OP_ILLEGAL || (rounds && !rm_is_valid(f3)))
		return;
	set(out, op, rd, rs1, uses_rs2 ? rs2 : 0, 0);
	out->rm = rounds ? f3 : 0;
}

static void decode_system(uint32_t r, struct insn *out)
{
	static const enum insn_op csr_ops[8] = {
		OP_ILLEGAL, OP_CSRRW,  OP_CSRRS,  OP_CSRRC,
		OP_ILLEGAL, OP_CSRRWI, OP_CSRRSI, OP_CSRRCI,
	};
	int f3 = bits(r, 14, 12);

	if (f3 != 0) {
		if (csr_ops[f3] != OP_ILLEGAL)
			set(out, csr_ops[f3], bits(r, 11, 7), bits(r, 19, 15),
			    0, bits(r, 31, 20));
		return;
	}
	switch (r) {
	case 0x00000073: out->op = OP_ECALL; return;
	case 0x00100073: out->op = OP_EBREAK; return;
	case 0x10200073: out->op = OP_SRET; return;
	case 0x30200073: out->op = OP_MRET; return;
	case 0x10500073: out->op = OP_WFI; return;
	}
	if (bits(r, 31, 25) == 0x09 && bits(r, 11, 7) == 0)
		set(out, OP_SFENCE_VMA, 0, bits(r, 19, 15), bits(r, 24, 20), 0);
}

static void decode_32(uint32_t r, struct insn *out)
{
	int f3 = bits(r, 14, 12);
	int rd = bits(r, 11, 7), rs1 = bits(r, 19, 15), rs2 = bits(r, 24, 20);

	switch (bits(r, 6, 0)) {
	case OPC_LUI:
		set(out, OP_LUI, rd, 0, 0, (int32_t)(r & 0xfffff000));
		break;
	case OPC_AUIPC:
		set(out, OP_AUIPC, rd, 0, 0, (int32_t)(r & 0xfffff000));
		break;
	case OPC_JAL: set(out, OP_JAL, rd, 0, 0, imm_j(r)); break;
	case OPC_JALR:
		if (f3 == 0)
			set(out, OP_JALR, rd, rs1, 0, imm_i(r));
		break;
	case OPC_BRANCH:
		set(out, decode_branch(f3), 0, rs1, rs2, imm_b(r));
		break;
	case OPC_LOAD: set(out, decode_load(f3), rd, rs1, 0, imm_i(r)); break;
	case OPC_STORE:
		set(out, decode_store(f3), 0, rs1, rs2, imm_s(r));
		break;
	case OPC_OP_IMM: decode_op_imm(r, out); break;
	case OPC_OP_IMM_32: decode_op_imm_32(r, out); break;
	case OPC_OP:
		set(out, decode_op_op(bits(r, 31, 25), f3), rd, rs1, rs2, 0);
		break;
	case OPC_OP_32: decode_op_32(r, out); break;
	case OPC_MISC_MEM:
		/*
		 * Unused fields (rd, rs1; imm for FENCE.I) are reserved for
		 * finer-grained fences and must be ignored (spec 2.7, 6.1);
		 * unknown fm values are treated as a normal fence.
		 */
		if (f3 == 0)
			set(out, OP_FENCE, 0, 0, 0, bits(r, 31, 20));
		else if (f3 == 1)
			out->op = OP_FENCE_I;
		break;
	case OPC_SYSTEM: decode_system(r, out); break;
	case OPC_AMO: decode_amo(r, out); break;
	case OPC_LOAD_FP:
		if (f3 == 2)
			set(out, OP_FLW, rd, rs1, 0, imm_i(r));
		else if (f3 == 3)
			set(out, OP_FLD, rd, rs1, 0, imm_i(r));
		break;
	case OPC_STORE_FP:
		if (f3 == 2)
			set(out, OP_FSW, 0, rs1, rs2, imm_s(r));
		else if (f3 == 3)
			set(out, OP_FSD, 0, rs1, rs2, imm_s(r));
		break;
	case OPC_MADD:
	case OPC_MSUB:
	case OPC_NMSUB:
	case OPC_NMADD: decode_fma(r, out); break;
	case OPC_OP_FP: decode_op_fp(r, out); break;
	}
}

/* The 3-bit register fields of CIW, CL, CS, CA and CB formats: x8..x15. */
static int creg(uint32_t r, int lo)
{
	return 8 + bits(r, lo + 2, lo);
}

/* CI format 6-bit immediate: imm[5] in bit 12, imm[4:0] in bits 6:2. */
static uint32_t ci_imm6(uint32_t r)
{
	return bits(r, 12, 12) << 5 | bits(r, 6, 2);
}

/* CL/CS offsets scaled by 8 (C.LD, C.SD, C.FLD, C.FSD). */
static int32_t cl_off_d(uint32_t r)
{
	return bits(r, 12, 10) << 3 | bits(r, 6, 5) << 6;
}

/* CL/CS offsets scaled by 4 (C.LW, C.SW). */
static int32_t cl_off_w(uint32_t r)
{
	return bits(r, 12, 10) << 3 | bits(r, 6, 6) << 2 | bits(r, 5, 5) << 6;
}

static void decode_c0(uint32_t r, struct insn *out)
{
	int rd = creg(r, 2), rs1 = creg(r, 7);
	int32_t imm;

	switch (bits(r, 15, 13)) {
	case 0:
		imm = bits(r, 12, 11) << 4 | bits(r, 10, 7) << 6 |
		      bits(r, 6, 6) << 2 | bits(r, 5, 5) << 3;
		if (imm != 0)
			set(out, OP_ADDI, rd, 2, 0, imm);
		break;
	case 1: set(out, OP_FLD, rd, rs1, 0, cl_off_d(r)); break;
	case 2: set(out, OP_LW, rd, rs1, 0, cl_off_w(r)); break;
	case 3: set(out, OP_LD, rd, rs1, 0, cl_off_d(r)); break;
	case 5: set(out, OP_FSD, 0, rs1, rd, cl_off_d(r)); break;
	case 6: set(out, OP_SW, 0, rs1, rd, cl_off_w(r)); break;
	case 7: set(out, OP_SD, 0, rs1, rd, cl_off_d(r)); break;
	}
}

static void decode_c1_alu(uint32_t r, struct insn *out)
{
	static const enum insn_op ops[8] = {
		OP_SUB,	 OP_XOR,  OP_OR,      OP_AND,
		OP_SUBW, OP_ADDW, OP_ILLEGAL, OP_ILLEGAL,
	};
	int rd = creg(r, 7), rs2 = creg(r, 2);

	switch (bits(r, 11, 10)) {
	case 0: set(out, OP_SRLI, rd, rd, 0, ci_imm6(r)); break;
	case 1: set(out, OP_SRAI, rd, rd, 0, ci_imm6(r)); break;
	case 2: set(out, OP_ANDI, rd, rd, 0, sext(ci_imm6(r), 6)); break;
	case 3:
		set(out, ops[bits(r, 12, 12) << 2 | bits(r, 6, 5)], rd, rd, rs2,
		    0);
		break;
	}
}

static void decode_c1(uint32_t r, struct insn *out)
{
	int rd = bits(r, 11, 7), rs1 = creg(r, 7);
	int32_t imm6 = sext(ci_imm6(r), 6), imm;

	switch (bits(r, 15, 13)) {
	case 0: set(out, OP_ADDI, rd, rd, 0, imm6); break;
	case 1:
		if (rd != 0)
			set(out, OP_ADDIW, rd, rd, 0, imm6);
		break;
	case 2: set(out, OP_ADDI, rd, 0, 0, imm6); break;
	case 3:
		if (rd == 2) {
			imm = sext(bits(r, 12, 12) << 9 | bits(r, 6, 6) << 4 |
					   bits(r, 5, 5) << 6 |
					   bits(r, 4, 3) << 7 |
					   bits(r, 2, 2) << 5,
				   10);
			if (imm != 0)
				set(out, OP_ADDI, 2, 2, 0, imm);
		} else if (imm6 != 0) {
			set(out, OP_LUI, rd, 0, 0, imm6 * 4096);
		}
		break;
	case 4: decode_c1_alu(r, out); break;
	case 5:
		imm = sext(bits(r, 12, 12) << 11 | bits(r, 11, 11) << 4 |
				   bits(r, 10, 9) << 8 | bits(r, 8, 8) << 10 |
				   bits(r, 7, 7) << 6 | bits(r, 6, 6) << 7 |
				   bits(r, 5, 3) << 1 | bits(r, 2, 2) << 5,
			   12);
		set(out, OP_JAL, 0, 0, 0, imm);
		break;
	case 6:
	case 7:
		imm = sext(bits(r, 12, 12) << 8 | bits(r, 11, 10) << 3 |
				   bits(r, 6, 5) << 6 | bits(r, 4, 3) << 1 |
				   bits(r, 2, 2) << 5,
			   9);
		set(out, bits(r, 13, 13) ? OP_BNE : OP_BEQ, 0, rs1, 0, imm);
		break;
	}
}

static void decode_c2(uint32_t r, struct insn *out)
{
	int rd = bits(r, 11, 7), rs2 = bits(r, 6, 2);
	int32_t off_d =
		bits(r, 12, 12) << 5 | bits(r, 6, 5) << 3 | bits(r, 4, 2) << 6;
	int32_t off_w =
		bits(r, 12, 12) << 5 | bits(r, 6, 4) << 2 | bits(r, 3, 2) << 6;
	int32_t soff_d = bits(r, 12, 10) << 3 | bits(r, 9, 7) << 6;
	int32_t soff_w = bits(r, 12, 9) << 2 | bits(r, 8, 7) << 6;

	switch (bits(r, 15, 13)) {
	case 0: set(out, OP_SLLI, rd, rd, 0, ci_imm6(r)); break;
	case 1: set(out, OP_FLD, rd, 2, 0, off_d); break;
	case 2:
		if (rd != 0)
			set(out, OP_LW, rd, 2, 0, off_w);
		break;
	case 3:
		if (rd != 0)
			set(out, OP_LD, rd, 2, 0, off_d);
		break;
	case 4:
		if (!bits(r, 12, 12)) {
			if (rs2 != 0)
				set(out, OP_ADD, rd, 0, rs2, 0);
			else if (rd != 0)
				set(out, OP_JALR, 0, rd, 0, 0);
		} else {
			if (rs2 != 0)
				set(out, OP_ADD, rd, rd, rs2, 0);
			else if (rd != 0)
				set(out, OP_JALR, 1, rd, 0, 0);
			else
				out->op = OP_EBREAK;
		}
		break;
	case 5: set(out, OP_FSD, 0, 2, rs2, soff_d); break;
	case 6: set(out, OP_SW, 0, 2, rs2, soff_w); break;
	case 7: set(out, OP_SD, 0, 2, rs2, soff_d); break;
	}
}

void decode(uint32_t raw, struct insn *out)
{
	*out = (struct insn){ .op = OP_ILLEGAL };
	if (insn_is_compressed(raw)) {
		raw &= 0xffff;
		switch (raw & 3) {
		case 0: decode_c0(raw, out); break;
		case 1: decode_c1(raw, out); break;
		case 2: decode_c2(raw, out); break;
		}
		out->len = 2;
	} else {
		decode_32(raw, out);
		out->len = 4;
	}
	if (out->op == OP_ILLEGAL)
		*out = (struct insn){ .op = OP_ILLEGAL, .len = out->len };
	out->raw = raw;
}

static const char *const op_names[OP_COUNT] = {
	[OP_ILLEGAL] = "illegal",
	[OP_LUI] = "lui",
	[OP_AUIPC] = "auipc",
	[OP_JAL] = "jal",
	[OP_JALR] = "jalr",
	[OP_BEQ] = "beq",
	[OP_BNE] = "bne",
	[OP_BLT] = "blt",
	[OP_BGE] = "bge",
	[OP_BLTU] = "bltu",
	[OP_BGEU] = "bgeu",
	[OP_LB] = "lb",
	[OP_LH] = "lh",
	[OP_LW] = "lw",
	[OP_LD] = "ld",
	[OP_LBU] = "lbu",
	[OP_LHU] = "lhu",
	[OP_LWU] = "lwu",
	[OP_SB] = "sb",
	[OP_SH] = "sh",
	[OP_SW] = "sw",
	[OP_SD] = "sd",
	[OP_ADDI] = "addi",
	[OP_SLTI] = "slti",
	[OP_SLTIU] = "sltiu",
	[OP_XORI] = "xori",
	[OP_ORI] = "ori",
	[OP_ANDI] = "andi",
	[OP_SLLI] = "slli",
	[OP_SRLI] = "srli",
	[OP_SRAI] = "srai",
	[OP_ADD] = "add",
	[OP_SUB] = "sub",
	[OP_SLL] = "sll",
	[OP_SLT] = "slt",
	[OP_SLTU] = "sltu",
	[OP_XOR] = "xor",
	[OP_SRL] = "srl",
	[OP_SRA] = "sra",
	[OP_OR] = "or",
	[OP_AND] = "and",
	[OP_ADDIW] = "addiw",
	[OP_SLLIW] = "slliw",
	[OP_SRLIW] = "srliw",
	[OP_SRAIW] = "sraiw",
	[OP_ADDW] = "addw",
	[OP_SUBW] = "subw",
	[OP_SLLW] = "sllw",
	[OP_SRLW] = "srlw",
	[OP_SRAW] = "sraw",
	[OP_FENCE] = "fence",
	[OP_FENCE_I] = "fence.i",
	[OP_ECALL] = "ecall",
	[OP_EBREAK] = "ebreak",
	[OP_CSRRW] = "csrrw",
	[OP_CSRRS] = "csrrs",
	[OP_CSRRC] = "csrrc",
	[OP_CSRRWI] = "csrrwi",
	[OP_CSRRSI] = "csrrsi",
	[OP_CSRRCI] = "csrrci",
	[OP_MRET] = "mret",
	[OP_SRET] = "sret",
	[OP_WFI] = "wfi",
	[OP_SFENCE_VMA] = "sfence.vma",
	[OP_MUL] = "mul",
	[OP_MULH] = "mulh",
	[OP_MULHSU] = "mulhsu",
	[OP_MULHU] = "mulhu",
	[OP_DIV] = "div",
	[OP_DIVU] = "divu",
	[OP_REM] = "rem",
	[OP_REMU] = "remu",
	[OP_MULW] = "mulw",
	[OP_DIVW] = "divw",
	[OP_DIVUW] = "divuw",
	[OP_REMW] = "remw",
	[OP_REMUW] = "remuw",
	[OP_LR_W] = "lr.w",
	[OP_SC_W] = "sc.w",
	[OP_AMOSWAP_W] = "amoswap.w",
	[OP_AMOADD_W] = "amoadd.w",
	[OP_AMOXOR_W] = "amoxor.w",
	[OP_AMOAND_W] = "amoand.w",
	[OP_AMOOR_W] = "amoor.w",
	[OP_AMOMIN_W] = "amomin.w",
	[OP_AMOMAX_W] = "amomax.w",
	[OP_AMOMINU_W] = "amominu.w",
	[OP_AMOMAXU_W] = "amomaxu.w",
	[OP_LR_D] = "lr.d",
	[OP_SC_D] = "sc.d",
	[OP_AMOSWAP_D] = "amoswap.d",
	[OP_AMOADD_D] = "amoadd.d",
	[OP_AMOXOR_D] = "amoxor.d",
	[OP_AMOAND_D] = "amoand.d",
	[OP_AMOOR_D] = "amoor.d",
	[OP_AMOMIN_D] = "amomin.d",
	[OP_AMOMAX_D] = "amomax.d",
	[OP_AMOMINU_D] = "amominu.d",
	[OP_AMOMAXU_D] = "amomaxu.d",
	[OP_FLW] = "flw",
	[OP_FSW] = "fsw",
	[OP_FMADD_S] = "fmadd.s",
	[OP_FMSUB_S] = "fmsub.s",
	[OP_FNMSUB_S] = "fnmsub.s",
	[OP_FNMADD_S] = "fnmadd.s",
	[OP_FADD_S] = "fadd.s",
	[OP_FSUB_S] = "fsub.s",
	[OP_FMUL_S] = "fmul.s",
	[OP_FDIV_S] = "fdiv.s",
	[OP_FSQRT_S] = "fsqrt.s",
	[OP_FSGNJ_S] = "fsgnj.s",
	[OP_FSGNJN_S] = "fsgnjn.s",
	[OP_FSGNJX_S] = "fsgnjx.s",
	[OP_FMIN_S] = "fmin.s",
	[OP_FMAX_S] = "fmax.s",
	[OP_FCVT_W_S] = "fcvt.w.s",
	[OP_FCVT_WU_S] = "fcvt.wu.s",
	[OP_FCVT_L_S] = "fcvt.l.s",
	[OP_FCVT_LU_S] = "fcvt.lu.s",
	[OP_FCVT_S_W] = "fcvt.s.w",
	[OP_FCVT_S_WU] = "fcvt.s.wu",
	[OP_FCVT_S_L] = "fcvt.s.l",
	[OP_FCVT_S_LU] = "fcvt.s.lu",
	[OP_FMV_X_W] = "fmv.x.w",
	[OP_FMV_W_X] = "fmv.w.x",
	[OP_FEQ_S] = "feq.s",
	[OP_FLT_S] = "flt.s",
	[OP_FLE_S] = "fle.s",
	[OP_FCLASS_S] = "fclass.s",
	[OP_FLD] = "fld",
	[OP_FSD] = "fsd",
	[OP_FMADD_D] = "fmadd.d",
	[OP_FMSUB_D] = "fmsub.d",
	[OP_FNMSUB_D] = "fnmsub.d",
	[OP_FNMADD_D] = "fnmadd.d",
	[OP_FADD_D] = "fadd.d",
	[OP_FSUB_D] = "fsub.d",
	[OP_FMUL_D] = "fmul.d",
	[OP_FDIV_D] = "fdiv.d",
	[OP_FSQRT_D] = "fsqrt.d",
	[OP_FSGNJ_D] = "fsgnj.d",
	[OP_FSGNJN_D] = "fsgnjn.d",
	[OP_FSGNJX_D] = "fsgnjx.d",
	[OP_FMIN_D] = "fmin.d",
	[OP_FMAX_D] = "fmax.d",
	[OP_FCVT_W_D] = "fcvt.w.d",
	[OP_FCVT_WU_D] = "fcvt.wu.d",
	[OP_FCVT_L_D] = "fcvt.l.d",
	[OP_FCVT_LU_D] = "fcvt.lu.d",
	[OP_FCVT_D_W] = "fcvt.d.w",
	[OP_FCVT_D_WU] = "fcvt.d.wu",
	[OP_FCVT_D_L] = "fcvt.d.l",
	[OP_FCVT_D_LU] = "fcvt.d.lu",
	[OP_FCVT_S_D] = "fcvt.s.d",
	[OP_FCVT_D_S] = "fcvt.d.s",
	[OP_FMV_X_D] = "fmv.x.d",
	[OP_FMV_D_X] = "fmv.d.x",
	[OP_FEQ_D] = "feq.d",
	[OP_FLT_D] = "flt.d",
	[OP_FLE_D] = "fle.d",
	[OP_FCLASS_D] = "fclass.d",
	[OP_ADD_UW] = "add.uw",
	[OP_SH1ADD] = "sh1add",
	[OP_SH2ADD] = "sh2add",
	[OP_SH3ADD] = "sh3add",
	[OP_SH1ADD_UW] = "sh1add.uw",
	[OP_SH2ADD_UW] = "sh2add.uw",
	[OP_SH3ADD_UW] = "sh3add.uw",
	[OP_SLLI_UW] = "slli.uw",
	[OP_ANDN] = "andn",
	[OP_ORN] = "orn",
	[OP_XNOR] = "xnor",
	[OP_CLZ] = "clz",
	[OP_CLZW] = "clzw",
	[OP_CTZ] = "ctz",
	[OP_CTZW] = "ctzw",
	[OP_CPOP] = "cpop",
	[OP_CPOPW] = "cpopw",
	[OP_MAX] = "max",
	[OP_MAXU] = "maxu",
	[OP_MIN] = "min",
	[OP_MINU] = "minu",
	[OP_SEXT_B] = "sext.b",
	[OP_SEXT_H] = "sext.h",
	[OP_ZEXT_H] = "zext.h",
	[OP_ROL] = "rol",
	[OP_ROLW] = "rolw",
	[OP_ROR] = "ror",
	[OP_RORI] = "rori",
	[OP_RORIW] = "roriw",
	[OP_RORW] = "rorw",
	[OP_ORC_B] = "orc.b",
	[OP_REV8] = "rev8",
	[OP_BCLR] = "bclr",
	[OP_BCLRI] = "bclri",
	[OP_BEXT] = "bext",
	[OP_BEXTI] = "bexti",
	[OP_BINV] = "binv",
	[OP_BINVI] = "binvi",
	[OP_BSET] = "bset",
	[OP_BSETI] = "bseti",
	[OP_CZERO_EQZ] = "czero.eqz",
	[OP_CZERO_NEZ] = "czero.nez",
};

const char *insn_op_name(enum insn_op op)
{
	if ((unsigned)op >= OP_COUNT || op_names[op] == NULL)
		return "?";
	return op_names[op];
}

bool insn_ends_block(enum insn_op op)
{
	switch (op) {
	case OP_ILLEGAL:
	case OP_JAL:
	case OP_JALR:
	case OP_BEQ:
	case OP_BNE:
	case OP_BLT:
	case OP_BGE:
	case OP_BLTU:
	case OP_BGEU:
	case OP_ECALL:
	case OP_EBREAK:
	case OP_CSRRW:
	case OP_CSRRS:
	case OP_CSRRC:
	case OP_CSRRWI:
	case OP_CSRRSI:
	case OP_CSRRCI:
	case OP_MRET:
	case OP_SRET:
	case OP_WFI:
	case OP_SFENCE_VMA:
	case OP_FENCE:
	case OP_FENCE_I: return true;
	default: return false;
	}
}

bool insn_is_branch(enum insn_op op)
{
	switch (op) {
	case OP_BEQ:
	case OP_BNE:
	case OP_BLT:
	case OP_BGE:
	case OP_BLTU:
	case OP_BGEU: return true;
	default: return false;
	}
}
