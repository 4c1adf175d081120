/*
 * libFuzzer target for the split-virtqueue walk (virtio/queue.c): the
 * input is a hostile driver. It chooses the queue size and ring
 * addresses, the whole guest RAM image (descriptors, rings, indirect
 * tables) and a sequence of device and driver steps. After each pop the
 * target checks what queue.h promises: every segment lies inside RAM,
 * readable ones before writable ones, at most VIRTQ_MAX_SEGS of them, and
 * a malformed ring leaves the queue broken. The device then writes every
 * writable byte, so ASan sees any segment that escapes guest RAM.
 *
 * Input: 16-byte header, an op count n, n 4-byte ops, then the RAM image.
 *
 *   header[0]     queue size 1 << (h % 11)
 *   header[1]     bit 0 event idx, bit 1 rings not aligned down
 *   header[2..7]  desc, avail, used offsets in RAM (16-bit each)
 *   header[8..9]  starting last_avail and used_idx (wrap-around)
 *
 * An op is 4 bytes: its kind (mod OP_COUNT), then arguments a, b, c.
 *
 * Built with -DFUZZ_REPLAY instead of -fsanitize=fuzzer, main() runs
 * every file named on the command line, or inside a named directory,
 * through the target once (the saved corpus in the normal test run).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virtio/queue.h"

#define FUZZ_RAM_BASE 0x80000000ull
#define FUZZ_RAM_SIZE 0x10000ull
#define FUZZ_HEADER 16

enum {
	OP_POP,
	OP_PUSH,
	OP_SHOULD_INTERRUPT,
	OP_UPDATE_AVAIL_EVENT,
	OP_AVAIL_IDX_ADD, /* the driver publishes a more entries */
	OP_AVAIL_ENTRY,	  /* the driver writes ring entry a */
	OP_POKE,	  /* the driver writes byte c at a | b << 8 */
	OP_MARK_CODE,	  /* page a holds decoded code */
	OP_RESET_ENABLE,  /* device reset, then the same rings again */
	OP_COUNT,
};

static struct bus bus;
static struct virtq q;
static struct virtq_req req;

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void fuzz_check(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_virtq: %s\n", what);
		abort();
	}
}

static bool seg_in_ram(const struct virtq_seg *s)
{
	return s->hva >= bus.ram && s->hva <= bus.ram + FUZZ_RAM_SIZE &&
	       s->len <= (uint64_t)(bus.ram + FUZZ_RAM_SIZE - s->hva);
}

/* What queue.h promises of a popped request; then the device uses it. */
static void fuzz_use_req(void)
{
	uint64_t out_len = 0, in_len = 0;
	unsigned sum = 0;

	fuzz_check(req.nout + req.nin <= VIRTQ_MAX_SEGS, "too many segments");
	fuzz_check(req.head < q.num, "head outside the table");
	for (unsigned i = 0; i < req.nout; i++) {
		fuzz_check(seg_in_ram(&req.out[i]), "readable outside RAM");
		for (uint32_t j = 0; j < req.out[i].len; j++)
			sum += req.out[i].hva[j];
		out_len += req.out[i].len;
	}
	for (unsigned i = 0; i < req.nin; i++) {
		fuzz_check(seg_in_ram(&req.in[i]), "writable outside RAM");
		memset(req.in[i].hva, (int)(sum & 0xff), req.in[i].len);
		in_len += req.in[i].len;
	}
	fuzz_check(out_len == req.out_len && in_len == req.in_len,
		   "lengths do not add up");
}

static void fuzz_setup(const uint8_t *h)
{
	uint64_t desc = get16(h + 2), avail = get16(h + 4), used = get16(h + 6);

	if (!(h[1] & 2)) {
		desc &= ~15ull;
		avail &= ~1ull;
		used &= ~3ull;
	}
	virtq_reset(&q, &bus);
	q.num = (uint16_t)(1u << (h[0] % 11));
	q.event_idx = h[1] & 1;
	q.desc_gpa = FUZZ_RAM_BASE + desc;
	q.avail_gpa = FUZZ_RAM_BASE + avail;
	q.used_gpa = FUZZ_RAM_BASE + used;
	q.last_avail = q.used_idx = get16(h + 8);
	virtq_enable(&q);
}

static void fuzz_op(const uint8_t *op, const uint8_t *h, uint16_t *last_head)
{
	uint8_t *avail = bus.ram + (q.avail_gpa - FUZZ_RAM_BASE);
	uint16_t v;
	int r;

	switch (op[0] % OP_COUNT) {
	case OP_POP:
		r = virtq_pop(&q, &req);
		fuzz_check(r >= -1 && r <= 1, "pop result");
		if (r == 1) {
			fuzz_use_req();
			*last_head = req.head;
		}
		fuzz_check(r != -1 || q.broken, "-1 without broken");
		break;
	case OP_PUSH:
		virtq_push(&q, op[1] & 1 ? *last_head : get16(op + 2),
			   (uint32_t)op[2] * 97);
		break;
	case OP_SHOULD_INTERRUPT: virtq_should_interrupt(&q); break;
	case OP_UPDATE_AVAIL_EVENT: virtq_update_avail_event(&q); break;
	case OP_AVAIL_IDX_ADD:
		if (!q.ready)
			break;
		v = (uint16_t)(get16(avail + 2) + op[1]);
		memcpy(avail + 2, &v, 2);
		break;
	case OP_AVAIL_ENTRY:
		if (!q.ready)
			break;
		v = get16(op + 2);
		memcpy(avail + 4 + 2 * (op[1] % q.num), &v, 2);
		break;
	case OP_POKE: bus.ram[op[1] | op[2] << 8] = op[3]; break;
	case OP_MARK_CODE:
		bus_mark_code(&bus, FUZZ_RAM_BASE + (uint64_t)op[1] * 4096 %
							    FUZZ_RAM_SIZE);
		break;
	case OP_RESET_ENABLE: fuzz_setup(h); break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t npages = FUZZ_RAM_SIZE / GUEST_PAGE_SIZE;
	const uint8_t *h = data, *ops;
	uint16_t last_head = 0;
	size_t nops, image;

	if (!bus.ram &&
	    bus_init(&bus, FUZZ_RAM_BASE, FUZZ_RAM_SIZE, false) != 0)
		abort();
	if (size < FUZZ_HEADER + 1)
		return 0;
	nops = data[FUZZ_HEADER];
	ops = data + FUZZ_HEADER + 1;
	if (nops * 4 > size - FUZZ_HEADER - 1)
		nops = (size - FUZZ_HEADER - 1) / 4;
	image = size - FUZZ_HEADER - 1 - nops * 4;
	if (image > FUZZ_RAM_SIZE)
		image = FUZZ_RAM_SIZE;
	memset(bus.ram, 0, FUZZ_RAM_SIZE);
	memcpy(bus.ram, ops + nops * 4, image);
	memset((void *)bus.page_flags, 0, npages);
	fuzz_setup(h);
	for (size_t i = 0; i < nops; i++)
		fuzz_op(ops + 4 * i, h, &last_head);
	/* whatever the ops were: drain what is left */
	for (unsigned i = 0; i < 2 * VIRTQ_MAX_SIZE; i++) {
		int r = virtq_pop(&q, &req);

		if (r <= 0)
			break;
		fuzz_use_req();
		virtq_push(&q, req.head, (uint32_t)req.in_len);
		virtq_should_interrupt(&q);
	}
	return 0;
}

#ifdef FUZZ_REPLAY
#include "tests/fuzz/replay.h"

int main(int argc, char **argv)
{
	return fuzz_replay_all("fuzz_virtq", argc, argv);
}
#endif
