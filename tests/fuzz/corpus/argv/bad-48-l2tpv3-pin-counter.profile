# expect: 48-l2tpv3-pin-counter.profile:11: vec0: pin_counter = 1 has no effect without counter = 1
[appliance]
name = bad48

[interface vec0]
transport = l2tpv3
src = 10.0.0.1
dst = 10.0.0.2
rx_session = 5
tx_session = 6
pin_counter = 1
