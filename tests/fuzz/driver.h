/*
 * The hostile driver the virtio device fuzz targets share: guest RAM at
 * FUZZ_RAM_BASE on `bus`, the device's registers through `region`, and
 * split queues at fixed addresses (queue q's rings at 0x1000 + q * 0x3000
 * into RAM). Included by one fuzz target each.
 */
#ifndef TESTS_FUZZ_DRIVER_H
#define TESTS_FUZZ_DRIVER_H

#include <stdint.h>
#include <string.h>

#include "mem/bus.h"

#define FUZZ_RAM_BASE 0x80000000ull
#define FUZZ_RAM_SIZE 0x10000ull
#define FUZZ_QUEUES 2

#define RING_DESC(q) (FUZZ_RAM_BASE + 0x1000 + 0x3000 * (uint64_t)(q))
#define RING_AVAIL(q) (RING_DESC(q) + 0x1000)
#define RING_USED(q) (RING_DESC(q) + 0x2000)

static struct bus bus;
static struct mmio_region region;
static uint16_t qsize[FUZZ_QUEUES], avail_idx[FUZZ_QUEUES];

static uint8_t *ram(uint64_t gpa)
{
	return bus.ram + (gpa - FUZZ_RAM_BASE);
}

static void wr(uint64_t off, uint32_t v)
{
	region.ops->write(region.dev, off, v, 4);
}

static void put16(uint64_t gpa, uint16_t v)
{
	memcpy(ram(gpa), &v, 2);
}

static void desc(unsigned q, unsigned i, uint64_t addr, uint32_t len,
		 uint16_t flags, uint16_t next)
{
	uint8_t *p = ram(RING_DESC(q) + 16 * (uint64_t)i);

	memcpy(p, &addr, 8);
	memcpy(p + 8, &len, 4);
	memcpy(p + 12, &flags, 2);
	memcpy(p + 14, &next, 2);
}

/* The driver offers head count times on queue q and publishes the index. */
static void avail_publish(unsigned q, uint16_t head, unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		if (qsize[q])
			put16(RING_AVAIL(q) + 4 + 2 * (avail_idx[q] % qsize[q]),
			      head);
		avail_idx[q]++;
	}
	put16(RING_AVAIL(q) + 2, avail_idx[q]);
}

/* The status sequence of 3.1.1 with features, nq queues of 1 << size_log2
 * at the fixed ring addresses, DRIVER_OK. */
static void driver_init(uint64_t features, unsigned size_log2, unsigned nq)
{
	uint16_t size = (uint16_t)(1u << size_log2);

	wr(0x070, 0);
	wr(0x070, 1);
	wr(0x070, 3);
	wr(0x024, 0);
	wr(0x020, (uint32_t)features);
	wr(0x024, 1);
	wr(0x020, (uint32_t)(features >> 32));
	wr(0x070, 11);
	for (unsigned q = 0; q < nq; q++) {
		wr(0x030, q);
		wr(0x038, size);
		wr(0x080, (uint32_t)RING_DESC(q));
		wr(0x084, 0);
		wr(0x090, (uint32_t)RING_AVAIL(q));
		wr(0x094, 0);
		wr(0x0a0, (uint32_t)RING_USED(q));
		wr(0x0a4, 0);
		wr(0x044, 1);
		qsize[q] = size;
		avail_idx[q] = 0;
	}
	wr(0x070, 15);
}

#endif
