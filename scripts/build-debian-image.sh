#!/bin/bash
# Builds the "debian" image: a Debian trixie riscv64 system with systemd,
# DHCP networking (systemd-networkd), a getty on the serial console,
# openssh-server and the packages asked for. `gasang image build debian`
# runs this; it can also be run by hand:
#
#   scripts/build-debian-image.sh --home DIR --gasang BIN [--packages A,B]
#                                 [--size 4G] [--name debian] [--force]
#
# The host does what needs no riscv64 code: debootstrap --foreign
# downloads the packages (each checked against the archive's signed
# index) and unpacks them, the files gasang's VMs need are written, and
# mke2fs -d makes the ext4 file system without mounting anything. The
# second stage (dpkg configuring every package) runs riscv64 code, so it
# runs inside a gasang VM that this script starts. The result is
# images/NAME/ with a qcow2 base disk, the kernel and gasang's initramfs
# (which mounts the disk and hands over to systemd).
#
# Restartable: each finished step leaves a marker in the work folder
# ($GASANG_CACHE/image-build/NAME); an interrupted build goes on from the
# last finished step, downloaded packages are kept.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
home=${GASANG_HOME:-$HOME/.local/share/gasang}
cache=${GASANG_CACHE:-$HOME/.cache/gasang}
gasang=$repo/build/gasang
name=debian
size=4G
extra=
force=0
suite=trixie
mirror=http://deb.debian.org/debian
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
base_pkgs=systemd,systemd-sysv,udev,dbus,iproute2,openssh-server,kmod,ca-certificates,sudo,procps,less,netbase,psmisc

die() {
	echo "gasang: image build: $*" >&2
	exit 1
}
usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
	case "$1" in
	--home) home=${2:?--home needs a folder}; shift 2 ;;
	--gasang) gasang=${2:?--gasang needs a file}; shift 2 ;;
	--packages) extra=${2?--packages needs a list}; shift 2 ;;
	--size) size=${2:?--size needs a size}; shift 2 ;;
	--name) name=${2:?--name needs a name}; shift 2 ;;
	--force) force=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown argument '$1' (try --help)" ;;
	esac
done
[[ $name =~ ^[a-z0-9][a-z0-9-]{0,62}$ ]] || die "'$name' is not an image name"
[[ $extra =~ ^[a-z0-9.+,-]*$ ]] ||
	die "--packages: '$extra' is not a comma-separated list of package names"
[[ $size =~ ^[0-9]+[MG]$ ]] || die "--size: '$size' is not a size like 4G"
case $size in
*G) mb=$((${size%G} * 1024)) ;;
*M) mb=${size%M} ;;
esac
[ "$mb" -ge 1024 ] && [ "$mb" -le 262144 ] ||
	die "--size: from 1G to 256G"
[ -x "$gasang" ] || die "$gasang is not built (run make)"
dest=$home/images/$name
if [ -e "$dest" ] && [ "$force" = 0 ]; then
	die "image '$name' exists (use --force to build it again)"
fi
for tool in debootstrap mke2fs; do
	command -v "$tool" >/dev/null ||
		die "$tool is missing (apt-get install debootstrap e2fsprogs)"
done
[ "$(id -u)" = 0 ] || die "debootstrap needs root"

pkgs=$base_pkgs${extra:+,$extra}
work=$cache/image-build/$name
# a different package list is a different build: start over
key=$(printf '%s %s %s\n' "$suite" "$pkgs" "$size" | sha256sum | cut -c1-16)
if [ -f "$work/key" ] && [ "$(cat "$work/key")" != "$key" ]; then
	rm -rf "$work/root" "$work"/*.done "$work/root.img"
fi
mkdir -p "$work/debs"
echo "$key" >"$work/key"
steps=6
step() { echo "[$1/$steps] $2"; }
# on a terminal a line that redraws itself; otherwise plain lines, fewer
if [ -t 1 ]; then
	tty=1
	progress() { printf '\r  %-60.60s' "$1"; }
else
	tty=0
	progress() { echo "  $1"; }
fi
done_() { [ -f "$work/$1.done" ]; }
mark() { touch "$work/$1.done"; }

assets=$cache/assets
"$repo/scripts/fetch-guest-assets.sh" --cache "$assets" >/dev/null ||
	die "cannot fetch the kernel and initramfs"

if ! done_ stage1; then
	step 1 "downloading and unpacking $suite riscv64 ($pkgs)"
	rm -rf "$work/root"
	debootstrap --foreign --arch=riscv64 --variant=minbase \
		--keyring="$keyring" --cache-dir="$work/debs" \
		--include="$pkgs" "$suite" "$work/root" "$mirror" |
		while read -r line; do
			case "$line" in
			"I: Retrieving "* | "I: Extracting "*)
				[ "$tty" = 1 ] && progress "${line#I: }" ;;
			esac
		done
	[ "${PIPESTATUS[0]}" = 0 ] || die "debootstrap failed"
	[ "$tty" = 1 ] && printf '\r%-64s\r' ""
	mark stage1
else
	step 1 "packages already downloaded and unpacked"
fi

if ! done_ files; then
	step 2 "writing the system's configuration"
	r=$work/root
	echo "$name" >"$r/etc/hostname"
	printf '/dev/vda / ext4 defaults,errors=remount-ro 0 1\n' >"$r/etc/fstab"
	printf 'nameserver 10.0.2.3\n' >"$r/etc/resolv.conf"
	mkdir -p "$r/etc/systemd/network"
	printf '[Match]\nName=en* eth*\n\n[Network]\nDHCP=ipv4\n' \
		>"$r/etc/systemd/network/50-gasang.network"
	# the kernel's modules, for udev and modprobe inside the system
	kdeb=$(ls "$assets"/debs/linux-image-*.deb)
	dpkg-deb -x "$kdeb" "$work/kernel"
	mkdir -p "$r/usr/lib/modules"
	cp -a "$work/kernel/usr/lib/modules/." "$r/usr/lib/modules/"
	kver=$(ls "$work/kernel/usr/lib/modules")
	rm -rf "$work/kernel"
	# first boot of each VM: its name, the user's key, fresh host keys
	install -D -m 755 "$repo/scripts/guest/provision" \
		"$r/usr/local/sbin/gasang-provision"
	cat >"$r/etc/systemd/system/gasang-provision.service" <<'EOF'
[Unit]
Description=gasang: hostname, SSH key and host keys from the VM's settings
DefaultDependencies=no
After=local-fs.target
Before=network-pre.target ssh.service systemd-logind.service
Wants=network-pre.target

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/gasang-provision

[Install]
WantedBy=multi-user.target
EOF
	cat >"$r/gasang-stage2" <<EOF
#!/bin/sh
# run in the chroot by the build VM: debootstrap's second stage, then
# the services the image starts
set -e
/debootstrap/debootstrap --second-stage
depmod -a $kver
systemctl enable systemd-networkd gasang-provision ssh
systemctl enable serial-getty@ttyS0 || true
rm -f /etc/ssh/ssh_host_*
passwd -d root
apt-get clean
EOF
	chmod 755 "$r/gasang-stage2"
	mark files
else
	step 2 "configuration already written"
fi

# the second stage changes the file system: one that was interrupted
# leaves it half configured, so both steps start again from the tree
if ! done_ stage2; then
	step 3 "making the ext4 file system ($size)"
	rm -f "$work/root.img"
	mke2fs -q -F -t ext4 -L root -d "$work/root" "$work/root.img" "${mb}M"
else
	step 3 "file system already made"
fi

if ! done_ stage2; then
	step 4 "configuring the packages inside a gasang VM (the long step)"
	script='mount /dev/vda /mnt || exit 1
mount -t proc proc /mnt/proc; mount -t sysfs sys /mnt/sys
mount -o bind /dev /mnt/dev
chroot /mnt /gasang-stage2 >/mnt/gasang-stage2.log 2>&1
echo "gasang: stage2 status $?"
rm -f /mnt/gasang-stage2
umount /mnt/dev /mnt/sys /mnt/proc; umount /mnt; sync'
	start=$(date +%s)
	"$gasang" run --engine jit --cpus 2 --memory 2G \
		--kernel "$assets/Image" \
		--initrd "$assets/initramfs.cpio.gz" \
		--disk "$work/root.img,format=raw" \
		--append "console=ttyS0 quiet no4lvl gasang.cmd=$(printf '%s\n' "$script" | base64 -w0)" \
		</dev/null >"$work/stage2.out" 2>&1 &
	vm=$!
	i=0
	while kill -0 "$vm" 2>/dev/null; do
		# every 5 s on a terminal, every minute otherwise
		if [ "$tty" = 1 ] || [ $((i % 12)) = 0 ]; then
			progress "$(($(date +%s) - start)) s"
		fi
		i=$((i + 1))
		sleep 5
	done
	wait "$vm" || true
	[ "$tty" = 1 ] && printf '\r%-64s\r' ""
	grep -q '^gasang: stage2 status 0' "$work/stage2.out" || {
		echo "gasang: image build: the second stage failed; the end of its log:" >&2
		debugfs -R 'cat /gasang-stage2.log' "$work/root.img" 2>/dev/null |
			tail -15 >&2
		exit 1
	}
	echo "  second stage done in $(($(date +%s) - start)) s"
	mark stage2
else
	step 4 "packages already configured"
fi

step 5 "making the qcow2 base image"
mkdir -p "$home/images"
part=$home/images/$name.partial
rm -rf "$part"
mkdir -p "$part"
"$gasang" img convert -O qcow2 "$work/root.img" "$part/disk.qcow2" >/dev/null
cp "$assets/Image" "$assets/initramfs.cpio.gz" "$part/"

step 6 "writing the manifest"
vsize=$((mb * 1024 * 1024))
cat >"$part/image.json" <<EOF
{
  "name": "$name",
  "kernel": "Image",
  "initrd": "initramfs.cpio.gz",
  "disk": "disk.qcow2",
  "disk_format": "qcow2",
  "disk_size": $vsize,
  "append": "console=ttyS0 quiet no4lvl gasang.root=/dev/vda",
  "ssh": true,
  "built": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "packages": "$suite: ${pkgs//,/ }"
}
EOF
rm -rf "$home/images/$name.old"
[ -e "$dest" ] && mv "$dest" "$home/images/$name.old"
mv "$part" "$dest"
rm -rf "$home/images/$name.old"
echo "image $name built in $dest"
