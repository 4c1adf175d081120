/* Kernel-enforced limits of a VM process: see sandbox.h. */
#include "vm/sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/log.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

enum { CTRL_CPU, CTRL_MEMORY, CTRL_PIDS, NCTRL };
static const char *const ctrl_names[NCTRL] = { "cpu", "memory", "pids" };

uint64_t sandbox_memory_limit(const struct config *cfg)
{
	return cfg->memory + SANDBOX_MEMORY_OVERHEAD(cfg->memory);
}

static int write_file(const char *dir, const char *file, const char *text)
{
	char path[PATH_MAX];
	ssize_t len = (ssize_t)strlen(text);
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, text, (size_t)len) != len)
		err = -errno;
	close(fd);
	return err;
}

static int read_file(const char *dir, const char *file, char *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -EIO;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static bool list_has(const char *list, const char *word, char sep)
{
	size_t wl = strlen(word);

	for (const char *p = list; *p;) {
		const char *end = strchr(p, sep);
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == wl && !strncmp(p, word, wl))
			return true;
		if (!end)
			break;
		p = end + 1;
	}
	return false;
}

/*
 * Where our own cgroup of controller ctrl is: the v1 hierarchy that has it
 * (mount/own-path), else the v2 one if our v2 cgroup delegates it. Fills
 * dir and *v2; false when the host offers no such controller to us.
 */
static bool own_cgroup(const char *ctrl, char *dir, size_t len, bool *v2)
{
	char line[PATH_MAX + 64], v2path[PATH_MAX] = "", list[256];
	bool found = false;
	struct stat st;
	FILE *f;

	f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *ctrls = strchr(line, ':'), *path;

		if (!ctrls)
			continue;
		path = strchr(++ctrls, ':');
		if (!path)
			continue;
		*path++ = '\0';
		path[strcspn(path, "\n")] = '\0';
		if (!*ctrls) {
			snprintf(v2path, sizeof(v2path), "%s", path);
			continue;
		}
		if (!list_has(ctrls, ctrl, ','))
			continue;
		snprintf(dir, len, CGROUP_ROOT "/%s%s", ctrls,
			 strcmp(path, "/") ? path : "");
		if (stat(dir, &st))
			snprintf(dir, len, CGROUP_ROOT "/%s%s", ctrl,
				 strcmp(path, "/") ? path : "");
		found = !stat(dir, &st);
		*v2 = false;
	}
	fclose(f);
	if (found || !*v2path)
		return found;
	/* v2: at /sys/fs/cgroup itself or at /sys/fs/cgroup/unified */
	for (int i = 0; i < 2 && !found; i++) {
		if ((size_t)snprintf(dir, len, CGROUP_ROOT "%s%s",
				     i ? "/unified" : "",
				     strcmp(v2path, "/") ? v2path : "") >= len)
			break;
		found = !read_file(dir, "cgroup.subtree_control", list,
				   sizeof(list)) &&
			list_has(list, ctrl, ' ');
	}
	*v2 = true;
	return found;
}

static int set_limit(int ctrl, bool v2, const char *dir,
		     const struct config *cfg)
{
	char buf[64];
	int err;

	switch (ctrl) {
	case CTRL_CPU:
		if (v2) {
			snprintf(buf, sizeof(buf), "%u %u",
				 cfg->cpus * SANDBOX_CPU_PERIOD_US,
				 SANDBOX_CPU_PERIOD_US);
			return write_file(dir, "cpu.max", buf);
		}
		snprintf(buf, sizeof(buf), "%u", SANDBOX_CPU_PERIOD_US);
		err = write_file(dir, "cpu.cfs_period_us", buf);
		snprintf(buf, sizeof(buf), "%u",
			 cfg->cpus * SANDBOX_CPU_PERIOD_US);
		return err ? err : write_file(dir, "cpu.cfs_quota_us", buf);
	case CTRL_MEMORY:
		snprintf(buf, sizeof(buf), "%llu",
			 (unsigned long long)sandbox_memory_limit(cfg));
		return write_file(
			dir, v2 ? "memory.max" : "memory.limit_in_bytes", buf);
	default:
		snprintf(buf, sizeof(buf), "%u", SANDBOX_TASKS(cfg->cpus));
		return write_file(dir, "pids.max", buf);
	}
}

static int enter_cgroups(const struct config *cfg, struct store_run *run,
			 char *why, size_t why_len)
{
	char own[PATH_MAX], dir[PATH_MAX], pid[32];
	bool v2;
	int err;

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	for (int c = 0; c < NCTRL; c++) {
		if (!own_cgroup(ctrl_names[c], own, sizeof(own), &v2)) {
			log_warn("cgroups: no %s controller here; its limit "
				 "is not in force",
				 ctrl_names[c]);
			continue;
		}
		if ((size_t)snprintf(dir, sizeof(dir), "%s/gasang-%s-%s", own,
				     cfg->name, pid) >= sizeof(dir))
			continue;
		/* v2 shares one cgroup among controllers */
		if (v2 && run->ncgroups &&
		    !strcmp(run->cgroups[run->ncgroups - 1], dir)) {
			err = set_limit(c, v2, dir, cfg);
		} else {
			if (mkdir(dir, 0755) && errno != EEXIST) {
				log_warn("cgroups: %s: %s; the %s limit is "
					 "not in force",
					 dir, strerror(errno), ctrl_names[c]);
				continue;
			}
			strcpy(run->cgroups[run->ncgroups++], dir);
			err = set_limit(c, v2, dir, cfg);
			if (!err)
				err = write_file(dir, "cgroup.procs", pid);
		}
		if (err) {
			snprintf(why, why_len, "cgroup %s: %s", dir,
				 strerror(-err));
			return -1;
		}
		log_info("cgroups: %s limit set in %s", ctrl_names[c], dir);
	}
	return 0;
}

static int set_rlimit(int res, rlim_t v, char *why, size_t why_len)
{
	struct rlimit rl;

	if (getrlimit(res, &rl))
		rl.rlim_max = RLIM_INFINITY;
	if (v > rl.rlim_max)
		v = rl.rlim_max;
	rl.rlim_cur = v;
	rl.rlim_max = v;
	if (setrlimit(res, &rl)) {
		snprintf(why, why_len, "setrlimit: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int sandbox_enter(const struct config *cfg, struct store_run *run, char *why,
		  size_t why_len)
{
	/* the overlay grows to the disk's size plus qcow2 metadata; the
	 * logs are rotated far below this */
	rlim_t fsize = cfg->disk_size + cfg->disk_size / 16 + (64ull << 20);

	/* guest RAM may be a memfd (mem/bus.h), a file of memory's size */
	if (fsize < cfg->memory + (64ull << 20))
		fsize = cfg->memory + (64ull << 20);

	if (enter_cgroups(cfg, run, why, why_len))
		return -1;
	if (set_rlimit(RLIMIT_CORE, 0, why, why_len) ||
	    set_rlimit(RLIMIT_NOFILE, SANDBOX_NOFILE, why, why_len) ||
	    set_rlimit(RLIMIT_FSIZE, fsize, why, why_len) ||
	    set_rlimit(RLIMIT_MEMLOCK, 0, why, why_len))
		return -1;
	/* a write past RLIMIT_FSIZE fails with EFBIG (a guest I/O error)
	 * instead of killing the VM */
	signal(SIGXFSZ, SIG_IGN);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		snprintf(why, why_len, "no-new-privileges: %s",
			 strerror(errno));
		return -1;
	}
	return 0;
}

void sandbox_leave(const struct store_run *run)
{
	char parent[PATH_MAX], pid[32];

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	for (unsigned i = 0; i < run->ncgroups; i++) {
		char *slash;

		snprintf(parent, sizeof(parent), "%s", run->cgroups[i]);
		slash = strrchr(parent, '/');
		if (!slash)
			continue;
		*slash = '\0';
		write_file(parent, "cgroup.procs", pid);
	}
	sandbox_cleanup(run);
}

void sandbox_cleanup(const struct store_run *run)
{
	for (unsigned i = 0; i < run->ncgroups; i++)
		if (strstr(run->cgroups[i], "/gasang-"))
			rmdir(run->cgroups[i]);
}

static json_t *read_number(const char *dir, const char *file)
{
	char buf[64];

	if (read_file(dir, file, buf, sizeof(buf)))
		return NULL;
	if (!strcmp(buf, "max") || !strcmp(buf, "-1"))
		return json_string("max");
	return json_integer(strtoll(buf, NULL, 10));
}

json_t *sandbox_describe(const struct store_run *run, pid_t pid)
{
	json_t *out = json_object(), *rl = json_object();
	static const struct {
		const char *name;
		int res;
	} rlimits[] = {
		{ "core", RLIMIT_CORE },
		{ "nofile", RLIMIT_NOFILE },
		{ "fsize", RLIMIT_FSIZE },
		{ "memlock", RLIMIT_MEMLOCK },
	};
	char buf[128];

	for (unsigned i = 0; run && i < run->ncgroups; i++) {
		const char *d = run->cgroups[i];
		json_t *v;

		if (access(d, F_OK))
			continue;
		if ((v = read_number(d, "cpu.cfs_quota_us"))) {
			json_object_set_new(out, "cpu_quota_us", v);
			json_object_set_new(
				out, "cpu_period_us",
				read_number(d, "cpu.cfs_period_us"));
			json_object_set_new(out, "cpu_cgroup", json_string(d));
		}
		if (!read_file(d, "cpu.max", buf, sizeof(buf))) {
			long long q = 0, p = 0;

			if (sscanf(buf, "%lld %lld", &q, &p) == 2) {
				json_object_set_new(out, "cpu_quota_us",
						    json_integer(q));
				json_object_set_new(out, "cpu_period_us",
						    json_integer(p));
				json_object_set_new(out, "cpu_cgroup",
						    json_string(d));
			}
		}
		if ((v = read_number(d, "memory.limit_in_bytes")) ||
		    (v = read_number(d, "memory.max"))) {
			json_object_set_new(out, "memory_limit", v);
			json_object_set_new(out, "memory_cgroup",
					    json_string(d));
		}
		if ((v = read_number(d, "pids.max"))) {
			json_object_set_new(out, "tasks_limit", v);
			json_object_set_new(out, "pids_cgroup", json_string(d));
		}
	}
	for (unsigned i = 0; pid > 0 && i < sizeof(rlimits) / sizeof(*rlimits);
	     i++) {
		struct rlimit r;

		if (prlimit(pid, rlimits[i].res, NULL, &r))
			continue;
		json_object_set_new(
			rl, rlimits[i].name,
			r.rlim_cur == RLIM_INFINITY
				? json_string("unlimited")
				: json_integer((json_int_t)r.rlim_cur));
	}
	json_object_set_new(out, "rlimits", rl);
	if (pid > 0) {
		char path[64], line[128];
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
		f = fopen(path, "re");
		while (f && fgets(line, sizeof(line), f)) {
			unsigned v;

			if (sscanf(line, "NoNewPrivs: %u", &v) == 1)
				json_object_set_new(out, "no_new_privs",
						    json_boolean(v));
		}
		if (f)
			fclose(f);
	}
	return out;
}
