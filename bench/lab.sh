#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# lab: an N-node lab (N = LAB_SIZES, default "10 50 100") brought up and
# taken down; nodes in a ring of wires plus one switch segment every 10
# nodes, mem=32M each. Reports up-to-all-ready and down times, and next to
# them the boot of one lone node measured in the same run (the reference:
# with 2 CPUs, N nodes cannot boot in less than about N/2 lone boots).
source "$(dirname "$0")/../tests/netns/lib.sh"
require_root
require_built
tmpdir T

# reference: one lone node, median of 5
printf '[appliance]\nname = lb%s\nmem = 32M\n' "$SFX" >"$T/one.profile"
NODE_LIST+=("lb$SFX")
for i in 1 2 3 4 5; do
	out=$("$UMNET" up "$T/one.profile") || { echo "up failed: $out"; exit 1; }
	sed -n 's/.*ready in \([0-9]*\) ms.*/\1/p' <<<"$out" >>"$T/one"
	"$UMNET" down "lb$SFX" >/dev/null
done
one=$(sort -n "$T/one" | sed -n 3p)

mklab() { # mklab N FILE
	local n=$1 f=$2 i j
	{
		printf '[lab]\nname = lb%s%s\nmem = 32M\n' "$n" "$SFX"
		for i in $(seq "$n"); do printf '[node n%d]\n' "$i"; done
		for i in $(seq "$n"); do
			j=$((i % n + 1))
			[ "$n" -gt 2 ] || [ "$i" -eq 1 ] || continue
			printf '[link w%d]\nendpoint = n%d 10.%d.%d.1/30\nendpoint = n%d 10.%d.%d.2/30\n' \
				"$i" "$i" $((100 + i / 250)) $((i % 250)) "$j" $((100 + i / 250)) $((i % 250))
		done
		for i in $(seq 1 10 "$n"); do
			printf '[link s%d]\n' "$i"
			for j in $(seq "$i" $((i + 9 < n ? i + 9 : n))); do
				printf 'endpoint = n%d 10.200.%d.%d/24\n' "$j" $((i / 10)) "$j"
			done
		done
	} >"$f"
}

printf '%-28s %8s %10s %10s %12s\n' "lab (mem=32M, ring + switches)" nodes "up s" "down s" "up / lone boot"
for n in ${LAB_SIZES:-10 50 100}; do
	mklab "$n" "$T/l$n.lab"
	LAB_LIST+=("lb$n$SFX")
	t0=$(date +%s%N)
	out=$("$UMNET" lab up "$T/l$n.lab" 2>&1) || { echo "$out" | tail -20; exit 1; }
	t1=$(date +%s%N)
	# every node answers on its ring wire
	"$UMNET" exec "lb$n$SFX/n1" -- ping -c 1 -W 2 10.100.1.2 >/dev/null ||
		echo "    warning: n1 cannot ping n2"
	t2=$(date +%s%N)
	"$UMNET" lab down "lb$n$SFX" >/dev/null || exit 1
	t3=$(date +%s%N)
	up=$(( (t1 - t0) / 1000000 )) down=$(( (t3 - t2) / 1000000 ))
	printf '%-28s %8d %10.2f %10.2f %12.1f\n' "" "$n" "$(bc <<<"scale=2; $up/1000")" \
		"$(bc <<<"scale=2; $down/1000")" "$(bc <<<"scale=1; $up/$one")"
	printf '{"bench":"lab","date":"%s","nodes":%d,"up_ms":%d,"down_ms":%d,"lone_boot_ms":%d,"jobs":"default"}\n' \
		"$(date -u +%FT%TZ)" "$n" "$up" "$down" "$one" >>"$BENCH_JSON"
done
echo "(lone node boot in the same run: $one ms median of 5)"
