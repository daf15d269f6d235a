# The UML HowTo's own example writes a session as 0xffff: the kernel reads
# sessions, keys and cookies with base 0 (decimal, 0x hex, 0 octal), so
# umnet does too. test_profile checks this parses and what it renders.
[appliance]
name = hex1

[interface vec0]
transport = l2tpv3
udp = 1
src = 192.168.1.2
dst = 192.168.1.1
srcport = 1706
dstport = 1707
rx_session = 0xffff
tx_session = 0xffff
rx_cookie = 0x12345678
tx_cookie = 0x12345678
