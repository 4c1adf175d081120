/*
 * The board: wiring only. Creates RAM and the devices of QEMU's riscv
 * virt machine at the addresses of one memory-map table (machine.c),
 * loads firmware, kernel, initrd and the generated device tree, and runs
 * one host thread per hart. Reboot requests reload the guest and start
 * again; power-off ends the run.
 */
#ifndef MACHINE_MACHINE_H
#define MACHINE_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/engine.h"
#include "cpu/hart.h"
#include "dev/aclint.h"
#include "dev/htif.h"
#include "dev/plic.h"
#include "dev/rtc_goldfish.h"
#include "dev/sifive_test.h"
#include "dev/uart_ns16550a.h"
#include "disk/disk.h"
#include "mem/bus.h"
#include "net/user.h"
#include "virtio/blk.h"
#include "virtio/input.h"
#include "virtio/net.h"
#include "virtio/rng.h"

#define MACHINE_MAX_CPUS 32
#define MACHINE_MIN_MEMORY (1ull << 20)
#define MACHINE_MAX_MEMORY (16ull << 30)
#define MACHINE_TIMEBASE_HZ 10000000
/* virtio-mmio slots: disks first, then the entropy device, the power
 * button and the network card */
#define MACHINE_VIRTIO_SLOTS 8
#define MACHINE_MAX_DISKS (MACHINE_VIRTIO_SLOTS - 3)
#define MACHINE_DEFAULT_BIOS \
	"/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"

struct disk_spec {
	const char *path;
	enum disk_format format;
	bool readonly;
};

struct machine_config {
	const char *kernel;
	const char *initrd;   /* NULL: none */
	const char *append;   /* kernel command line; NULL: none */
	const char *bios;     /* NULL: the default firmware; "none": none */
	const char *dump_dtb; /* write the device tree there and stop */
	unsigned cpus;
	uint64_t memory;
	struct disk_spec disks[MACHINE_MAX_DISKS];
	unsigned ndisks;
	struct net_config net; /* net.enabled: a virtio-net card */
	const struct engine_ops *engine;
	/* console output; NULL writes to stdout */
	void (*console)(void *ctx, const uint8_t *buf, size_t len);
	void *console_ctx;
};

enum machine_request { REQUEST_NONE, REQUEST_POWEROFF, REQUEST_RESET };

struct machine {
	struct machine_config cfg;
	struct bus bus;
	struct hart_platform platform;
	struct hart *harts;
	unsigned nharts;

	struct aclint clint;
	struct plic plic;
	struct uart_ns16550a uart;
	struct rtc_goldfish rtc;
	struct sifive_test test;
	struct virtio_blk blk[MACHINE_MAX_DISKS];
	unsigned nblk;
	struct virtio_rng rng;
	bool has_rng;
	struct virtio_input *input;
	struct virtio_net *net;
	/* every virtio device, in slot order */
	struct virtio_mmio *slots[MACHINE_VIRTIO_SLOTS];
	unsigned nslots;
	struct htif htif;
	bool has_htif;

	uint32_t hart_intc_phandle[MACHINE_MAX_CPUS];
	uint32_t plic_phandle, test_phandle;
	const char *stdout_path;
	uint64_t initrd_start, initrd_end;
	uint64_t tohost, fromhost; /* HTIF symbols of an ELF kernel */

	/* what the guest asked for; the first request wins */
	_Atomic int request;
	uint64_t exit_code;
	unsigned boots;
};

/*
 * The CPU engine called name ("interp" or "jit"), or the default when
 * name is NULL: the JIT where it runs (x86-64 hosts), else the
 * interpreter. Asking for the JIT where it cannot run gives the
 * interpreter and a one-line notice. NULL for an unknown name.
 */
const struct engine_ops *machine_engine(const char *name);

/*
 * Builds the machine and loads the guest. Returns NULL with *why set to a
 * one-line reason and *what to the object it is about (a file name, an
 * option) on failure.
 */
struct machine *machine_create(const struct machine_config *cfg,
			       const char **what, const char **why);
void machine_destroy(struct machine *m);

/* Runs until the guest powers off; returns its exit code (0: success). */
uint64_t machine_run(struct machine *m);

/* Stops the run from any thread (the user quit); exit code 0. */
void machine_stop(struct machine *m);

/* Presses the guest's power button (any thread); false when the guest
 * has no driver for it yet (the press is delivered when it has). */
bool machine_power_button(struct machine *m);

/* Console input for the serial port; blocks while the guest is not
 * reading. Returns false once the machine is going away. */
bool machine_console_input(struct machine *m, const uint8_t *buf, size_t len);

/* Writes the flattened device tree to buf; 0 or -ENOSPC (machine/fdt.c). */
int machine_fdt_build(struct machine *m, void *buf, size_t size);
/* The devices' nodes: under /soc, and at the root (machine.c). */
int machine_fdt_soc_devices(struct machine *m, void *fdt,
			    const struct devtree_refs *refs);
int machine_fdt_root_devices(struct machine *m, void *fdt);

#endif
