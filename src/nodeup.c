// SPDX-License-Identifier: GPL-2.0
/*
 * Bring one node up from its parsed profile: plan the host side, record and
 * create it, build the config drive, start UML and wait until the node's
 * init says ready. Anything that fails half-way is undone before returning.
 * Used by `umnet up` and, once per node, by `umnet lab up`.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hostplan.h"
#include "ids.h"
#include "cow.h"
#include "drive.h"
#include "mconsole.h"
#include "nodejail.h"
#include "nodeup.h"
#include "profile.h"
#include "supervisor.h"
#include "transport.h"
#include "wires.h"

static int check_disk(const struct profile *p, const char *rootfs,
		      struct err *e)
{
	struct cow_info ci;
	char why[512];
	int ret;

	if (!p->disk[0])
		return 0;
	ret = cow_read(p->disk, &ci);
	if (ret == -ENOENT) {
		/* made here, so the jailed node needs no write access to its dir */
		ret = cow_create(p->disk, rootfs, 0600);
		if (ret)
			return errf(e, ret, "%s: disk %s: creating it: %s",
				    p->path, p->disk, strerror(-ret));
		return 0;
	}
	if (ret == -EINVAL)
		return errf(
			e, ret,
			"%s: disk %s is not a UML COW file: move it away or fix disk = ...",
			p->path, p->disk);
	if (ret)
		return errf(e, ret, "%s: disk %s: %s", p->path, p->disk,
			    strerror(-ret));
	ret = cow_check(&ci, rootfs, why, sizeof(why));
	if (ret == -ESTALE)
		return errf(
			e, ret,
			"%s: disk %s no longer matches its base image: %s. The node's changes were made over the old image; delete %s to start afresh from the new one",
			p->path, p->disk, why, p->disk);
	if (ret)
		return errf(e, ret, "%s: disk %s: base image %s: %s", p->path,
			    p->disk, rootfs, strerror(-ret));
	return 0;
}

static int prepare_transports(const struct profile *p,
			      const struct node_paths *np, struct fd_pass *pass,
			      struct err *e)
{
	int i, ret;

	for (i = 0; i < p->nifaces; i++) {
		const struct iface *ifc = &p->ifaces[i];

		if (!ifc->transport->prepare)
			continue;
		ret = ifc->transport->prepare(p, ifc, np, pass, e);
		if (ret)
			return ret;
	}
	return 0;
}

/* "node.conf:N: msg" -> also name the profile line it came from */
static void explain_failure(const struct profile *p, struct err *e)
{
	const char *s = strstr(e->msg, "node.conf:");
	char where[600], msg[sizeof(e->msg)];

	if (!s || drive_explain(p, atoi(s + 10), where, sizeof(where)))
		return;
	snprintf(msg, sizeof(msg), "%.500s\n  (from %.500s)", e->msg, where);
	strscpy(e->msg, msg, sizeof(e->msg));
}

/* everything the node's processes open in their jail dir is theirs */
static int own_jaildir(const struct node_paths *np, const struct node_jail *nj,
		       struct err *e)
{
	char path[PATH_MAX];
	struct dirent *de;
	int ret = 0;
	DIR *d;

	if (!nj->privileged)
		return 0;
	d = opendir(np->jaildir);
	if (!d)
		return errf(e, -errno, "%s: %m", np->jaildir);
	while (!ret && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		ret = path_fmt(path, sizeof(path), "%s/%s", np->jaildir,
			       de->d_name);
		if (!ret)
			ret = node_jail_own(nj, path);
		if (ret)
			errf(e, ret, "%s: %s", path, strerror(-ret));
	}
	closedir(d);
	return ret;
}

static int write_info(const struct node_paths *np, const char *kernel,
		      const char *rootfs, const char *cow)
{
	char buf[PATH_MAX * 3 + 128];
	int n;

	n = snprintf(buf, sizeof(buf),
		     "kernel %s\nrootfs %s\ncow %s\nstarted %lld\n", kernel,
		     rootfs, cow, (long long)time(NULL));
	return write_file(np->info, buf, n, 0644);
}

int node_up(struct profile *p, int timeout_s, struct up_result *res,
	    struct err *e)
{
	char kernel[PATH_MAX], rootfs[PATH_MAX];
	struct plan plan = { 0 };
	struct strbuf sb = { 0 };
	struct argv uargv = { 0 };
	struct fd_pass pass = { 0 }; /* filled by prepare, for uml_start */
	struct node_paths np;
	struct node_jail *nj = NULL;
	struct err e2 = { "" };
	int notify_fd = -1, console = -1, ready = -1, lockfd = -1,
	    ret = -EINVAL, r;
	bool created = false;
	long long t0 = now_ms(), t1;
	const char *cow;
	pid_t pid = 0;

	nj = calloc(1, sizeof(*nj));
	if (!nj) {
		ret = errf(e, -ENOMEM, "out of memory");
		goto cleanup;
	}
	ret = node_paths(p->name, &np);
	if (ret == -EPERM) {
		char root[PATH_MAX] = "";

		state_root(root, sizeof(root));
		errf(e, ret,
		     "%s: the state directory %s is not a private directory of yours (owned by you, mode 0700, not a symlink): remove it, or set XDG_RUNTIME_DIR",
		     p->name, root);
		goto cleanup;
	}
	if (ret) {
		errf(e, ret, "%s: state directory path: %s", p->name,
		     strerror(-ret));
		goto cleanup;
	}
	/* one command at a time on a name: a racing up waits, then fails */
	lockfd = name_lock("node", p->name, "bringing it up", NODE_LOCK_WAIT_S,
			   e);
	if (lockfd < 0) {
		ret = lockfd;
		goto cleanup;
	}
	/* its ids under the lock: racing ups of one name share them */
	if ((ret = node_jail_ids(p, nj, e)) ||
	    (ret = profile_plan(p, &plan, e)) ||
	    (ret = check_privileges(p, &plan, e)))
		goto cleanup;
	if ((ret = find_kernel(kernel, sizeof(kernel), e)) ||
	    (ret = find_image(p->image, rootfs, sizeof(rootfs), e)))
		goto cleanup;
	if ((ret = check_disk(p, rootfs, e)))
		goto cleanup;
	/* the command line is checked before anything is made */
	cow = p->disk[0] ? p->disk : np.cow;
	if (uml_argv(p, &np, kernel, rootfs, cow, host_lpj(kernel), &uargv)) {
		ret = errf(e, -ENOMEM, "%s: out of memory", p->name);
		goto cleanup;
	}
	if ((ret = argv_check(&uargv, e)))
		goto cleanup;
	if (mkdir_p(np.dir, nj->privileged ? 0711 : 0700) == 0 &&
	    access(np.pidfile, F_OK) == 0) {
		pid_t old = 0;

		if (node_running(&np, &old))
			ret = errf(
				e, -EEXIST,
				"%s is already running (pid %d): 'umnet down %s' first",
				p->name, (int)old, p->name);
		else
			ret = errf(
				e, -EEXIST,
				"%s has state left from a run that did not end cleanly (%s): 'umnet down %s' removes it",
				p->name, np.dir, p->name);
		goto cleanup;
	}
	if (access(np.journal, F_OK) == 0) {
		ret = errf(
			e, -EBUSY,
			"%s: a set-up was interrupted (its umnet was killed): 'umnet down %s' removes what it made",
			p->name, p->name);
		goto cleanup;
	}
	/* the journal exists from now on: teardown knows this dir is ours */
	r = open(np.journal, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (r < 0) {
		ret = errf(e, -errno, "%s: %m", np.journal);
		goto cleanup;
	}
	close(r);
	created = true;
	/* the node's processes reach only np.jaildir, through their jail */
	chmod(np.dir, nj->privileged ? 0711 : 0700);
	profile_print(p, &sb);
	ret = write_file(np.profile, sb.buf, sb.len, 0644);
	if (ret) {
		errf(e, ret, "%s: %s", np.dir, strerror(-ret));
		goto cleanup;
	}
	if ((ret = plan_apply(&plan, PHASE_PRE_BOOT, np.journal, e)))
		goto cleanup;
	if ((ret = node_jail_prepare(p, &np, kernel, rootfs, nj, e)) ||
	    (ret = drive_build(p, np.drive_dir, np.drive, e)) ||
	    (ret = prepare_transports(p, &np, &pass, e)) ||
	    (ret = own_jaildir(&np, nj, e)))
		goto cleanup;
	if ((ret = write_info(&np, kernel, rootfs, cow))) {
		errf(e, ret, "%s: %s: %s", p->name, np.info, strerror(-ret));
		goto cleanup;
	}
	notify_fd = mconsole_notify_open(np.notify);
	if (notify_fd < 0 || (r = node_jail_own(nj, np.notify))) {
		ret = notify_fd < 0 ? notify_fd : r;
		errf(e, ret, "%s: %s", np.notify, strerror(-ret));
		goto cleanup;
	}
	t1 = now_ms();
	if ((ret = uml_holder_start(&np, &nj->aux, &console, &ready, e)))
		goto cleanup;
	ret = uml_start(&uargv, &np, p->netns, &nj->uml, &pass, console, &pid,
			e);
	close(console);
	console = -1;
	if (ret)
		goto cleanup;
	ret = uml_wait_ready(&np, pid, notify_fd, timeout_s * 1000, e);
	if (ret) {
		explain_failure(p, e);
		if (res)
			console_tail(&np, 15, &res->console);
		goto cleanup;
	}
	if ((ret = plan_apply(&plan, PHASE_POST_BOOT, np.journal, e)))
		goto cleanup;
	/* the holder keeps the consoles open from now on */
	if (write(ready, "r", 1) != 1) {
		ret = errf(e, -EIO, "%s: the console holder is gone", p->name);
		goto cleanup;
	}
	if (res) {
		res->pid = pid;
		res->total_ms = now_ms() - t0;
		res->boot_ms = now_ms() - t1;
	}
	ret = 0;
cleanup:
	fd_pass_close(&pass);
	if (console >= 0)
		close(console);
	if (ready >= 0)
		close(ready);
	if (notify_fd >= 0) {
		close(notify_fd);
		if (created)
			unlink(np.notify);
	}
	if (ret && created && node_teardown(&np, &e2)) {
		size_t n = strlen(e->msg);

		snprintf(e->msg + n, sizeof(e->msg) - n,
			 "\ncleaning up after the failure: %s", e2.msg);
	}
	/* an id allocated for a node that never came to be is freed */
	if (ret && !created && nj && nj->privileged && lockfd >= 0 &&
	    access(np.dir, F_OK) != 0)
		ids_free(p->name);
	/* the lock file goes with the name when nothing of it is left */
	if (lockfd >= 0)
		name_unlock(lockfd, "node", p->name, access(np.dir, F_OK) != 0);
	argv_free(&uargv);
	sb_free(&sb);
	plan_free(&plan);
	free(nj);
	return ret;
}

/* the wires the node was on (files wire-NAME in its state dir) */
static void forget_wires(const struct node_paths *np)
{
	struct dirent *de;
	DIR *d;

	d = opendir(np->dir);
	if (!d)
		return;
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, "wire-", 5))
			wire_node_gone(np->name, de->d_name + 5);
	closedir(d);
}

int node_teardown(const struct node_paths *np, struct err *e)
{
	unsigned long long st;
	pid_t pid = 0;
	int ret;

	/*
	 * A node whose disk is the COW file in its state dir loses it anyway:
	 * kill it at once. A persistent disk = gets a clean halt first.
	 */
	if (!node_read_pid(np, &pid, &st))
		uml_stop(np, pid, node_disk_is_ephemeral(np) ? 0 : 3000);
	node_jail_release(np);
	uml_stop_holder(np);
	ret = journal_teardown(np->journal, e);
	if (ret)
		return ret;
	forget_wires(np);
	ret = rm_rf(np->dir);
	if (ret)
		errf(e, ret, "removing %s: %s", np->dir, strerror(-ret));
	return ret;
}

int node_down(const struct node_paths *np, struct err *e)
{
	int lockfd, ret = 0;

	lockfd = name_lock("node", np->name, "taking it down", NODE_LOCK_WAIT_S,
			   e);
	if (lockfd < 0)
		return lockfd;
	/* gone while we waited (a failed up, another down): nothing to do */
	if (access(np->dir, F_OK) == 0)
		ret = node_teardown(np, e);
	name_unlock(lockfd, "node", np->name, access(np->dir, F_OK) != 0);
	return ret;
}
