// SPDX-License-Identifier: GPL-2.0
/*
 * A node's cgroup in the v1 layout of hybrid hosts: one directory in each
 * of the memory, pids and (if mounted) freezer hierarchies (see cgroup.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cgroup_int.h"

const char *const cgroup_v1_ctl[CGROUP_MAX_DIRS] = { "memory", "pids",
						     "freezer" };

int cgroup_try_v1(const struct mounts *m, const char *name,
		  unsigned long long mem, unsigned long long pids,
		  struct cgroup *cg, struct err *e)
{
	char parent[CGROUP_PATH_MAX], dir[CGROUP_PATH_MAX];
	int i, ret;

	if (!m->v1[0][0] || !m->v1[1][0])
		return -ENOENT; /* memory and pids are both needed */
	for (i = 0; i < CGROUP_MAX_DIRS; i++) {
		const char *own = m->own_v1[i];

		if (!m->v1[i][0])
			continue;
		if (!strcmp(own, "/"))
			own = "";
		if (path_fmt(parent, sizeof(parent), "%s%s/umnet", m->v1[i],
			     own) ||
		    path_fmt(dir, sizeof(dir), "%s/%s", parent, name))
			return -ENAMETOOLONG;
		ret = make_leaf(parent, dir, e);
		if (ret)
			return ret;
		cg->kind = CGROUP_V1; /* from now on cgroup_remove cleans up */
		ret = add_dir(cg, cgroup_v1_ctl[i], dir);
		if (ret)
			return ret;
	}
	if (mem) {
		ret = cg_limit(cg->dir[0].path, "memory.limit_in_bytes", mem,
			       e);
		if (ret)
			return ret;
		/* memory+swap as well where swap accounting is on */
		cg_limit(cg->dir[0].path, "memory.memsw.limit_in_bytes", mem,
			 NULL);
	}
	if (pids)
		return cg_limit(cg->dir[1].path, "pids.max", pids, e);
	return 0;
}
