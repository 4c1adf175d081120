#!/bin/bash
# The interactive console as a person uses it, in a real terminal (tmux):
# the guest shell answers, Ctrl-C reaches the guest instead of killing
# gasang, Ctrl-A x quits, and the terminal is back in cooked mode after.
set -u
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh
require_assets
if ! command -v tmux >/dev/null; then
	report 1 "tmux missing (package tmux)"
	exit 0
fi
tmp=$(mktemp -d)
sess=gasang-console-$$
trap 'tmux kill-session -t $sess 2>/dev/null; rm -rf "$tmp"' EXIT

tmux new-session -d -s "$sess" -x 120 -y 40 \
	"$G run --engine $ENGINE --kernel $KERNEL --initrd $INITRD --append 'console=ttyS0 quiet' --memory 256M; echo EXIT=\$?; stty -a >$tmp/stty; sleep 60"
screen() { tmux capture-pane -t "$sess" -p -S -200; }
wait_screen() {
	local deadline=$((SECONDS + $2))
	while [ $SECONDS -lt $deadline ]; do
		screen | grep -qE -- "$1" && return 0
		sleep 0.2
	done
	return 1
}

wait_screen 'gasang:/#' "$BOOT_TIMEOUT"
report $? "shell prompt on the console"
tmux send-keys -t "$sess" 'echo answer-$((40+2))' Enter
wait_screen '^answer-42' 30
report $? "the guest shell runs a typed command"
tmux send-keys -t "$sess" 'sleep 1000' Enter
sleep 1
tmux send-keys -t "$sess" C-c
tmux send-keys -t "$sess" 'echo after-interrupt' Enter
wait_screen '^after-interrupt' 30
report $? "Ctrl-C interrupts the guest's command, not gasang"
tmux send-keys -t "$sess" C-a x
wait_screen 'EXIT=0' 30
report $? "Ctrl-A x quits with status 0"
for i in $(seq 1 50); do [ -s "$tmp/stty" ] && break; sleep 0.1; done
grep -qE '(^| )icanon' "$tmp/stty" && grep -qE '(^| )echo( |$)' "$tmp/stty"
report $? "terminal restored to cooked mode with echo"
