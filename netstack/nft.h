/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nf_tables over netlink (libmnl, no libnftnl): one IPv4 table of NAT
 * chains per lab, made in one batch and removed by deleting the table.
 * As the rest of netstack/: 0 or -errno, nothing printed, the kernel's
 * extended-ACK text in nl_errmsg().
 */
#ifndef UMNET_NFT_H
#define UMNET_NFT_H

#include <stdint.h>

#include "netstack.h"

/* a host port forwarded to an address and port (DNAT) */
struct nft_dnat {
	uint8_t proto; /* IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP */
	uint16_t port; /* on the host's own addresses */
	struct in_addr to;
	uint16_t to_port;
};

/*
 * The table `name` (family ip) with
 *   chain postrouting (nat, priority 100):
 *     ip saddr MASQ ip daddr != MASQ masquerade        (when masq is set)
 *   chains prerouting (nat, -100) and output (nat, -100), each:
 *     fib daddr type local [ip daddr != 127.0.0.0/8 in output]
 *       meta l4proto P th dport PORT dnat to TO:TO_PORT  (one per dnat)
 * userdata (may be NULL) is kept with the table (NFTA_TABLE_USERDATA).
 */
struct nft_nat_spec {
	const char *table;
	struct ip_prefix masq; /* family 0: no masquerade */
	const struct nft_dnat *dnats;
	int ndnats;
	const char *userdata;
};

/*
 * The layer-4 protocols a dnat takes, by name ("tcp", "udp", "sctp"), as
 * lab files, nft and the rules' comments write them: the name of proto
 * ("?" if none of them); name's protocol into *proto, or -EINVAL
 */
const char *nft_proto_name(uint8_t proto);
int nft_proto_parse(const char *name, uint8_t *proto);

/* a netfilter netlink handle in netns (NULL: the caller's); nl_close() */
int nft_open(struct nl **out, const char *netns);
/* make the table and its chains and rules at once; -EEXIST if it exists */
int nft_nat_add(struct nl *nl, const struct nft_nat_spec *s);
/* delete table name (family ip) with all it holds; -ENOENT if absent */
int nft_table_del(struct nl *nl, const char *name);
/*
 * cb(name, userdata ("" if none), arg) for every ip table; cb returning
 * non-zero stops the walk (and is returned)
 */
int nft_tables(struct nl *nl,
	       int (*cb)(const char *name, const char *userdata, void *arg),
	       void *arg);

/*
 * cb(proto, port, arg) for every host port the dnat rules of table name
 * forward, as nft_nat_add wrote them (each says its port in its comment;
 * "umnet: host port 8080/tcp"); none, and 0, if there is no such table
 */
int nft_dnat_ports(struct nl *nl, const char *table,
		   int (*cb)(uint8_t proto, uint16_t port, void *arg),
		   void *arg);

#endif
