/*
 * Instruction semantics shared by the interpreter (cpu/interp.c) and the
 * JIT (jit/): memory access paths, atomics, system instructions, FP
 * entry, and the arithmetic of the M, Zba and Zbb extensions (RISC-V
 * unprivileged spec 20191213, chapters 2, 7, 8; bitmanip 1.0.0).
 *
 * Functions returning int return 0, or -1 after raising a trap with the
 * faulting instruction's address taken from h->pc (the caller sets it).
 */
#ifndef CPU_EXEC_H
#define CPU_EXEC_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cpu/decode.h"
#include "cpu/hart.h"

/* Loads and stores of len bytes at va (any alignment) by the slow path. */
int exec_load_slow(struct hart *h, uint64_t va, unsigned len, uint64_t *val);
int exec_store_slow(struct hart *h, uint64_t va, unsigned len, uint64_t val);

/* Raises illegal-instruction for in at h->pc. */
void exec_illegal(struct hart *h, const struct insn *in);

/*
 * Executes a system instruction (the last of its block) at h->pc: sets
 * h->pc to the next instruction, or raises its trap and returns -1. Sets
 * *flush_code when the engine must drop its decoded code (FENCE.I with
 * several harts).
 */
int exec_system(struct hart *h, const struct insn *in, bool *flush_code);

/* Translates the fetch address va; raises the fetch fault on failure. */
int exec_fetch_xlate(struct hart *h, uint64_t va, uint64_t *pa);

/* AMOs, LR/SC, FP loads/stores and FP arithmetic. */
int exec_other(struct hart *h, const struct insn *in);

static inline bool exec_tlb_hit(const struct tlb_entry *e, uint64_t va,
				unsigned len)
{
	return e->tag == (va >> GUEST_PAGE_SHIFT) &&
	       (va & (GUEST_PAGE_SIZE - 1)) <= GUEST_PAGE_SIZE - len;
}

static inline int exec_load(struct hart *h, uint64_t va, unsigned len,
			    uint64_t *val)
{
	const struct tlb_entry *e = tlb_data_entry(h->dtlb[MMU_READ], va);

	if (__builtin_expect(exec_tlb_hit(e, va, len), 1)) {
		const void *p = (const void *)(e->addend + va);

		switch (len) {
		case 1: *val = *(const uint8_t *)p; break;
		case 2: {
			uint16_t t;
			memcpy(&t, p, 2);
			*val = t;
			break;
		}
		case 4: {
			uint32_t t;
			memcpy(&t, p, 4);
			*val = t;
			break;
		}
		default: memcpy(val, p, 8); break;
		}
		return 0;
	}
	return exec_load_slow(h, va, len, val);
}

static inline int exec_store(struct hart *h, uint64_t va, unsigned len,
			     uint64_t val)
{
	const struct tlb_entry *e = tlb_data_entry(h->dtlb[MMU_WRITE], va);

	if (__builtin_expect(exec_tlb_hit(e, va, len), 1)) {
		uint8_t *p = (uint8_t *)(e->addend + va);
		struct bus *bus = h->bus;
		uint64_t pg = (uint64_t)(p - bus->ram) >> GUEST_PAGE_SHIFT;

		memcpy(p, &val, len);
		if (__builtin_expect(atomic_load_explicit(&bus->page_flags[pg],
							  memory_order_relaxed),
				     0))
			bus_notify_write(
				bus, bus->ram_base + (uint64_t)(p - bus->ram),
				len);
		return 0;
	}
	return exec_store_slow(h, va, len, val);
}

/* Ops whose only effect is writing rd: with rd = x0 they do nothing. */
static inline bool exec_only_writes_rd(enum insn_op op)
{
	return op == OP_LUI || op == OP_AUIPC ||
	       (op >= OP_ADDI && op <= OP_SRAW) ||
	       (op >= OP_MUL && op <= OP_REMUW) ||
	       (op >= OP_ADD_UW && op <= OP_CZERO_NEZ);
}

static inline uint64_t exec_sext32(uint64_t v)
{
	return (uint64_t)(int64_t)(int32_t)v;
}

static inline uint64_t exec_mulhu64(uint64_t a, uint64_t b)
{
	return (uint64_t)(((unsigned __int128)a * b) >> 64);
}

static inline uint64_t exec_mulh64(int64_t a, int64_t b)
{
	return (uint64_t)(((__int128)a * b) >> 64);
}

static inline uint64_t exec_mulhsu64(int64_t a, uint64_t b)
{
	return (uint64_t)(((__int128)a * (__int128)(unsigned __int128)b) >> 64);
}

static inline uint64_t exec_rol64(uint64_t v, unsigned s)
{
	s &= 63;
	return s ? (v << s) | (v >> (64 - s)) : v;
}

static inline uint32_t exec_rol32(uint32_t v, unsigned s)
{
	s &= 31;
	return s ? (v << s) | (v >> (32 - s)) : v;
}

static inline uint64_t exec_orc_b(uint64_t v)
{
	uint64_t r = 0;

	for (int i = 0; i < 8; i++)
		if ((v >> (8 * i)) & 0xff)
			r |= 0xffull << (8 * i);
	return r;
}

static inline uint64_t exec_div64(uint64_t a, uint64_t b)
{
	if (b == 0)
		return ~0ull;
	if ((int64_t)a == INT64_MIN && (int64_t)b == -1)
		return a;
	return (uint64_t)((int64_t)a / (int64_t)b);
}

static inline uint64_t exec_rem64(uint64_t a, uint64_t b)
{
	if (b == 0)
		return a;
	if ((int64_t)a == INT64_MIN && (int64_t)b == -1)
		return 0;
	return (uint64_t)((int64_t)a % (int64_t)b);
}

static inline uint64_t exec_divw(uint64_t a64, uint64_t b64)
{
	int32_t a = (int32_t)a64, b = (int32_t)b64;

	if (b == 0)
		return ~0ull;
	if (a == INT32_MIN && b == -1)
		return exec_sext32((uint32_t)a);
	return (uint64_t)(int64_t)(a / b);
}

static inline uint64_t exec_remw(uint64_t a64, uint64_t b64)
{
	int32_t a = (int32_t)a64, b = (int32_t)b64;

	if (b == 0)
		return exec_sext32((uint32_t)a);
	if (a == INT32_MIN && b == -1)
		return 0;
	return (uint64_t)(int64_t)(a % b);
}

#endif
