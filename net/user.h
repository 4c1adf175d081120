/*
 * The user-mode network (QEMU's "-net user"), through libslirp: a NAT
 * with DHCP (the guest gets 10.0.2.15, the host is 10.0.2.2, DNS at
 * 10.0.2.3) and host ports forwarded into the guest. The slirp event loop
 * runs on the back end's own thread, never on a vCPU thread.
 */
#ifndef NET_USER_H
#define NET_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NET_MAX_HOSTFWD 16

struct net_hostfwd {
	bool udp;
	uint32_t host_addr; /* IPv4, network byte order; default 127.0.0.1 */
	uint16_t host_port, guest_port;
};

struct net_config {
	bool enabled;
	unsigned nfwd;
	struct net_hostfwd fwd[NET_MAX_HOSTFWD];
};

/*
 * Parses the value of --net: "user[,hostfwd=tcp|udp:[ADDR]:HPORT-:GPORT]..."
 * into cfg (enabled, forwards appended). Returns 0, or -1 with a one-line
 * reason in why.
 */
int net_config_parse(const char *arg, struct net_config *cfg, char *why,
		     size_t why_len);

/*
 * The back end. Its data path runs on one thread (its own, or the
 * caller's with NET_USER_MANUAL): the slirp event loop calls ops->receive
 * with each frame for the guest, and ops->kicked after net_user_kick, so
 * that the device can move the guest's frames with net_user_send on that
 * same thread. The guest's transmit ring is the bounded queue between the
 * vCPUs and the back end: a vCPU only kicks, which never blocks.
 */
struct net_user;

struct net_user_ops {
	/* a frame for the guest, valid during the call */
	void (*receive)(void *ctx, const uint8_t *frame, size_t len);
	/* after a kick; returns true when work remains (run again soon) */
	bool (*kicked)(void *ctx);
};

enum net_user_mode {
	NET_USER_THREAD, /* the back end runs its own thread */
	/* tests and fuzzing: the caller runs it with net_user_poll, and
	 * slirp is restricted (no connection leaves for the host; ARP,
	 * DHCP and forwarded ports still work) */
	NET_USER_MANUAL,
};

/*
 * Starts slirp with the forwards of cfg (listening when this returns).
 * Returns NULL with a one-line reason in why, naming a port in use.
 */
struct net_user *net_user_create(const struct net_config *cfg,
				 enum net_user_mode mode,
				 const struct net_user_ops *ops, void *ctx,
				 char *why, size_t why_len);
/* Stops the thread; no callback runs after this returns. */
void net_user_destroy(struct net_user *u);
/* Any thread: asks for ops->kicked on the back end's thread. */
void net_user_kick(struct net_user *u);
/* Back end thread only (inside ops->kicked): a frame from the guest. */
void net_user_send(struct net_user *u, const uint8_t *frame, size_t len);
/* NET_USER_MANUAL: one turn of the event loop, waiting up to timeout_ms. */
void net_user_poll(struct net_user *u, int timeout_ms);

#endif
