#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot the real UML kernel under jail_enter (tests/manual/jailrun.c), by hand,
# to see what it needs from the host. Not part of `make check`. Needs root,
# `make` done (build/linux, build/rootfs.img).
#
#   [KERNEL=PATH] tests/manual/jail-uml.sh [EXTRA JAILRUN OPTIONS...]
#
# The jail: uid 2000000001, a tmpfs root holding only the kernel (ro), its
# two shared libraries (ro), a copy of the rootfs image (ro), /proc/cpuinfo
# (ro), /dev/null, a private devpts, the state directory (rw, owned by the
# uid), a 128 MiB /tmp for the guest memory; seccomp on, no capabilities,
# its own cgroup (256 MiB). Prints the UML process's credentials as /proc
# shows them, the console lines that matter, and the cgroup's peak memory.
set -euo pipefail

die() { echo "jail-uml: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (it sets up the jail)"
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$top/build
kernel=$(readlink -f "${KERNEL:-$build/linux}" 2>/dev/null) || die "no $build/linux: run make"
[ -x "$kernel" ] || die "no kernel at ${KERNEL:-$build/linux}: run make"
[ -f "$build/rootfs.img" ] || die "no $build/rootfs.img: run make"

objs=()
for o in "$build"/obj/{src,transports,netstack,bpf}/*.o; do
	[ -e "$o" ] && [ "${o##*/}" != umnet.o ] && objs+=("$o")
done
read -ra libs <<<"$(pkg-config --libs libmnl libpcap libcrypto)"
cc -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -I"$top/src" \
	-I"$top/netstack" -O2 -g -o "$build/jailrun" \
	"$top/tests/manual/jailrun.c" "${objs[@]}" "${libs[@]}"

w=$(mktemp -d /tmp/umnet-jailuml-XXXXXX)
uml_pid=""
cleanup() {
	[ -n "$uml_pid" ] && kill -9 "$uml_pid" 2>/dev/null
	rm -rf "$w"
}
trap cleanup EXIT
chmod 755 "$w"
cp --sparse=always "$build/rootfs.img" "$w/rootfs.img"
mkdir "$w/root" "$w/state"
uid=2000000001
chown "$uid:$uid" "$w/state"
chmod 700 "$w/state"
ld=$(readlink -f /lib64/ld-linux-x86-64.so.2)
libc=$(ldd "$kernel" | awk '/libc.so/ { print $3 }')

setarch "$(uname -m)" -R "$build/jailrun" -u $uid -r "$w/root" \
	-B "$kernel" -B /lib64/ld-linux-x86-64.so.2 -B "$ld" -B "$libc" \
	-B "$w/rootfs.img" -B /proc/cpuinfo -b /dev/null -p \
	-b "$w/state" -t 128 -C "$w/state" -c "jailuml$$:256" "$@" -- \
	"$kernel" mem=64M umid=jt uml_dir="$w/state/uml" \
	ubd0="$w/state/root.cow,$w/rootfs.img" root=/dev/ubda rw \
	con=null con0=null,fd:1 con1=pts ssl=null \
	>"$w/console.txt" 2>&1 &
jailrun=$!

# the kernel writes its pid file early in boot: show its credentials
for _ in $(seq 100); do
	[ -s "$w/state/uml/jt/pid" ] && break
	sleep 0.05
done
if [ -s "$w/state/uml/jt/pid" ]; then
	uml_pid=$(cat "$w/state/uml/jt/pid")
	echo "UML process $uml_pid as /proc shows it:"
	grep -E '^(Uid|Gid|Groups|Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):' \
		"/proc/$uml_pid/status" 2>/dev/null | sed 's/^/  /' ||
		echo "  (already gone)"
	grep -E 'memory|pids' "/proc/$uml_pid/cgroup" 2>/dev/null | sed 's/^/  /' || true
fi
wait "$jailrun" && rc=0 || rc=$?
uml_pid=""
echo "jailrun exit code $rc; console lines of interest:"
grep -E 'jailrun:|Checking|Failed|failed|error|No pseudo|Run /sbin/init|Kernel panic|tempdir' \
	"$w/console.txt" | sed 's/^/  /'
