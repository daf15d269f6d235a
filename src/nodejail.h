/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How a node's processes are confined (docs/security.md): which uid and
 * gid they run as, which capability they keep, what of the host's files
 * they see, their cgroup. node_jail_prepare() decides and records it in
 * the node's state dir before anything starts; the supervisor applies it
 * between fork and exec (jail.h); node_jail_release() undoes what it made.
 */
#ifndef UMNET_NODEJAIL_H
#define UMNET_NODEJAIL_H

#include <stdbool.h>

#include "cgroup.h"
#include "jail.h"
#include "model.h"
#include "node.h"
#include "util.h"

#define NODE_JAIL_MAX_BINDS 40

struct node_jail {
	bool privileged; /* umnet runs as root: own uid, mount ns, cgroup */
	unsigned int uid, gid; /* the node's; the caller's when unprivileged */
	bool net_raw; /* the node keeps CAP_NET_RAW */
	struct cgroup cg;
	char paths[NODE_JAIL_MAX_BINDS][PATH_MAX];
	char dsts[NODE_JAIL_MAX_BINDS][PATH_MAX]; /* where a bind is not src */
	struct jail_bind binds[NODE_JAIL_MAX_BINDS];
	int nbinds;
	char tmpdir[64];
	const char *env[6];
	struct jail uml; /* the UML kernel */
	struct jail aux; /* its console holder: same ids, no mounts */
};

/*
 * Allocate the node's ids (when umnet runs as root; a lab node shares the
 * gid of its lab) and set p->run_uid/run_gid, so that the host plan makes
 * the node's taps owned by it. Before profile_plan().
 */
int node_jail_ids(struct profile *p, struct node_jail *nj, struct err *e);

/*
 * Make the node's jail dir (owned by its uid), its cgroup, the list of
 * what it sees (kernel, base image, its jail dir, /dev/null, /dev/net/tun
 * for a tap, the directories of its bess sockets, a persistent disk), and
 * record all of it in np->jail. After the transports' prepare hooks.
 */
int node_jail_prepare(const struct profile *p, const struct node_paths *np,
		      const char *kernel, const char *rootfs,
		      struct node_jail *nj, struct err *e);

/* a file the node's processes must be able to use (a socket, a drive) */
int node_jail_own(const struct node_jail *nj, const char *path);

/*
 * At teardown: kill everything left in the node's cgroup, remove it, free
 * the node's ids. Safe after a failed or interrupted up.
 */
void node_jail_release(const struct node_paths *np);

/* what np->jail records, for `umnet status` */
struct node_jail_info {
	bool have;
	unsigned int uid, gid;
	char caps[64]; /* "cap_net_raw" or "" */
	bool mount_ns;
	struct cgroup cg;
};
int node_jail_info(const struct node_paths *np, struct node_jail_info *ji);

/*
 * A lab's own processes (wire keeper, switches): the lab's ids, no
 * capability, no mounts. *uid and *gid are the caller's when unprivileged.
 */
int lab_jail_ids(const char *lab, unsigned int *uid, unsigned int *gid);

#endif
