#!/bin/bash
# Installs the Debian packages gasang's build and tests need, when missing.
# Idempotent: does nothing (and needs no network) when all are present.
set -euo pipefail

packages=(
	gcc make pkg-config
	libfdt-dev device-tree-compiler zlib1g-dev qemu-utils
	libslirp-dev libglib2.0-dev libjansson-dev curl jq python3 openssh-client
	debootstrap
	gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu libc6-dev-riscv64-cross
	qemu-system-misc
	clang-format
	opensbi u-boot-qemu
	cpio xz-utils debian-archive-keyring fakeroot
	tmux e2fsprogs procps
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	sudo=sudo
else
	sudo=
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
