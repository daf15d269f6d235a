#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make deb: build the Debian package from a copy of this tree with
# dpkg-buildpackage, check it with lintian (no errors), then unpack it with
# dpkg -x (nothing is installed on the host) and boot a profile with the
# unpacked umnet, which finds the unpacked kernel and root image through
# bin/../lib/umnet.
#
#   scripts/deb.sh OUTDIR          the .deb, .buildinfo and .changes land in OUTDIR
#   scripts/deb.sh --check OUTDIR  only lintian and the boot, of what is there
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=1
[ "${1:-}" = --check ] && { build=0; shift; }
out=${1:-$top/build/deb}
die() { echo "deb: $*" >&2; exit 1; }
say() { echo "deb: $*" >&2; }

for c in dpkg-buildpackage dh lintian; do
	command -v "$c" >/dev/null || die "$c not found: run scripts/install-deps.sh --deb"
done
version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
ours=$(grep -rh --include='*.h' --exclude-dir=build --exclude-dir=.git \
	'^#define UMNET_VERSION "' "$top" | head -1 | cut -d'"' -f2)
[ "$version" = "$ours" ] ||
	die "debian/changelog says $version, UMNET_VERSION is $ours: add a changelog entry (dch -v $ours)"

# a copy without build/ and .git, so the package builds from what is in
# the tree now, and dpkg-buildpackage's output lands in $out
if [ $build -eq 1 ]; then
	rm -rf "$out"
	src=$out/umnet-$version
	mkdir -p "$src"
	tar -C "$top" --exclude=./build --exclude=./.git -cf - . | tar -C "$src" -xf -
	say "dpkg-buildpackage in $src"
	(cd "$src" && dpkg-buildpackage -b -us -uc -j"$(nproc)")
fi
deb=$(ls "$out"/umnet_"$version"_*.deb) || die "no umnet_${version}_*.deb in $out: run make deb"

say "lintian $deb"
lintian --fail-on error --tag-display-limit 0 "$deb"

# the unpacked package boots a profile, as root, under a random name
say "dpkg -x $deb, boot a profile with the unpacked umnet"
tmp=$(mktemp -d)
name=deb$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
cleanup() {
	env -u UMNET_KERNEL -u UMNET_ROOTFS "$tmp/usr/bin/umnet" down "$name" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
dpkg -x "$deb" "$tmp"
for f in usr/bin/umnet usr/lib/umnet/linux usr/lib/umnet/rootfs.img \
	usr/share/man/man8/umnet.8.gz usr/share/man/man5/umnet-profile.5.gz \
	usr/share/man/man5/umnet-lab.5.gz usr/share/bash-completion/completions/umnet \
	lib/systemd/system/umnet@.service; do
	[ -e "$tmp/$f" ] || die "$f is not in $deb"
done
printf '[appliance]\nname = %s\nmem = 32M\nrun = true\n' "$name" >"$tmp/$name.profile"
env -u UMNET_KERNEL -u UMNET_ROOTFS -u KERNEL -u ROOTFS "$tmp/usr/bin/umnet" up "$tmp/$name.profile"
got=$(env -u UMNET_KERNEL -u UMNET_ROOTFS "$tmp/usr/bin/umnet" exec "$name" -- cat /proc/sys/kernel/hostname)
[ "$got" = "$name" ] || die "the node booted from $deb says its hostname is '$got', not $name"
env -u UMNET_KERNEL -u UMNET_ROOTFS "$tmp/usr/bin/umnet" down "$name"
say "ok: $deb (lintian: no errors; a profile boots from the unpacked package)"
