# expect: 31-gre-no-dst.profile:5: vec0: gre needs dst = <address> (the far end's address)
[appliance]
name = bad31

[interface vec0]
transport = gre
src = 10.0.0.1
