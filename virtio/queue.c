/*
 * Split virtqueues, device side (virtio 1.2, section 2.7): see queue.h.
 *
 * Ring layout in guest memory (all fields little-endian):
 *
 *   descriptor table  16 * num bytes, 16-aligned: addr 8, len 4, flags 2,
 *                     next 2
 *   available ring    6 + 2 * num bytes, 2-aligned: flags 2, idx 2,
 *                     ring[num] 2 each, used_event 2
 *   used ring         6 + 8 * num bytes, 4-aligned: flags 2, idx 2,
 *                     ring[num] {id 4, len 4}, avail_event 2
 *
 * The driver writes descriptors and the available ring while the device
 * reads them: every field is copied into a local once, then checked.
 */
#include "virtio/queue.h"

#include <assert.h>
#include <stdatomic.h>
#include <string.h>

#include "util/log.h"

#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2
#define VIRTQ_DESC_F_INDIRECT 4
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

static_assert(sizeof(struct virtq_desc) == 16, "virtq_desc is 16 bytes");
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	      "virtio rings are little-endian; so must the host be");

static uint64_t virtq_avail_size(uint16_t num)
{
	return 6 + 2 * (uint64_t)num;
}

static uint64_t virtq_used_size(uint16_t num)
{
	return 6 + 8 * (uint64_t)num;
}

/*
 * Ring pointers are valid while the queue is ready: virtq_enable checked
 * each ring against RAM, and RAM does not move.
 */
static uint8_t *virtq_avail(const struct virtq *q)
{
	return q->bus->ram + (q->avail_gpa - q->bus->ram_base);
}

static uint8_t *virtq_used(const struct virtq *q)
{
	return q->bus->ram + (q->used_gpa - q->bus->ram_base);
}

/* 16-bit ring fields are naturally aligned (virtq_enable checks it). */
static uint16_t virtq_load16(const uint8_t *p)
{
	return __atomic_load_n((const uint16_t *)p, __ATOMIC_RELAXED);
}

static void virtq_store16(uint8_t *p, uint16_t v)
{
	__atomic_store_n((uint16_t *)p, v, __ATOMIC_RELAXED);
}

void virtq_reset(struct virtq *q, struct bus *bus)
{
	memset(q, 0, sizeof(*q));
	q->bus = bus;
}

int virtq_enable(struct virtq *q)
{
	uint16_t num = q->num;

	if (num == 0 || num > VIRTQ_MAX_SIZE || (num & (num - 1))) {
		log_guest_error("virtq: queue size %u", num);
		return -1;
	}
	if ((q->desc_gpa & 15) || (q->avail_gpa & 1) || (q->used_gpa & 3)) {
		log_guest_error("virtq: misaligned rings 0x%llx 0x%llx 0x%llx",
				(unsigned long long)q->desc_gpa,
				(unsigned long long)q->avail_gpa,
				(unsigned long long)q->used_gpa);
		return -1;
	}
	if (!bus_is_ram(q->bus, q->desc_gpa, 16 * (uint64_t)num) ||
	    !bus_is_ram(q->bus, q->avail_gpa, virtq_avail_size(num)) ||
	    !bus_is_ram(q->bus, q->used_gpa, virtq_used_size(num))) {
		log_guest_error("virtq: rings outside RAM 0x%llx 0x%llx 0x%llx",
				(unsigned long long)q->desc_gpa,
				(unsigned long long)q->avail_gpa,
				(unsigned long long)q->used_gpa);
		return -1;
	}
	q->signalled_valid = false;
	q->ready = true;
	return 0;
}

/* Adds one buffer to req; false when the request is malformed. */
static bool virtq_add_seg(struct virtq *q, struct virtq_req *req,
			  const struct virtq_desc *d)
{
	uint8_t *hva = bus_ram_ptr(q->bus, d->addr, d->len);

	if (!hva) {
		log_guest_error("virtq: buffer 0x%llx+0x%x outside RAM",
				(unsigned long long)d->addr, d->len);
		return false;
	}
	if (req->nout + req->nin == VIRTQ_MAX_SEGS) {
		log_guest_error("virtq: more than %u buffers in a request",
				VIRTQ_MAX_SEGS);
		return false;
	}
	if (d->flags & VIRTQ_DESC_F_WRITE) {
		req->in[req->nin++] = (struct virtq_seg){ hva, d->len };
		req->in_len += d->len;
	} else {
		/* 2.7.4.2: readable buffers come before writable ones */
		if (req->nin) {
			log_guest_error(
				"virtq: readable buffer after writable");
			return false;
		}
		req->out[req->nout++] = (struct virtq_seg){ hva, d->len };
		req->out_len += d->len;
	}
	return true;
}

/*
 * Walks the chain from head. A chain visits at most as many descriptors
 * as its table holds: one more means a loop. An indirect descriptor
 * (2.7.5.3) may end a chain of direct ones; its table holds no further
 * indirect descriptors.
 */
static bool virtq_walk(struct virtq *q, uint16_t head, struct virtq_req *req)
{
	const uint8_t *table = q->bus->ram + (q->desc_gpa - q->bus->ram_base);
	uint32_t table_n = q->num, steps = 0, idx = head;
	bool indirect = false;
	struct virtq_desc d;

	req->head = head;
	req->nout = req->nin = 0;
	req->out_len = req->in_len = 0;
	for (;;) {
		if (idx >= table_n) {
			log_guest_error("virtq: descriptor %u of %u", idx,
					table_n);
			return false;
		}
		if (++steps > table_n) {
			log_guest_error("virtq: descriptor chain loops");
			return false;
		}
		memcpy(&d, table + 16 * (size_t)idx, sizeof(d));
		if (d.flags & VIRTQ_DESC_F_INDIRECT) {
			if (indirect) {
				log_guest_error("virtq: nested indirect table");
				return false;
			}
			if (d.flags & VIRTQ_DESC_F_NEXT) {
				log_guest_error("virtq: indirect with NEXT");
				return false;
			}
			/* the table may be larger than the ring: Linux sizes
			 * it by the request, not by the queue */
			if (d.len == 0 || d.len % 16 ||
			    d.len / 16 > VIRTQ_MAX_SIZE) {
				log_guest_error("virtq: indirect table of %u "
						"bytes",
						d.len);
				return false;
			}
			table = bus_ram_ptr(q->bus, d.addr, d.len);
			if (!table) {
				log_guest_error("virtq: indirect table 0x%llx "
						"outside RAM",
						(unsigned long long)d.addr);
				return false;
			}
			indirect = true;
			table_n = d.len / 16;
			steps = 0;
			idx = 0;
			continue;
		}
		if (!virtq_add_seg(q, req, &d))
			return false;
		if (!(d.flags & VIRTQ_DESC_F_NEXT))
			return true;
		idx = d.next;
	}
}

int virtq_pop(struct virtq *q, struct virtq_req *req)
{
	uint16_t avail_idx, pending, head;
	uint8_t *avail;

	if (!q->ready)
		return 0;
	if (q->broken)
		return -1;
	avail = virtq_avail(q);
	avail_idx = virtq_load16(avail + 2);
	if (avail_idx == q->last_avail && q->event_idx) {
		/* 2.7.10: ask for a notification of the next entry, then look
		 * again, or a buffer added meanwhile would go unnoticed */
		virtq_update_avail_event(q);
		avail_idx = virtq_load16(avail + 2);
	}
	pending = (uint16_t)(avail_idx - q->last_avail);
	if (pending == 0)
		return 0;
	if (pending > q->num) {
		log_guest_error("virtq: avail idx %u, %u entries ahead of %u",
				avail_idx, pending, q->last_avail);
		q->broken = true;
		return -1;
	}
	/* the ring entry and the chain were written before avail idx */
	atomic_thread_fence(memory_order_acquire);
	memcpy(&head, avail + 4 + 2 * (size_t)(q->last_avail & (q->num - 1)),
	       sizeof(head));
	q->last_avail++;
	if (q->event_idx)
		virtq_update_avail_event(q);
	if (!virtq_walk(q, head, req)) {
		q->broken = true;
		/* give the head back so that the driver sees it finish */
		if (head < q->num)
			virtq_push(q, head, 0);
		return -1;
	}
	return 1;
}

void virtq_push_n(struct virtq *q, const uint16_t *heads,
		  const uint32_t *written, unsigned n)
{
	uint32_t elem[2];
	uint64_t off;
	uint8_t *used;

	if (!q->ready || !n)
		return;
	used = virtq_used(q);
	for (unsigned i = 0; i < n; i++) {
		elem[0] = heads[i];
		elem[1] = written[i];
		off = 4 + 8 * (uint64_t)((uint16_t)(q->used_idx + i) &
					 (q->num - 1));
		memcpy(used + off, elem, sizeof(elem));
		bus_notify_range(q->bus, q->used_gpa + off, sizeof(elem));
	}
	/* 2.7.8.2: the elements before the index that publishes them */
	atomic_thread_fence(memory_order_release);
	q->used_idx = (uint16_t)(q->used_idx + n);
	virtq_store16(used + 2, q->used_idx);
	bus_notify_range(q->bus, q->used_gpa + 2, 2);
}

void virtq_push(struct virtq *q, uint16_t head, uint32_t written)
{
	virtq_push_n(q, &head, &written, 1);
}

void virtq_unpop(struct virtq *q, uint16_t last_avail)
{
	q->last_avail = last_avail;
}

bool virtq_should_interrupt(struct virtq *q)
{
	uint16_t old, cur, used_event, flags;
	bool valid;

	if (!q->ready)
		return false;
	/* used idx must be visible before the driver's fields are read:
	 * the driver writes them and then reads used idx */
	atomic_thread_fence(memory_order_seq_cst);
	old = q->signalled_used;
	valid = q->signalled_valid;
	cur = q->used_idx;
	if (valid && old == cur)
		return false;
	q->signalled_used = cur;
	q->signalled_valid = true;
	if (q->event_idx) {
		used_event = virtq_load16(virtq_avail(q) + 4 + 2 * q->num);
		if (!valid)
			return true;
		/* 2.7.7.2: used_event was among the entries added since the
		 * last interrupt */
		return (uint16_t)(cur - used_event - 1) < (uint16_t)(cur - old);
	}
	flags = virtq_load16(virtq_avail(q));
	return !(flags & VIRTQ_AVAIL_F_NO_INTERRUPT);
}

void virtq_update_avail_event(struct virtq *q)
{
	uint64_t off = 4 + 8 * (uint64_t)q->num;

	if (!q->ready || !q->event_idx)
		return;
	virtq_store16(virtq_used(q) + off, q->last_avail);
	bus_notify_range(q->bus, q->used_gpa + off, 2);
	/* avail_event before the next read of avail idx */
	atomic_thread_fence(memory_order_seq_cst);
}
