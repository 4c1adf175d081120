/*
 * Address translation for RV64: Sv39, Sv48 and Sv57 page-table walks with
 * hardware A/D updates, PMP on page-table and final accesses, and the
 * software TLB fill (see mmu.h for the TLB's shape).
 *
 * Spec: RISC-V privileged architecture 1.12, sections 4.1.11 (satp), 4.3
 * (Sv39, and the walk algorithm of 4.3.2 that Sv48 and Sv57 reuse), 4.4
 * (Sv48), 4.5 (Sv57), 3.7.1 (PMP; page-table accesses are checked as
 * S-mode).
 */
#include "mem/mmu.h"

#include <assert.h>
#include <errno.h>
#include <sys/mman.h>

#define PAGE_BYTES 4096ull
#define PAGE_MASK (PAGE_BYTES - 1)
#define PTE_SIZE 8
#define PTE_PPN_SHIFT 10
#define PTE_PPN_MASK ((1ull << 44) - 1)
/* Bits 63:54: Svnapot (63), Svpbmt (62:61), reserved (60:54); we
 * implement neither extension, so all of them must be zero. */
#define PTE_HIGH_RESERVED (0x3ffull << 54)
/* D, A and U are reserved in non-leaf PTEs. */
#define PTE_NONLEAF_RESERVED (PTE_D | PTE_A | PTE_U)
#define PA_BITS 56

static void flush_table(struct tlb_entry *t, unsigned stride,
			struct tlb_fills *f)
{
	if (f->n > TLB_FILL_LOG) {
		for (unsigned i = 0; i < TLB_SIZE; i++)
			t[stride * i].tag = TLB_INVALID;
	} else {
		for (unsigned i = 0; i < f->n; i++)
			t[stride * f->idx[i]].tag = TLB_INVALID;
	}
	f->n = 0;
}

static enum mmu_result walk(struct mmu *mmu, uint64_t gva, enum mmu_access acc,
			    unsigned priv, bool sum, uint64_t *pa,
			    unsigned *leaf_shift, bool peek);

/*
 * window_check_fn: does user-mode gva still reach RAM page pa, with A
 * set (and D and W for writing), and no page flags for writing? A walk
 * that would have to set A or D says no rather than set them.
 */
static bool window_check(void *ctx, uint64_t gva, uint64_t pa, bool *writable)
{
	struct mmu *mmu = ctx;
	uint64_t got;
	unsigned shift;

	if (walk(mmu, gva, MMU_READ, PRV_U, false, &got, &shift, true) !=
		    MMU_OK ||
	    got != pa)
		return false;
	if (*writable)
		*writable = walk(mmu, gva, MMU_WRITE, PRV_U, false, &got,
				 &shift, true) == MMU_OK &&
			    !atomic_load_explicit(
				    &mmu->bus->page_flags[bus_page_index(
					    mmu->bus, pa)],
				    memory_order_relaxed);
	return true;
}

void mmu_window_take(struct mmu *mmu)
{
	if (!mmu->win.base)
		return;
	if (mmu->win_owner != mmu->satp)
		window_reset(&mmu->win);
	mmu->win_owner = mmu->satp;
	mmu->win_active = true;
	window_use(&mmu->win, true);
}

void mmu_window_drop(struct mmu *mmu)
{
	window_reset(&mmu->win);
	mmu->win_owner = 0;
	mmu->win_active = false;
	window_use(&mmu->win, false);
}

void mmu_window_protect(struct mmu *mmu, uint64_t gpa)
{
	if (mmu->win_active)
		window_protect(&mmu->win, gpa & ~PAGE_MASK);
}

void mmu_flush(struct mmu *mmu)
{
	if (mmu->win_active)
		window_revalidate(&mmu->win, window_check, mmu);
	for (unsigned c = 0; c < TLB_NCTX; c++)
		for (unsigned a = 0; a < 3; a++)
			flush_table(mmu_tlb_table(mmu, c, a), TLB_STRIDE(a),
				    &mmu->fills[c][a]);
	mmu->super_lo = ~0ull;
	mmu->super_hi = 0;
	mmu->fetch_gen++;
	mmu->fetch_evicted = false;
}

/* A translation through a superpage of 1 << shift bytes is being cached. */
static void note_superpage(struct mmu *mmu, uint64_t gva, unsigned shift)
{
	uint64_t lo = gva & ~((1ull << shift) - 1);
	uint64_t last = lo + ((1ull << shift) - 1);

	if (lo < mmu->super_lo)
		mmu->super_lo = lo;
	if (last > mmu->super_hi)
		mmu->super_hi = last;
}

void mmu_flush_page(struct mmu *mmu, uint64_t gva)
{
	uint64_t tag = gva >> 12;

	/*
	 * A fence for an address in a superpage drops all of that
	 * superpage's translations, which the TLB holds 4 KiB at a time:
	 * when gva may lie in one, everything goes.
	 */
	if (gva >= mmu->super_lo && gva <= mmu->super_hi) {
		mmu_flush(mmu);
		return;
	}
	if (mmu->win_active)
		window_unmap_page(&mmu->win, gva);

	bool fetch = mmu->fetch_evicted;

	for (unsigned c = 0; c < TLB_NCTX; c++) {
		fetch |= mmu_tlb_entry(mmu, c, MMU_EXEC, gva)->tag == tag;
		for (unsigned a = 0; a < 3; a++) {
			struct tlb_entry *e = mmu_tlb_entry(mmu, c, a, gva);

			if (e->tag == tag)
				e->tag = TLB_INVALID;
		}
	}
	if (fetch) {
		mmu->fetch_gen++;
		mmu->fetch_evicted = false;
	}
}

static size_t wmap_bytes(const struct bus *bus)
{
	return ((bus->ram_size + PAGE_MASK) >> 12) * sizeof(uint64_t);
}

int mmu_init(struct mmu *mmu, struct bus *bus)
{
	void *w = mmap(NULL, wmap_bytes(bus), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (w == MAP_FAILED)
		return -ENOMEM;
	mmu->wmap = w;
	mmu->bus = bus;
	mmu->win = (struct window){ .fd = -1 };
	mmu->win_owner = 0;
	mmu->win_active = false;
	mmu->win_fills = 0;
	mmu->satp = 0;
	mmu->mxr = false;
	pmp_reset(&mmu->pmp);
	/* zeroed memory holds valid-looking tags (page 0): clear them all */
	for (unsigned c = 0; c < TLB_NCTX; c++)
		for (unsigned a = 0; a < 3; a++)
			mmu->fills[c][a].n = TLB_FILL_LOG + 1;
	mmu_flush(mmu);
	return 0;
}

void mmu_destroy(struct mmu *mmu)
{
	if (mmu->wmap)
		munmap(mmu->wmap, wmap_bytes(mmu->bus));
	window_destroy(&mmu->win);
	mmu->wmap = NULL;
}

/* Invalidates write entry slot (1 + index, or 0) of ctx if it maps hva. */
static void unmap_slot(struct mmu *mmu, unsigned ctx, unsigned slot,
		       const uint8_t *hva)
{
	struct tlb_entry *e;

	if (!slot)
		return;
	e = &mmu->tlb[ctx].data[slot - 1][MMU_WRITE];
	if (e->tag != TLB_INVALID &&
	    (uintptr_t)(e->tag << 12) + e->addend == (uintptr_t)hva)
		e->tag = TLB_INVALID;
}

void mmu_unmap_write(struct mmu *mmu, uint64_t gpa)
{
	const uint8_t *hva =
		bus_ram_ptr(mmu->bus, gpa & ~PAGE_MASK, PAGE_BYTES);
	uint64_t *w;

	if (!hva)
		return;
	w = &mmu->wmap[bus_page_index(mmu->bus, gpa)];
	for (unsigned c = 0; c < TLB_NCTX; c++)
		unmap_slot(mmu, c, (unsigned)(*w >> (16 * c)) & 0xffff, hva);
	*w = 0;
}

/*
 * Only MODE is checked. With MODE = Bare the spec asks software to write
 * zero to ASID and PPN and leaves a nonzero pattern's effect UNSPECIFIED;
 * we accept and keep such a value (as QEMU does), and translation is bare
 * whatever the other fields hold.
 */
bool mmu_satp_valid(uint64_t satp)
{
	switch (satp >> SATP_MODE_SHIFT) {
	case SATP_MODE_BARE:
	case SATP_MODE_SV39:
	case SATP_MODE_SV48:
	case SATP_MODE_SV57: return true;
	default: return false;
	}
}

void mmu_set_satp(struct mmu *mmu, uint64_t satp)
{
	assert(mmu_satp_valid(satp));
	mmu->satp = satp;
	mmu->win_fills = 0;
	/* back to the owner: the flush revalidates its pages */
	mmu->win_active = mmu->win_owner && satp == mmu->win_owner;
	window_use(&mmu->win, mmu->win_active);
	mmu_flush(mmu);
}

void mmu_set_mxr(struct mmu *mmu, bool mxr)
{
	if (mmu->mxr == mxr)
		return;
	mmu->mxr = mxr;
	/* the window's read-only pages were checked without it */
	window_reset(&mmu->win);
	mmu_flush(mmu);
}

void mmu_pmp_changed(struct mmu *mmu)
{
	/* its pages were checked against the old PMP */
	window_reset(&mmu->win);
	mmu_flush(mmu);
}

/* Step 5 of the walk: may this leaf be used for acc at priv? */
static bool leaf_allows(const struct mmu *mmu, uint64_t pte,
			enum mmu_access acc, unsigned priv, bool sum)
{
	if (priv == PRV_U) {
		if (!(pte & PTE_U))
			return false;
	} else if (pte & PTE_U) {
		/* S-mode never executes from a U page, SUM or not. */
		if (acc == MMU_EXEC || !sum)
			return false;
	}
	switch (acc) {
	case MMU_READ: return (pte & PTE_R) || (mmu->mxr && (pte & PTE_X));
	case MMU_WRITE: return pte & PTE_W;
	default: return pte & PTE_X;
	}
}

/*
 * Walks the table for a non-bare satp. On success *pa is the physical
 * address of gva; A (and D for writes) are set in the leaf.
 */
static enum mmu_result walk(struct mmu *mmu, uint64_t gva, enum mmu_access acc,
			    unsigned priv, bool sum, uint64_t *pa,
			    unsigned *leaf_shift, bool peek)
{
	unsigned levels, va_bits;
	uint64_t a = (mmu->satp & SATP_PPN_MASK) << 12;
	int i;

	switch (mmu->satp >> SATP_MODE_SHIFT) {
	case SATP_MODE_SV39: levels = 3; break;
	case SATP_MODE_SV48: levels = 4; break;
	case SATP_MODE_SV57:
	default: levels = 5; break;
	}
	va_bits = 12 + 9 * levels;
	i = (int)levels - 1;

	/* Bits 63:va_bits must all equal bit va_bits-1. */
	if ((uint64_t)((int64_t)(gva << (64 - va_bits)) >> (64 - va_bits)) !=
	    gva)
		return MMU_PAGE_FAULT;

	for (;;) {
		unsigned shift = 12 + 9 * (unsigned)i;
		uint64_t pte_gpa = a + ((gva >> shift) & 511) * PTE_SIZE;
		uint64_t *p;
		uint64_t pte, want, off_mask;

		if (!pmp_check(&mmu->pmp, pte_gpa, PTE_SIZE, MMU_READ, PRV_S))
			return MMU_ACCESS_FAULT;
		p = bus_ram_ptr(mmu->bus, pte_gpa, PTE_SIZE);
		if (!p)
			return MMU_ACCESS_FAULT;
		pte = __atomic_load_n(p, __ATOMIC_ACQUIRE);

		if (!(pte & PTE_V) || (pte & (PTE_R | PTE_W)) == PTE_W ||
		    (pte & PTE_HIGH_RESERVED))
			return MMU_PAGE_FAULT;
		if (!(pte & (PTE_R | PTE_X))) {
			if ((pte & PTE_NONLEAF_RESERVED) || i == 0)
				return MMU_PAGE_FAULT;
			i--;
			a = ((pte >> PTE_PPN_SHIFT) & PTE_PPN_MASK) << 12;
			continue;
		}

		if (!leaf_allows(mmu, pte, acc, priv, sum))
			return MMU_PAGE_FAULT;
		off_mask = (1ull << shift) - 1;
		*leaf_shift = shift;
		*pa = ((pte >> PTE_PPN_SHIFT) & PTE_PPN_MASK) << 12;
		if (*pa & off_mask)
			return MMU_PAGE_FAULT; /* misaligned superpage */
		*pa |= gva & off_mask;

		want = pte | PTE_A | (acc == MMU_WRITE ? PTE_D : 0);
		if (want == pte)
			return MMU_OK;
		if (peek)
			return MMU_PAGE_FAULT;
		if (!pmp_check(&mmu->pmp, pte_gpa, PTE_SIZE, MMU_WRITE, PRV_S))
			return MMU_ACCESS_FAULT;
		/*
		 * The update must be atomic with the read of step 2. If
		 * another hart changed the PTE meanwhile, redo step 2 at
		 * this level with the new value.
		 */
		if (!__atomic_compare_exchange_n(p, &pte, want, false,
						 __ATOMIC_ACQ_REL,
						 __ATOMIC_ACQUIRE))
			continue;
		bus_notify_range(mmu->bus, pte_gpa, PTE_SIZE);
		return MMU_OK;
	}
}

static void tlb_fill(struct mmu *mmu, uint64_t gva, uint64_t pa,
		     enum mmu_access acc, unsigned priv, bool sum)
{
	uint64_t page = pa & ~PAGE_MASK;
	uint8_t *hva = bus_ram_ptr(mmu->bus, page, PAGE_BYTES);
	unsigned ctx = mmu_ctx(priv, sum);
	unsigned index = (unsigned)((gva >> 12) & (TLB_SIZE - 1));
	struct tlb_fills *f = &mmu->fills[ctx][acc];
	struct tlb_entry *e;

	if (!hva || !pmp_page_uniform(&mmu->pmp, page))
		return;
	e = mmu_tlb_entry(mmu, ctx, acc, gva);
	if (acc == MMU_WRITE) {
		uint64_t pg = bus_page_index(mmu->bus, page);
		uint64_t *w = &mmu->wmap[pg];
		unsigned shift = 16 * ctx;

		/* a store to it must reach the bus (see mmu.h) */
		if (atomic_load_explicit(&mmu->bus->page_flags[pg],
					 memory_order_relaxed))
			return;
		unmap_slot(mmu, ctx, (unsigned)(*w >> shift) & 0xffff, hva);
		*w = (*w & ~(0xffffull << shift)) | (uint64_t)(index + 1)
							    << shift;
	}
	if (acc == MMU_EXEC && e->tag != TLB_INVALID && e->tag != gva >> 12)
		mmu->fetch_evicted = true;
	if (f->n < TLB_FILL_LOG)
		f->idx[f->n] = (uint16_t)index;
	if (f->n <= TLB_FILL_LOG)
		f->n++;
	e->tag = gva >> 12;
	e->addend = (uintptr_t)hva - (uintptr_t)(gva & ~PAGE_MASK);
	if (ctx == TLB_CTX_U && acc != MMU_EXEC) {
		mmu->win_fills++;
		/*
		 * A read fill maps the page writable when its write entry
		 * (beside it) maps it: a store must not fault on a page
		 * the TLB already lets it write, or its slow path, which
		 * hits that entry, would never map it.
		 */
		if (mmu->win_active)
			window_map(&mmu->win, gva, page,
				   acc == MMU_WRITE ||
					   (e[1].tag == gva >> 12 &&
					    e[1].addend == e->addend));
	}
}

enum mmu_result mmu_translate(struct mmu *mmu, uint64_t gva, unsigned len,
			      enum mmu_access acc, unsigned priv, bool sum,
			      uint64_t *gpa)
{
	uint64_t pa;

	if (priv == PRV_M || (mmu->satp >> SATP_MODE_SHIFT) == SATP_MODE_BARE) {
		pa = gva;
	} else {
		unsigned shift = 12;
		enum mmu_result r =
			walk(mmu, gva, acc, priv, sum, &pa, &shift, false);

		if (r != MMU_OK)
			return r;
		if (shift > 12)
			note_superpage(mmu, gva, shift);
	}
	/* Nothing exists beyond the 56-bit physical address space. */
	if ((pa >> PA_BITS) || ((pa + len - 1) >> PA_BITS))
		return MMU_ACCESS_FAULT;
	if (!pmp_check(&mmu->pmp, pa, len, acc, priv))
		return MMU_ACCESS_FAULT;
	*gpa = pa;
	tlb_fill(mmu, gva, pa, acc, priv, sum);
	return MMU_OK;
}
