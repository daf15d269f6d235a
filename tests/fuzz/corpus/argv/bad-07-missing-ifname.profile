# expect: 07-missing-ifname.profile:4: vec0: raw needs ifname = <host interface>
[appliance]
name = bad7
[interface vec0]
transport = raw
depth = 64
