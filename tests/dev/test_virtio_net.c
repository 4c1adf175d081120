/*
 * virtio-net (virtio/net.c) on a real libslirp back end (net/user.c),
 * driven through the bus without a CPU, the test playing the driver as
 * Linux's virtio_net does. Expected values come from virtio 1.2 section
 * 5.1 (device id, feature bits, config layout, virtio_net_hdr and
 * num_buffers) and from the protocols slirp answers: an ARP request for
 * the host 10.0.2.2 gets an ARP reply (RFC 826), a DHCP discover gets an
 * offer of 10.0.2.15 (RFC 2131).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tests/unit/unit.h"
#include "virtio/net.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (1ull << 20)
#define MMIO_BASE 0x10001000ull
#define IRQ_NUM 3

/* feature bits, 5.1.3 and 6 */
#define NET_F_CSUM 0
#define NET_F_GUEST_CSUM 1
#define NET_F_MAC 5
#define NET_F_HOST_TSO4 11
#define NET_F_MRG_RXBUF 15
#define NET_F_STATUS 16
#define NET_F_CTRL_VQ 17
#define F_VERSION_1 32

#define HDR 12
#define QSIZE 16

static const uint8_t guest_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

static struct bus bus;

#include "tests/dev/virtio_driver.h"
static struct virtio_net *net;
static bool irq_level;

static void irq_set(void *ctx, unsigned num, bool level)
{
	irq_level = level;
}

static const struct irq_line irq = { irq_set, NULL, IRQ_NUM };

static uint8_t rd8(uint64_t off)
{
	uint64_t v = 0xdeadbeef;

	CHECK(bus_read(&bus, MMIO_BASE + off, 1, &v) == 0);
	return (uint8_t)v;
}

/* --- the driver's side of one split queue ---------------------------- */

struct drvq {
	unsigned index;
	uint64_t desc, avail, used, bufs;
	uint16_t avail_idx, used_seen, next_desc;
	uint64_t next_buf;
};

static struct drvq rxq = { .index = 0,
			   .desc = RAM_BASE + 0x0000,
			   .avail = RAM_BASE + 0x1000,
			   .used = RAM_BASE + 0x2000,
			   .bufs = RAM_BASE + 0x10000 };
static struct drvq txq = { .index = 1,
			   .desc = RAM_BASE + 0x4000,
			   .avail = RAM_BASE + 0x5000,
			   .used = RAM_BASE + 0x6000,
			   .bufs = RAM_BASE + 0x40000 };

static void drvq_reset(struct drvq *q)
{
	q->avail_idx = q->used_seen = q->next_desc = 0;
	q->next_buf = q->bufs;
	memset(ram(q->desc), 0, 0x3000);
}

static void desc_write(struct drvq *q, unsigned i, uint64_t addr, uint32_t len,
		       uint16_t flags, uint16_t next)
{
	desc_at(q->desc, i % QSIZE, addr, len, flags, next);
}

/* Makes chain of n descriptors (head returned) available. */
static uint16_t drvq_publish(struct drvq *q, uint16_t head)
{
	put16(q->avail + 4 + 2 * (q->avail_idx % QSIZE), head);
	q->avail_idx++;
	put16(q->avail + 2, q->avail_idx);
	return head;
}

/* A buffer area in RAM for the next chain. */
static uint64_t drvq_buf(struct drvq *q, uint32_t len)
{
	uint64_t gpa = q->next_buf;

	q->next_buf += (len + 15) & ~15u;
	return gpa;
}

static void queue_setup(struct drvq *q)
{
	drvq_reset(q);
	wr(QUEUE_SEL, q->index);
	CHECK_EQ_U64(rd(QUEUE_NUM_MAX), 256);
	wr(QUEUE_NUM, QSIZE);
	wr(QUEUE_DESC_LOW, (uint32_t)q->desc);
	wr(QUEUE_DESC_HIGH, (uint32_t)(q->desc >> 32));
	wr(QUEUE_DRIVER_LOW, (uint32_t)q->avail);
	wr(QUEUE_DRIVER_HIGH, (uint32_t)(q->avail >> 32));
	wr(QUEUE_DEVICE_LOW, (uint32_t)q->used);
	wr(QUEUE_DEVICE_HIGH, (uint32_t)(q->used >> 32));
	wr(QUEUE_READY, 1);
	CHECK_EQ_U64(rd(QUEUE_READY), 1);
}

static uint64_t device_features(void)
{
	wr(DEV_FEAT_SEL, 0);
	uint64_t lo = rd(DEV_FEAT);
	wr(DEV_FEAT_SEL, 1);
	return lo | (uint64_t)rd(DEV_FEAT) << 32;
}

/* 3.1.1, with the features given; returns the status read back. */
static uint32_t driver_init(uint64_t features)
{
	wr(STATUS, 0);
	wr(STATUS, S_ACK);
	wr(STATUS, S_ACK | S_DRIVER);
	wr(DRV_FEAT_SEL, 0);
	wr(DRV_FEAT, (uint32_t)features);
	wr(DRV_FEAT_SEL, 1);
	wr(DRV_FEAT, (uint32_t)(features >> 32));
	wr(STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
	if (!(rd(STATUS) & S_FEATURES_OK))
		return rd(STATUS);
	queue_setup(&rxq);
	queue_setup(&txq);
	wr(STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
	return rd(STATUS);
}

static void poll_for(struct drvq *q, uint16_t want_used, int max_ms)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		virtio_net_poll(net, 10);
		if ((uint16_t)(get16(q->used + 2) - q->used_seen) >= want_used)
			return;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 +
			    (t.tv_nsec - t0.tv_nsec) / 1000000 >
		    max_ms)
			return;
	}
}

/* --- frames ---------------------------------------------------------- */

static size_t arp_request(uint8_t *f)
{
	static const uint8_t arp[] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,		/* dst */
		0x52, 0x54, 0x00, 0x12, 0x34, 0x56,		/* src */
		0x08, 0x06,					/* ARP */
		0x00, 0x01, 0x08, 0x00, 6,    4,    0x00, 0x01, /* request */
		0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 10,	  0,	2, 15,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 10,	  0,	2, 2,
	};

	memcpy(f, arp, sizeof(arp));
	return sizeof(arp);
}

static uint16_t ip_checksum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* A DHCPDISCOVER from the guest's MAC, xid 0x12345678. */
static size_t dhcp_discover(uint8_t *f)
{
	uint8_t *ip = f + 14, *udp = ip + 20, *bootp = udp + 8;
	size_t bootp_len = 240 + 4, udp_len = 8 + bootp_len;
	uint16_t ck;

	memset(f, 0, 14 + 20 + udp_len);
	memset(f, 0xff, 6);
	memcpy(f + 6, guest_mac, 6);
	f[12] = 0x08;
	ip[0] = 0x45;
	ip[2] = (uint8_t)((20 + udp_len) >> 8);
	ip[3] = (uint8_t)(20 + udp_len);
	ip[8] = 64;
	ip[9] = 17;
	memset(ip + 16, 0xff, 4);
	ck = ip_checksum(ip, 20);
	ip[10] = (uint8_t)(ck >> 8);
	ip[11] = (uint8_t)ck;
	udp[1] = 68;
	udp[3] = 67;
	udp[4] = (uint8_t)(udp_len >> 8);
	udp[5] = (uint8_t)udp_len;
	bootp[0] = 1; /* BOOTREQUEST */
	bootp[1] = 1; /* Ethernet */
	bootp[2] = 6;
	bootp[4] = 0x12, bootp[5] = 0x34, bootp[6] = 0x56, bootp[7] = 0x78;
	memcpy(bootp + 28, guest_mac, 6);
	bootp[236] = 99, bootp[237] = 130, bootp[238] = 83, bootp[239] = 99;
	bootp[240] = 53, bootp[241] = 1, bootp[242] = 1; /* DISCOVER */
	bootp[243] = 255;
	return 14 + 20 + udp_len;
}

/* Posts one transmit chain: header descriptor, frame descriptor. */
static void tx_send(const uint8_t *frame, size_t len, uint8_t gso_type)
{
	uint64_t h = drvq_buf(&txq, HDR), b = drvq_buf(&txq, (uint32_t)len);
	uint16_t d = txq.next_desc;

	memset(ram(h), 0, HDR);
	ram(h)[1] = gso_type;
	memcpy(ram(b), frame, len);
	desc_write(&txq, d, h, HDR, F_NEXT, (d + 1) % QSIZE);
	desc_write(&txq, d + 1, b, (uint32_t)len, 0, 0);
	txq.next_desc = (uint16_t)((d + 2) % QSIZE);
	drvq_publish(&txq, d);
	wr(QUEUE_NOTIFY, 1);
}

/* Posts n receive buffers of len bytes, each its own chain. */
static void rx_post(unsigned n, uint32_t len)
{
	for (unsigned i = 0; i < n; i++) {
		uint16_t d = rxq.next_desc;
		uint64_t b = drvq_buf(&rxq, len);

		memset(ram(b), 0xaa, len);
		desc_write(&rxq, d, b, len, F_WRITE, 0);
		rxq.next_desc = (uint16_t)((d + 1) % QSIZE);
		drvq_publish(&rxq, d);
	}
}

/* The address of the buffer descriptor id points to. */
static uint64_t desc_addr(struct drvq *q, uint32_t id)
{
	uint64_t a;

	memcpy(&a, ram(q->desc + 16 * (id % QSIZE)), 8);
	return a;
}

/*
 * Takes the next received frame (all its buffers) off the used ring into
 * out (header stripped); returns its length, or 0 when there is none.
 */
static size_t rx_take(uint8_t *out, size_t cap, unsigned *nbufs)
{
	uint16_t used = get16(rxq.used + 2), nb;
	uint8_t hdr[HDR];
	size_t got = 0;

	if (used == rxq.used_seen)
		return 0;
	for (unsigned i = 0;; i++) {
		uint64_t e = rxq.used + 4 + 8 * (rxq.used_seen % QSIZE);
		uint32_t id = get32(e), len = get32(e + 4);
		uint64_t a = desc_addr(&rxq, id);

		for (uint32_t k = 0; k < len; k++, got++) {
			if (got < HDR)
				hdr[got] = *ram(a + k);
			else if (got - HDR < cap)
				out[got - HDR] = *ram(a + k);
		}
		rxq.used_seen++;
		memcpy(&nb, hdr + 10, 2);
		if (i == 0)
			*nbufs = nb;
		if (i + 1 >= nb)
			break;
		/* 5.1.6.4.2: every buffer of the frame is already used */
		CHECK(rxq.used_seen != used);
		if (rxq.used_seen == used)
			break;
	}
	return got < HDR ? 0 : got - HDR;
}

static void check_arp_reply(const uint8_t *f, size_t len)
{
	static const uint8_t sender_ip[4] = { 10, 0, 2, 2 };
	static const uint8_t target_ip[4] = { 10, 0, 2, 15 };

	CHECK(len >= 42);
	CHECK(!memcmp(f, guest_mac, 6));
	CHECK(f[12] == 0x08 && f[13] == 0x06);
	CHECK(f[20] == 0 && f[21] == 2); /* reply */
	CHECK(!memcmp(f + 28, sender_ip, 4));
	CHECK(!memcmp(f + 32, guest_mac, 6));
	CHECK(!memcmp(f + 38, target_ip, 4));
}

/* --- tests ----------------------------------------------------------- */

static void test_identity(void)
{
	uint64_t f = device_features();

	CHECK_EQ_U64(rd(DEVICE_ID), 1);
	CHECK(f & (1ull << NET_F_MAC));
	CHECK(f & (1ull << NET_F_STATUS));
	CHECK(f & (1ull << NET_F_MRG_RXBUF));
	CHECK(f & (1ull << F_VERSION_1));
	CHECK(!(f & (1ull << NET_F_CSUM)));
	CHECK(!(f & (1ull << NET_F_GUEST_CSUM)));
	CHECK(!(f & (1ull << NET_F_HOST_TSO4)));
	CHECK(!(f & (1ull << NET_F_CTRL_VQ)));
	for (unsigned i = 0; i < 6; i++)
		CHECK_EQ_U64(rd8(CONFIG + i), guest_mac[i]);
	/* status: VIRTIO_NET_S_LINK_UP */
	CHECK_EQ_U64(rd8(CONFIG + 6) | rd8(CONFIG + 7) << 8, 1);
	/* a queue that does not exist has no size */
	wr(QUEUE_SEL, 2);
	CHECK_EQ_U64(rd(QUEUE_NUM_MAX), 0);
	/* an offload the device did not offer is refused (3.1.1) */
	CHECK(!(driver_init((1ull << F_VERSION_1) | (1ull << NET_F_CSUM)) &
		S_FEATURES_OK));
}

static uint8_t reply1[2048];
static size_t reply1_len;

static void test_arp(void)
{
	uint8_t frame[64], got[2048];
	unsigned nb = 0;
	size_t len;

	CHECK_EQ_U64(driver_init((1ull << F_VERSION_1) | (1ull << NET_F_MAC) |
				 (1ull << NET_F_STATUS) |
				 (1ull << NET_F_MRG_RXBUF)),
		     S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
	rx_post(4, 2048);
	wr(QUEUE_NOTIFY, 0);
	tx_send(frame, arp_request(frame), 0);
	poll_for(&rxq, 1, 2000);
	/* the transmit buffer came back, with nothing written */
	CHECK_EQ_U64(get16(txq.used + 2), 1);
	CHECK_EQ_U64(get32(txq.used + 8), 0);
	len = rx_take(got, sizeof(got), &nb);
	CHECK_EQ_U64(nb, 1);
	check_arp_reply(got, len);
	CHECK(irq_level);
	CHECK(rd(INT_STATUS) & 1);
	wr(INT_ACK, rd(INT_STATUS));
	CHECK(!irq_level);
	memcpy(reply1, got, len);
	reply1_len = len;
}

static void test_dhcp(void)
{
	uint8_t frame[400], got[2048];
	unsigned nb = 0;
	size_t len;

	tx_send(frame, dhcp_discover(frame), 0);
	poll_for(&rxq, 1, 2000);
	len = rx_take(got, sizeof(got), &nb);
	CHECK(len >= 14 + 20 + 8 + 240);
	if (len < 14 + 20 + 8 + 240)
		return;
	/* IPv4 UDP from 10.0.2.2:67 to port 68, BOOTREPLY with our xid,
	 * yiaddr 10.0.2.15, option 53 = DHCPOFFER */
	CHECK(got[12] == 0x08 && got[13] == 0x00);
	CHECK(got[14 + 9] == 17);
	CHECK(got[14 + 12] == 10 && got[14 + 15] == 2);
	CHECK(got[34 + 1] == 67 && got[34 + 3] == 68);
	const uint8_t *b = got + 42;
	CHECK(b[0] == 2);
	CHECK(b[4] == 0x12 && b[5] == 0x34 && b[6] == 0x56 && b[7] == 0x78);
	CHECK(b[16] == 10 && b[17] == 0 && b[18] == 2 && b[19] == 15);
	CHECK(b[240] == 53 && b[241] == 1 && b[242] == 2);
}

/* A frame spread over buffers of 20 bytes, published at once. */
static void test_mergeable(void)
{
	uint8_t frame[64], got[2048];
	unsigned nb = 0, want;
	size_t len;

	/* a fresh start: no big buffers left over */
	CHECK_EQ_U64(
		driver_init((1ull << F_VERSION_1) | (1ull << NET_F_MRG_RXBUF)),
		S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
	want = (unsigned)((HDR + reply1_len + 19) / 20);
	rx_post(want + 2, 20);
	wr(QUEUE_NOTIFY, 0);
	tx_send(frame, arp_request(frame), 0);
	poll_for(&rxq, want, 2000);
	CHECK_EQ_U64((uint16_t)(get16(rxq.used + 2) - rxq.used_seen), want);
	len = rx_take(got, sizeof(got), &nb);
	CHECK_EQ_U64(nb, want);
	CHECK_EQ_U64(len, reply1_len);
	CHECK(!memcmp(got, reply1, reply1_len));
	/* the two spare buffers stay with the device */
	CHECK_EQ_U64(get16(rxq.used + 2), rxq.used_seen);
}

/* A frame that arrives without buffers waits for the driver's notify. */
static void test_backlog(void)
{
	uint8_t frame[64], got[2048];
	unsigned nb = 0;
	uint16_t used;

	/* use the two spare 20-byte buffers left by test_mergeable */
	tx_send(frame, arp_request(frame), 0);
	poll_for(&rxq, 1, 300);
	used = get16(rxq.used + 2);
	CHECK_EQ_U64(used, rxq.used_seen);
	rx_post(4, 2048);
	wr(QUEUE_NOTIFY, 0);
	poll_for(&rxq, 1, 2000);
	CHECK(rx_take(got, sizeof(got), &nb) == reply1_len);
	CHECK(!memcmp(got, reply1, reply1_len));
	CHECK_EQ_U64(nb, 3); /* 20 + 20 + one big buffer */
}

/* Malformed transmit requests are dropped; the device keeps going. */
static void test_bad_tx(void)
{
	static uint8_t big[70000];
	uint8_t frame[64], got[2048];
	uint16_t tx_used = get16(txq.used + 2);
	unsigned nb;

	/* header only */
	uint64_t h = drvq_buf(&txq, HDR);
	uint16_t d = txq.next_desc;
	desc_write(&txq, d, h, HDR, 0, 0);
	txq.next_desc = (uint16_t)((d + 1) % QSIZE);
	drvq_publish(&txq, d);
	wr(QUEUE_NOTIFY, 1);
	/* a GSO packet that was not negotiated */
	tx_send(frame, arp_request(frame), 1);
	/* larger than any frame: an ARP request padded to 70000 bytes */
	arp_request(big);
	tx_send(big, sizeof(big), 0);
	/* a transmit chain with a writable buffer */
	h = drvq_buf(&txq, HDR + 64);
	d = txq.next_desc;
	memset(ram(h), 0, HDR);
	arp_request(ram(h + HDR));
	desc_write(&txq, d, h, HDR + 42, F_NEXT, (d + 1) % QSIZE);
	desc_write(&txq, d + 1, h + HDR + 48, 16, F_WRITE, 0);
	txq.next_desc = (uint16_t)((d + 2) % QSIZE);
	drvq_publish(&txq, d);
	wr(QUEUE_NOTIFY, 1);
	poll_for(&rxq, 1, 300);
	CHECK_EQ_U64(get16(txq.used + 2), (uint16_t)(tx_used + 4));
	CHECK_EQ_U64(get16(rxq.used + 2), rxq.used_seen);
	CHECK(!(rd(STATUS) & S_NEEDS_RESET));
	/* and a good one still works */
	tx_send(frame, arp_request(frame), 0);
	poll_for(&rxq, 1, 2000);
	check_arp_reply(got, rx_take(got, sizeof(got), &nb));
}

/* Broken rings need a reset; after it the device works again. */
static void test_broken(void)
{
	uint8_t frame[64], got[2048];
	unsigned nb = 0;
	uint16_t d;

	/* a transmit buffer outside RAM */
	d = txq.next_desc;
	desc_write(&txq, d, RAM_BASE + RAM_SIZE - 8, 64, 0, 0);
	txq.next_desc = (uint16_t)((d + 1) % QSIZE);
	drvq_publish(&txq, d);
	wr(QUEUE_NOTIFY, 1);
	virtio_net_poll(net, 10);
	CHECK(rd(STATUS) & S_NEEDS_RESET);
	CHECK(rd(INT_STATUS) & 2);

	/* a receive buffer the device may not write */
	driver_init((1ull << F_VERSION_1) | (1ull << NET_F_MRG_RXBUF));
	d = rxq.next_desc;
	desc_write(&rxq, d, drvq_buf(&rxq, 2048), 2048, 0, 0);
	rxq.next_desc = (uint16_t)((d + 1) % QSIZE);
	drvq_publish(&rxq, d);
	tx_send(frame, arp_request(frame), 0);
	poll_for(&rxq, 1, 2000);
	CHECK(rd(STATUS) & S_NEEDS_RESET);

	/* an avail index far ahead of the device */
	driver_init((1ull << F_VERSION_1) | (1ull << NET_F_MRG_RXBUF));
	put16(txq.avail + 2, 100);
	wr(QUEUE_NOTIFY, 1);
	virtio_net_poll(net, 10);
	CHECK(rd(STATUS) & S_NEEDS_RESET);

	/* reset, again without MRG_RXBUF: one buffer per frame,
	 * num_buffers 1 */
	CHECK_EQ_U64(driver_init(1ull << F_VERSION_1),
		     S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
	rx_post(2, 20);
	rx_post(2, 2048);
	tx_send(frame, arp_request(frame), 0);
	poll_for(&rxq, 1, 300);
	/* the first buffer cannot hold the frame and, without MRG_RXBUF,
	 * no other may take the rest: dropped */
	CHECK_EQ_U64(get16(rxq.used + 2), rxq.used_seen);
	wr(STATUS, 0);
	CHECK_EQ_U64(driver_init(1ull << F_VERSION_1),
		     S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
	rx_post(2, 2048);
	tx_send(frame, arp_request(frame), 0);
	poll_for(&rxq, 1, 2000);
	check_arp_reply(got, rx_take(got, sizeof(got), &nb));
	CHECK_EQ_U64(nb, 1);
}

/* A forwarded port that is taken makes the device fail, naming it. */
static void test_port_in_use(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct net_config cfg = { .enabled = true, .nfwd = 1 };
	socklen_t alen = sizeof(a);
	struct virtio_net *n2;
	const char *why = NULL;
	char port[16];
	int s = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(s >= 0 && bind(s, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	      listen(s, 1) == 0 &&
	      getsockname(s, (struct sockaddr *)&a, &alen) == 0);
	cfg.fwd[0] = (struct net_hostfwd){ .host_addr = htonl(INADDR_LOOPBACK),
					   .host_port = ntohs(a.sin_port),
					   .guest_port = 80 };
	n2 = virtio_net_create(&bus, &irq, &cfg, &why);
	CHECK(n2 == NULL);
	snprintf(port, sizeof(port), ":%u", ntohs(a.sin_port));
	CHECK(why && strstr(why, port) && !strchr(why, '\n'));
	if (why)
		printf("port in use: %s\n", why);
	close(s);
	/* the port free again: the threaded device starts and stops */
	why = NULL;
	n2 = virtio_net_create(&bus, &irq, &cfg, &why);
	CHECK(n2 != NULL);
	virtio_net_destroy(n2);
}

int main(void)
{
	struct net_config cfg = { .enabled = true };
	struct mmio_region r;
	const char *why = NULL;

	if (bus_init(&bus, RAM_BASE, RAM_SIZE, false)) {
		fprintf(stderr, "bus_init failed\n");
		return 1;
	}
	net = virtio_net_create_manual(&bus, &irq, &cfg, &why);
	if (!net) {
		fprintf(stderr, "virtio_net_create: %s\n", why);
		return 1;
	}
	r = virtio_mmio_region(virtio_net_transport(net), MMIO_BASE);
	CHECK(bus_add_region(&bus, &r) == 0);
	test_identity();
	test_arp();
	test_dhcp();
	test_mergeable();
	test_backlog();
	test_bad_tx();
	test_broken();
	test_port_in_use();
	virtio_net_destroy(net);
	bus_destroy(&bus);
	return unit_done("test_virtio_net");
}
