/* ACLINT MSWI and MTIMER: see aclint.h for the register map. */
#include "dev/aclint.h"

#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>

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

int aclint_fdt(const struct aclint *c, void *fdt, uint64_t base,
	       const struct devtree_refs *refs)
{
	static const char compat[] = "sifive,clint0\0riscv,clint0";
	fdt32_t reg[4] = { cpu_to_fdt32(base >> 32), cpu_to_fdt32(base), 0,
			   cpu_to_fdt32(ACLINT_SIZE) };
	fdt32_t *irqs = calloc(4 * (size_t)refs->nharts, sizeof(*irqs));
	char name[32];
	int err;

	if (!irqs)
		return -ENOMEM;
	/* per hart: machine software (3) and machine timer (7) interrupts */
	for (unsigned i = 0; i < refs->nharts; i++) {
		irqs[4 * i] = cpu_to_fdt32(refs->hart_intc_phandles[i]);
		irqs[4 * i + 1] = cpu_to_fdt32(3);
		irqs[4 * i + 2] = cpu_to_fdt32(refs->hart_intc_phandles[i]);
		irqs[4 * i + 3] = cpu_to_fdt32(7);
	}
	snprintf(name, sizeof(name), "clint@%llx", (unsigned long long)base);
	err = fdt_begin_node(fdt, name);
	err = err
		      ?: fdt_property(fdt, "interrupts-extended", irqs,
				      (int)(4 * refs->nharts * sizeof(*irqs)));
	err = err ?: fdt_property(fdt, "reg", reg, sizeof(reg));
	err = err ?: fdt_property(fdt, "compatible", compat, sizeof(compat));
	err = err ?: fdt_end_node(fdt);
	free(irqs);
	(void)c;
	return err ? -ENOSPC : 0;
}
