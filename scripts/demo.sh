#!/usr/bin/env bash
# The main job: a managed VM serving a web page from inside the guest.
# Builds the tiny image (Debian's riscv64 kernel, busybox, an ext4 data
# disk) if it is not there, creates the VM "demo" (2 vCPUs, 512M, host
# port ${DEMO_PORT:-8080} forwarded to the guest's port 80), starts it,
# and fetches the page busybox httpd serves from inside the guest. The VM
# keeps running: `gasang console demo` is its shell, `gasang stop demo`
# powers it off. 'make demo' builds gasang and fetches the guest assets
# first. Running it again reuses the image and the VM.
set -u

cd "$(dirname "$0")/.." || exit 1
G=build/gasang
port=${DEMO_PORT:-8080}
[ -x "$G" ] || {
	echo "demo: $G missing; run 'make demo'" >&2
	exit 1
}

say() { printf '\n$ %s\n' "$*"; }
run() {
	say "$*"
	"$@"
}

if ! "$G" image list | grep -q '^tiny '; then
	run "$G" image build tiny || exit 1
fi

# the guest's job: a page on port 80, then a shell on the console
guest='mkdir -p /www
echo "<h1>Hello from gasang</h1><p>$(uname -sr) on $(uname -m), served by busybox httpd inside the VM.</p>" >/www/index.html
httpd -p 80 -h /www
echo "gasang demo: serving http on port 80"
exec setsid cttyhack sh'
if ! "$G" info demo >/dev/null 2>&1; then
	say "$G create demo --cpus 2 --memory 512M --port $port:80" \
		"--append gasang.cmd=<the script above, base64>"
	"$G" create demo --cpus 2 --memory 512M --port "$port:80" \
		--append "gasang.cmd=$(printf '%s\n' "$guest" | base64 -w0)" ||
		exit 1
fi
if ! "$G" list | grep -q '^demo  *running'; then
	run "$G" start demo || exit 1
fi
run "$G" list

say "curl http://127.0.0.1:$port/"
for i in $(seq 1 180); do
	if page=$(curl -fsS --max-time 5 "http://127.0.0.1:$port/" 2>/dev/null); then
		echo "$page"
		break
	fi
	[ "$i" = 1 ] && echo "(waiting for the guest to boot...)"
	sleep 1
done
if [ -z "${page:-}" ]; then
	echo "demo: no page from the guest; its console says:" >&2
	"$G" logs demo | tail -20 >&2
	exit 1
fi

cat <<EOF

The VM "demo" is running. Try:
  $G console demo      # the guest's shell (Ctrl-A x detaches)
  curl localhost:$port   # the page above
  $G info demo         # its limits, disk and ports
  $G stop demo         # presses its power button
  $G rm demo           # removes it (once stopped)
EOF
