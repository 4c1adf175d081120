#!/bin/bash
# HTIF as the bare-metal programs see it: console bytes reach stdout in
# order, and a compiled C workload runs to its checksum.
set -u
G=${GASANG:-build/gasang}
B=${BUILD:-build}

out=$("$G" run --bios none --kernel "$B/tests/isa/htif_console.elf" --memory 64M 2>&1)
rc=$?
if [ $rc -eq 0 ] && [ "$out" = "hello" ]; then
	echo "ok 1 - htif console output"
else
	echo "not ok 1 - htif console output (exit $rc, got '$out')"
fi

out=$("$G" run --bios none --kernel "$B/bench/mips.elf" --memory 64M 2>&1)
rc=$?
if [ $rc -eq 0 ] && grep -q "checksum ok" <<<"$out"; then
	echo "ok 2 - compiled C workload (bench/mips.c) checksum"
else
	echo "not ok 2 - compiled C workload (exit $rc): $(tail -3 <<<"$out")"
fi
