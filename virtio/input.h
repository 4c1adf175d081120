/*
 * virtio-input (virtio 1.2, section 5.8) as a power button: a keyboard
 * device whose only key is KEY_POWER, so that a guest can be asked to shut
 * down the way a real machine is (Linux's virtio_input + evdev; systemd-
 * logind or an acpid reacts to the key).
 */
#ifndef VIRTIO_INPUT_H
#define VIRTIO_INPUT_H

#include <stdbool.h>

#include "dev/irq.h"
#include "mem/bus.h"
#include "virtio/mmio.h"

struct virtio_input;

/* Returns NULL on failure (out of memory). */
struct virtio_input *virtio_input_create(struct bus *bus,
					 const struct irq_line *irq);
void virtio_input_destroy(struct virtio_input *d);
/* For virtio_mmio_region, virtio_mmio_fdt and virtio_mmio_reset. */
struct virtio_mmio *virtio_input_transport(struct virtio_input *d);

/*
 * Presses and releases KEY_POWER (from any thread). Returns false when the
 * guest has no driver on the device yet, so nobody saw the press; the
 * press is then kept and delivered once the driver is ready.
 */
bool virtio_input_power_button(struct virtio_input *d);

#endif
