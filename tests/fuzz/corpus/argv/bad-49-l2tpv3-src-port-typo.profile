# expect: 49-l2tpv3-src-port-typo.profile:10: l2tpv3: unknown key "src_port" (did you mean "srcport"?)
[appliance]
name = bad49

[interface vec0]
transport = l2tpv3
src = 10.0.0.1
dst = 10.0.0.2
udp = 1
src_port = 17001
