/* SiFive test finisher: see sifive_test.h for the register map. */
#include "dev/sifive_test.h"

#include <libfdt.h>
#include <stdio.h>

#include "util/log.h"

void sifive_test_init(struct sifive_test *t, uint32_t phandle,
		      void (*poweroff)(void *ctx, int code),
		      void (*reset)(void *ctx), void *ctx)
{
	t->phandle = phandle;
	t->poweroff = poweroff;
	t->reset = reset;
	t->ctx = ctx;
}

static uint64_t sifive_test_read(void *dev, uint64_t off, unsigned size)
{
	return 0;
}

static void sifive_test_write(void *dev, uint64_t off, uint64_t val,
			      unsigned size)
{
	struct sifive_test *t = dev;
	uint32_t status = val & 0xffff;
	uint32_t code = (val >> 16) & 0xffff;

	if (off != 0 || size < 2) {
		log_guest_error("sifive_test: write at 0x%llx",
				(unsigned long long)off);
		return;
	}
	switch (status) {
	case SIFIVE_TEST_PASS:
		if (t->poweroff)
			t->poweroff(t->ctx, 0);
		break;
	case SIFIVE_TEST_FAIL:
		if (t->poweroff)
			t->poweroff(t->ctx, (int)code);
		break;
	case SIFIVE_TEST_RESET:
		if (t->reset)
			t->reset(t->ctx);
		break;
	default:
		log_guest_error("sifive_test: write of 0x%llx",
				(unsigned long long)val);
		break;
	}
}

static const struct mmio_ops sifive_test_ops = {
	.read = sifive_test_read,
	.write = sifive_test_write,
};

struct mmio_region sifive_test_region(struct sifive_test *t, uint64_t base)
{
	return (struct mmio_region){
		.name = "sifive_test",
		.base = base,
		.size = SIFIVE_TEST_SIZE,
		.min_access = 2,
		.max_access = 4,
		.ops = &sifive_test_ops,
		.dev = t,
	};
}

int sifive_test_fdt(const struct sifive_test *t, void *fdt, uint64_t base,
		    const struct devtree_refs *refs)
{
	static const char compat[] = "sifive,test1\0sifive,test0\0syscon";
	const fdt64_t reg[2] = { cpu_to_fdt64(base),
				 cpu_to_fdt64(SIFIVE_TEST_SIZE) };
	char name[32];
	int err;

	snprintf(name, sizeof(name), "test@%llx", (unsigned long long)base);
	err = fdt_begin_node(fdt, name);
	err = err ?: fdt_property(fdt, "compatible", compat, sizeof(compat));
	err = err ?: fdt_property(fdt, "reg", reg, sizeof(reg));
	err = err ?: fdt_property_u32(fdt, "phandle", t->phandle);
	err = err ?: fdt_end_node(fdt);
	return err;
}

static int sifive_test_fdt_node(void *fdt, const char *name, const char *compat,
				uint32_t phandle, uint32_t value)
{
	int err;

	err = fdt_begin_node(fdt, name);
	err = err ?: fdt_property_string(fdt, "compatible", compat);
	err = err ?: fdt_property_u32(fdt, "regmap", phandle);
	err = err ?: fdt_property_u32(fdt, "offset", 0);
	err = err ?: fdt_property_u32(fdt, "value", value);
	err = err ?: fdt_end_node(fdt);
	return err;
}

int sifive_test_fdt_syscon(void *fdt, uint32_t phandle)
{
	int err;

	err = sifive_test_fdt_node(fdt, "poweroff", "syscon-poweroff", phandle,
				   SIFIVE_TEST_PASS);
	err = err
		      ?: sifive_test_fdt_node(fdt, "reboot", "syscon-reboot",
					      phandle, SIFIVE_TEST_RESET);
	return err;
}
