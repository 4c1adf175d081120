#!/usr/bin/env bash
# SMP scaling: two independent sha256sum jobs over BENCH_SMP_MB MiB each
# (default 32) of data made in the guest, run at once and timed inside the
# guest from /proc/uptime around just the two jobs. Under gasang with
# --cpus 1 and 2 and under qemu-system-riscv64 -machine virt with -smp 1
# and 2 (same kernel, initramfs, firmware, memory), BENCH_RUNS times each
# (default 3), in the same run. Prints medians, the cpus2/cpus1 speedup of
# each emulator and the gasang/QEMU time ratios. Both jobs must print the
# same digest, or the run counts as failed.
set -u

cd "$(dirname "$0")/.." || exit 1
. bench/lib.sh
runs=${BENCH_RUNS:-3}
mb=${BENCH_SMP_MB:-32}
assets=${GASANG_ASSETS:-${GASANG_CACHE:-$HOME/.cache/gasang}/assets}
kernel=$assets/Image
initrd=$assets/initramfs.cpio.gz
bios=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
gasang=${GASANG:-build/gasang}
script="up() { read u _ </proc/uptime; echo \$u; }
dd if=/dev/urandom of=/tmp/a bs=1M count=$mb 2>/dev/null; cp /tmp/a /tmp/b
t0=\$(up)
sha256sum /tmp/a >/tmp/ha & sha256sum /tmp/b >/tmp/hb & wait
t1=\$(up)
echo \"bench-time \$t0 \$t1 \$(cut -c1-64 /tmp/ha) \$(cut -c1-64 /tmp/hb)\""
append="console=ttyS0 quiet gasang.cmd=$(printf '%s\n' "$script" | base64 -w0)"

for f in "$gasang" "$kernel" "$initrd" "$bios"; do
	if [ ! -e "$f" ]; then
		echo "bench/smp: $f missing; run 'make bench'" >&2
		exit 1
	fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

gasang_cmd=("$gasang" run --kernel "$kernel" --initrd "$initrd"
	--bios "$bios" --memory 512M --append "$append")
qemu_cmd=(qemu-system-riscv64 -machine virt -nographic -bios "$bios"
	-kernel "$kernel" -initrd "$initrd" -m 512M -append "$append")

# workload_time CMD...: the guest's seconds for the two jobs, or "fail"
workload_time() {
	timeout 900 "$@" </dev/null >"$tmp/out" 2>&1
	tr -d '\r' <"$tmp/out" | awk '
		$1 == "bench-time" && NF == 5 && length($4) == 64 && $4 == $5 {
			printf "%.2f\n", $3 - $2; found = 1 }
		END { if (!found) print "fail" }'
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
echo "workload: 2 concurrent sha256sum of $mb MiB each, timed in the guest"
echo "gasang: ${gasang_cmd[*]} --cpus N"
echo "qemu:   ${qemu_cmd[*]} -smp N"
echo "guest script:"
printf '%s\n' "$script" | sed 's/^/    /'
have_qemu=1
command -v qemu-system-riscv64 >/dev/null || have_qemu=0
status=0
declare -A med
for i in $(seq 1 "$runs"); do
	for c in 1 2; do
		t=$(workload_time "${gasang_cmd[@]}" --cpus $c)
		echo "gasang --cpus $c run $i: $t s"
		if [ "$t" = fail ]; then
			echo "bench/smp: gasang --cpus $c gave no result:" >&2
			tail -5 "$tmp/out" >&2
			status=1
		else
			echo "$t" >>"$tmp/gasang$c"
		fi
		[ $have_qemu = 1 ] || continue
		t=$(workload_time "${qemu_cmd[@]}" -smp $c)
		echo "qemu -smp $c run $i:     $t s"
		[ "$t" != fail ] && echo "$t" >>"$tmp/qemu$c"
	done
done
for e in gasang qemu; do
	for c in 1 2; do
		[ -s "$tmp/$e$c" ] && med[$e$c]=$(median <"$tmp/$e$c")
	done
done
for c in 1 2; do
	[ -n "${med[gasang$c]:-}" ] && echo "gasang --cpus $c: median ${med[gasang$c]} s"
	[ -n "${med[qemu$c]:-}" ] && echo "qemu -smp $c:     median ${med[qemu$c]} s"
done
if [ -n "${med[gasang1]:-}" ] && [ -n "${med[gasang2]:-}" ]; then
	s=$(ratio "${med[gasang1]}" "${med[gasang2]}")
	goal=met
	awk -v s="$s" 'BEGIN { exit !(s >= 1.8) }' || goal="not met"
	echo "gasang speedup cpus2/cpus1: ${s}x (goal >= 1.8x on a 2-core host: $goal)"
fi
if [ -n "${med[qemu1]:-}" ] && [ -n "${med[qemu2]:-}" ]; then
	echo "qemu speedup smp2/smp1:     $(ratio "${med[qemu1]}" "${med[qemu2]}")x"
fi
for c in 1 2; do
	if [ -n "${med[gasang$c]:-}" ] && [ -n "${med[qemu$c]:-}" ]; then
		echo "gasang/qemu time ratio, $c cpu(s): $(ratio "${med[gasang$c]}" "${med[qemu$c]}") (below 1 is faster than QEMU)"
	fi
done
[ $have_qemu = 1 ] || echo "qemu-system-riscv64 not installed: no comparison"
exit $status
