// SPDX-License-Identifier: GPL-2.0
/*
 * The small shared part of labs (lab.h): names, lookups, paths, freeing,
 * and resolving node names in tests. Reading a lab file is lab_parse.c
 * (its checks lab_check.c, its [test] lines labtest_parse.c), turning its
 * nodes into profiles lab_compile.c.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab_priv.h"
#include "node.h"
#include "profile.h"

static const char *const kind_names[LINK_KIND_MAX] = {
	[LINK_WIRE] = "wire", [LINK_SWITCH] = "switch", [LINK_NETNS] = "netns",
	[LINK_GRE] = "gre",   [LINK_L2TPV3] = "l2tpv3",
};

int lab_grow(void *arrp, int n, int *cap, size_t size, struct err *e)
{
	void **arr = arrp, *grown;
	int ncap;

	if (n < *cap)
		return 0;
	if (*cap > INT_MAX / 2)
		return errf(e, -ENOMEM, "out of memory");
	ncap = *cap ? 2 * *cap : 8;
	grown = reallocarray(*arr, ncap, size);
	if (!grown)
		return errf(e, -ENOMEM, "out of memory");
	memset((char *)grown + (size_t)*cap * size, 0,
	       (size_t)(ncap - *cap) * size);
	*arr = grown;
	*cap = ncap;
	return 0;
}

bool lab_name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > LAB_NAME_MAX)
		return false;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return false;
	return strspn(s, ALNUM "_-") == n;
}

const char *link_kind_name(enum link_kind k)
{
	return k < LINK_KIND_MAX ? kind_names[k] : "?";
}

int lab_node_find(const struct lab *lab, const char *name)
{
	int i;

	for (i = 0; i < lab->nnodes; i++)
		if (!strcmp(lab->nodes[i].name, name))
			return i;
	return -1;
}

int lab_link_find(const struct lab *lab, const char *name)
{
	int i;

	for (i = 0; i < lab->nlinks; i++)
		if (!strcmp(lab->links[i].name, name))
			return i;
	return -1;
}

const char *lab_ep_ifname(const struct lab *lab, const struct lab_endpoint *ep,
			  char *buf, size_t len)
{
	const struct lab_node *n = &lab->nodes[ep->node];
	char vec[16];
	size_t w;

	if (n->p)
		return profile_ifname(n->p, ep->vec, buf, len);
	w = (size_t)snprintf(vec, sizeof(vec), "vec%d", ep->vec);
	for (int k = 0; k < n->nkvs; k++) {
		const char *v = n->kvs[k].value;

		if (strcmp(n->kvs[k].key, "rename") || strncmp(v, vec, w) ||
		    (v[w] != ' ' && v[w] != '\t'))
			continue;
		v += w + strspn(v + w, " \t");
		snprintf(buf, len, "%.*s", (int)strcspn(v, " \t"), v);
		return buf;
	}
	snprintf(buf, len, "%s", vec);
	return buf;
}

const char *lab_kv(const struct lab_kv *kvs, int n, const char *key)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(kvs[i].key, key))
			return kvs[i].value;
	return NULL;
}

int lab_kv_line(const struct lab_kv *kvs, int n, const char *key, int dflt)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(kvs[i].key, key))
			return kvs[i].line;
	return dflt;
}

void lab_node_hostname(const struct lab *lab, int node, char *out, size_t len)
{
	snprintf(out, len, "%s.%s", lab->name, lab->nodes[node].name);
}

void lab_wire_name(const struct lab *lab, const struct lab_link *l, char *out,
		   size_t len)
{
	snprintf(out, len, "%s.%s", lab->name, l->name);
}

int lab_state_dir(const char *name, char *out, size_t len)
{
	char root[PATH_MAX];
	int ret;

	ret = state_root(root, sizeof(root));
	if (ret)
		return ret;
	return path_fmt(out, len, "%s/.labs/%s", root, name);
}

int lab_switch_path(const char *lab_dir, const struct lab_link *l, char *out,
		    size_t len)
{
	/* sw/ is the lab's: its switches create their sockets there */
	return path_fmt(out, len, "%s/sw/%s.sock", lab_dir, l->name);
}

void lab_free(struct lab *lab)
{
	int i;

	if (!lab)
		return;
	for (i = 0; lab->nodes && i < lab->nnodes; i++) {
		free(lab->nodes[i].p);
		free(lab->nodes[i].kvs);
	}
	for (i = 0; lab->links && i < lab->nlinks; i++) {
		free(lab->links[i].eps);
		free(lab->links[i].kvs);
	}
	free(lab->nodes);
	free(lab->links);
	free(lab->tests);
	free(lab->hosts);
	free(lab->origin_map);
	memset(lab, 0, sizeof(*lab));
}

/* ---- messages told at the lab's origin -------------------------------- */

/* s with each "line K" (K a line of the text) made "line map[K]" */
static void lines_to_origin(const char *s, const int *map, int nmap, char *out,
			    size_t len)
{
	size_t o = 0;
	char *end;
	long k;

	while (*s && o + 1 < len) {
		if (!strncmp(s, "line ", 5) && isdigit((unsigned char)s[5])) {
			k = strtol(s + 5, &end, 10);
			if (k > 0 && k <= nmap && map[k]) {
				o += snprintf(out + o, len - o, "line %d",
					      map[k]);
				if (o >= len)
					break;
				s = end;
				continue;
			}
		}
		out[o++] = *s++;
	}
	out[o < len ? o : len - 1] = '\0';
}

void lab_msg_origin(const char *gen, const char *origin, const int *map,
		    int nmap, struct err *e)
{
	char rest[sizeof(e->msg)];
	size_t glen;
	const char *p;
	int n;

	if (!gen || !origin || !origin[0] || !map)
		return;
	glen = strlen(gen);
	if (strncmp(e->msg, gen, glen) || e->msg[glen] != ':' ||
	    sscanf(e->msg + glen + 1, "%d", &n) != 1 || n <= 0 || n > nmap ||
	    !map[n])
		return;
	p = strchr(e->msg + glen + 1, ':');
	if (!p)
		return;
	p++;
	while (*p == ' ')
		p++;
	if (!strncmp(p, "(line ", 6))
		return; /* told so already */
	lines_to_origin(p, map, nmap, rest, sizeof(rest));
	snprintf(e->msg, sizeof(e->msg),
		 "%.300s:%d: (line %d of the lab it makes) %.600s", origin,
		 map[n], n, rest);
}

void lab_err_origin(const struct lab *lab, struct err *e)
{
	if (lab->origin[0])
		lab_msg_origin(lab->path, lab->origin, lab->origin_map,
			       lab->norigin, e);
}

/* ---- resolving names in tests ----------------------------------------- */

static int ep_addr(const struct lab_endpoint *ep, char *out, size_t len)
{
	if (!ep->naddrs)
		return -ENOENT;
	ip_addr_str(&ep->addrs[0], out, len);
	return 0;
}

int lab_resolve(const struct lab *lab, int from, const char *s, bool shared,
		char *out, size_t len)
{
	struct ip_prefix a;
	const struct lab_node *n;
	int node, i, j, k;

	if (!ip_prefix_parse(s, false, &a)) {
		ip_addr_str(&a, out, len);
		return 0;
	}
	node = lab_node_find(lab, s);
	if (node < 0)
		return -EINVAL;
	for (i = 0; shared && i < lab->nlinks; i++) {
		const struct lab_link *l = &lab->links[i];
		int mine = -1, theirs = -1;

		for (j = 0; j < l->neps; j++) {
			if (l->eps[j].node == from)
				mine = j;
			if (l->eps[j].node == node)
				theirs = j;
		}
		if (mine >= 0 && theirs >= 0 &&
		    !ep_addr(&l->eps[theirs], out, len))
			return 0;
	}
	if (shared)
		return -ENOENT;
	n = &lab->nodes[node];
	if (n->p && n->p->nloopbacks) {
		ip_addr_str(&n->p->loopbacks[0], out, len);
		return 0;
	}
	for (k = 0; k < n->nkvs; k++) {
		if (strcmp(n->kvs[k].key, "loopback"))
			continue;
		if (ip_prefix_parse(n->kvs[k].value, true, &a))
			break;
		ip_addr_str(&a, out, len);
		return 0;
	}
	for (i = 0; i < lab->nlinks; i++)
		for (j = 0; j < lab->links[i].neps; j++)
			if (lab->links[i].eps[j].node == node &&
			    !ep_addr(&lab->links[i].eps[j], out, len))
				return 0;
	return -ENOENT;
}

bool lab_link_switched(const struct lab_link *l)
{
	return l->kind == LINK_SWITCH ||
	       (l->kind == LINK_WIRE && l->capture && !l->cross);
}

bool lab_link_wired(const struct lab_link *l)
{
	return l->kind == LINK_WIRE && !l->capture && !l->cross;
}

int lab_capture_path(const char *lab_dir, const struct lab_link *l, char *out,
		     size_t len)
{
	return path_fmt(out, len, "%s/capture/%s.pcap", lab_dir, l->name);
}
