/* SPDX-License-Identifier: GPL-2.0 */
/* What nft.c (the NAT table) and nft_list.c (its lists) share. */
#ifndef UMNET_NFT_PRIV_H
#define UMNET_NFT_PRIV_H

#include <stdint.h>
#include <libmnl/libmnl.h>

#include "nft.h"

/* a netfilter message header in buf: nfgenmsg of family, res_id */
struct nlmsghdr *nfmsg(char *buf, uint16_t type, uint16_t family,
		       uint16_t flags, uint32_t seq, uint16_t res_id);
/*
 * The rule's comment (NFTA_RULE_USERDATA, in nft's TLV form, so `nft list
 * ruleset` shows it): "umnet: host port PORT/PROTO", which nft_dnat_ports
 * reads back.
 */
void nft_port_comment(struct nlmsghdr *nlh, const struct nft_dnat *d);

#endif
