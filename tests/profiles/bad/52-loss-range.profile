# expect: 52-loss-range.profile:6: vec0: loss = 120%: not a percentage
[appliance]
name = x
[interface vec0]
transport = fd
loss = 120%
