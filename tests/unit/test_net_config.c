/*
 * net_config_parse (net/user.h): the value of --net, QEMU's
 * "user[,hostfwd=tcp|udp:[ADDR]:HPORT-:GPORT]..." syntax.
 */
#include <arpa/inet.h>
#include <string.h>

#include "net/user.h"
#include "tests/unit/unit.h"

static char why[200];

static int parse(const char *arg, struct net_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	why[0] = '\0';
	return net_config_parse(arg, cfg, why, sizeof(why));
}

/* Fails with a one-line reason that contains want. */
static void check_error(const char *arg, const char *want)
{
	struct net_config cfg;
	int ret = parse(arg, &cfg);

	CHECK(ret == -1);
	CHECK(why[0] != '\0' && !strchr(why, '\n'));
	if (!strstr(why, want)) {
		fprintf(stderr, "'%s': reason '%s' lacks '%s'\n", arg, why,
			want);
		CHECK(0);
	}
}

static void test_plain(void)
{
	struct net_config cfg;

	CHECK(parse("user", &cfg) == 0);
	CHECK(cfg.enabled);
	CHECK_EQ_U64(cfg.nfwd, 0);
}

static void test_forwards(void)
{
	struct net_config cfg;

	CHECK(parse("user,hostfwd=tcp::8080-:80,hostfwd=udp:0.0.0.0:5353-:53,"
		    "hostfwd=tcp:10.1.2.3:65535-:1,hostfwd=::2222-10.0.2.15:22",
		    &cfg) == 0);
	CHECK(cfg.enabled);
	CHECK_EQ_U64(cfg.nfwd, 4);
	CHECK(!cfg.fwd[0].udp);
	CHECK_EQ_U64(cfg.fwd[0].host_addr, htonl(0x7f000001));
	CHECK_EQ_U64(cfg.fwd[0].host_port, 8080);
	CHECK_EQ_U64(cfg.fwd[0].guest_port, 80);
	CHECK(cfg.fwd[1].udp);
	CHECK_EQ_U64(cfg.fwd[1].host_addr, 0);
	CHECK_EQ_U64(cfg.fwd[1].host_port, 5353);
	CHECK_EQ_U64(cfg.fwd[1].guest_port, 53);
	CHECK_EQ_U64(cfg.fwd[2].host_addr, htonl(0x0a010203));
	CHECK_EQ_U64(cfg.fwd[2].host_port, 65535);
	CHECK_EQ_U64(cfg.fwd[2].guest_port, 1);
	/* QEMU: an empty protocol means tcp */
	CHECK(!cfg.fwd[3].udp);
	CHECK_EQ_U64(cfg.fwd[3].host_port, 2222);
	/* the same port over tcp and udp is two sockets */
	CHECK(parse("user,hostfwd=tcp::53-:53,hostfwd=udp::53-:53", &cfg) == 0);
	CHECK_EQ_U64(cfg.nfwd, 2);
}

/* A second --net appends to the forwards of the first. */
static void test_append(void)
{
	struct net_config cfg;

	CHECK(parse("user,hostfwd=tcp::1000-:1", &cfg) == 0);
	CHECK(net_config_parse("user,hostfwd=tcp::1001-:2", &cfg, why,
			       sizeof(why)) == 0);
	CHECK_EQ_U64(cfg.nfwd, 2);
	CHECK(net_config_parse("user,hostfwd=tcp::1000-:3", &cfg, why,
			       sizeof(why)) == -1);
	CHECK(strstr(why, "1000") != NULL);
}

static void test_limit(void)
{
	char arg[1024];
	struct net_config cfg;
	size_t len = 0;

	len += (size_t)snprintf(arg + len, sizeof(arg) - len, "user");
	for (int i = 0; i < NET_MAX_HOSTFWD; i++)
		len += (size_t)snprintf(arg + len, sizeof(arg) - len,
					",hostfwd=tcp::%d-:80", 2000 + i);
	CHECK(parse(arg, &cfg) == 0);
	CHECK_EQ_U64(cfg.nfwd, NET_MAX_HOSTFWD);
	snprintf(arg + len, sizeof(arg) - len, ",hostfwd=tcp::3000-:80");
	check_error(arg, "more than 16");
}

static void test_errors(void)
{
	check_error("", "not a network type");
	check_error("tap", "not a network type");
	check_error("users", "not a network type");
	check_error("user,", "empty option");
	check_error("user,,hostfwd=tcp::1-:2", "empty option");
	check_error("user,restrict=on", "unknown option 'restrict=on'");
	check_error("user,hostfwd=sctp::80-:80", "protocol 'sctp'");
	check_error("user,hostfwd=tcp::0-:80", "host port '0'");
	check_error("user,hostfwd=tcp::65536-:80", "host port '65536'");
	check_error("user,hostfwd=tcp::80-:0", "guest port '0'");
	check_error("user,hostfwd=tcp::80-:x", "guest port 'x'");
	check_error("user,hostfwd=tcp::-1-:80", "not tcp|udp");
	check_error("user,hostfwd=tcp::+80-:80", "host port '+80'");
	check_error("user,hostfwd=tcp:: 80-:80", "host port ' 80'");
	check_error("user,hostfwd=tcp::0x50-:80", "host port '0x50'");
	check_error("user,hostfwd=tcp::18446744073709551696-:80",
		    "host port '18446744073709551696'");
	check_error("user,hostfwd=tcp::80-:", "guest port ''");
	check_error("user,hostfwd=tcp::80", "not tcp|udp");
	check_error("user,hostfwd=tcp:80-:80", "not tcp|udp");
	check_error("user,hostfwd=tcp", "not tcp|udp");
	check_error("user,hostfwd=", "not tcp|udp");
	check_error("user,hostfwd=tcp:1.2.3:80-:80", "'1.2.3' is not an IPv4");
	check_error("user,hostfwd=tcp:::80-:80", "':' is not an IPv4");
	check_error("user,hostfwd=tcp::80-10.0.2.16:80",
		    "guest address '10.0.2.16' is not the guest's 10.0.2.15");
	check_error("user,hostfwd=tcp::80-guest:80", "not tcp|udp");
	check_error("user,hostfwd=tcp::80-80", "not tcp|udp");
	check_error("user,hostfwd=tcp::8080-:80,hostfwd=tcp:0.0.0.0:8080-:81",
		    "tcp:8080 is forwarded twice");
	check_error("user,hostfwd=tcp::1-:1xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		    "too long");
}

int main(void)
{
	test_plain();
	test_forwards();
	test_append();
	test_limit();
	test_errors();
	return unit_done("test_net_config");
}
