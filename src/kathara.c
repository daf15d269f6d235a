// SPDX-License-Identifier: GPL-2.0
/*
 * Kathará / Netkit lab directories (docs/kathara.md): finding and reading
 * them, parsing the native lab they make (errors told at lab.conf's
 * lines), and their shutdown files before `lab down`. Reading lab.conf is
 * kathara_conf.c (Netkit's machines= kathara_netkit.c), writing the
 * native lab kathara_gen.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kathara_priv.h"
#include "labrun.h"
#include "node.h"

bool kathara_is_lab(const char *arg)
{
	struct stat st;
	const char *b = strrchr(arg, '/');

	if (stat(arg, &st))
		return false;
	if (S_ISDIR(st.st_mode))
		return k_exists_in(arg, "lab.conf", false);
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

	ret = path_fmt(path, sizeof(path), "%s/lab.conf", dir);
	if (!ret)
		ret = read_file(path, conf, NULL);
	if (ret)
		return errf(e, ret, "%s/lab.conf: %s", dir, strerror(-ret));
	ret = path_fmt(path, sizeof(path), "%s/lab.dep", dir);
	if (!ret)
		ret = read_file(path, dep, NULL);
	if (ret == -ENOENT)
		return 0;
	if (ret)
		return errf(e, ret, "%s/lab.dep: %s", dir, strerror(-ret));
	return 0;
}

/*
 * Kathará's lab.ext joins collision domains to host interfaces, which
 * umnet's labs do not do (yet): one warning at lab.ext's first such line,
 * naming the domains, rather than a lab that quietly stays inside.
 */
static void warn_ext(const char *dir, struct strbuf *warn)
{
	char path[PATH_MAX], *text = NULL, *p, *next;
	struct strbuf cds = { 0 };
	int n = 0, first = 0, line = 0;

	if (!warn || path_fmt(path, sizeof(path), "%s/lab.ext", dir) ||
	    read_file(path, &text, NULL))
		return;
	for (p = text; p && *p; p = next) {
		size_t w;

		next = strchr(p, '\n');
		if (next)
			*next++ = '\0';
		line++;
		p += strspn(p, " \t");
		w = strcspn(p, " \t\r");
		if (!w || *p == '#')
			continue;
		if (!n++)
			first = line;
		sb_printf(&cds, "%s%.*s", n > 1 ? ", " : "", (int)w, p);
	}
	if (n)
		sb_printf(
			warn,
			"%s:%d: warning: lab.ext joins %s %s to %s, which umnet does not do: %s inside the lab (to reach equipment outside, give a converted lab a link of kind gre or l2tpv3, docs/lab.md)\n",
			path, first,
			n > 1 ? "collision domains" : "collision domain",
			sb_str(&cds),
			n > 1 ? "host interfaces" : "a host interface",
			n > 1 ? "they stay" : "it stays");
	sb_free(&cds);
	free(text);
}

int kathara_convert(const char *arg, const struct kathara_opts *o,
		    struct strbuf *out, struct strbuf *warn, int **map,
		    int *nmap, struct err *e)
{
	char dir[PATH_MAX], *conf = NULL, *dep = NULL;
	int ret;

	ret = lab_dir_of(arg, dir, sizeof(dir));
	if (ret)
		return errf(e, ret, "%s: %s", arg, strerror(-ret));
	ret = read_texts(dir, &conf, &dep, e);
	if (!ret) {
		warn_ext(dir, warn);
		ret = kathara_convert_text(dir, conf, dep, o, out, warn, map,
					   nmap, e);
	}
	free(conf);
	free(dep);
	return ret;
}

int kathara_lab_text(const char *dir, const char *conf_text,
		     const char *dep_text, const struct kathara_opts *o,
		     struct lab *lab, struct strbuf *text, struct strbuf *warn,
		     struct err *e)
{
	char conf[PATH_MAX];
	int *map = NULL, nmap = 0, ret;

	ret = path_fmt(conf, sizeof(conf), "%s/lab.conf", dir);
	if (ret)
		return errf(e, ret, "%s/lab.conf: %s", dir, strerror(-ret));
	ret = kathara_convert_text(dir, conf_text, dep_text, o, text, warn,
				   &map, &nmap, e);
	if (ret)
		goto cleanup;
	/* lab_parse's lines are the generated text's: told at lab.conf's */
	ret = lab_parse(conf, sb_str(text), dir, lab, e);
	if (ret) {
		lab_msg_origin(conf, conf, map, nmap, e);
		goto cleanup;
	}
	strscpy(lab->origin, conf, sizeof(lab->origin));
	lab->origin_map = map;
	lab->norigin = nmap;
	map = NULL;
cleanup:
	free(map);
	return ret;
}

void kathara_resolv_parse(const char *text, struct kathara_opts *o)
{
	char line[256], word[16], addr[KATHARA_NS_LEN];
	struct in6_addr a6;
	struct in_addr a4;
	const char *p, *nl;

	o->nnameservers = 0;
	for (p = text; p && *p && o->nnameservers < KATHARA_NS_MAX;
	     p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		snprintf(line, sizeof(line), "%.*s",
			 (int)(nl ? nl - p : (long)strlen(p)), p);
		if (sscanf(line, "%15s %45s", word, addr) != 2 ||
		    strcmp(word, "nameserver"))
			continue;
		/* the host's own (loopback), or not an address: skipped */
		if (inet_pton(AF_INET, addr, &a4) == 1) {
			if ((ntohl(a4.s_addr) >> 24) == 127)
				continue;
		} else if (inet_pton(AF_INET6, addr, &a6) != 1 ||
			   IN6_IS_ADDR_LOOPBACK(&a6)) {
			continue;
		}
		strscpy(o->nameservers[o->nnameservers++], addr,
			KATHARA_NS_LEN);
	}
}

void kathara_host_nameservers(struct kathara_opts *o)
{
	char *text = NULL;

	o->nnameservers = 0;
	if (!read_file("/etc/resolv.conf", &text, NULL))
		kathara_resolv_parse(text, o);
	free(text);
}

enum kathara_default kathara_default_probe(void)
{
	char img[PATH_MAX];
	struct err none = { "" };

	return find_image("debian", img, sizeof(img), &none)
		       ? KATHARA_DEFAULT_ABSENT
		       : KATHARA_DEFAULT_DEBIAN;
}

int kathara_lab_parse(const char *arg, const struct kathara_opts *o, bool gen,
		      struct lab *lab, struct err *e)
{
	struct strbuf text = { 0 }, warn = { 0 };
	char dir[PATH_MAX], path[PATH_MAX], origin[PATH_MAX];
	char *conf = NULL, *dep = NULL;
	int *map = NULL, nmap = 0, ret;

	ret = lab_dir_of(arg, dir, sizeof(dir));
	if (ret)
		return errf(e, ret, "%s: %s", arg, strerror(-ret));
	ret = read_texts(dir, &conf, &dep, e);
	if (ret)
		goto cleanup;
	warn_ext(dir, &warn);
	ret = kathara_lab_text(dir, conf, dep, o, lab, &text, &warn, e);
	if (warn.len && o && o->warn)
		sb_puts(o->warn, sb_str(&warn));
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
			errf(e, ret, "lab %s: writing %s: %s", lab->name, path,
			     strerror(-ret));
			goto cleanup;
		}
		/* the same text from its file: the same origin lines */
		strscpy(origin, lab->origin, sizeof(origin));
		map = lab->origin_map;
		nmap = lab->norigin;
		lab->origin_map = NULL;
		lab_free(lab);
		ret = lab_parse(path, NULL, dir, lab, e);
		lab_msg_origin(path, origin, map, nmap, e);
		if (!ret) {
			strscpy(lab->origin, origin, sizeof(lab->origin));
			lab->origin_map = map;
			lab->norigin = nmap;
			map = NULL;
		}
	}
cleanup:
	free(map);
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
		goto cleanup;
	pids = calloc(lab.nnodes, sizeof(*pids));
	if (!pids)
		goto cleanup;
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
cleanup:
	free(pids);
	lab_free(&lab);
}
