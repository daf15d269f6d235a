/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the cgroups (cgroup.c, cgroup_v2.c, cgroup_v1.c): where the
 * hierarchies are mounted, and the file helpers both layouts use.
 */
#ifndef UMNET_CGROUP_INT_H
#define UMNET_CGROUP_INT_H

#include "cgroup.h"

/* a mount point or a cgroup path, as /proc/self/{mountinfo,cgroup} give it */
#define CGROUP_PATH_MAX 256
/* "memory.max" and the like: a number */
#define CGROUP_VAL_MAX 32
/* how often a leaf is made again when a racing teardown took its parent */
#define CGROUP_MKDIR_TRIES 5

/* where each hierarchy is mounted and our cgroup in it */
struct mounts {
	char v2[CGROUP_PATH_MAX]; /* cgroup2 mount point, "" */
	char v1[CGROUP_MAX_DIRS][CGROUP_PATH_MAX]; /* memory, pids, freezer */
	char own_v2[CGROUP_PATH_MAX]; /* "0::PATH" */
	char own_v1[CGROUP_MAX_DIRS][CGROUP_PATH_MAX]; /* "N:memory:PATH" */
};

/* the v1 hierarchies, in the order of struct mounts and cg->dir */
extern const char *const cgroup_v1_ctl[CGROUP_MAX_DIRS];

/* write val to dir/file: 0 or -errno */
int cg_write(const char *dir, const char *file, const char *val);
/* write the number v to dir/file: 0, or -errno with e filled */
int cg_limit(const char *dir, const char *file, unsigned long long v,
	     struct err *e);
/* the first line of dir/file, without its newline */
int cg_read(const char *dir, const char *file, char *buf, size_t len);
/* is want one of the comma-separated opts? */
bool has_opt(const char *opts, const char *want);
/* record the node's directory of controller ctl */
int add_dir(struct cgroup *cg, const char *ctl, const char *path);
/* mkdir parent and leaf (see cgroup.c) */
int make_leaf(const char *parent, const char *leaf, struct err *e);

/*
 * Make the node's cgroup in one layout: 0, -ENOENT and the like (soft: try
 * the other) with cg->kind none, or -errno with e filled.
 */
int cgroup_try_v2(const struct mounts *m, const char *name,
		  unsigned long long mem, unsigned long long pids,
		  struct cgroup *cg, struct err *e);
int cgroup_try_v1(const struct mounts *m, const char *name,
		  unsigned long long mem, unsigned long long pids,
		  struct cgroup *cg, struct err *e);

#endif
