#!/usr/bin/env bash
# Makes a cpio archive (gzip) holding Debian trixie's riscv64 7-Zip
# (7zip-standalone's 7zz) and the C and C++ runtime it links against
# under /opt/7zip, to append to the initramfs (the kernel unpacks
# concatenated archives in order). Run it as
#   /opt/7zip/lib/ld-linux-riscv64-lp64d.so.1 --library-path /opt/7zip/lib /opt/7zip/7zz
# Used by bench/7zip.sh and tests/diff/guest.sh.
#
#   scripts/guest-7zip.sh [DIR]   (default $GASANG_CACHE/bench/7zip)
#
# Prints the archive's path (DIR/7zip.cpio.gz); DIR/version holds the
# package version. Does nothing when the archive is there; apt checks the
# archive's signature and each package's hash against the signed index.
set -u
cache=${GASANG_CACHE:-$HOME/.cache/gasang}
work=${1:-$cache/bench/7zip}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
mirror=${GASANG_MIRROR:-http://deb.debian.org/debian}
suite=trixie

die() {
	echo "guest-7zip: $*" >&2
	exit 1
}

apt_opts=(
	-o APT::Architecture=riscv64 -o APT::Architectures=riscv64
	-o Dir::Etc::SourceList="$work/sources.list"
	-o Dir::Etc::SourceParts="$work/apt/empty"
	-o Dir::Etc::PreferencesParts="$work/apt/empty"
	-o Dir::State::Lists="$work/apt/lists"
	-o Dir::State::status=/dev/null
	-o Dir::Cache="$work/apt/cache"
	-o Dir::Cache::archives="$work/apt/archives"
	-o Acquire::Languages=none
)
[ "$(id -u)" -ne 0 ] || apt_opts+=(-o APT::Sandbox::User=root)

# The runtime 7zz needs (readelf -d: libstdc++, libgcc_s, libc; libstdc++
# needs libm) and the dynamic loader.
packages=(7zip-standalone libc6 libstdc++6 libgcc-s1)

build_archive() {
	local stage=$work/stage root=$work/root pkg
	[ -f "$keyring" ] || die "$keyring missing (apt-get install debian-archive-keyring)"
	mkdir -p "$work/apt/lists/partial" "$work/apt/cache" \
		"$work/apt/archives/partial" "$work/apt/empty" "$work/debs"
	echo "deb [arch=riscv64 signed-by=$keyring] $mirror $suite main" \
		>"$work/sources.list"
	echo "guest-7zip: fetching ${packages[*]} ($suite riscv64)" >&2
	# apt checks the index's signature and each .deb's hash against it
	apt-get "${apt_opts[@]}" -qq update || die "apt-get update failed"
	rm -f "$work"/debs/*.deb
	(cd "$work/debs" && apt-get "${apt_opts[@]}" -qq download "${packages[@]}") ||
		die "apt-get download failed"
	rm -rf "$root" "$stage"
	mkdir -p "$root" "$stage/opt/7zip/lib"
	for pkg in "$work"/debs/*.deb; do
		dpkg-deb -x "$pkg" "$root" || die "cannot unpack $pkg"
	done
	cp "$root/usr/lib/7zip/7zz" "$stage/opt/7zip/" &&
		cp -L "$root/usr/lib/riscv64-linux-gnu/ld-linux-riscv64-lp64d.so.1" \
			"$root/usr/lib/riscv64-linux-gnu/libc.so.6" \
			"$root/usr/lib/riscv64-linux-gnu/libm.so.6" \
			"$root/usr/lib/riscv64-linux-gnu/libstdc++.so.6" \
			"$root/usr/lib/riscv64-linux-gnu/libgcc_s.so.1" \
			"$stage/opt/7zip/lib/" || die "7zz or its libraries missing from the packages"
	(cd "$stage" && find opt | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet) | gzip -9 >"$work/7zip.cpio.gz.new" ||
		die "cannot build the cpio archive"
	dpkg-deb -f "$work"/debs/7zip-standalone_*.deb Version >"$work/version"
	mv "$work/7zip.cpio.gz.new" "$work/7zip.cpio.gz"
	rm -rf "$root" "$stage"
}

mkdir -p "$work" || die "cannot make $work"
[ -s "$work/7zip.cpio.gz" ] || build_archive
echo "$work/7zip.cpio.gz"
