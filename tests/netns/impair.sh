#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Link impairment inside the nodes' own kernels (netem, tbf: the host has no
# sch_netem): lab [link] keys applied at boot, the lab's rtt/loss/throughput
# assertions and link-set/link-reset steps, `lab link set/reset/show` on
# the running lab, impairment and a cut (lab link down) together, a node
# restart keeping what was set, graph labels.
#
#   a ==ab: delay 25ms== b ==bc: rate 20mbit== c ==cd: loss 20%== d
#
source "$(dirname "$0")/lib.sh"
require_root
require_built
require_command jq

tmpdir T
L=im$SFX
cat >"$T/im.lab" <<EOT
$(lab_head "$L" 48M a b c d)
$(link_eps ab "a 10.61.1.1/24" "b 10.61.1.2/24")
delay = 25ms
$(link_eps bc "b 10.61.2.1/24" "c 10.61.2.2/24")
rate = 20mbit
$(link_eps cd "c 10.61.3.1/24" "d 10.61.3.2/24")
loss = 20%
[test]
rtt = a b > 45ms
rtt = a b < 80ms
throughput = b c > 15mbit
throughput = b c < 23mbit
loss = c d > 10%
loss = c d < 30%
link-set = ab --delay 50ms
rtt = a b > 95ms
link-reset = ab
rtt = a b < 20ms
EOT

out=$(lab_up "$T/im.lab" 2>&1)
log_test $? "lab up with impaired links"
[ -n "$(grep -v ready <<<"$out" | grep -v "^lab ")" ] && printf '%s\n' "$out" | sed 's/^/    /'

out=$("$UMNET" lab test "$L" 2>&1)
rc=$?
printf '%s\n' "$out"
[ $rc -eq 0 ] && grep -q "^lab $L: 8 passed, 0 failed" <<<"$out"
log_test $? "lab test: the boot-time impairment and link-set/link-reset steps"

# ping's average round trip from A to ADDR in ms (integer)
rtt() {
	"$UMNET" exec "$L/$1" -- ping -c 5 -i 0.2 -W 2 "$2" 2>&1 |
		sed -n 's|.*min/avg/max[^=]*= [0-9.]*/\([0-9]*\).*|\1|p'
}

out=$("$UMNET" lab link set "$L" ab --delay 25ms --loss 0.5 2>&1)
[ "$out" = "lab $L: link ab: delay 25ms loss 0.5%" ]
log_test $? "lab link set: $out"
r=$(rtt a 10.61.1.2)
[ -n "$r" ] && [ "$r" -ge 45 ] && [ "$r" -le 80 ]
log_test $? "link set --delay 25ms: rtt $r ms (45..80)"

js=$("$UMNET" lab link show "$L" ab --json)
[ "$(jq -r '.links[0].impairment.delay' <<<"$js")" = 25ms ] &&
	[ "$(jq -r '.links[0].impairment.loss' <<<"$js")" = 0.5% ] &&
	[ "$(jq -r '.links[0].source' <<<"$js")" = "link set" ] &&
	[ "$(jq -r '.links[0].endpoints | length' <<<"$js")" = 2 ] &&
	[ "$(jq -r '.links[0].endpoints[0].tx_packets' <<<"$js")" -gt 0 ] &&
	jq -r '.links[0].endpoints[1].qdisc' <<<"$js" | grep -q "^netem 1: root .*delay 25ms"
log_test $? "lab link show --json: impairment, source, counters, qdisc"
"$UMNET" lab link show "$L" | grep -q "^link bc (wire): rate 20mbit (lab file)$"
log_test $? "lab link show: the lab file's impairment of bc"

# a cut and an impairment at the same time, and the cut undone
"$UMNET" lab link down "$L" ab >/dev/null &&
	! "$UMNET" exec "$L/a" -- ping -c 2 -i 0.2 -W 1 10.61.1.2 >/dev/null
log_test $? "lab link down on an impaired link cuts it"
"$UMNET" lab link up "$L" ab >/dev/null
r=$(rtt a 10.61.1.2)
[ -n "$r" ] && [ "$r" -ge 45 ]
log_test $? "lab link up: the impairment is still there (rtt $r ms)"

# a node that restarts gets what link set gave it
"$UMNET" lab link set "$L" ab --delay 30ms >/dev/null &&
	"$UMNET" lab restart "$L" b >/dev/null 2>&1
r=$(rtt a 10.61.1.2)
[ -n "$r" ] && [ "$r" -ge 55 ] && [ "$r" -le 90 ]
log_test $? "lab restart b: link set --delay 30ms applied again (rtt $r ms)"

"$UMNET" lab graph "$L" | grep -q 'label="bc\\nrate 20mbit".*color=red'
log_test $? "lab graph labels the impaired link bc"

out=$("$UMNET" lab link reset "$L" ab 2>&1)
r=$(rtt a 10.61.1.2)
[ "$out" = "lab $L: link ab: no impairment" ] && [ -n "$r" ] && [ "$r" -lt 20 ] &&
	! "$UMNET" exec "$L/a" -- tc qdisc show dev vec0 | grep -q netem
log_test $? "lab link reset: no netem left, rtt $r ms"

out=$("$UMNET" lab link set "$L" ab --delay 20 2>&1)
[ $? -eq 2 ] && grep -qF 'Error: argument "20" is wrong: --delay: not a duration: it needs a number and a unit' <<<"$out"
log_test $? "link set --delay 20 refused (exit 2, says why)"
out=$("$UMNET" lab link set "$L" ab --jitter 5ms 2>&1)
[ $? -eq 2 ] && grep -q "jitter needs a delay" <<<"$out"
log_test $? "link set --jitter alone refused"

"$UMNET" lab down "$L" >/dev/null 2>&1
log_test $? "lab down"
exit $RET
