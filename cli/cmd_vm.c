/*
 * The managed-VM verbs: option parsing and output (tables that line up,
 * --json for listings). The work is in vm/; docs/manager.md describes the
 * verbs, the states and the exit codes (0 success, 1 error with one line
 * on stderr).
 */
#include "cli/cmd_vm.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/console.h"
#include "util/parse.h"
#include "vm/control.h"
#include "vm/image.h"
#include "vm/sandbox.h"
#include "vm/store.h"
#include "vm/vm.h"

#define WHY_LEN 512

enum {
	OPT_HELP = 'h',
	OPT_CPUS = 256,
	OPT_MEMORY,
	OPT_DISK_SIZE,
	OPT_IMAGE,
	OPT_PORT,
	OPT_APPEND,
	OPT_SSH_KEY,
	OPT_JSON,
	OPT_FORCE,
	OPT_TIMEOUT,
	OPT_VMM
};

struct verb {
	const char *name;
	const char *usage;
	const struct option *options;
	unsigned nargs; /* positional arguments: 0 or 1 (NAME) */
};

/*
 * getopt_long over argv; calls back for each option. Returns 1 after
 * --help, -1 after an error was printed, 0 with *name set (when the verb
 * takes one).
 */
static int parse_args(const struct verb *v, int argc, char **argv,
		      int (*opt_fn)(int opt, const char *arg, void *ctx),
		      void *ctx, const char **name)
{
	int opt;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":h", v->options, NULL)) != -1) {
		switch (opt) {
		case OPT_HELP: fputs(v->usage, stdout); return 1;
		case ':':
			cli_error(v->name, "option '%s' needs a value",
				  argv[optind - 1]);
			return -1;
		case '?':
			cli_error(
				v->name,
				"unknown option '%s' (see 'gasang %s --help')",
				argv[optind - 1], v->name);
			return -1;
		default:
			if (opt_fn(opt, optarg, ctx))
				return -1;
		}
	}
	if (v->nargs && optind >= argc) {
		cli_error(v->name, "needs a VM name (see 'gasang %s --help')",
			  v->name);
		return -1;
	}
	if (argc - optind > (int)v->nargs) {
		cli_error(v->name, "unexpected argument '%s'",
			  argv[optind + (int)v->nargs]);
		return -1;
	}
	if (name)
		*name = v->nargs ? argv[optind] : NULL;
	return 0;
}

static int open_home(char *home, size_t len)
{
	char why[WHY_LEN];

	if (store_home(home, len, why, sizeof(why))) {
		cli_error(NULL, "%s", why);
		return -1;
	}
	return 0;
}

/* 512M, 2G, 1.5G: exact units when they fit, else one decimal */
static void fmt_size(char *buf, size_t len, uint64_t bytes)
{
	static const char units[] = "BKMGT";
	unsigned u = 0;
	double v = (double)bytes;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u && (bytes & ((1ull << (10 * u)) - 1)) == 0)
		snprintf(buf, len, "%llu%c",
			 (unsigned long long)(bytes >> (10 * u)), units[u]);
	else if (u)
		snprintf(buf, len, "%.1f%c", v, units[u]);
	else
		snprintf(buf, len, "%lluB", (unsigned long long)bytes);
}

static void fmt_duration(char *buf, size_t len, int64_t s)
{
	if (s < 0)
		s = 0;
	if (s >= 86400)
		snprintf(buf, len, "%lldd%lldh", (long long)(s / 86400),
			 (long long)(s % 86400 / 3600));
	else if (s >= 3600)
		snprintf(buf, len, "%lldh%lldm", (long long)(s / 3600),
			 (long long)(s % 3600 / 60));
	else if (s >= 60)
		snprintf(buf, len, "%lldm%llds", (long long)(s / 60),
			 (long long)(s % 60));
	else
		snprintf(buf, len, "%llds", (long long)s);
}

/* --- create ---------------------------------------------------------------- */

static const char create_usage[] =
	"usage: gasang create NAME [--cpus N] [--memory SIZE] [--disk-size "
	"SIZE]\n"
	"                          [--image IMAGE] [--port HPORT:GPORT]...\n"
	"                          [--append ARGS]\n"
	"\n"
	"Creates a stopped VM: a directory under $GASANG_HOME/vms (default\n"
	"~/.local/share/gasang) with its config and a qcow2 disk, a\n"
	"copy-on-write overlay of the image's base disk when it has one.\n"
	"\n"
	"  NAME               1 to 63 lowercase letters, digits and hyphens\n"
	"  --cpus N           vCPUs, 1 to 32 (default 1)\n"
	"  --memory SIZE      guest RAM, e.g. 512M or 2G, 1M to 16G; a bare\n"
	"                     number is MiB (default 512M)\n"
	"  --disk-size SIZE   the disk's virtual size, 1M to 4T; a bare "
	"number\n"
	"                     is MiB (default: the image's disk, else 8G)\n"
	"  --image IMAGE      what the VM boots (default tiny; see 'gasang\n"
	"                     image list')\n"
	"  --port HPORT:GPORT forward TCP port HPORT on 127.0.0.1 to port "
	"GPORT\n"
	"                     of the guest (up to 16; a host port belongs to "
	"one\n"
	"                     VM)\n"
	"  --append ARGS      extra kernel command-line arguments\n"
	"  --ssh-key FILE     for images that run sshd (debian): the public "
	"key\n"
	"                     authorised for root (default: the first of\n"
	"                     ~/.ssh/id_ed25519.pub, id_ecdsa.pub, id_rsa.pub, "
	"*.pub);\n"
	"                     port 22 is forwarded from a free host port "
	"unless\n"
	"                     a --port forwards it\n";

static const struct option create_options[] = {
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "memory", required_argument, NULL, OPT_MEMORY },
	{ "disk-size", required_argument, NULL, OPT_DISK_SIZE },
	{ "image", required_argument, NULL, OPT_IMAGE },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "ssh-key", required_argument, NULL, OPT_SSH_KEY },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static int parse_port(const char *arg, struct config *cfg)
{
	char host[16], guest[16], *colon = strchr(arg, ':');
	uint64_t h, g;

	if (!colon || (size_t)(colon - arg) >= sizeof(host) ||
	    strlen(colon + 1) >= sizeof(guest)) {
		cli_error("--port", "'%s' is not HPORT:GPORT", arg);
		return -1;
	}
	memcpy(host, arg, (size_t)(colon - arg));
	host[colon - arg] = '\0';
	strcpy(guest, colon + 1);
	if (parse_uint(host, 1, 65535, &h) || parse_uint(guest, 1, 65535, &g)) {
		cli_error("--port", "'%s': ports are numbers from 1 to 65535",
			  arg);
		return -1;
	}
	for (unsigned i = 0; i < cfg->nports; i++) {
		if (cfg->ports[i].host == h) {
			cli_error("--port", "host port %llu is given twice",
				  (unsigned long long)h);
			return -1;
		}
	}
	if (cfg->nports == CONFIG_MAX_PORTS) {
		cli_error("--port", "at most %d ports", CONFIG_MAX_PORTS);
		return -1;
	}
	cfg->ports[cfg->nports++] =
		(struct config_port){ (uint16_t)h, (uint16_t)g };
	return 0;
}

/* --ssh-key FILE, or NULL for the default search */
static const char *ssh_key_path;

static int create_opt(int opt, const char *arg, void *ctx)
{
	struct config *cfg = ctx;
	uint64_t v;

	switch (opt) {
	case OPT_SSH_KEY: ssh_key_path = arg; return 0;
	case OPT_CPUS:
		if (parse_uint(arg, 1, 32, &v)) {
			cli_error("--cpus", "'%s' is not a number from 1 to 32",
				  arg);
			return -1;
		}
		cfg->cpus = (unsigned)v;
		return 0;
	case OPT_MEMORY:
		if (parse_size(arg, 1ull << 20, &v) || v < (1ull << 20) ||
		    v > (16ull << 30) || (v & 4095)) {
			cli_error("--memory",
				  "'%s' is not a size from 1M to 16G (a "
				  "multiple of 4K)",
				  arg);
			return -1;
		}
		cfg->memory = v;
		return 0;
	case OPT_DISK_SIZE:
		if (parse_size(arg, 1ull << 20, &v) || v < CONFIG_MIN_DISK ||
		    v > CONFIG_MAX_DISK || (v & 511)) {
			cli_error("--disk-size",
				  "'%s' is not a size from 1M to 4T (a "
				  "multiple of 512)",
				  arg);
			return -1;
		}
		cfg->disk_size = v;
		return 0;
	case OPT_IMAGE:
		if (!config_name_is_valid(arg)) {
			cli_error("--image", "'%s' is not an image name", arg);
			return -1;
		}
		snprintf(cfg->image, sizeof(cfg->image), "%s", arg);
		return 0;
	case OPT_PORT: return parse_port(arg, cfg);
	case OPT_APPEND:
		if (strlen(arg) > CONFIG_APPEND_MAX) {
			cli_error("--append", "longer than %d bytes",
				  CONFIG_APPEND_MAX);
			return -1;
		}
		snprintf(cfg->append, sizeof(cfg->append), "%s", arg);
		return 0;
	}
	return -1;
}

static void base64(const uint8_t *in, size_t n, char *out)
{
	static const char t[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		"0123456789+/";
	size_t i, o = 0;

	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | in[i + 1] << 8 | in[i + 2];

		out[o++] = t[v >> 18];
		out[o++] = t[(v >> 12) & 63];
		out[o++] = t[(v >> 6) & 63];
		out[o++] = t[v & 63];
	}
	if (i < n) {
		uint32_t v = (uint32_t)in[i] << 16 |
			     (i + 1 < n ? in[i + 1] << 8 : 0);

		out[o++] = t[v >> 18];
		out[o++] = t[(v >> 12) & 63];
		out[o++] = i + 1 < n ? t[(v >> 6) & 63] : '=';
		out[o++] = '=';
	}
	out[o] = 0;
}

/* Reads one public key line from path into key; 0, or -1 after the
 * error is printed. */
static int read_ssh_key(const char *path, char *key, size_t size)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f) {
		cli_error(path, "%s", strerror(errno));
		return -1;
	}
	if (!fgets(key, (int)size, f))
		key[0] = 0;
	fclose(f);
	n = strcspn(key, "\r\n");
	key[n] = 0;
	if ((strncmp(key, "ssh-", 4) && strncmp(key, "ecdsa-", 6) &&
	     strncmp(key, "sk-", 3)) ||
	    n == size - 1 || strchr(key, '\'') || !strchr(key, ' ')) {
		cli_error(path, "not an SSH public key");
		return -1;
	}
	return 0;
}

/* The default key: the first of the usual names, then any ~/.ssh/ *.pub. */
static int find_ssh_key(char *path, size_t size)
{
	static const char *const names[] = { "id_ed25519.pub", "id_ecdsa.pub",
					     "id_rsa.pub" };
	const char *home = getenv("HOME");
	char dir[PATH_MAX];
	struct dirent *e;
	DIR *d;

	if (!home ||
	    snprintf(dir, sizeof(dir), "%s/.ssh", home) >= (int)sizeof(dir))
		return -1;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((size_t)snprintf(path, size, "%s/%s", dir, names[i]) <
			    size &&
		    !access(path, R_OK))
			return 0;
	d = opendir(dir);
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);

		if (n > 4 && !strcmp(e->d_name + n - 4, ".pub") &&
		    (size_t)snprintf(path, size, "%s/%s", dir, e->d_name) <
			    size) {
			closedir(d);
			return 0;
		}
	}
	closedir(d);
	return -1;
}

/*
 * For an image that runs sshd: the user's public key goes on the kernel
 * command line (base64), where the image's first-boot provisioning finds
 * it. No key found is not an error: the VM is then reached by console.
 */
static int add_ssh_key(const char *home, struct config *cfg)
{
	char path[PATH_MAX], key[1024], enc[1400], why[WHY_LEN];
	struct image img;
	size_t used;

	if (image_load(home, cfg->image, &img, why, sizeof(why)))
		return 0; /* vm_create reports it */
	if (!img.ssh) {
		if (ssh_key_path) {
			cli_error("--ssh-key", "image '%s' runs no ssh server",
				  cfg->image);
			return -1;
		}
		return 0;
	}
	if (ssh_key_path)
		snprintf(path, sizeof(path), "%s", ssh_key_path);
	else if (find_ssh_key(path, sizeof(path)))
		return 0;
	if (read_ssh_key(path, key, sizeof(key)))
		return -1;
	base64((const uint8_t *)key, strlen(key), enc);
	used = strlen(cfg->append);
	if (used + strlen(" gasang.sshkey=") + strlen(enc) >=
	    sizeof(cfg->append)) {
		cli_error("--ssh-key", "the key does not fit on the kernel "
				       "command line");
		return -1;
	}
	snprintf(cfg->append + used, sizeof(cfg->append) - used,
		 "%sgasang.sshkey=%s", used ? " " : "", enc);
	return 0;
}

int cmd_create(int argc, char **argv)
{
	static const struct verb v = { "create", create_usage, create_options,
				       1 };
	struct config cfg = {
		.cpus = VM_DEFAULT_CPUS,
		.memory = VM_DEFAULT_MEMORY,
		.image = IMAGE_DEFAULT,
	};
	char home[PATH_MAX], why[WHY_LEN];
	const char *name;
	int r;

	r = parse_args(&v, argc, argv, create_opt, &cfg, &name);
	if (r)
		return r < 0;
	if (!config_name_is_valid(name)) {
		cli_error(name, "not a VM name (1 to 63 lowercase letters, "
				"digits or hyphens, not starting with a "
				"hyphen)");
		return 1;
	}
	snprintf(cfg.name, sizeof(cfg.name), "%s", name);
	if (open_home(home, sizeof(home)))
		return 1;
	if (add_ssh_key(home, &cfg))
		return 1;
	if (vm_create(home, &cfg, why, sizeof(why))) {
		cli_error(name, "%s", why);
		return 1;
	}
	printf("%s: created (%u vCPU%s, ", name, cfg.cpus,
	       cfg.cpus == 1 ? "" : "s");
	fmt_size(why, sizeof(why), cfg.memory);
	printf("%s memory, ", why);
	fmt_size(why, sizeof(why), cfg.disk_size);
	printf("%s disk, image %s)\n", why, cfg.image);
	return 0;
}

/* --- verbs on one VM -------------------------------------------------------- */

static const struct option help_only[] = {
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static int no_opt(int opt, const char *arg, void *ctx)
{
	return -1;
}

static const char start_usage[] =
	"usage: gasang start NAME\n"
	"\n"
	"Starts the VM in its own process (detached, its own session; output "
	"in\n"
	"the VM's console.log and vmm.log) and returns once it runs, or fails\n"
	"with the reason (port in use, image missing, already running, ...).\n";

int cmd_start(int argc, char **argv)
{
	static const struct verb v = { "start", start_usage, help_only, 1 };
	char home[PATH_MAX], why[WHY_LEN];
	const char *name;
	int r = parse_args(&v, argc, argv, no_opt, NULL, &name);

	if (r)
		return r < 0;
	if (open_home(home, sizeof(home)))
		return 1;
	if (vm_start(home, name, why, sizeof(why))) {
		cli_error(name, "%s", why);
		return 1;
	}
	printf("%s: running\n", name);
	return 0;
}

static const char stop_usage[] =
	"usage: gasang stop NAME [--timeout S] [--force]\n"
	"\n"
	"Presses the VM's power button and waits for the guest to power off;\n"
	"after the timeout the VM is forced off. Either way its disk is "
	"closed\n"
	"cleanly.\n"
	"\n"
	"  --timeout S   seconds to wait, 0 to 3600 (default 30)\n"
	"  --force       force it off at once\n";

static const struct option stop_options[] = {
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

struct stop_opts {
	unsigned timeout;
	bool force;
};

static int stop_opt(int opt, const char *arg, void *ctx)
{
	struct stop_opts *o = ctx;
	uint64_t v;

	if (opt == OPT_FORCE) {
		o->force = true;
		return 0;
	}
	if (parse_uint(arg, 0, 3600, &v)) {
		cli_error("--timeout",
			  "'%s' is not a number of seconds from 0 to 3600",
			  arg);
		return -1;
	}
	o->timeout = (unsigned)v;
	return 0;
}

int cmd_stop(int argc, char **argv)
{
	static const struct verb v = { "stop", stop_usage, stop_options, 1 };
	struct stop_opts o = { .timeout = 30 };
	char home[PATH_MAX], why[WHY_LEN];
	const char *name;
	bool forced;
	int r = parse_args(&v, argc, argv, stop_opt, &o, &name);

	if (r)
		return r < 0;
	if (open_home(home, sizeof(home)))
		return 1;
	if (vm_stop(home, name, o.timeout, o.force, &forced, why,
		    sizeof(why))) {
		cli_error(name, "%s", why);
		return 1;
	}
	if (o.force)
		printf("%s: stopped (forced)\n", name);
	else if (forced)
		printf("%s: stopped (forced after %u s)\n", name, o.timeout);
	else
		printf("%s: stopped\n", name);
	return 0;
}

static const char rm_usage[] =
	"usage: gasang rm NAME [--force]\n"
	"\n"
	"Removes a stopped VM and its disk. A running VM is refused unless\n"
	"--force is given, which forces it off first.\n";

static const struct option rm_options[] = {
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static int rm_opt(int opt, const char *arg, void *ctx)
{
	*(bool *)ctx = true;
	return 0;
}

int cmd_rm(int argc, char **argv)
{
	static const struct verb v = { "rm", rm_usage, rm_options, 1 };
	char home[PATH_MAX], why[WHY_LEN];
	const char *name;
	bool force = false;
	int r = parse_args(&v, argc, argv, rm_opt, &force, &name);

	if (r)
		return r < 0;
	if (open_home(home, sizeof(home)))
		return 1;
	if (vm_remove(home, name, force, why, sizeof(why))) {
		cli_error(name, "%s", why);
		return 1;
	}
	printf("%s: removed\n", name);
	return 0;
}

static const char logs_usage[] =
	"usage: gasang logs NAME [--vmm]\n"
	"\n"
	"Prints the VM's serial console output (console.log.1 then "
	"console.log;\n"
	"the newest 1-2 MiB are kept). --vmm prints the VM process's own log\n"
	"(vmm.log) instead.\n";

static const struct option logs_options[] = {
	{ "vmm", no_argument, NULL, OPT_VMM },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static void cat_file(const char *dir, const char *file)
{
	char path[PATH_MAX + 32], buf[65536];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			break;
	close(fd);
}

int cmd_logs(int argc, char **argv)
{
	static const struct verb v = { "logs", logs_usage, logs_options, 1 };
	char home[PATH_MAX], dir[PATH_MAX], why[WHY_LEN];
	struct config cfg;
	const char *name;
	bool vmm = false;
	int r = parse_args(&v, argc, argv, rm_opt, &vmm, &name);

	if (r)
		return r < 0;
	if (open_home(home, sizeof(home)))
		return 1;
	if (vm_load(home, name, dir, sizeof(dir), &cfg, why, sizeof(why))) {
		cli_error(name, "%s", why);
		return 1;
	}
	if (vmm) {
		cat_file(dir, "vmm.log");
	} else {
		cat_file(dir, "console.log.1");
		cat_file(dir, "console.log");
	}
	return 0;
}

/* --- list and info ------------------------------------------------------------ */

/* Everything list and info show of one VM, as JSON. */
static json_t *describe(const char *home, const char *name, bool limits)
{
	char dir[PATH_MAX], why[WHY_LEN], path[PATH_MAX + 16];
	struct control_status st;
	struct config cfg;
	json_t *o, *ports;
	struct stat sb;

	if (store_vm_dir(home, name, dir, sizeof(dir)))
		return NULL;
	o = json_pack("{s:s}", "name", name);
	if (config_read(dir, name, &cfg, why, sizeof(why))) {
		json_object_set_new(o, "state", json_string("invalid"));
		json_object_set_new(o, "reason", json_string(why));
		return o;
	}
	control_status(dir, &st);
	json_object_set_new(o, "state",
			    json_string(control_state_name(st.state)));
	if (*st.reason)
		json_object_set_new(o, "reason", json_string(st.reason));
	json_object_set_new(o, "image", json_string(cfg.image));
	json_object_set_new(o, "cpus", json_integer(cfg.cpus));
	json_object_set_new(o, "memory", json_integer((json_int_t)cfg.memory));
	snprintf(path, sizeof(path), "%s/disk.qcow2", dir);
	json_object_set_new(
		o, "disk",
		json_pack("{s:s,s:I,s:I}", "path", path, "size",
			  (json_int_t)cfg.disk_size, "used",
			  (json_int_t)(stat(path, &sb) ? 0
						       : sb.st_blocks * 512)));
	ports = json_array();
	for (unsigned i = 0; i < cfg.nports; i++)
		json_array_append_new(
			ports,
			json_pack("{s:s,s:i,s:i,s:s}", "address", "127.0.0.1",
				  "host", (int)cfg.ports[i].host, "guest",
				  (int)cfg.ports[i].guest, "protocol", "tcp"));
	json_object_set_new(o, "ports", ports);
	if (st.pid && st.state != VM_CRASHED) {
		json_object_set_new(o, "pid", json_integer(st.pid));
		json_object_set_new(o, "started", json_integer(st.started));
		json_object_set_new(
			o, "uptime",
			json_integer((json_int_t)time(NULL) - st.started));
	}
	if (!limits)
		return o;
	json_object_set_new(o, "append", json_string(cfg.append));
	json_object_set_new(o, "created", json_integer(cfg.created));
	json_object_set_new(o, "directory", json_string(dir));
	if (st.pid && st.state != VM_CRASHED) {
		struct store_run run;

		json_object_set_new(o, "limits",
				    sandbox_describe(store_run_read(dir, &run)
							     ? NULL
							     : &run,
						     st.pid));
	}
	return o;
}

static const char list_usage[] =
	"usage: gasang list [--json]\n"
	"\n"
	"Lists the VMs: NAME, STATE (stopped, starting, running, stopping,\n"
	"crashed; invalid for a VM whose config is corrupt), CPUS, MEMORY, "
	"DISK\n"
	"(virtual size/used on the host), PORTS (host->guest, TCP on\n"
	"127.0.0.1) and UPTIME.\n"
	"\n"
	"  --json   a JSON array of objects, the fields of 'gasang info "
	"--json'\n";

static const struct option json_options[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

enum {
	COL_NAME,
	COL_STATE,
	COL_CPUS,
	COL_MEMORY,
	COL_DISK,
	COL_PORTS,
	COL_UPTIME,
	NCOLS
};
static const char *const col_names[NCOLS] = {
	"NAME", "STATE", "CPUS", "MEMORY", "DISK", "PORTS", "UPTIME",
};

static void row_of(json_t *o, char cells[NCOLS][256])
{
	json_t *disk = json_object_get(o, "disk"), *p;
	char a[32], b[32];
	size_t i;

	for (i = 0; i < NCOLS; i++)
		strcpy(cells[i], "-");
	snprintf(cells[COL_NAME], 256, "%s",
		 json_string_value(json_object_get(o, "name")));
	snprintf(cells[COL_STATE], 256, "%s",
		 json_string_value(json_object_get(o, "state")));
	if (!disk)
		return;
	snprintf(cells[COL_CPUS], 256, "%lld",
		 (long long)json_integer_value(json_object_get(o, "cpus")));
	fmt_size(cells[COL_MEMORY], 256,
		 (uint64_t)json_integer_value(json_object_get(o, "memory")));
	fmt_size(a, sizeof(a),
		 (uint64_t)json_integer_value(json_object_get(disk, "size")));
	fmt_size(b, sizeof(b),
		 (uint64_t)json_integer_value(json_object_get(disk, "used")));
	snprintf(cells[COL_DISK], 256, "%s/%s", a, b);
	json_array_foreach(json_object_get(o, "ports"), i, p)
	{
		size_t len = i ? strlen(cells[COL_PORTS]) : 0;

		snprintf(cells[COL_PORTS] + len, 256 - len, "%s%lld->%lld",
			 i ? "," : "",
			 (long long)json_integer_value(
				 json_object_get(p, "host")),
			 (long long)json_integer_value(
				 json_object_get(p, "guest")));
	}
	if (json_object_get(o, "uptime"))
		fmt_duration(cells[COL_UPTIME], 256,
			     json_integer_value(json_object_get(o, "uptime")));
}

static int json_opt(int opt, const char *arg, void *ctx)
{
	*(bool *)ctx = true;
	return 0;
}

static void print_json(json_t *j)
{
	char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	if (text)
		puts(text);
	free(text);
}

static void print_row(const char *const cells[NCOLS], const size_t *width)
{
	for (unsigned c = 0; c + 1 < NCOLS; c++)
		printf("%-*s  ", (int)width[c], cells[c]);
	printf("%s\n", cells[NCOLS - 1]);
}

int cmd_list(int argc, char **argv)
{
	static const struct verb v = { "list", list_usage, json_options, 0 };
	static char names[STORE_MAX_VMS][CONFIG_NAME_MAX + 1];
	static char cells[STORE_MAX_VMS][NCOLS][256];
	size_t width[NCOLS];
	char home[PATH_MAX];
	bool as_json = false;
	json_t *all;
	unsigned n, i;
	int r = parse_args(&v, argc, argv, json_opt, &as_json, NULL);

	if (r)
		return r < 0;
	if (open_home(home, sizeof(home)))
		return 1;
	if (store_list(home, names, STORE_MAX_VMS, &n)) {
		cli_error(home, "cannot read the VM directory");
		return 1;
	}
	if (n > STORE_MAX_VMS)
		n = STORE_MAX_VMS;
	all = json_array();
	for (i = 0; i < n; i++) {
		json_t *o = describe(home, names[i], false);

		if (o)
			json_array_append_new(all, o);
	}
	if (as_json) {
		print_json(all);
		json_decref(all);
		return 0;
	}
	for (unsigned c = 0; c < NCOLS; c++)
		width[c] = strlen(col_names[c]);
	n = (unsigned)json_array_size(all);
	for (i = 0; i < n; i++) {
		row_of(json_array_get(all, i), cells[i]);
		for (unsigned c = 0; c < NCOLS; c++)
			if (strlen(cells[i][c]) > width[c])
				width[c] = strlen(cells[i][c]);
	}
	print_row(col_names, width);
	for (i = 0; i < n; i++) {
		const char *row[NCOLS];

		for (unsigned c = 0; c < NCOLS; c++)
			row[c] = cells[i][c];
		print_row(row, width);
	}
	json_decref(all);
	return 0;
}

static const char info_usage[] =
	"usage: gasang info NAME [--json]\n"
	"\n"
	"Describes one VM: state (with the reason of a crash), image, vCPUs,\n"
	"memory, disk, ports, kernel arguments and, while it runs, the limits\n"
	"in force on its process, read back from the kernel (cgroup CPU "
	"quota,\n"
	"memory and task limits, rlimits, no-new-privileges).\n";

static void print_limits(json_t *l)
{
	json_t *rl = json_object_get(l, "rlimits"), *v;
	const char *key;
	char a[32];

	if (json_object_get(l, "cpu_quota_us")) {
		json_int_t q = json_integer_value(
				   json_object_get(l, "cpu_quota_us")),
			   p = json_integer_value(
				   json_object_get(l, "cpu_period_us"));

		printf("limits:    cpu quota %lld us per %lld us (%.2f CPUs), "
		       "cgroup %s\n",
		       (long long)q, (long long)p, p ? (double)q / p : 0.0,
		       json_string_value(json_object_get(l, "cpu_cgroup")));
	} else {
		printf("limits:    cpu quota not in force (no cpu cgroup)\n");
	}
	v = json_object_get(l, "memory_limit");
	if (json_is_integer(v)) {
		fmt_size(a, sizeof(a), (uint64_t)json_integer_value(v));
		printf("           memory %s, cgroup %s\n", a,
		       json_string_value(json_object_get(l, "memory_cgroup")));
	} else {
		printf("           memory limit not in force (no memory "
		       "cgroup)\n");
	}
	v = json_object_get(l, "tasks_limit");
	if (json_is_integer(v))
		printf("           tasks %lld, cgroup %s\n",
		       (long long)json_integer_value(v),
		       json_string_value(json_object_get(l, "pids_cgroup")));
	else
		printf("           task limit not in force (no pids cgroup)\n");
	printf("           rlimits");
	json_object_foreach(rl, key, v)
	{
		if (json_is_integer(v))
			printf(" %s=%lld", key,
			       (long long)json_integer_value(v));
		else
			printf(" %s=%s", key, json_string_value(v));
	}
	printf("\n           no-new-privileges %s\n",
	       json_is_true(json_object_get(l, "no_new_privs")) ? "yes" : "no");
}

int cmd_info(int argc, char **argv)
{
	static const struct verb v = { "info", info_usage, json_options, 1 };
	char home[PATH_MAX], dir[PATH_MAX], why[WHY_LEN], a[32], b[32];
	char cells[NCOLS][256];
	struct config cfg;
	bool as_json = false;
	const char *name;
	json_t *o, *x;
	int r = parse_args(&v, argc, argv, json_opt, &as_json, &name);

	if (r)
		return r < 0;
	if (open_home(home, sizeof(home)))
		return 1;
	if (vm_load(home, name, dir, sizeof(dir), &cfg, why, sizeof(why))) {
		cli_error(name, "%s", why);
		return 1;
	}
	o = describe(home, name, true);
	if (!o) {
		cli_error(name, "out of memory");
		return 1;
	}
	if (as_json) {
		print_json(o);
		json_decref(o);
		return 0;
	}
	row_of(o, cells);
	printf("name:      %s\n", name);
	printf("state:     %s", cells[COL_STATE]);
	if ((x = json_object_get(o, "pid")))
		printf(" (pid %lld, up %s)", (long long)json_integer_value(x),
		       cells[COL_UPTIME]);
	printf("\n");
	if ((x = json_object_get(o, "reason")))
		printf("reason:    %s\n", json_string_value(x));
	printf("image:     %s\n", cfg.image);
	printf("cpus:      %u\n", cfg.cpus);
	printf("memory:    %s\n", cells[COL_MEMORY]);
	x = json_object_get(o, "disk");
	fmt_size(a, sizeof(a), cfg.disk_size);
	fmt_size(b, sizeof(b),
		 (uint64_t)json_integer_value(json_object_get(x, "used")));
	printf("disk:      %s (qcow2, %s, %s used on the host)\n",
	       json_string_value(json_object_get(x, "path")), a, b);
	printf("ports:     ");
	for (unsigned i = 0; i < cfg.nports; i++)
		printf("%s127.0.0.1:%u->%u/tcp", i ? ", " : "",
		       cfg.ports[i].host, cfg.ports[i].guest);
	printf("%s\n", cfg.nports ? "" : "none");
	printf("append:    %s\n", *cfg.append ? cfg.append : "(none)");
	printf("directory: %s\n", dir);
	if ((x = json_object_get(o, "limits")))
		print_limits(x);
	else
		printf("limits:    none in force (not running)\n");
	json_decref(o);
	return 0;
}

/* --- console ---------------------------------------------------------------- */

static const char console_usage[] =
	"usage: gasang console NAME\n"
	"\n"
	"Attaches the terminal to the running VM's serial console (several\n"
	"viewers may attach at once; everything is also kept in the VM's\n"
	"console.log). Ctrl-A x detaches and leaves the VM running; Ctrl-A\n"
	"Ctrl-A sends one Ctrl-A. The command ends when the VM stops.\n";

static atomic_bool detached;

static void console_to_vm(void *ctx, const uint8_t *buf, size_t len)
{
	int fd = *(int *)ctx;

	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

static void console_detach(void *ctx)
{
	atomic_store(&detached, true);
	shutdown(*(int *)ctx, SHUT_RDWR);
}

int cmd_console(int argc, char **argv)
{
	static const struct verb v = { "console", console_usage, help_only, 1 };
	char home[PATH_MAX], dir[PATH_MAX], why[WHY_LEN], buf[4096];
	struct console_sink sink;
	struct config cfg;
	const char *name;
	static int fd;
	int r = parse_args(&v, argc, argv, no_opt, NULL, &name);

	if (r)
		return r < 0;
	if (open_home(home, sizeof(home)))
		return 1;
	if (vm_load(home, name, dir, sizeof(dir), &cfg, why, sizeof(why))) {
		cli_error(name, "%s", why);
		return 1;
	}
	fd = control_connect(dir, CONSOLE_SOCKET);
	if (fd < 0) {
		cli_error(name, "not running (no console to attach to)");
		return 1;
	}
	fprintf(stderr, "gasang: attached to %s's console; Ctrl-A x detaches\n",
		name);
	sink = (struct console_sink){ console_to_vm, console_detach, &fd };
	if (console_start(&sink)) {
		cli_error("console", "cannot start");
		close(fd);
		return 1;
	}
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (write(STDOUT_FILENO, buf, (size_t)n) != n)
			break;
	}
	console_restore();
	close(fd);
	if (atomic_load(&detached))
		fprintf(stderr, "\ngasang: detached from %s (still running)\n",
			name);
	else
		fprintf(stderr,
			"\ngasang: %s: the console closed (the VM "
			"stopped)\n",
			name);
	return 0;
}
