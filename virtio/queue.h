/*
 * Split virtqueues (virtio 1.2, section 2.7): the device side. The guest
 * is hostile: every descriptor address and length is checked against
 * guest RAM with overflow-safe arithmetic, each field of guest memory is
 * read once into a local before it is checked and used, a chain longer
 * than the queue or with a loop ends the walk, indirect tables are
 * bounded, and an avail index that runs more than the queue size ahead
 * of the device makes the queue broken (the transport then sets
 * DEVICE_NEEDS_RESET).
 */
#ifndef VIRTIO_QUEUE_H
#define VIRTIO_QUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include "mem/bus.h"

#define VIRTQ_MAX_SIZE 1024
/* segments of one request we gather; longer chains are malformed */
#define VIRTQ_MAX_SEGS 256

struct virtq {
	struct bus *bus;
	uint16_t num; /* queue size the driver chose; power of 2 */
	bool ready;
	bool event_idx; /* VIRTIO_F_EVENT_IDX negotiated */
	bool broken;	/* malformed input seen: needs reset */
	uint64_t desc_gpa, avail_gpa, used_gpa;
	uint16_t last_avail;	 /* next avail ring entry to take */
	uint16_t used_idx;	 /* next used ring entry to fill */
	uint16_t signalled_used; /* used_idx at the last interrupt */
	bool signalled_valid;
};

/* One segment of a request, already translated to a host pointer. */
struct virtq_seg {
	uint8_t *hva;
	uint32_t len;
};

/* A request: the readable (driver to device) segments first, then the
 * writable ones, as the spec requires of a chain. */
struct virtq_req {
	uint16_t head;
	unsigned nout, nin;
	struct virtq_seg out[VIRTQ_MAX_SEGS];
	struct virtq_seg in[VIRTQ_MAX_SEGS];
	uint64_t out_len, in_len; /* total bytes */
};

/* Resets to the state after device reset (not ready, indices zero). */
void virtq_reset(struct virtq *q, struct bus *bus);

/*
 * Checks the ring addresses and size once the driver sets QueueReady:
 * num a power of two up to VIRTQ_MAX_SIZE, each ring inside RAM and
 * aligned as 2.7 requires. Returns 0, or -1 (the queue stays not ready).
 */
int virtq_enable(struct virtq *q);

/*
 * Takes the next available request. Returns 1 with *req filled, 0 when
 * the ring is empty, -1 when the guest's ring or chain is malformed (the
 * queue is then broken; for a bad chain, its head is still consumed and
 * returned used with length 0 so the driver sees it finish). A broken
 * queue keeps returning -1 until reset. With event-idx, each pop also
 * publishes avail_event, so a device that pops until 0 gets notified of
 * the next request.
 */
int virtq_pop(struct virtq *q, struct virtq_req *req);

/* Returns a request to the driver with written bytes in the used ring. */
void virtq_push(struct virtq *q, uint16_t head, uint32_t written);

/*
 * Returns n requests with one used-index update, so the driver sees them
 * all at once (a mergeable receive frame's buffers, 5.1.6.4.2).
 */
void virtq_push_n(struct virtq *q, const uint16_t *heads,
		  const uint32_t *written, unsigned n);

/*
 * Gives back requests popped since q->last_avail was last_avail and not
 * pushed: they are taken again by the next pops (a device that found too
 * few buffers for what it must deliver).
 */
void virtq_unpop(struct virtq *q, uint16_t last_avail);

/*
 * After one or more pushes: must the driver be interrupted? Honours
 * VIRTQ_AVAIL_F_NO_INTERRUPT, or used_event with VIRTIO_F_EVENT_IDX.
 */
bool virtq_should_interrupt(struct virtq *q);

/* With event-idx, tells the driver up to which avail index it need not
 * notify (avail_event); without, does nothing. */
void virtq_update_avail_event(struct virtq *q);

#endif
