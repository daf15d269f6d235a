// SPDX-License-Identifier: GPL-2.0
/*
 * netstack/nft.c: a NAT table made in one batch, listed with its user
 * data and the host ports it forwards, refused twice, deleted. Needs root: the cases run as
 * netstack_unit.h runs them, in a private network namespace.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "netstack_unit.h"
#include "nft.h"

struct seen {
	int n;
	char ud[256];
};

static int table_cb(const char *name, const char *ud, void *arg)
{
	struct seen *s = arg;

	if (!strcmp(name, "umnet-t1")) {
		s->n++;
		snprintf(s->ud, sizeof(s->ud), "%s", ud);
	}
	return 0;
}

/* the ports nft_dnat_ports reports, as "8080/6 3000/17 " */
static int port_cb(uint8_t proto, uint16_t port, void *arg)
{
	char *out = arg;
	size_t n = strlen(out);

	snprintf(out + n, 256 - n, "%u/%u ", port, proto);
	return 0;
}

/* the one table of protocol names, both ways */
static void test_proto_names(void)
{
	static const char *const names[] = { "tcp", "udp", "sctp" };
	uint8_t p = 0;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		ret = nft_proto_parse(names[i], &p);
		CHECK("proto name round trip",
		      !ret && !strcmp(nft_proto_name(p), names[i]),
		      "%s: %d, %s", names[i], ret, nft_proto_name(p));
	}
	ret = nft_proto_parse("icmp", &p);
	CHECK("icmp is not a dnat protocol", ret == -EINVAL, "%d", ret);
	ret = nft_proto_parse("TCP", &p);
	CHECK("names are lower case, as nft writes them", ret == -EINVAL, "%d",
	      ret);
	CHECK("a protocol without a name",
	      !strcmp(nft_proto_name(IPPROTO_ICMP), "?"), "%s",
	      nft_proto_name(IPPROTO_ICMP));
}

static void test_nft(struct nl *rt)
{
	struct nft_dnat d[2] = {
		{ .proto = IPPROTO_TCP, .port = 8080, .to_port = 80 },
		{ .proto = IPPROTO_UDP, .port = 3000, .to_port = 53 },
	};
	struct nft_nat_spec s = { .table = "umnet-t1",
				  .dnats = d,
				  .ndnats = 2,
				  .userdata =
					  "ip_forward=0 subnet=198.18.5.0/24" };
	struct seen seen = { 0 };
	char ports[256];
	struct nl *nl = NULL;
	int ret;

	(void)rt;
	inet_pton(AF_INET, "198.18.5.2", &d[0].to);
	d[1].to = d[0].to;
	ip_prefix_parse("198.18.5.0/24", true, &s.masq);
	ret = nft_open(&nl, NULL);
	CHECK("nft_open", !ret, "%d", ret);
	if (ret)
		return;
	ret = nft_nat_add(nl, &s);
	CHECK("the table, 3 chains and 5 rules in one batch", !ret, "%s: %s",
	      strerror(-ret), nl_errmsg(nl));
	ret = nft_tables(nl, table_cb, &seen);
	CHECK("listed once, with its user data",
	      !ret && seen.n == 1 &&
		      !strcmp(seen.ud, "ip_forward=0 subnet=198.18.5.0/24"),
	      "%d %d %s", ret, seen.n, seen.ud);
	ports[0] = '\0';
	ret = nft_dnat_ports(nl, "umnet-t1", port_cb, ports);
	/* each port twice: the prerouting and the output rule */
	CHECK("its host ports, from the rules' comments",
	      !ret && !strcmp(ports, "8080/6 3000/17 8080/6 3000/17 "), "%d %s",
	      ret, ports);
	ports[0] = '\0';
	ret = nft_dnat_ports(nl, "umnet-nosuch", port_cb, ports);
	CHECK("the ports of a table that does not exist: none, 0",
	      !ret && !ports[0], "%d %s", ret, ports);
	ret = nft_nat_add(nl, &s);
	CHECK("a second one of that name: -EEXIST, nothing changed",
	      ret == -EEXIST, "%d", ret);
	s.table = "umnet-t2";
	s.masq.family = AF_INET6;
	ret = nft_nat_add(nl, &s);
	CHECK("an IPv6 masquerade prefix: -EINVAL", ret == -EINVAL, "%d", ret);
	ret = nft_table_del(nl, "umnet-t1");
	CHECK("deleted with all it holds", !ret, "%d %s", ret, nl_errmsg(nl));
	seen.n = 0;
	nft_tables(nl, table_cb, &seen);
	CHECK_INT("gone from the list", seen.n, 0);
	ret = nft_table_del(nl, "umnet-t1");
	CHECK("deleting it again: -ENOENT", ret == -ENOENT, "%d", ret);
	nl_close(nl);
	test_proto_names();
}

int main(void)
{
	return netstack_unit_main(test_nft);
}
