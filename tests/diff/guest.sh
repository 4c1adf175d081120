#!/bin/bash
# Real programs give the same results under both engines: the Debian
# kernel boots once with the interpreter and twice with the JIT (as it
# comes, and with its window in use for every process from the start:
# GASANG_JIT_WINDOW=eager, mem/window.h), in Sv39 (`no4lvl`, so that user
# space lies within the window), and the guest runs busybox (awk with integer and floating-point work, sort,
# md5sum, sha256sum) and Debian's 7-Zip (compress, test, extract) on data
# it generates deterministically. Every line the programs print must be
# the same under both engines, and 7-Zip must find its archive intact.
# Prints "ok N - what" / "not ok N - what".
set -u
cd "$(dirname "$0")/../.." || exit 1
G=${GASANG:-build/gasang}
assets=${GASANG_ASSETS:-${GASANG_CACHE:-$HOME/.cache/gasang}/assets}
n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

report() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

if ! archive=$(scripts/guest-7zip.sh 2>"$tmp/fetch"); then
	report 1 "fetch Debian's riscv64 7-Zip: $(tail -1 "$tmp/fetch")"
	exit 0
fi

# the guest's script goes in a third archive: too long for the command line
mkdir -p "$tmp/root/opt/test"
cat >"$tmp/root/opt/test/run.sh" <<'EOF'
z="/opt/7zip/lib/ld-linux-riscv64-lp64d.so.1 --library-path /opt/7zip/lib /opt/7zip/7zz"
cd /tmp
awk 'BEGIN { srand(7); for (i = 0; i < 60000; i++) print int(rand() * 1e9), i % 97 }' >d.txt
echo "R data $(md5sum d.txt | cut -c1-32)"
echo "R sort $(sort -n d.txt | md5sum | cut -c1-32)"
echo "R sortk $(sort -k2,2n -k1,1nr d.txt | sha256sum | cut -c1-64)"
echo "R fp $(awk 'BEGIN { s = 0; for (i = 1; i < 20000; i++) s += sin(i) / i + sqrt(i) * log(i); printf "%.15e", s }')"
echo "R div $(awk '{ s += ($1 % 1000003) / ($2 + 1) } END { printf "%.12f", s }' d.txt)"
touch -d "2020-01-01 00:00:00" d.txt
$z a -mx=5 -mmt1 -bd a.7z d.txt >/dev/null &&
	echo "R 7z $(sha256sum a.7z | cut -c1-64) $(wc -c <a.7z)"
echo "R 7ztest $($z t a.7z | grep -c 'Everything is Ok')"
rm d.txt && $z x -bd a.7z >/dev/null && echo "R 7zx $(md5sum d.txt | cut -c1-32)"
EOF
(cd "$tmp/root" && find opt | cpio -o -H newc -R 0:0 --quiet) |
	gzip >"$tmp/test.cpio.gz"
cat "$assets/initramfs.cpio.gz" "$archive" "$tmp/test.cpio.gz" \
	>"$tmp/initrd.cpio.gz"
append="console=ttyS0 quiet no4lvl gasang.cmd=$(echo 'sh /opt/test/run.sh' | base64 -w0)"

for run in interp jit jit-eager; do
	engine=${run%-eager}
	window=${run#jit-}
	[ "$window" = eager ] || window=
	GASANG_JIT_WINDOW=$window timeout 900 "$G" run --engine "$engine" \
		--kernel "$assets/Image" --initrd "$tmp/initrd.cpio.gz" \
		--memory 512M --append "$append" </dev/null 2>&1 |
		tr -d '\r' | grep '^R ' >"$tmp/$run"
	[ "$(wc -l <"$tmp/$run")" = 8 ]
	report $? "$run: the guest's programs ran ($(wc -l <"$tmp/$run") of 8 results)"
done
grep -q '^R 7ztest 1$' "$tmp/jit"
report $? "7-Zip under the JIT finds its archive intact"
data=$(sed -n 's/^R data //p' "$tmp/jit")
[ -n "$data" ] && [ "$data" = "$(sed -n 's/^R 7zx //p' "$tmp/jit")" ]
report $? "7-Zip under the JIT extracts what it compressed"
for run in jit jit-eager; do
	[ -s "$tmp/interp" ] && diff "$tmp/interp" "$tmp/$run" >"$tmp/diff"
	report $? "every result is the same under interp and $run $(head -4 "$tmp/diff" | tr '\n' ' ')"
done
