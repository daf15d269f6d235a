[appliance]
name = lan-switch.h3
hostname = h3
mem = 48M
forwarding = no
daemon = udhcpc -f -i vec0 -s /etc/udhcpc.script -r 10.50.0.103 -t 3 -T 1 -A 2

[interface vec0]
transport = bess
dst = /run/umnet/.labs/lan-switch/sw-lan.sock
