/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A cgroup per node: memory and pid limits, and teardown that nothing
 * escapes. Where it is made:
 *  - cgroup v2 with the memory and pids controllers: as root
 *    <mount>/umnet/NAME (the top of the unified hierarchy, or of the cgroup
 *    namespace); unprivileged, in a delegated subtree: <own cgroup>/umnet/NAME
 *    when our own cgroup (from /proc/self/cgroup) is writable by us, e.g. a
 *    systemd user service with Delegate=yes. "+memory +pids" are enabled in
 *    each parent's cgroup.subtree_control; a parent that holds processes
 *    cannot do that (the "no internal processes" rule): when umnet is the
 *    only process there it moves itself into a leaf <parent>/umnet-cli,
 *    else kind is none. (The v2 paths are untested on the v1 CI hosts.)
 *  - cgroup v1 (hybrid hosts such as the CI machines: memory, pids and
 *    freezer hierarchies under /sys/fs/cgroup/NAME, cgroup2 with hugetlb
 *    only): <hierarchy>/<own cgroup there>/umnet/NAME in the memory, pids and
 *    (if mounted) freezer hierarchies, memory.limit_in_bytes and pids.max.
 *    Nested under our own cgroup, so limits that already apply to umnet
 *    (a CI job's) still apply to its nodes.
 *  - none: no writable cgroup (EPERM, EACCES, EROFS, ENOENT): reason says
 *    why; never fatal here, the caller decides.
 * The struct records the directories (for `umnet status --json` and, via
 * cgroup_save, the node's state for teardown after a kill -9).
 */
#ifndef UMNET_CGROUP_H
#define UMNET_CGROUP_H

#include "jail.h"
#include "util.h"

enum cgroup_kind { CGROUP_NONE, CGROUP_V2, CGROUP_V1 };

#define CGROUP_MAX_DIRS 3 /* v1: memory, pids, freezer */

struct cgroup {
	enum cgroup_kind kind;
	int ndirs;
	struct {
		char ctl[16]; /* "unified" (v2), "memory", "pids", "freezer" */
		char path[256]; /* the node's cgroup directory */
		char procs[272]; /* path + "/cgroup.procs", for the jail */
	} dir[CGROUP_MAX_DIRS];
	unsigned long long mem_max, pids_max; /* as written; 0: none */
	char reason[512]; /* kind none: why */
};

/* "v2", "v1", "none" */
const char *cgroup_kind_name(enum cgroup_kind k);

/*
 * Make the node's cgroup NAME ([A-Za-z0-9_.@-], at most 64, not starting
 * with '.') with memory.max/memory.limit_in_bytes = mem_max_bytes and
 * pids.max = pids_max (0: no limit). Returns 0 with kind v2/v1, or 0 with
 * kind none and cg->reason when the host gives us no cgroup; -errno with e
 * filled for a bad name, a cgroup of that name that still holds processes
 * (-EBUSY), or a limit the kernel refuses.
 */
int cgroup_create(const char *name, unsigned long long mem_max_bytes,
		  unsigned long long pids_max, struct cgroup *cg,
		  struct err *e);

/* the jail's cgroup_procs[] from cg (NULL entries for unused slots) */
void cgroup_jail_procs(const struct cgroup *cg,
		       const char *procs[JAIL_MAX_CGROUPS]);

/*
 * Kill every process in the cgroup: v2 cgroup.kill (5.14+, else a kill loop);
 * v1 freezes the freezer cgroup (if any) so nothing forks while we kill,
 * SIGKILLs everything in cgroup.procs, thaws, and repeats until it is empty
 * (at most ~2 s). Then cgroup_remove. 0 or -errno (-EBUSY: still not empty).
 */
int cgroup_kill(const struct cgroup *cg);

/* rmdir the node's cgroup directories, retrying briefly while busy;
 * ENOENT counts as removed */
int cgroup_remove(const struct cgroup *cg);

/* bytes in use now: memory.current (v2) or memory.usage_in_bytes (v1) */
int cgroup_memory(const struct cgroup *cg, unsigned long long *bytes);

/* a small text file (kind, limits, one "dir CTL PATH" per line), written
 * atomically; cgroup_load reads it back for teardown */
int cgroup_save(const char *path, const struct cgroup *cg, struct err *e);
int cgroup_load(const char *path, struct cgroup *cg, struct err *e);

#endif
