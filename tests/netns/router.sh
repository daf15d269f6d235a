#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The shipped router profile, with names made unique:
#
#   netns lan0-X                  node rtX                    netns lan1-X
#   rtX-h0 10.1.0.1 ==veth== rtX-u0|vec0 10.1.0.2   vec1 10.2.0.2|rtX-u1 ==veth== rtX-h1 10.2.0.1
#
# ping and TCP cross the router both ways; exec, console and mconsole work;
# down leaves nothing behind.
source "$(dirname "$0")/lib.sh"
require_root
require_built
require_command iperf3

tmpdir T
N=rt$SFX L0=lan0-$SFX L1=lan1-$SFX
profile_from "$TOP/configs/router.profile" "$T/router.profile" \
	"s/\<r1\>/$N/g" "s/\<lan0\>/$L0/g" "s/\<lan1\>/$L1/g"

out=$(node_up "$T/router.profile" 2>&1); rc=$?
[ $rc -eq 0 ] && [[ "$out" == "$N: ready in "* ]]
log_test $? "up: $out"
[ $rc -eq 0 ] || { cat "/run/umnet/$N/console.log" 2>/dev/null | tail -20; exit 1; }

# boot and transport choices that exist for speed (docs/performance.md)
con=/run/umnet/$N/console.log
# loglevel=4: info messages stay in the guest's dmesg, off the host's log
check "boot: the guest took the preset lpj, no delay-loop calibration" \
	sh -c "'$UMNET' exec $N -- /bin/busybox dmesg | grep -q 'Calibrating delay loop (skipped) preset value'"
check_fail "boot: info-level kernel messages stay off the console log" \
	grep -q "Calibrating delay loop" "$con"
out=$("$UMNET" exec "$N" -- cat /proc/sys/kernel/printk 2>&1)
[[ "$out" == 4[[:space:]]* ]]
log_test $? "boot: the guest's console log level is 4 (loglevel=4): $out"
check_fail "boot: no exec-shield gap added to guest memory" grep -q "exec-shield gap" "$con"
pid=$(node_pid "$N")
socks=$(ss -0 -m -p | grep -F "pid=$pid,")
rb=$(grep -F "*:$N-u0 " <<<"$socks" | sed -n 's/.*skmem:(r[0-9]*,rb\([0-9]*\),.*/\1/p' | head -1)
# 16 MiB with SO_RCVBUFFORCE; a jailed node has no CAP_NET_ADMIN, so the
# kernel caps SO_RCVBUF at net.core.rmem_max (and shows it doubled)
want=$(( $(cat /proc/sys/net/core/rmem_max) * 2 ))
[ "$want" -gt 16777216 ] && want=16777216
[ "${rb:-0}" -ge "$want" ]
log_test $? "raw vec0: the host receive socket has min(16 MiB, 2 x rmem_max) (rb ${rb:-none}, want $want)"
grep -qF "[0]:$N-u0 " <<<"$socks" && ! grep -qF "ip:$N-u0 " <<<"$socks"
log_test $? "raw vec0: the host transmit socket receives nothing (protocol 0)"

check "ping lan0 -> lan1 through the router" ip netns exec "$L0" ping -c 3 -i 0.2 -W 2 10.2.0.1
check "ping lan1 -> lan0 through the router" ip netns exec "$L1" ping -c 3 -i 0.2 -W 2 10.1.0.1
check "ping the router itself" ip netns exec "$L0" ping -c 1 -W 2 10.1.0.2

ip netns exec "$L1" iperf3 -s -1 -B 10.2.0.1 >"$T/iperf-s.log" 2>&1 &
PID_LIST+=($!)
wait_port "$L1" 5201
out=$(ip netns exec "$L0" timeout 30 iperf3 -c 10.2.0.1 -t 2 2>&1); rc=$?
busywait 5000 sh -c "! kill -0 ${PID_LIST[-1]} 2>/dev/null"
kb=$(iperf_received_kb "$T/iperf-s.log")
[ $rc -eq 0 ] && [ "${kb:-0}" -ge 10240 ]
log_test $? "TCP lan0 -> lan1 for 2 s (server got ${kb:-0} KiB, want >= 10 MiB)"
[ $rc -eq 0 ] || echo "$out" | tail -5

# every frame the node receives on vec1 was sent by lan1's end: none of the
# node's own transmissions come back to it (patch 0004)
txh=$(ip netns exec "$L1" cat "/sys/class/net/$N-h1/statistics/tx_packets")
rxn=$("$UMNET" exec "$N" -- cat /sys/class/net/vec1/statistics/rx_packets)
txn=$("$UMNET" exec "$N" -- cat /sys/class/net/vec1/statistics/tx_packets)
[ "${rxn:-0}" -gt 0 ] && [ "${rxn:-0}" -le $((${txh:-0} + 10)) ]
log_test $? "raw vec1 receives only what lan1 sent, not its own frames (rx $rxn, lan1 sent $txh, vec1 sent $txn)"

# exec: stdout, stderr and the exit code of the inner command
out=$("$UMNET" exec "$N" -- ip -4 -br addr show dev vec0 2>&1); rc=$?
[ $rc -eq 0 ] && [[ "$out" == *"10.1.0.2/24"* ]]
log_test $? "exec: ip addr inside the node shows vec0 10.1.0.2/24"
"$UMNET" exec "$N" -- sh -c 'echo to-out; echo to-err >&2; exit 7' >"$T/o" 2>"$T/e"; rc=$?
[ $rc -eq 7 ] && [ "$(cat "$T/o")" = to-out ] && [ "$(cat "$T/e")" = to-err ]
log_test $? "exec: exit code 7, stdout and stderr kept apart (rc=$rc)"
"$UMNET" exec "$N" -- /no/such/command >/dev/null 2>&1; rc=$?
[ $rc -eq 127 ]; log_test $? "exec: a missing command gives 127 (rc=$rc)"
out=$("$UMNET" exec "$N" -- sysctl -n net.ipv4.ip_forward 2>&1)
[ "$out" = 1 ]; log_test $? "exec: forwarding is on inside the node ($out)"
out=$("$UMNET" exec "$N" -- sh -c 'head -c 300000 /dev/zero | tr "\0" x' | wc -c)
[ "$out" -eq 300000 ]; log_test $? "exec: 300 KB of output arrive intact ($out bytes)"
big=$(head -c 6000 /dev/zero | tr '\0' a)
out=$("$UMNET" exec "$N" --timeout 20 -- sh -c 'printf %s "$1" | wc -c' - "$big" 2>&1)
[ "$out" = 6000 ]; log_test $? "exec: a 6 KB argument arrives intact ($out)"
"$UMNET" exec "$N" --timeout 1 -- sleep 30 >/dev/null 2>&1; rc=$?
[ $rc -eq 124 ]; log_test $? "exec: --timeout kills a command that runs too long (rc=$rc)"
# a timed-out exec must not leave the next one a pts being replaced
bad=""
for i in 1 2 3; do
	"$UMNET" exec "$N" --timeout 1 -- sleep 30 >/dev/null 2>&1; rc=$?
	out=$("$UMNET" exec "$N" -- echo hi 2>&1)
	[ $rc -eq 124 ] && [ "$out" = hi ] || bad+=" round $i: rc=$rc, then '$out';"
done
[ -z "$bad" ]; log_test $? "exec: right after a timed-out exec, the next one works (3 rounds)$bad"
out=$("$UMNET" exec "$N" -- echo still-works 2>&1)
[ "$out" = still-works ]; log_test $? "exec: works again after a timeout"

# mconsole
out=$("$UMNET" mconsole "$N" version 2>&1)
[[ "$out" == *"Linux $N"* ]]; log_test $? "mconsole version: $out"
out=$("$UMNET" mconsole "$N" proc meminfo 2>&1)
[[ "$out" == *MemTotal:* ]]; log_test $? "mconsole proc meminfo shows MemTotal"
out=$("$UMNET" mconsole "$N" no-such-command 2>&1); rc=$?
[ $rc -eq 1 ]; log_test $? "mconsole: an unknown command exits 1 ($out)"
check "mconsole stop" "$UMNET" mconsole "$N" stop
check_fail "a stopped node does not answer ping" ip netns exec "$L0" ping -c 1 -W 1 10.1.0.2
check "mconsole go" "$UMNET" mconsole "$N" go
check "after go the node answers ping again" busywait 3000 ip netns exec "$L0" ping -c 1 -W 1 10.1.0.2

# the interactive console (tty1), driven through a pipe
out=$(printf 'echo marker-$((6*7))\n' | timeout 10 "$UMNET" console "$N" 2>&1)
[[ "$out" == *marker-42* ]]; log_test $? "console: a shell answers on tty1"

out=$("$UMNET" status --json)
[[ "$out" == *"\"name\": \"$N\", \"state\": \"running\""* ]]
log_test $? "status --json reports the node running"

out=$("$UMNET" up "$T/router.profile" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"already running"* ]]
log_test $? "a second up of the same node is refused"

check "down" "$UMNET" down "$N"
check "down leaves nothing behind" nothing_left "$N" "$L0" "$L1"
for l in "$N-u0" "$N-u1"; do
	check_fail "link $l is gone" ip link show "$l"
done
exit $RET
