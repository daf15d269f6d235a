#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A lab split over two hosts (docs/scale.md), each host simulated as a
# network namespace with its own umnet state dir, an underlay veth between
# them (MTU 1400, as a tunnelled underlay might have):
#
#   netns ha-XXXX: host a, UMNET_STATE_DIR=$D/a    netns hb-XXXX: host b, $D/b
#   +-----------------------------------------+    +---------------------------+
#   | [r1] 10.78.12.1 --l12 (fd wire)--       |    |                           |
#   |          10.78.12.2 [r2] 10.78.23.1 vec1 ~~~~ l23: L2TPv3/UDP ~~~~ vec0   |
#   |                                          |    |       10.78.23.2 [r3]     |
#   | u0 10.77.0.1/24 (mtu 1400) =============veth============ u1 10.77.0.2/24  |
#   +-----------------------------------------+    +---------------------------+
#
# Checks: without mtu = the probe of `lab up` refuses the 1400 underlay,
# and a port another program holds; with it each host brings up its share
# (host a with --host from outside its netns, which umnet enters; host b
# without --host from inside its netns), a share cannot be brought up twice in one
# state dir, nor where neither host lives; the [test] section passes from
# both hosts across the split (lab test --host: 2 passed, 2 on the other
# host each); status per host (text and --json) lists the other host's
# nodes as remote and l23 with its port and MTU 1346; a DF ping of 1346
# bytes from r1 crosses l23 unfragmented, 1347 does not; restart and
# repair keep to their host's nodes; a cut of l23 at host a's end holds;
# a second lab over an IPv6 underlay carries an L2TPv3 and a GRE wire; a
# third runs as uid 65534 without a capability, each share found by its
# host's address; a fourth has a switch segment over the two hosts (its
# switch on a, r2 and r3 on b reach it by L2TPv3/UDP): pings between all
# three, the switch's remote ports and error counters, lab status, lab
# capture (on the switch's host; refused with a reason on the other); lab
# down --host leaves nothing, not even a UDP socket.
source "$(dirname "$0")/lib.sh"
require_root
require_built
require_command setpriv

LAB=mh$SFX
LAB2=mv$SFX
LAB3=mu$SFX
LAB4=ms$SFX
tmpdir D
# the jailed switch of LAB4 (the lab's uid) reaches its socket dir
chmod 0755 "$D"
setup_ns NSA NSB

# the underlay: a veth between the two "hosts"
ip link add u0 netns "$NSA" mtu 1400 type veth peer name u1 netns "$NSB" mtu 1400 ||
	{ echo "ip link add veth failed"; exit 1; }
ip -n "$NSA" addr add 10.77.0.1/24 dev u0
ip -n "$NSB" addr add 10.77.0.2/24 dev u1
ip -n "$NSA" link set u0 up
ip -n "$NSB" link set u1 up
# every address binds in host b: finding which host it is must not rely on bind()
ip netns exec "$NSB" sysctl -qw net.ipv4.ip_nonlocal_bind=1

ha() { UMNET_STATE_DIR=$D/a timeout 180 ip netns exec "$NSA" "$UMNET" "$@"; }
hb() { UMNET_STATE_DIR=$D/b timeout 180 ip netns exec "$NSB" "$UMNET" "$@"; }
# host a's state, run from this namespace: umnet enters the host's netns =
ra() { UMNET_STATE_DIR=$D/a timeout 180 "$UMNET" "$@"; }

mh_cleanup() {
	[ -d "$D/a/.labs/$LAB" ] && timeout 60 env UMNET_STATE_DIR="$D/a" ip netns exec "$NSA" "$UMNET" lab down "$LAB" >/dev/null 2>&1
	[ -d "$D/b/.labs/$LAB" ] && timeout 60 env UMNET_STATE_DIR="$D/b" ip netns exec "$NSB" "$UMNET" lab down "$LAB" >/dev/null 2>&1
	[ -d "$D/c/.labs/$LAB" ] && timeout 60 env UMNET_STATE_DIR="$D/c" "$UMNET" lab down "$LAB" >/dev/null 2>&1
	[ -d "$D/a/.labs/$LAB2" ] && timeout 60 env UMNET_STATE_DIR="$D/a" ip netns exec "$NSA" "$UMNET" lab down "$LAB2" >/dev/null 2>&1
	[ -d "$D/b/.labs/$LAB2" ] && timeout 60 env UMNET_STATE_DIR="$D/b" ip netns exec "$NSB" "$UMNET" lab down "$LAB2" >/dev/null 2>&1
	[ -d "$D/a/.labs/$LAB4" ] && timeout 60 env UMNET_STATE_DIR="$D/a" ip netns exec "$NSA" "$UMNET" lab down "$LAB4" >/dev/null 2>&1
	[ -d "$D/b/.labs/$LAB4" ] && timeout 60 env UMNET_STATE_DIR="$D/b" ip netns exec "$NSB" "$UMNET" lab down "$LAB4" >/dev/null 2>&1
	[ -n "${UD:-}" ] && [ -d "$UD/xa/umnet/.labs/$LAB3" ] && as_user "$NSA" "$UD/xa" lab down "$LAB3" >/dev/null 2>&1
	[ -n "${UD:-}" ] && [ -d "$UD/xb/umnet/.labs/$LAB3" ] && as_user "$NSB" "$UD/xb" lab down "$LAB3" >/dev/null 2>&1
	return 0
}
trap 'mh_cleanup; cleanup' EXIT

# lab_ab LAB ADDR_A ADDR_B [LINE...] : the [lab] section of LAB (mem 32M),
# then [host a] and [host b] at those addresses, in NSA and NSB unless
# NO_NETNS=1, each with the LINEs
lab_ab() {
	local a=$2 b=$3
	printf '[lab]\nname = %s\nmem = 32M\n\n' "$1"
	shift 3
	printf '[host a]\naddress = %s\n' "$a"
	[ -n "${NO_NETNS:-}" ] || echo "netns = $NSA"
	printf '%s\n' "$@"
	printf '[host b]\naddress = %s\n' "$b"
	[ -n "${NO_NETNS:-}" ] || echo "netns = $NSB"
	printf '%s\n' "$@"
}

# write_lab FILE [HOST-MTU-LINE]
write_lab() {
	cat >"$1" <<EOF
$(lab_ab $LAB 10.77.0.1 10.77.0.2 "$2")

[node r1]
host = a
loopback = 10.255.78.1/32
route = default via 10.78.12.2

[node r2]
host = a
forwarding = yes
route = 10.255.78.3/32 via 10.78.23.2
route = 10.255.78.1/32 via 10.78.12.1

[node r3]
host = b
loopback = 10.255.78.3/32
route = default via 10.78.23.1
run = echo hello-from-r3 > /tmp/greeting

$(link_eps l12 "r1 10.78.12.1/24" "r2 10.78.12.2/24")
$(link_eps l23 "r2 10.78.23.1/24" "r3 10.78.23.2/24")

[test]
wait-for = 20 reach r1 r3
reach = r3 r1
exec = r3 match="mtu 1346" -- ip -o link show vec0
exec = r1 match="mtu 1500" -- ip -o link show vec0
EOF
}

# the IP FragCreates counter of a namespace
frag_creates() {
	ip netns exec "$1" awk '/^Ip: [A-Z]/ { for (i = 2; i <= NF; i++) if ($i == "FragCreates") f = i }
		/^Ip: [0-9]/ { print $f }' /proc/net/snmp
}

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

write_lab "$D/nomtu.lab" ""
write_lab "$D/mh.lab" "mtu = 1400"

expect 1 "lab up refuses an underlay smaller than the lab's MTU" \
	"has MTU 1400, less than the 1500" ha lab up "$D/nomtu.lab" --host a
check_fail "... and leaves no state dir" test -e "$D/a/.labs/$LAB"
expect 1 "lab up without --host where no host lives names the hosts" \
	"runs on several hosts: a (10.77.0.1), b (10.77.0.2)" \
	env UMNET_STATE_DIR="$D/c" timeout 60 "$UMNET" lab up "$D/mh.lab"
check_fail "... and leaves no state dir" test -e "$D/c/.labs/$LAB"
# the port of l23, taken by another program: lab up says so before booting
port=$(ha lab status "$D/mh.lab" --host a --json |
	python3 -c 'import json, sys; print([l for l in json.load(sys.stdin)["links"] if l["name"] == "l23"][0]["across"]["port"])')
ip netns exec "$NSA" python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.77.0.1", int(sys.argv[1])))
print("bound", flush=True)
time.sleep(60)' "$port" >"$D/holder.out" 2>&1 &
holder=$!
PID_LIST+=("$holder")
busywait 5000 grep -q bound "$D/holder.out"
expect 1 "lab up refuses a port in use (l23: $port)" \
	"link l23: UDP port $port on host a (10.77.0.1): Address already in use" \
	ha lab up "$D/mh.lab" --host a
kill "$holder"
wait "$holder" 2>/dev/null
expect 0 "lab up --host a (entering its netns): r1 and r2" "up, 2 nodes ready" \
	ra lab up "$D/mh.lab" --host a
pid=$(pgrep -f "umid=$LAB.r1 " | head -1)
check "r1's UML runs in host a's netns" test "$(ip netns identify "${pid:-0}")" = "$NSA"
# host b: no --host, the share is found from the netns this runs in
expect 0 "lab up in host b's netns (no --host): r3" "up, 1 node ready" \
	hb lab up "$D/mh.lab"
expect 1 "a second host's share in one state dir is refused" \
	"host a's share is up in this state directory" \
	ha lab up "$D/mh.lab" --host b

# the lab's tests from each host: 2 of 4 run where their node is
expect 0 "lab test --host a: r1 reaches r3 across the split" \
	"2 passed, 0 failed, 2 on other hosts" ha lab test "$LAB" --host a
expect 0 "lab test --host b: r3 reaches r1, vec0 MTU 1346" \
	"2 passed, 0 failed, 2 on other hosts" hb lab test "$LAB" --host b

# status per host
out=$(ha lab status "$LAB" 2>&1)
if grep -Eq "^  r3 +remote .*\(host b\)" <<<"$out" &&
	grep -Eq "^  r1 +running" <<<"$out" &&
	grep -Eq "l23 .* across a-b l2tpv3 port [0-9]+ mtu 1346" <<<"$out" &&
	grep -q "2 of 2 nodes running; host a's share (1 node on other hosts)" <<<"$out"; then
	log_test 0 "lab status on host a: r3 remote, l23 across"
else
	log_fail "lab status on host a: r3 remote, l23 across" "$out"
fi
out=$(hb lab status "$LAB" --host b --json 2>&1)
if python3 - "$out" <<'EOF'
import json, sys
s = json.loads(sys.argv[1])
st = {n["name"]: (n["state"], n["host"]) for n in s["nodes"]}
l23 = [l for l in s["links"] if l["name"] == "l23"][0]["across"]
assert s["host"] == "b", s["host"]
assert st == {"r1": ("remote", "a"), "r2": ("remote", "a"),
              "r3": ("running", "b")}, st
assert l23["transport"] == "l2tpv3" and l23["mtu"] == 1346, l23
assert 20000 <= l23["port"] <= 29999, l23
EOF
then
	log_test 0 "lab status --host b --json: r1, r2 remote, l23 across"
else
	log_fail "lab status --host b --json: r1, r2 remote, l23 across" "$out"
fi

# the MTU across: r1 sends with DF (its own vec0 is 1500), r2 forwards
# into l23: 1347 bytes need fragmenting there, 1346 cross the 1400
# underlay (the larger first: r1 learns the path MTU from r2's refusal)
out=$(ha exec "$LAB/r1" -- ping -c 1 -W 2 -s 1319 10.78.23.2 2>&1)
if [ $? -ne 0 ] && grep -q " 0 packets received" <<<"$out"; then
	log_test 0 "a DF ping of 1347 bytes does not cross l23"
else
	log_fail "a DF ping of 1347 bytes does not cross l23" "$out"
fi
fa=$(frag_creates "$NSA")
fb=$(frag_creates "$NSB")
if out=$(ha exec "$LAB/r1" -- ping -c 1 -W 2 -s 1318 10.78.23.2 2>&1); then
	log_test 0 "a DF ping of 1346 bytes crosses l23"
else
	log_fail "a DF ping of 1346 bytes crosses l23" "$out"
fi
# 1346 + 14 + 12 + 8 + 20 = 1400: no host fragments the tunnel's datagrams
fa2=$(frag_creates "$NSA")
fb2=$(frag_creates "$NSB")
if [ -n "$fa" ] && [ "$fa" = "$fa2" ] && [ "$fb" = "$fb2" ]; then
	log_test 0 "its datagrams fill the 1400 underlay unfragmented"
else
	log_fail "its datagrams fill the 1400 underlay unfragmented" "FragCreates a $fa -> $fa2, b $fb -> $fb2"
fi

# restart and repair touch only the host's own nodes
expect 1 "lab restart of r3 on host a is refused" \
	"node r3 runs on host b, and this is host a's share" \
	ha lab restart "$LAB" r3
check "lab restart r3 on host b" hb lab restart "$LAB" r3
expect 0 "lab repair on host a: nothing (b's nodes are not dead here)" \
	"nothing to repair" ha lab repair "$LAB"
expect 0 "after r3's restart r1 reaches it again (share from state)" \
	"2 passed, 0 failed, 2 on other hosts" ha lab test "$LAB"

# a cut at host a's end of l23
out=$(ha lab link down "$LAB" l23 2>&1) &&
	! ha exec "$LAB/r1" -- ping -c 2 -W 1 10.255.78.3 >/dev/null 2>&1 &&
	out=$(ha lab link up "$LAB" l23 2>&1) &&
	busywait 10000 ha exec "$LAB/r1" -- ping -c 1 -W 1 10.255.78.3 >/dev/null 2>&1
log_test $? "lab link down/up l23 on host a cuts and restores it"

# down on each host
out=$(ra lab down "$LAB" --host a 2>&1)
check "lab down --host a" test $? -eq 0
out2=$(hb lab down "$LAB" --host b 2>&1)
check "lab down --host b" test $? -eq 0
# over an IPv6 underlay: an L2TPv3 wire and a GRE one (transport = gre,
# raw sockets: this test runs as root) between the same two nodes
ip -n "$NSA" addr add fd00:77::1/64 dev u0 nodad
ip -n "$NSB" addr add fd00:77::2/64 dev u1 nodad
cat >"$D/v6.lab" <<EOF
$(lab_ab $LAB2 fd00:77::1 fd00:77::2 "mtu = 1400")
[node p1]
host = a
[node p2]
host = b
[link x]
endpoint = p1 10.79.0.1/24
endpoint = p2 10.79.0.2/24
[link y]
endpoint = p1 10.79.1.1/24
endpoint = p2 10.79.1.2/24
transport = gre
[test]
wait-for = 10 reach p1 10.79.0.2
wait-for = 10 reach p1 10.79.1.2
exec = p1 match="vec0.* mtu 1326 .*vec1.* mtu 1338 " -- ip -o link show
wait-for = 10 reach p2 10.79.0.1
wait-for = 10 reach p2 10.79.1.1
EOF
if out=$(ha lab up "$D/v6.lab" --host a 2>&1) && out=$(hb lab up "$D/v6.lab" --host b 2>&1) &&
	out=$(ha lab test "$LAB2" 2>&1) && grep -q "3 passed, 0 failed, 2 on other hosts" <<<"$out" &&
	out=$(hb lab test "$LAB2" 2>&1) && grep -q "2 passed, 0 failed, 3 on other hosts" <<<"$out"; then
	log_test 0 "IPv6 underlay: L2TPv3 (MTU 1326) and GRE (1338) wires across"
else
	log_fail "IPv6 underlay: L2TPv3 (MTU 1326) and GRE (1338) wires across" "$out"
fi
out=$(ha lab down "$LAB2" 2>&1) && out2=$(hb lab down "$LAB2" 2>&1)
check "lab down of the IPv6 lab on both hosts" test $? -eq 0

# a switch segment over the two hosts: its switch runs on its first
# endpoint's host (a); r2 and r3 on b reach it by L2TPv3 over UDP, each
# from a port and with a session of its own (the MTU: 1400 - 54 = 1346)
cat >"$D/ms.lab" <<EOF
$(lab_ab $LAB4 10.77.0.1 10.77.0.2 "mtu = 1400")

[node r1]
host = a

[node r2]
host = b

[node r3]
host = b

$(link_eps lan "r1 10.79.1.1/24" "r2 10.79.1.2/24" "r3 10.79.1.3/24")

[test]
wait-for = 30 reach r1 r2
reach = r1 r3
exec = r1 match="mtu 1346" -- ip -o link show vec0
wait-for = 30 reach r2 r3
reach = r3 r1
reach = r2 r1
exec = r2 match="mtu 1346" -- ip -o link show vec0
EOF

expect 0 "segment: lab up --host a: r1 and the segment's switch" "up, 1 node ready" \
	ha lab up "$D/ms.lab" --host a
expect 0 "segment: lab up --host b: r2 and r3" "up, 2 nodes ready" \
	hb lab up "$D/ms.lab" --host b

expect 0 "segment: lab test --host a: r1 reaches r2 and r3" \
	"3 passed, 0 failed, 4 on other hosts" ha lab test "$LAB4" --host a
expect 0 "segment: lab test --host b: r2-r3 (through a), r2, r3 -> r1" \
	"4 passed, 0 failed, 3 on other hosts" hb lab test "$LAB4" --host b

# the switch on host a: two remote ports that carried frames, no errors
SW=$D/a/.labs/$LAB4/sw/lan.sock
json=$(ha switch status --json -s "$SW" 2>&1)
if python3 - "$json" <<'EOF'
import json, sys
s = json.loads(sys.argv[1])
remote = [p for p in s["ports"] if p["l2tp"]]
local = [p for p in s["ports"] if not p["l2tp"]]
assert len(remote) == 2 and len(local) == 1, s["ports"]
for p in remote:
    assert p["rx_frames"] > 0 and p["tx_frames"] > 0, p
    assert p["bad_cookie"] == 0 and p["name"].startswith("l2tp 10.77.0.2:"), p
assert s["l2tp_bad_session"] == 0, s
EOF
then
	log_test 0 "switch status on host a: 2 remote ports with traffic, 1 local"
else
	log_fail "switch status on host a: 2 remote ports with traffic, 1 local" "$json"
fi

# a datagram of no session of the switch: counted, dropped
port=$(ha lab status "$LAB4" --json |
	python3 -c 'import json, sys; print([l for l in json.load(sys.stdin)["links"] if l["name"] == "lan"][0]["across"]["port"])')
ip netns exec "$NSB" python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(bytes.fromhex("00030000" "00000007" "00000000") + bytes(60), ("10.77.0.1", int(sys.argv[1])))' "$port"
busywait 3000 sh -c "UMNET_STATE_DIR=$D/a ip netns exec $NSA $UMNET switch status --json -s $SW | grep -q '\"l2tp_bad_session\":1'"
log_test $? "a datagram with an unknown session is counted (l2tp_bad_session 1)"
out=$(ha switch status -s "$SW" 2>&1)
grep -q "1 datagrams with no session of this switch" <<<"$out"
log_test $? "... and the text status says so"

out=$(ha lab status "$LAB4" 2>&1)
grep -Eq "lan .* across a-b l2tpv3 port $port mtu 1346, switch on host a" <<<"$out"
log_test $? "lab status: lan across a-b, port $port, switch on host a"

expect 1 "segment: lab capture on host b says the switch is on host a" \
	"the switch of lan runs on host a: run umnet lab capture there" \
	hb lab capture "$LAB4" lan -c 1 -w "$D/lan.pcap"
ha lab capture "$LAB4" lan -c 4 --duration 15 -w "$D/lan.pcap" >"$D/cap.out" 2>&1 &
cap=$!
PID_LIST+=("$cap")
sleep 1
hb exec "$LAB4.r2" -- ping -c 5 -i 0.3 -W 1 10.79.1.3 >/dev/null 2>&1
wait "$cap"
# its records: r2's pings to r3, both on host b, seen by the switch on a
python3 - "$D/lan.pcap" <<'EOF'
import struct, sys
d = open(sys.argv[1], "rb").read()
n, off = 0, 24
while off + 16 <= len(d):
    n += 1
    off += 16 + struct.unpack("<I", d[off + 8:off + 12])[0]
sys.exit(0 if n >= 4 else 1)
EOF
log_test $? "segment: lab capture on host a records the remote ports' frames"
out=$(ha lab down "$LAB4" --host a 2>&1) && out2=$(hb lab down "$LAB4" --host b 2>&1)
check "segment: lab down on both hosts" test $? -eq 0

# unprivileged (uid 65534, no capability): L2TPv3/UDP needs nothing of the
# host; no netns = here, so each side finds its host by its address
U=65534
user_dir UD "$UMNET" "$UMNET_KERNEL" "$UMNET_ROOTFS" || exit 1
mkdir "$UD/xa" "$UD/xb" && chown "$U:$U" "$UD/xa" "$UD/xb" && chmod 0700 "$UD/xa" "$UD/xb"
cat >"$UD/rl.lab" <<EOF
$(NO_NETNS=1 lab_ab $LAB3 10.77.0.1 10.77.0.2 "mtu = 1400")
[node q1]
host = a
[node q2]
host = b
$(link_eps z "q1 10.80.0.1/24" "q2 10.80.0.2/24")
[test]
wait-for = 10 reach q1 q2
wait-for = 10 reach q2 q1
EOF
chmod a+r "$UD/rl.lab"
# as_user NS XDG CMD... : umnet as uid 65534, clean environment, in NS
as_user() {
	local ns=$1 x=$2
	shift 2
	(cd "$UD" && timeout 120 ip netns exec "$ns" setpriv --reuid=$U --regid=$U \
		--clear-groups --inh-caps=-all env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/nonexistent XDG_RUNTIME_DIR="$x" UMNET_KERNEL="$UD/linux" \
		UMNET_ROOTFS="$UD/rootfs.img" "$UD/umnet" "$@")
}
expect 0 "as uid 65534, host a's share found by its address" "up, 1 node ready" \
	as_user "$NSA" "$UD/xa" lab up "$UD/rl.lab"
expect 0 "as uid 65534, host b's share found by its address" "up, 1 node ready" \
	as_user "$NSB" "$UD/xb" lab up "$UD/rl.lab"
check "... each share's state in its XDG_RUNTIME_DIR" \
	test -d "$UD/xa/umnet/.labs/$LAB3" -a -d "$UD/xb/umnet/.labs/$LAB3"
expect 0 "unprivileged: q1 reaches q2 across" "1 passed, 0 failed, 1 on other hosts" \
	as_user "$NSA" "$UD/xa" lab test "$LAB3"
expect 0 "unprivileged: q2 reaches q1 across" "1 passed, 0 failed, 1 on other hosts" \
	as_user "$NSB" "$UD/xb" lab test "$LAB3"
out=$(as_user "$NSA" "$UD/xa" lab down "$LAB3" 2>&1) &&
	out2=$(as_user "$NSB" "$UD/xb" lab down "$LAB3" 2>&1)
check "unprivileged lab down on both hosts" test $? -eq 0

left=""
for h in a b c; do
	[ -z "$(ls -A "$D/$h/.labs" 2>/dev/null)" ] || left+=" labs in $D/$h: $(ls -A "$D/$h/.labs")"
	for n in "$LAB" "$LAB2" "$LAB4"; do
		ls -d "$D/$h/$n".* >/dev/null 2>&1 && left+=" node dirs $n.* in $D/$h"
	done
done
for x in xa xb; do
	[ -z "$(ls -A "$UD/$x/umnet/.labs" 2>/dev/null)" ] || left+=" labs in $UD/$x/umnet"
	ls -d "$UD/$x/umnet/$LAB3".* >/dev/null 2>&1 && left+=" node dirs in $UD/$x/umnet"
done
pgrep -f "umid=($LAB|$LAB2|$LAB3|$LAB4)\." >/dev/null && left+=" UML processes: $(pgrep -f "umid=($LAB|$LAB2|$LAB3|$LAB4)\.")"
pgrep -f "switch .*$D/a/.labs/$LAB4/" >/dev/null && left+=" the switch of $LAB4"
for ns in "$NSA" "$NSB"; do
	links=$(ip -n "$ns" -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -vx -e lo -e u0 -e u1)
	[ -z "$links" ] || left+=" links in $ns: $links"
	n=$(ip netns exec "$ns" ss -Hanu | wc -l)
	[ "$n" -eq 0 ] || left+=" $n UDP sockets in $ns"
done
if [ -z "$left" ]; then
	log_test 0 "nothing left on either host"
else
	log_fail "nothing left on either host" "$left; down: $out $out2"
fi

exit $RET
