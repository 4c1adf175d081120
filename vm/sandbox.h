/*
 * What the kernel enforces on a VM process: a cgroup per run (cgroup v1
 * cpu, memory and pids controllers where they are mounted, else the same
 * controllers of the v2 hierarchy when our cgroup delegates them) with a
 * CPU quota of the VM's vCPUs, a memory limit of its RAM plus a bounded
 * overhead and a task limit; rlimits (no core dumps, bounded files and
 * file sizes); no new privileges. Each part that the host does not offer
 * is left out and reported as such, never faked.
 */
#ifndef VM_SANDBOX_H
#define VM_SANDBOX_H

#include <jansson.h>
#include <stdint.h>
#include <sys/types.h>

#include "vm/config.h"
#include "vm/store.h"

#define SANDBOX_CPU_PERIOD_US 100000
#define SANDBOX_NOFILE 1024
/* the VM process's own memory beside guest RAM: device state, caches,
 * the network stack, the JIT's code */
#define SANDBOX_MEMORY_OVERHEAD(ram) ((128ull << 20) + (ram) / 8)
#define SANDBOX_TASKS(cpus) ((cpus) + 64)

/* The memory limit for a VM of cfg. */
uint64_t sandbox_memory_limit(const struct config *cfg);

/*
 * Puts the calling process (before it has threads) into new cgroups for
 * the VM and records their paths in run; sets the rlimits and
 * no-new-privileges. Limits the host does not offer are skipped (logged).
 * 0, or -1 with a reason in why when a limit that is offered could not be
 * set.
 */
int sandbox_enter(const struct config *cfg, struct store_run *run, char *why,
		  size_t why_len);

/* Moves the calling process out of its run's cgroups and removes them. */
void sandbox_leave(const struct store_run *run);

/* Removes the cgroups a dead run left behind (they are empty). */
void sandbox_cleanup(const struct store_run *run);

/*
 * The limits in force on process pid of run, read back from the kernel
 * (the cgroup files and prlimit), as a JSON object (see docs/manager.md).
 */
json_t *sandbox_describe(const struct store_run *run, pid_t pid);

#endif
