[appliance]
name = lan-switch.dhcp
hostname = dhcp
mem = 48M
forwarding = no
run = mkdir -p /var/lib/misc
daemon = udhcpd -f /etc/udhcpd.conf

[interface vec0]
transport = bess
dst = /run/umnet/.labs/lan-switch/sw-lan.sock
address = 10.50.0.1/24
