#!/usr/bin/env bash
# The main job until Linux boots: run the bare-metal integer benchmark
# (bench/mips.c) under gasang's interpreter and show what the guest prints.
# `make demo` builds build/gasang and build/bench/mips.elf first.
set -u

cd "$(dirname "$0")/.." || exit 1

elf=build/bench/mips.elf
cmd=(build/gasang run --bios none --kernel "$elf" --memory 64M)

for f in build/gasang "$elf"; do
	if [ ! -e "$f" ]; then
		echo "demo: $f missing; run 'make demo'" >&2
		exit 1
	fi
done

echo "demo: gasang interprets a bare-metal RV64GC benchmark (~2.5G insns); the guest prints its MIPS"
echo "\$ ${cmd[*]}"
"${cmd[@]}"
status=$?
echo "gasang exited with status $status"
exit "$status"
