/*
 * qcow2 images, versions 2 and 3 (QEMU's docs/interop/qcow2.txt): header
 * and extensions, L1/L2 cluster mapping, 16-bit refcounts, backing
 * chains, zlib-compressed clusters (read; a write copies them out), the
 * version 3 zero flag. Refused: encryption, external data files,
 * extended L2 entries, non-zlib compression, unknown incompatible
 * features; read-only only: internal snapshots, dirty or corrupt images,
 * refcount widths other than 16 bits.
 *
 * Every number in the file is untrusted: the header is checked against
 * the file size and fixed limits before anything is allocated, and every
 * table or data offset read from the file must be cluster-aligned and
 * inside the file before it is used (else the request fails with EIO).
 *
 * Allocation appends clusters at the end of the file; freed clusters are
 * not reused. Data, refcounts and zeroed new tables are written through
 * (pwrite) at once; L1 and L2 entries change in a write-back cache and go
 * to the file only after a barrier (fdatasync, marked (B)) that makes
 * what they point at durable: at a guest flush, and when a dirty L2 table
 * leaves the cache. The guest's flush is the durability promise; a write
 * that no flush followed may be lost when the process dies, but the image
 * stays consistent whether the process dies or the host loses power:
 *
 *   data cluster:  data -> refcount = 1 -> (B) -> L2 entry
 *   L2 table:      zeroed table -> refcount = 1 -> (B) -> L1 entry
 *   guest flush:   (B) -> dirty L2 and L1 entries -> (B) -> acknowledged
 *   refcount block: block (holding its own count when it covers itself)
 *                  -> its count elsewhere when it does not -> (B)
 *                  -> refcount table entry
 *   refcount table growth: new table with its own counts -> (B) ->
 *                  header offset and size in one 12-byte write -> (B)
 *                  -> old table's clusters freed
 *   overwritten clusters (compressed, shared, zeroed, discarded): L2
 *                  entry first; their refcounts drop at the next flush,
 *                  after the L2 entry is durable.
 *
 * So an L2 or L1 entry never points at a cluster whose data or refcount
 * is not yet written, and a crash leaves at worst leaked clusters
 * (refcount 1, unreferenced), which `qemu-img check` reports as leaks,
 * not corruption. A run of writes that allocate costs two barriers at
 * the next flush, not one per request.
 */
#include "disk/disk.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define QCOW2_MAGIC 0x514649fbu /* "QFI\xfb" */

/* header field offsets */
enum {
	HDR_MAGIC = 0,
	HDR_VERSION = 4,
	HDR_BACKING_OFFSET = 8,
	HDR_BACKING_SIZE = 16,
	HDR_CLUSTER_BITS = 20,
	HDR_SIZE = 24,
	HDR_CRYPT_METHOD = 32,
	HDR_L1_SIZE = 36,
	HDR_L1_OFFSET = 40,
	HDR_REFTABLE_OFFSET = 48,
	HDR_REFTABLE_CLUSTERS = 56,
	HDR_NB_SNAPSHOTS = 60,
	HDR_SNAPSHOTS_OFFSET = 64,
	HDR_V2_LENGTH = 72,
	HDR_INCOMPAT = 72,
	HDR_COMPAT = 80,
	HDR_AUTOCLEAR = 88,
	HDR_REFCOUNT_ORDER = 96,
	HDR_LENGTH = 100,
	HDR_V3_MIN_LENGTH = 104,
	HDR_COMPRESSION_TYPE = 104,
	HDR_V3_OUR_LENGTH = 112,
};

#define INCOMPAT_DIRTY (1ull << 0)
#define INCOMPAT_CORRUPT (1ull << 1)
#define INCOMPAT_DATA_FILE (1ull << 2)
#define INCOMPAT_COMPRESSION (1ull << 3)
#define INCOMPAT_EXTL2 (1ull << 4)
#define INCOMPAT_KNOWN 0x1full

#define EXT_END 0x00000000u
#define EXT_BACKING_FORMAT 0xe2792acau
#define EXT_FEATURE_TABLE 0x6803f857u
#define FEATURE_ENTRY 48

#define OFLAG_COPIED (1ull << 63)
#define OFLAG_COMPRESSED (1ull << 62)
#define OFLAG_ZERO 1ull
/* bits 9-55: L1 entries, standard L2 entries */
#define OFFSET_MASK 0x00fffffffffffe00ull
#define REFTABLE_OFFSET_MASK 0xfffffffffffffe00ull

/* limits: QEMU's own, which every image it writes respects */
#define MIN_CLUSTER_BITS 9
#define MAX_CLUSTER_BITS 21
#define MAX_L1_BYTES (32ull << 20)
#define MAX_REFTABLE_BYTES (8ull << 20)
#define MAX_HOST_OFFSET (1ull << 56)
#define MAX_BACKING_NAME 1023
#define CREATE_CLUSTER_BITS 16
#define CREATE_MAX_SIZE (1ull << 50)

/* iovec entries per preadv/pwritev */
#define IO_BATCH 64
/* cluster refcount drops kept for flush */
#define MAX_FREES 4096
#define L2_CACHE_BYTES (4u << 20)
#define L2_CACHE_MAX 32

enum cluster_type { CL_UNALLOC, CL_ZERO, CL_NORMAL, CL_COMPRESSED };

/* entries [lo, hi) differ from the file when lo < hi */
struct dirty_range {
	uint64_t lo, hi;
};

struct l2_slot {
	uint64_t off;  /* host offset of the table; 0 = empty */
	uint64_t *tab; /* host byte order */
	uint64_t used;
	struct dirty_range dirty;
};

struct qcow2 {
	struct disk disk;
	pthread_mutex_t lock;
	int fd;
	char *path;
	unsigned version;
	unsigned cluster_bits;
	uint64_t cs;	  /* cluster size */
	unsigned l2_bits; /* log2 of L2 entries per table */
	uint64_t *l1;
	uint32_t l1_size;
	uint64_t l1_offset;
	struct dirty_range l1_dirty;
	uint64_t *reftable; /* writable images only */
	uint64_t reftable_entries;
	uint64_t reftable_offset;
	uint32_t reftable_clusters;
	uint64_t rb_entries; /* refcounts per refcount block */
	uint64_t file_end;   /* cluster-aligned; allocation point */
	bool growing;	     /* inside reftable_grow */
	char *backing_name;
	struct disk *backing;
	struct l2_slot l2c[L2_CACHE_MAX];
	unsigned l2c_n;
	uint64_t tick;
	uint8_t *buf;	 /* the cluster a write composes */
	uint8_t *wb;	 /* big-endian table entries on their way out */
	uint8_t *bounce; /* a cluster on its way to or from the guest */
	uint8_t *zin;	 /* compressed bytes: up to two clusters */
	uint8_t *zout;	 /* the last decompressed cluster */
	uint64_t zout_entry;
	bool zout_valid, zs_ready;
	z_stream zs;
	uint64_t frees[MAX_FREES]; /* L2-style entries to unreference */
	unsigned nfrees;
};

static struct qcow2 *to_qcow2(struct disk *d)
{
	return (struct qcow2 *)d;
}

static uint16_t get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return be16toh(v);
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return be32toh(v);
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return be64toh(v);
}

static void put16(uint8_t *p, uint16_t v)
{
	v = htobe16(v);
	memcpy(p, &v, 2);
}

static void put32(uint8_t *p, uint32_t v)
{
	v = htobe32(v);
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	v = htobe64(v);
	memcpy(p, &v, 8);
}

/* Reads len bytes at off; bytes past the end of the file read as zero. */
static int pread_zero(int fd, void *buf, size_t len, uint64_t off)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = pread(fd, p, len, (off_t)off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0) {
			memset(p, 0, len);
			return 0;
		}
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

/* Metadata must be there whole: a short read is EIO. */
static int pread_full(int fd, void *buf, size_t len, uint64_t off)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = pread(fd, p, len, (off_t)off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

static int pwrite_full(int fd, const void *buf, size_t len, uint64_t off)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

static int barrier(struct qcow2 *qc)
{
	return fdatasync(qc->fd) ? -errno : 0;
}

/* --- the guest's iovec ---------------------------------------------------- */

struct iov_cursor {
	const struct iovec *iov;
	int cnt, i;
	size_t off;
};

/* Moves n bytes between the cursor and buf (NULL: zeroes into the iovec
 * when to_iov, else the bytes are skipped). */
static void cursor_move(struct iov_cursor *c, uint8_t *buf, size_t n,
			bool to_iov)
{
	while (n && c->i < c->cnt) {
		const struct iovec *v = &c->iov[c->i];
		uint8_t *p = (uint8_t *)v->iov_base + c->off;
		size_t k = v->iov_len - c->off;

		if (!k) {
			c->i++;
			c->off = 0;
			continue;
		}
		if (k > n)
			k = n;
		if (to_iov && buf)
			memcpy(p, buf, k);
		else if (to_iov)
			memset(p, 0, k);
		else if (buf)
			memcpy(buf, p, k);
		if (buf)
			buf += k;
		c->off += k;
		n -= k;
	}
}

/*
 * Moves n bytes between the file at off and the cursor's iovec, without a
 * bounce copy: preadv/pwritev straight from or into the guest's buffers.
 * Bytes past the end of the file read as zeroes.
 */
static int cursor_io(struct qcow2 *qc, struct iov_cursor *c, uint64_t off,
		     uint64_t n, bool write)
{
	struct iovec v[IO_BATCH];

	while (n) {
		struct iov_cursor t = *c;
		uint64_t got = 0;
		ssize_t done;
		int k = 0;

		while (k < IO_BATCH && got < n && t.i < t.cnt) {
			size_t left = t.iov[t.i].iov_len - t.off;

			if (!left) {
				t.i++;
				t.off = 0;
				continue;
			}
			if (left > n - got)
				left = (size_t)(n - got);
			v[k].iov_base = (uint8_t *)t.iov[t.i].iov_base + t.off;
			v[k++].iov_len = left;
			t.off += left;
			got += left;
		}
		if (!got)
			return -EIO;
		if (write)
			done = pwritev(qc->fd, v, k, (off_t)off);
		else
			done = preadv(qc->fd, v, k, (off_t)off);
		if (done < 0 && errno == EINTR)
			continue;
		if (done < 0)
			return -errno;
		if (done == 0 && write)
			return -EIO;
		if (done == 0) {
			cursor_move(c, NULL, got, true);
			done = (ssize_t)got;
		} else {
			cursor_move(c, NULL, (size_t)done, false);
		}
		off += (uint64_t)done;
		n -= (uint64_t)done;
	}
	return 0;
}

static int check_request(struct disk *d, uint64_t off, uint64_t len)
{
	if ((off | len) % DISK_SECTOR || off > d->size || len > d->size - off)
		return -EINVAL;
	return 0;
}

static uint64_t iov_total(const struct iovec *iov, int iovcnt)
{
	uint64_t n = 0;

	for (int i = 0; i < iovcnt; i++)
		n += iov[i].iov_len;
	return n;
}

/* --- offsets from the file ------------------------------------------------ */

/* a table or data cluster: aligned, not the header, inside the file */
static int check_cluster(struct qcow2 *qc, uint64_t off)
{
	if (!off || off & (qc->cs - 1) || off > qc->file_end - qc->cs)
		return -EIO;
	return 0;
}

static void compressed_extent(struct qcow2 *qc, uint64_t e, uint64_t *off,
			      uint64_t *sectors)
{
	unsigned x = 62 - (qc->cluster_bits - 8);

	*off = e & ((1ull << x) - 1);
	*sectors = ((e >> x) & ((1ull << (qc->cluster_bits - 8)) - 1)) + 1;
}

/* Classifies an L2 entry; *host is the data cluster of CL_NORMAL and of a
 * preallocated CL_ZERO (else 0). */
static int classify(struct qcow2 *qc, uint64_t e, uint64_t *host)
{
	uint64_t off = e & OFFSET_MASK;

	*host = 0;
	if (e & OFLAG_COMPRESSED) {
		uint64_t coff, sectors;

		compressed_extent(qc, e, &coff, &sectors);
		return coff >= qc->file_end ? -EIO : CL_COMPRESSED;
	}
	if (qc->version >= 3 && (e & OFLAG_ZERO)) {
		if (off && !check_cluster(qc, off))
			*host = off;
		return CL_ZERO;
	}
	if (!off)
		/* offset 0 with the copied flag means an external data file */
		return e & OFLAG_COPIED ? -EIO : CL_UNALLOC;
	if (check_cluster(qc, off))
		return -EIO;
	*host = off;
	return CL_NORMAL;
}

/* --- L1 and L2 tables ---------------------------------------------------- */

static void dirty_add(struct dirty_range *r, uint64_t i)
{
	if (r->lo >= r->hi) {
		r->lo = i;
		r->hi = i + 1;
		return;
	}
	if (i < r->lo)
		r->lo = i;
	if (i >= r->hi)
		r->hi = i + 1;
}

/* Writes the dirty entries of tab, the table at file offset base. */
static int table_write(struct qcow2 *qc, uint64_t base, const uint64_t *tab,
		       struct dirty_range *r)
{
	uint64_t per = qc->cs / 8;
	int err;

	for (uint64_t i = r->lo; i < r->hi; i += per) {
		uint64_t n = r->hi - i < per ? r->hi - i : per;

		for (uint64_t k = 0; k < n; k++)
			put64(qc->wb + k * 8, tab[i + k]);
		err = pwrite_full(qc->fd, qc->wb, n * 8, base + i * 8);
		if (err)
			return err;
	}
	r->lo = r->hi = 0;
	return 0;
}

static bool is_dirty(const struct dirty_range *r)
{
	return r->lo < r->hi;
}

/*
 * Writes the cached L2 and L1 entries that differ from the file. All they
 * point at (data, refcounts, zeroed new tables) was written before they
 * changed: the barrier makes that durable first, so that a host crash
 * cannot leave an entry on disk pointing at a cluster whose contents or
 * refcount are not.
 */
static int meta_writeback(struct qcow2 *qc)
{
	bool any = is_dirty(&qc->l1_dirty);
	int err;

	for (unsigned i = 0; i < qc->l2c_n && !any; i++)
		any = is_dirty(&qc->l2c[i].dirty);
	if (!any)
		return 0;
	err = barrier(qc);
	for (unsigned i = 0; i < qc->l2c_n && !err; i++) {
		struct l2_slot *s = &qc->l2c[i];

		if (is_dirty(&s->dirty))
			err = table_write(qc, s->off, s->tab, &s->dirty);
	}
	if (!err)
		err = table_write(qc, qc->l1_offset, qc->l1, &qc->l1_dirty);
	return err;
}

/* The cache slot of the L2 table at file offset table, loaded if absent
 * (a dirty victim makes all metadata go out first). */
static int l2_load(struct qcow2 *qc, uint64_t table, struct l2_slot **slot)
{
	struct l2_slot *victim = NULL;
	int err = check_cluster(qc, table);

	if (err)
		return err;
	for (unsigned i = 0; i < qc->l2c_n; i++) {
		struct l2_slot *s = &qc->l2c[i];

		if (s->off == table) {
			s->used = ++qc->tick;
			*slot = s;
			return 0;
		}
		if (!victim || s->used < victim->used)
			victim = s;
	}
	if (is_dirty(&victim->dirty)) {
		err = meta_writeback(qc);
		if (err)
			return err;
	}
	if (!victim->tab) {
		victim->tab = malloc(qc->cs);
		if (!victim->tab)
			return -ENOMEM;
	}
	victim->off = 0;
	err = pread_full(qc->fd, victim->tab, qc->cs, table);
	if (err)
		return err;
	for (uint64_t i = 0; i < qc->cs / 8; i++)
		victim->tab[i] = be64toh(victim->tab[i]);
	victim->off = table;
	victim->used = ++qc->tick;
	*slot = victim;
	return 0;
}

static int l2_get(struct qcow2 *qc, uint64_t table, uint64_t **tab)
{
	struct l2_slot *s;
	int err = l2_load(qc, table, &s);

	if (!err)
		*tab = s->tab;
	return err;
}

/* Changes an L2 entry in the cache; meta_writeback writes it. */
static int l2_set(struct qcow2 *qc, uint64_t table, uint64_t index,
		  uint64_t entry)
{
	struct l2_slot *s;
	int err = l2_load(qc, table, &s);

	if (err)
		return err;
	s->tab[index] = entry;
	dirty_add(&s->dirty, index);
	return 0;
}

/* The L2 entry of guest cluster vcl (0 when its L2 table is absent). */
static int lookup(struct qcow2 *qc, uint64_t vcl, uint64_t *entry)
{
	uint64_t l1i = vcl >> qc->l2_bits, table, *tab;
	int err;

	if (l1i >= qc->l1_size)
		return -EIO;
	table = qc->l1[l1i] & OFFSET_MASK;
	if (!table) {
		*entry = 0;
		return 0;
	}
	err = l2_get(qc, table, &tab);
	if (err)
		return err;
	*entry = tab[vcl & ((1ull << qc->l2_bits) - 1)];
	return 0;
}

/* --- refcounts (16-bit) -------------------------------------------------- */

static int alloc_cluster(struct qcow2 *qc, uint64_t *off)
{
	if (qc->file_end > MAX_HOST_OFFSET - qc->cs)
		return -ENOSPC;
	*off = qc->file_end;
	qc->file_end += qc->cs;
	return 0;
}

static int refcount_get(struct qcow2 *qc, uint64_t off, unsigned *rc)
{
	uint64_t cl = off >> qc->cluster_bits;
	uint64_t ti = cl / qc->rb_entries, block;
	uint8_t b[2];
	int err;

	*rc = 0;
	if (ti >= qc->reftable_entries)
		return 0;
	block = qc->reftable[ti] & REFTABLE_OFFSET_MASK;
	if (!block)
		return 0;
	err = check_cluster(qc, block);
	if (!err)
		err = pread_full(qc->fd, b, 2,
				 block + (cl % qc->rb_entries) * 2);
	if (!err)
		*rc = get16(b);
	return err;
}

static int refcount_add(struct qcow2 *qc, uint64_t off, int delta,
			unsigned depth);

/* A new, zeroed refcount block for reftable index ti. */
static int refblock_create(struct qcow2 *qc, uint64_t ti, unsigned depth,
			   uint64_t *out)
{
	uint64_t block, bcl;
	uint8_t *blk, b[8];
	int err;

	err = alloc_cluster(qc, &block);
	if (err)
		return err;
	blk = calloc(1, qc->cs);
	if (!blk)
		return -ENOMEM;
	bcl = block >> qc->cluster_bits;
	if (bcl / qc->rb_entries == ti)
		put16(blk + (bcl % qc->rb_entries) * 2, 1);
	err = pwrite_full(qc->fd, blk, qc->cs, block);
	free(blk);
	if (!err && bcl / qc->rb_entries != ti)
		err = refcount_add(qc, block, 1, depth + 1);
	if (!err)
		err = barrier(qc);
	if (err)
		return err;
	put64(b, block);
	err = pwrite_full(qc->fd, b, 8, qc->reftable_offset + ti * 8);
	if (err)
		return err;
	qc->reftable[ti] = block;
	*out = block;
	return 0;
}

/*
 * Moves the refcount table to a bigger one at the end of the file, large
 * enough to also count itself and the blocks that counting needs.
 */
static int reftable_grow(struct qcow2 *qc, uint64_t need)
{
	uint64_t pc = qc->cs / 8, cover = qc->rb_entries * qc->cs;
	uint64_t nc = qc->reftable_clusters * 2ull, table, end;
	uint64_t *old = qc->reftable, old_entries = qc->reftable_entries;
	uint64_t old_off = qc->reftable_offset;
	uint32_t old_clusters = qc->reftable_clusters;
	uint8_t *img, hdr[12];
	int err;

	if (qc->growing)
		return -EIO;
	if (nc < (need + pc - 1) / pc)
		nc = (need + pc - 1) / pc;
	for (;;) {
		if (nc * qc->cs > MAX_REFTABLE_BYTES)
			return -ENOSPC;
		end = qc->file_end + nc * qc->cs;
		end += (end / cover + 2) * qc->cs;
		if (nc * pc >= end / cover + 1)
			break;
		nc *= 2;
	}
	qc->reftable = calloc(nc * pc, 8);
	if (!qc->reftable) {
		qc->reftable = old;
		return -ENOMEM;
	}
	memcpy(qc->reftable, old, old_entries * 8);
	err = alloc_cluster(qc, &table);
	if (err)
		goto undo;
	if (qc->file_end > MAX_HOST_OFFSET - (nc - 1) * qc->cs) {
		err = -ENOSPC;
		goto undo;
	}
	qc->file_end += (nc - 1) * qc->cs;
	qc->reftable_entries = nc * pc;
	qc->reftable_offset = table;
	qc->reftable_clusters = (uint32_t)nc;
	qc->growing = true;
	for (uint64_t i = 0; i < nc && !err; i++)
		err = refcount_add(qc, table + i * qc->cs, 1, 0);
	if (err)
		goto undo;
	img = malloc(nc * qc->cs);
	if (!img) {
		err = -ENOMEM;
		goto undo;
	}
	for (uint64_t i = 0; i < nc * pc; i++)
		put64(img + i * 8, qc->reftable[i]);
	err = pwrite_full(qc->fd, img, nc * qc->cs, table);
	free(img);
	if (!err)
		err = barrier(qc);
	if (err)
		goto undo;
	put64(hdr, table);
	put32(hdr + 8, (uint32_t)nc);
	err = pwrite_full(qc->fd, hdr, sizeof(hdr), HDR_REFTABLE_OFFSET);
	if (!err)
		err = barrier(qc);
	if (err)
		goto undo;
	qc->growing = false;
	free(old);
	for (uint64_t i = 0; i < old_clusters; i++)
		refcount_add(qc, old_off + i * qc->cs, -1, 0);
	return 0;

undo:
	qc->growing = false;
	free(qc->reftable);
	qc->reftable = old;
	qc->reftable_entries = old_entries;
	qc->reftable_offset = old_off;
	qc->reftable_clusters = old_clusters;
	return err;
}

static int refcount_add(struct qcow2 *qc, uint64_t off, int delta,
			unsigned depth)
{
	uint64_t cl = off >> qc->cluster_bits;
	uint64_t ti = cl / qc->rb_entries, block, at;
	unsigned v;
	uint8_t b[2];
	int err;

	if (depth > 8)
		return -EIO;
	if (ti >= qc->reftable_entries) {
		if (delta < 0)
			return 0;
		err = reftable_grow(qc, ti + 1);
		if (err)
			return err;
	}
	block = qc->reftable[ti] & REFTABLE_OFFSET_MASK;
	if (!block) {
		if (delta < 0)
			return 0;
		err = refblock_create(qc, ti, depth, &block);
	} else {
		err = check_cluster(qc, block);
	}
	if (err)
		return err;
	at = block + (cl % qc->rb_entries) * 2;
	err = pread_full(qc->fd, b, 2, at);
	if (err)
		return err;
	v = get16(b);
	if (delta < 0 && v == 0)
		return 0;
	if (delta > 0 && v == 0xffff)
		return -EIO;
	put16(b, (uint16_t)(v + delta));
	return pwrite_full(qc->fd, b, 2, at);
}

/* Remembers an unreferenced L2-style entry; its clusters are unreferenced
 * at the next flush. When the list is full they leak. */
static void free_later(struct qcow2 *qc, uint64_t e)
{
	uint64_t host;
	int t = classify(qc, e, &host);

	if ((t == CL_COMPRESSED || host) && qc->nfrees < MAX_FREES)
		qc->frees[qc->nfrees++] = e;
}

static void free_entry(struct qcow2 *qc, uint64_t e)
{
	uint64_t host, coff, sectors, first, last;

	if (classify(qc, e, &host) != CL_COMPRESSED) {
		if (host)
			refcount_add(qc, host, -1, 0);
		return;
	}
	compressed_extent(qc, e, &coff, &sectors);
	first = coff & ~511ull;
	last = first + sectors * 512 - 1;
	for (uint64_t c = first & ~(qc->cs - 1); c <= last; c += qc->cs)
		refcount_add(qc, c, -1, 0);
}

/* --- reading ------------------------------------------------------------- */

/* Guest bytes [off, off+len) as the backing file has them: zeroes past
 * its end, or everywhere when there is none. */
static int backing_read(struct qcow2 *qc, uint64_t off, uint8_t *buf,
			uint64_t len)
{
	uint64_t have = 0;
	int err;

	if (qc->backing && off < qc->backing->size) {
		struct iovec v;

		have = qc->backing->size - off;
		if (have > len)
			have = len;
		v.iov_base = buf;
		v.iov_len = have;
		err = qc->backing->ops->readv(qc->backing, off, &v, 1);
		if (err)
			return err;
	}
	memset(buf + have, 0, len - have);
	return 0;
}

static int decompress(struct qcow2 *qc, uint64_t e)
{
	uint64_t coff, sectors, clen;
	int err, ret;

	if (qc->zout_valid && qc->zout_entry == e)
		return 0;
	if (!qc->zin) {
		qc->zin = malloc(2 * qc->cs);
		qc->zout = malloc(qc->cs);
		if (!qc->zin || !qc->zout)
			return -ENOMEM;
	}
	if (!qc->zs_ready) {
		if (inflateInit2(&qc->zs, -15) != Z_OK)
			return -ENOMEM;
		qc->zs_ready = true;
	}
	compressed_extent(qc, e, &coff, &sectors);
	clen = sectors * 512 - (coff & 511);
	err = pread_zero(qc->fd, qc->zin, clen, coff);
	if (err)
		return err;
	qc->zout_valid = false;
	if (inflateReset(&qc->zs) != Z_OK)
		return -EIO;
	qc->zs.next_in = qc->zin;
	qc->zs.avail_in = (uInt)clen;
	qc->zs.next_out = qc->zout;
	qc->zs.avail_out = (uInt)qc->cs;
	ret = inflate(&qc->zs, Z_FINISH);
	/* the data may go on past a cluster: stopping there is right */
	if (qc->zs.avail_out ||
	    (ret != Z_STREAM_END && ret != Z_BUF_ERROR && ret != Z_OK))
		return -EIO;
	qc->zout_entry = e;
	qc->zout_valid = true;
	return 0;
}

/* The guest-visible bytes [io, io+n) of guest cluster vcl, whose L2 entry
 * is e, into buf. */
static int cluster_read(struct qcow2 *qc, uint64_t vcl, uint64_t e, uint64_t io,
			uint64_t n, uint8_t *buf)
{
	uint64_t host;
	int t = classify(qc, e, &host), err;

	switch (t) {
	case CL_UNALLOC:
		return backing_read(qc, (vcl << qc->cluster_bits) + io, buf, n);
	case CL_ZERO: memset(buf, 0, n); return 0;
	case CL_NORMAL: return pread_zero(qc->fd, buf, n, host + io);
	case CL_COMPRESSED:
		err = decompress(qc, e);
		if (!err)
			memcpy(buf, qc->zout + io, n);
		return err;
	default: return t;
	}
}

/* How many bytes from off on (at most len) lie in normal clusters stored
 * one after the other in the file from *host (the first's host offset). */
static uint64_t contiguous_run(struct qcow2 *qc, uint64_t off, uint64_t len,
			       uint64_t *host)
{
	uint64_t io = off & (qc->cs - 1), run = qc->cs - io, e, h;

	if (lookup(qc, off >> qc->cluster_bits, &e) ||
	    classify(qc, e, &h) != CL_NORMAL)
		return 0;
	*host = h + io;
	if (run > len)
		return len;
	while (run < len) {
		if (lookup(qc, (off + run) >> qc->cluster_bits, &e) ||
		    classify(qc, e, &h) != CL_NORMAL || h != *host + run)
			break;
		run += len - run < qc->cs ? len - run : qc->cs;
	}
	return run;
}

static int qcow2_readv(struct disk *d, uint64_t off, const struct iovec *iov,
		       int iovcnt)
{
	struct qcow2 *qc = to_qcow2(d);
	struct iov_cursor cur = { iov, iovcnt, 0, 0 };
	uint64_t len = iov_total(iov, iovcnt), e, host, run;
	int err = check_request(d, off, len);

	if (err)
		return err;
	pthread_mutex_lock(&qc->lock);
	while (len && !err) {
		uint64_t io = off & (qc->cs - 1), n = qc->cs - io;

		run = contiguous_run(qc, off, len, &host);
		if (run) {
			err = cursor_io(qc, &cur, host, run, false);
			off += run;
			len -= run;
			continue;
		}
		if (n > len)
			n = len;
		err = lookup(qc, off >> qc->cluster_bits, &e);
		if (!err)
			err = cluster_read(qc, off >> qc->cluster_bits, e, io,
					   n, qc->bounce);
		if (!err)
			cursor_move(&cur, qc->bounce, n, true);
		off += n;
		len -= n;
	}
	pthread_mutex_unlock(&qc->lock);
	return err;
}

/* --- writing ------------------------------------------------------------- */

/* The L2 table of guest cluster vcl, made if absent: zeroed in the file,
 * counted, and entered in the cached L1 table. */
static int l2_prepare(struct qcow2 *qc, uint64_t vcl, uint64_t *table)
{
	uint64_t l1i = vcl >> qc->l2_bits, l1e, t;
	unsigned rc;
	uint8_t *zero;
	int err;

	if (l1i >= qc->l1_size)
		return -EIO;
	l1e = qc->l1[l1i];
	t = l1e & OFFSET_MASK;
	if (t) {
		err = check_cluster(qc, t);
		if (!err && !(l1e & OFLAG_COPIED)) {
			/* without snapshots a shared L2 table is corruption */
			err = refcount_get(qc, t, &rc);
			if (!err && rc != 1)
				err = -EIO;
		}
		*table = t;
		return err;
	}
	zero = calloc(1, qc->cs);
	if (!zero)
		return -ENOMEM;
	err = alloc_cluster(qc, &t);
	if (!err)
		err = pwrite_full(qc->fd, zero, qc->cs, t);
	free(zero);
	if (!err)
		err = refcount_add(qc, t, 1, 0);
	if (err)
		return err;
	qc->l1[l1i] = t | OFLAG_COPIED;
	dirty_add(&qc->l1_dirty, l1i);
	*table = t;
	return 0;
}

/*
 * Writes guest bytes [off, off+n) inside one cluster from cur (zeroes when
 * cur is NULL). In place when the cluster is ours alone; otherwise into a
 * new, counted cluster that the cached L2 entry then points at.
 */
static int write_cluster(struct qcow2 *qc, uint64_t off, uint64_t n,
			 struct iov_cursor *cur)
{
	uint64_t vcl = off >> qc->cluster_bits, io = off & (qc->cs - 1);
	uint64_t idx = vcl & ((1ull << qc->l2_bits) - 1);
	uint64_t table, *tab, e, host, fresh;
	unsigned rc = 1;
	int t, err;

	err = l2_prepare(qc, vcl, &table);
	if (!err)
		err = l2_get(qc, table, &tab);
	if (err)
		return err;
	e = tab[idx];
	t = classify(qc, e, &host);
	if (t < 0)
		return t;
	if (t == CL_NORMAL && !(e & OFLAG_COPIED)) {
		err = refcount_get(qc, host, &rc);
		if (err)
			return err;
	}
	if (t == CL_NORMAL && rc == 1) {
		if (cur)
			return cursor_io(qc, cur, host + io, n, true);
		memset(qc->bounce, 0, n);
		return pwrite_full(qc->fd, qc->bounce, n, host + io);
	}
	err = alloc_cluster(qc, &fresh);
	if (err)
		return err;
	if (n == qc->cs && cur) {
		err = cursor_io(qc, cur, fresh, n, true);
	} else {
		if (n < qc->cs)
			err = cluster_read(qc, vcl, e, 0, qc->cs, qc->buf);
		if (!err && cur)
			cursor_move(cur, qc->buf + io, n, false);
		else if (!err)
			memset(qc->buf + io, 0, n);
		if (!err)
			err = pwrite_full(qc->fd, qc->buf, qc->cs, fresh);
	}
	if (!err)
		err = refcount_add(qc, fresh, 1, 0);
	if (!err)
		err = l2_set(qc, table, idx, fresh | OFLAG_COPIED);
	if (!err)
		free_later(qc, e);
	return err;
}

static int write_range(struct qcow2 *qc, uint64_t off, uint64_t len,
		       struct iov_cursor *cur)
{
	int err = 0;

	while (len && !err) {
		uint64_t n = qc->cs - (off & (qc->cs - 1));

		if (n > len)
			n = len;
		err = write_cluster(qc, off, n, cur);
		off += n;
		len -= n;
	}
	return err;
}

static int qcow2_writev(struct disk *d, uint64_t off, const struct iovec *iov,
			int iovcnt)
{
	struct qcow2 *qc = to_qcow2(d);
	struct iov_cursor cur = { iov, iovcnt, 0, 0 };
	uint64_t len = iov_total(iov, iovcnt);
	int err;

	if (d->readonly)
		return -EROFS;
	err = check_request(d, off, len);
	if (err)
		return err;
	pthread_mutex_lock(&qc->lock);
	err = write_range(qc, off, len, &cur);
	pthread_mutex_unlock(&qc->lock);
	return err;
}

/* Makes a whole guest cluster read as zeroes without writing data. */
static int zero_cluster(struct qcow2 *qc, uint64_t vcl)
{
	uint64_t idx = vcl & ((1ull << qc->l2_bits) - 1), want, table, *tab;
	uint64_t e, host, l1i = vcl >> qc->l2_bits;
	int t, err;

	if (l1i >= qc->l1_size)
		return -EIO;
	if (!(qc->l1[l1i] & OFFSET_MASK) && !qc->backing)
		return 0;
	want = qc->backing ? OFLAG_ZERO : 0;
	err = l2_prepare(qc, vcl, &table);
	if (!err)
		err = l2_get(qc, table, &tab);
	if (err)
		return err;
	e = tab[idx];
	t = classify(qc, e, &host);
	if (t < 0)
		return t;
	if (e == want)
		return 0;
	err = l2_set(qc, table, idx, want);
	if (!err)
		free_later(qc, e);
	return err;
}

/* write_zeroes (must) or discard (may, whole clusters only) */
static int zero_range(struct disk *d, uint64_t off, uint64_t len, bool must)
{
	struct qcow2 *qc = to_qcow2(d);
	int err;

	if (d->readonly)
		return -EROFS;
	err = check_request(d, off, len);
	if (err)
		return err;
	pthread_mutex_lock(&qc->lock);
	while (len && !err) {
		uint64_t n = qc->cs - (off & (qc->cs - 1));

		if (n > len)
			n = len;
		/* a version 2 image has no zero flag to hide a backing file */
		if (n == qc->cs && (qc->version >= 3 || !qc->backing))
			err = zero_cluster(qc, off >> qc->cluster_bits);
		else if (must)
			err = write_range(qc, off, n, NULL);
		off += n;
		len -= n;
	}
	pthread_mutex_unlock(&qc->lock);
	return err;
}

static int qcow2_discard(struct disk *d, uint64_t off, uint64_t len)
{
	return zero_range(d, off, len, false);
}

static int qcow2_write_zeroes(struct disk *d, uint64_t off, uint64_t len)
{
	return zero_range(d, off, len, true);
}

/*
 * Two barriers when metadata changed: one before the L1 and L2 entries go
 * out (meta_writeback), one after, which makes them durable.
 */
static int flush_locked(struct qcow2 *qc)
{
	int err = meta_writeback(qc);

	if (!err)
		err = barrier(qc);
	if (err || !qc->nfrees)
		return err;
	for (unsigned i = 0; i < qc->nfrees; i++)
		free_entry(qc, qc->frees[i]);
	qc->nfrees = 0;
	return barrier(qc);
}

static int qcow2_flush(struct disk *d)
{
	struct qcow2 *qc = to_qcow2(d);
	int err;

	if (d->readonly)
		return 0;
	pthread_mutex_lock(&qc->lock);
	err = flush_locked(qc);
	pthread_mutex_unlock(&qc->lock);
	return err;
}

static void destroy(struct qcow2 *qc)
{
	disk_close(qc->backing);
	for (unsigned i = 0; i < L2_CACHE_MAX; i++)
		free(qc->l2c[i].tab);
	if (qc->zs_ready)
		inflateEnd(&qc->zs);
	free(qc->zin);
	free(qc->zout);
	free(qc->buf);
	free(qc->wb);
	free(qc->bounce);
	free(qc->reftable);
	free(qc->l1);
	free(qc->backing_name);
	free(qc->path);
	if (qc->fd >= 0)
		close(qc->fd);
	free(qc);
}

static void qcow2_close(struct disk *d)
{
	struct qcow2 *qc = to_qcow2(d);

	if (!d->readonly)
		flush_locked(qc);
	pthread_mutex_destroy(&qc->lock);
	destroy(qc);
}

static void qcow2_info(struct disk *d, struct disk_info *info)
{
	struct qcow2 *qc = to_qcow2(d);

	info->format = DISK_FORMAT_QCOW2;
	info->path = qc->path;
	info->version = qc->version;
	info->cluster_size = qc->cs;
	info->backing_name = qc->backing_name;
	info->backing = qc->backing;
}

static const struct disk_ops qcow2_ops = {
	.readv = qcow2_readv,
	.writev = qcow2_writev,
	.flush = qcow2_flush,
	.discard = qcow2_discard,
	.write_zeroes = qcow2_write_zeroes,
	.close = qcow2_close,
	.info = qcow2_info,
};

/* --- opening ------------------------------------------------------------- */

struct header {
	uint8_t *raw; /* the first cluster, or the whole file if shorter */
	uint64_t raw_len;
	uint64_t incompat, autoclear;
	uint32_t header_length, refcount_order, nb_snapshots;
	char backing_fmt[16];
	const uint8_t *features; /* feature name table, or NULL */
	uint32_t features_len;
};

static const char *feature_name(const struct header *h, unsigned bit)
{
	static __thread char name[FEATURE_ENTRY];

	for (uint32_t i = 0;
	     h->features && i + FEATURE_ENTRY <= h->features_len;
	     i += FEATURE_ENTRY) {
		const uint8_t *f = h->features + i;

		if (f[0] == 0 && f[1] == bit) {
			memcpy(name, f + 2, FEATURE_ENTRY - 2);
			name[FEATURE_ENTRY - 2] = 0;
			for (char *c = name; *c; c++)
				if (*c < 0x20 || *c > 0x7e)
					*c = '?';
			return name;
		}
	}
	return NULL;
}

static int parse_extensions(struct qcow2 *qc, struct header *h,
			    const char **why)
{
	uint64_t pos = qc->version >= 3 ? h->header_length : HDR_V2_LENGTH;
	uint64_t end = h->raw_len;

	while (pos + 8 <= end) {
		uint32_t type = get32(h->raw + pos);
		uint32_t len = get32(h->raw + pos + 4);

		if (type == EXT_END)
			break;
		if (len > end - pos - 8) {
			*why = disk_why("header extension 0x%08x runs past the "
					"first cluster",
					type);
			return -EINVAL;
		}
		if (type == EXT_BACKING_FORMAT) {
			if (!len || len >= sizeof(h->backing_fmt)) {
				*why = disk_why("bad backing format extension");
				return -EINVAL;
			}
			memcpy(h->backing_fmt, h->raw + pos + 8, len);
			h->backing_fmt[len] = 0;
		} else if (type == EXT_FEATURE_TABLE) {
			h->features = h->raw + pos + 8;
			h->features_len = len;
		}
		pos += 8 + (((uint64_t)len + 7) & ~7ull);
	}
	return 0;
}

static int check_features(struct header *h, bool readonly, const char **why)
{
	uint64_t unknown = h->incompat & ~INCOMPAT_KNOWN;

	if (unknown) {
		unsigned bit = (unsigned)__builtin_ctzll(unknown);
		const char *name = feature_name(h, bit);

		if (name)
			*why = disk_why("unsupported incompatible feature '%s' "
					"(bit %u)",
					name, bit);
		else
			*why = disk_why("unknown incompatible feature bit %u",
					bit);
		return -ENOTSUP;
	}
	if (h->incompat & INCOMPAT_DATA_FILE) {
		*why = disk_why("external data files are not supported");
		return -ENOTSUP;
	}
	if (h->incompat & INCOMPAT_COMPRESSION) {
		*why = disk_why("compression type %u is not supported (only "
				"zlib)",
				h->header_length > HDR_COMPRESSION_TYPE
					? h->raw[HDR_COMPRESSION_TYPE]
					: 0);
		return -ENOTSUP;
	}
	if (h->header_length > HDR_COMPRESSION_TYPE &&
	    h->raw[HDR_COMPRESSION_TYPE]) {
		*why = disk_why("compression type set without its feature bit");
		return -EINVAL;
	}
	if (h->incompat & INCOMPAT_EXTL2) {
		*why = disk_why("extended L2 entries (subclusters) are not "
				"supported");
		return -ENOTSUP;
	}
	if (h->refcount_order > 6) {
		*why = disk_why("refcount order %u is above 6",
				h->refcount_order);
		return -EINVAL;
	}
	if (readonly)
		return 0;
	if (h->incompat & INCOMPAT_CORRUPT) {
		*why = disk_why("image is marked corrupt: it opens only "
				"read-only ('qemu-img check -r all' repairs)");
		return -EROFS;
	}
	if (h->incompat & INCOMPAT_DIRTY) {
		*why = disk_why(
			"image is dirty (lazy refcounts): it opens only "
			"read-only ('qemu-img check -r all' repairs)");
		return -EROFS;
	}
	if (h->refcount_order != 4) {
		*why = disk_why("%u-bit refcounts: only 16-bit refcounts "
				"(refcount order 4) can be written; it opens "
				"read-only",
				1u << h->refcount_order);
		return -ENOTSUP;
	}
	if (h->nb_snapshots) {
		*why = disk_why("image has internal snapshots: it opens only "
				"read-only");
		return -ENOTSUP;
	}
	return 0;
}

/* Reads and checks the header; fills qc's geometry and tables. */
static int parse_header(struct qcow2 *qc, struct header *h, uint64_t fsize,
			bool readonly, const char **why)
{
	uint8_t fixed[HDR_V3_OUR_LENGTH] = { 0 };
	uint64_t size, l1_bytes, l2_cover, need, rt_bytes;
	uint64_t backing_off;
	uint32_t backing_len, cluster_bits;
	int err;

	if (fsize < HDR_V2_LENGTH) {
		*why = disk_why("truncated qcow2 header");
		return -EINVAL;
	}
	err = pread_full(qc->fd, fixed,
			 fsize < sizeof(fixed) ? fsize : sizeof(fixed), 0);
	if (err) {
		*why = disk_why("%s", strerror(-err));
		return err;
	}
	if (get32(fixed + HDR_MAGIC) != QCOW2_MAGIC) {
		*why = disk_why("not a qcow2 image (bad magic)");
		return -EINVAL;
	}
	qc->version = get32(fixed + HDR_VERSION);
	if (qc->version != 2 && qc->version != 3) {
		*why = disk_why(
			"qcow2 version %u is not supported (2 and 3 are)",
			qc->version);
		return -ENOTSUP;
	}
	cluster_bits = get32(fixed + HDR_CLUSTER_BITS);
	if (cluster_bits < MIN_CLUSTER_BITS ||
	    cluster_bits > MAX_CLUSTER_BITS) {
		*why = disk_why("cluster_bits %u out of range (%d to %d)",
				cluster_bits, MIN_CLUSTER_BITS,
				MAX_CLUSTER_BITS);
		return -EINVAL;
	}
	qc->cluster_bits = cluster_bits;
	qc->cs = 1ull << cluster_bits;
	qc->l2_bits = cluster_bits - 3;
	qc->file_end = (fsize + qc->cs - 1) & ~(qc->cs - 1);
	h->header_length = HDR_V2_LENGTH;
	h->refcount_order = 4;
	if (qc->version >= 3) {
		if (fsize < HDR_V3_MIN_LENGTH) {
			*why = disk_why("truncated qcow2 header");
			return -EINVAL;
		}
		h->header_length = get32(fixed + HDR_LENGTH);
		if (h->header_length < HDR_V3_MIN_LENGTH ||
		    h->header_length % 8 || h->header_length > qc->cs ||
		    h->header_length > fsize) {
			*why = disk_why("bad header length %u",
					h->header_length);
			return -EINVAL;
		}
		h->incompat = get64(fixed + HDR_INCOMPAT);
		h->autoclear = get64(fixed + HDR_AUTOCLEAR);
		h->refcount_order = get32(fixed + HDR_REFCOUNT_ORDER);
	}
	h->raw_len = fsize < qc->cs ? fsize : qc->cs;
	h->raw = malloc(h->raw_len);
	if (!h->raw) {
		*why = disk_why("%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	err = pread_full(qc->fd, h->raw, h->raw_len, 0);
	if (err) {
		*why = disk_why("%s", strerror(-err));
		return err;
	}
	err = parse_extensions(qc, h, why);
	if (err)
		return err;
	h->nb_snapshots = get32(fixed + HDR_NB_SNAPSHOTS);
	err = check_features(h, readonly, why);
	if (err)
		return err;
	if (get32(fixed + HDR_CRYPT_METHOD)) {
		*why = disk_why("encrypted images are not supported");
		return -ENOTSUP;
	}

	size = get64(fixed + HDR_SIZE);
	qc->l1_size = get32(fixed + HDR_L1_SIZE);
	qc->l1_offset = get64(fixed + HDR_L1_OFFSET);
	l1_bytes = (uint64_t)qc->l1_size * 8;
	l2_cover = 1ull << (cluster_bits + qc->l2_bits);
	need = size / l2_cover + (size % l2_cover != 0);
	if (l1_bytes > MAX_L1_BYTES) {
		*why = disk_why("L1 table of %u entries is too large",
				qc->l1_size);
		return -EINVAL;
	}
	if (need > qc->l1_size) {
		*why = disk_why("L1 table of %u entries is too small for the "
				"virtual size %llu",
				qc->l1_size, (unsigned long long)size);
		return -EINVAL;
	}
	if (qc->l1_size &&
	    (!qc->l1_offset || qc->l1_offset % qc->cs ||
	     qc->l1_offset > fsize || l1_bytes > fsize - qc->l1_offset)) {
		*why = disk_why("L1 table offset 0x%llx is unaligned or "
				"outside the file",
				(unsigned long long)qc->l1_offset);
		return -EINVAL;
	}
	qc->disk.size = size & ~(uint64_t)(DISK_SECTOR - 1);

	qc->reftable_offset = get64(fixed + HDR_REFTABLE_OFFSET);
	qc->reftable_clusters = get32(fixed + HDR_REFTABLE_CLUSTERS);
	rt_bytes = (uint64_t)qc->reftable_clusters << cluster_bits;
	if (!qc->reftable_clusters || rt_bytes > MAX_REFTABLE_BYTES) {
		*why = disk_why("refcount table of %u clusters is out of range",
				qc->reftable_clusters);
		return -EINVAL;
	}
	if (!qc->reftable_offset || qc->reftable_offset % qc->cs ||
	    qc->reftable_offset > fsize ||
	    rt_bytes > fsize - qc->reftable_offset) {
		*why = disk_why("refcount table offset 0x%llx is unaligned or "
				"outside the file",
				(unsigned long long)qc->reftable_offset);
		return -EINVAL;
	}
	qc->rb_entries = qc->cs * 8 >> h->refcount_order;

	backing_off = get64(fixed + HDR_BACKING_OFFSET);
	backing_len = get32(fixed + HDR_BACKING_SIZE);
	if (backing_off) {
		if (!backing_len || backing_len > MAX_BACKING_NAME ||
		    backing_off > h->raw_len ||
		    backing_len > h->raw_len - backing_off) {
			*why = disk_why("backing file name is out of range");
			return -EINVAL;
		}
		qc->backing_name =
			strndup((char *)h->raw + backing_off, backing_len);
		if (!qc->backing_name) {
			*why = disk_why("%s", strerror(ENOMEM));
			return -ENOMEM;
		}
		if (strlen(qc->backing_name) != backing_len) {
			*why = disk_why(
				"backing file name contains a NUL byte");
			return -EINVAL;
		}
	}
	return 0;
}

static int read_tables(struct qcow2 *qc, bool readonly, const char **why)
{
	uint64_t l1_bytes = (uint64_t)qc->l1_size * 8;
	uint64_t rt_bytes = (uint64_t)qc->reftable_clusters * qc->cs;
	int err;

	if (l1_bytes) {
		qc->l1 = malloc(l1_bytes);
		if (!qc->l1)
			goto nomem;
		err = pread_full(qc->fd, qc->l1, l1_bytes, qc->l1_offset);
		if (err)
			goto io;
		for (uint32_t i = 0; i < qc->l1_size; i++)
			qc->l1[i] = be64toh(qc->l1[i]);
	}
	if (readonly)
		return 0;
	qc->reftable = malloc(rt_bytes);
	if (!qc->reftable)
		goto nomem;
	err = pread_full(qc->fd, qc->reftable, rt_bytes, qc->reftable_offset);
	if (err)
		goto io;
	qc->reftable_entries = rt_bytes / 8;
	for (uint64_t i = 0; i < qc->reftable_entries; i++)
		qc->reftable[i] = be64toh(qc->reftable[i]);
	return 0;

nomem:
	*why = disk_why("%s", strerror(ENOMEM));
	return -ENOMEM;
io:
	*why = disk_why("reading tables: %s", strerror(-err));
	return err;
}

static int open_backing(struct qcow2 *qc, const struct header *h,
			unsigned depth, const char **why)
{
	enum disk_format fmt = DISK_FORMAT_AUTO;
	const char *slash = strrchr(qc->path, '/');
	char inner[256], *bpath;
	int err;

	if (!strcmp(h->backing_fmt, "raw"))
		fmt = DISK_FORMAT_RAW;
	else if (!strcmp(h->backing_fmt, "qcow2"))
		fmt = DISK_FORMAT_QCOW2;
	else if (h->backing_fmt[0]) {
		*why = disk_why("backing format '%s' is not supported",
				h->backing_fmt);
		return -ENOTSUP;
	}
	if (qc->backing_name[0] == '/' || !slash)
		bpath = strdup(qc->backing_name);
	else if (asprintf(&bpath, "%.*s/%s", (int)(slash - qc->path), qc->path,
			  qc->backing_name) < 0)
		bpath = NULL;
	if (!bpath) {
		*why = disk_why("%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	err = disk_open_depth(bpath, fmt, true, depth + 1, &qc->backing, why);
	if (err) {
		/* the deepest file of a chain names itself */
		if (strncmp(*why, "backing file ", 13)) {
			snprintf(inner, sizeof(inner), "%s", *why);
			*why = disk_why("backing file %s: %s", bpath, inner);
		}
	}
	free(bpath);
	return err;
}

int qcow2_open(const char *path, bool readonly, unsigned depth,
	       struct disk **out, const char **why)
{
	struct header h = { 0 };
	struct qcow2 *qc;
	struct stat st;
	off_t fsize;
	int err;

	qc = calloc(1, sizeof(*qc));
	if (!qc || !(qc->path = strdup(path))) {
		free(qc);
		*why = disk_why("%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	qc->fd = open(path,
		      (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC | O_NONBLOCK);
	if (qc->fd < 0) {
		err = -errno;
		*why = disk_why("%s", strerror(errno));
		goto fail;
	}
	if (fstat(qc->fd, &st) ||
	    !(S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))) {
		*why = disk_why("not a regular file or block device");
		err = -EINVAL;
		goto fail;
	}
	fcntl(qc->fd, F_SETFL, 0);
	if (flock(qc->fd, (readonly ? LOCK_SH : LOCK_EX) | LOCK_NB)) {
		err = -errno;
		*why = disk_why("in use by another process (locked)");
		goto fail;
	}
	fsize = lseek(qc->fd, 0, SEEK_END);
	if (fsize < 0) {
		err = -errno;
		*why = disk_why("%s", strerror(errno));
		goto fail;
	}
	err = parse_header(qc, &h, (uint64_t)fsize, readonly, why);
	if (!err)
		err = read_tables(qc, readonly, why);
	if (!err && qc->backing_name)
		err = open_backing(qc, &h, depth, why);
	if (err)
		goto fail;
	qc->l2c_n = (unsigned)(L2_CACHE_BYTES >> qc->cluster_bits);
	if (qc->l2c_n > L2_CACHE_MAX)
		qc->l2c_n = L2_CACHE_MAX;
	if (qc->l2c_n < 2)
		qc->l2c_n = 2;
	qc->bounce = malloc(qc->cs);
	if (!readonly) {
		qc->buf = malloc(qc->cs);
		qc->wb = malloc(qc->cs);
	}
	if (!qc->bounce || (!readonly && (!qc->buf || !qc->wb))) {
		err = -ENOMEM;
		*why = disk_why("%s", strerror(ENOMEM));
		goto fail;
	}
	if (!readonly && h.autoclear) {
		/* we keep no bitmaps: their consistency bits must go */
		uint8_t zero[8] = { 0 };

		err = pwrite_full(qc->fd, zero, 8, HDR_AUTOCLEAR);
		if (!err)
			err = barrier(qc);
		if (err) {
			*why = disk_why("clearing autoclear features: %s",
					strerror(-err));
			goto fail;
		}
	}
	free(h.raw);
	pthread_mutex_init(&qc->lock, NULL);
	qc->disk.ops = &qcow2_ops;
	qc->disk.readonly = readonly;
	*out = &qc->disk;
	return 0;

fail:
	free(h.raw);
	destroy(qc);
	return err;
}

/* --- creating ------------------------------------------------------------ */

int qcow2_create(const char *path, uint64_t size, const char *backing,
		 const char *backing_fmt, const char **why)
{
	const uint64_t cs = 1ull << CREATE_CLUSTER_BITS;
	uint64_t l2_cover = cs * (cs / 8), l1_size, l1_clusters, pos;
	uint8_t *c;
	int fd, err;

	if (!size || size % DISK_SECTOR || size > CREATE_MAX_SIZE) {
		*why = disk_why("size must be a multiple of 512 from 512 to "
				"1P");
		return -EINVAL;
	}
	if (backing && (!*backing || strlen(backing) > MAX_BACKING_NAME)) {
		*why = disk_why("backing file name must be 1 to %d bytes",
				MAX_BACKING_NAME);
		return -EINVAL;
	}
	l1_size = (size + l2_cover - 1) / l2_cover;
	l1_clusters = (l1_size * 8 + cs - 1) / cs;
	c = calloc(3, cs);
	if (!c) {
		*why = disk_why("%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	/* cluster 0 header, 1 refcount table, 2 refcount block, 3.. L1 */
	put32(c + HDR_MAGIC, QCOW2_MAGIC);
	put32(c + HDR_VERSION, 3);
	put32(c + HDR_CLUSTER_BITS, CREATE_CLUSTER_BITS);
	put64(c + HDR_SIZE, size);
	put32(c + HDR_L1_SIZE, (uint32_t)l1_size);
	put64(c + HDR_L1_OFFSET, 3 * cs);
	put64(c + HDR_REFTABLE_OFFSET, cs);
	put32(c + HDR_REFTABLE_CLUSTERS, 1);
	put32(c + HDR_REFCOUNT_ORDER, 4);
	put32(c + HDR_LENGTH, HDR_V3_OUR_LENGTH);
	pos = HDR_V3_OUR_LENGTH;
	if (backing) {
		size_t blen = strlen(backing);

		if (backing_fmt) {
			size_t flen = strlen(backing_fmt);

			put32(c + pos, EXT_BACKING_FORMAT);
			put32(c + pos + 4, (uint32_t)flen);
			memcpy(c + pos + 8, backing_fmt, flen);
			pos += 8 + ((flen + 7) & ~(size_t)7);
		}
		pos += 8; /* the end-of-extensions entry: zeroes */
		put64(c + HDR_BACKING_OFFSET, pos);
		put32(c + HDR_BACKING_SIZE, (uint32_t)blen);
		memcpy(c + pos, backing, blen);
	}
	put64(c + cs, 2 * cs);
	for (uint64_t i = 0; i < 3 + l1_clusters; i++)
		put16(c + 2 * cs + i * 2, 1);

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		err = -errno;
		*why = disk_why("%s", errno == EEXIST ? "already exists"
						      : strerror(errno));
		free(c);
		return err;
	}
	err = pwrite_full(fd, c, 3 * cs, 0);
	if (!err && ftruncate(fd, (off_t)((3 + l1_clusters) * cs)))
		err = -errno;
	if (!err && fsync(fd))
		err = -errno;
	close(fd);
	free(c);
	if (err) {
		*why = disk_why("%s", strerror(-err));
		unlink(path);
	}
	return err;
}
