#!/bin/bash
# Isolation under load: VM "quiet" (1 vCPU) times a fixed guest workload
# over and over; VM "burner" (2 vCPUs) then spins every vCPU in its guest.
# The quiet VM's workload must stay within a fair share: the host has
# more than one core and the burner is held to its 2 vCPUs by its own
# CPU quota, so the quiet VM keeps at least a third of a core, at most 3x
# slower than alone (a fair scheduler gives it two thirds on 2 cores).
# (tests/vm/lifecycle.sh reads the quota itself back from the cgroup.)
# Prints "ok N - what" / "not ok N - what".
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/vm/lib.sh
vm_home

# the quiet guest: "bench S" after each run of the workload, S seconds
quiet='while :; do
t0=$(cut -d" " -f1 /proc/uptime)
dd if=/dev/zero bs=64k count=3000 2>/dev/null | md5sum >/dev/null
t1=$(cut -d" " -f1 /proc/uptime)
echo "bench $(echo "$t0 $t1" | awk "{print \$2 - \$1}")"
done'
burn='for i in 1 2 3; do (while :; do :; done) & done
echo "burning"; wait'
b64() { printf '%s\n' "$1" | base64 -w0; }

"$G" create quiet --cpus 1 --memory 256M \
	--append "gasang.cmd=$(b64 "$quiet")" >/dev/null &&
	"$G" create burner --cpus 2 --memory 256M \
		--append "gasang.cmd=$(b64 "$burn")" >/dev/null
report $? "create the two VMs"

# bench_after N: the median of 3 "bench" figures after the first N lines
bench_after() {
	local skip=$1 i
	for ((i = 0; i < VM_TIMEOUT; i++)); do
		[ "$("$G" logs quiet | grep -c '^bench ')" -ge $((skip + 3)) ] &&
			break
		sleep 1
	done
	"$G" logs quiet | grep '^bench ' | tail -n +$((skip + 1)) | head -3 |
		awk '{print $2}' | sort -n | sed -n 2p
}

"$G" start quiet >/dev/null
report $? "start quiet"
wait_log quiet '^bench '
alone=$(bench_after 1)
[ -n "$alone" ]
report $? "quiet's workload alone: ${alone:-?} s (median of 3)"

"$G" start burner >/dev/null && wait_log burner burning
report $? "start burner, its guest spins on every vCPU"
pid=$(vm_pid burner)
cpu0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
t0=$(date +%s.%N)
seen=$("$G" logs quiet | grep -c '^bench ')
loaded=$(bench_after $((seen + 1)))
cpu1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
t1=$(date +%s.%N)
# the load was real: the burner had at least a third of a core meanwhile
share=$(awk -v a="$cpu0" -v b="$cpu1" -v t="$(getconf CLK_TCK)" \
	-v s="$t0" -v e="$t1" 'BEGIN { printf "%.2f", (b - a) / t / (e - s) }')
awk -v x="$share" 'BEGIN { exit !(x >= 0.33) }'
report $? "the burner used $share cores while quiet measured"
[ -n "$loaded" ] && awk -v a="$alone" -v l="$loaded" 'BEGIN { exit !(l <= 3 * a) }'
report $? "quiet's workload beside the burner: ${loaded:-?} s, within 3x of alone (${alone:-?} s)"

"$G" stop burner --force >/dev/null && "$G" stop quiet --force >/dev/null
report $? "both stop"
