// SPDX-License-Identifier: GPL-2.0
/*
 * Labs across hosts (lab.h, docs/scale.md): [host NAME] sections, a
 * node's host = NAME, and the wires whose two nodes sit on different
 * hosts. Such a wire becomes L2TPv3 over UDP (or GRE) between the two
 * hosts' addresses; its port, sessions and cookies are derived from the
 * lab's and the link's names, so each host compiles the same values
 * without talking to the other. A segment whose nodes are on several
 * hosts runs its switch on its first endpoint's host; the nodes on other
 * hosts reach it by L2TPv3 over UDP, each on a port and session of its
 * own, derived the same way. Which share a process handles, and what
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

	snprintf(buf, sizeof(buf), "%s/%s/%s", lab, link, salt);
	return fnv1a(buf);
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

void lab_seg_ids(const char *lab, const struct lab_link *l, int ep, int side,
		 struct lab_l2tp_ids *ids)
{
	char key[LAB_NAME_MAX + 16];

	snprintf(key, sizeof(key), "%s#%d", l->name, ep);
	lab_l2tp_ids(lab, key, side, ids);
}

bool lab_switch_here(const struct lab *lab, const struct lab_link *l)
{
	if (!lab_link_switched(l))
		return false;
	if (l->cross && lab->nhosts && lab->here >= 0)
		return l->sw_host == lab->here;
	return lab_link_here(lab, l);
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

/* a wire or segment across hosts: its transport and MTU */
static int check_cross(struct lab_ctx *c, struct lab_link *l)
{
	struct lab *lab = c->lab;
	const struct lab_host *ha =
		&lab->hosts[lab->nodes[l->eps[0].node].host];
	const struct lab_host *hb = NULL;
	const char *t = lab_kv(l->kvs, l->nkvs, "transport");
	const char *m = lab_kv(l->kvs, l->nkvs, "mtu");
	bool seg = l->kind != LINK_WIRE;
	unsigned int under, over;
	unsigned long n;
	int i;

	l->sw_host = lab->nodes[l->eps[0].node].host;
	under = ha->mtu ? ha->mtu : LAB_UNDERLAY_MTU;
	for (i = 1; i < l->neps; i++) {
		const struct lab_host *h =
			&lab->hosts[lab->nodes[l->eps[i].node].host];

		if (h == ha)
			continue;
		if (!hb)
			hb = h;
		if (h->addr.family != ha->addr.family)
			return lab_err(
				c, l->line,
				"[link %s]: hosts %s and %s have addresses of different families (IPv4 and IPv6): give both an address of one family",
				l->name, ha->name, h->name);
		if (h->mtu && h->mtu < under)
			under = h->mtu;
	}
	l->cross_kind = LINK_L2TPV3;
	if (t && !strcmp(t, "gre") && !seg)
		l->cross_kind = LINK_GRE;
	else if (t && strcmp(t, "l2tpv3"))
		return lab_err(
			c, lab_kv_line(l->kvs, l->nkvs, "transport", l->line),
			seg ? "[link %s]: transport = %s: a segment across hosts reaches its switch by l2tpv3 (UDP, the default); GRE has no ports to tell its nodes apart"
			    : "[link %s]: transport = %s: a wire across hosts is l2tpv3 (the default: UDP, no privilege) or gre (needs root: raw sockets)",
			l->name, t);
	if (l->cross_kind == LINK_GRE && lab_kv(l->kvs, l->nkvs, "port"))
		return lab_err(
			c, lab_kv_line(l->kvs, l->nkvs, "port", l->line),
			"[link %s]: port = does not go with transport = gre (GRE has no ports)",
			l->name);
	for (i = 0; i < l->neps; i++) {
		const struct lab_node *nd = &lab->nodes[l->eps[i].node];
		const char *ns = lab_kv(nd->kvs, nd->nkvs, "netns");

		/* a segment's nodes on its switch's host use its socket */
		if (ns && !(seg && nd->host == l->sw_host))
			return lab_err(
				c,
				lab_kv_line(nd->kvs, nd->nkvs, "netns",
					    nd->line),
				"[node %s]: netns = %s and link %s to another host: the node would send from inside %s, where host %s's address is not; remove netns =",
				nd->name, ns, l->name, ns,
				lab->hosts[nd->host].name);
	}
	over = lab_cross_overhead(l->cross_kind, ha->addr.family);
	l->mtu = under - over;
	if (l->mtu < 576) /* an interface's least (transport.c) */
		return lab_err(
			c, l->line,
			"[link %s]: an underlay MTU of %u leaves %u for the %s between hosts %s and %s (%u bytes of headers), less than 576: raise mtu = in [host %s] and [host %s]",
			l->name, under, l->mtu, seg ? "segment" : "wire",
			ha->name, hb->name, over, ha->name, hb->name);
	if (!m)
		return 0;
	if (parse_uint(m, 576, 65534, &n))
		return lab_err(c, lab_kv_line(l->kvs, l->nkvs, "mtu", l->line),
			       "[link %s]: mtu = %s: must be 576..65534",
			       l->name, m);
	if (n > l->mtu)
		return lab_err(
			c, lab_kv_line(l->kvs, l->nkvs, "mtu", l->line),
			"[link %s]: mtu = %lu is more than this %s between hosts %s and %s carries: %u (the underlay's %u minus %u bytes of %s headers); lower it, or set mtu = in [host %s] and [host %s] if the underlay carries more",
			l->name, n, seg ? "segment" : "wire", ha->name,
			hb->name, l->mtu, under, over,
			l->cross_kind == LINK_GRE
				? "IP, GRE and Ethernet"
				: "IP, UDP, L2TPv3 and Ethernet",
			ha->name, hb->name);
	l->mtu = (unsigned int)n;
	return 0;
}

/*
 * The l2tpv3 link across hosts other than the claim self that uses UDP
 * port on host: a wire on both its hosts, a segment's switch on its host,
 * a segment's remote end on its node's host.
 */
static const struct lab_link *port_user(const struct lab *lab, int host,
					unsigned int port,
					const unsigned int *self)
{
	int i, j;

	for (i = 0; i < lab->nlinks; i++) {
		const struct lab_link *o = &lab->links[i];

		if (!o->cross || o->cross_kind != LINK_L2TPV3)
			continue;
		for (j = 0; j < o->neps; j++) {
			const unsigned int *p = o->kind == LINK_WIRE
							? &o->port
							: &o->eps[j].port;
			int h = lab->nodes[o->eps[j].node].host;

			if (o->kind != LINK_WIRE && h == o->sw_host)
				p = &o->port; /* on the switch's host */
			if (p != self && *p == port && h == host)
				return o;
		}
	}
	return NULL;
}

/* the hosts a claim binds its port on: a wire's two, else one */
static int claim_hosts(const struct lab *lab, const struct lab_link *l, int ep,
		       int *hosts)
{
	if (l->kind == LINK_WIRE) {
		hosts[0] = lab->nodes[l->eps[0].node].host;
		hosts[1] = lab->nodes[l->eps[1].node].host;
		return 2;
	}
	hosts[0] = ep < 0 ? l->sw_host : lab->nodes[l->eps[ep].node].host;
	return 1;
}

/* the link using port on a host of the claim, with that host */
static const struct lab_link *port_taken(const struct lab *lab,
					 const struct lab_link *l, int ep,
					 const unsigned int *self,
					 unsigned int port, const char **host)
{
	const struct lab_link *o;
	int h[2], i, n = claim_hosts(lab, l, ep, h);

	for (i = 0; i < n; i++)
		if ((o = port_user(lab, h[i], port, self))) {
			*host = lab->hosts[h[i]].name;
			return o;
		}
	return NULL;
}

/* a derived port for a claim: base + hash % range, else the next free */
static int derive_port(struct lab_ctx *c, struct lab_link *l, int ep,
		       unsigned int *self)
{
	struct lab *lab = c->lab;
	char key[LAB_NAME_MAX + 16];
	const char *host;
	unsigned int p, k;

	if (ep < 0)
		strscpy(key, l->name, sizeof(key));
	else
		snprintf(key, sizeof(key), "%s#%d", l->name, ep);
	p = lab_derive(lab->name, key, "port") % LAB_HOST_PORT_RANGE;
	for (k = 0; k < LAB_HOST_PORT_RANGE; k++) {
		unsigned int port =
			LAB_HOST_PORT_BASE + (p + k) % LAB_HOST_PORT_RANGE;

		if (!port_taken(lab, l, ep, self, port, &host)) {
			*self = port;
			return 0;
		}
	}
	return lab_err(
		c, l->line,
		"[link %s]: no UDP port of %d..%d is free on %s: give it port = N",
		l->name, LAB_HOST_PORT_BASE,
		LAB_HOST_PORT_BASE + LAB_HOST_PORT_RANGE - 1,
		l->kind == LINK_WIRE ? "both its hosts" : "its hosts");
}

/*
 * Ports: given (port = N) first; the others derived, in file order (a
 * segment: its switch's, then each end's on another host): both hosts
 * read the same file and so pick the same.
 */
static int assign_ports(struct lab_ctx *c)
{
	struct lab *lab = c->lab;
	const struct lab_link *o;
	const char *host;
	unsigned long n;
	int i, j, ret;

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
		o = port_taken(lab, l, -1, &l->port, (unsigned int)n, &host);
		if (o)
			return lab_err(
				c, line,
				"[link %s]: port = %lu is link %s's port too (line %d), on host %s: each wire across hosts needs its own UDP port on each of its hosts",
				l->name, n, o->name, o->line, host);
		l->port = (unsigned int)n;
	}
	for (i = 0; i < lab->nlinks; i++) {
		struct lab_link *l = &lab->links[i];

		if (!l->cross || l->cross_kind != LINK_L2TPV3)
			continue;
		if (!l->port && (ret = derive_port(c, l, -1, &l->port)))
			return ret;
		for (j = 0; l->kind != LINK_WIRE && j < l->neps; j++)
			if (lab->nodes[l->eps[j].node].host != l->sw_host &&
			    (ret = derive_port(c, l, j, &l->eps[j].port)))
				return ret;
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
		int h0 = -1;

		l->cross = false;
		for (j = 0; lab->nhosts && j < l->neps; j++) {
			int h = lab->nodes[l->eps[j].node].host;

			if (h0 < 0)
				h0 = h;
			else if (h != h0)
				l->cross = true;
		}
		if (!l->cross) {
			for (j = 0;
			     (l->kind == LINK_WIRE || l->kind == LINK_SWITCH) &&
			     j < 2;
			     j++)
				if (lab_kv(l->kvs, l->nkvs, keys[j]))
					return lab_err(
						c,
						lab_kv_line(l->kvs, l->nkvs,
							    keys[j], l->line),
						l->kind == LINK_WIRE
							? "[link %s]: %s = is for a wire between nodes on two hosts; this wire's nodes are on one"
							: "[link %s]: %s = is for a segment whose nodes are on several hosts; this one's are on one",
						l->name, keys[j]);
			continue;
		}
		if (l->capture && l->kind == LINK_WIRE)
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
