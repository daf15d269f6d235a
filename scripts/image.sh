#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make image: an OCI image of umnet, built without Docker (buildah, from
# scratch): the umnet binary, the kernel, the root image, mke2fs (the config
# drive), and the shared libraries they load with the loader; nothing else
# (no shell). Entrypoint `umnet node run`, user 65534.
#
#   scripts/image.sh BUILD [IMAGE]      IMAGE defaults to localhost/umnet:latest
#
# IMAGE_DEBIAN=1 adds the Debian image (BUILD/debian.img, make
# debian-image) for nodes with image = debian: export with --debian.
#
# buildah, podman and runc come from Debian (scripts/install-deps.sh).
# CONTAINERS_CONF points at dist/podman/containers.conf.
set -euo pipefail

BUILD=${1:?usage: image.sh BUILD [IMAGE]}
IMAGE=${2:-localhost/umnet:latest}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$ROOT/dist/podman/containers.conf}

die() { echo "image.sh: $*" >&2; exit 1; }
cmd() { echo "[#] $*" >&2; "$@"; }

command -v buildah >/dev/null || die "buildah is missing: apt-get install buildah podman runc"
for f in "$BUILD/umnet" "$BUILD/linux" "$BUILD/rootfs.img"; do
	[ -e "$f" ] || die "$f is missing: make all first"
done
images=minimal
if [ -n "${IMAGE_DEBIAN:-}" ]; then
	[ -e "$BUILD/debian.img" ] || die "$BUILD/debian.img is missing: make debian-image first"
	images=minimal,debian
fi
MKE2FS=$(command -v mke2fs || echo /sbin/mke2fs)
[ -x "$MKE2FS" ] || die "mke2fs is missing: apt-get install e2fsprogs"

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/umnet-image.XXXXXX")
ctr=
cleanup() {
	[ -z "$ctr" ] || buildah rm "$ctr" >/dev/null 2>&1 || true
	rm -rf "$STAGE"
}
trap cleanup EXIT

# the files, each at its path in the image
install -d -m 0755 "$STAGE/usr/bin" "$STAGE/usr/sbin" "$STAGE/usr/lib/umnet" \
	"$STAGE/etc" "$STAGE/etc/umnet/node" "$STAGE/lib64"
install -d -m 1777 "$STAGE/tmp"
install -m 0755 "$BUILD/umnet" "$STAGE/usr/bin/umnet"
install -m 0755 "$(readlink -f "$BUILD/linux")" "$STAGE/usr/lib/umnet/linux"
[ ! -e "$BUILD/linux.config" ] || install -m 0644 "$(readlink -f "$BUILD/linux.config")" "$STAGE/usr/lib/umnet/linux.config"
install -m 0644 "$BUILD/rootfs.img" "$STAGE/usr/lib/umnet/rootfs.img"
[ "$images" = minimal ] ||
	install -m 0644 "$(readlink -f "$BUILD/debian.img")" "$STAGE/usr/lib/umnet/debian.img"
install -m 0755 "$(readlink -f "$MKE2FS")" "$STAGE/usr/sbin/mke2fs"
[ ! -e /etc/mke2fs.conf ] || install -m 0644 /etc/mke2fs.conf "$STAGE/etc/mke2fs.conf"

# every shared library the binaries load, and the loader, at their paths
libs=$(for b in "$BUILD/umnet" "$BUILD/linux" "$MKE2FS"; do
	ldd "$(readlink -f "$b")" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
done | sort -u)
for l in $libs; do
	install -D -m 0755 "$(readlink -f "$l")" "$STAGE$l"
done

cat >"$STAGE/etc/passwd" <<'EOT'
root:x:0:0:root:/root:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOT
cat >"$STAGE/etc/group" <<'EOT'
root:x:0:
nogroup:x:65534:
EOT
echo 'hosts: files dns' >"$STAGE/etc/nsswitch.conf"

ctr=$(cmd buildah from --name "umnet-image-$$" scratch)
cmd buildah copy --quiet "$ctr" "$STAGE" / >/dev/null
cmd buildah config --entrypoint '["/usr/bin/umnet","node","run"]' --cmd '' \
	--user 65534:65534 --workingdir /tmp \
	--env PATH=/usr/bin:/usr/sbin --env TMPDIR=/tmp \
	--label org.opencontainers.image.title=umnet \
	--label org.opencontainers.image.description="umnet: one UML network node per container (umnet node run)" \
	--label org.umnet.images="$images" \
	"$ctr"
cmd buildah commit --quiet --rm "$ctr" "$IMAGE" >/dev/null
ctr=
echo "image $IMAGE ($images): $(buildah images --format '{{.Size}}' "$IMAGE" | head -1)"
