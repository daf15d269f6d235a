// SPDX-License-Identifier: GPL-2.0
/*
 * A node's cgroup in the unified (v2) hierarchy: <top or our delegated
 * cgroup>/umnet/NAME with the memory and pids controllers (see cgroup.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cgroup_int.h"

/* how often the parent is made again when a racing teardown removed it */
#define CGROUP_V2_PARENT_TRIES 3
/* a pid, as cgroup.procs lists it */
#define PID_LINE_MAX 32

/*
 * The "no internal processes" rule: controllers can be enabled for the
 * children of a (non-root) cgroup only while it holds no process. When we
 * are the only process in it (`systemd-run --user --scope -p Delegate=yes
 * umnet ...`), move ourselves into a leaf "umnet-cli" next to the nodes.
 */
static int move_self_to_leaf(const char *dir)
{
	char path[PATH_MAX], line[PID_LINE_MAX], leaf[PATH_MAX];
	bool alone = true;
	FILE *f;
	int ret;

	ret = path_fmt(path, sizeof(path), "%s/cgroup.procs", dir);
	if (ret)
		return ret;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (atoi(line) != getpid())
			alone = false;
	fclose(f);
	if (!alone)
		return -EBUSY;
	ret = path_fmt(leaf, sizeof(leaf), "%s/umnet-cli", dir);
	if (ret)
		return ret;
	if (mkdir(leaf, 0755) < 0 && errno != EEXIST)
		return -errno;
	snprintf(line, sizeof(line), "%d", (int)getpid());
	return cg_write(leaf, "cgroup.procs", line);
}

int cgroup_try_v2(const struct mounts *m, const char *name,
		  unsigned long long mem, unsigned long long pids,
		  struct cgroup *cg, struct err *e)
{
	char parent[CGROUP_PATH_MAX], leaf[CGROUP_PATH_MAX];
	char ctls[CGROUP_PATH_MAX];
	int ret, tries;

	if (!m->v2[0])
		return -ENOENT;
	if (cg_read(m->v2, "cgroup.controllers", ctls, sizeof(ctls)) < 0 ||
	    !has_opt(ctls, "memory") || !has_opt(ctls, "pids"))
		return -ENOENT; /* hybrid host: v2 without the controllers */
	/* root: the top of the hierarchy; a user: its delegated cgroup */
	ret = path_fmt(parent, sizeof(parent), "%s%s", m->v2,
		       geteuid() == 0 || !strcmp(m->own_v2, "/") ? ""
								 : m->own_v2);
	if (ret)
		return ret;
	if (access(parent, W_OK) < 0)
		return -errno;
	ret = cg_write(parent, "cgroup.subtree_control", "+memory +pids");
	if (ret == -EBUSY && !move_self_to_leaf(parent))
		ret = cg_write(parent, "cgroup.subtree_control",
			       "+memory +pids");
	if (ret)
		return ret; /* -EBUSY: processes in parent, see cgroup.h */
	if (path_append(parent, sizeof(parent), "/umnet") ||
	    path_fmt(leaf, sizeof(leaf), "%s/%s", parent, name))
		return -ENAMETOOLONG;
	for (tries = 0;; tries++) {
		ret = make_leaf(parent, leaf, e);
		if (ret)
			return ret;
		/* the parent may be new: enable the controllers for leaf */
		ret = cg_write(parent, "cgroup.subtree_control",
			       "+memory +pids");
		if (ret != -ENOENT || tries == CGROUP_V2_PARENT_TRIES)
			break;
	}
	if (ret) {
		rmdir(leaf);
		return ret;
	}
	cg->kind = CGROUP_V2;
	ret = add_dir(cg, "unified", leaf);
	if (ret)
		return ret;
	if (mem) {
		ret = cg_limit(leaf, "memory.max", mem, e);
		if (ret)
			return ret;
		cg_write(leaf, "memory.swap.max", "0"); /* may lack */
	}
	if (pids)
		return cg_limit(leaf, "pids.max", pids, e);
	return 0;
}
