// SPDX-License-Identifier: GPL-2.0
/*
 * Addresses and routes.
 */
#include <errno.h>
#include <string.h>

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "nl_priv.h"

/* address length for p's family, 0 when p is not a valid prefix */
static size_t prefix_alen(const struct ip_prefix *p)
{
	if (!p)
		return 0;
	if (p->family == AF_INET && p->len >= 0 && p->len <= 32)
		return sizeof(struct in_addr);
	if (p->family == AF_INET6 && p->len >= 0 && p->len <= 128)
		return sizeof(struct in6_addr);
	return 0;
}

static int addr_request(struct nl *nl, uint16_t type, uint16_t flags,
			const char *ifname, const struct ip_prefix *p)
{
	NL_MSG_BUF(buf);
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	size_t alen = prefix_alen(p);
	int index;

	if (!nl || !alen)
		return -EINVAL;
	index = link_index(nl, ifname);
	if (index < 0)
		return index;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = p->family;
	ifa->ifa_prefixlen = p->len;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = index;
	/* local == address: no point-to-point peer */
	mnl_attr_put(nlh, IFA_LOCAL, alen, p->addr.bytes);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, p->addr.bytes);
	return nl_request(nl, nlh, NULL, NULL);
}

int addr_add(struct nl *nl, const char *ifname, const struct ip_prefix *p)
{
	return addr_request(nl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, ifname,
			    p);
}

int addr_del(struct nl *nl, const char *ifname, const struct ip_prefix *p)
{
	return addr_request(nl, RTM_DELADDR, 0, ifname, p);
}

int route_add(struct nl *nl, const struct ip_prefix *dst,
	      const struct ip_prefix *gw, const char *ifname)
{
	NL_MSG_BUF(buf);
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	int family = AF_INET, oif = 0;

	if (!nl || (!gw && !ifname))
		return -EINVAL;
	if ((dst && !prefix_alen(dst)) || (gw && !prefix_alen(gw)))
		return -EINVAL;
	if (dst)
		family = dst->family;
	else if (gw)
		family = gw->family;
	if (gw && gw->family != family)
		return -EINVAL;
	if (ifname) {
		oif = link_index(nl, ifname);
		if (oif < 0)
			return oif;
	}

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = family;
	rtm->rtm_dst_len = dst ? dst->len : 0;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_type = RTN_UNICAST;
	/* like ip-route(8): on-link routes are link scope, IPv6 ignores it */
	rtm->rtm_scope =
		gw || family == AF_INET6 ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	if (dst && dst->len)
		mnl_attr_put(nlh, RTA_DST, prefix_alen(dst), dst->addr.bytes);
	if (gw)
		mnl_attr_put(nlh, RTA_GATEWAY, prefix_alen(gw), gw->addr.bytes);
	if (oif)
		mnl_attr_put_u32(nlh, RTA_OIF, oif);
	return nl_request(nl, nlh, NULL, NULL);
}
