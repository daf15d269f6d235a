# expect: 08-bad-section.profile:4: unknown section [interfaces vec0]
[appliance]
name = bad8
[interfaces vec0]
transport = raw
