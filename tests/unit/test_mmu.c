/*
 * MMU unit tests: Sv39/Sv48/Sv57 walks over page tables built by hand in
 * guest RAM, permission rules, A/D updates, faults, PMP on the walk and
 * on the result, and the TLB fill, and the host window that mirrors the
 * user-mode fills (mem/window.h). Expected values follow the privileged
 * spec 1.12, sections 4.3-4.5 and 3.7.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "mem/mmu.h"
#include "tests/unit/unit.h"

#define RAM 0x80000000ull
#define RAM_SIZE (16ull << 20)
#define TABLES (RAM + 0x100000)
#define DATA (RAM + 0x800000)
#define UART 0x10000000ull

#define VRWX (PTE_V | PTE_R | PTE_W | PTE_X)
#define AD (PTE_A | PTE_D)

static struct bus bus;
static struct mmu mmu;
static uint64_t next_table;

static uint64_t *pte_at(uint64_t gpa)
{
	return bus_ram_ptr(&bus, gpa, 8);
}

static uint64_t alloc_table(void)
{
	uint64_t t = next_table;

	next_table += 4096;
	memset(bus_ram_ptr(&bus, t, 4096), 0, 4096);
	return t;
}

static uint64_t make_pte(uint64_t pa, uint64_t flags)
{
	return ((pa >> 12) << 10) | flags;
}

static uint64_t pte_target(uint64_t pte)
{
	return ((pte >> 10) & ((1ull << 44) - 1)) << 12;
}

/*
 * Puts a leaf for gva at level (0 = 4 KiB) into the table rooted at root
 * with levels levels, creating pointer PTEs as needed. Returns the gpa of
 * the leaf PTE.
 */
static uint64_t map(uint64_t root, unsigned levels, uint64_t gva, uint64_t pa,
		    unsigned level, uint64_t flags)
{
	uint64_t table = root, slot;

	for (unsigned i = levels - 1; i > level; i--) {
		slot = table + ((gva >> (12 + 9 * i)) & 511) * 8;
		if (!(*pte_at(slot) & PTE_V))
			*pte_at(slot) = make_pte(alloc_table(), PTE_V);
		table = pte_target(*pte_at(slot));
	}
	slot = table + ((gva >> (12 + 9 * level)) & 511) * 8;
	*pte_at(slot) = make_pte(pa, flags);
	return slot;
}

static uint64_t napot(uint64_t base, uint64_t size)
{
	return (base >> 2) | ((size >> 3) - 1);
}

/* Fresh MMU with a catch-all RWX PMP entry at the lowest priority. */
static uint64_t setup(unsigned mode)
{
	uint64_t root;

	mmu_destroy(&mmu);
	CHECK(mmu_init(&mmu, &bus) == 0);
	pmp_write_addr(&mmu.pmp, 15, ~0ull);
	pmp_write_cfg(&mmu.pmp, 15, PMP_A_NAPOT | PMP_R | PMP_W | PMP_X);
	next_table = TABLES;
	root = alloc_table();
	if (mode != SATP_MODE_BARE)
		mmu_set_satp(&mmu, ((uint64_t)mode << SATP_MODE_SHIFT) |
					   (root >> 12));
	return root;
}

static enum mmu_result xl(uint64_t gva, unsigned len, enum mmu_access acc,
			  unsigned priv, bool sum, uint64_t *gpa)
{
	*gpa = 0xdead;
	return mmu_translate(&mmu, gva, len, acc, priv, sum, gpa);
}

static bool tlb_maps(unsigned ctx, enum mmu_access acc, uint64_t gva,
		     uint64_t gpa)
{
	struct tlb_entry *e = mmu_tlb_entry(&mmu, ctx, acc, gva);

	return e->tag == gva >> 12 &&
	       (uint8_t *)(uintptr_t)(e->addend + gva) == bus.ram + (gpa - RAM);
}

static bool tlb_empty(void)
{
	for (unsigned c = 0; c < TLB_NCTX; c++)
		for (unsigned a = 0; a < 3; a++)
			for (unsigned i = 0; i < TLB_SIZE; i++)
				if (mmu_tlb_table(&mmu, c, a)[TLB_STRIDE(a) * i]
					    .tag != TLB_INVALID)
					return false;
	return true;
}

static void test_satp_valid(void)
{
	for (uint64_t m = 0; m < 16; m++) {
		bool want = m == 0 || m == 8 || m == 9 || m == 10;

		CHECK(mmu_satp_valid(m << SATP_MODE_SHIFT | 0x1234) == want);
	}
	CHECK(mmu_satp_valid(0));
	CHECK(mmu_satp_valid(8ull << 60 | 0xffffull << 44 | SATP_PPN_MASK));
}

static void test_bare_and_m(void)
{
	uint64_t gpa;

	setup(SATP_MODE_BARE);
	/* M-mode, no PMP match: allowed; MMIO result is not cached. */
	CHECK(xl(UART, 1, MMU_WRITE, PRV_M, false, &gpa) == MMU_OK);
	CHECK_EQ_U64(gpa, UART);
	CHECK(tlb_empty());
	CHECK(xl(DATA + 8, 8, MMU_READ, PRV_M, false, &gpa) == MMU_OK);
	CHECK_EQ_U64(gpa, DATA + 8);
	CHECK(tlb_maps(TLB_CTX_M, MMU_READ, DATA + 8, DATA + 8));

	/* Bare S/U: gpa = gva, PMP still applies. */
	CHECK(xl(DATA + 4, 4, MMU_EXEC, PRV_U, false, &gpa) == MMU_OK);
	CHECK_EQ_U64(gpa, DATA + 4);
	CHECK(tlb_maps(TLB_CTX_U, MMU_EXEC, DATA, DATA));
	pmp_reset(&mmu.pmp);
	mmu_flush(&mmu);
	CHECK(xl(DATA, 8, MMU_READ, PRV_S, false, &gpa) == MMU_ACCESS_FAULT);
	CHECK(xl(DATA, 8, MMU_READ, PRV_M, false, &gpa) == MMU_OK);
	CHECK(tlb_empty() == false);

	/* Beyond the 56-bit physical address space. */
	setup(SATP_MODE_BARE);
	CHECK(xl(1ull << 56, 8, MMU_READ, PRV_S, false, &gpa) ==
	      MMU_ACCESS_FAULT);
	CHECK(xl(0xffffffff80000000ull, 8, MMU_READ, PRV_M, false, &gpa) ==
	      MMU_ACCESS_FAULT);

	/* M-mode does not translate even with satp set. */
	setup(SATP_MODE_SV39);
	CHECK(xl(0x40000000, 8, MMU_READ, PRV_S, false, &gpa) ==
	      MMU_PAGE_FAULT);
	CHECK(xl(0x40000000, 8, MMU_READ, PRV_M, false, &gpa) == MMU_OK);
	CHECK_EQ_U64(gpa, 0x40000000);
}

static void test_sv39_4k_and_ad(void)
{
	uint64_t root = setup(SATP_MODE_SV39), gpa, leaf, va = 0x40201000;
	uint64_t rsw = 3u << 8;

	leaf = map(root, 3, va, DATA, 0, VRWX | PTE_G | rsw);
	CHECK(xl(va + 0x123, 1, MMU_READ, PRV_S, false, &gpa) == MMU_OK);
	CHECK_EQ_U64(gpa, DATA + 0x123);
	/* A read sets A only, and keeps every other bit. */
	CHECK_EQ_U64(*pte_at(leaf), make_pte(DATA, VRWX | PTE_G | rsw | PTE_A));
	CHECK(tlb_maps(TLB_CTX_S, MMU_READ, va + 0x123, DATA + 0x123));
	CHECK(mmu_tlb_entry(&mmu, TLB_CTX_S, MMU_WRITE, va)->tag ==
	      TLB_INVALID);

	CHECK(xl(va + 0xff8, 8, MMU_WRITE, PRV_S, false, &gpa) == MMU_OK);
	CHECK_EQ_U64(gpa, DATA + 0xff8);
	CHECK_EQ_U64(*pte_at(leaf),
		     make_pte(DATA, VRWX | PTE_G | rsw | PTE_A | PTE_D));
	CHECK(tlb_maps(TLB_CTX_S, MMU_WRITE, va, DATA));

	/* Pointer PTEs are never given A or D. */
	CHECK_EQ_U64(*pte_at(root + 1 * 8) & 0x3ff, PTE_V);

	/* Fetch sets A but not D. */
	leaf = map(root, 3, va + 0x1000, DATA + 0x1000, 0, PTE_V | PTE_X);
	CHECK(xl(va + 0x1002, 4, MMU_EXEC, PRV_S, false, &gpa) == MMU_OK);
	CHECK_EQ_U64(gpa, DATA + 0x1002);
	CHECK_EQ_U64(*pte_at(leaf),
		     make_pte(DATA + 0x1000, PTE_V | PTE_X | PTE_A));

	/* A faulting access leaves the PTE alone. */
	leaf = map(root, 3, va + 0x2000, DATA + 0x2000, 0, PTE_V | PTE_R);
	CHECK(xl(va + 0x2000, 8, MMU_WRITE, PRV_S, false, &gpa) ==
	      MMU_PAGE_FAULT);
	CHECK_EQ_U64(*pte_at(leaf), make_pte(DATA + 0x2000, PTE_V | PTE_R));

	/* Write to a page with A set but D clear sets D. */
	leaf = map(root, 3, va + 0x3000, DATA + 0x3000, 0,
		   PTE_V | PTE_R | PTE_W | PTE_A);
	CHECK(xl(va + 0x3000, 2, MMU_WRITE, PRV_S, false, &gpa) == MMU_OK);
	CHECK_EQ_U64(*pte_at(leaf),
		     make_pte(DATA + 0x3000, PTE_V | PTE_R | PTE_W | AD));

	mmu_flush(&mmu);
	CHECK(tlb_empty());
}

static void test_sv39_superpages(void)
{
	uint64_t root = setup(SATP_MODE_SV39), gpa, leaf;

	/* 2 MiB */
	map(root, 3, 0x40400000, RAM + 0x200000, 1, VRWX | AD);
	CHECK(xl(0x40412345, 1, MMU_READ, PRV_S, false, &gpa) == MMU_OK);
	CHECK_EQ_U64(gpa, RAM + 0x212345);
	CHECK(tlb_maps(TLB_CTX_S, MMU_READ, 0x40412345, RAM + 0x212345));
	/* 1 GiB, in the upper half of the address space */
	map(root, 3, 0xffffffffc0000000ull, RAM, 2, VRWX | AD);
	CHECK(xl(0xffffffffc0345678ull, 8, MMU_WRITE, PRV_S, false, &gpa) ==
	      MMU_OK);
	CHECK_EQ_U64(gpa, RAM + 0x345678);
	/* Misaligned superpages: page fault, PTE untouched. */
	leaf = map(root, 3, 0x40600000, RAM + 0x201000, 1, VRWX);
	CHECK(xl(0x40600000, 8, MMU_READ, PRV_S, false, &gpa) ==
	      MMU_PAGE_FAULT);
	CHECK_EQ_U64(*pte_at(leaf), make_pte(RAM + 0x201000, VRWX));
	map(root, 3, 0x80000000, RAM + 0x200000, 2, VRWX | AD);
	CHECK(xl(0x80000000, 8, MMU_READ, PRV_S, false, &gpa) ==
	      MMU_PAGE_FAULT);
	/* Low PPN bits of a gigapage that are only in ppn[0] matter too. */
	map(root, 3, 0xc0000000, RAM + 0x1000, 2, VRWX | AD);
	CHECK(xl(0xc0000000, 8, MMU_READ, PRV_S, false, &gpa) ==
	      MMU_PAGE_FAULT);
}

static void test_sv39_bad_ptes(void)
{
	uint64_t root = setup(SATP_MODE_SV39), gpa, leaf, va = 0x1000;
	static const uint64_t bad_leaf[] = {
		PTE_R | PTE_W | PTE_X | AD, /* V = 0 */
		PTE_V | PTE_W | AD,	    /* W without R */
		PTE_V | PTE_W | PTE_X | AD, /* W without R */
		VRWX | AD | (1ull << 54),   /* reserved */
		VRWX | AD | (1ull << 60),   /* reserved */
		VRWX | AD | (1ull << 61),   /* PBMT, no Svpbmt */
		VRWX | AD | (1ull << 63),   /* N, no Svnapot */
	};
	static const uint64_t bad_pointer[] = {
		0, PTE_A, PTE_D, PTE_U, 1ull << 63, 1ull << 55,
	};

	leaf = map(root, 3, va, DATA, 0, VRWX | AD);
	CHECK(xl(va, 8, MMU_READ, PRV_S, false, &gpa) == MMU_OK);
	for (unsigned i = 0; i < sizeof(bad_leaf) / sizeof(bad_leaf[0]); i++) {
		*pte_at(leaf) = make_pte(DATA, bad_leaf[i]);
		CHECK(xl(va, 8, MMU_READ, PRV_S, false, &gpa) ==
		      MMU_PAGE_FAULT);
		CHECK(xl(va, 4, MMU_EXEC, PRV_S, false, &gpa) ==
		      MMU_PAGE_FAULT);
		CHECK_EQ_U64(*pte_at(leaf), make_pte(DATA, bad_leaf[i]));
	}
	*pte_at(leaf) = make_pte(DATA, VRWX | AD);
	/* The level-1 pointer (root[0] -> table, table[0] -> leaf table). */
	{
		uint64_t l1 = pte_target(*pte_at(root)), good = *pte_at(l1);

		for (unsigned i = 0;
		     i < sizeof(bad_pointer) / sizeof(bad_pointer[0]); i++) {
			*pte_at(l1) = good ^ PTE_V;
			if (bad_pointer[i])
				*pte_at(l1) = good | bad_pointer[i];
			CHECK(xl(va, 8, MMU_READ, PRV_S, false, &gpa) ==
			      MMU_PAGE_FAULT);
		}
		*pte_at(l1) = good;
	}
	CHECK(xl(va, 8, MMU_READ, PRV_S, false, &gpa) == MMU_OK);

	/* A pointer at level 0 is a page fault. */
	*pte_at(leaf) = make_pte(TABLES, PTE_V);
	CHECK(xl(va, 8, MMU_READ, PRV_S, false, &gpa) == MMU_PAGE_FAULT);
	*pte_at(leaf) = make_pte(DATA, VRWX | AD);

	/*
	 * Non-canonical addresses. Index 256 of the root is mapped, and
	 * both 0xffffffc000000000 (canonical) and 0x4000000000 (bit 38 set
	 * without sign extension) select it.
	 */
	map(root, 3, 0xffffffc000000000ull, RAM, 2, VRWX | AD);
	CHECK(xl(0xffffffc000000010ull, 8, MMU_READ, PRV_S, false, &gpa) ==
	      MMU_OK);
	CHECK_EQ_U64(gpa, RAM + 0x10);
	CHECK(xl(0x0000004000000010ull, 8, MMU_READ, PRV_S, false, &gpa) ==
	      MMU_PAGE_FAULT);
	CHECK(xl(0x8000000000001000ull, 8, MMU_READ, PRV_S, false, &gpa) ==
	      MMU_PAGE_FAULT);
	CHECK(xl(0xffffff8000000000ull, 8, MMU_READ, PRV_S, false, &gpa) ==
	      MMU_PAGE_FAULT);
	CHECK(xl(0x0000008000001000ull, 4, MMU_EXEC, PRV_U, false, &gpa) ==
	      MMU_PAGE_FAULT);
}

struct perm_case {
	unsigned priv;
	bool sum, mxr;
	uint64_t flags;
	enum mmu_access acc;
	enum mmu_result want;
};

static void test_permissions(void)
{
#define R MMU_READ
#define W MMU_WRITE
#define X MMU_EXEC
#define OK MMU_OK
#define PF MMU_PAGE_FAULT
	const uint64_t V = PTE_V | AD, U = PTE_U, pR = PTE_R, pW = PTE_W,
		       pX = PTE_X;
	const struct perm_case cases[] = {
		/* U-mode needs U = 1. */
		{ PRV_U, false, false, V | pR | pW, R, PF },
		{ PRV_U, true, false, V | pR | pW, W, PF },
		{ PRV_U, false, false, V | pX, X, PF },
		{ PRV_U, false, false, V | U | pR | pW, R, OK },
		{ PRV_U, false, false, V | U | pR | pW, W, OK },
		{ PRV_U, false, false, V | U | pR | pW, X, PF },
		{ PRV_U, false, false, V | U | pR, W, PF },
		{ PRV_U, false, false, V | U | pX, X, OK },
		{ PRV_U, false, false, V | U | pX, R, PF },
		{ PRV_U, false, true, V | U | pX, R, OK },
		{ PRV_U, false, true, V | U | pX, W, PF },
		/* S-mode on U pages: loads/stores with SUM, never fetch. */
		{ PRV_S, false, false, V | U | pR | pW, R, PF },
		{ PRV_S, false, false, V | U | pR | pW, W, PF },
		{ PRV_S, true, false, V | U | pR | pW, R, OK },
		{ PRV_S, true, false, V | U | pR | pW, W, OK },
		{ PRV_S, false, false, V | U | pR | pW | pX, X, PF },
		{ PRV_S, true, false, V | U | pR | pW | pX, X, PF },
		{ PRV_S, true, true, V | U | pX, R, OK },
		{ PRV_S, false, true, V | U | pX, R, PF },
		/* S-mode on S pages. */
		{ PRV_S, false, false, V | pR | pW, R, OK },
		{ PRV_S, false, false, V | pR | pW, W, OK },
		{ PRV_S, false, false, V | pR | pW, X, PF },
		{ PRV_S, false, false, V | pR, W, PF },
		{ PRV_S, false, false, V | pR, X, PF },
		{ PRV_S, false, false, V | pX, X, OK },
		{ PRV_S, false, false, V | pX, R, PF },
		{ PRV_S, false, true, V | pX, R, OK },
		{ PRV_S, false, true, V | pX, W, PF },
		{ PRV_S, true, false, V | pR | pX, R, OK },
		{ PRV_S, true, false, V | pR | pX, X, OK },
	};
#undef R
#undef W
#undef X
#undef OK
#undef PF
	uint64_t va = 0x3654321000ull, gpa;

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct perm_case *c = &cases[i];
		uint64_t root = setup(SATP_MODE_SV39);
		enum mmu_result r;

		map(root, 3, va, DATA, 0, c->flags);
		mmu_set_mxr(&mmu, c->mxr);
		r = xl(va + 8, 4, c->acc, c->priv, c->sum, &gpa);
		if (r != c->want)
			fprintf(stderr, "permission case %u\n", i);
		CHECK(r == c->want);
		if (c->want == MMU_OK) {
			CHECK_EQ_U64(gpa, DATA + 8);
			CHECK(tlb_maps(mmu_ctx(c->priv, c->sum), c->acc, va + 8,
				       DATA + 8));
		} else {
			CHECK(tlb_empty());
		}
	}
	/* SUM selects its own TLB context. */
	{
		uint64_t root = setup(SATP_MODE_SV39);

		map(root, 3, va, DATA, 0, V | U | pR);
		CHECK(xl(va, 8, MMU_READ, PRV_S, true, &gpa) == MMU_OK);
		CHECK(tlb_maps(TLB_CTX_S_SUM, MMU_READ, va, DATA));
		CHECK(mmu_tlb_entry(&mmu, TLB_CTX_S, MMU_READ, va)->tag ==
		      TLB_INVALID);
		/* MXR changes flush; setting the same value does not. */
		mmu_set_mxr(&mmu, false);
		CHECK(tlb_maps(TLB_CTX_S_SUM, MMU_READ, va, DATA));
		mmu_set_mxr(&mmu, true);
		CHECK(tlb_empty());
		CHECK(mmu.mxr);
		CHECK(xl(va, 8, MMU_READ, PRV_S, true, &gpa) == MMU_OK);
		mmu_set_satp(&mmu, mmu.satp);
		CHECK(tlb_empty());
	}
}

static void test_access_faults(void)
{
	uint64_t root, gpa, leaf, va = 0x40001000;

	/* Root table outside RAM (MMIO and nothing at all). */
	setup(SATP_MODE_SV39);
	mmu_set_satp(&mmu, 8ull << 60 | UART >> 12);
	CHECK(xl(va, 8, MMU_READ, PRV_S, false, &gpa) == MMU_ACCESS_FAULT);
	CHECK(xl(va, 8, MMU_WRITE, PRV_U, false, &gpa) == MMU_ACCESS_FAULT);
	CHECK(xl(va, 4, MMU_EXEC, PRV_S, false, &gpa) == MMU_ACCESS_FAULT);
	mmu_set_satp(&mmu, 8ull << 60 | (RAM + RAM_SIZE) >> 12);
	CHECK(xl(va, 8, MMU_READ, PRV_S, false, &gpa) == MMU_ACCESS_FAULT);

	/* A pointer PTE leading outside RAM. */
	root = setup(SATP_MODE_SV39);
	*pte_at(root + 1 * 8) = make_pte(0x1000, PTE_V);
	CHECK(xl(va, 8, MMU_READ, PRV_S, false, &gpa) == MMU_ACCESS_FAULT);

	/* PMP forbids the read of the root table to S-mode. */
	root = setup(SATP_MODE_SV39);
	leaf = map(root, 3, va, DATA, 0, VRWX | AD);
	pmp_write_addr(&mmu.pmp, 0, napot(root, 0x1000));
	pmp_write_cfg(&mmu.pmp, 0, PMP_A_NAPOT | PMP_X);
	CHECK(xl(va, 8, MMU_READ, PRV_S, false, &gpa) == MMU_ACCESS_FAULT);
	CHECK(xl(va, 8, MMU_READ, PRV_U, false, &gpa) == MMU_ACCESS_FAULT);
	/* The same for the leaf table only. */
	pmp_write_addr(&mmu.pmp, 0, napot(leaf & ~0xfffull, 0x1000));
	CHECK(xl(va, 8, MMU_READ, PRV_S, false, &gpa) == MMU_ACCESS_FAULT);
	/* Read allowed, write not: fine while A and D are already set... */
	pmp_write_cfg(&mmu.pmp, 0, PMP_A_NAPOT | PMP_R);
	CHECK(xl(va, 8, MMU_WRITE, PRV_S, false, &gpa) == MMU_OK);
	/* ... but setting them is a store to the PTE: access fault. */
	*pte_at(leaf) = make_pte(DATA, VRWX);
	CHECK(xl(va, 8, MMU_READ, PRV_S, false, &gpa) == MMU_ACCESS_FAULT);
	CHECK_EQ_U64(*pte_at(leaf), make_pte(DATA, VRWX));
	*pte_at(leaf) = make_pte(DATA, VRWX | PTE_A);
	CHECK(xl(va, 8, MMU_READ, PRV_S, false, &gpa) == MMU_OK);
	CHECK(xl(va, 8, MMU_WRITE, PRV_S, false, &gpa) == MMU_ACCESS_FAULT);
	/* A page fault found by the walk comes first. */
	*pte_at(leaf) = make_pte(DATA, PTE_V | PTE_R);
	CHECK(xl(va, 8, MMU_WRITE, PRV_S, false, &gpa) == MMU_PAGE_FAULT);

	/* PMP on the final physical address. */
	root = setup(SATP_MODE_SV39);
	map(root, 3, va, DATA, 0, VRWX | AD);
	map(root, 3, va + 0x1000, DATA + 0x1000, 0, PTE_V | PTE_R | AD);
	pmp_write_addr(&mmu.pmp, 0, napot(DATA, 0x2000));
	pmp_write_cfg(&mmu.pmp, 0, PMP_A_NAPOT | PMP_R);
	CHECK(xl(va, 8, MMU_READ, PRV_S, false, &gpa) == MMU_OK);
	CHECK(xl(va, 8, MMU_WRITE, PRV_S, false, &gpa) == MMU_ACCESS_FAULT);
	CHECK(xl(va, 4, MMU_EXEC, PRV_S, false, &gpa) == MMU_ACCESS_FAULT);
	CHECK(mmu_tlb_entry(&mmu, TLB_CTX_S, MMU_WRITE, va)->tag ==
	      TLB_INVALID);
	/* PTE forbids the write too: page fault wins. */
	CHECK(xl(va + 0x1000, 8, MMU_WRITE, PRV_S, false, &gpa) ==
	      MMU_PAGE_FAULT);
	/* With W granted by PMP the write goes through... */
	pmp_write_cfg(&mmu.pmp, 0, PMP_A_NAPOT | PMP_R | PMP_W | PMP_X);
	CHECK(xl(va, 8, MMU_WRITE, PRV_S, false, &gpa) == MMU_OK);
	/* ... and an access straddling the entry's end fails. */
	map(root, 3, va + 0x2000, DATA + 0x1000, 0, VRWX | AD);
	pmp_write_addr(&mmu.pmp, 0, (DATA + 0x1ffc) >> 2);
	pmp_write_cfg(&mmu.pmp, 0, PMP_A_NA4 | PMP_R);
	CHECK(xl(va + 0x2ffa, 4, MMU_READ, PRV_S, false, &gpa) ==
	      MMU_ACCESS_FAULT);
	CHECK(xl(va + 0x2ff8, 4, MMU_READ, PRV_S, false, &gpa) == MMU_OK);
}

static void test_tlb_fill_rules(void)
{
	uint64_t root = setup(SATP_MODE_SV39), gpa, va = 0x40001000;

	/* MMIO result: translated, not cached. */
	map(root, 3, va, UART, 0, PTE_V | PTE_R | PTE_W | AD);
	CHECK(xl(va + 5, 1, MMU_WRITE, PRV_S, false, &gpa) == MMU_OK);
	CHECK_EQ_U64(gpa, UART + 5);
	CHECK(tlb_empty());
	/* Last RAM page, and a page just past RAM. */
	map(root, 3, va + 0x1000, RAM + RAM_SIZE - 0x1000, 0, VRWX | AD);
	map(root, 3, va + 0x2000, RAM + RAM_SIZE, 0, VRWX | AD);
	CHECK(xl(va + 0x1ff8, 8, MMU_READ, PRV_S, false, &gpa) == MMU_OK);
	CHECK(tlb_maps(TLB_CTX_S, MMU_READ, va + 0x1ff8, gpa));
	CHECK(xl(va + 0x2000, 8, MMU_READ, PRV_S, false, &gpa) == MMU_OK);
	CHECK_EQ_U64(gpa, RAM + RAM_SIZE);
	CHECK(mmu_tlb_entry(&mmu, TLB_CTX_S, MMU_READ, va + 0x2000)->tag ==
	      TLB_INVALID);

	/* A PMP boundary inside the page: allowed, but not cached. */
	map(root, 3, va + 0x3000, DATA, 0, VRWX | AD);
	pmp_write_addr(&mmu.pmp, 0, (DATA + 0x800) >> 2);
	pmp_write_cfg(&mmu.pmp, 0, PMP_A_NA4);
	CHECK(xl(va + 0x3000, 8, MMU_WRITE, PRV_S, false, &gpa) == MMU_OK);
	CHECK_EQ_U64(gpa, DATA);
	CHECK(mmu_tlb_entry(&mmu, TLB_CTX_S, MMU_WRITE, va + 0x3000)->tag ==
	      TLB_INVALID);
	CHECK(xl(va + 0x3800, 4, MMU_READ, PRV_S, false, &gpa) ==
	      MMU_ACCESS_FAULT);

	/* A superpage is cached 4 KiB at a time. */
	map(root, 3, 0x40200000, RAM + 0x400000, 1, VRWX | AD);
	CHECK(xl(0x40234568, 8, MMU_WRITE, PRV_S, false, &gpa) == MMU_OK);
	CHECK(tlb_maps(TLB_CTX_S, MMU_WRITE, 0x40234000, RAM + 0x434000));
	CHECK(mmu_tlb_entry(&mmu, TLB_CTX_S, MMU_WRITE, 0x40235000)->tag ==
	      TLB_INVALID);
	/* The host pointer in the entry really is guest RAM. */
	{
		struct tlb_entry *e =
			mmu_tlb_entry(&mmu, TLB_CTX_S, MMU_WRITE, 0x40234568);
		uint64_t v = 0x1122334455667788ull, got;

		memcpy((void *)(uintptr_t)(e->addend + 0x40234568), &v, 8);
		CHECK(bus_read(&bus, RAM + 0x434568, 8, &got) == 0);
		CHECK_EQ_U64(got, v);
	}
}

static void test_sv48(void)
{
	uint64_t root = setup(SATP_MODE_SV48), gpa, leaf;

	/* Highest canonical 4 KiB page of the lower half. */
	leaf = map(root, 4, 0x00007ffffffff000ull, DATA, 0, VRWX);
	CHECK(xl(0x00007ffffffffff8ull, 8, MMU_WRITE, PRV_S, false, &gpa) ==
	      MMU_OK);
	CHECK_EQ_U64(gpa, DATA + 0xff8);
	CHECK_EQ_U64(*pte_at(leaf), make_pte(DATA, VRWX | AD));
	/* 512 GiB page at pa 0: offset 0x80000010 lands in RAM. */
	map(root, 4, 0x0000008000000000ull, 0, 3, VRWX | AD);
	CHECK(xl(0x0000008080000010ull, 8, MMU_READ, PRV_S, false, &gpa) ==
	      MMU_OK);
	CHECK_EQ_U64(gpa, RAM + 0x10);
	CHECK(tlb_maps(TLB_CTX_S, MMU_READ, 0x0000008080000010ull, RAM + 0x10));
	/* Misaligned 512 GiB page. */
	map(root, 4, 0x0000010000000000ull, 0x40000000, 3, VRWX | AD);
	CHECK(xl(0x0000010000000000ull, 8, MMU_READ, PRV_S, false, &gpa) ==
	      MMU_PAGE_FAULT);
	/* 1 GiB and 2 MiB pages. */
	map(root, 4, 0x0000004000000000ull, RAM, 2, VRWX | AD);
	CHECK(xl(0x0000004000abcdefull, 1, MMU_READ, PRV_S, false, &gpa) ==
	      MMU_OK);
	CHECK_EQ_U64(gpa, RAM + 0xabcdef);
	map(root, 4, 0x0000000000200000ull, RAM + 0x600000, 1, VRWX | AD);
	CHECK(xl(0x0000000000212345ull, 1, MMU_READ, PRV_S, false, &gpa) ==
	      MMU_OK);
	CHECK_EQ_U64(gpa, RAM + 0x612345);
	/* Upper half: index 256 of the root. */
	map(root, 4, 0xffff800000000000ull, 0, 3, VRWX | AD);
	CHECK(xl(0xffff800080000020ull, 8, MMU_READ, PRV_S, false, &gpa) ==
	      MMU_OK);
	CHECK_EQ_U64(gpa, RAM + 0x20);
	/* Same index, not sign-extended from bit 47. */
	CHECK(xl(0x0000800080000020ull, 8, MMU_READ, PRV_S, false, &gpa) ==
	      MMU_PAGE_FAULT);
	CHECK(xl(0x7fff800080000020ull, 8, MMU_READ, PRV_S, false, &gpa) ==
	      MMU_PAGE_FAULT);
	/* A V=0 PTE at level 0 of an existing leaf table. */
	CHECK(xl(0x00007fffffffe000ull, 8, MMU_READ, PRV_S, false, &gpa) ==
	      MMU_PAGE_FAULT);
}

static void test_sv57(void)
{
	uint64_t root = setup(SATP_MODE_SV57), gpa, leaf;

	/* Highest canonical 4 KiB page of the lower half. */
	leaf = map(root, 5, 0x00fffffffffff000ull, DATA + 0x1000, 0,
		   PTE_V | PTE_R);
	CHECK(xl(0x00fffffffffff010ull, 8, MMU_READ, PRV_S, false, &gpa) ==
	      MMU_OK);
	CHECK_EQ_U64(gpa, DATA + 0x1010);
	CHECK_EQ_U64(*pte_at(leaf),
		     make_pte(DATA + 0x1000, PTE_V | PTE_R | PTE_A));
	/* 256 TiB page (level 4) at pa 0. */
	map(root, 5, 0x0001000000000000ull, 0, 4, VRWX | AD);
	CHECK(xl(0x0001000080000008ull, 8, MMU_READ, PRV_S, false, &gpa) ==
	      MMU_OK);
	CHECK_EQ_U64(gpa, RAM + 8);
	/* Misaligned: ppn[3] != 0. */
	map(root, 5, 0x0002000000000000ull, 0x8000000000ull, 4, VRWX | AD);
	CHECK(xl(0x0002000000000000ull, 8, MMU_READ, PRV_S, false, &gpa) ==
	      MMU_PAGE_FAULT);
	/* 512 GiB page (level 3). */
	map(root, 5, 0x0000008000000000ull, 0, 3, VRWX | AD);
	CHECK(xl(0x0000008080000018ull, 8, MMU_READ, PRV_S, false, &gpa) ==
	      MMU_OK);
	CHECK_EQ_U64(gpa, RAM + 0x18);
	/* Canonical in Sv57 although not in Sv48. */
	map(root, 5, 0x0000800000000000ull, RAM, 2, VRWX | AD);
	CHECK(xl(0x0000800000000100ull, 8, MMU_READ, PRV_S, false, &gpa) ==
	      MMU_OK);
	CHECK_EQ_U64(gpa, RAM + 0x100);
	/* Upper half (root index 256) and its non-canonical twin. */
	map(root, 5, 0xff00000000000000ull, RAM, 2, VRWX | AD | PTE_U);
	CHECK(xl(0xff00000000000200ull, 8, MMU_READ, PRV_U, false, &gpa) ==
	      MMU_OK);
	CHECK_EQ_U64(gpa, RAM + 0x200);
	CHECK(xl(0x0100000000000200ull, 8, MMU_READ, PRV_U, false, &gpa) ==
	      MMU_PAGE_FAULT);
	CHECK(xl(0xfe00000000000200ull, 8, MMU_READ, PRV_U, false, &gpa) ==
	      MMU_PAGE_FAULT);
}

struct racer {
	uint64_t *pte;
	int rounds;
	int started, done;
};

/* Counts in the PPN field, so a lost update shows as a short count. */
static void *bump_ppn(void *arg)
{
	struct racer *r = arg;

	while (!__atomic_load_n(&r->started, __ATOMIC_ACQUIRE))
		;
	for (int i = 0; i < r->rounds; i++) {
		__atomic_fetch_add(r->pte, 1ull << 10, __ATOMIC_SEQ_CST);
		__atomic_fetch_and(r->pte, ~(uint64_t)AD, __ATOMIC_SEQ_CST);
	}
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Another hart edits the PTE while this one sets A/D: no edit is lost. */
static void test_ad_race(void)
{
	uint64_t root = setup(SATP_MODE_SV39), gpa, va = 0x40001000;
	uint64_t leaf = map(root, 3, va, DATA, 0, VRWX);
	struct racer r = { pte_at(leaf), 100000, 0, 0 };
	pthread_t t;
	bool all_ok = true;
	long walks = 0;

	CHECK(pthread_create(&t, NULL, bump_ppn, &r) == 0);
	__atomic_store_n(&r.started, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&r.done, __ATOMIC_ACQUIRE)) {
		if (xl(va, 8, MMU_WRITE, PRV_S, false, &gpa) != MMU_OK)
			all_ok = false;
		walks++;
	}
	pthread_join(t, NULL);
	CHECK(all_ok);
	CHECK(walks > 0);
	CHECK_EQ_U64(*pte_at(leaf) & ~(uint64_t)AD,
		     make_pte(DATA + 100000ull * 4096, VRWX));
	CHECK(xl(va, 8, MMU_WRITE, PRV_S, false, &gpa) == MMU_OK);
	CHECK_EQ_U64(gpa, DATA + 100000ull * 4096);
	CHECK_EQ_U64(*pte_at(leaf),
		     make_pte(DATA + 100000ull * 4096, VRWX | AD));
}

/* Regression: a zeroed struct mmu holds tag 0 everywhere, which looks
 * like a valid entry for page 0 until mmu_init clears it. */
static void test_init_clears_zeroed_tlb(void)
{
	memset(&mmu, 0, sizeof(mmu));
	CHECK(mmu_init(&mmu, &bus) == 0);
	CHECK(tlb_empty());
}

/*
 * The write tables never map a page with flags (code, watched), hold one
 * entry per page and context, and mmu_unmap_write finds them all.
 */
static void test_write_map(void)
{
	uint64_t root = setup(SATP_MODE_SV39), gpa;
	uint64_t va = 0x40001000, alias = 0x40005000, other = 0x40002000;
	uint64_t code = DATA + 0x10000;

	map(root, 3, va, DATA, 0, VRWX | PTE_U | AD);
	map(root, 3, alias, DATA, 0, VRWX | PTE_U | AD);
	map(root, 3, other, DATA + 0x1000, 0, VRWX | PTE_U | AD);
	map(root, 3, 0x40003000, code, 0, VRWX | AD);

	/* a page with code: written through, never cached for writes */
	bus_mark_code(&bus, code);
	CHECK(xl(0x40003010, 8, MMU_WRITE, PRV_S, false, &gpa) == MMU_OK);
	CHECK_EQ_U64(gpa, code + 0x10);
	CHECK(mmu_tlb_entry(&mmu, TLB_CTX_S, MMU_WRITE, 0x40003000)->tag ==
	      TLB_INVALID);
	CHECK(xl(0x40003010, 8, MMU_READ, PRV_S, false, &gpa) == MMU_OK);
	CHECK(tlb_maps(TLB_CTX_S, MMU_READ, 0x40003000, code));
	/* the store that clears the flag lets the next write fill */
	CHECK(bus_write(&bus, code, 8, 1) == 0);
	CHECK(xl(0x40003010, 8, MMU_WRITE, PRV_S, false, &gpa) == MMU_OK);
	CHECK(tlb_maps(TLB_CTX_S, MMU_WRITE, 0x40003000, code));

	/* two addresses of one page in one context: the second evicts */
	CHECK(xl(va, 8, MMU_WRITE, PRV_U, false, &gpa) == MMU_OK);
	CHECK(tlb_maps(TLB_CTX_U, MMU_WRITE, va, DATA));
	CHECK(xl(alias, 8, MMU_WRITE, PRV_U, false, &gpa) == MMU_OK);
	CHECK(tlb_maps(TLB_CTX_U, MMU_WRITE, alias, DATA));
	CHECK(!tlb_maps(TLB_CTX_U, MMU_WRITE, va, DATA));
	/* in another context both stay */
	CHECK(xl(va, 8, MMU_WRITE, PRV_S, true, &gpa) == MMU_OK);
	CHECK(xl(other, 8, MMU_WRITE, PRV_U, false, &gpa) == MMU_OK);
	CHECK(xl(va, 8, MMU_READ, PRV_U, false, &gpa) == MMU_OK);
	CHECK(tlb_maps(TLB_CTX_S_SUM, MMU_WRITE, va, DATA));
	CHECK(tlb_maps(TLB_CTX_U, MMU_WRITE, alias, DATA));

	/* unmapping the page's writes: every context, nothing else */
	mmu_unmap_write(&mmu, DATA + 0x123);
	CHECK(!tlb_maps(TLB_CTX_S_SUM, MMU_WRITE, va, DATA));
	CHECK(!tlb_maps(TLB_CTX_U, MMU_WRITE, alias, DATA));
	CHECK(tlb_maps(TLB_CTX_U, MMU_READ, va, DATA));
	CHECK(tlb_maps(TLB_CTX_U, MMU_WRITE, other, DATA + 0x1000));
	/* a stale slot (entry since refilled for another page) is left */
	CHECK(xl(va, 8, MMU_WRITE, PRV_U, false, &gpa) == MMU_OK);
	map(root, 3, va + 0x1000000, DATA + 0x2000, 0, VRWX | PTE_U | AD);
	CHECK(xl(va + 0x1000000, 8, MMU_WRITE, PRV_U, false, &gpa) == MMU_OK);
	mmu_unmap_write(&mmu, DATA);
	CHECK(tlb_maps(TLB_CTX_U, MMU_WRITE, va + 0x1000000, DATA + 0x2000));
	/* outside RAM: nothing to do */
	mmu_unmap_write(&mmu, UART);
}

/*
 * SFENCE.VMA for one address drops every translation of the superpage it
 * lies in (the TLB caches them 4 KiB at a time); outside superpages it
 * drops just that page's.
 */
static void test_flush_page_superpage(void)
{
	uint64_t root = setup(SATP_MODE_SV39), gpa;

	map(root, 3, 0x40200000, RAM + 0x400000, 1, VRWX | AD);
	map(root, 3, 0x40001000, DATA, 0, VRWX | AD);
	map(root, 3, 0x40002000, DATA + 0x1000, 0, VRWX | AD);
	CHECK(xl(0x40201008, 8, MMU_READ, PRV_S, false, &gpa) == MMU_OK);
	CHECK(xl(0x40333000, 8, MMU_READ, PRV_S, false, &gpa) == MMU_OK);
	CHECK(xl(0x40001000, 8, MMU_READ, PRV_S, false, &gpa) == MMU_OK);
	CHECK(xl(0x40002000, 8, MMU_READ, PRV_S, false, &gpa) == MMU_OK);
	/* a 4 KiB page: only it goes */
	mmu_flush_page(&mmu, 0x40001234);
	CHECK(!tlb_maps(TLB_CTX_S, MMU_READ, 0x40001000, DATA));
	CHECK(tlb_maps(TLB_CTX_S, MMU_READ, 0x40002000, DATA + 0x1000));
	CHECK(tlb_maps(TLB_CTX_S, MMU_READ, 0x40201000, RAM + 0x401000));
	/* an address in the megapage: all of it goes */
	mmu_flush_page(&mmu, 0x40200000);
	CHECK(!tlb_maps(TLB_CTX_S, MMU_READ, 0x40201000, RAM + 0x401000));
	CHECK(!tlb_maps(TLB_CTX_S, MMU_READ, 0x40333000, RAM + 0x533000));
	/* after a full flush no superpage is cached: page flushes are exact */
	CHECK(xl(0x40002000, 8, MMU_READ, PRV_S, false, &gpa) == MMU_OK);
	CHECK(xl(0x40001000, 8, MMU_READ, PRV_S, false, &gpa) == MMU_OK);
	mmu_flush_page(&mmu, 0x40250000);
	CHECK(tlb_maps(TLB_CTX_S, MMU_READ, 0x40001000, DATA));
	CHECK(tlb_maps(TLB_CTX_S, MMU_READ, 0x40002000, DATA + 0x1000));
}

/*
 * fetch_gen (the JIT's jump table keys on it) changes when a fetch
 * translation may have changed: not for a page flush of data only.
 */
static void test_fetch_gen(void)
{
	uint64_t root = setup(SATP_MODE_SV39), gpa, gen;
	/* a page whose fetch entry has code's index in the TLB */
	uint64_t alias = 0x40001000 + ((uint64_t)TLB_SIZE << 12);

	map(root, 3, 0x40001000, DATA, 0, VRWX | AD);
	map(root, 3, alias, DATA + 0x1000, 0, VRWX | AD);
	map(root, 3, 0x40003000, DATA + 0x2000, 0, VRWX | AD);
	CHECK(xl(0x40001000, 2, MMU_EXEC, PRV_S, false, &gpa) == MMU_OK);
	CHECK(xl(0x40003000, 8, MMU_WRITE, PRV_S, false, &gpa) == MMU_OK);
	gen = mmu.fetch_gen;
	mmu_flush_page(&mmu, 0x40003000);
	CHECK(mmu.fetch_gen == gen);
	mmu_flush_page(&mmu, 0x40001000);
	CHECK(mmu.fetch_gen != gen);
	/* an evicted fetch entry: the next page flush may be for it */
	CHECK(xl(0x40001000, 2, MMU_EXEC, PRV_S, false, &gpa) == MMU_OK);
	CHECK(xl(alias, 2, MMU_EXEC, PRV_S, false, &gpa) == MMU_OK);
	gen = mmu.fetch_gen;
	mmu_flush_page(&mmu, 0x40003000);
	CHECK(mmu.fetch_gen != gen);
	gen = mmu.fetch_gen;
	mmu_flush_page(&mmu, 0x40003000);
	CHECK(mmu.fetch_gen == gen);
	/* a fetch entry of another context (user) counts too */
	map(root, 3, 0x40005000, DATA + 0x3000, 0, VRWX | PTE_U | AD);
	CHECK(xl(0x40005000, 2, MMU_EXEC, PRV_U, false, &gpa) == MMU_OK);
	gen = mmu.fetch_gen;
	mmu_flush_page(&mmu, 0x40005000);
	CHECK(mmu.fetch_gen != gen);
	gen = mmu.fetch_gen;
	mmu_flush(&mmu);
	CHECK(mmu.fetch_gen != gen);
}

/*
 * What the window lets the host do at gva: 0 nothing, 1 read, 2 read and
 * write. Asked through a pipe, so that a page that is not there gives
 * EFAULT instead of a fault.
 */
static int win_access(uint64_t gva)
{
	const uint8_t *p = mmu.win.base + gva;
	int fd[2], r = 0;
	uint8_t byte;

	if (pipe(fd))
		return -1;
	if (write(fd[1], p, 1) == 1) {
		r = 1;
		byte = *p;
		/* the same byte back, by the kernel: EFAULT if read-only */
		if (write(fd[1], &byte, 1) == 1 &&
		    read(fd[0], (void *)p, 1) == 1)
			r = 2;
	}
	close(fd[0]);
	close(fd[1]);
	return r;
}

/* Does the window show RAM page gpa at gva? */
static bool win_shows(uint64_t gva, uint64_t gpa)
{
	uint8_t *ram = bus_ram_ptr(&bus, gpa, 8);
	uint64_t mark = 0x1122334455667788ull ^ gva, got;

	memcpy(ram, &mark, 8);
	memcpy(&got, mmu.win.base + gva, 8);
	return got == mark;
}

static void test_window(void)
{
	uint64_t root = setup(SATP_MODE_SV39), satp = mmu.satp, gpa;
	uint64_t a = 0x10000, b = 0x11000, c = 0x12000, pte_a, pte_b;
	uint64_t high = WINDOW_BYTES - 0x1000;

	CHECK(window_init(&mmu.win, bus.ram_fd, RAM, 8) == 0);
	pte_a = map(root, 3, a, DATA, 0, VRWX | PTE_U | AD);
	pte_b = map(root, 3, b, DATA + 0x1000, 0, PTE_V | PTE_R | PTE_U | AD);
	map(root, 3, c, DATA + 0x2000, 0, VRWX | PTE_U | PTE_A);
	map(root, 3, high, DATA + 0x3000, 0, VRWX | PTE_U | AD);
	map(root, 3, 0x40000000, DATA + 0x4000, 0, VRWX | AD);

	/* not in use: fills map nothing, translated code sees no page */
	CHECK(xl(a, 8, MMU_WRITE, PRV_U, false, &gpa) == MMU_OK);
	CHECK(win_access(a) == 0);
	CHECK(mmu.win.code_base != mmu.win.base);
	mmu_window_take(&mmu);
	CHECK(mmu.win.code_base == mmu.win.base);
	CHECK(mmu.win_owner == satp);

	/* a read fill maps read-only, a write fill writable */
	CHECK(xl(b, 8, MMU_READ, PRV_U, false, &gpa) == MMU_OK);
	CHECK(win_access(b) == 1);
	CHECK(win_shows(b, DATA + 0x1000));
	CHECK(xl(a, 8, MMU_READ, PRV_U, false, &gpa) == MMU_OK);
	/* ...but the write entry beside a read fill makes it writable */
	CHECK(win_access(a) == 2);
	CHECK(win_shows(a, DATA));
	CHECK(xl(c, 8, MMU_READ, PRV_U, false, &gpa) == MMU_OK);
	CHECK(win_access(c) == 1);
	/* the last user page below the window's end; none past it */
	CHECK(xl(high, 8, MMU_WRITE, PRV_U, false, &gpa) == MMU_OK);
	CHECK(win_access(high) == 2);
	CHECK(win_access(WINDOW_BYTES) == 0);
	/* a supervisor fill maps nothing */
	CHECK(xl(0x40000000, 8, MMU_WRITE, PRV_S, false, &gpa) == MMU_OK);
	CHECK(win_access(0x40000000) == 0);

	/* a full flush keeps what still translates the same */
	mmu_flush(&mmu);
	CHECK(win_access(a) == 2 && win_access(b) == 1);
	/* ...and drops a remapped page, write-protects a page not dirty */
	*pte_at(pte_b) = make_pte(DATA + 0x5000, PTE_V | PTE_R | PTE_U | AD);
	*pte_at(pte_a) = make_pte(DATA, VRWX | PTE_U | PTE_A);
	mmu_flush(&mmu);
	CHECK(win_access(b) == 0);
	CHECK(win_access(a) == 1);
	CHECK(win_shows(a, DATA));
	/* A clear: dropped (a walk would have to set it) */
	*pte_at(pte_a) = make_pte(DATA, VRWX | PTE_U);
	mmu_flush(&mmu);
	CHECK(win_access(a) == 0);
	CHECK((*pte_at(pte_a) & PTE_A) == 0);

	/* a page flush unmaps its page, and revalidation does not revive a
	 * write-protected one as anonymous memory */
	*pte_at(pte_a) = make_pte(DATA, VRWX | PTE_U | AD);
	CHECK(xl(a, 8, MMU_WRITE, PRV_U, false, &gpa) == MMU_OK);
	CHECK(win_access(a) == 2);
	mmu_flush_page(&mmu, a);
	CHECK(win_access(a) == 0);
	*pte_at(pte_a) = make_pte(DATA, VRWX | PTE_U | PTE_A);
	mmu_flush(&mmu);
	CHECK(win_access(a) == 0 || win_shows(a, DATA));

	/* a page that becomes code is write-protected */
	*pte_at(pte_a) = make_pte(DATA, VRWX | PTE_U | AD);
	CHECK(xl(a, 8, MMU_WRITE, PRV_U, false, &gpa) == MMU_OK);
	CHECK(win_access(a) == 2);
	mmu_window_protect(&mmu, DATA + 0x123);
	CHECK(win_access(a) == 1);
	CHECK(win_shows(a, DATA));

	/* another satp: not in use; back to the owner: revalidated */
	CHECK(xl(b, 8, MMU_READ, PRV_U, false, &gpa) == MMU_OK);
	CHECK(win_access(b) == 1);
	mmu_set_satp(&mmu, satp + 1);
	CHECK(!mmu.win_active && mmu.win.code_base != mmu.win.base);
	*pte_at(pte_b) = make_pte(DATA + 0x1000, PTE_V | PTE_R | PTE_U | AD);
	mmu_set_satp(&mmu, satp);
	CHECK(mmu.win_active && mmu.win.code_base == mmu.win.base);
	CHECK(win_access(b) == 0); /* it moved while the owner was away */
	CHECK(win_access(a) == 1);

	/* more pages than it holds: it starts again */
	for (unsigned i = 0; i < 9; i++) {
		uint64_t v = 0x20000 + 0x1000 * i;

		map(root, 3, v, DATA + 0x1000 * i, 0, VRWX | PTE_U | AD);
		CHECK(xl(v, 8, MMU_READ, PRV_U, false, &gpa) == MMU_OK);
	}
	CHECK(win_access(0x20000) == 0 && win_access(0x28000) == 1);

	/* MXR and PMP changes empty it */
	mmu_set_mxr(&mmu, true);
	CHECK(win_access(0x28000) == 0);
	CHECK(xl(0x28000, 8, MMU_READ, PRV_U, false, &gpa) == MMU_OK);
	CHECK(win_access(0x28000) == 1);
	mmu_pmp_changed(&mmu);
	CHECK(win_access(0x28000) == 0);

	/* dropped: empty, owned by none, not in use */
	CHECK(xl(0x28000, 8, MMU_READ, PRV_U, false, &gpa) == MMU_OK);
	mmu_window_drop(&mmu);
	CHECK(win_access(0x28000) == 0 && !mmu.win_active &&
	      mmu.win_owner == 0);
	CHECK(xl(0x28000, 8, MMU_READ, PRV_U, false, &gpa) == MMU_OK);
	CHECK(win_access(0x28000) == 0);
}

int main(void)
{
	if (bus_init(&bus, RAM, RAM_SIZE, true) != 0) {
		fprintf(stderr, "bus_init failed\n");
		return 1;
	}
	test_init_clears_zeroed_tlb();
	test_satp_valid();
	test_bare_and_m();
	test_sv39_4k_and_ad();
	test_sv39_superpages();
	test_sv39_bad_ptes();
	test_permissions();
	test_access_faults();
	test_tlb_fill_rules();
	test_sv48();
	test_sv57();
	test_ad_race();
	test_write_map();
	test_flush_page_superpage();
	test_fetch_gen();
	test_window();
	mmu_destroy(&mmu);
	bus_destroy(&bus);
	return unit_done("test_mmu");
}
