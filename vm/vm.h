/*
 * Managed VMs: create, start, stop and remove a VM of the store
 * (vm/store.h). Every operation either completes or changes nothing and
 * returns a one-line reason; races between two commands on one VM are
 * settled by the VM's lock (exactly one start wins; rm refuses a VM that
 * is starting or running). Lifecycle and states: docs/manager.md.
 */
#ifndef VM_VM_H
#define VM_VM_H

#include <stdbool.h>
#include <stddef.h>

#include "vm/config.h"

#define VM_DEFAULT_CPUS 1
#define VM_DEFAULT_MEMORY (512ull << 20)
#define VM_DEFAULT_DISK (8ull << 30)
/* every VM's kernel command line names it (the guest's hostname) */
#define VM_HOSTNAME_ARG "gasang.hostname="
/* how long start waits for the VM process to report */
#define VM_START_TIMEOUT_S 120
/* after force-stop, how long the process gets before it is killed */
#define VM_FORCE_TIMEOUT_S 15

/*
 * Creates vms/NAME with cfg (cfg->disk_size 0: the image's disk size, or
 * VM_DEFAULT_DISK) and its disk: a qcow2 overlay on the image's base disk
 * or an empty qcow2. Checks the image, the name, the ports (not in another
 * VM's config, not in use on the host). 0 or -1 with a reason in why.
 */
int vm_create(const char *home, struct config *cfg, char *why, size_t why_len);

/*
 * Starts the VM in its own process (own session, log, pid record, lock)
 * and returns once it runs. 0 or -1 with a reason in why.
 */
int vm_start(const char *home, const char *name, char *why, size_t why_len);

/*
 * Presses the power button and waits timeout_s for the VM process to end,
 * then forces it off (at once with force). *forced tells whether it had to.
 * 0 or -1 with a reason in why.
 */
int vm_stop(const char *home, const char *name, unsigned timeout_s, bool force,
	    bool *forced, char *why, size_t why_len);

/* Removes the VM; a running one only with force (forced off first). */
int vm_remove(const char *home, const char *name, bool force, char *why,
	      size_t why_len);

/* Reads the VM's config; a missing VM gets "no such VM". 0 or -1. */
int vm_load(const char *home, const char *name, char *dir, size_t dir_len,
	    struct config *cfg, char *why, size_t why_len);

/* Whether TCP port on 127.0.0.1 can be bound now. */
bool vm_port_is_free(unsigned port);

#endif
