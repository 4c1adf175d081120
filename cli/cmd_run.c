/*
 * gasang run: one VM in the foreground, console on stdin/stdout. Exit
 * status: 0 when the guest powers off (or the guest's HTIF code for bare
 * tests, or its sifive_test failure code); 1 with one line on stderr for
 * bad input.
 *
 * SIGTERM or SIGINT presses the guest's power button and gives it
 * --stop-timeout seconds to shut down before the VM is forced off; a
 * second signal forces at once. That is what a supervisor (systemd,
 * Nomad, Kubernetes) expects of a process.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/console.h"
#include "machine/machine.h"
#include "util/log.h"
#include "util/parse.h"

static void run_usage(FILE *f)
{
	fprintf(f,
		"usage: gasang run --kernel FILE [options]\n"
		"\n"
		"Runs a RISC-V 64 virtual machine (QEMU's virt board) in the\n"
		"foreground, its serial console on stdin/stdout. The guest "
		"also\n"
		"gets a virtio entropy device.\n"
		"\n"
		"  --kernel FILE     the kernel: a Linux RISC-V Image or an "
		"ELF\n"
		"                    executable (loaded at 0x80200000 after "
		"firmware)\n"
		"  --initrd FILE     an initial RAM disk, placed high in RAM\n"
		"  --append ARGS     the kernel command line\n"
		"  --bios FILE|none  the M-mode firmware, a raw binary at "
		"0x80000000\n"
		"                    or an ELF (default: OpenSBI's "
		"fw_dynamic.bin from\n"
		"                    Debian's opensbi package); 'none' starts "
		"the\n"
		"                    kernel itself in M-mode (bare-metal "
		"programs)\n"
		"  --memory SIZE     guest RAM, e.g. 512M or 2G; a bare number "
		"is MiB\n"
		"                    (default 128M, from 1M to 16G, a multiple "
		"of 4K)\n"
		"  --cpus N          number of vCPUs (default 1, at most 32)\n"
		"  --engine E        the CPU engine: jit (the default on "
		"x86-64 "
		"hosts:\n"
		"                    RISC-V translated to x86-64) or interp "
		"(the "
		"reference\n"
		"                    interpreter, the default elsewhere)\n"
		"  --disk FILE[,format=raw|qcow2][,readonly]\n"
		"                    a virtio disk (several allowed; format "
		"from the\n"
		"                    file's header when not given)\n"
		"  --net user[,hostfwd=tcp|udp:[ADDR]:HPORT-:GPORT]...\n"
		"                    a virtio network card on a user-mode NAT "
		"(guest\n"
		"                    10.0.2.15, host 10.0.2.2); each hostfwd "
		"forwards a\n"
		"                    host port (on 127.0.0.1 by default) to "
		"the "
		"guest\n"
		"  --stop-timeout S  on SIGTERM/SIGINT, seconds the guest gets "
		"to "
		"shut\n"
		"                    down after its power button is pressed "
		"(default 30)\n"
		"  --dump-dtb FILE   write the generated device tree to FILE "
		"and exit\n"
		"  -h, --help        this text\n"
		"\n"
		"On a terminal, Ctrl-A x quits and Ctrl-A Ctrl-A sends "
		"Ctrl-A.\n"
		"A bare-metal ELF with a 'tohost' symbol ends the run through "
		"HTIF:\n"
		"gasang exits with the code it writes (0 = pass; codes above "
		"255\n"
		"exit with 255 and print the code). Bad input exits with 1 and "
		"a\n"
		"one-line message on stderr.\n");
}

enum {
	OPT_KERNEL = 256,
	OPT_INITRD,
	OPT_APPEND,
	OPT_BIOS,
	OPT_MEMORY,
	OPT_CPUS,
	OPT_ENGINE,
	OPT_DUMP_DTB,
	OPT_DISK,
	OPT_NET,
	OPT_STOP_TIMEOUT,
	OPT_HELP,
};

static const struct option run_options[] = {
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "bios", required_argument, NULL, OPT_BIOS },
	{ "memory", required_argument, NULL, OPT_MEMORY },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "engine", required_argument, NULL, OPT_ENGINE },
	{ "dump-dtb", required_argument, NULL, OPT_DUMP_DTB },
	{ "disk", required_argument, NULL, OPT_DISK },
	{ "net", required_argument, NULL, OPT_NET },
	{ "stop-timeout", required_argument, NULL, OPT_STOP_TIMEOUT },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static void console_input(void *ctx, const uint8_t *buf, size_t len)
{
	machine_console_input(ctx, buf, len);
}

static void console_quit(void *ctx)
{
	machine_stop(ctx);
}

/* --disk FILE[,format=raw|qcow2][,readonly] */
static int parse_disk(char *arg, struct machine_config *cfg)
{
	struct disk_spec *d;
	char *opt, *save = NULL;

	if (cfg->ndisks == MACHINE_MAX_DISKS) {
		cli_error("--disk", "at most %d disks", MACHINE_MAX_DISKS);
		return -1;
	}
	d = &cfg->disks[cfg->ndisks];
	*d = (struct disk_spec){ .format = DISK_FORMAT_AUTO };
	d->path = strtok_r(arg, ",", &save);
	if (!d->path || !*d->path) {
		cli_error("--disk", "needs a file name");
		return -1;
	}
	while ((opt = strtok_r(NULL, ",", &save))) {
		if (!strcmp(opt, "format=raw")) {
			d->format = DISK_FORMAT_RAW;
		} else if (!strcmp(opt, "format=qcow2")) {
			d->format = DISK_FORMAT_QCOW2;
		} else if (!strcmp(opt, "readonly")) {
			d->readonly = true;
		} else {
			cli_error("--disk",
				  "unknown option '%s' (format=raw|qcow2, "
				  "readonly)",
				  opt);
			return -1;
		}
	}
	cfg->ndisks++;
	return 0;
}

/* seconds between the power button and forcing off, on a signal */
static unsigned stop_timeout = 30;

/* Parses the options into cfg; returns -1 after printing an error,
 * 1 when --help was printed, 0 to run. */
static int parse_options(int argc, char **argv, struct machine_config *cfg)
{
	char why[160];
	uint64_t v;
	int opt;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":h", run_options, NULL)) != -1) {
		switch (opt) {
		case OPT_KERNEL: cfg->kernel = optarg; break;
		case OPT_INITRD: cfg->initrd = optarg; break;
		case OPT_APPEND: cfg->append = optarg; break;
		case OPT_BIOS: cfg->bios = optarg; break;
		case OPT_DUMP_DTB: cfg->dump_dtb = optarg; break;
		case OPT_MEMORY:
			if (parse_size(optarg, 1ull << 20, &v) ||
			    v < MACHINE_MIN_MEMORY || v > MACHINE_MAX_MEMORY ||
			    (v & (GUEST_PAGE_SIZE - 1))) {
				cli_error("--memory",
					  "'%s' is not a size from 1M to 16G "
					  "(a multiple of 4K)",
					  optarg);
				return -1;
			}
			cfg->memory = v;
			break;
		case OPT_CPUS:
			if (parse_uint(optarg, 1, MACHINE_MAX_CPUS, &v)) {
				cli_error("--cpus",
					  "'%s' is not a number from 1 to %d",
					  optarg, MACHINE_MAX_CPUS);
				return -1;
			}
			cfg->cpus = (unsigned)v;
			break;
		case OPT_ENGINE:
			cfg->engine = machine_engine(optarg);
			if (!cfg->engine) {
				cli_error(
					"--engine",
					"'%s' is not an engine (interp or jit)",
					optarg);
				return -1;
			}
			break;
		case OPT_DISK:
			if (parse_disk(optarg, cfg))
				return -1;
			break;
		case OPT_NET:
			if (net_config_parse(optarg, &cfg->net, why,
					     sizeof(why))) {
				cli_error("--net", "%s", why);
				return -1;
			}
			break;
		case OPT_STOP_TIMEOUT:
			if (parse_uint(optarg, 0, 3600, &v)) {
				cli_error("--stop-timeout",
					  "'%s' is not a number of seconds "
					  "from 0 to 3600",
					  optarg);
				return -1;
			}
			stop_timeout = (unsigned)v;
			break;
		case OPT_HELP:
		case 'h': run_usage(stdout); return 1;
		case ':':
			cli_error("run", "option '%s' needs a value",
				  argv[optind - 1]);
			return -1;
		default:
			if (optopt && optopt < 256 && optopt != '?')
				cli_error("run", "unknown option '-%c'",
					  optopt);
			else
				cli_error("run", "unknown option '%s'",
					  argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		cli_error("run", "unexpected argument '%s'", argv[optind]);
		return -1;
	}
	if (!cfg->kernel && !cfg->dump_dtb) {
		cli_error(
			"run",
			"--kernel FILE is required (see 'gasang run --help')");
		return -1;
	}
	return 0;
}

/*
 * SIGTERM and SIGINT are blocked in every thread and taken here: the
 * first presses the power button and starts the clock, the clock or a
 * second signal forces the VM off. Runs until the process exits.
 */
static void *shutdown_thread(void *arg)
{
	struct machine *m = arg;
	struct timespec deadline;
	sigset_t set;
	siginfo_t si;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	do
		sig = sigwaitinfo(&set, &si);
	while (sig < 0);
	log_warn("%s: pressing the guest's power button (forced off in "
		 "%u s)",
		 strsignal(sig), stop_timeout);
	if (!machine_power_button(m))
		log_warn("the guest has no power button driver yet");
	deadline = (struct timespec){ .tv_sec = stop_timeout };
	sig = sigtimedwait(&set, &si, &deadline);
	if (sig > 0)
		log_warn("%s again: forcing the VM off", strsignal(sig));
	else
		log_warn("the guest did not power off in %u s: forcing it off",
			 stop_timeout);
	machine_stop(m);
	return NULL;
}

int cmd_run(int argc, char **argv)
{
	struct machine_config cfg = {
		.cpus = 1,
		.memory = 128ull << 20,
		.engine = machine_engine(NULL),
	};
	struct console_sink sink;
	const char *what, *why;
	sigset_t stop_signals;
	pthread_t shutdown_tid;
	struct machine *m;
	uint64_t code;
	int err;

	err = parse_options(argc, argv, &cfg);
	if (err)
		return err < 0 ? 1 : 0;
	/* before any thread exists, so that every thread inherits the mask */
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGTERM);
	sigaddset(&stop_signals, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
	m = machine_create(&cfg, &what, &why);
	if (!m) {
		cli_error(what, "%s", why);
		return 1;
	}
	if (cfg.dump_dtb) {
		machine_destroy(m);
		return 0;
	}
	if (pthread_create(&shutdown_tid, NULL, shutdown_thread, m)) {
		cli_error(NULL, "cannot start the signal thread");
		machine_destroy(m);
		return 1;
	}
	pthread_detach(shutdown_tid);
	sink = (struct console_sink){ console_input, console_quit, m };
	if (console_start(&sink)) {
		cli_error("console", "cannot start");
		machine_destroy(m);
		return 1;
	}
	code = machine_run(m);
	console_restore();
	/* the console thread may still be blocked reading stdin: leave the
	 * machine mapped, the process ends here */
	if (code > 255) {
		cli_error(NULL, "guest exited with code %llu",
			  (unsigned long long)code);
		return 255;
	}
	return (int)code;
}
