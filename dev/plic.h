/*
 * Platform-Level Interrupt Controller in the layout of the SiFive PLIC
 * that QEMU's virt board uses (RISC-V PLIC spec 1.0.0): 96 sources
 * (source 0 reserved, so 95 usable), two contexts per hart: context 2h
 * is hart h's M mode, 2h+1 its S mode. 32-bit accesses only.
 *
 *   0x000000 + 4*src                 priority       WARL, 0..7
 *   0x001000 + 4*word                pending        read-only bits
 *   0x002000 + 0x80*ctx + 4*word     enables        bit src of ctx
 *   0x200000 + 0x1000*ctx            threshold      WARL, 0..7
 *   0x200004 + 0x1000*ctx            claim (read) / complete (write)
 *
 * Sources are level-triggered. The gateway forwards a source while its
 * level is high and it is not claimed: pending = level && !claimed. A
 * claim returns the enabled pending source with the highest priority
 * above the context's threshold (ties: lowest id), or 0; a completion of
 * a source enabled for the context ends the claim, so a source whose
 * level is still high pends again. A context's output is high while a
 * claim would return non-zero.
 *
 * Threads: one lock for the whole PLIC. plic_set_irq may be called with
 * a device's lock held, and set_ext is called with the PLIC lock held;
 * lock order: device lock -> PLIC lock -> what set_ext takes. set_ext
 * must therefore not call into any device or the PLIC (setting the
 * hart's MEIP/SEIP and waking it is fine).
 */
#ifndef DEV_PLIC_H
#define DEV_PLIC_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "dev/devtree.h"
#include "dev/irq.h"
#include "mem/bus.h"

#define PLIC_SIZE 0x600000
#define PLIC_NUM_SOURCES 96
#define PLIC_NDEV (PLIC_NUM_SOURCES - 1)
#define PLIC_WORDS ((PLIC_NUM_SOURCES + 31) / 32)
#define PLIC_MAX_PRIORITY 7
#define PLIC_MAX_CONTEXTS 1024 /* what fits below PLIC_SIZE */

#define PLIC_PRIORITY 0x000000
#define PLIC_PENDING 0x001000
#define PLIC_ENABLE 0x002000
#define PLIC_ENABLE_STRIDE 0x80
#define PLIC_CONTEXT 0x200000
#define PLIC_CONTEXT_STRIDE 0x1000
#define PLIC_THRESHOLD 0x0
#define PLIC_CLAIM 0x4

/* ctx is the PLIC context number: 2 * hart + (S mode ? 1 : 0) */
typedef void (*plic_set_ext_fn)(void *ctx, unsigned context, bool level);

struct plic_context {
	uint32_t enable[PLIC_WORDS];
	uint32_t threshold;
	bool out; /* the level last given to set_ext */
};

struct plic {
	pthread_mutex_t lock;
	unsigned ncontexts;
	plic_set_ext_fn set_ext;
	void *set_ext_ctx;
	uint32_t priority[PLIC_NUM_SOURCES];
	uint32_t level[PLIC_WORDS];
	uint32_t claimed[PLIC_WORDS];
	struct plic_context *ctx;
};

/* Returns 0 or -errno (-EINVAL: no harts, or more than fit). */
int plic_init(struct plic *p, unsigned nharts, plic_set_ext_fn set_ext,
	      void *set_ext_ctx);
void plic_destroy(struct plic *p);
/* Power-on state: priorities, enables, thresholds and claims cleared. */
void plic_reset(struct plic *p);

/* The MMIO region for base: hand it to bus_add_region. */
struct mmio_region plic_region(struct plic *p, uint64_t base);

/* Drives source src (1..95); other numbers are ignored. */
void plic_set_irq(struct plic *p, unsigned src, bool level);
/* The wire a device drives for source src (irq_line.set = PLIC input). */
struct irq_line plic_irq_line(struct plic *p, unsigned src);

/*
 * Writes plic@base inside /soc with phandle refs->plic_phandle and, per
 * hart, its M and S external interrupts on refs->hart_intc_phandles.
 * Returns 0 or a libfdt error.
 */
int plic_fdt(const struct plic *p, void *fdt, uint64_t base,
	     const struct devtree_refs *refs);

#endif
