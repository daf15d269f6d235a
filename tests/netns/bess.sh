#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The bess transport and `umnet switch`: four nodes on one learning switch,
# no host interfaces and no namespaces. Every pair reaches every other;
# after learning, unicast is not flooded; TCP across the switch; kill -9 of
# one node removes its port and the rest keep working; the switch removes
# its sockets on SIGTERM. Also the profile checks of bess, up without a
# switch, the switch's -n, usage, status and daemon mode. C and D use
# virtio-net headers (vnet_hdr = 1, via T/sw.sock.vnet): TCP between them
# crosses as TSO frames, TCP from C to A is cut into segments by the switch.
#
#   node A vec0 (10.77.0.1) --+
#   node B vec0 (10.77.0.2) --+--  umnet switch -d -s T/sw.sock
#   node C vec0 (10.77.0.3) ==+    (counters: umnet switch status,
#   node D vec0 (10.77.0.4) ==+     over T/sw.sock.ctl)
source "$(dirname "$0")/lib.sh"
require_root
require_built
require_command jq

tmpdir T
SW=$T/sw.sock
LETTERS=(a b c d)

mkprofile() { # mkprofile LETTER N FILE [dst [vnet_hdr]]
	cat >"$3" <<EOP
[appliance]
name = bs$SFX$1
sysctl = net.ipv6.conf.all.disable_ipv6=1
[interface vec0]
transport = bess
dst = ${4:-sw.sock}
src = $1.sock
address = 10.77.0.$2/24
vnet_hdr = ${5:-0}
EOP
}

swstatus() { "$UMNET" switch status --json -s "$SW"; }
# field LETTER JQ-FIELD : a counter of that node's port
field() {
	swstatus | jq -r --arg n "$T/$1.sock" \
		"[.ports[] | select(.name == \$n) | .$2] | if length == 1 then .[0] else \"none\" end"
}
total() { swstatus | jq "[.ports[].$1] | add // 0"; }
nports() { swstatus | jq '.ports | length'; }
# shellcheck disable=SC2317 # called through check
ping_ok() { # ping_ok FROM-LETTER TO-N
	"$UMNET" exec "bs$SFX$1" -- ping -c 1 -W 2 "10.77.0.$2" >/dev/null
}

# 1. profile checks (umnet cmdline: no switch needed)
mkprofile a 1 "$T/a.profile"
out=$("$UMNET" cmdline "$T/a.profile" 2>&1)
[[ "$out" == *"vec0:transport=bess,src=$T/a.sock,dst=$T/sw.sock"* ]]
log_test $? "relative src and dst are resolved against the profile's directory"
mkprofile c 3 "$T/c.profile" sw.sock 1
out=$("$UMNET" cmdline "$T/c.profile" 2>&1)
[[ "$out" == *"vec0:transport=bess,src=$T/c.sock,dst=$T/sw.sock.vnet,vnet_hdr=1"* ]]
log_test $? "vnet_hdr = 1: the node connects to dst.vnet with vnet_hdr=1"
long=/tmp/$(printf 'x%.0s' {1..104})
mkprofile a 1 "$T/long.profile" "$long"
out=$("$UMNET" cmdline "$T/long.profile" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"long.profile:6: vec0: bess: dst path $long is longer than a unix socket address allows (107 bytes)"* ]]
log_test $? "a dst longer than sun_path is refused with file:line"
sed '/^dst/d' "$T/a.profile" >"$T/nodst.profile"
out=$("$UMNET" cmdline "$T/nodst.profile" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"nodst.profile:4: vec0: bess needs dst = "* ]]
log_test $? "bess without dst is refused: $out"
sed 's/^src = .*/ifname = x0/' "$T/a.profile" >"$T/key.profile"
out=$("$UMNET" cmdline "$T/key.profile" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"key.profile:7: bess: unknown key \"ifname\""* ]]
log_test $? "a key bess does not read is refused: $out"

# 2. the switch's command line
out=$("$UMNET" switch 2>&1); rc=$?
[ $rc -eq 2 ] && [[ "$out" == *"Usage: umnet switch"* ]]
log_test $? "umnet switch without -s: usage, exit 2"
out=$("$UMNET" switch -a 0 -s "$SW" 2>&1); rc=$?
[ $rc -eq 2 ] && [[ "$out" == *'Error: argument "0" is wrong: -a takes a whole number 1..86400'* ]]
log_test $? "-a 0 is refused, exit 2: $out"
out=$("$UMNET" switch -n -s "$SW" 2>&1); rc=$?
[ $rc -eq 0 ] && [ "$out" = "configuration OK" ] && [ ! -e "$SW" ]
log_test $? "-n checks and creates nothing: $out"
out=$("$UMNET" switch -n -s "$T/nodir/sw.sock" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"the directory $T/nodir does not exist"* ]]
log_test $? "-n names a missing directory, exit 1"
out=$("$UMNET" switch status -s "$SW" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"is 'umnet switch -s $SW' running?"* ]]
log_test $? "status without a switch: exit 1, says what to run"

# 3. up without a switch fails before boot, naming the fix
out=$(node_up "$T/a.profile" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"no switch at dst $SW"*"umnet switch -s $SW"* ]]
log_test $? "up without a switch fails naming the socket: $out"
check "the failed up leaves nothing behind" nothing_left "bs${SFX}a"

# 4. the switch in the foreground, four nodes on it
"$UMNET" switch -d -v -s "$SW" 2>"$T/switch.log" &
SWPID=$!
PID_LIST+=("$SWPID")
busywait 3000 test -S "$SW.ctl"
out=$("$UMNET" switch -n -s "$SW" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"another switch is listening there"* ]]
log_test $? "-n on a path in use: exit 1"
for i in 0 1 2 3; do
	l=${LETTERS[$i]}
	mkprofile "$l" $((i + 1)) "$T/$l.profile" sw.sock $((i / 2))
	check "up node $l on the switch" node_up "$T/$l.profile"
done
[ "$(nports)" = 4 ]
log_test $? "the switch has 4 ports"
tb=$(seqpacket_sndbuf "$(node_pid "bs${SFX}a")")
[ "${tb:-0}" -ge 4194304 ]
log_test $? "node a's bess socket has a 4 MiB send buffer (tb ${tb:-none})"
ok=0
for l in a b c d; do
	[ "$(field "$l" pid)" = "$(node_pid "bs$SFX$l")" ] || ok=1
done
log_test $ok "each port is named by its node's src socket and UML pid"
[ "$(field a vnet)/$(field b vnet)/$(field c vnet)/$(field d vnet)" = false/false/true/true ]
log_test $? "c and d are header ports (sw.sock.vnet), a and b not"
out=$("$UMNET" exec "bs${SFX}c" -- dmesg 2>&1)
[[ "$out" == *"vec0: bess: using vnet headers for tso"* ]]
log_test $? "c's kernel takes vnet_hdr=1 (patch 0006)"

# 5. every pair
for i in 0 1 2 3; do
	for j in 1 2 3 4; do
		[ $((i + 1)) -eq $j ] && continue
		check "ping ${LETTERS[$i]} -> 10.77.0.$j" ping_ok "${LETTERS[$i]}" $j
	done
done
[ "$(total macs)" = 4 ]
log_test $? "4 MAC addresses learned"

# 6. after learning, a unicast exchange is not flooded
u0=$(total unknown) c0=$(field c tx_frames) d0=$(field d tx_frames)
a0=$(field a rx_frames) b0=$(field b rx_frames)
check "ping a -> b 10 times" "$UMNET" exec "bs${SFX}a" -- \
	ping -c 10 -i 0.05 -W 2 10.77.0.2
u1=$(total unknown) c1=$(field c tx_frames) d1=$(field d tx_frames)
a1=$(field a rx_frames) b1=$(field b rx_frames)
[ $((a1 - a0)) -ge 10 ] && [ $((b1 - b0)) -ge 10 ]
log_test $? "the switch forwarded the exchange (a rx +$((a1 - a0)), b rx +$((b1 - b0)))"
[ "$u1" = "$u0" ] && [ $((c1 - c0 + d1 - d0)) -le 2 ]
log_test $? "not flooded: unknown +$((u1 - u0)), c and d tx +$((c1 - c0 + d1 - d0)) (<= 2)"

# umnet status shows the switch the nodes are on, with its ports
out=$("$UMNET" status 2>&1)
[[ "$out" == *"switch $SW: pid "*", 4 ports"* ]] && [ "$(grep -c "bs$SFX" <<<"$out")" -ge 4 ]
log_test $? "umnet status lists the switch with its 4 ports"

# 7. TCP across the switch
# iperf_run FROM TO N: 1 s of TCP from node FROM to node TO (10.77.0.N);
# sets rc and kb (KiB received)
iperf_run() {
	check "iperf3 server on $2" "$UMNET" exec "bs$SFX$2" -- iperf3 -s -D -1
	# listening on 5201 (0x1451): the node has no ss
	busywait 5000 "$UMNET" exec "bs$SFX$2" -- \
		grep -q ':1451 00000000:0000 0A' /proc/net/tcp
	"$UMNET" exec "bs$SFX$1" -- iperf3 -c "10.77.0.$3" -t 1 >"$T/iperf.log" 2>&1
	rc=$?
	kb=$(iperf_received_kb "$T/iperf.log")
	[ $rc -eq 0 ] || cat "$T/iperf.log"
	grep -E 'receiver' "$T/iperf.log" | sed 's/^/    /'
}
iperf_run c d 4
[ $rc -eq 0 ] && [ "${kb:-0}" -ge 1024 ]
log_test $? "TCP c -> d: ${kb:-0} KiB in 1 s (d tx_dropped $(field d tx_dropped))"
fr=$(field c rx_frames) by=$(field c rx_bytes)
[ "${fr:-0}" -gt 0 ] && [ $((by / fr)) -gt 1600 ]
log_test $? "c -> d crossed as TSO frames: $((by / ${fr:-1})) bytes per frame from c"
[ "$(total bad_hdr)" = 0 ]
log_test $? "no malformed header on any port"

# 7b. TCP from a header port to a plain one: the switch cuts TSO frames
s0=$(field a segmented)
iperf_run c a 1
s1=$(field a segmented)
[ $rc -eq 0 ] && [ "${kb:-0}" -ge 1024 ] && [ $((s1 - s0)) -gt 0 ]
log_test $? "TCP c -> a: ${kb:-0} KiB in 1 s, $((s1 - s0)) TSO frames segmented for a"

# 8. kill -9 one node: its port and MAC go, the others keep working
pid=$(node_pid "bs${SFX}b")
kill -9 "$pid"
busywait 5000 sh -c "! kill -0 $pid 2>/dev/null"
busywait 5000 sh -c "[ \"\$($UMNET switch status --json -s $SW | jq '.ports | length')\" = 3 ]"
log_test $? "kill -9 of b's UML removes its port"
[ "$(field b pid)" = none ] && [ "$(total macs)" = 3 ]
log_test $? "b's port and MAC are gone, the others stay"
for p in "a 3" "a 4" "c 1" "c 4" "d 1" "d 3"; do
	# shellcheck disable=SC2086
	check "after b died: ping ${p% *} -> 10.77.0.${p#* }" ping_ok $p
done
check_fail "b no longer answers" ping_ok a 2
grep -q "port .* down: pid $pid" "$T/switch.log"
log_test $? "the switch logged b's port going down (-v)"


# 9. down everything
for l in a b c d; do
	check "down $l" "$UMNET" down "bs$SFX$l"
	check "node $l leaves nothing behind" nothing_left "bs$SFX$l"
done

# 10. SIGTERM: exit 0, both sockets removed
kill -TERM "$SWPID"
wait "$SWPID"
rc=$?
[ $rc -eq 0 ] && [ ! -e "$SW" ] && [ ! -e "$SW.ctl" ] && [ ! -e "$SW.vnet" ]
log_test $? "SIGTERM: the switch exits 0 (got $rc) and removes its sockets"

# 11. daemon mode: prints its pid, serves status, goes on SIGTERM
DSW=$T/d.sock
dpid=$("$UMNET" switch -s "$DSW")
rc=$?
[ $rc -eq 0 ] && [[ "$dpid" =~ ^[0-9]+$ ]] && PID_LIST+=("$dpid")
log_test $? "without -d it daemonizes and prints its pid ($dpid)"
out=$("$UMNET" switch status -s "$DSW" 2>&1)
[[ "$out" == "switch $DSW: pid $dpid, "*"0 ports"* ]]
log_test $? "status of the daemon: $out"
kill -TERM "$dpid"
busywait 3000 sh -c "! kill -0 $dpid 2>/dev/null && [ ! -e $DSW ] && [ ! -e $DSW.ctl ]"
log_test $? "the daemon stops on SIGTERM and removes its sockets"
exit "$RET"
