/*
 * gasang image: build, list and remove the guest images managed VMs boot
 * (vm/image.h). Exit status 0, or 1 with one line on stderr.
 */
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "vm/image.h"
#include "vm/store.h"

static void image_usage(FILE *f)
{
	fprintf(f,
		"usage: gasang image build tiny [--force]\n"
		"       gasang image build debian [--packages A,B,...] "
		"[--size 4G] [--force]\n"
		"       gasang image list [--json]\n"
		"       gasang image rm NAME\n"
		"\n"
		"Images are what managed VMs boot ('gasang create --image "
		"NAME');\n"
		"they live in $GASANG_HOME/images (default "
		"~/.local/share/gasang).\n"
		"\n"
		"build tiny   Debian's riscv64 kernel and modules, busybox and "
		"an\n"
		"             initramfs, plus a 1G ext4 data disk that VMs get "
		"a\n"
		"             copy-on-write overlay of. Fetches the packages "
		"from\n"
		"             Debian's archive (signatures checked) into "
		"$GASANG_CACHE\n"
		"             (default ~/.cache/gasang) the first time.\n"
		"build debian  a Debian trixie riscv64 system: systemd, DHCP "
		"networking,\n"
		"             a getty on the serial console, openssh-server "
		"and the\n"
		"             --packages asked for, on a qcow2 base disk of "
		"--size\n"
		"             (default 4G). The packages are configured inside "
		"a gasang\n"
		"             VM: this takes long. An interrupted build goes "
		"on "
		"where it\n"
		"             stopped. Needs root (debootstrap).\n"
		"  --force    build again over an existing image\n"
		"list         name, size on disk, build date and packages\n"
		"  --json     the same as a JSON array\n"
		"rm NAME      remove an image no VM uses\n");
}

static void progress_line(void *ctx, unsigned step, unsigned steps,
			  const char *what)
{
	fprintf(stderr, "[%u/%u] %s\n", step, steps, what);
}

/* This binary's path, and the repository's scripts/NAME beside its build
 * folder; -1 when the script is not there (an installed gasang). */
static int find_script(const char *name, char *exe, size_t exe_size,
		       char *script, size_t size)
{
	char dir[PATH_MAX];
	struct stat st;
	ssize_t n;

	n = readlink("/proc/self/exe", exe, exe_size - 1);
	if (n <= 0)
		return -1;
	exe[n] = 0;
	snprintf(dir, sizeof(dir), "%s", exe);
	for (int up = 0; up < 2; up++) {
		char *slash = strrchr(dir, '/');

		if (slash)
			*slash = 0;
	}
	if ((size_t)snprintf(script, size, "%s/scripts/%s", dir, name) >= size)
		return -1;
	return stat(script, &st) ? -1 : 0;
}

/* Runs argv, its output on our stderr; its exit status or -1. */
static int run_script(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(STDERR_FILENO, STDOUT_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/*
 * The guest assets: scripts/fetch-guest-assets.sh next to this binary's
 * build folder fetches or checks them (it is idempotent and needs no
 * network when the cache is complete); the cache is used as it is when
 * the script is not there.
 */
static int fetch_assets(char *assets, size_t size)
{
	const char *cache = getenv("GASANG_CACHE"), *home = getenv("HOME");
	char exe[PATH_MAX], script[PATH_MAX + 64];

	if (cache && *cache)
		snprintf(assets, size, "%s/assets", cache);
	else if (home && *home)
		snprintf(assets, size, "%s/.cache/gasang/assets", home);
	else
		return -1;
	if (find_script("fetch-guest-assets.sh", exe, sizeof(exe), script,
			sizeof(script)))
		return 0;
	return run_script((char *const[]){ script, "--cache", assets, NULL })
		       ? -1
		       : 0;
}

/* gasang image build debian: scripts/build-debian-image.sh does it. */
static int build_debian(const char *home, bool force, const char *packages,
			const char *size)
{
	char exe[PATH_MAX], script[PATH_MAX + 64];
	char *argv[16];
	int argc = 0;

	if (find_script("build-debian-image.sh", exe, sizeof(exe), script,
			sizeof(script))) {
		cli_error("image build",
			  "scripts/build-debian-image.sh is not beside this "
			  "gasang (run it from its build folder)");
		return 1;
	}
	argv[argc++] = script;
	argv[argc++] = "--home";
	argv[argc++] = (char *)home;
	argv[argc++] = "--gasang";
	argv[argc++] = exe;
	if (packages) {
		argv[argc++] = "--packages";
		argv[argc++] = (char *)packages;
	}
	if (size) {
		argv[argc++] = "--size";
		argv[argc++] = (char *)size;
	}
	if (force)
		argv[argc++] = "--force";
	argv[argc] = NULL;
	return run_script(argv) ? 1 : 0;
}

static int image_build(int argc, char **argv, const char *home)
{
	char assets[PATH_MAX], dir[PATH_MAX + 16], why[512];
	const char *name = NULL, *packages = NULL, *size = NULL;
	bool force = false;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--force")) {
			force = true;
		} else if (!strcmp(argv[i], "-h") ||
			   !strcmp(argv[i], "--help")) {
			image_usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--packages") ||
			   !strcmp(argv[i], "--size")) {
			if (i + 1 == argc) {
				cli_error(argv[i], "needs a value");
				return 1;
			}
			if (argv[i][2] == 'p')
				packages = argv[++i];
			else
				size = argv[++i];
		} else if (argv[i][0] == '-') {
			cli_error("image build", "unknown option '%s'",
				  argv[i]);
			return 1;
		} else if (!name) {
			name = argv[i];
		} else {
			cli_error("image build", "unexpected argument '%s'",
				  argv[i]);
			return 1;
		}
	}
	if (!name) {
		cli_error("image build", "which image? (tiny or debian)");
		return 1;
	}
	if (!strcmp(name, "debian"))
		return build_debian(home, force, packages, size);
	if (strcmp(name, "tiny")) {
		cli_error("image build", "unknown image '%s' (tiny or debian)",
			  name);
		return 1;
	}
	if (packages || size) {
		cli_error("image build",
			  "--packages and --size are for the debian image");
		return 1;
	}
	snprintf(dir, sizeof(dir), "%s/images/tiny", home);
	if (!force && !access(dir, F_OK)) {
		cli_error("image build",
			  "image 'tiny' exists (use --force to build it "
			  "again)");
		return 1;
	}
	progress_line(NULL, 1, 4, "fetching and checking the guest assets");
	if (fetch_assets(assets, sizeof(assets))) {
		cli_error("image build",
			  "cannot fetch the guest assets from Debian's "
			  "archive");
		return 1;
	}
	if (image_build_tiny(home, assets, force, progress_line, NULL, why,
			     sizeof(why))) {
		cli_error("image build", "%s", why);
		return 1;
	}
	printf("image tiny built in %s/images/tiny\n", home);
	return 0;
}

static void human_size(char *out, size_t size, uint64_t bytes)
{
	static const char units[] = "BKMGT";
	double v = (double)bytes;
	unsigned u = 0;

	while (v >= 1024 && u < sizeof(units) - 2) {
		v /= 1024;
		u++;
	}
	snprintf(out, size, u ? "%.1f%c" : "%.0f%c", v, units[u]);
}

static int image_list_cmd(int argc, char **argv, const char *home)
{
	char why[512], size[16];
	bool json = false;
	json_t *arr = NULL;
	struct image img;
	char **names;
	int n;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else {
			cli_error("image list", "unexpected argument '%s'",
				  argv[i]);
			return 1;
		}
	}
	n = image_list(home, &names, why, sizeof(why));
	if (n < 0) {
		cli_error("image list", "%s", why);
		return 1;
	}
	if (json)
		arr = json_array();
	else
		printf("%-16s %8s  %-20s  %s\n", "NAME", "SIZE", "BUILT",
		       "PACKAGES");
	for (int i = 0; i < n; i++) {
		if (image_load(home, names[i], &img, why, sizeof(why))) {
			cli_error(names[i], "%s", why);
			free(names[i]);
			continue;
		}
		if (json) {
			json_array_append_new(
				arr,
				json_pack("{s:s, s:I, s:s, s:s}", "name",
					  img.name, "size",
					  (json_int_t)img.host_bytes, "built",
					  img.built, "packages", img.packages));
		} else {
			human_size(size, sizeof(size), img.host_bytes);
			printf("%-16s %8s  %-20s  %s\n", img.name, size,
			       img.built, img.packages);
		}
		free(names[i]);
	}
	free(names);
	if (json) {
		char *s = json_dumps(arr, JSON_INDENT(2));

		puts(s ? s : "[]");
		free(s);
		json_decref(arr);
	}
	return 0;
}

int cmd_image(int argc, char **argv)
{
	char home[PATH_MAX], why[512];

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		image_usage(argc < 2 ? stderr : stdout);
		return argc < 2;
	}
	if (store_home(home, sizeof(home), why, sizeof(why))) {
		cli_error("image", "%s", why);
		return 1;
	}
	if (!strcmp(argv[1], "build"))
		return image_build(argc - 1, argv + 1, home);
	if (!strcmp(argv[1], "list") || !strcmp(argv[1], "ls"))
		return image_list_cmd(argc - 1, argv + 1, home);
	if (!strcmp(argv[1], "rm")) {
		if (argc != 3) {
			cli_error("image rm", "give one image name");
			return 1;
		}
		if (image_remove(home, argv[2], why, sizeof(why))) {
			cli_error("image rm", "%s", why);
			return 1;
		}
		return 0;
	}
	cli_error("image", "unknown verb '%s' (build, list, rm)", argv[1]);
	return 1;
}
