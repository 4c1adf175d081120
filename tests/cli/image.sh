#!/bin/bash
# gasang image: build the tiny image into a fresh $GASANG_HOME, list it,
# refuse what must be refused (a second build without --force, removing an
# image a VM uses, a corrupt manifest, bad names), and boot what it built
# with a copy-on-write overlay of its data disk: the guest finds the ext4
# data disk mounted on /data. Prints "ok N - what" / "not ok N - what".
set -u
G=${GASANG:-build/gasang}
n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GASANG_HOME=$tmp/home

report() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
# fails_with WHAT PATTERN CMD...: exit 1 and a one-line message matching
fails_with() {
	local what=$1 pat=$2 out rc
	shift 2
	out=$("$@" 2>&1 >/dev/null)
	rc=$?
	[ "$rc" = 1 ] && [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] &&
		grep -q -- "$pat" <<<"$out"
	report $? "$what (exit $rc: $out)"
}

out=$("$G" image list)
[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] && grep -q '^NAME' <<<"$out"
report $? "image list on a new home shows only the header"

"$G" image build tiny >"$tmp/build.out" 2>&1
rc=$?
grep -q '^\[4/4\]' "$tmp/build.out"
report $((rc | $?)) "image build tiny succeeds and shows its steps (exit $rc)"
img=$GASANG_HOME/images/tiny
[ -f "$img/Image" ] && [ -f "$img/initramfs.cpio.gz" ] &&
	[ -f "$img/data.raw" ] && [ -f "$img/image.json" ] &&
	[ ! -e "$GASANG_HOME/images/tiny.partial" ]
report $? "the image directory has kernel, initramfs, data disk, manifest"
cmp -s "$img/Image" "${GASANG_CACHE:-$HOME/.cache/gasang}/assets/Image"
report $? "the image's kernel is the fetched Debian kernel"
/sbin/dumpe2fs -h "$img/data.raw" 2>/dev/null | grep -q 'volume name: *data'
report $? "the data disk is an ext4 file system labelled data"

out=$("$G" image list)
grep -q '^tiny .*linux-image-.*busybox-static' <<<"$out"
report $? "image list shows tiny with its packages"
"$G" image list --json | python3 -c '
import json, sys
v = json.load(sys.stdin)
assert v[0]["name"] == "tiny" and v[0]["size"] > 1000000, v'
report $? "image list --json is JSON with the name and size"

fails_with "a second build without --force is refused" "exists" \
	"$G" image build tiny
fails_with "an unknown image to build" "unknown image" \
	"$G" image build nosuch
fails_with "rm of an image that does not exist" "no image" \
	"$G" image rm nosuch
fails_with "a bad image name" "not an image name" "$G" image rm 'Bad/..'

mkdir -p "$GASANG_HOME/vms/web"
echo '{"name": "web", "image": "tiny"}' >"$GASANG_HOME/vms/web/config.json"
fails_with "rm of an image a VM uses is refused" "used by VM 'web'" \
	"$G" image rm tiny
[ -f "$img/image.json" ]
report $? "the refused rm left the image in place"

# boot it: the kernel, initramfs and an overlay of the data disk
"$G" img create -f qcow2 -b "$img/data.raw" -F raw "$tmp/vm.qcow2" \
	>/dev/null 2>&1
script='echo "data: $(grep " /data " /proc/mounts | cut -d" " -f3) $(hostname)"
echo hello >/data/hello; sync'
timeout 300 "$G" run --kernel "$img/Image" --initrd "$img/initramfs.cpio.gz" \
	--memory 256M --disk "$tmp/vm.qcow2" \
	--append "console=ttyS0 quiet gasang.data=/dev/vda gasang.hostname=web gasang.cmd=$(printf '%s\n' "$script" | base64 -w0)" \
	</dev/null >"$tmp/boot.out" 2>&1
grep -q '^data: ext4 web' "$tmp/boot.out"
report $? "a VM of the image has its data disk on /data and its hostname"
! grep -q hello "$img/data.raw" && grep -q hello "$tmp/vm.qcow2"
report $? "the guest's writes went to the overlay, not the image"

echo '{"name": "tiny", "kernel": 3' >"$img/image.json"
out=$("$G" image list 2>&1)
grep -q 'tiny: .*image.json' <<<"$out"
report $? "image list reports a corrupt manifest"
echo '{"name": "tiny", "kernel": "../../etc/passwd", "initrd": "x"}' \
	>"$img/image.json"
out=$("$G" image list 2>&1)
grep -q 'must name a file in the image directory' <<<"$out"
report $? "a manifest naming a file outside the image is refused"

rm -rf "$GASANG_HOME/vms/web"
"$G" image build tiny --force >/dev/null 2>&1 &&
	"$G" image list | grep -q '^tiny ' &&
	"$G" image rm tiny && [ ! -e "$img" ]
report $? "build --force repairs it; rm removes an unused image"
