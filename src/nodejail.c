// SPDX-License-Identifier: GPL-2.0
/*
 * A node's jail (nodejail.h): ids, jail dir, cgroup, what it sees, and
 * the record of it in the state dir.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "hostplan.h"
#include "ids.h"
#include "labrun.h"
#include "nodejail.h"
#include "transport.h"

/*
 * Host memory a node takes beyond its guest memory (mem =): the kernel
 * image's pages, page tables of the UML process and of one host process
 * per guest process, the console and socket buffers. The cgroup limit is
 * mem + this. Measured (docs/security.md): a 64 MiB guest with its memory
 * full and 183 processes peaked at 70.4 MiB; idle at 7.8 MiB. The host's
 * page cache of the base image is charged too, but it is reclaimable.
 */
#define NODE_MEM_OVERHEAD_MB 32
/* host processes of a node: one per guest process, plus UML's helpers */
#define NODE_PIDS_MAX 1024
/* the tmpfs for guest memory: mem plus UML's own small files */
#define NODE_TMP_EXTRA_MB 16

/* where the UML binary's loader and libc are (Debian, and lib64 hosts) */
static const char *const lib_dirs[] = { "/lib64", "/lib/x86_64-linux-gnu" };

static bool privileged(void)
{
	return geteuid() == 0;
}

/* the lab a node LAB.NODE belongs to, when that lab is up */
static bool node_lab(const char *name, char *lab, size_t len)
{
	const char *dot = strchr(name, '.');

	if (!dot || (size_t)(dot - name) >= len)
		return false;
	memcpy(lab, name, dot - name);
	lab[dot - name] = '\0';
	return lab_is_up(lab);
}

int lab_jail_ids(const char *lab, unsigned int *uid, unsigned int *gid)
{
	char owner[LAB_NAME_MAX + 8];
	unsigned int id;
	int ret;

	*uid = getuid();
	*gid = getgid();
	if (!privileged())
		return 0;
	snprintf(owner, sizeof(owner), "lab:%s", lab);
	ret = ids_alloc(owner, &id);
	if (ret)
		return ret;
	*uid = *gid = id;
	return 0;
}

int node_jail_ids(struct profile *p, struct node_jail *nj, struct err *e)
{
	char lab[LAB_NAME_MAX + 1];
	unsigned int lab_uid;
	int ret;

	memset(nj, 0, sizeof(*nj));
	nj->privileged = privileged();
	nj->uid = getuid();
	nj->gid = getgid();
	if (nj->privileged) {
		ret = ids_alloc(p->name, &nj->uid);
		if (ret)
			return errf(
				e, ret,
				"%s: no free host uid in %u-%u (%s): 'umnet down' some nodes, or set UMNET_ID_BASE",
				p->name, ids_base(),
				ids_base() + UMNET_ID_COUNT - 1,
				strerror(-ret));
		nj->gid = nj->uid;
		if (node_lab(p->name, lab, sizeof(lab))) {
			ret = lab_jail_ids(lab, &lab_uid, &nj->gid);
			if (ret)
				return errf(e, ret, "lab %s: host gid: %s", lab,
					    strerror(-ret));
		}
	}
	p->run_ids = true;
	p->run_uid = nj->uid;
	p->run_gid = nj->gid;
	return 0;
}

static int add_bind_at(struct node_jail *nj, const char *path, const char *dst,
		       bool ro)
{
	int i;

	for (i = 0; i < nj->nbinds; i++)
		if (!strcmp(nj->paths[i], path))
			return 0;
	if (nj->nbinds >= NODE_JAIL_MAX_BINDS)
		return -E2BIG;
	if (strscpy(nj->paths[nj->nbinds], path, PATH_MAX))
		return -ENAMETOOLONG;
	nj->binds[nj->nbinds].src = nj->paths[nj->nbinds];
	nj->binds[nj->nbinds].dst = dst;
	nj->binds[nj->nbinds].ro = ro;
	nj->nbinds++;
	return 0;
}

static int add_bind(struct node_jail *nj, const char *path, bool ro)
{
	return add_bind_at(nj, path, NULL, ro);
}

/*
 * /dev/net/tun for a tap: a device node of the node's own in its jail
 * dir, bound at /dev/net/tun. The host's may be root's alone (0600); the
 * tap itself is the node's (made owned by its uid), and that is what
 * TUNSETIFF checks.
 */
static int add_tun(struct node_jail *nj, const struct node_paths *np)
{
	char path[PATH_MAX];
	struct stat st;
	int ret;

	if (stat("/dev/net/tun", &st) < 0)
		return -errno;
	ret = path_fmt(path, sizeof(path), "%s/tun", np->jaildir);
	if (ret)
		return ret;
	if (mknod(path, S_IFCHR | 0600, st.st_rdev) < 0 && errno != EEXIST)
		return -errno;
	return add_bind_at(nj, path, "/dev/net/tun", false);
}

/*
 * A socket the node connects to: its directory is bound, so that a switch
 * restarted on the same path is reached again. A directory the node's uid
 * may not enter (e.g. mode 0700, made by mktemp -d) would hide the socket:
 * then the socket itself is bound (a switch restarted there is reached
 * again only by a restarted node). A lab's switches sit in a directory of
 * the lab's gid (sw/, mode 0750).
 */
static int add_socket_dir(struct node_jail *nj, const char *sock, bool ro)
{
	char d[PATH_MAX];
	struct stat st;

	if (strscpy(d, sock, sizeof(d)))
		return -ENAMETOOLONG;
	dirname(d);
	if (stat(d, &st) < 0)
		return -errno;
	if ((st.st_mode & S_IXOTH) ||
	    (st.st_uid == nj->uid && (st.st_mode & S_IXUSR)) ||
	    (st.st_gid == nj->gid && (st.st_mode & S_IXGRP)))
		return add_bind(nj, d, ro);
	return add_bind(nj, sock, false);
}

/* the node may enter and write directory st (as its uid and gid) */
static bool node_may_write(const struct node_jail *nj, const struct stat *st)
{
	mode_t want = S_IWOTH | S_IXOTH;

	if (st->st_uid == nj->uid)
		want = S_IWUSR | S_IXUSR;
	else if (st->st_gid == nj->gid)
		want = S_IWGRP | S_IXGRP;
	return (st->st_mode & want) == want;
}

/*
 * bess src: the node binds its own socket there; it only names the
 * node's port on the switch. Where the node may not write, a scratch
 * directory of its own (in its jail dir) stands in for that directory in
 * the jail, so the name is the same.
 */
static int add_src_dir(struct node_jail *nj, const struct node_paths *np,
		       int vec, const char *sock)
{
	char d[PATH_MAX], scratch[PATH_MAX];
	struct stat st;
	int ret;

	if (strscpy(d, sock, sizeof(d)))
		return -ENAMETOOLONG;
	dirname(d);
	if (stat(d, &st) < 0)
		return -errno;
	if (node_may_write(nj, &st))
		return add_bind(nj, d, false);
	ret = path_fmt(scratch, sizeof(scratch), "%s/bess-src%d", np->jaildir,
		       vec);
	if (!ret)
		ret = mkdir_p(scratch, 0700);
	if (!ret && lchown(scratch, nj->uid, nj->gid) < 0)
		ret = -errno;
	if (ret)
		return ret;
	/* dst must outlive this call: keep the path in the bind table */
	if (nj->nbinds >= NODE_JAIL_MAX_BINDS)
		return -E2BIG;
	if (strscpy(nj->dsts[nj->nbinds], d, PATH_MAX))
		return -ENAMETOOLONG;
	ret = add_bind_at(nj, scratch, nj->dsts[nj->nbinds], false);
	if (!ret)
		nj->binds[nj->nbinds - 1].scratch = true;
	return ret;
}

static int add_iface_binds(struct node_jail *nj, const struct node_paths *np,
			   const struct iface *ifc)
{
	const char *name = ifc->transport->name, *v;
	int ret = 0;

	if (!strcmp(name, "tap") || !strcmp(name, "hybrid"))
		ret = add_tun(nj, np);
	/* src first: dst may sit in the same directory (a nested bind) */
	if (!ret && !strcmp(name, "bess") && (v = iface_opt(ifc, "src")))
		ret = add_src_dir(nj, np, ifc->index, v);
	if (!ret && !strcmp(name, "bess") && (v = iface_opt(ifc, "dst"))) {
		/* with vnet_hdr = 1 the node connects to dst.vnet (bess.c) */
		const char *h = iface_opt(ifc, "vnet_hdr");
		char vd[PATH_MAX];

		if (h && !strcmp(h, "1") &&
		    snprintf(vd, sizeof(vd), "%s.vnet", v) < (int)sizeof(vd))
			v = vd;
		ret = add_socket_dir(nj, v, true);
	}
	/* a filter file the profile names itself (ours are in the jail dir) */
	if (!ret && (v = iface_opt(ifc, "bpffile")))
		ret = add_bind(nj, v, true);
	return ret;
}

static int write_record(const struct node_paths *np, const struct node_jail *nj)
{
	char buf[256];
	int n, ret;

	n = snprintf(buf, sizeof(buf), "uid %u\ngid %u\ncaps %s\nmount %s\n",
		     nj->uid, nj->gid, nj->net_raw ? "cap_net_raw" : "-",
		     nj->privileged ? "private" : "host");
	ret = write_file(np->jail, buf, n, 0644);
	if (!ret)
		ret = cgroup_save(np->cgroup, &nj->cg, NULL);
	return ret;
}

int node_jail_own(const struct node_jail *nj, const char *path)
{
	if (!nj->privileged)
		return 0;
	return lchown(path, nj->uid, nj->gid) < 0 ? -errno : 0;
}

int node_jail_prepare(const struct profile *p, const struct node_paths *np,
		      const char *kernel, const char *rootfs,
		      struct node_jail *nj, struct err *e)
{
	struct plan none = { 0 };
	int i, ret, n = 0;

	nj->net_raw = profile_needs(p, &none) & NEED_NET_RAW;
	ret = mkdir_p(np->jaildir, 0700);
	if (!ret && nj->privileged && chown(np->jaildir, nj->uid, nj->gid) < 0)
		ret = -errno;
	if (!ret && nj->privileged)
		ret = mkdir_p(np->jailroot, 0700);
	if (ret)
		return errf(e, ret, "%s: jail directory %s: %s", p->name,
			    np->jaildir, strerror(-ret));
	if (nj->privileged) {
		ret = add_bind(nj, kernel, true);
		if (!ret)
			ret = add_bind(nj, rootfs, true);
		if (!ret)
			ret = add_bind(nj, np->jaildir, false);
		if (!ret)
			ret = add_bind(nj, "/dev/null", false);
		if (!ret)
			ret = add_bind(nj, "/dev/urandom", true);
		/* UML reads the host CPU's features from it */
		if (!ret)
			ret = add_bind(nj, "/proc/cpuinfo", true);
		/*
		 * UML is linked dynamically (its vector driver keeps it from
		 * a static link): its loader and libc, read-only
		 */
		for (i = 0; !ret && i < (int)ARRAY_SIZE(lib_dirs); i++)
			if (access(lib_dirs[i], F_OK) == 0)
				ret = add_bind(nj, lib_dirs[i], true);
		if (!ret && p->disk[0])
			ret = add_bind(nj, p->disk, false);
		for (i = 0; !ret && i < p->nifaces; i++)
			ret = add_iface_binds(nj, np, &p->ifaces[i]);
		if (ret)
			return errf(e, ret, "%s: the jail's view: %s", p->name,
				    strerror(-ret));
		if (p->disk[0] && access(p->disk, F_OK) == 0 &&
		    chown(p->disk, nj->uid, nj->gid) < 0)
			return errf(e, -errno, "%s: disk %s: chown: %m",
				    p->path, p->disk);
		snprintf(nj->tmpdir, sizeof(nj->tmpdir), "TMPDIR=/tmp");
	} else {
		/* guest memory is a file in TMPDIR: keep it in RAM, unless
		 * /dev/shm is noexec (a container's): UML maps it PROT_EXEC */
		struct stat st;
		struct statvfs sv;
		const char *t = getenv("TMPDIR");

		if (!stat("/dev/shm", &st) && S_ISDIR(st.st_mode) &&
		    !access("/dev/shm", W_OK) && !statvfs("/dev/shm", &sv) &&
		    !(sv.f_flag & ST_NOEXEC))
			snprintf(nj->tmpdir, sizeof(nj->tmpdir),
				 "TMPDIR=/dev/shm");
		else if (t && t[0] == '/' && strlen(t) < sizeof(nj->tmpdir) - 7)
			snprintf(nj->tmpdir, sizeof(nj->tmpdir), "TMPDIR=%s",
				 t);
	}
	nj->env[n++] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
	nj->env[n++] = "LANG=C";
	if (nj->tmpdir[0])
		nj->env[n++] = nj->tmpdir;
	nj->env[n] = NULL;

	/* a cgroup where the host gives us one; none is not an error */
	cgroup_create(p->name,
		      (p->mem_mb + NODE_MEM_OVERHEAD_MB) * 1024ul * 1024ul,
		      NODE_PIDS_MAX, &nj->cg, NULL);

	nj->uml = (struct jail){
		.uid = nj->privileged ? (uid_t)nj->uid : (uid_t)-1,
		.gid = nj->privileged ? (gid_t)nj->gid : (gid_t)-1,
		.net_raw = nj->net_raw,
		.root = nj->privileged ? np->jailroot : NULL,
		.binds = nj->binds,
		.nbinds = nj->nbinds,
		.tmp_mb = nj->privileged ? p->mem_mb + NODE_TMP_EXTRA_MB : 0,
		/* con1/con2 = pts: ptys of its own, host side via /proc */
		.devpts = nj->privileged,
		.env = nj->env,
		.seccomp = true,
	};
	cgroup_jail_procs(&nj->cg, nj->uml.cgroup_procs);
	/* its uid is its own: bound the processes of a guest fork bomb */
	if (nj->privileged)
		nj->uml.nproc = NODE_PIDS_MAX;
	nj->aux = nj->uml;
	nj->aux.net_raw = false;
	nj->aux.root = NULL;
	nj->aux.nbinds = 0;
	nj->aux.tmp_mb = 0;
	nj->aux.devpts = false;
	ret = write_record(np, nj);
	if (ret)
		return errf(e, ret, "%s: %s", np->jail, strerror(-ret));
	return 0;
}

void node_jail_release(const struct node_paths *np)
{
	struct cgroup cg;

	if (!cgroup_load(np->cgroup, &cg, NULL) && cg.kind != CGROUP_NONE) {
		cgroup_kill(&cg);
		cgroup_remove(&cg);
	}
	if (privileged())
		ids_free(np->name);
}

int node_jail_info(const struct node_paths *np, struct node_jail_info *ji)
{
	char *data = NULL, caps[64] = "", mnt[16] = "";
	int ret;

	memset(ji, 0, sizeof(*ji));
	ret = read_file(np->jail, &data, NULL);
	if (ret)
		return ret;
	if (sscanf(data, "uid %u gid %u caps %63s mount %15s", &ji->uid,
		   &ji->gid, caps, mnt) != 4) {
		free(data);
		return -EINVAL;
	}
	free(data);
	strscpy(ji->caps, strcmp(caps, "-") ? caps : "", sizeof(ji->caps));
	ji->mount_ns = !strcmp(mnt, "private");
	if (cgroup_load(np->cgroup, &ji->cg, NULL))
		ji->cg.kind = CGROUP_NONE;
	ji->have = true;
	return 0;
}
