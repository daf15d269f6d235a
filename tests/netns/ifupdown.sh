#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# An interface set down and up inside a node keeps working, on every kind
# of lab link: a wire (fd), a switch segment (bess), a netns link over raw
# and one over tap. Each is pinged, set down (the ping must fail), set up,
# and pinged again.
#
#   a ==wire ab== b        10.64.1.1 - 10.64.1.2   (a's vec0)
#   a ==switch seg== b     10.64.5.1 - 10.64.5.2   (a's vec1)
#   a --raw up-- netns R   10.64.9.2 - 10.64.9.1   (a's vec2)
#   node t --tap-- netns P 10.64.8.2 - 10.64.8.1   (umnet run in P)
source "$(dirname "$0")/lib.sh"
require_root
require_built

tmpdir T
setup_ns R P
L=iud$SFX N=iut$SFX
two_node_lab "$T/iud.lab" "$L" 10.64 "$R" "ur$SFX"
lab_up "$T/iud.lab" >"$T/up.out" 2>&1
log_test $? "lab up$( [ $? -eq 0 ] || tail -3 "$T/up.out")"
tap_profile "$T/t.profile" "$N" 10.64.8 "mem = 32M"
node_up_in "$P" "$T/t.profile" >"$T/t.out" 2>&1
log_test $? "tap node up inside netns $P$( [ $? -eq 0 ] || tail -3 "$T/t.out")"

ea() {
	if [ "$node" = t ]; then
		ip netns exec "$P" "$UMNET" exec "$N" -- "$@"
	else
		"$UMNET" exec "$L/a" -- "$@"
	fi
}
ping1() { ea ping -c 1 -W 1 "$1" >/dev/null 2>&1; }

for case in "wire a vec0 10.64.1.2" "segment a vec1 10.64.5.2" \
	"raw a vec2 10.64.9.1" "tap t vec0 10.64.8.1"; do
	set -- $case
	what=$1 node=$2 dev=$3 peer=$4
	busywait 5000 ping1 "$peer"
	log_test $? "$what: ping before"
	ea ip link set "$dev" down
	log_test $? "$what: ip link set $dev down"
	! ping1 "$peer"
	log_test $? "$what: no ping while down"
	ea ip link set "$dev" up
	log_test $? "$what: ip link set $dev up"
	busywait 10000 ping1 "$peer"
	log_test $? "$what: ping after down and up"
	# twice: the second open must work like the first
	ea ip link set "$dev" down && ea ip link set "$dev" up &&
		busywait 10000 ping1 "$peer"
	log_test $? "$what: ping after a second down and up"
done

"$UMNET" lab down "$L" >/dev/null 2>&1
log_test $? "lab down"
ip netns exec "$P" "$UMNET" down "$N" >/dev/null 2>&1
log_test $? "tap node down"
exit $RET
