/*
 * smp_stress: a riscv64 Linux program that checks the atomicity the "A"
 * extension promises (RISC-V unprivileged spec, chapter "A" Extension for
 * Atomic Instructions: AMOs, LR/SC, acquire/release ordering) when several
 * harts run at once. P worker processes share one MAP_SHARED page and each
 * does I rounds of: AMO adds on a 64- and a 32-bit counter, LR/SC retry
 * loops on a 64- and a 32-bit counter, and a plain read-modify-write of a
 * counter under a spinlock taken with amoswap.w.aq and released with
 * amoswap.w.rl. Every counter must end at exactly P * I.
 *
 *   smp_stress [P [I]]    P defaults to the online CPUs, I to 100000
 *
 * Prints "smp_stress: ok ..." or "smp_stress: FAIL ..." and exits 0 only
 * when every total is exact. Worker k is pinned to CPU k % ncpu.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORKERS 64

/* each counter on its own 64-byte line, as a real program would lay them */
struct line64 {
	uint64_t v;
	char pad[56];
};

struct line32 {
	uint32_t v;
	char pad[60];
};

struct shared {
	struct line64 amo64;
	struct line32 amo32;
	struct line64 lr64;
	struct line32 lr32;
	struct line32 lock;
	struct line64 locked;
	struct line32 ready;
	struct line32 go;
	uint64_t sc_retries[MAX_WORKERS];
	uint64_t lock_spins[MAX_WORKERS];
	int32_t cpu_start[MAX_WORKERS];
	int32_t cpu_end[MAX_WORKERS];
};

static uint64_t smp_stress_lr_sc_add64(uint64_t *p)
{
	uint64_t old, tmp, retries = 0;

	__asm__ volatile("1:	lr.d	%0, (%3)\n"
			 "	addi	%1, %0, 1\n"
			 "	sc.d	%1, %1, (%3)\n"
			 "	beqz	%1, 2f\n"
			 "	addi	%2, %2, 1\n"
			 "	j	1b\n"
			 "2:\n"
			 : "=&r"(old), "=&r"(tmp), "+r"(retries)
			 : "r"(p)
			 : "memory");
	return retries;
}

static uint64_t smp_stress_lr_sc_add32(uint32_t *p)
{
	uint64_t old, tmp, retries = 0;

	__asm__ volatile("1:	lr.w	%0, (%3)\n"
			 "	addiw	%1, %0, 1\n"
			 "	sc.w	%1, %1, (%3)\n"
			 "	beqz	%1, 2f\n"
			 "	addi	%2, %2, 1\n"
			 "	j	1b\n"
			 "2:\n"
			 : "=&r"(old), "=&r"(tmp), "+r"(retries)
			 : "r"(p)
			 : "memory");
	return retries;
}

static uint32_t smp_stress_swap_aq(uint32_t *p, uint32_t v)
{
	uint32_t old;

	__asm__ volatile("amoswap.w.aq %0, %2, (%1)"
			 : "=r"(old)
			 : "r"(p), "r"(v)
			 : "memory");
	return old;
}

static void smp_stress_swap_rl(uint32_t *p, uint32_t v)
{
	uint32_t old;

	__asm__ volatile("amoswap.w.rl %0, %2, (%1)"
			 : "=r"(old)
			 : "r"(p), "r"(v)
			 : "memory");
}

static uint64_t smp_stress_lock(uint32_t *lock)
{
	uint64_t spins = 0;

	while (smp_stress_swap_aq(lock, 1)) {
		while (__atomic_load_n(lock, __ATOMIC_RELAXED))
			spins++;
	}
	return spins;
}

static void smp_stress_worker(struct shared *s, int k, int nworkers, long iters,
			      int ncpu)
{
	volatile uint64_t *plain = &s->locked.v;
	uint64_t retries = 0, spins = 0;
	cpu_set_t set;
	long i;

	CPU_ZERO(&set);
	CPU_SET(k % ncpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		fprintf(stderr,
			"smp_stress: worker %d: sched_setaffinity: %s\n", k,
			strerror(errno));
	s->cpu_start[k] = sched_getcpu();

	/* start together, so that the rounds overlap across harts */
	__atomic_fetch_add(&s->ready.v, 1, __ATOMIC_ACQ_REL);
	while (!__atomic_load_n(&s->go.v, __ATOMIC_ACQUIRE))
		if (nworkers > ncpu)
			sched_yield();

	for (i = 0; i < iters; i++) {
		__atomic_fetch_add(&s->amo64.v, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&s->amo32.v, 1, __ATOMIC_RELAXED);
		retries += smp_stress_lr_sc_add64(&s->lr64.v);
		retries += smp_stress_lr_sc_add32(&s->lr32.v);
		spins += smp_stress_lock(&s->lock.v);
		*plain = *plain + 1;
		smp_stress_swap_rl(&s->lock.v, 0);
	}
	s->sc_retries[k] = retries;
	s->lock_spins[k] = spins;
	s->cpu_end[k] = sched_getcpu();
}

static long smp_stress_arg(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || *end || v < min || v > max) {
		fprintf(stderr, "smp_stress: bad argument '%s' (%ld..%ld)\n", s,
			min, max);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	int ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);
	int nworkers = ncpu, k, bad_child = 0;
	long iters = 100000;
	uint64_t want, retries = 0, spins = 0;
	struct timespec t0, t1;
	struct shared *s;
	pid_t pids[MAX_WORKERS];
	int ok;

	if (ncpu < 1)
		ncpu = 1;
	if (argc > 1)
		nworkers = (int)smp_stress_arg(argv[1], 1, MAX_WORKERS);
	if (argc > 2)
		iters = smp_stress_arg(argv[2], 1, 1000000000L);
	if (nworkers > MAX_WORKERS)
		nworkers = MAX_WORKERS;
	want = (uint64_t)nworkers * (uint64_t)iters;
	if (want > UINT32_MAX) {
		fprintf(stderr,
			"smp_stress: P*I must fit the 32-bit counters\n");
		return 2;
	}

	s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s == MAP_FAILED) {
		perror("smp_stress: mmap");
		return 2;
	}

	for (k = 0; k < nworkers; k++) {
		pids[k] = fork();
		if (pids[k] < 0) {
			perror("smp_stress: fork");
			return 2;
		}
		if (pids[k] == 0) {
			smp_stress_worker(s, k, nworkers, iters, ncpu);
			_exit(0);
		}
	}
	while (__atomic_load_n(&s->ready.v, __ATOMIC_ACQUIRE) !=
	       (uint32_t)nworkers)
		usleep(1000);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	__atomic_store_n(&s->go.v, 1, __ATOMIC_RELEASE);

	for (k = 0; k < nworkers; k++) {
		int status;

		if (waitpid(pids[k], &status, 0) != pids[k] ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "smp_stress: worker %d failed (0x%x)\n",
				k, status);
			bad_child = 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);

	for (k = 0; k < nworkers; k++) {
		retries += s->sc_retries[k];
		spins += s->lock_spins[k];
	}
	ok = !bad_child && s->amo64.v == want && s->amo32.v == want &&
	     s->lr64.v == want && s->lr32.v == want && s->locked.v == want &&
	     s->lock.v == 0;

	printf("smp_stress: %s workers=%d iters=%ld cpus=%d want=%llu "
	       "amo64=%llu amo32=%u lr64=%llu lr32=%u locked=%llu lock=%u "
	       "sc_retries=%llu lock_spins=%llu time=%.3f\n",
	       ok ? "ok" : "FAIL", nworkers, iters, ncpu,
	       (unsigned long long)want, (unsigned long long)s->amo64.v,
	       s->amo32.v, (unsigned long long)s->lr64.v, s->lr32.v,
	       (unsigned long long)s->locked.v, s->lock.v,
	       (unsigned long long)retries, (unsigned long long)spins,
	       (double)(t1.tv_sec - t0.tv_sec) +
		       (t1.tv_nsec - t0.tv_nsec) / 1e9);
	printf("smp_stress: worker cpus");
	for (k = 0; k < nworkers; k++)
		printf(" %d:%d/%d", k, s->cpu_start[k], s->cpu_end[k]);
	printf("\n");
	return ok ? 0 : 1;
}
