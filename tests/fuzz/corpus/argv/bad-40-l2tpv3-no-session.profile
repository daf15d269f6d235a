# expect: 40-l2tpv3-no-session.profile:5: vec0: l2tpv3 needs rx_session and tx_session
[appliance]
name = bad40

[interface vec0]
transport = l2tpv3
src = 10.0.0.1
dst = 10.0.0.2
