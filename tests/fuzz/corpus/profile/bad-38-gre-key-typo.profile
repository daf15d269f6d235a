# expect: 38-gre-key-typo.profile:9: gre: unknown key "rx-key" (did you mean "rx_key"?)
[appliance]
name = bad38

[interface vec0]
transport = gre
src = 10.0.0.1
dst = 10.0.0.2
rx-key = 1
