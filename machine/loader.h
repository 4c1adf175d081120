/*
 * Loading guest software into RAM: ELF64 RISC-V executables (bare-metal
 * programs, ELF kernels, firmware ELFs), Linux RISC-V Images (Linux
 * Documentation/arch/riscv/boot-image-header.rst), raw firmware binaries
 * and initrds. Every offset and size read from a file is checked against
 * the file and against RAM before it is used.
 */
#ifndef MACHINE_LOADER_H
#define MACHINE_LOADER_H

#include <stdbool.h>
#include <stdint.h>

#include "mem/bus.h"

struct elf_info {
	uint64_t entry;
	uint64_t lowest, highest;  /* physical range the segments cover */
	uint64_t tohost, fromhost; /* symbol addresses, 0 when absent */
};

/*
 * Loads the ELF file path into RAM at its segments' physical addresses.
 * Returns 0, or -1 with *why set to a one-line reason.
 */
int loader_load_elf(struct bus *bus, const char *path, struct elf_info *info,
		    const char **why);

/* A RISC-V Linux Image starts with this header (little-endian). */
#define LINUX_IMAGE_MAGIC2 0x05435352u /* "RSC\x05" at offset 56 */

struct kernel_info {
	bool is_elf;
	uint64_t entry;
	uint64_t start, end; /* RAM the kernel occupies, bss included */
	struct elf_info elf; /* when is_elf */
};

/*
 * Loads a kernel: an ELF executable at its physical addresses, or a Linux
 * RISC-V Image at image_addr (the header's image_size, which includes
 * the bss, must fit in RAM). Anything else is refused.
 */
int loader_load_kernel(struct bus *bus, const char *path, uint64_t image_addr,
		       struct kernel_info *info, const char **why);

/*
 * Loads firmware: an ELF executable, or a raw binary at addr. *end is the
 * first byte after it.
 */
int loader_load_firmware(struct bus *bus, const char *path, uint64_t addr,
			 uint64_t *entry, uint64_t *end, const char **why);

/*
 * Loads a raw file (an initrd) as high as possible below top, aligned to
 * align, but not below floor. Sets [*start, *end).
 */
int loader_load_high(struct bus *bus, const char *path, uint64_t top,
		     uint64_t floor, uint64_t align, uint64_t *start,
		     uint64_t *end, const char **why);

#endif
