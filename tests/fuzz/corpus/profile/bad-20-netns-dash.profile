# expect: 20-netns-dash.profile:4: netns = -n: not a valid namespace name
[appliance]
name = bad20
netns = -n
