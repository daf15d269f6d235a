// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a lab file (docs/lab.md) into struct lab, with the line of
 * everything: [lab], [node NAME] and [link NAME] here, [test] lines in
 * labtest_parse.c, the checks that need the whole file in lab_check.c.
 */
#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lab_priv.h"
#include "profile.h"

/* keys a [node] section takes besides `profile` (profile [appliance] keys) */
static const char *const node_keys[] = {
	"hostname", "mem",    "forwarding", "route", "sysctl",	   "loopback",
	"file",	    "run",    "daemon",	    "disk",  "netns",	   "ruleset",
	"xdp",	    "tc-bpf", "rename",	    "image", "nameserver", NULL,
};
/* the node's link to the host (lab_bridged.c), not profile keys */
static const char *const node_host_keys[] = { "bridged", "port", NULL };

int lab_err(struct lab_ctx *c, int line, const char *fmt, ...)
{
	char msg[800];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return errf_at(c->e, -EINVAL, c->file, line, "%s", msg);
}

static int add_kv(struct lab_ctx *c, struct lab_kv **kvsp, int *n, int *cap,
		  const char *k, const char *v)
{
	struct lab_kv *kvs;
	int ret = lab_grow(kvsp, *n, cap, sizeof(**kvsp), c->e);

	if (ret)
		return ret;
	kvs = *kvsp;
	if (strscpy(kvs[*n].key, k, sizeof(kvs[*n].key)))
		return lab_err(c, c->line, "unknown key \"%.40s...\"", k);
	if (strscpy(kvs[*n].value, v, sizeof(kvs[*n].value)))
		return lab_err(c, c->line,
			       "%s: value too long (at most %d characters)", k,
			       OPT_VALUE_MAX - 1);
	kvs[*n].line = c->line;
	(*n)++;
	return 0;
}

static int resolve(struct lab_ctx *c, const char *v, char *out, size_t len)
{
	int ret;

	if (v[0] == '/')
		ret = path_fmt(out, len, "%s", v);
	else
		ret = path_fmt(out, len, "%s/%s", c->lab->dir, v);
	if (ret)
		return lab_err(c, c->line, "path too long: %s", v);
	return 0;
}

static int lab_kv_set(struct lab_ctx *c, const char *k, const char *v)
{
	struct lab *lab = c->lab;

	if (!strcmp(k, "name")) {
		if (!lab_name_valid(v))
			return lab_err(
				c, c->line,
				"name \"%s\" is not valid: 1-%d letters, digits, '_' or '-', starting with a letter",
				v, LAB_NAME_MAX);
		strscpy(lab->name, v, sizeof(lab->name));
		return 0;
	}
	if (!strcmp(k, "mem")) {
		size_t digits = strspn(v, "0123456789");
		const char *end = v + digits;
		char num[24];
		unsigned long n = 0;

		if (digits && digits < sizeof(num)) {
			memcpy(num, v, digits);
			num[digits] = '\0';
			if (parse_uint(num, 1, 16384, &n))
				n = 0;
		}
		if (!strcmp(end, "G") || !strcmp(end, "g"))
			n *= 1024;
		else if (strcmp(end, "M") && strcmp(end, "m"))
			n = 0;
		if (n < 16 || n > 16384)
			return lab_err(
				c, c->line,
				"mem = %s: must be a size like 64M or 1G, from 16M to 16G",
				v);
		lab->mem_mb = n;
		return 0;
	}
	if (!strcmp(k, "tests"))
		return resolve(c, v, lab->tests_path, sizeof(lab->tests_path));
	if (!strcmp(k, "bridged-subnet"))
		return lab_set_bridged_subnet(c, v);
	return lab_err(
		c, c->line,
		"[lab]: unknown key \"%s\" (known: name, mem, tests, bridged-subnet)",
		k);
}

static int node_kv(struct lab_ctx *c, const char *k, const char *v)
{
	struct lab_node *n = c->node;
	struct strbuf known = { 0 };
	int i, ret;

	if (!strcmp(k, "profile")) {
		n->profile_line = c->line;
		if (resolve(c, v, n->profile, sizeof(n->profile)))
			return -EINVAL;
		if (access(n->profile, R_OK))
			return lab_err(c, c->line, "profile %s: %s", n->profile,
				       strerror(errno));
		return 0;
	}
	if (!strcmp(k, "name"))
		return lab_err(
			c, c->line,
			"[node %s]: the node's name is its section's: remove name =",
			n->name);
	if (!strcmp(k, "host")) /* labs across hosts: lab_hosts.c */
		return lab_node_host_kv(c, v);
	for (i = 0; node_keys[i]; i++)
		if (!strcmp(k, node_keys[i]))
			return add_kv(c, &n->kvs, &n->nkvs, &n->kvs_cap, k, v);
	for (i = 0; node_host_keys[i]; i++)
		if (!strcmp(k, node_host_keys[i]))
			return add_kv(c, &n->kvs, &n->nkvs, &n->kvs_cap, k, v);
	/* the hint comes from the table */
	for (i = 0; node_keys[i]; i++)
		sb_printf(&known, ", %s", node_keys[i]);
	for (i = 0; node_host_keys[i]; i++)
		sb_printf(&known, ", %s", node_host_keys[i]);
	ret = lab_err(c, c->line,
		      "[node %s]: unknown key \"%s\" (known: profile%s)",
		      n->name, k, sb_str(&known));
	sb_free(&known);
	return ret;
}

/* "NODE[:vecN] [ADDR/LEN ...]" */
static int parse_endpoint(struct lab_ctx *c, char *v)
{
	struct lab_link *l = c->link;
	struct lab_endpoint *ep;
	char *tok, *save = NULL, *colon;
	int ret =
		lab_grow(&l->eps, l->neps, &l->eps_cap, sizeof(*l->eps), c->e);

	if (ret)
		return ret;
	ep = &l->eps[l->neps];
	memset(ep, 0, sizeof(*ep));
	ep->line = c->line;
	ep->vec = -1;
	tok = strtok_r(v, " \t", &save);
	colon = strchr(tok, ':');
	if (colon) {
		unsigned long un;

		*colon++ = '\0';
		if (strncmp(colon, "vec", 3) || !colon[3])
			return lab_err(
				c, c->line,
				"endpoint %s:%s: the interface is vecN, e.g. %s:vec1",
				tok, colon, tok);
		if (parse_uint(colon + 3, 0, MAX_IFACES - 1, &un))
			return lab_err(
				c, c->line,
				"endpoint %s:%s: N in vecN must be 0..%d", tok,
				colon, MAX_IFACES - 1);
		ep->vec = un;
	}
	/* the node index is resolved when the whole file was read */
	ep->node = -1;
	if (!lab_name_valid(tok))
		return lab_err(c, c->line,
			       "endpoint: \"%s\" is not a node name", tok);
	/* the name, kept as an "endpoint" key: check_link() resolves it */
	ret = add_kv(c, &l->kvs, &l->nkvs, &l->kvs_cap, "endpoint", tok);
	if (ret)
		return ret;
	while ((tok = strtok_r(NULL, " \t", &save))) {
		if (ep->naddrs >= MAX_ADDRS)
			return lab_err(c, c->line,
				       "too many addresses (at most %d)",
				       MAX_ADDRS);
		if (ip_prefix_parse(tok, true, &ep->addrs[ep->naddrs]))
			return lab_err(
				c, c->line,
				"endpoint: \"%s\" is not an address with prefix length, e.g. 10.0.12.1/30",
				tok);
		ep->naddrs++;
	}
	l->neps++;
	return 0;
}

static int link_kv(struct lab_ctx *c, const char *k, const char *v)
{
	struct lab_link *l = c->link;
	char tmp[OPT_VALUE_MAX];
	size_t i;

	if (!strcmp(k, "endpoint")) {
		strscpy(tmp, v, sizeof(tmp));
		return parse_endpoint(c, tmp);
	}
	if (!strcmp(k, "kind")) {
		for (i = 0; i < LINK_KIND_MAX; i++)
			if (!strcmp(v, link_kind_name(i)))
				break;
		if (i == LINK_KIND_MAX)
			return lab_err(
				c, c->line,
				"kind = %s: must be wire, switch, netns, gre or l2tpv3",
				v);
		l->kind = i;
		l->kind_line = c->line;
		return 0;
	}
	if (impair_key(k) >= 0) {
		char msg[300];

		if (impair_set(&l->impair, k, v, msg, sizeof(msg)))
			return lab_err(c, c->line, "[link %s]: %s", l->name,
				       msg);
		if (!l->impair_line)
			l->impair_line = c->line;
		return add_kv(c, &l->kvs, &l->nkvs, &l->kvs_cap, k, v);
	}
	for (i = 0; i < (size_t)lab_nlink_keys; i++)
		if (!strcmp(k, lab_link_keys[i].key))
			return add_kv(c, &l->kvs, &l->nkvs, &l->kvs_cap, k, v);
	return lab_err(
		c, c->line,
		"[link %s]: unknown key \"%s\" (see docs/lab.md for the keys of each kind)",
		l->name, k);
}

/*
 * split s into words in place; double quotes group words and are removed
 * (match="a b" is the word match=a b); returns the count, -1 on a missing
 * closing quote or more than max words
 */
static int test_kv(struct lab_ctx *c, const char *k, const char *v)
{
	struct lab *lab = c->lab;
	struct lab_test *t;
	int ret = lab_grow(&lab->tests, lab->ntests, &lab->tests_cap,
			   sizeof(*lab->tests), c->e);

	if (ret)
		return ret;
	t = &lab->tests[lab->ntests];
	memset(t, 0, sizeof(*t));
	/* c->file may be the caller's buffer: point into the lab itself */
	t->file = c->file == lab->tests_path ? lab->tests_path : lab->path;
	t->line = c->line;
	t->node = -1;
	ret = lab_test_parse(c, k, v, t);
	if (ret)
		return ret;
	lab->ntests++;
	return 0;
}

static int section(struct lab_ctx *c, char *s)
{
	struct lab *lab = c->lab;
	char *end = strchr(s, ']'), *name, *arg;
	int i;

	if (!end || strtrim(end + 1)[0])
		return lab_err(
			c, c->line,
			"malformed section header (expected e.g. [node r1])");
	*end = '\0';
	name = strtrim(s + 1);
	arg = name + strcspn(name, " \t");
	if (*arg)
		*arg++ = '\0';
	arg = strtrim(arg);
	if (!strcmp(name, "lab") && !*arg) {
		c->sec = LS_LAB;
	} else if (!strcmp(name, "test") && !*arg) {
		c->sec = LS_TEST;
	} else if (!strcmp(name, "host")) {
		return lab_host_section(c, arg);
	} else if (!strcmp(name, "node") || !strcmp(name, "link")) {
		bool node = name[1] == 'o';

		if (!lab_name_valid(arg))
			return lab_err(
				c, c->line,
				"[%s %s]: not a valid %s name: 1-%d letters, digits, '_' or '-', starting with a letter",
				name, arg, name, LAB_NAME_MAX);
		i = node ? lab_node_find(lab, arg) : lab_link_find(lab, arg);
		if (i >= 0)
			return lab_err(
				c, c->line,
				"[%s %s] defined twice (first on line %d)",
				name, arg,
				node ? lab->nodes[i].line : lab->links[i].line);
		i = node ? lab_grow(&lab->nodes, lab->nnodes, &lab->nodes_cap,
				    sizeof(*lab->nodes), c->e)
			 : lab_grow(&lab->links, lab->nlinks, &lab->links_cap,
				    sizeof(*lab->links), c->e);
		if (i)
			return i;
		/* lab_grow zeroed the new one */
		if (node) {
			c->node = &lab->nodes[lab->nnodes++];
			strscpy(c->node->name, arg, sizeof(c->node->name));
			c->node->line = c->line;
		} else {
			c->link = &lab->links[lab->nlinks++];
			strscpy(c->link->name, arg, sizeof(c->link->name));
			c->link->line = c->line;
		}
		c->sec = node ? LS_NODE : LS_LINK;
	} else {
		return lab_err(
			c, c->line,
			"unknown section [%s%s%s] (known: [lab], [node NAME], [link NAME], [test], [host NAME])",
			name, *arg ? " " : "", arg);
	}
	return 0;
}

static int parse_line(struct lab_ctx *c, char *line)
{
	char *k = NULL, *v = NULL, msg[300];

	switch (ini_line(line, &k, &v, msg, sizeof(msg))) {
	case INI_EMPTY:
		return 0;
	case INI_SECTION:
		return section(c, k);
	case INI_ERROR:
		return lab_err(c, c->line, "%s", msg);
	default:
		break;
	}
	switch (c->sec) {
	case LS_LAB:
		return lab_kv_set(c, k, v);
	case LS_NODE:
		return node_kv(c, k, v);
	case LS_LINK:
		return link_kv(c, k, v);
	case LS_TEST:
		return test_kv(c, k, v);
	case LS_HOST:
		return lab_host_kv(c, k, v);
	default:
		return lab_err(
			c, c->line,
			"\"%s\" outside of any section: start with [lab] or [node NAME]",
			k);
	}
}

static int parse_text(struct lab_ctx *c, const char *text, bool tests_only)
{
	char *copy = strdup(text), *line, *next;
	int ret = 0;

	if (!copy)
		return errf(c->e, -ENOMEM, "out of memory");
	c->line = 0;
	for (line = copy; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		c->line++;
		ret = parse_line(c, line);
		if (ret)
			break;
		if (tests_only && c->sec != LS_TEST && c->sec != LS_NONE) {
			ret = lab_err(
				c, c->line,
				"a tests file holds only [test] sections");
			break;
		}
	}
	free(copy);
	return ret;
}

int lab_parse(const char *path, const char *text, const char *dir,
	      struct lab *lab, struct err *e)
{
	struct lab_ctx c = { .lab = lab, .e = e, .file = path };
	char *own = NULL, *tests = NULL, tmp[PATH_MAX];
	int ret;

	memset(lab, 0, sizeof(*lab));
	lab->here = -1;
	if (strscpy(lab->path, path, sizeof(lab->path))) {
		ret = errf(e, -ENAMETOOLONG, "%s: path too long", path);
		goto cleanup;
	}
	if (dir) {
		if (strscpy(lab->dir, dir, sizeof(lab->dir))) {
			ret = errf(e, -ENAMETOOLONG, "%s: path too long", dir);
			goto cleanup;
		}
	} else {
		strscpy(tmp, path, sizeof(tmp));
		if (!realpath(dirname(tmp), lab->dir)) {
			strscpy(tmp, path, sizeof(tmp));
			strscpy(lab->dir, dirname(tmp), sizeof(lab->dir));
		}
	}
	if (!text) {
		ret = read_file(path, &own, NULL);
		if (ret) {
			errf(e, ret, "%s: %s", path,
			     ret == -EINVAL ? "not a text file"
					    : strerror(-ret));
			goto cleanup;
		}
		text = own;
	}
	ret = parse_text(&c, text, false);
	if (ret)
		goto cleanup;
	if (lab->tests_path[0]) {
		ret = read_file(lab->tests_path, &tests, NULL);
		if (ret) {
			errf(e, ret, "%s: tests = %s: %s", path,
			     lab->tests_path, strerror(-ret));
			goto cleanup;
		}
		c.file = lab->tests_path;
		c.sec = LS_NONE;
		ret = parse_text(&c, tests, true);
		if (ret)
			goto cleanup;
	}
	ret = lab_check(&c);
cleanup:
	free(own);
	free(tests);
	return ret;
}
