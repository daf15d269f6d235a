#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# memory: host RSS and PSS of idle nodes (mem=32M, no interfaces), summed
# over every process of each node's UML process group, for N nodes running
# at once (default 5); and how many such nodes fit in 8 GiB by PSS.
source "$(dirname "$0")/../tests/netns/lib.sh"
require_root
require_built
N=${MEMORY_NODES:-5}
tmpdir T
for i in $(seq "$N"); do
	n=bm$SFX$i
	printf '[appliance]\nname = %s\nmem = 32M\n' "$n" >"$T/$i.profile"
	NODE_LIST+=("$n")
	"$UMNET" up "$T/$i.profile" >/dev/null || { echo "up $n failed"; exit 1; }
done
sleep 2 # let the nodes go idle
printf '%-24s %10s %10s\n' "idle node (mem=32M)" "RSS KiB" "PSS KiB"
tr=0 tp=0
for i in $(seq "$N"); do
	n=bm$SFX$i
	pid=$(node_pid "$n")
	read -r r p < <(for q in $(pgrep -g "$pid"); do
		awk '/^Rss:/ { r = $2 } /^Pss:/ { p = $2 } END { print r, p }' "/proc/$q/smaps_rollup"
	done | awk '{ r += $1; p += $2 } END { print r, p }')
	printf '%-24s %10d %10d\n' "$n" "$r" "$p"
	tr=$((tr + r)) tp=$((tp + p))
done
ar=$((tr / N)) ap=$((tp / N))
fit=$((8 * 1024 * 1024 / (ap > 0 ? ap : 1)))
printf '%-24s %10d %10d\n' "average" "$ar" "$ap"
echo "idle routers in 8 GiB (by PSS): $fit"
printf '{"bench":"memory","date":"%s","nodes":%d,"rss_kib":%d,"pss_kib":%d,"fit_8gib":%d}\n' \
	"$(date -u +%FT%TZ)" "$N" "$ar" "$ap" "$fit" >>"$BENCH_JSON"
for i in $(seq "$N"); do "$UMNET" down "bm$SFX$i" >/dev/null; done
exit 0
