/*
 * SiFive test finisher ("sifive,test0/1", a syscon in QEMU's virt board
 * and the target of the syscon-poweroff and syscon-reboot nodes). One
 * write-only register, 16- or 32-bit writes (OpenSBI uses writew):
 *
 *   0x0  FINISHER  bits 15:0 status, bits 31:16 code
 *        status 0x5555  pass: power off with code 0
 *               0x3333  fail: power off with code (bits 31:16)
 *               0x7777  reset
 *
 * Reads return 0. Other values and offsets are guest errors.
 *
 * Threads: the device has no state to protect, so no lock; the
 * callbacks run on the writing vCPU's thread, possibly on several at
 * once, and the board must cope (e.g. the first request wins).
 */
#ifndef DEV_SIFIVE_TEST_H
#define DEV_SIFIVE_TEST_H

#include <stdint.h>

#include "dev/devtree.h"
#include "mem/bus.h"

#define SIFIVE_TEST_SIZE 0x1000
#define SIFIVE_TEST_FAIL 0x3333
#define SIFIVE_TEST_PASS 0x5555
#define SIFIVE_TEST_RESET 0x7777

struct sifive_test {
	uint32_t phandle; /* of the test node, for the syscon nodes */
	/* code is 0 for pass, bits 31:16 of the write for fail */
	void (*poweroff)(void *ctx, int code);
	void (*reset)(void *ctx);
	void *ctx;
};

/* Either callback may be NULL (the request is then ignored). */
void sifive_test_init(struct sifive_test *t, uint32_t phandle,
		      void (*poweroff)(void *ctx, int code),
		      void (*reset)(void *ctx), void *ctx);

/* The MMIO region for base: hand it to bus_add_region. */
struct mmio_region sifive_test_region(struct sifive_test *t, uint64_t base);

/*
 * Writes test@base inside /soc, with phandle t->phandle. Returns 0 or a
 * libfdt error.
 */
int sifive_test_fdt(const struct sifive_test *t, void *fdt, uint64_t base,
		    const struct devtree_refs *refs);
/*
 * Writes the root-level "poweroff" (syscon-poweroff, 0x5555) and
 * "reboot" (syscon-reboot, 0x7777) nodes on the test node of phandle,
 * offset 0. Call it inside the root node. Returns 0 or a libfdt error.
 */
int sifive_test_fdt_syscon(void *fdt, uint32_t phandle);

#endif
