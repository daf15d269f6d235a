#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# transport = l2tpv3: two UML nodes joined by an Ethernet pseudowire over
# L2TPv3, over UDP and over IP (protocol 115), each node run inside its own
# namespace (the tunnel socket lives where UML runs):
#
#   netns l2tpv3_a-X                               netns l2tpv3_b-X
#   node laX  vec0 10.91.0.1/24                   node lbX  vec0 10.91.0.2/24
#     src=10.90.0.1 dst=10.90.0.2                   src=10.90.0.2 dst=10.90.0.1
#     udp: srcport=17001 dstport=17002              srcport=17002 dstport=17001
#     rx_session=11 tx_session=22                   rx_session=22 tx_session=11
#     rx_cookie=0xc0c0a tx_cookie=0xc0c0b           (mirrored)
#   ltaX 10.90.0.1/30 ============ veth ============ ltbX 10.90.0.2/30
#
# ping and TCP cross over UDP and over IP, the packets on the veth are what
# the profile says; a wrong cookie or session passes nothing; down leaves
# nothing behind.
source "$(dirname "$0")/lib.sh"
require_root
require_built
require_command tcpdump

tmpdir T
tunnel_pair l2tpv3 l

# restart NODE(a|b) [options...] : (re)start one node with these options
restart() {
	if [ "$1" = a ]; then
		[ -d "/run/umnet/$A" ] && down_in "$NSA" "$A" >/dev/null 2>&1
		mkprofile "$T/a.profile" "$A" 10.90.0.1 10.90.0.2 10.91.0.1/24 "${@:2}"
		up_in "$NSA" "$T/a.profile" "$A"
	else
		[ -d "/run/umnet/$B" ] && down_in "$NSB" "$B" >/dev/null 2>&1
		mkprofile "$T/b.profile" "$B" 10.90.0.2 10.90.0.1 10.91.0.2/24 "${@:2}"
		up_in "$NSB" "$T/b.profile" "$B"
	fi
}

# dump FILTER : start tcpdump for 2 packets on B's veth end, into $T/dump
dump() {
	ip netns exec "$NSB" timeout 10 tcpdump -n -l -c 2 -i "ltb$SFX" "$1" \
		>"$T/dump" 2>/dev/null &
	PID_LIST+=($!)
	busywait 3000 sh -c "ip netns exec $NSB ss -0 -H | grep -q ."
}
dump_wait() { busywait 10000 sh -c "! kill -0 ${PID_LIST[-1]} 2>/dev/null"; }

# hexcheck FILTER OFFSET HEX WHAT : the first packet from A matching FILTER
# has HEX at OFFSET (in hex digits from the IP header)
hexcheck() {
	local hex
	ip netns exec "$NSB" timeout 10 tcpdump -n -c 1 -x -i "ltb$SFX" "$1" \
		>"$T/hex" 2>/dev/null &
	PID_LIST+=($!)
	busywait 3000 sh -c "ip netns exec $NSB ss -0 -H | grep -q ."
	ping_b 1 >/dev/null 2>&1
	dump_wait
	hex=$(sed -n 's/^[[:space:]]*0x[0-9a-f]*:[[:space:]]*//p' "$T/hex" |
		tr -d ' \n')
	[ "${hex:$2:${#3}}" = "$3" ]
	log_test $? "$4"
	[ "${hex:$2:${#3}}" = "$3" ] || echo "    got ${hex:$2:${#3}}, want $3"
}

UDP_A=("udp = 1" "srcport = 17001" "dstport = 17002")
UDP_B=("udp = 1" "srcport = 17002" "dstport = 17001")

# 1. over UDP, sessions and 32-bit cookies
restart a "${UDP_A[@]}" "rx_session = 11" "tx_session = 22" \
	"rx_cookie = 789514" "tx_cookie = 789515" || exit 1
restart b "${UDP_B[@]}" "rx_session = 22" "tx_session = 11" \
	"rx_cookie = 789515" "tx_cookie = 789514" || exit 1
busywait 5000 ea -- ping -c 1 -W 1 10.91.0.2 >/dev/null
check "ping A -> B over L2TPv3/UDP" ping_b 3
check "ping B -> A over L2TPv3/UDP" eb -- ping -c 3 -i 0.2 -W 1 10.91.0.1
dump "udp and src port 17001 and dst port 17002"
ping_b 2 >/dev/null 2>&1
dump_wait
grep -q "10.90.0.1.17001 > 10.90.0.2.17002: UDP" "$T/dump"
log_test $? "the veth carries UDP 17001 -> 17002 from A"
[ -s "$T/dump" ] || echo "    tcpdump saw nothing"
tunnel_tcp "L2TPv3/UDP"

# the L2TPv3 header A sends, after IPv4 (20 bytes) and UDP (8): the UDP
# data header 0x00030000 (T=0, version 3), session 22, 32-bit cookie 789515
hexcheck "udp and src port 17001" 56 "00030000""00000016""000c0c0b" \
	"A's UDP packets carry the L2TPv3 header, session 22, cookie 789515"

# 1b. follow = 1: B comes back from another address (as a replaced pod
#     does); A sends where B's valid packets come from. Without follow, A
#     keeps sending to B's old address and the wire stays cut.
ip -n "$NSA" addr add 10.90.1.1/24 dev "lta$SFX"
ip -n "$NSB" addr add 10.90.1.2/24 dev "ltb$SFX"
moved_b() { # B at 10.90.1.2, A's dst still 10.90.0.2
	down_in "$NSB" "$B" >/dev/null 2>&1
	mkprofile "$T/b.profile" "$B" 10.90.1.2 10.90.0.1 10.91.0.2/24 \
		"${UDP_B[@]}" "rx_session = 22" "tx_session = 11" \
		"rx_cookie = 789515" "tx_cookie = 789514"
	up_in "$NSB" "$T/b.profile" "$B"
}
restart a "${UDP_A[@]}" "rx_session = 11" "tx_session = 22" \
	"rx_cookie = 789514" "tx_cookie = 789515"
moved_b
check_fail "without follow: B, back from 10.90.1.2, does not reach A" \
	eb -- ping -c 2 -i 0.2 -W 1 10.91.0.1
restart a "${UDP_A[@]}" "rx_session = 11" "tx_session = 22" \
	"rx_cookie = 789514" "tx_cookie = 789515" "follow = 1"
restart b "${UDP_B[@]}" "rx_session = 22" "tx_session = 11" \
	"rx_cookie = 789515" "tx_cookie = 789514"
busywait 5000 ea -- ping -c 1 -W 1 10.91.0.2 >/dev/null
check "follow = 1: ping A -> B at its first address" ping_b 2
moved_b
busywait 5000 eb -- ping -c 1 -W 1 10.91.0.1 >/dev/null
check "follow = 1: B, back from 10.90.1.2, reaches A" \
	eb -- ping -c 3 -i 0.2 -W 1 10.91.0.1
check "follow = 1: and A reaches B there" ping_b 3
out=$(ea -- dmesg 2>&1)
[[ "$out" == *"follow: the far end sends from a new address"* ]]
log_test $? "A's kernel says it follows the far end"
ip -n "$NSA" addr del 10.90.1.1/24 dev "lta$SFX"
ip -n "$NSB" addr del 10.90.1.2/24 dev "ltb$SFX"
# A as section 1 left it, for the mismatches below
restart a "${UDP_A[@]}" "rx_session = 11" "tx_session = 22" \
	"rx_cookie = 789514" "tx_cookie = 789515"

# 2. B expects another cookie: nothing passes, B says why
restart b "${UDP_B[@]}" "rx_session = 22" "tx_session = 11" \
	"rx_cookie = 789516" "tx_cookie = 789514"
check_fail "ping with mismatched cookies does not pass" ping_b 3
b_logs "uml_l2tpv3: unknown cookie id" "B's kernel logs the unknown cookie"

# 3. B expects another session: nothing passes
restart b "${UDP_B[@]}" "rx_session = 23" "tx_session = 11" \
	"rx_cookie = 789515" "tx_cookie = 789514"
check_fail "ping with mismatched sessions does not pass" ping_b 3
b_logs "uml_l2tpv3: session mismatch" "B's kernel logs the session mismatch"

# 4. over IP (protocol 115), 64-bit cookies and counters
restart a "udp = 0" "rx_session = 33" "tx_session = 44" "cookie64 = 1" \
	"rx_cookie = 1311768467463790320" "tx_cookie = 1311768467463790321" \
	"counter = 1"
restart b "udp = 0" "rx_session = 44" "tx_session = 33" "cookie64 = 1" \
	"rx_cookie = 1311768467463790321" "tx_cookie = 1311768467463790320" \
	"counter = 1"
busywait 5000 ea -- ping -c 1 -W 1 10.91.0.2 >/dev/null
dump "ip proto 115 and src 10.90.0.1"
ping_b 2 >/dev/null 2>&1
dump_wait
grep -Eq "10.90.0.1 > 10.90.0.2: +ip-proto-115" "$T/dump"
log_test $? "the veth carries IP protocol 115 from A"
grep -Eq "10.90.0.1 > 10.90.0.2: +ip-proto-115" "$T/dump" ||
	sed 's/^/    /' "$T/dump"
# after IPv4 (20 bytes): session 44, 64-bit cookie, counter (not checked)
hexcheck "ip proto 115 and src 10.90.0.1" 40 "0000002c""123456789abcdef1" \
	"A's IP packets carry session 44 and 64-bit cookie ...def1"
check "ping A -> B over L2TPv3/IP with 64-bit cookies" ping_b 3
tunnel_tcp "L2TPv3/IP"

# 5. a 64-bit cookie on one end, 32-bit on the other: nothing passes
restart b "udp = 0" "rx_session = 44" "tx_session = 33" \
	"rx_cookie = 4294967295" "tx_cookie = 1" "counter = 1"
check_fail "ping between 64-bit and 32-bit cookies does not pass" ping_b 3

# 6. the far end is a Linux l2tp session (ip l2tp, pw type eth), as on real
#    equipment: B becomes a node whose vec0 is a raw socket on ltbX (so it
#    owns 10.90.0.2) and which creates the tunnel itself, inside the node
#    (the host has no l2tp). Linux's session_id / peer_cookie are what it
#    receives (A's tx_*), its peer_session_id / cookie what it sends.
linux_b() { # linux_b ENCAP-ARGS L2SPEC COOKIE PEER_COOKIE
	raw_b_profile "ltb$SFX" \
		"ip l2tp add tunnel tunnel_id 7 peer_tunnel_id 7 local 10.90.0.2 remote 10.90.0.1 $1" \
		"ip l2tp add session name l2t0 tunnel_id 7 session_id 22 peer_session_id 11 cookie $3 peer_cookie $4 l2spec_type $2" \
		"ip addr add 10.91.0.2/24 dev l2t0" "ip link set l2t0 up"
	[ -d "/run/umnet/$B" ] && down_in "$NSB" "$B" >/dev/null 2>&1
	up_in "$NSB" "$T/b.profile" "$B"
}
ip -n "$NSB" addr flush dev "ltb$SFX"
restart a "${UDP_A[@]}" "rx_session = 11" "tx_session = 22" \
	"rx_cookie = 789514" "tx_cookie = 789515"
linux_b "encap udp udp_sport 17002 udp_dport 17001" none 000c0c0a 000c0c0b
busywait 5000 ea -- ping -c 1 -W 1 10.91.0.2 >/dev/null
check "ping A -> a Linux l2tp session over UDP" ping_b 3
check "ping the Linux l2tp session -> A over UDP" \
	eb -- ping -c 3 -i 0.2 -W 1 10.91.0.1

restart a "udp = 0" "rx_session = 11" "tx_session = 22" "cookie64 = 1" \
	"rx_cookie = 1311768467463790320" "tx_cookie = 1311768467463790321" \
	"counter = 1"
linux_b "encap ip" default 123456789abcdef0 123456789abcdef1
busywait 5000 ea -- ping -c 1 -W 1 10.91.0.2 >/dev/null
check "ping A -> Linux l2tp over IP, 64-bit cookies, counter" ping_b 3

# 7. the far end built by umnet's own netstack (generic netlink l2tp)
#    running inside node B: B applies the host side of A's profile with
#    `umnet hostsetup --apply`, over UDP with A's non-default ports
restart a "${UDP_A[@]}" "rx_session = 11" "tx_session = 22" \
	"rx_cookie = 789514" "tx_cookie = 789515"
mkprofile "$T/ha.profile" "$A" 10.90.0.1 10.90.0.2 10.91.0.1/24 \
	"${UDP_A[@]}" "rx_session = 11" "tx_session = 22" \
	"rx_cookie = 789514" "tx_cookie = 789515" "host = l2tp" \
	"host-ifname = l2t1" "host-address = 10.91.0.2/24"
raw_b_profile "ltb$SFX"
down_in "$NSB" "$B" >/dev/null 2>&1
up_in "$NSB" "$T/b.profile" "$B"
out=$(eb -- sh -c 'printf %s "$1" >/tmp/a.profile && umnet hostsetup --apply /tmp/a.profile' - "$(cat "$T/ha.profile")" 2>&1); rc=$?
[ $rc -eq 0 ]; log_test $? "umnet hostsetup --apply (l2tp) inside node B: $out"
out=$(eb -- ip l2tp show session 2>&1)
[[ "$out" == *"Session 22 in tunnel 22"* ]] && [[ "$out" == *"Peer session 11"* ]]
log_test $? "B's l2tp session mirrors A (session 22, peer session 11)"
[[ "$out" == *"Session 22 in tunnel 22"* ]] || echo "$out" | sed 's/^/    /'
busywait 5000 ea -- ping -c 1 -W 1 10.91.0.2 >/dev/null
check "ping A -> the l2tp session umnet made inside B (UDP 17001/17002)" ping_b 3
out=$(eb -- umnet hostsetup --remove /tmp/a.profile 2>&1); rc=$?
[ $rc -eq 0 ]; log_test $? "umnet hostsetup --remove (l2tp) inside B: $out"
out=$(eb -- ip l2tp show tunnel 2>&1)
[ -z "$out" ]; log_test $? "the l2tp tunnel is gone from B"

check "down A" down_in "$NSA" "$A"
check "down B" down_in "$NSB" "$B"
check "nothing left of A" nothing_left "$A"
check "nothing left of B" nothing_left "$B"

# host = l2tp: umnet makes the far end itself, in host-netns (here NSB,
# which owns 10.90.0.2; a namespace that existed before is never removed)
ip -n "$NSB" addr add 10.90.0.2/30 dev "ltb$SFX"
mkprofile "$T/h.profile" "$A" 10.90.0.1 10.90.0.2 10.91.0.1/24 \
	"${UDP_A[@]}" "rx_session = 11" "tx_session = 22" \
	"rx_cookie = 789514" "tx_cookie = 789515" "host = l2tp" \
	"host-ifname = lth$SFX" "host-netns = $NSB" "host-address = 10.91.0.2/24"
dry_run_has "ip -n $NSB l2tp add tunnel tunnel_id 22 peer_tunnel_id 22 encap udp local 10.90.0.2 remote 10.90.0.1 udp_sport 17002 udp_dport 17001
ip -n $NSB l2tp add session name lth$SFX tunnel_id 22 session_id 22 peer_session_id 11 cookie 000c0c0a peer_cookie 000c0c0b l2spec_type none
ip -n $NSB addr add 10.91.0.2/24 dev lth$SFX
ip -n $NSB link set lth$SFX up" \
	"hostsetup --dry-run prints the l2tp far end (as in test 6)"

if ip netns exec "$NSB" ip l2tp show tunnel >/dev/null 2>&1; then
	up_in "$NSA" "$T/h.profile" "$A"
	check "the host's l2tp session device exists in $NSB" \
		ip -n "$NSB" link show "lth$SFX"
	host_side_pings "l2tp session" l2tp
	check "down A (host = l2tp)" down_in "$NSA" "$A"
	out=$(ip netns exec "$NSB" ip l2tp show tunnel tunnel_id 22 2>&1)
	[ -z "$out" ]
	log_test $? "down removed the host's l2tp tunnel"
	check "down left $NSB (it existed before) alone" ip netns pid "$NSB"
else
	echo "SKIP: host = l2tp for real: the host kernel has no l2tp" \
		"(ip l2tp show tunnel fails: no l2tp generic netlink family)"
	host_side_missing "l2tp_c-$SFX" \
		"creating l2tp tunnel 22 in l2tp_c-$SFX: this kernel has no l2tp" \
		l2tp
fi
exit $RET
