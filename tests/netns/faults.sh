#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Faults lose nothing and leave nothing: racing commands on one name are
# serialized (concurrent ups: one wins; up racing down: a whole node or
# nothing; a held lock: a bounded wait and a message naming the holder);
# kill -9 of `umnet up` and of `umnet lab up` at random moments, then down,
# leaves nothing; a namespace two nodes share stays until its last user is
# down; a namespace made by hand is never removed.
#
#   netns flns-X  flX-h0 ==veth== flX-u0|vec0 (node flX)
#                 flX2-h0 ==veth== flX2-u0|vec0 (node flX2, same netns =)
source "$(dirname "$0")/lib.sh"
require_root
require_built

tmpdir T
N=fl$SFX N2=fl${SFX}2 NS=flns-$SFX L=fk$SFX
NODE_LIST+=("$N" "$N2")
LAB_LIST+=("$L")

mkprofile() { raw_netns_profile "$1" "$2" "$3" "$NS"; } # FILE NAME OCTET
mkprofile "$T/a.profile" "$N" 71
mkprofile "$T/b.profile" "$N2" 72

# nothing of node NAME: state, lock file, UML, links; and no netns NS
gone() { # gone NAME
	local what=""
	[ -e "/run/umnet/$1" ] && what+=" state dir"
	[ -e "/run/umnet/.locks/node/$1" ] && what+=" lock file"
	pgrep -f "umid=$1 " >/dev/null && what+=" UML process"
	pgrep -f "$T/" >/dev/null && what+=" umnet process"
	ip -o link | grep -qF "$1-" && what+=" host link"
	[ -e "/run/netns/$NS" ] && what+=" netns $NS"
	[ -e "/run/umnet/.netns/$NS" ] && what+=" netns users file"
	ss -xa | grep -qF "/run/umnet/$1/" && what+=" socket"
	[ -z "$what" ] || { echo "left:$what"; return 1; }
}

# --- concurrent ups of one name -------------------------------------------
for i in 1 2 3 4 5; do "$UMNET" up "$T/a.profile" >"$T/c$i" 2>&1 & done
wait
ok=$(cat "$T"/c? | grep -c "ready in")
busy=$(cat "$T"/c? | grep -c "$N is already running")
[ "$ok" = 1 ] && [ "$busy" = 4 ] && [ "$(pgrep -fc "umid=$N ")" -ge 1 ]
log_test $? "5 concurrent ups of one profile: one is up, 4 say already running"
[ "$ok" = 1 ] || cat "$T"/c?
check "down" "$UMNET" down "$N"
out=$(gone "$N")
log_test $? "nothing left after down ${out}"

# --- up racing down ---------------------------------------------------------
bad=0
for i in 1 2 3 4 5 6; do
	"$UMNET" up "$T/a.profile" >/dev/null 2>&1 &
	sleep "0.0$((i * 15 % 10))"
	"$UMNET" down "$N" >/dev/null 2>&1
	wait
	if [ -e "/run/umnet/$N" ]; then
		pid=$(node_pid "$N")
		{ [ -n "$pid" ] && kill -0 "$pid" && ip -n "$NS" link show "$N-h0" >/dev/null; } || bad=1
		"$UMNET" down "$N" >/dev/null || bad=1
	fi
	busywait 1000 gone "$N" >/dev/null || bad=1
done
[ $bad = 0 ]
log_test $? "up racing down: a whole node or nothing, 6 times"

# --- a held lock: bounded wait, a message naming the holder ---------------
mkdir -p /run/umnet/.locks/node
exec {lk}>"/run/umnet/.locks/node/$N"
flock "$lk"
echo "$$ bringing it up" >&"$lk"
out=$(UMNET_LOCK_TIMEOUT=1 "$UMNET" up "$T/a.profile" 2>&1)
rc=$?
exec {lk}>&-
rm -f "/run/umnet/.locks/node/$N"
[ $rc -ne 0 ] && grep -qF "$N: another umnet (pid $$) is bringing it up; waited 1 s" <<<"$out" &&
	[ ! -e "/run/umnet/$N" ]
log_test $? "a held lock: up waits, then says who holds it: $out"

# --- kill -9 of umnet up at any moment, then down -------------------------
bad=""
for d in 0 5 10 20 30 45 60 80 120 200; do
	killed_after "$d" "$UMNET" up "$T/a.profile"
	if [ -e "/run/umnet/$N" ]; then
		"$UMNET" down "$N" >/dev/null 2>&1 || bad+=" down-failed@${d}ms"
	elif [ -e "/run/umnet/.locks/node/$N" ]; then
		# killed before the node existed: down says so, and drops the lock
		"$UMNET" down "$N" >/dev/null 2>&1 && bad+=" down-of-nothing-succeeded@${d}ms"
	fi
	# a process umnet started but had not recorded exits by itself
	busywait 1000 gone "$N" >/dev/null || bad+=" $d ms: $(gone "$N");"
done
[ -z "$bad" ]
log_test $? "kill -9 of up after 0..200 ms, then down: nothing left${bad}"

# the config drive's scratch tree of an up killed while staging it: the
# next up removes it (a pid that has exited)
sh -c 'exit 0' &
dead=$!
wait "$dead"
mkdir -p "/dev/shm/umnet-drive.$dead.test$SFX/stage"
"$UMNET" up "$T/a.profile" >/dev/null 2>&1
[ ! -e "/dev/shm/umnet-drive.$dead.test$SFX" ]
log_test $? "a killed up's scratch tree in /dev/shm is swept by the next up"
check "down" "$UMNET" down "$N"

# --- a namespace two nodes share ----------------------------------------------
check "up $N (makes netns $NS)" "$UMNET" up "$T/a.profile"
check "up $N2 (joins it)" "$UMNET" up "$T/b.profile"
[ "$(wc -l <"/run/umnet/.netns/$NS")" = 2 ]
log_test $? "the namespace has two users"
check "down $N" "$UMNET" down "$N"
[ -e "/run/netns/$NS" ] && ip -n "$NS" link show "$N2-h0" >/dev/null
log_test $? "the namespace stays while $N2 uses it"
check "$N2 is still reached from its host side" ip netns exec "$NS" ping -c 1 -W 2 10.72.0.2
check "down $N2" "$UMNET" down "$N2"
out=$(gone "$N2")
log_test $? "the last user's down removes the namespace ${out}"

# --- a namespace made by hand is the user's: never removed ---------------------
ip netns add "$NS"
NS_LIST+=("$NS")
check "up in the user's namespace" "$UMNET" up "$T/a.profile"
check "down" "$UMNET" down "$N"
[ -e "/run/netns/$NS" ] && [ ! -e "/run/umnet/.netns/$NS" ]
log_test $? "the user's namespace is left alone"
ip netns del "$NS"

# --- kill -9 of umnet lab up at any moment, then lab down ------------------
wire_segment_lab "$T/l.lab" "$L" 10.73
lab_gone() {
	local what=""
	ls /run/umnet 2>/dev/null | grep -q "^$L\." && what+=" nodes"
	[ -e "/run/umnet/.labs/$L" ] && what+=" lab state"
	[ -e "/run/umnet/.locks/lab/$L" ] && what+=" lab lock file"
	ls /run/umnet/.wires 2>/dev/null | grep -q "^$L\." && what+=" wire records"
	pgrep -f "umid=$L\." >/dev/null && what+=" UML"
	pgrep -f "$T/l.lab|/run/umnet/.labs/$L/" >/dev/null && what+=" keeper or switch"
	ss -xa | grep -qF "/run/umnet/.labs/$L/" && what+=" socket"
	[ -z "$what" ] || { echo "left:$what"; return 1; }
}
bad=""
for d in 0 20 50 100 150 250 400; do
	killed_after "$d" "$UMNET" lab up "$T/l.lab"
	if [ -e "/run/umnet/.labs/$L" ]; then
		"$UMNET" lab down "$L" >/dev/null 2>&1 || bad+=" lab-down-failed@${d}ms"
	elif [ -e "/run/umnet/.locks/lab/$L" ]; then
		"$UMNET" lab down "$L" >/dev/null 2>&1 && bad+=" lab-down-of-nothing-succeeded@${d}ms"
	fi
	busywait 1000 lab_gone >/dev/null || bad+=" $d ms: $(lab_gone);"
done
[ -z "$bad" ]
log_test $? "kill -9 of lab up after 0..400 ms, then lab down: nothing left${bad}"
exit $RET
