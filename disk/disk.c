/*
 * Opening and creating disk images: format probing (the qcow2 magic
 * "QFI\xfb" at offset 0, else raw), backing-chain depth, the drive serial
 * and the per-thread reason buffer the back ends report through.
 */
#include "disk/disk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static __thread char why_buf[512];

const char *disk_why(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why_buf, sizeof(why_buf), fmt, ap);
	va_end(ap);
	return why_buf;
}

const char *disk_format_name(enum disk_format fmt)
{
	switch (fmt) {
	case DISK_FORMAT_RAW: return "raw";
	case DISK_FORMAT_QCOW2: return "qcow2";
	default: return "auto";
	}
}

static int probe(const char *path, enum disk_format *fmt, const char **why)
{
	unsigned char magic[4];
	ssize_t n;
	int fd;

	/* O_NONBLOCK: a FIFO named as an image must not hang the open */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		*why = disk_why("%s", strerror(errno));
		return -errno;
	}
	n = pread(fd, magic, sizeof(magic), 0);
	close(fd);
	if (n < 0) {
		*why = disk_why("%s", strerror(errno));
		return -errno;
	}
	*fmt = n == 4 && !memcmp(magic, "QFI\xfb", 4) ? DISK_FORMAT_QCOW2
						      : DISK_FORMAT_RAW;
	return 0;
}

static void set_id(struct disk *d, const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	memset(d->id, 0, sizeof(d->id));
	strncpy(d->id, base, sizeof(d->id) - 1);
}

int disk_open_depth(const char *path, enum disk_format fmt, bool readonly,
		    unsigned depth, struct disk **out, const char **why)
{
	int err;

	if (depth > DISK_MAX_CHAIN) {
		*why = disk_why("backing chain longer than %d files",
				DISK_MAX_CHAIN);
		return -ELOOP;
	}
	if (fmt == DISK_FORMAT_AUTO) {
		err = probe(path, &fmt, why);
		if (err)
			return err;
	}
	if (fmt == DISK_FORMAT_QCOW2)
		err = qcow2_open(path, readonly, depth, out, why);
	else if (fmt == DISK_FORMAT_RAW)
		err = raw_open(path, readonly, out, why);
	else {
		*why = disk_why("unknown disk format");
		err = -EINVAL;
	}
	if (!err)
		set_id(*out, path);
	return err;
}

int disk_open(const char *path, enum disk_format fmt, bool readonly,
	      struct disk **out, const char **why)
{
	return disk_open_depth(path, fmt, readonly, 0, out, why);
}

void disk_close(struct disk *d)
{
	if (d)
		d->ops->close(d);
}

void disk_get_info(struct disk *d, struct disk_info *info)
{
	memset(info, 0, sizeof(*info));
	d->ops->info(d, info);
}

/* backing names are relative to the directory of the image naming them */
static char *resolve_backing(const char *image, const char *name)
{
	const char *slash = strrchr(image, '/');
	char *p;

	if (name[0] == '/' || !slash)
		return strdup(name);
	if (asprintf(&p, "%.*s/%s", (int)(slash - image), image, name) < 0)
		return NULL;
	return p;
}

int disk_create(const char *path, enum disk_format fmt, uint64_t size,
		const char *backing, enum disk_format backing_fmt,
		const char **why)
{
	struct disk_info info;
	struct disk *b;
	char inner[256];
	char *bpath;
	int err;

	if (!backing) {
		if (!size) {
			*why = disk_why("a size is needed");
			return -EINVAL;
		}
		if (fmt == DISK_FORMAT_RAW)
			return raw_create(path, size, why);
		return qcow2_create(path, size, NULL, NULL, why);
	}
	if (fmt == DISK_FORMAT_RAW) {
		*why = disk_why("a raw image cannot have a backing file");
		return -EINVAL;
	}
	bpath = resolve_backing(path, backing);
	if (!bpath) {
		*why = disk_why("%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	err = disk_open(bpath, backing_fmt, true, &b, why);
	if (err) {
		/* the deepest file of a chain names itself */
		if (strncmp(*why, "backing file ", 13)) {
			snprintf(inner, sizeof(inner), "%s", *why);
			*why = disk_why("backing file %s: %s", bpath, inner);
		}
		free(bpath);
		return err;
	}
	free(bpath);
	disk_get_info(b, &info);
	if (!size)
		size = b->size;
	err = qcow2_create(path, size, backing, disk_format_name(info.format),
			   why);
	disk_close(b);
	return err;
}
