/*
 * Address translation: Sv39, Sv48 and Sv57 page-table walks, PMP, and the
 * software TLB that engines probe inline.
 *
 * Specs: RISC-V privileged architecture 1.12, section 4.3-4.5 (Sv39,
 * Sv48, Sv57), 3.7 (PMP). A/D bits are updated by the walker with an
 * atomic compare-and-swap on the PTE (the hardware-update option of priv
 * 1.12; Svadu's menvcfg.ADUE is not modelled and Svadu is not advertised).
 *
 * The TLB is direct-mapped, split by access type (read, write, execute)
 * and by translation context (U, S, S with SUM, M), so that privilege
 * changes and SUM toggles need no flush. Only RAM pages whose whole 4 KiB
 * has one PMP outcome are cached; everything else takes the slow path
 * every time. An entry maps a guest-virtual page straight to a host
 * address: hva = gva + addend.
 *
 * The write tables never map a page with page flags (mem/bus.h: code an
 * engine decoded, or a watched page), so a store that hits them needs no
 * further check: a store to such a page misses and takes the slow path,
 * which notifies the bus. An engine that marks a page as code calls
 * mmu_unmap_write for it; to find those entries, each context holds at
 * most one write entry per guest-physical page (wmap). Other harts' write
 * entries are left: cross-modifying code needs FENCE.I on the hart that
 * runs it, and FENCE.I with several harts drops the engines' code.
 */
#ifndef MEM_MMU_H
#define MEM_MMU_H

#include <stdbool.h>
#include <stdint.h>

#include "mem/bus.h"
#include "mem/window.h"

/* Privilege levels, numbered as in mstatus.MPP. */
enum { PRV_U = 0, PRV_S = 1, PRV_M = 3 };

enum mmu_access { MMU_READ = 0, MMU_WRITE = 1, MMU_EXEC = 2 };

enum mmu_result { MMU_OK = 0, MMU_PAGE_FAULT, MMU_ACCESS_FAULT };

/* satp.MODE values */
enum {
	SATP_MODE_BARE = 0,
	SATP_MODE_SV39 = 8,
	SATP_MODE_SV48 = 9,
	SATP_MODE_SV57 = 10
};
#define SATP_MODE_SHIFT 60
#define SATP_PPN_MASK ((1ull << 44) - 1)
#define SATP_ASID_SHIFT 44
#define SATP_ASID_MASK 0xffffull

/* PTE bits */
#define PTE_V (1u << 0)
#define PTE_R (1u << 1)
#define PTE_W (1u << 2)
#define PTE_X (1u << 3)
#define PTE_U (1u << 4)
#define PTE_G (1u << 5)
#define PTE_A (1u << 6)
#define PTE_D (1u << 7)

/* pmpcfg fields */
#define PMP_R 0x01
#define PMP_W 0x02
#define PMP_X 0x04
#define PMP_A_MASK 0x18
#define PMP_A_OFF 0x00
#define PMP_A_TOR 0x08
#define PMP_A_NA4 0x10
#define PMP_A_NAPOT 0x18
#define PMP_L 0x80

#define PMP_COUNT 16
/* Physical addresses are 56 bits; pmpaddr holds bits 55:2. */
#define PMP_ADDR_MASK ((1ull << 54) - 1)

struct pmp {
	uint8_t cfg[PMP_COUNT];
	uint64_t addr[PMP_COUNT];
	/*
	 * The entries that match something, in priority order, with their
	 * ranges: remade on every write, so that a check (every page-table
	 * read of a walk) looks at two or three entries, not all of them.
	 */
	unsigned nactive;
	struct pmp_range {
		uint64_t lo, hi;
		uint8_t cfg;
	} active[PMP_COUNT];
	/*
	 * The last deciding entry's cfg and the part of its range that no
	 * earlier entry touches: an access inside gets its answer at once.
	 * Empty (lo > hi) after every write.
	 */
	uint64_t memo_lo, memo_hi;
	uint8_t memo_cfg;
};

void pmp_reset(struct pmp *pmp);
/* CSR-level writes with WARL and lock rules (priv 3.7.1). */
void pmp_write_cfg(struct pmp *pmp, unsigned index, uint8_t val);
void pmp_write_addr(struct pmp *pmp, unsigned index, uint64_t val);
uint64_t pmp_read_addr(const struct pmp *pmp, unsigned index);
/*
 * May privilege priv perform acc on every byte of [pa, pa+len)? The lowest
 * matching entry decides and must cover the whole range; M-mode is
 * checked only against locked entries; S/U with no match fail when any
 * entry is active.
 */
bool pmp_check(struct pmp *pmp, uint64_t pa, uint64_t len, enum mmu_access acc,
	       unsigned priv);
/* Does every byte of the 4 KiB page at pa get the same PMP answer for
 * every access type and privilege? (Then a TLB entry may cover it.) */
bool pmp_page_uniform(const struct pmp *pmp, uint64_t pa);

enum { TLB_CTX_U, TLB_CTX_S, TLB_CTX_S_SUM, TLB_CTX_M, TLB_NCTX };
/*
 * 8192 entries reach 32 MiB per context and access type. With 256, the
 * misses of 7-Zip's 4 MiB dictionary and its match finder took a fifth
 * of the JIT's time; going from 4096 entries to 8192 raised its `-md22`
 * rating by 9-14% in three same-run pairs (the match finder's tables are
 * larger than the dictionary), and 16384 by less (a bigger table is
 * more host cache to miss). A flush clears only the entries filled since
 * the last one (struct mmu, fills): clearing all the tags on each of a
 * boot's address-space switches took 3% of it.
 */
#define TLB_BITS 13
#define TLB_SIZE (1u << TLB_BITS)
#define TLB_INVALID (~0ull)
#define TLB_FILL_LOG 64
_Static_assert(TLB_SIZE <= 65536, "fill log indices are 16-bit");

struct tlb_entry {
	uint64_t tag;	  /* gva >> 12, or TLB_INVALID */
	uintptr_t addend; /* hva - gva for this page */
};

/*
 * The tables of one context. A page's read and write entries sit side by
 * side, so that an access and a store to the same page (a read-modify-
 * write) touch one host cache line, and the JIT finds the write entry
 * 16 bytes past the read entry it probed; the fetch entries are apart.
 * Entries of a table are TLB_STRIDE(acc) entries apart (mmu_tlb_table).
 */
struct tlb_ctx {
	struct tlb_entry data[TLB_SIZE][2]; /* [index][MMU_READ, MMU_WRITE] */
	struct tlb_entry fetch[TLB_SIZE];
};

#define TLB_STRIDE(acc) ((acc) == MMU_EXEC ? 1u : 2u)

struct mmu {
	struct bus *bus;
	uint64_t satp;
	bool mxr;
	struct pmp pmp;
	/*
	 * Entries filled since the last flush, per table: their indices
	 * while there are at most TLB_FILL_LOG (a flush clears just those:
	 * a guest flushes on every address-space switch, often after a
	 * process touched a few pages), else a count past it (a flush
	 * clears the whole table).
	 */
	struct tlb_fills {
		unsigned n;
		uint16_t idx[TLB_FILL_LOG];
	} fills[TLB_NCTX][3];
	/*
	 * Per RAM page: bits 16c..16c+15 hold 1 + the index of the write
	 * entry of context c that may map it, or 0. A fill evicts the entry
	 * named there when it still maps the page.
	 */
	uint64_t *wmap;
	/*
	 * Bounds of the superpages (first and last byte) that translations
	 * cached since the last flush came through, or lo > hi for none.
	 */
	uint64_t super_lo, super_hi;
	/*
	 * Changes whenever a fetch translation that the fetch TLB holds, or
	 * held since the last change, may have changed: a full flush, or a
	 * page flush of a page that some context's fetch TLB holds (or of
	 * any page once a fetch entry was evicted, fetch_evicted). Whoever
	 * remembers fetch translations elsewhere (the JIT's jump table)
	 * keeps them while it stays the same.
	 */
	uint64_t fetch_gen;
	bool fetch_evicted;
	/*
	 * The host window (mem/window.h), when the engine has one: it
	 * holds the user pages of one address space, satp win_owner (0:
	 * none), and is in use (win_active) only while satp is win_owner.
	 * Then every fill of a user-mode read or write entry maps its page
	 * there too, and what drops TLB entries drops or checks window
	 * pages: a full flush revalidates them, a page flush unmaps one, a
	 * new code page write-protects its mappings, and a change of MXR
	 * or PMP empties the window. A switch to another satp stops its
	 * use (its pages stay, for the owner's return, which revalidates
	 * them). Who owns it is the engine's choice (mmu_window_take).
	 * win_fills counts the user-mode data fills since satp was set.
	 */
	struct window win;
	uint64_t win_owner;
	bool win_active;
	uint64_t win_fills;
	struct tlb_ctx tlb[TLB_NCTX];
};

_Static_assert(TLB_SIZE < 65536 && TLB_NCTX <= 4, "wmap slots are 16-bit");

/* Returns 0, or -ENOMEM. */
int mmu_init(struct mmu *mmu, struct bus *bus);
void mmu_destroy(struct mmu *mmu);
/* Drops this hart's write entries for the RAM page holding gpa. */
void mmu_unmap_write(struct mmu *mmu, uint64_t gpa);
/* Write-protects the window's mappings of the RAM page holding gpa. */
void mmu_window_protect(struct mmu *mmu, uint64_t gpa);
/*
 * The window's pages become the current satp's (emptied first when they
 * were another's), and it is in use until satp changes.
 */
void mmu_window_take(struct mmu *mmu);
/* The window is emptied, owned by none, and not in use. */
void mmu_window_drop(struct mmu *mmu);
void mmu_flush(struct mmu *mmu);
/*
 * Drops the translations of the page holding gva (SFENCE.VMA rs1): all of
 * them when gva may lie in a superpage the TLB has cached pieces of.
 */
void mmu_flush_page(struct mmu *mmu, uint64_t gva);
/* Is this a value satp may hold (MODE bare/Sv39/Sv48/Sv57)? */
bool mmu_satp_valid(uint64_t satp);
/* The caller ensures mmu_satp_valid(satp); flushes the TLB. */
void mmu_set_satp(struct mmu *mmu, uint64_t satp);
void mmu_set_mxr(struct mmu *mmu, bool mxr);
/* After a write to a PMP register: flushes the TLB, empties the window. */
void mmu_pmp_changed(struct mmu *mmu);

static inline unsigned mmu_ctx(unsigned priv, bool sum)
{
	if (priv == PRV_M)
		return TLB_CTX_M;
	if (priv == PRV_S)
		return sum ? TLB_CTX_S_SUM : TLB_CTX_S;
	return TLB_CTX_U;
}

/*
 * Translates gva for an access of len bytes (1..8, not crossing a 4 KiB
 * page) by effective privilege priv (for loads and stores the caller has
 * applied MPRV already) with mstatus.SUM = sum. Walks the page table when
 * satp is not bare and priv is not M, sets A (and D for writes), checks
 * PMP on the PTE reads and on the final address. On success stores the
 * guest-physical address in *gpa and, for RAM pages that allow it, fills
 * the TLB entry for (ctx, acc, page).
 */
enum mmu_result mmu_translate(struct mmu *mmu, uint64_t gva, unsigned len,
			      enum mmu_access acc, unsigned priv, bool sum,
			      uint64_t *gpa);

/* Entry 0 of the table of (ctx, acc); entry i is at TLB_STRIDE(acc) * i. */
static inline struct tlb_entry *mmu_tlb_table(struct mmu *mmu, unsigned ctx,
					      enum mmu_access acc)
{
	return acc == MMU_EXEC ? mmu->tlb[ctx].fetch
			       : &mmu->tlb[ctx].data[0][acc];
}

/* The entry of gva in a read or write table (hart.h: dtlb). */
static inline const struct tlb_entry *
tlb_data_entry(const struct tlb_entry *table, uint64_t gva)
{
	return &table[TLB_STRIDE(MMU_READ) * ((gva >> 12) & (TLB_SIZE - 1))];
}

static inline struct tlb_entry *mmu_tlb_entry(struct mmu *mmu, unsigned ctx,
					      enum mmu_access acc, uint64_t gva)
{
	return &mmu_tlb_table(
		mmu, ctx,
		acc)[TLB_STRIDE(acc) * ((gva >> 12) & (TLB_SIZE - 1))];
}

#endif
