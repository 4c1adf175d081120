/* NS16550A UART: see uart_ns16550a.h for the register map. */
#include "dev/uart_ns16550a.h"

#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "util/log.h"

enum {
	UART_RBR = 0, /* THR on write, DLL under DLAB */
	UART_IER = 1, /* DLM under DLAB */
	UART_IIR = 2, /* FCR on write */
	UART_LCR = 3,
	UART_MCR = 4,
	UART_LSR = 5,
	UART_MSR = 6,
	UART_SCR = 7,
};

#define UART_IER_ERBFI 0x01
#define UART_IER_ETBEI 0x02
#define UART_IER_ELSI 0x04
#define UART_IER_EDSSI 0x08

#define UART_IIR_NO_INT 0x01
#define UART_IIR_MSI 0x00
#define UART_IIR_THRI 0x02
#define UART_IIR_RDI 0x04
#define UART_IIR_RLSI 0x06
#define UART_IIR_CTI 0x0c
#define UART_IIR_FIFOS 0xc0

#define UART_FCR_ENABLE 0x01
#define UART_FCR_CLEAR_RCVR 0x02
#define UART_FCR_CLEAR_XMIT 0x04
#define UART_FCR_WRITABLE 0xc9 /* enable, DMA mode, RX trigger */

#define UART_LCR_DLAB 0x80

#define UART_MCR_DTR 0x01
#define UART_MCR_RTS 0x02
#define UART_MCR_OUT1 0x04
#define UART_MCR_OUT2 0x08
#define UART_MCR_LOOP 0x10

#define UART_LSR_DR 0x01
#define UART_LSR_OE 0x02
#define UART_LSR_PE 0x04
#define UART_LSR_FE 0x08
#define UART_LSR_BI 0x10
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40
#define UART_LSR_ERRORS (UART_LSR_OE | UART_LSR_PE | UART_LSR_FE | UART_LSR_BI)

#define UART_MSR_DCTS 0x01
#define UART_MSR_DDSR 0x02
#define UART_MSR_TERI 0x04
#define UART_MSR_DDCD 0x08
#define UART_MSR_DELTAS 0x0f
#define UART_MSR_CTS 0x10
#define UART_MSR_DSR 0x20
#define UART_MSR_RI 0x40
#define UART_MSR_DCD 0x80

static unsigned uart_fifo_cap(const struct uart_ns16550a *u)
{
	return (u->fcr & UART_FCR_ENABLE) ? UART_NS16550A_FIFO : 1;
}

static unsigned uart_rx_trigger(const struct uart_ns16550a *u)
{
	static const unsigned levels[4] = { 1, 4, 8, 14 };

	return levels[u->fcr >> 6];
}

/* The interrupt identification, by the datasheet's priority order. */
static uint8_t uart_iir_id(const struct uart_ns16550a *u)
{
	if ((u->ier & UART_IER_ELSI) && (u->lsr & UART_LSR_ERRORS))
		return UART_IIR_RLSI;
	if ((u->ier & UART_IER_ERBFI) && u->rx_count) {
		/*
		 * Below the trigger level the datasheet raises a character
		 * timeout after four character times without a read; the
		 * console delivers in bursts, so the timeout is taken as
		 * already elapsed.
		 */
		if ((u->fcr & UART_FCR_ENABLE) &&
		    u->rx_count < uart_rx_trigger(u))
			return UART_IIR_CTI;
		return UART_IIR_RDI;
	}
	if ((u->ier & UART_IER_ETBEI) && u->thr_ipending)
		return UART_IIR_THRI;
	if ((u->ier & UART_IER_EDSSI) && (u->msr & UART_MSR_DELTAS))
		return UART_IIR_MSI;
	return UART_IIR_NO_INT;
}

/* Called with the lock held after any change of interrupt state. */
static void uart_update_irq(struct uart_ns16550a *u)
{
	bool level = uart_iir_id(u) != UART_IIR_NO_INT;

	if (level == u->irq_level)
		return;
	u->irq_level = level;
	irq_line_set(&u->irq, level);
}

static uint8_t uart_lsr(const struct uart_ns16550a *u)
{
	uint8_t lsr = u->lsr & UART_LSR_ERRORS;

	if (u->rx_count)
		lsr |= UART_LSR_DR;
	if (!u->tx_count) {
		lsr |= UART_LSR_THRE;
		if (!u->tx_busy)
			lsr |= UART_LSR_TEMT;
	}
	return lsr;
}

static void uart_rx_clear(struct uart_ns16550a *u)
{
	u->rx_head = 0;
	u->rx_count = 0;
	pthread_cond_broadcast(&u->rx_space);
}

static void uart_rx_push(struct uart_ns16550a *u, uint8_t byte)
{
	if (u->rx_count >= uart_fifo_cap(u)) {
		u->lsr |= UART_LSR_OE;
		return;
	}
	u->rx[(u->rx_head + u->rx_count) % UART_NS16550A_FIFO] = byte;
	u->rx_count++;
}

static uint8_t uart_rx_pop(struct uart_ns16550a *u)
{
	uint8_t byte;

	if (!u->rx_count)
		return 0;
	byte = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % UART_NS16550A_FIFO;
	u->rx_count--;
	pthread_cond_broadcast(&u->rx_space);
	return byte;
}

/* The modem inputs: fixed "connected" outside loopback, MCR inside. */
static uint8_t uart_modem_lines(const struct uart_ns16550a *u)
{
	uint8_t lines = 0;

	if (!(u->mcr & UART_MCR_LOOP))
		return UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS;
	if (u->mcr & UART_MCR_RTS)
		lines |= UART_MSR_CTS;
	if (u->mcr & UART_MCR_DTR)
		lines |= UART_MSR_DSR;
	if (u->mcr & UART_MCR_OUT1)
		lines |= UART_MSR_RI;
	if (u->mcr & UART_MCR_OUT2)
		lines |= UART_MSR_DCD;
	return lines;
}

static void uart_set_mcr(struct uart_ns16550a *u, uint8_t val)
{
	uint8_t old = u->msr & ~UART_MSR_DELTAS;
	uint8_t new, deltas = 0;

	u->mcr = val & 0x1f;
	new = uart_modem_lines(u);
	if ((old ^ new) & UART_MSR_CTS)
		deltas |= UART_MSR_DCTS;
	if ((old ^ new) & UART_MSR_DSR)
		deltas |= UART_MSR_DDSR;
	if ((old & UART_MSR_RI) && !(new &UART_MSR_RI))
		deltas |= UART_MSR_TERI;
	if ((old ^ new) & UART_MSR_DCD)
		deltas |= UART_MSR_DDCD;
	u->msr = new | (u->msr & UART_MSR_DELTAS) | deltas;
}

static void uart_set_fcr(struct uart_ns16550a *u, uint8_t val)
{
	/* FCR bits other than the enable are written only along with it */
	uint8_t new = (val & UART_FCR_ENABLE) ? val &UART_FCR_WRITABLE : 0;

	bool clear_rx = false, clear_tx = false;

	if ((new ^ u->fcr) & UART_FCR_ENABLE)
		clear_rx = clear_tx = true;
	if (new &UART_FCR_ENABLE) {
		clear_rx |= val & UART_FCR_CLEAR_RCVR;
		clear_tx |= val & UART_FCR_CLEAR_XMIT;
	}
	if (clear_rx)
		uart_rx_clear(u);
	if (clear_tx) {
		/* an emptied transmit holding register asks for more */
		u->tx_count = 0;
		u->thr_ipending = true;
	}
	u->fcr = new;
}

/*
 * Sends what is in the TX FIFO. Called with the lock held; the caller
 * becomes the only thread in the tx callback until the FIFO is empty, so
 * bytes leave in the order they were written even when several vCPUs
 * write THR.
 */
static void uart_tx_drain(struct uart_ns16550a *u)
{
	uint8_t buf[UART_NS16550A_FIFO];
	unsigned n;

	if (u->tx_busy)
		return;
	u->tx_busy = true;
	while (u->tx_count) {
		n = u->tx_count;
		memcpy(buf, u->tx_fifo, n);
		u->tx_count = 0;
		pthread_mutex_unlock(&u->lock);
		if (u->tx)
			u->tx(u->tx_ctx, buf, n);
		pthread_mutex_lock(&u->lock);
	}
	u->tx_busy = false;
	u->thr_ipending = true;
	uart_update_irq(u);
}

static void uart_write_thr(struct uart_ns16550a *u, uint8_t byte)
{
	u->thr_ipending = false;
	if (u->mcr & UART_MCR_LOOP) {
		uart_rx_push(u, byte);
		u->thr_ipending = true;
		uart_update_irq(u);
		return;
	}
	if (u->tx_count >= uart_fifo_cap(u)) {
		log_guest_error("uart: THR written while the FIFO is full");
	} else {
		u->tx_fifo[u->tx_count++] = byte;
	}
	uart_update_irq(u);
	uart_tx_drain(u);
}

static uint64_t uart_read(void *dev, uint64_t off, unsigned size)
{
	struct uart_ns16550a *u = dev;
	uint8_t val = 0;

	if (off > UART_SCR) {
		log_guest_error("uart: read at 0x%llx",
				(unsigned long long)off);
		return 0;
	}
	pthread_mutex_lock(&u->lock);
	switch (off) {
	case UART_RBR:
		if (u->lcr & UART_LCR_DLAB) {
			val = u->dll;
		} else {
			val = uart_rx_pop(u);
			uart_update_irq(u);
		}
		break;
	case UART_IER: val = (u->lcr & UART_LCR_DLAB) ? u->dlm : u->ier; break;
	case UART_IIR:
		val = uart_iir_id(u);
		if (val == UART_IIR_THRI) {
			u->thr_ipending = false;
			uart_update_irq(u);
		}
		if (u->fcr & UART_FCR_ENABLE)
			val |= UART_IIR_FIFOS;
		break;
	case UART_LCR: val = u->lcr; break;
	case UART_MCR: val = u->mcr; break;
	case UART_LSR:
		val = uart_lsr(u);
		u->lsr &= ~UART_LSR_ERRORS;
		uart_update_irq(u);
		break;
	case UART_MSR:
		val = u->msr;
		u->msr &= ~UART_MSR_DELTAS;
		uart_update_irq(u);
		break;
	case UART_SCR: val = u->scr; break;
	}
	pthread_mutex_unlock(&u->lock);
	return val;
}

static void uart_write(void *dev, uint64_t off, uint64_t val64, unsigned size)
{
	struct uart_ns16550a *u = dev;
	uint8_t val = (uint8_t)val64;

	if (off > UART_SCR || off == UART_LSR || off == UART_MSR) {
		log_guest_error("uart: write at 0x%llx",
				(unsigned long long)off);
		return;
	}
	pthread_mutex_lock(&u->lock);
	switch (off) {
	case UART_RBR:
		if (u->lcr & UART_LCR_DLAB)
			u->dll = val;
		else
			uart_write_thr(u, val);
		break;
	case UART_IER:
		if (u->lcr & UART_LCR_DLAB) {
			u->dlm = val;
			break;
		}
		/* the THRE interrupt is re-armed by enabling it (datasheet) */
		if (!(u->ier & UART_IER_ETBEI) && (val & UART_IER_ETBEI) &&
		    !u->tx_count)
			u->thr_ipending = true;
		u->ier = val & 0x0f;
		uart_update_irq(u);
		break;
	case UART_IIR:
		uart_set_fcr(u, val);
		uart_update_irq(u);
		break;
	case UART_LCR: u->lcr = val; break;
	case UART_MCR:
		uart_set_mcr(u, val);
		uart_update_irq(u);
		break;
	case UART_SCR: u->scr = val; break;
	}
	pthread_mutex_unlock(&u->lock);
}

static const struct mmio_ops uart_ops = {
	.read = uart_read,
	.write = uart_write,
};

int uart_ns16550a_init(struct uart_ns16550a *u, const struct irq_line *irq,
		       uart_ns16550a_tx_fn tx, void *tx_ctx)
{
	int err;

	memset(u, 0, sizeof(*u));
	err = pthread_mutex_init(&u->lock, NULL);
	if (err)
		return -err;
	err = pthread_cond_init(&u->rx_space, NULL);
	if (err) {
		pthread_mutex_destroy(&u->lock);
		return -err;
	}
	u->irq = *irq;
	u->tx = tx;
	u->tx_ctx = tx_ctx;
	u->msr = uart_modem_lines(u);
	return 0;
}

void uart_ns16550a_reset(struct uart_ns16550a *u)
{
	pthread_mutex_lock(&u->lock);
	u->ier = u->lcr = u->mcr = u->lsr = u->scr = u->fcr = 0;
	u->dll = u->dlm = 0;
	u->thr_ipending = false;
	uart_rx_clear(u);
	u->tx_count = 0;
	u->msr = uart_modem_lines(u);
	uart_update_irq(u);
	pthread_cond_broadcast(&u->rx_space);
	pthread_mutex_unlock(&u->lock);
}

void uart_ns16550a_destroy(struct uart_ns16550a *u)
{
	pthread_cond_destroy(&u->rx_space);
	pthread_mutex_destroy(&u->lock);
}

struct mmio_region uart_ns16550a_region(struct uart_ns16550a *u, uint64_t base)
{
	return (struct mmio_region){
		.name = "uart",
		.base = base,
		.size = UART_NS16550A_SIZE,
		.min_access = 1,
		.max_access = 4,
		.ops = &uart_ops,
		.dev = u,
	};
}

size_t uart_ns16550a_receive(struct uart_ns16550a *u, const uint8_t *buf,
			     size_t len)
{
	size_t n = 0;

	pthread_mutex_lock(&u->lock);
	if (u->mcr & UART_MCR_LOOP) {
		n = len;
	} else {
		while (n < len && u->rx_count < uart_fifo_cap(u))
			uart_rx_push(u, buf[n++]);
		uart_update_irq(u);
	}
	pthread_mutex_unlock(&u->lock);
	return n;
}

void uart_ns16550a_wait_rx_space(struct uart_ns16550a *u)
{
	pthread_mutex_lock(&u->lock);
	while (!u->stop_waiting && !(u->mcr & UART_MCR_LOOP) &&
	       u->rx_count >= uart_fifo_cap(u))
		pthread_cond_wait(&u->rx_space, &u->lock);
	pthread_mutex_unlock(&u->lock);
}

void uart_ns16550a_stop_waiting(struct uart_ns16550a *u)
{
	pthread_mutex_lock(&u->lock);
	u->stop_waiting = true;
	pthread_cond_broadcast(&u->rx_space);
	pthread_mutex_unlock(&u->lock);
}

int uart_ns16550a_fdt(const struct uart_ns16550a *u, void *fdt, uint64_t base,
		      const struct devtree_refs *refs)
{
	const fdt64_t reg[2] = { cpu_to_fdt64(base),
				 cpu_to_fdt64(UART_NS16550A_SIZE) };
	char name[32];
	int err;

	snprintf(name, sizeof(name), "serial@%llx", (unsigned long long)base);
	err = fdt_begin_node(fdt, name);
	err = err ?: fdt_property_string(fdt, "compatible", "ns16550a");
	err = err ?: fdt_property(fdt, "reg", reg, sizeof(reg));
	err = err
		      ?: fdt_property_u32(fdt, "clock-frequency",
					  UART_NS16550A_CLOCK);
	err = err
		      ?: fdt_property_u32(fdt, "interrupt-parent",
					  refs->plic_phandle);
	err = err ?: fdt_property_u32(fdt, "interrupts", u->irq.num);
	err = err ?: fdt_end_node(fdt);
	return err;
}
