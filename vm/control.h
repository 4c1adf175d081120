/*
 * The client side of a VM's control socket (vms/NAME/control.sock, mode
 * 0600): one JSON object per line each way, the protocol in
 * docs/manager.md. Also what a VM's state is, from its lock, its run
 * record and its process's answer.
 */
#ifndef VM_CONTROL_H
#define VM_CONTROL_H

#include <jansson.h>
#include <stdint.h>
#include <sys/types.h>

#define CONTROL_SOCKET "control.sock"
#define CONSOLE_SOCKET "console.sock"
#define CONTROL_LINE_MAX 4096

enum vm_state {
	VM_STOPPED,
	VM_STARTING,
	VM_RUNNING,
	VM_STOPPING,
	VM_CRASHED,
};

const char *control_state_name(enum vm_state state);

/* Connects to dir/sock (any length of dir). fd or -errno. */
int control_connect(const char *dir, const char *sock);

/*
 * Sends {"cmd": cmd} and waits up to timeout_ms for the reply line.
 * 0 with *reply (json_decref it), or -errno (-ECONNREFUSED, -ETIMEDOUT,
 * -EPROTO for a reply that is not a JSON object).
 */
int control_request(const char *dir, const char *cmd, int timeout_ms,
		    json_t **reply);

struct control_status {
	enum vm_state state;
	pid_t pid;	 /* the VM process, 0 when there is none */
	int64_t started; /* Unix time of the start, 0 when not running */
	char reason[512];
};

/* The state of the VM in dir; never blocks longer than a few seconds. */
void control_status(const char *dir, struct control_status *st);

#endif
