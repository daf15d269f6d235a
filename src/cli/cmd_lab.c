// SPDX-License-Identifier: GPL-2.0
/*
 * umnet lab up|down|status|restart|repair|graph|test|link: labs
 * (docs/lab.md).
 * The lab file is lab.c's; bringing it up and down is labrun.c's; the
 * tests are labtest.c's. This file only reads arguments and prints.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "labimpair.h"
#include "kathara.h"
#include "labrun.h"
#include "labtest.h"
#include "transport.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: umnet lab up LAB... [--only NODE...] [--jobs N] [--timeout SECONDS]\n"
		"                    [--name NAME] [--netkit]\n"
		"       umnet lab down LAB...\n"
		"       umnet lab status [LAB] [--json]\n"
		"       umnet lab restart LAB NODE...\n"
		"       umnet lab repair LAB\n"
		"       umnet lab graph LAB [-o FILE.dot|FILE.svg]\n"
		"       umnet lab test LAB [--junit FILE]\n"
		"       umnet lab link down|up LAB LINK\n"
		"       umnet lab link set LAB LINK [--delay D] [--loss P] [--rate R] ...\n"
		"       umnet lab link reset LAB LINK\n"
		"       umnet lab link show LAB [LINK] [--json]\n"
		"       umnet lab capture LAB LINK [-w FILE|-] [-c N] [-f EXPR] [--duration S]\n"
		"       umnet lab convert DIR [--netkit] [--name NAME] -o FILE.lab\n"
		"\n"
		"LAB is a lab file, a Kathará/Netkit lab directory (docs/kathara.md), or the\n"
		"name of a lab that is up. See docs/lab.md.\n");
}

struct progress {
	int done, total;
	long long t0;
};

static void on_node(void *arg, const struct lab *lab, int node, int ret,
		    const struct up_result *res, const struct err *e)
{
	struct progress *pr = arg;
	char name[2 * LAB_NAME_MAX + 2], count[32] = "";

	pr->done++;
	snprintf(name, sizeof(name), "%s/%s", lab->name, lab->nodes[node].name);
	if (pr->total) /* repair does not know it beforehand */
		snprintf(count, sizeof(count), "[%d/%d] ", pr->done, pr->total);
	if (!ret) {
		printf("  %s%-28s ready in %lld ms (boot %lld ms), pid %d\n",
		       count, name, res->total_ms, res->boot_ms, (int)res->pid);
	} else {
		printf("  %s%-28s FAILED\n", count, name);
		say_err("%s", e->msg);
		if (res->console.len)
			fprintf(stderr, "last lines of its console:\n%.*s\n",
				(int)res->console.len, res->console.buf);
	}
	fflush(stdout);
}

/* NODE... into a node mask; NULL with a message when a name is unknown */
static bool *node_mask(const struct lab *lab, char **names, int n)
{
	bool *m = calloc(lab->nnodes, sizeof(*m));
	int i, k;

	if (!m)
		return NULL;
	for (i = 0; i < n; i++) {
		k = lab_node_find(lab, names[i]);
		if (k < 0) {
			say_err("lab %s has no node %s", lab->name, names[i]);
			free(m);
			return NULL;
		}
		m[k] = true;
	}
	return m;
}

static int default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (n * 4 > 16 ? 16 : n * 4) : 4;
}

static int lab_lock(const char *arg, const char *what, char *name);
static void lab_unlock(int fd, const char *name);

static int up_one(const char *file, char **only, int nonly, int jobs,
		  int timeout_s)
{
	struct lab lab = { 0 };
	struct err e = { "" };
	struct progress pr = { 0 };
	char lname[LAB_NAME_MAX + 1];
	bool *mask = NULL;
	int ret = 1, lockfd;

	lockfd = lab_lock(file, "bringing the lab up", lname);
	if (lockfd < 0)
		return 1;
	if (lab_load(file, &lab, true, &e)) {
		say_err("%s", e.msg);
		goto out;
	}
	if (nonly && !(mask = node_mask(&lab, only, nonly)))
		goto out;
	pr.total = nonly ? nonly : lab.nnodes;
	pr.t0 = now_ms();
	printf("lab %s: bringing up %d node%s (%d at a time)\n", lab.name,
	       pr.total, pr.total == 1 ? "" : "s", jobs);
	fflush(stdout);
	if (lab_up(&lab, mask, jobs, timeout_s, on_node, &pr, &e)) {
		say_err("%s", e.msg);
		if (pr.done)
			say_err("lab %s: removed what this 'lab up' made",
				lab.name);
		goto out;
	}
	printf("lab %s: up, %d node%s ready in %.2f s\n", lab.name, pr.done,
	       pr.done == 1 ? "" : "s", (now_ms() - pr.t0) / 1000.0);
	ret = 0;
out:
	fflush(stdout);
	free(mask);
	lab_unlock(lockfd, lname);
	lab_free(&lab);
	return ret;
}

/* several labs: each in its own process, all at once */
static int up_many(char **files, int n, int jobs, int timeout_s)
{
	long long t0 = now_ms();
	int i, failed = 0, st;
	pid_t *pids = calloc(n, sizeof(*pids));

	if (!pids)
		return 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	fflush(NULL);
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(up_one(files[i], NULL, 0, jobs, timeout_s));
		if (pids[i] < 0) {
			say_err("fork: %s", strerror(errno));
			failed++;
		}
	}
	for (i = 0; i < n; i++)
		if (pids[i] > 0 && (waitpid(pids[i], &st, 0) < 0 ||
				    !WIFEXITED(st) || WEXITSTATUS(st)))
			failed++;
	printf("%d labs: %d up, %d failed, in %.2f s\n", n, n - failed, failed,
	       (now_ms() - t0) / 1000.0);
	free(pids);
	return failed ? 1 : 0;
}

static int cmd_up(int argc, char *argv[])
{
	char **only = NULL, **files = NULL;
	int i, nonly = 0, nfiles = 0, jobs = default_jobs(), timeout_s = 60;
	int ret = 1;
	unsigned long v;

	only = calloc(argc, sizeof(*only));
	files = calloc(argc, sizeof(*files));
	if (!only || !files)
		goto out;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--only")) {
			while (i + 1 < argc && argv[i + 1][0] != '-')
				only[nonly++] = argv[++i];
			if (!nonly) {
				say_err("--only needs node names");
				goto out;
			}
		} else if (!strcmp(argv[i], "--jobs") && i + 1 < argc) {
			if (opt_uint("--jobs", argv[++i], 1, 64, &v)) {
				ret = 2;
				goto out;
			}
			jobs = v;
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			if (opt_uint("--timeout", argv[++i], 1, TIMEOUT_MAX_S,
				     &v)) {
				ret = 2;
				goto out;
			}
			timeout_s = v;
		} else if (!strcmp(argv[i], "--name") && i + 1 < argc) {
			kathara_cli_opts.name = argv[++i];
		} else if (!strcmp(argv[i], "--netkit")) {
			kathara_cli_opts.netkit = true;
		} else if (argv[i][0] != '-') {
			files[nfiles++] = argv[i];
		} else {
			usage(stderr);
			ret = 2;
			goto out;
		}
	}
	if (!nfiles || ((nonly || kathara_cli_opts.name) && nfiles > 1)) {
		if (nfiles > 1)
			say_err("--only and --name work with one lab");
		usage(stderr);
		ret = 2;
		goto out;
	}
	if ((kathara_cli_opts.name || kathara_cli_opts.netkit) &&
	    !kathara_is_lab(files[0])) {
		say_err("--name and --netkit are for Kathara/Netkit lab directories; a lab file names its lab with name = in [lab]");
		ret = 2;
		goto out;
	}
	ret = nfiles == 1 ? up_one(files[0], only, nonly, jobs, timeout_s)
			  : up_many(files, nfiles, jobs, timeout_s);
out:
	free(only);
	free(files);
	return ret;
}

/* a lab name, or a lab file's name */
static int lab_name_of(const char *arg, char *name, size_t len)
{
	struct lab lab = { 0 };
	struct err e = { "" };

	if (lab_name_valid(arg) && access(arg, F_OK)) {
		strscpy(name, arg, len);
		return 0;
	}
	if (kathara_is_lab(arg) ? kathara_lab_parse(arg, false, &lab, &e)
				: lab_parse(arg, NULL, NULL, &lab, &e)) {
		say_err("%s", e.msg);
		lab_free(&lab);
		return -EINVAL;
	}
	strscpy(name, lab.name, len);
	lab_free(&lab);
	return 0;
}

/*
 * The lab's lock (name_lock), taken before lab_load writes to its state dir:
 * up, restart and repair of one lab never interleave, nor with its down.
 * name (LAB_NAME_MAX + 1 bytes) gets the lab's name, for lab_unlock.
 */
static int lab_lock(const char *arg, const char *what, char *name)
{
	struct err e = { "" };
	int fd;

	if (lab_name_of(arg, name, LAB_NAME_MAX + 1))
		return -EINVAL;
	fd = name_lock("lab", name, what, LAB_LOCK_WAIT_S, &e);
	if (fd < 0)
		say_err("lab %s", e.msg);
	return fd;
}

/* the lock file goes too when the lab is not up (any more) */
static void lab_unlock(int fd, const char *name)
{
	if (fd >= 0)
		name_unlock(fd, "lab", name, !lab_is_up(name));
}

static int cmd_down(int argc, char *argv[])
{
	char name[LAB_NAME_MAX + 1];
	struct err e = { "" };
	int i, ret = 0;
	long long t0;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if (lab_name_of(argv[i], name, sizeof(name))) {
			ret = 1;
			continue;
		}
		if (!lab_is_up(name)) {
			say_err("no lab named %s is up (see 'umnet lab status')",
				name);
			ret = 1;
			continue;
		}
		t0 = now_ms();
		kathara_lab_shutdown(name);
		if (lab_down(name, &e)) {
			say_err("lab %s: %s", name, e.msg);
			ret = 1;
			continue;
		}
		printf("lab %s: down in %.2f s\n", name,
		       (now_ms() - t0) / 1000.0);
	}
	return ret;
}

static int cmd_restart(int argc, char *argv[])
{
	struct lab lab = { 0 };
	struct err e = { "" };
	struct progress pr = { 0 };
	char lname[LAB_NAME_MAX + 1];
	bool *mask = NULL;
	int ret = 1, lockfd;

	if (argc < 3) {
		usage(stderr);
		return 2;
	}
	lockfd = lab_lock(argv[1], "restarting nodes of the lab", lname);
	if (lockfd < 0)
		return 1;
	if (lab_load(argv[1], &lab, true, &e)) {
		say_err("%s", e.msg);
		goto out;
	}
	if (!(mask = node_mask(&lab, argv + 2, argc - 2)))
		goto out;
	pr.total = argc - 2;
	pr.t0 = now_ms();
	if (lab_restart(&lab, mask, default_jobs(), 60, on_node, &pr, &e)) {
		say_err("%s", e.msg);
		goto out;
	}
	printf("lab %s: %d node%s restarted in %.2f s\n", lab.name, pr.done,
	       pr.done == 1 ? "" : "s", (now_ms() - pr.t0) / 1000.0);
	ret = 0;
out:
	free(mask);
	lab_unlock(lockfd, lname);
	lab_free(&lab);
	return ret;
}

static void on_repair(void *arg, const char *msg)
{
	(void)arg;
	printf("  %s\n", msg);
	fflush(stdout);
}

static int cmd_repair(int argc, char *argv[])
{
	struct lab lab = { 0 };
	struct err e = { "" };
	struct progress pr = { 0 };
	char lname[LAB_NAME_MAX + 1];
	int ret = 1, lockfd, n;

	if (argc != 2 || argv[1][0] == '-') {
		usage(stderr);
		return 2;
	}
	lockfd = lab_lock(argv[1], "repairing the lab", lname);
	if (lockfd < 0)
		return 1;
	if (lab_load(argv[1], &lab, true, &e)) {
		say_err("%s", e.msg);
		goto out;
	}
	pr.t0 = now_ms();
	n = lab_repair(&lab, default_jobs(), 60, on_node, on_repair, &pr, &e);
	if (n < 0) {
		say_err("lab %s: repair: %s", lab.name, e.msg);
		goto out;
	}
	if (!n)
		printf("lab %s: nothing to repair\n", lab.name);
	else
		printf("lab %s: repaired %d thing%s in %.2f s\n", lab.name, n,
		       n == 1 ? "" : "s", (now_ms() - pr.t0) / 1000.0);
	ret = 0;
out:
	lab_unlock(lockfd, lname);
	lab_free(&lab);
	return ret;
}

static int cmd_link(int argc, char *argv[])
{
	struct lab lab = { 0 };
	struct err e = { "" };
	int l, ret = 1;
	bool down;

	if (argc >= 2 &&
	    (!strcmp(argv[1], "set") || !strcmp(argv[1], "reset") ||
	     !strcmp(argv[1], "show")))
		return lab_link_impair_main(argc, argv);
	if (argc != 4 || (strcmp(argv[1], "down") && strcmp(argv[1], "up"))) {
		usage(stderr);
		return 2;
	}
	down = !strcmp(argv[1], "down");
	if (lab_load(argv[2], &lab, false, &e)) {
		say_err("%s", e.msg);
		goto out;
	}
	if (!lab_is_up(lab.name)) {
		say_err("lab %s is not up", lab.name);
		goto out;
	}
	l = lab_link_find(&lab, argv[3]);
	if (l < 0) {
		say_err("lab %s has no link %s", lab.name, argv[3]);
		goto out;
	}
	if (lab_link_set(&lab, l, down, &e)) {
		say_err("%s", e.msg);
		goto out;
	}
	printf("lab %s: link %s %s\n", lab.name, argv[3], argv[1]);
	ret = 0;
out:
	lab_free(&lab);
	return ret;
}

int lab_main(int argc, char *argv[])
{
	static const struct {
		const char *name;
		int (*fn)(int argc, char *argv[]);
	} cmds[] = {
		{ "up", cmd_up },
		{ "down", cmd_down },
		{ "status", lab_status_main },
		{ "restart", cmd_restart },
		{ "graph", lab_graph_main },
		{ "test", lab_test_main },
		{ "link", cmd_link },
		{ "repair", cmd_repair },
		{ "capture", lab_capture_main },
		{ "convert", lab_convert_main },
	};
	size_t i;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	say_err("lab: unknown command '%s'", argv[1]);
	usage(stderr);
	return 2;
}