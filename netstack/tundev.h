/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host-side tunnel devices, the far ends of the gre and l2tpv3 transports:
 * a Linux gretap (ip6gretap) device through rtnetlink, an L2TPv3 tunnel and
 * session through generic netlink. Same conventions as
 * netstack.h: 0 or -errno, nothing printed, nl_errmsg() for the kernel's
 * extended-ACK text.
 */
#ifndef UMNET_TUNDEV_H
#define UMNET_TUNDEV_H

#include <stdbool.h>
#include <stdint.h>

#include "netstack.h"

struct gretap_spec {
	struct ip_prefix local, remote; /* same family; the length is unused */
	bool key; /* use ikey/okey */
	uint32_t ikey, okey; /* host byte order */
	bool seq; /* GRE sequence numbers both ways */
};

/*
 * Create ifname as a gretap (IPv4) or ip6gretap (IPv6) device in the
 * handle's netns. -EEXIST if a link of that name exists, -EOPNOTSUPP when
 * the kernel has no such link kind.
 */
int link_add_gretap(struct nl *nl, const char *ifname,
		    const struct gretap_spec *s);

/* a static L2TPv3 tunnel with one Ethernet pseudowire session */
struct l2tp_spec {
	struct ip_prefix local, remote; /* same family */
	bool udp; /* encap udp (else ip) */
	uint16_t sport, dport; /* udp only */
	uint32_t tunnel_id, peer_tunnel_id;
	uint32_t session_id, peer_session_id; /* received, sent */
	uint8_t cookie_len; /* 0, 4 or 8 */
	uint8_t cookie[8], peer_cookie[8]; /* sent, expected; wire order */
	bool l2spec; /* the 4-byte L2-specific sublayer (default type) */
};

/*
 * A generic netlink handle for the "l2tp" family in netns NAME (NULL: the
 * caller's). -EOPNOTSUPP when the kernel has no l2tp (no such family).
 * Close with nl_close().
 */
int l2tp_open(struct nl **out, const char *netns);
/* L2TP_CMD_TUNNEL_CREATE: the kernel opens the tunnel's socket itself */
int l2tp_tunnel_add(struct nl *nl, const struct l2tp_spec *s);
/* L2TP_CMD_SESSION_CREATE, pw type eth, its device named ifname */
int l2tp_session_add(struct nl *nl, const struct l2tp_spec *s,
		     const char *ifname);
/* L2TP_CMD_TUNNEL_DELETE (its sessions and devices go with it) */
int l2tp_tunnel_del(struct nl *nl, uint32_t tunnel_id);

#endif
