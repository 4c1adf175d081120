#!/bin/bash
# Builds <cache>/initramfs.cpio.gz (newc cpio, gzip) for gasang's Linux
# boot from what scripts/fetch-guest-assets.sh extracted: busybox (static)
# with a link per applet, /init from scripts/guest/init, the kernel
# modules of <cache>/modules.list decompressed, /dev/console and /dev/null.
# Updates the initramfs lines of <cache>/manifest.txt when it exists.
# See docs/guest-assets.md.
#
#   scripts/build-initramfs.sh [--cache DIR]
#
# Device nodes need root; as another user the script reruns itself under
# fakeroot. File times are SOURCE_DATE_EPOCH (default 0), so the same
# inputs give the same archive.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${GASANG_CACHE:-$HOME/.cache/gasang}/assets
args=("$@")

while [ $# -gt 0 ]; do
	case "$1" in
	--cache)
		if [ $# -lt 2 ]; then
			echo "build-initramfs: --cache needs a directory" >&2
			exit 2
		fi
		cache=$2
		shift 2
		;;
	--cache=*)
		cache=${1#--cache=}
		shift
		;;
	-h | --help)
		sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "build-initramfs: unknown argument '$1' (try --help)" >&2
		exit 2
		;;
	esac
done

say() { echo "build-initramfs: $*"; }
die() {
	echo "build-initramfs: error: $*" >&2
	exit 1
}

if [ "$(id -u)" -ne 0 ]; then
	command -v fakeroot >/dev/null ||
		die "not root and no fakeroot for the device nodes (apt-get install fakeroot)"
	exec fakeroot -- "$0" "${args[@]}"
fi

for tool in cpio gzip xz sha256sum mknod; do
	command -v "$tool" >/dev/null || die "'$tool' not found"
done
[ -d "$cache" ] || die "no cache $cache (run scripts/fetch-guest-assets.sh)"
cache=$(cd "$cache" && pwd)
for f in busybox modules.list; do
	[ -f "$cache/$f" ] ||
		die "$cache/$f missing (run scripts/fetch-guest-assets.sh)"
done
kver=$(cd "$cache/modules" && ls)
[ -n "$kver" ] && [ "$(echo "$kver" | wc -l)" -eq 1 ] ||
	die "expected one kernel version under $cache/modules"

init=$repo/scripts/guest/init
stage=$(mktemp -d "$cache/.initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT
root=$stage/root
mkdir -p "$root"/{bin,dev,etc/gasang,proc,sys,tmp,root,run,mnt} \
	"$root/lib/modules/$kver" "$root/usr"
chmod 1777 "$root/tmp"
# One applet directory; the others point at it so that any absolute path
# a script uses (/sbin/poweroff, /usr/bin/env) resolves.
ln -s bin "$root/sbin"
ln -s ../bin "$root/usr/bin"
ln -s ../bin "$root/usr/sbin"

install -m 755 "$cache/busybox" "$root/bin/busybox"
install -m 755 "$init" "$root/init"
install -m 755 "$repo/scripts/guest/udhcpc.sh" "$root/etc/gasang/udhcpc.sh"

# The applet names, read from the binary: busybox keeps them as one
# NUL-separated, sorted string table that starts "[", "[[" (the byte
# before it is not always a NUL). Running the riscv64 binary on the host
# to ask it would need qemu-user.
# awk reads to the end: exiting early would kill tr with SIGPIPE.
applets=$(tr '\0' '\n' <"$cache/busybox" | LC_ALL=C awk '
	done { next }
	on && /^[a-z0-9][a-z0-9_.-]*$/ && $0 > prev { print; prev = $0; next }
	on { done = 1; next }
	prev ~ /\[$/ && $0 == "[[" { print "["; print "[["; on = 1 }
	{ prev = $0 }')
for a in sh mount insmod base64 poweroff setsid cttyhack hostname ip udhcpc \
	dd od switch_root umount; do
	grep -qx -- "$a" <<<"$applets" ||
		die "applet '$a' not found in busybox's applet table"
done
n=0
while read -r a; do
	[ "$a" = busybox ] && continue
	ln -s busybox "$root/bin/$a"
	n=$((n + 1))
done <<<"$applets"
say "busybox with $n applet links"

# modules.list: "NAME PATH" (PATH under modules/<kver>/, .ko.xz) or
# "NAME builtin". Busybox's insmod may not read xz, so decompress here.
# Each module's "depends=" (from its .modinfo) must be loaded before it.
loaded=" "
: >"$root/etc/gasang/modules"
while read -r name path; do
	[ "$path" = builtin ] && continue
	src=$cache/modules/$kver/$path
	dst=${path%.xz}
	[ -f "$src" ] || die "$src missing"
	mkdir -p "$root/lib/modules/$kver/$(dirname "$dst")"
	xz -dc "$src" >"$root/lib/modules/$kver/$dst"
	deps=$(tr '\0' '\n' <"$root/lib/modules/$kver/$dst" |
		sed -n 's/^depends=//p' | tr ',' ' ')
	for d in $deps; do
		case "$loaded" in
		*" ${d//-/_} "*) ;;
		*) die "$name needs $d loaded before it (fix the module list)" ;;
		esac
	done
	loaded="$loaded${name//-/_} "
	echo "$dst" >>"$root/etc/gasang/modules"
done <"$cache/modules.list"
say "$(wc -l <"$root/etc/gasang/modules") modules for $kver"

mknod -m 600 "$root/dev/console" c 5 1
mknod -m 666 "$root/dev/null" c 1 3

find "$root" -exec touch -h -d "@${SOURCE_DATE_EPOCH:-0}" {} +
out=$cache/initramfs.cpio.gz
(cd "$root" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -9 -n >"$stage/out"
mv "$stage/out" "$out"
sum=$(sha256sum "$out" | cut -d' ' -f1)
say "$out: $(stat -c %s "$out") bytes, sha256 $sum"

manifest=$cache/manifest.txt
if [ -f "$manifest" ]; then
	{
		grep -v -e '^file initramfs.cpio.gz ' \
			-e '^input scripts/guest/init ' \
			-e '^input scripts/guest/udhcpc.sh ' \
			-e '^input scripts/build-initramfs.sh ' "$manifest" || true
		for f in scripts/guest/init scripts/guest/udhcpc.sh \
			scripts/build-initramfs.sh; do
			echo "input $f $(sha256sum "$repo/$f" | cut -d' ' -f1)"
		done
		echo "file initramfs.cpio.gz $sum"
	} >"$manifest.tmp"
	mv "$manifest.tmp" "$manifest"
fi
