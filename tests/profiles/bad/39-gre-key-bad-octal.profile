# expect: 39-gre-key-bad-octal.profile:9: gre: "rx_key=089" is wrong: not a number (the kernel reads rx_key with base 0: decimal, 0x hex or 0 octal)
[appliance]
name = bad39

[interface vec0]
transport = gre
src = 10.0.0.1
dst = 10.0.0.2
rx_key = 089
tx_key = 8
