/*
 * gasang run: one VM in the foreground, console on stdin/stdout. Exit
 * status: the guest's HTIF code (0 = pass) or 0 on power-off; 1 with one
 * line on stderr for bad input.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "machine/machine.h"
#include "util/parse.h"

static void run_usage(FILE *f)
{
	fprintf(f, "usage: gasang run --kernel FILE [options]\n"
		   "\n"
		   "Runs a RISC-V 64 virtual machine in the foreground.\n"
		   "\n"
		   "  --kernel FILE     the program to run: an ELF executable\n"
		   "  --bios none       start the kernel directly in M-mode, "
		   "without\n"
		   "                    firmware (required for now: firmware "
		   "boot is\n"
		   "                    not implemented yet)\n"
		   "  --memory SIZE     guest RAM, e.g. 64M or 2G; a bare "
		   "number is MiB\n"
		   "                    (default 128M, from 1M to 16G, a "
		   "multiple of 4K)\n"
		   "  --cpus N          number of vCPUs (default 1; only 1 for "
		   "now)\n"
		   "  --engine interp   the CPU engine (only the interpreter "
		   "for now)\n"
		   "  -h, --help        this text\n"
		   "\n"
		   "A bare-metal ELF with a 'tohost' symbol ends the run "
		   "through HTIF:\n"
		   "gasang exits with the code it writes (0 = pass; codes "
		   "above 255\n"
		   "exit with 255 and print the code). Bad input exits with 1 "
		   "and a\n"
		   "one-line message on stderr.\n");
}

enum {
	OPT_KERNEL = 256,
	OPT_BIOS,
	OPT_MEMORY,
	OPT_CPUS,
	OPT_ENGINE,
	OPT_INITRD,
	OPT_APPEND,
	OPT_DISK,
	OPT_NET,
	OPT_HELP,
};

static const struct option run_options[] = {
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "bios", required_argument, NULL, OPT_BIOS },
	{ "memory", required_argument, NULL, OPT_MEMORY },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "engine", required_argument, NULL, OPT_ENGINE },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "disk", required_argument, NULL, OPT_DISK },
	{ "net", required_argument, NULL, OPT_NET },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

int cmd_run(int argc, char **argv)
{
	struct machine_config cfg = {
		.cpus = 1,
		.memory = 128ull << 20,
		.engine = &interp_engine_ops,
	};
	struct machine *m;
	const char *why;
	uint64_t v, code;
	int opt;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":h", run_options, NULL)) != -1) {
		switch (opt) {
		case OPT_KERNEL: cfg.kernel = optarg; break;
		case OPT_BIOS: cfg.bios = optarg; break;
		case OPT_MEMORY:
			if (parse_size(optarg, 1ull << 20, &v) ||
			    v < MACHINE_MIN_MEMORY || v > MACHINE_MAX_MEMORY ||
			    (v & (GUEST_PAGE_SIZE - 1))) {
				cli_error("--memory",
					  "'%s' is not a size from 1M to 16G "
					  "(a multiple of 4K)",
					  optarg);
				return 1;
			}
			cfg.memory = v;
			break;
		case OPT_CPUS:
			if (parse_uint(optarg, 1, MACHINE_MAX_CPUS, &v)) {
				cli_error("--cpus",
					  "'%s' is not a number from 1 to %d",
					  optarg, MACHINE_MAX_CPUS);
				return 1;
			}
			if (v != 1) {
				cli_error("--cpus",
					  "only 1 vCPU is supported for now");
				return 1;
			}
			cfg.cpus = (unsigned)v;
			break;
		case OPT_ENGINE:
			if (strcmp(optarg, "interp")) {
				cli_error("--engine",
					  "'%s' is not available (use interp)",
					  optarg);
				return 1;
			}
			break;
		case OPT_INITRD:
		case OPT_APPEND:
		case OPT_DISK:
		case OPT_NET:
			cli_error(argv[optind - 1][0] == '-' ? argv[optind - 1]
							     : argv[optind - 2],
				  "not supported yet");
			return 1;
		case OPT_HELP:
		case 'h': run_usage(stdout); return 0;
		case ':':
			cli_error("run", "option '%s' needs a value",
				  argv[optind - 1]);
			return 1;
		default:
			if (optopt && optopt < 256 && optopt != '?')
				cli_error("run", "unknown option '-%c'",
					  optopt);
			else
				cli_error("run", "unknown option '%s'",
					  argv[optind - 1]);
			return 1;
		}
	}
	if (optind < argc) {
		cli_error("run", "unexpected argument '%s'", argv[optind]);
		return 1;
	}
	if (!cfg.kernel) {
		cli_error(
			"run",
			"--kernel FILE is required (see 'gasang run --help')");
		return 1;
	}
	if (!cfg.bios || strcmp(cfg.bios, "none")) {
		cli_error("--bios", "firmware boot is not implemented yet; use "
				    "--bios none");
		return 1;
	}
	m = machine_create(&cfg, &why);
	if (!m) {
		cli_error(cfg.kernel, "%s", why);
		return 1;
	}
	code = machine_run(m);
	machine_destroy(m);
	if (code > 255) {
		cli_error(NULL, "guest exited with code %llu",
			  (unsigned long long)code);
		return 255;
	}
	return (int)code;
}
