// SPDX-License-Identifier: GPL-2.0
/*
 * The native lab made from a Kathará / Netkit lab (docs/kathara.md): one
 * [node] per device, one [link] per collision domain (a wire for 2
 * devices, a switch otherwise), the lab's directories and startup files
 * copied in with `file`, and `run` lines that rename vecN to ethN, set
 * MACs, and run the startup files and `exec` lines.
 */
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kathara_priv.h"
#include "lab_priv.h"

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

bool k_exists_in(const char *dir, const char *name, bool want_dir)
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
		return errf_at(
			e, -EINVAL, k->conf, line,
			"\"%s\": a command with \" #\" cannot be carried over (write it in the .startup file)",
			s);
	return 0;
}

/*
 * bridged=true: as in Kathará, the host link is the device's last
 * interface, eth(N+1) after its highest ethN; the native lab puts it one
 * past the highest vecN, which is the same number. port= without it:
 * Kathará warns and exposes nothing, so does umnet.
 */
static void bridged_lines(struct k_lab *k, struct emitter *m, const char *dir,
			  const struct k_dev *d)
{
	char own[K_DEV_MAX + 24];
	int i, last = -1;

	if (!d->bridged) {
		for (i = 0; i < d->nports; i++)
			k_warn_at(
				k, k->conf, d->ports[i].line,
				"%s[port]=%s: without %s[bridged]=true the port is not forwarded (Kathará warns the same), ignored",
				d->name, d->ports[i].text, d->name);
		return;
	}
	for (i = 0; i < d->nifs; i++)
		if (d->ifs[i].n > last)
			last = d->ifs[i].n;
	em(m, d->bridged_line, "bridged = yes");
	em(m, d->bridged_line, "rename = vec%d eth%d", last + 1, last + 1);
	for (i = 0; i < d->nports; i++)
		em(m, d->ports[i].line, "port = %s", d->ports[i].text);
	/* Kathará's bridged devices resolve with the host's nameservers
	 * (Docker's): so do these, unless the lab gives a resolv.conf */
	snprintf(own, sizeof(own), "%s/etc/resolv.conf", d->name);
	if (k_exists_in(dir, own, false) ||
	    k_exists_in(dir, "shared/etc/resolv.conf", false))
		return;
	for (i = 0; k->o && i < k->o->nnameservers; i++)
		em(m, d->bridged_line, "nameserver = %s", k->o->nameservers[i]);
	if (!k->o || !k->o->nnameservers)
		k_warn_at(
			k, k->conf, d->bridged_line,
			"%s[bridged]=true: the host has no nameserver a node can reach (none in /etc/resolv.conf but loopback ones): %s gets no DNS (write lab/%s/etc/resolv.conf)",
			d->name, d->name, d->name);
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
	else if (k->debian) /* Kathará's default: kathara/base */
		em(m, d->line, "image = debian");
	else if (!k->noimage++)
		k->noimage_first = d - k->devs;
	/* Kathará turns IPv4 forwarding on in every device */
	em(m, d->line, "forwarding = yes");
	if (k_exists_in(dir, "shared", true))
		em(m, d->line, "file = %s%sshared /", pre, sep);
	if (k_exists_in(dir, d->name, true))
		em(m, d->line, "file = %s%s%s /", pre, sep, d->name);
	/* shared.startup, NODE.startup, shared.shutdown, NODE.shutdown */
	for (i = 0; i < 4; i++) {
		snprintf(file, sizeof(file), "%s.%s",
			 i % 2 ? d->name : "shared",
			 i < 2 ? "startup" : "shutdown");
		if (k_exists_in(dir, file, false))
			em(m, d->line, "file = %s%s%s /hostlab/%s", pre, sep,
			   file, file);
	}
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
	bridged_lines(k, m, dir, d);
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
	j = k_exists_in(dir, "shared.startup", false) |
	    k_exists_in(dir, file, false) << 1;
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
	int ret, ln = 0, i, j;
	char *base = NULL;

	ret = path_fmt(conf, sizeof(conf), "%s/lab.conf", dir);
	if (!ret)
		ret = path_fmt(dep, sizeof(dep), "%s/lab.dep", dir);
	if (ret)
		return errf(e, ret, "%s/lab.conf: %s", dir, strerror(-ret));
	if (!k || !(copy = strdup(conf_text))) {
		ret = errf(e, -ENOMEM, "%s: out of memory", conf);
		goto cleanup;
	}
	k->conf = conf;
	k->dep = dep;
	k->warn = warn;
	k->netkit = (o && o->netkit) || k_looks_netkit(conf_text);
	for (line = copy; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		ret = k_conf_line(k, ++ln, line, e);
		if (ret)
			goto cleanup;
	}
	ret = k_netkit_machines(k, e);
	if (ret)
		goto cleanup;
	if (!k->ndevs) {
		ret = errf_at(
			e, -EINVAL, conf, 0,
			"no devices: a device is defined by lines like pc1[0]=A");
		goto cleanup;
	}
	if (dep_text) {
		ret = k_read_dep(k, dep_text, e);
		if (ret)
			goto cleanup;
	}
	qsort(k->devs, k->ndevs, sizeof(*k->devs), cmp_order);
	name_links(k);
	if (o && o->name) {
		if (!lab_name_valid(o->name)) {
			ret = errf(
				e, -EINVAL,
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
		if (!base) {
			ret = errf(e, -ENOMEM, "%s: out of memory", conf);
			goto cleanup;
		}
		make_name(basename(base), k->name, sizeof(k->name));
	}
	if (!lab_name_valid(k->name))
		strscpy(k->name, "kathara", sizeof(k->name));

	/* both default to a Debian userland (enum kathara_default) */
	k->o = o;
	k->debian = o && o->default_image == KATHARA_DEFAULT_DEBIAN;
	k->quiet_default = o && o->default_image == KATHARA_DEFAULT_MINIMAL;
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
	if (k->noimage && !k->quiet_default)
		k_warn_at(
			k, conf, k->devs[k->noimage_first].line,
			"%s%s has no image=: %s default image runs on umnet's Debian image, which is not here (make debian-image, or UMNET_DEBIAN_IMAGE=PATH); %s the minimal image",
			k->devs[k->noimage_first].name,
			k->noimage > 1 ? " (and more devices)" : "",
			k->netkit ? "Netkit's" : "Kathará's (kathara/base)",
			k->noimage > 1 ? "they run" : "it runs");
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
	ret = m.oom || out->oom ? errf(e, -ENOMEM, "%s: out of memory", conf)
				: 0;
cleanup:
	if (!ret && map) {
		*map = m.map;
		*nmap = m.nmap;
		m.map = NULL;
	}
	free(m.map);
	free(base);
	free(copy);
	if (k) {
		free(k->devs);
		free(k->cds);
		free(k->machines);
	}
	free(k);
	return ret;
}
