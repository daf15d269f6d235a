// SPDX-License-Identifier: GPL-2.0
/*
 * The node's node.conf parser (rootfs/nodeconf.c), linked in from rootfs/:
 * a node.conf text goes line by line through nodeconf_parse_line, each
 * action is written out in one line of what applying it would do, and the
 * whole is compared with what it must be. Bad lines give their error. Then
 * nodeconf_apply_file on lines that only run /bin/sh: the line numbers and
 * counts init reports, and the message a failing program leaves.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <unistd.h>

#include "drive.h"
#include "nodeconf.h"
#include "nodeconf_apply.h"
#include "unit.h"

/* the host refuses a profile line the node would refuse */
_Static_assert(NODECONF_LINE_MAX_WORDS == NODECONF_MAX_ARGS,
	       "drive.h and nodeconf_apply.h disagree on a line's words");

#define OUT_MAX 8192

static void put(char *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void put(char *out, const char *fmt, ...)
{
	size_t n = strlen(out);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out + n, OUT_MAX - n, fmt, ap);
	va_end(ap);
}

/* one line: what the parsed action a will do */
static void show(char *out, const struct nodeconf_action *a)
{
	char addr[INET6_ADDRSTRLEN];
	int i;

	if (!a->kw) {
		put(out, "nothing\n");
		return;
	}
	put(out, "%s:", a->kw->name);
	if (a->name)
		put(out, " name=%s", a->name);
	if (a->value)
		put(out, " value=%s", a->value);
	if (a->path[0])
		put(out, " path=%s", a->path);
	if (a->set_mac)
		put(out, " mac=%02x:%02x:%02x:%02x:%02x:%02x", a->mac[0],
		    a->mac[1], a->mac[2], a->mac[3], a->mac[4], a->mac[5]);
	if (a->set_mtu)
		put(out, " mtu=%u", a->mtu);
	if (a->family) {
		inet_ntop(a->family, a->addr, addr, sizeof(addr));
		put(out, " %s=%s/%d", a->family == AF_INET ? "inet" : "inet6",
		    addr, a->prefixlen);
	}
	if (!strcmp(a->kw->name, "resolv"))
		for (i = 0; a->words[i]; i++)
			put(out, " [%s]", a->words[i]);
	if (a->argv[0]) {
		put(out, " exec");
		for (i = 0; a->argv[i]; i++)
			put(out, " [%s]", a->argv[i]);
	}
	if (a->what[0])
		put(out, " (%s)", a->what);
	put(out, "\n");
}

/* parse text line by line: "action" or "error: msg" per line */
static void parse_text(const char *name, const char *text, const char *want)
{
	char *copy = strdup(text), *line, *save = NULL, msg[256];
	struct nodeconf_action a;
	static char out[OUT_MAX];

	out[0] = '\0';
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		msg[0] = '\0';
		if (nodeconf_parse_line(line, &a, msg, sizeof(msg)) < 0)
			put(out, "error: %s\n", msg[0] ? msg : "(no message)");
		else
			show(out, &a);
	}
	free(copy);
	CHECK_STR(name, out, want);
}

/* one line must be refused with a message containing want */
static void bad(const char *line, const char *want)
{
	char copy[1024], msg[256] = "", name[160];
	struct nodeconf_action a;
	int ret;

	snprintf(copy, sizeof(copy), "%s", line);
	snprintf(name, sizeof(name), "refused: %.100s", line);
	ret = nodeconf_parse_line(copy, &a, msg, sizeof(msg));
	CHECK(name, ret == -1 && strstr(msg, want), "ret %d: %s, want ...%s...",
	      ret, msg, want);
	/* nodeconf_check_line is the same parse */
	snprintf(copy, sizeof(copy), "%s", line);
	msg[0] = '\0';
	ret = nodeconf_check_line(copy, msg, sizeof(msg));
	CHECK("  and nodeconf_check_line agrees",
	      ret == -1 && strstr(msg, want), "ret %d: %s", ret, msg);
}

static void test_parse(void)
{
	char line[1024], want[1024];
	int i;

	parse_text(
		"a router's node.conf",
		"# written by umnet\n"
		"hostname r1\n"
		"link vec0 name eth0 address 02:00:00:00:00:01 mtu 1500\n"
		"link eth1\n"
		"addr eth0 10.1.0.2/24\n"
		"addr eth0 2001:db8::2/64\n"
		"sysctl net.ipv4.ip_forward 1\n"
		"sysctl net/ipv4/conf/eth0.100/rp_filter 0\n"
		"route default via 10.1.0.1\n"
		"route ::/0 via fe80::1 dev eth0\n"
		"nft firewall.nft\n"
		"file bird.conf /etc/bird/bird.conf\n"
		"run echo  hi   there  \n"
		"daemon bird -f -c /etc/bird/bird.conf\n",
		"nothing\n"
		"hostname: name=r1\n"
		"link: name=vec0 value=eth0 mac=02:00:00:00:00:01 mtu=1500 "
		"(link vec0)\n"
		"link: name=eth1 (link eth1)\n"
		"addr: name=eth0 inet=10.1.0.2/24 (addr eth0 10.1.0.2/24)\n"
		"addr: name=eth0 inet6=2001:db8::2/64 "
		"(addr eth0 2001:db8::2/64)\n"
		"sysctl: name=net.ipv4.ip_forward value=1 "
		"path=/proc/sys/net/ipv4/ip_forward\n"
		"sysctl: name=net/ipv4/conf/eth0.100/rp_filter value=0 "
		"path=/proc/sys/net/ipv4/conf/eth0.100/rp_filter\n"
		"route: exec [/sbin/ip] [route] [add] [default] [via] "
		"[10.1.0.1]\n"
		"route: exec [/sbin/ip] [-6] [route] [add] [::/0] [via] "
		"[fe80::1] [dev] [eth0]\n"
		"nft: path=/etc/umnet/firewall.nft exec [/usr/sbin/nft] [-f] "
		"[/etc/umnet/firewall.nft]\n"
		"file: name=/etc/bird/bird.conf path=/etc/umnet/bird.conf\n"
		"run: exec [/bin/sh] [-c] [echo  hi   there]\n"
		"daemon: value=bird -f -c /etc/bird/bird.conf\n");

	parse_text("blank lines, comments and whitespace",
		   "   \t \n"
		   "#hostname x\n"
		   "   # indented comment\n"
		   "\thostname\t r2 \t\r\n"
		   "link  vec0   mtu\t9000\n"
		   "hostname x # not a comment here\n",
		   "nothing\n"
		   "nothing\n"
		   "nothing\n"
		   "hostname: name=r2\n"
		   "link: name=vec0 mtu=9000 (link vec0)\n"
		   "error: usage: hostname NAME\n");

	parse_text(
		"a bad line gives its error, the next line parses",
		"link vec0 mtu x\nhostname r3\n",
		"error: usage: link IFNAME [name NEW] [address MAC] [mtu N]\n"
		"hostname: name=r3\n");

	parse_text("resolv: the node's nameservers",
		   "resolv 10.0.0.53\nresolv 10.0.0.53 fd00::53  192.0.2.1\n",
		   "resolv: [10.0.0.53]\n"
		   "resolv: [10.0.0.53] [fd00::53] [192.0.2.1]\n");
	bad("resolv", "usage: resolv ADDR... (1 to 3)");
	bad("resolv 10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4",
	    "usage: resolv ADDR... (1 to 3)");
	bad("resolv dns.example", "resolv: 'dns.example' is not an address");
	bad("resolv 10.0.0.53/32", "resolv: '10.0.0.53/32' is not an address");
	bad("hostname", "usage: hostname NAME");
	bad("hostname a b", "usage: hostname NAME");
	bad("sysctl", "usage: sysctl KEY VALUE");
	bad("sysctl a.b", "usage: sysctl KEY VALUE");
	bad("sysctl ../x 1", "sysctl: bad key '../x'");
	bad("sysctl /kernel/x 1", "sysctl: bad key");
	bad("sysctl a$b 1", "sysctl: bad key");
	bad("link", "usage: link");
	bad("link vec0 mtu", "usage: link");
	bad("link vec0 mtu x", "usage: link");
	bad("link vec0 mtu -1", "usage: link");
	bad("link vec0 mtu 4294967296", "usage: link");
	bad("link vec0 colour red", "usage: link");
	bad("link vec0 name abcdefghijklmnop", "usage: link");
	bad("link vec0 address 02:00:00:00:00:0g", "usage: link");
	bad("link vec0 address 02:00:00:00:00:01:", "usage: link");
	bad("link vec0 mtu 1 mtu 2 mtu 3 mtu 4", "usage: link");
	bad("addr vec0", "usage: addr IFNAME PREFIX/LEN");
	bad("addr vec0 10.1.0.2", "usage: addr IFNAME PREFIX/LEN");
	bad("addr vec0 10.1.0.2/24 extra", "usage: addr");
	bad("addr vec0 10.1.0.2/33",
	    "addr vec0 10.1.0.2/33: not an address with prefix length");
	bad("addr vec0 10.1.0.2/", "not an address with prefix length");
	bad("addr vec0 10.1.0.2/24x", "not an address with prefix length");
	bad("addr vec0 10.1.0.2/-1", "not an address with prefix length");
	bad("addr vec0 zz::1/64", "not an address with prefix length");
	bad("addr vec0 2001:db8::1/129", "not an address with prefix length");
	bad("route", "usage: route ARGS...");
	bad("nft", "usage: nft FILE");
	bad("nft a b", "usage: nft FILE");
	bad("nft /etc/shadow", "nft: bad file name '/etc/shadow'");
	bad("nft ../x", "nft: bad file name");
	bad("nft a/../../x", "nft: bad file name");
	bad("nft a;b", "nft: bad file name");
	bad("file a relative", "usage: file DRIVEFILE /ABSOLUTE/DEST");
	bad("file a", "usage: file");
	bad("file ../x /y", "file: bad file name '../x'");
	bad("run", "usage: run CMD...");
	bad("run \t ", "usage: run CMD...");
	bad("daemon", "usage: daemon CMD...");
	bad("daemon \t", "usage: daemon CMD...");
	bad("frobnicate x",
	    "unknown keyword 'frobnicate' (known: hostname file sysctl resolv link "
	    "addr route nft run daemon)");
	bad("Hostname r1", "unknown keyword 'Hostname'");

	/* the limits: route takes NODECONF_MAX_ARGS words, not one more */
	strcpy(line, "route");
	for (i = 0; i < NODECONF_MAX_ARGS; i++)
		strcat(line, " x");
	strcpy(want, line);
	{
		struct nodeconf_action a;
		char msg[256] = "";
		int ret = nodeconf_parse_line(line, &a, msg, sizeof(msg));

		CHECK("route with NODECONF_MAX_ARGS words",
		      ret == 0 && a.argv[3 + NODECONF_MAX_ARGS - 1] &&
			      !a.argv[3 + NODECONF_MAX_ARGS],
		      "ret %d: %s", ret, msg);
	}
	strcat(want, " x");
	bad(want, "too many arguments");
	/* a name that does not fit a path is refused, not cut */
	memset(line, 'a', 600);
	line[600] = '\0';
	snprintf(want, sizeof(want), "nft %s", line);
	bad(want, "nft: file name too long");
	snprintf(want, sizeof(want), "file %s /x", line);
	bad(want, "file: file name too long");
	snprintf(want, sizeof(want), "sysctl %s 1", line);
	bad(want, "sysctl: key too long");
}

static void test_split(void)
{
	char line[] = "  a\tb   c \n", more[] = "a b c d", *w[4];

	CHECK_INT("nodeconf_split counts words", nodeconf_split(line, w, 3), 3);
	CHECK("  and cuts them at spaces and tabs, NULL after the last",
	      !strcmp(w[0], "a") && !strcmp(w[1], "b") && !strcmp(w[2], "c") &&
		      !w[3],
	      "%s|%s|%s", w[0], w[1], w[2]);
	CHECK_INT("nodeconf_split: more than max words",
		  nodeconf_split(more, w, 3), -E2BIG);
}

/* nodeconf_apply_file over text; returns its result, fills the rest */
static int apply_bytes(const char *text, ssize_t n, int *lineno, int *count,
		       char *msg, size_t len)
{
	char path[] = "/tmp/umnet-nodeconf.XXXXXX";
	int fd = mkstemp(path), ret;

	if (fd < 0 || write(fd, text, n) != n) {
		snprintf(msg, len, "scratch file: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -2;
	}
	close(fd);
	msg[0] = '\0';
	ret = nodeconf_apply_file(path, lineno, count, msg, len);
	unlink(path);
	return ret;
}

static int apply_text(const char *text, int *lineno, int *count, char *msg,
		      size_t len)
{
	return apply_bytes(text, strlen(text), lineno, count, msg, len);
}

static void test_apply_file(void)
{
	char msg[256];
	int lineno = -1, count = -1, ret;

	ret = apply_text("# c\n\nrun true\n", &lineno, &count, msg,
			 sizeof(msg));
	CHECK("apply: a file that runs true",
	      ret == 0 && lineno == 0 && count == 3,
	      "ret %d line %d count %d: %s", ret, lineno, count, msg);
	ret = apply_text("run true\nrun true\nrun exit 3\nrun true\n", &lineno,
			 &count, msg, sizeof(msg));
	CHECK("apply: stops at the failing line, counts what was applied",
	      ret == -1 && lineno == 3 && count == 2 &&
		      !strcmp(msg, "/bin/sh exited with status 3"),
	      "ret %d line %d count %d: %s", ret, lineno, count, msg);
	ret = apply_text("run echo one >&2; echo 'two: error here' >&2; "
			 "echo three >&2; exit 1\n",
			 &lineno, &count, msg, sizeof(msg));
	CHECK("apply: the message is the first stderr line with \"error\"",
	      ret == -1 && lineno == 1 && !strcmp(msg, "two: error here"),
	      "ret %d line %d: %s", ret, lineno, msg);
	ret = apply_text("run echo one >&2; echo '  last  ' >&2; exit 1\n",
			 &lineno, &count, msg, sizeof(msg));
	CHECK("apply: else its last stderr line, trimmed",
	      ret == -1 && !strcmp(msg, "last"), "ret %d: %s", ret, msg);
	ret = apply_text("run true\nbogus\n", &lineno, &count, msg,
			 sizeof(msg));
	CHECK("apply: a bad line is reported with its number before running",
	      ret == -1 && lineno == 2 && count == 1 &&
		      strstr(msg, "unknown keyword 'bogus'"),
	      "ret %d line %d count %d: %s", ret, lineno, count, msg);
	ret = apply_bytes("run true\nrun tr\0ue\n", 19, &lineno, &count, msg,
			  sizeof(msg));
	CHECK("apply: a NUL byte in a line is refused, not cut",
	      ret == -1 && lineno == 2 && count == 1 &&
		      !strcmp(msg, "NUL byte in line"),
	      "ret %d line %d count %d: %s", ret, lineno, count, msg);
	ret = nodeconf_apply_file("/nonexistent/node.conf", &lineno, &count,
				  msg, sizeof(msg));
	CHECK("apply: a missing file is line 0 with its reason",
	      ret == -1 && lineno == 0 && count == 0 &&
		      !strcmp(msg, "cannot open /nonexistent/node.conf: No "
				   "such file or directory"),
	      "ret %d line %d: %s", ret, lineno, msg);
}

int main(void)
{
	/* the programs run write to fd 1 directly: keep the order */
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_split();
	test_parse();
	test_apply_file();
	UNIT_DONE();
}
