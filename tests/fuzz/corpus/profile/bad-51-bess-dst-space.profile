# expect: 51-bess-dst-space.profile:7: vec0: bess: dst path /tmp/a b.sock contains a space
[appliance]
name = bad51

[interface vec0]
transport = bess
dst = /tmp/a b.sock
