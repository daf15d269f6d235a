// SPDX-License-Identifier: GPL-2.0
/*
 * umnet node run [--peer vecN=HOST]... PROFILE: one node in the
 * foreground, a container's entrypoint (docs/scale.md). It resolves each
 * peer (the far node's Service) to the dst of that L2TPv3 link, boots the
 * node, copies its console to stdout, and exits when the node does; SIGTERM
 * or SIGINT shut the node down cleanly first.
 *
 * umnet node test LABFILE INDEX...: the lab's tests by index, run where the
 * node is (inside its pod); `umnet lab test --engine` calls it.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_kube.h"
#include "kube.h"
#include "lab.h"
#include "labtest.h"
#include "profile.h"
#include "resolve.h"
#include "tar.h"
#include "transport.h"

static volatile sig_atomic_t stop_sig;

static void on_stop(int sig)
{
	stop_sig = sig;
}

/*
 * Resolve host to an IPv4 address, retrying until deadline (DNS of a pod
 * that is still starting) or a signal. HOST is the far node's headless
 * Service (host_resolve: or its pod's name under podman kube play).
 */
static int resolve(const char *host, long long deadline, char *out, size_t len)
{
	struct addrinfo hints = { .ai_family = AF_INET,
				  .ai_socktype = SOCK_DGRAM };
	struct addrinfo *res;
	int r;

	for (;;) {
		r = host_resolve(host, NULL, &hints, &res);
		if (!r) {
			struct sockaddr_in *sin = (void *)res->ai_addr;

			inet_ntop(AF_INET, &sin->sin_addr, out, len);
			freeaddrinfo(res);
			return 0;
		}
		if (stop_sig || now_ms() >= deadline) {
			say_err("--peer %s: %s", host, gai_strerror(r));
			return -1;
		}
		usleep(500000);
	}
}

static int set_peer(struct profile *p, int vec, const char *addr)
{
	for (int i = 0; i < p->nifaces; i++) {
		struct iface *ifc = &p->ifaces[i];

		if (ifc->index != vec)
			continue;
		if (strcmp(ifc->transport->name, "l2tpv3")) {
			say_err("--peer vec%d: vec%d is transport %s, not l2tpv3",
				vec, vec, ifc->transport->name);
			return -1;
		}
		for (int k = 0; k < ifc->nopts; k++)
			if (!strcmp(ifc->opts[k].key, "dst")) {
				strscpy(ifc->opts[k].value, addr,
					sizeof(ifc->opts[k].value));
				return 0;
			}
		say_err("--peer vec%d: vec%d has no dst", vec, vec);
		return -1;
	}
	say_err("--peer vec%d: the profile has no vec%d", vec, vec);
	return -1;
}

/* copy what the console log gained since *off to stdout; keep its tail */
static void pump(const char *path, off_t *off, char *tail, size_t tlen)
{
	char buf[8192];
	struct stat st;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (!fstat(fd, &st) && st.st_size < *off)
		*off = 0; /* capped: the newer half was kept */
	while ((n = pread(fd, buf, sizeof(buf), *off)) > 0) {
		size_t keep = strlen(tail), add = (size_t)n;

		if (fwrite(buf, 1, n, stdout) != (size_t)n)
			break;
		*off += n;
		if (add >= tlen - 1) {
			memcpy(tail, buf + n - (tlen - 1), tlen - 1);
			tail[tlen - 1] = '\0';
			continue;
		}
		if (keep + add >= tlen) {
			memmove(tail, tail + keep + add - (tlen - 1),
				tlen - 1 - add);
			keep = tlen - 1 - add;
		}
		memcpy(tail + keep, buf, add);
		tail[keep + add] = '\0';
		/* the console has no NULs that matter: treat them as text */
		for (size_t i = 0; i < keep + add; i++)
			if (!tail[i])
				tail[i] = ' ';
	}
	fflush(stdout);
	close(fd);
}

/*
 * --unpack ARCHIVE=DIR (both absolute, checked): the tree of the ustar
 * ARCHIVE into DIR, which must not exist, or hold the mark of an earlier
 * --unpack (a container restarted after a kill): then it is replaced.
 * dir gets DIR.
 */
#define UNPACK_MARK ".umnet-unpack"
#define UNPACK_MAX 4

static int unpack(const char *arg, char *dir, size_t dlen)
{
	const char *eq = strchr(arg, '=');
	char archive[PATH_MAX], mark[PATH_MAX], *data = NULL;
	struct err e = { "" };
	size_t len = 0;
	int ret;

	if (path_fmt(archive, sizeof(archive), "%.*s", (int)(eq - arg), arg) ||
	    strscpy(dir, eq + 1, dlen) ||
	    path_fmt(mark, sizeof(mark), "%s/%s", dir, UNPACK_MARK)) {
		say_err("--unpack %s: %s", arg, strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	if (!access(mark, F_OK))
		rm_rf(dir);
	if (!access(dir, F_OK)) {
		say_err("--unpack %s: %s exists (and is not an earlier --unpack's): give a new directory",
			arg, dir);
		return -EEXIST;
	}
	ret = read_all(archive, KUBE_FILE_MAX, &data, &len);
	if (ret) {
		say_err("--unpack: %s: %s", archive, strerror(-ret));
		return ret;
	}
	ret = mkdir_p(dir, 0700);
	if (!ret)
		ret = write_file(mark, "", 0, 0600);
	if (ret)
		say_err("--unpack: %s: %s", dir, strerror(-ret));
	else if ((ret = tar_unpack(data, len, dir, &e))) {
		say_err("--unpack: %s: %s", archive, e.msg);
		rm_rf(dir);
	}
	free(data);
	return ret;
}

static void run_usage(FILE *f)
{
	fprintf(f,
		"Usage: umnet node run [--peer vecN=HOST]... [--unpack ARCHIVE=DIR]...\n"
		"                      [--timeout SECONDS] PROFILE\n"
		"       umnet node test LABFILE INDEX...\n");
}

static int node_run(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "peer", required_argument, NULL, 'p' },
		{ "unpack", required_argument, NULL, 'u' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct up_result res = { 0 };
	struct node_paths np;
	struct sigaction sa = { .sa_handler = on_stop };
	struct profile *p = NULL;
	struct err e = { "" };
	char *peers[MAX_IFACES], *unpacks[UNPACK_MAX];
	char tail[4096] = "", dirs[UNPACK_MAX][PATH_MAX];
	const char *eq;
	int npeers = 0, nunpacks = 0, ndirs = 0, timeout_s = 120, ret = 1, c, i;
	long long deadline;
	off_t off = 0;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+p:u:t:h", opts, NULL)) != -1) {
		switch (c) {
		case 'u':
			if (nunpacks == UNPACK_MAX) {
				say_err("--unpack: at most %d", UNPACK_MAX);
				return 2;
			}
			eq = strchr(optarg, '=');
			if (!eq || optarg[0] != '/' || eq[1] != '/' || !eq[2]) {
				opt_bad("--unpack", optarg,
					" takes ARCHIVE=DIR, both absolute paths");
				return 2;
			}
			unpacks[nunpacks++] = optarg;
			break;
		case 'p':
			if (npeers == MAX_IFACES) {
				say_err("--peer: at most %d", MAX_IFACES);
				return 2;
			}
			peers[npeers++] = optarg;
			break;
		case 't':
			if (opt_timeout(optarg, &timeout_s))
				return 2;
			break;
		case 'h':
		default:
			return usage_exit(run_usage, c);
		}
	}
	if (optind != argc - 1)
		return usage_exit(run_usage, '?');
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);

	p = calloc(1, sizeof(*p));
	if (!p) {
		say_err("out of memory");
		return 1;
	}
	/* the profile's file = trees a ConfigMap could not hold as they are */
	for (i = 0; i < nunpacks; i++, ndirs++)
		if (unpack(unpacks[i], dirs[i], sizeof(dirs[i])))
			goto out;
	if (profile_parse(argv[optind], p, &e)) {
		say_err("%s", e.msg);
		goto out;
	}
	deadline = now_ms() + (long long)timeout_s * 1000;
	for (i = 0; i < npeers; i++) {
		char host[256], addr[INET_ADDRSTRLEN];
		int vec;

		if (kube_peer_parse(peers[i], &vec, host, sizeof(host), &e)) {
			say_err("%s", e.msg);
			ret = 2;
			goto out;
		}
		if (resolve(host, deadline, addr, sizeof(addr)) ||
		    set_peer(p, vec, addr))
			goto out;
		printf("umnet: %s: vec%d peer %s is %s\n", p->name, vec, host,
		       addr);
	}
	if (stop_sig)
		goto out;
	i = node_up(p, timeout_s, &res, &e);
	/* in the node's config drive now */
	for (; ndirs > 0; ndirs--)
		rm_rf(dirs[ndirs - 1]);
	if (i) {
		if (res.console.len)
			say_err("%s\nlast lines of the console:\n%s", e.msg,
				sb_str(&res.console));
		else
			say_err("%s", e.msg);
		goto out;
	}
	if (node_paths(p->name, &np)) {
		say_err("%s: no state", p->name);
		goto out;
	}
	printf("umnet: %s: ready in %lld ms (boot %lld ms), pid %d\n", p->name,
	       res.total_ms, res.boot_ms, (int)res.pid);
	while (!stop_sig && node_running(&np, NULL)) {
		pump(np.console, &off, tail, sizeof(tail));
		usleep(200000);
	}
	pump(np.console, &off, tail, sizeof(tail));
	if (stop_sig) {
		printf("umnet: %s: %s: shutting the node down\n", p->name,
		       strsignal(stop_sig));
		ret = 0;
	} else {
		/* the node went away by itself: a power-off is a clean end */
		ret = strstr(tail, "reboot: Power down") ||
				      strstr(tail, "System halted")
			      ? 0
			      : 1;
		printf("umnet: %s: the node stopped (%s)\n", p->name,
		       ret ? "it did not power off" : "powered off");
	}
	if (node_down(&np, &e)) {
		say_err("%s", e.msg);
		ret = 1;
	}
out:
	for (; ndirs > 0; ndirs--)
		rm_rf(dirs[ndirs - 1]);
	sb_free(&res.console);
	free(p);
	return ret;
}

static int node_test(int argc, char *argv[])
{
	struct lab lab = { 0 };
	struct err e = { "" };
	char seen[600];
	long long ms;
	unsigned long idx;
	int i, r,
		ret = opt_flag(argc, argv, run_usage, NULL, NULL, 2,
			       OPERANDS_ANY);

	if (ret >= 0)
		return ret;
	ret = 2;
	r = lab_parse(argv[optind], NULL, NULL, &lab, &e);
	if (r) {
		say_fail(r, &e);
		goto out;
	}
	/* in this node's pod: a link step does this side (lab test --engine
	 * runs it in each endpoint's pod) */
	lab.pod_steps = true;
	ret = 0;
	for (i = optind + 1; i < argc; i++) {
		const struct lab_test *t;

		if (parse_uint(argv[i], 0, lab.ntests ? lab.ntests - 1 : 0,
			       &idx) ||
		    !lab.ntests) {
			say_err("test %s: the lab has tests 0..%d", argv[i],
				lab.ntests - 1);
			ret = 2;
			goto out;
		}
		t = &lab.tests[idx];
		r = lab_test_run(&lab, (int)idx, seen, sizeof(seen), &ms);
		printf("TEST: %-62s [%s]\n", t->text, r == 1 ? " OK " : "FAIL");
		if (r != 1) {
			printf("    saw: %s\n", seen);
			ret = 1;
		}
	}
out:
	lab_free(&lab);
	return ret;
}

int node_main(int argc, char *argv[])
{
	static const struct cli_cmd cmds[] = {
		{ "run", node_run, NULL },
		{ "test", node_test, NULL },
	};

	return cli_dispatch(cmds, ARRAY_SIZE(cmds), "umnet node", run_usage,
			    argc, argv);
}
