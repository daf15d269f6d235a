#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Shared helpers for umnet's netns tests, in the style of the kernel's
# tools/testing/selftests/net/lib.sh. Source it; then use setup_ns,
# node_up, log_test, busywait; cleanup runs on exit.

set -u

: "${BUILD:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build}"
BUILD=$(cd "$BUILD" && pwd)
UMNET=${UMNET:-$BUILD/umnet}
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export UMNET_KERNEL=${UMNET_KERNEL:-$BUILD/linux}
export UMNET_ROOTFS=${UMNET_ROOTFS:-$BUILD/rootfs.img}

ksft_pass=4
ksft_skip=4
RET=0
NS_LIST=()
NODE_LIST=()
TMP_LIST=()
PID_LIST=()

# a random suffix: lowercase letters and digits, 6 characters
rand_suffix() {
	tr -dc 'a-z0-9' </dev/urandom | head -c 6
}
SFX=$(rand_suffix)

log_test() { # log_test RC "what"
	local rc=$1 msg=$2
	if [ "$rc" -eq 0 ]; then
		printf 'TEST: %-60s [ OK ]\n' "$msg"
	else
		printf 'TEST: %-60s [FAIL]\n' "$msg"
		RET=1
	fi
}

# log_fail "what" "what was seen"
log_fail() {
	printf 'TEST: %-60s [FAIL]\n' "$1"
	printf '    %s\n' "${2//$'\n'/$'\n'    }"
	RET=1
}

check() { # check "what" CMD... : pass when CMD succeeds
	local msg=$1 out
	shift
	if out=$("$@" 2>&1); then
		log_test 0 "$msg"
	else
		log_fail "$msg" "\$ $*"$'\n'"$out"
	fi
}

check_fail() { # check_fail "what" CMD... : pass when CMD fails
	local msg=$1 out
	shift
	if out=$("$@" 2>&1); then
		log_fail "$msg" "succeeded but should not: \$ $*"$'\n'"$out"
	else
		log_test 0 "$msg"
	fi
}

skip_all() {
	echo "SKIP: $*"
	exit "$ksft_skip"
}

require_command() {
	command -v "$1" >/dev/null || skip_all "$1 not installed"
}

require_root() {
	[ "$(id -u)" -eq 0 ] || skip_all "needs root (network namespaces, veth pairs)"
}

require_built() {
	[ -x "$UMNET" ] || { echo "$UMNET missing: run make"; exit 1; }
	[ -e "$UMNET_KERNEL" ] || { echo "$UMNET_KERNEL missing: run make kernel"; exit 1; }
	[ -e "$UMNET_ROOTFS" ] || { echo "$UMNET_ROOTFS missing: run make rootfs"; exit 1; }
}

# setup_ns VAR... : create namespaces named VAR-SUFFIX, export their names
setup_ns() {
	local var name
	for var in "$@"; do
		name="${var,,}-$(rand_suffix)"
		ip netns add "$name" || { echo "ip netns add $name failed"; exit 1; }
		ip -n "$name" link set lo up
		NS_LIST+=("$name")
		eval "$var=\$name"
	done
}

tmpdir() { # tmpdir VAR
	local d
	d=$(mktemp -d /tmp/umnet-test.XXXXXX)
	TMP_LIST+=("$d")
	eval "$1=\$d"
}

# node_up PROFILE : umnet up, remembering the node for cleanup
node_up() {
	local name
	name=$(sed -n 's/^name *= *\([^ #]*\).*/\1/p' "$1" | head -1)
	NODE_LIST+=("$name")
	"$UMNET" up "$@"
}

# busywait TIMEOUT_MS CMD... : until CMD succeeds or time runs out
busywait() {
	local timeout=$1 start
	shift
	start=$(date +%s%N)
	while true; do
		"$@" && return 0
		[ $(( ($(date +%s%N) - start) / 1000000 )) -ge "$timeout" ] && return 1
		sleep 0.05
	done
}

cleanup() {
	local n ns d p
	for p in "${PID_LIST[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	for n in "${NODE_LIST[@]}"; do
		[ -d "/run/umnet/$n" ] && "$UMNET" down "$n" >/dev/null 2>&1
	done
	for ns in "${NS_LIST[@]}"; do ip netns del "$ns" 2>/dev/null; done
	for d in "${TMP_LIST[@]}"; do rm -rf "$d"; done
}
trap cleanup EXIT
trap "exit 143" TERM INT

# profile_from SHIPPED OUT SED-EXPR... : a copy of a shipped profile with
# names made unique for this run (and its side files copied along)
profile_from() {
	local src=$1 out=$2 f
	shift 2
	local args=()
	for e in "$@"; do args+=(-e "$e"); done
	sed "${args[@]}" "$src" >"$out"
	for f in $(sed -n 's/^ruleset *= *\([^ #]*\).*/\1/p' "$src"); do
		cp "$(dirname "$src")/$f" "$(dirname "$out")/"
	done
}

node_pid() { # node_pid NAME
	cut -d' ' -f1 "/run/umnet/$1/pid" 2>/dev/null
}

# nothing_left NAME NETNS... : no state dir, namespaces, UML processes
nothing_left() {
	local name=$1 ns
	shift
	[ ! -e "/run/umnet/$name" ] || { echo "state dir /run/umnet/$name left"; return 1; }
	for ns in "$@"; do
		[ ! -e "/run/netns/$ns" ] || { echo "netns $ns left"; return 1; }
	done
	if pgrep -f "umid=$name " >/dev/null; then
		echo "UML processes left: $(pgrep -f "umid=$name ")"
		return 1
	fi
	return 0
}

# wait_port NS PORT : until something listens on TCP PORT in NS (bounded)
wait_port() {
	busywait 5000 sh -c "ip netns exec $1 ss -ltnH 'sport = :$2' | grep -q ."
}

# iperf_received_kb LOG : KiB the iperf3 server's log says it received
iperf_received_kb() {
	awk '/receiver/ { for (i = 1; i < NF; i++) {
		u = $(i + 1)
		if (u == "Bytes") print int($i / 1024)
		else if (u == "KBytes") print int($i)
		else if (u == "MBytes") print int($i * 1024)
		else if (u == "GBytes") print int($i * 1024 * 1024)
	} }' "$1" | tail -1
}

# node_up_in NETNS PROFILE [ARGS...] : umnet up inside NETNS (the node's
# sockets, e.g. its gre/l2tpv3 tunnels, then live there), remembered for
# cleanup; down works from anywhere when the node has no host = objects
node_up_in() {
	local ns=$1 name
	shift
	name=$(sed -n 's/^name *= *\([^ #]*\).*/\1/p' "$1" | head -1)
	NODE_LIST+=("$name")
	ip netns exec "$ns" "$UMNET" up "$@"
}
