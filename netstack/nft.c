// SPDX-License-Identifier: GPL-2.0
/*
 * nf_tables through netfilter netlink with libmnl: a NAT table made in one
 * transaction (NFNL_MSG_BATCH_BEGIN ... END, all or nothing), deleted by
 * name (the lists of tables and ports: nft_list.c). Expressions are built by hand from
 * <linux/netfilter/nf_tables.h>; every u32 attribute is big-endian there.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/rtnetlink.h>

#include "nft.h"
#include "nft_priv.h"
#include "nl_priv.h"

/* a table, three chains and a few rules fit many times over */
#define NFT_BATCH_SIZE (64 * 1024)
/* no answer to a batch within this long is an error, not a hang */
#define NFT_RCV_TIMEOUT_S 5

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

static int nft_sock_open(void *arg)
{
	struct nl *nl = arg;
	struct timeval tv = { .tv_sec = NFT_RCV_TIMEOUT_S };
	int ret = nl_sock_init(nl, NETLINK_NETFILTER);

	if (!ret)
		mnl_socket_setsockopt(nl->sock, SO_RCVTIMEO, &tv, sizeof(tv));
	return ret;
}

int nft_open(struct nl **out, const char *netns)
{
	return nl_open_with(out, netns, nft_sock_open);
}

struct nlmsghdr *nfmsg(char *buf, uint16_t type, uint16_t family,
		       uint16_t flags, uint32_t seq, uint16_t res_id)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = htons(res_id);
	return nlh;
}

/* an nf_tables command inside a batch */
static struct nlmsghdr *nft_cmd(struct mnl_nlmsg_batch *b, int cmd,
				uint16_t flags, uint32_t seq)
{
	return nfmsg(mnl_nlmsg_batch_current(b),
		     (NFNL_SUBSYS_NFTABLES << 8) | cmd, NFPROTO_IPV4,
		     flags | NLM_F_ACK, seq, 0);
}

/* ---- expressions ------------------------------------------------------ */

static void put_data(struct nlmsghdr *nlh, uint16_t type, const void *v,
		     size_t len)
{
	struct nlattr *d = mnl_attr_nest_start(nlh, type);

	mnl_attr_put(nlh, NFTA_DATA_VALUE, len, v);
	mnl_attr_nest_end(nlh, d);
}

static struct nlattr *expr_start(struct nlmsghdr *nlh, const char *name)
{
	struct nlattr *e = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);

	mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, name);
	return e;
}

static void expr_end(struct nlmsghdr *nlh, struct nlattr *e, struct nlattr *d)
{
	if (d)
		mnl_attr_nest_end(nlh, d);
	mnl_attr_nest_end(nlh, e);
}

static void be32_put(struct nlmsghdr *nlh, uint16_t type, uint32_t v)
{
	mnl_attr_put_u32(nlh, type, htonl(v));
}

/* an expression whose data is only u32 attributes */
struct u32_attr {
	uint16_t type;
	uint32_t v;
};

static void e_u32s(struct nlmsghdr *nlh, const char *name,
		   const struct u32_attr *a, size_t n)
{
	struct nlattr *e = expr_start(nlh, name);
	struct nlattr *d = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
	size_t i;

	for (i = 0; i < n; i++)
		be32_put(nlh, a[i].type, a[i].v);
	expr_end(nlh, e, d);
}

/* payload base offset len -> reg */
static void e_payload(struct nlmsghdr *nlh, uint32_t base, uint32_t off,
		      uint32_t len, uint32_t reg)
{
	const struct u32_attr a[] = { { NFTA_PAYLOAD_DREG, reg },
				      { NFTA_PAYLOAD_BASE, base },
				      { NFTA_PAYLOAD_OFFSET, off },
				      { NFTA_PAYLOAD_LEN, len } };

	e_u32s(nlh, "payload", a, ARRAY_SIZE(a));
}

/* reg = reg & mask (4 bytes) */
static void e_mask(struct nlmsghdr *nlh, uint32_t reg, const void *mask)
{
	struct nlattr *e = expr_start(nlh, "bitwise");
	struct nlattr *d = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
	uint32_t zero = 0;

	be32_put(nlh, NFTA_BITWISE_SREG, reg);
	be32_put(nlh, NFTA_BITWISE_DREG, reg);
	be32_put(nlh, NFTA_BITWISE_LEN, 4);
	put_data(nlh, NFTA_BITWISE_MASK, mask, 4);
	put_data(nlh, NFTA_BITWISE_XOR, &zero, 4);
	expr_end(nlh, e, d);
}

static void e_cmp(struct nlmsghdr *nlh, uint32_t reg, uint32_t op,
		  const void *v, size_t len)
{
	struct nlattr *e = expr_start(nlh, "cmp");
	struct nlattr *d = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);

	be32_put(nlh, NFTA_CMP_SREG, reg);
	be32_put(nlh, NFTA_CMP_OP, op);
	put_data(nlh, NFTA_CMP_DATA, v, len);
	expr_end(nlh, e, d);
}

static void e_imm(struct nlmsghdr *nlh, uint32_t reg, const void *v, size_t len)
{
	struct nlattr *e = expr_start(nlh, "immediate");
	struct nlattr *d = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);

	be32_put(nlh, NFTA_IMMEDIATE_DREG, reg);
	put_data(nlh, NFTA_IMMEDIATE_DATA, v, len);
	expr_end(nlh, e, d);
}

/* ip saddr|daddr (offset 12|16) in / not in prefix p (IPv4) */
static void m_prefix(struct nlmsghdr *nlh, uint32_t off,
		     const struct ip_prefix *p, uint32_t op)
{
	uint32_t mask = p->len ? htonl(~0u << (32 - p->len)) : 0;
	uint32_t net = p->addr.v4.s_addr & mask;

	e_payload(nlh, NFT_PAYLOAD_NETWORK_HEADER, off, 4, NFT_REG_1);
	e_mask(nlh, NFT_REG_1, &mask);
	e_cmp(nlh, NFT_REG_1, op, &net, 4);
}

static struct nlmsghdr *rule_start(struct mnl_nlmsg_batch *b, uint32_t seq,
				   const char *table, const char *chain,
				   struct nlattr **exprs)
{
	struct nlmsghdr *nlh =
		nft_cmd(b, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND, seq);

	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, table);
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, chain);
	*exprs = mnl_attr_nest_start(nlh, NFTA_RULE_EXPRESSIONS);
	return nlh;
}

/* ip saddr NET ip daddr != NET masquerade */
static void rule_masq(struct mnl_nlmsg_batch *b, uint32_t seq,
		      const struct nft_nat_spec *s)
{
	struct nlattr *exprs, *e;
	struct nlmsghdr *nlh =
		rule_start(b, seq, s->table, "postrouting", &exprs);

	m_prefix(nlh, 12, &s->masq, NFT_CMP_EQ);
	m_prefix(nlh, 16, &s->masq, NFT_CMP_NEQ);
	e = expr_start(nlh, "masq");
	expr_end(nlh, e, NULL);
	mnl_attr_nest_end(nlh, exprs);
}

/*
 * fib daddr type local [ip daddr != 127.0.0.0/8] meta l4proto P
 * th dport PORT dnat to TO:TO_PORT
 */
static void rule_dnat(struct mnl_nlmsg_batch *b, uint32_t seq,
		      const char *table, const char *chain,
		      const struct nft_dnat *d, bool not_loopback)
{
	static const struct ip_prefix lo = { .family = AF_INET,
					     .addr.bytes = { 127 },
					     .len = 8 };
	uint32_t local = RTN_LOCAL;
	uint16_t port = htons(d->port), to_port = htons(d->to_port);
	static const struct u32_attr fib[] = {
		{ NFTA_FIB_DREG, NFT_REG_1 },
		{ NFTA_FIB_RESULT, NFT_FIB_RESULT_ADDRTYPE },
		{ NFTA_FIB_FLAGS, NFTA_FIB_F_DADDR },
	};
	static const struct u32_attr meta[] = {
		{ NFTA_META_DREG, NFT_REG_1 },
		{ NFTA_META_KEY, NFT_META_L4PROTO },
	};
	static const struct u32_attr nat[] = {
		{ NFTA_NAT_TYPE, NFT_NAT_DNAT },
		{ NFTA_NAT_FAMILY, NFPROTO_IPV4 },
		{ NFTA_NAT_REG_ADDR_MIN, NFT_REG_1 },
		{ NFTA_NAT_REG_PROTO_MIN, NFT_REG_2 },
		{ NFTA_NAT_FLAGS,
		  NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED },
	};
	struct nlattr *exprs;
	struct nlmsghdr *nlh = rule_start(b, seq, table, chain, &exprs);

	e_u32s(nlh, "fib", fib, ARRAY_SIZE(fib));
	e_cmp(nlh, NFT_REG_1, NFT_CMP_EQ, &local, 4); /* host order */
	if (not_loopback)
		m_prefix(nlh, 16, &lo, NFT_CMP_NEQ);
	e_u32s(nlh, "meta", meta, ARRAY_SIZE(meta));
	e_cmp(nlh, NFT_REG_1, NFT_CMP_EQ, &d->proto, 1);
	e_payload(nlh, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, NFT_REG_1);
	e_cmp(nlh, NFT_REG_1, NFT_CMP_EQ, &port, 2);
	e_imm(nlh, NFT_REG_1, &d->to.s_addr, 4);
	e_imm(nlh, NFT_REG_2, &to_port, 2);
	e_u32s(nlh, "nat", nat, ARRAY_SIZE(nat));
	mnl_attr_nest_end(nlh, exprs);
	nft_port_comment(nlh, d);
}

static void chain_add(struct mnl_nlmsg_batch *b, uint32_t seq,
		      const char *table, const char *name, uint32_t hook,
		      int32_t prio)
{
	struct nlmsghdr *nlh =
		nft_cmd(b, NFT_MSG_NEWCHAIN, NLM_F_CREATE | NLM_F_EXCL, seq);
	struct nlattr *h;

	mnl_attr_put_strz(nlh, NFTA_CHAIN_TABLE, table);
	mnl_attr_put_strz(nlh, NFTA_CHAIN_NAME, name);
	mnl_attr_put_strz(nlh, NFTA_CHAIN_TYPE, "nat");
	h = mnl_attr_nest_start(nlh, NFTA_CHAIN_HOOK);
	be32_put(nlh, NFTA_HOOK_HOOKNUM, hook);
	be32_put(nlh, NFTA_HOOK_PRIORITY, (uint32_t)prio);
	mnl_attr_nest_end(nlh, h);
}

/* ---- batches ---------------------------------------------------------- */

/*
 * Send the batch (its first and last messages are BEGIN and END) and read
 * one answer per command (every command asks for an ACK): the first error
 * wins, with its extack text in nl->errmsg.
 */
static int batch_send(struct nl *nl, struct mnl_nlmsg_batch *b, uint32_t seq0,
		      int ncmds)
{
	int got = 0, first = 0;
	ssize_t n;

	nl->errmsg[0] = '\0';
	if (mnl_socket_sendto(nl->sock, mnl_nlmsg_batch_head(b),
			      mnl_nlmsg_batch_size(b)) < 0)
		return -errno;
	while (got < ncmds) {
		const struct nlmsghdr *nlh;
		int len;

		n = mnl_socket_recvfrom(nl->sock, nl->buf, sizeof(nl->buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		len = (int)n;
		for (nlh = (const struct nlmsghdr *)nl->buf;
		     mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			const struct nlmsgerr *err;

			if (nlh->nlmsg_type != NLMSG_ERROR ||
			    nlh->nlmsg_seq < seq0 ||
			    nlh->nlmsg_seq > seq0 + (uint32_t)ncmds)
				continue;
			if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err))
				return -EBADMSG;
			err = mnl_nlmsg_get_payload(nlh);
			/*
			 * An error against BEGIN is the whole batch's (no
			 * CAP_NET_ADMIN, no nf_tables, a failed commit):
			 * the commands may have been acked before it.
			 */
			if (nlh->nlmsg_seq == seq0) {
				if (err->error)
					return err->error < 0 ? err->error
							      : -err->error;
				continue;
			}
			got++;
			if (err->error && !first) {
				first = err->error < 0 ? err->error
						       : -err->error;
				/* extack: after the echoed request, if any */
				if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
					size_t off = sizeof(*err);
					const struct nlattr *a;

					if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
						off += err->msg.nlmsg_len -
						       sizeof(struct nlmsghdr);
					if (mnl_nlmsg_get_payload_len(nlh) <
					    off)
						continue;
					mnl_attr_for_each(a, nlh, off)
					{
						if (mnl_attr_get_type(a) ==
							    NLMSGERR_ATTR_MSG &&
						    mnl_attr_validate(
							    a,
							    MNL_TYPE_NUL_STRING) >=
							    0)
							snprintf(
								nl->errmsg,
								sizeof(nl->errmsg),
								"%s",
								mnl_attr_get_str(
									a));
					}
				}
			}
		}
	}
	/* a failed commit is told against BEGIN after the commands' acks */
	while (!first && (n = recv(mnl_socket_get_fd(nl->sock), nl->buf,
				   sizeof(nl->buf), MSG_DONTWAIT)) > 0) {
		const struct nlmsghdr *nlh;
		int len = (int)n;

		for (nlh = (const struct nlmsghdr *)nl->buf;
		     mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

			if (nlh->nlmsg_type == NLMSG_ERROR &&
			    nlh->nlmsg_seq == seq0 &&
			    mnl_nlmsg_get_payload_len(nlh) >= sizeof(*err) &&
			    err->error)
				first = err->error < 0 ? err->error
						       : -err->error;
		}
	}
	return first;
}

struct batch {
	struct mnl_nlmsg_batch *b;
	char *buf;
	uint32_t seq0, seq;
};

static int batch_begin(struct nl *nl, struct batch *bt)
{
	bt->buf = malloc(NFT_BATCH_SIZE);
	if (!bt->buf)
		return -ENOMEM;
	/* libmnl: the buffer holds twice the limit (one message may overrun) */
	bt->b = mnl_nlmsg_batch_start(bt->buf, NFT_BATCH_SIZE / 2);
	bt->seq0 = bt->seq = ++nl->seq;
	nfmsg(mnl_nlmsg_batch_current(bt->b), NFNL_MSG_BATCH_BEGIN, AF_UNSPEC,
	      0, bt->seq, NFNL_SUBSYS_NFTABLES);
	mnl_nlmsg_batch_next(bt->b);
	return 0;
}

/* the next command's sequence number */
static uint32_t bseq(struct batch *bt)
{
	return ++bt->seq;
}

static int batch_end(struct nl *nl, struct batch *bt)
{
	int ncmds = (int)(bt->seq - bt->seq0), ret;

	nfmsg(mnl_nlmsg_batch_current(bt->b), NFNL_MSG_BATCH_END, AF_UNSPEC, 0,
	      bseq(bt), NFNL_SUBSYS_NFTABLES);
	mnl_nlmsg_batch_next(bt->b);
	nl->seq = bt->seq;
	ret = batch_send(nl, bt->b, bt->seq0, ncmds);
	mnl_nlmsg_batch_stop(bt->b);
	free(bt->buf);
	return ret;
}

/* each command is built in place, then counted by batch_next */
static int batch_next(struct batch *bt)
{
	/* a full buffer: mnl_nlmsg_batch_next returns false */
	return mnl_nlmsg_batch_next(bt->b) ? 0 : -EMSGSIZE;
}

int nft_nat_add(struct nl *nl, const struct nft_nat_spec *s)
{
	static const struct {
		const char *name;
		uint32_t hook;
		int32_t prio;
	} chains[] = {
		{ "prerouting", NF_INET_PRE_ROUTING, -100 },
		{ "output", NF_INET_LOCAL_OUT, -100 },
		{ "postrouting", NF_INET_POST_ROUTING, 100 },
	};
	struct batch bt;
	struct nlmsghdr *nlh;
	size_t i;
	int j, ret;

	if (!nl || !s || !s->table || !s->table[0] ||
	    strlen(s->table) >= NFT_TABLE_MAXNAMELEN ||
	    (s->masq.family && s->masq.family != AF_INET) || s->ndnats < 0 ||
	    (s->ndnats && !s->dnats))
		return -EINVAL;
	ret = batch_begin(nl, &bt);
	if (ret)
		return ret;
	nlh = nft_cmd(bt.b, NFT_MSG_NEWTABLE, NLM_F_CREATE | NLM_F_EXCL,
		      bseq(&bt));
	mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, s->table);
	if (s->userdata)
		mnl_attr_put(nlh, NFTA_TABLE_USERDATA, strlen(s->userdata),
			     s->userdata);
	ret = batch_next(&bt);
	for (i = 0; !ret && i < ARRAY_SIZE(chains); i++) {
		chain_add(bt.b, bseq(&bt), s->table, chains[i].name,
			  chains[i].hook, chains[i].prio);
		ret = batch_next(&bt);
	}
	for (j = 0; !ret && j < s->ndnats; j++) {
		rule_dnat(bt.b, bseq(&bt), s->table, "prerouting", &s->dnats[j],
			  false);
		ret = batch_next(&bt);
		if (ret)
			break;
		rule_dnat(bt.b, bseq(&bt), s->table, "output", &s->dnats[j],
			  true);
		ret = batch_next(&bt);
	}
	if (!ret && s->masq.family) {
		rule_masq(bt.b, bseq(&bt), s);
		ret = batch_next(&bt);
	}
	if (ret) {
		mnl_nlmsg_batch_stop(bt.b);
		free(bt.buf);
		return ret;
	}
	return batch_end(nl, &bt);
}

int nft_table_del(struct nl *nl, const char *name)
{
	struct batch bt;
	struct nlmsghdr *nlh;
	int ret;

	if (!nl || !name || !name[0] || strlen(name) >= NFT_TABLE_MAXNAMELEN)
		return -EINVAL;
	ret = batch_begin(nl, &bt);
	if (ret)
		return ret;
	nlh = nft_cmd(bt.b, NFT_MSG_DELTABLE, 0, bseq(&bt));
	mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, name);
	batch_next(&bt);
	return batch_end(nl, &bt);
}
