/*
 * virtio-mmio transport, version 2 (virtio 1.2, section 4.2.2): see
 * mmio.h. Register map (32-bit registers, R read-only, W write-only):
 *
 *   0x000 MagicValue "virt" R     0x050 QueueNotify W
 *   0x004 Version 2 R             0x060 InterruptStatus R
 *   0x008 DeviceID R              0x064 InterruptACK W
 *   0x00c VendorID R              0x070 Status RW
 *   0x010 DeviceFeatures R        0x080 QueueDescLow/High W (0x084)
 *   0x014 DeviceFeaturesSel W     0x090 QueueDriverLow/High W (0x094)
 *   0x020 DriverFeatures W        0x0a0 QueueDeviceLow/High W (0x0a4)
 *   0x024 DriverFeaturesSel W     0x0ac SHMSel W
 *   0x030 QueueSel W              0x0b0 SHMLenLow/High R (0x0b4)
 *   0x034 QueueNumMax R           0x0b8 SHMBaseLow/High R (0x0bc)
 *   0x038 QueueNum W              0x0fc ConfigGeneration R
 *   0x044 QueueReady RW           0x100 device configuration space
 *
 * VendorID is 0x554d4551 ("QEMU"), the value QEMU's virtio-mmio devices
 * report: no driver we know of looks at it, and guests written against
 * QEMU's virt board see what they expect. No shared memory regions: the
 * SHM length and base registers read -1 (4.2.2.1).
 *
 * Only 32-bit accesses reach the registers; the configuration space takes
 * 1, 2, 4 and 8-byte accesses (the bus enforces natural alignment).
 */
#include "virtio/mmio.h"

#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "util/log.h"

enum {
	VIRTIO_MMIO_MAGIC_VALUE = 0x000,
	VIRTIO_MMIO_VERSION = 0x004,
	VIRTIO_MMIO_DEVICE_ID = 0x008,
	VIRTIO_MMIO_VENDOR_ID = 0x00c,
	VIRTIO_MMIO_DEVICE_FEATURES = 0x010,
	VIRTIO_MMIO_DEVICE_FEATURES_SEL = 0x014,
	VIRTIO_MMIO_DRIVER_FEATURES = 0x020,
	VIRTIO_MMIO_DRIVER_FEATURES_SEL = 0x024,
	VIRTIO_MMIO_QUEUE_SEL = 0x030,
	VIRTIO_MMIO_QUEUE_NUM_MAX = 0x034,
	VIRTIO_MMIO_QUEUE_NUM = 0x038,
	VIRTIO_MMIO_QUEUE_READY = 0x044,
	VIRTIO_MMIO_QUEUE_NOTIFY = 0x050,
	VIRTIO_MMIO_INTERRUPT_STATUS = 0x060,
	VIRTIO_MMIO_INTERRUPT_ACK = 0x064,
	VIRTIO_MMIO_STATUS = 0x070,
	VIRTIO_MMIO_QUEUE_DESC_LOW = 0x080,
	VIRTIO_MMIO_QUEUE_DESC_HIGH = 0x084,
	VIRTIO_MMIO_QUEUE_DRIVER_LOW = 0x090,
	VIRTIO_MMIO_QUEUE_DRIVER_HIGH = 0x094,
	VIRTIO_MMIO_QUEUE_DEVICE_LOW = 0x0a0,
	VIRTIO_MMIO_QUEUE_DEVICE_HIGH = 0x0a4,
	VIRTIO_MMIO_SHM_SEL = 0x0ac,
	VIRTIO_MMIO_SHM_LEN_LOW = 0x0b0,
	VIRTIO_MMIO_SHM_LEN_HIGH = 0x0b4,
	VIRTIO_MMIO_SHM_BASE_LOW = 0x0b8,
	VIRTIO_MMIO_SHM_BASE_HIGH = 0x0bc,
	VIRTIO_MMIO_CONFIG_GENERATION = 0x0fc,
	VIRTIO_MMIO_CONFIG = 0x100,
};

#define VIRTIO_MMIO_MAGIC 0x74726976  /* "virt" */
#define VIRTIO_MMIO_VENDOR 0x554d4551 /* "QEMU" */

#define VIRTIO_MMIO_INT_VRING 1u
#define VIRTIO_MMIO_INT_CONFIG 2u

/* what the driver may set in Status; NEEDS_RESET is the device's */
#define VIRTIO_STATUS_DRIVER_BITS                              \
	(VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |    \
	 VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_FEATURES_OK | \
	 VIRTIO_STATUS_FAILED)

/* the three things a register write may ask of the device, after unlock */
struct virtio_mmio_calls {
	int notify; /* queue number, or -1 */
	bool driver_ok;
	bool reset;
	uint64_t features;
};

static uint64_t virtio_mmio_device_features(const struct virtio_mmio *t)
{
	return t->ops->features | (1ull << VIRTIO_F_VERSION_1) |
	       (1ull << VIRTIO_F_INDIRECT_DESC) | (1ull << VIRTIO_F_EVENT_IDX);
}

/* Called with the lock held after InterruptStatus changed. */
static void virtio_mmio_update_irq(struct virtio_mmio *t)
{
	irq_line_set(&t->irq, t->interrupt_status != 0);
}

/* The selected queue, or NULL when QueueSel names no queue. */
static struct virtq *virtio_mmio_sel_queue(struct virtio_mmio *t)
{
	if (t->queue_sel >= t->ops->num_queues)
		return NULL;
	return &t->vq[t->queue_sel];
}

/* Called with the lock held: the state after power-on or status 0. */
static void virtio_mmio_reset_locked(struct virtio_mmio *t)
{
	t->status = 0;
	t->device_features_sel = 0;
	t->driver_features_sel = 0;
	t->driver_features = 0;
	t->queue_sel = 0;
	t->interrupt_status = 0;
	for (unsigned i = 0; i < VIRTIO_MMIO_MAX_QUEUES; i++)
		virtq_reset(&t->vq[i], t->bus);
	virtio_mmio_update_irq(t);
}

static bool virtio_mmio_features_ok(const struct virtio_mmio *t)
{
	uint64_t f = t->driver_features;

	return !(f & ~virtio_mmio_device_features(t)) &&
	       (f & (1ull << VIRTIO_F_VERSION_1));
}

static void virtio_mmio_write_status(struct virtio_mmio *t, uint32_t val,
				     struct virtio_mmio_calls *calls)
{
	uint32_t old = t->status, cur;

	if (val == 0) {
		virtio_mmio_reset_locked(t);
		calls->reset = true;
		return;
	}
	/* 2.1.2: the driver never clears a bit; only a reset does */
	if (old & ~val & VIRTIO_STATUS_DRIVER_BITS)
		log_guest_error("%s: status 0x%x clears bits of 0x%x",
				t->ops->name, val, old);
	cur = old | (val & VIRTIO_STATUS_DRIVER_BITS);
	if ((cur & VIRTIO_STATUS_FEATURES_OK) &&
	    !(old & VIRTIO_STATUS_FEATURES_OK) && !virtio_mmio_features_ok(t)) {
		/* 3.1.1: refusing the features is leaving FEATURES_OK clear */
		log_guest_error("%s: features 0x%llx refused", t->ops->name,
				(unsigned long long)t->driver_features);
		cur &= ~VIRTIO_STATUS_FEATURES_OK;
	}
	if ((cur & VIRTIO_STATUS_DRIVER_OK) &&
	    !(cur & VIRTIO_STATUS_FEATURES_OK)) {
		log_guest_error("%s: DRIVER_OK without FEATURES_OK",
				t->ops->name);
		cur &= ~VIRTIO_STATUS_DRIVER_OK;
	}
	if ((cur & VIRTIO_STATUS_DRIVER_OK) &&
	    !(old & VIRTIO_STATUS_DRIVER_OK)) {
		calls->driver_ok = true;
		calls->features = t->driver_features;
	}
	t->status = cur;
}

static void virtio_mmio_write_queue_ready(struct virtio_mmio *t,
					  struct virtq *q, uint32_t val)
{
	if (val == 0) {
		q->ready = false;
		return;
	}
	if (val != 1) {
		log_guest_error("%s: QueueReady %u", t->ops->name, val);
		return;
	}
	if (q->ready)
		return;
	if (q->num > t->ops->queue_max) {
		log_guest_error("%s: QueueNum %u above %u", t->ops->name,
				q->num, t->ops->queue_max);
		return;
	}
	q->event_idx = (t->status & VIRTIO_STATUS_FEATURES_OK) &&
		       (t->driver_features & (1ull << VIRTIO_F_EVENT_IDX));
	if (virtq_enable(q) < 0)
		log_guest_error("%s: queue %u not enabled", t->ops->name,
				t->queue_sel);
}

/* Queue registers are writable only while the queue is not ready. */
static void virtio_mmio_write_queue(struct virtio_mmio *t, uint64_t off,
				    uint32_t val)
{
	struct virtq *q = virtio_mmio_sel_queue(t);
	uint64_t *gpa;

	if (!q) {
		log_guest_error("%s: write to queue %u, which does not exist",
				t->ops->name, t->queue_sel);
		return;
	}
	if (off == VIRTIO_MMIO_QUEUE_READY) {
		virtio_mmio_write_queue_ready(t, q, val);
		return;
	}
	if (q->ready) {
		log_guest_error("%s: queue %u register 0x%llx written while "
				"ready",
				t->ops->name, t->queue_sel,
				(unsigned long long)off);
		return;
	}
	switch (off) {
	case VIRTIO_MMIO_QUEUE_NUM:
		/* an impossible size leaves 0, which virtq_enable refuses */
		q->num = val <= VIRTQ_MAX_SIZE ? (uint16_t)val : 0;
		return;
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
	case VIRTIO_MMIO_QUEUE_DESC_HIGH: gpa = &q->desc_gpa; break;
	case VIRTIO_MMIO_QUEUE_DRIVER_LOW:
	case VIRTIO_MMIO_QUEUE_DRIVER_HIGH: gpa = &q->avail_gpa; break;
	default: gpa = &q->used_gpa; break;
	}
	if (off & 4)
		*gpa = (*gpa & 0xffffffffull) | ((uint64_t)val << 32);
	else
		*gpa = (*gpa & ~0xffffffffull) | val;
}

static uint32_t virtio_mmio_read_reg(struct virtio_mmio *t, uint64_t off,
				     bool *bad)
{
	struct virtq *q;
	uint64_t f;

	switch (off) {
	case VIRTIO_MMIO_MAGIC_VALUE: return VIRTIO_MMIO_MAGIC;
	case VIRTIO_MMIO_VERSION: return 2;
	case VIRTIO_MMIO_DEVICE_ID: return t->ops->device_id;
	case VIRTIO_MMIO_VENDOR_ID: return VIRTIO_MMIO_VENDOR;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		f = virtio_mmio_device_features(t);
		if (t->device_features_sel == 0)
			return (uint32_t)f;
		if (t->device_features_sel == 1)
			return (uint32_t)(f >> 32);
		return 0;
	case VIRTIO_MMIO_QUEUE_NUM_MAX:
		/* 4.2.2: zero for a queue that is not available */
		return virtio_mmio_sel_queue(t) ? t->ops->queue_max : 0;
	case VIRTIO_MMIO_QUEUE_READY:
		q = virtio_mmio_sel_queue(t);
		return q && q->ready;
	case VIRTIO_MMIO_INTERRUPT_STATUS: return t->interrupt_status;
	case VIRTIO_MMIO_STATUS: return t->status;
	case VIRTIO_MMIO_SHM_LEN_LOW:
	case VIRTIO_MMIO_SHM_LEN_HIGH:
	case VIRTIO_MMIO_SHM_BASE_LOW:
	case VIRTIO_MMIO_SHM_BASE_HIGH: return 0xffffffff;
	case VIRTIO_MMIO_CONFIG_GENERATION: return t->config_generation;
	default: *bad = true; return 0;
	}
}

static void virtio_mmio_write_reg(struct virtio_mmio *t, uint64_t off,
				  uint32_t val, struct virtio_mmio_calls *calls,
				  bool *bad)
{
	struct virtq *q;
	uint64_t *f = &t->driver_features;

	switch (off) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
		t->device_features_sel = val;
		return;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		if (t->status & VIRTIO_STATUS_FEATURES_OK) {
			log_guest_error("%s: features written after "
					"FEATURES_OK",
					t->ops->name);
			return;
		}
		if (t->driver_features_sel == 0)
			*f = (*f & ~0xffffffffull) | val;
		else if (t->driver_features_sel == 1)
			*f = (*f & 0xffffffffull) | ((uint64_t)val << 32);
		else if (val)
			log_guest_error("%s: driver features word %u = 0x%x",
					t->ops->name, t->driver_features_sel,
					val);
		return;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
		t->driver_features_sel = val;
		return;
	case VIRTIO_MMIO_QUEUE_SEL: t->queue_sel = val; return;
	case VIRTIO_MMIO_QUEUE_NUM:
	case VIRTIO_MMIO_QUEUE_READY:
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:
	case VIRTIO_MMIO_QUEUE_DRIVER_LOW:
	case VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
	case VIRTIO_MMIO_QUEUE_DEVICE_LOW:
	case VIRTIO_MMIO_QUEUE_DEVICE_HIGH:
		virtio_mmio_write_queue(t, off, val);
		return;
	case VIRTIO_MMIO_QUEUE_NOTIFY:
		/* 2.1.2: nothing is consumed before DRIVER_OK */
		q = val < t->ops->num_queues ? &t->vq[val] : NULL;
		if (q && q->ready && (t->status & VIRTIO_STATUS_DRIVER_OK))
			calls->notify = (int)val;
		else
			log_guest_error("%s: notify of queue %u ignored",
					t->ops->name, val);
		return;
	case VIRTIO_MMIO_INTERRUPT_ACK:
		t->interrupt_status &= ~val;
		virtio_mmio_update_irq(t);
		return;
	case VIRTIO_MMIO_STATUS:
		virtio_mmio_write_status(t, val, calls);
		return;
	case VIRTIO_MMIO_SHM_SEL: return;
	default: *bad = true; return;
	}
}

/* Config space: bounds-checked here, handled by the device unlocked. */
static bool virtio_mmio_config_ok(struct virtio_mmio *t, uint64_t off,
				  unsigned size, bool write)
{
	uint64_t coff = off - VIRTIO_MMIO_CONFIG;
	bool ok = coff + size <= t->ops->config_size &&
		  (write ? t->ops->config_write != NULL
			 : t->ops->config_read != NULL);

	if (!ok)
		log_guest_error("%s: %u-byte config %s at 0x%llx", t->ops->name,
				size, write ? "write" : "read",
				(unsigned long long)coff);
	return ok;
}

static uint64_t virtio_mmio_read(void *dev, uint64_t off, unsigned size)
{
	struct virtio_mmio *t = dev;
	uint64_t val = 0;
	bool bad = false;

	if (off >= VIRTIO_MMIO_CONFIG) {
		if (virtio_mmio_config_ok(t, off, size, false))
			t->ops->config_read(t->dev, off - VIRTIO_MMIO_CONFIG,
					    &val, size);
		return val;
	}
	if (size != 4) {
		log_guest_error("%s: %u-byte read at 0x%llx", t->ops->name,
				size, (unsigned long long)off);
		return 0;
	}
	pthread_mutex_lock(&t->lock);
	val = virtio_mmio_read_reg(t, off, &bad);
	pthread_mutex_unlock(&t->lock);
	if (bad)
		log_guest_error("%s: read at 0x%llx", t->ops->name,
				(unsigned long long)off);
	return val;
}

static void virtio_mmio_write(void *dev, uint64_t off, uint64_t val,
			      unsigned size)
{
	struct virtio_mmio *t = dev;
	struct virtio_mmio_calls calls = { .notify = -1 };
	bool bad = false;

	if (off >= VIRTIO_MMIO_CONFIG) {
		if (virtio_mmio_config_ok(t, off, size, true))
			t->ops->config_write(t->dev, off - VIRTIO_MMIO_CONFIG,
					     &val, size);
		return;
	}
	if (size != 4) {
		log_guest_error("%s: %u-byte write at 0x%llx", t->ops->name,
				size, (unsigned long long)off);
		return;
	}
	pthread_mutex_lock(&t->lock);
	virtio_mmio_write_reg(t, off, (uint32_t)val, &calls, &bad);
	pthread_mutex_unlock(&t->lock);
	if (bad)
		log_guest_error("%s: write of 0x%llx at 0x%llx", t->ops->name,
				(unsigned long long)val,
				(unsigned long long)off);
	if (calls.reset && t->ops->reset)
		t->ops->reset(t->dev);
	if (calls.driver_ok && t->ops->driver_ok)
		t->ops->driver_ok(t->dev, calls.features);
	if (calls.notify >= 0 && t->ops->notify)
		t->ops->notify(t->dev, (unsigned)calls.notify);
}

static const struct mmio_ops virtio_mmio_ops = {
	.read = virtio_mmio_read,
	.write = virtio_mmio_write,
};

int virtio_mmio_init(struct virtio_mmio *t, struct bus *bus,
		     const struct irq_line *irq,
		     const struct virtio_device_ops *ops, void *dev)
{
	int err;

	memset(t, 0, sizeof(*t));
	if (ops->num_queues > VIRTIO_MMIO_MAX_QUEUES ||
	    ops->queue_max > VIRTQ_MAX_SIZE)
		return -EINVAL;
	err = pthread_mutex_init(&t->lock, NULL);
	if (err)
		return -err;
	t->ops = ops;
	t->dev = dev;
	t->irq = *irq;
	t->bus = bus;
	virtio_mmio_reset_locked(t);
	return 0;
}

void virtio_mmio_destroy(struct virtio_mmio *t)
{
	pthread_mutex_destroy(&t->lock);
}

void virtio_mmio_reset(struct virtio_mmio *t)
{
	pthread_mutex_lock(&t->lock);
	virtio_mmio_reset_locked(t);
	pthread_mutex_unlock(&t->lock);
	if (t->ops->reset)
		t->ops->reset(t->dev);
}

struct mmio_region virtio_mmio_region(struct virtio_mmio *t, uint64_t base)
{
	return (struct mmio_region){
		.name = t->ops->name,
		.base = base,
		.size = VIRTIO_MMIO_SIZE,
		.min_access = 1,
		.max_access = 8,
		.ops = &virtio_mmio_ops,
		.dev = t,
	};
}

int virtio_mmio_fdt(const struct virtio_mmio *t, void *fdt, uint64_t base,
		    const struct devtree_refs *refs)
{
	const fdt64_t reg[2] = { cpu_to_fdt64(base),
				 cpu_to_fdt64(VIRTIO_MMIO_SIZE) };
	char name[40];
	int err;

	snprintf(name, sizeof(name), "virtio_mmio@%llx",
		 (unsigned long long)base);
	err = fdt_begin_node(fdt, name);
	err = err ?: fdt_property_string(fdt, "compatible", "virtio,mmio");
	err = err ?: fdt_property(fdt, "reg", reg, sizeof(reg));
	err = err
		      ?: fdt_property_u32(fdt, "interrupt-parent",
					  refs->plic_phandle);
	err = err ?: fdt_property_u32(fdt, "interrupts", t->irq.num);
	err = err ?: fdt_end_node(fdt);
	return err;
}

void virtio_mmio_lock(struct virtio_mmio *t)
{
	pthread_mutex_lock(&t->lock);
}

void virtio_mmio_unlock(struct virtio_mmio *t)
{
	pthread_mutex_unlock(&t->lock);
}

struct virtq *virtio_mmio_queue(struct virtio_mmio *t, unsigned q)
{
	if (q >= t->ops->num_queues || !t->vq[q].ready ||
	    !(t->status & VIRTIO_STATUS_DRIVER_OK))
		return NULL;
	return &t->vq[q];
}

void virtio_mmio_interrupt(struct virtio_mmio *t, unsigned q)
{
	struct virtq *vq;

	pthread_mutex_lock(&t->lock);
	vq = virtio_mmio_queue(t, q);
	if (vq && virtq_should_interrupt(vq)) {
		t->interrupt_status |= VIRTIO_MMIO_INT_VRING;
		virtio_mmio_update_irq(t);
	}
	pthread_mutex_unlock(&t->lock);
}

void virtio_mmio_needs_reset(struct virtio_mmio *t)
{
	pthread_mutex_lock(&t->lock);
	if (!(t->status & VIRTIO_STATUS_NEEDS_RESET)) {
		t->status |= VIRTIO_STATUS_NEEDS_RESET;
		log_guest_error("%s: device needs reset", t->ops->name);
		/* 2.1.2: with DRIVER_OK, a configuration change notification
		 * tells the driver */
		if (t->status & VIRTIO_STATUS_DRIVER_OK) {
			t->interrupt_status |= VIRTIO_MMIO_INT_CONFIG;
			virtio_mmio_update_irq(t);
		}
	}
	pthread_mutex_unlock(&t->lock);
}

void virtio_mmio_config_changed(struct virtio_mmio *t)
{
	pthread_mutex_lock(&t->lock);
	t->config_generation++;
	if (t->status & VIRTIO_STATUS_DRIVER_OK) {
		t->interrupt_status |= VIRTIO_MMIO_INT_CONFIG;
		virtio_mmio_update_irq(t);
	}
	pthread_mutex_unlock(&t->lock);
}
