/*
 * mips: a bare-metal integer workload for RV64GC that measures how fast an
 * emulator retires guest instructions. Each round mixes the kinds of work
 * real programs do: table-driven CRC-32 over a buffer, a small matrix
 * multiply, heapsort of pseudo-random signed ints, a linked-list walk and
 * reversal, number formatting, parsing and hashing, and 64-bit multiply,
 * divide and remainder (gcd, modular power, high products).
 *
 * The run is deterministic. The checksum of all rounds is compared with
 * BENCH_EXPECT, which was computed once by building this same file for the
 * host (cc -O2 -o mips-native bench/mips.c; the #ifndef __riscv main) and
 * running it. The guest reads instret and time (10 MHz, priv spec 3.1.11
 * mtime) around the workload and prints the figures through the HTIF
 * console (device 1, command 1: putchar), which both gasang and QEMU's
 * spike machine serve. Exit code: 0 when the checksum matches, 1 if not.
 */
#include <stddef.h>
#include <stdint.h>

#define BENCH_ROUNDS 15000
#define BENCH_EXPECT 0x7519bdb236bce2a5ull
#define TIME_HZ 10000000ull
#define NO_COUNTER (~0ull)

#define BUF_LEN 2048
#define MAT_N 12
#define SORT_N 256
#define LIST_N 256
#define NUM_N 48
#define GCD_N 24
#define POW_N 12

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t x = r->s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	r->s = x;
	return x * 0x2545f4914f6cdd1dull;
}

static uint64_t mix(uint64_t acc, uint64_t v)
{
	acc ^= v;
	acc = (acc << 23) | (acc >> 41);
	return acc * 0x9e3779b97f4a7c15ull + 0x632be59bd9b4e019ull;
}

static uint32_t crc_table[256];
static uint8_t buf[BUF_LEN];

static void crc32_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? (c >> 1) ^ 0xedb88320u : c >> 1;
		crc_table[i] = c;
	}
}

static uint32_t crc32(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	for (size_t i = 0; i < n; i++)
		c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return ~c;
}

static uint64_t work_crc(struct rng *r)
{
	for (size_t i = 0; i < BUF_LEN; i += 8) {
		uint64_t v = rng_next(r);

		for (int k = 0; k < 8; k++)
			buf[i + k] = (uint8_t)(v >> (8 * k));
	}
	return crc32(buf, BUF_LEN) ^ ((uint64_t)crc32(buf + 17, 999) << 32);
}

static int32_t mat_a[MAT_N][MAT_N], mat_b[MAT_N][MAT_N];
static int64_t mat_c[MAT_N][MAT_N];

static uint64_t work_matrix(struct rng *r)
{
	uint64_t sum = 0;

	for (int i = 0; i < MAT_N; i++) {
		for (int j = 0; j < MAT_N; j++) {
			uint64_t v = rng_next(r);

			mat_a[i][j] = (int32_t)(v & 0xffff) - 0x8000;
			mat_b[i][j] = (int32_t)((v >> 32) & 0xffff) - 0x8000;
		}
	}
	for (int i = 0; i < MAT_N; i++) {
		for (int j = 0; j < MAT_N; j++) {
			int64_t s = 0;

			for (int k = 0; k < MAT_N; k++)
				s += (int64_t)mat_a[i][k] * mat_b[k][j];
			mat_c[i][j] = s;
		}
	}
	for (int i = 0; i < MAT_N; i++)
		for (int j = 0; j < MAT_N; j++)
			sum = mix(sum, (uint64_t)mat_c[i][j] + (uint64_t)i * j);
	return sum;
}

static int32_t sort_v[SORT_N];

static void sift_down(int32_t *a, size_t root, size_t n)
{
	int32_t v = a[root];

	for (;;) {
		size_t child = 2 * root + 1;

		if (child >= n)
			break;
		if (child + 1 < n && a[child + 1] > a[child])
			child++;
		if (a[child] <= v)
			break;
		a[root] = a[child];
		root = child;
	}
	a[root] = v;
}

static void heapsort(int32_t *a, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(a, i, n);
	for (size_t end = n - 1; end > 0; end--) {
		int32_t t = a[0];

		a[0] = a[end];
		a[end] = t;
		sift_down(a, 0, end);
	}
}

static uint64_t work_sort(struct rng *r)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < SORT_N; i++)
		sort_v[i] = (int32_t)(uint32_t)(rng_next(r) >> 17);
	heapsort(sort_v, SORT_N);
	for (size_t i = 1; i < SORT_N; i++)
		if (sort_v[i - 1] > sort_v[i])
			sum += 0x1000000;
	for (size_t i = 0; i < SORT_N; i += 31)
		sum = mix(sum, (uint64_t)(int64_t)sort_v[i]);
	return sum;
}

struct node {
	struct node *next;
	int32_t val;
	uint32_t key;
};

static struct node nodes[LIST_N];
static uint32_t perm[LIST_N];

static uint64_t work_list(struct rng *r)
{
	struct node *head = NULL, *prev = NULL, *n;
	uint64_t sum = 0;
	int64_t total = 0;
	uint32_t pos = 0, found = 0;

	for (uint32_t i = 0; i < LIST_N; i++)
		perm[i] = i;
	for (uint32_t i = LIST_N - 1; i > 0; i--) {
		uint32_t j = (uint32_t)(rng_next(r) % (i + 1));
		uint32_t t = perm[i];

		perm[i] = perm[j];
		perm[j] = t;
	}
	for (uint32_t i = 0; i < LIST_N; i++) {
		n = &nodes[perm[i]];
		n->val = (int32_t)(rng_next(r) >> 40) - 0x400000;
		n->key = perm[i] * 2654435761u;
		n->next = head;
		head = n;
	}
	for (n = head; n; n = n->next) {
		if (n->val < 0)
			total -= n->val / 3;
		else
			total += n->val % 1000;
	}
	while (head) {
		n = head->next;
		head->next = prev;
		prev = head;
		head = n;
	}
	head = prev;
	for (n = head; n; n = n->next, pos++) {
		if ((n->key >> 24) == 0x5a) {
			found = pos;
			break;
		}
	}
	sum = mix(sum, (uint64_t)total);
	sum = mix(sum, found);
	sum = mix(sum, (uint64_t)(head - nodes));
	return sum;
}

static size_t fmt_dec(char *out, uint64_t v)
{
	char tmp[24];
	size_t n = 0, len;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	len = n;
	for (size_t i = 0; i < len; i++)
		out[i] = tmp[len - 1 - i];
	out[len] = 0;
	return len;
}

static size_t fmt_hex(char *out, uint64_t v, int width)
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < width; i++)
		out[i] = digits[(v >> (4 * (width - 1 - i))) & 0xf];
	out[width] = 0;
	return (size_t)width;
}

static size_t str_len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++) {
		h ^= (uint8_t)*s;
		h *= 0x100000001b3ull;
	}
	return h;
}

/* A small scanner: [ws] ("0x" hex | dec) [ws], or -1 on a stray char. */
static int parse_num(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	int state = 0;

	for (;; s++) {
		uint8_t c = (uint8_t)*s;

		switch (state) {
		case 0:
			if (c == ' ')
				continue;
			if (c == '0' && (s[1] == 'x' || s[1] == 'X')) {
				s++;
				state = 2;
				continue;
			}
			if (c >= '0' && c <= '9') {
				v = c - '0';
				state = 1;
				continue;
			}
			return -1;
		case 1:
			if (c >= '0' && c <= '9') {
				v = v * 10 + (c - '0');
				continue;
			}
			state = 3;
			break;
		case 2:
			if (c >= '0' && c <= '9') {
				v = (v << 4) | (c - '0');
				continue;
			}
			if (c >= 'a' && c <= 'f') {
				v = (v << 4) | (c - 'a' + 10);
				continue;
			}
			state = 3;
			break;
		}
		if (c == 0) {
			*out = v;
			return 0;
		}
		if (c != ' ')
			return -1;
	}
}

static uint64_t work_strings(struct rng *r)
{
	char s[48];
	uint64_t sum = 0;

	for (int i = 0; i < NUM_N; i++) {
		uint64_t v = rng_next(r) >> (i & 31), back = 0;
		size_t n;

		if (i & 1) {
			s[0] = ' ';
			s[1] = '0';
			s[2] = 'x';
			n = 3 + fmt_hex(s + 3, v, 16);
		} else {
			n = fmt_dec(s, v);
		}
		s[n] = ' ';
		s[n + 1] = 0;
		if (parse_num(s, &back) != 0 || back != v)
			sum += 0x10000;
		sum = mix(sum, fnv1a(s) + str_len(s));
	}
	return sum;
}

static uint64_t gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

static uint64_t pow_mod(uint64_t base, uint64_t exp, uint64_t m)
{
	uint64_t result = 1 % m;

	base %= m;
	while (exp) {
		if (exp & 1)
			result = result * base % m;
		base = base * base % m;
		exp >>= 1;
	}
	return result;
}

static uint64_t work_muldiv(struct rng *r)
{
	uint64_t sum = 0;

	for (int i = 0; i < GCD_N; i++) {
		uint64_t a = rng_next(r), b = rng_next(r) >> (i & 15);

		sum = mix(sum, gcd(a, b | 1));
	}
	for (int i = 0; i < POW_N; i++) {
		uint64_t m = (rng_next(r) >> 33) | 1;
		uint64_t e = rng_next(r) >> 32;

		sum = mix(sum, pow_mod(rng_next(r), e, m));
	}
	for (int i = 0; i < 16; i++) {
		uint64_t a = rng_next(r), b = rng_next(r);
		int64_t sa = (int64_t)a, sb = (int64_t)(b >> 40) - (1 << 23);
		unsigned __int128 p = (unsigned __int128)a * b;

		if (sb == 0)
			sb = 7;
		sum = mix(sum, (uint64_t)(p >> 64) ^ (uint64_t)p);
		sum = mix(sum, (uint64_t)(sa / sb) + (uint64_t)(sa % sb));
		sum = mix(sum, (uint32_t)a / ((uint32_t)b | 1));
	}
	return sum;
}

static uint64_t workload(uint32_t rounds)
{
	uint64_t acc = 0;

	crc32_init();
	for (uint32_t i = 0; i < rounds; i++) {
		uint64_t seed = 0x853c49e6748fea9bull ^ ((uint64_t)i << 20) ^ i;
		struct rng r = { seed };

		acc = mix(acc, work_crc(&r));
		acc = mix(acc, work_matrix(&r));
		acc = mix(acc, work_sort(&r));
		acc = mix(acc, work_list(&r));
		acc = mix(acc, work_strings(&r));
		acc = mix(acc, work_muldiv(&r));
	}
	return acc;
}

#ifdef __riscv

extern volatile uint64_t tohost, fromhost;

int bench_main(void);
uint64_t bench_rdtime(void);
uint64_t bench_rdinstret(void);

/* The compiler may emit calls to these even in freestanding code. */
void *memset(void *d, int c, size_t n)
{
	volatile uint8_t *p = d;

	while (n--)
		*p++ = (uint8_t)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	volatile uint8_t *p = d;
	const uint8_t *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

static void put_char(char c)
{
	tohost = (1ull << 56) | (1ull << 48) | (uint8_t)c;
	while (fromhost == 0)
		;
	fromhost = 0;
}

static void put_str(const char *s)
{
	while (*s)
		put_char(*s++);
}

static void put_dec(uint64_t v)
{
	char s[24];

	fmt_dec(s, v);
	put_str(s);
}

/* v / 10^places, with that many decimals */
static void put_fixed(uint64_t v, uint64_t scale, int places)
{
	uint64_t frac = v % scale;
	char s[24];

	put_dec(v / scale);
	put_char('.');
	for (int i = places - 1; i >= 0; i--) {
		s[i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	s[places] = 0;
	put_str(s);
}

static void put_hex(uint64_t v)
{
	char s[20];

	fmt_hex(s, v, 16);
	put_str("0x");
	put_str(s);
}

int bench_main(void)
{
	uint64_t i0, i1, t0, t1, insns, ticks, sum;

	put_str("mips: ");
	put_dec(BENCH_ROUNDS);
	put_str(" rounds of crc32, matmul, heapsort, list, strings, "
		"mul/div\n");
	t0 = bench_rdtime();
	i0 = bench_rdinstret();
	sum = workload(BENCH_ROUNDS);
	i1 = bench_rdinstret();
	t1 = bench_rdtime();
	insns = i1 - i0;
	ticks = t1 - t0;
	if (i0 == NO_COUNTER) {
		put_str("instret: not available\n");
	} else {
		put_str("instret: ");
		put_dec(insns);
		put_str(" instructions\n");
	}
	if (t0 == NO_COUNTER) {
		put_str("time: not available\n");
	} else {
		put_str("time: ");
		put_fixed(ticks / (TIME_HZ / 1000), 1000, 3);
		put_str(" s (guest time, 10 MHz)\n");
	}
	if (i0 != NO_COUNTER && t0 != NO_COUNTER && ticks) {
		/* insns / (ticks / 10 MHz) / 1e6 = insns * 10 / ticks */
		put_str("MIPS: ");
		put_fixed(insns * 10 * 100 / ticks, 100, 2);
		put_str("\n");
	}
	if (sum != BENCH_EXPECT) {
		put_str("checksum BAD: ");
		put_hex(sum);
		put_str(", expected ");
		put_hex(BENCH_EXPECT);
		put_str("\n");
		return 1;
	}
	put_str("checksum ok\n");
	return 0;
}

#else /* host build: derives BENCH_EXPECT and times the native run */

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	uint32_t rounds =
		argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) : BENCH_ROUNDS;
	struct timespec a, b;
	uint64_t sum;
	double s;

	clock_gettime(CLOCK_MONOTONIC, &a);
	sum = workload(rounds);
	clock_gettime(CLOCK_MONOTONIC, &b);
	s = (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
	printf("rounds %u checksum 0x%016llx native %.3f s\n", rounds,
	       (unsigned long long)sum, s);
	return 0;
}

#endif
