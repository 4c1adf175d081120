#!/bin/bash
# VM manager without booting: create, list, info, rm, and every kind of
# bad input (names, sizes, ports, images, existing and unknown VMs,
# corrupt configs), each with exit 1, one line and nothing changed.
set -u
cd "$(dirname "$0")/../.."
. tests/vm/lib.sh
vm_home
V=$GASANG_HOME/vms

# snapshot of the store, to show that a failed command changed nothing
store_state() {
	(cd "$GASANG_HOME" && find vms -printf '%p %s %m\n' | sort &&
		cat vms/*/config.json 2>/dev/null)
}

p1=$(free_port)
out=$("$G" create web --cpus 2 --memory 256M --disk-size 2G --port "$p1:80" 2>&1)
check "create web" [ $? = 0 ]
check "the VM directory is mode 0700" [ "$(stat -c %a "$V/web")" = 700 ]
check "GASANG_HOME is mode 0700" [ "$(stat -c %a "$GASANG_HOME")" = 700 ]
info=$(qemu-img info "$V/web/disk.qcow2" 2>&1)
check "disk.qcow2 is a 2 GiB qcow2 overlay on the image's disk" \
	grep -q "virtual size: 2 GiB" <<<"$info"
check "disk.qcow2 has the image's disk as its backing file" \
	grep -q "backing file: $GASANG_HOME/images/tiny/" <<<"$info"
check "qemu-img check finds the new disk consistent" \
	qemu-img check -q "$V/web/disk.qcow2"
"$G" create db >/dev/null 2>&1
check "create db with the defaults" [ -f "$V/db/config.json" ]

list=$("$G" list)
check "list has a header and two rows" [ "$(wc -l <<<"$list")" = 3 ]
check "list header" grep -qE '^NAME +STATE +CPUS +MEMORY +DISK +PORTS +UPTIME$' <<<"$list"
check "list row of web" grep -qE "^web +stopped +2 +256M +2G/[0-9.]+[KMB] +$p1->80 +-$" <<<"$list"
check "list row of db (defaults: 1 vCPU, 512M)" grep -qE '^db +stopped +1 +512M +1G/' <<<"$list"
# the columns line up: STATE starts at the same offset on every line
cols=$(awk '{ print index($0, $2) }' <<<"$list" | sort -u | wc -l)
check "list columns line up" [ "$cols" = 1 ]
json=$("$G" list --json)
check "list --json is an array of two" [ "$(jq length <<<"$json")" = 2 ]
check "list --json fields" [ "$(jq -r '.[] | select(.name=="web") | "\(.state) \(.cpus) \(.memory) \(.disk.size) \(.ports[0].host) \(.ports[0].guest)"' <<<"$json")" = "stopped 2 268435456 2147483648 $p1 80" ]
ij=$("$G" info web --json)
check "info --json" [ "$(jq -r '"\(.name) \(.state) \(.image) \(.cpus)"' <<<"$ij")" = "web stopped tiny 2" ]
check "info says no limits are in force while stopped" \
	grep -q "limits: *none in force (not running)" <(
		"$G" info web
	)

before=$(store_state)
expect_error "create an existing name" "web: a VM of that name exists" create web
expect_error "name with capitals" "Web: not a VM name" create Web
expect_error "name with a leading hyphen" "not a VM name" create -- -web
expect_error "name with a slash" "not a VM name" create a/b
expect_error "name of 64 characters" "not a VM name" create "$(printf 'a%.0s' {1..64})"
expect_error "name missing" "needs a VM name" create
expect_error "memory without units out of range" "--memory: '20000' is not a size" create m1 --memory 20000
expect_error "memory zero" "--memory" create m1 --memory 0
expect_error "memory not a size" "--memory: 'lots'" create m1 --memory lots
expect_error "cpus 0" "--cpus: '0'" create m1 --cpus 0
expect_error "cpus 33" "--cpus: '33'" create m1 --cpus 33
expect_error "disk size 5T" "--disk-size: '5T'" create m1 --disk-size 5T
expect_error "disk size smaller than the image's disk" "smaller than image" create m1 --disk-size 10M
expect_error "port given twice" "host port $p1 is given twice" create m1 --port "$p1:80" --port "$p1:81"
expect_error "port claimed by another VM's config" "host port $p1 is already forwarded to VM 'web'" create m1 --port "$p1:22"
expect_error "port 0" "--port" create m1 --port 0:80
expect_error "port 70000" "--port" create m1 --port 70000:80
expect_error "port without a colon" "--port: '8080' is not HPORT:GPORT" create m1 --port 8080
# a port some other program listens on
exec 5< <(exec python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True); time.sleep(60)')
listener=$!
read -r busy <&5
expect_error "port in use on the host" "host port $busy is in use" create m1 --port "$busy:80"
exec 5<&-
kill "$listener" 2>/dev/null
expect_error "missing image" "no image 'nosuch'" create m1 --image nosuch
expect_error "unknown option" "unknown option '--cores'" create m1 --cores 2
expect_error "unknown VM: start" "nosuch: no such VM" start nosuch
expect_error "unknown VM: stop" "nosuch: no such VM" stop nosuch
expect_error "unknown VM: info" "nosuch: no such VM" info nosuch
expect_error "unknown VM: rm" "nosuch: no such VM" rm nosuch
expect_error "unknown VM: logs" "nosuch: no such VM" logs nosuch
expect_error "unknown VM: console" "nosuch: no such VM" console nosuch
expect_error "stop a stopped VM" "web: not running" stop web
expect_error "console of a stopped VM" "web: not running" console web
expect_error "stop --timeout out of range" "--timeout: '99999'" stop web --timeout 99999
check "nothing changed after the bad commands" [ "$(store_state)" = "$before" ]

# corrupt configs are reported, not trusted
cp "$V/db/config.json" "$GASANG_HOME/db.json"
corrupt() {
	local what=$1 pattern=$2
	printf '%s' "$3" >"$V/db/config.json"
	expect_error "corrupt config ($what): start" "db: config.json: $pattern" start db
	expect_error "corrupt config ($what): info" "db: config.json: $pattern" info db
	check "corrupt config ($what): list shows it invalid" \
		grep -qE '^db +invalid' <("$G" list)
}
corrupt "not JSON" "not valid JSON" '{"name": "db", '
corrupt "cpus too many" "'cpus' is out of range" "$(jq -c '.cpus = 64' "$GASANG_HOME/db.json")"
corrupt "memory not a multiple of 4K" "memory must be" "$(jq -c '.memory = 1000001' "$GASANG_HOME/db.json")"
corrupt "negative disk size" "'disk_size' is out of range" "$(jq -c '.disk_size = -1' "$GASANG_HOME/db.json")"
corrupt "name of another VM" "name 'web' does not match" "$(jq -c '.name = "web"' "$GASANG_HOME/db.json")"
corrupt "unknown key" "unknown key 'cpu'" "$(jq -c '.cpu = 1' "$GASANG_HOME/db.json")"
corrupt "port out of range" "'host' is out of range" "$(jq -c '.ports = [{"host": 0, "guest": 1}]' "$GASANG_HOME/db.json")"
corrupt "duplicate key" "not valid JSON" '{"version":1,"version":1}'
corrupt "control characters in append" "append must be" "$(jq -c '.append = "a\u0001b"' "$GASANG_HOME/db.json")"
corrupt "image name with a slash" "image name" "$(jq -c '.image = "../x"' "$GASANG_HOME/db.json")"
head -c 100000 /dev/zero >"$V/db/config.json"
expect_error "oversized config" "db: config.json: not a regular file of at most 64K" info db
ln -sf /etc/passwd "$V/db/config.json"
expect_error "config.json is a symlink" "db: config.json:" info db
rm "$V/db/config.json"
cp "$GASANG_HOME/db.json" "$V/db/config.json"
check "a repaired config is accepted again" "$G" info db >/dev/null

# rm
out=$("$G" rm db)
check "rm db" [ "$out" = "db: removed" ] && [ ! -e "$V/db" ]
check "list after rm" [ "$("$G" list --json | jq -r '.[].name')" = web ]
printf 'garbage' >"$V/web/config.json"
check "rm removes a VM whose config is corrupt" "$G" rm web >/dev/null
check "the store is empty" [ -z "$(ls -A "$V")" ]
check "list of an empty store is just the header" [ "$("$G" list | wc -l)" = 1 ]
check "list --json of an empty store" [ "$("$G" list --json)" = "[]" ]
for verb in create start stop list info logs console rm; do
	check "$verb --help exits 0 with a usage line" \
		grep -q "^usage: gasang $verb" <("$G" $verb --help)
done
check "top-level --help lists the VM verbs" \
	bash -c "'$G' --help | grep -qE '^  (create|start|stop|list|info|console|logs|rm) '"
