#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# filter = on raw links: a pcap expression compiled into the node's bpffile,
# composed with "not ether src <node MAC>", so frames looping back from the
# host with the node's own source MAC never come in.
#
#   netns fa-X  fX-h0 10.1.0.1 ==veth== fX-u0|vec0 10.1.0.2  filter = not icmp
#   netns fb-X  fX-h1 10.2.0.1 ==veth== fX-u1|vec1 10.2.0.2  (no filter)
#   netns fc-X  fX-h2 10.3.0.1 ==veth== fX-u2|vec2 10.3.0.2  bpffile = "ip or arp"
#                                            node fX (forwarding)
#
# ICMP into vec0 is dropped, TCP through vec0 passes, vec1 answers ping;
# frames with the node's own source MAC never enter vec0, while vec2 (a user
# bpffile without the MAC check) and vec1 (no bpffile) take them.
source "$(dirname "$0")/lib.sh"
require_root
require_built
require_command iperf3

tmpdir T
N=f$SFX A=fa-$SFX B=fb-$SFX C=fc-$SFX

out=$("$UMNET" bpf compile 'ip or arp' -o "$T/plain.bpf" 2>&1)
log_test $? "bpf compile 'ip or arp' for vec2: $out"

{
	printf '[appliance]\nname = %s\nforwarding = yes\n' "$N"
	raw_veth_iface 0 "$N" 10.1.0 "$A" "filter = not icmp" \
		"host-route = 10.2.0.0/24 via 10.1.0.2"
	raw_veth_iface 1 "$N" 10.2.0 "$B" "host-route = 10.1.0.0/24 via 10.2.0.2"
	raw_veth_iface 2 "$N" 10.3.0 "$C" "bpffile = $T/plain.bpf"
} >"$T/f.profile"

cmd=$("$UMNET" cmdline "$T/f.profile")
mac=$(sed -n 's/.*vec0:transport=raw,ifname=[^,]*,gro=1,mac=\([0-9a-f:]*\),bpffile=\/run\/umnet\/'"$N"'\/node\/vec0\.bpf\( .*\)\?$/\1/p' <<<"$cmd")
[ -n "$mac" ]
log_test $? "cmdline: vec0 gets mac=${mac:-?} and bpffile=/run/umnet/$N/node/vec0.bpf"
[[ "$cmd" == *"vec1:transport=raw,ifname=$N-u1,gro=1 "* ]]
log_test $? "cmdline: vec1 without filter gets neither"

out=$(node_up "$T/f.profile" 2>&1); rc=$?
[ $rc -eq 0 ] && [[ "$out" == "$N: ready in "* ]]
log_test $? "up: $out"
[ $rc -eq 0 ] || { tail -20 "/run/umnet/$N/console.log" 2>/dev/null; exit 1; }

f=/run/umnet/$N/node/vec0.bpf
size=$(stat -c %s "$f" 2>/dev/null || echo 0)
dump=$("$UMNET" bpf dump "$f" 2>&1)
n=$(grep -c '^(' <<<"$dump")
[ "$size" -gt 0 ] && [ "$size" -eq $((8 * n)) ] &&
	[[ "$dump" == *"(000) ld       [8]"* ]]
log_test $? "vec0.bpf: $n instructions in $size bytes, starts with the MAC check"

got=$("$UMNET" exec "$N" -- cat /sys/class/net/vec0/address 2>&1)
[ "$got" = "$mac" ]
log_test $? "the node's vec0 has the derived MAC ($got)"

check_fail "ping fa -> node vec0 is dropped (filter = not icmp)" \
	ip netns exec "$A" ping -c 2 -i 0.2 -W 1 10.1.0.2
check_fail "ping fa -> fb through vec0 is dropped" \
	ip netns exec "$A" ping -c 2 -i 0.2 -W 1 10.2.0.1
check "ping fb -> node vec1 works (no filter)" \
	ip netns exec "$B" ping -c 2 -i 0.2 -W 2 10.2.0.2
check "ping fc -> node vec2 works (bpffile 'ip or arp')" \
	ip netns exec "$C" ping -c 2 -i 0.2 -W 2 10.3.0.2

node_mac() { "$UMNET" exec "$N" -- cat "/sys/class/net/$1/address"; }

# own_inbound DEV MAC OUT CMD... : OWN = the number of frames with source
# MAC the node receives on DEV while CMD runs (tcpdump inside the node)
own_inbound() {
	local dev=$1 smac=$2 o=$3 pid
	shift 3
	OWN=
	"$UMNET" exec "$N" --timeout 15 -- timeout -s INT 4 \
		tcpdump -Q in -n -p -i "$dev" "ether src $smac" >"$o" 2>&1 &
	pid=$!
	PID_LIST+=("$pid")
	busywait 5000 grep -q "listening on" "$o" || return 1
	"$@" >"$o.cmd" 2>&1
	busywait 10000 sh -c "! kill -0 $pid 2>/dev/null"
	OWN=$(sed -n 's/^\([0-9]*\) packets\? captured.*/\1/p' "$o")
}

ip netns exec "$B" iperf3 -s -1 -B 10.2.0.1 >"$T/iperf-s.log" 2>&1 &
srv=$!
PID_LIST+=("$srv")
wait_port "$B" 5201
ip netns exec "$A" timeout 20 iperf3 -c 10.2.0.1 -t 1 >"$T/iperf-c.log" 2>&1
busywait 5000 sh -c "! kill -0 $srv 2>/dev/null"
kb=$(iperf_received_kb "$T/iperf-s.log")
[ "${kb:-0}" -ge 1024 ]
log_test $? "TCP fa -> fb through vec0 passes the filter (${kb:-0} KiB in 1 s)"

# Frames carrying the node's own source MAC must never come in through a
# filter = (what the kernel's default filter is meant to do, for frames the
# host loops back from the transmit socket to the receive socket). Make the
# peer send with the node's MAC: its ARP requests and pings then look
# exactly like looped frames. vec2's bpffile has no MAC check: the control.
# spoof NS HOSTDEV NODEDEV ADDR: OWN = such frames the node received
spoof() {
	local m
	m=$(node_mac "$3")
	ip -n "$1" link set "$2" address "$m"
	ip -n "$1" neigh flush dev "$2"
	own_inbound "$3" "$m" "$T/td-$3" \
		ip netns exec "$1" ping -c 3 -i 0.2 -W 1 "$4"
}
spoof "$C" "$N-h2" vec2 10.3.0.2
[ "${OWN:-0}" -ge 4 ]
log_test $? "vec2 (bpffile, no MAC check) takes frames from its own MAC (${OWN:-?})"
[ "${OWN:-0}" -ge 4 ] || cat "$T/td-vec2"
spoof "$A" "$N-h0" vec0 10.1.0.2
[ "${OWN:-x}" = 0 ]
log_test $? "vec0 (filter = not icmp) drops frames from its own MAC (${OWN:-?})"
[ "${OWN:-x}" = 0 ] || cat "$T/td-vec0"
# vector_kern.c attaches its default MAC filter to raw only when enabling
# PACKET_QDISC_BYPASS FAILS (`if (!uml_raw_enable_qdisc_bypass(...))`): on
# a host where it works, raw without a bpffile has no filter at all.
spoof "$B" "$N-h1" vec1 10.2.0.2
[ "${OWN:-0}" -ge 4 ]
log_test $? "vec1 (no bpffile: 6.12 raw has no default filter) takes them (${OWN:-?})"

check "down" "$UMNET" down "$N"

check "down leaves nothing behind" nothing_left "$N" "$A" "$B" "$C"
exit "$RET"
