# expect: 13-duplicate-iface.profile:7: [interface vec0] defined twice (first on line 4)
[appliance]
name = bad13
[interface vec0]
transport = tap
ifname = b13-t0
[interface vec0]
transport = tap
