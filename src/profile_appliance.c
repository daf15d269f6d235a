// SPDX-License-Identifier: GPL-2.0
/*
 * The [appliance] keys of a profile: one entry per key in
 * profile_appliance_keys[] parses its value and prints it back in the
 * canonical form, in table order.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drive.h"
#include "profile_int.h"

/* mem = : 16M to 16G */
#define PROFILE_MEM_MIN_MB 16
#define PROFILE_MEM_MAX_MB 16384
/* the largest number before a mem = unit (1 TiB of MiB) */
#define PROFILE_MEM_NUM_MAX (1UL << 40)
/* rename = vecN: what the node's renaming takes */
#define RENAME_VEC_MAX 63
/* "02:00:00:00:00:01" */
#define MAC_STR_LEN 17

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
	if (parse_uint(num, 0, PROFILE_MEM_NUM_MAX, &n))
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

/* route, run, daemon: a line each, as given */
static int parse_list(struct parse_ctx *c, const char *k, const char *v)
{
	return add_text(c, key_field(c), key_count(c), k, v);
}

/* route: as given, in no more words than the node takes */
static int parse_route(struct parse_ctx *c, const char *k, const char *v)
{
	int words = 0;
	const char *p;

	for (p = v; *p; p++)
		if ((*p != ' ' && *p != '\t') &&
		    (p == v || p[-1] == ' ' || p[-1] == '\t'))
			words++;
	if (words > NODECONF_LINE_MAX_WORDS)
		return perr(
			c,
			"%s has %d words, more than the node takes (%d): split it or use a run = script",
			k, words, NODECONF_LINE_MAX_WORDS);
	return parse_list(c, k, v);
}

static int parse_name(struct parse_ctx *c, const char *k, const char *v)
{
	if (!node_name_valid(v))
		return perr(
			c,
			"%s \"%s\" is not valid: use 1-%d letters, digits, '.', '_' or '-', starting with a letter or digit",
			k, v, NODE_NAME_MAX);
	if (!strcmp(k, "name")) {
		strscpy(c->p->name, v, sizeof(c->p->name));
		c->name_line = c->line;
	} else {
		strscpy(c->p->hostname, v, sizeof(c->p->hostname));
	}
	return 0;
}

static int parse_mem_key(struct parse_ctx *c, const char *k, const char *v)
{
	struct profile *p = c->p;

	(void)k;
	if (parse_mem(v, &p->mem_mb) || p->mem_mb < PROFILE_MEM_MIN_MB ||
	    p->mem_mb > PROFILE_MEM_MAX_MB)
		return perr(
			c,
			"mem = %s: must be a size like 64M or 1G, from %dM to %dG",
			v, PROFILE_MEM_MIN_MB, PROFILE_MEM_MAX_MB / 1024);
	return 0;
}

static void print_mem(const struct profile *p, const struct iface *ifc,
		      struct strbuf *sb)
{
	(void)ifc;
	sb_printf(sb, "mem = %luM\n", p->mem_mb);
}

static int parse_forwarding(struct parse_ctx *c, const char *k, const char *v)
{
	(void)k;
	c->p->forwarding_line = c->line;
	if (parse_bool(v, &c->p->forwarding))
		return perr(c, "forwarding = %s: must be yes or no", v);
	return 0;
}

static void print_forwarding(const struct profile *p, const struct iface *ifc,
			     struct strbuf *sb)
{
	(void)ifc;
	sb_printf(sb, "forwarding = %s\n", p->forwarding ? "yes" : "no");
}

/* an address (no prefix length): one more line of /etc/resolv.conf */
static int parse_nameserver(struct parse_ctx *c, const char *k, const char *v)
{
	struct profile *p = c->p;
	struct ip_prefix *ns = &p->nameservers[p->nnameservers];

	if (p->nnameservers == MAX_NAMESERVERS)
		return perr(c,
			    "%s = %s: at most %d (the resolver reads no more)",
			    k, v, MAX_NAMESERVERS);
	if (strchr(v, '/') || ip_prefix_parse(v, false, ns))
		return perr(
			c,
			"%s = %s: not an address, e.g. 192.0.2.53 or 2001:db8::53",
			k, v);
	if (!p->nnameservers++)
		p->nameserver_line = c->line;
	return 0;
}

static void print_nameserver(const struct profile *p, const struct iface *ifc,
			     struct strbuf *sb)
{
	char buf[INET6_ADDRSTRLEN + 8];

	(void)ifc;
	for (int i = 0; i < p->nnameservers; i++)
		sb_printf(sb, "nameserver = %s\n",
			  ip_addr_str(&p->nameservers[i], buf, sizeof(buf)));
}

static const char file_usage[] =
	"must be \"SOURCE DESTINATION\", e.g. bird.conf /etc/bird/bird.conf";
static const char file_dest[] =
	"must be an absolute file path in the node, e.g. /etc/bird/bird.conf";

/* "SRC DEST": SRC relative to the profile, DEST absolute in the node */
static int parse_file(struct parse_ctx *c, const char *k, const char *v)
{
	struct profile *p = c->p;
	char src[PATH_MAX], dst[OPT_VALUE_MAX], extra[2];
	struct file_item *f;
	struct stat st;
	bool isdir;
	int ret;

	(void)k;
	if (p->nfiles >= MAX_FILES)
		return perr(c, "too many 'file' lines (at most %d)", MAX_FILES);
	if (strlen(v) >= sizeof(src) ||
	    sscanf(v, "%4095s %255s %1s", src, dst, extra) != 2)
		return perr(c, "file = %s: %s", v, file_usage);
	if (dst[0] != '/' || strstr(dst, "/../") || strstr(dst, "/./"))
		return perr(c, "file = %s: the destination \"%s\" %s", v, dst,
			    file_dest);
	f = &p->files[p->nfiles];
	ret = resolve_path(c, src, f->src, sizeof(f->src));
	if (ret)
		return ret;
	if (access(f->src, R_OK))
		return perr(c, "file = %s: %s: %m", v, f->src);
	/* a directory is copied as a tree, into DEST (which may be /) */
	isdir = !stat(f->src, &st) && S_ISDIR(st.st_mode);
	if (!isdir && dst[strlen(dst) - 1] == '/')
		return perr(c, "file = %s: the destination \"%s\" %s", v, dst,
			    file_dest);
	strscpy(f->dst, dst, sizeof(f->dst));
	f->line = c->line;
	p->nfiles++;
	return 0;
}

static void print_file(const struct profile *p, const struct iface *ifc,
		       struct strbuf *sb)
{
	int i;

	(void)ifc;
	for (i = 0; i < p->nfiles; i++)
		sb_printf(sb, "file = %s %s\n", p->files[i].src,
			  p->files[i].dst);
}

/* xdp = vecN FILE [SECTION]; tc-bpf = vecN ingress|egress FILE [SECTION] */
static int parse_bpf(struct parse_ctx *c, const char *k, const char *v)
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
	if (strspn(sec, ALNUM "_./-") != strlen(sec))
		return perr(
			c,
			"%s = %s: section \"%s\": letters, digits, '_', '.', '/' and '-' only",
			k, v, sec);
	strscpy(b->section, sec, sizeof(b->section));
	ret = resolve_path(c, file, b->src, sizeof(b->src));
	if (ret)
		return ret;
	if (access(b->src, R_OK))
		return perr(c, "%s = %s: %s: %m", k, v, b->src);
	b->line = c->line;
	p->nbpfs++;
	return 0;
}

/* xdp and tc-bpf lines together, in the order given */
static void print_bpf(const struct profile *p, const struct iface *ifc,
		      struct strbuf *sb)
{
	int i;

	(void)ifc;
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

static int parse_sysctl(struct parse_ctx *c, const char *k, const char *v)
{
	const char *eq = strchr(v, '=');

	if (!eq || eq == v || !eq[1] || strchr(v, ' ') || strstr(v, ".."))
		return perr(
			c,
			"sysctl = %s: must be key=value, e.g. net.ipv4.ip_forward=1",
			v);
	if (!sysctl_key_valid(v, eq - v))
		return perr(
			c,
			"sysctl = %s: the key may hold only letters, digits and _-.:@/, not starting with '/', at most %zu of them (the node refuses others)",
			v, SYSCTL_KEY_MAX);
	return parse_list(c, k, v);
}

/*
 * A path that goes into ubd0= (disk = DISK, image = BASE): UML splits
 * ubd= values on ',' and ':', the command line on whitespace
 */
static int parse_ubd_path(struct parse_ctx *c, const char *k, const char *v,
			  char *out, size_t len)
{
	const char *why;
	char wbuf[64];
	int ret;

	ret = resolve_path(c, v, out, len);
	if (ret)
		return ret;
	why = cmdline_unsafe(out, ",:", wbuf, sizeof(wbuf));
	if (why)
		return perr(
			c,
			"%s = %s: the path %s %s: it goes on the kernel command line (ubd0=), which splits on whitespace, ',' and ':'; choose a path of printable ASCII without spaces, quotes, ',' or ':'",
			k, esc(c, v), esc(c, out), why);
	return 0;
}

static int parse_disk(struct parse_ctx *c, const char *k, const char *v)
{
	c->disk_line = c->line;
	return parse_ubd_path(c, k, v, c->p->disk, sizeof(c->p->disk));
}

/* image = minimal|debian|PATH (docs/images.md): the node's base image */
static int parse_image(struct parse_ctx *c, const char *k, const char *v)
{
	struct profile *p = c->p;

	if (!strcmp(v, "minimal")) {
		p->image[0] = '\0';
		return 0;
	}
	if (!strcmp(v, "debian"))
		return strscpy(p->image, v, sizeof(p->image)) < 0 ? -EINVAL : 0;
	return parse_ubd_path(c, k, v, p->image, sizeof(p->image));
}

/* rename = vecN NAME [MAC] */
static int parse_rename(struct parse_ctx *c, const char *k, const char *v)
{
	struct profile *p = c->p;
	struct if_rename *r;
	char vec[16], name[32], mac[32] = "", extra[2];
	unsigned long n;
	int i, f;

	(void)k;
	if (p->nrenames >= MAX_IFACES)
		return perr(c, "too many 'rename' lines (at most %d)",
			    MAX_IFACES);
	f = sscanf(v, "%15s %31s %31s %1s", vec, name, mac, extra);
	if ((f != 2 && f != 3) || strncmp(vec, "vec", 3) ||
	    parse_uint(vec + 3, 0, RENAME_VEC_MAX, &n))
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
	for (i = 0; mac[0] && i < MAC_STR_LEN; i++)
		if (i % 3 == 2 ? mac[i] != ':'
			       : !isxdigit((unsigned char)mac[i]))
			break;
	if (mac[0] && (i < MAC_STR_LEN || mac[MAC_STR_LEN] ||
		       (strtoul(mac, NULL, 16) & 1)))
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

static void print_rename(const struct profile *p, const struct iface *ifc,
			 struct strbuf *sb)
{
	int i;

	(void)ifc;
	for (i = 0; i < p->nrenames; i++) {
		const struct if_rename *r = &p->renames[i];

		sb_printf(sb, "rename = vec%d %s%s%s\n", r->vec, r->name,
			  r->mac[0] ? " " : "", r->mac);
	}
}

/* in canonical-form order; "known: ..." lists them so */
/* clang-format off */
const struct profile_key profile_appliance_keys[] = {
	{ "name",       parse_name,       KEY_STR_AT(struct profile, name) },
	{ "hostname",   parse_name,       KEY_STR_AT(struct profile, hostname) },
	{ "netns",      parse_netns_name, KEY_STR_AT(struct profile, netns) },
	{ "mem",        parse_mem_key,    KEY_BY(print_mem) },
	{ "forwarding", parse_forwarding, KEY_BY(print_forwarding) },
	{ "loopback",   parse_prefix,     KEY_PREFIXES_AT(struct profile, loopbacks, nloopbacks) },
	{ "file",       parse_file,       KEY_BY(print_file) },
	{ "xdp",        parse_bpf,        KEY_BY(print_bpf) },
	{ "tc-bpf",     parse_bpf,        KEY_BY(NULL) }, /* with xdp, in file order */
	{ "route",      parse_route,      KEY_LIST_AT(routes, nroutes) },
	{ "nameserver", parse_nameserver, KEY_BY(print_nameserver) },
	{ "sysctl",     parse_sysctl,     KEY_LIST_AT(sysctls, nsysctls) },
	{ "run",        parse_list,       KEY_LIST_AT(runs, nruns) },
	{ "daemon",     parse_list,       KEY_LIST_AT(daemons, ndaemons) },
	{ "disk",       parse_disk,       KEY_STR_AT(struct profile, disk) },
	{ "image",      parse_image,      KEY_STR_AT(struct profile, image) },
	{ "rename",     parse_rename,     KEY_BY(print_rename) },
	{ 0 },
};
/* clang-format on */
