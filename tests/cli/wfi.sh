#!/bin/bash
# WFI must park the host thread: a guest waiting 0.5 s in WFI may use only
# a small fraction of that in host CPU time.
set -u
G=${GASANG:-build/gasang}
B=${BUILD:-build}
TIMEFORMAT='%R %U %S'
t=$( { time "$G" run --bios none --kernel "$B/tests/isa/wfi_sleep.elf" --memory 64M >/dev/null 2>&1; } 2>&1 )
rc=$?
read -r real user sys <<<"$t"
cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
if [ $rc -eq 0 ] && awk -v r="$real" -v c="$cpu" 'BEGIN { exit !(r >= 0.45 && c < 0.2) }'; then
	echo "ok 1 - wfi sleeps (wall ${real}s, cpu ${cpu}s)"
else
	echo "not ok 1 - wfi sleeps (exit $rc, wall ${real}s, cpu ${cpu}s)"
fi
