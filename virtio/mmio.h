/*
 * The virtio-mmio transport, version 2 (virtio 1.2, section 4.2.2), modern
 * devices only. A device plugs in with struct virtio_device_ops; the
 * transport owns the registers, feature negotiation, the status state
 * machine, the queues and the interrupt line.
 *
 * Threads: vCPUs access the registers; a device may complete requests on
 * its own worker thread. The transport lock protects registers and queue
 * configuration; devices call virtio_mmio_lock/unlock around queue pops
 * and pushes from their threads, and virtio_mmio_interrupt afterwards.
 */
#ifndef VIRTIO_MMIO_H
#define VIRTIO_MMIO_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "dev/devtree.h"
#include "dev/irq.h"
#include "mem/bus.h"
#include "virtio/queue.h"

#define VIRTIO_MMIO_SIZE 0x1000
#define VIRTIO_MMIO_MAX_QUEUES 8

/* feature bits the transport knows */
#define VIRTIO_F_INDIRECT_DESC 28
#define VIRTIO_F_EVENT_IDX 29
#define VIRTIO_F_VERSION_1 32

/* device status bits */
#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_NEEDS_RESET 64
#define VIRTIO_STATUS_FAILED 128

struct virtio_mmio;

struct virtio_device_ops {
	const char *name;
	uint32_t device_id;
	/* device-specific feature bits; VERSION_1, INDIRECT_DESC and
	 * EVENT_IDX are added by the transport */
	uint64_t features;
	unsigned num_queues;
	uint16_t queue_max; /* QueueNumMax */
	uint32_t config_size;
	/* config space accesses, already bounds-checked by the transport;
	 * called with the transport lock not held */
	void (*config_read)(void *dev, uint32_t off, void *buf, unsigned len);
	void (*config_write)(void *dev, uint32_t off, const void *buf,
			     unsigned len);
	/* the driver wrote QueueNotify for queue q (vCPU thread, transport
	 * lock not held) */
	void (*notify)(void *dev, unsigned q);
	/* the driver set DRIVER_OK (features final) or reset the device
	 * (status 0); called with the transport lock not held */
	void (*driver_ok)(void *dev, uint64_t features);
	void (*reset)(void *dev);
};

struct virtio_mmio {
	pthread_mutex_t lock;
	const struct virtio_device_ops *ops;
	void *dev;
	struct irq_line irq;
	struct bus *bus;

	uint32_t status;
	uint32_t device_features_sel, driver_features_sel;
	uint64_t driver_features;
	uint32_t queue_sel;
	uint32_t interrupt_status;
	uint32_t config_generation;
	struct virtq vq[VIRTIO_MMIO_MAX_QUEUES];
};

int virtio_mmio_init(struct virtio_mmio *t, struct bus *bus,
		     const struct irq_line *irq,
		     const struct virtio_device_ops *ops, void *dev);
void virtio_mmio_destroy(struct virtio_mmio *t);
/* The board's reset: as if the driver wrote status 0 (ops->reset too). */
void virtio_mmio_reset(struct virtio_mmio *t);
struct mmio_region virtio_mmio_region(struct virtio_mmio *t, uint64_t base);
/* "virtio,mmio" node inside /soc */
int virtio_mmio_fdt(const struct virtio_mmio *t, void *fdt, uint64_t base,
		    const struct devtree_refs *refs);

void virtio_mmio_lock(struct virtio_mmio *t);
void virtio_mmio_unlock(struct virtio_mmio *t);
/* Queue q for the device, with the lock held; NULL unless the queue is
 * ready and the driver has set DRIVER_OK (2.1.2: nothing is consumed
 * before), so a device drains its queues in ops->driver_ok too. */
struct virtq *virtio_mmio_queue(struct virtio_mmio *t, unsigned q);
/* Raises the used-buffer interrupt if the queue wants one (call
 * without the lock after pushing). */
void virtio_mmio_interrupt(struct virtio_mmio *t, unsigned q);
/* A queue turned out broken: set DEVICE_NEEDS_RESET and tell the driver
 * (call without the lock). */
void virtio_mmio_needs_reset(struct virtio_mmio *t);
/* Config space changed: bump the generation, raise the config interrupt
 * (call without the lock). */
void virtio_mmio_config_changed(struct virtio_mmio *t);

#endif
