/*
 * Goldfish RTC (Android emulator "goldfish" virtual hardware, timer
 * device; Linux drivers/rtc/rtc-goldfish.c): nanoseconds since the Unix
 * epoch, from the host's CLOCK_REALTIME plus an offset the guest sets.
 * 32-bit registers:
 *
 *   0x00  TIME_LOW         read: the time's low half; latches TIME_HIGH
 *                          write: sets the time (high half from a
 *                          preceding TIME_HIGH write, else unchanged)
 *   0x04  TIME_HIGH        read: high half latched by the last TIME_LOW
 *                          read; write: high half for the next TIME_LOW
 *   0x08  ALARM_LOW        write arms the alarm at ALARM_HIGH:ALARM_LOW
 *   0x0c  ALARM_HIGH
 *   0x10  IRQ_ENABLED      bit 0
 *   0x14  CLEAR_ALARM      write: disarm
 *   0x18  ALARM_STATUS     1 while armed
 *   0x1c  CLEAR_INTERRUPT  write: lower the interrupt
 *
 * An alarm whose time has passed disarms itself and sets the interrupt;
 * the line is high while that interrupt is set and IRQ_ENABLED. A thread
 * of the device waits for armed alarms.
 *
 * Threads: lock order rtc lock -> whatever the irq line takes (the
 * PLIC's lock); the line is driven from vCPU threads and from the alarm
 * thread.
 */
#ifndef DEV_RTC_GOLDFISH_H
#define DEV_RTC_GOLDFISH_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "dev/devtree.h"
#include "dev/irq.h"
#include "mem/bus.h"

#define RTC_GOLDFISH_SIZE 0x1000

struct rtc_goldfish {
	pthread_mutex_t lock;
	pthread_cond_t wake; /* CLOCK_MONOTONIC; alarm or time changed */
	pthread_t thread;
	bool stop;
	struct irq_line irq;

	uint64_t offset;     /* guest time - host CLOCK_REALTIME, mod 2^64 */
	uint32_t time_high;  /* latched by a TIME_LOW read */
	uint32_t set_high;   /* written to TIME_HIGH */
	bool set_high_valid; /* ...and not yet used by a TIME_LOW write */
	uint64_t alarm;
	bool alarm_running;
	bool irq_enabled;
	bool irq_pending;
	bool irq_level; /* what the line was last driven to */
};

/*
 * Starts the alarm thread. irq->num is the PLIC source; it is also what
 * the device-tree node gives as "interrupts". Returns 0 or -errno.
 */
int rtc_goldfish_init(struct rtc_goldfish *r, const struct irq_line *irq);
/* Stops and joins the alarm thread. */
void rtc_goldfish_destroy(struct rtc_goldfish *r);

/* The MMIO region for base: hand it to bus_add_region. */
struct mmio_region rtc_goldfish_region(struct rtc_goldfish *r, uint64_t base);

/* Writes rtc@base inside /soc; returns 0 or a libfdt error. */
int rtc_goldfish_fdt(const struct rtc_goldfish *r, void *fdt, uint64_t base,
		     const struct devtree_refs *refs);

#endif
