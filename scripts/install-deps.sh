#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages umnet needs to build and test itself;
# with --bench also what `make bench` needs on top (gnuplot draws
# docs/img/*.png, perf and strace profile the forwarding path and the
# switch; never needed by `make check`); with --deb what `make deb` needs
# (debhelper, lintian, chrpath).
# Idempotent: installs only what is missing. Needs root (apt-get).
set -euo pipefail

# build: compiler, libraries, kernel build tools
build_pkgs=(build-essential pkg-config bc bison flex libssl-dev libelf-dev xz-utils
	libmnl-dev libpcap-dev libbpf-dev linux-source-6.12 e2fsprogs)
# rootfs: the real appliance tools copied into the node image
rootfs_pkgs=(busybox-static iproute2 nftables bird2 tcpdump iperf3 ethtool bpftool)
# the Debian node image (rootfs/debian.sh): made by mmdebstrap
image_pkgs=(mmdebstrap)
# tests
test_pkgs=(iputils-ping procps psmisc clang jq
	buildah podman runc netavark aardvark-dns catatonit) # make image, tests/netns/kube.sh
bench_pkgs=()
case "${1:-}" in
--bench) bench_pkgs=(gnuplot-nox linux-perf strace) ;;
--deb) bench_pkgs=(debhelper dpkg-dev fakeroot lintian chrpath) ;;
"") ;;
*) echo "install-deps: unknown option $1 (--bench, --deb)" >&2; exit 2 ;;
esac

missing=()
for p in "${build_pkgs[@]}" "${rootfs_pkgs[@]}" "${image_pkgs[@]}" "${test_pkgs[@]}" ${bench_pkgs[@]+"${bench_pkgs[@]}"}; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: all packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages: ${missing[*]}" >&2
	echo "install-deps: run as root, or: sudo apt-get install ${missing[*]}" >&2
	exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
