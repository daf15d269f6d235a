# expect: 19-quote-in-value.profile:7: raw: "bpffile=/tmp/"x".bpf" is wrong: contains a quote
[appliance]
name = bad19

[interface vec0]
transport = raw
bpffile = /tmp/"x".bpf
ifname = eth0
