/*
 * Differential test of two CPU engines (DESIGN.md, "Engines and
 * correctness"): thousands of generated RV64GC programs, each run from the
 * same initial state on a bare machine under the reference engine (the
 * interpreter) and under the engine being checked; x and f registers,
 * fcsr, the machine CSRs the programs touch, the trap log and the whole
 * of RAM must agree. A program that diverges is shrunk to its shortest
 * diverging prefix and reported with its seed, its disassembly and both
 * values.
 *
 * Programs run in M-mode and are built from machine code words encoded
 * here from the unprivileged spec (20191213: RV64I, M, A, F, D, C,
 * Zicsr, Zifencei), the bit-manipulation spec 1.0 (Zba, Zbb, Zbs) and
 * Zicond 1.0. A third of the programs run in S- or U-mode under Sv39 page
 * tables that map everything at its own address, with some pages read-only,
 * absent or lacking A/D bits. Every branch goes forward or closes a loop bounded by a
 * counter, so every program ends. The trap handler logs mcause, mepc and
 * mtval and returns past the trapping instruction.
 *
 * Memory map (RAM at 0x8000_0000, 128 KiB):
 *   RAM + 0x0000  trap handler, then the trap log's end address
 *   RAM + 0x1c00  the program, then the end stub (across a page boundary)
 *   RAM + 0x4000  data, x8 = RAM + 0x4800, x2 = RAM + 0x5000 (8 KiB)
 *   RAM + 0x8000  trap log (mcause, mepc, mtval per trap), x30 its cursor
 *   RAM + 0xc000  Sv39 page tables, for programs run in S- or U-mode
 *   0x1000_0000   "done": any store stops the hart
 *   0x2000_0000   nothing: accesses fault
 * x2, x8, x28 (loop counter), x29, x30, x31 (handler) are never the
 * destination of a generated instruction.
 *
 * DIFF_SEED=N runs program N alone; DIFF_COUNT=N sets how many run.
 */
#include <assert.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "cpu/decode.h"
#include "cpu/engine.h"
#include "cpu/hart.h"
#include "jit/jit.h"
#include "tests/unit/unit.h"

/*
 * The engine pair, chosen here only: the interpreter is the reference, the
 * JIT is checked against it. A private build may define
 * DIFF_ENGINE_UNDER_TEST (an engine_ops symbol) to check another engine,
 * for instance a deliberately broken one, to see this test fail.
 */
static const struct engine_ops *diff_reference(void)
{
	return &interp_engine_ops;
}

#ifdef DIFF_ENGINE_UNDER_TEST
extern const struct engine_ops DIFF_ENGINE_UNDER_TEST;

static const struct engine_ops *diff_under_test(void)
{
	return &DIFF_ENGINE_UNDER_TEST;
}
#else
static const struct engine_ops *diff_under_test(void)
{
	static const struct engine_ops *ops;
	const char *why = "";

	if (!ops) {
		ops = jit_engine(&why);
		if (!ops) {
			printf("diff: no JIT on this host (%s): the "
			       "interpreter "
			       "is compared with itself\n",
			       why);
			ops = &interp_engine_ops;
		}
	}
	return ops;
}
#endif

#define RAM ((uint64_t)0x80000000)
#define RAM_SIZE ((uint64_t)0x20000)
#define HANDLER RAM
#define LOG_END_WORD (RAM + 0x800)
#define CODE (RAM + 0x1c00)
#define CODE_MAX 0x800u
#define DATA_LO (RAM + 0x4000)
#define DATA_S0 (RAM + 0x4800)
#define DATA_SP (RAM + 0x5000)
#define DATA_HI (RAM + 0x6000)
#define LOG (RAM + 0x8000)
#define LOG_END (RAM + 0xa000)
#define TABLES (RAM + 0xc000)
#define DONE ((uint64_t)0x10000000)
#define UNMAPPED ((uint64_t)0x20000000)

/* sanitizer builds pay a shadow-memory mapping per run: fewer programs */
#ifdef __SANITIZE_ADDRESS__
#define DEFAULT_COUNT 1000
#else
#define DEFAULT_COUNT 3000
#endif
#define MAX_INSNS 1024
#define MAX_PENDING 64
#define RUN_TIMEOUT_US 2000000

/* --- random numbers (splitmix64: one seed, one sequence) ----------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned below(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static bool chance(unsigned percent)
{
	return below(100) < percent;
}

static int64_t range(int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
}

/* --- encoders (unprivileged spec, chapter 24 "Instruction Set Listings") - */

static uint32_t enc_r(unsigned f7, unsigned rs2, unsigned rs1, unsigned f3,
		      unsigned rd, unsigned opc)
{
	return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
}

static uint32_t enc_i(int32_t imm, unsigned rs1, unsigned f3, unsigned rd,
		      unsigned opc)
{
	return (uint32_t)(imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 |
	       opc;
}

static uint32_t enc_s(int32_t imm, unsigned rs2, unsigned rs1, unsigned f3,
		      unsigned opc)
{
	uint32_t u = (uint32_t)imm;

	return ((u >> 5) & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 |
	       (u & 0x1f) << 7 | opc;
}

static uint32_t enc_b(int32_t imm, unsigned rs2, unsigned rs1, unsigned f3)
{
	uint32_t u = (uint32_t)imm;

	return ((u >> 12) & 1) << 31 | ((u >> 5) & 0x3f) << 25 | rs2 << 20 |
	       rs1 << 15 | f3 << 12 | ((u >> 1) & 0xf) << 8 |
	       ((u >> 11) & 1) << 7 | OPC_BRANCH;
}

static uint32_t enc_u(uint32_t imm20, unsigned rd, unsigned opc)
{
	return (imm20 & 0xfffff) << 12 | rd << 7 | opc;
}

static uint32_t enc_j(int32_t imm, unsigned rd)
{
	uint32_t u = (uint32_t)imm;

	return ((u >> 20) & 1) << 31 | ((u >> 1) & 0x3ff) << 21 |
	       ((u >> 11) & 1) << 20 | ((u >> 12) & 0xff) << 12 | rd << 7 |
	       OPC_JAL;
}

static uint32_t enc_r4(unsigned rs3, unsigned fmt, unsigned rs2, unsigned rs1,
		       unsigned rm, unsigned rd, unsigned opc)
{
	return rs3 << 27 | fmt << 25 | rs2 << 20 | rs1 << 15 | rm << 12 |
	       rd << 7 | opc;
}

static uint32_t bit(uint32_t v, unsigned from, unsigned to)
{
	return ((v >> from) & 1) << to;
}

static uint32_t enc_cj(int32_t imm)
{
	uint32_t u = (uint32_t)imm;

	return 5u << 13 | bit(u, 11, 12) | bit(u, 4, 11) | bit(u, 9, 10) |
	       bit(u, 8, 9) | bit(u, 10, 8) | bit(u, 6, 7) | bit(u, 7, 6) |
	       bit(u, 3, 5) | bit(u, 2, 4) | bit(u, 1, 3) | bit(u, 5, 2) | 1;
}

static uint32_t enc_cb(unsigned f3, int32_t imm, unsigned rs1c)
{
	uint32_t u = (uint32_t)imm;

	return f3 << 13 | bit(u, 8, 12) | bit(u, 4, 11) | bit(u, 3, 10) |
	       (rs1c - 8) << 7 | bit(u, 7, 6) | bit(u, 6, 5) | bit(u, 2, 4) |
	       bit(u, 1, 3) | bit(u, 5, 2) | 1;
}

/* CI format: c.addi, c.addiw, c.li, c.lui, c.slli */
static uint32_t enc_ci(unsigned f3, int32_t imm6, unsigned rd, unsigned quad)
{
	uint32_t u = (uint32_t)imm6;

	return f3 << 13 | bit(u, 5, 12) | rd << 7 | (u & 0x1f) << 2 | quad;
}

/* --- the generator ------------------------------------------------------ */

enum patch_kind { PATCH_B, PATCH_CB, PATCH_J, PATCH_CJ, PATCH_I };

struct patch {
	enum patch_kind kind;
	uint32_t at;	 /* code offset of the instruction to patch */
	uint32_t base;	 /* code offset the displacement is relative to */
	unsigned target; /* item index the displacement reaches */
};

struct ginsn {
	uint32_t off;
	uint8_t len;
	uint16_t op; /* what the encoder meant: checked against decode() */
};

struct program {
	uint8_t code[CODE_MAX + 64];
	uint32_t len;
	uint32_t end; /* offset of the end stub */
	struct ginsn insns[MAX_INSNS];
	unsigned n;
	struct patch pending[MAX_PENDING];
	unsigned npending;
	unsigned item;
	bool in_loop;
	uint64_t x[32];
	uint64_t f[32];
	uint8_t fcsr;
	uint8_t data[DATA_HI - DATA_LO];
	unsigned priv; /* the program's privilege: M bare, S or U under Sv39 */
	uint64_t tables[3][512];
};

static struct program prog;
static unsigned op_count[OP_COUNT];
static unsigned encode_mismatches;

static void emit(uint32_t raw, unsigned len, enum insn_op op)
{
	struct ginsn *g = &prog.insns[prog.n++];

	g->off = prog.len;
	g->len = (uint8_t)len;
	g->op = (uint16_t)op;
	memcpy(prog.code + prog.len, &raw, len);
	prog.len += len;
}

static void e32(uint32_t raw, enum insn_op op)
{
	emit(raw, 4, op);
}

static void e16(uint32_t raw, enum insn_op op)
{
	emit(raw, 2, op);
}

static void add_patch(enum patch_kind kind, uint32_t at, uint32_t base,
		      unsigned skip)
{
	struct patch *p = &prog.pending[prog.npending++];

	p->kind = kind;
	p->at = at;
	p->base = base;
	p->target = prog.item + 1 + skip;
}

static uint32_t get32(uint32_t off)
{
	uint32_t v;

	memcpy(&v, prog.code + off, 4);
	return v;
}

static void put32(uint32_t off, uint32_t v)
{
	memcpy(prog.code + off, &v, 4);
}

static void put16(uint32_t off, uint32_t v)
{
	uint16_t h = (uint16_t)v;

	memcpy(prog.code + off, &h, 2);
}

static void apply_patch(const struct patch *p, uint32_t target_off)
{
	int32_t d = (int32_t)target_off - (int32_t)p->base;
	uint32_t w = get32(p->at);

	switch (p->kind) {
	case PATCH_B:
		put32(p->at, (w & 0x01fff07f) | (enc_b(d, 0, 0, 0) & ~0x7fu));
		break;
	case PATCH_CB: put16(p->at, (w & 0xe383) | enc_cb(0, d, 8)); break;
	case PATCH_J:
		put32(p->at, (w & 0xfff) | (enc_j(d, 0) & ~0xfffu));
		break;
	case PATCH_CJ: put16(p->at, enc_cj(d)); break;
	case PATCH_I: put32(p->at, (w & 0xfffff) | (uint32_t)(d & 0xfff) << 20);
	}
}

/* Resolves the patches that land on the current item (or on the end). */
static void resolve(bool at_end)
{
	unsigned i = 0;

	while (i < prog.npending) {
		struct patch *p = &prog.pending[i];

		if (at_end || p->target <= prog.item) {
			apply_patch(p, prog.len);
			*p = prog.pending[--prog.npending];
		} else {
			i++;
		}
	}
}

/* Destinations: every register but x0, x2, x8 and x28..x31. */
static unsigned rd_any(void)
{
	static const unsigned regs[] = { 1,  3,	 4,  5,	 6,  7,	 9,  10, 11,
					 12, 13, 14, 15, 16, 17, 18, 19, 20,
					 21, 22, 23, 24, 25, 26, 27 };

	return regs[below(sizeof(regs) / sizeof(regs[0]))];
}

/* Compressed destinations: x9..x15 (x8 holds the data address). */
static unsigned rdc(void)
{
	return 9 + below(7);
}

static unsigned rs_any(void)
{
	return below(32);
}

static unsigned rsc(void)
{
	return 8 + below(8);
}

static unsigned fr(void)
{
	return below(32);
}

static unsigned frc(void)
{
	return 8 + below(8);
}

/* Shift amounts and small immediates lean on the edges. */
static int32_t imm12(void)
{
	static const int32_t edge[] = { 0, 1, -1, 2047, -2048, 31, 32, 63 };

	return chance(40) ? edge[below(8)] : (int32_t)range(-2048, 2047);
}

static unsigned shamt(unsigned bits)
{
	static const unsigned edge[] = { 0, 1, 31, 32, 63 };
	unsigned s = chance(50) ? edge[below(5)] : below(64);

	return s % bits;
}

/* --- items: integer ---------------------------------------------------- */

struct rop {
	enum insn_op op;
	uint8_t f7, f3, opc;
};

static const struct rop rops[] = {
	{ OP_ADD, 0x00, 0, OPC_OP },
	{ OP_SUB, 0x20, 0, OPC_OP },
	{ OP_SLL, 0x00, 1, OPC_OP },
	{ OP_SLT, 0x00, 2, OPC_OP },
	{ OP_SLTU, 0x00, 3, OPC_OP },
	{ OP_XOR, 0x00, 4, OPC_OP },
	{ OP_SRL, 0x00, 5, OPC_OP },
	{ OP_SRA, 0x20, 5, OPC_OP },
	{ OP_OR, 0x00, 6, OPC_OP },
	{ OP_AND, 0x00, 7, OPC_OP },
	{ OP_ADDW, 0x00, 0, OPC_OP_32 },
	{ OP_SUBW, 0x20, 0, OPC_OP_32 },
	{ OP_SLLW, 0x00, 1, OPC_OP_32 },
	{ OP_SRLW, 0x00, 5, OPC_OP_32 },
	{ OP_SRAW, 0x20, 5, OPC_OP_32 },
	{ OP_MUL, 0x01, 0, OPC_OP },
	{ OP_MULH, 0x01, 1, OPC_OP },
	{ OP_MULHSU, 0x01, 2, OPC_OP },
	{ OP_MULHU, 0x01, 3, OPC_OP },
	{ OP_DIV, 0x01, 4, OPC_OP },
	{ OP_DIVU, 0x01, 5, OPC_OP },
	{ OP_REM, 0x01, 6, OPC_OP },
	{ OP_REMU, 0x01, 7, OPC_OP },
	{ OP_MULW, 0x01, 0, OPC_OP_32 },
	{ OP_DIVW, 0x01, 4, OPC_OP_32 },
	{ OP_DIVUW, 0x01, 5, OPC_OP_32 },
	{ OP_REMW, 0x01, 6, OPC_OP_32 },
	{ OP_REMUW, 0x01, 7, OPC_OP_32 },
	{ OP_ADD_UW, 0x04, 0, OPC_OP_32 },
	{ OP_SH1ADD, 0x10, 2, OPC_OP },
	{ OP_SH2ADD, 0x10, 4, OPC_OP },
	{ OP_SH3ADD, 0x10, 6, OPC_OP },
	{ OP_SH1ADD_UW, 0x10, 2, OPC_OP_32 },
	{ OP_SH2ADD_UW, 0x10, 4, OPC_OP_32 },
	{ OP_SH3ADD_UW, 0x10, 6, OPC_OP_32 },
	{ OP_ANDN, 0x20, 7, OPC_OP },
	{ OP_ORN, 0x20, 6, OPC_OP },
	{ OP_XNOR, 0x20, 4, OPC_OP },
	{ OP_MAX, 0x05, 6, OPC_OP },
	{ OP_MAXU, 0x05, 7, OPC_OP },
	{ OP_MIN, 0x05, 4, OPC_OP },
	{ OP_MINU, 0x05, 5, OPC_OP },
	{ OP_ROL, 0x30, 1, OPC_OP },
	{ OP_ROR, 0x30, 5, OPC_OP },
	{ OP_ROLW, 0x30, 1, OPC_OP_32 },
	{ OP_RORW, 0x30, 5, OPC_OP_32 },
	{ OP_BCLR, 0x24, 1, OPC_OP },
	{ OP_BEXT, 0x24, 5, OPC_OP },
	{ OP_BINV, 0x34, 1, OPC_OP },
	{ OP_BSET, 0x14, 1, OPC_OP },
	{ OP_CZERO_EQZ, 0x07, 5, OPC_OP },
	{ OP_CZERO_NEZ, 0x07, 7, OPC_OP },
};

static void item_alu_rr(void)
{
	const struct rop *r = &rops[below(sizeof(rops) / sizeof(rops[0]))];

	e32(enc_r(r->f7, rs_any(), rs_any(), r->f3, rd_any(), r->opc), r->op);
}

static void item_alu_imm(void)
{
	unsigned rd = rd_any(), rs = rs_any();

	switch (below(25)) {
	case 0: e32(enc_i(imm12(), rs, 0, rd, OPC_OP_IMM), OP_ADDI); break;
	case 1: e32(enc_i(imm12(), rs, 2, rd, OPC_OP_IMM), OP_SLTI); break;
	case 2: e32(enc_i(imm12(), rs, 3, rd, OPC_OP_IMM), OP_SLTIU); break;
	case 3: e32(enc_i(imm12(), rs, 4, rd, OPC_OP_IMM), OP_XORI); break;
	case 4: e32(enc_i(imm12(), rs, 6, rd, OPC_OP_IMM), OP_ORI); break;
	case 5: e32(enc_i(imm12(), rs, 7, rd, OPC_OP_IMM), OP_ANDI); break;
	case 6: e32(enc_i(shamt(64), rs, 1, rd, OPC_OP_IMM), OP_SLLI); break;
	case 7: e32(enc_i(shamt(64), rs, 5, rd, OPC_OP_IMM), OP_SRLI); break;
	case 8:
		e32(enc_i(0x400 | shamt(64), rs, 5, rd, OPC_OP_IMM), OP_SRAI);
		break;
	case 9: e32(enc_i(imm12(), rs, 0, rd, OPC_OP_IMM_32), OP_ADDIW); break;
	case 10:
		e32(enc_i(shamt(32), rs, 1, rd, OPC_OP_IMM_32), OP_SLLIW);
		break;
	case 11:
		e32(enc_i(shamt(32), rs, 5, rd, OPC_OP_IMM_32), OP_SRLIW);
		break;
	case 12:
		e32(enc_i(0x400 | shamt(32), rs, 5, rd, OPC_OP_IMM_32),
		    OP_SRAIW);
		break;
	case 13: {
		/* Zbb unary: clz, ctz, cpop, sext.b, sext.h, orc.b, rev8 */
		static const struct {
			int32_t imm;
			unsigned f3;
			enum insn_op op;
		} u[] = {
			{ 0x600, 1, OP_CLZ },	 { 0x601, 1, OP_CTZ },
			{ 0x602, 1, OP_CPOP },	 { 0x604, 1, OP_SEXT_B },
			{ 0x605, 1, OP_SEXT_H }, { 0x287, 5, OP_ORC_B },
			{ 0x6b8, 5, OP_REV8 },
		};
		unsigned i = below(7);

		e32(enc_i(u[i].imm, rs, u[i].f3, rd, OPC_OP_IMM), u[i].op);
		break;
	}
	case 14: {
		static const enum insn_op w[] = { OP_CLZW, OP_CTZW, OP_CPOPW };
		unsigned i = below(3);

		e32(enc_i(0x600 + (int32_t)i, rs, 1, rd, OPC_OP_IMM_32), w[i]);
		break;
	}
	case 15: e32(enc_r(0x04, 0, rs, 4, rd, OPC_OP_32), OP_ZEXT_H); break;
	case 16:
		e32(enc_i(0x600 | shamt(64), rs, 5, rd, OPC_OP_IMM), OP_RORI);
		break;
	case 17:
		e32(enc_i(0x600 | shamt(32), rs, 5, rd, OPC_OP_IMM_32),
		    OP_RORIW);
		break;
	case 18:
		e32(enc_i(0x080 | shamt(64), rs, 1, rd, OPC_OP_IMM_32),
		    OP_SLLI_UW);
		break;
	case 19: {
		/* Zbs with an immediate: bclri, bexti, binvi, bseti */
		static const struct {
			int32_t hi;
			unsigned f3;
			enum insn_op op;
		} b[] = {
			{ 0x480, 1, OP_BCLRI },
			{ 0x480, 5, OP_BEXTI },
			{ 0x680, 1, OP_BINVI },
			{ 0x280, 1, OP_BSETI },
		};
		unsigned i = below(4);

		e32(enc_i(b[i].hi | shamt(64), rs, b[i].f3, rd, OPC_OP_IMM),
		    b[i].op);
		break;
	}
	case 20: e32(enc_u((uint32_t)rnd(), rd, OPC_LUI), OP_LUI); break;
	case 21: {
		/* slli by 32, 48 or 56, then srli or srai of the result by
		 * about as much: an extension, which the JIT translates as
		 * one (jit/translate.c, emit_ext_pair) */
		int32_t k = 32 + 8 * (int32_t)below(4), k2;

		k = k == 40 ? 56 : k;
		k2 = below(2) ? (int32_t)shamt(64) : k + (int32_t)range(-3, 3);
		e32(enc_i(k, rs, 1, rd, OPC_OP_IMM), OP_SLLI);
		if (below(2))
			e32(enc_i(k2, rd, 5, rd, OPC_OP_IMM), OP_SRLI);
		else
			e32(enc_i(0x400 | k2, rd, 5, rd, OPC_OP_IMM), OP_SRAI);
		break;
	}
	case 22: {
		/* a W op, then an op that reads its result and overwrites
		 * it: the JIT leaves out the first one's sign extension when
		 * the second is a W op too (jit/translate.c, upper_dead) */
		static const struct {
			unsigned f7, f3, opc;
			enum insn_op op;
		} w[] = {
			{ 0x00, 0, OPC_OP_32, OP_ADDW },
			{ 0x20, 0, OPC_OP_32, OP_SUBW },
			{ 0x00, 1, OPC_OP_32, OP_SLLW },
			{ 0x20, 5, OPC_OP_32, OP_SRAW },
			{ 0x01, 0, OPC_OP_32, OP_MULW },
			{ 0x01, 4, OPC_OP_32, OP_DIVW },
			{ 0x01, 7, OPC_OP_32, OP_REMUW },
			{ 0x30, 5, OPC_OP_32, OP_RORW },
			{ 0x00, 0, OPC_OP, OP_ADD }, /* reads all 64 bits */
		};
		unsigned k = below(9), rs2 = rs_any();

		if (below(2))
			e32(enc_i(shamt(32), rs, 5, rd, OPC_OP_IMM_32),
			    OP_SRLIW);
		else
			e32(enc_r(w[k % 8].f7, rs2, rs, w[k % 8].f3, rd,
				  w[k % 8].opc),
			    w[k % 8].op);
		if (below(2))
			e32(enc_r(w[k].f7, rs_any(), rd, w[k].f3, rd, w[k].opc),
			    w[k].op);
		else
			e32(enc_r(w[k].f7, rd, rs_any(), w[k].f3, rd, w[k].opc),
			    w[k].op);
		break;
	}
	case 23: {
		/* an array index without Zba: slli by 1 to 3, then add (the
		 * translator makes the two one lea, emit_index_pair) */
		unsigned rx = rs_any();

		e32(enc_i((int32_t)range(1, 3), rs, 1, rd, OPC_OP_IMM),
		    OP_SLLI);
		if (below(2))
			e32(enc_r(0, rx, rd, 0, rd, OPC_OP), OP_ADD);
		else
			e32(enc_r(0, rd, rx, 0, rd, OPC_OP), OP_ADD);
		break;
	}
	default: e32(enc_u((uint32_t)rnd(), rd, OPC_AUIPC), OP_AUIPC);
	}
}

static void item_compressed_alu(void)
{
	unsigned rd = rd_any(), rc = rdc();
	int32_t i6 = (int32_t)range(-32, 31);

	switch (below(17)) {
	case 0: e16(enc_ci(0, i6 ? i6 : 1, rd, 1), OP_ADDI); break;
	case 1: e16(enc_ci(1, i6, rd, 1), OP_ADDIW); break;
	case 2: e16(enc_ci(2, i6, rd, 1), OP_ADDI); break;
	case 3: e16(enc_ci(3, i6 ? i6 : 1, rd, 1), OP_LUI); break;
	case 4: {
		uint32_t s = shamt(64), k = below(2);

		e16(0x8001 | bit(s, 5, 12) | k << 10 | (rc - 8) << 7 |
			    (s & 31) << 2,
		    k ? OP_SRAI : OP_SRLI);
		break;
	}
	case 5:
		e16(0x8001 | 2u << 10 | bit((uint32_t)i6, 5, 12) |
			    (rc - 8) << 7 | ((uint32_t)i6 & 31) << 2,
		    OP_ANDI);
		break;
	case 6:
	case 7: {
		static const enum insn_op ops[] = { OP_SUB, OP_XOR,  OP_OR,
						    OP_AND, OP_SUBW, OP_ADDW };
		unsigned k = below(6);

		e16(0x8c01 | (k >= 4) << 12 | (rc - 8) << 7 | (k & 3) << 5 |
			    (rsc() - 8) << 2,
		    ops[k]);
		break;
	}
	case 8:
		e16(enc_ci(0, (int32_t)shamt(64) ? (int32_t)shamt(64) : 1, rd,
			   2),
		    OP_SLLI);
		break;
	case 9: e16(0x8002 | rd << 7 | (1 + below(31)) << 2, OP_ADD); break;
	case 10: e16(0x9002 | rd << 7 | (1 + below(31)) << 2, OP_ADD); break;
	case 11: {
		/* c.addi4spn: rd' = sp + nzuimm (a multiple of 4) */
		uint32_t u = (uint32_t)(4 + 4 * below(255));

		e16(bit(u, 5, 12) | bit(u, 4, 11) | ((u >> 6) & 0xf) << 7 |
			    bit(u, 2, 6) | bit(u, 3, 5) | (rc - 8) << 2,
		    OP_ADDI);
		break;
	}
	case 12: {
		/* c.addi16sp and its inverse: sp must keep pointing at data */
		uint32_t u = (uint32_t)(16 * range(1, 31));
		uint32_t v = (uint32_t) - (int32_t)u;

		e16(0x6101 | bit(v, 9, 12) | bit(v, 4, 6) | bit(v, 6, 5) |
			    bit(v, 8, 4) | bit(v, 7, 3) | bit(v, 5, 2),
		    OP_ADDI);
		e16(0x6101 | bit(u, 9, 12) | bit(u, 4, 6) | bit(u, 6, 5) |
			    bit(u, 8, 4) | bit(u, 7, 3) | bit(u, 5, 2),
		    OP_ADDI);
		break;
	}
	case 13: e16(0x0001, OP_ADDI); break;		   /* c.nop */
	case 14: e16(enc_ci(0, i6, 0, 1), OP_ADDI); break; /* HINT */
	default: e16(enc_ci(2, i6, rc, 1), OP_ADDI); break;
	}
}

/* --- items: memory ----------------------------------------------------- */

/* An offset from x8 that stays inside the data area for len bytes. */
static int32_t data_off(unsigned len, bool aligned)
{
	int32_t off = (int32_t)range(-2048, 2047 - (int32_t)len + 1);

	if (aligned)
		off &= ~(int32_t)(len - 1);
	return off;
}

static void item_load_store(void)
{
	static const enum insn_op loads[] = { OP_LB,  OP_LH,  OP_LW, OP_LD,
					      OP_LBU, OP_LHU, OP_LWU };
	static const enum insn_op stores[] = { OP_SB, OP_SH, OP_SW, OP_SD };
	static const enum insn_op fl[] = { OP_FLW, OP_FLD };
	static const enum insn_op fs[] = { OP_FSW, OP_FSD };
	bool aligned = chance(80);
	unsigned base = 8, k;
	int32_t off;

	if (chance(30)) {
		/* through another register: addi rb, x8, d; op off(rb) */
		int32_t d = (int32_t)range(-1024, 1023);

		base = rd_any();
		e32(enc_i(d, 8, 0, base, OPC_OP_IMM), OP_ADDI);
		off = (int32_t)range(-1024, 1023 - 8);
		off -= d;
		if (off < -2048 || off > 2040)
			off = 0;
		if (aligned)
			off &= ~7;
	} else {
		off = data_off(8, aligned);
	}
	switch (below(4)) {
	case 0:
	case 1:
		k = below(7);
		e32(enc_i(off, base, k, rd_any(), OPC_LOAD), loads[k]);
		break;
	case 2:
		k = below(4);
		e32(enc_s(off, rs_any(), base, k, OPC_STORE), stores[k]);
		break;
	default:
		k = below(2);
		if (chance(50))
			e32(enc_i(off, base, 2 + k, fr(), OPC_LOAD_FP), fl[k]);
		else
			e32(enc_s(off, fr(), base, 2 + k, OPC_STORE_FP), fs[k]);
	}
}

static void item_compressed_mem(void)
{
	uint32_t w = (uint32_t)(4 * below(32)); /* c.lw/c.sw: 0..124 */
	uint32_t d = (uint32_t)(8 * below(32)); /* c.ld/c.sd: 0..248 */
	uint32_t sw = (uint32_t)(4 * below(64)), sd = (uint32_t)(8 * below(64));
	uint32_t cw = bit(w, 5, 12) | bit(w, 4, 11) | bit(w, 3, 10) |
		      bit(w, 2, 6) | bit(w, 6, 5);
	uint32_t cd = ((d >> 3) & 7) << 10 | ((d >> 6) & 3) << 5;
	unsigned r = rdc(), s = rsc();

	switch (below(12)) {
	case 0: e16(0x4000 | cw | (r - 8) << 2, OP_LW); break;
	case 1: e16(0x6000 | cd | (r - 8) << 2, OP_LD); break;
	case 2: e16(0xc000 | cw | (s - 8) << 2, OP_SW); break;
	case 3: e16(0xe000 | cd | (s - 8) << 2, OP_SD); break;
	case 4: e16(0x2000 | cd | (frc() - 8) << 2, OP_FLD); break;
	case 5: e16(0xa000 | cd | (frc() - 8) << 2, OP_FSD); break;
	case 6:
		e16(0x4002 | bit(sw, 5, 12) | rd_any() << 7 |
			    ((sw >> 2) & 7) << 4 | ((sw >> 6) & 3) << 2,
		    OP_LW);
		break;
	case 7:
		e16(0x6002 | bit(sd, 5, 12) | rd_any() << 7 |
			    ((sd >> 3) & 3) << 5 | ((sd >> 6) & 7) << 2,
		    OP_LD);
		break;
	case 8:
		e16(0x2002 | bit(sd, 5, 12) | fr() << 7 | ((sd >> 3) & 3) << 5 |
			    ((sd >> 6) & 7) << 2,
		    OP_FLD);
		break;
	case 9:
		e16(0xc002 | ((sw >> 2) & 0xf) << 9 | ((sw >> 6) & 3) << 7 |
			    rs_any() << 2,
		    OP_SW);
		break;
	case 10:
		e16(0xe002 | ((sd >> 3) & 7) << 10 | ((sd >> 6) & 7) << 7 |
			    rs_any() << 2,
		    OP_SD);
		break;
	default:
		e16(0xa002 | ((sd >> 3) & 7) << 10 | ((sd >> 6) & 7) << 7 |
			    fr() << 2,
		    OP_FSD);
	}
}

/* rd = a 32-bit value, sign-extended (lui + addiw). */
static void load_imm32(unsigned rd, uint32_t v)
{
	uint32_t hi = (v + 0x800) >> 12;

	e32(enc_u(hi, rd, OPC_LUI), OP_LUI);
	/* addiw takes the low 12 bits, sign-extended */
	e32(enc_i((int32_t)(v << 20) >> 20, rd, 0, rd, OPC_OP_IMM_32),
	    OP_ADDIW);
}

struct amo {
	enum insn_op op;
	uint8_t f5;
};

static const struct amo amos_w[] = {
	{ OP_AMOSWAP_W, 0x01 }, { OP_AMOADD_W, 0x00 },	{ OP_AMOXOR_W, 0x04 },
	{ OP_AMOAND_W, 0x0c },	{ OP_AMOOR_W, 0x08 },	{ OP_AMOMIN_W, 0x10 },
	{ OP_AMOMAX_W, 0x14 },	{ OP_AMOMINU_W, 0x18 }, { OP_AMOMAXU_W, 0x1c },
};

static const struct amo amos_d[] = {
	{ OP_AMOSWAP_D, 0x01 }, { OP_AMOADD_D, 0x00 },	{ OP_AMOXOR_D, 0x04 },
	{ OP_AMOAND_D, 0x0c },	{ OP_AMOOR_D, 0x08 },	{ OP_AMOMIN_D, 0x10 },
	{ OP_AMOMAX_D, 0x14 },	{ OP_AMOMINU_D, 0x18 }, { OP_AMOMAXU_D, 0x1c },
};

static uint32_t enc_amo(unsigned f5, unsigned aqrl, unsigned rs2, unsigned rs1,
			bool dword, unsigned rd)
{
	return enc_r(f5 << 2 | aqrl, rs2, rs1, dword ? 3 : 2, rd, OPC_AMO);
}

/* Loads and stores that fault, or half-fault across the end of RAM. */
static void item_faulting_mem(void)
{
	unsigned rb = rd_any();
	int32_t off = (int32_t)range(-16, 16);

	if (chance(50)) {
		load_imm32(rb, (uint32_t)UNMAPPED + (uint32_t)below(0x1000));
	} else {
		/* RAM's end, zero-extended: lui gives 0xffffffff8002_0000 */
		e32(enc_u((uint32_t)((RAM + RAM_SIZE) >> 12), rb, OPC_LUI),
		    OP_LUI);
		e32(enc_i(32, rb, 1, rb, OPC_OP_IMM), OP_SLLI);
		e32(enc_i(32, rb, 5, rb, OPC_OP_IMM), OP_SRLI);
		off = (int32_t)range(-9, 0);
	}
	switch (below(5)) {
	case 0: {
		static const enum insn_op loads[] = { OP_LB, OP_LH,  OP_LW,
						      OP_LD, OP_LBU, OP_LHU,
						      OP_LWU };
		unsigned k = below(7);

		e32(enc_i(off, rb, k, rd_any(), OPC_LOAD), loads[k]);
		break;
	}
	case 1: {
		unsigned k = below(4);

		e32(enc_s(off, rs_any(), rb, k, OPC_STORE),
		    (enum insn_op[]){ OP_SB, OP_SH, OP_SW, OP_SD }[k]);
		break;
	}
	case 2: e32(enc_i(off, rb, 3, fr(), OPC_LOAD_FP), OP_FLD); break;
	case 3: e32(enc_s(off, fr(), rb, 2, OPC_STORE_FP), OP_FSW); break;
	default:
		e32(enc_amo(0x00, 0, rs_any(), rb, true, rd_any()),
		    OP_AMOADD_D);
	}
}

static void item_atomic(void)
{
	bool dword = chance(50);
	unsigned len = dword ? 8 : 4, ra = rd_any();
	int32_t off = data_off(len, !chance(8));

	e32(enc_i(off, 8, 0, ra, OPC_OP_IMM), OP_ADDI);
	if (chance(55)) {
		const struct amo *a =
			dword ? &amos_d[below(9)] : &amos_w[below(9)];

		e32(enc_amo(a->f5, below(4), rs_any(), ra, dword, rd_any()),
		    a->op);
		return;
	}
	/* LR, a few instructions, SC: sometimes to another address */
	if (chance(85))
		e32(enc_amo(0x02, below(4), 0, ra, dword, rd_any()),
		    dword ? OP_LR_D : OP_LR_W);
	for (unsigned i = below(3); i; i--) {
		if (chance(30))
			e32(enc_s(data_off(8, true), rs_any(), 8, 3, OPC_STORE),
			    OP_SD);
		else
			item_alu_rr();
	}
	if (ra != 0 && chance(15))
		e32(enc_i(8, ra, 0, ra, OPC_OP_IMM), OP_ADDI);
	e32(enc_amo(0x03, below(4), rs_any(), ra, dword, rd_any()),
	    dword ? OP_SC_D : OP_SC_W);
}

/* --- items: floating point --------------------------------------------- */

/* A rounding mode: mostly dynamic, some static, a few reserved ones. */
static unsigned rm(void)
{
	unsigned r = below(100);

	if (r < 55)
		return 7;
	if (r < 97)
		return below(5);
	return 5 + below(2);
}

/* An FP op emitted with a reserved static rounding mode is illegal. */
static void efp(uint32_t raw, enum insn_op op)
{
	unsigned m = (raw >> 12) & 7;

	e32(raw, m == 5 || m == 6 ? OP_ILLEGAL : op);
}

static void item_fp(void)
{
	unsigned fmt = below(2), d = fr(), a = fr(), b = fr();
	enum insn_op s_or_d;

#define SD(s, dd) (fmt ? OP_##dd : OP_##s)
	switch (below(16)) {
	case 0:
	case 1: {
		static const enum insn_op ops[2][4] = {
			{ OP_FADD_S, OP_FSUB_S, OP_FMUL_S, OP_FDIV_S },
			{ OP_FADD_D, OP_FSUB_D, OP_FMUL_D, OP_FDIV_D },
		};
		unsigned k = below(4);

		efp(enc_r(k << 2 | fmt, b, a, rm(), d, OPC_OP_FP), ops[fmt][k]);
		break;
	}
	case 2:
		efp(enc_r(0x2c | fmt, 0, a, rm(), d, OPC_OP_FP),
		    SD(FSQRT_S, FSQRT_D));
		break;
	case 3: {
		static const enum insn_op ops[2][4] = {
			{ OP_FMADD_S, OP_FMSUB_S, OP_FNMSUB_S, OP_FNMADD_S },
			{ OP_FMADD_D, OP_FMSUB_D, OP_FNMSUB_D, OP_FNMADD_D },
		};
		unsigned k = below(4);

		efp(enc_r4(fr(), fmt, b, a, rm(), d, OPC_MADD + 4 * k),
		    ops[fmt][k]);
		break;
	}
	case 4: {
		unsigned k = below(3);

		s_or_d = fmt ? (enum insn_op[]){ OP_FSGNJ_D, OP_FSGNJN_D,
						 OP_FSGNJX_D }[k]
			     : (enum insn_op[]){ OP_FSGNJ_S, OP_FSGNJN_S,
						 OP_FSGNJX_S }[k];
		e32(enc_r(0x10 | fmt, b, a, k, d, OPC_OP_FP), s_or_d);
		break;
	}
	case 5: {
		unsigned k = below(2);

		s_or_d = k ? SD(FMAX_S, FMAX_D) : SD(FMIN_S, FMIN_D);
		e32(enc_r(0x14 | fmt, b, a, k, d, OPC_OP_FP), s_or_d);
		break;
	}
	case 6:
	case 7: {
		/* fcvt.{w,wu,l,lu}.{s,d} */
		static const enum insn_op ops[2][4] = {
			{ OP_FCVT_W_S, OP_FCVT_WU_S, OP_FCVT_L_S,
			  OP_FCVT_LU_S },
			{ OP_FCVT_W_D, OP_FCVT_WU_D, OP_FCVT_L_D,
			  OP_FCVT_LU_D },
		};
		unsigned k = below(4);

		efp(enc_r(0x60 | fmt, k, a, rm(), rd_any(), OPC_OP_FP),
		    ops[fmt][k]);
		break;
	}
	case 8: {
		static const enum insn_op ops[2][4] = {
			{ OP_FCVT_S_W, OP_FCVT_S_WU, OP_FCVT_S_L,
			  OP_FCVT_S_LU },
			{ OP_FCVT_D_W, OP_FCVT_D_WU, OP_FCVT_D_L,
			  OP_FCVT_D_LU },
		};
		unsigned k = below(4);

		efp(enc_r(0x68 | fmt, k, rs_any(), rm(), d, OPC_OP_FP),
		    ops[fmt][k]);
		break;
	}
	case 9:
		if (fmt)
			efp(enc_r(0x21, 0, a, rm(), d, OPC_OP_FP), OP_FCVT_D_S);
		else
			efp(enc_r(0x20, 1, a, rm(), d, OPC_OP_FP), OP_FCVT_S_D);
		break;
	case 10: {
		static const enum insn_op ops[2][3] = {
			{ OP_FLE_S, OP_FLT_S, OP_FEQ_S },
			{ OP_FLE_D, OP_FLT_D, OP_FEQ_D },
		};
		unsigned k = below(3);

		e32(enc_r(0x50 | fmt, b, a, k, rd_any(), OPC_OP_FP),
		    ops[fmt][k]);
		break;
	}
	case 11:
		e32(enc_r(0x70 | fmt, 0, a, 1, rd_any(), OPC_OP_FP),
		    SD(FCLASS_S, FCLASS_D));
		break;
	case 12:
		e32(enc_r(0x70 | fmt, 0, a, 0, rd_any(), OPC_OP_FP),
		    SD(FMV_X_W, FMV_X_D));
		break;
	case 13:
		e32(enc_r(0x78 | fmt, 0, rs_any(), 0, d, OPC_OP_FP),
		    SD(FMV_W_X, FMV_D_X));
		break;
	default: efp(enc_r(0x01, b, a, rm(), d, OPC_OP_FP), OP_FADD_D);
	}
#undef SD
}

/* --- items: CSRs, system, traps ---------------------------------------- */

static uint32_t enc_csr(unsigned csr, unsigned rs1, unsigned f3, unsigned rd)
{
	return enc_i((int32_t)csr, rs1, f3, rd, OPC_SYSTEM);
}

static const enum insn_op csr_ops[8] = {
	[1] = OP_CSRRW,	 [2] = OP_CSRRS,  [3] = OP_CSRRC,
	[5] = OP_CSRRWI, [6] = OP_CSRRSI, [7] = OP_CSRRCI,
};

static void csr_any_form(unsigned csr)
{
	static const unsigned f3s[] = { 1, 2, 3, 5, 6, 7 };
	unsigned f3 = f3s[below(6)];
	unsigned src = f3 >= 5 ? below(32) : rs_any();

	e32(enc_csr(csr, src, f3, chance(80) ? rd_any() : 0), csr_ops[f3]);
}

static void item_csr(void)
{
	static const uint32_t mstatus_bits[] = {
		0x2,	 0x8,	  0x20,	    0x80,     0x100,
		0x1800,	 0x800,	  0x6000,   0x2000,   0x20000,
		0x40000, 0x80000, 0x100000, 0x200000, 0x400000,
	};
	static const unsigned readable[] = { 0x301, 0xf11, 0xf12, 0xf13, 0xf14,
					     0x341, 0x342, 0x343, 0x344, 0x304,
					     0x305, 0x302, 0x303 };
	static const unsigned counters[] = { 0xb00, 0xb02, 0xc00, 0xc02 };
	/* read-only (bits 11:10 = 3) or not implemented: illegal to write */
	static const unsigned bad[] = { 0xf11, 0xc00, 0xc02, 0x8c0,
					0x5c0, 0x7ff, 0xfff, 0x015 };
	unsigned ra = rd_any(), f3;

	switch (below(14)) {
	case 0:
	case 1:
	case 2:
	case 3: csr_any_form(1 + below(3)); break; /* fflags, frm, fcsr */
	case 12:
		if (prog.priv != PRV_M)
			break;
		/*
		 * WFI with an interrupt pending and enabled in mie but not
		 * globally: it goes on at once (priv 3.3.3), the interrupt
		 * is not taken, then withdrawn.
		 */
		e32(enc_csr(CSR_MSTATUS, MSTATUS_MIE, 7, 0), OP_CSRRCI);
		e32(enc_csr(CSR_MIE, MIP_SSIP, 6, 0), OP_CSRRSI);
		e32(enc_csr(CSR_MIP, MIP_SSIP, 6, 0), OP_CSRRSI);
		e32(0x10500073, OP_WFI);
		e32(enc_csr(CSR_MIP, MIP_SSIP, 7, 0), OP_CSRRCI);
		break;
	case 11:
		/*
		 * The supervisor software interrupt, raised by M-mode through
		 * mip: taken (to M) once mie.SSIE and mstatus.MIE allow it.
		 * Mostly all three writes, in a random order.
		 */
		for (unsigned i = chance(70) ? 3 : 1, first = below(3); i; i--)
			switch ((first + i) % 3) {
			case 0:
				f3 = chance(80) ? 6 : 7;
				e32(enc_csr(CSR_MIE, MIP_SSIP, f3, 0),
				    csr_ops[f3]);
				break;
			case 1:
				e32(enc_csr(CSR_MIP, MIP_SSIP, 6, 0),
				    OP_CSRRSI);
				break;
			default:
				f3 = chance(80) ? 6 : 7;
				e32(enc_csr(CSR_MSTATUS, MSTATUS_MIE, f3, 0),
				    csr_ops[f3]);
			}
		break;
	case 4: csr_any_form(CSR_MSCRATCH); break;
	case 5: csr_any_form(below(2) ? CSR_SSCRATCH : CSR_MTVAL); break;
	case 6:
		/* set or clear one mstatus field */
		load_imm32(ra, mstatus_bits[below(15)]);
		f3 = chance(50) ? 2 : 3;
		e32(enc_csr(CSR_MSTATUS, ra, f3, rd_any()), csr_ops[f3]);
		break;
	case 7:
		if (chance(15))
			e32(enc_csr(CSR_MSTATUS, rs_any(), 1, rd_any()),
			    OP_CSRRW);
		else
			e32(enc_csr(readable[below(13)], 0, 2, rd_any()),
			    OP_CSRRS);
		break;
	case 8:
		e32(enc_csr(counters[below(4)], 0, 2, rd_any()), OP_CSRRS);
		break;
	case 9:
		if (chance(20))
			e32(enc_csr(CSR_MINSTRET, rs_any(), 1, rd_any()),
			    OP_CSRRW);
		else
			e32(enc_csr(bad[below(8)], rs_any(), 1, rd_any()),
			    OP_CSRRW);
		break;
	case 10: e32(enc_csr(bad[below(8)], 0, 2, rd_any()), OP_CSRRS); break;
	default: csr_any_form(1 + below(3));
	}
}

static void item_trap(void)
{
	switch (below(9)) {
	case 0: e32(0x00000073, OP_ECALL); break;
	case 1: e32(0x00100073, OP_EBREAK); break;
	case 2: e16(0x9002, OP_EBREAK); break;
	case 3: e16(0x0000, OP_ILLEGAL); break;
	case 4: e32((uint32_t)rnd() << 7 | 0x0b, OP_ILLEGAL); break;
	case 5: e32((uint32_t)rnd() << 7 | 0x57, OP_ILLEGAL); break;
	case 6:
		e32(enc_r(0x7f, rs_any(), rs_any(), below(8), rd_any(), OPC_OP),
		    OP_ILLEGAL);
		break;
	case 7:
		/* MRET and SRET's encodings with a register set: reserved */
		e32(0x30200073 | (1 + below(31)) << 7, OP_ILLEGAL);
		break;
	default:
		e32(enc_i((int32_t)(rnd() & 0xff), 0, 0, 0, OPC_MISC_MEM),
		    OP_FENCE);
	}
}

static void item_fence(void)
{
	switch (below(3)) {
	case 0: e32(0x0000100f, OP_FENCE_I); break;
	case 1:
		e32(enc_r(0x09, rs_any(), rs_any(), 0, 0, OPC_SYSTEM),
		    OP_SFENCE_VMA);
		break;
	default: e32(0x0ff0000f, OP_FENCE);
	}
}

/* --- items: control flow ----------------------------------------------- */

static bool pending_cb(void)
{
	for (unsigned i = 0; i < prog.npending; i++)
		if (prog.pending[i].kind == PATCH_CB)
			return true;
	return false;
}

static void item_branch(void)
{
	static const enum insn_op ops[8] = { OP_BEQ, OP_BNE, 0,	      0,
					     OP_BLT, OP_BGE, OP_BLTU, OP_BGEU };
	static const unsigned f3s[] = { 0, 1, 4, 5, 6, 7 };
	unsigned f3 = f3s[below(6)], a = rs_any();
	unsigned b = chance(15) ? a : rs_any();

	add_patch(PATCH_B, prog.len, prog.len, below(6));
	e32(enc_b(0, b, a, f3), ops[f3]);
}

static void item_cbranch(void)
{
	unsigned k = below(2);

	add_patch(PATCH_CB, prog.len, prog.len, below(2));
	e16(enc_cb(6 + k, 0, rsc()), k ? OP_BNE : OP_BEQ);
}

static void item_jump(void)
{
	unsigned ra = rd_any();
	uint32_t at;

	switch (below(5)) {
	case 0:
		add_patch(PATCH_J, prog.len, prog.len, below(6));
		e32(enc_j(0, chance(50) ? rd_any() : 0), OP_JAL);
		break;
	case 1:
		add_patch(PATCH_CJ, prog.len, prog.len, below(6));
		e16(enc_cj(0), OP_JAL);
		break;
	case 2:
	case 3:
		/* auipc ra, 0; jalr rd, d(ra), sometimes with rd = ra */
		at = prog.len;
		e32(enc_u(0, ra, OPC_AUIPC), OP_AUIPC);
		add_patch(PATCH_I, prog.len, at, below(4));
		e32(enc_i(0, ra, 0, chance(30) ? ra : rd_any(), OPC_JALR),
		    OP_JALR);
		break;
	default:
		/* auipc ra, 0; addi ra, ra, d; c.jr ra or c.jalr ra */
		at = prog.len;
		e32(enc_u(0, ra, OPC_AUIPC), OP_AUIPC);
		add_patch(PATCH_I, prog.len, at, below(4));
		e32(enc_i(0, ra, 0, ra, OPC_OP_IMM), OP_ADDI);
		e16((chance(50) ? 0x9002 : 0x8002) | ra << 7, OP_JALR);
	}
}

/* A jump to where nothing answers: the fetch faults and the run ends. */
static void item_jump_unmapped(void)
{
	unsigned ra = rd_any();

	load_imm32(ra, (uint32_t)UNMAPPED);
	e32(enc_i(0, ra, 0, rd_any(), OPC_JALR), OP_JALR);
}

static void item_straight(void);

/* A loop of 1..6 iterations around straight-line items; x28 counts. */
static void item_loop(void)
{
	uint32_t top;

	e32(enc_i((int32_t)range(1, 6), 0, 0, 28, OPC_OP_IMM), OP_ADDI);
	top = prog.len;
	prog.in_loop = true;
	for (unsigned i = 1 + below(4); i; i--)
		item_straight();
	prog.in_loop = false;
	e32(enc_i(-1, 28, 0, 28, OPC_OP_IMM), OP_ADDI);
	e32(enc_b((int32_t)top - (int32_t)prog.len, 0, 28, 1), OP_BNE);
}

/*
 * Self-modifying code: stores a new instruction over a later one, then
 * FENCE.I, then runs it. Its immediate is the base one plus x28, so in a
 * loop each iteration rewrites code that already ran.
 */
static void item_smc(void)
{
	unsigned ra = rd_any(), rv = rd_any(), rt = rd_any();
	uint32_t insn;

	while (rv == ra)
		rv = rd_any();
	while (rt == ra || rt == rv)
		rt = rd_any();
	insn = enc_i(imm12(), rs_any(), (unsigned[]){ 0, 4, 6, 7 }[below(4)],
		     rd_any(), OPC_OP_IMM);
	e32(enc_u(0, ra, OPC_AUIPC), OP_AUIPC);
	load_imm32(rv, insn);
	e32(enc_i(20, 28, 1, rt, OPC_OP_IMM), OP_SLLI);
	e32(enc_r(0, rt, rv, 0, rv, OPC_OP), OP_ADD);
	e32(enc_s(24, rv, ra, 2, OPC_STORE), OP_SW);
	e32(0x0000100f, OP_FENCE_I);
	e32(0x00000013, OP_ADDI); /* auipc + 24: replaced before it runs */
}

/* Items that never branch: loop bodies are made of these. */
static void item_straight(void)
{
	unsigned r = below(100);

	if (r < 18)
		item_alu_rr();
	else if (r < 34)
		item_alu_imm();
	else if (r < 44)
		item_compressed_alu();
	else if (r < 56)
		item_load_store();
	else if (r < 62)
		item_compressed_mem();
	else if (r < 65)
		item_faulting_mem();
	else if (r < 71)
		item_atomic();
	else if (r < 86)
		item_fp();
	else if (r < 94)
		item_csr();
	else if (r < 97)
		item_trap();
	else if (r < 98)
		item_smc();
	else
		item_fence();
}

static void item(void)
{
	unsigned r = below(1000);

	if (r < 80)
		item_branch();
	else if (r < 100)
		item_cbranch();
	else if (r < 140)
		item_jump();
	else if (r < 170 && !pending_cb())
		item_loop();
	else if (r < 180 && !pending_cb())
		item_smc();
	else if (r == 999)
		item_jump_unmapped();
	else
		item_straight();
}

/* --- initial state ----------------------------------------------------- */

static uint64_t int_value(void)
{
	static const uint64_t edge[] = {
		0,
		1,
		~0ull,
		2,
		0x8000000000000000ull,
		0x7fffffffffffffffull,
		0xffffffff80000000ull,
		0x7fffffffull,
		0xffffffffull,
		0x80000000ull,
		0x100000000ull,
		31,
		32,
		63,
		64,
		0xffffffffffff8000ull,
		0x00000000ffff0000ull,
		0x8000000000000001ull,
	};

	if (chance(50))
		return edge[below(sizeof(edge) / sizeof(edge[0]))];
	if (chance(30))
		return (uint64_t)range(-300, 300);
	return rnd();
}

static uint64_t fp_value(void)
{
	static const uint64_t d[] = {
		0,
		0x8000000000000000ull,
		0x3ff0000000000000ull, /* 1.0 */
		0xbff8000000000000ull, /* -1.5 */
		0x7ff0000000000000ull, /* +inf */
		0xfff0000000000000ull, /* -inf */
		0x7ff8000000000000ull, /* canonical qNaN */
		0x7ff0000000000001ull, /* sNaN */
		0xfff8000000000123ull, /* negative qNaN with payload */
		0x0000000000000001ull, /* smallest subnormal */
		0x000fffffffffffffull, /* largest subnormal */
		0x0010000000000000ull, /* smallest normal */
		0x7fefffffffffffffull, /* largest finite */
		0x43e0000000000000ull, /* 2^63 */
		0xc3e0000000000000ull, /* -2^63 */
		0x43f0000000000000ull, /* 2^64 */
		0x41e0000000000000ull, /* 2^31 */
		0x3fe0000000000000ull, /* 0.5 */
		0x4004000000000000ull, /* 2.5 */
	};
	static const uint32_t s[] = {
		0,	    0x80000000, 0x3f800000, 0xbfc00000, 0x7f800000,
		0xff800000, 0x7fc00000, 0x7f800001, 0xffc00123, 0x00000001,
		0x007fffff, 0x00800000, 0x7f7fffff, 0x5f000000, 0xdf000000,
		0x5f800000, 0x4f000000, 0xcf000000, 0x3f000000, 0x40200000,
	};
	unsigned r = below(100);

	if (r < 35)
		return d[below(sizeof(d) / sizeof(d[0]))];
	if (r < 70)
		return 0xffffffff00000000ull |
		       s[below(sizeof(s) / sizeof(s[0]))];
	if (r < 85)
		return 0xffffffff00000000ull | (uint32_t)rnd();
	return rnd(); /* a single-precision read of it is a NaN */
}

static uint64_t pte(uint64_t pa, uint64_t flags)
{
	return (pa >> 12) << 10 | flags;
}

/*
 * Identity Sv39 tables (privileged spec 1.12, 4.4): a gigapage for the
 * devices at 0 (done, and the unmapped hole), 4 KiB pages for RAM and one
 * page past its end. Some programs get a read-only, an absent or an
 * unaccessed data page.
 */
static void gen_tables(void)
{
	uint64_t user, leaf;
	unsigned npages = (unsigned)(RAM_SIZE >> 12) + 1;

	prog.priv = chance(67) ? PRV_M : chance(50) ? PRV_S : PRV_U;
	user = prog.priv == PRV_U ? PTE_U : 0;
	leaf = PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | user;
	prog.tables[0][0] = pte(0, leaf);
	prog.tables[0][(RAM >> 30) & 511] = pte(TABLES + 0x1000, PTE_V);
	prog.tables[1][(RAM >> 21) & 511] = pte(TABLES + 0x2000, PTE_V);
	for (unsigned i = 0; i < npages; i++)
		prog.tables[2][i] = pte(RAM + ((uint64_t)i << 12), leaf);
	if (chance(25))
		prog.tables[2][(DATA_SP - RAM) >> 12] &= ~(uint64_t)PTE_W;
	if (chance(15))
		prog.tables[2][(DATA_LO - RAM) >> 12] &= ~(uint64_t)PTE_V;
	if (chance(25))
		prog.tables[2][(DATA_LO - RAM) >> 12 | below(2)] &=
			~(uint64_t)(chance(50) ? PTE_A | PTE_D : PTE_D);
}

static void gen_program(uint64_t seed)
{
	memset(&prog, 0, sizeof(prog));
	rng_state = seed * 0x2545f4914f6cdd1dull + 1;
	for (unsigned i = 1; i < 32; i++)
		prog.x[i] = int_value();
	prog.x[2] = DATA_SP;
	prog.x[8] = DATA_S0;
	prog.x[29] = 0;
	prog.x[30] = LOG;
	prog.x[31] = 0;
	for (unsigned i = 0; i < 32; i++)
		prog.f[i] = fp_value();
	prog.fcsr = (uint8_t)(below(5) << 5 | below(32));
	for (unsigned i = 0; i < sizeof(prog.data); i += 8) {
		uint64_t v = chance(50) ? int_value() : fp_value();

		memcpy(prog.data + i, &v, 8);
	}

	gen_tables();

	unsigned nitems = 10 + below(120);

	for (prog.item = 0; prog.item < nitems; prog.item++) {
		if (prog.len > CODE_MAX - 256 || prog.n > MAX_INSNS - 64)
			break;
		resolve(false);
		item();
	}
	resolve(true);
	/* the end: MPRV off (stores may be U-mode's), "done", wait */
	prog.end = prog.len;
	e32(enc_u(MSTATUS_MPRV >> 12, 31, OPC_LUI), OP_LUI);
	e32(enc_csr(CSR_MSTATUS, 31, 3, 0), OP_CSRRC);
	e32(enc_u(DONE >> 12, 31, OPC_LUI), OP_LUI);
	e32(enc_s(0, 0, 31, 2, OPC_STORE), OP_SW);
	e32(enc_j(0, 0), OP_JAL);
}

/*
 * The trap handler: log mcause, mepc, mtval at x30, then return past the
 * trapping instruction (2 or 4 bytes by its low bits); after an
 * interrupt (the supervisor software one a program raised in mip) clear
 * it and return to mepc. End the run when the log is full or the fetch
 * itself faulted (no instruction to skip).
 */
static uint32_t handler[32];

static void build_handler(void)
{
	enum { IRQ_AT = 22, DONE_AT = 24 };
	unsigned n = 0;

	handler[n++] = enc_csr(CSR_MCAUSE, 0, 2, 31);
	handler[n++] = enc_s(0, 31, 30, 3, OPC_STORE);
	handler[n++] = enc_csr(CSR_MEPC, 0, 2, 31);
	handler[n++] = enc_s(8, 31, 30, 3, OPC_STORE);
	handler[n++] = enc_csr(CSR_MTVAL, 0, 2, 29);
	handler[n++] = enc_s(16, 29, 30, 3, OPC_STORE);
	handler[n++] = enc_i(24, 30, 0, 30, OPC_OP_IMM);
	handler[n++] = enc_u(0, 29, OPC_AUIPC);
	handler[n++] = enc_i((int32_t)(LOG_END_WORD - HANDLER - 7 * 4), 29, 3,
			     29, OPC_LOAD);
	handler[n] = enc_b((int32_t)(DONE_AT - n) * 4, 29, 30, 7); /* bgeu */
	n++;
	handler[n++] = enc_csr(CSR_MCAUSE, 0, 2, 29);
	handler[n] = enc_b((int32_t)(IRQ_AT - n) * 4, 0, 29, 4); /* bltz */
	n++;
	handler[n++] = enc_i(-EXC_INSN_ACCESS, 29, 0, 29, OPC_OP_IMM);
	handler[n] = enc_b((int32_t)(DONE_AT - n) * 4, 0, 29, 0); /* beqz */
	n++;
	handler[n++] = enc_i(0, 31, 5, 29, OPC_LOAD); /* lhu: the insn */
	handler[n++] = enc_i(3, 29, 7, 29, OPC_OP_IMM);
	handler[n++] = enc_i(-3, 29, 0, 29, OPC_OP_IMM);
	handler[n++] = enc_i(2, 31, 0, 31, OPC_OP_IMM);
	handler[n++] = enc_b(8, 0, 29, 1); /* bnez: compressed */
	handler[n++] = enc_i(2, 31, 0, 31, OPC_OP_IMM);
	handler[n++] = enc_csr(CSR_MEPC, 31, 1, 0);
	handler[n++] = 0x30200073; /* mret */
	assert(n == IRQ_AT);
	handler[n++] = enc_csr(CSR_MIP, MIP_SSIP, 7, 0); /* csrrci */
	handler[n++] = 0x30200073;
	assert(n == DONE_AT);
	handler[n++] = enc_u(DONE >> 12, 31, OPC_LUI);
	handler[n++] = enc_s(0, 0, 31, 2, OPC_STORE);
	handler[n++] = enc_j(0, 0);
}

/* --- running one engine ------------------------------------------------ */

struct result {
	uint64_t x[32], f[32];
	uint64_t pc, mstatus, mscratch, sscratch, mepc, mcause, mtval;
	uint64_t instret;
	unsigned priv;
	uint8_t fflags, frm;
	bool timed_out;
	uint8_t ram[RAM_SIZE];
};

static struct result res[2];
static struct hart *volatile running;
static volatile sig_atomic_t timed_out;
static volatile uint64_t current_seed;

static void done_write(void *dev, uint64_t off, uint64_t val, unsigned size)
{
	struct hart *h = dev;

	(void)off;
	(void)val;
	(void)size;
	atomic_store(&h->platform->stop, true);
	atomic_store(&h->irq_check, 1);
}

static uint64_t done_read(void *dev, uint64_t off, unsigned size)
{
	(void)dev;
	(void)off;
	(void)size;
	return 0;
}

static const struct mmio_ops done_ops = { done_read, done_write };

/* Says which program was running when the process dies (signal-safe). */
static void say_seed(const char *msg, size_t len)
{
	char num[24];
	int n = 0;

	(void)!write(2, msg, len);
	for (uint64_t v = current_seed; n == 0 || v; v /= 10)
		num[sizeof(num) - 1 - n++] = (char)('0' + v % 10);
	(void)!write(2, num + sizeof(num) - n, (size_t)n);
	(void)!write(2, "\n", 1);
}

static void on_crash(int sig)
{
	static const char msg[] = "test_diff: crashed in the run of seed ";

	say_seed(msg, sizeof(msg) - 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * A run that outlives its time is asked to stop; one that does not stop
 * either (an engine that never looks at irq_check) ends the test.
 */
static void on_alarm(int sig)
{
	static const char msg[] = "test_diff: an engine ignored the stop "
				  "request in the run of seed ";
	struct hart *h = running;

	(void)sig;
	if (timed_out) {
		say_seed(msg, sizeof(msg) - 1);
		_exit(1);
	}
	timed_out = 1;
	if (h) {
		atomic_store(&h->platform->stop, true);
		atomic_store(&h->irq_check, 1);
	}
}

static void arm(long us)
{
	struct itimerval it = {
		.it_value = { us / 1000000, us % 1000000 },
		.it_interval = { us / 1000000, us % 1000000 },
	};

	setitimer(ITIMER_REAL, &it, NULL);
}

/*
 * Runs code (the program, possibly cut short) under ops from the
 * program's initial state; fills out. Returns 0 or -1 when the machine
 * could not be set up.
 */
static int run(const struct engine_ops *ops, const uint8_t *code,
	       struct result *out)
{
	static struct hart h;
	struct hart_platform plat = { .nharts = 1 };
	struct mmio_region done = { .name = "done",
				    .base = DONE,
				    .size = 8,
				    .min_access = 1,
				    .max_access = 8,
				    .ops = &done_ops,
				    .dev = &h };
	struct bus bus;
	uint64_t log_end = LOG_END;

	if (bus_init(&bus, RAM, RAM_SIZE, true))
		return -1;
	if (bus_add_region(&bus, &done) || hart_init(&h, &bus, &plat, 0))
		goto fail_bus;
	memcpy(bus_ram_ptr(&bus, HANDLER, sizeof(handler)), handler,
	       sizeof(handler));
	memcpy(bus_ram_ptr(&bus, LOG_END_WORD, 8), &log_end, 8);
	memcpy(bus_ram_ptr(&bus, CODE, prog.len), code, prog.len);
	memcpy(bus_ram_ptr(&bus, DATA_LO, sizeof(prog.data)), prog.data,
	       sizeof(prog.data));
	hart_reset(&h, CODE);
	memcpy(h.x, prog.x, sizeof(h.x));
	memcpy(h.f, prog.f, sizeof(h.f));
	h.fflags = prog.fcsr & 31;
	h.frm = prog.fcsr >> 5;
	h.mstatus |= 1ull << MSTATUS_FS_SHIFT;
	h.mtvec = HANDLER;
	if (prog.priv != PRV_M) {
		memcpy(bus_ram_ptr(&bus, TABLES, sizeof(prog.tables)),
		       prog.tables, sizeof(prog.tables));
		/* S and U need a PMP entry that allows them everything */
		pmp_write_addr(&h.mmu.pmp, 15, ~0ull);
		pmp_write_cfg(&h.mmu.pmp, 15,
			      PMP_A_NAPOT | PMP_R | PMP_W | PMP_X);
		mmu_set_satp(&h.mmu,
			     (uint64_t)SATP_MODE_SV39 << SATP_MODE_SHIFT |
				     TABLES >> 12);
		h.priv = prog.priv;
		hart_update_mmu_ctx(&h);
	}
	if (ops->init(&h))
		goto fail_hart;
	/* with GASANG_JIT_WINDOW=eager, the JIT's window from the start */
	hart_window_policy(&h);

	timed_out = 0;
	running = &h;
	arm(RUN_TIMEOUT_US);
	ops->run(&h);
	arm(0);
	running = NULL;

	memcpy(out->x, h.x, sizeof(out->x));
	memcpy(out->f, h.f, sizeof(out->f));
	out->pc = h.pc;
	out->priv = h.priv;
	out->mstatus = h.mstatus;
	out->mscratch = h.mscratch;
	out->sscratch = h.sscratch;
	out->mepc = h.mepc;
	out->mcause = h.mcause;
	out->mtval = h.mtval;
	out->instret = h.instret;
	out->fflags = h.fflags;
	out->frm = h.frm;
	out->timed_out = timed_out;
	memcpy(out->ram, bus.ram, RAM_SIZE);

	ops->destroy(&h);
	hart_destroy(&h);
	bus_destroy(&bus);
	return 0;
fail_hart:
	hart_destroy(&h);
fail_bus:
	bus_destroy(&bus);
	return -1;
}

/* --- comparing --------------------------------------------------------- */

static char why[512];

#define DIFFER(fmt, ...) (snprintf(why, sizeof(why), fmt, __VA_ARGS__), true)

static bool differ_u64(const char *what, uint64_t a, uint64_t b)
{
	if (a == b)
		return false;
	return DIFFER("%s: reference 0x%016" PRIx64 ", checked 0x%016" PRIx64,
		      what, a, b);
}

static bool differ_ram(const struct result *a, const struct result *b)
{
	for (uint64_t i = 0; i < RAM_SIZE; i++) {
		uint64_t wa, wb, gpa = RAM + i, e;

		if (a->ram[i] == b->ram[i])
			continue;
		if (gpa >= LOG && gpa < LOG_END) {
			static const char *const f[] = { "mcause", "mepc",
							 "mtval" };

			e = (gpa - LOG) / 24;
			i = e * 24 + (gpa - LOG) % 24 / 8 * 8;
			memcpy(&wa, a->ram + i, 8);
			memcpy(&wb, b->ram + i, 8);
			return DIFFER("trap log entry %" PRIu64
				      " %s: reference "
				      "0x%016" PRIx64 ", checked 0x%016" PRIx64,
				      e, f[(gpa - LOG) % 24 / 8], wa, wb);
		}
		i &= ~7ull;
		memcpy(&wa, a->ram + i, 8);
		memcpy(&wb, b->ram + i, 8);
		return DIFFER("memory at 0x%" PRIx64 ": reference 0x%016" PRIx64
			      ", checked 0x%016" PRIx64,
			      RAM + i, wa, wb);
	}
	return false;
}

/* Sets why and returns true at the first difference. */
static bool differ(const struct result *a, const struct result *b)
{
	char name[16];

	if (a->timed_out || b->timed_out)
		return DIFFER("timed out: reference %s, checked %s",
			      a->timed_out ? "yes" : "no",
			      b->timed_out ? "yes" : "no");
	for (unsigned i = 1; i < 32; i++) {
		snprintf(name, sizeof(name), "x%u", i);
		if (differ_u64(name, a->x[i], b->x[i]))
			return true;
	}
	for (unsigned i = 0; i < 32; i++) {
		snprintf(name, sizeof(name), "f%u", i);
		if (differ_u64(name, a->f[i], b->f[i]))
			return true;
	}
	return differ_u64("fflags", a->fflags, b->fflags) ||
	       differ_u64("frm", a->frm, b->frm) ||
	       differ_u64("mstatus", a->mstatus, b->mstatus) ||
	       differ_u64("mscratch", a->mscratch, b->mscratch) ||
	       differ_u64("sscratch", a->sscratch, b->sscratch) ||
	       differ_u64("mepc", a->mepc, b->mepc) ||
	       differ_u64("mcause", a->mcause, b->mcause) ||
	       differ_u64("mtval", a->mtval, b->mtval) ||
	       differ_u64("privilege", a->priv, b->priv) ||
	       differ_u64("pc", a->pc, b->pc) || differ_ram(a, b);
}

/* The program with every instruction from the k-th on made a jump to the end. */
static void cut(unsigned k, uint8_t *code)
{
	memcpy(code, prog.code, prog.len);
	for (unsigned i = k; i < prog.n && prog.insns[i].off < prog.end; i++) {
		const struct ginsn *g = &prog.insns[i];
		int32_t d = (int32_t)prog.end - (int32_t)g->off;
		uint32_t w = g->len == 4 ? enc_j(d, 0) : enc_cj(d);

		memcpy(code + g->off, &w, g->len);
	}
}

/* Do the two engines disagree on the program cut at k instructions? */
static bool diverges(unsigned k)
{
	static uint8_t code[CODE_MAX + 64];

	cut(k, code);
	if (run(diff_reference(), code, &res[0]) ||
	    run(diff_under_test(), code, &res[1]))
		return DIFFER("%s", "could not set up the machine");
	return differ(&res[0], &res[1]);
}

static void list_program(FILE *out, unsigned mark, unsigned from, unsigned to)
{
	for (unsigned i = from; i < to && i < prog.n; i++) {
		const struct ginsn *g = &prog.insns[i];
		uint32_t raw = 0;
		struct insn in;

		memcpy(&raw, prog.code + g->off, g->len);
		decode(raw, &in);
		fprintf(out, "%s %08" PRIx64 ":  %0*x  %s\n",
			i == mark ? "=>" : "  ", CODE + g->off, g->len * 2, raw,
			insn_op_name(in.op));
	}
}

/*
 * Shrinks a diverging program to its shortest diverging prefix (binary
 * search on where it is cut) and reports it.
 */
static void report(uint64_t seed)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	unsigned lo = 0, hi = prog.n;
	char path[256], first[512];
	FILE *f;

	snprintf(first, sizeof(first), "%s", why);
	while (lo + 1 < hi) {
		unsigned mid = (lo + hi) / 2;

		if (diverges(mid))
			hi = mid;
		else
			lo = mid;
	}
	diverges(hi);
	snprintf(path, sizeof(path), "%s/gasang-diff-%" PRIu64 ".bin", tmp,
		 seed);
	f = fopen(path, "wb");
	if (f) {
		fwrite(prog.code, 1, prog.len, f);
		fclose(f);
	}
	fprintf(stderr, "program (seed %" PRIu64 ") around the divergence:\n",
		seed);
	list_program(stderr, hi - 1, hi > 12 ? hi - 12 : 0, hi + 3);
	fprintf(stderr,
		"whole program: riscv64-linux-gnu-objdump -b binary -m "
		"riscv:rv64 --adjust-vma=0x%llx -D %s\n",
		(unsigned long long)CODE, path);
	fprintf(stderr,
		"DIVERGENCE seed %" PRIu64 " (%s vs %s): %s; shortest "
		"diverging prefix ends at instruction %u (0x%08" PRIx64
		"): %s\n",
		seed, diff_reference()->name, diff_under_test()->name, first,
		hi - 1, CODE + prog.insns[hi - 1].off, why);
}

/* Every instruction the generator meant is the one the decoder sees. */
static void check_encoding(uint64_t seed)
{
	for (unsigned i = 0; i < prog.n; i++) {
		const struct ginsn *g = &prog.insns[i];
		uint32_t raw = 0;
		struct insn in;

		memcpy(&raw, prog.code + g->off, g->len);
		decode(raw, &in);
		op_count[in.op]++;
		if (in.op != g->op && encode_mismatches++ < 10)
			fprintf(stderr,
				"seed %" PRIu64 ": %0*x meant %s, decodes as "
				"%s\n",
				seed, g->len * 2, raw, insn_op_name(g->op),
				insn_op_name(in.op));
	}
}

int main(void)
{
	const char *one = getenv("DIFF_SEED"),
		   *count_env = getenv("DIFF_COUNT");
	uint64_t first = 1, count = DEFAULT_COUNT, insns = 0, traps = 0,
		 irqs = 0;
	unsigned diverged = 0;

	if (one) {
		first = strtoull(one, NULL, 0);
		count = 1;
	}
	if (count_env)
		count = strtoull(count_env, NULL, 0);
	signal(SIGALRM, on_alarm);
	signal(SIGSEGV, on_crash);
	signal(SIGBUS, on_crash);
	signal(SIGILL, on_crash);
	signal(SIGFPE, on_crash);
	build_handler();

	for (uint64_t seed = first; seed < first + count; seed++) {
		current_seed = seed;
		gen_program(seed);
		check_encoding(seed);
		if (diverges(prog.n)) {
			if (diverged++ < 3)
				report(seed);
			continue;
		}
		insns += prog.n;
		for (uint64_t at = LOG; at < res[0].x[30] && at < LOG_END;
		     at += 24) {
			uint64_t cause;

			memcpy(&cause, res[0].ram + (at - RAM), 8);
			if (cause & CAUSE_INTERRUPT)
				irqs++;
			else
				traps++;
		}
	}

	CHECK(encode_mismatches == 0);
	/* every op appears somewhere in a full run (not in one program) */
	for (unsigned op = 0; op < OP_COUNT && count >= 1000; op++) {
		/* never generated: they would jump back to an earlier mepc */
		if (op == OP_MRET || op == OP_SRET)
			continue;
		if (op_count[op] == 0) {
			fprintf(stderr, "no program has %s\n",
				insn_op_name(op));
			unit_failed++;
		} else {
			unit_passed++;
		}
	}
	CHECK(diverged == 0);
	printf("diff: %s against %s, %" PRIu64 " programs from seed %" PRIu64
	       ", %u diverged; %" PRIu64 " instructions generated, %" PRIu64
	       " exceptions and %" PRIu64 " interrupts taken\n",
	       diff_under_test()->name, diff_reference()->name, count, first,
	       diverged, insns, traps, irqs);
	return unit_done("diff");
}
