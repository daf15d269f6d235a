#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the umnet node root image: an ext4 filesystem holding busybox, the
# real network tools of the host (with their shared libraries), umnet-init
# as /sbin/init and umnet-agent, and a minimal /etc.
#
#   rootfs/build.sh OUT_IMG BINDIR
#
# BINDIR holds the static umnet-init and umnet-agent. No root privileges or
# loop mounts: the tree is staged in $(dirname OUT_IMG)/rootfs-stage and
# written with `mke2fs -d` (file owners are then set to root with debugfs
# when we are not root).
#
# Every node's COW file records the mtime of OUT_IMG, so rewriting it
# invalidates them all: the image is only rebuilt when a SHA-256 over every
# input (the host files and their contents, package versions, BINDIR's
# programs, this script) differs from the stamp kept in OUT_IMG.stamp.
set -euo pipefail

usage="usage: rootfs/build.sh OUT_IMG BINDIR"
out=${1:?$usage}
bindir=${2:?$usage}
script=$(readlink -f "${BASH_SOURCE[0]}")
headroom_mb=64

die() { echo "rootfs: $*" >&2; exit 1; }

# the real tools (image path = host path) and the packages they come from.
# Debian's busybox-static is built with FEATURE_SH_STANDALONE and
# FEATURE_PREFER_APPLETS: its ash and every applet that runs a program (env,
# xargs, timeout, find -exec, ...) would run the busybox `ip` and `tc`
# applets instead of iproute2. So /bin/sh is dash, the interactive shell is
# bash, and the usual program runners are the real ones too.
tools=(/usr/sbin/ip /usr/sbin/tc /usr/sbin/nft /usr/sbin/bird /usr/sbin/birdc
	/usr/sbin/birdcl /usr/bin/tcpdump /usr/bin/iperf3 /usr/sbin/ethtool
	/usr/bin/dash /usr/bin/bash
	/usr/bin/env /usr/bin/timeout /usr/bin/nice /usr/bin/nohup /usr/sbin/chroot
	/usr/bin/xargs /usr/bin/find /usr/bin/setsid /usr/bin/flock /usr/bin/taskset
	/usr/bin/nsenter /usr/bin/unshare /usr/bin/ionice /usr/bin/chrt
	/usr/bin/watch /usr/sbin/bpftool)
pkgs=(busybox-static iproute2 nftables bird2 tcpdump iperf3 libiperf0 ethtool bpftool
	dash bash coreutils findutils util-linux procps netbase ncurses-base
	e2fsprogs)
busybox=/bin/busybox
multiarch=/usr/lib/x86_64-linux-gnu

for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q 'install ok installed' ||
		die "package $p is missing: run scripts/install-deps.sh"
done
for f in "$busybox" "${tools[@]}"; do
	[ -x "$f" ] || die "$f not found: run scripts/install-deps.sh"
done
for f in umnet-init umnet-agent umnet; do
	[ -x "$bindir/$f" ] || die "$bindir/$f not found: run make tools first"
done
command -v openssl >/dev/null || die "openssl not found: apt-get install openssl"

# shared-library closure of the tools: ldd lists it transitively, loader too
for t in "${tools[@]}"; do
	! ldd "$t" | grep -q 'not found' ||
		die "$t: missing libraries: $(ldd "$t" | grep 'not found')"
done
libs=()
while read -r lib; do
	libs+=("$lib")
done < <(
	for t in "${tools[@]}" "$bindir/umnet"; do
		ldd "$t" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
	done | sort -u
)
[ ${#libs[@]} -gt 0 ] || die "ldd found no libraries"

# data: iproute2 tables, netem distributions, service names, terminfo
data=(/etc/services /etc/protocols)
while read -r f; do
	data+=("$f")
done < <(find /etc/iproute2 "$multiarch/tc" -type f ! -name '*.so' | sort)
for t in d/dumb l/linux v/vt100 v/vt102 v/vt220 x/xterm x/xterm-256color \
	x/xterm-color s/screen s/screen-256color; do
	[ -f "/usr/lib/terminfo/$t" ] && data+=("/usr/lib/terminfo/$t")
	[ -f "/usr/share/terminfo/$t" ] && data+=("/usr/share/terminfo/$t")
done

inputs=("$script" "$bindir/umnet-init" "$bindir/umnet-agent" "$bindir/umnet" "$busybox"
	"${tools[@]}" "${libs[@]}" "${data[@]}")
stamp=$(
	{
		echo "umnet-rootfs headroom=$headroom_mb"
		dpkg-query -W -f='${Package} ${Version}\n' "${pkgs[@]}"
		openssl dgst -sha256 -r "${inputs[@]}"
	} | openssl dgst -sha256 -r | cut -d' ' -f1
)

report() {
	local apparent used
	apparent=$(($(stat -c %s "$out") / 1048576))
	used=$(($(du -k "$out" | cut -f1) / 1024))
	echo "rootfs: $1 $out (${apparent} MiB, ${used} MiB on disk)"
}

if [ -f "$out" ] && [ -f "$out.stamp" ] &&
	[ "$(cat "$out.stamp")" = "$stamp" ]; then
	report "up to date:"
	exit 0
fi

outdir=$(dirname "$out")
mkdir -p "$outdir"
stage=$outdir/rootfs-stage
tmp=$out.tmp
rm -rf "$stage" "$tmp"
trap 'rm -rf "$stage" "$tmp" "$tmp.debugfs"' EXIT
mkdir -p "$stage"

# merged /usr as on the host, so /sbin/ip and /usr/sbin/ip are one file
mkdir -p "$stage"/usr/{bin,sbin,lib,lib64}
for d in bin sbin lib lib64; do
	ln -s "usr/$d" "$stage/$d"
done
mkdir -p "$stage"/{proc,sys,dev,run,tmp,root,etc/umnet} \
	"$stage"/{var/log,var/tmp,usr/local/bin}
chmod 0700 "$stage/root"
chmod 1777 "$stage/tmp" "$stage/var/tmp"
ln -s /run "$stage/var/run"

# copy a host file (following links) to the same path in the image
put() {
	local src=$1 dst=${2:-$1} mode=${3:-}
	mkdir -p "$stage$(dirname "$dst")"
	cp -L "$src" "$stage$dst"
	[ -z "$mode" ] || chmod "$mode" "$stage$dst"
}

# copy a host file and, when its path is a symlink, also the link to it
# (iproute2 reads libbpf's version from the name the soname points to)
put_linked() {
	local src=$1 real
	real=$(readlink -f "$src")
	put "$real"
	if [ "$real" != "$src" ] && [ ! -e "$stage$src" ]; then
		mkdir -p "$stage$(dirname "$src")"
		ln -s "$real" "$stage$src"
	fi
}

put "$busybox" /usr/bin/busybox 0755
for f in "${tools[@]}" "${libs[@]}"; do
	put_linked "$f"
done
for f in "${data[@]}"; do
	put "$f"
done
put "$bindir/umnet-init" /usr/sbin/init 0755
put "$bindir/umnet-agent" /usr/sbin/umnet-agent 0755
put "$bindir/umnet" /usr/sbin/umnet 0755

# /bin/sh is dash (see above)
ln -s dash "$stage/usr/bin/sh"

# busybox applets, except where a real tool (or our init) has the name
# (linuxrc is busybox init)
declare -A real=([init]=1 [linuxrc]=1 [sh]=1)
for t in "${tools[@]}"; do
	real[$(basename "$t")]=1
done
while read -r applet; do
	name=${applet##*/}
	[ -z "${real[$name]:-}" ] || continue
	dst=$stage/$applet
	if [ -e "$dst" ] || [ -L "$dst" ]; then
		continue
	fi
	mkdir -p "$(dirname "$dst")"
	ln -s /bin/busybox "$dst"
done < <("$busybox" --list-full)

# /etc
cat >"$stage/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
tcpdump:x:100:101:tcpdump:/nonexistent:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$stage/etc/group" <<'EOF'
root:x:0:
tty:x:5:
tcpdump:x:101:
nogroup:x:65534:
EOF
cat >"$stage/etc/shadow" <<'EOF'
root:*:19000:0:99999:7:::
tcpdump:!:19000::::::
nobody:!:19000::::::
EOF
chmod 0640 "$stage/etc/shadow"
cat >"$stage/etc/hosts" <<'EOF'
127.0.0.1	localhost
::1		localhost ip6-localhost ip6-loopback
EOF
cat >"$stage/etc/nsswitch.conf" <<'EOF'
passwd:		files
group:		files
shadow:		files
hosts:		files dns
networks:	files
protocols:	files
services:	files
ethers:		files
EOF
cat >"$stage/usr/lib/os-release" <<'EOF'
NAME="umnet"
ID=umnet
PRETTY_NAME="umnet network appliance (User Mode Linux)"
HOME_URL="https://example.invalid/umnet"
EOF
ln -s ../usr/lib/os-release "$stage/etc/os-release"
ln -s /proc/self/mounts "$stage/etc/mtab"
printf '/bin/sh\n' >"$stage/etc/shells"
: >"$stage/etc/fstab"
# bird's control socket is /run/bird/bird.ctl: umnet-init creates /run/bird
mkdir -p "$stage/etc/bird"

# size: what the tree uses plus headroom for logs, captures and COW growth
used_mb=$(($(du -sk "$stage" | cut -f1) / 1024))
size_mb=$((used_mb + headroom_mb))
uuid="${stamp:0:8}-${stamp:8:4}-4${stamp:13:3}-8${stamp:17:3}-${stamp:20:12}"
truncate -s "${size_mb}M" "$tmp"
mke2fs -q -F -t ext4 -b 4096 -I 256 -U "$uuid" -E "hash_seed=$uuid" \
	-d "$stage" -L umnet-root "$tmp"

# without root the staged files belong to us: make them root's in the image
if [ "$(id -u)" -ne 0 ]; then
	(cd "$stage" && find . -mindepth 1 -printf '/%P\n') |
		awk '{ printf "sif \"%s\" uid 0\nsif \"%s\" gid 0\n", $0, $0 }' \
			>"$tmp.debugfs"
	printf 'sif / uid 0\nsif / gid 0\n' >>"$tmp.debugfs"
	debugfs -w -f "$tmp.debugfs" "$tmp" >/dev/null 2>&1 ||
		die "debugfs could not set the file owners"
fi

mv -f "$tmp" "$out"
echo "$stamp" >"$out.stamp"
report "built"
