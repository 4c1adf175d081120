/*
 * The engine seam: how a hart's instructions get executed. The
 * interpreter (cpu/interp.c) is the reference; the JIT (jit/) and a
 * future hardware-assisted engine plug in behind the same ops.
 */
#ifndef CPU_ENGINE_H
#define CPU_ENGINE_H

#include <stdbool.h>

struct hart;

struct engine_ops {
	const char *name;
	/* per-hart state in h->engine; returns 0 or -errno */
	int (*init)(struct hart *h);
	void (*destroy)(struct hart *h);
	/* runs the hart until h->platform->stop is set */
	void (*run)(struct hart *h);
	/* does it want guest RAM shareable (mem/bus.h, ram_fd)? NULL: no */
	bool (*shared_ram)(void);
};

extern const struct engine_ops interp_engine_ops;

#endif
