#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make install DESTDIR=... PREFIX=...: every file lands where it should, the
# man pages render without warnings, the systemd unit is valid and runs the
# installed umnet on /etc/umnet/NAME.profile, and the installed tree, moved
# elsewhere, boots a profile with no UMNET_KERNEL/UMNET_ROOTFS set (it finds
# its kernel and root image through bin/../lib/umnet).
#
#   $T/root/usr/local/...  -- mv -->  $T/moved/{bin,lib/umnet,share}
#   node in$SFX (no interfaces) booted by $T/moved/bin/umnet
source "$(dirname "$0")/lib.sh"
require_root
require_built
require_command make

tmpdir T
out=$(make -s -C "$TOP" install BUILD="$BUILD" DESTDIR="$T/root" PREFIX=/usr/local 2>&1)
rc=$?
[ $rc -eq 0 ] && log_test 0 "make install DESTDIR=... PREFIX=/usr/local" ||
	{ log_fail "make install DESTDIR=... PREFIX=/usr/local" "$out"; exit 1; }

R=$T/root
missing=
for f in usr/local/bin/umnet usr/local/lib/umnet/linux usr/local/lib/umnet/linux.config \
	usr/local/lib/umnet/rootfs.img usr/local/share/man/man8/umnet.8 \
	usr/local/share/man/man5/umnet-profile.5 usr/local/share/man/man5/umnet-lab.5 \
	usr/local/share/bash-completion/completions/umnet \
	usr/local/lib/systemd/system/umnet@.service usr/local/share/doc/umnet/profile.md \
	usr/local/share/doc/umnet/transports/raw.md usr/local/share/doc/umnet/examples/router.profile; do
	[ -e "$R/$f" ] || missing+=" $f"
done
[ -d "$R/etc/umnet" ] || missing+=" etc/umnet/"
[ -z "$missing" ]
log_test $? "installed: binary, kernel, root image, man pages, completion, unit, docs${missing:+; missing:$missing}"

warn=
for p in "$R"/usr/local/share/man/man*/*; do
	warn+=$(MANWIDTH=80 man --warnings -l "$p" 2>&1 >/dev/null)
done
[ -z "$warn" ]
log_test $? "installed man pages render without a warning${warn:+: $warn}"

# the unit: the installed paths, and valid to systemd
U=$R/usr/local/lib/systemd/system/umnet@.service
grep -qx 'ExecStart=/usr/local/bin/umnet up --name %i --timeout 120 /etc/umnet/%i.profile' "$U" &&
	grep -qx 'ExecStop=/usr/local/bin/umnet down %i' "$U" &&
	! grep -q '@[A-Z]*@' "$U"
log_test $? "umnet@.service runs the installed umnet on /etc/umnet/%i.profile"
if command -v systemd-analyze >/dev/null; then
	# an instance of it; the binary and man pages are not installed on
	# this host, only in $R, which is all systemd may say
	mkdir "$T/unit"
	cp "$U" "$T/unit/"
	out=$(systemd-analyze verify "$T/unit/umnet@x.service" 2>&1 | grep -v "^$" |
		grep -v "Command /usr/local/bin/umnet is not executable\|Command 'man umnet")
	[ -z "$out" ]
	log_test $? "systemd-analyze verify umnet@x.service${out:+: $out}"
fi

# the unit's own ExecStart and ExecStop, run as systemd would for instance
# sd$SFX (paths into the staging tree): the instance name is the node's
# name whatever the profile says, and ExecStop removes it all
I=sd$SFX
printf '[appliance]\nname = other\nmem = 32M\n' >"$R/etc/umnet/$I.profile"
unit_cmd() { # unit_cmd KEY : that command line of the unit, for instance $I
	local c
	c=$(sed -n "s/^$1=//p" "$U")
	c=${c//%i/$I}
	c=${c//\/usr\/local\//$R/usr/local/}
	echo "${c//\/etc\//$R/etc/}"
}
NODE_LIST+=("$I")
# shellcheck disable=SC2046 # a unit's command line is split on spaces
check "umnet@$I.service: ExecStart boots node $I" \
	env -u UMNET_KERNEL -u UMNET_ROOTFS $(unit_cmd ExecStart)
check "umnet@$I.service: the node runs" "$UMNET" exec "$I" -- true
# shellcheck disable=SC2046
check "umnet@$I.service: ExecStop" env -u UMNET_KERNEL -u UMNET_ROOTFS $(unit_cmd ExecStop)
nothing_left "$I"
log_test $? "umnet@$I.service: nothing of the node is left after ExecStop"

# the tree moved elsewhere boots a profile; nothing tells it where it is
mv "$R/usr/local" "$T/moved"
N=in$SFX
printf '[appliance]\nname = %s\nmem = 32M\nloopback = 10.255.9.1/32\n' "$N" >"$T/$N.profile"
NODE_LIST+=("$N")
um() { env -u UMNET_KERNEL -u UMNET_ROOTFS -u KERNEL -u ROOTFS "$T/moved/bin/umnet" "$@"; }
check "the moved tree: umnet up (kernel and image from bin/../lib/umnet)" um up "$T/$N.profile"
out=$(um exec "$N" -- ip -4 -o addr show dev lo 2>&1)
[[ $out == *10.255.9.1/32* ]]
log_test $? "the node it booted has its profile's loopback 10.255.9.1/32"
check "the moved tree: umnet down" um down "$N"
nothing_left "$N"
log_test $? "nothing of the node is left"

# make uninstall removes every file make install put there
make -s -C "$TOP" install BUILD="$BUILD" DESTDIR="$T/u" PREFIX=/usr >/dev/null 2>&1 &&
	make -s -C "$TOP" uninstall BUILD="$BUILD" DESTDIR="$T/u" PREFIX=/usr >/dev/null 2>&1
rc=$?
left=$(find "$T/u" ! -type d)
[ $rc -eq 0 ] && [ -z "$left" ]
log_test $? "make uninstall removes every file${left:+; left: $left}"
exit $RET
