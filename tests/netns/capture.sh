#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# umnet capture / lab capture: tcpdump inside the node, pcap carried through
# the exec agent, read back by the host's tcpdump -r.
#
#   a ==wire ab== b          10.62.1.1 - 10.62.1.2 (vec0 of both)
#   a ==switch seg== b       10.62.5.1 - 10.62.5.2 (vec1 of both)
#   a --netns up (raw, veth)--> netns UP-X  10.62.9.2 - 10.62.9.1 (a's vec2)
#
# a wire captured whole from one end (both directions, once), a raw link's
# node side, a switch segment (every frame the switch forwards, from its
# monitor socket), a standalone `umnet switch --mirror FILE`, Ctrl-C leaving a valid file, -w - into a pipe, the summary
# without -w, --duration with no traffic (a valid empty file), a missing
# interface failing.
source "$(dirname "$0")/lib.sh"
require_root
require_built
require_command tcpdump
require_command python3

tmpdir T
setup_ns UP
L=cp$SFX
two_node_lab "$T/cp.lab" "$L" 10.62 "$UP" "cu$SFX"
lab_up "$T/cp.lab" >/dev/null 2>&1
log_test $? "lab up"

# icmp lines of a pcap file as tcpdump -r shows them
icmp() { tcpdump -n -r "$1" icmp 2>/dev/null | sed 's/^[0-9:.]* //'; }
# pings_in FILE SRC DST N : N echo requests SRC > DST and N replies, no more
pings_in() {
	local got
	got=$(icmp "$1")
	[ "$(grep -c "IP $2 > $3: ICMP echo request" <<<"$got")" = "$4" ] &&
		[ "$(grep -c "IP $3 > $2: ICMP echo reply" <<<"$got")" = "$4" ]
}

# capture in the background (its output in $T/NAME.err), then the traffic
bg_capture() { # bg_capture NAME ARGS...
	local n=$1
	shift
	"$UMNET" "$@" 2>"$T/$n.err" &
	CAP=$!
	PID_LIST+=("$CAP")
	busywait 5000 grep -q "listening on" "$T/$n.err"
}

# capture_done FILE SRC DST N : the capture ended well (rc) with pings_in
capture_done() {
	wait $CAP
	rc=$?
	[ $rc -eq 0 ] && pings_in "$@"
}

# (a capture holds its node's exec channel: the pings come from the other)
bg_capture wire lab capture "$L" ab -w "$T/wire.pcap" -c 6 -f icmp
"$UMNET" exec "$L/b" -- ping -c 3 -i 0.2 10.62.1.1 >/dev/null
capture_done "$T/wire.pcap" 10.62.1.2 10.62.1.1 3
log_test $? "lab capture of wire ab: 3 requests and 3 replies, each once"
[ $rc -eq 0 ] || sed 's/^/    /' "$T/wire.err"

bg_capture raw capture "$L/a" vec2 -w "$T/raw.pcap" -c 4 -f icmp
ip netns exec "$UP" ping -c 2 -i 0.2 10.62.9.2 >/dev/null
capture_done "$T/raw.pcap" 10.62.9.1 10.62.9.2 2
log_test $? "capture of the raw link's node side: 2 requests, 2 replies"

bg_capture seg lab capture "$L" seg -w "$T/seg.pcap" -c 4 -f icmp
"$UMNET" exec "$L/a" -- ping -c 2 -i 0.2 10.62.5.2 >/dev/null
capture_done "$T/seg.pcap" 10.62.5.1 10.62.5.2 2
log_test $? "lab capture of switch segment seg: 2 requests, 2 replies"
[ $rc -eq 0 ] || sed 's/^/    /' "$T/seg.err"

( sleep 1; "$UMNET" exec "$L/b" -- ping -c 1 10.62.5.1 >/dev/null ) &
PID_LIST+=($!)
out=$("$UMNET" lab capture "$L" seg -c 1 -f icmp 2>/dev/null)
grep -q "IP 10.62.5.2 > 10.62.5.1: ICMP echo request" <<<"$out"
log_test $? "lab capture of a segment without -w: a summary line"

bg_capture int capture "$L/b" vec0 -w "$T/int.pcap"
"$UMNET" exec "$L/a" -- ping -c 2 -i 0.2 10.62.1.2 >/dev/null
sleep 0.3
kill -INT $CAP
wait $CAP
rc=$?
got=$(icmp "$T/int.pcap")
[ $rc -eq 0 ] && [ "$(grep -c "ICMP echo" <<<"$got")" = 4 ] &&
	grep -q "^[1-9][0-9]* packets captured" "$T/int.err"
log_test $? "Ctrl-C ends a capture: exit $rc, a valid file with the 4 frames"

( sleep 1; "$UMNET" exec "$L/a" -- ping -c 2 -i 0.2 10.62.1.2 >/dev/null ) &
PID_LIST+=($!)
n=$("$UMNET" capture "$L/b" vec0 -w - -c 2 -f icmp 2>/dev/null | tcpdump -n -r - 2>/dev/null | grep -c "ICMP echo")
[ "$n" = 2 ]
log_test $? "-w - into a pipe: tcpdump -r - reads $n frames"

# a segment into a pipe: the switch's records through the same writer as
# capture = yes (pcap_ring on stdout)
( sleep 1; "$UMNET" exec "$L/a" -- ping -c 2 -i 0.2 10.62.5.2 >/dev/null ) &
PID_LIST+=($!)
n=$("$UMNET" lab capture "$L" seg -w - -c 4 -f icmp 2>/dev/null | tcpdump -n -r - 2>/dev/null | grep -c "ICMP echo")
[ "$n" = 4 ]
log_test $? "lab capture of a segment, -w - into a pipe: tcpdump -r - reads $n frames"

( sleep 1; "$UMNET" exec "$L/a" -- ping -c 1 10.62.1.2 >/dev/null ) &
PID_LIST+=($!)
out=$("$UMNET" capture "$L/b" vec0 -c 1 -f 'icmp[icmptype] = icmp-echo' 2>/dev/null)
grep -q "IP 10.62.1.1 > 10.62.1.2: ICMP echo request" <<<"$out"
log_test $? "no -w: tcpdump's summary (and -f with spaces)"

t0=$(date +%s)
"$UMNET" capture "$L/b" vec0 -w "$T/empty.pcap" --duration 1 -f 'udp port 9' 2>/dev/null
rc=$?
[ $rc -eq 0 ] && [ $(($(date +%s) - t0)) -le 10 ] &&
	tcpdump -r "$T/empty.pcap" 2>&1 | grep -q "link-type EN10MB"
log_test $? "--duration 1 without traffic: exit $rc, a valid empty file"

out=$("$UMNET" capture "$L/b" vec9 -w "$T/none.pcap" 2>&1)
[ $? -eq 1 ] && grep -q "vec9" <<<"$out"
log_test $? "a missing interface fails (exit 1) with tcpdump's reason"

# umnet switch --mirror alone: two ports, one ICMP echo request across
"$UMNET" switch -d -s "$T/sw.sock" --mirror "$T/mirror.pcap" 2>/dev/null &
PID_LIST+=($!)
busywait 5000 test -S "$T/sw.sock"
python3 - "$T/sw.sock" <<'EOPY'
import socket, struct, sys, time
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    return ~(s + (s >> 16)) & 0xffff
p1 = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); p1.connect(sys.argv[1])
p2 = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); p2.connect(sys.argv[1])
time.sleep(0.2)
icmp = struct.pack("!BBHHH", 8, 0, 0, 7, 1) + b"x" * 32
icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), 1, 0, 64, 1, 0,
                 bytes([10, 63, 0, 1]), bytes([10, 63, 0, 2]))
ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
eth = bytes.fromhex("ffffffffffff02000000000108 00".replace(" ", ""))
p1.send(eth + ip + icmp)
p2.settimeout(2); p2.recv(2000)
EOPY
rc=$?
busywait 2000 sh -c "tcpdump -n -r '$T/mirror.pcap' 2>/dev/null | grep -q 'IP 10.63.0.1 > 10.63.0.2: ICMP echo request'"
r2=$?
[ $rc -eq 0 ] && [ $r2 -eq 0 ]
log_test $? "umnet switch --mirror FILE: the forwarded ICMP frame in FILE"

"$UMNET" lab down "$L" >/dev/null 2>&1
log_test $? "lab down"
exit $RET
