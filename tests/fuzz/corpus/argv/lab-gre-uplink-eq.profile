[appliance]
name = gre-uplink.eq
hostname = eq
mem = 48M
forwarding = no
loopback = 10.255.9.9/32

[interface vec0]
transport = raw
ifname = ud66e90b0
gro = 1
address = 10.99.0.2/24
host = veth
host-ifname = wan
host-netns = gu-wan
host-address = 10.99.0.1/24
