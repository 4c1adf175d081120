/*
 * The VM process (VMM): what `gasang start` forks. It logs to vmm.log,
 * records its run, enters its sandbox, builds the machine, serves the
 * control and console sockets on their own threads, runs the guest on its
 * main thread and, when the guest powers off (or is forced off), closes
 * the disks, removes its run record and exits.
 */
#ifndef VM_VMM_H
#define VM_VMM_H

#include "vm/config.h"
#include "vm/image.h"

/* serial output kept per VM: console.log and one older console.log.1 */
#define VMM_CONSOLE_LOG_MAX (1u << 20)
#define VMM_MAX_VIEWERS 8
#define VMM_MAX_CONTROL_CLIENTS 16

/*
 * Runs the VM in dir; called in the forked child, which owns lock_fd (the
 * VM's lock). Writes "ok\n" to report_fd once the VM runs, or a one-line
 * reason, and closes it. Never returns.
 */
__attribute__((noreturn)) void vmm_main(const char *dir,
					const struct config *cfg,
					const struct image *img, int lock_fd,
					int report_fd);

#endif
