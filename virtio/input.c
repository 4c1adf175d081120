/*
 * virtio-input (virtio 1.2, section 5.8) as a power button: see input.h.
 * Device ID 18, no feature bits, two queues:
 *
 *   0 eventq   device to driver: one struct virtio_input_event per buffer
 *   1 statusq  driver to device: LED and sound events; consumed, ignored
 *
 * Configuration space (struct virtio_input_config, 136 bytes):
 *
 *   0x00 select RW   0x01 subsel RW   0x02 size R   0x03 reserved[5]
 *   0x08 u: string, bitmap, absinfo or devids (128 bytes) R
 *
 * The driver writes select and subsel, then reads size and u (5.8.5). The
 * device answers ID_NAME, ID_SERIAL, ID_DEVIDS and EV_BITS for EV_KEY
 * (only KEY_POWER); every other pair has size 0. Linux's driver adds
 * EV_SYN to every input device itself, so EV_BITS for EV_SYN stays empty
 * as it does on QEMU's devices.
 *
 * A press is four events: KEY_POWER 1, SYN_REPORT, KEY_POWER 0,
 * SYN_REPORT. Events wait in a small bounded list until the driver has
 * given eventq buffers; the list survives device resets, because a
 * driver resets the device while it probes it, so a press made before
 * the driver loads is seen once it has.
 */
#include "virtio/input.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

#define VIRTIO_ID_INPUT 18
#define VIRTIO_INPUT_QUEUE_SIZE 64
#define VIRTIO_INPUT_EVENTQ 0
#define VIRTIO_INPUT_STATUSQ 1

/* 5.8.5 */
enum {
	VIRTIO_INPUT_CFG_UNSET = 0x00,
	VIRTIO_INPUT_CFG_ID_NAME = 0x01,
	VIRTIO_INPUT_CFG_ID_SERIAL = 0x02,
	VIRTIO_INPUT_CFG_ID_DEVIDS = 0x03,
	VIRTIO_INPUT_CFG_PROP_BITS = 0x10,
	VIRTIO_INPUT_CFG_EV_BITS = 0x11,
	VIRTIO_INPUT_CFG_ABS_INFO = 0x12,
};

#define VIRTIO_INPUT_CFG_SELECT 0
#define VIRTIO_INPUT_CFG_SUBSEL 1
#define VIRTIO_INPUT_CFG_SIZE 2
#define VIRTIO_INPUT_CFG_U 8
#define VIRTIO_INPUT_CFG_U_LEN 128
#define VIRTIO_INPUT_CONFIG_SIZE (VIRTIO_INPUT_CFG_U + VIRTIO_INPUT_CFG_U_LEN)

/* Linux's input-event-codes.h and input.h, which the spec defers to */
#define EV_SYN 0x00
#define EV_KEY 0x01
#define SYN_REPORT 0
#define KEY_POWER 116
#define BUS_VIRTUAL 0x06

#define VIRTIO_INPUT_NAME "gasang Power Button"
#define VIRTIO_INPUT_SERIAL "gasang-power-0"
#define VIRTIO_INPUT_VENDOR 0x6761 /* "ga" */
#define VIRTIO_INPUT_PRODUCT 0x0001
#define VIRTIO_INPUT_VERSION 0x0001

/* le16 type, le16 code, le32 value */
#define VIRTIO_INPUT_EVENT_SIZE 8

/* presses that may wait for the driver, four events each */
#define VIRTIO_INPUT_PENDING_PRESSES 4
#define VIRTIO_INPUT_PENDING_MAX (4 * VIRTIO_INPUT_PENDING_PRESSES)

static_assert(KEY_POWER / 8 < VIRTIO_INPUT_CFG_U_LEN,
	      "the key bitmap fits the union");
/* Linux copies at most 63 bytes of the name and keeps a NUL after */
static_assert(sizeof(VIRTIO_INPUT_NAME) <= 64, "the name fits Linux's copy");

struct virtio_input_event {
	uint16_t type, code;
	uint32_t value;
};

struct virtio_input {
	struct virtio_mmio transport;
	/* the fields below are guarded by the transport lock */
	uint8_t select, subsel;
	struct virtio_input_event pending[VIRTIO_INPUT_PENDING_MAX];
	unsigned pending_first, pending_count;
	struct virtq_req req;
};

static void virtio_input_put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/* Fills the 136-byte configuration image for the current select/subsel. */
static void virtio_input_config_image(const struct virtio_input *d,
				      uint8_t *cfg)
{
	uint8_t *u = cfg + VIRTIO_INPUT_CFG_U;
	size_t size = 0;

	memset(cfg, 0, VIRTIO_INPUT_CONFIG_SIZE);
	cfg[VIRTIO_INPUT_CFG_SELECT] = d->select;
	cfg[VIRTIO_INPUT_CFG_SUBSEL] = d->subsel;
	switch (d->select) {
	case VIRTIO_INPUT_CFG_ID_NAME:
		if (d->subsel)
			break;
		/* 5.8.5: a string without a terminating NUL */
		size = strlen(VIRTIO_INPUT_NAME);
		memcpy(u, VIRTIO_INPUT_NAME, size);
		break;
	case VIRTIO_INPUT_CFG_ID_SERIAL:
		if (d->subsel)
			break;
		size = strlen(VIRTIO_INPUT_SERIAL);
		memcpy(u, VIRTIO_INPUT_SERIAL, size);
		break;
	case VIRTIO_INPUT_CFG_ID_DEVIDS:
		if (d->subsel)
			break;
		virtio_input_put_le16(u, BUS_VIRTUAL);
		virtio_input_put_le16(u + 2, VIRTIO_INPUT_VENDOR);
		virtio_input_put_le16(u + 4, VIRTIO_INPUT_PRODUCT);
		virtio_input_put_le16(u + 6, VIRTIO_INPUT_VERSION);
		size = 8;
		break;
	case VIRTIO_INPUT_CFG_EV_BITS:
		if (d->subsel != EV_KEY)
			break;
		/* bit n is bit n % 8 of byte n / 8 */
		u[KEY_POWER / 8] = 1u << (KEY_POWER % 8);
		size = KEY_POWER / 8 + 1;
		break;
	default: break;
	}
	cfg[VIRTIO_INPUT_CFG_SIZE] = (uint8_t)size;
}

static void virtio_input_config_read(void *dev, uint32_t off, void *buf,
				     unsigned len)
{
	struct virtio_input *d = dev;
	uint8_t cfg[VIRTIO_INPUT_CONFIG_SIZE];

	/* the transport checked this; a bad access must still not escape */
	if (off > sizeof(cfg) || len > sizeof(cfg) - off) {
		memset(buf, 0, len);
		return;
	}
	virtio_mmio_lock(&d->transport);
	virtio_input_config_image(d, cfg);
	virtio_mmio_unlock(&d->transport);
	memcpy(buf, cfg + off, len);
}

/* Only select and subsel are writable; the rest is read-only. */
static void virtio_input_config_write(void *dev, uint32_t off, const void *buf,
				      unsigned len)
{
	struct virtio_input *d = dev;
	const uint8_t *p = buf;

	virtio_mmio_lock(&d->transport);
	for (unsigned i = 0; i < len; i++) {
		if (off + i == VIRTIO_INPUT_CFG_SELECT)
			d->select = p[i];
		else if (off + i == VIRTIO_INPUT_CFG_SUBSEL)
			d->subsel = p[i];
		else
			log_guest_error("virtio-input: write to read-only "
					"config byte 0x%x",
					off + i);
	}
	virtio_mmio_unlock(&d->transport);
}

/*
 * Writes one event across the writable segments of req. Returns the bytes
 * written: VIRTIO_INPUT_EVENT_SIZE, or 0 when the buffer is too small.
 */
static uint32_t virtio_input_write_event(struct bus *bus,
					 const struct virtq_req *req,
					 const struct virtio_input_event *ev)
{
	uint8_t bytes[VIRTIO_INPUT_EVENT_SIZE];
	uint32_t done = 0, n;

	if (req->nout)
		log_guest_error("virtio-input: eventq buffer with readable "
				"segments");
	if (req->in_len < sizeof(bytes)) {
		log_guest_error("virtio-input: eventq buffer of %llu bytes",
				(unsigned long long)req->in_len);
		return 0;
	}
	virtio_input_put_le16(bytes, ev->type);
	virtio_input_put_le16(bytes + 2, ev->code);
	virtio_input_put_le16(bytes + 4, (uint16_t)ev->value);
	virtio_input_put_le16(bytes + 6, (uint16_t)(ev->value >> 16));
	for (unsigned i = 0; i < req->nin && done < sizeof(bytes); i++) {
		n = sizeof(bytes) - done;
		if (n > req->in[i].len)
			n = req->in[i].len;
		memcpy(req->in[i].hva, bytes + done, n);
		/* the CPU may hold code decoded from this page */
		bus_notify_range(bus,
				 bus->ram_base +
					 (uint64_t)(req->in[i].hva - bus->ram),
				 n);
		done += n;
	}
	return done;
}

/*
 * With the lock held: moves pending events into eventq buffers, one
 * event per buffer, counting the buffers used in *pushed. Returns false
 * when the queue turned out broken.
 */
static bool virtio_input_deliver_locked(struct virtio_input *d,
					unsigned *pushed)
{
	struct virtio_mmio *t = &d->transport;
	struct virtq *q = virtio_mmio_queue(t, VIRTIO_INPUT_EVENTQ);
	const struct virtio_input_event *ev;
	uint32_t written;
	int got;

	while (q && d->pending_count) {
		got = virtq_pop(q, &d->req);
		if (got < 0)
			return false;
		if (got == 0)
			break;
		ev = &d->pending[d->pending_first];
		written = virtio_input_write_event(t->bus, &d->req, ev);
		virtq_push(q, d->req.head, written);
		(*pushed)++;
		if (written) {
			d->pending_first = (d->pending_first + 1) %
					   VIRTIO_INPUT_PENDING_MAX;
			d->pending_count--;
		}
	}
	return true;
}

/* Returns finished status buffers; their content (LEDs) means nothing
 * to a power button. */
static bool virtio_input_drain_status_locked(struct virtio_input *d,
					     unsigned *pushed)
{
	struct virtio_mmio *t = &d->transport;
	struct virtq *q = virtio_mmio_queue(t, VIRTIO_INPUT_STATUSQ);
	int got = 0;

	while (q && (got = virtq_pop(q, &d->req)) != 0) {
		/* a bad chain's head is returned by virtq_pop itself */
		if (got < 0)
			return false;
		virtq_push(q, d->req.head, 0);
		(*pushed)++;
	}
	return true;
}

/* Without the lock: the driver hears of what happened. */
static void virtio_input_signal(struct virtio_input *d, bool ok,
				unsigned events, unsigned statuses)
{
	struct virtio_mmio *t = &d->transport;

	if (!ok)
		virtio_mmio_needs_reset(t);
	/* only after a push: the first check of a queue would otherwise
	 * interrupt with nothing new */
	if (events)
		virtio_mmio_interrupt(t, VIRTIO_INPUT_EVENTQ);
	if (statuses)
		virtio_mmio_interrupt(t, VIRTIO_INPUT_STATUSQ);
}

static void virtio_input_process(struct virtio_input *d)
{
	struct virtio_mmio *t = &d->transport;
	unsigned events = 0, statuses = 0;
	bool ok;

	virtio_mmio_lock(t);
	ok = virtio_input_deliver_locked(d, &events);
	ok = virtio_input_drain_status_locked(d, &statuses) && ok;
	virtio_mmio_unlock(t);
	virtio_input_signal(d, ok, events, statuses);
}

static void virtio_input_notify(void *dev, unsigned q)
{
	virtio_input_process(dev);
}

static void virtio_input_driver_ok(void *dev, uint64_t features)
{
	virtio_input_process(dev);
}

static void virtio_input_reset(void *dev)
{
	struct virtio_input *d = dev;

	virtio_mmio_lock(&d->transport);
	d->select = 0;
	d->subsel = 0;
	virtio_mmio_unlock(&d->transport);
}

static const struct virtio_device_ops virtio_input_ops = {
	.name = "virtio-input",
	.device_id = VIRTIO_ID_INPUT,
	.num_queues = 2,
	.queue_max = VIRTIO_INPUT_QUEUE_SIZE,
	.config_size = VIRTIO_INPUT_CONFIG_SIZE,
	.config_read = virtio_input_config_read,
	.config_write = virtio_input_config_write,
	.notify = virtio_input_notify,
	.driver_ok = virtio_input_driver_ok,
	.reset = virtio_input_reset,
};

struct virtio_input *virtio_input_create(struct bus *bus,
					 const struct irq_line *irq)
{
	struct virtio_input *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	if (virtio_mmio_init(&d->transport, bus, irq, &virtio_input_ops, d)) {
		free(d);
		return NULL;
	}
	return d;
}

void virtio_input_destroy(struct virtio_input *d)
{
	if (!d)
		return;
	virtio_mmio_destroy(&d->transport);
	free(d);
}

struct virtio_mmio *virtio_input_transport(struct virtio_input *d)
{
	return &d->transport;
}

/* With the lock held; the list has room. */
static void virtio_input_queue_event(struct virtio_input *d, uint16_t type,
				     uint16_t code, uint32_t value)
{
	unsigned i = (d->pending_first + d->pending_count) %
		     VIRTIO_INPUT_PENDING_MAX;

	d->pending[i] = (struct virtio_input_event){ type, code, value };
	d->pending_count++;
}

bool virtio_input_power_button(struct virtio_input *d)
{
	struct virtio_mmio *t = &d->transport;
	bool seen = false, ok = true;
	unsigned before, events = 0;

	virtio_mmio_lock(t);
	before = d->pending_count;
	if (before + 4 > VIRTIO_INPUT_PENDING_MAX) {
		log_warn("virtio-input: %u power button presses wait for the "
			 "guest already; this one is dropped",
			 VIRTIO_INPUT_PENDING_PRESSES);
	} else {
		virtio_input_queue_event(d, EV_KEY, KEY_POWER, 1);
		virtio_input_queue_event(d, EV_SYN, SYN_REPORT, 0);
		virtio_input_queue_event(d, EV_KEY, KEY_POWER, 0);
		virtio_input_queue_event(d, EV_SYN, SYN_REPORT, 0);
		ok = virtio_input_deliver_locked(d, &events);
		/* the press is the first of its four: delivered once fewer
		 * than four events are left */
		seen = d->pending_count < 4;
	}
	virtio_mmio_unlock(t);
	virtio_input_signal(d, ok, events, 0);
	return seen;
}
