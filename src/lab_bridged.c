// SPDX-License-Identifier: GPL-2.0
/*
 * bridged = yes and port = in a lab (docs/lab.md): the keys checked once
 * the whole file was read, and what they mean: each bridged node gets a
 * /30 of the lab's bridged-subnet (by default a /24 of 198.18.0.0/15
 * chosen by the lab's name), the host end of its veth is the gateway.
 * The host side (NAT, forwarding) is labnat.c; the node's interface is
 * written by lab_compile.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab_priv.h"
#include "nft.h"

/* the bits that count n things (a /30 each: 30 - bits is the prefix) */
static int bits_for(int n)
{
	int b = 0;

	while ((1 << b) < n)
		b++;
	return b;
}

int lab_port_parse(const char *v, struct lab_port *p)
{
	char buf[64], *colon, *slash, *guest;
	unsigned long n;

	if (strscpy(buf, v, sizeof(buf)))
		return -EINVAL;
	p->proto = IPPROTO_TCP;
	p->host = LAB_PORT_HOST_DEFAULT;
	slash = strchr(buf, '/');
	if (slash) {
		*slash++ = '\0';
		if (nft_proto_parse(slash, &p->proto))
			return -EINVAL;
	}
	guest = buf;
	colon = strchr(buf, ':');
	if (colon) {
		*colon = '\0';
		guest = colon + 1;
		if (parse_uint(buf, 1, 65535, &n))
			return -EINVAL;
		p->host = n;
	}
	if (parse_uint(guest, 1, 65535, &n))
		return -EINVAL;
	p->guest = n;
	return 0;
}

bool lab_node_bridged(const struct lab *lab, int node)
{
	const struct lab_node *n = &lab->nodes[node];
	const char *v = lab_kv(n->kvs, n->nkvs, "bridged");

	return v && !strcmp(v, "yes");
}

int lab_bridged_addrs(const struct lab *lab, int node, struct ip_prefix *host,
		      struct ip_prefix *guest)
{
	uint32_t net, k = 0;
	int i;

	if (!lab_node_bridged(lab, node) ||
	    lab->bridged_subnet.family != AF_INET)
		return -ENOENT;
	for (i = 0; i < node; i++)
		k += lab_node_bridged(lab, i);
	/* lab_check_bridged made sure they fit */
	if (lab->bridged_subnet.len > 30 ||
	    k >= 1u << (30 - lab->bridged_subnet.len))
		return -ENOSPC;
	net = ntohl(lab->bridged_subnet.addr.v4.s_addr) + 4 * k;
	*host = (struct ip_prefix){ .family = AF_INET, .len = 30 };
	*guest = *host;
	host->addr.v4.s_addr = htonl(net + 1);
	guest->addr.v4.s_addr = htonl(net + 2);
	return 0;
}

void lab_bridged_ifname(const struct lab *lab, int node, char *out, size_t len)
{
	char in[2 * LAB_NAME_MAX + 16];

	snprintf(in, sizeof(in), "%s/%s/bridged", lab->name,
		 lab->nodes[node].name);
	snprintf(out, len, "ub%08x", fnv1a(in));
}

void lab_nat_table(const struct lab *lab, char *out, size_t len)
{
	snprintf(out, len, "umnet-%s", lab->name);
}

int lab_set_bridged_subnet(struct lab_ctx *c, const char *v)
{
	struct lab *lab = c->lab;
	struct ip_prefix p;
	uint32_t mask;

	if (ip_prefix_parse(v, true, &p) || p.family != AF_INET || p.len < 8 ||
	    p.len > 30)
		return lab_err(
			c, c->line,
			"bridged-subnet = %s: must be an IPv4 prefix from /8 to /30, e.g. 198.18.7.0/24 (each bridged node takes a /30 of it)",
			v);
	mask = htonl(~0u << (32 - p.len));
	if (p.addr.v4.s_addr & ~mask)
		return lab_err(
			c, c->line,
			"bridged-subnet = %s: host bits are set (the prefix is %s/%d)",
			v,
			inet_ntoa((struct in_addr){ p.addr.v4.s_addr & mask }),
			p.len);
	lab->bridged_subnet = p;
	lab->bridged_subnet_line = c->line;
	return 0;
}

/* the default: a /24 of the pool, by the lab's name */
static void default_subnet(struct lab *lab)
{
	struct ip_prefix pool;
	uint32_t n;

	ip_prefix_parse(LAB_BRIDGED_POOL, true, &pool);
	n = 1u << (24 - pool.len); /* /24s in the pool */
	lab->bridged_subnet =
		(struct ip_prefix){ .family = AF_INET, .len = 24 };
	lab->bridged_subnet.addr.v4.s_addr = htonl(
		ntohl(pool.addr.v4.s_addr) + (fnv1a(lab->name) % n) * 256);
}

/* port = lines of node i: parsed, each host port once in the lab */
static int check_ports(struct lab_ctx *c, int i, struct lab_port *seen,
		       int *seen_line, int *nseen)
{
	const struct lab_node *n = &c->lab->nodes[i];
	int j, k;

	for (j = 0; j < n->nkvs; j++) {
		struct lab_port p;

		if (strcmp(n->kvs[j].key, "port"))
			continue;
		if (lab_port_parse(n->kvs[j].value, &p))
			return lab_err(
				c, n->kvs[j].line,
				"[node %s]: port = %s: must be [HOST:]GUEST[/tcp|udp|sctp], ports 1-65535 (HOST default %d), e.g. 8080:80/tcp",
				n->name, n->kvs[j].value,
				LAB_PORT_HOST_DEFAULT);
		if (!lab_node_bridged(c->lab, i))
			return lab_err(
				c, n->kvs[j].line,
				"[node %s]: port = %s needs bridged = yes: the port is forwarded to the node's bridged address",
				n->name, n->kvs[j].value);
		for (k = 0; k < *nseen; k++)
			if (seen[k].host == p.host && seen[k].proto == p.proto)
				return lab_err(
					c, n->kvs[j].line,
					"[node %s]: port = %s: host port %u/%s is forwarded already (line %d)",
					n->name, n->kvs[j].value, p.host,
					nft_proto_name(p.proto), seen_line[k]);
		seen[*nseen] = p;
		seen_line[(*nseen)++] = n->kvs[j].line;
	}
	return 0;
}

int lab_check_bridged(struct lab_ctx *c)
{
	struct lab *lab = c->lab;
	struct lab_port *seen = NULL;
	int *seen_line = NULL, nseen = 0, nports = 0, nbridged = 0, i, j;
	int ret = 0;

	for (i = 0; i < lab->nnodes; i++) {
		const struct lab_node *n = &lab->nodes[i];
		const char *v = lab_kv(n->kvs, n->nkvs, "bridged");
		int line = lab_kv_line(n->kvs, n->nkvs, "bridged", n->line);

		for (j = 0; j < n->nkvs; j++)
			nports += !strcmp(n->kvs[j].key, "port");
		if (!v)
			continue;
		if (strcmp(v, "yes") && strcmp(v, "no"))
			return lab_err(
				c, line,
				"[node %s]: bridged = %s: must be yes or no",
				n->name, v);
		if (strcmp(v, "yes"))
			continue;
		if (lab_kv(n->kvs, n->nkvs, "netns"))
			return lab_err(
				c, line,
				"[node %s]: bridged = yes and netns = cannot be combined: the NAT is in the namespace umnet runs in",
				n->name);
		nbridged++;
	}
	if (!lab->bridged_subnet_line)
		default_subnet(lab);
	if (nbridged > 1 << (30 - lab->bridged_subnet.len))
		return lab_err(
			c, lab->bridged_subnet_line,
			"%d bridged nodes do not fit in bridged-subnet %s/%d (a /30 each): set a larger one with bridged-subnet = PREFIX in [lab] (a /%d or shorter)",
			nbridged, inet_ntoa(lab->bridged_subnet.addr.v4),
			lab->bridged_subnet.len, 30 - bits_for(nbridged));
	seen = calloc(nports + 1, sizeof(*seen));
	seen_line = calloc(nports + 1, sizeof(*seen_line));
	if (!seen || !seen_line) {
		ret = errf(c->e, -ENOMEM, "out of memory");
		goto cleanup;
	}
	for (i = 0; !ret && i < lab->nnodes; i++)
		ret = check_ports(c, i, seen, seen_line, &nseen);
cleanup:
	free(seen);
	free(seen_line);
	return ret;
}
