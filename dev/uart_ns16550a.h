/*
 * NS16550A UART, the console of the virt board (TI PC16550D datasheet,
 * "Registers" and "FIFO Interrupt Mode Operation"). Byte registers at
 * offsets 0..7 (reg-shift 0), 1..4-byte accesses carrying the byte:
 *
 *   0  RBR (read) / THR (write)   DLL when LCR.DLAB
 *   1  IER  ERBFI 0, ETBEI 1, ELSI 2, EDSSI 3        DLM when LCR.DLAB
 *   2  IIR (read) / FCR (write)   IIR 7:6 = 11 when FIFOs are enabled
 *   3  LCR  DLAB = bit 7
 *   4  MCR  DTR 0, RTS 1, OUT1 2, OUT2 3, LOOP 4
 *   5  LSR  DR 0, OE 1, THRE 5, TEMT 6
 *   6  MSR  deltas 3:0, CTS 4, DSR 5, RI 6, DCD 7
 *   7  SCR
 *
 * 16-byte FIFOs. Transmission is instant: a byte written to THR goes to
 * the tx callback before the write returns (loopback: into the RX FIFO).
 * The interrupt output is level: high while IIR reports a cause.
 *
 * Threads: every entry point may be called from any thread. Lock order:
 * uart lock -> whatever the irq line takes (the PLIC's lock). The tx
 * callback runs without the uart lock held, one call at a time, bytes in
 * THR-write order; it may block (a slow stdout then holds back the
 * writing vCPU only).
 */
#ifndef DEV_UART_NS16550A_H
#define DEV_UART_NS16550A_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dev/devtree.h"
#include "dev/irq.h"
#include "mem/bus.h"

#define UART_NS16550A_SIZE 0x100
#define UART_NS16550A_CLOCK 3686400
#define UART_NS16550A_FIFO 16

typedef void (*uart_ns16550a_tx_fn)(void *ctx, const uint8_t *buf, size_t len);

struct uart_ns16550a {
	pthread_mutex_t lock;
	pthread_cond_t rx_space; /* signalled when the RX FIFO has room */
	struct irq_line irq;
	uart_ns16550a_tx_fn tx;
	void *tx_ctx;

	uint8_t ier, lcr, mcr, lsr, msr, scr, fcr;
	uint8_t dll, dlm;
	bool thr_ipending; /* THRE interrupt condition, see the IIR rules */
	bool irq_level;	   /* what the line was last driven to */
	bool stop_waiting;

	uint8_t rx[UART_NS16550A_FIFO];
	unsigned rx_head, rx_count;
	uint8_t tx_fifo[UART_NS16550A_FIFO];
	unsigned tx_count;
	bool tx_busy; /* a thread is in the tx callback */
};

/*
 * irq->num is the PLIC source; it is also what the device-tree node
 * gives as "interrupts". tx may be NULL (output dropped). Returns 0 or
 * -errno.
 */
int uart_ns16550a_init(struct uart_ns16550a *u, const struct irq_line *irq,
		       uart_ns16550a_tx_fn tx, void *tx_ctx);
void uart_ns16550a_destroy(struct uart_ns16550a *u);
/* Power-on register state, FIFOs emptied (the board's reset). */
void uart_ns16550a_reset(struct uart_ns16550a *u);

/* The MMIO region for base: hand it to bus_add_region. */
struct mmio_region uart_ns16550a_region(struct uart_ns16550a *u, uint64_t base);

/*
 * Input from the host console: queues what fits in the RX FIFO and
 * returns how many bytes it took (0 when full). In loopback mode the
 * receive pin is disconnected and the bytes are dropped (all are taken).
 */
size_t uart_ns16550a_receive(struct uart_ns16550a *u, const uint8_t *buf,
			     size_t len);
/*
 * Blocks until the RX FIFO has room (or input is dropped in loopback),
 * or until uart_ns16550a_stop_waiting is called.
 */
void uart_ns16550a_wait_rx_space(struct uart_ns16550a *u);
/* Wakes and releases every waiter, now and later (shutdown). */
void uart_ns16550a_stop_waiting(struct uart_ns16550a *u);

/* Writes serial@base inside /soc; returns 0 or a libfdt error. */
int uart_ns16550a_fdt(const struct uart_ns16550a *u, void *fdt, uint64_t base,
		      const struct devtree_refs *refs);

#endif
