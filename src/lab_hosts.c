// SPDX-License-Identifier: GPL-2.0
/*
 * Labs across hosts (lab.h, docs/scale.md): [host NAME] sections, a
 * node's host = NAME, and the wires whose two nodes sit on different
 * hosts. Such a wire becomes L2TPv3 over UDP (or GRE) between the two
 * hosts' addresses; its port, sessions and cookies are derived from the
 * lab's and the link's names, so each host compiles the same values
 * without talking to the other. Which share a process handles, and what
 * `lab up` checks on the machine, is labrun_hosts.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "lab_priv.h"
#include "profile.h"

int lab_host_find(const struct lab *lab, const char *name)
{
	int i;

	for (i = 0; i < lab->nhosts; i++)
		if (!strcmp(lab->hosts[i].name, name))
			return i;
	return -1;
}

bool lab_node_here(const struct lab *lab, int node)
{
	return !lab->nhosts || lab->here < 0 ||
	       lab->nodes[node].host == lab->here;
}

bool lab_link_here(const struct lab *lab, const struct lab_link *l)
{
	int i;

	for (i = 0; i < l->neps; i++)
		if (lab_node_here(lab, l->eps[i].node))
			return true;
	return false;
}

void lab_hosts_list(const struct lab *lab, char *out, size_t len)
{
	size_t n = 0;
	char a[64];
	int i;

	out[0] = '\0';
	for (i = 0; i < lab->nhosts && n < len; i++) {
		int r = snprintf(
			out + n, len - n, "%s%s (%s)", i ? ", " : "",
			lab->hosts[i].name,
			ip_addr_str(&lab->hosts[i].addr, a, sizeof(a)));

		if (r < 0)
			break;
		n += (size_t)r;
	}
}

/* FNV-1a over "lab/link/salt": values both ends agree on */
uint32_t lab_derive(const char *lab, const char *link, const char *salt)
{
	char buf[128];
	uint32_t h = 2166136261u;

	snprintf(buf, sizeof(buf), "%s/%s/%s", lab, link, salt);
	for (const char *p = buf; *p; p++) {
		h ^= (unsigned char)*p;
		h *= 16777619u;
	}
	return h;
}

/* a session id: 1..0x7fffffff (RFC 3931 reserves 0), a and b differ */
static uint32_t session_id(const char *lab, const char *link, int side)
{
	uint32_t s = lab_derive(lab, link, "session") & 0x3fffffff;

	return (s ? s : 1) * 2 + (uint32_t)side;
}

void lab_l2tp_ids(const char *lab, const char *link, int side,
		  struct lab_l2tp_ids *ids)
{
	uint32_t cookie = lab_derive(lab, link, "cookie");

	ids->rx_session = session_id(lab, link, side);
	ids->tx_session = session_id(lab, link, !side);
	ids->rx_cookie = cookie ^ (uint32_t)side;
	ids->tx_cookie = cookie ^ (uint32_t)!side;
}

unsigned int lab_cross_overhead(enum link_kind kind, int family)
{
	unsigned int ip = family == AF_INET6 ? 40 : 20;

	if (kind == LINK_GRE)
		return ip + 4 + 4 + 14; /* GRE, its key, Ethernet */
	return ip + 8 + 4 + 4 + 4 + 14; /* UDP, flags, session, cookie, Eth */
}

bool lab_test_here(const struct lab *lab, const struct lab_test *t)
{
	int l;

	if (!lab_test_is_step(t->kind))
		return t->node < 0 || lab_node_here(lab, t->node);
	l = lab_link_find(lab, t->target);
	return l < 0 || lab_link_here(lab, &lab->links[l]);
}

const char *lab_test_host(const struct lab *lab, const struct lab_test *t)
{
	int l, node = t->node;

	if (lab_test_is_step(t->kind)) {
		l = lab_link_find(lab, t->target);
		node = l < 0 ? -1 : lab->links[l].eps[0].node;
	}
	return node < 0 || !lab->nhosts
		       ? "?"
		       : lab->hosts[lab->nodes[node].host].name;
}

/* ---- parsing ------------------------------------------------------------ */

int lab_host_section(struct lab_ctx *c, const char *name)
{
	struct lab *lab = c->lab;
	int i;

	if (!lab_name_valid(name))
		return lab_err(
			c, c->line,
			"[host %s]: not a valid host name: 1-%d letters, digits, '_' or '-', starting with a letter",
			name, LAB_NAME_MAX);
	i = lab_host_find(lab, name);
	if (i >= 0)
		return lab_err(c, c->line,
			       "[host %s] defined twice (first on line %d)",
			       name, lab->hosts[i].line);
	i = lab_grow(&lab->hosts, lab->nhosts, &lab->hosts_cap,
		     sizeof(*lab->hosts), c->e);
	if (i)
		return i;
	c->host = &lab->hosts[lab->nhosts++];
	strscpy(c->host->name, name, sizeof(c->host->name));
	c->host->line = c->line;
	c->sec = LS_HOST;
	return 0;
}

int lab_host_kv(struct lab_ctx *c, const char *k, const char *v)
{
	struct lab_host *h = c->host;
	unsigned long n;

	if (!strcmp(k, "address")) {
		if (strchr(v, '/') || ip_prefix_parse(v, false, &h->addr))
			return lab_err(
				c, c->line,
				"[host %s]: address = %s: the host's own IPv4 or IPv6 address on the underlay, without a prefix length (e.g. 192.0.2.1)",
				h->name, v);
		return 0;
	}
	if (!strcmp(k, "netns")) {
		if (!netns_name_valid(v))
			return lab_err(
				c, c->line,
				"[host %s]: netns = %s: not a valid namespace name",
				h->name, v);
		strscpy(h->netns, v, sizeof(h->netns));
		return 0;
	}
	if (!strcmp(k, "mtu")) {
		if (parse_uint(v, 576, 65535, &n))
			return lab_err(
				c, c->line,
				"[host %s]: mtu = %s: the underlay's MTU, 576..65535",
				h->name, v);
		h->mtu = (unsigned int)n;
		h->mtu_line = c->line;
		return 0;
	}
	return lab_err(
		c, c->line,
		"[host %s]: unknown key \"%s\" (known: address, netns, mtu)",
		h->name, k);
}

int lab_node_host_kv(struct lab_ctx *c, const char *v)
{
	struct lab_node *n = c->node;

	if (!lab_name_valid(v))
		return lab_err(c, c->line,
			       "[node %s]: host = %s: not a host name", n->name,
			       v);
	strscpy(n->host_name, v, sizeof(n->host_name));
	n->host_line = c->line;
	return 0;
}

/* ---- checks ------------------------------------------------------------- */

static int check_hosts(struct lab_ctx *c)
{
	struct lab *lab = c->lab;
	char a[64], list[512];
	int i, j;

	lab_hosts_list(lab, list, sizeof(list));
	for (i = 0; i < lab->nhosts; i++) {
		const struct lab_host *h = &lab->hosts[i];

		if (!h->addr.family)
			return lab_err(
				c, h->line,
				"[host %s]: no address = (the host's own address on the network between the hosts)",
				h->name);
		if (h->mtu && h->mtu < 1280 && h->addr.family == AF_INET6)
			return lab_err(
				c, h->mtu_line,
				"[host %s]: mtu = %u: IPv6 needs at least 1280",
				h->name, h->mtu);
		for (j = 0; j < i; j++)
			if (!memcmp(&lab->hosts[j].addr, &h->addr,
				    sizeof(h->addr)))
				return lab_err(
					c, h->line,
					"[host %s]: address %s is host %s's too (line %d): each host needs its own",
					h->name,
					ip_addr_str(&h->addr, a, sizeof(a)),
					lab->hosts[j].name, lab->hosts[j].line);
	}
	for (i = 0; i < lab->nnodes; i++) {
		struct lab_node *n = &lab->nodes[i];

		if (!n->host_line)
			return lab_err(
				c, n->line,
				"[node %s]: this lab runs on several hosts (%s): say which one runs %s with host = NAME",
				n->name, list, n->name);
		n->host = lab_host_find(lab, n->host_name);
		if (n->host < 0)
			return lab_err(
				c, n->host_line,
				"[node %s]: host = %s: no [host %s] in this lab (hosts: %s)",
				n->name, n->host_name, n->host_name, list);
	}
	return 0;
}

/* a wire across hosts: its transport and MTU */
static int check_cross(struct lab_ctx *c, struct lab_link *l)
{
	struct lab *lab = c->lab;
	const struct lab_host *ha =
		&lab->hosts[lab->nodes[l->eps[0].node].host];
	const struct lab_host *hb =
		&lab->hosts[lab->nodes[l->eps[1].node].host];
	const char *t = lab_kv(l->kvs, l->nkvs, "transport");
	const char *m = lab_kv(l->kvs, l->nkvs, "mtu");
	unsigned int under, over;
	unsigned long n;
	int i;

	if (ha->addr.family != hb->addr.family)
		return lab_err(
			c, l->line,
			"[link %s]: hosts %s and %s have addresses of different families (IPv4 and IPv6): give both an address of one family",
			l->name, ha->name, hb->name);
	l->cross_kind = LINK_L2TPV3;
	if (t && !strcmp(t, "gre"))
		l->cross_kind = LINK_GRE;
	else if (t && strcmp(t, "l2tpv3"))
		return lab_err(
			c, lab_kv_line(l->kvs, l->nkvs, "transport", l->line),
			"[link %s]: transport = %s: a wire across hosts is l2tpv3 (the default: UDP, no privilege) or gre (needs root: raw sockets)",
			l->name, t);
	if (l->cross_kind == LINK_GRE && lab_kv(l->kvs, l->nkvs, "port"))
		return lab_err(
			c, lab_kv_line(l->kvs, l->nkvs, "port", l->line),
			"[link %s]: port = does not go with transport = gre (GRE has no ports)",
			l->name);
	for (i = 0; i < l->neps; i++) {
		const struct lab_node *nd = &lab->nodes[l->eps[i].node];
		const char *ns = lab_kv(nd->kvs, nd->nkvs, "netns");

		if (ns)
			return lab_err(
				c,
				lab_kv_line(nd->kvs, nd->nkvs, "netns",
					    nd->line),
				"[node %s]: netns = %s and link %s to another host: the node would send from inside %s, where host %s's address is not; remove netns =",
				nd->name, ns, l->name, ns,
				lab->hosts[nd->host].name);
	}
	under = ha->mtu ? ha->mtu : LAB_UNDERLAY_MTU;
	if (hb->mtu && hb->mtu < under)
		under = hb->mtu;
	over = lab_cross_overhead(l->cross_kind, ha->addr.family);
	l->mtu = under - over;
	if (l->mtu < 576) /* an interface's least (transport.c) */
		return lab_err(
			c, l->line,
			"[link %s]: an underlay MTU of %u leaves %u for the wire between hosts %s and %s (%u bytes of headers), less than 576: raise mtu = in [host %s] and [host %s]",
			l->name, under, l->mtu, ha->name, hb->name, over,
			ha->name, hb->name);
	if (!m)
		return 0;
	if (parse_uint(m, 576, 65534, &n))
		return lab_err(c, lab_kv_line(l->kvs, l->nkvs, "mtu", l->line),
			       "[link %s]: mtu = %s: must be 576..65534",
			       l->name, m);
	if (n > l->mtu)
		return lab_err(
			c, lab_kv_line(l->kvs, l->nkvs, "mtu", l->line),
			"[link %s]: mtu = %lu is more than this wire between hosts %s and %s carries: %u (the underlay's %u minus %u bytes of %s headers); lower it, or set mtu = in [host %s] and [host %s] if the underlay carries more",
			l->name, n, ha->name, hb->name, l->mtu, under, over,
			l->cross_kind == LINK_GRE
				? "IP, GRE and Ethernet"
				: "IP, UDP, L2TPv3 and Ethernet",
			ha->name, hb->name);
	l->mtu = (unsigned int)n;
	return 0;
}

static bool share_host(const struct lab *lab, const struct lab_link *a,
		       const struct lab_link *b, const char **which)
{
	int i, j;

	for (i = 0; i < 2; i++)
		for (j = 0; j < 2; j++)
			if (lab->nodes[a->eps[i].node].host ==
			    lab->nodes[b->eps[j].node].host) {
				*which = lab->hosts[lab->nodes[a->eps[i].node]
							    .host]
						 .name;
				return true;
			}
	return false;
}

/* the earlier l2tpv3 wire across hosts that has port on a host of l */
static const struct lab_link *port_taken(const struct lab *lab,
					 const struct lab_link *l,
					 unsigned int port, const char **host)
{
	int i;

	for (i = 0; i < lab->nlinks; i++) {
		const struct lab_link *o = &lab->links[i];

		if (o != l && o->cross && o->port == port &&
		    share_host(lab, l, o, host))
			return o;
	}
	return NULL;
}

/*
 * Ports: given (port = N) first; the others base + hash % range, or the
 * next port free on both hosts, in file order: both hosts read the same
 * file and so pick the same.
 */
static int assign_ports(struct lab_ctx *c)
{
	struct lab *lab = c->lab;
	const struct lab_link *o;
	const char *host;
	unsigned long n;
	unsigned int p, k;
	int i;

	for (i = 0; i < lab->nlinks; i++) {
		struct lab_link *l = &lab->links[i];
		const char *v = lab_kv(l->kvs, l->nkvs, "port");
		int line = lab_kv_line(l->kvs, l->nkvs, "port", l->line);

		if (!l->cross || l->cross_kind != LINK_L2TPV3 || !v)
			continue;
		if (parse_uint(v, 1, 65535, &n))
			return lab_err(c, line,
				       "[link %s]: port = %s: must be 1..65535",
				       l->name, v);
		o = port_taken(lab, l, (unsigned int)n, &host);
		if (o)
			return lab_err(
				c, line,
				"[link %s]: port = %lu is link %s's port too (line %d), on host %s: each wire across hosts needs its own UDP port on each of its hosts",
				l->name, n, o->name, o->line, host);
		l->port = (unsigned int)n;
	}
	for (i = 0; i < lab->nlinks; i++) {
		struct lab_link *l = &lab->links[i];

		if (!l->cross || l->cross_kind != LINK_L2TPV3 || l->port)
			continue;
		p = lab_derive(lab->name, l->name, "port") %
		    LAB_HOST_PORT_RANGE;
		for (k = 0; k < LAB_HOST_PORT_RANGE; k++) {
			unsigned int port = LAB_HOST_PORT_BASE +
					    (p + k) % LAB_HOST_PORT_RANGE;

			if (!port_taken(lab, l, port, &host)) {
				l->port = port;
				break;
			}
		}
		if (!l->port)
			return lab_err(
				c, l->line,
				"[link %s]: no UDP port of %d..%d is free on both its hosts: give it port = N",
				l->name, LAB_HOST_PORT_BASE,
				LAB_HOST_PORT_BASE + LAB_HOST_PORT_RANGE - 1);
	}
	return 0;
}

int lab_hosts_check(struct lab_ctx *c)
{
	struct lab *lab = c->lab;
	int i, j, ret;

	c->file = lab->path;
	for (i = 0; !lab->nhosts && i < lab->nnodes; i++)
		if (lab->nodes[i].host_line)
			return lab_err(
				c, lab->nodes[i].host_line,
				"[node %s]: host = %s, but this lab has no [host] sections: add [host %s] with address = (and one for every other host), or remove host =",
				lab->nodes[i].name, lab->nodes[i].host_name,
				lab->nodes[i].host_name);
	if (lab->nhosts) {
		ret = check_hosts(c);
		if (ret)
			return ret;
	}
	for (i = 0; i < lab->nlinks; i++) {
		struct lab_link *l = &lab->links[i];
		const char *keys[] = { "transport", "port" };
		int h0 = -1, other = 0;

		l->cross = false;
		for (j = 0; lab->nhosts && j < l->neps; j++) {
			int h = lab->nodes[l->eps[j].node].host;

			if (h0 < 0)
				h0 = h;
			else if (h != h0 && !l->cross) {
				l->cross = true;
				other = j;
			}
		}
		if (!l->cross) {
			for (j = 0; l->kind == LINK_WIRE && j < 2; j++)
				if (lab_kv(l->kvs, l->nkvs, keys[j]))
					return lab_err(
						c,
						lab_kv_line(l->kvs, l->nkvs,
							    keys[j], l->line),
						"[link %s]: %s = is for a wire between nodes on two hosts; this wire's nodes are on one",
						l->name, keys[j]);
			continue;
		}
		if (l->kind != LINK_WIRE)
			return lab_err(
				c, l->line,
				"[link %s]: a segment cannot span hosts (%s is on %s, %s on %s): make it wires between nodes, or put its nodes on one host",
				l->name, lab->nodes[l->eps[0].node].name,
				lab->hosts[h0].name,
				lab->nodes[l->eps[other].node].name,
				lab->hosts[lab->nodes[l->eps[other].node].host]
					.name);
		if (l->capture)
			return lab_err(
				c,
				lab_kv_line(l->kvs, l->nkvs, "capture",
					    l->line),
				"[link %s]: capture = yes does not go with a wire across hosts: no switch of the lab sees its frames; use umnet lab capture %s (the node's side) instead",
				l->name, l->name);
		ret = check_cross(c, l);
		if (ret)
			return ret;
	}
	return assign_ports(c);
}
