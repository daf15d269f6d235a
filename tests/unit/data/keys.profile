# SPDX-License-Identifier: GPL-2.0
# every [appliance] key, for the parser's round trip
[appliance]
name = keys
hostname = k1
netns = keys-ns
mem = 32M
forwarding = yes
loopback = 10.255.0.9/32
loopback = fd00:255::9/128
file = ../../../configs/firewall.nft /etc/nftables.conf
run = echo hello
daemon = sleep 1000
route = default via 10.9.0.1
sysctl = net.ipv4.conf.all.rp_filter=0
nameserver = 192.0.2.53
nameserver = 2001:db8::53

[interface vec0]
transport = fd
host = wire
wire = keys-w
address = 10.9.0.2/24
