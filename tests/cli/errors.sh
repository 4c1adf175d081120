#!/bin/bash
# CLI contract: bad input gives exit status 1 and exactly one line on
# stderr starting with "gasang: "; --help tells the truth and exits 0.
# Prints "ok N - what" / "not ok N - what" lines for tests/run.
set -u
G=${GASANG:-build/gasang}
B=${BUILD:-build}
n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
GOOD=$B/tests/isa/smoke.elf

report() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

# expect_error DESCRIPTION PATTERN ARGS... : exit 1, one stderr line
# matching PATTERN, nothing on stdout
expect_error() {
	local what=$1 pattern=$2
	shift 2
	"$G" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	local rc=$? lines
	lines=$(wc -l <"$tmp/err")
	if [ $rc -eq 1 ] && [ "$lines" -eq 1 ] && [ ! -s "$tmp/out" ] &&
		grep -qE "^gasang: .*$pattern" "$tmp/err"; then
		report 0 "$what"
	else
		report 1 "$what (exit $rc, stderr: $(head -c 300 "$tmp/err"))"
	fi
}

expect_error "missing kernel file" "No such file" run --bios none --kernel "$tmp/nope"
head -c 100 "$GOOD" >"$tmp/trunc.elf"
expect_error "truncated ELF" "truncated" run --bios none --kernel "$tmp/trunc.elf"
head -c 5000 /dev/urandom | tr -d '\177' >"$tmp/random.bin"
expect_error "non-ELF file" "not a RISC-V Linux Image or ELF" run --bios none --kernel "$tmp/random.bin"
: >"$tmp/empty"
expect_error "empty file" "empty" run --bios none --kernel "$tmp/empty"
expect_error "x86-64 ELF" "not a RISC-V" run --bios none --kernel "$G"
expect_error "directory as kernel" "regular file" run --bios none --kernel "$tmp"
expect_error "segment outside RAM" "outside guest RAM" run --bios none --kernel "$B/tests/cli/outside.elf"
expect_error "kernel larger than RAM" "outside guest RAM" run --bios none --kernel "$B/tests/cli/big.elf" --memory 1M
# a minimal Linux Image: a 64-byte header with the RISC-V magic
{ head -c 56 /dev/zero; printf 'RSC\005'; head -c 4 /dev/zero; } >"$tmp/Image"
truncate -s 100M "$tmp/big.initrd"
expect_error "initrd larger than RAM" "too large for guest RAM" run --kernel "$tmp/Image" --initrd "$tmp/big.initrd" --memory 64M
expect_error "missing initrd" "No such file" run --kernel "$tmp/Image" --initrd "$tmp/nope" --memory 64M
expect_error "missing firmware" "No such file" run --kernel "$tmp/Image" --bios "$tmp/nope"
expect_error "kernel that is not a kernel" "not a RISC-V Linux Image or ELF" run --kernel "$tmp/random.bin" --memory 64M
{ head -c 16 /dev/zero; printf '\377\377\377\377\377\377\377\177'; head -c 32 /dev/zero; printf 'RSC\005'; head -c 4 /dev/zero; } >"$tmp/huge.Image"
expect_error "Image header with a huge size" "does not fit" run --kernel "$tmp/huge.Image" --memory 64M
expect_error "--memory 0" "--memory" run --bios none --kernel "$GOOD" --memory 0
expect_error "--memory 10Q" "--memory" run --bios none --kernel "$GOOD" --memory 10Q
expect_error "--memory 17G" "--memory" run --bios none --kernel "$GOOD" --memory 17G
expect_error "--memory not page multiple" "--memory" run --bios none --kernel "$GOOD" --memory 1000B
expect_error "--memory empty" "--memory" run --bios none --kernel "$GOOD" --memory ""
expect_error "--cpus 0" "--cpus" run --bios none --kernel "$GOOD" --cpus 0
expect_error "--cpus abc" "--cpus" run --bios none --kernel "$GOOD" --cpus abc
expect_error "--cpus 33" "--cpus" run --bios none --kernel "$GOOD" --cpus 33
expect_error "unknown flag" "unknown option '--frobnicate'" run --frobnicate
expect_error "flag without value" "needs a value" run --bios none --kernel
expect_error "missing --kernel" "--kernel" run --bios none
expect_error "unknown engine" "--engine" run --bios none --kernel "$GOOD" --engine warp
expect_error "unknown command" "unknown command" frobnicate


# --help: exit 0, usage on stdout, and every option it names is accepted
"$G" --help >"$tmp/out" 2>&1
report $(( $? != 0 || ! $(grep -c "run" "$tmp/out") )) "gasang --help"
"$G" run --help >"$tmp/out" 2>&1
rc=$?
ok=0
[ $rc -eq 0 ] || ok=1
for opt in $(grep -oE -- '--[a-z]+' "$tmp/out" | sort -u); do
	grep -q -- "$opt" cli/cmd_run.c || ok=1
done
report $ok "gasang run --help lists only real options"

"$G" run --dump-dtb "$tmp/virt.dtb" >/dev/null 2>&1
report $? "--dump-dtb writes the device tree"
if command -v dtc >/dev/null; then
	dtc -I dtb -O dts "$tmp/virt.dtb" 2>/dev/null | grep -q 'compatible = "ns16550a"'
	report $? "the dumped device tree decodes with dtc and has the UART"
else
	report 1 "dtc missing (package device-tree-compiler)"
fi

# a good run exits with the HTIF code
"$G" run --bios none --kernel "$GOOD" --memory 64M >/dev/null 2>&1
report $? "good program exits 0"
