#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# switch: frames per second through `umnet switch` between two ports, next
# to a Linux bridge between two veth pairs, in the same run. bench/pktgen
# sends 64-byte frames from MAC A to MAC B (sendmmsg, batches of 64) for
# SWITCH_SECONDS (default 3) or 50M frames and counts them at B (recvmmsg):
#
#   umnet switch: pktgen A --seqpacket--> umnet switch --seqpacket--> pktgen B
#   bridge, in netns sw-X:
#     pktgen A (AF_PACKET) on va-X ==veth== vai-X -+- bridge br-X
#     pktgen B (AF_PACKET) on vb-X ==veth== vbi-X -+
#
# Reports delivered pps for each (the median of SWITCH_RUNS runs, default
# 3, alternating) and the ratio switch/bridge; each run's line (sent and
# received) goes to stderr.
source "$(dirname "$0")/../tests/netns/lib.sh"
require_root
require_built
PKTGEN=$BUILD/bench/pktgen
[ -x "$PKTGEN" ] || { echo "$PKTGEN missing: run make bench (it builds bench/pktgen.c)"; exit 1; }
SECS=${SWITCH_SECONDS:-3}
RUNS=${SWITCH_RUNS:-3}
LEN=64
tmpdir T

setup_ns NS
ip -n "$NS" link add "br$SFX" type bridge
for p in a b; do
	ip -n "$NS" link add "v$p$SFX" type veth peer name "v${p}i$SFX"
	ip -n "$NS" link set "v${p}i$SFX" master "br$SFX" up
	ip -n "$NS" link set "v$p$SFX" up
done
ip -n "$NS" link set "br$SFX" up
ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1

"$UMNET" switch -d -s "$T/sw.sock" >"$T/sw.log" 2>&1 &
SW=$!
PID_LIST+=("$SW")
busywait 3000 test -S "$T/sw.sock" || { echo "umnet switch did not start: $(cat "$T/sw.log")"; exit 1; }

field() { sed -n "s/.*\b$1=\([0-9.]*\).*/\1/p" "$2"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
: >"$T/sw.pps"
: >"$T/br.pps"
for i in $(seq "$RUNS"); do
	timeout $((SECS + 10)) "$PKTGEN" unix -s "$T/sw.sock" -t "$SECS" -l $LEN >"$T/o" ||
		{ echo "pktgen through umnet switch failed"; RET=1; break; }
	field rx_pps "$T/o" >>"$T/sw.pps"
	echo "  umnet switch, run $i: $(cat "$T/o")" >&2
	timeout $((SECS + 10)) ip netns exec "$NS" "$PKTGEN" packet -a "va$SFX" -b "vb$SFX" -t "$SECS" -l $LEN >"$T/o" ||
		{ echo "pktgen through the bridge failed"; RET=1; break; }
	field rx_pps "$T/o" >>"$T/br.pps"
	echo "  bridge, run $i:       $(cat "$T/o")" >&2
done
sw=$(median <"$T/sw.pps")
br=$(median <"$T/br.pps")
kill "$SW" 2>/dev/null
wait "$SW" 2>/dev/null
[ -n "$sw" ] && [ -n "$br" ] || exit 1
ratio=$(awk -v a="$sw" -v b="$br" 'BEGIN { printf "%.0f%%", (b > 0 ? 100 * a / b : 0) }')
printf '%-30s %12s %8s\n' "switch, $LEN-byte frames, $SECS s" "pps" "vs bridge"
printf '%-30s %12.0f %8s\n' "Linux bridge (veth, AF_PACKET)" "$br" "100%"
printf '%-30s %12.0f %8s\n' "umnet switch (seqpacket)" "$sw" "$ratio"
now=$(date -u +%FT%TZ)
printf '{"bench":"switch","date":"%s","path":"Linux bridge","len":%d,"seconds":%d,"runs":%d,"pps":%.0f,"bridge_pps":%.0f}\n' \
	"$now" $LEN "$SECS" "$RUNS" "$br" "$br" >>"$BENCH_JSON"
printf '{"bench":"switch","date":"%s","path":"umnet switch","len":%d,"seconds":%d,"runs":%d,"pps":%.0f,"bridge_pps":%.0f}\n' \
	"$now" $LEN "$SECS" "$RUNS" "$sw" "$br" >>"$BENCH_JSON"
exit $RET
