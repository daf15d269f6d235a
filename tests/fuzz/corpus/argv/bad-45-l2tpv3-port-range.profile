# expect: 45-l2tpv3-port-range.profile:12: l2tpv3: "srcport=65536" is wrong: must be an integer 1..65535
[appliance]
name = bad45

[interface vec0]
transport = l2tpv3
src = 10.0.0.1
dst = 10.0.0.2
rx_session = 5
tx_session = 6
udp = 1
srcport = 65536
dstport = 1701
