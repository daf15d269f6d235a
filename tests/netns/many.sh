#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Every command sees every node: no silent cut at a fixed count. 300 state
# dirs of nodes that are not running, in a state root of the test's own:
# status lists all 300, down --all removes all 300.
source "$(dirname "$0")/lib.sh"
require_built
require_command jq

tmpdir T
S=$T/state
mkdir -m 0700 "$S"
for i in $(seq 300); do mkdir "$S/mn$i"; done
n=$(UMNET_STATE_DIR=$S "$UMNET" status --json | jq length)
check "status --json lists all 300 nodes (got $n)" test "$n" = 300
out=$(UMNET_STATE_DIR=$S "$UMNET" down --all 2>&1)
check "down --all takes down all 300 ($(grep -c ': down$' <<<"$out") said down)" \
	test "$(grep -c ': down$' <<<"$out")" = 300
check "nothing is left in the state root" test -z "$(ls "$S")"
exit $RET
