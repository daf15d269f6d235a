# expect: 44-l2tpv3-port-zero.profile:13: l2tpv3: "dstport=0" is wrong: must be an integer 1..65535
[appliance]
name = bad44

[interface vec0]
transport = l2tpv3
src = 10.0.0.1
dst = 10.0.0.2
rx_session = 5
tx_session = 6
udp = 1
srcport = 17001
dstport = 0
