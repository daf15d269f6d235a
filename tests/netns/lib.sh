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
# shellcheck source=../topo.sh
source "$TOP/tests/topo.sh"
export UMNET_KERNEL=${UMNET_KERNEL:-$BUILD/linux}
export UMNET_ROOTFS=${UMNET_ROOTFS:-$BUILD/rootfs.img}

ksft_pass=0
ksft_skip=4
RET=0
NS_LIST=()
NODE_LIST=()
TMP_LIST=()
PID_LIST=()
LAB_LIST=()

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

# user_dir VAR FILE... : VAR = a new directory any user can reach (0755,
# removed on exit) holding copies of FILE..., readable by all. What a test
# runs as another user goes there: the checkout may sit in a directory only
# root can enter (mktemp -d gives 0700), and the test must not fail for that.
# Run it from there too: (cd "$VAR" && setpriv ... "$VAR/umnet" ...).
user_dir() {
	local _ud_var=$1 _ud_dir _ud_f
	shift
	tmpdir _ud_dir
	chmod 0755 "$_ud_dir" || return 1
	for _ud_f in "$@"; do
		cp -L "$_ud_f" "$_ud_dir/" || return 1
	done
	chmod -R a+rX "$_ud_dir" || return 1
	eval "$_ud_var=\$_ud_dir"
}

# node_up PROFILE : umnet up, remembering the node for cleanup
node_up() {
	local name
	name=$(sed -n 's/^name *= *\([^ #]*\).*/\1/p' "$1" | head -1)
	NODE_LIST+=("$name")
	"$UMNET" up "$@"
}

# busywait TIMEOUT_MS CMD... : until CMD succeeds or time runs out
reaches_all() { # reaches_all NODE ADDR... : NODE pings every ADDR once
	local node=$1 a ret=0
	shift
	for a in "$@"; do
		"$UMNET" exec "$node" -- ping -c 1 -W 2 "$a" >/dev/null 2>&1 || ret=1
	done
	return $ret
}

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
	for n in "${LAB_LIST[@]}"; do
		[ -d "/run/umnet/.labs/$n" ] && "$UMNET" lab down "$n" >/dev/null 2>&1
	done
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

# lab_name FILE : the lab's name (name = in [lab], else the file name)
lab_name() {
	local n
	n=$(awk '/^\[lab\]/ { s = 1; next } /^\[/ { s = 0 }
		s && $1 == "name" { print $3; exit }' "$1")
	[ -n "$n" ] || n=$(basename "$1" .lab)
	echo "$n"
}

# lab_up FILE... [ARGS] : umnet lab up, remembering the labs for cleanup
lab_up() {
	local a
	for a in "$@"; do
		[ -f "$a" ] && LAB_LIST+=("$(lab_name "$a")")
	done
	"$UMNET" lab up "$@"
}

node_pid() { # node_pid NAME
	cut -d' ' -f1 "/run/umnet/$1/pid" 2>/dev/null
}

# seqpacket_sndbuf PID : the largest send buffer (bytes, as ss shows it) of
# PID's SOCK_SEQPACKET sockets, i.e. a node's fd wire or bess socket
seqpacket_sndbuf() {
	ss -x -m -p | grep -F "pid=$1," | grep "^u_seq" |
		sed -n 's/.*skmem:(r[0-9]*,rb[0-9]*,t[0-9]*,tb\([0-9]*\),.*/\1/p' | sort -n | tail -1
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

# tunnel_pair TRANSPORT P : two nodes A=${P}a$SFX and B=${P}b$SFX, each run
# in its own namespace (NSA, NSB) joined by a veth ${P}taX 10.90.0.1/30 ==
# ${P}tbX 10.90.0.2/30, for tunnel transports whose sockets live where UML
# runs. Defines mkprofile, up_in, down_in, ea/eb (exec in A/B), ping_b.
tunnel_pair() {
	TUNNEL_TRANSPORT=$1
	A=${2}a$SFX B=${2}b$SFX
	setup_ns "${1^^}_A" "${1^^}_B"
	eval "NSA=\$${1^^}_A NSB=\$${1^^}_B"
	ip link add "${2}ta$SFX" netns "$NSA" type veth peer name "${2}tb$SFX" netns "$NSB"
	ip -n "$NSA" addr add 10.90.0.1/30 dev "${2}ta$SFX"
	ip -n "$NSB" addr add 10.90.0.2/30 dev "${2}tb$SFX"
	ip -n "$NSA" link set "${2}ta$SFX" up
	ip -n "$NSB" link set "${2}tb$SFX" up
}

# mkprofile FILE NAME SRC DST ADDR [vector option lines...]
mkprofile() {
	local f=$1 name=$2 src=$3 dst=$4 addr=$5 l
	shift 5
	{
		printf '[appliance]\nname = %s\n\n' "$name"
		printf '[interface vec0]\ntransport = %s\nsrc = %s\ndst = %s\n' \
			"$TUNNEL_TRANSPORT" "$src" "$dst"
		for l in "$@"; do echo "$l"; done
		echo "address = $addr"
	} >"$f"
}

# up_in NS PROFILE NAME : up inside NS, and log the result
up_in() {
	local out rc
	out=$(node_up_in "$1" "$2" 2>&1); rc=$?
	[ $rc -eq 0 ] && [[ "$out" == "$3: ready in "* ]]
	log_test $? "up in $1: $out"
	[ $rc -eq 0 ] || tail -20 "/run/umnet/$3/console.log" 2>/dev/null
	return $rc
}

# exec and down, run in the node's namespace like up (they work from
# anywhere too since mconsole clients bind a socket file)
ea() { ip netns exec "$NSA" "$UMNET" exec "$A" "$@"; }
eb() { ip netns exec "$NSB" "$UMNET" exec "$B" "$@"; }
down_in() { ip netns exec "$1" "$UMNET" down "$2"; }
ping_b() { ea -- ping -c "${1:-3}" -i 0.2 -W 1 10.91.0.2; }
# raw_b_profile IFNAME [run lines...] : $T/b.profile, B on a raw socket on
# IFNAME (so B owns 10.90.0.2/30) with these startup commands: the far end
# of A's tunnel made inside B, as on real equipment
raw_b_profile() {
	local l
	{
		printf '[appliance]\nname = %s\n' "$B"
		for l in "${@:2}"; do echo "run = $l"; done
		printf '\n[interface vec0]\ntransport = raw\nifname = %s\n' "$1"
		printf 'gro = 1\naddress = 10.90.0.2/30\n'
	} >"$T/b.profile"
}

# b_logs TEXT WHAT : B's kernel log holds TEXT
b_logs() {
	local out
	out=$(eb -- dmesg 2>&1)
	[[ "$out" == *"$1"* ]]
	log_test $? "$2"
}

# tunnel_tcp WHAT : 2 s of iperf3 from A to B (server in B, one test, then
# it exits), at least 1 MiB through
tunnel_tcp() {
	local rc kb mbit
	eb -- iperf3 -s -1 -D -B 10.91.0.2 --logfile /tmp/iperf.log
	busywait 5000 eb -- sh -c \
		"netstat -ltn 2>/dev/null | grep -q ':5201 ' || ss -ltn | grep -q ':5201 '"
	ea --timeout 30 -- iperf3 -c 10.91.0.2 -t 2 >"$T/iperf.log" 2>&1
	rc=$?
	kb=$(iperf_received_kb "$T/iperf.log")
	mbit=$(awk '/receiver/ { for (i = 1; i < NF; i++)
		if ($(i + 1) ~ /bits\/sec/) print $i, $(i + 1) }' "$T/iperf.log")
	[ $rc -eq 0 ] && [ "${kb:-0}" -ge 1024 ]
	log_test $? "TCP A -> B over $1, 2 s: ${kb:-0} KiB, ${mbit:-?} (want >= 1 MiB)"
	[ $rc -eq 0 ] && [ "${kb:-0}" -ge 1024 ] || tail -5 "$T/iperf.log" | sed 's/^/    /'
}

# The far end that umnet makes itself (host = KIND) for A's tunnel, in NSB,
# from the profile $T/h.profile:
# dry_run_has WANT WHAT : hostsetup --dry-run prints the lines WANT
dry_run_has() {
	local out
	out=$("$UMNET" hostsetup --dry-run "$T/h.profile" 2>&1)
	[[ "$out" == *"$1"* ]]
	log_test $? "$2"
	[[ "$out" == *"$1"* ]] || echo "$out" | sed 's/^/    /'
}

# host_side_pings DEVICE KIND : A is up: ping the far end DEVICE and back
host_side_pings() {
	busywait 5000 ea -- ping -c 1 -W 1 10.91.0.2 >/dev/null
	check "ping A -> the host's $1 (host = $2)" ping_b 3
	check "ping the host's $1 -> A" \
		ip netns exec "$NSB" ping -c 3 -i 0.2 -W 1 10.91.0.1
}

# host_side_missing NS WANT KIND : the host kernel has no KIND, so up with
# host-netns = NS must fail saying WANT and leave nothing behind, including
# NS, which it created itself
host_side_missing() {
	local out rc
	sed -i "s/^host-netns = .*/host-netns = $1/" "$T/h.profile"
	out=$(node_up_in "$NSA" "$T/h.profile" 2>&1); rc=$?
	[ $rc -eq 1 ] && [[ "$out" == *"$2"* ]]
	log_test $? "up without kernel $3 fails saying so (rc=$rc)"
	[ $rc -eq 1 ] || echo "    $out"
	check "the failed up leaves nothing behind" nothing_left "$A" "$1"
}

# podman, buildah and runc usable here (CONTAINERS_CONF: the project's),
# else SKIP with the reason (kube.sh, kube_kathara.sh)
require_podman() {
	local out
	command -v podman >/dev/null || skip_all "podman not installed (apt-get install podman buildah runc)"
	command -v buildah >/dev/null || skip_all "buildah not installed (apt-get install podman buildah runc)"
	command -v runc >/dev/null || skip_all "runc not installed (apt-get install runc)"
	export CONTAINERS_CONF=$TOP/dist/podman/containers.conf
	out=$(podman info 2>&1) || skip_all "podman cannot run here: ${out##*$'\n'}"
}
# the container of node $1 of lab $LAB under podman kube play; its node ready
pod_ctr() { podman ps --filter "label=umnet.lab=$LAB" --filter "label=umnet.node=$1" --format '{{.Names}}'; }
pod_ready() { podman logs "$(pod_ctr "$1")" 2>/dev/null | grep -q "^umnet: $LAB.$1: ready in"; }
