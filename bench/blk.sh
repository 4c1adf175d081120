#!/usr/bin/env bash
# virtio-blk throughput: the guest writes BLK_MB MiB (default 64) of zeroes
# to a fresh disk with 'dd bs=1M conv=fsync' (the fsync is a virtio flush)
# and reads them back with 'dd bs=1M iflag=direct' (past the guest's page
# cache), on a raw disk and on a fresh qcow2 image (qemu-img create:
# every write allocates), timed by the guest's /proc/uptime. gasang and
# qemu-system-riscv64 -machine virt run the same kernel, initramfs,
# firmware, memory and script in the same run, BENCH_RUNS times each
# (default 3); medians in MB/s (10^6 bytes) and gasang/qemu ratios.
set -u

cd "$(dirname "$0")/.." || exit 1
. bench/lib.sh
runs=${BENCH_RUNS:-3}
mb=${BLK_MB:-64}
assets=${GASANG_ASSETS:-${GASANG_CACHE:-$HOME/.cache/gasang}/assets}
kernel=$assets/Image
initrd=$assets/initramfs.cpio.gz
bios=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
g=${GASANG:-build/gasang}

for f in "$g" "$kernel" "$initrd" "$bios"; do
	if [ ! -e "$f" ]; then
		echo "bench/blk: $f missing; run 'make bench'" >&2
		exit 1
	fi
done
for tool in qemu-img qemu-system-riscv64; do
	if ! command -v $tool >/dev/null; then
		echo "bench/blk: $tool missing (packages qemu-utils, qemu-system-misc)" >&2
		exit 1
	fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Disks are told apart by serial: gasang's is the file name, QEMU's is
# set to the same.
script="for s in /sys/block/vd*; do
d=\${s##*/}; n=\$(cat \$s/serial)
read a x </proc/uptime
dd if=/dev/zero of=/dev/\$d bs=1M count=$mb conv=fsync 2>/dev/null || n=\$n-fail
read b x </proc/uptime
dd if=/dev/\$d of=/dev/null bs=1M count=$mb iflag=direct 2>/dev/null || n=\$n-fail
read c x </proc/uptime
echo \"blk \$n \$a \$b \$c\"
done"
append="console=ttyS0 quiet gasang.cmd=$(printf '%s\n' "$script" | base64 -w0)"
size=$((mb * 2))M

fresh_disks() {
	rm -f "$tmp/braw" "$tmp/bqcow2"
	truncate -s "$size" "$tmp/braw"
	qemu-img create -q -f qcow2 "$tmp/bqcow2" "$size"
}

gasang_cmd=("$g" run --kernel "$kernel" --initrd "$initrd" --bios "$bios"
	--memory 512M --append "$append" --disk "$tmp/braw,format=raw"
	--disk "$tmp/bqcow2,format=qcow2")
qemu_cmd=(qemu-system-riscv64 -machine virt -nographic -bios "$bios"
	-kernel "$kernel" -initrd "$initrd" -m 512M -append "$append"
	-drive "file=$tmp/braw,if=none,id=d0,format=raw"
	-device virtio-blk-device,drive=d0,serial=braw
	-drive "file=$tmp/bqcow2,if=none,id=d1,format=qcow2"
	-device virtio-blk-device,drive=d1,serial=bqcow2)

# run WHO CMD...: boots on fresh disks; appends "WHO FORMAT write|read
# MB/s" lines to $tmp/results, or fails
run() {
	local who=$1 line fmt a b c ok=0
	shift
	fresh_disks
	timeout 600 "$@" </dev/null >"$tmp/out" 2>&1
	while read -r line; do
		set -- $line
		[ $# = 5 ] || continue
		fmt=${2#b} a=$3 b=$4 c=$5
		case $fmt in raw | qcow2) ;; *) continue ;; esac
		awk -v w="$who" -v f="$fmt" -v mb="$mb" -v a="$a" -v b="$b" -v c="$c" \
			'BEGIN { m = mb * 1048576 / 1e6
				 printf "%s %s write %.1f\n", w, f, m / (b - a)
				 printf "%s %s read %.1f\n", w, f, m / (c - b) }' \
			>>"$tmp/results"
		ok=$((ok + 1))
	done < <(tr -d '\r' <"$tmp/out" | grep -a '^blk ')
	if [ $ok != 2 ]; then
		echo "bench/blk: $who did not report both disks:" >&2
		tail -5 "$tmp/out" >&2
		return 1
	fi
}

pick() {
	awk -v w="$1" -v f="$2" -v k="$3" '$1 == w && $2 == f && $3 == k { print $4 }' \
		"$tmp/results" | median %.1f
}

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "guest: dd bs=1M count=$mb conv=fsync to a fresh $size disk, then dd bs=1M count=$mb iflag=direct"
echo "guest script (gasang.cmd= in the kernel command line, base64):"
printf '%s\n' "$script" | sed 's/^/    /'
echo "gasang: ${gasang_cmd[*]}" | sed 's/gasang\.cmd=[^ ]*/gasang.cmd=SCRIPT/'
echo "qemu:   ${qemu_cmd[*]}" | sed 's/gasang\.cmd=[^ ]*/gasang.cmd=SCRIPT/' 
: >"$tmp/all"
for i in $(seq 1 "$runs"); do
	: >"$tmp/results"
	run gasang "${gasang_cmd[@]}" || exit 1
	run qemu "${qemu_cmd[@]}" || exit 1
	echo "run $i: $(awk '{ printf "%s%s %s %s %s", (NR > 1 ? "; " : ""), $1, $2, $3, $4 }' "$tmp/results")"
	cat "$tmp/results" >>"$tmp/all"
done
mv "$tmp/all" "$tmp/results"
for fmt in raw qcow2; do
	for kind in write read; do
		gm=$(pick gasang $fmt $kind)
		qm=$(pick qemu $fmt $kind)
		printf '%-5s %-5s gasang %7s MB/s  qemu %7s MB/s  gasang/qemu %s\n' \
			"$fmt" "$kind" "$gm" "$qm" \
			"$(awk -v a="$gm" -v b="$qm" 'BEGIN { printf "%.2f", a / b }')"
	done
done
echo "(ratios above 1: gasang is faster; medians of $runs runs)"
