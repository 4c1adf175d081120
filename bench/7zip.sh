#!/usr/bin/env bash
# CPU benchmark of issue 8: 7-Zip's own benchmark, single-threaded,
# `7zz b -mmt1 1 -md22`, run
#   - in the guest under gasang (each engine it has: interp, jit),
#   - in the guest under qemu-system-riscv64 -machine virt (TCG),
#   - natively on the host (Debian's 7zip package, same arguments),
#   - and, as a reference, the guest's binary under qemu-riscv64 (QEMU's
#     user mode: the same TCG translator, but the host's MMU translates
#     guest addresses and there is no guest kernel),
# all in the same run. The guest uses the same kernel and initramfs as the
# boot tests plus a second cpio archive, appended, that holds Debian
# trixie's riscv64 7zip-standalone with the C and C++ runtime it links
# against (the kernel unpacks concatenated archives in order). Prints the
# total rating (the "Tot:" line, MIPS) of each, its compressing and
# decompressing ratings (the "Avr:" line) and the ratios of the totals.
#
# BENCH_7Z_ARGS overrides the arguments (e.g. "b -mmt1 1 -md18" for a
# shorter run); the line "7zz arguments:" says which were used.
# BENCH_ENGINES overrides the gasang engines (default: all it has).
# BENCH_RUNS=N runs N rounds (default 1), each with every VM and the
# native run in turn, and prints each round's ratios and the medians.
set -u

cd "$(dirname "$0")/.." || exit 1
. bench/lib.sh
G=${GASANG:-build/gasang}
cache=${GASANG_CACHE:-$HOME/.cache/gasang}
assets=${GASANG_ASSETS:-$cache/assets}
work=$cache/bench/7zip
kernel=$assets/Image
initrd=$assets/initramfs.cpio.gz
bios=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
suite=trixie
args=${BENCH_7Z_ARGS:-b -mmt1 1 -md22}
memory=1G
limit=${BENCH_7Z_TIMEOUT:-3600}
runs=${BENCH_RUNS:-1}

die() {
	echo "bench/7zip: $*" >&2
	exit 1
}

case $runs in '' | *[!0-9]* | 0) die "BENCH_RUNS must be a positive number, not '$runs'" ;; esac
for f in "$G" "$kernel" "$initrd" "$bios"; do
	[ -e "$f" ] || die "$f missing; run 'make bench' (and scripts/fetch-guest-assets.sh)"
done

# --- the guest's 7-Zip (scripts/guest-7zip.sh) ------------------------------
scripts/guest-7zip.sh "$work" >/dev/null || die "cannot make the guest's 7-Zip"
cat "$initrd" "$work/7zip.cpio.gz" >"$work/initrd.cpio.gz" ||
	die "cannot write $work/initrd.cpio.gz"

# --- QEMU's user mode, for reference ------------------------------------------
# The guest's 7zz and its libraries from the archive, run by qemu-riscv64
# on the host: what QEMU's translator reaches without a soft MMU.
userroot=$work/user-root
have_user=true
if ! command -v qemu-riscv64 >/dev/null; then
	echo "bench/7zip: installing qemu-user (qemu-riscv64)"
	if ! apt-get install -y -qq qemu-user >/dev/null 2>&1; then
		echo "bench/7zip: apt-get install qemu-user failed: no user-mode reference"
		have_user=false
	fi
fi
# unpacked again when the archive is newer (a new 7-Zip fetched)
if $have_user && ! [ "$userroot/unpacked" -nt "$work/7zip.cpio.gz" ]; then
	rm -rf "$userroot"
	if ! mkdir -p "$userroot" ||
		! (cd "$userroot" && gzip -dc "$work/7zip.cpio.gz" | cpio -idm --quiet) ||
		! touch "$userroot/unpacked"; then
		die "cannot unpack $work/7zip.cpio.gz into $userroot"
	fi
fi

# --- the host's 7-Zip ----------------------------------------------------------
if ! command -v 7zz >/dev/null; then
	echo "bench/7zip: installing the host's 7zip package"
	apt-get install -y -qq 7zip >/dev/null 2>&1 || die "apt-get install 7zip failed"
fi

# the Tot: line's last figure is the total rating in MIPS
rating() {
	tr -d '\r' | awk '$1 == "Tot:" { r = $NF } END { print (r == "" ? "fail" : r) }'
}

# the Avr: line's ratings of compressing and decompressing, from a log
parts() {
	tr -d '\r' <"$1" | awk '$1 == "Avr:" { c = $5; d = $NF }
		END { if (c != "") printf "compressing %s, decompressing %s", c, d }'
}

script="/opt/7zip/lib/ld-linux-riscv64-lp64d.so.1 --library-path /opt/7zip/lib /opt/7zip/7zz $args"
# Sv39 (no4lvl) for every VM: Linux takes the deepest mode a hart offers
# (Sv57 on both boards), which puts user space above gasang's window
append="console=ttyS0 quiet no4lvl gasang.cmd=$(printf '%s\n' "$script" | base64 -w0)"
log=$work/last-run
mkdir -p "$log"

# guest NAME CMD...: runs a guest, keeps its console in $log/NAME.txt,
# prints the rating and the seconds it took
guest() {
	local name=$1 start end r
	shift
	start=$(date +%s%N)
	timeout "$limit" "$@" </dev/null >"$log/$name.txt" 2>&1
	end=$(date +%s%N)
	r=$(rating <"$log/$name.txt")
	echo "$r $(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.0f", (e - s) / 1e9 }')"
}

engines=${BENCH_ENGINES:-}
if [ -z "$engines" ]; then
	engines=interp
	"$G" run --engine jit --help 2>&1 | grep -q "not an engine" ||
		engines="interp jit"
fi

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
echo "7zz arguments: $args"
echo "guest 7-Zip: 7zip-standalone $(cat "$work/version" 2>/dev/null) (Debian $suite riscv64); host: $(dpkg-query -W -f '${Package} ${Version}' 7zip 2>/dev/null)"
echo "guest console logs: $log/"

ratio() { # NAME A B
	if [ "$2" = fail ] || [ "$3" = fail ]; then
		echo "$1: n/a"
	else
		awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%s: %.2f\n", n, a / b }'
	fi
}

# prints NAME: A / B, and keeps the ratio under KEY for the medians
keep_ratio() { # KEY NAME A B
	local line

	line=$(ratio "$2" "$3" "$4")
	echo "$line"
	case $line in *n/a) ;; *) rat[$1]+="${line##* } " ;; esac
}

# Rounds run every VM and the native 7zz one after the other, so that a
# change in the host's load between rounds moves all of a round's figures
# together: each round's own ratios are printed, then the medians.
status=0
declare -A all rat
have_qemu=false
command -v qemu-system-riscv64 >/dev/null && have_qemu=true
$have_qemu || echo "qemu-system-riscv64 not installed: no comparison"
for i in $(seq 1 "$runs"); do
	declare -A mips=()
	for e in $engines; do
		read -r r t < <(guest "gasang-$e" "$G" run --engine "$e" --kernel "$kernel" \
			--initrd "$work/initrd.cpio.gz" --bios "$bios" --memory "$memory" \
			--append "$append")
		echo "round $i: gasang ($e): $r MIPS (${t} s in all, boot included; $(parts "$log/gasang-$e.txt"))"
		[ "$r" = fail ] && status=1
		mips[$e]=$r
	done
	mips[qemu]=fail
	if $have_qemu; then
		read -r r t < <(guest qemu qemu-system-riscv64 -machine virt -nographic \
			-bios "$bios" -kernel "$kernel" -initrd "$work/initrd.cpio.gz" \
			-m "$memory" -append "$append")
		echo "round $i: qemu-system-riscv64 (TCG): $r MIPS (${t} s in all, boot included; $(parts "$log/qemu.txt"))"
		mips[qemu]=$r
	fi
	mips[qemu-user]=fail
	if $have_user; then
		# shellcheck disable=SC2086
		mips[qemu-user]=$(qemu-riscv64 "$userroot/opt/7zip/lib/ld-linux-riscv64-lp64d.so.1" \
			--library-path "$userroot/opt/7zip/lib" "$userroot/opt/7zip/7zz" $args \
			</dev/null 2>&1 | tee "$log/qemu-user.txt" | rating)
		echo "round $i: qemu-riscv64 (user mode, reference): ${mips[qemu-user]} MIPS ($(parts "$log/qemu-user.txt"))"
	fi
	# shellcheck disable=SC2086
	mips[native]=$(7zz $args 2>&1 | tee "$log/native.txt" | rating)
	# On a loaded host 7zz sees its share of a core (Usage) and scales the
	# rating by it; a guest cannot see that, so the figures compare like
	# with like only on an idle machine.
	usage=$(tr -d '\r' <"$log/native.txt" | awk '$1 == "Tot:" { print $2 "%, rating per usage " $3 " MIPS" }')
	echo "round $i: native (host 7zz): ${mips[native]} MIPS (CPU usage $usage; $(parts "$log/native.txt"))"
	for vm in $engines qemu qemu-user native; do
		[ "${mips[$vm]}" = fail ] || all[$vm]+="${mips[$vm]} "
	done
	for e in $engines; do
		for base in qemu qemu-user native; do
			keep_ratio "$e/$base" "round $i: gasang ($e)/$base" \
				"${mips[$e]}" "${mips[$base]}"
		done
	done
	keep_ratio qemu/native "round $i: qemu/native" "${mips[qemu]}" \
		"${mips[native]}"
done

[ "$runs" -gt 1 ] && echo "medians of $runs rounds:"
for vm in $engines qemu qemu-user native; do
	[ -n "${all[$vm]:-}" ] || continue
	# shellcheck disable=SC2086
	echo "$vm: $(printf '%s\n' ${all[$vm]} | median %.0f) MIPS"
done
for e in $engines; do
	for base in qemu qemu-user native; do
		# shellcheck disable=SC2086
		[ -n "${rat[$e/$base]:-}" ] &&
			echo "gasang ($e)/$base: $(printf '%s\n' ${rat[$e/$base]} | median)"
	done
done
# shellcheck disable=SC2086
[ -n "${rat[qemu/native]:-}" ] &&
	echo "qemu/native: $(printf '%s\n' ${rat[qemu/native]} | median)"
exit $status
