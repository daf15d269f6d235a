// SPDX-License-Identifier: GPL-2.0
/*
 * A lab's state (labrun.h): its state dir and paths, the labs that are up,
 * loading a lab, the processes it started (its procs file), and the
 * records of its links (cuts) and commands run in its nodes.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jail.h"
#include "kathara.h"
#include "labimpair.h"
#include "labrun.h"
#include "labrun_int.h"
#include "node.h"
#include "nodejail.h"

#define SET(field, fmt, ...)                                                  \
	do {                                                                  \
		if (path_fmt(lp->field, sizeof(lp->field), fmt, __VA_ARGS__)) \
			return -ENAMETOOLONG;                                 \
	} while (0)

int lab_paths(const char *name, struct lab_paths *lp)
{
	int ret;

	memset(lp, 0, sizeof(*lp));
	if (!lab_name_valid(name))
		return -EINVAL;
	ret = lab_state_dir(name, lp->dir, sizeof(lp->dir));
	if (ret)
		return ret;
	SET(copy, "%s/lab", lp->dir);
	SET(source, "%s/source", lp->dir);
	SET(journal, "%s/journal", lp->dir);
	SET(procs, "%s/procs", lp->dir);
	return 0;
}

bool lab_is_up(const char *name)
{
	struct lab_paths lp;

	return !lab_paths(name, &lp) && access(lp.dir, F_OK) == 0;
}

int lab_list(lab_name_t **names)
{
	char root[PATH_MAX];
	lab_name_t *v = NULL, *nv;
	struct dirent *de;
	int n = 0, cap = 0, ret;
	DIR *d;

	*names = NULL;
	ret = state_root(root, sizeof(root) - 8);
	if (ret)
		return ret;
	strcat(root, "/.labs");
	d = opendir(root);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (!lab_name_valid(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				closedir(d);
				return -ENOMEM;
			}
			v = nv;
		}
		strscpy(v[n++], de->d_name, sizeof(*v));
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v),
		      (int (*)(const void *, const void *))strcmp);
	*names = v;
	return n;
}

int lab_load(const char *arg, struct lab *lab, bool compile_gen, struct err *e)
{
	return lab_load_opts(arg, NULL, lab, compile_gen, e);
}

int lab_load_opts(const char *arg, const struct kathara_opts *ko,
		  struct lab *lab, bool compile_gen, struct err *e)
{
	struct lab_paths lp;
	char *text = NULL, *src = NULL, path[PATH_MAX] = "", dir[PATH_MAX] = "";
	int ret;

	if (lab_name_valid(arg) && lab_is_up(arg) && !strchr(arg, '/') &&
	    access(arg, F_OK)) {
		lab_paths(arg, &lp);
		ret = read_file(lp.copy, &text, NULL);
		if (!ret)
			ret = read_file(lp.source, &src, NULL);
		if (ret) {
			errf(e, ret,
			     "lab %s: its state in %s is incomplete (%s): 'umnet lab down %s' removes it",
			     arg, lp.dir, strerror(-ret), arg);
			goto cleanup;
		}
		if (sscanf(src, "%4095[^\n]\n%4095[^\n]", path, dir) != 2) {
			ret = errf(e, -EINVAL, "%s: not a lab source record",
				   lp.source);
			goto cleanup;
		}
		ret = lab_parse(path, text, dir, lab, e);
	} else if (kathara_is_lab(arg)) {
		struct kathara_opts k = { 0 };

		if (ko)
			k = *ko;
		if (k.default_image == KATHARA_DEFAULT_PROBE)
			k.default_image = kathara_default_probe();
		kathara_host_nameservers(&k);
		ret = kathara_lab_parse(arg, &k, compile_gen, lab, e);
	} else {
		if (access(arg, F_OK)) {
			ret = errf(
				e, -ENOENT,
				"%s: no such lab file, and no lab of that name is up (see 'umnet lab status')",
				arg);
			goto cleanup;
		}
		ret = lab_parse(arg, NULL, NULL, lab, e);
	}
	if (ret)
		goto cleanup;
	if (compile_gen) {
		ret = lab_paths(lab->name, &lp);
		if (!ret)
			ret = mkdir_p(lp.dir, 0700);
		/* its jailed switches reach their socket dir through it */
		if (!ret && geteuid() == 0 && chmod(lp.dir, 0711) < 0)
			ret = -errno;
		if (ret) {
			errf(e, ret, "lab %s: state dir: %s", lab->name,
			     strerror(-ret));
			goto cleanup;
		}
	}
	ret = lab_compile(lab, compile_gen ? lp.dir : NULL, e);
	if (ret)
		lab_err_origin(lab, e);
cleanup:
	free(text);
	free(src);
	return ret;
}

/* ---- processes the lab starts ------------------------------------------ */

static int proc_record(const struct lab_paths *lp, pid_t pid, const char *what)
{
	unsigned long long st = 0;
	char line[128];
	int fd, n, ret = 0;

	pid_starttime(pid, &st);
	n = snprintf(line, sizeof(line), "%d %llu %s\n", (int)pid, st, what);
	fd = open(lp->procs, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (write(fd, line, n) != n)
		ret = -EIO;
	if (fsync(fd) < 0 && !ret)
		ret = -errno;
	close(fd);
	return ret;
}

/*
 * fork a lab process that is recorded in the procs file before it does
 * anything: the child waits on a pipe until the record is written, and
 * exits when umnet died before that (kill -9 in between), so there is never
 * a lab process that `lab down` cannot find. Returns the pid in the parent
 * (-errno, e set) and 0 in the child.
 */
pid_t spawn_recorded(const struct lab_paths *lp, const char *what,
		     struct err *e)
{
	int gate[2], ret;
	pid_t pid;
	char c;

	if (pipe2(gate, O_CLOEXEC) < 0)
		return errf(e, -errno, "pipe: %m");
	pid = fork();
	if (pid < 0) {
		ret = errf(e, -errno, "fork: %m");
		close(gate[0]);
		close(gate[1]);
		return ret;
	}
	if (pid == 0) {
		close(gate[1]);
		if (read(gate[0], &c, 1) != 1)
			_exit(0);
		close(gate[0]);
		return 0;
	}
	close(gate[0]);
	ret = proc_record(lp, pid, what);
	if (ret) {
		close(gate[1]); /* the child exits */
		waitpid(pid, NULL, 0);
		return errf(e, ret, "%s: %s", lp->procs, strerror(-ret));
	}
	c = 1;
	if (write(gate[1], &c, 1) != 1) {
		/* the child is gone already: its record says dead */
	}
	close(gate[1]);
	return pid;
}

int lab_procs(const char *name, struct lab_proc **out)
{
	struct lab_paths lp;
	struct lab_proc *procs = NULL;
	char *text = NULL, *line, *save = NULL, *c;
	int n = 0, max = 1, ret;

	*out = NULL;
	ret = lab_paths(name, &lp);
	if (ret)
		return ret;
	ret = read_file(lp.procs, &text, NULL);
	if (ret)
		return ret == -ENOENT ? 0 : ret;
	for (c = text; *c; c++)
		max += *c == '\n';
	procs = calloc(max, sizeof(*procs));
	if (!procs) {
		free(text);
		return -ENOMEM;
	}
	for (line = strtok_r(text, "\n", &save); line && n < max;
	     line = strtok_r(NULL, "\n", &save)) {
		struct lab_proc *p = &procs[n];
		unsigned long long now = 0;
		int pid;

		memset(p, 0, sizeof(*p));
		if (sscanf(line, "%d %llu %63[^\n]", &pid, &p->start,
			   p->what) != 3)
			continue;
		p->pid = pid;
		p->alive = !pid_starttime(pid, &now) && now == p->start;
		n++;
	}
	free(text);
	*out = procs;
	return n;
}

void detach_stdio(const char *log)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC), lfd = -1;

	if (log)
		lfd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
			   0600);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(lfd >= 0 ? lfd : fd, 1);
		dup2(lfd >= 0 ? lfd : fd, 2);
	}
}

/* the lab's own processes: its ids, no capability, no mounts */
int lab_jail(const char *lab, struct jail *j)
{
	static const char *const env[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
					   "LANG=C", NULL };
	unsigned int uid, gid;
	int ret;

	ret = lab_jail_ids(lab, &uid, &gid);
	if (ret)
		return ret;
	*j = (struct jail){ .uid = geteuid() == 0 ? (uid_t)uid : (uid_t)-1,
			    .gid = geteuid() == 0 ? (gid_t)gid : (gid_t)-1,
			    .env = env,
			    .seccomp = true };
	return 0;
}

/* ---- links and commands inside nodes ----------------------------------- */

int lab_node_sh(const struct lab *lab, int node, const char *cmd,
		int timeout_ms, int *status, char *out, size_t outlen)
{
	char name[NODE_NAME_MAX + 1];
	char *argv[] = { "sh", "-c", (char *)cmd, NULL };
	struct node_paths np;
	int fd = -1, ret;
	ssize_t n;

	lab_node_hostname(lab, node, name, sizeof(name));
	ret = node_paths(name, &np);
	if (ret)
		return ret;
	if (!node_running(&np, NULL))
		return -ESRCH;
	fd = memfd_create("umnet-out", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = node_exec(&np, argv, fd, -1, timeout_ms, status);
	if (out && outlen) {
		n = pread(fd, out, outlen - 1, 0);
		out[n > 0 ? n : 0] = '\0';
	}
	close(fd);
	return ret;
}

int lab_link_file(const char *lab_name, const char *what, const char *link,
		  char *out, size_t len)
{
	char dir[PATH_MAX];
	int ret;

	ret = lab_state_dir(lab_name, dir, sizeof(dir));
	if (ret)
		return ret;
	return path_fmt(out, len, "%s/%s-%s", dir, what, link);
}

static int link_marker(const char *lab_name, const char *link, char *out,
		       size_t len)
{
	return lab_link_file(lab_name, "down", link, out, len);
}

bool lab_link_is_down(const char *lab_name, const char *link)
{
	char path[PATH_MAX];

	return !link_marker(lab_name, link, path, sizeof(path)) &&
	       access(path, F_OK) == 0;
}

int lab_link_set(const struct lab *lab, int link, bool down, struct err *e)
{
	const struct lab_link *l = &lab->links[link];
	char path[PATH_MAX], cmd[512], out[512];
	int i, status = 0, ret, done = 0;

	ret = link_marker(lab->name, l->name, path, sizeof(path));
	if (ret)
		return errf(e, ret, "%s: %s", l->name, strerror(-ret));
	if (down && !lab->pod_steps) {
		ret = write_file(path, "down\n", 5, 0600);
		if (ret)
			return errf(e, ret, "%s: %s", path, strerror(-ret));
	}
	for (i = 0; i < l->neps; i++) {
		const struct lab_endpoint *ep = &l->eps[i];
		char v[IFNAMSIZ];

		lab_ep_ifname(lab, ep, v, sizeof(v));

		/*
		 * The interface stays up (an fd transport cannot reopen its
		 * socket): a clsact qdisc drops every frame both ways.
		 */
		if (down)
			snprintf(
				cmd, sizeof(cmd),
				"tc qdisc replace dev %s clsact && "
				"tc filter replace dev %s ingress pref 1 protocol all u32 match u32 0 0 action drop && "
				"tc filter replace dev %s egress pref 1 protocol all u32 match u32 0 0 action drop 2>&1",
				v, v, v);
		else
			snprintf(
				cmd, sizeof(cmd),
				"tc filter del dev %s ingress pref 1 2>/dev/null; "
				"tc filter del dev %s egress pref 1 2>/dev/null; true",
				v, v);
		ret = lab_node_sh(lab, ep->node, cmd, 10000, &status, out,
				  sizeof(out));
		if (ret == -ESRCH)
			continue; /* a node that is down: cut when it comes */
		if (ret || status) {
			return errf(e, ret ? ret : -EIO, "link %s: %s %s: %s",
				    l->name, lab->nodes[ep->node].name, v,
				    ret ? strerror(-ret) : strtrim(out));
		}
		done++;
	}
	if (lab->pod_steps)
		return done ? 0
			    : errf(e, -ESRCH,
				   "link %s: none of its nodes runs here",
				   l->name);
	if (!down)
		unlink(path);
	return 0;
}
