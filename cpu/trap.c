/*
 * Trap entry and interrupt selection (privileged spec 1.12: 3.1.6
 * mstatus, 3.1.8 medeleg/mideleg, 3.1.9 mip/mie priority, 3.3.1 ECALL and
 * EBREAK, 4.1.1 sstatus).
 *
 * A trap from privilege p goes to S-mode when p <= S and the cause is
 * delegated in medeleg (mideleg for interrupts); otherwise to M-mode.
 * Traps never go to a lower privilege. Vectored mode applies to
 * interrupts only: pc = base + 4 * cause.
 */
#include "cpu/hart.h"

static uint64_t tvec_target(uint64_t tvec, uint64_t cause)
{
	uint64_t base = tvec & ~TVEC_MODE_MASK;

	if ((cause & CAUSE_INTERRUPT) &&
	    (tvec & TVEC_MODE_MASK) == TVEC_VECTORED)
		return base + 4 * (cause & ~CAUSE_INTERRUPT);
	return base;
}

void hart_raise(struct hart *h, uint64_t cause, uint64_t tval)
{
	uint64_t code = cause & ~CAUSE_INTERRUPT;
	uint64_t deleg = (cause & CAUSE_INTERRUPT) ? h->mideleg : h->medeleg;
	uint64_t s = h->mstatus;

	if (h->priv <= PRV_S && code < 64 && ((deleg >> code) & 1)) {
		h->scause = cause;
		h->sepc = h->pc;
		h->stval = tval;
		s &= ~(MSTATUS_SPP | MSTATUS_SPIE);
		if (h->priv == PRV_S)
			s |= MSTATUS_SPP;
		if (s & MSTATUS_SIE)
			s |= MSTATUS_SPIE;
		s &= ~MSTATUS_SIE;
		h->priv = PRV_S;
		h->pc = tvec_target(h->stvec, cause);
	} else {
		h->mcause = cause;
		h->mepc = h->pc;
		h->mtval = tval;
		s &= ~(MSTATUS_MPP | MSTATUS_MPIE);
		s |= (uint64_t)h->priv << MSTATUS_MPP_SHIFT;
		if (s & MSTATUS_MIE)
			s |= MSTATUS_MPIE;
		s &= ~MSTATUS_MIE;
		h->priv = PRV_M;
		h->pc = tvec_target(h->mtvec, cause);
	}
	h->mstatus = s;
	hart_update_mmu_ctx(h);
	atomic_store_explicit(&h->irq_check, 1, memory_order_relaxed);
}

uint64_t hart_pending_interrupts(struct hart *h)
{
	uint64_t pending = atomic_load(&h->mip) & h->mie;
	uint64_t m_level = pending & ~h->mideleg;
	uint64_t s_level = pending & h->mideleg;
	uint64_t take = 0;

	if (!pending)
		return 0;
	if (h->priv < PRV_M || (h->mstatus & MSTATUS_MIE))
		take |= m_level;
	if (h->priv < PRV_S || (h->priv == PRV_S && (h->mstatus & MSTATUS_SIE)))
		take |= s_level;
	return take;
}

bool hart_take_interrupt(struct hart *h)
{
	/* priority order of priv 3.1.9: MEI, MSI, MTI, SEI, SSI, STI */
	static const unsigned order[] = { IRQ_M_EXT, IRQ_M_SOFT, IRQ_M_TIMER,
					  IRQ_S_EXT, IRQ_S_SOFT, IRQ_S_TIMER };
	uint64_t take = hart_pending_interrupts(h);
	/* interrupts for M-mode are serviced before those for S-mode */
	uint64_t by_target[2] = { take & ~h->mideleg, take & h->mideleg };

	if (!take)
		return false;
	for (unsigned t = 0; t < 2; t++)
		for (unsigned i = 0; i < sizeof(order) / sizeof(order[0]); i++)
			if (by_target[t] & (1ull << order[i])) {
				hart_raise(h, CAUSE_INTERRUPT | order[i], 0);
				return true;
			}
	return false;
}
