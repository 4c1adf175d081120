/* ACLINT MSWI and MTIMER: see aclint.h for the register map. */
#include "dev/aclint.h"

#include "util/log.h"

void aclint_init(struct aclint *c, unsigned nharts,
		 const struct aclint_wires *wires)
{
	c->nharts = nharts;
	c->wires = *wires;
}

/* Merges a write of size bytes at byte offset sub into a 64-bit value. */
static uint64_t merge64(uint64_t old, unsigned sub, unsigned size, uint64_t val)
{
	uint64_t mask;

	if (size == 8)
		return val;
	mask = 0xffffffffull << (8 * sub);
	return (old & ~mask) | ((val << (8 * sub)) & mask);
}

static uint64_t aclint_read(void *dev, uint64_t off, unsigned size)
{
	struct aclint *c = dev;
	uint64_t v;

	if (off < ACLINT_MSIP + 4ull * c->nharts) {
		if (size != 4)
			return 0;
		return c->wires.get_msip(c->wires.ctx, (unsigned)(off / 4));
	}
	if (off >= ACLINT_MTIMECMP &&
	    off < ACLINT_MTIMECMP + 8ull * c->nharts) {
		unsigned h = (unsigned)((off - ACLINT_MTIMECMP) / 8);

		v = c->wires.get_mtimecmp(c->wires.ctx, h);
	} else if (off >= ACLINT_MTIME && off < ACLINT_MTIME + 8) {
		v = c->wires.get_mtime(c->wires.ctx);
	} else {
		log_guest_error("aclint: read at 0x%llx",
				(unsigned long long)off);
		return 0;
	}
	return size == 8 ? v : (uint32_t)(v >> (8 * (off & 4)));
}

static void aclint_write(void *dev, uint64_t off, uint64_t val, unsigned size)
{
	struct aclint *c = dev;

	if (off < ACLINT_MSIP + 4ull * c->nharts) {
		if (size == 4)
			c->wires.set_msip(c->wires.ctx, (unsigned)(off / 4),
					  val & 1);
		return;
	}
	if (off >= ACLINT_MTIMECMP &&
	    off < ACLINT_MTIMECMP + 8ull * c->nharts) {
		unsigned h = (unsigned)((off - ACLINT_MTIMECMP) / 8);
		uint64_t old = c->wires.get_mtimecmp(c->wires.ctx, h);

		c->wires.set_mtimecmp(c->wires.ctx, h,
				      merge64(old, off & 4, size, val));
		return;
	}
	if (off >= ACLINT_MTIME && off < ACLINT_MTIME + 8) {
		uint64_t old = c->wires.get_mtime(c->wires.ctx);

		c->wires.set_mtime(c->wires.ctx,
				   merge64(old, off & 4, size, val));
		return;
	}
	log_guest_error("aclint: write at 0x%llx", (unsigned long long)off);
}

static const struct mmio_ops aclint_ops = {
	.read = aclint_read,
	.write = aclint_write,
};

struct mmio_region aclint_region(struct aclint *c, uint64_t base)
{
	return (struct mmio_region){
		.name = "aclint",
		.base = base,
		.size = ACLINT_SIZE,
		.min_access = 4,
		.max_access = 8,
		.ops = &aclint_ops,
		.dev = c,
	};
}
