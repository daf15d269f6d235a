[appliance]
name = firewall-dmz.outside
hostname = outside
mem = 48M
forwarding = no
route = 10.30.0.0/24 via 10.20.0.2
route = 10.40.0.0/24 via 10.20.0.2
daemon = httpd -f -p 80 -h /srv/www

[interface vec0]
transport = fd
wire = firewall-dmz.wan
address = 10.20.0.1/24
host = wire
