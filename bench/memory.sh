#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# memory: host memory of idle nodes (mem=32M, no interfaces), N of them
# running at once (default 5): RSS, PSS, guest and image per node (what
# they count: bench/nodemem.sh). Cross-check: the drop in the host's
# MemAvailable per node while they run. Then how many such nodes fit in
# 8 GiB by PSS.
source "$(dirname "$0")/../tests/netns/lib.sh"
require_root
require_built
require_command perl
source "$(dirname "$0")/nodemem.sh"
N=${MEMORY_NODES:-5}
tmpdir T

sync
a0=$(avail)
for i in $(seq "$N"); do
	n=bm$SFX$i
	printf '[appliance]\nname = %s\nmem = 32M\n' "$n" >"$T/$i.profile"
	NODE_LIST+=("$n")
	"$UMNET" up "$T/$i.profile" >/dev/null || { echo "up $n failed"; exit 1; }
done
sleep 2 # let the nodes go idle
a1=$(avail)
printf '%-24s %10s %10s %10s %10s\n' "idle node (mem=32M)" "RSS KiB" "PSS KiB" "guest KiB" "image KiB"
tr=0 tp=0 ts=0 tf=0
for i in $(seq "$N"); do
	n=bm$SFX$i
	read -r r p s f < <(node_mem "$(node_pid "$n")")
	printf '%-24s %10d %10d %10d %10d\n' "$n" "$r" "$p" "$s" "$f"
	tr=$((tr + r)) tp=$((tp + p)) ts=$((ts + s)) tf=$((tf + f))
done
ar=$((tr / N)) ap=$((tp / N)) as=$((ts / N)) af=$((tf / N))
fit=$((8 * 1024 * 1024 / (ap > 0 ? ap : 1)))
host=$(((a0 - a1) / N))
printf '%-24s %10d %10d %10d %10d\n' "average" "$ar" "$ap" "$as" "$af"
echo "PSS without the image share: $((ap - af)) KiB (the image share depends on"
echo "  how many processes on the host map the same kernel binary; compare this)"
echo "host MemAvailable drop per node: $host KiB"
echo "idle routers in 8 GiB (by PSS): $fit"
printf '{"bench":"memory","date":"%s","nodes":%d,"rss_kib":%d,"pss_kib":%d,"guest_kib":%d,"image_kib":%d,"own_kib":%d,"avail_drop_kib":%d,"fit_8gib":%d}\n' \
	"$(date -u +%FT%TZ)" "$N" "$ar" "$ap" "$as" "$af" "$((ap - af))" "$host" "$fit" >>"$BENCH_JSON"
for i in $(seq "$N"); do "$UMNET" down "bm$SFX$i" >/dev/null; done
exit 0
