/*
 * RISC-V RV64GC to x86-64: one block at a time (see jit/translate.h).
 * A block is guest code in one page from its entry: it ends at a jump, a
 * system instruction, a backward branch or the page's end. A forward
 * conditional branch inside it jumps, when taken, to the instruction
 * it targets when the block holds that one (an if's body skipped), else
 * leaves through a side exit; either way the code runs on in the block
 * with no block entry (and keeps its TLB probes where it can).
 *
 * Integer ALU, M (but MULHSU), Zba, Zbb (but the bit counts), Zbs,
 * Zicond, branches, jumps and the TLB hit path of loads and stores (FP
 * ones included) are translated inline; MULHSU, bit counts, atomics, FP
 * arithmetic and system instructions call jit/helper.c, which runs
 * cpu/exec.c.
 *
 * The inline TLB probe is the one of exec_tlb_hit (cpu/exec.h): tag of
 * the page in the direct-mapped entry of the current data context, and
 * the access within the page. A block is translated for one data context
 * (jit/jit.c finds it only in that one): its tables lie in the hart at a
 * fixed offset (translate_env.dtlb), so that a probe indexes them from
 * rbx without loading the hart's table pointer. Misses go to out-of-line
 * stubs placed after the block's exits, so the hit path falls straight
 * through. A user-mode block translated for the window (translate_env.
 * window, mem/window.h) probes nothing: below WINDOW_BYTES it accesses
 * the window at the guest address, and a host fault there resumes at the
 * same stub a miss would take (jit/jit.c).
 *
 * Nine guest registers live in host registers (host_of): a0-a7 and s2;
 * a block may give some of their host registers to others (choose_map).
 * Counted over the hottest translated blocks, weighted by perf samples,
 * a0-a5 lead both a Linux boot and 7-Zip; summed over the two, s2 (10.7%
 * of register uses) comes next, ahead of a1, a3, a6, s4, s0 (6.8%: the
 * kernel's frame pointer, mostly saved and restored) and sp (4.7%). An
 * operation whose destination is one of them is computed in
 * place, so that the common ALU instruction is one or two host
 * instructions.
 *
 * r11 holds the hart's timer countdown (CNT): a block's entry charges its
 * instructions to it with one register subtract. Kept in memory, that
 * read-modify-write (and the one of instret it replaced) chained every
 * block to the one before through store forwarding. instret is derived
 * from it (hart.h, countdown_mark) when the block leaves or a helper
 * needs it.
 */
#include <stddef.h>

#include "cpu/exec.h"
#include "cpu/hart.h"
#include "jit/helper.h"
#include "jit/translate.h"

#define OFF_X(r) ((int32_t)(offsetof(struct hart, x) + 8 * (r)))
#define OFF_F(r) ((int32_t)(offsetof(struct hart, f) + 8 * (r)))
#define OFF_MSTATUS ((int32_t)offsetof(struct hart, mstatus))
#define OFF_PC ((int32_t)offsetof(struct hart, pc))
#define OFF_ITLB ((int32_t)offsetof(struct hart, itlb))
#define OFF_CODE_CTX ((int32_t)offsetof(struct hart, code_ctx))
#define OFF_NEVER_HIT ((int32_t)offsetof(struct hart, never_hit))
#define OFF_FETCH_GEN ((int32_t)offsetof(struct hart, mmu.fetch_gen))
#define OFF_IRQ ((int32_t)offsetof(struct hart, irq_check))
#define OFF_TIMER ((int32_t)offsetof(struct hart, timer_countdown))
#define OFF_MARK ((int32_t)offsetof(struct hart, countdown_mark))
#define OFF_WINDOW ((int32_t)offsetof(struct hart, mmu.win.code_base))
/* from a page's read entry to its write entry (struct tlb_ctx) */
#define TLB_W_AFTER_R 16

_Static_assert(sizeof(struct tlb_entry) == 16, "fetch tlb index << 4");
_Static_assert(TLB_STRIDE(MMU_READ) == 2 && TLB_STRIDE(MMU_WRITE) == 2,
	       "data tlb index << 5");
_Static_assert(offsetof(struct tlb_ctx, data[0][MMU_WRITE]) == TLB_W_AFTER_R,
	       "a page's write entry 16 bytes past its read entry");
_Static_assert(offsetof(struct tlb_entry, addend) == 8, "addend at 8");
_Static_assert(GUEST_PAGE_SHIFT > 4, "tlb index by one shift and mask");
_Static_assert(TLB_BITS + 5 <= 32 - (GUEST_PAGE_SHIFT - 5),
	       "the tlb index mask misses the bits rorx rotates in");
_Static_assert(sizeof(struct jit_fast) == 64, "jump table index << 6");

enum stub_kind {
	STUB_EXIT,
	STUB_LOAD,
	STUB_STORE,
	STUB_OTHER, /* the access's whole instruction by helper_other */
	STUB_REPROBE,
	STUB_SIDE
};

/* An out-of-line path: jumps from the fields land on it. */
struct stub {
	enum stub_kind kind;
	bool set_pc; /* STUB_EXIT: h->pc = the block's pc first */
	uint8_t *field[3];
	unsigned nfield;
	/* EXIT: the exit status; SIDE: the instructions it gives back */
	uint32_t count;
	const uint8_t *resume; /* where the inline path continues */
	struct insn in;
	uint64_t pc;
	unsigned idx;
	/* LOAD, STORE, REPROBE: the guest address is register addr + disp */
	unsigned addr;
	int32_t disp;
	/* LOAD, STORE: tctx.rsi_holds at the access, which the stub restores */
	unsigned rsi_holds;
	/* LOAD: rax holds x[rd] where it resumes (tctx.fwd_end) */
	bool rax_rd;
	/* REPROBE: the access's length, the kind of entry it checks
	 * (tctx.probed), and its LOAD/STORE stub */
	unsigned len;
	bool w_entry;
	struct stub *slow;
	/* SIDE: a taken branch's target, and its exit slot or -1 */
	uint64_t target;
	int slot;
	/* made after the block's entry switched to its map (swap_regs) */
	bool mapped;
	/* where the stub's code went (once emitted) */
	const uint8_t *at;
	/* LOAD, STORE, OTHER through the window: the access instruction */
	const uint8_t *access;
};

/* two per access (LOAD or STORE, REPROBE), one per side exit, the entry */
#define MAX_STUBS (2 * 64 + JIT_MAX_EXITS + 8)

/* see tctx.probed */
struct probed {
	bool valid;
	/* the entry checked is the page's write entry, else its read one */
	bool w_entry;
	unsigned base;
	int64_t lo, hi;
};

struct tctx {
	struct x86_buf *b;
	const struct translate_env *env;
	struct jit_block *blk;
	uint64_t pc; /* of the instruction being translated */
	unsigned idx;
	struct stub stubs[MAX_STUBS];
	unsigned nstubs;
	bool too_many;
	/*
	 * What rcx (the TLB index) and rdx (the addend) hold after the last
	 * access: the read and write entries at rcx are those of the page
	 * holding x[base] + lo through x[base] + hi (that access), and rdx
	 * is the addend of the one w_entry names. The next access at the
	 * same base, with either end inside that range, checks only the
	 * page of its other end against that entry (see tlb_probe).
	 */
	struct probed probed;
	unsigned nexits; /* chainable exit slots given out */
	/*
	 * The guest register whose value rsi holds (an access's base or a
	 * shift's count from h->x, get_rsi), or 0. Kept across the ops that
	 * keep tctx.probed unless they write it; a slow path reloads it.
	 */
	unsigned rsi_holds;
	/*
	 * The jumps of forward branches to instructions later in the block
	 * (emit_inner_branch), with what tctx.probed and tctx.rsi_holds
	 * were at the jump: where they land, what is true on both ways in.
	 */
	struct inner {
		uint8_t *field;
		unsigned target;
		struct probed probed;
		unsigned rsi_holds;
	} inner[BLOCK_MAX_INSNS];
	unsigned ninner;
	/*
	 * Right after put stored host register fwd_hreg into h->x[fwd_greg]
	 * (code ends at fwd_end, no label there), a read of that register
	 * takes fwd_hreg instead of the slot it was just stored to: no
	 * store-forwarding delay in the guest's dependency chain. Every
	 * position code may jump to is taken through here(), which ends it.
	 */
	const uint8_t *fwd_end;
	unsigned fwd_greg, fwd_hreg;
	/*
	 * The instruction being translated is a W op whose result the next
	 * one only reads as 32 bits and overwrites (w_result_dead): its
	 * sign extension (finish_w) is left out. Nothing between the two can
	 * leave the block or trap, so no one sees the upper bits.
	 */
	bool upper_dead;
	/*
	 * The block's own map: host register of each guest register, or 0
	 * (choose_map). swapped: it differs from the usual one (host_of),
	 * so that code between the block's entry checks and its exits
	 * (mapped, from the entry on) runs with other guest registers in
	 * some host registers, and guest_in[h] is the one host register h
	 * holds.
	 */
	uint8_t map[32];
	uint8_t guest_in[16];
	bool swapped, mapped;
};

static struct stub *stub_new(struct tctx *t, enum stub_kind kind)
{
	static struct stub spare;
	struct stub *s;

	if (t->nstubs == MAX_STUBS) {
		t->too_many = true;
		return &spare;
	}
	s = &t->stubs[t->nstubs++];
	s->kind = kind;
	s->set_pc = false;
	s->nfield = 0;
	s->count = 0;
	s->resume = NULL;
	s->disp = 0;
	s->rax_rd = false;
	s->access = NULL;
	s->mapped = t->mapped;
	s->pc = t->pc;
	s->idx = t->idx;
	return s;
}

static void stub_from(struct stub *s, uint8_t *field)
{
	if (s->nfield < 3)
		s->field[s->nfield++] = field;
}

/* jcc to an exit with the count of the instructions that did not retire */
static void trap_exit_jcc(struct tctx *t, enum x86_cc cc)
{
	struct stub *s = stub_new(t, STUB_EXIT);

	s->count = t->blk->n - t->idx;
	stub_from(s, x86_jcc(t->b, cc, NULL));
}

/*
 * The guest registers that live in host registers (see translate.h):
 * host register of x[r], or 0 (rax is never one) for those kept in h->x.
 * Those in caller-saved host registers are spilled around C calls.
 */
static const uint8_t host_of[32] = {
	[10] = R12, [11] = R13, [12] = R14, [13] = R15, [14] = R8,
	[15] = R9,  [16] = R10, [17] = RDI, [18] = RBP,
};

#define CNT R11
/* minus the countdown after a store to code (see emit_stub) */
#define CNT_PARKED (1 << 30)

static bool host_caller_saved(unsigned hreg)
{
	return hreg == RDI || (hreg >= R8 && hreg <= R11);
}

/*
 * Stores (spill) or loads the guest registers that live in host
 * registers: all of them, or only those in caller-saved host registers.
 */
static void sync_map(struct x86_buf *b, const uint8_t *map, bool store,
		     bool caller_only)
{
	if (store)
		x86_store64(b, RBX, OFF_TIMER, CNT);
	else
		x86_load64(b, CNT, RBX, OFF_TIMER);
	for (unsigned r = 1; r < 32; r++) {
		unsigned hreg = map[r];

		if (!hreg || (caller_only && !host_caller_saved(hreg)))
			continue;
		if (store)
			x86_store64(b, RBX, OFF_X(r), hreg);
		else
			x86_load64(b, hreg, RBX, OFF_X(r));
	}
}

static void sync_regs(struct x86_buf *b, bool store, bool caller_only)
{
	sync_map(b, host_of, store, caller_only);
}

void translate_regs_in(struct x86_buf *b)
{
	sync_regs(b, false, false);
}

void translate_regs_out(struct x86_buf *b)
{
	sync_regs(b, true, false);
}

void translate_slow_path(struct x86_buf *b, bool store)
{
	/* called with rsp 16-byte aligned, as helpers want it */
	x86_alu_ri(b, true, ALU_SUB, RSP, 8);
	sync_regs(b, true, true);
	x86_mov_rr(b, true, RDI, RBX);
	if (store)
		x86_mov_rr(b, true, R8, RAX);
	x86_call_abs(b, store ? (const void *)helper_store
			      : (const void *)helper_load);
	sync_regs(b, false, true);
	x86_alu_ri(b, true, ALU_ADD, RSP, 8);
	x86_ret(b);
}

/* The host register x[greg] lives in, or 0 (x0 and those in h->x). */
static unsigned reg_of(const struct tctx *t, unsigned greg)
{
	return greg ? t->map[greg] : 0;
}

/* The current position as a jump target (tctx.fwd_end). */
static uint8_t *here(struct tctx *t)
{
	t->fwd_end = NULL;
	return t->b->p;
}

/* Does fwd_hreg hold x[greg], a register kept in h->x, from just before? */
static bool forwarded(const struct tctx *t, unsigned greg)
{
	return t->fwd_end == t->b->p && t->fwd_greg == greg;
}

/* The host register holding x[greg] without a load (its own, or the
 * forwarded one), or 0 when it is x0 or read from h->x. */
static unsigned src_reg(const struct tctx *t, unsigned greg)
{
	if (reg_of(t, greg))
		return reg_of(t, greg);
	return greg && forwarded(t, greg) ? t->fwd_hreg : 0;
}

static void get(struct tctx *t, unsigned hreg, unsigned greg)
{
	if (greg == 0)
		x86_mov_imm(t->b, hreg, 0);
	else if (t->map[greg] && t->map[greg] == hreg)
		return;
	else if (t->map[greg])
		x86_mov_rr(t->b, true, hreg, t->map[greg]);
	else if (!forwarded(t, greg))
		x86_load64(t->b, hreg, RBX, OFF_X(greg));
	else if (hreg != t->fwd_hreg) {
		x86_mov_rr(t->b, true, hreg, t->fwd_hreg);
		t->fwd_end = t->b->p;
	}
}

/* rsi = x[greg], a register kept in h->x, unless it holds that already */
static void get_rsi(struct tctx *t, unsigned greg)
{
	if (greg && t->rsi_holds == greg)
		return;
	get(t, RSI, greg);
	t->rsi_holds = greg;
}

static void put(struct tctx *t, unsigned greg, unsigned hreg)
{
	if (greg == 0)
		return;
	if (t->map[greg]) {
		x86_mov_rr(t->b, true, t->map[greg], hreg);
	} else {
		x86_store64(t->b, RBX, OFF_X(greg), hreg);
		t->fwd_end = t->b->p;
		t->fwd_greg = greg;
		t->fwd_hreg = hreg;
	}
}

/*
 * Where to compute rd: its own host register, so that no copy follows,
 * unless that would overwrite source rs before it is read; else rax.
 */
static unsigned dest(const struct tctx *t, const struct insn *in, unsigned rs)
{
	unsigned d = reg_of(t, in->rd);

	if (!d || (rs && in->rd == rs && in->rd != in->rs1))
		return RAX;
	return d;
}

/* rd = the result computed in d (see dest) */
static void finish(struct tctx *t, const struct insn *in, unsigned d)
{
	if (d == RAX)
		put(t, in->rd, RAX);
}

/*
 * rd = the W op's 32-bit result in d (see dest), sign-extended unless no
 * one sees it (tctx.upper_dead): straight into rd's host register when
 * it was computed in rax.
 */
static void finish_w(struct tctx *t, const struct insn *in, unsigned d)
{
	unsigned r = reg_of(t, in->rd);

	if (d != RAX || !r) {
		if (!t->upper_dead)
			x86_movsxd(t->b, d, d);
		finish(t, in, d);
	} else if (t->upper_dead) {
		x86_mov_rr(t->b, false, r, RAX);
	} else {
		x86_movsxd(t->b, r, RAX);
	}
}

/* op d, x[greg] with the register or memory operand where it lives */
static void alu_src(struct tctx *t, bool w, enum x86_alu op, unsigned d,
		    unsigned greg)
{
	unsigned r = src_reg(t, greg);

	if (r) {
		x86_alu_rr(t->b, w, op, d, r);
		/* a forwarded source stays so past an op that keeps it */
		if (!reg_of(t, greg) && (d != r || op == ALU_CMP))
			t->fwd_end = t->b->p;
	} else if (greg) {
		x86_alu_rm(t->b, w, op, d, RBX, OFF_X(greg));
	} else {
		x86_alu_ri(t->b, w, op, d, 0);
	}
}

/*
 * Emits the moves from the usual map (host_of) to the block's (in) or
 * back, when they differ: each host register that the block gives to
 * another guest register is stored to the one it held and loaded with
 * the other. Only those host registers and h->x change.
 */
static void swap_regs(struct tctx *t, bool in)
{
	if (!t->swapped)
		return;
	for (unsigned r = 1; r < 32; r++) {
		unsigned h = host_of[r], g;

		if (!h || (g = t->guest_in[h]) == r)
			continue;
		x86_store64(t->b, RBX, OFF_X(in ? r : g), h);
		x86_load64(t->b, h, RBX, OFF_X(in ? g : r));
	}
}

static void call(struct tctx *t, const void *fn)
{
	x86_call_abs(t->b, fn);
}

static void insn_regs(struct tctx *t, const struct insn *in)
{
	uint64_t w[2];

	memcpy(w, in, sizeof(w));
	x86_mov_imm(t->b, RSI, w[0]);
	x86_mov_imm(t->b, RDX, w[1]);
}

/*
 * With rax = the target pc: jumps to its block when the jump table has it
 * for the current fetch mapping, else sets h->pc and leaves for the
 * dispatcher. A block entered this way sets h->pc itself if it leaves at
 * its entry, and helpers get their pc passed, so h->pc is not stored on
 * the way in.
 */
static void jump_lookup_from(struct tctx *t, bool mapped)
{
	struct x86_buf *b = t->b;

	if (mapped)
		swap_regs(t, false);

	x86_mov_rr(b, false, RCX, RAX);
	x86_alu_ri(b, false, ALU_AND, RCX, (JIT_FAST_SIZE - 1) << 1);
	x86_shift_ri(b, false, SH_SHL, RCX, 5);
	x86_mov_imm(b, RSI, (uint64_t)(uintptr_t)t->env->fast);
	x86_alu_rr(b, true, ALU_ADD, RSI, RCX);
	x86_alu_rm(b, true, ALU_CMP, RAX, RSI, 0);
	x86_jcc(b, CC_NE, t->env->lookup_miss);
	x86_load64(b, RDX, RBX, OFF_CODE_CTX);
	x86_alu_rm(b, true, ALU_CMP, RDX, RSI, 8);
	x86_jcc(b, CC_NE, t->env->lookup_miss);
	x86_load64(b, RDX, RBX, OFF_FETCH_GEN);
	x86_alu_rm(b, true, ALU_CMP, RDX, RSI, 16);
	x86_jcc(b, CC_NE, t->env->revalidate);
	x86_jmp_m(b, RSI, 24);
}

/* jump_lookup from code that runs with the block's map */
static void jump_lookup(struct tctx *t)
{
	jump_lookup_from(t, true);
}

void translate_lookup_miss(struct x86_buf *b, const uint8_t *exit)
{
	x86_store64(b, RBX, OFF_PC, RAX);
	x86_mov_imm(b, RAX, 0);
	x86_jmp(b, exit);
}

void translate_revalidate(struct x86_buf *b, const uint8_t *miss)
{
	/* the fetch TLB's entry for the pc's page, as find_block reads it */
	x86_mov_rr(b, true, RCX, RAX);
	x86_shift_ri(b, true, SH_SHR, RCX, GUEST_PAGE_SHIFT);
	x86_mov_rr(b, false, RDX, RAX);
	x86_shift_ri(b, false, SH_SHR, RDX, GUEST_PAGE_SHIFT - 4);
	x86_alu_ri(b, false, ALU_AND, RDX, (TLB_SIZE - 1) << 4);
	x86_alu_rm(b, true, ALU_ADD, RDX, RBX, OFF_ITLB);
	x86_alu_rm(b, true, ALU_CMP, RCX, RDX, 0);
	x86_jcc(b, CC_NE, miss);
	x86_load64(b, RDX, RDX, 8);
	x86_alu_rr(b, true, ALU_ADD, RDX, RAX);
	x86_alu_rm(b, true, ALU_CMP, RDX, RSI, 32);
	x86_jcc(b, CC_NE, miss);
	x86_load64(b, RDX, RBX, OFF_FETCH_GEN);
	x86_store64(b, RSI, 16, RDX);
	x86_jmp_m(b, RSI, 24);
}

/* Is target in the block's own page, where an exit to it may chain? */
static bool chains_to(const struct tctx *t, uint64_t target)
{
	return t->env->chainable && (target >> GUEST_PAGE_SHIFT) ==
					    (t->blk->vpc >> GUEST_PAGE_SHIFT);
}

/*
 * The unchained path of chainable exit slot to target: sets h->pc and
 * leaves, asking the dispatcher to chain (point the slot's jump at the
 * target block; the target's entry sets h->pc if it leaves at once).
 */
static void exit_unchained(struct tctx *t, uint64_t target, unsigned slot)
{
	struct x86_buf *b = t->b;

	x86_mov_imm(b, RAX, target);
	x86_store64(b, RBX, OFF_PC, RAX);
	x86_mov_imm(b, RAX, JIT_EXIT_CHAIN | JIT_EXIT_SLOT(slot));
	x86_mov_imm(b, RDX, (uint64_t)(uintptr_t)t->blk);
	x86_jmp(b, t->env->exit);
}

/*
 * Leaves the block for guest pc target: through a jump that may be
 * chained for the block's own page, else by a jump-table lookup.
 */
static void exit_to(struct tctx *t, uint64_t target, unsigned slot)
{
	struct x86_buf *b = t->b;

	swap_regs(t, false);
	if (chains_to(t, target)) {
		t->blk->exit_field[slot] = x86_jmp(b, NULL);
		x86_patch(t->blk->exit_field[slot], here(t));
		exit_unchained(t, target, slot);
	} else {
		x86_mov_imm(b, RAX, target);
		jump_lookup_from(t, false);
	}
}

/*
 * From the hart to the entry of the page at TLB index rcx (32 bytes a
 * page, struct tlb_ctx) in the block's data context: its write entry
 * when w, else its read entry.
 */
static int32_t entry_at(const struct tctx *t, bool w)
{
	return t->env->dtlb + (w ? TLB_W_AFTER_R : 0);
}

/*
 * rcx = the TLB index of the page of host register a + first, rdx = the
 * addend of its write entry (w) or read entry; returns the field of the
 * jump taken instead when the entry's tag is not the page of a + last (a
 * miss, or a page crossing).
 */
static uint8_t *full_probe(struct tctx *t, unsigned a, int64_t first,
			   int64_t last, bool w)
{
	struct x86_buf *b = t->b;
	uint8_t *miss;

	/*
	 * The page of the access's last byte against the tag of the entry
	 * of its first: tag T sits only at index T % TLB_SIZE, so equality
	 * means both bytes are in page T (a hit, no page crossing).
	 */
	if (last)
		x86_lea(b, RAX, a, (int32_t)last);
	else
		x86_mov_rr(b, true, RAX, a);
	x86_shift_ri(b, true, SH_SHR, RAX, GUEST_PAGE_SHIFT);
	if (first) {
		x86_lea(b, RCX, a, (int32_t)first);
		x86_shift_ri(b, false, SH_SHR, RCX, GUEST_PAGE_SHIFT - 5);
	} else if (t->env->bmi2) {
		/* bits rotated in from the bottom fall outside the mask */
		x86_rorx32(b, RCX, a, GUEST_PAGE_SHIFT - 5);
	} else {
		x86_mov_rr(b, false, RCX, a);
		x86_shift_ri(b, false, SH_SHR, RCX, GUEST_PAGE_SHIFT - 5);
	}
	x86_alu_ri(b, false, ALU_AND, RCX, (TLB_SIZE - 1) << 5);
	x86_alu_rm_idx(b, true, ALU_CMP, RAX, RBX, RCX, entry_at(t, w));
	miss = x86_jcc(b, CC_NE, NULL);
	x86_load64_idx(b, RDX, RBX, RCX, entry_at(t, w) + 8);
	return miss;
}

/*
 * The TLB hit path of an access at rs1 + imm: its guest address is host
 * register s->addr + s->disp (rs1's own register when it lives in one,
 * else rsi, and imm), rdx = the entry's addend (host address = rdx + guest
 * address), or a jump to the returned miss stub of the given kind.
 */
static struct stub *tlb_probe(struct tctx *t, const struct insn *in,
			      enum mmu_access acc, unsigned len,
			      enum stub_kind kind)
{
	struct x86_buf *b = t->b;
	struct stub *s = stub_new(t, kind);
	int64_t first = in->imm, last = (int64_t)in->imm + len - 1;
	unsigned a = reg_of(t, in->rs1) ? reg_of(t, in->rs1) : RSI;
	bool reuse = false, w = acc == MMU_WRITE;

	s->in = *in;
	if (a == RSI)
		get_rsi(t, in->rs1);
	s->rsi_holds = t->rsi_holds;
	s->addr = a;
	s->disp = in->imm;
	if (t->env->window) {
		/*
		 * Below WINDOW_BYTES, rdx = the window; at or above it, the
		 * slow path (a guard page after the window catches an access
		 * that starts below and ends above).
		 */
		if (in->imm)
			x86_lea(b, RAX, a, in->imm);
		else
			x86_mov_rr(b, true, RAX, a);
		x86_shift_ri(b, true, SH_SHR, RAX, WINDOW_SHIFT);
		stub_from(s, x86_jcc(b, CC_NE, NULL));
		x86_load64(b, RDX, RBX, OFF_WINDOW);
		t->probed.valid = false;
		return s;
	}
	if (t->probed.valid && t->probed.base == in->rs1 &&
	    (first >= t->probed.lo || last <= t->probed.hi)) {
		/* a load checks the entry in use, a store the write entry */
		reuse = true;
		w = w || t->probed.w_entry;
	}
	if (reuse) {
		/*
		 * One end lies in the entry's page (it is within the range
		 * probed before): the access is in that page when its other
		 * end is. rcx still holds the page's index (a slow path
		 * between sets it to that of the hart's never_hit). When it
		 * is not, a full probe out of line (STUB_REPROBE) of the same
		 * kind of entry gives the access its own.
		 * A load may use a store's entry: a page the write TLB maps
		 * is readable at the same host address (no valid PTE or PMP
		 * entry has W without R, and the write TLB maps plain RAM
		 * only). A store after a load checks the page's write entry,
		 * beside its read entry: the tag of the other end's page
		 * there means a write entry for the page.
		 */
		bool up = last > t->probed.hi;
		struct stub *r = stub_new(t, STUB_REPROBE);

		x86_lea(b, RAX, a, (int32_t)(up ? last : first));
		x86_shift_ri(b, true, SH_SHR, RAX, GUEST_PAGE_SHIFT);
		x86_alu_rm_idx(b, true, ALU_CMP, RAX, RBX, RCX, entry_at(t, w));
		stub_from(r, x86_jcc(b, CC_NE, NULL));
		if (w != t->probed.w_entry)
			x86_load64_idx(b, RDX, RBX, RCX, entry_at(t, w) + 8);
		r->addr = a;
		r->disp = in->imm;
		r->len = len;
		r->w_entry = w;
		r->slow = s;
		r->resume = here(t);
	} else {
		stub_from(s, full_probe(t, a, first, last, w));
	}
	/* rcx is now the index of this access's page, w its entry in use */
	t->probed.valid = true;
	t->probed.w_entry = w;
	t->probed.base = in->rs1;
	t->probed.lo = first;
	t->probed.hi = last;
	return s;
}

static void emit_load(struct tctx *t, const struct insn *in, unsigned len,
		      bool sign)
{
	struct stub *s = tlb_probe(t, in, MMU_READ, len, STUB_LOAD);
	unsigned d = dest(t, in, 0);

	s->access = t->b->p;
	x86_load_idx(t->b, len, sign, d, RDX, s->addr, s->disp);
	finish(t, in, d);
	s->count = len | (sign ? HELPER_LOAD_SIGNED : 0) |
		   (uint32_t)in->rd << HELPER_LOAD_RD_SHIFT;
	/*
	 * A register kept in h->x was loaded into rax and stored: the slow
	 * path gives rax that value too, so that the next instruction may
	 * still take it from rax (tctx.fwd_end).
	 */
	s->rax_rd = d == RAX && in->rd && forwarded(t, in->rd);
	s->resume = s->rax_rd ? t->b->p : here(t);
}

/*
 * The write TLB never maps a page with code or a watched page (mem/mmu.h),
 * so a store that hits it is done: stores to those pages take the slow
 * stub, whose helper tells the bus.
 */
static void emit_store(struct tctx *t, const struct insn *in, unsigned len)
{
	struct stub *s = tlb_probe(t, in, MMU_WRITE, len, STUB_STORE);
	unsigned v = reg_of(t, in->rs2);

	if (!v) {
		get(t, RAX, in->rs2);
		v = RAX;
	}
	s->access = t->b->p;
	x86_store_idx(t->b, len, RDX, s->addr, s->disp, v);
	s->count = len;
	s->resume = here(t);
}

/*
 * FLW, FLD, FSW, FSD: the integer accesses' TLB hit path, the value to or
 * from h->f (FLW NaN-boxes, as fpu_box32; a load makes FS dirty). With
 * mstatus.FS off (the instruction is illegal) or on a miss, the whole
 * instruction goes to helper_other out of line (STUB_OTHER), as other FP
 * instructions do inline; a store there may write code, so the block does
 * not keep its page's version.
 */
static void emit_fp_mem(struct tctx *t, const struct insn *in, unsigned len,
			bool store)
{
	struct x86_buf *b = t->b;
	uint8_t *fs_off;
	struct stub *s;

	_Static_assert(MSTATUS_FS <= 0xffffffffu, "FS within the tested dword");
	if (store)
		t->blk->keeps_version = false;
	x86_test_mi32(b, RBX, OFF_MSTATUS, (uint32_t)MSTATUS_FS);
	fs_off = x86_jcc(b, CC_E, NULL);
	s = tlb_probe(t, in, store ? MMU_WRITE : MMU_READ, len, STUB_OTHER);
	stub_from(s, fs_off);
	if (store) {
		x86_load64(b, RAX, RBX, OFF_F(in->rs2));
		s->access = b->p;
		x86_store_idx(b, len, RDX, s->addr, s->disp, RAX);
	} else {
		s->access = b->p;
		x86_load_idx(b, len, false, RAX, RDX, s->addr, s->disp);
		x86_store_idx(b, len, RBX, X86_NO_INDEX, OFF_F(in->rd), RAX);
		if (len == 4)
			x86_mov_mi32(b, RBX, OFF_F(in->rd) + 4, 0xffffffffu);
		x86_mov_imm(b, RAX, MSTATUS_FS | MSTATUS_SD);
		x86_alu_mr(b, true, ALU_OR, RBX, OFF_MSTATUS, RAX);
	}
	s->resume = here(t);
}

/* An op computed by helper_alu(rs1, rs2 or imm, op). */
static void emit_alu_call(struct tctx *t, const struct insn *in, bool use_imm)
{
	/* spilled first: rdi holds a guest register (read before set) */
	sync_map(t->b, t->map, true, true);
	if (use_imm)
		x86_mov_imm(t->b, RSI, (uint64_t)(int64_t)in->imm);
	else
		get(t, RSI, in->rs2);
	get(t, RDI, in->rs1);
	x86_mov_imm(t->b, RDX, in->op);
	call(t, (const void *)helper_alu);
	sync_map(t->b, t->map, false, true);
	put(t, in->rd, RAX);
}

/*
 * M division by x86 div/idiv, with the RISC-V results where x86 would
 * fault: a zero divisor (quotient all ones, remainder the dividend) and
 * the most negative dividend by -1 (quotient the dividend, remainder 0),
 * the latter reached as any dividend by -1: negation, which wraps.
 */
static void emit_div(struct tctx *t, const struct insn *in)
{
	struct x86_buf *b = t->b;
	enum insn_op op = in->op;
	bool w = op == OP_DIV || op == OP_DIVU || op == OP_REM || op == OP_REMU;
	bool sign =
		op == OP_DIV || op == OP_REM || op == OP_DIVW || op == OP_REMW;
	bool rem = op == OP_REM || op == OP_REMU || op == OP_REMW ||
		   op == OP_REMUW;
	uint8_t *zero, *minus1 = NULL, *done1, *done2 = NULL;

	get(t, RAX, in->rs1);
	get(t, RCX, in->rs2);
	x86_test_rr(b, w, RCX, RCX);
	zero = x86_jcc(b, CC_E, NULL);
	if (sign) {
		x86_alu_ri(b, w, ALU_CMP, RCX, -1);
		minus1 = x86_jcc(b, CC_E, NULL);
		x86_mov_rr(b, w, RDX, RAX);
		x86_shift_ri(b, w, SH_SAR, RDX, w ? 63 : 31);
		x86_grp3(b, w, 7, RCX);
	} else {
		x86_mov_imm(b, RDX, 0);
		x86_grp3(b, w, 6, RCX);
	}
	if (rem)
		x86_mov_rr(b, true, RAX, RDX);
	done1 = x86_jmp(b, NULL);
	x86_patch(zero, here(t));
	if (!rem)
		x86_mov_imm(b, RAX, ~0ull);
	if (sign) {
		done2 = x86_jmp(b, NULL);
		x86_patch(minus1, here(t));
		if (rem)
			x86_mov_imm(b, RAX, 0);
		else
			x86_grp3(b, w, 3, RAX);
	}
	x86_patch(done1, here(t));
	x86_patch(done2, here(t));
	if (!w)
		finish_w(t, in, RAX);
	else
		put(t, in->rd, RAX);
}

/*
 * helper_other for instruction in at pc, with the guest registers that
 * map keeps in host registers stored around the call; eax its status.
 */
static void call_other(struct tctx *t, const uint8_t *map,
		       const struct insn *in, uint64_t pc)
{
	sync_map(t->b, map, true, false);
	x86_mov_rr(t->b, true, RDI, RBX);
	insn_regs(t, in);
	x86_mov_imm(t->b, RCX, pc);
	call(t, (const void *)helper_other);
	sync_map(t->b, map, false, false);
}

static void emit_other(struct tctx *t, const struct insn *in)
{
	t->blk->keeps_version = false;
	call_other(t, t->map, in, t->pc);
	x86_test_rr(t->b, false, RAX, RAX);
	trap_exit_jcc(t, CC_NE);
}

/* rd = rs1 OP rs2 on the low 32 bits (when !w), sign-extended */
static void alu_rr(struct tctx *t, const struct insn *in, bool w,
		   enum x86_alu op)
{
	unsigned d = dest(t, in, in->rs2);
	unsigned s1 = src_reg(t, in->rs1), s2 = src_reg(t, in->rs2);

	if (!w && op == ALU_ADD && s1 && s2 && d != s1 && d != s2) {
		/* addw into a third register: no copy of rs1 first */
		x86_lea32(t->b, d, s1, s2, 0);
		finish_w(t, in, d);
		return;
	}
	get(t, d, in->rs1);
	alu_src(t, w, op, d, in->rs2);
	if (w)
		finish(t, in, d);
	else
		finish_w(t, in, d);
}

/* rd = rs1 * rs2 (on the low 32 bits, sign-extended, when !w) */
static void mul(struct tctx *t, const struct insn *in, bool w)
{
	unsigned d = dest(t, in, in->rs2), g = in->rs2, r;

	get(t, d, in->rs1);
	r = src_reg(t, g);
	if (r)
		x86_imul_rr(t->b, w, d, r);
	else if (g)
		x86_imul_rm(t->b, w, d, RBX, OFF_X(g));
	else
		x86_mov_imm(t->b, d, 0);
	if (w)
		finish(t, in, d);
	else
		finish_w(t, in, d);
}

/* rd = rs1 OP imm (64-bit) */
static void alu_ri(struct tctx *t, const struct insn *in, enum x86_alu op)
{
	unsigned d = dest(t, in, 0);

	get(t, d, in->rs1);
	x86_alu_ri(t->b, true, op, d, in->imm);
	finish(t, in, d);
}

static void addi(struct tctx *t, const struct insn *in, bool w)
{
	unsigned d = dest(t, in, 0), s1 = reg_of(t, in->rs1), s;

	if (w && !in->imm && in->rs1 && !t->upper_dead) {
		/* sext.w: one sign-extending move from where rs1 is */
		s = src_reg(t, in->rs1);
		if (s)
			x86_movsxd(t->b, d, s);
		else
			x86_movsxd_m(t->b, d, RBX, OFF_X(in->rs1));
		finish(t, in, d);
		return;
	}
	s = w ? src_reg(t, in->rs1) : s1;
	if (!s || s == d || !in->imm) {
		get(t, d, in->rs1);
		if (in->imm)
			x86_alu_ri(t->b, !w, ALU_ADD, d, in->imm);
	} else if (w) {
		x86_lea32(t->b, d, s, X86_NO_INDEX, in->imm);
	} else {
		x86_lea(t->b, d, s, in->imm);
	}
	if (w)
		finish_w(t, in, d);
	else
		finish(t, in, d);
}

/* Shifts by a register: BMI2's shlx/shrx/sarx where the host has them
 * (one uop, any count register: rcx keeps the last probe), else by cl. */
static void shift_rr(struct tctx *t, const struct insn *in, bool w,
		     enum x86_shift op)
{
	unsigned d = dest(t, in, 0);

	if (t->env->bmi2 && op != SH_ROL && op != SH_ROR) {
		unsigned src = reg_of(t, in->rs1), cnt = reg_of(t, in->rs2);

		d = reg_of(t, in->rd) ? reg_of(t, in->rd) : RAX;
		if (!src) {
			get(t, RAX, in->rs1);
			src = RAX;
		}
		if (!cnt) {
			get_rsi(t, in->rs2);
			cnt = RSI;
		}
		x86_shiftx(t->b, w, op, d, src, cnt);
		if (w)
			finish(t, in, d);
		else
			finish_w(t, in, d);
		return;
	}
	get(t, RCX, in->rs2);
	get(t, d, in->rs1);
	x86_shift_cl(t->b, w, op, d);
	if (w)
		finish(t, in, d);
	else
		finish_w(t, in, d);
}

static void shift_ri(struct tctx *t, const struct insn *in, bool w,
		     enum x86_shift op)
{
	unsigned d = dest(t, in, 0);

	get(t, d, in->rs1);
	x86_shift_ri(t->b, w, op, d, (uint8_t)(in->imm & (w ? 63 : 31)));
	if (w)
		finish(t, in, d);
	else
		finish_w(t, in, d);
}

static void cmp_set(struct tctx *t, const struct insn *in, bool use_imm,
		    enum x86_cc cc)
{
	get(t, RAX, in->rs1);
	if (use_imm) {
		x86_alu_ri(t->b, true, ALU_CMP, RAX, in->imm);
	} else {
		alu_src(t, true, ALU_CMP, RAX, in->rs2);
	}
	x86_setcc_zx(t->b, cc, RAX);
}

static void minmax(struct tctx *t, const struct insn *in, enum x86_cc cc)
{
	get(t, RAX, in->rs1);
	get(t, RCX, in->rs2);
	x86_alu_rr(t->b, true, ALU_CMP, RAX, RCX);
	x86_cmov(t->b, cc, RAX, RCX);
}

static void shadd(struct tctx *t, const struct insn *in, unsigned sh, bool uw)
{
	get(t, RAX, in->rs1);
	if (uw)
		x86_mov_rr(t->b, false, RAX, RAX);
	if (sh)
		x86_shift_ri(t->b, true, SH_SHL, RAX, (uint8_t)sh);
	alu_src(t, true, ALU_ADD, RAX, in->rs2);
}

static void bit_rr(struct tctx *t, const struct insn *in, enum x86_bt op,
		   bool use_imm)
{
	get(t, RAX, in->rs1);
	if (use_imm) {
		x86_bt_ri(t->b, op, RAX, (uint8_t)(in->imm & 63));
	} else {
		get(t, RCX, in->rs2);
		x86_bt_rr(t->b, op, RAX, RCX);
	}
	if (op == BT_BT)
		x86_setcc_zx(t->b, CC_B, RAX);
}

/*
 * mv and li in their usual spellings (add/or/xor with x0, addi/ori/xori
 * with 0, addi from x0): rd = x[rs] or rd = imm as one move, or a load
 * and a store when both live in h->x. Returns false for other ops.
 */
static bool emit_move(struct tctx *t, const struct insn *in)
{
	unsigned src, d = reg_of(t, in->rd);

	switch (in->op) {
	case OP_ADDI:
		if (in->rs1 == 0) {
			if (d)
				x86_mov_imm(t->b, d,
					    (uint64_t)(int64_t)in->imm);
			else
				x86_mov_mi64(t->b, RBX, OFF_X(in->rd), in->imm);
			return true;
		}
		/* fall through */
	case OP_ORI:
	case OP_XORI:
		if (in->imm)
			return false;
		src = in->rs1;
		break;
	case OP_ADD:
	case OP_OR:
	case OP_XOR:
		if (in->rs1 && in->rs2)
			return false;
		src = in->rs1 | in->rs2;
		break;
	default: return false;
	}
	if (d)
		get(t, d, src);
	else if (reg_of(t, src))
		put(t, in->rd, reg_of(t, src));
	else if (src == 0)
		x86_mov_mi64(t->b, RBX, OFF_X(in->rd), 0);
	else {
		get(t, RAX, src);
		put(t, in->rd, RAX);
	}
	return true;
}

/*
 * Integer ops whose only effect is rd = f(rs1, rs2/imm): computes into
 * rax (rd stored by the caller). Returns false for other ops.
 */
static bool emit_alu(struct tctx *t, const struct insn *in)
{
	struct x86_buf *b = t->b;

	unsigned d;

	switch (in->op) {
	case OP_LUI:
	case OP_AUIPC:
		d = dest(t, in, 0);
		x86_mov_imm(b, d,
			    (in->op == OP_AUIPC ? t->pc : 0) +
				    (uint64_t)(int64_t)in->imm);
		finish(t, in, d);
		return true;
	case OP_ADDI: addi(t, in, false); return true;
	case OP_ADDIW: addi(t, in, true); return true;
	case OP_SLTI: cmp_set(t, in, true, CC_L); break;
	case OP_SLTIU: cmp_set(t, in, true, CC_B); break;
	case OP_XORI: alu_ri(t, in, ALU_XOR); return true;
	case OP_ORI: alu_ri(t, in, ALU_OR); return true;
	case OP_ANDI: alu_ri(t, in, ALU_AND); return true;
	case OP_SLLI: shift_ri(t, in, true, SH_SHL); return true;
	case OP_SRLI: shift_ri(t, in, true, SH_SHR); return true;
	case OP_SRAI: shift_ri(t, in, true, SH_SAR); return true;
	case OP_ADD: alu_rr(t, in, true, ALU_ADD); return true;
	case OP_SUB: alu_rr(t, in, true, ALU_SUB); return true;
	case OP_XOR: alu_rr(t, in, true, ALU_XOR); return true;
	case OP_OR: alu_rr(t, in, true, ALU_OR); return true;
	case OP_AND: alu_rr(t, in, true, ALU_AND); return true;
	case OP_SLT: cmp_set(t, in, false, CC_L); break;
	case OP_SLTU: cmp_set(t, in, false, CC_B); break;
	case OP_SLL: shift_rr(t, in, true, SH_SHL); return true;
	case OP_SRL: shift_rr(t, in, true, SH_SHR); return true;
	case OP_SRA: shift_rr(t, in, true, SH_SAR); return true;
	case OP_SLLIW: shift_ri(t, in, false, SH_SHL); return true;
	case OP_SRLIW: shift_ri(t, in, false, SH_SHR); return true;
	case OP_SRAIW: shift_ri(t, in, false, SH_SAR); return true;
	case OP_ADDW: alu_rr(t, in, false, ALU_ADD); return true;
	case OP_SUBW: alu_rr(t, in, false, ALU_SUB); return true;
	case OP_SLLW: shift_rr(t, in, false, SH_SHL); return true;
	case OP_SRLW: shift_rr(t, in, false, SH_SHR); return true;
	case OP_SRAW: shift_rr(t, in, false, SH_SAR); return true;
	case OP_MUL: mul(t, in, true); return true;
	case OP_MULW: mul(t, in, false); return true;
	case OP_MULH:
	case OP_MULHU:
		get(t, RAX, in->rs1);
		get(t, RCX, in->rs2);
		x86_grp3(b, true, in->op == OP_MULH ? 5 : 4, RCX);
		x86_mov_rr(b, true, RAX, RDX);
		break;
	case OP_ADD_UW: shadd(t, in, 0, true); break;
	case OP_SH1ADD: shadd(t, in, 1, false); break;
	case OP_SH2ADD: shadd(t, in, 2, false); break;
	case OP_SH3ADD: shadd(t, in, 3, false); break;
	case OP_SH1ADD_UW: shadd(t, in, 1, true); break;
	case OP_SH2ADD_UW: shadd(t, in, 2, true); break;
	case OP_SH3ADD_UW: shadd(t, in, 3, true); break;
	case OP_SLLI_UW:
		get(t, RAX, in->rs1);
		x86_mov_rr(b, false, RAX, RAX);
		x86_shift_ri(b, true, SH_SHL, RAX, (uint8_t)(in->imm & 63));
		break;
	case OP_ANDN:
	case OP_ORN:
		get(t, RAX, in->rs1);
		get(t, RCX, in->rs2);
		x86_grp3(b, true, 2, RCX);
		x86_alu_rr(b, true, in->op == OP_ANDN ? ALU_AND : ALU_OR, RAX,
			   RCX);
		break;
	case OP_XNOR:
		get(t, RAX, in->rs1);
		alu_src(t, true, ALU_XOR, RAX, in->rs2);
		x86_grp3(b, true, 2, RAX);
		break;
	case OP_MAX: minmax(t, in, CC_L); break;
	case OP_MAXU: minmax(t, in, CC_B); break;
	case OP_MIN: minmax(t, in, CC_G); break;
	case OP_MINU: minmax(t, in, CC_A); break;
	case OP_SEXT_B:
		get(t, RAX, in->rs1);
		x86_movsx8(b, RAX, RAX);
		break;
	case OP_SEXT_H:
		get(t, RAX, in->rs1);
		x86_movsx16(b, RAX, RAX);
		break;
	case OP_ZEXT_H:
		get(t, RAX, in->rs1);
		x86_movzx16(b, RAX, RAX);
		break;
	case OP_ROL: shift_rr(t, in, true, SH_ROL); return true;
	case OP_ROR: shift_rr(t, in, true, SH_ROR); return true;
	case OP_ROLW: shift_rr(t, in, false, SH_ROL); return true;
	case OP_RORW: shift_rr(t, in, false, SH_ROR); return true;
	case OP_RORI: shift_ri(t, in, true, SH_ROR); return true;
	case OP_RORIW: shift_ri(t, in, false, SH_ROR); return true;
	case OP_REV8:
		get(t, RAX, in->rs1);
		x86_bswap64(b, RAX);
		break;
	case OP_BCLR: bit_rr(t, in, BT_BTR, false); break;
	case OP_BSET: bit_rr(t, in, BT_BTS, false); break;
	case OP_BINV: bit_rr(t, in, BT_BTC, false); break;
	case OP_BEXT: bit_rr(t, in, BT_BT, false); break;
	case OP_BCLRI: bit_rr(t, in, BT_BTR, true); break;
	case OP_BSETI: bit_rr(t, in, BT_BTS, true); break;
	case OP_BINVI: bit_rr(t, in, BT_BTC, true); break;
	case OP_BEXTI: bit_rr(t, in, BT_BT, true); break;
	case OP_CZERO_EQZ:
	case OP_CZERO_NEZ:
		get(t, RAX, in->rs1);
		get(t, RCX, in->rs2);
		x86_mov_imm(b, RDX, 0);
		x86_test_rr(b, true, RCX, RCX);
		x86_cmov(b, in->op == OP_CZERO_EQZ ? CC_E : CC_NE, RAX, RDX);
		break;
	case OP_DIV:
	case OP_DIVU:
	case OP_REM:
	case OP_REMU:
	case OP_DIVW:
	case OP_DIVUW:
	case OP_REMW:
	case OP_REMUW: emit_div(t, in); return true;
	case OP_MULHSU:
	case OP_CLZ:
	case OP_CLZW:
	case OP_CTZ:
	case OP_CTZW:
	case OP_CPOP:
	case OP_CPOPW:
	case OP_ORC_B: emit_alu_call(t, in, false); return true;
	default: return false;
	}
	put(t, in->rd, RAX);
	return true;
}

static enum x86_cc branch_cc(enum insn_op op)
{
	switch (op) {
	case OP_BEQ: return CC_E;
	case OP_BNE: return CC_NE;
	case OP_BLT: return CC_L;
	case OP_BGE: return CC_GE;
	case OP_BLTU: return CC_B;
	default: return CC_AE;
	}
}

/* Flags for a conditional branch's jcc (branch_cc): rs1 against rs2. */
static void branch_cmp(struct tctx *t, const struct insn *in)
{
	if (reg_of(t, in->rs1)) {
		alu_src(t, true, ALU_CMP, reg_of(t, in->rs1), in->rs2);
	} else {
		get(t, RAX, in->rs1);
		alu_src(t, true, ALU_CMP, RAX, in->rs2);
	}
}

/*
 * A conditional branch inside a block: taken, it leaves through a side
 * exit (a chainable slot from 2 up when the target is in the page), else
 * the block runs on, tctx.probed kept. The block charged all its
 * instructions at entry; the side exit's stub gives back those after the
 * branch, so that the fall-through, in compiled code the usual way on,
 * pays nothing for it.
 */
static void emit_side_exit(struct tctx *t, const struct insn *in)
{
	struct stub *s = stub_new(t, STUB_SIDE);

	branch_cmp(t, in);
	stub_from(s, x86_jcc(t->b, branch_cc(in->op), NULL));
	s->count = t->blk->n - t->idx - 1;
	s->target = t->pc + (uint64_t)(int64_t)in->imm;
	s->slot = -1;
	if (chains_to(t, s->target) && t->nexits < JIT_MAX_EXITS)
		s->slot = (int)t->nexits++;
}

/*
 * A forward conditional branch to instruction target of the block (an
 * if's body skipped): taken, it jumps there, giving back the charge of
 * the instructions it skips as a side exit gives back the rest; the
 * code at target assumes of rcx and rsi only what holds on both ways in
 * (land_inner).
 */
static void emit_inner_branch(struct tctx *t, const struct insn *in,
			      unsigned target)
{
	struct x86_buf *b = t->b;
	int32_t skip = (int32_t)(target - t->idx - 1);
	struct inner *p = &t->inner[t->ninner++];

	branch_cmp(t, in);
	x86_lea(b, CNT, CNT, skip);
	p->field = x86_jcc(b, branch_cc(in->op), NULL);
	x86_lea(b, CNT, CNT, -skip);
	p->target = target;
	p->probed = t->probed;
	p->rsi_holds = t->rsi_holds;
}

static bool same_probe(const struct probed *a, const struct probed *b)
{
	if (!a->valid || !b->valid)
		return a->valid == b->valid;
	return a->w_entry == b->w_entry && a->base == b->base &&
	       a->lo == b->lo && a->hi == b->hi;
}

/* Before instruction t->idx: the inner branches to it land here. */
static void land_inner(struct tctx *t)
{
	for (unsigned k = 0; k < t->ninner; k++) {
		struct inner *p = &t->inner[k];

		if (p->target != t->idx)
			continue;
		x86_patch(p->field, here(t));
		if (!same_probe(&p->probed, &t->probed))
			t->probed.valid = false;
		if (p->rsi_holds != t->rsi_holds)
			t->rsi_holds = 0;
	}
}

int translate_branch_target(const struct insn *ins, unsigned n, uint64_t vpc,
			    unsigned i)
{
	uint64_t pc = vpc, target;
	unsigned k;

	for (k = 0; k < i; k++)
		pc += ins[k].len;
	if (ins[i].imm <= 0)
		return -1;
	target = pc + (uint64_t)(int64_t)ins[i].imm;
	for (k = i; k < n && pc < target; k++)
		pc += ins[k].len;
	return k < n && pc == target ? (int)k : -1;
}

/* The last instruction of a block when it transfers control. */
static bool emit_ender(struct tctx *t, const struct insn *in)
{
	struct x86_buf *b = t->b;
	uint64_t next = t->pc + in->len;
	uint64_t target = t->pc + (uint64_t)(int64_t)in->imm;
	uint8_t *taken;

	switch (in->op) {
	case OP_BEQ:
	case OP_BNE:
	case OP_BLT:
	case OP_BGE:
	case OP_BLTU:
	case OP_BGEU:
		branch_cmp(t, in);
		taken = x86_jcc(b, branch_cc(in->op), NULL);
		exit_to(t, next, 1);
		x86_patch(taken, here(t));
		if (chains_to(t, target) && !t->swapped) {
			/* chained, the branch itself jumps to the target */
			t->blk->exit_field[0] = taken;
			exit_unchained(t, target, 0);
		} else {
			exit_to(t, target, 0);
		}
		return true;
	case OP_JAL:
		if (in->rd) {
			x86_mov_imm(b, RAX, next);
			put(t, in->rd, RAX);
		}
		exit_to(t, target, 0);
		return true;
	case OP_JALR:
		get(t, RAX, in->rs1);
		if (in->imm)
			x86_alu_ri(b, true, ALU_ADD, RAX, in->imm);
		x86_alu_ri(b, true, ALU_AND, RAX, -2);
		if (in->rd) {
			x86_mov_imm(b, RCX, next);
			put(t, in->rd, RCX);
		}
		jump_lookup(t);
		return true;
	case OP_FENCE:
	case OP_FENCE_I:
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
		/* the helper leaves h->pc at the next instruction or trap */
		t->blk->keeps_version = false;
		sync_map(b, t->map, true, false);
		x86_mov_rr(b, true, RDI, RBX);
		insn_regs(t, in);
		x86_mov_imm(b, RCX, t->pc);
		call(t, (const void *)helper_system);
		/* on the way out: the usual map */
		sync_regs(b, false, false);
		/* a flush must reach the dispatcher; else go on to h->pc */
		x86_test_rr(b, false, RAX, RAX);
		x86_jcc(b, CC_NE, t->env->exit);
		x86_load64(b, RAX, RBX, OFF_PC);
		jump_lookup_from(t, false);
		return true;
	default: return false;
	}
}

static void emit_op(struct tctx *t, const struct insn *in)
{
	if (emit_move(t, in) || emit_alu(t, in))
		return;
	switch (in->op) {
	case OP_LB: emit_load(t, in, 1, true); break;
	case OP_LH: emit_load(t, in, 2, true); break;
	case OP_LW: emit_load(t, in, 4, true); break;
	case OP_LD: emit_load(t, in, 8, false); break;
	case OP_LBU: emit_load(t, in, 1, false); break;
	case OP_LHU: emit_load(t, in, 2, false); break;
	case OP_LWU: emit_load(t, in, 4, false); break;
	case OP_SB: emit_store(t, in, 1); break;
	case OP_SH: emit_store(t, in, 2); break;
	case OP_SW: emit_store(t, in, 4); break;
	case OP_SD: emit_store(t, in, 8); break;
	case OP_FLW: emit_fp_mem(t, in, 4, false); break;
	case OP_FLD: emit_fp_mem(t, in, 8, false); break;
	case OP_FSW: emit_fp_mem(t, in, 4, true); break;
	case OP_FSD: emit_fp_mem(t, in, 8, true); break;
	default: emit_other(t, in); break;
	}
}

/*
 * Ops whose translation leaves rcx and rdx alone, so that tctx.probed
 * stays true across them (unless they write its base register): the
 * common integer ops, and the loads and stores (FP ones too), which set
 * it. They set rsi only through get_rsi, so tctx.rsi_holds stays true as
 * well.
 */
static bool keeps_probe(const struct tctx *t, enum insn_op op)
{
	switch (op) {
	case OP_SLL:
	case OP_SRL:
	case OP_SRA:
	case OP_SLLW:
	case OP_SRLW:
	case OP_SRAW: return t->env->bmi2; /* see shift_rr */
	case OP_LUI:
	case OP_AUIPC:
	case OP_ADDI:
	case OP_ADDIW:
	case OP_SLTI:
	case OP_SLTIU:
	case OP_XORI:
	case OP_ORI:
	case OP_ANDI:
	case OP_SLLI:
	case OP_SRLI:
	case OP_SRAI:
	case OP_SLLIW:
	case OP_SRLIW:
	case OP_SRAIW:
	case OP_ADD:
	case OP_ADDW:
	case OP_SUB:
	case OP_SUBW:
	case OP_XOR:
	case OP_OR:
	case OP_AND:
	case OP_SLT:
	case OP_SLTU:
	case OP_SH1ADD:
	case OP_SH2ADD:
	case OP_SH3ADD:
	case OP_SH1ADD_UW:
	case OP_SH2ADD_UW:
	case OP_SH3ADD_UW:
	case OP_MUL:
	case OP_MULW:
	case OP_LB:
	case OP_LH:
	case OP_LW:
	case OP_LD:
	case OP_LBU:
	case OP_LHU:
	case OP_LWU:
	case OP_SB:
	case OP_SH:
	case OP_SW:
	case OP_SD:
	case OP_FLW:
	case OP_FLD:
	case OP_FSW:
	case OP_FSD: return true;
	default: return false;
	}
}

/* After an op that leaves rcx, rdx and rsi alone but writes rd. */
static void wrote(struct tctx *t, unsigned rd)
{
	if (rd && rd == t->probed.base)
		t->probed.valid = false;
	if (rd && rd == t->rsi_holds)
		t->rsi_holds = 0;
}

/* Does an inner branch (emit_inner_branch) land on instruction idx? */
static bool inner_lands(const struct tctx *t, unsigned idx)
{
	for (unsigned k = 0; k < t->ninner; k++)
		if (t->inner[k].target == idx)
			return true;
	return false;
}

/*
 * slli rd, rs, k; srli (or srai) rd, rd, k2 with k 32, 48 or 56: the
 * compiler's zero- (sign-) extension of the low 64 - k bits of rs, moved
 * by k - k2, without a bit manipulation extension (Zba, Zbb). Translated
 * as one extension and at most one shift, when nothing lands between.
 */
static bool emit_ext_pair(struct tctx *t, const struct insn *in,
			  const struct insn *next)
{
	unsigned rd = in->rd, k = (unsigned)in->imm & 63, k2, d, s;
	bool sign = next->op == OP_SRAI;

	if (in->op != OP_SLLI || (next->op != OP_SRLI && !sign) || !rd ||
	    next->rd != rd || next->rs1 != rd ||
	    (k != 32 && k != 48 && k != 56) || inner_lands(t, t->idx + 1))
		return false;
	k2 = (unsigned)next->imm & 63;
	d = dest(t, in, 0);
	s = reg_of(t, in->rs1);
	if (!s) {
		get(t, d, in->rs1);
		s = d;
	}
	if (k == 32 && sign)
		x86_movsxd(t->b, d, s);
	else if (k == 32)
		x86_mov_rr(t->b, false, d, s);
	else if (k == 48 && sign)
		x86_movsx16(t->b, d, s);
	else if (k == 48)
		x86_movzx16(t->b, d, s);
	else if (sign)
		x86_movsx8(t->b, d, s);
	else
		x86_movzx8(t->b, d, s);
	if (k2 > k)
		x86_shift_ri(t->b, true, sign ? SH_SAR : SH_SHR, d,
			     (uint8_t)(k2 - k));
	else if (k2 < k)
		x86_shift_ri(t->b, true, SH_SHL, d, (uint8_t)(k - k2));
	finish(t, in, d);
	wrote(t, rd);
	return true;
}

/*
 * slli rd, rs, k (k 1 to 3); add rd, rd, rx (or rx, rd): rd = rx + (rs <<
 * k), the compiler's array index without Zba's shNadd. One lea when rs
 * and rx are in host registers and nothing lands between; the shifted
 * value is seen by no one.
 */
static bool emit_index_pair(struct tctx *t, const struct insn *in,
			    const struct insn *next)
{
	unsigned rd = in->rd, k = (unsigned)in->imm & 63, rx, s, x;

	if (in->op != OP_SLLI || next->op != OP_ADD || !rd || k < 1 || k > 3 ||
	    next->rd != rd || (next->rs1 == rd) == (next->rs2 == rd) ||
	    inner_lands(t, t->idx + 1))
		return false;
	rx = next->rs1 == rd ? next->rs2 : next->rs1;
	s = src_reg(t, in->rs1);
	x = src_reg(t, rx);
	if (!s || !x)
		return false;
	if (reg_of(t, rd)) {
		x86_lea_scaled(t->b, reg_of(t, rd), x, s, k);
	} else {
		x86_lea_scaled(t->b, RAX, x, s, k);
		put(t, rd, RAX);
	}
	wrote(t, rd);
	return true;
}

static void emit_insn(struct tctx *t, const struct insn *in)
{
	bool store = in->op == OP_SB || in->op == OP_SH || in->op == OP_SW ||
		     in->op == OP_SD;
	bool fp_mem = in->op == OP_FLW || in->op == OP_FLD ||
		      in->op == OP_FSW || in->op == OP_FSD;
	/* the x[] register the op writes (stores and FP ones have none), or 0 */
	unsigned rd = store || fp_mem ? 0 : in->rd;

	if (in->rd == 0 && exec_only_writes_rd(in->op))
		return;
	emit_op(t, in);
	if (!keeps_probe(t, in->op)) {
		t->probed.valid = false;
		t->rsi_holds = 0;
		return;
	}
	if (in->op == OP_ADDI && rd && rd == in->rs1 && rd == t->probed.base) {
		/* a pointer bump, x[base] += imm: the range probed, as
		 * offsets from its new value (a mv elsewhere leaves the
		 * probe with its source, as before) */
		t->probed.lo -= in->imm;
		t->probed.hi -= in->imm;
		if (rd == t->rsi_holds)
			t->rsi_holds = 0;
	} else {
		wrote(t, rd);
	}
}

/* Is op a W op: its result is its 32-bit result sign-extended, and it
 * reads only the low 32 bits of rs1 (and of rs2, or its low 5)? */
static bool op_is_w(enum insn_op op)
{
	switch (op) {
	case OP_ADDIW:
	case OP_SLLIW:
	case OP_SRLIW:
	case OP_SRAIW:
	case OP_RORIW:
	case OP_ADDW:
	case OP_SUBW:
	case OP_SLLW:
	case OP_SRLW:
	case OP_SRAW:
	case OP_ROLW:
	case OP_RORW:
	case OP_MULW:
	case OP_DIVW:
	case OP_DIVUW:
	case OP_REMW:
	case OP_REMUW: return true;
	default: return false;
	}
}

/* Are the upper 32 bits of W op in's result unseen: next, a W op, reads
 * rd (if at all) only as 32 bits and overwrites it (tctx.upper_dead)? */
static bool w_result_dead(const struct insn *in, const struct insn *next)
{
	return op_is_w(in->op) && op_is_w(next->op) && in->rd &&
	       next->rd == in->rd;
}

/* Flags: the block's page version now against the one translated. */
static void cmp_version(struct tctx *t)
{
	x86_mov_imm(t->b, RAX, (uint64_t)(uintptr_t)t->env->version);
	x86_alu_mi(t->b, false, ALU_CMP, RAX, 0, (int32_t)t->blk->version);
}

/* rsi = the guest address of a LOAD or STORE stub's access */
static void stub_addr(struct x86_buf *b, const struct stub *s)
{
	if (s->disp)
		x86_lea(b, RSI, s->addr, s->disp);
	else if (s->addr != RSI)
		x86_mov_rr(b, true, RSI, s->addr);
}

static void emit_stub(struct tctx *t, struct stub *s)
{
	struct x86_buf *b = t->b;
	uint32_t left = t->blk->n - s->idx;
	uint8_t *trap, *same;

	for (unsigned i = 0; i < s->nfield; i++)
		x86_patch(s->field[i], here(t));
	s->at = here(t);
	switch (s->kind) {
	case STUB_REPROBE:
		/* its slow stub was made, so emitted, before it */
		x86_patch(full_probe(t, s->addr, s->disp,
				     (int64_t)s->disp + s->len - 1, s->w_entry),
			  s->slow->at);
		x86_jmp(b, s->resume);
		return;
	case STUB_SIDE:
		x86_alu_ri(b, true, ALU_ADD, CNT, (int32_t)s->count);
		if (s->slot >= 0) {
			exit_to(t, s->target, (unsigned)s->slot);
		} else {
			x86_mov_imm(b, RAX, s->target);
			jump_lookup(t);
		}
		return;
	case STUB_EXIT:
		if (s->mapped)
			swap_regs(t, false);
		if (s->set_pc) {
			x86_mov_imm(b, RAX, t->blk->vpc);
			x86_store64(b, RBX, OFF_PC, RAX);
		}
		x86_mov_imm(b, RAX, s->count);
		x86_jmp(b, t->env->exit);
		return;
	case STUB_LOAD:
		stub_addr(b, s);
		/* the slow paths (and a trap's exit) have the usual map */
		swap_regs(t, false);
		x86_mov_imm(b, RDX, s->count);
		x86_mov_imm(b, RCX, s->pc);
		x86_call(b, t->env->slow_load);
		break;
	case STUB_STORE:
		stub_addr(b, s);
		get(t, RCX, s->in.rs2);
		swap_regs(t, false);
		x86_mov_imm(b, RDX, s->count);
		x86_mov_imm(b, RAX, s->pc);
		x86_call(b, t->env->slow_store);
		break;
	case STUB_OTHER:
		/* as emit_other, entered before or after the access's probe:
		 * nothing in rsi, rcx or rdx is used */
		swap_regs(t, false);
		call_other(t, host_of, &s->in, s->pc);
		break;
	}
	x86_test_rr(b, false, RAX, RAX);
	trap = x86_jcc(b, CC_NE, NULL);
	/* the helper wrote h->x[rd]; its host register, in the usual map */
	if (s->kind == STUB_LOAD && s->in.rd && host_of[s->in.rd])
		x86_load64(b, host_of[s->in.rd], RBX, OFF_X(s->in.rd));
	swap_regs(t, true);
	if (s->kind == STUB_STORE) {
		/*
		 * After a store to code the block runs on as translated (as
		 * the interpreter's does); the next entry, however chained,
		 * leaves for the dispatcher, which finds the new code: entries
		 * that skip irq_check still charge the countdown, which is
		 * set far below zero (the mark moved with it, so instret
		 * stays exact), where the give-back of a side exit cannot
		 * lift it.
		 */
		cmp_version(t);
		same = x86_jcc(b, CC_E, NULL);
		x86_mov_mi32(b, RBX, OFF_IRQ, 1);
		x86_alu_mr(b, true, ALU_SUB, RBX, OFF_MARK, CNT);
		x86_alu_mi(b, true, ALU_SUB, RBX, OFF_MARK, CNT_PARKED);
		x86_mov_imm(b, CNT, (uint64_t) - (int64_t)CNT_PARKED);
		x86_patch(same, here(t));
	}
	/*
	 * rcx no longer holds the last probe's index (tctx.probed): that of
	 * the hart's never_hit, whose tags no page has, so that the next
	 * reuse probes in full (STUB_REPROBE)
	 */
	x86_mov_imm(b, RCX, (uint64_t)(int64_t)(OFF_NEVER_HIT - t->env->dtlb));
	/* rsi went to the helper: give back what it held (tctx.rsi_holds) */
	if (s->rsi_holds)
		get(t, RSI, s->rsi_holds);
	if (s->kind == STUB_LOAD && s->rax_rd)
		x86_load64(b, RAX, RBX, OFF_X(s->in.rd));
	x86_jmp(b, s->resume);
	x86_patch(trap, here(t));
	x86_mov_imm(b, RAX, left);
	x86_jmp(b, t->env->exit);
}

/*
 * The block's map (tctx.map): the usual one, but that a guest register
 * kept in h->x takes the host register of one in the usual set when the
 * block names it at least env->swap_gain times more often (as rs1, rs2
 * or rd). Moving the two at the block's entry and at each exit costs four
 * memory accesses; each naming of a register kept in h->x costs one (a
 * load or a store, and on a chain of dependent instructions, a store
 * forwarding's delay). The kernel's leaf functions use t0-t6 most, 7-Zip
 * s0-s9, and the usual set serves calls (a0-a7).
 */
static void choose_map(struct tctx *t, const struct insn *ins, unsigned n)
{
	unsigned uses[32] = { 0 };

	memcpy(t->map, host_of, sizeof(t->map));
	memset(t->guest_in, 0, sizeof(t->guest_in));
	for (unsigned r = 1; r < 32; r++)
		if (host_of[r])
			t->guest_in[host_of[r]] = (uint8_t)r;
	t->swapped = false;
	for (unsigned i = 0; i < n; i++) {
		uses[ins[i].rs1]++;
		uses[ins[i].rs2]++;
		uses[ins[i].rd]++;
	}
	for (;;) {
		unsigned in = 0, out = 0;

		for (unsigned r = 1; r < 32; r++) {
			if (!host_of[r] && !t->map[r] &&
			    (!in || uses[r] > uses[in]))
				in = r;
			if (t->map[r] && t->map[r] == host_of[r] &&
			    (!out || uses[r] < uses[out]))
				out = r;
		}
		if (!in || !out || uses[in] < uses[out] + t->env->swap_gain)
			return;
		t->map[in] = host_of[out];
		t->map[out] = 0;
		t->guest_in[host_of[out]] = (uint8_t)in;
		t->swapped = true;
	}
}

/*
 * Entry: leave (status 0, nothing run) when the page was written since
 * translation or the dispatcher has work; else account the block. Chains
 * enter past the checks they need not make (translate.h).
 */
static void emit_entry(struct tctx *t)
{
	struct x86_buf *b = t->b;
	struct stub *idle = stub_new(t, STUB_EXIT);
	struct stub *s = stub_new(t, STUB_EXIT);

	idle->count = 0;
	idle->set_pc = true;
	cmp_version(t);
	stub_from(idle, x86_jcc(b, CC_NE, NULL));
	t->blk->code_checked = here(t);
	x86_alu_mi(b, false, ALU_CMP, RBX, OFF_IRQ, 0);
	stub_from(idle, x86_jcc(b, CC_NE, NULL));
	t->blk->code_forward = here(t);
	/*
	 * A block that would take the countdown below zero leaves unrun
	 * (its status gives the charge back), and the dispatcher, seeing the
	 * countdown at or below zero, polls the timers.
	 */
	s->count = t->blk->n;
	s->set_pc = true;
	x86_alu_ri(b, true, ALU_SUB, CNT, (int32_t)t->blk->n);
	stub_from(s, x86_jcc(b, CC_L, NULL));
}

bool translate_block(struct x86_buf *buf, struct jit_block *b,
		     const struct insn *ins, const struct translate_env *env)
{
	static __thread struct tctx t;
	bool ended = false;

	t.b = buf;
	t.env = env;
	t.blk = b;
	t.pc = b->vpc;
	t.idx = 0;
	t.nstubs = 0;
	t.too_many = false;
	t.probed.valid = false;
	t.rsi_holds = 0;
	t.ninner = 0;
	t.fwd_end = NULL;
	t.upper_dead = false;
	memset(b->exit_field, 0, sizeof(b->exit_field));
	t.nexits = 2; /* 0 and 1 for the end's exits */
	b->code = buf->p;
	b->keeps_version = true;
	t.mapped = false;
	choose_map(&t, ins, b->n);
	emit_entry(&t);
	swap_regs(&t, true);
	t.mapped = true;
	for (unsigned i = 0; i < b->n; i++) {
		const struct insn *in = &ins[i];

		t.idx = i;
		land_inner(&t);
		if (i == b->n - 1 && emit_ender(&t, in)) {
			ended = true;
			break;
		}
		if (insn_is_branch(in->op)) {
			int j = translate_branch_target(ins, b->n, b->vpc, i);

			if (j < 0)
				emit_side_exit(&t, in);
			else if ((unsigned)j > i + 1)
				emit_inner_branch(&t, in, (unsigned)j);
			t.pc += in->len;
			continue;
		}
		if (i + 1 < b->n && (emit_ext_pair(&t, in, &ins[i + 1]) ||
				     emit_index_pair(&t, in, &ins[i + 1]))) {
			t.pc += in->len + ins[i + 1].len;
			i++;
			continue;
		}
		t.upper_dead = i + 1 < b->n && w_result_dead(in, &ins[i + 1]);
		emit_insn(&t, in);
		t.upper_dead = false;
		t.pc += in->len;
	}
	if (!ended)
		exit_to(&t, t.pc, 1);
	b->inline_len = (uint32_t)(buf->p - b->code);
	for (unsigned i = 0; i < t.nstubs; i++)
		emit_stub(&t, &t.stubs[i]);
	if (x86_overflowed(buf) || t.too_many)
		return false;
	for (unsigned i = 0; i < t.nstubs; i++)
		if (env->window && t.stubs[i].access)
			env->site(env->site_ctx, t.stubs[i].access,
				  t.stubs[i].at);
	return true;
}
