#!/bin/bash
# virtio-blk and virtio-rng with Debian's kernel: an ext4 file system on a
# raw disk keeps its data across boots; a qcow2 disk written by the guest
# stays consistent for qemu-img (the independent checker) and matches a
# raw disk written the same way; an overlay leaves its base untouched; a
# read-only disk refuses writes; the entropy device feeds /dev/hwrng.
set -u
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh
require_assets
for tool in mkfs.ext4 e2fsck qemu-img; do
	if ! command -v $tool >/dev/null; then
		report 1 "$tool missing (packages e2fsprogs, qemu-utils)"
		exit 0
	fi
done
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT

truncate -s 64M "$tmp/disk.raw"
mkfs.ext4 -q -F "$tmp/disk.raw"

boot_script "$tmp/w" 'mount /dev/vda /mnt || exit 1
head -c 3000000 /dev/urandom >/mnt/data
sha256sum /mnt/data | tee /mnt/data.sum
sync; umount /mnt' --memory 256M --disk "$tmp/disk.raw"
rc=$?
sum1=$(sed -n 's|^\([0-9a-f]\{64\}\)  /mnt/data$|\1|p' "$tmp/w" | head -1)
[ $rc -eq 0 ] && [ -n "$sum1" ] && grep -q "command exited with status 0" "$tmp/w"
report $? "guest writes a file on ext4 on a raw virtio disk"
e2fsck -fn "$tmp/disk.raw" >/dev/null 2>&1
report $? "e2fsck finds the raw disk's file system clean after power-off"
boot_script "$tmp/r" 'mount /dev/vda /mnt && sha256sum /mnt/data' --memory 256M --disk "$tmp/disk.raw,format=raw"
grep -q "^$sum1  /mnt/data" "$tmp/r"
report $? "the data is there after a reboot (same sha256)"

# the same bytes through a raw and a qcow2 disk
qemu-img convert -O qcow2 "$tmp/disk.raw" "$tmp/disk.qcow2"
cp "$tmp/disk.raw" "$tmp/copy.raw"
boot_script "$tmp/q" 'head -c 4194304 /dev/urandom >/tmp/blob
dd if=/tmp/blob of=/dev/vda bs=65536 seek=200 conv=fsync 2>/dev/null
dd if=/tmp/blob of=/dev/vdb bs=65536 seek=200 conv=fsync 2>/dev/null
echo written' --memory 256M --disk "$tmp/copy.raw" --disk "$tmp/disk.qcow2"
grep -q "^written" "$tmp/q"
report $? "guest writes the same data to a raw and a qcow2 disk"
qemu-img check -q "$tmp/disk.qcow2"
report $? "qemu-img check: the qcow2 written by the guest has no errors"
qemu-img compare -q "$tmp/copy.raw" "$tmp/disk.qcow2"
report $? "qemu-img compare: the qcow2 disk equals the raw disk"

# an overlay on a base leaves the base byte-identical
truncate -s 64M "$tmp/fresh.raw"
mkfs.ext4 -q -F "$tmp/fresh.raw"
qemu-img convert -O qcow2 "$tmp/fresh.raw" "$tmp/base.qcow2"
base_sum=$(sha256sum <"$tmp/base.qcow2")
qemu-img create -q -f qcow2 -b "$tmp/base.qcow2" -F qcow2 "$tmp/overlay.qcow2"
boot_script "$tmp/o" 'mount /dev/vda /mnt && echo changed >/mnt/new && sync && umount /mnt && echo overlay-ok' --memory 256M --disk "$tmp/overlay.qcow2"
grep -q "^overlay-ok" "$tmp/o" && [ "$(sha256sum <"$tmp/base.qcow2")" = "$base_sum" ]
report $? "writes go to the overlay; the base image is unchanged"
qemu-img check -q "$tmp/overlay.qcow2"
report $? "qemu-img check: the overlay has no errors"

# read-only
ro_sum=$(sha256sum <"$tmp/disk.raw")
boot_script "$tmp/ro" 'cat /sys/block/vda/ro
if dd if=/dev/zero of=/dev/vda bs=4096 count=1 conv=fsync 2>/dev/null; then echo write-ok; else echo write-refused; fi' --memory 256M --disk "$tmp/disk.raw,readonly"
grep -q "^1" "$tmp/ro" && grep -q "^write-refused" "$tmp/ro" && [ "$(sha256sum <"$tmp/disk.raw")" = "$ro_sum" ]
report $? "a readonly disk is read-only in the guest and unchanged"

# entropy
boot_script "$tmp/rng" 'cat /sys/class/misc/hw_random/rng_current; head -c 64 /dev/hwrng | wc -c' --memory 256M
grep -q "^virtio_rng" "$tmp/rng" && grep -q "^64$" "$tmp/rng"
report $? "virtio-rng is the guest's hardware RNG and gives bytes"
