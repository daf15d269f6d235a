#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Course-style Kathará labs on the Debian node image (docs/images.md,
# docs/kathara.md): routers and servers run image=kathara/..., hosts have
# no image= (Kathará's default, kathara/base: the Debian image too).
#
#   ospf:  pc1 --A-- r1 ==B== r2 --C-- pc2        FRR ospfd, area 0
#   rip:   pc1 --A-- r1 --B-- r2 --C-- r3 --D-- pc3   FRR ripd (kathara/quagga)
#   bgp:   pc1 --A-- r1 (AS 65001) --B-- r2 (AS 65002) --C-- pc2   FRR bgpd
#   quagga: (L1) r1 --A-- r2 (L2)                  kathara/quagga, /etc/quagga
#   webserver:  client --LAN-- server (apache2, page from lab/server/)
#   brctl: h1..h4 (fixed MACs) --A..D-- sw (br0 made with brctl)
#
# plus the image itself: its tools, and systemctl/service without systemd.
# Every wait is bounded: the labs must converge in seconds.
source "$(dirname "$0")/lib.sh"
require_root
require_built
export UMNET_DEBIAN_IMAGE=${UMNET_DEBIAN_IMAGE:-$BUILD/debian.img}
[ -e "$UMNET_DEBIAN_IMAGE" ] ||
	{ echo "$UMNET_DEBIAN_IMAGE missing: run make debian-image"; exit 1; }

K=$TOP/tests/kathara
ex() { "$UMNET" exec "$@" 2>&1; }
kup() { # kup DIR NAME: lab up --name NAME, remembered for cleanup
	LAB_LIST+=("$2")
	"$UMNET" lab up "$1" --name "$2"
}
# lab_up_or_die WHAT DIR NAME: bring a lab up, print its time
lab_up_or_die() {
	local what=$1 t0 out rc
	t0=$(date +%s%N)
	out=$(kup "$2" "$3" 2>&1)
	rc=$?
	log_test $rc "$what: lab up ($(( ($(date +%s%N) - t0) / 1000000 )) ms)"
	[ $rc -eq 0 ] || { printf '%s\n' "$out"; exit 1; }
}
# converged WHAT MS CMD...: CMD succeeds within MS, the time is shown
converged() {
	local what=$1 ms=$2 t0
	shift 2
	t0=$(date +%s%N)
	busywait "$ms" "$@"
	log_test $? "$what ($(( ($(date +%s%N) - t0) / 1000000 )) ms)"
}
lab_down() { # lab_down WHAT NAME
	"$UMNET" lab down "$2" >/dev/null 2>&1
	log_test $? "$1: lab down"
}
pings() { # pings WHAT NODE ADDR
	check "$1" "$UMNET" exec "$2" -- ping -c 1 -W 2 "$3"
}
vtysh_has() { # vtysh_has NODE CMD REGEX
	ex "$1" -- vtysh -c "$2" | grep -Eq "$3"
}
route_has() { # route_has NODE PREFIX REGEX
	ex "$1" -- ip route show "$2" | grep -Eq "$3"
}

# --- image = in a profile --------------------------------------------------
tmpdir T
P=dpi$SFX
printf '[appliance]\nname = %s\nimage = debian\n' "$P" >"$T/deb.profile"
"$UMNET" cmdline "$T/deb.profile" | grep -q "ubd0=[^ ]*,$(readlink -f "$UMNET_DEBIAN_IMAGE")\( \|$\)"
log_test $? "profile: image = debian is the Debian image on ubd0"
ln -s "$BUILD/rootfs.img" "$T/mine.img"
printf '[appliance]\nname = %s\nimage = mine.img\n' "$P" >"$T/path.profile"
"$UMNET" cmdline "$T/path.profile" | grep -q "ubd0=[^ ]*,$T/mine.img\( \|$\)"
log_test $? "profile: image = PATH, relative to the profile"
# nameserver = is written after the files: it wins over a copied resolv.conf
printf 'nameserver 198.51.100.1\n' >"$T/resolv.conf"
printf '[appliance]\nname = %s\nimage = debian\nfile = resolv.conf /etc/resolv.conf\nnameserver = 192.0.2.53\n' "$P" >"$T/ns.profile"
check "profile: a Debian node with nameserver = and a resolv.conf file = boots" \
	node_up "$T/ns.profile"
[ "$(ex "$P" -- grep '^nameserver' /etc/resolv.conf)" = "nameserver 192.0.2.53" ]
log_test $? "profile: nameserver = wins over the resolv.conf that file = copies in"
check "profile: down" "$UMNET" down "$P"
printf '[appliance]\nname = %s\nimage = nothere.img\n' "$P" >"$T/bad.profile"
out=$("$UMNET" up "$T/bad.profile" 2>&1)
[ $? -eq 1 ] && grep -q "image $T/nothere.img: No such file or directory" <<<"$out" &&
	[ ! -e "/run/umnet/$P" ]
log_test $? "profile: a missing image is an error naming it, nothing made"

# --- ospf ------------------------------------------------------------------
O=dos$SFX
lab_up_or_die "ospf" "$K/ospf" "$O"
[ "$(ex "$O/r1" -- cat /etc/debian_version | cut -d. -f1)" -ge 12 ] &&
	ex "$O/pc1" -- test -e /etc/debian_version
log_test $? "ospf: r1 (kathara/frr) and pc1 (no image=) run the Debian image"
tools="vtysh zebra ospfd bgpd ripd bird birdc apache2 named dig dhcpd dhclient brctl ip iptables nft ifconfig tcpdump traceroute iperf3 curl bash"
missing=$(ex "$O/r1" -- bash -c "PATH=/usr/lib/frr:\$PATH; for t in $tools; do command -v \$t >/dev/null || echo \$t; done")
[ -z "$missing" ]
log_test $? "ospf: the Debian image has $tools${missing:+ (missing: $missing)}"
converged "ospf: r1's neighbor r2 is Full" 20000 \
	vtysh_has "$O/r1" "show ip ospf neighbor" '^2\.2\.2\.2 .*Full'
converged "ospf: r1 has r2's LAN 10.10.2.0/24 from OSPF" 10000 \
	route_has "$O/r1" 10.10.2.0/24 'via 10\.10\.12\.2 dev eth1 proto ospf'
vtysh_has "$O/r2" "show ip route ospf" '^O>\* 10\.10\.1\.0/24 .* via 10\.10\.12\.1'
log_test $? "ospf: r2's vtysh shows r1's LAN as an OSPF route"
pings "ospf: pc1 pings pc2 across both routers" "$O/pc1" 10.10.2.10
ex "$O/r1" -- systemctl status frr | grep -q ospfd
log_test $? "ospf: systemctl status frr shows ospfd"
lab_down ospf "$O"

# --- rip -------------------------------------------------------------------
R=dri$SFX
lab_up_or_die "rip" "$K/rip" "$R"
converged "rip: r1 learns r3's LAN 10.20.3.0/24 (two hops) from RIP" 20000 \
	route_has "$R/r1" 10.20.3.0/24 'via 10\.20\.12\.2 dev eth1 proto rip'
converged "rip: r3's RIP table has r1's LAN at metric 3" 20000 \
	vtysh_has "$R/r3" "show ip rip" '^R\(n\) +10\.20\.1\.0/24 +10\.20\.23\.2 +3 '
pings "rip: pc1 pings pc3 across three routers" "$R/pc1" 10.20.3.10
lab_down rip "$R"

# --- bgp -------------------------------------------------------------------
G=dbg$SFX
lab_up_or_die "bgp" "$K/bgp" "$G"
converged "bgp: the r1-r2 session is Established" 20000 \
	vtysh_has "$G/r1" "show bgp ipv4 unicast summary" '^10\.30\.0\.2 +4 +65002 .* +1 +[0-9]+ +N/A'
converged "bgp: r1 has 192.168.2.0/24 from AS 65002" 10000 \
	route_has "$G/r1" 192.168.2.0/24 'via 10\.30\.0\.2 dev eth1 proto bgp'
vtysh_has "$G/r2" "show ip bgp 192.168.1.0/24" '^ *65001$'
log_test $? "bgp: r2 has 192.168.1.0/24 with AS path 65001"
pings "bgp: pc1 pings pc2 across the peering" "$G/pc1" 192.168.2.10
lab_down bgp "$G"

# --- quagga ----------------------------------------------------------------
Q=dqg$SFX
lab_up_or_die "quagga" "$K/quagga" "$Q"
converged "quagga: r1 has r2's LAN from ospfd.conf of /etc/quagga" 20000 \
	route_has "$Q/r1" 10.60.2.0/24 'via 10\.60\.12\.2 dev eth1 proto ospf'
vtysh_has "$Q/r2" "show ip ospf neighbor" ' Full/'
log_test $? "quagga: vtysh: r2's neighbor is Full"
lab_down quagga "$Q"

# --- webserver -------------------------------------------------------------
W=dws$SFX
lab_up_or_die "webserver" "$K/webserver" "$W"
page=$(cat "$K/webserver/server/var/www/html/index.html")
getpage() { [ "$(ex "$W/client" -- curl -s -m 2 http://10.40.0.1/)" = "$page" ]; }
converged "webserver: the client fetches lab/server's page with curl" 10000 getpage
ex "$W/server" -- systemctl stop apache2 >/dev/null &&
	! ex "$W/client" -- curl -s -m 2 http://10.40.0.1/ >/dev/null &&
	ex "$W/server" -- service apache2 start >/dev/null &&
	busywait 10000 getpage
log_test $? "webserver: systemctl stop / service start apache2"
# a service with only a unit file: the shim runs its ExecStart
ex "$W/server" -- sh -c 'mkdir -p /etc/systemd/system && printf "[Unit]\nDescription=t\n[Service]\nEnvironment=T=7\nRuntimeDirectory=umt\nExecStartPre=/bin/touch /run/umt/pre\nExecStart=/bin/sleep 10\$T\n" >/etc/systemd/system/umt.service' &&
	ex "$W/server" -- systemctl start umt.service &&
	ex "$W/server" -- systemctl status umt | grep -q 'active (running)' &&
	ex "$W/server" -- pgrep -xf '/bin/sleep 107' >/dev/null &&
	ex "$W/server" -- test -e /run/umt/pre &&
	ex "$W/server" -- systemctl stop umt &&
	! ex "$W/server" -- systemctl is-active umt >/dev/null &&
	! ex "$W/server" -- pgrep -xf '/bin/sleep 107' >/dev/null
log_test $? "webserver: systemctl start/status/stop of a unit-file-only service"
lab_down webserver "$W"

# --- brctl -----------------------------------------------------------------
B=dbr$SFX
lab_up_or_die "brctl" "$K/brctl" "$B"
ok=0
for i in 1 2 3 4; do
	[ "$(ex "$B/h$i" -- cat /sys/class/net/eth0/address)" = "02:00:00:00:50:0$i" ] || ok=1
done
log_test $ok "brctl: h1..h4 have the MACs of lab.conf"
[ "$(ex "$B/sw" -- brctl show br0 | awk 'NR > 1 { print $NF }' | sort | tr '\n' ' ')" = "eth0 eth1 eth2 eth3 " ]
log_test $? "brctl: brctl show: br0 holds eth0..eth3"
reaches_all "$B/h1" 10.50.0.2 10.50.0.3 10.50.0.4
log_test $? "brctl: h1 reaches h2, h3, h4 through sw"
ex "$B/sw" -- brctl showmacs br0 | grep -q '02:00:00:00:50:04'
log_test $? "brctl: sw learned h4's MAC"
lab_down brctl "$B"

exit $RET
