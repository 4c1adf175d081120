/*
 * The host window: one address space's user pages mapped by the host's
 * own MMU, so that translated code reaches a guest-virtual address gva
 * below WINDOW_BYTES at host address base + gva with no software TLB
 * probe (the JIT's "fast memory"; mem/mmu.h decides when it is used).
 *
 * A window is a PROT_NONE reservation of WINDOW_BYTES and a guard page,
 * per hart. Guest RAM is a memfd (mem/bus.h, ram_fd), and a page joins
 * the window as a MAP_SHARED mapping of its RAM page at base + gva, read-
 * only or writable, when the software TLB fills a user-mode entry for it
 * (so only what a TLB entry may hold: plain RAM with one PMP answer, and
 * writable only with D set and no page flags). A host fault on the window
 * sends the access to its slow path (jit/jit.c), which fills the TLB.
 *
 * Each mapped page has a record (its page, its RAM page, writable), so
 * that a full TLB flush need not unmap everything: window_revalidate asks
 * whether each page still translates the same and unmaps or write-
 * protects those that do not. A guest without ASIDs flushes on every
 * address-space switch and after larger munmaps; re-creating a mapping
 * costs a host fault, a signal and an mmap (about 15 us here), a
 * revalidation a page walk.
 *
 * Every mapping is one host VMA (pages rarely merge), and a process may
 * hold vm.max_map_count (65530 by default): a window holds at most
 * max_pages and starts again when full.
 */
#ifndef MEM_WINDOW_H
#define MEM_WINDOW_H

#include <stdbool.h>
#include <stdint.h>

/* Sv39's user half: what a guest with `no4lvl` or an Sv39 MMU uses */
#define WINDOW_SHIFT 38
#define WINDOW_BYTES (1ull << WINDOW_SHIFT)

struct window_rec {
	uint64_t va; /* the page's guest-virtual address | 1 when writable */
	uint64_t pa; /* its guest-physical page */
};

struct window {
	/*
	 * What translated code adds a guest address to: base while the
	 * window is in use (mem/mmu.h), else a reservation nothing is ever
	 * mapped in, so that code translated for the window that still
	 * runs only takes its slow paths. NULL when there is no window.
	 */
	uint8_t *code_base;
	uint8_t *base; /* NULL: no window */
	int fd;	       /* the RAM memfd */
	uint64_t ram_base;
	struct window_rec *rec;
	unsigned n, max_pages;
	/* counts for GASANG_JIT_STATS */
	uint64_t n_maps, n_resets, n_revalidations, n_dropped;
};

/*
 * Does this page still map pa (and, when *writable, may it stay
 * writable)? Clears *writable when it may only be read.
 */
typedef bool (*window_check_fn)(void *ctx, uint64_t va, uint64_t pa,
				bool *writable);

/* Reserves the window; returns 0, or -errno (w->base stays NULL). */
int window_init(struct window *w, int ram_fd, uint64_t ram_base,
		unsigned max_pages);
void window_destroy(struct window *w);
/* Lets translated code use the window (on), or not. */
void window_use(struct window *w, bool on);
/* Maps the page of gva (< WINDOW_BYTES) to RAM page pa. */
void window_map(struct window *w, uint64_t gva, uint64_t pa, bool writable);
/* Unmaps every page. */
void window_reset(struct window *w);
/* Unmaps the page of gva (its record goes at the next revalidation). */
void window_unmap_page(struct window *w, uint64_t gva);
/* Keeps the pages that check says still hold; unmaps the others. */
void window_revalidate(struct window *w, window_check_fn check, void *ctx);
/* Write-protects every page that maps RAM page pa. */
void window_protect(struct window *w, uint64_t pa);

#endif
