#!/bin/bash
# The guest assets that scripts/fetch-guest-assets.sh left in the cache:
# the kernel is a RISC-V Image, the manifest's sha256s hold, the initramfs
# holds /init, busybox, the device nodes and every module, and the
# reference (qemu-system-riscv64) boots them to the marker line and runs a
# gasang.cmd script. Downloads nothing: the fetch runs before the tests.
# Prints "ok N - what" / "not ok N - what" lines for tests/run.
set -u
cd "$(dirname "$0")/../.." || exit 1
cache=${GASANG_CACHE:-$HOME/.cache/gasang}/assets
manifest=$cache/manifest.txt
n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

report() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

if [ ! -f "$manifest" ] || [ ! -f "$cache/initramfs.cpio.gz" ]; then
	report 1 "guest assets missing in $cache: run scripts/fetch-guest-assets.sh"
	exit 0
fi

sha() { sha256sum "$1" 2>/dev/null | cut -d' ' -f1; }

# The Image header's magic2, "RSC\x05" at 0x38 (the kernel's
# Documentation/arch/riscv/boot-image-header.rst).
magic=$(od -A n -t x1 -j 56 -N 4 "$cache/Image" 2>/dev/null | tr -d ' \n')
[ "$magic" = 52534305 ]
report $? "Image has the RISC-V Image magic (got '$magic')"

npkg=0
while read -r kind name version sum file; do
	[ "$kind" = package ] || continue
	npkg=$((npkg + 1))
	[ "$(sha "$cache/$file")" = "$sum" ]
	report $? "$name $version: .deb sha256 matches the manifest"
done <"$manifest"
[ $npkg -eq 2 ]
report $? "manifest lists the kernel and busybox-static packages ($npkg)"

bad=
nfile=0
while read -r kind path sum; do
	case "$kind" in
	file) f=$cache/$path ;;
	input) f=$path ;;
	*) continue ;;
	esac
	nfile=$((nfile + 1))
	[ "$(sha "$f")" = "$sum" ] || bad="$bad $path"
done <"$manifest"
[ -z "$bad" ] && [ $nfile -gt 3 ]
report $? "$nfile manifest file sha256s match (mismatch:${bad:- none})"

# e_ident "\x7fELF", 64-bit little-endian; e_machine 0xf3 (RISC-V).
hdr=$(od -A n -t x1 -N 20 "$cache/busybox" 2>/dev/null | tr -d ' \n')
[ "${hdr:0:12}" = 7f454c460201 ] && [ "${hdr:36:4}" = f300 ]
report $? "busybox is a 64-bit RISC-V ELF"

gzip -dc "$cache/initramfs.cpio.gz" 2>/dev/null |
	cpio -t -v --quiet >"$tmp/list" 2>/dev/null
report $? "initramfs is a gzip'd cpio archive"

# has PATH TYPE: the archive lists PATH (without "./") with a mode
# starting with TYPE (- file, c char device, l link)
has() {
	awk -v p="$1" -v t="$2" '
		{ name = ($NF == p) ? $NF : $(NF - 2) }
		name == p && substr($1, 1, 1) == t { found = 1 }
		END { exit !found }' "$tmp/list"
}
has init - && grep -qE '^-rwx.* init$' "$tmp/list"
report $? "initramfs has an executable /init"
has bin/busybox -
report $? "initramfs has /bin/busybox"
has bin/sh l
report $? "initramfs has /bin/sh"
grep -qE '^c.* 5, +1 .* dev/console$' "$tmp/list"
report $? "initramfs has /dev/console (char 5,1)"
grep -qE '^c.* 1, +3 .* dev/null$' "$tmp/list"
report $? "initramfs has /dev/null (char 1,3)"
for m in virtio_mmio virtio_blk failover net_failover virtio_net virtio-rng \
	crc32c_generic jbd2 mbcache crc16 ext4 virtio_input evdev; do
	grep -qE "^-.* lib/modules/[^/]+/.*/$m\.ko$" "$tmp/list"
	report $? "initramfs has module $m.ko (decompressed)"
done

# The reference boots the assets: the marker, then the command, then a
# clean power-off (QEMU exits 0).
qemu="qemu-system-riscv64"
if ! command -v $qemu >/dev/null; then
	report 1 "$qemu not installed (scripts/install-deps.sh)"
	exit 0
fi
# shellcheck disable=SC2016 # expanded by the guest's shell
script='echo "answer $((6 * 7)) on $(hostname)"; exit 5'
timeout 120 $qemu -machine virt -nographic -bios default -m 512M \
	-kernel "$cache/Image" -initrd "$cache/initramfs.cpio.gz" \
	-append "console=ttyS0 quiet gasang.cmd=$(echo "$script" | base64 -w0)" \
	</dev/null >"$tmp/boot" 2>&1
rc=$?
tr -d '\r' <"$tmp/boot" >"$tmp/boot.txt"
grep -qx 'gasang: userspace ready' "$tmp/boot.txt"
report $? "$qemu boots the assets to 'gasang: userspace ready'"
failed=$(grep '^gasang: insmod' "$tmp/boot.txt" | head -3 | tr '\n' ' ')
[ -z "$failed" ]
report $? "every module loads${failed:+ ($failed)}"
grep -qx 'answer 42 on gasang' "$tmp/boot.txt" &&
	grep -qx 'gasang: command exited with status 5' "$tmp/boot.txt"
report $? "a gasang.cmd script runs and its status is reported"
[ $rc -eq 0 ]
report $? "the guest powers off after the script ($qemu exit $rc)"
