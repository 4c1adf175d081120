/*
 * Disk back ends (disk/): raw and qcow2 images read and written against
 * an in-memory model, backing chains, zero writes, malformed headers
 * (expected reasons follow docs/interop/qcow2.txt's rules), offsets that
 * point outside the file, what a flush makes durable.
 *
 * Also a tool for tests/cli/img.sh, which checks our files with qemu-img:
 *   test_qcow2 --dump IMG              the virtual disk's bytes to stdout
 *   test_qcow2 --write IMG RAW SEED N  N random writes, zero writes and
 *                                      flushes to IMG and the same bytes
 *                                      with pwrite to the raw file RAW
 *   test_qcow2 --stress IMG SEED       random writes until killed; prints
 *                                      "ready" once the image is open
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "disk/disk.h"
#include "tests/unit/unit.h"

static char dir[64];
static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static char *path(const char *name)
{
	static char p[4][128];
	static int i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
	return p[i];
}

/* Splits buf into a few iovecs of random lengths (multiples of 8). */
static int split(uint8_t *buf, size_t len, struct iovec *iov, int max)
{
	int n = 0;

	while (len) {
		size_t k = n == max - 1
				   ? len
				   : (rnd() % 4 + 1) * 8 * (rnd() % 600 + 1);

		if (k > len)
			k = len;
		iov[n].iov_base = buf;
		iov[n].iov_len = k;
		buf += k;
		len -= k;
		n++;
	}
	return n;
}

static int dwrite(struct disk *d, uint64_t off, uint8_t *buf, size_t len)
{
	struct iovec iov[8];

	return d->ops->writev(d, off, iov, split(buf, len, iov, 8));
}

static int dread(struct disk *d, uint64_t off, uint8_t *buf, size_t len)
{
	struct iovec iov[8];

	return d->ops->readv(d, off, iov, split(buf, len, iov, 8));
}

static void fill(uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)rnd() | 1;
}

/* The whole disk equals model. */
static bool same_as(struct disk *d, const uint8_t *model)
{
	uint8_t *got = malloc(d->size);
	bool ok = got && !dread(d, 0, got, d->size) &&
		  !memcmp(got, model, d->size);

	free(got);
	return ok;
}

static int open_rw(const char *p, struct disk **d)
{
	const char *why;
	int err = disk_open(p, DISK_FORMAT_AUTO, false, d, &why);

	if (err)
		fprintf(stderr, "open %s: %s\n", p, why);
	return err;
}

/* Random writes (often around cluster boundaries) checked against a
 * model, then the same after reopening. */
static void test_random_io(const char *p, enum disk_format fmt, int rounds)
{
	const uint64_t size = 8ull << 20, cs = 65536;
	uint8_t *model = calloc(1, size), *buf = malloc(4 * cs);
	struct disk *d;
	const char *why;

	CHECK(!disk_create(p, fmt, size, NULL, DISK_FORMAT_AUTO, &why));
	if (open_rw(p, &d)) {
		CHECK(0);
		return;
	}
	CHECK_EQ_U64(d->size, size);
	CHECK(same_as(d, model));
	for (int i = 0; i < rounds; i++) {
		uint64_t off, len;

		if (rnd() % 2)
			off = (rnd() % (size / cs)) * cs +
			      (rnd() % 2 ? 0 : cs - 512 * (rnd() % 4 + 1));
		else
			off = (rnd() % (size / 512)) * 512;
		len = (rnd() % (4 * cs / 512) + 1) * 512;
		if (off >= size)
			off = size - 512;
		if (len > size - off)
			len = size - off;
		if (rnd() % 8 == 0) {
			CHECK(!d->ops->write_zeroes(d, off, len));
			memset(model + off, 0, len);
		} else {
			fill(buf, len);
			CHECK(!dwrite(d, off, buf, len));
			memcpy(model + off, buf, len);
		}
		if (rnd() % 16 == 0)
			CHECK(!d->ops->flush(d));
	}
	CHECK(same_as(d, model));
	/* the very last sector and requests past the end */
	fill(buf, 512);
	CHECK(!dwrite(d, size - 512, buf, 512));
	memcpy(model + size - 512, buf, 512);
	CHECK_EQ_U64(dwrite(d, size, buf, 512), -EINVAL);
	CHECK_EQ_U64(dread(d, size - 512, buf, 1024), -EINVAL);
	CHECK_EQ_U64(dread(d, 100, buf, 512), -EINVAL);
	disk_close(d);
	if (!open_rw(p, &d)) {
		CHECK(same_as(d, model));
		disk_close(d);
	}
	CHECK(!disk_open(p, DISK_FORMAT_AUTO, true, &d, &why));
	CHECK(d->readonly);
	CHECK_EQ_U64(dwrite(d, 0, buf, 512), -EROFS);
	CHECK_EQ_U64(d->ops->write_zeroes(d, 0, 512), -EROFS);
	disk_close(d);
	free(model);
	free(buf);
}

static uint8_t *slurp(const char *p, size_t *len)
{
	FILE *f = fopen(p, "rb");
	uint8_t *b;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	b = malloc((size_t)n + 1);
	*len = fread(b, 1, (size_t)n, f);
	fclose(f);
	return b;
}

/* raw base <- qcow2 mid <- qcow2 top: reads fall through, writes land in
 * the top only. */
static void test_backing_chain(void)
{
	const uint64_t size = 4ull << 20, cs = 65536;
	uint8_t *model = malloc(size), *buf = malloc(2 * cs), *base_before;
	uint8_t *base_after, *mid_before, *mid_after;
	size_t bl, bl2, ml, ml2;
	struct disk_info info;
	struct disk *d;
	const char *why;
	int fd;

	fill(model, size);
	fd = open(path("base.raw"), O_CREAT | O_WRONLY | O_TRUNC, 0644);
	CHECK(fd >= 0 && write(fd, model, size) == (ssize_t)size);
	close(fd);
	CHECK(!disk_create(path("mid.qcow2"), DISK_FORMAT_QCOW2, 0, "base.raw",
			   DISK_FORMAT_AUTO, &why));
	/* mid changes one cluster of the base */
	CHECK(!open_rw(path("mid.qcow2"), &d));
	CHECK_EQ_U64(d->size, size);
	CHECK(same_as(d, model));
	fill(buf, 1024);
	CHECK(!dwrite(d, 5 * cs + 512, buf, 1024));
	memcpy(model + 5 * cs + 512, buf, 1024);
	CHECK(same_as(d, model));
	disk_close(d);

	CHECK(!disk_create(path("top.qcow2"), DISK_FORMAT_QCOW2, 0,
			   path("mid.qcow2"), DISK_FORMAT_QCOW2, &why));
	base_before = slurp(path("base.raw"), &bl);
	mid_before = slurp(path("mid.qcow2"), &ml);
	CHECK(!open_rw(path("top.qcow2"), &d));
	disk_get_info(d, &info);
	CHECK(info.format == DISK_FORMAT_QCOW2 && info.backing);
	disk_get_info(info.backing, &info);
	CHECK(info.format == DISK_FORMAT_QCOW2 && info.backing);
	disk_get_info(info.backing, &info);
	CHECK(info.format == DISK_FORMAT_RAW && !info.backing);
	CHECK(same_as(d, model));
	for (int i = 0; i < 300; i++) {
		uint64_t off = (rnd() % (size / 512)) * 512;
		uint64_t len = (rnd() % (2 * cs / 512) + 1) * 512;

		if (len > size - off)
			len = size - off;
		if (rnd() % 6 == 0) {
			CHECK(!d->ops->write_zeroes(d, off, len));
			memset(model + off, 0, len);
		} else {
			fill(buf, len);
			CHECK(!dwrite(d, off, buf, len));
			memcpy(model + off, buf, len);
		}
	}
	CHECK(same_as(d, model));
	/* a discarded cluster may read zero or as before, nothing else */
	CHECK(!d->ops->discard(d, 2 * cs, cs));
	CHECK(!dread(d, 2 * cs, buf, cs));
	CHECK(!memcmp(buf, model + 2 * cs, cs) ||
	      (buf[0] == 0 && !memcmp(buf, buf + 1, cs - 1)));
	memcpy(model + 2 * cs, buf, cs);
	disk_close(d);
	base_after = slurp(path("base.raw"), &bl2);
	mid_after = slurp(path("mid.qcow2"), &ml2);
	CHECK(bl == bl2 && !memcmp(base_before, base_after, bl));
	CHECK(ml == ml2 && !memcmp(mid_before, mid_after, ml));
	CHECK(!open_rw(path("top.qcow2"), &d));
	CHECK(same_as(d, model));
	disk_close(d);
	free(base_before);
	free(base_after);
	free(mid_before);
	free(mid_after);
	free(model);
	free(buf);
}

/* --- malformed images ---------------------------------------------------- */

static void put_be(uint8_t *p, uint64_t v, int bytes)
{
	for (int i = bytes - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint8_t *good;
static size_t good_len;

static void write_file(const char *p, const uint8_t *b, size_t len)
{
	int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);

	CHECK(fd >= 0 && write(fd, b, len) == (ssize_t)len);
	close(fd);
}

/* Patches a copy of the good image at off (a bytes-wide big-endian value)
 * and expects opening it (read-write unless ro) to fail with a reason
 * containing want, or to succeed when want is NULL. */
static void expect(const char *what, size_t off, uint64_t v, int bytes, bool ro,
		   const char *want)
{
	uint8_t *b = malloc(good_len);
	struct disk *d;
	const char *why = "";
	int err;

	memcpy(b, good, good_len);
	if (bytes)
		put_be(b + off, v, bytes);
	write_file(path("bad.qcow2"), b, good_len);
	err = disk_open(path("bad.qcow2"), DISK_FORMAT_QCOW2, ro, &d, &why);
	if (!err)
		disk_close(d);
	if (want ? !err || !strstr(why, want) : err != 0) {
		unit_failed++;
		fprintf(stderr, "%s: open gave %d '%s', want '%s'\n", what, err,
			err ? why : "", want ? want : "success");
	} else {
		unit_passed++;
	}
	free(b);
}

static void test_malformed(void)
{
	const char *why;
	struct disk *d;
	uint8_t *b;

	CHECK(!disk_create(path("good.qcow2"), DISK_FORMAT_QCOW2, 1ull << 30,
			   NULL, DISK_FORMAT_AUTO, &why));
	good = slurp(path("good.qcow2"), &good_len);
	expect("unpatched", 0, 0, 0, false, NULL);
	expect("magic", 0, 0x514649fa, 4, false, "bad magic");
	expect("version 1", 4, 1, 4, false, "version 1");
	expect("version 4", 4, 4, 4, false, "version 4");
	expect("cluster_bits 8", 20, 8, 4, false, "cluster_bits 8");
	expect("cluster_bits 22", 20, 22, 4, false, "cluster_bits 22");
	expect("cluster_bits huge", 20, 0xffffffff, 4, false, "cluster_bits");
	expect("encryption", 32, 1, 4, false, "encrypted");
	expect("huge l1", 36, 0x10000000, 4, false, "too large");
	expect("l1 too small", 36, 1, 4, false, "too small");
	expect("size beyond l1", 24, 1ull << 40, 8, false, "too small");
	expect("l1 unaligned", 40, 3 * 65536 + 8, 8, false, "L1 table offset");
	expect("l1 past the end", 40, 1ull << 40, 8, false, "L1 table offset");
	expect("l1 at 0", 40, 0, 8, false, "L1 table offset");
	expect("reftable past the end", 48, 1ull << 50, 8, false,
	       "refcount table offset");
	expect("reftable unaligned", 48, 65536 + 512, 8, false,
	       "refcount table offset");
	expect("reftable 0 clusters", 56, 0, 4, false, "refcount table of 0");
	expect("reftable huge", 56, 0xffffffff, 4, false, "out of range");
	expect("unknown incompatible bit", 72, 1ull << 9, 8, false,
	       "incompatible feature bit 9");
	expect("external data file", 72, 1 << 2, 8, false, "external data");
	expect("zstd", 72, 1 << 3, 8, false, "compression type");
	expect("compression type without bit", 104, 1, 1, false,
	       "compression type");
	expect("extended L2", 72, 1 << 4, 8, false, "extended L2");
	expect("corrupt, read-write", 72, 1 << 1, 8, false, "corrupt");
	expect("corrupt, read-only", 72, 1 << 1, 8, true, NULL);
	expect("dirty, read-write", 72, 1, 8, false, "dirty");
	expect("dirty, read-only", 72, 1, 8, true, NULL);
	expect("refcount order 5, read-write", 96, 5, 4, false, "32-bit");
	expect("refcount order 5, read-only", 96, 5, 4, true, NULL);
	expect("refcount order 7", 96, 7, 4, true, "above 6");
	expect("snapshots, read-write", 60, 1, 4, false, "snapshots");
	expect("snapshots, read-only", 60, 1, 4, true, NULL);
	expect("header length 100", 100, 100, 4, false, "header length");
	expect("header length 108", 100, 108, 4, false, "header length");
	expect("header length past the cluster", 100, 1 << 20, 4, false,
	       "header length");
	expect("backing name past the cluster", 8, 65530, 8, false,
	       "backing file name");
	expect("backing name of length 0", 8, 512, 8, false,
	       "backing file name");
	expect("extension runs past the cluster", 112,
	       0x12345678ull << 32 | 0xffff0, 8, false, "runs past");

	/* an unknown incompatible bit with a feature name table entry */
	b = malloc(good_len);
	memcpy(b, good, good_len);
	put_be(b + 72, 1ull << 12, 8);
	put_be(b + 112, 0x6803f857, 4);
	put_be(b + 116, 48, 4);
	b[120] = 0;
	b[121] = 12;
	memcpy(b + 122, "frobnication", 12);
	write_file(path("named.qcow2"), b, good_len);
	CHECK(disk_open(path("named.qcow2"), DISK_FORMAT_AUTO, true, &d,
			&why) == -ENOTSUP);
	CHECK(strstr(why, "'frobnication' (bit 12)"));
	free(b);

	/* truncated files */
	write_file(path("trunc.qcow2"), good, 50);
	CHECK(disk_open(path("trunc.qcow2"), DISK_FORMAT_QCOW2, true, &d,
			&why) == -EINVAL);
	CHECK(strstr(why, "truncated"));
	write_file(path("trunc.qcow2"), good, 200);
	CHECK(disk_open(path("trunc.qcow2"), DISK_FORMAT_AUTO, true, &d,
			&why) == -EINVAL);
	CHECK(strstr(why, "outside the file"));
	write_file(path("trunc.qcow2"), good, 3 * 65536);
	CHECK(disk_open(path("trunc.qcow2"), DISK_FORMAT_AUTO, true, &d,
			&why) == -EINVAL);
	CHECK(strstr(why, "L1 table offset"));
	write_file(path("empty.raw"), good, 0);
	CHECK(disk_open(path("empty.raw"), DISK_FORMAT_AUTO, true, &d, &why) ==
	      -EINVAL);
	CHECK(strstr(why, "empty"));
	CHECK(disk_open(dir, DISK_FORMAT_RAW, true, &d, &why) == -EINVAL);
	CHECK(strstr(why, "regular file"));
	CHECK(disk_create(path("good.qcow2"), DISK_FORMAT_QCOW2, 1 << 20, NULL,
			  DISK_FORMAT_AUTO, &why) == -EEXIST);
	CHECK(strstr(why, "already exists"));
	CHECK(disk_create(path("x.qcow2"), DISK_FORMAT_QCOW2, 1000, NULL,
			  DISK_FORMAT_AUTO, &why) == -EINVAL);
	CHECK(disk_create(path("x.qcow2"), DISK_FORMAT_QCOW2, 0, "nope.raw",
			  DISK_FORMAT_AUTO, &why) == -ENOENT);
	CHECK(strstr(why, "nope.raw"));

	/* a held image refuses a second writer */
	CHECK(!open_rw(path("good.qcow2"), &d));
	{
		struct disk *d2;

		CHECK(disk_open(path("good.qcow2"), DISK_FORMAT_AUTO, true, &d2,
				&why) == -EWOULDBLOCK);
		CHECK(strstr(why, "in use"));
	}
	disk_close(d);
	free(good);
}

/* a backing chain that names itself, and one deeper than the limit */
static void test_chain_limits(void)
{
	const char *why;
	struct disk *d;
	char name[32], prev[32];

	CHECK(!disk_create(path("c0.raw"), DISK_FORMAT_RAW, 1 << 20, NULL,
			   DISK_FORMAT_AUTO, &why));
	snprintf(prev, sizeof(prev), "c0.raw");
	for (int i = 1; i <= DISK_MAX_CHAIN + 1; i++) {
		snprintf(name, sizeof(name), "c%d.qcow2", i);
		CHECK(!disk_create(path(name), DISK_FORMAT_QCOW2, 0, prev,
				   DISK_FORMAT_AUTO, &why));
		snprintf(prev, sizeof(prev), "%s", name);
	}
	snprintf(name, sizeof(name), "c%d.qcow2", DISK_MAX_CHAIN);
	CHECK(!disk_open(path(name), DISK_FORMAT_AUTO, true, &d, &why));
	disk_close(d);
	CHECK(disk_open(path(prev), DISK_FORMAT_AUTO, true, &d, &why) ==
	      -ELOOP);
	CHECK(strstr(why, "longer than"));

	CHECK(!disk_create(path("gone.raw"), DISK_FORMAT_RAW, 1 << 20, NULL,
			   DISK_FORMAT_AUTO, &why));
	CHECK(!disk_create(path("orphan.qcow2"), DISK_FORMAT_QCOW2, 0,
			   "gone.raw", DISK_FORMAT_AUTO, &why));
	unlink(path("gone.raw"));
	CHECK(disk_open(path("orphan.qcow2"), DISK_FORMAT_AUTO, true, &d,
			&why) == -ENOENT);
	CHECK(strstr(why, "backing file") && strstr(why, "gone.raw") &&
	      strstr(why, "No such file"));

	/* self.qcow2 backed by itself */
	CHECK(!disk_create(path("self.qcow2"), DISK_FORMAT_QCOW2, 1 << 20,
			   "c0.raw", DISK_FORMAT_AUTO, &why));
	{
		size_t len;
		uint8_t *b = slurp(path("self.qcow2"), &len);
		uint64_t off = be64toh(*(uint64_t *)(b + 8));

		memcpy(b + off, "self.qcow2", 10);
		put_be(b + 16, 10, 4);
		put_be(b + 112 + 4, 5, 4);
		memcpy(b + 112 + 8, "qcow2", 5);
		write_file(path("self.qcow2"), b, len);
		free(b);
	}
	CHECK(disk_open(path("self.qcow2"), DISK_FORMAT_AUTO, true, &d, &why) ==
	      -ELOOP);
	CHECK(disk_open(path("self.qcow2"), DISK_FORMAT_AUTO, false, &d, &why) <
	      0);
}

/* L1/L2 entries pointing outside the file or off cluster boundaries
 * fail the request with EIO; the rest of the disk still works. */
static void test_bad_offsets(void)
{
	const uint64_t cs = 65536;
	uint8_t buf[512] = { 1 };
	struct disk *d;
	const char *why;
	size_t len;
	uint8_t *b;
	int fd;

	CHECK(!disk_create(path("off.qcow2"), DISK_FORMAT_QCOW2, 2ull << 30,
			   NULL, DISK_FORMAT_AUTO, &why));
	CHECK(!open_rw(path("off.qcow2"), &d));
	CHECK(!dwrite(d, 0, buf, 512));
	CHECK(!dwrite(d, 1 << 30, buf, 512));
	disk_close(d);
	b = slurp(path("off.qcow2"), &len);
	/* L1 entry 1: an L2 table far past the end of the file */
	put_be(b + 3 * cs + 8, (1ull << 63) | (1ull << 40), 8);
	/* L1 entry 2: unaligned */
	put_be(b + 3 * cs + 16, (1ull << 63) | (4 * cs + 512), 8);
	/* L1 entry 3: the header cluster */
	put_be(b + 3 * cs + 24, 1ull << 63, 8);
	fd = open(path("off.qcow2"), O_WRONLY);
	CHECK(pwrite(fd, b + 3 * cs, 32, 3 * cs) == 32);
	close(fd);
	CHECK(!open_rw(path("off.qcow2"), &d));
	CHECK_EQ_U64(dread(d, 0, buf, 512), 0);
	CHECK(buf[0] == 1);
	CHECK_EQ_U64(dread(d, 512ull << 20, buf, 512), -EIO);
	CHECK_EQ_U64(dwrite(d, 512ull << 20, buf, 512), -EIO);
	CHECK_EQ_U64(dread(d, 1ull << 30, buf, 512), -EIO);
	/* L1 entry 3 is offset 0 with flags only: unallocated */
	CHECK_EQ_U64(dread(d, 3ull << 29, buf, 512), 0);
	disk_close(d);
	free(b);

	/* an L2 entry pointing past the end, then one unaligned */
	CHECK(!disk_create(path("off2.qcow2"), DISK_FORMAT_QCOW2, 1 << 20, NULL,
			   DISK_FORMAT_AUTO, &why));
	CHECK(!open_rw(path("off2.qcow2"), &d));
	CHECK(!dwrite(d, 0, buf, 512));
	disk_close(d);
	b = slurp(path("off2.qcow2"), &len);
	{
		uint64_t l2 = be64toh(*(uint64_t *)(b + 3 * cs)) &
			      0x00fffffffffffe00ull;

		fd = open(path("off2.qcow2"), O_WRONLY);
		put_be(b + l2 + 8, (1ull << 63) | (1ull << 45), 8);
		put_be(b + l2 + 16, (1ull << 63) | (cs + 4096), 8);
		/* compressed, far past the end */
		put_be(b + l2 + 24, (1ull << 62) | (1ull << 40), 8);
		CHECK(pwrite(fd, b + l2, 32, l2) == 32);
		close(fd);
	}
	CHECK(!open_rw(path("off2.qcow2"), &d));
	CHECK_EQ_U64(dread(d, cs, buf, 512), -EIO);
	CHECK_EQ_U64(dread(d, 2 * cs, buf, 512), -EIO);
	CHECK_EQ_U64(dread(d, 3 * cs, buf, 512), -EIO);
	CHECK_EQ_U64(dwrite(d, cs + 512, buf, 512), -EIO);
	CHECK_EQ_U64(dread(d, 4 * cs, buf, 512), 0);
	disk_close(d);
	free(b);
}

static void test_raw(void)
{
	const char *why;
	struct disk *d;
	uint8_t buf[4096];
	struct stat st;
	int fd;

	CHECK(!disk_create(path("r.raw"), DISK_FORMAT_RAW, 1 << 20, NULL,
			   DISK_FORMAT_AUTO, &why));
	CHECK(!stat(path("r.raw"), &st) && st.st_blocks == 0);
	/* size rounds down to whole sectors */
	fd = open(path("odd.raw"), O_CREAT | O_WRONLY, 0644);
	CHECK(!ftruncate(fd, 1000));
	close(fd);
	CHECK(!disk_open(path("odd.raw"), DISK_FORMAT_AUTO, true, &d, &why));
	CHECK_EQ_U64(d->size, 512);
	disk_close(d);
	test_random_io(path("rr.raw"), DISK_FORMAT_RAW, 200);
	CHECK(!open_rw(path("r.raw"), &d));
	memset(buf, 0x5a, sizeof(buf));
	CHECK(!dwrite(d, 8192, buf, sizeof(buf)));
	CHECK(!d->ops->discard(d, 8192, 4096));
	CHECK(!dread(d, 8192, buf, sizeof(buf)));
	CHECK(buf[0] == 0 && !memcmp(buf, buf + 1, sizeof(buf) - 1));
	disk_close(d);
}

/* --- tools for tests/cli/img.sh ------------------------------------------ */

static int tool_dump(const char *p)
{
	uint8_t *buf = malloc(1 << 20);
	const char *why;
	struct disk *d;

	if (disk_open(p, DISK_FORMAT_AUTO, true, &d, &why)) {
		fprintf(stderr, "%s: %s\n", p, why);
		return 1;
	}
	for (uint64_t off = 0; off < d->size; off += 1 << 20) {
		uint64_t n =
			d->size - off < (1 << 20) ? d->size - off : 1 << 20;
		struct iovec v = { buf, n };
		int err = d->ops->readv(d, off, &v, 1);

		if (err) {
			fprintf(stderr, "read at %llu: %s\n",
				(unsigned long long)off, strerror(-err));
			return 1;
		}
		fwrite(buf, 1, n, stdout);
	}
	disk_close(d);
	free(buf);
	return 0;
}

/* One random operation on d, mirrored into the raw fd when it is >= 0. */
static int random_op(struct disk *d, int raw, uint8_t *buf, uint64_t maxlen)
{
	uint64_t off = (rnd() % (d->size / 512)) * 512;
	uint64_t len = (rnd() % (maxlen / 512) + 1) * 512;
	int r = (int)(rnd() % 16), err;

	if (len > d->size - off)
		len = d->size - off;
	if (r == 0) {
		err = d->ops->write_zeroes(d, off, len);
		memset(buf, 0, len);
	} else if (r == 1) {
		return d->ops->flush(d);
	} else {
		memset(buf, (int)(rnd() % 255 + 1), len);
		fill(buf, 64);
		err = dwrite(d, off, buf, len);
	}
	if (!err && raw >= 0 &&
	    pwrite(raw, buf, len, (off_t)off) != (ssize_t)len)
		err = -EIO;
	return err;
}

static int tool_write(const char *p, const char *rawp, uint64_t seed,
		      long count)
{
	uint8_t *buf = malloc(1 << 20);
	const char *why;
	struct disk *d;
	int raw = open(rawp, O_WRONLY), err = 0;

	rng_state = seed | 1;
	if (raw < 0 || disk_open(p, DISK_FORMAT_AUTO, false, &d, &why)) {
		fprintf(stderr, "%s: %s\n", p, raw < 0 ? strerror(errno) : why);
		return 1;
	}
	for (long i = 0; i < count && !err; i++)
		err = random_op(d, raw, buf, i % 7 == 0 ? 1 << 20 : 3 * 65536);
	if (err)
		fprintf(stderr, "%s: %s\n", p, strerror(-err));
	disk_close(d);
	close(raw);
	free(buf);
	return err != 0;
}

static int tool_stress(const char *p, uint64_t seed)
{
	uint8_t *buf = malloc(1 << 20);
	const char *why;
	struct disk *d;

	rng_state = seed | 1;
	if (disk_open(p, DISK_FORMAT_AUTO, false, &d, &why)) {
		fprintf(stderr, "%s: %s\n", p, why);
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		if (random_op(d, -1, buf, 256 * 1024))
			return 1;
}

/* Copies the file's bytes as they are now: what a SIGKILL leaves. */
static void copy_file(const char *from, const char *to)
{
	size_t len;
	uint8_t *b = slurp(from, &len);
	FILE *f = fopen(to, "wb");

	CHECK(b && f && fwrite(b, 1, len, f) == len);
	if (f)
		fclose(f);
	free(b);
}

/* Cluster k of the flush test: record i, or zero when none was written. */
static bool holds_record(struct disk *d, uint64_t off, unsigned i, uint8_t *buf,
			 size_t cs)
{
	if (dread(d, off, buf, cs))
		return false;
	for (size_t k = 0; k < cs; k++)
		if (buf[k] != (uint8_t)(i * 7 + k / 512))
			return false;
	return true;
}

/*
 * Mappings of new clusters live in a write-back cache until a flush: more
 * dirty L2 tables than the cache holds (40 tables, 512 MiB apart) go out
 * on eviction; after a flush, a copy of the file taken with the disk still
 * open (as a SIGKILL would leave it) has every record; a copy taken after
 * more writes without a flush opens and still has the flushed records.
 */
static void test_flush_promise(void)
{
	const uint64_t cs = 65536, apart = 512ull << 20, n = 40;
	uint8_t *buf = malloc(cs);
	struct disk *d, *c;
	const char *why;
	unsigned i;

	CHECK(!disk_create(path("fl.qcow2"), DISK_FORMAT_QCOW2, n * apart, NULL,
			   DISK_FORMAT_AUTO, &why));
	if (open_rw(path("fl.qcow2"), &d)) {
		CHECK(0);
		free(buf);
		return;
	}
	for (i = 0; i < n; i++) {
		for (size_t k = 0; k < cs; k++)
			buf[k] = (uint8_t)(i * 7 + k / 512);
		CHECK(!dwrite(d, i * apart + cs, buf, cs));
	}
	CHECK(!d->ops->flush(d));
	copy_file(path("fl.qcow2"), path("fl1.qcow2"));
	if (!open_rw(path("fl1.qcow2"), &c)) {
		for (i = 0; i < n; i++)
			CHECK(holds_record(c, i * apart + cs, i, buf, cs));
		disk_close(c);
	}
	for (i = 0; i < n; i++)
		CHECK(holds_record(d, i * apart + cs, i, buf, cs));
	for (i = 0; i < n; i++) {
		for (size_t k = 0; k < cs; k++)
			buf[k] = (uint8_t)((n + i) * 7 + k / 512);
		CHECK(!dwrite(d, i * apart + 3 * cs, buf, cs));
	}
	copy_file(path("fl.qcow2"), path("fl2.qcow2"));
	if (!open_rw(path("fl2.qcow2"), &c)) {
		for (i = 0; i < n; i++)
			CHECK(holds_record(c, i * apart + cs, i, buf, cs));
		disk_close(c);
	}
	disk_close(d);
	if (!open_rw(path("fl.qcow2"), &d)) {
		for (i = 0; i < n; i++) {
			CHECK(holds_record(d, i * apart + cs, i, buf, cs));
			CHECK(holds_record(d, i * apart + 3 * cs, n + i, buf,
					   cs));
		}
		disk_close(d);
	}
	free(buf);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--dump"))
		return tool_dump(argv[2]);
	if (argc == 6 && !strcmp(argv[1], "--write"))
		return tool_write(argv[2], argv[3], strtoull(argv[4], NULL, 0),
				  strtol(argv[5], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "--stress"))
		return tool_stress(argv[2], strtoull(argv[3], NULL, 0));

	snprintf(dir, sizeof(dir), "/tmp/test_qcow2.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	rng_state = 0x9e3779b97f4a7c15ull;
	test_raw();
	test_random_io(path("io.qcow2"), DISK_FORMAT_QCOW2, 400);
	test_backing_chain();
	test_malformed();
	test_chain_limits();
	test_bad_offsets();
	test_flush_promise();
	if (!unit_failed) {
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd))
			fprintf(stderr, "could not remove %s\n", dir);
	}
	return unit_done("test_qcow2");
}
