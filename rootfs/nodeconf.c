// SPDX-License-Identifier: GPL-2.0
/*
 * node.conf inside the node: split each line into its keyword and arguments
 * and apply it with the image's real tools (iproute2, nftables, busybox sh),
 * or directly for hostname and sysctl. Part of init (static, PID 1): nothing
 * here may exit the process, and every descriptor is close-on-exec.
 */
#include "nodeconf.h"
#include "nodeconf_apply.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdbool.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define NODECONF_MAX_ARGS 64
#define MAX_DAEMONS 32

char *const node_env[] = {
	"PATH=" NODE_PATH,
	"HOME=/root",
	"TERM=linux",
	NULL,
};

static struct {
	pid_t pid;
	char cmd[64];
} daemons[MAX_DAEMONS];

void node_log(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n, m;

	n = snprintf(buf, sizeof(buf), "umnet-init: ");
	va_start(ap, fmt);
	m = vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	n += m;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(STDOUT_FILENO, buf, n) < 0)
		return; /* nowhere else to say it */
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* drop trailing whitespace and line ends */
static void trim_end(char *s)
{
	size_t n = strlen(s);

	while (n &&
	       (is_space(s[n - 1]) || s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

/*
 * Cut the first word of *s: returns it NUL-terminated (NULL when none is
 * left) and advances *s to the start of the next word.
 */
static char *cut_word(char **s)
{
	char *p = *s, *w;

	while (is_space(*p))
		p++;
	if (!*p) {
		*s = p;
		return NULL;
	}
	w = p;
	while (*p && !is_space(*p))
		p++;
	if (*p) {
		*p++ = '\0';
		while (is_space(*p))
			p++;
	}
	*s = p;
	return w;
}

int nodeconf_split(char *line, char **words, int max)
{
	char *w;
	int n = 0;

	trim_end(line);
	while ((w = cut_word(&line))) {
		if (n == max)
			return -E2BIG;
		words[n++] = w;
	}
	words[n] = NULL;
	return n;
}

/* stderr of a command, scanned for the line to report */
struct out_scan {
	char cur[256];
	size_t curlen; /* the rest of an overlong line is dropped */
	char error[256]; /* first line mentioning "error" */
	char last[256]; /* last non-empty line */
};

static void scan_line_end(struct out_scan *sc)
{
	char *p = sc->cur;

	sc->cur[sc->curlen] = '\0';
	sc->curlen = 0;
	while (is_space(*p))
		p++;
	trim_end(p);
	if (!*p)
		return;
	if (!sc->error[0] && strcasestr(p, "error"))
		snprintf(sc->error, sizeof(sc->error), "%s", p);
	snprintf(sc->last, sizeof(sc->last), "%s", p);
}

static void scan_output(struct out_scan *sc, const char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = buf[i];

		if (c == '\n') {
			scan_line_end(sc);
		} else if (sc->curlen < sizeof(sc->cur) - 1) {
			/* keep the message printable, one line */
			sc->cur[sc->curlen++] = c < ' ' || c == 0x7f ? ' ' : c;
		}
	}
}

static void spawn_attr_defaults(posix_spawnattr_t *at, short flags)
{
	sigset_t all, none;

	sigfillset(&all);
	sigemptyset(&none);
	posix_spawnattr_setsigmask(at, &none);
	posix_spawnattr_setsigdefault(at, &all);
	posix_spawnattr_setflags(at, flags | POSIX_SPAWN_SETSIGMASK |
					     POSIX_SPAWN_SETSIGDEF);
}

static void describe_status(int status, char *msg, size_t len)
{
	if (WIFEXITED(status))
		snprintf(msg, len, "exited with status %d",
			 WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(msg, len, "killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(msg, len, "wait status 0x%x", status);
}

/*
 * Copy what fd has to the console (scanning it when sc is set). Reads one
 * buffer, or everything available when drain is set. Closes *fd at EOF.
 */
static void copy_out(int *fd, struct out_scan *sc, int drain)
{
	char buf[4096];
	ssize_t n;

	do {
		n = read(*fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0 || errno != EAGAIN) {
				close(*fd);
				*fd = -1;
			}
			return;
		}
		if (write(STDOUT_FILENO, buf, n) < 0) {
			/* the console is gone: keep scanning anyway */
		}
		if (sc)
			scan_output(sc, buf, n);
	} while (drain);
}

int node_run(char *const argv[], char *msg, size_t len)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	struct out_scan sc;
	int out[2] = { -1, -1 }, err[2] = { -1, -1 }, pidfd = -1, ret = -1;
	int e, status, i;
	pid_t pid = -1;

	memset(&sc, 0, sizeof(sc));
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
		snprintf(msg, len, "pipe: %s", strerror(errno));
		goto cleanup;
	}
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err[1], 2);
	spawn_attr_defaults(&at, 0);
	e = posix_spawn(&pid, argv[0], &fa, &at, argv, node_env);
	if (e) {
		pid = -1;
		snprintf(msg, len, "cannot execute %s: %s", argv[0],
			 strerror(e));
		goto cleanup;
	}
	close(out[1]);
	close(err[1]);
	out[1] = err[1] = -1;

	/*
	 * Copy the output until EOF, but stop once the command has exited: a
	 * background process it left behind may hold the pipes open forever.
	 * Without pidfds (old kernel) read to EOF.
	 */
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	while (out[0] >= 0 || err[0] >= 0) {
		struct pollfd p[3] = {
			{ .fd = out[0], .events = POLLIN },
			{ .fd = err[0], .events = POLLIN },
			{ .fd = pidfd, .events = POLLIN },
		};

		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[2].revents) {
			for (i = 0; i < 2; i++) {
				int *fd = i ? &err[0] : &out[0];

				if (*fd < 0)
					continue;
				fcntl(*fd, F_SETFL, O_NONBLOCK);
				copy_out(fd, i ? &sc : NULL, 1);
			}
			break;
		}
		if (p[0].revents)
			copy_out(&out[0], NULL, 0);
		if (p[1].revents)
			copy_out(&err[0], &sc, 0);
	}
	if (sc.curlen)
		scan_line_end(&sc);

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			snprintf(msg, len, "waitpid: %s", strerror(errno));
			goto cleanup;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		ret = 0;
	} else if (sc.error[0] || sc.last[0]) {
		/* what it said on stderr: its first error, else its last word */
		snprintf(msg, len, "%s", sc.error[0] ? sc.error : sc.last);
	} else {
		char why[64];

		describe_status(status, why, sizeof(why));
		snprintf(msg, len, "%s %s", argv[0], why);
	}
cleanup:
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (pidfd >= 0)
		close(pidfd);
	for (i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (err[i] >= 0)
			close(err[i]);
	}
	return ret;
}

static int spawn_daemon(const char *cmd, char *msg, size_t len)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	char *script = NULL, *argv[4];
	int ret = -1, err, i;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	if (asprintf(&script, "exec %s", cmd) < 0) {
		script = NULL;
		snprintf(msg, len, "out of memory");
		goto cleanup;
	}
	argv[0] = NODE_SH;
	argv[1] = "-c";
	argv[2] = script;
	argv[3] = NULL;
	/* its own session, stdout and stderr on the console */
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	spawn_attr_defaults(&at, POSIX_SPAWN_SETSID);
	err = posix_spawn(&pid, argv[0], &fa, &at, argv, node_env);
	if (err) {
		snprintf(msg, len, "cannot execute %s: %s", argv[0],
			 strerror(err));
		goto cleanup;
	}
	for (i = 0; i < MAX_DAEMONS; i++) {
		if (!daemons[i].pid) {
			daemons[i].pid = pid;
			snprintf(daemons[i].cmd, sizeof(daemons[i].cmd), "%s",
				 cmd);
			break;
		}
	}
	ret = 0;
cleanup:
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	free(script);
	return ret;
}

int nodeconf_reaped(pid_t pid, int status)
{
	char why[64];
	int i;

	for (i = 0; i < MAX_DAEMONS; i++) {
		if (daemons[i].pid != pid)
			continue;
		daemons[i].pid = 0;
		describe_status(status, why, sizeof(why));
		node_log("daemon '%s' (pid %d) %s", daemons[i].cmd, (int)pid,
			 why);
		return 1;
	}
	return 0;
}

/* a name without path tricks: no "..", no leading '/', sane characters */
static int safe_relpath(const char *s, const char *extra)
{
	const char *p;

	if (!*s || *s == '/' || strstr(s, ".."))
		return 0;
	for (p = s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("_-.", *p) ||
		    strchr(extra, *p))
			continue;
		return 0;
	}
	return 1;
}

static int apply_hostname(char *rest, bool check, char *msg, size_t len)
{
	char *args[3];
	int n = nodeconf_split(rest, args, 2);

	if (n != 1) {
		snprintf(msg, len, "usage: hostname NAME");
		return -1;
	}
	if (check)
		return 0;
	if (sethostname(args[0], strlen(args[0])) < 0) {
		snprintf(msg, len, "hostname %s: %s", args[0], strerror(errno));
		return -1;
	}
	return 0;
}

static int apply_sysctl(char *rest, bool check, char *msg, size_t len)
{
	char path[256], *key, *p;
	int fd = -1, ret = -1;
	size_t vlen;

	key = cut_word(&rest);
	trim_end(rest);
	if (!key || !*rest) {
		snprintf(msg, len, "usage: sysctl KEY VALUE");
		goto cleanup;
	}
	if (!safe_relpath(key, "/:@")) {
		snprintf(msg, len, "sysctl: bad key '%s'", key);
		goto cleanup;
	}
	/* like sysctl(8): a key with a '/' is a path, keeping its dots */
	if (snprintf(path, sizeof(path), "/proc/sys/%s", key) >=
	    (int)sizeof(path)) {
		snprintf(msg, len, "sysctl: key too long");
		goto cleanup;
	}
	if (check) {
		ret = 0;
		goto cleanup;
	}
	if (!strchr(key, '/')) {
		for (p = path + strlen("/proc/sys/"); *p; p++)
			if (*p == '.')
				*p = '/';
	}
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(msg, len, "sysctl %s: %s", key, strerror(errno));
		goto cleanup;
	}
	/* rest is writable and followed by its NUL: end it with a newline */
	vlen = strlen(rest);
	rest[vlen] = '\n';
	if (write(fd, rest, vlen + 1) < 0) {
		rest[vlen] = '\0';
		snprintf(msg, len, "sysctl %s = %s: %s", key, rest,
			 strerror(errno));
		goto cleanup;
	}
	rest[vlen] = '\0';
	ret = 0;
cleanup:
	if (fd >= 0)
		close(fd);
	return ret;
}

/*
 * link and addr talk rtnetlink directly instead of running ip(8): a program
 * start inside UML costs 30-70 ms, and a router has a few of these lines
 * per interface. Errors carry the kernel's errno text, like ip would say.
 */
struct nlreq {
	struct nlmsghdr nh;
	union {
		struct ifinfomsg ifi;
		struct ifaddrmsg ifa;
	};
	char attrs[128];
};

static void nl_attr(struct nlreq *r, int type, const void *data, int alen)
{
	struct rtattr *rta =
		(struct rtattr *)((char *)r + NLMSG_ALIGN(r->nh.nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(alen);
	memcpy(RTA_DATA(rta), data, alen);
	r->nh.nlmsg_len =
		NLMSG_ALIGN(r->nh.nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

static int nl_talk(struct nlreq *r, const char *what, char *msg, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char buf[1024];
	int fd, ret = -1;
	ssize_t n;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0) {
		snprintf(msg, len, "%s: netlink: %s", what, strerror(errno));
		return -1;
	}
	r->nh.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	r->nh.nlmsg_seq = 1;
	if (sendto(fd, r, r->nh.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0) {
		snprintf(msg, len, "%s: netlink: %s", what, strerror(errno));
		goto cleanup;
	}
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
		snprintf(msg, len, "%s: netlink: no answer", what);
		goto cleanup;
	}
	{
		struct nlmsghdr *h = (struct nlmsghdr *)buf;
		struct nlmsgerr *e = NLMSG_DATA(h);

		if (h->nlmsg_type != NLMSG_ERROR) {
			snprintf(msg, len, "%s: netlink: unexpected answer",
				 what);
			goto cleanup;
		}
		if (e->error) {
			snprintf(msg, len, "%s: %s", what, strerror(-e->error));
			goto cleanup;
		}
	}
	ret = 0;
cleanup:
	close(fd);
	return ret;
}

/* "02:00:00:00:00:01" into 6 bytes */
static int parse_mac(const char *s, unsigned char *mac)
{
	unsigned int b[6];
	char end;
	int i;

	if (strlen(s) != 17 ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &end) != 6)
		return -1;
	for (i = 0; i < 6; i++)
		mac[i] = b[i];
	return 0;
}

static int apply_link(char *rest, bool check, char *msg, size_t len)
{
	struct nlreq r = { 0 };
	char *args[9], what[64];
	int n = nodeconf_split(rest, args, 8), i;
	unsigned int idx, mtu = 0;
	unsigned char mac[6];
	bool bad = n < 1 || !(n & 1);

	/* link IFNAME [name NEW] [address MAC] [mtu N]: one message, so
	 * the rename happens while the interface is still down */
	for (i = 1; !bad && i + 1 < n; i += 2)
		if (!strcmp(args[i], "mtu"))
			bad = !args[i + 1][0] ||
			      args[i + 1][strspn(args[i + 1], "0123456789")];
		else if (!strcmp(args[i], "name"))
			bad = !args[i + 1][0] ||
			      strlen(args[i + 1]) >= IFNAMSIZ;
		else if (!strcmp(args[i], "address"))
			bad = parse_mac(args[i + 1], mac) < 0;
		else
			bad = true;
	if (bad) {
		snprintf(msg, len,
			 "usage: link IFNAME [name NEW] [address MAC] [mtu N]");
		return -1;
	}
	if (check)
		return 0;
	snprintf(what, sizeof(what), "link %s", args[0]);
	idx = if_nametoindex(args[0]);
	if (!idx) {
		snprintf(msg, len, "%s: %s", what, strerror(errno));
		return -1;
	}
	r.nh.nlmsg_len = NLMSG_LENGTH(sizeof(r.ifi));
	r.nh.nlmsg_type = RTM_NEWLINK;
	r.ifi.ifi_family = AF_UNSPEC;
	r.ifi.ifi_index = idx;
	r.ifi.ifi_flags = IFF_UP;
	r.ifi.ifi_change = IFF_UP;
	for (i = 1; i + 1 < n; i += 2) {
		if (!strcmp(args[i], "mtu")) {
			mtu = strtoul(args[i + 1], NULL, 10);
			nl_attr(&r, IFLA_MTU, &mtu, sizeof(mtu));
		} else if (!strcmp(args[i], "name")) {
			nl_attr(&r, IFLA_IFNAME, args[i + 1],
				strlen(args[i + 1]) + 1);
		} else {
			parse_mac(args[i + 1], mac);
			nl_attr(&r, IFLA_ADDRESS, mac, sizeof(mac));
		}
	}
	return nl_talk(&r, what, msg, len);
}

static int apply_addr(char *rest, bool check, char *msg, size_t len)
{
	struct nlreq r = { 0 };
	unsigned char addr[16];
	char *args[4], *slash, *end, what[128];
	int n = nodeconf_split(rest, args, 3), family, alen;
	unsigned int idx;
	long plen;

	if (n != 2 || !(slash = strchr(args[1], '/'))) {
		snprintf(msg, len, "usage: addr IFNAME PREFIX/LEN");
		return -1;
	}
	snprintf(what, sizeof(what), "addr %s %s", args[0], args[1]);
	*slash = '\0';
	family = strchr(args[1], ':') ? AF_INET6 : AF_INET;
	alen = family == AF_INET ? 4 : 16;
	plen = strtol(slash + 1, &end, 10);
	if (inet_pton(family, args[1], addr) != 1 || *end || end == slash + 1 ||
	    plen < 0 || plen > alen * 8) {
		snprintf(msg, len, "%s: not an address with prefix length",
			 what);
		return -1;
	}
	if (check)
		return 0;
	idx = if_nametoindex(args[0]);
	if (!idx) {
		snprintf(msg, len, "%s: %s", what, strerror(errno));
		return -1;
	}
	r.nh.nlmsg_len = NLMSG_LENGTH(sizeof(r.ifa));
	r.nh.nlmsg_type = RTM_NEWADDR;
	r.nh.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	r.ifa.ifa_family = family;
	r.ifa.ifa_prefixlen = plen;
	r.ifa.ifa_index = idx;
	nl_attr(&r, IFA_LOCAL, addr, alen);
	nl_attr(&r, IFA_ADDRESS, addr, alen);
	return nl_talk(&r, what, msg, len);
}

static int apply_route(char *rest, bool check, char *msg, size_t len)
{
	char *args[NODECONF_MAX_ARGS + 1], *argv[NODECONF_MAX_ARGS + 5];
	int n, i, k = 0;

	n = nodeconf_split(rest, args, NODECONF_MAX_ARGS);
	if (n < 1) {
		snprintf(msg, len,
			 n < 0 ? "too many arguments" : "usage: route ARGS...");
		return -1;
	}
	if (check)
		return 0;
	argv[k++] = NODE_IP;
	for (i = 0; i < n; i++) {
		if (strchr(args[i], ':')) {
			argv[k++] = "-6";
			break;
		}
	}
	argv[k++] = "route";
	argv[k++] = "add";
	for (i = 0; i <= n; i++)
		argv[k++] = args[i];
	return node_run(argv, msg, len);
}

static int apply_nft(char *rest, bool check, char *msg, size_t len)
{
	char *args[3], *argv[4], path[512];
	int n = nodeconf_split(rest, args, 2);

	if (n != 1) {
		snprintf(msg, len, "usage: nft FILE");
		return -1;
	}
	if (!safe_relpath(args[0], "/")) {
		snprintf(msg, len, "nft: bad file name '%s'", args[0]);
		return -1;
	}
	if (check)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", NODECONF_MOUNT, args[0]);
	argv[0] = NODE_NFT;
	argv[1] = "-f";
	argv[2] = path;
	argv[3] = NULL;
	return node_run(argv, msg, len);
}

static int apply_run(char *rest, bool check, char *msg, size_t len)
{
	char *argv[4];

	trim_end(rest);
	if (!*rest) {
		snprintf(msg, len, "usage: run CMD...");
		return -1;
	}
	if (check)
		return 0;
	argv[0] = NODE_SH;
	argv[1] = "-c";
	argv[2] = rest;
	argv[3] = NULL;
	return node_run(argv, msg, len);
}

/* mkdir -p of path's parent directory */
static int make_parents(char *path)
{
	char *s;

	for (s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			*s = '/';
			return -1;
		}
		*s = '/';
	}
	return 0;
}

static int apply_file(char *rest, bool check, char *msg, size_t len)
{
	char *args[3], src[512], buf[8192];
	int n = nodeconf_split(rest, args, 2), in = -1, out = -1, ret = -1;
	struct stat st;
	ssize_t r;

	if (n != 2 || args[1][0] != '/') {
		snprintf(msg, len, "usage: file DRIVEFILE /ABSOLUTE/DEST");
		return -1;
	}
	if (!safe_relpath(args[0], "/")) {
		snprintf(msg, len, "file: bad file name '%s'", args[0]);
		return -1;
	}
	if (check)
		return 0;
	snprintf(src, sizeof(src), "%s/%s", NODECONF_MOUNT, args[0]);
	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0 || fstat(in, &st) < 0) {
		snprintf(msg, len, "file %s: %s", src, strerror(errno));
		goto cleanup;
	}
	if (S_ISDIR(st.st_mode)) {
		/* a tree (Kathará's lab/NODE/): laid over DEST */
		char from[600],
			*argv[] = { "/bin/cp", "-a", from, args[1], NULL };

		snprintf(from, sizeof(from), "%s/.", src);
		if (mkdir(args[1], 0755) < 0 && errno != EEXIST) {
			snprintf(msg, len, "file %s: %s", args[1],
				 strerror(errno));
			goto cleanup;
		}
		ret = node_run(argv, msg, len);
		goto cleanup;
	}
	if (make_parents(args[1]) < 0) {
		snprintf(msg, len, "file %s: making its directory: %s", args[1],
			 strerror(errno));
		goto cleanup;
	}
	out = open(args[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		   st.st_mode & 07777);
	if (out < 0) {
		snprintf(msg, len, "file %s: %s", args[1], strerror(errno));
		goto cleanup;
	}
	while ((r = read(in, buf, sizeof(buf))) > 0) {
		if (write(out, buf, r) != r) {
			snprintf(msg, len, "file %s: write: %s", args[1],
				 strerror(errno));
			goto cleanup;
		}
	}
	if (r < 0 || fchmod(out, st.st_mode & 07777) < 0) {
		snprintf(msg, len, "file %s: %s", args[1], strerror(errno));
		goto cleanup;
	}
	ret = 0;
cleanup:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return ret;
}

static int apply_daemon(char *rest, bool check, char *msg, size_t len)
{
	trim_end(rest);
	if (!*rest) {
		snprintf(msg, len, "usage: daemon CMD...");
		return -1;
	}
	if (check)
		return 0;
	return spawn_daemon(rest, msg, len);
}

/* clang-format off */
static const struct {
	const char *keyword;
	int (*apply)(char *rest, bool check, char *msg, size_t len);
} keywords[] = {
	{ "hostname", apply_hostname },
	{ "file", apply_file },
	{ "sysctl", apply_sysctl },
	{ "link", apply_link },
	{ "addr", apply_addr },
	{ "route", apply_route },
	{ "nft", apply_nft },
	{ "run", apply_run },
	{ "daemon", apply_daemon },
};
/* clang-format on */

static int do_line(char *line, bool check, char *msg, size_t len)
{
	char *rest = line, *kw;
	size_t i;

	trim_end(line);
	kw = cut_word(&rest);
	if (!kw || kw[0] == '#')
		return 0;
	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (!strcmp(kw, keywords[i].keyword))
			return keywords[i].apply(rest, check, msg, len);
	snprintf(msg, len, "unknown keyword '%.64s'", kw);
	return -1;
}

int nodeconf_apply_line(char *line, char *msg, size_t len)
{
	return do_line(line, false, msg, len);
}

int nodeconf_check_line(char *line, char *msg, size_t len)
{
	return do_line(line, true, msg, len);
}

int nodeconf_apply_file(const char *path, int *lineno, int *count, char *msg,
			size_t len)
{
	char *line = NULL;
	size_t cap = 0;
	FILE *f = NULL;
	int ret = -1;
	ssize_t n;

	*lineno = 0;
	*count = 0;
	f = fopen(path, "re");
	if (!f) {
		snprintf(msg, len, "cannot open %s: %s", path, strerror(errno));
		goto cleanup;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		++*lineno;
		if ((size_t)n != strlen(line)) {
			snprintf(msg, len, "NUL byte in line");
			goto cleanup;
		}
		if (nodeconf_apply_line(line, msg, len) < 0)
			goto cleanup;
		++*count;
	}
	if (ferror(f)) {
		snprintf(msg, len, "read error on %s", path);
		goto cleanup;
	}
	*lineno = 0;
	ret = 0;
cleanup:
	free(line);
	if (f)
		fclose(f);
	return ret;
}
