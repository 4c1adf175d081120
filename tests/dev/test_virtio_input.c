/*
 * virtio-input as a power button (virtio/input.c) driven through the bus
 * without a CPU, the test playing Linux's virtio_input driver: config
 * queries as virtinput_probe makes them, eventq buffers of one event
 * each, LED events on statusq. Expected values from virtio 1.2 section
 * 5.8 (device ID 18, config layout, event layout) and Linux's
 * input-event-codes.h (EV_SYN 0, EV_KEY 1, SYN_REPORT 0, KEY_POWER 116,
 * EV_REP 0x14, BUS_VIRTUAL 6).
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "tests/unit/unit.h"
#include "util/log.h"
#include "virtio/input.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (1ull << 20)
#define MMIO_BASE 0x10001000ull
#define IRQ_NUM 5

/* eventq rings, statusq rings, buffers */
#define EDESC (RAM_BASE + 0x0000)
#define EAVAIL (RAM_BASE + 0x1000)
#define EUSED (RAM_BASE + 0x2000)
#define SDESC (RAM_BASE + 0x4000)
#define SAVAIL (RAM_BASE + 0x5000)
#define SUSED (RAM_BASE + 0x6000)
#define BUF (RAM_BASE + 0x10000)
#define QNUM 8

#define S_ALL (S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK)

/* struct virtio_input_config */
#define CFG_SELECT 0
#define CFG_SUBSEL 1
#define CFG_SIZE 2
#define CFG_U 8
#define CFG_LEN 136

#define CFG_ID_NAME 0x01
#define CFG_ID_SERIAL 0x02
#define CFG_ID_DEVIDS 0x03
#define CFG_PROP_BITS 0x10
#define CFG_EV_BITS 0x11
#define CFG_ABS_INFO 0x12

#define EV_SYN 0x00
#define EV_KEY 0x01
#define EV_REL 0x02
#define EV_ABS 0x03
#define EV_MSC 0x04
#define EV_SW 0x05
#define EV_LED 0x11
#define EV_SND 0x12
#define EV_REP 0x14
#define KEY_POWER 116

static struct bus bus;

#include "tests/dev/virtio_driver.h"
static struct virtio_input *dev;
static bool irq_level;

static void irq_set(void *ctx, unsigned num, bool level)
{
	CHECK_EQ_U64(num, IRQ_NUM);
	irq_level = level;
}

static const struct irq_line irq = { irq_set, NULL, IRQ_NUM };

struct ring {
	uint64_t desc, avail, used;
	uint16_t avail_idx;
};

static struct ring evq = { EDESC, EAVAIL, EUSED, 0 };
static struct ring stq = { SDESC, SAVAIL, SUSED, 0 };

static void offer(struct ring *r, uint16_t head)
{
	put16(r->avail + 4 + 2 * (r->avail_idx % QNUM), head);
	r->avail_idx++;
	put16(r->avail + 2, r->avail_idx);
}

/* Offers eventq buffer i: 8 writable bytes at BUF + 16 * i. */
static void offer_event_buf(unsigned i)
{
	memset(ram(BUF + 16 * i), 0xee, 16);
	desc_at(EDESC, i, BUF + 16 * i, 8, F_WRITE, 0);
	offer(&evq, (uint16_t)i);
}

static uint16_t used_idx(const struct ring *r)
{
	return get16(r->used + 2);
}

static uint32_t used_id(const struct ring *r, unsigned n)
{
	return get32(r->used + 4 + 8 * (n % QNUM));
}

static uint32_t used_len(const struct ring *r, unsigned n)
{
	return get32(r->used + 4 + 8 * (n % QNUM) + 4);
}

/* Checks the 8 bytes at gpa against le16 type, le16 code, le32 value. */
static void check_event(uint64_t gpa, uint16_t type, uint16_t code,
			uint32_t value)
{
	CHECK_EQ_U64(get16(gpa), type);
	CHECK_EQ_U64(get16(gpa + 2), code);
	CHECK_EQ_U64(get32(gpa + 4), value);
}

/* The four events of one press in used entries n..n+3, whose buffers are
 * those of offer_event_buf. */
static void check_press(unsigned n)
{
	static const uint16_t type[4] = { EV_KEY, EV_SYN, EV_KEY, EV_SYN };
	static const uint16_t code[4] = { KEY_POWER, 0, KEY_POWER, 0 };
	static const uint32_t value[4] = { 1, 0, 0, 0 };

	for (unsigned k = 0; k < 4; k++) {
		uint32_t id = used_id(&evq, n + k);

		CHECK_EQ_U64(used_len(&evq, n + k), 8);
		CHECK(id < QNUM);
		if (id < QNUM)
			check_event(BUF + 16 * id, type[k], code[k], value[k]);
	}
}

static void setup(void)
{
	struct mmio_region r;

	irq_level = false;
	evq.avail_idx = 0;
	stq.avail_idx = 0;
	CHECK(bus_init(&bus, RAM_BASE, RAM_SIZE, false) == 0);
	dev = virtio_input_create(&bus, &irq);
	CHECK(dev != NULL);
	r = virtio_mmio_region(virtio_input_transport(dev), MMIO_BASE);
	CHECK(bus_add_region(&bus, &r) == 0);
}

static void teardown(void)
{
	virtio_input_destroy(dev);
	bus_destroy(&bus);
}

static void setup_queue(unsigned sel, const struct ring *r)
{
	wr(QUEUE_SEL, sel);
	wr(QUEUE_NUM, QNUM);
	wr(QUEUE_DESC_LOW, (uint32_t)r->desc);
	wr(QUEUE_DESC_HIGH, (uint32_t)(r->desc >> 32));
	wr(QUEUE_DRIVER_LOW, (uint32_t)r->avail);
	wr(QUEUE_DRIVER_HIGH, (uint32_t)(r->avail >> 32));
	wr(QUEUE_DEVICE_LOW, (uint32_t)r->used);
	wr(QUEUE_DEVICE_HIGH, (uint32_t)(r->used >> 32));
	wr(QUEUE_READY, 1);
	CHECK_EQ_U64(rd(QUEUE_READY), 1);
}

/* 3.1.1 with VERSION_1 only (no event index: every used buffer
 * interrupts), both queues, and DRIVER_OK when driver_ok. */
static void driver_init(bool driver_ok)
{
	wr(STATUS, 0);
	wr(STATUS, S_ACK);
	wr(STATUS, S_ACK | S_DRIVER);
	wr(DRV_FEAT_SEL, 1);
	wr(DRV_FEAT, 1);
	wr(DRV_FEAT_SEL, 0);
	wr(DRV_FEAT, 0);
	wr(STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
	CHECK_EQ_U64(rd(STATUS), S_ACK | S_DRIVER | S_FEATURES_OK);
	setup_queue(0, &evq);
	setup_queue(1, &stq);
	if (driver_ok)
		wr(STATUS, S_ALL);
}

/* virtinput_cfg_select: byte writes of select and subsel, read size */
static uint8_t cfg_select(uint8_t select, uint8_t subsel)
{
	wrn(CONFIG + CFG_SELECT, select, 1);
	wrn(CONFIG + CFG_SUBSEL, subsel, 1);
	return (uint8_t)rdn(CONFIG + CFG_SIZE, 1);
}

static void cfg_union(uint8_t *u)
{
	for (unsigned i = 0; i < 128; i++)
		u[i] = (uint8_t)rdn(CONFIG + CFG_U + i, 1);
}

static void test_identity(void)
{
	setup();
	CHECK_EQ_U64(rd(DEVICE_ID), 18);
	/* 5.8.3: no device feature bits; the transport adds its own */
	wr(DEV_FEAT_SEL, 0);
	CHECK_EQ_U64(rd(DEV_FEAT), (1u << 28) | (1u << 29));
	wr(DEV_FEAT_SEL, 1);
	CHECK_EQ_U64(rd(DEV_FEAT), 1);
	/* 5.8.2: eventq and statusq */
	wr(QUEUE_SEL, 0);
	CHECK(rd(QUEUE_NUM_MAX) >= QNUM);
	wr(QUEUE_SEL, 1);
	CHECK(rd(QUEUE_NUM_MAX) >= QNUM);
	wr(QUEUE_SEL, 2);
	CHECK_EQ_U64(rd(QUEUE_NUM_MAX), 0);
	teardown();
}

static void test_config(void)
{
	static const uint8_t others[] = { EV_SYN, EV_REL, EV_ABS, EV_MSC,
					  EV_SW,  EV_LED, EV_SND, EV_REP };
	uint8_t u[128], size;
	bool only_power = true;
	unsigned unknown_answered = 0;

	setup();
	/* nothing selected: size 0 */
	CHECK_EQ_U64(rdn(CONFIG + CFG_SIZE, 1), 0);

	size = cfg_select(CFG_ID_NAME, 0);
	cfg_union(u);
	CHECK(size > 0 && size <= 63);
	CHECK(memmem(u, size, "Power Button", 12) != NULL);
	/* what the guest's /init matches: *[Pp]ower*[Bb]utton* */
	CHECK(size == strlen("gasang Power Button") &&
	      !memcmp(u, "gasang Power Button", size));
	CHECK_EQ_U64(rdn(CONFIG + CFG_SELECT, 1), CFG_ID_NAME);
	CHECK_EQ_U64(rdn(CONFIG + CFG_SUBSEL, 1), 0);

	size = cfg_select(CFG_ID_SERIAL, 0);
	cfg_union(u);
	CHECK(size > 0 && size <= 63);
	for (unsigned i = 0; i < size; i++)
		CHECK(u[i] >= 0x20 && u[i] < 0x7f);

	/* 5.8.5: devids, all le16; Linux reads them when size >= 8 */
	size = cfg_select(CFG_ID_DEVIDS, 0);
	CHECK_EQ_U64(size, 8);
	CHECK_EQ_U64(rdn(CONFIG + CFG_U, 2), 0x06);
	CHECK(rdn(CONFIG + CFG_U + 2, 2) != 0 || rdn(CONFIG + CFG_U + 4, 2));

	CHECK_EQ_U64(cfg_select(CFG_PROP_BITS, 0), 0);
	/* EV_BITS for EV_KEY: the bitmap has KEY_POWER and nothing else */
	size = cfg_select(CFG_EV_BITS, EV_KEY);
	cfg_union(u);
	CHECK(size >= KEY_POWER / 8 + 1);
	for (unsigned bit = 0; bit < 128 * 8; bit++) {
		bool set = u[bit / 8] & (1u << (bit % 8));

		if (set != (bit == KEY_POWER))
			only_power = false;
	}
	CHECK(only_power);
	/* an 8-byte read of the union's second word holds byte 14 */
	CHECK_EQ_U64(rdn(CONFIG + CFG_U + 8, 8), 0x0010000000000000ull);
	/* every other event type is absent: no autorepeat, no LEDs */
	for (unsigned i = 0; i < sizeof(others); i++)
		CHECK_EQ_U64(cfg_select(CFG_EV_BITS, others[i]), 0);
	for (unsigned abs = 0; abs < 0x40; abs++)
		CHECK_EQ_U64(cfg_select(CFG_ABS_INFO, (uint8_t)abs), 0);

	/* hostile selectors: size 0 and an empty union */
	for (unsigned sel = 0; sel < 256; sel++) {
		for (unsigned sub = 0; sub < 256; sub++) {
			bool known = (sel >= CFG_ID_NAME &&
				      sel <= CFG_ID_DEVIDS && sub == 0) ||
				     (sel == CFG_EV_BITS && sub == EV_KEY);

			if (!known && cfg_select((uint8_t)sel, (uint8_t)sub))
				unknown_answered++;
		}
	}
	CHECK_EQ_U64(unknown_answered, 0);
	CHECK_EQ_U64(cfg_select(CFG_ID_NAME, 1), 0);
	CHECK_EQ_U64(cfg_select(0xff, 0xff), 0);
	cfg_union(u);
	for (unsigned i = 0; i < 128; i++)
		CHECK_EQ_U64(u[i], 0);

	/* a 2-byte write sets select and subsel; size is read-only */
	wrn(CONFIG + CFG_SELECT, (EV_KEY << 8) | CFG_EV_BITS, 2);
	CHECK_EQ_U64(rdn(CONFIG + CFG_SIZE, 1), KEY_POWER / 8 + 1);
	wrn(CONFIG + CFG_SIZE, 0x77, 1);
	wrn(CONFIG + CFG_U, 0xffffffffffffffffull, 8);
	CHECK_EQ_U64(rdn(CONFIG + CFG_SIZE, 1), KEY_POWER / 8 + 1);
	CHECK_EQ_U64(rdn(CONFIG + CFG_U, 8), 0);
	/* an 8-byte write over select, subsel, size and reserved */
	wrn(CONFIG, 0x1122334455660001ull, 8);
	CHECK_EQ_U64(rdn(CONFIG + CFG_SELECT, 1), CFG_ID_NAME);
	CHECK_EQ_U64(rdn(CONFIG + CFG_SUBSEL, 1), 0);
	CHECK_EQ_U64(rdn(CONFIG + CFG_SIZE, 1), 19);
	for (unsigned i = 3; i < CFG_U; i++)
		CHECK_EQ_U64(rdn(CONFIG + i, 1), 0);
	/* the last byte of the union, and beyond the config space */
	CHECK_EQ_U64(rdn(CONFIG + CFG_LEN - 1, 1), 0);
	CHECK_EQ_U64(rdn(CONFIG + CFG_LEN - 8, 8), 0);
	CHECK_EQ_U64(rdn(CONFIG + CFG_LEN, 1), 0);
	CHECK_EQ_U64(rdn(CONFIG + CFG_LEN, 8), 0);
	CHECK_EQ_U64(rdn(0xff8, 8), 0);
	wrn(CONFIG + CFG_LEN, 1, 1);
	wrn(0xff8, ~0ull, 8);
	CHECK_EQ_U64(rdn(CONFIG + CFG_SELECT, 1), CFG_ID_NAME);

	/* reset: nothing selected */
	virtio_mmio_reset(virtio_input_transport(dev));
	CHECK_EQ_U64(rdn(CONFIG + CFG_SELECT, 1), 0);
	CHECK_EQ_U64(rdn(CONFIG + CFG_SIZE, 1), 0);
	teardown();
}

static void test_press(void)
{
	setup();
	driver_init(true);
	for (unsigned i = 0; i < QNUM; i++)
		offer_event_buf(i);
	wr(QUEUE_NOTIFY, 0);
	/* buffers alone complete nothing */
	CHECK_EQ_U64(used_idx(&evq), 0);
	CHECK_EQ_U64(rd(INT_STATUS), 0);

	CHECK(virtio_input_power_button(dev));
	CHECK_EQ_U64(used_idx(&evq), 4);
	check_press(0);
	CHECK_EQ_U64(rd(INT_STATUS), 1);
	CHECK(irq_level);
	wr(INT_ACK, 1);
	CHECK(!irq_level);
	/* the bytes after each 8-byte event are untouched */
	CHECK_EQ_U64(get32(BUF + 8), 0xeeeeeeee);

	/* a second press takes the next four buffers */
	CHECK(virtio_input_power_button(dev));
	CHECK_EQ_U64(used_idx(&evq), 8);
	check_press(4);
	CHECK(irq_level);
	wr(INT_ACK, 1);

	/* no buffers left: the press waits, and the caller hears so */
	CHECK(!virtio_input_power_button(dev));
	CHECK_EQ_U64(used_idx(&evq), 8);
	CHECK(!irq_level);
	/* two buffers: the press and its SYN go, the release waits */
	offer_event_buf(0);
	offer_event_buf(1);
	wr(QUEUE_NOTIFY, 0);
	CHECK_EQ_U64(used_idx(&evq), 10);
	check_event(BUF + 16 * used_id(&evq, 8), EV_KEY, KEY_POWER, 1);
	check_event(BUF + 16 * used_id(&evq, 9), EV_SYN, 0, 0);
	CHECK(irq_level);
	wr(INT_ACK, 1);
	offer_event_buf(2);
	offer_event_buf(3);
	offer_event_buf(4);
	wr(QUEUE_NOTIFY, 0);
	CHECK_EQ_U64(used_idx(&evq), 12);
	check_event(BUF + 16 * used_id(&evq, 10), EV_KEY, KEY_POWER, 0);
	check_event(BUF + 16 * used_id(&evq, 11), EV_SYN, 0, 0);
	/* buffer 4 stays with the device */
	CHECK_EQ_U64(get32(BUF + 16 * 4), 0xeeeeeeee);
	teardown();
}

/* The press comes before the guest's driver: it is delivered when the
 * driver is ready, through the driver's resets on the way. */
static void test_press_before_driver(void)
{
	setup();
	CHECK(!virtio_input_power_button(dev));
	CHECK(!irq_level);
	/* the driver comes up: reset, queues, buffers, DRIVER_OK */
	driver_init(false);
	for (unsigned i = 0; i < 4; i++)
		offer_event_buf(i);
	/* a notify before DRIVER_OK consumes nothing (2.1.2) */
	wr(QUEUE_NOTIFY, 0);
	CHECK_EQ_U64(used_idx(&evq), 0);
	wr(STATUS, S_ALL);
	CHECK_EQ_U64(used_idx(&evq), 4);
	check_press(0);
	CHECK(irq_level);
	teardown();

	/* DRIVER_OK first, buffers later (Linux fills the queue after it
	 * registers the input device) */
	setup();
	driver_init(true);
	CHECK(!virtio_input_power_button(dev));
	for (unsigned i = 0; i < 4; i++)
		offer_event_buf(i);
	CHECK_EQ_U64(used_idx(&evq), 0);
	wr(QUEUE_NOTIFY, 0);
	CHECK_EQ_U64(used_idx(&evq), 4);
	check_press(0);
	teardown();

	/* the waiting list is bounded: presses beyond it are dropped */
	setup();
	for (unsigned i = 0; i < 4; i++)
		CHECK(!virtio_input_power_button(dev));
	log_set_level(LOG_ERROR);
	CHECK(!virtio_input_power_button(dev));
	CHECK(!virtio_input_power_button(dev));
	log_set_level(LOG_WARN);
	driver_init(true);
	for (unsigned round = 0; round < 4; round++) {
		for (unsigned i = 0; i < 4; i++)
			offer_event_buf(4 * (round % 2) + i);
		wr(QUEUE_NOTIFY, 0);
		CHECK_EQ_U64(used_idx(&evq), 4 * (round + 1));
		check_press(4 * round);
	}
	for (unsigned i = 0; i < 4; i++)
		offer_event_buf(i);
	wr(QUEUE_NOTIFY, 0);
	CHECK_EQ_U64(used_idx(&evq), 16);
	teardown();
}

static void test_status_queue(void)
{
	uint8_t led[8] = { 0x11, 0, 0, 0, 1, 0, 0, 0 }; /* EV_LED 0 1 */

	setup();
	driver_init(true);
	memcpy(ram(BUF + 0x800), led, 8);
	desc_at(SDESC, 0, BUF + 0x800, 8, 0, 0);
	offer(&stq, 0);
	desc_at(SDESC, 1, BUF + 0x808, 8, 0, 0);
	offer(&stq, 1);
	wr(QUEUE_NOTIFY, 1);
	/* consumed, nothing written back */
	CHECK_EQ_U64(used_idx(&stq), 2);
	CHECK_EQ_U64(used_id(&stq, 0), 0);
	CHECK_EQ_U64(used_len(&stq, 0), 0);
	CHECK_EQ_U64(used_id(&stq, 1), 1);
	CHECK(!memcmp(ram(BUF + 0x800), led, 8));
	CHECK_EQ_U64(rd(INT_STATUS), 1);
	CHECK_EQ_U64(rd(STATUS), S_ALL);
	teardown();
}

static void test_malformed(void)
{
	setup();
	driver_init(true);

	memset(ram(BUF), 0xee, 32);
	/* too small for an event: returned empty, the event waits */
	desc_at(EDESC, 0, BUF, 4, F_WRITE, 0);
	offer(&evq, 0);
	/* readable only: the same */
	desc_at(EDESC, 1, BUF + 16, 8, 0, 0);
	offer(&evq, 1);
	CHECK(!virtio_input_power_button(dev));
	CHECK_EQ_U64(used_idx(&evq), 2);
	CHECK_EQ_U64(used_len(&evq, 0), 0);
	CHECK_EQ_U64(used_len(&evq, 1), 0);
	CHECK_EQ_U64(get32(BUF), 0xeeeeeeee);
	CHECK_EQ_U64(get32(BUF + 16), 0xeeeeeeee);
	CHECK_EQ_U64(rd(STATUS), S_ALL);
	/* an event split over two segments, 3 and 5 bytes */
	desc_at(EDESC, 2, BUF + 0x100, 3, F_WRITE | F_NEXT, 3);
	desc_at(EDESC, 3, BUF + 0x200, 5, F_WRITE, 0);
	offer(&evq, 2);
	wr(QUEUE_NOTIFY, 0);
	CHECK_EQ_U64(used_idx(&evq), 3);
	CHECK_EQ_U64(used_id(&evq, 2), 2);
	CHECK_EQ_U64(used_len(&evq, 2), 8);
	CHECK_EQ_U64(get16(BUF + 0x100), EV_KEY);
	CHECK_EQ_U64(ram(BUF + 0x102)[0], KEY_POWER);
	CHECK_EQ_U64(ram(BUF + 0x200)[0], 0);
	CHECK_EQ_U64(get32(BUF + 0x201), 1);
	CHECK_EQ_U64(rd(STATUS), S_ALL);

	/* a buffer outside RAM: the queue is broken, the device needs a
	 * reset, and nothing is written anywhere */
	desc_at(EDESC, 4, RAM_BASE + RAM_SIZE - 4, 8, F_WRITE, 0);
	offer(&evq, 4);
	wr(QUEUE_NOTIFY, 0);
	CHECK(rd(STATUS) & S_NEEDS_RESET);
	CHECK(rd(INT_STATUS) & 2);
	teardown();

	/* a chain that loops */

	setup();
	driver_init(true);
	desc_at(EDESC, 0, BUF, 8, F_WRITE | F_NEXT, 1);
	desc_at(EDESC, 1, BUF + 8, 8, F_WRITE | F_NEXT, 0);
	offer(&evq, 0);
	CHECK(!virtio_input_power_button(dev));
	CHECK(rd(STATUS) & S_NEEDS_RESET);
	/* the device keeps answering and the press survives the reset */
	evq.avail_idx = 0;
	memset(ram(EAVAIL), 0, 0x2000);
	driver_init(true);
	for (unsigned i = 0; i < 4; i++)
		offer_event_buf(i);
	wr(QUEUE_NOTIFY, 0);
	CHECK_EQ_U64(rd(STATUS), S_ALL);
	CHECK_EQ_U64(used_idx(&evq), 4);
	check_press(0);
	teardown();

	/* an avail index far ahead on statusq */
	setup();
	driver_init(true);
	put16(SAVAIL + 2, 100);
	wr(QUEUE_NOTIFY, 1);
	CHECK(rd(STATUS) & S_NEEDS_RESET);
	teardown();
}

/* Presses from another thread while a vCPU thread reads the config and
 * returns buffers: with up to three presses in flight and eight buffers,
 * the presser and the notifier both move events into buffers. Every
 * press arrives, whole and in order. */
#define PRESSES 2000

static _Atomic unsigned consumed;
static _Atomic bool stop;

static void *press_thread(void *arg)
{
	for (unsigned i = 0; i < PRESSES && !stop; i++) {
		while (4 * i - consumed > 8 && !stop)
			sched_yield();
		virtio_input_power_button(dev);
	}
	return NULL;
}

static void test_threads(void)
{
	pthread_t th;
	uint16_t seen = 0, now;
	unsigned bad = 0, k = 0;
	time_t deadline = time(NULL) + 30;

	consumed = 0;
	stop = false;
	setup();
	driver_init(true);
	for (unsigned i = 0; i < QNUM; i++)
		offer_event_buf(i);
	wr(QUEUE_NOTIFY, 0);
	CHECK(pthread_create(&th, NULL, press_thread, NULL) == 0);
	while (!bad && k < 4 * PRESSES && time(NULL) < deadline) {
		if (cfg_select(CFG_ID_DEVIDS, 0) != 8)
			bad++;
		now = used_idx(&evq);
		if (now == seen)
			sched_yield();
		for (; seen != now && !bad; seen++, k++) {
			uint32_t id = used_id(&evq, seen);

			if (id >= QNUM || used_len(&evq, seen) != 8 ||
			    get16(BUF + 16 * id) != (k % 2 ? EV_SYN : EV_KEY) ||
			    get16(BUF + 16 * id + 2) !=
				    (k % 2 ? 0 : KEY_POWER) ||
			    get32(BUF + 16 * id + 4) != (k % 4 == 0))
				bad++;
			else
				offer_event_buf(id);
		}
		consumed = k;
		wr(QUEUE_NOTIFY, 0);
	}
	stop = true;
	pthread_join(th, NULL);
	CHECK_EQ_U64(bad, 0);
	CHECK_EQ_U64(k, 4 * PRESSES);
	teardown();
}

int main(void)
{
	test_identity();
	test_config();
	test_press();
	test_press_before_driver();
	test_status_queue();
	test_malformed();
	test_threads();
	return unit_done("test_virtio_input");
}
