/*
 * The x86-64 encoder of the JIT (jit/x86.h): every instruction form it
 * emits, against the bytes GNU as (binutils 2.40) produces for the same
 * instruction. The expected bytes were taken once from `as` and
 * `objdump -d` of the assembly text quoted beside each case, so this test
 * needs no assembler to run.
 */
#include <string.h>

#include "jit/x86.h"
#include "tests/unit/unit.h"

static uint8_t buf[64];
static struct x86_buf b;

static void check_bytes(const char *what, const uint8_t *want, size_t n)
{
	size_t got = (size_t)(b.p - buf);

	if (got == n && !memcmp(buf, want, n) && !x86_overflowed(&b)) {
		unit_passed++;
		return;
	}
	unit_failed++;
	fprintf(stderr, "%s: got", what);
	for (size_t i = 0; i < got; i++)
		fprintf(stderr, " %02x", buf[i]);
	fprintf(stderr, ", want");
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, " %02x", want[i]);
	fprintf(stderr, "\n");
}

#define ENC(stmt, ...)                                          \
	do {                                                    \
		static const uint8_t want_[] = { __VA_ARGS__ }; \
		x86_init(&b, buf, sizeof(buf));                 \
		stmt;                                           \
		check_bytes(#stmt, want_, sizeof(want_));       \
	} while (0)

static void test_forms(void)
{
	ENC(x86_load64(&b, RAX, RBX, 8), /* mov 8(%rbx), %rax */
	    0x48, 0x8b, 0x43, 0x08);
	ENC(x86_load64(&b, R12, R13, 0), /* mov 0(%r13), %r12 */
	    0x4d, 0x8b, 0x65, 0x00);
	ENC(x86_load64(&b, RDX, RSP, 0), /* mov (%rsp), %rdx */
	    0x48, 0x8b, 0x14, 0x24);
	ENC(x86_load64(&b, RCX, R12, 0x100), /* mov 0x100(%r12), %rcx */
	    0x49, 0x8b, 0x8c, 0x24, 0x00, 0x01, 0x00, 0x00);
	ENC(x86_store64(&b, RBX, 256, RAX), /* mov %rax, 256(%rbx) */
	    0x48, 0x89, 0x83, 0x00, 0x01, 0x00, 0x00);
	ENC(x86_store64(&b, RBP, -8, R9), /* mov %r9, -8(%rbp) */
	    0x4c, 0x89, 0x4d, 0xf8);
	ENC(x86_store_sized(&b, 1, RDX, 0, RSI), /* mov %sil, (%rdx) */
	    0x40, 0x88, 0x32);
	ENC(x86_store_sized(&b, 1, RDX, 0, RAX), /* mov %al, (%rdx) */
	    0x88, 0x02);
	ENC(x86_store_sized(&b, 2, RDX, 0, RAX), /* mov %ax, (%rdx) */
	    0x66, 0x89, 0x02);
	ENC(x86_store_sized(&b, 4, R8, 4, RAX), /* mov %eax, 4(%r8) */
	    0x41, 0x89, 0x40, 0x04);
	ENC(x86_load_ext(&b, 1, true, RAX, RDX, 0), /* movsbq (%rdx), %rax */
	    0x48, 0x0f, 0xbe, 0x02);
	ENC(x86_load_ext(&b, 1, false, RAX, RDX, 0), /* movzbl (%rdx), %eax */
	    0x0f, 0xb6, 0x02);
	ENC(x86_load_ext(&b, 2, true, RAX, RDX, 0), /* movswq (%rdx), %rax */
	    0x48, 0x0f, 0xbf, 0x02);
	ENC(x86_load_ext(&b, 2, false, RAX, RDX, 0), /* movzwl (%rdx), %eax */
	    0x0f, 0xb7, 0x02);
	ENC(x86_load_ext(&b, 4, true, RAX, RDX, 0), /* movslq (%rdx), %rax */
	    0x48, 0x63, 0x02);
	ENC(x86_load_ext(&b, 4, false, RAX, RDX, 0), /* movl (%rdx), %eax */
	    0x8b, 0x02);
	ENC(x86_mov_rr(&b, true, RDI, RBX), /* mov %rbx, %rdi */
	    0x48, 0x89, 0xdf);
	ENC(x86_mov_rr(&b, false, RAX, RAX), /* mov %eax, %eax */
	    0x89, 0xc0);
	ENC(x86_mov_imm(&b, RAX, 0), /* xor %eax, %eax */
	    0x31, 0xc0);
	ENC(x86_mov_imm(&b, R8, 0x1234), /* mov $0x1234, %r8d */
	    0x41, 0xb8, 0x34, 0x12, 0x00, 0x00);
	ENC(x86_mov_imm(&b, RCX, 0xfffffffffffffff0ull), /* mov $-16, %rcx */
	    0x48, 0xc7, 0xc1, 0xf0, 0xff, 0xff, 0xff);
	ENC(x86_mov_imm(&b, RDX,
			0x123456789abcull), /* movabs $0x123456789abc, %rdx */
	    0x48, 0xba, 0xbc, 0x9a, 0x78, 0x56, 0x34, 0x12, 0x00, 0x00);
	ENC(x86_alu_rr(&b, true, ALU_ADD, RAX, RCX), /* add %rcx, %rax */
	    0x48, 0x01, 0xc8);
	ENC(x86_alu_rr(&b, false, ALU_SUB, RAX, RCX), /* sub %ecx, %eax */
	    0x29, 0xc8);
	ENC(x86_alu_rr(&b, true, ALU_XOR, R10, R11), /* xor %r11, %r10 */
	    0x4d, 0x31, 0xda);
	ENC(x86_alu_rm(&b, true, ALU_CMP, RAX, RDX, 0), /* cmp (%rdx), %rax */
	    0x48, 0x3b, 0x02);
	ENC(x86_alu_ri(&b, true, ALU_AND, RAX, -2), /* and $-2, %rax */
	    0x48, 0x83, 0xe0, 0xfe);
	ENC(x86_alu_ri(&b, false, ALU_AND, RCX, 0xfff), /* and $0xfff, %ecx */
	    0x81, 0xe1, 0xff, 0x0f, 0x00, 0x00);
	ENC(x86_alu_ri(&b, true, ALU_SUB, RSP, 8), /* sub $8, %rsp */
	    0x48, 0x83, 0xec, 0x08);
	ENC(x86_alu_mi(&b, false, ALU_CMP, RBX, 0x1a0,
		       0), /* cmpl $0, 0x1a0(%rbx) */
	    0x83, 0xbb, 0xa0, 0x01, 0x00, 0x00, 0x00);
	ENC(x86_alu_mi(&b, true, ALU_ADD, RBX, 0x190,
		       64), /* addq $64, 0x190(%rbx) */
	    0x48, 0x83, 0x83, 0x90, 0x01, 0x00, 0x00, 0x40);
	ENC(x86_alu_mi(&b, false, ALU_CMP, RAX, 0,
		       0x12345), /* cmpl $0x12345, (%rax) */
	    0x81, 0x38, 0x45, 0x23, 0x01, 0x00);
	ENC(x86_mov_mi32(&b, RBX, 0x230, 1), /* movl $1, 0x230(%rbx) */
	    0xc7, 0x83, 0x30, 0x02, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00);
	ENC(x86_alu_mr(&b, true, ALU_SUB, RBX, 0x48,
		       R11), /* sub %r11, 0x48(%rbx) */
	    0x4c, 0x29, 0x5b, 0x48);
	ENC(x86_alu_mr(&b, true, ALU_SUB, RBX, 0x200,
		       RAX), /* sub %rax, 0x200(%rbx) */
	    0x48, 0x29, 0x83, 0x00, 0x02, 0x00, 0x00);
	ENC(x86_call(&b, b.p + 0x100), /* call .+0x100 */
	    0xe8, 0xfb, 0x00, 0x00, 0x00);
	ENC(x86_mov_mi64(&b, RBX, 0x48, -5), /* movq $-5, 0x48(%rbx) */
	    0x48, 0xc7, 0x43, 0x48, 0xfb, 0xff, 0xff, 0xff);
	ENC(x86_mov_mi64(&b, RBX, 0x100,
			 0x12345), /* movq $0x12345, 0x100(%rbx) */
	    0x48, 0xc7, 0x83, 0x00, 0x01, 0x00, 0x00, 0x45, 0x23, 0x01, 0x00);
	/* [base + index] operands of the TLB hit path */
	ENC(x86_load_idx(&b, 1, false, RAX, RDX, RSI,
			 0), /* movzbl (%rdx,%rsi,1), %eax */
	    0x0f, 0xb6, 0x04, 0x32);
	ENC(x86_load_idx(&b, 1, true, R8, RDX, RDI,
			 0), /* movsbq (%rdx,%rdi,1), %r8 */
	    0x4c, 0x0f, 0xbe, 0x04, 0x3a);
	ENC(x86_load_idx(&b, 8, false, R13, RDX, R12,
			 0), /* mov (%rdx,%r12,1), %r13 */
	    0x4e, 0x8b, 0x2c, 0x22);
	ENC(x86_load_idx(&b, 4, true, R9, RDX, R13,
			 0), /* movslq (%rdx,%r13,1), %r9 */
	    0x4e, 0x63, 0x0c, 0x2a);
	ENC(x86_load_idx(&b, 2, false, RAX, RDX, RSI,
			 0x100), /* movzwl 0x100(%rdx,%rsi,1), %eax */
	    0x0f, 0xb7, 0x84, 0x32, 0x00, 0x01, 0x00, 0x00);
	ENC(x86_store_idx(&b, 1, RDX, RSI, 0,
			  RSI), /* mov %sil, (%rdx,%rsi,1) */
	    0x40, 0x88, 0x34, 0x32);
	ENC(x86_store_idx(&b, 2, RDX, R8, 0, R14), /* mov %r14w, (%rdx,%r8,1) */
	    0x66, 0x46, 0x89, 0x34, 0x02);
	ENC(x86_store_idx(&b, 4, RDX, RDI, 0,
			  RAX), /* mov %eax, (%rdx,%rdi,1) */
	    0x89, 0x04, 0x3a);
	ENC(x86_store_idx(&b, 8, RBP, RSI, 0,
			  RAX), /* mov %rax, 0x0(%rbp,%rsi,1) */
	    0x48, 0x89, 0x44, 0x35, 0x00);
	ENC(x86_store_idx(&b, 8, R13, R8, 0,
			  RCX), /* mov %rcx, 0x0(%r13,%r8,1) */
	    0x4b, 0x89, 0x4c, 0x05, 0x00);
	ENC(x86_shift_ri(&b, true, SH_SHR, RAX, 12), /* shr $12, %rax */
	    0x48, 0xc1, 0xe8, 0x0c);
	ENC(x86_shift_ri(&b, false, SH_SAR, RAX, 31), /* sar $31, %eax */
	    0xc1, 0xf8, 0x1f);
	ENC(x86_shift_ri(&b, true, SH_ROR, R9, 7), /* ror $7, %r9 */
	    0x49, 0xc1, 0xc9, 0x07);
	ENC(x86_shift_cl(&b, true, SH_SHL, RAX), /* shl %cl, %rax */
	    0x48, 0xd3, 0xe0);
	ENC(x86_shift_cl(&b, false, SH_ROL, RAX), /* rol %cl, %eax */
	    0xd3, 0xc0);
	ENC(x86_shiftx(&b, true, SH_SHL, R13, R12,
		       RCX), /* shlx %rcx, %r12, %r13 */
	    0xc4, 0x42, 0xf1, 0xf7, 0xec);
	ENC(x86_shiftx(&b, true, SH_SHR, RDX, RAX,
		       R9), /* shrx %r9, %rax, %rdx */
	    0xc4, 0xe2, 0xb3, 0xf7, 0xd0);
	ENC(x86_shiftx(&b, false, SH_SAR, R8, R15,
		       RAX), /* sarx %eax, %r15d, %r8d */
	    0xc4, 0x42, 0x7a, 0xf7, 0xc7);
	ENC(x86_shiftx(&b, true, SH_SHL, RAX, RDI,
		       R14), /* shlx %r14, %rdi, %rax */
	    0xc4, 0xe2, 0x89, 0xf7, 0xc7);
	ENC(x86_imul_rr(&b, true, RAX, RCX), /* imul %rcx, %rax */
	    0x48, 0x0f, 0xaf, 0xc1);
	ENC(x86_imul_rr(&b, false, RAX, R9), /* imul %r9d, %eax */
	    0x41, 0x0f, 0xaf, 0xc1);
	ENC(x86_grp3(&b, true, 5, RCX), /* imul %rcx */
	    0x48, 0xf7, 0xe9);
	ENC(x86_grp3(&b, true, 4, RCX), /* mul %rcx */
	    0x48, 0xf7, 0xe1);
	ENC(x86_grp3(&b, true, 2, RAX), /* not %rax */
	    0x48, 0xf7, 0xd0);
	ENC(x86_test_rr(&b, true, RCX, RCX), /* test %rcx, %rcx */
	    0x48, 0x85, 0xc9);
	ENC(x86_setcc_zx(&b, CC_L, RAX), /* setl %al; movzbl %al, %eax */
	    0x0f, 0x9c, 0xc0, 0x0f, 0xb6, 0xc0);
	ENC(x86_setcc_zx(&b, CC_B, RSI), /* setb %sil; movzbl %sil, %esi */
	    0x40, 0x0f, 0x92, 0xc6, 0x40, 0x0f, 0xb6, 0xf6);
	ENC(x86_cmov(&b, CC_E, RAX, RDX), /* cmove %rdx, %rax */
	    0x48, 0x0f, 0x44, 0xc2);
	ENC(x86_cmov(&b, CC_G, R8, RCX), /* cmovg %rcx, %r8 */
	    0x4c, 0x0f, 0x4f, 0xc1);
	ENC(x86_movsxd(&b, RAX, RAX), /* movslq %eax, %rax */
	    0x48, 0x63, 0xc0);
	ENC(x86_movsx8(&b, RAX, RAX), /* movsbq %al, %rax */
	    0x48, 0x0f, 0xbe, 0xc0);
	ENC(x86_movsx8(&b, RAX, RDI), /* movsbq %dil, %rax */
	    0x48, 0x0f, 0xbe, 0xc7);
	ENC(x86_movsx16(&b, RAX, RAX), /* movswq %ax, %rax */
	    0x48, 0x0f, 0xbf, 0xc0);
	ENC(x86_movzx16(&b, RAX, RAX), /* movzwl %ax, %eax */
	    0x0f, 0xb7, 0xc0);
	ENC(x86_imul_rm(&b, false, R14, RBX, 0xc8), /* imul 0xc8(%rbx), %r14d */
	    0x44, 0x0f, 0xaf, 0xb3, 0xc8, 0x00, 0x00, 0x00);
	ENC(x86_imul_rm(&b, true, RAX, RBX, 8), /* imul 0x8(%rbx), %rax */
	    0x48, 0x0f, 0xaf, 0x43, 0x08);
	ENC(x86_movzx8(&b, RAX, RSI), /* movzbl %sil, %eax */
	    0x40, 0x0f, 0xb6, 0xc6);
	ENC(x86_movzx8(&b, R9, R10), /* movzbl %r10b, %r9d */
	    0x45, 0x0f, 0xb6, 0xca);
	ENC(x86_bswap64(&b, RAX), /* bswap %rax */
	    0x48, 0x0f, 0xc8);
	ENC(x86_bswap64(&b, R9), /* bswap %r9 */
	    0x49, 0x0f, 0xc9);
	ENC(x86_bt_rr(&b, BT_BTS, RAX, RCX), /* bts %rcx, %rax */
	    0x48, 0x0f, 0xab, 0xc8);
	ENC(x86_bt_rr(&b, BT_BT, RAX, RCX), /* bt %rcx, %rax */
	    0x48, 0x0f, 0xa3, 0xc8);
	ENC(x86_bt_ri(&b, BT_BTR, RAX, 63), /* btr $63, %rax */
	    0x48, 0x0f, 0xba, 0xf0, 0x3f);
	ENC(x86_bt_ri(&b, BT_BTC, RAX, 5), /* btc $5, %rax */
	    0x48, 0x0f, 0xba, 0xf8, 0x05);
	ENC(x86_lea(&b, RSI, RSI, -1), /* lea -1(%rsi), %rsi */
	    0x48, 0x8d, 0x76, 0xff);
	ENC(x86_lea32(&b, R9, R14, RDI, 0), /* lea (%r14,%rdi), %r9d */
	    0x45, 0x8d, 0x0c, 0x3e);
	ENC(x86_lea32(&b, RAX, RBP, R13, 0), /* lea 0(%rbp,%r13), %eax */
	    0x42, 0x8d, 0x44, 0x2d, 0x00);
	ENC(x86_lea32(&b, R10, R12, X86_NO_INDEX, -5), /* lea -5(%r12), %r10d */
	    0x45, 0x8d, 0x54, 0x24, 0xfb);
	ENC(x86_lea32(&b, RCX, R13, X86_NO_INDEX, 0x7ff),
	    /* lea 0x7ff(%r13), %ecx */
	    0x41, 0x8d, 0x8d, 0xff, 0x07, 0x00, 0x00);
	ENC(x86_lea_scaled(&b, R10, R12, R14, 2), /* lea (%r12,%r14,4), %r10 */
	    0x4f, 0x8d, 0x14, 0xb4);
	ENC(x86_lea_scaled(&b, RAX, RBP, RDI, 3), /* lea 0(%rbp,%rdi,8), %rax */
	    0x48, 0x8d, 0x44, 0xfd, 0x00);
	ENC(x86_lea_scaled(&b, R8, R13, R9, 1), /* lea 0(%r13,%r9,2), %r8 */
	    0x4f, 0x8d, 0x44, 0x4d, 0x00);
	ENC(x86_lea_scaled(&b, RCX, RSI, RAX, 0), /* lea (%rsi,%rax), %rcx */
	    0x48, 0x8d, 0x0c, 0x06);
	ENC(x86_movsxd_m(&b, RAX, RBX, 0x58), /* movslq 0x58(%rbx), %rax */
	    0x48, 0x63, 0x43, 0x58);
	ENC(x86_movsxd_m(&b, R12, RBX, 0xf8), /* movslq 0xf8(%rbx), %r12 */
	    0x4c, 0x63, 0xa3, 0xf8, 0x00, 0x00, 0x00);
	ENC(x86_rorx32(&b, RCX, RSI, 7), /* rorx $7, %esi, %ecx */
	    0xc4, 0xe3, 0x7b, 0xf0, 0xce, 0x07);
	ENC(x86_rorx32(&b, R9, R8, 7), /* rorx $7, %r8d, %r9d */
	    0xc4, 0x43, 0x7b, 0xf0, 0xc8, 0x07);
	ENC(x86_rorx32(&b, RCX, R13, 7), /* rorx $7, %r13d, %ecx */
	    0xc4, 0xc3, 0x7b, 0xf0, 0xcd, 0x07);
	ENC(x86_call_r(&b, RAX), /* call *%rax */
	    0xff, 0xd0);
	ENC(x86_jmp_r(&b, RSI), /* jmp *%rsi */
	    0xff, 0xe6);
	ENC(x86_push(&b, RBX), /* push %rbx */
	    0x53);
	ENC(x86_push(&b, R15), /* push %r15 */
	    0x41, 0x57);
	ENC(x86_pop(&b, R12), /* pop %r12 */
	    0x41, 0x5c);
	ENC(x86_ret(&b), /* ret */
	    0xc3);
}

/* rel32 counts from the end of the jump (SDM: relative to the next insn) */
static void test_jumps(void)
{
	uint8_t *field;

	ENC(x86_jcc(&b, CC_NE, buf + 0x20), 0x0f, 0x85, 0x1a, 0x00, 0x00, 0x00);
	ENC(x86_jmp(&b, buf + 0x20), 0xe9, 0x1b, 0x00, 0x00, 0x00);
	ENC(x86_jmp(&b, buf), 0xe9, 0xfb, 0xff, 0xff, 0xff);
	x86_init(&b, buf, sizeof(buf));
	field = x86_jcc(&b, CC_E, NULL);
	CHECK(field == buf + 2);
	x86_patch(field, buf + 6);
	CHECK(!memcmp(buf, "\x0f\x84\x00\x00\x00\x00", 6));
	x86_patch(field, buf);
	CHECK(!memcmp(buf + 2, "\xfa\xff\xff\xff", 4));
}

/* a full buffer is reported and never written past */
static void test_overflow(void)
{
	uint8_t small[8];

	memset(small, 0xcc, sizeof(small));
	x86_init(&b, small, 4);
	CHECK(x86_jmp(&b, small) == NULL);
	CHECK(x86_overflowed(&b));
	x86_mov_imm(&b, RDX, 0x123456789abcull);
	CHECK(small[4] == 0xcc && small[7] == 0xcc);
	x86_patch(NULL, small);
}

int main(void)
{
	test_forms();
	test_jumps();
	test_overflow();
	return unit_done("test_jit_emit");
}
