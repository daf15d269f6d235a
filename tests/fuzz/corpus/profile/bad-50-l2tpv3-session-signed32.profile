# expect: 50-l2tpv3-session-signed32.profile:9: l2tpv3: "rx_session=0xffffffff" is wrong: out of range: the kernel reads rx_session as a signed 32-bit int (kstrtoint), so the largest value is 2147483647 (0x7fffffff)
[appliance]
name = bad50

[interface vec0]
transport = l2tpv3
src = 10.0.0.1
dst = 10.0.0.2
rx_session = 0xffffffff
tx_session = 0xffff
