/*
 * Loading guest software into RAM: ELF64 RISC-V executables (bare-metal
 * programs, ELF kernels). Every offset and size read from the file is
 * checked against the file and against RAM before it is used.
 */
#ifndef MACHINE_LOADER_H
#define MACHINE_LOADER_H

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

#endif
