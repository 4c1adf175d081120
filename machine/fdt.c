/*
 * The device tree handed to the firmware and the kernel, generated at
 * start with libfdt's sequential-write API. The board writes the root,
 * /chosen, /memory and /cpus; each device writes its own node under /soc.
 * Bindings: Linux Documentation/devicetree/bindings (riscv/cpus.yaml,
 * riscv/extensions.yaml, chosen.yaml); layout as QEMU's virt board.
 */
#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "machine/machine.h"

/* What the harts implement, for riscv,isa and riscv,isa-extensions. */
static const char isa_string[] =
	"rv64imafdc_zicntr_zicsr_zifencei_zba_zbb_zbs_zicond_sstc";
static const char *const isa_extensions[] = {
	"i",	 "m",	     "a",   "f",   "d",	  "c",	    "zicntr",
	"zicsr", "zifencei", "zba", "zbb", "zbs", "zicond", "sstc",
};

static int prop_u64_pair(void *fdt, const char *name, uint64_t a, uint64_t b)
{
	fdt32_t v[4] = { cpu_to_fdt32(a >> 32), cpu_to_fdt32(a),
			 cpu_to_fdt32(b >> 32), cpu_to_fdt32(b) };

	return fdt_property(fdt, name, v, sizeof(v));
}

static int prop_stringlist(void *fdt, const char *name, const char *const *list,
			   size_t n)
{
	char buf[256];
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(list[i]) + 1;

		if (len + l > sizeof(buf))
			return -FDT_ERR_NOSPACE;
		memcpy(buf + len, list[i], l);
		len += l;
	}
	return fdt_property(fdt, name, buf, (int)len);
}

static int write_chosen(struct machine *m, void *fdt)
{
	uint8_t seed[64];
	int err;

	err = fdt_begin_node(fdt, "chosen");
	if (m->cfg.append)
		err = err
			      ?: fdt_property_string(fdt, "bootargs",
						     m->cfg.append);
	err = err ?: fdt_property_string(fdt, "stdout-path", m->stdout_path);
	if (m->initrd_end > m->initrd_start) {
		err = err
			      ?: fdt_property_u64(fdt, "linux,initrd-start",
						  m->initrd_start);
		err = err
			      ?: fdt_property_u64(fdt, "linux,initrd-end",
						  m->initrd_end);
	}
	/* entropy for the kernel's early random pool */
	if (getrandom(seed, sizeof(seed), GRND_NONBLOCK) == sizeof(seed))
		err = err ?: fdt_property(fdt, "rng-seed", seed, sizeof(seed));
	return err ?: fdt_end_node(fdt);
}

static int write_cpus(struct machine *m, void *fdt)
{
	char name[32];
	int err;

	err = fdt_begin_node(fdt, "cpus");
	err = err ?: fdt_property_u32(fdt, "#address-cells", 1);
	err = err ?: fdt_property_u32(fdt, "#size-cells", 0);
	err = err
		      ?: fdt_property_u32(fdt, "timebase-frequency",
					  MACHINE_TIMEBASE_HZ);
	for (unsigned i = 0; i < m->nharts && !err; i++) {
		snprintf(name, sizeof(name), "cpu@%u", i);
		err = fdt_begin_node(fdt, name);
		err = err ?: fdt_property_string(fdt, "device_type", "cpu");
		err = err ?: fdt_property_u32(fdt, "reg", i);
		err = err ?: fdt_property_string(fdt, "status", "okay");
		err = err ?: fdt_property_string(fdt, "compatible", "riscv");
		err = err ?: fdt_property_string(fdt, "riscv,isa", isa_string);
		err = err
			      ?: fdt_property_string(fdt, "riscv,isa-base",
						     "rv64i");
		err = err
			      ?: prop_stringlist(
					 fdt, "riscv,isa-extensions",
					 isa_extensions,
					 sizeof(isa_extensions) /
						 sizeof(isa_extensions[0]));
		err = err ?: fdt_property_string(fdt, "mmu-type", "riscv,sv57");
		err = err ?: fdt_begin_node(fdt, "interrupt-controller");
		err = err ?: fdt_property_u32(fdt, "#interrupt-cells", 1);
		err = err ?: fdt_property(fdt, "interrupt-controller", NULL, 0);
		err = err
			      ?: fdt_property_string(fdt, "compatible",
						     "riscv,cpu-intc");
		err = err
			      ?: fdt_property_u32(fdt, "phandle",
						  m->hart_intc_phandle[i]);
		err = err ?: fdt_end_node(fdt);
		err = err ?: fdt_end_node(fdt);
	}
	return err ?: fdt_end_node(fdt);
}

int machine_fdt_build(struct machine *m, void *buf, size_t size)
{
	const struct devtree_refs refs = {
		.plic_phandle = m->plic_phandle,
		.hart_intc_phandles = m->hart_intc_phandle,
		.nharts = m->nharts,
	};
	char name[48];
	int err;

	err = fdt_create(buf, (int)size);
	err = err ?: fdt_finish_reservemap(buf);
	err = err ?: fdt_begin_node(buf, "");
	err = err ?: fdt_property_u32(buf, "#address-cells", 2);
	err = err ?: fdt_property_u32(buf, "#size-cells", 2);
	err = err ?: fdt_property_string(buf, "compatible", "riscv-virtio");
	err = err ?: fdt_property_string(buf, "model", "riscv-virtio,gasang");
	err = err ?: write_chosen(m, buf);
	snprintf(name, sizeof(name), "memory@%llx",
		 (unsigned long long)m->bus.ram_base);
	err = err ?: fdt_begin_node(buf, name);
	err = err ?: fdt_property_string(buf, "device_type", "memory");
	err = err
		      ?: prop_u64_pair(buf, "reg", m->bus.ram_base,
				       m->bus.ram_size);
	err = err ?: fdt_end_node(buf);
	err = err ?: write_cpus(m, buf);
	err = err ?: machine_fdt_root_devices(m, buf);
	err = err ?: fdt_begin_node(buf, "soc");
	err = err ?: fdt_property_u32(buf, "#address-cells", 2);
	err = err ?: fdt_property_u32(buf, "#size-cells", 2);
	err = err ?: fdt_property_string(buf, "compatible", "simple-bus");
	err = err ?: fdt_property(buf, "ranges", NULL, 0);
	err = err ?: machine_fdt_soc_devices(m, buf, &refs);
	err = err ?: fdt_end_node(buf);
	err = err ?: fdt_end_node(buf);
	err = err ?: fdt_finish(buf);
	return err ? -ENOSPC : 0;
}
