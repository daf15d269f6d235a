#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# umnet without root: a real unprivileged user (nobody) runs what needs no
# privilege, in a namespace of its own:
#
#   netns $NS (lo only), as uid 65534, state in $XDG_RUNTIME_DIR/umnet
#
#   lab $LAB:   a ==wire w== b            a, b, c on switch segment seg
#               |__________ seg (umnet switch, bess) __________ c
#               (capture = yes on w and seg: pcap rings in the lab's dir)
#
#   profiles:   la 127.0.0.1:$PA <== l2tpv3 over UDP ==> lb 127.0.0.1:$PB
#
# What the user runs is copied to a directory the user can reach (a build
# tree may sit in a directory only root can enter). A link that needs a
# privilege is refused before anything is made, naming the capability and
# the transport that avoids it; a state dir that is not private is refused.
source "$(dirname "$0")/lib.sh"
require_root
require_built
require_command setpriv
require_command jq

U=65534
user_dir D "$UMNET" "$UMNET_KERNEL" "$UMNET_ROOTFS" || exit 1
cd "$D" || exit 1 # the user's working directory too
tmpdir X
chown "$U:$U" "$X"
chmod 0700 "$X"
setup_ns NS

# as_user CMD... : CMD as uid/gid 65534, no groups, clean environment, in NS
as_user() {
	ip netns exec "$NS" setpriv --reuid=$U --regid=$U --clear-groups \
		--inh-caps=-all env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/nonexistent XDG_RUNTIME_DIR="$X" \
		UMNET_KERNEL="$D/linux" UMNET_ROOTFS="$D/rootfs.img" "$@"
}
um() { as_user "$D/umnet" "$@"; }

LAB=rl$SFX
cat >"$D/rl.lab" <<EOF
$(lab_head "$LAB" 32M a b c)
$(link_eps w "a 10.61.0.1/24" "b 10.61.0.2/24")
capture = yes
$(link_eps seg "a 10.62.0.1/24" "b 10.62.0.2/24" "c 10.62.0.3/24")
capture = yes

[test]
reach = a b
reach = a 10.62.0.3
reach = c 10.62.0.2
EOF
chmod 0644 "$D/rl.lab"

lab_cleanup() { um lab down "$LAB" >/dev/null 2>&1; um down la >/dev/null 2>&1; um down lb >/dev/null 2>&1; }
trap 'lab_cleanup; cleanup' EXIT

check "as nobody: lab up of wires and a switch segment" um lab up "$D/rl.lab"
check "as nobody: the lab's tests pass" um lab test "$LAB"
check "the state lives in \$XDG_RUNTIME_DIR/umnet" test -d "$X/umnet/$LAB.a"
check "the state root is private (0700, the user's)" \
	test "$(stat -c '%u %a' "$X/umnet")" = "$U 700"
pid=$(cut -d' ' -f1 "$X/umnet/$LAB.a/pid")
check "the node runs as the user" test "$(awk '$1 == "Uid:" { print $2 }' /proc/$pid/status)" = $U
check "with no capability" test "$(awk '$1 == "CapEff:" { print $2 }' /proc/$pid/status)" = 0000000000000000
check "NoNewPrivs 1, Seccomp 2" test "$(awk '$1 == "NoNewPrivs:" || $1 == "Seccomp:" { printf "%s ", $2 }' /proc/$pid/status)" = "1 2 "
check "as nobody: lab status" um lab status "$LAB"
# capture = yes without a privilege: the switches of w and seg record
C=$X/umnet/.labs/$LAB/capture
has_pings() { # has_pings FILE SRC DST: requests and replies, read as root
	local got
	got=$(tcpdump -n -r "$1" icmp 2>/dev/null)
	grep -q "IP $2 > $3: ICMP echo request" <<<"$got" &&
		grep -q "IP $3 > $2: ICMP echo reply" <<<"$got"
}
check "as nobody: ping over the captured wire" um exec "$LAB/a" -- ping -c 2 -i 0.2 -W 2 10.61.0.2
check "as nobody: ping over the captured segment" um exec "$LAB/a" -- ping -c 2 -i 0.2 -W 2 10.62.0.3
if command -v tcpdump >/dev/null; then
	check "capture = yes on a wire, rootless: the pings in w.pcap" busywait 5000 has_pings "$C/w.pcap" 10.61.0.1 10.61.0.2
	check "capture = yes on a segment, rootless: the pings in seg.pcap" busywait 5000 has_pings "$C/seg.pcap" 10.62.0.1 10.62.0.3
fi
check "the captures are the user's" test "$(stat -c %u "$C/w.pcap" "$C/seg.pcap" | sort -u)" = $U
# umnet record needs CAP_NET_RAW (an AF_PACKET socket): said so, no file
rec_out=$(um record -i lo -w "$X/rec.pcap" 2>&1)
rc=$?
rec_says() { [ $rc -eq 1 ] && grep -q "needs CAP_NET_RAW" <<<"$rec_out" && [ ! -e "$X/rec.pcap" ]; }
check "as nobody: umnet record names CAP_NET_RAW, makes no file (exit $rc): $rec_out" rec_says
rec_out=$(um record --follow -i lo -w "$X/rec.pcap" 2>&1)
rc=$?
check "as nobody: umnet record --follow too (exit $rc)" rec_says
check "as nobody: lab down" um lab down "$LAB"
check "nothing of the lab is left" test -z "$(ls "$X/umnet" 2>/dev/null; find "$X/umnet" -name "*$LAB*" 2>/dev/null)"
check "no process of the user is left" sh -c "! pgrep -u $U -f '$D/' >/dev/null"

# two standalone nodes joined by L2TPv3 over UDP on the namespace's loopback
PA=$((20000 + RANDOM % 10000))
PB=$((PA + 1))
mkl2tp() { # NAME SRCPORT DSTPORT RX TX ADDR
	cat >"$D/$1.profile" <<EOF
$(profile_head "$1" 32M)
[interface vec0]
transport = l2tpv3
udp = 1
src = 127.0.0.1
dst = 127.0.0.1
srcport = $2
dstport = $3
rx_session = $4
tx_session = $5
address = $6
EOF
	chmod 0644 "$D/$1.profile"
}
mkl2tp la $PA $PB 0x10 0x20 10.63.0.1/24
mkl2tp lb $PB $PA 0x20 0x10 10.63.0.2/24
check "as nobody: up la (l2tpv3/UDP, sessions in hex)" um up "$D/la.profile"
check "as nobody: up lb" um up "$D/lb.profile"
check "as nobody: ping across the pseudowire" um exec la -- ping -c 2 -i 0.2 -W 2 10.63.0.2
check "as nobody: down la lb" um down la lb

# a raw link needs CAP_NET_RAW: refused before anything is made
cat >"$D/raw.profile" <<EOF
[appliance]
name = rw
mem = 32M

[interface vec0]
transport = raw
ifname = lo
EOF
chmod 0644 "$D/raw.profile"
raw_out=$(um up "$D/raw.profile" 2>&1)
rc=$?
check "as nobody: a raw link is refused (exit 1)" test $rc -eq 1
names_cap() { grep -q "needs CAP_NET_RAW" <<<"$raw_out" && grep -q "transport = tap" <<<"$raw_out"; }
check "the error names CAP_NET_RAW and the transport that avoids it: $raw_out" names_cap
check "the refused up made nothing" test ! -e "$X/umnet/rw"

# a fallback state dir that is not private is refused
fb=/tmp/umnet-$U
if [ ! -e "$fb" ]; then
	ln -s "$X" "$fb"
	fb_out=$(ip netns exec "$NS" setpriv --reuid=$U --regid=$U --clear-groups \
		env -i PATH=/usr/bin:/bin UMNET_KERNEL="$D/linux" \
		UMNET_ROOTFS="$D/rootfs.img" "$D/umnet" up "$D/la.profile" 2>&1)
	rc=$?
	rm -f "$fb"
	refused() { [ "$rc" -ne 0 ] && grep -q 'not a private directory' <<<"$fb_out"; }
	check "a symlinked fallback state dir is refused: $fb_out" refused
fi

exit $RET
