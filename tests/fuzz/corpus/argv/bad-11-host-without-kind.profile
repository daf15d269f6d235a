# expect: 11-host-without-kind.profile:4: vec0: host-ifname, host-netns, host-bridge, host-address and host-route need host = veth
[appliance]
name = bad11
[interface vec0]
transport = raw
ifname = b11-u0
host-ifname = b11-h0
