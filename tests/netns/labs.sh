#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The four shipped labs (configs/labs/*.lab) come up together with one
# `umnet lab up` (per-node progress and the total time), pass their own
# declarative tests (their TEST: lines count here), write JUnit XML, and go
# down leaving nothing behind.
source "$(dirname "$0")/lib.sh"
require_root
require_built

# copies of the shipped labs under random names (and gre-uplink's namespace
# too), so this test never meets another run's labs, nor they it
tmpdir T
cp -r "$TOP/configs/labs" "$T/labs"
shipped=(ospf-triangle firewall-dmz gre-uplink lan-switch)
labs=("ospf$SFX" "fwdmz$SFX" "gre$SFX" "lan$SFX")
WAN=gw$SFX
files=()
for i in "${!shipped[@]}"; do
	f=$T/labs/${shipped[$i]}.lab
	sed -i -e "s/^name = ${shipped[$i]}\$/name = ${labs[$i]}/" \
		-e "s/\<gu-wan\>/$WAN/g" "$f"
	grep -q "^name = ${labs[$i]}\$" "$f" || { echo "no 'name = ${shipped[$i]}' in $f"; exit 1; }
	files+=("$f")
done

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
st=$("$UMNET" lab status "${labs[0]}" --json)
[ "$(jq -r '.nodes_running' <<<"$st")" = 3 ] &&
	[ "$(jq -r '.links | length' <<<"$st")" = 3 ] &&
	[ "$(jq -r '.nodes[0].interfaces[0].mac' <<<"$st")" != null ]
log_test $? "lab status --json: 3 nodes running, 3 links"

# a tunnel's MAC is derived, as a wire's: status shows the one it has
g=${labs[2]}
# if_field LAB NODE LINK FIELD: that interface's FIELD in lab status --json
if_field() {
	"$UMNET" lab status "$1" --json |
		jq -r --arg n "$2" --arg l "$3" ".nodes[] | select(.name == \$n) | .interfaces[] | select(.link == \$l) | .$4"
}
want=$(if_field "$g" r1 gt0 mac)
vec=$(if_field "$g" r1 gt0 vec)
have=$("$UMNET" exec "$g/r1" -- cat "/sys/class/net/vec$vec/address" 2>&1)
[ -n "$want" ] && [ "$want" = "$have" ]
log_test $? "gre link: lab status shows the MAC r1's vec$vec has ($want, $have)"

# a segment's port too (bess): derived, so the other ports' ARP entries
# survive the node's restart; status shows the one it has
s=${labs[3]}
want=$(if_field "$s" h1 lan mac)
vec=$(if_field "$s" h1 lan vec)
have=$("$UMNET" exec "$s/h1" -- cat "/sys/class/net/vec$vec/address" 2>&1)
out=$("$UMNET" lab restart "$s" h1 2>&1)
again=$("$UMNET" exec "$s/h1" -- cat "/sys/class/net/vec$vec/address" 2>&1)
[ -n "$want" ] && [ "$want" = "$have" ] && [ "$have" = "$again" ]
log_test $? "segment port: lab status shows h1's MAC, which stays across its restart ($want, $have, $again)"

out=$("$UMNET" lab down "${labs[@]}" 2>&1)
log_test $? "lab down of the four labs: $(tr '\n' ' ' <<<"$out")"
re=$(IFS='|'; echo "${labs[*]}")
left=$(ls -A /run/umnet/.labs 2>/dev/null | grep -E "^($re)\$"; ls /run/umnet 2>/dev/null | grep -E "^($re)\."; ip netns list | grep -w "$WAN")
[ -z "$left" ]
log_test $? "nothing of the labs is left${left:+: $left}"
exit $RET
