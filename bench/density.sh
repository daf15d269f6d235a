#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# density: one lab of N nodes (DENSITY_NODES, default 1000), mem=32M, the
# default (minimal) root image: a ring of fd wires (n1-n2, ..., nN-n1) plus
# a bess switch segment per 10 nodes. `make bench BENCH=density`.
#
# Measures: the time of `umnet lab up` until every node is ready (default
# --jobs, or DENSITY_JOBS), the time of `umnet lab down`, the host's
# MemAvailable drop per node, and the PSS of a sample of nodes (every
# N/10th, bench/nodemem.sh). Verifies that every node is ready and running
# (lab status) and pings across a few ring wires and segments.
#
# It uses its own UMNET_STATE_DIR, so it never sees or stops other nodes,
# and refuses to start without DENSITY_MIB_PER_NODE (16) MiB available per
# node plus 2 GiB. Targets (issue 15): 1000 nodes up in at most 120 s, down
# in at most 30 s, on a 2-core, 24 GiB machine.
# shellcheck source=../tests/netns/lib.sh
source "$(dirname "$0")/../tests/netns/lib.sh"
# shellcheck source=nodemem.sh
source "$(dirname "$0")/nodemem.sh"
require_root
require_built
require_command perl
N=${DENSITY_NODES:-1000}
[ "$N" -ge 3 ] || { echo "DENSITY_NODES must be at least 3"; exit 2; }
need=$(((N * ${DENSITY_MIB_PER_NODE:-16} + 2048) * 1024))
have=$(avail)
if [ "$have" -lt "$need" ]; then
	echo "SKIP: $N nodes need $((need / 1048576)) GiB available, the host has $((have / 1048576)) GiB"
	exit 0
fi
tmpdir T
tmpdir STATE
chmod 0755 "$STATE" # the switches and keeper run as another user
export UMNET_STATE_DIR=$STATE
LAB=dn$SFX

# down the lab (its own state dir) whatever happens
# shellcheck disable=SC2317 # a trap
density_cleanup() {
	[ -d "$STATE/.labs/$LAB" ] && timeout 300 "$UMNET" lab down "$LAB" >/dev/null 2>&1
	cleanup
}
trap density_cleanup EXIT

# ring wire i (ni - n(i+1)): 10.A.B.1/30 and .2 with A.B from i
wire_net() { echo "10.$((100 + $1 / 250)).$(($1 % 250))"; }
{
	printf '[lab]\nname = %s\nmem = 32M\n' "$LAB"
	for i in $(seq "$N"); do printf '[node n%d]\n' "$i"; done
	for i in $(seq "$N"); do
		w=$(wire_net "$i")
		printf '[link w%d]\nendpoint = n%d %s.1/30\nendpoint = n%d %s.2/30\n' \
			"$i" "$i" "$w" $((i % N + 1)) "$w"
	done
	for i in $(seq 1 10 "$N"); do
		printf '[link s%d]\n' "$i"
		for j in $(seq "$i" $((i + 9 < N ? i + 9 : N))); do
			printf 'endpoint = n%d 10.200.%d.%d/24\n' "$j" $((i / 10)) $((j - i + 1))
		done
	done
} >"$T/lab.lab"

sync
a0=$(avail)
load0=$(cut -d' ' -f1-3 /proc/loadavg)
t0=$(date +%s%N)
# shellcheck disable=SC2086
timeout 900 "$UMNET" lab up "$T/lab.lab" ${DENSITY_JOBS:+--jobs $DENSITY_JOBS} >"$T/up.log" 2>&1
rc=$?
t1=$(date +%s%N)
up=$(((t1 - t0) / 1000000))
tail -1 "$T/up.log"
if [ $rc -ne 0 ]; then
	echo "lab up failed (exit $rc); what was not ready, then the end:"
	grep -v " ready in " "$T/up.log" | head -40
	mkdir -p "$BUILD/bench"
	cp "$T/up.log" "$BUILD/bench/density-up.log"
	echo "(all of it in $BUILD/bench/density-up.log)"
	exit 1
fi
mkdir -p "$BUILD/bench"
cp "$T/up.log" "$BUILD/bench/density-up.log" # for a look at the rate
ready=$(grep -c '^ *\[[0-9]*/[0-9]*\] .* ready in ' "$T/up.log")
sleep 5 # let the nodes go idle
a1=$(avail)

fail=0
"$UMNET" lab status "$LAB" --json >"$T/status.json"
running=$(grep -o '"state":"running"' "$T/status.json" | wc -l)
if [ "$ready" -ne "$N" ] || [ "$running" -ne "$N" ]; then
	echo "FAIL: $ready of $N nodes said ready, $running running"
	fail=1
	# the console of a few nodes that are not running
	grep -o '"host_name":"[^"]*","state":"[a-z]*"' "$T/status.json" |
		grep -v '"running"' | cut -d'"' -f4 | head -3 | while read -r h; do
		echo "--- $h: $(grep -m1 -A12 -E "panic|Oops|BUG|out of memory|Call Trace" "$STATE/$h/console.log" 2>/dev/null)"
	done
fi

# pings: ring wires at the start, the middle and the end (nN - n1), and
# to the first node of the first and the last switch segment
m=$((N / 2)) pings=0 pinged=0
for p in "n1 $(wire_net 1).2" "n$m $(wire_net "$m").2" "n$N $(wire_net "$N").2" \
	"n2 10.200.0.1" "n$((N - 1)) 10.200.$(((N - 2) / 10)).1"; do
	read -r node addr <<<"$p"
	pinged=$((pinged + 1))
	if "$UMNET" exec "$LAB/$node" --timeout 20 -- ping -c 1 -W 5 "$addr" >/dev/null 2>&1; then
		pings=$((pings + 1))
	else
		echo "FAIL: $node cannot ping $addr"
		fail=1
	fi
done

# PSS of every N/10th node
step=$((N / 10 > 0 ? N / 10 : 1))
: >"$T/pss"
for i in $(seq 1 "$step" "$N"); do
	pid=$(cut -d' ' -f1 "$STATE/$LAB.n$i/pid" 2>/dev/null)
	[ -n "$pid" ] || continue
	read -r _ p _ _ < <(node_mem "$pid")
	echo "$p" >>"$T/pss"
done
read -r pss pss_min pss_max < <(median_spread <"$T/pss")
load1=$(cut -d' ' -f1-3 /proc/loadavg)

t2=$(date +%s%N)
timeout 300 "$UMNET" lab down "$LAB" >"$T/down.log" 2>&1 || { echo "lab down failed:"; tail "$T/down.log"; fail=1; }
t3=$(date +%s%N)
down=$(((t3 - t2) / 1000000))
left=$(find "$STATE" -mindepth 1 -maxdepth 1 ! -name '.*' | wc -l)
[ "$left" -eq 0 ] || { echo "FAIL: $left node state dirs left after lab down"; fail=1; }

drop=$(((a0 - a1) / N))
printf '%-36s %8s\n' "density lab (mem=32M, ring + switches)" "$N nodes"
printf '%-36s %8.2f   (target <= 120 s for 1000)\n' "lab up, all ready (s)" "$(bc <<<"scale=2; $up/1000")"
printf '%-36s %8.2f   (target <= 30 s for 1000)\n' "lab down (s)" "$(bc <<<"scale=2; $down/1000")"
printf '%-36s %8d\n' "nodes ready / running" "$running"
printf '%-36s %8s\n' "pings across the ring and segments" "$pings/$pinged"
printf '%-36s %8d\n' "MemAvailable drop per node (KiB)" "$drop"
printf '%-36s %8d   (min %d, max %d, %d nodes)\n' "PSS per node, median (KiB)" "$pss" "$pss_min" "$pss_max" "$(wc -l <"$T/pss")"
echo "load average before: $load0; with the lab up: $load1"
printf '{"bench":"density","date":"%s","nodes":%d,"jobs":"%s","up_ms":%d,"down_ms":%d,"ready":%d,"pings_ok":%d,"pings":%d,"avail_drop_kib":%d,"pss_kib":%d,"pss_min_kib":%d,"pss_max_kib":%d,"load_before":"%s"}\n' \
	"$(date -u +%FT%TZ)" "$N" "${DENSITY_JOBS:-default}" "$up" "$down" "$running" "$pings" "$pinged" \
	"$drop" "$pss" "$pss_min" "$pss_max" "$load0" >>"$BENCH_JSON"
exit $fail
