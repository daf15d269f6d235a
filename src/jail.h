/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The jail: what a process umnet starts (the UML kernel, the switch, the wire
 * keeper, the console holder) gives up between fork and exec, in the spirit
 * of Firecracker's jailer. Everything here runs in the forked child; nothing
 * prints, nothing allocates (the parent may have threads), every step that
 * fails returns -errno and names itself in *what, so the caller can send both
 * through a CLOEXEC pipe to the parent before _exit (EOF on that pipe after
 * exec means success).
 *
 * Usage in the child, after setsid(), setns() into the node's netns, the
 * dup2()s of 0/1/2 and placing the fds handed to UML (all of which need the
 * privileges the jail takes away):
 *
 *	struct jail j = { .uid = 2000000001, .gid = 2000000001, ... };
 *	const char *what;
 *	int ret = jail_enter(&j, &what);
 *	if (ret < 0) { report(pipefd, ret, what); _exit(126); }
 *	chdir(state_dir);            // bound at the same path inside the root
 *	jail_exec(&j, argv);         // returns only on failure
 *
 * The order of the steps in jail_enter, and why:
 *  1. cgroups: join each cgroup first, while we still see /sys/fs/cgroup
 *     and may write there, so every byte and every process the child makes
 *     from now on is accounted and limited ("0" to a v1 hierarchy's tasks
 *     file, which moves the caller's one thread without the kernel's
 *     global threadgroup lock; else our pid to cgroup.procs). The caller
 *     is single-threaded (a freshly forked child).
 *  2. mount isolation (root != NULL), needs CAP_SYS_ADMIN: a private mount
 *     namespace (unshare CLONE_NEWNS, then / MS_REC|MS_PRIVATE so nothing
 *     propagates back to the host), a small tmpfs (mode 0755) on root, a
 *     tmpfs on root/tmp (tmp_mb, mode 01777, exec allowed: UML maps its guest
 *     memory file PROT_EXEC from $TMPDIR), then each bind at its own absolute
 *     path under root: the mount point is made first (directories, or an
 *     empty file for anything that is not a directory: files, sockets,
 *     device nodes such as /dev/null), MS_BIND|MS_REC, then remounted
 *     MS_NOSUID, MS_NODEV (not for device nodes: /dev/null must stay
 *     usable), MS_RDONLY where ro, keeping the source's noexec. Then
 *     pivot_root(".", ".") + umount2(".", MNT_DETACH) drops the host's tree
 *     entirely (no chroot escape: the old root is not mounted anywhere in
 *     the namespace), and the new / itself is remounted read-only. cwd is /.
 *  3. umask 077: whatever the process creates (the COW file, sockets) is its
 *     own.
 *  4. rlimits while we may still raise them: RLIMIT_CORE 0 (a core of a
 *     guest kernel is guest memory), RLIMIT_NOFILE 4096, RLIMIT_NPROC only
 *     when nproc is set: the limit counts every process of the uid, and UML
 *     forks a host process per guest process, so it is only meaningful (and
 *     only safe) when the uid belongs to this node alone.
 *  5. identity (needs CAP_SETUID/CAP_SETGID): setgroups(0) (no
 *     supplementary groups), setresgid; the bounding set is emptied (except
 *     CAP_NET_RAW when kept) before setresuid, since PR_CAPBSET_DROP needs
 *     CAP_SETPCAP; SECBIT_NOROOT|SECBIT_NOROOT_LOCKED (uid 0 gets no
 *     capabilities from exec); PR_SET_KEEPCAPS so setresuid keeps the
 *     permitted set we still need for step 6; setresuid.
 *  6. capabilities: capset permitted = effective = inheritable = {NET_RAW}
 *     (net_raw) or {} and, for net_raw, PR_CAP_AMBIENT_RAISE so the
 *     capability survives execve of a plain binary under a non-zero uid.
 *     Every other ambient capability is cleared first.
 *  7. fds: close_range() every fd except 0, 1, 2 and keep_fds, also those
 *     without O_CLOEXEC: nothing the caller happened to hold leaks in.
 *  8. PR_SET_NO_NEW_PRIVS: no setuid or file-capability gains at exec; also
 *     what lets an unprivileged process install a seccomp filter.
 *  9. seccomp last: the filter denies mount, umount2 and the setuid family
 *     is not in it, so everything above must be done first. See jail.c for
 *     the table of denied system calls.
 *
 * Unprivileged callers (umnet run by a user): the steps needing a privilege
 * are skipped: cgroups only if the files are writable (they are, when the
 * caller created them in a delegated subtree), no mount isolation (root must
 * be NULL, else -EPERM), no uid change (uid must be (uid_t)-1, else -EPERM),
 * no bounding-set drops (impossible without CAP_SETPCAP), ambient NET_RAW
 * only if the caller has CAP_NET_RAW in its permitted and inheritable sets.
 * umask, rlimits, capability clearing, fds, no_new_privs and seccomp always
 * happen.
 */
#ifndef UMNET_JAIL_H
#define UMNET_JAIL_H

#include <stdbool.h>
#include <sys/resource.h>
#include <sys/types.h>

/*
 * bind src at the same absolute path inside the jail's root. Binds must not
 * nest (the mount point of an inner one would be made inside the outer
 * bind, on the host's filesystem): jail_enter refuses that with -EINVAL.
 * Symlinks are followed; the mount point takes the link's path.
 */
struct jail_bind {
	const char *src; /* absolute path; must exist */
	const char *dst; /* where in the jail; NULL: at src's own path */
	/*
	 * src is a scratch directory of the caller's own: binds later in the
	 * list may go inside it (their mount points are made in it)
	 */
	bool scratch;
	bool ro; /* read-only (and always nosuid, nodev for non-devices) */
};

#define JAIL_MAX_CGROUPS 4
#define JAIL_MAX_ENV 64
/* a lab's wire keeper keeps both ends of every wire (RLIMIT_NOFILE is 4096) */
#define JAIL_MAX_KEEP_FDS 4096
/* the exit status of a child whose jail_enter_or_exit failed */
#define JAIL_EXIT_FAILED 126

struct jail {
	uid_t uid; /* (uid_t)-1: keep the caller's (unprivileged umnet) */
	gid_t gid; /* (gid_t)-1: keep the caller's */
	bool net_raw; /* keep CAP_NET_RAW as an ambient capability */
	/*
	 * non-NULL: private mount namespace; a tmpfs is mounted on this
	 * existing directory (which must not be inside any bind source), every
	 * bind appears at its own absolute path inside it, then pivot_root
	 * into it. NULL: no mount isolation, binds and tmp_mb are ignored.
	 */
	const char *root;
	const struct jail_bind *binds;
	int nbinds;
	/*
	 * with root: a tmpfs at /tmp of that many MiB (mode 01777, not
	 * noexec) for UML's guest memory file; jail_exec then adds TMPDIR=/tmp
	 * unless env sets TMPDIR. 0: no /tmp.
	 */
	unsigned long tmp_mb;
	/*
	 * with root: a new devpts instance at /dev/pts (ptmxmode 0666) and
	 * /dev/ptmx -> pts/ptmx, for UML's pts channels (con1=pts). A bind of
	 * the host's /dev/ptmx cannot work: the kernel looks for "pts" next
	 * to the ptmx node it was opened through. The ptys are then only
	 * visible in the jail: the host opens them through
	 * /proc/PID/root/dev/pts/N.
	 */
	bool devpts;
	/* fds that survive besides 0, 1, 2 (any number); every other one is
	 * closed. The caller's error pipe must be among them. */
	const int *keep_fds;
	int nkeep;
	/* the whole new environment (NULL-terminated); NULL: empty */
	const char *const *env;
	/* cgroup.procs files to write our pid to (v2: one; v1: one per
	 * hierarchy); NULL entries are skipped. See cgroup_jail_procs(). */
	const char *cgroup_procs[JAIL_MAX_CGROUPS];
	/* RLIMIT_NPROC for the uid; 0: leave it. Only for a private uid. */
	rlim_t nproc;
	bool seccomp; /* install the filter (after PR_SET_NO_NEW_PRIVS) */
};

/*
 * In the child between fork and exec, as root or unprivileged. Returns 0, or
 * -errno with the step that failed in *what (a static string such as
 * "pivot_root" or "bind /dev/null"). No malloc, no locks (safe after fork in a threaded parent).
 */
int jail_enter(const struct jail *j, const char **what);

/*
 * execve(argv[0], argv, env) with the jail's environment (plus TMPDIR=/tmp,
 * see tmp_mb). Returns -errno only on failure.
 */
int jail_exec(const struct jail *j, char *const argv[]);

/*
 * For a child that has no pipe back to umnet (the switch, the keeper, the
 * console holder): jail_enter, and on failure write "who: step: error" to
 * errfd (when >= 0) and _exit(JAIL_EXIT_FAILED).
 */
void jail_enter_or_exit(const struct jail *j, int errfd, const char *who);

/*
 * The seccomp program, for tests and `umnet status`: the number of
 * instructions (0 where the architecture is not supported).
 */
int jail_seccomp_len(void);
/* install it: 0 or -errno (-ENOSYS on another architecture) */
int jail_seccomp_install(void);

#endif
