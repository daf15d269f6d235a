// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for labs across hosts (src/lab_hosts.c): [host] sections,
 * wires between hosts compiled as L2TPv3/UDP or GRE with derived ports,
 * sessions and cookies, their MTU, and which share a node or test is in.
 * The bad files are tests/labs/bad/multihost-*.lab (test_lab.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab.h"
#include "lab_unit.h"
#include "profile.h"
#include "transport.h"
#include "unit.h"

static const char *const two =
	"[lab]\nname = two\n"
	"[host a]\naddress = 198.51.100.1\n"
	"[host b]\naddress = 198.51.100.2\n"
	"[node r1]\nhost = a\n[node r2]\nhost = a\n[node r3]\nhost = b\n"
	"[link l12]\nendpoint = r1 10.1.12.1/24\nendpoint = r2 10.1.12.2/24\n"
	"[link l23]\nendpoint = r2 10.1.23.1/24\nendpoint = r3 10.1.23.2/24\n"
	"[test]\nreach = r1 r3\nreach = r3 r1\nlink-down = l23\n"
	"link-down = l12\n";

static void l2tpv3(void)
{
	struct lab lab = { 0 };
	struct err e = { "" };
	const struct iface *a, *b, *w;
	const struct lab_link *l;
	char port[16];
	int ret = lab_unit_text(two, &lab, &e);

	CHECK("a lab over two hosts parses and compiles", ret == 0, "%s",
	      e.msg);
	if (ret)
		goto out;
	CHECK_INT("2 hosts", lab.nhosts, 2);
	l = &lab.links[1];
	CHECK("l23 crosses, l12 does not", l->cross && !lab.links[0].cross,
	      "%d %d", l->cross, lab.links[0].cross);
	CHECK("l23 stays a wire, off the switches and the wire keeper",
	      l->kind == LINK_WIRE && !lab_link_wired(l) &&
		      !lab_link_switched(l),
	      "kind %d", l->kind);
	CHECK("its port is in 20000..29999",
	      l->port >= 20000 && l->port <= 29999, "%u", l->port);
	CHECK_INT("its MTU: 1500 - 54", (int)l->mtu, 1446);
	a = find_iface(lab.nodes[1].p, 1);
	b = find_iface(lab.nodes[2].p, 0);
	w = find_iface(lab.nodes[0].p, 0);
	CHECK("r2:vec1 and r3:vec0 are l2tpv3, r1:vec0 an fd wire",
	      a && b && w && a->transport == &transport_l2tpv3 &&
		      b->transport == &transport_l2tpv3 &&
		      w->transport == &transport_fd,
	      "%p %p %p", (void *)a, (void *)b, (void *)w);
	if (!a || !b)
		goto out;
	snprintf(port, sizeof(port), "%u", l->port);
	CHECK("r2 sends from a to b, r3 from b to a",
	      !strcmp(iface_opt(a, "src"), "198.51.100.1") &&
		      !strcmp(iface_opt(a, "dst"), "198.51.100.2") &&
		      !strcmp(iface_opt(b, "src"), "198.51.100.2") &&
		      !strcmp(iface_opt(b, "dst"), "198.51.100.1"),
	      "%s>%s %s>%s", iface_opt(a, "src"), iface_opt(a, "dst"),
	      iface_opt(b, "src"), iface_opt(b, "dst"));
	CHECK("udp = 1, one port both ends",
	      !strcmp(iface_opt(a, "udp"), "1") &&
		      !strcmp(iface_opt(a, "srcport"), port) &&
		      !strcmp(iface_opt(a, "dstport"), port) &&
		      !strcmp(iface_opt(b, "srcport"), port),
	      "%s %s", iface_opt(a, "srcport"), iface_opt(b, "dstport"));
	CHECK("each end receives what the other sends",
	      !strcmp(iface_opt(a, "rx_session"), iface_opt(b, "tx_session")) &&
		      !strcmp(iface_opt(a, "tx_session"),
			      iface_opt(b, "rx_session")) &&
		      !strcmp(iface_opt(a, "rx_cookie"),
			      iface_opt(b, "tx_cookie")) &&
		      strcmp(iface_opt(a, "rx_session"),
			     iface_opt(a, "tx_session")),
	      "%s/%s %s/%s", iface_opt(a, "rx_session"),
	      iface_opt(a, "tx_session"), iface_opt(b, "rx_session"),
	      iface_opt(b, "tx_session"));
	CHECK("the node side's MTU is applied",
	      !strcmp(iface_opt(a, "mtu") ?: "", "1446") &&
		      !strcmp(iface_opt(b, "mtu") ?: "", "1446") &&
		      !iface_opt(w, "mtu"),
	      "%s %s", iface_opt(a, "mtu"), iface_opt(b, "mtu"));
	CHECK("a stable MAC on each end (its peer's ARP survives a restart)",
	      iface_opt(a, "mac") && iface_opt(b, "mac") &&
		      strcmp(iface_opt(a, "mac"), iface_opt(b, "mac")),
	      "%s %s", iface_opt(a, "mac"), iface_opt(b, "mac"));
	/* the share of host b */
	lab.here = 1;
	CHECK("host b: r3 here, r1 and r2 not",
	      lab_node_here(&lab, 2) && !lab_node_here(&lab, 0) &&
		      !lab_node_here(&lab, 1),
	      "%s", "no");
	CHECK("host b: l23 has an end here, l12 none",
	      lab_link_here(&lab, &lab.links[1]) &&
		      !lab_link_here(&lab, &lab.links[0]),
	      "%s", "no");
	CHECK("host b runs reach r3 r1 and link-down l23, not the others",
	      !lab_test_here(&lab, &lab.tests[0]) &&
		      lab_test_here(&lab, &lab.tests[1]) &&
		      lab_test_here(&lab, &lab.tests[2]) &&
		      !lab_test_here(&lab, &lab.tests[3]) &&
		      !strcmp(lab_test_host(&lab, &lab.tests[0]), "a"),
	      "%s", "no");
out:
	lab_free(&lab);
}

static void ids(void)
{
	struct lab_l2tp_ids s0, s1;

	lab_l2tp_ids("lab", "link", 0, &s0);
	lab_l2tp_ids("lab", "link", 1, &s1);
	CHECK("the two sides' ids mirror each other",
	      s0.rx_session == s1.tx_session &&
		      s0.tx_session == s1.rx_session &&
		      s0.rx_cookie == s1.tx_cookie &&
		      s0.tx_cookie == s1.rx_cookie &&
		      s0.rx_session != s0.tx_session,
	      "%u %u %u %u", s0.rx_session, s0.tx_session, s1.rx_session,
	      s1.tx_session);
	CHECK("sessions are 1..0x7fffffff",
	      s0.rx_session && s0.rx_session <= 0x7fffffff && s0.tx_session &&
		      s0.tx_session <= 0x7fffffff,
	      "%u %u", s0.rx_session, s0.tx_session);
	/* FNV-1a of "lab/link/session", as lab export --kubernetes had it */
	CHECK_INT("FNV-1a, unchanged by the move from kube.c",
		  (int)(lab_derive("a", "b", "c") == 0x477dfb6bu), 1);
	CHECK_INT("overhead: IPv4 L2TPv3",
		  (int)lab_cross_overhead(LINK_L2TPV3, AF_INET), 54);
	CHECK_INT("overhead: IPv6 L2TPv3",
		  (int)lab_cross_overhead(LINK_L2TPV3, AF_INET6), 74);
	CHECK_INT("overhead: IPv4 GRE",
		  (int)lab_cross_overhead(LINK_GRE, AF_INET), 42);
	CHECK_INT("overhead: IPv6 GRE",
		  (int)lab_cross_overhead(LINK_GRE, AF_INET6), 62);
}

static void gre_v6_mtu(void)
{
	struct lab lab = { 0 };
	struct err e = { "" };
	const struct iface *a;
	int ret = lab_unit_text("[lab]\nname = g\n"
				"[host a]\naddress = fd00::1\nmtu = 9000\n"
				"[host b]\naddress = fd00::2\nmtu = 1400\n"
				"[node r1]\nhost = a\n[node r2]\nhost = b\n"
				"[link l]\nendpoint = r1\nendpoint = r2\n"
				"transport = gre\n",
				&lab, &e);

	CHECK("a GRE wire over IPv6 compiles", ret == 0, "%s", e.msg);
	if (ret)
		goto out;
	CHECK_INT("its MTU: the smaller host's 1400 - 62",
		  (int)lab.links[0].mtu, 1338);
	a = find_iface(lab.nodes[0].p, 0);
	CHECK("gre, v6 = 1, one key both ways",
	      a && a->transport == &transport_gre &&
		      !strcmp(iface_opt(a, "v6") ?: "", "1") &&
		      !strcmp(iface_opt(a, "rx_key"), iface_opt(a, "tx_key")) &&
		      !strcmp(iface_opt(a, "dst"), "fd00::2"),
	      "%s", a ? iface_opt(a, "dst") : "no vec0");
out:
	lab_free(&lab);
}

/* 300 wires between two hosts: their derived ports never collide */
static void ports(void)
{
	struct strbuf sb = { 0 };
	struct lab lab = { 0 };
	struct err e = { "" };
	int i, j, ret, dup = 0;

	sb_puts(&sb, "[lab]\nname = p\n[host a]\naddress = 10.0.0.1\n"
		     "[host b]\naddress = 10.0.0.2\n");
	for (i = 0; i < 300; i++)
		sb_printf(&sb,
			  "[node a%d]\nhost = a\n[node b%d]\nhost = b\n"
			  "[link l%d]\nendpoint = a%d\nendpoint = b%d\n",
			  i, i, i, i, i);
	ret = lab_parse("/x/p.lab", sb_str(&sb), "/x", &lab, &e);
	CHECK("300 wires between two hosts parse", ret == 0, "%s", e.msg);
	for (i = 0; !ret && i < lab.nlinks; i++)
		for (j = 0; j < i; j++)
			dup += lab.links[i].port == lab.links[j].port;
	CHECK_INT("their 300 ports are all different", dup, 0);
	lab_free(&lab);
	sb_free(&sb);
}

/* a segment over two hosts: switch on r1's host, l2tpv3 ends elsewhere */
static void segment(void)
{
	struct lab lab = { 0 };
	struct err e = { "" };
	const struct iface *i1, *i2, *i3;
	const struct lab_link *l;
	struct lab_l2tp_ids sw2, sw3;
	char port[16];
	int ret = lab_unit_text(
		"[lab]\nname = s\n"
		"[host a]\naddress = 198.51.100.1\n"
		"[host b]\naddress = 198.51.100.2\nmtu = 1400\n"
		"[node r1]\nhost = a\n[node r2]\nhost = b\n"
		"[node r3]\nhost = b\n"
		"[link lan]\nendpoint = r1 10.1.0.1/24\n"
		"endpoint = r2 10.1.0.2/24\nendpoint = r3 10.1.0.3/24\n",
		&lab, &e);

	CHECK("a segment over two hosts compiles", ret == 0, "%s", e.msg);
	if (ret)
		goto out;
	l = &lab.links[0];
	CHECK("it crosses, still a switch; its switch is on host a",
	      l->cross && l->kind == LINK_SWITCH && lab_link_switched(l) &&
		      l->sw_host == 0,
	      "%d %d %d", l->cross, l->kind, l->sw_host);
	CHECK_INT("its MTU: the smaller underlay, 1400 - 54", (int)l->mtu,
		  1346);
	CHECK("ports: the switch's, and one each for r2 and r3, all differ",
	      l->port >= 20000 && l->eps[1].port >= 20000 &&
		      l->eps[2].port >= 20000 && !l->eps[0].port &&
		      l->eps[1].port != l->eps[2].port,
	      "%u %u %u", l->port, l->eps[1].port, l->eps[2].port);
	i1 = find_iface(lab.nodes[0].p, 0);
	i2 = find_iface(lab.nodes[1].p, 0);
	i3 = find_iface(lab.nodes[2].p, 0);
	CHECK("r1 (the switch's host) is bess, r2 and r3 l2tpv3",
	      i1 && i2 && i3 && i1->transport == &transport_bess &&
		      i2->transport == &transport_l2tpv3 &&
		      i3->transport == &transport_l2tpv3,
	      "%p %p %p", (void *)i1, (void *)i2, (void *)i3);
	if (!i1 || !i2 || !i3)
		goto out;
	snprintf(port, sizeof(port), "%u", l->port);
	CHECK("r2 sends from b to the switch's address and port",
	      !strcmp(iface_opt(i2, "src"), "198.51.100.2") &&
		      !strcmp(iface_opt(i2, "dst"), "198.51.100.1") &&
		      !strcmp(iface_opt(i2, "dstport"), port) &&
		      atoi(iface_opt(i2, "srcport")) == (int)l->eps[1].port,
	      "%s>%s:%s from %s", iface_opt(i2, "src"), iface_opt(i2, "dst"),
	      iface_opt(i2, "dstport"), iface_opt(i2, "srcport"));
	CHECK("every end has the segment's MTU, bess too",
	      !strcmp(iface_opt(i1, "mtu") ?: "", "1346") &&
		      !strcmp(iface_opt(i2, "mtu") ?: "", "1346") &&
		      !strcmp(iface_opt(i3, "mtu") ?: "", "1346"),
	      "%s %s %s", iface_opt(i1, "mtu"), iface_opt(i2, "mtu"),
	      iface_opt(i3, "mtu"));
	lab_seg_ids("s", l, 1, 0, &sw2);
	lab_seg_ids("s", l, 2, 0, &sw3);
	CHECK("r2's session is its own; the switch receives what it sends",
	      sw2.rx_session != sw3.rx_session &&
		      (unsigned)atol(iface_opt(i2, "tx_session")) ==
			      sw2.rx_session &&
		      (unsigned)atol(iface_opt(i2, "rx_session")) ==
			      sw2.tx_session &&
		      (unsigned)atol(iface_opt(i2, "tx_cookie")) ==
			      sw2.rx_cookie,
	      "%u %u %s", sw2.rx_session, sw3.rx_session,
	      iface_opt(i2, "tx_session"));
	lab.here = 1;
	CHECK("host b does not run the switch, host a does",
	      !lab_switch_here(&lab, l) &&
		      (lab.here = 0, lab_switch_here(&lab, l)),
	      "%s", "no");
out:
	lab_free(&lab);
}

int main(void)
{
	segment();
	l2tpv3();
	ids();
	gre_v6_mtu();
	ports();
	UNIT_DONE();
}
