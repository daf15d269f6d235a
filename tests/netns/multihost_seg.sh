#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A switch segment split over two hosts (docs/scale.md), each host a
# network namespace with its own umnet state dir, an underlay veth between
# them (MTU 1400). The segment's switch runs on its first endpoint's host
# (a); r2 and r3 on host b reach it by L2TPv3 over UDP, each from a port
# and with a session of its own:
#
#   netns nsa-XXXX: host a, $D/a             netns nsb-XXXX: host b, $D/b
#   +-----------------------------+          +-----------------------------+
#   | [r1] 10.79.1.1 --bess--     |          |  [r2] 10.79.1.2  (l2tpv3)   |
#   |        umnet switch "lan" ~~~~ UDP ~~~~~~ [r3] 10.79.1.3  (l2tpv3)   |
#   | u0 10.79.0.1/24 (mtu 1400) ===== veth ===== u1 10.79.0.2/24          |
#   +-----------------------------+          +-----------------------------+
#
# Checks: each host brings up its share; the lab's [test] section passes
# from both hosts (pings r1-r2, r1-r3, r2-r3 through the switch on a, the
# segment's MTU 1346 on every end); the switch on host a has two remote
# ports that carried frames, and counts a datagram with an unknown session
# (umnet switch status); lab status shows the segment across a-b with its
# switch on host a; lab down on both hosts leaves nothing.
source "$(dirname "$0")/lib.sh"
require_root
require_built

LAB=ms$SFX
tmpdir D
# the lab's jailed switch (its uid) reaches its socket dir through $D
chmod 0755 "$D"
setup_ns NSA NSB

ip link add u0 netns "$NSA" mtu 1400 type veth peer name u1 netns "$NSB" mtu 1400 ||
	{ echo "ip link add veth failed"; exit 1; }
ip -n "$NSA" addr add 10.79.0.1/24 dev u0
ip -n "$NSB" addr add 10.79.0.2/24 dev u1
ip -n "$NSA" link set u0 up
ip -n "$NSB" link set u1 up

ha() { UMNET_STATE_DIR=$D/a timeout 180 ip netns exec "$NSA" "$UMNET" "$@"; }
hb() { UMNET_STATE_DIR=$D/b timeout 180 ip netns exec "$NSB" "$UMNET" "$@"; }

ms_cleanup() {
	[ -d "$D/a/.labs/$LAB" ] && ha lab down "$LAB" >/dev/null 2>&1
	[ -d "$D/b/.labs/$LAB" ] && hb lab down "$LAB" >/dev/null 2>&1
	return 0
}
trap 'ms_cleanup; cleanup' EXIT

cat >"$D/ms.lab" <<EOF
[lab]
name = $LAB
mem = 32M

[host a]
address = 10.79.0.1
netns = $NSA
mtu = 1400

[host b]
address = 10.79.0.2
netns = $NSB
mtu = 1400

[node r1]
host = a

[node r2]
host = b

[node r3]
host = b

[link lan]
endpoint = r1 10.79.1.1/24
endpoint = r2 10.79.1.2/24
endpoint = r3 10.79.1.3/24

[test]
wait-for = 30 reach r1 r2
reach = r1 r3
exec = r1 match="mtu 1346" -- ip -o link show vec0
wait-for = 30 reach r2 r3
reach = r3 r1
reach = r2 r1
exec = r2 match="mtu 1346" -- ip -o link show vec0
EOF

# expect RC "what" TEXT CMD... : CMD exits RC and its output holds TEXT
expect() {
	local rc=$1 msg=$2 text=$3 out got
	shift 3
	out=$("$@" 2>&1)
	got=$?
	if [ "$got" -eq "$rc" ] && grep -qF -- "$text" <<<"$out"; then
		log_test 0 "$msg"
	else
		log_fail "$msg" "exit $got, not $rc, or no \"$text\": \$ $*"$'\n'"$out"
	fi
}

expect 0 "lab up --host a: r1 and the segment's switch" "up, 1 node ready" \
	ha lab up "$D/ms.lab" --host a
expect 0 "lab up --host b: r2 and r3" "up, 2 nodes ready" \
	hb lab up "$D/ms.lab" --host b

expect 0 "lab test --host a: r1 reaches r2 and r3 across the split" \
	"3 passed, 0 failed, 4 on other hosts" ha lab test "$LAB" --host a
expect 0 "lab test --host b: r2-r3 (through a), r2, r3 -> r1, MTU 1346" \
	"4 passed, 0 failed, 3 on other hosts" hb lab test "$LAB" --host b

# the switch on host a: two remote ports that carried frames, no errors
SW=$D/a/.labs/$LAB/sw/lan.sock
json=$(ha switch status --json -s "$SW" 2>&1)
if python3 - "$json" <<'EOF'
import json, sys
s = json.loads(sys.argv[1])
remote = [p for p in s["ports"] if p["l2tp"]]
local = [p for p in s["ports"] if not p["l2tp"]]
assert len(remote) == 2 and len(local) == 1, s["ports"]
for p in remote:
    assert p["rx_frames"] > 0 and p["tx_frames"] > 0, p
    assert p["bad_cookie"] == 0 and p["name"].startswith("l2tp 10.79.0.2:"), p
assert s["l2tp_bad_session"] == 0, s
EOF
then
	log_test 0 "switch status on host a: 2 remote ports with traffic, 1 local"
else
	log_fail "switch status on host a: 2 remote ports with traffic, 1 local" "$json"
fi

# a datagram of no session of the switch: counted, dropped
port=$(ha lab status "$LAB" --json |
	python3 -c 'import json, sys; print([l for l in json.load(sys.stdin)["links"] if l["name"] == "lan"][0]["across"]["port"])')
ip netns exec "$NSB" python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(bytes.fromhex("00030000" "00000007" "00000000") + bytes(60), ("10.79.0.1", int(sys.argv[1])))' "$port"
busywait 3000 sh -c "UMNET_STATE_DIR=$D/a ip netns exec $NSA $UMNET switch status --json -s $SW | grep -q '\"l2tp_bad_session\":1'"
log_test $? "a datagram with an unknown session is counted (l2tp_bad_session 1)"
out=$(ha switch status -s "$SW" 2>&1)
grep -q "1 datagrams with no session of this switch" <<<"$out"
log_test $? "... and the text status says so"

out=$(ha lab status "$LAB" 2>&1)
grep -Eq "lan .* across a-b l2tpv3 port $port mtu 1346, switch on host a" <<<"$out"
log_test $? "lab status: lan across a-b, port $port, switch on host a"

out=$(ha lab down "$LAB" --host a 2>&1)
check "lab down --host a" test $? -eq 0
out2=$(hb lab down "$LAB" --host b 2>&1)
check "lab down --host b" test $? -eq 0
left=""
for h in a b; do
	[ -z "$(ls -A "$D/$h/.labs" 2>/dev/null)" ] || left+=" labs in $D/$h: $(ls -A "$D/$h/.labs")"
	ls -d "$D/$h/$LAB".* >/dev/null 2>&1 && left+=" node dirs in $D/$h"
done
pgrep -f "umid=$LAB\." >/dev/null && left+=" UML processes"
pgrep -f "switch .*$D/a/.labs/$LAB/" >/dev/null && left+=" a switch"
for ns in "$NSA" "$NSB"; do
	n=$(ip netns exec "$ns" ss -Hanu | wc -l)
	[ "$n" -eq 0 ] || left+=" $n UDP sockets in $ns"
done
if [ -z "$left" ]; then
	log_test 0 "nothing left on either host"
else
	log_fail "nothing left on either host" "$left; down: $out $out2"
fi

exit $RET
