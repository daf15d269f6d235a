#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A lab exported with `umnet lab export --kubernetes` runs under
# `podman kube play`: the same manifests a cluster gets, the podman-only
# parts (runc, the network) are options of this test.
#
#   podman network k$SFX (bridge, DNS between pod names)
#   +---------------------------+          +---------------------------+
#   | pod r1$SFX (uid 65534,    |  UDP     | pod r2$SFX                |
#   |  no capability)           | 10000    |                           |
#   |  umnet node run           |<========>|  umnet node run           |
#   |   UML r1 vec0 10.70.0.1   | L2TPv3   |   UML r2 vec0 10.70.0.2   |
#   |          vec1 10.71.0.1   |          |          vec1 10.71.0.2   |
#   +------------|--------------+          +------------|--------------+
#                |  UDP 10001, L2TPv3, a session per node |
#   +------------+-- pod seg-s$SFX: umnet switch --------+
#   |                     |                              (uid 65534)
#   +---------------------|-----+
#   | pod r3$SFX: UML r3 vec0 10.71.0.3 (segment s$SFX)
#   +---------------------------+
#
# Checks: the manifests use only v1 / apps/v1 and ask for no privilege;
# the pods (the segment's switch too) run unprivileged with no added
# capability; a ping crosses the pods; pings cross the segment; the lab's
# [test] section passes through `umnet lab test --engine podman` (a
# file = directory reaches the node with its executable's mode; link
# steps cut and impair a wire from both ends' pods; iperf3 runs from one
# pod to the other); the
# switch has a remote port per node; SIGTERM shuts a node down cleanly
# (exit 0) and the tests then fail; `podman kube down` leaves no pod,
# container, network or volume.
source "$(dirname "$0")/lib.sh"
require_root
require_built
require_podman

LAB=k$SFX
R1=r1$SFX
R2=r2$SFX
R3=r3$SFX
SEG=s$SFX # its switch's pod: seg-$SEG
NET=k$SFX
IMAGE=localhost/umnet-test:$SFX
tmpdir D
chmod 0755 "$D"

kube_cleanup() {
	[ -e "$D/all.yaml" ] && timeout 120 podman kube down "$D/all.yaml" >/dev/null 2>&1
	podman volume rm "$R1" "$R2" "$R3" >/dev/null 2>&1
	podman network rm "$NET" >/dev/null 2>&1
	podman rmi "$IMAGE" >/dev/null 2>&1
}
trap 'kube_cleanup; cleanup' EXIT

cat >"$D/k.lab" <<EOF
[lab]
name = $LAB
mem = 32M

[node $R1]
forwarding = yes
loopback = 10.255.0.1/32

[node $R2]
route = 10.255.0.1/32 via 10.70.0.1
run = echo hello-from-r2 > /tmp/greeting
file = tree /

[node $R3]

$(link_eps l1 "$R1 10.70.0.1/24" "$R2 10.70.0.2/24")
$(link_eps "$SEG" "$R1 10.71.0.1/24" "$R2 10.71.0.2/24" "$R3 10.71.0.3/24")

[test]
reach = $R1 $R2
reach = $R2 10.255.0.1
no-reach = $R1 10.70.0.99
exec = $R2 match=hello-from-r2 -- cat /tmp/greeting
exec = $R2 match=hello-from-tree -- /etc/kube-tree/bin/hello
reach = $R3 10.71.0.1
reach = $R3 10.71.0.2
reach = $R1 10.71.0.2
link-down = l1
no-reach = $R1 10.70.0.2
link-up = l1
reach = $R1 10.70.0.2
link-set = l1 --loss 100%
no-reach = $R2 10.70.0.1
link-reset = l1
reach = $R2 10.70.0.1
throughput = $R1 $R2 > 1mbit
EOF

# a file = directory with an executable in it: a ConfigMap holds flat
# 0644 files, so it travels as files.tar, which node run --unpack opens
mkdir -p "$D/tree/etc/kube-tree/bin"
printf '#!/bin/sh\necho hello-from-tree\n' >"$D/tree/etc/kube-tree/bin/hello"
chmod 0755 "$D/tree/etc/kube-tree/bin/hello"

check "make image (buildah, from scratch) as $IMAGE" \
	bash "$TOP/scripts/image.sh" "$BUILD" "$IMAGE"
check "umnet lab export --kubernetes" \
	"$UMNET" lab export "$D/k.lab" --kubernetes -o "$D/out" --image "$IMAGE"
check "one file per node, the segment's switch and the namespace" \
	test "$(cd "$D/out" && echo *)" = "namespace.yaml $R1.yaml $R2.yaml $R3.yaml seg-$SEG.yaml"
awk 'FNR == 1 && NR > 1 { print "---" } { print }' "$D/out/namespace.yaml" \
	"$D/out/$R1.yaml" "$D/out/$R2.yaml" "$D/out/$R3.yaml" \
	"$D/out/seg-$SEG.yaml" >"$D/all.yaml"
check "-o - writes the same documents as one stream (kubectl apply -f -)" \
	sh -c "'$UMNET' lab export '$D/k.lab' --kubernetes -o - --image '$IMAGE' | cmp -s - '$D/all.yaml'"

kinds=$(grep -E '^(apiVersion|kind):' "$D/all.yaml" | paste -sd' ' | sed 's/apiVersion: //g; s/kind: //g')
check "only core kinds: $kinds" test "$kinds" = \
	"v1 Namespace v1 ConfigMap v1 Service apps/v1 Deployment v1 ConfigMap v1 Service apps/v1 Deployment v1 ConfigMap v1 Service apps/v1 Deployment v1 Service apps/v1 Deployment"
no_privilege() {
	[ "$(grep -c 'runAsNonRoot: true' "$D/all.yaml")" = 4 ] &&
		[ "$(grep -c 'allowPrivilegeEscalation: false' "$D/all.yaml")" = 4 ] &&
		[ "$(grep -c 'privileged: false' "$D/all.yaml")" = 4 ] &&
		[ "$(grep -A2 'drop:' "$D/all.yaml" | grep -c -- '- ALL')" = 4 ] &&
		! grep -qE 'hostPath|/dev/kvm|hostNetwork|add:' "$D/all.yaml"
}
check "the pods ask for no privilege (runAsNonRoot, drop ALL, no hostPath, no /dev/kvm)" no_privilege
check "memory request = mem + 32 MiB" test "$(grep -c 'memory: 64Mi' "$D/all.yaml")" = 4
check "$R2's directory travels as files.tar, unpacked by node run" \
	sh -c "grep -q '^  files.tar: ' '$D/out/$R2.yaml' && grep -q -- '- /etc/umnet/node/files.tar=/tmp/umnet-files' '$D/out/$R2.yaml'"

check "podman network create $NET" podman network create "$NET"
check "podman kube play (runc, network $NET)" \
	timeout 120 podman kube play --network "$NET" "$D/all.yaml"

check "node $R1 boots in its pod" busywait 90000 pod_ready "$R1"
check "node $R2 boots in its pod" busywait 90000 pod_ready "$R2"
check "node $R3 boots in its pod" busywait 90000 pod_ready "$R3"
C1=$(pod_ctr "$R1")
C2=$(pod_ctr "$R2")
C3=$(pod_ctr "$R3")
CS=$(podman ps --filter "label=umnet.lab=$LAB" --filter "label=umnet.segment=$SEG" --format '{{.Names}}')

for c in "$C1" "$C2" "$C3" "$CS"; do
	seen=$(podman inspect "$c" --format '{{.HostConfig.Privileged}} caps-added={{.HostConfig.CapAdd}} effective={{.EffectiveCaps}} user={{.Config.User}}')
	check "$c: not privileged, no capability: $seen" \
		test "$seen" = "false caps-added=[] effective=[] user=65534:65534"
done

# every process of a pod's container, seen from the host: uid 65534, no caps
# procs_unprivileged PID [MIN]: at least MIN processes (default 2: a node
# run and its UML)
procs_unprivileged() {
	local pid=$1 min=${2:-2} p kids all=() more=() bad=""
	all=("$pid")
	kids=$pid
	while [ -n "$kids" ]; do
		mapfile -t more < <(for p in $kids; do ps -o pid= --ppid "$p"; done | tr -d ' ')
		all+=("${more[@]}")
		kids="${more[*]}"
	done
	for p in "${all[@]}"; do
		[ -r "/proc/$p/status" ] || continue
		awk '$1 == "Uid:" && $2 != 65534 { bad = 1 }
		     $1 == "CapEff:" && $2 != "0000000000000000" { bad = 1 }
		     $1 == "CapBnd:" && $2 != "0000000000000000" { bad = 1 }
		     END { exit bad }' "/proc/$p/status" || bad+=" $p"
	done
	if [ "${#all[@]}" -lt "$min" ] || [ -n "$bad" ]; then
		echo "processes ${all[*]}, privileged:$bad"
		return 1
	fi
}
check "$R1: the node's processes run as 65534 with no capability" \
	procs_unprivileged "$(podman inspect "$C1" --format '{{.State.Pid}}')"

check "the readiness probe's command works (umnet exec $LAB.$R1 -- true)" \
	podman exec "$C1" umnet exec "$LAB.$R1" -- true
check "ping from $R1 to $R2 across the pods (L2TPv3 over UDP)" \
	podman exec "$C1" umnet exec "$LAB.$R1" -- ping -c 3 -i 0.2 -W 2 10.70.0.2
check "ping from $R3 to $R1 across the segment's switch pod" \
	busywait 60000 podman exec "$C3" umnet exec "$LAB.$R3" -- ping -c 1 -W 1 10.71.0.1
check "ping from $R2 to $R3 across the segment's switch pod" \
	podman exec "$C2" umnet exec "$LAB.$R2" -- ping -c 3 -i 0.2 -W 2 10.71.0.3
check "the switch runs as 65534 with no capability" \
	procs_unprivileged "$(podman inspect "$CS" --format '{{.State.Pid}}')" 1
sw_ports() {
	podman exec "$CS" umnet switch status --json -s /tmp/umnet-switch.sock |
		python3 -c 'import json, sys
s = json.load(sys.stdin)
p = [x for x in s["ports"] if x["l2tp"] and x["rx_frames"] > 0 and x["tx_frames"] > 0 and not x["bad_cookie"]]
assert len(p) == 3 and len(s["ports"]) == 3 and not s["l2tp_bad_session"], s'
}
check "the switch has a remote port per node, each with traffic" sw_ports
tests_out=$("$UMNET" lab test "$D/k.lab" --engine podman 2>&1)
rc=$?
passed() { [ "$rc" -eq 0 ] && grep -q "^lab $LAB: 17 passed, 0 failed, 0 skipped" <<<"$tests_out"; }
check "the lab's tests pass through podman exec: ${tests_out##*$'\n'}" passed
[ "$rc" -eq 0 ] || echo "$tests_out"

# r1's pod replaced, with another address (as when a cluster reschedules
# it): r2 at the other end of the wire follows it (follow = 1) once r1's
# node sends, and the segment's switch moves r1's port; nothing else is
# restarted
pod_ip() { podman inspect "$1" --format '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}'; }
IP1=$(pod_ip "$C1")
sub=$(podman network inspect "$NET" --format '{{range .Subnets}}{{.Subnet}}{{end}}')
NEWIP=${sub%.*}.$(( ${IP1##*.} == 200 ? 201 : 200 ))
check "$R1's pod replaced, at $NEWIP instead of $IP1" \
	timeout 120 podman kube play --replace --network "$NET" --ip "$NEWIP" "$D/out/$R1.yaml"
check "node $R1 boots in its new pod" busywait 90000 pod_ready "$R1"
C1=$(pod_ctr "$R1")
check "$R1's new pod has its new address" test "$(pod_ip "$C1")" = "$NEWIP"
check "ping from the new $R1 to $R2 across the wire ($R2 follows it)" \
	busywait 30000 podman exec "$C1" umnet exec "$LAB.$R1" -- ping -c 1 -W 1 10.70.0.2
check "ping from $R2 to the new $R1 across the wire" \
	podman exec "$C2" umnet exec "$LAB.$R2" -- ping -c 3 -i 0.2 -W 2 10.70.0.1
check "$R2's kernel says it follows $R1" \
	sh -c "podman exec '$C2' umnet exec '$LAB.$R2' -- dmesg | grep -q 'follow: the far end sends from a new address'"
check "ping from $R3 to the new $R1 across the segment's switch pod" \
	busywait 30000 podman exec "$C3" umnet exec "$LAB.$R3" -- ping -c 1 -W 1 10.71.0.1
tests_out=$("$UMNET" lab test "$D/k.lab" --engine podman 2>&1)
rc=$?
check "the lab's tests pass again: ${tests_out##*$'\n'}" passed
[ "$rc" -eq 0 ] || echo "$tests_out"

# SIGTERM (pod stop) shuts r2's node down cleanly; r1 then cannot reach it
check "podman pod stop: $R2 gets SIGTERM" \
	timeout 60 podman pod stop "$(podman inspect "$C2" --format '{{.Pod}}')"
check "$R2's node run shut the node down and exited 0" \
	test "$(podman inspect "$C2" --format '{{.State.ExitCode}}')" = 0
check "$R2's log says so" \
	sh -c "podman logs '$C2' 2>&1 | grep -q '^umnet: $LAB.$R2: Terminated: shutting the node down'"
tests_out=$("$UMNET" lab test "$D/k.lab" --engine podman 2>&1)
rc=$?
failed() { [ "$rc" -eq 1 ] && grep -q "^lab $LAB: .* [1-9][0-9]* failed" <<<"$tests_out"; }
check "with $R2 stopped the lab's tests fail (exit 1): ${tests_out##*$'\n'}" failed

check "podman kube down" timeout 120 podman kube down "$D/all.yaml"
# podman 4.3 keeps the volumes it made for the ConfigMaps (4.4 and later
# remove them with kube down --force): they carry the ConfigMap's name
left_vols=$(podman volume ls --format '{{.Name}}' | grep -xE "$R1|$R2|$R3" | paste -sd' ')
[ -z "$left_vols" ] || echo "NOTE: podman $(podman version --format '{{.Client.Version}}') kept the ConfigMap volumes: $left_vols (removed next)"
# shellcheck disable=SC2086 # names: [a-z0-9]
[ -z "$left_vols" ] || podman volume rm $left_vols >/dev/null
check "podman network rm $NET" podman network rm "$NET"
nothing_left_podman() {
	local left
	left=$({
		podman pod ls --filter "label=umnet.lab=$LAB" --format '{{.Name}}'
		podman ps -a --filter "label=umnet.lab=$LAB" --format '{{.Names}}'
		podman ps -a --format '{{.Names}}' | grep -E "$SFX"
		podman volume ls --format '{{.Name}}' | grep -E "$SFX"
		podman network ls --format '{{.Name}}' | grep -E "$SFX"
	} 2>&1)
	[ -z "$left" ] || { echo "left: $left"; return 1; }
}
check "nothing of the lab is left (pods, containers, volumes, networks)" nothing_left_podman

exit "$RET"
