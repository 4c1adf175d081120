/*
 * libFuzzer target for a managed VM's config.json (vm/config.c): the input
 * is a hostile config file. config_parse must either refuse it with a
 * reason or return a config that config_validate accepts; an accepted
 * config must survive config_write and config_read unchanged (what gasang
 * writes, it reads back as the same VM). Nothing may crash, hang, leak or
 * touch memory it does not own (ASan, UBSan).
 *
 * Built with -DFUZZ_REPLAY instead of -fsanitize=fuzzer, main() runs
 * every file named on the command line, or inside a named directory,
 * through the target once (the saved corpus in the normal test run).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vm/config.h"

static char dir[64];

static void fuzz_fail(const char *what, const char *why)
{
	fprintf(stderr, "fuzz_config: %s: %s\n", what, why);
	abort();
}

static bool same_config(const struct config *a, const struct config *b)
{
	if (strcmp(a->name, b->name) || strcmp(a->image, b->image) ||
	    a->cpus != b->cpus || a->memory != b->memory ||
	    a->disk_size != b->disk_size || a->nports != b->nports ||
	    strcmp(a->append, b->append) || a->created != b->created)
		return false;
	for (unsigned i = 0; i < a->nports; i++)
		if (a->ports[i].host != b->ports[i].host ||
		    a->ports[i].guest != b->ports[i].guest)
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg, back;
	char why[512];

	if (!dir[0]) {
		strcpy(dir, "/tmp/fuzz_config.XXXXXX");
		if (!mkdtemp(dir))
			fuzz_fail("mkdtemp", "cannot make a directory");
	}
	memset(&cfg, 0, sizeof(cfg));
	if (config_parse((const char *)data, size, &cfg, why, sizeof(why)))
		return 0;
	if (config_validate(&cfg, why, sizeof(why)))
		fuzz_fail("parsed but not valid", why);
	if (config_write(dir, &cfg, why, sizeof(why)))
		fuzz_fail("config_write", why);
	memset(&back, 0, sizeof(back));
	if (config_read(dir, cfg.name, &back, why, sizeof(why)))
		fuzz_fail("written config does not read back", why);
	if (!same_config(&cfg, &back))
		fuzz_fail("round trip", "the config read back differs");
	return 0;
}

#ifdef FUZZ_REPLAY
#include "tests/fuzz/replay.h"

int main(int argc, char **argv)
{
	int status = fuzz_replay_all("fuzz_config", argc, argv);
	char path[96];

	if (dir[0]) {
		snprintf(path, sizeof(path), "%s/config.json", dir);
		unlink(path);
		rmdir(dir);
	}
	return status;
}
#endif
