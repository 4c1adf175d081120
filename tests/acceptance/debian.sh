#!/bin/bash
# The seed's scenario end to end, on the real Debian image (make
# acceptance; long, not part of make test): build the debian image with
# nginx-light and postgresql, create a VM with a forwarded web port, boot
# it to systemd's login prompt, fetch nginx's page from the host, ssh in
# and store a row with psql, stop it by its power button (systemd shuts
# down cleanly), start it again and find the row. Prints "ok N - what" /
# "not ok N - what" and the time each phase took.
#   ACCEPT_REBUILD=1   build the image again even when it exists
set -u
cd "$(dirname "$0")/../.." || exit 1
G=${GASANG:-build/gasang}
n=0
failed=0
tmp=$(mktemp -d)
export GASANG_HOME=${GASANG_HOME:-$HOME/.local/share/gasang}
vm=accept-$$
trap '"$G" stop "$vm" --force >/dev/null 2>&1; "$G" rm "$vm" >/dev/null 2>&1; rm -rf "$tmp"' EXIT

report() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}
now() { date +%s; }
# wait_for SECONDS CMD...: runs CMD every 2 s until it succeeds
wait_for() {
	local end=$(($(now) + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(now)" -ge "$end" ] && return 1
		sleep 2
	done
}
command -v ssh >/dev/null || apt-get install -y -qq openssh-client >/dev/null
command -v curl >/dev/null || apt-get install -y -qq curl >/dev/null

t=$(now)
if [ "${ACCEPT_REBUILD:-0}" = 1 ] || ! "$G" image list | grep -q '^debian '; then
	"$G" image build debian --packages nginx-light,postgresql \
		${ACCEPT_REBUILD:+--force} 2>&1 | tr '\r' '\n' | grep '^\['
fi
"$G" image list | grep -q '^debian '
report $? "image build debian --packages nginx-light,postgresql ($(($(now) - t)) s)"

ssh-keygen -q -t ed25519 -N '' -f "$tmp/key" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$G" create "$vm" --image debian --cpus 2 --memory 1G --disk-size 8G \
	--port "$port:80" --ssh-key "$tmp/key.pub" >/dev/null
report $? "create $vm from the debian image"
sshport=$("$G" list | awk -v v="$vm" '$1 == v' | grep -o '[0-9]*->22' | cut -d- -f1)
[ -n "$sshport" ]
report $? "ssh is forwarded from a free host port ($sshport)"
vssh() {
	ssh -q -i "$tmp/key" -p "$sshport" -o StrictHostKeyChecking=no \
		-o UserKnownHostsFile=/dev/null -o ConnectTimeout=10 \
		-o BatchMode=yes root@127.0.0.1 "$@"
}

t=$(now)
"$G" start "$vm" >/dev/null
report $? "start"
wait_for 900 sh -c "'$G' logs '$vm' | grep -q 'login:'"
report $? "boot to the serial login prompt ($(($(now) - t)) s)"
wait_for 300 sh -c "curl -fsS http://127.0.0.1:$port/ | grep -q 'Welcome to nginx'"
report $? "curl localhost:$port returns nginx's page ($(($(now) - t)) s after start)"
wait_for 300 vssh true
report $? "ssh into the VM with the user's key ($(($(now) - t)) s after start)"
[ "$(vssh hostname)" = "$vm" ]
report $? "its hostname is the VM's name"
echo "create table kept (v text); insert into kept values ('still here');" |
	vssh "su postgres -c 'psql -qtA -v ON_ERROR_STOP=1'" >/dev/null
report $? "psql stores a row in the local PostgreSQL"

t=$(now)
"$G" stop "$vm" --timeout 300 >"$tmp/stop" 2>&1
grep -qx "$vm: stopped" "$tmp/stop"
report $? "stop by the power button, no force ($(($(now) - t)) s): $(cat "$tmp/stop")"
"$G" logs "$vm" | grep -q -e 'reboot: Power down' -e 'Reached target.*Power-Off'
report $? "systemd shut down cleanly (the console shows the power-off)"
qemu-img check -q "$GASANG_HOME/vms/$vm/disk.qcow2"
report $? "the disk is consistent (qemu-img check)"

t=$(now)
"$G" start "$vm" >/dev/null && wait_for 900 vssh true
report $? "second start ($(($(now) - t)) s to ssh)"
[ "$(echo "select v from kept;" |
	vssh "su postgres -c 'psql -qtA -v ON_ERROR_STOP=1'")" = "still here" ]
report $? "the row is still there after the restart"
"$G" stop "$vm" --timeout 300 >/dev/null
report $? "stop"

echo
echo "$((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
