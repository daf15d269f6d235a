# expect: 09-ifname-too-long.profile:6: raw: "ifname=this-name-is-too-long" is wrong: not a valid interface name
[appliance]
name = bad9
[interface vec0]
transport = raw
ifname = this-name-is-too-long
