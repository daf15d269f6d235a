# expect: 18-host-netns-tab.profile:8: host-netns = a\tb: not a valid namespace name
[appliance]
name = bad18

[interface vec0]
transport = raw
ifname = bad18-a
host-netns = a	b
host = veth
host-ifname = bad18-b
