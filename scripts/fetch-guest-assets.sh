#!/bin/bash
# Fetches the guest software for gasang's Linux boot from Debian's riscv64
# archive (trixie): the kernel (linux-image-riscv64's current versioned
# package) and busybox-static. Extracts the kernel Image, busybox and the
# modules the initramfs loads, then builds the initramfs
# (scripts/build-initramfs.sh). See docs/guest-assets.md.
#
#   scripts/fetch-guest-assets.sh [--cache DIR] [--refresh]
#
# Idempotent: when <cache>/manifest.txt matches every file (sha256 checked
# each run) it does nothing and needs no network. --refresh asks the
# archive for newer package versions even when the cache is complete.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${GASANG_CACHE:-$HOME/.cache/gasang}/assets
refresh=0

usage() {
	sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
	case "$1" in
	--cache)
		if [ $# -lt 2 ]; then
			echo "fetch-guest-assets: --cache needs a directory" >&2
			exit 2
		fi
		cache=$2
		shift 2
		;;
	--cache=*)
		cache=${1#--cache=}
		shift
		;;
	--refresh)
		refresh=1
		shift
		;;
	-h | --help)
		usage
		exit 0
		;;
	*)
		echo "fetch-guest-assets: unknown argument '$1' (try --help)" >&2
		exit 2
		;;
	esac
done

suite=trixie
mirror=http://deb.debian.org/debian
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
meta=linux-image-riscv64

# Modules the initramfs loads, in load order (each after what it depends
# on; build-initramfs.sh checks that). A name the kernel has built in is
# skipped; any other name missing from the package is an error.
modules=(virtio_mmio virtio_blk failover net_failover virtio_net virtio-rng
	crc32c_generic jbd2 mbcache crc16 ext4 virtio_input evdev
	virtio_console)

manifest=$cache/manifest.txt

say() { echo "fetch-guest-assets: $*"; }
die() {
	echo "fetch-guest-assets: error: $*" >&2
	exit 1
}

for tool in apt-get apt-cache dpkg-deb sha256sum tar xz gzip cpio od flock; do
	command -v "$tool" >/dev/null ||
		die "'$tool' not found (scripts/install-deps.sh installs it)"
done
[ -r "$keyring" ] ||
	die "$keyring missing (apt-get install debian-archive-keyring)"

mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
manifest=$cache/manifest.txt
# One fetcher at a time per cache (say, two test runs started together).
exec 9>"$cache/.lock"
flock 9

sha() { sha256sum "$1" | cut -d' ' -f1; }

# matches PATH SHA256: the file exists and has that sha256
matches() { [ -f "$1" ] && [ "$(sha "$1")" = "$2" ]; }

# Manifest lines (fields split by one space; no field holds a space):
#   package NAME VERSION SHA256 FILE   a .deb, FILE relative to the cache
#   kernel VERSION                     the kernel's release (uname -r)
#   file PATH SHA256                   an extracted or built file
#   input PATH SHA256                  a repository file the initramfs
#                                      is built from (build-initramfs.sh)
# Each check below returns non-zero on the first line that does not hold.
packages_ok() {
	[ -f "$manifest" ] || return 1
	[ "$(grep -c '^package ' "$manifest")" -eq 2 ] || return 1
	local kind sum file
	while read -r kind _ _ sum file; do
		[ "$kind" = package ] || continue
		matches "$cache/$file" "$sum" || return 1
	done <"$manifest"
}

files_ok() {
	grep -q '^kernel ' "$manifest" && grep -q '^file Image ' "$manifest" ||
		return 1
	local kind path sum
	while read -r kind path sum; do
		[ "$kind" = file ] || continue
		[ "$path" = initramfs.cpio.gz ] && continue
		matches "$cache/$path" "$sum" || return 1
	done <"$manifest"
}

initramfs_ok() {
	grep -q '^file initramfs.cpio.gz ' "$manifest" || return 1
	local kind path sum
	while read -r kind path sum; do
		case "$kind $path" in
		"file initramfs.cpio.gz") matches "$cache/$path" "$sum" || return 1 ;;
		"input "*) matches "$repo/$path" "$sum" || return 1 ;;
		esac
	done <"$manifest"
	for path in scripts/guest/init scripts/guest/udhcpc.sh \
		scripts/build-initramfs.sh; do
		grep -q "^input $path " "$manifest" || return 1
	done
}

if [ $refresh -eq 0 ] && packages_ok && files_ok && initramfs_ok; then
	say "up to date in $cache"
	exit 0
fi

apt_opts=(
	-o APT::Architecture=riscv64 -o APT::Architectures=riscv64
	-o Dir::Etc::SourceList="$cache/sources.list"
	-o Dir::Etc::SourceParts="$cache/apt/empty"
	-o Dir::Etc::PreferencesParts="$cache/apt/empty"
	-o Dir::State::Lists="$cache/apt/lists"
	-o Dir::State::status=/dev/null
	-o Dir::Cache="$cache/apt/cache"
	-o Dir::Cache::archives="$cache/apt/archives"
	-o Acquire::Languages=none
)
# As root apt hands downloads to the _apt user, which cannot write into a
# private cache (a root-owned home); it would warn and download as root.
[ "$(id -u)" -ne 0 ] || apt_opts+=(-o APT::Sandbox::User=root)

apt_update() {
	mkdir -p "$cache/apt/lists/partial" "$cache/apt/cache" \
		"$cache/apt/archives/partial" "$cache/apt/empty"
	echo "deb [arch=riscv64 signed-by=$keyring] $mirror $suite main" \
		>"$cache/sources.list"
	say "updating the $suite riscv64 package index from $mirror"
	# apt fails here when InRelease is not signed by a key in $keyring.
	apt-get "${apt_opts[@]}" -qq update ||
		die "apt-get update failed (network, or signature check)"
	apt-cache "${apt_opts[@]}" show --no-all-versions "$meta" >/dev/null 2>&1 ||
		die "$meta not in the $suite riscv64 index"
}

field() { # PKG FIELD
	apt-cache "${apt_opts[@]}" show --no-all-versions "$1" |
		awk -v f="$2: " 'index($0, f) == 1 && !n++ {
			print substr($0, length(f) + 1) }'
}

# The .deb name apt-get download gives: name_version_arch with the
# epoch's colon written %3a.
deb_name() { echo "${1}_${2//:/%3a}_riscv64.deb"; }

fetch_packages() {
	apt_update
	local kpkg
	kpkg=$(apt-cache "${apt_opts[@]}" depends "$meta" |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9].*-riscv64$/ &&
			!n++ { print $2 }')
	[ -n "$kpkg" ] || die "cannot tell which kernel package $meta depends on"
	say "$meta depends on $kpkg"

	mkdir -p "$cache/debs"
	local pkg version want file keep=() lines=()
	for pkg in "$kpkg" busybox-static; do
		version=$(field "$pkg" Version)
		want=$(field "$pkg" SHA256)
		[ -n "$version" ] && [ -n "$want" ] ||
			die "$pkg has no version or SHA256 in the index"
		file=debs/$(deb_name "$pkg" "$version")
		if matches "$cache/$file" "$want"; then
			say "$pkg $version: cached .deb matches the index"
		else
			say "downloading $pkg $version"
			rm -rf "$cache/debs/.new"
			mkdir -p "$cache/debs/.new"
			(cd "$cache/debs/.new" &&
				apt-get "${apt_opts[@]}" -qq download "$pkg=$version") ||
				die "apt-get download $pkg=$version failed"
			local got=("$cache/debs/.new/"*.deb)
			[ ${#got[@]} -eq 1 ] && [ -f "${got[0]}" ] ||
				die "apt-get download left no single .deb for $pkg"
			# apt checked it against the signed index; check again so
			# the manifest never records anything else.
			[ "$(sha "${got[0]}")" = "$want" ] ||
				die "$pkg: downloaded .deb does not match the index"
			mv -f "${got[0]}" "$cache/$file"
			rm -rf "$cache/debs/.new"
		fi
		keep+=("$cache/$file")
		lines+=("package $pkg $version $want $file")
	done
	local old k stale
	for old in "$cache/debs/"*.deb; do
		[ -e "$old" ] || continue
		stale=1
		for k in "${keep[@]}"; do [ "$old" = "$k" ] && stale=0; done
		[ $stale -eq 0 ] || rm -f "$old"
	done
	printf '%s\n' "${lines[@]}" >"$cache/packages.new"
}

# The RISC-V Image header (Documentation/arch/riscv/boot-image-header.rst):
# magic2 "RSC\x05" at offset 0x38.
is_riscv_image() {
	[ "$(od -A n -t x1 -j 56 -N 4 "$1" | tr -d ' \n')" = 52534305 ]
}

extract() { # writes <cache>/files.new
	local kdeb bdeb tmp
	kdeb=$cache/$(awk '$1 == "package" && $2 ~ /^linux-image-/ {print $5}' \
		"$cache/packages.new")
	bdeb=$cache/$(awk '$1 == "package" && $2 == "busybox-static" {print $5}' \
		"$cache/packages.new")
	tmp=$cache/.extract
	rm -rf "$tmp"
	mkdir -p "$tmp"

	say "extracting the kernel Image and ${#modules[@]} modules"
	local pats=('./boot/vmlinux-*' './usr/lib/modules/*/modules.builtin')
	local m
	for m in "${modules[@]}"; do
		pats+=("./usr/lib/modules/*/$m.ko.xz")
	done
	# tar complains about patterns with no member (built-in modules);
	# every wanted file is checked below instead of tar's status.
	dpkg-deb --fsys-tarfile "$kdeb" |
		tar -x -C "$tmp" --wildcards "${pats[@]}" 2>"$tmp/tar.err" || true
	if grep -v -e 'Not found in archive' -e 'Exiting with failure' \
		"$tmp/tar.err" >&2; then
		die "extracting $kdeb failed"
	fi

	local images=("$tmp"/boot/vmlinux-*)
	[ ${#images[@]} -eq 1 ] && [ -f "${images[0]}" ] ||
		die "no single /boot/vmlinux-* in $kdeb"
	local kver=${images[0]##*/vmlinux-}
	is_riscv_image "${images[0]}" ||
		die "/boot/vmlinux-$kver has no RISC-V Image magic at 0x38"
	local mdir=$tmp/usr/lib/modules/$kver
	[ -f "$mdir/modules.builtin" ] || die "no modules.builtin for $kver"

	mkdir -p "$tmp/out/modules/$kver"
	mv "${images[0]}" "$tmp/out/Image"
	cp "$mdir/modules.builtin" "$tmp/out/modules/$kver/"
	: >"$tmp/out/modules.list"
	local found
	for m in "${modules[@]}"; do
		found=$(cd "$mdir" && find kernel -name "$m.ko.xz")
		if [ -n "$found" ]; then
			[ "$(echo "$found" | wc -l)" -eq 1 ] ||
				die "$m.ko.xz found twice in $kdeb"
			mkdir -p "$tmp/out/modules/$kver/$(dirname "$found")"
			mv "$mdir/$found" "$tmp/out/modules/$kver/$found"
			echo "$m $found" >>"$tmp/out/modules.list"
		elif grep -qE "/${m//-/[-_]}\.ko$" "$mdir/modules.builtin"; then
			say "$m is built into the kernel"
			echo "$m builtin" >>"$tmp/out/modules.list"
		else
			die "module $m neither in $kdeb nor built in"
		fi
	done

	say "extracting busybox"
	dpkg-deb --fsys-tarfile "$bdeb" |
		tar -x -C "$tmp" --wildcards './usr/bin/busybox' './bin/busybox' \
			2>/dev/null || true
	local bb
	for bb in "$tmp/usr/bin/busybox" "$tmp/bin/busybox"; do
		[ -f "$bb" ] && mv "$bb" "$tmp/out/busybox" && break
	done
	[ -f "$tmp/out/busybox" ] || die "no busybox binary in $bdeb"

	rm -rf "$cache/Image" "$cache/busybox" "$cache/modules" \
		"$cache/modules.list"
	mv "$tmp/out/"* "$cache/"
	rm -rf "$tmp"

	{
		echo "kernel $kver"
		(cd "$cache" && find Image busybox modules.list modules -type f |
			LC_ALL=C sort) | while read -r f; do
			echo "file $f $(sha "$cache/$f")"
		done
	} >"$cache/files.new"
}

write_manifest() { # packages.new files.new
	{
		echo "# gasang guest assets, written by scripts/fetch-guest-assets.sh"
		echo "# source: $mirror $suite main (riscv64), signed-by $keyring"
		cat "$cache/packages.new" "$cache/files.new"
	} >"$manifest.tmp"
	mv "$manifest.tmp" "$manifest"
	rm -f "$cache/packages.new" "$cache/files.new"
}

changed=0
if [ $refresh -eq 1 ] || ! packages_ok; then
	old=$(grep '^package ' "$manifest" 2>/dev/null || true)
	fetch_packages
	[ "$old" = "$(cat "$cache/packages.new")" ] || changed=1
else
	say "cached .debs match the manifest"
	grep '^package ' "$manifest" >"$cache/packages.new"
fi

if [ $changed -eq 1 ] || ! files_ok; then
	extract
	changed=1
else
	grep -e '^kernel ' -e '^file ' "$manifest" |
		grep -v '^file initramfs.cpio.gz ' >"$cache/files.new"
fi
if [ $changed -eq 1 ] || ! initramfs_ok; then
	# The builder adds the initramfs and its inputs to the manifest.
	write_manifest
	"$repo/scripts/build-initramfs.sh" --cache "$cache"
fi
rm -f "$cache/packages.new" "$cache/files.new"
initramfs_ok || die "the manifest does not match after building"
say "done: $(grep -c '^package ' "$manifest") packages, kernel" \
	"$(sed -n 's/^kernel //p' "$manifest"), assets in $cache"
