/*
 * Guest images: what a managed VM boots. An image is a directory
 * $GASANG_HOME/images/NAME holding image.json (its manifest), a kernel, an
 * initramfs and optionally a base disk (raw or qcow2) that VMs get
 * copy-on-write qcow2 overlays of. `gasang image build` makes them from
 * Debian's archive; a build happens in images/NAME.partial and is renamed
 * into place at the end, so an interrupted build leaves no half image.
 */
#ifndef VM_IMAGE_H
#define VM_IMAGE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IMAGE_DEFAULT "tiny"

struct image {
	char name[64];
	char kernel[PATH_MAX];
	char initrd[PATH_MAX];
	char disk[PATH_MAX]; /* base disk; "" when the image has none */
	char append[512];    /* kernel command line for VMs of this image */
	uint64_t disk_size;  /* virtual size of the base disk, bytes */
	uint64_t host_bytes; /* space the image's files take on the host */
	char built[32];	     /* build time, ISO 8601 UTC */
	char packages[256];  /* the Debian packages it is made of */
	bool ssh; /* runs sshd: VMs get the user's key and a forwarded port */
};

/*
 * Reads image NAME under home (the $GASANG_HOME directory) and checks that
 * its files exist. Returns 0, or -1 with a one-line reason in why (the
 * image is not built, its manifest is corrupt, a file is missing).
 */
int image_load(const char *home, const char *name, struct image *img, char *why,
	       size_t why_len);

/* Progress of a build: step of steps, and what it is doing. */
typedef void image_progress_fn(void *ctx, unsigned step, unsigned steps,
			       const char *what);

/*
 * Builds the tiny image (Debian's kernel and modules, busybox, an
 * initramfs, a small ext4 data disk) under home from the guest assets in
 * assets_dir (scripts/fetch-guest-assets.sh's cache), replacing an
 * existing one only when force. Returns 0, or -1 with why.
 */
int image_build_tiny(const char *home, const char *assets_dir, bool force,
		     image_progress_fn *progress, void *ctx, char *why,
		     size_t why_len);

/*
 * Names of the images under home, sorted; *names is malloc'ed (free each
 * and the array). Returns the count, or -1 with why.
 */
int image_list(const char *home, char ***names, char *why, size_t why_len);

/*
 * Removes image NAME unless a VM under home/vms uses it (its config.json
 * names it in "image"). Returns 0, or -1 with why.
 */
int image_remove(const char *home, const char *name, char *why, size_t why_len);

/* 0 when name is a valid image name: [a-z0-9-], 1 to 63, no leading '-'. */
int image_name_check(const char *name);

#endif
