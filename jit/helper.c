/*
 * Out-of-line parts of translated code (see jit/helper.h): each is the
 * interpreter's semantics from cpu/exec.c, entered with the guest pc of
 * the instruction so that traps report it.
 */
#include <string.h>

#include "cpu/exec.h"
#include "jit/helper.h"

static void insn_unpack(struct insn *in, uint64_t lo, uint64_t hi)
{
	_Static_assert(sizeof(*in) == 16, "struct insn fits two registers");
	memcpy(in, &lo, 8);
	memcpy((uint8_t *)in + 8, &hi, 8);
}

int helper_load(struct hart *h, uint64_t va, uint32_t kind, uint64_t pc)
{
	unsigned len = kind & 0xf;
	unsigned rd = (kind >> HELPER_LOAD_RD_SHIFT) & 31;
	uint64_t v;

	h->pc = pc;
	h->jit_slow_accesses++;
	if (exec_load_slow(h, va, len, &v))
		return 1;
	if (kind & HELPER_LOAD_SIGNED) {
		unsigned sh = 64 - 8 * len;

		v = (uint64_t)((int64_t)(v << sh) >> sh);
	}
	if (rd)
		h->x[rd] = v;
	return 0;
}

int helper_store(struct hart *h, uint64_t va, uint32_t len, uint64_t val,
		 uint64_t pc)
{
	h->pc = pc;
	h->jit_slow_accesses++;
	return exec_store_slow(h, va, len, val) ? 1 : 0;
}

int helper_other(struct hart *h, uint64_t lo, uint64_t hi, uint64_t pc)
{
	struct insn in;
	int r;

	insn_unpack(&in, lo, hi);
	h->pc = pc;
	if (in.op == OP_ILLEGAL) {
		exec_illegal(h, &in);
		return 1;
	}
	r = exec_other(h, &in);
	h->x[0] = 0;
	return r ? 1 : 0;
}

/*
 * As the interpreter does, the instruction is out of instret while it
 * runs, so that a CSR read of instret sees only earlier instructions.
 */
uint32_t helper_system(struct hart *h, uint64_t lo, uint64_t hi, uint64_t pc)
{
	struct insn in;
	bool flush;

	insn_unpack(&in, lo, hi);
	h->pc = pc;
	/* the block's charge to the countdown, into instret (hart.h) */
	h->instret += (uint64_t)(h->countdown_mark - h->timer_countdown);
	h->countdown_mark = h->timer_countdown;
	h->instret--;
	if (exec_system(h, &in, &flush) == 0)
		h->instret++;
	h->x[0] = 0;
	return flush ? JIT_EXIT_FLUSH : 0;
}

uint64_t helper_alu(uint64_t a, uint64_t b, uint32_t op)
{
	switch (op) {
	case OP_MULHSU: return exec_mulhsu64((int64_t)a, b);
	case OP_DIV: return exec_div64(a, b);
	case OP_DIVU: return b ? a / b : ~0ull;
	case OP_REM: return exec_rem64(a, b);
	case OP_REMU: return b ? a % b : a;
	case OP_DIVW: return exec_divw(a, b);
	case OP_DIVUW:
		return (uint32_t)b ? exec_sext32((uint32_t)a / (uint32_t)b)
				   : ~0ull;
	case OP_REMW: return exec_remw(a, b);
	case OP_REMUW:
		return (uint32_t)b ? exec_sext32((uint32_t)a % (uint32_t)b)
				   : exec_sext32(a);
	case OP_CLZ: return a ? (uint64_t)__builtin_clzll(a) : 64;
	case OP_CLZW:
		return (uint32_t)a ? (uint64_t)__builtin_clz((uint32_t)a) : 32;
	case OP_CTZ: return a ? (uint64_t)__builtin_ctzll(a) : 64;
	case OP_CTZW:
		return (uint32_t)a ? (uint64_t)__builtin_ctz((uint32_t)a) : 32;
	case OP_CPOP: return (uint64_t)__builtin_popcountll(a);
	case OP_CPOPW: return (uint64_t)__builtin_popcount((uint32_t)a);
	case OP_ORC_B: return exec_orc_b(a);
	default: return 0;
	}
}
