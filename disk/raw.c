/*
 * Raw image files: the virtual disk is the file's bytes, its size the
 * file size rounded down to 512. Holes stay holes: discard punches them
 * and write_zeroes asks the file system for zeroed ranges before it falls
 * back to writing zero bytes.
 */
#include "disk/disk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* iovecs handled per preadv/pwritev call */
#define RAW_IOV_BATCH 64
#define RAW_ZERO_CHUNK (1u << 20)

struct raw {
	struct disk disk;
	int fd;
	char *path;
};

static struct raw *to_raw(struct disk *d)
{
	return (struct raw *)d;
}

static size_t iov_total(const struct iovec *iov, int iovcnt)
{
	size_t n = 0;

	for (int i = 0; i < iovcnt; i++)
		n += iov[i].iov_len;
	return n;
}

static int check_range(struct disk *d, uint64_t off, uint64_t len)
{
	if ((off | len) % DISK_SECTOR || off > d->size || len > d->size - off)
		return -EINVAL;
	return 0;
}

/*
 * Transfers the whole iovec at off, resuming after short transfers. A
 * read that meets the end of the file (the file shrank under us) fills
 * the rest with zeroes.
 */
static int raw_xfer(struct raw *r, uint64_t off, const struct iovec *iov,
		    int iovcnt, bool write)
{
	struct iovec batch[RAW_IOV_BATCH];
	int i = 0;
	size_t skip = 0;

	for (;;) {
		int n = 0;
		ssize_t done;

		while (i < iovcnt && iov[i].iov_len == skip) {
			i++;
			skip = 0;
		}
		if (i == iovcnt)
			return 0;

		for (int j = i; j < iovcnt && n < RAW_IOV_BATCH; j++) {
			size_t s = j == i ? skip : 0;

			batch[n].iov_base = (char *)iov[j].iov_base + s;
			batch[n].iov_len = iov[j].iov_len - s;
			n++;
		}
		if (write)
			done = pwritev(r->fd, batch, n, (off_t)off);
		else
			done = preadv(r->fd, batch, n, (off_t)off);
		if (done < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (done == 0) {
			if (write)
				return -EIO;
			for (int j = 0; j < n; j++)
				memset(batch[j].iov_base, 0, batch[j].iov_len);
			i += n;
			skip = 0;
			continue;
		}
		off += (uint64_t)done;
		while (done > 0 && i < iovcnt) {
			size_t left = iov[i].iov_len - skip;

			if ((size_t)done < left) {
				skip += (size_t)done;
				done = 0;
			} else {
				done -= (ssize_t)left;
				i++;
				skip = 0;
			}
		}
	}
}

static int raw_readv(struct disk *d, uint64_t off, const struct iovec *iov,
		     int iovcnt)
{
	int err = check_range(d, off, iov_total(iov, iovcnt));

	return err ? err : raw_xfer(to_raw(d), off, iov, iovcnt, false);
}

static int raw_writev(struct disk *d, uint64_t off, const struct iovec *iov,
		      int iovcnt)
{
	int err;

	if (d->readonly)
		return -EROFS;
	err = check_range(d, off, iov_total(iov, iovcnt));
	return err ? err : raw_xfer(to_raw(d), off, iov, iovcnt, true);
}

static int raw_flush(struct disk *d)
{
	if (d->readonly)
		return 0;
	return fdatasync(to_raw(d)->fd) ? -errno : 0;
}

static int write_zero_bytes(struct raw *r, uint64_t off, uint64_t len)
{
	void *zero = calloc(1, RAW_ZERO_CHUNK);
	int err = 0;

	if (!zero)
		return -ENOMEM;
	while (len && !err) {
		struct iovec v = { zero, len < RAW_ZERO_CHUNK
						 ? len
						 : RAW_ZERO_CHUNK };

		err = raw_xfer(r, off, &v, 1, true);
		off += v.iov_len;
		len -= v.iov_len;
	}
	free(zero);
	return err;
}

static bool fallocate_unsupported(int e)
{
	return e == EOPNOTSUPP || e == ENOSYS || e == EINVAL;
}

static int raw_discard(struct disk *d, uint64_t off, uint64_t len)
{
	struct raw *r = to_raw(d);
	int err;

	if (d->readonly)
		return -EROFS;
	err = check_range(d, off, len);
	if (err || !len)
		return err;
	if (!fallocate(r->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		       (off_t)off, (off_t)len))
		return 0;
	if (!fallocate_unsupported(errno))
		return -errno;
	return write_zero_bytes(r, off, len);
}

static int raw_write_zeroes(struct disk *d, uint64_t off, uint64_t len)
{
	struct raw *r = to_raw(d);
	int err;

	if (d->readonly)
		return -EROFS;
	err = check_range(d, off, len);
	if (err || !len)
		return err;
	if (!fallocate(r->fd, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE,
		       (off_t)off, (off_t)len))
		return 0;
	if (!fallocate_unsupported(errno))
		return -errno;
	return raw_discard(d, off, len);
}

static void raw_close(struct disk *d)
{
	struct raw *r = to_raw(d);

	close(r->fd);
	free(r->path);
	free(r);
}

static void raw_info(struct disk *d, struct disk_info *info)
{
	info->format = DISK_FORMAT_RAW;
	info->path = to_raw(d)->path;
}

static const struct disk_ops raw_ops = {
	.readv = raw_readv,
	.writev = raw_writev,
	.flush = raw_flush,
	.discard = raw_discard,
	.write_zeroes = raw_write_zeroes,
	.close = raw_close,
	.info = raw_info,
};

int raw_open(const char *path, bool readonly, struct disk **out,
	     const char **why)
{
	struct raw *r;
	struct stat st;
	off_t end;
	int fd, err;

	fd = open(path,
		  (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		err = -errno;
		*why = disk_why("%s", strerror(errno));
		return err;
	}
	if (fstat(fd, &st) || !(S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))) {
		*why = disk_why("not a regular file or block device");
		err = -EINVAL;
		goto close_fd;
	}
	/* a second writer would corrupt what a reader or writer sees */
	if (flock(fd, (readonly ? LOCK_SH : LOCK_EX) | LOCK_NB)) {
		err = -errno;
		*why = disk_why("in use by another process (locked)");
		goto close_fd;
	}
	end = lseek(fd, 0, SEEK_END);
	if (end < 0) {
		err = -errno;
		*why = disk_why("%s", strerror(errno));
		goto close_fd;
	}
	if (end < DISK_SECTOR) {
		*why = disk_why(end ? "smaller than one 512-byte sector"
				    : "empty file");
		err = -EINVAL;
		goto close_fd;
	}
	r = calloc(1, sizeof(*r));
	if (!r || !(r->path = strdup(path))) {
		free(r);
		*why = disk_why("%s", strerror(ENOMEM));
		err = -ENOMEM;
		goto close_fd;
	}
	fcntl(fd, F_SETFL, 0);
	r->fd = fd;
	r->disk.ops = &raw_ops;
	r->disk.size = (uint64_t)end & ~(uint64_t)(DISK_SECTOR - 1);
	r->disk.readonly = readonly;
	*out = &r->disk;
	return 0;

close_fd:
	close(fd);
	return err;
}

int raw_create(const char *path, uint64_t size, const char **why)
{
	int fd, err;

	if (size % DISK_SECTOR || size > (uint64_t)INT64_MAX) {
		*why = disk_why("size must be a multiple of 512");
		return -EINVAL;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		err = -errno;
		*why = disk_why("%s", errno == EEXIST ? "already exists"
						      : strerror(errno));
		return err;
	}
	if (ftruncate(fd, (off_t)size) || fsync(fd)) {
		err = -errno;
		*why = disk_why("%s", strerror(errno));
		close(fd);
		unlink(path);
		return err;
	}
	close(fd);
	return 0;
}
