#!/bin/bash
# A guest that tries to use more memory than it was given meets its own
# kernel's OOM killer, not the host's: the guest kills its memory hog and
# runs on, the VM process stays within its memory cgroup without a
# single OOM kill there, and the VM is still running afterwards.
set -u
cd "$(dirname "$0")/../.."
. tests/vm/lib.sh
vm_home

# a string that doubles until the 256 MiB guest has no memory left
script='awk "BEGIN { s = \"a\"; for (;;) s = s s }"
echo "hog ended: $?"
while :; do sleep 60; done'
"$G" create hog --memory 256M --append "$(guest_cmd "$script")" >/dev/null
out=$("$G" start hog 2>&1)
check "start hog" [ "$out" = "hog: running" ]
pid=$(vm_pid hog)
mg=$("$G" info hog --json | jq -r '.limits.memory_cgroup // empty')
check "the guest's OOM killer ends the hog" wait_log hog "hog ended: 137"
check "the guest kernel reports the OOM kill" \
	grep -qi "out of memory: killed process" <("$G" logs hog)
check "the VM is still running" [ "$(state hog)" = running ]
check "the VM process is alive" kill -0 "$pid"
if [ -n "$mg" ] && [ -f "$mg/memory.max_usage_in_bytes" ]; then
	max=$(cat "$mg/memory.max_usage_in_bytes")
	limit=$(cat "$mg/memory.limit_in_bytes")
	check "the VM process stayed under its memory limit ($((max >> 20)) of $((limit >> 20)) MiB)" \
		[ "$max" -lt "$limit" ]
	kills=$(sed -n 's/^oom_kill //p' "$mg/memory.oom_control")
	check "no OOM kill in the VM's cgroup on the host" [ "${kills:-0}" = 0 ]
elif [ -n "$mg" ] && [ -f "$mg/memory.events" ]; then
	check "no OOM kill in the VM's cgroup on the host" \
		grep -qx "oom_kill 0" "$mg/memory.events"
else
	report 1 "no memory cgroup to check"
fi
out=$("$G" stop hog --timeout 120 2>&1)
check "the VM stops by its power button after the OOM" [ "$out" = "hog: stopped" ]
