[appliance]
name = firewall-dmz.dmz
hostname = dmz
mem = 48M
forwarding = no
route = default via 10.30.0.1
daemon = httpd -f -p 80 -h /srv/www
daemon = httpd -f -p 8080 -h /srv/www

[interface vec0]
transport = fd
wire = firewall-dmz.dmznet
address = 10.30.0.10/24
host = wire
