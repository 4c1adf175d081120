/*
 * virtio-blk (virtio 1.2, section 5.2) on a host disk back end
 * (disk/disk.h). Requests run on the device's own worker thread, so a
 * vCPU never waits for the host disk: the vCPU's QueueNotify only wakes
 * the worker.
 */
#ifndef VIRTIO_BLK_H
#define VIRTIO_BLK_H

#include <pthread.h>
#include <stdbool.h>

#include "disk/disk.h"
#include "virtio/mmio.h"

struct virtio_blk {
	struct virtio_mmio transport;
	struct disk *disk;
	pthread_t worker;
	pthread_mutex_t lock; /* guards the fields below */
	pthread_cond_t wake;
	bool kicked, running, stopping;
	bool manual; /* no worker: requests run on the notifying thread */
	struct virtq_req req; /* the worker's request in flight */
};

/* Takes ownership of disk. Returns 0 or -errno. */
int virtio_blk_init(struct virtio_blk *b, struct bus *bus,
		    const struct irq_line *irq, struct disk *disk);
/*
 * The same device without its worker thread: each notification runs the
 * requests on the caller's thread, so a test or fuzzer is deterministic.
 */
int virtio_blk_init_manual(struct virtio_blk *b, struct bus *bus,
			   const struct irq_line *irq, struct disk *disk);
/* Stops the worker (after the request in flight), closes the disk. */
void virtio_blk_destroy(struct virtio_blk *b);

#endif
