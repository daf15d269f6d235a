# expect: 59-nameserver-four.profile:7: nameserver = 192.0.2.4: at most 3 (the resolver reads no more)
[appliance]
name = bad59
nameserver = 192.0.2.1
nameserver = 192.0.2.2
nameserver = 192.0.2.3
nameserver = 192.0.2.4
