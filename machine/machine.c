/*
 * The board, compatible with QEMU's riscv virt machine (DESIGN.md). For
 * now: RAM and, for bare-metal ELF programs, HTIF at the program's
 * tohost symbol. Devices join the memory map table as they are written.
 */
#include "machine/machine.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "machine/loader.h"

enum virt_region { VIRT_CLINT, VIRT_DRAM, VIRT_NREGIONS };

static const struct {
	uint64_t base, size;
} virt_map[VIRT_NREGIONS] = {
	[VIRT_CLINT] = { 0x02000000, ACLINT_SIZE },
	[VIRT_DRAM] = { 0x80000000, 0 /* --memory */ },
};

/* --- ACLINT wiring: msip and mtimecmp drive each hart's MSIP and MTIP -- */

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

static int add_clint(struct machine *m)
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
	struct mmio_region r;

	aclint_init(&m->clint, m->nharts, &wires);
	r = aclint_region(&m->clint, virt_map[VIRT_CLINT].base);
	return bus_add_region(&m->bus, &r);
}

static void console_stdout(void *ctx, const uint8_t *buf, uint64_t len)
{
	while (len) {
		ssize_t n = write(STDOUT_FILENO, buf, len);

		if (n <= 0)
			return;
		buf += n;
		len -= (uint64_t)n;
	}
}

void machine_stop(struct machine *m)
{
	atomic_store(&m->platform.stop, true);
	for (unsigned i = 0; i < m->nharts; i++)
		hart_kick(&m->harts[i]);
}

static void htif_exit(void *ctx, uint64_t code)
{
	struct machine *m = ctx;

	if (!atomic_exchange(&m->exited, true))
		m->exit_code = code;
	machine_stop(m);
}

static int64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

struct machine *machine_create(const struct machine_config *cfg,
			       const char **why)
{
	struct machine *m = calloc(1, sizeof(*m));
	struct elf_info elf;
	unsigned i;

	if (!m) {
		*why = "out of memory";
		return NULL;
	}
	m->cfg = *cfg;
	if (!m->cfg.console)
		m->cfg.console = console_stdout;
	if (bus_init(&m->bus, virt_map[VIRT_DRAM].base, cfg->memory)) {
		*why = "cannot map guest RAM";
		goto err_free;
	}
	m->platform.time_origin_ns = monotonic_ns();
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
	if (add_clint(m)) {
		*why = "cannot map the devices";
		goto err_harts;
	}
	if (loader_load_elf(&m->bus, cfg->kernel, &elf, why))
		goto err_harts;
	if (elf.tohost) {
		if (htif_init(&m->htif, &m->bus, elf.tohost, elf.fromhost)) {
			*why = "tohost symbol outside guest RAM";
			goto err_harts;
		}
		m->htif.output = m->cfg.console;
		m->htif.output_ctx = m->cfg.console_ctx;
		m->htif.exit = htif_exit;
		m->htif.exit_ctx = m;
		m->has_htif = true;
	}
	for (i = 0; i < m->nharts; i++)
		hart_reset(&m->harts[i], elf.entry);
	return m;

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
	for (unsigned i = 0; i < m->nharts; i++) {
		m->cfg.engine->destroy(&m->harts[i]);
		hart_destroy(&m->harts[i]);
	}
	free(m->harts);
	bus_destroy(&m->bus);
	free(m);
}

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

uint64_t machine_run(struct machine *m)
{
	struct hart_thread *threads = calloc(m->nharts, sizeof(*threads));
	unsigned started = 0;

	if (!threads)
		return 1;
	/* hart 0 runs on this thread; the others on their own */
	for (unsigned i = 1; i < m->nharts; i++) {
		threads[i] = (struct hart_thread){ m, &m->harts[i], 0 };
		if (pthread_create(&threads[i].tid, NULL, hart_thread_main,
				   &threads[i]))
			break;
		started = i;
	}
	m->cfg.engine->run(&m->harts[0]);
	machine_stop(m);
	for (unsigned i = 1; i <= started; i++)
		pthread_join(threads[i].tid, NULL);
	free(threads);
	return m->exit_code;
}
