/*
 * Goldfish RTC driven through its MMIO ops without a CPU. Expected
 * values from the goldfish virtual hardware description (TIME_HIGH
 * latched by a TIME_LOW read, alarm registers) and from the host's
 * CLOCK_REALTIME; the set-time order is the Linux driver's (TIME_HIGH,
 * then TIME_LOW).
 */
#include <libfdt.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "dev/rtc_goldfish.h"
#include "tests/unit/unit.h"

#define TIME_LOW 0x00
#define TIME_HIGH 0x04
#define ALARM_LOW 0x08
#define ALARM_HIGH 0x0c
#define IRQ_ENABLED 0x10
#define CLEAR_ALARM 0x14
#define ALARM_STATUS 0x18
#define CLEAR_INTERRUPT 0x1c

#define MS 1000000ull
#define S 1000000000ull

struct irq_rec {
	pthread_mutex_t lock;
	bool level;
	unsigned changes;
};

static void irq_rec_set(void *ctx, unsigned num, bool level)
{
	struct irq_rec *r = ctx;

	pthread_mutex_lock(&r->lock);
	r->level = level;
	r->changes++;
	pthread_mutex_unlock(&r->lock);
}

static bool irq_level(struct irq_rec *r)
{
	bool level;

	pthread_mutex_lock(&r->lock);
	level = r->level;
	pthread_mutex_unlock(&r->lock);
	return level;
}

static struct rtc_goldfish rtc;
static struct mmio_region reg;
static struct irq_rec irq;

static uint64_t rd(uint64_t off)
{
	return reg.ops->read(reg.dev, off, 4);
}

static void wr(uint64_t off, uint64_t val)
{
	reg.ops->write(reg.dev, off, val, 4);
}

static uint64_t host_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * S + (uint64_t)ts.tv_nsec;
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / S),
			       .tv_nsec = (long)(ns % S) };

	nanosleep(&ts, NULL);
}

/* The guest's way to read the time: TIME_LOW, then TIME_HIGH. */
static uint64_t read_time(void)
{
	uint64_t low = rd(TIME_LOW);

	return rd(TIME_HIGH) << 32 | low;
}

static void set_time(uint64_t t)
{
	wr(TIME_HIGH, t >> 32);
	wr(TIME_LOW, (uint32_t)t);
}

static uint64_t diff(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}

static void setup(void)
{
	struct irq_line line = { .set = irq_rec_set, .ctx = &irq, .num = 11 };

	memset(&irq, 0, sizeof(irq));
	pthread_mutex_init(&irq.lock, NULL);
	CHECK(rtc_goldfish_init(&rtc, &line) == 0);
	reg = rtc_goldfish_region(&rtc, 0x101000);
}

static void teardown(void)
{
	rtc_goldfish_destroy(&rtc);
	pthread_mutex_destroy(&irq.lock);
}

static void test_time(void)
{
	uint64_t t;

	setup();
	CHECK_EQ_U64(reg.size, 0x1000);
	CHECK_EQ_U64(reg.min_access, 4);
	CHECK_EQ_U64(reg.max_access, 4);
	t = read_time();
	CHECK(diff(t, host_ns()) < 1 * S);
	sleep_ns(20 * MS);
	CHECK(read_time() - t >= 20 * MS);
	CHECK(read_time() - t < 1 * S);
	CHECK_EQ_U64(rd(IRQ_ENABLED), 0);
	CHECK_EQ_U64(rd(ALARM_STATUS), 0);
	CHECK_EQ_U64(rd(0x20), 0);
	CHECK_EQ_U64(rd(0xffc), 0);
	teardown();
}

static void test_latch_and_set(void)
{
	uint64_t t;

	setup();
	/* 2001-09-09T01:46:40Z */
	set_time(1000000000ull * S);
	t = read_time();
	CHECK(t >= 1000000000ull * S && t - 1000000000ull * S < 1 * S);
	/* the offset holds: the clock keeps running from the set time */
	sleep_ns(10 * MS);
	CHECK(read_time() - t >= 10 * MS);

	/*
	 * 200 ms before the high half turns from 5 to 6: TIME_HIGH keeps
	 * the value latched by the TIME_LOW read after the turn.
	 */
	set_time((6ull << 32) - 200 * MS);
	rd(TIME_LOW);
	CHECK_EQ_U64(rd(TIME_HIGH), 5);
	sleep_ns(300 * MS);
	CHECK_EQ_U64(rd(TIME_HIGH), 5);
	rd(TIME_LOW);
	CHECK_EQ_U64(rd(TIME_HIGH), 6);

	/* a TIME_LOW write without TIME_HIGH keeps the high half */
	set_time(7ull << 32);
	wr(TIME_LOW, 0x1000);
	t = read_time();
	CHECK(t >= (7ull << 32 | 0x1000) && t < (7ull << 32) + 1 * S);
	/* a TIME_HIGH write alone changes nothing until TIME_LOW */
	wr(TIME_HIGH, 9);
	CHECK_EQ_U64(read_time() >> 32, 7);
	wr(TIME_LOW, 0);
	CHECK_EQ_U64(read_time() >> 32, 9);
	teardown();
}

static void test_alarm(void)
{
	uint64_t now, t;
	int i;

	setup();
	/* an alarm in the past fires at once */
	now = read_time();
	wr(ALARM_HIGH, (now - 1 * S) >> 32);
	wr(ALARM_LOW, (uint32_t)(now - 1 * S));
	CHECK_EQ_U64(rd(ALARM_HIGH), (now - 1 * S) >> 32);
	CHECK_EQ_U64(rd(ALARM_LOW), (uint32_t)(now - 1 * S));
	CHECK_EQ_U64(rd(ALARM_STATUS), 0);
	CHECK(!irq_level(&irq)); /* not enabled */
	wr(IRQ_ENABLED, 1);
	CHECK_EQ_U64(rd(IRQ_ENABLED), 1);
	CHECK(irq_level(&irq));
	wr(CLEAR_INTERRUPT, 1);
	CHECK(!irq_level(&irq));

	/* an alarm 50 ms ahead fires from the device's thread */
	t = read_time() + 50 * MS;
	wr(ALARM_HIGH, t >> 32);
	wr(ALARM_LOW, (uint32_t)t);
	CHECK_EQ_U64(rd(ALARM_STATUS), 1);
	CHECK(!irq_level(&irq));
	for (i = 0; i < 500 && !irq_level(&irq); i++)
		sleep_ns(10 * MS);
	CHECK(irq_level(&irq));
	CHECK(read_time() >= t);
	CHECK_EQ_U64(rd(ALARM_STATUS), 0);
	/* IRQ_ENABLED masks the line without losing the interrupt */
	wr(IRQ_ENABLED, 0);
	CHECK(!irq_level(&irq));
	wr(IRQ_ENABLED, 1);
	CHECK(irq_level(&irq));
	wr(CLEAR_INTERRUPT, 1);
	CHECK(!irq_level(&irq));

	/* CLEAR_ALARM disarms */
	t = read_time() + 50 * MS;
	wr(ALARM_HIGH, t >> 32);
	wr(ALARM_LOW, (uint32_t)t);
	wr(CLEAR_ALARM, 1);
	CHECK_EQ_U64(rd(ALARM_STATUS), 0);
	sleep_ns(100 * MS);
	CHECK(!irq_level(&irq));

	/* moving the clock past an armed alarm fires it */
	t = read_time() + 3600 * S;
	wr(ALARM_HIGH, t >> 32);
	wr(ALARM_LOW, (uint32_t)t);
	CHECK(!irq_level(&irq));
	set_time(t + 1 * S);
	CHECK(irq_level(&irq));
	CHECK_EQ_U64(rd(ALARM_STATUS), 0);
	teardown();
}

static void test_fdt(void)
{
	static char buf[4096];
	struct devtree_refs refs = { .plic_phandle = 5 };
	const fdt32_t *p;
	const char *s;
	int node, len;

	setup();
	CHECK(fdt_create(buf, sizeof(buf)) == 0);
	CHECK(fdt_finish_reservemap(buf) == 0);
	CHECK(fdt_begin_node(buf, "") == 0);
	CHECK(fdt_begin_node(buf, "soc") == 0);
	CHECK(rtc_goldfish_fdt(&rtc, buf, 0x101000, &refs) == 0);
	CHECK(fdt_end_node(buf) == 0);
	CHECK(fdt_end_node(buf) == 0);
	CHECK(fdt_finish(buf) == 0);

	node = fdt_path_offset(buf, "/soc/rtc@101000");
	CHECK(node >= 0);
	s = fdt_getprop(buf, node, "compatible", &len);
	CHECK(s && len == 20 && strcmp(s, "google,goldfish-rtc") == 0);
	p = fdt_getprop(buf, node, "reg", &len);
	CHECK(p && len == 16);
	if (p && len == 16) {
		CHECK_EQ_U64(fdt32_to_cpu(p[0]), 0);
		CHECK_EQ_U64(fdt32_to_cpu(p[1]), 0x101000);
		CHECK_EQ_U64(fdt32_to_cpu(p[2]), 0);
		CHECK_EQ_U64(fdt32_to_cpu(p[3]), 0x1000);
	}
	p = fdt_getprop(buf, node, "interrupts", &len);
	CHECK(p && len == 4 && fdt32_to_cpu(*p) == 11);
	p = fdt_getprop(buf, node, "interrupt-parent", &len);
	CHECK(p && len == 4 && fdt32_to_cpu(*p) == 5);
	teardown();
}

int main(void)
{
	test_time();
	test_latch_and_set();
	test_alarm();
	test_fdt();
	return unit_done("test_rtc");
}
