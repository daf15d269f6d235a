# expect: 12-bad-mac.profile:7: raw: "mac=01:00:5e:00:00:01" is wrong: is a multicast MAC address
[appliance]
name = bad12
[interface vec0]
transport = raw
ifname = b12-u0
mac = 01:00:5e:00:00:01
