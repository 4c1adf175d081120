#!/bin/bash
# Isolation: two VMs run, each in its own process; SIGKILL one. The other
# keeps answering on its forwarded port, list shows the dead one
# `crashed` with a reason (never `running`), and the crashed VM starts
# again (its old cgroups cleaned up, its port free again). A start that
# fails (port taken by another program) gives the reason in one line.
set -u
cd "$(dirname "$0")/../.."
. tests/vm/lib.sh
vm_home
V=$GASANG_HOME/vms

pa=$(free_port)
pb=$(free_port)
while [ "$pb" = "$pa" ]; do pb=$(free_port); done
for vm in a b; do
	p=pa
	[ $vm = b ] && p=pb
	script="mkdir -p /www; echo hello-from-$vm >/www/index.html
httpd -p 80 -h /www; while :; do sleep 60; done"
	"$G" create $vm --memory 256M --port "${!p}:80" \
		--append "$(guest_cmd "$script")" >/dev/null
	out=$("$G" start $vm 2>&1)
	check "start $vm" [ "$out" = "$vm: running" ]
done

# answers NAME PORT: the guest's httpd answers through the port, retried
# while the guest boots
answers() {
	local i
	for ((i = 0; i < VM_TIMEOUT; i++)); do
		[ "$(curl -s -m 5 "http://127.0.0.1:$2/")" = "hello-from-$1" ] &&
			return 0
		sleep 1
	done
	return 1
}
check "VM a answers on its port" answers a "$pa"
check "VM b answers on its port" answers b "$pb"
pid_a=$(vm_pid a)
pid_b=$(vm_pid b)
check "two VM processes" [ -n "$pid_a" ] && [ -n "$pid_b" ] && [ "$pid_a" != "$pid_b" ]
cga=$(jq -r '.limits.cpu_cgroup // empty' < <("$G" info a --json))

kill -9 "$pid_a"
sleep 1
check "VM b still answers after a was killed" answers b "$pb"
check "list shows a crashed" [ "$(state a)" = crashed ]
check "list shows b running" [ "$(state b)" = running ]
reason=$("$G" info a --json | jq -r .reason)
check "info gives the reason of the crash" \
	grep -q "VM process $pid_a ended without a clean exit" <<<"$reason"
check "info a shows crashed" grep -q "^state: *crashed" <("$G" info a)
expect_error "stop of a crashed VM" "a: not running" stop a

out=$("$G" start a 2>&1)
check "the crashed VM starts again" [ "$out" = "a: running" ]
[ -n "$cga" ] && check "the crashed run's cgroup is removed" [ ! -e "$cga" ]
check "VM a answers again" answers a "$pa"
"$G" stop a --force >/dev/null
"$G" stop b --force >/dev/null
check "both stopped" bash -c "[ \"\$('$G' list | awk 'NR > 1 { print \$2 }' | sort -u)\" = stopped ]"

# a start that cannot bind its port: the reason, and nothing left behind
exec 5< <(exec python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", '"$pa"')); s.listen(1)
print("ready", flush=True); time.sleep(60)')
listener=$!
read -r _ <&5
expect_error "start with the port taken" "a: host port $pa is in use" start a
check "... leaves the VM stopped" [ "$(state a)" = stopped ]
exec 5<&-
kill "$listener" 2>/dev/null
