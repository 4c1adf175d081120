/*
 * The VM store: $GASANG_HOME (default ~/.local/share/gasang, mode 0700)
 * with images/ and vms/NAME/, one directory per managed VM. Locks:
 * $GASANG_HOME/store.lock serialises create and rm; vms/NAME/vmm.lock is
 * held (an open-file-description lock, inherited across fork) by the VM's
 * process for as long as it lives, so a VM runs at most once and whoever
 * finds the lock free knows no process owns the VM. run.json records a
 * run; a clean exit removes it, so a run.json without a lock holder is a
 * crash. The files are listed in docs/manager.md.
 */
#ifndef VM_STORE_H
#define VM_STORE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "vm/config.h"

#define STORE_MAX_VMS 1024
#define STORE_MAX_CGROUPS 4

/*
 * Finds $GASANG_HOME and creates it (mode 0700) with vms/ and images/
 * when missing. 0, or -1 with a reason in why.
 */
int store_home(char *home, size_t len, char *why, size_t why_len);

/* home/vms/name; 0 or -ENAMETOOLONG */
int store_vm_dir(const char *home, const char *name, char *dir, size_t len);

/* The names under home/vms, sorted; *count may exceed max (the rest are
 * left out). 0 or -errno. */
int store_list(const char *home, char (*names)[CONFIG_NAME_MAX + 1],
	       unsigned max, unsigned *count);

/* Blocks for the store lock; returns its fd (close to release) or -errno. */
int store_lock_home(const char *home);

/* Tries the VM's lock without waiting: its fd, -EBUSY when a process
 * holds it, or another -errno. */
int store_lock_vm(const char *dir);
/* Whether a process holds the VM's lock (without taking it). */
bool store_vm_is_locked(const char *dir);

/* run.json: one run of the VM process */
struct store_run {
	pid_t pid;
	int64_t started; /* Unix time */
	unsigned ncgroups;
	char cgroups[STORE_MAX_CGROUPS][PATH_MAX]; /* the run's cgroups */
};

int store_run_write(const char *dir, const struct store_run *run);
/* 0, -ENOENT when there is none, -EINVAL when it is corrupt */
int store_run_read(const char *dir, struct store_run *run);
void store_run_remove(const char *dir);

/* The last non-empty line of dir/file (at most len - 1 bytes of it), or
 * "" when there is none. */
void store_last_line(const char *dir, const char *file, char *buf, size_t len);

/* Removes the VM directory and what gasang puts in it. 0 or -errno. */
int store_remove_vm(const char *dir);

#endif
