/*
 * SiFive test finisher driven through its MMIO ops without a CPU.
 * Expected values from QEMU's sifive_test device and virt board (status
 * codes, 16-bit writes as OpenSBI does them, the device-tree nodes).
 */
#include <libfdt.h>
#include <string.h>

#include "dev/sifive_test.h"
#include "tests/unit/unit.h"

struct rec {
	unsigned poweroffs, resets;
	int code;
};

static void rec_poweroff(void *ctx, int code)
{
	struct rec *r = ctx;

	r->poweroffs++;
	r->code = code;
}

static void rec_reset(void *ctx)
{
	struct rec *r = ctx;

	r->resets++;
}

static void test_writes(void)
{
	struct sifive_test t;
	struct mmio_region reg;
	struct rec r = { 0 };

	sifive_test_init(&t, 6, rec_poweroff, rec_reset, &r);
	reg = sifive_test_region(&t, 0x100000);
	CHECK_EQ_U64(reg.base, 0x100000);
	CHECK_EQ_U64(reg.size, 0x1000);
	CHECK_EQ_U64(reg.min_access, 2);
	CHECK_EQ_U64(reg.max_access, 4);

	reg.ops->write(reg.dev, 0, 0x5555, 4);
	CHECK_EQ_U64(r.poweroffs, 1);
	CHECK_EQ_U64(r.code, 0);
	reg.ops->write(reg.dev, 0, 0x5555, 2);
	CHECK_EQ_U64(r.poweroffs, 2);
	CHECK_EQ_U64(r.code, 0);
	reg.ops->write(reg.dev, 0, 0x3333 | (42u << 16), 4);
	CHECK_EQ_U64(r.poweroffs, 3);
	CHECK_EQ_U64(r.code, 42);
	reg.ops->write(reg.dev, 0, 0xffff3333, 4);
	CHECK_EQ_U64(r.poweroffs, 4);
	CHECK_EQ_U64(r.code, 0xffff);
	reg.ops->write(reg.dev, 0, 0x7777, 4);
	CHECK_EQ_U64(r.resets, 1);
	reg.ops->write(reg.dev, 0, 0x7777, 2);
	CHECK_EQ_U64(r.resets, 2);

	/* other values and offsets do nothing */
	reg.ops->write(reg.dev, 0, 0x1234, 4);
	reg.ops->write(reg.dev, 0, 0, 4);
	reg.ops->write(reg.dev, 4, 0x5555, 4);
	reg.ops->write(reg.dev, 0xffc, 0x7777, 4);
	CHECK_EQ_U64(r.poweroffs, 4);
	CHECK_EQ_U64(r.resets, 2);
	CHECK_EQ_U64(reg.ops->read(reg.dev, 0, 4), 0);
	CHECK_EQ_U64(reg.ops->read(reg.dev, 0, 2), 0);

	/* without callbacks requests are ignored */
	sifive_test_init(&t, 6, NULL, NULL, NULL);
	reg.ops->write(reg.dev, 0, 0x5555, 4);
	reg.ops->write(reg.dev, 0, 0x7777, 4);
	CHECK_EQ_U64(r.poweroffs, 4);
}

static void check_syscon(const void *fdt, const char *path, const char *compat,
			 uint32_t value)
{
	const fdt32_t *p;
	const char *s;
	int node, len, test;

	node = fdt_path_offset(fdt, path);
	CHECK(node >= 0);
	s = fdt_getprop(fdt, node, "compatible", &len);
	CHECK(s && (size_t)len == strlen(compat) + 1 && strcmp(s, compat) == 0);
	p = fdt_getprop(fdt, node, "regmap", &len);
	CHECK(p && len == 4);
	test = fdt_path_offset(fdt, "/soc/test@100000");
	CHECK(p && len == 4 &&
	      fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*p)) == test);
	p = fdt_getprop(fdt, node, "offset", &len);
	CHECK(p && len == 4 && fdt32_to_cpu(*p) == 0);
	p = fdt_getprop(fdt, node, "value", &len);
	CHECK(p && len == 4 && fdt32_to_cpu(*p) == value);
}

static void test_fdt(void)
{
	static char buf[4096];
	struct devtree_refs refs = { .plic_phandle = 5 };
	struct sifive_test t;
	const fdt32_t *p;
	const char *s;
	int node, len;

	sifive_test_init(&t, 6, NULL, NULL, NULL);
	CHECK(fdt_create(buf, sizeof(buf)) == 0);
	CHECK(fdt_finish_reservemap(buf) == 0);
	CHECK(fdt_begin_node(buf, "") == 0);
	CHECK(sifive_test_fdt_syscon(buf, 6) == 0);
	CHECK(fdt_begin_node(buf, "soc") == 0);
	CHECK(sifive_test_fdt(&t, buf, 0x100000, &refs) == 0);
	CHECK(fdt_end_node(buf) == 0);
	CHECK(fdt_end_node(buf) == 0);
	CHECK(fdt_finish(buf) == 0);

	node = fdt_path_offset(buf, "/soc/test@100000");
	CHECK(node >= 0);
	s = fdt_getprop(buf, node, "compatible", &len);
	CHECK(s && len == 33 &&
	      memcmp(s, "sifive,test1\0sifive,test0\0syscon", 33) == 0);
	CHECK(fdt_node_check_compatible(buf, node, "syscon") == 0);
	p = fdt_getprop(buf, node, "reg", &len);
	CHECK(p && len == 16);
	if (p && len == 16) {
		CHECK_EQ_U64(fdt32_to_cpu(p[0]), 0);
		CHECK_EQ_U64(fdt32_to_cpu(p[1]), 0x100000);
		CHECK_EQ_U64(fdt32_to_cpu(p[2]), 0);
		CHECK_EQ_U64(fdt32_to_cpu(p[3]), 0x1000);
	}
	CHECK(fdt_get_phandle(buf, node) == 6);
	CHECK(!fdt_getprop(buf, node, "interrupts", &len));
	check_syscon(buf, "/poweroff", "syscon-poweroff", 0x5555);
	check_syscon(buf, "/reboot", "syscon-reboot", 0x7777);
}

int main(void)
{
	test_writes();
	test_fdt();
	return unit_done("test_sifive_test");
}
