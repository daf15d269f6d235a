#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# forward: iperf3 TCP, and UDP with 64- and 1400-byte payloads, between two
# namespaces through a native netns router (the reference, measured in the
# same run) and through UML routers on each transport (FORWARD_TRANSPORTS
# selects; default: raw tap hybrid raw2 gre l2tpv3 bess fd):
#
#   netns c-X 10.61.0.1 --- router(s) --- 10.62.0.1 netns s-X
#
# one hop (raw, tap, hybrid): node fwX in netns r-X, forwarding
#   raw:         c-X veth ==(raw)== fwX ==(raw)== veth s-X
#   tap, hybrid: c-X veth - bridge in r-X - tap ==(tap)== fwX ==(tap)== ...
#
# two hops (the transport under test joins router fwX to router feX, which
# runs in netns e-X; the host cannot be the far end of bess or fd, and has
# no gretap or l2tp modules): 10.61/24 raw, 10.63/24 the transport, 10.62/24 raw
#   raw2:   c-X ==raw== fwX ==raw (veth r-X/e-X)== feX ==raw== s-X
#   gre:    c-X ==raw== fwX ==gre (over veth 10.90.0.1/30 r-X)== feX ==raw== s-X
#           feX is "equipment": a raw vec on the underlay veth and a kernel
#           gretap made inside it by `umnet hostsetup --apply` of fwX's profile
#   l2tpv3: as gre, L2TPv3 over UDP, the far end a kernel l2tp session
#   bess:   c-X ==raw== fwX ==bess== umnet switch ==bess== feX ==raw== s-X
#           (vnet_hdr = 1: TSO frames with a virtio-net header through the
#           switch's sw.sock.vnet; FORWARD_BESS_VNET=0 for plain frames)
#   fd:     c-X ==raw== fwX ==fd (host = wire)== feX ==raw== s-X
#           (umnet renders vnet_hdr=1 on both ends of a wire)
#
# The underlay veth of gre and l2tpv3 has MTU 9000 so that 1500-byte inner
# frames are not fragmented. Reports per path: TCP Gbit/s, the frames per
# second the server's interface received (a GRO/TSO frame counts once),
# retransmits, the UML routers' CPU (main process, % of one core) and the
# ratio to native; UDP (unlimited rate): packets per second received, loss,
# and the ratio to native. iperf3 sends one datagram per system call, which
# bounds the native reference; the Mpps figure therefore comes from
# bench/pktgen (sendmmsg batches of 64-byte frames, i.e. 18-byte payloads,
# from C to a socket in S): received pps, loss, ratio to native. FORWARD_DEBUG=1: when a path does not pass a
# ping, show the links and the routers' addresses before tearing down.
source "$(dirname "$0")/../tests/netns/lib.sh"
require_root
require_built
require_command iperf3
SECS=${FORWARD_SECONDS:-5}
PKTGEN=$BUILD/bench/pktgen
[ -x "$PKTGEN" ] || { echo "$PKTGEN missing: run make bench (it builds bench/pktgen.c)"; exit 1; }
TRANSPORTS=${FORWARD_TRANSPORTS:-raw tap hybrid raw2 gre l2tpv3 bess fd}
# FORWARD_TESTS=tcp: TCP only (no UDP, no pktgen), for repeated runs
TESTS=${FORWARD_TESTS:-all}
# FORWARD_BESS_VNET=0: bess without virtio-net headers (as before patch 0006)
BESS_VNET=${FORWARD_BESS_VNET:-1}
# FORWARD_OPTS: lines added to both interfaces of the one-hop routers
# (raw, tap, hybrid), e.g. FORWARD_OPTS='depth = 256' ('\n' separates lines)
OPTS=${FORWARD_OPTS:-}
# FORWARD_PROFILE=DIR: during each UML router's TCP test, perf record of its
# host process (DIR/PATH.perf; FORWARD_PROFILE_STRACE=1: strace -c instead,
# DIR/PATH.strace), its sockets' ss -m before and after (DIR/PATH.ss) and
# the node's /proc/interrupts before and after (DIR/PATH.irq), ip -s link
# of the router's namespace before and after (DIR/PATH.link), and the
# SIGIOs the host raised for it (DIR/PATH.sigio; needs tracefs mounted)
# and the system calls it made, by kind (DIR/PATH.sys, perf stat)
PROF=${FORWARD_PROFILE:-}
# FORWARD_NODE_CMD: a shell command run in each one-hop router once it is
# up, e.g. 'echo 20000 >/sys/module/kernel/parameters/idle_poll_ns'
NODE_CMD=${FORWARD_NODE_CMD:-}
# FORWARD_GRO: the one-hop routers' gro = (default 1; empty: no gro line,
# umnet's default)
GRO=${FORWARD_GRO-1}
[ -z "$GRO" ] || GRO="gro = $GRO"$'\n'
tmpdir T

rx_frames() { # rx_frames : frames s-X's interface has received
	ip netns exec "$S" cat "/sys/class/net/s$SFX/statistics/rx_packets" 2>/dev/null || echo 0
}

# start the iperf3 server in S (one test, then it exits)
iperf_server() {
	ip netns exec "$S" iperf3 -s -1 -B 10.62.0.1 >/dev/null 2>&1 &
	SRV=$!
	PID_LIST+=("$SRV")
	wait_port "$S" 5201
}

# TCP: "gbits frames-per-second retransmits"
iperf_run() {
	local f0 f1
	iperf_server
	f0=$(rx_frames)
	ip netns exec "$C" timeout $((SECS + 20)) iperf3 -c 10.62.0.1 -t "$SECS" -J >"$T/j" 2>&1
	f1=$(rx_frames)
	wait "$SRV" 2>/dev/null
	# a failed run says why (iperf3 -J puts it in "error")
	grep -q '"error"' "$T/j" && echo "iperf3: $(sed -n 's/.*"error": *//p' "$T/j" | head -1)" >&2
	awk -v f=$((f1 - f0)) -v s="$SECS" '
	     /"sum_received"/ { r = 1 } r && /"bits_per_second"/ { gsub(/[,]/, ""); g = $2 / 1e9; r = 0 }
	     /"sum_sent"/ { t = 1 } t && /"retransmits"/ { gsub(/[,]/, ""); rt = $2; t = 0 }
	     END { printf "%.2f %d %d\n", g, f / s, rt + 0 }' "$T/j"
}

# UDP, LEN-byte payloads, unlimited rate: "received-pps lost-percent"
udp_run() { # udp_run LEN
	iperf_server
	ip netns exec "$C" timeout $((SECS + 20)) iperf3 -c 10.62.0.1 -u -b 0 -l "$1" -t "$SECS" -J >"$T/u" 2>&1
	wait "$SRV" 2>/dev/null
	awk -v s="$SECS" '/"sum"/ { u = 1 } u && /"packets"/ { gsub(/,/, ""); p = $2 }
	     u && /"lost_packets"/ { gsub(/,/, ""); l = $2 }
	     END { printf "%d %.1f\n", (p - l) / s, p ? 100 * l / p : 0 }' "$T/u"
}

# UDP, 64-byte frames from pktgen: "received-pps lost-percent"
pps_run() {
	timeout $((SECS + 10)) "$PKTGEN" udp -a "$C" -b "$S" -d 10.62.0.1 -t "$SECS" >"$T/p" 2>&1 ||
		{ echo "pktgen failed: $(cat "$T/p")" >&2; echo "0 100.0"; return; }
	sed -n 's/^sent=\([0-9]*\) received=\([0-9]*\) .* rx_pps=\([0-9]*\).*/\1 \2 \3/p' "$T/p" |
		awk '{ printf "%d %.1f\n", $3, $1 ? 100 * ($1 - $2) / $1 : 0 }'
}

pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", (b > 0 ? 100 * a / b : 0) }'; }
cpu_ticks() { # cpu_ticks PID... : user+system ticks of those processes
	local p t=0
	for p in "$@"; do
		t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
	done
	echo "$t"
}

# profile_start NAME PID / profile_stop NAME PID: see FORWARD_PROFILE
prof_file() { echo "$PROF/$(echo "$1" | tr -c 'a-zA-Z0-9\n' _)"; }
prof_snap() { # prof_snap NAME PID TAG
	local f
	f=$(prof_file "$1")
	{ echo "== $3"; ss -N "$R" -0 -t -u -x -m -p 2>/dev/null | grep -A1 "pid=$2," | grep -v '^--'; } >>"$f.ss"
	{ echo "== $3"; ip netns exec "$R" "$UMNET" exec "${NODE_LIST[-1]}" cat /proc/interrupts 2>&1; } >>"$f.irq"
	{ echo "== $3"; ip -n "$R" -s link show; } >>"$f.link"
}
profile_start() {
	local f
	mkdir -p "$PROF"
	f=$(prof_file "$1")
	rm -f "$f.ss" "$f.irq" "$f.link"
	prof_snap "$1" "$2" before
	if [ "${FORWARD_PROFILE_STRACE:-0}" = 1 ]; then
		timeout $((SECS + 5)) strace -c -o "$f.strace" -p "$2" 2>/dev/null &
	else
		# the SIGIOs the host raised for the router (needs tracefs)
		timeout $((SECS + 5)) perf stat -a -e signal:signal_generate \
			--filter "sig == 29 && pid == $2" -o "$f.sigio" -- sleep "$SECS" >/dev/null 2>&1 &
		SIGIO_PID=$!
		timeout $((SECS + 5)) perf stat -p "$2" -o "$f.sys" \
			-e 'syscalls:sys_enter_recvmmsg,syscalls:sys_enter_sendmmsg' \
			-e 'syscalls:sys_enter_readv,syscalls:sys_enter_writev,syscalls:sys_enter_read,syscalls:sys_enter_write' \
			-e 'syscalls:sys_enter_fcntl,syscalls:sys_enter_poll,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_rt_sigreturn' \
			-e 'syscalls:sys_enter_clock_nanosleep,syscalls:sys_enter_timer_settime,task-clock' \
			-- sleep "$SECS" >/dev/null 2>&1 &
		SYS_PID=$!
		timeout $((SECS + 5)) perf record -q -g -o "$f.perf" -p "$2" -- sleep "$SECS" >/dev/null 2>&1 &
	fi
	PROF_PID=$!
}
profile_stop() {
	[ "${FORWARD_PROFILE_STRACE:-0}" = 1 ] && kill -INT "$PROF_PID" 2>/dev/null
	wait "$PROF_PID" 2>/dev/null
	[ -n "${SIGIO_PID:-}" ] && wait "$SIGIO_PID" 2>/dev/null
	[ -n "${SYS_PID:-}" ] && wait "$SYS_PID" 2>/dev/null
	prof_snap "$1" "$2" after
}

TCP_ROWS=
UDP_ROWS=
# measure NAME HOPS PATH-TEXT [PID...] : TCP, UDP 64 and UDP 1400 across
# the path now set up; the first call (native) sets the references
measure() {
	local name=$1 hops=$2 ptext=$3 g fps r p64 l64 p1k l1k pg lg cpu="-" c0=() c1=() i now
	shift 3
	for i in "$@"; do c0+=("$(cpu_ticks "$i")"); done
	[ -n "$PROF" ] && [ $# -gt 0 ] && profile_start "$name" "$1"
	read -r g fps r < <(iperf_run)
	[ -n "$PROF" ] && [ $# -gt 0 ] && profile_stop "$name" "$1"
	if [ $# -gt 0 ]; then
		cpu=
		for i in "$@"; do c1+=("$(cpu_ticks "$i")"); done
		for i in "${!c0[@]}"; do
			cpu+=${cpu:+/}$(awk -v d=$((c1[i] - c0[i])) -v hz="$(getconf CLK_TCK)" -v s="$SECS" \
				'BEGIN { printf "%.0f%%", 100 * d / hz / s }')
		done
	fi
	if [ "$TESTS" = tcp ]; then
		p64=0 l64=0 p1k=0 l1k=0 pg=0 lg=0
	else
		read -r p64 l64 < <(udp_run 64)
		read -r p1k l1k < <(udp_run 1400)
		read -r pg lg < <(pps_run)
	fi
	if [ -z "${NATIVE:-}" ]; then
		NATIVE=$g NATIVE_P64=$p64 NATIVE_P1K=$p1k NATIVE_PG=$pg
	fi
	TCP_ROWS+=$(printf '%-20s %4s %8s %9s %10s %9s %7s' "$name" "$hops" "$g" "$fps" "$r" "$cpu" "$(pct "$g" "$NATIVE")")$'\n'
	UDP_ROWS+=$(printf '%-20s %9s %6s %7s %9s %6s %7s %9s %6s %7s' "$name" "$p64" "$l64%" "$(pct "$p64" "$NATIVE_P64")" \
		"$p1k" "$l1k%" "$(pct "$p1k" "$NATIVE_P1K")" "$pg" "$lg%" "$(pct "$pg" "$NATIVE_PG")")$'\n'
	now=$(date -u +%FT%TZ)
	printf '{"bench":"forward","date":"%s","path":"%s","hops":%d,"via":"%s","seconds":%d,"gbit_s":%s,"rx_frames_s":%s,"retransmits":%s,"router_cpu":"%s","native_gbit_s":%s}\n' \
		"$now" "$name" "$hops" "$ptext" "$SECS" "$g" "$fps" "$r" "$cpu" "$NATIVE" >>"$BENCH_JSON"
	[ "$TESTS" = tcp ] && { printf '%-20s done: %s Gbit/s\n' "$name" "$g" >&2; return; }
	printf '{"bench":"forward_udp","date":"%s","path":"%s","hops":%d,"len":64,"seconds":%d,"pps":%s,"lost_pct":%s,"native_pps":%s}\n' \
		"$now" "$name" "$hops" "$SECS" "$p64" "$l64" "$NATIVE_P64" >>"$BENCH_JSON"
	printf '{"bench":"forward_udp","date":"%s","path":"%s","hops":%d,"len":1400,"seconds":%d,"pps":%s,"lost_pct":%s,"native_pps":%s}\n' \
		"$now" "$name" "$hops" "$SECS" "$p1k" "$l1k" "$NATIVE_P1K" >>"$BENCH_JSON"
	printf '{"bench":"forward_pps","date":"%s","path":"%s","hops":%d,"frame":64,"seconds":%d,"pps":%s,"lost_pct":%s,"native_pps":%s}\n' \
		"$now" "$name" "$hops" "$SECS" "$pg" "$lg" "$NATIVE_PG" >>"$BENCH_JSON"
	printf '%-20s done: %s Gbit/s, UDP 64 B %s pps, UDP 1400 B %s pps, pktgen 64 B frames %s pps\n' \
		"$name" "$g" "$p64" "$p1k" "$pg" >&2
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
measure "native netns router" 1 "veth - netns router - veth"
ip netns del "$R"

# the client's and server's ends after a router came up: C's and S's
# interfaces are named c-SFX and s-SFX whatever made them
ends_up() {
	ip -n "$C" addr add 10.61.0.1/24 dev "c$SFX"
	ip -n "$S" addr add 10.62.0.1/24 dev "s$SFX"
	ip -n "$C" link set "c$SFX" up
	ip -n "$S" link set "s$SFX" up
	ip -n "$C" route replace default via 10.61.0.2
	ip -n "$S" route replace default via 10.62.0.2
}

# a UML router per transport, run inside netns R so that its host sides
# live there: raw links are veth pairs into C and S; tap and hybrid links
# are taps joined (host-bridge) with a veth from C or S in a bridge of R,
# which itself routes nothing (forwarding off, no addresses)
setup_ns R E
one_hop() { # one_hop TRANSPORT
	local t=$1 n=fw$SFX p=$T/$1.profile i via
	for i in 0 1; do
		ip -n "$R" link add "b$i$SFX" type bridge 2>/dev/null
		ip -n "$R" link set "b$i$SFX" up
	done
	{
		printf '[appliance]\nname = %s\nforwarding = yes\n' "$n"
		for i in 0 1; do
			printf '[interface vec%d]\ntransport = %s\nifname = f%d%s\n' $i "$t" $i "$SFX"
			case $t in
			raw) printf '%shost = veth\nhost-ifname = g%d%s\n' "$GRO" $i "$SFX" ;;
			*) printf '%shost = tap\nhost-bridge = b%d%s\n' "$GRO" $i "$SFX" ;;
			esac
			printf 'address = 10.6%d.0.2/24\n' $((i + 1))
			[ -z "$OPTS" ] || printf '%b\n' "$OPTS"
		done
	} >"$p"
	NODE_LIST+=("$n")
	ip netns exec "$R" "$UMNET" up "$p" >/dev/null || { echo "up ($t) failed: see the lines above"; return 1; }
	[ -z "$NODE_CMD" ] || ip netns exec "$R" "$UMNET" exec "$n" sh -c "$NODE_CMD" >/dev/null ||
		{ echo "FORWARD_NODE_CMD failed in the $t router"; return 1; }
	if [ "$t" = raw ]; then
		ip -n "$R" link set "g0$SFX" netns "$C" name "c$SFX"
		ip -n "$R" link set "g1$SFX" netns "$S" name "s$SFX"
		via="veth =raw= UML =raw= veth"
	else
		ip -n "$R" link add "h0$SFX" type veth peer name "c$SFX" netns "$C"
		ip -n "$R" link add "h1$SFX" type veth peer name "s$SFX" netns "$S"
		ip -n "$R" link set "h0$SFX" master "b0$SFX" up
		ip -n "$R" link set "h1$SFX" master "b1$SFX" up
		via="veth - bridge - tap =$t= UML =$t= tap - bridge - veth"
	fi
	ends_up
	if busywait 5000 ip netns exec "$C" ping -c 1 -W 1 10.62.0.1 >/dev/null; then
		measure "UML router, $t" 1 "$via" "$(node_pid "$n")"
	else
		echo "no path through the $t router: its console is /run/umnet/$n/console.log"
	fi
	ip netns exec "$R" "$UMNET" down "$n" >/dev/null
	ip -n "$C" link del "c$SFX" 2>/dev/null
	ip -n "$S" link del "s$SFX" 2>/dev/null
	for i in 0 1; do ip -n "$R" link del "b$i$SFX" 2>/dev/null; done
}

# the transit link's vec lines for router A (fwX, 10.63.0.1) or B (feX,
# 10.63.0.2): tunnel_vec TRANSPORT A|B
tunnel_vec() {
	case $1 in
	raw2)
		if [ "$2" = A ]; then
			printf 'transport = raw\ngro = 1\nifname = f1%s\nhost = veth\nhost-ifname = t%s\n' "$SFX" "$SFX"
		else
			printf 'transport = raw\ngro = 1\nifname = t%s\n' "$SFX"
		fi ;;
	gre) printf 'transport = gre\nsrc = 10.90.0.1\ndst = 10.90.0.2\nrx_key = 1001\ntx_key = 1002\n' ;;
	l2tpv3) printf 'transport = l2tpv3\nudp = 1\nsrcport = 17001\ndstport = 17002\nsrc = 10.90.0.1\ndst = 10.90.0.2\nrx_session = 11\ntx_session = 22\nrx_cookie = 789514\ntx_cookie = 789515\n' ;;
	bess)
		printf 'transport = bess\ndst = %s/sw.sock\nsrc = %s/%s.sock\n' "$T" "$T" "$2"
		[ "$BESS_VNET" = 0 ] || printf 'vnet_hdr = 1\n' ;;
	fd) printf 'transport = fd\nhost = wire\nwire = w%s\n' "$SFX" ;;
	esac
}

two_hops() { # two_hops TRANSPORT
	local t=$1 a=fw$SFX b=fe$SFX sw=0 ok=1 via
	case $t in
	raw2) via="veth =raw= UML =raw= veth =raw= UML =raw= veth" ;;
	gre | l2tpv3) via="veth =raw= UML =$t (veth underlay)= kernel $t in UML =raw= veth" ;;
	bess) via="veth =raw= UML =bess= umnet switch =bess= UML =raw= veth" ;;
	fd) via="veth =raw= UML =fd (socketpair)= UML =raw= veth" ;;
	esac
	# A: raw to C, the transport on vec1
	{
		printf '[appliance]\nname = %s\nforwarding = yes\nroute = 10.62.0.0/24 via 10.63.0.2\n' "$a"
		printf '[interface vec0]\ntransport = raw\ngro = 1\nifname = f0%s\nhost = veth\nhost-ifname = g0%s\naddress = 10.61.0.2/24\n' "$SFX" "$SFX"
		printf '[interface vec1]\n'
		tunnel_vec "$t" A
		printf 'address = 10.63.0.1/24\n'
	} >"$T/a.profile"
	# B: the transport (or the underlay) on vec0, raw to S
	{
		printf '[appliance]\nname = %s\nforwarding = yes\n' "$b"
		# gre, l2tpv3: the route goes in after hostsetup made the far end
		case $t in
		gre | l2tpv3) printf '[interface vec0]\ntransport = raw\ngro = 1\nmtu = 9000\nifname = u%s\naddress = 10.90.0.2/30\n' "$SFX" ;;
		*) printf 'route = 10.61.0.0/24 via 10.63.0.1\n[interface vec0]\n'
			tunnel_vec "$t" B
			printf 'address = 10.63.0.2/24\n' ;;
		esac
		printf '[interface vec1]\ntransport = raw\ngro = 1\nifname = f3%s\nhost = veth\nhost-ifname = g1%s\naddress = 10.62.0.2/24\n' "$SFX" "$SFX"
	} >"$T/b.profile"
	case $t in
	gre | l2tpv3)
		ip link add "u$SFX" netns "$E" mtu 9000 type veth peer name "ur$SFX" netns "$R" mtu 9000
		ip -n "$R" addr add 10.90.0.1/30 dev "ur$SFX"
		ip -n "$R" link set "ur$SFX" up
		ip -n "$E" link set "u$SFX" up ;;
	bess)
		"$UMNET" switch -d -s "$T/sw.sock" >"$T/sw.log" 2>&1 &
		sw=$!
		PID_LIST+=("$sw")
		busywait 3000 test -S "$T/sw.sock" || { echo "umnet switch did not start: $(cat "$T/sw.log")"; ok=0; } ;;
	esac
	NODE_LIST+=("$a" "$b")
	[ $ok = 1 ] && { ip netns exec "$R" "$UMNET" up "$T/a.profile" >/dev/null || ok=0; }
	[ $ok = 1 ] && [ "$t" = raw2 ] && ip -n "$R" link set "t$SFX" netns "$E" up
	[ $ok = 1 ] && { ip netns exec "$E" "$UMNET" up "$T/b.profile" >/dev/null || ok=0; }
	if [ $ok = 1 ] && [[ $t == gre || $t == l2tpv3 ]]; then
		# the far end: A's host side, built inside B by umnet's netstack
		{
			printf '[appliance]\nname = %s\n[interface vec1]\n' "$a"
			tunnel_vec "$t" A
			printf 'address = 10.63.0.1/24\nhost = %s\nhost-ifname = tt0\nhost-address = 10.63.0.2/24\n' \
				"$([ "$t" = gre ] && echo gretap || echo l2tp)"
		} >"$T/ha.profile"
		ip netns exec "$E" "$UMNET" exec "$b" -- sh -c \
			'printf %s "$1" >/tmp/a.profile && umnet hostsetup --apply /tmp/a.profile >/dev/null && ip route add 10.61.0.0/24 via 10.63.0.1' \
			- "$(cat "$T/ha.profile")" || { echo "hostsetup --apply of the $t far end inside $b failed"; ok=0; }
	fi
	if [ $ok = 1 ]; then
		ip -n "$R" link set "g0$SFX" netns "$C" name "c$SFX"
		ip -n "$E" link set "g1$SFX" netns "$S" name "s$SFX"
		ends_up
		if busywait 8000 ip netns exec "$C" ping -c 1 -W 1 10.62.0.1 >/dev/null; then
			# bess: the switch's CPU is the third figure
			# shellcheck disable=SC2046
			measure "UML routers, $t" 2 "$via" "$(node_pid "$a")" "$(node_pid "$b")" $([ "$sw" != 0 ] && echo "$sw")
		else
			echo "no path through the $t routers: see /run/umnet/$a/console.log and $b's"
			[ -n "${FORWARD_DEBUG:-}" ] && { ip -n "$E" -br link; ip -n "$R" -br link; cat "$T/a.profile" "$T/b.profile"; ip netns exec "$E" "$UMNET" exec "$b" -- ip -br a; ip netns exec "$R" "$UMNET" exec "$a" -- ip -br a; ip netns exec "$R" "$UMNET" exec "$a" -- ping -c1 -W1 10.63.0.2; }
		fi
	else
		echo "the $t routers did not come up: see the lines above"
	fi
	ip netns exec "$E" "$UMNET" down "$b" >/dev/null 2>&1
	ip netns exec "$R" "$UMNET" down "$a" >/dev/null 2>&1
	if [ "$sw" != 0 ]; then
		kill "$sw" 2>/dev/null
		wait "$sw" 2>/dev/null
	fi
	ip -n "$C" link del "c$SFX" 2>/dev/null
	ip -n "$S" link del "s$SFX" 2>/dev/null
	ip -n "$R" link del "ur$SFX" 2>/dev/null
	ip -n "$R" link del "t$SFX" 2>/dev/null
	ip -n "$E" link del "t$SFX" 2>/dev/null
	rm -f "$T"/*.sock
}

for t in $TRANSPORTS; do
	case $t in
	raw | tap | hybrid) one_hop "$t" ;;
	raw2 | gre | l2tpv3 | bess | fd) two_hops "$t" ;;
	*) echo "FORWARD_TRANSPORTS: unknown transport \"$t\": use raw tap hybrid raw2 gre l2tpv3 bess fd"; RET=1 ;;
	esac
done
printf '\n%-20s %4s %8s %9s %10s %9s %7s\n' "TCP, $SECS s" hops Gbit/s "rx fr/s" retransmit cpu "vs nat"
printf '%s' "$TCP_ROWS"
[ "$TESTS" = tcp ] && exit $RET
printf '\n%-20s %9s %6s %7s %9s %6s %7s %9s %6s %7s\n' "UDP, $SECS s" "64B pps" lost "vs nat" "1400B pps" lost "vs nat" \
	"pktgen pps" lost "vs nat"
printf '%-20s %24s %24s %24s\n' "" "(iperf3, 64 B payload)" "(iperf3, 1400 B payload)" "(64 B frames)"
printf '%s' "$UDP_ROWS"
exit $RET
