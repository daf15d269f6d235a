// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sys/file.h>

#ifndef UMNET_LIBDIR
#define UMNET_LIBDIR "/usr/local/lib/umnet"
#endif

#include "agent.h"
#include "mconsole.h"
#include "node.h"
#include "profile.h"

/*
 * An unprivileged user's state root must be theirs alone: a directory
 * (not a symlink) owned by them with no access for anyone else. Made
 * 0700 when missing.
 */
static int private_dir(const char *path)
{
	struct stat st;

	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return -errno;
	if (lstat(path, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 077))
		return -EPERM;
	return 0;
}

int state_root(char *out, size_t len)
{
	const char *env = getenv("UMNET_STATE_DIR");
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	int ret;

	if (env && env[0])
		return path_fmt(out, len, "%s", env);
	if (geteuid() == 0)
		return path_fmt(out, len, "/run/umnet");
	if (xdg && xdg[0])
		ret = path_fmt(out, len, "%s/umnet", xdg);
	else
		ret = path_fmt(out, len, "/tmp/umnet-%u", (unsigned)geteuid());
	return ret ? ret : private_dir(out);
}

#define SUN_PATH_MAX 108 /* sizeof(sockaddr_un.sun_path) */
#define NODE_LIST_FIRST 64 /* names node_list makes room for at first */
#define PTS_WAIT_MS 3000 /* for the guest to reopen its console */
#define PTS_POLL_US 20000
#define LOCK_POLL_US 20000
#define LOCK_WAIT_MAX_S 86400 /* the most UMNET_LOCK_TIMEOUT may ask */
#define LOCK_HOLDER_MAX 128 /* "PID what it does" in a lock file */
#define LOCK_DOING_MAX 100

/*
 * a node's files, each a char[PATH_MAX] of struct node_paths: in its state
 * dir, or (jail) in the part its jail sees
 */
static const struct {
	size_t off;
	bool jail;
	const char *leaf;
} node_files[] = {
	{ offsetof(struct node_paths, profile), false, "profile" },
	{ offsetof(struct node_paths, journal), false, "journal" },
	{ offsetof(struct node_paths, pidfile), false, "pid" },
	{ offsetof(struct node_paths, console), false, "console.log" },
	{ offsetof(struct node_paths, jailroot), false, ".root" },
	{ offsetof(struct node_paths, jail), false, "jail" },
	{ offsetof(struct node_paths, cgroup), false, "cgroup" },
	{ offsetof(struct node_paths, notify), true, "notify.sock" },
	{ offsetof(struct node_paths, umldir), true, "uml" },
	{ offsetof(struct node_paths, cow), true, "root.cow" },
	{ offsetof(struct node_paths, drive), true, "config.img" },
	{ offsetof(struct node_paths, drive_dir), false, "config" },
	{ offsetof(struct node_paths, lock), false, "lock" },
	{ offsetof(struct node_paths, info), false, "info" },
	{ offsetof(struct node_paths, holder), false, "holder.pid" },
};

int node_paths(const char *name, struct node_paths *np)
{
	char root[PATH_MAX - 64];
	size_t i;
	int ret;

	memset(np, 0, sizeof(*np));
	if (!node_name_valid(name))
		return -EINVAL;
	ret = state_root(root, sizeof(root));
	if (ret)
		return ret;
	strscpy(np->name, name, sizeof(np->name));
	if (path_fmt(np->dir, sizeof(np->dir), "%s/%s", root, name) ||
	    path_fmt(np->jaildir, sizeof(np->jaildir), "%s/node", np->dir) ||
	    path_fmt(np->mconsole, sizeof(np->mconsole), "%s/uml/%s/mconsole",
		     np->jaildir, name))
		return -ENAMETOOLONG;
	for (i = 0; i < ARRAY_SIZE(node_files); i++)
		if (path_fmt((char *)np + node_files[i].off, PATH_MAX, "%s/%s",
			     node_files[i].jail ? np->jaildir : np->dir,
			     node_files[i].leaf))
			return -ENAMETOOLONG;
	if (strlen(np->mconsole) >= SUN_PATH_MAX ||
	    strlen(np->notify) >= SUN_PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

int pid_starttime(pid_t pid, unsigned long long *st)
{
	char path[64], *data = NULL, *p;
	int ret, i;

	ret = path_fmt(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (!ret)
		ret = read_file(path, &data, NULL);
	if (ret)
		return ret;
	/* comm may contain spaces and ')': skip to the last ')' */
	p = strrchr(data, ')');
	if (!p) {
		ret = -EINVAL;
		goto cleanup;
	}
	p++;
	/* a zombie is gone for every purpose of ours */
	if (p[0] == ' ' && (p[1] == 'Z' || p[1] == 'X')) {
		ret = -ESRCH;
		goto cleanup;
	}
	/* fields from 3 (state) on; starttime is field 22 */
	for (i = 3; i < 22 && p; i++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p, " %llu", st) != 1)
		ret = -EINVAL;
cleanup:
	free(data);
	return ret;
}

int node_write_pid(const struct node_paths *np, pid_t pid)
{
	unsigned long long st = 0;
	char buf[64];
	int n, ret;

	ret = pid_starttime(pid, &st);
	if (ret)
		return ret;
	n = snprintf(buf, sizeof(buf), "%d %llu\n", (int)pid, st);
	return write_file(np->pidfile, buf, n, 0644);
}

int node_read_pid(const struct node_paths *np, pid_t *pid,
		  unsigned long long *st)
{
	char *data = NULL;
	int p, ret;

	ret = read_file(np->pidfile, &data, NULL);
	if (ret)
		return ret;
	if (sscanf(data, "%d %llu", &p, st) != 2 || p <= 1)
		ret = -EINVAL;
	else
		*pid = p;
	free(data);
	return ret;
}

bool node_running(const struct node_paths *np, pid_t *pid)
{
	unsigned long long st, now;
	pid_t p;

	if (node_read_pid(np, &p, &st))
		return false;
	if (pid)
		*pid = p;
	if (pid_starttime(p, &now))
		return false;
	return now == st;
}

int node_list(node_name_t **names)
{
	node_name_t *v = NULL, *v2;
	char root[PATH_MAX];
	struct dirent *de;
	int n = 0, cap = 0, ret;
	DIR *d;

	*names = NULL;
	ret = state_root(root, sizeof(root));
	if (ret)
		return ret;
	d = opendir(root);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	for (;;) {
		/* readdir ends with NULL both at the end and on an error */
		errno = 0;
		de = readdir(d);
		if (!de) {
			ret = -errno;
			break;
		}
		if (de->d_name[0] == '.' || !node_name_valid(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : NODE_LIST_FIRST;
			v2 = realloc(v, cap * sizeof(*v));
			if (!v2) {
				ret = -ENOMEM;
				break;
			}
			v = v2;
		}
		strscpy(v[n++], de->d_name, sizeof(v[0]));
	}
	closedir(d);
	if (ret) {
		/* a partial list would hide nodes: none at all */
		free(v);
		return ret;
	}
	/* stable order */
	if (n)
		qsort(v, n, sizeof(*v),
		      (int (*)(const void *, const void *))strcmp);
	*names = v;
	return n;
}

static int find_artifact(const char *env1, const char *env2, const char *fname,
			 char *out, size_t len, struct err *e)
{
	const char *v = getenv(env1);
	char exe[PATH_MAX];
	ssize_t n;

	if (!out || !len)
		return errf(e, -EINVAL, "looking for %s: no room for its path",
			    fname);
	if (!v || !v[0])
		v = env2 ? getenv(env2) : NULL;
	out[0] = '\0';
	if (v && v[0]) {
		char abs[PATH_MAX];

		strscpy(out, v, len);
		if (access(v, R_OK) || !realpath(v, abs))
			return errf(e, -errno, "%s=%s: %m",
				    getenv(env1) ? env1 : env2, v);
		/* UML runs in the state dir: the path must be absolute */
		return strscpy(out, abs, len);
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		dirname(exe);
		/* a build tree: build/umnet beside build/linux */
		if (!path_fmt(out, len, "%s/%s", exe, fname) &&
		    !access(out, R_OK))
			return 0;
		/* an installed tree, wherever it was moved: bin/../lib/umnet */
		if (!path_fmt(out, len, "%s/../lib/umnet/%s", exe, fname) &&
		    !access(out, R_OK)) {
			char abs[PATH_MAX];

			if (realpath(out, abs))
				return strscpy(out, abs, len);
			return 0;
		}
	}
	if (!path_fmt(out, len, "%s/%s", UMNET_LIBDIR, fname) &&
	    !access(out, R_OK))
		return 0;
	return errf(
		e, -ENOENT,
		"no %s found next to umnet, in ../lib/umnet or in %s: run 'make' (or 'make install') first, or set %s=/path",
		fname, UMNET_LIBDIR, env1);
}

int find_kernel(char *out, size_t len, struct err *e)
{
	return find_artifact("UMNET_KERNEL", "KERNEL", "linux", out, len, e);
}

int find_rootfs(char *out, size_t len, struct err *e)
{
	return find_artifact("UMNET_ROOTFS", "ROOTFS", "rootfs.img", out, len,
			     e);
}

/* the profile's image =: "" the minimal image, "debian", or a path */
int find_image(const char *image, char *out, size_t len, struct err *e)
{
	if (!image || !image[0])
		return find_rootfs(out, len, e);
	if (!strcmp(image, "debian"))
		return find_artifact("UMNET_DEBIAN_IMAGE", NULL, "debian.img",
				     out, len, e);
	if (access(image, R_OK))
		return errf(e, -errno, "image %s: %s", image, strerror(errno));
	return strscpy(out, image, len) < 0 ? -ENAMETOOLONG : 0;
}

/*
 * A path inside the node's jail as the host reaches it: a node jailed in
 * a mount namespace of its own has its ptys in its own devpts, seen from
 * outside through /proc/PID/root.
 */
static int jailed_path(const struct node_paths *np, const char *path, char *out,
		       size_t len)
{
	char *rec = NULL;
	bool private_ns;
	pid_t pid;
	int ret;

	/* no record: a node umnet did not jail; any other error is one */
	ret = read_file(np->jail, &rec, NULL);
	if (ret && ret != -ENOENT)
		return ret;
	private_ns = !ret && strstr(rec, "\nmount private") != NULL;
	free(rec);
	if (!private_ns)
		return strscpy(out, path, len) < 0 ? -ENAMETOOLONG : 0;
	if (!node_running(np, &pid))
		return -ESRCH;
	return path_fmt(out, len, "/proc/%d/root%s", (int)pid, path);
}

static int node_pts_once(const struct node_paths *np, int con, char *out,
			 size_t len)
{
	char cmd[32], *reply = NULL, *p;
	int ret;

	snprintf(cmd, sizeof(cmd), "config con%d", con);
	ret = mconsole_cmd(np->mconsole, cmd, PTS_WAIT_MS, &reply);
	if (ret < 0)
		return ret;
	if (ret > 0) {
		ret = -EIO;
		goto cleanup;
	}
	/* "pts:/dev/pts/N" */
	p = strstr(reply, "/dev/pts/");
	if (!p) {
		ret = -ENODEV;
		goto cleanup;
	}
	p[strcspn(p, ",\n ")] = '\0';
	ret = jailed_path(np, p, out, len);
cleanup:
	free(reply);
	return ret;
}

/*
 * The pts exists while the guest holds the tty open; after a host client
 * closed it, the guest reopens it and UML allocates a fresh pts. Wait for
 * that (bounded) instead of failing.
 */
int node_pts(const struct node_paths *np, int con, char *out, size_t len)
{
	long long deadline = now_ms() + PTS_WAIT_MS;
	int ret;

	while ((ret = node_pts_once(np, con, out, len)) == -ENODEV &&
	       now_ms() < deadline)
		usleep(PTS_POLL_US);
	return ret;
}

int node_exec(const struct node_paths *np, char *const argv[], int out_fd,
	      int err_fd, int timeout_ms, int *status)
{
	return node_exec_opts(np, argv, out_fd, err_fd, timeout_ms, status,
			      NULL);
}

/*
 * Open the agent's pts. When a host client closes it and UML hangs the tty
 * up, the agent reopens its tty and UML allocates a new pts; until then
 * mconsole may name none (ENODEV), or one that is gone (ENOENT) or hung up
 * (EIO): ask again, within the one deadline node_pts also keeps.
 */
static int node_agent_open(const struct node_paths *np)
{
	long long deadline = now_ms() + PTS_WAIT_MS;
	char pts[64];
	int ret;

	for (;;) {
		ret = node_pts_once(np, 2, pts, sizeof(pts));
		if (!ret)
			ret = agent_open(pts);
		if (ret >= 0 ||
		    (ret != -ENODEV && ret != -ENOENT && ret != -EIO) ||
		    now_ms() >= deadline)
			return ret;
		usleep(PTS_POLL_US);
	}
}

int node_exec_opts(const struct node_paths *np, char *const argv[], int out_fd,
		   int err_fd, int timeout_ms, int *status,
		   const struct agent_opts *o)
{
	int lockfd = -1, fd, ret;

	/*
	 * One exec at a time per node: they share the agent's tty. The lock
	 * comes first: the exec before ours may make UML replace the pts.
	 */
	lockfd = open(np->lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lockfd < 0 || flock(lockfd, LOCK_EX) < 0) {
		ret = -errno;
		goto cleanup;
	}
	fd = node_agent_open(np);
	if (fd < 0) {
		ret = fd;
		goto cleanup;
	}
	ret = agent_exec_fd(fd, argv, out_fd, err_fd, timeout_ms, status, o);
cleanup:
	if (lockfd >= 0)
		close(lockfd);
	return ret;
}

bool node_disk_is_ephemeral(const struct node_paths *np)
{
	char *info = NULL, *cow;
	bool ret = false;

	if (read_file(np->info, &info, NULL))
		return false;
	cow = strstr(info, "\ncow ");
	if (cow) {
		cow += 5;
		cow[strcspn(cow, "\n")] = '\0';
		ret = !strcmp(cow, np->cow);
	}
	free(info);
	return ret;
}

static int lock_path(const char *kind, const char *name, char *out, size_t len,
		     bool mkdirs)
{
	char root[PATH_MAX];
	int ret;

	if (!name[0] || strchr(name, '/') || name[0] == '.')
		return -EINVAL;
	ret = state_root(root, sizeof(root));
	if (ret)
		return ret;
	ret = path_fmt(out, len, "%s/.locks/%s", root, kind);
	if (ret)
		return ret;
	if (mkdirs && (ret = mkdir_p(out, 0700)))
		return ret;
	return path_fmt(out, len, "%s/.locks/%s/%s", root, kind, name);
}

static int lock_wait_s(int dflt)
{
	const char *v = getenv("UMNET_LOCK_TIMEOUT");
	char *end;
	long n;

	if (!v || !v[0])
		return dflt;
	n = strtol(v, &end, 10);
	return *end || n < 0 || n > LOCK_WAIT_MAX_S ? dflt : (int)n;
}

int name_lock(const char *kind, const char *name, const char *what,
	      int timeout_s, struct err *e)
{
	char path[PATH_MAX], buf[LOCK_HOLDER_MAX], holder[LOCK_HOLDER_MAX] = "";
	char doing[LOCK_DOING_MAX] = "";
	long long deadline;
	int fd, ret, n, pid = 0;

	ret = lock_path(kind, name, path, sizeof(path), true);
	if (ret)
		return errf(e, ret, "%s: lock for %s: %s", name, kind,
			    strerror(-ret));
	timeout_s = lock_wait_s(timeout_s);
	deadline = now_ms() + timeout_s * 1000LL;
	for (;;) {
		struct stat a, b;

		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0)
			return errf(e, -errno, "%s: %m", path);
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			/* the holder may have removed it before we locked */
			if (!fstat(fd, &a) && !stat(path, &b) &&
			    a.st_ino == b.st_ino && a.st_dev == b.st_dev)
				break;
			close(fd);
			continue;
		}
		ret = -errno;
		if (ret != -EWOULDBLOCK) {
			close(fd);
			return errf(e, ret, "%s: flock: %s", path,
				    strerror(-ret));
		}
		n = pread(fd, holder, sizeof(holder) - 1, 0);
		holder[n > 0 ? n : 0] = '\0';
		close(fd);
		if (now_ms() >= deadline) {
			/* LOCK_DOING_MAX - 1 */
			sscanf(holder, "%d %99[^\n]", &pid, doing);
			return errf(
				e, -ETIMEDOUT,
				"%s: another umnet (pid %d) is %s; waited %d s: try again when it is done",
				name, pid, doing[0] ? doing : "working on it",
				timeout_s);
		}
		usleep(LOCK_POLL_US);
	}
	/* who holds it, for the message of a waiting umnet (cut to fit) */
	n = snprintf(buf, sizeof(buf), "%d %s\n", (int)getpid(), what);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	if (ftruncate(fd, 0) || pwrite(fd, buf, n, 0) != n) {
		/* only the message of a waiting umnet is less precise */
	}
	return fd;
}

void name_lock_drop_stale(const char *kind, const char *name,
			  const char *state_dir)
{
	char path[PATH_MAX];
	int fd;

	if (lock_path(kind, name, path, sizeof(path), false))
		return;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return;
	if (!flock(fd, LOCK_EX | LOCK_NB) && access(state_dir, F_OK))
		unlink(path);
	close(fd);
}

void name_unlock(int fd, const char *kind, const char *name, bool remove)
{
	char path[PATH_MAX];

	if (fd < 0)
		return;
	if (remove && !lock_path(kind, name, path, sizeof(path), false))
		unlink(path);
	close(fd);
}
