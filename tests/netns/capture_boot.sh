#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# capture = yes: a lab's links recorded from boot into rings of pcap files
# in the lab's state dir, listed by lab status, read back by tcpdump -r.
#
#   a ==wire ab (captured)== b     10.65.1.1 - 10.65.1.2
#   a ==switch seg (captured)== b  10.65.5.1 - 10.65.5.2
#   a --netns up (captured, raw)-- netns UP   10.65.9.2 - 10.65.9.1
#   a ==wire cd (not captured)== b 10.65.2.1 - 10.65.2.2
source "$(dirname "$0")/lib.sh"
require_root
require_built
require_command tcpdump

tmpdir T
setup_ns UP
L=cb$SFX
LINK_AB='capture = yes' LINK_UP='capture = yes' \
	LINK_SEG=$'capture = yes\ncapture-size = 64K\ncapture-files = 2' \
	LAB_MORE=$'[link cd]\nendpoint = a:vec3 10.65.2.1/24\nendpoint = b:vec2 10.65.2.2/24' \
	two_node_lab "$T/cb.lab" "$L" 10.65 "$UP" "cb$SFX"
lab_up "$T/cb.lab" >"$T/up.out" 2>&1
log_test $? "lab up$( [ $? -eq 0 ] || tail -3 "$T/up.out")"
D=/run/umnet/.labs/$L/capture

ea() { "$UMNET" exec "$L/a" -- "$@"; }
icmp_count() { # icmp_count FILE KIND
	tcpdump -n -r "$1" "icmp[icmptype] == $2" 2>/dev/null | wc -l
}
# the recorders write as frames come: wait until FILE holds N of KIND
has_icmp() { [ "$(icmp_count "$1" "$2")" -ge "$3" ]; }
# recorded FILE N : once FILE holds N replies, exactly N requests and N
# replies (in req and rep)
recorded() {
	busywait 5000 has_icmp "$1" icmp-echoreply "$2"
	req=$(icmp_count "$1" icmp-echo)
	rep=$(icmp_count "$1" icmp-echoreply)
	[ "$req" -eq "$2" ] && [ "$rep" -eq "$2" ]
}

ea ping -c 4 -i 0.2 -W 1 10.65.1.2 >/dev/null
log_test $? "ping over the captured wire"
recorded "$D/ab.pcap" 4
log_test $? "wire: 4 requests and 4 replies recorded, each once (got $req, $rep)"

ea ping -c 4 -i 0.2 -W 1 10.65.9.1 >/dev/null
log_test $? "ping over the captured netns link"
recorded "$D/up.pcap" 4
log_test $? "netns: 4 requests and 4 replies recorded (got $req, $rep)"

# the segment's ring: 64 KiB files, 2 kept; 300 pings of 500 bytes fill it
ea ping -c 300 -i 0.01 -s 500 -W 1 10.65.5.2 >/dev/null
log_test $? "300 pings over the captured segment"
ea ping -c 1 -p 5a -W 1 10.65.5.2 >/dev/null
busywait 5000 sh -c "tcpdump -n -x -r '$D/seg.pcap' icmp 2>/dev/null | grep -q '5a5a 5a5a'"
log_test $? "segment: the last ping is in the file in use"
ok=0
for f in "$D/seg.pcap" "$D/seg.pcap.1"; do
	[ -f "$f" ] && [ "$(stat -c %s "$f")" -le 65536 ] &&
		tcpdump -n -r "$f" >/dev/null 2>&1 && ok=$((ok + 1))
done
[ "$ok" -eq 2 ] && [ ! -e "$D/seg.pcap.2" ]
log_test $? "segment: a ring of 2 files of at most 64 KiB, each read by tcpdump"
[ ! -e "$D/cd.pcap" ]
log_test $? "a link without capture = yes is not recorded"

out=$("$UMNET" lab status "$L")
grep -q "^  ab  *$D/ab.pcap (1 of 4 files" <<<"$out" &&
	grep -q "^  seg  *$D/seg.pcap (2 of 2 files" <<<"$out" &&
	grep -q "^  up  *$D/up.pcap" <<<"$out"
log_test $? "lab status lists the captures"
"$UMNET" lab status "$L" --json | python3 -c '
import json, sys
c = {x["link"]: x for x in json.load(sys.stdin)["captures"]}
assert set(c) == {"ab", "seg", "up"}, c
assert c["seg"]["files"] == 2 and c["seg"]["size_per_file"] == 65536, c
'
log_test $? "lab status --json lists the captures"

# a node that restarts makes its veth anew: the recorder follows it
"$UMNET" lab restart "$L" a >/dev/null 2>&1
log_test $? "restart node a"
busywait 20000 ea ping -c 1 -W 1 10.65.9.1 >/dev/null 2>&1
ea ping -c 3 -i 0.2 -W 1 10.65.9.1 >/dev/null
busywait 5000 has_icmp "$D/up.pcap" icmp-echoreply 7
log_test $? "netns: the recorder follows the node's new veth ($(icmp_count "$D/up.pcap" icmp-echoreply) replies)"

"$UMNET" lab down "$L" >/dev/null 2>&1
log_test $? "lab down"
[ ! -e "/run/umnet/.labs/$L" ]
log_test $? "lab down removes the captures with the lab's state"
exit $RET
