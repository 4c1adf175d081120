/* The guest-physical bus: see bus.h. */
#include "mem/bus.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "util/log.h"

static void *map_zeroed(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* RAM in a memfd, mapped shared, or NULL (*fd = -1) */
static void *map_shared(size_t len, int *fd)
{
	void *p;

	*fd = memfd_create("gasang-ram", MFD_CLOEXEC);
	if (*fd < 0)
		return NULL;
	if (ftruncate(*fd, (off_t)len) == 0) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_NORESERVE, *fd, 0);
		if (p != MAP_FAILED)
			return p;
	}
	close(*fd);
	*fd = -1;
	return NULL;
}

int bus_init(struct bus *bus, uint64_t ram_base, uint64_t ram_size, bool shared)
{
	uint64_t npages = (ram_size + GUEST_PAGE_SIZE - 1) >> GUEST_PAGE_SHIFT;

	memset(bus, 0, sizeof(*bus));
	bus->ram_fd = -1;
	if (ram_size == 0 || ram_base + ram_size < ram_base)
		return -EINVAL;
	bus->ram_base = ram_base;
	bus->ram_size = ram_size;
	bus->ram = shared ? map_shared(ram_size, &bus->ram_fd) : NULL;
	if (shared && !bus->ram)
		log_warn("guest RAM: no memfd (%s): the JIT runs without its "
			 "window",
			 strerror(errno));
	if (!bus->ram)
		bus->ram = map_zeroed(ram_size);
	if (!bus->ram)
		return -ENOMEM;
	bus->page_flags = map_zeroed(npages);
	if (!bus->page_flags)
		goto err_unmap_ram;
	bus->page_version = map_zeroed(npages * sizeof(uint32_t));
	if (!bus->page_version)
		goto err_unmap_flags;
	madvise(bus->ram, ram_size, MADV_HUGEPAGE);
	return 0;

err_unmap_flags:
	munmap((void *)bus->page_flags, npages);
err_unmap_ram:
	munmap(bus->ram, ram_size);
	bus->ram = NULL;
	return -ENOMEM;
}

void bus_destroy(struct bus *bus)
{
	uint64_t npages =
		(bus->ram_size + GUEST_PAGE_SIZE - 1) >> GUEST_PAGE_SHIFT;

	if (!bus->ram)
		return;
	munmap((void *)bus->page_version, npages * sizeof(uint32_t));
	munmap((void *)bus->page_flags, npages);
	munmap(bus->ram, bus->ram_size);
	bus->ram = NULL;
	if (bus->ram_fd >= 0)
		close(bus->ram_fd);
	bus->ram_fd = -1;
}

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

int bus_add_region(struct bus *bus, const struct mmio_region *r)
{
	if (bus->nregions == BUS_MAX_REGIONS)
		return -ENOSPC;
	if (r->size == 0 || r->base + r->size < r->base)
		return -EINVAL;
	if (ranges_overlap(r->base, r->size, bus->ram_base, bus->ram_size))
		return -EEXIST;
	for (int i = 0; i < bus->nregions; i++)
		if (ranges_overlap(r->base, r->size, bus->regions[i].base,
				   bus->regions[i].size))
			return -EEXIST;
	bus->regions[bus->nregions++] = *r;
	return 0;
}

int bus_add_watch(struct bus *bus, uint64_t gpa, uint64_t len, bus_watch_fn fn,
		  void *ctx)
{
	if (bus->nwatches == BUS_MAX_WATCHES)
		return -ENOSPC;
	if (len == 0 || !bus_is_ram(bus, gpa, len))
		return -EINVAL;
	bus->watches[bus->nwatches++] = (struct bus_watch){ gpa, len, fn, ctx };
	for (uint64_t p = gpa & ~(GUEST_PAGE_SIZE - 1); p < gpa + len;
	     p += GUEST_PAGE_SIZE)
		atomic_fetch_or(&bus->page_flags[bus_page_index(bus, p)],
				PAGE_WATCH);
	return 0;
}

static struct mmio_region *find_region(struct bus *bus, uint64_t gpa,
				       unsigned size)
{
	for (int i = 0; i < bus->nregions; i++) {
		struct mmio_region *r = &bus->regions[i];

		if (gpa >= r->base && gpa - r->base < r->size) {
			if (size > r->size - (gpa - r->base))
				return NULL;
			if (size < r->min_access || size > r->max_access ||
			    (gpa & (size - 1)) != 0)
				return NULL;
			return r;
		}
	}
	return NULL;
}

static uint64_t ram_load(const uint8_t *p, unsigned size)
{
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	switch (size) {
	case 1: memcpy(&u8, p, 1); return u8;
	case 2: memcpy(&u16, p, 2); return u16;
	case 4: memcpy(&u32, p, 4); return u32;
	default: memcpy(&u64, p, 8); return u64;
	}
}

int bus_read(struct bus *bus, uint64_t gpa, unsigned size, uint64_t *val)
{
	uint8_t *p = bus_ram_ptr(bus, gpa, size);
	struct mmio_region *r;

	if (p) {
		*val = ram_load(p, size);
		return 0;
	}
	r = find_region(bus, gpa, size);
	if (!r) {
		log_guest_error("read of %u bytes at 0x%llx: no device", size,
				(unsigned long long)gpa);
		return -1;
	}
	*val = r->ops->read(r->dev, gpa - r->base, size);
	return 0;
}

int bus_write(struct bus *bus, uint64_t gpa, unsigned size, uint64_t val)
{
	uint8_t *p = bus_ram_ptr(bus, gpa, size);
	struct mmio_region *r;

	if (p) {
		memcpy(p, &val, size); /* little-endian host */
		bus_notify_range(bus, gpa, size);
		return 0;
	}
	r = find_region(bus, gpa, size);
	if (!r) {
		log_guest_error("write of %u bytes at 0x%llx: no device", size,
				(unsigned long long)gpa);
		return -1;
	}
	r->ops->write(r->dev, gpa - r->base, val, size);
	return 0;
}

bool bus_mark_code(struct bus *bus, uint64_t gpa)
{
	uint64_t pg = bus_page_index(bus, gpa);

	if (atomic_load_explicit(&bus->page_flags[pg], memory_order_relaxed) &
	    PAGE_CODE)
		return false;
	return !(atomic_fetch_or(&bus->page_flags[pg], PAGE_CODE) & PAGE_CODE);
}

void bus_notify_write(struct bus *bus, uint64_t gpa, unsigned len)
{
	uint64_t pg = bus_page_index(bus, gpa);
	uint8_t flags = atomic_load(&bus->page_flags[pg]);

	if (flags & PAGE_CODE) {
		atomic_fetch_and(&bus->page_flags[pg], (uint8_t)~PAGE_CODE);
		atomic_fetch_add(&bus->page_version[pg], 1);
	}
	if (flags & PAGE_WATCH)
		for (int i = 0; i < bus->nwatches; i++) {
			struct bus_watch *w = &bus->watches[i];

			if (ranges_overlap(gpa, len, w->gpa, w->len))
				w->fn(w->ctx, gpa, len);
		}
}

void bus_notify_range(struct bus *bus, uint64_t gpa, uint64_t len)
{
	uint64_t end = gpa + len;

	if (len == 0)
		return;
	for (uint64_t p = gpa; p < end; p = (p | (GUEST_PAGE_SIZE - 1)) + 1) {
		uint64_t pend = (p | (GUEST_PAGE_SIZE - 1)) + 1;
		uint64_t n = (pend < end ? pend : end) - p;

		if (atomic_load_explicit(
			    &bus->page_flags[bus_page_index(bus, p)],
			    memory_order_relaxed))
			bus_notify_write(bus, p, (unsigned)n);
	}
}
