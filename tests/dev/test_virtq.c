/*
 * Split virtqueues (virtio/queue.c) driven in a real bus's RAM without a
 * CPU: the test plays the driver, laying out descriptors and rings as
 * virtio 1.2 section 2.7 describes. Expected values from the spec: ring
 * layout (2.7), chain framing (2.7.4), indirect tables (2.7.5.3),
 * notification suppression (2.7.7, 2.7.10), used ring (2.7.8).
 */
#include <string.h>

#include "tests/unit/unit.h"
#include "virtio/queue.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (1ull << 20)
#define DESC (RAM_BASE + 0x0000)
#define AVAIL (RAM_BASE + 0x4000)
#define USED (RAM_BASE + 0x8000)
#define TABLE (RAM_BASE + 0xc000) /* indirect tables */
#define BUF (RAM_BASE + 0x10000)
#define NUM 16

static struct bus bus;

#include "tests/dev/virtio_driver.h"
static struct virtq q;
static struct virtq_req req;
static uint16_t avail_idx;

static void desc(unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
		 uint16_t next)
{
	desc_at(DESC, i, addr, len, flags, next);
}

/* The driver makes head available and publishes avail idx. */
static void offer(uint16_t head)
{
	put16(AVAIL + 4 + 2 * (avail_idx % NUM), head);
	avail_idx++;
	put16(AVAIL + 2, avail_idx);
}

static uint16_t used_idx(void)
{
	return get16(USED + 2);
}

static uint32_t used_id(unsigned slot)
{
	return get32(USED + 4 + 8 * (slot % NUM));
}

static uint32_t used_len(unsigned slot)
{
	return get32(USED + 8 + 8 * (slot % NUM));
}

static void setup(bool event_idx)
{
	memset(bus.ram, 0, 0x20000);
	virtq_reset(&q, &bus);
	q.num = NUM;
	q.desc_gpa = DESC;
	q.avail_gpa = AVAIL;
	q.used_gpa = USED;
	q.event_idx = event_idx;
	avail_idx = 0;
	CHECK(virtq_enable(&q) == 0);
}

static void test_enable(void)
{
	static const uint16_t bad_num[] = { 0, 3, 12, 2048 };

	for (unsigned i = 0; i < sizeof(bad_num) / sizeof(bad_num[0]); i++) {
		virtq_reset(&q, &bus);
		q.num = bad_num[i];
		q.desc_gpa = DESC;
		q.avail_gpa = AVAIL;
		q.used_gpa = USED;
		CHECK(virtq_enable(&q) == -1);
		CHECK(!q.ready);
	}
	/* 2.7: alignment 16, 2 and 4 */
	setup(false);
	q.ready = false;
	q.desc_gpa = DESC + 8;
	CHECK(virtq_enable(&q) == -1);
	q.desc_gpa = DESC;
	q.avail_gpa = AVAIL + 1;
	CHECK(virtq_enable(&q) == -1);
	q.avail_gpa = AVAIL + 2;
	q.used_gpa = USED + 2;
	CHECK(virtq_enable(&q) == -1);
	q.used_gpa = USED + 4;
	CHECK(virtq_enable(&q) == 0);
	/* the used ring is 6 + 8 * num bytes: its last byte must be RAM */
	q.ready = false;
	q.used_gpa = RAM_BASE + RAM_SIZE - (8 + 8 * NUM);
	CHECK(virtq_enable(&q) == 0);
	q.ready = false;
	q.used_gpa += 4;
	CHECK(virtq_enable(&q) == -1);
	q.used_gpa = RAM_BASE - 0x100;
	CHECK(virtq_enable(&q) == -1);
	q.used_gpa = USED;
	q.desc_gpa = 0xfffffffffffffff0ull;
	CHECK(virtq_enable(&q) == -1);
	q.desc_gpa = 0x10001000; /* MMIO, not RAM */
	CHECK(virtq_enable(&q) == -1);
	CHECK(!q.ready);
	virtq_reset(&q, &bus);
	q.num = VIRTQ_MAX_SIZE;
	q.desc_gpa = DESC;
	q.avail_gpa = AVAIL;
	q.used_gpa = USED;
	CHECK(virtq_enable(&q) == 0);
}

static void test_chain(void)
{
	setup(false);
	CHECK(virtq_pop(&q, &req) == 0);
	desc(3, BUF, 12, F_NEXT, 7);
	desc(7, BUF + 0x100, 100, F_NEXT, 1);
	desc(1, BUF + 0x1000, 512, F_NEXT | F_WRITE, 2);
	desc(2, BUF + 0x2000, 1, F_WRITE, 0);
	offer(3);
	CHECK(virtq_pop(&q, &req) == 1);
	CHECK_EQ_U64(req.head, 3);
	CHECK_EQ_U64(req.nout, 2);
	CHECK_EQ_U64(req.nin, 2);
	CHECK(req.out[0].hva == ram(BUF) && req.out[0].len == 12);
	CHECK(req.out[1].hva == ram(BUF + 0x100) && req.out[1].len == 100);
	CHECK(req.in[0].hva == ram(BUF + 0x1000) && req.in[0].len == 512);
	CHECK(req.in[1].hva == ram(BUF + 0x2000) && req.in[1].len == 1);
	CHECK_EQ_U64(req.out_len, 112);
	CHECK_EQ_U64(req.in_len, 513);
	CHECK(virtq_pop(&q, &req) == 0);
	CHECK_EQ_U64(used_idx(), 0);
	virtq_push(&q, 3, 513);
	CHECK_EQ_U64(used_idx(), 1);
	CHECK_EQ_U64(used_id(0), 3);
	CHECK_EQ_U64(used_len(0), 513);

	/* a single writable buffer, a zero-length one, then the RAM's end */
	desc(0, RAM_BASE + RAM_SIZE - 64, 64, F_WRITE | F_NEXT, 5);
	desc(5, BUF, 0, F_WRITE, 0);
	offer(0);
	CHECK(virtq_pop(&q, &req) == 1);
	CHECK_EQ_U64(req.nout, 0);
	CHECK_EQ_U64(req.nin, 2);
	CHECK_EQ_U64(req.in_len, 64);
	CHECK(!q.broken);

	/* a chain through every descriptor of the table is not too long */
	for (unsigned i = 0; i < NUM; i++)
		desc(i, BUF + i, 1, i + 1 < NUM ? F_NEXT : 0, i + 1);
	offer(0);
	CHECK(virtq_pop(&q, &req) == 1);
	CHECK_EQ_U64(req.nout, NUM);
}

static void test_full_ring_and_wrap(void)
{
	setup(false);
	/* indices are free-running and wrap at 65536 (2.7.13.3) */
	q.last_avail = q.used_idx = 0xfffe;
	avail_idx = 0xfffe;
	desc(0, BUF, 8, F_WRITE, 0);
	for (unsigned i = 0; i < NUM; i++)
		offer(0);
	CHECK_EQ_U64(get16(AVAIL + 2), (uint16_t)(0xfffe + NUM));
	for (unsigned i = 0; i < NUM; i++) {
		CHECK(virtq_pop(&q, &req) == 1);
		virtq_push(&q, req.head, 8);
	}
	CHECK(virtq_pop(&q, &req) == 0);
	CHECK_EQ_U64(q.last_avail, (uint16_t)(0xfffe + NUM));
	CHECK_EQ_U64(used_idx(), (uint16_t)(0xfffe + NUM));
	CHECK(!q.broken);
}

static void test_indirect(void)
{
	setup(false);
	desc_at(TABLE, 0, BUF, 16, F_NEXT, 2);
	desc_at(TABLE, 2, BUF + 0x100, 32, F_NEXT | F_WRITE, 1);
	desc_at(TABLE, 1, BUF + 0x200, 64, F_WRITE, 0);
	/* 2.7.5.3.2: the WRITE flag of the indirect descriptor is ignored */
	desc(4, TABLE, 3 * 16, F_INDIRECT | F_WRITE, 0);
	offer(4);
	CHECK(virtq_pop(&q, &req) == 1);
	CHECK_EQ_U64(req.head, 4);
	CHECK_EQ_U64(req.nout, 1);
	CHECK_EQ_U64(req.nin, 2);
	CHECK(req.out[0].hva == ram(BUF) && req.out[0].len == 16);
	CHECK(req.in[0].hva == ram(BUF + 0x100));
	CHECK(req.in[1].hva == ram(BUF + 0x200) && req.in[1].len == 64);

	/* 2.7.5.3.2: direct descriptors followed by one indirect */
	desc(0, BUF + 0x300, 4, F_NEXT, 9);
	desc(9, TABLE + 0x800, 16, F_INDIRECT, 0);
	desc_at(TABLE + 0x800, 0, BUF, 8, 0, 0);
	offer(0);
	CHECK(virtq_pop(&q, &req) == 1);
	CHECK_EQ_U64(req.nout, 2);
	CHECK(req.out[0].hva == ram(BUF + 0x300) && req.out[1].hva == ram(BUF));
	CHECK_EQ_U64(req.nin, 0);

	/* a table larger than the ring (Linux sizes it by the request) */
	for (unsigned i = 0; i < 100; i++)
		desc_at(TABLE, i, BUF + i, 1,
			i < 99 ? F_NEXT | F_WRITE : F_WRITE, i + 1);
	desc(5, TABLE, 100 * 16, F_INDIRECT, 0);
	offer(5);
	CHECK(virtq_pop(&q, &req) == 1);
	CHECK_EQ_U64(req.nin, 100);
	CHECK(!q.broken);
}

static void test_event_idx(void)
{
	setup(true);
	desc(0, BUF, 8, F_WRITE, 0);
	/* the empty pop already asks for a notification of entry 0 */
	CHECK(virtq_pop(&q, &req) == 0);
	CHECK_EQ_U64(get16(USED + 4 + 8 * NUM), 0);
	offer(0);
	offer(0);
	CHECK(virtq_pop(&q, &req) == 1);
	/* avail_event = last_avail: notify when entry 1 is made available */
	CHECK_EQ_U64(get16(USED + 4 + 8 * NUM), 1);
	CHECK(virtq_pop(&q, &req) == 1);
	CHECK(virtq_pop(&q, &req) == 0);
	CHECK_EQ_U64(get16(USED + 4 + 8 * NUM), 2);
	virtq_update_avail_event(&q);
	CHECK_EQ_U64(get16(USED + 4 + 8 * NUM), 2);

	/* used_event = 0: interrupt once used idx passes 0 */
	put16(AVAIL + 4 + 2 * NUM, 0);
	virtq_push(&q, 0, 8);
	CHECK(virtq_should_interrupt(&q));
	/* nothing new: no interrupt */
	CHECK(!virtq_should_interrupt(&q));
	/* used_event = 3: not at used idx 2, 3; at 4 (entry 3 written) */
	put16(AVAIL + 4 + 2 * NUM, 3);
	virtq_push(&q, 0, 8);
	CHECK(!virtq_should_interrupt(&q));
	virtq_push(&q, 0, 8);
	CHECK(!virtq_should_interrupt(&q));
	virtq_push(&q, 0, 8);
	CHECK(virtq_should_interrupt(&q));
	/* several pushes at once that step over used_event still notify */
	put16(AVAIL + 4 + 2 * NUM, 5);
	virtq_push(&q, 0, 8);
	virtq_push(&q, 0, 8);
	virtq_push(&q, 0, 8);
	CHECK(virtq_should_interrupt(&q));
	/* with event idx, the NO_INTERRUPT flag is ignored (2.7.7.2) */
	put16(AVAIL, 1);
	put16(AVAIL + 4 + 2 * NUM, 7);
	virtq_push(&q, 0, 8);
	CHECK(virtq_should_interrupt(&q));

	/* without event idx: the flag decides, avail_event is not written */
	setup(false);
	desc(0, BUF, 8, F_WRITE, 0);
	offer(0);
	CHECK(virtq_pop(&q, &req) == 1);
	CHECK_EQ_U64(get16(USED + 4 + 8 * NUM), 0);
	virtq_push(&q, 0, 8);
	CHECK(virtq_should_interrupt(&q));
	put16(AVAIL, 1);
	virtq_push(&q, 0, 8);
	CHECK(!virtq_should_interrupt(&q));
	put16(AVAIL, 0);
	virtq_push(&q, 0, 8);
	CHECK(virtq_should_interrupt(&q));
}

/* The chain at head 0 is malformed: pop fails, the head comes back. */
static void expect_malformed(const char *what)
{
	uint16_t before = used_idx();

	offer(0);
	if (virtq_pop(&q, &req) != -1)
		fprintf(stderr, "not malformed: %s\n", what);
	CHECK(q.broken);
	CHECK_EQ_U64(used_idx(), (uint16_t)(before + 1));
	CHECK_EQ_U64(used_id(before), 0);
	CHECK_EQ_U64(used_len(before), 0);
	CHECK_EQ_U64(q.last_avail, avail_idx);
	/* broken until reset */
	offer(0);
	CHECK(virtq_pop(&q, &req) == -1);
	CHECK_EQ_U64(used_idx(), (uint16_t)(before + 1));
}

static void test_malformed(void)
{
	setup(false);
	desc(0, RAM_BASE - 16, 8, 0, 0);
	expect_malformed("below RAM");

	setup(false);
	desc(0, RAM_BASE + RAM_SIZE - 8, 9, F_WRITE, 0);
	expect_malformed("past the end of RAM");

	setup(false);
	desc(0, 0xfffffffffffffff0ull, 0x20, 0, 0);
	expect_malformed("address + length overflows");

	setup(false);
	desc(0, 0x10000000, 8, F_WRITE, 0); /* the UART */
	expect_malformed("MMIO");

	setup(false);
	desc(0, BUF, 8, F_NEXT, 1);
	desc(1, BUF, 8, F_NEXT, 0);
	expect_malformed("loop");

	setup(false);
	desc(0, BUF, 8, F_NEXT, 0);
	expect_malformed("self loop");

	setup(false);
	desc(0, BUF, 8, F_NEXT, NUM);
	expect_malformed("next out of the table");

	setup(false);
	desc(0, BUF, 8, F_NEXT | F_WRITE, 1);
	desc(1, BUF, 8, 0, 0);
	expect_malformed("readable after writable");

	setup(false);
	desc(0, TABLE, 32, F_INDIRECT, 0);
	desc_at(TABLE, 0, BUF, 8, F_NEXT, 1);
	desc_at(TABLE, 1, TABLE + 0x100, 16, F_INDIRECT, 0);
	expect_malformed("indirect inside indirect");

	setup(false);
	desc(0, TABLE, 16, F_INDIRECT | F_NEXT, 1);
	desc(1, BUF, 8, 0, 0);
	desc_at(TABLE, 0, BUF, 8, 0, 0);
	expect_malformed("indirect with NEXT");

	setup(false);
	desc(0, TABLE, 24, F_INDIRECT, 0);
	expect_malformed("indirect length not a multiple of 16");

	setup(false);
	desc(0, TABLE, 0, F_INDIRECT, 0);
	expect_malformed("empty indirect table");

	setup(false);
	desc(0, RAM_BASE + RAM_SIZE - 16, 32, F_INDIRECT, 0);
	expect_malformed("indirect table past RAM");

	setup(false);
	desc(0, TABLE, 16 * (VIRTQ_MAX_SIZE + 1), F_INDIRECT, 0);
	expect_malformed("indirect table too large");

	setup(false);
	desc(0, TABLE, 32, F_INDIRECT, 0);
	desc_at(TABLE, 0, BUF, 8, F_NEXT, 1);
	desc_at(TABLE, 1, BUF, 8, F_NEXT, 0);
	expect_malformed("loop in an indirect table");

	setup(false);
	desc(0, TABLE, 32, F_INDIRECT, 0);
	desc_at(TABLE, 0, BUF, 8, F_NEXT, 2);
	expect_malformed("indirect next out of the table");

	setup(false);
	desc(0, TABLE, 16 * (VIRTQ_MAX_SEGS + 1), F_INDIRECT, 0);
	for (unsigned i = 0; i <= VIRTQ_MAX_SEGS; i++)
		desc_at(TABLE, i, BUF, 1, i < VIRTQ_MAX_SEGS ? F_NEXT : 0,
			i + 1);
	expect_malformed("more than VIRTQ_MAX_SEGS buffers");

	/* a head outside the table: consumed, but there is nothing to give
	 * back */
	setup(false);
	offer(NUM);
	CHECK(virtq_pop(&q, &req) == -1);
	CHECK(q.broken);
	CHECK_EQ_U64(used_idx(), 0);

	/* avail idx more than num ahead: broken, nothing consumed */
	setup(false);
	desc(0, BUF, 8, 0, 0);
	put16(AVAIL + 2, NUM + 1);
	CHECK(virtq_pop(&q, &req) == -1);
	CHECK(q.broken);
	CHECK_EQ_U64(q.last_avail, 0);
	CHECK_EQ_U64(used_idx(), 0);
	/* exactly num ahead is a full ring, not a jump */
	setup(false);
	desc(0, BUF, 8, 0, 0);
	put16(AVAIL + 2, NUM);
	CHECK(virtq_pop(&q, &req) == 1);
	/* the driver decrementing idx looks like a jump of 65535 */
	setup(false);
	put16(AVAIL + 2, 0xffff);
	CHECK(virtq_pop(&q, &req) == -1);
	CHECK(q.broken);

	/* after reset the queue is usable again */
	setup(false);
	desc(0, BUF, 8, F_WRITE, 0);
	offer(0);
	CHECK(virtq_pop(&q, &req) == 1);
	CHECK(!q.broken);
}

static void test_not_ready(void)
{
	virtq_reset(&q, &bus);
	CHECK(virtq_pop(&q, &req) == 0);
	virtq_push(&q, 0, 0);
	CHECK(!virtq_should_interrupt(&q));
	virtq_update_avail_event(&q);
}

/* Device writes to guest RAM invalidate code decoded from those pages. */
static void test_code_pages(void)
{
	uint64_t pg = bus_page_index(&bus, USED);
	uint32_t v0;

	setup(true);
	bus_mark_code(&bus, USED);
	v0 = bus.page_version[pg];
	virtq_push(&q, 0, 0);
	CHECK(bus.page_version[pg] != v0);
	bus_mark_code(&bus, USED);
	v0 = bus.page_version[pg];
	virtq_update_avail_event(&q);
	CHECK(bus.page_version[pg] != v0);
}

int main(void)
{
	if (bus_init(&bus, RAM_BASE, RAM_SIZE, false) != 0) {
		fprintf(stderr, "bus_init failed\n");
		return 1;
	}
	test_enable();
	test_chain();
	test_full_ring_and_wrap();
	test_indirect();
	test_event_idx();
	test_malformed();
	test_not_ready();
	test_code_pages();
	bus_destroy(&bus);
	return unit_done("test_virtq");
}
