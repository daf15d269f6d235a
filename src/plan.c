// SPDX-License-Identifier: GPL-2.0
/*
 * The host plan and its journal. A journal is a text file in the node's
 * state directory, one object per line, appended before the object is made:
 *   netns NAME
 *   link NETNS|- IFNAME
 *   l2tp NETNS|- TUNNEL_ID
 * Fields are separated by one space; names are [A-Za-z0-9_.-] (checked on
 * write and on read), so a line always parses back to what was made.
 * Teardown reads it backwards. A moved link gets a second line naming its
 * new namespace, so it is found wherever it ended up.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"
#include "node.h"
#include "plan.h"

int plan_add(struct plan *plan, const struct action *a)
{
	if (plan->n == plan->cap) {
		int cap = plan->cap ? plan->cap * 2 : 16;
		struct action *p = realloc(plan->acts, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		plan->acts = p;
		plan->cap = cap;
	}
	plan->acts[plan->n++] = *a;
	return 0;
}

void plan_free(struct plan *plan)
{
	if (!plan)
		return;
	free(plan->acts);
	plan->acts = NULL;
	plan->n = plan->cap = 0;
}

static void print_ip(struct strbuf *sb, const struct action *a)
{
	sb_puts(sb, "ip ");
	if (a->netns[0])
		sb_printf(sb, "-n %s ", a->netns);
}

static void print_l2tp_tunnel(struct strbuf *sb, const struct action *a)
{
	const struct l2tp_spec *t = &a->l2tp;
	char l[64], r[64];

	print_ip(sb, a);
	sb_printf(
		sb,
		"l2tp add tunnel tunnel_id %u peer_tunnel_id %u encap %s local %s remote %s",
		t->tunnel_id, t->peer_tunnel_id, t->udp ? "udp" : "ip",
		ip_addr_str(&t->local, l, sizeof(l)),
		ip_addr_str(&t->remote, r, sizeof(r)));
	if (t->udp)
		sb_printf(sb, " udp_sport %u udp_dport %u", t->sport, t->dport);
	sb_puts(sb, "\n");
}

static void print_hex(struct strbuf *sb, const uint8_t *b, int n)
{
	int i;

	for (i = 0; i < n; i++)
		sb_printf(sb, "%02x", b[i]);
}

static void print_l2tp_session(struct strbuf *sb, const struct action *a)
{
	const struct l2tp_spec *t = &a->l2tp;

	print_ip(sb, a);
	sb_printf(
		sb,
		"l2tp add session name %s tunnel_id %u session_id %u peer_session_id %u",
		a->ifname, t->tunnel_id, t->session_id, t->peer_session_id);
	if (t->cookie_len) {
		sb_puts(sb, " cookie ");
		print_hex(sb, t->cookie, t->cookie_len);
		sb_puts(sb, " peer_cookie ");
		print_hex(sb, t->peer_cookie, t->cookie_len);
	}
	sb_printf(sb, " l2spec_type %s\n", t->l2spec ? "default" : "none");
}

void plan_print(const struct plan *plan, struct strbuf *sb)
{
	char buf[64];
	int i;

	for (i = 0; i < plan->n; i++) {
		const struct action *a = &plan->acts[i];

		if (a->phase == PHASE_POST_BOOT)
			sb_puts(sb, "# after the node has started:\n");
		switch (a->kind) {
		case ACT_NETNS_ADD:
			sb_printf(sb, "ip netns add %s\n", a->netns);
			break;
		case ACT_VETH_ADD:
			print_ip(sb, a);
			sb_printf(sb, "link add %s type veth peer name %s\n",
				  a->ifname, a->peer);
			break;
		case ACT_TAP_ADD:
			print_ip(sb, a);
			sb_printf(
				sb,
				"tuntap add dev %s mode tap user %u group %u\n",
				a->ifname, (unsigned)a->uid, (unsigned)a->gid);
			break;
		case ACT_LINK_NETNS:
			print_ip(sb, a);
			sb_printf(sb, "link set %s netns %s\n", a->ifname,
				  a->target);
			break;
		case ACT_ADDR_ADD:
			print_ip(sb, a);
			sb_printf(sb, "addr add %s dev %s\n",
				  ip_prefix_str(&a->addr, buf, sizeof(buf)),
				  a->ifname);
			break;
		case ACT_LINK_UP:
			print_ip(sb, a);
			sb_printf(sb, "link set %s up\n", a->ifname);
			break;
		case ACT_GRETAP_ADD: {
			char l[64], r[64];

			print_ip(sb, a);
			sb_printf(sb, "link add %s type %s local %s remote %s",
				  a->ifname,
				  a->gre.local.family == AF_INET6 ? "ip6gretap"
								  : "gretap",
				  ip_addr_str(&a->gre.local, l, sizeof(l)),
				  ip_addr_str(&a->gre.remote, r, sizeof(r)));
			if (a->gre.key)
				sb_printf(sb, " ikey %u okey %u", a->gre.ikey,
					  a->gre.okey);
			if (a->gre.seq)
				sb_puts(sb, " iseq oseq");
			sb_puts(sb, "\n");
			break;
		}
		case ACT_L2TP_TUNNEL_ADD:
			print_l2tp_tunnel(sb, a);
			break;
		case ACT_L2TP_SESSION_ADD:
			print_l2tp_session(sb, a);
			break;
		case ACT_LINK_MASTER:
			print_ip(sb, a);
			sb_printf(sb, "link set %s master %s\n", a->ifname,
				  a->target);
			break;
		case ACT_ROUTE_ADD: {
			char gw[64];

			print_ip(sb, a);
			sb_printf(sb, "route add %s via %s\n",
				  a->addr.family ? ip_prefix_str(&a->addr, buf,
								 sizeof(buf))
						 : "default",
				  ip_addr_str(&a->gw, gw, sizeof(gw)));
			break;
		}
		}
	}
}

int journal_parse(char *line, struct jline *j)
{
	char *f[4];
	int n = 0;

	f[n++] = line;
	for (char *p = line; *p; p++)
		if (*p == ' ') {
			if (n == 4)
				return -EINVAL;
			*p = '\0';
			f[n++] = p + 1;
		}
	if (n == 2 && !strcmp(f[0], "netns")) {
		j->kind = J_NETNS;
		j->ns = j->obj = f[1];
		return host_name_valid(f[1], NETNS_NAME_MAX - 1) ? 0 : -EINVAL;
	}
	if (n != 3)
		return -EINVAL;
	j->ns = strcmp(f[1], "-") ? f[1] : NULL;
	if (j->ns && !host_name_valid(j->ns, NETNS_NAME_MAX - 1))
		return -EINVAL;
	j->obj = f[2];
	if (!strcmp(f[0], "link")) {
		j->kind = J_LINK;
		return host_name_valid(f[2], IFNAMSIZ - 1) ? 0 : -EINVAL;
	}
	if (!strcmp(f[0], "l2tp")) {
		j->kind = J_L2TP;
		return parse_uint(f[2], 1, UINT32_MAX, &j->id);
	}
	return -EINVAL;
}

/*
 * Append a line; *at gets the journal's length before it, so that a record
 * of an object that turned out not to be ours (EEXIST: someone else made it
 * between our check and our create) can be taken back (journal_unappend).
 */
static int journal_append(const char *path, off_t *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int journal_append(const char *path, off_t *at, const char *fmt, ...)
{
	char line[256], copy[256];
	struct jline j;
	va_list ap;
	int fd = -1, ret = 0, n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || n >= (int)sizeof(line))
		return -ENAMETOOLONG;
	/* only what journal_teardown reads back exactly is written */
	memcpy(copy, line, n + 1);
	if (n < 2 || copy[n - 1] != '\n')
		return -EINVAL;
	copy[n - 1] = '\0';
	if (journal_parse(copy, &j))
		return -EINVAL;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	*at = lseek(fd, 0, SEEK_END);
	if (*at < 0 || write(fd, line, n) != n || fdatasync(fd) < 0)
		ret = -errno ? -errno : -EIO;
	close(fd);
	return ret;
}

/* forget the line appended at `at`: the object is not ours */
static void journal_unappend(const char *path, off_t at)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (ftruncate(fd, at) == 0)
		fdatasync(fd);
	close(fd);
}

/*
 * Namespaces umnet made are shared: STATE_ROOT/.netns/NAME lists the
 * journals (one path per line) of the nodes and labs using it, under the
 * "netns" lock. The one that made it is a user like the others; the last
 * user's teardown removes it. A namespace without such a file is not
 * umnet's (the user's own) and is never removed.
 */
static int users_path(const char *ns, char *out, size_t len, bool mkdirs)
{
	char root[PATH_MAX];
	int ret, n;

	ret = state_root(root, sizeof(root));
	if (ret)
		return ret;
	n = snprintf(out, len, "%s/.netns", root);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	if (mkdirs && (ret = mkdir_p(out, 0700)))
		return ret;
	n = snprintf(out, len, "%s/.netns/%s", root, ns);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* the users of ns without `drop`, plus `add`; written atomically */
static int users_update(const char *path, const char *data, const char *drop,
			const char *add, int *left)
{
	struct strbuf sb = { 0 };
	char tmp[PATH_MAX + 8];
	const char *p = data ? data : "";
	int ret = 0;

	*left = 0;
	while (*p) {
		size_t l = strcspn(p, "\n");

		if (l && !(drop && strlen(drop) == l && !strncmp(p, drop, l)) &&
		    !(add && strlen(add) == l && !strncmp(p, add, l))) {
			sb_printf(&sb, "%.*s\n", (int)l, p);
			(*left)++;
		}
		p += l + (p[l] == '\n');
	}
	if (add) {
		sb_printf(&sb, "%s\n", add);
		(*left)++;
	}
	if (sb.oom) {
		ret = -ENOMEM;
		goto cleanup;
	}
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	ret = write_file(tmp, sb.buf ? sb.buf : "", sb.len, 0600);
	if (!ret && rename(tmp, path) < 0)
		ret = -errno;
	if (ret)
		unlink(tmp);
cleanup:
	sb_free(&sb);
	return ret;
}

static bool users_has(const char *data, const char *who)
{
	size_t n = strlen(who);
	const char *p = data;

	while (p && *p) {
		if (!strncmp(p, who, n) && (p[n] == '\n' || !p[n]))
			return true;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

static int netns_lock(struct err *e)
{
	return name_lock("netns", "users", "changing namespace users", 30, e);
}

static void netns_unlock(int fd)
{
	name_unlock(fd, "netns", "users", false);
}

static const char *nsname(const char *ns)
{
	return ns[0] ? ns : "the host";
}

static int fail(struct err *e, const struct action *a, struct nl *nl, int ret,
		const char *what)
{
	const char *kmsg = nl ? nl_errmsg(nl) : "";

	err_set(e, "%s: %s: %s%s%s", a->owner, what, strerror(-ret),
		kmsg[0] ? ": " : "", kmsg);
	return ret;
}

/* l2tp tunnels and sessions: generic netlink, journalled as "l2tp NS ID" */
static int apply_l2tp(const struct action *a, const char *journal,
		      struct err *e)
{
	const struct l2tp_spec *t = &a->l2tp;
	struct nl *nl = NULL;
	char what[192];
	off_t at;
	int ret;

	if (a->kind == ACT_L2TP_TUNNEL_ADD)
		snprintf(what, sizeof(what), "creating l2tp tunnel %u in %s",
			 t->tunnel_id, nsname(a->netns));
	else
		snprintf(what, sizeof(what),
			 "creating l2tp session %u (%s) in %s", t->session_id,
			 a->ifname, nsname(a->netns));
	ret = l2tp_open(&nl, a->netns[0] ? a->netns : NULL);
	if (ret == -EOPNOTSUPP)
		return err_set(e,
			       "%s: %s: this kernel has no l2tp (CONFIG_L2TP, CONFIG_L2TP_ETH; 'modprobe l2tp_eth'): use host = none and set up the far end elsewhere",
			       a->owner, what),
		       ret;
	if (ret)
		return fail(e, a, nl, ret, what);
	if (a->kind == ACT_L2TP_TUNNEL_ADD) {
		ret = journal_append(journal, &at, "l2tp %s %u\n",
				     a->netns[0] ? a->netns : "-",
				     t->tunnel_id);
		if (ret) {
			fail(e, a, NULL, ret, "writing the journal");
			goto cleanup;
		}
		ret = l2tp_tunnel_add(nl, t);
		if (ret == -EEXIST)
			journal_unappend(journal, at); /* not ours */
		if (ret == -EEXIST) {
			err_set(e,
				"%s: %s: tunnel id %u is in use (another node with the same tx_session, or a leftover: 'ip l2tp del tunnel tunnel_id %u')",
				a->owner, what, t->tunnel_id, t->tunnel_id);
			goto cleanup;
		}
	} else {
		/* removed with its tunnel */
		ret = l2tp_session_add(nl, t, a->ifname);
	}
	if (ret)
		fail(e, a, nl, ret, what);
cleanup:
	nl_close(nl);
	return ret;
}

/*
 * A namespace: made (and journalled) unless it exists. One that umnet made
 * for another node or lab is shared: we become one of its users.
 */
static int apply_netns(const struct action *a, const char *journal,
		       struct err *e)
{
	char path[PATH_MAX], what[128], *users = NULL;
	struct nl *nl = NULL;
	int lockfd, ret, left;
	bool shared;
	off_t at;

	snprintf(what, sizeof(what), "creating netns %s", a->netns);
	lockfd = netns_lock(e);
	if (lockfd < 0)
		return lockfd;
	ret = users_path(a->netns, path, sizeof(path), false);
	if (ret) {
		fail(e, a, NULL, ret, "namespace users file");
		goto cleanup;
	}
	ret = read_file(path, &users, NULL);
	if (ret && ret != -ENOENT) {
		fail(e, a, NULL, ret, path);
		goto cleanup;
	}
	shared = !ret;
	ret = 0;
	if (!shared && netns_exists(a->netns))
		goto cleanup; /* the user's own: not ours */
	/* journal, then the users file, then the namespace */
	ret = journal_append(journal, &at, "netns %s\n", a->netns);
	if (ret) {
		fail(e, a, NULL, ret, "writing the journal");
		goto cleanup;
	}
	ret = users_path(a->netns, path, sizeof(path), true);
	if (!ret)
		ret = users_update(path, users, NULL, journal, &left);
	if (ret) {
		journal_unappend(journal, at);
		fail(e, a, NULL, ret, path);
		goto cleanup;
	}
	if (shared && netns_exists(a->netns))
		goto cleanup;
	ret = netns_add(a->netns);
	if (ret == -EEXIST) {
		/* made by someone else since: theirs, not ours */
		if (!shared) {
			unlink(path);
			*strrchr(path, '/') = '\0';
			rmdir(path); /* when empty */
		} else
			users_update(path, users, journal, NULL, &left);
		journal_unappend(journal, at);
		ret = 0;
		goto cleanup;
	}
	if (ret) {
		fail(e, a, NULL, ret, what);
		goto cleanup;
	}
	/* a namespace we made gets a working loopback */
	ret = nl_open(&nl, a->netns);
	if (!ret)
		ret = link_set_up(nl, "lo", true);
	if (ret)
		fail(e, a, nl, ret, "setting lo up in the new netns");
cleanup:
	nl_close(nl);
	free(users);
	netns_unlock(lockfd);
	return ret;
}

/* teardown of a "netns NAME" line: leave it while others use it */
static int netns_release(const char *ns, const char *journal, struct err *e)
{
	char path[PATH_MAX], *users = NULL;
	int lockfd, ret, left = 0;

	lockfd = netns_lock(e);
	if (lockfd < 0)
		return lockfd;
	ret = users_path(ns, path, sizeof(path), false);
	if (!ret)
		ret = read_file(path, &users, NULL);
	if (ret == -ENOENT) {
		ret = 0; /* not umnet's: never ours to remove */
		goto cleanup;
	}
	if (ret) {
		err_set(e, "netns %s: users file: %s", ns, strerror(-ret));
		goto cleanup;
	}
	/* listed, or an empty list left by an interrupted removal */
	if (users[0] && !users_has(users, journal))
		goto cleanup;
	ret = users_update(path, users, journal, NULL, &left);
	if (ret) {
		err_set(e, "%s: %s", path, strerror(-ret));
		goto cleanup;
	}
	if (left)
		goto cleanup;
	ret = netns_del(ns);
	if (ret == -ENOENT)
		ret = 0;
	if (ret) {
		err_set(e, "removing netns %s: %s", ns, strerror(-ret));
		goto cleanup;
	}
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path); /* when empty */
cleanup:
	free(users);
	netns_unlock(lockfd);
	return ret;
}

static int apply_one(const struct action *a, const char *journal, struct err *e)
{
	struct nl *nl = NULL;
	char what[192];
	off_t at;
	int ret;

	if (a->kind == ACT_NETNS_ADD)
		return apply_netns(a, journal, e);

	if (a->kind == ACT_L2TP_TUNNEL_ADD || a->kind == ACT_L2TP_SESSION_ADD)
		return apply_l2tp(a, journal, e);

	ret = nl_open(&nl, a->netns[0] ? a->netns : NULL);
	if (ret) {
		snprintf(what, sizeof(what), "opening netlink in %s",
			 nsname(a->netns));
		return fail(e, a, NULL, ret, what);
	}
	switch (a->kind) {
	case ACT_VETH_ADD:
	case ACT_TAP_ADD:
	case ACT_GRETAP_ADD:
		snprintf(what, sizeof(what), "creating %s %s in %s",
			 a->kind == ACT_TAP_ADD	   ? "tap"
			 : a->kind == ACT_VETH_ADD ? "veth pair"
						   : "gretap",
			 a->ifname, nsname(a->netns));
		if (link_exists(nl, a->ifname) ||
		    (a->kind == ACT_VETH_ADD && link_exists(nl, a->peer))) {
			err_set(e,
				"%s: %s: an interface named %s already exists (another node, or a leftover: remove it with 'ip link del %s' or choose another name)",
				a->owner, what,
				link_exists(nl, a->ifname) ? a->ifname
							   : a->peer,
				link_exists(nl, a->ifname) ? a->ifname
							   : a->peer);
			ret = -EEXIST;
			goto cleanup;
		}
		ret = journal_append(journal, &at, "link %s %s\n",
				     a->netns[0] ? a->netns : "-", a->ifname);
		if (ret) {
			fail(e, a, NULL, ret, "writing the journal");
			goto cleanup;
		}
		if (a->kind == ACT_VETH_ADD)
			ret = link_add_veth(nl, a->ifname, a->peer);
		else if (a->kind == ACT_GRETAP_ADD)
			ret = link_add_gretap(nl, a->ifname, &a->gre);
		else
			ret = tap_add(nl, a->ifname, a->uid, a->gid);
		if (ret == -EEXIST)
			journal_unappend(journal, at); /* a racer's: not ours */
		if (ret == -EOPNOTSUPP && a->kind == ACT_GRETAP_ADD) {
			err_set(e,
				"%s: %s: this kernel has no gretap devices (CONFIG_NET_IPGRE; 'modprobe ip_gre'): use host = none and set up the far end elsewhere",
				a->owner, what);
			goto cleanup;
		}
		break;
	case ACT_LINK_NETNS:
		snprintf(what, sizeof(what), "moving %s into netns %s",
			 a->ifname, a->target);
		ret = journal_append(journal, &at, "link %s %s\n", a->target,
				     a->ifname);
		if (ret) {
			fail(e, a, NULL, ret, "writing the journal");
			goto cleanup;
		}
		ret = link_set_netns(nl, a->ifname, a->target);
		/* not moved: a link of that name in target is not ours */
		if (ret)
			journal_unappend(journal, at);
		break;
	case ACT_ADDR_ADD: {
		char buf[64];

		snprintf(what, sizeof(what), "adding %s to %s in %s",
			 ip_prefix_str(&a->addr, buf, sizeof(buf)), a->ifname,
			 nsname(a->netns));
		ret = addr_add(nl, a->ifname, &a->addr);
		break;
	}
	case ACT_LINK_UP:
		snprintf(what, sizeof(what), "setting %s up in %s", a->ifname,
			 nsname(a->netns));
		ret = link_set_up(nl, a->ifname, true);
		break;
	case ACT_LINK_MASTER:
		snprintf(what, sizeof(what), "putting %s into bridge %s in %s",
			 a->ifname, a->target, nsname(a->netns));
		if (!link_exists(nl, a->target)) {
			err_set(e,
				"%s: %s: there is no interface %s in %s: create the bridge first (ip link add %s type bridge)",
				a->owner, what, a->target, nsname(a->netns),
				a->target);
			ret = -ENODEV;
			goto cleanup;
		}
		ret = link_set_master(nl, a->ifname, a->target);
		break;
	case ACT_ROUTE_ADD: {
		char buf[64], gw[64];

		snprintf(what, sizeof(what), "adding route %s via %s in %s",
			 a->addr.family
				 ? ip_prefix_str(&a->addr, buf, sizeof(buf))
				 : "default",
			 ip_addr_str(&a->gw, gw, sizeof(gw)), nsname(a->netns));
		ret = route_add(nl, a->addr.family ? &a->addr : NULL, &a->gw,
				NULL);
		break;
	}
	default:
		ret = -EINVAL;
		snprintf(what, sizeof(what), "unknown action");
	}
	if (ret)
		fail(e, a, nl, ret, what);
cleanup:
	nl_close(nl);
	return ret;
}

int plan_apply(const struct plan *plan, enum plan_phase phase,
	       const char *journal_path, struct err *e)
{
	int i, ret;

	for (i = 0; i < plan->n; i++) {
		if (plan->acts[i].phase != phase)
			continue;
		ret = apply_one(&plan->acts[i], journal_path, e);
		if (ret)
			return ret;
	}
	return 0;
}

static int del_link(const char *ns, const char *ifname)
{
	struct nl *nl = NULL;
	int ret;

	if (ns && !netns_exists(ns))
		return 0; /* gone with its namespace */
	ret = nl_open(&nl, ns);
	if (ret)
		return ret;
	ret = link_del(nl, ifname);
	if (ret == -ENODEV || ret == -ENOENT)
		ret = 0;
	nl_close(nl);
	return ret;
}

static int del_l2tp(const char *ns, unsigned long tid)
{
	struct nl *nl = NULL;
	int ret;

	if (ns && !netns_exists(ns))
		return 0; /* gone with its namespace */
	ret = l2tp_open(&nl, ns);
	if (ret == -EOPNOTSUPP)
		return 0; /* no l2tp: it was never made */
	if (!ret)
		ret = l2tp_tunnel_del(nl, tid);
	if (ret == -ENOENT || ret == -ENODEV)
		ret = 0;
	nl_close(nl);
	return ret;
}

int journal_teardown(const char *journal_path, struct err *e)
{
	char *data = NULL, **lines = NULL, *p;
	int n = 0, i, ret = 0;
	size_t len = 0;

	ret = read_file(journal_path, &data, &len);
	if (ret == -ENOENT)
		return 0;
	if (ret) {
		err_set(e, "%s: %s", journal_path, strerror(-ret));
		return ret;
	}
	for (p = data; *p; p++)
		n += *p == '\n';
	lines = calloc(n + 1, sizeof(*lines));
	if (!lines) {
		free(data);
		return err_set(e, "out of memory"), -ENOMEM;
	}
	/*
	 * Line i + 1 is lines[i]. A last line without its '\n' is an append
	 * that failed: its object was never made, so it is not acted on.
	 */
	for (n = 0, p = data; *p; n++) {
		char *nl = strchr(p, '\n');

		if (!nl)
			break;
		*nl = '\0';
		lines[n] = p;
		p = nl + 1;
	}
	for (i = n - 1; i >= 0; i--) {
		char shown[160], buf[256];
		struct jline j;
		int r = 0;

		if (strscpy(buf, lines[i], sizeof(buf)) ||
		    journal_parse(buf, &j)) {
			err_set(e,
				"%s:%d: not a journal line (\"%s\"): not acted on; what it recorded, if anything, must be removed by hand",
				journal_path, i + 1,
				str_escape(lines[i], shown, sizeof(shown)));
			r = -EINVAL;
		} else if (j.kind == J_NETNS) {
			r = netns_release(j.ns, journal_path, e);
		} else if (j.kind == J_L2TP) {
			r = del_l2tp(j.ns, j.id);
			if (r)
				err_set(e, "removing l2tp tunnel %lu in %s: %s",
					j.id, j.ns ? j.ns : "the host",
					strerror(-r));
		} else {
			r = del_link(j.ns, j.obj);
			if (r)
				err_set(e, "removing link %s in %s: %s", j.obj,
					j.ns ? j.ns : "the host", strerror(-r));
		}
		if (r && !ret)
			ret = r;
	}
	free(lines);
	free(data);
	return ret;
}
