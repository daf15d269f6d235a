[appliance]
name = hy1

[interface vec0]
transport = hybrid
ifname = hy1-t0
address = 10.8.0.2/24
host = tap
host-address = 10.8.0.1/24

[interface vec1]
transport = hybrid
ifname = hy1-t1
filter = not icmp
address = 10.9.0.2/24
host = tap
host-address = 10.9.0.1/24
