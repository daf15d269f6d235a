# expect: 01-unknown-key.profile:7: raw: unknown key "dept" (did you mean "depth"?)
[appliance]
name = bad1

[interface vec0]
transport = raw
dept = 64
ifname = b1-u0
