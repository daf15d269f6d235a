# expect: 36-gre-tx-key-alone.profile:9: vec0: tx_key without rx_key: GRE keys go in pairs
[appliance]
name = bad36

[interface vec0]
transport = gre
src = 10.0.0.1
dst = 10.0.0.2
tx_key = 7
