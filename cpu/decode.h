/*
 * The RV64GC decoder shared by the interpreter and the JIT.
 *
 * One 32-bit or 16-bit instruction becomes one struct insn. Compressed
 * instructions decode to the operation of their 32-bit expansion (RISC-V
 * unprivileged spec, chapter 16 "C" and its RVC expansion tables), so an
 * engine implements each operation once. Encodings that are reserved or
 * belong to extensions we do not implement decode to OP_ILLEGAL; HINT
 * encodings decode to their plain operation (they have no effect on
 * architectural state beyond it).
 *
 * Field conventions:
 *  - rd, rs1, rs2, rs3: register numbers (integer or FP by the op).
 *  - imm: sign-extended immediate; for LUI/AUIPC the value already
 *    shifted left by 12; for shifts the shift amount; for CSR ops the CSR
 *    number (and rs1 holds the 5-bit uimm of the *I forms); for FENCE the
 *    pred/succ/fm bits (bits 31:20 of the instruction).
 *  - rm: FP rounding-mode field (bits 14:12); for AMOs and LR/SC the aq
 *    and rl bits (aq = 2, rl = 1).
 *  - len: 2 or 4.
 *  - raw: the instruction bits, low 16 for compressed; used as mtval of
 *    an illegal-instruction trap.
 */
#ifndef CPU_DECODE_H
#define CPU_DECODE_H

#include <stdbool.h>
#include <stdint.h>

/* The major opcodes, bits 6:0 (unprivileged spec, chapter 24 "RV32/64G
 * Instruction Set Listings"); the decoder and tests/diff's encoder use
 * them. */
enum {
	OPC_LOAD = 0x03,
	OPC_LOAD_FP = 0x07,
	OPC_MISC_MEM = 0x0f,
	OPC_OP_IMM = 0x13,
	OPC_AUIPC = 0x17,
	OPC_OP_IMM_32 = 0x1b,
	OPC_STORE = 0x23,
	OPC_STORE_FP = 0x27,
	OPC_AMO = 0x2f,
	OPC_OP = 0x33,
	OPC_LUI = 0x37,
	OPC_OP_32 = 0x3b,
	OPC_MADD = 0x43,
	OPC_MSUB = 0x47,
	OPC_NMSUB = 0x4b,
	OPC_NMADD = 0x4f,
	OPC_OP_FP = 0x53,
	OPC_BRANCH = 0x63,
	OPC_JALR = 0x67,
	OPC_JAL = 0x6f,
	OPC_SYSTEM = 0x73,
};

/* clang-format off */
#define INSN_OPS(X)                                                       \
	X(ILLEGAL)                                                        \
	/* RV64I */                                                       \
	X(LUI) X(AUIPC) X(JAL) X(JALR)                                    \
	X(BEQ) X(BNE) X(BLT) X(BGE) X(BLTU) X(BGEU)                       \
	X(LB) X(LH) X(LW) X(LD) X(LBU) X(LHU) X(LWU)                      \
	X(SB) X(SH) X(SW) X(SD)                                           \
	X(ADDI) X(SLTI) X(SLTIU) X(XORI) X(ORI) X(ANDI)                   \
	X(SLLI) X(SRLI) X(SRAI)                                           \
	X(ADD) X(SUB) X(SLL) X(SLT) X(SLTU) X(XOR) X(SRL) X(SRA) X(OR)    \
	X(AND)                                                            \
	X(ADDIW) X(SLLIW) X(SRLIW) X(SRAIW)                               \
	X(ADDW) X(SUBW) X(SLLW) X(SRLW) X(SRAW)                           \
	X(FENCE) X(FENCE_I) X(ECALL) X(EBREAK)                            \
	/* Zicsr */                                                       \
	X(CSRRW) X(CSRRS) X(CSRRC) X(CSRRWI) X(CSRRSI) X(CSRRCI)          \
	/* privileged */                                                  \
	X(MRET) X(SRET) X(WFI) X(SFENCE_VMA)                              \
	/* M */                                                           \
	X(MUL) X(MULH) X(MULHSU) X(MULHU) X(DIV) X(DIVU) X(REM) X(REMU)   \
	X(MULW) X(DIVW) X(DIVUW) X(REMW) X(REMUW)                         \
	/* A */                                                           \
	X(LR_W) X(SC_W) X(AMOSWAP_W) X(AMOADD_W) X(AMOXOR_W) X(AMOAND_W)  \
	X(AMOOR_W) X(AMOMIN_W) X(AMOMAX_W) X(AMOMINU_W) X(AMOMAXU_W)      \
	X(LR_D) X(SC_D) X(AMOSWAP_D) X(AMOADD_D) X(AMOXOR_D) X(AMOAND_D)  \
	X(AMOOR_D) X(AMOMIN_D) X(AMOMAX_D) X(AMOMINU_D) X(AMOMAXU_D)      \
	/* F */                                                           \
	X(FLW) X(FSW)                                                     \
	X(FMADD_S) X(FMSUB_S) X(FNMSUB_S) X(FNMADD_S)                     \
	X(FADD_S) X(FSUB_S) X(FMUL_S) X(FDIV_S) X(FSQRT_S)                \
	X(FSGNJ_S) X(FSGNJN_S) X(FSGNJX_S) X(FMIN_S) X(FMAX_S)            \
	X(FCVT_W_S) X(FCVT_WU_S) X(FCVT_L_S) X(FCVT_LU_S)                 \
	X(FCVT_S_W) X(FCVT_S_WU) X(FCVT_S_L) X(FCVT_S_LU)                 \
	X(FMV_X_W) X(FMV_W_X) X(FEQ_S) X(FLT_S) X(FLE_S) X(FCLASS_S)      \
	/* D */                                                           \
	X(FLD) X(FSD)                                                     \
	X(FMADD_D) X(FMSUB_D) X(FNMSUB_D) X(FNMADD_D)                     \
	X(FADD_D) X(FSUB_D) X(FMUL_D) X(FDIV_D) X(FSQRT_D)                \
	X(FSGNJ_D) X(FSGNJN_D) X(FSGNJX_D) X(FMIN_D) X(FMAX_D)            \
	X(FCVT_W_D) X(FCVT_WU_D) X(FCVT_L_D) X(FCVT_LU_D)                 \
	X(FCVT_D_W) X(FCVT_D_WU) X(FCVT_D_L) X(FCVT_D_LU)                 \
	X(FCVT_S_D) X(FCVT_D_S)                                           \
	X(FMV_X_D) X(FMV_D_X) X(FEQ_D) X(FLT_D) X(FLE_D) X(FCLASS_D)      \
	/* Zba */                                                         \
	X(ADD_UW) X(SH1ADD) X(SH2ADD) X(SH3ADD) X(SH1ADD_UW) X(SH2ADD_UW) \
	X(SH3ADD_UW) X(SLLI_UW)                                           \
	/* Zbb */                                                         \
	X(ANDN) X(ORN) X(XNOR) X(CLZ) X(CLZW) X(CTZ) X(CTZW) X(CPOP)      \
	X(CPOPW) X(MAX) X(MAXU) X(MIN) X(MINU) X(SEXT_B) X(SEXT_H)        \
	X(ZEXT_H) X(ROL) X(ROLW) X(ROR) X(RORI) X(RORIW) X(RORW) X(ORC_B) \
	X(REV8)                                                           \
	/* Zbs */                                                         \
	X(BCLR) X(BCLRI) X(BEXT) X(BEXTI) X(BINV) X(BINVI) X(BSET)        \
	X(BSETI)                                                          \
	/* Zicond */                                                      \
	X(CZERO_EQZ) X(CZERO_NEZ)

/* clang-format on */

#define INSN_OP_ENUM(name) OP_##name,
enum insn_op { INSN_OPS(INSN_OP_ENUM) OP_COUNT };
#undef INSN_OP_ENUM

struct insn {
	uint16_t op; /* enum insn_op */
	uint8_t rd, rs1, rs2, rs3;
	uint8_t len; /* 2 or 4 */
	uint8_t rm;
	int32_t imm;
	uint32_t raw;
};

_Static_assert(sizeof(struct insn) == 16, "struct insn is 16 bytes");

/* Is raw (its low 16 bits at least) the start of a 16-bit instruction? */
static inline bool insn_is_compressed(uint32_t raw)
{
	return (raw & 3) != 3;
}

/* Decodes raw (a 32-bit instruction, or a 16-bit one in the low half). */
void decode(uint32_t raw, struct insn *out);

/* The op's name in lower case with dots ("fcvt.w.s"), for tests and logs. */
const char *insn_op_name(enum insn_op op);

/*
 * Does the op end a basic block: it may change pc other than by falling
 * through, trap by design, or change state that translation depends on
 * (CSR writes, fences, privilege changes)?
 */
bool insn_ends_block(enum insn_op op);

/* Is the op a conditional branch (BEQ, BNE, BLT, BGE, BLTU, BGEU)? */
bool insn_is_branch(enum insn_op op);

#endif
