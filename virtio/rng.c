/* virtio-rng: see rng.h. */
#include "virtio/rng.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "util/log.h"

#define VIRTIO_ID_RNG 4
#define VIRTIO_RNG_QUEUE_SIZE 64

/* Fills up to len bytes at p; returns how many it got. */
static size_t virtio_rng_fill(uint8_t *p, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = getrandom(p + done, len - done, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			log_warn("virtio-rng: getrandom: %s", strerror(errno));
			break;
		}
		done += (size_t)n;
	}
	return done;
}

/* Fills the writable buffers of req; returns the bytes written. */
static uint32_t virtio_rng_serve(struct bus *bus, const struct virtq_req *req)
{
	size_t budget = VIRTIO_RNG_MAX_REQ, want, got;
	uint32_t written = 0;

	/* 5.4.6.1: the driver places no device-readable buffers */
	if (req->nout)
		log_guest_error("virtio-rng: request with readable buffers");
	for (unsigned i = 0; i < req->nin && budget; i++) {
		want = req->in[i].len < budget ? req->in[i].len : budget;
		got = virtio_rng_fill(req->in[i].hva, want);
		/* the CPU may hold code decoded from these pages */
		bus_notify_range(bus,
				 bus->ram_base +
					 (uint64_t)(req->in[i].hva - bus->ram),
				 got);
		written += (uint32_t)got;
		budget -= got;
		if (got < want)
			break;
	}
	return written;
}

/* Completes every available request, then interrupts once. */
static void virtio_rng_process(struct virtio_rng *r)
{
	struct virtio_mmio *t = &r->transport;
	struct virtq *q;
	int got = 0;

	virtio_mmio_lock(t);
	q = virtio_mmio_queue(t, 0);
	while (q && (got = virtq_pop(q, &r->req)) > 0)
		virtq_push(q, r->req.head, virtio_rng_serve(t->bus, &r->req));
	virtio_mmio_unlock(t);
	if (got < 0)
		virtio_mmio_needs_reset(t);
	virtio_mmio_interrupt(t, 0);
}

static void virtio_rng_notify(void *dev, unsigned q)
{
	virtio_rng_process(dev);
}

static void virtio_rng_driver_ok(void *dev, uint64_t features)
{
	virtio_rng_process(dev);
}

static const struct virtio_device_ops virtio_rng_ops = {
	.name = "virtio-rng",
	.device_id = VIRTIO_ID_RNG,
	.num_queues = 1,
	.queue_max = VIRTIO_RNG_QUEUE_SIZE,
	.notify = virtio_rng_notify,
	.driver_ok = virtio_rng_driver_ok,
};

int virtio_rng_init(struct virtio_rng *r, struct bus *bus,
		    const struct irq_line *irq)
{
	return virtio_mmio_init(&r->transport, bus, irq, &virtio_rng_ops, r);
}

void virtio_rng_destroy(struct virtio_rng *r)
{
	virtio_mmio_destroy(&r->transport);
}

struct virtio_mmio *virtio_rng_transport(struct virtio_rng *r)
{
	return &r->transport;
}
