/*
 * RISC-V to x86-64 translation of one block (decoded by the shared
 * decoder, cpu/decode.h) into host code: guest code from one pc to a
 * jump, system instruction, backward branch or the end of its page,
 * whose forward conditional branches jump, when taken, to their target
 * in the block or else leave by side exits (jit/jit.c chooses where a
 * block ends).
 *
 * Translated code runs with rbx = the struct hart. The most used guest
 * registers (a0-a7, s2) and the timer countdown live in fixed host
 * registers while translated code runs, chained blocks included:
 * translate_regs_in loads them from the hart on entry from C,
 * translate_regs_out stores them back on the way out; the other guest
 * registers stay in h->x (a block that names some of them much more
 * often than some of the nine swaps them in between its entry and its
 * exits, translate.c choose_map); h->pc is written when code leaves for
 * C. It is entered through the trampoline of jit/jit.c and leaves by
 * jumping to its exit stub with a status in eax: the number of the
 * block's instructions that did not retire (a trap), JIT_EXIT_FLUSH, and
 * for exits that may be chained
 * JIT_EXIT_CHAIN with the exit's slot (JIT_EXIT_SLOT) and the block in rdx.
 * h->pc is always the next guest pc at the exit.
 *
 * At its entry a block looks at its page's version and at irq_check,
 * charges its instructions to the timer countdown, and leaves at once
 * (the charge given back in its status) if any calls for the dispatcher;
 * so chained blocks take interrupts, stop requests and code invalidation
 * as promptly as the dispatcher does. A chain from a block that keeps its
 * page's version enters past the version check: both blocks are in one
 * page, whose version the source has checked and not changed since; when
 * it also goes forward (to a higher pc) it enters past irq_check too: a
 * loop of chains needs one back, which looks. A block keeps its version
 * unless it stores through a helper (AMO, FP, CSR); after a store that
 * writes a page with code (never inline: the write TLB does not map such
 * pages) the block runs on as translated (as the interpreter's does) and
 * sets the countdown far below zero, so that the next entry leaves for
 * the dispatcher. Another hart's or a device's write to code is ordered by
 * FENCE.I, which leaves through the dispatcher.
 */
#ifndef JIT_TRANSLATE_H
#define JIT_TRANSLATE_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/decode.h"
#include "jit/x86.h"

/* the most instructions a block has */
#define BLOCK_MAX_INSNS 64

#define JIT_EXIT_CHAIN (1u << 30)
/* the chainable exit's slot: 0 and 1 end the block, others leave early */
#define JIT_EXIT_SLOT(s) ((uint32_t)(s) << 16)
#define JIT_EXIT_SLOT_OF(status) (((status) >> 16) & 0xfu)
#define JIT_MAX_EXITS 8
#define JIT_EXIT_COUNT_MASK 0xffffu

/* A translated block: guest code at (vpc, gpa) in one page. */
struct jit_block {
	uint64_t gpa;
	uint64_t vpc;
	const uint8_t *hva; /* host address of gpa */
	uint64_t page;	    /* bus page index of gpa */
	uint32_t version;   /* page_version[page] when translated */
	int32_t dtlb;	    /* translate_env.dtlb: its data context */
	uint32_t n;
	struct jit_block *hash_next;
	const uint8_t *code;
	/* code past the page-version check, for chains from keeps_version */
	const uint8_t *code_checked;
	/* code past irq_check too, for such chains that go forward */
	const uint8_t *code_forward;
	/* when it chains, its page's version is the one its entry checked */
	bool keeps_version;
	/* entered only by the dispatcher, which checks more than its page */
	bool unlinked;
	/* bytes of its code before the out-of-line stubs */
	uint32_t inline_len;
	/* the rel32 fields of the chainable exits, or NULL */
	uint8_t *exit_field[JIT_MAX_EXITS];
};

/*
 * The jump table that indirect jumps and exits to other pages look up
 * inline: a hit needs the target's pc, the contexts (h->code_ctx) and
 * the mmu's fetch_gen that the entry was last confirmed under, so a
 * change of privilege or of any fetch translation the fetch TLB held
 * makes it look again; the target's own entry checks its page version.
 * After a change of fetch_gen (every address-space switch) the entry is
 * confirmed again out of line (translate_revalidate) when the fetch TLB
 * still maps the pc to the host address hva of its block, so that a
 * flush costs one dispatcher visit per page the TLB refills, not one per
 * jump target. The dispatcher fills it; a cache flush clears it.
 */
#define JIT_FAST_BITS 14
#define JIT_FAST_SIZE (1u << JIT_FAST_BITS)

struct jit_fast {
	uint64_t vpc;
	uintptr_t code_ctx; /* hart.code_ctx */
	uint64_t fetch_gen;
	const uint8_t *code;
	const uint8_t *hva;
	uint64_t pad[3];
};

struct translate_env {
	const uint8_t *exit; /* the common exit stub */
	/* the shared slow paths of loads and stores (translate_slow_path) */
	const uint8_t *slow_load, *slow_store;
	const uint8_t *lookup_miss;	 /* translate_lookup_miss */
	const uint8_t *revalidate;	 /* translate_revalidate */
	struct jit_fast *fast;		 /* the hart's jump table */
	const _Atomic uint32_t *version; /* &page_version[b->page] */
	/*
	 * From the hart to the read table of the data context the block is
	 * translated for (hart.dtlb[MMU_READ]): its accesses probe there.
	 */
	int32_t dtlb;
	bool chainable; /* b may have chained exits */
	bool bmi2;	/* the host has BMI2 (shlx...) */
	/* how many more namings of a register kept in h->x than of one
	 * in a host register make a block swap them (JIT_SWAP_GAIN) */
	unsigned swap_gain;
	/*
	 * The block's user-mode accesses go through the window (mem/
	 * window.h): the host address is window.code_base + the guest
	 * address when that is below WINDOW_BYTES, and a host fault on the
	 * access instruction is sent to its slow path: site is told of each
	 * such instruction and of the stub to resume at instead.
	 */
	bool window;
	void (*site)(void *ctx, const uint8_t *insn, const uint8_t *stub);
	void *site_ctx;
};

/* found best (bench/boot.sh, the 7-Zip job of docs/benchmarks.md) */
#define JIT_SWAP_GAIN 10

/*
 * Emits the code of block b (its n instructions in ins) into buf and sets
 * b->code, b->code_checked, b->code_forward, b->keeps_version and
 * b->exit_field. Returns
 * false when buf overflowed.
 */
/* Emits the loads (entry from C) or stores (exit to C) of those. */
void translate_regs_in(struct x86_buf *b);
void translate_regs_out(struct x86_buf *b);

/*
 * Emits the shared slow path of loads (store false) or stores, called
 * from a block's miss stub with the helper's arguments but the hart in
 * place (helper_load: rsi, edx, rcx; helper_store: rsi, edx, rcx, and
 * its pc in rax): spills the guest registers in caller-saved host
 * registers, calls the helper and reloads them; returns its status.
 */
void translate_slow_path(struct x86_buf *b, bool store);

/*
 * Emits the shared path of a jump-table miss (rax = the target pc): sets
 * h->pc and leaves by exit for the dispatcher.
 */
void translate_lookup_miss(struct x86_buf *b, const uint8_t *exit);

/*
 * Emits the shared out-of-line check of a jump-table entry whose
 * fetch_gen is old (rax = the target pc, rsi = the entry): when the
 * fetch TLB maps the pc to the entry's hva, it brings fetch_gen up to
 * date and jumps to the code; else it goes to miss
 * (translate_lookup_miss).
 */
void translate_revalidate(struct x86_buf *b, const uint8_t *miss);

/*
 * The index of the instruction that ins[i], a conditional branch, jumps
 * to when it is a later one of the block ins[0..n) at vpc; else -1 (such
 * a branch leaves the block by a side exit when taken).
 */
int translate_branch_target(const struct insn *ins, unsigned n, uint64_t vpc,
			    unsigned i);

bool translate_block(struct x86_buf *buf, struct jit_block *b,
		     const struct insn *ins, const struct translate_env *env);

#endif
