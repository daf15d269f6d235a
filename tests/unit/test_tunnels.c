// SPDX-License-Identifier: GPL-2.0
/*
 * The gre and l2tpv3 transports: profiles that must parse and the vecN:
 * strings they render, profiles that must fail and the file:line text of
 * their errors, and the canonical form round trip. The bad-profile files
 * tests/profiles/bad/3x-gre-*, 4x-l2tpv3-* are checked by test_profile.
 */
#include "plan.h"
#include "profile.h"
#include "transport.h"
#include "unit.h"

static struct profile p, q;

/* "[appliance]\nname = t\n\n[interface vec0]\n" then body: line 5 on */
static int parse(const char *body, struct err *e)
{
	char text[2048];

	snprintf(text, sizeof(text),
		 "[appliance]\nname = t\n\n[interface vec0]\n%s", body);
	e->msg[0] = '\0';
	return profile_parse_string("t.profile", text, &p, e);
}

/* parse, and check that it parsed (name): true when it did */
static bool parsed(const char *name, const char *body)
{
	struct err e;
	int ret = parse(body, &e);

	CHECK(name, ret == 0, "rejected: %s", e.msg);
	return ret == 0;
}

static void good(const char *name, const char *body, const char *want)
{
	struct node_paths np = { 0 };
	struct strbuf sb = { 0 }, a = { 0 }, b = { 0 };
	struct err e;
	int ret;

	if (!parsed(name, body))
		return;
	ret = transport_render(&p, &p.ifaces[0], &np, &sb);
	CHECK_INT("  renders", ret, 0);
	CHECK_STR("  vec string", sb_str(&sb), want);
	profile_print(&p, &a);
	ret = profile_parse_string("t.profile", sb_str(&a), &q, &e);
	CHECK("  canonical form parses again", ret == 0, "%s\n%s", e.msg,
	      sb_str(&a));
	profile_print(&q, &b);
	CHECK_STR("  canonical form is stable", sb_str(&b), sb_str(&a));
	sb_free(&sb);
	sb_free(&a);
	sb_free(&b);
}

static void bad(const char *name, const char *body, const char *want)
{
	struct err e;
	int ret = parse(body, &e);

	CHECK(name, ret != 0 && strstr(e.msg, want),
	      "got:  %s\n    want: ...%s...", ret ? e.msg : "(accepted)", want);
}

static void gre(void)
{
	good("gre: src, dst, keys",
	     "transport = gre\nsrc = 10.90.0.1\ndst = 10.90.0.2\n"
	     "rx_key = 1\ntx_key = 2\naddress = 10.91.0.1/24\n",
	     "vec0:transport=gre,src=10.90.0.1,dst=10.90.0.2,rx_key=1,tx_key=2");
	good("gre: no keys, sequence, largest key",
	     "transport = gre\nsrc = 10.0.0.1\ndst = 10.0.0.2\n"
	     "sequence = 1\npin_sequence = 1\n",
	     "vec0:transport=gre,src=10.0.0.1,dst=10.0.0.2,sequence=1,pin_sequence=1");
	good("gre: IPv6, key 0 and 2147483647, common keys",
	     "transport = gre\nv6 = 1\nsrc = fd00::1\ndst = fd00::2\n"
	     "rx_key = 0\ntx_key = 2147483647\nmtu = 1400\nvec = 0\n",
	     "vec0:transport=gre,v6=1,src=fd00::1,dst=fd00::2,rx_key=0,"
	     "tx_key=2147483647,mtu=1400,vec=0");
	bad("gre: missing src names the [interface] line",
	    "transport = gre\ndst = 10.0.0.2\n",
	    "t.profile:4: vec0: gre needs src = <address>");
	bad("gre: v6 = 0 with IPv6 dst",
	    "transport = gre\nsrc = 10.0.0.1\ndst = fd00::2\nv6 = 0\n",
	    "t.profile:7: vec0: dst = fd00::2 is an IPv6 address but v6 is not 1");
	good("gre: follow = 1 with keys",
	     "transport = gre\nsrc = 10.90.0.1\ndst = 10.90.0.2\n"
	     "rx_key = 1\ntx_key = 2\nfollow = 1\n",
	     "vec0:transport=gre,src=10.90.0.1,dst=10.90.0.2,rx_key=1,tx_key=2,follow=1");
	bad("gre: follow = 1 without keys",
	    "transport = gre\nsrc = 10.0.0.1\ndst = 10.0.0.2\nfollow = 1\n",
	    "t.profile:8: vec0: follow = 1 without rx_key");
	bad("gre: follow = 1 with vec = 0",
	    "transport = gre\nsrc = 10.0.0.1\ndst = 10.0.0.2\n"
	    "rx_key = 1\ntx_key = 2\nfollow = 1\nvec = 0\n",
	    "t.profile:11: vec0: follow = 1 needs vec = 1");
	bad("gre: tx_key alone",
	    "transport = gre\nsrc = 10.0.0.1\n"
	    "dst = 10.0.0.2\ntx_key = 5\n",
	    "t.profile:8: vec0: tx_key without rx_key: GRE keys go in pairs");
	bad("gre: key above INT_MAX (kernel kstrtoint)",
	    "transport = gre\nsrc = 10.0.0.1\ndst = 10.0.0.2\n"
	    "rx_key = 4294967295\ntx_key = 1\n",
	    "t.profile:8: gre: \"rx_key=4294967295\" is wrong: out of range: the kernel reads rx_key as a signed 32-bit int (kstrtoint), so the largest value is 2147483647 (0x7fffffff); use 0..2147483647");
	bad("gre: negative key",
	    "transport = gre\nsrc = 10.0.0.1\n"
	    "dst = 10.0.0.2\nrx_key = -1\ntx_key = 1\n",
	    "t.profile:8: gre: \"rx_key=-1\" is wrong");
	bad("gre: pin_sequence without sequence",
	    "transport = gre\nsrc = 10.0.0.1\ndst = 10.0.0.2\n"
	    "pin_sequence = 1\n",
	    "t.profile:8: vec0: pin_sequence = 1 has no effect without sequence = 1");
	bad("gre: l2tpv3's srcport is not a gre key",
	    "transport = gre\nsrc = 10.0.0.1\ndst = 10.0.0.2\n"
	    "srcport = 1701\n",
	    "t.profile:8: gre: unknown key \"srcport\"");
	bad("gre: sequence = 2",
	    "transport = gre\nsrc = 10.0.0.1\n"
	    "dst = 10.0.0.2\nsequence = 2\n",
	    "t.profile:8: gre: \"sequence=2\" is wrong: must be 0 or 1");
	bad("gre: host = veth does not go with gre",
	    "transport = gre\nsrc = 10.0.0.1\ndst = 10.0.0.2\n"
	    "host = veth\n",
	    "t.profile:8: vec0: host = veth does not go with transport gre");
}

static void l2tpv3(void)
{
	good("l2tpv3/udp: ports, sessions, cookies",
	     "transport = l2tpv3\nudp = 1\nsrc = 10.90.0.1\ndst = 10.90.0.2\n"
	     "srcport = 17001\ndstport = 17002\nrx_session = 3\n"
	     "tx_session = 4\nrx_cookie = 4294967295\ntx_cookie = 7\n",
	     "vec0:transport=l2tpv3,udp=1,src=10.90.0.1,dst=10.90.0.2,"
	     "srcport=17001,dstport=17002,rx_session=3,tx_session=4,"
	     "rx_cookie=4294967295,tx_cookie=7");
	good("l2tpv3/ip: 64-bit cookies, counter",
	     "transport = l2tpv3\nudp = 0\nsrc = 10.0.0.1\ndst = 10.0.0.2\n"
	     "rx_session = 2147483647\ntx_session = 1\ncookie64 = 1\n"
	     "rx_cookie = 18446744073709551615\ntx_cookie = 4294967296\n"
	     "counter = 1\npin_counter = 1\n",
	     "vec0:transport=l2tpv3,udp=0,src=10.0.0.1,dst=10.0.0.2,"
	     "rx_session=2147483647,tx_session=1,cookie64=1,"
	     "rx_cookie=18446744073709551615,tx_cookie=4294967296,"
	     "counter=1,pin_counter=1");
	good("l2tpv3: sessions and cookies in hex and octal (HowTo: 0xffff)",
	     "transport = l2tpv3\nudp = 1\nsrc = 10.90.0.1\ndst = 10.90.0.2\n"
	     "srcport = 1701\ndstport = 01702\nrx_session = 0xffff\n"
	     "tx_session = 0X7fffffff\nrx_cookie = 0xffffffff\n"
	     "tx_cookie = 017\n",
	     "vec0:transport=l2tpv3,udp=1,src=10.90.0.1,dst=10.90.0.2,"
	     "srcport=1701,dstport=01702,rx_session=0xffff,"
	     "tx_session=0X7fffffff,rx_cookie=0xffffffff,tx_cookie=017");
	good("l2tpv3/ip over IPv6, no cookies",
	     "transport = l2tpv3\nv6 = 1\nsrc = fd00::1\ndst = fd00::2\n"
	     "rx_session = 10\ntx_session = 10\n",
	     "vec0:transport=l2tpv3,v6=1,src=fd00::1,dst=fd00::2,"
	     "rx_session=10,tx_session=10");
	good("l2tpv3: follow = 1 with cookies",
	     "transport = l2tpv3\nudp = 1\nsrc = 0.0.0.0\ndst = 10.90.0.2\n"
	     "srcport = 10000\ndstport = 10000\nrx_session = 3\n"
	     "tx_session = 4\nrx_cookie = 5\ntx_cookie = 6\nfollow = 1\n",
	     "vec0:transport=l2tpv3,udp=1,src=0.0.0.0,dst=10.90.0.2,"
	     "srcport=10000,dstport=10000,rx_session=3,tx_session=4,"
	     "rx_cookie=5,tx_cookie=6,follow=1");
	bad("l2tpv3: follow = 1 without cookies",
	    "transport = l2tpv3\nsrc = 10.0.0.1\ndst = 10.0.0.2\n"
	    "rx_session = 1\ntx_session = 1\nfollow = 1\n",
	    "t.profile:10: vec0: follow = 1 without rx_cookie: any host that sends a packet with the right ids would take the tunnel over");
	bad("l2tpv3: tx_session alone",
	    "transport = l2tpv3\nsrc = 10.0.0.1\ndst = 10.0.0.2\n"
	    "tx_session = 5\n",
	    "t.profile:8: vec0: tx_session without rx_session");
	bad("l2tpv3: session 0 (reserved by RFC 3931)",
	    "transport = l2tpv3\nsrc = 10.0.0.1\ndst = 10.0.0.2\n"
	    "rx_session = 0\ntx_session = 1\n",
	    "t.profile:8: l2tpv3: \"rx_session=0\" is wrong: must be an integer 1..2147483647");
	bad("l2tpv3: rx_cookie alone",
	    "transport = l2tpv3\nsrc = 10.0.0.1\ndst = 10.0.0.2\n"
	    "rx_session = 1\ntx_session = 1\nrx_cookie = 5\n",
	    "t.profile:10: vec0: rx_cookie without tx_cookie");
	bad("l2tpv3: tx_cookie over 32 bits without cookie64",
	    "transport = l2tpv3\nsrc = 10.0.0.1\ndst = 10.0.0.2\n"
	    "rx_session = 1\ntx_session = 1\nrx_cookie = 5\n"
	    "tx_cookie = 4294967296\n",
	    "t.profile:11: vec0: tx_cookie = 4294967296 does not fit in 32 bits");
	bad("l2tpv3: cookie over 64 bits",
	    "transport = l2tpv3\nsrc = 10.0.0.1\ndst = 10.0.0.2\n"
	    "rx_session = 1\ntx_session = 1\ncookie64 = 1\n"
	    "rx_cookie = 18446744073709551616\ntx_cookie = 1\n",
	    "t.profile:11: l2tpv3: \"rx_cookie=18446744073709551616\" is wrong");
	bad("l2tpv3: cookie64 without cookies",
	    "transport = l2tpv3\nsrc = 10.0.0.1\ndst = 10.0.0.2\n"
	    "rx_session = 1\ntx_session = 1\ncookie64 = 1\n",
	    "t.profile:10: vec0: cookie64 = 1 has no effect without rx_cookie");
	bad("l2tpv3: udp = 1 without srcport",
	    "transport = l2tpv3\nudp = 1\nsrc = 10.0.0.1\ndst = 10.0.0.2\n"
	    "rx_session = 1\ntx_session = 1\ndstport = 1701\n",
	    "t.profile:6: vec0: udp = 1 needs srcport = <port>");
	bad("l2tpv3: dstport with udp = 0",
	    "transport = l2tpv3\nudp = 0\nsrc = 10.0.0.1\ndst = 10.0.0.2\n"
	    "rx_session = 1\ntx_session = 1\ndstport = 1701\n",
	    "t.profile:11: vec0: dstport needs udp = 1");
	bad("l2tpv3: v6 = 1 with IPv4 src",
	    "transport = l2tpv3\nv6 = 1\nsrc = 10.0.0.1\ndst = fd00::2\n"
	    "rx_session = 1\ntx_session = 1\n",
	    "t.profile:7: vec0: src = 10.0.0.1 is an IPv4 address but v6 = 1");
	bad("l2tpv3: dst is not an address",
	    "transport = l2tpv3\nsrc = 10.0.0.1\ndst = 10.0.0.300\n"
	    "rx_session = 1\ntx_session = 1\n",
	    "t.profile:7: l2tpv3: \"dst=10.0.0.300\" is wrong: must be an IPv4 or IPv6 address");
	bad("l2tpv3: 08 is not octal (the kernel fails it)",
	    "transport = l2tpv3\nsrc = 10.0.0.1\ndst = 10.0.0.2\n"
	    "rx_session = 08\ntx_session = 8\n",
	    "t.profile:8: l2tpv3: \"rx_session=08\" is wrong: not a number (the kernel reads rx_session with base 0: decimal, 0x hex or 0 octal): use 1..2147483647");
	bad("l2tpv3: rx_session = 0xffffffff (a signed 32-bit int)",
	    "transport = l2tpv3\nsrc = 10.0.0.1\ndst = 10.0.0.2\n"
	    "rx_session = 0xffffffff\ntx_session = 8\n",
	    "t.profile:8: l2tpv3: \"rx_session=0xffffffff\" is wrong: out of range: the kernel reads rx_session as a signed 32-bit int");
	bad("l2tpv3: session 0x0",
	    "transport = l2tpv3\nsrc = 10.0.0.1\ndst = 10.0.0.2\n"
	    "rx_session = 0x0\ntx_session = 8\n",
	    "t.profile:8: l2tpv3: \"rx_session=0x0\" is wrong: must be an integer 1..2147483647");
	bad("l2tpv3: cookie past 64 bits",
	    "transport = l2tpv3\nsrc = 10.0.0.1\ndst = 10.0.0.2\n"
	    "rx_session = 1\ntx_session = 8\ncookie64 = 1\n"
	    "rx_cookie = 0x10000000000000000\ntx_cookie = 1\n",
	    "t.profile:11: l2tpv3: \"rx_cookie=0x10000000000000000\" is wrong: does not fit in 64 bits");
	bad("l2tpv3: hex port (getaddrinfo reads decimal)",
	    "transport = l2tpv3\nudp = 1\nsrc = 10.0.0.1\ndst = 10.0.0.2\n"
	    "rx_session = 1\ntx_session = 8\nsrcport = 0x6a5\n"
	    "dstport = 1701\n",
	    "t.profile:11: l2tpv3: \"srcport=0x6a5\" is wrong: not a decimal number");
	bad("l2tpv3: 18 kernel keys (20 pairs: transport and 2 umnet adds)",
	    "transport = l2tpv3\nudp = 1\nsrc = 10.0.0.1\ndst = 10.0.0.2\n"
	    "rx_session = 1\ntx_session = 8\nsrcport = 1701\n"
	    "dstport = 1701\nrx_cookie = 1\ntx_cookie = 2\ncookie64 = 1\n"
	    "counter = 1\npin_counter = 1\nv6 = 0\ndepth = 64\ngro = 0\n"
	    "mtu = 1500\nheadroom = 32\nvec = 1\n",
	    "t.profile:4: vec0: 18 kernel keys: at most 17 (the kernel reads at most 20 key=value pairs per interface");
	bad("l2tpv3: udp = 01 (only 0 or 1)",
	    "transport = l2tpv3\nudp = 01\nsrc = 10.0.0.1\ndst = 10.0.0.2\n"
	    "rx_session = 1\ntx_session = 8\n",
	    "t.profile:6: l2tpv3: \"udp=01\" is wrong: must be 0 or 1");
	bad("l2tpv3: gre's rx_key is not an l2tpv3 key",
	    "transport = l2tpv3\nsrc = 10.0.0.1\ndst = 10.0.0.2\n"
	    "rx_session = 1\ntx_session = 1\nrx_key = 1\n",
	    "t.profile:10: l2tpv3: unknown key \"rx_key\"");
}

/* the host plan of the profile's vec0 as `hostsetup --dry-run` prints it */
static void host(const char *name, const char *body, const char *want)
{
	struct plan plan = { 0 };
	struct strbuf sb = { 0 };
	struct err e;
	int ret;

	if (!parsed(name, body))
		return;
	ret = p.ifaces[0].transport->host_plan(&p, &p.ifaces[0], &plan, &e);
	CHECK_INT("  host_plan", ret, 0);
	plan_print(&plan, &sb);
	CHECK_STR("  printed plan", sb_str(&sb), want);
	plan_free(&plan);
	sb_free(&sb);
}

static void hosts(void)
{
	host("gre: host = gretap in a new netns, keys, sequence",
	     "transport = gre\nsrc = 10.90.0.1\ndst = 10.90.0.2\n"
	     "rx_key = 1001\ntx_key = 1002\nsequence = 1\n"
	     "host = gretap\nhost-ifname = gt0\nhost-netns = far\n"
	     "host-address = 10.91.0.2/24\n"
	     "host-route = 10.92.0.0/24 via 10.91.0.1\n",
	     "ip netns add far\n"
	     "ip -n far link add gt0 type gretap local 10.90.0.2 remote "
	     "10.90.0.1 ikey 1002 okey 1001 iseq oseq\n"
	     "ip -n far addr add 10.91.0.2/24 dev gt0\n"
	     "ip -n far link set gt0 up\n"
	     "ip -n far route add 10.92.0.0/24 via 10.91.0.1\n");
	host("gre: host = gretap over IPv6, no keys",
	     "transport = gre\nv6 = 1\nsrc = fd00::1\ndst = fd00::2\n"
	     "host = gretap\nhost-ifname = gt0\n",
	     "ip link add gt0 type ip6gretap local fd00::2 remote fd00::1\n"
	     "ip link set gt0 up\n");
	host("l2tpv3: host = l2tp over UDP, 32-bit cookies",
	     "transport = l2tpv3\nudp = 1\nsrc = 10.90.0.1\ndst = 10.90.0.2\n"
	     "srcport = 17001\ndstport = 17002\nrx_session = 11\n"
	     "tx_session = 22\nrx_cookie = 789514\ntx_cookie = 789515\n"
	     "host = l2tp\nhost-ifname = l2t0\nhost-address = 10.91.0.2/24\n",
	     "ip l2tp add tunnel tunnel_id 22 peer_tunnel_id 22 encap udp "
	     "local 10.90.0.2 remote 10.90.0.1 udp_sport 17002 udp_dport 17001\n"
	     "ip l2tp add session name l2t0 tunnel_id 22 session_id 22 "
	     "peer_session_id 11 cookie 000c0c0a peer_cookie 000c0c0b "
	     "l2spec_type none\n"
	     "ip addr add 10.91.0.2/24 dev l2t0\n"
	     "ip link set l2t0 up\n");
	host("l2tpv3: host = l2tp over IP, 64-bit cookies, counter",
	     "transport = l2tpv3\nsrc = 10.90.0.1\ndst = 10.90.0.2\n"
	     "rx_session = 33\ntx_session = 44\ncookie64 = 1\n"
	     "rx_cookie = 1311768467463790320\n"
	     "tx_cookie = 1311768467463790321\ncounter = 1\n"
	     "host = l2tp\nhost-ifname = l2t0\nhost-netns = far\n",
	     "ip netns add far\n"
	     "ip -n far l2tp add tunnel tunnel_id 44 peer_tunnel_id 44 encap ip "
	     "local 10.90.0.2 remote 10.90.0.1\n"
	     "ip -n far l2tp add session name l2t0 tunnel_id 44 session_id 44 "
	     "peer_session_id 33 cookie 123456789abcdef0 peer_cookie "
	     "123456789abcdef1 l2spec_type default\n"
	     "ip -n far link set l2t0 up\n");
	host("l2tpv3: host = l2tp reads hex, octal and decimal as the kernel",
	     "transport = l2tpv3\nudp = 1\nsrc = 10.90.0.1\ndst = 10.90.0.2\n"
	     "srcport = 1701\ndstport = 01702\nrx_session = 0xffff\n"
	     "tx_session = 010\nrx_cookie = 0xffffffff\ntx_cookie = 017\n"
	     "host = l2tp\nhost-ifname = l2t0\n",
	     "ip l2tp add tunnel tunnel_id 8 peer_tunnel_id 8 encap udp "
	     "local 10.90.0.2 remote 10.90.0.1 udp_sport 1702 udp_dport 1701\n"
	     "ip l2tp add session name l2t0 tunnel_id 8 session_id 8 "
	     "peer_session_id 65535 cookie ffffffff peer_cookie 0000000f "
	     "l2spec_type none\n"
	     "ip link set l2t0 up\n");
	host("gre: host = gretap reads 0x keys",
	     "transport = gre\nsrc = 10.90.0.1\ndst = 10.90.0.2\n"
	     "rx_key = 0x10\ntx_key = 0x7fffffff\n"
	     "host = gretap\nhost-ifname = gt0\n",
	     "ip link add gt0 type gretap local 10.90.0.2 remote "
	     "10.90.0.1 ikey 2147483647 okey 16\n"
	     "ip link set gt0 up\n");
	bad("gre: host = gretap without host-ifname",
	    "transport = gre\nsrc = 10.0.0.1\ndst = 10.0.0.2\nhost = gretap\n",
	    "t.profile:8: vec0: host = gretap needs host-ifname");
	bad("l2tpv3: host = l2tp without host-ifname",
	    "transport = l2tpv3\nsrc = 10.0.0.1\ndst = 10.0.0.2\n"
	    "rx_session = 1\ntx_session = 2\nhost = l2tp\n",
	    "t.profile:10: vec0: host = l2tp needs host-ifname");
	bad("gre: host = l2tp does not go with gre",
	    "transport = gre\nsrc = 10.0.0.1\ndst = 10.0.0.2\nhost = l2tp\n"
	    "host-ifname = x\n",
	    "t.profile:8: vec0: host = l2tp does not go with transport gre");
}

static void table(void)
{
	const struct transport *g = transport_find("gre");
	const struct transport *l = transport_find("l2tpv3");

	CHECK("gre is in the transport table", g != NULL, "not found");
	CHECK("l2tpv3 is in the transport table", l != NULL, "not found");
	if (g)
		CHECK_INT("gre needs CAP_NET_RAW", g->uml_needs, NEED_NET_RAW);
	CHECK("transport names list both",
	      strstr(transport_names(), "gre") &&
		      strstr(transport_names(), "l2tpv3"),
	      "%s", transport_names());
}

int main(void)
{
	table();
	gre();
	l2tpv3();
	hosts();
	UNIT_DONE();
}
