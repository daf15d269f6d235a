# expect: 47-l2tpv3-port-without-udp.profile:11: vec0: srcport needs udp = 1
[appliance]
name = bad47

[interface vec0]
transport = l2tpv3
src = 10.0.0.1
dst = 10.0.0.2
rx_session = 5
tx_session = 6
srcport = 17001
