// SPDX-License-Identifier: GPL-2.0
/*
 * The lab parser and compiler (lab.h, docs/lab.md). The file is read into
 * struct lab with the line of everything; lab_compile() then writes each
 * node's overrides and links as profile text and parses that over the
 * node's base profile (profile_parse_overlay), with a map from each
 * generated line back to the lab's own line, so that the profile parser's
 * checks (transport options, addresses, paths) report lab file:line.
 */
#include <errno.h>
#include <libgen.h>
#include <openssl/sha.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lab.h"
#include "node.h"
#include "profile.h"

enum lab_section { LS_NONE, LS_LAB, LS_NODE, LS_LINK, LS_TEST };

struct lab_ctx {
	struct lab *lab;
	struct err *e;
	const char *file;
	int line;
	enum lab_section sec;
	struct lab_node *node;
	struct lab_link *link;
};

static const char *const kind_names[LINK_KIND_MAX] = {
	[LINK_WIRE] = "wire", [LINK_SWITCH] = "switch", [LINK_NETNS] = "netns",
	[LINK_GRE] = "gre",   [LINK_L2TPV3] = "l2tpv3",
};

/* keys a [node] section takes besides `profile` (profile [appliance] keys) */
static const char *const node_keys[] = {
	"hostname", "mem",    "forwarding", "route", "sysctl", "loopback",
	"file",	    "run",    "daemon",	    "disk",  "netns",  "ruleset",
	"xdp",	    "tc-bpf", "rename",	    NULL,
};

/* keys of [link] sections, by kind; "*" = every kind */
static const struct {
	const char *key;
	unsigned int kinds; /* bit per enum link_kind */
} link_keys[] = {
	{ "kind", ~0u },
	{ "endpoint", ~0u },
	{ "mtu", ~0u },
	{ "depth", ~0u },
	{ "gro", ~0u },
	{ "netns", 1u << LINK_NETNS },
	{ "transport", 1u << LINK_NETNS },
	{ "host-ifname", 1u << LINK_NETNS },
	{ "host-address", 1u << LINK_NETNS },
	{ "host-route", 1u << LINK_NETNS },
	{ "local", (1u << LINK_GRE) | (1u << LINK_L2TPV3) },
	{ "remote", (1u << LINK_GRE) | (1u << LINK_L2TPV3) },
	{ "far-end", (1u << LINK_GRE) | (1u << LINK_L2TPV3) },
	{ "far-end-address", (1u << LINK_GRE) | (1u << LINK_L2TPV3) },
	{ "far-end-route", (1u << LINK_GRE) | (1u << LINK_L2TPV3) },
	{ "far-end-ifname", (1u << LINK_GRE) | (1u << LINK_L2TPV3) },
	{ "key", 1u << LINK_GRE },
	{ "udp", 1u << LINK_L2TPV3 },
	{ "local-port", 1u << LINK_L2TPV3 },
	{ "remote-port", 1u << LINK_L2TPV3 },
	{ "local-session", 1u << LINK_L2TPV3 },
	{ "remote-session", 1u << LINK_L2TPV3 },
	{ "local-cookie", 1u << LINK_L2TPV3 },
	{ "remote-cookie", 1u << LINK_L2TPV3 },
};

static int lerr(struct lab_ctx *c, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int lerr(struct lab_ctx *c, int line, const char *fmt, ...)
{
	char msg[800];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	err_at(c->e, c->file, line, "%s", msg);
	return -EINVAL;
}

bool lab_name_valid(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 1 || n > LAB_NAME_MAX)
		return false;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return false;
	for (i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_-",
			    s[i]))
			return false;
	return true;
}

const char *link_kind_name(enum link_kind k)
{
	return k < LINK_KIND_MAX ? kind_names[k] : "?";
}

int lab_node_find(const struct lab *lab, const char *name)
{
	int i;

	for (i = 0; i < lab->nnodes; i++)
		if (!strcmp(lab->nodes[i].name, name))
			return i;
	return -1;
}

int lab_link_find(const struct lab *lab, const char *name)
{
	int i;

	for (i = 0; i < lab->nlinks; i++)
		if (!strcmp(lab->links[i].name, name))
			return i;
	return -1;
}

const char *lab_kv(const struct lab_kv *kvs, int n, const char *key)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(kvs[i].key, key))
			return kvs[i].value;
	return NULL;
}

static int kv_line(const struct lab_kv *kvs, int n, const char *key, int dflt)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(kvs[i].key, key))
			return kvs[i].line;
	return dflt;
}

void lab_node_hostname(const struct lab *lab, int node, char *out, size_t len)
{
	snprintf(out, len, "%s.%s", lab->name, lab->nodes[node].name);
}

void lab_wire_name(const struct lab *lab, const struct lab_link *l, char *out,
		   size_t len)
{
	snprintf(out, len, "%s.%s", lab->name, l->name);
}

int lab_state_dir(const char *name, char *out, size_t len)
{
	char root[PATH_MAX];
	int ret, n;

	ret = state_root(root, sizeof(root));
	if (ret)
		return ret;
	n = snprintf(out, len, "%s/.labs/%s", root, name);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int lab_switch_path(const char *lab_dir, const struct lab_link *l, char *out,
		    size_t len)
{
	/* sw/ is the lab's: its switches create their sockets there */
	int n = snprintf(out, len, "%s/sw/%s.sock", lab_dir, l->name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static uint32_t derive(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static uint32_t derive(const char *fmt, ...)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	char in[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(in, sizeof(in), fmt, ap);
	va_end(ap);
	SHA256((const unsigned char *)in, n > 0 ? (size_t)n : 0, md);
	return (uint32_t)md[0] << 24 | (uint32_t)md[1] << 16 |
	       (uint32_t)md[2] << 8 | md[3];
}

/* a positive 31-bit id (GRE keys and L2TPv3 sessions are signed ints) */
static uint32_t derive_id(const char *lab, const char *link, const char *what)
{
	uint32_t v = derive("%s/%s/%s", lab, link, what) & 0x7fffffff;

	return v ? v : 1;
}

/* ---- parsing ---------------------------------------------------------- */

static int add_kv(struct lab_ctx *c, struct lab_kv *kvs, int *n, const char *k,
		  const char *v)
{
	if (*n >= LAB_MAX_KVS)
		return lerr(c, c->line,
			    "too many keys in this section (at most %d)",
			    LAB_MAX_KVS);
	if (strscpy(kvs[*n].key, k, sizeof(kvs[*n].key)))
		return lerr(c, c->line, "unknown key \"%.40s...\"", k);
	if (strscpy(kvs[*n].value, v, sizeof(kvs[*n].value)))
		return lerr(c, c->line,
			    "%s: value too long (at most %d characters)", k,
			    OPT_VALUE_MAX - 1);
	kvs[*n].line = c->line;
	(*n)++;
	return 0;
}

static int resolve(struct lab_ctx *c, const char *v, char *out, size_t len)
{
	int n;

	if (v[0] == '/')
		n = snprintf(out, len, "%s", v);
	else
		n = snprintf(out, len, "%s/%s", c->lab->dir, v);
	if (n < 0 || (size_t)n >= len)
		return lerr(c, c->line, "path too long: %s", v);
	return 0;
}

static int lab_kv_set(struct lab_ctx *c, const char *k, const char *v)
{
	struct lab *lab = c->lab;

	if (!strcmp(k, "name")) {
		if (!lab_name_valid(v))
			return lerr(
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
			return lerr(
				c, c->line,
				"mem = %s: must be a size like 64M or 1G, from 16M to 16G",
				v);
		lab->mem_mb = n;
		return 0;
	}
	if (!strcmp(k, "tests"))
		return resolve(c, v, lab->tests_path, sizeof(lab->tests_path));
	return lerr(c, c->line,
		    "[lab]: unknown key \"%s\" (known: name, mem, tests)", k);
}

static int node_kv(struct lab_ctx *c, const char *k, const char *v)
{
	struct lab_node *n = c->node;
	int i;

	if (!strcmp(k, "profile")) {
		n->profile_line = c->line;
		if (resolve(c, v, n->profile, sizeof(n->profile)))
			return -EINVAL;
		if (access(n->profile, R_OK))
			return lerr(c, c->line, "profile %s: %s", n->profile,
				    strerror(errno));
		return 0;
	}
	if (!strcmp(k, "name"))
		return lerr(
			c, c->line,
			"[node %s]: the node's name is its section's: remove name =",
			n->name);
	for (i = 0; node_keys[i]; i++)
		if (!strcmp(k, node_keys[i]))
			return add_kv(c, n->kvs, &n->nkvs, k, v);
	return lerr(
		c, c->line,
		"[node %s]: unknown key \"%s\" (known: profile, hostname, mem, forwarding, route, sysctl, loopback, file, run, daemon, disk, netns, ruleset, rename)",
		n->name, k);
}

/* "NODE[:vecN] [ADDR/LEN ...]" */
static int parse_endpoint(struct lab_ctx *c, char *v)
{
	struct lab_link *l = c->link;
	struct lab_endpoint *ep;
	char *tok, *save = NULL, *colon;

	if (l->neps >= LAB_MAX_EPS)
		return lerr(c, c->line, "too many endpoints (at most %d)",
			    LAB_MAX_EPS);
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
			return lerr(
				c, c->line,
				"endpoint %s:%s: the interface is vecN, e.g. %s:vec1",
				tok, colon, tok);
		if (parse_uint(colon + 3, 0, MAX_IFACES - 1, &un))
			return lerr(c, c->line,
				    "endpoint %s:%s: N in vecN must be 0..%d",
				    tok, colon, MAX_IFACES - 1);
		ep->vec = un;
	}
	/* the node index is resolved when the whole file was read */
	ep->node = -1;
	if (!lab_name_valid(tok))
		return lerr(c, c->line, "endpoint: \"%s\" is not a node name",
			    tok);
	/* the name, kept as an "endpoint" key: check_link() resolves it */
	if (add_kv(c, l->kvs, &l->nkvs, "endpoint", tok))
		return -EINVAL;
	while ((tok = strtok_r(NULL, " \t", &save))) {
		if (ep->naddrs >= MAX_ADDRS)
			return lerr(c, c->line,
				    "too many addresses (at most %d)",
				    MAX_ADDRS);
		if (ip_prefix_parse(tok, true, &ep->addrs[ep->naddrs]))
			return lerr(
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
			if (!strcmp(v, kind_names[i]))
				break;
		if (i == LINK_KIND_MAX)
			return lerr(
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
			return lerr(c, c->line, "[link %s]: %s", l->name, msg);
		if (!l->impair_line)
			l->impair_line = c->line;
		return add_kv(c, l->kvs, &l->nkvs, k, v);
	}
	for (i = 0; i < ARRAY_SIZE(link_keys); i++)
		if (!strcmp(k, link_keys[i].key))
			return add_kv(c, l->kvs, &l->nkvs, k, v);
	return lerr(
		c, c->line,
		"[link %s]: unknown key \"%s\" (see docs/lab.md for the keys of each kind)",
		l->name, k);
}

/*
 * split s into words in place; double quotes group words and are removed
 * (match="a b" is the word match=a b); returns the count, -1 on a missing
 * closing quote or more than max words
 */
static int split_words(char *s, char **w, int max)
{
	char *out;
	bool quoted = false;
	int n = 0;

	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		if (n >= max)
			return -1;
		w[n++] = out = s;
		for (; *s && (quoted || (*s != ' ' && *s != '\t')); s++) {
			if (*s == '"')
				quoted = !quoted;
			else
				*out++ = *s;
		}
		if (*s)
			s++;
		*out = '\0';
	}
	return quoted ? -1 : n;
}

/* rtt|loss|throughput = A B <|> VALUE */
static int parse_measure(struct lab_ctx *c, const char *kind, const char *args,
			 char **w, int n, struct lab_test *t)
{
	static const char *const forms[] = { "50ms", "1%", "20mbit" };
	int which = kind[0] == 'r' ? 0 : kind[0] == 'l' ? 1 : 2, ret;
	uint32_t u32 = 0;
	uint64_t u64 = 0;

	if (n != 4 || (strcmp(w[2], "<") && strcmp(w[2], ">")))
		return lerr(c, c->line,
			    "%s = %s: must be NODE TARGET < %s or >", kind,
			    args, forms[which]);
	if (which == 0)
		ret = parse_duration_us(w[3], &u32);
	else if (which == 1)
		ret = parse_percent(w[3], &u32);
	else
		ret = parse_rate(w[3], &u64);
	if (ret)
		return lerr(c, c->line, "%s = %s: \"%s\" is not a %s like %s",
			    kind, args, w[3],
			    which == 0	 ? "duration"
			    : which == 1 ? "percentage"
					 : "rate",
			    forms[which]);
	t->kind = which == 0   ? TEST_RTT
		  : which == 1 ? TEST_LOSS
			       : TEST_THROUGHPUT;
	t->cmp = w[2][0];
	t->limit = which == 2 ? u64 : u32;
	strscpy(t->node_name, w[0], sizeof(t->node_name));
	strscpy(t->target, w[1], sizeof(t->target));
	return 0;
}

static int parse_test(struct lab_ctx *c, const char *kind, const char *args,
		      struct lab_test *t)
{
	char buf[OPT_VALUE_MAX + 40], *w[16], *dashes;
	int n, i;

	if (!strcmp(kind, "wait-for")) {
		char ikind[32], num[16];
		const char *end = args + strcspn(args, " \t");
		unsigned long s = 0;
		int k;

		if (end - args >= (long)sizeof(num) || !*end)
			s = 0;
		else if (snprintf(num, sizeof(num), "%.*s", (int)(end - args),
				  args) < 0 ||
			 parse_uint(num, 1, 3600, &s))
			s = 0;
		if (!s)
			return lerr(
				c, c->line,
				"wait-for = %s: must be SECONDS and an assertion, e.g. wait-for = 30 reach r1 r3",
				args);
		while (*end == ' ' || *end == '\t')
			end++;
		k = strcspn(end, " \t");
		if (k >= (int)sizeof(ikind) || !end[k])
			return lerr(c, c->line,
				    "wait-for = %s: the assertion is missing",
				    args);
		memcpy(ikind, end, k);
		ikind[k] = '\0';
		if (!strcmp(ikind, "wait-for") || !strncmp(ikind, "link-", 5))
			return lerr(c, c->line,
				    "wait-for: \"%s\" cannot be waited for",
				    ikind);
		if (parse_test(c, ikind, end + k + strspn(end + k, " \t"), t))
			return -EINVAL;
		t->wait_s = s;
		snprintf(t->text, sizeof(t->text), "wait-for %lu %s %s", s,
			 ikind, end + k + strspn(end + k, " \t"));
		return 0;
	}
	snprintf(t->text, sizeof(t->text), "%s %s", kind ?: "", args ?: "");
	if (!strcmp(kind, "exec")) {
		/* NODE [exit=N] [match=RE] -- COMMAND */
		dashes = strstr(args, " -- ");
		if (!dashes || !dashes[4])
			return lerr(
				c, c->line,
				"exec = %s: must be NODE [exit=N] [match=REGEX] -- COMMAND",
				args);
		strscpy(t->cmd, dashes + 4, sizeof(t->cmd));
		snprintf(buf, sizeof(buf), "%.*s", (int)(dashes - args), args);
		n = split_words(buf, w, 16);
		if (n < 1)
			return lerr(
				c, c->line,
				"exec = %s: unbalanced quotes or too many words",
				args);
		t->kind = TEST_EXEC;
		strscpy(t->node_name, w[0], sizeof(t->node_name));
		for (i = 1; i < n; i++) {
			unsigned long un;

			if (!strncmp(w[i], "exit=", 5)) {
				if (parse_uint(w[i] + 5, 0, 255, &un))
					return lerr(
						c, c->line,
						"exec: %s: the exit code must be 0..255",
						w[i]);
				t->exit_code = un;
			} else if (!strncmp(w[i], "match=", 6)) {
				strscpy(t->match, w[i] + 6, sizeof(t->match));
				if (!t->match[0])
					return lerr(
						c, c->line,
						"exec: match= needs a regular expression");
			} else {
				return lerr(
					c, c->line,
					"exec: \"%s\": expected exit=N or match=REGEX before --",
					w[i]);
			}
		}
		return 0;
	}
	strscpy(buf, args, sizeof(buf));
	n = split_words(buf, w, 16);
	if (n < 0)
		return lerr(c, c->line, "%s = %s: too many words", kind, args);
	if (!strcmp(kind, "reach") || !strcmp(kind, "no-reach")) {
		if (n != 2)
			return lerr(
				c, c->line,
				"%s = %s: must be NODE TARGET (a node or an address)",
				kind, args);
		t->kind = kind[0] == 'r' ? TEST_REACH : TEST_NO_REACH;
		strscpy(t->node_name, w[0], sizeof(t->node_name));
		strscpy(t->target, w[1], sizeof(t->target));
		return 0;
	}
	if (!strcmp(kind, "tcp")) {
		char *colon;
		unsigned long un;

		if (n != 3 || (strcmp(w[2], "open") && strcmp(w[2], "closed")))
			return lerr(
				c, c->line,
				"tcp = %s: must be NODE TARGET:PORT open|closed",
				args);
		colon = strrchr(w[1], ':');
		if (!colon)
			return lerr(c, c->line, "tcp = %s: %s has no :PORT",
				    args, w[1]);
		*colon = '\0';
		if (parse_uint(colon + 1, 1, 65535, &un))
			return lerr(c, c->line,
				    "tcp = %s: the port must be 1..65535",
				    args);
		t->port = un;
		t->kind = TEST_TCP;
		strscpy(t->node_name, w[0], sizeof(t->node_name));
		strscpy(t->target, w[1], sizeof(t->target));
		/* [v6]:port */
		if (t->target[0] == '[' &&
		    t->target[strlen(t->target) - 1] == ']') {
			memmove(t->target, t->target + 1, strlen(t->target));
			t->target[strlen(t->target) - 1] = '\0';
		}
		t->want_open = !strcmp(w[2], "open");
		return 0;
	}
	if (!strcmp(kind, "route")) {
		struct ip_prefix pfx;

		if (n != 4 || (strcmp(w[2], "via") && strcmp(w[2], "dev")))
			return lerr(
				c, c->line,
				"route = %s: must be NODE PREFIX via X or NODE PREFIX dev vecN",
				args);
		if (strcmp(w[1], "default") &&
		    ip_prefix_parse(w[1], false, &pfx))
			return lerr(c, c->line,
				    "route = %s: \"%s\" is not a prefix", args,
				    w[1]);
		t->kind = TEST_ROUTE;
		strscpy(t->node_name, w[0], sizeof(t->node_name));
		strscpy(t->target, w[1], sizeof(t->target));
		if (!strcmp(w[2], "via"))
			strscpy(t->via, w[3], sizeof(t->via));
		else if (strscpy(t->dev, w[3], sizeof(t->dev)))
			return lerr(c, c->line, "route: dev %s: name too long",
				    w[3]);
		return 0;
	}
	if (!strcmp(kind, "rtt") || !strcmp(kind, "loss") ||
	    !strcmp(kind, "throughput"))
		return parse_measure(c, kind, args, w, n, t);
	if (!strcmp(kind, "link-set") || !strcmp(kind, "link-reset")) {
		char msg[300];

		if (n < 1 || (kind[5] == 'r' && n != 1))
			return lerr(
				c, c->line, "%s = %s: must be %s", kind, args,
				kind[5] == 'r'
					? "a link name"
					: "LINK --delay D --loss P --rate R ...");
		t->kind = kind[5] == 's' ? TEST_LINK_SET : TEST_LINK_RESET;
		strscpy(t->target, w[0], sizeof(t->target));
		for (i = 1; i < n; i += 2) {
			if (strncmp(w[i], "--", 2) ||
			    impair_key(w[i] + 2) < 0 || i + 1 >= n)
				return lerr(
					c, c->line,
					"%s = %s: \"%s\": expected --delay, --jitter, --loss, --corrupt, --duplicate, --reorder or --rate and a value",
					kind, args, w[i]);
			if (impair_set(&t->impair, w[i] + 2, w[i + 1], msg,
				       sizeof(msg)))
				return lerr(c, c->line, "%s: %s", kind, msg);
		}
		if (kind[5] == 's' && !impair_any(&t->impair))
			return lerr(
				c, c->line,
				"link-set = %s: nothing to set (link-reset = LINK removes an impairment)",
				args);
		if (impair_check(&t->impair, msg, sizeof(msg)))
			return lerr(c, c->line, "%s: %s", kind, msg);
		return 0;
	}
	if (!strcmp(kind, "link-down") || !strcmp(kind, "link-up")) {
		if (n != 1)
			return lerr(c, c->line, "%s = %s: must be a link name",
				    kind, args);
		t->kind = kind[5] == 'd' ? TEST_LINK_DOWN : TEST_LINK_UP;
		strscpy(t->target, w[0], sizeof(t->target));
		return 0;
	}
	return lerr(
		c, c->line,
		"[test]: unknown assertion \"%s\" (known: reach, no-reach, tcp, route, exec, rtt, loss, throughput, wait-for, link-down, link-up, link-set, link-reset)",
		kind);
}

static int test_kv(struct lab_ctx *c, const char *k, const char *v)
{
	struct lab *lab = c->lab;
	struct lab_test *t;

	if (lab->ntests >= LAB_MAX_TESTS)
		return lerr(c, c->line, "too many tests (at most %d)",
			    LAB_MAX_TESTS);
	t = &lab->tests[lab->ntests];
	memset(t, 0, sizeof(*t));
	/* c->file may be the caller's buffer: point into the lab itself */
	t->file = c->file == lab->tests_path ? lab->tests_path : lab->path;
	t->line = c->line;
	t->node = -1;
	if (parse_test(c, k, v, t))
		return -EINVAL;
	lab->ntests++;
	return 0;
}

static int section(struct lab_ctx *c, char *s)
{
	struct lab *lab = c->lab;
	char *end = strchr(s, ']'), *name, *arg;
	int i;

	if (!end || strtrim(end + 1)[0])
		return lerr(
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
	} else if (!strcmp(name, "node") || !strcmp(name, "link")) {
		bool node = name[1] == 'o';

		if (!lab_name_valid(arg))
			return lerr(
				c, c->line,
				"[%s %s]: not a valid %s name: 1-%d letters, digits, '_' or '-', starting with a letter",
				name, arg, name, LAB_NAME_MAX);
		if (node) {
			if ((i = lab_node_find(lab, arg)) >= 0)
				return lerr(
					c, c->line,
					"[node %s] defined twice (first on line %d)",
					arg, lab->nodes[i].line);
			if (lab->nnodes >= LAB_MAX_NODES)
				return lerr(c, c->line,
					    "too many nodes (at most %d)",
					    LAB_MAX_NODES);
			c->node = &lab->nodes[lab->nnodes++];
			memset(c->node, 0, sizeof(*c->node));
			strscpy(c->node->name, arg, sizeof(c->node->name));
			c->node->line = c->line;
			c->sec = LS_NODE;
		} else {
			if ((i = lab_link_find(lab, arg)) >= 0)
				return lerr(
					c, c->line,
					"[link %s] defined twice (first on line %d)",
					arg, lab->links[i].line);
			if (lab->nlinks >= LAB_MAX_LINKS)
				return lerr(c, c->line,
					    "too many links (at most %d)",
					    LAB_MAX_LINKS);
			c->link = &lab->links[lab->nlinks++];
			memset(c->link, 0, sizeof(*c->link));
			strscpy(c->link->name, arg, sizeof(c->link->name));
			c->link->line = c->line;
			c->sec = LS_LINK;
		}
	} else {
		return lerr(
			c, c->line,
			"unknown section [%s%s%s] (known: [lab], [node NAME], [link NAME], [test])",
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
		return lerr(c, c->line, "%s", msg);
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
	default:
		return lerr(
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
		return err_set(c->e, "out of memory"), -ENOMEM;
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
			ret = lerr(c, c->line,
				   "a tests file holds only [test] sections");
			break;
		}
	}
	free(copy);
	return ret;
}

static bool link_has_key(unsigned int kinds, enum link_kind k)
{
	return kinds & (1u << k);
}

static int check_link(struct lab_ctx *c, struct lab_link *l)
{
	const char *far;
	int i, j, k = 0, n;

	/* endpoints' node names were kept as "endpoint" kvs, in order */
	for (i = 0; i < l->nkvs; i++) {
		struct lab_endpoint *ep;

		if (strcmp(l->kvs[i].key, "endpoint"))
			continue;
		ep = &l->eps[k++];
		n = lab_node_find(c->lab, l->kvs[i].value);
		if (n < 0)
			return lerr(
				c, ep->line,
				"[link %s]: endpoint %s: no [node %s] in this lab",
				l->name, l->kvs[i].value, l->kvs[i].value);
		ep->node = n;
	}
	if (!l->kind_line)
		l->kind = l->neps >= 3 ? LINK_SWITCH : LINK_WIRE;
	if (l->impair_line) {
		char msg[300];

		if (impair_check(&l->impair, msg, sizeof(msg)))
			return lerr(c, l->impair_line, "[link %s]: %s", l->name,
				    msg);
	}
	for (i = 0; i < l->nkvs; i++) {
		if (impair_key(l->kvs[i].key) >= 0)
			continue; /* every kind */
		for (j = 0; j < (int)ARRAY_SIZE(link_keys); j++)
			if (!strcmp(l->kvs[i].key, link_keys[j].key))
				break;
		if (!link_has_key(link_keys[j].kinds, l->kind))
			return lerr(c, l->kvs[i].line,
				    "[link %s]: %s = does not go with kind %s",
				    l->name, l->kvs[i].key,
				    kind_names[l->kind]);
	}
	switch (l->kind) {
	case LINK_WIRE:
		if (l->neps != 2)
			return lerr(
				c, l->line,
				"[link %s]: a wire joins exactly 2 endpoints, this has %d (kind = switch for a segment)",
				l->name, l->neps);
		break;
	case LINK_SWITCH:
		if (l->neps < 1)
			return lerr(c, l->line,
				    "[link %s]: no endpoint = lines", l->name);
		break;
	case LINK_NETNS:
	case LINK_GRE:
	case LINK_L2TPV3:
		if (l->neps != 1)
			return lerr(
				c, l->line,
				"[link %s]: kind %s has exactly one endpoint (the lab's node), this has %d",
				l->name, kind_names[l->kind], l->neps);
		break;
	default:
		break;
	}
	for (i = 0; i < l->neps; i++)
		for (j = 0; j < i; j++)
			if (l->eps[i].node == l->eps[j].node)
				return lerr(
					c, l->eps[i].line,
					"[link %s]: node %s is on it twice (first on line %d)",
					l->name,
					c->lab->nodes[l->eps[i].node].name,
					l->eps[j].line);
	if (l->kind == LINK_NETNS) {
		const char *ns = lab_kv(l->kvs, l->nkvs, "netns");
		const char *t = lab_kv(l->kvs, l->nkvs, "transport");

		if (!ns)
			return lerr(
				c, l->line,
				"[link %s]: kind netns needs netns = NAME (the host namespace)",
				l->name);
		if (!netns_name_valid(ns))
			return lerr(
				c, kv_line(l->kvs, l->nkvs, "netns", l->line),
				"netns = %s: not a valid namespace name", ns);
		if (t && strcmp(t, "raw") && strcmp(t, "tap"))
			return lerr(
				c,
				kv_line(l->kvs, l->nkvs, "transport", l->line),
				"transport = %s: a netns link is raw (default) or tap",
				t);
	}
	if (l->kind == LINK_GRE || l->kind == LINK_L2TPV3) {
		const char *u = lab_kv(l->kvs, l->nkvs, "udp");

		if (!lab_kv(l->kvs, l->nkvs, "local") ||
		    !lab_kv(l->kvs, l->nkvs, "remote"))
			return lerr(
				c, l->line,
				"[link %s]: kind %s needs local = (the address the node sends from) and remote = (the equipment's)",
				l->name, kind_names[l->kind]);
		if (u && strcmp(u, "yes") && strcmp(u, "no"))
			return lerr(c, kv_line(l->kvs, l->nkvs, "udp", l->line),
				    "udp = %s: must be yes or no", u);
		far = lab_kv(l->kvs, l->nkvs, "far-end");
		if (far) {
			char what[16], name[NETNS_NAME_MAX], extra[2];
			int line = kv_line(l->kvs, l->nkvs, "far-end", l->line);

			if (sscanf(far, "%15s %63s %1s", what, name, extra) !=
				    2 ||
			    (strcmp(what, "node") && strcmp(what, "netns")))
				return lerr(
					c, line,
					"far-end = %s: must be \"node NODE\" or \"netns NAME\"",
					far);
			if (!strcmp(what, "node")) {
				n = lab_node_find(c->lab, name);
				if (n < 0)
					return lerr(
						c, line,
						"far-end = %s: no [node %s] in this lab",
						far, name);
				if (n == l->eps[0].node)
					return lerr(
						c, line,
						"far-end = %s: the far end cannot be the link's own node",
						far);
				strscpy(l->far_node, name, sizeof(l->far_node));
			} else if (!netns_name_valid(name)) {
				return lerr(
					c, line,
					"far-end = %s: not a valid namespace name",
					far);
			}
			{
				static const char *const kernel_devs[] = {
					"gre0",	   "gretap0", "erspan0",
					"tunl0",   "sit0",    "ip6gre0",
					"ip6tnl0", "ip_vti0", "ip6_vti0",
					"bond0",   "dummy0",  "lo",
					"teql0",   NULL,
				};
				const char *ifn = lab_kv(l->kvs, l->nkvs,
							 "far-end-ifname")
							  ?: l->name;

				if (!ifname_valid(ifn))
					return lerr(
						c, line,
						"far-end: \"%s\" is not a valid interface name for the far end",
						ifn);
				for (i = 0; kernel_devs[i]; i++)
					if (!strcmp(ifn, kernel_devs[i]))
						return lerr(
							c, line,
							"far-end: the far end's interface would be %s, which the kernel makes itself: set far-end-ifname = (another name) or rename the link",
							ifn);
			}
		} else if (lab_kv(l->kvs, l->nkvs, "far-end-address") ||
			   lab_kv(l->kvs, l->nkvs, "far-end-route") ||
			   lab_kv(l->kvs, l->nkvs, "far-end-ifname")) {
			return lerr(
				c, l->line,
				"[link %s]: far-end-address, far-end-route and far-end-ifname need far-end = node NODE or netns NAME",
				l->name);
		}
	}
	return 0;
}

static int finish(struct lab_ctx *c)
{
	struct lab *lab = c->lab;
	int i, ret;

	if (!lab->nnodes)
		return lerr(c, 0, "no [node NAME] sections: a lab needs nodes");
	for (i = 0; i < lab->nlinks; i++) {
		c->file = lab->path;
		ret = check_link(c, &lab->links[i]);
		if (ret)
			return ret;
	}
	for (i = 0; i < lab->ntests; i++) {
		struct lab_test *t = &lab->tests[i];

		c->file = t->file;
		if (lab_test_is_step(t->kind)) {
			if (lab_link_find(lab, t->target) < 0)
				return lerr(c, t->line,
					    "%s: no [link %s] in this lab",
					    t->text, t->target);
			continue;
		}
		t->node = lab_node_find(lab, t->node_name);
		if (t->node < 0)
			return lerr(c, t->line, "%s: no [node %s] in this lab",
				    t->text, t->node_name);
		if (t->kind == TEST_THROUGHPUT &&
		    lab_node_find(lab, t->target) < 0)
			return lerr(
				c, t->line,
				"%s: the target must be a node of this lab (iperf3 -s runs there)",
				t->text);
	}
	c->file = lab->path;
	if (!lab->name[0]) {
		char tmp[PATH_MAX], *b, *dot;

		strscpy(tmp, lab->path, sizeof(tmp));
		b = basename(tmp);
		dot = strstr(b, ".lab");
		if (dot)
			*dot = '\0';
		if (!lab_name_valid(b))
			return lerr(
				c, 0,
				"no name = ... in [lab], and the file name \"%s\" is not a valid lab name (1-%d letters, digits, '_' or '-', starting with a letter)",
				b, LAB_NAME_MAX);
		strscpy(lab->name, b, sizeof(lab->name));
	}
	return 0;
}

int lab_parse(const char *path, const char *text, const char *dir,
	      struct lab *lab, struct err *e)
{
	struct lab_ctx c = { .lab = lab, .e = e, .file = path };
	char *own = NULL, *tests = NULL, tmp[PATH_MAX];
	int ret;

	memset(lab, 0, sizeof(*lab));
	lab->nodes = calloc(LAB_MAX_NODES, sizeof(*lab->nodes));
	lab->links = calloc(LAB_MAX_LINKS, sizeof(*lab->links));
	lab->tests = calloc(LAB_MAX_TESTS, sizeof(*lab->tests));
	if (!lab->nodes || !lab->links || !lab->tests) {
		ret = -ENOMEM;
		err_set(e, "out of memory");
		goto cleanup;
	}
	if (strscpy(lab->path, path, sizeof(lab->path))) {
		ret = -ENAMETOOLONG;
		err_set(e, "%s: path too long", path);
		goto cleanup;
	}
	if (dir) {
		strscpy(lab->dir, dir, sizeof(lab->dir));
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
			err_set(e, "%s: %s", path,
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
			err_set(e, "%s: tests = %s: %s", path, lab->tests_path,
				strerror(-ret));
			goto cleanup;
		}
		c.file = lab->tests_path;
		c.sec = LS_NONE;
		ret = parse_text(&c, tests, true);
		if (ret)
			goto cleanup;
	}
	ret = finish(&c);
cleanup:
	free(own);
	free(tests);
	return ret;
}

void lab_free(struct lab *lab)
{
	int i;

	if (!lab)
		return;
	for (i = 0; lab->nodes && i < lab->nnodes; i++)
		free(lab->nodes[i].p);
	free(lab->nodes);
	free(lab->links);
	free(lab->tests);
	memset(lab, 0, sizeof(*lab));
}

/* ---- resolving names in tests ----------------------------------------- */

static int ep_addr(const struct lab_endpoint *ep, char *out, size_t len)
{
	if (!ep->naddrs)
		return -ENOENT;
	ip_addr_str(&ep->addrs[0], out, len);
	return 0;
}

int lab_resolve(const struct lab *lab, int from, const char *s, bool shared,
		char *out, size_t len)
{
	struct ip_prefix a;
	const struct lab_node *n;
	int node, i, j, k;

	if (!ip_prefix_parse(s, false, &a)) {
		ip_addr_str(&a, out, len);
		return 0;
	}
	node = lab_node_find(lab, s);
	if (node < 0)
		return -EINVAL;
	for (i = 0; shared && i < lab->nlinks; i++) {
		const struct lab_link *l = &lab->links[i];
		int mine = -1, theirs = -1;

		for (j = 0; j < l->neps; j++) {
			if (l->eps[j].node == from)
				mine = j;
			if (l->eps[j].node == node)
				theirs = j;
		}
		if (mine >= 0 && theirs >= 0 &&
		    !ep_addr(&l->eps[theirs], out, len))
			return 0;
	}
	if (shared)
		return -ENOENT;
	n = &lab->nodes[node];
	if (n->p && n->p->nloopbacks) {
		ip_addr_str(&n->p->loopbacks[0], out, len);
		return 0;
	}
	for (k = 0; k < n->nkvs; k++) {
		if (strcmp(n->kvs[k].key, "loopback"))
			continue;
		if (ip_prefix_parse(n->kvs[k].value, true, &a))
			break;
		ip_addr_str(&a, out, len);
		return 0;
	}
	for (i = 0; i < lab->nlinks; i++)
		for (j = 0; j < lab->links[i].neps; j++)
			if (lab->links[i].eps[j].node == node &&
			    !ep_addr(&lab->links[i].eps[j], out, len))
				return 0;
	return -ENOENT;
}

/* ---- compiling nodes into profiles ------------------------------------ */

/* profile text with, for every line, the lab line it came from */
struct overlay {
	struct strbuf sb;
	int *map, n, cap;
};

static void ov_line(struct overlay *o, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void ov_line(struct overlay *o, int line, const char *fmt, ...)
{
	va_list ap;

	if (o->n == o->cap) {
		int cap = o->cap ? 2 * o->cap : 64;
		int *m = realloc(o->map, cap * sizeof(*m));

		if (!m) {
			o->sb.oom = true;
			return;
		}
		o->map = m;
		o->cap = cap;
	}
	o->map[o->n++] = line;
	va_start(ap, fmt);
	sb_vprintf(&o->sb, fmt, ap);
	va_end(ap);
	sb_printf(&o->sb, "\n");
}

static void ov_kvs(struct overlay *o, const struct lab_link *l, const char *key,
		   const char *as)
{
	int i;

	for (i = 0; i < l->nkvs; i++)
		if (!strcmp(l->kvs[i].key, key))
			ov_line(o, l->kvs[i].line, "%s = %s", as,
				l->kvs[i].value);
}

static void link_value(struct overlay *o, const struct lab_link *l,
		       const char *key, const char *as, unsigned long dflt)
{
	const char *v = lab_kv(l->kvs, l->nkvs, key);

	if (v)
		ov_line(o, kv_line(l->kvs, l->nkvs, key, l->line), "%s = %s",
			as, v);
	else
		ov_line(o, l->line, "%s = %lu", as, dflt);
}

/* the tunnel keys of a gre/l2tpv3 link as profile lines, from its node */
static void tunnel_lines(struct overlay *o, const struct lab_link *l)
{
	const char *local = lab_kv(l->kvs, l->nkvs, "local");
	const char *udp = lab_kv(l->kvs, l->nkvs, "udp");

	ov_line(o, kv_line(l->kvs, l->nkvs, "local", l->line), "src = %s",
		local);
	ov_line(o, kv_line(l->kvs, l->nkvs, "remote", l->line), "dst = %s",
		lab_kv(l->kvs, l->nkvs, "remote"));
	if (strchr(local, ':'))
		ov_line(o, l->line, "v6 = 1");
	if (l->kind == LINK_GRE) {
		link_value(o, l, "key", "rx_key", l->key);
		link_value(o, l, "key", "tx_key", l->key);
		return;
	}
	link_value(o, l, "local-session", "rx_session", l->session[0]);
	link_value(o, l, "remote-session", "tx_session", l->session[1]);
	link_value(o, l, "local-cookie", "rx_cookie", l->cookie[0]);
	link_value(o, l, "remote-cookie", "tx_cookie", l->cookie[1]);
	if (!udp || !strcmp(udp, "yes")) {
		ov_line(o, l->line, "udp = 1");
		link_value(o, l, "local-port", "srcport", 1701);
		link_value(o, l, "remote-port", "dstport", 1701);
	}
}

/* the far end's interface lines (host = gretap/l2tp ...) */
static void far_lines(struct overlay *o, const struct lab_link *l,
		      const char *netns)
{
	const char *ifname = lab_kv(l->kvs, l->nkvs, "far-end-ifname");

	ov_line(o, kv_line(l->kvs, l->nkvs, "far-end", l->line), "host = %s",
		l->kind == LINK_GRE ? "gretap" : "l2tp");
	ov_line(o, kv_line(l->kvs, l->nkvs, "far-end-ifname", l->line),
		"host-ifname = %s", ifname ? ifname : l->name);
	if (netns)
		ov_line(o, kv_line(l->kvs, l->nkvs, "far-end", l->line),
			"host-netns = %s", netns);
	ov_kvs(o, l, "far-end-address", "host-address");
	ov_kvs(o, l, "far-end-route", "host-route");
}

static void iface_lines(struct overlay *o, const struct lab *lab,
			const struct lab_link *l, const struct lab_endpoint *ep,
			const char *lab_dir)
{
	const struct lab_node *n = &lab->nodes[ep->node];
	char buf[PATH_MAX], addr[64];
	const char *far, *t;
	int i;

	ov_line(o, ep->line, "[interface vec%d]", ep->vec);
	switch (l->kind) {
	case LINK_WIRE:
		ov_line(o, l->line, "transport = fd");
		ov_line(o, l->line, "host = wire");
		lab_wire_name(lab, l, buf, sizeof(buf));
		ov_line(o, l->line, "wire = %s", buf);
		break;
	case LINK_SWITCH:
		ov_line(o, l->line, "transport = bess");
		if (lab_switch_path(lab_dir, l, buf, sizeof(buf)))
			buf[0] = '\0';
		ov_line(o, l->line, "dst = %s", buf);
		/* the lab's own umnet switch: TSO frames via dst.vnet */
		ov_line(o, l->line, "vnet_hdr = 1");
		break;
	case LINK_NETNS:
		t = lab_kv(l->kvs, l->nkvs, "transport");
		ov_line(o, kv_line(l->kvs, l->nkvs, "transport", l->line),
			"transport = %s", t ? t : "raw");
		/* the node's end on the host: a hashed name, unique per host */
		ov_line(o, l->line, "ifname = u%08x",
			derive("%s/%s/vec%d", lab->name, n->name, ep->vec));
		ov_line(o, l->line, "host = %s",
			t && !strcmp(t, "tap") ? "tap" : "veth");
		if (!t || !strcmp(t, "raw"))
			ov_line(o, l->line, "host-ifname = %s",
				lab_kv(l->kvs, l->nkvs, "host-ifname")
					?: l->name);
		ov_line(o, kv_line(l->kvs, l->nkvs, "netns", l->line),
			"host-netns = %s", lab_kv(l->kvs, l->nkvs, "netns"));
		ov_kvs(o, l, "host-address", "host-address");
		ov_kvs(o, l, "host-route", "host-route");
		if (!lab_kv(l->kvs, l->nkvs, "gro") &&
		    (!t || !strcmp(t, "raw")))
			ov_line(o, l->line, "gro = 1");
		break;
	case LINK_GRE:
	case LINK_L2TPV3:
		ov_line(o, l->line, "transport = %s", link_kind_name(l->kind));
		tunnel_lines(o, l);
		far = lab_kv(l->kvs, l->nkvs, "far-end");
		if (far && sscanf(far, "netns %63s", buf) == 1)
			far_lines(o, l, buf);
		break;
	default:
		break;
	}
	ov_kvs(o, l, "mtu", "mtu");
	ov_kvs(o, l, "depth", "depth");
	ov_kvs(o, l, "gro", "gro");
	for (i = 0; i < IMP_NKEYS; i++)
		ov_kvs(o, l, impair_keys[i], impair_keys[i]);
	for (i = 0; i < ep->naddrs; i++)
		ov_line(o, ep->line, "address = %s",
			ip_prefix_str(&ep->addrs[i], addr, sizeof(addr)));
}

/*
 * The far end of link l built inside node n (far-end = node N): a profile
 * of l's own side with host = gretap/l2tp, which `umnet hostsetup --apply`
 * run in n at boot turns into the mirror tunnel in n's kernel.
 */
static int write_far_profile(struct lab_ctx *c, const struct lab_link *l,
			     const char *gen_dir, char *path, size_t len)
{
	struct overlay o = { 0 };
	struct profile *tmp = NULL;
	int ret;

	ov_line(&o, l->line, "[appliance]");
	ov_line(&o, l->line, "name = far-%s", l->name);
	ov_line(&o, l->line, "[interface vec0]");
	ov_line(&o, l->line, "transport = %s", link_kind_name(l->kind));
	tunnel_lines(&o, l);
	far_lines(&o, l, NULL);
	if (o.sb.oom) {
		err_set(c->e, "out of memory");
		ret = -ENOMEM;
		goto cleanup;
	}
	snprintf(path, len, "%s/far-%s.profile", gen_dir, l->name);
	/* check it as the node will read it, with lab lines in messages */
	tmp = calloc(1, sizeof(*tmp));
	if (!tmp) {
		ret = -ENOMEM;
		goto cleanup;
	}
	ret = profile_parse_string(c->lab->path, "", tmp, c->e);
	if (!ret)
		ret = profile_parse_overlay(tmp, sb_str(&o.sb), o.map, o.n,
					    c->e);
	if (ret)
		goto cleanup;
	ret = write_file(path, o.sb.buf, o.sb.len, 0644);
	if (ret)
		err_set(c->e, "%s: %s", path, strerror(-ret));
cleanup:
	free(tmp);
	sb_free(&o.sb);
	free(o.map);
	return ret;
}

/* vecN for each of the node's endpoints: given, else the lowest free */
static int assign_vecs(struct lab_ctx *c, int node, const struct profile *p)
{
	struct lab *lab = c->lab;
	int owner[MAX_IFACES], i, j, v;

	for (v = 0; v < MAX_IFACES; v++)
		owner[v] = 0;
	for (i = 0; i < p->nifaces; i++)
		owner[p->ifaces[i].index] = -1; /* the base profile's */
	for (i = 0; i < lab->nlinks; i++) {
		for (j = 0; j < lab->links[i].neps; j++) {
			struct lab_endpoint *ep = &lab->links[i].eps[j];

			if (ep->node != node || ep->vec < 0)
				continue;
			if (owner[ep->vec] == -1)
				return lerr(
					c, ep->line,
					"%s:vec%d is already an interface of profile %s",
					lab->nodes[node].name, ep->vec,
					lab->nodes[node].profile);
			if (owner[ep->vec])
				return lerr(
					c, ep->line,
					"%s:vec%d is on two links (first on line %d)",
					lab->nodes[node].name, ep->vec,
					owner[ep->vec]);
			owner[ep->vec] = ep->line;
		}
	}
	for (i = 0; i < lab->nlinks; i++) {
		for (j = 0; j < lab->links[i].neps; j++) {
			struct lab_endpoint *ep = &lab->links[i].eps[j];

			if (ep->node != node || ep->vec >= 0)
				continue;
			for (v = 0; v < MAX_IFACES && owner[v]; v++)
				;
			if (v == MAX_IFACES)
				return lerr(
					c, ep->line,
					"node %s has more than %d interfaces",
					lab->nodes[node].name, MAX_IFACES);
			ep->vec = v;
			owner[v] = ep->line;
		}
	}
	return 0;
}

static int compile_node(struct lab_ctx *c, int node, const char *lab_dir,
			const char *gen_dir)
{
	struct lab *lab = c->lab;
	struct lab_node *n = &lab->nodes[node];
	struct overlay o = { 0 };
	struct profile *p;
	char path[PATH_MAX];
	const char *rs = NULL;
	int i, j, rs_line = 0, ret;

	p = calloc(1, sizeof(*p));
	if (!p)
		return err_set(c->e, "out of memory"), -ENOMEM;
	n->p = p;
	if (n->profile[0]) {
		ret = profile_parse(n->profile, p, c->e);
		if (ret)
			goto cleanup;
	} else {
		ret = profile_parse_string(lab->path, "", p, c->e);
		if (ret)
			goto cleanup;
		if (lab->mem_mb)
			p->mem_mb = lab->mem_mb;
	}
	/* from here on, messages and relative paths are the lab's */
	strscpy(p->path, lab->path, sizeof(p->path));
	strscpy(p->dir, lab->dir, sizeof(p->dir));
	lab_node_hostname(lab, node, p->name, sizeof(p->name));
	ret = assign_vecs(c, node, p);
	if (ret)
		goto cleanup;
	ov_line(&o, n->line, "[appliance]");
	ov_line(&o, n->line, "hostname = %s", n->name);
	/* tunnels whose far end this node plays: built first thing */
	for (i = 0; gen_dir && i < lab->nlinks; i++) {
		const struct lab_link *l = &lab->links[i];

		if (strcmp(l->far_node, n->name))
			continue;
		ret = write_far_profile(c, l, gen_dir, path, sizeof(path));
		if (ret)
			goto cleanup;
		ov_line(&o, l->line, "file = %s /var/lib/umnet/far-%s.profile",
			path, l->name);
		ov_line(&o, l->line,
			"run = umnet hostsetup --apply /var/lib/umnet/far-%s.profile",
			l->name);
	}
	for (i = 0; i < n->nkvs; i++) {
		if (!strcmp(n->kvs[i].key, "ruleset")) {
			rs = n->kvs[i].value;
			rs_line = n->kvs[i].line;
			continue;
		}
		ov_line(&o, n->kvs[i].line, "%s = %s", n->kvs[i].key,
			n->kvs[i].value);
	}
	for (i = 0; i < lab->nlinks; i++)
		for (j = 0; j < lab->links[i].neps; j++)
			if (lab->links[i].eps[j].node == node)
				iface_lines(&o, lab, &lab->links[i],
					    &lab->links[i].eps[j], lab_dir);
	if (rs) {
		ov_line(&o, rs_line, "[firewall]");
		ov_line(&o, rs_line, "ruleset = %s", rs);
	}
	if (o.sb.oom) {
		err_set(c->e, "out of memory");
		ret = -ENOMEM;
		goto cleanup;
	}
	ret = profile_parse_overlay(p, sb_str(&o.sb), o.map, o.n, c->e);
cleanup:
	sb_free(&o.sb);
	free(o.map);
	return ret;
}

int lab_compile(struct lab *lab, const char *gen_dir, struct err *e)
{
	struct lab_ctx c = { .lab = lab, .e = e, .file = lab->path };
	char dir[PATH_MAX];
	int i, ret;

	ret = lab_state_dir(lab->name, dir, sizeof(dir));
	if (ret)
		return err_set(e, "%s: state directory: %s", lab->name,
			       strerror(-ret)),
		       ret;
	for (i = 0; i < lab->nlinks; i++) {
		struct lab_link *l = &lab->links[i];

		l->key = derive_id(lab->name, l->name, "key");
		l->session[0] = derive_id(lab->name, l->name, "session/local");
		l->session[1] = derive_id(lab->name, l->name, "session/remote");
		l->cookie[0] = derive("%s/%s/cookie/local", lab->name, l->name);
		l->cookie[1] =
			derive("%s/%s/cookie/remote", lab->name, l->name);
	}
	for (i = 0; i < lab->nnodes; i++) {
		free(lab->nodes[i].p);
		lab->nodes[i].p = NULL;
	}
	for (i = 0; i < lab->nnodes; i++) {
		ret = compile_node(&c, i, dir, gen_dir);
		if (ret)
			return ret;
	}
	return 0;
}
