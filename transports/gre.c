// SPDX-License-Identifier: GPL-2.0
/*
 * gre: Ethernet over GRE (RFC 2890, protocol 0x6558 "transparent Ethernet
 * bridging") on a raw IP socket (vector_user.c: user_init_socket_fds with
 * ID_GRE, vector_transports.c: build_gre_transport_data). Needs CAP_NET_RAW.
 * The far end is another UML node or a Linux gretap device.
 *
 * Keys are read with kstrtoint(value, 0): 0..2147483647 written in decimal,
 * 0x hex or 0 octal, as the kernel reads them. The receive side accepts only
 * packets whose GRE flags equal its own (key, sequence), so both ends must
 * agree on tx_key/rx_key and on sequence.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "ip_tunnel.h"

static const struct opt_spec gre_keys[] = {
	{ .key = "src",
	  .type = OPT_ADDR,
	  .help = "local address the raw GRE socket binds to" },
	{ .key = "dst", .type = OPT_ADDR, .help = "address of the far end" },
	{ .key = "rx_key",
	  .type = OPT_INT,
	  .min = 0,
	  .max = INT32_MAX,
	  .help = "GRE key expected on received packets (with tx_key)" },
	{ .key = "tx_key",
	  .type = OPT_INT,
	  .min = 0,
	  .max = INT32_MAX,
	  .help = "GRE key put on sent packets (with rx_key)" },
	{ .key = "sequence",
	  .type = OPT_BOOL01,
	  .min = 0,
	  .max = 1,
	  .help = "1 = add GRE sequence numbers (the far end must too)" },
	{ .key = "pin_sequence",
	  .type = OPT_BOOL01,
	  .min = 0,
	  .max = 1,
	  .help = "1 = send sequence number 0 always (with sequence = 1)" },
	{ .key = "v6",
	  .type = OPT_BOOL01,
	  .min = 0,
	  .max = 1,
	  .help = "1 = src and dst are IPv6" },
	{ .key = "follow",
	  .type = OPT_BOOL01,
	  .min = 0,
	  .max = 1,
	  .help = "1 = send to the address the far end's valid packets come from, when it moves (needs rx_key)" },
	{ .key = NULL },
};

static const enum host_kind gre_hosts[] = { HOST_GRETAP, HOST_NONE };

/* clang-format off */
static const struct tunnel_rules gre_rules = {
	.rx = "rx_key", .tx = "tx_key", .pair = "GRE keys", .secret = "rx_key",
	.pin = "pin_sequence", .base = "sequence",
	.host_kind = HOST_GRETAP, .host = "gretap", .device = "gretap device",
};
/* clang-format on */

/*
 * host = gretap: the far end on the host, as in the UML HowTo: local = the
 * node's dst, remote = its src; the host receives with the node's tx_key
 * and sends with its rx_key.
 */
static int gre_host_plan(const struct profile *p, const struct iface *ifc,
			 struct plan *plan, struct err *e)
{
	struct action a;
	int ret;

	if (ifc->host != HOST_GRETAP)
		return 0;
	host_action_init(p, ifc, &a);
	ret = tunnel_host_ends(p, ifc, &a.gre.local, &a.gre.remote, e);
	if (ret)
		return ret;
	if (iface_opt(ifc, "rx_key")) {
		a.gre.key = true;
		a.gre.ikey = iface_num(ifc, "tx_key");
		a.gre.okey = iface_num(ifc, "rx_key");
	}
	a.gre.seq = tunnel_opt_on(ifc, "sequence");
	if ((ret = host_plan_netns(ifc, &a, plan, e)))
		return ret;
	a.kind = ACT_GRETAP_ADD;
	strscpy(a.ifname, ifc->host_ifname, sizeof(a.ifname));
	if ((ret = host_plan_add(plan, &a, e)))
		return ret;
	return plan_add_host_side(ifc, &a, plan, e);
}

const struct transport transport_gre = {
	.name = "gre",
	.summary = "Ethernet over GRE on a raw IP socket (peer: UML or gretap)",
	.keys = gre_keys,
	.host_kinds = gre_hosts,
	.uml_needs = NEED_NET_RAW,
	.validate = tunnel_validate,
	.tunnel = &gre_rules,
	.host_plan = gre_host_plan,
};
