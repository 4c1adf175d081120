/*
 * Misaligned loads and stores (unprivileged spec, "Load and Store
 * Instructions": an execution environment may perform misaligned
 * accesses or raise an address-misaligned exception). gasang performs
 * them, as does QEMU 7.2 for the spike machine in M-mode; this file
 * expects them to complete with little-endian results, including across
 * an 8-byte and a 4 KiB boundary.
 *
 * mis_src bytes are 0x80 + i for i = 0..15, so every byte has bit 7 set
 * and sign extension shows.
 */
#include "test.h"

	.option norvc

#define TEST_MLD(n, op, off, expect) \
	CHECK_NUM(n);           \
	la a1, mis_src;         \
	op a0, off(a1);         \
	EXPECT(n, a0, expect)

/* doubleword at offset off from mis_dst must equal expect */
#define CHECK_DW(n, off, expect) \
	CHECK_NUM(n);           \
	la a1, mis_dst;         \
	ld a0, off(a1);         \
	EXPECT(n, a0, expect)

TEST_BEGIN
	TEST_MLD(1, lh, 1, 0xffffffffffff8281)
	TEST_MLD(2, lhu, 7, 0x8887)
	TEST_MLD(3, lh, 7, 0xffffffffffff8887)
	TEST_MLD(4, lw, 1, 0xffffffff84838281)
	TEST_MLD(5, lw, 6, 0xffffffff89888786)
	TEST_MLD(6, lwu, 3, 0x86858483)
	TEST_MLD(7, lwu, 5, 0x88878685)
	TEST_MLD(8, ld, 1, 0x8887868584838281)
	TEST_MLD(9, ld, 7, 0x8e8d8c8b8a898887)
	TEST_MLD(10, ld, 4, 0x8b8a898887868584)

	CHECK_NUM(20)
	la a1, mis_dst
	li a2, 0x0123456789abcdef
	sd a2, 3(a1)
	CHECK_DW(21, 0, 0x6789abcdef000000)
	CHECK_DW(22, 8, 0x0000000000012345)
	CHECK_NUM(23)
	la a1, mis_dst
	li a2, 0xa1b2c3d4
	sw a2, 6(a1)
	CHECK_DW(24, 0, 0xc3d4abcdef000000)
	CHECK_DW(25, 8, 0x0000000001a1b2)
	CHECK_NUM(26)
	la a1, mis_dst
	li a2, 0x5566
	sh a2, 7(a1)
	CHECK_DW(27, 0, 0x66d4abcdef000000)
	CHECK_DW(28, 8, 0x0000000001a155)
	CHECK_NUM(29)
	la a1, mis_dst
	li a2, 0x7788
	sh a2, 1(a1)
	CHECK_DW(30, 0, 0x66d4abcdef778800)

	/* across a 4 KiB boundary: mis_page + 4092 .. + 4099 */
	CHECK_NUM(40)
	la a1, mis_page
	li t0, 4092
	add a1, a1, t0
	ld a0, 0(a1)
	EXPECT(40, a0, 0x8877665544332211)
	CHECK_NUM(41)
	lw a0, 2(a1)
	EXPECT(41, a0, 0x66554433)
	CHECK_NUM(42)
	lhu a0, 3(a1)
	EXPECT(42, a0, 0x5544)
	CHECK_NUM(43)
	li a2, 0xf7e6d5c4b3a29180
	sd a2, 1(a1)
	lwu a0, 0(a1)
	EXPECT(43, a0, 0xa2918011)
	CHECK_NUM(44)
	lwu a0, 4(a1)
	EXPECT(44, a0, 0xe6d5c4b3)
	CHECK_NUM(45)
	lbu a0, 8(a1)
	EXPECT(45, a0, 0xf7)
TEST_END

	.data
	.balign 8
mis_src:
	.byte 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87
	.byte 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f
mis_dst:
	.dword 0, 0
	.balign 4096
mis_page:
	.skip 4092
	.byte 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99
