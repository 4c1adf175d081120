/*
 * The board: wiring only. Creates RAM and devices at the addresses of the
 * memory map (one table, machine.c), loads the guest software and runs
 * one host thread per hart.
 */
#ifndef MACHINE_MACHINE_H
#define MACHINE_MACHINE_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/engine.h"
#include "cpu/hart.h"
#include "dev/aclint.h"
#include "dev/htif.h"
#include "mem/bus.h"

#define MACHINE_MAX_CPUS 32
#define MACHINE_MIN_MEMORY (1ull << 20)
#define MACHINE_MAX_MEMORY (16ull << 30)

struct machine_config {
	const char *kernel;
	const char *bios; /* NULL: the default firmware; "none": no firmware */
	unsigned cpus;
	uint64_t memory;
	const struct engine_ops *engine;
	/* console output; NULL writes to stdout */
	void (*console)(void *ctx, const uint8_t *buf, uint64_t len);
	void *console_ctx;
};

struct machine {
	struct machine_config cfg;
	struct bus bus;
	struct hart_platform platform;
	struct hart *harts;
	unsigned nharts;
	struct aclint clint;
	struct htif htif;
	bool has_htif;
	_Atomic bool exited;
	uint64_t exit_code;
};

/*
 * Builds the machine and loads the guest. Returns NULL with *why set to a
 * one-line reason (about cfg->kernel when it names the file) on failure.
 */
struct machine *machine_create(const struct machine_config *cfg,
			       const char **why);
void machine_destroy(struct machine *m);

/* Runs until the guest ends; returns its exit code (HTIF code, 0). */
uint64_t machine_run(struct machine *m);

/* Asks every hart to stop (from any thread). */
void machine_stop(struct machine *m);

#endif
