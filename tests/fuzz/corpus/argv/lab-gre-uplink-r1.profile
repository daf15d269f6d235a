[appliance]
name = gre-uplink.r1
hostname = r1
netns = gu-wan
mem = 48M
forwarding = yes
route = 10.255.9.9/32 via 10.200.0.2

[interface vec0]
transport = gre
src = 10.99.0.1
dst = 10.99.0.2
rx_key = 1260981995
tx_key = 1260981995
mtu = 1458
address = 10.200.0.1/30

[interface vec1]
transport = l2tpv3
src = 10.99.0.1
dst = 10.99.0.2
rx_session = 59846825
tx_session = 1264046865
rx_cookie = 2320144501
tx_cookie = 3579728561
udp = 1
srcport = 1701
dstport = 1701
mtu = 1446
address = 10.201.0.1/30

[interface vec2]
transport = fd
wire = gre-uplink.lan
address = 10.60.0.1/24
host = wire
