[appliance]
name = gre-uplink.h1
hostname = h1
mem = 48M
forwarding = no
route = default via 10.60.0.1

[interface vec0]
transport = fd
wire = gre-uplink.lan
address = 10.60.0.10/24
host = wire
