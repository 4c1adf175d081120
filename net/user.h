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

#endif
