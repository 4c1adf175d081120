/*
 * PLIC driven through its MMIO ops without a CPU. Expected values from
 * the RISC-V PLIC spec 1.0.0 (claim order, gateway, completion rules,
 * read-only pending bits, source 0) and from QEMU's virt board (3
 * priority bits, the device-tree node).
 */
#include <errno.h>
#include <libfdt.h>
#include <pthread.h>
#include <string.h>

#include "dev/plic.h"
#include "tests/unit/unit.h"

#define NCTX 4

struct ext_rec {
	pthread_mutex_t lock;
	bool level[NCTX];
	unsigned changes[NCTX];
	bool bad; /* a call that did not change the level */
};

static void ext_rec_set(void *ctx, unsigned context, bool level)
{
	struct ext_rec *r = ctx;

	pthread_mutex_lock(&r->lock);
	if (context >= NCTX || r->level[context] == level)
		r->bad = true;
	else
		r->level[context] = level;
	if (context < NCTX)
		r->changes[context]++;
	pthread_mutex_unlock(&r->lock);
}

static struct plic plic;
static struct mmio_region reg;
static struct ext_rec ext;

static uint64_t rd(uint64_t off)
{
	return reg.ops->read(reg.dev, off, 4);
}

static void wr(uint64_t off, uint64_t val)
{
	reg.ops->write(reg.dev, off, val, 4);
}

static uint64_t prio(unsigned src)
{
	return 4 * src;
}

static uint64_t enable(unsigned ctx, unsigned word)
{
	return 0x2000 + 0x80 * ctx + 4 * word;
}

static uint64_t threshold(unsigned ctx)
{
	return 0x200000 + 0x1000 * ctx;
}

static uint64_t claim(unsigned ctx)
{
	return 0x200004 + 0x1000 * ctx;
}

static void setup(void)
{
	memset(&ext, 0, sizeof(ext));
	pthread_mutex_init(&ext.lock, NULL);
	CHECK(plic_init(&plic, 2, ext_rec_set, &ext) == 0);
	reg = plic_region(&plic, 0x0c000000);
}

static void teardown(void)
{
	plic_destroy(&plic);
	pthread_mutex_destroy(&ext.lock);
	CHECK(!ext.bad);
}

static void test_init_and_region(void)
{
	CHECK(plic_init(&plic, 0, ext_rec_set, &ext) == -EINVAL);
	CHECK(plic_init(&plic, 513, ext_rec_set, &ext) == -EINVAL);
	setup();
	CHECK_EQ_U64(reg.size, 0x600000);
	CHECK_EQ_U64(reg.min_access, 4);
	CHECK_EQ_U64(reg.max_access, 4);
	/* everything resets to 0 */
	CHECK_EQ_U64(rd(prio(1)), 0);
	CHECK_EQ_U64(rd(0x1000), 0);
	CHECK_EQ_U64(rd(enable(3, 2)), 0);
	CHECK_EQ_U64(rd(threshold(3)), 0);
	CHECK_EQ_U64(rd(claim(0)), 0);
	teardown();
}

static void test_priority_threshold(void)
{
	setup();
	wr(prio(1), 0xffffffff);
	CHECK_EQ_U64(rd(prio(1)), 7);
	wr(prio(95), 3);
	CHECK_EQ_U64(rd(prio(95)), 3);
	wr(prio(0), 5); /* source 0 is reserved */
	CHECK_EQ_U64(rd(prio(0)), 0);
	wr(threshold(1), 0x12);
	CHECK_EQ_U64(rd(threshold(1)), 2);

	/* source 7 at priority 2 against threshold 2, then 1 */
	wr(prio(7), 2);
	wr(enable(1, 0), 1u << 7);
	plic_set_irq(&plic, 7, true);
	CHECK(!ext.level[1]);
	wr(threshold(1), 1);
	CHECK(ext.level[1]);
	/* priority 0 never interrupts, even at threshold 0 */
	wr(threshold(1), 0);
	wr(prio(7), 0);
	CHECK(!ext.level[1]);
	CHECK_EQ_U64(rd(claim(1)), 0);
	wr(prio(7), 1);
	CHECK(ext.level[1]);
	CHECK(!ext.level[0] && !ext.level[2] && !ext.level[3]);
	teardown();
}

static void test_enables_per_context(void)
{
	setup();
	wr(enable(0, 0), 0xffffffff);
	CHECK_EQ_U64(rd(enable(0, 0)), 0xfffffffe); /* no source 0 */
	wr(enable(0, 0), 0);
	wr(prio(33), 1);
	wr(enable(2, 1), 1u << 1); /* hart 1 M mode, source 33 */
	CHECK_EQ_U64(rd(enable(2, 1)), 2);
	CHECK_EQ_U64(rd(enable(3, 1)), 0);
	plic_set_irq(&plic, 33, true);
	CHECK_EQ_U64(rd(0x1004), 2);
	CHECK(ext.level[2]);
	CHECK(!ext.level[0] && !ext.level[1] && !ext.level[3]);
	CHECK_EQ_U64(rd(claim(3)), 0);
	CHECK_EQ_U64(rd(claim(0)), 0);
	wr(enable(3, 1), 2);
	CHECK(ext.level[3]);
	/* disabling moves the output without touching pending */
	wr(enable(2, 1), 0);
	CHECK(!ext.level[2]);
	CHECK_EQ_U64(rd(0x1004), 2);
	/* the level dropping before a claim withdraws the request */
	plic_set_irq(&plic, 33, false);
	CHECK_EQ_U64(rd(0x1004), 0);
	CHECK(!ext.level[3]);
	teardown();
}

static void test_claim_complete(void)
{
	setup();
	wr(prio(5), 1);
	wr(prio(40), 3);
	wr(prio(41), 3);
	wr(prio(60), 2);
	wr(enable(1, 0), 1u << 5);
	wr(enable(1, 1), (1u << 8) | (1u << 9) | (1u << 28));
	plic_set_irq(&plic, 41, true);
	plic_set_irq(&plic, 5, true);
	plic_set_irq(&plic, 60, true);
	plic_set_irq(&plic, 40, true);
	CHECK_EQ_U64(rd(0x1000), 1u << 5);
	CHECK_EQ_U64(rd(0x1004), (1u << 8) | (1u << 9) | (1u << 28));
	CHECK(ext.level[1]);

	/* highest priority first, ties to the lower id */
	CHECK_EQ_U64(rd(claim(1)), 40);
	CHECK_EQ_U64(rd(0x1004), (1u << 9) | (1u << 28));
	CHECK_EQ_U64(rd(claim(1)), 41);
	CHECK_EQ_U64(rd(claim(1)), 60);
	CHECK(ext.level[1]);
	CHECK_EQ_U64(rd(claim(1)), 5);
	CHECK(!ext.level[1]);
	CHECK_EQ_U64(rd(claim(1)), 0);
	CHECK_EQ_U64(rd(0x1000), 0);
	CHECK_EQ_U64(rd(0x1004), 0);

	/* claimed: a new edge of the level does not pend it */
	plic_set_irq(&plic, 40, false);
	plic_set_irq(&plic, 40, true);
	CHECK_EQ_U64(rd(0x1004), 0);
	CHECK(!ext.level[1]);

	/* complete with the level still high: pends again */
	wr(claim(1), 40);
	CHECK_EQ_U64(rd(0x1004), 1u << 8);
	CHECK(ext.level[1]);
	CHECK_EQ_U64(rd(claim(1)), 40);

	/* complete with the level low: stays quiet */
	plic_set_irq(&plic, 41, false);
	wr(claim(1), 41);
	CHECK_EQ_U64(rd(0x1004), 0);
	CHECK(!ext.level[1]);

	/* completion of a source not enabled for the context is ignored */
	wr(enable(1, 1), (1u << 8) | (1u << 9));
	wr(claim(1), 60);
	CHECK_EQ_U64(rd(0x1004), 0);
	wr(enable(1, 1), (1u << 8) | (1u << 9) | (1u << 28));
	wr(claim(1), 60);
	CHECK_EQ_U64(rd(0x1004), 1u << 28);
	/* so is a completion of source 0 or of one out of range */
	wr(claim(1), 0);
	wr(claim(1), 96);
	wr(claim(1), 0xffffffff);
	CHECK_EQ_U64(rd(claim(1)), 60);
	teardown();
}

static void test_bad_accesses(void)
{
	struct irq_line line;

	setup();
	wr(prio(3), 1);
	wr(enable(0, 0), 1u << 3);
	/* out-of-range sources are ignored */
	plic_set_irq(&plic, 0, true);
	plic_set_irq(&plic, 96, true);
	plic_set_irq(&plic, 1000, true);
	CHECK_EQ_U64(rd(0x1000), 0);
	CHECK_EQ_U64(rd(0x1008), 0);
	CHECK_EQ_U64(ext.changes[0], 0);
	/* pending bits are read-only */
	wr(0x1000, 1u << 3);
	CHECK_EQ_U64(rd(0x1000), 0);
	CHECK(!ext.level[0]);

	/* the irq_line wire drives a source */
	line = plic_irq_line(&plic, 3);
	irq_line_set(&line, true);
	CHECK_EQ_U64(rd(0x1000), 1u << 3);
	CHECK(ext.level[0]);

	/* holes and missing contexts read 0 and ignore writes */
	wr(prio(96), 5);
	CHECK_EQ_U64(rd(prio(96)), 0);
	CHECK_EQ_U64(rd(0xffc), 0);
	CHECK_EQ_U64(rd(0x100c), 0);
	CHECK_EQ_U64(rd(0x1ffc), 0);
	wr(enable(0, 3), 0xffffffff);
	CHECK_EQ_U64(rd(enable(0, 3)), 0);
	wr(enable(4, 0), 0xffffffff);
	CHECK_EQ_U64(rd(enable(4, 0)), 0);
	CHECK_EQ_U64(rd(0x1ffffc), 0);
	CHECK_EQ_U64(rd(0x200008), 0);
	wr(threshold(4), 3);
	CHECK_EQ_U64(rd(threshold(4)), 0);
	CHECK_EQ_U64(rd(claim(4)), 0);
	CHECK_EQ_U64(rd(0x5ffffc), 0);
	/* wrong sizes are refused, even if the bus let them through */
	CHECK_EQ_U64(reg.ops->read(reg.dev, claim(0), 8), 0);
	CHECK_EQ_U64(reg.ops->read(reg.dev, claim(0), 1), 0);
	CHECK_EQ_U64(rd(0x1000), 1u << 3); /* nothing was claimed */
	CHECK_EQ_U64(rd(claim(0)), 3);
	teardown();
}

static void test_fdt(void)
{
	static char buf[4096];
	static const uint32_t intc[2] = { 4, 2 };
	static const uint32_t want_ext[8] = { 4, 11, 4, 9, 2, 11, 2, 9 };
	struct devtree_refs refs = {
		.plic_phandle = 5,
		.hart_intc_phandles = intc,
		.nharts = 2,
	};
	const fdt32_t *p;
	const char *s;
	int node, len, i;

	setup();
	CHECK(fdt_create(buf, sizeof(buf)) == 0);
	CHECK(fdt_finish_reservemap(buf) == 0);
	CHECK(fdt_begin_node(buf, "") == 0);
	CHECK(fdt_begin_node(buf, "soc") == 0);
	CHECK(plic_fdt(&plic, buf, 0x0c000000, &refs) == 0);
	CHECK(fdt_end_node(buf) == 0);
	CHECK(fdt_end_node(buf) == 0);
	CHECK(fdt_finish(buf) == 0);

	node = fdt_path_offset(buf, "/soc/plic@c000000");
	CHECK(node >= 0);
	s = fdt_getprop(buf, node, "compatible", &len);
	CHECK(s && len == 30 &&
	      memcmp(s, "sifive,plic-1.0.0\0riscv,plic0", 30) == 0);
	CHECK(fdt_node_check_compatible(buf, node, "riscv,plic0") == 0);
	p = fdt_getprop(buf, node, "reg", &len);
	CHECK(p && len == 16);
	if (p && len == 16) {
		CHECK_EQ_U64(fdt32_to_cpu(p[0]), 0);
		CHECK_EQ_U64(fdt32_to_cpu(p[1]), 0x0c000000);
		CHECK_EQ_U64(fdt32_to_cpu(p[2]), 0);
		CHECK_EQ_U64(fdt32_to_cpu(p[3]), 0x600000);
	}
	p = fdt_getprop(buf, node, "interrupts-extended", &len);
	CHECK(p && len == 32);
	for (i = 0; p && len == 32 && i < 8; i++)
		CHECK_EQ_U64(fdt32_to_cpu(p[i]), want_ext[i]);
	p = fdt_getprop(buf, node, "riscv,ndev", &len);
	CHECK(p && len == 4 && fdt32_to_cpu(*p) == 95);
	p = fdt_getprop(buf, node, "#interrupt-cells", &len);
	CHECK(p && len == 4 && fdt32_to_cpu(*p) == 1);
	p = fdt_getprop(buf, node, "#address-cells", &len);
	CHECK(p && len == 4 && fdt32_to_cpu(*p) == 0);
	CHECK(fdt_getprop(buf, node, "interrupt-controller", &len) && !len);
	CHECK(fdt_get_phandle(buf, node) == 5);
	CHECK(fdt_node_offset_by_phandle(buf, 5) == node);

	refs.nharts = 1;
	CHECK(fdt_create(buf, sizeof(buf)) == 0);
	CHECK(fdt_finish_reservemap(buf) == 0);
	CHECK(fdt_begin_node(buf, "") == 0);
	CHECK(plic_fdt(&plic, buf, 0x0c000000, &refs) == -FDT_ERR_BADVALUE);
	teardown();
}

/*
 * Threads: two devices toggle their sources while two harts claim and
 * complete; every claimed source must be one that was enabled, and at
 * the end, with every level low and every claim completed, all outputs
 * are low.
 */
#define ROUNDS 20000

static bool claim_bad;

static void *device_thread(void *arg)
{
	unsigned src = (unsigned)(uintptr_t)arg, i;

	for (i = 0; i < ROUNDS; i++)
		plic_set_irq(&plic, src + i % 4, i & 1);
	for (i = 0; i < 4; i++)
		plic_set_irq(&plic, src + i, false);
	return NULL;
}

static void *hart_thread(void *arg)
{
	unsigned ctx = (unsigned)(uintptr_t)arg, i;
	uint32_t src;

	for (i = 0; i < ROUNDS; i++) {
		src = (uint32_t)rd(claim(ctx));
		if (src && (src < 10 || src >= 30))
			__atomic_store_n(&claim_bad, true, __ATOMIC_SEQ_CST);
		if (src)
			wr(claim(ctx), src);
	}
	return NULL;
}

static void test_threads(void)
{
	pthread_t dev[2], hart[2];
	unsigned src, ctx;

	setup();
	for (src = 10; src < 30; src++)
		wr(prio(src), 1 + src % 7);
	for (ctx = 1; ctx < NCTX; ctx += 2)
		wr(enable(ctx, 0), 0x3ffffc00);
	pthread_create(&dev[0], NULL, device_thread, (void *)10);
	pthread_create(&dev[1], NULL, device_thread, (void *)20);
	pthread_create(&hart[0], NULL, hart_thread, (void *)1);
	pthread_create(&hart[1], NULL, hart_thread, (void *)3);
	pthread_join(dev[0], NULL);
	pthread_join(dev[1], NULL);
	pthread_join(hart[0], NULL);
	pthread_join(hart[1], NULL);
	/* sources still claimed by a hart are completed here */
	for (src = 10; src < 30; src++)
		wr(claim(1), src);
	CHECK(!claim_bad);
	CHECK_EQ_U64(rd(0x1000), 0);
	CHECK(!ext.level[0] && !ext.level[1]);
	CHECK(!ext.level[2] && !ext.level[3]);
	teardown();
}

int main(void)
{
	test_init_and_region();
	test_priority_threshold();
	test_enables_per_context();
	test_claim_complete();
	test_bad_accesses();
	test_fdt();
	test_threads();
	return unit_done("test_plic");
}
