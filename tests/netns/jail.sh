#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Every process a node runs on the host is jailed (docs/security.md):
#
#   host netns $NS                                lab $LAB
#   10.77.0.1/24 --veth (link up, kind netns)-- [ rn ] 10.78.0.1/24
#                                                 |  wire w (fd)
#                                               [ wn ] 10.78.0.2/24
#
# rn has a raw link (needs CAP_NET_RAW), wn only a wire (needs nothing).
# From /proc: every UML process of a node runs as its own non-zero uid,
# CapEff is exactly CAP_NET_RAW for rn and 0 for wn, NoNewPrivs 1,
# Seccomp 2, in the node's own cgroup, with a root holding only what it
# needs; the lab's keeper runs jailed too; `status --json` says the same,
# and down removes the cgroups and ids.
source "$(dirname "$0")/lib.sh"
require_root
require_built
require_command jq

tmpdir T
LAB=jl$SFX
setup_ns NS
cat >"$T/j.lab" <<EOF
$(lab_head "$LAB" 32M rn wn)

[link up]
kind = netns
netns = $NS
host-address = 10.77.0.1/24
endpoint = rn 10.77.0.2/24

$(link_eps w "rn 10.78.0.1/24" "wn 10.78.0.2/24")
EOF

check "lab up" lab_up "$T/j.lab"

# the pids of a node's UML processes: the kernel and its helpers share
# its process group
node_pids() { pgrep -g "$(node_pid "$LAB.$1")"; }
field() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

# status_all NODE FIELD VALUE : FIELD is VALUE for every UML process of NODE
status_all() {
	local p v n=0
	for p in $(node_pids "$1"); do
		v=$(field "$p" "$2") || return 1
		[ "$v" = "$3" ] || { echo "pid $p: $2 $v, not $3"; return 1; }
		n=$((n + 1))
	done
	[ "$n" -gt 0 ] || { echo "no processes for $1"; return 1; }
}

uid_of() { field "$(node_pid "$LAB.$1")" Uid; }
nonroot_uid() {
	local p
	for p in $(node_pids "$1"); do
		awk '$1 == "Uid:" || $1 == "Gid:" { for (i = 2; i <= 5; i++) if ($i == 0) exit 1 }' \
			"/proc/$p/status" || { echo "pid $p runs as root: $(grep -E 'Uid|Gid' /proc/$p/status)"; return 1; }
	done
}

for n in rn wn; do
	check "$n: no UML process runs as root (uid or gid)" nonroot_uid $n
	check "$n: NoNewPrivs 1 everywhere" status_all $n NoNewPrivs 1
	check "$n: Seccomp 2 (filter) everywhere" status_all $n Seccomp 2
	check "$n: no supplementary groups" status_all $n Groups ""
done
check "rn: CapEff is exactly CAP_NET_RAW" status_all rn CapEff 0000000000002000
check "rn: CapBnd is exactly CAP_NET_RAW" status_all rn CapBnd 0000000000002000
check "wn: CapEff is 0" status_all wn CapEff 0000000000000000
check "wn: CapPrm is 0" status_all wn CapPrm 0000000000000000
check "the two nodes run as different uids" test "$(uid_of rn)" != "$(uid_of wn)"

# the node's root holds its jail dir, the kernel and the base image only
pid=$(node_pid "$LAB.rn")
check "rn's root has no /etc (it is not the host's)" test ! -e "/proc/$pid/root/etc/passwd"
check "rn sees its own jail dir" test -d "/proc/$pid/root/run/umnet/$LAB.rn/node"
check "rn does not see wn's state" test ! -e "/proc/$pid/root/run/umnet/$LAB.wn/node"
check "rn does not see the journal of its own state dir" \
	test ! -e "/proc/$pid/root/run/umnet/$LAB.rn/journal"
check "the jail dir is the node's own, mode 0700" \
	test "$(stat -c '%u %a' "/run/umnet/$LAB.rn/node")" = "$(uid_of rn) 700"

# the node's cgroup: every UML process is in it
cg_json=$("$UMNET" status "$LAB.rn" --json)
kind=$(jq -r '.[0].jail.cgroup.kind' <<<"$cg_json")
check "status --json: uid is the process's" \
	test "$(jq -r '.[0].jail.uid' <<<"$cg_json")" = "$(uid_of rn)"
check "status --json: capabilities [cap_net_raw]" \
	test "$(jq -c '.[0].jail.capabilities' <<<"$cg_json")" = '["cap_net_raw"]'
check "status --json: wn keeps no capability" \
	test "$("$UMNET" status "$LAB.wn" --json | jq -c '.[0].jail.capabilities')" = '[]'
in_cgroup() {
	local p d
	for d in $(jq -r '.[0].jail.cgroup.paths[]' <<<"$cg_json"); do
		for p in $(node_pids rn); do
			grep -qx "$p" "$d/cgroup.procs" || { echo "pid $p not in $d"; return 1; }
		done
	done
}
if [ "$kind" = none ]; then
	echo "# no cgroup on this host: $("$UMNET" status "$LAB.rn" --json | jq -r '.[0].jail.cgroup')"
else
	check "rn's processes are all in its cgroup ($kind)" in_cgroup
	check "the cgroup has a memory limit" \
		test "$(jq -r '.[0].jail.cgroup.memory_max' <<<"$cg_json")" -gt 33554432
fi

# the lab's wire keeper: the lab's uid, no capability
keeper=$("$UMNET" lab status "$LAB" --json | jq -r '.processes[] | select(.what == "keeper") | .pid')
check "lab status names the wire keeper" test -n "$keeper"
if [ -n "$keeper" ]; then
	check "the wire keeper is not root" test "$(field "$keeper" Uid | cut -c1)" != 0
	check "the wire keeper keeps no capability" test "$(field "$keeper" CapEff)" = 0000000000000000
	check "the wire keeper has Seccomp 2" test "$(field "$keeper" Seccomp)" = 2
fi

# and it all still works
check "ping from the host netns over the raw link" \
	ip netns exec "$NS" ping -c 2 -i 0.2 -W 2 10.77.0.2
check "ping across the wire" "$UMNET" exec "$LAB/rn" -- ping -c 2 -i 0.2 -W 2 10.78.0.2
check "a guest cannot mount on the host (its mounts are its kernel's)" \
	"$UMNET" exec "$LAB/wn" -- sh -c 'mkdir -p /mnt/x && mount -t tmpfs none /mnt/x && umount /mnt/x'

# a guest flooding its console costs the host at most 4 MiB of log
"$UMNET" exec "$LAB/wn" -- sh -c 'head -c 6000000 /dev/zero | tr "\0" x | fold -w 100 >/dev/console'
log=/run/umnet/$LAB.wn/console.log
capped() {
	local size
	size=$(stat -c %s "$log")
	[ "$size" -le 4194304 ] || { echo "console.log is $size bytes"; return 1; }
	head -1 "$log" | grep -q "console log over 4 MiB" || { echo "no marker: $(head -c 100 "$log")"; return 1; }
}
check "the console log is capped at 4 MiB, newest kept" busywait 5000 capped

dirs=$(jq -r '.[0].jail.cgroup.paths[]?' <<<"$cg_json")
ids=$(ls /run/umnet/.ids/by 2>/dev/null | grep -c "$LAB")
check "the lab holds host ids while up" test "$ids" -ge 3
check "lab down" "$UMNET" lab down "$LAB"
gone() {
	local d
	for d in $dirs; do [ ! -e "$d" ] || { echo "$d left"; return 1; }; done
	! ls /run/umnet/.ids/by 2>/dev/null | grep -q "$LAB" || { echo "ids left: $(ls /run/umnet/.ids/by)"; return 1; }
}
check "down removes the cgroups and frees the ids" gone

exit $RET
