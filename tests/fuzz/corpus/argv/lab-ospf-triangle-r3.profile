[appliance]
name = ospf-triangle.r3
hostname = r3
mem = 48M
forwarding = yes
loopback = 10.255.0.3/32
run = bird -c /etc/bird/bird.conf

[interface vec0]
transport = fd
wire = ospf-triangle.r2-r3
address = 10.0.23.2/30
host = wire

[interface vec1]
transport = fd
wire = ospf-triangle.r1-r3
address = 10.0.13.2/30
host = wire
