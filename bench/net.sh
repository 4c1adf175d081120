#!/usr/bin/env bash
# Network throughput: TCP MiB/s host to guest and guest to host through
# the user-mode network, for gasang (--net user,hostfwd=...) and for
# qemu-system-riscv64 -machine virt (-netdev user with the same hostfwd,
# -device virtio-net-device), same kernel, initramfs, firmware, memory
# and guest script, measured in the same run. Host to guest: the host
# sends BENCH_NET_MB MiB (default 64) to busybox "nc -l" in the guest
# through the forwarded port. Guest to host: the guest pipes as many
# zeros from dd into nc to a listener on the host (10.0.2.2 inside).
# Each is timed on the host, from the connection to the last byte.
set -u

cd "$(dirname "$0")/.." || exit 1
mb=${BENCH_NET_MB:-64}
assets=${GASANG_ASSETS:-${GASANG_CACHE:-$HOME/.cache/gasang}/assets}
kernel=$assets/Image
initrd=$assets/initramfs.cpio.gz
bios=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin

for f in build/gasang "$kernel" "$initrd" "$bios"; do
	if [ ! -e "$f" ]; then
		echo "bench/net: $f missing; run 'make bench'" >&2
		exit 1
	fi
done
if ! command -v python3 >/dev/null; then
	echo "bench/net: python3 missing" >&2
	exit 1
fi

# measure NAME CMD...: boots CMD (which gets the guest script and the
# forward through the environment), prints "NAME down MB/s up MB/s"
measure() {
	python3 - "$mb" "$@" <<'EOF'
import os, socket, subprocess, sys, threading, time

mb = int(sys.argv[1])
name, cmd = sys.argv[2], sys.argv[3:]
total = mb << 20

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port

# guest to host: a listener that counts bytes, timed from accept
up = socket.socket()
up.bind(("127.0.0.1", 0))
up.listen(1)
up_port = up.getsockname()[1]
up_result = {}

def receive():
    c, _ = up.accept()
    t0, n = time.monotonic(), 0
    while n < total:
        b = c.recv(1 << 16)
        if not b:
            break
        n += len(b)
    up_result["t"] = time.monotonic() - t0
    up_result["n"] = n
    c.close()

fwd = free_port()
script = ("echo bench-listen; nc -l -p 5001 >/dev/null; echo bench-rx-done\n"
          "dd if=/dev/zero bs=65536 count=%d 2>/dev/null | nc 10.0.2.2 %d;"
          " echo bench-tx-done\n" % (mb * 16, up_port))
import base64
b64 = base64.b64encode(script.encode()).decode()
cmd = [a.replace("@FWD@", str(fwd)).replace("@CMD@", b64) for a in cmd]
vm = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                      stderr=subprocess.STDOUT)
threading.Thread(target=receive, daemon=True).start()
down = None
deadline = time.monotonic() + 900
for raw in vm.stdout:
    line = raw.decode(errors="replace")
    if "bench-listen" in line and not line.startswith("echo"):
        # the guest's nc listens right after this line
        time.sleep(2)
        s = socket.create_connection(("127.0.0.1", fwd))
        buf = bytes(1 << 16)
        t0, sent = time.monotonic(), 0
        while sent < total:
            sent += s.send(buf[: min(len(buf), total - sent)])
        s.shutdown(socket.SHUT_WR)
        s.recv(1)  # the guest's nc closes after the last byte
        down = time.monotonic() - t0
        s.close()
    if "bench-tx-done" in line or time.monotonic() > deadline:
        break
vm.kill()
vm.wait()
if down is None or up_result.get("n") != total:
    print("%s failed: down %s, up %s bytes" % (name, down, up_result.get("n")))
    sys.exit(1)
print("%s %.2f %.2f" % (name, mb / down, mb / up_result["t"]))
EOF
}

append="console=ttyS0 quiet gasang.cmd=@CMD@"
gasang_cmd=(build/gasang run --kernel "$kernel" --initrd "$initrd"
	--bios "$bios" --memory 512M --append "$append"
	--net "user,hostfwd=tcp:127.0.0.1:@FWD@-:5001")
qemu_cmd=(qemu-system-riscv64 -machine virt -nographic -bios "$bios"
	-kernel "$kernel" -initrd "$initrd" -m 512M -append "$append"
	-netdev "user,id=n0,hostfwd=tcp:127.0.0.1:@FWD@-:5001"
	-device virtio-net-device,netdev=n0)

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
echo "transfer: $mb MiB each way, TCP through the forwarded port / 10.0.2.2"
g=$(measure gasang "${gasang_cmd[@]}") || { echo "bench/net: $g" >&2; exit 1; }
read -r _ gdown gup <<<"$g"
echo "gasang: host->guest $gdown MiB/s, guest->host $gup MiB/s"
if ! command -v qemu-system-riscv64 >/dev/null; then
	echo "qemu-system-riscv64 not installed: no comparison"
	exit 0
fi
q=$(measure qemu "${qemu_cmd[@]}") || { echo "bench/net: $q" >&2; exit 1; }
read -r _ qdown qup <<<"$q"
echo "qemu:   host->guest $qdown MiB/s, guest->host $qup MiB/s"
echo "gasang/qemu throughput ratio: host->guest $(awk -v a="$gdown" -v b="$qdown" 'BEGIN { printf "%.2f", a / b }'), guest->host $(awk -v a="$gup" -v b="$qup" 'BEGIN { printf "%.2f", a / b }') (above 1 is faster than QEMU)"
