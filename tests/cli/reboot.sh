#!/bin/bash
# A host stop must end a guest that resets in a loop, whatever moment of
# the reload it lands in: SIGTERM (power button, then forced off after
# --stop-timeout 1) while gasang reloads a guest that resets at once.
set -u
G=${GASANG:-build/gasang}
B=${BUILD:-build}
elf=$B/tests/cli/reboot_loop.elf
n=0
for engine in jit interp; do
	for delay in 0.2 0.35 0.5 0.8 1.1; do
		n=$((n + 1))
		start=$SECONDS
		timeout -s KILL 15 "$G" run --engine "$engine" --bios none \
			--kernel "$elf" --memory 64M --stop-timeout 1 \
			>/dev/null 2>&1 </dev/null &
		pid=$!
		sleep "$delay"
		kill -TERM $pid 2>/dev/null
		wait $pid
		rc=$?
		took=$((SECONDS - start))
		if [ $rc -eq 0 ] && [ $took -le 10 ]; then
			echo "ok $n - $engine: reset loop stopped by SIGTERM after ${delay}s (exit 0 in ${took}s)"
		else
			echo "not ok $n - $engine: reset loop stopped by SIGTERM after ${delay}s (exit $rc in ${took}s)"
		fi
	done
done
