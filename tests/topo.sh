#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Topologies more than one test builds (sourced by tests/netns/lib.sh and
# tests/soak/soak.sh).

# raw_netns_profile FILE NAME OCTET NS : a node run in netns NS with one raw
# link to a veth there, 10.OCTET.0.2/24 on the node, .1 on the host side
raw_netns_profile() {
	cat >"$1" <<EOP
[appliance]
name = $2
mem = 32M
netns = $4
[interface vec0]
transport = raw
ifname = $2-u0
gro = 1
address = 10.$3.0.2/24
host = veth
host-ifname = $2-h0
host-address = 10.$3.0.1/24
EOP
}

# killed_after MS CMD... : run CMD in the background, kill -9 it after MS
# milliseconds (0-999) unless it ended before, and reap it
killed_after() {
	local ms=$1 pid
	shift
	"$@" >/dev/null 2>&1 &
	pid=$!
	sleep "0.$(printf '%03d' "$ms")"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

# raw_veth_iface N NODE NET NS [LINE...] : an [interface vecN] section, a raw
# link to a veth NODE-hN in netns NS, NET.2/24 on the node and NET.1/24 on
# the host side (NET is like 10.9.0), then the LINEs
raw_veth_iface() {
	local i=$1 n=$2 net=$3 ns=$4
	shift 4
	cat <<EOP
[interface vec$i]
transport = raw
ifname = $n-u$i
gro = 1
address = $net.2/24
host = veth
host-ifname = $n-h$i
host-netns = $ns
host-address = $net.1/24
EOP
	printf '%s\n' "$@"
}

# tap_profile FILE NAME NET [LINE...] : a node with one tap link, NET.2/24
# on the node and NET.1/24 on the host's tap; LINEs go in [appliance]
tap_profile() {
	local f=$1 n=$2 net=$3
	shift 3
	{
		profile_head "$n"
		printf '%s\n' "$@"
		cat <<EOP
[interface vec0]
transport = tap
ifname = $n-t0
address = $net.2/24
host = tap
host-address = $net.1/24
EOP
	} >"$f"
}

# profile_head NAME [MEM] : an [appliance] section (no mem = line without MEM)
profile_head() {
	printf '[appliance]\nname = %s\n' "$1"
	[ -z "${2:-}" ] || printf 'mem = %s\n' "$2"
}

# lab_head LAB MEM [NODE...] : a [lab] section (no mem = line if MEM is
# empty), then an empty [node] section for each NODE
lab_head() {
	printf '[lab]\nname = %s\n' "$1"
	[ -z "$2" ] || printf 'mem = %s\n' "$2"
	shift 2
	[ $# -eq 0 ] || printf '[node %s]\n' "$@"
}

# link_eps LINK ENDPOINT... : a [link LINK] section with those endpoints
link_eps() {
	printf '[link %s]\n' "$1"
	shift
	printf 'endpoint = %s\n' "$@"
}

# wire_segment_lab FILE LAB NET : nodes a, b, c; a wire a-b (NET.12.0/30)
# and a switch segment of all three (NET.5.0/24); NET is like 10.74
wire_segment_lab() {
	{
		lab_head "$2" 32M a b c
		link_eps ab "a $3.12.1/30" "b $3.12.2/30"
		link_eps seg "a $3.5.1/24" "b $3.5.2/24" "c $3.5.3/24"
	} >"$1"
}

# two_node_lab FILE LAB NET NS HOSTIF : nodes a and b (48M) and
#   a ==wire ab== b      NET.1.1 - NET.1.2   (vec0 of both)
#   a ==switch seg== b   NET.5.1 - NET.5.2   (vec1 of both)
#   a --netns up-- NS    NET.9.2 - NET.9.1   (a's vec2; HOSTIF on the host side)
# NET is like 10.64. More lines for a link in LINK_AB, LINK_SEG, LINK_UP
# (e.g. LINK_UP="capture = yes"), more sections after them in LAB_MORE
# (a's next is vec3, b's vec2).
two_node_lab() {
	cat >"$1" <<EOT
$(lab_head "$2" 48M a b)
$(link_eps ab "a:vec0 $3.1.1/24" "b:vec0 $3.1.2/24")
${LINK_AB:-}
$(link_eps seg "a:vec1 $3.5.1/24" "b:vec1 $3.5.2/24")
kind = switch
${LINK_SEG:-}
[link up]
kind = netns
netns = $4
host-ifname = $5
endpoint = a:vec2 $3.9.2/24
host-address = $3.9.1/24
${LINK_UP:-}
${LAB_MORE:-}
EOT
}
