# expect: 58-nameserver-name.profile:4: nameserver = dns.example: not an address
[appliance]
name = bad58
nameserver = dns.example
