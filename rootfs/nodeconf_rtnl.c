// SPDX-License-Identifier: GPL-2.0
/*
 * link and addr of node.conf over rtnetlink, instead of running ip(8): a
 * program start inside UML costs 30-70 ms, and a router has a few of these
 * lines per interface. Errors carry the kernel's errno text, like ip would
 * say. Part of init (static, PID 1): no libmnl inside the node.
 */
#include "nodeconf_priv.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define NL_ATTRS_MAX 128 /* room for a request's attributes */
#define NL_ANSWER_MAX 1024 /* an ACK, with the request echoed back */

struct nlreq {
	struct nlmsghdr nh;
	union {
		struct ifinfomsg ifi;
		struct ifaddrmsg ifa;
	};
	char attrs[NL_ATTRS_MAX];
};

static void nl_attr(struct nlreq *r, int type, const void *data, int alen)
{
	struct rtattr *rta =
		(struct rtattr *)((char *)r + NLMSG_ALIGN(r->nh.nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(alen);
	memcpy(RTA_DATA(rta), data, alen);
	r->nh.nlmsg_len =
		NLMSG_ALIGN(r->nh.nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

/* send r and read its ACK: 0, or -1 with "WHAT: reason" in msg */
static int nl_talk(struct nlreq *r, const char *what, char *msg, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char buf[NL_ANSWER_MAX];
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct nlmsgerr *e = NLMSG_DATA(h);
	int fd, ret = -1;
	ssize_t n;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return nodeconf_err(msg, len, "%s: netlink: %m", what);
	r->nh.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	r->nh.nlmsg_seq = 1;
	if (sendto(fd, r, r->nh.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0) {
		nodeconf_err(msg, len, "%s: netlink: %m", what);
		goto cleanup;
	}
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
		nodeconf_err(msg, len, "%s: netlink: no answer", what);
		goto cleanup;
	}
	if (h->nlmsg_type != NLMSG_ERROR) {
		nodeconf_err(msg, len, "%s: netlink: unexpected answer", what);
		goto cleanup;
	}
	if (e->error) {
		nodeconf_err(msg, len, "%s: %s", what, strerror(-e->error));
		goto cleanup;
	}
	ret = 0;
cleanup:
	close(fd);
	return ret;
}

/* set a->name up, renamed, with its MAC and MTU: one message, so that the
 * rename happens while the interface is still down */
int nodeconf_rtnl_link(struct nodeconf_action *a, char *msg, size_t len)
{
	struct nlreq r = { 0 };
	unsigned int idx = if_nametoindex(a->name);

	if (!idx)
		return nodeconf_err(msg, len, "%s: %m", a->what);
	r.nh.nlmsg_len = NLMSG_LENGTH(sizeof(r.ifi));
	r.nh.nlmsg_type = RTM_NEWLINK;
	r.ifi.ifi_family = AF_UNSPEC;
	r.ifi.ifi_index = idx;
	r.ifi.ifi_flags = IFF_UP;
	r.ifi.ifi_change = IFF_UP;
	if (a->value)
		nl_attr(&r, IFLA_IFNAME, a->value, strlen(a->value) + 1);
	if (a->set_mac)
		nl_attr(&r, IFLA_ADDRESS, a->mac, sizeof(a->mac));
	if (a->set_mtu)
		nl_attr(&r, IFLA_MTU, &a->mtu, sizeof(a->mtu));
	return nl_talk(&r, a->what, msg, len);
}

int nodeconf_rtnl_addr(struct nodeconf_action *a, char *msg, size_t len)
{
	struct nlreq r = { 0 };
	unsigned int idx = if_nametoindex(a->name);
	int alen = a->family == AF_INET ? 4 : 16;

	if (!idx)
		return nodeconf_err(msg, len, "%s: %m", a->what);
	r.nh.nlmsg_len = NLMSG_LENGTH(sizeof(r.ifa));
	r.nh.nlmsg_type = RTM_NEWADDR;
	r.nh.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	r.ifa.ifa_family = a->family;
	r.ifa.ifa_prefixlen = a->prefixlen;
	r.ifa.ifa_index = idx;
	nl_attr(&r, IFA_LOCAL, a->addr, alen);
	nl_attr(&r, IFA_ADDRESS, a->addr, alen);
	return nl_talk(&r, a->what, msg, len);
}
