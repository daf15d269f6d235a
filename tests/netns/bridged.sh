#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# bridged = yes and port = (docs/lab.md), and Kathará's bridged=true and
# port= (docs/kathara.md). `umnet lab up` runs inside HOST, a namespace that
# plays the host: its default route goes to NET, which plays the Internet.
# The real host's network is never touched.
#
#   [lab br]  b --wire-- a ==veth u../ub..== HOST (10.77.0.1) ---- NET (10.77.0.2)
#                        198.18.x.2/30       198.18.x.1/30
#                        port 8080 -> a:80/tcp, 3000 -> a:5353/udp
#   [lab kbr] pc1 (eth0 on A, eth1 bridged) --A-- pc2; port 8081 -> pc1:80
#
# NET has no route back to 198.18.0.0/15: what reaches it was masqueraded.
source "$(dirname "$0")/lib.sh"
require_root
require_built
require_command nft

tmpdir T
setup_ns HOST NET
ip link add "h$SFX" netns "$HOST" type veth peer name "n$SFX" netns "$NET"
ip -n "$HOST" addr add 10.77.0.1/24 dev "h$SFX"
ip -n "$NET" addr add 10.77.0.2/24 dev "n$SFX"
ip -n "$HOST" link set "h$SFX" up
ip -n "$NET" link set "n$SFX" up
ip -n "$HOST" route add default via 10.77.0.2
# forwarding off in "the host", as on a fresh machine
ip netns exec "$HOST" sh -c 'echo 0 >/proc/sys/net/ipv4/ip_forward'

h() { ip netns exec "$HOST" "$@"; }
n() { ip netns exec "$NET" "$@"; }
um() { ip netns exec "$HOST" timeout 120 "$UMNET" "$@"; }
ex() { um exec "$@" 2>&1; }
fwd() { h cat /proc/sys/net/ipv4/ip_forward; }
has_table() { h nft list tables 2>/dev/null | grep -qx "table ip umnet-$1"; }
# start CMD in the background inside node $1, detached from exec
bg() { ex "$1" -- sh -c "{ $2; } </dev/null >/dev/null 2>&1 &" >/dev/null; }

# forward NODE NS PORT WORD : a listener on NODE's port 80 gets WORD, sent
# from namespace NS to port PORT of the host's address 10.77.0.1
forward() {
	local node=$1 ns=$2 port=$3 word=$4
	bg "$node" "nc -l -p 80 >/tmp/$word"
	busywait 5000 sh -c "ip netns exec $HOST '$UMNET' exec '$node' -- netstat -ltn | grep -q ':80 '" ||
		echo "$node does not listen on 80"
	echo "$word" | ip netns exec "$ns" timeout 5 busybox nc -w 2 10.77.0.1 "$port" >/dev/null 2>&1
	busywait 5000 sh -c "ip netns exec $HOST '$UMNET' exec '$node' -- cat /tmp/$word | grep -q $word"
}

L=br$SFX
cat >"$T/br.lab" <<EOF
$(lab_head "$L" "" a)
bridged = yes
port = 8080:80
port = 5353/udp
[node b]
$(link_eps ab "a 10.0.0.1/24" "b 10.0.0.2/24")
EOF
LAB_LIST+=("$L")
out=$(um lab up "$T/br.lab" 2>&1)
rc=$?
log_test $rc "native: lab up inside the host namespace"
[ $rc -eq 0 ] || { printf '%s\n' "$out"; exit 1; }

addr=$(ex "$L/a" -- ip -4 -o addr show dev vec1 | awk '{print $4}')
guest=${addr%/*}
gw=${guest%.*}.$(( ${guest##*.} - 1 ))
[[ "$addr" == 198.1[89].*/30 ]] && ex "$L/a" -- ip route show default | grep -q "via $gw dev vec1"
log_test $? "native: a's host link is vec1 (after vec0), $addr, default via the host"
! ex "$L/b" -- ip link show vec1 >/dev/null && ! ex "$L/b" -- ip route show default | grep -q .
log_test $? "native: b (not bridged) has no host link, no default route"
[ "$(fwd)" = 1 ] && has_table "$L"
log_test $? "native: ip_forward on, table ip umnet-$L made"
! n ip route get "$guest" >/dev/null 2>&1
log_test $? "NET has no route to the node's address ($guest)"

check "native: a pings the Internet (NET 10.77.0.2)" \
	ip netns exec "$HOST" "$UMNET" exec "$L/a" -- ping -c 1 -W 2 10.77.0.2

# a TCP connection from a to a server in NET, held open: NET sees the host
# (stdin held open: busybox nc closes the connection at its EOF)
sleep 10 | n timeout 20 busybox nc -l -p 9000 >"$T/srv" 2>&1 &
PID_LIST+=($!)
busywait 5000 sh -c "ip netns exec $NET ss -ltnH 'sport = :9000' | grep -q ." ||
	echo "the server in NET did not listen"
bg "$L/a" "(echo hello-from-a; sleep 4) | nc 10.77.0.2 9000"
busywait 5000 grep -q hello-from-a "$T/srv"
log_test $? "native: a's TCP reaches the server in NET"
peer=$(n ss -tnH state established "( sport = :9000 )" | awk "{print \$4}")
[[ "$peer" == 10.77.0.1:* || "$peer" == "[::ffff:10.77.0.1]:"* ]]
log_test $? "native: the server sees the host's address (masqueraded): ${peer:-none}"

# host port 8080 -> a:80, from NET to the host's address
forward "$L/a" "$NET" 8080 from-net
log_test $? "native: port 8080/tcp from NET to the host reaches a:80"
# the same from the host itself (the output chain)
forward "$L/a" "$HOST" 8080 from-host
log_test $? "native: port 8080/tcp from the host itself reaches a:80"
[ "$(h nft list table ip "umnet-$L" | grep -c 'comment "umnet: host port 8080/tcp"')" -eq 2 ]
log_test $? "native: nft shows each port's rules with their comment"

# udp: host port 3000 (the default) -> a:5353; the minimal image has no
# UDP listener, so tcpdump in a shows the datagram arrive, rewritten
bg "$L/a" "tcpdump -n -l -c 1 -i vec1 udp dst port 5353 >/tmp/td"
sleep 1 # tcpdump has no ready signal; a datagram before it is missed
ok=1
for _ in 1 2 3 4 5; do
	n bash -c 'echo hi-udp >/dev/udp/10.77.0.1/3000'
	if busywait 1000 sh -c "ip netns exec $HOST '$UMNET' exec '$L/a' -- cat /tmp/td | grep -q '> $guest.5353: '"; then
		ok=0
		break
	fi
done
log_test $ok "native: port 3000/udp (default host port) from NET reaches a:5353"

um lab restart "$L" a >/dev/null 2>&1 &&
	ex "$L/a" -- ping -c 1 -W 2 10.77.0.2 >/dev/null &&
	[ "$(ex "$L/a" -- ip -4 -o addr show dev vec1 | awk '{print $4}')" = "$addr" ]
log_test $? "native: lab restart a: its host link comes back, the same address, NAT"

# a second lab whose bridged-subnet overlaps the first's: refused, nothing made
X=bx$SFX
printf '[lab]\nname = %s\nbridged-subnet = %s.0/24\n[node a]\nbridged = yes\n' \
	"$X" "${guest%.*}" >"$T/bx.lab"
LAB_LIST+=("$X")
links=$(h ip -o link show | wc -l)
out=$(um lab up "$T/bx.lab" 2>&1)
rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"bx.lab:3: lab $X: bridged-subnet ${guest%.*}.0/24 overlaps"*"umnet-$L"* ]] &&
	! has_table "$X" && [ ! -e "/run/umnet/.labs/$X" ] &&
	[ "$(h ip -o link show | wc -l)" -eq "$links" ] && [ "$(fwd)" = 1 ] && has_table "$L"
log_test $? "a lab whose bridged-subnet overlaps a running one's: refused, nothing made"
[ $rc -eq 1 ] || printf '%s\n' "$out"

# a second lab forwarding a host port the first forwards (its table would
# never see a packet): refused, naming the line and the other lab's table
P=bp$SFX
sub=198.19.250.0/24
[ "${guest%.*}" = 198.19.250 ] && sub=198.19.251.0/24
printf '[lab]\nname = %s\nbridged-subnet = %s\n[node a]\nbridged = yes\nport = 5353/udp\nport = 8080:80\n' \
	"$P" "$sub" >"$T/bp.lab"
LAB_LIST+=("$P")
out=$(um lab up "$T/bp.lab" 2>&1)
rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"bp.lab:7: node a: port = 8080:80: host port 8080/tcp is forwarded already by nf_tables table umnet-$L (another lab)"* ]] &&
	[[ "$out" != *"5353"* ]] && ! has_table "$P" && [ ! -e "/run/umnet/.labs/$P" ] &&
	[ "$(h ip -o link show | wc -l)" -eq "$links" ] && has_table "$L"
ok=$?
log_test $ok "a lab forwarding a host port a running one forwards: refused, nothing made"
[ $ok -eq 0 ] || printf '%s\n' "$out"

# --- a Kathará lab with bridged=true and port=, up at the same time --------
K=kbr$SFX
LAB_LIST+=("$K")
out=$(um lab up "$TOP/tests/kathara/bridged" --name "$K" 2>&1)
rc=$?
log_test $rc "kathara: lab up of bridged=true, port= (a second lab)"
[ $rc -eq 0 ] || printf '%s\n' "$out"
kaddr=$(ex "$K/pc1" -- ip -4 -o addr show dev eth1 | awk '{print $4}')
[[ "$kaddr" == 198.1[89].*/30 ]] && [ "${kaddr%.*}" != "${addr%.*}" ] &&
	ex "$K/pc1" -- ip -4 -o addr show dev eth0 | grep -q 10.1.0.1/24
log_test $? "kathara: pc1's host link is eth1 (after eth0), $kaddr, another /24"
# as Kathará's (Docker's), a bridged device resolves with the host's
# nameservers that it can reach (not loopback ones): lab up wrote them
want=$(awk '$1 == "nameserver" && $2 !~ /^127\./ && $2 != "::1" { print "nameserver " $2 }' /etc/resolv.conf | head -3)
if [ -n "$want" ]; then
	[ "$(ex "$K/pc1" -- grep '^nameserver' /etc/resolv.conf)" = "$want" ] &&
		! ex "$K/pc2" -- grep -qs '^# written by umnet' /etc/resolv.conf
	log_test $? "kathara: pc1 (bridged) has the host's nameservers, pc2 not: ${want//$'\n'/, }"
else
	[[ "$out" == *"pc1[bridged]=true: the host has no nameserver a node can reach"* ]]
	log_test $? "kathara: the host has no reachable nameserver: lab up says pc1 gets no DNS"
fi
check "kathara: pc1 pings the Internet" \
	ip netns exec "$HOST" "$UMNET" exec "$K/pc1" -- ping -c 1 -W 2 10.77.0.2
check "kathara: pc1 reaches pc2 over A" \
	ip netns exec "$HOST" "$UMNET" exec "$K/pc1" -- ping -c 1 -W 2 10.1.0.2
forward "$K/pc1" "$NET" 8081 to-pc1
log_test $? "kathara: port 8081/tcp from NET reaches pc1:80"
grep -q "^ipfwd $HOST 0$" "/run/umnet/.labs/$K/journal" &&
	grep -q "^nft $HOST umnet-$K$" "/run/umnet/.labs/$K/journal"
log_test $? "kathara: journal: ip_forward as before the first lab (0), in netns $HOST"

# the same Kathará lab again: its port's clash is told at lab.conf's line,
# not at the line of the .lab made from it
K2=kbx$SFX
LAB_LIST+=("$K2")
out=$(um lab up "$TOP/tests/kathara/bridged" --name "$K2" 2>&1)
rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"tests/kathara/bridged/lab.conf:6: (line "*" of the lab it makes) node pc1: port = 8081:80/tcp: host port 8081/tcp is forwarded already by nf_tables table umnet-$K (another lab)"* ]] &&
	! has_table "$K2" && [ ! -e "/run/umnet/.labs/$K2" ]
ok=$?
log_test $ok "kathara: a port clash names lab.conf:6, nothing made"
[ $ok -eq 0 ] || printf '%s
' "$out"

# --- down: exactly what was made goes -------------------------------------
links_before=$(h ip -o link show | wc -l)
# run from outside the namespace lab up ran in: the journal names it
out=$(timeout 120 "$UMNET" lab down "$L" 2>&1)
rc=$?
[ $rc -eq 0 ] && ! has_table "$L" && has_table "$K" && [ "$(fwd)" = 1 ]
log_test $? "native: lab down (from the host's namespace) removes its table; ip_forward stays on for $K"
[ "$(h ip -o link show | wc -l)" -eq $((links_before - 2)) ] && [ ! -e "/run/umnet/.labs/$L" ]
log_test $? "native: lab down removes its veth, its state dir"
check "kathara: still reaches the Internet after the other lab went" \
	ip netns exec "$HOST" "$UMNET" exec "$K/pc1" -- ping -c 1 -W 2 10.77.0.2
out=$(um lab down "$K" 2>&1)
rc=$?
[ $rc -eq 0 ] && ! has_table "$K" && [ "$(fwd)" = 0 ]
log_test $? "kathara: the last lab down: no table, ip_forward back to 0"
left=$(h ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort | tr '\n' ' ')
[ "$left" = "h$SFX lo " ]
log_test $? "nothing left in the host namespace (links: $left)"

# --- lab convert round trip -------------------------------------------------
C=$T/conv.lab
"$UMNET" lab convert "$TOP/tests/kathara/bridged" --name "c$SFX" -o "$C" >/dev/null 2>&1 &&
	grep -q '^bridged = yes$' "$C" && grep -q '^rename = vec1 eth1$' "$C" &&
	grep -q '^port = 8081:80/tcp$' "$C"
log_test $? "convert: bridged = yes, rename = vec1 eth1, port = 8081:80/tcp"

LAB_LIST+=("c$SFX")
out=$(um lab up "$C" 2>&1)
rc=$?
[ $rc -eq 0 ] && [[ "$(ex "c$SFX/pc1" -- ip -4 -o addr show dev eth1)" == *198.1[89].* ]] &&
	ex "c$SFX/pc1" -- ping -c 1 -W 2 10.77.0.2 >/dev/null
log_test $? "convert: the native lab runs the same (eth1 bridged, Internet)"
[ $rc -eq 0 ] || printf '%s\n' "$out"
um lab down "c$SFX" >/dev/null 2>&1
! has_table "c$SFX" && [ "$(fwd)" = 0 ]
log_test $? "convert: its lab down leaves no table, ip_forward 0"

# --- not privileged: names the node, the key and what to do; makes nothing -
user_dir U "$UMNET" "$UMNET_KERNEL" "$UMNET_ROOTFS" "$T/br.lab" ||
	{ echo "cannot copy what uid 65534 runs to a directory it can reach"; exit 1; }
mkdir -m 0700 "$U/state" && chown 65534:65534 "$U/state"
out=$(cd "$U" && ip netns exec "$HOST" setpriv --reuid=65534 --regid=65534 \
	--clear-groups --inh-caps=-all env UMNET_STATE_DIR="$U/state" \
	UMNET_KERNEL="$U/linux" UMNET_ROOTFS="$U/rootfs.img" \
	timeout 60 "$U/umnet" lab up "$U/br.lab" 2>&1)
rc=$?
if [ $rc -eq 1 ] && [[ "$out" == *"br.lab:4: node a: bridged = yes"*"CAP_NET_ADMIN"*"as root"* ]] &&
	[ -z "$(ls -A "$U/state/.labs" 2>/dev/null)" ] && ! has_table "$L" &&
	[ "$(h ip -o link show | wc -l)" -eq 2 ]; then
	log_test 0 "unprivileged lab up: names node, key, CAP_NET_ADMIN; makes nothing"
else
	log_fail "unprivileged lab up: names node, key, CAP_NET_ADMIN; makes nothing" "exit $rc: $out"
fi

exit $RET
