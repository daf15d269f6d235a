# expect: 04-no-prefixlen.profile:9: host-address = 10.1.0.1: not an address with prefix length
[appliance]
name = bad4
[interface vec0]
transport = raw
ifname = b4-u0
host = veth
host-ifname = b4-h0
host-address = 10.1.0.1
