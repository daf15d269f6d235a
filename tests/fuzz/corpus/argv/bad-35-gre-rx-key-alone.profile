# expect: 35-gre-rx-key-alone.profile:9: vec0: rx_key without tx_key: GRE keys go in pairs
[appliance]
name = bad35

[interface vec0]
transport = gre
src = 10.0.0.1
dst = 10.0.0.2
rx_key = 7
