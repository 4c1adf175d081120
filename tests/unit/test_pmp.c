/*
 * PMP unit tests: address matching (TOR, NA4, NAPOT), priority, partial
 * matches, L bit, WARL and lock rules of the CSR writes, defaults.
 * Expected values follow the privileged spec 1.12, section 3.7.1.
 */
#include "mem/mmu.h"
#include "tests/unit/unit.h"

#define RAM 0x80000000ull

static uint64_t napot(uint64_t base, uint64_t size)
{
	return (base >> 2) | ((size >> 3) - 1);
}

static void set(struct pmp *p, unsigned i, uint8_t cfg, uint64_t addr)
{
	pmp_write_addr(p, i, addr);
	pmp_write_cfg(p, i, cfg);
}

static void test_defaults(void)
{
	struct pmp p;

	pmp_reset(&p);
	/* "If no PMP entry matches an M-mode access, the access succeeds.
	 * ... S-mode or U-mode ... but at least one PMP entry is
	 * implemented, the access fails." */
	CHECK(pmp_check(&p, RAM, 8, MMU_READ, PRV_M));
	CHECK(pmp_check(&p, RAM, 8, MMU_WRITE, PRV_M));
	CHECK(pmp_check(&p, RAM, 4, MMU_EXEC, PRV_M));
	CHECK(!pmp_check(&p, RAM, 8, MMU_READ, PRV_S));
	CHECK(!pmp_check(&p, RAM, 8, MMU_READ, PRV_U));
	CHECK(!pmp_check(&p, RAM, 4, MMU_EXEC, PRV_S));

	/* An active entry elsewhere changes nothing for unmatched bytes. */
	set(&p, 0, PMP_A_NAPOT | PMP_R | PMP_W | PMP_X, napot(RAM, 0x1000));
	CHECK(pmp_check(&p, RAM + 0x1000, 8, MMU_WRITE, PRV_M));
	CHECK(!pmp_check(&p, RAM + 0x1000, 8, MMU_READ, PRV_S));
	CHECK(pmp_check(&p, RAM + 0xff8, 8, MMU_READ, PRV_S));
}

static void test_tor(void)
{
	struct pmp p;

	pmp_reset(&p);
	/* Entry 0 TOR: bottom is 0. */
	set(&p, 0, PMP_A_TOR | PMP_R | PMP_W, (RAM + 0x1000) >> 2);
	CHECK(pmp_check(&p, 0, 8, MMU_READ, PRV_S));
	CHECK(pmp_check(&p, RAM + 0xff8, 8, MMU_WRITE, PRV_U));
	CHECK(!pmp_check(&p, RAM + 0xff8, 4, MMU_EXEC, PRV_S));
	CHECK(!pmp_check(&p, RAM + 0x1000, 8, MMU_READ, PRV_S));
	/* Straddles the top: the entry matches some bytes only. */
	CHECK(!pmp_check(&p, RAM + 0xffc, 8, MMU_READ, PRV_S));

	/* Entry 2 TOR uses pmpaddr1 as bottom even though entry 1 is OFF. */
	pmp_reset(&p);
	set(&p, 1, PMP_A_OFF, (RAM + 0x2000) >> 2);
	set(&p, 2, PMP_A_TOR | PMP_R, (RAM + 0x3000) >> 2);
	CHECK(!pmp_check(&p, RAM + 0x1ff8, 8, MMU_READ, PRV_S));
	CHECK(pmp_check(&p, RAM + 0x2000, 8, MMU_READ, PRV_S));
	CHECK(pmp_check(&p, RAM + 0x2ff8, 8, MMU_READ, PRV_S));
	CHECK(!pmp_check(&p, RAM + 0x2000, 8, MMU_WRITE, PRV_S));
	CHECK(!pmp_check(&p, RAM + 0x3000, 8, MMU_READ, PRV_S));
	CHECK(!pmp_check(&p, RAM + 0x1ffc, 8, MMU_READ, PRV_S));

	/* "If pmpaddr[i-1] >= pmpaddr[i] ... entry i matches no addresses" */
	pmp_reset(&p);
	set(&p, 0, PMP_A_OFF, (RAM + 0x3000) >> 2);
	set(&p, 1, PMP_A_TOR | PMP_R, (RAM + 0x3000) >> 2);
	set(&p, 2, PMP_A_NAPOT | PMP_X, napot(RAM, 0x10000));
	CHECK(!pmp_check(&p, RAM + 0x2ff8, 8, MMU_READ, PRV_S));
	CHECK(pmp_check(&p, RAM + 0x2ff8, 4, MMU_EXEC, PRV_S));
}

static void test_na4_napot(void)
{
	struct pmp p;

	pmp_reset(&p);
	set(&p, 0, PMP_A_NA4 | PMP_R, (RAM + 0x10) >> 2);
	set(&p, 1, PMP_A_NAPOT | PMP_R | PMP_W, napot(RAM, 0x1000));
	CHECK(pmp_check(&p, RAM + 0x10, 4, MMU_READ, PRV_S));
	CHECK(pmp_check(&p, RAM + 0x12, 2, MMU_READ, PRV_S));
	CHECK(!pmp_check(&p, RAM + 0x10, 4, MMU_WRITE, PRV_S));
	/* 8 bytes at 0x10 touch entry 0 but it covers only 4 of them. */
	CHECK(!pmp_check(&p, RAM + 0x10, 8, MMU_READ, PRV_S));
	CHECK(!pmp_check(&p, RAM + 0xc, 8, MMU_READ, PRV_S));
	/* The neighbours fall through to entry 1. */
	CHECK(pmp_check(&p, RAM + 0x14, 4, MMU_WRITE, PRV_S));
	CHECK(pmp_check(&p, RAM + 0x8, 8, MMU_WRITE, PRV_S));
	CHECK(pmp_check(&p, RAM + 0xff8, 8, MMU_WRITE, PRV_U));
	CHECK(!pmp_check(&p, RAM + 0xffc, 8, MMU_READ, PRV_S));
	CHECK(!pmp_check(&p, RAM - 8, 8, MMU_READ, PRV_S));
	CHECK(!pmp_check(&p, RAM + 0x1000, 1, MMU_READ, PRV_S));

	/* NAPOT with no trailing ones is an 8-byte region. */
	pmp_reset(&p);
	set(&p, 0, PMP_A_NAPOT | PMP_R, (RAM + 0x40) >> 2);
	CHECK(pmp_check(&p, RAM + 0x40, 8, MMU_READ, PRV_S));
	CHECK(!pmp_check(&p, RAM + 0x48, 1, MMU_READ, PRV_S));
	CHECK(!pmp_check(&p, RAM + 0x3f, 1, MMU_READ, PRV_S));

	/* pmpaddr = 0x1ff, nine trailing ones: 2^(9+3) bytes from 0. */
	pmp_reset(&p);
	set(&p, 0, PMP_A_NAPOT | PMP_R, 0x1ff);
	CHECK(pmp_check(&p, 0, 8, MMU_READ, PRV_S));
	CHECK(pmp_check(&p, 0xff8, 8, MMU_READ, PRV_S));
	CHECK(!pmp_check(&p, 0x1000, 8, MMU_READ, PRV_S));

	/* All 54 bits set: the whole physical address space. */
	pmp_reset(&p);
	set(&p, 0, PMP_A_NAPOT | PMP_R | PMP_W | PMP_X, ~0ull);
	CHECK_EQ_U64(pmp_read_addr(&p, 0), PMP_ADDR_MASK);
	CHECK(pmp_check(&p, 0, 8, MMU_WRITE, PRV_U));
	CHECK(pmp_check(&p, (1ull << 56) - 8, 8, MMU_WRITE, PRV_U));
	CHECK(pmp_check(&p, RAM, 4, MMU_EXEC, PRV_S));
	/* Wrapping access ranges match nothing sensible. */
	CHECK(!pmp_check(&p, ~0ull - 3, 8, MMU_READ, PRV_M));
}

static void test_priority(void)
{
	struct pmp p;

	pmp_reset(&p);
	set(&p, 0, PMP_A_NAPOT | PMP_R, napot(RAM + 0x1000, 0x1000));
	set(&p, 1, PMP_A_NAPOT | PMP_R | PMP_W | PMP_X, ~0ull);
	CHECK(!pmp_check(&p, RAM + 0x1000, 8, MMU_WRITE, PRV_S));
	CHECK(pmp_check(&p, RAM + 0x1000, 8, MMU_READ, PRV_S));
	CHECK(pmp_check(&p, RAM + 0x2000, 8, MMU_WRITE, PRV_S));
	CHECK(pmp_check(&p, RAM + 0xff8, 8, MMU_WRITE, PRV_S));
	/* Partial match on the higher-priority entry fails although
	 * entry 1 would allow every byte. */
	CHECK(!pmp_check(&p, RAM + 0xffc, 8, MMU_READ, PRV_S));
	CHECK(!pmp_check(&p, RAM + 0x1ffc, 8, MMU_READ, PRV_S));
	/* ... also for M-mode, "irrespective of the L, R, W, and X bits". */
	CHECK(!pmp_check(&p, RAM + 0x1ffc, 8, MMU_READ, PRV_M));
	/* Unlocked entry: M-mode passes whatever R/W/X say. */
	CHECK(pmp_check(&p, RAM + 0x1000, 8, MMU_WRITE, PRV_M));
	CHECK(pmp_check(&p, RAM + 0x1000, 4, MMU_EXEC, PRV_M));
}

static void test_lock(void)
{
	struct pmp p;

	pmp_reset(&p);
	set(&p, 0, PMP_A_NAPOT | PMP_R | PMP_L, napot(RAM, 0x1000));
	set(&p, 1, PMP_A_NAPOT | PMP_R | PMP_W | PMP_X, ~0ull);
	/* A locked entry applies to M-mode too. */
	CHECK(pmp_check(&p, RAM, 8, MMU_READ, PRV_M));
	CHECK(!pmp_check(&p, RAM, 8, MMU_WRITE, PRV_M));
	CHECK(!pmp_check(&p, RAM, 4, MMU_EXEC, PRV_M));
	CHECK(!pmp_check(&p, RAM, 8, MMU_WRITE, PRV_S));
	CHECK(pmp_check(&p, RAM + 0x1000, 8, MMU_WRITE, PRV_M));

	/* Writes to a locked entry's cfg and addr are ignored. */
	pmp_write_cfg(&p, 0, PMP_A_NAPOT | PMP_R | PMP_W | PMP_X);
	CHECK_EQ_U64(p.cfg[0], PMP_A_NAPOT | PMP_R | PMP_L);
	pmp_write_addr(&p, 0, 0x1234);
	CHECK_EQ_U64(pmp_read_addr(&p, 0), napot(RAM, 0x1000));
	/* Entry 1 is not locked by entry 0. */
	pmp_write_addr(&p, 1, 0x1234);
	CHECK_EQ_U64(pmp_read_addr(&p, 1), 0x1234);

	/* A locked TOR entry locks pmpaddr of the entry below... */
	pmp_reset(&p);
	set(&p, 2, PMP_A_OFF, RAM >> 2);
	set(&p, 3, PMP_A_TOR | PMP_R | PMP_L, (RAM + 0x1000) >> 2);
	pmp_write_addr(&p, 2, 0);
	CHECK_EQ_U64(pmp_read_addr(&p, 2), RAM >> 2);
	/* ... but not its cfg. */
	pmp_write_cfg(&p, 2, PMP_A_NA4 | PMP_X);
	CHECK_EQ_U64(p.cfg[2], PMP_A_NA4 | PMP_X);
	CHECK_EQ_U64(p.cfg[3], PMP_A_TOR | PMP_R | PMP_L);
	/* A locked NAPOT entry does not lock the entry below. */
	pmp_reset(&p);
	set(&p, 5, PMP_A_NAPOT | PMP_L, napot(RAM, 0x1000));
	pmp_write_addr(&p, 4, 0x77);
	CHECK_EQ_U64(pmp_read_addr(&p, 4), 0x77);
	/* Entry 15 has no entry above it. */
	pmp_write_addr(&p, 15, 0x99);
	CHECK_EQ_U64(pmp_read_addr(&p, 15), 0x99);
	/* Only reset clears L. */
	pmp_reset(&p);
	CHECK_EQ_U64(p.cfg[5], 0);
}

static void test_warl(void)
{
	struct pmp p;

	pmp_reset(&p);
	pmp_write_cfg(&p, 0, PMP_A_NAPOT | PMP_R);
	/* R=0, W=1 is reserved: our WARL choice keeps the old value. */
	pmp_write_cfg(&p, 0, PMP_A_NAPOT | PMP_W);
	CHECK_EQ_U64(p.cfg[0], PMP_A_NAPOT | PMP_R);
	pmp_write_cfg(&p, 0, PMP_A_TOR | PMP_W | PMP_X);
	CHECK_EQ_U64(p.cfg[0], PMP_A_NAPOT | PMP_R);
	/* Bits 6:5 are reserved, read as zero. */
	pmp_write_cfg(&p, 1, 0x60 | PMP_A_NA4 | PMP_R | PMP_W);
	CHECK_EQ_U64(p.cfg[1], PMP_A_NA4 | PMP_R | PMP_W);
	/* pmpaddr holds bits 55:2; G = 0 reads back what was written. */
	pmp_write_addr(&p, 2, 0xffffffffffffffffull);
	CHECK_EQ_U64(pmp_read_addr(&p, 2), (1ull << 54) - 1);
	pmp_write_addr(&p, 2, 0x20000403);
	CHECK_EQ_U64(pmp_read_addr(&p, 2), 0x20000403);
	/* Out-of-range indices are harmless. */
	pmp_write_cfg(&p, PMP_COUNT, PMP_R);
	pmp_write_addr(&p, PMP_COUNT, 1);
	CHECK_EQ_U64(pmp_read_addr(&p, PMP_COUNT), 0);
}

static void test_page_uniform(void)
{
	struct pmp p;

	pmp_reset(&p);
	CHECK(pmp_page_uniform(&p, RAM));
	set(&p, 0, PMP_A_NAPOT | PMP_R, napot(RAM + 0x1000, 0x1000));
	CHECK(pmp_page_uniform(&p, RAM));
	CHECK(pmp_page_uniform(&p, RAM + 0x1000));
	CHECK(pmp_page_uniform(&p, RAM + 0x1abc));
	CHECK(pmp_page_uniform(&p, RAM + 0x2000));
	/* An NA4 entry inside a page splits it. */
	set(&p, 1, PMP_A_NA4 | PMP_R, (RAM + 0x3010) >> 2);
	CHECK(!pmp_page_uniform(&p, RAM + 0x3000));
	CHECK(!pmp_page_uniform(&p, RAM + 0x3ff8));
	CHECK(pmp_page_uniform(&p, RAM + 0x4000));
	/* A TOR top in the middle of a page. */
	set(&p, 2, PMP_A_TOR | PMP_R, (RAM + 0x5800) >> 2);
	CHECK(!pmp_page_uniform(&p, RAM + 0x5000));
	CHECK(!pmp_page_uniform(&p, RAM + 0x3000));
	CHECK(pmp_page_uniform(&p, RAM + 0x6000));
	/* Page-aligned 2 MiB NAPOT covering many pages. */
	pmp_reset(&p);
	set(&p, 0, PMP_A_NAPOT | PMP_R, napot(RAM, 0x200000));
	CHECK(pmp_page_uniform(&p, RAM + 0x123000));
	/* OFF entries do not count. */
	pmp_reset(&p);
	set(&p, 0, PMP_A_OFF, (RAM + 0x10) >> 2);
	CHECK(pmp_page_uniform(&p, RAM));
}

/*
 * The remembered answer of the last check (struct pmp, memo) must never
 * outlive a write or cover bytes an earlier entry decides: checks that
 * go back and forth between the firmware hole and the catch-all entry
 * around it (OpenSBI's layout), and an entry added over a remembered
 * range.
 */
static void test_memo(void)
{
	struct pmp p;

	pmp_reset(&p);
	set(&p, 0, PMP_A_NAPOT, napot(RAM, 0x40000));
	set(&p, 15, PMP_A_NAPOT | PMP_R | PMP_W | PMP_X, ~0ull);
	CHECK(pmp_check(&p, RAM + 0x40000, 8, MMU_READ, PRV_S));
	CHECK(!pmp_check(&p, RAM + 0x3fff8, 8, MMU_READ, PRV_S));
	CHECK(!pmp_check(&p, RAM + 0x3fffc, 8, MMU_READ, PRV_S));
	CHECK(pmp_check(&p, RAM + 0x40000, 8, MMU_WRITE, PRV_U));
	CHECK(!pmp_check(&p, RAM, 4, MMU_EXEC, PRV_S));
	CHECK(pmp_check(&p, RAM - 8, 8, MMU_READ, PRV_S));
	CHECK(!pmp_check(&p, RAM - 4, 8, MMU_READ, PRV_S));
	CHECK(pmp_check(&p, RAM + 0x100000, 8, MMU_READ, PRV_S));
	CHECK(pmp_check(&p, RAM + 0x100000, 8, MMU_READ, PRV_M));
	/* a new entry over the range just remembered */
	set(&p, 1, PMP_A_NAPOT | PMP_R, napot(RAM + 0x100000, 0x1000));
	CHECK(!pmp_check(&p, RAM + 0x100000, 8, MMU_WRITE, PRV_S));
	CHECK(pmp_check(&p, RAM + 0x100000, 8, MMU_READ, PRV_S));
	CHECK(pmp_check(&p, RAM + 0x101000, 8, MMU_WRITE, PRV_S));
	CHECK(!pmp_check(&p, RAM + 0x100ffc, 8, MMU_READ, PRV_S));
	/* and gone again */
	set(&p, 1, 0, 0);
	CHECK(pmp_check(&p, RAM + 0x100000, 8, MMU_WRITE, PRV_S));
}

int main(void)
{
	test_defaults();
	test_tor();
	test_na4_napot();
	test_priority();
	test_lock();
	test_warl();
	test_page_uniform();
	test_memo();
	return unit_done("test_pmp");
}
