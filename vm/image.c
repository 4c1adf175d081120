/* Guest images: see image.h. */
#include "vm/image.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define IMAGE_MANIFEST "image.json"
/* the tiny image's data disk: sparse, so it costs what ext4 writes */
#define TINY_DISK_SIZE (1ull << 30)
/* no4lvl: Sv39, whose user half the JIT's window covers (mem/window.h) */
#define TINY_APPEND "console=ttyS0 quiet no4lvl gasang.data=/dev/vda"
/* a manifest is a few hundred bytes; refuse to parse anything huge */
#define MANIFEST_MAX (64 * 1024)

static int fail(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -1;
}

int image_name_check(const char *name)
{
	size_t n = strlen(name);

	if (n < 1 || n > 63 || name[0] == '-')
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		      (name[i] >= '0' && name[i] <= '9') || name[i] == '-'))
			return -1;
	return 0;
}

/* dir/name into out; -1 when it does not fit */
static int join(char *out, size_t size, const char *dir, const char *name)
{
	int n = snprintf(out, size, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static int image_dir(char *out, size_t size, const char *home, const char *name,
		     const char *suffix)
{
	int n = snprintf(out, size, "%s/images/%s%s", home, name, suffix);

	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* A file named by the manifest: a plain name inside the image directory. */
static int manifest_file(json_t *root, const char *key, const char *dir,
			 char *out, size_t size, bool optional, char *why,
			 size_t why_len)
{
	json_t *v = json_object_get(root, key);
	const char *s;
	struct stat st;

	if ((!v || json_is_null(v)) && optional) {
		out[0] = 0;
		return 0;
	}
	if (!json_is_string(v))
		return fail(why, why_len, "manifest: \"%s\" is not a file name",
			    key);
	s = json_string_value(v);
	if (!*s || strchr(s, '/') || !strcmp(s, ".") || !strcmp(s, ".."))
		return fail(why, why_len,
			    "manifest: \"%s\" must name a file in the image "
			    "directory",
			    key);
	if (join(out, size, dir, s))
		return fail(why, why_len, "manifest: \"%s\": path too long",
			    key);
	if (stat(out, &st) || !S_ISREG(st.st_mode))
		return fail(why, why_len, "%s is missing (rebuild the image)",
			    s);
	return 0;
}

static uint64_t dir_bytes(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *e;
	struct stat st;
	uint64_t sum = 0;
	DIR *d = opendir(dir);

	if (!d)
		return 0;
	while ((e = readdir(d)))
		if (!join(path, sizeof(path), dir, e->d_name) &&
		    !lstat(path, &st) && S_ISREG(st.st_mode))
			sum += (uint64_t)st.st_blocks * 512;
	closedir(d);
	return sum;
}

static void copy_string(char *out, size_t size, json_t *v)
{
	snprintf(out, size, "%s",
		 json_is_string(v) ? json_string_value(v) : "");
}

int image_load(const char *home, const char *name, struct image *img, char *why,
	       size_t why_len)
{
	char dir[PATH_MAX], path[PATH_MAX];
	json_error_t jerr;
	json_t *root, *v;
	struct stat st;
	int err = -1;

	memset(img, 0, sizeof(*img));
	if (image_name_check(name))
		return fail(why, why_len,
			    "'%s' is not an image name (a-z, 0-9, '-')", name);
	if (image_dir(dir, sizeof(dir), home, name, "") ||
	    join(path, sizeof(path), dir, IMAGE_MANIFEST))
		return fail(why, why_len, "path too long");
	if (stat(path, &st)) {
		if (!strcmp(name, IMAGE_DEFAULT))
			return fail(why, why_len,
				    "image '%s' is not built (run 'gasang "
				    "image build %s')",
				    name, name);
		return fail(why, why_len, "no image '%s'", name);
	}
	if (st.st_size > MANIFEST_MAX)
		return fail(why, why_len, "%s: too large to be a manifest",
			    path);
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return fail(why, why_len, "%s: line %d: %s", path, jerr.line,
			    jerr.text);
	if (!json_is_object(root)) {
		fail(why, why_len, "%s: not a JSON object", path);
		goto out;
	}
	snprintf(img->name, sizeof(img->name), "%s", name);
	if (manifest_file(root, "kernel", dir, img->kernel, sizeof(img->kernel),
			  false, why, why_len) ||
	    manifest_file(root, "initrd", dir, img->initrd, sizeof(img->initrd),
			  false, why, why_len) ||
	    manifest_file(root, "disk", dir, img->disk, sizeof(img->disk), true,
			  why, why_len))
		goto out;
	v = json_object_get(root, "append");
	if (v && !json_is_string(v)) {
		fail(why, why_len, "manifest: \"append\" is not a string");
		goto out;
	}
	if (v && strlen(json_string_value(v)) >= sizeof(img->append)) {
		fail(why, why_len, "manifest: \"append\" is too long");
		goto out;
	}
	copy_string(img->append, sizeof(img->append), v);
	v = json_object_get(root, "disk_size");
	if (img->disk[0] &&
	    (!json_is_integer(v) || json_integer_value(v) <= 0)) {
		fail(why, why_len, "manifest: \"disk_size\" is not a size");
		goto out;
	}
	img->disk_size = img->disk[0] ? (uint64_t)json_integer_value(v) : 0;
	copy_string(img->built, sizeof(img->built),
		    json_object_get(root, "built"));
	copy_string(img->packages, sizeof(img->packages),
		    json_object_get(root, "packages"));
	v = json_object_get(root, "ssh");
	img->ssh = json_is_true(v);
	img->host_bytes = dir_bytes(dir);
	err = 0;
out:
	json_decref(root);
	return err;
}

/* --- building ---------------------------------------------------------- */

static int mkdir_p(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	size_t n = strlen(path);

	if (n >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, mode) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, mode) && errno != EEXIST)
		return -errno;
	return 0;
}

/* Removes dir and the plain files in it (an image has no subfolders). */
static int remove_dir(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (!join(path, sizeof(path), dir, e->d_name))
			unlink(path);
	}
	closedir(d);
	return rmdir(dir) ? -errno : 0;
}

static int copy_file(const char *from, const char *to)
{
	struct stat st;
	int in, out, err = 0;
	off_t off = 0;

	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (out < 0) {
		err = -errno;
		close(in);
		return err;
	}
	if (fstat(in, &st))
		err = -errno;
	while (!err && off < st.st_size) {
		ssize_t n = sendfile(out, in, &off, (size_t)(st.st_size - off));

		if (n < 0 && errno != EINTR)
			err = -errno;
		else if (n == 0)
			err = -EIO;
	}
	if (!err && fdatasync(out))
		err = -errno;
	close(in);
	if (close(out) && !err)
		err = -errno;
	return err;
}

/* Runs argv (a NULL-terminated list), its output to our stderr. */
static int run_program(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		dup2(STDERR_FILENO, STDOUT_FILENO);
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return -ENOENT;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

/* "NAME=VERSION ..." from the asset manifest's package lines. */
static void asset_packages(const char *assets_dir, char *out, size_t size)
{
	char path[PATH_MAX], line[512], name[128], version[128];
	size_t used = 0;
	FILE *f;

	out[0] = 0;
	if (join(path, sizeof(path), assets_dir, "manifest.txt"))
		return;
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		int n;

		if (sscanf(line, "package %127s %127s", name, version) != 2)
			continue;
		n = snprintf(out + used, size - used, "%s%s=%s",
			     used ? " " : "", name, version);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
	fclose(f);
}

static int write_manifest(const char *dir, const char *packages)
{
	char path[PATH_MAX], built[32];
	time_t now = time(NULL);
	struct tm tm;
	json_t *root;
	int err;

	gmtime_r(&now, &tm);
	strftime(built, sizeof(built), "%Y-%m-%dT%H:%M:%SZ", &tm);
	root = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s}", "name",
			 "tiny", "kernel", "Image", "initrd",
			 "initramfs.cpio.gz", "disk", "data.raw", "disk_format",
			 "raw", "disk_size", (json_int_t)TINY_DISK_SIZE,
			 "append", TINY_APPEND, "built", built);
	if (!root)
		return -ENOMEM;
	json_object_set_new(root, "packages", json_string(packages));
	if (join(path, sizeof(path), dir, IMAGE_MANIFEST)) {
		json_decref(root);
		return -ENAMETOOLONG;
	}
	err = json_dump_file(root, path, JSON_INDENT(2)) ? -EIO : 0;
	json_decref(root);
	return err;
}

int image_build_tiny(const char *home, const char *assets_dir, bool force,
		     image_progress_fn *progress, void *ctx, char *why,
		     size_t why_len)
{
	static const char *const assets[] = { "Image", "initramfs.cpio.gz" };
	char dir[PATH_MAX], partial[PATH_MAX], old[PATH_MAX], lock[PATH_MAX];
	char from[PATH_MAX], to[PATH_MAX], packages[256], size_arg[32];
	struct stat st;
	int lock_fd, err, ret = -1;

	if (image_dir(dir, sizeof(dir), home, "tiny", "") ||
	    image_dir(partial, sizeof(partial), home, "tiny", ".partial") ||
	    image_dir(old, sizeof(old), home, "tiny", ".old") ||
	    image_dir(lock, sizeof(lock), home, ".tiny", ".lock"))
		return fail(why, why_len, "%s: path too long", home);
	err = mkdir_p(home, 0700);
	if (!err && join(to, sizeof(to), home, "images") == 0)
		err = mkdir_p(to, 0755);
	if (err)
		return fail(why, why_len, "cannot create %s/images: %s", home,
			    strerror(-err));
	lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lock_fd < 0)
		return fail(why, why_len, "%s: %s", lock, strerror(errno));
	if (flock(lock_fd, LOCK_EX | LOCK_NB)) {
		close(lock_fd);
		return fail(why, why_len,
			    "another build of image 'tiny' is running");
	}
	if (!stat(dir, &st) && !force) {
		fail(why, why_len,
		     "image 'tiny' exists (use --force to build it again)");
		goto out;
	}

	progress(ctx, 2, 4, "copying the kernel and the initramfs");
	/* an interrupted build left a partial directory: start it over */
	remove_dir(partial);
	err = mkdir_p(partial, 0755);
	if (err) {
		fail(why, why_len, "%s: %s", partial, strerror(-err));
		goto out;
	}
	for (size_t i = 0; i < sizeof(assets) / sizeof(assets[0]); i++) {
		if (join(from, sizeof(from), assets_dir, assets[i]) ||
		    join(to, sizeof(to), partial, assets[i])) {
			fail(why, why_len, "path too long");
			goto out_partial;
		}
		err = copy_file(from, to);
		if (err) {
			fail(why, why_len, "%s: %s", from, strerror(-err));
			goto out_partial;
		}
	}

	progress(ctx, 3, 4, "making the ext4 data disk");
	snprintf(size_arg, sizeof(size_arg), "%lluk",
		 (unsigned long long)(TINY_DISK_SIZE >> 10));
	if (join(to, sizeof(to), partial, "data.raw")) {
		fail(why, why_len, "path too long");
		goto out_partial;
	}
	{
		char *const argv[] = { "mke2fs",	 "-q", "-F",	 "-t",
				       "ext4",		 "-L", "data",	 "-E",
				       "root_owner=0:0", to,   size_arg, NULL };

		err = run_program(argv);
	}
	if (err) {
		fail(why, why_len, "mke2fs %s",
		     err == -ENOENT ? "is not installed (apt-get install "
				      "e2fsprogs)"
				    : "failed");
		goto out_partial;
	}

	progress(ctx, 4, 4, "writing the manifest");
	asset_packages(assets_dir, packages, sizeof(packages));
	err = write_manifest(partial, packages);
	if (err) {
		fail(why, why_len, "cannot write the manifest: %s",
		     strerror(-err));
		goto out_partial;
	}
	remove_dir(old);
	if (!stat(dir, &st) && rename(dir, old)) {
		fail(why, why_len, "%s: %s", dir, strerror(errno));
		goto out_partial;
	}
	if (rename(partial, dir)) {
		fail(why, why_len, "%s: %s", dir, strerror(errno));
		rename(old, dir);
		goto out_partial;
	}
	remove_dir(old);
	ret = 0;
	goto out;

out_partial:
	remove_dir(partial);
out:
	close(lock_fd);
	return ret;
}

/* --- listing and removing ---------------------------------------------- */

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int image_list(const char *home, char ***names, char *why, size_t why_len)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct dirent *e;
	struct stat st;
	char **v = NULL;
	int n = 0;
	DIR *d;

	*names = NULL;
	if (join(dir, sizeof(dir), home, "images"))
		return fail(why, why_len, "path too long");
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0
				       : fail(why, why_len, "%s: %s", dir,
					      strerror(errno));
	while ((e = readdir(d))) {
		char **nv;

		if (image_name_check(e->d_name) ||
		    snprintf(path, sizeof(path), "%s/%s/%s", dir, e->d_name,
			     IMAGE_MANIFEST) >= (int)sizeof(path) ||
		    stat(path, &st))
			continue;
		nv = realloc(v, (size_t)(n + 1) * sizeof(*v));
		if (!nv || !(nv[n] = strdup(e->d_name))) {
			v = nv ? nv : v;
			for (int i = 0; i < n; i++)
				free(v[i]);
			free(v);
			closedir(d);
			return fail(why, why_len, "out of memory");
		}
		v = nv;
		n++;
	}
	closedir(d);
	if (n)
		qsort(v, (size_t)n, sizeof(*v), cmp_names);
	*names = v;
	return n;
}

/* Name of a VM under home/vms whose config uses image, into vm. */
static bool image_in_use(const char *home, const char *image, char *vm,
			 size_t vm_len)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct dirent *e;
	bool used = false;
	DIR *d;

	if (join(dir, sizeof(dir), home, "vms"))
		return false;
	d = opendir(dir);
	if (!d)
		return false;
	while (!used && (e = readdir(d))) {
		json_t *root, *v;

		if (e->d_name[0] == '.' ||
		    snprintf(path, sizeof(path), "%s/%s/config.json", dir,
			     e->d_name) >= (int)sizeof(path))
			continue;
		root = json_load_file(path, 0, NULL);
		v = root ? json_object_get(root, "image") : NULL;
		if (json_is_string(v) && !strcmp(json_string_value(v), image)) {
			snprintf(vm, vm_len, "%s", e->d_name);
			used = true;
		}
		json_decref(root);
	}
	closedir(d);
	return used;
}

int image_remove(const char *home, const char *name, char *why, size_t why_len)
{
	char dir[PATH_MAX], vm[256];
	struct stat st;
	int err;

	if (image_name_check(name))
		return fail(why, why_len,
			    "'%s' is not an image name (a-z, 0-9, '-')", name);
	if (image_dir(dir, sizeof(dir), home, name, ""))
		return fail(why, why_len, "path too long");
	if (stat(dir, &st))
		return fail(why, why_len, "no image '%s'", name);
	if (image_in_use(home, name, vm, sizeof(vm)))
		return fail(why, why_len,
			    "image '%s' is used by VM '%s' (remove the VM "
			    "first)",
			    name, vm);
	err = remove_dir(dir);
	if (err)
		return fail(why, why_len, "%s: %s", dir, strerror(-err));
	return 0;
}
