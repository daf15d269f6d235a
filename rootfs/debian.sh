#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the Debian node image (docs/images.md): a Debian userland made by
# mmdebstrap from Debian's archive, holding what course labs start (FRR,
# bird2, apache2, bind9, isc-dhcp, bridge-utils, ...), with umnet-init as
# /sbin/init, umnet-agent, umnet itself and a systemctl/service shim
# (rootfs/systemctl.sh) instead of systemd.
#
#   rootfs/debian.sh OUT BINDIR
#
# OUT (build/debian.img) becomes a symlink to the image in the cache,
# $UMNET_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/umnet), in two steps:
#   debian-base-KEY.tar  mmdebstrap's tree; KEY = SHA-256 of the suite, the
#                        package list (rootfs/debian.packages plus
#                        $UMNET_IMAGE_PACKAGES) and this script. Minutes.
#   debian-KEY2.img      the ext4 image; KEY2 = KEY plus the shims
#                        (systemctl.sh, quagga.sh) and BINDIR's umnet-init,
#                        umnet-agent, umnet. Seconds.
# No loop mounts: the tree is staged in a directory and written with
# `mke2fs -d`. mmdebstrap needs root here (its chroot mode), as apt-get.
# Every node's COW file records the mtime of its base image, so an image is
# never rewritten in place: a new key makes a new file; the three newest
# images (and all from the last two days) and two newest trees are kept.
set -euo pipefail

usage="usage: rootfs/debian.sh OUT BINDIR"
out=${1:?$usage}
bindir=${2:?$usage}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
script=$here/debian.sh
shim=$here/systemctl.sh
quagga=$here/quagga.sh
listfile=$here/debian.packages
suite=${UMNET_DEBIAN_SUITE:-bookworm}
cache=${UMNET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/umnet}
headroom_mb=128

die() { echo "debian-image: $*" >&2; exit 1; }
say() { echo "debian-image: $*" >&2; }

command -v mmdebstrap >/dev/null ||
	die "mmdebstrap not found: run scripts/install-deps.sh (apt-get install mmdebstrap)"
command -v openssl >/dev/null || die "openssl not found: apt-get install openssl"
command -v mke2fs >/dev/null || die "mke2fs not found: apt-get install e2fsprogs"
for f in umnet-init umnet-agent umnet; do
	[ -x "$bindir/$f" ] || die "$bindir/$f not found: run make tools first"
done

# the package list: the file's, then the extra ones (spaces or commas)
pkgs=()
while read -r p _; do
	case "$p" in '' | '#'*) continue ;; esac
	pkgs+=("$p")
done <"$listfile"
extra=${UMNET_IMAGE_PACKAGES:-}
for p in ${extra//,/ }; do
	[[ $p =~ ^[a-z0-9][a-z0-9.+-]+$ ]] ||
		die "UMNET_IMAGE_PACKAGES: \"$p\" is not a Debian package name"
	pkgs+=("$p")
done
mapfile -t pkgs < <(printf '%s\n' "${pkgs[@]}" | sort -u)

key=$( {
	echo "umnet-debian suite=$suite"
	printf '%s\n' "${pkgs[@]}"
	cat "$script"
} | openssl dgst -sha256 -r | cut -c1-16)
key2=$( {
	echo "$key headroom=$headroom_mb"
	openssl dgst -sha256 -r "$shim" "$quagga" "$bindir/umnet-init" \
		"$bindir/umnet-agent" "$bindir/umnet" | cut -d' ' -f1
} | openssl dgst -sha256 -r | cut -c1-16)
base=$cache/debian-base-$key.tar
img=$cache/debian-$key2.img

link() {
	mkdir -p "$(dirname "$out")"
	ln -sfn "$img" "$out"
	say "$1 $img ($(($(stat -c %s "$img") / 1048576)) MiB, $(($(du -k "$img" | cut -f1) / 1024)) MiB on disk) -> $out"
}

if [ -f "$img" ]; then
	link "cached"
	exit 0
fi

[ "$(id -u)" -eq 0 ] ||
	die "building the image needs root (mmdebstrap's chroot, file owners of the packages' users): run make as root once; the image is cached in $cache"

mkdir -p "$cache"
tmpdir=$(mktemp -d "$cache/debian-build.XXXXXX")
trap 'rm -rf "$tmpdir"' EXIT

if [ ! -f "$base" ]; then
	say "mmdebstrap $suite: ${#pkgs[*]} packages (a few minutes; cached as $base)"
	t0=$(date +%s)
	inc=$(
		IFS=,
		echo "${pkgs[*]}"
	)
	# no docs, man pages, locales: the image stays small
	# shellcheck disable=SC2016 # $1 is the hook's, not ours
	mmdebstrap --variant=apt --include="$inc" \
		--aptopt='APT::Install-Recommends "false"' \
		--dpkgopt='path-exclude=/usr/share/man/*' \
		--dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-include=/usr/share/doc/*/copyright' \
		--dpkgopt='path-exclude=/usr/share/info/*' \
		--dpkgopt='path-exclude=/usr/share/locale/*' \
		--dpkgopt='path-include=/usr/share/locale/locale.alias' \
		--dpkgopt='path-exclude=/usr/share/lintian/*' \
		--customize-hook='rm -rf "$1"/var/cache/apt/*.bin "$1"/var/lib/apt/lists/* "$1"/var/log/*.log "$1"/var/log/apt/*' \
		"$suite" "$tmpdir/base.tar" ||
		die "mmdebstrap failed"
	mv "$tmpdir/base.tar" "$base"
	say "mmdebstrap took $(($(date +%s) - t0)) s"
fi

stage=$tmpdir/stage
mkdir "$stage"
tar -C "$stage" --numeric-owner -xpf "$base"

# umnet's init, agent and CLI, as in the minimal image (rootfs/build.sh)
install -m 0755 "$bindir/umnet-init" "$stage/usr/sbin/init"
install -m 0755 "$bindir/umnet-agent" "$stage/usr/sbin/umnet-agent"
install -m 0755 "$bindir/umnet" "$stage/usr/sbin/umnet"
# systemctl and service without systemd
install -m 0755 "$shim" "$stage/usr/bin/systemctl"
rm -f "$stage/usr/sbin/service"
ln -s ../bin/systemctl "$stage/usr/sbin/service"
# the init script names older labs call: Netkit's bind; Quagga's, which
# FRR stands in for (rootfs/quagga.sh reads /etc/quagga)
install -m 0755 "$quagga" "$stage/etc/init.d/quagga"
for a in bind:named bind9:named zebra:quagga; do
	if [ -e "$stage/etc/init.d/${a#*:}" ] && [ ! -e "$stage/etc/init.d/${a%%:*}" ]; then
		ln -s "${a#*:}" "$stage/etc/init.d/${a%%:*}"
	fi
done
cat >"$stage/etc/hosts" <<'EOF'
127.0.0.1	localhost
::1		localhost ip6-localhost ip6-loopback
EOF
: >"$stage/etc/resolv.conf"
: >"$stage/etc/fstab"
rm -f "$stage/etc/hostname" "$stage/etc/machine-id"
mkdir -p "$stage/etc/umnet" "$stage/hostlab"

used_mb=$(($(du -sk "$stage" | cut -f1) / 1024))
size_mb=$((used_mb + headroom_mb))
uuid=$(echo "$key2" | openssl dgst -sha256 -r | cut -c1-32)
uuid="${uuid:0:8}-${uuid:8:4}-4${uuid:13:3}-8${uuid:17:3}-${uuid:20:12}"
truncate -s "${size_mb}M" "$tmpdir/img"
mke2fs -q -F -t ext4 -b 4096 -I 256 -U "$uuid" -E "hash_seed=$uuid" \
	-d "$stage" -L umnet-debian "$tmpdir/img"
mv -f "$tmpdir/img" "$img"
link "built"

# every change to umnet makes a new image: remove those older than two
# days beyond the newest three, and trees beyond the newest two (other
# trees sharing the cache may use a recent image: leave them theirs; a
# node still running on a removed image keeps it open)
prune() { # prune KEEP DAYS GLOB...
	local keep=$1 days=$2 f
	shift 2
	# shellcheck disable=SC2012 # our own names: no odd characters
	ls -1t "$@" 2>/dev/null | tail -n +$((keep + 1)) | while read -r f; do
		[ -z "$(find "$f" -mtime +"$days")" ] && continue
		say "removing the old $f"
		rm -f "$f"
	done
}
prune 3 2 "$cache"/debian-[0-9a-f]*.img
prune 2 0 "$cache"/debian-base-*.tar
