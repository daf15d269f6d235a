#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# fd transport, host = wire: two nodes joined by a socketpair umnet made,
# no host interfaces and no namespaces at all:
#
#   node waX vec0 10.66.0.1/30 =====wire wX===== vec0 10.66.0.2/30 node wbX
#
# ping and TCP cross; a third node on the same wire is refused; the second
# node can restart and the wire comes back; down leaves nothing behind.
source "$(dirname "$0")/lib.sh"
require_root
require_built

tmpdir T
A=wa$SFX B=wb$SFX C=wc$SFX W=w$SFX
mk() { # mk NAME ADDR
	cat >"$T/$1.profile" <<EOP
$(profile_head "$1" 48M)
[interface vec0]
transport = fd
host = wire
wire = $W
address = $2
EOP
}
mk "$A" 10.66.0.1/30
mk "$B" 10.66.0.2/30
mk "$C" 10.66.0.3/30

check "up the first node on the wire" node_up "$T/$A.profile"
check "up the second node on the wire" node_up "$T/$B.profile"
tb=$(seqpacket_sndbuf "$(node_pid "$A")")
[ "${tb:-0}" -ge 4194304 ]
log_test $? "the wire's socket has a 4 MiB send buffer (tb ${tb:-none})"
out=$("$UMNET" cmdline "$T/$A.profile")
[[ "$out" == *" vec0:transport=fd,fd=100,mac="??:??:??:??:??:??",vnet_hdr=1" ]]; log_test $? "cmdline: vec0:transport=fd,fd=100,mac=<stable>,vnet_hdr=1"
out=$("$UMNET" exec "$A" -- dmesg 2>&1)
[[ "$out" == *"vec0: fd: using vnet headers for tso"* ]]
log_test $? "the node's kernel takes vnet_hdr=1 (patch 0006): TSO on the wire"
check "ping A -> B over the wire" "$UMNET" exec "$A" -- ping -c 3 -i 0.2 -W 2 10.66.0.2
check "ping B -> A over the wire" "$UMNET" exec "$B" -- ping -c 1 -W 2 10.66.0.1

check "iperf3 server in B" "$UMNET" exec "$B" -- iperf3 -s -1 -D -B 10.66.0.2
busywait 5000 "$UMNET" exec "$B" -- sh -c 'netstat -ltn | grep -q :5201'
out=$("$UMNET" exec "$A" --timeout 20 -- iperf3 -c 10.66.0.2 -t 1 -f k 2>&1); rc=$?
[ $rc -eq 0 ] && [[ "$out" == *receiver* ]]
log_test $? "TCP A -> B over the wire for 1 s"
[ $rc -eq 0 ] || echo "$out" | tail -3

out=$(node_up "$T/$C.profile" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"wire $W joins two other nodes already"* ]]
log_test $? "a third node on the wire is refused"
check "the refused node left nothing" nothing_left "$C"

check "down B" "$UMNET" down "$B"
check "A is still running" "$UMNET" status "$A"
check "B comes back on the same wire" node_up "$T/$B.profile"
check "ping A -> B after B restarted" busywait 5000 "$UMNET" exec "$A" -- ping -c 1 -W 1 10.66.0.2

check "down A" "$UMNET" down "$A"
check "down B" "$UMNET" down "$B"
check "nothing left" nothing_left "$A"
check "nothing left" nothing_left "$B"
exit $RET
