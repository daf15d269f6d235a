// SPDX-License-Identifier: GPL-2.0
/*
 * Links: lookup, veth pairs, deletion, flags, MTU, netns moves and taps.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "nl_priv.h"

/* start an RTM_*LINK request naming ifname */
static struct nlmsghdr *link_msg(char *buf, uint16_t type, uint16_t flags,
				 const char *ifname)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	return nlh;
}

static int link_index_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	int *index = data;

	if (nlh->nlmsg_type == RTM_NEWLINK &&
	    mnl_nlmsg_get_payload_len(nlh) >= sizeof(*ifi))
		*index = ifi->ifi_index;
	return MNL_CB_OK;
}

int link_index(struct nl *nl, const char *ifname)
{
	NL_MSG_BUF(buf);
	struct nlmsghdr *nlh;
	int index = 0, ret;

	if (!nl || !ifname_valid(ifname))
		return -EINVAL;
	nlh = link_msg(buf, RTM_GETLINK, 0, ifname);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	ret = nl_request(nl, nlh, link_index_cb, &index);
	if (ret)
		return ret;
	return index > 0 ? index : -ENODEV;
}

bool link_exists(struct nl *nl, const char *ifname)
{
	return link_index(nl, ifname) > 0;
}

int link_add_veth(struct nl *nl, const char *ifname, const char *peer)
{
	NL_MSG_BUF(buf);
	struct nlattr *info, *data, *peer_nest;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	if (!nl || !ifname_valid(ifname) || !ifname_valid(peer))
		return -EINVAL;
	nlh = link_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, ifname);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer_nest = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	/* the peer is described by its own ifinfomsg plus attributes */
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	mnl_attr_nest_end(nlh, peer_nest);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return nl_request(nl, nlh, NULL, NULL);
}

int link_del(struct nl *nl, const char *ifname)
{
	NL_MSG_BUF(buf);

	if (!nl || !ifname_valid(ifname))
		return -EINVAL;
	/* the kernel resolves IFLA_IFNAME itself: -ENODEV when absent */
	return nl_request(nl, link_msg(buf, RTM_DELLINK, 0, ifname), NULL,
			  NULL);
}

int link_set_up(struct nl *nl, const char *ifname, bool up)
{
	NL_MSG_BUF(buf);
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	if (!nl || !ifname_valid(ifname))
		return -EINVAL;
	/* RTM_NEWLINK without NLM_F_CREATE: modify, -ENODEV when absent */
	nlh = link_msg(buf, RTM_NEWLINK, 0, ifname);
	ifi = mnl_nlmsg_get_payload(nlh);
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	return nl_request(nl, nlh, NULL, NULL);
}

/* RTM_NEWLINK that sets one u32 attribute of ifname */
static int link_set_u32(struct nl *nl, const char *ifname, uint16_t attr,
			uint32_t v)
{
	NL_MSG_BUF(buf);
	struct nlmsghdr *nlh;

	nlh = link_msg(buf, RTM_NEWLINK, 0, ifname);
	mnl_attr_put_u32(nlh, attr, v);
	return nl_request(nl, nlh, NULL, NULL);
}

int link_set_mtu(struct nl *nl, const char *ifname, unsigned int mtu)
{
	if (!nl || !ifname_valid(ifname))
		return -EINVAL;
	return link_set_u32(nl, ifname, IFLA_MTU, mtu);
}

int link_set_master(struct nl *nl, const char *ifname, const char *master)
{
	int idx;

	if (!nl || !ifname_valid(ifname) || !ifname_valid(master))
		return -EINVAL;
	idx = link_index(nl, master);
	if (idx < 0)
		return idx;
	return link_set_u32(nl, ifname, IFLA_MASTER, idx);
}

int link_set_netns(struct nl *nl, const char *ifname, const char *netns)
{
	NL_MSG_BUF(buf);
	struct nlmsghdr *nlh;
	int fd = -1, ret;

	if (!nl || !ifname_valid(ifname))
		return -EINVAL;
	if (netns) {
		fd = netns_open(netns);
		if (fd < 0)
			return fd;
	} else {
		fd = open(NS_SELF, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
	}
	nlh = link_msg(buf, RTM_NEWLINK, 0, ifname);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, fd);
	ret = nl_request(nl, nlh, NULL, NULL);
	close(fd);
	return ret;
}

struct tap_args {
	const char *ifname;
	uid_t owner;
	gid_t group;
};

/* runs in the handle's netns: a tap is created where /dev/net/tun is opened */
static int tap_create(void *arg)
{
	const struct tap_args *a = arg;
	struct ifreq ifr;
	int fd = -1, ret;

	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	/* IFF_TUN_EXCL: fail instead of attaching to an existing device */
	ifr.ifr_flags = (short)(IFF_TAP | IFF_NO_PI | IFF_TUN_EXCL);
	strncpy(ifr.ifr_name, a->ifname, sizeof(ifr.ifr_name) - 1);
	if (ioctl(fd, TUNSETIFF, &ifr)) {
		ret = errno == EBUSY ? -EEXIST : -errno;
		goto cleanup;
	}
	/* until TUNSETPERSIST, closing fd removes the device again */
	if (ioctl(fd, TUNSETOWNER, (unsigned long)a->owner) ||
	    ioctl(fd, TUNSETGROUP, (unsigned long)a->group) ||
	    ioctl(fd, TUNSETPERSIST, 1UL)) {
		ret = -errno;
		goto cleanup;
	}
	ret = 0;
cleanup:
	close(fd);
	return ret;
}

int tap_add(struct nl *nl, const char *ifname, uid_t owner, gid_t group)
{
	struct tap_args a = { .ifname = ifname,
			      .owner = owner,
			      .group = group };

	if (!nl || !ifname_valid(ifname))
		return -EINVAL;
	nl->errmsg[0] = '\0';
	return ns_run_fd(nl->nsfd, tap_create, &a);
}
