# expect: 53-xdp-not-vec.profile:4: xdp = eth0 prog.o: must be vecN FILE.o [SECTION]
[appliance]
name = bad53
xdp = eth0 prog.o
