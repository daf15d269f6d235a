// SPDX-License-Identifier: GPL-2.0
/*
 * umnet capture NODE IFACE [-w FILE|-] [-c COUNT] [-f EXPR] [--duration S]
 * umnet lab capture LAB LINK [...the same options]
 *
 * tcpdump runs inside the node (docs/capture.md). With -w its pcap output
 * comes back through the exec agent (binary-safe: base64 frames) and is
 * written record by record (capture.h), so Ctrl-C, a count, a duration or
 * the node going away all leave a valid file. Without -w, tcpdump's own
 * one-line summaries are shown.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "capture.h"
#include "cli.h"
#include "labrun.h"

#define USAGE_OPTS \
	"[-w FILE|-] [-c COUNT] [-f 'EXPRESSION'] [--duration SECONDS]"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: umnet capture NODE|LAB/NODE IFACE " USAGE_OPTS "\n"
		"       umnet lab capture LAB LINK " USAGE_OPTS "\n"
		"-w FILE writes pcap (tcpdump -r, tshark, Wireshark read it), -w - to stdout:\n"
		"  umnet capture r1 vec0 -w - | wireshark -k -i -\n"
		"Without -w, tcpdump's summary of each frame is shown. Ctrl-C ends a capture.\n");
}

struct capture_opts {
	const char *file; /* NULL: summaries */
	unsigned long count, duration;
	const char *filter;
};

/* the options after NODE IFACE / LAB LINK; 2 on a usage error */
static int parse_opts(int argc, char *argv[], struct capture_opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (i + 1 >= argc) {
			say_err("capture: %s needs a value", a);
			return 2;
		}
		if (!strcmp(a, "-w")) {
			o->file = argv[++i];
		} else if (!strcmp(a, "-c")) {
			if (opt_uint("-c", argv[++i], 1, 100000000, &o->count))
				return 2;
		} else if (!strcmp(a, "--duration")) {
			if (opt_uint("--duration", argv[++i], 1, TIMEOUT_MAX_S,
				     &o->duration))
				return 2;
		} else if (!strcmp(a, "-f")) {
			o->filter = argv[++i];
		} else {
			say_err("capture: unknown option \"%s\"", a);
			usage(stderr);
			return 2;
		}
	}
	return 0;
}

static int to_stream(void *arg, const char *buf, size_t n)
{
	return pcap_stream_feed(arg, buf, n);
}

static bool ifname_ok(const char *s)
{
	size_t n = strlen(s);

	return n && n < 16 &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyz"
			 "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789_.-") == n;
}

/* capture on the node named name (LAB.NODE or a node), interface ifname */
static int capture_run(const char *name, const char *ifname,
		       const struct capture_opts *o)
{
	char count[24], dur[24], *argv[24];
	struct agent_opts ao = { .cancel = &stop };
	struct pcap_stream ps;
	struct sigaction sa;
	struct node_paths np;
	int fd = -1, n = 0, status = 0, ret, rc = 1;
	long partial;

	if (!ifname_ok(ifname)) {
		say_err("capture: \"%s\" is not an interface name (vec0, lo, ...)",
			ifname);
		return 2;
	}
	if (node_lookup(name, &np, true))
		return 1;
	pcap_stream_init(&ps, -1);
	if (o->duration) {
		snprintf(dur, sizeof(dur), "%lu", o->duration);
		argv[n++] = "timeout";
		argv[n++] = "-s";
		argv[n++] = "INT";
		argv[n++] = dur;
	}
	argv[n++] = "tcpdump";
	argv[n++] =
		"--immediate-mode"; /* each frame as it comes, not each 1 s */
	argv[n++] = "-n";
	argv[n++] = "-i";
	argv[n++] = (char *)ifname;
	if (o->file) {
		argv[n++] = "-U";
		argv[n++] = "-w";
		argv[n++] = "-";
	} else {
		argv[n++] = "-l";
	}
	if (o->count) {
		snprintf(count, sizeof(count), "%lu", o->count);
		argv[n++] = "-c";
		argv[n++] = count;
	}
	if (o->filter) {
		argv[n++] = "--";
		argv[n++] = (char *)o->filter;
	}
	argv[n] = NULL;

	if (o->file && strcmp(o->file, "-")) {
		fd = open(o->file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			  0644);
		if (fd < 0) {
			say_err("capture: %s: %s", o->file, strerror(errno));
			return 1;
		}
	}
	if (o->file) {
		pcap_stream_init(&ps, fd >= 0 ? fd : STDOUT_FILENO);
		ao.out = to_stream;
		ao.arg = &ps;
	}
	/* Ctrl-C: kill tcpdump, keep what came; a closed reader: EPIPE */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	fprintf(stderr, "capturing on %s %s%s%s, Ctrl-C to stop\n", name,
		ifname, o->file ? " into " : "",
		o->file ? (strcmp(o->file, "-") ? o->file : "stdout") : "");
	fflush(stdout);
	ret = node_exec_opts(&np, argv, STDOUT_FILENO, STDERR_FILENO,
			     o->duration ? (int)(o->duration + 30) * 1000 : 0,
			     &status, &ao);
	if (o->file) {
		partial = pcap_stream_finish(&ps);
		if (partial < 0 && !ret)
			ret = partial;
		if (ret != -EPIPE)
			fprintf(stderr, "%llu packets captured%s\n", ps.packets,
				partial > 0
					? " (an incomplete last one left out)"
					: "");
	}
	if (ret == -EPIPE) {
		rc = 0; /* the reader (wireshark, head) went away */
	} else if (ret == -EPROTO) {
		say_err("capture: %s: tcpdump's output is not pcap", name);
	} else if (ret && !(stop && ret == -ETIMEDOUT)) {
		say_err("capture: %s: %s", name, strerror(-ret));
	} else if (stop || (o->duration && status == 124) || status == 0) {
		rc = 0;
	} else {
		say_err("capture: tcpdump in %s ended with status %d (see its message above)",
			name, status);
	}
	if (fd >= 0 && close(fd) < 0 && !rc) {
		say_err("capture: %s: %s", o->file, strerror(errno));
		rc = 1;
	}
	pcap_stream_free(&ps);
	return rc;
}

int capture_main(int argc, char *argv[])
{
	struct capture_opts o;
	int ret;

	if (argc >= 2 &&
	    (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc < 3) {
		usage(stderr);
		return 2;
	}
	ret = parse_opts(argc - 3, argv + 3, &o);
	if (ret)
		return ret;
	return capture_run(argv[1], argv[2], &o);
}

/* argv[0] = "capture", LAB, LINK, options */
int lab_capture_main(int argc, char *argv[])
{
	struct capture_opts o;
	struct lab lab = { 0 };
	struct err e = { "" };
	const struct lab_link *l;
	char name[NODE_NAME_MAX + 1], ifname[16];
	int li, ret = 1;

	if (argc < 3) {
		usage(stderr);
		return 2;
	}
	ret = parse_opts(argc - 3, argv + 3, &o);
	if (ret)
		return ret;
	ret = 1;
	if (lab_load(argv[1], &lab, false, &e)) {
		say_err("%s", e.msg);
		goto out;
	}
	li = lab_link_find(&lab, argv[2]);
	if (li < 0) {
		say_err("lab %s has no link %s (see 'umnet lab status %s')",
			lab.name, argv[2], lab.name);
		goto out;
	}
	l = &lab.links[li];
	if (l->kind == LINK_SWITCH && l->neps > 1) {
		say_err("lab capture: %s is a switch segment: capture one node's side with 'umnet capture %s/%s vec%d'",
			l->name, lab.name, lab.nodes[l->eps[0].node].name,
			l->eps[0].vec);
		goto out;
	}
	/*
	 * A wire: one end sees both directions, each frame once. Other
	 * kinds have one node endpoint: its side.
	 */
	lab_node_hostname(&lab, l->eps[0].node, name, sizeof(name));
	snprintf(ifname, sizeof(ifname), "vec%d", l->eps[0].vec);
	ret = capture_run(name, ifname, &o);
out:
	lab_free(&lab);
	return ret;
}
