/*
 * The user-mode network back end on libslirp (see user.h): the parser of
 * --net, and the event loop that owns the Slirp instance.
 *
 * libslirp is not thread-safe, so every slirp_* call after creation is
 * made on one thread: the loop polls slirp's sockets, an eventfd that
 * other threads write to kick it, and slirp's timers (kept here in a
 * small list, since slirp asks the application for them).
 */
#include "net/user.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <slirp/libslirp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"

/* the network QEMU's -net user gives a guest */
#define NET_USER_NETWORK "10.0.2.0"
#define NET_USER_NETMASK "255.255.255.0"
#define NET_USER_HOST "10.0.2.2"
#define NET_USER_DHCP_START "10.0.2.15"
#define NET_USER_DNS "10.0.2.3"

#define NET_OPT_MAX 128

static int net_fail(char *why, size_t why_len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int net_fail(char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, why_len, fmt, ap);
	va_end(ap);
	return -1;
}

/* Decimal digits only, 1 to 65535 (no sign, no spaces, no hex). */
static int net_parse_port(const char *s, const char *what, uint16_t *port,
			  char *why, size_t why_len)
{
	unsigned long v = 0;
	const char *p = s;

	while (*p >= '0' && *p <= '9' && v <= 65535)
		v = v * 10 + (unsigned long)(*p++ - '0');
	if (p == s || *p || v < 1 || v > 65535)
		return net_fail(why, why_len,
				"%s port '%s' is not a number from 1 to 65535",
				what, s);
	*port = (uint16_t)v;
	return 0;
}

/* "tcp|udp:[ADDR]:HPORT-:GPORT" (QEMU's hostfwd; the protocol may be
 * left out and means tcp) */
static int net_parse_hostfwd(const char *val, struct net_hostfwd *fwd,
			     char *why, size_t why_len)
{
	char buf[NET_OPT_MAX], *proto, *host, *guest, *hport, *gport, *p;
	char copy[NET_OPT_MAX];
	struct in_addr addr;

	if (strlen(val) >= sizeof(buf))
		return net_fail(why, why_len, "hostfwd '%.20s...' is too long",
				val);
	strcpy(buf, val);
	strcpy(copy, val);
	proto = buf;
	p = strchr(buf, ':');
	if (!p)
		goto bad_form;
	*p = '\0';
	host = p + 1;
	if (!strcmp(proto, "tcp") || !*proto)
		fwd->udp = false;
	else if (!strcmp(proto, "udp"))
		fwd->udp = true;
	else
		return net_fail(why, why_len,
				"hostfwd protocol '%s' is not tcp or udp",
				proto);
	p = strchr(host, '-');
	if (!p)
		goto bad_form;
	*p = '\0';
	guest = p + 1;
	p = strrchr(host, ':');
	if (!p)
		goto bad_form;
	*p = '\0';
	hport = p + 1;
	fwd->host_addr = htonl(INADDR_LOOPBACK);
	if (*host) {
		if (inet_pton(AF_INET, host, &addr) != 1)
			return net_fail(why, why_len,
					"hostfwd address '%s' is not an IPv4 "
					"address",
					host);
		fwd->host_addr = addr.s_addr;
	}
	p = strchr(guest, ':');
	if (!p)
		goto bad_form;
	*p = '\0';
	gport = p + 1;
	/* the guest is always at the DHCP start address */
	if (*guest) {
		if (inet_pton(AF_INET, guest, &addr) != 1)
			goto bad_form;
		if (addr.s_addr != inet_addr(NET_USER_DHCP_START))
			return net_fail(why, why_len,
					"hostfwd guest address '%s' is not "
					"the guest's %s",
					guest, NET_USER_DHCP_START);
	}
	if (net_parse_port(hport, "host", &fwd->host_port, why, why_len) ||
	    net_parse_port(gport, "guest", &fwd->guest_port, why, why_len))
		return -1;
	return 0;
bad_form:
	return net_fail(why, why_len,
			"hostfwd '%s' is not tcp|udp:[ADDR]:HPORT-:GPORT",
			copy);
}

int net_config_parse(const char *arg, struct net_config *cfg, char *why,
		     size_t why_len)
{
	const char *opt = arg, *end;
	struct net_hostfwd fwd;
	char buf[NET_OPT_MAX];
	size_t len;

	if (strncmp(arg, "user", 4) || (arg[4] && arg[4] != ','))
		return net_fail(why, why_len,
				"'%s' is not a network type (use user)", arg);
	opt = arg + 4;
	while (*opt == ',') {
		opt++;
		end = strchrnul(opt, ',');
		len = (size_t)(end - opt);
		if (len == 0)
			return net_fail(why, why_len, "empty option in '%s'",
					arg);
		if (len >= sizeof(buf))
			return net_fail(why, why_len,
					"option '%.20s...' is too long", opt);
		memcpy(buf, opt, len);
		buf[len] = '\0';
		opt = end;
		if (strncmp(buf, "hostfwd=", 8))
			return net_fail(why, why_len,
					"unknown option '%s' (only hostfwd=)",
					buf);
		if (net_parse_hostfwd(buf + 8, &fwd, why, why_len))
			return -1;
		for (unsigned i = 0; i < cfg->nfwd; i++)
			if (cfg->fwd[i].udp == fwd.udp &&
			    cfg->fwd[i].host_port == fwd.host_port)
				return net_fail(why, why_len,
						"host port %s:%u is forwarded "
						"twice",
						fwd.udp ? "udp" : "tcp",
						fwd.host_port);
		if (cfg->nfwd == NET_MAX_HOSTFWD)
			return net_fail(why, why_len,
					"more than %d hostfwd options",
					NET_MAX_HOSTFWD);
		cfg->fwd[cfg->nfwd++] = fwd;
	}
	cfg->enabled = true;
	return 0;
}

/* ---- the back end ---------------------------------------------------- */

struct net_timer {
	struct net_timer *next;
	SlirpTimerId id;
	void *cb_opaque;
	int64_t expire_ms; /* -1: not armed */
};

struct net_user {
	Slirp *slirp;
	const struct net_user_ops *ops;
	void *ctx;
	enum net_user_mode mode;
	int kick_fd;
	pthread_t thread;
	bool running;
	atomic_bool stopping;
	bool more; /* ops->kicked left work: poll without waiting */
	struct net_timer *timers;
	struct pollfd *fds;
	unsigned nfds, fds_cap;
};

static int64_t net_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static ssize_t net_cb_send_packet(const void *buf, size_t len, void *opaque)
{
	struct net_user *u = opaque;

	u->ops->receive(u->ctx, buf, len);
	return (ssize_t)len;
}

static void net_cb_guest_error(const char *msg, void *opaque)
{
	log_guest_error("net: %s", msg);
}

static int64_t net_cb_clock_get_ns(void *opaque)
{
	return net_now_ns();
}

static void *net_cb_timer_new_opaque(SlirpTimerId id, void *cb_opaque,
				     void *opaque)
{
	struct net_user *u = opaque;
	struct net_timer *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->id = id;
	t->cb_opaque = cb_opaque;
	t->expire_ms = -1;
	t->next = u->timers;
	u->timers = t;
	return t;
}

static void net_cb_timer_free(void *timer, void *opaque)
{
	struct net_user *u = opaque;

	for (struct net_timer **pp = &u->timers; *pp; pp = &(*pp)->next) {
		if (*pp == timer) {
			*pp = (*pp)->next;
			free(timer);
			return;
		}
	}
}

static void net_cb_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
	struct net_timer *t = timer;

	if (t)
		t->expire_ms = expire_ms;
}

static void net_cb_register_poll_fd(int fd, void *opaque)
{
}

static void net_cb_unregister_poll_fd(int fd, void *opaque)
{
}

/* slirp calls this on our own thread, from inside the loop */
static void net_cb_notify(void *opaque)
{
}

static const SlirpCb net_slirp_cb = {
	.send_packet = net_cb_send_packet,
	.guest_error = net_cb_guest_error,
	.clock_get_ns = net_cb_clock_get_ns,
	.timer_free = net_cb_timer_free,
	.timer_mod = net_cb_timer_mod,
	.register_poll_fd = net_cb_register_poll_fd,
	.unregister_poll_fd = net_cb_unregister_poll_fd,
	.notify = net_cb_notify,
	.timer_new_opaque = net_cb_timer_new_opaque,
};

static short net_poll_events(int slirp_events)
{
	short ev = 0;

	if (slirp_events & SLIRP_POLL_IN)
		ev |= POLLIN;
	if (slirp_events & SLIRP_POLL_OUT)
		ev |= POLLOUT;
	if (slirp_events & SLIRP_POLL_PRI)
		ev |= POLLPRI;
	if (slirp_events & SLIRP_POLL_ERR)
		ev |= POLLERR;
	if (slirp_events & SLIRP_POLL_HUP)
		ev |= POLLHUP;
	return ev;
}

static int net_add_poll(int fd, int events, void *opaque)
{
	struct net_user *u = opaque;
	struct pollfd *fds;
	unsigned cap;

	if (u->nfds == u->fds_cap) {
		cap = u->fds_cap ? 2 * u->fds_cap : 16;
		fds = realloc(u->fds, cap * sizeof(*fds));
		if (!fds)
			return -1;
		u->fds = fds;
		u->fds_cap = cap;
	}
	u->fds[u->nfds] =
		(struct pollfd){ .fd = fd, .events = net_poll_events(events) };
	return (int)u->nfds++;
}

static int net_get_revents(int idx, void *opaque)
{
	struct net_user *u = opaque;
	short re;
	int ev = 0;

	if (idx < 0 || (unsigned)idx >= u->nfds)
		return 0;
	re = u->fds[idx].revents;
	if (re & POLLIN)
		ev |= SLIRP_POLL_IN;
	if (re & POLLOUT)
		ev |= SLIRP_POLL_OUT;
	if (re & POLLPRI)
		ev |= SLIRP_POLL_PRI;
	if (re & POLLERR)
		ev |= SLIRP_POLL_ERR;
	if (re & POLLHUP)
		ev |= SLIRP_POLL_HUP;
	return ev;
}

/* Fires expired timers; returns ms until the next one, or -1. */
static int64_t net_run_timers(struct net_user *u)
{
	int64_t now = net_now_ns() / 1000000, next = -1;
	bool fired;

	do {
		fired = false;
		for (struct net_timer *t = u->timers; t; t = t->next) {
			if (t->expire_ms < 0)
				continue;
			if (t->expire_ms <= now) {
				t->expire_ms = -1;
				slirp_handle_timer(u->slirp, t->id,
						   t->cb_opaque);
				/* the callback may have freed or added
				 * timers: walk the list again */
				fired = true;
				break;
			}
		}
	} while (fired);
	for (struct net_timer *t = u->timers; t; t = t->next)
		if (t->expire_ms >= 0 &&
		    (next < 0 || t->expire_ms - now < next))
			next = t->expire_ms - now;
	return next;
}

void net_user_poll(struct net_user *u, int timeout_ms)
{
	uint32_t timeout = timeout_ms < 0 ? UINT32_MAX : (uint32_t)timeout_ms;
	int64_t timer_ms;
	uint64_t count;
	int ret;

	timer_ms = net_run_timers(u);
	if (u->more)
		timeout = 0;
	if (timer_ms >= 0 && (uint64_t)timer_ms < timeout)
		timeout = (uint32_t)timer_ms;
	u->nfds = 0;
	net_add_poll(u->kick_fd, SLIRP_POLL_IN, u);
	slirp_pollfds_fill(u->slirp, &timeout, net_add_poll, u);
	if (u->nfds == 0 || u->fds[0].fd != u->kick_fd) {
		log_warn("net: out of memory for the poll set");
		return;
	}
	ret = poll(u->fds, u->nfds, timeout > INT32_MAX ? -1 : (int)timeout);
	if (ret < 0 && errno != EINTR)
		log_warn("net: poll: %s", strerror(errno));
	if (ret > 0 && (u->fds[0].revents & POLLIN)) {
		if (read(u->kick_fd, &count, sizeof(count)) < 0 &&
		    errno != EAGAIN)
			log_warn("net: kick: %s", strerror(errno));
		u->more = true;
	}
	slirp_pollfds_poll(u->slirp, ret < 0, net_get_revents, u);
	if (u->more && !atomic_load(&u->stopping))
		u->more = u->ops->kicked(u->ctx);
	net_run_timers(u);
}

static void *net_user_thread(void *arg)
{
	struct net_user *u = arg;

	while (!atomic_load(&u->stopping))
		net_user_poll(u, -1);
	return NULL;
}

void net_user_kick(struct net_user *u)
{
	uint64_t one = 1;

	/* a full counter already means "kicked": EAGAIN is fine */
	if (write(u->kick_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		log_warn("net: kick: %s", strerror(errno));
}

void net_user_send(struct net_user *u, const uint8_t *frame, size_t len)
{
	if (len > INT32_MAX)
		return;
	slirp_input(u->slirp, frame, (int)len);
}

static struct in_addr net_addr(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a;
}

static int net_add_forwards(struct net_user *u, const struct net_config *cfg,
			    char *why, size_t why_len)
{
	struct in_addr guest = net_addr(NET_USER_DHCP_START), host;
	char addr[INET_ADDRSTRLEN];

	for (unsigned i = 0; i < cfg->nfwd; i++) {
		const struct net_hostfwd *f = &cfg->fwd[i];

		host.s_addr = f->host_addr;
		errno = 0;
		if (slirp_add_hostfwd(u->slirp, f->udp, host, f->host_port,
				      guest, f->guest_port) == 0)
			continue;
		inet_ntop(AF_INET, &host, addr, sizeof(addr));
		return net_fail(why, why_len,
				"cannot forward host port %s %s:%u: %s",
				f->udp ? "udp" : "tcp", addr, f->host_port,
				errno ? strerror(errno)
				      : "address in use or not available");
	}
	return 0;
}

struct net_user *net_user_create(const struct net_config *cfg,
				 enum net_user_mode mode,
				 const struct net_user_ops *ops, void *ctx,
				 char *why, size_t why_len)
{
	SlirpConfig sc = {
		.version = 4,
		/* tests and fuzzing must not reach the host's sockets */
		.restricted = mode == NET_USER_MANUAL,
		.in_enabled = true,
		.vnetwork = net_addr(NET_USER_NETWORK),
		.vnetmask = net_addr(NET_USER_NETMASK),
		.vhost = net_addr(NET_USER_HOST),
		.vhostname = "gasang",
		.vdhcp_start = net_addr(NET_USER_DHCP_START),
		.vnameserver = net_addr(NET_USER_DNS),
	};
	struct net_user *u;
	int err;

	u = calloc(1, sizeof(*u));
	if (!u) {
		net_fail(why, why_len, "out of memory");
		return NULL;
	}
	u->ops = ops;
	u->ctx = ctx;
	u->mode = mode;
	u->kick_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (u->kick_fd < 0) {
		net_fail(why, why_len, "eventfd: %s", strerror(errno));
		goto free_u;
	}
	u->slirp = slirp_new(&sc, &net_slirp_cb, u);
	if (!u->slirp) {
		net_fail(why, why_len, "cannot start the user-mode network");
		goto close_fd;
	}
	if (net_add_forwards(u, cfg, why, why_len))
		goto cleanup_slirp;
	if (mode == NET_USER_THREAD) {
		err = pthread_create(&u->thread, NULL, net_user_thread, u);
		if (err) {
			net_fail(why, why_len, "cannot start its thread: %s",
				 strerror(err));
			goto cleanup_slirp;
		}
		u->running = true;
	}
	return u;
cleanup_slirp:
	slirp_cleanup(u->slirp);
close_fd:
	close(u->kick_fd);
free_u:
	while (u->timers)
		net_cb_timer_free(u->timers, u);
	free(u);
	return NULL;
}

void net_user_destroy(struct net_user *u)
{
	if (!u)
		return;
	atomic_store(&u->stopping, true);
	if (u->running) {
		net_user_kick(u);
		pthread_join(u->thread, NULL);
	}
	slirp_cleanup(u->slirp);
	while (u->timers)
		net_cb_timer_free(u->timers, u);
	close(u->kick_fd);
	free(u->fds);
	free(u);
}
