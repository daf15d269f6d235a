#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# forward: iperf3 TCP through one router between two namespaces, for a
# native netns router (the reference, measured in the same run) and a UML
# router on each transport that has a host side here (raw, tap, hybrid;
# FORWARD_TRANSPORTS selects):
#
#   netns c-X  10.61.0.1 --- router (netns nr-X, or node) --- 10.62.0.1  netns s-X
#
# The UML router runs in netns r-X: raw links are veth pairs into c-X and
# s-X; tap and hybrid links are taps that join (host-bridge) a bridge in
# r-X with a veth to c-X or s-X; r-X itself routes nothing.
#
# Reports Gbit/s, retransmits, the UML router's CPU, and the ratio to native;
# then 64-byte UDP at unlimited rate: packets per second received, and lost.
source "$(dirname "$0")/../tests/netns/lib.sh"
require_root
require_built
require_command iperf3
SECS=${FORWARD_SECONDS:-5}
tmpdir T

# iperf3 -J summary: "gbits retransmits"
iperf_run() { # iperf_run CLIENT_NS SERVER_NS
	local srv
	ip netns exec "$2" iperf3 -s -1 -B 10.62.0.1 >/dev/null 2>&1 &
	srv=$!
	PID_LIST+=("$srv")
	wait_port "$2" 5201
	ip netns exec "$1" timeout $((SECS + 20)) iperf3 -c 10.62.0.1 -t "$SECS" -J >"$T/j" 2>&1
	wait "$srv" 2>/dev/null
	awk '/"sum_received"/ { r = 1 } r && /"bits_per_second"/ { gsub(/[,]/, ""); printf "%.2f ", $2 / 1e9; r = 0 }
	     /"sum_sent"/ { s = 1 } s && /"retransmits"/ { gsub(/[,]/, ""); rt = $2; s = 0 }
	     END { print rt + 0 }' "$T/j"
}

# UDP, LEN-byte payloads, unlimited rate: "received-pps lost-percent"
udp_run() { # udp_run CLIENT_NS SERVER_NS LEN
	local srv
	ip netns exec "$2" iperf3 -s -1 -B 10.62.0.1 >/dev/null 2>&1 &
	srv=$!
	PID_LIST+=("$srv")
	wait_port "$2" 5201
	ip netns exec "$1" timeout $((SECS + 20)) iperf3 -c 10.62.0.1 -u -b 0 -l "$3" -t "$SECS" -J >"$T/u" 2>&1
	wait "$srv" 2>/dev/null
	awk -v s="$SECS" '/"sum"/ { u = 1 } u && /"packets"/ { gsub(/,/, ""); p = $2 }
	     u && /"lost_packets"/ { gsub(/,/, ""); l = $2 }
	     END { printf "%d %.1f\n", (p - l) / s, p ? 100 * l / p : 0 }' "$T/u"
}

result() { # result NAME GBITS RETR CPU
	local ratio
	ratio=$(awk -v a="$2" -v b="$NATIVE" 'BEGIN { printf "%.0f%%", (b > 0 ? 100 * a / b : 0) }')
	printf '%-22s %10s %12s %8s %8s\n' "$1" "$2" "$3" "$4" "$ratio"
	printf '{"bench":"forward","date":"%s","path":"%s","seconds":%d,"gbit_s":%s,"retransmits":%s,"router_cpu":"%s","native_gbit_s":%s}\n' \
		"$(date -u +%FT%TZ)" "$1" "$SECS" "$2" "$3" "$4" "$NATIVE" >>"$BENCH_JSON"
}

# the reference: a namespace router
setup_ns C S NR
R=$NR
ip link add "c$SFX" netns "$C" type veth peer name "rc$SFX" netns "$R"
ip link add "s$SFX" netns "$S" type veth peer name "rs$SFX" netns "$R"
ip -n "$C" addr add 10.61.0.1/24 dev "c$SFX"
ip -n "$S" addr add 10.62.0.1/24 dev "s$SFX"
ip -n "$R" addr add 10.61.0.2/24 dev "rc$SFX"
ip -n "$R" addr add 10.62.0.2/24 dev "rs$SFX"
for l in "$C c$SFX" "$S s$SFX" "$R rc$SFX" "$R rs$SFX"; do
	ip -n ${l% *} link set ${l#* } up
done
ip -n "$C" route add default via 10.61.0.2
ip -n "$S" route add default via 10.62.0.2
ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=1
read -r NATIVE nretr < <(iperf_run "$C" "$S")
printf '%-22s %10s %12s %8s %8s\n' "TCP, $SECS s" Gbit/s retransmits cpu "vs native"
result "native netns router" "$NATIVE" "$nretr" "-"
read -r npps nlost < <(udp_run "$C" "$S" 64)
UDP_ROWS=$(printf '%-22s %10s %12s\n' "native netns router" "$npps" "$nlost%")
printf '{"bench":"forward_udp","date":"%s","path":"native netns router","len":64,"seconds":%d,"pps":%s,"lost_pct":%s}\n' \
	"$(date -u +%FT%TZ)" "$SECS" "$npps" "$nlost" >>"$BENCH_JSON"
ip netns del "$R"

# a UML router per transport, run inside netns R so that its host sides
# live there: raw links are veth pairs into C and S; tap and hybrid links
# are taps joined (host-bridge) with a veth from C or S in a bridge of R,
# which itself routes nothing (forwarding off, no addresses)
setup_ns R
node_router() { # node_router TRANSPORT
	local t=$1 n=fw$SFX p=$T/$1.profile pid cpu0 cpu1 hz g r i
	for i in 0 1; do
		ip -n "$R" link add "b$i$SFX" type bridge 2>/dev/null
		ip -n "$R" link set "b$i$SFX" up
	done
	{
		printf '[appliance]\nname = %s\nforwarding = yes\n' "$n"
		for i in 0 1; do
			printf '[interface vec%d]\ntransport = %s\nifname = f%d%s\n' $i "$t" $i "$SFX"
			case $t in
			raw) printf 'gro = 1\nhost = veth\nhost-ifname = g%d%s\n' $i "$SFX" ;;
			*) printf 'gro = 1\nhost = tap\nhost-bridge = b%d%s\n' $i "$SFX" ;;
			esac
			printf 'address = 10.6%d.0.2/24\n' $((i + 1))
		done
	} >"$p"
	NODE_LIST+=("$n")
	ip netns exec "$R" "$UMNET" up "$p" >/dev/null || { echo "up ($t) failed"; return 1; }
	# the client's and server's ends
	ip -n "$C" link del "c$SFX" 2>/dev/null
	ip -n "$S" link del "s$SFX" 2>/dev/null
	if [ "$t" = raw ]; then
		ip -n "$R" link set "g0$SFX" netns "$C" name "c$SFX"
		ip -n "$R" link set "g1$SFX" netns "$S" name "s$SFX"
	else
		ip -n "$R" link add "h0$SFX" type veth peer name "c$SFX" netns "$C"
		ip -n "$R" link add "h1$SFX" type veth peer name "s$SFX" netns "$S"
		ip -n "$R" link set "h0$SFX" master "b0$SFX" up
		ip -n "$R" link set "h1$SFX" master "b1$SFX" up
	fi
	ip -n "$C" addr add 10.61.0.1/24 dev "c$SFX"
	ip -n "$S" addr add 10.62.0.1/24 dev "s$SFX"
	ip -n "$C" link set "c$SFX" up
	ip -n "$S" link set "s$SFX" up
	ip -n "$C" route replace default via 10.61.0.2
	ip -n "$S" route replace default via 10.62.0.2
	busywait 5000 ip netns exec "$C" ping -c 1 -W 1 10.62.0.1 >/dev/null ||
		{ echo "no path through the $t router"; ip netns exec "$R" "$UMNET" down "$n" >/dev/null; return 1; }
	pid=$(node_pid "$n")
	hz=$(getconf CLK_TCK)
	cpu0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	read -r g r < <(iperf_run "$C" "$S")
	cpu1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	result "UML router, $t" "$g" "$r" "$(awk -v d=$((cpu1 - cpu0)) -v hz="$hz" -v s="$SECS" 'BEGIN { printf "%.0f%%", 100 * d / hz / s }')"
	read -r pps lost < <(udp_run "$C" "$S" 64)
	UDP_ROWS+=$'\n'$(printf '%-22s %10s %12s' "UML router, $t" "$pps" "$lost%")
	printf '{"bench":"forward_udp","date":"%s","path":"UML router, %s","len":64,"seconds":%d,"pps":%s,"lost_pct":%s}\n' \
		"$(date -u +%FT%TZ)" "$t" "$SECS" "$pps" "$lost" >>"$BENCH_JSON"
	ip netns exec "$R" "$UMNET" down "$n" >/dev/null
	ip -n "$C" link del "c$SFX" 2>/dev/null
	ip -n "$S" link del "s$SFX" 2>/dev/null
}
for t in ${FORWARD_TRANSPORTS:-raw tap hybrid}; do
	node_router "$t"
done
printf '\n%-22s %10s %12s\n' "UDP 64 B, $SECS s" "rx pps" lost
echo "$UDP_ROWS"
exit $RET
