/*
 * ACLINT machine-level software interrupts (MSWI) and timer (MTIMER), in
 * the layout of the SiFive CLINT that QEMU's virt board uses (RISC-V
 * ACLINT spec 1.0, sections 2 and 3):
 *
 *   0x0000 + 4*h   msip[h]       bit 0 drives the hart's MSIP
 *   0x4000 + 8*h   mtimecmp[h]   MTIP = (mtime >= mtimecmp[h])
 *   0xbff8         mtime         10 MHz, shared by all harts
 *
 * 32-bit and 64-bit accesses; 32-bit halves of the 64-bit registers.
 * The device owns no time state: the board wires it to the harts.
 */
#ifndef DEV_ACLINT_H
#define DEV_ACLINT_H

#include <stdbool.h>
#include <stdint.h>

#include "dev/devtree.h"
#include "mem/bus.h"

#define ACLINT_SIZE 0x10000
#define ACLINT_MSIP 0x0000
#define ACLINT_MTIMECMP 0x4000
#define ACLINT_MTIME 0xbff8
#define ACLINT_MAX_HARTS 4095

struct aclint_wires {
	void *ctx;
	void (*set_msip)(void *ctx, unsigned hart, bool level);
	bool (*get_msip)(void *ctx, unsigned hart);
	void (*set_mtimecmp)(void *ctx, unsigned hart, uint64_t val);
	uint64_t (*get_mtimecmp)(void *ctx, unsigned hart);
	uint64_t (*get_mtime)(void *ctx);
	void (*set_mtime)(void *ctx, uint64_t val);
};

struct aclint {
	unsigned nharts;
	struct aclint_wires wires;
};

void aclint_init(struct aclint *c, unsigned nharts,
		 const struct aclint_wires *wires);
/* The MMIO region for base: hand it to bus_add_region. */
struct mmio_region aclint_region(struct aclint *c, uint64_t base);

/* Writes the "sifive,clint0" node (inside /soc). Returns 0 or -errno. */
int aclint_fdt(const struct aclint *c, void *fdt, uint64_t base,
	       const struct devtree_refs *refs);

#endif
