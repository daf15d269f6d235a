# expect: 17-host-netns-space.profile:8: host-netns = a b: not a valid namespace name: use 1-63 letters, digits
[appliance]
name = bad17

[interface vec0]
transport = raw
ifname = bad17-a
host-netns = a b
host = veth
host-ifname = bad17-b
