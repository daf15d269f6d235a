// SPDX-License-Identifier: GPL-2.0
/*
 * node.conf inside the node: split each line into its keyword and arguments,
 * parse them into an action (the keyword table below), and apply it with the
 * image's real tools (iproute2, nftables, busybox sh: nodeconf_spawn.c), over
 * rtnetlink (link, addr: nodeconf_rtnl.c), or directly for hostname, sysctl
 * and file. Part of init (static, PID 1): nothing here may exit the process,
 * and every descriptor is close-on-exec.
 */
#include "nodeconf.h"
#include "nodeconf_priv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LINK_MAX_WORDS 8 /* link IFNAME and three "KEY VALUE" pairs */
#define MAC_STR_LEN 17 /* "02:00:00:00:00:01" */
#define KEYWORD_SHOWN 64 /* how much of an unknown keyword an error quotes */

int nodeconf_err(char *msg, size_t len, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap); /* a cut message is still a message */
	va_end(ap);
	errno = saved;
	return -1;
}

void nodeconf_trim_end(char *s)
{
	size_t n = strlen(s);

	while (n && (nodeconf_is_space(s[n - 1]) || s[n - 1] == '\n' ||
		     s[n - 1] == '\r'))
		s[--n] = '\0';
}

/*
 * Cut the first word of *s: returns it NUL-terminated (NULL when none is
 * left) and advances *s to the start of the next word.
 */
static char *cut_word(char **s)
{
	char *p = *s, *w;

	while (nodeconf_is_space(*p))
		p++;
	if (!*p) {
		*s = p;
		return NULL;
	}
	w = p;
	while (*p && !nodeconf_is_space(*p))
		p++;
	if (*p) {
		*p++ = '\0';
		while (nodeconf_is_space(*p))
			p++;
	}
	*s = p;
	return w;
}

int nodeconf_split(char *line, char **words, int max)
{
	char *w;
	int n = 0;

	nodeconf_trim_end(line);
	while ((w = cut_word(&line))) {
		if (n == max)
			return -E2BIG;
		words[n++] = w;
	}
	words[n] = NULL;
	return n;
}

/* a name without path tricks: no "..", no leading '/', sane characters */
static int safe_relpath(const char *s, const char *extra)
{
	const char *p;

	if (!*s || *s == '/' || strstr(s, ".."))
		return 0;
	for (p = s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("_-.", *p) ||
		    strchr(extra, *p))
			continue;
		return 0;
	}
	return 1;
}

int nodeconf_drive_path(struct nodeconf_action *a, const char *name, char *msg,
			size_t len)
{
	int n;

	if (!safe_relpath(name, "/"))
		return nodeconf_err(msg, len, "%s: bad file name '%s'",
				    a->kw->name, name);
	n = snprintf(a->path, sizeof(a->path), "%s/%s", NODECONF_MOUNT, name);
	if (n < 0 || (size_t)n >= sizeof(a->path))
		return nodeconf_err(msg, len, "%s: file name too long",
				    a->kw->name);
	return 0;
}

static int parse_hostname(char *rest, struct nodeconf_action *a, char *msg,
			  size_t len)
{
	if (nodeconf_split(rest, a->words, 2) != 1)
		return nodeconf_err(msg, len, "usage: hostname NAME");
	a->name = a->words[0];
	return 0;
}

static int apply_hostname(struct nodeconf_action *a, char *msg, size_t len)
{
	if (sethostname(a->name, strlen(a->name)) < 0)
		return nodeconf_err(msg, len, "hostname %s: %m", a->name);
	return 0;
}

static int parse_sysctl(char *rest, struct nodeconf_action *a, char *msg,
			size_t len)
{
	char *key = cut_word(&rest);
	int n;
	char *p;

	nodeconf_trim_end(rest);
	if (!key || !*rest)
		return nodeconf_err(msg, len, "usage: sysctl KEY VALUE");
	if (!safe_relpath(key, "/:@"))
		return nodeconf_err(msg, len, "sysctl: bad key '%s'", key);
	n = snprintf(a->path, sizeof(a->path), "/proc/sys/%s", key);
	if (n < 0 || (size_t)n >= sizeof(a->path))
		return nodeconf_err(msg, len, "sysctl: key too long");
	/* like sysctl(8): a key with a '/' is a path, keeping its dots */
	if (!strchr(key, '/'))
		for (p = a->path + strlen("/proc/sys/"); *p; p++)
			if (*p == '.')
				*p = '/';
	a->name = key;
	a->value = rest;
	return 0;
}

static int apply_sysctl(struct nodeconf_action *a, char *msg, size_t len)
{
	char *value = a->value;
	int fd, ret = -1;
	size_t vlen;

	fd = open(a->path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return nodeconf_err(msg, len, "sysctl %s: %m", a->name);
	/* the value is writable and followed by its NUL: end it with '\n' */
	vlen = strlen(value);
	value[vlen] = '\n';
	if (write(fd, value, vlen + 1) < 0) {
		value[vlen] = '\0';
		nodeconf_err(msg, len, "sysctl %s = %s: %m", a->name, value);
		goto cleanup;
	}
	value[vlen] = '\0';
	ret = 0;
cleanup:
	close(fd);
	return ret;
}

/* "02:00:00:00:00:01" into 6 bytes */
static int parse_mac(const char *s, unsigned char *mac)
{
	unsigned int b[NODECONF_MAC_LEN];
	char end;
	int i;

	if (strlen(s) != MAC_STR_LEN ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &end) != NODECONF_MAC_LEN)
		return -1;
	for (i = 0; i < NODECONF_MAC_LEN; i++)
		mac[i] = b[i];
	return 0;
}

/* an MTU: digits only, and it fits the kernel's u32 */
static int parse_mtu(const char *s, unsigned int *mtu)
{
	unsigned long v;
	char *end;

	if (!*s || s[strspn(s, "0123456789")])
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || v > UINT_MAX)
		return -1;
	*mtu = v;
	return 0;
}

/* link IFNAME [name NEW] [address MAC] [mtu N] */
static int parse_link(char *rest, struct nodeconf_action *a, char *msg,
		      size_t len)
{
	char **w = a->words;
	int n = nodeconf_split(rest, w, LINK_MAX_WORDS), i;
	bool bad = n < 1 || !(n & 1);

	for (i = 1; !bad && i + 1 < n; i += 2) {
		if (!strcmp(w[i], "mtu")) {
			bad = parse_mtu(w[i + 1], &a->mtu) < 0;
			a->set_mtu = true;
		} else if (!strcmp(w[i], "name")) {
			bad = !w[i + 1][0] || strlen(w[i + 1]) >= IFNAMSIZ;
			a->value = w[i + 1];
		} else if (!strcmp(w[i], "address")) {
			bad = parse_mac(w[i + 1], a->mac) < 0;
			a->set_mac = true;
		} else {
			bad = true;
		}
	}
	if (bad)
		return nodeconf_err(
			msg, len,
			"usage: link IFNAME [name NEW] [address MAC] [mtu N]");
	a->name = w[0];
	/* quoted in errors: a cut one still says which line */
	snprintf(a->what, sizeof(a->what), "link %s", w[0]);
	return 0;
}

/* addr IFNAME ADDRESS/LEN */
static int parse_addr(char *rest, struct nodeconf_action *a, char *msg,
		      size_t len)
{
	char **w = a->words, *slash, *end;
	int n = nodeconf_split(rest, w, 3);
	long plen;

	if (n != 2 || !(slash = strchr(w[1], '/')))
		return nodeconf_err(msg, len, "usage: addr IFNAME PREFIX/LEN");
	/* quoted in errors: a cut one still says which line */
	snprintf(a->what, sizeof(a->what), "addr %s %s", w[0], w[1]);
	*slash = '\0';
	a->family = strchr(w[1], ':') ? AF_INET6 : AF_INET;
	plen = strtol(slash + 1, &end, 10);
	if (inet_pton(a->family, w[1], a->addr) != 1 || *end ||
	    end == slash + 1 || plen < 0 ||
	    plen > (a->family == AF_INET ? 32 : 128))
		return nodeconf_err(msg, len,
				    "%s: not an address with prefix length",
				    a->what);
	a->name = w[0];
	a->prefixlen = plen;
	return 0;
}

/* route ARGS...: ip [-6] route add ARGS... */
static int parse_route(char *rest, struct nodeconf_action *a, char *msg,
		       size_t len)
{
	int n = nodeconf_split(rest, a->words, NODECONF_MAX_ARGS), i, k = 0;

	if (n < 1)
		return nodeconf_err(msg, len,
				    n < 0 ? "too many arguments"
					  : "usage: route ARGS...");
	a->argv[k++] = NODE_IP;
	for (i = 0; i < n; i++) {
		if (strchr(a->words[i], ':')) {
			a->argv[k++] = "-6";
			break;
		}
	}
	a->argv[k++] = "route";
	a->argv[k++] = "add";
	for (i = 0; i <= n; i++)
		a->argv[k++] = a->words[i];
	return 0;
}

/* nft FILE: nft -f /etc/umnet/FILE */
static int parse_nft(char *rest, struct nodeconf_action *a, char *msg,
		     size_t len)
{
	if (nodeconf_split(rest, a->words, 2) != 1)
		return nodeconf_err(msg, len, "usage: nft FILE");
	if (nodeconf_drive_path(a, a->words[0], msg, len) < 0)
		return -1;
	a->argv[0] = NODE_NFT;
	a->argv[1] = "-f";
	a->argv[2] = a->path;
	a->argv[3] = NULL;
	return 0;
}

/* run CMD...: sh -c CMD */
static int parse_run(char *rest, struct nodeconf_action *a, char *msg,
		     size_t len)
{
	nodeconf_trim_end(rest);
	if (!*rest)
		return nodeconf_err(msg, len, "usage: run CMD...");
	a->argv[0] = NODE_SH;
	a->argv[1] = "-c";
	a->argv[2] = rest;
	a->argv[3] = NULL;
	return 0;
}

static int apply_exec(struct nodeconf_action *a, char *msg, size_t len)
{
	return node_run(a->argv, msg, len);
}

static int parse_daemon(char *rest, struct nodeconf_action *a, char *msg,
			size_t len)
{
	nodeconf_trim_end(rest);
	if (!*rest)
		return nodeconf_err(msg, len, "usage: daemon CMD...");
	a->value = rest;
	return 0;
}

static int apply_daemon(struct nodeconf_action *a, char *msg, size_t len)
{
	return node_spawn_daemon(a->value, msg, len);
}

/* clang-format off */
static const struct nodeconf_keyword keywords[] = {
	{ "hostname", parse_hostname, apply_hostname },
	{ "file", nodeconf_file_parse, nodeconf_file_apply },
	{ "sysctl", parse_sysctl, apply_sysctl },
	{ "resolv", nodeconf_resolv_parse, nodeconf_resolv_apply },
	{ "link", parse_link, nodeconf_rtnl_link },
	{ "addr", parse_addr, nodeconf_rtnl_addr },
	{ "route", parse_route, apply_exec },
	{ "nft", parse_nft, apply_exec },
	{ "run", parse_run, apply_exec },
	{ "daemon", parse_daemon, apply_daemon },
};
/* clang-format on */

/* "unknown keyword 'x' (known: hostname file ...)", from the table */
static int unknown_keyword(const char *kw, char *msg, size_t len)
{
	size_t i, n;

	nodeconf_err(msg, len, "unknown keyword '%.*s' (known:", KEYWORD_SHOWN,
		     kw);
	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
		n = strlen(msg);
		snprintf(msg + n, len - n, " %s", keywords[i].name);
	}
	n = strlen(msg);
	snprintf(msg + n, len - n, ")");
	return -1;
}

int nodeconf_parse_line(char *line, struct nodeconf_action *a, char *msg,
			size_t len)
{
	char *rest = line, *kw;
	size_t i;

	memset(a, 0, sizeof(*a));
	nodeconf_trim_end(line);
	kw = cut_word(&rest);
	if (!kw || kw[0] == '#')
		return 0;
	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
		if (!strcmp(kw, keywords[i].name)) {
			a->kw = &keywords[i];
			return a->kw->parse(rest, a, msg, len);
		}
	}
	return unknown_keyword(kw, msg, len);
}

int nodeconf_apply(struct nodeconf_action *a, char *msg, size_t len)
{
	return a->kw ? a->kw->apply(a, msg, len) : 0;
}

int nodeconf_apply_line(char *line, char *msg, size_t len)
{
	struct nodeconf_action a;

	if (nodeconf_parse_line(line, &a, msg, len) < 0)
		return -1;
	return nodeconf_apply(&a, msg, len);
}

int nodeconf_check_line(char *line, char *msg, size_t len)
{
	struct nodeconf_action a;

	return nodeconf_parse_line(line, &a, msg, len);
}

int nodeconf_apply_file(const char *path, int *lineno, int *count, char *msg,
			size_t len)
{
	char *line = NULL;
	size_t cap = 0;
	FILE *f = NULL;
	int ret = -1;
	ssize_t n;

	*lineno = 0;
	*count = 0;
	f = fopen(path, "re");
	if (!f) {
		nodeconf_err(msg, len, "cannot open %s: %m", path);
		goto cleanup;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		++*lineno;
		if ((size_t)n != strlen(line)) {
			nodeconf_err(msg, len, "NUL byte in line");
			goto cleanup;
		}
		if (nodeconf_apply_line(line, msg, len) < 0)
			goto cleanup;
		++*count;
	}
	if (ferror(f)) {
		nodeconf_err(msg, len, "read error on %s", path);
		goto cleanup;
	}
	*lineno = 0;
	ret = 0;
cleanup:
	free(line);
	if (f)
		fclose(f);
	return ret;
}
