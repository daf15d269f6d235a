// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
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

#define SET(field, fmt, ...)                                         \
	do {                                                         \
		int n_ = snprintf(np->field, sizeof(np->field), fmt, \
				  __VA_ARGS__);                      \
		if (n_ < 0 || (size_t)n_ >= sizeof(np->field))       \
			return -ENAMETOOLONG;                        \
	} while (0)

int node_paths(const char *name, struct node_paths *np)
{
	char root[PATH_MAX - 64];
	int ret;

	memset(np, 0, sizeof(*np));
	if (!node_name_valid(name))
		return -EINVAL;
	ret = state_root(root, sizeof(root));
	if (ret)
		return ret;
	strscpy(np->name, name, sizeof(np->name));
	SET(dir, "%s/%s", root, name);
	SET(profile, "%s/profile", np->dir);
	SET(journal, "%s/journal", np->dir);
	SET(pidfile, "%s/pid", np->dir);
	SET(console, "%s/console.log", np->dir);
	SET(jaildir, "%s/node", np->dir);
	SET(jailroot, "%s/.root", np->dir);
	SET(jail, "%s/jail", np->dir);
	SET(cgroup, "%s/cgroup", np->dir);
	SET(notify, "%s/notify.sock", np->jaildir);
	SET(umldir, "%s/uml", np->jaildir);
	SET(mconsole, "%s/uml/%s/mconsole", np->jaildir, name);
	SET(cow, "%s/root.cow", np->jaildir);
	SET(drive, "%s/config.img", np->jaildir);
	SET(drive_dir, "%s/config", np->dir);
	SET(lock, "%s/lock", np->dir);
	SET(info, "%s/info", np->dir);
	SET(holder, "%s/holder.pid", np->dir);
	/* sun_path is 108 bytes */
	if (strlen(np->mconsole) >= 108 || strlen(np->notify) >= 108)
		return -ENAMETOOLONG;
	return 0;
}

int pid_starttime(pid_t pid, unsigned long long *st)
{
	char path[64], *data = NULL, *p;
	int ret, i;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
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
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !node_name_valid(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			v2 = realloc(v, cap * sizeof(*v));
			if (!v2) {
				free(v);
				closedir(d);
				return -ENOMEM;
			}
			v = v2;
		}
		strscpy(v[n++], de->d_name, sizeof(v[0]));
	}
	closedir(d);
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
		return -EINVAL;
	if (!v || !v[0])
		v = env2 ? getenv(env2) : NULL;
	out[0] = '\0';
	if (v && v[0]) {
		char abs[PATH_MAX];

		strscpy(out, v, len);
		if (access(v, R_OK) || !realpath(v, abs))
			return err_set(e, "%s=%s: %s",
				       getenv(env1) ? env1 : env2, v,
				       strerror(errno)),
			       -errno;
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
	return err_set(e,
		       "no %s found next to umnet, in ../lib/umnet or in %s: run 'make' (or 'make install') first, or set %s=/path",
		       fname, UMNET_LIBDIR, env1),
	       -ENOENT;
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
		return err_set(e, "image %s: %s", image, strerror(errno)),
		       -errno;
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

	if (read_file(np->jail, &rec, NULL))
		return strscpy(out, path, len);
	private_ns = strstr(rec, "\nmount private") != NULL;
	free(rec);
	if (!private_ns)
		return strscpy(out, path, len);
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
	ret = mconsole_cmd(np->mconsole, cmd, 3000, &reply);
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
	long long deadline = now_ms() + 3000;
	int ret;

	while ((ret = node_pts_once(np, con, out, len)) == -ENODEV &&
	       now_ms() < deadline)
		usleep(20000);
	return ret;
}

int node_exec(const struct node_paths *np, char *const argv[], int out_fd,
	      int err_fd, int timeout_ms, int *status)
{
	return node_exec_opts(np, argv, out_fd, err_fd, timeout_ms, status,
			      NULL);
}

int node_exec_opts(const struct node_paths *np, char *const argv[], int out_fd,
		   int err_fd, int timeout_ms, int *status,
		   const struct agent_opts *o)
{
	char pts[64];
	int lockfd = -1, ret;

	ret = node_pts(np, 2, pts, sizeof(pts));
	if (ret)
		return ret;
	/* one exec at a time per node: they share the agent's tty */
	lockfd = open(np->lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lockfd < 0 || flock(lockfd, LOCK_EX) < 0) {
		ret = -errno;
		goto cleanup;
	}
	ret = agent_exec_opts(pts, argv, out_fd, err_fd, timeout_ms, status, o);
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
	int ret, n;

	if (!name[0] || strchr(name, '/') || name[0] == '.')
		return -EINVAL;
	ret = state_root(root, sizeof(root));
	if (ret)
		return ret;
	n = snprintf(out, len, "%s/.locks/%s", root, kind);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	if (mkdirs && (ret = mkdir_p(out, 0700)))
		return ret;
	n = snprintf(out, len, "%s/.locks/%s/%s", root, kind, name);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int lock_wait_s(int dflt)
{
	const char *v = getenv("UMNET_LOCK_TIMEOUT");
	char *end;
	long n;

	if (!v || !v[0])
		return dflt;
	n = strtol(v, &end, 10);
	return *end || n < 0 || n > 86400 ? dflt : (int)n;
}

int name_lock(const char *kind, const char *name, const char *what,
	      int timeout_s, struct err *e)
{
	char path[PATH_MAX], buf[128], holder[128] = "", doing[100] = "";
	long long deadline;
	int fd, ret, n, pid = 0;

	ret = lock_path(kind, name, path, sizeof(path), true);
	if (ret)
		return err_set(e, "%s: lock for %s: %s", name, kind,
			       strerror(-ret)),
		       ret;
	timeout_s = lock_wait_s(timeout_s);
	deadline = now_ms() + timeout_s * 1000LL;
	for (;;) {
		struct stat a, b;

		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0)
			return err_set(e, "%s: %s", path, strerror(errno)),
			       -errno;
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
			return err_set(e, "%s: flock: %s", path,
				       strerror(-ret)),
			       ret;
		}
		n = pread(fd, holder, sizeof(holder) - 1, 0);
		holder[n > 0 ? n : 0] = '\0';
		close(fd);
		if (now_ms() >= deadline) {
			sscanf(holder, "%d %99[^\n]", &pid, doing);
			return err_set(e,
				       "%s: another umnet (pid %d) is %s; waited %d s: try again when it is done",
				       name, pid,
				       doing[0] ? doing : "working on it",
				       timeout_s),
			       -ETIMEDOUT;
		}
		usleep(20000);
	}
	/* who holds it, for the message of a waiting umnet */
	n = snprintf(buf, sizeof(buf), "%d %s\n", (int)getpid(), what);
	if (ftruncate(fd, 0) || pwrite(fd, buf, n, 0) != n) {
		/* only the message of a waiting umnet is less precise */
	}
	return fd;
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
