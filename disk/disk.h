/*
 * Host block back ends behind one interface: a virtual disk of a fixed
 * size in bytes, read and written at byte offsets that are multiples of
 * 512. Back ends: raw files (disk/raw.c) and qcow2 version 3 images with
 * backing chains (disk/qcow2.c). disk/ knows nothing of virtio.
 *
 * Errors are -errno. A write returns once the data is in the back end's
 * file (page cache); flush makes everything written so far durable
 * (fdatasync, with qcow2 metadata ordered first). Only flush promises
 * anything across a crash: qcow2 keeps new cluster mappings in memory
 * until a flush, so a process that dies loses unflushed writes, never
 * the image's consistency.
 */
#ifndef DISK_DISK_H
#define DISK_DISK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#define DISK_SECTOR 512

struct disk;
struct disk_info;

struct disk_ops {
	int (*readv)(struct disk *d, uint64_t off, const struct iovec *iov,
		     int iovcnt);
	int (*writev)(struct disk *d, uint64_t off, const struct iovec *iov,
		      int iovcnt);
	int (*flush)(struct disk *d);
	/* the range may read back as zeroes afterwards (discard) or must
	 * (write_zeroes) */
	int (*discard)(struct disk *d, uint64_t off, uint64_t len);
	int (*write_zeroes)(struct disk *d, uint64_t off, uint64_t len);
	void (*close)(struct disk *d);
	/* fills what `gasang img info` shows; see struct disk_info */
	void (*info)(struct disk *d, struct disk_info *info);
};

struct disk {
	const struct disk_ops *ops;
	uint64_t size; /* bytes, a multiple of 512 */
	bool readonly;
	char id[21]; /* VIRTIO_BLK_T_GET_ID: serial, NUL-padded */
};

enum disk_format { DISK_FORMAT_AUTO, DISK_FORMAT_RAW, DISK_FORMAT_QCOW2 };

/*
 * Opens path. AUTO probes the qcow2 magic. Returns 0 with *out set, or
 * -errno with *why set to a one-line reason (bad header, unsupported
 * feature, backing file missing, ...).
 */
int disk_open(const char *path, enum disk_format fmt, bool readonly,
	      struct disk **out, const char **why);
void disk_close(struct disk *d);

/* What an open disk is; strings and backing belong to the disk. */
struct disk_info {
	enum disk_format format;
	const char *path;	  /* the file, as opened */
	unsigned version;	  /* qcow2 version; 0 for raw */
	uint64_t cluster_size;	  /* 0 for raw */
	const char *backing_name; /* as recorded in the image, or NULL */
	struct disk *backing;	  /* the open backing disk, or NULL */
};
void disk_get_info(struct disk *d, struct disk_info *info);
const char *disk_format_name(enum disk_format fmt);

/*
 * Creates a new image (refuses an existing path): raw is sparse, qcow2 is
 * version 3 with 64 KiB clusters and 16-bit refcounts. backing (qcow2
 * only) is recorded as given and resolved like an image's backing name,
 * relative to path's directory; it must open as backing_fmt (AUTO
 * probes), and its format is recorded. size 0 with a backing file takes
 * the backing file's size. Returns 0 or -errno with *why set.
 */
int disk_create(const char *path, enum disk_format fmt, uint64_t size,
		const char *backing, enum disk_format backing_fmt,
		const char **why);

/* --- for the back ends (disk/raw.c, disk/qcow2.c) ----------------------- */

/* longest backing chain: an image and up to this many backing files */
#define DISK_MAX_CHAIN 16

/* disk_open for a file depth levels down a backing chain */
int disk_open_depth(const char *path, enum disk_format fmt, bool readonly,
		    unsigned depth, struct disk **out, const char **why);
/*
 * Formats a reason into a per-thread buffer and returns it: valid until
 * the next disk_why on the thread, so nest by copying first.
 */
const char *disk_why(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

int raw_open(const char *path, bool readonly, struct disk **out,
	     const char **why);
int raw_create(const char *path, uint64_t size, const char **why);
int qcow2_open(const char *path, bool readonly, unsigned depth,
	       struct disk **out, const char **why);
int qcow2_create(const char *path, uint64_t size, const char *backing,
		 const char *backing_fmt, const char **why);

#endif
