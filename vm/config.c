/* A managed VM's config.json: see config.h and docs/manager.md. */
#include "vm/config.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "machine/machine.h"

bool config_name_is_valid(const char *name)
{
	size_t len = strlen(name);

	if (len < 1 || len > CONFIG_NAME_MAX || name[0] == '-')
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return false;
	}
	return true;
}

static bool append_is_valid(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

int config_validate(const struct config *cfg, char *why, size_t why_len)
{
	if (!config_name_is_valid(cfg->name)) {
		snprintf(why, why_len,
			 "name must be 1 to 63 lowercase letters, digits or "
			 "hyphens, not starting with a hyphen");
		return -1;
	}
	if (!config_name_is_valid(cfg->image)) {
		snprintf(why, why_len, "image name '%s' is not valid",
			 cfg->image);
		return -1;
	}
	if (cfg->cpus < 1 || cfg->cpus > MACHINE_MAX_CPUS) {
		snprintf(why, why_len, "cpus must be from 1 to %d",
			 MACHINE_MAX_CPUS);
		return -1;
	}
	if (cfg->memory < MACHINE_MIN_MEMORY ||
	    cfg->memory > MACHINE_MAX_MEMORY || (cfg->memory & 4095)) {
		snprintf(why, why_len,
			 "memory must be from 1M to 16G, a multiple of 4K");
		return -1;
	}
	if (cfg->disk_size < CONFIG_MIN_DISK ||
	    cfg->disk_size > CONFIG_MAX_DISK || (cfg->disk_size & 511)) {
		snprintf(why, why_len,
			 "disk size must be from 1M to 4T, a multiple of 512");
		return -1;
	}
	if (cfg->nports > CONFIG_MAX_PORTS) {
		snprintf(why, why_len, "at most %d ports", CONFIG_MAX_PORTS);
		return -1;
	}
	for (unsigned i = 0; i < cfg->nports; i++) {
		if (!cfg->ports[i].host || !cfg->ports[i].guest) {
			snprintf(why, why_len, "ports must be from 1 to 65535");
			return -1;
		}
		for (unsigned j = 0; j < i; j++) {
			if (cfg->ports[j].host == cfg->ports[i].host) {
				snprintf(why, why_len,
					 "host port %u is given twice",
					 cfg->ports[i].host);
				return -1;
			}
		}
	}
	if (strlen(cfg->append) > CONFIG_APPEND_MAX ||
	    !append_is_valid(cfg->append)) {
		snprintf(why, why_len,
			 "append must be printable ASCII, at most %d bytes",
			 CONFIG_APPEND_MAX);
		return -1;
	}
	return 0;
}

/* a JSON integer in [min, max] */
static int get_uint(json_t *root, const char *key, uint64_t min, uint64_t max,
		    uint64_t *out, char *why, size_t why_len)
{
	json_t *v = json_object_get(root, key);
	json_int_t n;

	if (!json_is_integer(v)) {
		snprintf(why, why_len, "'%s' must be an integer", key);
		return -1;
	}
	n = json_integer_value(v);
	if (n < 0 || (uint64_t)n < min || (uint64_t)n > max) {
		snprintf(why, why_len, "'%s' is out of range", key);
		return -1;
	}
	*out = (uint64_t)n;
	return 0;
}

static int get_string(json_t *root, const char *key, char *out, size_t size,
		      char *why, size_t why_len)
{
	json_t *v = json_object_get(root, key);
	const char *s;

	if (!json_is_string(v)) {
		snprintf(why, why_len, "'%s' must be a string", key);
		return -1;
	}
	s = json_string_value(v);
	if (strlen(s) != json_string_length(v) || strlen(s) >= size) {
		snprintf(why, why_len, "'%s' is too long or has a NUL", key);
		return -1;
	}
	strcpy(out, s);
	return 0;
}

static int parse_ports(json_t *arr, struct config *cfg, char *why,
		       size_t why_len)
{
	size_t i;
	json_t *p;

	if (!json_is_array(arr)) {
		snprintf(why, why_len, "'ports' must be an array");
		return -1;
	}
	if (json_array_size(arr) > CONFIG_MAX_PORTS) {
		snprintf(why, why_len, "at most %d ports", CONFIG_MAX_PORTS);
		return -1;
	}
	json_array_foreach(arr, i, p)
	{
		uint64_t host, guest;

		if (!json_is_object(p) || json_object_size(p) != 2) {
			snprintf(why, why_len,
				 "a port must be {\"host\": N, \"guest\": N}");
			return -1;
		}
		if (get_uint(p, "host", 1, 65535, &host, why, why_len) ||
		    get_uint(p, "guest", 1, 65535, &guest, why, why_len))
			return -1;
		cfg->ports[i].host = (uint16_t)host;
		cfg->ports[i].guest = (uint16_t)guest;
	}
	cfg->nports = (unsigned)json_array_size(arr);
	return 0;
}

static const char *const known_keys[] = {
	"version",   "name",  "image",	"cpus",	   "memory",
	"disk_size", "ports", "append", "created",
};

int config_parse(const char *text, size_t len, struct config *cfg, char *why,
		 size_t why_len)
{
	json_error_t err;
	json_t *root;
	const char *key;
	json_t *val;
	uint64_t v;
	int ret = -1;

	memset(cfg, 0, sizeof(*cfg));
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (!root) {
		snprintf(why, why_len, "not valid JSON (line %d: %s)", err.line,
			 err.text);
		return -1;
	}
	if (!json_is_object(root)) {
		snprintf(why, why_len, "not a JSON object");
		goto out;
	}
	json_object_foreach(root, key, val)
	{
		bool known = false;

		for (size_t i = 0; i < sizeof(known_keys) / sizeof(*known_keys);
		     i++)
			known |= !strcmp(key, known_keys[i]);
		if (!known) {
			snprintf(why, why_len, "unknown key '%.40s'", key);
			goto out;
		}
	}
	if (get_uint(root, "version", CONFIG_VERSION, CONFIG_VERSION, &v, why,
		     why_len))
		goto out;
	if (get_string(root, "name", cfg->name, sizeof(cfg->name), why,
		       why_len) ||
	    get_string(root, "image", cfg->image, sizeof(cfg->image), why,
		       why_len) ||
	    get_string(root, "append", cfg->append, sizeof(cfg->append), why,
		       why_len))
		goto out;
	if (get_uint(root, "cpus", 1, MACHINE_MAX_CPUS, &v, why, why_len))
		goto out;
	cfg->cpus = (unsigned)v;
	if (get_uint(root, "memory", 0, UINT64_MAX, &cfg->memory, why,
		     why_len) ||
	    get_uint(root, "disk_size", 0, UINT64_MAX, &cfg->disk_size, why,
		     why_len) ||
	    get_uint(root, "created", 0, INT64_MAX, &v, why, why_len))
		goto out;
	cfg->created = (int64_t)v;
	if (parse_ports(json_object_get(root, "ports"), cfg, why, why_len))
		goto out;
	ret = config_validate(cfg, why, why_len);
out:
	json_decref(root);
	return ret;
}

int config_read(const char *dir, const char *expect_name, struct config *cfg,
		char *why, size_t why_len)
{
	char path[4096], reason[256], *text;
	struct stat st;
	ssize_t n;
	int fd, err;

	snprintf(path, sizeof(path), "%s/config.json", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		err = -errno;
		snprintf(why, why_len, "config.json: %s", strerror(errno));
		return err;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    st.st_size > CONFIG_FILE_MAX) {
		snprintf(why, why_len,
			 "config.json: not a regular file of at most 64K");
		close(fd);
		return -EINVAL;
	}
	text = malloc((size_t)st.st_size + 1);
	if (!text) {
		close(fd);
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	n = read(fd, text, (size_t)st.st_size);
	close(fd);
	if (n != st.st_size) {
		free(text);
		snprintf(why, why_len, "config.json: short read");
		return -EIO;
	}
	err = config_parse(text, (size_t)n, cfg, reason, sizeof(reason));
	free(text);
	if (err) {
		snprintf(why, why_len, "config.json: %s", reason);
		return -EINVAL;
	}
	if (strcmp(cfg->name, expect_name)) {
		snprintf(why, why_len,
			 "config.json: name '%s' does not match the directory",
			 cfg->name);
		return -EINVAL;
	}
	return 0;
}

int config_write(const char *dir, const struct config *cfg, char *why,
		 size_t why_len)
{
	char path[4096], tmp[4096];
	json_t *root, *ports;
	int fd, err = 0;
	char *text;

	root = json_object();
	ports = json_array();
	for (unsigned i = 0; i < cfg->nports; i++)
		json_array_append_new(
			ports,
			json_pack("{s:i,s:i}", "host",
				  (json_int_t)cfg->ports[i].host, "guest",
				  (json_int_t)cfg->ports[i].guest));
	json_object_set_new(root, "version", json_integer(CONFIG_VERSION));
	json_object_set_new(root, "name", json_string(cfg->name));
	json_object_set_new(root, "image", json_string(cfg->image));
	json_object_set_new(root, "cpus", json_integer(cfg->cpus));
	json_object_set_new(root, "memory",
			    json_integer((json_int_t)cfg->memory));
	json_object_set_new(root, "disk_size",
			    json_integer((json_int_t)cfg->disk_size));
	json_object_set_new(root, "ports", ports);
	json_object_set_new(root, "append", json_string(cfg->append));
	json_object_set_new(root, "created", json_integer(cfg->created));
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!text) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	snprintf(path, sizeof(path), "%s/config.json", dir);
	snprintf(tmp, sizeof(tmp), "%s/config.json.tmp", dir);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  0600);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) ||
	    write(fd, "\n", 1) != 1 || fsync(fd) || rename(tmp, path)) {
		err = -errno;
		snprintf(why, why_len, "config.json: %s", strerror(errno));
		unlink(tmp);
	}
	if (fd >= 0)
		close(fd);
	free(text);
	return err;
}
