// SPDX-License-Identifier: GPL-2.0
/*
 * Static L2TPv3 tunnels and Ethernet sessions through the "l2tp" generic
 * netlink family (what `ip l2tp` does). The family id is looked up for each
 * request: a handful of requests per node, and no state beyond struct nl.
 */
#include <errno.h>

/* glibc's netinet/in.h first: linux/l2tp.h pulls in linux/in.h */
#include "nl_priv.h"
#include "tundev.h"

#include <linux/genetlink.h>
#include <linux/l2tp.h>

static int genl_sock_open(void *arg)
{
	return nl_sock_init(arg, NETLINK_GENERIC);
}

static struct nlmsghdr *genl_msg(char *buf, uint16_t family, uint8_t cmd,
				 uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	uint16_t *id = data;

	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(attr, MNL_TYPE_U16) == 0)
		*id = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb,
			      data);
}

/* the l2tp family's id, or -EOPNOTSUPP when the kernel has none */
static int l2tp_family(struct nl *nl, uint16_t *id)
{
	NL_MSG_BUF(buf);
	struct nlmsghdr *nlh;
	int ret;

	*id = 0;
	nlh = genl_msg(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, L2TP_GENL_NAME);
	ret = nl_request(nl, nlh, family_cb, id);
	if (ret == -ENOENT || (!ret && !*id))
		return -EOPNOTSUPP;
	return ret;
}

/* a request of the l2tp family: -EOPNOTSUPP when the kernel has none */
static int l2tp_msg(struct nl *nl, char *buf, uint8_t cmd,
		    struct nlmsghdr **nlh)
{
	uint16_t id;
	int ret;

	ret = l2tp_family(nl, &id);
	if (!ret)
		*nlh = genl_msg(buf, id, cmd, L2TP_GENL_VERSION);
	return ret;
}

int l2tp_open(struct nl **out, const char *netns)
{
	struct nl *nl = NULL;
	uint16_t id;
	int ret;

	if (!out)
		return -EINVAL;
	*out = NULL;
	ret = nl_open_with(&nl, netns, genl_sock_open);
	if (!ret)
		ret = l2tp_family(nl, &id);
	if (ret) {
		nl_close(nl);
		return ret;
	}
	*out = nl;
	return 0;
}

static void put_addrs(struct nlmsghdr *nlh, const struct l2tp_spec *s)
{
	if (s->local.family == AF_INET) {
		mnl_attr_put(nlh, L2TP_ATTR_IP_SADDR, 4, s->local.addr.bytes);
		mnl_attr_put(nlh, L2TP_ATTR_IP_DADDR, 4, s->remote.addr.bytes);
	} else {
		mnl_attr_put(nlh, L2TP_ATTR_IP6_SADDR, 16, s->local.addr.bytes);
		mnl_attr_put(nlh, L2TP_ATTR_IP6_DADDR, 16,
			     s->remote.addr.bytes);
	}
}

int l2tp_tunnel_add(struct nl *nl, const struct l2tp_spec *s)
{
	NL_MSG_BUF(buf);
	struct nlmsghdr *nlh;
	int ret;

	if (!nl || !s || !s->tunnel_id || !s->peer_tunnel_id ||
	    (s->local.family != AF_INET && s->local.family != AF_INET6) ||
	    s->remote.family != s->local.family)
		return -EINVAL;
	ret = l2tp_msg(nl, buf, L2TP_CMD_TUNNEL_CREATE, &nlh);
	if (ret)
		return ret;
	mnl_attr_put_u32(nlh, L2TP_ATTR_CONN_ID, s->tunnel_id);
	mnl_attr_put_u32(nlh, L2TP_ATTR_PEER_CONN_ID, s->peer_tunnel_id);
	mnl_attr_put_u8(nlh, L2TP_ATTR_PROTO_VERSION, 3);
	mnl_attr_put_u16(nlh, L2TP_ATTR_ENCAP_TYPE,
			 s->udp ? L2TP_ENCAPTYPE_UDP : L2TP_ENCAPTYPE_IP);
	put_addrs(nlh, s);
	if (s->udp) {
		mnl_attr_put_u16(nlh, L2TP_ATTR_UDP_SPORT, s->sport);
		mnl_attr_put_u16(nlh, L2TP_ATTR_UDP_DPORT, s->dport);
	}
	return nl_request(nl, nlh, NULL, NULL);
}

int l2tp_session_add(struct nl *nl, const struct l2tp_spec *s,
		     const char *ifname)
{
	NL_MSG_BUF(buf);
	struct nlmsghdr *nlh;
	int ret;

	if (!nl || !s || !ifname_valid(ifname) || !s->session_id ||
	    !s->peer_session_id ||
	    (s->cookie_len != 0 && s->cookie_len != 4 && s->cookie_len != 8))
		return -EINVAL;
	ret = l2tp_msg(nl, buf, L2TP_CMD_SESSION_CREATE, &nlh);
	if (ret)
		return ret;
	mnl_attr_put_u32(nlh, L2TP_ATTR_CONN_ID, s->tunnel_id);
	mnl_attr_put_u32(nlh, L2TP_ATTR_SESSION_ID, s->session_id);
	mnl_attr_put_u32(nlh, L2TP_ATTR_PEER_SESSION_ID, s->peer_session_id);
	mnl_attr_put_u16(nlh, L2TP_ATTR_PW_TYPE, L2TP_PWTYPE_ETH);
	mnl_attr_put_u8(nlh, L2TP_ATTR_L2SPEC_TYPE,
			s->l2spec ? L2TP_L2SPECTYPE_DEFAULT
				  : L2TP_L2SPECTYPE_NONE);
	mnl_attr_put_u8(nlh, L2TP_ATTR_L2SPEC_LEN, s->l2spec ? 4 : 0);
	mnl_attr_put_strz(nlh, L2TP_ATTR_IFNAME, ifname);
	if (s->cookie_len) {
		mnl_attr_put(nlh, L2TP_ATTR_COOKIE, s->cookie_len, s->cookie);
		mnl_attr_put(nlh, L2TP_ATTR_PEER_COOKIE, s->cookie_len,
			     s->peer_cookie);
	}
	return nl_request(nl, nlh, NULL, NULL);
}

int l2tp_tunnel_del(struct nl *nl, uint32_t tunnel_id)
{
	NL_MSG_BUF(buf);
	struct nlmsghdr *nlh;
	int ret;

	if (!nl)
		return -EINVAL;
	ret = l2tp_msg(nl, buf, L2TP_CMD_TUNNEL_DELETE, &nlh);
	if (ret)
		return ret;
	mnl_attr_put_u32(nlh, L2TP_ATTR_CONN_ID, tunnel_id);
	return nl_request(nl, nlh, NULL, NULL);
}
