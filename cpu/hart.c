/*
 * Hart life cycle: reset state (privileged spec 1.12, 3.4 "Reset"), the
 * timers a hart compares against mtime (CLINT mtimecmp and Sstc
 * stimecmp), and parking the host thread in WFI.
 */
#include "cpu/hart.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "cpu/fpu.h"

static int cond_init_monotonic(pthread_cond_t *cond)
{
	pthread_condattr_t attr;
	int err;

	if (pthread_condattr_init(&attr))
		return -1;
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	err = pthread_cond_init(cond, &attr);
	pthread_condattr_destroy(&attr);
	return err ? -1 : 0;
}

int hart_init(struct hart *h, struct bus *bus, struct hart_platform *plat,
	      uint64_t hartid)
{
	memset(h, 0, sizeof(*h));
	h->bus = bus;
	h->platform = plat;
	h->mhartid = hartid;
	h->never_hit[0].tag = h->never_hit[1].tag = TLB_INVALID;
	if (mmu_init(&h->mmu, bus))
		return -ENOMEM;
	if (pthread_mutex_init(&h->wait_lock, NULL)) {
		mmu_destroy(&h->mmu);
		return -ENOMEM;
	}
	if (cond_init_monotonic(&h->wait_cond)) {
		pthread_mutex_destroy(&h->wait_lock);
		mmu_destroy(&h->mmu);
		return -ENOMEM;
	}
	hart_reset(h, 0);
	return 0;
}

void hart_destroy(struct hart *h)
{
	pthread_cond_destroy(&h->wait_cond);
	pthread_mutex_destroy(&h->wait_lock);
	mmu_destroy(&h->mmu);
}

void hart_reset(struct hart *h, uint64_t entry)
{
	memset(h->x, 0, sizeof(h->x));
	memset(h->f, 0, sizeof(h->f));
	h->pc = entry;
	h->priv = PRV_M;
	/* UXL = SXL = 2: XLEN is 64 in every mode and cannot change */
	h->mstatus = (2ull << 32) | (2ull << 34);
	h->medeleg = h->mideleg = 0;
	h->mie = 0;
	atomic_store(&h->mip, 0);
	h->mtvec = h->stvec = 0;
	h->mepc = h->sepc = 0;
	h->mcause = h->scause = 0;
	h->mtval = h->stval = 0;
	h->mscratch = h->sscratch = 0;
	h->menvcfg = h->senvcfg = 0;
	h->mcounteren = h->scounteren = 0;
	h->instret = 0;
	h->cycle_offset = 0;
	h->stimecmp = ~0ull;
	h->mtimecmp = ~0ull;
	h->fflags = 0;
	h->frm = 0;
	h->resv_valid = false;
	pmp_reset(&h->mmu.pmp);
	mmu_window_drop(&h->mmu);
	mmu_set_satp(&h->mmu, 0);
	h->satp_instret = 0;
	h->window_short = 0;
	mmu_set_mxr(&h->mmu, false);
	mmu_flush(&h->mmu);
	h->timer_countdown = 0;
	atomic_store(&h->irq_check, 1);
	hart_update_mmu_ctx(h);
}

void hart_update_mmu_ctx(struct hart *h)
{
	unsigned dctx =
		mmu_ctx(hart_data_priv(h), (h->mstatus & MSTATUS_SUM) != 0);
	unsigned ictx = mmu_ctx(h->priv, false);

	h->dtlb[MMU_READ] = mmu_tlb_table(&h->mmu, dctx, MMU_READ);
	h->dtlb[MMU_WRITE] = mmu_tlb_table(&h->mmu, dctx, MMU_WRITE);
	h->itlb = mmu_tlb_table(&h->mmu, ictx, MMU_EXEC);
	_Static_assert(TLB_NCTX <= 4 && _Alignof(struct tlb_entry) >= 8,
		       "the data ctx and CODE_CTX_WINDOW fit in the low bits "
		       "of itlb");
	h->code_ctx =
		(uintptr_t)h->itlb | dctx |
		(dctx == TLB_CTX_U && h->mmu.win_active ? CODE_CTX_WINDOW : 0);
}

/*
 * The window pays off for a process that runs long between switches and
 * misses the TLB: each page costs about 15 us to map (a host fault and an
 * mmap), each return to the owner a revalidation (a walk per page), so a
 * shell's short commands and processes that take turns quickly stay with
 * the TLB. An owner whose last WINDOW_SHORT_TURNS turns were each shorter
 * than WINDOW_MIN_RUN loses the window at its switch (emptying it costs
 * about 3 us a page, filling it again 15: one short turn, a process
 * waiting for I/O once, is cheaper to revalidate after); another process
 * gets it after running that long at a stretch with WINDOW_MIN_FILLS
 * user-mode TLB fills.
 */
#define WINDOW_MIN_RUN 50000000ull
#define WINDOW_MIN_FILLS 1024u
#define WINDOW_SHORT_TURNS 4u

void hart_set_satp(struct hart *h, uint64_t satp)
{
	struct mmu *m = &h->mmu;

	if (m->win_active && satp != m->win_owner) {
		if (h->instret - h->satp_instret >= WINDOW_MIN_RUN)
			h->window_short = 0;
		else if (++h->window_short >= WINDOW_SHORT_TURNS)
			mmu_window_drop(m);
	}
	mmu_set_satp(m, satp);
	h->satp_instret = h->instret;
	hart_update_mmu_ctx(h);
	/* code translated for the window's use, or not, leaves chains */
	atomic_store(&h->irq_check, 1);
	hart_window_policy(h);
}

void hart_window_policy(struct hart *h)
{
	struct mmu *m = &h->mmu;

	if (!m->win.base || m->win_active ||
	    (m->satp >> SATP_MODE_SHIFT) == SATP_MODE_BARE)
		return;
	if (!h->window_eager && (m->win_fills < WINDOW_MIN_FILLS ||
				 h->instret - h->satp_instret < WINDOW_MIN_RUN))
		return;
	mmu_window_take(m);
	h->window_short = 0;
	hart_update_mmu_ctx(h);
	atomic_store(&h->irq_check, 1);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* mtime runs at 10 MHz: one tick is 100 ns. */
#define NS_PER_TICK 100

/* The hart's clock: CLOCK_MONOTONIC, or its own (hart_platform.icount). */
static int64_t hart_ns(const struct hart *h)
{
	if (h->platform->icount)
		return (int64_t)h->instret + h->idle_ns;
	return now_ns();
}

uint64_t csr_time(const struct hart *h)
{
	return (uint64_t)(hart_ns(h) -
			  __atomic_load_n(&h->platform->time_origin_ns,
					  __ATOMIC_ACQUIRE)) /
	       NS_PER_TICK;
}

void hart_kick(struct hart *h)
{
	atomic_store(&h->irq_check, 1);
	pthread_mutex_lock(&h->wait_lock);
	pthread_cond_signal(&h->wait_cond);
	pthread_mutex_unlock(&h->wait_lock);
}

void hart_set_mip(struct hart *h, uint64_t mask, bool level)
{
	uint64_t old;

	if (level)
		old = atomic_fetch_or(&h->mip, mask);
	else
		old = atomic_fetch_and(&h->mip, ~mask);
	if (((old & mask) != 0) != level || (level && (old & mask) != mask))
		hart_kick(h);
}

static int64_t ticks_until(uint64_t now, uint64_t cmp)
{
	uint64_t d = cmp - now;

	if (d > (uint64_t)(INT64_MAX / NS_PER_TICK))
		return INT64_MAX;
	return (int64_t)d * NS_PER_TICK;
}

/* The hart's own update of a timer bit: no wake-up needed. */
static void mip_update(struct hart *h, uint64_t mask, bool level)
{
	if (level)
		atomic_fetch_or(&h->mip, mask);
	else
		atomic_fetch_and(&h->mip, ~mask);
}

int64_t hart_poll_timers(struct hart *h)
{
	uint64_t now = csr_time(h);
	uint64_t mip = atomic_load(&h->mip);
	int64_t next = INT64_MAX;
	bool mtip = now >= h->mtimecmp;

	if (mtip != ((mip & MIP_MTIP) != 0))
		mip_update(h, MIP_MTIP, mtip);
	if (!mtip)
		next = ticks_until(now, h->mtimecmp);
	if (h->menvcfg & MENVCFG_STCE) {
		bool stip = now >= h->stimecmp;

		if (stip != ((mip & MIP_STIP) != 0))
			mip_update(h, MIP_STIP, stip);
		if (!stip) {
			int64_t d = ticks_until(now, h->stimecmp);

			if (d < next)
				next = d;
		}
	}
	return next;
}

void hart_wait_for_interrupt(struct hart *h)
{
	pthread_mutex_lock(&h->wait_lock);
	for (;;) {
		int64_t next = hart_poll_timers(h);
		struct timespec ts;
		int64_t deadline;

		/* WFI resumes on any locally enabled pending interrupt, even
		 * when the global enable bits would not take it (priv 3.3.3). */
		if ((atomic_load(&h->mip) & h->mie) != 0 ||
		    atomic_load(&h->platform->stop))
			break;
		if (h->platform->icount && next != INT64_MAX) {
			h->idle_ns += next;
			continue;
		}
		if (next == INT64_MAX)
			next = 1000000000;
		deadline = now_ns() + next;
		ts.tv_sec = deadline / 1000000000;
		ts.tv_nsec = deadline % 1000000000;
		atomic_store(&h->irq_check, 0);
		pthread_cond_timedwait(&h->wait_cond, &h->wait_lock, &ts);
	}
	pthread_mutex_unlock(&h->wait_lock);
	atomic_store(&h->irq_check, 1);
}
