/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pcap `filter =` of raw (and the node MAC it needs), shared with the
 * transports whose receive side is an AF_PACKET socket.
 */
#ifndef UMNET_RAW_H
#define UMNET_RAW_H

#include "transport.h"

/* the schema entry of filter = (umnet's own key: never given to UML) */
#define RAW_FILTER_OPT                                                   \
	{                                                                \
		.key = "filter", .type = OPT_STRING, .min = 0, .max = 0, \
		.help = "pcap expression: the frames the node receives", \
		.local = true                                            \
	}

/*
 * The part of a struct transport that every transport receiving through an
 * AF_PACKET socket (raw, hybrid) shares: CAP_NET_RAW, the filter = file
 * made before boot, and its bpffile= and mac= on the command line
 */
#define RAW_SOCKET_OPS                                            \
	.uml_needs = NEED_NET_RAW, .prepare = raw_filter_prepare, \
	.render_extra = raw_render_extra

/* the node's MAC on this interface: the profile's mac =, else node_mac */
int raw_node_mac(const struct profile *p, const struct iface *ifc,
		 char mac[MAC_STR_LEN]);
/* check filter = (compiles, no bpffile = next to it) */
int raw_filter_validate(const struct profile *p, const struct iface *ifc,
			struct err *e);
/* compile the filter into np->jaildir/vecN.bpf */
int raw_filter_prepare(const struct profile *p, const struct iface *ifc,
		       const struct node_paths *np, struct fd_pass *pass,
		       struct err *e);
/* ",mac=...,bpffile=np->jaildir/vecN.bpf" when the interface has a filter */
int raw_filter_render(const struct profile *p, const struct iface *ifc,
		      const struct node_paths *np, struct strbuf *sb);

/*
 * gro = 1 unless the profile gives gro: raw, tap and hybrid read from a veth
 * or tap, which hand over TSO/GRO frames of up to 64 KiB: ",gro=1" when
 * the profile does not give gro
 */
int raw_gro_render(const struct iface *ifc, struct strbuf *sb);

/* raw_gro_render, then raw_filter_render: render_extra of raw and hybrid */
int raw_render_extra(const struct profile *p, const struct iface *ifc,
		     const struct node_paths *np, struct strbuf *sb);

#endif
