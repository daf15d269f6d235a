# expect: 37-gre-key-range.profile:9: gre: "rx_key=2147483648" is wrong: out of range: the kernel reads rx_key as a signed 32-bit int (kstrtoint), so the largest value is 2147483647 (0x7fffffff)
[appliance]
name = bad37

[interface vec0]
transport = gre
src = 10.0.0.1
dst = 10.0.0.2
rx_key = 2147483648
tx_key = 1
