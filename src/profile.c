// SPDX-License-Identifier: GPL-2.0
/*
 * The profile parser. INI-like: [appliance], [interface vecN], [firewall];
 * `key = value`; '#' starts a comment. Parsing fills struct profile and
 * records the line of everything, so that validation after the whole file
 * was read can still point at the right line.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profile.h"
#include "transport.h"

enum section { SEC_NONE, SEC_APPLIANCE, SEC_INTERFACE, SEC_FIREWALL };

struct parse_ctx {
	struct profile *p;
	struct err *e;
	const char *file;
	int line;
	enum section sec;
	struct iface *ifc;
	int name_line, ruleset_line, disk_line;
	char esc[2][200];
	int nesc;
};

const char *iface_opt(const struct iface *ifc, const char *key)
{
	int i;

	for (i = 0; i < ifc->nopts; i++)
		if (!strcmp(ifc->opts[i].key, key))
			return ifc->opts[i].value;
	return NULL;
}

const char *profile_ifname(const struct profile *p, int vec, char *buf,
			   size_t len)
{
	int i;

	for (i = 0; i < p->nrenames; i++)
		if (p->renames[i].vec == vec) {
			strscpy(buf, p->renames[i].name, len);
			return buf;
		}
	snprintf(buf, len, "vec%d", vec);
	return buf;
}

const char *profile_ifmac(const struct profile *p, int vec)
{
	int i;

	for (i = 0; i < p->nrenames; i++)
		if (p->renames[i].vec == vec && p->renames[i].mac[0])
			return p->renames[i].mac;
	return NULL;
}

static const char *const host_kind_names[HOST_KIND_MAX] = {
	[HOST_NONE] = "none",	  [HOST_VETH] = "veth", [HOST_TAP] = "tap",
	[HOST_GRETAP] = "gretap", [HOST_L2TP] = "l2tp", [HOST_WIRE] = "wire",
};

const char *host_kind_name(enum host_kind k)
{
	return k < HOST_KIND_MAX ? host_kind_names[k] : "none";
}

bool node_name_valid(const char *name)
{
	size_t n = strlen(name), i;

	if (n < 1 || n > NODE_NAME_MAX)
		return false;
	if (!((name[0] >= 'a' && name[0] <= 'z') ||
	      (name[0] >= 'A' && name[0] <= 'Z') ||
	      (name[0] >= '0' && name[0] <= '9')))
		return false;
	for (i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_.-",
			    name[i]))
			return false;
	return true;
}

/* v escaped for a message (str_escape), in one of two buffers of c */
static const char *esc(struct parse_ctx *c, const char *v)
{
	char *buf = c->esc[c->nesc++ % 2];

	return str_escape(v, buf, sizeof(c->esc[0]));
}

static int perr(struct parse_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int perr(struct parse_ctx *c, const char *fmt, ...)
{
	char msg[800];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	err_at(c->e, c->file, c->line, "%s", msg);
	return -EINVAL;
}

static int parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "on") ||
	    !strcmp(v, "1"))
		*out = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "off") ||
		 !strcmp(v, "0"))
		*out = false;
	else
		return -EINVAL;
	return 0;
}

/* "64M", "1G", "65536K" -> MiB */
static int parse_mem(const char *v, unsigned long *mb)
{
	size_t digits = strspn(v, "0123456789");
	const char *end = v + digits;
	char num[24];
	unsigned long n;

	/* whole digits, then the unit: no sign, no space, no overflow */
	if (!digits || digits >= sizeof(num))
		return -EINVAL;
	memcpy(num, v, digits);
	num[digits] = '\0';
	if (parse_uint(num, 0, 1UL << 40, &n))
		return -EINVAL;
	if (!strcmp(end, "M") || !strcmp(end, "m"))
		*mb = n;
	else if (!strcmp(end, "G") || !strcmp(end, "g"))
		*mb = n * 1024;
	else if ((!strcmp(end, "K") || !strcmp(end, "k")) && n % 1024 == 0)
		*mb = n / 1024;
	else
		return -EINVAL;
	return 0;
}

static int add_text(struct parse_ctx *c, struct text_item *items, int *n,
		    const char *key, const char *v)
{
	if (*n >= MAX_LIST)
		return perr(c, "too many '%s' lines (at most %d)", key,
			    MAX_LIST);
	if (strscpy(items[*n].text, v, sizeof(items[*n].text)))
		return perr(c, "%s is too long (at most %d characters)", key,
			    OPT_VALUE_MAX - 1);
	items[*n].line = c->line;
	(*n)++;
	return 0;
}

static int resolve_path(struct parse_ctx *c, const char *v, char *out,
			size_t len)
{
	int n;

	if (v[0] == '/')
		n = snprintf(out, len, "%s", v);
	else
		n = snprintf(out, len, "%s/%s", c->p->dir, v);
	if (n < 0 || (size_t)n >= len)
		return perr(c, "path too long: %s", v);
	return 0;
}

static int add_prefix(struct parse_ctx *c, struct ip_prefix *arr, int *n,
		      const char *k, const char *v);

/*
 * Strict, so that a name is one field of the journal, one word of an ip(8)
 * command and a file name under /run/netns
 */
bool netns_name_valid(const char *v)
{
	return host_name_valid(v, NETNS_NAME_MAX - 1);
}

/* "SRC DEST": SRC relative to the profile, DEST absolute in the node */
static int add_file(struct parse_ctx *c, const char *v)
{
	struct profile *p = c->p;
	char src[PATH_MAX], dst[OPT_VALUE_MAX], extra[2];
	struct file_item *f;
	struct stat st;
	bool isdir;
	int ret;

	if (p->nfiles >= MAX_FILES)
		return perr(c, "too many 'file' lines (at most %d)", MAX_FILES);
	if (strlen(v) >= sizeof(src) ||
	    sscanf(v, "%4095s %255s %1s", src, dst, extra) != 2)
		return perr(
			c,
			"file = %s: must be \"SOURCE DESTINATION\", e.g. bird.conf /etc/bird/bird.conf",
			v);
	if (dst[0] != '/' || strstr(dst, "/../") || strstr(dst, "/./"))
		return perr(
			c,
			"file = %s: the destination \"%s\" must be an absolute file path in the node, e.g. /etc/bird/bird.conf",
			v, dst);
	f = &p->files[p->nfiles];
	ret = resolve_path(c, src, f->src, sizeof(f->src));
	if (ret)
		return ret;
	if (access(f->src, R_OK))
		return perr(c, "file = %s: %s: %s", v, f->src, strerror(errno));
	/* a directory is copied as a tree, into DEST (which may be /) */
	isdir = !stat(f->src, &st) && S_ISDIR(st.st_mode);
	if (!isdir && dst[strlen(dst) - 1] == '/')
		return perr(
			c,
			"file = %s: the destination \"%s\" must be an absolute file path in the node, e.g. /etc/bird/bird.conf",
			v, dst);
	strscpy(f->dst, dst, sizeof(f->dst));
	f->line = c->line;
	p->nfiles++;
	return 0;
}

/*
 * The node's check of a sysctl key (rootfs/nodeconf.c apply_sysctl: its
 * characters as safe_relpath has them, and "/proc/sys/KEY" in 256 bytes).
 */
#define SYSCTL_KEY_MAX (256 - sizeof("/proc/sys/"))
static bool sysctl_key_valid(const char *k, size_t n)
{
	size_t i;

	if (!n || n > SYSCTL_KEY_MAX || k[0] == '/')
		return false;
	for (i = 0; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') ||
		      (k[i] >= 'A' && k[i] <= 'Z') ||
		      (k[i] >= '0' && k[i] <= '9') || strchr("_-.:@/", k[i])))
			return false;
	return true;
}

/* xdp = vecN FILE [SECTION]; tc-bpf = vecN ingress|egress FILE [SECTION] */
static int add_bpf(struct parse_ctx *c, const char *k, const char *v)
{
	struct profile *p = c->p;
	bool tc = !strcmp(k, "tc-bpf");
	char dev[32], dir[32], file[PATH_MAX], sec[64], extra[2];
	struct bpf_item *b;
	unsigned long vec;
	int n, ret;

	if (p->nbpfs >= MAX_BPF)
		return perr(c, "too many xdp and tc-bpf lines (at most %d)",
			    MAX_BPF);
	b = &p->bpfs[p->nbpfs];
	memset(b, 0, sizeof(*b));
	strscpy(sec, tc ? "tc" : "xdp", sizeof(sec));
	if (strlen(v) >= sizeof(file))
		return perr(c, "%s = %s: too long", k, v);
	if (tc)
		n = sscanf(v, "%31s %31s %4095s %63s %1s", dev, dir, file, sec,
			   extra);
	else
		n = sscanf(v, "%31s %4095s %63s %1s", dev, file, sec, extra);
	if ((tc && (n < 3 || n > 4)) || (!tc && (n < 2 || n > 3)) ||
	    strncmp(dev, "vec", 3) ||
	    parse_uint(dev + 3, 0, MAX_IFACES - 1, &vec) ||
	    (tc && strcmp(dir, "ingress") && strcmp(dir, "egress")))
		return perr(c, "%s = %s: must be %s", k, v,
			    tc ? "vecN ingress|egress FILE.o [SECTION]"
			       : "vecN FILE.o [SECTION]");
	b->vec = vec;
	b->hook = !tc			    ? BPF_HOOK_XDP
		  : !strcmp(dir, "ingress") ? BPF_HOOK_INGRESS
					    : BPF_HOOK_EGRESS;
	if (strspn(sec,
		   "abcdefghijklmnopqrstuvwxyz"
		   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-") != strlen(sec))
		return perr(
			c,
			"%s = %s: section \"%s\": letters, digits, '_', '.', '/' and '-' only",
			k, v, sec);
	strscpy(b->section, sec, sizeof(b->section));
	ret = resolve_path(c, file, b->src, sizeof(b->src));
	if (ret)
		return ret;
	if (access(b->src, R_OK))
		return perr(c, "%s = %s: %s: %s", k, v, b->src,
			    strerror(errno));
	b->line = c->line;
	p->nbpfs++;
	return 0;
}

/* rename = vecN NAME [MAC] */
static int add_rename(struct parse_ctx *c, const char *v)
{
	struct profile *p = c->p;
	struct if_rename *r;
	char vec[16], name[32], mac[32] = "", extra[2];
	unsigned long n;
	int i, k;

	if (p->nrenames >= MAX_IFACES)
		return perr(c, "too many 'rename' lines (at most %d)",
			    MAX_IFACES);
	k = sscanf(v, "%15s %31s %31s %1s", vec, name, mac, extra);
	if ((k != 2 && k != 3) || strncmp(vec, "vec", 3) ||
	    parse_uint(vec + 3, 0, 63, &n))
		return perr(
			c,
			"rename = %s: must be \"vecN NAME [MAC]\", e.g. vec0 eth0 02:00:00:00:00:01",
			v);
	if (!host_name_valid(name, IFNAMSIZ - 1) || !strcmp(name, "lo") ||
	    strchr(name, '.'))
		return perr(
			c,
			"rename = %s: \"%s\" is not an interface name (1-%d letters, digits, '_' or '-')",
			v, name, IFNAMSIZ - 1);
	for (i = 0; mac[0] && i < 17; i++)
		if (i % 3 == 2 ? mac[i] != ':'
			       : !isxdigit((unsigned char)mac[i]))
			break;
	if (mac[0] && (i < 17 || mac[17] || (strtoul(mac, NULL, 16) & 1)))
		return perr(
			c,
			"rename = %s: \"%s\" is not a unicast MAC address (like 02:00:00:00:00:01)",
			v, mac);
	for (i = 0; i < p->nrenames; i++)
		if (p->renames[i].vec == (int)n ||
		    !strcmp(p->renames[i].name, name))
			return perr(c, "rename = %s: given already on line %d",
				    v, p->renames[i].line);
	r = &p->renames[p->nrenames++];
	r->vec = n;
	strscpy(r->name, name, sizeof(r->name));
	strscpy(r->mac, mac, sizeof(r->mac));
	r->line = c->line;
	return 0;
}

static int appliance_kv(struct parse_ctx *c, const char *k, const char *v)
{
	struct profile *p = c->p;

	if (!strcmp(k, "name")) {
		if (!node_name_valid(v))
			return perr(
				c,
				"name \"%s\" is not valid: use 1-%d letters, digits, '.', '_' or '-', starting with a letter or digit",
				v, NODE_NAME_MAX);
		strscpy(p->name, v, sizeof(p->name));
		c->name_line = c->line;
	} else if (!strcmp(k, "mem")) {
		if (parse_mem(v, &p->mem_mb) || p->mem_mb < 16 ||
		    p->mem_mb > 16384)
			return perr(
				c,
				"mem = %s: must be a size like 64M or 1G, from 16M to 16G",
				v);
	} else if (!strcmp(k, "forwarding")) {
		p->forwarding_line = c->line;
		if (parse_bool(v, &p->forwarding))
			return perr(c, "forwarding = %s: must be yes or no", v);
	} else if (!strcmp(k, "route")) {
		return add_text(c, p->routes, &p->nroutes, k, v);
	} else if (!strcmp(k, "sysctl")) {
		const char *eq = strchr(v, '=');

		if (!eq || eq == v || !eq[1] || strchr(v, ' ') ||
		    strstr(v, ".."))
			return perr(
				c,
				"sysctl = %s: must be key=value, e.g. net.ipv4.ip_forward=1",
				v);
		if (!sysctl_key_valid(v, eq - v))
			return perr(
				c,
				"sysctl = %s: the key may hold only letters, digits and _-.:@/, not starting with '/', at most %zu of them (the node refuses others)",
				v, SYSCTL_KEY_MAX);
		return add_text(c, p->sysctls, &p->nsysctls, k, v);
	} else if (!strcmp(k, "run")) {
		return add_text(c, p->runs, &p->nruns, k, v);
	} else if (!strcmp(k, "daemon")) {
		return add_text(c, p->daemons, &p->ndaemons, k, v);
	} else if (!strcmp(k, "loopback")) {
		return add_prefix(c, p->loopbacks, &p->nloopbacks, k, v);
	} else if (!strcmp(k, "file")) {
		return add_file(c, v);
	} else if (!strcmp(k, "xdp") || !strcmp(k, "tc-bpf")) {
		return add_bpf(c, k, v);
	} else if (!strcmp(k, "rename")) {
		return add_rename(c, v);
	} else if (!strcmp(k, "hostname")) {
		if (!node_name_valid(v))
			return perr(
				c,
				"hostname \"%s\" is not valid: use 1-%d letters, digits, '.', '_' or '-', starting with a letter or digit",
				v, NODE_NAME_MAX);
		strscpy(p->hostname, v, sizeof(p->hostname));
	} else if (!strcmp(k, "netns")) {
		if (!netns_name_valid(v))
			return perr(
				c,
				"netns = %s: not a valid namespace name: use 1-%d letters, digits, '_', '.' or '-', not starting with '.' or '-'",
				esc(c, v), NETNS_NAME_MAX - 1);
		strscpy(p->netns, v, sizeof(p->netns));
		p->netns_line = c->line;
	} else if (!strcmp(k, "disk")) {
		const char *why;
		char wbuf[64];
		int ret;

		c->disk_line = c->line;
		ret = resolve_path(c, v, p->disk, sizeof(p->disk));
		if (ret)
			return ret;
		/* ubd0=DISK,BASE: UML splits ubd= values on ',' and ':' */
		why = cmdline_unsafe(p->disk, ",:", wbuf, sizeof(wbuf));
		if (why)
			return perr(
				c,
				"disk = %s: the path %s %s: it goes on the kernel command line (ubd0=), which splits on whitespace, ',' and ':'; choose a path of printable ASCII without spaces, quotes, ',' or ':'",
				esc(c, v), esc(c, p->disk), why);
	} else if (!strcmp(k, "image")) {
		const char *why;
		char wbuf[64];
		int ret;

		/* docs/images.md: the node's base image */
		if (!strcmp(v, "minimal")) {
			p->image[0] = '\0';
			return 0;
		}
		if (!strcmp(v, "debian")) {
			strscpy(p->image, v, sizeof(p->image));
			return 0;
		}
		ret = resolve_path(c, v, p->image, sizeof(p->image));
		if (ret)
			return ret;
		why = cmdline_unsafe(p->image, ",:", wbuf, sizeof(wbuf));
		if (why)
			return perr(
				c,
				"image = %s: the path %s %s: it goes on the kernel command line (ubd0=), which splits on whitespace, ',' and ':'; choose a path of printable ASCII without spaces, quotes, ',' or ':'",
				esc(c, v), esc(c, p->image), why);
	} else {
		return perr(
			c,
			"[appliance]: unknown key \"%s\" (known: name, hostname, mem, forwarding, route, sysctl, loopback, file, run, daemon, disk, image, netns, rename)",
			k);
	}
	return 0;
}

static int add_prefix(struct parse_ctx *c, struct ip_prefix *arr, int *n,
		      const char *k, const char *v)
{
	if (*n >= MAX_ADDRS)
		return perr(c, "too many '%s' lines (at most %d)", k,
			    MAX_ADDRS);
	if (ip_prefix_parse(v, true, &arr[*n]))
		return perr(
			c,
			"%s = %s: not an address with prefix length, e.g. 10.1.0.2/24 or fd00::2/64",
			k, v);
	(*n)++;
	return 0;
}

/* "DST via GW": DST is a prefix or "default" */
static int add_host_route(struct parse_ctx *c, struct iface *ifc, const char *v)
{
	char dst[128], via[16], gw[128], extra[2];
	struct host_route *r;

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

static int interface_kv(struct parse_ctx *c, const char *k, const char *v)
{
	struct iface *ifc = c->ifc;
	struct vec_opt *o;
	int i;

	if (!strcmp(k, "transport")) {
		ifc->transport = transport_find(v);
		ifc->transport_line = c->line;
		if (!ifc->transport)
			return perr(c, "unknown transport \"%s\" (known: %s)",
				    v, transport_names());
		return 0;
	}
	if (!strcmp(k, "address"))
		return add_prefix(c, ifc->addrs, &ifc->naddrs, k, v);
	if (!strcmp(k, "host-address"))
		return add_prefix(c, ifc->host_addrs, &ifc->nhost_addrs, k, v);
	if (!strcmp(k, "host-route"))
		return add_host_route(c, ifc, v);
	if (!strcmp(k, "host")) {
		int i;

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
	if (!strcmp(k, "host-ifname")) {
		if (!host_name_valid(v, IFNAMSIZ - 1))
			return perr(
				c,
				"host-ifname = %s: not a valid interface name: use 1-%d letters, digits, '_', '.' or '-', not starting with '.' or '-'",
				esc(c, v), IFNAMSIZ - 1);
		strscpy(ifc->host_ifname, v, sizeof(ifc->host_ifname));
		return 0;
	}
	if (!strcmp(k, "host-bridge")) {
		if (!host_name_valid(v, IFNAMSIZ - 1))
			return perr(
				c,
				"host-bridge = %s: not a valid interface name: use 1-%d letters, digits, '_', '.' or '-', not starting with '.' or '-'",
				esc(c, v), IFNAMSIZ - 1);
		strscpy(ifc->host_bridge, v, sizeof(ifc->host_bridge));
		return 0;
	}
	if (!strcmp(k, "host-netns")) {
		if (!netns_name_valid(v))
			return perr(
				c,
				"host-netns = %s: not a valid namespace name: use 1-%d letters, digits, '_', '.' or '-', not starting with '.' or '-'",
				esc(c, v), NETNS_NAME_MAX - 1);
		strscpy(ifc->host_netns, v, sizeof(ifc->host_netns));
		return 0;
	}
	if (impair_key(k) >= 0) {
		char msg[300];

		if (impair_set(&ifc->impair, k, v, msg, sizeof(msg)))
			return perr(c, "vec%d: %s", ifc->index, msg);
		if (!ifc->impair_line)
			ifc->impair_line = c->line;
		return 0;
	}
	/* everything else goes to the kernel: checked once transport is known */
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

static int section_header(struct parse_ctx *c, char *s)
{
	char *end = strchr(s, ']');
	char *name;
	unsigned long un;
	int n, i;

	if (!end || strtrim(end + 1)[0])
		return perr(
			c,
			"malformed section header (expected e.g. [interface vec0])");
	*end = '\0';
	name = strtrim(s + 1);
	if (!strcmp(name, "appliance")) {
		c->sec = SEC_APPLIANCE;
	} else if (!strcmp(name, "firewall")) {
		c->sec = SEC_FIREWALL;
	} else if (!strncmp(name, "interface", 9) &&
		   (name[9] == ' ' || name[9] == '\t')) {
		char *dev = strtrim(name + 10);

		if (strncmp(dev, "vec", 3) || !dev[3])
			return perr(
				c,
				"[interface %s]: interfaces are named vecN (vec0, vec1, ...)",
				dev);
		if (parse_uint(dev + 3, 0, MAX_IFACES - 1, &un))
			return perr(c,
				    "[interface %s]: N in vecN must be 0..%d",
				    dev, MAX_IFACES - 1);
		n = un;
		for (i = 0; i < c->p->nifaces; i++)
			if (c->p->ifaces[i].index == n)
				return perr(
					c,
					"[interface vec%d] defined twice (first on line %d)",
					n, c->p->ifaces[i].line);
		c->ifc = &c->p->ifaces[c->p->nifaces++];
		c->ifc->index = n;
		c->ifc->line = c->line;
		c->sec = SEC_INTERFACE;
	} else {
		return perr(
			c,
			"unknown section [%s] (known: [appliance], [interface vecN], [firewall])",
			name);
	}
	return 0;
}

static int parse_line(struct parse_ctx *c, char *line)
{
	char *k = NULL, *v = NULL, msg[300];

	switch (ini_line(line, &k, &v, msg, sizeof(msg))) {
	case INI_EMPTY:
		return 0;
	case INI_SECTION:
		return section_header(c, k);
	case INI_ERROR:
		return perr(c, "%s", msg);
	default:
		break;
	}
	if (*v == '#')
		return perr(
			c,
			"%s: a value cannot start with '#' (it would read as a comment)",
			k);
	switch (c->sec) {
	case SEC_APPLIANCE:
		return appliance_kv(c, k, v);
	case SEC_INTERFACE:
		return interface_kv(c, k, v);
	case SEC_FIREWALL:
		if (strcmp(k, "ruleset"))
			return perr(
				c,
				"[firewall]: unknown key \"%s\" (known: ruleset)",
				k);
		c->ruleset_line = c->line;
		c->p->ruleset_line = c->line;
		return resolve_path(c, v, c->p->ruleset, sizeof(c->p->ruleset));
	default:
		return perr(
			c,
			"\"%s\" outside of any section: start with [appliance]",
			k);
	}
}

static int check_iface(struct parse_ctx *c, const struct iface *ifc)
{
	const struct transport *t = ifc->transport;
	struct err oe;
	const enum host_kind *hk;
	int i, nkernel = 0;

	c->line = ifc->line;
	if (!t)
		return perr(
			c,
			"[interface vec%d] has no transport = ... (known: %s)",
			ifc->index, transport_names());
	for (i = 0; i < ifc->nopts; i++) {
		const struct vec_opt *o = &ifc->opts[i];
		const struct opt_spec *spec = transport_opt(t, o->key);

		c->line = o->line;
		if (!spec) {
			const char *hint = transport_suggest(t, o->key);

			if (hint)
				return perr(
					c,
					"%s: unknown key \"%s\" (did you mean \"%s\"?)",
					t->name, o->key, hint);
			return perr(
				c,
				"%s: unknown key \"%s\" (see docs/profile.md for the keys of %s)",
				t->name, o->key, t->name);
		}
		if (opt_check(spec, o->value, &oe))
			return perr(c, "%s: \"%s=%s\" is wrong: %s", t->name,
				    o->key, esc(c, o->value), oe.msg);
		if (!spec->local)
			nkernel++;
	}
	if (nkernel > VECTOR_MAX_ARGS - 1 - VECTOR_EXTRA_ARGS) {
		c->line = ifc->line;
		return perr(
			c,
			"vec%d: %d kernel keys: at most %d (the kernel reads at most %d key=value pairs per interface, transport and the ones umnet adds included)",
			ifc->index, nkernel,
			VECTOR_MAX_ARGS - 1 - VECTOR_EXTRA_ARGS,
			VECTOR_MAX_ARGS);
	}
	if (ifc->host != HOST_NONE) {
		for (hk = t->host_kinds; *hk != HOST_NONE; hk++)
			if (*hk == ifc->host)
				break;
		if (*hk == HOST_NONE) {
			c->line = ifc->host_line;
			return perr(
				c,
				"vec%d: host = %s does not go with transport %s",
				ifc->index, host_kind_name(ifc->host), t->name);
		}
	} else if ((ifc->host_ifname[0] || ifc->host_netns[0] ||
		    ifc->nhost_addrs || ifc->nhost_routes ||
		    ifc->host_bridge[0]) &&
		   t->host_kinds[0] == HOST_NONE) {
		c->line = ifc->line;
		return perr(
			c,
			"vec%d: transport %s has no host side: remove host-ifname, host-netns, host-bridge, host-address and host-route",
			ifc->index, t->name);
	} else if (ifc->host_ifname[0] || ifc->host_netns[0] ||
		   ifc->nhost_addrs || ifc->nhost_routes ||
		   ifc->host_bridge[0]) {
		c->line = ifc->line;
		return perr(
			c,
			"vec%d: host-ifname, host-netns, host-bridge, host-address and host-route need host = %s (umnet only configures host sides it creates)",
			ifc->index, host_kind_name(t->host_kinds[0]));
	}
	if (ifc->impair_line) {
		char msg[300];

		if (impair_check(&ifc->impair, msg, sizeof(msg))) {
			c->line = ifc->impair_line;
			return perr(c, "vec%d: %s", ifc->index, msg);
		}
	}
	if (t->validate)
		return t->validate(c->p, ifc, c->e);
	return 0;
}

/*
 * Path options are relative to the profile's directory: UML runs in the
 * node's state directory, and the canonical form must mean the same from
 * anywhere. A path that would not fit is left as is for check_iface.
 */
static void resolve_paths(struct parse_ctx *c, struct iface *ifc)
{
	char abs[OPT_VALUE_MAX];
	int i, n;

	if (!ifc->transport)
		return;
	for (i = 0; i < ifc->nopts; i++) {
		struct vec_opt *o = &ifc->opts[i];
		const struct opt_spec *s =
			transport_opt(ifc->transport, o->key);

		if (!s || s->type != OPT_PATH || o->value[0] == '/' ||
		    !o->value[0])
			continue;
		n = snprintf(abs, sizeof(abs), "%s/%s", c->p->dir, o->value);
		if (n > 0 && n < (int)sizeof(abs))
			memcpy(o->value, abs, n + 1);
	}
}

static int finish(struct parse_ctx *c)
{
	struct profile *p = c->p;
	int i, j, ret;

	if (!p->name[0]) {
		/* default: the file name without .profile */
		char tmp[PATH_MAX], *b, *dot;

		strscpy(tmp, p->path, sizeof(tmp));
		b = basename(tmp);
		dot = strstr(b, ".profile");
		if (dot)
			*dot = '\0';
		c->line = 0;
		if (!node_name_valid(b))
			return perr(
				c,
				"no name = ... in [appliance], and the file name \"%s\" is not a valid node name",
				b);
		strscpy(p->name, b, sizeof(p->name));
	}
	for (i = 0; i < p->nifaces; i++) {
		resolve_paths(c, &p->ifaces[i]);
		ret = check_iface(c, &p->ifaces[i]);
		if (ret)
			return ret;
	}
	/* one host interface may only be used once */
	for (i = 0; i < p->nifaces; i++) {
		for (j = 0; j < i; j++) {
			const char *a = iface_opt(&p->ifaces[i], "ifname");
			const char *b = iface_opt(&p->ifaces[j], "ifname");

			if (a && b && !strcmp(a, b)) {
				c->line = p->ifaces[i].line;
				return perr(c,
					    "vec%d uses ifname %s, like vec%d",
					    p->ifaces[i].index, a,
					    p->ifaces[j].index);
			}
		}
	}
	if (p->ruleset[0] && access(p->ruleset, R_OK)) {
		c->line = p->ruleset_line;
		return perr(c, "ruleset %s: %s", p->ruleset, strerror(errno));
	}
	return 0;
}

static int parse_text(struct parse_ctx *c, const char *text, const int *linemap,
		      int nmap)
{
	char *copy, *line, *next;
	int ret = 0, i = 0;

	copy = strdup(text);
	if (!copy)
		return err_set(c->e, "out of memory"), -ENOMEM;
	for (line = copy; line; line = next, i++) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		c->line = linemap && i < nmap ? linemap[i] : i + 1;
		ret = parse_line(c, line);
		if (ret)
			break;
	}
	if (!ret)
		ret = finish(c);
	free(copy);
	return ret;
}

int profile_parse_string(const char *path, const char *text, struct profile *p,
			 struct err *e)
{
	struct parse_ctx c = { .p = p, .e = e, .file = path };
	char tmp[PATH_MAX];

	memset(p, 0, sizeof(*p));
	p->mem_mb = 64;
	if (strscpy(p->path, path, sizeof(p->path)))
		return err_set(e, "%s: path too long", path), -ENAMETOOLONG;
	strscpy(tmp, path, sizeof(tmp));
	/* relative paths inside the profile are relative to its directory */
	if (!realpath(dirname(tmp), p->dir)) {
		strscpy(tmp, path, sizeof(tmp));
		strscpy(p->dir, dirname(tmp), sizeof(p->dir));
	}
	return parse_text(&c, text, NULL, 0);
}

int profile_parse_overlay(struct profile *p, const char *text,
			  const int *linemap, int nmap, struct err *e)
{
	struct parse_ctx c = { .p = p, .e = e, .file = p->path };

	return parse_text(&c, text, linemap, nmap);
}

int profile_parse(const char *path, struct profile *p, struct err *e)
{
	char *text = NULL;
	int ret;

	ret = read_file(path, &text, NULL);
	if (ret) {
		err_set(e, "%s: %s", path,
			ret == -EINVAL ? "not a text file" : strerror(-ret));
		return ret;
	}
	ret = profile_parse_string(path, text, p, e);
	free(text);
	return ret;
}

void profile_print(const struct profile *p, struct strbuf *sb)
{
	char buf[64];
	int i, j;

	sb_printf(sb, "[appliance]\nname = %s\n", p->name);
	if (p->hostname[0])
		sb_printf(sb, "hostname = %s\n", p->hostname);
	if (p->netns[0])
		sb_printf(sb, "netns = %s\n", p->netns);
	sb_printf(sb, "mem = %luM\nforwarding = %s\n", p->mem_mb,
		  p->forwarding ? "yes" : "no");
	for (i = 0; i < p->nloopbacks; i++)
		sb_printf(sb, "loopback = %s\n",
			  ip_prefix_str(&p->loopbacks[i], buf, sizeof(buf)));
	for (i = 0; i < p->nfiles; i++)
		sb_printf(sb, "file = %s %s\n", p->files[i].src,
			  p->files[i].dst);
	for (i = 0; i < p->nbpfs; i++) {
		const struct bpf_item *b = &p->bpfs[i];

		if (b->hook == BPF_HOOK_XDP)
			sb_printf(sb, "xdp = vec%d %s %s\n", b->vec, b->src,
				  b->section);
		else
			sb_printf(sb, "tc-bpf = vec%d %s %s %s\n", b->vec,
				  b->hook == BPF_HOOK_INGRESS ? "ingress"
							      : "egress",
				  b->src, b->section);
	}
	for (i = 0; i < p->nroutes; i++)
		sb_printf(sb, "route = %s\n", p->routes[i].text);
	for (i = 0; i < p->nsysctls; i++)
		sb_printf(sb, "sysctl = %s\n", p->sysctls[i].text);
	for (i = 0; i < p->nruns; i++)
		sb_printf(sb, "run = %s\n", p->runs[i].text);
	for (i = 0; i < p->ndaemons; i++)
		sb_printf(sb, "daemon = %s\n", p->daemons[i].text);
	if (p->disk[0])
		sb_printf(sb, "disk = %s\n", p->disk);
	if (p->image[0])
		sb_printf(sb, "image = %s\n", p->image);
	for (i = 0; i < p->nifaces; i++) {
		const struct iface *ifc = &p->ifaces[i];

		sb_printf(sb, "\n[interface vec%d]\ntransport = %s\n",
			  ifc->index, ifc->transport->name);
		for (j = 0; j < ifc->nopts; j++)
			sb_printf(sb, "%s = %s\n", ifc->opts[j].key,
				  ifc->opts[j].value);
		for (j = 0; j < ifc->naddrs; j++)
			sb_printf(sb, "address = %s\n",
				  ip_prefix_str(&ifc->addrs[j], buf,
						sizeof(buf)));
		if (ifc->host != HOST_NONE)
			sb_printf(sb, "host = %s\n", host_kind_name(ifc->host));
		if (ifc->host_ifname[0])
			sb_printf(sb, "host-ifname = %s\n", ifc->host_ifname);
		if (ifc->host_netns[0])
			sb_printf(sb, "host-netns = %s\n", ifc->host_netns);
		if (ifc->host_bridge[0])
			sb_printf(sb, "host-bridge = %s\n", ifc->host_bridge);
		for (j = 0; j < ifc->nhost_addrs; j++)
			sb_printf(sb, "host-address = %s\n",
				  ip_prefix_str(&ifc->host_addrs[j], buf,
						sizeof(buf)));
		for (j = 0; j < IMP_NKEYS; j++) {
			impair_value(&ifc->impair, j, buf, sizeof(buf));
			if (buf[0])
				sb_printf(sb, "%s = %s\n", impair_keys[j], buf);
		}
		for (j = 0; j < ifc->nhost_routes; j++) {
			const struct host_route *r = &ifc->host_routes[j];
			char gw[64];

			sb_printf(sb, "host-route = %s via %s\n",
				  r->dst.family ? ip_prefix_str(&r->dst, buf,
								sizeof(buf))
						: "default",
				  ip_addr_str(&r->gw, gw, sizeof(gw)));
		}
	}
	if (p->ruleset[0])
		sb_printf(sb, "\n[firewall]\nruleset = %s\n", p->ruleset);
}
