#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench: run the benchmarks (never part of make check). Each prints a
# table and appends JSON lines to build/bench/results.jsonl; figures that
# depend on machine speed are reported next to a reference measured in the
# same run. BENCH="boot forward memory switch lab images density" selects;
# default: all (density, 1000 nodes, only with 18 GiB available).
# Then bench/plot.sh draws docs/img/*.png from the results.
set -u
BUILD=${1:-build}
TOP=$(cd "$(dirname "$0")/.." && pwd)
export BUILD=$(cd "$BUILD" && pwd)
mkdir -p "$BUILD/bench"
export BENCH_JSON=$BUILD/bench/results.jsonl
ret=0
for b in ${BENCH:-boot forward memory switch lab images density}; do
	echo "# bench: $b"
	bash "$TOP/bench/$b.sh" || ret=1
done
echo "# results appended to $BENCH_JSON"
bash "$TOP/bench/plot.sh" "$BENCH_JSON" "$TOP/docs/img" || ret=1
exit $ret
