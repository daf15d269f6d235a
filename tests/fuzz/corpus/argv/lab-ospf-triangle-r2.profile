[appliance]
name = ospf-triangle.r2
hostname = r2
mem = 48M
forwarding = yes
loopback = 10.255.0.2/32
run = bird -c /etc/bird/bird.conf

[interface vec0]
transport = fd
wire = ospf-triangle.r1-r2
address = 10.0.12.2/30
host = wire

[interface vec1]
transport = fd
wire = ospf-triangle.r2-r3
address = 10.0.23.1/30
host = wire
