# expect: 46-l2tpv3-udp-no-port.profile:11: vec0: udp = 1 needs dstport = <port>
[appliance]
name = bad46

[interface vec0]
transport = l2tpv3
src = 10.0.0.1
dst = 10.0.0.2
rx_session = 5
tx_session = 6
udp = 1
srcport = 17001
