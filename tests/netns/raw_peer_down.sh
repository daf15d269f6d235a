#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A raw interface whose veth peer is down (kernel patch 0013): the host
# refuses each frame with ENOBUFS, and the node must drop it, not resend
# it at once for as long as the peer stays down (it had spun at 100% of a
# core, ~1.5M sendmmsg a second on one frame).
#
#   netns p-X  rX-h0 10.1.0.1 ==veth== rX-u0|vec0 10.1.0.2  node rX (in netns r-X)
#
# With the peer down the node pings the host (ARP requests it cannot
# send): its CPU over 2 s stays low and vec0 counts the frames as dropped;
# with the peer up again the link works.
source "$(dirname "$0")/lib.sh"
require_root
require_built

tmpdir T
setup_ns R P
N=r$SFX

{
	profile_head "$N"
	raw_veth_iface 0 "$N" 10.1.0 "$P"
} >"$T/r.profile"

out=$(node_up_in "$R" "$T/r.profile" 2>&1)
log_test $? "up: $out"
pid=$(node_pid "$N")
ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
check "ping the node over vec0" busywait 5000 ip netns exec "$P" ping -c 1 -W 1 10.1.0.2

ip -n "$P" link set "$N-h0" down
ip netns exec "$R" "$UMNET" exec "$N" --timeout 10 -- ping -c 3 -i 0.5 -W 1 10.1.0.1 >/dev/null 2>&1 &
PID_LIST+=("$!")
sleep 0.5
t0=$(ticks)
sleep 2
t1=$(ticks)
hz=$(getconf CLK_TCK)
pct=$(( 100 * (t1 - t0) / (2 * hz) ))
[ "$pct" -lt 30 ]
log_test $? "peer down, the node sending: its CPU over 2 s is $pct% of a core (below 30%; it spun at 100%)"
wait "${PID_LIST[-1]}" 2>/dev/null
drops=$(ip netns exec "$R" "$UMNET" exec "$N" --timeout 10 -- cat /sys/class/net/vec0/statistics/tx_dropped 2>&1)
[ "${drops:-0}" -gt 0 ] 2>/dev/null
log_test $? "vec0 counts the refused frames as dropped ($drops)"

ip -n "$P" link set "$N-h0" up
check "peer up again: ping the node over vec0" busywait 5000 ip netns exec "$P" ping -c 1 -W 1 10.1.0.2

out=$(ip netns exec "$R" "$UMNET" down "$N" 2>&1)
log_test $? "down: $out"
exit $RET
