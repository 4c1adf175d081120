# Shared by the VM manager tests: a private $GASANG_HOME with the tiny
# image, TAP-like result lines, and a cleanup that ends every VM process
# the test started, even when the test fails half-way.
# Sourced from the repository root; the caller sets -u.

G=${GASANG:-build/gasang}
case "$G" in /*) ;; *) G=$PWD/$G ;; esac
# generous: the guest boots in 10-20 s of one free core, several times
# that on a loaded machine or in a sanitizer build
VM_TIMEOUT=${VM_TIMEOUT:-300}
n=0

report() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

# check DESCRIPTION COMMAND...: ok when the command succeeds
check() {
	local what=$1
	shift
	if "$@"; then report 0 "$what"; else report 1 "$what"; fi
}

# the pid of NAME's VM process from its run record, or nothing
vm_pid() {
	sed -n 's/.*"pid": *\([0-9]*\).*/\1/p' \
		"$GASANG_HOME/vms/$1/run.json" 2>/dev/null
}

vm_cleanup() {
	local d name pid cg
	for d in "$GASANG_HOME"/vms/*/; do
		[ -d "$d" ] || continue
		name=$(basename "$d")
		pid=$(vm_pid "$name")
		if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
			"$G" stop "$name" --force >/dev/null 2>&1 ||
				kill -9 "$pid" 2>/dev/null
		fi
		pid=$(vm_pid "$name")
		[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
		# cgroups of a killed run are empty; remove them
		for cg in $(sed -n 's/.*"cgroups": *\[\(.*\)\].*/\1/p' \
			"$d/run.json" 2>/dev/null | tr -d '"' | tr ',' ' '); do
			rmdir "$cg" 2>/dev/null
		done
	done
	rm -rf "$GASANG_HOME"
}

# vm_home: a fresh $GASANG_HOME with the tiny image; exits the test when
# the image cannot be built
vm_home() {
	GASANG_HOME=$(mktemp -d /tmp/gasang-vmtest.XXXXXX)
	export GASANG_HOME
	trap vm_cleanup EXIT
	if ! out=$("$G" image build tiny 2>&1); then
		report 1 "build the tiny image: $(echo "$out" | tail -1)"
		exit 0
	fi
}

# wait_log NAME PATTERN [TIMEOUT]: waits for PATTERN in NAME's console log
wait_log() {
	local i
	for ((i = 0; i < ${3:-$VM_TIMEOUT}; i++)); do
		"$G" logs "$1" 2>/dev/null | grep -q -- "$2" && return 0
		sleep 1
	done
	return 1
}

# state NAME: the STATE column of gasang list
state() {
	"$G" list | awk -v n="$1" '$1 == n { print $2 }'
}

# wait_state NAME STATE TIMEOUT
wait_state() {
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		[ "$(state "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# free_port: a TCP port nobody listens on (from a range the kernel does
# not hand out for outgoing connections)
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 12000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
}

# gone PID: the process has ended (a zombie counts: the VM process is not
# our child, and whoever reaps orphans here may take its time)
gone() {
	local st
	st=$(ps -o stat= -p "$1" 2>/dev/null)
	[ -z "$st" ] || [ "${st#Z}" != "$st" ]
}

# guest_cmd SCRIPT: the kernel argument that makes /init run SCRIPT
guest_cmd() {
	echo "gasang.cmd=$(printf '%s\n' "$1" | base64 -w0)"
}

# expect_error DESCRIPTION PATTERN ARGS...: exit 1, one stderr line
# "gasang: ..." matching PATTERN, nothing on stdout
expect_error() {
	local what=$1 pattern=$2 rc lines
	shift 2
	"$G" "$@" >"$GASANG_HOME/.out" 2>"$GASANG_HOME/.err" </dev/null
	rc=$?
	lines=$(wc -l <"$GASANG_HOME/.err")
	if [ $rc -eq 1 ] && [ "$lines" -eq 1 ] && [ ! -s "$GASANG_HOME/.out" ] &&
		grep -qE "^gasang: .*$pattern" "$GASANG_HOME/.err"; then
		report 0 "$what"
	else
		report 1 "$what (exit $rc, stderr: $(head -c 300 "$GASANG_HOME/.err"))"
	fi
}
