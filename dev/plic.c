/* PLIC: see plic.h for the register map and the gateway rules. */
#include "dev/plic.h"

#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

/* RISC-V privileged spec, mip: MEIP and SEIP interrupt numbers */
#define PLIC_IRQ_M_EXT 11
#define PLIC_IRQ_S_EXT 9

static bool plic_bit(const uint32_t *words, unsigned src)
{
	return (words[src / 32] >> (src % 32)) & 1;
}

static uint32_t plic_pending_word(const struct plic *p, unsigned w)
{
	return p->level[w] & ~p->claimed[w];
}

/* The source a claim by context c would get, 0 when none. */
static unsigned plic_best(const struct plic *p, const struct plic_context *c)
{
	unsigned best = 0, w, src;
	uint32_t best_prio = c->threshold, bits;

	for (w = 0; w < PLIC_WORDS; w++) {
		bits = plic_pending_word(p, w) & c->enable[w];
		while (bits) {
			src = w * 32 + (unsigned)__builtin_ctz(bits);
			bits &= bits - 1;
			/* strictly greater: ties keep the lower id */
			if (p->priority[src] > best_prio) {
				best_prio = p->priority[src];
				best = src;
			}
		}
	}
	return best;
}

/* Called with the lock held after any change that can move an output. */
static void plic_update(struct plic *p)
{
	unsigned i;
	bool level;

	for (i = 0; i < p->ncontexts; i++) {
		level = plic_best(p, &p->ctx[i]) != 0;
		if (level == p->ctx[i].out)
			continue;
		p->ctx[i].out = level;
		if (p->set_ext)
			p->set_ext(p->set_ext_ctx, i, level);
	}
}

static uint32_t plic_claim(struct plic *p, struct plic_context *c)
{
	unsigned src = plic_best(p, c);

	if (src) {
		p->claimed[src / 32] |= 1u << (src % 32);
		plic_update(p);
	}
	return src;
}

static void plic_complete(struct plic *p, struct plic_context *c, uint32_t src)
{
	/* spec: a completion for a source not enabled for c is ignored */
	if (src == 0 || src >= PLIC_NUM_SOURCES || !plic_bit(c->enable, src)) {
		log_guest_error("plic: completion of source %u ignored", src);
		return;
	}
	p->claimed[src / 32] &= ~(1u << (src % 32));
	plic_update(p);
}

/*
 * Decodes a context-space offset: the context, or NULL when off is not
 * in the space of an existing context. *reg gets the offset inside it.
 */
static struct plic_context *plic_decode(struct plic *p, uint64_t off,
					uint64_t base, uint64_t stride,
					uint64_t *reg)
{
	uint64_t i;

	if (off < base)
		return NULL;
	i = (off - base) / stride;
	if (i >= p->ncontexts)
		return NULL;
	*reg = (off - base) % stride;
	return &p->ctx[i];
}

static uint64_t plic_read(void *dev, uint64_t off, unsigned size)
{
	struct plic *p = dev;
	struct plic_context *c;
	uint64_t reg;
	uint32_t val = 0;
	bool bad = false;

	if (size != 4 || (off & 3)) {
		log_guest_error("plic: %u-byte read at 0x%llx", size,
				(unsigned long long)off);
		return 0;
	}
	pthread_mutex_lock(&p->lock);
	if (off < PLIC_PENDING) {
		if (off / 4 < PLIC_NUM_SOURCES)
			val = p->priority[off / 4];
		else
			bad = true;
	} else if (off < PLIC_ENABLE) {
		if ((off - PLIC_PENDING) / 4 < PLIC_WORDS)
			val = plic_pending_word(p, (off - PLIC_PENDING) / 4);
		else
			bad = true;
	} else if (off < PLIC_CONTEXT) {
		c = plic_decode(p, off, PLIC_ENABLE, PLIC_ENABLE_STRIDE, &reg);
		if (c && reg / 4 < PLIC_WORDS)
			val = c->enable[reg / 4];
		else
			bad = true;
	} else {
		c = plic_decode(p, off, PLIC_CONTEXT, PLIC_CONTEXT_STRIDE,
				&reg);
		if (c && reg == PLIC_THRESHOLD)
			val = c->threshold;
		else if (c && reg == PLIC_CLAIM)
			val = plic_claim(p, c);
		else
			bad = true;
	}
	pthread_mutex_unlock(&p->lock);
	if (bad)
		log_guest_error("plic: read at 0x%llx",
				(unsigned long long)off);
	return val;
}

static void plic_write(void *dev, uint64_t off, uint64_t val64, unsigned size)
{
	struct plic *p = dev;
	struct plic_context *c;
	uint32_t val = (uint32_t)val64;
	uint64_t reg;
	bool bad = false;

	if (size != 4 || (off & 3)) {
		log_guest_error("plic: %u-byte write at 0x%llx", size,
				(unsigned long long)off);
		return;
	}
	pthread_mutex_lock(&p->lock);
	if (off < PLIC_PENDING) {
		if (off >= 4 && off / 4 < PLIC_NUM_SOURCES) {
			p->priority[off / 4] = val & PLIC_MAX_PRIORITY;
			plic_update(p);
		} else {
			bad = true;
		}
	} else if (off < PLIC_ENABLE) {
		/* pending bits are read-only */
		bad = true;
	} else if (off < PLIC_CONTEXT) {
		c = plic_decode(p, off, PLIC_ENABLE, PLIC_ENABLE_STRIDE, &reg);
		if (c && reg / 4 < PLIC_WORDS) {
			/* source 0 does not exist */
			c->enable[reg / 4] = reg ? val : val & ~1u;
			plic_update(p);
		} else {
			bad = true;
		}
	} else {
		c = plic_decode(p, off, PLIC_CONTEXT, PLIC_CONTEXT_STRIDE,
				&reg);
		if (c && reg == PLIC_THRESHOLD) {
			c->threshold = val & PLIC_MAX_PRIORITY;
			plic_update(p);
		} else if (c && reg == PLIC_CLAIM) {
			plic_complete(p, c, val);
		} else {
			bad = true;
		}
	}
	pthread_mutex_unlock(&p->lock);
	if (bad)
		log_guest_error("plic: write of 0x%x at 0x%llx", val,
				(unsigned long long)off);
}

static const struct mmio_ops plic_ops = {
	.read = plic_read,
	.write = plic_write,
};

int plic_init(struct plic *p, unsigned nharts, plic_set_ext_fn set_ext,
	      void *set_ext_ctx)
{
	int err;

	memset(p, 0, sizeof(*p));
	if (nharts == 0 || nharts > PLIC_MAX_CONTEXTS / 2)
		return -EINVAL;
	p->ncontexts = 2 * nharts;
	p->ctx = calloc(p->ncontexts, sizeof(*p->ctx));
	if (!p->ctx)
		return -ENOMEM;
	err = pthread_mutex_init(&p->lock, NULL);
	if (err) {
		free(p->ctx);
		p->ctx = NULL;
		return -err;
	}
	p->set_ext = set_ext;
	p->set_ext_ctx = set_ext_ctx;
	return 0;
}

void plic_reset(struct plic *p)
{
	pthread_mutex_lock(&p->lock);
	memset(p->priority, 0, sizeof(p->priority));
	memset(p->claimed, 0, sizeof(p->claimed));
	for (unsigned i = 0; i < p->ncontexts; i++) {
		memset(p->ctx[i].enable, 0, sizeof(p->ctx[i].enable));
		p->ctx[i].threshold = 0;
	}
	plic_update(p);
	pthread_mutex_unlock(&p->lock);
}

void plic_destroy(struct plic *p)
{
	pthread_mutex_destroy(&p->lock);
	free(p->ctx);
	p->ctx = NULL;
}

struct mmio_region plic_region(struct plic *p, uint64_t base)
{
	return (struct mmio_region){
		.name = "plic",
		.base = base,
		.size = PLIC_SIZE,
		.min_access = 4,
		.max_access = 4,
		.ops = &plic_ops,
		.dev = p,
	};
}

void plic_set_irq(struct plic *p, unsigned src, bool level)
{
	uint32_t bit = 1u << (src % 32);
	uint32_t *w;

	if (src == 0 || src >= PLIC_NUM_SOURCES)
		return;
	pthread_mutex_lock(&p->lock);
	w = &p->level[src / 32];
	if (((*w & bit) != 0) != level) {
		*w ^= bit;
		plic_update(p);
	}
	pthread_mutex_unlock(&p->lock);
}

static void plic_irq_line_set(void *ctx, unsigned src, bool level)
{
	plic_set_irq(ctx, src, level);
}

struct irq_line plic_irq_line(struct plic *p, unsigned src)
{
	return (struct irq_line){
		.set = plic_irq_line_set,
		.ctx = p,
		.num = src,
	};
}

int plic_fdt(const struct plic *p, void *fdt, uint64_t base,
	     const struct devtree_refs *refs)
{
	static const char compat[] = "sifive,plic-1.0.0\0riscv,plic0";
	const fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(PLIC_SIZE) };
	unsigned nharts = p->ncontexts / 2, h;
	fdt32_t *cells;
	char name[32];
	int err;

	if (refs->nharts < nharts || !refs->hart_intc_phandles)
		return -FDT_ERR_BADVALUE;
	snprintf(name, sizeof(name), "plic@%llx", (unsigned long long)base);
	err = fdt_begin_node(fdt, name);
	err = err ?: fdt_property_u32(fdt, "#interrupt-cells", 1);
	err = err ?: fdt_property_u32(fdt, "#address-cells", 0);
	err = err ?: fdt_property(fdt, "compatible", compat, sizeof(compat));
	err = err ?: fdt_property(fdt, "interrupt-controller", NULL, 0);
	err = err
		      ?: fdt_property_placeholder(fdt, "interrupts-extended",
						  (int)(nharts * 16),
						  (void **)&cells);
	if (err)
		return err;
	for (h = 0; h < nharts; h++) {
		cells[4 * h] = cpu_to_fdt32(refs->hart_intc_phandles[h]);
		cells[4 * h + 1] = cpu_to_fdt32(PLIC_IRQ_M_EXT);
		cells[4 * h + 2] = cpu_to_fdt32(refs->hart_intc_phandles[h]);
		cells[4 * h + 3] = cpu_to_fdt32(PLIC_IRQ_S_EXT);
	}
	err = fdt_property(fdt, "reg", reg, sizeof(reg));
	err = err ?: fdt_property_u32(fdt, "riscv,ndev", PLIC_NDEV);
	err = err ?: fdt_property_u32(fdt, "phandle", refs->plic_phandle);
	err = err ?: fdt_end_node(fdt);
	return err;
}
