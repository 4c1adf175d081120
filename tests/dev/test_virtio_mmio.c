/*
 * The virtio-mmio transport (virtio/mmio.c) and virtio-rng (virtio/rng.c)
 * driven through the bus without a CPU, the test playing the driver the
 * way Linux's virtio_mmio.c does. Expected values from virtio 1.2: the
 * register layout and rules of 4.2.2, the init sequence of 3.1.1, status
 * bits and DEVICE_NEEDS_RESET of 2.1, feature bits of 6, the entropy
 * device of 5.4; the device-tree node as QEMU's virt board writes it.
 */
#include <libfdt.h>
#include <pthread.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "virtio/mmio.h"
#include "virtio/rng.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (1ull << 20)
#define MMIO_BASE 0x10001000ull
#define IRQ_NUM 1

#define DESC (RAM_BASE + 0x0000)
#define AVAIL (RAM_BASE + 0x4000)
#define USED (RAM_BASE + 0x8000)
#define BUF (RAM_BASE + 0x10000)

static struct bus bus;

#include "tests/dev/virtio_driver.h"
static unsigned irq_sets;
static bool irq_level;

static void irq_set(void *ctx, unsigned num, bool level)
{
	CHECK_EQ_U64(num, IRQ_NUM);
	irq_level = level;
	irq_sets++;
}

static const struct irq_line irq = { irq_set, NULL, IRQ_NUM };

static void desc(unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
		 uint16_t next)
{
	desc_at(DESC, i, addr, len, flags, next);
}

/* --- a test device: two queues, 8 bytes of config, feature bits 0, 5 */

#define TDEV_FEATURES ((1ull << 0) | (1ull << 5) | (1ull << 40))

struct tdev {
	struct virtio_mmio *t;
	uint8_t config[8];
	unsigned notifies, last_notify, driver_oks, resets;
	uint64_t features;
	bool lock_held_in_callback;
};

static struct virtio_mmio tr;
static struct tdev td;

/* callbacks run with the transport lock free */
static void tdev_check_unlocked(struct tdev *d)
{
	if (pthread_mutex_trylock(&d->t->lock) == 0)
		pthread_mutex_unlock(&d->t->lock);
	else
		d->lock_held_in_callback = true;
}

static void tdev_config_read(void *dev, uint32_t off, void *buf, unsigned len)
{
	struct tdev *d = dev;

	tdev_check_unlocked(d);
	memcpy(buf, d->config + off, len);
}

static void tdev_config_write(void *dev, uint32_t off, const void *buf,
			      unsigned len)
{
	struct tdev *d = dev;

	tdev_check_unlocked(d);
	memcpy(d->config + off, buf, len);
}

static void tdev_notify(void *dev, unsigned q)
{
	struct tdev *d = dev;

	tdev_check_unlocked(d);
	d->notifies++;
	d->last_notify = q;
}

static void tdev_driver_ok(void *dev, uint64_t features)
{
	struct tdev *d = dev;

	tdev_check_unlocked(d);
	d->driver_oks++;
	d->features = features;
}

static void tdev_reset(void *dev)
{
	struct tdev *d = dev;

	tdev_check_unlocked(d);
	d->resets++;
}

static const struct virtio_device_ops tdev_ops = {
	.name = "virtio-test",
	.device_id = 42,
	.features = TDEV_FEATURES,
	.num_queues = 2,
	.queue_max = 128,
	.config_size = 8,
	.config_read = tdev_config_read,
	.config_write = tdev_config_write,
	.notify = tdev_notify,
	.driver_ok = tdev_driver_ok,
	.reset = tdev_reset,
};

static void add_transport(struct virtio_mmio *t)
{
	struct mmio_region r = virtio_mmio_region(t, MMIO_BASE);

	CHECK(bus_init(&bus, RAM_BASE, RAM_SIZE, false) == 0);
	CHECK(bus_add_region(&bus, &r) == 0);
}

static void setup_tdev(void)
{
	memset(&td, 0, sizeof(td));
	irq_sets = 0;
	irq_level = false;
	CHECK(virtio_mmio_init(&tr, &bus, &irq, &tdev_ops, &td) == 0);
	td.t = &tr;
	memcpy(td.config, "\x11\x22\x33\x44\x55\x66\x77\x88", 8);
	add_transport(&tr);
}

static void teardown(struct virtio_mmio *t)
{
	virtio_mmio_destroy(t);
	bus_destroy(&bus);
}

static uint64_t read_features(void)
{
	uint64_t f;

	wr(DEV_FEAT_SEL, 1);
	f = (uint64_t)rd(DEV_FEAT) << 32;
	wr(DEV_FEAT_SEL, 0);
	return f | rd(DEV_FEAT);
}

static void write_features(uint64_t f)
{
	wr(DRV_FEAT_SEL, 1);
	wr(DRV_FEAT, (uint32_t)(f >> 32));
	wr(DRV_FEAT_SEL, 0);
	wr(DRV_FEAT, (uint32_t)f);
}

/* 4.2.3.2: select, check not in use, size, addresses, ready */
static void setup_queue(unsigned sel, unsigned num, uint64_t desc_gpa,
			uint64_t avail_gpa, uint64_t used_gpa)
{
	wr(QUEUE_SEL, sel);
	CHECK_EQ_U64(rd(QUEUE_READY), 0);
	wr(QUEUE_NUM, num);
	wr(QUEUE_DESC_LOW, (uint32_t)desc_gpa);
	wr(QUEUE_DESC_HIGH, (uint32_t)(desc_gpa >> 32));
	wr(QUEUE_DRIVER_LOW, (uint32_t)avail_gpa);
	wr(QUEUE_DRIVER_HIGH, (uint32_t)(avail_gpa >> 32));
	wr(QUEUE_DEVICE_LOW, (uint32_t)used_gpa);
	wr(QUEUE_DEVICE_HIGH, (uint32_t)(used_gpa >> 32));
	wr(QUEUE_READY, 1);
}

/* 3.1.1 as Linux's virtio_mmio does it; returns the device features. */
static uint64_t driver_init(uint64_t want)
{
	uint64_t f;

	wr(STATUS, 0);
	CHECK_EQ_U64(rd(STATUS), 0);
	wr(STATUS, S_ACK);
	wr(STATUS, S_ACK | S_DRIVER);
	f = read_features();
	write_features(f & want);
	wr(STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
	return f;
}

static void test_identity(void)
{
	setup_tdev();
	CHECK_EQ_U64(rd(MAGIC), 0x74726976);
	CHECK_EQ_U64(rd(VERSION), 2);
	CHECK_EQ_U64(rd(DEVICE_ID), 42);
	CHECK_EQ_U64(rd(VENDOR_ID), 0x554d4551);
	/* TDEV_FEATURES plus INDIRECT_DESC 28, EVENT_IDX 29, VERSION_1 32 */
	CHECK_EQ_U64(read_features(), TDEV_FEATURES | (1ull << 28) |
					      (1ull << 29) | (1ull << 32));
	wr(DEV_FEAT_SEL, 2);
	CHECK_EQ_U64(rd(DEV_FEAT), 0);
	wr(QUEUE_SEL, 0);
	CHECK_EQ_U64(rd(QUEUE_NUM_MAX), 128);
	wr(QUEUE_SEL, 1);
	CHECK_EQ_U64(rd(QUEUE_NUM_MAX), 128);
	/* 4.2.2: QueueNumMax 0 for a queue that does not exist */
	wr(QUEUE_SEL, 2);
	CHECK_EQ_U64(rd(QUEUE_NUM_MAX), 0);
	CHECK_EQ_U64(rd(QUEUE_READY), 0);
	CHECK_EQ_U64(rd(STATUS), 0);
	CHECK_EQ_U64(rd(INT_STATUS), 0);
	/* no shared memory regions: length -1 */
	CHECK_EQ_U64(rd(SHM_LEN_LOW), 0xffffffff);
	teardown(&tr);
}

static void test_init_sequence(void)
{
	uint64_t want = (1ull << 32) | (1ull << 28) | (1ull << 29) | 1;

	setup_tdev();
	driver_init(want);
	CHECK_EQ_U64(rd(STATUS), S_ACK | S_DRIVER | S_FEATURES_OK);
	wr(QUEUE_SEL, 0);
	CHECK_EQ_U64(rd(QUEUE_NUM_MAX), 128);
	setup_queue(0, 64, DESC, AVAIL, USED);
	CHECK_EQ_U64(rd(QUEUE_READY), 1);
	CHECK(tr.vq[0].ready && tr.vq[0].num == 64);
	CHECK_EQ_U64(tr.vq[0].desc_gpa, DESC);
	CHECK_EQ_U64(tr.vq[0].avail_gpa, AVAIL);
	CHECK_EQ_U64(tr.vq[0].used_gpa, USED);
	CHECK(tr.vq[0].event_idx);
	setup_queue(1, 128, DESC + 0x10000, AVAIL + 0x10000, USED + 0x10000);
	CHECK(tr.vq[1].ready);
	/* notifications before DRIVER_OK are not delivered (2.1.2) */
	wr(QUEUE_NOTIFY, 0);
	CHECK_EQ_U64(td.notifies, 0);
	CHECK(virtio_mmio_queue(&tr, 0) == NULL);
	wr(STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
	CHECK_EQ_U64(rd(STATUS),
		     S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
	CHECK_EQ_U64(td.driver_oks, 1);
	CHECK_EQ_U64(td.features, want);
	virtio_mmio_lock(&tr);
	CHECK(virtio_mmio_queue(&tr, 0) == &tr.vq[0]);
	CHECK(virtio_mmio_queue(&tr, 1) == &tr.vq[1]);
	CHECK(virtio_mmio_queue(&tr, 2) == NULL);
	virtio_mmio_unlock(&tr);
	wr(QUEUE_NOTIFY, 1);
	CHECK_EQ_U64(td.notifies, 1);
	CHECK_EQ_U64(td.last_notify, 1);
	wr(QUEUE_NOTIFY, 7); /* no such queue */
	CHECK_EQ_U64(td.notifies, 1);

	/* queue registers do not change while the queue is ready */
	wr(QUEUE_SEL, 0);
	wr(QUEUE_NUM, 16);
	wr(QUEUE_DESC_LOW, 0x1000);
	CHECK_EQ_U64(tr.vq[0].num, 64);
	CHECK_EQ_U64(tr.vq[0].desc_gpa, DESC);
	/* features do not change after FEATURES_OK */
	write_features(1ull << 32);
	CHECK_EQ_U64(tr.driver_features, want);
	/* the driver does not clear bits; a write keeps them */
	wr(STATUS, S_ACK);
	CHECK_EQ_U64(rd(STATUS),
		     S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);

	/* QueueReady 0 stops the queue; then its registers are writable */
	wr(QUEUE_READY, 0);
	CHECK_EQ_U64(rd(QUEUE_READY), 0);
	wr(QUEUE_NUM, 16);
	CHECK_EQ_U64(tr.vq[0].num, 16);

	/* reset: status 0 clears everything, calls reset unlocked */
	tr.interrupt_status = 3;
	wr(STATUS, 0);
	CHECK_EQ_U64(rd(STATUS), 0);
	CHECK_EQ_U64(rd(INT_STATUS), 0);
	CHECK(!irq_level);
	CHECK_EQ_U64(td.resets, 2); /* driver_init's and this one */
	wr(QUEUE_SEL, 1);
	CHECK_EQ_U64(rd(QUEUE_READY), 0);
	CHECK_EQ_U64(tr.vq[1].num, 0);
	CHECK_EQ_U64(tr.driver_features, 0);
	CHECK(!td.lock_held_in_callback);
	teardown(&tr);
}

static void test_feature_rule(void)
{
	setup_tdev();
	/* a modern-only device refuses a driver without VERSION_1 */
	driver_init(0);
	CHECK_EQ_U64(rd(STATUS), S_ACK | S_DRIVER);
	/* 3.1.1: a feature the device does not offer: FEATURES_OK stays 0 */
	write_features((1ull << 32) | (1ull << 1));
	wr(STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
	CHECK_EQ_U64(rd(STATUS), S_ACK | S_DRIVER);
	write_features((1ull << 32) | (1ull << 63));
	wr(STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
	CHECK_EQ_U64(rd(STATUS), S_ACK | S_DRIVER);
	driver_init(TDEV_FEATURES);
	CHECK_EQ_U64(rd(STATUS), S_ACK | S_DRIVER);
	/* the same bits with VERSION_1 are accepted */
	driver_init(TDEV_FEATURES | (1ull << 32));
	CHECK_EQ_U64(rd(STATUS), S_ACK | S_DRIVER | S_FEATURES_OK);
	CHECK_EQ_U64(tr.driver_features, TDEV_FEATURES | (1ull << 32));
	/* a queue set up without EVENT_IDX does not use it */
	setup_queue(0, 8, DESC, AVAIL, USED);
	CHECK(!tr.vq[0].event_idx);
	/* DRIVER_OK without FEATURES_OK is refused */
	driver_init(0);
	wr(STATUS, S_ACK | S_DRIVER | S_DRIVER_OK);
	CHECK_EQ_U64(rd(STATUS), S_ACK | S_DRIVER);
	CHECK_EQ_U64(td.driver_oks, 0);
	teardown(&tr);
}

static void test_queue_checks(void)
{
	setup_tdev();
	driver_init((1ull << 32));
	/* QueueNum above QueueNumMax */
	setup_queue(0, 256, DESC, AVAIL, USED);
	CHECK_EQ_U64(rd(QUEUE_READY), 0);
	/* not a power of two */
	setup_queue(0, 48, DESC, AVAIL, USED);
	CHECK_EQ_U64(rd(QUEUE_READY), 0);
	/* rings outside RAM */
	setup_queue(0, 64, 0x1000, AVAIL, USED);
	CHECK_EQ_U64(rd(QUEUE_READY), 0);
	setup_queue(0, 64, DESC, AVAIL, RAM_BASE + RAM_SIZE - 8);
	CHECK_EQ_U64(rd(QUEUE_READY), 0);
	/* a queue that does not exist ignores writes */
	wr(QUEUE_SEL, 5);
	wr(QUEUE_NUM, 8);
	wr(QUEUE_READY, 1);
	CHECK_EQ_U64(rd(QUEUE_READY), 0);
	setup_queue(0, 64, DESC, AVAIL, USED);
	CHECK_EQ_U64(rd(QUEUE_READY), 1);
	teardown(&tr);
}

static void test_interrupts(void)
{
	struct virtq *q;

	setup_tdev();
	driver_init((1ull << 32));
	setup_queue(0, 8, DESC, AVAIL, USED);
	wr(STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
	virtio_mmio_lock(&tr);
	q = virtio_mmio_queue(&tr, 0);
	virtq_push(q, 0, 0);
	virtio_mmio_unlock(&tr);
	virtio_mmio_interrupt(&tr, 0);
	CHECK_EQ_U64(rd(INT_STATUS), 1);
	CHECK(irq_level);
	/* acking another bit changes nothing */
	wr(INT_ACK, 2);
	CHECK_EQ_U64(rd(INT_STATUS), 1);
	CHECK(irq_level);
	wr(INT_ACK, 1);
	CHECK_EQ_U64(rd(INT_STATUS), 0);
	CHECK(!irq_level);
	/* no new used entry, no interrupt */
	virtio_mmio_interrupt(&tr, 0);
	CHECK_EQ_U64(rd(INT_STATUS), 0);
	/* VIRTQ_AVAIL_F_NO_INTERRUPT */
	put16(AVAIL, 1);
	virtio_mmio_lock(&tr);
	virtq_push(q, 0, 0);
	virtio_mmio_unlock(&tr);
	virtio_mmio_interrupt(&tr, 0);
	CHECK_EQ_U64(rd(INT_STATUS), 0);

	/* config change: generation moves, config interrupt */
	uint32_t gen = rd(CONFIG_GEN);
	virtio_mmio_config_changed(&tr);
	CHECK(rd(CONFIG_GEN) != gen);
	CHECK_EQ_U64(rd(INT_STATUS), 2);
	CHECK(irq_level);
	wr(INT_ACK, 2);
	CHECK(!irq_level);

	/* 2.1.2: needs-reset sets the bit and raises a config interrupt */
	virtio_mmio_needs_reset(&tr);
	CHECK_EQ_U64(rd(STATUS), S_ACK | S_DRIVER | S_FEATURES_OK |
					 S_DRIVER_OK | S_NEEDS_RESET);
	CHECK_EQ_U64(rd(INT_STATUS), 2);
	CHECK(irq_level);
	/* the driver writing status back does not clear it */
	wr(STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
	CHECK(rd(STATUS) & S_NEEDS_RESET);
	wr(STATUS, 0);
	CHECK_EQ_U64(rd(STATUS), 0);
	CHECK(!irq_level);
	teardown(&tr);
}

static void test_bad_accesses(void)
{
	uint64_t v;

	setup_tdev();
	/* registers: 32-bit only; others read 0 and write nothing */
	CHECK_EQ_U64(rdn(MAGIC, 2), 0);
	CHECK_EQ_U64(rdn(MAGIC, 1), 0);
	CHECK_EQ_U64(rdn(MAGIC, 8), 0);
	CHECK(bus_write(&bus, MMIO_BASE + STATUS, 1, S_ACK) == 0);
	CHECK_EQ_U64(rd(STATUS), 0);
	/* unknown offsets */
	CHECK_EQ_U64(rd(0x0c4), 0);
	CHECK_EQ_U64(rd(0x018), 0);
	wr(0x0c4, 1);
	/* read-only registers ignore writes */
	wr(MAGIC, 0);
	CHECK_EQ_U64(rd(MAGIC), 0x74726976);
	wr(INT_STATUS, 3);
	CHECK_EQ_U64(rd(INT_STATUS), 0);
	/* misaligned accesses never reach the device */
	CHECK(bus_read(&bus, MMIO_BASE + 2, 4, &v) == -1);

	/* config space: any width up to 8, little-endian bytes */
	CHECK_EQ_U64(rdn(CONFIG, 1), 0x11);
	CHECK_EQ_U64(rdn(CONFIG + 3, 1), 0x44);
	CHECK_EQ_U64(rdn(CONFIG + 2, 2), 0x4433);
	CHECK_EQ_U64(rdn(CONFIG + 4, 4), 0x88776655);
	CHECK_EQ_U64(rdn(CONFIG, 8), 0x8877665544332211ull);
	CHECK(bus_write(&bus, MMIO_BASE + CONFIG + 2, 2, 0xbeef) == 0);
	CHECK_EQ_U64(td.config[2], 0xef);
	CHECK_EQ_U64(td.config[3], 0xbe);
	/* beyond config_size */
	CHECK_EQ_U64(rdn(CONFIG + 8, 1), 0);
	CHECK_EQ_U64(rdn(CONFIG + 8, 4), 0);
	CHECK_EQ_U64(rdn(0xffc, 4), 0);
	CHECK(bus_write(&bus, MMIO_BASE + CONFIG + 8, 4, 1) == 0);
	CHECK(!td.lock_held_in_callback);
	teardown(&tr);
}

static void test_fdt(void)
{
	static const uint32_t intc[1] = { 1 };
	struct devtree_refs refs = { .plic_phandle = 3,
				     .hart_intc_phandles = intc,
				     .nharts = 1 };
	char buf[4096];
	const fdt32_t *cells;
	const char *compat;
	int node, len;

	setup_tdev();
	CHECK(fdt_create(buf, sizeof(buf)) == 0);
	CHECK(fdt_finish_reservemap(buf) == 0);
	CHECK(fdt_begin_node(buf, "") == 0);
	CHECK(fdt_property_u32(buf, "#address-cells", 2) == 0);
	CHECK(fdt_property_u32(buf, "#size-cells", 2) == 0);
	CHECK(fdt_begin_node(buf, "soc") == 0);
	CHECK(virtio_mmio_fdt(&tr, buf, MMIO_BASE, &refs) == 0);
	CHECK(fdt_end_node(buf) == 0);
	CHECK(fdt_end_node(buf) == 0);
	CHECK(fdt_finish(buf) == 0);
	node = fdt_path_offset(buf, "/soc/virtio_mmio@10001000");
	CHECK(node >= 0);
	compat = fdt_getprop(buf, node, "compatible", &len);
	CHECK(compat && len == sizeof("virtio,mmio") &&
	      !strcmp(compat, "virtio,mmio"));
	cells = fdt_getprop(buf, node, "reg", &len);
	CHECK(cells && len == 16);
	if (cells && len == 16) {
		CHECK_EQ_U64(fdt32_to_cpu(cells[0]), 0);
		CHECK_EQ_U64(fdt32_to_cpu(cells[1]), MMIO_BASE);
		CHECK_EQ_U64(fdt32_to_cpu(cells[2]), 0);
		CHECK_EQ_U64(fdt32_to_cpu(cells[3]), 0x1000);
	}
	cells = fdt_getprop(buf, node, "interrupts", &len);
	CHECK(cells && len == 4 && fdt32_to_cpu(cells[0]) == IRQ_NUM);
	cells = fdt_getprop(buf, node, "interrupt-parent", &len);
	CHECK(cells && len == 4 && fdt32_to_cpu(cells[0]) == 3);
	teardown(&tr);
}

/* --- virtio-rng end to end through the registers --------------------- */

static struct virtio_rng rng;

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void rng_offer(uint16_t *avail_idx, uint16_t head)
{
	put16(AVAIL + 4 + 2 * (*avail_idx % 8), head);
	(*avail_idx)++;
	put16(AVAIL + 2, *avail_idx);
}

static void test_rng(void)
{
	uint64_t features;
	uint16_t avail_idx = 0;

	irq_sets = 0;
	irq_level = false;
	CHECK(virtio_rng_init(&rng, &bus, &irq) == 0);
	add_transport(virtio_rng_transport(&rng));
	CHECK_EQ_U64(rd(DEVICE_ID), 4);
	/* 5.4.3: no device feature bits */
	features = driver_init((1ull << 32) | (1ull << 29) | (1ull << 28));
	CHECK_EQ_U64(features, (1ull << 32) | (1ull << 29) | (1ull << 28));
	wr(QUEUE_SEL, 1);
	CHECK_EQ_U64(rd(QUEUE_NUM_MAX), 0);
	setup_queue(0, 8, DESC, AVAIL, USED);
	CHECK_EQ_U64(rd(QUEUE_READY), 1);

	/* a buffer made available before DRIVER_OK is served at DRIVER_OK */
	desc(0, BUF, 16, F_WRITE | F_NEXT, 1);
	desc(1, BUF + 0x100, 32, F_WRITE, 0);
	rng_offer(&avail_idx, 0);
	wr(STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
	CHECK_EQ_U64(get16(USED + 2), 1);
	CHECK_EQ_U64(get32(USED + 4), 0);
	CHECK_EQ_U64(get32(USED + 8), 48);
	CHECK(!all_zero(ram(BUF), 16));
	CHECK(!all_zero(ram(BUF + 0x100), 32));
	CHECK(all_zero(ram(BUF + 16), 0x100 - 16));
	CHECK_EQ_U64(rd(INT_STATUS), 1);
	CHECK(irq_level);
	wr(INT_ACK, 1);
	CHECK(!irq_level);
	/* with event idx, the device asked to hear of entry 1 */
	CHECK_EQ_U64(get16(USED + 4 + 8 * 8), 1);

	/* a big buffer gets at most 64 KiB; two requests, one notify */
	desc(2, BUF + 0x1000, 100 * 1024, F_WRITE, 0);
	desc(3, BUF + 0x30000, 8, F_WRITE, 0);
	rng_offer(&avail_idx, 2);
	rng_offer(&avail_idx, 3);
	/* used_event: interrupt when entry 2 (the second) is used */
	put16(AVAIL + 4 + 2 * 8, 2);
	wr(QUEUE_NOTIFY, 0);
	CHECK_EQ_U64(get16(USED + 2), 3);
	CHECK_EQ_U64(get32(USED + 12), 2);
	CHECK_EQ_U64(get32(USED + 16), 64 * 1024);
	CHECK_EQ_U64(get32(USED + 20), 3);
	CHECK_EQ_U64(get32(USED + 24), 8);
	CHECK(!all_zero(ram(BUF + 0x1000 + 64 * 1024 - 16), 16));
	CHECK(all_zero(ram(BUF + 0x1000 + 64 * 1024), 100 * 1024 - 64 * 1024));
	CHECK_EQ_U64(rd(INT_STATUS), 1);
	wr(INT_ACK, 1);
	/* used_event = 0 lies behind: no interrupt for the next one */
	put16(AVAIL + 4 + 2 * 8, 0);
	rng_offer(&avail_idx, 3);
	wr(QUEUE_NOTIFY, 0);
	CHECK_EQ_U64(get16(USED + 2), 4);
	CHECK_EQ_U64(rd(INT_STATUS), 0);

	/* a malformed chain: needs reset, config interrupt */
	desc(4, RAM_BASE + RAM_SIZE, 8, F_WRITE, 0);
	rng_offer(&avail_idx, 4);
	wr(QUEUE_NOTIFY, 0);
	CHECK(rd(STATUS) & S_NEEDS_RESET);
	CHECK(rd(INT_STATUS) & 2);
	CHECK(irq_level);
	CHECK_EQ_U64(get16(USED + 2), 5);
	CHECK_EQ_U64(get32(USED + 4 + 8 * 4 + 4), 0);

	/* the driver resets and starts over */
	wr(STATUS, 0);
	CHECK_EQ_U64(rd(STATUS), 0);
	CHECK(!irq_level);
	memset(ram(RAM_BASE), 0, 0x10000);
	avail_idx = 0;
	driver_init(1ull << 32);
	setup_queue(0, 8, DESC, AVAIL, USED);
	wr(STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
	desc(0, BUF, 4, F_WRITE, 0);
	rng_offer(&avail_idx, 0);
	wr(QUEUE_NOTIFY, 0);
	CHECK_EQ_U64(get16(USED + 2), 1);
	CHECK_EQ_U64(get32(USED + 8), 4);
	CHECK_EQ_U64(rd(INT_STATUS), 1);

	/* the board's reset */
	virtio_mmio_reset(virtio_rng_transport(&rng));
	CHECK_EQ_U64(rd(STATUS), 0);
	CHECK(!irq_level);
	virtio_rng_destroy(&rng);
	bus_destroy(&bus);
}

int main(void)
{
	test_identity();
	test_init_sequence();
	test_feature_rule();
	test_queue_checks();
	test_interrupts();
	test_bad_accesses();
	test_fdt();
	test_rng();
	return unit_done("test_virtio_mmio");
}
