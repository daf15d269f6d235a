# expect: 16-bpffile-tab-injection.profile:8: raw: "bpffile=/x\tubd2=/etc/shadow" is wrong: contains a tab: a value that reaches the kernel command line may hold only printable ASCII
# a TAB would end the vec0: word: the kernel would read ubd2=/etc/shadow
[appliance]
name = bad16

[interface vec0]
transport = raw
bpffile = /x	ubd2=/etc/shadow
ifname = eth0
