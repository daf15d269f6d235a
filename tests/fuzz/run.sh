#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run every fuzz harness (BUILD/fuzz/fuzz_NAME) for SECONDS over its corpus
# tests/fuzz/corpus/NAME/, which is only read: new inputs go to a temporary
# directory that is removed afterwards. Prints "TEST: fuzz NAME [ OK ]" or
# [FAIL] per harness with its runs, executions per second and coverage; a
# crashing input is kept as BUILD/fuzz/NAME-crash-* and named in the output
# (add it to the corpus as a regression once fixed). A harness listed in
# tests/fuzz/xfail (NAME REASON) is known to fail until REASON is dealt
# with: its failure prints [XFAIL] and does not fail the run.
#
#   tests/fuzz/run.sh [BUILD [SECONDS [NAME...]]]
set -u
BUILD=${1:-build}
SECONDS_EACH=${2:-60}
shift 2 2>/dev/null || shift $#
ONLY=" $* "
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
ret=0
work=
# a run stopped half way (^C, a killed make check) removes its directory too
trap '[ -z "$work" ] || rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
for h in "$BUILD"/fuzz/fuzz_*; do
	[ -x "$h" ] || continue
	name=${h##*/fuzz_}
	[ "$ONLY" = "  " ] || [[ "$ONLY" == *" $name "* ]] || continue
	corpus=tests/fuzz/corpus/$name
	if [ ! -d "$corpus" ]; then
		printf 'TEST: %-60s [FAIL]\n    no corpus %s\n' "fuzz $name" "$corpus"
		ret=1
		continue
	fi
	# new inputs in $work/new; a harness that writes files (tar) does so
	# under TMPDIR=$work/tmp
	work=$(mktemp -d /tmp/umnet-fuzz.XXXXXX)
	mkdir "$work/new" "$work/tmp"
	out=$(TMPDIR=$work/tmp "$h" -max_total_time="$SECONDS_EACH" -timeout=10 \
		-print_final_stats=1 -artifact_prefix="$BUILD/fuzz/$name-" \
		"$work/new" "$corpus" </dev/null 2>&1)
	rc=$?
	rm -rf "$work"
	work=
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' <<<"$out")
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' <<<"$out")
	cov=$(grep -o 'cov: [0-9]*' <<<"$out" | tail -1 | grep -o '[0-9]*')
	xfail=$(awk -v n="$name" '$1 == n { $1 = ""; print substr($0, 2) }' \
		tests/fuzz/xfail 2>/dev/null)
	if [ "$rc" -ne 0 ] && [ -n "$xfail" ]; then
		printf 'TEST: %-60s [XFAIL]\n    known: %s\n' "fuzz $name" "$xfail"
		grep -E '^uml_argv|^SUMMARY|Test unit written' <<<"$out" |
			head -5 | sed 's/^/    /'
	elif [ "$rc" -eq 0 ]; then
		printf 'TEST: %-60s [ OK ]\n' "fuzz $name"
		printf '    %s runs in %s s, %s exec/s, cov: %s\n' \
			"${runs:-?}" "$SECONDS_EACH" "${eps:-?}" "${cov:-?}"
		[ -z "$xfail" ] ||
			echo "    passes now: remove it from tests/fuzz/xfail"
	else
		printf 'TEST: %-60s [FAIL]\n' "fuzz $name"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)|^uml_argv|^node.conf|rejected|unstable' \
			<<<"$out" | head -20 | sed 's/^/    /'
		ret=1
	fi
done
exit $ret
