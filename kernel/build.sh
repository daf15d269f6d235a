#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the umnet UML kernel from Debian's linux-source-6.12 package.
#
#   kernel/build.sh [OUT]   builds (or reuses) the kernel and puts it at OUT
#
# Cache: $UMNET_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/umnet) holds the
# unpacked source (per package version) and one directory per kernel, named by
# the SHA-256 (openssl) of the package version plus the merged .config. A second
# run with the same source and fragments reuses the binary and builds nothing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../build/linux}
pkg=linux-source-6.12
tarball=/usr/src/$pkg.tar.xz
cache=${UMNET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/umnet}
jobs=${JOBS:-$(nproc)}

die() { echo "kernel: $*" >&2; exit 1; }
say() { echo "kernel: $*" >&2; }

[ -r "$tarball" ] || die "$tarball not found: install it with 'apt-get install $pkg' (or run scripts/install-deps.sh)"
version=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) || die "cannot read the version of $pkg"
command -v openssl >/dev/null || die "openssl not found: apt-get install openssl"

mkdir -p "$cache"
# one of us at a time in the cache: a second make (another clone, another
# user of the cache) waits for the first, then finds its kernel cached
exec 9>"$cache/.lock"
flock 9
src=$cache/src-$version
if [ ! -f "$src/.unpacked" ]; then
	say "unpacking $pkg $version into $src"
	rm -rf "$src.tmp" "$src"
	mkdir -p "$src.tmp"
	tar -xJf "$tarball" -C "$src.tmp" --strip-components=1
	touch "$src.tmp/.unpacked"
	mv "$src.tmp" "$src"
fi

# Merge the fragments over the arch default config in a scratch dir to get
# the exact .config, then hash it.
cfgdir=$(mktemp -d "$cache/config.XXXXXX")
trap 'rm -rf "$cfgdir"' EXIT
frags=("$here"/configs/*.config)
make -s -C "$src" O="$cfgdir" ARCH=um SUBARCH=x86_64 x86_64_defconfig >/dev/null
(cd "$cfgdir" && ARCH=um SUBARCH=x86_64 "$src/scripts/kconfig/merge_config.sh" \
	-m -O "$cfgdir" "$cfgdir/.config" "${frags[@]}" >/dev/null)
make -s -C "$src" O="$cfgdir" ARCH=um SUBARCH=x86_64 olddefconfig >/dev/null

# Every fragment line must have survived the merge: a symbol the kernel
# silently dropped (wrong name, unmet dependency) is a bug in our fragments.
bad=0
for f in "${frags[@]}"; do
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*)
			grep -qxF "$line" "$cfgdir/.config" || { say "$(basename "$f"): '$line' not in the final config"; bad=1; } ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }; sym=${sym%% *}
			if grep -q "^$sym=" "$cfgdir/.config"; then say "$(basename "$f"): '$sym' is still set"; bad=1; fi ;;
		esac
	done < "$f"
done
[ "$bad" -eq 0 ] || die "config fragments do not apply cleanly (see above)"

key=$( { echo "$pkg $version"; ls "$here"/patches/*.patch 2>/dev/null | sort | xargs -r cat; cat "$cfgdir/.config"; } |
	openssl dgst -sha256 -r | cut -c1-16)
kdir=$cache/kernel-$key
if [ -x "$kdir/linux" ]; then
	say "cached $kdir/linux ($pkg $version, config $key)"
else
	say "building UML kernel $pkg $version, config $key, -j$jobs (a few minutes)"
	bdir=$cache/build-$key
	mkdir -p "$bdir"
	cp "$cfgdir/.config" "$bdir/.config"
	# patches apply to a private copy of the source when there are any
	ksrc=$src
	if compgen -G "$here/patches/*.patch" >/dev/null; then
		ksrc=$cache/src-$version-$key
		if [ ! -f "$ksrc/.patched" ]; then
			rm -rf "$ksrc"; cp -a "$src" "$ksrc"
			for p in "$here"/patches/*.patch; do
				say "applying $(basename "$p")"
				patch -d "$ksrc" -p1 -s < "$p"
			done
			touch "$ksrc/.patched"
		fi
	fi
	start=$(date +%s)
	make -C "$ksrc" O="$bdir" ARCH=um SUBARCH=x86_64 olddefconfig >/dev/null
	# progress: one line per directory the build enters, plus the link
	make -C "$ksrc" O="$bdir" ARCH=um SUBARCH=x86_64 -j"$jobs" linux 2>&1 |
		awk '/^  (CC|LD|AR)/ { n++; if (n % 200 == 0) { printf "kernel: %d objects built\n", n; fflush() } }
		     /error:|Error [0-9]/ { print; fflush() }'
	[ -x "$bdir/linux" ] || die "build failed in $bdir (rerun: make -C $ksrc O=$bdir ARCH=um linux)"
	mkdir -p "$kdir.tmp"
	cp "$bdir/linux" "$kdir.tmp/linux"
	cp "$bdir/.config" "$kdir.tmp/config"
	echo "$pkg $version" > "$kdir.tmp/version"
	rm -rf "$kdir"; mv "$kdir.tmp" "$kdir"
	rm -rf "$bdir"
	say "built in $(( $(date +%s) - start )) s: $kdir/linux"
fi
mkdir -p "$(dirname "$out")"
# a hard link (or a copy), not a symlink: the cache may sit in a home
# directory that another user, or a node's jailed uid, cannot enter
for f in linux config; do
	dst=$out; [ "$f" = config ] && dst=$out.config
	# already that link (a second make): mv would refuse the same file
	[ "$kdir/$f" -ef "$dst" ] && continue
	rm -f "$dst.tmp"
	ln "$kdir/$f" "$dst.tmp" 2>/dev/null || cp "$kdir/$f" "$dst.tmp"
	chmod a+rX "$dst.tmp"
	mv -f "$dst.tmp" "$dst"
done
