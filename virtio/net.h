/*
 * virtio-net (virtio 1.2, section 5.1) on the user-mode network back end
 * (net/user.h): one receive and one transmit queue, mergeable receive
 * buffers, the virtio_net_hdr the spec defines, a fixed MAC address.
 */
#ifndef VIRTIO_NET_H
#define VIRTIO_NET_H

#include "dev/irq.h"
#include "mem/bus.h"
#include "net/user.h"
#include "virtio/mmio.h"

struct virtio_net;

/*
 * Creates the device and its back end (whose thread starts now; forwarded
 * ports are listening when this returns). Returns NULL with *why set to a
 * one-line reason (a port in use, say).
 */
struct virtio_net *virtio_net_create(struct bus *bus,
				     const struct irq_line *irq,
				     const struct net_config *cfg,
				     const char **why);
void virtio_net_destroy(struct virtio_net *n);
/*
 * For tests and fuzzing: the same device, but its back end runs only
 * inside virtio_net_poll, on the caller's thread (deterministic), and
 * reaches no host socket but its forwarded ports.
 */
struct virtio_net *virtio_net_create_manual(struct bus *bus,
					    const struct irq_line *irq,
					    const struct net_config *cfg,
					    const char **why);
/* One turn of a manual back end's loop, waiting up to timeout_ms. */
void virtio_net_poll(struct virtio_net *n, int timeout_ms);
/* For virtio_mmio_region, virtio_mmio_fdt and virtio_mmio_reset. */
struct virtio_mmio *virtio_net_transport(struct virtio_net *n);

#endif
