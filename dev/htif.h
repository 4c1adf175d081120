/*
 * HTIF, the host-target interface of the riscv-tests convention: the
 * guest writes a request to the 64-bit word `tohost` (an ELF symbol, so
 * its address varies) and the host answers through `fromhost`.
 *
 * Request word: device in bits 63:56, command in 55:48, payload in 47:0.
 *  - device 0, command 0, payload bit 0 set: exit with code payload >> 1
 *  - device 0, command 0, payload bit 0 clear: payload is the address of
 *    a "magic memory" block of 8 dwords (syscall number, arguments);
 *    write (64) is served, the result goes to dword 0, fromhost = 1
 *  - device 1, command 1: console output of the byte in payload 7:0
 * After serving a request tohost is cleared. A request takes effect when
 * a store writes the upper half of tohost, so that a pair of 32-bit
 * stores (low word first) is seen as one request.
 */
#ifndef DEV_HTIF_H
#define DEV_HTIF_H

#include <stdbool.h>
#include <stdint.h>

#include "mem/bus.h"

struct htif {
	struct bus *bus;
	uint64_t tohost;
	uint64_t fromhost; /* 0 when the program has none */
	/* where console bytes and written data go */
	void (*output)(void *ctx, const uint8_t *buf, uint64_t len);
	void *output_ctx;
	/* called once with the exit code */
	void (*exit)(void *ctx, uint64_t code);
	void *exit_ctx;
};

/* Watches tohost. Returns 0 or -errno (tohost not in RAM). */
int htif_init(struct htif *htif, struct bus *bus, uint64_t tohost,
	      uint64_t fromhost);

#endif
