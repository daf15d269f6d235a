# expect: 43-l2tpv3-cookie-32bit.profile:11: vec0: rx_cookie = 4294967296 does not fit in 32 bits
[appliance]
name = bad43

[interface vec0]
transport = l2tpv3
src = 10.0.0.1
dst = 10.0.0.2
rx_session = 5
tx_session = 6
rx_cookie = 4294967296
tx_cookie = 1
