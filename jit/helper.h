/*
 * The C functions that translated code calls (jit/translate.c): the slow
 * paths of loads and stores, the instructions that are not translated
 * inline (atomics, FP, CSR and system ones) and the rarer arithmetic.
 * They run the shared semantics of cpu/exec.c, so a trap raised here is
 * the interpreter's trap (same epc, cause and tval).
 *
 * Those taking pc set h->pc to it first: it is the guest address of the
 * instruction, which a trap reports as epc. Those returning int return 0
 * when the instruction retired and 1 when it trapped (the trap is taken:
 * h->pc is the handler).
 */
#ifndef JIT_HELPER_H
#define JIT_HELPER_H

#include <stdint.h>

#include "cpu/hart.h"

/* kind of helper_load: size in bits 0-3, sign-extend bit 4, rd bits 8-12 */
#define HELPER_LOAD_SIGNED 0x10u
#define HELPER_LOAD_RD_SHIFT 8

/* The status word a block returns on exit (see jit/translate.h). */
#define JIT_EXIT_FLUSH (1u << 31) /* drop every translation */

/* A load that missed the inline TLB probe; writes x[rd] itself. */
int helper_load(struct hart *h, uint64_t va, uint32_t kind, uint64_t pc);
/* A store that missed the inline TLB probe. */
int helper_store(struct hart *h, uint64_t va, uint32_t len, uint64_t val,
		 uint64_t pc);
/*
 * AMOs, LR/SC, FP and illegal encodings: the instruction is passed by
 * value as the two halves of its struct insn.
 */
int helper_other(struct hart *h, uint64_t lo, uint64_t hi, uint64_t pc);
/*
 * A system instruction, the last of its block: returns the block's exit
 * status (0, or JIT_EXIT_FLUSH after a FENCE.I that drops code).
 */
uint32_t helper_system(struct hart *h, uint64_t lo, uint64_t hi, uint64_t pc);
/* Integer ops without an inline translation: op(a, b), b = rs2 or imm. */
uint64_t helper_alu(uint64_t a, uint64_t b, uint32_t op);

#endif
