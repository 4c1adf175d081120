#!/bin/bash
# Crash safety of the virtio disks: the guest writes numbered 4 KiB
# records with fsync (dd conv=fsync: the data, then a virtio FLUSH) and
# prints "ack I" only once record I is on all four disks; the test kills
# gasang with SIGKILL a few acks in, at a different moment each run. After
# every kill, qemu-img check (the independent checker) must find no
# corruption in the qcow2 images (leaked clusters are allowed), every
# acknowledged record must be intact, and nothing but record blocks may
# differ from the images' initial contents. The next boot reads all four
# disks in the guest and must see what qemu-img sees.
#
# Disks: vda raw; vdb qcow2 from qemu-img (64 KiB clusters); vdc qcow2 from
# qemu-img with 4 KiB clusters (every record allocates a cluster, new L2
# tables and refcount blocks come often); vdd a qcow2 overlay from
# 'gasang img create' on a raw base full of random bytes (records are
# partial clusters: copy-on-write from the base).
#
# Record I is 'yes "rec I" | head -c 4096' at 4 KiB block 8*I.
set -u
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh
require_assets
for tool in qemu-img pgrep cmp; do
	if ! command -v $tool >/dev/null; then
		report 1 "$tool missing (packages qemu-utils, procps, diffutils)"
		exit 0
	fi
done
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT

SIZE=64M
# acks to wait for in each run before its kill (one run per entry)
KILL_AT=${CRASH_KILL_AT:-"3 8 14"}
LAST=2000
disks=(raw q64 q4k ovl)

truncate -s $SIZE "$tmp/zero.raw"
head -c $SIZE /dev/urandom >"$tmp/base.raw"
truncate -s $SIZE "$tmp/raw.img"
qemu-img create -q -f qcow2 "$tmp/q64.img" $SIZE
qemu-img create -q -f qcow2 -o cluster_size=4096 "$tmp/q4k.img" $SIZE
"$G" img create -f qcow2 -b base.raw -F raw "$tmp/ovl.img" >/dev/null
report $? "gasang img create makes a qcow2 overlay on a raw base"

disk_args=(--disk "$tmp/raw.img,format=raw" --disk "$tmp/q64.img"
	--disk "$tmp/q4k.img" --disk "$tmp/ovl.img")

# guest_script SPAN FROM: prints the md5 of each disk's first SPAN records'
# blocks, then writes records FROM, FROM+1, ... with an ack after each
guest_script() {
	cat <<EOF
for d in a b c d; do echo "sum vd\$d \$(head -c $(($1 * 32768)) /dev/vd\$d | md5sum)"; done
i=$2
while [ \$i -lt $LAST ]; do
yes "rec \$i" | head -c 4096 >/tmp/r
for d in a b c d; do dd if=/tmp/r of=/dev/vd\$d bs=4096 seek=\$((i * 8)) conv=fsync 2>/dev/null || exit 1; done
echo "ack \$i"
i=\$((i + 1))
done
EOF
}

last_ack() {
	grep -a -o '^ack [0-9]*' "$1" 2>/dev/null | tail -1 | cut -d' ' -f2
}

# the virtual disk's bytes as a raw file
view() {
	case $1 in
	raw) echo "$tmp/raw.img" ;;
	*)
		rm -f "$tmp/$1.view"
		qemu-img convert -O raw "$tmp/$1.img" "$tmp/$1.view" &&
			echo "$tmp/$1.view"
		;;
	esac
}

# check_view FILE INITIAL ACKED: records 1..ACKED intact, and every other
# differing byte inside a record block
check_view() {
	local f=$1 initial=$2 acked=$3 i stray
	for i in $(seq 1 "$acked"); do
		dd if="$f" bs=4096 skip=$((i * 8)) count=1 2>/dev/null |
			cmp -s - <(yes "rec $i" | head -c 4096) || {
			echo "# record $i is not intact in $f"
			return 1
		}
	done
	stray=$(cmp -l "$initial" "$f" |
		awk '{ b = int(($1 - 1) / 4096); if (b % 8 || b == 0) n++ }
		     END { print n + 0 }')
	[ "$stray" = 0 ] || {
		echo "# $stray bytes outside record blocks changed in $f"
		return 1
	}
}

initial() {
	[ "$1" = ovl ] && echo "$tmp/base.raw" || echo "$tmp/zero.raw"
}

# sums_match OUT FROM: the guest's md5 of each disk equals qemu-img's
sums_match() {
	local out=$1 from=$2 letters=(a b c d) k d want got
	for k in 0 1 2 3; do
		d=${disks[$k]}
		want=$(head -c $((from * 32768)) "$(view "$d")" | md5sum)
		got=$(sed -n "s/^sum vd${letters[$k]} //p" "$out" | head -1)
		if [ "$want" != "$got" ]; then
			echo "# $d: guest read '$got', qemu-img view '$want'"
			return 1
		fi
	done
}

from=1
acked=0
run=0
for target in $KILL_AT; do
	run=$((run + 1))
	out=$tmp/run$run
	boot_script_bg "$out" "$(guest_script $from $from)" --memory 256M "${disk_args[@]}"
	got=0
	while kill -0 "$BG_PID" 2>/dev/null; do
		a=$(last_ack "$out")
		[ -n "$a" ] && [ "$a" -ge $((from + target - 1)) ] &&
			{ got=1; break; }
		sleep 0.2
	done
	# a different moment in the write of the next record each time
	sleep "0.$((RANDOM % 10))"
	pid=$(pgrep -P "$BG_PID" | head -1)
	[ -n "$pid" ] && kill -KILL "$pid"
	wait "$BG_PID" 2>/dev/null
	sed -i 's/\r$//' "$out"
	a=$(last_ack "$out")
	[ $got = 1 ] && [ -n "$pid" ]
	report $? "run $run: killed with SIGKILL after ack ${a:-none} (from $from, $target acks wanted)"
	if [ $run -gt 1 ]; then
		sums_match "$out" "$from"
		report $? "run $run: the guest reads what qemu-img reads on all four disks after the previous kill"
	fi
	[ -n "$a" ] && acked=$a
	for d in q64 q4k ovl; do
		qemu-img check -q "$tmp/$d.img" >"$tmp/check" 2>&1
		rc=$?
		# 0: clean, 3: leaked clusters only
		[ $rc = 0 ] || [ $rc = 3 ] || sed 's/^/# /' "$tmp/check"
		[ $rc = 0 ] || [ $rc = 3 ]
		report $? "run $run: qemu-img check finds no corruption in $d after the kill (exit $rc)"
	done
	for d in "${disks[@]}"; do
		f=$(view "$d") && check_view "$f" "$(initial "$d")" "$acked"
		report $? "run $run: $d holds records 1-$acked intact and nothing else changed"
	done
	from=$((acked + 1))
done

# a last boot reads everything back
boot_script "$tmp/final" "$(guest_script $from $LAST)" --memory 256M "${disk_args[@]}"
grep -q "command exited with status 0" "$tmp/final" &&
	sums_match "$tmp/final" "$from"
report $? "a clean boot reads records 1-$acked on all four disks as qemu-img does"
