/*
 * NS16550A UART driven through its MMIO ops without a CPU. Expected
 * values from the PC16550D datasheet (register reset values, IIR codes
 * and priority, FCR rules) and, for the modem lines outside loopback,
 * from qemu-system-riscv64.
 */
#include <libfdt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dev/uart_ns16550a.h"
#include "tests/unit/unit.h"

#define RBR 0
#define IER 1
#define IIR 2
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define MSR 6
#define SCR 7

struct irq_rec {
	pthread_mutex_t lock;
	bool level;
	unsigned changes; /* calls to set */
	unsigned num;
};

static void irq_rec_set(void *ctx, unsigned num, bool level)
{
	struct irq_rec *r = ctx;

	pthread_mutex_lock(&r->lock);
	r->level = level;
	r->changes++;
	r->num = num;
	pthread_mutex_unlock(&r->lock);
}

struct tx_rec {
	uint8_t buf[4096];
	size_t len;
	uint64_t total;
	bool overlap; /* two threads in tx at once */
	int inside;
};

static void tx_rec_tx(void *ctx, const uint8_t *buf, size_t len)
{
	struct tx_rec *t = ctx;

	if (__atomic_fetch_add(&t->inside, 1, __ATOMIC_SEQ_CST))
		t->overlap = true;
	if (t->len + len <= sizeof(t->buf)) {
		memcpy(t->buf + t->len, buf, len);
		t->len += len;
	}
	t->total += len;
	__atomic_fetch_sub(&t->inside, 1, __ATOMIC_SEQ_CST);
}

static struct uart_ns16550a uart;
static struct mmio_region reg;
static struct irq_rec irq;
static struct tx_rec txr;

static uint64_t rd(uint64_t off)
{
	return reg.ops->read(reg.dev, off, 1);
}

static void wr(uint64_t off, uint64_t val)
{
	reg.ops->write(reg.dev, off, val, 1);
}

static void setup(void)
{
	struct irq_line line = { .set = irq_rec_set, .ctx = &irq, .num = 10 };

	memset(&irq, 0, sizeof(irq));
	pthread_mutex_init(&irq.lock, NULL);
	memset(&txr, 0, sizeof(txr));
	CHECK(uart_ns16550a_init(&uart, &line, tx_rec_tx, &txr) == 0);
	reg = uart_ns16550a_region(&uart, 0x10000000);
}

static void teardown(void)
{
	uart_ns16550a_destroy(&uart);
	pthread_mutex_destroy(&irq.lock);
}

static void test_reset_and_region(void)
{
	setup();
	CHECK_EQ_U64(reg.base, 0x10000000);
	CHECK_EQ_U64(reg.size, 0x100);
	CHECK_EQ_U64(reg.min_access, 1);
	CHECK_EQ_U64(reg.max_access, 4);
	CHECK_EQ_U64(rd(IER), 0x00);
	CHECK_EQ_U64(rd(IIR), 0x01);
	CHECK_EQ_U64(rd(LCR), 0x00);
	CHECK_EQ_U64(rd(MCR), 0x00);
	CHECK_EQ_U64(rd(LSR), 0x60);
	/* qemu: DCD, DSR and CTS asserted outside loopback */
	CHECK_EQ_U64(rd(MSR), 0xb0);
	CHECK(!irq.level);
	CHECK_EQ_U64(irq.changes, 0);
	/* registers past SCR read 0; wider accesses carry the byte */
	wr(SCR, 0x5a);
	CHECK_EQ_U64(rd(SCR), 0x5a);
	CHECK_EQ_U64(reg.ops->read(reg.dev, SCR, 4), 0x5a);
	CHECK_EQ_U64(rd(0x8), 0);
	CHECK_EQ_U64(rd(0xff), 0);
	reg.ops->write(reg.dev, SCR, 0x12345678, 4);
	CHECK_EQ_U64(rd(SCR), 0x78);
	teardown();
}

static void test_divisor_latch(void)
{
	setup();
	wr(LCR, 0x83);
	wr(RBR, 0x01); /* DLL */
	wr(IER, 0x02); /* DLM */
	CHECK_EQ_U64(rd(RBR), 0x01);
	CHECK_EQ_U64(rd(IER), 0x02);
	CHECK_EQ_U64(rd(LCR), 0x83);
	wr(LCR, 0x03);
	CHECK_EQ_U64(rd(IER), 0x00); /* DLM did not go to IER */
	CHECK_EQ_U64(txr.total, 0);  /* nor DLL to THR */
	CHECK(!irq.level);
	wr(LCR, 0x80);
	CHECK_EQ_U64(rd(RBR), 0x01);
	CHECK_EQ_U64(rd(IER), 0x02);
	teardown();
}

static void test_transmit(void)
{
	setup();
	wr(RBR, 'h');
	wr(RBR, 'i');
	CHECK_EQ_U64(txr.len, 2);
	CHECK(memcmp(txr.buf, "hi", 2) == 0);
	CHECK_EQ_U64(rd(LSR), 0x60);
	CHECK(!irq.level); /* ETBEI is off */
	teardown();
}

static void test_thre_interrupt(void)
{
	setup();
	wr(IER, 0x02);
	CHECK(irq.level);
	CHECK_EQ_U64(irq.num, 10);
	CHECK_EQ_U64(rd(IIR), 0x02);
	/* reading IIR with THRE as the cause cleared it */
	CHECK(!irq.level);
	CHECK_EQ_U64(rd(IIR), 0x01);
	wr(RBR, 'x');
	CHECK(irq.level);
	CHECK_EQ_U64(rd(IIR), 0x02);
	CHECK(!irq.level);
	/* ETBEI 1 -> 1 does not re-arm; 0 -> 1 does (Linux's THRE probe) */
	wr(IER, 0x02);
	CHECK(!irq.level);
	wr(IER, 0x00);
	wr(IER, 0x02);
	CHECK(irq.level);
	wr(IER, 0x00);
	CHECK(!irq.level);
	CHECK_EQ_U64(rd(IIR), 0x01);
	/* every call of the line was a change of level */
	CHECK_EQ_U64(irq.changes, 6);
	teardown();
}

static void test_rx_fifo(void)
{
	uint8_t in[20];
	unsigned i;
	bool ok = true;

	setup();
	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)('a' + i);
	/* without FIFOs the receiver holds one byte */
	CHECK_EQ_U64(uart_ns16550a_receive(&uart, in, sizeof(in)), 1);
	CHECK_EQ_U64(uart_ns16550a_receive(&uart, in, sizeof(in)), 0);
	CHECK_EQ_U64(rd(LSR), 0x61);
	CHECK_EQ_U64(rd(RBR), 'a');
	CHECK_EQ_U64(rd(LSR), 0x60);
	CHECK_EQ_U64(rd(RBR), 0); /* empty */

	wr(FCR, 0x01); /* FIFOs on, trigger 1 */
	CHECK_EQ_U64(rd(IIR), 0xc1);
	CHECK_EQ_U64(uart_ns16550a_receive(&uart, in, sizeof(in)), 16);
	CHECK_EQ_U64(uart_ns16550a_receive(&uart, in, 1), 0);
	CHECK(!irq.level);
	wr(IER, 0x01);
	CHECK(irq.level);
	CHECK_EQ_U64(rd(IIR), 0xc4);
	for (i = 0; i < 16; i++) {
		if (!(rd(LSR) & 0x01) || rd(RBR) != in[i])
			ok = false;
	}
	CHECK(ok);
	CHECK_EQ_U64(rd(LSR), 0x60);
	CHECK(!irq.level);
	CHECK_EQ_U64(rd(IIR), 0xc1);

	/* trigger level 8: below it the character timeout is reported */
	wr(FCR, 0x81);
	CHECK_EQ_U64(uart_ns16550a_receive(&uart, in, 3), 3);
	CHECK(irq.level);
	CHECK_EQ_U64(rd(IIR), 0xcc);
	CHECK_EQ_U64(uart_ns16550a_receive(&uart, in, 5), 5);
	CHECK_EQ_U64(rd(IIR), 0xc4);

	/* FCR clears: receiver FIFO emptied, line drops */
	wr(FCR, 0x83);
	CHECK_EQ_U64(rd(LSR), 0x60);
	CHECK(!irq.level);
	CHECK_EQ_U64(rd(IIR), 0xc1);
	/* turning the FIFOs off empties them */
	CHECK_EQ_U64(uart_ns16550a_receive(&uart, in, 2), 2);
	wr(FCR, 0x00);
	CHECK_EQ_U64(rd(LSR), 0x60);
	CHECK_EQ_U64(rd(IIR), 0x01);
	teardown();
}

static void test_priority(void)
{
	setup();
	wr(MCR, 0x10); /* loopback, FIFOs off: one byte of room */
	wr(IER, 0x0f);
	wr(RBR, 'x');
	wr(RBR, 'y'); /* overrun */
	CHECK_EQ_U64(txr.total, 0);
	CHECK(irq.level);
	CHECK_EQ_U64(rd(IIR), 0x06);
	CHECK_EQ_U64(rd(LSR), 0x63);
	CHECK_EQ_U64(rd(LSR), 0x61); /* OE clears on read */
	CHECK_EQ_U64(rd(IIR), 0x04);
	CHECK_EQ_U64(rd(RBR), 'x');
	CHECK_EQ_U64(rd(IIR), 0x02);
	/* entering loopback moved CTS, DSR, DCD: modem status is last */
	CHECK_EQ_U64(rd(IIR), 0x00);
	CHECK(irq.level);
	CHECK_EQ_U64(rd(MSR), 0x0b);
	CHECK_EQ_U64(rd(IIR), 0x01);
	CHECK(!irq.level);
	/* loopback wiring: OUT2 -> DCD, RTS -> CTS (Linux's probe) */
	wr(MCR, 0x1a);
	CHECK_EQ_U64(rd(MSR) & 0xf0, 0x90);
	/* RI trailing edge sets TERI */
	wr(MCR, 0x14);
	rd(MSR);
	wr(MCR, 0x10);
	CHECK_EQ_U64(rd(MSR), 0x04);
	/* console input is dropped in loopback */
	CHECK_EQ_U64(uart_ns16550a_receive(&uart, (const uint8_t *)"ab", 2), 2);
	CHECK_EQ_U64(rd(LSR), 0x60);
	teardown();
}

static void test_fdt(void)
{
	static char buf[4096];
	struct devtree_refs refs = { .plic_phandle = 5 };
	const fdt32_t *p;
	const char *s;
	int node, len;

	setup();
	CHECK(fdt_create(buf, sizeof(buf)) == 0);
	CHECK(fdt_finish_reservemap(buf) == 0);
	CHECK(fdt_begin_node(buf, "") == 0);
	CHECK(fdt_begin_node(buf, "soc") == 0);
	CHECK(uart_ns16550a_fdt(&uart, buf, 0x10000000, &refs) == 0);
	CHECK(fdt_end_node(buf) == 0);
	CHECK(fdt_end_node(buf) == 0);
	CHECK(fdt_finish(buf) == 0);

	node = fdt_path_offset(buf, "/soc/serial@10000000");
	CHECK(node >= 0);
	s = fdt_getprop(buf, node, "compatible", &len);
	CHECK(s && len == 9 && strcmp(s, "ns16550a") == 0);
	p = fdt_getprop(buf, node, "reg", &len);
	CHECK(p && len == 16);
	if (p && len == 16) {
		CHECK_EQ_U64(fdt32_to_cpu(p[0]), 0);
		CHECK_EQ_U64(fdt32_to_cpu(p[1]), 0x10000000);
		CHECK_EQ_U64(fdt32_to_cpu(p[2]), 0);
		CHECK_EQ_U64(fdt32_to_cpu(p[3]), 0x100);
	}
	p = fdt_getprop(buf, node, "interrupts", &len);
	CHECK(p && len == 4 && fdt32_to_cpu(*p) == 10);
	p = fdt_getprop(buf, node, "interrupt-parent", &len);
	CHECK(p && len == 4 && fdt32_to_cpu(*p) == 5);
	p = fdt_getprop(buf, node, "clock-frequency", &len);
	CHECK(p && len == 4 && fdt32_to_cpu(*p) == 3686400);
	teardown();
}

/*
 * Threads: a console thread feeds a long stream through receive and
 * wait_rx_space while a vCPU thread reads it back and another writes
 * THR; the stream must arrive whole and in order, the output whole and
 * never from two threads at once.
 */
#define STREAM_LEN 200000
#define TX_LEN 20000

static void *console_thread(void *arg)
{
	uint8_t chunk[64];
	unsigned sent = 0, i, n;

	(void)arg;
	while (sent < STREAM_LEN) {
		n = sizeof(chunk);
		if (n > STREAM_LEN - sent)
			n = STREAM_LEN - sent;
		for (i = 0; i < n; i++)
			chunk[i] = (uint8_t)((sent + i) * 7);
		i = (unsigned)uart_ns16550a_receive(&uart, chunk, n);
		sent += i;
		if (i < n)
			uart_ns16550a_wait_rx_space(&uart);
	}
	return NULL;
}

static void *writer_thread(void *arg)
{
	unsigned i;

	(void)arg;
	for (i = 0; i < TX_LEN; i++) {
		while (!(rd(LSR) & 0x20))
			;
		wr(RBR, 'w');
	}
	return NULL;
}

static void *waiter_thread(void *arg)
{
	uart_ns16550a_wait_rx_space(&uart);
	return NULL;
}

static void test_threads(void)
{
	pthread_t console, writer, waiter;
	unsigned got = 0;
	bool ok = true;

	setup();
	wr(FCR, 0xc1);
	wr(IER, 0x03);
	pthread_create(&console, NULL, console_thread, NULL);
	pthread_create(&writer, NULL, writer_thread, NULL);
	while (got < STREAM_LEN) {
		if (!(rd(LSR) & 0x01))
			continue;
		if (rd(RBR) != (uint8_t)(got * 7))
			ok = false;
		got++;
	}
	pthread_join(console, NULL);
	pthread_join(writer, NULL);
	CHECK(ok);
	CHECK_EQ_U64(txr.total, TX_LEN);
	CHECK(!txr.overlap);
	CHECK_EQ_U64(rd(LSR), 0x60);

	/* stop_waiting releases a console thread blocked on a full FIFO */
	while (uart_ns16550a_receive(&uart, (const uint8_t *)"z", 1))
		;
	pthread_create(&waiter, NULL, waiter_thread, NULL);
	uart_ns16550a_stop_waiting(&uart);
	pthread_join(waiter, NULL);
	CHECK(rd(LSR) & 0x01);
	teardown();
}

int main(void)
{
	test_reset_and_region();
	test_divisor_latch();
	test_transmit();
	test_thre_interrupt();
	test_rx_fifo();
	test_priority();
	test_fdt();
	test_threads();
	return unit_done("test_uart");
}
