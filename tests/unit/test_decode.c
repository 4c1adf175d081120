/*
 * Unit tests for the RV64GC decoder (cpu/decode.c).
 *
 * Encodings come from riscv64-linux-gnu-as (binutils 2.40) or are built
 * field by field from the instruction formats of the RISC-V unprivileged
 * spec (chapters 2 and 16) where the assembler cannot produce them
 * (Zicond, reserved and HINT encodings). Expected fields are the
 * operands of the assembly text, mapped as the spec's expansion tables
 * say for compressed forms.
 */
#include "cpu/decode.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "tests/unit/unit.h"

struct want {
	uint32_t raw;
	const char *src;
	enum insn_op op;
	uint8_t rd, rs1, rs2, rs3;
	int32_t imm;
	uint8_t rm, len;
};

/* Assembled by riscv64-linux-gnu-as -march=rv64gc_zba_zbb_zbs. */
static const struct want assembled[] = {
	{ 0xfffff537, "lui a0, 0xfffff", OP_LUI, 10, 0, 0, 0, -0x1000, 0, 4 },
	{ 0x12345317, "auipc t1, 0x12345", OP_AUIPC, 6, 0, 0, 0, 0x12345000, 0,
	  4 },
	{ 0x800000ef, "jal ra, .-0x100000", OP_JAL, 1, 0, 0, 0, -0x100000, 0,
	  4 },
	{ 0x7ffff06f, "jal zero, .+0xffffe", OP_JAL, 0, 0, 0, 0, 0xffffe, 0,
	  4 },
	{ 0xfff582e7, "jalr t0, -1(a1)", OP_JALR, 5, 11, 0, 0, -1, 0, 4 },
	{ 0x80b50063, "beq a0, a1, .-4096", OP_BEQ, 0, 10, 11, 0, -0x1000, 0,
	  4 },
	{ 0x7ffd9fe3, "bne s11, t6, .+4094", OP_BNE, 0, 27, 31, 0, 4094, 0, 4 },
	{ 0x00054163, "blt a0, zero, .+2", OP_BLT, 0, 10, 0, 0, 2, 0, 4 },
	{ 0xfeb05fe3, "bge zero, a1, .-2", OP_BGE, 0, 0, 11, 0, -2, 0, 4 },
	{ 0x00d660e3, "bltu a2, a3, .+0x800", OP_BLTU, 0, 12, 13, 0, 2048, 0,
	  4 },
	{ 0x80f770e3, "bgeu a4, a5, .-0x800", OP_BGEU, 0, 14, 15, 0, -2048, 0,
	  4 },
	{ 0x80058503, "lb a0, -2048(a1)", OP_LB, 10, 11, 0, 0, -2048, 0, 4 },
	{ 0x7ff59503, "lh a0, 2047(a1)", OP_LH, 10, 11, 0, 0, 2047, 0, 4 },
	{ 0xfff12f83, "lw t6, -1(sp)", OP_LW, 31, 2, 0, 0, -1, 0, 4 },
	{ 0x0084b403, "ld s0, 8(s1)", OP_LD, 8, 9, 0, 0, 8, 0, 4 },
	{ 0x0005c503, "lbu a0, 0(a1)", OP_LBU, 10, 11, 0, 0, 0, 0, 4 },
	{ 0x0025d503, "lhu a0, 2(a1)", OP_LHU, 10, 11, 0, 0, 2, 0, 4 },
	{ 0x0045e503, "lwu a0, 4(a1)", OP_LWU, 10, 11, 0, 0, 4, 0, 4 },
	{ 0x80c58023, "sb a2, -2048(a1)", OP_SB, 0, 11, 12, 0, -2048, 0, 4 },
	{ 0x7ec59fa3, "sh a2, 2047(a1)", OP_SH, 0, 11, 12, 0, 2047, 0, 4 },
	{ 0xfff12fa3, "sw t6, -1(sp)", OP_SW, 0, 2, 31, 0, -1, 0, 4 },
	{ 0x00113423, "sd ra, 8(sp)", OP_SD, 0, 2, 1, 0, 8, 0, 4 },
	{ 0x80058513, "addi a0, a1, -2048", OP_ADDI, 10, 11, 0, 0, -2048, 0,
	  4 },
	{ 0x7ff5a513, "slti a0, a1, 2047", OP_SLTI, 10, 11, 0, 0, 2047, 0, 4 },
	{ 0xfff5b513, "sltiu a0, a1, -1", OP_SLTIU, 10, 11, 0, 0, -1, 0, 4 },
	{ 0xfff5c513, "xori a0, a1, -1", OP_XORI, 10, 11, 0, 0, -1, 0, 4 },
	{ 0x0015e513, "ori a0, a1, 1", OP_ORI, 10, 11, 0, 0, 1, 0, 4 },
	{ 0x0ff5f513, "andi a0, a1, 255", OP_ANDI, 10, 11, 0, 0, 255, 0, 4 },
	{ 0x03f59513, "slli a0, a1, 63", OP_SLLI, 10, 11, 0, 0, 63, 0, 4 },
	{ 0x0015d513, "srli a0, a1, 1", OP_SRLI, 10, 11, 0, 0, 1, 0, 4 },
	{ 0x4205d513, "srai a0, a1, 32", OP_SRAI, 10, 11, 0, 0, 32, 0, 4 },
	{ 0x00c58533, "add a0, a1, a2", OP_ADD, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x41ff0eb3, "sub t4, t5, t6", OP_SUB, 29, 30, 31, 0, 0, 0, 4 },
	{ 0x00c59533, "sll a0, a1, a2", OP_SLL, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x00c5a533, "slt a0, a1, a2", OP_SLT, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x00c5b533, "sltu a0, a1, a2", OP_SLTU, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x00c5c533, "xor a0, a1, a2", OP_XOR, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x00c5d533, "srl a0, a1, a2", OP_SRL, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x40c5d533, "sra a0, a1, a2", OP_SRA, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x00c5e533, "or a0, a1, a2", OP_OR, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x00c5f533, "and a0, a1, a2", OP_AND, 10, 11, 12, 0, 0, 0, 4 },
	{ 0xfff5851b, "addiw a0, a1, -1", OP_ADDIW, 10, 11, 0, 0, -1, 0, 4 },
	{ 0x01f5951b, "slliw a0, a1, 31", OP_SLLIW, 10, 11, 0, 0, 31, 0, 4 },
	{ 0x0005d51b, "srliw a0, a1, 0", OP_SRLIW, 10, 11, 0, 0, 0, 0, 4 },
	{ 0x4115d51b, "sraiw a0, a1, 17", OP_SRAIW, 10, 11, 0, 0, 17, 0, 4 },
	{ 0x00c5853b, "addw a0, a1, a2", OP_ADDW, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x40c5853b, "subw a0, a1, a2", OP_SUBW, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x00c5953b, "sllw a0, a1, a2", OP_SLLW, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x00c5d53b, "srlw a0, a1, a2", OP_SRLW, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x40c5d53b, "sraw a0, a1, a2", OP_SRAW, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x0ff0000f, "fence iorw, iorw", OP_FENCE, 0, 0, 0, 0, 0xff, 0, 4 },
	{ 0x0310000f, "fence rw, w", OP_FENCE, 0, 0, 0, 0, 0x31, 0, 4 },
	{ 0x8330000f, "fence.tso", OP_FENCE, 0, 0, 0, 0, 0x833, 0, 4 },
	{ 0x0000100f, "fence.i", OP_FENCE_I, 0, 0, 0, 0, 0, 0, 4 },
	{ 0x00000073, "ecall", OP_ECALL, 0, 0, 0, 0, 0, 0, 4 },
	{ 0x00100073, "ebreak", OP_EBREAK, 0, 0, 0, 0, 0, 0, 4 },
	{ 0x30059573, "csrrw a0, mstatus, a1", OP_CSRRW, 10, 11, 0, 0, 0x300, 0,
	  4 },
	{ 0xc00022f3, "csrrs t0, cycle, zero", OP_CSRRS, 5, 0, 0, 0, 0xc00, 0,
	  4 },
	{ 0xfff5b573, "csrrc a0, 0xfff, a1", OP_CSRRC, 10, 11, 0, 0, 0xfff, 0,
	  4 },
	{ 0x305fd573, "csrrwi a0, mtvec, 31", OP_CSRRWI, 10, 31, 0, 0, 0x305, 0,
	  4 },
	{ 0x1000e073, "csrrsi zero, sstatus, 1", OP_CSRRSI, 0, 1, 0, 0, 0x100,
	  0, 4 },
	{ 0x18007573, "csrrci a0, satp, 0", OP_CSRRCI, 10, 0, 0, 0, 0x180, 0,
	  4 },
	{ 0x30200073, "mret", OP_MRET, 0, 0, 0, 0, 0, 0, 4 },
	{ 0x10200073, "sret", OP_SRET, 0, 0, 0, 0, 0, 0, 4 },
	{ 0x10500073, "wfi", OP_WFI, 0, 0, 0, 0, 0, 0, 4 },
	{ 0x12b50073, "sfence.vma a0, a1", OP_SFENCE_VMA, 0, 10, 11, 0, 0, 0,
	  4 },
	{ 0x12000073, "sfence.vma zero, zero", OP_SFENCE_VMA, 0, 0, 0, 0, 0, 0,
	  4 },
	{ 0x02c58533, "mul a0, a1, a2", OP_MUL, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x02c59533, "mulh a0, a1, a2", OP_MULH, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x02c5a533, "mulhsu a0, a1, a2", OP_MULHSU, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x02c5b533, "mulhu a0, a1, a2", OP_MULHU, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x02c5c533, "div a0, a1, a2", OP_DIV, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x02c5d533, "divu a0, a1, a2", OP_DIVU, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x02c5e533, "rem a0, a1, a2", OP_REM, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x02c5f533, "remu a0, a1, a2", OP_REMU, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x02c5853b, "mulw a0, a1, a2", OP_MULW, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x02c5c53b, "divw a0, a1, a2", OP_DIVW, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x02c5d53b, "divuw a0, a1, a2", OP_DIVUW, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x02c5e53b, "remw a0, a1, a2", OP_REMW, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x02c5f53b, "remuw a0, a1, a2", OP_REMUW, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x1405a52f, "lr.w.aq a0, (a1)", OP_LR_W, 10, 11, 0, 0, 0, 2, 4 },
	{ 0x1ac5a52f, "sc.w.rl a0, a2, (a1)", OP_SC_W, 10, 11, 12, 0, 0, 1, 4 },
	{ 0x0ec5a52f, "amoswap.w.aqrl a0, a2, (a1)", OP_AMOSWAP_W, 10, 11, 12,
	  0, 0, 3, 4 },
	{ 0x00c5a52f, "amoadd.w a0, a2, (a1)", OP_AMOADD_W, 10, 11, 12, 0, 0, 0,
	  4 },
	{ 0x24c5a52f, "amoxor.w.aq a0, a2, (a1)", OP_AMOXOR_W, 10, 11, 12, 0, 0,
	  2, 4 },
	{ 0x60c5a52f, "amoand.w a0, a2, (a1)", OP_AMOAND_W, 10, 11, 12, 0, 0, 0,
	  4 },
	{ 0x40c5a52f, "amoor.w a0, a2, (a1)", OP_AMOOR_W, 10, 11, 12, 0, 0, 0,
	  4 },
	{ 0x80c5a52f, "amomin.w a0, a2, (a1)", OP_AMOMIN_W, 10, 11, 12, 0, 0, 0,
	  4 },
	{ 0xa0c5a52f, "amomax.w a0, a2, (a1)", OP_AMOMAX_W, 10, 11, 12, 0, 0, 0,
	  4 },
	{ 0xc0c5a52f, "amominu.w a0, a2, (a1)", OP_AMOMINU_W, 10, 11, 12, 0, 0,
	  0, 4 },
	{ 0xe2c5a52f, "amomaxu.w.rl a0, a2, (a1)", OP_AMOMAXU_W, 10, 11, 12, 0,
	  0, 1, 4 },
	{ 0x1005b52f, "lr.d a0, (a1)", OP_LR_D, 10, 11, 0, 0, 0, 0, 4 },
	{ 0x1ec5b52f, "sc.d.aqrl a0, a2, (a1)", OP_SC_D, 10, 11, 12, 0, 0, 3,
	  4 },
	{ 0x08c5b52f, "amoswap.d a0, a2, (a1)", OP_AMOSWAP_D, 10, 11, 12, 0, 0,
	  0, 4 },
	{ 0x04c5b52f, "amoadd.d.aq a0, a2, (a1)", OP_AMOADD_D, 10, 11, 12, 0, 0,
	  2, 4 },
	{ 0x20c5b52f, "amoxor.d a0, a2, (a1)", OP_AMOXOR_D, 10, 11, 12, 0, 0, 0,
	  4 },
	{ 0x62c5b52f, "amoand.d.rl a0, a2, (a1)", OP_AMOAND_D, 10, 11, 12, 0, 0,
	  1, 4 },
	{ 0x40c5b52f, "amoor.d a0, a2, (a1)", OP_AMOOR_D, 10, 11, 12, 0, 0, 0,
	  4 },
	{ 0x80c5b52f, "amomin.d a0, a2, (a1)", OP_AMOMIN_D, 10, 11, 12, 0, 0, 0,
	  4 },
	{ 0xa0c5b52f, "amomax.d a0, a2, (a1)", OP_AMOMAX_D, 10, 11, 12, 0, 0, 0,
	  4 },
	{ 0xc0c5b52f, "amominu.d a0, a2, (a1)", OP_AMOMINU_D, 10, 11, 12, 0, 0,
	  0, 4 },
	{ 0xe1eebfaf, "amomaxu.d t6, t5, (t4)", OP_AMOMAXU_D, 31, 29, 30, 0, 0,
	  0, 4 },
	{ 0xffc5a507, "flw fa0, -4(a1)", OP_FLW, 10, 11, 0, 0, -4, 0, 4 },
	{ 0x7ec5afa7, "fsw fa2, 2047(a1)", OP_FSW, 0, 11, 12, 0, 2047, 0, 4 },
	{ 0x68c58543, "fmadd.s fa0, fa1, fa2, fa3, rne", OP_FMADD_S, 10, 11, 12,
	  13, 0, 0, 4 },
	{ 0x18209047, "fmsub.s ft0, ft1, ft2, ft3, rtz", OP_FMSUB_S, 0, 1, 2, 3,
	  0, 1, 4 },
	{ 0x68c5a54b, "fnmsub.s fa0, fa1, fa2, fa3, rdn", OP_FNMSUB_S, 10, 11,
	  12, 13, 0, 2, 4 },
	{ 0xe1df3fcf, "fnmadd.s ft11, ft10, ft9, ft8, rup", OP_FNMADD_S, 31, 30,
	  29, 28, 0, 3, 4 },
	{ 0x00c5c553, "fadd.s fa0, fa1, fa2, rmm", OP_FADD_S, 10, 11, 12, 0, 0,
	  4, 4 },
	{ 0x08c5f553, "fsub.s fa0, fa1, fa2", OP_FSUB_S, 10, 11, 12, 0, 0, 7,
	  4 },
	{ 0x10c58553, "fmul.s fa0, fa1, fa2, rne", OP_FMUL_S, 10, 11, 12, 0, 0,
	  0, 4 },
	{ 0x18c5f553, "fdiv.s fa0, fa1, fa2", OP_FDIV_S, 10, 11, 12, 0, 0, 7,
	  4 },
	{ 0x5805f553, "fsqrt.s fa0, fa1", OP_FSQRT_S, 10, 11, 0, 0, 0, 7, 4 },
	{ 0x20c58553, "fsgnj.s fa0, fa1, fa2", OP_FSGNJ_S, 10, 11, 12, 0, 0, 0,
	  4 },
	{ 0x20c59553, "fsgnjn.s fa0, fa1, fa2", OP_FSGNJN_S, 10, 11, 12, 0, 0,
	  0, 4 },
	{ 0x20c5a553, "fsgnjx.s fa0, fa1, fa2", OP_FSGNJX_S, 10, 11, 12, 0, 0,
	  0, 4 },
	{ 0x28c58553, "fmin.s fa0, fa1, fa2", OP_FMIN_S, 10, 11, 12, 0, 0, 0,
	  4 },
	{ 0x28c59553, "fmax.s fa0, fa1, fa2", OP_FMAX_S, 10, 11, 12, 0, 0, 0,
	  4 },
	{ 0xc0059553, "fcvt.w.s a0, fa1, rtz", OP_FCVT_W_S, 10, 11, 0, 0, 0, 1,
	  4 },
	{ 0xc015f553, "fcvt.wu.s a0, fa1", OP_FCVT_WU_S, 10, 11, 0, 0, 0, 7,
	  4 },
	{ 0xc025b553, "fcvt.l.s a0, fa1, rup", OP_FCVT_L_S, 10, 11, 0, 0, 0, 3,
	  4 },
	{ 0xc035f553, "fcvt.lu.s a0, fa1", OP_FCVT_LU_S, 10, 11, 0, 0, 0, 7,
	  4 },
	{ 0xd005f553, "fcvt.s.w fa0, a1", OP_FCVT_S_W, 10, 11, 0, 0, 0, 7, 4 },
	{ 0xd015a553, "fcvt.s.wu fa0, a1, rdn", OP_FCVT_S_WU, 10, 11, 0, 0, 0,
	  2, 4 },
	{ 0xd025f553, "fcvt.s.l fa0, a1", OP_FCVT_S_L, 10, 11, 0, 0, 0, 7, 4 },
	{ 0xd035c553, "fcvt.s.lu fa0, a1, rmm", OP_FCVT_S_LU, 10, 11, 0, 0, 0,
	  4, 4 },
	{ 0xe0058553, "fmv.x.w a0, fa1", OP_FMV_X_W, 10, 11, 0, 0, 0, 0, 4 },
	{ 0xf0058553, "fmv.w.x fa0, a1", OP_FMV_W_X, 10, 11, 0, 0, 0, 0, 4 },
	{ 0xa0c5a553, "feq.s a0, fa1, fa2", OP_FEQ_S, 10, 11, 12, 0, 0, 0, 4 },
	{ 0xa0c59553, "flt.s a0, fa1, fa2", OP_FLT_S, 10, 11, 12, 0, 0, 0, 4 },
	{ 0xa0c58553, "fle.s a0, fa1, fa2", OP_FLE_S, 10, 11, 12, 0, 0, 0, 4 },
	{ 0xe0059553, "fclass.s a0, fa1", OP_FCLASS_S, 10, 11, 0, 0, 0, 0, 4 },
	{ 0xff813507, "fld fa0, -8(sp)", OP_FLD, 10, 2, 0, 0, -8, 0, 4 },
	{ 0x7fbfbc27, "fsd fs11, 2040(t6)", OP_FSD, 0, 31, 27, 0, 2040, 0, 4 },
	{ 0x6ac5f543, "fmadd.d fa0, fa1, fa2, fa3", OP_FMADD_D, 10, 11, 12, 13,
	  0, 7, 4 },
	{ 0x6ac58547, "fmsub.d fa0, fa1, fa2, fa3, rne", OP_FMSUB_D, 10, 11, 12,
	  13, 0, 0, 4 },
	{ 0x6ac5f54b, "fnmsub.d fa0, fa1, fa2, fa3", OP_FNMSUB_D, 10, 11, 12,
	  13, 0, 7, 4 },
	{ 0x6ac5954f, "fnmadd.d fa0, fa1, fa2, fa3, rtz", OP_FNMADD_D, 10, 11,
	  12, 13, 0, 1, 4 },
	{ 0x02c5f553, "fadd.d fa0, fa1, fa2", OP_FADD_D, 10, 11, 12, 0, 0, 7,
	  4 },
	{ 0x0ac59553, "fsub.d fa0, fa1, fa2, rtz", OP_FSUB_D, 10, 11, 12, 0, 0,
	  1, 4 },
	{ 0x12c5f553, "fmul.d fa0, fa1, fa2", OP_FMUL_D, 10, 11, 12, 0, 0, 7,
	  4 },
	{ 0x1ac5b553, "fdiv.d fa0, fa1, fa2, rup", OP_FDIV_D, 10, 11, 12, 0, 0,
	  3, 4 },
	{ 0x5a05a553, "fsqrt.d fa0, fa1, rdn", OP_FSQRT_D, 10, 11, 0, 0, 0, 2,
	  4 },
	{ 0x22c58553, "fsgnj.d fa0, fa1, fa2", OP_FSGNJ_D, 10, 11, 12, 0, 0, 0,
	  4 },
	{ 0x22c59553, "fsgnjn.d fa0, fa1, fa2", OP_FSGNJN_D, 10, 11, 12, 0, 0,
	  0, 4 },
	{ 0x22c5a553, "fsgnjx.d fa0, fa1, fa2", OP_FSGNJX_D, 10, 11, 12, 0, 0,
	  0, 4 },
	{ 0x2ac58553, "fmin.d fa0, fa1, fa2", OP_FMIN_D, 10, 11, 12, 0, 0, 0,
	  4 },
	{ 0x2ac59553, "fmax.d fa0, fa1, fa2", OP_FMAX_D, 10, 11, 12, 0, 0, 0,
	  4 },
	{ 0xc2059553, "fcvt.w.d a0, fa1, rtz", OP_FCVT_W_D, 10, 11, 0, 0, 0, 1,
	  4 },
	{ 0xc215f553, "fcvt.wu.d a0, fa1", OP_FCVT_WU_D, 10, 11, 0, 0, 0, 7,
	  4 },
	{ 0xc225f553, "fcvt.l.d a0, fa1", OP_FCVT_L_D, 10, 11, 0, 0, 0, 7, 4 },
	{ 0xc2358553, "fcvt.lu.d a0, fa1, rne", OP_FCVT_LU_D, 10, 11, 0, 0, 0,
	  0, 4 },
	{ 0xd2058553, "fcvt.d.w fa0, a1", OP_FCVT_D_W, 10, 11, 0, 0, 0, 0, 4 },
	{ 0xd2158553, "fcvt.d.wu fa0, a1", OP_FCVT_D_WU, 10, 11, 0, 0, 0, 0,
	  4 },
	{ 0xd2259553, "fcvt.d.l fa0, a1, rtz", OP_FCVT_D_L, 10, 11, 0, 0, 0, 1,
	  4 },
	{ 0xd235f553, "fcvt.d.lu fa0, a1", OP_FCVT_D_LU, 10, 11, 0, 0, 0, 7,
	  4 },
	{ 0x4015f553, "fcvt.s.d fa0, fa1", OP_FCVT_S_D, 10, 11, 0, 0, 0, 7, 4 },
	{ 0x42058553, "fcvt.d.s fa0, fa1", OP_FCVT_D_S, 10, 11, 0, 0, 0, 0, 4 },
	{ 0xe2058553, "fmv.x.d a0, fa1", OP_FMV_X_D, 10, 11, 0, 0, 0, 0, 4 },
	{ 0xf2058553, "fmv.d.x fa0, a1", OP_FMV_D_X, 10, 11, 0, 0, 0, 0, 4 },
	{ 0xa2c5a553, "feq.d a0, fa1, fa2", OP_FEQ_D, 10, 11, 12, 0, 0, 0, 4 },
	{ 0xa2c59553, "flt.d a0, fa1, fa2", OP_FLT_D, 10, 11, 12, 0, 0, 0, 4 },
	{ 0xa2c58553, "fle.d a0, fa1, fa2", OP_FLE_D, 10, 11, 12, 0, 0, 0, 4 },
	{ 0xe2059553, "fclass.d a0, fa1", OP_FCLASS_D, 10, 11, 0, 0, 0, 0, 4 },
	{ 0x08c5853b, "add.uw a0, a1, a2", OP_ADD_UW, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x20c5a533, "sh1add a0, a1, a2", OP_SH1ADD, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x20c5c533, "sh2add a0, a1, a2", OP_SH2ADD, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x20c5e533, "sh3add a0, a1, a2", OP_SH3ADD, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x20c5a53b, "sh1add.uw a0, a1, a2", OP_SH1ADD_UW, 10, 11, 12, 0, 0, 0,
	  4 },
	{ 0x20c5c53b, "sh2add.uw a0, a1, a2", OP_SH2ADD_UW, 10, 11, 12, 0, 0, 0,
	  4 },
	{ 0x20c5e53b, "sh3add.uw a0, a1, a2", OP_SH3ADD_UW, 10, 11, 12, 0, 0, 0,
	  4 },
	{ 0x0bf5951b, "slli.uw a0, a1, 63", OP_SLLI_UW, 10, 11, 0, 0, 63, 0,
	  4 },
	{ 0x40c5f533, "andn a0, a1, a2", OP_ANDN, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x40c5e533, "orn a0, a1, a2", OP_ORN, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x40c5c533, "xnor a0, a1, a2", OP_XNOR, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x60059513, "clz a0, a1", OP_CLZ, 10, 11, 0, 0, 0, 0, 4 },
	{ 0x6005951b, "clzw a0, a1", OP_CLZW, 10, 11, 0, 0, 0, 0, 4 },
	{ 0x60159513, "ctz a0, a1", OP_CTZ, 10, 11, 0, 0, 0, 0, 4 },
	{ 0x6015951b, "ctzw a0, a1", OP_CTZW, 10, 11, 0, 0, 0, 0, 4 },
	{ 0x60259513, "cpop a0, a1", OP_CPOP, 10, 11, 0, 0, 0, 0, 4 },
	{ 0x6025951b, "cpopw a0, a1", OP_CPOPW, 10, 11, 0, 0, 0, 0, 4 },
	{ 0x0ac5e533, "max a0, a1, a2", OP_MAX, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x0ac5f533, "maxu a0, a1, a2", OP_MAXU, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x0ac5c533, "min a0, a1, a2", OP_MIN, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x0ac5d533, "minu a0, a1, a2", OP_MINU, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x60459513, "sext.b a0, a1", OP_SEXT_B, 10, 11, 0, 0, 0, 0, 4 },
	{ 0x60559513, "sext.h a0, a1", OP_SEXT_H, 10, 11, 0, 0, 0, 0, 4 },
	{ 0x0805c53b, "zext.h a0, a1", OP_ZEXT_H, 10, 11, 0, 0, 0, 0, 4 },
	{ 0x60c59533, "rol a0, a1, a2", OP_ROL, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x60c5953b, "rolw a0, a1, a2", OP_ROLW, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x60c5d533, "ror a0, a1, a2", OP_ROR, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x63f5d513, "rori a0, a1, 63", OP_RORI, 10, 11, 0, 0, 63, 0, 4 },
	{ 0x61f5d51b, "roriw a0, a1, 31", OP_RORIW, 10, 11, 0, 0, 31, 0, 4 },
	{ 0x60c5d53b, "rorw a0, a1, a2", OP_RORW, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x2875d513, "orc.b a0, a1", OP_ORC_B, 10, 11, 0, 0, 0, 0, 4 },
	{ 0x6b85d513, "rev8 a0, a1", OP_REV8, 10, 11, 0, 0, 0, 0, 4 },
	{ 0x48c59533, "bclr a0, a1, a2", OP_BCLR, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x4bf59513, "bclri a0, a1, 63", OP_BCLRI, 10, 11, 0, 0, 63, 0, 4 },
	{ 0x48c5d533, "bext a0, a1, a2", OP_BEXT, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x4805d513, "bexti a0, a1, 0", OP_BEXTI, 10, 11, 0, 0, 0, 0, 4 },
	{ 0x68c59533, "binv a0, a1, a2", OP_BINV, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x6a059513, "binvi a0, a1, 32", OP_BINVI, 10, 11, 0, 0, 32, 0, 4 },
	{ 0x28c59533, "bset a0, a1, a2", OP_BSET, 10, 11, 12, 0, 0, 0, 4 },
	{ 0x29f59513, "bseti a0, a1, 31", OP_BSETI, 10, 11, 0, 0, 31, 0, 4 },
	{ 0x00001fe8, "c.addi4spn a0, sp, 1020", OP_ADDI, 10, 2, 0, 0, 1020, 0,
	  2 },
	{ 0x00000040, "c.addi4spn s0, sp, 4", OP_ADDI, 8, 2, 0, 0, 4, 0, 2 },
	{ 0x00003de8, "c.fld fa0, 248(a1)", OP_FLD, 10, 11, 0, 0, 248, 0, 2 },
	{ 0x00005de8, "c.lw a0, 124(a1)", OP_LW, 10, 11, 0, 0, 124, 0, 2 },
	{ 0x00004044, "c.lw s1, 4(s0)", OP_LW, 9, 8, 0, 0, 4, 0, 2 },
	{ 0x00007de8, "c.ld a0, 248(a1)", OP_LD, 10, 11, 0, 0, 248, 0, 2 },
	{ 0x0000a590, "c.fsd fa2, 8(a1)", OP_FSD, 0, 11, 12, 0, 8, 0, 2 },
	{ 0x0000c1b0, "c.sw a2, 64(a1)", OP_SW, 0, 11, 12, 0, 64, 0, 2 },
	{ 0x0000e3d0, "c.sd a2, 128(a5)", OP_SD, 0, 15, 12, 0, 128, 0, 2 },
	{ 0x00000001, "c.nop", OP_ADDI, 0, 0, 0, 0, 0, 0, 2 },
	{ 0x00001501, "c.addi a0, -32", OP_ADDI, 10, 10, 0, 0, -32, 0, 2 },
	{ 0x00000ffd, "c.addi t6, 31", OP_ADDI, 31, 31, 0, 0, 31, 0, 2 },
	{ 0x0000357d, "c.addiw a0, -1", OP_ADDIW, 10, 10, 0, 0, -1, 0, 2 },
	{ 0x00002081, "c.addiw ra, 0", OP_ADDIW, 1, 1, 0, 0, 0, 0, 2 },
	{ 0x000057fd, "c.li a5, -1", OP_ADDI, 15, 0, 0, 0, -1, 0, 2 },
	{ 0x0000457d, "c.li a0, 31", OP_ADDI, 10, 0, 0, 0, 31, 0, 2 },
	{ 0x00007101, "c.addi16sp sp, -512", OP_ADDI, 2, 2, 0, 0, -512, 0, 2 },
	{ 0x0000617d, "c.addi16sp sp, 496", OP_ADDI, 2, 2, 0, 0, 496, 0, 2 },
	{ 0x00006141, "c.addi16sp sp, 16", OP_ADDI, 2, 2, 0, 0, 16, 0, 2 },
	{ 0x00007501, "c.lui a0, 0xfffe0", OP_LUI, 10, 0, 0, 0, -0x20000, 0,
	  2 },
	{ 0x00006505, "c.lui a0, 1", OP_LUI, 10, 0, 0, 0, 0x1000, 0, 2 },
	{ 0x00006ffd, "c.lui t6, 0x1f", OP_LUI, 31, 0, 0, 0, 0x1f000, 0, 2 },
	{ 0x0000917d, "c.srli a0, 63", OP_SRLI, 10, 10, 0, 0, 63, 0, 2 },
	{ 0x00008005, "c.srli s0, 1", OP_SRLI, 8, 8, 0, 0, 1, 0, 2 },
	{ 0x00009581, "c.srai a1, 32", OP_SRAI, 11, 11, 0, 0, 32, 0, 2 },
	{ 0x00009a7d, "c.andi a2, -1", OP_ANDI, 12, 12, 0, 0, -1, 0, 2 },
	{ 0x00008a7d, "c.andi a2, 31", OP_ANDI, 12, 12, 0, 0, 31, 0, 2 },
	{ 0x00008d0d, "c.sub a0, a1", OP_SUB, 10, 10, 11, 0, 0, 0, 2 },
	{ 0x00008c25, "c.xor s0, s1", OP_XOR, 8, 8, 9, 0, 0, 0, 2 },
	{ 0x00008fd9, "c.or a5, a4", OP_OR, 15, 15, 14, 0, 0, 0, 2 },
	{ 0x00008ef1, "c.and a3, a2", OP_AND, 13, 13, 12, 0, 0, 0, 2 },
	{ 0x00009d0d, "c.subw a0, a1", OP_SUBW, 10, 10, 11, 0, 0, 0, 2 },
	{ 0x00009d2d, "c.addw a0, a1", OP_ADDW, 10, 10, 11, 0, 0, 0, 2 },
	{ 0x0000b001, "c.j .-2048", OP_JAL, 0, 0, 0, 0, -2048, 0, 2 },
	{ 0x0000affd, "c.j .+2046", OP_JAL, 0, 0, 0, 0, 2046, 0, 2 },
	{ 0x0000a455, "c.j .+0x2a4", OP_JAL, 0, 0, 0, 0, 676, 0, 2 },
	{ 0x0000d101, "c.beqz a0, .-256", OP_BEQ, 0, 10, 0, 0, -256, 0, 2 },
	{ 0x0000effd, "c.bnez a5, .+254", OP_BNE, 0, 15, 0, 0, 254, 0, 2 },
	{ 0x0000e42d, "c.bnez s0, .+0x6a", OP_BNE, 0, 8, 0, 0, 106, 0, 2 },
	{ 0x0000157e, "c.slli a0, 63", OP_SLLI, 10, 10, 0, 0, 63, 0, 2 },
	{ 0x00000f86, "c.slli t6, 1", OP_SLLI, 31, 31, 0, 0, 1, 0, 2 },
	{ 0x0000357e, "c.fldsp fa0, 504(sp)", OP_FLD, 10, 2, 0, 0, 504, 0, 2 },
	{ 0x00002022, "c.fldsp ft0, 8(sp)", OP_FLD, 0, 2, 0, 0, 8, 0, 2 },
	{ 0x0000557e, "c.lwsp a0, 252(sp)", OP_LW, 10, 2, 0, 0, 252, 0, 2 },
	{ 0x00004f92, "c.lwsp t6, 4(sp)", OP_LW, 31, 2, 0, 0, 4, 0, 2 },
	{ 0x000070fe, "c.ldsp ra, 504(sp)", OP_LD, 1, 2, 0, 0, 504, 0, 2 },
	{ 0x00006fc2, "c.ldsp t6, 16(sp)", OP_LD, 31, 2, 0, 0, 16, 0, 2 },
	{ 0x00008082, "c.jr ra", OP_JALR, 0, 1, 0, 0, 0, 0, 2 },
	{ 0x00008f82, "c.jr t6", OP_JALR, 0, 31, 0, 0, 0, 0, 2 },
	{ 0x0000852e, "c.mv a0, a1", OP_ADD, 10, 0, 11, 0, 0, 0, 2 },
	{ 0x00009002, "c.ebreak", OP_EBREAK, 0, 0, 0, 0, 0, 0, 2 },
	{ 0x00009502, "c.jalr a0", OP_JALR, 1, 10, 0, 0, 0, 0, 2 },
	{ 0x0000952e, "c.add a0, a1", OP_ADD, 10, 10, 11, 0, 0, 0, 2 },
	{ 0x00009ffa, "c.add t6, t5", OP_ADD, 31, 31, 30, 0, 0, 0, 2 },
	{ 0x0000bfaa, "c.fsdsp fa0, 504(sp)", OP_FSD, 0, 2, 10, 0, 504, 0, 2 },
	{ 0x0000a402, "c.fsdsp ft0, 8(sp)", OP_FSD, 0, 2, 0, 0, 8, 0, 2 },
	{ 0x0000dfaa, "c.swsp a0, 252(sp)", OP_SW, 0, 2, 10, 0, 252, 0, 2 },
	{ 0x0000c27e, "c.swsp t6, 4(sp)", OP_SW, 0, 2, 31, 0, 4, 0, 2 },
	{ 0x0000ff86, "c.sdsp ra, 504(sp)", OP_SD, 0, 2, 1, 0, 504, 0, 2 },
	{ 0x0000e47e, "c.sdsp t6, 8(sp)", OP_SD, 0, 2, 31, 0, 8, 0, 2 },
};

/* R-type (and AMO, OP-FP) layout: funct7 rs2 rs1 funct3 rd opcode. */
static uint32_t enc_r(uint32_t f7, uint32_t rs2, uint32_t rs1, uint32_t f3,
		      uint32_t rd, uint32_t opc)
{
	return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
}

/* I-type layout: imm[11:0] rs1 funct3 rd opcode. */
static uint32_t enc_i(uint32_t imm12, uint32_t rs1, uint32_t f3, uint32_t rd,
		      uint32_t opc)
{
	return (imm12 & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
}

enum {
	LOAD = 0x03,
	LOAD_FP = 0x07,
	MISC_MEM = 0x0f,
	OP_IMM = 0x13,
	OP_IMM_32 = 0x1b,
	STORE = 0x23,
	AMO = 0x2f,
	OP_RR = 0x33, /* OP: register-register */
	OP_32 = 0x3b,
	MADD = 0x43,
	OP_FP = 0x53,
	JALR = 0x67,
	SYSTEM = 0x73,
};

static bool check_want(const struct want *w)
{
	int failed = unit_failed;
	struct insn in;

	decode(w->raw, &in);
	CHECK_EQ_U64(in.op, w->op);
	CHECK_EQ_U64(in.rd, w->rd);
	CHECK_EQ_U64(in.rs1, w->rs1);
	CHECK_EQ_U64(in.rs2, w->rs2);
	CHECK_EQ_U64(in.rs3, w->rs3);
	CHECK_EQ_U64(in.imm, w->imm);
	CHECK_EQ_U64(in.rm, w->rm);
	CHECK_EQ_U64(in.len, w->len);
	CHECK_EQ_U64(in.raw, w->len == 2 ? w->raw & 0xffff : w->raw);
	if (unit_failed != failed)
		fprintf(stderr, "  in: %s (0x%08x, decoded as %s)\n", w->src,
			w->raw, insn_op_name(in.op));
	return unit_failed == failed;
}

static void test_assembled(void)
{
	bool seen[OP_COUNT] = { false };
	size_t i;

	for (i = 0; i < sizeof(assembled) / sizeof(assembled[0]); i++) {
		check_want(&assembled[i]);
		seen[assembled[i].op] = true;
	}
	seen[OP_CZERO_EQZ] = seen[OP_CZERO_NEZ] = true;
	for (i = 1; i < OP_COUNT; i++) {
		if (!seen[i])
			fprintf(stderr, "no encoding tested for %s\n",
				insn_op_name(i));
		CHECK(seen[i]);
	}
}

/* Encodings built from the spec's fields, which binutils 2.40 lacks. */
static void test_built(void)
{
	const struct want w[] = {
		/* Zicond: funct7 0000111, funct3 101 (eqz) / 111 (nez) */
		{ enc_r(0x07, 12, 11, 5, 10, OP_RR), "czero.eqz a0, a1, a2",
		  OP_CZERO_EQZ, 10, 11, 12, 0, 0, 0, 4 },
		{ enc_r(0x07, 31, 30, 7, 29, OP_RR), "czero.nez t4, t5, t6",
		  OP_CZERO_NEZ, 29, 30, 31, 0, 0, 0, 4 },
		/* FENCE ignores rd and rs1; unknown fm is a normal fence */
		{ enc_i(0x0ff, 5, 0, 6, MISC_MEM), "fence with rd, rs1",
		  OP_FENCE, 0, 0, 0, 0, 0xff, 0, 4 },
		{ enc_i(0x5ff, 0, 0, 0, MISC_MEM), "fence fm=0101", OP_FENCE, 0,
		  0, 0, 0, 0x5ff, 0, 4 },
		/* FENCE.I ignores imm, rs1 and rd (spec 6.1) */
		{ enc_i(0xabc, 7, 1, 9, MISC_MEM), "fence.i with fields",
		  OP_FENCE_I, 0, 0, 0, 0, 0, 0, 4 },
		/* AMOs ignore nothing: aq|rl both set on lr.d */
		{ enc_r(0x02 << 2 | 3, 0, 11, 3, 10, AMO), "lr.d.aqrl a0, (a1)",
		  OP_LR_D, 10, 11, 0, 0, 0, 3, 4 },
		/* dynamic rounding mode 111 is valid in the encoding */
		{ enc_r(0x00, 12, 11, 7, 10, OP_FP), "fadd.s fa0,fa1,fa2,dyn",
		  OP_FADD_S, 10, 11, 12, 0, 0, 7, 4 },
		/* fcvt.d.w carries an rm field even though it is exact */
		{ enc_r(0x69, 0, 11, 1, 10, OP_FP), "fcvt.d.w fa0, a1, rtz",
		  OP_FCVT_D_W, 10, 11, 0, 0, 0, 1, 4 },
		/* compressed HINTs decode to their plain operation */
		{ 0x0005, "c.addi zero, 1 (HINT)", OP_ADDI, 0, 0, 0, 0, 1, 0,
		  2 },
		{ 0x0501, "c.addi a0, 0 (HINT)", OP_ADDI, 10, 10, 0, 0, 0, 0,
		  2 },
		{ 0x4015, "c.li zero, 5 (HINT)", OP_ADDI, 0, 0, 0, 0, 5, 0, 2 },
		{ 0x6005, "c.lui zero, 1 (HINT)", OP_LUI, 0, 0, 0, 0, 0x1000, 0,
		  2 },
		{ 0x802a, "c.mv zero, a0 (HINT)", OP_ADD, 0, 0, 10, 0, 0, 0,
		  2 },
		{ 0x902a, "c.add zero, a0 (HINT)", OP_ADD, 0, 0, 10, 0, 0, 0,
		  2 },
		{ 0x0006, "c.slli zero, 1 (HINT)", OP_SLLI, 0, 0, 0, 0, 1, 0,
		  2 },
		{ 0x0502, "c.slli a0, 0 (HINT)", OP_SLLI, 10, 10, 0, 0, 0, 0,
		  2 },
		{ 0x8001, "c.srli s0, 0 (HINT)", OP_SRLI, 8, 8, 0, 0, 0, 0, 2 },
		{ 0x8401, "c.srai s0, 0 (HINT)", OP_SRAI, 8, 8, 0, 0, 0, 0, 2 },
		/* for a compressed instruction the upper half is ignored */
		{ 0xdead4505, "c.li a0, 1 with garbage above", OP_ADDI, 10, 0,
		  0, 0, 1, 0, 2 },
		{ 0xffff9002, "c.ebreak with ones above", OP_EBREAK, 0, 0, 0, 0,
		  0, 0, 2 },
	};
	size_t i;

	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		check_want(&w[i]);
}

static void check_illegal(uint32_t raw, const char *what)
{
	struct insn in;
	int len = insn_is_compressed(raw) ? 2 : 4;

	decode(raw, &in);
	if (in.op != OP_ILLEGAL)
		fprintf(stderr, "0x%08x (%s) decoded as %s\n", raw, what,
			insn_op_name(in.op));
	CHECK_EQ_U64(in.op, OP_ILLEGAL);
	CHECK_EQ_U64(in.len, len);
	CHECK_EQ_U64(in.raw, len == 2 ? raw & 0xffff : raw);
	CHECK(in.rd == 0 && in.rs1 == 0 && in.rs2 == 0 && in.rs3 == 0 &&
	      in.imm == 0 && in.rm == 0);
}

static void test_illegal_32(void)
{
	const struct {
		uint32_t raw;
		const char *what;
	} c[] = {
		{ 0xffffffff, "all ones" },
		{ enc_i(0, 11, 7, 10, LOAD), "load funct3 111" },
		{ enc_r(0, 10, 11, 4, 0, STORE), "store funct3 100" },
		{ enc_i(0, 11, 1, 10, JALR), "jalr funct3 001" },
		{ enc_r(0, 11, 10, 2, 0, 0x63), "branch funct3 010" },
		{ enc_r(0x01, 0, 11, 1, 10, OP_IMM_32), "slliw shamt 32" },
		{ enc_r(0x01, 0, 11, 5, 10, OP_IMM_32), "srliw shamt 32" },
		{ enc_r(0x21, 0, 11, 5, 10, OP_IMM_32), "sraiw shamt 32" },
		{ enc_r(0x31, 0, 11, 5, 10, OP_IMM_32), "roriw shamt 32" },
		{ enc_i(0, 11, 2, 10, OP_IMM_32), "op-imm-32 funct3 010" },
		{ enc_r(0x08, 0, 11, 1, 10, OP_IMM), "slli funct6 000100" },
		{ enc_r(0x20, 0, 11, 1, 10, OP_IMM), "slli funct6 010000" },
		{ enc_r(0x02, 0, 11, 5, 10, OP_IMM), "srli funct6 000001" },
		{ enc_i(0x603, 11, 1, 10, OP_IMM), "clz-group funct12 0x603" },
		{ enc_i(0x698, 11, 5, 10, OP_IMM), "rev8 RV32 encoding" },
		{ enc_i(0x687, 11, 5, 10, OP_IMM), "orc.b with funct12 0x687" },
		{ enc_i(0x603, 11, 1, 10, OP_IMM_32), "clzw-group 0x603" },
		{ enc_r(0x02, 12, 11, 0, 10, OP_RR), "op funct7 0000010" },
		{ enc_r(0x20, 12, 11, 1, 10, OP_RR), "sub-group funct3 001" },
		{ enc_r(0x05, 12, 11, 1, 10, OP_RR), "clmul (Zbc)" },
		{ enc_r(0x07, 12, 11, 6, 10, OP_RR), "czero funct3 110" },
		{ enc_r(0x04, 12, 11, 4, 10, OP_RR), "pack (Zbkb)" },
		{ enc_r(0x04, 1, 11, 4, 10, OP_32), "packw (zext.h rs2!=0)" },
		{ enc_r(0x00, 12, 11, 2, 10, OP_32), "op-32 funct3 010" },
		{ enc_r(0x01, 12, 11, 1, 10, OP_32), "mulw-group funct3 001" },
		{ enc_r(0x10, 12, 11, 3, 10, OP_32), "shNadd.uw funct3 011" },
		{ enc_r(0x02 << 2, 1, 11, 2, 10, AMO), "lr.w with rs2 = 1" },
		{ enc_r(0x02 << 2, 1, 11, 3, 10, AMO), "lr.d with rs2 = 1" },
		{ enc_r(0x05 << 2, 12, 11, 2, 10, AMO), "amo funct5 00101" },
		{ enc_r(0x00, 12, 11, 0, 10, AMO), "amoadd funct3 000" },
		{ enc_r(0x00, 12, 11, 4, 10, AMO), "amoadd funct3 100 (.q)" },
		{ enc_i(0, 11, 1, 10, LOAD_FP), "flh (Zfh)" },
		{ enc_i(0, 11, 4, 10, LOAD_FP), "flq (Q)" },
		{ enc_r(0, 10, 11, 1, 0, 0x27), "fsh (Zfh)" },
		{ enc_r(0x0d << 2 | 2, 12, 11, 7, 10, MADD), "fmadd.h" },
		{ enc_r(0x0d << 2 | 3, 12, 11, 7, 10, MADD), "fmadd.q" },
		{ enc_r(0x0d << 2, 12, 11, 5, 10, MADD), "fmadd.s rm 101" },
		{ enc_r(0x00, 12, 11, 5, 10, OP_FP), "fadd.s rm 101" },
		{ enc_r(0x01, 12, 11, 6, 10, OP_FP), "fadd.d rm 110" },
		{ enc_r(0x02, 12, 11, 7, 10, OP_FP), "fadd.h" },
		{ enc_r(0x2c, 1, 11, 7, 10, OP_FP), "fsqrt.s rs2 = 1" },
		{ enc_r(0x2d, 2, 11, 7, 10, OP_FP), "fsqrt.d rs2 = 2" },
		{ enc_r(0x10, 12, 11, 3, 10, OP_FP), "fsgnj.s funct3 011" },
		{ enc_r(0x14, 12, 11, 2, 10, OP_FP), "fmin.s funct3 010" },
		{ enc_r(0x50, 12, 11, 3, 10, OP_FP), "feq.s funct3 011" },
		{ enc_r(0x60, 4, 11, 7, 10, OP_FP), "fcvt.w.s rs2 = 4" },
		{ enc_r(0x68, 5, 11, 7, 10, OP_FP), "fcvt.s.w rs2 = 5" },
		{ enc_r(0x20, 0, 11, 7, 10, OP_FP), "fcvt.s.s (rs2 = 0)" },
		{ enc_r(0x21, 1, 11, 7, 10, OP_FP), "fcvt.d.d (rs2 = 1)" },
		{ enc_r(0x21, 3, 11, 7, 10, OP_FP), "fcvt.d.q" },
		{ enc_r(0x69, 0, 11, 5, 10, OP_FP), "fcvt.d.w rm 101" },
		{ enc_r(0x70, 0, 11, 2, 10, OP_FP), "fmv.x.w funct3 010" },
		{ enc_r(0x70, 1, 11, 0, 10, OP_FP), "fmv.x.w rs2 = 1" },
		{ enc_r(0x71, 1, 11, 1, 10, OP_FP), "fclass.d rs2 = 1" },
		{ enc_r(0x78, 0, 11, 1, 10, OP_FP), "fmv.w.x funct3 001" },
		{ enc_r(0x79, 1, 11, 0, 10, OP_FP), "fmv.d.x rs2 = 1" },
		{ enc_i(0, 0, 2, 0, MISC_MEM), "misc-mem funct3 010 (cbo)" },
		{ enc_i(0, 0, 4, 0, SYSTEM), "system funct3 100" },
		{ enc_i(0x000, 0, 0, 1, SYSTEM), "ecall with rd = 1" },
		{ enc_i(0x000, 1, 0, 0, SYSTEM), "ecall with rs1 = 1" },
		{ enc_i(0x001, 0, 0, 1, SYSTEM), "ebreak with rd = 1" },
		{ enc_i(0x002, 0, 0, 0, SYSTEM), "uret (no N extension)" },
		{ enc_i(0x302, 0, 0, 1, SYSTEM), "mret with rd = 1" },
		{ enc_i(0x302, 1, 0, 0, SYSTEM), "mret with rs1 = 1" },
		{ enc_i(0x102, 0, 0, 5, SYSTEM), "sret with rd = 5" },
		{ enc_i(0x105, 2, 0, 0, SYSTEM), "wfi with rs1 = 2" },
		{ enc_i(0x7b2, 0, 0, 0, SYSTEM), "dret (no debug mode)" },
		{ enc_r(0x09, 11, 10, 0, 1, SYSTEM), "sfence.vma rd = 1" },
		{ enc_r(0x11, 11, 10, 0, 0, SYSTEM), "hfence.vvma (no H)" },
		{ enc_r(0x0b, 11, 10, 0, 0, SYSTEM), "sinval.vma (Svinval)" },
		{ 0x0000001f, "48-bit instruction" },
		{ 0x0000003f, "64-bit instruction" },
		{ 0x0000007f, "80-bit+ instruction" },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		check_illegal(c[i].raw, c[i].what);
}

static void test_illegal_16(void)
{
	const struct {
		uint16_t raw;
		const char *what;
	} c[] = {
		{ 0x0000, "all zero" },
		{ 0x001c, "c.addi4spn nzuimm = 0, rd' = x15" },
		{ 0x8000, "quadrant 0 funct3 100" },
		{ 0x9ffc, "quadrant 0 funct3 100, all ones" },
		{ 0x2001, "c.addiw rd = 0" },
		{ 0x307d, "c.addiw rd = 0, imm = -1" },
		{ 0x6101, "c.addi16sp imm = 0" },
		{ 0x6501, "c.lui a0, 0" },
		{ 0x6001, "c.lui zero, 0" },
		{ 0x9c41, "quadrant 1 CA funct 1 11 10" },
		{ 0x9c61, "quadrant 1 CA funct 1 11 11" },
		{ 0x4002, "c.lwsp rd = 0" },
		{ 0x6002, "c.ldsp rd = 0" },
		{ 0x707e, "c.ldsp rd = 0, offset max" },
		{ 0x8002, "c.jr rs1 = 0" },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		check_illegal(c[i].raw, c[i].what);
}

/*
 * OP-IMM and OP-IMM-32 with funct3 001/101: every imm[11:0] value is
 * legal exactly when its funct6 (or funct7 for the W forms, or the whole
 * funct12 for the unary Zbb ops) is listed in the spec.
 */
static bool shift_imm_is_legal(uint32_t opc, uint32_t f3, uint32_t imm12)
{
	uint32_t f6 = imm12 >> 6, f7 = imm12 >> 5;

	if (opc == OP_IMM && f3 == 1)
		return f6 == 0x00 || f6 == 0x0a || f6 == 0x12 || f6 == 0x1a ||
		       imm12 == 0x600 || imm12 == 0x601 || imm12 == 0x602 ||
		       imm12 == 0x604 || imm12 == 0x605;
	if (opc == OP_IMM)
		return f6 == 0x00 || f6 == 0x10 || f6 == 0x12 || f6 == 0x18 ||
		       imm12 == 0x287 || imm12 == 0x6b8;
	if (f3 == 1)
		return f7 == 0x00 || f6 == 0x02 || imm12 == 0x600 ||
		       imm12 == 0x601 || imm12 == 0x602;
	return f7 == 0x00 || f7 == 0x20 || f7 == 0x30;
}

/* OP and OP-32: the legal (funct7, funct3) pairs of I, M, Zba, Zbb, Zbs,
 * Zicond; zext.h (funct7 0000100, funct3 100 in OP-32) needs rs2 = 0. */
static bool op_is_legal(uint32_t opc, uint32_t f7, uint32_t f3, uint32_t rs2)
{
	static const uint8_t op_f3[128] = {
		[0x00] = 0xff, [0x20] = 0xf1, [0x01] = 0xff, [0x10] = 0x54,
		[0x05] = 0xf0, [0x30] = 0x22, [0x24] = 0x22, [0x34] = 0x02,
		[0x14] = 0x02, [0x07] = 0xa0,
	};
	static const uint8_t op32_f3[128] = {
		[0x00] = 0x23, [0x20] = 0x21, [0x01] = 0xf1,
		[0x04] = 0x01, [0x10] = 0x54, [0x30] = 0x22,
	};

	if (opc == OP_32 && f7 == 0x04 && f3 == 4)
		return rs2 == 0;
	return ((opc == OP_RR ? op_f3 : op32_f3)[f7] >> f3) & 1;
}

static void test_integer_legality(void)
{
	int bad = 0;
	uint32_t f3, x, rs2;
	struct insn in;

	for (f3 = 1; f3 <= 5; f3 += 4) {
		for (x = 0; x < 4096; x++) {
			decode(enc_i(x, 11, f3, 10, OP_IMM), &in);
			bad += (in.op != OP_ILLEGAL) !=
			       shift_imm_is_legal(OP_IMM, f3, x);
			decode(enc_i(x, 11, f3, 10, OP_IMM_32), &in);
			bad += (in.op != OP_ILLEGAL) !=
			       shift_imm_is_legal(OP_IMM_32, f3, x);
		}
	}
	for (x = 0; x < 128; x++) {
		for (f3 = 0; f3 < 8; f3++) {
			for (rs2 = 0; rs2 < 2; rs2++) {
				decode(enc_r(x, rs2, 11, f3, 10, OP_RR), &in);
				bad += (in.op != OP_ILLEGAL) !=
				       op_is_legal(OP_RR, x, f3, rs2);
				decode(enc_r(x, rs2, 11, f3, 10, OP_32), &in);
				bad += (in.op != OP_ILLEGAL) !=
				       op_is_legal(OP_32, x, f3, rs2);
			}
		}
	}
	CHECK_EQ_U64(bad, 0);
}

/* The reserved RV64C encodings, from the spec's listing (section 16.8). */
static bool rvc_is_reserved(uint32_t v)
{
	uint32_t quadrant = v & 3, f3 = v >> 13 & 7, rd = v >> 7 & 31;
	uint32_t rs2 = v >> 2 & 31, b12 = v >> 12 & 1;

	switch (quadrant << 3 | f3) {
	case 0 << 3 | 0: /* c.addi4spn, nzuimm (bits 12:5) = 0 */
		return (v & 0x1fe0) == 0;
	case 0 << 3 | 4: /* reserved (Zcb, not implemented) */ return true;
	case 1 << 3 | 1: /* c.addiw, rd = 0 */ return rd == 0;
	case 1 << 3 | 3: /* c.addi16sp / c.lui, immediate = 0 */
		return (v & 0x107c) == 0;
	case 1 << 3 | 4: /* CA with funct 1 11 1x */
		return b12 && (v >> 10 & 3) == 3 && (v >> 6 & 1);
	case 2 << 3 | 2: /* c.lwsp, rd = 0 */
	case 2 << 3 | 3: /* c.ldsp, rd = 0 */ return rd == 0;
	case 2 << 3 | 4: /* c.jr, rs1 = 0 */ return !b12 && rd == 0 && rs2 == 0;
	}
	return false;
}

static void test_sweep_16(void)
{
	int bad_len = 0, bad_raw = 0, bad_reserved = 0, bad_upper = 0;
	int bad_fields = 0, illegal = 0;
	uint32_t v;

	for (v = 0; v < 0x10000; v++) {
		struct insn in, hi;

		if (!insn_is_compressed(v))
			continue;
		decode(v, &in);
		decode(v | 0x5a5a0000, &hi);
		bad_len += in.len != 2;
		bad_raw += in.raw != v;
		bad_upper += memcmp(&in, &hi, sizeof(in)) != 0;
		bad_fields += in.op >= OP_COUNT || in.rd > 31 || in.rs1 > 31 ||
			      in.rs2 > 31 || in.rs3 != 0 || in.rm != 0;
		if ((in.op == OP_ILLEGAL) != rvc_is_reserved(v)) {
			if (bad_reserved++ < 8)
				fprintf(stderr, "0x%04x decodes as %s\n", v,
					insn_op_name(in.op));
		}
		illegal += in.op == OP_ILLEGAL;
	}
	CHECK_EQ_U64(bad_len, 0);
	CHECK_EQ_U64(bad_raw, 0);
	CHECK_EQ_U64(bad_upper, 0);
	CHECK_EQ_U64(bad_fields, 0);
	CHECK_EQ_U64(bad_reserved, 0);
	/*
	 * 8 c.addi4spn + 2048 quadrant-0 funct3 100 + 64 c.addiw +
	 * 1 c.addi16sp + 31 c.lui + 128 CA + 64 c.lwsp + 64 c.ldsp + 1 c.jr.
	 */
	CHECK_EQ_U64(illegal, 2409);
}

/* Every 32-bit decode is well formed; illegal ones carry no fields. */
static void test_sweep_32(void)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;
	int bad = 0, i;

	for (i = 0; i < 4000000; i++) {
		struct insn in;
		uint32_t v;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		v = (uint32_t)x | 3;
		decode(v, &in);
		bad += in.len != 4 || in.raw != v || in.op >= OP_COUNT ||
		       in.rd > 31 || in.rs1 > 31 || in.rs2 > 31 ||
		       in.rs3 > 31 || in.rm > 7;
		if (in.op == OP_ILLEGAL)
			bad += in.rd || in.rs1 || in.rs2 || in.rs3 || in.imm ||
			       in.rm;
	}
	CHECK_EQ_U64(bad, 0);
}

#define OP_UPPER_NAME(name) #name,
static const char *const upper_names[OP_COUNT] = { INSN_OPS(OP_UPPER_NAME) };

static void test_names(void)
{
	int i, j;

	for (i = 0; i < OP_COUNT; i++) {
		const char *name = insn_op_name(i);
		char want[32];
		size_t k;

		for (k = 0; upper_names[i][k] && k < sizeof(want) - 1; k++) {
			char c = upper_names[i][k];

			want[k] = c == '_' ? '.' : tolower((unsigned char)c);
		}
		want[k] = '\0';
		CHECK(name != NULL && name[0] != '\0');
		if (strcmp(name, want) != 0)
			fprintf(stderr, "op %d is named \"%s\", want \"%s\"\n",
				i, name, want);
		CHECK(strcmp(name, want) == 0);
		for (j = 0; j < i; j++)
			CHECK(strcmp(name, insn_op_name(j)) != 0);
	}
}

static void test_ends_block(void)
{
	static const enum insn_op enders[] = {
		OP_ILLEGAL, OP_JAL,	OP_JALR,       OP_BEQ,	 OP_BNE,
		OP_BLT,	    OP_BGE,	OP_BLTU,       OP_BGEU,	 OP_ECALL,
		OP_EBREAK,  OP_CSRRW,	OP_CSRRS,      OP_CSRRC, OP_CSRRWI,
		OP_CSRRSI,  OP_CSRRCI,	OP_MRET,       OP_SRET,	 OP_WFI,
		OP_FENCE,   OP_FENCE_I, OP_SFENCE_VMA,
	};
	bool want[OP_COUNT] = { false };
	size_t i;

	for (i = 0; i < sizeof(enders) / sizeof(enders[0]); i++)
		want[enders[i]] = true;
	for (i = 0; i < OP_COUNT; i++) {
		if (insn_ends_block(i) != want[i])
			fprintf(stderr, "insn_ends_block(%s) is wrong\n",
				insn_op_name(i));
		CHECK(insn_ends_block(i) == want[i]);
		/* the conditional branches: the six ops from OP_BEQ */
		CHECK(insn_is_branch(i) == (i >= OP_BEQ && i <= OP_BGEU));
	}
}

int main(void)
{
	test_assembled();
	test_built();
	test_illegal_32();
	test_illegal_16();
	test_integer_legality();
	test_sweep_16();
	test_sweep_32();
	test_names();
	test_ends_block();
	return unit_done("test_decode");
}
