#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /etc/init.d/quagga (and zebra) in the umnet Debian image: FRR stands in
# for Quagga (docs/kathara.md). Labs written for Quagga put their files in
# /etc/quagga (daemons, zebra.conf, ospfd.conf, ...); FRR reads the same
# formats from /etc/frr. Copy them over, then run FRR's own init script.
if [ -d /etc/quagga ] && { [ "$1" = start ] || [ "$1" = restart ]; }; then
	for f in /etc/quagga/daemons /etc/quagga/*.conf; do
		[ -f "$f" ] || continue
		cp "$f" /etc/frr/
		case "$f" in
		# per-daemon files: FRR then reads them, not the integrated one
		*/zebra.conf | */ospfd.conf | */ripd.conf | */bgpd.conf | \
			*/ospf6d.conf | */ripngd.conf | */isisd.conf)
			rm -f /etc/frr/frr.conf
			;;
		esac
	done
	chown -R frr:frr /etc/frr 2>/dev/null
fi
exec /etc/init.d/frr "$@"
