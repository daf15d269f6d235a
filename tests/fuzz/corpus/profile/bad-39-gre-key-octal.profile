# expect: 39-gre-key-octal.profile:9: vec0: rx_key = 010 has a leading zero, which the kernel reads as octal
[appliance]
name = bad39

[interface vec0]
transport = gre
src = 10.0.0.1
dst = 10.0.0.2
rx_key = 010
tx_key = 8
