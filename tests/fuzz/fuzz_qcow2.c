/*
 * libFuzzer target for image files (disk/qcow2.c, disk/raw.c through
 * disk/disk.c): the input is a hostile image file. It is written to a
 * file in a private temporary directory and opened read-only, then
 * read-write; each open that succeeds gets reads, and the read-write one
 * writes, zero writes, discards and a flush, after which the file is
 * opened again and read. An open may fail (that is the point of the
 * header checks); a request may fail with -EIO on a bad table; nothing
 * may crash, hang, leak or touch memory it does not own (ASan, UBSan).
 *
 * Request offsets and lengths come from the last 16 bytes of the input,
 * so the fuzzer steers them too.
 *
 * Built with -DFUZZ_REPLAY instead of -fsanitize=fuzzer, main() runs
 * every file named on the command line, or inside a named directory,
 * through the target once (the saved corpus in the normal test run).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "disk/disk.h"

#define FUZZ_MAX_REQ (256u << 10)

static char img_path[64];
static uint8_t req_buf[FUZZ_MAX_REQ];
static uint64_t rng;

static void fuzz_fail(const char *what)
{
	fprintf(stderr, "fuzz_qcow2: %s\n", what);
	abort();
}

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A sector-aligned request inside the disk: [*off, *off + *len). */
static void pick(struct disk *d, uint64_t *off, uint64_t *len)
{
	uint64_t sectors = d->size / DISK_SECTOR;

	*off = (next() % sectors) * DISK_SECTOR;
	*len = (next() % (FUZZ_MAX_REQ / DISK_SECTOR) + 1) * DISK_SECTOR;
	if (*len > d->size - *off)
		*len = d->size - *off;
}

static void do_read(struct disk *d, uint64_t off, uint64_t len)
{
	struct iovec iov[2] = {
		{ req_buf, len / 2 & ~7ull },
		{ req_buf + (len / 2 & ~7ull), len - (len / 2 & ~7ull) },
	};
	int err = d->ops->readv(d, off, iov, 2);

	if (err && err != -EIO && err != -ENOMEM)
		fuzz_fail("read failed with something other than EIO");
}

static void exercise(struct disk *d, bool write)
{
	uint64_t off, len;
	struct iovec v;

	if (!d->size)
		return;
	if (d->size % DISK_SECTOR)
		fuzz_fail("disk size not a multiple of 512");
	do_read(d, 0, d->size < FUZZ_MAX_REQ ? d->size : FUZZ_MAX_REQ);
	for (int i = 0; i < 4; i++) {
		pick(d, &off, &len);
		do_read(d, off, len);
	}
	if (!write)
		return;
	for (int i = 0; i < 4; i++) {
		pick(d, &off, &len);
		memset(req_buf, 0x5a + i, len);
		v.iov_base = req_buf;
		v.iov_len = len;
		d->ops->writev(d, off, &v, 1);
		do_read(d, off, len);
	}
	pick(d, &off, &len);
	d->ops->write_zeroes(d, off, len);
	pick(d, &off, &len);
	d->ops->discard(d, off, len);
	d->ops->flush(d);
	pick(d, &off, &len);
	d->ops->writev(d, off, &v, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why;
	struct disk *d;
	int fd;

	if (!img_path[0]) {
		/* tmpfs when there is one: fdatasync costs nothing there */
		char dir[] = "/dev/shm/fuzz_qcow2.XXXXXX";

		if (!mkdtemp(dir))
			strcpy(dir, "/tmp/fuzz_qcow2.XXXXXX");
		if (dir[1] == 't' && !mkdtemp(dir))
			fuzz_fail("mkdtemp");
		snprintf(img_path, sizeof(img_path), "%s/img", dir);
	}
	fd = open(img_path, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		fuzz_fail("writing the image");
	close(fd);
	rng = 0x9e3779b97f4a7c15ull;
	for (size_t i = size > 16 ? size - 16 : 0; i < size; i++)
		rng = rng * 31 + data[i] + 1;

	if (!disk_open(img_path, DISK_FORMAT_AUTO, true, &d, &why)) {
		exercise(d, false);
		disk_close(d);
	} else if (!why || !*why || strchr(why, '\n')) {
		fuzz_fail("open failed without a one-line reason");
	}
	if (!disk_open(img_path, DISK_FORMAT_AUTO, false, &d, &why)) {
		exercise(d, true);
		disk_close(d);
		if (!disk_open(img_path, DISK_FORMAT_AUTO, true, &d, &why)) {
			exercise(d, false);
			disk_close(d);
		}
	}
	return 0;
}

#ifdef FUZZ_REPLAY
#include "tests/fuzz/replay.h"

int main(int argc, char **argv)
{
	int status = fuzz_replay_all("fuzz_qcow2", argc, argv);

	if (img_path[0]) {
		unlink(img_path);
		*strrchr(img_path, '/') = 0;
		rmdir(img_path);
	}
	return status;
}
#endif
