// SPDX-License-Identifier: GPL-2.0
/*
 * Compiling a lab (lab.h, docs/lab.md): lab_parse() read the file into
 * struct lab with the line of everything; lab_compile() writes each
 * node's overrides and links as profile text and parses that over the
 * node's base profile (profile_parse_overlay), with a map from each
 * generated line back to the lab's own line, so that the profile parser's
 * checks (transport options, addresses, paths) report lab file:line.
 */
#include <errno.h>
#include <openssl/sha.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab_priv.h"
#include "node.h"
#include "profile.h"
#include "transport.h"

static uint32_t derive(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static uint32_t derive(const char *fmt, ...)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	char in[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(in, sizeof(in), fmt, ap);
	va_end(ap);
	SHA256((const unsigned char *)in, n > 0 ? (size_t)n : 0, md);
	return (uint32_t)md[0] << 24 | (uint32_t)md[1] << 16 |
	       (uint32_t)md[2] << 8 | md[3];
}

/* a positive 31-bit id (GRE keys and L2TPv3 sessions are signed ints) */
static uint32_t derive_id(const char *lab, const char *link, const char *what)
{
	uint32_t v = derive("%s/%s/%s", lab, link, what) & 0x7fffffff;

	return v ? v : 1;
}

/* profile text with, for every line, the lab line it came from */
struct overlay {
	struct strbuf sb;
	int *map, n, cap;
};

static void ov_line(struct overlay *o, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void ov_line(struct overlay *o, int line, const char *fmt, ...)
{
	va_list ap;

	if (o->n == o->cap) {
		int cap = o->cap ? 2 * o->cap : 64;
		int *m = realloc(o->map, cap * sizeof(*m));

		if (!m) {
			o->sb.oom = true;
			return;
		}
		o->map = m;
		o->cap = cap;
	}
	o->map[o->n++] = line;
	va_start(ap, fmt);
	sb_vprintf(&o->sb, fmt, ap);
	va_end(ap);
	sb_printf(&o->sb, "\n");
}

static void ov_kvs(struct overlay *o, const struct lab_link *l, const char *key,
		   const char *as)
{
	int i;

	for (i = 0; i < l->nkvs; i++)
		if (!strcmp(l->kvs[i].key, key))
			ov_line(o, l->kvs[i].line, "%s = %s", as,
				l->kvs[i].value);
}

static void link_value(struct overlay *o, const struct lab_link *l,
		       const char *key, const char *as, unsigned long dflt)
{
	const char *v = lab_kv(l->kvs, l->nkvs, key);

	if (v)
		ov_line(o, lab_kv_line(l->kvs, l->nkvs, key, l->line),
			"%s = %s", as, v);
	else
		ov_line(o, l->line, "%s = %lu", as, dflt);
}

/* the tunnel keys of a gre/l2tpv3 link as profile lines, from its node */
static void tunnel_lines(struct overlay *o, const struct lab_link *l)
{
	const char *local = lab_kv(l->kvs, l->nkvs, "local");
	const char *udp = lab_kv(l->kvs, l->nkvs, "udp");

	ov_line(o, lab_kv_line(l->kvs, l->nkvs, "local", l->line), "src = %s",
		local);
	ov_line(o, lab_kv_line(l->kvs, l->nkvs, "remote", l->line), "dst = %s",
		lab_kv(l->kvs, l->nkvs, "remote"));
	if (strchr(local, ':'))
		ov_line(o, l->line, "v6 = 1");
	if (l->kind == LINK_GRE) {
		link_value(o, l, "key", "rx_key", l->key);
		link_value(o, l, "key", "tx_key", l->key);
		return;
	}
	link_value(o, l, "local-session", "rx_session", l->session[0]);
	link_value(o, l, "remote-session", "tx_session", l->session[1]);
	link_value(o, l, "local-cookie", "rx_cookie", l->cookie[0]);
	link_value(o, l, "remote-cookie", "tx_cookie", l->cookie[1]);
	if (!udp || !strcmp(udp, "yes")) {
		ov_line(o, l->line, "udp = 1");
		link_value(o, l, "local-port", "srcport", 1701);
		link_value(o, l, "remote-port", "dstport", 1701);
	}
}

/* the far end's interface lines (host = gretap/l2tp ...) */
static void far_lines(struct overlay *o, const struct lab_link *l,
		      const char *netns)
{
	const char *ifname = lab_kv(l->kvs, l->nkvs, "far-end-ifname");

	ov_line(o, lab_kv_line(l->kvs, l->nkvs, "far-end", l->line),
		"host = %s", l->kind == LINK_GRE ? "gretap" : "l2tp");
	ov_line(o, lab_kv_line(l->kvs, l->nkvs, "far-end-ifname", l->line),
		"host-ifname = %s", ifname ? ifname : l->name);
	if (netns)
		ov_line(o, lab_kv_line(l->kvs, l->nkvs, "far-end", l->line),
			"host-netns = %s", netns);
	ov_kvs(o, l, "far-end-address", "host-address");
	ov_kvs(o, l, "far-end-route", "host-route");
}

/*
 * A stable MAC on a tunnel (as fd wires have): the peer's ARP entry, on
 * another host or on real equipment, survives the node's restart, and
 * lab status shows the MAC the interface has.
 */
static void stable_mac(struct overlay *o, const struct lab *lab,
		       const struct lab_link *l, const struct lab_endpoint *ep)
{
	char name[NODE_NAME_MAX + 1], mac[MAC_STR_LEN];

	lab_node_hostname(lab, ep->node, name, sizeof(name));
	node_mac(name, ep->vec, mac);
	ov_line(o, l->line, "mac = %s", mac);
}

/*
 * A wire across hosts (lab_hosts.c): L2TPv3 over UDP (or GRE) from this
 * node's host's address to the other's, with the values both derive. A
 * segment's end on another host than its switch's: L2TPv3 to the switch's
 * host and port, from a port and with a session of this end's own.
 */
static void cross_lines(struct overlay *o, const struct lab *lab,
			const struct lab_link *l, const struct lab_endpoint *ep)
{
	int side = ep == &l->eps[0] ? 0 : 1;
	bool seg = l->kind != LINK_WIRE;
	const struct lab_host *me = &lab->hosts[lab->nodes[ep->node].host];
	const struct lab_host *peer =
		seg ? &lab->hosts[l->sw_host]
		    : &lab->hosts[lab->nodes[l->eps[!side].node].host];
	struct lab_l2tp_ids ids;
	char a[64];

	ov_line(o, lab_kv_line(l->kvs, l->nkvs, "transport", l->line),
		"transport = %s", link_kind_name(l->cross_kind));
	ov_line(o, me->line, "src = %s", ip_addr_str(&me->addr, a, sizeof(a)));
	ov_line(o, peer->line, "dst = %s",
		ip_addr_str(&peer->addr, a, sizeof(a)));
	if (me->addr.family == AF_INET6)
		ov_line(o, me->line, "v6 = 1");
	if (l->cross_kind == LINK_GRE) {
		ov_line(o, l->line, "rx_key = %u", l->key);
		ov_line(o, l->line, "tx_key = %u", l->key);
	} else {
		if (seg)
			lab_seg_ids(lab->name, l, (int)(ep - l->eps), 1, &ids);
		else
			lab_l2tp_ids(lab->name, l->name, side, &ids);
		ov_line(o, l->line, "udp = 1");
		ov_line(o, lab_kv_line(l->kvs, l->nkvs, "port", l->line),
			"srcport = %u", seg ? ep->port : l->port);
		ov_line(o, lab_kv_line(l->kvs, l->nkvs, "port", l->line),
			"dstport = %u", l->port);
		ov_line(o, l->line, "rx_session = %u", ids.rx_session);
		ov_line(o, l->line, "tx_session = %u", ids.tx_session);
		ov_line(o, l->line, "rx_cookie = %u", ids.rx_cookie);
		ov_line(o, l->line, "tx_cookie = %u", ids.tx_cookie);
	}
	ov_line(o, lab_kv_line(l->kvs, l->nkvs, "mtu", l->line), "mtu = %u",
		l->mtu);
	stable_mac(o, lab, l, ep);
}

static void iface_lines(struct overlay *o, const struct lab *lab,
			const struct lab_link *l, const struct lab_endpoint *ep,
			const char *lab_dir)
{
	const struct lab_node *n = &lab->nodes[ep->node];
	char buf[PATH_MAX], addr[64];
	const char *far, *t;
	int i;

	ov_line(o, ep->line, "[interface vec%d]", ep->vec);
	switch (lab_link_switched(l) ? LINK_SWITCH : l->kind) {
	case LINK_WIRE:
		if (l->cross) {
			cross_lines(o, lab, l, ep);
			break;
		}
		ov_line(o, l->line, "transport = fd");
		ov_line(o, l->line, "host = wire");
		lab_wire_name(lab, l, buf, sizeof(buf));
		ov_line(o, l->line, "wire = %s", buf);
		break;
	case LINK_SWITCH:
		if (l->cross && n->host != l->sw_host) {
			cross_lines(o, lab, l, ep);
			break;
		}
		if (l->cross) /* the segment's, as its other hosts' ends have */
			ov_line(o, lab_kv_line(l->kvs, l->nkvs, "mtu", l->line),
				"mtu = %u", l->mtu);
		ov_line(o, l->line, "transport = bess");
		if (lab_switch_path(lab_dir, l, buf, sizeof(buf)))
			buf[0] = '\0';
		ov_line(o, l->line, "dst = %s", buf);
		/* the lab's own umnet switch: TSO frames via dst.vnet */
		ov_line(o, l->line, "vnet_hdr = 1");
		break;
	case LINK_NETNS:
		t = lab_kv(l->kvs, l->nkvs, "transport");
		ov_line(o, lab_kv_line(l->kvs, l->nkvs, "transport", l->line),
			"transport = %s", t ? t : "raw");
		/* the node's end on the host: a hashed name, unique per host */
		ov_line(o, l->line, "ifname = u%08x",
			derive("%s/%s/vec%d", lab->name, n->name, ep->vec));
		ov_line(o, l->line, "host = %s",
			t && !strcmp(t, "tap") ? "tap" : "veth");
		if (!t || !strcmp(t, "raw"))
			ov_line(o, l->line, "host-ifname = %s",
				lab_kv(l->kvs, l->nkvs, "host-ifname")
					?: l->name);
		ov_line(o, lab_kv_line(l->kvs, l->nkvs, "netns", l->line),
			"host-netns = %s", lab_kv(l->kvs, l->nkvs, "netns"));
		ov_kvs(o, l, "host-address", "host-address");
		ov_kvs(o, l, "host-route", "host-route");
		if (!lab_kv(l->kvs, l->nkvs, "gro") &&
		    (!t || !strcmp(t, "raw")))
			ov_line(o, l->line, "gro = 1");
		break;
	case LINK_GRE:
	case LINK_L2TPV3:
		ov_line(o, l->line, "transport = %s", link_kind_name(l->kind));
		tunnel_lines(o, l);
		stable_mac(o, lab, l, ep);
		far = lab_kv(l->kvs, l->nkvs, "far-end");
		if (far && sscanf(far, "netns %63s", buf) == 1)
			far_lines(o, l, buf);
		break;
	default:
		break;
	}
	if (!l->cross) /* cross_lines: the computed one */
		ov_kvs(o, l, "mtu", "mtu");
	ov_kvs(o, l, "depth", "depth");
	ov_kvs(o, l, "gro", "gro");
	for (i = 0; i < IMP_NKEYS; i++)
		ov_kvs(o, l, impair_keys[i], impair_keys[i]);
	for (i = 0; i < ep->naddrs; i++)
		ov_line(o, ep->line, "address = %s",
			ip_prefix_str(&ep->addrs[i], addr, sizeof(addr)));
}

/*
 * The far end of link l built inside node n (far-end = node N): a profile
 * of l's own side with host = gretap/l2tp, which `umnet hostsetup --apply`
 * run in n at boot turns into the mirror tunnel in n's kernel.
 */
static int write_far_profile(struct lab_ctx *c, const struct lab_link *l,
			     const char *gen_dir, char *path, size_t len)
{
	struct overlay o = { 0 };
	struct profile *tmp = NULL;
	int ret;

	ov_line(&o, l->line, "[appliance]");
	ov_line(&o, l->line, "name = far-%s", l->name);
	ov_line(&o, l->line, "[interface vec0]");
	ov_line(&o, l->line, "transport = %s", link_kind_name(l->kind));
	tunnel_lines(&o, l);
	far_lines(&o, l, NULL);
	if (o.sb.oom) {
		ret = errf(c->e, -ENOMEM, "out of memory");
		goto cleanup;
	}
	ret = path_fmt(path, len, "%s/far-%s.profile", gen_dir, l->name);
	if (ret) {
		errf(c->e, ret, "%s/far-%s.profile: path too long", gen_dir,
		     l->name);
		goto cleanup;
	}
	/* check it as the node will read it, with lab lines in messages */
	tmp = calloc(1, sizeof(*tmp));
	if (!tmp) {
		ret = errf(c->e, -ENOMEM, "out of memory");
		goto cleanup;
	}
	ret = profile_parse_string(c->lab->path, "", tmp, c->e);
	if (!ret)
		ret = profile_parse_overlay(tmp, sb_str(&o.sb), o.map, o.n,
					    c->e);
	if (ret)
		goto cleanup;
	ret = write_file(path, o.sb.buf, o.sb.len, 0644);
	if (ret)
		errf(c->e, ret, "%s: %s", path, strerror(-ret));
cleanup:
	free(tmp);
	sb_free(&o.sb);
	free(o.map);
	return ret;
}

/* an IPv4 default route: "default ..." or "0.0.0.0/0 ..." */
static bool route_default(const char *r)
{
	return !strncmp(r, "default ", 8) || !strncmp(r, "0.0.0.0/0 ", 10) ||
	       !strcmp(r, "default") || !strcmp(r, "0.0.0.0/0");
}

/*
 * bridged = yes: the default route via the host, unless the node has one,
 * from the lab or from its base profile p
 */
static void bridged_route(struct overlay *o, const struct lab *lab, int node,
			  const struct profile *p)
{
	const struct lab_node *n = &lab->nodes[node];
	struct ip_prefix host, guest;
	char gw[64];
	int i;

	if (lab_bridged_addrs(lab, node, &host, &guest))
		return;
	for (i = 0; i < n->nkvs; i++)
		if (!strcmp(n->kvs[i].key, "route") &&
		    route_default(n->kvs[i].value))
			return;
	for (i = 0; i < p->nroutes; i++)
		if (route_default(p->routes[i].text))
			return;
	host.len = 32;
	ip_prefix_str(&host, gw, sizeof(gw));
	*strchr(gw, '/') = '\0';
	ov_line(o, lab_kv_line(n->kvs, n->nkvs, "bridged", n->line),
		"route = default via %s", gw);
}

/*
 * bridged = yes: one more interface, after all others (one past the
 * highest vecN), a veth to the host whose host end is the gateway
 */
static void bridged_lines(struct overlay *o, const struct lab *lab, int node,
			  const struct profile *p)
{
	const struct lab_node *n = &lab->nodes[node];
	int line = lab_kv_line(n->kvs, n->nkvs, "bridged", n->line);
	struct ip_prefix host, guest;
	char buf[64], ifname[IFNAMSIZ];
	int i, j, vec = -1;

	if (lab_bridged_addrs(lab, node, &host, &guest))
		return;
	for (i = 0; i < p->nifaces; i++)
		if (p->ifaces[i].index > vec)
			vec = p->ifaces[i].index;
	for (i = 0; i < lab->nlinks; i++)
		for (j = 0; j < lab->links[i].neps; j++)
			if (lab->links[i].eps[j].node == node &&
			    lab->links[i].eps[j].vec > vec)
				vec = lab->links[i].eps[j].vec;
	vec++;
	ov_line(o, line, "[interface vec%d]", vec);
	ov_line(o, line, "transport = raw");
	ov_line(o, line, "ifname = u%08x",
		derive("%s/%s/vec%d", lab->name, n->name, vec));
	ov_line(o, line, "host = veth");
	lab_bridged_ifname(lab, node, ifname, sizeof(ifname));
	ov_line(o, line, "host-ifname = %s", ifname);
	ov_line(o, line, "host-address = %s",
		ip_prefix_str(&host, buf, sizeof(buf)));
	ov_line(o, line, "gro = 1");
	ov_line(o, line, "address = %s",
		ip_prefix_str(&guest, buf, sizeof(buf)));
}

/* vecN for each of the node's endpoints: given, else the lowest free */
static int assign_vecs(struct lab_ctx *c, int node, const struct profile *p)
{
	struct lab *lab = c->lab;
	int owner[MAX_IFACES], i, j, v;

	for (v = 0; v < MAX_IFACES; v++)
		owner[v] = 0;
	for (i = 0; i < p->nifaces; i++)
		owner[p->ifaces[i].index] = -1; /* the base profile's */
	for (i = 0; i < lab->nlinks; i++) {
		for (j = 0; j < lab->links[i].neps; j++) {
			struct lab_endpoint *ep = &lab->links[i].eps[j];

			if (ep->node != node || ep->vec < 0)
				continue;
			if (owner[ep->vec] == -1)
				return lab_err(
					c, ep->line,
					"%s:vec%d is already an interface of profile %s",
					lab->nodes[node].name, ep->vec,
					lab->nodes[node].profile);
			if (owner[ep->vec])
				return lab_err(
					c, ep->line,
					"%s:vec%d is on two links (first on line %d)",
					lab->nodes[node].name, ep->vec,
					owner[ep->vec]);
			owner[ep->vec] = ep->line;
		}
	}
	for (i = 0; i < lab->nlinks; i++) {
		for (j = 0; j < lab->links[i].neps; j++) {
			struct lab_endpoint *ep = &lab->links[i].eps[j];

			if (ep->node != node || ep->vec >= 0)
				continue;
			for (v = 0; v < MAX_IFACES && owner[v]; v++)
				;
			if (v == MAX_IFACES)
				return lab_err(
					c, ep->line,
					"node %s has more than %d interfaces",
					lab->nodes[node].name, MAX_IFACES);
			ep->vec = v;
			owner[v] = ep->line;
		}
	}
	return 0;
}

static int compile_node(struct lab_ctx *c, int node, const char *lab_dir,
			const char *gen_dir)
{
	struct lab *lab = c->lab;
	struct lab_node *n = &lab->nodes[node];
	struct overlay o = { 0 };
	struct profile *p;
	char path[PATH_MAX];
	const char *rs = NULL;
	int i, j, rs_line = 0, ret;

	p = calloc(1, sizeof(*p));
	if (!p)
		return errf(c->e, -ENOMEM, "out of memory");
	n->p = p;
	if (n->profile[0]) {
		ret = profile_parse(n->profile, p, c->e);
		if (ret)
			goto cleanup;
	} else {
		ret = profile_parse_string(lab->path, "", p, c->e);
		if (ret)
			goto cleanup;
		if (lab->mem_mb)
			p->mem_mb = lab->mem_mb;
	}
	/* from here on, messages and relative paths are the lab's */
	strscpy(p->path, lab->path, sizeof(p->path));
	strscpy(p->dir, lab->dir, sizeof(p->dir));
	lab_node_hostname(lab, node, p->name, sizeof(p->name));
	ret = assign_vecs(c, node, p);
	if (ret)
		goto cleanup;
	ov_line(&o, n->line, "[appliance]");
	ov_line(&o, n->line, "hostname = %s", n->name);
	/* tunnels whose far end this node plays: built first thing */
	for (i = 0; gen_dir && i < lab->nlinks; i++) {
		const struct lab_link *l = &lab->links[i];

		if (strcmp(l->far_node, n->name))
			continue;
		ret = write_far_profile(c, l, gen_dir, path, sizeof(path));
		if (ret)
			goto cleanup;
		ov_line(&o, l->line, "file = %s /var/lib/umnet/far-%s.profile",
			path, l->name);
		ov_line(&o, l->line,
			"run = umnet hostsetup --apply /var/lib/umnet/far-%s.profile",
			l->name);
	}
	for (i = 0; i < n->nkvs; i++) {
		if (!strcmp(n->kvs[i].key, "ruleset")) {
			rs = n->kvs[i].value;
			rs_line = n->kvs[i].line;
			continue;
		}
		/* the host link: bridged_lines() */
		if (!strcmp(n->kvs[i].key, "bridged") ||
		    !strcmp(n->kvs[i].key, "port"))
			continue;
		ov_line(&o, n->kvs[i].line, "%s = %s", n->kvs[i].key,
			n->kvs[i].value);
	}
	bridged_route(&o, lab, node, p);
	for (i = 0; i < lab->nlinks; i++)
		for (j = 0; j < lab->links[i].neps; j++)
			if (lab->links[i].eps[j].node == node)
				iface_lines(&o, lab, &lab->links[i],
					    &lab->links[i].eps[j], lab_dir);
	bridged_lines(&o, lab, node, p);
	if (rs) {
		ov_line(&o, rs_line, "[firewall]");
		ov_line(&o, rs_line, "ruleset = %s", rs);
	}
	if (o.sb.oom) {
		ret = errf(c->e, -ENOMEM, "out of memory");
		goto cleanup;
	}
	ret = profile_parse_overlay(p, sb_str(&o.sb), o.map, o.n, c->e);
cleanup:
	sb_free(&o.sb);
	free(o.map);
	return ret;
}

int lab_compile(struct lab *lab, const char *gen_dir, struct err *e)
{
	struct lab_ctx c = { .lab = lab, .e = e, .file = lab->path };
	char dir[PATH_MAX];
	int i, ret;

	ret = lab_state_dir(lab->name, dir, sizeof(dir));
	if (ret)
		return errf(e, ret, "%s: state directory: %s", lab->name,
			    strerror(-ret));
	for (i = 0; i < lab->nlinks; i++) {
		struct lab_link *l = &lab->links[i];

		l->key = derive_id(lab->name, l->name, "key");
		l->session[0] = derive_id(lab->name, l->name, "session/local");
		l->session[1] = derive_id(lab->name, l->name, "session/remote");
		l->cookie[0] = derive("%s/%s/cookie/local", lab->name, l->name);
		l->cookie[1] =
			derive("%s/%s/cookie/remote", lab->name, l->name);
	}
	for (i = 0; i < lab->nnodes; i++) {
		free(lab->nodes[i].p);
		lab->nodes[i].p = NULL;
	}
	for (i = 0; i < lab->nnodes; i++) {
		ret = compile_node(&c, i, dir, gen_dir);
		if (ret)
			return ret;
	}
	return 0;
}
