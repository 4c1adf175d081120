/*
 * A minimal unit-test harness: CHECK records a failure with its location
 * and goes on; unit_done() prints "N passed, N failed" for the binary and
 * returns its exit status. Each test_*.c is one binary with a main().
 */
#ifndef TESTS_UNIT_UNIT_H
#define TESTS_UNIT_UNIT_H

#include <inttypes.h>
#include <stdio.h>

static int unit_passed, unit_failed;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (cond) {                                                    \
			unit_passed++;                                         \
		} else {                                                       \
			unit_failed++;                                         \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, \
				__LINE__, #cond);                              \
		}                                                              \
	} while (0)

#define CHECK_EQ_U64(got, want)                                              \
	do {                                                                 \
		uint64_t g_ = (uint64_t)(got), w_ = (uint64_t)(want);        \
		if (g_ == w_) {                                              \
			unit_passed++;                                       \
		} else {                                                     \
			unit_failed++;                                       \
			fprintf(stderr,                                      \
				"%s:%d: %s = 0x%" PRIx64 ", want 0x%" PRIx64 \
				"\n",                                        \
				__FILE__, __LINE__, #got, g_, w_);           \
		}                                                            \
	} while (0)

static inline int unit_done(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, unit_passed, unit_failed);
	return unit_failed ? 1 : 0;
}

#endif
