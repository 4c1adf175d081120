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
#include "cpu/fpu.h"
#include "cpu/hart.h"
#include "util/log.h"

/* FENCE's fm/pred/succ bits (imm) for PAUSE: pred = W, succ = 0 */
#define FENCE_PAUSE 0x010
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

static uint64_t fault_cause(enum mmu_access acc, enum mmu_result r)
{
	static const uint64_t page[] = { EXC_LOAD_PAGE_FAULT,
					 EXC_STORE_PAGE_FAULT,
					 EXC_INSN_PAGE_FAULT };
	static const uint64_t access[] = { EXC_LOAD_ACCESS, EXC_STORE_ACCESS,
					   EXC_INSN_ACCESS };

	return r == MMU_PAGE_FAULT ? page[acc] : access[acc];
}

/* A translation for a data access of len bytes within one page. */
static int xlate_data(struct hart *h, uint64_t va, unsigned len,
		      enum mmu_access acc, uint64_t *pa)
{
	enum mmu_result r =
		mmu_translate(&h->mmu, va, len, acc, hart_data_priv(h),
			      (h->mstatus & MSTATUS_SUM) != 0, pa);

	if (r != MMU_OK) {
		hart_raise(h, fault_cause(acc, r), va);
		return -1;
	}
	return 0;
}

/*
 * Loads len bytes at va (any alignment). On a fault raises the trap at
 * h->pc (the caller has set it) and returns -1.
 */
static int load_slow(struct hart *h, uint64_t va, unsigned len, uint64_t *val)
{
	uint64_t off = va & (GUEST_PAGE_SIZE - 1);
	uint64_t pa, v = 0;

	if (off + len > GUEST_PAGE_SIZE) {
		/* translate both pages before touching either */
		unsigned first = (unsigned)(GUEST_PAGE_SIZE - off);
		uint64_t pa2, lo, hi;

		if (xlate_data(h, va, first, MMU_READ, &pa) ||
		    xlate_data(h, va + first, len - first, MMU_READ, &pa2))
			return -1;
		for (unsigned i = 0; i < len; i++) {
			uint64_t b;
			int err = i < first ? bus_read(h->bus, pa + i, 1, &b)
					    : bus_read(h->bus, pa2 + i - first,
						       1, &b);

			if (err) {
				hart_raise(h, EXC_LOAD_ACCESS, va + i);
				return -1;
			}
			v |= b << (8 * i);
		}
		(void)lo;
		(void)hi;
		*val = v;
		return 0;
	}
	if (xlate_data(h, va, len, MMU_READ, &pa))
		return -1;
	if ((pa & (len - 1)) == 0 || bus_is_ram(h->bus, pa, len)) {
		if (bus_read(h->bus, pa, len, val)) {
			hart_raise(h, EXC_LOAD_ACCESS, va);
			return -1;
		}
		return 0;
	}
	/* misaligned access to a device: the spec lets us raise an access fault */
	hart_raise(h, EXC_LOAD_ACCESS, va);
	return -1;
}

static int store_slow(struct hart *h, uint64_t va, unsigned len, uint64_t val)
{
	uint64_t off = va & (GUEST_PAGE_SIZE - 1);
	uint64_t pa;

	if (off + len > GUEST_PAGE_SIZE) {
		unsigned first = (unsigned)(GUEST_PAGE_SIZE - off);
		uint64_t pa2;

		if (xlate_data(h, va, first, MMU_WRITE, &pa) ||
		    xlate_data(h, va + first, len - first, MMU_WRITE, &pa2))
			return -1;
		for (unsigned i = 0; i < len; i++) {
			uint64_t a = i < first ? pa + i : pa2 + i - first;

			if (bus_write(h->bus, a, 1, (val >> (8 * i)) & 0xff)) {
				hart_raise(h, EXC_STORE_ACCESS, va + i);
				return -1;
			}
		}
		return 0;
	}
	if (xlate_data(h, va, len, MMU_WRITE, &pa))
		return -1;
	if (((pa & (len - 1)) != 0 && !bus_is_ram(h->bus, pa, len)) ||
	    bus_write(h->bus, pa, len, val)) {
		hart_raise(h, EXC_STORE_ACCESS, va);
		return -1;
	}
	return 0;
}

static inline bool tlb_hit(const struct tlb_entry *e, uint64_t va, unsigned len)
{
	return e->tag == (va >> GUEST_PAGE_SHIFT) &&
	       (va & (GUEST_PAGE_SIZE - 1)) <= GUEST_PAGE_SIZE - len;
}

static inline int load(struct hart *h, uint64_t va, unsigned len, uint64_t *val)
{
	const struct tlb_entry *e =
		&h->dtlb[MMU_READ][(va >> GUEST_PAGE_SHIFT) & (TLB_SIZE - 1)];

	if (__builtin_expect(tlb_hit(e, va, len), 1)) {
		const void *p = (const void *)(e->addend + va);

		switch (len) {
		case 1: *val = *(const uint8_t *)p; break;
		case 2: {
			uint16_t t;
			memcpy(&t, p, 2);
			*val = t;
			break;
		}
		case 4: {
			uint32_t t;
			memcpy(&t, p, 4);
			*val = t;
			break;
		}
		default: memcpy(val, p, 8); break;
		}
		return 0;
	}
	return load_slow(h, va, len, val);
}

static inline int store(struct hart *h, uint64_t va, unsigned len, uint64_t val)
{
	const struct tlb_entry *e =
		&h->dtlb[MMU_WRITE][(va >> GUEST_PAGE_SHIFT) & (TLB_SIZE - 1)];

	if (__builtin_expect(tlb_hit(e, va, len), 1)) {
		uint8_t *p = (uint8_t *)(e->addend + va);
		struct bus *bus = h->bus;
		uint64_t pg = (uint64_t)(p - bus->ram) >> GUEST_PAGE_SHIFT;

		memcpy(p, &val, len);
		if (__builtin_expect(atomic_load_explicit(&bus->page_flags[pg],
							  memory_order_relaxed),
				     0))
			bus_notify_write(
				bus, bus->ram_base + (uint64_t)(p - bus->ram),
				len);
		return 0;
	}
	return store_slow(h, va, len, val);
}

/*
 * Host address for an aligned atomic access of len bytes, translated for
 * writing (AMOs and SC need write permission, and LR is done the same
 * way for simplicity of the reservation). NULL after raising the trap.
 */
static void *amo_ptr(struct hart *h, uint64_t va, unsigned len,
		     enum mmu_access acc, uint64_t *pa_out)
{
	uint64_t pa;
	void *p;

	if (va & (len - 1)) {
		hart_raise(h,
			   acc == MMU_READ ? EXC_LOAD_MISALIGNED
					   : EXC_STORE_MISALIGNED,
			   va);
		return NULL;
	}
	if (xlate_data(h, va, len, acc, &pa))
		return NULL;
	p = bus_ram_ptr(h->bus, pa, len);
	if (!p) {
		/* atomics on devices are not supported: access fault */
		hart_raise(h,
			   acc == MMU_READ ? EXC_LOAD_ACCESS : EXC_STORE_ACCESS,
			   va);
		return NULL;
	}
	if (pa_out)
		*pa_out = pa;
	return p;
}

/* Runs after an atomic store to RAM through amo_ptr. */
static void amo_notify(struct hart *h, void *p, unsigned len)
{
	struct bus *bus = h->bus;
	uint64_t off = (uint64_t)((uint8_t *)p - bus->ram);

	if (atomic_load_explicit(&bus->page_flags[off >> GUEST_PAGE_SHIFT],
				 memory_order_relaxed))
		bus_notify_write(bus, bus->ram_base + off, len);
}

static int exec_amo(struct hart *h, const struct insn *in)
{
	uint64_t va = h->x[in->rs1];
	uint64_t src = h->x[in->rs2];
	bool word = in->op <= OP_AMOMAXU_W;
	unsigned len = word ? 4 : 8;
	enum insn_op op = in->op;
	uint64_t pa, old;
	void *p;

	if (op == OP_LR_W || op == OP_LR_D) {
		p = amo_ptr(h, va, len, MMU_READ, &pa);
		if (!p)
			return -1;
		old = word ? (uint64_t)(int64_t)(int32_t)__atomic_load_n(
				     (uint32_t *)p, __ATOMIC_SEQ_CST)
			   : __atomic_load_n((uint64_t *)p, __ATOMIC_SEQ_CST);
		h->resv_valid = true;
		h->resv_addr = pa;
		h->resv_len = len;
		h->resv_value = word ? (uint32_t)old : old;
		if (in->rd)
			h->x[in->rd] = old;
		return 0;
	}
	if (op == OP_SC_W || op == OP_SC_D) {
		bool ok = false;

		/* alignment and permission are checked whether or not the
		 * reservation holds, as a store would be (Spike does the same) */
		p = amo_ptr(h, va, len, MMU_WRITE, &pa);
		if (!p)
			return -1;
		/*
		 * The reservation holds while the reserved word still has the
		 * value LR read: the store is a compare-and-swap against it,
		 * so a store by another hart in between makes SC fail (a store
		 * of the very same value goes unnoticed, which RVWMO allows:
		 * the LR/SC pair still behaves atomically).
		 */
		if (h->resv_valid && pa == h->resv_addr && len == h->resv_len) {
			if (word) {
				uint32_t expect = (uint32_t)h->resv_value;

				ok = __atomic_compare_exchange_n(
					(uint32_t *)p, &expect, (uint32_t)src,
					false, __ATOMIC_SEQ_CST,
					__ATOMIC_SEQ_CST);
			} else {
				uint64_t expect = h->resv_value;

				ok = __atomic_compare_exchange_n(
					(uint64_t *)p, &expect, src, false,
					__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
			}
			if (ok)
				amo_notify(h, p, len);
		}
		h->resv_valid = false;
		if (in->rd)
			h->x[in->rd] = ok ? 0 : 1;
		return 0;
	}
	p = amo_ptr(h, va, len, MMU_WRITE, NULL);
	if (!p)
		return -1;
	if (word) {
		uint32_t *w = p, o = __atomic_load_n(w, __ATOMIC_RELAXED), n;
		uint32_t s = (uint32_t)src;

		do {
			switch (op) {
			case OP_AMOSWAP_W: n = s; break;
			case OP_AMOADD_W: n = o + s; break;
			case OP_AMOXOR_W: n = o ^ s; break;
			case OP_AMOAND_W: n = o & s; break;
			case OP_AMOOR_W: n = o | s; break;
			case OP_AMOMIN_W:
				n = (int32_t)o < (int32_t)s ? o : s;
				break;
			case OP_AMOMAX_W:
				n = (int32_t)o > (int32_t)s ? o : s;
				break;
			case OP_AMOMINU_W: n = o < s ? o : s; break;
			default: n = o > s ? o : s; break;
			}
		} while (!__atomic_compare_exchange_n(
			w, &o, n, true, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
		old = (uint64_t)(int64_t)(int32_t)o;
	} else {
		uint64_t *d = p, o = __atomic_load_n(d, __ATOMIC_RELAXED), n;

		do {
			switch (op) {
			case OP_AMOSWAP_D: n = src; break;
			case OP_AMOADD_D: n = o + src; break;
			case OP_AMOXOR_D: n = o ^ src; break;
			case OP_AMOAND_D: n = o & src; break;
			case OP_AMOOR_D: n = o | src; break;
			case OP_AMOMIN_D:
				n = (int64_t)o < (int64_t)src ? o : src;
				break;
			case OP_AMOMAX_D:
				n = (int64_t)o > (int64_t)src ? o : src;
				break;
			case OP_AMOMINU_D: n = o < src ? o : src; break;
			default: n = o > src ? o : src; break;
			}
		} while (!__atomic_compare_exchange_n(
			d, &o, n, true, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
		old = o;
	}
	amo_notify(h, p, len);
	if (in->rd)
		h->x[in->rd] = old;
	return 0;
}

/* --- system instructions ------------------------------------------------ */

static void illegal(struct hart *h, const struct insn *in)
{
	hart_raise(h, EXC_ILLEGAL_INSN, in->raw);
}

static int exec_csr(struct hart *h, const struct insn *in)
{
	enum csr_op op;
	uint64_t operand, old;
	bool write = true;

	switch (in->op) {
	case OP_CSRRW:
	case OP_CSRRWI: op = CSR_OP_WRITE; break;
	case OP_CSRRS:
	case OP_CSRRSI:
		op = CSR_OP_SET;
		write = in->rs1 != 0;
		break;
	default:
		op = CSR_OP_CLEAR;
		write = in->rs1 != 0;
		break;
	}
	operand = in->op >= OP_CSRRWI ? in->rs1 : h->x[in->rs1];
	if (csr_access(h, (unsigned)in->imm & 0xfff, op, operand, write,
		       &old)) {
		illegal(h, in);
		return -1;
	}
	if (in->rd)
		h->x[in->rd] = old;
	return 0;
}

static int exec_mret(struct hart *h, const struct insn *in)
{
	uint64_t s = h->mstatus;
	unsigned mpp;

	if (h->priv != PRV_M) {
		illegal(h, in);
		return -1;
	}
	mpp = (s & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
	s = (s & ~MSTATUS_MIE) | ((s & MSTATUS_MPIE) ? MSTATUS_MIE : 0);
	s |= MSTATUS_MPIE;
	s &= ~MSTATUS_MPP; /* MPP = U, the least privileged mode */
	if (mpp != PRV_M)
		s &= ~MSTATUS_MPRV;
	h->mstatus = s;
	h->priv = mpp;
	h->pc = h->mepc;
	hart_update_mmu_ctx(h);
	/* the new privilege may enable a pending interrupt */
	atomic_store_explicit(&h->irq_check, 1, memory_order_relaxed);
	return 0;
}

static int exec_sret(struct hart *h, const struct insn *in)
{
	uint64_t s = h->mstatus;

	if (h->priv < PRV_S || (h->priv == PRV_S && (s & MSTATUS_TSR))) {
		illegal(h, in);
		return -1;
	}
	h->priv = (s & MSTATUS_SPP) ? PRV_S : PRV_U;
	s = (s & ~MSTATUS_SIE) | ((s & MSTATUS_SPIE) ? MSTATUS_SIE : 0);
	s |= MSTATUS_SPIE;
	s &= ~MSTATUS_SPP;
	s &= ~MSTATUS_MPRV;
	h->mstatus = s;
	h->pc = h->sepc;
	hart_update_mmu_ctx(h);
	atomic_store_explicit(&h->irq_check, 1, memory_order_relaxed);
	return 0;
}

/*
 * Executes the last instruction of a block when it is a system one.
 * Returns 0 when it retired (pc updated), -1 when it trapped.
 */
static int exec_system(struct hart *h, struct engine_state *es,
		       const struct insn *in)
{
	uint64_t next = h->pc + in->len;

	switch (in->op) {
	case OP_ECALL:
		hart_raise(h,
			   h->priv == PRV_U   ? EXC_ECALL_U
			   : h->priv == PRV_S ? EXC_ECALL_S
					      : EXC_ECALL_M,
			   0);
		return -1;
	case OP_EBREAK: hart_raise(h, EXC_BREAKPOINT, h->pc); return -1;
	case OP_MRET: return exec_mret(h, in);
	case OP_SRET: return exec_sret(h, in);
	case OP_WFI:
		if (h->priv == PRV_U ||
		    (h->priv == PRV_S && (h->mstatus & MSTATUS_TW))) {
			illegal(h, in);
			return -1;
		}
		h->pc = next;
		if (!hart_pending_interrupts(h))
			hart_wait_for_interrupt(h);
		return 0;
	case OP_SFENCE_VMA:
		if (h->priv == PRV_U ||
		    (h->priv == PRV_S && (h->mstatus & MSTATUS_TVM))) {
			illegal(h, in);
			return -1;
		}
		/* with rs1 = x0 every translation goes, else one page's */
		if (in->rs1)
			mmu_flush_page(&h->mmu, h->x[in->rs1]);
		else
			mmu_flush(&h->mmu);
		h->pc = next;
		return 0;
	case OP_FENCE:
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		/*
		 * PAUSE (Zihintpause: FENCE with pred = W, succ = 0) is what
		 * Linux's cpu_relax() executes in spin-wait loops. With more
		 * vCPUs than host cores the hart being waited for may need
		 * this host core: give it up.
		 */
		if ((in->imm & 0xfff) == FENCE_PAUSE && h->platform->nharts > 1)
			sched_yield();
		h->pc = next;
		return 0;
	case OP_FENCE_I:
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		/*
		 * Stores into decoded code bump the page version, so one hart
		 * never runs its own stale code. Another hart's store can slip
		 * past that check while this hart decodes the page (the store
		 * sits in the host's store buffer), so with several harts
		 * FENCE.I, which the guest issues after such a store is
		 * published (Linux: remote fence.i through SBI), drops this
		 * hart's decoded blocks.
		 */
		if (h->platform->nharts > 1)
			cache_flush(es);
		h->pc = next;
		return 0;
	default:
		if (exec_csr(h, in))
			return -1;
		h->pc = next;
		/* a CSR write may have enabled a pending interrupt */
		atomic_store_explicit(&h->irq_check, 1, memory_order_relaxed);
		return 0;
	}
}

/* --- blocks -------------------------------------------------------------- */

static int fetch_xlate(struct hart *h, uint64_t va, uint64_t *pa)
{
	enum mmu_result r =
		mmu_translate(&h->mmu, va, 2, MMU_EXEC, h->priv, false, pa);

	if (r != MMU_OK) {
		hart_raise(h, fault_cause(MMU_EXEC, r), va);
		return -1;
	}
	if (!bus_is_ram(h->bus, *pa, 2)) {
		hart_raise(h, EXC_INSN_ACCESS, va);
		return -1;
	}
	return 0;
}

static uint16_t ram_u16(struct bus *bus, uint64_t pa)
{
	uint16_t v;

	memcpy(&v, bus_ram_ptr(bus, pa, 2), 2);
	return v;
}

/* Ops whose only effect is writing rd: with rd = x0 they do nothing. */
static bool op_only_writes_rd(enum insn_op op)
{
	return op == OP_LUI || op == OP_AUIPC ||
	       (op >= OP_ADDI && op <= OP_SRAW) ||
	       (op >= OP_MUL && op <= OP_REMUW) ||
	       (op >= OP_ADD_UW && op <= OP_CZERO_NEZ);
}

static void set_insn(struct engine_state *es, struct xinsn *x, uint32_t raw,
		     uint32_t off)
{
	decode(raw, &x->in);
	x->off = off;
	if (x->in.rd == 0 && op_only_writes_rd(x->in.op))
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

		if (fetch_xlate(h, pc + 2, &pa2))
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
		if (fetch_xlate(h, pc, &pa))
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

static inline uint64_t sext32(uint64_t v)
{
	return (uint64_t)(int64_t)(int32_t)v;
}

static inline uint64_t mulhu64(uint64_t a, uint64_t b)
{
	return (uint64_t)(((unsigned __int128)a * b) >> 64);
}

static inline uint64_t mulh64(int64_t a, int64_t b)
{
	return (uint64_t)(((__int128)a * b) >> 64);
}

static inline uint64_t mulhsu64(int64_t a, uint64_t b)
{
	return (uint64_t)(((__int128)a * (__int128)(unsigned __int128)b) >> 64);
}

static inline uint64_t rol64(uint64_t v, unsigned s)
{
	s &= 63;
	return s ? (v << s) | (v >> (64 - s)) : v;
}

static inline uint32_t rol32(uint32_t v, unsigned s)
{
	s &= 31;
	return s ? (v << s) | (v >> (32 - s)) : v;
}

static inline uint64_t orc_b(uint64_t v)
{
	uint64_t r = 0;

	for (int i = 0; i < 8; i++)
		if ((v >> (8 * i)) & 0xff)
			r |= 0xffull << (8 * i);
	return r;
}

static inline uint64_t div64(uint64_t a, uint64_t b)
{
	if (b == 0)
		return ~0ull;
	if ((int64_t)a == INT64_MIN && (int64_t)b == -1)
		return a;
	return (uint64_t)((int64_t)a / (int64_t)b);
}

static inline uint64_t rem64(uint64_t a, uint64_t b)
{
	if (b == 0)
		return a;
	if ((int64_t)a == INT64_MIN && (int64_t)b == -1)
		return 0;
	return (uint64_t)((int64_t)a % (int64_t)b);
}

static inline uint64_t divw(uint64_t a64, uint64_t b64)
{
	int32_t a = (int32_t)a64, b = (int32_t)b64;

	if (b == 0)
		return ~0ull;
	if (a == INT32_MIN && b == -1)
		return sext32((uint32_t)a);
	return (uint64_t)(int64_t)(a / b);
}

static inline uint64_t remw(uint64_t a64, uint64_t b64)
{
	int32_t a = (int32_t)a64, b = (int32_t)b64;

	if (b == 0)
		return sext32((uint32_t)a);
	if (a == INT32_MIN && b == -1)
		return 0;
	return (uint64_t)(int64_t)(a % b);
}

static int exec_fp_mem(struct hart *h, const struct insn *in)
{
	uint64_t va = h->x[in->rs1] + (int64_t)in->imm;
	uint64_t v;

	if (hart_fs_off(h)) {
		illegal(h, in);
		return -1;
	}
	switch (in->op) {
	case OP_FLW:
		if (load(h, va, 4, &v))
			return -1;
		h->f[in->rd] = fpu_box32((uint32_t)v);
		hart_fs_dirty(h);
		return 0;
	case OP_FLD:
		if (load(h, va, 8, &v))
			return -1;
		h->f[in->rd] = v;
		hart_fs_dirty(h);
		return 0;
	case OP_FSW: return store(h, va, 4, (uint32_t)h->f[in->rs2]);
	default: return store(h, va, 8, h->f[in->rs2]);
	}
}

/*
 * Instructions that are neither on the hot path nor block enders: AMOs,
 * FP loads/stores and FP arithmetic. Return 0, or -1 after raising a trap.
 */
static int exec_other(struct hart *h, const struct insn *in)
{
	if (in->op >= OP_LR_W && in->op <= OP_AMOMAXU_D)
		return exec_amo(h, in);
	if (in->op == OP_FLW || in->op == OP_FSW || in->op == OP_FLD ||
	    in->op == OP_FSD)
		return exec_fp_mem(h, in);
	if (fpu_exec(h, in)) {
		illegal(h, in);
		return -1;
	}
	return 0;
}

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
#define LOAD(name, len, type)                                             \
	do_##name : va = RS1 + (uint64_t)IMM;                             \
	{                                                                 \
		const struct tlb_entry *e =                               \
			&rtlb[(va >> GUEST_PAGE_SHIFT) & (TLB_SIZE - 1)]; \
		if (__builtin_expect(tlb_hit(e, va, len), 1)) {           \
			type t;                                           \
			memcpy(&t, (const void *)(e->addend + va), len);  \
			v = (uint64_t)(int64_t)t;                         \
		} else {                                                  \
			h->pc = PC();                                     \
			if (load_slow(h, va, len, &v))                    \
				goto trap;                                \
			v = (uint64_t)(int64_t)(type)v;                   \
		}                                                         \
	}                                                                 \
	RD = v;                                                           \
	x[0] = 0;                                                         \
	NEXT();
#define STORE(name, len)                                                   \
	do_##name : va = RS1 + (uint64_t)IMM;                              \
	{                                                                  \
		const struct tlb_entry *e =                                \
			&wtlb[(va >> GUEST_PAGE_SHIFT) & (TLB_SIZE - 1)];  \
		if (__builtin_expect(tlb_hit(e, va, len), 1)) {            \
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
			if (store_slow(h, va, len, RS2))                   \
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
	ALU(ADDIW, sext32(RS1 + (uint64_t)IMM))
	ALU(SLLIW, sext32((uint32_t)RS1 << (IMM & 31)))
	ALU(SRLIW, sext32((uint32_t)RS1 >> (IMM & 31)))
	ALU(SRAIW, (uint64_t)(int64_t)((int32_t)RS1 >> (IMM & 31)))
	ALU(ADDW, sext32(RS1 + RS2))
	ALU(SUBW, sext32(RS1 - RS2))
	ALU(SLLW, sext32((uint32_t)RS1 << (RS2 & 31)))
	ALU(SRLW, sext32((uint32_t)RS1 >> (RS2 & 31)))
	ALU(SRAW, (uint64_t)(int64_t)((int32_t)RS1 >> (RS2 & 31)))

	ALU(MUL, RS1 * RS2)
	ALU(MULH, mulh64((int64_t)RS1, (int64_t)RS2))
	ALU(MULHSU, mulhsu64((int64_t)RS1, RS2))
	ALU(MULHU, mulhu64(RS1, RS2))
	ALU(DIV, div64(RS1, RS2))
	ALU(DIVU, RS2 ? RS1 / RS2 : ~0ull)
	ALU(REM, rem64(RS1, RS2))
	ALU(REMU, RS2 ? RS1 % RS2 : RS1)
	ALU(MULW, sext32(RS1 * RS2))
	ALU(DIVW, divw(RS1, RS2))
	ALU(DIVUW,
	    (uint32_t)RS2 ? sext32((uint32_t)RS1 / (uint32_t)RS2) : ~0ull)
	ALU(REMW, remw(RS1, RS2))
	ALU(REMUW,
	    (uint32_t)RS2 ? sext32((uint32_t)RS1 % (uint32_t)RS2) : sext32(RS1))

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
	ALU(ROL, rol64(RS1, (unsigned)RS2))
	ALU(ROLW, sext32(rol32((uint32_t)RS1, (unsigned)RS2)))
	ALU(ROR, rol64(RS1, (unsigned)(64 - (RS2 & 63))))
	ALU(RORI, rol64(RS1, (unsigned)(64 - (IMM & 63))))
	ALU(RORIW, sext32(rol32((uint32_t)RS1, (unsigned)(32 - (IMM & 31)))))
	ALU(RORW, sext32(rol32((uint32_t)RS1, (unsigned)(32 - (RS2 & 31)))))
	ALU(ORC_B, orc_b(RS1))
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
	if (exec_system(h, es, &ip->in) == 0)
		h->instret++;
	x[0] = 0;
	goto next_block;

do_ILLEGAL:
	h->pc = PC();
	illegal(h, &ip->in);
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
