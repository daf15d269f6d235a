[appliance]
name = firewall-dmz.inside
hostname = inside
mem = 48M
forwarding = no
route = default via 10.40.0.1
daemon = httpd -f -p 80 -h /srv/www

[interface vec0]
transport = fd
wire = firewall-dmz.lan
address = 10.40.0.10/24
host = wire
