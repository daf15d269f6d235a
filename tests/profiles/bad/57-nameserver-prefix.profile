# expect: 57-nameserver-prefix.profile:4: nameserver = 192.0.2.53/32: not an address, e.g. 192.0.2.53 or 2001:db8::53
[appliance]
name = bad57
nameserver = 192.0.2.53/32
