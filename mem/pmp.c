/*
 * Physical memory protection: 16 entries, grain G = 0 (4 bytes, so NA4 is
 * available and pmpaddr reads return what was written).
 *
 * Spec: RISC-V privileged architecture 1.12, section 3.7.1 (the CSRs,
 * locking, address matching, priority and matching logic). Flushing the
 * TLB after a PMP change (3.7.2) is the CSR writer's job.
 */
#include "mem/mmu.h"

#define PMP_CFG_WRITABLE (PMP_R | PMP_W | PMP_X | PMP_A_MASK | PMP_L)
#define PAGE_BYTES 4096ull

static bool entry_range(const struct pmp *pmp, unsigned i, uint64_t *lo,
			uint64_t *hi);

static void pmp_update(struct pmp *pmp)
{
	pmp->memo_lo = ~0ull;
	pmp->memo_hi = 0;
	pmp->nactive = 0;
	for (unsigned i = 0; i < PMP_COUNT; i++) {
		struct pmp_range *r = &pmp->active[pmp->nactive];

		if (entry_range(pmp, i, &r->lo, &r->hi)) {
			r->cfg = pmp->cfg[i];
			pmp->nactive++;
		}
	}
}

void pmp_reset(struct pmp *pmp)
{
	for (unsigned i = 0; i < PMP_COUNT; i++) {
		pmp->cfg[i] = 0;
		pmp->addr[i] = 0;
	}
	pmp_update(pmp);
}

static bool entry_locked(const struct pmp *pmp, unsigned i)
{
	return pmp->cfg[i] & PMP_L;
}

void pmp_write_cfg(struct pmp *pmp, unsigned index, uint8_t val)
{
	if (index >= PMP_COUNT || entry_locked(pmp, index))
		return;
	/*
	 * R=0, W=1 is reserved and the field is WARL. We keep the previous
	 * value of the whole byte, as newer QEMU does, so that a reserved
	 * combination can never be read back.
	 */
	if ((val & (PMP_R | PMP_W)) == PMP_W)
		return;
	/* Bits 6:5 are reserved and read as zero. */
	pmp->cfg[index] = val & PMP_CFG_WRITABLE;
	pmp_update(pmp);
}

void pmp_write_addr(struct pmp *pmp, unsigned index, uint64_t val)
{
	if (index >= PMP_COUNT || entry_locked(pmp, index))
		return;
	/* A locked TOR entry also locks the pmpaddr below it (its bottom). */
	if (index + 1 < PMP_COUNT && entry_locked(pmp, index + 1) &&
	    (pmp->cfg[index + 1] & PMP_A_MASK) == PMP_A_TOR)
		return;
	pmp->addr[index] = val & PMP_ADDR_MASK;
	pmp_update(pmp);
}

uint64_t pmp_read_addr(const struct pmp *pmp, unsigned index)
{
	if (index >= PMP_COUNT)
		return 0;
	return pmp->addr[index];
}

/*
 * The byte range [*lo, *hi) that entry i covers. Returns false when the
 * entry matches nothing (OFF, or TOR with bottom >= top). hi may be 2^57
 * for an all-ones NAPOT, which still fits.
 */
static bool entry_range(const struct pmp *pmp, unsigned i, uint64_t *lo,
			uint64_t *hi)
{
	uint64_t a = pmp->addr[i];
	unsigned ones;

	switch (pmp->cfg[i] & PMP_A_MASK) {
	case PMP_A_TOR:
		*lo = i ? pmp->addr[i - 1] << 2 : 0;
		*hi = a << 2;
		return *lo < *hi;
	case PMP_A_NA4:
		*lo = a << 2;
		*hi = *lo + 4;
		return true;
	case PMP_A_NAPOT:
		/* a is masked to 54 bits, so ~a has a set bit at 54. */
		ones = (unsigned)__builtin_ctzll(~a);
		*lo = (a & ~((1ull << ones) - 1)) << 2;
		*hi = *lo + (8ull << ones);
		return true;
	default: return false;
	}
}

static uint8_t access_bit(enum mmu_access acc)
{
	switch (acc) {
	case MMU_WRITE: return PMP_W;
	case MMU_EXEC: return PMP_X;
	default: return PMP_R;
	}
}

/* The answer of entry cfg for acc at priv. */
static bool entry_allows(uint8_t cfg, enum mmu_access acc, unsigned priv)
{
	if (priv == PRV_M && !(cfg & PMP_L))
		return true;
	return cfg & access_bit(acc);
}

bool pmp_check(struct pmp *pmp, uint64_t pa, uint64_t len, enum mmu_access acc,
	       unsigned priv)
{
	uint64_t end = pa + len, below = 0, above = ~0ull;

	if (len == 0 || end < pa)
		return false;
	if (pa >= pmp->memo_lo && end <= pmp->memo_hi)
		return entry_allows(pmp->memo_cfg, acc, priv);
	for (unsigned i = 0; i < pmp->nactive; i++) {
		uint64_t lo = pmp->active[i].lo, hi = pmp->active[i].hi;
		uint8_t cfg = pmp->active[i].cfg;

		if (end <= lo || pa >= hi) {
			/* untouched: the bounds of what it leaves to later ones */
			if (hi <= pa && hi > below)
				below = hi;
			if (lo >= end && lo < above)
				above = lo;
			continue;
		}
		/* The first entry touching any byte decides, and it must
		 * cover every byte whatever its L, R, W and X bits say. */
		if (pa < lo || end > hi)
			return false;
		/*
		 * Every access inside this entry that no earlier entry
		 * touches gets the same answer: remembered, it spares the
		 * next checks (a page walk makes several) the search.
		 */
		pmp->memo_lo = lo > below ? lo : below;
		pmp->memo_hi = hi < above ? hi : above;
		pmp->memo_cfg = cfg;
		return entry_allows(cfg, acc, priv);
	}
	/*
	 * No match: M-mode succeeds; S and U fail because PMP entries are
	 * implemented, even when every entry is OFF.
	 */
	return priv == PRV_M;
}

static bool inside_page(uint64_t x, uint64_t page)
{
	return x > page && x < page + PAGE_BYTES;
}

bool pmp_page_uniform(const struct pmp *pmp, uint64_t pa)
{
	uint64_t page = pa & ~(PAGE_BYTES - 1);

	for (unsigned i = 0; i < pmp->nactive; i++) {
		uint64_t lo = pmp->active[i].lo, hi = pmp->active[i].hi;

		if (inside_page(lo, page) || inside_page(hi, page))
			return false;
	}
	return true;
}
