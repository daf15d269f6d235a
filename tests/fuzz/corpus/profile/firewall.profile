# SPDX-License-Identifier: GPL-2.0
# A firewall between a LAN and a WAN (both network namespaces on the host).
# firewall.nft: LAN may reach the WAN with ICMP and TCP/5201 (iperf3);
# replies are allowed back; everything else is dropped.
#
#   netns fw-lan                  node fw1                  netns fw-wan
#   fw1-h0 10.3.0.1/24 ==veth== vec0 10.3.0.2/24 | vec1 10.4.0.2/24 ==veth== fw1-h1 10.4.0.1/24

[appliance]
name = fw1
mem = 64M
forwarding = yes

[interface vec0]
transport = raw
ifname = fw1-u0
gro = 1
address = 10.3.0.2/24
host = veth
host-ifname = fw1-h0
host-netns = fw-lan
host-address = 10.3.0.1/24
host-route = default via 10.3.0.2

[interface vec1]
transport = raw
ifname = fw1-u1
gro = 1
address = 10.4.0.2/24
host = veth
host-ifname = fw1-h1
host-netns = fw-wan
host-address = 10.4.0.1/24
host-route = default via 10.4.0.2

[firewall]
ruleset = firewall.nft
