#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host memory of a running node, for bench/memory.sh and bench/density.sh
# (source it).
#
# A node is several host processes: the UML kernel, its helper threads
# (clone()d with the kernel's address space) and one process per guest
# address space. Each address space is counted once (kcmp(KCMP_VM) tells
# which processes share one), then summed per node:
#   RSS    resident pages of the UML kernel's own process (what ps shows;
#          includes the kernel image and libc, shared by every node)
#   PSS    over all of the node's address spaces, each page divided among
#          the address spaces that map it (the guest's processes map guest
#          memory that the kernel's process maps too): what a node costs
#   guest  the part of PSS that is guest memory (the /dev/shm file)
#   image  the part of PSS that is files (the kernel image, libc)

same_mm() { # same_mm PID1 PID2: true when they share an address space
	perl -e 'exit(syscall(312, $ARGV[0] + 0, $ARGV[1] + 0, 1, 0, 0) == 0 ? 0 : 1)' "$1" "$2"
}

# node_mem PID: "rss pss shmem file" (KiB): RSS of PID, the rest summed
# over the node's address spaces
node_mem() {
	local q r seen=()
	for q in $(pgrep -g "$1"); do
		for r in "${seen[@]}"; do same_mm "$q" "$r" && continue 2; done
		seen+=("$q")
		awk -v main=$([ "$q" = "$1" ] && echo 1 || echo 0) '
		     /^Rss:/ { r = main ? $2 : 0 } /^Pss:/ { p = $2 } /^Pss_Shmem:/ { s = $2 }
		     /^Pss_File:/ { f = $2 } END { print r, p, s, f }' "/proc/$q/smaps_rollup"
	done | awk '{ r += $1; p += $2; s += $3; f += $4 } END { print r, p, s, f }'
}

avail() { awk '/^MemAvailable:/ { print $2 }' /proc/meminfo; }

# median_spread < numbers: "median min max"
median_spread() {
	sort -n | awk '{ v[NR] = $1 } END {
		if (!NR) { print 0, 0, 0; exit }
		m = NR % 2 ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)
		print m, v[1], v[NR] }'
}
