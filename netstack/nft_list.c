// SPDX-License-Identifier: GPL-2.0
/*
 * What nf_tables holds, read back: the ip tables with their userdata, and
 * the host ports a umnet NAT table forwards (its dnat rules say which in
 * their comment). Dumps through netfilter netlink with libmnl.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include "nft.h"
#include "nft_priv.h"
#include "nl_priv.h"

/* nft's rule userdata: TLVs of type, length, value; 0 is the comment */
#define UDATA_RULE_COMMENT 0
#define PORT_COMMENT "umnet: host port %u/%s"

static const struct {
	uint8_t proto;
	const char *name;
} protos[] = { { IPPROTO_TCP, "tcp" },
	       { IPPROTO_UDP, "udp" },
	       { IPPROTO_SCTP, "sctp" } };

const char *nft_proto_name(uint8_t proto)
{
	size_t i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (protos[i].proto == proto)
			return protos[i].name;
	return "?";
}

int nft_proto_parse(const char *name, uint8_t *proto)
{
	size_t i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (!strcmp(name, protos[i].name)) {
			*proto = protos[i].proto;
			return 0;
		}
	return -EINVAL;
}

void nft_port_comment(struct nlmsghdr *nlh, const struct nft_dnat *d)
{
	unsigned char ud[2 + 64];
	int n;

	n = snprintf((char *)ud + 2, sizeof(ud) - 2, PORT_COMMENT, d->port,
		     nft_proto_name(d->proto));
	ud[0] = UDATA_RULE_COMMENT;
	ud[1] = n + 1; /* with its NUL, as nft writes it */
	mnl_attr_put(nlh, NFTA_RULE_USERDATA, 2 + n + 1, ud);
}

struct tables_walk {
	int (*cb)(const char *name, const char *userdata, void *arg);
	void *arg;
	int ret;
};

/* a message's attributes by type, those up to max */
struct attrs {
	const struct nlattr **tb;
	int max;
};

static int attr_cb(const struct nlattr *a, void *data)
{
	struct attrs *t = data;
	int type = mnl_attr_get_type(a);

	if (type <= t->max)
		t->tb[type] = a;
	return MNL_CB_OK;
}

static int parse_attrs(const struct nlmsghdr *nlh, const struct nlattr **tb,
		       int max)
{
	struct attrs t = { tb, max };

	return mnl_attr_parse(nlh, sizeof(struct nfgenmsg), attr_cb, &t);
}

static int table_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFTA_TABLE_MAX + 1] = { 0 };
	struct tables_walk *w = data;
	char name[NFT_TABLE_MAXNAMELEN], ud[256] = "";

	if (w->ret)
		return MNL_CB_OK;
	if (parse_attrs(nlh, tb, NFTA_TABLE_MAX) < 0 || !tb[NFTA_TABLE_NAME] ||
	    mnl_attr_validate(tb[NFTA_TABLE_NAME], MNL_TYPE_NUL_STRING) < 0)
		return MNL_CB_OK;
	snprintf(name, sizeof(name), "%s",
		 mnl_attr_get_str(tb[NFTA_TABLE_NAME]));
	if (tb[NFTA_TABLE_USERDATA]) {
		size_t n = mnl_attr_get_payload_len(tb[NFTA_TABLE_USERDATA]);

		if (n >= sizeof(ud))
			n = sizeof(ud) - 1;
		memcpy(ud, mnl_attr_get_payload(tb[NFTA_TABLE_USERDATA]), n);
		ud[n] = '\0';
	}
	w->ret = w->cb(name, ud, w->arg);
	return MNL_CB_OK;
}

int nft_tables(struct nl *nl,
	       int (*cb)(const char *name, const char *userdata, void *arg),
	       void *arg)
{
	NL_MSG_BUF(buf);
	struct tables_walk w = { cb, arg, 0 };
	struct nlmsghdr *nlh;
	int ret;

	if (!nl || !cb)
		return -EINVAL;
	nlh = nfmsg(buf, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETTABLE,
		    NFPROTO_IPV4, NLM_F_DUMP, 0, 0);
	ret = nl_request(nl, nlh, table_cb, &w);
	return ret ? ret : w.ret;
}

struct ports_walk {
	int (*cb)(uint8_t proto, uint16_t port, void *arg);
	void *arg;
	int ret;
};

/* the comment of a rule's userdata, if it is one of PORT_COMMENT */
static int port_of(const unsigned char *ud, size_t len, uint8_t *proto,
		   uint16_t *port)
{
	char c[128], pname[8];
	unsigned int p;

	while (len >= 2 && (size_t)ud[1] + 2 <= len) {
		if (ud[0] == UDATA_RULE_COMMENT && ud[1] > 0 &&
		    ud[1] < sizeof(c)) {
			memcpy(c, ud + 2, ud[1]);
			c[ud[1]] = '\0';
			if (sscanf(c, "umnet: host port %u/%7s", &p, pname) !=
				    2 ||
			    !p || p > 65535)
				return -ENOENT;
			if (nft_proto_parse(pname, proto))
				return -ENOENT;
			*port = p;
			return 0;
		}
		len -= ud[1] + 2;
		ud += ud[1] + 2;
	}
	return -ENOENT;
}

static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFTA_RULE_MAX + 1] = { 0 };
	struct ports_walk *w = data;
	uint16_t port;
	uint8_t proto;

	if (w->ret)
		return MNL_CB_OK;
	if (parse_attrs(nlh, tb, NFTA_RULE_MAX) < 0 || !tb[NFTA_RULE_USERDATA])
		return MNL_CB_OK;
	if (!port_of(mnl_attr_get_payload(tb[NFTA_RULE_USERDATA]),
		     mnl_attr_get_payload_len(tb[NFTA_RULE_USERDATA]), &proto,
		     &port))
		w->ret = w->cb(proto, port, w->arg);
	return MNL_CB_OK;
}

int nft_dnat_ports(struct nl *nl, const char *table,
		   int (*cb)(uint8_t proto, uint16_t port, void *arg),
		   void *arg)
{
	NL_MSG_BUF(buf);
	struct ports_walk w = { cb, arg, 0 };
	struct nlmsghdr *nlh;
	int ret;

	if (!nl || !cb || !table || !table[0] ||
	    strlen(table) >= NFT_TABLE_MAXNAMELEN)
		return -EINVAL;
	nlh = nfmsg(buf, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETRULE,
		    NFPROTO_IPV4, NLM_F_DUMP, 0, 0);
	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, table);
	ret = nl_request(nl, nlh, rule_cb, &w);
	return ret ? ret : w.ret;
}
