// SPDX-License-Identifier: GPL-2.0
/*
 * umnet switch [-dnv] [-a SECONDS] [--l2tp ADDR:PORT [--l2tp-peer ...]] -s PATH
 * umnet switch status [--json] -s PATH
 *
 * The learning switch for bess transports (switch.h), as a daemon in the
 * style of OpenBSD's: -d foreground, -n check and exit, -v verbose.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "cli.h"
#include "pcapring.h"
#include "switch.h"

static volatile sig_atomic_t stop_sig;
static int verbose;
static bool use_syslog;

static void on_signal(int sig)
{
	stop_sig = sig;
}

static void log_cb(void *arg, enum switch_log_level level, const char *msg)
{
	static const int prio[] = { LOG_WARNING, LOG_INFO, LOG_DEBUG };

	(void)arg;
	if ((int)level > verbose && level != SWITCH_LOG_WARN)
		return;
	if (use_syslog)
		syslog(prio[level], "%s", msg);
	else
		fprintf(stderr, "umnet switch: %s\n", msg);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: umnet switch [-dnv] [-a SECONDS] [-m MODE] [--mirror FILE\n"
		"                    [--mirror-size SIZE [--mirror-files N]]]\n"
		"                    [--l2tp ADDR:PORT [--l2tp-peer PEER]...] -s PATH\n"
		"       umnet switch status [--json] -s PATH\n"
		"\n"
		"  -s PATH     the socket bess transports connect to (dst = PATH);\n"
		"              the status socket is PATH.ctl; ports connected to\n"
		"              PATH.vnet send and get frames with a virtio-net\n"
		"              header (bess vnet_hdr = 1: TSO frames, offloads)\n"
		"  -a SECONDS  forget a MAC after this long without a frame (default %d)\n"
		"  -d          stay in the foreground, log to stderr\n"
		"  -m MODE     the socket's mode, octal (default 0666: who may\n"
		"              connect is decided by the directory it is in)\n"
		"  -n          check the configuration and exit\n"
		"  --mirror FILE  write every frame forwarded to FILE (pcap); readers\n"
		"              of PATH.mon get the same live ('umnet lab capture')\n"
		"  --mirror-size SIZE  a ring: FILE becomes FILE.1 when it would\n"
		"              pass SIZE (bytes, or with K, M, G), FILE.1 FILE.2, ...\n"
		"  --mirror-files N  files the ring keeps, FILE included (default 4)\n"
		"  -v          log ports coming and going; -vv also MACs\n"
		"  --l2tp ADDR:PORT  remote ports: L2TPv3 over UDP (UML's l2tpv3\n"
		"              transport, udp = 1) on this address ([IPv6]:PORT)\n"
		"  --l2tp-peer HOST:PORT,rx_session=N,tx_session=N,rx_cookie=N,tx_cookie=N\n"
		"              one remote port per option: the node's address or DNS\n"
		"              name and port, and its session's ids as the switch\n"
		"              sees them (rx: what the node sends as tx)\n",
		SWITCH_AGING_DEFAULT_S);
}

/*
 * The path of -s PATH or --mirror FILE into out, made absolute (the daemon
 * leaves its cwd). Else says why and returns -1: the caller exits 2.
 */
static int opt_path(const char *opt, const char *arg, char *out, size_t len)
{
	char cwd[PATH_MAX];
	int n;

	if (arg[0] == '/') {
		n = snprintf(out, len, "%s", arg);
	} else if (!getcwd(cwd, sizeof(cwd))) {
		say_err("%s %s: the current directory: %s", opt, arg,
			strerror(errno));
		return -1;
	} else {
		n = snprintf(out, len, "%s/%s", cwd, arg);
	}
	if (n < 0 || (size_t)n >= len) {
		say_err("%s %s: path too long", opt, arg);
		return -1;
	}
	return 0;
}

static int daemonize(void)
{
	pid_t pid;
	int fd;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0) {
		printf("%d\n", (int)pid);
		fflush(stdout);
		_exit(0);
	}
	setsid();
	if (chdir("/") < 0)
		return -errno;
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
	}
	openlog("umnet-switch", LOG_PID, LOG_DAEMON);
	use_syslog = true;
	return 0;
}

/*
 * The counters of a port that the table (column head, width) and --json
 * (key) both show, in their order; the others are printed around them.
 */
/* clang-format off */
static const struct port_counter {
	const char *head;
	int width;
	const char *json;
	size_t off;
} port_counters[] = {
#define COUNTER(head, width, field) \
	{ head, width, #field, offsetof(struct switch_port_stats, field) }
	COUNTER("rx",       10, rx_frames),
	COUNTER("rx-bytes", 12, rx_bytes),
	COUNTER("tx",       10, tx_frames),
	COUNTER("tx-bytes", 12, tx_bytes),
	COUNTER("flooded",   8, flooded),
	COUNTER("unknown",   8, unknown),
	COUNTER("filtered",  8, filtered),
	COUNTER("runt",      6, runt),
	COUNTER("over",      6, oversize),
	COUNTER("badsrc",    6, bad_src),
	COUNTER("tx-drop",   8, tx_dropped),
#undef COUNTER
	{ NULL, 0, NULL, 0 },
};
/* clang-format on */

static uint64_t port_counter(const struct switch_port_stats *p,
			     const struct port_counter *c)
{
	uint64_t v;

	memcpy(&v, (const char *)p + c->off, sizeof(v));
	return v;
}

void switch_print_text(const struct switch_status *st, const char *path)
{
	const struct switch_status_hdr *h = &st->hdr;
	const struct port_counter *c;
	uint32_t i;

	printf("switch %s: pid %d, up %llu s, %u ports (%llu since start), %u MACs, aging %u s\n",
	       path, (int)h->pid, (unsigned long long)h->uptime_ms / 1000,
	       h->nports, (unsigned long long)h->ports_total, h->fdb,
	       h->aging_ms / 1000);
	if (h->bad_session || h->l2tp_short)
		printf("l2tp: %llu datagrams with no session of this switch, %llu too short for a header: dropped\n",
		       (unsigned long long)h->bad_session,
		       (unsigned long long)h->l2tp_short);
	if (!h->nports)
		return;
	printf("%-5s %-8s %-5s", "port", "pid", "macs");
	for (c = port_counters; c->head; c++)
		printf(" %*s", c->width, c->head);
	printf(" %7s  %s\n", "badhdr", "name (+: virtio-net headers)");
	for (i = 0; i < h->nports; i++) {
		const struct switch_port_stats *p = &st->ports[i];

		printf("%-5u %-8d %-5u", p->id, (int)p->pid, p->macs);
		for (c = port_counters; c->head; c++)
			printf(" %*llu", c->width,
			       (unsigned long long)port_counter(p, c));
		printf(" %7llu  %s%s%s\n",
		       (unsigned long long)(p->bad_hdr + p->bad_cookie),
		       p->vnet ? "+" : "", p->name[0] ? p->name : "-",
		       p->bad_cookie ? " (bad cookies)" : "");
	}
}

static void print_json(const struct switch_status *st, const char *path)
{
	const struct switch_status_hdr *h = &st->hdr;
	const struct port_counter *c;
	struct strbuf sb = { 0 };
	uint32_t i;

	sb_puts(&sb, "{\"path\":");
	sb_json_str(&sb, path);
	sb_printf(
		&sb,
		",\"pid\":%d,\"uptime_ms\":%llu,\"aging_s\":%u,\"macs\":%u,\"ports_total\":%llu,\"l2tp_bad_session\":%llu,\"l2tp_short\":%llu,\"ports\":[",
		(int)h->pid, (unsigned long long)h->uptime_ms,
		h->aging_ms / 1000, h->fdb, (unsigned long long)h->ports_total,
		(unsigned long long)h->bad_session,
		(unsigned long long)h->l2tp_short);
	for (i = 0; i < h->nports; i++) {
		const struct switch_port_stats *p = &st->ports[i];

		sb_printf(&sb,
			  "%s{\"port\":%u,\"pid\":%d,\"name\":", i ? "," : "",
			  p->id, (int)p->pid);
		sb_json_str(&sb, p->name);
		sb_printf(&sb, ",\"macs\":%u", p->macs);
		for (c = port_counters; c->head; c++)
			sb_printf(&sb, ",\"%s\":%llu", c->json,
				  (unsigned long long)port_counter(p, c));
		sb_printf(
			&sb,
			",\"vnet\":%s,\"bad_hdr\":%llu,\"segmented\":%llu,\"l2tp\":%s,\"bad_cookie\":%llu}",
			p->vnet ? "true" : "false",
			(unsigned long long)p->bad_hdr,
			(unsigned long long)p->segmented,
			p->l2tp ? "true" : "false",
			(unsigned long long)p->bad_cookie);
	}
	sb_puts(&sb, "]}\n");
	fputs(sb_str(&sb), stdout);
	sb_free(&sb);
}

/* from an own() of read_opts: c is none of its options */
#define OPT_NOT_MINE (-2)

/*
 * getopt_long over the options of a switch command: -s PATH into path,
 * -h and unknown ones end with usage, the others go to own(c, arg) (-1:
 * go on, OPT_NOT_MINE, else an exit code); then no operand may be left
 * and -s is required. -1: go on; else the exit code.
 */
static int read_opts(int argc, char *argv[], const char *optstr,
		     const struct option *lopts, char path[PATH_MAX],
		     int (*own)(int c, void *arg), void *arg)
{
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, optstr, lopts, NULL)) != -1) {
		rc = own(c, arg);
		if (rc == OPT_NOT_MINE && c == 's')
			rc = opt_path("-s", optarg, path, PATH_MAX) ? 2 : -1;
		else if (rc == OPT_NOT_MINE)
			rc = usage_exit(usage, c);
		if (rc >= 0)
			return rc;
	}
	if (optind != argc || !path[0])
		return usage_exit(usage, '?');
	return -1;
}

/* --json of switch status */
static int status_opt(int c, void *json)
{
	if (c != 'j')
		return OPT_NOT_MINE;
	*(bool *)json = true;
	return -1;
}

static int status_cmd(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct switch_status *st = NULL;
	char path[PATH_MAX] = "";
	bool json = false;
	struct err e = { "" };
	int rc, ret = 1;

	rc = read_opts(argc, argv, "s:h", opts, path, status_opt, &json);
	if (rc >= 0)
		return rc;
	st = malloc(sizeof(*st));
	if (!st) {
		say_err("out of memory");
		return 1;
	}
	rc = switch_status_fetch(path, st, &e);
	if (rc) {
		say_fail(rc, &e);
		goto cleanup;
	}
	if (json)
		print_json(st, path);
	else
		switch_print_text(st, path);
	ret = 0;
cleanup:
	free(st);
	return ret;
}

/* what switch_main's own options set */
struct main_opts {
	struct switch_config cfg;
	char mirror[PATH_MAX];
	struct ring_opt ring; /* into cfg's mirror_size, mirror_files */
	struct switch_l2tp_peer *peers; /* SWITCH_L2TP_PEERS_MAX of them */
	int npeers;
	bool foreground, check_only;
};

static int main_opt(int c, void *arg)
{
	struct main_opts *o = arg;
	struct err e = { "" };
	unsigned long v;

	switch (c) {
	case 'M':
		if (opt_path("--mirror", optarg, o->mirror, sizeof(o->mirror)))
			return 2;
		o->cfg.mirror = o->mirror;
		break;
	case 'S': /* --mirror-size */
	case 'F': /* --mirror-files */
		if (opt_ring(&o->ring, c == 'F', optarg))
			return 2;
		break;
	case 'L':
		if (switch_l2tp_listen_parse(optarg, o->cfg.l2tp_addr,
					     sizeof(o->cfg.l2tp_addr),
					     &o->cfg.l2tp_port, &e)) {
			say_err("%s", e.msg);
			return 2;
		}
		break;
	case 'P':
		if (o->npeers == SWITCH_L2TP_PEERS_MAX) {
			say_err("--l2tp-peer: at most %d",
				SWITCH_L2TP_PEERS_MAX);
			return 2;
		}
		if (switch_l2tp_peer_parse(optarg, &o->peers[o->npeers], &e)) {
			say_err("%s", e.msg);
			return 2;
		}
		o->npeers++;
		break;
	case 'a':
		if (opt_uint("-a", optarg, 1, SWITCH_AGING_MAX_S, &v))
			return 2;
		o->cfg.aging_ms = v * 1000;
		break;
	case 'd':
		o->foreground = true;
		break;
	case 'm': {
		char *end;

		errno = 0;
		v = strtoul(optarg, &end, 8);
		if (errno || *end || !*optarg || optarg[0] == '-' || v > 0777) {
			opt_bad("-m", optarg,
				" takes an octal mode, 0000..0777");
			return 2;
		}
		o->cfg.mode = v;
		break;
	}
	case 'n':
		o->check_only = true;
		break;
	case 'v':
		verbose++;
		break;
	default:
		return OPT_NOT_MINE;
	}
	return -1;
}

int switch_main(int argc, char *argv[])
{
	static struct switch_l2tp_peer peers[SWITCH_L2TP_PEERS_MAX];
	struct main_opts o = {
		.cfg = { .aging_ms = SWITCH_AGING_DEFAULT_S * 1000,
			 .log = log_cb },
		.ring = { .size_opt = "--mirror-size",
			  .files_opt = "--mirror-files",
			  .max = SWITCH_MIRROR_SIZE_MAX,
			  .max_text = "64G" },
		.peers = peers,
	};
	struct switch_config *cfg = &o.cfg;
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block, orig;
	struct sw *sw = NULL;
	struct err e = { "" };
	char path[PATH_MAX] = "";
	int rc, ret;

	if (argc > 1 && !strcmp(argv[1], "status"))
		return status_cmd(argc - 1, argv + 1);
	static const struct option lopts[] = {
		{ "mirror", required_argument, NULL, 'M' },
		{ "mirror-size", required_argument, NULL, 'S' },
		{ "mirror-files", required_argument, NULL, 'F' },
		{ "l2tp", required_argument, NULL, 'L' },
		{ "l2tp-peer", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char msg[2 * PATH_MAX + 64];

	rc = read_opts(argc, argv, "a:dm:ns:vh", lopts, path, main_opt, &o);
	if (rc >= 0)
		return rc;
	cfg->mirror_size = o.ring.size;
	cfg->mirror_files = o.ring.files;
	if ((cfg->mirror_size || cfg->mirror_files) && !cfg->mirror) {
		say_err("--mirror-size and --mirror-files go with --mirror FILE");
		return 2;
	}
	if (cfg->mirror_files && !cfg->mirror_size) {
		say_err("--mirror-files needs --mirror-size (a ring of files needs a size cap)");
		return 2;
	}
	if (o.npeers && !cfg->l2tp_addr[0]) {
		say_err("--l2tp-peer needs --l2tp ADDR:PORT (the address and port its frames come from)");
		return 2;
	}
	cfg->peers = peers;
	cfg->npeers = o.npeers;
	if (cfg->mirror_size && !cfg->mirror_files)
		cfg->mirror_files = SWITCH_MIRROR_FILES_DEFAULT;
	if (strscpy(cfg->path, path, sizeof(cfg->path)) ||
	    strlen(path) > SWITCH_PATH_MAX) {
		say_err("-s %s: %zu bytes long; a unix socket path and its \".ctl\" sibling allow at most %zu: use a shorter path",
			path, strlen(path), SWITCH_PATH_MAX);
		return 1;
	}
	if (o.check_only) {
		ret = switch_check(cfg, &e);
		if (ret) {
			say_fail(ret, &e);
			return 1;
		}
		printf("configuration OK\n");
		return 0;
	}

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &orig);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	ret = switch_open(&sw, cfg, &e);
	if (ret) {
		say_fail(ret, &e);
		return 1;
	}
	if (!o.foreground && (ret = daemonize())) {
		say_failf(ret, NULL, "daemonize");
		switch_close(sw);
		return 1;
	}
	snprintf(msg, sizeof(msg), "listening on %s, status on %s.ctl",
		 cfg->path, cfg->path);
	log_cb(NULL, SWITCH_LOG_INFO, msg);
	ret = 0;
	while (!stop_sig) {
		ret = switch_run_once(sw, 1000, &orig, &e);
		if (ret == -EINTR) {
			ret = 0;
			continue;
		}
		if (ret) {
			log_cb(NULL, SWITCH_LOG_WARN, fail_text(ret, &e));
			break;
		}
	}
	if (stop_sig)
		log_cb(NULL, SWITCH_LOG_INFO, strsignal(stop_sig));
	switch_close(sw);
	return ret ? 1 : 0;
}
