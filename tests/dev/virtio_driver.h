/*
 * The driver's side of the virtio device tests: the virtio-mmio register
 * offsets (virtio 1.2, section 4.2.2), the status bits (2.1) and the
 * descriptor flags (2.7.5), and accessors for guest RAM and the device's
 * registers. A test defines RAM_BASE (and MMIO_BASE when it drives
 * registers) and a `static struct bus bus` before including this file.
 */
#ifndef TESTS_DEV_VIRTIO_DRIVER_H
#define TESTS_DEV_VIRTIO_DRIVER_H

#include <stdint.h>
#include <string.h>

#include "mem/bus.h"
#include "tests/unit/unit.h"

#define MAGIC 0x000
#define VERSION 0x004
#define DEVICE_ID 0x008
#define VENDOR_ID 0x00c
#define DEV_FEAT 0x010
#define DEV_FEAT_SEL 0x014
#define DRV_FEAT 0x020
#define DRV_FEAT_SEL 0x024
#define QUEUE_SEL 0x030
#define QUEUE_NUM_MAX 0x034
#define QUEUE_NUM 0x038
#define QUEUE_READY 0x044
#define QUEUE_NOTIFY 0x050
#define INT_STATUS 0x060
#define INT_ACK 0x064
#define STATUS 0x070
#define QUEUE_DESC_LOW 0x080
#define QUEUE_DESC_HIGH 0x084
#define QUEUE_DRIVER_LOW 0x090
#define QUEUE_DRIVER_HIGH 0x094
#define QUEUE_DEVICE_LOW 0x0a0
#define QUEUE_DEVICE_HIGH 0x0a4
#define SHM_LEN_LOW 0x0b0
#define CONFIG_GEN 0x0fc
#define CONFIG 0x100

#define S_ACK 1
#define S_DRIVER 2
#define S_DRIVER_OK 4
#define S_FEATURES_OK 8
#define S_NEEDS_RESET 64

#define F_NEXT 1
#define F_WRITE 2
#define F_INDIRECT 4

static inline uint8_t *ram(uint64_t gpa)
{
	return bus.ram + (gpa - RAM_BASE);
}

static inline void put16(uint64_t gpa, uint16_t v)
{
	memcpy(ram(gpa), &v, 2);
}

static inline uint16_t get16(uint64_t gpa)
{
	uint16_t v;

	memcpy(&v, ram(gpa), 2);
	return v;
}

static inline uint32_t get32(uint64_t gpa)
{
	uint32_t v;

	memcpy(&v, ram(gpa), 4);
	return v;
}

/* descriptor i of the table at gpa table (2.7.5) */
static inline void desc_at(uint64_t table, unsigned i, uint64_t addr,
			   uint32_t len, uint16_t flags, uint16_t next)
{
	uint8_t *p = ram(table + 16 * i);

	memcpy(p, &addr, 8);
	memcpy(p + 8, &len, 4);
	memcpy(p + 12, &flags, 2);
	memcpy(p + 14, &next, 2);
}

#ifdef MMIO_BASE
static inline uint64_t rdn(uint64_t off, unsigned size)
{
	uint64_t v = 0xdeadbeef;

	CHECK(bus_read(&bus, MMIO_BASE + off, size, &v) == 0);
	return v;
}

static inline uint32_t rd(uint64_t off)
{
	return (uint32_t)rdn(off, 4);
}

static inline void wrn(uint64_t off, uint64_t val, unsigned size)
{
	CHECK(bus_write(&bus, MMIO_BASE + off, size, val) == 0);
}

static inline void wr(uint64_t off, uint32_t val)
{
	wrn(off, val, 4);
}
#endif

#endif
