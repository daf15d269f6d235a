#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The four shipped labs (configs/labs/*.lab) come up together with one
# `umnet lab up` (per-node progress and the total time), pass their own
# declarative tests (their TEST: lines count here), write JUnit XML, and go
# down leaving nothing behind.
source "$(dirname "$0")/lib.sh"
require_root
require_built

tmpdir T
labs=(ospf-triangle firewall-dmz gre-uplink lan-switch)
files=()
for l in "${labs[@]}"; do files+=("$TOP/configs/labs/$l.lab"); done

out=$(lab_up "${files[@]}" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/    /'
[ $rc -eq 0 ] && grep -q "^4 labs: 4 up, 0 failed, in " <<<"$out"
log_test $? "lab up of the four labs together"
nodes=$(grep -c "^ *\[[0-9]*/[0-9]*\] .* ready in " <<<"$out")
[ "$nodes" -eq 15 ]
log_test $? "per-node progress: $nodes of 15 nodes reported ready"
[ $rc -eq 0 ] || exit 1

# each lab's tests, the four at once (their TEST: lines are counted)
for l in "${labs[@]}"; do
	"$UMNET" lab test "$l" --junit "$T/$l.xml" >"$T/$l.out" 2>&1 &
	PID_LIST+=($!)
done
rcs=()
for p in "${PID_LIST[@]}"; do wait "$p"; rcs+=($?); done
PID_LIST=()
for i in "${!labs[@]}"; do
	l=${labs[$i]}
	echo "# lab test $l"
	cat "$T/$l.out"
	[ "${rcs[$i]}" -eq 0 ] && grep -q "^lab $l: [0-9]* passed, 0 failed" "$T/$l.out"
	log_test $? "lab test $l exits 0"
	grep -q "<testsuite name=\"$l\" tests=\"[1-9][0-9]*\" failures=\"0\"" "$T/$l.xml"
	log_test $? "lab test $l --junit writes a passing suite"
done

# status --json of one, checked with jq
st=$("$UMNET" lab status ospf-triangle --json)
[ "$(jq -r '.nodes_running' <<<"$st")" = 3 ] &&
	[ "$(jq -r '.links | length' <<<"$st")" = 3 ] &&
	[ "$(jq -r '.nodes[0].interfaces[0].mac' <<<"$st")" != null ]
log_test $? "lab status --json: 3 nodes running, 3 links"

out=$("$UMNET" lab down "${labs[@]}" 2>&1)
log_test $? "lab down of the four labs: $(tr '\n' ' ' <<<"$out")"
left=$(ls -A /run/umnet/.labs 2>/dev/null; ls /run/umnet 2>/dev/null | grep -E '^(ospf-triangle|firewall-dmz|gre-uplink|lan-switch)\.'; ip netns list | grep gu-wan)
[ -z "$left" ]
log_test $? "nothing of the labs is left${left:+: $left}"
exit $RET
