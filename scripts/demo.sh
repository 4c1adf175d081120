#!/usr/bin/env bash
# The main job: boot Debian's riscv64 kernel through OpenSBI to a busybox
# shell in a gasang VM. On a terminal the shell is yours (type 'poweroff'
# or press Ctrl-A x to leave); otherwise the guest runs a few commands to
# show itself and powers off. 'make demo' builds gasang and fetches the
# guest assets first.
set -u

cd "$(dirname "$0")/.." || exit 1
assets=${GASANG_ASSETS:-${GASANG_CACHE:-$HOME/.cache/gasang}/assets}
for f in build/gasang "$assets/Image" "$assets/initramfs.cpio.gz"; do
	if [ ! -e "$f" ]; then
		echo "demo: $f missing; run 'make demo'" >&2
		exit 1
	fi
done

append="console=ttyS0"
if [ -t 0 ]; then
	echo "demo: booting Debian's riscv64 kernel to a shell (poweroff or Ctrl-A x to quit)"
else
	script='echo; echo "Hello from a gasang VM:"; uname -a; cat /proc/cpuinfo | head -4
grep MemTotal /proc/meminfo; echo "uptime: $(cut -d" " -f1 /proc/uptime) s"'
	append="$append quiet gasang.cmd=$(printf '%s\n' "$script" | base64 -w0)"
	echo "demo: booting Debian's riscv64 kernel; the guest runs a few commands and powers off"
fi
cmd=(build/gasang run --kernel "$assets/Image" --initrd "$assets/initramfs.cpio.gz"
	--memory 512M --append "$append")
echo "\$ build/gasang run --kernel $assets/Image --initrd $assets/initramfs.cpio.gz --memory 512M --append \"console=ttyS0\""
"${cmd[@]}"
status=$?
echo "demo: gasang exited with status $status"
exit "$status"
