/*
 * libFuzzer target for virtio-blk (virtio/blk.c) over its transport and a
 * raw disk in a private temporary file (disk/raw.c), without the worker
 * thread (virtio_blk_init_manual: requests run when the driver notifies,
 * so every run is deterministic). The input is a hostile driver:
 * register writes, the whole guest RAM image (descriptors, rings,
 * request headers, buffers) and a sequence of requests, notifications and
 * resets. ASan and UBSan catch any access outside guest RAM or the
 * device's buffers; a request must never reach past the end of the disk
 * (the disk file's size is checked after each input).
 *
 * Input: an op count n (one byte), n 8-byte ops, then the RAM image (64
 * KiB at most, at guest-physical 0x80000000).
 *
 * An op is 8 bytes: kind (mod OP_COUNT), a, b, c, then a 32-bit value v.
 *
 *   OP_INIT     status sequence of 3.1.1 with features v (bit 32 and more
 *               from a), the queue of size 1 << (b % 9) at fixed ring
 *               addresses, DRIVER_OK
 *   OP_WRITE    register (a * 4) & 0xfc := v
 *   OP_READ     register or config byte at (a | b << 8) & 0x1ff
 *   OP_NOTIFY   QueueNotify := a % 2
 *   OP_POKE     RAM byte (a | b << 8) := c
 *   OP_AVAIL    the driver publishes descriptor v & 0xffff and bumps its
 *               avail index by 1 + b % 2
 *   OP_REQUEST  a three-descriptor request: header (type a % 16, sector
 *               v), data buffer of (b << 4 | c >> 4) * 16 bytes
 *               (device-writable when c & 1), status byte; notify
 *   OP_RESET    the board's reset
 *
 * Built with -DFUZZ_REPLAY instead of -fsanitize=fuzzer, main() runs
 * every file named on the command line, or inside a named directory,
 * through the target once (the saved corpus in the normal test run).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "disk/disk.h"
#include "tests/fuzz/driver.h"
#include "virtio/blk.h"

#define DISK_SIZE (1u << 20)

#define REQ_HDR (FUZZ_RAM_BASE + 0x4000)
#define REQ_STATUS (FUZZ_RAM_BASE + 0x4100)
#define REQ_DATA (FUZZ_RAM_BASE + 0x8000)
#define REQ_DATA_MAX 0x8000u

enum {
	OP_INIT,
	OP_WRITE,
	OP_READ,
	OP_NOTIFY,
	OP_POKE,
	OP_AVAIL,
	OP_REQUEST,
	OP_RESET,
	OP_COUNT,
};

static struct virtio_blk blk;
static bool ready;
static char dir[64], path[96];

static void fuzz_fail(const char *what)
{
	fprintf(stderr, "fuzz_blk: %s\n", what);
	abort();
}

static void irq_set(void *ctx, unsigned num, bool level)
{
}

static const struct irq_line irq = { irq_set, NULL, 1 };

static void request(uint8_t type, uint32_t sector, uint32_t len, bool in)
{
	uint32_t hdr[4] = { type, 0, sector, 0 };

	memcpy(ram(REQ_HDR), hdr, sizeof(hdr));
	desc(0, 0, REQ_HDR, 16, 1, 1);
	desc(0, 1, REQ_DATA, len, in ? 3 : 1, 2);
	desc(0, 2, REQ_STATUS, 1, 2, 0);
	avail_publish(0, 0, 1);
	wr(0x050, 0);
}

static void run_op(const uint8_t *op)
{
	uint8_t kind = op[0] % OP_COUNT, a = op[1], b = op[2], c = op[3];
	uint32_t v;

	memcpy(&v, op + 4, 4);
	switch (kind) {
	case OP_INIT: driver_init(v | (uint64_t)a << 32, b % 9, 1); break;
	case OP_WRITE: wr((uint64_t)(a * 4) & 0xfc, v); break;
	case OP_READ: {
		uint64_t off = (uint64_t)(a | b << 8) & 0x1ff;

		if (off >= 0x100)
			region.ops->read(region.dev, off, 1);
		else
			region.ops->read(region.dev, off & ~3ull, 4);
		break;
	}
	case OP_NOTIFY: wr(0x050, a % 2); break;
	case OP_POKE: *ram(FUZZ_RAM_BASE + (a | b << 8)) = c; break;
	case OP_AVAIL: avail_publish(0, (uint16_t)v, 1 + b % 2); break;
	case OP_REQUEST:
		request(a % 16, v,
			((uint32_t)(b << 4 | c >> 4) * 16) % REQ_DATA_MAX,
			c & 1);
		break;
	case OP_RESET:
		virtio_mmio_reset(&blk.transport);
		qsize[0] = 0;
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct disk *disk;
	const char *why;
	struct stat st;
	size_t nops, img;

	if (!ready) {
		strcpy(dir, "/tmp/fuzz_blk.XXXXXX");
		if (!mkdtemp(dir))
			fuzz_fail("mkdtemp");
		snprintf(path, sizeof(path), "%s/disk.raw", dir);
		if (disk_create(path, DISK_FORMAT_RAW, DISK_SIZE, NULL,
				DISK_FORMAT_AUTO, &why))
			fuzz_fail(why);
		if (bus_init(&bus, FUZZ_RAM_BASE, FUZZ_RAM_SIZE, false))
			fuzz_fail("bus_init");
		ready = true;
	}
	if (size < 1)
		return 0;
	nops = data[0];
	data++;
	size--;
	if (nops * 8 > size)
		nops = size / 8;
	memset(bus.ram, 0, FUZZ_RAM_SIZE);
	img = size - nops * 8;
	memcpy(bus.ram, data + nops * 8,
	       img < FUZZ_RAM_SIZE ? img : FUZZ_RAM_SIZE);
	qsize[0] = 0;
	if (disk_open(path, DISK_FORMAT_RAW, false, &disk, &why))
		fuzz_fail(why);
	if (virtio_blk_init_manual(&blk, &bus, &irq, disk))
		fuzz_fail("virtio_blk_init_manual");
	region = virtio_mmio_region(&blk.transport, 0);
	for (size_t i = 0; i < nops; i++)
		run_op(data + 8 * i);
	virtio_blk_destroy(&blk);
	if (stat(path, &st) || st.st_size != DISK_SIZE)
		fuzz_fail("a request reached past the end of the disk");
	return 0;
}

#ifdef FUZZ_REPLAY
#include "tests/fuzz/replay.h"

int main(int argc, char **argv)
{
	int status = fuzz_replay_all("fuzz_blk", argc, argv);

	if (ready) {
		unlink(path);
		rmdir(dir);
	}
	return status;
}
#endif
