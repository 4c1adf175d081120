/*
 * Instruction semantics shared by the interpreter and the JIT: the slow
 * paths of loads and stores (TLB misses, MMIO, page crossings, faults),
 * atomics (A extension), CSR and system instructions (Zicsr, privileged
 * spec 1.12 sections 3.3 and 4.2), FP loads/stores and the entry to the
 * FPU, and instruction-fetch translation. Both engines call these so a
 * trap looks the same (epc, cause, tval) whichever engine runs.
 */
#include <sched.h>
#include <string.h>

#include "cpu/exec.h"
#include "cpu/fpu.h"

/* FENCE's fm/pred/succ bits (imm) for PAUSE: pred = W, succ = 0 */
#define FENCE_PAUSE 0x010

static uint64_t fault_cause(enum mmu_access acc, enum mmu_result r)
{
	static const uint64_t page[] = { EXC_LOAD_PAGE_FAULT,
					 EXC_STORE_PAGE_FAULT,
					 EXC_INSN_PAGE_FAULT };
	static const uint64_t access[] = { EXC_LOAD_ACCESS, EXC_STORE_ACCESS,
					   EXC_INSN_ACCESS };

	return r == MMU_PAGE_FAULT ? page[acc] : access[acc];
}

/* A translation for a data access of len bytes within one page. */
static int xlate_data(struct hart *h, uint64_t va, unsigned len,
		      enum mmu_access acc, uint64_t *pa)
{
	enum mmu_result r =
		mmu_translate(&h->mmu, va, len, acc, hart_data_priv(h),
			      (h->mstatus & MSTATUS_SUM) != 0, pa);

	if (r != MMU_OK) {
		hart_raise(h, fault_cause(acc, r), va);
		return -1;
	}
	return 0;
}

/*
 * Loads len bytes at va (any alignment). On a fault raises the trap at
 * h->pc (the caller has set it) and returns -1.
 */
int exec_load_slow(struct hart *h, uint64_t va, unsigned len, uint64_t *val)
{
	uint64_t off = va & (GUEST_PAGE_SIZE - 1);
	uint64_t pa, v = 0;

	if (off + len > GUEST_PAGE_SIZE) {
		/* translate both pages before touching either */
		unsigned first = (unsigned)(GUEST_PAGE_SIZE - off);
		uint64_t pa2;

		if (xlate_data(h, va, first, MMU_READ, &pa) ||
		    xlate_data(h, va + first, len - first, MMU_READ, &pa2))
			return -1;
		for (unsigned i = 0; i < len; i++) {
			uint64_t b;
			int err = i < first ? bus_read(h->bus, pa + i, 1, &b)
					    : bus_read(h->bus, pa2 + i - first,
						       1, &b);

			if (err) {
				hart_raise(h, EXC_LOAD_ACCESS, va + i);
				return -1;
			}
			v |= b << (8 * i);
		}
		*val = v;
		return 0;
	}
	if (xlate_data(h, va, len, MMU_READ, &pa))
		return -1;
	if ((pa & (len - 1)) == 0 || bus_is_ram(h->bus, pa, len)) {
		if (bus_read(h->bus, pa, len, val)) {
			hart_raise(h, EXC_LOAD_ACCESS, va);
			return -1;
		}
		return 0;
	}
	/* misaligned access to a device: the spec lets us raise an access fault */
	hart_raise(h, EXC_LOAD_ACCESS, va);
	return -1;
}

int exec_store_slow(struct hart *h, uint64_t va, unsigned len, uint64_t val)
{
	uint64_t off = va & (GUEST_PAGE_SIZE - 1);
	uint64_t pa;

	if (off + len > GUEST_PAGE_SIZE) {
		unsigned first = (unsigned)(GUEST_PAGE_SIZE - off);
		uint64_t pa2;

		if (xlate_data(h, va, first, MMU_WRITE, &pa) ||
		    xlate_data(h, va + first, len - first, MMU_WRITE, &pa2))
			return -1;
		for (unsigned i = 0; i < len; i++) {
			uint64_t a = i < first ? pa + i : pa2 + i - first;

			if (bus_write(h->bus, a, 1, (val >> (8 * i)) & 0xff)) {
				hart_raise(h, EXC_STORE_ACCESS, va + i);
				return -1;
			}
		}
		return 0;
	}
	if (xlate_data(h, va, len, MMU_WRITE, &pa))
		return -1;
	if (((pa & (len - 1)) != 0 && !bus_is_ram(h->bus, pa, len)) ||
	    bus_write(h->bus, pa, len, val)) {
		hart_raise(h, EXC_STORE_ACCESS, va);
		return -1;
	}
	return 0;
}

/*
 * Host address for an aligned atomic access of len bytes, translated for
 * writing (AMOs and SC need write permission, and LR is done the same
 * way for simplicity of the reservation). NULL after raising the trap.
 */
static void *amo_ptr(struct hart *h, uint64_t va, unsigned len,
		     enum mmu_access acc, uint64_t *pa_out)
{
	uint64_t pa;
	void *p;

	if (va & (len - 1)) {
		hart_raise(h,
			   acc == MMU_READ ? EXC_LOAD_MISALIGNED
					   : EXC_STORE_MISALIGNED,
			   va);
		return NULL;
	}
	if (xlate_data(h, va, len, acc, &pa))
		return NULL;
	p = bus_ram_ptr(h->bus, pa, len);
	if (!p) {
		/* atomics on devices are not supported: access fault */
		hart_raise(h,
			   acc == MMU_READ ? EXC_LOAD_ACCESS : EXC_STORE_ACCESS,
			   va);
		return NULL;
	}
	if (pa_out)
		*pa_out = pa;
	return p;
}

/* Runs after an atomic store to RAM through amo_ptr. */
static void amo_notify(struct hart *h, void *p, unsigned len)
{
	struct bus *bus = h->bus;
	uint64_t off = (uint64_t)((uint8_t *)p - bus->ram);

	if (atomic_load_explicit(&bus->page_flags[off >> GUEST_PAGE_SHIFT],
				 memory_order_relaxed))
		bus_notify_write(bus, bus->ram_base + off, len);
}

static int exec_amo(struct hart *h, const struct insn *in)
{
	uint64_t va = h->x[in->rs1];
	uint64_t src = h->x[in->rs2];
	bool word = in->op <= OP_AMOMAXU_W;
	unsigned len = word ? 4 : 8;
	enum insn_op op = in->op;
	uint64_t pa, old;
	void *p;

	if (op == OP_LR_W || op == OP_LR_D) {
		p = amo_ptr(h, va, len, MMU_READ, &pa);
		if (!p)
			return -1;
		old = word ? (uint64_t)(int64_t)(int32_t)__atomic_load_n(
				     (uint32_t *)p, __ATOMIC_SEQ_CST)
			   : __atomic_load_n((uint64_t *)p, __ATOMIC_SEQ_CST);
		h->resv_valid = true;
		h->resv_addr = pa;
		h->resv_len = len;
		h->resv_value = word ? (uint32_t)old : old;
		if (in->rd)
			h->x[in->rd] = old;
		return 0;
	}
	if (op == OP_SC_W || op == OP_SC_D) {
		bool ok = false;

		/* alignment and permission are checked whether or not the
		 * reservation holds, as a store would be (Spike does the same) */
		p = amo_ptr(h, va, len, MMU_WRITE, &pa);
		if (!p)
			return -1;
		/*
		 * The reservation holds while the reserved word still has the
		 * value LR read: the store is a compare-and-swap against it,
		 * so a store by another hart in between makes SC fail (a store
		 * of the very same value goes unnoticed, which RVWMO allows:
		 * the LR/SC pair still behaves atomically).
		 */
		if (h->resv_valid && pa == h->resv_addr && len == h->resv_len) {
			if (word) {
				uint32_t expect = (uint32_t)h->resv_value;

				ok = __atomic_compare_exchange_n(
					(uint32_t *)p, &expect, (uint32_t)src,
					false, __ATOMIC_SEQ_CST,
					__ATOMIC_SEQ_CST);
			} else {
				uint64_t expect = h->resv_value;

				ok = __atomic_compare_exchange_n(
					(uint64_t *)p, &expect, src, false,
					__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
			}
			if (ok)
				amo_notify(h, p, len);
		}
		h->resv_valid = false;
		if (in->rd)
			h->x[in->rd] = ok ? 0 : 1;
		return 0;
	}
	p = amo_ptr(h, va, len, MMU_WRITE, NULL);
	if (!p)
		return -1;
	if (word) {
		uint32_t *w = p, o = __atomic_load_n(w, __ATOMIC_RELAXED), n;
		uint32_t s = (uint32_t)src;

		do {
			switch (op) {
			case OP_AMOSWAP_W: n = s; break;
			case OP_AMOADD_W: n = o + s; break;
			case OP_AMOXOR_W: n = o ^ s; break;
			case OP_AMOAND_W: n = o & s; break;
			case OP_AMOOR_W: n = o | s; break;
			case OP_AMOMIN_W:
				n = (int32_t)o < (int32_t)s ? o : s;
				break;
			case OP_AMOMAX_W:
				n = (int32_t)o > (int32_t)s ? o : s;
				break;
			case OP_AMOMINU_W: n = o < s ? o : s; break;
			default: n = o > s ? o : s; break;
			}
		} while (!__atomic_compare_exchange_n(
			w, &o, n, true, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
		old = (uint64_t)(int64_t)(int32_t)o;
	} else {
		uint64_t *d = p, o = __atomic_load_n(d, __ATOMIC_RELAXED), n;

		do {
			switch (op) {
			case OP_AMOSWAP_D: n = src; break;
			case OP_AMOADD_D: n = o + src; break;
			case OP_AMOXOR_D: n = o ^ src; break;
			case OP_AMOAND_D: n = o & src; break;
			case OP_AMOOR_D: n = o | src; break;
			case OP_AMOMIN_D:
				n = (int64_t)o < (int64_t)src ? o : src;
				break;
			case OP_AMOMAX_D:
				n = (int64_t)o > (int64_t)src ? o : src;
				break;
			case OP_AMOMINU_D: n = o < src ? o : src; break;
			default: n = o > src ? o : src; break;
			}
		} while (!__atomic_compare_exchange_n(
			d, &o, n, true, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
		old = o;
	}
	amo_notify(h, p, len);
	if (in->rd)
		h->x[in->rd] = old;
	return 0;
}

/* --- system instructions ------------------------------------------------ */

void exec_illegal(struct hart *h, const struct insn *in)
{
	hart_raise(h, EXC_ILLEGAL_INSN, in->raw);
}

static int exec_csr(struct hart *h, const struct insn *in)
{
	enum csr_op op;
	uint64_t operand, old;
	bool write = true;

	switch (in->op) {
	case OP_CSRRW:
	case OP_CSRRWI: op = CSR_OP_WRITE; break;
	case OP_CSRRS:
	case OP_CSRRSI:
		op = CSR_OP_SET;
		write = in->rs1 != 0;
		break;
	default:
		op = CSR_OP_CLEAR;
		write = in->rs1 != 0;
		break;
	}
	operand = in->op >= OP_CSRRWI ? in->rs1 : h->x[in->rs1];
	if (csr_access(h, (unsigned)in->imm & 0xfff, op, operand, write,
		       &old)) {
		exec_illegal(h, in);
		return -1;
	}
	if (in->rd)
		h->x[in->rd] = old;
	return 0;
}

static int exec_mret(struct hart *h, const struct insn *in)
{
	uint64_t s = h->mstatus;
	unsigned mpp;

	if (h->priv != PRV_M) {
		exec_illegal(h, in);
		return -1;
	}
	mpp = (s & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
	s = (s & ~MSTATUS_MIE) | ((s & MSTATUS_MPIE) ? MSTATUS_MIE : 0);
	s |= MSTATUS_MPIE;
	s &= ~MSTATUS_MPP; /* MPP = U, the least privileged mode */
	if (mpp != PRV_M)
		s &= ~MSTATUS_MPRV;
	h->mstatus = s;
	h->priv = mpp;
	h->pc = h->mepc;
	hart_update_mmu_ctx(h);
	/* the new privilege may enable a pending interrupt */
	atomic_store_explicit(&h->irq_check, 1, memory_order_relaxed);
	return 0;
}

static int exec_sret(struct hart *h, const struct insn *in)
{
	uint64_t s = h->mstatus;

	if (h->priv < PRV_S || (h->priv == PRV_S && (s & MSTATUS_TSR))) {
		exec_illegal(h, in);
		return -1;
	}
	h->priv = (s & MSTATUS_SPP) ? PRV_S : PRV_U;
	s = (s & ~MSTATUS_SIE) | ((s & MSTATUS_SPIE) ? MSTATUS_SIE : 0);
	s |= MSTATUS_SPIE;
	s &= ~MSTATUS_SPP;
	s &= ~MSTATUS_MPRV;
	h->mstatus = s;
	h->pc = h->sepc;
	hart_update_mmu_ctx(h);
	atomic_store_explicit(&h->irq_check, 1, memory_order_relaxed);
	return 0;
}

/*
 * Executes the last instruction of a block when it is a system one.
 * Returns 0 when it retired (pc updated), -1 when it trapped.
 */
int exec_system(struct hart *h, const struct insn *in, bool *flush_code)
{
	uint64_t next = h->pc + in->len;

	*flush_code = false;
	switch (in->op) {
	case OP_ECALL:
		hart_raise(h,
			   h->priv == PRV_U   ? EXC_ECALL_U
			   : h->priv == PRV_S ? EXC_ECALL_S
					      : EXC_ECALL_M,
			   0);
		return -1;
	case OP_EBREAK: hart_raise(h, EXC_BREAKPOINT, h->pc); return -1;
	case OP_MRET: return exec_mret(h, in);
	case OP_SRET: return exec_sret(h, in);
	case OP_WFI:
		if (h->priv == PRV_U ||
		    (h->priv == PRV_S && (h->mstatus & MSTATUS_TW))) {
			exec_illegal(h, in);
			return -1;
		}
		h->pc = next;
		if (!hart_pending_interrupts(h))
			hart_wait_for_interrupt(h);
		return 0;
	case OP_SFENCE_VMA:
		if (h->priv == PRV_U ||
		    (h->priv == PRV_S && (h->mstatus & MSTATUS_TVM))) {
			exec_illegal(h, in);
			return -1;
		}
		/* with rs1 = x0 every translation goes, else one page's */
		if (in->rs1)
			mmu_flush_page(&h->mmu, h->x[in->rs1]);
		else
			mmu_flush(&h->mmu);
		h->pc = next;
		return 0;
	case OP_FENCE:
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		/*
		 * PAUSE (Zihintpause: FENCE with pred = W, succ = 0) is what
		 * Linux's cpu_relax() executes in spin-wait loops. With more
		 * vCPUs than host cores the hart being waited for may need
		 * this host core: give it up.
		 */
		if ((in->imm & 0xfff) == FENCE_PAUSE && h->platform->nharts > 1)
			sched_yield();
		h->pc = next;
		return 0;
	case OP_FENCE_I:
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		/*
		 * Stores into decoded code bump the page version, so one hart
		 * never runs its own stale code. Another hart's store can slip
		 * past that check while this hart decodes the page (the store
		 * sits in the host's store buffer), so with several harts
		 * FENCE.I, which the guest issues after such a store is
		 * published (Linux: remote fence.i through SBI), drops this
		 * hart's decoded blocks.
		 */
		*flush_code = h->platform->nharts > 1;
		h->pc = next;
		return 0;
	default:
		if (exec_csr(h, in))
			return -1;
		h->pc = next;
		/*
		 * A CSR write may have enabled a pending interrupt. Only then
		 * is the engine sent to look: CSR accesses are frequent (the
		 * kernel's interrupt masking), and a device raising an
		 * interrupt later sets irq_check itself.
		 */
		if (hart_pending_interrupts(h))
			atomic_store_explicit(&h->irq_check, 1,
					      memory_order_relaxed);
		return 0;
	}
}

int exec_fetch_xlate(struct hart *h, uint64_t va, uint64_t *pa)
{
	enum mmu_result r =
		mmu_translate(&h->mmu, va, 2, MMU_EXEC, h->priv, false, pa);

	if (r != MMU_OK) {
		hart_raise(h, fault_cause(MMU_EXEC, r), va);
		return -1;
	}
	if (!bus_is_ram(h->bus, *pa, 2)) {
		hart_raise(h, EXC_INSN_ACCESS, va);
		return -1;
	}
	return 0;
}

static int exec_fp_mem(struct hart *h, const struct insn *in)
{
	uint64_t va = h->x[in->rs1] + (int64_t)in->imm;
	uint64_t v;

	if (hart_fs_off(h)) {
		exec_illegal(h, in);
		return -1;
	}
	switch (in->op) {
	case OP_FLW:
		if (exec_load(h, va, 4, &v))
			return -1;
		h->f[in->rd] = fpu_box32((uint32_t)v);
		hart_fs_dirty(h);
		return 0;
	case OP_FLD:
		if (exec_load(h, va, 8, &v))
			return -1;
		h->f[in->rd] = v;
		hart_fs_dirty(h);
		return 0;
	case OP_FSW: return exec_store(h, va, 4, (uint32_t)h->f[in->rs2]);
	default: return exec_store(h, va, 8, h->f[in->rs2]);
	}
}

/*
 * Instructions that are neither on the hot path nor block enders: AMOs,
 * FP loads/stores and FP arithmetic. Return 0, or -1 after raising a trap.
 */
int exec_other(struct hart *h, const struct insn *in)
{
	if (in->op >= OP_LR_W && in->op <= OP_AMOMAXU_D)
		return exec_amo(h, in);
	if (in->op == OP_FLW || in->op == OP_FSW || in->op == OP_FLD ||
	    in->op == OP_FSD)
		return exec_fp_mem(h, in);
	if (fpu_exec(h, in)) {
		exec_illegal(h, in);
		return -1;
	}
	return 0;
}
