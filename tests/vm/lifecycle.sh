#!/bin/bash
# A managed VM's life: two starts at once (exactly one wins), the limits
# the kernel enforces (read back from the cgroup files), the guest's
# console through logs and two console viewers, a forwarded port reaching
# busybox httpd in the guest, stop by the power button with the disk
# consistent afterwards (qemu-img check), SIGTERM to the VM process,
# stop --force, and rm racing start.
set -u
cd "$(dirname "$0")/../.."
. tests/vm/lib.sh
vm_home
V=$GASANG_HOME/vms
tmp=$GASANG_HOME/.t
mkdir -p "$tmp"

port=$(free_port)
script='mkdir -p /www; echo hello-from-web >/www/index.html
httpd -p 80 -h /www; i=0
while :; do i=$((i + 1)); echo "tick $i"; sleep 2; done'
"$G" create web --memory 256M --port "$port:80" \
	--append "$(guest_cmd "$script")" >/dev/null
check "create web" [ -f "$V/web/config.json" ]

# two starts at once
"$G" start web >"$tmp/o1" 2>"$tmp/e1" &
p1=$!
"$G" start web >"$tmp/o2" 2>"$tmp/e2" &
p2=$!
wait $p1
r1=$?
wait $p2
r2=$?
check "two starts at once: exactly one wins" [ $((r1 + r2)) = 1 ]
check "the loser says the VM is already running" \
	grep -q "gasang: web: already running" "$tmp/e1" "$tmp/e2"
check "list shows web running" [ "$(state web)" = running ]
pid=$(vm_pid web)
check "one VM process" [ "$(pgrep -c -f "$G start web")" = 1 ]
check "the VM process is its own session leader" \
	[ "$(ps -o sid= -p "$pid" | tr -d ' ')" = "$pid" ]
check "control.sock is mode 0600" [ "$(stat -c %a "$V/web/control.sock")" = 600 ]

# limits in force, read back from the kernel
ij=$("$G" info web --json)
cg=$(jq -r '.limits.cpu_cgroup // empty' <<<"$ij")
mg=$(jq -r '.limits.memory_cgroup // empty' <<<"$ij")
pg=$(jq -r '.limits.pids_cgroup // empty' <<<"$ij")
if [ -d /sys/fs/cgroup/cpu ] || grep -qw cpu /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
	check "cpu cgroup quota is 1 vCPU" \
		[ "$(cat "$cg/cpu.cfs_quota_us" 2>/dev/null || cut -d' ' -f1 "$cg/cpu.max")" = 100000 ]
	check "the VM process is in its cpu cgroup" grep -qx "$pid" "$cg/cgroup.procs"
fi
if [ -n "$mg" ]; then
	# 256M of RAM + 128M + 256M/8 of overhead
	check "memory cgroup limit is RAM plus the bounded overhead" \
		[ "$(cat "$mg/memory.limit_in_bytes" 2>/dev/null || cat "$mg/memory.max")" = $(((256 + 128 + 32) << 20)) ]
	check "the VM process is in its memory cgroup" grep -qx "$pid" "$mg/cgroup.procs"
else
	report 1 "no memory cgroup (info: $(jq -c .limits <<<"$ij"))"
fi
[ -n "$pg" ] && check "task limit" [ "$(cat "$pg/pids.max")" = 65 ]
check "no core dumps" grep -qE '^Max core file size +0 +0' "/proc/$pid/limits"
check "bounded open files" grep -qE '^Max open files +1024 +1024' "/proc/$pid/limits"
check "no new privileges" grep -qE '^NoNewPrivs:\s+1' "/proc/$pid/status"
check "info shows the limits in force" grep -q "cpu quota 100000 us per 100000 us" <("$G" info web)

expect_error "rm refuses a running VM" "web: is running or starting" rm web

check "the guest reaches userspace (logs)" wait_log web "gasang: userspace ready"
ok=1
for ((i = 0; i < 120; i++)); do
	if [ "$(curl -s -m 5 "http://127.0.0.1:$port/index.html")" = hello-from-web ]; then
		ok=0
		break
	fi
	sleep 1
done
check "the forwarded port reaches httpd in the guest" [ $ok = 0 ]
expect_error "create with a port another VM forwards" "already forwarded to VM 'web'" create other --port "$port:80"

# two viewers at once see the guest's output; they leave it running
timeout 8 "$G" console web >"$tmp/v1" 2>/dev/null </dev/null &
timeout 8 "$G" console web >"$tmp/v2" 2>/dev/null </dev/null &
wait
check "console viewer 1 sees the guest" grep -q "tick" "$tmp/v1"
check "console viewer 2 sees the guest" grep -q "tick" "$tmp/v2"
check "the VM runs on after the viewers leave" [ "$(state web)" = running ]
# the detach key, typed on a terminal (script(1) makes the pty)
out=$( (sleep 3; printf '\001x'; sleep 5) |
	timeout 30 script -qec "$G console web" /dev/null 2>&1)
rc=$?
check "Ctrl-A x detaches the console (exit $rc)" \
	[ $rc = 0 ] && grep -q "detached from web (still running)" <<<"$out"
check "the VM runs on after the detach" [ "$(state web)" = running ]

# stop: the power button; the guest powers off by itself
t0=$SECONDS
out=$("$G" stop web --timeout 240 2>&1)
check "stop by the power button ($((SECONDS - t0)) s)" [ "$out" = "web: stopped" ]
check "the guest saw the power button" grep -q "power button pressed" <("$G" logs web)
check "list shows web stopped" [ "$(state web)" = stopped ]
check "the VM process is gone" gone "$pid"
check "the disk is consistent (qemu-img check)" qemu-img check -q "$V/web/disk.qcow2"
check "the run's cgroups are removed" bash -c "[ ! -e '$cg' ] && [ ! -e '$mg' ]"
check "no sockets or run record are left" \
	bash -c "[ ! -e '$V/web/control.sock' ] && [ ! -e '$V/web/run.json' ]"

# SIGTERM to the VM process: the power button as well
"$G" start web >/dev/null
pid=$(vm_pid web)
wait_log web "gasang: userspace ready" >/dev/null
sleep 1
kill -TERM "$pid"
check "SIGTERM to the VM process stops it cleanly" wait_state web stopped 240
check "... through the power button" \
	grep -q "SIGTERM\|Terminated" "$V/web/vmm.log"

# --force
"$G" start web >/dev/null
sleep 2
out=$("$G" stop web --force 2>&1)
check "stop --force" [ "$out" = "web: stopped (forced)" ]
check "the disk is consistent after --force" qemu-img check -q "$V/web/disk.qcow2"

# rm racing start: one of them wins, and the store agrees with it
"$G" start web >"$tmp/o1" 2>"$tmp/e1" &
p1=$!
sleep 0.05
"$G" rm web >"$tmp/o2" 2>"$tmp/e2"
r2=$?
wait $p1
r1=$?
if [ $r1 = 0 ]; then
	check "rm during start is refused with one line" \
		[ $r2 = 1 ] && grep -q "web: is running or starting" "$tmp/e2"
	check "... and the VM runs" [ "$(state web)" = running ]
	pid=$(vm_pid web)
	"$G" rm --force web >/dev/null
else
	check "start after rm fails with one line" \
		[ $r2 = 0 ] && [ "$(wc -l <"$tmp/e1")" = 1 ]
fi
check "rm leaves no VM directory" [ ! -e "$V/web" ]
check "rm --force leaves no VM process" gone "$pid"
