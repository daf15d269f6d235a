// SPDX-License-Identifier: GPL-2.0
/*
 * Wires (wires.h): the socketpairs, the registry of a lab's keeper, the
 * keeper itself, and how a node gets its end.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "jail.h"
#include "lab.h"
#include "labrun_int.h"
#include "node.h"
#include "supervisor.h"
#include "wires.h"

bool wire_name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > WIRE_NAME_MAX)
		return false;
	return strspn(s, ALNUM "_.-") == n && s[0] != '.';
}

/* fd number target of process pid, as an fd of ours (pidfd_getfd) */
static int take_fd(pid_t pid, int target)
{
	int pfd, fd;

	pfd = syscall(SYS_pidfd_open, pid, 0);
	if (pfd < 0)
		return -errno;
	fd = syscall(SYS_pidfd_getfd, pfd, target, 0);
	if (fd < 0)
		fd = -errno;
	close(pfd);
	return fd;
}

/*
 * A unix socket charges each frame in flight to its sender's send buffer.
 * At the default (net.core.wmem_default, 208 KiB) about 90 full-size
 * frames fit; the vector driver sends up to its depth at once, and when
 * sendmmsg() fails with EAGAIN it drops the whole queue. 4 MiB holds a
 * vector of such frames. SO_SNDBUFFORCE needs CAP_NET_ADMIN, which up has;
 * without it net.core.wmem_max caps SO_SNDBUF.
 */
#define WIRE_SNDBUF (4 * 1024 * 1024)

int wire_socketpair(int sv[2])
{
	int size = WIRE_SNDBUF, i;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	for (i = 0; i < 2; i++)
		if (setsockopt(sv[i], SOL_SOCKET, SO_SNDBUFFORCE, &size,
			       sizeof(size)))
			setsockopt(sv[i], SOL_SOCKET, SO_SNDBUF, &size,
				   sizeof(size));
	return 0;
}

/*
 * STATE_ROOT/DIR, or with wire: STATE_ROOT/DIR/WIRE; DIR is REGISTRY (the
 * labs' keepers) or INDEX (wires between two nodes, below)
 */
#define REGISTRY ".wires"
#define INDEX ".wire-ends"
static int wires_path(const char *dir, const char *wire, char *out, size_t len)
{
	char root[PATH_MAX];
	int ret;

	ret = state_root(root, sizeof(root));
	if (ret)
		return ret;
	if (!wire)
		return path_fmt(out, len, "%s/%s", root, dir);
	return path_fmt(out, len, "%s/%s/%s", root, dir, wire);
}

void wire_registry_drop(const char *lab)
{
	char dir[PATH_MAX], path[PATH_MAX + 256];
	size_t n = strlen(lab);
	struct dirent *de;
	DIR *d;

	if (wires_path(REGISTRY, NULL, dir, sizeof(dir)))
		return;
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, lab, n) && de->d_name[n] == '.' &&
		    !path_fmt(path, sizeof(path), "%s/%s", dir, de->d_name))
			unlink(path);
	closedir(d);
	rmdir(dir); /* when empty */
}

/* ---- a wire between two nodes, without a keeper ------------------------ */

/*
 * The index of a wire between two nodes: STATE_ROOT/.wire-ends/WIRE,
 * "OWNER VEC [PEER]", so that a node finds the other end of its wire
 * without reading the state of every node running. Each entry is checked
 * against the nodes' own records (wire-WIRE in their state dirs), which
 * stay the truth: a stale index entry counts as none.
 */
struct wire_index {
	char owner[NODE_NAME_MAX + 1], peer[NODE_NAME_MAX + 1];
	int vec;
};

static int index_read(const char *wire, struct wire_index *wi)
{
	char path[PATH_MAX], *rec = NULL;
	int ret;

	memset(wi, 0, sizeof(*wi));
	ret = wires_path(INDEX, wire, path, sizeof(path));
	if (!ret)
		ret = read_file(path, &rec, NULL);
	if (ret)
		return ret;
	if (sscanf(rec, "%32s %d %32s", wi->owner, &wi->vec, wi->peer) < 2 ||
	    wi->vec < 0)
		ret = -EINVAL;
	free(rec);
	return ret;
}

static int index_write(const char *wire, const struct wire_index *wi)
{
	char path[PATH_MAX], rec[128];
	int ret, n;

	ret = wires_path(INDEX, NULL, path, sizeof(path));
	if (!ret)
		ret = mkdir_p(path, 0700);
	if (!ret)
		ret = wires_path(INDEX, wire, path, sizeof(path));
	if (ret)
		return ret;
	n = snprintf(rec, sizeof(rec), "%s %d %s\n", wi->owner, wi->vec,
		     wi->peer);
	return write_file(path, rec, n, 0644);
}

/* does node's own record of wire say role (and, for an owner, vec)? */
static bool node_has_end(const char *node, const char *wire, const char *role,
			 int vec)
{
	char path[PATH_MAX + 64], *rec = NULL, r[16] = "";
	struct node_paths np;
	int v = -1;

	if (!node[0] || node_paths(node, &np) ||
	    path_fmt(path, sizeof(path), "%s/wire-%s", np.dir, wire) ||
	    read_file(path, &rec, NULL))
		return false;
	sscanf(rec, "%15s vec%d", r, &v);
	free(rec);
	return !strcmp(r, role) && (vec < 0 || v == vec);
}

/*
 * The node (other than self) holding the spare end of wire: 0, -ENOENT
 * (none: self makes a new pair) or -EBUSY (another node is its peer).
 */
static int peer_lookup(const char *self, const char *wire,
		       struct wire_index *wi)
{
	if (index_read(wire, wi))
		return -ENOENT;
	if (wi->peer[0] && strcmp(wi->peer, self) &&
	    node_has_end(wi->peer, wire, "peer", -1))
		return -EBUSY;
	if (!strcmp(wi->owner, self) ||
	    !node_has_end(wi->owner, wire, "owner", wi->vec))
		return -ENOENT;
	return 0;
}

void wire_node_gone(const char *node, const char *wire)
{
	struct wire_index wi;
	char path[PATH_MAX];

	if (index_read(wire, &wi))
		return;
	if (!strcmp(wi.peer, node)) {
		wi.peer[0] = '\0';
		index_write(wire, &wi);
	} else if (!strcmp(wi.owner, node) &&
		   !wires_path(INDEX, wire, path, sizeof(path))) {
		unlink(path);
		if (!wires_path(INDEX, NULL, path, sizeof(path)))
			rmdir(path); /* when empty */
	}
}

/* 1: took node's end from the wire's keeper; 0: no keeper */
static int from_keeper(const char *node, int vec, const char *wire,
		       struct fd_pass *pass, struct err *e)
{
	char path[PATH_MAX], *rec = NULL, a[NODE_NAME_MAX + 1] = "",
			     b[NODE_NAME_MAX + 1] = "";
	unsigned long long st = 0, now = 0;
	int pid = 0, fda = -1, fdb = -1, fd, ret;

	ret = wires_path(REGISTRY, wire, path, sizeof(path));
	if (ret)
		return errf(e, ret, "wire %s: %s", wire, strerror(-ret));
	ret = read_file(path, &rec, NULL);
	if (ret == -ENOENT)
		return 0;
	if (ret)
		return errf(e, ret, "%s: %s", path, strerror(-ret));
	if (sscanf(rec, "%d %llu %d %d %32s %32s", &pid, &st, &fda, &fdb, a,
		   b) != 6) {
		ret = errf(e, -EINVAL, "%s: not a wire record", path);
		goto cleanup;
	}
	if (strcmp(node, a) && strcmp(node, b)) {
		ret = errf(
			e, -EBUSY,
			"%s vec%d: wire %s joins %s and %s: a wire is point-to-point",
			node, vec, wire, a, b);
		goto cleanup;
	}
	if (pid_starttime(pid, &now) || now != st) {
		ret = errf(
			e, -ESRCH,
			"%s vec%d: wire %s: the process holding its ends (pid %d) is gone: take the lab down and up again",
			node, vec, wire, pid);
		goto cleanup;
	}
	fd = take_fd(pid, strcmp(node, a) ? fdb : fda);
	if (fd < 0) {
		ret = errf(e, fd,
			   "%s vec%d: wire %s: taking its end from pid %d: %s",
			   node, vec, wire, pid, strerror(-fd));
		goto cleanup;
	}
	ret = fd_pass_add(pass, fd, WIRE_FD_BASE + vec);
	close(fd);
	if (ret) {
		errf(e, ret, "%s vec%d: %s", node, vec, strerror(-ret));
		goto cleanup;
	}
	ret = 1;
cleanup:
	free(rec);
	return ret;
}

/* the other end of wire from the running node wi->owner */
static int from_peer(const char *node, int vec, const char *wire,
		     struct wire_index *wi, const char *path,
		     struct fd_pass *pass, struct err *e)
{
	const char *peer = wi->owner;
	int spare = WIRE_SPARE_BASE + wi->vec, fd, ret, n;
	struct node_paths pnp;
	char rec[64];
	pid_t pid = 0;

	if (node_paths(peer, &pnp) || !node_running(&pnp, &pid))
		return errf(
			e, -ESRCH,
			"%s vec%d: wire %s: its other node %s is not running: 'umnet down %s' and start both again",
			node, vec, wire, peer, peer);
	fd = take_fd(pid, spare);
	if (fd < 0)
		return errf(
			e, fd,
			"%s vec%d: wire %s: taking the other end from %s (pid %d): %s",
			node, vec, wire, peer, (int)pid, strerror(-fd));
	n = snprintf(rec, sizeof(rec), "peer vec%d %s\n", vec, peer);
	ret = write_file(path, rec, n, 0644);
	if (!ret) {
		strscpy(wi->peer, node, sizeof(wi->peer));
		ret = index_write(wire, wi);
	}
	if (!ret)
		ret = fd_pass_add(pass, fd, WIRE_FD_BASE + vec);
	close(fd);
	if (ret)
		return errf(e, ret, "%s: %s", path, strerror(-ret));
	return 0;
}

int wire_attach(const char *node, int vec, const char *wire,
		const struct node_paths *np, struct fd_pass *pass,
		struct err *e)
{
	char path[PATH_MAX + 64], rec[64];
	int sv[2] = { -1, -1 }, ret, n;
	struct wire_index wi;

	ret = from_keeper(node, vec, wire, pass, e);
	if (ret)
		return ret < 0 ? ret : 0;
	ret = path_fmt(path, sizeof(path), "%s/wire-%s", np->dir, wire);
	if (ret)
		return errf(e, ret, "%s/wire-%s: %s", np->dir, wire,
			    strerror(-ret));
	ret = peer_lookup(node, wire, &wi);
	if (ret == 0)
		return from_peer(node, vec, wire, &wi, path, pass, e);
	if (ret == -EBUSY)
		return errf(
			e, -EBUSY,
			"%s vec%d: wire %s joins two other nodes already: a wire is point-to-point",
			node, vec, wire);
	ret = wire_socketpair(sv);
	if (ret)
		return errf(e, ret, "%s vec%d: socketpair: %s", node, vec,
			    strerror(-ret));
	n = snprintf(rec, sizeof(rec), "owner vec%d\n", vec);
	ret = write_file(path, rec, n, 0644);
	if (!ret) {
		wi = (struct wire_index){ .vec = vec };
		strscpy(wi.owner, node, sizeof(wi.owner));
		ret = index_write(wire, &wi);
	}
	if (!ret)
		ret = fd_pass_add(pass, sv[0], WIRE_FD_BASE + vec);
	if (!ret)
		ret = fd_pass_add(pass, sv[1], WIRE_SPARE_BASE + vec);
	if (ret)
		errf(e, ret, "%s: %s", path, strerror(-ret));
	close(sv[0]);
	close(sv[1]);
	return ret;
}

/* ---- the lab's keeper --------------------------------------------------- */

/* the wire ends one keeper holds: what the jail keeps, less a margin */
#define WIRE_KEEPER_FDS_MAX (JAIL_MAX_KEEP_FDS - 16)

/* the keeper: hold the wire ends (keep[]) until SIGTERM */
static void keeper_main(const struct jail *jail, const int *keep, int nkeep)
{
	struct jail j = *jail;
	sigset_t set;
	int sig;

	setsid();
	if (chdir("/") < 0)
		_exit(1);
	prctl(PR_SET_NAME, "umnet-wires", 0, 0, 0);
	detach_stdio(NULL);
	j.keep_fds = keep;
	j.nkeep = nkeep;
	jail_enter_or_exit(&j, -1, "umnet-wires");
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigwait(&set, &sig);
	_exit(0);
}

/* register wire l, whose ends the keeper pid holds as fds fd[0], fd[1] */
static int registry_add(const struct lab *lab, const struct lab_link *l,
			pid_t pid, unsigned long long st, const int *fd,
			struct err *e)
{
	char path[PATH_MAX], dir[PATH_MAX], wire[64], rec[256],
		a[NODE_NAME_MAX + 1], b[NODE_NAME_MAX + 1];
	int ret, n;

	lab_wire_name(lab, l, wire, sizeof(wire));
	lab_node_hostname(lab, l->eps[0].node, a, sizeof(a));
	lab_node_hostname(lab, l->eps[1].node, b, sizeof(b));
	n = snprintf(rec, sizeof(rec), "%d %llu %d %d %s %s\n", (int)pid, st,
		     fd[0], fd[1], a, b);
	ret = wires_path(REGISTRY, NULL, dir, sizeof(dir));
	if (!ret)
		ret = mkdir_p(dir, 0700);
	if (!ret)
		ret = wires_path(REGISTRY, wire, path, sizeof(path));
	if (!ret)
		ret = write_file(path, rec, n, 0644);
	if (ret)
		return errf(e, ret, "wire %s: %s/%s: %s", wire, dir, wire,
			    strerror(-ret));
	return 0;
}

/* the files we keep open besides the wires' ends */
#define NOFILE_SPARE 256

/* raise our soft RLIMIT_NOFILE, within the hard one, for n more files */
static int nofile_room(int n)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return -errno;
	if (rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur >= (rlim_t)n + NOFILE_SPARE)
		return 0;
	if (rl.rlim_max != RLIM_INFINITY &&
	    rl.rlim_max < (rlim_t)n + NOFILE_SPARE)
		return -EMFILE;
	rl.rlim_cur = (rlim_t)n + NOFILE_SPARE;
	return setrlimit(RLIMIT_NOFILE, &rl) ? -errno : 0;
}

int wire_keeper_start(const struct lab *lab, const struct lab_paths *lp,
		      struct err *e)
{
	int *fds = NULL, nfds = 0, i, ret = 0;
	unsigned long long st = 0;
	struct jail j;
	pid_t pid;

	/* the keeper holds both ends of every wire, in the jail's fd limit */
	for (i = 0; i < lab->nlinks; i++)
		nfds += 2 * (lab_link_wired(&lab->links[i]) &&
			     lab_link_here(lab, &lab->links[i]));
	if (nfds > WIRE_KEEPER_FDS_MAX)
		return errf(
			e, -E2BIG,
			"lab %s: %d wires, at most %d in one lab (a process holds both ends of each)",
			lab->name, nfds / 2, WIRE_KEEPER_FDS_MAX / 2);
	/* we hold them all too until the keeper has them: room for that */
	ret = nofile_room(nfds);
	if (ret)
		return errf(
			e, ret,
			"lab %s: %d wires need %d open files, more than this process may have (ulimit -n): raise it, e.g. 'ulimit -n %d'",
			lab->name, nfds / 2, nfds, nfds + NOFILE_SPARE);
	nfds = 0;
	fds = calloc(2 * lab->nlinks + 1, sizeof(*fds));
	if (!fds)
		return errf(e, -ENOMEM, "out of memory");
	for (i = 0; i < lab->nlinks; i++) {
		if (!lab_link_wired(&lab->links[i]) ||
		    !lab_link_here(lab, &lab->links[i]))
			continue;
		ret = wire_socketpair(&fds[nfds]);
		if (ret) {
			errf(e, ret, "lab %s: socketpair: %s", lab->name,
			     strerror(-ret));
			goto cleanup;
		}
		nfds += 2;
	}
	if (!nfds)
		goto cleanup;
	ret = lab_jail(lab->name, &j);
	if (ret) {
		errf(e, ret, "lab %s: host ids: %s", lab->name, strerror(-ret));
		goto cleanup;
	}
	pid = spawn_recorded(lp, "keeper", e);
	if (pid < 0) {
		ret = pid;
		goto cleanup;
	}
	if (pid == 0)
		keeper_main(&j, fds, nfds);
	pid_starttime(pid, &st);
	for (i = 0, nfds = 0; i < lab->nlinks; i++) {
		if (!lab_link_wired(&lab->links[i]) ||
		    !lab_link_here(lab, &lab->links[i]))
			continue;
		ret = registry_add(lab, &lab->links[i], pid, st, &fds[nfds], e);
		if (ret)
			goto cleanup;
		nfds += 2;
	}
cleanup:
	for (i = 0; i < 2 * lab->nlinks && fds[i] > 0; i++)
		close(fds[i]);
	free(fds);
	return ret;
}
