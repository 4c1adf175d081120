#!/usr/bin/env bash
# Boot time: seconds from process start to the guest's userspace marker
# ("gasang: userspace ready", printed by the initramfs /init), for gasang
# and for qemu-system-riscv64 -machine virt on the same kernel, initramfs,
# firmware (Debian's OpenSBI fw_dynamic.bin), memory and command line,
# measured in the same run, BENCH_RUNS times each (default 5), medians and
# the ratio printed. The guest powers off right after the marker.
set -u

cd "$(dirname "$0")/.." || exit 1
runs=${BENCH_RUNS:-5}
assets=${GASANG_ASSETS:-${GASANG_CACHE:-$HOME/.cache/gasang}/assets}
kernel=$assets/Image
initrd=$assets/initramfs.cpio.gz
bios=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
append="console=ttyS0 gasang.cmd=$(printf 'true\n' | base64 -w0)"
marker="gasang: userspace ready"

for f in build/gasang "$kernel" "$initrd" "$bios"; do
	if [ ! -e "$f" ]; then
		echo "bench/boot: $f missing; run 'make bench'" >&2
		exit 1
	fi
done

gasang_cmd=(build/gasang run --kernel "$kernel" --initrd "$initrd"
	--bios "$bios" --memory 512M --append "$append")
qemu_cmd=(qemu-system-riscv64 -machine virt -nographic -bios "$bios"
	-kernel "$kernel" -initrd "$initrd" -m 512M -append "$append")

# time_to_marker CMD...: prints the seconds until the marker line, or
# "fail" when the guest ends without printing it
time_to_marker() {
	local start end
	start=$(date +%s%N)
	timeout 300 "$@" </dev/null 2>&1 | {
		found=
		while IFS= read -r line; do
			if [ -z "$found" ] && [[ $line == *"$marker"* ]]; then
				end=$(date +%s%N)
				found=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", (e - s) / 1e9 }')
			fi
		done
		echo "${found:-fail}"
	}
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
echo "gasang: ${gasang_cmd[*]}"
echo "qemu:   ${qemu_cmd[*]}"
have_qemu=1
command -v qemu-system-riscv64 >/dev/null || have_qemu=0
g=()
q=()
for i in $(seq 1 "$runs"); do
	t=$(time_to_marker "${gasang_cmd[@]}")
	echo "gasang run $i: $t s"
	[ "$t" = fail ] && { echo "bench/boot: gasang did not reach the marker" >&2; exit 1; }
	g+=("$t")
	if [ $have_qemu = 1 ]; then
		t=$(time_to_marker "${qemu_cmd[@]}")
		echo "qemu run $i:   $t s"
		[ "$t" != fail ] && q+=("$t")
	fi
done
gm=$(printf '%s\n' "${g[@]}" | median)
echo "boot to userspace, gasang: median $gm s"
if [ ${#q[@]} -gt 0 ]; then
	qm=$(printf '%s\n' "${q[@]}" | median)
	echo "boot to userspace, qemu:   median $qm s"
	echo "gasang/qemu time ratio: $(awk -v a="$gm" -v b="$qm" 'BEGIN { printf "%.2f", a / b }') (below 1 is faster than QEMU)"
else
	echo "qemu-system-riscv64 not installed: no comparison"
fi
