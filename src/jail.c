// SPDX-License-Identifier: GPL-2.0
/*
 * The jail between fork and exec: see jail.h for the steps and their order.
 * No libcap: capabilities go through capget/capset. The seccomp filter is
 * in jail_seccomp.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sched.h>
#include <linux/securebits.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

#include "jail.h"

/* RLIMIT_NOFILE in the jail */
#define JAIL_NOFILE 4096
/* the last fd closed one by one where close_range is missing */
#define JAIL_FD_FALLBACK_MAX 65535

#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE (1U << 1)
#endif
#ifndef ST_NOEXEC
#define ST_NOEXEC 8
#endif

/* ---- capabilities ----------------------------------------------------- */

struct caps {
	struct __user_cap_data_struct d[2];
};

static int caps_get(struct caps *c)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	if (syscall(SYS_capget, &h, c->d) < 0)
		return -errno;
	return 0;
}

static bool cap_in(const __u32 *set0, const __u32 *set1, int cap)
{
	const __u32 *w = cap < 32 ? set0 : set1;

	return *w & (1U << (cap % 32));
}

static bool has_eff(const struct caps *c, int cap)
{
	return cap_in(&c->d[0].effective, &c->d[1].effective, cap);
}

/* permitted = effective = inheritable = {CAP_NET_RAW} or {} */
static int caps_set(bool net_raw)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	__u32 raw = net_raw ? 1U << CAP_NET_RAW : 0; /* CAP_NET_RAW is 13 */

	memset(d, 0, sizeof(d));
	d[0].permitted = d[0].effective = d[0].inheritable = raw;
	if (syscall(SYS_capset, &h, d) < 0)
		return -errno;
	return 0;
}

/* ---- mounts ------------------------------------------------------------ */

/* dst = root + path (path absolute) */
static int join(char *dst, size_t len, const char *root, const char *path)
{
	size_t rl = strlen(root), pl = strlen(path);

	if (path[0] != '/')
		return -EINVAL;
	while (rl > 1 && root[rl - 1] == '/')
		rl--;
	if (rl + pl + 1 > len)
		return -ENAMETOOLONG;
	memcpy(dst, root, rl);
	memcpy(dst + rl, path, pl + 1);
	return 0;
}

/* mkdir -p of every component of p after the first skip bytes */
static int mkdirs(char *p, size_t skip)
{
	size_t i, len = strlen(p);

	for (i = skip + 1; i <= len; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		if (p[i - 1] == '/')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST) {
			int ret = -errno;

			p[i] = i < len ? '/' : '\0';
			return ret;
		}
		p[i] = i < len ? '/' : '\0';
	}
	return 0;
}

static int bind_one(const char *root, const struct jail_bind *b)
{
	char dst[PATH_MAX];
	unsigned long flags;
	struct statfs sfs;
	struct stat st;
	char *slash;
	int ret, fd;
	bool dev;

	if (stat(b->src, &st) < 0 || statfs(b->src, &sfs) < 0)
		return -errno;
	ret = join(dst, sizeof(dst), root, b->dst ? b->dst : b->src);
	if (ret)
		return ret;
	dev = S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode);
	if (S_ISDIR(st.st_mode)) {
		ret = mkdirs(dst, strlen(root));
		if (ret)
			return ret;
	} else {
		slash = strrchr(dst, '/');
		*slash = '\0';
		ret = mkdirs(dst, strlen(root));
		*slash = '/';
		if (ret)
			return ret;
		fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
			  0600);
		if (fd < 0)
			return -errno;
		close(fd);
	}
	if (mount(b->src, dst, NULL, MS_BIND | MS_REC, NULL) < 0)
		return -errno;
	flags = MS_BIND | MS_REMOUNT | MS_NOSUID;
	if (!dev)
		flags |= MS_NODEV;
	if (b->ro)
		flags |= MS_RDONLY;
	if (sfs.f_flags & ST_NOEXEC)
		flags |= MS_NOEXEC;
	if (mount(NULL, dst, NULL, flags, NULL) < 0)
		return -errno;
	return 0;
}

static int isolate_mounts(const struct jail *j, const char **what)
{
	char tmp[PATH_MAX], opts[64];
	int i, ret;

	*what = "unshare(CLONE_NEWNS)";
	if (unshare(CLONE_NEWNS) < 0)
		return -errno;
	*what = "making / private (MS_REC|MS_PRIVATE)";
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -errno;
	*what = "tmpfs on the jail root";
	if (mount("umnet-jail", j->root, "tmpfs", MS_NOSUID | MS_NODEV,
		  "mode=0755,size=1m") < 0)
		return -errno;
	umask(022);
	/* /tmp first: binds below /tmp (test directories) land on top of it */
	if (j->tmp_mb) {
		*what = "tmpfs on /tmp in the jail";
		ret = join(tmp, sizeof(tmp), j->root, "/tmp");
		if (ret)
			return ret;
		if (mkdir(tmp, 0755) < 0)
			return -errno;
		ret = snprintf(opts, sizeof(opts), "mode=01777,size=%lum",
			       j->tmp_mb);
		if (ret < 0 || (size_t)ret >= sizeof(opts))
			return -EOVERFLOW;
		if (mount("umnet-tmp", tmp, "tmpfs", MS_NOSUID | MS_NODEV,
			  opts) < 0)
			return -errno;
	}
	/*
	 * A bind whose place in the jail is inside another bound directory
	 * would have its mount point made in that directory's source, on the
	 * host: refused, unless that directory is a scratch dir of ours.
	 */
	*what = "nested binds (one inside another bound directory)";
	for (i = 0; i < j->nbinds; i++) {
		const struct jail_bind *in = &j->binds[i];
		const char *b = in->dst ? in->dst : in->src;
		int k;

		for (k = 0; k < j->nbinds; k++) {
			const struct jail_bind *out = &j->binds[k];
			const char *a = out->dst ? out->dst : out->src;
			size_t al = strlen(a);

			if (k != i && al > 1 && !strncmp(a, b, al) &&
			    b[al] == '/' && !(out->scratch && k < i))
				return -EINVAL;
		}
	}
	for (i = 0; i < j->nbinds; i++) {
		static char bind_what[256];

		ret = bind_one(j->root, &j->binds[i]);
		if (ret) {
			snprintf(bind_what, sizeof(bind_what), "bind %s",
				 j->binds[i].src);
			*what = bind_what;
			return ret;
		}
	}
	if (j->devpts) {
		*what = "a private devpts at /dev/pts in the jail";
		ret = join(tmp, sizeof(tmp), j->root, "/dev/pts");
		if (ret)
			return ret;
		ret = mkdirs(tmp, strlen(j->root));
		if (ret)
			return ret;
		if (mount("devpts", tmp, "devpts", MS_NOSUID | MS_NOEXEC,
			  "newinstance,ptmxmode=0666,mode=0620") < 0)
			return -errno;
		*what = "the /dev/ptmx symlink in the jail";
		ret = join(tmp, sizeof(tmp), j->root, "/dev/ptmx");
		if (ret)
			return ret;
		if (symlink("pts/ptmx", tmp) < 0)
			return -errno;
	}
	*what = "chdir to the jail root";
	if (chdir(j->root) < 0)
		return -errno;
	*what = "pivot_root";
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return -errno;
	*what = "detaching the old root";
	if (umount2(".", MNT_DETACH) < 0)
		return -errno;
	*what = "chdir /";
	if (chdir("/") < 0)
		return -errno;
	*what = "remounting the jail root read-only";
	if (mount(NULL, "/", NULL,
		  MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV,
		  NULL) < 0)
		return -errno;
	return 0;
}

/* ---- fds --------------------------------------------------------------- */

/*
 * Close every fd from 3 up but those in keep[], range by range between
 * them. Any number of them: a lab's wire keeper holds two per wire (a
 * limit of 64 made every lab of more than 32 wires fail). No allocation
 * (this runs between fork and exec): each range ends below the smallest
 * kept fd above the last one, found by a scan, n * k steps in all.
 */
static int close_fds(const int *keep, int nkeep)
{
	int lo = 3, next, i;

	do {
		unsigned int hi;

		next = -1;
		for (i = 0; i < nkeep; i++)
			if (keep[i] >= lo && (next < 0 || keep[i] < next))
				next = keep[i];
		hi = next >= 0 ? (unsigned int)next - 1 : ~0U;
		if ((unsigned int)lo <= hi &&
		    syscall(SYS_close_range, lo, hi, 0) < 0) {
			int fd, max = (int)sysconf(_SC_OPEN_MAX);

			if (errno != ENOSYS)
				return -errno;
			if (next < 0)
				hi = max > 0 ? (unsigned int)max - 1
					     : JAIL_FD_FALLBACK_MAX;
			for (fd = lo; (unsigned int)fd <= hi; fd++)
				close(fd);
		}
		lo = next + 1;
	} while (next >= 0);
	return 0;
}

/* ---- the jail ---------------------------------------------------------- */

/*
 * Join the cgroup whose cgroup.procs is path. Writing a pid there takes
 * the kernel's global cgroup_threadgroup_rwsem for writing, which waits
 * for an RCU grace period: 2-3 ms on average here, over 10 ms on a busy
 * host, and every cgroup move on the host queues behind it (what made
 * parallel boots slower than serial ones). Moving only the calling thread
 * ("0" to a v1 hierarchy's tasks file) skips that lock; jail_enter runs
 * in a freshly forked, single-threaded child, so that thread is the whole
 * process. cgroup v2 has no such file (cgroup.threads is for threaded
 * subtrees only): there, the pid goes to cgroup.procs.
 */
static int write_pid(const char *path)
{
	char buf[24], tasks[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd = -1, len, ret = 0;

	if (slash && !strcmp(slash, "/cgroup.procs") &&
	    snprintf(tasks, sizeof(tasks), "%.*s/tasks", (int)(slash - path),
		     path) < (int)sizeof(tasks))
		fd = open(tasks, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		len = snprintf(buf, sizeof(buf), "0\n");
	} else {
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		len = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	}
	if (write(fd, buf, len) != len)
		ret = errno ? -errno : -EIO;
	close(fd);
	return ret;
}

static int set_rlimit(int res, rlim_t v)
{
	struct rlimit rl;

	if (getrlimit(res, &rl) < 0)
		return -errno;
	rl.rlim_cur = v;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < v)
		rl.rlim_cur = rl.rlim_max; /* cannot raise: stay lower */
	rl.rlim_max = rl.rlim_cur;
	if (setrlimit(res, &rl) < 0)
		return -errno;
	return 0;
}

#define STEP(name, call)            \
	do {                        \
		*what = (name);     \
		ret = (call);       \
		if (ret < 0)        \
			return ret; \
	} while (0)

static int sys(long r)
{
	return r < 0 ? -errno : 0;
}

int jail_enter(const struct jail *j, const char **what)
{
	bool setpcap, setid, sysadmin, keep_raw = j->net_raw;
	struct caps c;
	int i, ret;

	*what = "capget";
	ret = caps_get(&c);
	if (ret)
		return ret;
	setpcap = has_eff(&c, CAP_SETPCAP);
	setid = has_eff(&c, CAP_SETUID) && has_eff(&c, CAP_SETGID);
	sysadmin = has_eff(&c, CAP_SYS_ADMIN);
	if (keep_raw &&
	    !cap_in(&c.d[0].permitted, &c.d[1].permitted, CAP_NET_RAW))
		keep_raw = false; /* an unprivileged caller without it */

	/* 1. cgroups, while /sys/fs/cgroup is visible and writable */
	for (i = 0; i < JAIL_MAX_CGROUPS; i++) {
		if (!j->cgroup_procs[i])
			continue;
		STEP("joining the cgroup", write_pid(j->cgroup_procs[i]));
	}

	/* 2. mounts */
	if (j->root) {
		*what = "mount isolation needs CAP_SYS_ADMIN";
		if (!sysadmin)
			return -EPERM;
		ret = isolate_mounts(j, what);
		if (ret)
			return ret;
	}

	/* 3. umask */
	umask(077);

	/* 4. rlimits, before the capabilities to raise them are gone */
	STEP("setrlimit(RLIMIT_CORE, 0)", set_rlimit(RLIMIT_CORE, 0));
	STEP("setrlimit(RLIMIT_NOFILE, 4096)",
	     set_rlimit(RLIMIT_NOFILE, JAIL_NOFILE));
	if (j->nproc)
		STEP("setrlimit(RLIMIT_NPROC)",
		     set_rlimit(RLIMIT_NPROC, j->nproc));

	/* 5. identity; the bounding set while CAP_SETPCAP is still there */
	if (j->uid != (uid_t)-1 || j->gid != (gid_t)-1) {
		*what = "changing uid/gid needs CAP_SETUID and CAP_SETGID";
		if (!setid)
			return -EPERM;
	}
	if (setid)
		STEP("setgroups(0, NULL)",
		     sys(syscall(SYS_setgroups, 0, NULL)));
	if (j->gid != (gid_t)-1)
		STEP("setresgid",
		     sys(syscall(SYS_setresgid, j->gid, j->gid, j->gid)));
	if (setpcap) {
		int cap;

		for (cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0;
		     cap++) {
			if (keep_raw && cap == CAP_NET_RAW)
				continue;
			STEP("prctl(PR_CAPBSET_DROP)",
			     sys(prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)));
		}
		STEP("prctl(PR_SET_SECUREBITS)",
		     sys(prctl(PR_SET_SECUREBITS,
			       SECBIT_NOROOT | SECBIT_NOROOT_LOCKED, 0, 0, 0)));
	}
	if (j->uid != (uid_t)-1) {
		STEP("prctl(PR_SET_KEEPCAPS)",
		     sys(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0)));
		STEP("setresuid",
		     sys(syscall(SYS_setresuid, j->uid, j->uid, j->uid)));
	}

	/* 6. capabilities: NET_RAW or nothing */
	STEP("prctl(PR_CAP_AMBIENT_CLEAR_ALL)",
	     sys(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)));
	STEP("capset", caps_set(keep_raw));
	if (keep_raw)
		STEP("prctl(PR_CAP_AMBIENT_RAISE, CAP_NET_RAW)",
		     sys(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE,
			       CAP_NET_RAW, 0, 0)));

	/* 7. fds */
	STEP("close_range", close_fds(j->keep_fds, j->nkeep));

	/* 8, 9 */
	STEP("prctl(PR_SET_NO_NEW_PRIVS)",
	     sys(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)));
	if (j->seccomp)
		STEP("seccomp(SECCOMP_SET_MODE_FILTER)",
		     jail_seccomp_install());
	*what = NULL;
	return 0;
}

int jail_exec(const struct jail *j, char *const argv[])
{
	const char *env[JAIL_MAX_ENV + 2];
	bool tmpdir = false;
	int n = 0;

	if (j->env) {
		for (; j->env[n]; n++) {
			if (n == JAIL_MAX_ENV)
				return -E2BIG;
			env[n] = j->env[n];
			if (!strncmp(env[n], "TMPDIR=", strlen("TMPDIR=")))
				tmpdir = true;
		}
	}
	if (j->root && j->tmp_mb && !tmpdir)
		env[n++] = "TMPDIR=/tmp";
	env[n] = NULL;
	execve(argv[0], argv, (char *const *)env);
	return -errno;
}

void jail_enter_or_exit(const struct jail *j, int errfd, const char *who)
{
	const char *what = "jail";
	int ret = jail_enter(j, &what);

	if (ret >= 0)
		return;
	if (errfd >= 0)
		dprintf(errfd, "%s: jail: %s: %s\n", who, what, strerror(-ret));
	_exit(JAIL_EXIT_FAILED);
}
