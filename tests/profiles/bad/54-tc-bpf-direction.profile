# expect: 54-tc-bpf-direction.profile:4: tc-bpf = vec0 sideways prog.o: must be vecN ingress|egress FILE.o [SECTION]
[appliance]
name = bad54
tc-bpf = vec0 sideways prog.o
