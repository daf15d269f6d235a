# SPDX-License-Identifier: GPL-2.0
# A forwarding router between two LANs, each a network namespace on the host:
#
#   netns lan0                     node r1                    netns lan1
#   r1-h0 10.1.0.1/24 ==veth== r1-u0|vec0 10.1.0.2/24
#                                   vec1 10.2.0.2/24|r1-u1 ==veth== r1-h1 10.2.0.1/24
#
# umnet up configs/router.profile; ip netns exec lan0 ping 10.2.0.1

[appliance]
name = r1
mem = 64M
forwarding = yes

[interface vec0]
transport = raw
ifname = r1-u0              # the veth end UML binds its raw socket to
depth = 128
gro = 1
address = 10.1.0.2/24       # inside the node
host = veth                 # create the pair, move the far end into lan0
host-ifname = r1-h0
host-netns = lan0
host-address = 10.1.0.1/24
host-route = 10.2.0.0/24 via 10.1.0.2

[interface vec1]
transport = raw
ifname = r1-u1
depth = 128
gro = 1
address = 10.2.0.2/24
host = veth
host-ifname = r1-h1
host-netns = lan1
host-address = 10.2.0.1/24
host-route = 10.1.0.0/24 via 10.2.0.2
