// SPDX-License-Identifier: GPL-2.0
/*
 * Kathará / Netkit lab.conf reader (docs/kathara.md). The lab becomes the
 * text of a native lab: one [node] per device, one [link] per collision
 * domain (a wire for 2 devices, a switch otherwise), the lab's directories
 * and startup files copied in with `file`, and `run` lines that rename
 * vecN to ethN, set MACs, and run the startup files and `exec` lines.
 */
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kathara.h"
#include "labrun.h"

struct kathara_opts kathara_cli_opts;

#define K_MAX_DEVS LAB_MAX_NODES
#define K_MAX_CDS LAB_MAX_LINKS
#define K_MAX_IFS MAX_IFACES
#define K_MAX_LIST MAX_LIST
#define K_DEV_MAX 30

struct k_if {
	int n; /* ethN */
	int cd; /* index in cds */
	char mac[18];
	int line;
};

struct k_dev {
	char name[K_DEV_MAX + 1];
	int line;
	struct k_if ifs[K_MAX_IFS];
	int nifs;
	unsigned long mem_mb;
	int mem_line;
	const char *image; /* NULL: umnet's default (minimal) */
	int image_line;
	int ipv6; /* -1 unset, 0, 1 */
	struct text_item execs[K_MAX_LIST], sysctls[K_MAX_LIST],
		envs[K_MAX_LIST];
	int nexecs, nsysctls, nenvs;
	char seen[16][16]; /* non-repeatable keys given, for warnings */
	int nseen;
	int order; /* position in the boot order */
	bool listed; /* netkit: in machines= */
};

struct k_cd {
	char name[64];
	char link[LAB_NAME_MAX + 1];
	int line;
	int ndevs;
};

struct k_lab {
	const char *conf; /* for messages */
	const char *dep;
	bool netkit;
	char name[LAB_NAME_MAX + 1];
	char lab_name_raw[128];
	int lab_name_line;
	struct k_dev *devs;
	int ndevs;
	struct k_cd cds[K_MAX_CDS];
	int ncds;
	char machines[K_MAX_DEVS][K_DEV_MAX + 1];
	int nmachines;
	int machines_line;
	struct strbuf *warn;
};

static void warn_at(struct k_lab *k, const char *file, int line,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void warn_at(struct k_lab *k, const char *file, int line,
		    const char *fmt, ...)
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

static int dev_find(struct k_lab *k, const char *name)
{
	int i;

	for (i = 0; i < k->ndevs; i++)
		if (!strcmp(k->devs[i].name, name))
			return i;
	return -1;
}

static int dev_get(struct k_lab *k, const char *name, int line, struct err *e)
{
	int i = dev_find(k, name);
	struct k_dev *d;

	if (i >= 0)
		return i;
	if (!strcmp(name, "shared") || !strcmp(name, "_test"))
		return err_at(e, k->conf, line,
			      "device name \"%s\" is reserved (lab/shared is laid over every node, _test holds Kathará's tests): rename the device",
			      name),
		       -EINVAL;
	if (!lab_name_valid(name))
		return err_at(e, k->conf, line,
			      "device \"%s\": umnet names nodes with 1-%d letters, digits, '_' or '-', starting with a letter: rename the device (and its directory and .startup file)",
			      name, LAB_NAME_MAX),
		       -EINVAL;
	if (k->ndevs >= K_MAX_DEVS)
		return err_at(e, k->conf, line, "more than %d devices",
			      K_MAX_DEVS),
		       -E2BIG;
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
	if (k->ncds >= K_MAX_CDS)
		return err_at(e, k->conf, line,
			      "more than %d collision domains", K_MAX_CDS),
		       -E2BIG;
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
		return err_at(e, k->conf, line, "more than %d %s lines",
			      K_MAX_LIST, key),
		       -E2BIG;
	if (strlen(v) >= sizeof(items[0].text) - 64)
		return err_at(e, k->conf, line, "%s: value too long", key),
		       -E2BIG;
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
			warn_at(k, k->conf, line,
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

	ret = dev_get(k, dev, line, e);
	if (ret < 0)
		return ret;
	d = &k->devs[ret];
	if (isdigit((unsigned char)arg[0])) {
		unsigned long n;
		char cd[128], *slash;
		struct k_if *f;

		if (parse_uint(arg, 0, K_MAX_IFS - 1, &n))
			return err_at(e, k->conf, line,
				      "%s[%s]: interface number must be 0..%d",
				      dev, arg, K_MAX_IFS - 1),
			       -EINVAL;
		if (strlen(v) >= sizeof(cd))
			return err_at(e, k->conf, line,
				      "%s[%s]: value too long", dev, arg),
			       -EINVAL;
		strcpy(cd, v);
		slash = strchr(cd, '/');
		if (slash)
			*slash++ = '\0';
		if (!is_word(cd, strlen(cd)) || strlen(cd) >= 64)
			return err_at(e, k->conf, line,
				      "%s[%s]=%s: the collision domain must be a name of letters, digits and '_' (then optionally /MAC)",
				      dev, arg, v),
			       -EINVAL;
		if (slash && !mac_ok(slash))
			return err_at(e, k->conf, line,
				      "%s[%s]=%s: \"%s\" is not a unicast MAC address (like 02:00:00:00:00:01)",
				      dev, arg, v, slash),
			       -EINVAL;
		for (i = 0; i < d->nifs; i++)
			if (d->ifs[i].n == (int)n)
				return err_at(e, k->conf, line,
					      "%s[%lu]: eth%lu given already on line %d",
					      dev, n, n, d->ifs[i].line),
				       -EINVAL;
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
			return err_at(e, k->conf, line,
				      "%s[%s]=%s: not a memory size (a number with b, k, m or g)",
				      dev, arg, v),
			       -EINVAL;
		if (d->mem_mb < 16 || d->mem_mb > 16384)
			return err_at(e, k->conf, line,
				      "%s[%s]=%s: a node has 16M..16G of memory",
				      dev, arg, v),
			       -ERANGE;
		d->mem_line = line;
		return 0;
	}
	if (!strcmp(arg, "exec"))
		return add_item(k, line, d->execs, &d->nexecs, arg, v, e);
	if (!strcmp(arg, "sysctl")) {
		if (!strchr(v, '=') || v[0] == '=')
			return err_at(e, k->conf, line,
				      "%s[sysctl]=%s: must be KEY=VALUE", dev,
				      v),
			       -EINVAL;
		return add_item(k, line, d->sysctls, &d->nsysctls, arg, v, e);
	}
	if (!strcmp(arg, "env")) {
		const char *eq = strchr(v, '=');

		if (!eq || !is_word(v, eq - v) || isdigit((unsigned char)v[0]))
			return err_at(e, k->conf, line,
				      "%s[env]=%s: must be NAME=VALUE", dev, v),
			       -EINVAL;
		return add_item(k, line, d->envs, &d->nenvs, arg, v, e);
	}
	if (!strcmp(arg, "ipv6")) {
		once(k, d, line, arg);
		if (!parse_bool(v, &b))
			return err_at(e, k->conf, line,
				      "%s[ipv6]=%s: must be true or false", dev,
				      v),
			       -EINVAL;
		d->ipv6 = b;
		return 0;
	}
	if (!strcmp(arg, "bridged")) {
		once(k, d, line, arg);
		if (!parse_bool(v, &b))
			return err_at(e, k->conf, line,
				      "%s[bridged]=%s: must be true or false",
				      dev, v),
			       -EINVAL;
		if (b)
			return err_at(e, k->conf, line,
				      "%s[bridged]=true: not supported yet (a link to the host with NAT); use a [link] of kind netns in a native lab ('umnet lab convert')",
				      dev),
			       -EOPNOTSUPP;
		return 0;
	}
	if (!strcmp(arg, "port"))
		return err_at(e, k->conf, line,
			      "%s[port]=%s: not supported yet (forwarding a host port to a node)",
			      dev, v),
		       -EOPNOTSUPP;
	if (!strcmp(arg, "image")) {
		once(k, d, line, arg);
		/* docs/kathara.md: Kathará's images run on the Debian one */
		d->image_line = line;
		if (!strcmp(v, "minimal")) {
			d->image = "minimal";
		} else {
			d->image = "debian";
			if (strcmp(v, "debian") && strncmp(v, "kathara/", 8))
				warn_at(k, k->conf, line,
					"%s[image]=%s: not a kathara/ image; the node runs umnet's Debian image",
					dev, v);
		}
		return 0;
	}
	if (!strcmp(arg, "privileged")) {
		once(k, d, line, arg);
		if (!parse_bool(v, &b))
			return err_at(e, k->conf, line,
				      "%s[privileged]=%s: must be true or false",
				      dev, v),
			       -EINVAL;
		return 0; /* every node has its own kernel */
	}
	if (!strcmp(arg, "cpus") || !strcmp(arg, "shell") ||
	    !strcmp(arg, "num_terms") || !strcmp(arg, "ulimit") ||
	    !strcmp(arg, "entrypoint") || !strcmp(arg, "args") ||
	    !strcmp(arg, "volume")) {
		if (strcmp(arg, "ulimit") && strcmp(arg, "volume"))
			once(k, d, line, arg);
		warn_at(k, k->conf, line,
			"%s[%s]: not supported by umnet, ignored", dev, arg);
		return 0;
	}
	warn_at(k, k->conf, line, "%s[%s]: unknown key, ignored (%s)", dev, arg,
		k->netkit ? "Netkit ignores it too"
			  : "Kathará ignores it silently");
	return 0;
}

static int set_machines(struct k_lab *k, int line, const char *v)
{
	char buf[4096], *tok, *save = NULL;

	strscpy(buf, v, sizeof(buf));
	k->nmachines = 0;
	k->machines_line = line;
	for (tok = strtok_r(buf, " \t,", &save); tok;
	     tok = strtok_r(NULL, " \t,", &save))
		if (k->nmachines < K_MAX_DEVS)
			strscpy(k->machines[k->nmachines++], tok,
				sizeof(k->machines[0]));
	return 0;
}

/* value: "..." | '...' | bare word; then optional spaces and # comment */
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

static int conf_line(struct k_lab *k, int line, char *s, struct err *e)
{
	char *p, *val, *dev, *arg, orig[96];
	size_t n, i;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	if (!*s || *s == '#')
		return 0;
	str_escape(s, orig, sizeof(orig));
	if (!strncmp(s, "LAB_", 4)) {
		p = strchr(s, '=');
		if (p) {
			*p = '\0';
			if (take_value(p + 1, &val))
				goto bad_meta;
			if (!strcmp(s + 4, "MACHINES") && k->netkit)
				return set_machines(k, line, val);
			for (i = 0; i < ARRAY_SIZE(lab_meta); i++)
				if (!strcmp(s + 4, lab_meta[i]))
					break;
			if (i == ARRAY_SIZE(lab_meta)) {
				if (k->netkit)
					return 0;
				return err_at(e, k->conf, line,
					      "unknown line %s=...: lab.conf takes LAB_NAME, LAB_DESCRIPTION, LAB_VERSION, LAB_AUTHOR, LAB_EMAIL, LAB_WEB and device[key]=value lines",
					      s),
				       -EINVAL;
			}
			if (i == 0) {
				strscpy(k->lab_name_raw, val,
					sizeof(k->lab_name_raw));
				k->lab_name_line = line;
			}
			return 0;
		}
	bad_meta:
		if (k->netkit)
			return 0;
		return err_at(e, k->conf, line,
			      "syntax error in \"%s\": a LAB_ line is LAB_KEY=value",
			      orig),
		       -EINVAL;
	}
	if (k->netkit && !strncmp(s, "machines=", 9)) {
		if (take_value(s + 9, &val))
			return err_at(e, k->conf, line,
				      "syntax error: machines=\"a b c\""),
			       -EINVAL;
		return set_machines(k, line, val);
	}
	dev = s;
	p = strchr(s, '[');
	if (!p || !dev_name_ok(dev, p - dev))
		goto bad;
	*p++ = '\0';
	arg = p;
	p = strchr(p, ']');
	if (!p || !is_word(arg, p - arg) || p[1] != '=')
		goto bad;
	*p = '\0';
	if (take_value(p + 2, &val))
		goto bad;
	return device_kv(k, line, dev, arg, val, e);
bad:
	if (k->netkit)
		return 0; /* Netkit ignores what it does not know */
	return err_at(e, k->conf, line,
		      "syntax error in \"%s\": expected device[key]=value (device: 1-%d of a-z, 0-9, _; value: a word or quoted), LAB_KEY=value, a # comment or a blank line",
		      orig, K_DEV_MAX),
	       -EINVAL;
}

static bool looks_netkit(const char *text)
{
	const char *s = text;

	while (s && *s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!strncmp(s, "machines=", 9) ||
		    !strncmp(s, "LAB_MACHINES=", 13))
			return true;
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	return false;
}

/* lab.dep: "node: dep1 dep2"; order[] = boot order (deps first) */
static int read_dep(struct k_lab *k, const char *text, struct err *e)
{
	char *copy = strdup(text), *line, *save = NULL, *next;
	unsigned char *deps = NULL; /* deps[a * n + b]: a needs b */
	int n = k->ndevs, ln = 0, ret = 0, i, j, placed = 0;
	int *order = NULL, *state = NULL;

	deps = calloc((size_t)n * n + 1, 1);
	order = calloc(n + 1, sizeof(*order));
	state = calloc(n + 1, sizeof(*state));
	if (!copy || !deps || !order || !state) {
		ret = -ENOMEM;
		goto cleanup;
	}
	for (line = copy; line; line = next) {
		char *colon, *tok;
		int a;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		ln++;
		tok = strchr(line, '#');
		if (tok)
			*tok = '\0';
		line = strtrim(line);
		if (!*line)
			continue;
		colon = strchr(line, ':');
		if (!colon) {
			ret = err_at(
				e, k->dep, ln,
				"syntax error: expected \"node: dep1 dep2\"");
			ret = -EINVAL;
			goto cleanup;
		}
		*colon = '\0';
		a = dev_find(k, strtrim(line));
		if (a < 0) {
			err_at(e, k->dep, ln, "%s: no such device in lab.conf",
			       strtrim(line));
			ret = -EINVAL;
			goto cleanup;
		}
		for (tok = strtok_r(colon + 1, " \t", &save); tok;
		     tok = strtok_r(NULL, " \t", &save)) {
			int b = dev_find(k, tok);

			if (b < 0) {
				err_at(e, k->dep, ln,
				       "%s: no such device in lab.conf", tok);
				ret = -EINVAL;
				goto cleanup;
			}
			deps[a * n + b] = 1;
		}
	}
	/* Kahn's algorithm, stable in lab.conf order */
	while (placed < n) {
		bool progress = false;

		for (i = 0; i < n; i++) {
			bool ready = !state[i];

			for (j = 0; ready && j < n; j++)
				if (deps[i * n + j] && !state[j])
					ready = false;
			if (ready) {
				state[i] = 1;
				order[placed++] = i;
				progress = true;
				break;
			}
		}
		if (!progress) {
			struct strbuf sb = { 0 };

			for (i = 0; i < n; i++)
				if (!state[i])
					sb_printf(&sb, " %s", k->devs[i].name);
			err_at(e, k->dep, 0,
			       "a dependency loop among:%s (remove one of the dependencies)",
			       sb_str(&sb));
			sb_free(&sb);
			ret = -ELOOP;
			goto cleanup;
		}
	}
	for (i = 0; i < n; i++)
		k->devs[order[i]].order = i;
cleanup:
	free(copy);
	free(deps);
	free(order);
	free(state);
	return ret;
}

static void make_name(const char *raw, char *out, size_t len)
{
	size_t i, o = 0;

	if (!isalpha((unsigned char)raw[0]))
		out[o++] = 'k';
	for (i = 0; raw[i] && o + 1 < len; i++) {
		unsigned char c = raw[i];

		if (isalnum(c) || c == '_' || c == '-')
			out[o++] = c;
		else if (o && out[o - 1] != '-')
			out[o++] = '-';
	}
	while (o > 1 && out[o - 1] == '-')
		o--;
	out[o] = '\0';
}

/* link names: the domain's own when valid, else made valid and unique */
static void name_links(struct k_lab *k)
{
	int i, j, tries;

	for (i = 0; i < k->ncds; i++) {
		char *l = k->cds[i].link;

		make_name(k->cds[i].name, l, LAB_NAME_MAX + 1);
		for (tries = 0; tries < 1000; tries++) {
			for (j = 0; j < i; j++)
				if (!strcmp(k->cds[j].link, l))
					break;
			if (j == i)
				break;
			snprintf(l + (strlen(l) > 10 ? 10 : strlen(l)),
				 LAB_NAME_MAX + 1 - 10, "-%d", tries + 2);
		}
	}
}

struct emitter {
	struct strbuf *sb;
	int *map, nmap, cap;
	bool oom;
};

static void em(struct emitter *m, int srcline, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void em(struct emitter *m, int srcline, const char *fmt, ...)
{
	va_list ap;

	if (m->nmap + 2 > m->cap) {
		int cap = m->cap ? m->cap * 2 : 256;
		int *nm = realloc(m->map, cap * sizeof(*nm));

		if (!nm) {
			m->oom = true;
			return;
		}
		m->map = nm;
		m->cap = cap;
	}
	m->map[++m->nmap] = srcline;
	va_start(ap, fmt);
	sb_vprintf(m->sb, fmt, ap);
	va_end(ap);
	sb_puts(m->sb, "\n");
}

static bool exists_in(const char *dir, const char *name, bool want_dir)
{
	char path[PATH_MAX];
	struct stat st;

	if (path_fmt(path, sizeof(path), "%s/%s", dir, name) || stat(path, &st))
		return false;
	return want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode);
}

/* a shell command for a native `run` line: no " #", no line break */
static int run_ok(struct k_lab *k, int line, const char *s, struct err *e)
{
	if (strchr(s, '\n') || strstr(s, " #") || strstr(s, "\t#"))
		return err_at(e, k->conf, line,
			      "\"%s\": a command with \" #\" cannot be carried over (write it in the .startup file)",
			      s),
		       -EINVAL;
	return 0;
}

static int emit_node(struct k_lab *k, struct emitter *m, const char *dir,
		     const char *fdir, const struct k_dev *d, struct err *e)
{
	struct strbuf env = { 0 }, cmd = { 0 };
	const char *pre = fdir ? fdir : "", *sep = fdir ? "/" : "";
	char file[K_DEV_MAX + 16];
	int i, j, ret = 0;

	em(m, d->line, "[node %s]", d->name);
	if (d->mem_mb)
		em(m, d->mem_line, "mem = %luM", d->mem_mb);
	if (d->image)
		em(m, d->image_line, "image = %s", d->image);
	/* Kathará turns IPv4 forwarding on in every device */
	em(m, d->line, "forwarding = yes");
	if (exists_in(dir, "shared", true))
		em(m, d->line, "file = %s%sshared /", pre, sep);
	if (exists_in(dir, d->name, true))
		em(m, d->line, "file = %s%s%s /", pre, sep, d->name);
	if (exists_in(dir, "shared.startup", false))
		em(m, d->line,
		   "file = %s%sshared.startup /hostlab/shared.startup", pre,
		   sep);
	snprintf(file, sizeof(file), "%s.startup", d->name);
	if (exists_in(dir, file, false))
		em(m, d->line, "file = %s%s%s /hostlab/%s", pre, sep, file,
		   file);
	if (exists_in(dir, "shared.shutdown", false))
		em(m, d->line,
		   "file = %s%sshared.shutdown /hostlab/shared.shutdown", pre,
		   sep);
	snprintf(file, sizeof(file), "%s.shutdown", d->name);
	if (exists_in(dir, file, false))
		em(m, d->line, "file = %s%s%s /hostlab/%s", pre, sep, file,
		   file);
	snprintf(file, sizeof(file), "%s.startup", d->name);
	if (d->ipv6 == 0) {
		em(m, d->line, "sysctl = net.ipv6.conf.all.disable_ipv6=1");
		em(m, d->line, "sysctl = net.ipv6.conf.default.disable_ipv6=1");
	}
	/* vecN is ethN in the node, with its MAC, named before it is up */
	for (i = 0; i < d->nifs; i++) {
		const struct k_if *f = &d->ifs[i];

		em(m, f->line, "rename = vec%d eth%d%s%s", f->n, f->n,
		   f->mac[0] ? " " : "", f->mac);
	}
	for (i = 0; i < d->nenvs; i++) {
		const char *eq = strchr(d->envs[i].text, '=');

		sb_printf(&env, "export %.*s=", (int)(eq - d->envs[i].text),
			  d->envs[i].text);
		sb_shquote(&env, eq + 1);
		sb_puts(&env, "; ");
		if ((ret = run_ok(k, d->envs[i].line, d->envs[i].text, e)))
			goto cleanup;
	}
	for (i = 0; i < d->nsysctls; i++) {
		sb_free(&cmd);
		memset(&cmd, 0, sizeof(cmd));
		sb_puts(&cmd, "sysctl -w ");
		sb_shquote(&cmd, d->sysctls[i].text);
		if ((ret = run_ok(k, d->sysctls[i].line, d->sysctls[i].text,
				  e)))
			goto cleanup;
		em(m, d->sysctls[i].line, "run = %s", sb_str(&cmd));
	}
	j = exists_in(dir, "shared.startup", false) |
	    exists_in(dir, file, false) << 1;
	if (j) {
		sb_free(&cmd);
		memset(&cmd, 0, sizeof(cmd));
		sb_printf(&cmd, "mkdir -p /var/log; cd /; %s", sb_str(&env));
		if (j & 1)
			sb_puts(&cmd,
				"bash /hostlab/shared.startup >/var/log/shared.log 2>&1; ");
		if (j & 2)
			sb_printf(
				&cmd,
				"bash /hostlab/%s >/var/log/startup.log 2>&1; ",
				file);
		sb_puts(&cmd, "true");
		em(m, d->line, "run = %s", sb_str(&cmd));
	}
	for (i = 0; i < d->nexecs; i++) {
		if ((ret = run_ok(k, d->execs[i].line, d->execs[i].text, e)))
			goto cleanup;
		em(m, d->execs[i].line, "run = %s%s", sb_str(&env),
		   d->execs[i].text);
	}
	em(m, 0, "%s", "");
cleanup:
	sb_free(&env);
	sb_free(&cmd);
	return ret;
}

static int cmp_order(const void *a, const void *b)
{
	const struct k_dev *x = a, *y = b;

	return x->order - y->order;
}

int kathara_convert_text(const char *dir, const char *conf_text,
			 const char *dep_text, const struct kathara_opts *o,
			 struct strbuf *out, struct strbuf *warn, int **map,
			 int *nmap, struct err *e)
{
	struct k_lab *k = calloc(1, sizeof(*k));
	struct emitter m = { out, NULL, 0, 0, false };
	char conf[PATH_MAX], dep[PATH_MAX], *copy = NULL, *line, *next;
	int ret = -ENOMEM, ln = 0, i, j;
	char *base = NULL;

	if (!k || !(k->devs = calloc(K_MAX_DEVS, sizeof(*k->devs))) ||
	    !(copy = strdup(conf_text)))
		goto cleanup;
	snprintf(conf, sizeof(conf), "%s/lab.conf", dir);
	snprintf(dep, sizeof(dep), "%s/lab.dep", dir);
	k->conf = conf;
	k->dep = dep;
	k->warn = warn;
	k->netkit = (o && o->netkit) || looks_netkit(conf_text);
	for (line = copy; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		ret = conf_line(k, ++ln, line, e);
		if (ret)
			goto cleanup;
	}
	ret = -EINVAL;
	if (k->nmachines) {
		/* Netkit: these start, in this order */
		for (i = 0; i < k->nmachines; i++) {
			j = dev_find(k, k->machines[i]);
			if (j < 0) {
				j = dev_get(k, k->machines[i], k->machines_line,
					    e);
				if (j < 0)
					goto cleanup;
			}
			k->devs[j].listed = true;
			k->devs[j].order = i;
		}
		for (i = j = 0; i < k->ndevs; i++) {
			if (!k->devs[i].listed) {
				warn_at(k, conf, k->devs[i].line,
					"%s is not in machines=: it does not start",
					k->devs[i].name);
				for (int f = 0; f < k->devs[i].nifs; f++)
					k->cds[k->devs[i].ifs[f].cd].ndevs--;
				continue;
			}
			if (i != j)
				k->devs[j] = k->devs[i];
			j++;
		}
		k->ndevs = j;
	}
	if (!k->ndevs) {
		err_at(e, conf, 0,
		       "no devices: a device is defined by lines like pc1[0]=A");
		goto cleanup;
	}
	if (dep_text) {
		ret = read_dep(k, dep_text, e);
		if (ret)
			goto cleanup;
	}
	qsort(k->devs, k->ndevs, sizeof(*k->devs), cmp_order);
	name_links(k);
	if (o && o->name) {
		if (!lab_name_valid(o->name)) {
			ret = -EINVAL;
			err_set(e,
				"--name %s: use 1-%d letters, digits, '_' or '-', starting with a letter",
				o->name, LAB_NAME_MAX);
			goto cleanup;
		}
		strscpy(k->name, o->name, sizeof(k->name));
	} else if (k->lab_name_raw[0]) {
		make_name(k->lab_name_raw, k->name, sizeof(k->name));
	} else {
		char real[PATH_MAX];

		if (!realpath(dir, real))
			strscpy(real, dir, sizeof(real));
		base = strdup(real);
		if (!base)
			goto cleanup;
		make_name(basename(base), k->name, sizeof(k->name));
	}
	if (!lab_name_valid(k->name))
		strscpy(k->name, "kathara", sizeof(k->name));

	em(&m, 0, "# generated by umnet from %s (%s dialect)", conf,
	   k->netkit ? "Netkit" : "Kathará");
	em(&m, 0, "[lab]");
	em(&m, k->lab_name_line, "name = %s", k->name);
	em(&m, 0, "%s", "");
	for (i = 0; i < k->ndevs; i++) {
		ret = emit_node(k, &m, dir, o ? o->files_dir : NULL,
				&k->devs[i], e);
		if (ret)
			goto cleanup;
	}
	for (i = 0; i < k->ncds; i++) {
		struct k_cd *c = &k->cds[i];

		if (c->ndevs <= 0)
			continue;
		em(&m, c->line, "[link %s]", c->link);
		if (strcmp(c->link, c->name))
			em(&m, c->line, "# collision domain %s", c->name);
		if (c->ndevs != 2)
			em(&m, c->line, "kind = switch");
		for (j = 0; j < k->ndevs; j++)
			for (int f = 0; f < k->devs[j].nifs; f++)
				if (k->devs[j].ifs[f].cd == i)
					em(&m, k->devs[j].ifs[f].line,
					   "endpoint = %s:vec%d",
					   k->devs[j].name,
					   k->devs[j].ifs[f].n);
		em(&m, 0, "%s", "");
	}
	ret = m.oom || out->oom ? -ENOMEM : 0;
cleanup:
	if (ret == -ENOMEM && !e->msg[0])
		err_set(e, "%s: out of memory", conf);
	if (!ret && map) {
		*map = m.map;
		*nmap = m.nmap;
		m.map = NULL;
	}
	free(m.map);
	free(base);
	free(copy);
	if (k)
		free(k->devs);
	free(k);
	return ret;
}

bool kathara_is_lab(const char *arg)
{
	struct stat st;
	const char *b = strrchr(arg, '/');

	if (stat(arg, &st))
		return false;
	if (S_ISDIR(st.st_mode))
		return exists_in(arg, "lab.conf", false);
	return S_ISREG(st.st_mode) && !strcmp(b ? b + 1 : arg, "lab.conf");
}

/* the lab's directory: arg itself, or the directory of arg/lab.conf */
static int lab_dir_of(const char *arg, char *dir, size_t len)
{
	struct stat st;
	char *copy;
	int ret;

	if (!stat(arg, &st) && S_ISDIR(st.st_mode))
		return strscpy(dir, arg, len) < 0 ? -ENAMETOOLONG : 0;
	copy = strdup(arg);
	if (!copy)
		return -ENOMEM;
	ret = strscpy(dir, dirname(copy), len) < 0 ? -ENAMETOOLONG : 0;
	free(copy);
	return ret;
}

static int read_texts(const char *dir, char **conf, char **dep, struct err *e)
{
	char path[PATH_MAX];
	int ret;

	path_fmt(path, sizeof(path), "%s/lab.conf", dir);
	ret = read_file(path, conf, NULL);
	if (ret)
		return err_set(e, "%s: %s", path, strerror(-ret)), ret;
	path_fmt(path, sizeof(path), "%s/lab.dep", dir);
	ret = read_file(path, dep, NULL);
	if (ret == -ENOENT)
		ret = 0;
	else if (ret)
		err_set(e, "%s: %s", path, strerror(-ret));
	return ret;
}

int kathara_convert(const char *arg, const struct kathara_opts *o,
		    struct strbuf *out, struct strbuf *warn, int **map,
		    int *nmap, struct err *e)
{
	char dir[PATH_MAX], *conf = NULL, *dep = NULL;
	int ret;

	ret = lab_dir_of(arg, dir, sizeof(dir));
	if (ret)
		return err_set(e, "%s: %s", arg, strerror(-ret)), ret;
	ret = read_texts(dir, &conf, &dep, e);
	if (!ret)
		ret = kathara_convert_text(dir, conf, dep, o, out, warn, map,
					   nmap, e);
	free(conf);
	free(dep);
	return ret;
}

/*
 * An error of lab_parse() on the generated text ("GEN:N: ...") told at the
 * lab.conf line the generated line N came from.
 */
static void remap_error(const char *gen, const char *conf, const int *map,
			int nmap, struct err *e)
{
	size_t glen = strlen(gen);
	char rest[sizeof(e->msg)], *p;
	int n;

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
	snprintf(rest, sizeof(rest), "%s", p);
	snprintf(e->msg, sizeof(e->msg),
		 "%.300s:%d: (line %d of the lab it makes) %.600s", conf,
		 map[n], n, rest);
}

int kathara_lab_text(const char *dir, const char *conf_text,
		     const char *dep_text, const struct kathara_opts *o,
		     struct lab *lab, struct strbuf *text, struct strbuf *warn,
		     struct err *e)
{
	char conf[PATH_MAX];
	int *map = NULL, nmap = 0, ret;

	snprintf(conf, sizeof(conf), "%s/lab.conf", dir);
	ret = kathara_convert_text(dir, conf_text, dep_text, o, text, warn,
				   &map, &nmap, e);
	if (ret)
		goto cleanup;
	/* lab_parse's lines are the generated text's: told at lab.conf's */
	ret = lab_parse(conf, sb_str(text), dir, lab, e);
	if (ret)
		remap_error(conf, conf, map, nmap, e);
cleanup:
	free(map);
	return ret;
}

int kathara_lab_parse(const char *arg, bool gen, struct lab *lab, struct err *e)
{
	struct strbuf text = { 0 }, warn = { 0 };
	char dir[PATH_MAX], path[PATH_MAX], *conf = NULL, *dep = NULL;
	int ret;

	ret = lab_dir_of(arg, dir, sizeof(dir));
	if (ret)
		return err_set(e, "%s: %s", arg, strerror(-ret)), ret;
	ret = read_texts(dir, &conf, &dep, e);
	if (ret)
		goto cleanup;
	ret = kathara_lab_text(dir, conf, dep, &kathara_cli_opts, lab, &text,
			       &warn, e);
	if (warn.len && gen)
		fputs(sb_str(&warn), stderr);
	if (ret)
		goto cleanup;
	if (gen) {
		/* lab up keeps a copy of lab->path: make it a real file */
		ret = lab_state_dir(lab->name, path, sizeof(path));
		if (!ret)
			ret = mkdir_p(path, 0700);
		if (!ret)
			ret = path_append(path, sizeof(path), "/kathara.lab");
		if (!ret)
			ret = write_file(path, text.buf, text.len, 0600);
		if (ret) {
			err_set(e, "lab %s: writing %s: %s", lab->name, path,
				strerror(-ret));
			goto cleanup;
		}
		lab_free(lab);
		memset(lab, 0, sizeof(*lab));
		ret = lab_parse(path, NULL, dir, lab, e);
	}
cleanup:
	free(conf);
	free(dep);
	sb_free(&text);
	sb_free(&warn);
	return ret;
}

/*
 * Before `lab down`: NODE.shutdown, then shared.shutdown, in every node of
 * a lab made from a Kathará directory, all nodes at once, each bounded by
 * KATHARA_SHUTDOWN_MS (best effort: output to /var/log/shutdown.log).
 */
#define KATHARA_SHUTDOWN_MS 5000

void kathara_lab_shutdown(const char *name)
{
	char path[PATH_MAX], cmd[512];
	struct lab lab = { 0 };
	struct err e = { "" };
	pid_t *pids = NULL;
	int i, st;

	if (lab_state_dir(name, path, sizeof(path)) ||
	    path_append(path, sizeof(path), "/kathara.lab") ||
	    access(path, F_OK) || lab_load(name, &lab, false, &e))
		goto out;
	pids = calloc(lab.nnodes, sizeof(*pids));
	if (!pids)
		goto out;
	fflush(NULL);
	for (i = 0; i < lab.nnodes; i++) {
		pids[i] = fork();
		if (pids[i])
			continue;
		snprintf(
			cmd, sizeof(cmd),
			"cd /; for f in /hostlab/%s.shutdown /hostlab/shared.shutdown; do "
			"[ ! -f $f ] || timeout %d bash $f >>/var/log/shutdown.log 2>&1; done; true",
			lab.nodes[i].name, KATHARA_SHUTDOWN_MS / 1000);
		_exit(lab_node_sh(&lab, i, cmd, KATHARA_SHUTDOWN_MS + 1000, &st,
				  NULL, 0)
			      ? 1
			      : 0);
	}
	for (i = 0; i < lab.nnodes; i++)
		if (pids[i] > 0)
			waitpid(pids[i], &st, 0);
out:
	free(pids);
	lab_free(&lab);
}
