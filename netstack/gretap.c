// SPDX-License-Identifier: GPL-2.0
/* gretap devices through rtnetlink (IFLA_INFO_KIND "gretap"/"ip6gretap"). */
#include <errno.h>
#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/if_tunnel.h>
#include <linux/rtnetlink.h>

#include "nl_priv.h"
#include "tundev.h"

int link_add_gretap(struct nl *nl, const char *ifname,
		    const struct gretap_spec *s)
{
	NL_MSG_BUF(buf);
	struct nlattr *info, *data;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	uint16_t flags = 0;
	size_t alen;

	if (!nl || !s || !ifname_valid(ifname) ||
	    (s->local.family != AF_INET && s->local.family != AF_INET6) ||
	    s->remote.family != s->local.family)
		return -EINVAL;
	alen = s->local.family == AF_INET ? 4 : 16;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND,
			  s->local.family == AF_INET ? "gretap" : "ip6gretap");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put(nlh, IFLA_GRE_LOCAL, alen, s->local.addr.bytes);
	mnl_attr_put(nlh, IFLA_GRE_REMOTE, alen, s->remote.addr.bytes);
	if (s->key) {
		flags |= GRE_KEY;
		mnl_attr_put_u32(nlh, IFLA_GRE_IKEY, htonl(s->ikey));
		mnl_attr_put_u32(nlh, IFLA_GRE_OKEY, htonl(s->okey));
	}
	if (s->seq)
		flags |= GRE_SEQ;
	/* GRE_KEY and GRE_SEQ are already big-endian (__be16) */
	mnl_attr_put_u16(nlh, IFLA_GRE_IFLAGS, flags);
	mnl_attr_put_u16(nlh, IFLA_GRE_OFLAGS, flags);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	/* a kernel without gretap answers -EOPNOTSUPP "Unknown device type" */
	return nl_request(nl, nlh, NULL, NULL);
}
