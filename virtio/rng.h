/*
 * virtio-rng, the entropy device (virtio 1.2, section 5.4): device id 4,
 * one request queue, no features, no configuration space. Each request's
 * device-writable buffers are filled from the host's getrandom(), at most
 * VIRTIO_RNG_MAX_REQ bytes per request. Requests complete on the vCPU
 * thread that wrote QueueNotify.
 */
#ifndef VIRTIO_RNG_H
#define VIRTIO_RNG_H

#include "virtio/mmio.h"

#define VIRTIO_RNG_MAX_REQ (64 * 1024)

struct virtio_rng {
	struct virtio_mmio transport;
	struct virtq_req req; /* guarded by the transport lock */
};

/* Returns 0 or -errno. */
int virtio_rng_init(struct virtio_rng *r, struct bus *bus,
		    const struct irq_line *irq);
void virtio_rng_destroy(struct virtio_rng *r);
/* For virtio_mmio_region, virtio_mmio_fdt and virtio_mmio_reset. */
struct virtio_mmio *virtio_rng_transport(struct virtio_rng *r);

#endif
