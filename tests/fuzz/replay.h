/*
 * The replay mode shared by the fuzz targets (built with -DFUZZ_REPLAY,
 * without libFuzzer): every file named on the command line, or found in
 * a directory named there, goes once through LLVMFuzzerTestOneInput.
 */
#ifndef TESTS_FUZZ_REPLAY_H
#define TESTS_FUZZ_REPLAY_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Inputs longer than this are cut, as libFuzzer's -max_len would. */
#define FUZZ_REPLAY_MAX (1u << 22)

static int fuzz_replay_file(const char *path)
{
	static uint8_t buf[FUZZ_REPLAY_MAX];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		perror(path);
		return -1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	return 0;
}

/* Replays argv[1..]; prints "NAME: N inputs replayed, N unreadable". */
static int fuzz_replay_all(const char *name, int argc, char **argv)
{
	unsigned count = 0, errors = 0;
	char path[4096];
	struct dirent *e;
	DIR *d;

	for (int i = 1; i < argc; i++) {
		d = opendir(argv[i]);
		if (!d) {
			errors += fuzz_replay_file(argv[i]) != 0;
			count++;
			continue;
		}
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i],
				 e->d_name);
			errors += fuzz_replay_file(path) != 0;
			count++;
		}
		closedir(d);
	}
	printf("%s: %u inputs replayed, %u unreadable\n", name, count, errors);
	return errors ? 1 : 0;
}

#endif
