#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# boot: `umnet up` to ready for one node without interfaces, N times
# (BOOT_RUNS, default 20): median and spread, split into
#   host setup            up's own work before UML starts (umnet's report)
#   UML start, notify     UML's start before the guest's clock runs (host
#                         checks, guest memory) plus the ready notification
#   kernel to init        the guest's clock when init started (init's report)
#   init to ready         init's own report
# Then P boots at a time (BOOT_PARALLEL, default "2 4 8"; BOOT_PAR_ROUNDS
# rounds each, default 5): wall time from the first up to the last ready.
# The machine is shared: the load average and a reference (100 fork+exec
# of /bin/true, the host's own process start cost) are measured in the same
# run and reported with the figures.
source "$(dirname "$0")/../tests/netns/lib.sh"
require_root
require_built
N=${BOOT_RUNS:-20}
PAR=${BOOT_PARALLEL:-2 4 8}
ROUNDS=${BOOT_PAR_ROUNDS:-5}
tmpdir T
NAME=bb$SFX

median() { # median < numbers -> "median min max"
	sort -n | awk '{ v[NR] = $1 } END {
		if (!NR) { print "0 0 0"; exit }
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%d %d %d\n", m, v[1], v[NR] }'
}
col() { cut -d' ' -f"$1" "$2" | median; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
reference() { # ms for 100 fork+exec of /bin/true
	local t0
	t0=$(now_ms)
	for _ in $(seq 100); do /bin/true; done
	echo $(($(now_ms) - t0))
}
load() { cut -d' ' -f1-3 /proc/loadavg; }

load0=$(load)
ref0=$(reference)
printf '[appliance]\nname = %s\nmem = 32M\n' "$NAME" >"$T/b.profile"
NODE_LIST+=("$NAME")
: >"$T/runs"
for _ in $(seq "$N"); do
	out=$(timeout 60 "$UMNET" up "$T/b.profile") || { echo "up failed: $out"; exit 1; }
	# "NAME: ready in X ms (boot Y ms), pid P"
	total=$(sed -n 's/.*ready in \([0-9]*\) ms.*/\1/p' <<<"$out")
	boot=$(sed -n 's/.*(boot \([0-9]*\) ms).*/\1/p' <<<"$out")
	# "umnet-init: ...; ready X ms after init started, uptime S.MMM s"
	# the console holder copies the log behind up's return: wait for it
	for _ in $(seq 100); do
		log=$(grep -m1 ' ms after init started' "${UMNET_STATE_DIR:-/run/umnet}/$NAME/console.log")
		[ -n "$log" ] && break
		sleep 0.01
	done
	iready=$(sed -n 's/.*ready \([0-9]*\) ms after init started.*/\1/p' <<<"$log")
	up=$(sed -n 's/.*uptime \([0-9]*\)\.\([0-9]*\) s.*/\1\2/p' <<<"$log")
	up=$((10#${up:-0}))
	echo "$total $boot ${iready:-0} $up" >>"$T/runs"
	timeout 60 "$UMNET" down "$NAME" >/dev/null
done
# columns of runs: total, boot (UML start to ready), init to ready, uptime
awk '{ print $1 - $2, $2 - $4, $4 - $3 }' "$T/runs" >"$T/split"
read -r tm tmin tmax < <(col 1 "$T/runs")
read -r hm hmin hmax < <(col 1 "$T/split")
read -r um umin umax < <(col 2 "$T/split")
read -r km kmin kmax < <(col 3 "$T/split")
read -r im imin imax < <(col 3 "$T/runs")

# P at a time
: >"$T/par"
for p in $PAR; do
	names=()
	for i in $(seq "$p"); do
		printf '[appliance]\nname = %s-%d\nmem = 32M\n' "$NAME" "$i" >"$T/p$i.profile"
		names+=("$NAME-$i")
		NODE_LIST+=("$NAME-$i")
	done
	: >"$T/wall.$p"
	: >"$T/ready.$p"
	for _ in $(seq "$ROUNDS"); do
		t0=$(now_ms)
		for i in $(seq "$p"); do
			timeout 60 "$UMNET" up "$T/p$i.profile" >"$T/out.$i" 2>&1 &
		done
		wait
		echo $(($(now_ms) - t0)) >>"$T/wall.$p"
		for i in $(seq "$p"); do
			sed -n 's/.*ready in \([0-9]*\) ms.*/\1/p' "$T/out.$i" >>"$T/ready.$p"
			grep -q 'ready in' "$T/out.$i" || { echo "up failed: $(cat "$T/out.$i")"; exit 1; }
		done
		for n in "${names[@]}"; do timeout 60 "$UMNET" down "$n" >/dev/null & done
		wait
	done
	read -r wm wmin wmax < <(median <"$T/wall.$p")
	read -r rm rmin rmax < <(median <"$T/ready.$p")
	echo "$p $wm $wmin $wmax $rm $rmin $rmax" >>"$T/par"
done
load1=$(load)
ref1=$(reference)

printf '%-40s %8s %8s %8s\n' "boot, $N runs (ms)" median min max
printf '%-40s %8d %8d %8d\n' "umnet up to ready" "$tm" "$tmin" "$tmax"
printf '%-40s %8d %8d %8d\n' "  host setup (up before UML starts)" "$hm" "$hmin" "$hmax"
printf '%-40s %8d %8d %8d\n' "  UML start before the guest clock, notify" "$um" "$umin" "$umax"
printf '%-40s %8d %8d %8d\n' "  kernel to init (guest clock)" "$km" "$kmin" "$kmax"
printf '%-40s %8d %8d %8d\n' "  init to ready (init's report)" "$im" "$imin" "$imax"
printf '%-40s %8s %8s %8s %8s\n' "P boots at a time, $ROUNDS rounds (ms)" "wall" "min-max" "per node" "ready"
printf '%-40s %8d %8s %8d %8d\n' "1 (the serial runs above)" "$tm" "$tmin-$tmax" "$tm" "$tm"
while read -r p wm wmin wmax rm _ _; do
	printf '%-40s %8d %8s %8d %8d\n' "$p" "$wm" "$wmin-$wmax" $((wm / p)) "$rm"
done <"$T/par"
echo "reference: 100 fork+exec of /bin/true ${ref0} ms before, ${ref1} ms after; load average $load0 before, $load1 after"
par_json=$(awk '{ printf "%s{\"p\":%d,\"wall_ms\":%d,\"wall_min_ms\":%d,\"wall_max_ms\":%d,\"ready_ms\":%d}", (NR > 1 ? "," : ""), $1, $2, $3, $4, $5 }' "$T/par")
printf '{"bench":"boot","date":"%s","commit":"%s","runs":%d,"median_ms":%d,"min_ms":%d,"max_ms":%d,"host_setup_ms":%d,"uml_to_ready_ms":%d,"uml_start_notify_ms":%d,"kernel_to_init_ms":%d,"init_to_ready_ms":%d,"parallel":[%s],"ref_exec100_ms":[%d,%d],"loadavg":["%s","%s"]}\n' \
	"$(date -u +%FT%TZ)" "$(git -C "$TOP" rev-parse --short HEAD 2>/dev/null)" "$N" "$tm" "$tmin" "$tmax" "$hm" \
	$((tm - hm)) "$um" "$km" "$im" "$par_json" "$ref0" "$ref1" "$load0" "$load1" >>"$BENCH_JSON"
