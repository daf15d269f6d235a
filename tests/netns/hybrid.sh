#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# transport = hybrid: UML writes to a tap and reads the same tap through an
# AF_PACKET socket. umnet itself runs inside a namespace (a tap cannot be
# moved away from the UML that opened it), so everything lives there:
#
#   netns hy-X:  hX-t0 10.8.0.1 ==tap== vec0 10.8.0.2   node hX
#                hX-t1 10.9.0.1 ==tap== vec1 10.9.0.2   (filter = not icmp)
#
# ping and TCP over vec0; over vec1 ICMP is filtered out and TCP passes.
source "$(dirname "$0")/lib.sh"
require_root
require_built
require_command iperf3

tmpdir T
setup_ns HY
N=h$SFX
cat >"$T/h.profile" <<EOP
[appliance]
name = $N

[interface vec0]
transport = hybrid
ifname = $N-t0
address = 10.8.0.2/24
host = tap
host-address = 10.8.0.1/24

[interface vec1]
transport = hybrid
ifname = $N-t1
filter = not icmp
address = 10.9.0.2/24
host = tap
host-address = 10.9.0.1/24
EOP
tn() { ip netns exec "$HY" "$@"; }

out=$("$UMNET" hostsetup --dry-run "$T/h.profile" 2>&1)
[[ "$out" == *"ip tuntap add dev $N-t0 mode tap user $(id -u) group $(id -g)"*"ip addr add 10.8.0.1/24 dev $N-t0"* ]]
log_test $? "hostsetup --dry-run: a tap like transport = tap"
out=$("$UMNET" cmdline "$T/h.profile" 2>&1)
[[ "$out" == *" vec0:transport=hybrid,ifname=$N-t0,gro=1 "* ]] &&
	[[ "$out" == *" vec1:transport=hybrid,ifname=$N-t1,gro=1,mac="*",bpffile=/run/umnet/$N/node/vec1.bpf"* ]]
log_test $? "cmdline: vec0 with the default gro=1, vec1 with mac= and its bpffile too"

sed 's/^host = tap$/host = tap\nhost-netns = elsewhere/' "$T/h.profile" >"$T/bad.profile"
out=$("$UMNET" up "$T/bad.profile" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"bad.profile:8: vec0: host-netns does not work with transport = hybrid"* ]]
log_test $? "host-netns is refused with file:line (rc=$rc)"

NODE_LIST+=("$N")
out=$(tn "$UMNET" up "$T/h.profile" 2>&1); rc=$?
[ $rc -eq 0 ] && [[ "$out" == "$N: ready in "* ]]
log_test $? "up (hybrid) inside a namespace: $out"
[ $rc -eq 0 ] || { tail -20 "/run/umnet/$N/console.log" 2>/dev/null; exit 1; }

check "ping the node over vec0" tn ping -c 3 -i 0.2 -W 2 10.8.0.2
check_fail "ping over vec1 is filtered out (filter = not icmp)" \
	tn ping -c 2 -i 0.2 -W 1 10.9.0.2

# tcp_to ADDR : the node sends to an iperf3 server in the namespace for 1 s
# (exec runs inside the namespace too: it reaches the node through its
# mconsole socket, which answers only in the namespace the node runs in);
# KB = KiB the server received
tcp_to() {
	local srv
	tn iperf3 -s -1 -B "$1" >"$T/iperf-$1.log" 2>&1 &
	srv=$!
	PID_LIST+=("$srv")
	wait_port "$HY" 5201
	tn "$UMNET" exec "$N" --timeout 20 -- iperf3 -c "$1" -t 1 >"$T/c-$1.log" 2>&1
	busywait 5000 sh -c "! kill -0 $srv 2>/dev/null"
	KB=$(iperf_received_kb "$T/iperf-$1.log")
}
tcp_to 10.8.0.1
[ "${KB:-0}" -ge 1024 ]
log_test $? "TCP node -> namespace over vec0 for 1 s (${KB:-0} KiB)"
[ "${KB:-0}" -ge 1024 ] || tail -5 "$T/c-10.8.0.1.log"
tcp_to 10.9.0.1
[ "${KB:-0}" -ge 1024 ]
log_test $? "TCP over vec1 passes its filter (${KB:-0} KiB)"
[ "${KB:-0}" -ge 1024 ] || tail -5 "$T/c-10.9.0.1.log"

check "down (hybrid) inside the namespace" tn "$UMNET" down "$N"
check "the hybrid node leaves nothing behind" nothing_left "$N"
check_fail "tap $N-t0 is gone" tn ip link show "$N-t0"
check_fail "tap $N-t1 is gone" tn ip link show "$N-t1"
exit "$RET"
