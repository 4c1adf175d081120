/* Control socket client and VM states: see control.h. */
#include "vm/control.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "vm/store.h"

static const char *const state_names[] = {
	[VM_STOPPED] = "stopped", [VM_STARTING] = "starting",
	[VM_RUNNING] = "running", [VM_STOPPING] = "stopping",
	[VM_CRASHED] = "crashed",
};

const char *control_state_name(enum vm_state state)
{
	return state_names[state];
}

int control_connect(const char *dir, const char *sock)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, dfd = -1, err = 0;

	if ((size_t)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", dir,
			     sock) >= sizeof(sa.sun_path)) {
		/* a long home: reach the socket through the directory's fd */
		dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			return -errno;
		snprintf(sa.sun_path, sizeof(sa.sun_path),
			 "/proc/self/fd/%d/%s", dfd, sock);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		err = -errno;
	else if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		err = -errno;
	if (dfd >= 0)
		close(dfd);
	if (err) {
		if (fd >= 0)
			close(fd);
		return err;
	}
	return fd;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int control_request(const char *dir, const char *cmd, int timeout_ms,
		    json_t **reply)
{
	char req[128], line[CONTROL_LINE_MAX];
	int64_t deadline = now_ms() + timeout_ms;
	size_t len = 0;
	int fd, n;

	*reply = NULL;
	fd = control_connect(dir, CONTROL_SOCKET);
	if (fd < 0)
		return fd;
	n = snprintf(req, sizeof(req), "{\"cmd\":\"%s\"}\n", cmd);
	if (send(fd, req, (size_t)n, MSG_NOSIGNAL) != n) {
		close(fd);
		return -EIO;
	}
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int64_t left = deadline - now_ms();
		ssize_t got;
		char *nl;

		if (left <= 0 || poll(&pfd, 1, (int)left) == 0) {
			close(fd);
			return -ETIMEDOUT;
		}
		got = read(fd, line + len, sizeof(line) - 1 - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			close(fd);
			return -EPROTO;
		}
		len += (size_t)got;
		line[len] = '\0';
		nl = memchr(line, '\n', len);
		if (nl || len == sizeof(line) - 1) {
			json_t *root = json_loadb(
				line, nl ? (size_t)(nl - line) : len, 0, NULL);

			close(fd);
			if (!json_is_object(root)) {
				json_decref(root);
				return -EPROTO;
			}
			*reply = root;
			return 0;
		}
	}
}

static enum vm_state state_from_name(const char *s)
{
	for (unsigned i = 0; i < sizeof(state_names) / sizeof(*state_names);
	     i++)
		if (s && !strcmp(s, state_names[i]))
			return (enum vm_state)i;
	return VM_RUNNING;
}

void control_status(const char *dir, struct control_status *st)
{
	struct store_run run;
	char last[300];
	json_t *reply;
	int err;

	memset(st, 0, sizeof(*st));
	err = store_run_read(dir, &run);
	if (store_vm_is_locked(dir)) {
		st->state = VM_STARTING;
		if (!err) {
			st->pid = run.pid;
			st->started = run.started;
		}
		if (!control_request(dir, "status", 3000, &reply)) {
			st->state = state_from_name(json_string_value(
				json_object_get(reply, "state")));
			json_decref(reply);
		}
		return;
	}
	if (err == -ENOENT) {
		st->state = VM_STOPPED;
		return;
	}
	/* a run without a clean exit and without a process */
	st->state = VM_CRASHED;
	store_last_line(dir, "vmm.log", last, sizeof(last));
	if (err)
		snprintf(st->reason, sizeof(st->reason),
			 "the VM process left a corrupt run record");
	else
		snprintf(st->reason, sizeof(st->reason),
			 "VM process %d ended without a clean exit%s%s",
			 (int)run.pid, *last ? "; vmm.log: " : "", last);
}
