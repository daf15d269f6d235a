#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# umnet lab: commands and faults on a small generated lab
#
#   a ==wire ab== b        a, b, c on switch segment "seg"
#   c --netns link "up"--> netns lab_up-X (host-ifname lu-X)
#
# bad input refused with file:line and nothing made; status/graph/exec/
# mconsole with LAB/NODE; a second lab of the same name, or one that would
# make the same host interface, refused before anything is made; restart
# of one node brings its wire and segment back; a cut link stays cut over a
# restart; --only brings up a subset; a lab whose node fails removes all it
# made; lab down after kill -9 of a node and of the wire keeper removes
# everything; down --all (in a private UMNET_STATE_DIR) takes a lab down.
source "$(dirname "$0")/lib.sh"
require_root
require_built
require_command jq

tmpdir T
setup_ns UP
L=lc$SFX
mklab() { # mklab FILE NAME [extra lines...]
	local f=$1 name=$2
	shift 2
	cat >"$f" <<EOT
$(lab_head "$name" 48M a)
loopback = 10.255.7.1/32
[node b]
[node c]
$(link_eps ab "a 10.7.12.1/30" "b 10.7.12.2/30")
$(link_eps seg "a 10.7.5.1/24" "b 10.7.5.2/24" "c 10.7.5.3/24")
[link up]
kind = netns
netns = $UP
host-ifname = lu$SFX
endpoint = c 10.7.1.2/24
host-address = 10.7.1.1/24
EOT
	for l in "$@"; do echo "$l"; done >>"$f"
}
# what this test's labs could make, and only that: others share the machine
snap() {
	{
		ip -o link | awk -F': ' '{print $2}'
		ip -n "$UP" -o link 2>/dev/null | awk -F': ' '{print "in netns: " $2}'
		ip netns list | awk '{print "netns " $1}'
		ls -A /run/umnet /run/umnet/.labs /run/umnet/.wires 2>/dev/null
	} | grep -F -e "$SFX" -e "$UP" | sort
}
# same_snap BEFORE : nothing of this test's was added or removed since
same_snap() {
	local d
	d=$(diff <(echo "$1") <(snap)) && return 0
	printf '    %s\n' "${d//$'\n'/$'\n'    }"
	return 1
}

# --- bad input -------------------------------------------------------------
mklab "$T/bad.lab" "$L" "[link zz]" "endpoint = a 10.9.9.1/30" "endpoint = nosuch"
before=$(snap)
out=$("$UMNET" lab up "$T/bad.lab" 2>&1)
rc=$?
[ $rc -ne 0 ] && grep -q "bad.lab:23: \[link zz\]: endpoint nosuch: no \[node nosuch\]" <<<"$out"
log_test $? "a bad lab is refused with file:line: $out"
same_snap "$before"
log_test $? "a refused lab makes nothing"

# --- up, status, graph, exec, mconsole ------------------------------------
mklab "$T/l.lab" "$L" "[test]" "reach = a b" "reach = c 10.7.1.1" \
	"exec = b match=10\.7\.12\.2 -- ip -4 addr show vec0" "reach = a 10.7.99.1"
out=$(lab_up "$T/l.lab" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/    /'
[ $rc -eq 0 ]
log_test $? "lab up (3 nodes, a wire, a segment, a netns link)"
[ $rc -eq 0 ] || exit 1
st=$("$UMNET" lab status "$L" --json)
[ "$(jq -r .nodes_running <<<"$st")" = 3 ] &&
	[ "$(jq -r '.links[] | select(.name == "seg") | .kind' <<<"$st")" = switch ] &&
	[ "$(jq -r '[.processes[] | select(.alive)] | length' <<<"$st")" = 2 ]
log_test $? "status --json: 3 running, seg is a switch, keeper and switch alive"
g=$("$UMNET" lab graph "$L")
grep -q '"a" -- "b" \[label="ab"' <<<"$g" && grep -q '"switch seg"' <<<"$g" &&
	grep -q "\"netns $UP\"" <<<"$g"
log_test $? "graph: DOT with the wire, the switch and the netns"
check "exec LAB/NODE" "$UMNET" exec "$L/a" -- ping -c 1 -W 2 10.7.12.2
check "exec LAB.NODE" "$UMNET" exec "$L.c" -- ping -c 1 -W 2 10.7.1.1
check "mconsole LAB/NODE" "$UMNET" mconsole "$L/b" version
check "the netns side is configured" ip netns exec "$UP" ping -c 1 -W 2 10.7.1.2
out=$("$UMNET" lab test "$L" --junit "$T/j.xml" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/    /'
[ $rc -eq 1 ] && grep -q "3 passed, 1 failed" <<<"$out" &&
	grep -q "l.lab:25: saw: ping 10.7.99.1" <<<"$out"
log_test $? "lab test: a failing assertion fails the run and says what it saw"
grep -q 'tests="4" failures="1"' "$T/j.xml" && grep -q '<failure message=' "$T/j.xml"
log_test $? "lab test --junit: 4 tests, 1 failure"

# --- refusals before anything is made -------------------------------------
mklab "$T/same.lab" "$L"
before=$(snap)
out=$("$UMNET" lab up "$T/same.lab" 2>&1)
[ $? -ne 0 ] && grep -q "up already" <<<"$out" && same_snap "$before"
log_test $? "a second lab of the same name is refused: $out"
mklab "$T/clash.lab" "x$L"
LAB_LIST+=("x$L")
before=$(snap)
out=$("$UMNET" lab up "$T/clash.lab" 2>&1)
[ $? -ne 0 ] && grep -q "would create interface lu$SFX in netns $UP, which exists already" <<<"$out" &&
	same_snap "$before" && [ ! -e "/run/umnet/.labs/x$L" ]
log_test $? "a lab making the same host interface is refused, nothing made"
[ $? -eq 0 ] || echo "    $out"

# --- restart, cut links ----------------------------------------------------
check "restart b" "$UMNET" lab restart "$L" b
check "the wire to b works after b's restart" \
	"$UMNET" exec "$L/a" -- ping -c 2 -i 0.2 -W 2 10.7.12.2
check "the segment to b works after b's restart" \
	"$UMNET" exec "$L/c" -- ping -c 2 -i 0.2 -W 2 10.7.5.2
check "link down ab" "$UMNET" lab link down "$L" ab
check_fail "a cut wire passes nothing" \
	"$UMNET" exec "$L/a" -- ping -c 2 -i 0.2 -W 1 10.7.12.2
[ "$("$UMNET" lab status "$L" --json | jq -r '.links[] | select(.name == "ab") | .state')" = down ]
log_test $? "status shows ab down"
"$UMNET" lab restart "$L" a >/dev/null
check_fail "a cut link stays cut when its node restarts" \
	"$UMNET" exec "$L/a" -- ping -c 2 -i 0.2 -W 1 10.7.12.2
check "link up ab" "$UMNET" lab link up "$L" ab
check "the wire passes again" \
	"$UMNET" exec "$L/a" -- ping -c 2 -i 0.2 -W 2 10.7.12.2

# --- kill -9, then down ----------------------------------------------------
kill -9 "$(node_pid "$L.b")"
keeper=$("$UMNET" lab status "$L" --json | jq -r '.processes[] | select(.what == "keeper") | .pid')
kill -9 "$keeper"
out=$("$UMNET" lab down "$L" 2>&1)
log_test $? "lab down after kill -9 of a node and the keeper: $out"
left=$(ls /run/umnet 2>/dev/null | grep "^$L\."; ls -A /run/umnet/.labs /run/umnet/.wires 2>/dev/null | grep "$L";
	ip -o link | grep -F "lu$SFX"; ip -n "$UP" -o link 2>/dev/null | grep -F "lu$SFX"; pgrep -f "umid=$L\.")
[ -z "$left" ]
log_test $? "nothing is left${left:+: $left}"

# --- --only and a failing node --------------------------------------------
mklab "$T/o.lab" "o$L"
out=$("$UMNET" lab up "$T/o.lab" --only a nosuch 2>&1)
[ $? -ne 0 ] && grep -q "has no node nosuch" <<<"$out" &&
	[ ! -e "/run/umnet/.labs/o$L" ] &&
	"$UMNET" lab status "o$L" 2>&1 | grep -q "no lab of that name is up"
log_test $? "--only nosuch: an error, and no half-made state left${out:+ ($out)}"
# 600 wires: the keeper's 1200 ends fit under a soft limit of 1024 files
# (raised within the hard one), and a hard limit too low is told plainly
{ printf '[lab]\nname = w%s\n' "$L"; for i in $(seq 0 599); do printf '[node n%d]\n' "$i"; done
  for i in $(seq 0 599); do printf '[link w%d]\nendpoint = n%d\nendpoint = n%d\n' "$i" "$i" $(((i + 1) % 600)); done; } >"$T/w.lab"
out=$(ulimit -Sn 1024; "$UMNET" lab up "$T/w.lab" --only n0 n1 2>&1)
[ $? -eq 0 ] && "$UMNET" exec "w$L/n0" -- ip link show vec1 >/dev/null
log_test $? "600 wires under ulimit -Sn 1024: lab up --only n0 n1${out:+ ($out)}"
check "lab down of the 600-wire lab" "$UMNET" lab down "w$L"
out=$(ulimit -n 1024; "$UMNET" lab up "$T/w.lab" --only n0 2>&1)
[ $? -ne 0 ] && grep -q "600 wires need 1200 open files.*ulimit -n" <<<"$out" && [ ! -e "/run/umnet/.labs/w$L" ]
log_test $? "600 wires under a hard limit of 1024: says to raise ulimit -n, leaves nothing${out:+ ($out)}"
out=$(lab_up "$T/o.lab" --only a b 2>&1)
[ $? -eq 0 ] && [ "$("$UMNET" lab status "o$L" --json | jq -r .nodes_running)" = 2 ]
log_test $? "--only a b: two nodes up"
out=$("$UMNET" lab up "$T/o.lab" --only c 2>&1)
[ $? -eq 0 ] && [ "$("$UMNET" lab status "o$L" --json | jq -r .nodes_running)" = 3 ]
log_test $? "--only c adds c to the running lab"
check "c reaches a over the segment" "$UMNET" exec "o$L/c" -- ping -c 1 -W 2 10.7.5.1
check "lab down" "$UMNET" lab down "o$L"

mklab "$T/f.lab" "f$L"
sed -i 's/^\[node c\]$/[node c]\nrun = echo failing on purpose; false/' "$T/f.lab"
before=$(snap)
out=$(lab_up "$T/f.lab" 2>&1)
rc=$?
[ $rc -ne 0 ] && grep -q "f.lab:[0-9]*: run = echo failing on purpose; false\|failing on purpose" <<<"$out"
log_test $? "a node that fails its boot fails lab up, naming the line"
[ $rc -ne 0 ] || echo "    $out"
same_snap "$before" && ! pgrep -f "umid=f$L\." >/dev/null
log_test $? "a lab that failed to come up removed everything it made"

# --- umnet down --all takes labs down too ----------------------------------
# In a state directory of its own: down --all there can only reach what this
# test brought up there, never the nodes of anyone else on /run/umnet.
tmpdir SD
# 0755 as /run/umnet is: the lab's switch runs as a uid of its own and
# must reach its directory (a 0700 root-owned state dir makes it fail)
chmod 0755 "$SD"
sd() { UMNET_STATE_DIR=$SD "$@"; }
sd_cleanup() {
	[ -d "$SD/.labs" ] && sd "$UMNET" down --all >/dev/null 2>&1
	cleanup
}
trap sd_cleanup EXIT
mklab "$T/d.lab" "d$L"
out=$(sd "$UMNET" lab up "$T/d.lab" 2>&1)
rc=$?
[ $rc -eq 0 ] && [ -d "$SD/.labs/d$L" ] && [ ! -e "/run/umnet/.labs/d$L" ]
log_test $? "a lab up in a private state dir lives there"
[ $rc -eq 0 ] || echo "    $out"
check "down --all (private state dir)" sd "$UMNET" down --all
left=$(ls -A "$SD/.labs" "$SD/.wires" 2>/dev/null; ls "$SD" 2>/dev/null | grep "^d$L\.";
	ip -n "$UP" -o link 2>/dev/null | grep -F "lu$SFX"; pgrep -f "umid=d$L\.")
[ -z "$left" ]
log_test $? "down --all leaves nothing of the lab${left:+: $left}"
exit $RET
