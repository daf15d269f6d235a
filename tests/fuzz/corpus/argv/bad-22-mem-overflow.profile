# expect: 22-mem-overflow.profile:3: mem = 18014398509481985G: must be a size like 64M or 1G
[appliance]
mem = 18014398509481985G
name = bad22
