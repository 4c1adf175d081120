/* The VM store: see store.h. */
#include "vm/store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static int mkdir_p(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) && errno != EEXIST) {
			*p = '/';
			return -errno;
		}
		*p = '/';
	}
	if (mkdir(path, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

int store_home(char *home, size_t len, char *why, size_t why_len)
{
	const char *env = getenv("GASANG_HOME");
	char sub[PATH_MAX];
	struct stat st;
	int err, n;

	if (env && *env) {
		n = snprintf(home, len, "%s", env);
	} else {
		env = getenv("HOME");
		if (!env || !*env) {
			snprintf(why, why_len,
				 "neither GASANG_HOME nor HOME is set");
			return -1;
		}
		n = snprintf(home, len, "%s/.local/share/gasang", env);
	}
	if (n < 0 || (size_t)n >= len || (size_t)n + 80 >= PATH_MAX ||
	    home[0] != '/') {
		snprintf(why, why_len,
			 "GASANG_HOME must be an absolute path of at most %d "
			 "bytes",
			 PATH_MAX - 80);
		return -1;
	}
	while (n > 1 && home[n - 1] == '/')
		home[--n] = '\0';
	err = mkdir_p(home);
	if (!err && (stat(home, &st) || !S_ISDIR(st.st_mode)))
		err = -ENOTDIR;
	if (err) {
		snprintf(why, why_len, "%s: %s", home, strerror(-err));
		return -1;
	}
	for (int i = 0; i < 2; i++) {
		snprintf(sub, sizeof(sub), "%s/%s", home, i ? "images" : "vms");
		if (mkdir(sub, 0700) && errno != EEXIST) {
			snprintf(why, why_len, "%s: %s", sub, strerror(errno));
			return -1;
		}
	}
	return 0;
}

int store_vm_dir(const char *home, const char *name, char *dir, size_t len)
{
	int n = snprintf(dir, len, "%s/vms/%s", home, name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

int store_list(const char *home, char (*names)[CONFIG_NAME_MAX + 1],
	       unsigned max, unsigned *count)
{
	char path[PATH_MAX];
	struct dirent *de;
	unsigned n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/vms", home);
	d = opendir(path);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		/* half-made directories of create start with '.' */
		if (!config_name_is_valid(de->d_name))
			continue;
		if (n < max)
			strcpy(names[n], de->d_name);
		n++;
	}
	closedir(d);
	qsort(names, n < max ? n : max, sizeof(*names), cmp_names);
	*count = n;
	return 0;
}

int store_lock_home(const char *home)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/store.lock", home);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	while (flock(fd, LOCK_EX)) {
		if (errno != EINTR) {
			int err = -errno;

			close(fd);
			return err;
		}
	}
	return fd;
}

static int open_vm_lock(const char *dir, int flags)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/vmm.lock", dir);
	return open(path, flags | O_CLOEXEC | O_NOFOLLOW, 0600);
}

int store_lock_vm(const char *dir)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd = open_vm_lock(dir, O_RDWR | O_CREAT), err;

	if (fd < 0)
		return -errno;
	if (fcntl(fd, F_OFD_SETLK, &fl)) {
		err = errno == EAGAIN || errno == EACCES ? -EBUSY : -errno;
		close(fd);
		return err;
	}
	return fd;
}

bool store_vm_is_locked(const char *dir)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd = open_vm_lock(dir, O_RDWR);
	bool locked;

	if (fd < 0)
		return false;
	locked = !fcntl(fd, F_OFD_GETLK, &fl) && fl.l_type != F_UNLCK;
	close(fd);
	return locked;
}

int store_run_write(const char *dir, const struct store_run *run)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	json_t *root, *cg;
	int err;

	cg = json_array();
	for (unsigned i = 0; i < run->ncgroups; i++)
		json_array_append_new(cg, json_string(run->cgroups[i]));
	root = json_pack("{s:I,s:I,s:o}", "pid", (json_int_t)run->pid,
			 "started", (json_int_t)run->started, "cgroups", cg);
	if (!root)
		return -ENOMEM;
	snprintf(path, sizeof(path), "%s/run.json", dir);
	snprintf(tmp, sizeof(tmp), "%s/run.json.tmp", dir);
	err = json_dump_file(root, tmp, JSON_COMPACT) ? -EIO : 0;
	json_decref(root);
	if (!err && rename(tmp, path))
		err = -errno;
	return err;
}

int store_run_read(const char *dir, struct store_run *run)
{
	char path[PATH_MAX];
	json_t *root, *cg, *v;
	json_int_t pid, started;
	size_t i;

	memset(run, 0, sizeof(*run));
	snprintf(path, sizeof(path), "%s/run.json", dir);
	if (access(path, F_OK))
		return -ENOENT;
	root = json_load_file(path, JSON_REJECT_DUPLICATES, NULL);
	if (!root)
		return -EINVAL;
	if (json_unpack(root, "{s:I,s:I,s:o}", "pid", &pid, "started", &started,
			"cgroups", &cg) ||
	    pid <= 0 || pid > INT32_MAX || !json_is_array(cg) ||
	    json_array_size(cg) > STORE_MAX_CGROUPS) {
		json_decref(root);
		return -EINVAL;
	}
	run->pid = (pid_t)pid;
	run->started = started;
	json_array_foreach(cg, i, v)
	{
		const char *s = json_string_value(v);

		if (!s || strlen(s) >= PATH_MAX ||
		    strncmp(s, "/sys/fs/cgroup/", 15) || strstr(s, "..")) {
			json_decref(root);
			return -EINVAL;
		}
		strcpy(run->cgroups[run->ncgroups++], s);
	}
	json_decref(root);
	return 0;
}

void store_run_remove(const char *dir)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/run.json", dir);
	unlink(path);
}

void store_last_line(const char *dir, const char *file, char *buf, size_t len)
{
	char path[PATH_MAX], tail[1024];
	ssize_t n;
	off_t size;
	char *end, *start;
	int fd;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return;
	size = lseek(fd, 0, SEEK_END);
	if (size < 0)
		size = 0;
	n = pread(fd, tail, sizeof(tail) - 1,
		  size > (off_t)sizeof(tail) - 1
			  ? size - (off_t)sizeof(tail) + 1
			  : 0);
	close(fd);
	if (n <= 0)
		return;
	tail[n] = '\0';
	end = tail + n;
	while (end > tail && (end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	start = strrchr(tail, '\n');
	start = start ? start + 1 : tail;
	for (size_t i = 0; start[i] && i + 1 < len; i++) {
		unsigned char c = (unsigned char)start[i];

		buf[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
		buf[i + 1] = '\0';
	}
}

int store_remove_vm(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(dir);
	int err = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (unlink(path) && !err)
			err = -errno;
	}
	closedir(d);
	if (!err && rmdir(dir))
		err = -errno;
	return err;
}
