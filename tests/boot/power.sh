#!/bin/bash
# The power button end to end: `gasang run` turns SIGTERM or SIGINT into
# a KEY_POWER press on the virtio-input device, the Debian guest's /init
# sees it through evdev and powers off; a guest that does not react is
# forced off after --stop-timeout, and a second signal forces at once.
set -u
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh
require_assets
tmp=$(mktemp -d)
gpid=
cleanup() {
	[ -n "$gpid" ] && kill -9 "$gpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

PRESSED="gasang: power button pressed"
FORCED_TIMEOUT="did not power off in"
FORCED_AGAIN="again: forcing the VM off"
# the guest's script stops every process but PID 1 and itself, the
# button watcher among them, then waits
DEAF='kill -9 -1; sleep 1; echo guest-deaf; sleep 600'

# start_guest OUT SCRIPT [gasang options...]: boots in the background
# (the guest waits in SCRIPT); gpid is gasang's pid
start_guest() {
	local out=$1 script=$2
	shift 2
	"$G" run --engine "$ENGINE" --kernel "$KERNEL" --initrd "$INITRD" \
		--memory 256M \
		--append "console=ttyS0 quiet gasang.cmd=$(printf '%s\n' "$script" | base64 -w0)" \
		"$@" >"$out" 2>&1 </dev/null &
	gpid=$!
}

# wait_for OUT TEXT: until the output has TEXT; fails when gasang ends
# first or after BOOT_TIMEOUT seconds
wait_for() {
	local deadline=$((SECONDS + BOOT_TIMEOUT))
	until grep -q "$2" "$1" 2>/dev/null; do
		if [ $SECONDS -ge $deadline ] || ! kill -0 "$gpid" 2>/dev/null; then
			return 1
		fi
		sleep 0.2
	done
}

# wait_exit LIMIT: waits up to LIMIT seconds for gasang to end; sets rc
# (its exit status, or "hung" after killing it) and took (seconds since
# the call)
wait_exit() {
	local start=$EPOCHREALTIME
	while kill -0 "$gpid" 2>/dev/null; do
		if awk -v s="$start" -v n="$EPOCHREALTIME" -v l="$1" \
			'BEGIN { exit !(n - s > l) }'; then
			kill -9 "$gpid" 2>/dev/null
			wait "$gpid" 2>/dev/null
			gpid=
			rc=hung
			took=$1
			return
		fi
		sleep 0.05
	done
	wait "$gpid"
	rc=$?
	gpid=
	took=$(awk -v s="$start" -v n="$EPOCHREALTIME" \
		'BEGIN { printf "%.1f", n - s }')
}

# show OUT: the end of a failed run's output as TAP comments
show() {
	tr -d '\r' <"$1" | tail -8 | sed 's/^/# /'
}

# The guest powers itself off on the press: exit status 0, well before
# the default 30 s stop timeout, without being forced.
for sig in TERM INT; do
	out=$tmp/$sig
	start_guest "$out" 'echo guest-waiting; sleep 600'
	if ! wait_for "$out" "gasang: userspace ready"; then
		report 1 "SIG$sig: the guest did not reach userspace"
		show "$out"
		wait_exit 1
		continue
	fi
	kill -s "$sig" "$gpid"
	wait_exit 60
	[ "$rc" = 0 ] && grep -q "$PRESSED" "$out" &&
		! grep -q "$FORCED_TIMEOUT" "$out" &&
		awk -v t="$took" 'BEGIN { exit !(t < 20) }'
	ok=$?
	report $ok "SIG$sig presses the power button: the guest powers off (exit $rc in $took s)"
	[ $ok -eq 0 ] || show "$out"
done

# A guest that ignores the button is forced off after --stop-timeout 3.
out=$tmp/deaf
start_guest "$out" "$DEAF" --stop-timeout 3
if wait_for "$out" "^guest-deaf"; then
	kill -TERM "$gpid"
	wait_exit 60
	[ "$rc" != hung ] && [ "$rc" -lt 128 ] &&
		grep -q "$FORCED_TIMEOUT 3 s" "$out" && ! grep -q "$PRESSED" "$out" &&
		awk -v t="$took" 'BEGIN { exit !(t >= 2.9 && t < 15) }'
	ok=$?
	report $ok "a guest that ignores the button is forced off after --stop-timeout 3 (exit $rc in $took s)"
	[ $ok -eq 0 ] || show "$out"
else
	report 1 "the guest that ignores the button did not start waiting"
	show "$out"
	wait_exit 1
fi

# A second signal forces the VM off at once, long before the default
# 30 s timeout.
out=$tmp/again
start_guest "$out" "$DEAF"
if wait_for "$out" "^guest-deaf"; then
	kill -TERM "$gpid"
	sleep 1
	kill -TERM "$gpid"
	wait_exit 60
	[ "$rc" != hung ] && [ "$rc" -lt 128 ] &&
		grep -q "$FORCED_AGAIN" "$out" && ! grep -q "$FORCED_TIMEOUT" "$out" &&
		awk -v t="$took" 'BEGIN { exit !(t < 10) }'
	ok=$?
	report $ok "a second SIGTERM forces the VM off at once (exit $rc in $took s after it)"
	[ $ok -eq 0 ] || show "$out"
else
	report 1 "the guest for the second signal did not start waiting"
	show "$out"
	wait_exit 1
fi
