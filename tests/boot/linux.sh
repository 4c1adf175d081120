#!/bin/bash
# Debian's riscv64 kernel through OpenSBI to a busybox shell: commands in
# the guest, the memory size, the clock, power-off and reboot.
set -u
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh
require_assets
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

kver=$(sed -n 's/^kernel //p' "$ASSETS/manifest.txt")
host_before=$(date +%s)
boot_script "$tmp/out" 'uname -r
echo "sum=$((6 * 7))"
echo "date=$(date +%s)"
cat /proc/cpuinfo
grep MemTotal /proc/meminfo' --memory 512M
rc=$?
host_after=$(date +%s)
out=$tmp/out

report $((rc != 0)) "boot and power off: exit status 0 (got $rc)"
grep -q "^gasang: userspace ready" "$out"
report $? "userspace marker"
grep -qx "$kver" <(tr -d '\r' <"$out")
report $? "uname -r shows the Debian kernel $kver"
grep -q "^sum=42" "$out"
report $? "shell arithmetic"
gdate=$(sed -n 's/^date=\([0-9]*\).*/\1/p' "$out")
[ -n "$gdate" ] && [ "$gdate" -ge $((host_before - 2)) ] && [ "$gdate" -le $((host_after + 2)) ]
report $? "guest date within the run's host time (guest $gdate, host $host_before..$host_after)"
grep -q "^isa.*: rv64imafdc" "$out" && grep -q "^mmu.*: sv57" "$out"
report $? "/proc/cpuinfo shows rv64imafdc and sv57"
grep -q "gasang: command exited with status 0" "$out"
report $? "guest script completed"

# --memory: the guest sees what it was given. MemTotal leaves out the
# kernel image (31 MiB), the initrd, firmware and the page structures
# (1.6% of RAM), so allow 5% plus 72 MiB less. Debian's kernel does not
# boot in 64M (neither does it on QEMU 7.2): 128M is the smallest here.
for mem in 128 2048; do
	boot_script "$tmp/mem" 'grep MemTotal /proc/meminfo' --memory ${mem}M
	rc=$?
	kb=$(sed -n 's/^MemTotal: *\([0-9]*\) kB.*/\1/p' "$tmp/mem")
	[ $rc -eq 0 ] && [ -n "$kb" ] && [ "$kb" -le $((mem * 1024)) ] &&
		[ "$kb" -ge $((mem * 1024 * 95 / 100 - 72 * 1024)) ]
	report $? "--memory ${mem}M: MemTotal ${kb:-?} kB"
done

# guest time runs at real speed: a 5 s sleep takes 5 s of host time
# (the guest lingers after the end marker so that the poll below sees it
# before power-off ends gasang)
boot_script_bg "$tmp/sleep" 'echo "sleep-start $(cat /proc/uptime)"; sleep 5; echo "sleep-end $(cat /proc/uptime)"; sleep 2'
pid=$BG_PID
start=
end=
while kill -0 $pid 2>/dev/null; do
	# a kernel message may share the line: match anywhere in it
	[ -z "$start" ] && grep -q "sleep-start" "$tmp/sleep" 2>/dev/null && start=$(date +%s.%N)
	[ -z "$end" ] && grep -q "sleep-end" "$tmp/sleep" 2>/dev/null && end=$(date +%s.%N)
	sleep 0.05
done
wait $pid
awk -v s="$start" -v e="$end" 'BEGIN { d = e - s; exit !(s != "" && e != "" && d > 4.5 && d < 6.0) }'
ok=$?
report $ok "sleep 5 in the guest takes 5 s on the host ($(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }') s)"
[ $ok -eq 0 ] || tail -5 "$tmp/sleep" | sed 's/^/# /'

# an idle 4G guest: the host pays only for touched pages, and a guest
# sleeping in its shell costs under 2% of a host core
: >"$tmp/idle"
boot_script_bg "$tmp/idle" 'echo idle-start; sleep 8; echo idle-end' --memory 4G
pid=$BG_PID
deadline=$((SECONDS + BOOT_TIMEOUT))
until grep -q "^idle-start" "$tmp/idle" || [ $SECONDS -ge $deadline ] || ! kill -0 $pid 2>/dev/null; do
	sleep 0.1
done
sleep 1
gpid=$(pgrep -P $pid | head -1)
ticks() { awk '{ print $14 + $15 }' "/proc/$gpid/stat" 2>/dev/null; }
t0=$(ticks)
sleep 5
t1=$(ticks)
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$gpid/status" 2>/dev/null)
wait $pid
hz=$(getconf CLK_TCK)
if [ -n "$t0" ] && [ -n "$t1" ]; then
	pct=$(awk -v a="$t0" -v b="$t1" -v hz="$hz" 'BEGIN { printf "%.1f", (b - a) * 100 / hz / 5 }')
else
	pct=
fi
[ -n "$pct" ] && awk -v p="$pct" 'BEGIN { exit !(p < 2.0) }'
report $? "idle guest costs under 2% of a host core (${pct:-?}%)"
[ -n "$rss" ] && [ "$rss" -lt $((512 * 1024)) ]
report $? "idle 4G guest: host RSS ${rss:-?} kB, under 512 MiB"

# reboot: the guest comes up again (stopped after the second boot)
: >"$tmp/reboot"
boot_script_bg "$tmp/reboot" 'reboot -f'
pid=$BG_PID
deadline=$((SECONDS + BOOT_TIMEOUT))
while [ $SECONDS -lt $deadline ] && kill -0 $pid 2>/dev/null; do
	[ "$(grep -c '^gasang: userspace ready' "$tmp/reboot")" -ge 2 ] && break
	sleep 0.2
done
count=$(grep -c '^gasang: userspace ready' "$tmp/reboot")
kill $pid 2>/dev/null
wait $pid 2>/dev/null
[ "$count" -ge 2 ]
report $? "reboot boots again ($count boots seen)"
