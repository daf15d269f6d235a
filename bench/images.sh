#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# images: the Debian node image against the minimal one (docs/images.md),
# in the same run.
#   boot    `umnet up` to ready of a node without interfaces (mem=64M),
#           N times per image (default 7), the images alternating;
#           median, min, max and the ratio debian/minimal (target <= 1.5)
#   memory  M idle nodes of each image at once (default 3): the RSS of
#           each node's UML process (it maps all of the guest's memory, so
#           this is what the guest touched plus the kernel image), and what
#           the guest itself uses (MemTotal - MemAvailable in the node)
source "$(dirname "$0")/../tests/netns/lib.sh"
require_root
require_built
N=${IMAGES_RUNS:-7}
M=${IMAGES_NODES:-3}
tmpdir T
images=(minimal debian)

for img in "${images[@]}"; do
	printf '[appliance]\nname = bi%s%s\nmem = 64M\nimage = %s\n' \
		"${img:0:1}" "$SFX" "$img" >"$T/$img.profile"
	NODE_LIST+=("bi${img:0:1}$SFX")
	: >"$T/$img.runs"
done
for i in $(seq "$N"); do
	for img in "${images[@]}"; do
		name=bi${img:0:1}$SFX
		out=$(timeout 60 "$UMNET" up "$T/$img.profile") ||
			{ echo "up failed: $out"; exit 1; }
		sed -n 's/.*ready in \([0-9]*\) ms.*/\1/p' <<<"$out" >>"$T/$img.runs"
		timeout 60 "$UMNET" down "$name" >/dev/null
	done
done
stats() { # stats FILE -> "median min max"
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%d %d %d", m, v[1], v[NR] }'
}
read -r mm mmin mmax < <(stats "$T/minimal.runs")
read -r dm dmin dmax < <(stats "$T/debian.runs")
ratio=$(awk -v d="$dm" -v m="$mm" 'BEGIN { printf "%.2f", m ? d / m : 0 }')

declare -A host guest
for img in "${images[@]}"; do
	names=()
	for i in $(seq "$M"); do
		n=bj${img:0:1}$SFX$i
		sed "s/^name = .*/name = $n/" "$T/$img.profile" >"$T/$n.profile"
		NODE_LIST+=("$n")
		names+=("$n")
		timeout 60 "$UMNET" up "$T/$n.profile" >/dev/null ||
			{ echo "up of $n failed"; exit 1; }
	done
	sleep 2 # idle: let the guests settle
	host[$img]=$(for n in "${names[@]}"; do
		awk '/^Rss:/ { print $2 }' "/proc/$(node_pid "$n")/smaps_rollup"
	done | awk '{ s += $1 } END { printf "%d", s / NR / 1024 }')
	guest[$img]=$(timeout 10 "$UMNET" exec "${names[0]}" -- cat /proc/meminfo |
		awk '/^MemTotal:/ { t = $2 } /^MemAvailable:/ { a = $2 }
		     END { printf "%d", (t - a) / 1024 }')
	for n in "${names[@]}"; do
		timeout 60 "$UMNET" down "$n" >/dev/null
	done
done

printf '%-36s %8s %8s %8s\n' "boot to ready, $N runs each (ms)" median min max
printf '%-36s %8d %8d %8d\n' "minimal image" "$mm" "$mmin" "$mmax"
printf '%-36s %8d %8d %8d\n' "debian image" "$dm" "$dmin" "$dmax"
printf '%-36s %8s\n' "debian / minimal (target <= 1.5)" "$ratio"
printf '%-36s %8s %8s\n' "idle node, mem=64M ($M at once, MiB)" RSS guest
for img in "${images[@]}"; do
	printf '%-36s %8d %8d\n' "$img image" "${host[$img]}" "${guest[$img]}"
done
printf '{"bench":"images","date":"%s","runs":%d,"minimal_median_ms":%d,"minimal_min_ms":%d,"minimal_max_ms":%d,"debian_median_ms":%d,"debian_min_ms":%d,"debian_max_ms":%d,"ratio":%s,"nodes":%d,"minimal_host_mib":%d,"minimal_guest_mib":%d,"debian_host_mib":%d,"debian_guest_mib":%d}\n' \
	"$(date -u +%FT%TZ)" "$N" "$mm" "$mmin" "$mmax" "$dm" "$dmin" "$dmax" \
	"$ratio" "$M" "${host[minimal]}" "${guest[minimal]}" "${host[debian]}" \
	"${guest[debian]}" >>"$BENCH_JSON"
