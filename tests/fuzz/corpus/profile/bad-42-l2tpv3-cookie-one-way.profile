# expect: 42-l2tpv3-cookie-one-way.profile:11: vec0: tx_cookie without rx_cookie: L2TPv3 cookies go in pairs
[appliance]
name = bad42

[interface vec0]
transport = l2tpv3
src = 10.0.0.1
dst = 10.0.0.2
rx_session = 5
tx_session = 6
tx_cookie = 99
