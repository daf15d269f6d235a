// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpv3: Ethernet pseudowire over L2TPv3 (RFC 3931), static sessions, on a
 * UDP socket (udp = 1: no privileges) or a raw IP socket, protocol 115
 * (udp = 0: CAP_NET_RAW). vector_user.c: user_init_socket_fds with
 * ID_L2TPV3, vector_transports.c: build_l2tpv3_transport_data. The far end
 * is another UML node or a Linux l2tp session (ip l2tp, pw type eth).
 *
 * Sessions are read with kstrtoint(value, 0): 0 is reserved by RFC 3931, so
 * 1..2147483647, in decimal, 0x hex or 0 octal. Cookies are read with
 * kstrtoul(value, 0) and truncated to 32 bits unless cookie64 = 1. Ports go
 * to getaddrinfo() as service names: decimal only. A received packet must carry our rx_session
 * and rx_cookie; cookie64, counter and udp change the header layout, so
 * both ends must agree on them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "ip_tunnel.h"

static const struct opt_spec l2tpv3_keys[] = {
	{ .key = "src",
	  .type = OPT_ADDR,
	  .help = "local address the socket binds to" },
	{ .key = "dst", .type = OPT_ADDR, .help = "address of the far end" },
	{ .key = "srcport",
	  .type = OPT_UINT,
	  .min = 1,
	  .max = 65535,
	  .help = "local UDP port (udp = 1 only)" },
	{ .key = "dstport",
	  .type = OPT_UINT,
	  .min = 1,
	  .max = 65535,
	  .help = "the far end's UDP port (udp = 1 only)" },
	{ .key = "udp",
	  .type = OPT_BOOL01,
	  .min = 0,
	  .max = 1,
	  .help = "1 = L2TPv3 over UDP, 0 = over IP protocol 115 (default)" },
	{ .key = "rx_session",
	  .type = OPT_INT,
	  .min = 1,
	  .max = INT32_MAX,
	  .help = "session id expected on received packets (required)" },
	{ .key = "tx_session",
	  .type = OPT_INT,
	  .min = 1,
	  .max = INT32_MAX,
	  .help = "session id put on sent packets (required)" },
	{ .key = "rx_cookie",
	  .type = OPT_ULONG,
	  .min = 0,
	  .max = UINT64_MAX,
	  .help = "cookie expected on received packets (with tx_cookie)" },
	{ .key = "tx_cookie",
	  .type = OPT_ULONG,
	  .min = 0,
	  .max = UINT64_MAX,
	  .help = "cookie put on sent packets (with rx_cookie)" },
	{ .key = "cookie64",
	  .type = OPT_BOOL01,
	  .min = 0,
	  .max = 1,
	  .help = "1 = 64-bit cookies instead of 32-bit" },
	{ .key = "counter",
	  .type = OPT_BOOL01,
	  .min = 0,
	  .max = 1,
	  .help = "1 = add a 32-bit sequence counter (the far end must too)" },
	{ .key = "pin_counter",
	  .type = OPT_BOOL01,
	  .min = 0,
	  .max = 1,
	  .help = "1 = send counter 0 always (with counter = 1)" },
	{ .key = "v6",
	  .type = OPT_BOOL01,
	  .min = 0,
	  .max = 1,
	  .help = "1 = src and dst are IPv6" },
	{ .key = "follow",
	  .type = OPT_BOOL01,
	  .min = 0,
	  .max = 1,
	  .help = "1 = send to the address the far end's valid packets come from, when it moves (needs rx_cookie)" },
	{ .key = NULL },
};

static const enum host_kind l2tpv3_hosts[] = { HOST_L2TP, HOST_NONE };

static int check_ports(const struct profile *p, const struct iface *ifc,
		       struct err *e)
{
	static const char *const ports[] = { "srcport", "dstport" };
	bool udp = tunnel_opt_on(ifc, "udp");
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ports); i++) {
		bool has = iface_opt(ifc, ports[i]);

		if (udp && !has)
			return errf_at(
				e, -EINVAL, p->path, iface_opt_line(ifc, "udp"),
				"vec%d: udp = 1 needs %s = <port> (without it the kernel %s)",
				ifc->index, ports[i],
				i ? "sends to port 0"
				  : "binds a random port the far end cannot know");
		if (!udp && has)
			return errf_at(
				e, -EINVAL, p->path,
				iface_opt_line(ifc, ports[i]),
				"vec%d: %s needs udp = 1 (L2TPv3 over IP has no ports, and the kernel fails to open the socket when one is given)",
				ifc->index, ports[i]);
	}
	return 0;
}

static int check_cookies(const struct profile *p, const struct iface *ifc,
			 struct err *e)
{
	static const char *const cookies[] = { "rx_cookie", "tx_cookie" };
	bool c64 = tunnel_opt_on(ifc, "cookie64");
	size_t i;
	int ret;

	ret = tunnel_check_pair(p, ifc, "rx_cookie", "tx_cookie",
				"L2TPv3 cookies", e);
	if (ret)
		return ret;
	if (c64 && !iface_opt(ifc, "rx_cookie"))
		return errf_at(
			e, -EINVAL, p->path, iface_opt_line(ifc, "cookie64"),
			"vec%d: cookie64 = 1 has no effect without rx_cookie and tx_cookie",
			ifc->index);
	for (i = 0; i < ARRAY_SIZE(cookies); i++) {
		const char *v = iface_opt(ifc, cookies[i]);

		if (!v)
			continue;
		if (!c64 && iface_num(ifc, cookies[i]) > UINT32_MAX)
			return errf_at(
				e, -ERANGE, p->path,
				iface_opt_line(ifc, cookies[i]),
				"vec%d: %s = %s does not fit in 32 bits (the kernel would cut it): use a value up to 4294967295, or cookie64 = 1 on both ends",
				ifc->index, cookies[i], v);
	}
	return 0;
}

/* the checks of l2tpv3 alone, between the ids and pin_counter */
static int l2tpv3_extra(const struct profile *p, const struct iface *ifc,
			struct err *e)
{
	int ret = check_ports(p, ifc, e);

	return ret ? ret : check_cookies(p, ifc, e);
}

/* clang-format off */
static const struct tunnel_rules l2tpv3_rules = {
	.rx = "rx_session", .tx = "tx_session", .pair = "L2TPv3 session ids",
	.required = "session ids", .secret = "rx_cookie", .extra = l2tpv3_extra,
	.pin = "pin_counter", .base = "counter",
	.host_kind = HOST_L2TP, .host = "l2tp", .device = "l2tp session device",
};
/* clang-format on */

/* a cookie as the bytes on the wire: big-endian, 4 or 8 of them */
static void cookie_bytes(unsigned long long c, uint8_t *out, int len)
{
	int i;

	for (i = len - 1; i >= 0; i--, c >>= 8)
		out[i] = c & 0xff;
}

/*
 * host = l2tp: the far end on the host, as `ip l2tp` makes it: local = the
 * node's dst, remote = its src, ports swapped; the host receives the node's
 * tx_session and tx_cookie and sends its rx_session and rx_cookie. The
 * tunnel id (local to the host, never on the wire) is the node's
 * tx_session, so two nodes in one namespace need different tx_sessions.
 */
static int l2tpv3_host_plan(const struct profile *p, const struct iface *ifc,
			    struct plan *plan, struct err *e)
{
	struct l2tp_spec *t;
	struct action a;
	int ret;

	if (ifc->host != HOST_L2TP)
		return 0;
	t = &a.l2tp;
	host_action_init(p, ifc, &a);
	ret = tunnel_host_ends(p, ifc, &t->local, &t->remote, e);
	if (ret)
		return ret;
	t->udp = tunnel_opt_on(ifc, "udp");
	if (t->udp) {
		t->sport = iface_num(ifc, "dstport");
		t->dport = iface_num(ifc, "srcport");
	}
	t->session_id = iface_num(ifc, "tx_session");
	t->peer_session_id = iface_num(ifc, "rx_session");
	t->tunnel_id = t->peer_tunnel_id = t->session_id;
	if (iface_opt(ifc, "rx_cookie")) {
		t->cookie_len = tunnel_opt_on(ifc, "cookie64") ? 8 : 4;
		cookie_bytes(iface_num(ifc, "rx_cookie"), t->cookie,
			     t->cookie_len);
		cookie_bytes(iface_num(ifc, "tx_cookie"), t->peer_cookie,
			     t->cookie_len);
	}
	t->l2spec = tunnel_opt_on(ifc, "counter");
	if ((ret = host_plan_netns(ifc, &a, plan, e)))
		return ret;
	a.kind = ACT_L2TP_TUNNEL_ADD;
	if ((ret = host_plan_add(plan, &a, e)))
		return ret;
	a.kind = ACT_L2TP_SESSION_ADD;
	strscpy(a.ifname, ifc->host_ifname, sizeof(a.ifname));
	if ((ret = host_plan_add(plan, &a, e)))
		return ret;
	return plan_add_host_side(ifc, &a, plan, e);
}

/* udp = 0 opens a raw IP socket (CAP_NET_RAW), udp = 1 a plain UDP one */
static unsigned int l2tpv3_needs(const struct iface *ifc)
{
	return tunnel_opt_on(ifc, "udp") ? 0 : NEED_NET_RAW;
}

const struct transport transport_l2tpv3 = {
	.name = "l2tpv3",
	.summary = "Ethernet over L2TPv3, UDP or IP (peer: UML or ip l2tp)",
	.keys = l2tpv3_keys,
	.host_kinds = l2tpv3_hosts,
	/* udp = 0 needs CAP_NET_RAW, udp = 1 nothing: see l2tpv3_needs */
	.uml_needs = 0,
	.needs = l2tpv3_needs,
	.validate = tunnel_validate,
	.tunnel = &l2tpv3_rules,
	.host_plan = l2tpv3_host_plan,
};
