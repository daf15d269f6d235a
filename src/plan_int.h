/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the host plan (plan.c, plan_journal.c, plan_netns.c): one ops
 * entry per action kind, iproute2 link_util style, and the journal helpers
 * the apply functions share.
 */
#ifndef UMNET_PLAN_INT_H
#define UMNET_PLAN_INT_H

#include "plan.h"

/* "owner: what: error": what is being done, for messages */
#define PLAN_WHAT_MAX 192

/* a journal line: "netns NAME", "link NS|- IFNAME", "l2tp NS|- ID" */
#define JOURNAL_LINE_MAX 256

struct action_ops {
	const char *name; /* "veth pair": what it makes, for messages */
	/* the ip(8) command(s), for hostsetup --dry-run */
	void (*print)(const struct action *a, struct strbuf *sb);
	/* journal, then make; on failure e names a->owner and the action */
	int (*apply)(const struct action *a, const char *journal,
		     struct err *e);
	/*
	 * The journal line kind apply records, and how teardown removes what
	 * such a line names (NULL: nothing of its own, it goes with its link
	 * or tunnel).
	 */
	int jkind;
	int (*undo)(const struct jline *j, const char *journal, struct err *e);
};

/* indexed by enum action_kind (plan.c) */
extern const struct action_ops plan_actions[];

/* where an object is, for messages: "the host" for "" */
const char *plan_nsname(const char *ns);
/* "owner: what: strerror[: kernel message]", returns ret */
int plan_fail(struct err *e, const struct action *a, struct nl *nl, int ret,
	      const char *what);

/* remove what journal line j names (the undo of the action that wrote it) */
int plan_undo(const struct jline *j, const char *journal, struct err *e);

/*
 * Append a line; *at gets the journal's length before it, so that a record
 * of an object that turned out not to be ours (EEXIST: someone else made it
 * between our check and our create) can be taken back (journal_unappend).
 */
__attribute__((format(printf, 3, 4))) int
journal_append(const char *path, off_t *at, const char *fmt, ...);
void journal_unappend(const char *path, off_t at);

/* plan_netns.c: shared namespaces */
int plan_apply_netns(const struct action *a, const char *journal,
		     struct err *e);
int plan_undo_netns(const struct jline *j, const char *journal, struct err *e);

/* labnat.c: a lab's NAT table and ip_forward */
#define NFT_NAME_MAX 32
int plan_undo_nft(const struct jline *j, const char *journal, struct err *e);
int plan_undo_ipfwd(const struct jline *j, const char *journal, struct err *e);

#endif
