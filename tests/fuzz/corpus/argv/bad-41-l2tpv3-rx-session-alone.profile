# expect: 41-l2tpv3-rx-session-alone.profile:9: vec0: rx_session without tx_session: L2TPv3 session ids go in pairs
[appliance]
name = bad41

[interface vec0]
transport = l2tpv3
src = 10.0.0.1
dst = 10.0.0.2
rx_session = 5
