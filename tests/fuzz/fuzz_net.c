/*
 * libFuzzer target for virtio-net (virtio/net.c) over its transport and
 * a real, restricted slirp back end (net/user.c in manual mode: nothing
 * reaches the host's sockets). The input is a hostile driver: register
 * writes, the whole guest RAM image (descriptors, rings, buffers, frames)
 * and a sequence of notifications, back end turns and resets. ASan and
 * UBSan catch any access outside guest RAM or the device's buffers, and
 * LeakSanitizer a frame or timer the device or back end forgets.
 *
 * Input: an op count n (one byte), n 8-byte ops, then the RAM image (64 KiB at
 * most, at guest-physical 0x80000000).
 *
 * An op is 8 bytes: kind (mod OP_COUNT), a, b, c, then a 32-bit value v.
 *
 *   OP_INIT       status sequence of 3.1.1 with features v (bit 32 and
 *                 more from a), both queues of size 1 << (b % 10) at
 *                 fixed ring addresses, DRIVER_OK
 *   OP_WRITE      register (a * 4) & 0xfc := v
 *   OP_READ       register or config byte at (a | b << 8) & 0x1ff
 *   OP_NOTIFY     QueueNotify := a % 3
 *   OP_POLL       one turn of the back end (no wait)
 *   OP_POKE       RAM byte (a | b << 8) := c
 *   OP_AVAIL      the driver publishes descriptor v & 0xffff on queue
 *                 a % 2 and bumps its avail index by 1 + b % 2
 *   OP_TX_FRAME   queue 1 gets a chain: header then (v & 0x7ff) bytes of
 *                 RAM at offset 0x800 (a frame the fuzzer wrote), notify
 *   OP_RESET      the board's reset
 *
 * Built with -DFUZZ_REPLAY instead of -fsanitize=fuzzer, main() runs
 * every file named on the command line, or inside a named directory,
 * through the target once (the saved corpus in the normal test run).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/driver.h"
#include "util/log.h"
#include "virtio/net.h"

#define FRAME_OFF 0x800
#define TX_DESC 0 /* OP_TX_FRAME uses descriptors 0 and 1 of queue 1 */

enum {
	OP_INIT,
	OP_WRITE,
	OP_READ,
	OP_NOTIFY,
	OP_POLL,
	OP_POKE,
	OP_AVAIL,
	OP_TX_FRAME,
	OP_RESET,
	OP_COUNT,
};

static bool bus_ready;

static void irq_set(void *ctx, unsigned num, bool level)
{
}

static const struct irq_line irq = { irq_set, NULL, 5 };

static void run_op(struct virtio_net *n, const uint8_t *op)
{
	uint8_t kind = op[0] % OP_COUNT, a = op[1], b = op[2], c = op[3];
	uint32_t v;

	memcpy(&v, op + 4, 4);
	switch (kind) {
	case OP_INIT: driver_init(v | (uint64_t)a << 32, b % 10, 2); break;
	case OP_WRITE: wr((uint64_t)(a * 4) & 0xfc, v); break;
	case OP_READ: {
		uint64_t off = (uint64_t)(a | b << 8) & 0x1ff;

		if (off >= 0x100)
			region.ops->read(region.dev, off, 1);
		else
			region.ops->read(region.dev, off & ~3ull, 4);
		break;
	}
	case OP_NOTIFY: wr(0x050, a % 3); break;
	case OP_POLL: virtio_net_poll(n, 0); break;
	case OP_POKE: *ram(FUZZ_RAM_BASE + (a | b << 8)) = c; break;
	case OP_AVAIL: avail_publish(a % 2, (uint16_t)v, 1 + b % 2); break;
	case OP_TX_FRAME:
		memset(ram(FUZZ_RAM_BASE + FRAME_OFF - 12), 0, 12);
		desc(1, TX_DESC, FUZZ_RAM_BASE + FRAME_OFF - 12, 12, 1,
		     TX_DESC + 1);
		desc(1, TX_DESC + 1, FUZZ_RAM_BASE + FRAME_OFF, v & 0x7ff, 0,
		     0);
		avail_publish(1, TX_DESC, 1);
		wr(0x050, 1);
		virtio_net_poll(n, 0);
		break;
	case OP_RESET:
		virtio_mmio_reset(virtio_net_transport(n));
		qsize[0] = qsize[1] = 0;
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct net_config cfg = { .enabled = true };
	const char *why = NULL;
	struct virtio_net *n;
	size_t nops, img;

	if (!bus_ready) {
		if (bus_init(&bus, FUZZ_RAM_BASE, FUZZ_RAM_SIZE, false))
			abort();
		bus_ready = true;
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
	qsize[0] = qsize[1] = 0;
	n = virtio_net_create_manual(&bus, &irq, &cfg, &why);
	if (!n) {
		fprintf(stderr, "fuzz_net: %s\n", why);
		abort();
	}
	region = virtio_mmio_region(virtio_net_transport(n), 0);
	for (size_t i = 0; i < nops; i++)
		run_op(n, data + 8 * i);
	virtio_net_poll(n, 0);
	virtio_net_destroy(n);
	return 0;
}

#ifdef FUZZ_REPLAY
#include "tests/fuzz/replay.h"

int main(int argc, char **argv)
{
	return fuzz_replay_all("fuzz_net", argc, argv);
}
#endif
