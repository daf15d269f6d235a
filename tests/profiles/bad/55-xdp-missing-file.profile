# expect: 55-xdp-missing-file.profile:4: xdp = vec0 nosuch.o: 
[appliance]
name = bad55
xdp = vec0 nosuch.o
