#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Kathará and Netkit lab directories (docs/kathara.md), course style:
#
#   static:  pc1 --A-- r1 --B-- r2 --C-- pc2     (startup files: ip address,
#            ip route; lab/shared and lab/NODE laid over /; exec; shutdown)
#   bridge:  h1..h4 (fixed MACs) --A..D-- sw (br0 made in sw.startup)
#   netkit:  machines="pc1 pc2", pc1 --LAN-- pc2   (pc3 not started)
#
# plus lab.conf syntax errors told with file:line, and `lab convert`.
source "$(dirname "$0")/lib.sh"
require_root
require_built

tmpdir T
K=$TOP/tests/kathara
ex() { "$UMNET" exec "$@" 2>&1; }
kup() { # kup DIR NAME [args]: lab up --name NAME, remembered for cleanup
	local dir=$1 name=$2
	shift 2
	LAB_LIST+=("$name")
	"$UMNET" lab up "$dir" --name "$name" "$@"
}

# --- static routes between two routers and two hosts -----------------------
S=kst$SFX
out=$(kup "$K/static" "$S" 2>&1)
rc=$?
[ $rc -eq 0 ] && grep -q "^lab $S: up, 4 nodes ready" <<<"$out"
log_test $? "static: lab up of a lab directory with --name"
[ $rc -eq 0 ] || { printf '%s\n' "$out"; exit 1; }
ex "$S/pc2" -- test -e /etc/debian_version && ex "$S/r1" -- test -e /etc/debian_version &&
	! ex "$S/pc1" -- test -e /etc/debian_version
log_test $? "static: pc2[image]=kathara/base and r1 (no image=, Kathará's default) run the Debian image, pc1[image]=minimal the minimal one"
check "static: pc1 pings pc2 through r1 and r2" \
	"$UMNET" exec "$S/pc1" -- ping -c 1 -W 2 10.0.3.2
check "static: traceroute-free path check: route on r1 via r2" \
	sh -c "'$UMNET' exec '$S/r1' -- ip route show 10.0.3.0/24 | grep -q 'via 10.0.2.2 dev eth1'"
names=$(ex "$S/r2" -- ip -o link show | awk -F': ' '{print $2}' | grep -c '^eth[01]$')
[ "$names" = 2 ] && ! ex "$S/r2" -- ip link show vec0 >/dev/null
log_test $? "static: interfaces are eth0, eth1 in the node (no vecN)"
[ "$(ex "$S/pc1" -- cat /hello.txt)" = "pc1 file" ] &&
	[ "$(ex "$S/pc1" -- cat /etc/motd-shared)" = "from shared" ]
log_test $? "static: lab/pc1 and lab/shared laid over /"
[ "$(ex "$S/r1" -- cat /etc/motd-shared)" = "r1's own" ]
log_test $? "static: the node's own file wins over shared's"
ex "$S/pc2" -- ls /tmp/exec1 /tmp/exec2 >/dev/null
log_test $? "static: exec lines ran"
ex "$S/pc2" -- ls /var/log/startup.log /var/log/shared.log >/dev/null
log_test $? "static: startup logs in /var/log"
[ "$(ex "$S/r1" -- cat /proc/sys/net/ipv6/conf/eth0/disable_ipv6)" = 1 ] &&
	[ "$(ex "$S/r2" -- cat /proc/sys/net/ipv6/conf/eth0/disable_ipv6)" = 0 ]
log_test $? "static: ipv6=false disables IPv6 on r1 only"
"$UMNET" lab link down "$S" B >/dev/null 2>&1 &&
	! "$UMNET" exec "$S/pc1" -- ping -c 1 -W 1 10.0.3.2 >/dev/null 2>&1 &&
	"$UMNET" lab link up "$S" B >/dev/null 2>&1 &&
	"$UMNET" exec "$S/pc1" -- ping -c 1 -W 2 10.0.3.2 >/dev/null 2>&1
log_test $? "static: lab link down/up B cuts and restores (on eth1/eth0)"
# impairment goes on the names inside the node too (ethN, not vecN)
out=$("$UMNET" lab link set "$S" B --loss 100% 2>&1) &&
	ex "$S/r1" -- tc qdisc show dev eth1 | grep -q 'loss 100%' &&
	! "$UMNET" exec "$S/pc1" -- ping -c 1 -W 1 10.0.3.2 >/dev/null 2>&1 &&
	"$UMNET" lab link reset "$S" B >/dev/null 2>&1 &&
	"$UMNET" exec "$S/pc1" -- ping -c 1 -W 2 10.0.3.2 >/dev/null 2>&1
log_test $? "static: lab link set B --loss 100% impairs eth1/eth0, reset restores ${out:+($out)}"
"$UMNET" lab restart "$S" pc2 >/dev/null 2>&1 &&
	[ "$(ex "$S/pc2" -- ls /tmp)" = "$(printf 'exec1\nexec2')" ] &&
	"$UMNET" exec "$S/pc1" -- ping -c 1 -W 2 10.0.3.2 >/dev/null 2>&1
log_test $? "static: lab restart pc2: startup and exec again, reachable"
out=$("$UMNET" lab status "$S" 2>&1)
grep -q "^lab $S " <<<"$out" && grep -q "pc1 *running" <<<"$out"
log_test $? "static: lab status by name"
check "static: lab graph by name" "$UMNET" lab graph "$S" -o "$T/g.dot"
t0=$(date +%s%N)
out=$("$UMNET" lab down "$S" 2>&1)
rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ $rc -eq 0 ] && [ ! -e "/run/umnet/.labs/$S" ] && [ ! -e "/run/umnet/$S.pc1" ]
log_test $? "static: lab down leaves nothing ($ms ms)"

# --- a Linux bridge in a node between four hosts with fixed MACs -----------
B=kbr$SFX
out=$(kup "$K/bridge" "$B" 2>&1)
rc=$?
log_test $rc "bridge: lab up"
[ $rc -eq 0 ] || { printf '%s\n' "$out"; exit 1; }
ok=0
for i in 1 2 3 4; do
	[ "$(ex "$B/h$i" -- cat /sys/class/net/eth0/address)" = "00:00:00:00:00:0$i" ] || ok=1
done
log_test $ok "bridge: h1..h4 have the MACs of lab.conf"
"$UMNET" lab status "$B" --json | grep -q '00:00:00:00:00:04'
log_test $? "bridge: lab status shows those MACs"
[ "$(ex "$B/sw" -- ls /sys/class/net/br0/brif | sort | tr '\n' ' ')" = "eth0 eth1 eth2 eth3 " ]
log_test $? "bridge: br0 in sw holds eth0..eth3"
reaches_all "$B/h1" 10.1.0.2 10.1.0.3 10.1.0.4
log_test $? "bridge: h1 reaches h2, h3, h4 through sw"
ex "$B/h1" -- ip neigh show 10.1.0.3 | grep -q "lladdr 00:00:00:00:00:03"
log_test $? "bridge: h1 learned h3's MAC"
"$UMNET" lab down "$B" >/dev/null 2>&1
log_test $? "bridge: lab down"

# --- Netkit dialect --------------------------------------------------------
N=knk$SFX
out=$(kup "$K/netkit" "$N" 2>&1)
rc=$?
[ $rc -eq 0 ] && grep -q "^lab $N: up, 2 nodes ready" <<<"$out" &&
	grep -q "lab.conf:10: warning: pc3 is not in machines=" <<<"$out"
log_test $? "netkit: machines= chooses pc1 and pc2"
[ $rc -eq 0 ] || { printf '%s\n' "$out"; exit 1; }
check "netkit: pc1 pings pc2" "$UMNET" exec "$N/pc1" -- ping -c 1 -W 2 192.168.7.2
[ "$(ex "$N/pc1" -- cat /proc/meminfo | awk '/MemTotal/ {print ($2 > 40000 && $2 < 66000)}')" = 1 ]
log_test $? "netkit: pc1[mem]=64 is 64 MB"
"$UMNET" lab down "$N" >/dev/null 2>&1
log_test $? "netkit: lab down"

# --- errors ----------------------------------------------------------------
mkdir -p "$T/bad"
printf 'pc1[0]=A\npc2[0]=A\npc2 eth0 A\n' >"$T/bad/lab.conf"
out=$("$UMNET" lab up "$T/bad" --name kbd$SFX 2>&1)
rc=$?
[ $rc -eq 1 ] && grep -q "$T/bad/lab.conf:3: syntax error in \"pc2 eth0 A\"" <<<"$out" &&
	[ ! -e "/run/umnet/.labs/kbd$SFX" ]
log_test $? "a syntax error is told with file:line, nothing made"
printf 'pc1[0]=A\npc1[port]=8080:http\n' >"$T/bad/lab.conf"
out=$("$UMNET" lab up "$T/bad" --name kbd$SFX 2>&1)
[ $? -eq 1 ] && grep -q "lab.conf:2: pc1\[port\]=8080:http: must be \[HOST:\]GUEST" <<<"$out"
log_test $? "port: a malformed one is an error with file:line"
printf 'a[0]=A\nb[0]=A\n' >"$T/bad/lab.conf"
printf 'a: b\nb: a\n' >"$T/bad/lab.dep"
out=$("$UMNET" lab up "$T/bad" --name kbd$SFX 2>&1)
[ $? -eq 1 ] && grep -q "lab.dep: a dependency loop among: a b" <<<"$out"
log_test $? "a lab.dep loop is an error"

# --- convert ---------------------------------------------------------------
out=$("$UMNET" lab convert "$K/static" -o "$T/static.lab" 2>&1)
[ $? -eq 0 ] && grep -q "lab static-routes, 4 nodes, 3 links" <<<"$out" &&
	grep -q "^rename = vec1 eth1$" "$T/static.lab" &&
	grep -q "^file = $K/static/shared /$" "$T/static.lab"
log_test $? "lab convert writes a native lab"
check "the converted lab parses and compiles" "$UMNET" lab graph "$T/static.lab" -o "$T/s.dot"

exit "${RET:-0}"
