#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run each fuzz harness for SECONDS, seeded with the shipped and malformed
# profiles. Prints a TEST: line per harness; a crash input is kept under
# build/fuzz/ and named in the output.
set -u
BUILD=${1:-build}
SECONDS_EACH=${2:-60}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
ret=0
for h in "$BUILD"/fuzz/fuzz_*; do
	[ -x "$h" ] || continue
	name=$(basename "$h")
	corpus=$(mktemp -d /tmp/umnet-fuzz.XXXXXX)
	case $name in
	fuzz_kathara)
		for f in tests/kathara/*/lab.conf tests/labs/kathara-bad/*.conf; do
			cp "$f" "$corpus/$(echo "$f" | tr / _)"
		done ;;
	*) cp configs/*.profile tests/profiles/bad/*.profile "$corpus/" ;;
	esac
	if out=$("$h" -max_total_time="$SECONDS_EACH" -max_len=4096 \
		-artifact_prefix="$BUILD/fuzz/$name-" "$corpus" 2>&1); then
		runs=$(grep -o 'Done [0-9]* runs' <<<"$out" | grep -o '[0-9]*')
		printf 'TEST: %-60s [ OK ]\n' "$name: ${runs:-?} inputs in ${SECONDS_EACH} s, no crash"
	else
		printf 'TEST: %-60s [FAIL]\n' "$name"
		grep -E 'ERROR|SUMMARY|artifact|Test unit written' <<<"$out" | sed 's/^/    /'
		ret=1
	fi
	rm -rf "$corpus"
done
exit $ret
