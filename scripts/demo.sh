#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make demo: boot the router of configs/router.profile between two network
# namespaces, ping and run iperf3 across it, then tear everything down.
set -euo pipefail
BUILD=${1:-build}
UMNET=$BUILD/umnet
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"

cmd() { echo "[#] $*" >&2; "$@"; }
die() { echo "demo: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root: it creates network namespaces and veth pairs"
for ns in lan0 lan1; do
	ip netns list | grep -qw "$ns" && die "netns $ns exists already; the demo creates it (ip netns del $ns)"
done

iperf_pid=
cleanup() {
	[ -n "$iperf_pid" ] && kill "$iperf_pid" 2>/dev/null
	"$UMNET" status r1 >/dev/null 2>&1 && cmd "$UMNET" down r1
	true
}
trap cleanup EXIT

cmd "$UMNET" hostsetup --dry-run configs/router.profile
cmd "$UMNET" up configs/router.profile
cmd "$UMNET" status
cmd "$UMNET" exec r1 -- ip -br addr
cmd ip netns exec lan0 ping -c 3 -i 0.2 10.2.0.1
ip netns exec lan1 iperf3 -s -1 -B 10.2.0.1 >/dev/null 2>&1 &
iperf_pid=$!
# wait (bounded) for the server to listen
for _ in $(seq 50); do
	ip netns exec lan1 ss -ltn 2>/dev/null | grep -q ':5201' && break
	sleep 0.1
done
cmd ip netns exec lan0 iperf3 -c 10.2.0.1 -t 5 -f m
wait "$iperf_pid" 2>/dev/null || true
iperf_pid=
cmd "$UMNET" down r1
echo "demo: done; nothing is left behind:"
ip netns list | grep -E '^lan[01]( |$)' && die "a namespace was left" || echo "  no lan0/lan1 namespaces"
