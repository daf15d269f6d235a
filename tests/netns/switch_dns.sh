#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# umnet switch whose remote ports (--l2tp-peer) name their peers: while a
# name server never answers, the switch keeps its loop (`switch status`
# answers at once, again and again), a name the hosts file knows comes up
# at once (status shows the address it found), and the unanswered name is
# reported and tried again. A switch that forks into the background
# (no -d) looks its names up after the fork, and sleeps meanwhile. The
# switch used to look names up inside its loop: with three names per peer
# (HOST, HOST-pod, HOST-pod-0) each second stopped it for 3 x the
# resolver's timeout.
#
#   netns sw-X: name server 10.9.9.53 on lo, its queries dropped (nft);
#   the switch in a private mount namespace whose /etc/resolv.conf and
#   /etc/hosts are this test's
source "$(dirname "$0")/lib.sh"
require_root
require_built
require_command nft
require_command jq

tmpdir T
setup_ns NS
ip -n "$NS" link set lo up
ip -n "$NS" addr add 10.9.9.53/32 dev lo
ip netns exec "$NS" nft -f - <<'EON'
table inet dnsdrop {
	chain in {
		type filter hook input priority 0;
		udp dport 53 drop
		tcp dport 53 drop
	}
}
EON
printf 'nameserver 10.9.9.53\noptions timeout:2 attempts:1\n' >"$T/resolv.conf"
printf '127.0.0.1 localhost\n127.0.0.1 quick%s.test\n' "$SFX" >"$T/hosts"

ip netns exec "$NS" unshare -m --propagation private sh -c \
	'mount --bind "$1" /etc/resolv.conf && mount --bind "$2" /etc/hosts && shift 2 && exec "$@"' \
	sh "$T/resolv.conf" "$T/hosts" "$UMNET" switch -d -v -s "$T/sw.sock" \
	--l2tp 127.0.0.1:17101 \
	--l2tp-peer "slow$SFX.test:17102,rx_session=1,tx_session=2,rx_cookie=5,tx_cookie=6" \
	--l2tp-peer "quick$SFX.test:17103,rx_session=3,tx_session=4,rx_cookie=7,tx_cookie=8" \
	>"$T/sw.log" 2>&1 &
SW=$!
PID_LIST+=("$SW")
check "the switch starts while a name server does not answer" \
	busywait 3000 test -S "$T/sw.sock" || { cat "$T/sw.log"; exit 1; }

st() { ip netns exec "$NS" timeout 1 "$UMNET" switch status -s "$T/sw.sock" >/dev/null 2>&1; }
# 8 status requests over about 4 s: a lookup of 2 s (x3 names) in the
# loop would leave some of them unanswered within their second
ok=0
for i in 1 2 3 4 5 6 7 8; do
	st && ok=$((ok + 1))
	sleep 0.5
done
check "status answers within 1 s while the lookup runs ($ok of 8)" test $ok -eq 8

check "the name in the hosts file comes up" \
	busywait 3000 grep -q "up: l2tp quick$SFX.test:17103 at 127.0.0.1:17103" "$T/sw.log"
check "switch status names the address it found" sh -c \
	"ip netns exec $NS '$UMNET' switch status --json -s '$T/sw.sock' | grep -q '\"name\":\"l2tp quick$SFX.test:17103 at 127.0.0.1:17103\"'"
check "the unanswered name is reported, to be tried again" \
	busywait 8000 grep -q "slow$SFX.test: .*(tried again every second)" "$T/sw.log"
check "... once" test "$(grep -c "slow$SFX.test: " "$T/sw.log")" -eq 1

kill "$SW" 2>/dev/null
wait "$SW" 2>/dev/null
check "the switch exits on SIGTERM with a lookup running, and removes its socket" \
	test ! -e "$T/sw.sock"

# in the background (no -d): the lookup runs in the forked switch
ip netns exec "$NS" unshare -m --propagation private sh -c \
	'mount --bind "$1" /etc/resolv.conf && mount --bind "$2" /etc/hosts && shift 2 && exec "$@"' \
	sh "$T/resolv.conf" "$T/hosts" "$UMNET" switch -s "$T/bg.sock" \
	--l2tp 127.0.0.1:17104 \
	--l2tp-peer "quick$SFX.test:17105,rx_session=5,tx_session=6,rx_cookie=9,tx_cookie=10" \
	>"$T/bg.log" 2>&1
bgst() { ip netns exec "$NS" "$UMNET" switch status --json -s "$T/bg.sock" 2>/dev/null; }
BG=$(bgst | jq -r .pid)
[[ "$BG" =~ ^[0-9]+$ ]] && [ "$BG" -gt 1 ] && [ -e "/proc/$BG/status" ] ||
	{ echo "no pid from switch status: '$BG'; $(cat "$T/bg.log")"; exit 1; }
PID_LIST+=("$BG")
check "a switch in the background resolves its peer's name after the fork" \
	busywait 3000 sh -c "ip netns exec $NS '$UMNET' switch status --json -s '$T/bg.sock' | grep -q 'quick$SFX.test:17105 at 127.0.0.1:17105'"
wakeups() { awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$BG/status"; }
w0=$(wakeups)
sleep 2
w1=$(wakeups)
check "... and then sleeps: $((w1 - w0)) wakeups in 2 s (aging: 2)" test $((w1 - w0)) -lt 10
kill "$BG" 2>/dev/null
check "the background switch exits on SIGTERM" busywait 3000 sh -c "! kill -0 $BG 2>/dev/null"
exit $RET
