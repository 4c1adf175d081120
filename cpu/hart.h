/*
 * A RISC-V hart: architectural state of one RV64GC hardware thread in
 * M, S and U mode, and the entry points engines use to raise traps.
 *
 * Specs: RISC-V unprivileged ISA 20191213; privileged architecture 1.12.
 * The engines (cpu/interp.c, jit/) execute instructions against this
 * state; traps, CSRs and interrupts live in cpu/trap.c and cpu/csr.c.
 */
#ifndef CPU_HART_H
#define CPU_HART_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "cpu/csr.h"
#include "mem/bus.h"
#include "mem/mmu.h"

struct machine;
struct engine_state;

/* What the platform offers every hart: the clock and the stop request. */
struct hart_platform {
	/* nanoseconds of CLOCK_MONOTONIC at which mtime was 0 */
	int64_t time_origin_ns;
	/*
	 * GASANG_ICOUNT (for measuring, one hart): a hart's clock is its
	 * instruction count, a nanosecond each, plus the time it skipped
	 * in WFI to its next timer, instead of CLOCK_MONOTONIC, so that a
	 * guest runs the same instructions every time.
	 */
	bool icount;
	/* set when the machine must stop; harts leave their run loop */
	_Atomic bool stop;
	unsigned nharts;
};

struct hart {
	/* hot state first: the interpreter touches these on every insn */
	uint64_t x[32];
	uint64_t pc;
	uint64_t f[32]; /* FP registers; single values are NaN-boxed */
	unsigned priv;	/* PRV_U, PRV_S or PRV_M */
	struct tlb_entry
		*dtlb[2];	/* [MMU_READ], [MMU_WRITE] for the data ctx */
	struct tlb_entry *itlb; /* MMU_EXEC for the fetch ctx */
	/*
	 * itlb | the data ctx (mmu_ctx): what translated code depends on
	 * (its fetch permission, and the data tables its accesses probe at
	 * fixed offsets from the hart), the JIT's key for it
	 */
	uintptr_t code_ctx;
	/* instret when satp was last written (the window's policy) */
	uint64_t satp_instret;
	/* the window goes to use at once (GASANG_JIT_WINDOW=eager) */
	bool window_eager;
	/* the window owner's short turns in a row (cpu/hart.c) */
	unsigned window_short;
	/* a read and a write entry no page hits, for the JIT */
	struct tlb_entry never_hit[2];

	uint64_t instret; /* retired instructions (also the cycle count) */
	int64_t idle_ns;  /* hart_platform.icount: time skipped in WFI */
	/* the JIT's loads and stores that left the inline TLB path */
	uint64_t jit_slow_accesses;
	/* other threads set this to make the engine look at interrupts, stop */
	_Atomic uint32_t irq_check;
	/* instructions until the engine next polls the timers */
	int64_t timer_countdown;
	/*
	 * The JIT charges blocks to timer_countdown only: instret lags by
	 * countdown_mark - timer_countdown until the engine folds it in.
	 */
	int64_t countdown_mark;

	/* FP */
	uint8_t fflags;
	uint8_t frm;

	/* LR/SC reservation: address, size and the value LR read */
	bool resv_valid;
	unsigned resv_len;
	uint64_t resv_addr;
	uint64_t resv_value;

	/* CSRs */
	uint64_t mhartid;
	uint64_t mstatus;
	uint64_t medeleg, mideleg;
	uint64_t mie;
	_Atomic uint64_t mip; /* bits set by devices from other threads */
	uint64_t mtvec, stvec;
	uint64_t mepc, sepc;
	uint64_t mcause, scause;
	uint64_t mtval, stval;
	uint64_t mscratch, sscratch;
	uint64_t menvcfg, senvcfg;
	uint32_t mcounteren, scounteren;
	int64_t cycle_offset; /* mcycle = instret + cycle_offset */
	uint64_t stimecmp;
	uint64_t mtimecmp; /* the CLINT's compare register for this hart */

	struct mmu mmu;
	struct bus *bus;
	struct hart_platform *platform;
	struct engine_state *engine;

	/* WFI parking */
	pthread_mutex_t wait_lock;
	pthread_cond_t wait_cond;
};

/* mtvec/stvec MODE */
#define TVEC_MODE_MASK 3ull
#define TVEC_VECTORED 1ull

int hart_init(struct hart *h, struct bus *bus, struct hart_platform *plat,
	      uint64_t hartid);
void hart_destroy(struct hart *h);
/* Reset state: M-mode, pc = entry, mstatus as at power-on. */
void hart_reset(struct hart *h, uint64_t entry);

/*
 * Takes exception cause with trap value tval at the instruction at h->pc:
 * picks M or S by medeleg, saves epc/cause/tval/status, jumps to tvec.
 */
void hart_raise(struct hart *h, uint64_t cause, uint64_t tval);

/*
 * If an interrupt is pending and enabled for the current privilege, takes
 * it (h->pc is the interrupted instruction) and returns true.
 */
bool hart_take_interrupt(struct hart *h);

/* The interrupts that are pending, enabled and would be taken now. */
uint64_t hart_pending_interrupts(struct hart *h);

/* Sets or clears bits in mip from any thread; wakes the hart. */
void hart_set_mip(struct hart *h, uint64_t mask, bool level);

/* Makes the hart leave its inner loop soon and wakes it from WFI. */
void hart_kick(struct hart *h);

/*
 * Compares mtime with mtimecmp and stimecmp and updates MTIP and STIP
 * (under Sstc). Returns the ns until the next deadline (INT64_MAX if none).
 */
int64_t hart_poll_timers(struct hart *h);

/* Parks the thread until an interrupt is pending (WFI) or a stop. */
void hart_wait_for_interrupt(struct hart *h);

/*
 * Recomputes dtlb/itlb after a change of priv, MPRV, MPP or SUM (or of
 * the window's use).
 */
void hart_update_mmu_ctx(struct hart *h);

/* code_ctx has it when user-mode data accesses may use the window */
#define CODE_CTX_WINDOW 4u

/* A CSR write to satp of a valid value (the window's policy too). */
void hart_set_satp(struct hart *h, uint64_t satp);
/*
 * Puts the window to use for the current address space when it has run
 * long and missed the TLB often enough; the JIT calls this now and then.
 */
void hart_window_policy(struct hart *h);

/* Sets mstatus.FS to dirty (an FP register or fcsr was written). */
static inline void hart_fs_dirty(struct hart *h)
{
	h->mstatus |= MSTATUS_FS | MSTATUS_SD;
}

static inline bool hart_fs_off(const struct hart *h)
{
	return (h->mstatus & MSTATUS_FS) == 0;
}

/* The effective privilege of loads and stores (MPRV applied). */
static inline unsigned hart_data_priv(const struct hart *h)
{
	if (h->priv == PRV_M && (h->mstatus & MSTATUS_MPRV))
		return (h->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
	return h->priv;
}

#endif
