// SPDX-License-Identifier: GPL-2.0
/*
 * Profile parser, canonical printer, UML command line and host plan
 * rendering, on the shipped profiles and on tests/profiles/bad/NN-*.profile
 * (each starts with "# expect: <file:line: message prefix>").
 * Run from the top of the source tree.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "hostplan.h"
#include "drive.h"
#include "profile.h"
#include "profile_int.h"
#include "supervisor.h"
#include "profile_unit.h"
#include "transport.h"
#include "unit.h"

static struct profile p, q;

static void roundtrip(const char *path)
{
	struct strbuf a = { 0 }, b = { 0 };
	struct err e = { "" };
	char name[128];
	int ret;

	ret = profile_parse(path, &p, &e);
	snprintf(name, sizeof(name), "parse %s", path);
	CHECK(name, ret == 0, "%s", e.msg);
	if (ret)
		return;
	profile_print(&p, &a);
	ret = profile_parse_string(path, sb_str(&a), &q, &e);
	snprintf(name, sizeof(name), "reparse canonical form of %s", path);
	CHECK(name, ret == 0, "%s\n%s", e.msg, sb_str(&a));
	profile_print(&q, &b);
	snprintf(name, sizeof(name), "canonical form of %s is stable", path);
	CHECK_STR(name, sb_str(&b), sb_str(&a));
	sb_free(&a);
	sb_free(&b);
}

/*
 * configs/router.profile (into p) as uml_argv renders it, its state
 * directory umldir, the rest of its state in /S/r1
 */
static int router_argv(const char *umldir, struct argv *a, struct err *e)
{
	struct node_paths np = { 0 };

	if (profile_parse("configs/router.profile", &p, e))
		return -1;
	strcpy(np.umldir, umldir);
	strcpy(np.drive, "/S/r1/config.img");
	strcpy(np.notify, "/S/r1/notify.sock");
	return uml_argv(&p, &np, "/K/linux", "/R/rootfs.img", "/S/r1/root.cow",
			0, a);
}

static void router(void)
{
	struct strbuf sb = { 0 };
	struct plan plan = { 0 };
	struct argv a = { 0 };
	struct err e = { "" };

	if (profile_parse("configs/router.profile", &p, &e))
		return;
	CHECK_STR("router: name", p.name, "r1");
	CHECK_INT("router: two interfaces", p.nifaces, 2);
	CHECK_INT("router: forwarding", p.forwarding, 1);
	CHECK_INT("router: mem", p.mem_mb, 64);

	CHECK_INT("router: uml_argv", router_argv("/S/r1/uml", &a, &e), 0);
	CHECK_INT("router: argv_check", argv_check(&a, &e), 0);
	uml_cmdline(&a, &sb);
	CHECK_STR(
		"router: UML command line", sb_str(&sb),
		"/K/linux mem=64M umid=r1 uml_dir=/S/r1/uml "
		"ubd0=/S/r1/root.cow,/R/rootfs.img ubd1r=/S/r1/config.img "
		"root=/dev/ubda rw loglevel=4 con=null con0=null,fd:1 con1=pts con2=pts "
		"ssl=null mconsole=notify:/S/r1/notify.sock "
		"vec0:transport=raw,ifname=r1-u0,depth=128,gro=1 "
		"vec1:transport=raw,ifname=r1-u1,depth=128,gro=1");
	argv_free(&a);

	sb.len = 0;
	for (int i = 0; i < p.nifaces; i++)
		p.ifaces[i].transport->host_plan(&p, &p.ifaces[i], &plan, &e);
	plan_print(&plan, &sb);
	CHECK_STR("router: host plan as ip(8) commands", sb_str(&sb),
		  "ip netns add lan0\n"
		  "ip link add r1-u0 type veth peer name r1-h0\n"
		  "ip link set r1-u0 up\n"
		  "ip link set r1-h0 netns lan0\n"
		  "ip -n lan0 addr add 10.1.0.1/24 dev r1-h0\n"
		  "ip -n lan0 link set r1-h0 up\n"
		  "ip -n lan0 route add 10.2.0.0/24 via 10.1.0.2\n"
		  "ip netns add lan1\n"
		  "ip link add r1-u1 type veth peer name r1-h1\n"
		  "ip link set r1-u1 up\n"
		  "ip link set r1-h1 netns lan1\n"
		  "ip -n lan1 addr add 10.2.0.1/24 dev r1-h1\n"
		  "ip -n lan1 link set r1-h1 up\n"
		  "ip -n lan1 route add 10.1.0.0/24 via 10.2.0.2\n");
	plan_free(&plan);
	sb_free(&sb);
}

/* text parses as t.profile into p: a check named name */
static bool parses(const char *name, const char *text)
{
	struct err e = { "" };
	int ret = profile_parse_string("t.profile", text, &p, &e);

	CHECK(name, ret == 0, "%s", e.msg);
	return ret == 0;
}

/* the host plan of p's first interface as printed, uid and gid 0 */
static const char *tap_host_plan(struct strbuf *sb)
{
	struct plan plan = { 0 };
	struct err e = { "" };

	p.ifaces[0].transport->host_plan(&p, &p.ifaces[0], &plan, &e);
	for (int i = 0; i < plan.n; i++)
		plan.acts[i].uid = plan.acts[i].gid = 0;
	sb->len = 0;
	plan_print(&plan, sb);
	plan_free(&plan);
	return sb_str(sb);
}

static void tap_plan(void)
{
	static const char *text =
		"[appliance]\nname = t1\n"
		"[interface vec3]\ntransport = tap\n"
		"ifname = t1-t0\nhost = tap\n"
		"host-address = fd00::1/64\naddress = fd00::2/64\n"
		"host-route = fd01::/64 via fd00::2\n";
	static const struct refused tap_bad[] = {
		{ "host-bridge without host = tap is refused",
		  "transport = tap\nifname = a\nhost-bridge = br0\n",
		  "t.profile:2: vec0: host-ifname, host-netns" },
		{ "tap: host-netns is refused with the reason",
		  "transport = tap\nifname = a\nhost = tap\nhost-netns = x\n",
		  "t.profile:5: vec0: host-netns does not work with transport = tap" },
	};
	struct strbuf sb = { 0 };

	if (!parses("tap profile parses", text))
		return;
	CHECK_STR("tap: host plan", tap_host_plan(&sb),
		  "ip tuntap add dev t1-t0 mode tap user 0 group 0\n"
		  "ip addr add fd00::1/64 dev t1-t0\n"
		  "ip link set t1-t0 up\n"
		  "ip route add fd01::/64 via fd00::2\n");
	sb.len = 0;
	transport_render(&p, &p.ifaces[0], NULL, &sb);
	CHECK_STR("tap: vec string", sb_str(&sb),
		  "vec3:transport=tap,ifname=t1-t0,gro=1");
	if (parses("tap with host-bridge parses",
		   "[appliance]\nname = t2\n[interface vec0]\n"
		   "transport = tap\nifname = t2-t0\nhost = tap\n"
		   "host-bridge = br0\n"))
		CHECK_STR("tap: host-bridge joins the bridge after up",
			  tap_host_plan(&sb),
			  "ip tuntap add dev t2-t0 mode tap user 0 group 0\n"
			  "ip link set t2-t0 up\n"
			  "ip link set t2-t0 master br0\n");
	unit_refused("t.profile", "[appliance]\n[interface vec0]\n", tap_bad,
		     ARRAY_SIZE(tap_bad));
	sb_free(&sb);
}

static int parse_bad(const char *path, char *msg, size_t len)
{
	struct err e = { "" };
	int ret = profile_parse(path, &p, &e);

	snprintf(msg, len, "%s", e.msg);
	return ret;
}

static void bad_profiles(void)
{
	unit_bad_files("tests/profiles/bad", ".profile", parse_bad);
}

static int check_args(const char *const *args, struct err *e)
{
	struct argv a = { 0 };
	int n = 0, ret;

	while (args[n])
		n++;
	a.v = (char **)args;
	a.n = n;
	e->msg[0] = '\0';
	ret = argv_check(&a, e);
	return ret;
}

/* argv_check: the invariant on the final UML argv */
static void argv_invariant(void)
{
	static const char *const ok[] = { "/K/linux",
					  "mem=64M",
					  "umid=r1",
					  "ubd0=/S/r1/root.cow,/R/rootfs.img",
					  "con0=null,fd:1",
					  "vec0:transport=raw,ifname=a,gro=1",
					  NULL };
	static const char *const tab[] = {
		"/K/linux", "vec0:transport=raw,bpffile=/x\tubd2=/etc/shadow",
		NULL
	};
	static const char *const dash[] = { "/K/linux", "--help", NULL };
	static const char *const quote[] = { "/K/linux", "uml_dir=/a\"b",
					     NULL };
	static const char *const colon[] = { "/K/linux",
					     "ubd0=/a:/etc/shadow,/R/rootfs",
					     NULL };
	static const char *const three[] = { "/K/linux", "ubd0=/a,/b,/c",
					     NULL };
	static const char *const eq[] = { "/K/linux",
					  "vec0:transport=raw,bpffile=/a=b",
					  NULL };
	static const char *const empty[] = { "/K/linux", "", NULL };
	static const char *const nel[] = { "/K/linux", "mem=64M\n", NULL };
	const char *many[4] = { "/K/linux", NULL, NULL, NULL };
	const char *big[8] = { "/K/linux" };
	char vec[1024], longarg[2100];
	struct strbuf sb = { 0 };
	struct argv a = { 0 };
	struct err e;
	int i, ret;

	CHECK_INT("argv_check: a normal command line", check_args(ok, &e), 0);
	ret = check_args(tab, &e);
	CHECK("argv_check: a tab is refused, shown escaped",
	      ret == -EINVAL && strstr(e.msg, "bpffile=/x\\tubd2") &&
		      strstr(e.msg, "contains a tab"),
	      "%d %s", ret, e.msg);
	ret = check_args(dash, &e);
	CHECK("argv_check: an argument starting with '-' is refused",
	      ret && strstr(e.msg, "does not start with a letter or digit"),
	      "%d %s", ret, e.msg);
	ret = check_args(quote, &e);
	CHECK("argv_check: a quote is refused",
	      ret && strstr(e.msg, "contains a quote"), "%d %s", ret, e.msg);
	ret = check_args(colon, &e);
	CHECK("argv_check: ':' in ubd0= is refused",
	      ret && strstr(e.msg, "contains ':'"), "%d %s", ret, e.msg);
	ret = check_args(three, &e);
	CHECK("argv_check: ubd0= with three files is refused",
	      ret && strstr(e.msg, "more than FILE,BACKING"), "%d %s", ret,
	      e.msg);
	ret = check_args(eq, &e);
	CHECK("argv_check: a second '=' in a vecN option is refused",
	      ret && strstr(e.msg, "not key=value"), "%d %s", ret, e.msg);
	CHECK("argv_check: an empty argument is refused",
	      check_args(empty, &e) != 0, "accepted");
	CHECK("argv_check: a newline is refused", check_args(nel, &e) != 0,
	      "accepted");
	strcpy(vec, "vec1:transport=raw");
	for (i = 0; i < 20; i++)
		sprintf(vec + strlen(vec), ",k%d=1", i);
	many[1] = vec;
	ret = check_args(many, &e);
	CHECK("argv_check: 21 vecN options are refused (MAXVARGS 20)",
	      ret && strstr(e.msg,
			    "has 21 options: the kernel reads at most 20"),
	      "%d %s", ret, e.msg);
	memset(longarg, 'a', sizeof(longarg) - 1);
	longarg[sizeof(longarg) - 1] = '\0';
	big[1] = longarg;
	big[2] = longarg;
	ret = check_args(big, &e);
	CHECK("argv_check: a command line past 4096 bytes is refused",
	      ret == -E2BIG && strstr(e.msg, "at most 4095"), "%d %s", ret,
	      e.msg);

	/* a state directory with a space (XDG_RUNTIME_DIR): uml_argv output */
	CHECK_INT("argv_check: uml_argv",
		  router_argv("/run/user/my dir/umnet/r1/uml", &a, &e), 0);
	ret = argv_check(&a, &e);
	CHECK("argv_check: a state directory with a space is refused",
	      ret && strstr(e.msg, "uml_dir=/run/user/my dir/umnet/r1/uml") &&
		      strstr(e.msg, "contains a space"),
	      "%d %s", ret, e.msg);
	argv_free(&a);
	sb_free(&sb);
}

/* tx_session = 0xffff (the HowTo's example) is what the kernel reads */
static void hex_sessions(void)
{
	struct strbuf sb = { 0 };
	struct plan plan = { 0 };
	struct node_paths np = { 0 };
	struct err e = { "" };
	int ret;

	ret = profile_parse("tests/profiles/good/l2tpv3-hex.profile", &p, &e);
	CHECK("l2tpv3-hex.profile: tx_session = 0xffff is accepted", ret == 0,
	      "%s", e.msg);
	if (ret)
		return;
	ret = transport_render(&p, &p.ifaces[0], &np, &sb);
	CHECK_STR(
		"l2tpv3-hex.profile: rendered for the kernel (base 0)",
		sb_str(&sb),
		"vec0:transport=l2tpv3,udp=1,src=192.168.1.2,dst=192.168.1.1,"
		"srcport=1706,dstport=1707,rx_session=0xffff,"
		"tx_session=0xffff,rx_cookie=0x12345678,tx_cookie=0x12345678");
	CHECK_INT("l2tpv3-hex.profile: the session as the kernel reads it",
		  (long long)iface_num(&p.ifaces[0], "tx_session"), 65535);
	CHECK_INT("l2tpv3-hex.profile: the cookie as the kernel reads it",
		  (long long)iface_num(&p.ifaces[0], "rx_cookie"), 0x12345678);
	plan_free(&plan);
	sb_free(&sb);
	roundtrip("tests/profiles/good/l2tpv3-hex.profile");
}

static void misc(void)
{
	static const struct refused misc_bad[] = {
		{ "veth ends must differ",
		  "transport = raw\nifname = a\nhost = veth\nhost-ifname = a\n",
		  "x.profile:5:" },
		{ "unknown key without a close match has no hint",
		  "transport = raw\nifname = a\nsrc_port = 1\n",
		  "x.profile:5: raw: unknown key \"src_port\"" },
		{ "host-route families must match",
		  "transport = raw\nifname = a\nhost = veth\nhost-ifname = b\n"
		  "host-route = 10.0.0.0/8 via fd00::1\n",
		  "x.profile:7:" },
		{ "one host interface per vec",
		  "transport = tap\nifname = a\n[interface vec1]\n"
		  "transport = tap\nifname = a\n",
		  "x.profile:5:" },
	};
	struct err e = { "" };
	int ret;

	ret = profile_parse_string(
		"x.profile",
		"[appliance]\nmem = 1G\nforwarding = no # c\n"
		"sysctl = net.ipv4.conf.all.rp_filter=0\n",
		&p, &e);
	CHECK("name defaults to the file name",
	      ret == 0 && !strcmp(p.name, "x"), "%s / %s", e.msg, p.name);
	CHECK_INT("mem = 1G is 1024 MiB", p.mem_mb, 1024);
	ret = profile_parse_string("x.profile", "name = a\n", &p, &e);
	CHECK("key outside a section is an error",
	      ret && strstr(e.msg, "x.profile:1:"), "%s", e.msg);
	unit_refused("x.profile", "[appliance]\n[interface vec0]\n", misc_bad,
		     ARRAY_SIZE(misc_bad));
}

/*
 * rename = lines survive the canonical form (the profile a node saves, that
 * umnet status, --dry-run and lab export print): parse, print, parse again
 * (roundtrip leaves them in p and q) gives the same renames, MAC or none.
 */
static void renames_roundtrip(void)
{
	bool same;
	int i;

	memset(&q, 0, sizeof(q));
	roundtrip("tests/unit/data/renames.profile");
	same = p.nrenames == 2 && q.nrenames == p.nrenames;
	for (i = 0; same && i < p.nrenames; i++)
		same = q.renames[i].vec == p.renames[i].vec &&
		       !strcmp(q.renames[i].name, p.renames[i].name) &&
		       !strcmp(q.renames[i].mac, p.renames[i].mac);
	CHECK("renames: parse, print, parse gives the same two renames", same,
	      "%d, then %d renames", p.nrenames, q.nrenames);
}

/* the [appliance] keys beyond the basics, and what they become */
static void more_keys(void)
{
	struct strbuf sb = { 0 };
	struct plan plan = { 0 };
	struct err e = { "" };
	int ret;

	roundtrip("tests/unit/data/keys.profile");
	if (profile_parse("tests/unit/data/keys.profile", &p, &e))
		return;
	CHECK_STR("hostname", p.hostname, "k1");
	CHECK_STR("netns", p.netns, "keys-ns");
	CHECK_INT("two loopbacks", p.nloopbacks, 2);
	CHECK_INT("one file", p.nfiles, 1);
	CHECK("file source is absolute",
	      p.files[0].src[0] == '/' &&
		      strstr(p.files[0].src, "/configs/firewall.nft"),
	      "%s", p.files[0].src);
	CHECK_STR("file destination", p.files[0].dst, "/etc/nftables.conf");
	CHECK_INT("one daemon", p.ndaemons, 1);
	drive_nodeconf(&p, &sb, NULL, 0);
	CHECK("node.conf: hostname from hostname =",
	      strstr(sb_str(&sb), "hostname k1\n"), "%s", sb_str(&sb));
	CHECK("node.conf: the file comes first",
	      strstr(sb_str(&sb),
		     "hostname k1\nfile files/0 /etc/nftables.conf\n"),
	      "%s", sb_str(&sb));
	CHECK("node.conf: loopbacks",
	      strstr(sb_str(&sb),
		     "addr lo 10.255.0.9/32\naddr lo fd00:255::9/128\n"),
	      "%s", sb_str(&sb));
	CHECK_INT("two nameservers", p.nnameservers, 2);
	CHECK("node.conf: the nameservers after the files, on one line",
	      strstr(sb_str(&sb), "file files/0 /etc/nftables.conf\n"
				  "resolv 192.0.2.53 2001:db8::53\n"),
	      "%s", sb_str(&sb));
	CHECK("node.conf: daemon last",
	      strstr(sb_str(&sb), "run echo hello\ndaemon sleep 1000\n"), "%s",
	      sb_str(&sb));
	sb_free(&sb);
	/* a node run in a netns: the netns is made first, the host side there */
	strcpy(p.ifaces[0].host_netns, "");
	ret = profile_plan(&p, &plan, &e);
	CHECK("plan with netns", ret == 0 && plan.n >= 1, "%s", e.msg);
	if (!ret && plan.n)
		CHECK("netns is created first",
		      plan.acts[0].kind == ACT_NETNS_ADD &&
			      !strcmp(plan.acts[0].netns, "keys-ns"),
		      "kind %d netns %s", plan.acts[0].kind,
		      plan.acts[0].netns);
	plan_free(&plan);

	ret = profile_parse_string(
		"x.profile", "[appliance]\nfile = nosuchfile /etc/x\n", &p, &e);
	CHECK("file: a missing source is named",
	      ret && strstr(e.msg, "x.profile:2:") &&
		      strstr(e.msg, "nosuchfile"),
	      "%s", e.msg);
	ret = profile_parse_string(
		"x.profile", "[appliance]\nfile = x.profile etc/x\n", &p, &e);
	CHECK("file: the destination must be absolute",
	      ret && strstr(e.msg, "x.profile:2:") && strstr(e.msg, "absolute"),
	      "%s", e.msg);
	ret = profile_parse_string("x.profile", "[appliance]\nnetns = a/b\n",
				   &p, &e);
	CHECK("netns: a bad name is refused",
	      ret && strstr(e.msg, "x.profile:2:"), "%s", e.msg);
	ret = profile_parse_string(
		"x.profile", "[appliance]\nloopback = 10.1.1.1\n", &p, &e);
	CHECK("loopback needs a prefix length",
	      ret && strstr(e.msg, "x.profile:2:"), "%s", e.msg);
}

/* the guest's preset loops_per_jiffy from host BogoMIPS and CONFIG_HZ */
static void lpj(void)
{
	const char *cpu = "processor\t: 0\nbogomips\t: 4890.86\nflags\t: fpu\n";
	const char *cfg = "#\nCONFIG_HZ_100=y\nCONFIG_HZ=100\nCONFIG_X=y\n";

	CHECK_INT("lpj: 4890.86 BogoMIPS at HZ=100", (long)lpj_from(cpu, cfg),
		  24454300);
	CHECK_INT("lpj: HZ=1000", (long)lpj_from(cpu, "\nCONFIG_HZ=1000\n"),
		  2445430);
	CHECK_INT("lpj: no bogomips line",
		  (long)lpj_from("processor: 0\n", cfg), 0);
	CHECK_INT("lpj: no CONFIG_HZ",
		  (long)lpj_from(cpu, "\nCONFIG_HZ_100=y\n"), 0);
	CHECK_INT("lpj: garbage", (long)lpj_from("\nbogomips : x\n", cfg), 0);
	CHECK_INT("lpj: missing files", (long)lpj_from(NULL, cfg), 0);
	CHECK_INT("lpj: a kernel without a .config beside it",
		  (long)host_lpj("/nonexistent/linux"), 0);

	/* the kernel cache's layout: DIR/linux and DIR/config */
	char dir[] = "/tmp/umnet-lpj.XXXXXX", path[64];
	unsigned long want;
	char *cpuinfo = NULL;
	size_t len;

	if (!mkdtemp(dir) || read_file("/proc/cpuinfo", &cpuinfo, &len)) {
		CHECK("lpj: scratch dir and /proc/cpuinfo", 0, "%m");
		return;
	}
	snprintf(path, sizeof(path), "%s/config", dir);
	write_file(path, cfg, strlen(cfg), 0644);
	want = lpj_from(cpuinfo, cfg);
	CHECK("lpj: this host's /proc/cpuinfo has BogoMIPS", want > 0,
	      "no bogomips line");
	snprintf(path, sizeof(path), "%s/linux", dir);
	CHECK_INT("lpj: config in the kernel's directory", (long)host_lpj(path),
		  (long)want);
	snprintf(path, sizeof(path), "%s/config", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/linux.config", dir);
	write_file(path, cfg, strlen(cfg), 0644);
	snprintf(path, sizeof(path), "%s/linux", dir);
	CHECK_INT("lpj: KERNEL.config beside the kernel", (long)host_lpj(path),
		  (long)want);
	snprintf(path, sizeof(path), "%s/linux.config", dir);
	unlink(path);
	rmdir(dir);
	free(cpuinfo);
}

/* the "known: ..." hints come from the key tables (profile_int.h) */
static void key_hints(void)
{
	const struct profile_key *t;
	struct err e = { "" };
	char text[128], name[128];
	int ret, nkeys = 0;

	ret = profile_parse_string("x.profile", "[appliance]\nnmae = a\n", &p,
				   &e);
	CHECK_INT("unknown [appliance] key fails", ret, -EINVAL);
	CHECK_STR(
		"unknown [appliance] key: the hint lists the table", e.msg,
		"x.profile:2: [appliance]: unknown key \"nmae\" (known: name, hostname, netns, mem, forwarding, loopback, file, xdp, tc-bpf, route, nameserver, sysctl, run, daemon, disk, image, rename)");
	ret = profile_parse_string(
		"x.profile", "[appliance]\n[firewall]\nrules = a\n", &p, &e);
	CHECK_STR(
		"unknown [firewall] key: the hint lists the table", e.msg,
		"x.profile:3: [firewall]: unknown key \"rules\" (known: ruleset)");
	/* every key the hint names is one the parser takes */
	for (t = profile_appliance_keys; t->name || t->print; t++) {
		if (!t->name)
			continue;
		nkeys++;
		snprintf(text, sizeof(text), "[appliance]\n%s = \x01\n",
			 t->name);
		e.msg[0] = '\0';
		profile_parse_string("x.profile", text, &p, &e);
		snprintf(name, sizeof(name), "[appliance] %s is parsed",
			 t->name);
		CHECK(name, !strstr(e.msg, "unknown key"), "%s", e.msg);
	}
	CHECK_INT("[appliance] has 17 keys", nkeys, 17);
	/* interface keys by table, the rest to the transport */
	ret = profile_parse_string(
		"x.profile",
		"[appliance]\n[interface vec0]\ntransport = raw\n"
		"ifname = a\nhost = bogus\n",
		&p, &e);
	CHECK_STR(
		"[interface] host = is parsed by its entry", e.msg,
		"x.profile:5: host = bogus: must be veth, tap, gretap, l2tp, wire or none");
}

int main(void)
{
	key_hints();
	lpj();
	more_keys();
	renames_roundtrip();
	roundtrip("configs/router.profile");
	roundtrip("configs/firewall.profile");
	router();
	tap_plan();
	bad_profiles();
	hex_sessions();
	argv_invariant();
	misc();
	UNIT_DONE();
}
