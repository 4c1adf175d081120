#!/bin/bash
# Disk images against an independent implementation: qemu-img and qemu-io
# (Debian's qemu-utils) check what `gasang img` and disk/ write, and
# disk/ must read what QEMU writes (plain, compressed, version 2, backing
# chains, small clusters). $BUILD/tests/unit/test_qcow2 is the reader and
# writer (--dump, --write, --stress). Also the crash test: a writer killed
# with SIGKILL at random points must leave no corruption (leaks are fine).
# Prints "ok N - what" / "not ok N - what" lines for tests/run.
set -u
G=${GASANG:-build/gasang}
B=${BUILD:-build}
T=$B/tests/unit/test_qcow2
CRASH_RUNS=${CRASH_RUNS:-4}
n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

report() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

if ! command -v qemu-img >/dev/null || ! command -v qemu-io >/dev/null; then
	report 1 "qemu-img and qemu-io (Debian's qemu-utils) are installed"
	exit 0
fi
if [ ! -x "$T" ]; then
	report 1 "$T is built"
	exit 0
fi

# clean IMG: qemu-img check finds neither corruption nor leaks
clean() { qemu-img check -q "$1" >/dev/null 2>&1; }
# qinfo IMG KEY: one field of qemu-img info's JSON
qinfo() {
	qemu-img info --output=json "$1" |
		sed -n "s/^ *\"$2\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}$/\1/p" |
		head -1
}
# reads IMG through disk/ and compares with qemu-img's raw conversion
reads_like_qemu() {
	qemu-img convert -O raw "$1" "$tmp/want.raw" &&
		"$T" --dump "$1" >"$tmp/got.raw" &&
		cmp -s "$tmp/want.raw" "$tmp/got.raw"
}
# our random writes to IMG and, with pwrite, to a raw copy; then qemu-img
# must find IMG clean and equal to the copy
writes_agree() {
	local img=$1 seed=$2 count=$3
	qemu-img convert -O raw "$img" "$tmp/model.raw" &&
		"$T" --write "$img" "$tmp/model.raw" "$seed" "$count" &&
		clean "$img" &&
		qemu-img compare -q "$img" "$tmp/model.raw"
}
# expect_error WHAT PATTERN ARGS...: exit 1, one stderr line, no stdout
expect_error() {
	local what=$1 pattern=$2
	shift 2
	"$G" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	local rc=$?
	if [ $rc -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
		[ ! -s "$tmp/out" ] && grep -qE "^gasang: .*$pattern" "$tmp/err"; then
		report 0 "$what"
	else
		report 1 "$what (exit $rc, stderr: $(head -c 300 "$tmp/err"))"
	fi
}

# --- gasang img create / info, checked by qemu-img -------------------------
"$G" img create "$tmp/a.qcow2" 10G >"$tmp/out" 2>&1 && clean "$tmp/a.qcow2"
report $? "img create qcow2: qemu-img check is clean"
[ "$(qinfo "$tmp/a.qcow2" format)" = qcow2 ] &&
	[ "$(qinfo "$tmp/a.qcow2" virtual-size)" = 10737418240 ] &&
	[ "$(qinfo "$tmp/a.qcow2" cluster-size)" = 65536 ] &&
	[ "$(qinfo "$tmp/a.qcow2" compat)" = 1.1 ] &&
	[ "$(qinfo "$tmp/a.qcow2" refcount-bits)" = 16 ] &&
	[ -z "$(qinfo "$tmp/a.qcow2" backing-filename)" ]
report $? "img create qcow2: qemu-img info agrees (format, size, v3, 64K, 16-bit)"

"$G" img create -f raw "$tmp/r.raw" 64M && [ "$(stat -c %s "$tmp/r.raw")" = 67108864 ] &&
	[ "$(stat -c %b "$tmp/r.raw")" = 0 ] && [ "$(qinfo "$tmp/r.raw" format)" = raw ]
report $? "img create -f raw: a sparse file of the size"

mkdir -p "$tmp/d"
"$G" img create -f raw "$tmp/d/base.raw" 96M &&
	"$G" img create -b base.raw "$tmp/d/ov.qcow2" && clean "$tmp/d/ov.qcow2" &&
	[ "$(qinfo "$tmp/d/ov.qcow2" virtual-size)" = 100663296 ] &&
	[ "$(qinfo "$tmp/d/ov.qcow2" backing-filename)" = base.raw ] &&
	[ "$(qinfo "$tmp/d/ov.qcow2" backing-filename-format)" = raw ]
report $? "img create -b: size from the backing file, name and format recorded"

"$G" img create -b ov.qcow2 -F qcow2 "$tmp/d/top.qcow2" 200M &&
	clean "$tmp/d/top.qcow2" &&
	[ "$(qinfo "$tmp/d/top.qcow2" virtual-size)" = 209715200 ] &&
	[ "$(qinfo "$tmp/d/top.qcow2" backing-filename-format)" = qcow2 ] &&
	qemu-img info --backing-chain "$tmp/d/top.qcow2" | grep -q 'base.raw'
report $? "img create -b on a qcow2 overlay: a three-file chain qemu-img follows"

"$G" img info "$tmp/d/top.qcow2" >"$tmp/out" &&
	grep -q '^format: qcow2 (version 3)$' "$tmp/out" &&
	grep -q '^virtual size: 200 MiB (209715200 bytes)$' "$tmp/out" &&
	grep -q '^cluster size: 65536$' "$tmp/out" &&
	grep -q '^backing file 1: ov.qcow2 .*qcow2, 100663296 bytes' "$tmp/out" &&
	grep -q '^backing file 2: base.raw .*raw, 100663296 bytes' "$tmp/out"
report $? "img info: format, sizes, cluster size, the backing chain"

# python3 validates the JSON when it is there; the fields are checked anyway
json_valid() {
	command -v python3 >/dev/null || return 0
	python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
c = j["backing_chain"]
assert j["format"] == "qcow2" and j["virtual_size"] == 209715200
assert j["cluster_size"] == 65536 and j["backing_file"] == "ov.qcow2"
assert [x["format"] for x in c] == ["qcow2", "raw"]
assert c[1]["virtual_size"] == 100663296 and "backing_file" not in c[1]
' "$1"
}
"$G" img info --json "$tmp/d/top.qcow2" >"$tmp/out" &&
	[ "$(wc -l <"$tmp/out")" -eq 1 ] &&
	grep -q '^{"file": "[^"]*/d/top.qcow2", "format": "qcow2", "virtual_size": 209715200, ' "$tmp/out" &&
	grep -q '"backing_chain": \[{"file": "[^"]*/d/ov.qcow2", "format": "qcow2", ' "$tmp/out" &&
	grep -q '{"file": "[^"]*/d/base.raw", "format": "raw", "virtual_size": 100663296, "disk_size": [0-9]*}\]}$' "$tmp/out" &&
	json_valid "$tmp/out"
report $? "img info --json: one valid JSON object with the chain"

qemu-img create -q -f qcow2 "$tmp/q.qcow2" 3G &&
	"$G" img info "$tmp/q.qcow2" | grep -q 'virtual size: 3 GiB (3221225472 bytes)'
report $? "img info reads an image qemu-img made"

"$G" img --help | grep -q '^usage: gasang img create' &&
	"$G" img create --help | grep -q 'never overwrites'
report $? "img --help tells the usage, exit 0"

expect_error "create over an existing file" "already exists" img create "$tmp/a.qcow2" 1G
expect_error "bad size" "is not a size" img create "$tmp/x.qcow2" 10Q
expect_error "size not a multiple of 512" "multiple of 512" img create "$tmp/x.qcow2" 1000
expect_error "no size, no backing" "SIZE is required" img create "$tmp/x.qcow2"
expect_error "unknown format" "--format" img create -f vmdk "$tmp/x.qcow2" 1G
expect_error "raw with a backing file" "raw image cannot" img create -f raw -b "$tmp/r.raw" "$tmp/x.raw"
expect_error "missing backing file" "nope.raw.*No such file" img create -b nope.raw "$tmp/x.qcow2"
expect_error "unknown option" "unknown option" img create --frob "$tmp/x.qcow2" 1G
expect_error "unknown subcommand" "unknown subcommand" img frobnicate a b
expect_error "info on a missing file" "No such file" img info "$tmp/nope"
head -c 100 "$tmp/a.qcow2" >"$tmp/trunc.qcow2"
expect_error "info on a truncated qcow2" "outside the file|truncated" img info "$tmp/trunc.qcow2"
[ ! -e "$tmp/x.qcow2" ] && [ ! -e "$tmp/x.raw" ]
report $? "failed creates leave no file behind"

# --- reading what QEMU wrote ------------------------------------------------
qemu-img create -q -f qcow2 "$tmp/w.qcow2" 64M &&
	qemu-io -f qcow2 -c 'write -P 0xab 0 1M' -c 'write -P 0x11 3M 4k' \
		-c 'write -P 0x22 65024 1024' -c 'write -z 8M 2M' \
		-c 'write -P 0x33 63M 1M' "$tmp/w.qcow2" >/dev/null &&
	reads_like_qemu "$tmp/w.qcow2"
report $? "reads an image written by qemu-io"

head -c 8M /dev/urandom >"$tmp/pat.raw"
yes 'gasang compressed cluster ' | head -c 8M >>"$tmp/pat.raw"
truncate -s 20M "$tmp/pat.raw"
ok=0
for cs in 512 4096 65536 2M; do
	rm -f "$tmp/c.qcow2"
	qemu-img convert -q -c -O qcow2 -o cluster_size=$cs "$tmp/pat.raw" "$tmp/c.qcow2" &&
		"$T" --dump "$tmp/c.qcow2" | cmp -s - "$tmp/pat.raw" || ok=1
done
report $ok "reads compressed clusters (qemu-img convert -c; 512, 4K, 64K, 2M clusters)"

qemu-img convert -q -O qcow2 -o compat=0.10 "$tmp/pat.raw" "$tmp/v2.qcow2" &&
	[ "$(qinfo "$tmp/v2.qcow2" compat)" = 0.10 ] &&
	"$T" --dump "$tmp/v2.qcow2" | cmp -s - "$tmp/pat.raw"
report $? "reads a version 2 image"

qemu-img create -q -f qcow2 "$tmp/qb.qcow2" 32M &&
	qemu-io -c 'write -P 0x44 0 2M' -c 'write -P 0x45 16M 64k' "$tmp/qb.qcow2" >/dev/null &&
	qemu-img create -q -f qcow2 -b qb.qcow2 -F qcow2 "$tmp/qo.qcow2" 40M &&
	qemu-io -c 'write -P 0x46 1M 1536' -c 'write -z 16M 64k' -c 'write -P 0x47 33M 512' \
		"$tmp/qo.qcow2" >/dev/null &&
	reads_like_qemu "$tmp/qo.qcow2"
report $? "reads a qemu-made overlay (zero clusters, larger than its backing)"

# --- our writes, checked by qemu-img ----------------------------------------
qemu-img create -q -f qcow2 "$tmp/x1.qcow2" 48M && writes_agree "$tmp/x1.qcow2" 1 400
report $? "writes to a qemu-made image: check clean, compare equal"

"$G" img create "$tmp/x2.qcow2" 48M && writes_agree "$tmp/x2.qcow2" 2 400
report $? "writes to our own image: check clean, compare equal"

qemu-img create -q -f qcow2 -o cluster_size=512 "$tmp/x3.qcow2" 24M &&
	writes_agree "$tmp/x3.qcow2" 3 200 &&
	[ "$(od -An -tx1 -j48 -N8 "$tmp/x3.qcow2" | tr -d ' ')" != 0000000000000200 ]
report $? "writes with 512-byte clusters (refcount table grows): clean, equal"

cp "$tmp/c.qcow2" "$tmp/x4.qcow2" && writes_agree "$tmp/x4.qcow2" 4 300
report $? "writes over compressed clusters: clean, equal"

qemu-img convert -q -c -O qcow2 -o cluster_size=4096 "$tmp/pat.raw" "$tmp/x4b.qcow2" &&
	writes_agree "$tmp/x4b.qcow2" 44 300
report $? "writes over compressed 4K clusters: clean, equal"

cp "$tmp/v2.qcow2" "$tmp/x5.qcow2" && writes_agree "$tmp/x5.qcow2" 5 300 &&
	[ "$(qinfo "$tmp/x5.qcow2" compat)" = 0.10 ]
report $? "writes to a version 2 image: clean, equal, still version 2"

cp "$tmp/qo.qcow2" "$tmp/qo2.qcow2" && writes_agree "$tmp/qo2.qcow2" 6 300
report $? "writes to a qemu-made overlay: clean, equal"

"$G" img create -f raw "$tmp/base.raw" 32M &&
	"$T" --write "$tmp/base.raw" /dev/null 7 100 &&
	"$G" img create -b base.raw "$tmp/ov1.qcow2" &&
	sha_before=$(sha256sum <"$tmp/base.raw") &&
	writes_agree "$tmp/ov1.qcow2" 8 400 &&
	[ "$(sha256sum <"$tmp/base.raw")" = "$sha_before" ]
report $? "overlay writes leave the raw base byte-identical (sha256)"

qemu-img convert -q -O qcow2 "$tmp/base.raw" "$tmp/base.qcow2" &&
	"$G" img create -b base.qcow2 "$tmp/ov2.qcow2" &&
	sha_before=$(sha256sum <"$tmp/base.qcow2") &&
	writes_agree "$tmp/ov2.qcow2" 9 400 &&
	[ "$(sha256sum <"$tmp/base.qcow2")" = "$sha_before" ] && clean "$tmp/base.qcow2"
report $? "overlay writes leave the qcow2 base byte-identical (sha256)"

# --- crash consistency: SIGKILL at random points ----------------------------
# qemu-img check: 0 clean, 3 leaks only (acceptable), 2 corruption
crash_test() {
	local img=$1 runs=$2 bad=0 rc pid
	for i in $(seq "$runs"); do
		"$T" --stress "$img" "$RANDOM$i" >"$tmp/stress.out" 2>&1 &
		pid=$!
		for _ in $(seq 100); do
			grep -q ready "$tmp/stress.out" 2>/dev/null && break
			sleep 0.02
		done
		sleep "0.$((RANDOM % 40 + 5))"
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		qemu-img check "$img" >"$tmp/check.out" 2>&1
		rc=$?
		if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
			bad=1
			echo "# run $i: qemu-img check exit $rc" >&2
			head -5 "$tmp/check.out" >&2
		fi
	done
	return $bad
}
"$G" img create "$tmp/crash.qcow2" 256M && crash_test "$tmp/crash.qcow2" "$CRASH_RUNS"
report $? "SIGKILL during writes ($CRASH_RUNS runs): no corruption"

qemu-img create -q -f qcow2 -o cluster_size=512 "$tmp/crash512.qcow2" 64M &&
	crash_test "$tmp/crash512.qcow2" "$CRASH_RUNS"
report $? "SIGKILL during writes, 512-byte clusters ($CRASH_RUNS runs): no corruption"

"$G" img create -f raw "$tmp/cbase.raw" 64M &&
	"$G" img create -b cbase.raw "$tmp/cov.qcow2" &&
	crash_test "$tmp/cov.qcow2" "$CRASH_RUNS"
report $? "SIGKILL during overlay writes ($CRASH_RUNS runs): no corruption"

# convert: raw with data and holes to qcow2 and back; QEMU must agree
truncate -s 40M "$tmp/cv.raw"
head -c 3M /dev/urandom | dd of="$tmp/cv.raw" bs=64K seek=100 conv=notrunc 2>/dev/null
printf 'tail' | dd of="$tmp/cv.raw" bs=1 seek=$((40 * 1024 * 1024 - 4)) conv=notrunc 2>/dev/null
"$G" img convert "$tmp/cv.raw" "$tmp/cv.qcow2" && clean "$tmp/cv.qcow2" &&
	qemu-img compare -q "$tmp/cv.raw" "$tmp/cv.qcow2"
report $? "img convert raw to qcow2: qemu-img finds it clean and equal"
used=$(qemu-img check "$tmp/cv.qcow2" | sed -n 's/^\([0-9]*\)\/.*allocated.*/\1/p')
[ -n "$used" ] && [ "$used" -le 50 ]
report $? "img convert leaves zeroes unallocated ($used of 640 clusters)"
"$G" img convert -O raw "$tmp/cv.qcow2" "$tmp/cv2.raw" &&
	cmp -s "$tmp/cv.raw" "$tmp/cv2.raw"
report $? "img convert qcow2 back to raw gives the same bytes"
out=$("$G" img convert "$tmp/cv.raw" "$tmp/cv.qcow2" 2>&1)
[ $? = 1 ] && grep -q "exists" <<<"$out" && clean "$tmp/cv.qcow2"
report $? "img convert refuses to overwrite its destination ($out)"
