# expect: 32-gre-src-not-address.profile:8: gre: "src=gw.example" is wrong: must be an IPv4 or IPv6 address
[appliance]
name = bad32

[interface vec0]
transport = gre
dst = 10.0.0.2
src = gw.example
