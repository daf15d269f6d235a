#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# umnet record: a host interface into a pcap file, or a ring of files with
# a size cap, read back by the host's tcpdump -r.
#
#   netns A  veth ra-X 10.63.0.1  <====>  veth rb-X 10.63.0.2  netns B
#            (recorded)
source "$(dirname "$0")/lib.sh"
require_root
require_built
require_command tcpdump

tmpdir T
setup_ns A B
ip link add "ra$SFX" netns "$A" type veth peer name "rb$SFX" netns "$B" || exit 1
ip -n "$A" addr add 10.63.0.1/24 dev "ra$SFX"
ip -n "$B" addr add 10.63.0.2/24 dev "rb$SFX"
ip -n "$A" link set "ra$SFX" up
ip -n "$B" link set "rb$SFX" up

icmp_count() { # icmp_count FILE KIND: echo requests or replies in FILE
	tcpdump -n -r "$1" "icmp[icmptype] == $2" 2>/dev/null | wc -l
}

# --- one file: both directions, once each -------------------------------
"$UMNET" record -n "$A" -i "ra$SFX" -w "$T/one.pcap" 2>"$T/one.err" &
REC=$!
PID_LIST+=("$REC")
busywait 3000 test -s "$T/one.pcap"
ip netns exec "$A" ping -c 5 -i 0.1 -W 1 10.63.0.2 >/dev/null
log_test $? "ping over the recorded veth"
kill -INT "$REC"
wait "$REC"
log_test $? "record ends with status 0 on SIGINT"
req=$(icmp_count "$T/one.pcap" icmp-echo)
rep=$(icmp_count "$T/one.pcap" icmp-echoreply)
[ "$req" -eq 5 ] && [ "$rep" -eq 5 ]
log_test $? "tcpdump -r reads 5 requests and 5 replies (got $req, $rep)"
grep -q '^[0-9]* frames recorded' "$T/one.err"
log_test $? "record says how many frames it wrote"

# --- a ring: every file valid, none over the cap, the newest kept -------
"$UMNET" record -n "$A" -i "ra$SFX" -w "$T/ring.pcap" --size 64K --files 3 \
	2>"$T/ring.err" &
REC=$!
PID_LIST+=("$REC")
busywait 3000 test -s "$T/ring.pcap"
# 600 pings of 1000 bytes: about 1.2 MB both ways, far past 3 x 64 KiB
ip netns exec "$A" ping -f -c 600 -s 1000 -W 1 10.63.0.2 >/dev/null
log_test $? "600 pings over the recorded veth"
ip netns exec "$A" ping -c 1 -p 5a5a5a5a -W 1 10.63.0.2 >/dev/null
kill -TERM "$REC"
wait "$REC"
log_test $? "record ends with status 0 on SIGTERM"
ok=0
for f in "$T/ring.pcap" "$T/ring.pcap.1" "$T/ring.pcap.2"; do
	[ -f "$f" ] && [ "$(stat -c %s "$f")" -le 65536 ] &&
		tcpdump -n -r "$f" >/dev/null 2>&1 && ok=$((ok + 1))
done
[ "$ok" -eq 3 ]
log_test $? "3 files, each read by tcpdump, each at most 64 KiB ($ok of 3)"
[ ! -e "$T/ring.pcap.3" ]
log_test $? "no 4th file"
tcpdump -n -x -r "$T/ring.pcap" icmp 2>/dev/null | grep -q '5a5a 5a5a'
log_test $? "the last ping is in the file in use"

# --- errors -------------------------------------------------------------
out=$("$UMNET" record -n "$A" -i nosuch$SFX -w "$T/x.pcap" 2>&1)
[ $? -eq 1 ] && grep -q "nosuch$SFX.*no such interface" <<<"$out"
log_test $? "a missing interface is named${out:+: $out}"
out=$("$UMNET" record -n "$A" -i "ra$SFX" -w "$T/x.pcap" --size 8X 2>&1)
[ $? -eq 2 ] && grep -q 'argument "8X" is wrong: --size' <<<"$out"
log_test $? "a bad size is an iproute2-style error"
out=$("$UMNET" record -n "$A" -i "ra$SFX" -w "$T/x.pcap" --files 2 2>&1)
[ $? -eq 2 ] && grep -q 'needs --size' <<<"$out"
log_test $? "--files without --size is refused"
out=$("$UMNET" record -n "$A" -i "ra$SFX" -w /nonexistent$SFX/x.pcap 2>&1)
[ $? -eq 1 ] && grep -q "/nonexistent$SFX/x.pcap" <<<"$out"
log_test $? "an unwritable file is named"

exit $RET
