#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# umnet bpf compile / dump: pcap expressions as the classic BPF files the
# kernel's bpffile= reads (N x 8 bytes), listings identical to tcpdump -d
# and -dd, and the errors. No root, no node.
source "$(dirname "$0")/lib.sh"
[ -x "$UMNET" ] || { echo "$UMNET missing: run make"; exit 1; }

tmpdir T

out=$("$UMNET" bpf compile 'tcp port 80' -o "$T/a.bpf" 2>&1); rc=$?
n=$(sed -n 's/.*: \([0-9]*\) instructions (\([0-9]*\) bytes)$/\1/p' <<<"$out")
size=$(stat -c %s "$T/a.bpf" 2>/dev/null || echo 0)
[ $rc -eq 0 ] && [ -n "$n" ] && [ "$size" -eq $((8 * n)) ] && [ "$n" -gt 1 ]
log_test $? "compile 'tcp port 80': $out, file $size bytes"

out=$("$UMNET" bpf compile tcp port 80 -o "$T/b.bpf" 2>&1)
cmp -s "$T/a.bpf" "$T/b.bpf"
log_test $? "the expression may come as several words, like tcpdump's"

if command -v tcpdump >/dev/null; then
	for e in 'tcp port 80' 'not icmp' 'ip6 and udp' 'vlan and arp'; do
		"$UMNET" bpf compile "$e" -o "$T/c.bpf" >/dev/null 2>&1
		a=$("$UMNET" bpf dump "$T/c.bpf" 2>&1)
		b=$(tcpdump -d "$e" 2>/dev/null)
		[ -n "$a" ] && [ "$a" = "$b" ]
		log_test $? "dump of '$e' equals tcpdump -d"
		[ "$a" = "$b" ] || diff <(echo "$a") <(echo "$b")
		a=$("$UMNET" bpf dump --raw "$T/c.bpf" 2>&1)
		b=$(tcpdump -dd "$e" 2>/dev/null)
		[ -n "$a" ] && [ "$a" = "$b" ]
		log_test $? "dump --raw of '$e' equals tcpdump -dd"
	done
else
	echo "# tcpdump not installed: listings not compared with tcpdump -d"
fi

out=$("$UMNET" bpf compile --mac 02:aa:bb:cc:dd:ee icmp -o "$T/m.bpf" 2>&1)
d=$("$UMNET" bpf dump "$T/m.bpf" 2>&1)
[[ "$d" == "(000) ld       [8]"*"jeq      #0xbbccddee"*"ldh      [6]"*"jeq      #0x2aa"* ]]
log_test $? "compile --mac starts with the source MAC check"

out=$("$UMNET" bpf compile 'tcp port' -o "$T/bad.bpf" 2>&1); rc=$?
[ $rc -eq 1 ] && [ "$out" = "umnet: bad filter expression \"tcp port\": can't parse filter expression: syntax error" ] &&
	[ ! -e "$T/bad.bpf" ]
log_test $? "a bad expression: exit 1, pcap's text, no file (rc=$rc: $out)"
out=$("$UMNET" bpf compile 'ip proto nosuchproto' -o "$T/bad.bpf" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"nosuchproto"* ]]
log_test $? "an unknown protocol: exit 1, named (rc=$rc)"
out=$("$UMNET" bpf compile --mac 02:zz:00:00:00:01 icmp -o "$T/bad.bpf" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"bad filter expression"* ]]
log_test $? "a bad --mac: exit 1 (rc=$rc)"

"$UMNET" bpf compile icmp >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ]; log_test $? "compile without -o: usage, exit 2 (rc=$rc)"
"$UMNET" bpf >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ]; log_test $? "bpf without a subcommand: exit 2 (rc=$rc)"
out=$("$UMNET" bpf --help 2>&1); rc=$?
[ $rc -eq 0 ] && [[ "$out" == "Usage: umnet bpf compile"* ]]
log_test $? "bpf --help: exit 0 and usage"

printf '0123456789' >"$T/odd.bpf"
out=$("$UMNET" bpf dump "$T/odd.bpf" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"odd.bpf: not a classic BPF file: 10 bytes; want a multiple of 8"* ]]
log_test $? "dump of a 10-byte file: exit 1 and why (rc=$rc)"
head -c $((8 * 4097)) /dev/zero >"$T/big.bpf"
out=$("$UMNET" bpf dump "$T/big.bpf" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"1..4096 instructions"* ]]
log_test $? "dump of 4097 instructions: exit 1, the kernel takes 4096 (rc=$rc)"
out=$("$UMNET" bpf dump "$T/missing.bpf" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"missing.bpf: No such file or directory"* ]]
log_test $? "dump of a missing file: exit 1 (rc=$rc)"
exit "$RET"
