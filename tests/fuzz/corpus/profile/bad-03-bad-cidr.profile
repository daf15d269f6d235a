# expect: 03-bad-cidr.profile:7: address = 10.1.0.300/24: not an address with prefix length
[appliance]
name = bad3
[interface vec0]
transport = tap
ifname = b3-t0
address = 10.1.0.300/24
