/*
 * The VM process: see vmm.h. Threads: the main thread runs the machine
 * (it is vCPU 0; the machine starts the others), one server thread polls
 * the control socket and accepts console viewers, one thread per viewer
 * feeds its keys to the serial port, one thread takes SIGTERM/SIGINT.
 * Serial output goes to console.log (rotated at VMM_CONSOLE_LOG_MAX) and
 * to every viewer without ever blocking the guest: a viewer that does not
 * keep up loses output.
 */
#include "vm/vmm.h"

#include <arpa/inet.h>
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "machine/machine.h"
#include "util/log.h"
#include "vm/control.h"
#include "vm/sandbox.h"
#include "vm/store.h"
#include "vm/vm.h"

#define VMM_STOP_SIGNAL_TIMEOUT_S 30

struct viewer {
	int fd;
	pthread_t tid;
	bool used;
};

static struct vmm {
	struct machine *m;
	const struct config *cfg;
	struct store_run run;
	_Atomic int state; /* enum vm_state */
	atomic_bool quitting;
	int control_fd, console_fd;
	int wake[2]; /* a byte here ends the server thread */

	pthread_mutex_t lock; /* the console log and the viewers */
	pthread_cond_t viewer_gone;
	int log_fd;
	uint64_t log_size;
	struct viewer viewers[VMM_MAX_VIEWERS];
	unsigned nviewers;
} vmm = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.viewer_gone = PTHREAD_COND_INITIALIZER,
	.log_fd = -1,
};

static void report(int fd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void report(int fd, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(msg) - 2)
		n = sizeof(msg) - 2;
	msg[n++] = '\n';
	if (write(fd, msg, (size_t)n) < 0)
		log_error("cannot report to gasang start: %s", strerror(errno));
	close(fd);
}

/* --- console ------------------------------------------------------------- */

static void open_console_log(void)
{
	struct stat st;

	vmm.log_fd = open(
		"console.log",
		O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	vmm.log_size = vmm.log_fd >= 0 && !fstat(vmm.log_fd, &st)
			       ? (uint64_t)st.st_size
			       : 0;
}

static void write_all(int fd, const uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

static void console_output(void *ctx, const uint8_t *buf, size_t len)
{
	pthread_mutex_lock(&vmm.lock);
	if (vmm.log_size + len > VMM_CONSOLE_LOG_MAX) {
		if (vmm.log_fd >= 0)
			close(vmm.log_fd);
		rename("console.log", "console.log.1");
		open_console_log();
	}
	if (vmm.log_fd >= 0) {
		write_all(vmm.log_fd, buf, len);
		vmm.log_size += len;
	}
	for (unsigned i = 0; i < VMM_MAX_VIEWERS; i++)
		if (vmm.viewers[i].used)
			send(vmm.viewers[i].fd, buf, len,
			     MSG_DONTWAIT | MSG_NOSIGNAL);
	pthread_mutex_unlock(&vmm.lock);
}

static void *viewer_main(void *arg)
{
	struct viewer *v = arg;
	uint8_t buf[256];

	for (;;) {
		ssize_t n = read(v->fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || !machine_console_input(vmm.m, buf, (size_t)n))
			break;
	}
	pthread_mutex_lock(&vmm.lock);
	close(v->fd);
	v->used = false;
	vmm.nviewers--;
	pthread_cond_broadcast(&vmm.viewer_gone);
	pthread_mutex_unlock(&vmm.lock);
	return NULL;
}

static void accept_viewer(void)
{
	int fd = accept4(vmm.console_fd, NULL, NULL, SOCK_CLOEXEC);
	struct viewer *v = NULL;

	if (fd < 0)
		return;
	pthread_mutex_lock(&vmm.lock);
	for (unsigned i = 0; i < VMM_MAX_VIEWERS && !v; i++)
		if (!vmm.viewers[i].used)
			v = &vmm.viewers[i];
	if (!v || atomic_load(&vmm.quitting)) {
		pthread_mutex_unlock(&vmm.lock);
		send(fd, "gasang: too many console viewers\r\n", 34,
		     MSG_DONTWAIT | MSG_NOSIGNAL);
		close(fd);
		return;
	}
	*v = (struct viewer){ .fd = fd, .used = true };
	if (pthread_create(&v->tid, NULL, viewer_main, v)) {
		v->used = false;
		close(fd);
	} else {
		pthread_detach(v->tid);
		vmm.nviewers++;
	}
	pthread_mutex_unlock(&vmm.lock);
}

/* ends every viewer's connection and waits (bounded) for their threads */
static void close_viewers(void)
{
	struct timespec deadline;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 5;
	pthread_mutex_lock(&vmm.lock);
	for (unsigned i = 0; i < VMM_MAX_VIEWERS; i++)
		if (vmm.viewers[i].used)
			shutdown(vmm.viewers[i].fd, SHUT_RDWR);
	while (vmm.nviewers &&
	       !pthread_cond_timedwait(&vmm.viewer_gone, &vmm.lock, &deadline))
		;
	pthread_mutex_unlock(&vmm.lock);
}

/* --- control ------------------------------------------------------------- */

static json_t *handle_request(const char *line, size_t len)
{
	json_t *req = json_loadb(line, len, JSON_REJECT_DUPLICATES, NULL);
	const char *cmd = json_string_value(json_object_get(req, "cmd"));
	json_t *reply;

	if (!cmd) {
		json_decref(req);
		return json_pack("{s:b,s:s}", "ok", 0, "error",
				 "expected {\"cmd\": \"...\"}");
	}
	if (!strcmp(cmd, "status")) {
		unsigned viewers;

		pthread_mutex_lock(&vmm.lock);
		viewers = vmm.nviewers;
		pthread_mutex_unlock(&vmm.lock);
		reply = json_pack(
			"{s:b,s:s,s:I,s:I,s:i,s:I,s:i}", "ok", 1, "state",
			control_state_name(atomic_load(&vmm.state)), "pid",
			(json_int_t)vmm.run.pid, "started",
			(json_int_t)vmm.run.started, "cpus", vmm.cfg->cpus,
			"memory", (json_int_t)vmm.cfg->memory, "viewers",
			(int)viewers);
	} else if (!strcmp(cmd, "stop")) {
		bool pressed;

		atomic_store(&vmm.state, VM_STOPPING);
		pressed = machine_power_button(vmm.m);
		log_info("control: stop: power button pressed%s",
			 pressed ? "" : " (no driver in the guest yet)");
		reply = json_pack("{s:b,s:s,s:b}", "ok", 1, "state", "stopping",
				  "guest_driver", pressed);
	} else if (!strcmp(cmd, "force-stop")) {
		log_info("control: force-stop");
		atomic_store(&vmm.state, VM_STOPPING);
		machine_stop(vmm.m);
		reply = json_pack("{s:b,s:s}", "ok", 1, "state", "stopping");
	} else {
		reply = json_pack("{s:b,s:s}", "ok", 0, "error",
				  "unknown command");
	}
	json_decref(req);
	return reply;
}

struct control_client {
	int fd;
	size_t len;
	char buf[CONTROL_LINE_MAX];
};

/* answers every complete line; false when the client is to be dropped */
static bool serve_client(struct control_client *c)
{
	ssize_t n = read(c->fd, c->buf + c->len, sizeof(c->buf) - c->len);
	char *nl;

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	c->len += (size_t)n;
	while ((nl = memchr(c->buf, '\n', c->len))) {
		size_t line = (size_t)(nl - c->buf);
		json_t *reply = handle_request(c->buf, line);
		char *text = json_dumps(reply, JSON_COMPACT);
		bool ok =
			text &&
			send(c->fd, text, strlen(text),
			     MSG_NOSIGNAL | MSG_DONTWAIT) ==
				(ssize_t)strlen(text) &&
			send(c->fd, "\n", 1, MSG_NOSIGNAL | MSG_DONTWAIT) == 1;

		free(text);
		json_decref(reply);
		if (!ok)
			return false;
		memmove(c->buf, nl + 1, c->len - line - 1);
		c->len -= line + 1;
	}
	if (c->len == sizeof(c->buf)) {
		static const char err[] =
			"{\"ok\":false,\"error\":\"request too long\"}\n";

		send(c->fd, err, sizeof(err) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
		return false;
	}
	return true;
}

static void *server_main(void *arg)
{
	static struct control_client clients[VMM_MAX_CONTROL_CLIENTS];
	unsigned nclients = 0;

	for (;;) {
		struct pollfd pfd[3 + VMM_MAX_CONTROL_CLIENTS];
		unsigned i;

		pfd[0] = (struct pollfd){ .fd = vmm.wake[0], .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = vmm.control_fd,
					  .events = POLLIN };
		pfd[2] = (struct pollfd){ .fd = vmm.console_fd,
					  .events = POLLIN };
		for (i = 0; i < nclients; i++)
			pfd[3 + i] = (struct pollfd){ .fd = clients[i].fd,
						      .events = POLLIN };
		if (poll(pfd, 3 + nclients, -1) < 0)
			continue;
		if (pfd[0].revents)
			break;
		if (pfd[1].revents & POLLIN) {
			int fd = accept4(vmm.control_fd, NULL, NULL,
					 SOCK_CLOEXEC | SOCK_NONBLOCK);

			if (fd >= 0 && nclients < VMM_MAX_CONTROL_CLIENTS) {
				clients[nclients].fd = fd;
				clients[nclients++].len = 0;
			} else if (fd >= 0) {
				close(fd);
			}
		}
		if (pfd[2].revents & POLLIN)
			accept_viewer();
		/* from the end, so that dropping one moves a served one */
		for (i = nclients; i-- > 0;) {
			if (!pfd[3 + i].revents || serve_client(&clients[i]))
				continue;
			close(clients[i].fd);
			clients[i] = clients[--nclients];
		}
	}
	for (unsigned i = 0; i < nclients; i++)
		close(clients[i].fd);
	return NULL;
}

static int listen_unix(const char *name, char *why, size_t why_len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	mode_t old;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", name);
	unlink(name);
	old = umask(0077);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    chmod(name, 0600) || listen(fd, 8)) {
		snprintf(why, why_len, "%s: %s", name, strerror(errno));
		umask(old);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	umask(old);
	return fd;
}

/* SIGTERM/SIGINT: power button, then forced off, as `gasang run` does */
static void *signal_main(void *arg)
{
	struct timespec timeout = { .tv_sec = VMM_STOP_SIGNAL_TIMEOUT_S };
	sigset_t *set = arg;
	siginfo_t si;
	int sig;

	do
		sig = sigwaitinfo(set, &si);
	while (sig < 0);
	log_warn("%s: pressing the guest's power button", strsignal(sig));
	atomic_store(&vmm.state, VM_STOPPING);
	machine_power_button(vmm.m);
	sigtimedwait(set, &si, &timeout);
	log_warn("forcing the VM off");
	machine_stop(vmm.m);
	return NULL;
}

/* --- the process ---------------------------------------------------------- */

/* A daemon keeps nothing of its caller: a pipe the caller waits on must
 * not stay open for the life of the VM. */
static void close_inherited(int keep1, int keep2)
{
	struct dirent *de;
	DIR *d = opendir("/proc/self/fd");
	int fds[256], n = 0;

	if (!d)
		return;
	while ((de = readdir(d)) && n < 256) {
		int fd = atoi(de->d_name);

		if (fd > 2 && fd != keep1 && fd != keep2 && fd != dirfd(d))
			fds[n++] = fd;
	}
	closedir(d);
	for (int i = 0; i < n; i++)
		close(fds[i]);
}

static void redirect_stdio(void)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	int log;

	rename("vmm.log", "vmm.log.1");
	log = open("vmm.log", O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0600);
	if (null >= 0)
		dup2(null, STDIN_FILENO);
	if (log >= 0) {
		dup2(log, STDOUT_FILENO);
		dup2(log, STDERR_FILENO);
		close(log);
	}
	if (null >= 0)
		close(null);
	setvbuf(stderr, NULL, _IOLBF, 0);
	log_set_stream(stderr);
	log_set_level(LOG_INFO);
}

static void fill_machine_config(const struct config *cfg,
				const struct image *img,
				struct machine_config *mc, char *append,
				size_t append_len)
{
	snprintf(append, append_len, "%s " VM_HOSTNAME_ARG "%s%s%s",
		 img->append, cfg->name, *cfg->append ? " " : "", cfg->append);
	*mc = (struct machine_config){
		.kernel = img->kernel,
		.initrd = img->initrd[0] ? img->initrd : NULL,
		.append = append,
		.cpus = cfg->cpus,
		.memory = cfg->memory,
		.engine = machine_engine(NULL),
		.console = console_output,
		.ndisks = 1,
	};
	mc->disks[0] = (struct disk_spec){ .path = "disk.qcow2",
					   .format = DISK_FORMAT_QCOW2 };
	mc->net.enabled = true;
	for (unsigned i = 0; i < cfg->nports; i++)
		mc->net.fwd[mc->net.nfwd++] = (struct net_hostfwd){
			.host_addr = htonl(INADDR_LOOPBACK),
			.host_port = cfg->ports[i].host,
			.guest_port = cfg->ports[i].guest,
		};
}

void vmm_main(const char *dir, const struct config *cfg,
	      const struct image *img, int lock_fd, int report_fd)
{
	char why[512], append[2048];
	struct machine_config mc;
	pthread_t server, sigthread;
	const char *mwhat, *mwhy;
	static sigset_t sigs;
	uint64_t code;

	if (chdir(dir)) {
		report(report_fd, "%s: %s", dir, strerror(errno));
		_exit(1);
	}
	close_inherited(lock_fd, report_fd);
	redirect_stdio();
	vmm.cfg = cfg;
	vmm.run.pid = getpid();
	vmm.run.started = (int64_t)time(NULL);
	atomic_store(&vmm.state, VM_STARTING);
	log_info("VM '%s' starting: %u vCPUs, %llu MiB", cfg->name, cfg->cpus,
		 (unsigned long long)(cfg->memory >> 20));
	if (store_run_write(".", &vmm.run)) {
		report(report_fd, "cannot write run.json");
		_exit(1);
	}
	if (sandbox_enter(cfg, &vmm.run, why, sizeof(why)) ||
	    store_run_write(".", &vmm.run)) {
		log_error("%s", why);
		report(report_fd, "sandbox: %s", why);
		goto fail;
	}
	/* before any thread: every thread inherits the mask */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	open_console_log();
	fill_machine_config(cfg, img, &mc, append, sizeof(append));
	vmm.m = machine_create(&mc, &mwhat, &mwhy);
	if (!vmm.m) {
		log_error("%s%s%s", mwhat ? mwhat : "", mwhat ? ": " : "",
			  mwhy);
		report(report_fd, "%s%s%s", mwhat ? mwhat : "",
		       mwhat ? ": " : "", mwhy);
		goto fail;
	}
	vmm.control_fd = listen_unix(CONTROL_SOCKET, why, sizeof(why));
	vmm.console_fd = vmm.control_fd < 0 ? -1
					    : listen_unix(CONSOLE_SOCKET, why,
							  sizeof(why));
	if (vmm.console_fd < 0 || pipe2(vmm.wake, O_CLOEXEC) ||
	    pthread_create(&server, NULL, server_main, NULL)) {
		log_error("%s", why);
		report(report_fd, "%s", why);
		goto fail;
	}
	if (!pthread_create(&sigthread, NULL, signal_main, &sigs))
		pthread_detach(sigthread);
	atomic_store(&vmm.state, VM_RUNNING);
	log_info("VM '%s' running (pid %d)", cfg->name, (int)getpid());
	report(report_fd, "ok");

	code = machine_run(vmm.m);

	log_info("guest powered off (code %llu)", (unsigned long long)code);
	atomic_store(&vmm.quitting, true);
	unlink(CONTROL_SOCKET);
	unlink(CONSOLE_SOCKET);
	if (write(vmm.wake[1], "", 1) == 1)
		pthread_join(server, NULL);
	close_viewers();
	/* closes the disks: their data and metadata are on the host */
	machine_destroy(vmm.m);
	sandbox_leave(&vmm.run);
	store_run_remove(".");
	log_info("VM '%s' stopped", cfg->name);
	_exit(0);

fail:
	sandbox_leave(&vmm.run);
	store_run_remove(".");
	_exit(1);
}
