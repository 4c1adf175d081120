# gasang: one GNU Makefile, no generator. Objects are listed by folder so
# that this file reads as a map of the tree. Out-of-tree build in build/.
#
#   make              build build/gasang
#   make test         install what the tests need, build, run every test
#   make demo         install, build and run the main job
#   make acceptance   the Debian server image end to end (long)
#   make bench        the benchmarks (figures and ratios)
#   make fuzz         libFuzzer targets (clang), see tests/fuzz/README.md
#   make SANITIZE=address,undefined test
#   make format / check-format / help

CC ?= cc
SANITIZE ?=
# sanitizer builds live apart so that objects never mix
BUILD ?= build$(if $(SANITIZE),-san)
OPT ?= -O2

CFLAGS := -std=gnu11 $(OPT) -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-I. -MMD -MP -D_GNU_SOURCE -fno-strict-aliasing
LDFLAGS :=
# Debian 12's libfdt-dev ships no pkg-config file: fall back to -lfdt
FDT_CFLAGS := $(shell pkg-config --cflags libfdt 2>/dev/null)
FDT_LIBS := $(shell pkg-config --libs libfdt 2>/dev/null || echo -lfdt)
CFLAGS += $(FDT_CFLAGS)
# libslirp (the user-mode network) and jansson (VM configs)
PKG_LIBS := slirp jansson
CFLAGS += $(shell pkg-config --cflags $(PKG_LIBS))
LDLIBS := $(FDT_LIBS) $(shell pkg-config --libs $(PKG_LIBS)) -lz -lpthread -lm
ifneq ($(SANITIZE),)
CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SANITIZE)
endif

# --- the tree, bottom up -------------------------------------------------
UTIL    := util/log.c util/parse.c
MEM     := mem/bus.c mem/mmu.c mem/pmp.c mem/window.c
CPU     := cpu/decode.c cpu/hart.c cpu/csr.c cpu/trap.c cpu/fpu.c \
	   cpu/softfp.c cpu/exec.c cpu/interp.c
DEV     := dev/aclint.c dev/htif.c dev/plic.c dev/rtc_goldfish.c \
	   dev/sifive_test.c dev/uart_ns16550a.c
VIRTIO  := virtio/queue.c virtio/mmio.c virtio/blk.c virtio/rng.c \
	   virtio/input.c virtio/net.c
NET     := net/user.c
JIT     := $(wildcard jit/*.c)
VM      := $(wildcard vm/*.c)
DISK    := disk/disk.c disk/raw.c disk/qcow2.c
MACHINE := machine/machine.c machine/fdt.c machine/loader.c
CLI     := $(wildcard cli/*.c)

LIB_SRCS := $(UTIL) $(MEM) $(CPU) $(JIT) $(DEV) $(DISK) $(NET) $(VIRTIO) \
	    $(MACHINE) $(VM)
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
CLI_OBJS := $(CLI:%.c=$(BUILD)/%.o)

# --- tests ---------------------------------------------------------------
UNIT_SRCS := $(wildcard tests/unit/test_*.c tests/dev/test_*.c \
	tests/diff/test_*.c)
UNIT_BINS := $(UNIT_SRCS:%.c=$(BUILD)/%)

RV_CC ?= riscv64-linux-gnu-gcc
RV_MARCH := rv64gc_zba_zbb_zbs
RV_CFLAGS := -march=$(RV_MARCH) -mabi=lp64d -nostdlib -nostartfiles -static \
	-mcmodel=medany -fno-pic -no-pie -Wl,--no-relax -Wl,--build-id=none -Itests/isa
ISA_SRCS := $(wildcard tests/isa/*.S)
ISA_ELFS := $(patsubst tests/isa/%.S,$(BUILD)/tests/isa/%.elf,\
	$(filter-out tests/isa/crt.S,$(ISA_SRCS)))

.PHONY: all test acceptance demo bench unit isa fuzz format check-format help clean deps

all: $(BUILD)/gasang

$(BUILD)/gasang: $(CLI_OBJS) $(BUILD)/libgasang.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libgasang.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/%.c $(BUILD)/libgasang.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libgasang.a $(LDLIBS)

$(BUILD)/tests/isa/%.elf: tests/isa/%.S tests/isa/crt.S $(wildcard tests/isa/*.h) tests/isa/link.ld
	@mkdir -p $(dir $@)
	$(RV_CC) $(RV_CFLAGS) -T tests/isa/link.ld -o $@ tests/isa/crt.S $<

CLI_FIXTURES := $(BUILD)/tests/cli/outside.elf $(BUILD)/tests/cli/big.elf \
	$(BUILD)/tests/cli/reboot_loop.elf
$(BUILD)/tests/cli/reboot_loop.elf: tests/cli/reboot_loop.S
	@mkdir -p $(dir $@)
	$(RV_CC) -nostdlib -static -Wl,--build-id=none -Wl,-N -Wl,--no-warn-rwx-segments -Wl,-Ttext=0x80000000 -o $@ $<
$(BUILD)/tests/cli/outside.elf: tests/cli/outside.S
	@mkdir -p $(dir $@)
	$(RV_CC) -nostdlib -static -Wl,--build-id=none -Wl,-Ttext=0x1000 -o $@ $<
$(BUILD)/tests/cli/big.elf: tests/cli/big.S
	@mkdir -p $(dir $@)
	$(RV_CC) -nostdlib -static -Wl,--build-id=none -Wl,-N -Wl,--no-warn-rwx-segments -Wl,-N -Wl,--no-warn-rwx-segments -Wl,-Ttext=0x80000000 -o $@ $<

# fuzz corpora replay under ASan/UBSan in the normal run (tests/fuzz)
FUZZ_SAN := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_virtq_SRCS := virtio/queue.c mem/bus.c util/log.c
FUZZ_qcow2_SRCS := disk/disk.c disk/raw.c disk/qcow2.c util/log.c
FUZZ_net_SRCS := virtio/net.c virtio/mmio.c virtio/queue.c net/user.c \
	mem/bus.c util/log.c
FUZZ_config_SRCS := vm/config.c util/log.c util/parse.c
FUZZ_blk_SRCS := virtio/blk.c virtio/mmio.c virtio/queue.c disk/disk.c \
	disk/raw.c disk/qcow2.c mem/bus.c util/log.c
FUZZ_NAMES := virtq qcow2 net config blk
FUZZ_ALL_SRCS := $(sort $(foreach n,$(FUZZ_NAMES),$(FUZZ_$(n)_SRCS)))
FUZZ_REPLAYS := $(FUZZ_NAMES:%=$(BUILD)/tests/fuzz/fuzz_%_replay)
$(BUILD)/tests/fuzz/fuzz_%_replay: tests/fuzz/fuzz_%.c tests/fuzz/replay.h tests/fuzz/driver.h \
		$(FUZZ_ALL_SRCS)
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(FUZZ_SAN) -D_GNU_SOURCE -DFUZZ_REPLAY -I. \
		$(shell pkg-config --cflags $(PKG_LIBS)) -o $@ \
		$< $(FUZZ_$*_SRCS) $(LDLIBS)

unit: $(UNIT_BINS) $(FUZZ_REPLAYS)

# libFuzzer binaries (clang, Debian's libclang-rt-14-dev); see tests/fuzz
FUZZERS := $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz_%)
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_ALL_SRCS)
	@mkdir -p $(dir $@)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-D_GNU_SOURCE -I. $(shell pkg-config --cflags $(PKG_LIBS)) -o $@ \
		$< $(FUZZ_$*_SRCS) $(LDLIBS)
fuzz: $(FUZZERS)
isa: $(ISA_ELFS) $(CLI_FIXTURES)

deps:
	@scripts/install-deps.sh

test: deps
	@$(MAKE) --no-print-directory all unit isa bench-build
	@scripts/fetch-guest-assets.sh
	@BUILD=$(BUILD) tests/run

# the Debian server image end to end (long; not part of test)
acceptance: deps
	@$(MAKE) --no-print-directory all
	@scripts/fetch-guest-assets.sh
	@tests/acceptance/debian.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/fetch-guest-assets.sh
	@scripts/demo.sh

# --- benchmarks ----------------------------------------------------------
BENCH_ELFS := $(BUILD)/bench/mips.elf
$(BUILD)/bench/%.elf: bench/%.c bench/crt.S bench/link.ld
	@mkdir -p $(dir $@)
	$(RV_CC) -march=rv64gc -mabi=lp64d -O2 -ffreestanding -nostdlib \
		-nostartfiles -static -mcmodel=medany -fno-pic -no-pie \
		-Wl,--build-id=none -T bench/link.ld -o $@ bench/crt.S $<
bench-build: $(BENCH_ELFS)
bench: deps
	@$(MAKE) --no-print-directory all bench-build
	@scripts/fetch-guest-assets.sh
	@bench/run

# --- housekeeping --------------------------------------------------------
# tests/isa/*.h are assembler macro headers: not C
FORMAT_FILES := $(shell git ls-files '*.c' '*.h' ':!tests/isa' 2>/dev/null)
format:
	clang-format -i $(FORMAT_FILES)
check-format:
	@clang-format --dry-run --Werror $(FORMAT_FILES)

help:
	@sed -n '1,/^$$/p' Makefile | sed 's/^# \{0,1\}//'

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
