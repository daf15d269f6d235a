// SPDX-License-Identifier: GPL-2.0
/* The transport table, the common vector options and their checks. */
#include <errno.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/sha.h>

#include "transport.h"

static const struct transport *const transports[] = {
	&transport_raw, &transport_tap,	   &transport_fd,     &transport_bess,
	&transport_gre, &transport_l2tpv3, &transport_hybrid,
};

/* read by vector_kern.c for every transport */
const struct opt_spec common_opts[] = {
	{ .key = "depth",
	  .type = OPT_UINT,
	  .min = 1,
	  .max = 2048,
	  .help = "queue depth in packets (default 64)" },
	{ .key = "gro",
	  .type = OPT_BOOL01,
	  .min = 0,
	  .max = 1,
	  .help = "1 = receive GRO/TSO-sized frames" },
	{ .key = "mac",
	  .type = OPT_MAC,
	  .min = 0,
	  .max = 0,
	  .help = "the node's MAC address" },
	{ .key = "mtu",
	  .type = OPT_UINT,
	  .min = 576,
	  .max = 65534,
	  .help = "the interface MTU (default 1500)" },
	{ .key = "headroom",
	  .type = OPT_UINT,
	  .min = 0,
	  .max = 256,
	  .help = "bytes reserved before each frame" },
	{ .key = "vec",
	  .type = OPT_BOOL01,
	  .min = 0,
	  .max = 1,
	  .help = "0 = one packet per system call" },
	{ .key = "bpffile",
	  .type = OPT_PATH,
	  .min = 0,
	  .max = 0,
	  .help = "classic BPF filter file" },
	{ .key = "bpfflash",
	  .type = OPT_BOOL01,
	  .min = 0,
	  .max = 1,
	  .help = "1 = let the guest load BPF into the host" },
	{ .key = NULL },
};

const struct transport *transport_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(transports); i++)
		if (!strcmp(transports[i]->name, name))
			return transports[i];
	return NULL;
}

const char *transport_names(void)
{
	static char buf[256];
	size_t i;

	if (buf[0])
		return buf;
	for (i = 0; i < ARRAY_SIZE(transports); i++) {
		if (i)
			strncat(buf, ", ", sizeof(buf) - strlen(buf) - 1);
		strncat(buf, transports[i]->name,
			sizeof(buf) - strlen(buf) - 1);
	}
	return buf;
}

static const struct opt_spec *find_in(const struct opt_spec *s, const char *key)
{
	for (; s && s->key; s++)
		if (!strcmp(s->key, key))
			return s;
	return NULL;
}

const struct opt_spec *transport_opt(const struct transport *t, const char *key)
{
	const struct opt_spec *s = find_in(t->keys, key);

	return s ? s : find_in(common_opts, key);
}

static void suggest_in(const struct opt_spec *s, const char *key,
		       const char **best, int *bestd)
{
	for (; s && s->key; s++) {
		int d = levenshtein(s->key, key);

		if (d < *bestd) {
			*bestd = d;
			*best = s->key;
		}
	}
}

const char *transport_suggest(const struct transport *t, const char *key)
{
	const char *best = NULL;
	int bestd = 3;
	char alt[64];
	size_t i;

	/* rx-key -> rx_key, src_port -> srcport: separators do not count */
	for (i = 0; key[i] && i < sizeof(alt) - 1; i++)
		alt[i] = key[i] == '-' ? '_' : key[i];
	alt[i] = '\0';
	suggest_in(t->keys, alt, &best, &bestd);
	suggest_in(common_opts, alt, &best, &bestd);
	if (best)
		return best;
	suggest_in(t->keys, key, &best, &bestd);
	suggest_in(common_opts, key, &best, &bestd);
	return best;
}

static bool mac_valid(const char *s, bool *multicast)
{
	unsigned int b[6];
	char c;

	if (strlen(s) != MAC_STR_LEN - 1)
		return false;
	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &c) != 6)
		return false;
	*multicast = b[0] & 1;
	return true;
}

static unsigned int opt_base(const struct opt_spec *spec)
{
	return spec->type == OPT_UINT ? 10 : 0;
}

static int check_number(const struct opt_spec *spec, const char *value,
			struct err *e)
{
	unsigned long long v;
	int ret;

	if (spec->type == OPT_BOOL01) {
		if (strcmp(value, "0") && strcmp(value, "1"))
			return errf(e, -EINVAL, "must be 0 or 1");
		return 0;
	}
	if (value[0] == '-')
		return errf(
			e, -ERANGE, "must not be negative: use %lu..%lu%s",
			spec->min, spec->max,
			spec->type == OPT_INT
				? " (the kernel reads a signed 32-bit int, and -N would mean 2^32-N)"
				: "");
	ret = kstrtoull_like(value, opt_base(spec), &v);
	if (ret == -EINVAL)
		return errf(
			e, ret,
			spec->type == OPT_UINT
				? "not a decimal number (the kernel reads %s with base 10): use %lu..%lu"
				: "not a number (the kernel reads %s with base 0: decimal, 0x hex or 0 octal): use %lu..%lu",
			spec->key, spec->min, spec->max);
	if (ret || v < spec->min || v > spec->max) {
		if (spec->type == OPT_INT && (ret || v > INT32_MAX))
			return errf(
				e, -ERANGE,
				"out of range: the kernel reads %s as a signed 32-bit int (kstrtoint), so the largest value is 2147483647 (0x7fffffff); use %lu..%lu",
				spec->key, spec->min, spec->max);
		if (ret)
			return errf(e, -ERANGE,
				    "does not fit in 64 bits: use %lu..%lu",
				    spec->min, spec->max);
		return errf(e, -ERANGE, "must be an integer %lu..%lu",
			    spec->min, spec->max);
	}
	return 0;
}

int opt_check(const struct opt_spec *spec, const char *value, struct err *e)
{
	const char *why;
	bool mc;
	unsigned char buf[16];
	char wbuf[64];

	if (!*value)
		return errf(e, -EINVAL, "needs a value");
	/* local keys (filter = a pcap expression) never reach the kernel */
	if (!spec->local &&
	    (why = cmdline_unsafe(value, VECTOR_FORBID, wbuf, sizeof(wbuf))))
		return errf(
			e, -EINVAL,
			"%s: a value that reaches the kernel command line may hold only printable ASCII without spaces, quotes, ',' or '=' (the kernel splits its command line on whitespace and vecN options on ',')",
			why);
	switch (spec->type) {
	case OPT_UINT:
	case OPT_INT:
	case OPT_ULONG:
	case OPT_BOOL01:
		return check_number(spec, value, e);
	case OPT_IFNAME:
		if (!host_name_valid(value, IFNAMSIZ - 1))
			return errf(
				e, -EINVAL,
				"not a valid interface name: 1-%d letters, digits, '_', '.' or '-', not starting with '.' or '-'",
				IFNAMSIZ - 1);
		break;
	case OPT_MAC:
		if (!mac_valid(value, &mc))
			return errf(
				e, -EINVAL,
				"must be a MAC address like 02:00:00:00:00:01");
		if (mc)
			return errf(
				e, -EINVAL,
				"is a multicast MAC address; the lowest bit of the first byte must be 0");
		break;
	case OPT_ADDR:
		if (inet_pton(AF_INET, value, buf) != 1 &&
		    inet_pton(AF_INET6, value, buf) != 1)
			return errf(e, -EINVAL,
				    "must be an IPv4 or IPv6 address");
		break;
	case OPT_PATH:
	case OPT_STRING:
		break;
	}
	return 0;
}

unsigned long long iface_num(const struct iface *ifc, const char *key)
{
	const struct opt_spec *spec = transport_opt(ifc->transport, key);
	const char *v = iface_opt(ifc, key);
	unsigned long long n;

	if (!spec || !v || kstrtoull_like(v, opt_base(spec), &n))
		return 0;
	return n;
}

void node_mac(const char *node, int vec, char out[MAC_STR_LEN])
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	char in[NODE_NAME_MAX + 16];
	int n;

	n = snprintf(in, sizeof(in), "%s/vec%d", node, vec);
	if (n < 0 || (size_t)n >= sizeof(in))
		n = strlen(in); /* not a node name: still no overread */
	SHA256((const unsigned char *)in, n, md);
	md[0] = (md[0] & 0xfc) | 0x02; /* unicast, locally administered */
	snprintf(out, MAC_STR_LEN, "%02x:%02x:%02x:%02x:%02x:%02x", md[0],
		 md[1], md[2], md[3], md[4], md[5]);
}

int iface_opt_line(const struct iface *ifc, const char *key)
{
	int i;

	for (i = 0; i < ifc->nopts; i++)
		if (!strcmp(ifc->opts[i].key, key))
			return ifc->opts[i].line;
	return ifc->line;
}

void host_action_init(const struct profile *p, const struct iface *ifc,
		      struct action *a)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->owner, sizeof(a->owner), "%s vec%d", p->name, ifc->index);
	a->phase = PHASE_PRE_BOOT;
}

int host_plan_add(struct plan *plan, const struct action *a, struct err *e)
{
	int ret = plan_add(plan, a);

	if (ret)
		return errf(e, ret, "%s: planning the host side: %s", a->owner,
			    strerror(-ret));
	return 0;
}

int host_plan_netns(const struct iface *ifc, struct action *a,
		    struct plan *plan, struct err *e)
{
	const char *ns = ifc->host_netns;

	if (!ns[0])
		return 0;
	a->kind = ACT_NETNS_ADD;
	strscpy(a->netns, ns, sizeof(a->netns));
	return host_plan_add(plan, a, e);
}

int plan_add_host_side(const struct iface *ifc, const struct action *tmpl,
		       struct plan *plan, struct err *e)
{
	struct action a = *tmpl;
	int i, ret;

	for (i = 0; i < ifc->nhost_addrs; i++) {
		a.kind = ACT_ADDR_ADD;
		a.addr = ifc->host_addrs[i];
		ret = host_plan_add(plan, &a, e);
		if (ret)
			return ret;
	}
	a.kind = ACT_LINK_UP;
	ret = host_plan_add(plan, &a, e);
	if (ret)
		return ret;
	return plan_add_routes(ifc, &a, plan, e);
}

int plan_add_routes(const struct iface *ifc, const struct action *tmpl,
		    struct plan *plan, struct err *e)
{
	struct action a = *tmpl;
	int i, ret;

	if (ifc->host_bridge[0]) {
		a.kind = ACT_LINK_MASTER;
		strscpy(a.target, ifc->host_bridge, sizeof(a.target));
		ret = host_plan_add(plan, &a, e);
		if (ret)
			return ret;
		a.target[0] = '\0';
	}
	a.kind = ACT_ROUTE_ADD;
	for (i = 0; i < ifc->nhost_routes; i++) {
		a.addr = ifc->host_routes[i].dst;
		a.gw = ifc->host_routes[i].gw;
		ret = host_plan_add(plan, &a, e);
		if (ret)
			return ret;
	}
	return 0;
}

int transport_render(const struct profile *p, const struct iface *ifc,
		     const struct node_paths *np, struct strbuf *sb)
{
	const struct transport *t = ifc->transport;
	int i, ret;

	sb_printf(sb, "vec%d:transport=%s", ifc->index, t->name);
	for (i = 0; i < ifc->nopts; i++) {
		const struct opt_spec *spec =
			transport_opt(t, ifc->opts[i].key);

		if (spec && spec->local)
			continue;
		sb_printf(sb, ",%s=%s", ifc->opts[i].key, ifc->opts[i].value);
	}
	if (t->render_extra) {
		ret = t->render_extra(p, ifc, np, sb);
		if (ret)
			return ret;
	}
	return sb->oom ? -ENOMEM : 0;
}
