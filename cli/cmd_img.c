/*
 * gasang img: create disk images (raw, or qcow2 version 3 with an
 * optional backing file) and describe them. Exit status 0, or 1 with one
 * line on stderr for bad input.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "disk/disk.h"
#include "util/parse.h"

static void img_usage(FILE *f)
{
	fprintf(f,
		"usage: gasang img create [-f raw|qcow2] [-b BACKING [-F FMT]] "
		"FILE [SIZE]\n"
		"       gasang img info [--json] FILE\n"
		"       gasang img convert [-f FMT] [-O FMT] SOURCE DEST\n"
		"\n"
		"create makes a new image FILE of SIZE bytes (K, M, G, T "
		"suffixes;\n"
		"a multiple of 512); it never overwrites an existing file.\n"
		"  -f, --format FMT          qcow2 (default: version 3, 64K "
		"clusters,\n"
		"                            16-bit refcounts) or raw (a "
		"sparse "
		"file)\n"
		"  -b, --backing BACKING     a qcow2 overlay on BACKING: "
		"unwritten\n"
		"                            clusters read from it. A relative "
		"name is\n"
		"                            relative to FILE's directory, as "
		"recorded\n"
		"                            in the image. SIZE defaults to "
		"BACKING's.\n"
		"  -F, --backing-format FMT  BACKING's format, raw or qcow2 "
		"(default:\n"
		"                            probed); recorded in the image\n"
		"\n"
		"info prints the format, the virtual size, the space used on "
		"the\n"
		"host, the cluster size and the backing chain.\n"
		"  --json                    the same as one JSON object\n"
		"\n"
		"convert copies SOURCE's virtual disk (format probed, or -f) "
		"into a\n"
		"new image DEST (-O qcow2, the default, or raw); chunks of "
		"zeroes are\n"
		"left unallocated.\n"
		"  -h, --help                this text\n");
}

static int parse_format(const char *s, enum disk_format *fmt)
{
	if (!strcmp(s, "raw"))
		*fmt = DISK_FORMAT_RAW;
	else if (!strcmp(s, "qcow2"))
		*fmt = DISK_FORMAT_QCOW2;
	else
		return -EINVAL;
	return 0;
}

/* Reports an option error the getopt way; returns -1. */
static int option_error(const char *cmd, int opt, char **argv)
{
	if (opt == ':')
		cli_error(cmd, "option '%s' needs a value", argv[optind - 1]);
	else if (optopt && optopt < 256 && optopt != '?')
		cli_error(cmd, "unknown option '-%c'", optopt);
	else
		cli_error(cmd, "unknown option '%s'", argv[optind - 1]);
	return -1;
}

static const struct option create_options[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "backing", required_argument, NULL, 'b' },
	{ "backing-format", required_argument, NULL, 'F' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int img_create(int argc, char **argv)
{
	enum disk_format fmt = DISK_FORMAT_QCOW2, bfmt = DISK_FORMAT_AUTO;
	const char *backing = NULL, *file, *why;
	uint64_t size = 0;
	int opt;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":f:b:F:h", create_options,
				  NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (parse_format(optarg, &fmt)) {
				cli_error("--format",
					  "'%s' is not raw or qcow2", optarg);
				return -1;
			}
			break;
		case 'F':
			if (parse_format(optarg, &bfmt)) {
				cli_error("--backing-format",
					  "'%s' is not raw or qcow2", optarg);
				return -1;
			}
			break;
		case 'b': backing = optarg; break;
		case 'h': img_usage(stdout); return 1;
		default: return option_error("img create", opt, argv);
		}
	}
	if (optind >= argc) {
		cli_error("img create", "FILE is required (see 'gasang img "
					"--help')");
		return -1;
	}
	file = argv[optind++];
	if (optind < argc) {
		const char *s = argv[optind++];

		if (parse_size(s, 1, &size) || !size || size % DISK_SECTOR) {
			cli_error("img create",
				  "'%s' is not a size (a multiple of 512, "
				  "e.g. 10G)",
				  s);
			return -1;
		}
	} else if (!backing) {
		cli_error("img create", "SIZE is required without a backing "
					"file");
		return -1;
	}
	if (optind < argc) {
		cli_error("img create", "unexpected argument '%s'",
			  argv[optind]);
		return -1;
	}
	if (backing && fmt == DISK_FORMAT_RAW) {
		cli_error("img create", "a raw image cannot have a backing "
					"file (use -f qcow2)");
		return -1;
	}
	if (bfmt != DISK_FORMAT_AUTO && !backing) {
		cli_error("img create", "--backing-format needs --backing");
		return -1;
	}
	if (disk_create(file, fmt, size, backing, bfmt, &why)) {
		cli_error(file, "%s", why);
		return -1;
	}
	return 0;
}

static uint64_t host_bytes(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : (uint64_t)st.st_blocks * 512;
}

static void print_size(const char *label, uint64_t v)
{
	static const char *const units[] = { "bytes", "KiB", "MiB",
					     "GiB",   "TiB", "PiB" };
	double x = (double)v;
	unsigned u = 0;

	while (x >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		x /= 1024;
		u++;
	}
	if (u)
		printf("%s: %.3g %s (%" PRIu64 " bytes)\n", label, x, units[u],
		       v);
	else
		printf("%s: %" PRIu64 " bytes\n", label, v);
}

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void json_level(struct disk *d, const struct disk_info *in)
{
	printf("\"file\": ");
	json_string(in->path);
	printf(", \"format\": \"%s\", \"virtual_size\": %" PRIu64
	       ", \"disk_size\": %" PRIu64,
	       disk_format_name(in->format), d->size, host_bytes(in->path));
	if (in->format == DISK_FORMAT_QCOW2)
		printf(", \"version\": %u, \"cluster_size\": %" PRIu64,
		       in->version, in->cluster_size);
	if (in->backing_name) {
		printf(", \"backing_file\": ");
		json_string(in->backing_name);
	}
}

static void print_info(struct disk *top, bool json)
{
	struct disk_info in;
	struct disk *d = top;

	disk_get_info(d, &in);
	if (json) {
		printf("{");
		json_level(d, &in);
		printf(", \"backing_chain\": [");
		for (d = in.backing; d; d = in.backing) {
			disk_get_info(d, &in);
			printf("{");
			json_level(d, &in);
			printf("}%s", in.backing ? ", " : "");
		}
		printf("]}\n");
		return;
	}
	printf("image: %s\n", in.path);
	if (in.format == DISK_FORMAT_QCOW2)
		printf("format: qcow2 (version %u)\n", in.version);
	else
		printf("format: raw\n");
	print_size("virtual size", d->size);
	print_size("disk size", host_bytes(in.path));
	if (in.format == DISK_FORMAT_QCOW2)
		printf("cluster size: %" PRIu64 "\n", in.cluster_size);
	for (unsigned depth = 1; in.backing; depth++) {
		const char *name = in.backing_name;

		d = in.backing;
		disk_get_info(d, &in);
		printf("backing file %u: %s (%s, %s, %" PRIu64 " bytes)\n",
		       depth, name, in.path, disk_format_name(in.format),
		       d->size);
	}
}

static const struct option info_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int img_info(int argc, char **argv)
{
	const char *file, *why;
	struct disk *d;
	bool json = false;
	int opt;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":h", info_options, NULL)) !=
	       -1) {
		switch (opt) {
		case 'j': json = true; break;
		case 'h': img_usage(stdout); return 1;
		default: return option_error("img info", opt, argv);
		}
	}
	if (optind >= argc) {
		cli_error("img info", "FILE is required (see 'gasang img "
				      "--help')");
		return -1;
	}
	file = argv[optind++];
	if (optind < argc) {
		cli_error("img info", "unexpected argument '%s'", argv[optind]);
		return -1;
	}
	if (disk_open(file, DISK_FORMAT_AUTO, true, &d, &why)) {
		cli_error(file, "%s", why);
		return -1;
	}
	print_info(d, json);
	disk_close(d);
	return 0;
}

/* Zero chunks are left unwritten: a sparse or unallocated destination. */
#define CONVERT_CHUNK (1u << 20)
#define CONVERT_PIECE (64u << 10)

static bool all_zero(const uint8_t *p, size_t n)
{
	return n == 0 || (p[0] == 0 && !memcmp(p, p + 1, n - 1));
}

/* Copies src's virtual disk into a new image dst; prints progress on a
 * terminal. */
static int convert(struct disk *src, const char *dst, enum disk_format fmt)
{
	struct disk *d;
	const char *why;
	uint8_t *buf;
	struct iovec iov;
	uint64_t off, len;
	int err, last = -1;

	if (disk_create(dst, fmt, src->size, NULL, DISK_FORMAT_AUTO, &why)) {
		cli_error(dst, "%s", why);
		return -1;
	}
	if (disk_open(dst, fmt, false, &d, &why)) {
		cli_error(dst, "%s", why);
		return -1;
	}
	buf = malloc(CONVERT_CHUNK);
	err = buf ? 0 : -ENOMEM;
	for (off = 0; !err && off < src->size; off += len) {
		len = src->size - off < CONVERT_CHUNK ? src->size - off
						      : CONVERT_CHUNK;
		iov = (struct iovec){ buf, len };
		err = src->ops->readv(src, off, &iov, 1);
		/* in cluster-sized pieces, so zeroes stay unallocated */
		for (uint64_t p = 0; !err && p < len; p += CONVERT_PIECE) {
			size_t n = len - p < CONVERT_PIECE ? len - p
							   : CONVERT_PIECE;
			struct iovec piece = { buf + p, n };

			if (!all_zero(buf + p, n))
				err = d->ops->writev(d, off + p, &piece, 1);
		}
		if (isatty(STDERR_FILENO) &&
		    (int)(off * 100 / src->size) != last) {
			last = (int)(off * 100 / src->size);
			fprintf(stderr, "\r%3d%%", last);
		}
	}
	if (!err)
		err = d->ops->flush(d);
	if (last >= 0)
		fprintf(stderr, "\r    \r");
	free(buf);
	disk_close(d);
	if (err) {
		cli_error(dst, "%s", strerror(-err));
		unlink(dst);
		return -1;
	}
	return 0;
}

static int img_convert(int argc, char **argv)
{
	enum disk_format in_fmt = DISK_FORMAT_AUTO, out_fmt = DISK_FORMAT_QCOW2;
	const char *why, *src, *dst;
	struct disk *d;
	int opt, err;

	opterr = 0;
	optind = 1;
	while ((opt = getopt(argc, argv, ":f:O:h")) != -1) {
		switch (opt) {
		case 'f':
			if (parse_format(optarg, &in_fmt)) {
				cli_error("-f", "'%s' is not raw or qcow2",
					  optarg);
				return -1;
			}
			break;
		case 'O':
			if (parse_format(optarg, &out_fmt)) {
				cli_error("-O", "'%s' is not raw or qcow2",
					  optarg);
				return -1;
			}
			break;
		case 'h': img_usage(stdout); return 1;
		default: return option_error("img convert", opt, argv);
		}
	}
	if (argc - optind != 2) {
		cli_error("img convert", "give SOURCE and DEST (see 'gasang "
					 "img --help')");
		return -1;
	}
	src = argv[optind];
	dst = argv[optind + 1];
	if (disk_open(src, in_fmt, true, &d, &why)) {
		cli_error(src, "%s", why);
		return -1;
	}
	err = convert(d, dst, out_fmt);
	disk_close(d);
	return err;
}

int cmd_img(int argc, char **argv)
{
	int err;

	if (argc < 2) {
		cli_error("img", "a subcommand is required: create or info "
				 "(see 'gasang img --help')");
		return 1;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		img_usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "create"))
		err = img_create(argc - 1, argv + 1);
	else if (!strcmp(argv[1], "info"))
		err = img_info(argc - 1, argv + 1);
	else if (!strcmp(argv[1], "convert"))
		err = img_convert(argc - 1, argv + 1);
	else {
		cli_error("img",
			  "unknown subcommand '%s' (create, info or convert)",
			  argv[1]);
		return 1;
	}
	return err < 0 ? 1 : 0;
}
