#!/usr/bin/env bash
# Boot time: seconds from process start to the guest's userspace marker
# ("gasang: userspace ready", printed by the initramfs /init), for gasang
# (each engine it has: interp, jit) and for qemu-system-riscv64 -machine
# virt on the same kernel, initramfs, firmware (Debian's OpenSBI
# fw_dynamic.bin), memory and command line, measured in the same run,
# BENCH_RUNS times each (default 5), medians and ratios printed.
#
# At the marker the VM process's host CPU time (user + system, all its
# threads, /proc/PID/stat) and resident memory (VmRSS, /proc/PID/status)
# are read as well. The guest sleeps a second after the marker so the
# process is still there to be read, then powers off.
set -u

cd "$(dirname "$0")/.." || exit 1
. bench/lib.sh
G=${GASANG:-build/gasang}
runs=${BENCH_RUNS:-5}
assets=${GASANG_ASSETS:-${GASANG_CACHE:-$HOME/.cache/gasang}/assets}
kernel=$assets/Image
initrd=$assets/initramfs.cpio.gz
bios=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
append="console=ttyS0 gasang.cmd=$(printf 'sleep 1\n' | base64 -w0)"
marker="gasang: userspace ready"
limit=300
hz=$(getconf CLK_TCK)

for f in "$G" "$kernel" "$initrd" "$bios"; do
	if [ ! -e "$f" ]; then
		echo "bench/boot: $f missing; run 'make bench'" >&2
		exit 1
	fi
done

engines=${BENCH_ENGINES:-}
if [ -z "$engines" ]; then
	engines=interp
	"$G" run --engine jit --help 2>&1 | grep -q "not an engine" ||
		engines="interp jit"
fi

gasang_cmd=("$G" run --kernel "$kernel" --initrd "$initrd" --bios "$bios"
	--memory 512M --append "$append")
qemu_cmd=(qemu-system-riscv64 -machine virt -nographic -bios "$bios"
	-kernel "$kernel" -initrd "$initrd" -m 512M -append "$append")

# measure CMD...: runs the VM and prints "SECONDS CPU_SECONDS RSS_MIB" at
# the marker line, or "fail" when the VM ends (or stays silent for
# $limit seconds) without printing it
measure() {
	local dir fifo pid line found= end cpu rss start
	dir=$(mktemp -d) || return 1
	fifo=$dir/out
	mkfifo "$fifo"
	start=$(date +%s%N)
	"$@" </dev/null >"$fifo" 2>&1 &
	pid=$!
	while IFS= read -r -t "$limit" line; do
		if [ -z "$found" ] && [[ $line == *"$marker"* ]]; then
			end=$(date +%s%N)
			# fields 14 and 15 of stat: utime, stime (counted after
			# the command name, which may hold spaces)
			cpu=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null |
				awk -v hz="$hz" '{ printf "%.2f", ($12 + $13) / hz }')
			rss=$(awk '$1 == "VmRSS:" { printf "%.0f", $2 / 1024 }' \
				"/proc/$pid/status" 2>/dev/null)
			found=$(awk -v s="$start" -v e="$end" \
				'BEGIN { printf "%.3f", (e - s) / 1e9 }')
			found="$found ${cpu:-nan} ${rss:-nan}"
		fi
	done <"$fifo"
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rm -rf "$dir"
	echo "${found:-fail}"
}

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
echo "gasang: ${gasang_cmd[*]} --engine ENGINE (engines: $engines)"
echo "qemu:   ${qemu_cmd[*]}"
vms=()
for e in $engines; do
	vms+=("$e")
done
command -v qemu-system-riscv64 >/dev/null && vms+=(qemu)

declare -A secs cpus rsss
status=0
for i in $(seq 1 "$runs"); do
	for vm in "${vms[@]}"; do
		if [ "$vm" = qemu ]; then
			r=$(measure "${qemu_cmd[@]}")
			label="qemu"
		else
			r=$(measure "${gasang_cmd[@]}" --engine "$vm")
			label="gasang ($vm)"
		fi
		if [ "$r" = fail ]; then
			echo "$label run $i: did not reach the marker"
			status=1
			continue
		fi
		read -r t c m <<<"$r"
		echo "$label run $i: $t s to userspace, host CPU $c s, RSS $m MiB"
		secs[$vm]+="$t "
		cpus[$vm]+="$c "
		rsss[$vm]+="$m "
	done
done

declare -A mt mc mm
for vm in "${vms[@]}"; do
	[ -n "${secs[$vm]:-}" ] || continue
	mt[$vm]=$(printf '%s\n' ${secs[$vm]} | median %.3f)
	mc[$vm]=$(printf '%s\n' ${cpus[$vm]} | median %.3f)
	mm[$vm]=$(printf '%s\n' ${rsss[$vm]} | median %.3f)
	label=$([ "$vm" = qemu ] && echo qemu || echo "gasang ($vm)")
	echo "boot to userspace, $label: median ${mt[$vm]} s, host CPU ${mc[$vm]} s, RSS ${mm[$vm]} MiB"
done
if [ -n "${mt[qemu]:-}" ]; then
	for e in $engines; do
		[ -n "${mt[$e]:-}" ] || continue
		awk -v e="$e" -v t="${mt[$e]}" -v qt="${mt[qemu]}" \
			-v c="${mc[$e]}" -v qc="${mc[qemu]}" \
			-v m="${mm[$e]}" -v qm="${mm[qemu]}" 'BEGIN {
			printf "gasang (%s)/qemu: time %.2f, host CPU %.2f, RSS %.2f (below 1 is better than QEMU)\n",
				e, t / qt, c / qc, m / qm }'
	done
else
	echo "qemu-system-riscv64 not installed or failed: no comparison"
fi
exit $status
