# expect: 10-bad-mem.profile:5: mem = 64X: must be a size like 64M or 1G
[appliance]
name = bad10

mem = 64X
