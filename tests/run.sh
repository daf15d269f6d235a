#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run every unit test (build/tests/test_*) and netns test (tests/netns/*.sh).
# Counts TEST: lines; after each test checks that nothing was left behind
# (network namespaces, links, UML processes, node state) and fails it if so.
# Last line: "N passed, N failed[, N skipped]".
set -u
BUILD=${1:-build}
BUILD=$(cd "$BUILD" && pwd)
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 1
export BUILD
ONLY=${TESTS:-}

passed=0 failed=0 skipped=0
failures=()

snapshot() {
	{
		ip netns list 2>/dev/null | awk '{print "netns " $1}'
		ip -o link 2>/dev/null | awk -F': ' '{sub(/@.*/, "", $2); print "link " $2}'
		for p in /proc/[0-9]*; do
			e=$(readlink "$p/exe" 2>/dev/null) || continue
			case "$e" in
			*/umnet-kernel-*/linux | */.cache/umnet/*/linux | "$BUILD"/*) echo "proc ${p#/proc/} $e" ;;
			esac
		done
		ls -1 /run/umnet 2>/dev/null | sed 's/^/state /'
		ls -1 /run/umnet/.labs 2>/dev/null | sed 's/^/lab /'
		ls -1 /run/umnet/.wires 2>/dev/null | sed 's/^/wire /'
		ls -1d /tmp/umnet-test.* 2>/dev/null | sed 's/^/tmp /'
	} | sort
}

run_one() { # run_one NAME CMD...
	local name=$1 out rc before after left np nf
	shift
	before=$(snapshot)
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	np=$(grep -c '^TEST: .*\[ OK \]$' <<<"$out")
	nf=$(grep -c '^TEST: .*\[FAIL\]$' <<<"$out")
	passed=$((passed + np))
	failed=$((failed + nf))
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		printf 'TEST: %-60s [FAIL]\n    timed out\n' "$name"
		failed=$((failed + 1))
		failures+=("$name (timeout)")
	elif [ "$rc" -eq 4 ]; then
		skipped=$((skipped + 1))
		echo "# $name: skipped"
	elif [ "$rc" -ne 0 ] && [ "$nf" -eq 0 ]; then
		printf 'TEST: %-60s [FAIL]\n    exit code %d\n' "$name" "$rc"
		failed=$((failed + 1))
		failures+=("$name")
	elif [ "$nf" -ne 0 ]; then
		failures+=("$name")
	fi
	after=$(snapshot)
	left=$(comm -13 <(echo "$before") <(echo "$after"))
	if [ -n "$left" ]; then
		printf 'TEST: %-60s [FAIL]\n' "$name leaves nothing behind"
		printf '    left: %s\n' $left
		failed=$((failed + 1))
		failures+=("$name (leftovers)")
		# clean up so the next test starts clean
		"$BUILD/umnet" down --all >/dev/null 2>&1
		while read -r kind what rest; do
			case "$kind" in
			netns) ip netns del "$what" 2>/dev/null ;;
			link) ip link del "$what" 2>/dev/null ;;
			proc) kill -9 "$what" 2>/dev/null ;;
			state) rm -rf "/run/umnet/$what" ;;
			lab) "$BUILD/umnet" lab down "$what" >/dev/null 2>&1 ;;
			wire) rm -f "/run/umnet/.wires/$what" ;;
			tmp) rm -rf "$what" ;;
			esac
		done <<<"$left"
	fi
}

selected() { [ -z "$ONLY" ] || [[ " $ONLY " == *" $1 "* ]]; }

start=$(date +%s)
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	n=$(basename "$t")
	selected "$n" || continue
	echo "# unit: $n"
	run_one "$n" timeout -k 5 300 "$t"
done
if compgen -G "$BUILD/fuzz/fuzz_*" >/dev/null && selected fuzz; then
	echo "# fuzz: each harness over its corpus, then ${FUZZ_SECONDS:-5} s"
	run_one fuzz bash tests/fuzz/run.sh "$BUILD" "${FUZZ_SECONDS:-5}"
fi
for t in tests/netns/*.sh; do
	n=$(basename "$t" .sh)
	[ "$n" = lib ] && continue
	selected "$n" || continue
	echo "# netns: $n"
	run_one "$n" timeout -k 10 900 bash "$t"
done
echo "# $(( $(date +%s) - start )) s"
if [ ${#failures[@]} -gt 0 ]; then
	echo "# failed: ${failures[*]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
