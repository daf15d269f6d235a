# expect: 34-gre-v4-with-v6.profile:9: vec0: dst = 10.0.0.2 is an IPv4 address but v6 = 1
[appliance]
name = bad34

[interface vec0]
transport = gre
v6 = 1
src = fd00::1
dst = 10.0.0.2
