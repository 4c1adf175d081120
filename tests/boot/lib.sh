# Shared by the boot tests: where the guest assets are, how to boot the
# Debian kernel with a script to run inside, TAP-like result lines.
# Assets come from scripts/fetch-guest-assets.sh (run by 'make test');
# nothing here downloads.

G=${GASANG:-build/gasang}
ASSETS=${GASANG_ASSETS:-${GASANG_CACHE:-$HOME/.cache/gasang}/assets}
KERNEL=$ASSETS/Image
INITRD=$ASSETS/initramfs.cpio.gz
ENGINE=${ENGINE:-interp}
# generous: sanitizer builds run the guest several times slower
BOOT_TIMEOUT=${BOOT_TIMEOUT:-300}
n=0

report() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

require_assets() {
	if [ ! -f "$KERNEL" ] || [ ! -f "$INITRD" ]; then
		echo "not ok 1 - guest assets missing in $ASSETS (run scripts/fetch-guest-assets.sh)"
		exit 0
	fi
}

# boot_script OUT SCRIPT [gasang options...]: boots with SCRIPT run by
# /init, output in OUT; returns gasang's exit status
boot_script() {
	local rc
	boot_script_bg "$@"
	wait "$BG_PID"
	rc=$?
	# the serial console ends lines with CR LF
	sed -i 's/\r$//' "$1"
	return $rc
}

# The same in the background: BG_PID is the pid of timeout(1), which
# passes a kill on to gasang.
boot_script_bg() {
	local out=$1 script=$2
	shift 2
	timeout -k 45 "$BOOT_TIMEOUT" "$G" run --engine "$ENGINE" --kernel "$KERNEL" \
		--initrd "$INITRD" \
		--append "console=ttyS0 quiet gasang.cmd=$(printf '%s\n' "$script" | base64 -w0)" \
		"$@" >"$out" 2>&1 </dev/null &
	BG_PID=$!
}
