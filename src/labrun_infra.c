// SPDX-License-Identifier: GPL-2.0
/*
 * A lab's infrastructure on the host: its switches (one `umnet switch` per
 * segment), the checks that nothing it would create exists, its network
 * namespaces, and taking all of that down again. The wire keeper is in
 * wires.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hostplan.h"
#include "ids.h"
#include "jail.h"
#include "labrun_int.h"
#include "node.h"
#include "plan.h"
#include "switch.h"
#include "wires.h"

/* stop_procs waits this many times 10 ms for SIGTERM, then SIGKILLs */
#define STOP_PROCS_ROUNDS 200

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

/*
 * A dir of the lab's state dir that the lab's uid writes and its gid
 * reads: sw/ (the switches' sockets, which the nodes reach) and capture/
 * (what capture = yes records)
 */
static int lab_subdir(const struct lab_paths *lp, const struct jail *j,
		      const char *name, char *dir, size_t len, struct err *e)
{
	int ret = path_fmt(dir, len, "%s/%s", lp->dir, name);
	char blk[PATH_MAX];
	mode_t m;

	/* a state dir of mktemp -d (0700): say so, not "did not start" */
	if (!ret && j->uid != (uid_t)-1 &&
	    path_reachable(lp->dir, j->uid, j->gid, blk, sizeof(blk), &m) ==
		    -EACCES)
		return errf(
			e, -EACCES,
			"%s: the lab's jailed switches (uid %u) cannot reach it: %s is mode %04o; let others through it (chmod o+x %s), or choose a UMNET_STATE_DIR they can pass (the default, /run/umnet, is 0755)",
			lp->dir, (unsigned)j->uid, blk, (unsigned)m, blk);
	if (!ret)
		ret = mkdir_p(dir, 0750);
	if (!ret && j->uid != (uid_t)-1 && chown(dir, j->uid, j->gid) < 0)
		ret = -errno;
	if (ret)
		errf(e, ret, "%s: %s", dir, strerror(-ret));
	return ret;
}

static int capture_dir(const struct lab_paths *lp, const struct jail *j,
		       struct err *e)
{
	char dir[PATH_MAX];

	return lab_subdir(lp, j, "capture", dir, sizeof(dir), e);
}

/* what the switch of a captured link writes: --mirror FILE and its ring */
struct sw_capture {
	char file[PATH_MAX], size[24], files[12];
};

static void switch_child(const struct jail *jail, int exe, const char *path,
			 const char *log, const struct sw_capture *cap,
			 char **l2tp, int nl2tp)
{
	char *argv[16 + 2 * (SWITCH_L2TP_PEERS_MAX + 1)] = {
		"umnet", "switch", "-d", "-v", "-m", "0660", "-s", (char *)path
	};
	struct jail j = *jail;
	int keep[1] = { exe }, n = 8;

	for (int i = 0; i < nl2tp && i < 2 * (SWITCH_L2TP_PEERS_MAX + 1); i++)
		argv[n++] = l2tp[i];

	if (cap) {
		argv[n++] = "--mirror";
		argv[n++] = (char *)cap->file;
		argv[n++] = "--mirror-size";
		argv[n++] = (char *)cap->size;
		argv[n++] = "--mirror-files";
		argv[n++] = (char *)cap->files;
	}
	argv[n] = NULL;
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
int start_switch(const struct lab *lb, const struct lab_paths *lp,
		 const struct lab_link *l, struct err *e)
{
	char **l2tp = NULL;
	int nl2tp = 0;
	char path[PATH_MAX], log[PATH_MAX + 8], what[64], dir[PATH_MAX];
	const char *lab = strrchr(lp->dir, '/') + 1;
	struct sw_capture cap;
	int ret, exe = -1;
	struct jail j;
	long long t0;
	pid_t pid;

	ret = lab_jail(lab, &j);
	if (ret)
		return errf(e, ret, "lab %s: host ids: %s", lab,
			    strerror(-ret));
	if ((ret = lab_subdir(lp, &j, "sw", dir, sizeof(dir), e)))
		return ret;
	if (l->capture) {
		if ((ret = capture_dir(lp, &j, e)))
			return ret;
		ret = lab_capture_path(lp->dir, l, cap.file, sizeof(cap.file));
		if (ret)
			return errf(e, ret, "[link %s]: capture path: %s",
				    l->name, strerror(-ret));
		snprintf(cap.size, sizeof(cap.size), "%llu", l->capture_size);
		snprintf(cap.files, sizeof(cap.files), "%u", l->capture_files);
	}
	ret = lab_switch_path(lp->dir, l, path, sizeof(path));
	if (ret)
		return errf(e, ret, "[link %s]: switch socket path: %s",
			    l->name, strerror(-ret));
	exe = open("/proc/self/exe", O_PATH | O_CLOEXEC);
	if (exe < 0)
		return errf(e, -errno, "/proc/self/exe: %m");
	ret = path_fmt(log, sizeof(log), "%s.log", path);
	if (ret) {
		errf(e, ret, "[link %s]: %s.log: %s", l->name, path,
		     strerror(-ret));
		goto cleanup;
	}
	snprintf(what, sizeof(what), "switch %s", l->name);
	ret = lab_switch_l2tp_args(lb, l, &l2tp, &nl2tp);
	if (ret) {
		errf(e, ret, "[link %s]: %s", l->name, strerror(-ret));
		goto cleanup;
	}
	pid = spawn_recorded(lp, what, e);
	if (pid < 0) {
		ret = pid;
		goto cleanup;
	}
	if (pid == 0)
		switch_child(&j, exe, path, log, l->capture ? &cap : NULL, l2tp,
			     nl2tp);
	for (t0 = now_ms(); !switch_ready(path); usleep(2000)) {
		if (waitpid(pid, NULL, WNOHANG) == pid ||
		    now_ms() - t0 > 5000) {
			ret = errf(
				e, -EIO,
				"[link %s]: the switch did not start (see %s)",
				l->name, log);
			goto cleanup;
		}
	}
cleanup:
	lab_switch_l2tp_free(l2tp, nl2tp);
	close(exe);
	return ret;
}

int start_switches(const struct lab *lab, const struct lab_paths *lp,
		   struct err *e)
{
	int i, ret;

	for (i = 0; i < lab->nlinks; i++) {
		if (!lab_switch_here(lab, &lab->links[i]))
			continue;
		ret = start_switch(lab, lp, &lab->links[i], e);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * capture = yes on a netns link: `umnet record --follow` on the veth end in
 * the namespace, started before the node so that its first frame is in.
 * It runs as root (it opens a packet socket in the namespace each time the
 * node makes its end anew); it only reads frames and writes the ring.
 */
int start_recorder(const struct lab_paths *lp, const struct lab_link *l,
		   struct err *e)
{
	const char *lab = strrchr(lp->dir, '/') + 1;
	const char *ns = lab_kv(l->kvs, l->nkvs, "netns");
	const char *ifname = lab_kv(l->kvs, l->nkvs, "host-ifname") ?: l->name;
	char file[PATH_MAX], log[PATH_MAX + 8], what[64], size[24], files[12];
	char *argv[] = { "umnet", "record",	  "--follow", "-n", (char *)ns,
			 "-i",	  (char *)ifname, "-w",	      file, "-C",
			 size,	  "-W",		  files,      NULL };
	static char *const env[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
				     "LANG=C", NULL };
	struct jail j;
	int ret, exe;
	pid_t pid;

	if ((ret = lab_jail(lab, &j)) || (ret = capture_dir(lp, &j, e)))
		return ret < 0 && !e->msg[0]
			       ? errf(e, ret, "lab %s: %s", lab, strerror(-ret))
			       : ret;
	if ((ret = lab_capture_path(lp->dir, l, file, sizeof(file))) ||
	    (ret = path_fmt(log, sizeof(log), "%s.log", file)))
		return errf(e, ret, "[link %s]: capture path: %s", l->name,
			    strerror(-ret));
	snprintf(size, sizeof(size), "%llu", l->capture_size);
	snprintf(files, sizeof(files), "%u", l->capture_files);
	snprintf(what, sizeof(what), "record %s", l->name);
	exe = open("/proc/self/exe", O_PATH | O_CLOEXEC);
	if (exe < 0)
		return errf(e, -errno, "/proc/self/exe: %m");
	pid = spawn_recorded(lp, what, e);
	if (pid == 0) {
		setsid();
		detach_stdio(log);
		syscall(SYS_execveat, exe, "", argv, env, AT_EMPTY_PATH);
		fprintf(stderr, "umnet record: exec: %s\n", strerror(errno));
		_exit(127);
	}
	close(exe);
	return pid < 0 ? (int)pid : 0;
}

int start_recorders(const struct lab *lab, const struct lab_paths *lp,
		    struct err *e)
{
	int i, ret;

	for (i = 0; i < lab->nlinks; i++) {
		const struct lab_link *l = &lab->links[i];

		if (l->kind != LINK_NETNS || !l->capture ||
		    !lab_link_here(lab, l))
			continue;
		ret = start_recorder(lp, l, e);
		if (ret)
			return ret;
	}
	return 0;
}

/* SIGTERM to every process the lab recorded, then SIGKILL to the rest */
static void stop_procs(const char *name)
{
	struct lab_proc *procs = NULL;
	int n, i, k;

	n = lab_procs(name, &procs);
	for (i = 0; i < n; i++)
		if (procs[i].alive)
			kill(procs[i].pid, SIGTERM);
	/* wait for them, then make sure */
	for (k = 0; k < STOP_PROCS_ROUNDS; k++) {
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
			goto cleanup;
		usleep(10000);
	}
	for (i = 0; i < n; i++)
		if (procs[i].alive)
			kill(procs[i].pid, SIGKILL);
cleanup:
	free(procs);
}

/* ---- checks before anything is made ------------------------------------ */

struct made_if {
	char netns[NETNS_NAME_MAX];
	char ifname[IFNAMSIZ];
	const char *owner;
};

int check_clashes(const struct lab *lab, const bool *only, struct err *e)
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
			ret = errf(
				e, -EEXIST,
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
					ret = errf(
						e, -EEXIST,
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
							ret = errf(
								e, -ENOMEM,
								"out of memory");
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
					ret = errf(
						e, -EEXIST,
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
int make_netns(const struct lab *lab, const struct lab_paths *lp, struct err *e)
{
	struct plan plan = { 0 };
	int i, j, ret = 0;

	for (i = 0; i < lab->nnodes; i++) {
		const struct profile *p = lab->nodes[i].p;
		const char *names[MAX_IFACES + 1];
		int n = 0;

		if (!lab_node_here(lab, i)) /* another host's */
			continue;
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
			if (ret) {
				errf(e, ret, "lab %s: netns %s: %s", lab->name,
				     names[j], strerror(-ret));
				goto cleanup;
			}
		}
	}
	ret = plan_apply(&plan, PHASE_PRE_BOOT, lp->journal, e);
cleanup:
	plan_free(&plan);
	return ret;
}

/* the lab's own things: processes, wire records, namespaces, state dir */
int infra_down(const char *name, struct err *e)
{
	struct lab_paths lp;
	struct err e2 = { "" };
	int ret, first = 0;

	ret = lab_paths(name, &lp);
	if (ret)
		return errf(e, ret, "lab %s: %s", name, strerror(-ret));
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
		errf(e, ret, "removing %s: %s", lp.dir, strerror(-ret));
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
