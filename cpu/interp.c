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
#include <stdlib.h>
#include <string.h>

#include "cpu/decode.h"
#include "cpu/engine.h"
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

struct block {
	uint64_t gpa;
	uint64_t page;	 /* bus page index of gpa */
	uint32_t version; /* page_version[page] when decoded */
	uint32_t n;
	struct block *hash_next;
	struct insn insn[];
};

struct jc_entry {
	uint64_t vpc;
	uintptr_t priv;
	struct block *block;
};

struct engine_state {
	struct jc_entry jc[JC_SIZE];
	struct block *hash[HASH_SIZE];
	uint8_t *arena;
	size_t arena_used;
	/* a block that cannot be cached (it straddles pages or PMP regions) */
	struct block *scratch;
};

static void jc_flush(struct engine_state *es)
{
	memset(es->jc, 0, sizeof(es->jc));
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
	es->arena = malloc(ARENA_SIZE);
	es->scratch = malloc(sizeof(struct block) + sizeof(struct insn));
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
	enum mmu_result r = mmu_translate(&h->mmu, va, len, acc,
					  hart_data_priv(h),
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
static int load_slow(struct hart *h, uint64_t va, unsigned len,
		     uint64_t *val)
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

static inline bool tlb_hit(const struct tlb_entry *e, uint64_t va,
			   unsigned len)
{
	return e->tag == (va >> GUEST_PAGE_SHIFT) &&
	       (va & (GUEST_PAGE_SIZE - 1)) <= GUEST_PAGE_SIZE - len;
}

static inline int load(struct hart *h, uint64_t va, unsigned len,
		       uint64_t *val)
{
	const struct tlb_entry *e =
		&h->dtlb[MMU_READ][(va >> GUEST_PAGE_SHIFT) & (TLB_SIZE - 1)];

	if (__builtin_expect(tlb_hit(e, va, len), 1)) {
		const void *p = (const void *)(e->addend + va);

		switch (len) {
		case 1: *val = *(const uint8_t *)p; break;
		case 2: { uint16_t t; memcpy(&t, p, 2); *val = t; break; }
		case 4: { uint32_t t; memcpy(&t, p, 4); *val = t; break; }
		default: memcpy(val, p, 8); break;
		}
		return 0;
	}
	return load_slow(h, va, len, val);
}

static inline int store(struct hart *h, uint64_t va, unsigned len,
			uint64_t val)
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
			bus_notify_write(bus, bus->ram_base + (uint64_t)(p - bus->ram),
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
		hart_raise(h, acc == MMU_READ ? EXC_LOAD_MISALIGNED
					      : EXC_STORE_MISALIGNED,
			   va);
		return NULL;
	}
	if (xlate_data(h, va, len, acc, &pa))
		return NULL;
	p = bus_ram_ptr(h->bus, pa, len);
	if (!p) {
		/* atomics on devices are not supported: access fault */
		hart_raise(h, acc == MMU_READ ? EXC_LOAD_ACCESS
					      : EXC_STORE_ACCESS,
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
		if (h->resv_valid) {
			if (pa == h->resv_addr) {
				if (word)
					__atomic_store_n((uint32_t *)p,
							 (uint32_t)src,
							 __ATOMIC_SEQ_CST);
				else
					__atomic_store_n((uint64_t *)p, src,
							 __ATOMIC_SEQ_CST);
				amo_notify(h, p, len);
				ok = true;
			}
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
			case OP_AMOMIN_W: n = (int32_t)o < (int32_t)s ? o : s; break;
			case OP_AMOMAX_W: n = (int32_t)o > (int32_t)s ? o : s; break;
			case OP_AMOMINU_W: n = o < s ? o : s; break;
			default: n = o > s ? o : s; break;
			}
		} while (!__atomic_compare_exchange_n(w, &o, n, true,
						      __ATOMIC_SEQ_CST,
						      __ATOMIC_RELAXED));
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
			case OP_AMOMIN_D: n = (int64_t)o < (int64_t)src ? o : src; break;
			case OP_AMOMAX_D: n = (int64_t)o > (int64_t)src ? o : src; break;
			case OP_AMOMINU_D: n = o < src ? o : src; break;
			default: n = o > src ? o : src; break;
			}
		} while (!__atomic_compare_exchange_n(d, &o, n, true,
						      __ATOMIC_SEQ_CST,
						      __ATOMIC_RELAXED));
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
	case OP_CSRRWI:
		op = CSR_OP_WRITE;
		break;
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

	if (h->priv < PRV_S ||
	    (h->priv == PRV_S && (s & MSTATUS_TSR))) {
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

static bool csr_changes_fetch(unsigned csr)
{
	return csr == CSR_SATP || (csr >= CSR_PMPCFG0 && csr <= CSR_PMPADDR63);
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
		hart_raise(h, h->priv == PRV_U	 ? EXC_ECALL_U
			      : h->priv == PRV_S ? EXC_ECALL_S
						 : EXC_ECALL_M,
			   0);
		return -1;
	case OP_EBREAK:
		hart_raise(h, EXC_BREAKPOINT, h->pc);
		return -1;
	case OP_MRET:
		return exec_mret(h, in);
	case OP_SRET:
		return exec_sret(h, in);
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
		mmu_flush(&h->mmu);
		jc_flush(es);
		h->pc = next;
		return 0;
	case OP_FENCE:
	case OP_FENCE_I:
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		h->pc = next;
		return 0;
	default:
		if (exec_csr(h, in))
			return -1;
		h->pc = next;
		/* the jump cache skips fetch translation: drop it when the
		 * translation or PMP may have changed */
		if (csr_changes_fetch((unsigned)in->imm & 0xfff))
			jc_flush(es);
		/* a CSR write may have enabled a pending interrupt */
		atomic_store_explicit(&h->irq_check, 1, memory_order_relaxed);
		return 0;
	}
}

/* --- blocks -------------------------------------------------------------- */

static int fetch_xlate(struct hart *h, uint64_t va, uint64_t *pa)
{
	enum mmu_result r = mmu_translate(&h->mmu, va, 2, MMU_EXEC, h->priv,
					  false, pa);

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
	b->page = bus_page_index(h->bus, pa);
	b->version = 0;
	b->n = 1;
	b->hash_next = NULL;
	decode(raw, &b->insn[0]);
	return b;
}

static struct block *build_block(struct hart *h, struct engine_state *es,
				 uint64_t pa)
{
	struct bus *bus = h->bus;
	uint64_t page = bus_page_index(bus, pa);
	uint64_t page_end = (pa | (GUEST_PAGE_SIZE - 1)) + 1;
	size_t max = sizeof(struct block) + BLOCK_MAX_INSNS * sizeof(struct insn);
	struct block *b;
	uint64_t a = pa;

	if (es->arena_used + max > ARENA_SIZE)
		cache_flush(es);
	b = (struct block *)(es->arena + es->arena_used);
	/* mark first: a store from now on bumps the version we record */
	bus_mark_code(bus, pa);
	b->gpa = pa;
	b->page = page;
	b->version = atomic_load(&bus->page_version[page]);
	b->n = 0;
	while (b->n < BLOCK_MAX_INSNS && a + 2 <= page_end) {
		uint32_t raw = ram_u16(bus, a);
		struct insn *in = &b->insn[b->n];

		if (!insn_is_compressed(raw)) {
			if (a + 4 > page_end)
				break;
			raw |= (uint32_t)ram_u16(bus, a + 2) << 16;
		}
		decode(raw, in);
		b->n++;
		a += in->len;
		if (insn_ends_block(in->op))
			break;
	}
	if (b->n == 0)
		return NULL; /* a 32-bit instruction straddles the page end */
	es->arena_used += sizeof(struct block) + b->n * sizeof(struct insn);
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
	const struct tlb_entry *t;
	struct block *b;
	uint64_t pa;

	if (__builtin_expect(e->vpc == pc && e->priv == h->priv && e->block &&
				     block_valid(h->bus, e->block),
			     1))
		return e->block;

	t = &h->itlb[(pc >> GUEST_PAGE_SHIFT) & (TLB_SIZE - 1)];
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
	for (b = es->hash[(pa >> 1) & (HASH_SIZE - 1)]; b; b = b->hash_next)
		if (b->gpa == pa && block_valid(h->bus, b))
			break;
	if (!b) {
		b = build_block(h, es, pa);
		if (!b)
			return scratch_block(h, es, pc, pa);
	}
	e->vpc = pc;
	e->priv = h->priv;
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
	case OP_FSW:
		return store(h, va, 4, (uint32_t)h->f[in->rs2]);
	default:
		return store(h, va, 8, h->f[in->rs2]);
	}
}

/*
 * Runs block b from its start. h->pc is the block's first pc. Returns
 * when the block is done or an instruction trapped (h->pc then already
 * points at the trap handler).
 */
static void exec_block(struct hart *h, struct engine_state *es,
		       const struct block *b)
{
	uint64_t *x = h->x;
	uint64_t pc = h->pc;
	uint32_t i;

	for (i = 0; i < b->n; i++) {
		const struct insn *in = &b->insn[i];
		uint64_t rs1 = x[in->rs1], rs2 = x[in->rs2];
		int64_t imm = in->imm;
		uint64_t v;
		unsigned rd = in->rd;

		switch ((enum insn_op)in->op) {
		case OP_LUI: x[rd] = (uint64_t)imm; break;
		case OP_AUIPC: x[rd] = pc + (uint64_t)imm; break;
		case OP_JAL:
			x[rd] = pc + in->len;
			pc += (uint64_t)imm;
			goto jump;
		case OP_JALR:
			v = (rs1 + (uint64_t)imm) & ~1ull;
			x[rd] = pc + in->len;
			pc = v;
			goto jump;
#define BRANCH(cond)                                    \
	if (cond) {                                     \
		pc += (uint64_t)imm;                    \
		goto jump;                              \
	}                                               \
	break
		case OP_BEQ: BRANCH(rs1 == rs2);
		case OP_BNE: BRANCH(rs1 != rs2);
		case OP_BLT: BRANCH((int64_t)rs1 < (int64_t)rs2);
		case OP_BGE: BRANCH((int64_t)rs1 >= (int64_t)rs2);
		case OP_BLTU: BRANCH(rs1 < rs2);
		case OP_BGEU: BRANCH(rs1 >= rs2);
#undef BRANCH
#define LOAD(len, ext)                                          \
	h->pc = pc;                                             \
	if (load(h, rs1 + (uint64_t)imm, len, &v))              \
		goto trap;                                      \
	x[rd] = ext;                                            \
	break
		case OP_LB: LOAD(1, (uint64_t)(int64_t)(int8_t)v);
		case OP_LH: LOAD(2, (uint64_t)(int64_t)(int16_t)v);
		case OP_LW: LOAD(4, sext32(v));
		case OP_LD: LOAD(8, v);
		case OP_LBU: LOAD(1, v);
		case OP_LHU: LOAD(2, v);
		case OP_LWU: LOAD(4, v);
#undef LOAD
#define STORE(len)                                              \
	h->pc = pc;                                             \
	if (store(h, rs1 + (uint64_t)imm, len, rs2))            \
		goto trap;                                      \
	break
		case OP_SB: STORE(1);
		case OP_SH: STORE(2);
		case OP_SW: STORE(4);
		case OP_SD: STORE(8);
#undef STORE
		case OP_ADDI: x[rd] = rs1 + (uint64_t)imm; break;
		case OP_SLTI: x[rd] = (int64_t)rs1 < imm; break;
		case OP_SLTIU: x[rd] = rs1 < (uint64_t)imm; break;
		case OP_XORI: x[rd] = rs1 ^ (uint64_t)imm; break;
		case OP_ORI: x[rd] = rs1 | (uint64_t)imm; break;
		case OP_ANDI: x[rd] = rs1 & (uint64_t)imm; break;
		case OP_SLLI: x[rd] = rs1 << (imm & 63); break;
		case OP_SRLI: x[rd] = rs1 >> (imm & 63); break;
		case OP_SRAI: x[rd] = (uint64_t)((int64_t)rs1 >> (imm & 63)); break;
		case OP_ADD: x[rd] = rs1 + rs2; break;
		case OP_SUB: x[rd] = rs1 - rs2; break;
		case OP_SLL: x[rd] = rs1 << (rs2 & 63); break;
		case OP_SLT: x[rd] = (int64_t)rs1 < (int64_t)rs2; break;
		case OP_SLTU: x[rd] = rs1 < rs2; break;
		case OP_XOR: x[rd] = rs1 ^ rs2; break;
		case OP_SRL: x[rd] = rs1 >> (rs2 & 63); break;
		case OP_SRA: x[rd] = (uint64_t)((int64_t)rs1 >> (rs2 & 63)); break;
		case OP_OR: x[rd] = rs1 | rs2; break;
		case OP_AND: x[rd] = rs1 & rs2; break;
		case OP_ADDIW: x[rd] = sext32(rs1 + (uint64_t)imm); break;
		case OP_SLLIW: x[rd] = sext32((uint32_t)rs1 << (imm & 31)); break;
		case OP_SRLIW: x[rd] = sext32((uint32_t)rs1 >> (imm & 31)); break;
		case OP_SRAIW:
			x[rd] = (uint64_t)(int64_t)((int32_t)rs1 >> (imm & 31));
			break;
		case OP_ADDW: x[rd] = sext32(rs1 + rs2); break;
		case OP_SUBW: x[rd] = sext32(rs1 - rs2); break;
		case OP_SLLW: x[rd] = sext32((uint32_t)rs1 << (rs2 & 31)); break;
		case OP_SRLW: x[rd] = sext32((uint32_t)rs1 >> (rs2 & 31)); break;
		case OP_SRAW:
			x[rd] = (uint64_t)(int64_t)((int32_t)rs1 >> (rs2 & 31));
			break;

		case OP_MUL: x[rd] = rs1 * rs2; break;
		case OP_MULH: x[rd] = mulh64((int64_t)rs1, (int64_t)rs2); break;
		case OP_MULHSU: x[rd] = mulhsu64((int64_t)rs1, rs2); break;
		case OP_MULHU: x[rd] = mulhu64(rs1, rs2); break;
		case OP_DIV:
			if (rs2 == 0)
				x[rd] = ~0ull;
			else if ((int64_t)rs1 == INT64_MIN && (int64_t)rs2 == -1)
				x[rd] = rs1;
			else
				x[rd] = (uint64_t)((int64_t)rs1 / (int64_t)rs2);
			break;
		case OP_DIVU: x[rd] = rs2 ? rs1 / rs2 : ~0ull; break;
		case OP_REM:
			if (rs2 == 0)
				x[rd] = rs1;
			else if ((int64_t)rs1 == INT64_MIN && (int64_t)rs2 == -1)
				x[rd] = 0;
			else
				x[rd] = (uint64_t)((int64_t)rs1 % (int64_t)rs2);
			break;
		case OP_REMU: x[rd] = rs2 ? rs1 % rs2 : rs1; break;
		case OP_MULW: x[rd] = sext32(rs1 * rs2); break;
		case OP_DIVW: {
			int32_t a = (int32_t)rs1, d = (int32_t)rs2;

			if (d == 0)
				x[rd] = ~0ull;
			else if (a == INT32_MIN && d == -1)
				x[rd] = sext32((uint32_t)a);
			else
				x[rd] = (uint64_t)(int64_t)(a / d);
			break;
		}
		case OP_DIVUW:
			x[rd] = (uint32_t)rs2 ? sext32((uint32_t)rs1 / (uint32_t)rs2)
					      : ~0ull;
			break;
		case OP_REMW: {
			int32_t a = (int32_t)rs1, d = (int32_t)rs2;

			if (d == 0)
				x[rd] = sext32((uint32_t)a);
			else if (a == INT32_MIN && d == -1)
				x[rd] = 0;
			else
				x[rd] = (uint64_t)(int64_t)(a % d);
			break;
		}
		case OP_REMUW:
			x[rd] = (uint32_t)rs2 ? sext32((uint32_t)rs1 % (uint32_t)rs2)
					      : sext32(rs1);
			break;

		case OP_LR_W ... OP_AMOMAXU_D:
			h->pc = pc;
			if (exec_amo(h, in))
				goto trap;
			break;

		case OP_FLW:
		case OP_FSW:
		case OP_FLD:
		case OP_FSD:
			h->pc = pc;
			if (exec_fp_mem(h, in))
				goto trap;
			break;
		case OP_FMADD_S ... OP_FCLASS_S:
		case OP_FMADD_D ... OP_FCLASS_D:
			if (fpu_exec(h, in)) {
				h->pc = pc;
				illegal(h, in);
				goto trap;
			}
			break;

		case OP_ADD_UW: x[rd] = (uint32_t)rs1 + rs2; break;
		case OP_SH1ADD: x[rd] = (rs1 << 1) + rs2; break;
		case OP_SH2ADD: x[rd] = (rs1 << 2) + rs2; break;
		case OP_SH3ADD: x[rd] = (rs1 << 3) + rs2; break;
		case OP_SH1ADD_UW: x[rd] = ((uint64_t)(uint32_t)rs1 << 1) + rs2; break;
		case OP_SH2ADD_UW: x[rd] = ((uint64_t)(uint32_t)rs1 << 2) + rs2; break;
		case OP_SH3ADD_UW: x[rd] = ((uint64_t)(uint32_t)rs1 << 3) + rs2; break;
		case OP_SLLI_UW: x[rd] = (uint64_t)(uint32_t)rs1 << (imm & 63); break;

		case OP_ANDN: x[rd] = rs1 & ~rs2; break;
		case OP_ORN: x[rd] = rs1 | ~rs2; break;
		case OP_XNOR: x[rd] = ~(rs1 ^ rs2); break;
		case OP_CLZ: x[rd] = rs1 ? (uint64_t)__builtin_clzll(rs1) : 64; break;
		case OP_CLZW:
			x[rd] = (uint32_t)rs1 ? (uint64_t)__builtin_clz((uint32_t)rs1) : 32;
			break;
		case OP_CTZ: x[rd] = rs1 ? (uint64_t)__builtin_ctzll(rs1) : 64; break;
		case OP_CTZW:
			x[rd] = (uint32_t)rs1 ? (uint64_t)__builtin_ctz((uint32_t)rs1) : 32;
			break;
		case OP_CPOP: x[rd] = (uint64_t)__builtin_popcountll(rs1); break;
		case OP_CPOPW: x[rd] = (uint64_t)__builtin_popcount((uint32_t)rs1); break;
		case OP_MAX: x[rd] = (int64_t)rs1 > (int64_t)rs2 ? rs1 : rs2; break;
		case OP_MAXU: x[rd] = rs1 > rs2 ? rs1 : rs2; break;
		case OP_MIN: x[rd] = (int64_t)rs1 < (int64_t)rs2 ? rs1 : rs2; break;
		case OP_MINU: x[rd] = rs1 < rs2 ? rs1 : rs2; break;
		case OP_SEXT_B: x[rd] = (uint64_t)(int64_t)(int8_t)rs1; break;
		case OP_SEXT_H: x[rd] = (uint64_t)(int64_t)(int16_t)rs1; break;
		case OP_ZEXT_H: x[rd] = (uint16_t)rs1; break;
		case OP_ROL: x[rd] = rol64(rs1, (unsigned)rs2); break;
		case OP_ROLW: x[rd] = sext32(rol32((uint32_t)rs1, (unsigned)rs2)); break;
		case OP_ROR: x[rd] = rol64(rs1, (unsigned)(64 - (rs2 & 63))); break;
		case OP_RORI: x[rd] = rol64(rs1, (unsigned)(64 - (imm & 63))); break;
		case OP_RORIW:
			x[rd] = sext32(rol32((uint32_t)rs1, (unsigned)(32 - (imm & 31))));
			break;
		case OP_RORW:
			x[rd] = sext32(rol32((uint32_t)rs1, (unsigned)(32 - (rs2 & 31))));
			break;
		case OP_ORC_B: x[rd] = orc_b(rs1); break;
		case OP_REV8: x[rd] = __builtin_bswap64(rs1); break;

		case OP_BCLR: x[rd] = rs1 & ~(1ull << (rs2 & 63)); break;
		case OP_BCLRI: x[rd] = rs1 & ~(1ull << (imm & 63)); break;
		case OP_BEXT: x[rd] = (rs1 >> (rs2 & 63)) & 1; break;
		case OP_BEXTI: x[rd] = (rs1 >> (imm & 63)) & 1; break;
		case OP_BINV: x[rd] = rs1 ^ (1ull << (rs2 & 63)); break;
		case OP_BINVI: x[rd] = rs1 ^ (1ull << (imm & 63)); break;
		case OP_BSET: x[rd] = rs1 | (1ull << (rs2 & 63)); break;
		case OP_BSETI: x[rd] = rs1 | (1ull << (imm & 63)); break;

		case OP_CZERO_EQZ: x[rd] = rs2 ? rs1 : 0; break;
		case OP_CZERO_NEZ: x[rd] = rs2 ? 0 : rs1; break;

		case OP_FENCE:
		case OP_FENCE_I:
		case OP_ECALL:
		case OP_EBREAK:
		case OP_CSRRW ... OP_CSRRCI:
		case OP_MRET:
		case OP_SRET:
		case OP_WFI:
		case OP_SFENCE_VMA:
			/* always the last instruction of a block */
			x[0] = 0;
			h->pc = pc;
			h->instret += i;
			if (exec_system(h, es, in) == 0)
				h->instret++;
			return;
		case OP_ILLEGAL:
		default:
			h->pc = pc;
			illegal(h, in);
			goto trap;
		}
		x[0] = 0;
		pc += in->len;
		continue;
jump:
		x[0] = 0;
		h->pc = pc;
		h->instret += i + 1;
		return;
	}
	h->pc = pc;
	h->instret += b->n;
	return;
trap:
	x[0] = 0;
	h->instret += i;
}

static void interp_run(struct hart *h)
{
	struct engine_state *es = h->engine;

	while (!atomic_load_explicit(&h->platform->stop, memory_order_relaxed)) {
		struct block *b;

		if (__builtin_expect(
			    atomic_load_explicit(&h->irq_check,
						 memory_order_relaxed) ||
				    h->timer_countdown <= 0,
			    0)) {
			atomic_store_explicit(&h->irq_check, 0,
					      memory_order_relaxed);
			if (h->timer_countdown <= 0) {
				hart_poll_timers(h);
				h->timer_countdown = TIMER_POLL_INSNS;
			}
			hart_take_interrupt(h);
			continue;
		}
		b = find_block(h, es, h->pc);
		if (!b)
			continue; /* fetch fault raised */
		exec_block(h, es, b);
		h->timer_countdown -= b->n;
	}
}

const struct engine_ops interp_engine_ops = {
	.name = "interp",
	.init = interp_init,
	.destroy = interp_destroy,
	.run = interp_run,
};
