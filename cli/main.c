/*
 * gasang's entry point: the subcommand table. Exit status: what the
 * subcommand returns; 1 with a one-line message for bad input; 2 for a
 * command-line usage error is not used: every user error is 1
 * (docs/manager.md lists the exit codes).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_vm.h"

#define GASANG_VERSION "0.1.0"

struct subcommand {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct subcommand subcommands[] = {
	{ "run", cmd_run, "run a VM in the foreground (console on stdio)" },
	{ "create", cmd_create, "create a managed VM (stopped)" },
	{ "start", cmd_start, "start a VM in its own process" },
	{ "stop", cmd_stop, "power a VM off (power button, then force)" },
	{ "list", cmd_list, "list the VMs and their state" },
	{ "info", cmd_info, "describe a VM and the limits in force" },
	{ "console", cmd_console, "attach to a VM's serial console" },
	{ "logs", cmd_logs, "print a VM's console (or VM process) log" },
	{ "rm", cmd_rm, "remove a VM and its disk" },
	{ "image", cmd_image, "build and list the images VMs boot" },
	{ "img", cmd_img, "create and describe disk images (raw, qcow2)" },
};

void cli_error(const char *object, const char *fmt, ...)
{
	va_list ap;

	fputs("gasang: ", stderr);
	if (object)
		fprintf(stderr, "%s: ", object);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: gasang <command> [options]\n\n"
		   "gasang runs RISC-V 64 virtual machines on this host.\n\n"
		   "commands:\n");
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]);
	     i++)
		fprintf(f, "  %-10s %s\n", subcommands[i].name,
			subcommands[i].summary);
	fprintf(f, "\n'gasang <command> --help' describes a command.\n"
		   "'gasang --version' prints the version.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("gasang %s\n", GASANG_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]);
	     i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].fn(argc - 1, argv + 1);
	cli_error(NULL, "unknown command '%s' (see 'gasang --help')", argv[1]);
	return 1;
}
