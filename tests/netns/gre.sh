#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# transport = gre: two UML nodes joined by Ethernet over GRE, each node run
# inside its own namespace (the raw GRE socket lives where UML runs):
#
#   netns gre_a-X                                netns gre_b-X
#   node gaX  vec0 10.91.0.1/24                  node gbX  vec0 10.91.0.2/24
#     gre src=10.90.0.1 dst=10.90.0.2              gre src=10.90.0.2 dst=10.90.0.1
#     rx_key=1001 tx_key=1002                      rx_key=1002 tx_key=1001
#   gtaX 10.90.0.1/30 ============ veth =========== gtbX 10.90.0.2/30
#
# ping and TCP cross with matching keys, the packets on the veth are GRE
# with those keys; wrong keys and a sequence-number mismatch pass nothing;
# down leaves nothing behind.
source "$(dirname "$0")/lib.sh"
require_root
require_built
require_command tcpdump

tmpdir T
tunnel_pair gre g

mkprofile "$T/a.profile" "$A" 10.90.0.1 10.90.0.2 10.91.0.1/24 \
	"rx_key = 1001" "tx_key = 1002"
mkprofile "$T/b.profile" "$B" 10.90.0.2 10.90.0.1 10.91.0.2/24 \
	"rx_key = 1002" "tx_key = 1001"
up_in "$NSA" "$T/a.profile" "$A" || exit 1
up_in "$NSB" "$T/b.profile" "$B" || exit 1

# the first frames wait for ARP; then three pings must all pass
busywait 5000 ea -- ping -c 1 -W 1 10.91.0.2 >/dev/null
check "ping A -> B over GRE with keys" ping_b 3
check "ping B -> A over GRE with keys" \
	eb -- ping -c 3 -i 0.2 -W 1 10.91.0.1

# what crosses the veth is GRE (IP protocol 47) carrying key 1002 from A
ip netns exec "$NSB" timeout 10 tcpdump -n -l -c 2 -i "gtb$SFX" \
	'ip proto 47 and src 10.90.0.1' >"$T/dump" 2>/dev/null &
PID_LIST+=($!)
busywait 3000 sh -c "ip netns exec $NSB ss -0 -H | grep -q ." ||
	sleep 0.5 # tcpdump's packet socket is open
ping_b 2 >/dev/null 2>&1
busywait 10000 sh -c "! kill -0 ${PID_LIST[-1]} 2>/dev/null"
grep -q "GREv0, key=0x3ea" "$T/dump"
log_test $? "the veth carries GRE key 0x3ea (1002) from A"
[ -s "$T/dump" ] || echo "    tcpdump saw nothing"
grep -q "GREv0, key=0x3ea" "$T/dump" || sed 's/^/    /' "$T/dump"

tunnel_tcp GRE

# restart B with other settings; A stays
restart_b() {
	down_in "$NSB" "$B" >/dev/null 2>&1
	mkprofile "$T/b.profile" "$B" 10.90.0.2 10.90.0.1 10.91.0.2/24 "$@"
	up_in "$NSB" "$T/b.profile" "$B"
}

# wrong rx_key on B: B drops what A sends (and says so)
restart_b "rx_key = 1003" "tx_key = 1001"
check_fail "ping with mismatched GRE keys does not pass" ping_b 3
b_logs "unknown key id" "B's kernel logs the unknown GRE key"

# no keys on B at all: the GRE flags differ, nothing passes either
restart_b
check_fail "ping between keyed and keyless GRE does not pass" ping_b 3

# sequence numbers on both ends (A restarted too): passes
down_in "$NSA" "$A" >/dev/null 2>&1
mkprofile "$T/a.profile" "$A" 10.90.0.1 10.90.0.2 10.91.0.1/24 \
	"rx_key = 1001" "tx_key = 1002" "sequence = 1"
up_in "$NSA" "$T/a.profile" "$A"
restart_b "rx_key = 1002" "tx_key = 1001" "sequence = 1"
busywait 5000 ea -- ping -c 1 -W 1 10.91.0.2 >/dev/null
check "ping with sequence = 1 on both ends" ping_b 3
# only A numbers its packets: B expects other GRE flags
restart_b "rx_key = 1002" "tx_key = 1001"
check_fail "ping with sequence on one end only does not pass" ping_b 3

# the far end is a Linux gretap device, as on real equipment: B becomes a
# node whose vec0 is a raw socket on gtbX (so it owns 10.90.0.2) and which
# creates gt0 itself with ip(8), inside the node (the host has no gretap)
down_in "$NSB" "$B" >/dev/null 2>&1
down_in "$NSA" "$A" >/dev/null 2>&1

# up_b_raw [run lines...] : B on a raw socket on gtb$SFX (raw_b_profile)
up_b_raw() {
	raw_b_profile "gtb$SFX" "$@"
	ip -n "$NSB" addr flush dev "gtb$SFX"
	up_in "$NSB" "$T/b.profile" "$B"
}

mkprofile "$T/a.profile" "$A" 10.90.0.1 10.90.0.2 10.91.0.1/24 \
	"rx_key = 1001" "tx_key = 1002"
up_in "$NSA" "$T/a.profile" "$A"
up_b_raw "ip link add gt0 type gretap local 10.90.0.2 remote 10.90.0.1 ikey 1002 okey 1001" \
	"ip addr add 10.91.0.2/24 dev gt0" "ip link set gt0 up"
busywait 5000 ea -- ping -c 1 -W 1 10.91.0.2 >/dev/null
check "ping A -> a Linux gretap (ikey = A's tx_key, okey = A's rx_key)" ping_b 3
check "ping the Linux gretap -> A" eb -- ping -c 3 -i 0.2 -W 1 10.91.0.1

check "down A" down_in "$NSA" "$A"
check "down B" down_in "$NSB" "$B"
check "nothing left of A" nothing_left "$A"
check "nothing left of B" nothing_left "$B"

# the far end built by umnet's own netstack, running inside node B (the
# "real equipment": its kernel has gretap, the host's has not): B applies
# the host side of A's profile with `umnet hostsetup --apply`, which makes
# gt1 with local/remote and keys mirrored from A
mkprofile "$T/ha.profile" "$A" 10.90.0.1 10.90.0.2 10.91.0.1/24 \
	"rx_key = 1001" "tx_key = 1002" "host = gretap" "host-ifname = gt1" \
	"host-address = 10.91.0.2/24"
up_in "$NSA" "$T/a.profile" "$A"
up_b_raw
out=$(eb -- sh -c 'printf %s "$1" >/tmp/a.profile && umnet hostsetup --apply /tmp/a.profile' - "$(cat "$T/ha.profile")" 2>&1); rc=$?
[ $rc -eq 0 ]; log_test $? "umnet hostsetup --apply inside node B: $out"
out=$(eb -- ip -d link show gt1 2>&1)
[[ "$out" == *"gretap remote 10.90.0.1 local 10.90.0.2"* ]] && [[ "$out" == *"ikey 0.0.3.234 okey 0.0.3.233"* ]]
log_test $? "B's gt1 mirrors A: local/remote swapped, ikey = A's tx_key"
busywait 5000 ea -- ping -c 1 -W 1 10.91.0.2 >/dev/null
check "ping A -> the gretap umnet made inside B" ping_b 3
out=$(eb -- umnet hostsetup --remove /tmp/a.profile 2>&1); rc=$?
[ $rc -eq 0 ]; log_test $? "umnet hostsetup --remove inside B: $out"
check_fail "gt1 is gone from B" eb -- ip link show gt1
check "down A" down_in "$NSA" "$A"
check "down B" down_in "$NSB" "$B"

# host = gretap: umnet makes the far end itself, in host-netns (here NSB,
# which owns 10.90.0.2; a namespace that existed before is never removed)
ip -n "$NSB" addr flush dev "gtb$SFX"
ip -n "$NSB" addr add 10.90.0.2/30 dev "gtb$SFX"
mkprofile "$T/h.profile" "$A" 10.90.0.1 10.90.0.2 10.91.0.1/24 \
	"rx_key = 1001" "tx_key = 1002" "host = gretap" \
	"host-ifname = gth$SFX" "host-netns = $NSB" "host-address = 10.91.0.2/24"
dry_run_has "ip -n $NSB link add gth$SFX type gretap local 10.90.0.2 remote 10.90.0.1 ikey 1002 okey 1001
ip -n $NSB addr add 10.91.0.2/24 dev gth$SFX
ip -n $NSB link set gth$SFX up" "hostsetup --dry-run prints the gretap far end"

if ip -n "$NSB" link add "gtp$SFX" type gretap local 10.90.0.2 \
	remote 10.90.0.1 2>/dev/null; then
	ip -n "$NSB" link del "gtp$SFX"
	up_in "$NSA" "$T/h.profile" "$A"
	check "the host's gretap exists in $NSB" ip -n "$NSB" link show "gth$SFX"
	host_side_pings gretap gretap
	check "down A (host = gretap)" down_in "$NSA" "$A"
	check_fail "down removed the host's gretap" \
		ip -n "$NSB" link show "gth$SFX"
	check "down left $NSB (it existed before) alone" ip netns pid "$NSB"
else
	echo "SKIP: host = gretap for real: the host kernel has no gretap" \
		"(ip link add ... type gretap: Unknown device type)"
	host_side_missing "gre_c-$SFX" \
		"creating gretap gth$SFX in gre_c-$SFX: this kernel has no gretap devices" \
		gretap
fi
exit $RET
