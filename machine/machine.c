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

enum virt_region { VIRT_DRAM, VIRT_NREGIONS };

static const struct {
	uint64_t base, size;
} virt_map[VIRT_NREGIONS] = {
	[VIRT_DRAM] = { 0x80000000, 0 /* --memory */ },
};

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
