/*
 * A managed VM's configuration: $GASANG_HOME/vms/NAME/config.json, the
 * schema in docs/manager.md. The file is checked on every read: a config
 * that is corrupt or was edited into something gasang would not write is
 * reported with its reason, never used.
 */
#ifndef VM_CONFIG_H
#define VM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/user.h"

#define CONFIG_VERSION 1
#define CONFIG_NAME_MAX 63
#define CONFIG_MAX_PORTS NET_MAX_HOSTFWD
#define CONFIG_MIN_DISK (1ull << 20)
#define CONFIG_MAX_DISK (4ull << 40)
/* the kernel keeps 1023 bytes of its command line; the image's part and
 * the VM's extra arguments share it */
#define CONFIG_APPEND_MAX 1023
#define CONFIG_FILE_MAX (64u << 10)

struct config_port {
	uint16_t host, guest; /* tcp, host side on 127.0.0.1 */
};

struct config {
	char name[CONFIG_NAME_MAX + 1];
	char image[CONFIG_NAME_MAX + 1];
	unsigned cpus;
	uint64_t memory;    /* bytes */
	uint64_t disk_size; /* bytes, the virtual size of disk.qcow2 */
	unsigned nports;
	struct config_port ports[CONFIG_MAX_PORTS];
	char append[CONFIG_APPEND_MAX + 1]; /* extra kernel arguments */
	int64_t created;		    /* Unix time */
};

/* [a-z0-9-]{1,63}, not starting with a hyphen: VM and image names. */
bool config_name_is_valid(const char *name);

/*
 * Checks every field against the bounds create enforces. Returns 0, or
 * -1 with a one-line reason in why.
 */
int config_validate(const struct config *cfg, char *why, size_t why_len);

/* JSON text to a checked config; 0 or -1 with a reason in why. */
int config_parse(const char *text, size_t len, struct config *cfg, char *why,
		 size_t why_len);

/*
 * Reads and checks dir/config.json; expect_name is the directory's name,
 * which the config must carry. 0, -ENOENT when there is no config, or
 * another -errno with a reason in why.
 */
int config_read(const char *dir, const char *expect_name, struct config *cfg,
		char *why, size_t why_len);

/* Writes dir/config.json atomically (a temporary file renamed). 0 or
 * -errno with a reason in why. */
int config_write(const char *dir, const struct config *cfg, char *why,
		 size_t why_len);

#endif
