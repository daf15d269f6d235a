// SPDX-License-Identifier: GPL-2.0
/*
 * A lab on the host: its state dir, namespaces, wire keeper and switches,
 * and its nodes booted in parallel (labrun.h).
 *
 * Wires, their keeper and its registry: wires.c.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hostplan.h"
#include "ids.h"
#include "jail.h"
#include "kathara.h"
#include "labimpair.h"
#include "labrun_int.h"
#include "labrun.h"
#include "node.h"
#include "nodejail.h"
#include "plan.h"
#include "profile.h"
#include "transport.h"
#include "wires.h"

#define SET(field, fmt, ...)                                         \
	do {                                                         \
		int n_ = snprintf(lp->field, sizeof(lp->field), fmt, \
				  __VA_ARGS__);                      \
		if (n_ < 0 || (size_t)n_ >= sizeof(lp->field))       \
			return -ENAMETOOLONG;                        \
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

int lab_list(char names[][LAB_NAME_MAX + 1], int max)
{
	char root[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int n = 0, ret;

	ret = state_root(root, sizeof(root) - 8);
	if (ret)
		return ret;
	strcat(root, "/.labs");
	d = opendir(root);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d)) && n < max)
		if (lab_name_valid(de->d_name))
			strscpy(names[n++], de->d_name, LAB_NAME_MAX + 1);
	closedir(d);
	qsort(names, n, LAB_NAME_MAX + 1,
	      (int (*)(const void *, const void *))strcmp);
	return n;
}

int lab_load(const char *arg, struct lab *lab, bool compile_gen, struct err *e)
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
			err_set(e,
				"lab %s: its state in %s is incomplete (%s): 'umnet lab down %s' removes it",
				arg, lp.dir, strerror(-ret), arg);
			goto cleanup;
		}
		if (sscanf(src, "%4095[^\n]\n%4095[^\n]", path, dir) != 2) {
			ret = -EINVAL;
			err_set(e, "%s: not a lab source record", lp.source);
			goto cleanup;
		}
		ret = lab_parse(path, text, dir, lab, e);
	} else if (kathara_is_lab(arg)) {
		ret = kathara_lab_parse(arg, compile_gen, lab, e);
	} else {
		if (access(arg, F_OK)) {
			ret = -ENOENT;
			err_set(e,
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
			err_set(e, "lab %s: state dir: %s", lab->name,
				strerror(-ret));
			goto cleanup;
		}
	}
	ret = lab_compile(lab, compile_gen ? lp.dir : NULL, e);
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
		return err_set(e, "pipe: %s", strerror(errno)), -errno;
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		close(gate[0]);
		close(gate[1]);
		return err_set(e, "fork: %s", strerror(-ret)), ret;
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
		return err_set(e, "%s: %s", lp->procs, strerror(-ret)), ret;
	}
	c = 1;
	if (write(gate[1], &c, 1) != 1) {
		/* the child is gone already: its record says dead */
	}
	close(gate[1]);
	return pid;
}

int lab_procs(const char *name, struct lab_proc *procs, int max)
{
	struct lab_paths lp;
	char *text = NULL, *line, *save = NULL;
	int n = 0, ret;

	ret = lab_paths(name, &lp);
	if (ret)
		return ret;
	ret = read_file(lp.procs, &text, NULL);
	if (ret)
		return ret == -ENOENT ? 0 : ret;
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

static int switch_ready(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, ok;

	strscpy(sa.sun_path, path, sizeof(sa.sun_path));
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	ok = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	return ok;
}

/* the switch's socket dir: the lab's uid writes it, its nodes' gid reads */
static int switch_dir(const struct lab_paths *lp, const struct jail *j,
		      char *dir, size_t len, struct err *e)
{
	int ret = path_fmt(dir, len, "%s/sw", lp->dir);

	if (!ret)
		ret = mkdir_p(dir, 0750);
	if (!ret && j->uid != (uid_t)-1 && chown(dir, j->uid, j->gid) < 0)
		ret = -errno;
	if (ret)
		err_set(e, "%s: %s", dir, strerror(-ret));
	return ret;
}

static void switch_child(const struct jail *jail, int exe, const char *path,
			 const char *log)
{
	char *argv[] = { "umnet", "switch", "-d",	  "-v", "-m",
			 "0660",  "-s",	    (char *)path, NULL };
	struct jail j = *jail;
	int keep[1] = { exe };

	setsid();
	detach_stdio(log);
	j.keep_fds = keep;
	j.nkeep = 1;
	jail_enter_or_exit(&j, 2, "umnet switch");
	/* by fd: the jailed uid need not reach the binary's directory */
	syscall(SYS_execveat, exe, "", argv, j.env, AT_EMPTY_PATH);
	fprintf(stderr, "umnet switch: exec: %s\n", strerror(errno));
	_exit(127);
}

/* start the switch of link l (a switch segment) on its socket path */
static int start_switch(const struct lab_paths *lp, const struct lab_link *l,
			struct err *e)
{
	char path[PATH_MAX], log[PATH_MAX + 8], what[64], dir[PATH_MAX];
	const char *lab = strrchr(lp->dir, '/') + 1;
	int ret, exe = -1;
	struct jail j;
	long long t0;
	pid_t pid;

	ret = lab_jail(lab, &j);
	if (ret)
		return err_set(e, "lab %s: host ids: %s", lab, strerror(-ret)),
		       ret;
	if ((ret = switch_dir(lp, &j, dir, sizeof(dir), e)))
		return ret;
	ret = lab_switch_path(lp->dir, l, path, sizeof(path));
	if (ret)
		return err_set(e, "[link %s]: switch socket path: %s", l->name,
			       strerror(-ret)),
		       ret;
	exe = open("/proc/self/exe", O_PATH | O_CLOEXEC);
	if (exe < 0)
		return err_set(e, "/proc/self/exe: %s", strerror(errno)),
		       -errno;
	snprintf(log, sizeof(log), "%s.log", path);
	snprintf(what, sizeof(what), "switch %s", l->name);
	pid = spawn_recorded(lp, what, e);
	if (pid < 0) {
		ret = pid;
		goto cleanup;
	}
	if (pid == 0)
		switch_child(&j, exe, path, log);
	for (t0 = now_ms(); !switch_ready(path); usleep(2000)) {
		if (waitpid(pid, NULL, WNOHANG) == pid ||
		    now_ms() - t0 > 5000) {
			ret = -EIO;
			err_set(e,
				"[link %s]: the switch did not start (see %s)",
				l->name, log);
			goto cleanup;
		}
	}
cleanup:
	close(exe);
	return ret;
}

static int start_switches(const struct lab *lab, const struct lab_paths *lp,
			  struct err *e)
{
	int i, ret;

	for (i = 0; i < lab->nlinks; i++) {
		if (lab->links[i].kind != LINK_SWITCH)
			continue;
		ret = start_switch(lp, &lab->links[i], e);
		if (ret)
			return ret;
	}
	return 0;
}

static void stop_procs(const char *name)
{
	/* more than the lab has: repairs add records */
	struct lab_proc procs[4 * (LAB_MAX_LINKS + 1)];
	int n, i, k;

	n = lab_procs(name, procs, ARRAY_SIZE(procs));
	for (i = 0; i < n; i++)
		if (procs[i].alive)
			kill(procs[i].pid, SIGTERM);
	/* wait for them, then make sure */
	for (k = 0; k < 200; k++) {
		bool any = false;

		for (i = 0; i < n; i++) {
			unsigned long long st = 0;

			/* reap ours; a zombie has no start time */
			waitpid(procs[i].pid, NULL, WNOHANG);
			if (procs[i].alive &&
			    !pid_starttime(procs[i].pid, &st) &&
			    st == procs[i].start)
				any = true;
		}
		if (!any)
			return;
		usleep(10000);
	}
	for (i = 0; i < n; i++)
		if (procs[i].alive)
			kill(procs[i].pid, SIGKILL);
}

/* ---- checks before anything is made ------------------------------------ */

struct made_if {
	char netns[NETNS_NAME_MAX];
	char ifname[IFNAMSIZ];
	const char *owner;
};

static int check_clashes(const struct lab *lab, const bool *only, struct err *e)
{
	struct made_if *ifs = NULL;
	int nifs = 0, cap = 0, i, j, ret = 0;

	for (i = 0; i < lab->nnodes; i++) {
		const struct profile *p = lab->nodes[i].p;
		struct node_paths np;
		struct plan plan = { 0 };

		if (only && !only[i])
			continue;
		if (!node_paths(p->name, &np) && access(np.dir, F_OK) == 0) {
			ret = -EEXIST;
			err_set(e,
				"%s:%d: node %s: a node named %s exists on this host already ('umnet status'; 'umnet down %s')",
				lab->path, lab->nodes[i].line,
				lab->nodes[i].name, p->name, p->name);
			goto cleanup;
		}
		ret = profile_plan(p, &plan, e);
		for (j = 0; !ret && j < plan.n; j++) {
			const struct action *a = &plan.acts[j];
			const char *names[2] = { NULL, NULL }, *ns = a->netns;
			int k;

			if (a->kind == ACT_VETH_ADD) {
				names[0] = a->ifname;
				names[1] = a->peer;
			} else if (a->kind == ACT_TAP_ADD ||
				   a->kind == ACT_GRETAP_ADD) {
				names[0] = a->ifname;
			} else if (a->kind == ACT_LINK_NETNS) {
				names[0] = a->ifname;
				ns = a->target;
			} else {
				continue;
			}
			for (k = 0; k < 2 && names[k]; k++) {
				struct nl *nl = NULL;
				bool exists = false;
				int m;

				for (m = 0; m < nifs; m++)
					if (!strcmp(ifs[m].netns, ns) &&
					    !strcmp(ifs[m].ifname, names[k]))
						break;
				if (m < nifs && strcmp(ifs[m].owner, p->name)) {
					ret = -EEXIST;
					err_set(e,
						"%s: nodes %s and %s would both create interface %s in %s%s",
						lab->path, ifs[m].owner,
						p->name, names[k],
						ns[0] ? "netns " : "the host",
						ns);
					break;
				}
				if (m == nifs) {
					if (nifs == cap) {
						struct made_if *n2;

						cap = cap ? 2 * cap : 32;
						n2 = realloc(
							ifs,
							cap * sizeof(*ifs));
						if (!n2) {
							ret = -ENOMEM;
							break;
						}
						ifs = n2;
					}
					strscpy(ifs[nifs].netns, ns,
						sizeof(ifs[nifs].netns));
					strscpy(ifs[nifs].ifname, names[k],
						sizeof(ifs[nifs].ifname));
					ifs[nifs++].owner = p->name;
				}
				if (ns[0] && !netns_exists(ns))
					continue;
				if (!nl_open(&nl, ns[0] ? ns : NULL)) {
					exists = link_exists(nl, names[k]);
					nl_close(nl);
				}
				if (exists) {
					ret = -EEXIST;
					err_set(e,
						"%s: node %s would create interface %s in %s%s, which exists already (another lab or node, or made by hand): change the link's host-ifname, or remove it",
						lab->path, lab->nodes[i].name,
						names[k],
						ns[0] ? "netns " : "the host",
						ns);
					break;
				}
			}
		}
		plan_free(&plan);
		if (ret)
			goto cleanup;
	}
cleanup:
	free(ifs);
	return ret;
}

/* every namespace the lab's nodes run in or link into, made by the lab */
static int make_netns(const struct lab *lab, const struct lab_paths *lp,
		      struct err *e)
{
	struct plan plan = { 0 };
	int i, j, ret = 0;

	for (i = 0; i < lab->nnodes; i++) {
		const struct profile *p = lab->nodes[i].p;
		const char *names[MAX_IFACES + 1];
		int n = 0;

		if (p->netns[0])
			names[n++] = p->netns;
		for (j = 0; j < p->nifaces; j++)
			if (p->ifaces[j].host_netns[0])
				names[n++] = p->ifaces[j].host_netns;
		for (j = 0; j < n; j++) {
			struct action a = { .kind = ACT_NETNS_ADD,
					    .phase = PHASE_PRE_BOOT };
			int k;

			for (k = 0; k < plan.n; k++)
				if (!strcmp(plan.acts[k].netns, names[j]))
					break;
			if (k < plan.n)
				continue;
			strscpy(a.netns, names[j], sizeof(a.netns));
			snprintf(a.owner, sizeof(a.owner), "lab %s", lab->name);
			ret = plan_add(&plan, &a);
			if (ret)
				goto cleanup;
		}
	}
	ret = plan_apply(&plan, PHASE_PRE_BOOT, lp->journal, e);
cleanup:
	plan_free(&plan);
	return ret;
}

/* ---- booting nodes in parallel ---------------------------------------- */

struct job {
	int node;
	pid_t pid;
	int fd;
	char *buf;
	size_t len;
};

/* child: bring one node up, report "RET PID TOTAL BOOT\nMSG\0CONSOLE" */
static void node_child(struct lab *lab, int node, int timeout_s, int fd)
{
	struct up_result res = { 0 };
	struct err e = { "" };
	struct strbuf sb = { 0 };
	int ret;

	ret = node_up(lab->nodes[node].p, timeout_s, &res, &e);
	sb_printf(&sb, "%d %d %lld %lld\n%s", ret, (int)res.pid, res.total_ms,
		  res.boot_ms, e.msg);
	sb.len++; /* the NUL */
	sb_printf(&sb, "%s", sb_str(&res.console));
	if (!sb.oom && write(fd, sb.buf, sb.len + 1) < 0)
		_exit(1);
	_exit(0);
}

static int job_finish(struct job *j, const struct lab *lab, lab_progress_fn cb,
		      void *arg)
{
	struct up_result res = { 0 };
	struct err e = { "" };
	int ret = -EIO, pid = 0;
	char *msg;

	waitpid(j->pid, NULL, 0);
	if (j->buf && sscanf(j->buf, "%d %d %lld %lld", &ret, &pid,
			     &res.total_ms, &res.boot_ms) == 4) {
		res.pid = pid;
		msg = strchr(j->buf, '\n');
		if (msg) {
			strscpy(e.msg, msg + 1, sizeof(e.msg));
			if (strlen(msg + 1) + 1 < j->len - (msg + 1 - j->buf))
				sb_printf(&res.console, "%s",
					  msg + strlen(msg) + 1);
		}
	} else {
		snprintf(e.msg, sizeof(e.msg),
			 "%s: the umnet process bringing it up died",
			 lab->nodes[j->node].name);
	}
	if (cb)
		cb(arg, lab, j->node, ret, &res, &e);
	sb_free(&res.console);
	free(j->buf);
	j->buf = NULL;
	close(j->fd);
	return ret;
}

static int boot_nodes(struct lab *lab, const bool *which, int jobs,
		      int timeout_s, lab_progress_fn cb, void *arg, bool *ok)
{
	struct job *run = calloc(jobs, sizeof(*run));
	int next = 0, active = 0, failed = 0, i;

	if (!run)
		return -ENOMEM;
	fflush(NULL);
	for (;;) {
		struct pollfd pfd[64];

		while (active < jobs && next < lab->nnodes) {
			int pfds[2];
			pid_t pid;

			if (which && !which[next]) {
				next++;
				continue;
			}
			if (pipe2(pfds, O_CLOEXEC) < 0) {
				failed++;
				next = lab->nnodes;
				break;
			}
			pid = fork();
			if (pid == 0) {
				close(pfds[0]);
				node_child(lab, next, timeout_s, pfds[1]);
			}
			close(pfds[1]);
			if (pid < 0) {
				close(pfds[0]);
				failed++;
				next = lab->nnodes;
				break;
			}
			for (i = 0; run[i].pid; i++)
				;
			run[i] = (struct job){ .node = next,
					       .pid = pid,
					       .fd = pfds[0] };
			active++;
			next++;
		}
		if (!active)
			break;
		for (i = 0; i < jobs && i < 64; i++) {
			pfd[i].fd = run[i].pid ? run[i].fd : -1;
			pfd[i].events = POLLIN;
		}
		if (poll(pfd, jobs < 64 ? jobs : 64, -1) < 0 && errno != EINTR)
			break;
		for (i = 0; i < jobs && i < 64; i++) {
			char buf[4096];
			ssize_t n;

			if (!run[i].pid || !pfd[i].revents)
				continue;
			n = read(run[i].fd, buf, sizeof(buf));
			if (n > 0) {
				char *b =
					realloc(run[i].buf, run[i].len + n + 1);

				if (b) {
					memcpy(b + run[i].len, buf, n);
					run[i].len += n;
					b[run[i].len] = '\0';
					run[i].buf = b;
				}
				continue;
			}
			if (job_finish(&run[i], lab, cb, arg)) {
				failed++;
				ok[run[i].node] = false;
			} else {
				ok[run[i].node] = true;
			}
			run[i].pid = 0;
			active--;
		}
	}
	free(run);
	return failed ? -EIO : 0;
}

/*
 * A node run inside a namespace (netns =) may send from an address that
 * another node's netns link puts there (a tunnel's local address): when a
 * lab has such nodes, the nodes with host-side links boot first.
 */
static int boot_waves(struct lab *lab, const bool *which, int jobs,
		      int timeout_s, lab_progress_fn cb, void *arg, bool *ok)
{
	bool *first = calloc(lab->nnodes, sizeof(bool));
	bool *rest = calloc(lab->nnodes, sizeof(bool));
	bool inside = false;
	int i, j, ret;

	if (!first || !rest) {
		ret = -ENOMEM;
		goto cleanup;
	}
	for (i = 0; i < lab->nnodes; i++) {
		const struct profile *p = lab->nodes[i].p;
		bool host_side = false;

		for (j = 0; j < p->nifaces; j++)
			if (p->ifaces[j].host == HOST_VETH ||
			    p->ifaces[j].host == HOST_TAP)
				host_side = true;
		if (p->netns[0])
			inside = true;
		first[i] = (!which || which[i]) && host_side;
		rest[i] = (!which || which[i]) && !host_side;
	}
	if (!inside) {
		ret = boot_nodes(lab, which, jobs, timeout_s, cb, arg, ok);
		goto cleanup;
	}
	ret = boot_nodes(lab, first, jobs, timeout_s, cb, arg, ok);
	if (!ret)
		ret = boot_nodes(lab, rest, jobs, timeout_s, cb, arg, ok);
cleanup:
	free(first);
	free(rest);
	return ret;
}

static int teardown_node(const struct lab *lab, int node, struct err *e)
{
	struct node_paths np;
	char name[NODE_NAME_MAX + 1];

	lab_node_hostname(lab, node, name, sizeof(name));
	if (node_paths(name, &np) || access(np.dir, F_OK))
		return 0;
	return node_down(&np, e);
}

/* cut links stay cut when one of their nodes comes back */
static void reapply_cuts(const struct lab *lab, const bool *booted)
{
	struct err e;
	int i, j;

	for (i = 0; i < lab->nlinks; i++) {
		bool mine = false;

		if (!lab_link_is_down(lab->name, lab->links[i].name))
			continue;
		for (j = 0; j < lab->links[i].neps; j++)
			if (booted[lab->links[i].eps[j].node])
				mine = true;
		if (mine)
			lab_link_set(lab, i, true, &e);
	}
	lab_impair_reapply(lab, booted);
}

static int infra_down(const char *name, struct err *e);

int lab_up(struct lab *lab, const bool *only, int jobs, int timeout_s,
	   lab_progress_fn cb, void *arg, struct err *e)
{
	struct lab_paths lp;
	struct err e2 = { "" };
	bool fresh = false, booting = false, *which = NULL, *ok = NULL;
	int i, ret, n = 0;

	ret = lab_paths(lab->name, &lp);
	if (ret)
		return err_set(e, "lab %s: %s", lab->name, strerror(-ret)), ret;
	which = calloc(lab->nnodes, sizeof(*which));
	ok = calloc(lab->nnodes, sizeof(*ok));
	if (!which || !ok) {
		ret = -ENOMEM;
		goto out;
	}
	/* the copy exists once a lab was brought up (lab_load made the dir) */
	fresh = access(lp.copy, F_OK) != 0;
	for (i = 0; i < lab->nnodes; i++) {
		struct node_paths np;

		which[i] = !only || only[i];
		if (!fresh && which[i] &&
		    !node_paths(lab->nodes[i].p->name, &np) &&
		    access(np.dir, F_OK) == 0) {
			if (only) {
				ret = -EEXIST;
				err_set(e,
					"lab %s: node %s is up already ('umnet lab restart %s %s' restarts it)",
					lab->name, lab->nodes[i].name,
					lab->name, lab->nodes[i].name);
				goto out;
			}
			which[i] = false;
		}
		n += which[i];
	}
	if (!fresh && !n) {
		ret = -EEXIST;
		err_set(e,
			"lab %s is up already, with all its nodes ('umnet lab status %s'; 'umnet lab down %s')",
			lab->name, lab->name, lab->name);
		goto out;
	}
	ret = check_clashes(lab, which, e);
	if (ret)
		goto out;
	if (fresh) {
		char src[2 * PATH_MAX + 4];
		char *text = NULL;
		int len;

		ret = read_file(lab->path, &text, NULL);
		if (!ret) {
			ret = write_file(lp.copy, text, strlen(text), 0600);
			free(text);
		}
		len = snprintf(src, sizeof(src), "%s\n%s\n", lab->path,
			       lab->dir);
		if (!ret)
			ret = write_file(lp.source, src, len, 0600);
		if (ret) {
			err_set(e, "lab %s: saving the lab in %s: %s",
				lab->name, lp.dir, strerror(-ret));
			goto out;
		}
		if ((ret = make_netns(lab, &lp, e)) ||
		    (ret = wire_keeper_start(lab, &lp, e)) ||
		    (ret = start_switches(lab, &lp, e)))
			goto out;
	}
	booting = true;
	ret = boot_waves(lab, which, jobs, timeout_s, cb, arg, ok);
	if (ret) {
		err_set(e, "lab %s: %s", lab->name,
			ret == -EIO ? "some nodes failed to come up"
				    : strerror(-ret));
		goto out;
	}
	reapply_cuts(lab, which);
out:
	if (ret && booting) {
		/* remove what this call made */
		for (i = 0; i < lab->nnodes; i++)
			if (which[i])
				teardown_node(lab, i, &e2);
	}
	if (ret && fresh)
		infra_down(lab->name, &e2);
	free(which);
	free(ok);
	return ret;
}

int lab_restart(struct lab *lab, const bool *which, int jobs, int timeout_s,
		lab_progress_fn cb, void *arg, struct err *e)
{
	struct lab_paths lp;
	bool *ok;
	int i, ret = 0;

	if (!lab_is_up(lab->name))
		return err_set(e, "lab %s is not up", lab->name), -ENOENT;
	lab_paths(lab->name, &lp);
	ok = calloc(lab->nnodes, sizeof(*ok));
	if (!ok)
		return -ENOMEM;
	for (i = 0; i < lab->nnodes; i++) {
		if (which && !which[i])
			continue;
		ret = teardown_node(lab, i, e);
		if (ret)
			goto out;
	}
	ret = boot_waves(lab, which, jobs, timeout_s, cb, arg, ok);
	if (ret) {
		err_set(e, "lab %s: some nodes failed to come back", lab->name);
		goto out;
	}
	{
		bool *all = calloc(lab->nnodes, sizeof(*all));

		for (i = 0; all && i < lab->nnodes; i++)
			all[i] = !which || which[i];
		if (all)
			reapply_cuts(lab, all);
		free(all);
	}
out:
	free(ok);
	return ret;
}

/* the lab's own things: processes, wire records, namespaces, state dir */
static int infra_down(const char *name, struct err *e)
{
	struct lab_paths lp;
	struct err e2 = { "" };
	int ret, first = 0;

	ret = lab_paths(name, &lp);
	if (ret)
		return err_set(e, "lab %s: %s", name, strerror(-ret)), ret;
	stop_procs(name);
	wire_registry_drop(name);
	if (access(lp.journal, F_OK) == 0) {
		ret = journal_teardown(lp.journal, &e2);
		if (ret && !first) {
			first = ret;
			*e = e2;
		}
	}
	if (geteuid() == 0) {
		char owner[LAB_NAME_MAX + 8];

		snprintf(owner, sizeof(owner), "lab:%s", name);
		ids_free(owner);
	}
	ret = rm_rf(lp.dir);
	if (ret && ret != -ENOENT && !first) {
		first = ret;
		err_set(e, "removing %s: %s", lp.dir, strerror(-ret));
	}
	{
		char root[PATH_MAX];

		if (!state_root(root, sizeof(root) - 8)) {
			strcat(root, "/.labs");
			rmdir(root); /* when empty */
		}
	}
	return first;
}

int lab_down(const char *name, struct err *e)
{
	node_name_t *names = NULL;
	struct err e2 = { "" };
	char prefix[LAB_NAME_MAX + 2];
	int n, i, ret, first = 0, lockfd;

	if (!lab_name_valid(name))
		return err_set(e, "'%s' is not a lab name", name), -EINVAL;
	lockfd = name_lock("lab", name, "taking the lab down", LAB_LOCK_WAIT_S,
			   e);
	if (lockfd < 0)
		return lockfd;
	/* every node LAB.*, whatever the lab file says now */
	snprintf(prefix, sizeof(prefix), "%s.", name);
	n = node_list(&names);
	for (i = 0; i < n; i++) {
		struct node_paths np;

		if (strncmp(names[i], prefix, strlen(prefix)) ||
		    node_paths(names[i], &np))
			continue;
		ret = node_down(&np, &e2);
		if (ret && !first) {
			first = ret;
			*e = e2;
		}
	}
	free(names);
	if (n < 0 && !first) {
		first = n;
		err_set(e, "lab %s: listing its nodes: %s", name, strerror(-n));
	}
	ret = infra_down(name, &e2);
	if (ret && !first) {
		first = ret;
		*e = e2;
	}
	name_unlock(lockfd, "lab", name, !lab_is_up(name));
	return first;
}

/* ---- repair --------------------------------------------------------------- */

/* the newest record of what (a lab process) says it is alive */
static bool proc_alive(const struct lab_proc *procs, int n, const char *what)
{
	int i;

	for (i = n - 1; i >= 0; i--)
		if (!strcmp(procs[i].what, what))
			return procs[i].alive;
	return false;
}

/* drop the records of dead processes that a newer record replaces */
static int procs_compact(const struct lab_paths *lp, const char *name)
{
	struct lab_proc procs[2 * (LAB_MAX_LINKS + 1)];
	struct strbuf sb = { 0 };
	char tmp[PATH_MAX + 8];
	int n, i, j, ret;

	n = lab_procs(name, procs, ARRAY_SIZE(procs));
	if (n <= 0)
		return n;
	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n; j++)
			if (!strcmp(procs[i].what, procs[j].what))
				break;
		if (j < n && !procs[i].alive)
			continue;
		sb_printf(&sb, "%d %llu %s\n", (int)procs[i].pid,
			  procs[i].start, procs[i].what);
	}
	snprintf(tmp, sizeof(tmp), "%s.new", lp->procs);
	ret = sb.oom ? -ENOMEM : write_file(tmp, sb.buf, sb.len, 0600);
	if (!ret && rename(tmp, lp->procs) < 0)
		ret = -errno;
	if (ret)
		unlink(tmp);
	sb_free(&sb);
	return ret;
}

int lab_repair(struct lab *lab, int jobs, int timeout_s, lab_progress_fn cb,
	       lab_event_fn ev, void *arg, struct err *e)
{
	struct lab_proc procs[2 * (LAB_MAX_LINKS + 1)];
	struct lab_paths lp;
	bool *reboot = NULL, *ok = NULL, *sw = NULL, wires = false;
	char msg[256], what[64];
	int i, j, n, nprocs, ret = 0, fixed = 0;

	if (!lab_is_up(lab->name))
		return err_set(e, "lab %s is not up", lab->name), -ENOENT;
	lab_paths(lab->name, &lp);
	reboot = calloc(lab->nnodes, sizeof(*reboot));
	ok = calloc(lab->nnodes, sizeof(*ok));
	sw = calloc(lab->nlinks, sizeof(*sw));
	if (!reboot || !ok || !sw) {
		ret = -ENOMEM;
		err_set(e, "out of memory");
		goto out;
	}
	procs_compact(&lp, lab->name);
	nprocs = lab_procs(lab->name, procs, ARRAY_SIZE(procs));
	if (nprocs < 0)
		nprocs = 0;
	for (i = 0; i < lab->nlinks; i++)
		if (lab->links[i].kind == LINK_WIRE)
			wires = true;
	/* the keeper: new socketpairs, so every node on a wire boots again */
	if (wires && !proc_alive(procs, nprocs, "keeper")) {
		ret = wire_keeper_start(lab, &lp, e);
		if (ret)
			goto out;
		for (i = 0; i < lab->nlinks; i++) {
			const struct lab_link *l = &lab->links[i];

			if (l->kind != LINK_WIRE)
				continue;
			for (j = 0; j < l->neps; j++)
				reboot[l->eps[j].node] = true;
		}
		ev(arg,
		   "the wire keeper was dead: started a new one with new wires; the nodes on them boot again");
		fixed++;
	}
	/* switches: the same socket path; nodes on them reattach below */
	for (i = 0; i < lab->nlinks; i++) {
		const struct lab_link *l = &lab->links[i];

		if (l->kind != LINK_SWITCH)
			continue;
		snprintf(what, sizeof(what), "switch %s", l->name);
		if (proc_alive(procs, nprocs, what))
			continue;
		ret = start_switch(&lp, l, e);
		if (ret)
			goto out;
		sw[i] = true;
		snprintf(msg, sizeof(msg), "switch %s was dead: restarted",
			 l->name);
		ev(arg, msg);
		fixed++;
	}
	ret = procs_compact(&lp, lab->name);
	if (ret) {
		err_set(e, "%s: %s", lp.procs, strerror(-ret));
		goto out;
	}
	for (i = 0; i < lab->nnodes; i++) {
		struct node_paths np;

		if (node_paths(lab->nodes[i].p->name, &np) ||
		    node_running(&np, NULL))
			continue;
		if (!reboot[i]) {
			snprintf(msg, sizeof(msg),
				 "node %s was %s: it boots again",
				 lab->nodes[i].name,
				 access(np.dir, F_OK)
					 ? "missing"
					 : "dead (its UML process is gone)");
			ev(arg, msg);
			fixed++;
		}
		reboot[i] = true;
	}
	/*
	 * A node still running on a restarted switch: its bess transport
	 * connects again when the interface goes down and up. A node that
	 * cannot do that in time (the driver of some kernels spins on a
	 * socket whose peer is gone) boots again instead.
	 */
	for (i = 0; i < lab->nlinks; i++) {
		const struct lab_link *l = &lab->links[i];

		for (j = 0; sw[i] && j < l->neps; j++) {
			const struct lab_endpoint *ep = &l->eps[j];
			char cmd[128], out[256];
			int status = 0, r;

			if (reboot[ep->node])
				continue;
			snprintf(
				cmd, sizeof(cmd),
				"ip link set vec%d down && ip link set vec%d up 2>&1",
				ep->vec, ep->vec);
			r = lab_node_sh(lab, ep->node, cmd, 3000, &status, out,
					sizeof(out));
			if (r || status) {
				snprintf(
					msg, sizeof(msg),
					"node %s: vec%d did not reattach to switch %s (%s): it boots again",
					lab->nodes[ep->node].name, ep->vec,
					l->name,
					r ? strerror(-r) : strtrim(out));
				reboot[ep->node] = true;
			} else {
				snprintf(
					msg, sizeof(msg),
					"node %s: vec%d reattached to switch %s",
					lab->nodes[ep->node].name, ep->vec,
					l->name);
			}
			ev(arg, msg);
		}
	}
	for (i = 0, n = 0; i < lab->nnodes; i++) {
		if (!reboot[i])
			continue;
		n++;
		ret = teardown_node(lab, i, e);
		if (ret)
			goto out;
	}
	if (n) {
		ret = boot_waves(lab, reboot, jobs, timeout_s, cb, arg, ok);
		if (ret) {
			err_set(e, "lab %s: some nodes failed to come back",
				lab->name);
			goto out;
		}
		reapply_cuts(lab, reboot);
	}
	ret = fixed;
out:
	free(reboot);
	free(ok);
	free(sw);
	return ret;
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
	int i, status = 0, ret;

	ret = link_marker(lab->name, l->name, path, sizeof(path));
	if (ret)
		return err_set(e, "%s: %s", l->name, strerror(-ret)), ret;
	if (down) {
		ret = write_file(path, "down\n", 5, 0600);
		if (ret)
			return err_set(e, "%s: %s", path, strerror(-ret)), ret;
	}
	for (i = 0; i < l->neps; i++) {
		const struct lab_endpoint *ep = &l->eps[i];
		char v[IFNAMSIZ];

		profile_ifname(lab->nodes[ep->node].p, ep->vec, v, sizeof(v));

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
			err_set(e, "link %s: %s %s: %s", l->name,
				lab->nodes[ep->node].name, v,
				ret ? strerror(-ret) : strtrim(out));
			return ret ? ret : -EIO;
		}
	}
	if (!down)
		unlink(path);
	return 0;
}
