// SPDX-License-Identifier: GPL-2.0
/*
 * netstack: parsers, links, addresses, routes and taps; named namespaces
 * are test_netstack_netns.c. Needs root: the cases run as netstack_unit.h
 * runs them, in a private network and mount namespace.
 */
#include <errno.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "netstack_unit.h"

/* ------------------------------------------------ independent netlink view */

/* one request (or dump) on a fresh socket in the current netns */
static int talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char buf[32768] __attribute__((aligned(8)));
	struct mnl_socket *sock = NULL;
	unsigned int portid, seq = nlh->nlmsg_seq = 4242;
	ssize_t n;
	int ret;

	sock = mnl_socket_open(NETLINK_ROUTE);
	if (!sock)
		return -errno;
	if (mnl_socket_bind(sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		goto cleanup;
	}
	portid = mnl_socket_get_portid(sock);
	if (mnl_socket_sendto(sock, nlh, nlh->nlmsg_len) < 0) {
		ret = -errno;
		goto cleanup;
	}
	do {
		n = mnl_socket_recvfrom(sock, buf, sizeof(buf));
		if (n < 0) {
			ret = -errno;
			goto cleanup;
		}
		ret = mnl_cb_run(buf, n, seq, portid, cb, data);
	} while (ret > MNL_CB_STOP);
	ret = ret < 0 ? -errno : 0;
cleanup:
	mnl_socket_close(sock);
	return ret;
}

struct link_info {
	int index;
	unsigned int flags;
	unsigned int mtu;
	char kind[16];
	long owner, group; /* tun only, -2 = not reported */
	int pi, vnet_hdr, persist;
};

static int link_info_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct link_info *li = data;
	const struct nlattr *a, *b, *c;

	li->index = ifi->ifi_index;
	li->flags = ifi->ifi_flags;
	mnl_attr_for_each(a, nlh, sizeof(*ifi))
	{
		if (mnl_attr_get_type(a) == IFLA_MTU)
			li->mtu = mnl_attr_get_u32(a);
		if (mnl_attr_get_type(a) != IFLA_LINKINFO)
			continue;
		mnl_attr_for_each_nested(b, a)
		{
			if (mnl_attr_get_type(b) == IFLA_INFO_KIND)
				snprintf(li->kind, sizeof(li->kind), "%.*s",
					 (int)mnl_attr_get_payload_len(b),
					 (const char *)mnl_attr_get_payload(b));
			if (mnl_attr_get_type(b) != IFLA_INFO_DATA ||
			    strcmp(li->kind, "tun"))
				continue;
			mnl_attr_for_each_nested(c, b)
			{
				switch (mnl_attr_get_type(c)) {
				case IFLA_TUN_OWNER:
					li->owner = mnl_attr_get_u32(c);
					break;
				case IFLA_TUN_GROUP:
					li->group = mnl_attr_get_u32(c);
					break;
				case IFLA_TUN_PI:
					li->pi = mnl_attr_get_u8(c);
					break;
				case IFLA_TUN_VNET_HDR:
					li->vnet_hdr = mnl_attr_get_u8(c);
					break;
				case IFLA_TUN_PERSIST:
					li->persist = mnl_attr_get_u8(c);
					break;
				}
			}
		}
	}
	return MNL_CB_OK;
}

static int get_link(const char *ifname, struct link_info *li)
{
	char buf[1024] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	memset(li, 0, sizeof(*li));
	li->owner = li->group = -2;
	li->pi = li->vnet_hdr = li->persist = -1;
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	return talk(nlh, link_info_cb, li);
}

struct addr_find {
	int index, family, len;
	unsigned char addr[16];
	bool found;
};

static int addr_find_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct addr_find *f = data;
	const struct nlattr *a;
	size_t alen = f->family == AF_INET ? 4 : 16;

	if ((int)ifa->ifa_index != f->index || ifa->ifa_family != f->family ||
	    ifa->ifa_prefixlen != f->len)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*ifa))
	{
		/* IFA_LOCAL is the address itself for both families here */
		if ((mnl_attr_get_type(a) == IFA_ADDRESS ||
		     mnl_attr_get_type(a) == IFA_LOCAL) &&
		    mnl_attr_get_payload_len(a) == alen &&
		    !memcmp(mnl_attr_get_payload(a), f->addr, alen))
			f->found = true;
	}
	return MNL_CB_OK;
}

static bool addr_present(int index, const char *text)
{
	char buf[1024] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct addr_find f = { .index = index };
	struct ip_prefix p;
	struct ifaddrmsg *ifa;

	if (ip_prefix_parse(text, true, &p))
		return false;
	f.family = p.family;
	f.len = p.len;
	memcpy(f.addr, p.addr.bytes, 16);
	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_UNSPEC;
	if (talk(nlh, addr_find_cb, &f))
		return false;
	return f.found;
}

struct route_find {
	struct ip_prefix dst, gw; /* gw.family 0: must have no gateway */
	int oif, scope, protocol;
	bool found;
};

static int route_find_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct route_find *f = data;
	const struct nlattr *a;
	unsigned char dst[16] = { 0 }, gw[16] = { 0 };
	bool has_gw = false;
	size_t alen = f->dst.family == AF_INET ? 4 : 16;
	unsigned int table = rtm->rtm_table;
	int oif = 0;

	if (rtm->rtm_family != f->dst.family || rtm->rtm_dst_len != f->dst.len)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*rtm))
	{
		switch (mnl_attr_get_type(a)) {
		case RTA_DST:
			memcpy(dst, mnl_attr_get_payload(a), alen);
			break;
		case RTA_GATEWAY:
			memcpy(gw, mnl_attr_get_payload(a), alen);
			has_gw = true;
			break;
		case RTA_OIF:
			oif = mnl_attr_get_u32(a);
			break;
		case RTA_TABLE:
			table = mnl_attr_get_u32(a);
			break;
		}
	}
	if (table != RT_TABLE_MAIN || memcmp(dst, f->dst.addr.bytes, alen) ||
	    has_gw != !!f->gw.family ||
	    (has_gw && memcmp(gw, f->gw.addr.bytes, alen)) ||
	    (f->oif && oif != f->oif) || rtm->rtm_scope != f->scope ||
	    rtm->rtm_protocol != f->protocol)
		return MNL_CB_OK;
	f->found = true;
	return MNL_CB_OK;
}

static bool route_present(const char *dst, const char *gw, int oif, int scope)
{
	char buf[1024] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct route_find f = { .oif = oif,
				.scope = scope,
				.protocol = RTPROT_STATIC };
	struct rtmsg *rtm;

	if (ip_prefix_parse(dst, true, &f.dst) ||
	    (gw && ip_prefix_parse(gw, false, &f.gw)))
		return false;
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = f.dst.family;
	if (talk(nlh, route_find_cb, &f))
		return false;
	return f.found;
}

/* ------------------------------------------------------------------ cases */

static void test_parse(void)
{
	static const char *const bad[] = {
		"",
		"garbage",
		"10.1.0.2/",
		"10.1.0.2/33",
		"10.1.0.2/-1",
		"10.1.0.2/+8",
		"10.1.0.2/24x",
		"10.1.0.2/24 ",
		"10.1.0.2x/24",
		" 10.1.0.2/24",
		"10.1.0/24",
		"10.1.0.256/24",
		"10.1.0.2/24/24",
		"/24",
		"fd00::1/129",
		"fd00::1/1280",
		"fd00:::1/64",
		"fd00::1%eth0/64",
		"10.1.0.2/99999999999999999999",
	};
	struct ip_prefix p;
	char buf[64], name[96];
	size_t i;

	CHECK_INT("parse 10.1.0.2/24", ip_prefix_parse("10.1.0.2/24", true, &p),
		  0);
	CHECK("parse 10.1.0.2/24 family/len",
	      p.family == AF_INET && p.len == 24 &&
		      p.addr.v4.s_addr == htonl(0x0a010002),
	      "family %d len %d", p.family, p.len);
	CHECK_STR("str 10.1.0.2/24", ip_prefix_str(&p, buf, sizeof(buf)),
		  "10.1.0.2/24");

	CHECK_INT("parse FD00:0:0::1/64",
		  ip_prefix_parse("FD00:0:0::1/64", true, &p), 0);
	CHECK("parse v6 family/len", p.family == AF_INET6 && p.len == 64,
	      "family %d len %d", p.family, p.len);
	CHECK_STR("str v6 canonical", ip_prefix_str(&p, buf, sizeof(buf)),
		  "fd00::1/64");

	CHECK_INT("parse without length, need_len",
		  ip_prefix_parse("10.1.0.2", true, &p), -EINVAL);
	CHECK_INT("parse v4 without length",
		  ip_prefix_parse("10.1.0.2", false, &p), 0);
	CHECK_STR("v4 default length", ip_prefix_str(&p, buf, sizeof(buf)),
		  "10.1.0.2/32");
	CHECK_INT("parse v6 without length", ip_prefix_parse("::1", false, &p),
		  0);
	CHECK_STR("v6 default length", ip_prefix_str(&p, buf, sizeof(buf)),
		  "::1/128");
	CHECK_INT("parse /0", ip_prefix_parse("0.0.0.0/0", true, &p), 0);
	CHECK_STR("str /0", ip_prefix_str(&p, buf, sizeof(buf)), "0.0.0.0/0");
	CHECK_INT("parse /128", ip_prefix_parse("fd00::/128", true, &p), 0);
	CHECK_INT("parse /32", ip_prefix_parse("1.2.3.4/32", true, &p), 0);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p.family = 77;
		snprintf(name, sizeof(name), "parse rejects \"%s\"", bad[i]);
		CHECK(name,
		      ip_prefix_parse(bad[i], false, &p) == -EINVAL &&
			      p.family == 77,
		      "accepted or clobbered the output");
	}
	CHECK_INT("parse NULL", ip_prefix_parse(NULL, false, &p), -EINVAL);

	memset(&p, 0, sizeof(p));
	CHECK_STR("str of unset prefix", ip_prefix_str(&p, buf, sizeof(buf)),
		  "");
	ip_prefix_parse("fd00:1:2:3:4:5:6:7/64", true, &p);
	CHECK_STR("str into a short buffer", ip_prefix_str(&p, buf, 8), "");
}

static void test_ifname(void)
{
	CHECK("ifname eth0", ifname_valid("eth0"), "rejected");
	CHECK("ifname 1 char", ifname_valid("a"), "rejected");
	CHECK("ifname 15 chars", ifname_valid("abcdefghijklmno"), "rejected");
	CHECK("ifname 16 chars", !ifname_valid("abcdefghijklmnop"), "accepted");
	CHECK("ifname empty", !ifname_valid(""), "accepted");
	CHECK("ifname NULL", !ifname_valid(NULL), "accepted");
	CHECK("ifname slash", !ifname_valid("a/b"), "accepted");
	CHECK("ifname colon", !ifname_valid("a:b"), "accepted");
	CHECK("ifname space", !ifname_valid("a b"), "accepted");
	CHECK("ifname tab", !ifname_valid("a\tb"), "accepted");
	CHECK("ifname dot", !ifname_valid("."), "accepted");
	CHECK("ifname dotdot", !ifname_valid(".."), "accepted");
	CHECK("ifname dash/underscore", ifname_valid("br-lan_0.1"), "rejected");
}

static void test_links(struct nl *nl)
{
	struct ip_prefix p, dst, gw;
	struct link_info li;
	int i0, ret;

	CHECK_INT("veth add", link_add_veth(nl, "nst0", "nst1"), 0);
	i0 = link_index(nl, "nst0");
	CHECK("veth: both ends exist", i0 > 0 && link_exists(nl, "nst1"),
	      "index %d, peer %d", i0, link_exists(nl, "nst1"));
	CHECK("link_index agrees with the kernel",
	      !get_link("nst0", &li) && li.index == i0 &&
		      !strcmp(li.kind, "veth"),
	      "kernel %d kind %s, ours %d", li.index, li.kind, i0);
	CHECK_INT("veth add duplicate", link_add_veth(nl, "nst0", "nst9"),
		  -EEXIST);
	CHECK_INT("veth add, peer name taken",
		  link_add_veth(nl, "nst9", "nst1"), -EEXIST);
	CHECK("failed veth add left nothing", !link_exists(nl, "nst9"),
	      "nst9 exists");
	CHECK_INT("veth add invalid name", link_add_veth(nl, "a:b", "nst9"),
		  -EINVAL);
	CHECK_INT("link_index missing", link_index(nl, "nst-none"), -ENODEV);
	CHECK("link_exists missing", !link_exists(nl, "nst-none"), "exists");

	CHECK_INT("link up nst0", link_set_up(nl, "nst0", true), 0);
	CHECK_INT("link up nst1", link_set_up(nl, "nst1", true), 0);
	CHECK("IFF_UP set", !get_link("nst0", &li) && (li.flags & IFF_UP),
	      "flags %#x", li.flags);
	CHECK_INT("link down nst0", link_set_up(nl, "nst0", false), 0);
	CHECK("IFF_UP cleared", !get_link("nst0", &li) && !(li.flags & IFF_UP),
	      "flags %#x", li.flags);
	CHECK_INT("link up again", link_set_up(nl, "nst0", true), 0);
	CHECK_INT("link up missing", link_set_up(nl, "nst-none", true),
		  -ENODEV);

	CHECK_INT("mtu 1400", link_set_mtu(nl, "nst0", 1400), 0);
	CHECK("mtu is 1400", !get_link("nst0", &li) && li.mtu == 1400, "mtu %u",
	      li.mtu);
	CHECK_STR("no extack after success", nl_errmsg(nl), "");
	ret = link_set_mtu(nl, "nst0", 10);
	CHECK_INT("mtu 10 rejected", ret, -EINVAL);
	CHECK("mtu 10: extack text", nl_errmsg(nl)[0] != '\0',
	      "nl_errmsg is empty");
	printf("# extack: \"%s\"\n", nl_errmsg(nl));
	CHECK_INT("mtu on missing link", link_set_mtu(nl, "nst-none", 1400),
		  -ENODEV);
	CHECK_STR("extack cleared by the next request", nl_errmsg(nl), "");

	/* addresses */
	ip_prefix_parse("10.99.0.1/24", true, &p);
	CHECK_INT("addr add v4", addr_add(nl, "nst0", &p), 0);
	CHECK("addr v4 present", addr_present(i0, "10.99.0.1/24"),
	      "not in RTM_GETADDR dump");
	CHECK_INT("addr add v4 duplicate", addr_add(nl, "nst0", &p), -EEXIST);
	CHECK_INT("addr add on missing link", addr_add(nl, "nst-none", &p),
		  -ENODEV);
	ip_prefix_parse("10.95.0.1/24", true, &p);
	CHECK_INT("addr add second v4", addr_add(nl, "nst0", &p), 0);
	CHECK_INT("addr del v4", addr_del(nl, "nst0", &p), 0);
	CHECK("addr v4 gone", !addr_present(i0, "10.95.0.1/24"),
	      "still in RTM_GETADDR dump");
	CHECK("other addr kept", addr_present(i0, "10.99.0.1/24"),
	      "10.99.0.1/24 vanished");
	CHECK_INT("addr del missing", addr_del(nl, "nst0", &p), -EADDRNOTAVAIL);
	ip_prefix_parse("fd00:99::1/64", true, &p);
	CHECK_INT("addr add v6", addr_add(nl, "nst0", &p), 0);
	CHECK("addr v6 present", addr_present(i0, "fd00:99::1/64"),
	      "not in RTM_GETADDR dump");

	/* routes */
	ip_prefix_parse("10.98.0.0/16", true, &dst);
	ip_prefix_parse("10.99.0.2", false, &gw);
	CHECK_INT("route via gateway", route_add(nl, &dst, &gw, NULL), 0);
	CHECK("route via gateway present",
	      route_present("10.98.0.0/16", "10.99.0.2", i0, RT_SCOPE_UNIVERSE),
	      "not in RTM_GETROUTE dump");
	CHECK_INT("route duplicate", route_add(nl, &dst, &gw, NULL), -EEXIST);
	CHECK_INT("default route", route_add(nl, NULL, &gw, "nst0"), 0);
	CHECK("default route present",
	      route_present("0.0.0.0/0", "10.99.0.2", i0, RT_SCOPE_UNIVERSE),
	      "not in RTM_GETROUTE dump");
	ip_prefix_parse("10.97.0.0/16", true, &dst);
	CHECK_INT("on-link route", route_add(nl, &dst, NULL, "nst0"), 0);
	CHECK("on-link route has link scope",
	      route_present("10.97.0.0/16", NULL, i0, RT_SCOPE_LINK),
	      "not in RTM_GETROUTE dump");
	ip_prefix_parse("fd00:98::/48", true, &dst);
	ip_prefix_parse("fd00:99::2", false, &gw);
	CHECK_INT("v6 route via gateway", route_add(nl, &dst, &gw, "nst0"), 0);
	CHECK("v6 route present",
	      route_present("fd00:98::/48", "fd00:99::2", i0,
			    RT_SCOPE_UNIVERSE),
	      "not in RTM_GETROUTE dump");
	ip_prefix_parse("10.96.0.0/16", true, &dst);
	ip_prefix_parse("192.0.2.1", false, &gw);
	ret = route_add(nl, &dst, &gw, "nst0");
	CHECK("route via unreachable gateway rejected", ret < 0, "got %d", ret);
	CHECK("unreachable gateway: extack text", nl_errmsg(nl)[0] != '\0',
	      "nl_errmsg is empty");
	printf("# %s, extack: \"%s\"\n", strerror(-ret), nl_errmsg(nl));
	ip_prefix_parse("10.99.0.2", false, &gw);
	ip_prefix_parse("fd00:98::/48", true, &dst);
	CHECK_INT("route family mismatch", route_add(nl, &dst, &gw, NULL),
		  -EINVAL);
	CHECK_INT("route to nowhere", route_add(nl, &dst, NULL, NULL), -EINVAL);

	/* link_del */
	CHECK_INT("link del missing", link_del(nl, "nst-none"), -ENODEV);
}

static void test_taps(struct nl *nl)
{
	struct link_info li;

	CHECK_INT("tap add (owner 1234:5678)",
		  tap_add(nl, "nstap1", 1234, 5678), 0);
	CHECK("tap is a persistent tap",
	      !get_link("nstap1", &li) && !strcmp(li.kind, "tun") &&
		      li.persist == 1 && li.pi == 0 && li.vnet_hdr == 0,
	      "kind %s persist %d pi %d vnet_hdr %d", li.kind, li.persist,
	      li.pi, li.vnet_hdr);
	CHECK("tap owner and group", li.owner == 1234 && li.group == 5678,
	      "owner %ld group %ld", li.owner, li.group);
	CHECK_INT("tap add duplicate", tap_add(nl, "nstap1", 0, 0), -EEXIST);
	CHECK_INT("tap add over a veth name", tap_add(nl, "nst0", 0, 0),
		  -EEXIST);
	CHECK_INT("tap del", link_del(nl, "nstap1"), 0);
	CHECK("tap gone", !link_exists(nl, "nstap1"), "still exists");
	CHECK_INT("tap add invalid name", tap_add(nl, "a b", 0, 0), -EINVAL);
}

static void cases(struct nl *nl)
{
	test_parse();
	test_ifname();
	CHECK_STR("nl_errmsg fresh", nl_errmsg(nl), "");
	CHECK_STR("nl_errmsg NULL", nl_errmsg(NULL), "");
	nl_close(NULL);
	test_links(nl);
	test_taps(nl);
}

int main(void)
{
	return netstack_unit_main(cases);
}
