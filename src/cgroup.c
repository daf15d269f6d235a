// SPDX-License-Identifier: GPL-2.0
/* A cgroup per node (v2, or the v1 layout of hybrid hosts): see cgroup.h. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cgroup.h"

const char *cgroup_kind_name(enum cgroup_kind k)
{
	switch (k) {
	case CGROUP_V2:
		return "v2";
	case CGROUP_V1:
		return "v1";
	default:
		return "none";
	}
}

static int cg_write(const char *dir, const char *file, const char *val)
{
	char path[320];
	size_t len = strlen(val);
	int fd, ret = 0;

	if (snprintf(path, sizeof(path), "%s/%s", dir, file) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, val, len) != (ssize_t)len)
		ret = -errno;
	close(fd);
	return ret;
}

/* the first line of dir/file, without its newline */
static int cg_read(const char *dir, const char *file, char *buf, size_t len)
{
	char path[320];
	FILE *f;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	if (!fgets(buf, len, f))
		ret = ferror(f) ? -EIO : -ENODATA;
	else
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
	return ret;
}

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static bool name_ok(const char *n)
{
	size_t i, len = strlen(n);

	if (!len || len > 64 || n[0] == '.')
		return false;
	for (i = 0; i < len; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_.@-",
			    n[i]))
			return false;
	return true;
}

static bool soft_errno(int err)
{
	return err == EPERM || err == EACCES || err == EROFS || err == ENOENT ||
	       err == ENOTDIR;
}

/* where each hierarchy is mounted and our cgroup in it */
struct mounts {
	char v2[256]; /* cgroup2 mount point, "" */
	char v1[CGROUP_MAX_DIRS][256]; /* memory, pids, freezer */
	char own_v2[256]; /* "0::PATH" */
	char own_v1[CGROUP_MAX_DIRS][256]; /* "N:memory:PATH" ... */
};

static const char *const v1_ctl[CGROUP_MAX_DIRS] = { "memory", "pids",
						     "freezer" };

static bool has_opt(const char *opts, const char *want)
{
	size_t wl = strlen(want);
	const char *p = opts;

	while ((p = strstr(p, want))) {
		if ((p == opts || p[-1] == ',') &&
		    (p[wl] == ',' || p[wl] == '\0'))
			return true;
		p += wl;
	}
	return false;
}

static void read_mounts(struct mounts *m)
{
	char line[1024];
	FILE *f;
	int i;

	memset(m, 0, sizeof(*m));
	f = fopen("/proc/self/mountinfo", "re");
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			char mp[256], type[32], src[64], opts[512];
			char *sep = strstr(line, " - ");

			if (!sep ||
			    sscanf(line, "%*s %*s %*s %*s %255s", mp) != 1 ||
			    sscanf(sep + 3, "%31s %63s %511s", type, src,
				   opts) != 3)
				continue;
			if (!strcmp(type, "cgroup2") && !m->v2[0])
				strscpy(m->v2, mp, sizeof(m->v2));
			if (strcmp(type, "cgroup"))
				continue;
			for (i = 0; i < CGROUP_MAX_DIRS; i++)
				if (has_opt(opts, v1_ctl[i]) && !m->v1[i][0])
					strscpy(m->v1[i], mp, sizeof(m->v1[i]));
		}
		fclose(f);
	}
	f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *ctl = strchr(line, ':'), *path;

		if (!ctl)
			continue;
		path = strchr(++ctl, ':');
		if (!path)
			continue;
		*path++ = '\0';
		path[strcspn(path, "\n")] = '\0';
		if (!strcmp(line, "0:") || (!ctl[0] && line[0] == '0'))
			strscpy(m->own_v2, path, sizeof(m->own_v2));
		for (i = 0; i < CGROUP_MAX_DIRS; i++)
			if (has_opt(ctl, v1_ctl[i]))
				strscpy(m->own_v1[i], path,
					sizeof(m->own_v1[i]));
	}
	fclose(f);
}

static int add_dir(struct cgroup *cg, const char *ctl, const char *path)
{
	int i = cg->ndirs;

	if (strscpy(cg->dir[i].ctl, ctl, sizeof(cg->dir[i].ctl)) < 0 ||
	    strscpy(cg->dir[i].path, path, sizeof(cg->dir[i].path)) < 0 ||
	    snprintf(cg->dir[i].procs, sizeof(cg->dir[i].procs),
		     "%s/cgroup.procs", path) >= (int)sizeof(cg->dir[i].procs))
		return -ENAMETOOLONG;
	cg->ndirs++;
	return 0;
}

/*
 * mkdir parent (shared by all nodes, removed by the last cgroup_remove) and
 * leaf; a leftover leaf of a killed node (EEXIST) is removed first if empty.
 * ENOENT: another node's cgroup_remove took the parent away between the two
 * mkdirs: try again.
 */
static int make_leaf(const char *parent, const char *leaf, struct err *e)
{
	int tries;

	for (tries = 0; tries < 5; tries++) {
		if (mkdir(parent, 0755) < 0 && errno != EEXIST)
			return -errno;
		if (!mkdir(leaf, 0755))
			return 0;
		if (errno == ENOENT)
			continue;
		if (errno != EEXIST)
			return -errno;
		if (rmdir(leaf) < 0) {
			if (errno == EBUSY)
				return err_set(e,
					       "cgroup %s already exists and "
					       "still holds processes: take "
					       "that node down first",
					       leaf),
				       -EBUSY;
			return -errno;
		}
	}
	return -ENOENT;
}

/*
 * The "no internal processes" rule: controllers can be enabled for the
 * children of a (non-root) cgroup only while it holds no process. When we
 * are the only process in it (`systemd-run --user --scope -p Delegate=yes
 * umnet ...`), move ourselves into a leaf "umnet-cli" next to the nodes.
 */
static int move_self_to_leaf(const char *dir)
{
	char path[320], line[32], leaf[300];
	bool alone = true;
	FILE *f;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (atoi(line) != getpid())
			alone = false;
	fclose(f);
	if (!alone)
		return -EBUSY;
	if (snprintf(leaf, sizeof(leaf), "%s/umnet-cli", dir) >=
	    (int)sizeof(leaf))
		return -ENAMETOOLONG;
	if (mkdir(leaf, 0755) < 0 && errno != EEXIST)
		return -errno;
	snprintf(line, sizeof(line), "%d", (int)getpid());
	return cg_write(leaf, "cgroup.procs", line);
}

static int try_v2(const struct mounts *m, const char *name,
		  unsigned long long mem, unsigned long long pids,
		  struct cgroup *cg, struct err *e)
{
	char parent[256], leaf[256], ctls[256], val[32];
	int ret, tries;

	if (!m->v2[0])
		return -ENOENT;
	if (cg_read(m->v2, "cgroup.controllers", ctls, sizeof(ctls)) < 0 ||
	    !has_opt(ctls, "memory") || !has_opt(ctls, "pids"))
		return -ENOENT; /* hybrid host: v2 without the controllers */
	/* root: the top of the hierarchy; a user: its delegated cgroup */
	if (snprintf(parent, sizeof(parent), "%s%s", m->v2,
		     geteuid() == 0 || !strcmp(m->own_v2, "/")
			     ? ""
			     : m->own_v2) >= (int)sizeof(parent))
		return -ENAMETOOLONG;
	if (access(parent, W_OK) < 0)
		return -errno;
	ret = cg_write(parent, "cgroup.subtree_control", "+memory +pids");
	if (ret == -EBUSY && !move_self_to_leaf(parent))
		ret = cg_write(parent, "cgroup.subtree_control",
			       "+memory +pids");
	if (ret)
		return ret; /* -EBUSY: processes in parent, see cgroup.h */
	if (snprintf(parent + strlen(parent), sizeof(parent) - strlen(parent),
		     "/umnet") >= (int)(sizeof(parent) - strlen(parent)))
		return -ENAMETOOLONG;
	if (snprintf(leaf, sizeof(leaf), "%s/%s", parent, name) >=
	    (int)sizeof(leaf))
		return -ENAMETOOLONG;
	for (tries = 0;; tries++) {
		ret = make_leaf(parent, leaf, e);
		if (ret)
			return ret;
		/* the parent may be new: enable the controllers for leaf */
		ret = cg_write(parent, "cgroup.subtree_control",
			       "+memory +pids");
		if (ret != -ENOENT || tries == 3)
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
		snprintf(val, sizeof(val), "%llu", mem);
		ret = cg_write(leaf, "memory.max", val);
		if (!ret)
			cg_write(leaf, "memory.swap.max", "0"); /* may lack */
		if (ret)
			return err_set(e, "%s/memory.max: %s", leaf,
				       strerror(-ret)),
			       ret;
	}
	if (pids) {
		snprintf(val, sizeof(val), "%llu", pids);
		ret = cg_write(leaf, "pids.max", val);
		if (ret)
			return err_set(e, "%s/pids.max: %s", leaf,
				       strerror(-ret)),
			       ret;
	}
	return 0;
}

static int try_v1(const struct mounts *m, const char *name,
		  unsigned long long mem, unsigned long long pids,
		  struct cgroup *cg, struct err *e)
{
	char parent[256], dir[256], val[32];
	int i, ret;

	if (!m->v1[0][0] || !m->v1[1][0])
		return -ENOENT; /* memory and pids are both needed */
	for (i = 0; i < CGROUP_MAX_DIRS; i++) {
		const char *own = m->own_v1[i];

		if (!m->v1[i][0])
			continue;
		if (!strcmp(own, "/"))
			own = "";
		if (snprintf(parent, sizeof(parent), "%s%s/umnet", m->v1[i],
			     own) >= (int)sizeof(parent) ||
		    snprintf(dir, sizeof(dir), "%s/%s", parent, name) >=
			    (int)sizeof(dir))
			return -ENAMETOOLONG;
		ret = make_leaf(parent, dir, e);
		if (ret)
			return ret;
		cg->kind = CGROUP_V1; /* from now on cgroup_remove cleans up */
		ret = add_dir(cg, v1_ctl[i], dir);
		if (ret)
			return ret;
	}
	if (mem) {
		snprintf(val, sizeof(val), "%llu", mem);
		ret = cg_write(cg->dir[0].path, "memory.limit_in_bytes", val);
		if (ret)
			return err_set(e, "%s/memory.limit_in_bytes: %s",
				       cg->dir[0].path, strerror(-ret)),
			       ret;
		/* memory+swap as well where swap accounting is on */
		cg_write(cg->dir[0].path, "memory.memsw.limit_in_bytes", val);
	}
	if (pids) {
		snprintf(val, sizeof(val), "%llu", pids);
		ret = cg_write(cg->dir[1].path, "pids.max", val);
		if (ret)
			return err_set(e, "%s/pids.max: %s", cg->dir[1].path,
				       strerror(-ret)),
			       ret;
	}
	return 0;
}

int cgroup_create(const char *name, unsigned long long mem_max_bytes,
		  unsigned long long pids_max, struct cgroup *cg, struct err *e)
{
	struct mounts m;
	int ret, v2;

	memset(cg, 0, sizeof(*cg));
	cg->mem_max = mem_max_bytes;
	cg->pids_max = pids_max;
	if (!name_ok(name))
		return err_set(e,
			       "cgroup name \"%s\" is wrong: must be 1..64 of "
			       "[A-Za-z0-9_.@-], not starting with '.'",
			       name),
		       -EINVAL;
	read_mounts(&m);
	v2 = try_v2(&m, name, mem_max_bytes, pids_max, cg, e);
	if (!v2)
		return 0;
	if (cg->kind != CGROUP_NONE || (!soft_errno(-v2) && v2 != -EBUSY))
		goto fail;
	ret = try_v1(&m, name, mem_max_bytes, pids_max, cg, e);
	if (!ret)
		return 0;
	if (cg->kind != CGROUP_NONE || !soft_errno(-ret)) {
		v2 = ret;
		goto fail;
	}
	cg->ndirs = 0;
	if (v2 == -EBUSY)
		snprintf(cg->reason, sizeof(cg->reason),
			 "cgroup v2: %.100s%.100s holds processes, so "
			 "controllers cannot be enabled below it; run umnet in "
			 "a delegated cgroup of its own",
			 m.v2, m.own_v2);
	else if (m.v2[0] || m.v1[0][0])
		snprintf(cg->reason, sizeof(cg->reason),
			 "no writable cgroup with memory and pids controllers "
			 "(v2: %s, v1: %s)",
			 strerror(-v2), strerror(-ret));
	else
		snprintf(cg->reason, sizeof(cg->reason),
			 "no cgroup filesystem mounted");
	return 0;
fail:
	if (!e->msg[0])
		err_set(e, "cgroup %s: %s", name, strerror(-v2));
	if (cg->kind != CGROUP_NONE)
		cgroup_remove(cg);
	cg->kind = CGROUP_NONE;
	cg->ndirs = 0;
	return v2;
}

void cgroup_jail_procs(const struct cgroup *cg,
		       const char *procs[JAIL_MAX_CGROUPS])
{
	int i;

	for (i = 0; i < JAIL_MAX_CGROUPS; i++)
		procs[i] = cg->kind != CGROUP_NONE && i < cg->ndirs
				   ? cg->dir[i].procs
				   : NULL;
}

/* SIGKILL everything in dir/cgroup.procs; the number of pids seen */
static int kill_procs(const char *dir)
{
	char path[320], line[32];
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while (fgets(line, sizeof(line), f)) {
		int pid = atoi(line);

		if (pid > 0 && pid != getpid()) {
			kill(pid, SIGKILL);
			n++;
		}
	}
	fclose(f);
	return n;
}

static const char *find_dir(const struct cgroup *cg, const char *ctl)
{
	int i;

	for (i = 0; i < cg->ndirs; i++)
		if (!strcmp(cg->dir[i].ctl, ctl))
			return cg->dir[i].path;
	return NULL;
}

int cgroup_kill(const struct cgroup *cg)
{
	const char *freezer = find_dir(cg, "freezer");
	int round, i, n = 0;

	if (cg->kind == CGROUP_NONE)
		return 0;
	if (cg->kind == CGROUP_V2 &&
	    !cg_write(cg->dir[0].path, "cgroup.kill", "1"))
		goto wait;
	for (round = 0; round < 200; round++) {
		if (freezer)
			cg_write(freezer, "freezer.state", "FROZEN");
		for (i = 0, n = 0; i < cg->ndirs; i++) {
			int k = kill_procs(cg->dir[i].path);

			if (k > 0)
				n += k;
		}
		if (freezer)
			cg_write(freezer, "freezer.state", "THAWED");
		if (!n)
			break;
		msleep(10);
	}
wait:
	return cgroup_remove(cg);
}

int cgroup_remove(const struct cgroup *cg)
{
	char parent[256], *slash;
	int i, tries, ret = 0;

	for (i = 0; i < cg->ndirs; i++) {
		for (tries = 0; tries < 100; tries++) {
			if (!rmdir(cg->dir[i].path) || errno == ENOENT) {
				ret = ret == -EBUSY ? ret : 0;
				break;
			}
			if (errno != EBUSY) {
				ret = -errno;
				break;
			}
			msleep(10); /* dying processes leave it shortly */
		}
		if (tries == 100) {
			ret = -EBUSY;
			continue;
		}
		/* the shared umnet/ parent goes with the last node */
		strscpy(parent, cg->dir[i].path, sizeof(parent));
		slash = strrchr(parent, '/');
		if (slash) {
			*slash = '\0';
			if (strlen(parent) > 6 &&
			    !strcmp(parent + strlen(parent) - 6, "/umnet"))
				rmdir(parent); /* EBUSY: other nodes */
		}
	}
	return ret;
}

int cgroup_memory(const struct cgroup *cg, unsigned long long *bytes)
{
	char buf[64];
	int ret;

	if (cg->kind == CGROUP_NONE || !cg->ndirs)
		return -ENOENT;
	ret = cg_read(cg->dir[0].path,
		      cg->kind == CGROUP_V2 ? "memory.current"
					    : "memory.usage_in_bytes",
		      buf, sizeof(buf));
	if (ret)
		return ret;
	*bytes = strtoull(buf, NULL, 10);
	return 0;
}

int cgroup_save(const char *path, const struct cgroup *cg, struct err *e)
{
	char tmp[4096];
	FILE *f;
	int i, ret = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return err_set(e, "%s: name too long", path), -ENAMETOOLONG;
	f = fopen(tmp, "we");
	if (!f)
		return err_set(e, "%s: %s", tmp, strerror(errno)), -errno;
	fprintf(f, "kind %s\nmem_max %llu\npids_max %llu\n",
		cgroup_kind_name(cg->kind), cg->mem_max, cg->pids_max);
	for (i = 0; i < cg->ndirs; i++)
		fprintf(f, "dir %s %s\n", cg->dir[i].ctl, cg->dir[i].path);
	if (cg->kind == CGROUP_NONE && cg->reason[0])
		fprintf(f, "reason %s\n", cg->reason);
	if (fflush(f) || ferror(f))
		ret = -(errno ? errno : EIO);
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path) < 0)
		ret = -errno;
	if (ret) {
		unlink(tmp);
		err_set(e, "%s: %s", path, strerror(-ret));
	}
	return ret;
}

int cgroup_load(const char *path, struct cgroup *cg, struct err *e)
{
	char line[512];
	int lineno = 0, ret = 0;
	FILE *f;

	memset(cg, 0, sizeof(*cg));
	f = fopen(path, "re");
	if (!f)
		return err_at(e, path, 0, "%s", strerror(errno)), -errno;
	while (fgets(line, sizeof(line), f)) {
		char *k = line, *v = strchr(line, ' ');

		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (!v)
			goto bad;
		*v++ = '\0';
		if (!strcmp(k, "kind")) {
			if (!strcmp(v, "v2"))
				cg->kind = CGROUP_V2;
			else if (!strcmp(v, "v1"))
				cg->kind = CGROUP_V1;
			else if (!strcmp(v, "none"))
				cg->kind = CGROUP_NONE;
			else
				goto bad;
		} else if (!strcmp(k, "mem_max")) {
			cg->mem_max = strtoull(v, NULL, 10);
		} else if (!strcmp(k, "pids_max")) {
			cg->pids_max = strtoull(v, NULL, 10);
		} else if (!strcmp(k, "reason")) {
			strscpy(cg->reason, v, sizeof(cg->reason));
		} else if (!strcmp(k, "dir")) {
			char *p = strchr(v, ' ');

			/* only ever a node's cgroup: teardown kills what
			 * is in it */
			if (!p || cg->ndirs == CGROUP_MAX_DIRS || p[1] != '/' ||
			    !strstr(p, "/umnet/"))
				goto bad;
			*p++ = '\0';
			if (add_dir(cg, v, p))
				goto bad;
		} else {
			goto bad;
		}
	}
	goto out;
bad:
	ret = -EINVAL;
	err_at(e, path, lineno, "not a cgroup record: \"%s\"", line);
out:
	fclose(f);
	return ret;
}
