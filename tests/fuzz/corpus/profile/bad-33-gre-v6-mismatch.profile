# expect: 33-gre-v6-mismatch.profile:8: vec0: src = fd00::1 is an IPv6 address but v6 is not 1: add v6 = 1
[appliance]
name = bad33

[interface vec0]
transport = gre
dst = fd00::2
src = fd00::1
