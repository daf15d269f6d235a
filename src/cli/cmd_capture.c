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
#include <getopt.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "capture.h"
#include "cli.h"
#include "labrun.h"
#include "pcapring.h"
#include "switch.h"

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

/*
 * The options of capture and lab capture, anywhere among their two
 * positionals, which end up in argv[optind], argv[optind + 1]. Returns -1
 * to go on, else the exit code (0 after --help, 2 on a usage error).
 */
static int parse_opts(int argc, char *argv[], struct capture_opts *o)
{
	static const struct option opts[] = {
		{ "duration", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	optind = 0;
	while ((c = getopt_long(argc, argv, "w:c:f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'w':
			o->file = optarg;
			break;
		case 'c':
			if (opt_uint("-c", optarg, 1, 100000000, &o->count))
				return 2;
			break;
		case 'd':
			if (opt_uint("--duration", optarg, 1, TIMEOUT_MAX_S,
				     &o->duration))
				return 2;
			break;
		case 'f':
			o->filter = optarg;
			break;
		case 'h':
		default:
			return usage_exit(usage, c);
		}
	}
	if (argc - optind != 2)
		return usage_exit(usage, '?');
	return -1;
}

static int to_stream(void *arg, const char *buf, size_t n)
{
	return pcap_stream_feed(arg, buf, n);
}

static bool ifname_ok(const char *s)
{
	size_t n = strlen(s);

	return n && n < 16 && strspn(s, ALNUM "_.-") == n;
}

/* capture on the node named name (LAB.NODE or a node), interface ifname */
static int capture_run(const char *name, const char *ifname,
		       const struct capture_opts *o)
{
	char count[24], dur[24], *argv[24];
	struct agent_opts ao = { .cancel = &stop };
	struct pcap_stream ps;
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
	cli_on_stop(on_signal);
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
	int ret = parse_opts(argc, argv, &o);

	if (ret >= 0)
		return ret;
	return capture_run(argv[optind], argv[optind + 1], &o);
}

/* one line per frame for a capture without -w: time, MACs, what it is */
static void summary(const unsigned char *f, uint32_t len, uint32_t sec,
		    uint32_t usec)
{
	unsigned int type = f[12] << 8 | f[13];
	time_t t = sec;
	struct tm tm;

	localtime_r(&t, &tm);
	printf("%02d:%02d:%02d.%06u %02x:%02x:%02x:%02x:%02x:%02x > %02x:%02x:%02x:%02x:%02x:%02x",
	       tm.tm_hour, tm.tm_min, tm.tm_sec, usec, f[6], f[7], f[8], f[9],
	       f[10], f[11], f[0], f[1], f[2], f[3], f[4], f[5]);
	if (type == 0x0800 && len >= 34) {
		const unsigned char *ip = f + 14;
		unsigned int hl = (ip[0] & 15) * 4;

		printf(", IP %u.%u.%u.%u > %u.%u.%u.%u: ", ip[12], ip[13],
		       ip[14], ip[15], ip[16], ip[17], ip[18], ip[19]);
		if (ip[9] == 1 && len >= 14 + hl + 1)
			printf("ICMP %s", ip[hl] == 8	? "echo request"
					  : ip[hl] == 0 ? "echo reply"
							: "type");
		else
			printf("proto %u", ip[9]);
	} else if (type == 0x0806) {
		printf(", ARP");
	} else if (type == 0x86dd) {
		printf(", IP6");
	} else {
		printf(", ethertype 0x%04x", type);
	}
	printf(", length %u\n", len);
	fflush(stdout);
}

/*
 * A switch segment: every frame the lab's switch forwards, from its
 * monitor socket (switch.h), filtered here with libpcap.
 */
static int capture_switch(const char *sock, const char *what,
			  const struct capture_opts *o)
{
	struct pcap_ring ring = { .fd = -1 };
	struct bpf_program prog = { 0 };
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	unsigned char *buf = NULL;
	struct err e = { "" };
	pcap_t *pc = NULL;
	unsigned long long n = 0;
	int sfd = -1, fd = -1, out = STDOUT_FILENO, rc = 1, c;
	long long end =
		o->duration ? now_ms() + (long long)o->duration * 1000 : -1;
	ssize_t r;

	if (o->filter) {
		pc = pcap_open_dead(DLT_EN10MB, SWITCH_FRAME_MAX);
		if (!pc || pcap_compile(pc, &prog, o->filter, 1,
					PCAP_NETMASK_UNKNOWN) < 0) {
			say_err("capture: -f %s: %s", o->filter,
				pc ? pcap_geterr(pc) : "out of memory");
			rc = 2;
			goto cleanup;
		}
	}
	if (strscpy(sa.sun_path, sock, sizeof(sa.sun_path))) {
		say_err("capture: %s: path too long", sock);
		goto cleanup;
	}
	buf = malloc(16 + SWITCH_FRAME_MAX);
	sfd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (!buf || sfd < 0 ||
	    connect(sfd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		say_err("capture: %s: %s (is the lab up?)", sock,
			strerror(errno));
		goto cleanup;
	}
	if (o->file && strcmp(o->file, "-")) {
		fd = open(o->file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			  0644);
		if (fd < 0) {
			say_err("capture: %s: %s", o->file, strerror(errno));
			goto cleanup;
		}
		out = fd;
	}
	/* the writer of `capture = yes` and --mirror (pcapring.h) */
	if (o->file &&
	    (c = pcap_ring_fdopen(&ring, out, fd >= 0 ? o->file : "stdout",
				  SWITCH_FRAME_MAX, &e))) {
		say_fail(c, &e);
		goto cleanup;
	}
	cli_on_stop(on_signal);
	signal(SIGPIPE, SIG_IGN);
	fprintf(stderr,
		"listening on %s: every frame %s forwards%s%s, Ctrl-C to stop\n",
		sock, what, o->file ? ", into " : "",
		o->file ? (strcmp(o->file, "-") ? o->file : "stdout") : "");
	while (!stop && (!o->count || n < o->count)) {
		struct pollfd p = { .fd = sfd, .events = POLLIN };
		int left = end < 0 ? 1000 : (int)(end - now_ms());
		uint32_t rec[4];
		struct timeval tv;

		if (end >= 0 && left <= 0)
			break;
		if (poll(&p, 1, left > 1000 ? 1000 : left) <= 0)
			continue;
		r = recv(sfd, buf, 16 + SWITCH_FRAME_MAX, 0);
		if (r == 0) {
			say_err("capture: the switch went away");
			break;
		}
		if (r < 16 + 14)
			continue;
		memcpy(rec, buf, 16);
		if (pc) {
			struct pcap_pkthdr ph = { .caplen = rec[2],
						  .len = rec[3] };

			if (!pcap_offline_filter(&prog, &ph, buf + 16))
				continue;
		}
		n++;
		if (!o->file) {
			summary(buf + 16, rec[2], rec[0], rec[1]);
			continue;
		}
		/* a record: sec, usec, caplen (what came), len */
		tv.tv_sec = rec[0];
		tv.tv_usec = rec[1];
		c = pcap_ring_put(&ring, &tv, buf + 16,
				  rec[2] < r - 16 ? rec[2] : (size_t)r - 16,
				  rec[3]);
		if (c) {
			if (c != -EPIPE)
				say_err("capture: %s: %s", o->file,
					strerror(-c));
			rc = c == -EPIPE ? 0 : 1;
			goto cleanup;
		}
	}
	fprintf(stderr, "%llu packets captured\n", n);
	rc = 0;
cleanup:
	pcap_ring_close(&ring);
	if (pc) {
		pcap_freecode(&prog);
		pcap_close(pc);
	}
	if (fd >= 0 && close(fd) < 0 && !rc) {
		say_err("capture: %s: %s", o->file, strerror(errno));
		rc = 1;
	}
	if (sfd >= 0)
		close(sfd);
	free(buf);
	return rc;
}

/* argv[0] = "capture", then LAB, LINK and options */
int lab_capture_main(int argc, char *argv[])
{
	struct capture_opts o;
	struct lab lab = { 0 };
	struct err e = { "" };
	const struct lab_link *l;
	char name[NODE_NAME_MAX + 1], ifname[16];
	const char *arg, *link;
	int li, ret = parse_opts(argc, argv, &o);

	if (ret >= 0)
		return ret;
	arg = argv[optind];
	link = argv[optind + 1];
	ret = lab_load(arg, &lab, false, &e);
	if (ret) {
		say_fail(ret, &e);
		ret = 1;
		goto out;
	}
	ret = 1;
	li = lab_link_find(&lab, link);
	if (li < 0) {
		say_err("lab %s has no link %s (see 'umnet lab status %s')",
			lab.name, link, lab.name);
		goto out;
	}
	l = &lab.links[li];
	if (lab_link_switched(l)) {
		struct lab_paths lp;
		char sock[PATH_MAX], what[64];

		if (lab_paths(lab.name, &lp) ||
		    lab_switch_path(lp.dir, l, sock, sizeof(sock) - 4)) {
			say_err("lab %s: state directory path too long",
				lab.name);
			goto out;
		}
		strcat(sock, ".mon");
		/* a segment across hosts: its switch is on one of them */
		if (l->cross && !lab_host_pick(&lab, NULL, false, &e) &&
		    lab.here >= 0 && lab.here != l->sw_host) {
			say_err("lab %s: the switch of %s runs on host %s: run umnet lab capture there",
				lab.name, l->name, lab.hosts[l->sw_host].name);
			goto out;
		}
		snprintf(what, sizeof(what), "the switch of %s", l->name);
		ret = capture_switch(sock, what, &o);
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
