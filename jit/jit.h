/*
 * The JIT engine: translates RISC-V guest code to x86-64 host code
 * (DESIGN.md, "Engines and correctness"). The interpreter stays the
 * reference; both run behind struct engine_ops (cpu/engine.h).
 */
#ifndef JIT_JIT_H
#define JIT_JIT_H

#include "cpu/engine.h"

/*
 * The JIT's ops on this host, or NULL with *why set to a one-line reason
 * when it cannot run here (a host that is not x86-64).
 */
const struct engine_ops *jit_engine(const char **why);

#endif
