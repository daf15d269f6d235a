[appliance]
name = firewall-dmz.fw
hostname = fw
mem = 48M
forwarding = yes

[interface vec0]
transport = fd
wire = firewall-dmz.wan
address = 10.20.0.2/24
host = wire

[interface vec1]
transport = fd
wire = firewall-dmz.dmznet
address = 10.30.0.1/24
host = wire

[interface vec2]
transport = fd
wire = firewall-dmz.lan
address = 10.40.0.1/24
host = wire

[firewall]
