#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The shipped firewall profile (configs/firewall.nft), names made unique:
#
#   netns fw-lan-X               node fwX                    netns fw-wan-X
#   fwX-h0 10.3.0.1 ==veth== vec0 10.3.0.2 | vec1 10.4.0.2 ==veth== fwX-h1 10.4.0.1
#
# LAN -> WAN: ICMP and TCP/5201 pass, TCP/22 is dropped; WAN -> LAN: new
# connections are dropped. Each verdict is checked on both ends: the client
# sees the result and the server sees the connection (or none).
source "$(dirname "$0")/lib.sh"
require_root
require_built
require_command iperf3

tmpdir T
N=fw$SFX LAN=fw-lan-$SFX WAN=fw-wan-$SFX
profile_from "$TOP/configs/firewall.profile" "$T/firewall.profile" \
	"s/\<fw1\>/$N/g" "s/\<fw-lan\>/$LAN/g" "s/\<fw-wan\>/$WAN/g"

out=$(node_up "$T/firewall.profile" 2>&1); rc=$?
[ $rc -eq 0 ]; log_test $? "up: $out"
[ $rc -eq 0 ] || exit 1

out=$("$UMNET" exec "$N" -- nft list chain inet filter forward 2>&1)
[[ "$out" == *"policy drop"* ]]; log_test $? "the ruleset is loaded inside the node"

check "ICMP LAN -> WAN passes" ip netns exec "$LAN" ping -c 2 -i 0.2 -W 2 10.4.0.1
check_fail "ICMP WAN -> LAN is dropped" ip netns exec "$WAN" ping -c 2 -i 0.2 -W 1 10.3.0.1

# serve PORT NS ADDR LOG: a one-shot iperf3 server
serve() {
	ip netns exec "$2" iperf3 -s -1 -p "$1" -B "$3" >"$4" 2>&1 &
	PID_LIST+=($!)
	wait_port "$2" "$1"
}

# TCP/5201 LAN -> WAN: passes; the server saw the client
serve 5201 "$WAN" 10.4.0.1 "$T/s5201.log"
out=$(ip netns exec "$LAN" timeout 20 iperf3 -c 10.4.0.1 -p 5201 -t 1 2>&1); rc=$?
[ $rc -eq 0 ]; log_test $? "TCP/5201 LAN -> WAN: the client completes"
busywait 5000 grep -q "Accepted connection from 10.3.0.1" "$T/s5201.log"
log_test $? "TCP/5201 LAN -> WAN: the server accepted 10.3.0.1"

# TCP/22 LAN -> WAN: dropped; the server never saw a connection
serve 22 "$WAN" 10.4.0.1 "$T/s22.log"
out=$(ip netns exec "$LAN" timeout 20 iperf3 -c 10.4.0.1 -p 22 -t 1 --connect-timeout 1500 2>&1); rc=$?
[ $rc -ne 0 ]; log_test $? "TCP/22 LAN -> WAN: the client cannot connect"
! grep -q "Accepted connection" "$T/s22.log"
log_test $? "TCP/22 LAN -> WAN: the server saw no connection"

# TCP/5201 WAN -> LAN: dropped (only LAN may open connections)
serve 5201 "$LAN" 10.3.0.1 "$T/slan.log"
out=$(ip netns exec "$WAN" timeout 20 iperf3 -c 10.3.0.1 -p 5201 -t 1 --connect-timeout 1500 2>&1); rc=$?
[ $rc -ne 0 ]; log_test $? "TCP/5201 WAN -> LAN: the client cannot connect"
! grep -q "Accepted connection" "$T/slan.log"
log_test $? "TCP/5201 WAN -> LAN: the server saw no connection"

# the node counted what it dropped
out=$("$UMNET" exec "$N" -- nft list chain inet filter forward 2>&1)
pk=$(sed -n 's/.*counter packets \([0-9]*\) .*dropped.*/\1/p' <<<"$out")
[ "${pk:-0}" -gt 0 ]; log_test $? "the firewall's drop counter moved (${pk:-0} packets)"

check "down" "$UMNET" down "$N"
check "down leaves nothing behind" nothing_left "$N" "$LAN" "$WAN"
exit $RET
