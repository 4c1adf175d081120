/*
 * The reference interpreter: executes RV64GC on a struct hart.
 *
 * Instructions are decoded once into basic blocks (struct block) kept per
 * guest-physical address in a per-hart cache; a per-hart jump cache maps
 * (virtual pc, privilege) to a block so that the common path does no
 * translation. A block records the version of its RAM page; any write to
 * a page holding decoded code bumps the version (mem/bus.c), so stale
 * blocks are never run and FENCE.I needs no work of its own.
 *
 * Loads and stores probe the software TLB inline; misses, MMIO, page
 * crossings and faults take the slow path. Misaligned loads and stores
 * are performed (the unprivileged spec allows either; Linux and OpenSBI
 * expect them to work); misaligned LR/SC/AMOs raise address-misaligned.
 *
 * Interrupts, timer polls and stop requests are looked at between blocks.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/decode.h"
#include "cpu/engine.h"
#include "cpu/exec.h"
#include "cpu/fpu.h"
#include "cpu/hart.h"
#include "util/log.h"

#define BLOCK_MAX_INSNS 64
#define JC_BITS 12
#define JC_SIZE (1u << JC_BITS)
#define HASH_BITS 15
#define HASH_SIZE (1u << HASH_BITS)
#define ARENA_SIZE (32u << 20)
/* instructions between two looks at the clock */
#define TIMER_POLL_INSNS 16384

/*
 * A decoded instruction with the address of its handler in the threaded
 * dispatch loop (interp_run) and its offset from the start of its block.
 */
struct xinsn {
	const void *handler;
	struct insn in;
	uint32_t off;
};

/*
 * A basic block: n instructions followed by one END entry whose offset
 * is the block's length, so falling off the end needs no test.
 */
struct block {
	uint64_t gpa;
	const uint8_t *hva; /* host address of gpa */
	uint64_t page;	    /* bus page index of gpa */
	uint32_t version;   /* page_version[page] when decoded */
	uint32_t n;
	struct block *hash_next;
	struct xinsn insn[];
};

/* Handlers beyond the ops: a no-op for results written to x0, the end. */
enum { HANDLER_NOP = OP_COUNT, HANDLER_END, HANDLER_COUNT };

/*
 * The jump cache: (virtual pc, privilege) -> block, valid for one
 * generation; flushing it is a generation bump.
 */
struct jc_entry {
	uint64_t vpc;
	uint64_t key; /* generation << 2 | privilege */
	struct block *block;
};

struct engine_state {
	struct jc_entry jc[JC_SIZE];
	uint64_t
		jc_gen; /* a multiple of 4; starts at 4 so zeroed entries miss */
	struct block *hash[HASH_SIZE];
	uint8_t *arena;
	size_t arena_used;
	/* a block that cannot be cached (it straddles pages or PMP regions) */
	struct block *scratch;
	/* the dispatch labels of interp_run, indexed by op or HANDLER_* */
	const void *const *handlers;
};

static void jc_flush(struct engine_state *es)
{
	es->jc_gen += 4;
}

static void cache_flush(struct engine_state *es)
{
	jc_flush(es);
	memset(es->hash, 0, sizeof(es->hash));
	es->arena_used = 0;
}

static int interp_init(struct hart *h)
{
	struct engine_state *es = calloc(1, sizeof(*es));

	if (!es)
		return -ENOMEM;
	es->jc_gen = 4;
	es->arena = malloc(ARENA_SIZE);
	es->scratch = malloc(sizeof(struct block) + 2 * sizeof(struct xinsn));
	if (!es->arena || !es->scratch) {
		free(es->arena);
		free(es->scratch);
		free(es);
		return -ENOMEM;
	}
	h->engine = es;
	return 0;
}

static void interp_destroy(struct hart *h)
{
	struct engine_state *es = h->engine;

	if (!es)
		return;
	free(es->scratch);
	free(es->arena);
	free(es);
	h->engine = NULL;
}

/* --- memory access slow paths ------------------------------------------ */

/* --- blocks -------------------------------------------------------------- */

static uint16_t ram_u16(struct bus *bus, uint64_t pa)
{
	uint16_t v;

	memcpy(&v, bus_ram_ptr(bus, pa, 2), 2);
	return v;
}

static void set_insn(struct engine_state *es, struct xinsn *x, uint32_t raw,
		     uint32_t off)
{
	decode(raw, &x->in);
	x->off = off;
	if (x->in.rd == 0 && exec_only_writes_rd(x->in.op))
		x->handler = es->handlers[HANDLER_NOP];
	else
		x->handler = es->handlers[x->in.op];
}

static void set_end(struct engine_state *es, struct block *b, uint32_t off)
{
	struct xinsn *end = &b->insn[b->n];

	memset(&end->in, 0, sizeof(end->in));
	end->off = off;
	end->handler = es->handlers[HANDLER_END];
}

/*
 * Decodes one instruction at pc that cannot live in a cached block: it
 * straddles two pages or its page has mixed PMP permissions.
 */
static struct block *scratch_block(struct hart *h, struct engine_state *es,
				   uint64_t pc, uint64_t pa)
{
	struct block *b = es->scratch;
	uint32_t raw = ram_u16(h->bus, pa);

	if (!insn_is_compressed(raw)) {
		uint64_t pa2;

		if (exec_fetch_xlate(h, pc + 2, &pa2))
			return NULL;
		raw |= (uint32_t)ram_u16(h->bus, pa2) << 16;
	}
	b->gpa = pa;
	b->hva = bus_ram_ptr(h->bus, pa, 2);
	b->page = bus_page_index(h->bus, pa);
	b->version = 0;
	b->n = 1;
	b->hash_next = NULL;
	set_insn(es, &b->insn[0], raw, 0);
	set_end(es, b, b->insn[0].in.len);
	return b;
}

static struct block *build_block(struct hart *h, struct engine_state *es,
				 uint64_t pa)
{
	struct bus *bus = h->bus;
	uint64_t page = bus_page_index(bus, pa);
	uint64_t page_end = (pa | (GUEST_PAGE_SIZE - 1)) + 1;
	size_t max = sizeof(struct block) +
		     (BLOCK_MAX_INSNS + 1) * sizeof(struct xinsn);
	struct block *b;
	uint64_t a = pa;

	if (es->arena_used + max > ARENA_SIZE)
		cache_flush(es);
	b = (struct block *)(es->arena + es->arena_used);
	/* mark first: a store from now on bumps the version we record */
	bus_mark_code(bus, pa);
	b->gpa = pa;
	b->hva = bus_ram_ptr(bus, pa, 2);
	b->page = page;
	b->version = atomic_load(&bus->page_version[page]);
	b->n = 0;
	while (b->n < BLOCK_MAX_INSNS && a + 2 <= page_end) {
		uint32_t raw = ram_u16(bus, a);
		struct xinsn *x = &b->insn[b->n];

		if (!insn_is_compressed(raw)) {
			if (a + 4 > page_end)
				break;
			raw |= (uint32_t)ram_u16(bus, a + 2) << 16;
		}
		set_insn(es, x, raw, (uint32_t)(a - pa));
		b->n++;
		a += x->in.len;
		if (insn_ends_block(x->in.op))
			break;
	}
	if (b->n == 0)
		return NULL; /* a 32-bit instruction straddles the page end */
	set_end(es, b, (uint32_t)(a - pa));
	es->arena_used +=
		sizeof(struct block) + (b->n + 1) * sizeof(struct xinsn);
	es->arena_used = (es->arena_used + 15) & ~(size_t)15;
	b->hash_next = es->hash[(pa >> 1) & (HASH_SIZE - 1)];
	es->hash[(pa >> 1) & (HASH_SIZE - 1)] = b;
	return b;
}

static inline bool block_valid(struct bus *bus, const struct block *b)
{
	return b->version == atomic_load_explicit(&bus->page_version[b->page],
						  memory_order_relaxed);
}

static struct block *find_block(struct hart *h, struct engine_state *es,
				uint64_t pc)
{
	struct jc_entry *e = &es->jc[(pc >> 1) & (JC_SIZE - 1)];
	uint64_t key = es->jc_gen | h->priv;
	const struct tlb_entry *t;
	struct block *b, **link;
	uint64_t pa;

	/*
	 * A jump-cache hit still goes through the fetch TLB, so that
	 * SFENCE.VMA, satp and PMP changes (which flush the TLB) need not
	 * flush the jump cache: the entry holds only while the page still
	 * translates to the block's host address.
	 */
	t = &h->itlb[(pc >> GUEST_PAGE_SHIFT) & (TLB_SIZE - 1)];
	if (__builtin_expect(e->vpc == pc && e->key == key &&
				     t->tag == pc >> GUEST_PAGE_SHIFT &&
				     (const uint8_t *)(t->addend + pc) ==
					     e->block->hva &&
				     block_valid(h->bus, e->block),
			     1))
		return e->block;

	if (t->tag == pc >> GUEST_PAGE_SHIFT) {
		pa = (uint64_t)((uint8_t *)(t->addend + pc) - h->bus->ram) +
		     h->bus->ram_base;
	} else {
		if (exec_fetch_xlate(h, pc, &pa))
			return NULL;
		t = &h->itlb[(pc >> GUEST_PAGE_SHIFT) & (TLB_SIZE - 1)];
		if (t->tag != pc >> GUEST_PAGE_SHIFT)
			return scratch_block(h, es, pc, pa);
	}
	/* stale blocks (their page was written) leave the chain as we go */
	link = &es->hash[(pa >> 1) & (HASH_SIZE - 1)];
	while ((b = *link)) {
		if (!block_valid(h->bus, b)) {
			*link = b->hash_next;
			continue;
		}
		if (b->gpa == pa)
			break;
		link = &b->hash_next;
	}
	if (!b) {
		b = build_block(h, es, pa);
		if (!b)
			return scratch_block(h, es, pc, pa);
	}
	e->vpc = pc;
	e->key = key;
	e->block = b;
	return b;
}

/* --- the execution loop -------------------------------------------------- */

/* The dispatch table's labels, one per op (interp_run). */
#define LABEL_OF(name) [OP_##name] = &&do_##name,

/*
 * The threaded interpreter: each decoded instruction holds the address
 * of its handler label, and each handler ends by jumping straight to the
 * next instruction's handler. Between blocks it looks at interrupts,
 * timers and the stop request.
 *
 * Accounting: a block's instructions are added to instret when it is
 * entered; a trap subtracts those that did not retire. A system
 * instruction takes itself out while it runs so that CSR reads of
 * instret see only earlier instructions.
 */
static void interp_run(struct hart *h)
{
	static const void *const labels[HANDLER_COUNT] = {
		INSN_OPS(LABEL_OF)[HANDLER_NOP] = &&do_NOP,
		[HANDLER_END] = &&do_END,
	};
	struct engine_state *es = h->engine;
	struct hart_platform *plat = h->platform;
	uint64_t *const x = h->x;
	const struct xinsn *ip;
	const struct block *b;
	const struct tlb_entry *rtlb, *wtlb;
	uint64_t bpc, v, va;
	bool flush_code;

	es->handlers = labels;

#define PC() (bpc + ip->off)
#define RD x[ip->in.rd]
#define RS1 x[ip->in.rs1]
#define RS2 x[ip->in.rs2]
#define IMM ((int64_t)ip->in.imm)
#define NEXT()                      \
	do {                        \
		ip++;               \
		goto * ip->handler; \
	} while (0)
#define ALU(name, expr)          \
	do_##name : RD = (expr); \
	NEXT();
#define JUMP_TO(target)           \
	do {                      \
		h->pc = (target); \
		goto next_block;  \
	} while (0)
#define BRANCH(name, cond)                                   \
	do_##name : if (cond) JUMP_TO(PC() + (uint64_t)IMM); \
	NEXT();
#define LOAD(name, len, type)                                            \
	do_##name : va = RS1 + (uint64_t)IMM;                            \
	{                                                                \
		const struct tlb_entry *e = tlb_data_entry(rtlb, va);    \
		if (__builtin_expect(exec_tlb_hit(e, va, len), 1)) {     \
			type t;                                          \
			memcpy(&t, (const void *)(e->addend + va), len); \
			v = (uint64_t)(int64_t)t;                        \
		} else {                                                 \
			h->pc = PC();                                    \
			if (exec_load_slow(h, va, len, &v))              \
				goto trap;                               \
			v = (uint64_t)(int64_t)(type)v;                  \
		}                                                        \
	}                                                                \
	RD = v;                                                          \
	x[0] = 0;                                                        \
	NEXT();
#define STORE(name, len)                                                   \
	do_##name : va = RS1 + (uint64_t)IMM;                              \
	{                                                                  \
		const struct tlb_entry *e = tlb_data_entry(wtlb, va);      \
		if (__builtin_expect(exec_tlb_hit(e, va, len), 1)) {       \
			uint8_t *p = (uint8_t *)(e->addend + va);          \
			struct bus *bus = h->bus;                          \
			uint64_t off = (uint64_t)(p - bus->ram);           \
			v = RS2;                                           \
			memcpy(p, &v, len);                                \
			if (__builtin_expect(                              \
				    atomic_load_explicit(                  \
					    &bus->page_flags               \
						     [off >>               \
						      GUEST_PAGE_SHIFT],   \
					    memory_order_relaxed),         \
				    0))                                    \
				bus_notify_write(bus, bus->ram_base + off, \
						 len);                     \
		} else {                                                   \
			h->pc = PC();                                      \
			if (exec_store_slow(h, va, len, RS2))              \
				goto trap;                                 \
		}                                                          \
	}                                                                  \
	NEXT();

next_block:
	if (__builtin_expect(
		    atomic_load_explicit(&h->irq_check, memory_order_relaxed) ||
			    h->timer_countdown <= 0,
		    0)) {
		atomic_store_explicit(&h->irq_check, 0, memory_order_relaxed);
		if (atomic_load_explicit(&plat->stop, memory_order_relaxed))
			return;
		if (h->timer_countdown <= 0) {
			hart_poll_timers(h);
			h->timer_countdown = TIMER_POLL_INSNS;
		}
		hart_take_interrupt(h);
	}
	b = find_block(h, es, h->pc);
	if (!b)
		goto next_block; /* the fetch trapped */
	h->instret += b->n;
	h->timer_countdown -= b->n;
	bpc = h->pc;
	rtlb = h->dtlb[MMU_READ];
	wtlb = h->dtlb[MMU_WRITE];
	ip = b->insn;
	goto * ip->handler;

do_NOP:
	NEXT();
do_END:
	JUMP_TO(PC());
trap:
	/* this instruction and the rest of the block did not retire */
	h->instret -= b->n - (uint32_t)(ip - b->insn);
	x[0] = 0;
	goto next_block;

	ALU(LUI, (uint64_t)IMM)
	ALU(AUIPC, PC() + (uint64_t)IMM)
do_JAL:
	v = PC();
	RD = v + ip->in.len;
	x[0] = 0;
	JUMP_TO(v + (uint64_t)IMM);
do_JALR:
	va = (RS1 + (uint64_t)IMM) & ~1ull;
	RD = PC() + ip->in.len;
	x[0] = 0;
	JUMP_TO(va);
	BRANCH(BEQ, RS1 == RS2)
	BRANCH(BNE, RS1 != RS2)
	BRANCH(BLT, (int64_t)RS1 < (int64_t)RS2)
	BRANCH(BGE, (int64_t)RS1 >= (int64_t)RS2)
	BRANCH(BLTU, RS1 < RS2)
	BRANCH(BGEU, RS1 >= RS2)
	LOAD(LB, 1, int8_t)
	LOAD(LH, 2, int16_t)
	LOAD(LW, 4, int32_t)
	LOAD(LD, 8, uint64_t)
	LOAD(LBU, 1, uint8_t)
	LOAD(LHU, 2, uint16_t)
	LOAD(LWU, 4, uint32_t)
	STORE(SB, 1)
	STORE(SH, 2)
	STORE(SW, 4)
	STORE(SD, 8)
	ALU(ADDI, RS1 + (uint64_t)IMM)
	ALU(SLTI, (int64_t)RS1 < IMM)
	ALU(SLTIU, RS1 < (uint64_t)IMM)
	ALU(XORI, RS1 ^ (uint64_t)IMM)
	ALU(ORI, RS1 | (uint64_t)IMM)
	ALU(ANDI, RS1 & (uint64_t)IMM)
	ALU(SLLI, RS1 << (IMM & 63))
	ALU(SRLI, RS1 >> (IMM & 63))
	ALU(SRAI, (uint64_t)((int64_t)RS1 >> (IMM & 63)))
	ALU(ADD, RS1 + RS2)
	ALU(SUB, RS1 - RS2)
	ALU(SLL, RS1 << (RS2 & 63))
	ALU(SLT, (int64_t)RS1 < (int64_t)RS2)
	ALU(SLTU, RS1 < RS2)
	ALU(XOR, RS1 ^ RS2)
	ALU(SRL, RS1 >> (RS2 & 63))
	ALU(SRA, (uint64_t)((int64_t)RS1 >> (RS2 & 63)))
	ALU(OR, RS1 | RS2)
	ALU(AND, RS1 & RS2)
	ALU(ADDIW, exec_sext32(RS1 + (uint64_t)IMM))
	ALU(SLLIW, exec_sext32((uint32_t)RS1 << (IMM & 31)))
	ALU(SRLIW, exec_sext32((uint32_t)RS1 >> (IMM & 31)))
	ALU(SRAIW, (uint64_t)(int64_t)((int32_t)RS1 >> (IMM & 31)))
	ALU(ADDW, exec_sext32(RS1 + RS2))
	ALU(SUBW, exec_sext32(RS1 - RS2))
	ALU(SLLW, exec_sext32((uint32_t)RS1 << (RS2 & 31)))
	ALU(SRLW, exec_sext32((uint32_t)RS1 >> (RS2 & 31)))
	ALU(SRAW, (uint64_t)(int64_t)((int32_t)RS1 >> (RS2 & 31)))

	ALU(MUL, RS1 * RS2)
	ALU(MULH, exec_mulh64((int64_t)RS1, (int64_t)RS2))
	ALU(MULHSU, exec_mulhsu64((int64_t)RS1, RS2))
	ALU(MULHU, exec_mulhu64(RS1, RS2))
	ALU(DIV, exec_div64(RS1, RS2))
	ALU(DIVU, RS2 ? RS1 / RS2 : ~0ull)
	ALU(REM, exec_rem64(RS1, RS2))
	ALU(REMU, RS2 ? RS1 % RS2 : RS1)
	ALU(MULW, exec_sext32(RS1 * RS2))
	ALU(DIVW, exec_divw(RS1, RS2))
	ALU(DIVUW,
	    (uint32_t)RS2 ? exec_sext32((uint32_t)RS1 / (uint32_t)RS2) : ~0ull)
	ALU(REMW, exec_remw(RS1, RS2))
	ALU(REMUW, (uint32_t)RS2 ? exec_sext32((uint32_t)RS1 % (uint32_t)RS2)
				 : exec_sext32(RS1))

	ALU(ADD_UW, (uint64_t)(uint32_t)RS1 + RS2)
	ALU(SH1ADD, (RS1 << 1) + RS2)
	ALU(SH2ADD, (RS1 << 2) + RS2)
	ALU(SH3ADD, (RS1 << 3) + RS2)
	ALU(SH1ADD_UW, ((uint64_t)(uint32_t)RS1 << 1) + RS2)
	ALU(SH2ADD_UW, ((uint64_t)(uint32_t)RS1 << 2) + RS2)
	ALU(SH3ADD_UW, ((uint64_t)(uint32_t)RS1 << 3) + RS2)
	ALU(SLLI_UW, (uint64_t)(uint32_t)RS1 << (IMM & 63))
	ALU(ANDN, RS1 & ~RS2)
	ALU(ORN, RS1 | ~RS2)
	ALU(XNOR, ~(RS1 ^ RS2))
	ALU(CLZ, RS1 ? (uint64_t)__builtin_clzll(RS1) : 64)
	ALU(CLZW, (uint32_t)RS1 ? (uint64_t)__builtin_clz((uint32_t)RS1) : 32)
	ALU(CTZ, RS1 ? (uint64_t)__builtin_ctzll(RS1) : 64)
	ALU(CTZW, (uint32_t)RS1 ? (uint64_t)__builtin_ctz((uint32_t)RS1) : 32)
	ALU(CPOP, (uint64_t)__builtin_popcountll(RS1))
	ALU(CPOPW, (uint64_t)__builtin_popcount((uint32_t)RS1))
	ALU(MAX, (int64_t)RS1 > (int64_t)RS2 ? RS1 : RS2)
	ALU(MAXU, RS1 > RS2 ? RS1 : RS2)
	ALU(MIN, (int64_t)RS1 < (int64_t)RS2 ? RS1 : RS2)
	ALU(MINU, RS1 < RS2 ? RS1 : RS2)
	ALU(SEXT_B, (uint64_t)(int64_t)(int8_t)RS1)
	ALU(SEXT_H, (uint64_t)(int64_t)(int16_t)RS1)
	ALU(ZEXT_H, (uint16_t)RS1)
	ALU(ROL, exec_rol64(RS1, (unsigned)RS2))
	ALU(ROLW, exec_sext32(exec_rol32((uint32_t)RS1, (unsigned)RS2)))
	ALU(ROR, exec_rol64(RS1, (unsigned)(64 - (RS2 & 63))))
	ALU(RORI, exec_rol64(RS1, (unsigned)(64 - (IMM & 63))))
	ALU(RORIW,
	    exec_sext32(exec_rol32((uint32_t)RS1, (unsigned)(32 - (IMM & 31)))))
	ALU(RORW,
	    exec_sext32(exec_rol32((uint32_t)RS1, (unsigned)(32 - (RS2 & 31)))))
	ALU(ORC_B, exec_orc_b(RS1))
	ALU(REV8, __builtin_bswap64(RS1))
	ALU(BCLR, RS1 & ~(1ull << (RS2 & 63)))
	ALU(BCLRI, RS1 & ~(1ull << (IMM & 63)))
	ALU(BEXT, (RS1 >> (RS2 & 63)) & 1)
	ALU(BEXTI, (RS1 >> (IMM & 63)) & 1)
	ALU(BINV, RS1 ^ (1ull << (RS2 & 63)))
	ALU(BINVI, RS1 ^ (1ull << (IMM & 63)))
	ALU(BSET, RS1 | (1ull << (RS2 & 63)))
	ALU(BSETI, RS1 | (1ull << (IMM & 63)))
	ALU(CZERO_EQZ, RS2 ? RS1 : 0)
	ALU(CZERO_NEZ, RS2 ? 0 : RS1)

	/* AMOs, FP loads/stores and FP arithmetic */
do_LR_W:
do_SC_W:
do_AMOSWAP_W:
do_AMOADD_W:
do_AMOXOR_W:
do_AMOAND_W:
do_AMOOR_W:
do_AMOMIN_W:
do_AMOMAX_W:
do_AMOMINU_W:
do_AMOMAXU_W:
do_LR_D:
do_SC_D:
do_AMOSWAP_D:
do_AMOADD_D:
do_AMOXOR_D:
do_AMOAND_D:
do_AMOOR_D:
do_AMOMIN_D:
do_AMOMAX_D:
do_AMOMINU_D:
do_AMOMAXU_D:
do_FLW:
do_FSW:
do_FLD:
do_FSD:
do_FMADD_S:
do_FMSUB_S:
do_FNMSUB_S:
do_FNMADD_S:
do_FADD_S:
do_FSUB_S:
do_FMUL_S:
do_FDIV_S:
do_FSQRT_S:
do_FSGNJ_S:
do_FSGNJN_S:
do_FSGNJX_S:
do_FMIN_S:
do_FMAX_S:
do_FCVT_W_S:
do_FCVT_WU_S:
do_FCVT_L_S:
do_FCVT_LU_S:
do_FCVT_S_W:
do_FCVT_S_WU:
do_FCVT_S_L:
do_FCVT_S_LU:
do_FMV_X_W:
do_FMV_W_X:
do_FEQ_S:
do_FLT_S:
do_FLE_S:
do_FCLASS_S:
do_FMADD_D:
do_FMSUB_D:
do_FNMSUB_D:
do_FNMADD_D:
do_FADD_D:
do_FSUB_D:
do_FMUL_D:
do_FDIV_D:
do_FSQRT_D:
do_FSGNJ_D:
do_FSGNJN_D:
do_FSGNJX_D:
do_FMIN_D:
do_FMAX_D:
do_FCVT_W_D:
do_FCVT_WU_D:
do_FCVT_L_D:
do_FCVT_LU_D:
do_FCVT_D_W:
do_FCVT_D_WU:
do_FCVT_D_L:
do_FCVT_D_LU:
do_FCVT_S_D:
do_FCVT_D_S:
do_FMV_X_D:
do_FMV_D_X:
do_FEQ_D:
do_FLT_D:
do_FLE_D:
do_FCLASS_D:
	h->pc = PC();
	if (exec_other(h, &ip->in))
		goto trap;
	NEXT();

	/* system instructions: always the last of their block */
do_FENCE:
do_FENCE_I:
do_ECALL:
do_EBREAK:
do_CSRRW:
do_CSRRS:
do_CSRRC:
do_CSRRWI:
do_CSRRSI:
do_CSRRCI:
do_MRET:
do_SRET:
do_WFI:
do_SFENCE_VMA:
	h->pc = PC();
	h->instret--;
	if (exec_system(h, &ip->in, &flush_code) == 0)
		h->instret++;
	if (flush_code)
		cache_flush(es);
	x[0] = 0;
	goto next_block;

do_ILLEGAL:
	h->pc = PC();
	exec_illegal(h, &ip->in);
	goto trap;

#undef PC
#undef RD
#undef RS1
#undef RS2
#undef IMM
#undef NEXT
#undef ALU
#undef JUMP_TO
#undef BRANCH
#undef LOAD
#undef STORE
}

const struct engine_ops interp_engine_ops = {
	.name = "interp",
	.init = interp_init,
	.destroy = interp_destroy,
	.run = interp_run,
};
