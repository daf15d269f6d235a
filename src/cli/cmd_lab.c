// SPDX-License-Identifier: GPL-2.0
/*
 * umnet lab up|down|status|restart|repair|graph|test|link: labs
 * (docs/lab.md).
 * The lab file is lab.c's; bringing it up and down is labrun.c's; the
 * tests are labtest.c's. This file only reads arguments and prints.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_kube.h"
#include "cmd_lab_host.h"
#include "labimpair.h"
#include "kathara.h"
#include "labrun.h"
#include "labtest.h"
#include "transport.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: umnet lab up LAB... [--only NODE...] [--jobs N] [--timeout SECONDS]\n"
		"                    [--name NAME] [--netkit] [--host HOST]\n"
		"       umnet lab down LAB... [--host HOST]\n"
		"       umnet lab status [LAB] [--json] [--host HOST]\n"
		"       umnet lab restart LAB NODE... [--host HOST]\n"
		"       umnet lab repair LAB [--host HOST]\n"
		"       umnet lab graph LAB [-o FILE.dot|FILE.svg]\n"
		"       umnet lab test LAB [--junit FILE] [--host HOST]\n"
		"       umnet lab link down|up LAB LINK\n"
		"       umnet lab link set LAB LINK [--delay D] [--loss P] [--rate R] ...\n"
		"       umnet lab link reset LAB LINK\n"
		"       umnet lab link show LAB [LINK] [--json]\n"
		"       umnet lab capture LAB LINK [-w FILE|-] [-c N] [-f EXPR] [--duration S]\n"
		"       umnet lab convert DIR [--netkit] [--name NAME] -o FILE.lab\n"
		"       umnet lab export LAB --kubernetes -o DIR|- [--image IMAGE] [--namespace NS] [--debian]\n"
		"       umnet lab test LAB --engine podman|kubectl [--namespace NS]\n"
		"\n"
		"LAB is a lab file, a Kathará/Netkit lab directory (docs/kathara.md), or the\n"
		"name of a lab that is up. See docs/lab.md. 'umnet lab COMMAND --help'\n"
		"shows one command's usage.\n");
}

static void usage_up(FILE *f)
{
	fprintf(f,
		"Usage: umnet lab up LAB... [--only NODE...] [--jobs N] [--timeout SECONDS]\n"
		"                    [--name NAME] [--netkit] [--host HOST]\n");
}

static void usage_down(FILE *f)
{
	fprintf(f, "Usage: umnet lab down LAB... [--host HOST]\n");
}

static void usage_restart(FILE *f)
{
	fprintf(f, "Usage: umnet lab restart LAB NODE... [--host HOST]\n");
}

static void usage_repair(FILE *f)
{
	fprintf(f, "Usage: umnet lab repair LAB [--host HOST]\n");
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
		say_fail(ret, e);
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

static int lab_lock(const char *arg, const struct kathara_opts *ko,
		    const char *what, char *name);
static void lab_unlock(int fd, const char *name);

/* a lab being changed: locked, loaded, the nodes named */
struct lab_op {
	struct lab lab;
	struct progress pr;
	char lname[LAB_NAME_MAX + 1];
	bool *mask; /* NULL: every node */
	int lockfd;
};

static void op_end(struct lab_op *op)
{
	fflush(stdout);
	free(op->mask);
	lab_unlock(op->lockfd, op->lname);
	lab_free(&op->lab);
}

/*
 * Lock the lab arg (what: for whoever waits on the lock), load it and mark
 * the n nodes named (none: mask stays NULL); the clock starts. 0, else 1
 * with the reason said and nothing held.
 */
static int op_begin(struct lab_op *op, const char *arg,
		    const struct kathara_opts *ko, const char *what,
		    char **names, int n, const char *host)
{
	struct kathara_opts k = { 0 };
	struct strbuf warn = { 0 };
	struct err e = { "" };
	int r;

	memset(op, 0, sizeof(*op));
	op->lockfd = lab_lock(arg, ko, what, op->lname);
	if (op->lockfd < 0)
		return 1;
	/* a Kathará lab's warnings, told once: here */
	if (ko)
		k = *ko;
	k.warn = &warn;
	r = lab_load_opts(arg, &k, &op->lab, true, &e);
	fputs(sb_str(&warn), stderr);
	sb_free(&warn);
	if (r)
		say_fail(r, &e);
	else if (n && !(op->mask = node_mask(&op->lab, names, n)))
		r = 1;
	/* a lab across hosts: this host's share (docs/scale.md) */
	else if (lab_host_use(&op->lab, host, true) ||
		 lab_host_mask_check(&op->lab, op->mask))
		r = 1;
	if (r) {
		/* a state dir lab_load made for nothing (--only nosuch) */
		if (op->lab.name[0])
			lab_host_abandon(&op->lab);
		op_end(op);
		return 1;
	}
	op->pr.t0 = now_ms();
	return 0;
}

static int up_one(const char *file, const struct kathara_opts *ko, char **only,
		  int nonly, int jobs, int timeout_s, const char *host)
{
	struct lab_op op;
	struct err e = { "" };
	int r, i;

	if (op_begin(&op, file, ko, "bringing the lab up", only, nonly, host))
		return 1;
	op.pr.total = nonly;
	for (i = 0; !nonly && i < op.lab.nnodes; i++)
		op.pr.total += lab_node_here(&op.lab, i);
	if (op.lab.here >= 0)
		printf("lab %s: host %s's share\n", op.lab.name,
		       op.lab.hosts[op.lab.here].name);
	printf("lab %s: bringing up %d node%s (%d at a time)\n", op.lab.name,
	       op.pr.total, op.pr.total == 1 ? "" : "s", jobs);
	fflush(stdout);
	r = lab_up(&op.lab, op.mask, jobs, timeout_s, on_node, &op.pr, &e);
	if (r) {
		say_fail(r, &e);
		if (op.pr.done)
			say_err("lab %s: removed what this 'lab up' made",
				op.lab.name);
	} else {
		printf("lab %s: up, %d node%s ready in %.2f s\n", op.lab.name,
		       op.pr.done, op.pr.done == 1 ? "" : "s",
		       (now_ms() - op.pr.t0) / 1000.0);
	}
	op_end(&op);
	return r ? 1 : 0;
}

/* several labs: each in its own process, all at once */
static int up_many(char **files, int n, const struct kathara_opts *ko, int jobs,
		   int timeout_s)
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
			_exit(up_one(files[i], ko, NULL, 0, jobs, timeout_s,
				     NULL));
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
	static const struct option opts[] = {
		{ "only", required_argument, NULL, 'o' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, 't' },
		{ "name", required_argument, NULL, 'n' },
		{ "netkit", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char **only = NULL, **files = NULL;
	struct kathara_opts ko = { 0 };
	int nonly = 0, nfiles = 0, jobs = default_jobs(), timeout_s = 60;
	int c, ret = 1;
	bool in_only = false;
	unsigned long v;
	const char *host = NULL;

	if (lab_host_opt(&argc, argv, &host))
		return 2;
	only = calloc(argc, sizeof(*only));
	files = calloc(argc, sizeof(*files));
	if (!only || !files) {
		say_err("out of memory");
		goto out;
	}
	/* in order ("-"): --only takes the words after it, up to an option */
	optind = 0;
	while ((c = getopt_long(argc, argv, "-h", opts, NULL)) != -1) {
		if (c != 1)
			in_only = false;
		switch (c) {
		case 1:
			if (in_only)
				only[nonly++] = optarg;
			else
				files[nfiles++] = optarg;
			break;
		case 'o':
			only[nonly++] = optarg;
			in_only = true;
			break;
		case 'j':
			if (opt_uint("--jobs", optarg, 1, 64, &v)) {
				ret = 2;
				goto out;
			}
			jobs = v;
			break;
		case 't':
			if (opt_timeout(optarg, &timeout_s)) {
				ret = 2;
				goto out;
			}
			break;
		case 'n':
			ko.name = optarg;
			break;
		case 'k':
			ko.netkit = true;
			break;
		case 'h':
		default:
			ret = usage_exit(usage_up, c);
			goto out;
		}
	}
	if (!nfiles || ((nonly || ko.name || host) && nfiles > 1)) {
		if (nfiles > 1)
			say_err("--only, --name and --host work with one lab");
		ret = usage_exit(usage_up, '?');
		goto out;
	}
	if ((ko.name || ko.netkit) && !kathara_is_lab(files[0])) {
		say_err("--name and --netkit are for Kathara/Netkit lab directories; a lab file names its lab with name = in [lab]");
		ret = 2;
		goto out;
	}
	ret = nfiles == 1 ? up_one(files[0], &ko, only, nonly, jobs, timeout_s,
				   host)
			  : up_many(files, nfiles, &ko, jobs, timeout_s);
out:
	free(only);
	free(files);
	return ret;
}

/* a lab name, or a lab file's name */
static int lab_name_of(const char *arg, const struct kathara_opts *ko,
		       char *name, size_t len)
{
	struct lab lab = { 0 };
	struct err e = { "" };
	int ret;

	if (lab_name_valid(arg) && access(arg, F_OK)) {
		strscpy(name, arg, len);
		return 0;
	}
	ret = kathara_is_lab(arg) ? kathara_lab_parse(arg, ko, false, &lab, &e)
				  : lab_parse(arg, NULL, NULL, &lab, &e);
	if (ret) {
		say_fail(ret, &e);
		lab_free(&lab);
		return ret;
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
static int lab_lock(const char *arg, const struct kathara_opts *ko,
		    const char *what, char *name)
{
	struct err e = { "" };
	int fd;

	if (lab_name_of(arg, ko, name, LAB_NAME_MAX + 1))
		return -EINVAL;
	fd = name_lock("lab", name, what, LAB_LOCK_WAIT_S, &e);
	if (fd < 0)
		say_failf(fd, &e, "lab");
	return fd;
}

/* the lock file goes too when the lab is not up (any more) */
static void lab_unlock(int fd, const char *name)
{
	if (fd >= 0)
		name_unlock(fd, "lab", name, !lab_is_up(name));
}

/* a lab across hosts: the share up here is host's, its netns entered */
static int down_host(const char *name, const char *host)
{
	char rec[LAB_NAME_MAX + 1];
	struct lab lab = { 0 };
	struct err e = { "" };
	int r;

	if (lab_host_recorded(name, rec, sizeof(rec))) {
		if (!host)
			return 0;
		say_err("--host %s: lab %s is up here, but not as a lab across hosts",
			host, name);
		return 1;
	}
	if (host && strcmp(host, rec)) {
		say_err("--host %s: lab %s is up here as host %s's share", host,
			name, rec);
		return 1;
	}
	/* its netns (the journal's interfaces live there), if it still loads */
	r = lab_load(name, &lab, false, &e);
	if (r) {
		say_failf(
			r, &e,
			"lab %s (taking it down in this namespace all the same)",
			name);
		r = 0;
	} else {
		r = lab_host_use(&lab, rec, true);
	}
	lab_free(&lab);
	return r ? 1 : 0;
}

static int cmd_down(int argc, char *argv[])
{
	char name[LAB_NAME_MAX + 1];
	struct err e = { "" };
	const char *host = NULL;
	int i, r, ret, self;
	long long t0;

	if (lab_host_opt(&argc, argv, &host))
		return 2;
	ret = opt_flag(argc, argv, usage_down, NULL, NULL, 1, OPERANDS_ANY);
	if (ret >= 0)
		return ret;
	ret = 0;
	/* a lab across hosts enters its host's netns: back here for the next */
	self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	for (i = optind; i < argc; i++) {
		if (i > optind && self >= 0 && setns(self, CLONE_NEWNET) < 0) {
			say_err("lab %s: returning to our network namespace: %s",
				argv[i - 1], strerror(errno));
			ret = 1;
			break;
		}
		if (lab_name_of(argv[i], NULL, name, sizeof(name))) {
			ret = 1;
			continue;
		}
		if (!lab_is_up(name)) {
			struct lab_paths lp;

			/* what a lab up killed early may have left */
			if (!lab_paths(name, &lp))
				name_lock_drop_stale("lab", name, lp.dir);
			say_err("no lab named %s is up (see 'umnet lab status')",
				name);
			ret = 1;
			continue;
		}
		if (down_host(name, host)) {
			ret = 1;
			continue;
		}
		t0 = now_ms();
		kathara_lab_shutdown(name);
		r = lab_down(name, &e);
		if (r) {
			say_failf(r, &e, "lab %s", name);
			ret = 1;
			continue;
		}
		printf("lab %s: down in %.2f s\n", name,
		       (now_ms() - t0) / 1000.0);
	}
	if (self >= 0)
		close(self);
	return ret;
}

static int cmd_restart(int argc, char *argv[])
{
	struct lab_op op;
	struct err e = { "" };
	const char *host = NULL;
	int ret, r;

	if (lab_host_opt(&argc, argv, &host))
		return 2;
	ret = opt_flag(argc, argv, usage_restart, NULL, NULL, 2, OPERANDS_ANY);
	if (ret >= 0)
		return ret;
	if (op_begin(&op, argv[optind], NULL, "restarting nodes of the lab",
		     argv + optind + 1, argc - optind - 1, host))
		return 1;
	op.pr.total = argc - optind - 1;
	r = lab_restart(&op.lab, op.mask, default_jobs(), 60, on_node, &op.pr,
			&e);
	if (r)
		say_fail(r, &e);
	else
		printf("lab %s: %d node%s restarted in %.2f s\n", op.lab.name,
		       op.pr.done, op.pr.done == 1 ? "" : "s",
		       (now_ms() - op.pr.t0) / 1000.0);
	op_end(&op);
	return r ? 1 : 0;
}

static void on_repair(void *arg, const char *msg)
{
	(void)arg;
	printf("  %s\n", msg);
	fflush(stdout);
}

static int cmd_repair(int argc, char *argv[])
{
	struct lab_op op;
	struct err e = { "" };
	const char *host = NULL;
	int ret, n;

	if (lab_host_opt(&argc, argv, &host))
		return 2;
	ret = opt_flag(argc, argv, usage_repair, NULL, NULL, 1, 1);
	if (ret >= 0)
		return ret;
	if (op_begin(&op, argv[optind], NULL, "repairing the lab", NULL, 0,
		     host))
		return 1;
	n = lab_repair(&op.lab, default_jobs(), 60, on_node, on_repair, &op.pr,
		       &e);
	if (n < 0)
		say_failf(n, &e, "lab %s: repair", op.lab.name);
	else if (!n)
		printf("lab %s: nothing to repair\n", op.lab.name);
	else
		printf("lab %s: repaired %d thing%s in %.2f s\n", op.lab.name,
		       n, n == 1 ? "" : "s", (now_ms() - op.pr.t0) / 1000.0);
	op_end(&op);
	return n < 0 ? 1 : 0;
}

int lab_main(int argc, char *argv[])
{
	static const struct cli_cmd cmds[] = {
		{ "up", cmd_up, NULL },
		{ "down", cmd_down, NULL },
		{ "status", lab_status_main, NULL },
		{ "restart", cmd_restart, NULL },
		{ "graph", lab_graph_main, NULL },
		{ "test", lab_test_main, NULL },
		{ "link", lab_link_main, NULL },
		{ "repair", cmd_repair, NULL },
		{ "capture", lab_capture_main, NULL },
		{ "convert", lab_convert_main, NULL },
		{ "export", lab_export_main, NULL },
	};

	return cli_dispatch(cmds, ARRAY_SIZE(cmds), "umnet lab", usage, argc,
			    argv);
}
