// SPDX-License-Identifier: GPL-2.0
/*
 * fd: vector I/O (recvmmsg/sendmmsg) on a socket UML inherits
 * (vector_user.c: user_init_fd_fds). Two uses:
 *
 *   fd = N         a socket the caller of `umnet up` opened on fd N
 *   host = wire    a point-to-point link to another node, no privileges and
 *   wire = NAME    no host interfaces: the first node on wire NAME makes a
 *                  socketpair(AF_UNIX, SOCK_SEQPACKET), uses one end and keeps
 *                  the other open in its UML process; the second node takes
 *                  that end from it with pidfd_getfd(2).
 *
 * A lab holds both ends of each of its wires in one keeper process and
 * registers them in STATE_ROOT/.wires/NAME ("PID STARTTIME FD_A FD_B NODE_A
 * NODE_B"): each node takes its own end from the keeper, so either node can
 * be restarted alone and the link comes back.
 *
 * A wire is recorded in the state dir of each node on it (file wire-NAME),
 * so it goes away with the nodes. If the second node restarts it takes the
 * spare end again and the link comes back; if the first node restarts, the
 * second must be restarted too (its end's peer is gone for good).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "supervisor.h"
#include "transport.h"

/* where the ends go in the UML process */
#define WIRE_FD_BASE 100 /* the node's own end of vecN: 100 + N */
#define WIRE_SPARE_BASE 200 /* the spare end kept for the peer: 200 + N */

static const struct opt_spec fd_keys[] = {
	{ .key = "fd",
	  .type = OPT_UINT,
	  .min = 3,
	  .max = 1023,
	  .help = "an inherited socket fd" },
	{ .key = "wire",
	  .type = OPT_STRING,
	  .help = "with host = wire: the wire's name",
	  .local = true },
	{ .key = NULL },
};

static const enum host_kind fd_hosts[] = { HOST_WIRE, HOST_NONE };

static bool wire_name_valid(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 1 || n > 32)
		return false;
	for (i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_.-",
			    s[i]))
			return false;
	return s[0] != '.';
}

static int fd_validate(const struct profile *p, const struct iface *ifc,
		       struct err *e)
{
	const char *fd = iface_opt(ifc, "fd"), *wire = iface_opt(ifc, "wire");

	if (ifc->host == HOST_WIRE) {
		if (fd)
			return err_at(e, p->path, ifc->host_line,
				      "vec%d: fd = is chosen by umnet with host = wire; remove it",
				      ifc->index),
			       -EINVAL;
		if (!wire)
			return err_at(e, p->path, ifc->host_line,
				      "vec%d: host = wire needs wire = <name> (the same name on both nodes)",
				      ifc->index),
			       -EINVAL;
		if (!wire_name_valid(wire))
			return err_at(e, p->path, ifc->host_line,
				      "vec%d: wire name \"%s\" is not valid: 1-32 letters, digits, '.', '_' or '-'",
				      ifc->index, wire),
			       -EINVAL;
		return 0;
	}
	if (wire)
		return err_at(e, p->path, ifc->line,
			      "vec%d: wire = needs host = wire", ifc->index),
		       -EINVAL;
	if (!fd)
		return err_at(e, p->path, ifc->line,
			      "vec%d: transport fd needs fd = N (an inherited socket) or host = wire",
			      ifc->index),
		       -EINVAL;
	return 0;
}

static int pidfd_getfd_(pid_t pid, int target)
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

/* find a running node (other than self) holding the spare end of wire */
static int wire_lookup(const char *self, const char *wire, char *peer,
		       size_t plen, int *spare_fd, bool *taken)
{
	node_name_t *names = NULL;
	int n, i, ret = -ENOENT;

	n = node_list(&names);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		struct node_paths np;
		char path[PATH_MAX + 64], *rec = NULL;
		int vec = -1;
		char role[16] = "";

		if (!strcmp(names[i], self) || node_paths(names[i], &np))
			continue;
		snprintf(path, sizeof(path), "%s/wire-%s", np.dir, wire);
		if (read_file(path, &rec, NULL))
			continue;
		sscanf(rec, "%15s vec%d", role, &vec);
		free(rec);
		if (!strcmp(role, "owner") && vec >= 0) {
			strscpy(peer, names[i], plen);
			*spare_fd = WIRE_SPARE_BASE + vec;
			ret = 0;
		}
		if (!strcmp(role, "peer"))
			*taken = true;
	}
	free(names);
	return *taken ? -EBUSY : ret;
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

int wire_registry_path(const char *wire, char *out, size_t len)
{
	char root[PATH_MAX];
	int ret, n;

	ret = state_root(root, sizeof(root));
	if (ret)
		return ret;
	n = snprintf(out, len, "%s/.wires/%s", root, wire);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* 1: took this node's end from the wire's keeper; 0: no keeper */
static int wire_from_keeper(const struct profile *p, const struct iface *ifc,
			    const char *wire, struct err *e)
{
	char path[PATH_MAX], *rec = NULL, a[NODE_NAME_MAX + 1] = "",
			     b[NODE_NAME_MAX + 1] = "";
	unsigned long long st = 0, now = 0;
	int pid = 0, fda = -1, fdb = -1, fd, ret;

	ret = wire_registry_path(wire, path, sizeof(path));
	if (ret)
		return err_set(e, "wire %s: %s", wire, strerror(-ret)), ret;
	ret = read_file(path, &rec, NULL);
	if (ret == -ENOENT)
		return 0;
	if (ret)
		return err_set(e, "%s: %s", path, strerror(-ret)), ret;
	if (sscanf(rec, "%d %llu %d %d %32s %32s", &pid, &st, &fda, &fdb, a,
		   b) != 6) {
		err_set(e, "%s: not a wire record", path);
		ret = -EINVAL;
		goto cleanup;
	}
	if (strcmp(p->name, a) && strcmp(p->name, b)) {
		err_set(e,
			"%s vec%d: wire %s joins %s and %s: a wire is point-to-point",
			p->name, ifc->index, wire, a, b);
		ret = -EBUSY;
		goto cleanup;
	}
	if (pid_starttime(pid, &now) || now != st) {
		err_set(e,
			"%s vec%d: wire %s: the process holding its ends (pid %d) is gone: take the lab down and up again",
			p->name, ifc->index, wire, pid);
		ret = -ESRCH;
		goto cleanup;
	}
	fd = pidfd_getfd_(pid, strcmp(p->name, a) ? fdb : fda);
	if (fd < 0) {
		ret = fd;
		err_set(e, "%s vec%d: wire %s: taking its end from pid %d: %s",
			p->name, ifc->index, wire, pid, strerror(-fd));
		goto cleanup;
	}
	ret = uml_pass_fd(fd, WIRE_FD_BASE + ifc->index);
	close(fd);
	if (ret) {
		err_set(e, "%s vec%d: %s", p->name, ifc->index, strerror(-ret));
		goto cleanup;
	}
	ret = 1;
cleanup:
	free(rec);
	return ret;
}

static int fd_prepare(const struct profile *p, const struct iface *ifc,
		      const struct node_paths *np, struct err *e)
{
	const char *wire = iface_opt(ifc, "wire");
	char path[PATH_MAX + 64], peer[NODE_NAME_MAX + 1], rec[64];
	int sv[2] = { -1, -1 }, spare = -1, ret, n;
	bool taken = false;

	if (ifc->host != HOST_WIRE)
		return 0;
	ret = wire_from_keeper(p, ifc, wire, e);
	if (ret)
		return ret < 0 ? ret : 0;
	snprintf(path, sizeof(path), "%s/wire-%s", np->dir, wire);
	ret = wire_lookup(p->name, wire, peer, sizeof(peer), &spare, &taken);
	if (ret == 0) {
		struct node_paths pnp;
		pid_t pid = 0;
		int fd;

		if (node_paths(peer, &pnp) || !node_running(&pnp, &pid))
			return err_set(e,
				       "%s vec%d: wire %s: its other node %s is not running: 'umnet down %s' and start both again",
				       p->name, ifc->index, wire, peer, peer),
			       -ESRCH;
		fd = pidfd_getfd_(pid, spare);
		if (fd < 0)
			return err_set(e,
				       "%s vec%d: wire %s: taking the other end from %s (pid %d): %s",
				       p->name, ifc->index, wire, peer,
				       (int)pid, strerror(-fd)),
			       fd;
		n = snprintf(rec, sizeof(rec), "peer vec%d %s\n", ifc->index,
			     peer);
		ret = write_file(path, rec, n, 0644);
		if (!ret)
			ret = uml_pass_fd(fd, WIRE_FD_BASE + ifc->index);
		close(fd);
		if (ret)
			return err_set(e, "%s: %s", path, strerror(-ret)), ret;
		return 0;
	}
	if (ret == -EBUSY)
		return err_set(e,
			       "%s vec%d: wire %s joins two other nodes already: a wire is point-to-point",
			       p->name, ifc->index, wire),
		       -EBUSY;
	ret = wire_socketpair(sv);
	if (ret)
		return err_set(e, "%s vec%d: socketpair: %s", p->name,
			       ifc->index, strerror(-ret)),
		       ret;
	n = snprintf(rec, sizeof(rec), "owner vec%d\n", ifc->index);
	ret = write_file(path, rec, n, 0644);
	if (!ret)
		ret = uml_pass_fd(sv[0], WIRE_FD_BASE + ifc->index);
	if (!ret)
		ret = uml_pass_fd(sv[1], WIRE_SPARE_BASE + ifc->index);
	if (ret)
		err_set(e, "%s: %s", path, strerror(-ret));
	close(sv[0]);
	close(sv[1]);
	return ret;
}

static int fd_render_extra(const struct profile *p, const struct iface *ifc,
			   const struct node_paths *np, struct strbuf *sb)
{
	char mac[18];

	(void)np;
	if (ifc->host != HOST_WIRE)
		return 0;
	sb_printf(sb, ",fd=%d", WIRE_FD_BASE + ifc->index);
	/* a stable MAC, so the peer's ARP entry survives a restart */
	if (!iface_opt(ifc, "mac")) {
		node_mac(p->name, ifc->index, mac);
		sb_printf(sb, ",mac=%s", mac);
	}
	/* both ends are umnet's UML: TSO frames with a virtio-net header */
	sb_puts(sb, ",vnet_hdr=1");
	return sb->oom ? -ENOMEM : 0;
}

const struct transport transport_fd = {
	.name = "fd",
	.summary = "a socket UML inherits; host = wire links two nodes",
	.keys = fd_keys,
	.host_kinds = fd_hosts,
	.uml_needs = 0,
	.validate = fd_validate,
	.prepare = fd_prepare,
	.render_extra = fd_render_extra,
};
