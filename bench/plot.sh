#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# plot: turn the latest run of each benchmark in build/bench/results.jsonl
# into PNG plots under docs/img/ (gnuplot, pngcairo-less `png` terminal so
# that gnuplot-nox suffices; each file well under 100 KB):
#
#   forward_tcp.png   TCP Gbit/s per path, native first
#   forward_udp.png   UDP received pps per path: iperf3 64- and 1400-byte
#                     payloads, pktgen 64-byte frames
#   switch.png        umnet switch vs Linux bridge, 64-byte frames, pps
#
# Usage: bench/plot.sh [RESULTS.jsonl [OUTDIR]]
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
JSON=${1:-$TOP/build/bench/results.jsonl}
OUT=${2:-$TOP/docs/img}
die() { echo "plot: $*" >&2; exit 1; }
command -v gnuplot >/dev/null || die "gnuplot missing: run scripts/install-deps.sh --bench"
command -v jq >/dev/null || die "jq missing: run make deps"
[ -s "$JSON" ] || die "$JSON is empty or missing: run make bench first"
mkdir -p "$OUT" || die "cannot create $OUT"
T=$(mktemp -d /tmp/umnet-plot.XXXXXX) || die "mktemp failed"
trap 'rm -rf "$T"' EXIT

# the lines of the latest forward run: from the last native row on
jq -c -s '
	(to_entries | map(select(.value.bench == "forward" and .value.path == "native netns router")) | last | .key) as $i
	| if $i == null then [] else .[$i:] end | .[]' "$JSON" >"$T/fw.json" 2>/dev/null ||
	die "$JSON: not JSON lines"
# gnuplot data: "label" value [value]
label() { sed 's/UML routers*, //; s/native netns router/native/'; }
jq -r 'select(.bench == "forward") | [.path, .gbit_s] | @tsv' "$T/fw.json" |
	while IFS=$'\t' read -r p g; do printf '"%s" %s\n' "$(label <<<"$p")" "$g"; done >"$T/tcp.dat"
jq -r 'select(.bench == "forward_udp" or .bench == "forward_pps")
	| [.path, (if .bench == "forward_pps" then "pg" else .len end), .pps] | @tsv' "$T/fw.json" |
	awk -F'\t' '{ if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } v[$1, $2] = $3 }
		END { for (i = 1; i <= n; i++) printf "%s\t%s\t%s\t%s\n", order[i], v[order[i], 64] + 0,
			v[order[i], 1400] + 0, v[order[i], "pg"] + 0 }' |
	while IFS=$'\t' read -r p a b c; do printf '"%s" %s %s %s\n' "$(label <<<"$p")" "$a" "$b" "$c"; done >"$T/udp.dat"
jq -r -s '[.[] | select(.bench == "switch")] | .[-2:] | .[] | [.path, .pps] | @tsv' "$JSON" |
	while IFS=$'\t' read -r p v; do printf '"%s" %s\n' "$p" "$v"; done >"$T/sw.dat"
date=$(jq -r -s '[.[] | select(.bench == "forward")] | last | .date // "" | .[0:10]' "$JSON")

common='set terminal png size 720,360 font ",10"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set grid ytics
set key top right
set yrange [0:*]
set offsets 0, 0, graph 0.12, 0
set xtics nomirror
set ytics nomirror'
n=0
# plot NAME DAT TITLE YLABEL LINES... : OUT/NAME.png from DAT when it has
# data; LINES (gnuplot commands) end with the plot command
plot() {
	local name=$1 dat=$2 title=$3 ylabel=$4
	shift 4
	[ -s "$dat" ] || return 0
	printf '%s\nset output "%s"\nset title "%s"\nset ylabel "%s"\n%s\n' \
		"$common" "$OUT/$name.png" "$title" "$ylabel" "$(printf '%s\n' "$@")" |
		gnuplot || die "gnuplot failed on $name"
	n=$((n + 1))
}
plot forward_tcp "$T/tcp.dat" \
	"forward: TCP through one router (native) or UML routers, $date" "Gbit/s" \
	"unset key" "plot \"$T/tcp.dat\" using 2:xtic(1) lc rgb \"#4878a8\""
plot forward_udp "$T/udp.dat" \
	"forward: UDP at unlimited rate, packets per second received, $date" "pps" \
	'set format y "%.0s%c"' \
	"plot \"$T/udp.dat\" using 2:xtic(1) title \"iperf3, 64-byte payload\" lc rgb \"#4878a8\", \\
	\"\" using 3 title \"iperf3, 1400-byte payload\" lc rgb \"#e0a040\", \\
	\"\" using 4 title \"pktgen, 64-byte frames\" lc rgb \"#60a060\""
plot switch "$T/sw.dat" "switch: 64-byte frames between two ports" "pps" \
	'set terminal png size 480,320 font ",10"' 'set format y "%.0s%c"' \
	"unset key" "plot \"$T/sw.dat\" using 2:xtic(1) lc rgb \"#4878a8\""
echo "plot: $n plots in $OUT"
