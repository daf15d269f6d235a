// SPDX-License-Identifier: GPL-2.0
/*
 * umnet up PROFILE: parse, plan the host side, record and create it, build
 * the config drive, start UML and wait until the node's init says ready.
 * Anything that fails half-way is undone before returning.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cow.h"
#include "drive.h"
#include "mconsole.h"
#include "profile.h"
#include "supervisor.h"
#include "transport.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: umnet up [--timeout SECONDS] [--name NAME] PROFILE\n");
}

static int check_disk(const struct profile *p, const char *rootfs,
		      struct err *e)
{
	struct cow_info ci;
	char why[512];
	int ret;

	if (!p->disk[0])
		return 0;
	ret = cow_read(p->disk, &ci);
	if (ret == -ENOENT)
		return 0; /* UML creates it */
	if (ret == -EINVAL)
		return err_set(e,
			       "%s: disk %s is not a UML COW file: move it away or fix disk = ...",
			       p->path, p->disk),
		       ret;
	if (ret)
		return err_set(e, "%s: disk %s: %s", p->path, p->disk,
			       strerror(-ret)),
		       ret;
	ret = cow_check(&ci, rootfs, why, sizeof(why));
	if (ret == -ESTALE)
		return err_set(e,
			       "%s: disk %s no longer matches its base image: %s. The node's changes were made over the old image; delete %s to start afresh from the new one",
			       p->path, p->disk, why, p->disk),
		       ret;
	if (ret)
		return err_set(e, "%s: disk %s: base image %s: %s", p->path,
			       p->disk, rootfs, strerror(-ret)),
		       ret;
	return 0;
}

static int prepare_transports(const struct profile *p,
			      const struct node_paths *np, struct err *e)
{
	int i, ret;

	for (i = 0; i < p->nifaces; i++) {
		const struct iface *ifc = &p->ifaces[i];

		if (!ifc->transport->prepare)
			continue;
		ret = ifc->transport->prepare(p, ifc, np, e);
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
	snprintf(msg, sizeof(msg), "%s\n  (from %s)", e->msg, where);
	strscpy(e->msg, msg, sizeof(e->msg));
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

int up_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "name", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char kernel[PATH_MAX], rootfs[PATH_MAX], *name = NULL;
	struct profile *p = NULL;
	struct plan plan = { 0 };
	struct strbuf sb = { 0 };
	struct argv uargv = { 0 };
	struct node_paths np;
	struct err e = { "" }, e2 = { "" };
	int timeout_s = 30, notify_fd = -1, ret = 1, c, r;
	bool created = false;
	long long t0 = now_ms(), t1;
	const char *cow;
	pid_t pid = 0;

	while ((c = getopt_long(argc, argv, "t:n:h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			timeout_s = atoi(optarg);
			if (timeout_s <= 0) {
				say_err("--timeout %s: must be a positive number of seconds",
					optarg);
				return 2;
			}
			break;
		case 'n':
			name = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		say_err("out of memory");
		return 1;
	}
	if (profile_parse(argv[optind], p, &e)) {
		say_err("%s", e.msg);
		goto out;
	}
	if (name) {
		if (!node_name_valid(name)) {
			say_err("--name %s: not a valid node name", name);
			goto out;
		}
		strscpy(p->name, name, sizeof(p->name));
	}
	if (profile_plan(p, &plan, &e) || check_privileges(p, &plan, &e)) {
		say_err("%s", e.msg);
		goto out;
	}
	if (find_kernel(kernel, sizeof(kernel), &e) ||
	    find_rootfs(rootfs, sizeof(rootfs), &e)) {
		say_err("%s", e.msg);
		goto out;
	}
	if (check_disk(p, rootfs, &e)) {
		say_err("%s", e.msg);
		goto out;
	}
	r = node_paths(p->name, &np);
	if (r) {
		say_err("%s: state directory path: %s", p->name, strerror(-r));
		goto out;
	}
	if (mkdir_p(np.dir, 0700) == 0 && access(np.pidfile, F_OK) == 0) {
		pid_t old = 0;

		if (node_running(&np, &old))
			say_err("%s is already running (pid %d): 'umnet down %s' first",
				p->name, (int)old, p->name);
		else
			say_err("%s has state left from a run that did not end cleanly (%s): 'umnet down %s' removes it",
				p->name, np.dir, p->name);
		goto out;
	}
	if (access(np.journal, F_OK) == 0) {
		say_err("%s is being set up by another umnet, or a set-up was interrupted: 'umnet down %s' removes what it made",
			p->name, p->name);
		goto out;
	}
	/* the journal exists from now on: teardown knows this dir is ours */
	r = open(np.journal, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (r < 0) {
		say_err("%s: %s", np.journal, strerror(errno));
		goto out;
	}
	close(r);
	created = true;
	chmod(np.dir, 0700);
	r = 0;
	{
		profile_print(p, &sb);
		r = write_file(np.profile, sb.buf, sb.len, 0644);
	}
	if (r) {
		say_err("%s: %s", np.dir, strerror(-r));
		goto out;
	}
	if (plan_apply(&plan, PHASE_PRE_BOOT, np.journal, &e)) {
		say_err("%s", e.msg);
		goto out;
	}
	if (drive_build(p, np.drive_dir, np.drive, &e) ||
	    prepare_transports(p, &np, &e)) {
		say_err("%s", e.msg);
		goto out;
	}
	cow = p->disk[0] ? p->disk : np.cow;
	if (uml_argv(p, &np, kernel, rootfs, cow, &uargv) ||
	    write_info(&np, kernel, rootfs, cow)) {
		say_err("%s: out of memory or disk", p->name);
		goto out;
	}
	notify_fd = mconsole_notify_open(np.notify);
	if (notify_fd < 0) {
		say_err("%s: %s", np.notify, strerror(-notify_fd));
		goto out;
	}
	t1 = now_ms();
	if (uml_start(&uargv, &np, &pid, &e)) {
		say_err("%s", e.msg);
		goto out;
	}
	if (uml_wait_ready(&np, pid, notify_fd, timeout_s * 1000, &e)) {
		explain_failure(p, &e);
		sb.len = 0;
		console_tail(&np, 15, &sb);
		say_err("%s\nlast lines of the console (%s):\n%s", e.msg,
			np.console, sb_str(&sb));
		goto out;
	}
	if (plan_apply(&plan, PHASE_POST_BOOT, np.journal, &e) ||
	    uml_hold_consoles(&np, pid, &e)) {
		say_err("%s", e.msg);
		goto out;
	}
	printf("%s: ready in %lld ms (boot %lld ms), pid %d\n", p->name,
	       now_ms() - t0, now_ms() - t1, (int)pid);
	ret = 0;
out:
	if (notify_fd >= 0) {
		close(notify_fd);
		if (created)
			unlink(np.notify);
	}
	if (ret && created) {
		if (node_teardown(&np, &e2))
			say_err("cleaning up after the failure: %s", e2.msg);
	}
	argv_free(&uargv);
	sb_free(&sb);
	plan_free(&plan);
	free(p);
	return ret;
}
