/*
 * The guest-physical bus: one RAM region and a set of MMIO regions.
 *
 * RAM is one host mapping (mmap, MAP_NORESERVE), so the host pays only
 * for pages the guest touches: private anonymous memory (transparent
 * huge pages where the host allows them), or, when an engine maps RAM
 * pages a second time (mem/window.h), a memfd mapped shared. MMIO regions follow one contract: base,
 * size, smallest and largest access size, ops and state. The bus checks
 * the range and the access size before a device sees an access; a
 * rejected access is reported to the caller, who raises an access fault.
 *
 * Per RAM page the bus keeps flags (code decoded from it, watched by a
 * device) and a version that changes whenever a page holding decoded code
 * is written, so engines can tell a stale translation from a good one.
 */
#ifndef MEM_BUS_H
#define MEM_BUS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GUEST_PAGE_SHIFT 12
#define GUEST_PAGE_SIZE (1ull << GUEST_PAGE_SHIFT)

struct mmio_ops {
	/* off is relative to the region base; size is 1, 2, 4 or 8 */
	uint64_t (*read)(void *dev, uint64_t off, unsigned size);
	void (*write)(void *dev, uint64_t off, uint64_t val, unsigned size);
};

struct mmio_region {
	const char *name;
	uint64_t base;
	uint64_t size;
	unsigned min_access; /* bytes */
	unsigned max_access; /* bytes */
	const struct mmio_ops *ops;
	void *dev;
};

/* Called after a store has changed bytes [gpa, gpa+len) of a watched page. */
typedef void (*bus_watch_fn)(void *ctx, uint64_t gpa, unsigned len);

#define BUS_MAX_REGIONS 32
#define BUS_MAX_WATCHES 4

enum {
	PAGE_CODE = 1u << 0,  /* an engine holds code decoded from this page */
	PAGE_WATCH = 1u << 1, /* a device wants to see stores to this page */
};

struct bus_watch {
	uint64_t gpa, len;
	bus_watch_fn fn;
	void *ctx;
};

struct bus {
	uint64_t ram_base;
	uint64_t ram_size;
	uint8_t *ram; /* host address of guest RAM */
	int ram_fd;   /* the memfd holding RAM when shared, else -1 */
	_Atomic uint8_t *page_flags;
	_Atomic uint32_t *page_version;
	struct mmio_region regions[BUS_MAX_REGIONS];
	int nregions;
	struct bus_watch watches[BUS_MAX_WATCHES];
	int nwatches;
};

/*
 * Maps ram_size bytes of zeroed RAM at ram_base, in a memfd when shared
 * (private memory when the host has no memfd). Returns 0 or -errno.
 */
int bus_init(struct bus *bus, uint64_t ram_base, uint64_t ram_size,
	     bool shared);
void bus_destroy(struct bus *bus);

int bus_add_region(struct bus *bus, const struct mmio_region *r);
int bus_add_watch(struct bus *bus, uint64_t gpa, uint64_t len, bus_watch_fn fn,
		  void *ctx);

static inline bool bus_is_ram(const struct bus *bus, uint64_t gpa, uint64_t len)
{
	return gpa >= bus->ram_base && len <= bus->ram_size &&
	       gpa - bus->ram_base <= bus->ram_size - len;
}

/* Host address of a RAM range, or NULL when [gpa, gpa+len) is not RAM. */
static inline void *bus_ram_ptr(const struct bus *bus, uint64_t gpa,
				uint64_t len)
{
	if (!bus_is_ram(bus, gpa, len))
		return NULL;
	return bus->ram + (gpa - bus->ram_base);
}

static inline uint64_t bus_page_index(const struct bus *bus, uint64_t gpa)
{
	return (gpa - bus->ram_base) >> GUEST_PAGE_SHIFT;
}

/*
 * Loads and stores of size 1, 2, 4 or 8 at gpa, RAM or MMIO. Return 0, or
 * -1 when nothing answers there or the device refuses that access size
 * (the CPU turns that into an access fault). RAM stores go through the
 * page-flag check (code invalidation, watches).
 */
int bus_read(struct bus *bus, uint64_t gpa, unsigned size, uint64_t *val);
int bus_write(struct bus *bus, uint64_t gpa, unsigned size, uint64_t val);

/*
 * Marks the RAM page holding gpa as holding decoded code; true when it
 * was not marked before.
 */
bool bus_mark_code(struct bus *bus, uint64_t gpa);

/*
 * Called after bytes [gpa, gpa+len) of RAM were written by a path that
 * saw page flags set: bumps the version of code pages, runs watches.
 */
void bus_notify_write(struct bus *bus, uint64_t gpa, unsigned len);

/* Any RAM write done by the host on the guest's behalf (loader, DMA). */
void bus_notify_range(struct bus *bus, uint64_t gpa, uint64_t len);

#endif
