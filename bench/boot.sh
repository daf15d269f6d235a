#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# boot: `umnet up` to ready for one node without interfaces, N times
# (default 20): median and spread, split into host setup (up's own work),
# kernel to init (the console's "Run /sbin/init" timestamp) and init to
# ready (init's own report).
source "$(dirname "$0")/../tests/netns/lib.sh"
require_root
require_built
N=${BOOT_RUNS:-20}
tmpdir T
NAME=bb$SFX
printf '[appliance]\nname = %s\nmem = 32M\n' "$NAME" >"$T/b.profile"
NODE_LIST+=("$NAME")
: >"$T/runs"
for i in $(seq "$N"); do
	out=$("$UMNET" up "$T/b.profile") || { echo "up failed: $out"; exit 1; }
	# "NAME: ready in X ms (boot Y ms), pid P"
	total=$(sed -n 's/.*ready in \([0-9]*\) ms.*/\1/p' <<<"$out")
	boot=$(sed -n 's/.*(boot \([0-9]*\) ms).*/\1/p' <<<"$out")
	kinit=$(sed -n 's/^\[ *\([0-9.]*\)\] Run \/sbin\/init.*/\1/p' "/run/umnet/$NAME/console.log" | head -1)
	iready=$(sed -n 's/.*ready \([0-9]*\) ms after init started.*/\1/p' "/run/umnet/$NAME/console.log" | head -1)
	echo "$total $boot $(awk -v k="${kinit:-0}" 'BEGIN { printf "%d", k * 1000 }') ${iready:-0}" >>"$T/runs"
	"$UMNET" down "$NAME" >/dev/null
done
# columns: total, boot (UML start to ready), kernel to init, init to ready
stats() { # stats COLUMN -> "median min max"
	cut -d' ' -f"$1" "$T/runs" | sort -n | awk '{ v[NR] = $1 } END {
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%d %d %d", m, v[1], v[NR] }'
}
read -r tm tmin tmax < <(stats 1)
read -r bm _ _ < <(stats 2)
read -r km _ _ < <(stats 3)
read -r im _ _ < <(stats 4)
printf '%-34s %8s %8s %8s\n' "boot, $N runs (ms)" median min max
printf '%-34s %8d %8d %8d\n' "umnet up to ready" "$tm" "$tmin" "$tmax"
printf '%-34s %8d\n' "  host setup (up before UML starts)" $((tm - bm))
printf '%-34s %8d\n' "  UML start to ready" "$bm"
printf '%-34s %8d\n' "    kernel to init (console time)" "$km"
printf '%-34s %8d\n' "    init to ready (init's report)" "$im"
printf '{"bench":"boot","date":"%s","runs":%d,"median_ms":%d,"min_ms":%d,"max_ms":%d,"host_setup_ms":%d,"uml_to_ready_ms":%d,"kernel_to_init_ms":%d,"init_to_ready_ms":%d}\n' \
	"$(date -u +%FT%TZ)" "$N" "$tm" "$tmin" "$tmax" $((tm - bm)) "$bm" "$km" "$im" >>"$BENCH_JSON"
