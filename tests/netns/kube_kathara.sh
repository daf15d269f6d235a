#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A Kathará lab as Kathará users write them (devices without image=, a
# NODE/ directory and shared/, .startup files) exported with `umnet lab
# export --kubernetes --debian` runs under `podman kube play` on an image
# made with IMAGE_DEBIAN=1: its devices run the Debian image, as `lab up`
# runs them, and the lab's directories reach the nodes (files.tar, opened
# by `umnet node run --unpack`), executables still executable.
#
#   podman network kk$SFX
#   +------------------------+  UDP 10000, L2TPv3  +------------------------+
#   | pod a$SFX: Debian UML  |<===================>| pod b$SFX: Debian UML  |
#   |  eth0 10.72.0.1/24     |                     |  eth0 10.72.0.2/24     |
#   +------------------------+                     +------------------------+
source "$(dirname "$0")/lib.sh"
require_root
require_built
require_podman
[ -e "$BUILD/debian.img" ] || skip_all "no Debian image in $BUILD (make debian-image)"

LAB=kk$SFX
A=a$SFX
B=b$SFX
NET=kk$SFX
IMAGE=localhost/umnet-test-debian:$SFX
tmpdir D
chmod 0755 "$D"

kube_cleanup() {
	[ ! -e "$D/all.yaml" ] || timeout 120 podman kube down "$D/all.yaml" >/dev/null 2>&1
	podman volume rm "$A" "$B" >/dev/null 2>&1
	podman network rm "$NET" >/dev/null 2>&1
	podman rmi "$IMAGE" >/dev/null 2>&1
}
trap 'kube_cleanup; cleanup' EXIT

K=$D/lab
mkdir -p "$K/$A/etc/kk" "$K/shared/etc/kk"
printf 'LAB_NAME=%s\n%s[0]="w"\n%s[0]="w"\n' "$LAB" "$A" "$B" >"$K/lab.conf"
echo "ip address add 10.72.0.1/24 dev eth0" >"$K/$A.startup"
echo "ip address add 10.72.0.2/24 dev eth0" >"$K/$B.startup"
printf '#!/bin/sh\necho hello-from-%s\n' "$A" >"$K/$A/etc/kk/hello"
chmod 0755 "$K/$A/etc/kk/hello"
echo "shared-by-all" >"$K/shared/etc/kk/shared.txt"

check "make image with the Debian image (IMAGE_DEBIAN=1) as $IMAGE" \
	env IMAGE_DEBIAN=1 bash "$TOP/scripts/image.sh" "$BUILD" "$IMAGE"
check "without --debian the Debian devices are refused, told how" \
	sh -c "! '$UMNET' lab export '$K' --kubernetes -o '$D/no' 2>&1 >/dev/null | grep -q 'export with --debian'"
check "umnet lab export --kubernetes --debian" \
	"$UMNET" lab export "$K" --kubernetes --debian -o "$D/out" --image "$IMAGE"
check "devices without image= run the Debian image, as lab up runs them" \
	sh -c "grep -q '^    image = debian$' '$D/out/$A.yaml' && grep -q '^    image = debian$' '$D/out/$B.yaml'"
check "$A's directory and shared/ travel as files.tar" \
	sh -c "grep -q '^  files.tar: ' '$D/out/$A.yaml' && grep -q -- '- /etc/umnet/node/files.tar=/tmp/umnet-files' '$D/out/$A.yaml'"
awk 'FNR == 1 && NR > 1 { print "---" } { print }' "$D/out/namespace.yaml" \
	"$D/out/$A.yaml" "$D/out/$B.yaml" >"$D/all.yaml"

check "podman network create $NET" podman network create "$NET"
check "podman kube play (runc, network $NET)" \
	timeout 120 podman kube play --network "$NET" "$D/all.yaml"
check "node $A boots in its pod" busywait 120000 pod_ready "$A"
check "node $B boots in its pod" busywait 120000 pod_ready "$B"
CA=$(pod_ctr "$A")
CB=$(pod_ctr "$B")
inside() { local c=$1 n=$2; shift 2; podman exec "$c" umnet exec "$LAB.$n" -- "$@"; }
check "$A runs the Debian image" inside "$CA" "$A" test -s /etc/debian_version
check "$A's directory: its executable runs there" \
	sh -c "podman exec '$CA' umnet exec '$LAB.$A' -- /etc/kk/hello | grep -qx 'hello-from-$A'"
check "shared/ reaches $B" \
	sh -c "podman exec '$CB' umnet exec '$LAB.$B' -- cat /etc/kk/shared.txt | grep -qx shared-by-all"
# the container's own files, from the host: its state dir is there, the
# unpacked tree is not (node run removes it once the config drive has it)
upper=$(podman inspect "$CA" --format '{{.GraphDriver.Data.UpperDir}}')
check "node run removed the unpacked tree once the node had it ($upper/tmp)" \
	sh -c "[ -d '$upper/tmp/umnet-65534' ] && [ ! -e '$upper/tmp/umnet-files' ]"
check "the .startup files ran: $A pings $B across the pods" \
	busywait 30000 inside "$CA" "$A" ping -c 1 -W 1 10.72.0.2

check "podman kube down" timeout 120 podman kube down "$D/all.yaml"
rm -f "$D/all.yaml"
# podman 4.3 keeps the volumes it made for the ConfigMaps (kube.sh)
podman volume rm "$A" "$B" >/dev/null 2>&1
check "podman network rm $NET" podman network rm "$NET"
check "podman rmi $IMAGE" podman rmi "$IMAGE"
nothing_left_podman() {
	local left
	left=$({
		podman pod ls --filter "label=umnet.lab=$LAB" --format '{{.Name}}'
		podman ps -a --format '{{.Names}}' | grep -E "$SFX"
		podman volume ls --format '{{.Name}}' | grep -E "$SFX"
		podman network ls --format '{{.Name}}' | grep -E "$SFX"
		podman images --format '{{.Repository}}:{{.Tag}}' | grep -E "$SFX"
	} 2>&1)
	[ -z "$left" ] || { echo "left: $left"; return 1; }
}
check "nothing of the lab is left (pods, containers, volumes, networks, image)" nothing_left_podman

exit "$RET"
