// SPDX-License-Identifier: GPL-2.0
/*
 * The profile parser. INI-like: [appliance], [interface vecN], [firewall];
 * `key = value`; '#' starts a comment. Parsing fills struct profile and
 * records the line of everything, so that validation after the whole file
 * was read can still point at the right line. The keys of each section are
 * tables (profile_appliance.c, profile_iface.c) that also print the
 * canonical form.
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

#include "profile_int.h"
#include "transport.h"

/* mem = when the profile does not say */
#define PROFILE_MEM_DEFAULT_MB 64
/* a message from ini_line or a check, quoted whole */
#define PROFILE_MSG_MAX 300
/* the text of one parse error, before "file:line: " */
#define PERR_MAX 800
/* the "known: ..." list of a section's keys */
#define KNOWN_MAX 512

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

bool node_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (n < 1 || n > NODE_NAME_MAX)
		return false;
	if (!((name[0] >= 'a' && name[0] <= 'z') ||
	      (name[0] >= 'A' && name[0] <= 'Z') ||
	      (name[0] >= '0' && name[0] <= '9')))
		return false;
	return strspn(name, ALNUM "_.-") == n;
}

/*
 * Strict, so that a name is one field of the journal, one word of an ip(8)
 * command and a file name under /run/netns
 */
bool netns_name_valid(const char *v)
{
	return host_name_valid(v, NETNS_NAME_MAX - 1);
}

/* v escaped for a message (str_escape), in one of two buffers of c */
const char *esc(struct parse_ctx *c, const char *v)
{
	char *buf = c->esc[c->nesc++ % 2];

	return str_escape(v, buf, sizeof(c->esc[0]));
}

int perr(struct parse_ctx *c, const char *fmt, ...)
{
	int saved = errno; /* for %m */
	char msg[PERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	errno = saved;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return errf_at(c->e, -EINVAL, c->file, c->line, "%s", msg);
}

const struct profile_key *profile_key_find(const struct profile_key *t,
					   const char *k)
{
	for (; t->name || t->print; t++)
		if (t->name && !strcmp(t->name, k))
			return t;
	return NULL;
}

const char *profile_keys_known(const struct profile_key *t, char *buf,
			       size_t len)
{
	const char *sep = "";

	buf[0] = '\0';
	for (; t->name || t->print; t++) {
		if (!t->name)
			continue;
		if (path_append(buf, len, "%s%s", sep, t->name))
			break; /* a hint: what fits */
		sep = ", ";
	}
	return buf;
}

void profile_keys_print(const struct profile_key *t, const struct profile *p,
			const struct iface *ifc, struct strbuf *sb)
{
	const char *base = ifc ? (const char *)ifc : (const char *)p;

	for (; t->name || t->print; t++) {
		const struct text_item *items = (const void *)(base + t->off);
		const struct ip_prefix *pfx = (const void *)(base + t->off);
		char buf[64];
		int i, n;

		switch (t->form) {
		case KEY_FN:
			if (t->print)
				t->print(p, ifc, sb);
			break;
		case KEY_STR:
			if (base[t->off])
				sb_printf(sb, "%s = %s\n", t->name,
					  base + t->off);
			break;
		case KEY_LIST:
			memcpy(&n, base + t->noff, sizeof(n));
			for (i = 0; i < n; i++)
				sb_printf(sb, "%s = %s\n", t->name,
					  items[i].text);
			break;
		case KEY_PREFIXES:
			memcpy(&n, base + t->noff, sizeof(n));
			for (i = 0; i < n; i++)
				sb_printf(sb, "%s = %s\n", t->name,
					  ip_prefix_str(&pfx[i], buf,
							sizeof(buf)));
			break;
		}
	}
}

/* a key of a section with a table and nothing else: [appliance], [firewall] */
static int table_kv(struct parse_ctx *c, const char *sec,
		    const struct profile_key *t, const char *k, const char *v)
{
	const struct profile_key *key = profile_key_find(t, k);
	char known[KNOWN_MAX];

	if (key) {
		c->key = key;
		return key->parse(c, k, v);
	}
	return perr(c, "[%s]: unknown key \"%s\" (known: %s)", sec, k,
		    profile_keys_known(t, known, sizeof(known)));
}

static int interface_kv(struct parse_ctx *c, const char *k, const char *v)
{
	const struct profile_key *key = profile_key_find(profile_iface_keys, k);

	if (!key)
		return profile_iface_other(c, k, v);
	c->key = key;
	return key->parse(c, k, v);
}

int resolve_path(struct parse_ctx *c, const char *v, char *out, size_t len)
{
	int ret;

	if (v[0] == '/')
		ret = path_fmt(out, len, "%s", v);
	else
		ret = path_fmt(out, len, "%s/%s", c->p->dir, v);
	if (ret)
		return perr(c, "path too long: %s", v);
	return 0;
}

void *key_field(struct parse_ctx *c)
{
	char *base = c->sec == SEC_INTERFACE ? (char *)c->ifc : (char *)c->p;

	return base + c->key->off;
}

int *key_count(struct parse_ctx *c)
{
	char *base = c->sec == SEC_INTERFACE ? (char *)c->ifc : (char *)c->p;

	return (int *)(base + c->key->noff);
}

int parse_prefix(struct parse_ctx *c, const char *k, const char *v)
{
	struct ip_prefix *arr = key_field(c);
	int *n = key_count(c);

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
	char *k = NULL, *v = NULL, msg[PROFILE_MSG_MAX];

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
		return table_kv(c, "appliance", profile_appliance_keys, k, v);
	case SEC_INTERFACE:
		return interface_kv(c, k, v);
	case SEC_FIREWALL:
		return table_kv(c, "firewall", profile_firewall_keys, k, v);
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
		char msg[PROFILE_MSG_MAX];

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
	int i;

	if (!ifc->transport)
		return;
	for (i = 0; i < ifc->nopts; i++) {
		struct vec_opt *o = &ifc->opts[i];
		const struct opt_spec *s =
			transport_opt(ifc->transport, o->key);

		if (!s || s->type != OPT_PATH || o->value[0] == '/' ||
		    !o->value[0])
			continue;
		if (!path_fmt(abs, sizeof(abs), "%s/%s", c->p->dir, o->value))
			strscpy(o->value, abs, sizeof(o->value));
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
		return perr(c, "ruleset %s: %m", p->ruleset);
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
		return errf_at(c->e, -ENOMEM, c->file, 0, "out of memory");
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
	p->mem_mb = PROFILE_MEM_DEFAULT_MB;
	if (strscpy(p->path, path, sizeof(p->path)))
		return errf(e, -ENAMETOOLONG, "%s: path too long", path);
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
	if (ret)
		return errf(e, ret, "%s: %s", path,
			    ret == -EINVAL ? "not a text file"
					   : strerror(-ret));
	ret = profile_parse_string(path, text, p, e);
	free(text);
	return ret;
}

void profile_print(const struct profile *p, struct strbuf *sb)
{
	int i;

	sb_puts(sb, "[appliance]\n");
	profile_keys_print(profile_appliance_keys, p, NULL, sb);
	for (i = 0; i < p->nifaces; i++) {
		sb_printf(sb, "\n[interface vec%d]\n", p->ifaces[i].index);
		profile_keys_print(profile_iface_keys, p, &p->ifaces[i], sb);
	}
	if (p->ruleset[0]) {
		sb_puts(sb, "\n[firewall]\n");
		profile_keys_print(profile_firewall_keys, p, NULL, sb);
	}
}
