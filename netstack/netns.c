// SPDX-License-Identifier: GPL-2.0
/*
 * Named network namespaces, compatible with ip-netns(8): a namespace NAME is
 * kept alive by a bind mount of its nsfs inode on /run/netns/NAME, and
 * /run/netns is a shared mount so that the bind mounts propagate into every
 * mount namespace that has a copy of it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <dirent.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nl_priv.h"
#include "util.h"

static int netns_path(const char *name, char *buf, size_t len)
{
	size_t n;

	if (!name)
		return -EINVAL;
	n = strnlen(name, NAME_MAX + 1);
	if (n == 0 || n > NAME_MAX || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return -EINVAL;
	return path_fmt(buf, len, "%s/%s", NETNS_RUN_DIR, name);
}

/* mkdir /run/netns and make it a shared mount point, as iproute2 does */
static int netns_dir_prepare(void)
{
	bool bound = false;

	if (mkdir(NETNS_RUN_DIR, 0755) && errno != EEXIST)
		return -errno;
	while (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL)) {
		/* EINVAL: not a mount point yet; bind it onto itself */
		if (errno != EINVAL || bound)
			return -errno;
		if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none",
			  MS_BIND | MS_REC, NULL))
			return -errno;
		bound = true;
	}
	return 0;
}

int ns_run_fd(int nsfd, int (*fn)(void *), void *arg)
{
	int self = -1, ret;

	if (nsfd < 0 || !fn)
		return -EINVAL;
	self = open(NS_SELF, O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -errno;
	if (setns(nsfd, CLONE_NEWNET)) {
		ret = -errno;
		goto cleanup;
	}
	ret = fn(arg);
	/* failing to get back would leave the thread stranded: report it */
	if (setns(self, CLONE_NEWNET))
		ret = -errno;
cleanup:
	close(self);
	return ret;
}

static int netns_bind_self(void *arg)
{
	const char *path = arg;

	if (unshare(CLONE_NEWNET))
		return -errno;
	if (mount(NS_SELF, path, "none", MS_BIND, NULL))
		return -errno;
	return 0;
}

int netns_add(const char *name)
{
	char path[PATH_MAX];
	int fd = -1, self = -1, ret;

	ret = netns_path(name, path, sizeof(path));
	if (ret)
		return ret;
	ret = netns_dir_prepare();
	if (ret)
		return ret;

	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	close(fd);

	/*
	 * Create the namespace in this thread and switch straight back:
	 * ns_run_fd() into our own netns is just a safe unshare-and-return.
	 */
	self = open(NS_SELF, O_RDONLY | O_CLOEXEC);
	if (self < 0) {
		ret = -errno;
		goto cleanup;
	}
	ret = ns_run_fd(self, netns_bind_self, path);
cleanup:
	if (self >= 0)
		close(self);
	if (ret) {
		umount2(path, MNT_DETACH);
		unlink(path);
	}
	return ret;
}

int netns_del(const char *name)
{
	char path[PATH_MAX];
	int ret;

	ret = netns_path(name, path, sizeof(path));
	if (ret)
		return ret;
	if (access(path, F_OK))
		return -errno;
	/* EINVAL: not mounted (a stale file), unlink it all the same */
	if (umount2(path, MNT_DETACH) && errno != EINVAL)
		return -errno;
	if (unlink(path))
		return -errno;
	return 0;
}

bool netns_exists(const char *name)
{
	char path[PATH_MAX];

	if (netns_path(name, path, sizeof(path)))
		return false;
	return access(path, F_OK) == 0;
}

int netns_open(const char *name)
{
	char path[PATH_MAX];
	int ret, fd;

	ret = netns_path(name, path, sizeof(path));
	if (ret)
		return ret;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int netns_run(const char *name, int (*fn)(void *), void *arg)
{
	int fd, ret;

	if (!fn)
		return -EINVAL;
	if (!name)
		return fn(arg);
	fd = netns_open(name);
	if (fd < 0)
		return fd;
	ret = ns_run_fd(fd, fn, arg);
	close(fd);
	return ret;
}

int netns_current(char *out, size_t len)
{
	struct stat self, st;
	struct dirent *de;
	DIR *d;
	int ret = -ENOENT;

	out[0] = '\0';
	if (stat("/proc/thread-self/ns/net", &self))
		return -errno;
	/* the host's, even if some /run/netns/NAME is bound to it */
	if (!stat("/proc/1/ns/net", &st) && st.st_ino == self.st_ino &&
	    st.st_dev == self.st_dev)
		return -ENOENT;
	d = opendir(NETNS_RUN_DIR);
	if (!d)
		return errno == ENOENT ? -ENOENT : -errno;
	while ((de = readdir(d))) {
		char path[PATH_MAX];

		if (de->d_name[0] == '.' ||
		    !host_name_valid(de->d_name, len - 1) ||
		    netns_path(de->d_name, path, sizeof(path)) ||
		    stat(path, &st))
			continue;
		if (st.st_ino == self.st_ino && st.st_dev == self.st_dev) {
			strscpy(out, de->d_name, len);
			ret = 0;
			break;
		}
	}
	closedir(d);
	return ret;
}
