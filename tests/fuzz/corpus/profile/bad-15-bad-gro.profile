# expect: 15-bad-gro.profile:6: raw: "gro=yes" is wrong: must be 0 or 1
[appliance]
name = bad15
[interface vec0]
transport = raw
gro = yes
ifname = b15-u0
