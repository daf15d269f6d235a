// SPDX-License-Identifier: GPL-2.0
/*
 * The checks of a lab that need the whole file (lab_parse.c reads it):
 * each link's endpoints resolved to nodes, its kind chosen, its keys
 * checked against its kind; the tests' names (labtest_parse.c); the lab's
 * name from the file name when [lab] has none.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>

#include "lab_priv.h"
#include "pcapring.h"
#include "profile.h"

/* keys of [link] sections, by kind */
const struct lab_link_key lab_link_keys[] = {
	{ "kind", ~0u },
	{ "endpoint", ~0u },
	{ "mtu", ~0u },
	{ "depth", ~0u },
	{ "gro", ~0u },
	{ "netns", 1u << LINK_NETNS },
	{ "transport",
	  (1u << LINK_NETNS) | (1u << LINK_WIRE) | (1u << LINK_SWITCH) },
	{ "host-ifname", 1u << LINK_NETNS },
	{ "host-address", 1u << LINK_NETNS },
	{ "host-route", 1u << LINK_NETNS },
	{ "local", (1u << LINK_GRE) | (1u << LINK_L2TPV3) },
	{ "remote", (1u << LINK_GRE) | (1u << LINK_L2TPV3) },
	{ "far-end", (1u << LINK_GRE) | (1u << LINK_L2TPV3) },
	{ "far-end-address", (1u << LINK_GRE) | (1u << LINK_L2TPV3) },
	{ "far-end-route", (1u << LINK_GRE) | (1u << LINK_L2TPV3) },
	{ "far-end-ifname", (1u << LINK_GRE) | (1u << LINK_L2TPV3) },
	{ "key", 1u << LINK_GRE },
	{ "udp", 1u << LINK_L2TPV3 },
	{ "local-port", 1u << LINK_L2TPV3 },
	{ "remote-port", 1u << LINK_L2TPV3 },
	{ "local-session", 1u << LINK_L2TPV3 },
	{ "remote-session", 1u << LINK_L2TPV3 },
	{ "local-cookie", 1u << LINK_L2TPV3 },
	{ "remote-cookie", 1u << LINK_L2TPV3 },
	/* a wire across hosts, a segment's switch (lab_hosts.c) */
	{ "port", (1u << LINK_WIRE) | (1u << LINK_SWITCH) },
	/* every kind, so check_capture can say why a kind has none */
	{ "capture", ~0u },
	{ "capture-size", ~0u },
	{ "capture-files", ~0u },
};
const int lab_nlink_keys = ARRAY_SIZE(lab_link_keys);

static bool link_has_key(unsigned int kinds, enum link_kind k)
{
	return kinds & (1u << k);
}

/* capture = yes|no, capture-size = SIZE, capture-files = N */
static int check_capture(struct lab_ctx *c, struct lab_link *l)
{
	const char *v = lab_kv(l->kvs, l->nkvs, "capture");
	const char *size = lab_kv(l->kvs, l->nkvs, "capture-size");
	const char *files = lab_kv(l->kvs, l->nkvs, "capture-files");
	const char *t = lab_kv(l->kvs, l->nkvs, "transport");
	int line = lab_kv_line(l->kvs, l->nkvs, "capture", l->line);
	unsigned long n;

	l->capture_size = LAB_CAPTURE_SIZE_DEFAULT;
	l->capture_files = LAB_CAPTURE_FILES_DEFAULT;
	if (v && strcmp(v, "yes") && strcmp(v, "no"))
		return lab_err(c, line, "capture = %s: must be yes or no", v);
	l->capture = v && !strcmp(v, "yes");
	if ((size || files) && !l->capture)
		return lab_err(
			c,
			lab_kv_line(l->kvs, l->nkvs,
				    size ? "capture-size" : "capture-files",
				    l->line),
			"[link %s]: %s = without capture = yes", l->name,
			size ? "capture-size" : "capture-files");
	if (!l->capture)
		return 0;
	if (l->kind == LINK_GRE || l->kind == LINK_L2TPV3)
		return lab_err(
			c, line,
			"[link %s]: capture = yes does not go with kind %s: its frames leave the node encapsulated, and the host never sees them whole; use umnet lab capture %s (the node's side) instead",
			l->name, link_kind_name(l->kind), l->name);
	if (l->kind == LINK_NETNS && t && strcmp(t, "raw"))
		return lab_err(
			c, line,
			"[link %s]: capture = yes on a netns link needs transport = raw (the host end it records is the veth)",
			l->name);
	if (size && parse_bytes(size, PCAP_RING_SIZE_MIN, LAB_CAPTURE_SIZE_MAX,
				&l->capture_size))
		return lab_err(
			c,
			lab_kv_line(l->kvs, l->nkvs, "capture-size", l->line),
			"capture-size = %s: a size per file, %dK..%lluG (e.g. 8M)",
			size, PCAP_RING_SIZE_MIN / 1024,
			LAB_CAPTURE_SIZE_MAX >> 30);
	if (files) {
		if (parse_uint(files, 1, PCAP_RING_FILES_MAX, &n))
			return lab_err(
				c,
				lab_kv_line(l->kvs, l->nkvs, "capture-files",
					    l->line),
				"capture-files = %s: the files kept, 1..%d",
				files, PCAP_RING_FILES_MAX);
		l->capture_files = (unsigned int)n;
	}
	return 0;
}

static int check_link(struct lab_ctx *c, struct lab_link *l)
{
	const char *far;
	int i, j, k = 0, n;

	/* endpoints' node names were kept as "endpoint" kvs, in order */
	for (i = 0; i < l->nkvs; i++) {
		struct lab_endpoint *ep;

		if (strcmp(l->kvs[i].key, "endpoint"))
			continue;
		ep = &l->eps[k++];
		n = lab_node_find(c->lab, l->kvs[i].value);
		if (n < 0)
			return lab_err(
				c, ep->line,
				"[link %s]: endpoint %s: no [node %s] in this lab",
				l->name, l->kvs[i].value, l->kvs[i].value);
		ep->node = n;
	}
	if (!l->kind_line)
		l->kind = l->neps >= 3 ? LINK_SWITCH : LINK_WIRE;
	if (l->impair_line) {
		char msg[300];

		if (impair_check(&l->impair, msg, sizeof(msg)))
			return lab_err(c, l->impair_line, "[link %s]: %s",
				       l->name, msg);
	}
	for (i = 0; i < l->nkvs; i++) {
		if (impair_key(l->kvs[i].key) >= 0)
			continue; /* every kind */
		for (j = 0; j < (int)lab_nlink_keys; j++)
			if (!strcmp(l->kvs[i].key, lab_link_keys[j].key))
				break;
		if (!link_has_key(lab_link_keys[j].kinds, l->kind))
			return lab_err(
				c, l->kvs[i].line,
				"[link %s]: %s = does not go with kind %s",
				l->name, l->kvs[i].key,
				link_kind_name(l->kind));
	}
	switch (l->kind) {
	case LINK_WIRE:
		if (l->neps != 2)
			return lab_err(
				c, l->line,
				"[link %s]: a wire joins exactly 2 endpoints, this has %d (kind = switch for a segment)",
				l->name, l->neps);
		break;
	case LINK_SWITCH:
		if (l->neps < 1)
			return lab_err(c, l->line,
				       "[link %s]: no endpoint = lines",
				       l->name);
		break;
	case LINK_NETNS:
	case LINK_GRE:
	case LINK_L2TPV3:
		if (l->neps != 1)
			return lab_err(
				c, l->line,
				"[link %s]: kind %s has exactly one endpoint (the lab's node), this has %d",
				l->name, link_kind_name(l->kind), l->neps);
		break;
	default:
		break;
	}
	for (i = 0; i < l->neps; i++)
		for (j = 0; j < i; j++)
			if (l->eps[i].node == l->eps[j].node)
				return lab_err(
					c, l->eps[i].line,
					"[link %s]: node %s is on it twice (first on line %d)",
					l->name,
					c->lab->nodes[l->eps[i].node].name,
					l->eps[j].line);
	if ((i = check_capture(c, l)))
		return i;
	if (l->kind == LINK_NETNS) {
		const char *ns = lab_kv(l->kvs, l->nkvs, "netns");
		const char *t = lab_kv(l->kvs, l->nkvs, "transport");

		if (!ns)
			return lab_err(
				c, l->line,
				"[link %s]: kind netns needs netns = NAME (the host namespace)",
				l->name);
		if (!netns_name_valid(ns))
			return lab_err(
				c,
				lab_kv_line(l->kvs, l->nkvs, "netns", l->line),
				"netns = %s: not a valid namespace name", ns);
		if (t && strcmp(t, "raw") && strcmp(t, "tap"))
			return lab_err(
				c,
				lab_kv_line(l->kvs, l->nkvs, "transport",
					    l->line),
				"transport = %s: a netns link is raw (default) or tap",
				t);
	}
	if (l->kind == LINK_GRE || l->kind == LINK_L2TPV3) {
		const char *u = lab_kv(l->kvs, l->nkvs, "udp");

		if (!lab_kv(l->kvs, l->nkvs, "local") ||
		    !lab_kv(l->kvs, l->nkvs, "remote"))
			return lab_err(
				c, l->line,
				"[link %s]: kind %s needs local = (the address the node sends from) and remote = (the equipment's)",
				l->name, link_kind_name(l->kind));
		if (u && strcmp(u, "yes") && strcmp(u, "no"))
			return lab_err(
				c, lab_kv_line(l->kvs, l->nkvs, "udp", l->line),
				"udp = %s: must be yes or no", u);
		far = lab_kv(l->kvs, l->nkvs, "far-end");
		if (far) {
			char what[16], name[NETNS_NAME_MAX], extra[2];
			int line = lab_kv_line(l->kvs, l->nkvs, "far-end",
					       l->line);

			if (sscanf(far, "%15s %63s %1s", what, name, extra) !=
				    2 ||
			    (strcmp(what, "node") && strcmp(what, "netns")))
				return lab_err(
					c, line,
					"far-end = %s: must be \"node NODE\" or \"netns NAME\"",
					far);
			if (!strcmp(what, "node")) {
				n = lab_node_find(c->lab, name);
				if (n < 0)
					return lab_err(
						c, line,
						"far-end = %s: no [node %s] in this lab",
						far, name);
				if (n == l->eps[0].node)
					return lab_err(
						c, line,
						"far-end = %s: the far end cannot be the link's own node",
						far);
				strscpy(l->far_node, name, sizeof(l->far_node));
			} else if (!netns_name_valid(name)) {
				return lab_err(
					c, line,
					"far-end = %s: not a valid namespace name",
					far);
			}
			{
				static const char *const kernel_devs[] = {
					"gre0",	   "gretap0", "erspan0",
					"tunl0",   "sit0",    "ip6gre0",
					"ip6tnl0", "ip_vti0", "ip6_vti0",
					"bond0",   "dummy0",  "lo",
					"teql0",   NULL,
				};
				const char *ifn = lab_kv(l->kvs, l->nkvs,
							 "far-end-ifname")
							  ?: l->name;

				if (!ifname_valid(ifn))
					return lab_err(
						c, line,
						"far-end: \"%s\" is not a valid interface name for the far end",
						ifn);
				for (i = 0; kernel_devs[i]; i++)
					if (!strcmp(ifn, kernel_devs[i]))
						return lab_err(
							c, line,
							"far-end: the far end's interface would be %s, which the kernel makes itself: set far-end-ifname = (another name) or rename the link",
							ifn);
			}
		} else if (lab_kv(l->kvs, l->nkvs, "far-end-address") ||
			   lab_kv(l->kvs, l->nkvs, "far-end-route") ||
			   lab_kv(l->kvs, l->nkvs, "far-end-ifname")) {
			return lab_err(
				c, l->line,
				"[link %s]: far-end-address, far-end-route and far-end-ifname need far-end = node NODE or netns NAME",
				l->name);
		}
	}
	return 0;
}

int lab_check(struct lab_ctx *c)
{
	struct lab *lab = c->lab;
	int i, ret;

	if (!lab->nnodes)
		return lab_err(c, 0,
			       "no [node NAME] sections: a lab needs nodes");
	for (i = 0; i < lab->nlinks; i++) {
		c->file = lab->path;
		ret = check_link(c, &lab->links[i]);
		if (ret)
			return ret;
	}
	ret = lab_tests_check(c);
	if (ret)
		return ret;
	c->file = lab->path;
	if (!lab->name[0]) {
		char tmp[PATH_MAX], *b, *dot;

		strscpy(tmp, lab->path, sizeof(tmp));
		b = basename(tmp);
		dot = strstr(b, ".lab");
		if (dot)
			*dot = '\0';
		if (!lab_name_valid(b))
			return lab_err(
				c, 0,
				"no name = ... in [lab], and the file name \"%s\" is not a valid lab name (1-%d letters, digits, '_' or '-', starting with a letter)",
				b, LAB_NAME_MAX);
		strscpy(lab->name, b, sizeof(lab->name));
	}
	ret = lab_check_bridged(c);
	if (ret)
		return ret;
	/* wires across hosts derive their ports from the lab's name */
	return lab_hosts_check(c);
}
