// SPDX-License-Identifier: GPL-2.0
/*
 * rtnetlink handle, request/ACK plumbing and small parsers.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "nl_priv.h"

/* ---------------------------------------------------------------- parsers */

int ip_prefix_parse(const char *s, bool need_len, struct ip_prefix *out)
{
	char addr[INET6_ADDRSTRLEN];
	struct ip_prefix p;
	const char *slash, *c;
	size_t n;
	int max;

	if (!s || !out)
		return -EINVAL;
	memset(&p, 0, sizeof(p));
	slash = strchr(s, '/');
	n = slash ? (size_t)(slash - s) : strlen(s);
	if (n == 0 || n >= sizeof(addr))
		return -EINVAL;
	memcpy(addr, s, n);
	addr[n] = '\0';

	if (inet_pton(AF_INET, addr, &p.addr.v4) == 1) {
		p.family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, addr, &p.addr.v6) == 1) {
		p.family = AF_INET6;
		max = 128;
	} else {
		return -EINVAL;
	}

	if (!slash) {
		if (need_len)
			return -EINVAL;
		p.len = max;
	} else {
		c = slash + 1;
		if (!*c)
			return -EINVAL;
		for (; *c; c++) {
			if (*c < '0' || *c > '9')
				return -EINVAL;
			p.len = p.len * 10 + (*c - '0');
			if (p.len > max)
				return -EINVAL;
		}
	}
	*out = p;
	return 0;
}

const char *ip_prefix_str(const struct ip_prefix *p, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN];
	int n;

	if (!buf || !len)
		return "";
	buf[0] = '\0';
	if (!p || (p->family != AF_INET && p->family != AF_INET6))
		return buf;
	if (!inet_ntop(p->family, &p->addr, addr, sizeof(addr)))
		return buf;
	n = snprintf(buf, len, "%s/%d", addr, p->len);
	if (n < 0 || (size_t)n >= len)
		buf[0] = '\0';
	return buf;
}

bool ifname_valid(const char *name)
{
	size_t n;

	if (!name)
		return false;
	n = strnlen(name, IFNAMSIZ);
	if (n == 0 || n >= IFNAMSIZ)
		return false;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (; *name; name++) {
		unsigned char c = *name;

		/* the kernel's isspace() also counts 0xa0 (Latin-1 NBSP) */
		if (c == '/' || c == ':' || isspace(c) || c == 0xa0)
			return false;
	}
	return true;
}

/* ----------------------------------------------------------------- handle */

int nl_sock_init(struct nl *nl, int proto)
{
	int one = 1;

	nl->sock = mnl_socket_open2(proto, SOCK_CLOEXEC);
	if (!nl->sock)
		return -errno;
	/* best effort: only the error text depends on these */
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	nl->portid = mnl_socket_get_portid(nl->sock);
	return 0;
}

static int nl_sock_open(void *arg)
{
	return nl_sock_init(arg, NETLINK_ROUTE);
}

int nl_open_with(struct nl **out, const char *netns, int (*sock_open)(void *nl))
{
	struct nl *nl = NULL;
	int ret;

	if (!out)
		return -EINVAL;
	*out = NULL;
	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	nl->nsfd = -1;
	nl->seq = time(NULL);

	if (netns) {
		nl->netns = strdup(netns);
		if (!nl->netns) {
			ret = -ENOMEM;
			goto cleanup;
		}
		ret = netns_open(netns);
	} else {
		ret = open(NS_SELF, O_RDONLY | O_CLOEXEC);
		if (ret < 0)
			ret = -errno;
	}
	if (ret < 0)
		goto cleanup;
	nl->nsfd = ret;

	/* a netlink socket acts in the netns it was created in */
	if (netns)
		ret = ns_run_fd(nl->nsfd, sock_open, nl);
	else
		ret = sock_open(nl);
	if (ret)
		goto cleanup;

	*out = nl;
	nl = NULL;
cleanup:
	nl_close(nl);
	return ret;
}

int nl_open(struct nl **out, const char *netns)
{
	return nl_open_with(out, netns, nl_sock_open);
}

void nl_close(struct nl *nl)
{
	if (!nl)
		return;
	if (nl->sock)
		mnl_socket_close(nl->sock);
	if (nl->nsfd >= 0)
		close(nl->nsfd);
	free(nl->netns);
	free(nl);
}

const char *nl_errmsg(const struct nl *nl)
{
	return nl ? nl->errmsg : "";
}

/* ---------------------------------------------------------------- request */

struct nl_req {
	struct nl *nl;
	unsigned int seq;
	mnl_cb_t cb;
	void *data;
	int cb_err;
	bool cb_done;
};

/* keep NLMSGERR_ATTR_MSG of an error/done message; attrs start at off */
static void nl_take_extack(struct nl *nl, const struct nlmsghdr *nlh,
			   size_t off)
{
	const struct nlattr *attr;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (mnl_nlmsg_get_payload_len(nlh) < MNL_ALIGN(off))
		return;
	mnl_attr_for_each(attr, nlh, off)
	{
		if (mnl_attr_get_type(attr) != NLMSGERR_ATTR_MSG)
			continue;
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
			continue;
		snprintf(nl->errmsg, sizeof(nl->errmsg), "%s",
			 mnl_attr_get_str(attr));
	}
}

static int nl_cb_data(const struct nlmsghdr *nlh, void *data)
{
	struct nl_req *req = data;
	int ret;

	if (nlh->nlmsg_seq != req->seq || !req->cb || req->cb_done)
		return MNL_CB_OK;
	errno = 0;
	ret = req->cb(nlh, req->data);
	if (ret == MNL_CB_ERROR) {
		req->cb_err = errno ? -errno : -EIO;
		req->cb_done = true;
	} else if (ret == MNL_CB_STOP) {
		req->cb_done = true;
	}
	/* drain the rest so the next request starts clean */
	return MNL_CB_OK;
}

static int nl_cb_error(const struct nlmsghdr *nlh, void *data)
{
	struct nl_req *req = data;
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*err);

	if (nlh->nlmsg_seq != req->seq)
		return MNL_CB_OK; /* stale, from an earlier request */
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (!err->error)
		return MNL_CB_STOP;
	/* without NLM_F_CAPPED the whole request is echoed before the TLVs */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    err->msg.nlmsg_len > sizeof(struct nlmsghdr))
		off += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	nl_take_extack(req->nl, nlh, off);
	errno = err->error < 0 ? -err->error : err->error;
	return MNL_CB_ERROR;
}

static int nl_cb_done(const struct nlmsghdr *nlh, void *data)
{
	struct nl_req *req = data;
	int err = 0;

	if (nlh->nlmsg_seq != req->seq)
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(err))
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (err >= 0)
		return MNL_CB_STOP;
	nl_take_extack(req->nl, nlh, sizeof(err));
	errno = -err;
	return MNL_CB_ERROR;
}

int nl_request(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	/* libmnl 1.0.4 takes a non-const array */
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = nl_cb_error,
		[NLMSG_DONE] = nl_cb_done,
	};
	struct nl_req req = { .nl = nl, .cb = cb, .data = data };
	ssize_t n;
	int ret;

	if (!nl || !nlh)
		return -EINVAL;
	nl->errmsg[0] = '\0';
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = req.seq = ++nl->seq;

	do {
		n = mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;

	for (;;) {
		n = mnl_socket_recvfrom(nl->sock, nl->buf, sizeof(nl->buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		errno = 0;
		/* seq 0: the callbacks skip stale messages themselves */
		ret = mnl_cb_run2(nl->buf, n, 0, nl->portid, nl_cb_data, &req,
				  ctl, NLMSG_MIN_TYPE);
		if (ret < 0)
			return errno ? -errno : -EIO;
		if (ret == MNL_CB_STOP)
			break;
	}
	return req.cb_err;
}
