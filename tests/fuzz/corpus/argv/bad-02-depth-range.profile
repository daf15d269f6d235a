# expect: 02-depth-range.profile:6: raw: "depth=0" is wrong: must be an integer 1..2048
[appliance]
name = bad2
[interface vec0]
transport = raw
depth = 0
ifname = b2-u0
