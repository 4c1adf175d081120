/*
 * The board, compatible with QEMU's riscv virt machine (DESIGN.md): the
 * memory map is the table below, the devices are created in a visible
 * order and wired to the PLIC and the harts here, and nowhere else.
 *
 * Boot protocol (OpenSBI fw_dynamic, Linux RISC-V boot requirements):
 * every hart starts at the firmware entry in M-mode with a0 = hart id,
 * a1 = device tree, a2 = struct fw_dynamic_info telling the firmware to
 * continue at the kernel in S-mode. With --bios none the kernel (or
 * bare-metal ELF) starts directly in M-mode with the same a0/a1.
 */
#include "machine/machine.h"

#include <errno.h>
#include <fcntl.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "jit/jit.h"
#include "machine/loader.h"
#include "util/log.h"

enum virt_region {
	VIRT_TEST,
	VIRT_RTC,
	VIRT_CLINT,
	VIRT_PLIC,
	VIRT_UART0,
	VIRT_VIRTIO,
	VIRT_DRAM,
	VIRT_NREGIONS
};

static const struct {
	uint64_t base, size;
} virt_map[VIRT_NREGIONS] = {
	[VIRT_TEST] = { 0x00100000, SIFIVE_TEST_SIZE },
	[VIRT_RTC] = { 0x00101000, RTC_GOLDFISH_SIZE },
	[VIRT_CLINT] = { 0x02000000, ACLINT_SIZE },
	[VIRT_PLIC] = { 0x0c000000, PLIC_SIZE },
	[VIRT_UART0] = { 0x10000000, UART_NS16550A_SIZE },
	/* MACHINE_VIRTIO_SLOTS slots of VIRTIO_MMIO_SIZE each */
	[VIRT_VIRTIO] = { 0x10001000, VIRTIO_MMIO_SIZE },
	[VIRT_DRAM] = { 0x80000000, 0 /* --memory */ },
};

/* PLIC inputs; virtio slot n uses VIRT_IRQ_VIRTIO + n */
enum { VIRT_IRQ_VIRTIO = 1, VIRT_IRQ_UART0 = 10, VIRT_IRQ_RTC = 11 };

static uint64_t virtio_slot_base(unsigned slot)
{
	return virt_map[VIRT_VIRTIO].base + slot * virt_map[VIRT_VIRTIO].size;
}

/* where the kernel goes: 2 MiB above the firmware, as Linux requires */
#define KERNEL_OFFSET 0x200000
/* the device tree lives in the top 64 KiB of RAM, the firmware's boot
 * information in the page below it */
#define FDT_MAX_SIZE 0x10000
#define FW_INFO_SIZE 0x1000

/* OpenSBI's struct fw_dynamic_info (include/sbi/fw_dynamic.h), version 2 */
#define FW_DYNAMIC_INFO_MAGIC 0x4942534full
#define FW_DYNAMIC_INFO_VERSION 2
#define FW_DYNAMIC_NEXT_MODE_S 1
struct fw_dynamic_info {
	uint64_t magic, version, next_addr, next_mode, options, boot_hart;
};

/* --- the CPU engine ------------------------------------------------------- */

const struct engine_ops *machine_engine(const char *name)
{
	const struct engine_ops *jit;
	const char *why;

	if (name && !strcmp(name, "interp"))
		return &interp_engine_ops;
	if (name && strcmp(name, "jit"))
		return NULL;
	jit = jit_engine(&why);
	if (jit)
		return jit;
	if (name)
		log_warn("%s: using the interpreter", why);
	return &interp_engine_ops;
}

/* --- requests from the guest: power-off and reset ------------------------ */

static void request(struct machine *m, int req, uint64_t code)
{
	int none = REQUEST_NONE;

	if (atomic_compare_exchange_strong(&m->request, &none, req))
		m->exit_code = code;
	atomic_store(&m->platform.stop, true);
	for (unsigned i = 0; i < m->nharts; i++)
		hart_kick(&m->harts[i]);
	uart_ns16550a_stop_waiting(&m->uart);
}

/*
 * The host's stop wins over a guest reset in flight: were it dropped
 * like a second guest request, a guest that reboots in a loop would
 * never stop (machine_run would reload it and clear the request).
 */
void machine_stop(struct machine *m)
{
	int reset = REQUEST_RESET;

	if (atomic_compare_exchange_strong(&m->request, &reset,
					   REQUEST_POWEROFF))
		m->exit_code = 0;
	request(m, REQUEST_POWEROFF, 0);
}

static void test_poweroff(void *ctx, int code)
{
	request(ctx, REQUEST_POWEROFF, (uint64_t)code);
}

static void test_reset(void *ctx)
{
	request(ctx, REQUEST_RESET, 0);
}

static void htif_exit(void *ctx, uint64_t code)
{
	request(ctx, REQUEST_POWEROFF, code);
}

/* --- console --------------------------------------------------------------- */

static void console_stdout(void *ctx, const uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t n = write(STDOUT_FILENO, buf, len);

		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

static void uart_tx(void *ctx, const uint8_t *buf, size_t len)
{
	struct machine *m = ctx;

	m->cfg.console(m->cfg.console_ctx, buf, len);
}

static void htif_output(void *ctx, const uint8_t *buf, uint64_t len)
{
	struct machine *m = ctx;

	m->cfg.console(m->cfg.console_ctx, buf, (size_t)len);
}

bool machine_console_input(struct machine *m, const uint8_t *buf, size_t len)
{
	while (len) {
		size_t n;

		if (atomic_load(&m->request) == REQUEST_POWEROFF)
			return false;
		n = uart_ns16550a_receive(&m->uart, buf, len);
		buf += n;
		len -= n;
		if (len)
			uart_ns16550a_wait_rx_space(&m->uart);
	}
	return true;
}

/* --- wiring: CLINT and PLIC outputs to the harts --------------------------- */

static void wire_set_msip(void *ctx, unsigned hart, bool level)
{
	struct machine *m = ctx;

	hart_set_mip(&m->harts[hart], MIP_MSIP, level);
}

static bool wire_get_msip(void *ctx, unsigned hart)
{
	struct machine *m = ctx;

	return (atomic_load(&m->harts[hart].mip) & MIP_MSIP) != 0;
}

static void wire_set_mtimecmp(void *ctx, unsigned hart, uint64_t val)
{
	struct machine *m = ctx;
	struct hart *h = &m->harts[hart];

	__atomic_store_n(&h->mtimecmp, val, __ATOMIC_RELEASE);
	/* also wakes the hart so that it re-arms its deadline */
	hart_set_mip(h, MIP_MTIP, csr_time(h) >= val);
	hart_kick(h);
}

static uint64_t wire_get_mtimecmp(void *ctx, unsigned hart)
{
	struct machine *m = ctx;

	return __atomic_load_n(&m->harts[hart].mtimecmp, __ATOMIC_ACQUIRE);
}

static uint64_t wire_get_mtime(void *ctx)
{
	struct machine *m = ctx;

	return csr_time(&m->harts[0]);
}

static void wire_set_mtime(void *ctx, uint64_t val)
{
	struct machine *m = ctx;
	int64_t now = m->platform.time_origin_ns +
		      (int64_t)csr_time(&m->harts[0]) * 100;

	__atomic_store_n(&m->platform.time_origin_ns, now - (int64_t)val * 100,
			 __ATOMIC_RELEASE);
	for (unsigned i = 0; i < m->nharts; i++)
		hart_kick(&m->harts[i]);
}

/* PLIC context 2h is hart h's M-mode, 2h + 1 its S-mode. */
static void wire_plic_ext(void *ctx, unsigned context, bool level)
{
	struct machine *m = ctx;

	hart_set_mip(&m->harts[context / 2],
		     (context & 1) ? MIP_SEIP : MIP_MEIP, level);
}

static int add_region(struct machine *m, struct mmio_region r)
{
	return bus_add_region(&m->bus, &r);
}

static int create_devices(struct machine *m)
{
	const struct aclint_wires wires = {
		.ctx = m,
		.set_msip = wire_set_msip,
		.get_msip = wire_get_msip,
		.set_mtimecmp = wire_set_mtimecmp,
		.get_mtimecmp = wire_get_mtimecmp,
		.get_mtime = wire_get_mtime,
		.set_mtime = wire_set_mtime,
	};
	struct irq_line line;
	int err;

	for (unsigned i = 0; i < m->nharts; i++)
		m->hart_intc_phandle[i] = 1 + i;
	m->plic_phandle = 1 + m->nharts;
	m->test_phandle = 2 + m->nharts;

	err = plic_init(&m->plic, m->nharts, wire_plic_ext, m);
	if (err)
		return err;
	line = plic_irq_line(&m->plic, VIRT_IRQ_UART0);
	err = uart_ns16550a_init(&m->uart, &line, uart_tx, m);
	if (err)
		goto err_plic;
	line = plic_irq_line(&m->plic, VIRT_IRQ_RTC);
	err = rtc_goldfish_init(&m->rtc, &line);
	if (err)
		goto err_uart;
	sifive_test_init(&m->test, m->test_phandle, test_poweroff, test_reset,
			 m);
	aclint_init(&m->clint, m->nharts, &wires);

	err = add_region(
		m, sifive_test_region(&m->test, virt_map[VIRT_TEST].base));
	err = err
		      ?: add_region(m,
				    rtc_goldfish_region(
					    &m->rtc, virt_map[VIRT_RTC].base));
	err = err
		      ?: add_region(m,
				    aclint_region(&m->clint,
						  virt_map[VIRT_CLINT].base));
	err = err
		      ?: add_region(m, plic_region(&m->plic,
						   virt_map[VIRT_PLIC].base));
	err = err
		      ?: add_region(m, uart_ns16550a_region(
					       &m->uart,
					       virt_map[VIRT_UART0].base));
	if (err)
		goto err_rtc;
	m->stdout_path = "/soc/serial@10000000";
	return 0;

err_rtc:
	rtc_goldfish_destroy(&m->rtc);
err_uart:
	uart_ns16550a_destroy(&m->uart);
err_plic:
	plic_destroy(&m->plic);
	return err;
}

/* Maps the next virtio-mmio slot to t. */
static int add_virtio_slot(struct machine *m, struct virtio_mmio *t)
{
	if (m->nslots == MACHINE_VIRTIO_SLOTS)
		return -ENOSPC;
	if (add_region(m, virtio_mmio_region(t, virtio_slot_base(m->nslots))))
		return -ENOMEM;
	m->slots[m->nslots++] = t;
	return 0;
}

static struct irq_line next_virtio_irq(struct machine *m)
{
	return plic_irq_line(&m->plic, VIRT_IRQ_VIRTIO + m->nslots);
}

/*
 * The virtio devices, in slot order: one virtio-blk per --disk (so the
 * first disk is the guest's vda), virtio-rng, the power button, then
 * virtio-net with --net.
 */
static int create_virtio(struct machine *m, const char **what, const char **why)
{
	struct irq_line line;

	for (unsigned i = 0; i < m->cfg.ndisks; i++) {
		const struct disk_spec *spec = &m->cfg.disks[i];
		struct disk *disk;

		*what = spec->path;
		if (disk_open(spec->path, spec->format, spec->readonly, &disk,
			      why))
			return -1;
		line = next_virtio_irq(m);
		if (virtio_blk_init(&m->blk[i], &m->bus, &line, disk)) {
			disk_close(disk);
			*why = "cannot start its virtio-blk device";
			return -1;
		}
		m->nblk++;
		if (add_virtio_slot(m, &m->blk[i].transport)) {
			*why = "cannot map its virtio-blk device";
			return -1;
		}
	}
	*what = "virtio-rng";
	line = next_virtio_irq(m);
	if (virtio_rng_init(&m->rng, &m->bus, &line)) {
		*why = "cannot start";
		return -1;
	}
	m->has_rng = true;
	if (add_virtio_slot(m, &m->rng.transport)) {
		*why = "cannot map";
		return -1;
	}
	*what = "virtio-input";
	line = next_virtio_irq(m);
	m->input = virtio_input_create(&m->bus, &line);
	if (!m->input) {
		*why = "cannot start the power button";
		return -1;
	}
	if (add_virtio_slot(m, virtio_input_transport(m->input))) {
		*why = "cannot map";
		return -1;
	}
	if (!m->cfg.net.enabled)
		return 0;
	*what = "--net";
	line = next_virtio_irq(m);
	m->net = virtio_net_create(&m->bus, &line, &m->cfg.net, why);
	if (!m->net)
		return -1;
	if (add_virtio_slot(m, virtio_net_transport(m->net))) {
		*why = "cannot map the virtio-net device";
		return -1;
	}
	return 0;
}

static void destroy_virtio(struct machine *m)
{
	for (unsigned i = 0; i < m->nblk; i++)
		virtio_blk_destroy(&m->blk[i]);
	m->nblk = 0;
	if (m->has_rng)
		virtio_rng_destroy(&m->rng);
	m->has_rng = false;
	if (m->input)
		virtio_input_destroy(m->input);
	m->input = NULL;
	if (m->net)
		virtio_net_destroy(m->net);
	m->net = NULL;
	m->nslots = 0;
}

bool machine_power_button(struct machine *m)
{
	return m->input && virtio_input_power_button(m->input);
}

static void destroy_devices(struct machine *m)
{
	destroy_virtio(m);
	rtc_goldfish_destroy(&m->rtc);
	uart_ns16550a_destroy(&m->uart);
	plic_destroy(&m->plic);
}

int machine_fdt_soc_devices(struct machine *m, void *fdt,
			    const struct devtree_refs *refs)
{
	int err;

	err = sifive_test_fdt(&m->test, fdt, virt_map[VIRT_TEST].base, refs);
	err = err
		      ?: rtc_goldfish_fdt(&m->rtc, fdt, virt_map[VIRT_RTC].base,
					  refs);
	err = err
		      ?: uart_ns16550a_fdt(&m->uart, fdt,
					   virt_map[VIRT_UART0].base, refs);
	err = err ?: plic_fdt(&m->plic, fdt, virt_map[VIRT_PLIC].base, refs);
	err = err
		      ?: aclint_fdt(&m->clint, fdt, virt_map[VIRT_CLINT].base,
				    refs);
	for (unsigned i = 0; i < m->nslots && !err; i++)
		err = virtio_mmio_fdt(m->slots[i], fdt, virtio_slot_base(i),
				      refs);
	return err;
}

int machine_fdt_root_devices(struct machine *m, void *fdt)
{
	return sifive_test_fdt_syscon(fdt, m->test_phandle);
}

/* --- loading --------------------------------------------------------------- */

static int64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static bool bios_none(const struct machine_config *cfg)
{
	return cfg->bios && !strcmp(cfg->bios, "none");
}

static int write_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	if (close(fd) || n != (ssize_t)len)
		return -EIO;
	return 0;
}

/*
 * Puts firmware, kernel, initrd, boot information and device tree in RAM
 * and points the harts at the entry. Used at creation and on reboot.
 */
static int load_guest(struct machine *m, const char **what, const char **why)
{
	const struct machine_config *cfg = &m->cfg;
	uint64_t ram = m->bus.ram_base, top = ram + m->bus.ram_size;
	uint64_t entry, fw_end = ram, fdt_addr = 0, info_addr = 0;
	struct kernel_info kernel = { 0 };
	static uint8_t fdt[FDT_MAX_SIZE];
	bool firmware = !bios_none(cfg);
	uint64_t floor;

	/* a reset starts from zeroed RAM, as after power-on */
	madvise(m->bus.ram, m->bus.ram_size, MADV_DONTNEED);
	bus_notify_range(&m->bus, ram, m->bus.ram_size);
	m->initrd_start = m->initrd_end = 0;

	if (firmware) {
		*what = cfg->bios ? cfg->bios : MACHINE_DEFAULT_BIOS;
		if (loader_load_firmware(&m->bus, *what, ram, &entry, &fw_end,
					 why))
			return -1;
		if (fw_end > ram + KERNEL_OFFSET) {
			*why = "firmware larger than 2 MiB overlaps the kernel";
			return -1;
		}
	}
	if (cfg->kernel) {
		*what = cfg->kernel;
		if (loader_load_kernel(&m->bus, cfg->kernel,
				       ram + KERNEL_OFFSET, &kernel, why))
			return -1;
		if (!firmware)
			entry = kernel.entry;
		m->tohost = kernel.elf.tohost;
		m->fromhost = kernel.elf.fromhost;
	} else if (!firmware) {
		entry = ram;
	}
	floor = kernel.end > fw_end ? kernel.end : fw_end;
	floor = (floor + GUEST_PAGE_SIZE - 1) & ~(GUEST_PAGE_SIZE - 1);

	/* the device tree and boot information at the top, if they fit */
	if (m->bus.ram_size >= FDT_MAX_SIZE + FW_INFO_SIZE &&
	    top - FDT_MAX_SIZE - FW_INFO_SIZE >= floor) {
		fdt_addr = top - FDT_MAX_SIZE;
		info_addr = fdt_addr - FW_INFO_SIZE;
	} else if (firmware || cfg->initrd) {
		*what = cfg->kernel;
		*why = "no room in guest RAM for the device tree";
		return -1;
	}
	if (cfg->initrd) {
		*what = cfg->initrd;
		if (loader_load_high(&m->bus, cfg->initrd, info_addr, floor,
				     GUEST_PAGE_SIZE, &m->initrd_start,
				     &m->initrd_end, why))
			return -1;
	}
	if (fdt_addr) {
		if (machine_fdt_build(m, fdt, sizeof(fdt))) {
			*what = "device tree";
			*why = "too large";
			return -1;
		}
		memcpy(bus_ram_ptr(&m->bus, fdt_addr, FDT_MAX_SIZE), fdt,
		       FDT_MAX_SIZE);
		bus_notify_range(&m->bus, fdt_addr, FDT_MAX_SIZE);
	}
	if (firmware) {
		struct fw_dynamic_info info = {
			.magic = FW_DYNAMIC_INFO_MAGIC,
			.version = FW_DYNAMIC_INFO_VERSION,
			.next_addr = ram + KERNEL_OFFSET,
			.next_mode = FW_DYNAMIC_NEXT_MODE_S,
			.options = 0,
			.boot_hart = ~0ull, /* any hart may boot */
		};

		memcpy(bus_ram_ptr(&m->bus, info_addr, sizeof(info)), &info,
		       sizeof(info));
	}
	for (unsigned i = 0; i < m->nharts; i++) {
		struct hart *h = &m->harts[i];

		hart_reset(h, entry);
		h->x[10] = i;
		h->x[11] = fdt_addr;
		h->x[12] = info_addr;
	}
	return 0;
}

static int dump_dtb(struct machine *m, const char **what, const char **why)
{
	static uint8_t fdt[FDT_MAX_SIZE];

	*what = m->cfg.dump_dtb;
	if (machine_fdt_build(m, fdt, sizeof(fdt))) {
		*why = "device tree too large";
		return -1;
	}
	if (write_file(m->cfg.dump_dtb, fdt, fdt_totalsize(fdt))) {
		*why = strerror(errno);
		return -1;
	}
	return 0;
}

struct machine *machine_create(const struct machine_config *cfg,
			       const char **what, const char **why)
{
	struct machine *m = calloc(1, sizeof(*m));
	unsigned i;

	*what = NULL;
	if (!m) {
		*why = "out of memory";
		return NULL;
	}
	m->cfg = *cfg;
	if (!m->cfg.console)
		m->cfg.console = console_stdout;
	if (bus_init(&m->bus, virt_map[VIRT_DRAM].base, cfg->memory,
		     cfg->engine->shared_ram && cfg->engine->shared_ram())) {
		*why = "cannot map guest RAM";
		goto err_free;
	}
	m->platform.icount = getenv("GASANG_ICOUNT") != NULL;
	m->platform.time_origin_ns = m->platform.icount ? 0 : monotonic_ns();
	m->platform.nharts = cfg->cpus;
	m->harts = calloc(cfg->cpus, sizeof(*m->harts));
	if (!m->harts) {
		*why = "out of memory";
		goto err_bus;
	}
	for (i = 0; i < cfg->cpus; i++) {
		if (hart_init(&m->harts[i], &m->bus, &m->platform, i))
			break;
		if (cfg->engine->init(&m->harts[i])) {
			hart_destroy(&m->harts[i]);
			break;
		}
	}
	m->nharts = i;
	if (i < cfg->cpus) {
		*why = "cannot create the vCPUs";
		goto err_harts;
	}
	if (create_devices(m)) {
		*why = "cannot create the devices";
		goto err_harts;
	}
	if (create_virtio(m, what, why))
		goto err_devices;
	if (cfg->dump_dtb) {
		if (dump_dtb(m, what, why))
			goto err_devices;
		return m;
	}
	if (load_guest(m, what, why))
		goto err_devices;
	if (m->tohost) {
		if (htif_init(&m->htif, &m->bus, m->tohost, m->fromhost)) {
			*why = "tohost symbol outside guest RAM";
			goto err_devices;
		}
		m->htif.output = htif_output;
		m->htif.output_ctx = m;
		m->htif.exit = htif_exit;
		m->htif.exit_ctx = m;
		m->has_htif = true;
	}
	return m;

err_devices:
	destroy_devices(m);
err_harts:
	for (i = 0; i < m->nharts; i++) {
		cfg->engine->destroy(&m->harts[i]);
		hart_destroy(&m->harts[i]);
	}
	free(m->harts);
err_bus:
	bus_destroy(&m->bus);
err_free:
	free(m);
	return NULL;
}

void machine_destroy(struct machine *m)
{
	destroy_devices(m);
	for (unsigned i = 0; i < m->nharts; i++) {
		m->cfg.engine->destroy(&m->harts[i]);
		hart_destroy(&m->harts[i]);
	}
	free(m->harts);
	bus_destroy(&m->bus);
	free(m);
}

/* --- running ----------------------------------------------------------------- */

struct hart_thread {
	struct machine *m;
	struct hart *h;
	pthread_t tid;
};

static void *hart_thread_main(void *arg)
{
	struct hart_thread *t = arg;

	t->m->cfg.engine->run(t->h);
	return NULL;
}

/* Runs every hart until one of them (or a device) stops the machine. */
static void run_harts(struct machine *m)
{
	struct hart_thread threads[MACHINE_MAX_CPUS];
	unsigned started = 0;

	/* hart 0 runs on this thread; the others on their own */
	for (unsigned i = 1; i < m->nharts; i++) {
		threads[i] = (struct hart_thread){ m, &m->harts[i], 0 };
		if (pthread_create(&threads[i].tid, NULL, hart_thread_main,
				   &threads[i])) {
			log_error("cannot start vCPU %u", i);
			request(m, REQUEST_POWEROFF, 1);
			break;
		}
		started = i;
	}
	m->cfg.engine->run(&m->harts[0]);
	atomic_store(&m->platform.stop, true);
	for (unsigned i = 1; i <= started; i++) {
		hart_kick(&m->harts[i]);
		pthread_join(threads[i].tid, NULL);
	}
}

uint64_t machine_run(struct machine *m)
{
	const char *what, *why;

	for (;;) {
		int reset = REQUEST_RESET;

		m->boots++;
		run_harts(m);
		if (atomic_load(&m->request) != REQUEST_RESET)
			break;
		/* reboot: devices and RAM as at power-on, the guest reloaded */
		plic_reset(&m->plic);
		uart_ns16550a_reset(&m->uart);
		for (unsigned i = 0; i < m->nslots; i++)
			virtio_mmio_reset(m->slots[i]);
		if (load_guest(m, &what, &why)) {
			log_error("reboot: %s: %s", what, why);
			return 1;
		}
		/*
		 * stop is cleared first: a machine_stop from now on either
		 * turns the request into a power-off, which the exchange
		 * sees, or sets stop again after it, which the harts see.
		 */
		atomic_store(&m->platform.stop, false);
		if (!atomic_compare_exchange_strong(&m->request, &reset,
						    REQUEST_NONE))
			break;
	}
	return m->exit_code;
}
