// SPDX-License-Identifier: GPL-2.0
/*
 * A cgroup per node (v2, or the v1 layout of hybrid hosts): see cgroup.h.
 * Making it in each layout is in cgroup_v2.c and cgroup_v1.c; here what
 * both share, the choice between them, killing, removal and the record.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cgroup_int.h"

/* a node's cgroup name: [A-Za-z0-9_.@-], not starting with '.' */
#define CGROUP_NAME_MAX 64
/* teardown polls every CGROUP_POLL_MS, so many times at most */
#define CGROUP_POLL_MS 10
#define CGROUP_KILL_ROUNDS 200
#define CGROUP_RMDIR_TRIES 100
/* a line of /proc/self/mountinfo or a cgroup record */
#define CGROUP_LINE_MAX 1024
#define CGROUP_RECORD_LINE_MAX 512

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

int cg_write(const char *dir, const char *file, const char *val)
{
	char path[PATH_MAX];
	size_t len = strlen(val);
	int fd, ret;

	ret = path_fmt(path, sizeof(path), "%s/%s", dir, file);
	if (ret)
		return ret;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, val, len) != (ssize_t)len)
		ret = -errno;
	close(fd);
	return ret;
}

int cg_limit(const char *dir, const char *file, unsigned long long v,
	     struct err *e)
{
	char val[CGROUP_VAL_MAX];
	int ret;

	snprintf(val, sizeof(val), "%llu", v);
	ret = cg_write(dir, file, val);
	if (ret)
		return errf(e, ret, "%s/%s: %s", dir, file, strerror(-ret));
	return 0;
}

/* the first line of dir/file, without its newline */
int cg_read(const char *dir, const char *file, char *buf, size_t len)
{
	char path[PATH_MAX];
	FILE *f;
	int ret;

	ret = path_fmt(path, sizeof(path), "%s/%s", dir, file);
	if (ret)
		return ret;
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
	size_t len = strlen(n);

	if (!len || len > CGROUP_NAME_MAX || n[0] == '.')
		return false;
	return strspn(n, ALNUM "_.@-") == len;
}

static bool soft_errno(int err)
{
	return err == EPERM || err == EACCES || err == EROFS || err == ENOENT ||
	       err == ENOTDIR;
}

bool has_opt(const char *opts, const char *want)
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
	char line[CGROUP_LINE_MAX];
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
				if (has_opt(opts, cgroup_v1_ctl[i]) &&
				    !m->v1[i][0])
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
			if (has_opt(ctl, cgroup_v1_ctl[i]))
				strscpy(m->own_v1[i], path,
					sizeof(m->own_v1[i]));
	}
	fclose(f);
}

int add_dir(struct cgroup *cg, const char *ctl, const char *path)
{
	int i = cg->ndirs;

	if (strscpy(cg->dir[i].ctl, ctl, sizeof(cg->dir[i].ctl)) < 0 ||
	    strscpy(cg->dir[i].path, path, sizeof(cg->dir[i].path)) < 0 ||
	    path_fmt(cg->dir[i].procs, sizeof(cg->dir[i].procs),
		     "%s/cgroup.procs", path))
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
int make_leaf(const char *parent, const char *leaf, struct err *e)
{
	int tries;

	for (tries = 0; tries < CGROUP_MKDIR_TRIES; tries++) {
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
				return errf(
					e, -EBUSY,
					"cgroup %s already exists and still holds processes: take that node down first",
					leaf);
			return -errno;
		}
	}
	return -ENOENT;
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
		return errf(
			e, -EINVAL,
			"cgroup name \"%s\" is wrong: must be 1..%d of [A-Za-z0-9_.@-], not starting with '.'",
			name, CGROUP_NAME_MAX);
	read_mounts(&m);
	v2 = cgroup_try_v2(&m, name, mem_max_bytes, pids_max, cg, e);
	if (!v2)
		return 0;
	if (cg->kind != CGROUP_NONE || (!soft_errno(-v2) && v2 != -EBUSY))
		goto cleanup;
	ret = cgroup_try_v1(&m, name, mem_max_bytes, pids_max, cg, e);
	if (!ret)
		return 0;
	if (cg->kind != CGROUP_NONE || !soft_errno(-ret)) {
		v2 = ret;
		goto cleanup;
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
cleanup: /* failed: undo what was made */
	if (!e->msg[0])
		errf(e, v2, "cgroup %s: %s", name, strerror(-v2));
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
	char path[PATH_MAX], line[32];
	int n = 0;
	FILE *f;

	if (path_fmt(path, sizeof(path), "%s/cgroup.procs", dir))
		return -ENAMETOOLONG;
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
		return cgroup_remove(cg);
	for (round = 0; round < CGROUP_KILL_ROUNDS; round++) {
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
		msleep(CGROUP_POLL_MS);
	}
	return cgroup_remove(cg);
}

int cgroup_remove(const struct cgroup *cg)
{
	char parent[CGROUP_PATH_MAX], *slash;
	int i, tries, ret = 0;

	for (i = 0; i < cg->ndirs; i++) {
		for (tries = 0; tries < CGROUP_RMDIR_TRIES; tries++) {
			if (!rmdir(cg->dir[i].path) || errno == ENOENT) {
				ret = ret == -EBUSY ? ret : 0;
				break;
			}
			if (errno != EBUSY) {
				ret = -errno;
				break;
			}
			msleep(CGROUP_POLL_MS); /* dying processes leave it shortly */
		}
		if (tries == CGROUP_RMDIR_TRIES) {
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
	char tmp[PATH_MAX];
	FILE *f;
	int i, ret = 0;

	if (path_fmt(tmp, sizeof(tmp), "%s.tmp", path))
		return errf(e, -ENAMETOOLONG, "%s: name too long", path);
	f = fopen(tmp, "we");
	if (!f)
		return errf(e, -errno, "%s: %m", tmp);
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
		errf(e, ret, "%s: %s", path, strerror(-ret));
	}
	return ret;
}

/* one line of a cgroup record, split in place */
static int load_line(struct cgroup *cg, char *line)
{
	char *k = line, *v = strchr(line, ' ');

	line[strcspn(line, "\n")] = '\0';
	if (!v)
		return -EINVAL;
	*v++ = '\0';
	if (!strcmp(k, "kind")) {
		if (!strcmp(v, "v2"))
			cg->kind = CGROUP_V2;
		else if (!strcmp(v, "v1"))
			cg->kind = CGROUP_V1;
		else if (!strcmp(v, "none"))
			cg->kind = CGROUP_NONE;
		else
			return -EINVAL;
	} else if (!strcmp(k, "mem_max")) {
		cg->mem_max = strtoull(v, NULL, 10);
	} else if (!strcmp(k, "pids_max")) {
		cg->pids_max = strtoull(v, NULL, 10);
	} else if (!strcmp(k, "reason")) {
		strscpy(cg->reason, v, sizeof(cg->reason));
	} else if (!strcmp(k, "dir")) {
		char *p = strchr(v, ' ');

		/* only ever a node's cgroup: teardown kills what is in it */
		if (!p || cg->ndirs == CGROUP_MAX_DIRS || p[1] != '/' ||
		    !strstr(p, "/umnet/"))
			return -EINVAL;
		*p++ = '\0';
		if (add_dir(cg, v, p))
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	return 0;
}

int cgroup_load(const char *path, struct cgroup *cg, struct err *e)
{
	char line[CGROUP_RECORD_LINE_MAX];
	int lineno = 0, ret = 0;
	FILE *f;

	memset(cg, 0, sizeof(*cg));
	f = fopen(path, "re");
	if (!f)
		return errf_at(e, -errno, path, 0, "%m");
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (load_line(cg, line)) {
			ret = errf_at(e, -EINVAL, path, lineno,
				      "not a cgroup record: \"%s\"", line);
			break;
		}
	}
	fclose(f);
	return ret;
}
