/*
 * virtio-net (virtio 1.2, section 5.1): see net.h. Device id 1, queue 0
 * receive, queue 1 transmit, no control queue. Features: MAC, STATUS
 * (the link is always up) and MRG_RXBUF; no checksum or segmentation
 * offloads, so each frame travels complete with its checksums.
 *
 * Every buffer starts with struct virtio_net_hdr (5.1.6), 12 bytes with
 * VERSION_1: flags 1, gso_type 1, hdr_len 2, gso_size 2, csum_start 2,
 * csum_offset 2, num_buffers 2.
 *
 * Config space (5.1.4), little-endian:
 *   0 mac[6]   6 status (VIRTIO_NET_S_LINK_UP)   8 max_virtqueue_pairs
 *
 * Threads: slirp runs on the back end's thread (net/user.h). A vCPU's
 * transmit notify copies each frame into a bounded queue, returns the
 * buffer at once (the guest's TCP waits on that completion) and kicks the
 * back end, which feeds the queue to slirp; when the queue is full the
 * rest stays in the guest's ring until the back end has drained it.
 * Frames from slirp go straight into the guest's receive buffers, or into
 * a bounded backlog while the guest has none (delivered when it posts
 * more); a frame beyond the backlog is dropped, as a NIC would.
 */
#include "virtio/net.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

#define VIRTIO_ID_NET 1

#define VIRTIO_NET_F_MAC 5
#define VIRTIO_NET_F_MRG_RXBUF 15
#define VIRTIO_NET_F_STATUS 16

#define VIRTIO_NET_S_LINK_UP 1
#define VIRTIO_NET_HDR_GSO_NONE 0

#define NET_RX_QUEUE 0
#define NET_TX_QUEUE 1
#define NET_QUEUE_MAX 256
#define NET_CONFIG_SIZE 10
#define NET_HDR_LEN 12
#define NET_HDR_NUM_BUFFERS 10
#define NET_ETH_HLEN 14
/* the largest frame a guest may send: a 64 KiB IP packet and headers */
#define NET_MAX_FRAME 65550
/* transmit queue between the vCPUs and the back end */
#define NET_TXQ_FRAMES 256
#define NET_TXQ_BYTES (4u << 20)
/* receive backlog while the guest has no buffers */
#define NET_BACKLOG_FRAMES 1024
#define NET_BACKLOG_BYTES (4u << 20)

static const uint8_t net_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

struct net_frame {
	struct net_frame *next;
	size_t len;
	uint8_t data[];
};

struct virtio_net {
	struct virtio_mmio transport;
	struct net_user *user;

	/* backlog and negotiated features (vCPU reset vs back end) */
	pthread_mutex_t lock;
	struct net_frame *backlog, **backlog_tail;
	unsigned backlog_frames;
	size_t backlog_bytes;
	bool mrg_rxbuf;

	/* under lock: receive scratch */
	struct virtq_req rx_req;
	uint16_t rx_heads[VIRTQ_MAX_SIZE];
	uint32_t rx_lens[VIRTQ_MAX_SIZE];

	/* transmit queue, filled by vCPUs, drained by the back end */
	pthread_mutex_t tx_lock;
	struct net_frame *txq, **txq_tail;
	unsigned txq_frames;
	size_t txq_bytes;
	bool tx_stalled; /* requests left in the ring: queue was full */
	struct virtq_req tx_req;
};

enum net_rx_result {
	NET_RX_DONE,
	NET_RX_NO_ROOM, /* the guest has not posted enough buffers */
	NET_RX_DROP,	/* the frame cannot fit: dropped */
	NET_RX_BROKEN,	/* malformed ring: the device needs a reset */
};

static void net_config_read(void *dev, uint32_t off, void *buf, unsigned len)
{
	uint8_t cfg[NET_CONFIG_SIZE] = { 0 };

	memcpy(cfg, net_mac, sizeof(net_mac));
	cfg[6] = VIRTIO_NET_S_LINK_UP;
	cfg[8] = 1;
	if (off <= sizeof(cfg) && len <= sizeof(cfg) - off)
		memcpy(buf, cfg + off, len);
}

/* ---- transmit -------------------------------------------------------- */

/* Copies bytes [skip, skip + len) of the readable segments to dst. */
static void net_gather(const struct virtq_req *r, size_t skip, uint8_t *dst,
		       size_t len)
{
	for (unsigned i = 0; i < r->nout && len; i++) {
		size_t seg = r->out[i].len, take;

		if (skip >= seg) {
			skip -= seg;
			continue;
		}
		take = seg - skip < len ? seg - skip : len;
		memcpy(dst, r->out[i].hva + skip, take);
		dst += take;
		len -= take;
		skip = 0;
	}
}

/* The frame of a transmit request, or NULL when it is malformed (the
 * request is then dropped) or memory is short. */
static struct net_frame *net_tx_frame(const struct virtq_req *r)
{
	uint8_t hdr[NET_HDR_LEN];
	struct net_frame *f;
	uint64_t total = r->out_len;

	if (r->nin) {
		log_guest_error("virtio-net: transmit request with writable "
				"buffers");
		return NULL;
	}
	if (total < NET_HDR_LEN + NET_ETH_HLEN ||
	    total > NET_HDR_LEN + NET_MAX_FRAME) {
		log_guest_error("virtio-net: transmit request of %llu bytes",
				(unsigned long long)total);
		return NULL;
	}
	net_gather(r, 0, hdr, sizeof(hdr));
	/* no offload was offered: a GSO packet cannot be sent as is */
	if (hdr[1] != VIRTIO_NET_HDR_GSO_NONE) {
		log_guest_error("virtio-net: gso_type %u not negotiated",
				hdr[1]);
		return NULL;
	}
	f = malloc(sizeof(*f) + (size_t)total - NET_HDR_LEN);
	if (!f)
		return NULL;
	f->next = NULL;
	f->len = (size_t)total - NET_HDR_LEN;
	net_gather(r, NET_HDR_LEN, f->data, f->len);
	return f;
}

/*
 * Moves the guest's transmit requests into the queue for the back end
 * and completes them, until the ring is empty or the queue full. Runs on
 * a vCPU (notify) or on the back end (after draining a full queue).
 */
static void net_tx_fill(struct virtio_net *n)
{
	struct virtio_mmio *t = &n->transport;
	struct net_frame *f;
	unsigned pushed = 0;
	struct virtq *q;
	int got = 0;

	pthread_mutex_lock(&n->tx_lock);
	for (;;) {
		if (n->txq_frames >= NET_TXQ_FRAMES ||
		    n->txq_bytes >= NET_TXQ_BYTES) {
			n->tx_stalled = true;
			break;
		}
		f = NULL;
		virtio_mmio_lock(t);
		q = virtio_mmio_queue(t, NET_TX_QUEUE);
		got = q ? virtq_pop(q, &n->tx_req) : 0;
		if (got > 0) {
			f = net_tx_frame(&n->tx_req);
			virtq_push(q, n->tx_req.head, 0);
		}
		virtio_mmio_unlock(t);
		if (got <= 0)
			break;
		pushed++;
		if (f) {
			*n->txq_tail = f;
			n->txq_tail = &f->next;
			n->txq_frames++;
			n->txq_bytes += f->len;
		}
	}
	pthread_mutex_unlock(&n->tx_lock);
	if (got < 0) {
		log_guest_error("virtio-net: malformed transmit queue");
		virtio_mmio_needs_reset(t);
	}
	if (pushed) {
		virtio_mmio_interrupt(t, NET_TX_QUEUE);
		net_user_kick(n->user);
	}
}

static void net_frames_free(struct net_frame *f)
{
	struct net_frame *next;

	for (; f; f = next) {
		next = f->next;
		free(f);
	}
}

/* Back end thread: hands the queued frames to slirp. */
static void net_tx_drain(struct virtio_net *n)
{
	struct net_frame *list, *f;
	bool stalled;

	pthread_mutex_lock(&n->tx_lock);
	list = n->txq;
	n->txq = NULL;
	n->txq_tail = &n->txq;
	n->txq_frames = 0;
	n->txq_bytes = 0;
	stalled = n->tx_stalled;
	n->tx_stalled = false;
	pthread_mutex_unlock(&n->tx_lock);
	for (f = list; f; f = f->next)
		net_user_send(n->user, f->data, f->len);
	net_frames_free(list);
	if (stalled)
		net_tx_fill(n);
}

/* ---- receive --------------------------------------------------------- */

/*
 * Copies the bytes [done, done + len) of header-then-frame into the
 * writable segments of r; returns the bytes written. The two bytes of
 * num_buffers are remembered where they land, to be filled in last.
 */
static uint32_t net_rx_copy(struct virtio_net *n, const struct virtq_req *r,
			    const uint8_t *hdr, const uint8_t *frame,
			    size_t total, size_t done, uint8_t **num_buffers)
{
	struct bus *bus = n->transport.bus;
	uint32_t written = 0;

	for (unsigned i = 0; i < r->nin && done < total; i++) {
		const struct virtq_seg *s = &r->in[i];
		size_t take = s->len < total - done ? s->len : total - done;

		for (size_t k = 0; k < take;) {
			size_t pos = done + k, chunk;

			if (pos < NET_HDR_LEN) {
				if (pos == NET_HDR_NUM_BUFFERS ||
				    pos == NET_HDR_NUM_BUFFERS + 1)
					num_buffers[pos - NET_HDR_NUM_BUFFERS] =
						s->hva + k;
				s->hva[k] = hdr[pos];
				k++;
				continue;
			}
			chunk = take - k;
			memcpy(s->hva + k, frame + (pos - NET_HDR_LEN), chunk);
			k += chunk;
		}
		bus_notify_range(bus,
				 bus->ram_base + (uint64_t)(s->hva - bus->ram),
				 take);
		done += take;
		written += (uint32_t)take;
	}
	return written;
}

/* One frame into the guest's buffers; called with the transport lock. */
static enum net_rx_result net_rx_one(struct virtio_net *n, struct virtq *q,
				     const uint8_t *frame, size_t len, bool mrg)
{
	uint8_t hdr[NET_HDR_LEN] = { 0 }, *num_buffers[2] = { NULL, NULL };
	size_t total = NET_HDR_LEN + len, done = 0;
	uint16_t start = q->last_avail;
	unsigned nbuf = 0, max = mrg ? q->num : 1;
	uint32_t written;
	int got;

	while (done < total) {
		if (nbuf == max) {
			/* the guest's buffers can never hold it */
			virtq_unpop(q, start);
			log_guest_error("virtio-net: %zu-byte frame does not "
					"fit %u receive buffers",
					len, nbuf);
			return NET_RX_DROP;
		}
		got = virtq_pop(q, &n->rx_req);
		if (got < 0)
			return NET_RX_BROKEN;
		if (got == 0) {
			/* give back what was taken: the frame waits for
			 * more buffers (the driver has not seen them used) */
			virtq_unpop(q, start);
			return NET_RX_NO_ROOM;
		}
		if (n->rx_req.nout || n->rx_req.in_len == 0) {
			log_guest_error("virtio-net: receive buffer that is "
					"not writable");
			virtq_push(q, n->rx_req.head, 0);
			q->broken = true;
			return NET_RX_BROKEN;
		}
		written = net_rx_copy(n, &n->rx_req, hdr, frame, total, done,
				      num_buffers);
		n->rx_heads[nbuf] = n->rx_req.head;
		n->rx_lens[nbuf] = written;
		nbuf++;
		done += written;
	}
	/* 5.1.6.4: num_buffers, little-endian; 1 without MRG_RXBUF */
	if (num_buffers[0])
		*num_buffers[0] = (uint8_t)nbuf;
	if (num_buffers[1])
		*num_buffers[1] = (uint8_t)(nbuf >> 8);
	virtq_push_n(q, n->rx_heads, n->rx_lens, nbuf);
	return NET_RX_DONE;
}

/* Delivers one frame; called with n->lock held. */
static enum net_rx_result net_rx_deliver(struct virtio_net *n,
					 const uint8_t *frame, size_t len)
{
	struct virtio_mmio *t = &n->transport;
	enum net_rx_result res = NET_RX_NO_ROOM;
	struct virtq *q;

	virtio_mmio_lock(t);
	q = virtio_mmio_queue(t, NET_RX_QUEUE);
	if (q)
		res = net_rx_one(n, q, frame, len, n->mrg_rxbuf);
	virtio_mmio_unlock(t);
	return res;
}

static void net_backlog_clear(struct virtio_net *n)
{
	struct net_frame *f;

	while ((f = n->backlog)) {
		n->backlog = f->next;
		free(f);
	}
	n->backlog_tail = &n->backlog;
	n->backlog_frames = 0;
	n->backlog_bytes = 0;
}

static void net_backlog_add(struct virtio_net *n, const uint8_t *frame,
			    size_t len)
{
	struct net_frame *f;

	if (n->backlog_frames == NET_BACKLOG_FRAMES ||
	    len > NET_BACKLOG_BYTES - n->backlog_bytes)
		return;
	f = malloc(sizeof(*f) + len);
	if (!f)
		return;
	f->next = NULL;
	f->len = len;
	memcpy(f->data, frame, len);
	*n->backlog_tail = f;
	n->backlog_tail = &f->next;
	n->backlog_frames++;
	n->backlog_bytes += len;
}

/* Delivers the backlog in order while the guest has room; called with
 * n->lock held. Returns how many frames went in, or -1 if broken. */
static int net_backlog_flush(struct virtio_net *n)
{
	struct net_frame *f;
	int delivered = 0;

	while ((f = n->backlog)) {
		switch (net_rx_deliver(n, f->data, f->len)) {
		case NET_RX_NO_ROOM: return delivered;
		case NET_RX_BROKEN: net_backlog_clear(n); return -1;
		case NET_RX_DONE: delivered++; break;
		case NET_RX_DROP: break;
		}
		n->backlog = f->next;
		if (!n->backlog)
			n->backlog_tail = &n->backlog;
		n->backlog_frames--;
		n->backlog_bytes -= f->len;
		free(f);
	}
	return delivered;
}

static void net_rx_finish(struct virtio_net *n, int delivered)
{
	if (delivered < 0) {
		log_guest_error("virtio-net: malformed receive queue");
		virtio_mmio_needs_reset(&n->transport);
	} else if (delivered > 0) {
		virtio_mmio_interrupt(&n->transport, NET_RX_QUEUE);
	}
}

/* A frame from the back end (its thread). */
static void net_receive(void *ctx, const uint8_t *frame, size_t len)
{
	struct virtio_net *n = ctx;
	int delivered = 0;

	if (len > NET_MAX_FRAME)
		return;
	pthread_mutex_lock(&n->lock);
	if (n->backlog) {
		net_backlog_add(n, frame, len);
		delivered = net_backlog_flush(n);
	} else {
		switch (net_rx_deliver(n, frame, len)) {
		case NET_RX_NO_ROOM: net_backlog_add(n, frame, len); break;
		case NET_RX_BROKEN: delivered = -1; break;
		case NET_RX_DONE: delivered = 1; break;
		case NET_RX_DROP: break;
		}
	}
	pthread_mutex_unlock(&n->lock);
	net_rx_finish(n, delivered);
}

/* Delivers what waits in the backlog (any thread). */
static void net_rx_flush(struct virtio_net *n)
{
	int delivered;

	pthread_mutex_lock(&n->lock);
	delivered = net_backlog_flush(n);
	pthread_mutex_unlock(&n->lock);
	net_rx_finish(n, delivered);
}

/* The back end's turn after a kick (its thread). */
static bool net_kicked(void *ctx)
{
	struct virtio_net *n = ctx;

	net_tx_drain(n);
	net_rx_flush(n);
	return false;
}

static const struct net_user_ops net_user_ops = {
	.receive = net_receive,
	.kicked = net_kicked,
};

/* ---- transport callbacks (vCPU threads) ------------------------------ */

static void net_notify(void *dev, unsigned q)
{
	struct virtio_net *n = dev;

	if (q == NET_TX_QUEUE)
		net_tx_fill(n);
	else
		net_rx_flush(n);
}

static void net_driver_ok(void *dev, uint64_t features)
{
	struct virtio_net *n = dev;

	pthread_mutex_lock(&n->lock);
	n->mrg_rxbuf = features & (1ull << VIRTIO_NET_F_MRG_RXBUF);
	pthread_mutex_unlock(&n->lock);
	net_rx_flush(n);
	net_tx_fill(n);
}

static void net_reset(void *dev)
{
	struct virtio_net *n = dev;

	pthread_mutex_lock(&n->lock);
	net_backlog_clear(n);
	n->mrg_rxbuf = false;
	pthread_mutex_unlock(&n->lock);
	pthread_mutex_lock(&n->tx_lock);
	n->tx_stalled = false;
	pthread_mutex_unlock(&n->tx_lock);
}

static const struct virtio_device_ops net_ops = {
	.name = "virtio-net",
	.device_id = VIRTIO_ID_NET,
	.features = (1ull << VIRTIO_NET_F_MAC) |
		    (1ull << VIRTIO_NET_F_MRG_RXBUF) |
		    (1ull << VIRTIO_NET_F_STATUS),
	.num_queues = 2,
	.queue_max = NET_QUEUE_MAX,
	.config_size = NET_CONFIG_SIZE,
	.config_read = net_config_read,
	.notify = net_notify,
	.driver_ok = net_driver_ok,
	.reset = net_reset,
};

/* the board reports the reason once, right after a failed create */
static __thread char net_why[160];

static struct virtio_net *net_create(struct bus *bus,
				     const struct irq_line *irq,
				     const struct net_config *cfg,
				     enum net_user_mode mode, const char **why)
{
	struct virtio_net *n = calloc(1, sizeof(*n));

	if (!n) {
		*why = "out of memory";
		return NULL;
	}
	n->backlog_tail = &n->backlog;
	n->txq_tail = &n->txq;
	if (pthread_mutex_init(&n->lock, NULL)) {
		*why = "cannot create its lock";
		goto free_n;
	}
	if (pthread_mutex_init(&n->tx_lock, NULL)) {
		*why = "cannot create its lock";
		goto destroy_lock;
	}
	if (virtio_mmio_init(&n->transport, bus, irq, &net_ops, n)) {
		*why = "cannot start the virtio-net device";
		goto destroy_tx_lock;
	}
	/* last: the back end calls into the device from now on */
	n->user = net_user_create(cfg, mode, &net_user_ops, n, net_why,
				  sizeof(net_why));
	if (!n->user) {
		*why = net_why;
		goto destroy_transport;
	}
	return n;
destroy_transport:
	virtio_mmio_destroy(&n->transport);
destroy_tx_lock:
	pthread_mutex_destroy(&n->tx_lock);
destroy_lock:
	pthread_mutex_destroy(&n->lock);
free_n:
	free(n);
	return NULL;
}

struct virtio_net *virtio_net_create(struct bus *bus,
				     const struct irq_line *irq,
				     const struct net_config *cfg,
				     const char **why)
{
	return net_create(bus, irq, cfg, NET_USER_THREAD, why);
}

struct virtio_net *virtio_net_create_manual(struct bus *bus,
					    const struct irq_line *irq,
					    const struct net_config *cfg,
					    const char **why)
{
	return net_create(bus, irq, cfg, NET_USER_MANUAL, why);
}

void virtio_net_poll(struct virtio_net *n, int timeout_ms)
{
	net_user_poll(n->user, timeout_ms);
}

void virtio_net_destroy(struct virtio_net *n)
{
	if (!n)
		return;
	net_user_destroy(n->user);
	net_backlog_clear(n);
	net_frames_free(n->txq);
	virtio_mmio_destroy(&n->transport);
	pthread_mutex_destroy(&n->tx_lock);
	pthread_mutex_destroy(&n->lock);
	free(n);
}

struct virtio_mmio *virtio_net_transport(struct virtio_net *n)
{
	return &n->transport;
}
