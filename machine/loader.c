/*
 * Loaders for ELF64 (System V ABI, ELF-64 object file format; RISC-V ELF
 * psABI for EM_RISCV), Linux RISC-V Images and raw files. ELF segments
 * are placed by p_paddr; the ELF symbol table is read only for the HTIF
 * symbols tohost and fromhost.
 */
#include "machine/loader.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef EM_RISCV
#define EM_RISCV 243
#endif

struct file_map {
	const uint8_t *data;
	size_t size;
};

static int map_file(const char *path, struct file_map *m, const char **why)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		*why = strerror(errno);
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		*why = "not a regular file";
		close(fd);
		return -1;
	}
	m->size = (size_t)st.st_size;
	if (m->size == 0) {
		*why = "empty file";
		close(fd);
		return -1;
	}
	m->data = mmap(NULL, m->size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m->data == MAP_FAILED) {
		*why = strerror(errno);
		return -1;
	}
	return 0;
}

/* Is [off, off+len) inside the file? */
static bool in_file(const struct file_map *m, uint64_t off, uint64_t len)
{
	return off <= m->size && len <= m->size - off;
}

static int check_header(const struct file_map *m, const Elf64_Ehdr *eh,
			const char **why)
{
	if (m->size < 4 || memcmp(m->data, ELFMAG, SELFMAG) != 0) {
		*why = "not an ELF file";
		return -1;
	}
	if (m->size < sizeof(Elf64_Ehdr)) {
		*why = "truncated ELF header";
		return -1;
	}
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB) {
		*why = "not a 64-bit little-endian ELF file";
		return -1;
	}
	if (eh->e_machine != EM_RISCV) {
		*why = "not a RISC-V ELF file";
		return -1;
	}
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) {
		*why = "not an executable ELF file";
		return -1;
	}
	if (eh->e_phnum == 0) {
		*why = "ELF file has no program headers";
		return -1;
	}
	if (eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    !in_file(m, eh->e_phoff,
		     (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr))) {
		*why = "truncated or malformed ELF program headers";
		return -1;
	}
	return 0;
}

static int load_segments(struct bus *bus, const struct file_map *m,
			 const Elf64_Ehdr *eh, struct elf_info *info,
			 const char **why)
{
	bool any = false;

	info->lowest = UINT64_MAX;
	info->highest = 0;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;
		uint8_t *dst;

		memcpy(&ph, m->data + eh->e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_filesz > ph.p_memsz) {
			*why = "ELF segment larger in the file than in memory";
			return -1;
		}
		if (!in_file(m, ph.p_offset, ph.p_filesz)) {
			*why = "truncated ELF file (segment past the end)";
			return -1;
		}
		dst = bus_ram_ptr(bus, ph.p_paddr, ph.p_memsz);
		if (!dst) {
			*why = "ELF segment outside guest RAM";
			return -1;
		}
		memcpy(dst, m->data + ph.p_offset, ph.p_filesz);
		memset(dst + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
		bus_notify_range(bus, ph.p_paddr, ph.p_memsz);
		if (ph.p_paddr < info->lowest)
			info->lowest = ph.p_paddr;
		if (ph.p_paddr + ph.p_memsz > info->highest)
			info->highest = ph.p_paddr + ph.p_memsz;
		any = true;
	}
	if (!any) {
		*why = "ELF file has no loadable segments";
		return -1;
	}
	if (!bus_is_ram(bus, eh->e_entry, 2)) {
		*why = "ELF entry point outside guest RAM";
		return -1;
	}
	return 0;
}

/* Finds tohost/fromhost; a malformed symbol table just yields none. */
static void find_htif_symbols(const struct file_map *m, const Elf64_Ehdr *eh,
			      struct elf_info *info)
{
	Elf64_Shdr sh, strsh;

	if (eh->e_shnum == 0 || eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    !in_file(m, eh->e_shoff,
		     (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr)))
		return;
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		memcpy(&sh, m->data + eh->e_shoff + i * sizeof(sh), sizeof(sh));
		if (sh.sh_type != SHT_SYMTAB || sh.sh_link >= eh->e_shnum ||
		    sh.sh_entsize != sizeof(Elf64_Sym) ||
		    !in_file(m, sh.sh_offset, sh.sh_size))
			continue;
		memcpy(&strsh, m->data + eh->e_shoff + sh.sh_link * sizeof(sh),
		       sizeof(strsh));
		if (!in_file(m, strsh.sh_offset, strsh.sh_size))
			continue;
		for (uint64_t j = 0; j < sh.sh_size / sizeof(Elf64_Sym); j++) {
			Elf64_Sym sym;
			const char *name;
			uint64_t maxlen;

			memcpy(&sym, m->data + sh.sh_offset + j * sizeof(sym),
			       sizeof(sym));
			if (sym.st_name >= strsh.sh_size)
				continue;
			name = (const char *)m->data + strsh.sh_offset +
			       sym.st_name;
			maxlen = strsh.sh_size - sym.st_name;
			if (strnlen(name, maxlen) == maxlen)
				continue;
			if (!strcmp(name, "tohost"))
				info->tohost = sym.st_value;
			else if (!strcmp(name, "fromhost"))
				info->fromhost = sym.st_value;
		}
	}
}

static bool is_elf(const struct file_map *m)
{
	return m->size >= SELFMAG && memcmp(m->data, ELFMAG, SELFMAG) == 0;
}

static int load_elf_mapped(struct bus *bus, const struct file_map *m,
			   struct elf_info *info, const char **why)
{
	Elf64_Ehdr eh;

	memset(info, 0, sizeof(*info));
	if (m->size >= sizeof(eh))
		memcpy(&eh, m->data, sizeof(eh));
	else
		memset(&eh, 0, sizeof(eh));
	if (check_header(m, &eh, why))
		return -1;
	if (load_segments(bus, m, &eh, info, why))
		return -1;
	info->entry = eh.e_entry;
	find_htif_symbols(m, &eh, info);
	return 0;
}

int loader_load_elf(struct bus *bus, const char *path, struct elf_info *info,
		    const char **why)
{
	struct file_map m;
	int err;

	if (map_file(path, &m, why))
		return -1;
	err = load_elf_mapped(bus, &m, info, why);
	munmap((void *)m.data, m.size);
	return err;
}

/* Copies the whole file to [addr, addr + size) of RAM. */
static int copy_to_ram(struct bus *bus, const struct file_map *m, uint64_t addr,
		       uint64_t memsz, const char **why)
{
	uint8_t *dst = bus_ram_ptr(bus, addr, memsz);

	if (!dst || memsz < m->size) {
		*why = "does not fit in guest RAM";
		return -1;
	}
	memcpy(dst, m->data, m->size);
	memset(dst + m->size, 0, memsz - m->size);
	bus_notify_range(bus, addr, memsz);
	return 0;
}

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static uint32_t get_le32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

int loader_load_kernel(struct bus *bus, const char *path, uint64_t image_addr,
		       struct kernel_info *info, const char **why)
{
	struct file_map m;
	uint64_t image_size;
	int err = -1;

	memset(info, 0, sizeof(*info));
	if (map_file(path, &m, why))
		return -1;
	if (is_elf(&m)) {
		info->is_elf = true;
		err = load_elf_mapped(bus, &m, &info->elf, why);
		info->entry = info->elf.entry;
		info->start = info->elf.lowest;
		info->end = info->elf.highest;
		goto out_unmap;
	}
	if (m.size < 64 || get_le32(m.data + 56) != LINUX_IMAGE_MAGIC2) {
		*why = "not a RISC-V Linux Image or ELF file";
		goto out_unmap;
	}
	/* image_size covers the bss; 0 means unknown (old kernels) */
	image_size = get_le64(m.data + 16);
	if (image_size == 0)
		image_size = m.size;
	if (image_size < m.size) {
		*why = "malformed Linux Image header (image size)";
		goto out_unmap;
	}
	if (!bus_is_ram(bus, image_addr, image_size)) {
		*why = "the kernel does not fit in guest RAM";
		goto out_unmap;
	}
	err = copy_to_ram(bus, &m, image_addr, image_size, why);
	info->entry = image_addr;
	info->start = image_addr;
	info->end = image_addr + image_size;
out_unmap:
	munmap((void *)m.data, m.size);
	return err;
}

int loader_load_firmware(struct bus *bus, const char *path, uint64_t addr,
			 uint64_t *entry, uint64_t *end, const char **why)
{
	struct file_map m;
	struct elf_info elf;
	int err;

	if (map_file(path, &m, why))
		return -1;
	if (is_elf(&m)) {
		err = load_elf_mapped(bus, &m, &elf, why);
		*entry = elf.entry;
		*end = elf.highest;
	} else {
		err = copy_to_ram(bus, &m, addr, m.size, why);
		*entry = addr;
		*end = addr + m.size;
	}
	munmap((void *)m.data, m.size);
	return err;
}

int loader_load_high(struct bus *bus, const char *path, uint64_t top,
		     uint64_t floor, uint64_t align, uint64_t *start,
		     uint64_t *end, const char **why)
{
	struct file_map m;
	uint64_t at;
	int err = -1;

	if (map_file(path, &m, why))
		return -1;
	if (m.size > top - floor) {
		*why = "too large for guest RAM";
		goto out_unmap;
	}
	at = (top - m.size) & ~(align - 1);
	if (at < floor) {
		*why = "too large for guest RAM";
		goto out_unmap;
	}
	err = copy_to_ram(bus, &m, at, m.size, why);
	*start = at;
	*end = at + m.size;
out_unmap:
	munmap((void *)m.data, m.size);
	return err;
}
