#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages `make bench` needs on top of install-deps.sh:
# gnuplot (bench/plot.sh draws docs/img/*.png) and perf (profiling the
# forwarding path and the switch). Idempotent: installs only what is
# missing. Needs root (apt-get). Never run by `make check`.
set -euo pipefail

bench_pkgs=(gnuplot-nox linux-perf strace)

missing=()
for p in "${bench_pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "install-bench-deps: all packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "install-bench-deps: missing packages: ${missing[*]}" >&2
	echo "install-bench-deps: run as root, or: sudo apt-get install ${missing[*]}" >&2
	exit 1
fi

echo "install-bench-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
