# expect: 06-key-wrong-transport.profile:7: tap: unknown key "rx_key"
[appliance]
name = bad6
[interface vec0]
transport = tap
ifname = b6-t0
rx_key = 5
