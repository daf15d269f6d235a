// SPDX-License-Identifier: GPL-2.0
/* Unit tests for the lab parser and compiler (src/lab*.c). */
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab.h"
#include "lab_unit.h"
#include "profile.h"
#include "supervisor.h"
#include "transport.h"
#include "unit.h"

/* every shipped lab parses and compiles */
static void shipped(void)
{
	const char *dir = "configs/labs";
	struct dirent **list;
	int n, i;

	n = scandir(dir, &list, NULL, alphasort);
	CHECK("configs/labs readable", n > 2, "scandir %s", dir);
	for (i = 0; i < n; i++) {
		struct lab lab = { 0 };
		struct err e = { "" };
		char path[512], name[600];
		int ret;

		if (!strstr(list[i]->d_name, ".lab")) {
			free(list[i]);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
		ret = lab_parse(path, NULL, NULL, &lab, &e);
		if (!ret)
			ret = lab_compile(&lab, NULL, &e);
		snprintf(name, sizeof(name), "%s parses and compiles", path);
		CHECK(name, ret == 0, "%s", e.msg);
		snprintf(name, sizeof(name), "%s has tests", path);
		CHECK(name, ret || lab.ntests > 0, "no [test]");
		for (int j = 0; !ret && j < lab.nnodes; j++) {
			struct node_paths np = { 0 };
			struct argv a = { 0 };
			int r;

			strcpy(np.dir, "/run/umnet/x");
			strcpy(np.umldir, "/run/umnet/x/uml");
			strcpy(np.drive, "/run/umnet/x/config.img");
			strcpy(np.notify, "/run/umnet/x/notify.sock");
			r = uml_argv(lab.nodes[j].p, &np, "/K/linux",
				     "/R/rootfs.img", "/run/umnet/x/root.cow",
				     0, &a);
			if (!r)
				r = argv_check(&a, &e);
			snprintf(name, sizeof(name),
				 "%s: node %s: its UML argv passes argv_check",
				 path, lab.nodes[j].name);
			CHECK(name, r == 0, "%d %s", r, e.msg);
			argv_free(&a);
		}
		lab_free(&lab);
		free(list[i]);
	}
	free(list);
}

static int parse_bad(const char *path, char *msg, size_t len)
{
	struct lab lab = { 0 };
	struct err e = { "" };
	int ret = lab_parse(path, NULL, NULL, &lab, &e);

	if (!ret)
		ret = lab_compile(&lab, NULL, &e);
	snprintf(msg, len, "%s", e.msg);
	lab_free(&lab);
	return ret;
}

static void bad_labs(void)
{
	unit_bad_files("tests/labs/bad", ".lab", parse_bad);
}

static const char *const demo =
	"[lab]\nname = demo\nmem = 48M\n" /* 1-3 */
	"[node a]\nloopback = 10.255.0.1/32\n" /* 4-5 */
	"[node b]\n[node c]\n" /* 6-7 */
	"[link ab]\nendpoint = a 10.0.1.1/30\nendpoint = b:vec3 10.0.1.2/30\n"
	"[link lan]\nendpoint = a 10.5.0.1/24\nendpoint = b\nendpoint = c\n"
	"[link up]\nkind = netns\nnetns = demo-up\nendpoint = c 10.1.0.2/24\n"
	"host-address = 10.1.0.1/24\n"
	"[link t]\nkind = l2tpv3\nendpoint = c 10.9.0.1/30\nlocal = 10.0.0.1\n"
	"remote = 10.0.0.2\nremote-port = 1702\n"
	"[test]\nreach = b a\nroute = a 10.0.1.0/30 via b\n"
	"exec = c exit=1 match=\"a b\" -- false\n"
	"wait-for = 9 tcp b a:80 closed\n";

/* capture = yes: a wire runs through the lab's switch, which records it */
static void capture_keys(void)
{
	static const char text[] =
		"[lab]\nname = cap\n[node a]\n[node b]\n"
		"[link ab]\nendpoint = a\nendpoint = b\ncapture = yes\n"
		"capture-size = 1M\ncapture-files = 2\n"
		"[link cd]\nendpoint = a\nendpoint = b\n"
		"[link up]\nkind = netns\nnetns = cap-up\nendpoint = a\n"
		"capture = yes\n";
	struct lab lab = { 0 };
	struct err e = { "" };
	const struct iface *ifc;
	char path[PATH_MAX];
	int ret;

	ret = lab_parse("/x/cap.lab", text, "/x", &lab, &e);
	if (!ret)
		ret = lab_compile(&lab, NULL, &e);
	CHECK("capture lab compiles", !ret, "%s", e.msg);
	if (ret)
		goto out;
	CHECK("capture = yes with its size and files",
	      lab.links[0].capture && lab.links[0].capture_size == 1 << 20 &&
		      lab.links[0].capture_files == 2,
	      "%d %llu %u", lab.links[0].capture, lab.links[0].capture_size,
	      lab.links[0].capture_files);
	CHECK("capture defaults: 4 files of 8 MiB",
	      lab.links[2].capture &&
		      lab.links[2].capture_size == LAB_CAPTURE_SIZE_DEFAULT &&
		      lab.links[2].capture_files == 4,
	      "%llu %u", lab.links[2].capture_size, lab.links[2].capture_files);
	CHECK("a captured wire is switched, a plain one not, a netns link not",
	      lab_link_switched(&lab.links[0]) &&
		      !lab_link_switched(&lab.links[1]) &&
		      !lab_link_switched(&lab.links[2]),
	      "%s", "wrong");
	ifc = find_iface(lab.nodes[0].p, 0);
	CHECK("a:vec0 of the captured wire is a bess port of its switch",
	      ifc && ifc->transport == &transport_bess &&
		      strstr(iface_opt(ifc, "dst"), "/sw/ab.sock"),
	      "%s", ifc ? iface_opt(ifc, "dst") : "no vec0");
	ifc = find_iface(lab.nodes[0].p, 1);
	CHECK("a:vec1 of the plain wire stays fd",
	      ifc && ifc->transport == &transport_fd, "%s", "not fd");
	ret = lab_capture_path("/run/umnet/.labs/cap", &lab.links[0], path,
			       sizeof(path));
	CHECK_STR("the capture's path", ret ? "error" : path,
		  "/run/umnet/.labs/cap/capture/ab.pcap");
out:
	lab_free(&lab);
}

static void compile(void)
{
	struct lab lab = { 0 }, lab2 = { 0 };
	struct err e = { "" };
	const struct profile *p;
	const struct iface *ifc;
	char addr[64];
	int ret;

	ret = lab_parse("/x/demo.lab", demo, "/x", &lab, &e);
	if (!ret)
		ret = lab_compile(&lab, NULL, &e);
	CHECK("demo lab compiles", ret == 0, "%s", e.msg);
	if (ret)
		goto out;
	CHECK_INT("3 nodes", lab.nnodes, 3);
	CHECK_INT("4 links", lab.nlinks, 4);
	CHECK_INT("2 endpoints: a wire", lab.links[0].kind, LINK_WIRE);
	CHECK_INT("3 endpoints: a switch", lab.links[1].kind, LINK_SWITCH);
	p = lab.nodes[0].p;
	CHECK_STR("host name is LAB.NODE", p->name, "demo.a");
	CHECK_STR("hostname is NODE", p->hostname, "a");
	CHECK_INT("lab mem is the default", p->mem_mb, 48);
	ifc = find_iface(p, 0);
	CHECK("a:vec0 is the wire",
	      ifc && ifc->transport == &transport_fd &&
		      ifc->host == HOST_WIRE &&
		      !strcmp(iface_opt(ifc, "wire"), "demo.ab"),
	      "a vec0");
	ifc = find_iface(p, 1);
	CHECK("a:vec1 is on the switch",
	      ifc && ifc->transport == &transport_bess &&
		      strstr(iface_opt(ifc, "dst"), "/.labs/demo/sw/lan.sock"),
	      "%s", ifc ? iface_opt(ifc, "dst") : "no vec1");
	p = lab.nodes[1].p;
	CHECK("b: vec3 given, the next free one is vec0",
	      find_iface(p, 3) && find_iface(p, 0) &&
		      find_iface(p, 0)->transport == &transport_bess,
	      "b");
	p = lab.nodes[2].p;
	ifc = find_iface(p, 1);
	CHECK("c:vec1 is a raw veth into the netns",
	      ifc && ifc->transport == &transport_raw &&
		      ifc->host == HOST_VETH &&
		      !strcmp(ifc->host_netns, "demo-up") &&
		      !strcmp(ifc->host_ifname, "up") &&
		      iface_opt(ifc, "ifname")[0] == 'u',
	      "c vec1");
	ifc = find_iface(p, 2);
	CHECK("c:vec2 is l2tpv3 over udp with derived sessions",
	      ifc && ifc->transport == &transport_l2tpv3 &&
		      !strcmp(iface_opt(ifc, "udp"), "1") &&
		      !strcmp(iface_opt(ifc, "dstport"), "1702") &&
		      !strcmp(iface_opt(ifc, "srcport"), "1701") &&
		      atol(iface_opt(ifc, "rx_session")) > 0 &&
		      strcmp(iface_opt(ifc, "rx_session"),
			     iface_opt(ifc, "tx_session")),
	      "c vec2");
	/* the same lab gives the same values; another name other ones */
	ret = lab_parse("/x/demo.lab", demo, "/x", &lab2, &e);
	if (!ret)
		ret = lab_compile(&lab2, NULL, &e);
	CHECK("derived values are stable",
	      !ret && lab2.links[3].session[0] == lab.links[3].session[0] &&
		      lab2.links[3].cookie[1] == lab.links[3].cookie[1],
	      "%s", e.msg);
	lab_free(&lab2);
	CHECK("sessions differ between directions",
	      lab.links[3].session[0] != lab.links[3].session[1], "same");
	/* test arguments */
	CHECK_INT("4 tests", lab.ntests, 4);
	CHECK_STR("exec match with quotes", lab.tests[2].match, "a b");
	CHECK_STR("exec command", lab.tests[2].cmd, "false");
	CHECK_INT("exec exit", lab.tests[2].exit_code, 1);
	CHECK_INT("wait-for seconds", lab.tests[3].wait_s, 9);
	CHECK_INT("wait-for inner kind", lab.tests[3].kind, TEST_TCP);
	CHECK_INT("tcp port", lab.tests[3].port, 80);
	/* names in tests */
	CHECK("a node is its loopback",
	      !lab_resolve(&lab, 1, "a", false, addr, sizeof(addr)) &&
		      !strcmp(addr, "10.255.0.1"),
	      "%s", addr);
	CHECK("via a node: its address on the shared link",
	      !lab_resolve(&lab, 0, "b", true, addr, sizeof(addr)) &&
		      !strcmp(addr, "10.0.1.2"),
	      "%s", addr);
	CHECK("a node without loopback: its first endpoint address",
	      !lab_resolve(&lab, 0, "c", false, addr, sizeof(addr)) &&
		      !strcmp(addr, "10.1.0.2"),
	      "%s", addr);
out:
	lab_free(&lab);
}

static const char *const impaired =
	"[lab]\nname = imp\n" /* 1-2 */
	"[node a]\n[node b]\n[node c]\n" /* 3-5 */
	"[link ab]\nendpoint = a 10.0.1.1/30\nendpoint = b 10.0.1.2/30\n"
	"delay = 25ms\njitter = 1.5ms\nloss = 0.5\nrate = 20mbit\n"
	"[link lan]\nendpoint = a\nendpoint = b\nendpoint = c\nloss = 2%\n"
	"[test]\nrtt = a b < 80ms\nloss = a b > 0.5%\n"
	"throughput = a b > 15mbit\n"
	"link-set = ab --delay 50ms --loss 1%\nlink-reset = ab\n"
	"wait-for = 5 rtt a b > 40ms\n";

static void impairment(void)
{
	struct lab lab = { 0 };
	struct err e = { "" };
	struct strbuf sb = { 0 };
	const struct iface *ifc;
	int ret;

	ret = lab_parse("/x/imp.lab", impaired, "/x", &lab, &e);
	if (!ret)
		ret = lab_compile(&lab, NULL, &e);
	CHECK("impaired lab compiles", ret == 0, "%s", e.msg);
	if (ret)
		goto out;
	CHECK_INT("link ab: delay in us", lab.links[0].impair.delay_us, 25000);
	ifc = find_iface(lab.nodes[1].p, 0);
	CHECK("b:vec0 carries the wire's impairment",
	      ifc && ifc->impair_line && ifc->impair.delay_us == 25000 &&
		      ifc->impair.jitter_us == 1500 &&
		      ifc->impair.pct[0] == 500 &&
		      ifc->impair.rate_bps == 20000000,
	      "b vec0");
	ifc = find_iface(lab.nodes[2].p, 0);
	CHECK("c:vec0 carries the segment's loss only",
	      ifc && ifc->impair.set == 1u << IMP_LOSS &&
		      ifc->impair.pct[0] == 2000,
	      "c vec0");
	profile_print(lab.nodes[0].p, &sb);
	CHECK("the node's canonical profile has the keys",
	      strstr(sb_str(&sb),
		     "delay = 25ms\njitter = 1500us\nloss = 0.5%\nrate = 20mbit\n"),
	      "%s", sb_str(&sb));
	CHECK_INT("6 tests", lab.ntests, 6);
	CHECK("rtt < 80ms",
	      lab.tests[0].kind == TEST_RTT && lab.tests[0].cmp == '<' &&
		      lab.tests[0].limit == 80000,
	      "kind %d limit %llu", lab.tests[0].kind, lab.tests[0].limit);
	CHECK("loss > 0.5%",
	      lab.tests[1].kind == TEST_LOSS && lab.tests[1].cmp == '>' &&
		      lab.tests[1].limit == 500,
	      "kind %d limit %llu", lab.tests[1].kind, lab.tests[1].limit);
	CHECK("throughput > 15mbit",
	      lab.tests[2].kind == TEST_THROUGHPUT &&
		      lab.tests[2].limit == 15000000,
	      "kind %d limit %llu", lab.tests[2].kind, lab.tests[2].limit);
	CHECK("link-set is a step with its impairment",
	      lab.tests[3].kind == TEST_LINK_SET &&
		      lab_test_is_step(TEST_LINK_SET) &&
		      lab.tests[3].impair.delay_us == 50000 &&
		      lab.tests[3].impair.pct[0] == 1000 &&
		      !strcmp(lab.tests[3].target, "ab"),
	      "kind %d", lab.tests[3].kind);
	CHECK("link-reset is a step with nothing set",
	      lab.tests[4].kind == TEST_LINK_RESET &&
		      !impair_any(&lab.tests[4].impair),
	      "kind %d", lab.tests[4].kind);
	CHECK("wait-for rtt",
	      lab.tests[5].kind == TEST_RTT && lab.tests[5].wait_s == 5,
	      "kind %d", lab.tests[5].kind);
out:
	sb_free(&sb);
	lab_free(&lab);
}

/*
 * The lab of issue 15's density figure: DENSE_NODES nodes in a ring of
 * wires, and every DENSE_SEG nodes on one switch segment. No fixed limit
 * stands in the way: it parses and compiles, every node with its 3 links.
 */
#define DENSE_NODES 1000
#define DENSE_SEG 10

static void dense_text(struct strbuf *sb)
{
	int i, j;

	sb_printf(sb, "[lab]\nname = dense\nmem = 32M\n");
	for (i = 0; i < DENSE_NODES; i++)
		sb_printf(sb, "[node n%d]\n", i);
	for (i = 0; i < DENSE_NODES; i++) {
		unsigned int a = 4u * i;

		sb_printf(sb, "[link w%d]\n", i);
		sb_printf(sb, "endpoint = n%d 10.%u.%u.%u/30\n", i, a >> 16,
			  (a >> 8) & 255, (a & 255) + 1);
		sb_printf(sb, "endpoint = n%d 10.%u.%u.%u/30\n",
			  (i + 1) % DENSE_NODES, a >> 16, (a >> 8) & 255,
			  (a & 255) + 2);
	}
	for (i = 0; i < DENSE_NODES / DENSE_SEG; i++) {
		sb_printf(sb, "[link s%d]\nkind = switch\n", i);
		for (j = 0; j < DENSE_SEG; j++)
			sb_printf(sb, "endpoint = n%d 172.16.%d.%d/24\n",
				  i * DENSE_SEG + j, i, j + 1);
	}
	sb_printf(sb, "[test]\n");
	for (i = 0; i < DENSE_NODES; i++)
		sb_printf(sb, "reach = n%d n%d\n", i, (i + 1) % DENSE_NODES);
}

static void dense(void)
{
	struct strbuf sb = { 0 };
	struct lab lab = { 0 };
	struct err e = { "" };
	long long t0 = now_ms();
	int ret, i, ok = 0;

	dense_text(&sb);
	CHECK("the dense lab's text", !sb.oom, "out of memory");
	ret = lab_parse("/x/dense.lab", sb_str(&sb), "/x", &lab, &e);
	if (!ret)
		ret = lab_compile(&lab, NULL, &e);
	CHECK("a lab of 1000 nodes parses and compiles", ret == 0, "%s", e.msg);
	printf("# %d nodes, %d links, %d tests: parsed and compiled in %lld ms\n",
	       lab.nnodes, lab.nlinks, lab.ntests, now_ms() - t0);
	CHECK_INT("1000 nodes", lab.nnodes, DENSE_NODES);
	CHECK_INT("1100 links", lab.nlinks,
		  DENSE_NODES + DENSE_NODES / DENSE_SEG);
	CHECK_INT("1000 tests", lab.ntests, DENSE_NODES);
	for (i = 0; !ret && i < lab.nnodes; i++)
		if (lab.nodes[i].p->nifaces == 3 &&
		    find_iface(lab.nodes[i].p, 2)->transport == &transport_bess)
			ok++;
	CHECK_INT("every node: 2 wires and its segment", ok, DENSE_NODES);
	CHECK_INT("a segment of 10 endpoints", lab.links[DENSE_NODES].neps,
		  DENSE_SEG);
	lab_free(&lab);
	sb_free(&sb);
}

/* bridged = yes, port =, bridged-subnet = (lab_bridged.c) */
static void bridged(void)
{
	static const char text[] =
		"[lab]\nname = brl\nbridged-subnet = 198.18.7.0/24\n"
		"[node a]\nbridged = yes\nport = 8080:80\nport = 53/udp\n"
		"[node b]\nbridged = yes\nroute = default via 10.0.0.9\n"
		"[node c]\n"
		"[node d]\nbridged = yes\nroute = 0.0.0.0/0 via 198.18.7.9\n"
		"[link ab]\nendpoint = a 10.0.0.1/24\nendpoint = b 10.0.0.2/24\n";
	struct lab lab = { 0 }, lab2 = { 0 };
	struct lab_port pt;
	struct err e = { "" };
	const struct iface *ifc;
	char buf[64];
	int ret;

	CHECK("port = 80: host 3000 (Kathara's default), tcp",
	      !lab_port_parse("80", &pt) && pt.host == 3000 && pt.guest == 80 &&
		      pt.proto == IPPROTO_TCP,
	      "%u %u %u", pt.host, pt.guest, pt.proto);
	CHECK("port = 5353:53/udp",
	      !lab_port_parse("5353:53/udp", &pt) && pt.host == 5353 &&
		      pt.guest == 53 && pt.proto == IPPROTO_UDP,
	      "%u %u %u", pt.host, pt.guest, pt.proto);
	CHECK("port = 1:2/sctp",
	      !lab_port_parse("1:2/sctp", &pt) && pt.proto == IPPROTO_SCTP,
	      "%u", pt.proto);
	CHECK("bad ports refused",
	      lab_port_parse("0", &pt) && lab_port_parse("70000", &pt) &&
		      lab_port_parse("80/icmp", &pt) &&
		      lab_port_parse(":80", &pt) && lab_port_parse("", &pt) &&
		      lab_port_parse("a:80", &pt),
	      "%s", "one was taken");
	ret = lab_parse("/x/brl.lab", text, "/x", &lab, &e);
	if (!ret)
		ret = lab_compile(&lab, NULL, &e);
	CHECK("bridged lab compiles", !ret, "%s", e.msg);
	if (ret)
		goto out;
	ifc = find_iface(lab.nodes[0].p, 1);
	CHECK("a: the bridged interface is vec1, after its link's vec0",
	      ifc && ifc->transport == &transport_raw &&
		      ifc->host == HOST_VETH && !ifc->host_netns[0],
	      "%s", ifc ? ifc->transport->name : "no vec1");
	CHECK_STR("a: host end of the veth, the gateway",
		  ifc && ifc->nhost_addrs == 1
			  ? ip_prefix_str(&ifc->host_addrs[0], buf, sizeof(buf))
			  : "none",
		  "198.18.7.1/30");
	CHECK_STR("a: its address",
		  ifc && ifc->naddrs == 1
			  ? ip_prefix_str(&ifc->addrs[0], buf, sizeof(buf))
			  : "none",
		  "198.18.7.2/30");
	lab_bridged_ifname(&lab, 0, buf, sizeof(buf));
	CHECK("a: host end named ub + 8 hex digits",
	      ifc && !strcmp(ifc->host_ifname, buf) && strlen(buf) == 10 &&
		      !strncmp(buf, "ub", 2),
	      "%s %s", ifc ? ifc->host_ifname : "-", buf);
	CHECK("a: default route via the host",
	      lab.nodes[0].p->nroutes == 1 &&
		      !strcmp(lab.nodes[0].p->routes[0].text,
			      "default via 198.18.7.1"),
	      "%d %s", lab.nodes[0].p->nroutes,
	      lab.nodes[0].p->nroutes ? lab.nodes[0].p->routes[0].text : "");
	CHECK("d: its own 0.0.0.0/0 route, no second default",
	      lab.nodes[3].p->nroutes == 1 &&
		      !strcmp(lab.nodes[3].p->routes[0].text,
			      "0.0.0.0/0 via 198.18.7.9"),
	      "%d", lab.nodes[3].p->nroutes);
	ifc = find_iface(lab.nodes[1].p, 1);
	CHECK_STR("b: the next /30",
		  ifc && ifc->naddrs == 1
			  ? ip_prefix_str(&ifc->addrs[0], buf, sizeof(buf))
			  : "none",
		  "198.18.7.6/30");
	CHECK("b: its own default route, none added",
	      lab.nodes[1].p->nroutes == 1 &&
		      !strcmp(lab.nodes[1].p->routes[0].text,
			      "default via 10.0.0.9"),
	      "%d", lab.nodes[1].p->nroutes);
	CHECK("c: not bridged, no interface",
	      !lab_node_bridged(&lab, 2) && lab.nodes[2].p->nifaces == 0, "%d",
	      lab.nodes[2].p->nifaces);
	lab_nat_table(&lab, buf, sizeof(buf));
	CHECK_STR("the NAT table", buf, "umnet-brl");
	/* no bridged-subnet: a /24 of 198.18.0.0/15 by the lab's name */
	ret = lab_parse("/x/brm.lab", "[node a]\nbridged = yes\n", "/x", &lab2,
			&e);
	CHECK("default bridged-subnet: a /24 in 198.18.0.0/15",
	      !ret && lab2.bridged_subnet.len == 24 &&
		      lab2.bridged_subnet.addr.bytes[0] == 198 &&
		      (lab2.bridged_subnet.addr.bytes[1] & 0xfe) == 18,
	      "%s %s", e.msg,
	      ip_prefix_str(&lab2.bridged_subnet, buf, sizeof(buf)));
	lab_free(&lab2);
out:
	lab_free(&lab);
}

/* msg, about /s/k.lab (lines mapped by map), is not told anew */
static void origin_stays(const int *map, const char *name, const char *msg)
{
	struct err e = { "" };

	snprintf(e.msg, sizeof(e.msg), "%s", msg);
	lab_msg_origin("/s/k.lab", "/d/lab.conf", map, 6, &e);
	CHECK(name, !strcmp(e.msg, msg), "%s", e.msg);
}

/* messages about a generated lab told at the file it came from */
static void origin(void)
{
	/* lines 1..6 of the generated text; 2 and 5 from lab.conf 4 and 9 */
	static const int map[] = { 0, 0, 4, 0, 0, 9, 0 };
	struct err e = { "" };

	snprintf(e.msg, sizeof(e.msg),
		 "/s/k.lab:5: port 80: forwarded already (line 2)");
	lab_msg_origin("/s/k.lab", "/d/lab.conf", map, 6, &e);
	CHECK("GEN:5 told as ORIGIN:9, its line 2 as line 4",
	      !strcmp(e.msg,
		      "/d/lab.conf:9: (line 5 of the lab it makes) port 80: forwarded already (line 4)"),
	      "%s", e.msg);
	lab_msg_origin("/d/lab.conf", "/d/lab.conf", map, 6, &e);
	CHECK("told once: a message told at its origin stays",
	      strstr(e.msg, "/d/lab.conf:9: (line 5 of") == e.msg, "%s", e.msg);
	origin_stays(map, "a line with no origin stays as it is",
		     "/s/k.lab:3: no origin line");
	origin_stays(map, "a line past the map stays as it is",
		     "/s/k.lab:7: past the end");
	origin_stays(map, "a message about another file stays as it is",
		     "/s/other.lab:2: another file");
	snprintf(e.msg, sizeof(e.msg), "/s/k.lab:2: line 99 and line 5x");
	lab_msg_origin("/s/k.lab", "/d/lab.conf", map, 6, &e);
	CHECK("only the lines of the text are told anew",
	      !strcmp(e.msg,
		      "/d/lab.conf:4: (line 2 of the lab it makes) line 99 and line 9x"),
	      "%s", e.msg);
}

/* a [node] takes the profile's nameserver = */
static void nameserver(void)
{
	struct lab lab = { 0 };
	struct err e = { "" };
	char buf[64];
	int ret = lab_parse(
		"/x/ns.lab",
		"[lab]\nname = ns\n[node a]\nnameserver = 192.0.2.53\n", "/x",
		&lab, &e);

	if (!ret)
		ret = lab_compile(&lab, NULL, &e);
	CHECK("a node's nameserver = reaches its profile",
	      !ret && lab.nodes[0].p->nnameservers == 1 &&
		      !strcmp(ip_addr_str(&lab.nodes[0].p->nameservers[0], buf,
					  sizeof(buf)),
			      "192.0.2.53"),
	      "%d %s", ret, e.msg);
	lab_free(&lab);
}

int main(void)
{
	origin();
	shipped();
	bad_labs();
	compile();
	capture_keys();
	impairment();
	dense();
	bridged();
	nameserver();
	UNIT_DONE();
}
