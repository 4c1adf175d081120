/*
 * The CSR table (privileged spec 1.12, chapter 2 and 3.1, 4.1; Zicntr;
 * F extension 11.2 fcsr; Sstc stimecmp).
 *
 * One entry per CSR number with a read and an optional write function;
 * a CSR without an entry does not exist and raises illegal-instruction.
 * The privilege needed is CSR number bits 9:8, read-only CSRs have bits
 * 11:10 = 3 (2.1). Every write applies the WARL rules of its register.
 *
 * Counters: instret counts retired instructions, cycle = instret plus an
 * offset (one instruction per cycle), time is the platform's mtime.
 * mhpmcounter3-31 and mhpmevent3-31 are read-only zero (allowed by 3.1.10);
 * mcountinhibit is read-only zero ("not implemented" behaviour, 3.1.12).
 */
#include "cpu/csr.h"

#include <stddef.h>

#include "cpu/fpu.h"
#include "cpu/hart.h"

struct csr_desc {
	uint64_t (*read)(struct hart *h, unsigned csr);
	/* returns 0, or -1 to make the access illegal */
	int (*write)(struct hart *h, unsigned csr, uint64_t val);
	/* extra access check (counter enables, TVM, FS); may be NULL */
	bool (*allowed)(struct hart *h, unsigned csr);
};

#define MISA_VALUE                                                         \
	((2ull << 62) | (1u << ('A' - 'A')) | (1u << ('C' - 'A')) |        \
	 (1u << ('D' - 'A')) | (1u << ('F' - 'A')) | (1u << ('I' - 'A')) | \
	 (1u << ('M' - 'A')) | (1u << ('S' - 'A')) | (1u << ('U' - 'A')))

#define SSTATUS_MASK                                                           \
	(MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_UBE | MSTATUS_SPP | MSTATUS_VS | \
	 MSTATUS_FS | MSTATUS_XS | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_UXL |   \
	 MSTATUS_SD)
#define MSTATUS_WRITABLE                                                       \
	(MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE |             \
	 MSTATUS_SPP | MSTATUS_MPP | MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | \
	 MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)
#define SSTATUS_WRITABLE (MSTATUS_WRITABLE & SSTATUS_MASK)

/* exceptions that can be delegated: all but ECALL from M (3.1.8) */
#define MEDELEG_MASK                                                 \
	((1u << EXC_INSN_MISALIGNED) | (1u << EXC_INSN_ACCESS) |     \
	 (1u << EXC_ILLEGAL_INSN) | (1u << EXC_BREAKPOINT) |         \
	 (1u << EXC_LOAD_MISALIGNED) | (1u << EXC_LOAD_ACCESS) |     \
	 (1u << EXC_STORE_MISALIGNED) | (1u << EXC_STORE_ACCESS) |   \
	 (1u << EXC_ECALL_U) | (1u << EXC_ECALL_S) |                 \
	 (1u << EXC_INSN_PAGE_FAULT) | (1u << EXC_LOAD_PAGE_FAULT) | \
	 (1u << EXC_STORE_PAGE_FAULT))
#define S_INTERRUPTS (MIP_SSIP | MIP_STIP | MIP_SEIP)
#define M_INTERRUPTS (MIP_MSIP | MIP_MTIP | MIP_MEIP)
#define MENVCFG_WRITABLE (ENVCFG_FIOM | MENVCFG_STCE)
#define SENVCFG_WRITABLE (ENVCFG_FIOM)

/* --- helpers ----------------------------------------------------------- */

static uint64_t status_with_sd(uint64_t s)
{
	if ((s & MSTATUS_FS) == MSTATUS_FS)
		return s | MSTATUS_SD;
	return s & ~MSTATUS_SD;
}

static void set_mstatus(struct hart *h, uint64_t val, uint64_t writable)
{
	uint64_t old = h->mstatus;
	uint64_t s = (old & ~writable) | (val & writable);

	/* MPP is WARL with legal values U, S, M: a write of 2 keeps MPP */
	if (((s & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT) == 2)
		s = (s & ~MSTATUS_MPP) | (old & MSTATUS_MPP);
	h->mstatus = status_with_sd(s);
	mmu_set_mxr(&h->mmu, (s & MSTATUS_MXR) != 0);
	hart_update_mmu_ctx(h);
}

static uint64_t tvec_legal(uint64_t old, uint64_t val)
{
	/* MODE 2 and 3 are reserved: such a write keeps the old MODE */
	if ((val & TVEC_MODE_MASK) >= 2)
		val = (val & ~TVEC_MODE_MASK) | (old & TVEC_MODE_MASK);
	return val;
}

static uint64_t effective_mip(struct hart *h)
{
	return atomic_load(&h->mip);
}

/*
 * A CSR kept in hart field NAME: the read returns it, the write stores
 * EXPR (in terms of h and the written value val), its WARL rule.
 */
#define CSR_FIELD(name, expr)                                               \
	static uint64_t read_##name(struct hart *h, unsigned csr)           \
	{                                                                   \
		return h->name;                                             \
	}                                                                   \
	static int write_##name(struct hart *h, unsigned csr, uint64_t val) \
	{                                                                   \
		h->name = (expr);                                           \
		return 0;                                                   \
	}

/* --- access checks ----------------------------------------------------- */

static bool counter_allowed(struct hart *h, unsigned csr)
{
	unsigned bit = 1u << (csr & 31);

	if (h->priv == PRV_M)
		return true;
	if (!(h->mcounteren & bit))
		return false;
	if (h->priv == PRV_U && !(h->scounteren & bit))
		return false;
	return true;
}

static bool fp_allowed(struct hart *h, unsigned csr)
{
	return !hart_fs_off(h);
}

static bool satp_allowed(struct hart *h, unsigned csr)
{
	return !(h->priv == PRV_S && (h->mstatus & MSTATUS_TVM));
}

static bool stimecmp_allowed(struct hart *h, unsigned csr)
{
	if (h->priv == PRV_M)
		return true;
	return (h->menvcfg & MENVCFG_STCE) && (h->mcounteren & COUNTEREN_TM);
}

/* --- FP ---------------------------------------------------------------- */

static uint64_t read_fflags(struct hart *h, unsigned csr)
{
	return h->fflags;
}

static uint64_t read_frm(struct hart *h, unsigned csr)
{
	return h->frm;
}

static uint64_t read_fcsr(struct hart *h, unsigned csr)
{
	return (uint64_t)h->frm << 5 | h->fflags;
}

static int write_fflags(struct hart *h, unsigned csr, uint64_t val)
{
	h->fflags = val & 0x1f;
	hart_fs_dirty(h);
	return 0;
}

static int write_frm(struct hart *h, unsigned csr, uint64_t val)
{
	h->frm = val & 7;
	hart_fs_dirty(h);
	return 0;
}

static int write_fcsr(struct hart *h, unsigned csr, uint64_t val)
{
	h->fflags = val & 0x1f;
	h->frm = (val >> 5) & 7;
	hart_fs_dirty(h);
	return 0;
}

/* --- counters ---------------------------------------------------------- */

static uint64_t read_cycle(struct hart *h, unsigned csr)
{
	return h->instret + (uint64_t)h->cycle_offset;
}

static uint64_t read_instret(struct hart *h, unsigned csr)
{
	return h->instret;
}

static uint64_t read_time(struct hart *h, unsigned csr)
{
	return csr_time(h);
}

static uint64_t read_zero(struct hart *h, unsigned csr)
{
	return 0;
}

static int write_ignore(struct hart *h, unsigned csr, uint64_t val)
{
	return 0;
}

/*
 * A CSR write takes effect after the writing instruction has completed
 * (priv 2.1), so the next instruction reads the value written: the
 * retirement of the writing instruction, which the engine counts after
 * this call, is compensated here.
 */
static int write_mcycle(struct hart *h, unsigned csr, uint64_t val)
{
	h->cycle_offset = (int64_t)(val - (h->instret + 1));
	return 0;
}

static int write_minstret(struct hart *h, unsigned csr, uint64_t val)
{
	uint64_t cycle = h->instret + (uint64_t)h->cycle_offset;

	/* modulo 2^64, as the counters wrap */
	h->instret = val - 1;
	h->cycle_offset = (int64_t)(cycle - h->instret);
	return 0;
}

/* --- machine ----------------------------------------------------------- */

static uint64_t read_misa(struct hart *h, unsigned csr)
{
	return MISA_VALUE;
}

static uint64_t read_mhartid(struct hart *h, unsigned csr)
{
	return h->mhartid;
}

static uint64_t read_mstatus(struct hart *h, unsigned csr)
{
	return h->mstatus;
}

static int write_mstatus(struct hart *h, unsigned csr, uint64_t val)
{
	set_mstatus(h, val, MSTATUS_WRITABLE);
	return 0;
}

CSR_FIELD(medeleg, val &MEDELEG_MASK)

CSR_FIELD(mideleg, val &S_INTERRUPTS)

CSR_FIELD(mie, val &(S_INTERRUPTS | M_INTERRUPTS))

static uint64_t read_mip(struct hart *h, unsigned csr)
{
	return effective_mip(h);
}

static int write_mip(struct hart *h, unsigned csr, uint64_t val)
{
	uint64_t writable = MIP_SSIP | MIP_SEIP;

	/* under Sstc STIP reflects stimecmp and is read-only */
	if (!(h->menvcfg & MENVCFG_STCE))
		writable |= MIP_STIP;
	atomic_fetch_or(&h->mip, val & writable);
	atomic_fetch_and(&h->mip, ~(~val & writable));
	return 0;
}

CSR_FIELD(mtvec, tvec_legal(h->mtvec, val))

CSR_FIELD(mcounteren, (uint32_t)val)

CSR_FIELD(menvcfg, val &MENVCFG_WRITABLE)

CSR_FIELD(mscratch, val)

static uint64_t read_mepc(struct hart *h, unsigned csr)
{
	return h->mepc;
}

/* IALIGN is 16 with C: bit 0 of xepc is always zero (3.1.14) */
static int write_mepc(struct hart *h, unsigned csr, uint64_t val)
{
	h->mepc = val & ~1ull;
	return 0;
}

CSR_FIELD(mcause, val)

CSR_FIELD(mtval, val)

static uint64_t read_pmpcfg(struct hart *h, unsigned csr)
{
	unsigned first = (csr - CSR_PMPCFG0) * 4;
	uint64_t val = 0;

	for (unsigned i = 0; i < 8 && first + i < PMP_COUNT; i++)
		val |= (uint64_t)h->mmu.pmp.cfg[first + i] << (8 * i);
	return val;
}

static void pmp_changed(struct hart *h)
{
	mmu_pmp_changed(&h->mmu);
}

static int write_pmpcfg(struct hart *h, unsigned csr, uint64_t val)
{
	unsigned first = (csr - CSR_PMPCFG0) * 4;

	for (unsigned i = 0; i < 8 && first + i < PMP_COUNT; i++)
		pmp_write_cfg(&h->mmu.pmp, first + i,
			      (uint8_t)(val >> (8 * i)));
	pmp_changed(h);
	return 0;
}

static uint64_t read_pmpaddr(struct hart *h, unsigned csr)
{
	unsigned i = csr - CSR_PMPADDR0;

	return i < PMP_COUNT ? pmp_read_addr(&h->mmu.pmp, i) : 0;
}

static int write_pmpaddr(struct hart *h, unsigned csr, uint64_t val)
{
	unsigned i = csr - CSR_PMPADDR0;

	if (i < PMP_COUNT) {
		pmp_write_addr(&h->mmu.pmp, i, val);
		pmp_changed(h);
	}
	return 0;
}

/* --- supervisor -------------------------------------------------------- */

static uint64_t read_sstatus(struct hart *h, unsigned csr)
{
	return h->mstatus & SSTATUS_MASK;
}

static int write_sstatus(struct hart *h, unsigned csr, uint64_t val)
{
	set_mstatus(h, val, SSTATUS_WRITABLE);
	return 0;
}

static uint64_t read_sie(struct hart *h, unsigned csr)
{
	return h->mie & h->mideleg;
}

static int write_sie(struct hart *h, unsigned csr, uint64_t val)
{
	uint64_t mask = h->mideleg & S_INTERRUPTS;

	h->mie = (h->mie & ~mask) | (val & mask);
	return 0;
}

static uint64_t read_sip(struct hart *h, unsigned csr)
{
	return effective_mip(h) & h->mideleg;
}

static int write_sip(struct hart *h, unsigned csr, uint64_t val)
{
	/* only SSIP is writable through sip (4.1.3) */
	uint64_t mask = h->mideleg & MIP_SSIP;

	atomic_fetch_or(&h->mip, val & mask);
	atomic_fetch_and(&h->mip, ~(~val & mask));
	return 0;
}

CSR_FIELD(stvec, tvec_legal(h->stvec, val))

CSR_FIELD(scounteren, (uint32_t)val)

CSR_FIELD(senvcfg, val &SENVCFG_WRITABLE)

CSR_FIELD(sscratch, val)

CSR_FIELD(sepc, val & ~1ull)

CSR_FIELD(scause, val)

CSR_FIELD(stval, val)

static uint64_t read_stimecmp(struct hart *h, unsigned csr)
{
	return h->stimecmp;
}

static int write_stimecmp(struct hart *h, unsigned csr, uint64_t val)
{
	h->stimecmp = val;
	hart_poll_timers(h);
	return 0;
}

static uint64_t read_satp(struct hart *h, unsigned csr)
{
	return h->mmu.satp;
}

static int write_satp(struct hart *h, unsigned csr, uint64_t val)
{
	/* an unsupported MODE makes the whole write have no effect (4.1.11) */
	if (mmu_satp_valid(val))
		hart_set_satp(h, val);
	return 0;
}

/* --- the table --------------------------------------------------------- */

#define RO(r)               \
	{                   \
		.read = (r) \
	}
#define RW(r, w)                          \
	{                                 \
		.read = (r), .write = (w) \
	}
#define RWC(r, w, c)                                      \
	{                                                 \
		.read = (r), .write = (w), .allowed = (c) \
	}
#define ROC(r, c)                           \
	{                                   \
		.read = (r), .allowed = (c) \
	}

static const struct csr_desc csr_table[4096] = {
	[CSR_FFLAGS] = RWC(read_fflags, write_fflags, fp_allowed),
	[CSR_FRM] = RWC(read_frm, write_frm, fp_allowed),
	[CSR_FCSR] = RWC(read_fcsr, write_fcsr, fp_allowed),

	[CSR_CYCLE] = ROC(read_cycle, counter_allowed),
	[CSR_TIME] = ROC(read_time, counter_allowed),
	[CSR_INSTRET] = ROC(read_instret, counter_allowed),
	[CSR_HPMCOUNTER3... CSR_HPMCOUNTER31] = ROC(read_zero, counter_allowed),

	[CSR_SSTATUS] = RW(read_sstatus, write_sstatus),
	[CSR_SIE] = RW(read_sie, write_sie),
	[CSR_STVEC] = RW(read_stvec, write_stvec),
	[CSR_SCOUNTEREN] = RW(read_scounteren, write_scounteren),
	[CSR_SENVCFG] = RW(read_senvcfg, write_senvcfg),
	[CSR_SSCRATCH] = RW(read_sscratch, write_sscratch),
	[CSR_SEPC] = RW(read_sepc, write_sepc),
	[CSR_SCAUSE] = RW(read_scause, write_scause),
	[CSR_STVAL] = RW(read_stval, write_stval),
	[CSR_SIP] = RW(read_sip, write_sip),
	[CSR_STIMECMP] = RWC(read_stimecmp, write_stimecmp, stimecmp_allowed),
	[CSR_SATP] = RWC(read_satp, write_satp, satp_allowed),

	[CSR_MVENDORID] = RO(read_zero),
	[CSR_MARCHID] = RO(read_zero),
	[CSR_MIMPID] = RO(read_zero),
	[CSR_MHARTID] = RO(read_mhartid),
	[CSR_MCONFIGPTR] = RO(read_zero),

	[CSR_MSTATUS] = RW(read_mstatus, write_mstatus),
	[CSR_MISA] = RW(read_misa, write_ignore),
	[CSR_MEDELEG] = RW(read_medeleg, write_medeleg),
	[CSR_MIDELEG] = RW(read_mideleg, write_mideleg),
	[CSR_MIE] = RW(read_mie, write_mie),
	[CSR_MTVEC] = RW(read_mtvec, write_mtvec),
	[CSR_MCOUNTEREN] = RW(read_mcounteren, write_mcounteren),
	[CSR_MENVCFG] = RW(read_menvcfg, write_menvcfg),
	[CSR_MCOUNTINHIBIT] = RW(read_zero, write_ignore),
	[CSR_MHPMEVENT3... CSR_MHPMEVENT31] = RW(read_zero, write_ignore),
	[CSR_MSCRATCH] = RW(read_mscratch, write_mscratch),
	[CSR_MEPC] = RW(read_mepc, write_mepc),
	[CSR_MCAUSE] = RW(read_mcause, write_mcause),
	[CSR_MTVAL] = RW(read_mtval, write_mtval),
	[CSR_MIP] = RW(read_mip, write_mip),

	/* RV64: only the even pmpcfg registers exist (3.7.1) */
	[CSR_PMPCFG0] = RW(read_pmpcfg, write_pmpcfg),
	[CSR_PMPCFG0 + 2] = RW(read_pmpcfg, write_pmpcfg),
	[CSR_PMPCFG0 + 4] = RW(read_pmpcfg, write_pmpcfg),
	[CSR_PMPCFG0 + 6] = RW(read_pmpcfg, write_pmpcfg),
	[CSR_PMPCFG0 + 8] = RW(read_pmpcfg, write_pmpcfg),
	[CSR_PMPCFG0 + 10] = RW(read_pmpcfg, write_pmpcfg),
	[CSR_PMPCFG0 + 12] = RW(read_pmpcfg, write_pmpcfg),
	[CSR_PMPCFG0 + 14] = RW(read_pmpcfg, write_pmpcfg),
	[CSR_PMPADDR0... CSR_PMPADDR63] = RW(read_pmpaddr, write_pmpaddr),

	[CSR_MCYCLE] = RW(read_cycle, write_mcycle),
	[CSR_MINSTRET] = RW(read_instret, write_minstret),
	[CSR_MHPMCOUNTER3... CSR_MHPMCOUNTER31] = RW(read_zero, write_ignore),
};

int csr_access(struct hart *h, unsigned csr, enum csr_op op, uint64_t operand,
	       bool write, uint64_t *old)
{
	const struct csr_desc *d;
	uint64_t val;

	if (csr >= 4096)
		return -1;
	d = &csr_table[csr];
	if (!d->read)
		return -1;
	if (h->priv < ((csr >> 8) & 3))
		return -1;
	if (write && (csr >> 10) == 3)
		return -1;
	if (d->allowed && !d->allowed(h, csr))
		return -1;
	val = d->read(h, csr);
	*old = val;
	if (!write)
		return 0;
	switch (op) {
	case CSR_OP_WRITE: val = operand; break;
	case CSR_OP_SET: val |= operand; break;
	case CSR_OP_CLEAR: val &= ~operand; break;
	}
	if (!d->write)
		return -1;
	return d->write(h, csr, val);
}
