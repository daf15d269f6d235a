# expect: 05-unknown-transport.profile:5: unknown transport "rwa" (known:
[appliance]
name = bad5
[interface vec0]
transport = rwa
