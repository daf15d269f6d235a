// SPDX-License-Identifier: GPL-2.0
/*
 * The [interface vecN] and [firewall] keys of a profile, as tables like
 * [appliance]'s (profile_appliance.c). An [interface] key no entry names
 * is an impairment (impair.h) or goes to the kernel: the transport's own
 * keys, checked once the whole file is read (profile.c check_iface).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "profile_int.h"
#include "transport.h"

/* an impairment's message (impair_set) */
#define IMPAIR_MSG_MAX 300

static const char *const host_kind_names[HOST_KIND_MAX] = {
	[HOST_NONE] = "none",	  [HOST_VETH] = "veth", [HOST_TAP] = "tap",
	[HOST_GRETAP] = "gretap", [HOST_L2TP] = "l2tp", [HOST_WIRE] = "wire",
};

const char *host_kind_name(enum host_kind k)
{
	return k < HOST_KIND_MAX ? host_kind_names[k] : "none";
}

static int parse_transport(struct parse_ctx *c, const char *k, const char *v)
{
	struct iface *ifc = c->ifc;

	(void)k;
	ifc->transport = transport_find(v);
	ifc->transport_line = c->line;
	if (!ifc->transport)
		return perr(c, "unknown transport \"%s\" (known: %s)", v,
			    transport_names());
	return 0;
}

static void print_transport(const struct profile *p, const struct iface *ifc,
			    struct strbuf *sb)
{
	(void)p;
	sb_printf(sb, "transport = %s\n", ifc->transport->name);
}

/* the transport's keys, in file order */
static void print_opts(const struct profile *p, const struct iface *ifc,
		       struct strbuf *sb)
{
	int j;

	(void)p;
	for (j = 0; j < ifc->nopts; j++)
		sb_printf(sb, "%s = %s\n", ifc->opts[j].key,
			  ifc->opts[j].value);
}

int parse_netns_name(struct parse_ctx *c, const char *k, const char *v)
{
	if (!netns_name_valid(v))
		return perr(
			c,
			"%s = %s: not a valid namespace name: use 1-%d letters, digits, '_', '.' or '-', not starting with '.' or '-'",
			k, esc(c, v), NETNS_NAME_MAX - 1);
	strscpy(key_field(c), v, NETNS_NAME_MAX);
	if (c->sec == SEC_APPLIANCE)
		c->p->netns_line = c->line;
	return 0;
}

static int parse_host(struct parse_ctx *c, const char *k, const char *v)
{
	struct iface *ifc = c->ifc;
	int i;

	(void)k;
	ifc->host_line = c->line;
	for (i = 0; i < HOST_KIND_MAX; i++)
		if (!strcmp(v, host_kind_names[i]))
			break;
	if (i == HOST_KIND_MAX)
		return perr(
			c,
			"host = %s: must be veth, tap, gretap, l2tp, wire or none",
			v);
	ifc->host = i;
	return 0;
}

static void print_host(const struct profile *p, const struct iface *ifc,
		       struct strbuf *sb)
{
	(void)p;
	if (ifc->host != HOST_NONE)
		sb_printf(sb, "host = %s\n", host_kind_name(ifc->host));
}

/* host-ifname and host-bridge: an interface name on the host */
static int parse_host_link(struct parse_ctx *c, const char *k, const char *v)
{
	if (!host_name_valid(v, IFNAMSIZ - 1))
		return perr(
			c,
			"%s = %s: not a valid interface name: use 1-%d letters, digits, '_', '.' or '-', not starting with '.' or '-'",
			k, esc(c, v), IFNAMSIZ - 1);
	strscpy(key_field(c), v, IFNAMSIZ);
	return 0;
}

static void print_impair(const struct profile *p, const struct iface *ifc,
			 struct strbuf *sb)
{
	char buf[64];
	int j;

	(void)p;
	for (j = 0; j < IMP_NKEYS; j++) {
		impair_value(&ifc->impair, j, buf, sizeof(buf));
		if (buf[0])
			sb_printf(sb, "%s = %s\n", impair_keys[j], buf);
	}
}

/* "DST via GW": DST is a prefix or "default" */
static int parse_host_route(struct parse_ctx *c, const char *k, const char *v)
{
	struct iface *ifc = c->ifc;
	char dst[128], via[16], gw[128], extra[2];
	struct host_route *r;

	(void)k;
	if (ifc->nhost_routes >= MAX_ADDRS)
		return perr(c, "too many host-route lines (at most %d)",
			    MAX_ADDRS);
	r = &ifc->host_routes[ifc->nhost_routes];
	memset(r, 0, sizeof(*r));
	if (sscanf(v, "%127s %15s %127s %1s", dst, via, gw, extra) != 3 ||
	    strcmp(via, "via"))
		return perr(
			c,
			"host-route = %s: must be \"PREFIX via GATEWAY\" or \"default via GATEWAY\"",
			v);
	if (strcmp(dst, "default") && ip_prefix_parse(dst, true, &r->dst))
		return perr(
			c,
			"host-route = %s: \"%s\" is not a prefix like 10.2.0.0/24",
			v, dst);
	if (ip_prefix_parse(gw, false, &r->gw))
		return perr(c,
			    "host-route = %s: gateway \"%s\" is not an address",
			    v, gw);
	if (r->dst.family && r->dst.family != r->gw.family)
		return perr(
			c,
			"host-route = %s: prefix and gateway are of different address families",
			v);
	r->line = c->line;
	ifc->nhost_routes++;
	return 0;
}

static void print_host_route(const struct profile *p, const struct iface *ifc,
			     struct strbuf *sb)
{
	char buf[64], gw[64];
	int j;

	(void)p;
	for (j = 0; j < ifc->nhost_routes; j++) {
		const struct host_route *r = &ifc->host_routes[j];

		sb_printf(sb, "host-route = %s via %s\n",
			  r->dst.family
				  ? ip_prefix_str(&r->dst, buf, sizeof(buf))
				  : "default",
			  ip_addr_str(&r->gw, gw, sizeof(gw)));
	}
}

/* in canonical-form order */
/* clang-format off */
const struct profile_key profile_iface_keys[] = {
	{ "transport",    parse_transport,    KEY_BY(print_transport) },
	{ NULL,           NULL,               KEY_BY(print_opts) }, /* the transport's */
	{ "address",      parse_prefix,       KEY_PREFIXES_AT(struct iface, addrs, naddrs) },
	{ "host",         parse_host,         KEY_BY(print_host) },
	{ "host-ifname",  parse_host_link,    KEY_STR_AT(struct iface, host_ifname) },
	{ "host-netns",   parse_netns_name,   KEY_STR_AT(struct iface, host_netns) },
	{ "host-bridge",  parse_host_link,    KEY_STR_AT(struct iface, host_bridge) },
	{ "host-address", parse_prefix,       KEY_PREFIXES_AT(struct iface, host_addrs, nhost_addrs) },
	{ NULL,           NULL,               KEY_BY(print_impair) }, /* impair.h keys */
	{ "host-route",   parse_host_route,   KEY_BY(print_host_route) },
	{ 0 },
};
/* clang-format on */

/*
 * An [interface] key that no entry names: an impairment, or a key of the
 * transport's, kept as given until check_iface knows the transport.
 */
int profile_iface_other(struct parse_ctx *c, const char *k, const char *v)
{
	struct iface *ifc = c->ifc;
	struct vec_opt *o;
	int i;

	if (impair_key(k) >= 0) {
		char msg[IMPAIR_MSG_MAX];

		if (impair_set(&ifc->impair, k, v, msg, sizeof(msg)))
			return perr(c, "vec%d: %s", ifc->index, msg);
		if (!ifc->impair_line)
			ifc->impair_line = c->line;
		return 0;
	}
	for (i = 0; i < ifc->nopts; i++)
		if (!strcmp(ifc->opts[i].key, k))
			return perr(
				c,
				"vec%d: \"%s\" given twice (first on line %d)",
				ifc->index, k, ifc->opts[i].line);
	if (ifc->nopts >= MAX_OPTS)
		return perr(c, "too many options");
	o = &ifc->opts[ifc->nopts++];
	if (strscpy(o->key, k, sizeof(o->key)))
		return perr(c, "unknown key \"%.40s...\"", k);
	if (strscpy(o->value, v, sizeof(o->value)))
		return perr(c, "%s: value too long", k);
	o->line = c->line;
	return 0;
}

static int parse_ruleset(struct parse_ctx *c, const char *k, const char *v)
{
	(void)k;
	c->ruleset_line = c->line;
	c->p->ruleset_line = c->line;
	return resolve_path(c, v, c->p->ruleset, sizeof(c->p->ruleset));
}

const struct profile_key profile_firewall_keys[] = {
	{ "ruleset", parse_ruleset, KEY_STR_AT(struct profile, ruleset) },
	{ 0 },
};
