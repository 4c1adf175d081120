/*
 * The CSR table against the privileged spec 1.12: existence, privilege
 * and read-only checks (2.1), WARL fields of mstatus/sstatus (3.1.6,
 * 4.1.1), delegation masks (3.1.8), the sie/sip views (4.1.3), counter
 * enables (3.1.11), satp MODE (4.1.11), TVM (3.1.6.5), Sstc stimecmp, the
 * RV64 pmpcfg numbering (3.7.1) and fcsr composition (F, 11.2).
 */
#include <string.h>

#include "cpu/csr.h"
#include "cpu/hart.h"
#include "tests/unit/unit.h"

static struct bus bus;
static struct hart_platform plat;
static struct hart h;

static int rd(unsigned csr, uint64_t *v)
{
	return csr_access(&h, csr, CSR_OP_SET, 0, false, v);
}

static uint64_t rdv(unsigned csr)
{
	uint64_t v = 0xdeadbeef;

	CHECK(rd(csr, &v) == 0);
	return v;
}

static int wr(unsigned csr, uint64_t val)
{
	uint64_t old;

	return csr_access(&h, csr, CSR_OP_WRITE, val, true, &old);
}

static void test_existence_and_privilege(void)
{
	uint64_t v;

	CHECK(rd(0x7c0, &v) == -1);	      /* custom, not implemented */
	CHECK(rd(CSR_PMPCFG0 + 1, &v) == -1); /* odd pmpcfg: RV32 only */
	CHECK(rd(CSR_MSTATUS, &v) == 0);
	CHECK(wr(CSR_MHARTID, 1) == -1); /* read-only by number */
	CHECK(wr(CSR_CYCLE, 1) == -1);
	/* CSRRS with rs1 = x0 on a read-only CSR is a plain read */
	CHECK(csr_access(&h, CSR_MHARTID, CSR_OP_SET, 0, false, &v) == 0);
	h.priv = PRV_S;
	CHECK(rd(CSR_MSTATUS, &v) == -1);
	CHECK(rd(CSR_SSTATUS, &v) == 0);
	h.priv = PRV_U;
	CHECK(rd(CSR_SSTATUS, &v) == -1);
	h.priv = PRV_M;
}

static void test_misa_and_ids(void)
{
	uint64_t misa = rdv(CSR_MISA);

	CHECK_EQ_U64(misa >> 62, 2);
	CHECK_EQ_U64(misa & ((1u << 26) - 1), 0x14112d); /* IMAFDC S U */
	CHECK(wr(CSR_MISA, 0) == 0);
	CHECK_EQ_U64(rdv(CSR_MISA), misa);
	CHECK_EQ_U64(rdv(CSR_MHARTID), 0);
}

static void test_mstatus(void)
{
	uint64_t s;

	CHECK(wr(CSR_MSTATUS, ~0ull) == 0);
	s = rdv(CSR_MSTATUS);
	CHECK_EQ_U64((s >> 32) & 3, 2); /* UXL */
	CHECK_EQ_U64((s >> 34) & 3, 2); /* SXL */
	CHECK((s & MSTATUS_SD) != 0);	/* FS dirty */
	CHECK_EQ_U64(s & (MSTATUS_UBE | MSTATUS_SBE | MSTATUS_MBE), 0);
	CHECK_EQ_U64(s & (MSTATUS_VS | MSTATUS_XS), 0);
	CHECK_EQ_U64(s & MSTATUS_MPP, MSTATUS_MPP);
	/* MPP = 2 is reserved: the field keeps a legal value */
	CHECK(wr(CSR_MSTATUS, 2ull << MSTATUS_MPP_SHIFT) == 0);
	CHECK(((rdv(CSR_MSTATUS) & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT) != 2);
	CHECK(wr(CSR_MSTATUS, 0) == 0);
	CHECK_EQ_U64(rdv(CSR_MSTATUS) & MSTATUS_SD, 0);

	/* sstatus shows and writes only the supervisor fields */
	CHECK(wr(CSR_SSTATUS, ~0ull) == 0);
	s = rdv(CSR_MSTATUS);
	CHECK_EQ_U64(s & (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP |
			  MSTATUS_MPRV | MSTATUS_TVM | MSTATUS_TW |
			  MSTATUS_TSR),
		     0);
	CHECK((s & (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM |
		    MSTATUS_MXR)) == (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP |
				      MSTATUS_SUM | MSTATUS_MXR));
	CHECK(wr(CSR_MSTATUS, MSTATUS_MIE | MSTATUS_TSR) == 0);
	CHECK_EQ_U64(rdv(CSR_SSTATUS) & (MSTATUS_MIE | MSTATUS_TSR), 0);
	wr(CSR_MSTATUS, 0);
}

static void test_delegation_and_views(void)
{
	CHECK(wr(CSR_MEDELEG, ~0ull) == 0);
	CHECK_EQ_U64(rdv(CSR_MEDELEG) & (1u << EXC_ECALL_M), 0);
	CHECK((rdv(CSR_MEDELEG) & (1u << EXC_ECALL_U)) != 0);
	CHECK(wr(CSR_MIDELEG, ~0ull) == 0);
	CHECK_EQ_U64(rdv(CSR_MIDELEG), MIP_SSIP | MIP_STIP | MIP_SEIP);

	CHECK(wr(CSR_MIE, ~0ull) == 0);
	CHECK_EQ_U64(rdv(CSR_MIE), 0xaaa);
	CHECK_EQ_U64(rdv(CSR_SIE), 0x222);
	CHECK(wr(CSR_MIDELEG, MIP_STIP) == 0);
	CHECK_EQ_U64(rdv(CSR_SIE), MIP_STIP);
	CHECK(wr(CSR_SIE, 0) == 0);
	CHECK_EQ_U64(rdv(CSR_MIE), 0xaaa & ~MIP_STIP);

	/* mip: SSIP, STIP, SEIP writable; MTIP, MSIP, MEIP are not */
	CHECK(wr(CSR_MIP, ~0ull) == 0);
	CHECK_EQ_U64(rdv(CSR_MIP), MIP_SSIP | MIP_STIP | MIP_SEIP);
	/* sip shows delegated bits; only SSIP is writable through it */
	CHECK(wr(CSR_MIDELEG, MIP_SSIP | MIP_STIP) == 0);
	CHECK_EQ_U64(rdv(CSR_SIP), MIP_SSIP | MIP_STIP);
	CHECK(wr(CSR_SIP, 0) == 0);
	CHECK_EQ_U64(rdv(CSR_MIP), MIP_STIP | MIP_SEIP);
	wr(CSR_MIP, 0);
	wr(CSR_MIE, 0);
	wr(CSR_MIDELEG, 0);
	wr(CSR_MEDELEG, 0);
}

static void test_tvec_epc(void)
{
	CHECK(wr(CSR_MTVEC, 0x80000101) == 0);
	CHECK_EQ_U64(rdv(CSR_MTVEC), 0x80000101);
	CHECK(wr(CSR_MTVEC, 0x80000202) == 0); /* MODE 2 reserved */
	CHECK((rdv(CSR_MTVEC) & 3) < 2);
	CHECK(wr(CSR_MEPC, 0x80000003) == 0);
	CHECK_EQ_U64(rdv(CSR_MEPC), 0x80000002);
	CHECK(wr(CSR_SEPC, 0x11) == 0);
	CHECK_EQ_U64(rdv(CSR_SEPC), 0x10);
}

static void test_counters(void)
{
	uint64_t v;

	h.instret = 1000;
	CHECK_EQ_U64(rdv(CSR_INSTRET), 1000);
	CHECK_EQ_U64(rdv(CSR_MINSTRET), 1000);
	/* the writing instruction's own retirement is not counted on top */
	CHECK(wr(CSR_MINSTRET, 50) == 0);
	h.instret++; /* what the engine does after the CSR instruction */
	CHECK_EQ_U64(rdv(CSR_MINSTRET), 50);
	CHECK(wr(CSR_MCYCLE, 7) == 0);
	h.instret++;
	CHECK_EQ_U64(rdv(CSR_MCYCLE), 7);

	h.priv = PRV_S;
	wr(CSR_MCOUNTEREN, 0);
	h.priv = PRV_M;
	wr(CSR_MCOUNTEREN, 0);
	h.priv = PRV_S;
	CHECK(rd(CSR_CYCLE, &v) == -1);
	CHECK(rd(CSR_TIME, &v) == -1);
	h.priv = PRV_M;
	wr(CSR_MCOUNTEREN, COUNTEREN_TM);
	h.priv = PRV_S;
	CHECK(rd(CSR_TIME, &v) == 0);
	CHECK(rd(CSR_INSTRET, &v) == -1);
	h.priv = PRV_U;
	CHECK(rd(CSR_TIME, &v) == -1); /* scounteren.TM is 0 */
	h.priv = PRV_S;
	CHECK(wr(CSR_SCOUNTEREN, COUNTEREN_TM) == 0);
	h.priv = PRV_U;
	CHECK(rd(CSR_TIME, &v) == 0);
	h.priv = PRV_M;
	/* mhpmcounters are read-only zero; hpmcounter3 exists */
	CHECK(wr(CSR_MHPMCOUNTER3, 5) == 0);
	CHECK_EQ_U64(rdv(CSR_MHPMCOUNTER3), 0);
	CHECK(rd(CSR_HPMCOUNTER3, &v) == 0);
}

static void test_satp_and_tvm(void)
{
	uint64_t sv39 = (8ull << 60) | 0x80123;
	uint64_t v;

	CHECK(wr(CSR_SATP, sv39) == 0);
	CHECK_EQ_U64(rdv(CSR_SATP), sv39);
	CHECK(wr(CSR_SATP, (5ull << 60) | 1) == 0); /* reserved MODE */
	CHECK_EQ_U64(rdv(CSR_SATP), sv39);
	CHECK(wr(CSR_MSTATUS, MSTATUS_TVM) == 0);
	h.priv = PRV_S;
	CHECK(rd(CSR_SATP, &v) == -1);
	h.priv = PRV_M;
	CHECK(rd(CSR_SATP, &v) == 0);
	wr(CSR_MSTATUS, 0);
	wr(CSR_SATP, 0);
}

static void test_stimecmp(void)
{
	uint64_t v;

	wr(CSR_MENVCFG, 0);
	h.priv = PRV_S;
	CHECK(rd(CSR_STIMECMP, &v) == -1); /* STCE = 0 */
	h.priv = PRV_M;
	CHECK(rd(CSR_STIMECMP, &v) == 0);
	CHECK(wr(CSR_MENVCFG, MENVCFG_STCE) == 0);
	CHECK_EQ_U64(rdv(CSR_MENVCFG), MENVCFG_STCE);
	wr(CSR_MCOUNTEREN, COUNTEREN_TM);
	h.priv = PRV_S;
	CHECK(wr(CSR_STIMECMP, 0) == 0);       /* in the past: STIP pending */
	CHECK((rdv(CSR_SIP) & MIP_STIP) == 0); /* not delegated */
	h.priv = PRV_M;
	CHECK((rdv(CSR_MIP) & MIP_STIP) != 0);
	/* under Sstc STIP is not writable through mip */
	CHECK(wr(CSR_MIP, 0) == 0);
	CHECK((rdv(CSR_MIP) & MIP_STIP) != 0);
	CHECK(wr(CSR_STIMECMP, ~0ull) == 0);
	CHECK_EQ_U64(rdv(CSR_MIP) & MIP_STIP, 0);
	wr(CSR_MENVCFG, 0);
}

static void test_pmp_csrs(void)
{
	CHECK(wr(CSR_PMPADDR0 + 3, 0x12345) == 0);
	CHECK_EQ_U64(rdv(CSR_PMPADDR0 + 3), 0x12345);
	/* entries 16..63 are not implemented: read-only zero */
	CHECK(wr(CSR_PMPADDR0 + 20, 0x12345) == 0);
	CHECK_EQ_U64(rdv(CSR_PMPADDR0 + 20), 0);
	CHECK(wr(CSR_PMPCFG0 + 2, 0x0f) == 0);
	CHECK_EQ_U64(rdv(CSR_PMPCFG0 + 2) & 0xff, 0x0f);
	CHECK(wr(CSR_PMPCFG0 + 4, 0x0f) == 0);
	CHECK_EQ_U64(rdv(CSR_PMPCFG0 + 4), 0);
	wr(CSR_PMPCFG0 + 2, 0);
}

static void test_fcsr(void)
{
	uint64_t v;

	wr(CSR_MSTATUS, 0); /* FS off */
	CHECK(rd(CSR_FCSR, &v) == -1);
	CHECK(wr(CSR_MSTATUS, 1ull << MSTATUS_FS_SHIFT) == 0);
	CHECK(wr(CSR_FCSR, 0xff) == 0);
	CHECK_EQ_U64(rdv(CSR_FFLAGS), 0x1f);
	CHECK_EQ_U64(rdv(CSR_FRM), 7);
	CHECK(wr(CSR_FRM, 1) == 0);
	CHECK_EQ_U64(rdv(CSR_FCSR), 0x3f);
	/* a write to an FP CSR makes FS dirty */
	CHECK_EQ_U64(rdv(CSR_MSTATUS) & MSTATUS_FS, MSTATUS_FS);
	CHECK((rdv(CSR_MSTATUS) & MSTATUS_SD) != 0);
	CHECK(wr(CSR_FCSR, 0x1ff) == 0);
	CHECK_EQ_U64(rdv(CSR_FCSR), 0xff);
}

static void test_set_clear(void)
{
	uint64_t old;

	wr(CSR_MSCRATCH, 0xf0);
	CHECK(csr_access(&h, CSR_MSCRATCH, CSR_OP_SET, 0x0f, true, &old) == 0);
	CHECK_EQ_U64(old, 0xf0);
	CHECK(csr_access(&h, CSR_MSCRATCH, CSR_OP_CLEAR, 0x3c, true, &old) ==
	      0);
	CHECK_EQ_U64(old, 0xff);
	CHECK_EQ_U64(rdv(CSR_MSCRATCH), 0xc3);
}

int main(void)
{
	if (bus_init(&bus, 0x80000000, 1 << 20, false) ||
	    hart_init(&h, &bus, &plat, 0)) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	test_existence_and_privilege();
	test_misa_and_ids();
	test_mstatus();
	test_delegation_and_views();
	test_tvec_epc();
	test_counters();
	test_satp_and_tvm();
	test_stimecmp();
	test_pmp_csrs();
	test_fcsr();
	test_set_clear();
	hart_destroy(&h);
	bus_destroy(&bus);
	return unit_done("test_csr");
}
