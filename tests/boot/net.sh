#!/bin/bash
# virtio-net on the user-mode network with Debian's kernel: the guest gets
# 10.0.2.15 by DHCP; the host reaches the guest's busybox httpd through a
# forwarded port; the guest fetches files from a server on the host
# (127.0.0.1 there, 10.0.2.2 from inside); 100 MiB go each way intact
# (sha256 compared). A forwarded port that is taken is a one-line error
# and exit 1. Ports are chosen by the kernel, never hard-coded.
set -u
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh
require_assets
for tool in python3 curl; do
	if ! command -v $tool >/dev/null; then
		report 1 "$tool missing (packages python3, curl)"
		exit 0
	fi
done
tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	[ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT

# free_port: a port the kernel had free a moment ago
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_file FILE: waits up to 10 s for FILE to be non-empty
wait_file() {
	for _ in $(seq 100); do
		[ -s "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# --- a port in use: no guest needed -------------------------------------
python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
open(sys.argv[1], "w").write(str(s.getsockname()[1])); time.sleep(60)' \
	"$tmp/busy.port" &
pids+=($!)
if wait_file "$tmp/busy.port"; then
	busy=$(cat "$tmp/busy.port")
	timeout 60 "$G" run --kernel "$KERNEL" --initrd "$INITRD" --memory 256M \
		--net "user,hostfwd=tcp::$busy-:80" >"$tmp/busy.out" 2>"$tmp/busy.err" </dev/null
	rc=$?
	[ $rc -eq 1 ] && [ "$(wc -l <"$tmp/busy.err")" -eq 1 ] &&
		grep -q "gasang: .*:$busy" "$tmp/busy.err"
	report $? "a forwarded port in use: exit 1 and one line naming it (rc=$rc: $(head -c 200 "$tmp/busy.err"))"
else
	report 1 "a forwarded port in use: could not hold a port"
fi

# --- the host's side ------------------------------------------------------
mkdir "$tmp/www"
echo "host-file-$RANDOM$RANDOM" >"$tmp/www/small.txt"
head -c 104857600 /dev/urandom >"$tmp/www/big"
big_sum=$(sha256sum <"$tmp/www/big" | cut -d' ' -f1)

# a web server for the guest on 127.0.0.1 (10.0.2.2 from inside)
python3 -c 'import functools, http.server, sys
h = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), h)
open(sys.argv[2], "w").write(str(s.server_address[1]))
s.serve_forever()' "$tmp/www" "$tmp/http.port" 2>"$tmp/http.log" &
pids+=($!)
# a listener that takes the guest's upload: byte count and sha256; it
# closes after 100 MiB, whether or not the guest's nc half-closes
python3 -c 'import hashlib, socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
c, _ = s.accept(); h = hashlib.sha256(); n = 0
while n < 104857600:
    b = c.recv(1 << 16)
    if not b:
        break
    h.update(b); n += len(b)
c.close()
open(sys.argv[2], "w").write("%d %s\n" % (n, h.hexdigest()))' \
	"$tmp/up.port" "$tmp/up.result" &
pids+=($!)
if ! wait_file "$tmp/http.port" || ! wait_file "$tmp/up.port"; then
	report 1 "host servers did not start"
	exit 0
fi
hp=$(cat "$tmp/http.port")
up=$(cat "$tmp/up.port")
fwd=$(free_port)
page="gasang-page-$RANDOM$RANDOM"

# --- the guest ------------------------------------------------------------
script="ip -4 addr show eth0
mkdir /w;echo $page >/w/index.html;httpd -p 80 -h /w&&echo httpd-up
wget -qO- http://10.0.2.2:$hp/small.txt
t=\$(date +%s);wget -qO /tmp/b http://10.0.2.2:$hp/big&&echo down \$((\$(date +%s)-t))s
sha256sum /tmp/b
t=\$(date +%s);nc 10.0.2.2 $up </tmp/b;echo nc=\$? \$((\$(date +%s)-t))s
i=0;until wget -qO- http://10.0.2.2:$hp/curled;do i=\$((i+1));[ \$i -gt 120 ]&&break;sleep 1;done"
BOOT_TIMEOUT=${NET_BOOT_TIMEOUT:-900}
boot_script_bg "$tmp/g" "$script" --memory 768M --net "user,hostfwd=tcp::$fwd-:80"
gpid=$BG_PID
pids+=($gpid)

# the host fetches the guest's page as soon as httpd runs
got=
for _ in $(seq "$BOOT_TIMEOUT"); do
	if grep -q "^httpd-up" "$tmp/g" 2>/dev/null; then
		got=$(curl -s --max-time 60 "http://127.0.0.1:$fwd/")
		break
	fi
	kill -0 "$gpid" 2>/dev/null || break
	sleep 1
done
echo curled-ok >"$tmp/www/curled"
wait "$gpid"
rc=$?
sed -i 's/\r$//' "$tmp/g"

grep -q "inet 10.0.2.15/24" "$tmp/g"
report $? "the guest's eth0 has 10.0.2.15/24 from DHCP"
[ "$got" = "$page" ]
report $? "host curl reaches the guest's httpd through hostfwd (got '${got:0:40}')"
grep -qx "$(cat "$tmp/www/small.txt")" "$tmp/g"
report $? "the guest fetches a file from the host's server at 10.0.2.2"
grep -q "^$big_sum  /tmp/b" "$tmp/g"
report $? "100 MiB host to guest: sha256 matches"
read -r up_n up_sum <"$tmp/up.result" 2>/dev/null
[ "${up_n:-0}" = 104857600 ] && [ "${up_sum:-}" = "$big_sum" ]
report $? "100 MiB guest to host: sha256 matches (${up_n:-0} bytes)"
grep -q "^curled-ok" "$tmp/g" && grep -q "command exited with status 0" "$tmp/g" &&
	[ $rc -eq 0 ]
report $? "the guest script ends and the guest powers off (exit $rc)"
echo "# $(grep -E '^(down|nc=)' "$tmp/g" | tr '\n' ' ')"
if [ -n "${KEEP:-}" ]; then echo "# output in $tmp/g"; fi
