#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# umnet lab status shows dead lab processes and nodes; umnet lab repair
# brings them back with their links.
#
#   a ==wire ab== b        a, b, c on switch segment "seg"
#
# kill -9 the switch: status (text and JSON) says dead, repair restarts it
# and the nodes on it reattach or boot again (ping over the segment); kill
# -9 the wire keeper: repair starts a new one and the nodes on the wire
# boot again (ping over the wire, and a node restarts alone again); kill -9
# a node's UML: repair boots it again; nothing dead: "nothing to repair";
# lab down leaves nothing.
source "$(dirname "$0")/lib.sh"
require_root
require_built
require_command jq

tmpdir T
L=lr$SFX
wire_segment_lab "$T/l.lab" "$L" 10.74
st() { "$UMNET" lab status "$L" --json; }
pstate() { st | jq -r ".processes[] | select(.what == \"$1\") | .state"; }
ppid_of() { st | jq -r ".processes[] | select(.what == \"$1\") | .pid"; }
# reach FROM ADDR: ping from node FROM (one reply of three is enough)
reach() {
	"$UMNET" exec "$L/$1" -- ping -c 3 -i 0.2 -W 2 "$2"
}
wait_dead() { busywait 3000 sh -c "! kill -0 $1 2>/dev/null"; }

out=$(lab_up "$T/l.lab" 2>&1)
log_test $? "lab up (3 nodes, a wire, a segment)"
[ "$(pstate keeper)" = alive ] && [ "$(pstate "switch seg")" = alive ]
log_test $? "status: keeper and switch alive"
out=$("$UMNET" lab repair "$L" 2>&1)
[ $? -eq 0 ] && grep -q "nothing to repair" <<<"$out"
log_test $? "repair of a healthy lab: nothing to repair"

# --- a dead switch ----------------------------------------------------------
old=$(ppid_of "switch seg")
kill -9 "$old"
wait_dead "$old"
[ "$(pstate "switch seg")" = dead ]
log_test $? "status --json: the killed switch is dead"
"$UMNET" lab status "$L" | grep -Eq "switch seg +dead +$old"
log_test $? "status (text): switch seg dead, with its pid"
check_fail "no ping over the segment without its switch" reach a 10.74.5.3
out=$("$UMNET" lab repair "$L" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/    /'
[ $rc -eq 0 ] && grep -q "switch seg was dead: restarted" <<<"$out" &&
	grep -Eq "node c: vec[0-9]+ (reattached to|did not reattach to) switch seg" <<<"$out"
log_test $? "repair restarts the switch and reattaches its nodes"
[ "$(pstate "switch seg")" = alive ] && [ "$(ppid_of "switch seg")" != "$old" ] &&
	[ "$(st | jq '.processes | length')" = 2 ]
log_test $? "status: a new switch, alive; the dead record is gone"
check "ping a -> c over the segment again" reach a 10.74.5.3
check "ping c -> b over the segment again" reach c 10.74.5.2

# --- a dead keeper --------------------------------------------------------------
old=$(ppid_of keeper)
kill -9 "$old"
wait_dead "$old"
[ "$(pstate keeper)" = dead ]
log_test $? "status --json: the killed keeper is dead"
out=$("$UMNET" lab repair "$L" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/    /'
[ $rc -eq 0 ] && grep -q "wire keeper was dead" <<<"$out"
log_test $? "repair starts a new keeper and boots the nodes on its wires"
[ "$(pstate keeper)" = alive ] && [ "$(st | jq -r .nodes_running)" = 3 ]
log_test $? "status: keeper alive, 3 nodes running"
check "ping a -> b over the new wire" reach a 10.74.12.2
check "restart b alone" "$UMNET" lab restart "$L" b
check "the wire works after b's restart" reach a 10.74.12.2

# --- a dead node --------------------------------------------------------------
kill -9 "$(node_pid "$L.c")"
busywait 3000 sh -c "[ \"\$($UMNET lab status $L --json | jq -r '.nodes[] | select(.name == \"c\") | .state')\" = stopped ]"
log_test $? "status: the killed node c is stopped"
out=$("$UMNET" lab repair "$L" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/    /'
[ $rc -eq 0 ] && grep -q "node c was dead" <<<"$out" && [ "$(st | jq -r .nodes_running)" = 3 ]
log_test $? "repair boots c again"
check "ping a -> c after c's repair" reach a 10.74.5.3

# --- lab down leaves nothing ---------------------------------------------------
check "lab down" "$UMNET" lab down "$L"
left=$(ls /run/umnet 2>/dev/null | grep "^$L\."; ls -A /run/umnet/.labs /run/umnet/.wires 2>/dev/null | grep "$L";
	ls /run/umnet/.locks/lab 2>/dev/null | grep -x "$L"; pgrep -f "umid=$L\.|/run/umnet/.labs/$L/|$T/l.lab")
[ -z "$left" ]
log_test $? "nothing is left${left:+: $left}"
exit $RET
