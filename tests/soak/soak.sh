#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The soak: SOAK_CYCLES (default 300) randomized cycles of the lifecycle and
# its faults, with a check for leaks after every cycle. Not part of
# `make check`; `make soak` runs it (as root, after `make`).
#
#   node   sN:   netns sN-ns, veth sN-h0 (in sN-ns) == sN-u0|vec0, 32M
#   node   sN2:  the same netns = (a namespace shared by two nodes)
#   lab    kN:   a ==wire ab== b, a b c on switch segment "seg"
#
# Cycles pick one of: up/down; two nodes sharing a namespace; lab
# up/restart/down; kill -9 of a UML kernel; kill -9 of `umnet up` and of
# `umnet lab up` mid-way; kill -9 of the wire keeper and of a switch (then
# `lab status` must show it dead and `lab repair` bring it back, or `lab
# down` remove it); concurrent ups of one name (exactly one wins);
# concurrent up and down of one name (a running node or nothing). After
# every cycle nothing may be left: namespaces, links, processes, unix
# sockets under the state root, state dirs, wire and namespace records.
# It runs in its own state root (UMNET_STATE_DIR), so other users' nodes
# are neither seen nor touched. Prints "cycles run: N, leaks found: M" and
# exits 1 on any leak or failed check.
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=../topo.sh
source "$TOP/tests/topo.sh"
: "${BUILD:=$TOP/build}"
U=${UMNET:-$BUILD/umnet}
export UMNET_KERNEL=${UMNET_KERNEL:-$BUILD/linux}
export UMNET_ROOTFS=${UMNET_ROOTFS:-$BUILD/rootfs.img}
CYCLES=${SOAK_CYCLES:-300}
SEED=${SOAK_SEED:-$$}
RANDOM=$SEED

[ "$(id -u)" -eq 0 ] || { echo "SKIP: the soak needs root (namespaces, veth pairs)"; exit 4; }
[ -x "$U" ] && [ -e "$UMNET_KERNEL" ] && [ -e "$UMNET_ROOTFS" ] ||
	{ echo "$U, $UMNET_KERNEL or $UMNET_ROOTFS missing: run make"; exit 1; }

SFX=$(tr -dc 'a-z0-9' </dev/urandom | head -c 4)
P=s$SFX                      # every name starts with it
export UMNET_STATE_DIR=/run/umnet-soak-$SFX
T=$(mktemp -d /tmp/umnet-soak.XXXXXX)
N=$P N2=${P}2 L=k$SFX NS=$P-ns

cleanup() {
	"$U" lab down "$L" >/dev/null 2>&1
	"$U" down "$N" "$N2" >/dev/null 2>&1
	pkill -9 -f "$UMNET_STATE_DIR/" 2>/dev/null
	pkill -9 -f "$T/" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$T" "$UMNET_STATE_DIR"
}
trap cleanup EXIT
trap "exit 143" TERM INT

mkprofile() { raw_netns_profile "$1" "$2" "$3" "$NS"; } # FILE NAME OCTET
mkprofile "$T/n.profile" "$N" 61
mkprofile "$T/n2.profile" "$N2" 62
wire_segment_lab "$T/l.lab" "$L" 10.63

cycles=0 leaks=0 errors=0
declare -A done_kind

err() { # err "what went wrong"
	echo "  cycle $cycles ($kind): $*"
	errors=$((errors + 1))
}

# leaks: what of ours exists between cycles (nothing should)
leftovers() {
	ip netns list | grep -F "$P" | sed 's/^/netns /'
	ip -o link | awk -F': ' '{print $2}' | grep -F "$P" | sed 's/^/link /'
	pgrep -af "$UMNET_STATE_DIR/|$T/" | grep -v "pgrep" | sed 's/^/process /'
	ss -xa 2>/dev/null | grep -F "$UMNET_STATE_DIR/" | awk '{print "socket " $5}'
	[ -d "$UMNET_STATE_DIR" ] &&
		find "$UMNET_STATE_DIR" -mindepth 1 \( -type f -o -type s -o -type l \) \
			! -path "$UMNET_STATE_DIR/.locks/netns/users" | sed 's/^/file /'
	[ -d "$UMNET_STATE_DIR" ] &&
		find "$UMNET_STATE_DIR" -mindepth 1 -maxdepth 1 -type d \
			! -name .locks ! -name .labs ! -name .wires ! -name .netns ! -name .ids | sed 's/^/state /'
	[ -d "$UMNET_STATE_DIR/.labs" ] &&
		find "$UMNET_STATE_DIR/.labs" -mindepth 1 -maxdepth 1 | sed 's/^/lab /'
}

running() { # running NAME : its UML process is alive
	local pid
	pid=$(cut -d' ' -f1 "$UMNET_STATE_DIR/$1/pid" 2>/dev/null) || return 1
	[ -n "$pid" ] && pgrep -f "umid=$1 " | grep -qx "$pid"
}

down_all() { # take down whatever a cycle left up (that is not a leak)
	"$U" lab down "$L" >/dev/null 2>&1
	for n in "$N" "$N2"; do
		[ -e "$UMNET_STATE_DIR/$n" ] && { "$U" down "$n" >/dev/null 2>&1 || err "down $n failed"; }
	done
	return 0
}

proc_pid() { # proc_pid WHAT : pid of a lab process from lab status --json
	"$U" lab status "$L" --json | jq -r ".processes[] | select(.what == \"$1\") | .pid" | tail -1
}

proc_state() {
	"$U" lab status "$L" --json | jq -r ".processes[] | select(.what == \"$1\") | .state" | tail -1
}

c_updown() {
	"$U" up "$T/n.profile" >/dev/null || err "up failed"
	running "$N" || err "not running after up"
	"$U" down "$N" >/dev/null || err "down failed"
}

c_shared_netns() {
	"$U" up "$T/n.profile" >/dev/null || err "up $N failed"
	"$U" up "$T/n2.profile" >/dev/null || err "up $N2 failed"
	"$U" down "$N" >/dev/null || err "down $N failed"
	ip netns list | grep -qw "$NS" || err "netns $NS went with its first user"
	"$U" exec "$N2" -- true 2>/dev/null || running "$N2" || err "$N2 died with its neighbour"
	"$U" down "$N2" >/dev/null || err "down $N2 failed"
}

c_lab() {
	"$U" lab up "$T/l.lab" >/dev/null || { err "lab up failed"; return; }
	if [ $((RANDOM % 2)) = 0 ]; then
		"$U" lab restart "$L" a >/dev/null || err "lab restart failed"
	fi
	"$U" lab down "$L" >/dev/null || err "lab down failed"
}

c_kill_uml() {
	"$U" up "$T/n.profile" >/dev/null || { err "up failed"; return; }
	kill -9 "$(cut -d' ' -f1 "$UMNET_STATE_DIR/$N/pid")"
	"$U" down "$N" >/dev/null || err "down after kill -9 of UML failed"
}

c_kill_up() {
	local d=$((RANDOM % 250))
	killed_after "$d" "$U" up "$T/n.profile"
	if [ -e "$UMNET_STATE_DIR/$N" ]; then
		"$U" down "$N" >/dev/null || err "down after kill -9 of up at $d ms failed"
	fi
}

c_kill_labup() {
	local d=$((RANDOM % 600))
	killed_after "$d" "$U" lab up "$T/l.lab"
	if [ -e "$UMNET_STATE_DIR/.labs/$L" ]; then
		"$U" lab down "$L" >/dev/null || err "lab down after kill -9 of lab up at $d ms failed"
	fi
}

c_kill_lab_proc() { # c_kill_lab_proc WHAT
	local what=$1 pid
	"$U" lab up "$T/l.lab" >/dev/null || { err "lab up failed"; return; }
	pid=$(proc_pid "$what")
	kill -9 "$pid"
	busywait_dead "$pid"
	[ "$(proc_state "$what")" = dead ] || err "lab status does not show $what dead"
	if [ $((RANDOM % 2)) = 0 ]; then
		"$U" lab repair "$L" >/dev/null || err "lab repair failed"
		[ "$(proc_state "$what")" = alive ] || err "$what not alive after repair"
	fi
	"$U" lab down "$L" >/dev/null || err "lab down after kill -9 of $what failed"
}

busywait_dead() {
	local i
	for i in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.02; done
}

c_concurrent_up() {
	local i ok=0 busy=0 out
	for i in 1 2 3 4; do "$U" up "$T/n.profile" >"$T/c$i" 2>&1 & done
	wait
	for i in 1 2 3 4; do
		out=$(cat "$T/c$i")
		case $out in
		*"ready in"*) ok=$((ok + 1)) ;;
		*"already running"*) busy=$((busy + 1)) ;;
		*) err "a concurrent up said: $out" ;;
		esac
	done
	[ $ok = 1 ] && [ $busy = 3 ] || err "concurrent ups: $ok succeeded, $busy refused (want 1 and 3)"
	"$U" down "$N" >/dev/null || err "down failed"
}

c_up_vs_down() {
	"$U" up "$T/n.profile" >/dev/null 2>&1 &
	sleep "0.0$((RANDOM % 10))"
	"$U" down "$N" >/dev/null 2>&1
	wait
	# either it runs, whole, or nothing of it is left
	if [ -e "$UMNET_STATE_DIR/$N" ]; then
		running "$N" && ip -n "$NS" link show "$N-h0" >/dev/null 2>&1 ||
			err "up racing down left half a node"
		"$U" down "$N" >/dev/null || err "down failed"
	fi
}

kinds=(updown shared_netns lab kill_uml kill_up kill_labup kill_keeper kill_switch
	concurrent_up up_vs_down)
command -v jq >/dev/null || { echo "SKIP: jq not installed"; exit 4; }
echo "soak: $CYCLES cycles, seed $SEED, state root $UMNET_STATE_DIR"
t0=$(date +%s)
while [ $cycles -lt "$CYCLES" ]; do
	kind=${kinds[RANDOM % ${#kinds[@]}]}
	cycles=$((cycles + 1))
	case $kind in
	kill_keeper) c_kill_lab_proc keeper ;;
	kill_switch) c_kill_lab_proc "switch seg" ;;
	*) "c_$kind" ;;
	esac
	down_all
	left=$(leftovers)
	# a process umnet started but had not recorded yet exits by itself:
	# what is still there half a second later is a leak
	[ -n "$left" ] && sleep 0.5 && left=$(leftovers)
	if [ -n "$left" ]; then
		echo "  cycle $cycles ($kind): left behind:"
		printf '    %s\n' "$left" | head -20
		leaks=$((leaks + $(wc -l <<<"$left")))
		# start the next cycle clean
		pkill -9 -f "$UMNET_STATE_DIR/|$T/" 2>/dev/null
		ip netns del "$NS" 2>/dev/null
		for l in $(ip -o link | awk -F': ' '{print $2}' | grep -F "$P" | cut -d@ -f1); do
			ip link del "$l" 2>/dev/null
		done
		rm -rf "$UMNET_STATE_DIR"
	fi
	done_kind[$kind]=$((${done_kind[$kind]:-0} + 1))
	[ $((cycles % 25)) = 0 ] && echo "  $cycles cycles, $leaks leaks, $errors errors, $(($(date +%s) - t0)) s"
done
for k in "${!done_kind[@]}"; do printf '  %-14s %d\n' "$k" "${done_kind[$k]}"; done | sort
echo "cycles run: $cycles, leaks found: $leaks, failed checks: $errors ($(($(date +%s) - t0)) s)"
[ $leaks -eq 0 ] && [ $errors -eq 0 ]
