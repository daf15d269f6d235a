// SPDX-License-Identifier: GPL-2.0
/*
 * umnet lab export LAB --kubernetes -o DIR|- [--image IMAGE] [--namespace NS]
 *                  [--debian]
 * umnet lab test LAB --engine podman|kubectl [--namespace NS]
 *
 * The export writes plain manifests (kube.c); the engine test runs each of
 * the lab's tests in the pod of its node, through `podman exec` (pods of
 * `podman kube play`) or `kubectl exec`, as `umnet node test`.
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
#include "kathara.h"
#include "kube.h"
#include "lab.h"
#include "labrun.h"
#include "labtest.h"

static void export_usage(FILE *f)
{
	fprintf(f,
		"Usage: umnet lab export LAB --kubernetes -o DIR|- [--image IMAGE] [--namespace NS]\n"
		"                        [--debian]\n");
}

int lab_export_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "kubernetes", no_argument, NULL, 'k' },
		{ "output", required_argument, NULL, 'o' },
		{ "image", required_argument, NULL, 'i' },
		{ "namespace", required_argument, NULL, 'n' },
		{ "debian", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kube_opts ko = { 0 };
	struct kathara_opts kko = { .default_image = KATHARA_DEFAULT_MINIMAL };
	struct kube_manifests m = { 0 };
	struct strbuf warn = { 0 }, stale = { 0 };
	struct lab lab = { 0 };
	struct err e = { "" };
	const char *out = NULL;
	bool kubernetes = false;
	int c, ret = 1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "ko:h", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			kubernetes = true;
			break;
		case 'o':
			out = optarg;
			break;
		case 'i':
			ko.image = optarg;
			break;
		case 'n':
			ko.ns = optarg;
			break;
		case 'd':
			ko.debian = true;
			/* Kathará devices without image=: as lab up runs them */
			kko.default_image = KATHARA_DEFAULT_DEBIAN;
			break;
		case 'h':
			export_usage(stdout);
			return 0;
		default:
			export_usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1 || !out || !kubernetes) {
		if (optind == argc - 1 && out)
			say_err("export: say which format: --kubernetes");
		export_usage(stderr);
		return 2;
	}
	/* a Kathará device without image=: the minimal image, which every
	 * OCI image holds, unless --debian says the image has Kathará's
	 * default (the Debian one) too */
	kko.warn = &warn;
	c = lab_load_opts(argv[optind], &kko, &lab, false, &e);
	fputs(sb_str(&warn), stderr);
	if (c || kube_export(&lab, &ko, &m, &e)) {
		say_err("%s", e.msg);
		goto out;
	}
	/* -o -: one stream of documents, for kubectl apply -f - */
	if (!strcmp(out, "-")) {
		for (c = 0; c < m.nfiles; c++)
			printf("%s%s", c ? "---\n" : "",
			       sb_str(&m.files[c].text));
		ret = fflush(stdout) ? 1 : 0;
		goto out;
	}
	if (kube_write(&m, out, &stale, &e)) {
		say_err("%s", e.msg);
		goto out;
	}
	printf("lab %s: %d nodes, %d files in %s\n", lab.name, lab.nnodes,
	       m.nfiles, out);
	if (stale.len)
		printf("lab %s: removed what an earlier export wrote and this one has not: %.*s\n",
		       lab.name, (int)stale.len - 1, sb_str(&stale));
	ret = 0;
out:
	kube_manifests_free(&m);
	sb_free(&warn);
	sb_free(&stale);
	lab_free(&lab);
	return ret;
}

static void test_usage(FILE *f)
{
	fprintf(f,
		"Usage: umnet lab test LAB --engine podman|kubectl [--namespace NS]\n");
}

/* run argv, its output to ours; its exit status, or -1 */
static int run(char *const argv[])
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		dup2(STDOUT_FILENO, STDERR_FILENO);
		execvp(argv[0], argv);
		fprintf(stderr, "umnet: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* the running container of a node, found by its labels (podman names a
 * Deployment's pod NAME-pod-0 or NAME-pod, depending on its version) */
static int podman_container(const char *lab, const char *node, char *out,
			    size_t len)
{
	char cmd[256];
	FILE *f;
	int ret = -ENOENT;

	/* lab and node names are [A-Za-z0-9_-]: nothing to quote */
	snprintf(
		cmd, sizeof(cmd),
		"podman ps --filter label=umnet.lab=%s --filter label=umnet.node=%s --filter status=running --format '{{.Names}}'",
		lab, node);
	f = popen(cmd, "r");
	if (!f)
		return -errno;
	if (fgets(out, (int)len, f)) {
		out[strcspn(out, "\n")] = '\0';
		if (out[0])
			ret = 0;
	}
	pclose(f);
	return ret;
}

/* is endpoint c of l a node that an earlier endpoint has already? */
static bool node_seen_before(const struct lab_link *l, int c)
{
	for (int k = 0; k < c; k++)
		if (l->eps[k].node == l->eps[c].node)
			return true;
	return false;
}

#define IN_POD_ARGS 12

/*
 * args (umnet ..., NULL-terminated, at most IN_POD_ARGS) in the pod of node
 * n, its output ours: 0 when it exited 0, else 1 with the reason said
 */
static int in_pod(const struct lab *lab, int n, const struct lab_test *t,
		  const char *engine, const char *ns, char *const *args)
{
	const char *node = lab->nodes[n].name;
	char pod[KUBE_NAME_MAX + 16], kn[KUBE_NAME_MAX + 1];
	char *cmd[IN_POD_ARGS + 8];
	int r, k = 0, i;

	if (!strcmp(engine, "podman")) {
		if (podman_container(lab->name, node, pod, sizeof(pod))) {
			printf("TEST: %-62s [FAIL]\n    %s:%d: no running container of node %s (labels umnet.lab=%s, umnet.node=%s)\n",
			       t->text, t->file, t->line, node, lab->name,
			       node);
			return 1;
		}
		cmd[k++] = "podman";
		cmd[k++] = "exec";
		cmd[k++] = pod;
	} else {
		kube_name(node, kn, sizeof(kn));
		snprintf(pod, sizeof(pod), "deploy/%s", kn);
		cmd[k++] = "kubectl";
		cmd[k++] = "-n";
		cmd[k++] = (char *)ns;
		cmd[k++] = "exec";
		cmd[k++] = pod;
		cmd[k++] = "-c";
		cmd[k++] = "node";
		cmd[k++] = "--";
	}
	for (i = 0; args[i] && i < IN_POD_ARGS; i++)
		cmd[k++] = args[i];
	cmd[k] = NULL;
	r = run(cmd);
	if (r && r != 1)
		printf("    %s:%d: %s exec in %s failed (exit %d)\n", t->file,
		       t->line, engine, pod, r);
	return r ? 1 : 0;
}

/*
 * A throughput test: the one-off iperf3 server in the target's pod, on the
 * port both sides derive (lab_test_port), then the test in the client's
 */
static int throughput(const struct lab *lab, const struct lab_test *t,
		      const char *engine, const char *ns, char *lfile,
		      char *idx)
{
	char host[NODE_NAME_MAX + 1], port[16];
	char *serve[] = { "umnet", "exec", host, "--", "iperf3", "-s",
			  "-1",	   "-D",   "-p", port, NULL };
	char *test[] = { "umnet", "node", "test", lfile, idx, NULL };
	int target = lab_node_find(lab, t->target);

	if (target < 0) {
		printf("TEST: %-62s [FAIL]\n    %s:%d: %s is not a node\n",
		       t->text, t->file, t->line, t->target);
		return 1;
	}
	lab_node_hostname(lab, target, host, sizeof(host));
	snprintf(port, sizeof(port), "%d", lab_test_port(lab, t));
	if (in_pod(lab, target, t, engine, ns, serve))
		return 1;
	return in_pod(lab, t->node, t, engine, ns, test);
}

int lab_test_engine_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "engine", required_argument, NULL, 'e' },
		{ "namespace", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct lab lab = { 0 };
	struct err e = { "" };
	const char *engine = NULL, *ns = NULL;
	char nsbuf[KUBE_NAME_MAX + 1], idx[16];
	char lfile[] = KUBE_CONFIG_DIR "/lab.lab";
	int c, i, r, pass = 0, fail = 0, skip = 0, ret = 1;
	long long t0 = now_ms();

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'e':
			engine = optarg;
			break;
		case 'n':
			ns = optarg;
			break;
		case 'h':
			test_usage(stdout);
			return 0;
		default:
			test_usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1 || !engine ||
	    (strcmp(engine, "podman") && strcmp(engine, "kubectl"))) {
		if (engine && strcmp(engine, "podman") &&
		    strcmp(engine, "kubectl"))
			say_err("--engine %s: must be podman or kubectl",
				engine);
		test_usage(stderr);
		return 2;
	}
	if (lab_load(argv[optind], &lab, false, &e)) {
		say_err("%s", e.msg);
		goto out;
	}
	if (!lab.ntests) {
		say_err("lab %s has no [test] section", lab.name);
		goto out;
	}
	if (!ns) {
		char ln[LAB_NAME_MAX + 1];

		kube_name(lab.name, ln, sizeof(ln));
		snprintf(nsbuf, sizeof(nsbuf), "umnet-%s", ln);
		ns = nsbuf;
	}
	for (i = 0; i < lab.ntests; i++) {
		const struct lab_test *t = &lab.tests[i];

		char *test[] = { "umnet", "node", "test", lfile, idx, NULL };

		snprintf(idx, sizeof(idx), "%d", i);
		/* a link step: each endpoint's pod does its side */
		if (lab_test_is_step(t->kind)) {
			const struct lab_link *l =
				&lab.links[lab_link_find(&lab, t->target)];

			for (r = 0, c = 0; c < l->neps && !r; c++)
				if (!node_seen_before(l, c))
					r = in_pod(&lab, l->eps[c].node, t,
						   engine, ns, test);
		} else if (t->kind == TEST_THROUGHPUT) {
			r = throughput(&lab, t, engine, ns, lfile, idx);
		} else {
			r = in_pod(&lab, t->node, t, engine, ns, test);
		}
		if (r == 0)
			pass++;
		else
			fail++;
	}
	printf("lab %s: %d passed, %d failed, %d skipped in %.1f s (%s)\n",
	       lab.name, pass, fail, skip, (now_ms() - t0) / 1000.0, engine);
	ret = fail ? 1 : 0;
out:
	lab_free(&lab);
	return ret;
}
