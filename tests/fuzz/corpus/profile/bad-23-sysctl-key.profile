# expect: 23-sysctl-key.profile:4: sysctl = net.ipv4.conf.all.rp_filter\x=0: the key may hold only letters, digits and _-.:@/, not starting with '/', at most 245 of them (the node refuses others)
[appliance]
name = bad23
sysctl = net.ipv4.conf.all.rp_filter\x=0
