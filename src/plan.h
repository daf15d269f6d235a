/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host plan: the host-side objects a node needs (namespaces, veth pairs,
 * taps, addresses), as a list of actions. It is printed as ip(8) commands for
 * `umnet hostsetup --dry-run`, and applied through netstack/ by `umnet up`.
 *
 * Applying records every object in the node's journal BEFORE creating it,
 * so `journal_teardown` removes exactly what was made, after any failure or
 * kill -9, and never anything that existed before.
 */
#ifndef UMNET_PLAN_H
#define UMNET_PLAN_H

#include <net/if.h>
#include <stdbool.h>
#include <sys/types.h>

#include "netstack.h"
#include "tundev.h"
#include "util.h"

enum action_kind {
	ACT_NETNS_ADD, /* create netns (unless it exists: then it is not ours) */
	ACT_VETH_ADD, /* ifname + peer, in netns (NULL = host) */
	ACT_TAP_ADD, /* persistent tap owned by uid:gid */
	ACT_LINK_NETNS, /* move ifname from netns into target */
	ACT_ADDR_ADD, /* addr on ifname in netns */
	ACT_LINK_UP, /* set ifname up in netns */
	ACT_ROUTE_ADD, /* route addr (family 0: default) via gw in netns */
	ACT_LINK_MASTER, /* put ifname into the (existing) bridge target */
	ACT_GRETAP_ADD, /* gretap ifname (gre: the tunnel's far end) in netns */
	ACT_L2TP_TUNNEL_ADD, /* l2tp tunnel l2tp.tunnel_id in netns */
	ACT_L2TP_SESSION_ADD, /* its eth session, device ifname */
	/* journal only, never planned (labnat.c): a lab's NAT */
	ACT_NFT_TABLE, /* "nft NS|- TABLE": an nf_tables table of ours */
	ACT_IP_FORWARD, /* "ipfwd NS|- OLD": net.ipv4.ip_forward was OLD */
};

enum plan_phase {
	PHASE_PRE_BOOT, /* before UML starts */
	PHASE_POST_BOOT, /* after UML attached (e.g. moving a tap away) */
};

struct action {
	enum action_kind kind;
	enum plan_phase phase;
	char netns[64]; /* where the object is; "" = the host's netns */
	char ifname[IFNAMSIZ];
	char peer[IFNAMSIZ];
	char target[64]; /* ACT_LINK_NETNS */
	struct ip_prefix addr;
	struct ip_prefix gw;
	uid_t uid;
	gid_t gid;
	char owner[64]; /* who asked: "vec0", for error messages */
	struct gretap_spec gre; /* ACT_GRETAP_ADD */
	struct l2tp_spec l2tp; /* ACT_L2TP_* */
};

struct plan {
	struct action *acts;
	int n, cap;
};

int plan_add(struct plan *plan, const struct action *a);
void plan_free(struct plan *plan);
/* ip(8) commands, one per line, in order */
void plan_print(const struct plan *plan, struct strbuf *sb);

/*
 * Apply the actions of one phase, journalling to journal_path. On failure
 * returns -errno with e naming the action and the kernel's message; what
 * was created so far stays recorded for journal_teardown.
 */
int plan_apply(const struct plan *plan, enum plan_phase phase,
	       const char *journal_path, struct err *e);

/*
 * Remove everything the journal records, newest first. Objects already gone
 * are fine. Returns 0, or the first -errno (and e) while still trying the
 * rest.
 */
int journal_teardown(const char *journal_path, struct err *e);

/* one journal line, split: kind, ns (NULL = the host's), object */
struct jline {
	enum { J_NETNS, J_LINK, J_L2TP, J_NFT, J_IPFWD } kind;
	const char *ns;
	const char *obj;
	unsigned long id; /* J_L2TP; J_IPFWD: the old value */
};

/*
 * Parse one line (without its '\n', modified in place): exactly
 * "netns NAME", "link NS|- IFNAME", "l2tp NS|- ID", "nft NS|- TABLE" or
 * "ipfwd NS|- 0|1", fields separated by
 * one space and each a valid name or number, so that no byte of a name can
 * make teardown act on something else. 0 or -EINVAL. Pure: journal_teardown
 * and journal_append use it, the fuzzer too.
 */
int journal_parse(char *line, struct jline *j);

#endif
