/*
 * Guest images: what a managed VM boots. An image is a directory
 * $GASANG_HOME/images/NAME holding image.json (its manifest), a kernel, an
 * initramfs and optionally a qcow2 base disk that VMs get copy-on-write
 * overlays of. `gasang image build` makes them from Debian's archive.
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
	char disk[PATH_MAX]; /* qcow2 base; "" when the image has none */
	char append[512];    /* kernel command line for VMs of this image */
	uint64_t disk_size;  /* virtual size of the base disk, bytes */
};

/*
 * Reads image NAME under home (the $GASANG_HOME directory) and checks that
 * its files exist. Returns 0, or -1 with a one-line reason in why (the
 * image is not built, its manifest is corrupt, a file is missing).
 */
int image_load(const char *home, const char *name, struct image *img,
	       char *why, size_t why_len);

#endif
