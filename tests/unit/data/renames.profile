# SPDX-License-Identifier: GPL-2.0
# rename = lines, one with a MAC and one without, for the round trip
[appliance]
name = rn
rename = vec1 wan
rename = vec0 eth0 02:00:00:00:00:01

[interface vec0]
transport = fd
host = wire
wire = rn-w

[interface vec1]
transport = fd
host = wire
wire = rn-v
