/* HTIF: see htif.h for the protocol. */
#include "dev/htif.h"

#include <string.h>

#include "util/log.h"

#define HTIF_DEV_SYSCALL 0
#define HTIF_DEV_CONSOLE 1
#define HTIF_CONSOLE_PUTC 1
#define SYS_WRITE 64
#define MAGIC_DWORDS 8

static uint64_t ram_get64(struct bus *bus, uint64_t gpa)
{
	uint64_t v;

	memcpy(&v, bus_ram_ptr(bus, gpa, 8), 8);
	return v;
}

/* Host-side write of guest RAM: no watch re-entry, but code pages notice. */
static void ram_put64(struct bus *bus, uint64_t gpa, uint64_t v)
{
	memcpy(bus_ram_ptr(bus, gpa, 8), &v, 8);
}

static void answer(struct htif *htif, uint64_t resp)
{
	ram_put64(htif->bus, htif->tohost, 0);
	if (htif->fromhost)
		ram_put64(htif->bus, htif->fromhost, resp);
}

static void syscall_request(struct htif *htif, uint64_t addr)
{
	uint64_t magic[MAGIC_DWORDS];
	const uint8_t *buf;
	int64_t ret = -38; /* -ENOSYS */

	if (!bus_is_ram(htif->bus, addr, sizeof(magic))) {
		log_guest_error("htif: syscall block at 0x%llx outside RAM",
				(unsigned long long)addr);
		answer(htif, 1);
		return;
	}
	memcpy(magic, bus_ram_ptr(htif->bus, addr, sizeof(magic)),
	       sizeof(magic));
	if (magic[0] == SYS_WRITE) {
		uint64_t fd = magic[1], ptr = magic[2], len = magic[3];

		buf = bus_ram_ptr(htif->bus, ptr, len);
		if ((fd == 1 || fd == 2) && buf) {
			if (htif->output)
				htif->output(htif->output_ctx, buf, len);
			ret = (int64_t)len;
		} else {
			ret = -14; /* -EFAULT */
		}
	} else {
		log_unimp("htif: syscall %llu", (unsigned long long)magic[0]);
	}
	ram_put64(htif->bus, addr, (uint64_t)ret);
	answer(htif, 1);
}

static void htif_store(void *ctx, uint64_t gpa, unsigned len)
{
	struct htif *htif = ctx;
	uint64_t req, dev, cmd, payload;

	/* act on the store that writes the upper half of tohost */
	if (gpa + len <= htif->tohost + 4 || gpa >= htif->tohost + 8)
		return;
	req = ram_get64(htif->bus, htif->tohost);
	if (req == 0)
		return;
	dev = req >> 56;
	cmd = (req >> 48) & 0xff;
	payload = req & ((1ull << 48) - 1);
	if (dev == HTIF_DEV_SYSCALL && cmd == 0) {
		if (payload & 1) {
			if (htif->exit)
				htif->exit(htif->exit_ctx, payload >> 1);
			return;
		}
		syscall_request(htif, payload);
	} else if (dev == HTIF_DEV_CONSOLE && cmd == HTIF_CONSOLE_PUTC) {
		uint8_t c = payload & 0xff;

		if (htif->output)
			htif->output(htif->output_ctx, &c, 1);
		answer(htif, req & ~((1ull << 48) - 1));
	} else {
		log_unimp("htif: device %llu command %llu",
			  (unsigned long long)dev, (unsigned long long)cmd);
		answer(htif, 0);
	}
}

int htif_init(struct htif *htif, struct bus *bus, uint64_t tohost,
	      uint64_t fromhost)
{
	htif->bus = bus;
	htif->tohost = tohost;
	htif->fromhost = bus_is_ram(bus, fromhost, 8) ? fromhost : 0;
	return bus_add_watch(bus, tohost, 8, htif_store, htif);
}
