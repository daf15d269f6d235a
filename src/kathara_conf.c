// SPDX-License-Identifier: GPL-2.0
/*
 * Kathará's lab.conf (device[key]=value, LAB_KEY=value) read into struct
 * k_lab (docs/kathara.md); lab.dep is kathara_dep.c's. In the Netkit
 * dialect, what Netkit does not know is ignored as Netkit does.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kathara_priv.h"
#include "lab_priv.h"

void k_warn_at(struct k_lab *k, const char *file, int line, const char *fmt,
	       ...)
{
	va_list ap;

	if (!k->warn)
		return;
	sb_printf(k->warn, "%s:%d: warning: ", file, line);
	va_start(ap, fmt);
	sb_vprintf(k->warn, fmt, ap);
	va_end(ap);
	sb_puts(k->warn, "\n");
}

static bool is_word(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

static bool dev_name_ok(const char *s, size_t n)
{
	size_t i;

	if (!n || n > K_DEV_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

int k_dev_find(struct k_lab *k, const char *name)
{
	int i;

	for (i = 0; i < k->ndevs; i++)
		if (!strcmp(k->devs[i].name, name))
			return i;
	return -1;
}

int k_dev_get(struct k_lab *k, const char *name, int line, struct err *e)
{
	int i = k_dev_find(k, name);
	struct k_dev *d;

	if (i >= 0)
		return i;
	if (!strcmp(name, "shared") || !strcmp(name, "_test"))
		return errf_at(
			e, -EINVAL, k->conf, line,
			"device name \"%s\" is reserved (lab/shared is laid over every node, _test holds Kathará's tests): rename the device",
			name);
	if (!lab_name_valid(name))
		return errf_at(
			e, -EINVAL, k->conf, line,
			"device \"%s\": umnet names nodes with 1-%d letters, digits, '_' or '-', starting with a letter: rename the device (and its directory and .startup file)",
			name, LAB_NAME_MAX);
	i = lab_grow(&k->devs, k->ndevs, &k->devs_cap, sizeof(*k->devs), e);
	if (i)
		return i;
	d = &k->devs[k->ndevs];
	memset(d, 0, sizeof(*d));
	strscpy(d->name, name, sizeof(d->name));
	d->line = line;
	d->ipv6 = -1;
	d->order = k->ndevs;
	return k->ndevs++;
}

static int cd_get(struct k_lab *k, const char *name, int line, struct err *e)
{
	int i;

	for (i = 0; i < k->ncds; i++)
		if (!strcmp(k->cds[i].name, name))
			return i;
	i = lab_grow(&k->cds, k->ncds, &k->cds_cap, sizeof(*k->cds), e);
	if (i)
		return i;
	strscpy(k->cds[k->ncds].name, name, sizeof(k->cds[0].name));
	k->cds[k->ncds].line = line;
	return k->ncds++;
}

static bool mac_ok(const char *s)
{
	int i;

	if (strlen(s) != 17)
		return false;
	for (i = 0; i < 17; i++)
		if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char)s[i]))
			return false;
	return !(strtoul(s, NULL, 16) & 1); /* unicast */
}

/* "128m", "1g", "65536k", "64" (netkit: MB; kathara: bytes) */
static int parse_mem(const char *v, bool netkit, unsigned long *mb)
{
	char *end;
	unsigned long long n;
	int c;

	if (!isdigit((unsigned char)*v))
		return -EINVAL;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno)
		return -EINVAL;
	c = tolower((unsigned char)*end);
	if (*end && end[1])
		return -EINVAL;
	if (!*end)
		c = netkit ? 'm' : 'b';
	switch (c) {
	case 'b':
		n /= 1024 * 1024;
		break;
	case 'k':
		n /= 1024;
		break;
	case 'm':
		break;
	case 'g':
		n *= 1024;
		break;
	default:
		return -EINVAL;
	}
	*mb = n;
	return 0;
}

static bool parse_bool(const char *v, bool *b)
{
	if (!strcasecmp(v, "true") || !strcmp(v, "1") ||
	    !strcasecmp(v, "yes")) {
		*b = true;
		return true;
	}
	if (!strcasecmp(v, "false") || !strcmp(v, "0") ||
	    !strcasecmp(v, "no")) {
		*b = false;
		return true;
	}
	return false;
}

static int add_item(struct k_lab *k, int line, struct text_item *items, int *n,
		    const char *key, const char *v, struct err *e)
{
	if (*n >= K_MAX_LIST)
		return errf_at(e, -E2BIG, k->conf, line,
			       "more than %d %s lines", K_MAX_LIST, key);
	if (strlen(v) >= sizeof(items[0].text) - 64)
		return errf_at(e, -E2BIG, k->conf, line, "%s: value too long",
			       key);
	strscpy(items[*n].text, v, sizeof(items[0].text));
	items[*n].line = line;
	(*n)++;
	return 0;
}

static void once(struct k_lab *k, struct k_dev *d, int line, const char *key)
{
	int i;

	for (i = 0; i < d->nseen; i++)
		if (!strcmp(d->seen[i], key)) {
			k_warn_at(k, k->conf, line,
				  "%s[%s] given again: the last one wins",
				  d->name, key);
			return;
		}
	if (d->nseen < 16)
		strscpy(d->seen[d->nseen++], key, sizeof(d->seen[0]));
}

static int device_kv(struct k_lab *k, int line, const char *dev,
		     const char *arg, const char *v, struct err *e)
{
	struct k_dev *d;
	int i, ret;
	bool b;

	ret = k_dev_get(k, dev, line, e);
	if (ret < 0)
		return ret;
	d = &k->devs[ret];
	if (isdigit((unsigned char)arg[0])) {
		unsigned long n;
		char cd[128], *slash;
		struct k_if *f;

		if (parse_uint(arg, 0, K_MAX_IFS - 1, &n))
			return errf_at(e, -EINVAL, k->conf, line,
				       "%s[%s]: interface number must be 0..%d",
				       dev, arg, K_MAX_IFS - 1);
		if (strlen(v) >= sizeof(cd))
			return errf_at(e, -EINVAL, k->conf, line,
				       "%s[%s]: value too long", dev, arg);
		strcpy(cd, v);
		slash = strchr(cd, '/');
		if (slash)
			*slash++ = '\0';
		if (!is_word(cd, strlen(cd)) || strlen(cd) >= 64)
			return errf_at(
				e, -EINVAL, k->conf, line,
				"%s[%s]=%s: the collision domain must be a name of letters, digits and '_' (then optionally /MAC)",
				dev, arg, v);
		if (slash && !mac_ok(slash))
			return errf_at(
				e, -EINVAL, k->conf, line,
				"%s[%s]=%s: \"%s\" is not a unicast MAC address (like 02:00:00:00:00:01)",
				dev, arg, v, slash);
		for (i = 0; i < d->nifs; i++)
			if (d->ifs[i].n == (int)n)
				return errf_at(
					e, -EINVAL, k->conf, line,
					"%s[%lu]: eth%lu given already on line %d",
					dev, n, n, d->ifs[i].line);
		ret = cd_get(k, cd, line, e);
		if (ret < 0)
			return ret;
		f = &d->ifs[d->nifs++];
		f->n = n;
		f->cd = ret;
		f->line = line;
		strscpy(f->mac, slash ? slash : "", sizeof(f->mac));
		for (i = 0; f->mac[i]; i++)
			f->mac[i] = tolower((unsigned char)f->mac[i]);
		k->cds[ret].ndevs++;
		return 0;
	}
	if (!strcmp(arg, "mem") || (k->netkit && !strcmp(arg, "M"))) {
		once(k, d, line, "mem");
		if (parse_mem(v, k->netkit, &d->mem_mb))
			return errf_at(
				e, -EINVAL, k->conf, line,
				"%s[%s]=%s: not a memory size (a number with b, k, m or g)",
				dev, arg, v);
		if (d->mem_mb < 16 || d->mem_mb > 16384)
			return errf_at(
				e, -ERANGE, k->conf, line,
				"%s[%s]=%s: a node has 16M..16G of memory", dev,
				arg, v);
		d->mem_line = line;
		return 0;
	}
	if (!strcmp(arg, "exec"))
		return add_item(k, line, d->execs, &d->nexecs, arg, v, e);
	if (!strcmp(arg, "sysctl")) {
		if (!strchr(v, '=') || v[0] == '=')
			return errf_at(e, -EINVAL, k->conf, line,
				       "%s[sysctl]=%s: must be KEY=VALUE", dev,
				       v);
		return add_item(k, line, d->sysctls, &d->nsysctls, arg, v, e);
	}
	if (!strcmp(arg, "env")) {
		const char *eq = strchr(v, '=');

		if (!eq || !is_word(v, eq - v) || isdigit((unsigned char)v[0]))
			return errf_at(e, -EINVAL, k->conf, line,
				       "%s[env]=%s: must be NAME=VALUE", dev,
				       v);
		return add_item(k, line, d->envs, &d->nenvs, arg, v, e);
	}
	if (!strcmp(arg, "ipv6")) {
		once(k, d, line, arg);
		if (!parse_bool(v, &b))
			return errf_at(e, -EINVAL, k->conf, line,
				       "%s[ipv6]=%s: must be true or false",
				       dev, v);
		d->ipv6 = b;
		return 0;
	}
	if (!strcmp(arg, "bridged")) {
		once(k, d, line, arg);
		if (!parse_bool(v, &b))
			return errf_at(e, -EINVAL, k->conf, line,
				       "%s[bridged]=%s: must be true or false",
				       dev, v);
		d->bridged = b;
		d->bridged_line = line;
		return 0;
	}
	if (!strcmp(arg, "port")) {
		struct lab_port p;

		if (lab_port_parse(v, &p))
			return errf_at(
				e, -EINVAL, k->conf, line,
				"%s[port]=%s: must be [HOST:]GUEST[/tcp|udp|sctp], ports 1-65535 (HOST default %d)",
				dev, v, LAB_PORT_HOST_DEFAULT);
		return add_item(k, line, d->ports, &d->nports, arg, v, e);
	}
	if (!strcmp(arg, "image")) {
		once(k, d, line, arg);
		/* docs/kathara.md: Kathará's images run on the Debian one */
		d->image_line = line;
		if (!strcmp(v, "minimal")) {
			d->image = "minimal";
		} else {
			d->image = "debian";
			if (strcmp(v, "debian") && strncmp(v, "kathara/", 8))
				k_warn_at(
					k, k->conf, line,
					"%s[image]=%s: not a kathara/ image; the node runs umnet's Debian image",
					dev, v);
		}
		return 0;
	}
	if (!strcmp(arg, "privileged")) {
		once(k, d, line, arg);
		if (!parse_bool(v, &b))
			return errf_at(
				e, -EINVAL, k->conf, line,
				"%s[privileged]=%s: must be true or false", dev,
				v);
		return 0; /* every node has its own kernel */
	}
	if (!strcmp(arg, "cpus") || !strcmp(arg, "shell") ||
	    !strcmp(arg, "num_terms") || !strcmp(arg, "ulimit") ||
	    !strcmp(arg, "entrypoint") || !strcmp(arg, "args") ||
	    !strcmp(arg, "volume")) {
		if (strcmp(arg, "ulimit") && strcmp(arg, "volume"))
			once(k, d, line, arg);
		k_warn_at(k, k->conf, line,
			  "%s[%s]: not supported by umnet, ignored", dev, arg);
		return 0;
	}
	k_warn_at(k, k->conf, line, "%s[%s]: unknown key, ignored (%s)", dev,
		  arg,
		  k->netkit ? "Netkit ignores it too"
			    : "Kathará ignores it silently");
	return 0;
}

static int take_value(char *s, char **val)
{
	char *end;

	if (*s == '"' || *s == '\'') {
		end = strchr(s + 1, *s);
		if (!end)
			return -1;
		*val = s + 1;
		*end++ = '\0';
	} else {
		*val = s;
		end = s + strcspn(s, " \t\"'");
		if (*end == '"' || *end == '\'')
			return -1;
		if (*end)
			*end++ = '\0';
	}
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end && *end != '#')
		return -1;
	return 0;
}

static const char *const lab_meta[] = { "NAME",	  "DESCRIPTION", "VERSION",
					"AUTHOR", "EMAIL",	 "WEB" };

/* LAB_KEY=value (s: the line, orig: it escaped, for messages) */
static int meta_line(struct k_lab *k, int line, char *s, const char *orig,
		     struct err *e)
{
	char *p = strchr(s, '='), *val;
	size_t i;

	if (p)
		*p = '\0';
	if (!p || take_value(p + 1, &val)) {
		if (k->netkit)
			return 0;
		return errf_at(
			e, -EINVAL, k->conf, line,
			"syntax error in \"%s\": a LAB_ line is LAB_KEY=value",
			orig);
	}
	if (!strcmp(s + 4, "MACHINES") && k->netkit)
		return k_set_machines(k, line, val, e);
	for (i = 0; i < ARRAY_SIZE(lab_meta); i++)
		if (!strcmp(s + 4, lab_meta[i]))
			break;
	if (i == ARRAY_SIZE(lab_meta)) {
		if (k->netkit)
			return 0;
		return errf_at(
			e, -EINVAL, k->conf, line,
			"unknown line %s=...: lab.conf takes LAB_NAME, LAB_DESCRIPTION, LAB_VERSION, LAB_AUTHOR, LAB_EMAIL, LAB_WEB and device[key]=value lines",
			s);
	}
	if (i == 0) {
		strscpy(k->lab_name_raw, val, sizeof(k->lab_name_raw));
		k->lab_name_line = line;
	}
	return 0;
}

/* s is device[key]=value: split in place */
static bool device_syntax(char *s, char **dev, char **arg, char **val)
{
	char *p = strchr(s, '[');

	if (!p || !dev_name_ok(s, p - s))
		return false;
	*p++ = '\0';
	*dev = s;
	*arg = p;
	p = strchr(p, ']');
	if (!p || !is_word(*arg, p - *arg) || p[1] != '=')
		return false;
	*p = '\0';
	return !take_value(p + 2, val);
}

int k_conf_line(struct k_lab *k, int line, char *s, struct err *e)
{
	char *val, *dev, *arg, orig[96];
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	if (!*s || *s == '#')
		return 0;
	str_escape(s, orig, sizeof(orig));
	if (!strncmp(s, "LAB_", 4))
		return meta_line(k, line, s, orig, e);
	if (k->netkit && !strncmp(s, "machines=", 9)) {
		if (take_value(s + 9, &val))
			return errf_at(e, -EINVAL, k->conf, line,
				       "syntax error: machines=\"a b c\"");
		return k_set_machines(k, line, val, e);
	}
	if (device_syntax(s, &dev, &arg, &val))
		return device_kv(k, line, dev, arg, val, e);
	if (k->netkit)
		return 0; /* Netkit ignores what it does not know */
	return errf_at(
		e, -EINVAL, k->conf, line,
		"syntax error in \"%s\": expected device[key]=value (device: 1-%d of a-z, 0-9, _; value: a word or quoted), LAB_KEY=value, a # comment or a blank line",
		orig, K_DEV_MAX);
}
