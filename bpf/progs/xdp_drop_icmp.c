// SPDX-License-Identifier: GPL-2.0
/*
 * An XDP program for a node's interface (docs/ebpf.md): drop IPv4 ICMP
 * echo requests, pass everything else. Built by `make` with
 * clang -target bpf against libbpf's headers into build/bpf/; attached at
 * boot by `xdp = vecN build/bpf/xdp_drop_icmp.o` in a profile or lab node.
 * The drops are counted in the array map "drops" (bpftool map dump).
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define ICMP_ECHO_REQUEST 8 /* linux/icmp.h would pull in libc headers */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

SEC("xdp")
int xdp_drop_icmp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	__u8 *icmp_type;
	__u32 key = 0;
	__u64 *n;

	if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || ip->protocol != IPPROTO_ICMP ||
	    ip->ihl < 5)
		return XDP_PASS;
	icmp_type = (void *)ip + ip->ihl * 4;
	if ((void *)(icmp_type + 1) > end || *icmp_type != ICMP_ECHO_REQUEST)
		return XDP_PASS;
	n = bpf_map_lookup_elem(&drops, &key);
	if (n)
		__sync_fetch_and_add(n, 1);
	return XDP_DROP;
}

char _license[] SEC("license") = "GPL";
