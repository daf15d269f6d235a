// SPDX-License-Identifier: GPL-2.0
/*
 * The host plan: one entry per action kind in plan_actions[] (iproute2
 * link_util style) says how the action prints as an ip(8) command, how it is
 * applied (journalled first, see plan_journal.c) and how teardown undoes
 * what it made. Namespaces are in plan_netns.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "plan_int.h"

/* the most actions a plan grows by at first */
#define PLAN_INITIAL_CAP 16

int plan_add(struct plan *plan, const struct action *a)
{
	if (plan->n == plan->cap) {
		int cap = plan->cap ? plan->cap * 2 : PLAN_INITIAL_CAP;
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

const char *plan_nsname(const char *ns)
{
	return ns[0] ? ns : "the host";
}

int plan_fail(struct err *e, const struct action *a, struct nl *nl, int ret,
	      const char *what)
{
	const char *kmsg = nl ? nl_errmsg(nl) : "";

	return errf(e, ret, "%s: %s: %s%s%s", a->owner, what, strerror(-ret),
		    kmsg[0] ? ": " : "", kmsg);
}

/* "ip " or "ip -n NS " */
static void print_ip(struct strbuf *sb, const struct action *a)
{
	sb_puts(sb, "ip ");
	if (a->netns[0])
		sb_printf(sb, "-n %s ", a->netns);
}

static void print_hex(struct strbuf *sb, const uint8_t *b, int n)
{
	int i;

	for (i = 0; i < n; i++)
		sb_printf(sb, "%02x", b[i]);
}

/* "default" or the prefix */
static const char *route_dst(const struct action *a, char *buf, size_t len)
{
	return a->addr.family ? ip_prefix_str(&a->addr, buf, len) : "default";
}

static void print_netns(const struct action *a, struct strbuf *sb)
{
	sb_printf(sb, "ip netns add %s\n", a->netns);
}

static void print_veth(const struct action *a, struct strbuf *sb)
{
	print_ip(sb, a);
	sb_printf(sb, "link add %s type veth peer name %s\n", a->ifname,
		  a->peer);
}

static void print_tap(const struct action *a, struct strbuf *sb)
{
	print_ip(sb, a);
	sb_printf(sb, "tuntap add dev %s mode tap user %u group %u\n",
		  a->ifname, (unsigned)a->uid, (unsigned)a->gid);
}

static void print_move(const struct action *a, struct strbuf *sb)
{
	print_ip(sb, a);
	sb_printf(sb, "link set %s netns %s\n", a->ifname, a->target);
}

static void print_addr(const struct action *a, struct strbuf *sb)
{
	char buf[64];

	print_ip(sb, a);
	sb_printf(sb, "addr add %s dev %s\n",
		  ip_prefix_str(&a->addr, buf, sizeof(buf)), a->ifname);
}

static void print_up(const struct action *a, struct strbuf *sb)
{
	print_ip(sb, a);
	sb_printf(sb, "link set %s up\n", a->ifname);
}

static void print_route(const struct action *a, struct strbuf *sb)
{
	char buf[64], gw[64];

	print_ip(sb, a);
	sb_printf(sb, "route add %s via %s\n", route_dst(a, buf, sizeof(buf)),
		  ip_addr_str(&a->gw, gw, sizeof(gw)));
}

static void print_master(const struct action *a, struct strbuf *sb)
{
	print_ip(sb, a);
	sb_printf(sb, "link set %s master %s\n", a->ifname, a->target);
}

static void print_gretap(const struct action *a, struct strbuf *sb)
{
	char l[64], r[64];

	print_ip(sb, a);
	sb_printf(sb, "link add %s type %s local %s remote %s", a->ifname,
		  a->gre.local.family == AF_INET6 ? "ip6gretap" : "gretap",
		  ip_addr_str(&a->gre.local, l, sizeof(l)),
		  ip_addr_str(&a->gre.remote, r, sizeof(r)));
	if (a->gre.key)
		sb_printf(sb, " ikey %u okey %u", a->gre.ikey, a->gre.okey);
	if (a->gre.seq)
		sb_puts(sb, " iseq oseq");
	sb_puts(sb, "\n");
}

static void print_l2tp_tunnel(const struct action *a, struct strbuf *sb)
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

static void print_l2tp_session(const struct action *a, struct strbuf *sb)
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

/* rtnetlink in the action's namespace */
static int open_nl(const struct action *a, struct nl **nl, struct err *e)
{
	char what[PLAN_WHAT_MAX];
	int ret = nl_open(nl, a->netns[0] ? a->netns : NULL);

	if (!ret)
		return 0;
	snprintf(what, sizeof(what), "opening netlink in %s",
		 plan_nsname(a->netns));
	return plan_fail(e, a, NULL, ret, what);
}

/*
 * "link NS IFNAME", before the link is made or moved into NS. A link made
 * where we run is journalled with the name of that namespace when it has
 * one, so that a `down` run from elsewhere removes it all the same; "-"
 * is the host's (or an unnamed one).
 */
static const char *journal_ns(const char *ns, char here[NETNS_NAME_MAX])
{
	if (ns[0])
		return ns;
	if (netns_current(here, NETNS_NAME_MAX))
		strcpy(here, "-");
	return here;
}

static int journal_link(const struct action *a, const char *journal,
			const char *ns, off_t *at, struct err *e)
{
	char here[NETNS_NAME_MAX];
	int ret;

	ret = journal_append(journal, at, "link %s %s\n", journal_ns(ns, here),
			     a->ifname);

	if (ret)
		plan_fail(e, a, NULL, ret, "writing the journal");
	return ret;
}

/* a body of with_nl: it names the action in e when it fails */
typedef int nl_body(const struct action *a, struct nl *nl, const char *journal,
		    struct err *e);

/* run body with rtnetlink open in the action's namespace */
static int with_nl(const struct action *a, const char *journal, struct err *e,
		   nl_body *body)
{
	struct nl *nl = NULL;
	int ret;

	ret = open_nl(a, &nl, e);
	if (!ret)
		ret = body(a, nl, journal, e);
	nl_close(nl);
	return ret;
}

/* a veth pair, tap or gretap */
static int link_body(const struct action *a, struct nl *nl, const char *journal,
		     struct err *e)
{
	const char *name = plan_actions[a->kind].name, *dup = NULL;
	char what[PLAN_WHAT_MAX];
	off_t at;
	int ret;

	snprintf(what, sizeof(what), "creating %s %s in %s", name, a->ifname,
		 plan_nsname(a->netns));
	if (link_exists(nl, a->ifname))
		dup = a->ifname;
	else if (a->kind == ACT_VETH_ADD && link_exists(nl, a->peer))
		dup = a->peer;
	if (dup)
		return errf(
			e, -EEXIST,
			"%s: %s: an interface named %s already exists (another node, or a leftover: remove it with 'ip link del %s' or choose another name)",
			a->owner, what, dup, dup);
	ret = journal_link(a, journal, a->netns, &at, e);
	if (ret)
		return ret;
	if (a->kind == ACT_VETH_ADD)
		ret = link_add_veth(nl, a->ifname, a->peer);
	else if (a->kind == ACT_GRETAP_ADD)
		ret = link_add_gretap(nl, a->ifname, &a->gre);
	else
		ret = tap_add(nl, a->ifname, a->uid, a->gid);
	if (ret == -EEXIST)
		journal_unappend(journal, at); /* a racer's: not ours */
	if (ret == -EOPNOTSUPP && a->kind == ACT_GRETAP_ADD)
		ret = errf(
			e, ret,
			"%s: %s: this kernel has no gretap devices (CONFIG_NET_IPGRE; 'modprobe ip_gre'): use host = none and set up the far end elsewhere",
			a->owner, what);
	else if (ret)
		plan_fail(e, a, nl, ret, what);
	return ret;
}

static int apply_link(const struct action *a, const char *journal,
		      struct err *e)
{
	return with_nl(a, journal, e, link_body);
}

/* a second "link TARGET IFNAME" line: found wherever it ended up */
static int move_body(const struct action *a, struct nl *nl, const char *journal,
		     struct err *e)
{
	char what[PLAN_WHAT_MAX];
	off_t at;
	int ret;

	snprintf(what, sizeof(what), "moving %s into netns %s", a->ifname,
		 a->target);
	ret = journal_link(a, journal, a->target, &at, e);
	if (ret)
		return ret;
	ret = link_set_netns(nl, a->ifname, a->target);
	/* not moved: a link of that name in target is not ours */
	if (ret) {
		journal_unappend(journal, at);
		plan_fail(e, a, nl, ret, what);
	}
	return ret;
}

static int apply_move(const struct action *a, const char *journal,
		      struct err *e)
{
	return with_nl(a, journal, e, move_body);
}

/* the actions that configure a link made before: nothing to journal */
static int config_body(const struct action *a, struct nl *nl,
		       const char *journal, struct err *e)
{
	const char *ns = plan_nsname(a->netns);
	char what[PLAN_WHAT_MAX], buf[64], gw[64];
	int ret;

	(void)journal;
	switch (a->kind) {
	case ACT_ADDR_ADD:
		snprintf(what, sizeof(what), "adding %s to %s in %s",
			 ip_prefix_str(&a->addr, buf, sizeof(buf)), a->ifname,
			 ns);
		ret = addr_add(nl, a->ifname, &a->addr);
		break;
	case ACT_LINK_UP:
		snprintf(what, sizeof(what), "setting %s up in %s", a->ifname,
			 ns);
		ret = link_set_up(nl, a->ifname, true);
		break;
	case ACT_LINK_MASTER:
		snprintf(what, sizeof(what), "putting %s into bridge %s in %s",
			 a->ifname, a->target, ns);
		if (!link_exists(nl, a->target))
			return errf(
				e, -ENODEV,
				"%s: %s: there is no interface %s in %s: create the bridge first (ip link add %s type bridge)",
				a->owner, what, a->target, ns, a->target);
		ret = link_set_master(nl, a->ifname, a->target);
		break;
	default: /* ACT_ROUTE_ADD */
		snprintf(what, sizeof(what), "adding route %s via %s in %s",
			 route_dst(a, buf, sizeof(buf)),
			 ip_addr_str(&a->gw, gw, sizeof(gw)), ns);
		ret = route_add(nl, a->addr.family ? &a->addr : NULL, &a->gw,
				NULL);
	}
	if (ret)
		plan_fail(e, a, nl, ret, what);
	return ret;
}

static int apply_config(const struct action *a, const char *journal,
			struct err *e)
{
	return with_nl(a, journal, e, config_body);
}

/* l2tp tunnels and sessions: generic netlink, journalled as "l2tp NS ID" */
static int apply_l2tp(const struct action *a, const char *journal,
		      struct err *e)
{
	const struct l2tp_spec *t = &a->l2tp;
	struct nl *nl = NULL;
	char what[PLAN_WHAT_MAX], here[NETNS_NAME_MAX];
	off_t at;
	int ret;

	if (a->kind == ACT_L2TP_TUNNEL_ADD)
		snprintf(what, sizeof(what), "creating l2tp tunnel %u in %s",
			 t->tunnel_id, plan_nsname(a->netns));
	else
		snprintf(what, sizeof(what),
			 "creating l2tp session %u (%s) in %s", t->session_id,
			 a->ifname, plan_nsname(a->netns));
	ret = l2tp_open(&nl, a->netns[0] ? a->netns : NULL);
	if (ret == -EOPNOTSUPP)
		return errf(
			e, ret,
			"%s: %s: this kernel has no l2tp (CONFIG_L2TP, CONFIG_L2TP_ETH; 'modprobe l2tp_eth'): use host = none and set up the far end elsewhere",
			a->owner, what);
	if (ret)
		return plan_fail(e, a, nl, ret, what);
	if (a->kind == ACT_L2TP_TUNNEL_ADD) {
		ret = journal_append(journal, &at, "l2tp %s %u\n",
				     journal_ns(a->netns, here), t->tunnel_id);
		if (ret) {
			plan_fail(e, a, NULL, ret, "writing the journal");
			goto cleanup;
		}
		ret = l2tp_tunnel_add(nl, t);
		if (ret == -EEXIST) {
			journal_unappend(journal, at); /* not ours */
			errf(e, ret,
			     "%s: %s: tunnel id %u is in use (another node with the same tx_session, or a leftover: 'ip l2tp del tunnel tunnel_id %u')",
			     a->owner, what, t->tunnel_id, t->tunnel_id);
			goto cleanup;
		}
	} else {
		/* removed with its tunnel */
		ret = l2tp_session_add(nl, t, a->ifname);
	}
	if (ret)
		plan_fail(e, a, nl, ret, what);
cleanup:
	nl_close(nl);
	return ret;
}

/*
 * Undo a "link NS IFNAME" or (l2tp) an "l2tp NS ID" line, whose sessions go
 * with it: gone already, or with its namespace, is fine
 */
static int undo_nl(const struct jline *j, bool l2tp, struct err *e)
{
	struct nl *nl = NULL;
	const char *where = j->ns ? j->ns : "the host";
	int ret;

	if (j->ns && !netns_exists(j->ns))
		return 0; /* gone with its namespace */
	ret = l2tp ? l2tp_open(&nl, j->ns) : nl_open(&nl, j->ns);
	if (l2tp && ret == -EOPNOTSUPP)
		return 0; /* no l2tp: it was never made */
	if (!ret)
		ret = l2tp ? l2tp_tunnel_del(nl, j->id) : link_del(nl, j->obj);
	if (ret == -ENODEV || ret == -ENOENT)
		ret = 0;
	nl_close(nl);
	if (ret && l2tp)
		errf(e, ret, "removing l2tp tunnel %lu in %s: %s", j->id, where,
		     strerror(-ret));
	else if (ret)
		errf(e, ret, "removing link %s in %s: %s", j->obj, where,
		     strerror(-ret));
	return ret;
}

static int undo_link(const struct jline *j, const char *journal, struct err *e)
{
	(void)journal;
	return undo_nl(j, false, e);
}

static int undo_l2tp(const struct jline *j, const char *journal, struct err *e)
{
	(void)journal;
	return undo_nl(j, true, e);
}

/* clang-format off */
const struct action_ops plan_actions[] = {
	/*                       name            print               apply             jkind    undo */
	[ACT_NETNS_ADD]        = { "netns",        print_netns,        plan_apply_netns, J_NETNS, plan_undo_netns },
	[ACT_VETH_ADD]         = { "veth pair",    print_veth,         apply_link,       J_LINK,  undo_link },
	[ACT_TAP_ADD]          = { "tap",          print_tap,          apply_link,       J_LINK,  undo_link },
	[ACT_GRETAP_ADD]       = { "gretap",       print_gretap,       apply_link,       J_LINK,  undo_link },
	[ACT_LINK_NETNS]       = { "move",         print_move,         apply_move,       J_LINK,  undo_link },
	[ACT_L2TP_TUNNEL_ADD]  = { "l2tp tunnel",  print_l2tp_tunnel,  apply_l2tp,       J_L2TP,  undo_l2tp },
	/* nothing of their own to undo: they go with their link or tunnel */
	[ACT_L2TP_SESSION_ADD] = { "l2tp session", print_l2tp_session, apply_l2tp,       0,       NULL },
	[ACT_ADDR_ADD]         = { "address",      print_addr,         apply_config,     0,       NULL },
	[ACT_LINK_UP]          = { "up",           print_up,           apply_config,     0,       NULL },
	[ACT_ROUTE_ADD]        = { "route",        print_route,        apply_config,     0,       NULL },
	[ACT_LINK_MASTER]      = { "master",       print_master,       apply_config,     0,       NULL },
	/* a lab's NAT (labnat.c): journalled there, never planned */
	[ACT_NFT_TABLE]        = { "nft table",    NULL,               NULL,             J_NFT,   plan_undo_nft },
	[ACT_IP_FORWARD]       = { "ip_forward",   NULL,               NULL,             J_IPFWD, plan_undo_ipfwd },
};
/* clang-format on */

static const struct action_ops *ops_of(enum action_kind k)
{
	return (unsigned)k < ARRAY_SIZE(plan_actions) && plan_actions[k].apply
		       ? &plan_actions[k]
		       : NULL;
}

void plan_print(const struct plan *plan, struct strbuf *sb)
{
	int i;

	for (i = 0; i < plan->n; i++) {
		const struct action *a = &plan->acts[i];
		const struct action_ops *ops = ops_of(a->kind);

		if (a->phase == PHASE_POST_BOOT)
			sb_puts(sb, "# after the node has started:\n");
		if (ops)
			ops->print(a, sb);
	}
}

int plan_apply(const struct plan *plan, enum plan_phase phase,
	       const char *journal_path, struct err *e)
{
	int i, ret;

	for (i = 0; i < plan->n; i++) {
		const struct action *a = &plan->acts[i];
		const struct action_ops *ops = ops_of(a->kind);

		if (a->phase != phase)
			continue;
		ret = ops ? ops->apply(a, journal_path, e)
			  : plan_fail(e, a, NULL, -EINVAL, "unknown action");
		if (ret)
			return ret;
	}
	return 0;
}

int plan_undo(const struct jline *j, const char *journal, struct err *e)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(plan_actions); i++)
		if (plan_actions[i].undo &&
		    plan_actions[i].jkind == (int)j->kind)
			return plan_actions[i].undo(j, journal, e);
	return errf(e, -EINVAL,
		    "%s: no action undoes a journal line of kind %d", journal,
		    (int)j->kind);
}
