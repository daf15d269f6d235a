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
#include "cmd_kube.h"
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
		"       umnet lab export LAB --kubernetes -o DIR [--image IMAGE] [--namespace NS]\n"
		"       umnet lab test LAB --engine podman|kubectl [--namespace NS]\n"
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

static int lab_lock(const char *arg, const struct kathara_opts *ko,
		    const char *what, char *name);
static void lab_unlock(int fd, const char *name);

static int up_one(const char *file, const struct kathara_opts *ko, char **only,
		  int nonly, int jobs, int timeout_s)
{
	struct lab lab = { 0 };
	struct err e = { "" };
	struct progress pr = { 0 };
	char lname[LAB_NAME_MAX + 1];
	bool *mask = NULL;
	int ret = 1, lockfd;

	lockfd = lab_lock(file, ko, "bringing the lab up", lname);
	if (lockfd < 0)
		return 1;
	if (lab_load_opts(file, ko, &lab, true, &e)) {
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
			_exit(up_one(files[i], ko, NULL, 0, jobs, timeout_s));
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
	struct kathara_opts ko = { 0 };
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
			ko.name = argv[++i];
		} else if (!strcmp(argv[i], "--netkit")) {
			ko.netkit = true;
		} else if (argv[i][0] != '-') {
			files[nfiles++] = argv[i];
		} else {
			usage(stderr);
			ret = 2;
			goto out;
		}
	}
	if (!nfiles || ((nonly || ko.name) && nfiles > 1)) {
		if (nfiles > 1)
			say_err("--only and --name work with one lab");
		usage(stderr);
		ret = 2;
		goto out;
	}
	if ((ko.name || ko.netkit) && !kathara_is_lab(files[0])) {
		say_err("--name and --netkit are for Kathara/Netkit lab directories; a lab file names its lab with name = in [lab]");
		ret = 2;
		goto out;
	}
	ret = nfiles == 1 ? up_one(files[0], &ko, only, nonly, jobs, timeout_s)
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

	if (lab_name_valid(arg) && access(arg, F_OK)) {
		strscpy(name, arg, len);
		return 0;
	}
	if (kathara_is_lab(arg) ? kathara_lab_parse(arg, ko, false, &lab, &e)
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
static int lab_lock(const char *arg, const struct kathara_opts *ko,
		    const char *what, char *name)
{
	struct err e = { "" };
	int fd;

	if (lab_name_of(arg, ko, name, LAB_NAME_MAX + 1))
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
		if (lab_name_of(argv[i], NULL, name, sizeof(name))) {
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
	lockfd = lab_lock(argv[1], NULL, "restarting nodes of the lab", lname);
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
	lockfd = lab_lock(argv[1], NULL, "repairing the lab", lname);
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

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static const struct iface *ep_iface(const struct lab *lab,
				    const struct lab_endpoint *ep)
{
	const struct profile *p = lab->nodes[ep->node].p;
	int i;

	for (i = 0; i < p->nifaces; i++)
		if (p->ifaces[i].index == ep->vec)
			return &p->ifaces[i];
	return NULL;
}

static void ep_mac(const struct lab *lab, const struct lab_endpoint *ep,
		   char mac[18])
{
	const struct iface *ifc = ep_iface(lab, ep);
	const char *m = profile_ifmac(lab->nodes[ep->node].p, ep->vec);

	if (!m && ifc)
		m = iface_opt(ifc, "mac");

	if (m)
		strscpy(mac, m, 18);
	else
		node_mac(lab->nodes[ep->node].p->name, ep->vec, mac);
}

/*
 * What the equipment needs to know of a gre or l2tpv3 link: the values the
 * node's interface was compiled with (given or derived), as "key value"
 * pairs (text) or JSON members.
 */
static void tunnel_print(const struct lab *lab, const struct lab_link *l,
			 bool json)
{
	static const char *const gre[] = { "src",    "local", "dst", "remote",
					   "rx_key", "key",   NULL };
	static const char *const l2tp[] = {
		"src",	      "local",	       "dst",	     "remote",
		"rx_session", "local_session", "tx_session", "remote_session",
		"rx_cookie",  "local_cookie",  "tx_cookie",  "remote_cookie",
		"srcport",    "local_port",    "dstport",    "remote_port",
		NULL,
	};
	const struct iface *ifc = ep_iface(lab, &l->eps[0]);
	const char *const *k = l->kind == LINK_GRE ? gre : l2tp;

	for (; ifc && *k; k += 2) {
		const char *v = iface_opt(ifc, k[0]);
		char num[24];

		if (!v)
			continue;
		/* numbers as the kernel reads them (0xffff is 65535) */
		if (strcmp(k[0], "src") && strcmp(k[0], "dst")) {
			snprintf(num, sizeof(num), "%llu",
				 iface_num(ifc, k[0]));
			v = num;
		}
		if (json) {
			printf(",\"%s\":", k[1]);
			json_str(v);
		} else {
			printf(" %s %s", k[1], v);
		}
	}
}

static int cmd_status_one(const char *arg, bool json)
{
	struct lab lab = { 0 };
	struct err e = { "" };
	struct lab_proc procs[2 * (LAB_MAX_LINKS + 1)];
	int i, j, nprocs, up = 0, ret = 1;
	bool is_up;

	if (lab_load(arg, &lab, false, &e)) {
		say_err("%s", e.msg);
		goto out;
	}
	is_up = lab_is_up(lab.name);
	nprocs = lab_procs(lab.name, procs, ARRAY_SIZE(procs));
	if (nprocs < 0)
		nprocs = 0;
	for (i = 0; i < lab.nnodes; i++) {
		struct node_paths np;

		if (!node_paths(lab.nodes[i].p->name, &np) &&
		    node_running(&np, NULL))
			up++;
	}
	if (json) {
		printf("{\"name\":");
		json_str(lab.name);
		printf(",\"file\":");
		json_str(lab.path);
		printf(",\"up\":%s,\"nodes_running\":%d,\"nodes\":[",
		       is_up ? "true" : "false", up);
	} else {
		printf("lab %s (%s): %s, %d of %d nodes running\n", lab.name,
		       lab.path, is_up ? "up" : "not up", up, lab.nnodes);
		printf("  %-15s %-8s %-8s %s\n", "NODE", "STATE", "PID",
		       "INTERFACES");
	}
	for (i = 0; i < lab.nnodes; i++) {
		const struct profile *p = lab.nodes[i].p;
		struct node_paths np;
		pid_t pid = 0;
		bool running =
			!node_paths(p->name, &np) && node_running(&np, &pid);
		const char *state = running			? "running"
				    : access(np.dir, F_OK) == 0 ? "stopped"
								: "down";
		int k;

		if (json) {
			printf("%s{\"name\":", i ? "," : "");
			json_str(lab.nodes[i].name);
			printf(",\"host_name\":");
			json_str(p->name);
			printf(",\"state\":\"%s\",\"pid\":%d,\"interfaces\":[",
			       state, running ? (int)pid : 0);
		} else {
			printf("  %-15s %-8s %-8d", lab.nodes[i].name, state,
			       running ? (int)pid : 0);
		}
		for (j = 0, k = 0; j < lab.nlinks; j++) {
			const struct lab_link *l = &lab.links[j];
			int m;

			for (m = 0; m < l->neps; m++) {
				const struct lab_endpoint *ep = &l->eps[m];
				char mac[18], buf[64];
				int a;

				if (ep->node != i)
					continue;
				ep_mac(&lab, ep, mac);
				if (json) {
					printf("%s{\"vec\":%d,\"link\":",
					       k ? "," : "", ep->vec);
					json_str(l->name);
					printf(",\"mac\":\"%s\",\"addresses\":[",
					       mac);
					for (a = 0; a < ep->naddrs; a++) {
						printf("%s", a ? "," : "");
						json_str(ip_prefix_str(
							&ep->addrs[a], buf,
							sizeof(buf)));
					}
					printf("]}");
				} else {
					printf("%s vec%d %s", k ? "," : "",
					       ep->vec, l->name);
					for (a = 0; a < ep->naddrs; a++)
						printf(" %s",
						       ip_prefix_str(
							       &ep->addrs[a],
							       buf,
							       sizeof(buf)));
				}
				k++;
			}
		}
		printf(json ? "]}" : "\n");
	}
	if (json)
		printf("],\"links\":[");
	else
		printf("  %-15s %-7s %-5s %s\n", "LINK", "KIND", "STATE",
		       "ENDPOINTS");
	for (j = 0; j < lab.nlinks; j++) {
		const struct lab_link *l = &lab.links[j];
		bool down = lab_link_is_down(lab.name, l->name);
		bool tunnel = l->kind == LINK_GRE || l->kind == LINK_L2TPV3;
		int m;

		if (json) {
			printf("%s{\"name\":", j ? "," : "");
			json_str(l->name);
			printf(",\"kind\":\"%s\",\"state\":\"%s\",\"endpoints\":[",
			       link_kind_name(l->kind), down ? "down" : "up");
		} else {
			printf("  %-15s %-7s %-5s", l->name,
			       link_kind_name(l->kind), down ? "down" : "up");
		}
		for (m = 0; m < l->neps; m++) {
			char ep[64];

			snprintf(ep, sizeof(ep), "%s:vec%d",
				 lab.nodes[l->eps[m].node].name, l->eps[m].vec);
			if (json) {
				printf("%s", m ? "," : "");
				json_str(ep);
			} else {
				printf(" %s", ep);
			}
		}
		printf(json ? "]" : "");
		if (tunnel)
			tunnel_print(&lab, l, json);
		printf(json ? "}" : "\n");
	}
	if (json) {
		printf("],\"processes\":[");
		for (i = 0; i < nprocs; i++) {
			printf("%s{\"what\":", i ? "," : "");
			json_str(procs[i].what);
			printf(",\"pid\":%d,\"state\":\"%s\",\"alive\":%s}",
			       (int)procs[i].pid,
			       procs[i].alive ? "alive" : "dead",
			       procs[i].alive ? "true" : "false");
		}
		printf("]}\n");
	} else {
		if (nprocs)
			printf("  %-15s %-8s %s\n", "PROCESS", "STATE", "PID");
		for (i = 0; i < nprocs; i++)
			printf("  %-15s %-8s %d\n", procs[i].what,
			       procs[i].alive ? "alive" : "dead",
			       (int)procs[i].pid);
		for (i = 0; i < nprocs && procs[i].alive; i++)
			;
		if (is_up && (i < nprocs || up < lab.nnodes))
			printf("  ('umnet lab repair %s' brings back what is dead or down)\n",
			       lab.name);
	}
	ret = 0;
out:
	lab_free(&lab);
	return ret;
}

static int cmd_status(int argc, char *argv[])
{
	char names[64][LAB_NAME_MAX + 1];
	const char *arg = NULL;
	bool json = false;
	int i, n, ret = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!arg && argv[i][0] != '-')
			arg = argv[i];
		else {
			usage(stderr);
			return 2;
		}
	}
	if (arg)
		return cmd_status_one(arg, json);
	n = lab_list(names, ARRAY_SIZE(names));
	if (n < 0) {
		say_err("listing labs: %s", strerror(-n));
		return 1;
	}
	if (json)
		printf("[");
	for (i = 0; i < n; i++) {
		if (json && i)
			printf(",");
		if (!json && i)
			printf("\n");
		fflush(stdout);
		ret |= cmd_status_one(names[i], json);
		fflush(stdout);
	}
	if (json)
		printf("]\n");
	else if (!n)
		printf("no labs are up\n");
	return ret;
}

/* "LAB [OPT VALUE]" in any order; 2 (usage printed) when it is not that */
static int lab_and_option(int argc, char *argv[], const char *opt,
			  const char **value, const char **arg)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], opt) && i + 1 < argc)
			*value = argv[++i];
		else if (!*arg && argv[i][0] != '-')
			*arg = argv[i];
		else
			break;
	}
	if (i < argc || !*arg) {
		usage(stderr);
		return 2;
	}
	return 0;
}

static void dot_print(const struct lab *lab, FILE *f)
{
	char buf[64];
	int i, j;

	fprintf(f,
		"graph \"%s\" {\n\tgraph [label=\"lab %s\", fontsize=12];\n"
		"\tnode [shape=box, style=rounded, fontsize=10];\n"
		"\tedge [fontsize=9];\n",
		lab->name, lab->name);
	for (i = 0; i < lab->nnodes; i++) {
		const struct profile *p = lab->nodes[i].p;

		fprintf(f, "\t\"%s\" [label=\"%s", lab->nodes[i].name,
			lab->nodes[i].name);
		for (j = 0; j < p->nloopbacks; j++)
			fprintf(f, "\\n%s",
				ip_prefix_str(&p->loopbacks[j], buf,
					      sizeof(buf)));
		fprintf(f, "\"];\n");
	}
	for (i = 0; i < lab->nlinks; i++) {
		const struct lab_link *l = &lab->links[i];
		char hub[96], imp[160], sum[128];
		struct impair im;
		bool runtime;

		/* an impaired link says how, in red */
		lab_link_impair_get(lab, i, &im, &runtime);
		impair_summary(&im, sum, sizeof(sum));
		imp[0] = '\0';
		if (sum[0])
			snprintf(imp, sizeof(imp), "\\n%s", sum);
		if (l->kind == LINK_WIRE) {
			fprintf(f,
				"\t\"%s\" -- \"%s\" [label=\"%s%s\", taillabel=\"vec%d\", headlabel=\"vec%d\"%s];\n",
				lab->nodes[l->eps[0].node].name,
				lab->nodes[l->eps[1].node].name, l->name, imp,
				l->eps[0].vec, l->eps[1].vec,
				sum[0] ? ", color=red, fontcolor=red" : "");
			continue;
		}
		if (l->kind == LINK_SWITCH) {
			snprintf(hub, sizeof(hub), "switch %s", l->name);
			fprintf(f, "\t\"%s\" [shape=ellipse];\n", hub);
		} else if (l->kind == LINK_NETNS) {
			snprintf(hub, sizeof(hub), "netns %s",
				 lab_kv(l->kvs, l->nkvs, "netns"));
			fprintf(f, "\t\"%s\" [shape=folder];\n", hub);
		} else {
			snprintf(hub, sizeof(hub), "%s %s\\n%s",
				 link_kind_name(l->kind), l->name,
				 lab_kv(l->kvs, l->nkvs, "remote"));
			fprintf(f, "\t\"%s\" [shape=cds];\n", hub);
		}
		for (j = 0; j < l->neps; j++)
			fprintf(f,
				"\t\"%s\" -- \"%s\" [taillabel=\"vec%d\"%s%s%s];\n",
				lab->nodes[l->eps[j].node].name, hub,
				l->eps[j].vec, sum[0] ? ", label=\"" : "", sum,
				sum[0] ? "\", color=red, fontcolor=red" : "");
		if (l->far_node[0])
			fprintf(f,
				"\t\"%s\" -- \"%s\" [style=dashed, label=\"far end\"];\n",
				hub, l->far_node);
	}
	fprintf(f, "}\n");
}

static int cmd_graph(int argc, char *argv[])
{
	struct lab lab = { 0 };
	struct err e = { "" };
	const char *out = NULL, *arg = NULL;
	FILE *f = stdout;
	int ret = 1;

	if (lab_and_option(argc, argv, "-o", &out, &arg))
		return 2;
	if (lab_load(arg, &lab, false, &e)) {
		say_err("%s", e.msg);
		goto out;
	}
	if (out && strlen(out) > 4 && !strcmp(out + strlen(out) - 4, ".svg")) {
		char cmd[PATH_MAX + 64];
		int st;

		if (system("command -v dot >/dev/null 2>&1")) {
			say_err("-o %s: SVG needs graphviz's dot (apt-get install graphviz); '-o FILE.dot' writes DOT",
				out);
			goto out;
		}
		snprintf(cmd, sizeof(cmd), "dot -Tsvg -o '%s'", out);
		f = popen(cmd, "w");
		if (!f) {
			say_err("dot: %s", strerror(errno));
			goto out;
		}
		dot_print(&lab, f);
		st = pclose(f);
		f = NULL;
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			say_err("dot failed writing %s", out);
			goto out;
		}
	} else {
		if (out && !(f = fopen(out, "we"))) {
			say_err("%s: %s", out, strerror(errno));
			goto out;
		}
		dot_print(&lab, f);
		if (out && fclose(f)) {
			say_err("%s: %s", out, strerror(errno));
			goto out;
		}
	}
	ret = 0;
out:
	lab_free(&lab);
	return ret;
}

static void xml_str(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\n')
				fputc(*s, f);
		}
	}
}

static int cmd_test(int argc, char *argv[])
{
	struct lab lab = { 0 };
	struct err e = { "" };
	const char *junit = NULL, *arg = NULL;
	char(*seen)[600] = NULL;
	int *res = NULL;
	long long *ms = NULL, t0 = now_ms();
	int i, pass = 0, fail = 0, ret = 1;

	for (i = 1; i < argc; i++)
		if (!strncmp(argv[i], "--engine", 8))
			return lab_test_engine_main(argc, argv);
	if (lab_and_option(argc, argv, "--junit", &junit, &arg))
		return 2;
	if (lab_load(arg, &lab, false, &e)) {
		say_err("%s", e.msg);
		goto out;
	}
	if (!lab_is_up(lab.name)) {
		say_err("lab %s is not up: 'umnet lab up %s' first", lab.name,
			arg);
		goto out;
	}
	if (!lab.ntests) {
		say_err("lab %s has no [test] section", lab.name);
		goto out;
	}
	seen = calloc(lab.ntests, sizeof(*seen));
	res = calloc(lab.ntests, sizeof(*res));
	ms = calloc(lab.ntests, sizeof(*ms));
	if (!seen || !res || !ms)
		goto out;
	for (i = 0; i < lab.ntests; i++) {
		const struct lab_test *t = &lab.tests[i];
		bool step = lab_test_is_step(t->kind);

		res[i] =
			lab_test_run(&lab, i, seen[i], sizeof(seen[i]), &ms[i]);
		if (step) {
			printf("STEP: %-62s %s\n", t->text,
			       res[i] == 1 ? "done" : "FAILED");
			if (res[i] != 1) {
				printf("    %s\n", seen[i]);
				fail++;
			}
		} else {
			printf("TEST: %-62s [%s]\n", t->text,
			       res[i] == 1 ? " OK " : "FAIL");
			if (res[i] == 1) {
				pass++;
			} else {
				fail++;
				printf("    %s:%d: saw: %s\n", t->file, t->line,
				       seen[i]);
			}
		}
		fflush(stdout);
	}
	printf("lab %s: %d passed, %d failed in %.1f s\n", lab.name, pass, fail,
	       (now_ms() - t0) / 1000.0);
	if (junit) {
		FILE *f = fopen(junit, "we");

		if (!f) {
			say_err("--junit %s: %s", junit, strerror(errno));
			goto out;
		}
		fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			   "<testsuites>\n<testsuite name=\"");
		xml_str(f, lab.name);
		fprintf(f, "\" tests=\"%d\" failures=\"%d\" time=\"%.3f\">\n",
			pass + fail, fail, (now_ms() - t0) / 1000.0);
		for (i = 0; i < lab.ntests; i++) {
			fprintf(f, "  <testcase classname=\"umnet.lab.");
			xml_str(f, lab.name);
			fprintf(f, "\" name=\"");
			xml_str(f, lab.tests[i].text);
			fprintf(f, "\" time=\"%.3f\">", ms[i] / 1000.0);
			if (res[i] != 1) {
				fprintf(f, "\n    <failure message=\"");
				xml_str(f, seen[i]);
				fprintf(f, "\">%s:%d</failure>\n  ",
					lab.tests[i].file, lab.tests[i].line);
			}
			fprintf(f, "</testcase>\n");
		}
		fprintf(f, "</testsuite>\n</testsuites>\n");
		if (fclose(f)) {
			say_err("--junit %s: %s", junit, strerror(errno));
			goto out;
		}
	}
	ret = fail ? 1 : 0;
out:
	free(seen);
	free(res);
	free(ms);
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
		{ "status", cmd_status },
		{ "restart", cmd_restart },
		{ "graph", cmd_graph },
		{ "test", cmd_test },
		{ "link", cmd_link },
		{ "repair", cmd_repair },
		{ "capture", lab_capture_main },
		{ "convert", lab_convert_main },
		{ "export", lab_export_main },
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
