#!/usr/bin/env bash
# CPU engine speed: runs build/bench/mips.elf (bench/mips.c) under gasang's
# interpreter, under its JIT (--engine jit) and under
# qemu-system-riscv64 -machine spike, each BENCH_RUNS times
# (default 5), times every run from outside, and reports MIPS from the
# median wall time and from the median host CPU time (user + system) of
# the emulator process. On a shared, loaded host the wall time mostly
# measures the wait for a core; the CPU time is the fairer comparison. The instruction count is gasang's instret as printed by
# the guest; it is deterministic, and the same count is used for QEMU,
# whose instret without -icount counts host cycles, not instructions.
# Builds nothing: `make bench` builds first; bench/run runs every benchmark.
set -u

cd "$(dirname "$0")/.." || exit 1

runs=${BENCH_RUNS:-5}
elf=build/bench/mips.elf
gasang=build/gasang
gasang_cmd=("$gasang" run --bios none --kernel "$elf" --memory 64M)
engines=(interp jit)
qemu_cmd=(qemu-system-riscv64 -machine spike -bios none -kernel "$elf"
	-nographic -m 64M)
out=$(mktemp)
cpu_out=$(mktemp)
trap 'rm -f "$out" "$cpu_out"' EXIT

if [ ! -x /usr/bin/time ]; then
	echo "bench: installing GNU time for the CPU figures"
	apt-get install -y -qq time >/dev/null 2>&1 ||
		{ echo "bench: apt-get install time failed" >&2; exit 1; }
fi

for f in "$gasang" "$elf"; do
	if [ ! -e "$f" ]; then
		echo "bench: $f missing; run 'make bench-build' (or 'make bench')" >&2
		exit 1
	fi
done

# run_one NAME CMD...: one timed run; sets $secs (wall) and $cpu (user +
# system), prints nothing on success
run_one() {
	local name=$1 t0 t1 rc
	shift
	t0=$(date +%s%N)
	timeout 900 /usr/bin/time -f '%U %S' -o "$cpu_out" "$@" </dev/null \
		>"$out" 2>&1
	rc=$?
	t1=$(date +%s%N)
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	cpu=$(awk 'NF == 2 { printf "%.3f", $1 + $2 }' "$cpu_out")
	if [ "$rc" -ne 0 ] || [ -z "$cpu" ] || ! grep -q '^checksum ok' "$out"; then
		echo "bench: $name run failed (exit status $rc):" >&2
		sed 's/^/  | /' "$out" >&2
		exit 1
	fi
}

median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
		END { if (NR % 2) print v[(NR + 1) / 2];
		      else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
echo "machine: ${cpu:-unknown CPU}, $(nproc) CPUs online, $(uname -sr)"
echo "guest program: $elf ($runs runs per emulator, wall time from outside)"
echo "gasang command: ${gasang_cmd[*]} --engine ENGINE (${engines[*]})"

have_qemu=1
if command -v qemu-system-riscv64 >/dev/null 2>&1; then
	echo "qemu command:   ${qemu_cmd[*]}"
	echo "qemu version:   $(qemu-system-riscv64 --version | head -n 1)"
else
	have_qemu=0
	echo "qemu: qemu-system-riscv64 not found (Debian: qemu-system-misc);" \
		"reporting gasang only"
fi

insns=
declare -A med mips cmed cmips
for engine in "${engines[@]}"; do
	times=()
	cpus=()
	for ((i = 1; i <= runs; i++)); do
		run_one "gasang ($engine)" "${gasang_cmd[@]}" --engine "$engine"
		n=$(awk '/^instret: [0-9]+ instructions/ { print $2; exit }' "$out")
		if [ -z "$n" ]; then
			echo "bench: gasang ($engine) printed no instret line" >&2
			exit 1
		fi
		if [ -n "$insns" ] && [ "$n" != "$insns" ]; then
			echo "bench: instret differs between runs ($insns, $n)" >&2
			exit 1
		fi
		insns=$n
		times+=("$secs")
		cpus+=("$cpu")
		echo "gasang $engine run $i: $secs s, CPU $cpu s"
	done
	med[$engine]=$(median "${times[@]}")
	mips[$engine]=$(awk -v n="$insns" -v s="${med[$engine]}" \
		'BEGIN { printf "%.1f", n / s / 1e6 }')
	cmed[$engine]=$(median "${cpus[@]}")
	cmips[$engine]=$(awk -v n="$insns" -v s="${cmed[$engine]}" \
		'BEGIN { printf "%.1f", n / s / 1e6 }')
done

qemu_times=()
qemu_cpus=()
if [ "$have_qemu" -eq 1 ]; then
	for ((i = 1; i <= runs; i++)); do
		run_one qemu "${qemu_cmd[@]}"
		qemu_times+=("$secs")
		qemu_cpus+=("$cpu")
		echo "qemu run $i:   $secs s, CPU $cpu s"
	done
fi

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'
}

echo "guest instructions: $insns (gasang instret, the same for every engine)"
for engine in "${engines[@]}"; do
	echo "gasang $engine: median ${med[$engine]} s, ${mips[$engine]} MIPS;" \
		"CPU median ${cmed[$engine]} s, ${cmips[$engine]} MIPS per CPU second"
done
echo "jit/interp: $(ratio "${mips[jit]}" "${mips[interp]}")" \
	"(by CPU time: $(ratio "${cmips[jit]}" "${cmips[interp]}"))"
if [ "$have_qemu" -eq 1 ]; then
	q_med=$(median "${qemu_times[@]}")
	q_mips=$(awk -v n="$insns" -v s="$q_med" \
		'BEGIN { printf "%.1f", n / s / 1e6 }')
	q_cmed=$(median "${qemu_cpus[@]}")
	q_cmips=$(awk -v n="$insns" -v s="$q_cmed" \
		'BEGIN { printf "%.1f", n / s / 1e6 }')
	echo "qemu:   median $q_med s, $q_mips MIPS; CPU median $q_cmed s," \
		"$q_cmips MIPS per CPU second (same instruction count)"
	echo "interp/qemu: $(ratio "${mips[interp]}" "$q_mips")" \
		"(by CPU time: $(ratio "${cmips[interp]}" "$q_cmips"))"
	echo "jit/qemu: $(ratio "${mips[jit]}" "$q_mips")" \
		"(by CPU time: $(ratio "${cmips[jit]}" "$q_cmips"))"
fi
echo "checksum ok in every run"
