# expect: 30-gre-no-src.profile:5: vec0: gre needs src = <address> (the local address the tunnel socket binds to)
[appliance]
name = bad30

[interface vec0]
transport = gre
dst = 10.0.0.2
