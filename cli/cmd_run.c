/*
 * gasang run: one VM in the foreground, console on stdin/stdout. Exit
 * status: 0 when the guest powers off (or the guest's HTIF code for bare
 * tests, or its sifive_test failure code); 1 with one line on stderr for
 * bad input.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/console.h"
#include "machine/machine.h"
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
		"  --cpus N          number of vCPUs (default 1; only 1 for "
		"now)\n"
		"  --engine interp   the CPU engine (only the interpreter for "
		"now)\n"
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

/* Parses the options into cfg; returns -1 after printing an error,
 * 1 when --help was printed, 0 to run. */
static int parse_options(int argc, char **argv, struct machine_config *cfg)
{
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
			if (strcmp(optarg, "interp")) {
				cli_error("--engine",
					  "'%s' is not available (use interp)",
					  optarg);
				return -1;
			}
			break;
		case OPT_DISK:
			if (parse_disk(optarg, cfg))
				return -1;
			break;
		case OPT_NET:
			cli_error("--net", "not supported yet");
			return -1;
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

int cmd_run(int argc, char **argv)
{
	struct machine_config cfg = {
		.cpus = 1,
		.memory = 128ull << 20,
		.engine = &interp_engine_ops,
	};
	struct console_sink sink;
	const char *what, *why;
	struct machine *m;
	uint64_t code;
	int err;

	err = parse_options(argc, argv, &cfg);
	if (err)
		return err < 0 ? 1 : 0;
	m = machine_create(&cfg, &what, &why);
	if (!m) {
		cli_error(what, "%s", why);
		return 1;
	}
	if (cfg.dump_dtb) {
		machine_destroy(m);
		return 0;
	}
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
