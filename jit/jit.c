/*
 * The JIT engine (jit/jit.h): a dispatcher loop in C around translated
 * blocks (jit/translate.c), with a code cache and a jump cache per hart.
 *
 * Per-hart caches: a hart only ever runs and patches its own code, so no
 * lock is needed anywhere on the execution path; the cost is translating
 * shared kernel code once per hart, which is small next to a boot.
 *
 * Blocks are keyed by guest-physical address, virtual pc (code baked
 * with its pc, so one physical page mapped at two addresses gets two
 * translations) and data context (its accesses probe that context's TLB
 * tables at a fixed offset from the hart: kernel code run with and
 * without sstatus.SUM gets two; user-mode code translated for the window,
 * mem/window.h, and for the TLB gets two). A block records its page's
 * version; a store to a page holding translated code bumps it (mem/
 * bus.c), and both the lookup here and the block's own entry check
 * compare it, so stale code never runs and is translated again. As in the interpreter,
 * FENCE.I with several harts drops the whole cache.
 *
 * The jump cache maps (virtual pc, privilege, hart.code_ctx) to a block
 * and, as in the interpreter, a hit is confirmed through the fetch TLB,
 * so TLB flushes need not flush it. Exits to a known pc in the same
 * guest page are chained: once the target is translated the exit jumps
 * straight to it.
 * Chaining within a page needs no translation check: the target is in
 * the page that the source block was fetched from. Indirect jumps and
 * exits to other pages look up the jump table (jit/translate.h) inline,
 * valid while the mmu's fetch_gen stays, else confirmed through the
 * fetch TLB as above; every block the dispatcher runs is entered there.
 *
 * With GASANG_PERF_MAP set in the environment, each translation is named
 * in /tmp/perf-PID.map (perf's convention for JIT code) as guest_VPC, so
 * that `perf report` attributes host time to guest blocks. A cache flush
 * reuses addresses; the map then holds both names for them, and perf
 * shows the first (a boot's) for later blocks: count flushes first. With
 * GASANG_JIT_STATS set, each hart prints its counts (instructions, blocks
 * built, cache flushes, dispatcher entries, chains, loads and stores that
 * took the slow path) to stderr when it stops. With
 * GASANG_JIT_NO_BMI2 set, it translates as for a host without BMI2 (the
 * test runner checks both paths). GASANG_JIT_SWAP_GAIN=N sets the gain at
 * which a block keeps other guest registers in host registers
 * (translate.c, choose_map); the test runner's 0 makes most blocks do so.
 * GASANG_JIT_WINDOW=off runs without the window (mem/window.h; guest RAM
 * is then private memory again), =eager puts it to use at once for every
 * address space, not after the policy's wait (cpu/hart.c; the test runner
 * checks that path).
 * GASANG_JIT_DUMP=FILE appends every translation to FILE (FILE.N for
 * hart N > 0), for scripts/jit-weigh: per block, six little-endian
 * 64-bit words (guest pc, host address, host code bytes, of those the
 * bytes before the out-of-line stubs, guest instructions, guest code
 * bytes), then the host code, then the guest instructions' encodings (2
 * or 4 bytes each).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "cpu/exec.h"
#include "cpu/hart.h"
#include "jit/helper.h"
#include "jit/jit.h"
#include "jit/translate.h"

/*
 * The window's faults. A user-mode block translated for the window
 * accesses window.code_base + the guest address; where the window maps
 * nothing the host faults (SIGSEGV), and the handler resumes at the
 * access's slow-path stub, which translates the address through the TLB
 * (mapping the page into the window) or raises the guest's exception, as
 * a TLB miss does. Each such access instruction is a site: a hash of
 * the hart's sites (insn -> stub) is filled as blocks are translated and
 * emptied with the code cache, which is flushed when it is half full.
 * The handler runs on the faulting hart's thread and finds the hart's
 * state through a thread-local pointer; any other fault goes to the
 * handler that was there before (the default, a sanitizer's, a test's).
 */
#define SITES_BITS 19
#define SITES_SIZE (1u << SITES_BITS)

struct site {
	const uint8_t *insn, *stub;
};

#define JC_BITS 14
#define JC_SIZE (1u << JC_BITS)
#define HASH_BITS 17
#define HASH_SIZE (1u << HASH_BITS)
#define ARENA_SIZE (64u << 20)
/* room kept for the trampoline and the scratch block */
#define FIXED_SIZE (16u << 10)
/* the most code one block may need (64 instructions with their stubs) */
#define BLOCK_CODE_MAX (48u << 10)
#define TIMER_POLL_INSNS 16384
#define STRADDLE_SIZE 64

/*
 * A translated instruction that straddles two pages: its block is keyed
 * by the first page (entry check) and this records the second, which the
 * dispatcher checks before each run (such blocks are never chained or
 * put in the jump tables, which skip that check).
 */
struct straddle {
	uint64_t vpc;
	uint64_t pa2; /* guest-physical address of the second half */
	uint32_t version2;
	struct jit_block *block;
};

struct jc_entry {
	uint64_t vpc;
	uint64_t gen; /* jc_gen when filled (0: never) */
	/* hart.code_ctx, which also tells the privilege (its itlb) */
	uintptr_t code_ctx;
	struct jit_block *block;
};

/* What a block's exit returns (rax, rdx). */
struct exit_status {
	uint64_t status;
	struct jit_block *from;
};

typedef struct exit_status (*enter_fn)(struct hart *h, const uint8_t *code);

struct jit_state {
	struct jit_fast fast[JIT_FAST_SIZE];
	struct jc_entry jc[JC_SIZE];
	uint64_t jc_gen;
	struct jit_block *hash[HASH_SIZE];
	uint8_t *arena;
	size_t used;
	enter_fn enter;
	const uint8_t *exit;
	const uint8_t *slow_load, *slow_store;
	const uint8_t *lookup_miss, *revalidate;
	uint8_t *scratch_code;
	struct jit_block scratch;
	struct straddle straddle[STRADDLE_SIZE];
	/* bumped by every flush: a chain request from before is void */
	uint64_t flush_gen;
	/* GASANG_PERF_MAP set: each block's code range for perf(1) */
	FILE *perf_map;
	FILE *dump; /* GASANG_JIT_DUMP */
	/* GASANG_JIT_STATS set: counts printed when the hart goes */
	bool stats;
	/* translate with BMI2's shifts (the host has them, not turned off) */
	bool bmi2;
	unsigned swap_gain;
	uint64_t n_flush, n_built, n_dispatch, n_chained;
	/* the window's sites (NULL without a window) and their number */
	struct site *sites;
	unsigned nsites;
	uint64_t n_faults;
};

static __thread struct jit_state *running_js;

/* GASANG_JIT_WINDOW (see above); another value counts as unset */
enum window_mode { WINDOW_POLICY, WINDOW_OFF, WINDOW_EAGER, WINDOW_UNKNOWN };

static enum window_mode window_mode(void)
{
	const char *v = getenv("GASANG_JIT_WINDOW");

	if (!v || !*v)
		return WINDOW_POLICY;
	if (strcmp(v, "off") == 0)
		return WINDOW_OFF;
	return strcmp(v, "eager") == 0 ? WINDOW_EAGER : WINDOW_UNKNOWN;
}

/* engine_ops.shared_ram */
static bool window_wanted(void)
{
	return window_mode() != WINDOW_OFF;
}

static struct sigaction old_segv;

static unsigned site_hash(const uint8_t *insn)
{
	return (unsigned)(((uintptr_t)insn * 0x9e3779b97f4a7c15ull) >>
			  (64 - SITES_BITS));
}

/* translate_env.site */
static void add_site(void *ctx, const uint8_t *insn, const uint8_t *stub)
{
	struct jit_state *js = ctx;
	unsigned i = site_hash(insn);

	while (js->sites[i].insn && js->sites[i].insn != insn)
		i = (i + 1) & (SITES_SIZE - 1);
	if (!js->sites[i].insn)
		js->nsites++;
	js->sites[i].insn = insn;
	js->sites[i].stub = stub;
}

static void on_segv(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	const uint8_t *rip = (const uint8_t *)uc->uc_mcontext.gregs[REG_RIP];
	struct jit_state *js = running_js;

	if (js && js->sites && rip >= js->arena &&
	    rip < js->arena + ARENA_SIZE) {
		for (unsigned i = site_hash(rip); js->sites[i].insn;
		     i = (i + 1) & (SITES_SIZE - 1)) {
			if (js->sites[i].insn == rip) {
				js->n_faults++;
				uc->uc_mcontext.gregs[REG_RIP] =
					(greg_t)js->sites[i].stub;
				return;
			}
		}
	}
	/* not ours: the fault happens again under the handler before */
	(void)sig;
	(void)si;
	sigaction(SIGSEGV, &old_segv, NULL);
}

static void install_segv_once(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, &old_segv);
}

static void install_segv(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, install_segv_once);
}

/*
 * The window's size in pages: every page is a host mapping, and the
 * process's vm.max_map_count (65530 unless the host changed it) is shared
 * by all harts and everything else. 7-Zip's -md22 benchmark keeps about
 * ten thousand pages in use.
 */
static unsigned window_pages(const struct hart *h)
{
	unsigned n = h->platform->nharts ? h->platform->nharts : 1;

	return 32768 / n > 1024 ? 32768 / n : 1024;
}

static void cache_flush(struct jit_state *js)
{
	js->jc_gen++;
	memset(js->fast, 0, sizeof(js->fast));
	memset(js->hash, 0, sizeof(js->hash));
	memset(js->straddle, 0, sizeof(js->straddle));
	js->used = FIXED_SIZE;
	js->flush_gen++;
	js->n_flush++;
	if (js->sites && js->nsites)
		memset(js->sites, 0, SITES_SIZE * sizeof(*js->sites));
	js->nsites = 0;
}

/*
 * The trampoline: saves the callee-saved registers, keeps the stack
 * 16-byte aligned for helper calls, sets rbx = hart and jumps to the
 * block; the exit stub undoes it and returns rax/rdx. After them, the
 * slow paths of loads and stores that blocks' miss stubs call, and the
 * jump table's shared miss and revalidation paths.
 */
static void emit_trampoline(struct jit_state *js)
{
	static const unsigned saved[] = { RBX, RBP, R12, R13, R14, R15 };
	struct x86_buf b;

	x86_init(&b, js->arena, FIXED_SIZE / 2);
	js->enter = (enter_fn)(uintptr_t)b.p;
	for (unsigned i = 0; i < 6; i++)
		x86_push(&b, saved[i]);
	x86_alu_ri(&b, true, ALU_SUB, RSP, 8);
	x86_mov_rr(&b, true, RBX, RDI);
	translate_regs_in(&b);
	x86_jmp_r(&b, RSI);
	js->exit = b.p;
	translate_regs_out(&b);
	x86_alu_ri(&b, true, ALU_ADD, RSP, 8);
	for (unsigned i = 6; i-- > 0;)
		x86_pop(&b, saved[i]);
	x86_ret(&b);
	js->slow_load = b.p;
	translate_slow_path(&b, false);
	js->slow_store = b.p;
	translate_slow_path(&b, true);
	js->lookup_miss = b.p;
	translate_lookup_miss(&b, js->exit);
	js->revalidate = b.p;
	translate_revalidate(&b, js->lookup_miss);
	js->scratch_code = js->arena + FIXED_SIZE / 2;
}

static int jit_init(struct hart *h)
{
	/* jump-table entries on cache-line boundaries */
	struct jit_state *js =
		aligned_alloc(64, (sizeof(*js) + 63) & ~(size_t)63);
	enum window_mode mode = window_mode();

	if (!js)
		return -ENOMEM;
	memset(js, 0, sizeof(*js));
	js->arena = mmap(NULL, ARENA_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (js->arena == MAP_FAILED) {
		free(js);
		return -ENOMEM;
	}
	js->jc_gen = 1;
	js->used = FIXED_SIZE;
	js->stats = getenv("GASANG_JIT_STATS") != NULL;
	js->bmi2 = __builtin_cpu_supports("bmi2") &&
		   getenv("GASANG_JIT_NO_BMI2") == NULL;
	js->swap_gain = JIT_SWAP_GAIN;
	if (getenv("GASANG_JIT_SWAP_GAIN")) {
		const char *v = getenv("GASANG_JIT_SWAP_GAIN");
		char *end;
		unsigned long g = strtoul(v, &end, 10);

		if (*v >= '0' && *v <= '9' && !*end && g <= 1000)
			js->swap_gain = (unsigned)g;
		else
			fprintf(stderr,
				"gasang: GASANG_JIT_SWAP_GAIN=%s: "
				"not 0 to 1000; using %u\n",
				v, JIT_SWAP_GAIN);
	}
	if (getenv("GASANG_PERF_MAP")) {
		char path[64];

		snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)getpid());
		js->perf_map = fopen(path, "a");
		if (js->perf_map)
			setlinebuf(js->perf_map);
	}
	if (getenv("GASANG_JIT_DUMP")) {
		char path[4096];

		if (h->mhartid)
			snprintf(path, sizeof(path), "%s.%u",
				 getenv("GASANG_JIT_DUMP"),
				 (unsigned)h->mhartid);
		else
			snprintf(path, sizeof(path), "%s",
				 getenv("GASANG_JIT_DUMP"));
		js->dump = fopen(path, "a");
		if (!js->dump)
			fprintf(stderr, "gasang: GASANG_JIT_DUMP: %s: %s\n",
				path, strerror(errno));
	}
	emit_trampoline(js);
	if (mode == WINDOW_UNKNOWN && !h->mhartid)
		fprintf(stderr,
			"gasang: GASANG_JIT_WINDOW=%s: not off or eager; "
			"ignored\n",
			getenv("GASANG_JIT_WINDOW"));
	if (mode != WINDOW_OFF && h->bus->ram_fd >= 0) {
		js->sites = calloc(SITES_SIZE, sizeof(*js->sites));
		if (js->sites &&
		    window_init(&h->mmu.win, h->bus->ram_fd, h->bus->ram_base,
				window_pages(h)) == 0) {
			install_segv();
			h->window_eager = mode == WINDOW_EAGER;
		} else {
			free(js->sites);
			js->sites = NULL;
		}
	}
	h->engine = (struct engine_state *)js;
	return 0;
}

static void jit_destroy(struct hart *h)
{
	struct jit_state *js = (struct jit_state *)h->engine;

	if (!js)
		return;
	munmap(js->arena, ARENA_SIZE);
	free(js->sites);
	if (js->perf_map)
		fclose(js->perf_map);
	if (js->dump)
		fclose(js->dump);
	free(js);
	h->engine = NULL;
}

static uint16_t ram_u16(struct bus *bus, uint64_t pa)
{
	uint16_t v;

	memcpy(&v, bus_ram_ptr(bus, pa, 2), 2);
	return v;
}

/*
 * Before translating from the page of pa: from now on a store to it bumps
 * its version (which the block records after this), and this hart's
 * stores to it take the slow path, which tells the bus (mem/mmu.h).
 */
static void mark_code(struct hart *h, uint64_t pa)
{
	bool newly = bus_mark_code(h->bus, pa);

	mmu_unmap_write(&h->mmu, pa);
	/*
	 * The window never maps a page with flags writable (mem/window.h):
	 * only a page that was not code until now may be.
	 */
	if (newly)
		mmu_window_protect(&h->mmu, pa);
}

static bool block_valid(struct bus *bus, const struct jit_block *b)
{
	return b->version == atomic_load_explicit(&bus->page_version[b->page],
						  memory_order_relaxed);
}

/* One GASANG_JIT_DUMP record (see the top of this file). */
static void dump_block(FILE *f, const struct jit_block *b,
		       const struct insn *ins, const uint8_t *code, size_t len)
{
	uint64_t head[6] = { b->vpc, (uint64_t)(uintptr_t)code,
			     len,    b->inline_len,
			     b->n,   0 };

	for (unsigned i = 0; i < b->n; i++)
		head[5] += ins[i].len;
	fwrite(head, sizeof(head), 1, f);
	fwrite(code, 1, len, f);
	for (unsigned i = 0; i < b->n; i++) {
		uint8_t raw[4] = { (uint8_t)ins[i].raw,
				   (uint8_t)(ins[i].raw >> 8),
				   (uint8_t)(ins[i].raw >> 16),
				   (uint8_t)(ins[i].raw >> 24) };

		fwrite(raw, 1, ins[i].len, f);
	}
}

/*
 * A block's key for the hart's data context now: translate_env.dtlb, and
 * 1 more when its accesses use the window.
 */
static int32_t hart_dtlb(const struct hart *h)
{
	return (int32_t)((const uint8_t *)h->dtlb[MMU_READ] -
			 (const uint8_t *)h) |
	       (h->code_ctx & CODE_CTX_WINDOW ? 1 : 0);
}

static bool emit_block(struct jit_state *js, struct hart *h,
		       struct jit_block *b, const struct insn *ins,
		       uint8_t *code, size_t room, bool chainable)
{
	int32_t key = hart_dtlb(h);
	struct translate_env env = {
		.exit = js->exit,
		.slow_load = js->slow_load,
		.slow_store = js->slow_store,
		.lookup_miss = js->lookup_miss,
		.revalidate = js->revalidate,
		.fast = js->fast,
		.version = &h->bus->page_version[b->page],
		.dtlb = key & ~1,
		.chainable = chainable,
		.bmi2 = js->bmi2,
		.swap_gain = js->swap_gain,
		.window = key & 1,
		.site = add_site,
		.site_ctx = js,
	};
	struct x86_buf buf;

	x86_init(&buf, code, room);
	b->dtlb = key;
	if (!translate_block(&buf, b, ins, &env))
		return false;
	if (code >= js->arena + FIXED_SIZE)
		js->used = (size_t)(buf.p - js->arena);
	if (js->perf_map)
		fprintf(js->perf_map, "%lx %lx guest_%lx\n",
			(unsigned long)code, (unsigned long)(buf.p - code),
			(unsigned long)b->vpc);
	if (js->dump)
		dump_block(js->dump, b, ins, code, (size_t)(buf.p - code));
	return true;
}

/*
 * Room in the arena for a block and up to BLOCK_CODE_MAX of its code at
 * *code (flushing the cache when full); emit_block moves js->used past
 * the code, arena_drop gives the room back.
 */
static struct jit_block *arena_block(struct jit_state *js, uint8_t **code)
{
	struct jit_block *b;

	if (js->used + sizeof(*b) + BLOCK_CODE_MAX > ARENA_SIZE ||
	    js->nsites >= SITES_SIZE / 2)
		cache_flush(js);
	b = (struct jit_block *)(js->arena + js->used);
	js->used += (sizeof(*b) + 15) & ~(size_t)15;
	*code = js->arena + js->used;
	return b;
}

static void arena_drop(struct jit_state *js, struct jit_block *b)
{
	js->used = (size_t)((uint8_t *)b - js->arena);
}

/*
 * Sets up b for the one instruction at (pc, pa), fetching its second
 * half at *pa2 (0 when compressed); false when that fetch trapped.
 */
static bool one_insn(struct hart *h, struct jit_block *b, struct insn *in,
		     uint64_t pc, uint64_t pa, uint64_t *pa2)
{
	uint32_t raw = ram_u16(h->bus, pa);

	*pa2 = 0;
	if (!insn_is_compressed(raw)) {
		if (exec_fetch_xlate(h, pc + 2, pa2))
			return false;
		raw |= (uint32_t)ram_u16(h->bus, *pa2) << 16;
	}
	decode(raw, in);
	b->gpa = pa;
	b->vpc = pc;
	b->hva = bus_ram_ptr(h->bus, pa, 2);
	b->page = bus_page_index(h->bus, pa);
	b->version = atomic_load(&h->bus->page_version[b->page]);
	b->n = 1;
	b->hash_next = NULL;
	b->unlinked = true;
	return true;
}

/* One instruction in a page that the fetch TLB cannot hold (mixed PMP). */
static struct jit_block *scratch_block(struct hart *h, struct jit_state *js,
				       uint64_t pc, uint64_t pa)
{
	struct jit_block *b = &js->scratch;
	struct insn in;
	uint64_t pa2;

	if (!one_insn(h, b, &in, pc, pa, &pa2) ||
	    !emit_block(js, h, b, &in, js->scratch_code, FIXED_SIZE / 2, false))
		return NULL;
	return b;
}

static bool straddles(struct bus *bus, uint64_t pa)
{
	return (pa & (GUEST_PAGE_SIZE - 1)) == GUEST_PAGE_SIZE - 2 &&
	       !insn_is_compressed(ram_u16(bus, pa));
}

/*
 * The instruction at the last halfword of a page whose second half is
 * in the next: translated once and kept (a boot runs such instructions
 * tens of thousands of times), found again when both halves are where
 * and as they were, for the same data context.
 */
static struct jit_block *straddle_block(struct hart *h, struct jit_state *js,
					uint64_t pc, uint64_t pa)
{
	struct straddle *e = &js->straddle[(pc >> 1) & (STRADDLE_SIZE - 1)];
	struct bus *bus = h->bus;
	struct jit_block *b;
	struct insn in;
	uint64_t pa2;
	uint32_t version2;
	uint8_t *code;

	if (exec_fetch_xlate(h, pc + 2, &pa2))
		return NULL;
	if (e->block && e->vpc == pc && e->block->gpa == pa && e->pa2 == pa2 &&
	    e->block->dtlb == hart_dtlb(h) && block_valid(bus, e->block) &&
	    e->version2 ==
		    atomic_load(&bus->page_version[bus_page_index(bus, pa2)]))
		return e->block;
	b = arena_block(js, &code);
	/* marked first: a store from now on bumps the versions we record */
	mark_code(h, pa);
	mark_code(h, pa2);
	version2 = atomic_load(&bus->page_version[bus_page_index(bus, pa2)]);
	if (!one_insn(h, b, &in, pc, pa, &pa2) ||
	    !emit_block(js, h, b, &in, code, BLOCK_CODE_MAX, false)) {
		arena_drop(js, b);
		return NULL;
	}
	js->used = (js->used + 15) & ~(size_t)15;
	e->vpc = pc;
	e->pa2 = pa2;
	e->version2 = version2;
	e->block = b;
	return b;
}

/*
 * The length to which a block of n decoded instructions at pc is cut so
 * that its forward branches out of it need no more side exits than it
 * has slots: the branch that would need one too many becomes its last
 * instruction (cutting can turn branches into it into branches out of
 * it, hence the loop). Branches to its own instructions need none.
 */
static unsigned fit_exits(const struct insn *ins, unsigned n, uint64_t pc)
{
	for (;;) {
		unsigned out = 0, i;

		for (i = 0; i + 1 < n; i++) {
			if (!insn_is_branch(ins[i].op) ||
			    translate_branch_target(ins, n, pc, i) >= 0)
				continue;
			if (++out == JIT_MAX_EXITS - 1)
				break;
		}
		if (i + 1 >= n)
			return n;
		n = i + 1;
	}
}

static struct jit_block *build_block(struct hart *h, struct jit_state *js,
				     uint64_t pc, uint64_t pa)
{
	struct bus *bus = h->bus;
	uint64_t page = bus_page_index(bus, pa);
	uint64_t page_end = (pa | (GUEST_PAGE_SIZE - 1)) + 1;
	struct insn ins[BLOCK_MAX_INSNS];
	struct jit_block *b;
	uint64_t a = pa;
	unsigned n = 0;
	uint8_t *code;

	b = arena_block(js, &code);
	mark_code(h, pa);
	b->gpa = pa;
	b->vpc = pc;
	b->hva = bus_ram_ptr(bus, pa, 2);
	b->page = page;
	b->version = atomic_load(&bus->page_version[page]);
	b->unlinked = false;
	while (n < BLOCK_MAX_INSNS && a + 2 <= page_end) {
		uint32_t raw = ram_u16(bus, a);

		if (!insn_is_compressed(raw)) {
			if (a + 4 > page_end)
				break;
			raw |= (uint32_t)ram_u16(bus, a + 2) << 16;
		}
		decode(raw, &ins[n]);
		a += ins[n].len;
		/*
		 * Forward conditional branches stay inside (fit_exits); a
		 * backward one (a loop's) ends the block, so that the loop
		 * jumps back without a give-back around it.
		 */
		if (insn_ends_block(ins[n].op) &&
		    (!insn_is_branch(ins[n].op) || ins[n].imm < 0)) {
			n++;
			break;
		}
		n++;
	}
	n = fit_exits(ins, n, pc);
	b->n = n;
	if (n == 0 || !emit_block(js, h, b, ins, code, BLOCK_CODE_MAX, true)) {
		arena_drop(js, b);
		return NULL;
	}
	js->used = (js->used + 15) & ~(size_t)15;
	b->hash_next = js->hash[(pa >> 1) & (HASH_SIZE - 1)];
	js->hash[(pa >> 1) & (HASH_SIZE - 1)] = b;
	js->n_built++;
	return b;
}

static struct jit_block *find_block(struct hart *h, struct jit_state *js,
				    uint64_t pc)
{
	struct jc_entry *e = &js->jc[(pc >> 1) & (JC_SIZE - 1)];
	const struct tlb_entry *t;
	struct jit_block *b, **link;
	uint64_t pa;

	t = &h->itlb[(pc >> GUEST_PAGE_SHIFT) & (TLB_SIZE - 1)];
	if (__builtin_expect(e->vpc == pc && e->gen == js->jc_gen &&
				     e->code_ctx == h->code_ctx &&
				     t->tag == pc >> GUEST_PAGE_SHIFT &&
				     (const uint8_t *)(t->addend + pc) ==
					     e->block->hva &&
				     block_valid(h->bus, e->block),
			     1))
		return e->block;

	if (t->tag == pc >> GUEST_PAGE_SHIFT) {
		pa = (uint64_t)((uint8_t *)(t->addend + pc) - h->bus->ram) +
		     h->bus->ram_base;
	} else {
		if (exec_fetch_xlate(h, pc, &pa))
			return NULL;
		t = &h->itlb[(pc >> GUEST_PAGE_SHIFT) & (TLB_SIZE - 1)];
		if (t->tag != pc >> GUEST_PAGE_SHIFT)
			return scratch_block(h, js, pc, pa);
	}
	if (straddles(h->bus, pa))
		return straddle_block(h, js, pc, pa);
	link = &js->hash[(pa >> 1) & (HASH_SIZE - 1)];
	/*
	 * A chain holds one block per (pa, pc, data context) at most: a
	 * stale one is dropped when its key is looked up again, the only
	 * time it matters (looking at every block's page version on the way
	 * cost a cache miss per block: most of the dispatcher's time in a
	 * boot).
	 */
	while ((b = *link)) {
		if (b->gpa == pa && b->vpc == pc && b->dtlb == hart_dtlb(h)) {
			if (block_valid(h->bus, b))
				break;
			*link = b->hash_next;
			continue;
		}
		link = &b->hash_next;
	}
	if (!b) {
		b = build_block(h, js, pc, pa);
		if (!b)
			return scratch_block(h, js, pc, pa);
	}
	e->vpc = pc;
	e->gen = js->jc_gen;
	e->code_ctx = h->code_ctx;
	e->block = b;
	return b;
}

/*
 * Where a chain from block from enters block to (same page): past the
 * version check when from keeps its page's version, and past irq_check
 * too when the chain goes forward (a loop needs a chain back, which
 * looks at it).
 */
static const uint8_t *chain_target(const struct jit_block *from,
				   const struct jit_block *to)
{
	if (!from->keeps_version)
		return to->code;
	return to->vpc > from->vpc ? to->code_forward : to->code_checked;
}

/* GASANG_JIT_STATS: what the hart's engine did, when it stops */
static void print_stats(const struct hart *h, const struct jit_state *js)
{
	fprintf(stderr,
		"jit: hart %u: %llu instructions, %llu blocks built, "
		"%llu cache flushes, %llu dispatcher entries, %llu chains, "
		"%llu slow accesses, %llu window faults\n",
		(unsigned)h->mhartid, (unsigned long long)h->instret,
		(unsigned long long)js->n_built,
		(unsigned long long)js->n_flush,
		(unsigned long long)js->n_dispatch,
		(unsigned long long)js->n_chained,
		(unsigned long long)h->jit_slow_accesses,
		(unsigned long long)js->n_faults);
	if (h->mmu.win.base)
		fprintf(stderr,
			"jit: hart %u: window: %llu pages mapped, %llu resets, "
			"%llu revalidations dropped %llu pages\n",
			(unsigned)h->mhartid,
			(unsigned long long)h->mmu.win.n_maps,
			(unsigned long long)h->mmu.win.n_resets,
			(unsigned long long)h->mmu.win.n_revalidations,
			(unsigned long long)h->mmu.win.n_dropped);
}

/*
 * The dispatcher: between blocks it does what the interpreter does
 * (interrupts, timers, stop), finds the next block, and chains the exit
 * that led to it when both are in one guest page.
 */
static void jit_run(struct hart *h)
{
	struct jit_state *js = (struct jit_state *)h->engine;
	struct hart_platform *plat = h->platform;
	struct jit_block *chain_from = NULL;
	unsigned chain_slot = 0;
	uint64_t chain_gen = 0;

	running_js = js;
	for (;;) {
		struct exit_status r;
		struct jit_block *b;

		if (__builtin_expect(
			    atomic_load_explicit(&h->irq_check,
						 memory_order_relaxed) ||
				    h->timer_countdown <= 0,
			    0)) {
			atomic_store_explicit(&h->irq_check, 0,
					      memory_order_relaxed);
			if (atomic_load_explicit(&plat->stop,
						 memory_order_relaxed)) {
				if (js->stats)
					print_stats(h, js);
				running_js = NULL;
				return;
			}
			if (h->timer_countdown <= 0) {
				hart_poll_timers(h);
				h->timer_countdown = TIMER_POLL_INSNS;
				hart_window_policy(h);
			}
			if (hart_take_interrupt(h))
				chain_from = NULL;
		}
		b = find_block(h, js, h->pc);
		if (!b) {
			chain_from = NULL;
			continue; /* the fetch trapped */
		}
		if (chain_from && chain_gen == js->flush_gen && !b->unlinked &&
		    (b->vpc >> GUEST_PAGE_SHIFT) ==
			    (chain_from->vpc >> GUEST_PAGE_SHIFT) &&
		    b->page == chain_from->page &&
		    b->dtlb == chain_from->dtlb &&
		    chain_from->exit_field[chain_slot]) {
			js->n_chained++;
			x86_patch(chain_from->exit_field[chain_slot],
				  chain_target(chain_from, b));
		}
		chain_from = NULL;
		if (!b->unlinked) {
			/* find_block found b through the fetch TLB's entry */
			struct jit_fast *f =
				&js->fast[(b->vpc >> 1) & (JIT_FAST_SIZE - 1)];

			f->vpc = b->vpc;
			f->code_ctx = h->code_ctx;
			f->fetch_gen = h->mmu.fetch_gen;
			f->code = b->code;
			f->hva = b->hva;
		}
		js->n_dispatch++;
		h->countdown_mark = h->timer_countdown;
		r = js->enter(h, b->code);
		h->instret +=
			(uint64_t)(h->countdown_mark - h->timer_countdown) -
			(r.status & JIT_EXIT_COUNT_MASK);
		if (r.status & JIT_EXIT_FLUSH) {
			cache_flush(js);
		} else if (r.status & JIT_EXIT_CHAIN) {
			chain_from = r.from;
			chain_slot = JIT_EXIT_SLOT_OF(r.status);
			chain_gen = js->flush_gen;
		}
	}
}

static const struct engine_ops jit_engine_ops = {
	.name = "jit",
	.shared_ram = window_wanted,
	.init = jit_init,
	.destroy = jit_destroy,
	.run = jit_run,
};

const struct engine_ops *jit_engine(const char **why)
{
#if defined(__x86_64__)
	*why = NULL;
	return &jit_engine_ops;
#else
	*why = "the JIT translates to x86-64 only; using the interpreter";
	return NULL;
#endif
}
