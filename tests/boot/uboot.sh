#!/bin/bash
# U-Boot from Debian's u-boot-qemu package (the S-mode build, started by
# OpenSBI as the kernel) probes the board, stops at its prompt, runs
# 'version' and powers the machine off through the syscon node.
set -u
cd "$(dirname "$0")/../.."
G=${GASANG:-build/gasang}
ENGINE=${ENGINE:-interp}
UBOOT=/usr/lib/u-boot/qemu-riscv64_smode/uboot.elf
n=0
report() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
if [ ! -f "$UBOOT" ]; then
	report 1 "U-Boot missing: $UBOOT (package u-boot-qemu)"
	exit 0
fi
tmp=$(mktemp -d)
mkfifo "$tmp/in"
: >"$tmp/out"
# the fifo stays open for writing on fd 3, so gasang never sees EOF
exec 3<>"$tmp/in"
timeout 300 "$G" run --engine "$ENGINE" --kernel "$UBOOT" --memory 256M \
	<"$tmp/in" >"$tmp/out" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT

# wait_for PATTERN SECONDS: until the output matches (fixed string)
wait_for() {
	local deadline=$((SECONDS + $2))
	while [ $SECONDS -lt $deadline ]; do
		grep -qF -- "$1" "$tmp/out" && return 0
		kill -0 $pid 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

wait_for "Hit any key to stop autoboot" 120
report $? "U-Boot starts and probes the board"
printf ' ' >&3
wait_for "=> " 30
report $? "prompt after stopping autoboot"
printf 'version\n' >&3
wait_for "GNU ld" 30 && [ "$(grep -c "^U-Boot 20" "$tmp/out")" -ge 2 ]
report $? "'version' prints the U-Boot version"
grep -q "^Model: riscv-virtio,gasang" "$tmp/out"
report $? "U-Boot read the board model from the device tree"
printf 'poweroff\n' >&3
wait $pid
rc=$?
report $rc "'poweroff' ends gasang with status 0 (got $rc)"
