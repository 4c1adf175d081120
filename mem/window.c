/* The host window of user pages: see window.h. */
#include "mem/window.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>

#define PAGE 4096ull

/* the reservation plus a guard page, so that no access runs off its end */
#define RESERVED (WINDOW_BYTES + PAGE)

static bool map_none(uint8_t *at, uint64_t len)
{
	return mmap(at, len, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1,
		    0) != MAP_FAILED;
}

static bool map_ram(struct window *w, uint64_t va, uint64_t pa, bool writable)
{
	return mmap(w->base + va, PAGE, PROT_READ | (writable ? PROT_WRITE : 0),
		    MAP_SHARED | MAP_FIXED | MAP_POPULATE, w->fd,
		    (off_t)(pa - w->ram_base)) != MAP_FAILED;
}

/* the process's reservation that stays empty (window.code_base) */
static uint8_t *_Atomic empty;

int window_init(struct window *w, int ram_fd, uint64_t ram_base,
		unsigned max_pages)
{
	void *v;

	*w = (struct window){ .fd = ram_fd, .ram_base = ram_base };
	if (ram_fd < 0 || !max_pages)
		return -EINVAL;
	if (!empty) {
		uint8_t *none = NULL;

		v = mmap(NULL, RESERVED, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (v == MAP_FAILED)
			return -ENOMEM;
		if (!atomic_compare_exchange_strong(&empty, &none, v))
			munmap(v, RESERVED);
	}
	w->rec = calloc(max_pages, sizeof(*w->rec));
	if (!w->rec)
		return -ENOMEM;
	v = mmap(NULL, RESERVED, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (v == MAP_FAILED) {
		free(w->rec);
		w->rec = NULL;
		return -ENOMEM;
	}
	w->base = v;
	w->code_base = empty;
	w->max_pages = max_pages;
	return 0;
}

void window_use(struct window *w, bool on)
{
	if (w->base)
		w->code_base = on ? w->base : empty;
}

void window_destroy(struct window *w)
{
	if (w->base)
		munmap(w->base, RESERVED);
	free(w->rec);
	w->base = NULL;
	w->code_base = NULL;
	w->rec = NULL;
}

static void reset(struct window *w)
{
	/*
	 * Replacing the whole range needs no more host mappings than it
	 * frees; if it failed anyway, translated code could reach pages
	 * the guest no longer maps: stop rather than run on.
	 */
	if (!map_none(w->base, WINDOW_BYTES))
		abort();
	w->n = 0;
	w->n_resets++;
}

void window_reset(struct window *w)
{
	if (w->base && w->n)
		reset(w);
}

/*
 * Unmaps one page; when even that fails (a hole in a run of merged
 * mappings needs a new one), unmaps all and returns false.
 */
static bool unmap(struct window *w, uint64_t va)
{
	if (map_none(w->base + va, PAGE))
		return true;
	reset(w);
	return false;
}

/* Makes the page of record i read-only; false when all went instead. */
static bool protect(struct window *w, unsigned i)
{
	uint64_t va = w->rec[i].va & ~(PAGE - 1);

	/*
	 * Mapped again rather than mprotected: the page may have been
	 * unmapped (window_unmap_page) since its record was made, and an
	 * mprotect would turn the hole into readable anonymous memory.
	 */
	if (!map_ram(w, va, w->rec[i].pa, false) && !unmap(w, va))
		return false;
	w->rec[i].va = va;
	return true;
}

void window_map(struct window *w, uint64_t gva, uint64_t pa, bool writable)
{
	uint64_t va = gva & ~(PAGE - 1);

	if (!w->base || gva >= WINDOW_BYTES)
		return;
	if (w->n == w->max_pages)
		window_reset(w);
	if (!map_ram(w, va, pa, writable)) {
		/*
		 * Out of host mappings (vm.max_map_count, shared with the
		 * rest of the process) or memory: start again, smaller. The
		 * page not mapped just takes the slow path.
		 */
		if (w->max_pages > 1024)
			w->max_pages = w->n / 2 > 1024 ? w->n / 2 : 1024;
		window_reset(w);
		if (!map_ram(w, va, pa, writable)) {
			/* a failed MAP_FIXED may have left the range unmapped */
			unmap(w, va);
			return;
		}
	}
	w->rec[w->n].va = va | writable;
	w->rec[w->n].pa = pa;
	w->n++;
	w->n_maps++;
}

void window_unmap_page(struct window *w, uint64_t gva)
{
	if (w->base && w->n && gva < WINDOW_BYTES)
		unmap(w, gva & ~(PAGE - 1));
}

void window_revalidate(struct window *w, window_check_fn check, void *ctx)
{
	unsigned kept = 0;

	if (!w->base || !w->n)
		return;
	w->n_revalidations++;
	for (unsigned i = 0; i < w->n; i++) {
		uint64_t va = w->rec[i].va & ~(PAGE - 1);
		bool was = w->rec[i].va & 1, writable = was;

		if (!check(ctx, va, w->rec[i].pa, &writable)) {
			w->n_dropped++;
			if (!unmap(w, va))
				return;
			continue;
		}
		if (was && !writable && !protect(w, i))
			return;
		w->rec[kept] = w->rec[i];
		kept++;
	}
	w->n = kept;
}

void window_protect(struct window *w, uint64_t pa)
{
	for (unsigned i = 0; i < w->n; i++)
		if (w->rec[i].pa == pa && (w->rec[i].va & 1) && !protect(w, i))
			return;
}
