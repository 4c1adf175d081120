/* Managed VMs: see vm.h. */
#include "vm/vm.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "disk/disk.h"
#include "vm/control.h"
#include "vm/image.h"
#include "vm/sandbox.h"
#include "vm/store.h"
#include "vm/vmm.h"

bool vm_port_is_free(unsigned port)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons((uint16_t)port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	bool free;

	if (fd < 0)
		return false;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	free = !bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	return free;
}

int vm_load(const char *home, const char *name, char *dir, size_t dir_len,
	    struct config *cfg, char *why, size_t why_len)
{
	int err;

	if (!config_name_is_valid(name)) {
		snprintf(why, why_len,
			 "not a VM name (1 to 63 lowercase letters, digits "
			 "or hyphens, not starting with a hyphen)");
		return -1;
	}
	if (store_vm_dir(home, name, dir, dir_len)) {
		snprintf(why, why_len, "path too long");
		return -1;
	}
	if (access(dir, F_OK)) {
		snprintf(why, why_len, "no such VM (see 'gasang list')");
		return -1;
	}
	err = config_read(dir, name, cfg, why, why_len);
	return err ? -1 : 0;
}

static size_t cmdline_len(const struct image *img, const struct config *cfg)
{
	return strlen(img->append) + strlen(" " VM_HOSTNAME_ARG) +
	       strlen(cfg->name) + 1 + strlen(cfg->append);
}

/*
 * An image that runs sshd gets its port 22 forwarded from a free host
 * port, unless the user forwarded one: the kernel picks a free port.
 */
static int add_ssh_port(struct config *cfg, char *why, size_t why_len)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd;

	for (unsigned i = 0; i < cfg->nports; i++)
		if (cfg->ports[i].guest == 22)
			return 0;
	if (cfg->nports == CONFIG_MAX_PORTS) {
		snprintf(why, why_len,
			 "no room to forward ssh (at most %d "
			 "ports)",
			 CONFIG_MAX_PORTS);
		return -1;
	}
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(fd, (struct sockaddr *)&a, &len)) {
		snprintf(why, why_len, "cannot find a free port for ssh: %s",
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	cfg->ports[cfg->nports++] =
		(struct config_port){ ntohs(a.sin_port), 22 };
	return 0;
}

/* host ports of cfg that another VM's config also forwards */
static int check_ports_unclaimed(const char *home, const struct config *cfg,
				 char *why, size_t why_len)
{
	static char names[STORE_MAX_VMS][CONFIG_NAME_MAX + 1];
	char dir[PATH_MAX], ignore[256];
	struct config other;
	unsigned n;

	if (store_list(home, names, STORE_MAX_VMS, &n))
		return 0;
	for (unsigned i = 0; i < n && i < STORE_MAX_VMS; i++) {
		if (!strcmp(names[i], cfg->name) ||
		    store_vm_dir(home, names[i], dir, sizeof(dir)) ||
		    config_read(dir, names[i], &other, ignore, sizeof(ignore)))
			continue;
		for (unsigned a = 0; a < cfg->nports; a++)
			for (unsigned b = 0; b < other.nports; b++)
				if (cfg->ports[a].host == other.ports[b].host) {
					snprintf(why, why_len,
						 "host port %u is already "
						 "forwarded to VM '%s'",
						 cfg->ports[a].host, names[i]);
					return -1;
				}
	}
	return 0;
}

static int check_ports_free(const struct config *cfg, char *why, size_t why_len)
{
	for (unsigned i = 0; i < cfg->nports; i++) {
		if (!vm_port_is_free(cfg->ports[i].host)) {
			snprintf(why, why_len,
				 "host port %u is in use on 127.0.0.1",
				 cfg->ports[i].host);
			return -1;
		}
	}
	return 0;
}

int vm_create(const char *home, struct config *cfg, char *why, size_t why_len)
{
	char dir[PATH_MAX], tmp[PATH_MAX], disk[PATH_MAX + 16];
	const char *dwhy;
	struct image img;
	int lock, err;

	if (store_vm_dir(home, cfg->name, dir, sizeof(dir)) ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s/vms/.%s-XXXXXX", home,
			     cfg->name) >= sizeof(tmp)) {
		snprintf(why, why_len, "path too long");
		return -1;
	}
	if (image_load(home, cfg->image, &img, why, why_len))
		return -1;
	if (!cfg->disk_size)
		cfg->disk_size = img.disk[0] && img.disk_size ? img.disk_size
							      : VM_DEFAULT_DISK;
	cfg->created = (int64_t)time(NULL);
	if (img.ssh && add_ssh_port(cfg, why, why_len))
		return -1;
	if (config_validate(cfg, why, why_len))
		return -1;
	if (img.disk[0] && cfg->disk_size < img.disk_size) {
		snprintf(why, why_len,
			 "--disk-size is smaller than image '%s' (%llu "
			 "MiB)",
			 cfg->image, (unsigned long long)(img.disk_size >> 20));
		return -1;
	}
	if (cmdline_len(&img, cfg) > CONFIG_APPEND_MAX) {
		snprintf(why, why_len,
			 "the kernel command line would exceed %d bytes",
			 CONFIG_APPEND_MAX);
		return -1;
	}
	lock = store_lock_home(home);
	if (lock < 0) {
		snprintf(why, why_len, "store lock: %s", strerror(-lock));
		return -1;
	}
	err = -1;
	if (!access(dir, F_OK)) {
		snprintf(why, why_len, "a VM of that name exists");
		goto out_unlock;
	}
	if (check_ports_unclaimed(home, cfg, why, why_len) ||
	    check_ports_free(cfg, why, why_len))
		goto out_unlock;
	if (!mkdtemp(tmp)) {
		snprintf(why, why_len, "%s: %s", tmp, strerror(errno));
		goto out_unlock;
	}
	snprintf(disk, sizeof(disk), "%s/disk.qcow2", tmp);
	if (disk_create(disk, DISK_FORMAT_QCOW2, cfg->disk_size,
			img.disk[0] ? img.disk : NULL, DISK_FORMAT_AUTO,
			&dwhy)) {
		snprintf(why, why_len, "disk.qcow2: %s", dwhy);
		goto out_remove;
	}
	if (config_write(tmp, cfg, why, why_len))
		goto out_remove;
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_NOREPLACE)) {
		snprintf(why, why_len, "%s: %s", dir, strerror(errno));
		goto out_remove;
	}
	err = 0;
	goto out_unlock;
out_remove:
	store_remove_vm(tmp);
out_unlock:
	close(lock);
	return err;
}

/* waits for the report of the VM process: "ok" or a reason */
static int wait_report(int fd, pid_t child, const char *dir, char *why,
		       size_t why_len)
{
	char msg[512];
	size_t len = 0;
	int status;

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;
		int r = poll(&pfd, 1, VM_START_TIMEOUT_S * 1000);

		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0) {
			kill(child, SIGKILL);
			snprintf(why, why_len,
				 "the VM process did not report in %d s",
				 VM_START_TIMEOUT_S);
			return -1;
		}
		n = read(fd, msg + len, sizeof(msg) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || len + (size_t)n == sizeof(msg) - 1) {
			if (n > 0)
				len += (size_t)n;
			break;
		}
		len += (size_t)n;
	}
	msg[len] = '\0';
	msg[strcspn(msg, "\n")] = '\0';
	if (!strcmp(msg, "ok"))
		return 0;
	if (*msg) {
		snprintf(why, why_len, "%s", msg);
		waitpid(child, &status, 0);
		return -1;
	}
	if (waitpid(child, &status, 0) == child && WIFSIGNALED(status))
		snprintf(why, why_len, "the VM process died during start (%s)",
			 strsignal(WTERMSIG(status)));
	else
		snprintf(why, why_len,
			 "the VM process exited during start (see %s/vmm.log)",
			 dir);
	return -1;
}

int vm_start(const char *home, const char *name, char *why, size_t why_len)
{
	char dir[PATH_MAX], iwhy[256];
	struct store_run old;
	struct config cfg;
	struct image img;
	int lock, pipefd[2], err;
	pid_t pid;

	if (vm_load(home, name, dir, sizeof(dir), &cfg, why, why_len))
		return -1;
	if (image_load(home, cfg.image, &img, iwhy, sizeof(iwhy))) {
		snprintf(why, why_len, "image '%s': %s", cfg.image, iwhy);
		return -1;
	}
	if (cmdline_len(&img, &cfg) > CONFIG_APPEND_MAX) {
		snprintf(why, why_len,
			 "the kernel command line would exceed %d bytes",
			 CONFIG_APPEND_MAX);
		return -1;
	}
	lock = store_lock_vm(dir);
	if (lock == -EBUSY) {
		snprintf(why, why_len, "already running (or starting)");
		return -1;
	}
	if (lock < 0) {
		snprintf(why, why_len, "vmm.lock: %s", strerror(-lock));
		return -1;
	}
	/* the VM's directory may have been removed before we locked it */
	if (access(dir, F_OK) || check_ports_free(&cfg, why, why_len)) {
		if (access(dir, F_OK))
			snprintf(why, why_len, "no such VM");
		close(lock);
		return -1;
	}
	/* a crashed run leaves its record and maybe empty cgroups */
	if (!store_run_read(dir, &old))
		sandbox_cleanup(&old);
	store_run_remove(dir);
	if (pipe2(pipefd, O_CLOEXEC)) {
		snprintf(why, why_len, "pipe: %s", strerror(errno));
		close(lock);
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(why, why_len, "fork: %s", strerror(errno));
		close(pipefd[0]);
		close(pipefd[1]);
		close(lock);
		return -1;
	}
	if (pid == 0) {
		close(pipefd[0]);
		/* the lock stays held by this process's copy of the fd */
		setsid();
		vmm_main(dir, &cfg, &img, lock, pipefd[1]);
	}
	close(pipefd[1]);
	err = wait_report(pipefd[0], pid, dir, why, why_len);
	close(pipefd[0]);
	close(lock);
	return err;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* true once no process holds the VM's lock, polled until timeout_ms */
static bool wait_unlocked(const char *dir, int64_t timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;

	for (;;) {
		if (!store_vm_is_locked(dir))
			return true;
		if (now_ms() >= deadline)
			return false;
		usleep(50 * 1000);
	}
}

/* sends cmd, retrying while the VM process is still binding its socket */
static int send_command(const char *dir, const char *cmd)
{
	int64_t deadline = now_ms() + 10000;
	json_t *reply;
	int err;

	for (;;) {
		err = control_request(dir, cmd, 5000, &reply);
		if (!err) {
			err = json_is_true(json_object_get(reply, "ok"))
				      ? 0
				      : -EPROTO;
			json_decref(reply);
			return err;
		}
		if (!store_vm_is_locked(dir) || now_ms() >= deadline)
			return err;
		usleep(100 * 1000);
	}
}

int vm_stop(const char *home, const char *name, unsigned timeout_s, bool force,
	    bool *forced, char *why, size_t why_len)
{
	char dir[PATH_MAX];
	struct store_run run;
	struct config cfg;

	*forced = false;
	if (vm_load(home, name, dir, sizeof(dir), &cfg, why, why_len))
		return -1;
	if (!store_vm_is_locked(dir)) {
		snprintf(why, why_len, "not running");
		return -1;
	}
	if (!force) {
		send_command(dir, "stop");
		if (wait_unlocked(dir, (int64_t)timeout_s * 1000))
			return 0;
	}
	*forced = true;
	send_command(dir, "force-stop");
	if (wait_unlocked(dir, VM_FORCE_TIMEOUT_S * 1000))
		return 0;
	/* the process does not answer: the last resort */
	if (!store_run_read(dir, &run))
		kill(run.pid, SIGKILL);
	if (wait_unlocked(dir, 5000))
		snprintf(why, why_len,
			 "the VM process did not stop; it was killed");
	else
		snprintf(why, why_len, "the VM process cannot be stopped");
	return -1;
}

int vm_remove(const char *home, const char *name, bool force, char *why,
	      size_t why_len)
{
	char dir[PATH_MAX], gone[PATH_MAX + 32];
	struct store_run run;
	struct config cfg;
	bool forced;
	int home_lock, lock, err = -1;

	if (!config_name_is_valid(name) ||
	    store_vm_dir(home, name, dir, sizeof(dir))) {
		snprintf(why, why_len, "not a VM name");
		return -1;
	}
	if (access(dir, F_OK)) {
		snprintf(why, why_len, "no such VM (see 'gasang list')");
		return -1;
	}
	lock = store_lock_vm(dir);
	if (lock == -EBUSY && force) {
		/* a VM with a corrupt config can still be forced off */
		if (config_read(dir, name, &cfg, why, why_len) == 0 &&
		    vm_stop(home, name, 0, true, &forced, why, why_len))
			return -1;
		wait_unlocked(dir, VM_FORCE_TIMEOUT_S * 1000);
		lock = store_lock_vm(dir);
	}
	if (lock == -EBUSY) {
		snprintf(why, why_len,
			 "is running or starting (stop it first, or rm "
			 "--force)");
		return -1;
	}
	if (lock < 0) {
		snprintf(why, why_len, "vmm.lock: %s", strerror(-lock));
		return -1;
	}
	home_lock = store_lock_home(home);
	if (home_lock < 0) {
		snprintf(why, why_len, "store lock: %s", strerror(-home_lock));
		goto out;
	}
	if (!store_run_read(dir, &run))
		sandbox_cleanup(&run);
	/* out of sight first, so that nobody finds a half-removed VM */
	snprintf(gone, sizeof(gone), "%s/vms/.rm-%s-%d", home, name,
		 (int)getpid());
	if (rename(dir, gone)) {
		snprintf(why, why_len, "%s: %s", dir, strerror(errno));
		goto out_home;
	}
	err = store_remove_vm(gone);
	if (err)
		snprintf(why, why_len, "%s: %s", gone, strerror(-err));
out_home:
	close(home_lock);
out:
	close(lock);
	return err ? -1 : 0;
}
