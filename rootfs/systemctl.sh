#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# systemctl and service for the umnet Debian node image, where umnet-init is
# PID 1 and there is no systemd (docs/images.md). Installed as
# /usr/bin/systemctl; /usr/sbin/service is a link to it.
#
#   systemctl [--no-pager|-q|...] start|stop|restart|reload|try-restart|
#             reload-or-restart|status|is-active|enable|disable|is-enabled|
#             daemon-reload NAME[.service]...
#   service NAME start|stop|restart|reload|status|...   service --status-all
#
# A service NAME runs the package's own init script, /etc/init.d/NAME (so
# `systemctl start frr` runs frr's, which reads /etc/frr/daemons). Without
# one, the unit file (/etc/systemd/system, /lib/systemd/system) is read for
# what it needs: EnvironmentFile, Environment, RuntimeDirectory,
# ExecStartPre, ExecStart, ExecStop; a Type=simple/notify/exec/idle
# daemon is started in the background with its output in
# /var/log/NAME.log and its pid in /run/umnet-service/NAME.pid, a
# Type=forking/oneshot command is run and waited for.
# enable/disable/daemon-reload do nothing: nodes boot from their lab files.
# (No process substitution here: a node's /dev has no /dev/fd.)
set -u

me=${0##*/}
piddir=/run/umnet-service
unitdirs=(/etc/systemd/system /run/systemd/system /lib/systemd/system
	/usr/lib/systemd/system)

# Debian names that moved, and Quagga's, which FRR stands in for
aliases() {
	case "$1" in
	bind | bind9) echo named ;;
	quagga | zebra) echo frr ;;
	dhcpd | isc-dhcp-server4) echo isc-dhcp-server ;;
	apache) echo apache2 ;;
	bird2) echo bird ;;
	ssh) echo sshd ;;
	*) echo "$1" ;;
	esac
}

die() {
	echo "$me: $*" >&2
	exit 1
}

# the init script for NAME, or ""
initscript() {
	local n
	for n in "$1" "$(aliases "$1")"; do
		if [ -x "/etc/init.d/$n" ]; then
			echo "/etc/init.d/$n"
			return
		fi
	done
}

# the unit file for NAME, or ""
unitfile() {
	local n d
	for n in "$1" "$(aliases "$1")"; do
		for d in "${unitdirs[@]}"; do
			if [ -f "$d/$n.service" ]; then
				echo "$d/$n.service"
				return
			fi
		done
	done
}

# values of KEY= in the [Service] section of a unit file, one a line
unitkey() {
	awk -v key="$2" '
		/^\[/ { sec = $0; next }
		sec == "[Service]" && index($0, key "=") == 1 {
			print substr($0, length(key) + 2)
		}' "$1"
}

# run one Exec line: the prefixes -@:+! are dropped; "-" means a failure
# is ignored
execline() {
	local line=$1 ignore=0
	while :; do
		case "$line" in
		-*) ignore=1; line=${line#-} ;;
		[@:+!]*) line=${line#?} ;;
		*) break ;;
		esac
	done
	if [ "${2:-}" = bg ]; then
		setsid bash -c "exec $line" </dev/null >>"/var/log/$name.log" 2>&1 &
		echo $! >"$piddir/$name.pid"
		return 0
	fi
	bash -c "$line" || [ $ignore -eq 1 ]
}

unit_env() {
	local f v
	while read -r f; do
		[ -n "$f" ] || continue
		case "$f" in
		-*) f=${f#-}; [ -r "$f" ] || continue ;;
		esac
		set -a
		# shellcheck disable=SC1090
		. "$f"
		set +a
	done <<<"$(unitkey "$1" EnvironmentFile)"
	while read -r v; do
		[ -n "$v" ] || continue
		eval "export $v"
	done <<<"$(unitkey "$1" Environment)"
	while read -r v; do
		for d in $v; do
			mkdir -p "/run/$d"
		done
	done <<<"$(unitkey "$1" RuntimeDirectory)"
}

unit_pid() {
	local pid
	[ -r "$piddir/$name.pid" ] || return 1
	pid=$(cat "$piddir/$name.pid")
	kill -0 "$pid" 2>/dev/null && echo "$pid"
}

unit_start() {
	local u=$1 type line
	type=$(unitkey "$u" Type | tail -n1)
	mkdir -p "$piddir"
	if unit_pid >/dev/null; then
		return 0
	fi
	(
		unit_env "$u"
		while read -r line; do
			[ -n "$line" ] || continue
			execline "$line" || exit 1
		done <<<"$(unitkey "$u" ExecStartPre)"
		case "${type:-simple}" in
		forking | oneshot)
			while read -r line; do
				[ -n "$line" ] || continue
				execline "$line" || exit 1
			done <<<"$(unitkey "$u" ExecStart)"
			;;
		*)
			line=$(unitkey "$u" ExecStart | tail -n1)
			[ -n "$line" ] || exit 1
			execline "$line" bg
			;;
		esac
	)
}

unit_stop() {
	local u=$1 line pid
	pid=$(unit_pid) || pid=
	line=$(unitkey "$u" ExecStop | tail -n1)
	if [ -n "$line" ]; then
		MAINPID=$pid execline "$line"
	elif [ -n "$pid" ]; then
		kill "$pid"
	fi
	rm -f "$piddir/$name.pid"
	return 0
}

# ACTION NAME: 0 on success, 3 when status finds it stopped
act() {
	local action=$1 script unit
	name=${2%.service}
	script=$(initscript "$name")
	if [ -n "$script" ]; then
		case "$action" in
		is-active)
			"$script" status >/dev/null 2>&1 && { echo active; return 0; }
			echo inactive
			return 3
			;;
		try-restart | reload-or-restart) action=restart ;;
		esac
		"$script" "$action"
		return
	fi
	unit=$(unitfile "$name")
	[ -n "$unit" ] || { echo "$me: unit $name.service not found" >&2; return 5; }
	case "$action" in
	start) unit_start "$unit" ;;
	stop) unit_stop "$unit" ;;
	restart | try-restart | reload-or-restart | force-reload)
		unit_stop "$unit"
		unit_start "$unit"
		;;
	reload)
		local line pid
		pid=$(unit_pid) || pid=
		line=$(unitkey "$unit" ExecReload | tail -n1)
		if [ -n "$line" ]; then
			MAINPID=$pid execline "$line"
		elif [ -n "$pid" ]; then
			kill -HUP "$pid"
		fi
		;;
	status | is-active)
		if unit_pid >/dev/null; then
			[ "$action" = status ] &&
				echo "$name.service: active (running), pid $(unit_pid)" ||
				echo active
			return 0
		fi
		[ "$action" = status ] && echo "$name.service: inactive" ||
			echo inactive
		return 3
		;;
	*) die "$action: not supported" ;;
	esac
}

if [ "$me" = service ]; then
	case "${1:-}" in
	--status-all)
		for s in /etc/init.d/*; do
			[ -x "$s" ] || continue
			if "$s" status >/dev/null 2>&1; then
				echo " [ + ]  ${s##*/}"
			else
				echo " [ - ]  ${s##*/}"
			fi
		done
		exit 0
		;;
	"" | -*) die "usage: service NAME ACTION | service --status-all" ;;
	esac
	[ $# -ge 2 ] || die "usage: service NAME ACTION"
	n=$1
	shift
	act "$1" "$n"
	exit
fi

args=()
for a in "$@"; do
	case "$a" in
	-*) ;; # --no-pager, -q, --now, ...: nothing to change here
	*) args+=("$a") ;;
	esac
done
[ ${#args[@]} -ge 1 ] || die "usage: systemctl start|stop|restart|status NAME..."
action=${args[0]}
case "$action" in
daemon-reload | daemon-reexec | reset-failed) exit 0 ;;
enable | disable | mask | unmask | is-enabled)
	[ "$action" = is-enabled ] && echo static
	exit 0
	;;
esac
[ ${#args[@]} -ge 2 ] || die "usage: systemctl $action NAME..."
rc=0
for n in "${args[@]:1}"; do
	act "$action" "$n" || rc=$?
done
exit $rc
