#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# eBPF inside nodes: the shipped lab configs/labs/xdp-filter.lab (XDP on b
# drops ICMP echo requests, tc-bpf on c drops UDP port 9, the rest passes)
# under a random name passes its own tests; a program the verifier rejects
# stops the boot with the verifier's words and the lab's file:line; a
# link cut and restored keeps a tc program.
#
#   a ==ab== b (xdp_drop_icmp on vec0)     a ==ac== c (tc_drop_udp9 ingress)
#
source "$(dirname "$0")/lib.sh"
require_root
require_built
require_command clang
[ -e "$BUILD/bpf/xdp_drop_icmp.o" ] || { echo "$BUILD/bpf missing: run make"; exit 1; }

tmpdir T
L=xd$SFX
sed -e "s/^name = xdp-filter$/name = $L/" \
	-e "s|\.\./\.\./build/bpf/|$BUILD/bpf/|" \
	"$TOP/configs/labs/xdp-filter.lab" >"$T/x.lab"
out=$(lab_up "$T/x.lab" 2>&1)
log_test $? "lab up of xdp-filter (as $L)"
out=$("$UMNET" lab test "$L" 2>&1)
rc=$?
printf '%s\n' "$out"
[ $rc -eq 0 ] && grep -q "^lab $L: 8 passed, 0 failed" <<<"$out"
log_test $? "xdp-filter's tests: XDP and tc drop what they should, the rest passes"
# a cut and its repair share the clsact qdisc with c's tc program
"$UMNET" lab link down "$L" ac >/dev/null &&
	! "$UMNET" exec "$L/a" -- ping -c 1 -W 1 10.70.2.2 >/dev/null &&
	"$UMNET" lab link up "$L" ac >/dev/null &&
	"$UMNET" exec "$L/a" -- ping -c 1 -W 2 10.70.2.2 >/dev/null &&
	"$UMNET" exec "$L/c" -- tc filter show dev vec0 ingress | grep -q tc_drop_udp9
log_test $? "lab link down/up on c's link keeps its tc program"
# bpftool ships in the image: it sees the programs umnet attached
out=$("$UMNET" exec "$L/c" -- bpftool prog show 2>&1)
grep -q "tc_drop_udp9" <<<"$out"
log_test $? "bpftool in the node lists the attached program: $(grep -m1 tc_drop <<<"$out")"
"$UMNET" lab down "$L" >/dev/null 2>&1
log_test $? "lab down"

# a program that reads the packet without a bounds check
cat >"$T/bad.c" <<'EOC'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
SEC("xdp")
int bad(struct xdp_md *ctx)
{
	unsigned char *p = (void *)(long)ctx->data;

	return p[20] == 1 ? XDP_DROP : XDP_PASS;
}
char _license[] SEC("license") = "GPL";
EOC
clang -O2 -target bpf -I"/usr/include/$(cc -print-multiarch)" -c -o "$T/bad.o" "$T/bad.c"
L2=xb$SFX
cat >"$T/bad.lab" <<EOT
$(lab_head "$L2" 48M a b)
xdp = vec0 bad.o
$(link_eps ab a b)
EOT
out=$(lab_up "$T/bad.lab" 2>&1)
rc=$?
[ $rc -ne 0 ] && grep -q "bad.lab:6: run .*xdpgeneric obj" <<<"$out" &&
	grep -q "boot configuration failed: node.conf:[0-9]*: error: invalid access to packet" <<<"$out"
log_test $? "a program the verifier rejects stops the boot, with file:line"
[ ! -e "/run/umnet/.labs/$L2" ]
log_test $? "and the lab is not left half up"
exit $RET
