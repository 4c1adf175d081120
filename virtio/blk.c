/*
 * virtio-blk: request parsing and execution (virtio 1.2, 5.2.6).
 *
 * A request is a header (type, reserved, sector: 16 bytes, readable),
 * data segments, and a status byte (the last writable byte). Every
 * length and sector range is checked against the disk before any I/O;
 * a malformed request completes with VIRTIO_BLK_S_IOERR (or UNSUPP for an
 * unknown type), and only a chain without room for the status byte
 * breaks the queue.
 *
 * Config space (5.2.4), little-endian:
 *   0 capacity (sectors)  12 seg_max  20 blk_size  36 max_discard_sectors
 *   40 max_discard_seg  44 discard_sector_alignment
 *   48 max_write_zeroes_sectors  52 max_write_zeroes_seg
 *   56 write_zeroes_may_unmap
 */
#include "virtio/blk.h"

#include <errno.h>
#include <string.h>

#include "util/log.h"

#define VIRTIO_ID_BLOCK 2

#define VIRTIO_BLK_F_SEG_MAX 2
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH 9
#define VIRTIO_BLK_F_DISCARD 13
#define VIRTIO_BLK_F_WRITE_ZEROES 14

#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_T_GET_ID 8
#define VIRTIO_BLK_T_DISCARD 11
#define VIRTIO_BLK_T_WRITE_ZEROES 13

#define VIRTIO_BLK_S_OK 0
#define VIRTIO_BLK_S_IOERR 1
#define VIRTIO_BLK_S_UNSUPP 2

#define BLK_QUEUE_MAX 256
#define BLK_SEG_MAX 126
#define BLK_ID_BYTES 20
/* bounds we advertise for discard / write-zeroes ranges */
#define BLK_MAX_RANGE_SECTORS (1u << 22)
#define BLK_MAX_RANGES 1
#define BLK_CONFIG_SIZE 60

struct blk_range {
	uint64_t sector;
	uint32_t num_sectors;
	uint32_t flags;
};

static void put_le32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4); /* little-endian host */
}

static void blk_config_read(void *dev, uint32_t off, void *buf, unsigned len)
{
	struct virtio_blk *b = dev;
	uint8_t cfg[BLK_CONFIG_SIZE] = { 0 };
	uint64_t capacity = b->disk->size / DISK_SECTOR;

	memcpy(cfg + 0, &capacity, 8);
	put_le32(cfg + 12, BLK_SEG_MAX);
	put_le32(cfg + 20, DISK_SECTOR);
	put_le32(cfg + 36, BLK_MAX_RANGE_SECTORS);
	put_le32(cfg + 40, BLK_MAX_RANGES);
	put_le32(cfg + 44, 1);
	put_le32(cfg + 48, BLK_MAX_RANGE_SECTORS);
	put_le32(cfg + 52, BLK_MAX_RANGES);
	cfg[56] = 1;
	if (off <= sizeof(cfg) && len <= sizeof(cfg) - off)
		memcpy(buf, cfg + off, len);
}

/* Copies n bytes starting at byte skip of the segments into dst. */
static bool gather(const struct virtq_seg *seg, unsigned nseg, uint64_t skip,
		   void *dst, size_t n)
{
	uint8_t *d = dst;

	for (unsigned i = 0; i < nseg && n; i++) {
		uint64_t len = seg[i].len;

		if (skip >= len) {
			skip -= len;
			continue;
		}
		size_t take = len - skip < n ? (size_t)(len - skip) : n;

		memcpy(d, seg[i].hva + skip, take);
		d += take;
		n -= take;
		skip = 0;
	}
	return n == 0;
}

/*
 * Builds an iovec over the bytes [skip, skip + n) of the segments.
 * Returns the number of entries, or -1 if they do not fit.
 */
static int to_iovec(const struct virtq_seg *seg, unsigned nseg, uint64_t skip,
		    uint64_t n, struct iovec *iov, int max)
{
	int cnt = 0;

	for (unsigned i = 0; i < nseg && n; i++) {
		uint64_t len = seg[i].len;

		if (skip >= len) {
			skip -= len;
			continue;
		}
		if (cnt == max)
			return -1;
		uint64_t take = len - skip < n ? len - skip : n;

		iov[cnt].iov_base = seg[i].hva + skip;
		iov[cnt].iov_len = (size_t)take;
		cnt++;
		n -= take;
		skip = 0;
	}
	return n ? -1 : cnt;
}

static bool range_ok(const struct disk *d, uint64_t sector, uint64_t bytes)
{
	uint64_t sectors = d->size / DISK_SECTOR;

	return sector <= sectors && bytes / DISK_SECTOR <= sectors - sector &&
	       bytes % DISK_SECTOR == 0;
}

/* Executes one request; returns the status and the bytes written into
 * the driver's buffers (status byte included). */
static uint8_t blk_execute(struct virtio_blk *b, const struct virtq_req *r,
			   uint32_t *written)
{
	struct iovec iov[VIRTQ_MAX_SEGS];
	struct disk *d = b->disk;
	uint8_t hdr[16];
	uint32_t type;
	uint64_t sector, data;
	int cnt, err;

	*written = 1;
	if (!gather(r->out, r->nout, 0, hdr, sizeof(hdr)))
		return VIRTIO_BLK_S_IOERR;
	memcpy(&type, hdr, 4);
	memcpy(&sector, hdr + 8, 8);
	switch (type) {
	case VIRTIO_BLK_T_IN:
		data = r->in_len - 1;
		if (data >= UINT32_MAX || !range_ok(d, sector, data))
			return VIRTIO_BLK_S_IOERR;
		cnt = to_iovec(r->in, r->nin, 0, data, iov, VIRTQ_MAX_SEGS);
		if (cnt < 0)
			return VIRTIO_BLK_S_IOERR;
		err = cnt ? d->ops->readv(d, sector * DISK_SECTOR, iov, cnt)
			  : 0;
		if (err)
			return VIRTIO_BLK_S_IOERR;
		*written = (uint32_t)data + 1;
		return VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_OUT:
		data = r->out_len - sizeof(hdr);
		if (d->readonly || !range_ok(d, sector, data))
			return VIRTIO_BLK_S_IOERR;
		cnt = to_iovec(r->out, r->nout, sizeof(hdr), data, iov,
			       VIRTQ_MAX_SEGS);
		if (cnt < 0)
			return VIRTIO_BLK_S_IOERR;
		err = cnt ? d->ops->writev(d, sector * DISK_SECTOR, iov, cnt)
			  : 0;
		return err ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_FLUSH:
		return d->ops->flush(d) ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_GET_ID:
		if (r->in_len - 1 < BLK_ID_BYTES)
			return VIRTIO_BLK_S_IOERR;
		cnt = to_iovec(r->in, r->nin, 0, BLK_ID_BYTES, iov,
			       VIRTQ_MAX_SEGS);
		if (cnt < 0)
			return VIRTIO_BLK_S_IOERR;
		for (int i = 0, done = 0; i < cnt; i++) {
			memcpy(iov[i].iov_base, d->id + done, iov[i].iov_len);
			done += (int)iov[i].iov_len;
		}
		*written = BLK_ID_BYTES + 1;
		return VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_DISCARD:
	case VIRTIO_BLK_T_WRITE_ZEROES: {
		struct blk_range range;

		data = r->out_len - sizeof(hdr);
		if (d->readonly || data != sizeof(range) ||
		    !gather(r->out, r->nout, sizeof(hdr), &range,
			    sizeof(range)))
			return VIRTIO_BLK_S_IOERR;
		if (range.num_sectors > BLK_MAX_RANGE_SECTORS ||
		    !range_ok(d, range.sector,
			      (uint64_t)range.num_sectors * DISK_SECTOR))
			return VIRTIO_BLK_S_IOERR;
		if (type == VIRTIO_BLK_T_DISCARD)
			err = d->ops->discard(d, range.sector * DISK_SECTOR,
					      (uint64_t)range.num_sectors *
						      DISK_SECTOR);
		else
			err = d->ops->write_zeroes(
				d, range.sector * DISK_SECTOR,
				(uint64_t)range.num_sectors * DISK_SECTOR);
		return err ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
	}
	default: return VIRTIO_BLK_S_UNSUPP;
	}
}

/* The status byte: the last byte of the last non-empty writable segment. */
static uint8_t *status_byte(const struct virtq_req *r)
{
	for (unsigned i = r->nin; i-- > 0;)
		if (r->in[i].len)
			return &r->in[i].hva[r->in[i].len - 1];
	return NULL;
}

/*
 * The device wrote guest RAM behind the CPU's back: pages that held
 * decoded code must be invalidated (a page-cache page can be reused).
 */
static void notify_written(struct bus *bus, const struct virtq_req *r)
{
	for (unsigned i = 0; i < r->nin; i++)
		bus_notify_range(bus,
				 bus->ram_base +
					 (uint64_t)(r->in[i].hva - bus->ram),
				 r->in[i].len);
}

/* Drains queue 0: pop under the transport lock, I/O without it. */
static void blk_process(struct virtio_blk *b)
{
	struct virtq_req *rq = &b->req;
	struct virtio_mmio *t = &b->transport;

	for (;;) {
		struct virtq *q;
		uint32_t written;
		uint8_t status;
		int got;

		virtio_mmio_lock(t);
		q = virtio_mmio_queue(t, 0);
		got = q ? virtq_pop(q, rq) : 0;
		virtio_mmio_unlock(t);
		if (got < 0) {
			log_guest_error("virtio-blk: malformed queue");
			virtio_mmio_needs_reset(t);
			return;
		}
		if (got == 0)
			return;
		if (rq->in_len == 0 || !status_byte(rq)) {
			/* no status byte: nothing can be reported */
			log_guest_error("virtio-blk: request without status");
			virtio_mmio_lock(t);
			if ((q = virtio_mmio_queue(t, 0)))
				virtq_push(q, rq->head, 0);
			virtio_mmio_unlock(t);
			virtio_mmio_needs_reset(t);
			return;
		}
		status = blk_execute(b, rq, &written);
		*status_byte(rq) = status;
		notify_written(t->bus, rq);
		virtio_mmio_lock(t);
		if ((q = virtio_mmio_queue(t, 0)))
			virtq_push(q, rq->head, written);
		virtio_mmio_unlock(t);
		virtio_mmio_interrupt(t, 0);
	}
}

static void *blk_worker(void *arg)
{
	struct virtio_blk *b = arg;

	pthread_mutex_lock(&b->lock);
	for (;;) {
		while (!b->kicked && !b->stopping)
			pthread_cond_wait(&b->wake, &b->lock);
		if (b->stopping)
			break;
		b->kicked = false;
		pthread_mutex_unlock(&b->lock);
		blk_process(b);
		pthread_mutex_lock(&b->lock);
	}
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

static void blk_notify(void *dev, unsigned q)
{
	struct virtio_blk *b = dev;

	if (b->manual) {
		blk_process(b);
		return;
	}
	pthread_mutex_lock(&b->lock);
	b->kicked = true;
	pthread_cond_signal(&b->wake);
	pthread_mutex_unlock(&b->lock);
}

static void blk_driver_ok(void *dev, uint64_t features)
{
	blk_notify(dev, 0);
}

static void blk_reset(void *dev)
{
}

static struct virtio_device_ops blk_ops_rw = {
	.name = "virtio-blk",
	.device_id = VIRTIO_ID_BLOCK,
	.features = (1ull << VIRTIO_BLK_F_SEG_MAX) |
		    (1ull << VIRTIO_BLK_F_BLK_SIZE) |
		    (1ull << VIRTIO_BLK_F_FLUSH) |
		    (1ull << VIRTIO_BLK_F_DISCARD) |
		    (1ull << VIRTIO_BLK_F_WRITE_ZEROES),
	.num_queues = 1,
	.queue_max = BLK_QUEUE_MAX,
	.config_size = BLK_CONFIG_SIZE,
	.config_read = blk_config_read,
	.notify = blk_notify,
	.driver_ok = blk_driver_ok,
	.reset = blk_reset,
};

static struct virtio_device_ops blk_ops_ro = {
	.name = "virtio-blk",
	.device_id = VIRTIO_ID_BLOCK,
	.features = (1ull << VIRTIO_BLK_F_SEG_MAX) |
		    (1ull << VIRTIO_BLK_F_BLK_SIZE) |
		    (1ull << VIRTIO_BLK_F_FLUSH) | (1ull << VIRTIO_BLK_F_RO),
	.num_queues = 1,
	.queue_max = BLK_QUEUE_MAX,
	.config_size = BLK_CONFIG_SIZE,
	.config_read = blk_config_read,
	.notify = blk_notify,
	.driver_ok = blk_driver_ok,
	.reset = blk_reset,
};

/* The device; with its worker thread unless manual. */
static int blk_init(struct virtio_blk *b, struct bus *bus,
		    const struct irq_line *irq, struct disk *disk, bool manual)
{
	int err;

	memset(b, 0, sizeof(*b));
	b->disk = disk;
	b->manual = manual;
	err = virtio_mmio_init(&b->transport, bus, irq,
			       disk->readonly ? &blk_ops_ro : &blk_ops_rw, b);
	if (err)
		return err;
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->wake, NULL);
	if (manual)
		return 0;
	err = pthread_create(&b->worker, NULL, blk_worker, b);
	if (err) {
		virtio_mmio_destroy(&b->transport);
		return -err;
	}
	b->running = true;
	return 0;
}

int virtio_blk_init(struct virtio_blk *b, struct bus *bus,
		    const struct irq_line *irq, struct disk *disk)
{
	return blk_init(b, bus, irq, disk, false);
}

int virtio_blk_init_manual(struct virtio_blk *b, struct bus *bus,
			   const struct irq_line *irq, struct disk *disk)
{
	return blk_init(b, bus, irq, disk, true);
}

void virtio_blk_destroy(struct virtio_blk *b)
{
	if (b->running) {
		pthread_mutex_lock(&b->lock);
		b->stopping = true;
		pthread_cond_signal(&b->wake);
		pthread_mutex_unlock(&b->lock);
		pthread_join(b->worker, NULL);
		b->running = false;
	}
	virtio_mmio_destroy(&b->transport);
	disk_close(b->disk);
	b->disk = NULL;
}
