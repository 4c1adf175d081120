#!/bin/bash
# Checks that includes point down the layers of STYLE.md:
#   cli -> vm -> machine -> {cpu, jit, dev, virtio, disk, net} -> mem -> util
#   jit -> cpu; virtio -> disk, net (its back ends); any device folder may
#   use the shared contracts dev/irq.h (interrupt wires) and dev/devtree.h
# Prints one line per violation; exits 1 when there is any.
set -u
cd "$(dirname "$0")/.."
declare -A allowed=(
	[util]="util"
	[mem]="mem util"
	[cpu]="cpu mem util"
	[jit]="jit cpu mem util"
	[dev]="dev mem util"
	[disk]="disk mem util"
	[net]="net mem util"
	[virtio]="virtio disk net mem util"
	[machine]="machine cpu jit dev virtio disk net mem util"
	[vm]="vm machine cpu jit dev virtio disk net mem util"
	[cli]="cli vm machine cpu jit dev virtio disk net mem util"
)
bad=0
for dir in "${!allowed[@]}"; do
	[ -d "$dir" ] || continue
	while IFS=: read -r file _ line; do
		inc=$(sed -n 's/^#include "\([a-z_]*\)\/.*"/\1/p' <<<"$line")
		[ -n "$inc" ] || {
			echo "$file: include without a folder: $line"
			bad=1
			continue
		}
		# the wire and device-tree contracts every device folder shares
		case "$line" in
		*'"dev/irq.h"'* | *'"dev/devtree.h"'*)
			[ "$dir" != mem ] && [ "$dir" != util ] && [ "$dir" != cpu ] && continue
			;;
		esac
		case " ${allowed[$dir]} " in
		*" $inc "*) ;;
		*)
			echo "$file: $dir/ must not include $inc/: $line"
			bad=1
			;;
		esac
	done < <(grep -n '^#include "' "$dir"/*.[ch] 2>/dev/null)
done
exit $bad
