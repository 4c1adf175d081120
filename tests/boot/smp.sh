#!/bin/bash
# SMP: Debian's kernel with several vCPUs. The guest sees --cpus harts,
# atomics stay exact across harts (tests/guest/smp_stress.c: AMOs, LR/SC,
# an amoswap spinlock), taskset puts a process on the hart it asks for, and
# a parallel gzip/sha256sum workload gives consistent results with no RCU
# stall, lockup, hung task, BUG, Oops or panic in the kernel log.
#
# smp_stress and two guest scripts go into a second cpio archive (newc,
# gzip) appended to the initramfs: the kernel unpacks concatenated
# archives in order. Needs riscv64-linux-gnu-gcc (static libc) and cpio.
set -u
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh
require_assets
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# kernel log lines that mean something went wrong on some hart
bad_lines='rcu.*(stall|detected)|soft lockup|hung task|blocked for more than|BUG|Oops|[Pp]anic|WARNING:|Call Trace'

# check_log OUT WHAT: no bad kernel lines in the console output
check_log() {
	local bad
	bad=$(grep -a -E "$bad_lines" "$1" | head -3 | tr -d '\r' |
		paste -sd '|')
	[ -z "$bad" ]
	report $? "$2: no RCU stall, lockup, hung task, BUG, Oops or panic${bad:+ (got: $bad)}"
	# the first report in full (stack, registers) for the record
	[ -n "$bad" ] && grep -a -m1 -E -A40 "$bad_lines" "$1" | tr -d '\r' |
		sed 's/^/# /'
	return 0
}

build_initrd() {
	local root=$tmp/root
	mkdir -p "$root/bin" || return 1
	riscv64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror \
		-o "$root/bin/smp_stress" tests/guest/smp_stress.c || return 1

	# smp-taskset: for each CPU K, a process pinned with taskset -c K
	# spins a while, then reports where it ran (field 39 of its stat)
	cat >"$root/bin/smp-taskset" <<'EOF'
#!/bin/sh
n=$(nproc)
k=0
while [ $k -lt "$n" ]; do
	taskset -c $k sh -c 'i=0; while [ $i -lt 3000 ]; do i=$((i + 1)); done
		echo "pinned $1 ran-on $(cut -d" " -f39 /proc/self/stat) $(cut -d" " -f39 /proc/$$/stat)"' sh $k
	k=$((k + 1))
done
EOF
	# smp-work P MB: P concurrent pipelines over MB MiB of random data
	# each; prints per pipeline the sha256 of the data, of its gunzip
	# round trip, of two gzip -9 runs; and the sha256 of a seq(1) output
	# the host can check
	cat >"$root/bin/smp-work" <<'EOF'
#!/bin/sh
p=$1 mb=$2
sum() { sha256sum | cut -d" " -f1; }
work() {
	d=/tmp/d$1
	dd if=/dev/urandom of=$d bs=1M count=$mb 2>/dev/null
	a=$(sum <$d)
	gzip -9 <$d >$d.gz
	b=$(gunzip <$d.gz | sum)
	c=$(sum <$d.gz)
	e=$(gzip -9 <$d | sum)
	f=$(seq 1 100000 | gzip -1 | gunzip | sum)
	echo "work $1 size=$(wc -c <$d) data=$a round=$b gz=$c gz2=$e seq=$f"
}
read t0 _ </proc/uptime
i=0
while [ $i -lt "$p" ]; do
	work $i &
	i=$((i + 1))
done
wait
read t1 _ </proc/uptime
echo "work-time $t0 $t1"
dmesg | grep -E "$3" | sed 's/^/dmesg: /'
echo work-done
EOF
	chmod 755 "$root/bin/smp-taskset" "$root/bin/smp-work"
	(cd "$root" && printf '%s\n' bin/smp_stress bin/smp-taskset \
		bin/smp-work | cpio -o -H newc -R 0:0 --quiet) |
		gzip -n9 >"$tmp/extra.cpio.gz" || return 1
	cat "$INITRD" "$tmp/extra.cpio.gz" >"$tmp/initrd.cpio.gz"
}

if ! command -v riscv64-linux-gnu-gcc >/dev/null ||
	! command -v cpio >/dev/null; then
	report 1 "riscv64-linux-gnu-gcc and cpio needed to build the guest programs"
	exit 0
fi
build_initrd >"$tmp/build.log" 2>&1
rc=$?
report $rc "smp_stress and guest scripts built and appended to the initramfs"
if [ $rc -ne 0 ]; then
	sed 's/^/# /' "$tmp/build.log"
	exit 0
fi
INITRD=$tmp/initrd.cpio.gz
# stalls below are easier to judge knowing how busy the host was
echo "# host: $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg)"

# --- the guest sees N harts, boots and powers off --------------------------
for cpus in 1 2 8; do
	boot_script "$tmp/c$cpus" 'echo "nproc=$(nproc) cpuinfo=$(grep -c ^processor /proc/cpuinfo)"' \
		--memory 512M --cpus $cpus
	rc=$?
	report $((rc != 0)) "--cpus $cpus: boot and power off, exit status 0 (got $rc)"
	grep -q "^nproc=$cpus cpuinfo=$cpus\b" "$tmp/c$cpus"
	report $? "--cpus $cpus: nproc and /proc/cpuinfo show $cpus ($(grep -a '^nproc=' "$tmp/c$cpus" | tr -d '\r'))"
	check_log "$tmp/c$cpus" "--cpus $cpus"
done

# --- --cpus 4: counts, atomics, taskset ------------------------------------
# 4 workers, one per hart, several seconds of contention; then 8 workers
# on 4 harts, so that workers are also preempted between LR and SC
boot_script "$tmp/s4" 'echo "nproc=$(nproc) cpuinfo=$(grep -c ^processor /proc/cpuinfo)"
smp_stress 4 800000; echo "stress4=$?"
smp_stress 8 50000; echo "stress8=$?"
smp-taskset' --memory 512M --cpus 4
rc=$?
out=$tmp/s4
report $((rc != 0)) "--cpus 4: boot and power off, exit status 0 (got $rc)"
grep -q "^nproc=4 cpuinfo=4\b" "$out"
report $? "--cpus 4: nproc and /proc/cpuinfo show 4 ($(grep -a '^nproc=' "$out" | tr -d '\r'))"
for w in 4 8; do
	line=$(grep -a "^smp_stress: .* workers=$w " "$out" | tr -d '\r')
	grep -q "^stress$w=0" "$out" && [[ $line == "smp_stress: ok "* ]]
	report $? "smp_stress, $w workers on 4 harts: every counter exact (${line:-no result})"
done
grep -a "^smp_stress: worker cpus" "$out" | head -1 | tr -d '\r' | sed 's/^/# /'
for k in 0 1 2 3; do
	line=$(grep -a "^pinned $k " "$out" | tr -d '\r')
	[ "$line" = "pinned $k ran-on $k $k" ]
	report $? "taskset -c $k: the process ran on CPU $k (${line:-no result})"
done
check_log "$out" "--cpus 4 stress"

# --- --cpus 4: a parallel, build-like workload -----------------------------
pipes=4
boot_script "$tmp/w4" "smp-work $pipes 8 '$bad_lines'" --memory 512M --cpus 4
rc=$?
out=$tmp/w4
report $((rc != 0)) "workload: boot and power off, exit status 0 (got $rc)"
seq_sum=$(seq 1 100000 | sha256sum | cut -d' ' -f1)
count=0
consistent=0
for i in $(seq 0 $((pipes - 1))); do
	line=$(grep -a "^work $i " "$out" | tr -d '\r')
	[ -n "$line" ] && count=$((count + 1))
	data=$(sed -n 's/.* data=\([0-9a-f]*\).*/\1/p' <<<"$line")
	round=$(sed -n 's/.* round=\([0-9a-f]*\).*/\1/p' <<<"$line")
	gz=$(sed -n 's/.* gz=\([0-9a-f]*\).*/\1/p' <<<"$line")
	gz2=$(sed -n 's/.* gz2=\([0-9a-f]*\).*/\1/p' <<<"$line")
	seq=$(sed -n 's/.* seq=\([0-9a-f]*\).*/\1/p' <<<"$line")
	size=$(sed -n 's/.* size=\([0-9]*\).*/\1/p' <<<"$line")
	if [ ${#data} -eq 64 ] && [ "$data" = "$round" ] && [ ${#gz} -eq 64 ] &&
		[ "$gz" = "$gz2" ] && [ "$seq" = "$seq_sum" ] &&
		[ "$size" = $((8 << 20)) ]; then
		consistent=$((consistent + 1))
	else
		echo "# inconsistent: ${line:-pipeline $i gave no result}"
	fi
done
[ $count -eq $pipes ]
report $? "workload: $pipes concurrent pipelines finished ($count)"
[ $consistent -eq $pipes ]
report $? "workload: gunzip round trips, repeated gzip -9 and seq sums agree ($consistent of $pipes)"
dm=$(grep -a '^dmesg: ' "$out" | head -3 | tr -d '\r' | paste -sd '|')
grep -q '^work-done' "$out" && [ -z "$dm" ]
report $? "workload: dmesg has no RCU stall, lockup, hung task, BUG, Oops or panic${dm:+ ($dm)}"
grep -a '^work-time' "$out" | tr -d '\r' |
	awk '{ printf "# workload took %.2f s in the guest\n", $3 - $2 }'
check_log "$out" "workload console"
