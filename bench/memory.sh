#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# memory: host memory of idle nodes (mem=32M, no interfaces), N of them
# running at once (default 5).
#
# A node is several host processes: the UML kernel, its helper threads
# (clone()d with the kernel's address space) and one process per guest
# address space. Each address space is counted once (kcmp(KCMP_VM) tells
# which processes share one), then summed per node:
#   RSS    resident pages of the UML kernel's own process (what ps shows;
#          includes the kernel image and libc, shared by every node)
#   PSS    over all of the node's address spaces, each page divided among
#          the address spaces that map it (the guest's processes map guest
#          memory that the kernel's process maps too): what a node costs
#   guest  the part of PSS that is guest memory (the /dev/shm file)
#   image  the part of PSS that is files (the kernel image, libc)
# Cross-check: the drop in the host's MemAvailable per node while they run.
# Then how many such nodes fit in 8 GiB by PSS.
source "$(dirname "$0")/../tests/netns/lib.sh"
require_root
require_built
require_command perl
N=${MEMORY_NODES:-5}
tmpdir T

same_mm() { # same_mm PID1 PID2: true when they share an address space
	perl -e 'exit(syscall(312, $ARGV[0] + 0, $ARGV[1] + 0, 1, 0, 0) == 0 ? 0 : 1)' "$1" "$2"
}

# node_mem PID: "rss pss shmem file" (KiB): RSS of PID, the rest summed
# over the node's address spaces
node_mem() {
	local q r seen=()
	for q in $(pgrep -g "$1"); do
		for r in "${seen[@]}"; do same_mm "$q" "$r" && continue 2; done
		seen+=("$q")
		awk -v main=$([ "$q" = "$1" ] && echo 1 || echo 0) '
		     /^Rss:/ { r = main ? $2 : 0 } /^Pss:/ { p = $2 } /^Pss_Shmem:/ { s = $2 }
		     /^Pss_File:/ { f = $2 } END { print r, p, s, f }' "/proc/$q/smaps_rollup"
	done | awk '{ r += $1; p += $2; s += $3; f += $4 } END { print r, p, s, f }'
}

avail() { awk '/^MemAvailable:/ { print $2 }' /proc/meminfo; }

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
echo "host MemAvailable drop per node: $host KiB"
echo "idle routers in 8 GiB (by PSS): $fit"
printf '{"bench":"memory","date":"%s","nodes":%d,"rss_kib":%d,"pss_kib":%d,"guest_kib":%d,"image_kib":%d,"avail_drop_kib":%d,"fit_8gib":%d}\n' \
	"$(date -u +%FT%TZ)" "$N" "$ar" "$ap" "$as" "$af" "$host" "$fit" >>"$BENCH_JSON"
for i in $(seq "$N"); do "$UMNET" down "bm$SFX$i" >/dev/null; done
exit 0
