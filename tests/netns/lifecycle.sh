#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Faults and lifecycle: kill -9 then down, up failing half-way (at the host
# side, inside the node, on timeout), objects that existed before up are
# left alone, a persistent disk and its base-image check, a tap node.
#
#   netns lcA-X  lcX-h0 ==veth== lcX-u0|vec0 (node lcX)
source "$(dirname "$0")/lib.sh"
require_root
require_built

tmpdir T
N=lc$SFX NS=lcns-$SFX

mkprofile() { # mkprofile FILE [extra [appliance] lines...]
	local f=$1
	shift
	{
		echo "[appliance]"
		echo "name = $N"
		printf '%s\n' "$@"
		raw_veth_iface 0 "$N" 10.9.0 "$NS"
	} >"$f"
}

# 1. kill -9 of UML, then down removes everything (the node has
#    nameservers: nameserver = writes its /etc/resolv.conf)
mkprofile "$T/a.profile" "nameserver = 192.0.2.53" "nameserver = 2001:db8::53"
check "up" node_up "$T/a.profile"
check "nameserver = lines are the node's /etc/resolv.conf" \
	sh -c "'$UMNET' exec '$N' -- grep '^nameserver' /etc/resolv.conf | paste -sd' ' | grep -qx 'nameserver 192.0.2.53 nameserver 2001:db8::53'"
pid=$(node_pid "$N")
kill -9 "$pid"
busywait 3000 sh -c "! kill -0 $pid 2>/dev/null"
out=$("$UMNET" status "$N" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *stopped* ]]
log_test $? "status after kill -9 says stopped, exit 1"
out=$("$UMNET" exec "$N" -- true 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"is not running"* ]]
log_test $? "exec on a killed node says it is not running"
out=$("$UMNET" up "$T/a.profile" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"umnet down $N"* ]]
log_test $? "up over a killed node's state points to 'umnet down'"
check "down after kill -9" "$UMNET" down "$N"
check "down after kill -9 leaves nothing behind" nothing_left "$N" "$NS"
check_fail "veth $N-u0 is gone" ip link show "$N-u0"

# 2. the node's init fails (a route it cannot add): up exits 1, names the
#    node.conf line, shows the console, and removes everything
mkprofile "$T/b.profile" "route = 10.77.0.0/16 via 192.0.2.1"
out=$(node_up "$T/b.profile" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"boot configuration failed: node.conf:"*"(from $T/b.profile:3: route 10.77.0.0/16 via 192.0.2.1)"* ]] &&
	[[ "$out" == *"last lines of the console"* ]]
log_test $? "a failing route inside the node fails up with its node.conf line"
[ $rc -eq 1 ] || echo "$out"
check "a failed up leaves nothing behind" nothing_left "$N" "$NS"
check_fail "veth $N-u0 is gone after the failed up" ip link show "$N-u0"

# 3. not ready in time: --timeout, console tail, nothing left
mkprofile "$T/c.profile" "run = sleep 20"
out=$(node_up --timeout 2 "$T/c.profile" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"not ready after 2000 ms"* ]]
log_test $? "up --timeout 2 with a slow node fails naming the timeout"
check "a timed-out up leaves nothing behind" nothing_left "$N" "$NS"

# 4. the host side fails half-way: host-ifname exists already. What up made
#    is removed; the pre-existing interface and namespace are left alone.
setup_ns PRE
ip link add "$N-h0" type veth peer name "$N-x0"
mkprofile "$T/d.profile"
sed -i "s/^host-netns = .*/host-netns = $PRE/" "$T/d.profile"
out=$(node_up "$T/d.profile" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"$N-h0 already exists"* ]]
log_test $? "up refuses an interface name that exists: $out"
check "the pre-existing veth is still there" ip link show "$N-h0"
check "the pre-existing netns is still there" test -e "/run/netns/$PRE"
check_fail "the veth up would have made is not there" ip link show "$N-u0"
check "nothing else left" nothing_left "$N"
ip link del "$N-h0"

# 5. a namespace that existed before up is used, and not removed by down
check "up into an existing netns" node_up "$T/d.profile"
check "ping into the node from the existing netns" ip netns exec "$PRE" ping -c 1 -W 2 10.9.0.2
check "down" "$UMNET" down "$N"
check "down keeps the namespace it did not create" test -e "/run/netns/$PRE"
check_fail "down removed the veth it created" ip -n "$PRE" link show "$N-h0"

# 6. a persistent disk: changes survive down/up; a changed base image is
#    refused with the reason before UML is started
cp --sparse=always "$UMNET_ROOTFS" "$T/base.img"
mkprofile "$T/e.profile" "disk = node.cow"
export UMNET_ROOTFS="$T/base.img"
check "up with a persistent disk" node_up "$T/e.profile"
check "write a file in the node" "$UMNET" exec "$N" -- sh -c 'echo kept > /root/state; sync'
check "down" "$UMNET" down "$N"
check "the COW file stays after down" test -s "$T/node.cow"
check "up again with the same disk" node_up "$T/e.profile"
out=$("$UMNET" exec "$N" -- cat /root/state 2>&1)
[ "$out" = kept ]; log_test $? "the file written before down is still there ($out)"
check "down" "$UMNET" down "$N"
touch -d '2001-01-01 00:00:00' "$T/base.img"
out=$(node_up "$T/e.profile" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"no longer matches its base image"*"mtime"* ]] && [[ "$out" == *"delete $T/node.cow"* ]]
log_test $? "a changed base image is refused with the reason and the fix"
[ $rc -eq 1 ] || echo "$out"
check "the refused up leaves nothing behind" nothing_left "$N" "$NS"
export UMNET_ROOTFS="$BUILD/rootfs.img"

# 7. a tap node, with umnet itself run inside a namespace: the tap, its
#    address and the node's traffic all live there
setup_ns TAPNS
tap_profile "$T/f.profile" "$N" 10.8.0
tn() { ip netns exec "$TAPNS" "$@"; }
NODE_LIST+=("$N")
check "up (tap) inside a namespace" tn "$UMNET" up "$T/f.profile"
check "ping the node over the tap" tn ping -c 2 -i 0.2 -W 2 10.8.0.2
check "down (tap) inside the namespace" tn "$UMNET" down "$N"
check "the tap node leaves nothing behind" nothing_left "$N"
check_fail "the tap is gone" tn ip link show "$N-t0"

# 8. a tap that joins an existing bridge (host-bridge); TCP through it
sed -i '/^host-address/d' "$T/f.profile"
echo "host-bridge = br-$SFX" >>"$T/f.profile"
out=$(tn "$UMNET" up "$T/f.profile" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"there is no interface br-$SFX"*"create the bridge first"* ]]
log_test $? "host-bridge naming a missing bridge: refused, says what to do"
check "the refused up leaves nothing behind" nothing_left "$N"
check_fail "no tap left behind" tn ip link show "$N-t0"
tn ip link add "br-$SFX" type bridge
tn ip addr add 10.8.0.1/24 dev "br-$SFX"
tn ip link set "br-$SFX" up
check "up (tap into a bridge)" tn "$UMNET" up "$T/f.profile"
out=$(tn ip -o link show "$N-t0" 2>&1)
[[ "$out" == *"master br-$SFX"* ]]; log_test $? "the tap is a port of br-$SFX"
check "ping the node through the bridge" busywait 5000 tn ping -c 1 -W 1 10.8.0.2
check "iperf3 server in the node" tn "$UMNET" exec "$N" -- iperf3 -s -1 -D -B 10.8.0.2
busywait 5000 tn "$UMNET" exec "$N" -- grep -q ':1451 00000000:0000 0A' /proc/net/tcp
out=$(tn timeout 20 iperf3 -c 10.8.0.2 -t 1 2>&1); rc=$?
[ $rc -eq 0 ] && [[ "$out" == *receiver* ]]
log_test $? "TCP from the namespace to the node over the tap"
check "down (tap in a bridge)" tn "$UMNET" down "$N"
check_fail "the tap is gone from the bridge" tn ip link show "$N-t0"
check "the bridge itself stays (it was not ours)" tn ip link show "br-$SFX"
exit $RET
