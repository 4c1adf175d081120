/*
 * A small x86-64 assembler: the instruction forms the JIT emits, encoded
 * per the Intel SDM volume 2 (REX prefixes, ModRM/SIB, chapter 2). It
 * knows nothing of RISC-V. Operands are register numbers (enum x86_reg)
 * and [base + disp32] memory operands.
 * (Jumps return a rel32 field to patch, or NULL once the buffer is full.)
 *
 * A write past the end of the buffer is not performed; x86_overflowed()
 * tells the caller to throw the output away (the JIT then flushes its
 * cache and translates again).
 */
#ifndef JIT_X86_H
#define JIT_X86_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum x86_reg {
	RAX,
	RCX,
	RDX,
	RBX,
	RSP,
	RBP,
	RSI,
	RDI,
	R8,
	R9,
	R10,
	R11,
	R12,
	R13,
	R14,
	R15
};

/* condition codes (the low nibble of Jcc/SETcc/CMOVcc) */
enum x86_cc {
	CC_O = 0,
	CC_NO = 1,
	CC_B = 2,
	CC_AE = 3,
	CC_E = 4,
	CC_NE = 5,
	CC_BE = 6,
	CC_A = 7,
	CC_S = 8,
	CC_NS = 9,
	CC_L = 12,
	CC_GE = 13,
	CC_LE = 14,
	CC_G = 15
};

/* group-1 ALU ops: the /digit of 0x81/0x83 and (x << 3) | 1 for r/m,r */
enum x86_alu {
	ALU_ADD = 0,
	ALU_OR = 1,
	ALU_AND = 4,
	ALU_SUB = 5,
	ALU_XOR = 6,
	ALU_CMP = 7
};

/* group-2 shifts: the /digit of 0xc1/0xd3 */
enum x86_shift { SH_ROL = 0, SH_ROR = 1, SH_SHL = 4, SH_SHR = 5, SH_SAR = 7 };

struct x86_buf {
	uint8_t *p;
	uint8_t *start;
	uint8_t *end;
	bool overflow;
};

static inline void x86_init(struct x86_buf *b, uint8_t *start, size_t size)
{
	b->p = b->start = start;
	b->end = start + size;
	b->overflow = false;
}

static inline bool x86_overflowed(const struct x86_buf *b)
{
	return b->overflow;
}

static inline void x86_byte(struct x86_buf *b, uint8_t v)
{
	if (b->p < b->end)
		*b->p++ = v;
	else
		b->overflow = true;
}

static inline void x86_u32(struct x86_buf *b, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		x86_byte(b, (uint8_t)(v >> (8 * i)));
}

static inline void x86_u64(struct x86_buf *b, uint64_t v)
{
	x86_u32(b, (uint32_t)v);
	x86_u32(b, (uint32_t)(v >> 32));
}

static inline bool x86_fits_s8(int64_t v)
{
	return v >= -128 && v <= 127;
}

static inline bool x86_fits_s32(int64_t v)
{
	return v >= INT32_MIN && v <= INT32_MAX;
}

/* operand size / prefix flags of x86_op */
#define X86_W 1u   /* REX.W: 64-bit operand */
#define X86_B8 2u  /* byte register operand: needs REX for spl..dil */
#define X86_P66 4u /* 16-bit operand */

/* no index register in a memory operand (rsp cannot be one) */
#define X86_NO_INDEX RSP

/*
 * Emits [66] [REX] opcode (1 to 3 bytes, given high byte first in op and
 * its length in oplen) and a ModRM for reg and, when mem, [rm + index +
 * disp] (index X86_NO_INDEX for none), else the register rm.
 */
static inline void x86_op_idx(struct x86_buf *b, unsigned flags, uint32_t op,
			      unsigned oplen, unsigned reg, unsigned rm,
			      bool mem, unsigned index, int32_t disp)
{
	/* a SIB byte for an index or base rsp/r12: no index encodes as rsp */
	bool sib = mem && (index != X86_NO_INDEX || (rm & 7) == RSP);
	uint8_t rex = 0x40 | ((flags & X86_W) ? 8 : 0) | ((reg & 8) ? 4 : 0) |
		      ((mem && (index & 8)) ? 2 : 0) | ((rm & 8) ? 1 : 0);
	uint8_t mod;

	if (flags & X86_P66)
		x86_byte(b, 0x66);
	if (rex != 0x40 || ((flags & X86_B8) && ((reg >= 4 && reg < 8) ||
						 (!mem && rm >= 4 && rm < 8))))
		x86_byte(b, rex);
	for (unsigned i = oplen; i-- > 0;)
		x86_byte(b, (uint8_t)(op >> (8 * i)));
	if (!mem) {
		x86_byte(b, (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7)));
		return;
	}
	/* base rbp or r13 has no form without a displacement */
	if (disp == 0 && (rm & 7) != RBP)
		mod = 0x00;
	else
		mod = x86_fits_s8(disp) ? 0x40 : 0x80;
	x86_byte(b, (uint8_t)(mod | (reg & 7) << 3 | (sib ? 4 : rm & 7)));
	if (sib)
		x86_byte(b, (uint8_t)((index & 7) << 3 | (rm & 7)));
	if (mod == 0x40)
		x86_byte(b, (uint8_t)disp);
	else if (mod == 0x80)
		x86_u32(b, (uint32_t)disp);
}

/* x86_op_idx without an index register */
static inline void x86_op(struct x86_buf *b, unsigned flags, uint32_t op,
			  unsigned oplen, unsigned reg, unsigned rm, bool mem,
			  int32_t disp)
{
	x86_op_idx(b, flags, op, oplen, reg, rm, mem, X86_NO_INDEX, disp);
}

/* mov r64, [base + disp] */
static inline void x86_load64(struct x86_buf *b, unsigned r, unsigned base,
			      int32_t disp)
{
	x86_op(b, X86_W, 0x8b, 1, r, base, true, disp);
}

/* mov [base + disp], r64 */
static inline void x86_store64(struct x86_buf *b, unsigned base, int32_t disp,
			       unsigned r)
{
	x86_op(b, X86_W, 0x89, 1, r, base, true, disp);
}

/*
 * mov [base + index + disp], r with size 1, 2, 4 or 8 bytes (index
 * X86_NO_INDEX for none)
 */
static inline void x86_store_idx(struct x86_buf *b, unsigned size,
				 unsigned base, unsigned index, int32_t disp,
				 unsigned r)
{
	switch (size) {
	case 1:
		x86_op_idx(b, X86_B8, 0x88, 1, r, base, true, index, disp);
		break;
	case 2:
		x86_op_idx(b, X86_P66, 0x89, 1, r, base, true, index, disp);
		break;
	case 4: x86_op_idx(b, 0, 0x89, 1, r, base, true, index, disp); break;
	default:
		x86_op_idx(b, X86_W, 0x89, 1, r, base, true, index, disp);
		break;
	}
}

/* mov [base + disp], r as x86_store_idx without an index */
static inline void x86_store_sized(struct x86_buf *b, unsigned size,
				   unsigned base, int32_t disp, unsigned r)
{
	x86_store_idx(b, size, base, X86_NO_INDEX, disp, r);
}

/*
 * r = [base + index + disp] (index X86_NO_INDEX for none) of size 1, 2,
 * 4 or 8, sign- or zero-extended to 64 bits (movsx/movsxd, movzx, mov
 * r32).
 */
static inline void x86_load_idx(struct x86_buf *b, unsigned size, bool sign,
				unsigned r, unsigned base, unsigned index,
				int32_t disp)
{
	switch (size) {
	case 1:
		x86_op_idx(b, sign ? X86_W : 0, sign ? 0x0fbe : 0x0fb6, 2, r,
			   base, true, index, disp);
		break;
	case 2:
		x86_op_idx(b, sign ? X86_W : 0, sign ? 0x0fbf : 0x0fb7, 2, r,
			   base, true, index, disp);
		break;
	case 4:
		x86_op_idx(b, sign ? X86_W : 0, sign ? 0x63 : 0x8b, 1, r, base,
			   true, index, disp);
		break;
	default:
		x86_op_idx(b, X86_W, 0x8b, 1, r, base, true, index, disp);
		break;
	}
}

/* r = [base + disp] as x86_load_idx without an index */
static inline void x86_load_ext(struct x86_buf *b, unsigned size, bool sign,
				unsigned r, unsigned base, int32_t disp)
{
	x86_load_idx(b, size, sign, r, base, X86_NO_INDEX, disp);
}

/* mov dst, src (64-bit, or 32-bit zero-extending when !w) */
static inline void x86_mov_rr(struct x86_buf *b, bool w, unsigned dst,
			      unsigned src)
{
	x86_op(b, w ? X86_W : 0, 0x89, 1, src, dst, false, 0);
}

/* r = imm, in the shortest form */
static inline void x86_mov_imm(struct x86_buf *b, unsigned r, uint64_t imm)
{
	if (imm == 0) {
		x86_op(b, 0, 0x31, 1, r, r, false, 0); /* xor r32, r32 */
	} else if (imm <= UINT32_MAX) {
		if (r & 8)
			x86_byte(b, 0x41);
		x86_byte(b, (uint8_t)(0xb8 | (r & 7)));
		x86_u32(b, (uint32_t)imm);
	} else if (x86_fits_s32((int64_t)imm)) {
		x86_op(b, X86_W, 0xc7, 1, 0, r, false, 0);
		x86_u32(b, (uint32_t)imm);
	} else {
		x86_byte(b, (uint8_t)(0x48 | ((r & 8) ? 1 : 0)));
		x86_byte(b, (uint8_t)(0xb8 | (r & 7)));
		x86_u64(b, imm);
	}
}

/* op dst, src (r/m, r form) */
static inline void x86_alu_rr(struct x86_buf *b, bool w, enum x86_alu op,
			      unsigned dst, unsigned src)
{
	x86_op(b, w ? X86_W : 0, (uint32_t)(op << 3 | 1), 1, src, dst, false,
	       0);
}

/* op r, [base + disp] (r, r/m form) */
static inline void x86_alu_rm(struct x86_buf *b, bool w, enum x86_alu op,
			      unsigned r, unsigned base, int32_t disp)
{
	x86_op(b, w ? X86_W : 0, (uint32_t)(op << 3 | 3), 1, r, base, true,
	       disp);
}

/* op r, [base + index + disp] (r, r/m form) */
static inline void x86_alu_rm_idx(struct x86_buf *b, bool w, enum x86_alu op,
				  unsigned r, unsigned base, unsigned index,
				  int32_t disp)
{
	x86_op_idx(b, w ? X86_W : 0, (uint32_t)(op << 3 | 3), 1, r, base, true,
		   index, disp);
}

/* mov r64, [base + index + disp] */
static inline void x86_load64_idx(struct x86_buf *b, unsigned r, unsigned base,
				  unsigned index, int32_t disp)
{
	x86_op_idx(b, X86_W, 0x8b, 1, r, base, true, index, disp);
}

/* op [base + disp], r (r/m, r form) */
static inline void x86_alu_mr(struct x86_buf *b, bool w, enum x86_alu op,
			      unsigned base, int32_t disp, unsigned r)
{
	x86_op(b, w ? X86_W : 0, (uint32_t)(op << 3 | 1), 1, r, base, true,
	       disp);
}

/* op r, imm32 (sign-extended to 64 bits when w) */
static inline void x86_alu_ri(struct x86_buf *b, bool w, enum x86_alu op,
			      unsigned r, int32_t imm)
{
	if (x86_fits_s8(imm)) {
		x86_op(b, w ? X86_W : 0, 0x83, 1, op, r, false, 0);
		x86_byte(b, (uint8_t)imm);
	} else {
		x86_op(b, w ? X86_W : 0, 0x81, 1, op, r, false, 0);
		x86_u32(b, (uint32_t)imm);
	}
}

/* op [base + disp], imm32 (sign-extended when w) */
static inline void x86_alu_mi(struct x86_buf *b, bool w, enum x86_alu op,
			      unsigned base, int32_t disp, int32_t imm)
{
	if (x86_fits_s8(imm)) {
		x86_op(b, w ? X86_W : 0, 0x83, 1, op, base, true, disp);
		x86_byte(b, (uint8_t)imm);
	} else {
		x86_op(b, w ? X86_W : 0, 0x81, 1, op, base, true, disp);
		x86_u32(b, (uint32_t)imm);
	}
}

/* mov dword [base + disp], imm32 */
static inline void x86_mov_mi32(struct x86_buf *b, unsigned base, int32_t disp,
				uint32_t imm)
{
	x86_op(b, 0, 0xc7, 1, 0, base, true, disp);
	x86_u32(b, imm);
}

/* test dword [base + disp], imm32 */
static inline void x86_test_mi32(struct x86_buf *b, unsigned base, int32_t disp,
				 uint32_t imm)
{
	x86_op(b, 0, 0xf7, 1, 0, base, true, disp);
	x86_u32(b, imm);
}

/* mov qword [base + disp], imm32 sign-extended */
static inline void x86_mov_mi64(struct x86_buf *b, unsigned base, int32_t disp,
				int32_t imm)
{
	x86_op(b, X86_W, 0xc7, 1, 0, base, true, disp);
	x86_u32(b, (uint32_t)imm);
}

/* shift/rotate r by imm */
static inline void x86_shift_ri(struct x86_buf *b, bool w, enum x86_shift op,
				unsigned r, uint8_t imm)
{
	x86_op(b, w ? X86_W : 0, 0xc1, 1, op, r, false, 0);
	x86_byte(b, imm);
}

/* shift/rotate r by cl (the CPU masks the count to 5 or 6 bits) */
static inline void x86_shift_cl(struct x86_buf *b, bool w, enum x86_shift op,
				unsigned r)
{
	x86_op(b, w ? X86_W : 0, 0xd3, 1, op, r, false, 0);
}

/*
 * BMI2 shlx/shrx/sarx dst, src, cnt (op SH_SHL, SH_SHR or SH_SAR): a
 * shift by a count in any register, flags untouched; the count is masked
 * to 5 or 6 bits as by cl. VEX.LZ.{66,F2,F3}.0F38.W F7 /r, the count in
 * VEX.vvvv (SDM vol. 2, 2.3). Callers check that the host has BMI2.
 */
static inline void x86_shiftx(struct x86_buf *b, bool w, enum x86_shift op,
			      unsigned dst, unsigned src, unsigned cnt)
{
	uint8_t pp = op == SH_SHL ? 1 : op == SH_SAR ? 2 : 3;

	x86_byte(b, 0xc4);
	x86_byte(b, (uint8_t)(((dst & 8) ? 0 : 0x80) | 0x40 |
			      ((src & 8) ? 0 : 0x20) | 0x02));
	x86_byte(b, (uint8_t)((w ? 0x80 : 0) | (~cnt & 15) << 3 | pp));
	x86_byte(b, 0xf7);
	x86_byte(b, (uint8_t)(0xc0 | (dst & 7) << 3 | (src & 7)));
}

/*
 * rorx dst32, src32, imm: rotate right into another register, flags
 * untouched. VEX.LZ.F2.0F3A.W0 F0 /r ib. Callers check that the host
 * has BMI2.
 */
static inline void x86_rorx32(struct x86_buf *b, unsigned dst, unsigned src,
			      uint8_t imm)
{
	x86_byte(b, 0xc4);
	x86_byte(b, (uint8_t)(((dst & 8) ? 0 : 0x80) | 0x40 |
			      ((src & 8) ? 0 : 0x20) | 0x03));
	x86_byte(b, 0x7b);
	x86_byte(b, 0xf0);
	x86_byte(b, (uint8_t)(0xc0 | (dst & 7) << 3 | (src & 7)));
	x86_byte(b, imm);
}

/* imul dst, src */
static inline void x86_imul_rr(struct x86_buf *b, bool w, unsigned dst,
			       unsigned src)
{
	x86_op(b, w ? X86_W : 0, 0x0faf, 2, dst, src, false, 0);
}

/* imul r, [base + disp] */
static inline void x86_imul_rm(struct x86_buf *b, bool w, unsigned r,
			       unsigned base, int32_t disp)
{
	x86_op(b, w ? X86_W : 0, 0x0faf, 2, r, base, true, disp);
}

/*
 * one-operand group 3 on r: 2 not, 3 neg, 4 mul, 5 imul, 6 div, 7 idiv
 * (rdx:rax)
 */
static inline void x86_grp3(struct x86_buf *b, bool w, unsigned digit,
			    unsigned r)
{
	x86_op(b, w ? X86_W : 0, 0xf7, 1, digit, r, false, 0);
}

/* test a, b */
static inline void x86_test_rr(struct x86_buf *b, bool w, unsigned a,
			       unsigned r)
{
	x86_op(b, w ? X86_W : 0, 0x85, 1, r, a, false, 0);
}

/* setcc r8; then movzx r32, r8 */
static inline void x86_setcc_zx(struct x86_buf *b, enum x86_cc cc, unsigned r)
{
	x86_op(b, X86_B8, 0x0f90 | cc, 2, 0, r, false, 0);
	x86_op(b, X86_B8, 0x0fb6, 2, r, r, false, 0);
}

/* cmovcc dst, src (64-bit) */
static inline void x86_cmov(struct x86_buf *b, enum x86_cc cc, unsigned dst,
			    unsigned src)
{
	x86_op(b, X86_W, 0x0f40 | cc, 2, dst, src, false, 0);
}

/* movsxd dst, src32 */
static inline void x86_movsxd(struct x86_buf *b, unsigned dst, unsigned src)
{
	x86_op(b, X86_W, 0x63, 1, dst, src, false, 0);
}

/* movsxd dst, dword [base + disp] */
static inline void x86_movsxd_m(struct x86_buf *b, unsigned dst, unsigned base,
				int32_t disp)
{
	x86_op(b, X86_W, 0x63, 1, dst, base, true, disp);
}

/* movsx dst64, src8/src16; movzx dst32, src16 */
static inline void x86_movsx8(struct x86_buf *b, unsigned dst, unsigned src)
{
	x86_op(b, X86_W | X86_B8, 0x0fbe, 2, dst, src, false, 0);
}

static inline void x86_movsx16(struct x86_buf *b, unsigned dst, unsigned src)
{
	x86_op(b, X86_W, 0x0fbf, 2, dst, src, false, 0);
}

static inline void x86_movzx16(struct x86_buf *b, unsigned dst, unsigned src)
{
	x86_op(b, 0, 0x0fb7, 2, dst, src, false, 0);
}

/* movzx dst32, src8 */
static inline void x86_movzx8(struct x86_buf *b, unsigned dst, unsigned src)
{
	x86_op(b, X86_B8, 0x0fb6, 2, dst, src, false, 0);
}

/* bswap r64 */
static inline void x86_bswap64(struct x86_buf *b, unsigned r)
{
	x86_byte(b, (uint8_t)(0x48 | ((r & 8) ? 1 : 0)));
	x86_byte(b, 0x0f);
	x86_byte(b, (uint8_t)(0xc8 | (r & 7)));
}

/* bt/bts/btr/btc r, bitreg (64-bit; the CPU takes the bit number mod 64) */
enum x86_bt { BT_BT = 0xa3, BT_BTS = 0xab, BT_BTR = 0xb3, BT_BTC = 0xbb };

static inline void x86_bt_rr(struct x86_buf *b, enum x86_bt op, unsigned r,
			     unsigned bit)
{
	x86_op(b, X86_W, 0x0f00 | op, 2, bit, r, false, 0);
}

/* bt/bts/btr/btc r, imm8: 0f ba /4../7 */
static inline void x86_bt_ri(struct x86_buf *b, enum x86_bt op, unsigned r,
			     uint8_t bit)
{
	unsigned digit = op == BT_BT	? 4
			 : op == BT_BTS ? 5
			 : op == BT_BTR ? 6
					: 7;

	x86_op(b, X86_W, 0x0fba, 2, digit, r, false, 0);
	x86_byte(b, bit);
}

/* lea r, [base + disp] */
static inline void x86_lea(struct x86_buf *b, unsigned r, unsigned base,
			   int32_t disp)
{
	x86_op(b, X86_W, 0x8d, 1, r, base, true, disp);
}

/* lea r, [base + index << scale] (scale 0 to 3; index not rsp) */
static inline void x86_lea_scaled(struct x86_buf *b, unsigned r, unsigned base,
				  unsigned index, unsigned scale)
{
	/* base rbp or r13 has no form without a displacement */
	bool disp8 = (base & 7) == RBP;

	x86_byte(b, (uint8_t)(0x48 | ((r & 8) ? 4 : 0) | ((index & 8) ? 2 : 0) |
			      ((base & 8) ? 1 : 0)));
	x86_byte(b, 0x8d);
	x86_byte(b, (uint8_t)((disp8 ? 0x40 : 0) | (r & 7) << 3 | 4));
	x86_byte(b, (uint8_t)(scale << 6 | (index & 7) << 3 | (base & 7)));
	if (disp8)
		x86_byte(b, 0);
}

/* lea r32, [base + index + disp] (index X86_NO_INDEX for none) */
static inline void x86_lea32(struct x86_buf *b, unsigned r, unsigned base,
			     unsigned index, int32_t disp)
{
	x86_op_idx(b, 0, 0x8d, 1, r, base, true, index, disp);
}

/* jmp [base + disp] */
static inline void x86_jmp_m(struct x86_buf *b, unsigned base, int32_t disp)
{
	x86_op(b, 0, 0xff, 1, 4, base, true, disp);
}

/* call r / jmp r */
static inline void x86_call_r(struct x86_buf *b, unsigned r)
{
	x86_op(b, 0, 0xff, 1, 2, r, false, 0);
}

static inline void x86_jmp_r(struct x86_buf *b, unsigned r)
{
	x86_op(b, 0, 0xff, 1, 4, r, false, 0);
}

/* call an absolute address through rax */
static inline void x86_call_abs(struct x86_buf *b, const void *fn)
{
	x86_mov_imm(b, RAX, (uint64_t)(uintptr_t)fn);
	x86_call_r(b, RAX);
}

/* call rel32 to target in the same code area */
static inline void x86_call(struct x86_buf *b, const uint8_t *target)
{
	x86_byte(b, 0xe8);
	x86_u32(b, (uint32_t)(target - (b->p + 4)));
}

static inline void x86_push(struct x86_buf *b, unsigned r)
{
	if (r & 8)
		x86_byte(b, 0x41);
	x86_byte(b, (uint8_t)(0x50 | (r & 7)));
}

static inline void x86_pop(struct x86_buf *b, unsigned r)
{
	if (r & 8)
		x86_byte(b, 0x41);
	x86_byte(b, (uint8_t)(0x58 | (r & 7)));
}

static inline void x86_ret(struct x86_buf *b)
{
	x86_byte(b, 0xc3);
}

/*
 * jmp rel32 / jcc rel32 to target (NULL: to be patched). Return the
 * address of the rel32 field for x86_patch.
 */
static inline uint8_t *x86_jmp(struct x86_buf *b, const uint8_t *target)
{
	uint8_t *field;

	x86_byte(b, 0xe9);
	field = b->p;
	x86_u32(b, target ? (uint32_t)(target - (field + 4)) : 0);
	return b->overflow ? NULL : field;
}

static inline uint8_t *x86_jcc(struct x86_buf *b, enum x86_cc cc,
			       const uint8_t *target)
{
	uint8_t *field;

	x86_byte(b, 0x0f);
	x86_byte(b, (uint8_t)(0x80 | cc));
	field = b->p;
	x86_u32(b, target ? (uint32_t)(target - (field + 4)) : 0);
	return b->overflow ? NULL : field;
}

/*
 * Points the rel32 field at target (both inside the same code area); a
 * NULL field (the jump did not fit) is left alone.
 */
static inline void x86_patch(uint8_t *field, const uint8_t *target)
{
	int32_t rel;

	if (!field)
		return;
	rel = (int32_t)(target - (field + 4));
	memcpy(field, &rel, 4);
}

#endif
